package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// confirmTouch writes a user config in which "touch" needs approval: a
// confirm whose only effect is a file inside the test's own home.
func confirmTouch(t *testing.T, w *world, timeout string) {
	t.Helper()
	dir := filepath.Join(w.home, ".config", "guard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "[approval]\ntimeout = \"" + timeout + "\"\n\n[[rule]]\nid = \"custom.touch\"\nmatch = [\"touch\"]\ndecision = \"confirm\"\nreason = \"creates a file (test rule)\"\n"
	if err := os.WriteFile(filepath.Join(dir, "guard.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ptyRun runs guard with a pty as its controlling terminal and its stdio,
// types answer once the prompt shows, and returns what the terminal showed
// and the exit status.
func ptyRun(t *testing.T, w *world, answer string, args ...string) (string, int) {
	t.Helper()
	return ptyRunArgv(t, w, answer, append([]string{guardBinary(t)}, args...))
}

// ptyRunArgv is ptyRun for any command line: guard started by a wrapper.
func ptyRunArgv(t *testing.T, w *world, answer string, argv []string) (string, int) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = w.project
	cmd.Env = w.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: w.cred}
	f, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var mu sync.Mutex
	var screen bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for answer != "" && time.Now().Before(deadline) {
		mu.Lock()
		shown := strings.Contains(screen.String(), "[y/N]")
		mu.Unlock()
		if shown {
			io.WriteString(f, answer)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = exitStatus(ee)
	}
	f.Close()
	<-done
	mu.Lock()
	defer mu.Unlock()
	return screen.String(), code
}

func TestPromptThroughPty(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, answer string
		runs         bool
	}{
		{"yes", "y\r", true},
		{"full yes", "yes\r", true},
		{"no", "n\r", false},
		{"enter", "\r", false},
		{"ctrl-c", "\x03", false},
		{"timeout", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			confirmTouch(t, w, "500ms")
			made := filepath.Join(w.home, "made")
			screen, code := ptyRun(t, w, c.answer, "-c", "touch "+made)
			if !strings.Contains(screen, "creates a file (test rule)") || !strings.Contains(screen, "Run it? [y/N]") {
				t.Errorf("the prompt did not show the reason: %q", screen)
			}
			_, err := os.Stat(made)
			if ran := err == nil; ran != c.runs || (c.runs && code != 0) || (!c.runs && code != 126) {
				t.Errorf("answer %q: ran=%v exit %d, want ran=%v; screen %q", c.answer, ran, code, c.runs, screen)
			}
		})
	}
}

func TestApproveFlow(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	w := newWorld(t)
	confirmTouch(t, w, "5s")
	made := filepath.Join(w.home, "approved")
	cmdline := "touch " + made
	// No terminal: refused with an id.
	_, errOut, code := w.guard(t, "", nil, "-c", cmdline)
	m := regexp.MustCompile(`guard approve ([a-z2-7]{8})`).FindStringSubmatch(errOut)
	if code != 126 || m == nil {
		t.Fatalf("without a terminal: exit %d, stderr %q", code, errOut)
	}
	id := m[1]
	// The agent cannot approve: no terminal, and the self rule.
	_, errOut, code = w.guard(t, "", nil, "approve", id)
	if code != 126 || !strings.Contains(errOut, "no terminal") {
		t.Errorf("approve without a terminal: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = w.guard(t, "", nil, "-c", "guard approve "+id)
	if code != 126 || !strings.Contains(errOut, "guard: blocked:") {
		t.Errorf("approve through guard: exit %d, stderr %q", code, errOut)
	}
	// Hidden from the analysis (a script too large for it to read, as a
	// compiled program is) and run with a terminal: guard approve sees it
	// runs inside a guarded command.
	script := filepath.Join(w.home, "sneak.sh")
	if err := os.WriteFile(script, unreadScript(guardBinary(t)+" approve "+id), 0o755); err != nil {
		t.Fatal(err)
	}
	screen, _ := ptyRun(t, w, "", "-c", "awk 'BEGIN { exit system(\""+script+"\") }'")
	if !strings.Contains(screen, "guard approve: refused:") {
		t.Errorf("approve from inside a guarded command was not refused: %q", screen)
	}
	// Clearing the variable does not help: the ancestors carry the mark.
	if err := os.WriteFile(script, unreadScript("exec env -u GUARD_ACTIVE "+guardBinary(t)+" approve "+id), 0o755); err != nil {
		t.Fatal(err)
	}
	screen, _ = ptyRun(t, w, "", "-c", "awk 'BEGIN { exit system(\""+script+"\") }'")
	if !strings.Contains(screen, "runs inside a command guard is running") {
		t.Errorf("approve with the mark cleared was not refused: %q", screen)
	}
	// The list shows it pending.
	out, _, _ := w.guard(t, "", nil, "approve", "--list")
	if !strings.Contains(out, id) || !strings.Contains(out, "pending") {
		t.Errorf("approve --list: %q", out)
	}
	// A human approves in their own terminal.
	screen, code = ptyRun(t, w, "y\r", "approve", id)
	if code != 0 || !strings.Contains(screen, "touch") {
		t.Fatalf("approve: exit %d, screen %q", code, screen)
	}
	if _, err := os.Stat(made); err == nil {
		t.Fatal("approving ran the command")
	}
	// The identical command runs once, then needs approval again.
	if _, errOut, code = w.guard(t, "", nil, "-c", cmdline); code != 0 {
		t.Fatalf("approved command: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(made); err != nil {
		t.Fatal("the approved command did not run")
	}
	if _, _, code = w.guard(t, "", nil, "-c", cmdline); code != 126 {
		t.Errorf("the approval was used twice: exit %d", code)
	}
	// The audit log has every decision.
	out, _, _ = w.guard(t, "", nil, "log", "--json", "-n", "0")
	if strings.Count(out, `"approval":"once"`) != 1 || !strings.Contains(out, `"rules":["custom.touch"]`) {
		t.Errorf("audit log: %s", out)
	}
}

// unreadScript returns a shell script running cmd that the analysis does
// not read: it is larger than the largest program file guard reads, as a
// compiled program that runs guard approve would be.
func unreadScript(cmd string) []byte {
	return []byte("#!/bin/sh\n" + cmd + "\nexit\n#" + strings.Repeat("x", 2<<20) + "\n")
}
