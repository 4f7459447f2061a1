package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/guard-dev/guard/rules"
)

// SessionPolicy is how a session judges lines at one moment. A live policy
// reload replaces it; a line is judged with the policy in force when it
// arrives.
type SessionPolicy struct {
	// Checker judges the lines (rules.NewSessionChecker, whose Check also
	// applies the session's rules to each line's own source).
	Checker *rules.Checker
	// Gate admits judged lines: it asks on the terminal, records the
	// audit log. Its Mode is set to "session" and its Stderr and OpenTTY
	// to the session's terminal.
	Gate *Gate
}

// Session is an interactive bash in a pseudo-terminal, every command line
// of which guard judges before bash runs any part of it. See sessionRC for
// how bash asks, and ARCHITECTURE.md for what it can and cannot stop.
type Session struct {
	// Shell is the real bash.
	Shell string
	// Login makes bash read the login startup files (/etc/profile,
	// ~/.bash_profile...) instead of ~/.bashrc.
	Login bool
	// Env is bash's environment, already filtered; guard adds
	// GUARD_SESSION (its pid) and GUARD_ACTIVE=1.
	Env []string
	// Policy returns the policy in force; it is called once per line.
	Policy func() *SessionPolicy
	// Stdin and Stdout are the outer terminal.
	Stdin, Stdout *os.File
	// Notices, when set, receives the messages for the human that a live
	// policy reload produces (see Notify); nil discards them.
	Notices <-chan string
}

// Run starts bash in a pty, relays the terminal until bash exits and
// returns its exit status (128+N when signal N killed it). The outer
// terminal is in raw mode while bash runs and is restored on every way
// out: bash's exit, a signal to guard, a panic.
func (s *Session) Run() (code int, err error) {
	inFd := int(s.Stdin.Fd())
	if !term.IsTerminal(inFd) {
		return 0, errors.New("guard shell needs a terminal on standard input; to run a script, use `guard -c 'COMMAND'` or `guard < script`")
	}
	// guard stays bash's parent, and its own initial environment, in
	// /proc/PID/environ, still holds what it stripped from bash's: made
	// non-dumpable, guard's /proc files belong to root and its memory
	// cannot be read or traced by the session's commands, which run as the
	// same user. bash's exec makes bash dumpable again.
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return 0, fmt.Errorf("cannot hide guard's own environment from the session's commands (prctl PR_SET_DUMPABLE): %w", err)
	}
	shell := s.Shell
	if shell == "" {
		shell = DefaultShell
	}
	dir, err := os.MkdirTemp("", "guard-session-")
	if err != nil {
		return 0, fmt.Errorf("cannot create the session's private directory (check $TMPDIR): %w", err)
	}
	defer os.RemoveAll(dir)
	rc := filepath.Join(dir, "bashrc")
	if err := os.WriteFile(rc, []byte(sessionRC(s.Login)), 0o600); err != nil {
		return 0, fmt.Errorf("cannot write the session's bash integration: %w", err)
	}

	// The channel: a socket pair whose guard end sees, for every chunk it
	// receives, the pid of the process that sent it (SO_PASSCRED).
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("cannot create the session's channel: %w", err)
	}
	chanFd := fds[0]
	defer unix.Close(chanFd)
	if err := unix.SetsockoptInt(chanFd, unix.SOL_SOCKET, unix.SO_PASSCRED, 1); err != nil {
		unix.Close(fds[1])
		return 0, fmt.Errorf("cannot authenticate the session's channel: %w", err)
	}
	bashEnd := os.NewFile(uintptr(fds[1]), "guard-session-channel")

	cmd := exec.Command(shell, "--rcfile", rc, "-i")
	cmd.Args[0] = filepath.Base(shell)
	cmd.Env = append(MarkRealShell(s.Env, false, cmd.Args[1:]), SessionEnvVar+"="+strconv.Itoa(os.Getpid()), GuardedEnv+"=1")
	cmd.ExtraFiles = []*os.File{bashEnd}
	size, err := pty.GetsizeFull(s.Stdin)
	if err != nil {
		size = &pty.Winsize{Rows: 24, Cols: 80}
	}
	ptmx, err := pty.StartWithSize(cmd, size)
	bashEnd.Close()
	if err != nil {
		return 0, fmt.Errorf("cannot start %s in a terminal: %w", shell, err)
	}
	defer ptmx.Close()

	old, err := term.MakeRaw(inFd)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return 0, fmt.Errorf("cannot put the terminal in raw mode: %w", err)
	}
	var restoreOnce sync.Once
	restore := func() { restoreOnce.Do(func() { term.Restore(inFd, old) }) }
	defer restore()
	defer func() {
		if p := recover(); p != nil {
			restore()
			cmd.Process.Kill()
			panic(p)
		}
	}()

	// Blocking reads and writes on the pty, each on its goroutine's own
	// thread, move bash's output with fewer system calls than the
	// runtime's poller (which wakes once per chunk the pty hands out).
	ptmx.Fd()

	r := &sessionRun{
		s:       s,
		ptmx:    ptmx,
		bash:    cmd.Process,
		chanFd:  chanFd,
		inFd:    inFd,
		stdout:  s.Stdout,
		judging: make(chan sessionMsg, 16),
	}
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", cmd.Process.Pid)); err == nil {
		r.bashExe = exe
	}
	r.in, err = newInputRelay(inFd, ptmx)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return 0, err
	}
	defer r.in.close()

	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGWINCH, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT)
	defer signal.Stop(sigs)

	outDone := make(chan struct{})
	go r.outputLoop(outDone)
	go r.in.loop()
	go r.channelLoop()
	go r.worker()

	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	hangingUp := false
	for {
		select {
		case sig := <-sigs:
			switch sig {
			case syscall.SIGWINCH:
				pty.InheritSize(s.Stdin, ptmx)
			case syscall.SIGTERM, syscall.SIGHUP:
				// The terminal or the system ends guard: end bash too,
				// as a terminal hang-up would.
				if !hangingUp {
					hangingUp = true
					go hangUp(cmd.Process)
				}
			}
			// SIGINT and SIGQUIT cannot come from the keyboard in raw mode
			// (Ctrl-C reaches bash as a byte); sent by kill, they are
			// ignored rather than leave bash without its terminal.
		case msg := <-s.Notices:
			r.notice(msg)
		case <-waited:
			// Output already written by bash is still relayed; a
			// background job that keeps the terminal open is not waited
			// for.
			select {
			case <-outDone:
			case <-time.After(300 * time.Millisecond):
			}
			unix.Shutdown(chanFd, unix.SHUT_RDWR)
			restore()
			if r.ended() {
				return ExitBlocked, nil
			}
			return ExitCode(cmd.ProcessState), nil
		}
	}
}

// hangUp ends bash as a terminal hang-up does, with SIGHUP to its process
// group. A SIGHUP that lands while bash waits for a verdict ends only the
// judging child, and bash goes back to its prompt: so the signal is sent
// again, and bash is killed when it still runs after hangUpGrace. The
// session's Wait ends once bash has exited.
func hangUp(bash *os.Process) {
	for _, wait := range []time.Duration{0, 200 * time.Millisecond, time.Second} {
		time.Sleep(wait)
		if bash.Signal(syscall.SIGHUP) != nil {
			return // bash has exited
		}
		syscall.Kill(-bash.Pid, syscall.SIGHUP)
		syscall.Kill(-bash.Pid, syscall.SIGCONT)
	}
	time.Sleep(hangUpGrace)
	if bash.Kill() == nil {
		syscall.Kill(-bash.Pid, syscall.SIGKILL)
	}
}

// hangUpGrace is how long bash has to exit after the hang-up signals
// before it is killed.
const hangUpGrace = 2 * time.Second

// sessionRun is the state of one running session.
type sessionRun struct {
	s       *Session
	ptmx    *os.File
	bash    *os.Process
	bashExe string
	chanFd  int
	inFd    int
	stdout  *os.File
	in      *inputRelay

	// out serialises writes to the outer terminal: bash's output and
	// guard's own messages and prompts.
	out sync.Mutex
	// queued counts the bytes of bash's output read from the pty and not
	// yet written to the outer terminal.
	queued atomic.Int64
	// judging carries the messages of the session's bash to the worker.
	judging chan sessionMsg

	// lastLine is the history number of the last line judged, and input
	// the state of the input it came from; owned by the worker goroutine.
	lastLine int
	input    sessionInput
	// approved is an input of several lines a human approved as a whole,
	// for the lines of the input that follows.
	approved approval

	endMu     sync.Mutex
	endReason string
}

// Output relay sizes: bash's output moves in chunks of up to outputChunk
// bytes, and at most outputQueue chunks wait for the outer terminal.
const (
	outputChunk = 64 << 10
	outputQueue = 16
)

// outputLoop copies bash's output to the outer terminal until the pty
// closes, then closes done.
//
// Reading and writing run on two threads with a bounded queue between
// them. Each pty hop moves data a few KB at a time through a kernel
// worker, so a relay that read and wrote in turn would leave bash
// waiting while the outer terminal drains, and the outer terminal idle
// while bash refills: with the queue, both hops run side by side.
func (r *sessionRun) outputLoop(done chan<- struct{}) {
	chunks := make(chan []byte, outputQueue)
	free := make(chan []byte, outputQueue+2)
	for i := 0; i < cap(free); i++ {
		free <- make([]byte, outputChunk)
	}
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var werr error
		for b := range chunks {
			if werr == nil {
				r.out.Lock()
				_, werr = r.stdout.Write(b)
				r.out.Unlock()
			}
			// After a write error the chunks are dropped, so that the
			// reader never blocks on a terminal that is gone.
			r.queued.Add(-int64(len(b)))
			free <- b[:cap(b)]
		}
	}()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(chunks)
	fd := int32(r.ptmx.Fd())
	for {
		buf := <-free
		n, err := r.ptmx.Read(buf)
		// During bulk output the pty hands out a few KB per read: take
		// what is already there as well, so that the outer terminal gets
		// fewer, larger writes. Typed echo (a few bytes) goes out at once.
		for err == nil && n >= 1024 && n <= len(buf)-4096 {
			fds := []unix.PollFd{{Fd: fd, Events: unix.POLLIN}}
			if k, _ := unix.Poll(fds, 0); k <= 0 || fds[0].Revents&unix.POLLIN == 0 {
				break
			}
			var m int
			m, err = r.ptmx.Read(buf[n:])
			n += m
		}
		if n > 0 {
			r.queued.Add(int64(n))
			chunks <- buf[:n]
		} else {
			free <- buf
		}
		if err != nil {
			return
		}
	}
}

// quiet waits briefly until bash's output written so far has been relayed,
// so that guard's messages appear after it (below the command line).
func (r *sessionRun) quiet() {
	rc, err := r.ptmx.SyscallConn()
	if err != nil {
		return
	}
	deadline := time.Now().Add(150 * time.Millisecond)
	for time.Now().Before(deadline) {
		pending := 0
		rc.Control(func(fd uintptr) { pending, _ = unix.IoctlGetInt(int(fd), unix.TIOCINQ) })
		if pending == 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	// The relay may hold what it has just read; wait until the outer
	// terminal has it.
	time.Sleep(2 * time.Millisecond)
	for r.queued.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// say writes a message for the human on the outer terminal, on its own
// lines. The caller holds r.out.
func (r *sessionRun) say(msg string) {
	io.WriteString(crlfWriter{r.stdout}, msg)
}

// notice shows a message from the live policy reload.
func (r *sessionRun) notice(msg string) {
	r.quiet()
	r.out.Lock()
	r.say("\n" + msg + "\n")
	r.out.Unlock()
}

// end stops the session because its integration can no longer be trusted:
// bash is killed, and guard exits with ExitBlocked.
func (r *sessionRun) end(reason string) {
	r.endMu.Lock()
	first := r.endReason == ""
	if first {
		r.endReason = reason
	}
	r.endMu.Unlock()
	if !first {
		return
	}
	r.quiet()
	r.out.Lock()
	r.say("\nguard: ending the session: " + reason + ". guard can no longer check what runs in it; start a new session with `guard shell`.\n")
	r.out.Unlock()
	syscall.Kill(-r.bash.Pid, syscall.SIGHUP)
	r.bash.Kill()
}

// ended reports whether guard ended the session.
func (r *sessionRun) ended() bool {
	r.endMu.Lock()
	defer r.endMu.Unlock()
	return r.endReason != ""
}

// crlfWriter writes to a terminal in raw mode, where "\n" alone does not
// return the cursor to the start of the line.
type crlfWriter struct{ w io.Writer }

// Write writes p with every "\n" turned into "\r\n".
func (c crlfWriter) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p)+8)
	for _, b := range p {
		if b == '\n' {
			out = append(out, '\r')
		}
		out = append(out, b)
	}
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// inputRelay copies the outer terminal's input to bash, and can be paused
// while guard reads an answer from the terminal itself.
type inputRelay struct {
	src  int
	dst  *os.File
	wake [2]int

	mu      sync.Mutex
	cond    *sync.Cond
	paused  bool
	parked  bool
	stopped bool
}

func newInputRelay(src int, dst *os.File) (*inputRelay, error) {
	r := &inputRelay{src: src, dst: dst}
	r.cond = sync.NewCond(&r.mu)
	if err := unix.Pipe2(r.wake[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return nil, fmt.Errorf("cannot relay the terminal: %w", err)
	}
	return r, nil
}

// loop relays until the terminal closes or close is called.
func (r *inputRelay) loop() {
	defer func() {
		r.mu.Lock()
		r.stopped = true
		r.cond.Broadcast()
		r.mu.Unlock()
	}()
	buf := make([]byte, 32<<10)
	for {
		r.mu.Lock()
		for r.paused && !r.stopped {
			r.parked = true
			r.cond.Broadcast()
			r.cond.Wait()
		}
		r.parked = false
		stopped := r.stopped
		r.mu.Unlock()
		if stopped {
			return
		}
		fds := []unix.PollFd{{Fd: int32(r.src), Events: unix.POLLIN}, {Fd: int32(r.wake[0]), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, -1); err != nil {
			if err == unix.EINTR {
				continue
			}
			return
		}
		if fds[1].Revents != 0 {
			var b [64]byte
			unix.Read(r.wake[0], b[:])
			continue
		}
		if fds[0].Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) == 0 {
			continue
		}
		n, err := unix.Read(r.src, buf)
		if err == unix.EINTR || err == unix.EAGAIN {
			continue
		}
		if n <= 0 {
			return
		}
		if _, err := r.dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// pause stops the relay and returns once it no longer reads the terminal.
func (r *inputRelay) pause() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paused = true
	unix.Write(r.wake[1], []byte{0})
	for !r.parked && !r.stopped {
		r.cond.Wait()
	}
}

// resume restarts the relay.
func (r *inputRelay) resume() {
	r.mu.Lock()
	r.paused = false
	r.cond.Broadcast()
	r.mu.Unlock()
}

// close stops the relay.
func (r *inputRelay) close() {
	r.mu.Lock()
	r.stopped = true
	r.cond.Broadcast()
	r.mu.Unlock()
	unix.Write(r.wake[1], []byte{0})
}
