package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// claudeEvent is Claude Code's PreToolUse event for a Bash command.
func claudeEvent(t *testing.T, cmd, cwd string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"session_id": "s1", "hook_event_name": "PreToolUse", "cwd": cwd,
		"tool_name": "Bash", "tool_input": map[string]any{"command": cmd},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// With both of Claude Code's routes, a yes in Claude's own dialog lets that
// call run once through guard's shell; a hook the agent runs itself, from
// inside what guard runs, records nothing.
func TestHookYesRunsOnceThroughShell(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	hw.env = append(hw.env, "TMPDIR="+hw.tmp)
	confirmTouch(t, hw.world, "5s")
	made := filepath.Join(hw.home, "made")
	h := harnessNamed(t, "claude-snapshot")
	cmd := "touch " + made
	shell := func() (string, int) {
		_, errOut, code := hw.run(t, hw.guardBash, h.args(cmd, hw.vars), nil)
		return errOut, code
	}

	// The agent runs the hook itself, hidden from the analysis, from inside
	// guard's shell: the hook answers, but records no approval.
	event := filepath.Join(hw.home, "event.json")
	if err := os.WriteFile(event, []byte(claudeEvent(t, cmd, hw.project)), 0o644); err != nil {
		t.Fatal(err)
	}
	sneak := filepath.Join(hw.home, "sneak.sh")
	if err := os.WriteFile(sneak, unreadScript(guardBinary(t)+" hook claude < "+event), 0o755); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := hw.guard(t, "", nil, "-c", "awk 'BEGIN { exit system(\""+sneak+"\") }'")
	if code != 0 || !strings.Contains(out, `"ask"`) {
		t.Fatalf("the hook from inside guard's shell did not run: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, code := shell(); code != 126 || exists(made) {
		t.Fatalf("a hook run from inside guard's shell minted an approval: exit %d", code)
	}
	log, _, _ := hw.guard(t, "", nil, "log", "--json", "-n", "0")
	if !strings.Contains(log, "no approval recorded for guard's shell") {
		t.Errorf("the audit log does not say why the hook recorded nothing: %s", log)
	}

	// Claude Code runs the hook from its harness: it asks, and the human's
	// yes lets the call run once.
	out, errOut, code = hw.guard(t, claudeEvent(t, cmd, hw.project), nil, "hook", "claude")
	if code != 0 || !strings.Contains(out, `"ask"`) {
		t.Fatalf("hook: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	list, _, _ := hw.guard(t, "", nil, "approve", "--list")
	if !strings.Contains(list, "agent's prompt") || !strings.Contains(list, cmd) {
		t.Errorf("approve --list does not show the hook's approval: %q", list)
	}
	if errOut, code := shell(); code != 0 || !exists(made) {
		t.Fatalf("the call Claude's human approved: exit %d, stderr %q", code, errOut)
	}
	os.Remove(made)
	if _, code := shell(); code != 126 || exists(made) {
		t.Fatalf("the hook's approval was used twice: exit %d", code)
	}
	// An approval for one command does not let another run.
	if _, _, code = hw.guard(t, claudeEvent(t, cmd, hw.project), nil, "hook", "claude"); code != 0 {
		t.Fatal("hook failed")
	}
	other := filepath.Join(hw.home, "other")
	if _, _, code := hw.run(t, hw.guardBash, h.args("touch "+other, hw.vars), nil); code != 126 || exists(other) {
		t.Fatalf("the hook's approval of one command let another run: exit %d", code)
	}
}

// Cursor asks in its own prompt too: the yes lets the command run once
// through its fixed wrapper, with the saved state on descriptor 3.
func TestCursorHookYesRunsThroughShell(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	confirmTouch(t, hw.world, "5s")
	state := hw.realBash(t, nil, "testdata/harness/cursor-state.sh", filepath.Join(hw.home, ".bashrc"))
	made := filepath.Join(hw.home, "made")
	cmd := "touch " + made
	h := harnessNamed(t, "cursor")
	call := func() int {
		fds, done := cursorFds(t, state)
		_, _, code := hw.run(t, hw.bash, h.args(cmd, hw.vars), fds)
		done()
		return code
	}
	ev, err := json.Marshal(map[string]any{"hook_event_name": "beforeShellExecution", "command": cmd, "cwd": hw.project})
	if err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := hw.guard(t, string(ev), nil, "hook", "cursor"); code != 0 || !strings.Contains(out, `"ask"`) {
		t.Fatalf("hook: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code := call(); code != 0 || !exists(made) {
		t.Fatalf("the command Cursor's human approved: exit %d", code)
	}
	os.Remove(made)
	if code := call(); code != 126 || exists(made) {
		t.Fatalf("the approval was used twice: exit %d", code)
	}
}
