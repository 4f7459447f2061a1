package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/integration"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
	"github.com/guard-dev/guard/sandbox/launch"
)

// runHook implements "guard hook AGENT": one pre-execution event on stdin,
// the agent's answer on stdout.
func runHook(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "usage: guard hook AGENT   (one of: %s)\n", strings.Join(integration.Agents(), ", "))
		return 2
	}
	return integration.HookFor(args[0], stdin, stdout, stderr, func(cwd string) integration.Checker {
		st := loadSetup(cwd, stderr)
		c, err := rules.NewChecker(st.opts)
		if err != nil {
			fmt.Fprintf(stderr, "guard: %v\n", err)
			return nil // the adapter fails closed
		}
		return auditedChecker{c: c, agent: args[0], stateDir: st.opts.Locations.StateDir, stderr: stderr}
	})
}

// auditedChecker records each hook decision in the audit log. The agent
// runs the command itself, so there is no exit status to record.
type auditedChecker struct {
	c        *rules.Checker
	agent    string
	stateDir string
	stderr   io.Writer
}

func (a auditedChecker) Check(src, cwd string, args []string) rules.Verdict {
	j := a.c.JudgeRun(src, cwd, args, nil)
	v := j.Verdict
	var ids []string
	for _, f := range v.Findings {
		ids = append(ids, f.Rule)
	}
	approval, note := "none", ""
	if v.Decision == rules.Confirm {
		approval = "hook" // the agent's own prompt asks the human
		if integration.AsksHuman(a.agent) {
			note = a.recordCall(src, cwd, j)
		}
	}
	err := sandbox.AppendAudit(a.stateDir, sandbox.Record{
		Mode:     "hook",
		Cwd:      cwd,
		Command:  sandbox.StoredCommand(src),
		Decision: v.Decision.String(),
		Rules:    ids,
		Approval: approval,
		Agent:    a.agent,
		Note:     note,
	})
	if err != nil {
		fmt.Fprintf(a.stderr, "guard: cannot write the audit log: %v\n", err)
	}
	return v
}

// recordCall records that the agent's prompt asks the human about src: a
// yes there must let the same call run once through guard's shell, when
// guard is the agent's shell too, rather than be refused there again
// (sandbox.Approvals.RecordCall). The agent runs the hook from its own
// harness; a hook run from inside what guard runs is the agent asking
// itself, and records nothing (selfApproval). It returns the note for the
// audit log.
func (a auditedChecker) recordCall(src, cwd string, j rules.Judgment) string {
	if why := selfApproval(); why != "" {
		return "no approval recorded for guard's shell: " + why
	}
	var reasons []string
	for _, f := range j.Verdict.Findings {
		if f.Decision > rules.Allow {
			reasons = append(reasons, env.Redact(f.Reason))
		}
	}
	// Only a call of the agent that asked may use it.
	agent, start, _ := sandbox.AgentProcess()
	approvals := &sandbox.Approvals{Dir: filepath.Join(a.stateDir, "approvals")}
	id, err := approvals.RecordCall(src, cwd, j.Plan(), reasons, agent, start)
	if err != nil {
		fmt.Fprintf(a.stderr, "guard: cannot record the approval for guard's shell: %v\n", err)
		return "no approval recorded for guard's shell: " + err.Error()
	}
	return "a yes in the agent's prompt lets this call run once through guard's shell (" + id + ")"
}

// selfApproval says why this process must not record approvals, "" when
// it may: it runs inside what guard runs for an agent (the kernel's mark,
// GUARD_ACTIVE in its environment, a guard or a guarded command among its
// ancestors), where the agent would be approving its own command. Where
// the kernel cannot mark, a guarded command in the same session counts
// too, as a command that detached itself leaves no other trace.
func selfApproval() string {
	if launch.Marked() {
		return "the hook runs inside a command guard runs for an agent (the kernel's mark)"
	}
	if os.Getenv(sandbox.GuardedEnv) == "1" {
		return "the hook was started by a command guard runs"
	}
	me, err := self()
	if err != nil {
		return err.Error()
	}
	if pid, desc, ok := sandbox.GuardAncestor(me); ok {
		return fmt.Sprintf("the hook runs inside a command guard runs (pid %d: %s)", pid, desc)
	}
	if !launch.Check().Available {
		if pid, desc, ok := sandbox.GuardInSession(me); ok {
			return fmt.Sprintf("the hook runs in the session of a command guard runs (pid %d: %s), and the kernel cannot mark what guard runs", pid, desc)
		}
	}
	return ""
}

// self returns guard's own executable with links resolved.
func self() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find guard's own executable: %w", err)
	}
	return filepath.EvalSymlinks(exe)
}

// runInstall implements "guard install AGENT [--dry-run]" and, with
// remove, "guard uninstall".
func runInstall(args []string, remove bool, stdout, stderr io.Writer) int {
	verb := "install"
	if remove {
		verb = "uninstall"
	}
	var agent string
	dry, bad := false, false
	for _, a := range args {
		switch {
		case a == "--dry-run" || a == "-n":
			dry = true
		case agent == "" && !strings.HasPrefix(a, "-"):
			agent = a
		default:
			bad = true
		}
	}
	if agent == "" || bad {
		fmt.Fprintf(stderr, "usage: guard %s AGENT|shell [--dry-run]   (AGENT one of: %s)\n", verb, strings.Join(integration.InstallAgents(), ", "))
		return 2
	}
	bin, err := self()
	if err != nil {
		fmt.Fprintf(stderr, "guard %s: %v\n", verb, err)
		return 1
	}
	home := rules.UserHome(os.Getenv)
	opts := integration.InstallOptions{Home: home, Binary: bin, DryRun: dry, Getenv: os.Getenv}
	switch {
	case agent == "shell" && remove:
		err = integration.UninstallShell(opts, stdout)
	case agent == "shell":
		err = integration.InstallShell(opts, stdout)
	case remove:
		err = integration.Uninstall(agent, opts, stdout)
	default:
		err = integration.Install(agent, opts, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "guard %s: %v\n", verb, err)
		return 1
	}
	return 0
}

// runDoctor implements "guard doctor".
func runDoctor(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: guard doctor")
		return 2
	}
	bin, err := self()
	if err != nil {
		fmt.Fprintf(stderr, "guard doctor: %v\n", err)
		return 1
	}
	home := rules.UserHome(os.Getenv)
	return integration.Doctor(integration.DoctorOptions{
		Home:   home,
		Binary: bin,
		Getenv: os.Getenv,
		Probe:  true,
		CheckConfig: func() error {
			cwd, _ := os.Getwd()
			opts := rules.FromProcess()
			root := rules.NewWorld(opts.Home, "", nil, nil).ProjectRoot(cwd)
			_, errs := rules.LoadPolicy(opts.Locations, root, os.Getenv)
			if len(errs) > 0 {
				var msgs []string
				for _, e := range errs {
					msgs = append(msgs, e.Error())
				}
				return fmt.Errorf("%s", strings.Join(msgs, "; "))
			}
			return nil
		},
		Mark: markStatus,
	}, stdout)
}

// markStatus describes for guard doctor how "guard approve" recognises
// the commands guard runs for an agent.
func markStatus() (bool, string) {
	p := launch.Check()
	if !p.Available {
		return false, "the kernel cannot mark what guard runs (" + p.Why + "); guard approve recognises an agent's commands only by GUARD_ACTIVE=1 in their environment, their ancestors and their terminal session, which a command that detaches itself can shed"
	}
	what := "the kernel marks every process guard runs for an agent (a seccomp filter no process can remove), and guard approve refuses inside it"
	if p.Inherited {
		what = "this process runs inside what guard runs: the kernel's mark is on it, and guard approve refuses here"
	}
	if p.NoNewPrivs {
		what += "; those processes have no_new_privs, so sudo and other setuid programs do not raise privileges in them (guard shell is not marked)"
	}
	return true, what
}
