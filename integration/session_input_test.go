package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An input of several lines reaches bash whole: a bracketed paste, or a
// newline typed with Ctrl-V Ctrl-J, puts them all in the line readline
// hands to bash when Enter is pressed, and bash runs them one after the
// other without showing a prompt in between. Every one of them is judged
// and audited, not only the first.

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

func TestSessionJudgesEveryLineOfAnInput(t *testing.T) {
	w := newWorld(t)
	denyTouchConfig(t, w)
	s := startSession(t, w)
	inputs := []struct {
		name, keys, first, marker string
	}{
		{"bracketed paste", paste("echo paste-first\ntouch paste-marker") + "\r", "paste-first", "paste-marker"},
		{"paste ending in a newline", paste("echo nl-first\ntouch nl-marker\n") + "\r", "nl-first", "nl-marker"},
		{"Ctrl-V Ctrl-J", "echo ctrlv-first\x16\ntouch ctrlv-marker\r", "ctrlv-first", "ctrlv-marker"},
		{"a block, then a line", paste("if true\nthen echo block-first\nfi\ntouch block-marker") + "\r", "block-first", "block-marker"},
		{"typed ahead", "sleep 0.2\recho ahead-first\rtouch ahead-marker\r", "ahead-first", "ahead-marker"},
	}
	for _, in := range inputs {
		s.typ(in.keys)
		out := s.expect("touch is denied in this test")
		out += s.expect(sessionPrompt)
		if !strings.Contains(out, in.first+"\r\n") {
			t.Errorf("%s: the allowed first line did not run: %q", in.name, out)
		}
		if _, err := os.Stat(filepath.Join(w.project, in.marker)); err == nil {
			t.Errorf("%s: a denied later line ran", in.name)
		}
		if out := s.run("echo alive-" + in.marker); !strings.Contains(out, "alive-"+in.marker+"\r\n") {
			t.Fatalf("%s: the session does not go on: %q", in.name, out)
		}
	}
	// Without bracketed paste, each pasted newline is an Enter: the same.
	s.run("bind 'set enable-bracketed-paste off'")
	s.typ("echo raw-first\rtouch raw-marker\r")
	s.expect("touch is denied in this test")
	if _, err := os.Stat(filepath.Join(w.project, "raw-marker")); err == nil {
		t.Errorf("without bracketed paste: a denied later line ran")
	}
	s.send("exit")
	s.wait()

	// Every line is in the audit log with its own verdict.
	got := map[string]string{}
	for _, r := range readAuditLog(t, w) {
		got[r.Command] = r.Decision
	}
	for _, want := range []struct{ cmd, decision string }{
		{"echo paste-first", "allow"}, {"touch paste-marker", "deny"},
		{"touch nl-marker", "deny"},
		{"echo ctrlv-first", "allow"}, {"touch ctrlv-marker", "deny"},
		{"if true\nthen echo block-first\nfi", "allow"}, {"touch block-marker", "deny"},
		{"touch ahead-marker", "deny"},
		{"touch raw-marker", "deny"},
	} {
		if got[want.cmd] != want.decision {
			t.Errorf("audit log: %q is %q, want %q", want.cmd, got[want.cmd], want.decision)
		}
	}
}

// TestSessionStopsAnInputAtARefusedLine: the lines of one input after a
// line guard refused do not run, as the refused line did not: a paste is
// one piece of work, and its later lines may rely on the refused one.
func TestSessionStopsAnInputAtARefusedLine(t *testing.T) {
	w := newWorld(t)
	canary := filepath.Join(w.home, "Documents", "canary")
	if err := os.MkdirAll(filepath.Dir(canary), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(canary, []byte("x"), 0o644)
	s := startSession(t, w)
	// rm -rf of a directory in the test's HOME is confirmed; n refuses it.
	s.typ(paste("echo before-rm\nrm -rf ~/Documents\necho after-rm") + "\r")
	s.expect("Run it? [y/N]")
	s.typ("n\r")
	out := s.expect(sessionPrompt)
	if strings.Contains(out, "after-rm\r\n") {
		t.Errorf("a line after the refused one ran: %q", out)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("the refused rm -rf ran: %v", err)
	}
	// An input guard allows runs whole.
	s.typ(paste("echo before-allowed\ntouch allowed-marker\necho after-allowed") + "\r")
	out = s.expect(sessionPrompt)
	if !strings.Contains(out, "before-allowed\r\n") || !strings.Contains(out, "after-allowed\r\n") {
		t.Errorf("an allowed input did not run whole: %q", out)
	}
	if _, err := os.Stat(filepath.Join(w.project, "allowed-marker")); err != nil {
		t.Errorf("the middle line of an allowed input did not run: %v", err)
	}
	// The next input is judged on its own.
	if out := s.run("echo next-input"); !strings.Contains(out, "next-input\r\n") {
		t.Errorf("the input after a refused one: %q", out)
	}
	s.send("exit")
	s.wait()
	var after string
	for _, r := range readAuditLog(t, w) {
		if r.Command == "echo after-rm" {
			after = r.Decision
		}
	}
	if after != "deny" {
		t.Errorf("the line after the refused one is audited as %q, want deny", after)
	}
}
