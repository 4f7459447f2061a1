package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// Judging is the gateway's judge: the checker guard judges commands with
// (the http pack's rules and the policy's production hosts) and the gate
// that records each decision in the audit log and turns a confirm into an
// approval request (mode "gateway"), bound to the request's method, host,
// target and body (rules.RequestPlan).
type Judging struct {
	// Checker judges the requests; it is used under mu, as a Checker
	// serves one goroutine at a time.
	Checker *rules.Checker
	// Gate admits them. Its OpenTTY must fail: the agent owns the
	// terminal, so a confirm is always an approval request.
	Gate *sandbox.Gate
	// Cwd is the directory the agent was started in, for the audit log.
	Cwd string

	mu sync.Mutex
}

// NewJudging returns the judge for guard g (sandbox.Load), recording in
// g's state directory.
func NewJudging(g *sandbox.Guard) *Judging {
	gate := &sandbox.Gate{
		Mode:     "gateway",
		StateDir: g.Locations.StateDir,
		Env:      g.Env,
		Kept:     []string{},
		OpenTTY:  func() (*os.File, error) { return nil, errors.New("the agent owns the terminal") },
	}
	return &Judging{Checker: g.Checker, Gate: gate, Cwd: g.Cwd}
}

// Intercept reports whether host is a production host, whose requests are
// opened and judged.
func (j *Judging) Intercept(host string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, ok := j.Checker.ProductionHost(host)
	return ok
}

// Judge judges q, sent by the program from describes, records the
// decision in the audit log, and returns nil when q may go to its host (it
// only reads, or a human approved it with guard approve), else the 403 to
// answer with. The sender is named for a request that needs a human (what
// only reads is audited without it); it is told, never bound: the approval
// is for the request, whichever program sends it again.
func (j *Judging) Judge(q rules.Request, from func() string) *Refusal {
	j.mu.Lock()
	res := j.Checker.CheckRequest(q)
	j.mu.Unlock()
	source := q.Line()
	if len(res.Operations) > 0 {
		source += " (GraphQL " + strings.Join(res.Operations, ", ") + ")"
	}
	if res.Verdict.Decision != rules.Allow && from != nil {
		if who := from(); who != "" {
			source += ", sent by " + who
		}
	}
	var msgs bytes.Buffer
	gate := *j.Gate
	gate.Stderr = &msgs
	c := sandbox.Command{Source: source, Cwd: j.Cwd, Plan: res.Plan, Verdict: res.Verdict}
	if res.Verdict.Decision != rules.Allow {
		c.Details = []string{"it sends: " + bodyShown(q.Body)}
	}
	ad := gate.Admit(context.Background(), c, nil)
	if ad.Run {
		return nil
	}
	return refusal(q, res, ad, source)
}

// refusal is the 403 for a request guard stopped: a JSON body whose
// message a person (or the agent) reads, with the guard approve line, in
// the shape GraphQL clients show ({"errors": [{"message": …}]}) and with
// guard's fields beside it.
func refusal(q rules.Request, res rules.RequestResult, ad sandbox.Admission, source string) *Refusal {
	why := reasons(res.Verdict)
	var msg, approve string
	switch {
	case res.Verdict.Decision == rules.Deny:
		msg = "guard: blocked: " + why + ". Denied by guard's policy; it cannot be approved. Do not try another way to do the same thing: tell your human what you wanted to do and why."
	case ad.Request != "":
		approve = "guard approve " + ad.Request
		msg = "guard: blocked: " + why + ". This needs a human's approval: ask your human to run `" + approve + "` in their own terminal, then send the same request again (within 2 minutes of the approval)."
	default:
		msg = "guard: blocked: " + why + ". A human must approve it, but guard cannot record the request."
	}
	body := map[string]any{
		"errors": []map[string]any{{"message": msg}},
		"guard": map[string]any{
			"blocked":  env.Redact(source),
			"decision": res.Verdict.Decision.String(),
			"reasons":  reasonList(res.Verdict),
			"approve":  approve,
			"id":       ad.Request,
		},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
	return &Refusal{Status: http.StatusForbidden, Body: b.Bytes(), Approve: approve}
}

// reasons joins the reasons of the findings that stop the request, on one
// line, secrets redacted.
func reasons(v rules.Verdict) string {
	return strings.Join(reasonList(v), "; ")
}

// reasonList lists them.
func reasonList(v rules.Verdict) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range v.Findings {
		if f.Decision == rules.Allow || seen[f.Reason] {
			continue
		}
		seen[f.Reason] = true
		out = append(out, display.Line(env.Redact(f.Reason)))
	}
	return out
}

// maxShownBody bounds what the human is shown of a body.
const maxShownBody = 600

// bodyShown is a body for the human who approves, on one line: a GraphQL
// request's document and variables, other text as it is, cut at
// maxShownBody; binary content by its size.
func bodyShown(body []byte) string {
	if len(body) == 0 {
		return "no body"
	}
	shown := string(body)
	var gq struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables"`
	}
	if json.Unmarshal(body, &gq) == nil && gq.Query != "" {
		shown = strings.Join(strings.Fields(gq.Query), " ")
		if v := strings.TrimSpace(string(gq.Variables)); v != "" && v != "null" && v != "{}" {
			shown += " with variables " + v
		}
	} else if !utf8.Valid(body) || strings.ContainsRune(shown, 0) {
		return strconv.Itoa(len(body)) + " bytes that are not text"
	}
	shown = display.Line(shown)
	if r := []rune(shown); len(r) > maxShownBody {
		shown = string(r[:maxShownBody]) + "… (" + strconv.Itoa(len(body)) + " bytes)"
	}
	return shown
}
