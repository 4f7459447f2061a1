package oneliner

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// request expresses an HTTP call a program makes (python requests and
// httpx, JavaScript fetch and axios) as the curl command that sends the
// same request, so that whoever judges shell code judges the request as
// curl would send it.
func (r *evaluator) request(act iact, name string, args []ival, kw map[string]ival, n *inode) {
	method := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 && act.op == "http" {
		method = strings.ToUpper(name[i+1:])
	}
	url, ok := iarg(args, kw, act.arg, act.kw)
	if act.op == "httpMethod" {
		m, _ := iarg(args, kw, 0, "method")
		method = strings.ToUpper(m.s)
		if !m.known() {
			method = interceptor.UnknownMark
		}
	}
	var body ival
	hasBody := false
	headers := map[string]ival{}
	switch act.op {
	case "fetch":
		// fetch(url, {method, body, headers}).
		if len(args) > 1 && args[1].kind == ivDict {
			opts := args[1].dict
			method = "GET"
			if m, ok := opts["method"]; ok {
				method = strings.ToUpper(m.s)
				if !m.known() {
					method = interceptor.UnknownMark
				}
			}
			body, hasBody = opts["body"]
			if h, ok := opts["headers"]; ok && h.kind == ivDict {
				headers = h.dict
			}
		} else if len(args) > 1 {
			method = interceptor.UnknownMark // options computed at run time
		}
	default:
		if r.code.Lang == JS {
			// axios.post(url, data, config)
			if len(args) > 1 && method != "GET" && method != "DELETE" && method != "HEAD" {
				body, hasBody = args[1], true
			}
			break
		}
		for _, k := range []string{"json", "data", "content"} {
			if v, ok := kw[k]; ok {
				body, hasBody = v, true
				if k == "json" {
					if js, ok := ijson(v); ok {
						body = istr(js)
					} else {
						body = iunknown()
					}
					headers["Content-Type"] = istr("application/json")
				}
				break
			}
		}
		if h, ok := kw["headers"]; ok && h.kind == ivDict {
			for k, v := range h.dict {
				headers[k] = v
			}
		}
	}
	if !ok {
		return
	}
	u, okU := ishellWord(url)
	if !okU {
		u = iquoteShell(interceptor.UnknownMark, false)
	}
	sh := "curl"
	if method != "" {
		sh += " -X " + iquoteShell(method, false)
	}
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := headers[k]
		val := v.s
		if v.kind != ivStr {
			val = interceptor.UnknownMark
		}
		sh += " -H " + iquoteShell(k+": "+val, false)
	}
	if hasBody {
		b := body.s
		switch {
		case body.kind == ivDict:
			if js, ok := ijson(body); ok {
				b = js
			} else {
				b = interceptor.UnknownMark
			}
		case body.kind != ivStr:
			b = interceptor.UnknownMark
		}
		sh += " --data-raw " + iquoteShell(b, false)
	}
	r.check(sh+" "+u, name)
}

// ijson renders a value as JSON, when it is known: strings, lists and
// dicts of known values (numbers, true/false/null as the evaluator keeps
// them).
func ijson(v ival) (string, bool) {
	x, ok := ijsonValue(v)
	if !ok {
		return "", false
	}
	b, err := json.Marshal(x)
	if err != nil {
		return "", false
	}
	return string(b), true
}

func ijsonValue(v ival) (any, bool) {
	switch v.kind {
	case ivStr:
		if strings.Contains(v.s, interceptor.UnknownMark) || v.home {
			return nil, false
		}
		return v.s, true
	case ivNum:
		switch v.s {
		case "true", "True":
			return true, true
		case "false", "False":
			return false, true
		case "null", "None":
			return nil, true
		}
		return json.Number(v.s), true
	case ivList:
		if v.each {
			return nil, false
		}
		out := make([]any, 0, len(v.list))
		for _, e := range v.list {
			x, ok := ijsonValue(e)
			if !ok {
				return nil, false
			}
			out = append(out, x)
		}
		return out, true
	case ivDict:
		out := make(map[string]any, len(v.dict))
		for k, e := range v.dict {
			x, ok := ijsonValue(e)
			if !ok {
				return nil, false
			}
			out[k] = x
		}
		return out, true
	}
	return nil, false
}
