package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/gql"
)

// Hurl runs the HTTP requests written in .hurl files: each entry is a
// "METHOD URL" line, then headers, sections ([QueryStringParams],
// [FormParams], [Options] ...) and a body, then optionally the expected
// response from an "HTTP" line on. guard reads the files and judges every
// request as it judges curl's. A file that cannot be read, or a request
// built from {{variables}}, is a request guard cannot see.

// hurl returns the requests of the files hurl runs.
func (h *httpCheck) hurl(args []interceptor.Word) []*httpRequest {
	var reqs []*httpRequest
	files := 0
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if strings.HasPrefix(v, "-") {
			if hurlTakesValue(v) {
				i++
			}
			continue
		}
		files++
		data, ok, from := h.readFile(v)
		if !ok || args[i].Unknown {
			if from == "" {
				from = "the file " + httpShorten(args[i].String())
			}
			reqs = append(reqs, &httpRequest{method: interceptor.Word{Value: interceptor.UnknownMark, Unknown: true}, hidden: from})
			continue
		}
		reqs = append(reqs, hurlRequests(data, v)...)
	}
	if files == 0 && !hurlOnly(args) {
		// hurl with no file reads its requests from stdin.
		if data, ok, from := h.stdin(); ok {
			reqs = append(reqs, hurlRequests(data, "stdin")...)
		} else {
			reqs = append(reqs, &httpRequest{method: interceptor.Word{Value: interceptor.UnknownMark, Unknown: true}, hidden: from})
		}
	}
	return reqs
}

// hurlOnly reports options after which hurl sends nothing: --help,
// --version.
func hurlOnly(args []interceptor.Word) bool {
	for _, a := range args {
		switch a.Value {
		case "-h", "--help", "-V", "--version":
			return true
		}
	}
	return false
}

// hurlTakesValue reports the options of hurl that take the next word.
func hurlTakesValue(opt string) bool {
	if strings.Contains(opt, "=") {
		return false
	}
	switch opt {
	case "--variable", "--variables-file", "--cacert", "--cert", "-E", "--key", "--connect-timeout",
		"--connect-to", "--cookie", "-b", "--cookie-jar", "-c", "--delay", "--from-entry", "--to-entry",
		"--glob", "--jobs", "--max-redirs", "--max-time", "-m", "--output", "-o", "--proxy", "-x",
		"--report-html", "--report-junit", "--report-tap", "--report-json", "--resolve", "--retry",
		"--retry-interval", "--user", "-u", "--user-agent", "-A", "--file-root", "--max-filesize",
		"--unix-socket", "--aws-sigv4", "--secret", "--limit-rate", "--repeat", "--error-format":
		return true
	}
	return false
}

// hurlRequests parses the entries of a hurl file named name.
func hurlRequests(data, name string) []*httpRequest {
	var reqs []*httpRequest
	var cur *httpRequest
	var body strings.Builder
	inResponse, inFence := false, false
	flush := func() {
		if cur != nil && body.Len() > 0 {
			cur.bodies = append(cur.bodies, gql.Body{Kind: gql.Raw, Data: body.String(), Known: true, From: name})
		}
		body.Reset()
	}
	for _, line := range strings.Split(data, "\n") {
		t := strings.TrimSpace(line)
		if inFence {
			if strings.HasPrefix(t, "```") {
				inFence = false
				continue
			}
			body.WriteString(line + "\n")
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if method, url, ok := hurlEntry(t); ok {
			flush()
			cur = &httpRequest{method: interceptor.Word{Value: method}}
			w := interceptor.Word{Value: url}
			if strings.Contains(url, "{{") {
				w = interceptor.Word{Value: strings.ReplaceAll(url, "{{", interceptor.UnknownMark+"{{"), Unknown: true}
			}
			cur.urls = []interceptor.Word{w}
			reqs = append(reqs, cur)
			inResponse = false
			continue
		}
		if cur == nil || inResponse {
			continue
		}
		switch {
		case strings.HasPrefix(t, "HTTP"):
			flush()
			inResponse = true
		case strings.HasPrefix(t, "```"):
			inFence = true
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
			// A section: its key-value lines are parameters, not the body.
		case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") || body.Len() > 0:
			body.WriteString(line + "\n")
		case strings.HasPrefix(t, "`") && strings.HasSuffix(t, "`") && len(t) >= 2:
			body.WriteString(strings.Trim(t, "`"))
		default:
			if k, v, ok := strings.Cut(t, ":"); ok && !strings.ContainsAny(k, " \t") {
				if strings.EqualFold(k, "Content-Type") {
					cur.contentTypes = append(cur.contentTypes, strings.ToLower(strings.TrimSpace(v)))
				}
				if strings.EqualFold(k, "X-HTTP-Method-Override") || strings.EqualFold(k, "X-HTTP-Method") || strings.EqualFold(k, "X-Method-Override") {
					cur.override = strings.ToUpper(strings.TrimSpace(v))
				}
			}
		}
	}
	flush()
	return reqs
}

// hurlEntry reads a "METHOD URL" line that starts an entry. Hurl's
// methods are upper-case words.
func hurlEntry(line string) (method, url string, ok bool) {
	m, rest, found := strings.Cut(line, " ")
	if !found || m == "" || m == "HTTP" || strings.HasPrefix(m, "HTTP/") {
		return "", "", false
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return "", "", false
		}
	}
	url = strings.TrimSpace(rest)
	if url == "" {
		return "", "", false
	}
	return m, url, true
}
