package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
)

// Exit statuses guard uses for itself in the execution modes.
const (
	// ExitBlocked is returned when guard refused to run the command.
	ExitBlocked = 126
)

// Gate is where a judged command meets the human: allowed commands pass,
// commands that need approval are asked about on the terminal (or get a
// one-time approval id when there is none), denied ones are refused. Every
// decision is written to the audit log.
type Gate struct {
	// Mode names the execution mode in the audit log: shell, run, session.
	Mode string
	// StateDir holds the audit log and the approvals.
	StateDir string
	// Timeout bounds the wait for an answer at the prompt.
	Timeout time.Duration
	// Env says which variables the command may see.
	Env env.Policy
	// Kept, when not nil, is the environ Admit is given already filtered
	// by Env (the caller filtered it for the analysis); Admit then does
	// not filter it again.
	Kept []string
	// Stderr receives guard's one-line messages.
	Stderr io.Writer
	// OpenTTY opens the controlling terminal; nil opens /dev/tty.
	OpenTTY func() (*os.File, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// CallPID, when not 0, is the process that will run an admitted
	// command (guard's own, which replaces itself with the real shell): a
	// command a human approved then gets a call token bound to it
	// (MintCall), and the token guard was given (CallToken) is honoured
	// and passed on. 0 gives and honours none: in guard shell, one
	// process runs every command of the session.
	CallPID int
	// CallToken is CallEnv from guard's own environment: the token of an
	// approved call this guard runs inside.
	CallToken string
}

// Command is one command to admit.
type Command struct {
	// Source is the command as given (the -c string, the joined argv), as
	// shown and logged.
	Source string
	// Plan, when not nil, returns what the command will run
	// (rules.Result.Plan), which approvals are bound to; nil binds them
	// to Source, Cwd and Args (rules.TextPlan). It is called only for a
	// command that needs a human.
	Plan func() rules.Plan
	// Cwd is the directory it runs in.
	Cwd string
	// Launches are the commands it runs (rules.Result.Launches), for
	// environment grants scoped to programs.
	Launches []rules.Launch
	// Verdict is the analysis result.
	Verdict rules.Verdict
	// Details are more lines for the human who approves (what a request
	// the gateway stopped sends), shown with the reasons and kept in the
	// approval request only, never in the audit log.
	Details []string
}

// Admission is the outcome of Admit.
type Admission struct {
	// Run reports whether the command may run.
	Run bool
	// Env is the environment to run it with, when Run.
	Env []string
	// Code is the exit status to use when not Run.
	Code int
	// Approval says how it was approved: none, tty (at the prompt), once
	// (guard approve ID), hook (in the agent's own prompt), call (inside
	// a call a human approved).
	Approval string
	// Request is the id of the approval request recorded for a command
	// that needs a human (guard approve ID), "" when none was.
	Request string
}

func (g *Gate) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// Admit decides whether c runs and records the decision. environ is the
// environment guard itself received.
func (g *Gate) Admit(ctx context.Context, c Command, environ []string) Admission {
	shown := env.Redact(c.Source)
	var plan rules.Plan
	if c.Verdict.Decision == rules.Confirm {
		plan = c.plan() // what an approval is bound to
	}
	ad, note := g.decide(ctx, c, plan, shown)
	rec := Record{
		Time:     g.now(),
		Mode:     g.Mode,
		Cwd:      c.Cwd,
		Command:  StoredCommand(c.Source),
		Decision: c.Verdict.Decision.String(),
		Rules:    ruleIDs(c.Verdict),
		Approval: ad.Approval,
		Note:     note,
	}
	if c.Verdict.Decision == rules.Confirm {
		rec.Runs = allows(plan, c.Cwd)
	}
	if !ad.Run {
		code := ad.Code
		rec.Exit = &code
	}
	if err := writeAudit(g.StateDir, rec, os.Getenv(AuditRelayEnv)); err != nil {
		fmt.Fprintf(g.Stderr, "guard: cannot write the audit log: %v\n", err)
	}
	if ad.Run {
		kept := slices.Clip(g.Kept) // appended to below: never in place
		if kept == nil {
			kept, _ = env.Filter(environ, g.Env)
		}
		ad.Env = append(append(withoutVar(kept, CallEnv), g.granted(environ, c.Launches)...), GuardedEnv+"=1")
		if tok := g.callToken(ad, plan); tok != "" {
			ad.Env = append(ad.Env, CallEnv+"="+tok)
		}
	}
	return ad
}

// callToken is the call token the admitted command gets: a new one when a
// human approved it just now, the one guard was given when it runs inside
// an approved call, "" otherwise.
func (g *Gate) callToken(ad Admission, plan rules.Plan) string {
	if g.CallPID == 0 {
		return ""
	}
	switch ad.Approval {
	case "tty", "once", "hook":
		tok, _ := MintCall(g.StateDir, g.CallPID, plan)
		return tok
	}
	return g.CallToken
}

// plan returns c's plan.
func (c Command) plan() rules.Plan {
	if c.Plan != nil {
		return c.Plan()
	}
	return rules.TextPlan(c.Source, c.Cwd, nil, nil)
}

// withoutVar returns environ without name, in a new slice.
func withoutVar(environ []string, name string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// granted returns the variables granted to the command line. The shell
// runs the whole line with one environment, so a grant applies only when
// every program the line starts is one it names (or a builtin that runs
// nothing), each found where the agent cannot have put it; see grantRefusal.
// A grant that does not apply to a line that runs a command it names says
// why on stderr, so that the user knows why the variable is missing.
func (g *Gate) granted(environ []string, launches []rules.Launch) []string {
	var out []string
	var progs [][]rules.Program // resolved on first need
	for _, gr := range g.Env.Grants {
		vars := env.Granted(environ, g.Env, gr)
		if len(vars) == 0 {
			continue
		}
		if progs == nil {
			progs = make([][]rules.Program, len(launches))
			for i, l := range launches {
				progs[i] = l.Programs()
			}
		}
		why, aimed := grantRefusal(gr, launches, progs)
		if why == "" {
			for _, kv := range vars {
				if !slices.Contains(out, kv) { // two grants of one variable
					out = append(out, kv)
				}
			}
			continue
		}
		if aimed {
			fmt.Fprintf(g.Stderr, "guard: %s not given to this command: %s\n", varNames(vars), why)
		}
	}
	return out
}

// grantRefusal says why gr does not apply to the line's launches (progs
// holds their resolved Execs), "" when it does, and whether the line runs
// a command gr names, so that a refusal is worth telling.
func grantRefusal(gr env.Grant, launches []rules.Launch, progs [][]rules.Program) (why string, aimed bool) {
	for i := range launches {
		if n := len(progs[i]); n > 0 {
			last := progs[i][n-1]
			aimed = aimed || gr.NamesCommand(baseName(last.Name)) || gr.NamesPath(last.Path) || gr.NamesPath(last.Real)
		}
	}
	if len(launches) == 0 {
		return "it runs no command", aimed
	}
	for i, l := range launches {
		if why := launchRefusal(gr, l, progs[i]); why != "" {
			return why, aimed
		}
	}
	return "", aimed
}

// launchRefusal says why gr cannot reach one command of the line, "" when
// it can.
func launchRefusal(gr env.Grant, l rules.Launch, progs []rules.Program) string {
	switch {
	case l.Unknown != "":
		return "the line runs a command guard cannot know (" + l.Unknown + "), which would see it too"
	case len(progs) == 0:
		return "guard cannot tell which file " + l.Name + " runs, and it would see it too"
	}
	last := len(progs) - 1
	if progs[last].Builtin {
		if inert(l.Name) {
			return ""
		}
		return "the line also runs the shell builtin " + l.Name + ", which can pass it on"
	}
	for _, p := range progs[:last] {
		if p.Builtin {
			continue // command, exec, builtin
		}
		if !grantWrapper(baseName(p.Name)) {
			return l.Name + " runs through " + p.Name + ", which would see it too"
		}
		if why := programRefusal(gr, p, false); why != "" {
			return why
		}
	}
	p := progs[last]
	if !gr.NamesPath(p.Path) && !gr.NamesPath(p.Real) && !gr.NamesCommand(baseName(p.Name)) {
		return "the line also runs " + p.Name + ", which would see it too"
	}
	return programRefusal(gr, p, true)
}

// programRefusal says why gr cannot reach the file p runs, "" when it can:
// the user named the file exactly, or it was found where the agent cannot
// have put it. For a command gr names, the message says which line of the
// config would vouch for the file, unless it lies where the agent works.
func programRefusal(gr env.Grant, p rules.Program, named bool) string {
	switch {
	case p.Missing != "":
		return p.Name + ": " + p.Missing
	case p.PathRisk != "":
		return p.Name + ": " + p.PathRisk
	case gr.NamesPath(p.Path) || gr.NamesPath(p.Real):
		return ""
	case p.Untrusted == "":
		return ""
	}
	why := p.Path
	if p.Name != p.Path {
		why = p.Name + " is " + p.Path
	}
	if p.Real != p.Path {
		why += " (" + p.Real + ")"
	}
	why += ", which the agent could have put there or changed (" + p.Untrusted + ")"
	if named && !p.AgentPlace {
		where := ""
		if gr.Origin != "" {
			where = " (" + gr.Origin + ")"
		}
		why += fmt.Sprintf(". If it is the real %s, add paths = [%q] to the [[env.grant]] for %s%s", baseName(p.Name), p.Path, gr.Name, where)
	}
	return why
}

// grantWrapper reports the wrappers a granted variable may pass through:
// they run the command and do nothing with the environment. Others can
// show it (strace -v, sudo's logs) or run it elsewhere.
func grantWrapper(name string) bool {
	switch name {
	case "env", "nice", "nohup", "timeout", "stdbuf", "ionice", "chrt", "taskset", "time", "setsid", "flock":
		return true
	}
	return false
}

// varNames lists the names of KEY=VALUE entries, never the values.
func varNames(kvs []string) string {
	names := make([]string, len(kvs))
	for i, kv := range kvs {
		names[i], _, _ = strings.Cut(kv, "=")
	}
	return strings.Join(names, ", ")
}

// baseName returns the part of a command path after its last slash.
func baseName(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// inert reports whether a command is a shell builtin that runs no program
// and so cannot pass a granted variable on.
func inert(name string) bool {
	switch name {
	case "cd", "echo", "printf", "true", "false", ":", "test", "[", "pwd", "set", "export", "shift", "exit":
		return true
	}
	return false
}

// decide settles c, whose plan (for a confirm) approvals are matched
// against: a call token of the approved call guard runs inside, then an
// approval recorded for the plan (guard approve ID, or a yes in the
// agent's prompt), then the terminal; failing all, a request with an id.
// note, for the audit log, says how it was approved and names the approval
// files that were ignored because guard did not write them (an agent
// forging its own approval), which are also reported on stderr.
func (g *Gate) decide(ctx context.Context, c Command, plan rules.Plan, shown string) (ad Admission, note string) {
	v := c.Verdict
	switch v.Decision {
	case rules.Allow:
		return Admission{Run: true, Approval: "none"}, ""
	case rules.Deny:
		fmt.Fprintf(g.Stderr, "guard: blocked: %s. Denied by guard's policy; it cannot be approved. Do not try another way to do the same thing: tell your human what you wanted to do and why, and let them do it themselves.\n", reasons(v, rules.Deny))
		return Admission{Code: ExitBlocked, Approval: "none"}, ""
	}
	var ignored []string
	seen := map[string]bool{} // Consume and Request both scan the store
	approvals := &Approvals{Dir: filepath.Join(g.StateDir, "approvals"), Now: g.Now, Rejected: func(path string, err error) {
		if seen[path] {
			return
		}
		seen[path] = true
		fmt.Fprintf(g.Stderr, "guard: %s\n", display.Line(err.Error()))
		if errors.Is(err, ErrForged) {
			ignored = append(ignored, filepath.Base(path))
		}
	}}
	if g.CallPID != 0 {
		ok, why := AcceptCall(g.StateDir, g.CallToken, plan)
		if ok {
			return Admission{Run: true, Approval: "call"}, "inside a call a human approved"
		}
		if why != "" {
			note = "call token refused: " + why
		}
	}
	used, consumed := approvals.Consume(plan)
	if len(ignored) > 0 {
		note = joinNote(note, "ignored approval files guard did not write: "+strings.Join(ignored, ", "))
	}
	if consumed {
		if used.Kind == KindCall {
			return Admission{Run: true, Approval: "hook"}, joinNote(note, "approved in the agent's prompt ("+used.ID+")")
		}
		return Admission{Run: true, Approval: "once"}, joinNote(note, "approved with guard approve "+used.ID)
	}
	open := g.OpenTTY
	if open == nil {
		open = func() (*os.File, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
	}
	if tty, err := open(); err == nil {
		defer tty.Close()
		ok, err := Prompt(ctx, tty, PromptRequest{
			Command:  shown,
			Findings: redactFindings(v.Findings),
			Timeout:  g.Timeout,
			Color:    UseColor(tty),
		})
		if ok {
			return Admission{Run: true, Approval: "tty"}, note
		}
		if !errors.Is(err, ErrNotForeground) {
			why := "you answered no"
			switch {
			case errors.Is(err, ErrTimeout):
				why = "no answer in time"
			case errors.Is(err, ErrInterrupted):
				why = "interrupted"
			case err != nil:
				why = err.Error()
			}
			fmt.Fprintf(g.Stderr, "guard: blocked: not approved (%s): %s\n", why, reasons(v, rules.Confirm))
			return Admission{Code: ExitBlocked, Approval: "none"}, note
		}
		// A background job cannot ask: fall through to a one-time approval.
	}
	id, err := approvals.Request(c.Source, c.Cwd, plan, append(reasonList(v), redactAll(c.Details)...))
	if err != nil {
		fmt.Fprintf(g.Stderr, "guard: blocked: %s. A human must approve it, but guard cannot record the request (%v).\n", reasons(v, rules.Confirm), err)
		return Admission{Code: ExitBlocked, Approval: "none"}, note
	}
	fmt.Fprintf(g.Stderr, "guard: blocked: %s. This needs a human's approval: ask your human to run `guard approve %s` in their own terminal, then run the same command again (within 2 minutes of the approval).\n", reasons(v, rules.Confirm), id)
	return Admission{Code: ExitBlocked, Approval: "none", Request: id}, note
}

// joinNote joins two notes for the audit log.
func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// redactFindings returns findings with the secrets in their reasons and
// commands masked, for the prompt: what a human sees on the terminal can
// be read back by whatever shares it.
func redactFindings(fs []rules.Finding) []rules.Finding {
	out := make([]rules.Finding, len(fs))
	for i, f := range fs {
		f.Reason, f.Command = env.Redact(f.Reason), env.Redact(f.Command)
		out[i] = f
	}
	return out
}

// reasons joins the reasons of the findings at level d or stricter, for a
// message on one line.
func reasons(v rules.Verdict, d rules.Decision) string {
	var out []string
	seen := map[string]bool{}
	for _, f := range v.Findings {
		if f.Decision < d || seen[f.Reason] {
			continue
		}
		seen[f.Reason] = true
		out = append(out, display.Line(env.Redact(f.Reason)))
	}
	return strings.Join(out, "; ")
}

// redactAll returns the lines with their secrets masked.
func redactAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = env.Redact(l)
	}
	return out
}

func reasonList(v rules.Verdict) []string {
	var out []string
	for _, f := range v.Findings {
		if f.Decision > rules.Allow {
			out = append(out, env.Redact(f.Reason))
		}
	}
	return out
}

func ruleIDs(v rules.Verdict) []string {
	var out []string
	for _, f := range v.Findings {
		out = append(out, f.Rule)
	}
	return out
}
