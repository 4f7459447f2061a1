package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// End-to-end tests that an approval is bound to what the call runs, through
// the agents' own shell wrappers (testdata/harness). The command that
// needs a human is "touch" (confirmTouch), whose only effect is a file in
// the test's home.

// approvalID returns the id guard printed, failing the test if it did not
// refuse with one.
func approvalID(t *testing.T, what, errOut string, code int) string {
	t.Helper()
	m := regexp.MustCompile(`guard approve ([a-z2-7]{8})`).FindStringSubmatch(errOut)
	if code != 126 || m == nil {
		t.Fatalf("%s: want a refusal with an approval id; exit %d, stderr %q", what, code, errOut)
	}
	return m[1]
}

// approveInPty approves id as a human does, in a terminal of their own.
func approveInPty(t *testing.T, w *world, id string) string {
	t.Helper()
	screen, code := ptyRun(t, w, "y\r", "approve", id)
	if code != 0 {
		t.Fatalf("guard approve %s: exit %d, screen %q", id, code, screen)
	}
	return screen
}

// exists reports whether p exists.
func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// harnessNamed returns the fixture called name.
func harnessNamed(t *testing.T, name string) harness {
	t.Helper()
	for _, h := range loadHarnesses(t) {
		if h.name == name {
			return h
		}
	}
	t.Fatalf("no harness fixture %s", name)
	return harness{}
}

// An approval of a command with positional arguments is for those
// arguments: the same -c text with another $1 needs its own.
func TestApprovalBindsArguments(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	w := newWorld(t)
	confirmTouch(t, w, "5s")
	junk, docs := filepath.Join(w.home, "junk"), filepath.Join(w.home, "Documents")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	docs = filepath.Join(docs, "x")
	_, errOut, code := w.guard(t, "", nil, "-c", `touch "$1"`, "sh", junk)
	id := approvalID(t, "first call", errOut, code)
	list, _, _ := w.guard(t, "", nil, "approve", "--list")
	if !strings.Contains(list, "touch "+junk) {
		t.Errorf("approve --list does not show what the approval allows: %q", list)
	}
	approveInPty(t, w, id)
	_, errOut, code = w.guard(t, "", nil, "-c", `touch "$1"`, "sh", docs)
	approvalID(t, "the same text with another $1", errOut, code)
	if exists(docs) {
		t.Fatal("the approval of $1=~/junk let $1=~/Documents/x run")
	}
	if _, errOut, code = w.guard(t, "", nil, "-c", `touch "$1"`, "sh", junk); code != 0 || !exists(junk) {
		t.Fatalf("the approved call: exit %d, stderr %q", code, errOut)
	}
}

// A script approved and then rewritten needs a new approval.
func TestApprovalBindsScriptContent(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	confirmTouch(t, hw.world, "5s")
	script := filepath.Join(hw.project, "deploy.sh")
	a, b := filepath.Join(hw.home, "a"), filepath.Join(hw.home, "b")
	if err := os.WriteFile(script, []byte("touch "+a+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := hw.run(t, hw.bash, []string{"deploy.sh"}, nil)
	approveInPty(t, hw.world, approvalID(t, "bash deploy.sh", errOut, code))
	if err := os.WriteFile(script, []byte("touch "+b+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = hw.run(t, hw.bash, []string{"deploy.sh"}, nil)
	approvalID(t, "the rewritten script", errOut, code)
	if exists(b) {
		t.Fatal("the approval of deploy.sh ran it after it was rewritten")
	}
}

// Claude Code's wrapper names a fresh random file for the working
// directory in every call: the retry after "guard approve ID" runs once.
func TestApprovalThroughClaudeWrapper(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	hw.env = append(hw.env, "TMPDIR="+hw.tmp)
	confirmTouch(t, hw.world, "5s")
	made := filepath.Join(hw.home, "made")
	h := harnessNamed(t, "claude-snapshot")
	call := func(rnd string) (string, int) {
		args := h.args("touch "+made, hw.vars)
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "claude-93e6-cwd", "claude-"+rnd+"-cwd")
		}
		_, errOut, code := hw.run(t, hw.guardBash, args, nil)
		return errOut, code
	}
	errOut, code := call("93e6")
	id := approvalID(t, "first call", errOut, code)
	errOut, code = call("1a2b")
	if again := approvalID(t, "a retry before approval", errOut, code); again != id {
		t.Errorf("a retry with another cwd file got a new id %s, not %s", again, id)
	}
	approveInPty(t, hw.world, id)
	if errOut, code = call("77c0"); code != 0 || !exists(made) {
		t.Fatalf("the approved call with a new cwd file: exit %d, stderr %q", code, errOut)
	}
	os.Remove(made)
	errOut, code = call("5d5d")
	approvalID(t, "a second run", errOut, code)
	if exists(made) {
		t.Fatal("the approval was used twice")
	}
}

// Codex's snapshot wrapper ends in "exec bash -c CMD", and bash is guard
// again: one approval covers both layers of the call.
func TestApprovalCoversCodexInnerShell(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	confirmTouch(t, hw.world, "5s")
	made := filepath.Join(hw.home, "made")
	h := harnessNamed(t, "codex-snapshot")
	vars := map[string]string{"SHELL": hw.bash, "SNAPSHOT": hw.vars["CODEX_SNAPSHOT"], "TMP": hw.tmp}
	args := h.args("touch "+made, vars)
	_, errOut, code := hw.run(t, hw.bash, args, nil)
	approveInPty(t, hw.world, approvalID(t, "first call", errOut, code))
	if _, errOut, code = hw.run(t, hw.bash, args, nil); code != 0 || !exists(made) {
		log, _, _ := hw.guard(t, "", nil, "log", "--json", "-n", "0")
		t.Fatalf("the approved call: exit %d, stderr %q\n%s", code, errOut, log)
	}
	out, _, _ := hw.guard(t, "", nil, "log", "--json", "-n", "0")
	if !strings.Contains(out, `"approval":"once"`) || !strings.Contains(out, `"approval":"call"`) {
		t.Errorf("the audit log should show the outer call approved once and the inner shell inside it: %s", out)
	}
	// The token the inner shell was given is worthless outside the call.
	os.Remove(made)
	if _, errOut, code = hw.run(t, hw.bash, args, nil); code != 126 || exists(made) {
		t.Fatalf("a second call ran on the used approval: exit %d, stderr %q", code, errOut)
	}
}

// Cursor passes every command as $1 to one fixed wrapper, with its saved
// state on descriptor 3: an approval is for one command.
func TestApprovalThroughCursorWrapper(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	confirmTouch(t, hw.world, "5s")
	state := hw.realBash(t, nil, "testdata/harness/cursor-state.sh", filepath.Join(hw.home, ".bashrc"))
	a, b := filepath.Join(hw.home, "a"), filepath.Join(hw.home, "b")
	h := harnessNamed(t, "cursor")
	call := func(cmd string) (string, int) {
		fds, done := cursorFds(t, state)
		_, errOut, code := hw.run(t, hw.bash, h.args(cmd, hw.vars), fds)
		done()
		return errOut, code
	}
	errOut, code := call("touch " + a)
	approveInPty(t, hw.world, approvalID(t, "first command", errOut, code))
	errOut, code = call("touch " + b)
	approvalID(t, "another command through the same wrapper", errOut, code)
	if exists(b) {
		t.Fatal("the approval of one Cursor command let another run")
	}
	if errOut, code = call("touch " + a); code != 0 || !exists(a) {
		t.Fatalf("the approved command: exit %d, stderr %q", code, errOut)
	}
	// The audit log names the command, not only Cursor's wrapper.
	log, _, _ := hw.guard(t, "", nil, "log", "--json", "-n", "1")
	var rec struct {
		Approval string   `json:"approval"`
		Runs     []string `json:"runs"`
	}
	if err := json.Unmarshal([]byte(log), &rec); err != nil || rec.Approval != "once" || !strings.Contains(strings.Join(rec.Runs, "\n"), "touch "+a) {
		t.Errorf("the audit record of the approved Cursor call does not say what ran: %s (%v)", log, err)
	}
}

// Gemini CLI names a fresh temporary directory for its background-jobs
// file in every call: the retry after "guard approve ID" runs once.
func TestApprovalThroughGeminiWrapper(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	hw := newHarnessWorld(t)
	hw.env = append(hw.env, "TMPDIR="+hw.tmp)
	confirmTouch(t, hw.world, "5s")
	made := filepath.Join(hw.home, "made")
	h := harnessNamed(t, "gemini-bgpids")
	call := func(rnd string) (string, int) {
		if err := os.MkdirAll(filepath.Join(hw.tmp, "gemini-shell-"+rnd), 0o700); err != nil {
			t.Fatal(err)
		}
		args := h.args("touch "+made, hw.vars)
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "gemini-shell-x1", "gemini-shell-"+rnd)
		}
		_, errOut, code := hw.run(t, hw.bash, args, nil)
		return errOut, code
	}
	errOut, code := call("Ab3dE9")
	approveInPty(t, hw.world, approvalID(t, "first call", errOut, code))
	if errOut, code = call("q0WzX1"); code != 0 || !exists(made) {
		t.Fatalf("the approved call with a new temporary directory: exit %d, stderr %q", code, errOut)
	}
}
