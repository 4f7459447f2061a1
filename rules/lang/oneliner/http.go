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
	if hasBody && body.content != "" {
		// The content of a file: what curl sends with --data-binary @file.
		sh += " --data-binary " + iquoteShell("@"+body.content, false)
		hasBody = false
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

// urlopen expresses urllib's urlopen(url_or_request, data=None): a
// Request built with urllib.request.Request carries its URL, data, method
// and headers; without a method, data makes it a POST.
func (r *evaluator) urlopen(name string, args []ival, kw map[string]ival, n *inode) {
	target, ok := iarg(args, kw, 0, "url")
	if !ok {
		return
	}
	url, data, headers := target, iunknown(), ival{}
	method, hasMethod, hasData := ival{}, false, false
	if target.kind == ivDict && target.dict["__request__"].s == "urllib" {
		url = target.dict["url"]
		data, hasData = target.dict["data"]
		method, hasMethod = target.dict["method"]
		headers = target.dict["headers"]
	}
	if v, ok := iarg(args, kw, 1, "data"); ok {
		data, hasData = v, true
	}
	if hasData && data.kind == ivNum && (data.s == "None" || data.s == "null") {
		hasData = false
	}
	if hasMethod && method.kind == ivNum && method.s == "None" {
		hasMethod = false
	}
	m := "GET"
	switch {
	case hasMethod && method.kind == ivStr && method.known():
		m = strings.ToUpper(method.s)
	case hasMethod:
		m = interceptor.UnknownMark
	case hasData:
		m = "POST"
	}
	kwr := map[string]ival{}
	if hasData {
		kwr["data"] = data
	}
	if headers.kind == ivDict {
		kwr["headers"] = headers
	}
	r.request(iact{op: "httpMethod", arg: 1, kw: "url"}, name, []ival{istr(m), url}, kwr, n)
}

// netHTTP expresses a request of a Ruby Net::HTTP session
// (Net::HTTP.new(host, port).delete(path)): args[0] is the session, then
// the path and, for the methods that send one, the body.
func (r *evaluator) netHTTP(name string, args []ival, n *inode) {
	if len(args) < 2 {
		return
	}
	sess := args[0].dict
	host := sess["__nethttp__"]
	scheme := "http://"
	if p, ok := sess["port"]; ok && p.s == "443" {
		scheme = "https://"
	}
	if v, ok := sess["use_ssl"]; ok && v.s == "true" {
		scheme = "https://"
	}
	url := iconcat(iconcat(istr(scheme), host), args[1])
	if p, ok := sess["port"]; ok && p.s != "443" && p.s != "80" {
		url = iconcat(iconcat(iconcat(iconcat(istr(scheme), host), istr(":")), p), args[1])
	}
	kw := map[string]ival{}
	if len(args) > 2 {
		kw["data"] = args[2]
	}
	r.request(iact{op: "httpMethod", arg: 1, kw: "url"}, name, []ival{istr(strings.ToUpper(name)), url}, kw, n)
}

// netHTTPClass expresses Net::HTTP.get(uri) and Net::HTTP.post(uri, data).
func (r *evaluator) netHTTPClass(name string, args []ival, n *inode) {
	if len(args) == 0 {
		return
	}
	m := "GET"
	kw := map[string]ival{}
	if strings.HasPrefix(name, "Net.HTTP.post") {
		m = "POST"
		if len(args) > 1 {
			kw["data"] = args[1]
		}
	}
	r.request(iact{op: "httpMethod", arg: 1, kw: "url"}, name, []ival{istr(m), args[0]}, kw, n)
}

// boto3 expresses a call of a boto3 client (boto3.client('rds')
// .delete_db_instance(DBInstanceIdentifier='prod')) as the aws CLI command
// that makes the same API call (aws rds delete-db-instance
// --db-instance-identifier prod), for whoever judges the aws CLI. S3's API
// operations are the CLI's s3api. Reads (get_, list_, describe_, head_)
// are left alone.
func (r *evaluator) boto3(method string, args []ival, kw map[string]ival) {
	if len(args) == 0 {
		return
	}
	svc := args[0].dict["__boto3__"].s
	for _, p := range []string{"get_", "list_", "describe_", "head_", "generate_", "can_paginate", "get_paginator", "get_waiter", "close"} {
		if strings.HasPrefix(method, p) {
			return
		}
	}
	if svc == "s3" {
		svc = "s3api"
	}
	sh := "aws " + iquoteShell(svc, false) + " " + iquoteShell(strings.ReplaceAll(method, "_", "-"), false)
	keys := make([]string, 0, len(kw))
	for k := range kw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := kw[k]
		opt := "--" + kebab(k)
		switch {
		case v.kind == ivNum && (v.s == "True" || v.s == "true"):
			sh += " " + opt
		case v.kind == ivNum && (v.s == "False" || v.s == "false"):
			sh += " --no-" + kebab(k)
		case v.kind == ivNum && v.s != "":
			sh += " " + opt + " " + iquoteShell(v.s, false)
		case v.kind == ivList:
			sh += " " + opt
			for _, e := range v.list {
				w, _ := ishellWord(e)
				sh += " " + w
			}
		case v.kind == ivDict:
			js, ok := ijson(v)
			if !ok {
				js = interceptor.UnknownMark
			}
			sh += " " + opt + " " + iquoteShell(js, false)
		default:
			w, ok := ishellWord(v)
			if !ok {
				w = iquoteShell(interceptor.UnknownMark, false)
			}
			sh += " " + opt + " " + w
		}
	}
	r.check(sh, "boto3 "+method)
}

// kebab turns an AWS API parameter name into the CLI's option name:
// DBInstanceIdentifier -> db-instance-identifier, Bucket -> bucket.
func kebab(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, c := range rs {
		upper := c >= 'A' && c <= 'Z'
		if upper && i > 0 {
			prevLower := rs[i-1] >= 'a' && rs[i-1] <= 'z' || rs[i-1] >= '0' && rs[i-1] <= '9'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			if prevLower || nextLower && rs[i-1] >= 'A' && rs[i-1] <= 'Z' {
				b.WriteByte('-')
			}
		}
		if upper {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}
