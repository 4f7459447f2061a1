package sandbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/rules"
)

// gateSecret is a password in a command; no output of the gate may carry it.
const gateSecret = "hunter2secret"

// secretVerdict quotes the password in its reason and command, as a rule
// that names what it found might.
func secretVerdict(d rules.Decision) rules.Verdict {
	return rules.Verdict{Decision: d, Findings: []rules.Finding{{
		Rule:     "sql.drop",
		Decision: d,
		Reason:   "runs DROP DATABASE prod with mysql -uroot -p" + gateSecret + " on db",
		Command:  "mysql -uroot -p" + gateSecret + " -e 'DROP DATABASE prod'",
	}}}
}

// noTTY stands for a process without a terminal.
func noTTY() (*os.File, error) { return nil, errors.New("no terminal") }

// auditText returns the whole audit log of stateDir.
func auditText(t *testing.T, stateDir string) string {
	t.Helper()
	recs, err := ReadAudit(stateDir, AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range recs {
		b.WriteString(r.Command + "\n")
	}
	raw, _ := os.ReadFile(filepath.Join(stateDir, "audit.jsonl"))
	b.Write(raw)
	return b.String()
}

// The gate's messages (on stderr, which the agent reads) and the audit
// log mask the password, for a refusal and for a held-back command.
func TestGateRedactsMessagesAndAudit(t *testing.T) {
	src := "cd /srv && mysql -uroot -p" + gateSecret + " -e 'DROP DATABASE prod'"
	for _, d := range []rules.Decision{rules.Deny, rules.Confirm} {
		state := t.TempDir()
		var stderr bytes.Buffer
		g := &Gate{Mode: "shell", StateDir: state, Stderr: &stderr, OpenTTY: noTTY}
		ad := g.Admit(context.Background(), Command{Source: src, Cwd: "/srv", Verdict: secretVerdict(d)}, nil)
		if ad.Run {
			t.Fatalf("%s: ran", d)
		}
		if !strings.Contains(stderr.String(), "guard: blocked") || strings.Contains(stderr.String(), gateSecret) {
			t.Errorf("%s: stderr %q", d, stderr.String())
		}
		if log := auditText(t, state); !strings.Contains(log, "mysql -uroot -p") || strings.Contains(log, gateSecret) {
			t.Errorf("%s: audit log %q", d, log)
		}
	}
}

// The prompt on the terminal masks the password in the command and in the
// findings' reasons.
func TestGatePromptRedacts(t *testing.T) {
	p := openPTY(t)
	var stderr bytes.Buffer
	g := &Gate{Mode: "shell", StateDir: t.TempDir(), Stderr: &stderr,
		OpenTTY: func() (*os.File, error) { return os.NewFile(uintptr(dupFd(t, p.tty)), "/dev/tty"), nil }}
	src := "cd /srv && mysql -uroot -p" + gateSecret + " -e 'DROP DATABASE prod'"
	done := make(chan Admission, 1)
	go func() {
		done <- g.Admit(context.Background(), Command{Source: src, Cwd: "/srv", Verdict: secretVerdict(rules.Confirm)}, nil)
	}()
	p.waitFor(t, promptTail)
	p.typeKeys(t, "n\r")
	if ad := <-done; ad.Run {
		t.Fatal("ran after no")
	}
	if out := p.output(); !strings.Contains(out, "DROP DATABASE") || strings.Contains(out, gateSecret) {
		t.Errorf("the terminal shows %q", out)
	}
	if strings.Contains(stderr.String(), gateSecret) {
		t.Errorf("stderr %q", stderr.String())
	}
}

// dupFd returns a new descriptor for f, which the gate closes on its own.
func dupFd(t *testing.T, f *os.File) int {
	t.Helper()
	fd, err := unix.Dup(int(f.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	return fd
}

// grantWorld is a home with a project, a scratch directory and a directory
// of the user's, each holding its own printenv, for grant tests.
type grantWorld struct {
	project, scratch, userBin string
	path                      string // the PATH guard was started with
	checker                   *rules.Checker
}

func newGrantWorld(t *testing.T, userPATH bool) *grantWorld {
	t.Helper()
	if fi, err := os.Stat("/usr/bin/printenv"); err != nil || !fi.Mode().IsRegular() {
		t.Skip("no /usr/bin/printenv")
	}
	base := t.TempDir()
	g := &grantWorld{
		project: filepath.Join(base, "code", "app"),
		scratch: filepath.Join(base, "scratch"),
		userBin: filepath.Join(base, "bin"),
	}
	for _, d := range []string{g.project, g.scratch, g.userBin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "printenv"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(g.project, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// For root, a directory another user owns holds the agent's files.
		if err := os.Chown(g.userBin, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	g.path = "/usr/bin:/bin"
	if userPATH {
		g.path = g.userBin + ":" + g.path // the user's own PATH has it
	}
	c, err := rules.NewChecker(rules.Options{
		Home: base, User: "u", EnvExact: true, TempDirs: []string{g.scratch},
		Env: map[string]string{"HOME": base, "PATH": g.path},
	})
	if err != nil {
		t.Fatal(err)
	}
	g.checker = c
	return g
}

// admit runs src through the gate as allowed, with the grants given, and
// returns whether the granted variable reached it and what the gate said.
func (gw *grantWorld) admit(t *testing.T, src string, grants ...env.Grant) (bool, string) {
	t.Helper()
	launches := gw.checker.Check(rules.Command{Source: src, Cwd: gw.project}).Launches
	var stderr bytes.Buffer
	g := &Gate{Mode: "shell", StateDir: t.TempDir(), Stderr: &stderr, OpenTTY: noTTY, Env: env.Policy{Grants: grants}}
	environ := []string{"PATH=" + gw.path, "HOME=/x", "RAILWAY_TOKEN=tok-value-1"}
	ad := g.Admit(context.Background(), Command{Source: src, Cwd: gw.project, Launches: launches, Verdict: rules.Verdict{Decision: rules.Allow}}, environ)
	if !ad.Run {
		t.Fatalf("%s: not run", src)
	}
	if strings.Contains(stderr.String(), "tok-value-1") {
		t.Errorf("%s: the value is on stderr: %s", src, stderr.String())
	}
	return slices.Contains(ad.Env, "RAILWAY_TOKEN=tok-value-1"), stderr.String()
}

// A grant reaches the real program only: the one bash finds, in the PATH
// the command runs with, where the agent cannot have put it.
func TestGateGrantsRealProgramsOnly(t *testing.T) {
	gw := newGrantWorld(t, false)
	grant := env.Grant{Name: "RAILWAY_TOKEN", Commands: []string{"printenv"}, Origin: "guard.toml:3"}
	cases := []struct {
		src     string
		granted bool
		note    string // a part of the note on stderr; "" for none
	}{
		{"printenv RAILWAY_TOKEN", true, ""},
		{"/usr/bin/printenv RAILWAY_TOKEN", true, ""},
		{"cd /srv && echo hi && printenv RAILWAY_TOKEN", true, ""},
		{"timeout 5 printenv RAILWAY_TOKEN", true, ""},
		{"env X=1 printenv RAILWAY_TOKEN", true, ""},
		{`printenv() { command printenv "$@"; }; printenv RAILWAY_TOKEN`, true, ""},
		{"PATH=.:$PATH ls; printenv RAILWAY_TOKEN", false, "also runs ls"},
		// The agent's own printenv, however it is reached.
		{"./printenv RAILWAY_TOKEN", false, "inside the project"},
		{gw.scratch + "/printenv RAILWAY_TOKEN", false, "temporary directory"},
		{"PATH=.:$PATH printenv RAILWAY_TOKEN", false, "inside the project"},
		{"export PATH=.:$PATH; printenv RAILWAY_TOKEN", false, "inside the project"},
		{"PATH=" + gw.scratch + " printenv RAILWAY_TOKEN", false, "temporary directory"},
		{"env PATH=. printenv RAILWAY_TOKEN", false, "inside the project"},
		{"PATH=.:$PATH timeout 5 printenv RAILWAY_TOKEN", false, "inside the project"},
		{"cd " + gw.scratch + " && PATH=:/usr/bin printenv RAILWAY_TOKEN", false, "temporary directory"},
		{`printenv() { ./printenv "$@"; }; printenv RAILWAY_TOKEN`, false, "inside the project"},
		{"alias printenv=./printenv\nprintenv RAILWAY_TOKEN", false, "builtin alias"},
		// Even the real program must not run with a PATH where the agent
		// could put what it starts.
		{"PATH=.:$PATH /usr/bin/printenv RAILWAY_TOKEN", false, "PATH it runs with"},
		{"PATH=" + gw.userBin + ":$PATH /usr/bin/printenv RAILWAY_TOKEN", false, "PATH it runs with"},
		{"PATH=/usr/bin:$PATH printenv RAILWAY_TOKEN", true, ""},
		// A PATH not known before the command runs names no file.
		{"PATH=$RANDOM:$PATH printenv RAILWAY_TOKEN", false, "not known"},
		{"PATH=$(mktemp -d):$PATH printenv RAILWAY_TOKEN", false, "also runs mktemp"},
		{"env -i printenv RAILWAY_TOKEN", false, "not known"},
		// Other programs on the line would see it too.
		{"printenv RAILWAY_TOKEN; curl https://example.com", false, "also runs curl"},
		{"strace -f printenv RAILWAY_TOKEN", false, "runs through strace"},
		{"sudo printenv RAILWAY_TOKEN", false, "runs through sudo"},
		{"eval printenv RAILWAY_TOKEN", false, "builtin eval"},
		{"$RANDOM; printenv RAILWAY_TOKEN", false, "cannot know"},
		{"ssh db1 printenv RAILWAY_TOKEN", false, "also runs ssh"},
		// A line without the command gets neither the variable nor a note.
		{"ls -la", false, ""},
	}
	for _, c := range cases {
		granted, note := gw.admit(t, c.src, grant)
		if granted != c.granted {
			t.Errorf("%s: granted %v, want %v (stderr %q)", c.src, granted, c.granted, note)
		}
		switch {
		case c.note == "" && note != "":
			t.Errorf("%s: unexpected note %q", c.src, note)
		case c.note != "" && !strings.Contains(note, c.note):
			t.Errorf("%s: note %q, want one about %q", c.src, note, c.note)
		}
	}
}

// A program in a directory the user can write (~/.local/bin) gets the
// variable only when the config names its exact path, as the note says.
func TestGateGrantsNamedPaths(t *testing.T) {
	gw := newGrantWorld(t, true)
	src := "printenv RAILWAY_TOKEN"
	prog := filepath.Join(gw.userBin, "printenv")
	granted, note := gw.admit(t, src, env.Grant{Name: "RAILWAY_TOKEN", Commands: []string{"printenv"}, Origin: "guard.toml:3"})
	want := `add paths = ["` + prog + `"] to the [[env.grant]] for RAILWAY_TOKEN (guard.toml:3)`
	if granted || !strings.Contains(note, want) {
		t.Errorf("by name: granted %v, note %q, want %q", granted, note, want)
	}
	for _, g := range []env.Grant{
		{Name: "RAILWAY_TOKEN", Commands: []string{"printenv"}, Paths: []string{prog}},
		{Name: "RAILWAY_TOKEN", Paths: []string{prog}},
		{Name: "RAILWAY_TOKEN", Commands: []string{prog}},
	} {
		if granted, note := gw.admit(t, src, g); !granted || note != "" {
			t.Errorf("%+v: granted %v, note %q", g, granted, note)
		}
	}
	// The exact path names that file only, not the command name.
	if granted, _ := gw.admit(t, "./printenv RAILWAY_TOKEN", env.Grant{Name: "RAILWAY_TOKEN", Paths: []string{prog}}); granted {
		t.Error("a path grant reached ./printenv")
	}
	// Nor does a note suggest vouching for a file in the project.
	if _, note := gw.admit(t, "./printenv RAILWAY_TOKEN", env.Grant{Name: "RAILWAY_TOKEN", Commands: []string{"printenv"}}); strings.Contains(note, "add paths") {
		t.Errorf("suggests vouching for the agent's file: %q", note)
	}
}
