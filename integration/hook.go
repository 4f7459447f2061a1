package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"

	"mvdan.cc/sh/v3/syntax"
)

// Checker judges one shell command as it would run. *rules.Checker
// implements it; tests inject their own.
type Checker interface {
	Check(rules.Command) rules.Result
}

// maxHookInput bounds what Hook reads from the agent. An event larger than
// this is refused (and the command blocked) rather than read without end.
const maxHookInput = 8 << 20

// Hook implements "guard hook AGENT": it reads one pre-execution event from
// stdin, judges the shell command it carries with check, writes the answer
// in agent's protocol to stdout and stderr, and returns the exit status the
// process must end with.
//
// The command is analysed in the working directory the event names (falling
// back to the process's own). An event for a tool that is not a shell command
// gets the protocol's "no opinion" answer. An event that cannot be read —
// not JSON, no command, over the size limit — is answered in the form that
// blocks the command in that protocol: guard never lets a command through
// because it could not understand the question. A nil check, or one that
// panics, counts as an internal failure, which is a confirm verdict (a human
// decides), as everywhere in guard.
//
// An unknown agent name exits 2 with a message on stderr, which blocks in
// every protocol that reads exit codes.
func Hook(agent string, stdin io.Reader, stdout, stderr io.Writer, check Checker) int {
	return HookFor(agent, stdin, stdout, stderr, func(string) Checker { return check })
}

// HookFor is Hook with the checker chosen for the working directory the
// event names (already resolved to an absolute path): guard's policy
// depends on the project the command runs in (.guard.toml at its git
// root), and only the event says which project that is. checkerFor
// returning nil counts as an internal failure, like a nil Checker.
func HookFor(agent string, stdin io.Reader, stdout, stderr io.Writer, checkerFor func(cwd string) Checker) int {
	a, ok := adapterFor(agent)
	if !ok {
		fmt.Fprintf(stderr, "guard hook: %v; blocking the command\n", unknownAgent(agent))
		return 2
	}
	r := respond(&a.hook, stdin, checkerFor)
	if r.stdout != nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.stdout); err == nil {
			stdout.Write(b.Bytes())
		}
	}
	if r.stderr != "" {
		io.WriteString(stderr, r.stderr+"\n")
	}
	return r.exit
}

// respond computes the reply to one event.
func respond(p *protocol, stdin io.Reader, checkerFor func(cwd string) Checker) reply {
	raw, err := readEvent(stdin)
	if err != nil {
		return p.invalid(invalidText(err.Error()))
	}
	c, err := p.parse(raw)
	if err != nil {
		return p.invalid(invalidText(err.Error()))
	}
	if c == nil {
		return p.pass()
	}
	cwd := analysisCwd(c.cwd)
	var check Checker
	if checkerFor != nil {
		check = checkerFor(cwd)
	}
	v := judge(check, c.command, cwd)
	switch v.Decision {
	case rules.Allow:
		return p.allow()
	case rules.Confirm:
		return p.confirm(explain(v, c.command))
	}
	return p.deny(explain(v, c.command))
}

// readEvent reads one JSON value from the agent. It stops at the end of
// that value rather than at the end of the input, so an agent that keeps
// the pipe open does not leave guard waiting (and the command running when
// the agent gives up on the hook).
func readEvent(stdin io.Reader) (json.RawMessage, error) {
	counted := &countingReader{r: io.LimitReader(stdin, maxHookInput+1)}
	dec := json.NewDecoder(counted)
	var raw json.RawMessage
	err := dec.Decode(&raw)
	switch {
	case counted.n > maxHookInput:
		return nil, fmt.Errorf("the hook input is larger than 8 MiB")
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("the hook input is empty")
	case err != nil:
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("the hook input is not valid JSON: %v", err)
		}
		return nil, fmt.Errorf("the hook input could not be read: %v", err)
	}
	return raw, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// call is the shell command an event asks about.
type call struct {
	command string
	// cwd is where the command will run, as the event says; empty when it
	// does not say.
	cwd string
}

// reply is a protocol's answer: a JSON value for stdout (nil writes
// nothing), a line for stderr (empty writes nothing) and the exit status.
type reply struct {
	stdout any
	stderr string
	exit   int
}

// judge runs the checker, turning a missing or failing checker into a
// confirm verdict: an internal failure never becomes a silent allow.
func judge(check Checker, src, cwd string) (v rules.Verdict) {
	failed := func(why string) rules.Verdict {
		return rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{{
			Rule: "meta.internal-error", Decision: rules.Confirm, Reason: why, Command: src,
		}}}
	}
	if check == nil {
		return failed("guard could not load its rules, so a human has to look at this command")
	}
	defer func() {
		if r := recover(); r != nil {
			v = failed(fmt.Sprintf("guard failed while checking this command (%v); a human has to look at it", r))
		}
	}()
	return check.Check(rules.Command{Source: src, Cwd: cwd}).Verdict
}

// analysisCwd resolves the working directory an event names against the
// process's own; with none named, the process's own is the answer. Hooks
// are started in the agent's working directory, so that is the best
// remaining guess. Should even that be unknown, "/" is used: the strictest
// place to resolve relative paths against.
func analysisCwd(named string) string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "/"
	}
	if named == "" {
		return wd
	}
	if !filepath.IsAbs(named) {
		named = filepath.Join(wd, named)
	}
	return filepath.Clean(named)
}

// explanation is what a verdict says, in the words each audience needs.
type explanation struct {
	// reasons lists the findings of the verdict's decision, redacted.
	reasons string
}

// maxReasons bounds how many findings a message lists.
const maxReasons = 5

// explain gathers the reasons of the findings that made the verdict, in
// order, without repeats, with literal secrets masked by env.Redact, the
// one redactor every output of guard uses (the model reads this text), and
// control characters shown escaped (the agent shows them in its own prompt).
func explain(v rules.Verdict, src string) explanation {
	var parts []string
	seen := map[string]bool{}
	more := 0
	for _, f := range v.Findings {
		if f.Decision != v.Decision {
			continue
		}
		part := f.Reason
		if part == "" {
			part = "rule " + f.Rule + " fired"
		} else if f.Rule != "" {
			part += " (" + f.Rule + ")"
		}
		if f.Command != "" && strings.TrimSpace(f.Command) != strings.TrimSpace(src) {
			part += " in: " + f.Command
		}
		part = display.Line(env.Redact(part)) // the agent shows it to the human
		if seen[part] {
			continue
		}
		seen[part] = true
		if len(parts) == maxReasons {
			more++
			continue
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		parts = append(parts, "no reason was recorded")
	}
	s := strings.Join(parts, "; ")
	if more > 0 {
		s += fmt.Sprintf("; and %d more", more)
	}
	return explanation{reasons: s}
}

// Texts of the answers. They are written for who reads them: the model
// (which must stop and tell its human) or the human (who decides).

// denyText tells the model that the command was refused for good.
func (e explanation) denyText() string {
	return "guard blocked this command: " + e.reasons +
		". Do not try another way to do the same thing; tell your human what you wanted to do and why."
}

// humanDenyText tells the human what guard refused.
func (e explanation) humanDenyText() string {
	return "guard blocked this command: " + e.reasons
}

// askText is shown to the human in the agent's own approval prompt.
func (e explanation) askText() string {
	return "guard: this command needs your approval: " + e.reasons
}

// askAgentText tells the model that its human was asked.
func (e explanation) askAgentText() string {
	return "guard asked your human to approve this command: " + e.reasons
}

// confirmText tells the model, where the protocol has no way to ask the
// human, that the command needs a human and what to do about it.
func (e explanation) confirmText() string {
	return "guard stopped this command because a human has to approve it first: " + e.reasons +
		". This agent cannot show an approval prompt for it, so it did not run, and `guard approve` does not apply to commands checked through this hook." +
		" Do not try another way to do the same thing; tell your human what you wanted to run and why. If they agree, they can run it themselves."
}

// humanConfirmText tells the human why the command was held back.
func (e explanation) humanConfirmText() string {
	return "guard held back this command until a human approves it (run it yourself if you agree): " + e.reasons
}

// invalidText says that an event could not be understood, for both
// audiences.
func invalidText(problem string) string {
	return "guard could not check this command (" + env.Redact(problem) + "), so it is blocked. Run `guard doctor` to find the cause."
}

// payload is a decoded JSON object whose fields are read on demand.
type payload map[string]json.RawMessage

// parsePayload decodes raw, which must be one JSON object.
func parsePayload(raw []byte) (payload, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("the hook input is JSON but not an object")
	}
	var p payload
	if err := json.Unmarshal(trimmed, &p); err != nil {
		return nil, fmt.Errorf("the hook input is not valid JSON: %v", err)
	}
	return p, nil
}

// shellTool reads the tool call of a pre-tool-use event: ok is false when
// the tool is not one isShell names (the event is not guard's to judge);
// else in is its tool_input and cmd its tool_input.command.
func (p payload) shellTool(isShell func(tool string) bool) (in payload, cmd string, ok bool, err error) {
	tool, err := p.required("tool_name", "the event has no tool_name")
	if err != nil || !isShell(tool) {
		return nil, "", false, err
	}
	if in, err = p.requiredObj("tool_input", "the "+tool+" event has no tool_input"); err != nil {
		return nil, "", false, err
	}
	if cmd, err = in.command("command", "tool_input.command"); err != nil {
		return nil, "", false, err
	}
	return in, cmd, true, nil
}

// has says whether key is present and not null.
func (p payload) has(key string) bool {
	v, ok := p[key]
	return ok && string(v) != "null"
}

// str returns the string at key; ok is false when it is absent or null. A
// value of another type is an error.
func (p payload) str(key string) (s string, ok bool, err error) {
	if !p.has(key) {
		return "", false, nil
	}
	if err := json.Unmarshal(p[key], &s); err != nil {
		return "", false, fmt.Errorf("%q is not a string", key)
	}
	return s, true, nil
}

// obj returns the object at key; ok is false when it is absent or null.
func (p payload) obj(key string) (payload, bool, error) {
	if !p.has(key) {
		return nil, false, nil
	}
	var o payload
	if err := json.Unmarshal(p[key], &o); err != nil {
		return nil, false, fmt.Errorf("%q is not an object", key)
	}
	return o, true, nil
}

// required returns the string at key; absent or null is the error
// missing.
func (p payload) required(key, missing string) (string, error) {
	s, ok, err := p.str(key)
	if err == nil && !ok {
		err = errors.New(missing)
	}
	return s, err
}

// requiredObj returns the object at key; absent or null is the error
// missing.
func (p payload) requiredObj(key, missing string) (payload, error) {
	o, ok, err := p.obj(key)
	if err == nil && !ok {
		err = errors.New(missing)
	}
	return o, err
}

// other reports whether the string at key is present and is not want: an
// event of another kind, which the hook leaves alone.
func (p payload) other(key, want string) (bool, error) {
	s, ok, err := p.str(key)
	return ok && s != want, err
}

// firstStr returns the first string of the array at key, or "".
func (p payload) firstStr(key string) string {
	var list []string
	if p.has(key) && json.Unmarshal(p[key], &list) == nil && len(list) > 0 {
		return list[0]
	}
	return ""
}

// command returns the shell command at key: a string, or an argument list
// that is quoted back into one. Absent, empty or of another type is an
// error: there is nothing to judge.
func (p payload) command(key, where string) (string, error) {
	if !p.has(key) {
		return "", fmt.Errorf("the event has no %s", where)
	}
	var s string
	if err := json.Unmarshal(p[key], &s); err != nil {
		var argv []string
		if err := json.Unmarshal(p[key], &argv); err != nil {
			return "", fmt.Errorf("%s is neither a string nor a list of strings", where)
		}
		s = joinArgv(argv)
	}
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%s is empty", where)
	}
	return s, nil
}

// joinArgv quotes an argument list into one shell command for the analysis
// (syntax.Quote for bash). An argument holding a NUL, which no word can,
// is left as it is: the analysis reports the NUL.
func joinArgv(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		w, err := syntax.Quote(a, syntax.LangBash)
		if err != nil {
			w = a
		}
		q[i] = w
	}
	return strings.Join(q, " ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting: the hook
// command line an agent runs through sh. Not syntax.Quote, which writes
// non-printable bytes as bash's $'…' (or refuses them for POSIX), while
// single quotes carry every byte but NUL to sh as it is.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("_-./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
