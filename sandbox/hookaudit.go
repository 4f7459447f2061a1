package sandbox

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/launch"
)

// HookChecker judges the commands of an agent's hook (guard hook AGENT)
// with a guard loaded in ModeHook and records each decision in the audit
// log. The agent runs the command itself, so there is no exit status to
// record.
type HookChecker struct {
	Guard *Guard
	// Agent is the agent's name, as the audit log records it.
	Agent string
	// AsksHuman reports that the agent's hook protocol turns confirm into
	// the agent's own approval prompt: a yes there is recorded, so that
	// the same call runs once through guard's shell (recordCall).
	AsksHuman bool
	// Stderr receives guard's messages.
	Stderr io.Writer
}

// Check judges cmd and records the decision.
func (h HookChecker) Check(cmd rules.Command) rules.Result {
	r := h.Guard.Checker.Check(cmd)
	v := r.Verdict
	var ids []string
	for _, f := range v.Findings {
		ids = append(ids, f.Rule)
	}
	approval, note := "none", ""
	if v.Decision == rules.Confirm {
		approval = "hook" // the agent's own prompt asks the human
		if h.AsksHuman {
			note = h.recordCall(cmd, r)
		}
	}
	err := AppendAudit(h.Guard.Locations.StateDir, Record{
		Mode:     string(ModeHook),
		Cwd:      cmd.Cwd,
		Command:  StoredCommand(cmd.Source),
		Decision: v.Decision.String(),
		Rules:    ids,
		Approval: approval,
		Agent:    h.Agent,
		Note:     note,
	})
	if err != nil {
		fmt.Fprintf(h.Stderr, "guard: cannot write the audit log: %v\n", err)
	}
	return r
}

// recordCall records that the agent's prompt asks the human about cmd: a
// yes there must let the same call run once through guard's shell, when
// guard is the agent's shell too, rather than be refused there again
// (Approvals.RecordCall). The agent runs the hook from its own harness; a
// hook run from inside what guard runs is the agent asking itself, and
// records nothing (selfApproval). It returns the note for the audit log.
func (h HookChecker) recordCall(cmd rules.Command, r rules.Result) string {
	if why := selfApproval(); why != "" {
		return "no approval recorded for guard's shell: " + why
	}
	var reasons []string
	for _, f := range r.Verdict.Findings {
		if f.Decision > rules.Allow {
			reasons = append(reasons, env.Redact(f.Reason))
		}
	}
	// Only a call of the agent that asked may use it.
	agent, start, _ := AgentProcess()
	approvals := &Approvals{Dir: filepath.Join(h.Guard.Locations.StateDir, "approvals")}
	id, err := approvals.RecordCall(cmd.Source, cmd.Cwd, r.Plan(), reasons, agent, start)
	if err != nil {
		fmt.Fprintf(h.Stderr, "guard: cannot record the approval for guard's shell: %v\n", err)
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
	if os.Getenv(GuardedEnv) == "1" {
		return "the hook was started by a command guard runs"
	}
	me, err := Executable()
	if err != nil {
		return err.Error()
	}
	if pid, desc, ok := GuardAncestor(me); ok {
		return fmt.Sprintf("the hook runs inside a command guard runs (pid %d: %s)", pid, desc)
	}
	if !launch.Check().Available {
		if pid, desc, ok := GuardInSession(me); ok {
			return fmt.Sprintf("the hook runs in the session of a command guard runs (pid %d: %s), and the kernel cannot mark what guard runs", pid, desc)
		}
	}
	return ""
}

// Executable returns guard's own executable with links resolved.
func Executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find guard's own executable: %w", err)
	}
	return filepath.EvalSymlinks(exe)
}

// MarkStatus describes for guard doctor how "guard approve" recognises the
// commands guard runs for an agent, and whether the kernel can mark them.
func MarkStatus() (bool, string) {
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
