package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// heldID runs cmdline without a terminal and returns the approval id guard
// printed, failing the test when there is none.
func heldID(t *testing.T, w *world, cmdline string) (id, stderr string) {
	t.Helper()
	_, errOut, code := w.guard(t, "", nil, "-c", cmdline)
	m := regexp.MustCompile(`guard approve ([a-z2-7]{8})`).FindStringSubmatch(errOut)
	if code != 126 || m == nil {
		t.Fatalf("%q without a terminal: exit %d, stderr %q; want an approval id", cmdline, code, errOut)
	}
	return m[1], errOut
}

// TestHeldCommandShownAsItRuns: a held command that hides itself with
// terminal escapes ("\x1b[2K\r" erases the line, then "npm test" is drawn)
// is shown escaped everywhere a human reads it: the approval list, the
// approval prompt, the audit log and guard check. The approval still binds
// to the exact command.
func TestHeldCommandShownAsItRuns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	confirmTouch(t, w, "5s")
	made := filepath.Join(w.home, "made")
	cmdline := "touch " + made + " # \x1b[2K\rnpm test\u202e"
	const shown = `# \x1b[2K\rnpm test\u202e`
	id, errOut := heldID(t, w, cmdline)
	if strings.ContainsAny(errOut, "\x1b\r") {
		t.Errorf("the blocked message holds raw control characters: %q", errOut)
	}

	out, _, code := w.guard(t, "", nil, "approve", "--list")
	if code != 0 || !strings.Contains(out, shown) || strings.ContainsAny(out, "\x1b\r\u202e") {
		t.Errorf("approve --list shows the command raw or not at all (exit %d): %q", code, out)
	}

	screen, code := ptyRun(t, w, "y\r", "approve", id)
	if code != 0 || !strings.Contains(screen, shown) || strings.Contains(screen, "\x1b[2K") || strings.Contains(screen, "\u202e") {
		t.Fatalf("approve: exit %d; the prompt must show the command escaped: %q", code, screen)
	}
	if _, errOut, code := w.guard(t, "", nil, "-c", cmdline); code != 0 {
		t.Fatalf("the approved command: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(made); err != nil {
		t.Fatal("the approved command did not run")
	}

	out, _, _ = w.guard(t, "", nil, "log", "-n", "0")
	if !strings.Contains(out, shown) || strings.ContainsAny(out, "\x1b\r\u202e") {
		t.Errorf("guard log shows the command raw: %q", out)
	}
	out, _, _ = w.guard(t, "", nil, "check", cmdline)
	if !strings.Contains(out, shown) || strings.ContainsAny(out, "\x1b\r\u202e") {
		t.Errorf("guard check shows the command raw: %q", out)
	}
}

// TestForgedApprovalRefused: an approval file written by a shell command
// (not by guard) does not let the command run, and guard says why.
func TestForgedApprovalRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	confirmTouch(t, w, "5s")
	made := filepath.Join(w.home, "made")
	cmdline := "touch " + made
	id, _ := heldID(t, w, cmdline)
	path := filepath.Join(w.home, ".local", "state", "guard", "approvals", id+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	p["approved"] = time.Now().Format(time.RFC3339Nano)
	data, _ = json.Marshal(p)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := w.guard(t, "", nil, "-c", cmdline)
	if code != 126 || !strings.Contains(errOut, "not signed by guard") {
		t.Errorf("with a forged approval: exit %d, stderr %q; want refused, and the forgery named", code, errOut)
	}
	if _, err := os.Stat(made); err == nil {
		t.Fatal("a forged approval ran the command")
	}
	out, _, _ := w.guard(t, "", nil, "log", "--json", "-n", "1")
	if !strings.Contains(out, `"note":"ignored approval files guard did not write: `+id+`.json"`) {
		t.Errorf("the audit record does not name the forged approval: %s", out)
	}
	out, errOut, _ = w.guard(t, "", nil, "approve", "--list")
	if strings.Contains(out, id) || !strings.Contains(errOut, "not signed by guard") {
		t.Errorf("approve --list: stdout %q, stderr %q; want the forged file left out and reported", out, errOut)
	}
}

// TestFIFOInStateDoesNotHang: a FIFO in place of an approval, the audit log
// or the signing key makes guard refuse that file, not wait forever on it.
func TestFIFOInStateDoesNotHang(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	state := filepath.Join(w.home, ".local", "state", "guard")
	if err := os.MkdirAll(filepath.Join(state, "approvals"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(state, "approvals", "abcdefgh.json"), filepath.Join(state, "audit.jsonl")} {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := w.guard(t, "", nil, "approve", "--list")
	if code != 0 || !strings.Contains(out, "nothing is waiting") || !strings.Contains(errOut, "is a FIFO") {
		t.Errorf("approve --list with a FIFO: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, errOut, code = w.guard(t, "", nil, "log")
	if code != 1 || !strings.Contains(errOut, "is a FIFO") {
		t.Errorf("guard log with a FIFO: exit %d, stderr %q", code, errOut)
	}
	out, errOut, code = w.guard(t, "", nil, "-c", "echo hi")
	if code != 0 || out != "hi\n" || !strings.Contains(errOut, "cannot write the audit log") {
		t.Errorf("a command with a FIFO as the audit log: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
