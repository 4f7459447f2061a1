package rules

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/gql"
)

// HTTPPack returns the rules about HTTP clients (curl, wget, httpie, xh and
// gh api): requests that delete a resource on a remote API, and GraphQL
// mutations that delete, drop or wipe something there, the shape of the
// incident guard exists for (one curl of a volumeDelete mutation).
//
// Each client's command line is parsed the way the client parses it, to
// find the method, the URLs, the headers and the body from every source:
// data options, files given with @file (read through World.FS), stdin
// (@-, heredocs, pipes), form fields, httpie request items, gh api fields,
// the URL's query string. Requests to this machine (localhost, *.localhost,
// 127.0.0.0/8, ::1, 0.0.0.0, host.docker.internal) are development and never
// reported, unless the command runs on another host (ssh, docker exec),
// where localhost is that host. The policy may name more hosts that count
// as this machine (World.LocalHosts) and production hosts
// (World.ProductionHosts), to which any request but GET, HEAD or OPTIONS
// needs confirmation; production wins over local. A credential written
// literally in a command that is reported is named in the reason, redacted.
func HTTPPack() *Pack {
	return &Pack{
		Name:     "http",
		Commands: []string{"curl", "wget", "http", "https", "httpie", "xh", "xhs", "gh", "glab", "curlie", "lwp-request", "grpcurl", "hurl"},
		Check:    checkHTTP,
		Rules: []Rule{
			{ID: "http.delete", Default: Confirm, Summary: "HTTP DELETE (or a method that cannot be known) sent to a host that is not this machine"},
			{ID: "http.graphql-destructive", Default: Confirm, Summary: "GraphQL mutation whose top-level fields delete, destroy, drop, remove, purge, wipe, erase, truncate, reset, terminate, uninstall or detach, sent to a host that is not this machine"},
			{ID: "http.graphql-unknown", Default: Confirm, Summary: "body sent to a GraphQL endpoint on another host that cannot be seen (computed at run time, stdin, a missing file) or does not parse as GraphQL"},
			{ID: "http.production-write", Default: Confirm, Summary: "request that can write (a method other than GET, HEAD or OPTIONS, or one that cannot be known; a GraphQL mutation of any name) sent to a production platform's API (guard rules --hosts lists them) or a host the policy names as production ([hosts] production); GraphQL queries, search endpoints, AWS actions that describe, list or get, and git fetches only read; a git push is judged where git runs, and only the branches it deletes are seen here"},
		},
	}
}

// Limits on what the pack reads.
const (
	// httpMaxFile is the largest body file read; a bigger one is unseen.
	httpMaxFile = 4 << 20
	// httpMaxConfigDepth bounds curl -K files that name further -K files.
	httpMaxConfigDepth = 2
	// httpMaxShown bounds a URL or value quoted in a reason.
	httpMaxShown = 160
)

// httpRequest is what one client invocation (or one --next group of curl)
// would send.
type httpRequest struct {
	// method is the method as written; its Value is "" when the client's
	// default applies (never DELETE).
	method interceptor.Word
	// urls are the URLs as written.
	urls []interceptor.Word
	// bodies are the pieces of the body, each from its own source.
	bodies []gql.Body
	// contentTypes are the lower-cased Content-Type header values.
	contentTypes []string
	// hidden says where URLs come from that cannot be seen ("the
	// config file x"); "" when all are on the command line.
	hidden string
	// remapped reports --resolve or --connect-to: a host name may reach a
	// different machine than its name says.
	remapped bool
	// socket reports --unix-socket: the request goes to a local socket;
	// socketPath is its path.
	socket     bool
	socketPath string
	// override is the method an X-HTTP-Method-Override header (or its
	// kin) asks the server to use instead of the one sent.
	override string
	// graphql reports that the client knows the endpoint is GraphQL (gh
	// api graphql).
	graphql bool
	// implied is the method the client uses when none is given: POST when
	// it sends a body, PUT for curl -T, HEAD for curl -I; "" for GET.
	implied string
	// query reports curl -G: the data goes into the URL of a GET.
	query bool
	// amzTarget is the X-Amz-Target header: the action of an AWS JSON
	// API call (DynamoDB_20120810.GetItem).
	amzTarget string
}

// sent returns the method the request is sent with, upper-case, and
// whether it can be known.
func (r *httpRequest) sent() (string, bool) {
	switch {
	case r.method.Unknown:
		return "", false
	case r.method.Value != "":
		return strings.ToUpper(r.method.Value), true
	case r.query && r.implied == "POST":
		return "GET", true
	case r.implied != "":
		return r.implied, true
	}
	return "GET", true
}

// httpSafeMethod reports whether a method only reads.
func httpSafeMethod(m string) bool {
	return m == "GET" || m == "HEAD" || m == "OPTIONS"
}

// httpCheck is the pack examining one invocation.
type httpCheck struct {
	c *Call
	// creds are the credentials the command spells out, described and
	// redacted, for reasons.
	creds []string
	// stdinUsed reports that a body already took stdin.
	stdinUsed bool
	// computedCred reports a credential whose value the command computes
	// when it runs (a header "Authorization: Bearer $(…)").
	computedCred bool
	// wire reports a request seen on the wire (CheckRequest), not a
	// command line: the credential every authenticated request carries is
	// not one written in a command, and is never named.
	wire bool
}

// checkHTTP parses the invocation with its client's rules and judges each
// request it would send.
func checkHTTP(c *Call) {
	h := &httpCheck{c: c}
	args := c.Inv.Args
	var reqs []*httpRequest
	switch c.Inv.Name {
	case "curl":
		reqs = h.curl(args)
	case "wget":
		reqs = h.wget(args)
	case "http", "https", "httpie", "xh", "xhs":
		reqs = h.httpie(c.Inv.Name, args)
	case "gh":
		reqs = h.ghAPI(args, "github.com")
	case "glab":
		reqs = h.ghAPI(args, "gitlab.com")
	case "curlie":
		// curl's options, or httpie's METHOD URL ITEM… syntax.
		reqs = h.curl(args)
		for _, a := range args {
			if httpMethodWord(a.Value) {
				reqs = h.httpie("http", args)
				break
			}
		}
	case "lwp-request":
		reqs = h.lwpRequest(args)
	case "hurl":
		reqs = h.hurl(args)
	case "grpcurl":
		h.grpcurl(args)
		return
	}
	for _, r := range reqs {
		h.judge(r)
	}
}

// judge reports what one request would do.
func (h *httpCheck) judge(r *httpRequest) {
	inv := h.c.Inv
	var targets []httpTarget
	for _, w := range r.urls {
		t := parseTarget(w)
		if !t.web {
			continue
		}
		for _, s := range t.secrets {
			h.addCred(s.what, s.value)
		}
		targets = append(targets, t)
	}
	if len(targets) == 0 && r.hidden != "" {
		targets = append(targets, httpTarget{display: "URLs read from " + r.hidden, web: true})
	}
	method := strings.ToUpper(r.method.Value)
	rawDoc, ctGraphQL := false, false
	for _, ct := range r.contentTypes {
		if strings.Contains(ct, "graphql") {
			ctGraphQL = true
			rawDoc = rawDoc || !strings.Contains(ct, "json")
		}
	}
	local := inv.Remote == "" || h.containerHere()
	sent, sentKnown := r.sent()
	var found httpFound
	if r.override != "" {
		method, sent, sentKnown = r.override, r.override, true
	}
	if r.socket && dockerSocket(r.socketPath) {
		h.judgeDockerSocket(r, sent, targets)
		return
	}
	for _, t := range targets {
		platform := ""
		if !t.local {
			platform = platformOf(t.host)
		}
		prod := platform != "" || h.c.World.IsProductionHost(t.host)
		if local && ((t.local || h.c.World.IsLocalHost(t.host)) && !prod && !r.remapped || r.socket) {
			continue
		}
		where := h.where(t)
		bodies := r.bodies
		if len(t.params) > 0 {
			bodies = append(append([]gql.Body(nil), bodies...), t.params...)
		}
		res := gql.Analyse(bodies, rawDoc)
		if !prod {
			h.judgeSQLBodies(t.host, bodies)
		}
		if h.computedCred && len(h.c.World.credReads) > 0 {
			found.add("creds.in-request", "sends a credential read from "+strings.Join(h.c.World.credReads, " and ")+" to ", "", where)
		}
		prodWhere := "the production host "
		if platform != "" {
			prodWhere = platform + "'s API, a production platform: "
		}
		// A git push (smart HTTP) is judged where git runs, by the git
		// pack; on the wire only the refs it deletes are seen.
		push, pushRead, deleted := false, false, []string(nil)
		if sent == "POST" {
			push, pushRead, deleted = gitPush(t.path, bodies)
		}
		readPost := sent == "POST" && (res.ReadsOnly() || readOnlyPost(t.path) || awsReadPost(platform, r.amzTarget, bodies) || push && pushRead && len(deleted) == 0)
		switch {
		case prod && !sentKnown:
			found.add("http.production-write", "sends a request whose method cannot be known to "+prodWhere, "", where)
		case prod && len(res.Mutations) > 0:
			found.add("http.production-write", "sends the GraphQL mutation "+strings.Join(res.Mutations, ", ")+" to "+prodWhere, "", where)
		case prod && !httpSafeMethod(sent) && !readPost:
			found.add("http.production-write", "sends "+sent+" to "+prodWhere, "", where)
		}
		if len(deleted) > 0 {
			found.add("http.delete", "pushes deleting "+httpShorten(strings.Join(deleted, ", "))+" to ", "", where)
		}
		switch {
		case r.method.Unknown:
			m := httpShorten(r.method.String())
			if m == "…" {
				m = "it is computed when the command runs"
			}
			if r.hidden != "" && r.method.Value == interceptor.UnknownMark {
				m = "it may be set in " + r.hidden
			}
			found.add("http.delete", "sends a request whose method cannot be known ("+m+") to ", "", where)
		case method == "DELETE":
			found.add("http.delete", "sends DELETE to ", "", where)
		case r.override == "" && postDelete(sent, t.path, bodies):
			found.add("http.delete", "sends a request that deletes ("+sent+" "+httpShorten(t.path)+") to ", "", where)
		}
		graphqlish := r.graphql || ctGraphQL || t.looksGraphQL()
		switch {
		case len(res.Fields) > 0:
			what := "GraphQL mutation "
			if len(res.Fields) > 1 {
				what = "GraphQL mutations "
			}
			found.add("http.graphql-destructive", what+strings.Join(res.Fields, ", ")+" on ", "", where)
		case graphqlish && len(res.Opaque) > 0:
			found.add("http.graphql-unknown", "cannot see the GraphQL body sent to ", ": it comes from "+strings.Join(res.Opaque, " and "), where)
		case graphqlish && len(res.Broken) > 0:
			found.add("http.graphql-unknown", "the body sent to the GraphQL endpoint ", " cannot be read as GraphQL ("+httpShorten(res.Broken[0])+"), so what it does cannot be checked", where)
		}
	}
	for _, f := range found {
		h.report(f.rule, f.text+httpList(f.wheres)+f.tail)
	}
}

// httpFound gathers the findings of one request, one per rule and text,
// with every target it concerns.
type httpFound []struct {
	rule, text, tail string
	wheres           []string
}

// add records that rule fires on where, with a reason that reads
// text+where+tail.
func (f *httpFound) add(rule, text, tail, where string) {
	for i := range *f {
		if (*f)[i].rule == rule && (*f)[i].text == text && (*f)[i].tail == tail {
			(*f)[i].wheres = append((*f)[i].wheres, where)
			return
		}
	}
	*f = append(*f, struct {
		rule, text, tail string
		wheres           []string
	}{rule, text, tail, []string{where}})
}

// httpList joins targets for a reason, naming at most three.
func httpList(wheres []string) string {
	const most = 3
	if len(wheres) <= most {
		return strings.Join(wheres, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(wheres[:most], ", "), len(wheres)-most)
}

// containerHere reports whether the command runs in a container on this
// machine (docker or podman exec without a remote DOCKER_HOST), whose
// localhost is development like this machine's.
func (h *httpCheck) containerHere() bool {
	remote := h.c.Inv.Remote
	if !strings.HasPrefix(remote, "docker ") && !strings.HasPrefix(remote, "podman ") {
		return false
	}
	dh, ok := h.c.World.Analysis.Env["DOCKER_HOST"]
	return !ok || dh == "" || strings.HasPrefix(dh, "unix://")
}

// where names a target for a reason: "api.github.com
// (https://api.github.com/repos/acme/api)".
func (h *httpCheck) where(t httpTarget) string {
	host := t.host
	if host == "" {
		host = "a host that cannot be known"
	} else if t.local && h.c.Inv.Remote != "" && !h.containerHere() {
		host += " of " + h.c.Inv.Remote
	}
	return host + " (" + t.display + ")"
}

// report records a finding, naming the credentials the command spells out.
func (h *httpCheck) report(id, reason string) {
	if len(h.creds) > 0 {
		reason += "; the command carries a credential in plain text: " + strings.Join(h.creds, ", ")
	}
	h.c.Report(id, reason)
}

// addCred records a credential written in the command. Values that are not
// known (a variable the command reads) are not credentials written in it,
// and neither are values that are known only because the environment is
// (shell mode expands "$RAILWAY_TOKEN" to what the variable holds): a
// credential is written in the command when its text is in the command's
// source.
func (h *httpCheck) addCred(what, secret string) {
	if h.wire {
		return
	}
	if strings.Contains(secret, interceptor.UnknownMark) {
		h.computedCred = true
		return
	}
	if secret == "" {
		return
	}
	if src := h.c.Inv.Text; src != "" && !strings.Contains(src, secret) {
		return
	}
	d := what + " (" + httpRedact(secret) + ")"
	for _, c := range h.creds {
		if c == d {
			return
		}
	}
	h.creds = append(h.creds, d)
}

// httpRedact shows the first four characters of a secret, or none of a short
// one.
func httpRedact(s string) string {
	r := []rune(s)
	if len(r) < 12 {
		return "…"
	}
	return string(r[:4]) + "…"
}

// httpShorten bounds a value quoted in a reason.
func httpShorten(s string) string {
	r := []rune(s)
	if len(r) <= httpMaxShown {
		return s
	}
	return string(r[:httpMaxShown]) + "…"
}

// httpWord makes a word of a piece of another word ("-XDELETE" -> "DELETE").
func httpWord(s string) interceptor.Word {
	return interceptor.Word{Value: s, Unknown: strings.Contains(s, interceptor.UnknownMark)}
}

// header records one "Name: value" header.
func (h *httpCheck) header(r *httpRequest, s string) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return
	}
	name = strings.ToLower(strings.TrimSpace(name))
	value = strings.TrimSpace(value)
	if name == "content-type" {
		r.contentTypes = append(r.contentTypes, strings.ToLower(value))
	}
	if name == "x-http-method-override" || name == "x-http-method" || name == "x-method-override" {
		r.override = strings.ToUpper(value)
	}
	if name == "x-amz-target" {
		r.amzTarget = value
	}
	if httpCredName(name) {
		f := strings.Fields(value)
		// A scheme alone ("Bearer") carries no credential: the token
		// after it expanded to nothing.
		if len(f) > 0 && !(len(f) == 1 && httpAuthScheme(f[0])) {
			h.addCred(name+" header", f[len(f)-1])
		}
	}
}

// httpAuthScheme reports whether s names an HTTP authentication scheme, the
// word before the credential in an Authorization header.
func httpAuthScheme(s string) bool {
	switch strings.ToLower(s) {
	case "basic", "bearer", "digest", "negotiate", "ntlm", "token", "bot":
		return true
	}
	return false
}

// httpCredName reports whether a header or query parameter name carries a
// credential.
func httpCredName(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "key", "auth", "sig", "signature":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "access-key", "access_key"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// userCred records the credential of "user:password" (-u, --auth): the
// password, or the user when the password is empty ("sk_live_...:", an API
// key given as the user name).
func (h *httpCheck) userCred(what, s string) {
	user, pass, ok := strings.Cut(s, ":")
	switch {
	case !ok:
	case pass != "":
		h.addCred("password of "+what, pass)
	case user != "":
		h.addCred("key given to "+what, user)
	}
}

// readFile reads a file a client sends: "-" is stdin. It returns the
// content, whether it is known, and otherwise where it comes from.
func (h *httpCheck) readFile(name string) (string, bool, string) {
	inv := h.c.Inv
	if name == "-" {
		return h.stdin()
	}
	if strings.Contains(name, interceptor.UnknownMark) {
		return "", false, "a file whose name cannot be known (" + httpShorten(httpWord(name).String()) + ")"
	}
	if inv.Remote != "" {
		return "", false, "the file " + httpShorten(name) + " on " + inv.Remote
	}
	p := interceptor.ResolvePath(inv.Cwd, name)
	if p == "" {
		return "", false, "the file " + httpShorten(name) + " in a directory that cannot be known"
	}
	fsys := h.c.World.pathFS()
	fi, err := fsys.Stat(p)
	switch {
	case err != nil:
		return "", false, "the file " + httpShorten(name) + ", which does not exist yet"
	case fi.IsDir():
		return "", false, "the directory " + httpShorten(name)
	case fi.Size() > httpMaxFile:
		return "", false, "the file " + httpShorten(name) + ", too large to read"
	}
	b, err := fsys.ReadFile(p)
	if err != nil {
		return "", false, fmt.Sprintf("the file %s, which cannot be read (%v)", httpShorten(name), err)
	}
	return string(b), true, ""
}

// stdin returns what the command reads on stdin, once.
func (h *httpCheck) stdin() (string, bool, string) {
	in := h.c.Inv.Stdin
	if h.stdinUsed {
		return "", true, ""
	}
	h.stdinUsed = true
	switch {
	case in == nil:
		return "", false, "stdin"
	case !in.Known:
		return "", false, "stdin (" + in.From + ")"
	}
	return in.Data, true, ""
}

// httpLiteral is a body given as a word.
func httpLiteral(kind gql.BodyKind, name string, w interceptor.Word) gql.Body {
	from := "a value computed when the command runs"
	if shown := httpShorten(w.String()); shown != "…" {
		from += " (" + shown + ")"
	}
	return gql.Body{Kind: kind, Name: name, Data: w.Value, Known: !w.Unknown, From: from}
}

// fileBody is a body read from a file ("-" is stdin).
func (h *httpCheck) fileBody(kind gql.BodyKind, name, file string) gql.Body {
	data, ok, from := h.readFile(file)
	return gql.Body{Kind: kind, Name: name, Data: data, Known: ok, From: from}
}

// ---- curl ----

// curl parses curl's command line. Each --next starts a new request.
func (h *httpCheck) curl(args []interceptor.Word) []*httpRequest {
	p := &curlParser{h: h, cur: &httpRequest{}}
	p.parse(args, 0)
	return append(p.done, p.cur)
}

// curlParser walks curl's options, including those of -K files.
type curlParser struct {
	h    *httpCheck
	cur  *httpRequest
	done []*httpRequest
}

// parse reads curl arguments; depth counts the -K files being read.
func (p *curlParser) parse(args []interceptor.Word, depth int) {
	end := false
	for i := 0; i < len(args); i++ {
		w := args[i]
		s := w.Value
		if end || len(s) < 2 || s[0] != '-' {
			p.cur.urls = append(p.cur.urls, w)
			continue
		}
		if s == "--" {
			end = true
			continue
		}
		if strings.HasPrefix(s, "--") {
			// curl itself takes no --opt=value; reading it so is only
			// stricter.
			name, val, eq := strings.Cut(s[2:], "=")
			expand := false
			if strings.HasPrefix(name, "expand-") {
				name, expand = strings.TrimPrefix(name, "expand-"), true
			}
			if !curlLongTakesArg(name) {
				p.flag(s[2:])
				continue
			}
			var v interceptor.Word
			switch {
			case eq:
				v = httpWord(val)
			case i+1 < len(args):
				i++
				v = args[i]
			default:
				continue
			}
			if expand {
				v = curlExpanded(v)
			}
			p.option(name, v, depth)
			continue
		}
		for j := 1; j < len(s); j++ {
			name, takes := curlShort(s[j])
			if !takes {
				p.flag(name)
				continue
			}
			switch {
			case j+1 < len(s):
				p.option(name, httpWord(s[j+1:]), depth)
			case i+1 < len(args):
				i++
				p.option(name, args[i], depth)
			}
			break
		}
	}
}

// curlExpanded marks the {{variable}} parts of an --expand-* value unknown.
func curlExpanded(w interceptor.Word) interceptor.Word {
	s := w.Value
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(interceptor.UnknownMark)
		s = s[i+j+2:]
	}
	b.WriteString(s)
	return httpWord(b.String())
}

// flag handles an option without an argument.
func (p *curlParser) flag(name string) {
	switch name {
	case "next", ":":
		p.done = append(p.done, p.cur)
		p.cur = &httpRequest{}
	case "get", "G":
		p.cur.query = true
	case "head", "I":
		p.cur.implied = "HEAD"
	}
}

// option handles an option and its argument.
func (p *curlParser) option(name string, v interceptor.Word, depth int) {
	h, r := p.h, p.cur
	switch name {
	case "data", "data-ascii", "data-binary", "json", "data-raw", "data-urlencode", "form", "form-string":
		if r.implied == "" {
			r.implied = "POST"
		}
	case "upload-file":
		r.implied = "PUT"
	}
	switch name {
	case "request":
		r.method = v
	case "data", "data-ascii":
		r.bodies = append(r.bodies, h.curlData(v, true))
	case "data-binary":
		r.bodies = append(r.bodies, h.curlData(v, false))
	case "json":
		r.bodies = append(r.bodies, h.curlData(v, false))
		r.contentTypes = append(r.contentTypes, "application/json")
	case "data-raw":
		r.bodies = append(r.bodies, httpLiteral(gql.Raw, "", v))
	case "data-urlencode":
		r.bodies = append(r.bodies, h.curlURLEncode(v))
	case "url-query":
		v.Value = strings.TrimPrefix(v.Value, "+")
		r.bodies = append(r.bodies, h.curlURLEncode(v))
	case "form":
		if b, ok := h.curlForm(v, false); ok {
			r.bodies = append(r.bodies, b)
		}
	case "form-string":
		if b, ok := h.curlForm(v, true); ok {
			r.bodies = append(r.bodies, b)
		}
	case "header", "proxy-header":
		if file, ok := strings.CutPrefix(v.Value, "@"); ok {
			data, _, _ := h.readFile(file)
			for _, line := range strings.Split(data, "\n") {
				h.header(r, strings.TrimSpace(line))
			}
			return
		}
		h.header(r, v.Value)
	case "url":
		r.urls = append(r.urls, v)
	case "user", "proxy-user":
		h.userCred("-u", v.Value)
	case "oauth2-bearer":
		h.addCred("--oauth2-bearer", v.Value)
	case "resolve", "connect-to", "proxy", "preproxy", "socks4", "socks4a", "socks5", "socks5-hostname":
		// The name is resolved elsewhere: localhost may be another machine.
		r.remapped = true
	case "unix-socket", "abstract-unix-socket":
		r.socket, r.socketPath = true, v.Value
	case "config":
		if depth >= httpMaxConfigDepth {
			r.hidden = "the curl config file " + httpShorten(v.String())
			return
		}
		data, ok, from := h.readFile(v.Value)
		if !ok {
			r.hidden = from
			if r.method.Value == "" {
				// The file may set the method too.
				r.method = interceptor.Word{Value: interceptor.UnknownMark, Unknown: true}
			}
			return
		}
		p.parse(curlConfigArgs(data), depth+1)
	}
}

// curlData is the body of -d (strip: CR and LF removed from files, as curl
// does), --data-binary and --json: @file reads a file, @- stdin.
func (h *httpCheck) curlData(v interceptor.Word, strip bool) gql.Body {
	file, ok := strings.CutPrefix(v.Value, "@")
	if !ok {
		return httpLiteral(gql.Raw, "", v)
	}
	b := h.fileBody(gql.Raw, "", file)
	if strip {
		b.Data = strings.NewReplacer("\r", "", "\n", "").Replace(b.Data)
	}
	return b
}

// curlURLEncode is the body of --data-urlencode: "content", "=content",
// "name=content", "@file", "name@file".
func (h *httpCheck) curlURLEncode(v interceptor.Word) gql.Body {
	s := v.Value
	i := strings.IndexAny(s, "=@")
	switch {
	case i < 0:
		return httpLiteral(gql.Raw, "", v)
	case s[i] == '=':
		if i == 0 {
			return httpLiteral(gql.Raw, "", httpWord(s[1:]))
		}
		return httpLiteral(gql.Field, s[:i], httpWord(s[i+1:]))
	case i == 0:
		return h.fileBody(gql.Raw, "", s[1:])
	}
	return h.fileBody(gql.Field, s[:i], s[i+1:])
}

// curlForm is one -F field: "name=value", "name=<file" (the value read
// from a file) or "name=@file" (a file upload, read only when the field may
// hold GraphQL). literalValue is --form-string, where < and @ mean nothing.
func (h *httpCheck) curlForm(v interceptor.Word, literalValue bool) (gql.Body, bool) {
	name, value, ok := strings.Cut(v.Value, "=")
	if !ok {
		return gql.Body{}, false
	}
	if !literalValue {
		switch {
		case strings.HasPrefix(value, "<"):
			return h.fileBody(gql.Field, name, curlFormValue(value[1:])), true
		case strings.HasPrefix(value, "@"):
			if name != "query" && name != "operations" {
				return gql.Body{}, false
			}
			return h.fileBody(gql.Field, name, curlFormValue(value[1:])), true
		}
		value = curlFormValue(value)
	}
	return httpLiteral(gql.Field, name, httpWord(value)), true
}

// curlFormValue strips the ;type=, ;filename=, ;headers= and ;encoder=
// parameters from a -F value, or the quotes around a quoted one.
func curlFormValue(s string) string {
	if strings.HasPrefix(s, `"`) {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 < len(s) {
					i++
					b.WriteByte(s[i])
				}
			case '"':
				return b.String()
			default:
				b.WriteByte(s[i])
			}
		}
		return b.String()
	}
	cut := len(s)
	for _, p := range []string{";type=", ";filename=", ";headers=", ";encoder="} {
		if i := strings.Index(s, p); i >= 0 && i < cut {
			cut = i
		}
	}
	return s[:cut]
}

// curlConfigArgs turns a curl config file (-K) into command-line words:
// "request = DELETE", "--url https://x", "-X DELETE", "silent".
func curlConfigArgs(data string) []interceptor.Word {
	var out []interceptor.Word
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		end := strings.IndexAny(line, " \t=:")
		if end < 0 {
			end = len(line)
		}
		name, rest := line[:end], line[end:]
		opt := "--" + strings.TrimLeft(name, "-")
		takes := curlLongTakesArg(strings.TrimLeft(name, "-"))
		if strings.HasPrefix(name, "-") && !strings.HasPrefix(name, "--") && len(name) == 2 {
			opt = name
			_, takes = curlShort(name[1])
		}
		out = append(out, interceptor.Word{Value: opt})
		if !takes {
			continue
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest != "" && (rest[0] == '=' || rest[0] == ':') {
			rest = strings.TrimLeft(rest[1:], " \t")
		}
		out = append(out, httpWord(curlConfigValue(rest)))
	}
	return out
}

// curlConfigValue reads the value of a config line: a double-quoted string
// with backslash escapes, or everything up to the first blank.
func curlConfigValue(s string) string {
	if !strings.HasPrefix(s, `"`) {
		if i := strings.IndexAny(s, " \t"); i >= 0 {
			return s[:i]
		}
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			break
		}
		if c == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				c = '\t'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 'v':
				c = '\v'
			default:
				c = s[i]
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// curlShort maps a short option to its long name and whether it takes an
// argument.
func curlShort(c byte) (string, bool) {
	switch c {
	case 'X':
		return "request", true
	case 'd':
		return "data", true
	case 'F':
		return "form", true
	case 'H':
		return "header", true
	case 'u':
		return "user", true
	case 'U':
		return "proxy-user", true
	case 'K':
		return "config", true
	case 'T':
		return "upload-file", true
	case ':':
		return "next", false
	case 'x':
		return "proxy", true
	case 'A', 'b', 'c', 'C', 'D', 'e', 'E', 'm', 'o', 'P', 'Q', 'r', 't', 'w', 'y', 'Y', 'z':
		return string(c), true
	}
	return string(c), false
}

// curlArgOptions are curl's long options that take an argument.
const curlArgOptions = " abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config " +
	"connect-timeout connect-to continue-at cookie cookie-jar create-file-mode crlfile curves data " +
	"data-ascii data-binary data-raw data-urlencode delegation dns-interface dns-ipv4-addr " +
	"dns-ipv6-addr dns-servers doh-url dump-header ech egd-file engine etag-compare etag-save " +
	"form form-string ftp-account ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode " +
	"happy-eyeballs-timeout-ms haproxy-clientip header hostpubmd5 hostpubsha256 hsts interface " +
	"ip-tos ipfs-gateway json keepalive-cnt keepalive-time key key-type krb libcurl limit-rate " +
	"local-port login-options mail-auth mail-from mail-rcpt max-filesize max-redirs max-time " +
	"netrc-file noproxy oauth2-bearer output output-dir pass pinnedpubkey preproxy proto " +
	"proto-default proto-redir proxy proxy-cacert proxy-capath proxy-cert proxy-cert-type " +
	"proxy-ciphers proxy-crlfile proxy-header proxy-key proxy-key-type proxy-pass " +
	"proxy-pinnedpubkey proxy-service-name proxy-tls13-ciphers proxy-tlsauthtype " +
	"proxy-tlspassword proxy-tlsuser proxy-user proxy1.0 pubkey quote random-file range rate " +
	"referer request request-target resolve retry retry-delay retry-max-time sasl-authzid " +
	"service-name socks4 socks4a socks5 socks5-gssapi-service socks5-hostname speed-limit " +
	"speed-time stderr telnet-option tftp-blksize time-cond tls-max tls13-ciphers tlsauthtype " +
	"tlspassword tlsuser trace trace-ascii trace-config unix-socket upload-file url url-query " +
	"user user-agent variable write-out "

// curlLongTakesArg reports whether curl's long option name takes an
// argument.
func curlLongTakesArg(name string) bool {
	return name != "" && strings.Contains(curlArgOptions, " "+name+" ")
}

// ---- wget ----

// wget parses wget's command line; long options may be abbreviated, as
// getopt allows.
func (h *httpCheck) wget(args []interceptor.Word) []*httpRequest {
	r := &httpRequest{}
	end := false
	for i := 0; i < len(args); i++ {
		w := args[i]
		s := w.Value
		if end || len(s) < 2 || s[0] != '-' {
			r.urls = append(r.urls, w)
			continue
		}
		if s == "--" {
			end = true
			continue
		}
		if strings.HasPrefix(s, "--") {
			name, val, eq := strings.Cut(s[2:], "=")
			name = wgetLongName(name)
			if !strings.Contains(wgetArgOptions, " "+name+" ") {
				continue
			}
			var v interceptor.Word
			switch {
			case eq:
				v = httpWord(val)
			case i+1 < len(args):
				i++
				v = args[i]
			default:
				continue
			}
			h.wgetOption(r, name, v)
			continue
		}
		for j := 1; j < len(s); j++ {
			if s[j] == 'n' {
				// -nv, -nc, -nd, -nH, -np: two-letter flags.
				j++
				continue
			}
			name := wgetShort(s[j])
			if name == "" {
				continue
			}
			switch {
			case j+1 < len(s):
				h.wgetOption(r, name, httpWord(s[j+1:]))
			case i+1 < len(args):
				i++
				h.wgetOption(r, name, args[i])
			}
			break
		}
	}
	return []*httpRequest{r}
}

// wgetOption handles one wget option with its argument.
func (h *httpCheck) wgetOption(r *httpRequest, name string, v interceptor.Word) {
	switch name {
	case "method":
		r.method = v
	case "post-data", "body-data":
		r.bodies = append(r.bodies, httpLiteral(gql.Raw, "", v))
		if name == "post-data" {
			r.implied = "POST"
		}
	case "post-file", "body-file":
		r.bodies = append(r.bodies, h.fileBody(gql.Raw, "", v.Value))
		if name == "post-file" {
			r.implied = "POST"
		}
	case "header":
		h.header(r, v.Value)
	case "password", "http-password", "proxy-password", "ftp-password":
		h.addCred("--"+name, v.Value)
	case "input-file":
		data, ok, from := h.readFile(v.Value)
		if !ok {
			r.hidden = from
			return
		}
		for _, line := range strings.Fields(data) {
			r.urls = append(r.urls, interceptor.Word{Value: line})
		}
	case "execute":
		// A .wgetrc command: method=DELETE, body_data=..., header=...
		key, val, ok := strings.Cut(v.Value, "=")
		if !ok {
			return
		}
		key = strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(key))
		val = strings.TrimSpace(val)
		switch key {
		case "method":
			h.wgetOption(r, "method", httpWord(val))
		case "postdata", "bodydata":
			h.wgetOption(r, "body-data", httpWord(val))
		case "postfile", "bodyfile":
			h.wgetOption(r, "body-file", httpWord(val))
		case "header":
			h.wgetOption(r, "header", httpWord(val))
		case "password", "httppassword", "proxypassword":
			h.wgetOption(r, "password", httpWord(val))
		}
	}
}

// wgetShort maps a short option that takes an argument to its long name;
// "" for flags.
func wgetShort(c byte) string {
	switch c {
	case 'e':
		return "execute"
	case 'i':
		return "input-file"
	case 'o', 'a', 'B', 't', 'O', 'T', 'w', 'Q', 'P', 'U', 'l', 'A', 'R', 'D', 'X', 'I':
		return string(c)
	}
	return ""
}

// wgetArgOptions are wget's long options that take an argument;
// wgetFlagOptions those that do not. Both are needed to resolve
// abbreviations the way getopt does.
const (
	wgetArgOptions = " execute output-file append-output input-file input-metalink metalink-index " +
		"preferred-location base config rejected-log tries retry-on-http-error output-document " +
		"start-pos progress timeout dns-timeout connect-timeout read-timeout wait waitretry quota " +
		"bind-address limit-rate restrict-file-names prefer-family user password use-askpass " +
		"local-encoding remote-encoding directory-prefix cut-dirs http-user http-password " +
		"default-page header compression max-redirect proxy-user proxy-password referer user-agent " +
		"load-cookies save-cookies post-data post-file method body-data body-file secure-protocol " +
		"certificate certificate-type private-key private-key-type ca-certificate ca-directory " +
		"crl-file pinnedpubkey random-file egd-file ciphers hsts-file ftp-user ftp-password " +
		"warc-file warc-header warc-max-size warc-cdx warc-dedup warc-tempdir level backups accept " +
		"reject accept-regex reject-regex regex-type domains exclude-domains follow-tags " +
		"ignore-tags include-directories exclude-directories report-speed "
	wgetFlagOptions = " version help background debug quiet verbose no-verbose keep-badhash " +
		"metalink-over-http force-html no-config retry-connrefused retry-on-host-error " +
		"no-clobber no-netrc continue show-progress timestamping no-if-modified-since " +
		"no-use-server-timestamps server-response spider random-wait no-proxy no-dns-cache " +
		"inet4-only inet6-only ask-password no-iri unlink xattr no-directories " +
		"force-directories no-host-directories protocol-directories no-cache adjust-extension " +
		"ignore-length save-headers no-http-keep-alive no-cookies keep-session-cookies " +
		"content-disposition content-on-error auth-no-challenge https-only no-check-certificate " +
		"no-hsts no-remove-listing no-glob no-passive-ftp preserve-permissions retr-symlinks " +
		"ftps-implicit ftps-resume-ssl ftps-clear-data-connection ftps-fallback-to-ftp " +
		"no-warc-compression no-warc-digests no-warc-keep-log recursive delete-after " +
		"convert-links convert-file-only backup-converted mirror page-requisites " +
		"strict-comments follow-ftp ignore-case span-hosts relative trust-server-names no-parent "
)

// wgetLongName resolves an abbreviated wget long option ("--meth") to its
// name when exactly one option starts with it.
func wgetLongName(name string) string {
	if name == "" || strings.Contains(wgetArgOptions+wgetFlagOptions, " "+name+" ") {
		return name
	}
	match := ""
	for _, opt := range strings.Fields(wgetArgOptions + wgetFlagOptions) {
		if strings.HasPrefix(opt, name) {
			if match != "" {
				return name // ambiguous: wget refuses it
			}
			match = opt
		}
	}
	if match == "" {
		return name
	}
	return match
}

// ---- httpie and xh ----

// httpie parses "http [flags] [METHOD] URL [ITEM...]" (and https, xh,
// xhs). Request items are header:value, param==value, field=value,
// field:=json, field=@file, field:=@file and field@file.
func (h *httpCheck) httpie(cmd string, args []interceptor.Word) []*httpRequest {
	if cmd == "httpie" && len(args) > 0 && (args[0].Value == "cli" || args[0].Value == "plugins") {
		return nil
	}
	r := &httpRequest{}
	var pos []interceptor.Word
	bearer, ignoreStdin, end := false, false, false
	var auth []string
	for i := 0; i < len(args); i++ {
		w := args[i]
		s := w.Value
		if end || len(s) < 2 || s[0] != '-' {
			pos = append(pos, w)
			continue
		}
		if s == "--" {
			end = true
			continue
		}
		var name string
		var v interceptor.Word
		hasV := false
		if strings.HasPrefix(s, "--") {
			n, val, eq := strings.Cut(s[2:], "=")
			name = n
			if eq {
				v, hasV = httpWord(val), true
			}
		} else {
			name = httpieShort(s[1])
			if name == "" {
				continue // a cluster of flags
			}
			if len(s) > 2 {
				v, hasV = httpWord(strings.TrimPrefix(s[2:], "=")), true
			}
		}
		switch name {
		case "offline", "curl":
			return nil // builds the request, does not send it
		case "ignore-stdin":
			ignoreStdin = true
			continue
		}
		if !strings.Contains(httpieArgOptions, " "+name+" ") {
			continue
		}
		if !hasV {
			if i+1 >= len(args) {
				continue
			}
			i++
			v = args[i]
		}
		switch name {
		case "auth":
			auth = append(auth, v.Value)
		case "auth-type":
			bearer = strings.EqualFold(v.Value, "bearer")
		case "bearer":
			h.addCred("--bearer", v.Value)
		case "raw":
			r.bodies = append(r.bodies, httpLiteral(gql.Raw, "", v))
			r.implied = "POST"
		case "unix-socket":
			r.socket = true
		case "resolve":
			r.remapped = true
		}
	}
	for _, a := range auth {
		if bearer && !strings.Contains(a, ":") {
			h.addCred("--auth", a)
			continue
		}
		h.userCred("--auth", a)
	}
	if len(pos) >= 2 && httpieMethod(pos[0]) {
		r.method, pos = pos[0], pos[1:]
	}
	if len(pos) == 0 {
		return nil
	}
	u := pos[0]
	if strings.HasPrefix(u.Value, ":") {
		// :3000/x is localhost:3000/x.
		u = httpWord("localhost" + u.Value)
	}
	r.urls = []interceptor.Word{u}
	data := false
	for _, it := range pos[1:] {
		data = h.httpieItem(r, it) || data
	}
	if !data && !ignoreStdin && h.c.Inv.Stdin != nil {
		content, ok, from := h.stdin()
		r.bodies = append(r.bodies, gql.Body{Kind: gql.Raw, Data: content, Known: ok, From: from})
		data = true
	}
	if data {
		r.implied = "POST"
	}
	return []*httpRequest{r}
}

// httpieItem handles one request item; it reports whether the item is
// part of the body.
func (h *httpCheck) httpieItem(r *httpRequest, w interceptor.Word) bool {
	key, sep, value := splitHTTPieItem(w.Value)
	switch sep {
	case ":":
		h.header(r, key+":"+value)
	case "==":
		if httpCredName(key) {
			h.addCred(key+" parameter", value)
		}
		r.bodies = append(r.bodies, httpLiteral(gql.Field, key, httpWord(value)))
	case "=":
		r.bodies = append(r.bodies, httpLiteral(gql.Field, key, httpWord(value)))
		return true
	case ":=":
		r.bodies = append(r.bodies, httpLiteral(gql.JSONField, key, httpWord(value)))
		return true
	case "=@":
		r.bodies = append(r.bodies, h.fileBody(gql.Field, key, value))
		return true
	case ":=@":
		r.bodies = append(r.bodies, h.fileBody(gql.JSONField, key, value))
		return true
	case "@":
		if key == "query" || key == "operations" {
			r.bodies = append(r.bodies, h.fileBody(gql.Field, key, value))
		}
		return true
	}
	return false
}

// splitHTTPieItem splits a request item at its separator: the earliest one
// in the item, the longest where several start at the same place, with
// backslash escapes. sep is "" when there is none.
func splitHTTPieItem(s string) (key, sep, value string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			b.WriteByte(s[i])
			continue
		}
		for _, sep := range []string{":=@", "=@", "==", ":=", "=", "@", ":", ";"} {
			if strings.HasPrefix(s[i:], sep) {
				return b.String(), sep, s[i+len(sep):]
			}
		}
		b.WriteByte(s[i])
	}
	return s, "", ""
}

// httpieMethod reports whether the first positional argument is a method:
// a known one in any case, or any upper-case word (custom methods). One
// that cannot be known counts, to be judged as unknown.
func httpieMethod(w interceptor.Word) bool {
	s := w.Value
	if w.Unknown {
		return strings.Trim(s, interceptor.UnknownMark+"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == ""
	}
	switch strings.ToUpper(s) {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT":
		return true
	}
	return s != "" && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
}

// httpieShort maps httpie's and xh's short options to long names.
func httpieShort(c byte) string {
	switch c {
	case 'a':
		return "auth"
	case 'A':
		return "auth-type"
	case 'o':
		return "output"
	case 'p':
		return "print"
	case 'P':
		return "history-print"
	case 's':
		return "style"
	case 'I':
		return "ignore-stdin"
	}
	return ""
}

// httpieArgOptions are the long options of httpie and xh that take an
// argument.
const httpieArgOptions = " auth auth-type bearer output print history-print style pretty session " +
	"session-read-only verify cert cert-key cert-key-pass ssl ciphers proxy timeout max-redirects " +
	"max-headers default-scheme boundary format-options response-charset response-mime raw " +
	"http-version resolve interface unix-socket "

// ---- gh api ----

// ghAPI parses "gh api [flags] ENDPOINT". Other gh commands belong to
// other packs.
func (h *httpCheck) ghAPI(args []interceptor.Word, forge string) []*httpRequest {
	if len(args) == 0 || args[0].Value != "api" {
		return nil
	}
	inv := h.c.Inv
	host := forge
	if v := inv.Assigns["GH_HOST"]; v != "" && forge == "github.com" {
		host = v
	}
	if v := inv.Assigns["GITLAB_HOST"]; v != "" && forge == "gitlab.com" {
		host = strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://")
	}
	for _, k := range []string{"GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"} {
		if v, ok := inv.Assigns[k]; ok {
			h.addCred(k, v)
		}
	}
	r := &httpRequest{}
	var endpoint *interceptor.Word
	end := false
	for i := 1; i < len(args); i++ {
		w := args[i]
		s := w.Value
		if end || len(s) < 2 || s[0] != '-' {
			if endpoint == nil {
				endpoint = &args[i]
			}
			continue
		}
		if s == "--" {
			end = true
			continue
		}
		var name string
		var v interceptor.Word
		hasV := false
		if strings.HasPrefix(s, "--") {
			n, val, eq := strings.Cut(s[2:], "=")
			name = n
			if eq {
				v, hasV = httpWord(val), true
			}
		} else {
			// A cluster of boolean shorthands (-i) may end in one that
			// takes a value: -iXDELETE, -X=DELETE.
			j := 1
			for j < len(s) && s[j] == 'i' {
				j++
			}
			if j >= len(s) {
				continue
			}
			name = ghShort(s[j])
			if rest := s[j+1:]; rest != "" {
				v, hasV = httpWord(strings.TrimPrefix(rest, "=")), true
			}
		}
		if !strings.Contains(ghArgOptions, " "+name+" ") {
			continue
		}
		if !hasV {
			if i+1 >= len(args) {
				continue
			}
			i++
			v = args[i]
		}
		switch name {
		case "method":
			r.method = v
		case "header":
			h.header(r, v.Value)
		case "raw-field":
			key, val, _ := strings.Cut(v.Value, "=")
			r.bodies = append(r.bodies, httpLiteral(gql.Field, key, httpWord(val)))
		case "field":
			key, val, _ := strings.Cut(v.Value, "=")
			if file, ok := strings.CutPrefix(val, "@"); ok {
				r.bodies = append(r.bodies, h.fileBody(gql.Field, key, file))
				continue
			}
			r.bodies = append(r.bodies, httpLiteral(gql.Field, key, httpWord(val)))
		case "input":
			r.bodies = append(r.bodies, h.fileBody(gql.Raw, "", v.Value))
		case "hostname":
			host = v.Value
		}
	}
	if endpoint == nil {
		return nil
	}
	if len(r.bodies) > 0 {
		// gh api sends POST once it has parameters.
		r.implied = "POST"
	}
	ep := endpoint.Value
	if strings.HasPrefix(ep, "https://") || strings.HasPrefix(ep, "http://") {
		r.urls = []interceptor.Word{*endpoint}
		r.graphql = strings.HasSuffix(strings.TrimRight(ep, "/"), "/graphql")
		return []*httpRequest{r}
	}
	ep = strings.TrimPrefix(ep, "/")
	base := "https://api.github.com/"
	switch {
	case forge == "gitlab.com":
		base = "https://" + host + "/api/v4/"
		if ep == "graphql" {
			r.graphql, r.implied = true, "POST"
			r.urls = []interceptor.Word{httpWord("https://" + host + "/api/graphql")}
			return []*httpRequest{r}
		}
	case host != "github.com" && host != "api.github.com":
		base = "https://" + host + "/api/v3/"
	}
	if ep == "graphql" {
		r.graphql = true
		r.implied = "POST"
		if base != "https://api.github.com/" {
			base = "https://" + host + "/api/"
		}
	}
	r.urls = []interceptor.Word{httpWord(base + ep)}
	return []*httpRequest{r}
}

// ghShort maps gh api's shorthands that take a value to long names.
func ghShort(c byte) string {
	switch c {
	case 'X':
		return "method"
	case 'H':
		return "header"
	case 'f':
		return "raw-field"
	case 'F':
		return "field"
	case 'p':
		return "preview"
	case 'q':
		return "jq"
	case 't':
		return "template"
	}
	return ""
}

// ghArgOptions are gh api's long options that take a value.
const ghArgOptions = " method header raw-field field input preview jq template hostname cache "

// ---- URLs ----

// httpTarget is one URL a request goes to.
type httpTarget struct {
	// display is the URL as written, credentials redacted and unknown
	// parts shown as "…", for messages.
	display string
	// host is the lower-cased host name or address; "" when it cannot be
	// known.
	host string
	// path is the path, "" when none.
	path string
	// local reports that host is this machine.
	local bool
	// web reports an http or https URL, or one without a scheme.
	web bool
	// params are the query parameters named query or operations, as body
	// fields (GraphQL over GET).
	params []gql.Body
	// secrets are credentials the URL spells out.
	secrets []urlSecret
}

// urlSecret is one credential in a URL.
type urlSecret struct{ what, value string }

// looksGraphQL reports whether the URL names a GraphQL endpoint: "graphql"
// anywhere in its host or path, or a "gql" host label or path segment.
func (t httpTarget) looksGraphQL() bool {
	hp := strings.ToLower(t.host + "/" + t.path)
	if strings.Contains(hp, "graphql") {
		return true
	}
	for _, f := range strings.FieldsFunc(hp, func(r rune) bool { return r == '.' || r == '/' || r == '-' || r == '_' }) {
		if f == "gql" {
			return true
		}
	}
	return false
}

// parseTarget reads a URL as a client would: the scheme, user:password@
// and :port are optional.
func parseTarget(w interceptor.Word) httpTarget {
	s := w.Value
	t := httpTarget{web: true}
	rest := s
	if i := strings.Index(s, "://"); i > 0 && httpValidScheme(s[:i]) {
		scheme := strings.ToLower(s[:i])
		t.web = scheme == "http" || scheme == "https" || strings.Contains(scheme, interceptor.UnknownMark)
		rest = s[i+3:]
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	hostport := authority
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		user, pass, ok := strings.Cut(authority[:at], ":")
		switch {
		case ok && pass != "":
			t.secrets = append(t.secrets, urlSecret{"password in the URL", pass})
		case ok && user != "":
			t.secrets = append(t.secrets, urlSecret{"key in the URL", user})
		}
		hostport = authority[at+1:]
	}
	t.host = httpURLHost(hostport)
	tail, _, _ = strings.Cut(tail, "#")
	path, query, _ := strings.Cut(tail, "?")
	t.path = path
	display := s
	for _, pair := range strings.Split(query, "&") {
		name, value, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		raw := value
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		switch {
		case name == "query" || name == "operations":
			t.params = append(t.params, httpLiteral(gql.Field, name, httpWord(value)))
		case httpCredName(name):
			t.secrets = append(t.secrets, urlSecret{name + " parameter", value})
			if len(raw) >= 4 {
				display = strings.Replace(display, name+"="+raw, name+"="+httpRedact(value), 1)
			}
		}
	}
	for _, sec := range t.secrets {
		if len(sec.value) >= 4 && strings.Contains(sec.what, "URL") {
			display = strings.Replace(display, sec.value+"@", httpRedact(sec.value)+"@", 1)
		}
	}
	t.display = httpShorten(httpWord(display).String())
	t.local = t.host != "" && isLocalHTTPHost(t.host)
	return t
}

// httpValidScheme reports whether s can be a URL scheme.
func httpValidScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' || c >= 0x80) {
			return false
		}
	}
	return true
}

// httpURLHost returns the lower-cased host of host[:port], "" when it cannot
// be known.
func httpURLHost(hostport string) string {
	if strings.Contains(hostport, interceptor.UnknownMark) {
		return ""
	}
	h := hostport
	if strings.HasPrefix(h, "[") {
		if i := strings.Index(h, "]"); i > 0 {
			h = h[1:i]
		}
	} else if i := strings.LastIndex(h, ":"); i >= 0 {
		h = h[:i]
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// isLocalHTTPHost reports whether host is this machine: localhost and
// *.localhost, host.docker.internal, loopback and unspecified addresses,
// including the short forms inet_aton reads ("127.1", "0").
func isLocalHTTPHost(host string) bool {
	switch host {
	case "localhost", "localhost.localdomain", "host.docker.internal", "ip6-localhost", "ip6-loopback":
		return true
	}
	if strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || ip.IsUnspecified()
	}
	if v, ok := parseInetAton(host); ok {
		return v>>24 == 127 || v == 0
	}
	return false
}

// parseInetAton parses an IPv4 address the way inet_aton does: one to four
// parts, each decimal, octal (leading 0) or hex (0x), the last filling the
// remaining bytes.
func parseInetAton(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || strings.Contains(s, "_") {
		return 0, false
	}
	var v uint64
	for i, p := range parts {
		if p == "" {
			return 0, false
		}
		n, err := strconv.ParseUint(p, 0, 32)
		if err != nil {
			return 0, false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return 0, false
			}
			v |= n << (24 - 8*uint(i))
			continue
		}
		if n >= 1<<(32-8*uint(i)) {
			return 0, false
		}
		v |= n
	}
	return uint32(v), true
}
