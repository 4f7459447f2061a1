package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/rules"
)

// ptyPair is a pty for one test: the tty end goes to Prompt, the test
// plays the human on the master end and collects what Prompt wrote.
type ptyPair struct {
	master, tty *os.File

	mu   sync.Mutex
	out  strings.Builder
	done chan struct{}
}

func openPTY(t *testing.T) *ptyPair {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	// pty.Open leaves the master in blocking mode (it calls Fd), and a
	// blocked Read keeps the descriptor open after Close, so the tty end
	// would never see the hang-up. Move the master under the runtime poller.
	fd, err := unix.Dup(int(master.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	master.Close()
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	p := &ptyPair{master: master, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		tty.Close()
		master.Close()
		<-p.done
	})
	return p
}

// output returns what the master end has received so far.
func (p *ptyPair) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitFor waits until the master end has received s.
func (p *ptyPair) waitFor(t *testing.T, s string) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(p.output(), s) {
			return
		}
	}
	t.Fatalf("the terminal never showed %q; it shows %q", s, p.output())
}

// type writes keys on the master end, as a human typing.
func (p *ptyPair) typeKeys(t *testing.T, keys string) {
	t.Helper()
	if _, err := p.master.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

// result is one Prompt outcome.
type result struct {
	ok  bool
	err error
}

// start runs Prompt in the background.
func (p *ptyPair) start(ctx context.Context, req PromptRequest) <-chan result {
	ch := make(chan result, 1)
	go func() {
		ok, err := Prompt(ctx, p.tty, req)
		ch <- result{ok, err}
	}()
	return ch
}

func waitResult(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(2 * time.Minute):
		t.Fatal("Prompt did not return")
	}
	return result{}
}

var testFindings = []rules.Finding{
	{Rule: "fs.rm-outside", Decision: rules.Confirm, Reason: "deletes /srv/data recursively", Command: "rm -rf /srv/data"},
	{Rule: "fs.rm-outside", Decision: rules.Confirm, Reason: "deletes /srv/data recursively", Command: "rm -rf /srv/data"},
	{Rule: "info.none", Decision: rules.Allow, Reason: "not worth showing"},
}

const promptTail = "Run it? [y/N] "

func TestPromptAnswers(t *testing.T) {
	tests := []struct {
		name  string
		keys  string
		want  bool
		isErr error
	}{
		{"y", "y\n", true, nil},
		{"yes", "yes\n", true, nil},
		{"carriage return", "y\r", true, nil},
		{"spaces and case", "  YeS \n", true, nil},
		{"backspace", "n\x7fy\n", true, nil},
		{"kill line", "no\x15y\n", true, nil},
		{"n", "n\n", false, nil},
		{"no", "no\n", false, nil},
		{"empty", "\n", false, nil},
		{"yess", "yess\n", false, nil},
		{"yes then more", "yes please\n", false, nil},
		{"escape sequence", "\x1b[Ay\n", false, nil},
		{"ctrl-c", "\x03", false, ErrInterrupted},
		{"ctrl-c after y", "y\x03", false, ErrInterrupted},
		{"ctrl-d", "\x04", false, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openPTY(t)
			ch := p.start(context.Background(), PromptRequest{Command: "rm -rf /srv/data", Findings: testFindings, Timeout: time.Minute})
			p.waitFor(t, promptTail)
			p.typeKeys(t, tt.keys)
			r := waitResult(t, ch)
			if r.ok != tt.want {
				t.Errorf("Prompt = %v, want %v (err %v)", r.ok, tt.want, r.err)
			}
			if tt.isErr == nil && r.err != nil || tt.isErr != nil && !errors.Is(r.err, tt.isErr) {
				t.Errorf("err = %v, want %v", r.err, tt.isErr)
			}
		})
	}
}

func TestPromptText(t *testing.T) {
	p := openPTY(t)
	ch := p.start(context.Background(), PromptRequest{Command: "cat <<EOF | sh\nrm -rf /srv/data \x1b[2K\nEOF", Findings: testFindings, Timeout: time.Minute})
	p.waitFor(t, promptTail)
	p.typeKeys(t, "yes\r")
	if r := waitResult(t, ch); !r.ok || r.err != nil {
		t.Fatalf("Prompt = %v, %v", r.ok, r.err)
	}
	p.waitFor(t, "yes\r\n") // echoed by Prompt
	out := p.output()
	want := "guard: this command needs your approval\r\n" +
		"    cat <<EOF | sh\r\n" +
		"    rm -rf /srv/data \\x1b[2K\r\n" +
		"    EOF\r\n" +
		"  - deletes /srv/data recursively (fs.rm-outside)\r\n" +
		promptTail + "yes\r\n"
	if out != want {
		t.Errorf("terminal shows\n%q\nwant\n%q", out, want)
	}

	// Colour only when asked.
	p = openPTY(t)
	ch = p.start(context.Background(), PromptRequest{Command: "make deploy", Findings: testFindings, Color: true, Timeout: time.Minute})
	p.waitFor(t, promptTail)
	p.typeKeys(t, "n\n")
	waitResult(t, ch)
	if out := p.output(); !strings.Contains(out, ansiBold+ansiYellow+"guard: this command needs your approval"+ansiReset) {
		t.Errorf("colour prompt lacks a bold yellow header: %q", out)
	}
}

func TestPromptTimeout(t *testing.T) {
	p := openPTY(t)
	start := time.Now()
	r := waitResult(t, p.start(context.Background(), PromptRequest{Command: "make deploy", Timeout: 200 * time.Millisecond}))
	elapsed := time.Since(start)
	if r.ok || !errors.Is(r.err, ErrTimeout) {
		t.Fatalf("Prompt = %v, %v; want false, ErrTimeout", r.ok, r.err)
	}
	if elapsed < 200*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("returned after %v, want about 200ms", elapsed)
	}
	p.waitFor(t, "no answer within 200ms")
}

func TestPromptEOF(t *testing.T) {
	p := openPTY(t)
	ch := p.start(context.Background(), PromptRequest{Command: "make deploy", Timeout: time.Minute})
	p.waitFor(t, promptTail)
	p.master.Close()
	r := waitResult(t, ch)
	if r.ok || !errors.Is(r.err, io.EOF) {
		t.Fatalf("Prompt = %v, %v; want false, io.EOF", r.ok, r.err)
	}
}

func TestPromptContextCanceled(t *testing.T) {
	p := openPTY(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := p.start(ctx, PromptRequest{Command: "make deploy"})
	p.waitFor(t, promptTail)
	cancel()
	r := waitResult(t, ch)
	if r.ok || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("Prompt = %v, %v; want false, context.Canceled", r.ok, r.err)
	}
	// Already canceled: nothing is asked.
	if ok, err := Prompt(ctx, p.tty, PromptRequest{Command: "x"}); ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("Prompt with a done context = %v, %v", ok, err)
	}
}

// TestPromptSIGINT must not run in parallel: the signal is process-wide.
func TestPromptSIGINT(t *testing.T) {
	// A shell starts background jobs with SIGINT ignored, and Prompt
	// leaves ignored signals alone: use one it catches.
	sigs := caughtSignals()
	if len(sigs) == 0 {
		t.Skip("SIGINT, SIGTERM and SIGHUP are all ignored")
	}
	p := openPTY(t)
	ch := p.start(context.Background(), PromptRequest{Command: "make deploy", Timeout: time.Minute})
	// The handler is installed before the question is written.
	p.waitFor(t, promptTail)
	if err := syscall.Kill(os.Getpid(), sigs[0].(syscall.Signal)); err != nil {
		t.Fatal(err)
	}
	r := waitResult(t, ch)
	if r.ok || !errors.Is(r.err, ErrInterrupted) {
		t.Fatalf("Prompt = %v, %v; want false, ErrInterrupted", r.ok, r.err)
	}
}

func TestPromptDiscardsTypeahead(t *testing.T) {
	p := openPTY(t)
	// "y" typed before the question, already waiting in the input queue.
	p.typeKeys(t, "y\n")
	fds := []unix.PollFd{{Fd: int32(p.tty.Fd()), Events: unix.POLLIN}}
	if n, err := unix.Poll(fds, 5000); n != 1 || err != nil {
		t.Fatalf("typeahead never arrived: %d %v", n, err)
	}
	r := waitResult(t, p.start(context.Background(), PromptRequest{Command: "make deploy", Timeout: 300 * time.Millisecond}))
	if r.ok || !errors.Is(r.err, ErrTimeout) {
		t.Fatalf("Prompt = %v, %v; want the typeahead ignored and a timeout", r.ok, r.err)
	}
}

func TestPromptRestoresTerminal(t *testing.T) {
	p := openPTY(t)
	before, err := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	ch := p.start(context.Background(), PromptRequest{Command: "make deploy", Timeout: time.Minute})
	p.waitFor(t, promptTail)
	during, _ := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if during.Lflag&(unix.ICANON|unix.ISIG|unix.ECHO) != 0 {
		t.Errorf("while asking: lflag %#x still has ICANON, ISIG or ECHO", during.Lflag)
	}
	p.typeKeys(t, "n\n")
	waitResult(t, ch)
	after, _ := unix.IoctlGetTermios(int(p.tty.Fd()), unix.TCGETS)
	if *after != *before {
		t.Errorf("terminal not restored:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestPromptRefusesDeny(t *testing.T) {
	p := openPTY(t)
	ok, err := Prompt(context.Background(), p.tty, PromptRequest{Command: "rm -rf ~", Findings: []rules.Finding{{Rule: "fs.rm-home", Decision: rules.Deny, Reason: "deletes your home"}}})
	if ok || err == nil {
		t.Fatalf("Prompt = %v, %v; want a refusal with an error", ok, err)
	}
	time.Sleep(20 * time.Millisecond)
	if out := p.output(); out != "" {
		t.Errorf("a denied command was shown for approval: %q", out)
	}
	if ok, err := Prompt(context.Background(), nil, PromptRequest{}); ok || err == nil {
		t.Errorf("Prompt without a terminal = %v, %v", ok, err)
	}
}

func TestCommandLinesLimits(t *testing.T) {
	long := strings.Repeat("a", promptMaxRunes+10)
	got := commandLines(long + "\nsecond")
	if len(got) != 2 || !strings.HasSuffix(got[0], "…") || !strings.Contains(got[1], "10 more character(s) and 1 more line(s)") {
		t.Errorf("long line: %q", got)
	}
	many := strings.Repeat("x\n", promptMaxLines+5)
	got = commandLines(many)
	if len(got) != promptMaxLines+1 || !strings.Contains(got[promptMaxLines], "6 more line(s)") {
		t.Errorf("many lines: %d lines, last %q", len(got), got[len(got)-1])
	}
}

func TestUseColor(t *testing.T) {
	p := openPTY(t)
	t.Setenv("TERM", "xterm")
	t.Setenv("NO_COLOR", "")
	if !UseColor(p.tty) {
		t.Error("UseColor(pty) = false")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if UseColor(w) {
		t.Error("UseColor(pipe) = true")
	}
	t.Setenv("NO_COLOR", "1")
	if UseColor(p.tty) {
		t.Error("UseColor with NO_COLOR=1 = true")
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "dumb")
	if UseColor(p.tty) {
		t.Error("UseColor with TERM=dumb = true")
	}
	if UseColor(nil) {
		t.Error("UseColor(nil) = true")
	}
}

// promptHelperEnv selects what TestPromptHelperProcess does in a child.
const promptHelperEnv = "GUARD_SANDBOX_PROMPT_HELPER"

// promptOutcome is what a helper child reports on stdout.
type promptOutcome struct {
	OK          bool
	Err         string
	Interrupted bool
	Background  bool
}

// TestPromptHelperProcess is not a test: it is the body of the child
// processes of TestPromptControllingTerminal, which own the pty as their
// controlling terminal as guard owns the user's terminal.
func TestPromptHelperProcess(t *testing.T) {
	switch os.Getenv(promptHelperEnv) {
	case "":
		t.Skip("helper process only")
	case "bg-parent":
		// Session leader in the foreground: run the prompt in a new,
		// background process group.
		c := exec.Command(os.Args[0], "-test.run=^TestPromptHelperProcess$")
		c.Env = append(os.Environ(), promptHelperEnv+"=ask")
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Run(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	case "ask":
		tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
		if err != nil {
			json.NewEncoder(os.Stdout).Encode(promptOutcome{Err: err.Error()})
			os.Exit(0)
		}
		ok, err := Prompt(context.Background(), tty, PromptRequest{Command: "make deploy", Timeout: time.Minute})
		o := promptOutcome{OK: ok, Interrupted: errors.Is(err, ErrInterrupted), Background: errors.Is(err, ErrNotForeground)}
		if err != nil {
			o.Err = err.Error()
		}
		json.NewEncoder(os.Stdout).Encode(o)
		os.Exit(0)
	}
}

func TestPromptControllingTerminal(t *testing.T) {
	run := func(t *testing.T, helper, keys string) promptOutcome {
		t.Helper()
		p := openPTY(t)
		c := exec.Command(os.Args[0], "-test.run=^TestPromptHelperProcess$")
		c.Env = append(os.Environ(), promptHelperEnv+"="+helper)
		// A new session whose controlling terminal is the pty: the child is
		// in its foreground, as guard is in the user's terminal.
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
		c.Stdin = p.tty
		var out strings.Builder
		c.Stdout = &out
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		if keys != "" {
			p.waitFor(t, promptTail)
			p.typeKeys(t, keys)
		}
		if err := c.Wait(); err != nil {
			t.Fatalf("helper: %v (it was killed rather than refusing?)", err)
		}
		var o promptOutcome
		if err := json.Unmarshal([]byte(out.String()), &o); err != nil {
			t.Fatalf("helper output %q: %v", out.String(), err)
		}
		return o
	}

	t.Run("foreground yes", func(t *testing.T) {
		if o := run(t, "ask", "y\r"); !o.OK || o.Err != "" {
			t.Errorf("got %+v, want approved", o)
		}
	})
	t.Run("ctrl-c refuses without killing the process group", func(t *testing.T) {
		if o := run(t, "ask", "\x03"); o.OK || !o.Interrupted {
			t.Errorf("got %+v, want interrupted", o)
		}
	})
	t.Run("background refuses at once", func(t *testing.T) {
		start := time.Now()
		if o := run(t, "bg-parent", ""); o.OK || !o.Background {
			t.Errorf("got %+v, want ErrNotForeground", o)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("took %v", d)
		}
	})
}
