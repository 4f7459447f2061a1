package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
)

// Errors Prompt returns (wrapped) when it refuses without a "no", so that
// the audit log can say why.
var (
	// ErrTimeout: nobody answered within PromptRequest.Timeout.
	ErrTimeout = errors.New("no answer before the timeout")
	// ErrInterrupted: Ctrl-C at the prompt, or SIGINT, SIGTERM or SIGHUP
	// while it waited.
	ErrInterrupted = errors.New("interrupted")
	// ErrNotForeground: the terminal belongs to another process group (guard
	// runs in the background); reading it would stop guard, so nobody is
	// asked. Use a one-time approval instead.
	ErrNotForeground = errors.New("guard is not in the terminal's foreground process group")
)

// PromptRequest is what Prompt shows to the human.
type PromptRequest struct {
	// Command is the command to approve, already redacted by the caller.
	Command string
	// Findings are the reasons it needs approval; each is shown as
	// "  - <reason> (<rule id>)". Allow-level findings are not shown; a
	// deny-level finding makes Prompt refuse without asking, since a denied
	// command is never approved at a prompt.
	Findings []rules.Finding
	// Timeout bounds the wait for an answer; 0 waits until ctx is done.
	Timeout time.Duration
	// Color adds bold and yellow; see UseColor.
	Color bool
}

// Longest command Prompt shows in full; the rest is summarised, so that a
// megabyte heredoc cannot scroll the findings off the screen.
const (
	promptMaxLines = 40
	promptMaxRunes = 4000
	answerMaxBytes = 64
)

// Prompt asks the human on tty (normally /dev/tty opened read-write)
// whether to run req.Command, and returns true only for "y" or "yes"
// (any case, surrounding space ignored). It reads and writes nothing but
// tty: the process's stdin, stdout and stderr belong to the agent.
//
// Any other answer is a refusal with a nil error. Refusals without an
// answer come with an error for the audit log: ErrTimeout, ErrInterrupted
// (Ctrl-C, or SIGINT/SIGTERM/SIGHUP, which Prompt catches while it waits
// and stops catching when it returns), ErrNotForeground, io.EOF (the
// terminal closed), ctx.Err(), or an I/O error.
//
// While it waits, the terminal is switched from line mode to reading key by
// key with signals and echo off (restored afterwards), and Prompt edits the
// line itself (backspace, Ctrl-U). That way Ctrl-C refuses this command
// instead of sending SIGINT to the whole foreground process group (which
// holds the agent), the answer also works when an agent's TUI left the
// terminal in raw mode, and typeahead from before the question was shown is
// discarded, so an earlier keystroke can never count as a yes.
func Prompt(ctx context.Context, tty *os.File, req PromptRequest) (bool, error) {
	if tty == nil {
		return false, errors.New("prompt: no terminal to ask on")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	for _, f := range req.Findings {
		if f.Decision >= rules.Deny {
			return false, fmt.Errorf("prompt: %s is denied (%s); a denied command is never approved at a prompt", f.Rule, f.Reason)
		}
	}
	rc, err := tty.SyscallConn()
	if err != nil {
		return false, fmt.Errorf("prompt: %s: %w", tty.Name(), err)
	}
	var ok bool
	var perr error
	if err := rc.Control(func(fd uintptr) {
		ok, perr = prompt(ctx, tty, int(fd), req)
	}); err != nil {
		return false, fmt.Errorf("prompt: %s: %w", tty.Name(), err)
	}
	return ok, perr
}

// prompt is Prompt with the terminal's descriptor, valid for the call.
func prompt(ctx context.Context, tty *os.File, fd int, req PromptRequest) (bool, error) {
	// Reading the controlling terminal from a background process group
	// stops the process (SIGTTIN): refuse instead. A terminal that is not
	// our controlling terminal (ENOTTY) has no job control.
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil && pgrp != unix.Getpgrp() {
		return false, fmt.Errorf("prompt: %w; approve with \"guard approve\" instead", ErrNotForeground)
	}

	parent := ctx
	if sigs := caughtSignals(); len(sigs) > 0 {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, sigs...)
		defer stop()
	}

	// Key-by-key input without echo or signals; restored on every return.
	echo := false
	eol := "\r\n" // right whatever the output mode; "\n" when the tty maps it
	if old, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
		if old.Oflag&(unix.OPOST|unix.ONLCR) == unix.OPOST|unix.ONLCR {
			eol = "\n"
		}
		raw := *old
		raw.Lflag &^= unix.ICANON | unix.ECHO | unix.ECHONL | unix.ISIG | unix.IEXTEN
		raw.Cc[unix.VMIN] = 1
		raw.Cc[unix.VTIME] = 0
		if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err == nil {
			echo = true
			defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
		}
		// Typeahead typed before the question is not an answer to it.
		unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH)
	}

	if _, err := io.WriteString(tty, promptText(req, eol)); err != nil {
		return false, fmt.Errorf("prompt: write to %s: %w", tty.Name(), err)
	}

	var deadline time.Time
	if req.Timeout > 0 {
		deadline = time.Now().Add(req.Timeout)
	}
	line, err := readAnswer(ctx, tty, fd, deadline, echo, eol)
	switch {
	case err == nil:
		answer := strings.ToLower(strings.TrimSpace(line))
		return answer == "y" || answer == "yes", nil
	case errors.Is(err, ErrTimeout):
		fmt.Fprintf(tty, "%sguard: no answer within %s: not running it%s", eol, req.Timeout, eol)
	case errors.Is(err, ErrInterrupted):
		fmt.Fprintf(tty, "^C%sguard: interrupted: not running it%s", eol, eol)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		if parent.Err() == nil { // our signal context, not the caller's
			fmt.Fprintf(tty, "%sguard: interrupted: not running it%s", eol, eol)
			return false, fmt.Errorf("prompt: %w by a signal", ErrInterrupted)
		}
		io.WriteString(tty, eol)
	}
	return false, err
}

// caughtSignals returns the signals Prompt turns into a refusal: those not
// ignored, so that a guard started with nohup or with SIGINT ignored keeps
// ignoring them after Prompt returns.
func caughtSignals() []os.Signal {
	var out []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// readAnswer reads one line from fd, editing and echoing it when echo is
// set (the terminal's own echo is off). It returns the line without its
// end, or ErrTimeout at deadline (zero: none), ErrInterrupted for Ctrl-C,
// io.EOF for Ctrl-D on an empty line or a closed terminal, ctx.Err() when
// ctx is done.
//
// A read on a terminal blocks, so it waits with poll(2) on the terminal and
// on a pipe that a goroutine closes when ctx is done.
func readAnswer(ctx context.Context, tty io.Writer, fd int, deadline time.Time, echo bool, eol string) (string, error) {
	var wake [2]int
	if err := unix.Pipe2(wake[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return "", fmt.Errorf("prompt: %w", err)
	}
	defer unix.Close(wake[0])
	done := make(chan struct{})
	woken := make(chan struct{})
	go func() {
		defer close(woken)
		select {
		case <-ctx.Done():
			unix.Write(wake[1], []byte{0})
		case <-done:
		}
	}()
	defer func() {
		close(done)
		<-woken
		unix.Close(wake[1])
	}()

	var line []byte
	buf := make([]byte, 256)
	for {
		timeout := -1
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return "", ErrTimeout
			}
			timeout = int((left + time.Millisecond - 1) / time.Millisecond)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(wake[0]), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, timeout)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("prompt: wait for the terminal: %w", err)
		}
		if fds[1].Revents != 0 || ctx.Err() != nil {
			return "", ctx.Err()
		}
		if n == 0 {
			continue // the deadline check above decides
		}
		re := fds[0].Revents
		if re&unix.POLLNVAL != 0 {
			return "", errors.New("prompt: the terminal was closed while waiting for an answer")
		}
		if re&unix.POLLIN == 0 {
			if re&(unix.POLLHUP|unix.POLLERR) != 0 {
				return "", fmt.Errorf("prompt: the terminal hung up: %w", io.EOF)
			}
			continue
		}
		n, err = unix.Read(fd, buf)
		switch {
		case err == unix.EINTR || err == unix.EAGAIN:
			continue
		case err == unix.EIO || (err == nil && n == 0):
			return "", fmt.Errorf("prompt: the terminal closed: %w", io.EOF)
		case err != nil:
			return "", fmt.Errorf("prompt: read the terminal: %w", err)
		}
		for _, c := range buf[:n] {
			switch c {
			case '\r', '\n':
				if echo {
					io.WriteString(tty, eol)
				}
				return string(line), nil
			case 0x03: // Ctrl-C
				return "", ErrInterrupted
			case 0x04: // Ctrl-D: end of input on an empty line
				if len(line) == 0 {
					return "", fmt.Errorf("prompt: end of input: %w", io.EOF)
				}
			case 0x7f, 0x08: // backspace
				if len(line) > 0 {
					_, size := utf8.DecodeLastRune(line)
					line = line[:len(line)-size]
					if echo {
						io.WriteString(tty, "\b \b")
					}
				}
			case 0x15: // Ctrl-U
				if echo {
					io.WriteString(tty, strings.Repeat("\b \b", utf8.RuneCount(line)))
				}
				line = line[:0]
			default:
				if c < 0x20 || len(line) >= answerMaxBytes {
					continue // escape sequences and overlong answers: not a yes
				}
				line = append(line, c)
				if echo {
					if c < 0x80 {
						tty.Write([]byte{c})
					} else if utf8.FullRune(line[lastRuneStart(line):]) {
						tty.Write(line[lastRuneStart(line):])
					}
				}
			}
		}
	}
}

// lastRuneStart returns where the last (possibly incomplete) UTF-8
// sequence of b starts.
func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// promptText renders the question, ending lines with eol.
func promptText(req PromptRequest, eol string) string {
	bold, yellow, reset := "", "", ""
	if req.Color {
		bold, yellow, reset = ansiBold, ansiYellow, ansiReset
	}
	var b strings.Builder
	b.WriteString(bold + yellow + "guard: this command needs your approval" + reset + eol)
	for _, l := range commandLines(req.Command) {
		b.WriteString("    " + bold + l + reset + eol)
	}
	seen := map[[2]string]bool{}
	for _, f := range req.Findings {
		key := [2]string{f.Reason, f.Rule}
		if f.Decision < rules.Confirm || seen[key] {
			continue
		}
		seen[key] = true
		b.WriteString("  - " + display.Line(f.Reason) + " (" + display.Line(f.Rule) + ")" + eol)
	}
	b.WriteString(bold + "Run it? [y/N] " + reset)
	return b.String()
}

// commandLines splits a command for display: its own lines kept (a heredoc
// reads as written), control characters escaped, and a very long command
// cut with a note of how much is not shown.
func commandLines(cmd string) []string {
	lines := strings.Split(display.Text(cmd), "\n")
	var out []string
	budget := promptMaxRunes
	for i, l := range lines {
		if i == promptMaxLines || budget <= 0 {
			out = append(out, fmt.Sprintf("[... %d more line(s) not shown]", len(lines)-i))
			break
		}
		r := []rune(l)
		if len(r) > budget {
			out = append(out, string(r[:budget])+"…", fmt.Sprintf("[... %d more character(s) and %d more line(s) not shown]", len(r)-budget, len(lines)-i-1))
			break
		}
		budget -= len(r)
		out = append(out, l)
	}
	return out
}

// UseColor reports whether output to f may use ANSI colours: f is a
// terminal, NO_COLOR is unset or empty (https://no-color.org), and TERM is
// not "dumb". Callers use it for PromptRequest.Color with the tty, and for
// FormatAudit with stdout.
func UseColor(f *os.File) bool {
	if f == nil || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	rc, err := f.SyscallConn() // unlike f.Fd, keeps f non-blocking
	if err != nil {
		return false
	}
	isTerm := false
	rc.Control(func(fd uintptr) { isTerm = term.IsTerminal(int(fd)) })
	return isTerm
}
