package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/gql"
)

// Request is one HTTP request as it goes on the wire, seen by guard's
// gateway after TLS: what a program in the agent's tree sends, whatever
// the program. CheckRequest judges it with the http pack's request model
// and rules, the ones a curl command line is judged by.
type Request struct {
	// Method is the request method as sent.
	Method string
	// Scheme is "https" or "http".
	Scheme string
	// Host is the host the request is for, with its port when not the
	// scheme's default.
	Host string
	// Target is the path and query ("/graphql/v2?x=1"), "/" when empty.
	Target string
	// Headers are the request's headers as "Name: value" lines.
	Headers []string
	// Body is the body as read.
	Body []byte
	// Partial reports a body larger than what was read: what it holds
	// past Body cannot be seen.
	Partial bool
}

// URL returns the request's URL.
func (q Request) URL() string {
	target := q.Target
	if target == "" {
		target = "/"
	}
	return q.Scheme + "://" + q.Host + target
}

// Line is the request for a human and the audit log: the method and the
// URL, with the values of its query parameters redacted (they may carry
// credentials), never the body.
func (q Request) Line() string {
	path, query, hasQuery := strings.Cut(q.Target, "?")
	if path == "" {
		path = "/"
	}
	line := q.Method + " " + q.Scheme + "://" + q.Host + path
	if hasQuery {
		var names []string
		for _, pair := range strings.Split(query, "&") {
			name, _, _ := strings.Cut(pair, "=")
			names = append(names, name+"=…")
		}
		line += "?" + strings.Join(names, "&")
	}
	return line
}

// BodyDigest is the hex SHA-256 of the body, what an approval of the
// request is bound to.
func (q Request) BodyDigest() string {
	sum := sha256.Sum256(q.Body)
	d := hex.EncodeToString(sum[:])
	if q.Partial {
		d = "partial:" + d
	}
	return d
}

// RequestResult is what judging a Request finds.
type RequestResult struct {
	// Verdict is the decision and its findings.
	Verdict Verdict
	// Platform is the shipped production platform the host belongs to,
	// "" for a host the policy names as production or one that is not.
	Platform string
	// Production reports a production host: shipped or the policy's.
	Production bool
	// Operations are the GraphQL operations the body holds, for the
	// audit log: "mutation volumeDelete", "query" and its fields' names.
	Operations []string

	plan Plan
}

// Plan is what an approval of the request is bound to: its method, host,
// target (path and query) and the digest of its body. A retry of the same
// request is the same plan; any other body is not.
func (r RequestResult) Plan() Plan { return r.plan }

// RequestPlan returns the plan of q.
func RequestPlan(q Request) Plan {
	h := newFields("guard request plan v1")
	h.add("method", strings.ToUpper(q.Method))
	h.add("host", strings.ToLower(q.Host))
	h.add("target", q.Target)
	h.add("body", q.BodyDigest())
	key := h.sum()
	show := q.Line() + " (body " + strconv.Itoa(len(q.Body)) + " bytes, sha256 " + q.BodyDigest()[:min(16, len(q.BodyDigest()))] + "…)"
	return Plan{Steps: []Step{{Show: show, Digest: key}}, Key: key}
}

// ProductionHost reports whether host (without a port) is a production
// platform's API or a host the policy names as production: the requests
// the gateway opens and judges. platform is the shipped platform's name.
func (c *Checker) ProductionHost(host string) (platform string, ok bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if isLocalHTTPHost(host) && !c.world.IsProductionHost(host) {
		return "", false
	}
	if p := platformOf(host); p != "" {
		return p, true
	}
	return "", c.world.IsProductionHost(host)
}

// CheckRequest judges one HTTP request with the http pack's rules: the
// same request model (method, URL, content types, method overrides, the
// body read as GraphQL with gqlparser) and the same production hosts as a
// curl command line, so a GraphQL query to a platform passes and any write
// there needs a human's yes. Credentials the request carries are not named
// in reasons: on the wire every authenticated request carries one.
func (c *Checker) CheckRequest(q Request) (r RequestResult) {
	line := q.Line()
	defer func() {
		if p := recover(); p != nil {
			r.Verdict = Verdict{Decision: Confirm, Findings: []Finding{{Rule: "meta.internal-error", Decision: Confirm,
				Reason: "guard failed while judging this request; a human should check it", Command: line}}}
		}
	}()
	r.plan = RequestPlan(q)
	hostOnly := httpURLHost(strings.ToLower(q.Host))
	r.Platform, r.Production = c.ProductionHost(hostOnly)
	w := new(World)
	*w = *c.world
	call := &Call{Inv: &interceptor.Invocation{Name: "http-request", Text: line}, World: w, engine: c.engine}
	h := &httpCheck{c: call, wire: true}
	req := &httpRequest{method: httpWord(q.Method), urls: []interceptor.Word{{Value: q.URL()}}}
	for _, hl := range q.Headers {
		h.header(req, hl)
	}
	if len(q.Body) > 0 || q.Partial {
		req.bodies = append(req.bodies, gql.Body{Kind: gql.Raw, Data: string(q.Body), Known: !q.Partial,
			From: "a body larger than guard reads"})
	}
	h.judge(req)
	r.Operations = requestOperations(req)
	v := Verdict{Findings: call.findings}
	for _, f := range v.Findings {
		if f.Decision > v.Decision {
			v.Decision = f.Decision
		}
	}
	r.Verdict = c.holdForConfig(v, line)
	return r
}

// requestOperations names the GraphQL operations of req's body, for the
// audit log: each mutation's top-level fields, or "query" when it only
// reads.
func requestOperations(req *httpRequest) []string {
	rawDoc := false
	for _, ct := range req.contentTypes {
		rawDoc = rawDoc || strings.Contains(ct, "graphql") && !strings.Contains(ct, "json")
	}
	res := gql.Analyse(req.bodies, rawDoc)
	var out []string
	for _, m := range res.Mutations {
		out = append(out, "mutation "+m)
	}
	if len(out) == 0 && res.ReadsOnly() {
		out = append(out, "query")
	}
	return out
}
