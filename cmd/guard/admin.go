package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
	"github.com/guard-dev/guard/sandbox/launch"
)

// runApprove implements "guard approve ID" and "guard approve --list". Only
// a human in their own terminal may approve: guard refuses inside what
// guard runs (the kernel's mark, launch.Marked; where the kernel has none,
// GUARD_ACTIVE in its environment, its ancestors and its session) and
// without a controlling terminal.
func runApprove(args []string, stdout, stderr io.Writer) int {
	opts := rules.FromProcess()
	approvals := &sandbox.Approvals{Dir: filepath.Join(opts.Locations.StateDir, "approvals"), Rejected: func(path string, err error) {
		fmt.Fprintf(stderr, "guard approve: %s\n", display.Line(err.Error()))
	}}
	if len(args) == 1 && args[0] == "--list" {
		list, err := approvals.List()
		if err != nil {
			fmt.Fprintf(stderr, "guard approve: %v\n", err)
			return 1
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "nothing is waiting for approval")
		}
		for _, p := range list {
			printApproval(stdout, p)
		}
		return 0
	}
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: guard approve ID   or   guard approve --list")
		return 2
	}
	if launch.Marked() {
		fmt.Fprintln(stderr, "guard approve: refused: it runs inside a command guard is running (the kernel marks every process guard starts for an agent, however it detaches); guard approve must be run by a human in their own terminal")
		return 126
	}
	if !sandbox.HasTTY() {
		fmt.Fprintln(stderr, "guard approve: no terminal; a human must run `guard approve ID` in their own terminal")
		return 126
	}
	me, err := sandbox.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "guard approve: %v\n", err)
		return 1
	}
	if os.Getenv(sandbox.GuardedEnv) == "1" {
		fmt.Fprintln(stderr, "guard approve: refused: it was started by a command guard is running; a human must approve in their own terminal")
		return 126
	}
	if pid, desc, ok := sandbox.GuardAncestor(me); ok {
		fmt.Fprintf(stderr, "guard approve: refused: it runs inside a command guard is running (pid %d: %s); a human must approve in their own terminal\n", pid, desc)
		return 126
	}
	if pid, desc, ok := sandbox.GuardInSession(me); ok {
		fmt.Fprintf(stderr, "guard approve: refused: it runs in the same terminal session as a command guard is running (pid %d: %s); a human must approve in their own terminal\n", pid, desc)
		return 126
	}
	p, err := approvals.Get(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "guard approve: %s\n", display.Line(err.Error()))
		return 1
	}
	if !p.Approved.IsZero() {
		fmt.Fprintf(stdout, "%s is already approved; the same call may run once until %s\n", p.ID, p.Expires().Format("15:04:05"))
		return 0
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(stderr, "guard approve: cannot open the terminal: %v\n", err)
		return 126
	}
	defer tty.Close()
	var findings []rules.Finding
	for _, r := range p.Reasons {
		findings = append(findings, rules.Finding{Decision: rules.Confirm, Reason: env.Redact(r), Rule: "in " + p.Cwd}) // Prompt escapes both
	}
	if len(p.Allows) > 0 {
		// What the yes lets run, read from guard's analysis of the call.
		fmt.Fprintln(tty, "guard approve: the call it approves runs, once:")
		for _, a := range p.Allows {
			fmt.Fprintf(tty, "  %s\n", display.Line(a))
		}
	}
	cwd, _ := os.Getwd()
	g, _ := load(cwd, sandbox.ModePolicy, stderr) // never fails in ModePolicy
	timeout := g.Policy.ApprovalTimeout
	ok, err := sandbox.Prompt(context.Background(), tty, sandbox.PromptRequest{
		Command:  p.Command, // stored redacted; Prompt escapes it
		Findings: findings,
		Timeout:  timeout,
		Color:    sandbox.UseColor(tty),
	})
	if !ok {
		why := "not approved"
		if err != nil {
			why += ": " + err.Error()
		}
		fmt.Fprintln(stderr, "guard approve: "+why)
		return 1
	}
	if err := approvals.Approve(p.ID); err != nil {
		fmt.Fprintf(stderr, "guard approve: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "approved: the same call may run once in %s within %d minutes, if what it runs has not changed\n", display.Line(p.Cwd), int(sandbox.ApprovalTTL.Minutes()))
	return 0
}

// printApproval lists one approval for a human: its id, state, command and
// directory, the reasons it needed a human, and what it will let run.
func printApproval(w io.Writer, p sandbox.Pending) {
	state := "pending"
	switch {
	case p.Kind == sandbox.KindCall:
		state = "asked in the agent's prompt"
	case !p.Approved.IsZero():
		state = "approved"
	}
	fmt.Fprintf(w, "%s  %s  %s  in %s  (until %s)\n", p.ID, state, display.Line(p.Command), display.Line(p.Cwd), p.Expires().Local().Format("15:04:05"))
	for _, r := range p.Reasons {
		fmt.Fprintf(w, "            - %s\n", display.Line(env.Redact(r)))
	}
	if len(p.Allows) > 0 {
		fmt.Fprintln(w, "            it allows, once:")
		for _, a := range p.Allows {
			fmt.Fprintf(w, "              %s\n", display.Line(a))
		}
	}
}

// runLog implements "guard log [-n N] [--decision D] [--since DUR] [--json]".
func runLog(args []string, stdout, stderr io.Writer) int {
	q := sandbox.AuditQuery{N: 50}
	asJSON := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() (string, bool) {
			if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "--") {
				return v, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch name, _, _ := strings.Cut(a, "="); name {
		case "--json":
			asJSON = true
		case "-n":
			v, ok := val()
			n, err := strconv.Atoi(v)
			if !ok || err != nil || n < 0 {
				fmt.Fprintln(stderr, "guard log: -n needs a number of records (0 for all)")
				return 2
			}
			q.N = n
		case "--decision":
			v, _ := val()
			if _, err := rules.ParseDecision(v); err != nil {
				fmt.Fprintf(stderr, "guard log: %v\n", err)
				return 2
			}
			q.Decision = v
		case "--since":
			v, _ := val()
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				fmt.Fprintln(stderr, "guard log: --since needs a duration such as 30m, 1h or 24h")
				return 2
			}
			q.Since = d
		default:
			fmt.Fprintln(stderr, "usage: guard log [-n N] [--decision allow|confirm|deny] [--since 1h] [--json]")
			return 2
		}
	}
	recs, err := sandbox.ReadAudit(rules.FromProcess().Locations.StateDir, q)
	var corrupt *sandbox.CorruptLinesError
	if errors.As(err, &corrupt) {
		fmt.Fprintf(stderr, "guard log: %v\n", err)
	} else if err != nil {
		fmt.Fprintf(stderr, "guard log: %v\n", err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range recs {
			enc.Encode(r)
		}
		return 0
	}
	sandbox.FormatAudit(stdout, recs, stdout == io.Writer(os.Stdout) && sandbox.UseColor(os.Stdout))
	return 0
}
