package sandbox

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/rules"
)

func TestParseHistoryEntry(t *testing.T) {
	cases := []struct {
		in   string
		num  int
		line string
		ok   bool
	}{
		{"    1  echo hi\n", 1, "echo hi", true},
		{"12345  ls\n", 12345, "ls", true},
		{"  101* edited line\n", 101, "edited line", true},
		{"    7  cat <<EOF | sh\nrm -rf ~\nEOF\n", 7, "cat <<EOF | sh\nrm -rf ~\nEOF", true},
		{"    3   leading space kept\n", 3, " leading space kept", true},
		{"", 0, "", false},
		{"echo hi\n", 0, "", false},
		{"   12 x\n", 0, "", false},
	}
	for _, c := range cases {
		num, line, ok := parseHistoryEntry(c.in)
		if num != c.num || line != c.line || ok != c.ok {
			t.Errorf("parseHistoryEntry(%q) = %d, %q, %v; want %d, %q, %v", c.in, num, line, ok, c.num, c.line, c.ok)
		}
	}
}

func TestParseSessionMsg(t *testing.T) {
	b := []byte("J\x00123\x002\x00state\n\x00    1  ls\n\x00D\x00123\x00f () { :; }\x00alias")
	msg, rest, ok := parseSessionMsg(b)
	if !ok || msg.kind != "J" || !reflect.DeepEqual(msg.fields, []string{"J", "123", "2", "state\n", "    1  ls\n"}) {
		t.Fatalf("first message: %+v %v", msg, ok)
	}
	if _, _, ok := parseSessionMsg(rest); ok {
		t.Fatalf("an incomplete D message was taken: %q", rest)
	}
	rest = append(rest, " ll='ls -l'\x00"...)
	msg, rest, ok = parseSessionMsg(rest)
	if !ok || msg.kind != "D" || msg.fields[3] != "alias ll='ls -l'" || len(rest) != 0 {
		t.Fatalf("second message: %+v %v %q", msg, ok, rest)
	}
	// An unknown kind is dropped field by field, never taken as a message.
	msg, rest, ok = parseSessionMsg([]byte("X\x00J\x00"))
	if msg.kind != "" || string(rest) != "J\x00" {
		t.Fatalf("unknown kind: %+v %v %q", msg, ok, rest)
	}
}

func TestDefNames(t *testing.T) {
	asked := map[string]bool{}
	got := defNames(`ll -a; wipe "$HOME" && my-func x=1 | grep -v 12 "a b"`, asked)
	want := []string{"ll", "wipe", "HOME", "my-func", "x", "grep", "a", "b"} // options and numbers are not names
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defNames = %q, want %q", got, want)
	}
	if again := defNames("ll wipe new", asked); !reflect.DeepEqual(again, []string{"new"}) {
		t.Errorf("names are asked once: %q", again)
	}
}

func TestValidNonce(t *testing.T) {
	for n, want := range map[string]bool{"12": true, "1234567890123": true, "": false, "1a": false, "1 allow": false, strings.Repeat("1", 30): false} {
		if validNonce(n) != want {
			t.Errorf("validNonce(%q) = %v", n, !want)
		}
	}
}

func TestCRLFWriter(t *testing.T) {
	var b bytes.Buffer
	if _, err := (crlfWriter{&b}).Write([]byte("a\nb\n")); err != nil {
		t.Fatal(err)
	}
	if b.String() != "a\r\nb\r\n" {
		t.Errorf("crlf: %q", b.String())
	}
}

// TestSessionRCParses checks the integration with bash itself: it must be
// valid bash, and the state the judge reports must be what guard expects.
func TestSessionRCParses(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	for _, login := range []bool{false, true} {
		rc := filepath.Join(t.TempDir(), "rc")
		if err := os.WriteFile(rc, []byte(sessionRC(login)), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bash, "-n", rc).CombinedOutput(); err != nil {
			t.Errorf("login=%v: bash -n: %v\n%s", login, err, out)
		}
	}
	if !strings.Contains(sessionRC(false), `. "$HOME/.bashrc"`) || strings.Contains(sessionRC(true), ".bashrc") {
		t.Errorf("the rcfile reads the wrong startup files")
	}
	// The state report, produced by bash with the integration's options.
	script := sessionTrap + "() { :; }; shopt -s extdebug promptvars cmdhist; set -o history; trap " + sessionTrap + " DEBUG; " +
		"shopt -p extdebug promptvars cmdhist; shopt -po history; trap -p DEBUG"
	out, err := exec.Command(bash, "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != sessionStateWant {
		t.Errorf("bash reports %q, guard expects %q", out, sessionStateWant)
	}
}

// TestTakeApproved: the lines of an input a human approved whole need no
// second approval only while they are the input's lines, in its order:
// what runs without a second question is the approved text and nothing
// else.
func TestTakeApproved(t *testing.T) {
	const text = "echo a\n\n  # a comment\nif true\nthen rm -rf x\nfi\n  rm -rf y\n"
	cases := []struct {
		name  string
		lines []string
		want  []bool
	}{
		{"every line in order", []string{"echo a", "if true\nthen rm -rf x\nfi", "  rm -rf y"}, []bool{true, true, true}},
		{"a line past the end", []string{"echo a", "if true\nthen rm -rf x\nfi", "rm -rf y", "rm -rf y"}, []bool{true, true, true, false}},
		{"out of order", []string{"rm -rf y", "echo a"}, []bool{false, false}},
		{"a skipped line ends it", []string{"echo a", "rm -rf y"}, []bool{true, false}},
		{"a prefix of a line", []string{"echo"}, []bool{false}},
		// Lines that split a block at its newlines still run the approved text.
		{"a block line by line", []string{"echo a", "if true", "then rm -rf x", "fi"}, []bool{true, true, true, true}},
		{"a line of its own text", []string{"echo a", "rm -rf x"}, []bool{true, false}},
	}
	for _, c := range cases {
		in := sessionInput{approved: approval{text: text}}
		for i, l := range c.lines {
			if got := in.takeApproved(l); got != c.want[i] {
				t.Errorf("%s: line %d (%q): %v, want %v", c.name, i+1, l, got, c.want[i])
			}
		}
	}
	var none sessionInput
	if none.takeApproved("echo a") {
		t.Errorf("a line is approved without an approved input")
	}
}

// TestApprovalCovers: a line of an approved input needs no second question
// only for the reasons the human was asked about.
func TestApprovalCovers(t *testing.T) {
	confirm := func(reasons ...string) rules.Verdict {
		v := rules.Verdict{Decision: rules.Confirm}
		for _, r := range reasons {
			v.Findings = append(v.Findings, rules.Finding{Rule: "fs.rm-outside", Decision: rules.Confirm, Reason: r})
		}
		return v
	}
	a := approval{text: "x", reasons: []string{"deletes ~/a recursively", "deletes ~/b recursively"}}
	cases := []struct {
		v    rules.Verdict
		want bool
	}{
		{confirm("deletes ~/a recursively"), true},
		{confirm("deletes ~/b recursively", "deletes ~/a recursively"), true},
		{confirm("deletes ~/c recursively"), false},
		{confirm("deletes ~/a recursively", "deletes ~/c recursively"), false},
	}
	for _, c := range cases {
		if got := a.covers(c.v); got != c.want {
			t.Errorf("covers(%v) = %v, want %v", c.v.Findings, got, c.want)
		}
	}
}

// TestNextInputLine: the lines of one input (between two prompts) are
// numbered from 1; a gap means bash ran a line guard never judged, and
// stops the rest of the input.
func TestNextInputLine(t *testing.T) {
	var r sessionRun
	steps := []struct {
		n       int
		refuse  bool // guard refuses this line
		stopped bool // the input is stopped when this line arrives
	}{
		{n: 1}, {n: 2}, {n: 3, refuse: true}, {n: 4, stopped: true},
		{n: 1}, {n: 2},
		{n: 4, stopped: true}, // line 3 was never judged
		{n: 1},
	}
	for i, st := range steps {
		in := r.nextInputLine(st.n)
		if (in.stopped != "") != st.stopped {
			t.Errorf("step %d (line %d): stopped = %q, want %v", i, st.n, in.stopped, st.stopped)
		}
		if st.refuse {
			r.input.stopped = "refused"
		}
	}
}
