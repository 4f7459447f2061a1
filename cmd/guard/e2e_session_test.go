package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// The session tests drive "guard shell" through a real pseudo-terminal, as
// a person or an agent's terminal would: the test holds the outer
// terminal's master side, types into it and reads the screen. Everything
// destructive targets the test's own temp HOME.

// sessionPrompt is the PS1 the test's ~/.bashrc sets.
const sessionPrompt = "GUARD-READY$ "

// outerTerm is a running session seen from its outer terminal.
type outerTerm struct {
	t    *testing.T
	ptmx *os.File
	tty  *os.File
	cmd  *exec.Cmd

	mu   sync.Mutex
	out  bytes.Buffer
	mark int
	done chan struct{}
}

// startSession starts guard with args (none: "shell") on a new terminal
// in w's project, once w's ~/.bashrc sets the test prompt.
func startSession(t *testing.T, w *world, args ...string) *outerTerm {
	t.Helper()
	if len(args) == 0 {
		args = []string{"shell"}
	}
	return startGuardOnTerminal(t, w, args)
}

// startGuardOnTerminal starts guard with exactly args on a new terminal.
func startGuardOnTerminal(t *testing.T, w *world, args []string) *outerTerm {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	for _, rc := range []string{".bashrc", ".bash_profile"} {
		rc = filepath.Join(w.home, rc)
		if _, err := os.Stat(rc); err != nil {
			if err := os.WriteFile(rc, []byte("PS1='"+sessionPrompt+"'\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(guardBinary(t), args...)
	cmd.Dir = w.project
	cmd.Env = append(append([]string(nil), w.env...), "TERM=xterm", "TMPDIR="+filepath.Join(w.home, "tmp"))
	os.MkdirAll(filepath.Join(w.home, "tmp"), 0o700)
	if w.cred != nil {
		chownTree(t, w.home, int(w.cred.Uid))
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Credential: w.cred}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &outerTerm{t: t, ptmx: ptmx, tty: tty, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		ptmx.Close()
		tty.Close()
	})
	s.expect(sessionPrompt)
	return s
}

// screen returns what the terminal showed since the last mark.
func (s *outerTerm) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()[s.mark:]
}

// expect waits until the output since the last mark holds want, then moves
// the mark past it.
func (s *outerTerm) expect(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		all := s.out.String()
		if i := strings.Index(all[s.mark:], want); i >= 0 {
			got := all[s.mark : s.mark+i+len(want)]
			s.mark += i + len(want)
			s.mu.Unlock()
			return got
		}
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("the terminal never showed %q; it showed:\n%s", want, s.screen())
	return ""
}

// send types text and Enter.
func (s *outerTerm) send(text string) {
	s.t.Helper()
	s.typ(text + "\r")
}

// typ types text as is.
func (s *outerTerm) typ(text string) {
	s.t.Helper()
	if _, err := s.ptmx.Write([]byte(text)); err != nil {
		s.t.Fatal(err)
	}
}

// run types a command line and returns what the terminal showed until
// the next prompt.
func (s *outerTerm) run(line string) string {
	s.t.Helper()
	s.send(line)
	return s.expect(sessionPrompt)
}

// wait waits for guard to exit and returns its status.
func (s *outerTerm) wait() int {
	s.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- s.cmd.Wait() }()
	select {
	case err := <-errc:
		if ee, ok := err.(*exec.ExitError); ok {
			return exitStatus(ee)
		} else if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		s.t.Fatalf("guard did not exit; the terminal showed:\n%s", s.screen())
	}
	return -1
}

func TestSessionRunsAllowedLinesAndExits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ptmxState := func(tty *os.File) *unix.Termios {
		st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	s := startSession(t, w)
	before := ptmxState(s.tty)
	if before.Lflag&unix.ICANON != 0 {
		t.Errorf("the outer terminal is not in raw mode during the session")
	}
	if out := s.run("echo hi"); !strings.Contains(out, "hi\r\n") {
		t.Errorf("echo hi: %q", out)
	}
	out := s.run("printf 'a\\nb\\n' | while read x; do echo \"got $x\"; done")
	if !strings.Contains(out, "got a") || !strings.Contains(out, "got b") {
		t.Errorf("pipeline and loop: %q", out)
	}
	// A multi-line if block runs as one line.
	s.send("if true")
	s.send("then echo yes-block")
	if out := s.run("fi"); !strings.Contains(out, "yes-block") {
		t.Errorf("if block: %q", out)
	}
	s.send("exit 7")
	if code := s.wait(); code != 7 {
		t.Errorf("exit 7: guard exited %d", code)
	}
	after := ptmxState(s.tty)
	if after.Lflag&(unix.ICANON|unix.ECHO) != unix.ICANON|unix.ECHO {
		t.Errorf("the terminal was not restored: lflag %#x", after.Lflag)
	}
}

func TestSessionStartsFromEveryEntryPoint(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, args := range [][]string{{}, {"-i"}, {"-l"}, {"-il"}, {"shell", "--login"}} {
		s := startGuardOnTerminal(t, w, args)
		// A judged line: trap - DEBUG is refused only inside a session.
		if out := s.run("trap - DEBUG"); !strings.Contains(out, "guard: blocked:") {
			t.Errorf("guard %q: not a session: %q", args, out)
		}
		s.send("exit 3")
		if code := s.wait(); code != 3 {
			t.Errorf("guard %q: exit status %d", args, code)
		}
	}
}

func TestSessionJobControl(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := startSession(t, w)
	// Ctrl-C reaches the foreground job, not guard.
	s.send("sleep 30")
	time.Sleep(300 * time.Millisecond)
	s.typ("\x03")
	s.expect(sessionPrompt)
	// Ctrl-Z stops it; the job table is bash's.
	s.send("sleep 30")
	time.Sleep(300 * time.Millisecond)
	s.typ("\x1a")
	s.expect("Stopped")
	s.expect(sessionPrompt)
	if out := s.run("jobs"); !strings.Contains(out, "sleep 30") {
		t.Errorf("jobs: %q", out)
	}
	s.run("kill %1")
	if out := s.run("echo after-jobs"); !strings.Contains(out, "after-jobs\r\n") {
		t.Errorf("after job control: %q", out)
	}
	s.send("exit")
	s.expect("exit")
	s.wait()
}

func TestSessionAsksBeforeConfirmedLines(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	canary := filepath.Join(w.home, "Documents", "canary")
	os.MkdirAll(filepath.Dir(canary), 0o755)
	os.WriteFile(canary, []byte("x"), 0o644)
	// A confirm whose only target is inside the test's project: touch.
	cfg := filepath.Join(w.home, ".config", "guard", "guard.toml")
	os.MkdirAll(filepath.Dir(cfg), 0o700)
	os.WriteFile(cfg, []byte(`[[rule]]
id = "custom.touch"
match = ["touch"]
decision = "confirm"
reason = "touch is confirmed in this test"
`), 0o600)

	s := startSession(t, w)
	s.send("rm -rf ~/Documents")
	s.expect("Run it? [y/N]")
	s.typ("n\r")
	out := s.expect(sessionPrompt)
	if !strings.Contains(out, "not approved") {
		t.Errorf("no refusal after n: %q", out)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("rm -rf ~/Documents ran after n: %v", err)
	}

	s.send("touch made-by-session")
	s.expect("Run it? [y/N]")
	s.typ("y\r")
	s.expect(sessionPrompt)
	if _, err := os.Stat(filepath.Join(w.project, "made-by-session")); err != nil {
		t.Errorf("the approved line did not run: %v", err)
	}
	// The answer was read by guard, not typed into bash.
	if out := s.run("echo after"); strings.Contains(out, "command not found") {
		t.Errorf("the answer reached bash: %q", out)
	}
	s.send("exit")
	s.wait()

	recs := readAuditLog(t, w)
	var modes, decisions []string
	for _, r := range recs {
		modes = append(modes, r.Mode)
		decisions = append(decisions, r.Decision+":"+r.Approval)
	}
	if len(recs) < 3 {
		t.Fatalf("audit log: %v", decisions)
	}
	for _, m := range modes {
		if m != "session" {
			t.Errorf("audit mode %q, want session", m)
		}
	}
	got := strings.Join(decisions, " ")
	if !strings.Contains(got, "confirm:none") || !strings.Contains(got, "confirm:tty") || !strings.Contains(got, "allow:none") {
		t.Errorf("audit decisions: %s", got)
	}
}

func TestSessionRefusesDeniedLinesWhole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	marker := filepath.Join(w.home, "marker")
	os.WriteFile(marker, []byte("x"), 0o644)
	s := startSession(t, w)
	out := s.run("echo first-part; rm -rf ~")
	if !strings.Contains(out, "guard: blocked:") || strings.Contains(out, "first-part\r\n") {
		t.Errorf("deny: %q", out)
	}
	// A heredoc piped into sh is judged as a whole, before any of it runs.
	s.send("cat <<EOF | sh")
	s.send("echo heredoc-ran")
	s.send("rm -rf ~")
	out = s.run("EOF")
	if !strings.Contains(out, "guard: blocked:") || strings.Contains(out, "\nheredoc-ran") {
		t.Errorf("heredoc into sh: %q", out)
	}
	// A function defined on one line and called on the next is judged
	// with its body; so is an alias.
	s.run("wipe() { rm -rf ~; }")
	if out := s.run("wipe"); !strings.Contains(out, "guard: blocked:") {
		t.Errorf("function call: %q", out)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("a denied line ran: %v", err)
	}
	if out := s.run("echo still-alive"); !strings.Contains(out, "still-alive") {
		t.Errorf("the session did not go on: %q", out)
	}
	s.send("exit")
	if code := s.wait(); code != 0 {
		t.Errorf("exit: %d", code)
	}
}

func TestSessionRefusesDisablingItsIntegration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := startSession(t, w)
	attempts := []string{
		"trap - DEBUG",
		"trap '' DEBUG",
		"trap 'true' DEBUG",
		"builtin trap - DEBUG",
		"shopt -u extdebug",
		"shopt -u promptvars",
		"set +o history",
		"set +T",
		"unset -f __guard_judge",
		"__guard_dbg() { :; }",
		"__guard_v=1",
		"builtin() { :; }",
		"enable -n trap",
		"exec bash",
		"bash --norc",
		"env -i bash",
		"history -d 1",
		"history -c",
		"HISTCONTROL=ignorespace",
		"PROMPT_COMMAND=",
		"PS0=",
		"exec 229>&-",
		"trap '' INT",
		"eval 'trap - DEBUG'",
		"bash -c 'echo hi' 229>&-",
	}
	for i, a := range attempts {
		out := s.run(a)
		if !strings.Contains(out, "guard: blocked:") {
			t.Errorf("%s: not refused: %q", a, out)
		}
		alive := "alive-" + string(rune('a'+i%26))
		if out := s.run("echo " + alive); !strings.Contains(out, alive+"\r\n") {
			t.Fatalf("after %s the session no longer runs commands: %q", a, out)
		}
	}
	// Nested interactive shells are confirmed.
	for _, nested := range []string{"bash", "sh", "sudo -i", "su", "ssh example.invalid"} {
		s.send(nested)
		s.expect("Run it? [y/N]")
		s.typ("n\r")
		s.expect(sessionPrompt)
	}
	s.send("exit")
	s.wait()
}

func TestSessionPropagatesResize(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := startSession(t, w)
	if out := s.run("stty size"); !strings.Contains(out, "30 100") {
		t.Errorf("initial size: %q", out)
	}
	if err := pty.Setsize(s.ptmx, &pty.Winsize{Rows: 41, Cols: 123}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := s.run("stty size")
		if strings.Contains(out, "41 123") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the resize did not reach bash: %q", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.send("exit")
	s.wait()
}

func TestSessionAppliesConfigEdits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfgDir := filepath.Join(w.home, ".config", "guard")
	os.MkdirAll(cfgDir, 0o700)
	s := startSession(t, w)
	if out := s.run("touch first"); strings.Contains(out, "guard:") {
		t.Fatalf("touch before the edit: %q", out)
	}
	cfg := filepath.Join(cfgDir, "guard.toml")
	if err := os.WriteFile(cfg, []byte(`[[rule]]
id = "custom.no-touch"
match = ["touch"]
decision = "deny"
reason = "touch is denied after the edit"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := s.run("touch second")
		if strings.Contains(out, "touch is denied after the edit") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the config edit did not apply: %q", out)
		}
		os.Remove(filepath.Join(w.project, "second"))
		time.Sleep(100 * time.Millisecond)
	}
	// A broken edit keeps the last good policy and says so once.
	if err := os.WriteFile(cfg, []byte("[[rule]\nbroken"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.expect("keeping the policy in force")
	if out := s.run("touch third"); !strings.Contains(out, "touch is denied after the edit") {
		t.Errorf("after a broken edit the last good policy is not kept: %q", out)
	}
	s.send("exit")
	s.wait()
	if strings.Count(s.out.String(), "keeping the policy in force") != 1 {
		t.Errorf("the broken config was reported %d times", strings.Count(s.out.String(), "keeping the policy in force"))
	}
}

// readAuditLog reads w's audit log.
func readAuditLog(t *testing.T, w *world) []struct{ Mode, Decision, Approval, Command string } {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []struct{ Mode, Decision, Approval, Command string }
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r struct{ Mode, Decision, Approval, Command string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestSessionEndsOnHangUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A hang-up that lands while a line is being judged reaches the
	// judging child first, and bash may go back to its prompt; the session
	// must still end. Each round sends it at a slightly different moment
	// after Enter.
	for round := 0; round < 24; round++ {
		s := startSession(t, w)
		line, want := "echo judged", 128+int(syscall.SIGHUP)
		if round%2 == 1 {
			// Either the exit or the hang-up ends bash; what must not
			// happen is that neither does.
			line, want = "exit "+strconv.Itoa(round), round
		}
		s.send(line)
		time.Sleep(time.Duration(round) * 500 * time.Microsecond)
		s.cmd.Process.Signal(syscall.SIGHUP)
		if code := s.wait(); code != want && code != 128+int(syscall.SIGHUP) {
			t.Errorf("round %d: %s, then SIGHUP: guard exited %d", round, line, code)
		}
	}
}

// TestSessionTerminalPrograms drives what people do at a terminal through
// the relay: line editing, history, completion and full-screen programs.
func TestSessionTerminalPrograms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	os.WriteFile(filepath.Join(w.project, "unique-name-for-completion.txt"), []byte("completed-file-content\n"), 0o644)
	var long strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&long, "line-%03d\n", i)
	}
	os.WriteFile(filepath.Join(w.project, "long.txt"), []byte(long.String()), 0o644)
	s := startSession(t, w)

	// Line editing: Backspace, and Ctrl-A to go to the start of the line.
	s.typ("cho edited-abX\x7fc\x01e\r")
	if out := s.expect(sessionPrompt); !strings.Contains(out, "edited-abc\r\n") {
		t.Errorf("line editing: %q", out)
	}
	// History: Up and Enter runs the previous line again, and it is judged.
	s.run("echo from-history")
	s.typ("\x1b[A\r")
	if out := s.expect(sessionPrompt); !strings.Contains(out, "from-history\r\n") {
		t.Errorf("history: %q", out)
	}
	// Completion: Tab completes a file name.
	s.typ("cat unique-name-for\t\r")
	if out := s.expect(sessionPrompt); !strings.Contains(out, "completed-file-content") {
		t.Errorf("completion: %q", out)
	}

	if _, err := exec.LookPath("less"); err == nil {
		s.send("less long.txt")
		s.expect("line-010")
		s.typ("G") // to the end
		s.expect("line-200")
		s.typ("q")
		s.expect(sessionPrompt)
		if out := s.run("echo after-less"); !strings.Contains(out, "after-less\r\n") {
			t.Errorf("after less: %q", out)
		}
	}
	if _, err := exec.LookPath("vim"); err == nil {
		s.send("vim -u NONE -N edited.txt")
		s.expect("edited.txt")
		s.typ("ihello from vim\x1b:wq\r")
		s.expect(sessionPrompt)
		got, err := os.ReadFile(filepath.Join(w.project, "edited.txt"))
		if err != nil || string(got) != "hello from vim\n" {
			t.Errorf("vim wrote %q (%v)", got, err)
		}
	}
	if _, err := exec.LookPath("top"); err == nil {
		s.send("top")
		s.expect("load average")
		s.typ("q")
		s.expect(sessionPrompt)
		if out := s.run("echo after-top"); !strings.Contains(out, "after-top\r\n") {
			t.Errorf("after top: %q", out)
		}
	}
	s.send("exit")
	s.wait()
}

// TestSessionRelaysOutputWhole: bulk output crosses the relay's queue
// whole and in order.
func TestSessionRelaysOutputWhole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := startSession(t, w)
	const n = 200000
	out := s.run("seq 1 " + strconv.Itoa(n) + "; echo seq-done")
	start := strings.Index(out, "1\r\n2\r\n")
	end := strings.LastIndex(out, "seq-done\r\n")
	if start < 0 || end < start {
		t.Fatalf("no sequence in the output (%d bytes): %q", len(out), out[:min(len(out), 200)])
	}
	lines := strings.Split(strings.TrimSuffix(out[start:end], "\r\n"), "\r\n")
	if len(lines) != n {
		t.Fatalf("%d lines of output, want %d", len(lines), n)
	}
	for i, l := range lines {
		if l != strconv.Itoa(i+1) {
			t.Fatalf("line %d is %q, want %d", i+1, l, i+1)
		}
	}
	s.send("exit")
	s.wait()
}
