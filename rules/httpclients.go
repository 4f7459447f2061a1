package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/gql"
)

// This file holds the HTTP clients that share curl's and httpie's request
// model without their whole option tables (lwp-request, grpcurl), and the
// requests that delete though their method does not say so: POST deletes
// (_delete_by_query, Algolia's clear), a null written over Firebase data,
// Sanity's delete mutations, and the Docker daemon's socket.

// httpMethodWord reports whether w is an HTTP method written as httpie's
// first operand ("DELETE", "post").
func httpMethodWord(w string) bool {
	switch strings.ToUpper(w) {
	case "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "PURGE":
		return w == strings.ToUpper(w)
	}
	return false
}

// lwpRequest reads lwp-request [-m METHOD] [-c TYPE] URL…: a POST or PUT
// sends stdin.
func (h *httpCheck) lwpRequest(args []interceptor.Word) []*httpRequest {
	r := &httpRequest{}
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-m" && i+1 < len(args):
			i++
			r.method = args[i]
		case v == "-c" && i+1 < len(args):
			i++
			r.contentTypes = append(r.contentTypes, strings.ToLower(args[i].Value))
		case v == "-H" && i+1 < len(args):
			i++
			h.header(r, args[i].Value)
		case v == "-C" && i+1 < len(args):
			i++
			h.userCred("-C", args[i].Value)
		case v == "-p" || v == "-P" || v == "-t" || v == "-i" || v == "-o":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			r.urls = append(r.urls, args[i])
		}
	}
	if m, known := r.sent(); known && (m == "POST" || m == "PUT") {
		if data, ok, from := h.stdin(); ok {
			r.bodies = append(r.bodies, gql.Body{Kind: gql.Raw, Data: data, Known: true, From: "stdin"})
		} else {
			r.bodies = append(r.bodies, gql.Body{Kind: gql.Raw, From: from})
		}
	}
	return []*httpRequest{r}
}

// grpcurl judges grpcurl [OPTS] HOST[:PORT] SERVICE/METHOD: a method whose
// name deletes, destroys or drops something, on a host that is not this
// machine, and any method but a read on a production platform.
func (h *httpCheck) grpcurl(args []interceptor.Word) {
	valued := " -d -H -rpc-header -reflect-header -proto -import-path -protoset -cert -key -cacert -servername -authority -user-agent -max-time -connect-timeout -keepalive-time -max-msg-sz -format "
	var ops []interceptor.Word
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if strings.HasPrefix(v, "-") {
			name, _, eq := strings.Cut(v, "=")
			if !eq && strings.Contains(valued, " "+name+" ") {
				i++
			}
			continue
		}
		ops = append(ops, args[i])
	}
	if len(ops) < 2 || ops[0].Value == "list" || ops[0].Value == "describe" {
		return
	}
	host, _, _ := strings.Cut(ops[0].Value, ":")
	method := ops[len(ops)-1].Value
	if ops[0].Unknown || host == "" || method == "list" || method == "describe" {
		return
	}
	t := httpTarget{host: strings.ToLower(host)}
	if ip := parseTarget(interceptor.Word{Value: "http://" + host}); ip.local {
		t.local = true
	}
	if t.local || h.c.World.IsLocalHost(t.host) {
		return
	}
	name := method
	if i := strings.LastIndexAny(name, "/."); i >= 0 {
		name = name[i+1:]
	}
	if _, ok := gql.DestructiveVerb(name); ok {
		h.report("http.delete", "calls the gRPC method "+method+", which deletes, on "+t.host)
		return
	}
	if platformOf(t.host) != "" || h.c.World.IsProductionHost(t.host) {
		for _, read := range []string{"Get", "List", "Watch", "Search", "Describe", "Read", "Lookup", "Check", "Query"} {
			if strings.HasPrefix(name, read) {
				return
			}
		}
		h.report("http.production-write", "calls the gRPC method "+method+" on the production host "+t.host)
	}
}

// postDelete reports a request that deletes though its method is POST,
// PUT or PATCH: Elasticsearch and OpenSearch _delete_by_query, Algolia's
// clear and deleteByQuery, Jenkins' doDelete, a null written over
// Firebase data, a Sanity mutation holding a delete.
func postDelete(method, path string, bodies []gql.Body) bool {
	p := strings.ToLower(strings.TrimSuffix(path, "/"))
	last := p
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		last = p[i+1:]
	}
	switch method {
	case "POST":
		switch last {
		case "_delete_by_query", "dodelete", "deletebyquery":
			return true
		case "clear":
			return strings.Contains(p, "/indexes/")
		}
		if strings.Contains(p, "/data/mutate/") {
			for _, b := range bodies {
				if b.Known && strings.Contains(b.Data, `"delete"`) {
					return true
				}
			}
		}
	case "PUT", "PATCH":
		if strings.HasSuffix(p, ".json") {
			for _, b := range bodies {
				if b.Known && strings.TrimSpace(b.Data) == "null" {
					return true
				}
			}
		}
	}
	return false
}

// dockerSocket reports whether a unix socket is a container engine's API.
func dockerSocket(p string) bool {
	return strings.HasSuffix(p, "/docker.sock") || strings.HasSuffix(p, "/podman.sock")
}

// judgeDockerSocket judges a request to the Docker (or Podman) daemon's API
// through its socket: what docker volume rm, docker rm -f, docker system
// prune would be asked about is asked about here too.
func (h *httpCheck) judgeDockerSocket(r *httpRequest, method string, targets []httpTarget) {
	for _, t := range targets {
		p := strings.ToLower(t.path)
		// Drop a version prefix: /v1.43/volumes/x.
		if strings.HasPrefix(p, "/v1.") {
			if i := strings.IndexByte(p[1:], '/'); i >= 0 {
				p = p[1+i:]
			}
		}
		p = "/" + strings.TrimPrefix(p, "/")
		switch {
		case method == "DELETE" && (strings.HasPrefix(p, "/volumes/") || strings.HasPrefix(p, "/containers/") ||
			strings.HasPrefix(p, "/images/") || strings.HasPrefix(p, "/networks/") || strings.HasPrefix(p, "/secrets/")):
			h.report("http.delete", "deletes "+strings.TrimPrefix(p, "/")+" through the container engine's socket "+r.socketPath+", as docker rm would")
		case method == "POST" && strings.HasSuffix(strings.SplitN(p, "?", 2)[0], "/prune"):
			h.report("http.delete", "prunes "+strings.TrimPrefix(strings.SplitN(p, "?", 2)[0], "/")+" through the container engine's socket "+r.socketPath+", as docker system prune would")
		}
	}
}
