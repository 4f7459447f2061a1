package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An input of several lines reaches bash whole: a bracketed paste, or a
// newline typed with Ctrl-V Ctrl-J, puts them all in the line readline
// hands to bash when Enter is pressed, and bash runs them one after the
// other without showing a prompt in between. guard judges such an input
// as a whole when Enter is pressed, before any of it runs, and each of its
// lines again as bash reads it; every line is audited.

// denyTouchConfig writes a user config that denies touch, so that a
// harmless command stands for one guard refuses.
func denyTouchConfig(t *testing.T, w *world) {
	t.Helper()
	cfg := filepath.Join(w.home, ".config", "guard", "guard.toml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(`[[rule]]
id = "custom.no-touch"
match = ["touch"]
decision = "deny"
reason = "touch is denied in this test"
`), 0o600); err != nil {
		t.Fatal(err)
	}
}

// paste is text as a terminal with bracketed paste sends it.
func paste(text string) string {
	return "\x1b[200~" + text + "\x1b[201~"
}

// alive runs a command and waits for its output, which the typed line
// does not show, and the prompt after it: the session runs commands
// again, the screen is past the prompts bash redrew before, and readline
// has the terminal (keys typed before it does reach the terminal's own
// line editing, where Ctrl-V quotes the next key). It returns what the
// terminal showed.
func (s *outerTerm) alive() string {
	s.t.Helper()
	s.send("echo alive-$((40+2))")
	out := s.expect("alive-42\r\n")
	return out + s.expect(sessionPrompt)
}

// auditDecisions maps each command in w's audit log to its decisions.
func auditDecisions(t *testing.T, w *world) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, r := range readAuditLog(t, w) {
		got[r.Command] = append(got[r.Command], r.Decision+":"+r.Approval)
	}
	return got
}

func TestSessionJudgesAnInputWholeBeforeItRuns(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	denyTouchConfig(t, w)
	s := startSession(t, w)
	inputs := []struct {
		name, keys, text string
	}{
		{"bracketed paste", paste("echo paste-first\ntouch paste-marker") + "\r", "echo paste-first\ntouch paste-marker"},
		{"paste ending in a newline", paste("echo nl-first\ntouch nl-marker\n") + "\r", "echo nl-first\ntouch nl-marker\n"},
		{"Ctrl-V Ctrl-J", "echo ctrlv-first\x16\ntouch ctrlv-marker\r", "echo ctrlv-first\ntouch ctrlv-marker"},
		{"a block, then a line", paste("if true\nthen echo block-first\nfi\ntouch block-marker") + "\r", "if true\nthen echo block-first\nfi\ntouch block-marker"},
	}
	for _, in := range inputs {
		s.typ(in.keys)
		s.expect("touch is denied in this test")
		out := s.expect("no line of this input ran")
		if strings.Contains(out, "-first\r\n") {
			t.Errorf("%s: the first line ran: %q", in.name, out)
		}
		s.alive()
	}
	// An input guard allows runs whole.
	s.typ(paste("echo one-of-$((1+1))\necho two-of-$((1+1))") + "\r")
	s.expect("one-of-2\r\ntwo-of-2\r\n")
	// A paste at the continuation prompt is part of the command begun
	// before, not a program: here the body of a heredoc.
	s.send("cat > notes.txt <<'EOF'")
	s.typ(paste("echo one\ntouch two") + "\r")
	s.send("EOF")
	out := s.alive()
	if strings.Contains(out, "denied") {
		t.Errorf("a paste into a heredoc was judged as commands: %q", out)
	}
	if got, err := os.ReadFile(filepath.Join(w.project, "notes.txt")); err != nil || string(got) != "echo one\ntouch two\n" {
		t.Errorf("the heredoc wrote %q (%v)", got, err)
	}
	s.send("exit")
	s.wait()

	got := auditDecisions(t, w)
	for _, in := range inputs {
		if d := strings.Join(got[in.text], " "); d != "deny:none" {
			t.Errorf("%s: the input is audited as %q, want deny:none", in.name, d)
		}
		first := strings.SplitN(in.text, "\n", 2)[0]
		if len(got[first]) != 0 {
			t.Errorf("%s: its first line is audited as run: %v", in.name, got[first])
		}
	}
	if got["echo one-of-$((1+1))"] == nil || got["echo two-of-$((1+1))"] == nil {
		t.Errorf("the lines of an allowed input are not audited: %v", got)
	}
}

// TestSessionJudgesEveryLineOfAnInput: whatever put several lines in the
// input (keys typed ahead, a paste without bracketed paste, a multi-line
// entry brought back from the history, a key binding guard does not know),
// bash runs them one at a time, and guard judges each: an allowed first
// line does not let the later ones through.
func TestSessionJudgesEveryLineOfAnInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	denyTouchConfig(t, w)
	s := startSession(t, w)

	// With Ctrl-V bound to plain quoted-insert, guard does not see the
	// input before Enter: each line is still judged.
	s.run(`bind '"\C-v": quoted-insert'`)
	s.typ("echo rebound-$((1+1))\x16\ntouch rebound-marker\r")
	out := s.expect("touch is denied in this test")
	if !strings.Contains(out, "rebound-2\r\n") {
		t.Errorf("rebound Ctrl-V: the allowed first line did not run: %q", out)
	}
	s.alive()

	// The refused paste goes into the history, whole; Up and Enter run it
	// as bash runs a recalled entry, a line at a time.
	s.typ(paste("echo hist-$((1+1))\ntouch hist-marker\necho hist-third") + "\r")
	s.expect("no line of this input ran")
	s.alive()
	s.typ("\x1b[A\x1b[A\r")
	out = s.expect("touch is denied in this test")
	out += s.expect("guard: not run: echo hist-third")
	if !strings.Contains(out, "hist-2\r\n") {
		t.Errorf("recalled: the allowed first line did not run: %q", out)
	}
	s.alive()

	// Keys typed ahead while a command runs are lines of their own.
	s.typ("sleep 0.2\recho ahead-first\rtouch ahead-marker\r")
	s.expect("touch is denied in this test")
	s.alive()

	// Without bracketed paste, each pasted newline is an Enter.
	s.run("bind 'set enable-bracketed-paste off'")
	s.typ("echo raw-first\rtouch raw-marker\r")
	s.expect("touch is denied in this test")
	s.alive()
	s.send("exit")
	s.wait()

	for _, m := range []string{"hist-marker", "rebound-marker", "ahead-marker", "raw-marker"} {
		if _, err := os.Stat(filepath.Join(w.project, m)); err == nil {
			t.Errorf("%s: a denied later line ran", m)
		}
	}
	got := auditDecisions(t, w)
	for _, want := range []struct{ cmd, decisions string }{
		{"echo hist-$((1+1))", "allow:none"}, {"touch hist-marker", "deny:none"}, {"echo hist-third", "deny:none"},
		{"echo rebound-$((1+1))", "allow:none"}, {"touch rebound-marker", "deny:none"},
		{"echo ahead-first", "allow:none"}, {"touch ahead-marker", "deny:none"},
		{"echo raw-first", "allow:none"}, {"touch raw-marker", "deny:none"},
	} {
		if d := strings.Join(got[want.cmd], " "); d != want.decisions {
			t.Errorf("audit log: %q is %q, want %q", want.cmd, d, want.decisions)
		}
	}
}

// TestSessionAsksOnceForAnInput: a confirmed input is asked about once, as
// a whole, before any of it runs; approved, its lines run without a second
// question, and each is audited with the approval.
func TestSessionAsksOnceForAnInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	docs := filepath.Join(w.home, "Documents")
	if err := os.MkdirAll(filepath.Join(docs, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	canary := filepath.Join(docs, "canary")
	os.WriteFile(canary, []byte("x"), 0o644)
	s := startSession(t, w)

	// Refused: nothing of it runs, not even the line before the rm.
	s.typ(paste("echo before-$((1+1))\nrm -rf ~/Documents\necho after-$((1+1))") + "\r")
	s.expect("Run it? [y/N]")
	s.typ("n\r")
	out := s.expect("no line of this input ran")
	out += s.alive()
	if strings.Contains(out, "before-2\r\n") || strings.Contains(out, "after-2\r\n") {
		t.Errorf("a line of the refused input ran: %q", out)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("the refused rm -rf ran: %v", err)
	}

	// Approved once: it runs whole.
	s.typ(paste("echo before-$((2+2))\nrm -rf ~/Documents/old\necho after-$((2+2))") + "\r")
	s.expect("Run it? [y/N]")
	s.typ("y\r")
	out = s.expect("after-4\r\n")
	if !strings.Contains(out, "before-4\r\n") || strings.Contains(out, "Run it?") {
		t.Errorf("the approved input: %q", out)
	}
	if _, err := os.Stat(filepath.Join(docs, "old")); err == nil {
		t.Errorf("the approved rm -rf did not run")
	}
	s.alive()
	// The approval was for that input only.
	s.send("rm -rf ~/Documents/canary")
	s.expect("Run it? [y/N]")
	s.typ("n\r")
	s.expect(sessionPrompt)
	s.send("exit")
	s.wait()

	got := auditDecisions(t, w)
	for _, want := range []struct{ cmd, decisions string }{
		{"echo before-$((1+1))\nrm -rf ~/Documents\necho after-$((1+1))", "confirm:none"},
		{"echo before-$((2+2))\nrm -rf ~/Documents/old\necho after-$((2+2))", "confirm:tty"},
		{"echo before-$((2+2))", "allow:none"},
		{"rm -rf ~/Documents/old", "confirm:tty"},
		{"echo after-$((2+2))", "allow:none"},
		{"rm -rf ~/Documents/canary", "confirm:none"},
	} {
		if d := strings.Join(got[want.cmd], " "); d != want.decisions {
			t.Errorf("audit log: %q is %q, want %q", want.cmd, d, want.decisions)
		}
	}
	if got["echo before-$((1+1))"] != nil {
		t.Errorf("a line of the refused input is audited: %v", got["echo before-$((1+1))"])
	}
}

// TestSessionJudgesEditedLines: Ctrl-X Ctrl-E (vi: v) opens the line in
// the editor; bash itself would run the edited text at once, past every
// check. In a session it comes back into the line, and Enter runs it as
// any other input.
func TestSessionJudgesEditedLines(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	denyTouchConfig(t, w)
	editor := filepath.Join(w.home, "fake-editor")
	if err := os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'echo edited-$((1+1))\\ntouch edited-marker\\n' > \"$1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rc := "PS1='" + sessionPrompt + "'\nexport VISUAL=" + editor + "\nbind '\"\\ee\": edit-and-execute-command'\n"
	if err := os.WriteFile(filepath.Join(w.home, ".bashrc"), []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startSession(t, w)
	for _, mode := range []struct{ name, setup, keys string }{
		{"emacs", "", "echo x\x18\x05"},
		{"a key the startup files bind", "", "echo x\x1be"},
		{"vi", "set -o vi", "echo x\x1bv"},
	} {
		if mode.setup != "" {
			s.run(mode.setup)
		}
		s.typ(mode.keys)
		s.expect("touch edited-marker")
		s.typ("\r")
		s.expect("touch is denied in this test")
		out := s.expect("no line of this input ran")
		if strings.Contains(out, "edited-2") {
			t.Errorf("%s: a line of the edited text ran: %q", mode.name, out)
		}
		s.alive()
	}
	s.send("exit")
	s.wait()
	if _, err := os.Stat(filepath.Join(w.project, "edited-marker")); err == nil {
		t.Errorf("the edited text ran unjudged")
	}
}
