package sandbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

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
