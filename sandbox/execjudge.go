package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/launch"
)

// ExecJudgeEnv switches the exec judge (ARCHITECTURE.md, "The exec
// judge") for guard -c, guard run and guard wrap: "on" (the default where
// the kernel supports it) or "off". An unknown value is "on": a typo must
// not switch a protection off.
const ExecJudgeEnv = "GUARD_EXEC_JUDGE"

// ExecJudgeWanted reports whether getenv asks for the exec judge.
func ExecJudgeWanted(getenv func(string) string) bool {
	switch getenv(ExecJudgeEnv) {
	case "off", "0", "false", "no":
		return false
	}
	return true
}

// ExecJudgeStatus describes the exec judge for guard doctor.
func ExecJudgeStatus() (bool, string) {
	if !ExecJudgeWanted(os.Getenv) {
		return false, "exec judge: switched off (" + ExecJudgeEnv + "=off); programs the commands start are not judged"
	}
	if why := launch.ExecJudgeSupport(); why != "" {
		return false, "exec judge: not available: " + why + "; " + unjudged + "; to have them judged, " + execJudgeRemedy
	}
	switch err := probeExecFilter(); {
	case errors.Is(err, launch.ErrListenerTaken) && launch.Marked():
		return false, "exec judge: this runs inside a command another guard runs, whose exec judge judges every program started here; a guard -c, guard run or guard wrap started here has no judge of its own and says so"
	case errors.Is(err, launch.ErrListenerTaken):
		return false, "exec judge: not available: " + err.Error() + " (a container manager such as LXD, or agentsh); " + unjudged + "; to have them judged, run guard outside that supervisor"
	case err != nil:
		return false, "exec judge: not available: " + err.Error() + "; " + unjudged + "; to have them judged, " + execJudgeRemedy
	}
	ok := "exec judge: seccomp user notification; guard -c, guard run and guard wrap judge every program their command's tree execs (guard shell does not)"
	if os.Geteuid() == 0 {
		ok += rootAdvisory
	}
	return true, ok
}

// rootAdvisory is what guard doctor adds as root: a tree running as root
// can take the listener from guard (pidfd_getfd) or kill it, so the judge
// states intent there and enforces nothing.
const rootAdvisory = "; as root it is advisory: a command running as root can take the judge's listener or kill guard, so run agents as an ordinary user"

// unjudged is what guard doctor says goes without the exec judge.
const unjudged = "the programs commands start are not judged (only the command lines guard reads are) and guard wrap refuses to run"

// execJudgeRemedy is what to do where the kernel refuses the exec judge.
const execJudgeRemedy = "run guard where seccomp filters with user notification are allowed: Linux 5.6 or later, outside a container or sandbox whose seccomp profile forbids seccomp(2) (a Docker or Podman profile, systemd's SystemCallFilter)"

// probeExecFilter installs the exec filter on a thread of its own, which
// then ends and takes the filter with it: whether guard -c could judge
// here. Nothing is forked from that thread.
func probeExecFilter() error {
	var err error
	onOwnThread(func() {
		var fd int
		if fd, err = launch.InstallExecFilter(); err == nil {
			unix.Close(fd)
		}
	})
	return err
}

// execJudge is the supervisor of one command's tree: it answers every
// execve and execveat the tree makes, after judging it as guard judges a
// command line.
type execJudge struct {
	g *Guard
	l *launch.Listener
	// first is true until the command's own exec, which guard judged
	// already, has been let through.
	first bool
	// foreseen are the commands the analysis of the line a human approved
	// foresaw: a confirm of one of them at exec time is not asked again.
	foreseen map[string]bool
	// lastPid and lastSrc are the last exec refused, lastErr its answer:
	// a PATH walk (execvp) retries the same argv in the next directory,
	// which gets the same answer without a second message.
	lastPid uint32
	lastSrc string
	lastErr unix.Errno

	// stop, written to, asks serve to return; served is closed when it
	// has; treeGone is closed when it returned because no process of the
	// command's tree is left (passOn).
	stopR, stopW int
	served       chan struct{}
	treeGone     chan struct{}

	// own are the files (device and inode) that are guard's own stderr:
	// its descriptor 2, and the pipe guard relays the command's stderr
	// through (runFenced). A refused process whose stderr is none of them
	// (2>/dev/null, a log file) gets guard's line and guard's stderr a
	// copy, or the line would be lost to whoever reads guard's.
	own [][2]uint64

	// refused are the paths of the execs refused so far, as the refused
	// process named them and as they resolve: its shell then reports
	// "Permission denied" on that path, which is the judge's doing, not
	// the write fence's (runFenced's note skips them).
	mu      sync.Mutex
	refused map[string]bool

	// lin names the processes above each exec for the audit log
	// (lineage.go).
	lin *lineage
	// log is the audit log the records of allowed execs are held for a
	// moment in (audit.go).
	log *auditLog
}

// treeDone writes the audit records still held, and any later one at
// once: the command is done, and guard exits (what its tree still execs
// meanwhile, a background job's, is judged and written until then).
// Nil-safe: no judge, nothing held.
func (j *execJudge) treeDone() {
	if j != nil {
		j.log.stopHolding()
	}
}

// noteRefused remembers the paths of c, an exec the judge refused.
func (j *execJudge) noteRefused(c execCall) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.refused == nil {
		j.refused = map[string]bool{}
	}
	if len(j.refused) >= 64 {
		return
	}
	for _, p := range []string{c.path, c.real} {
		if p == "" {
			continue
		}
		if !filepath.IsAbs(p) && c.cwd != "" {
			p = filepath.Join(c.cwd, p)
		}
		j.refused[filepath.Clean(p)] = true
	}
}

// wasRefused reports whether the judge refused an exec of path p; false
// for a nil judge.
func (j *execJudge) wasRefused(p string) bool {
	if j == nil {
		return false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.refused[filepath.Clean(p)]
}

// startExecJudge installs the exec filter on the calling thread, which the
// caller has locked and forks the command from, and starts serving it on
// another thread. It returns nil, having said why in one line when it is
// not switched off, when no judge is in force; outer is true then when
// the command runs inside another guard's tree, whose judge judges it.
func (g *Guard) startExecJudge() (j *execJudge, outer bool) {
	if !ExecJudgeWanted(os.Getenv) {
		return nil, false
	}
	if why := launch.ExecJudgeSupport(); why != "" {
		fmt.Fprintf(g.Gate.Stderr, "guard: note: no exec judge: %s; the programs the command starts are not judged, only its command line; to have them judged, %s (guard doctor)\n", why, execJudgeRemedy)
		return nil, false
	}
	fd, err := launch.InstallExecFilter()
	switch {
	case errors.Is(err, launch.ErrListenerTaken) && launch.Marked():
		fmt.Fprintf(g.Gate.Stderr, "guard: note: no exec judge of its own: %v; this runs inside another guard, whose exec judge judges the programs this command starts\n", err)
		return nil, true
	case errors.Is(err, launch.ErrListenerTaken):
		fmt.Fprintf(g.Gate.Stderr, "guard: note: no exec judge: %v (a container manager such as LXD, or agentsh); the programs the command starts are not judged by guard; run guard outside that supervisor to have them judged (guard doctor)\n", err)
		return nil, false
	case err != nil:
		fmt.Fprintf(g.Gate.Stderr, "guard: note: no exec judge: %v; the programs the command starts are not judged, only its command line; to have them judged, %s (guard doctor)\n", err, execJudgeRemedy)
		return nil, false
	}
	j = newExecJudge(g, fd, true)
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err == nil {
		j.stopR, j.stopW = p[0], p[1]
	}
	if g.approval != "" && g.approval != "none" {
		j.foresee(g.foreseen)
	}
	go j.serve()
	return j, false
}

// newExecJudge is the judge of the listener fd; first says whether the
// next exec is the command's own.
func newExecJudge(g *Guard, fd int, first bool) *execJudge {
	j := &execJudge{g: g, l: launch.NewListener(fd), first: first, stopR: -1, stopW: -1,
		served: make(chan struct{}), treeGone: make(chan struct{}),
		lin: newLineage(os.Getpid()), log: newAuditLog(g.Gate.StateDir, os.Getenv(AuditRelayEnv))}
	j.addOwnStderr(2)
	return j
}

// fileID is the device and inode of the open file fd; false when fstat
// fails.
func fileID(fd int) ([2]uint64, bool) {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return [2]uint64{}, false
	}
	return [2]uint64{uint64(st.Dev), st.Ino}, true
}

// addOwnStderr counts the open file fd as guard's own stderr. A nil
// judge ignores it.
func (j *execJudge) addOwnStderr(fd int) {
	if j == nil {
		return
	}
	if id, ok := fileID(fd); ok {
		j.mu.Lock()
		j.own = append(j.own, id)
		j.mu.Unlock()
	}
}

// isOwnStderr reports whether f is guard's own stderr, or one it relays
// there; true when fstat fails, so that guard's line is not doubled.
func (j *execJudge) isOwnStderr(f *os.File) bool {
	id, ok := fileID(int(f.Fd()))
	if !ok {
		return true
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Contains(j.own, id)
}

// serve answers execs until it is asked to stop, no process of the tree
// is left, or the listener fails (guard is exiting).
func (j *execJudge) serve() {
	defer close(j.served)
	for {
		n, err := j.l.Next(j.stopR)
		if errors.Is(err, launch.ErrOrphaned) {
			close(j.treeGone)
		}
		if err != nil {
			return
		}
		j.answer(n)
	}
}

// treeGrace is how long passOn waits, after the command's thread ended,
// for the kernel to say that no process of the command's tree is left.
const treeGrace = 150 * time.Millisecond

// passOn keeps judging what the command's tree execs after guard has
// returned the command's status: when some of the tree outlives the
// command (a job it detached, "setsid nohup CMD &"), a process of guard's
// own, started here and detached from everything, takes the listener over
// (ServeExecJudge) and serves it until the last of them is gone. Without
// it their execs would fail with ENOSYS once guard exited, unexplained and
// unrecorded. It is called once the thread that forked the command (and
// carries the filter) has ended, so that only the tree holds the filter.
func (j *execJudge) passOn() {
	if j == nil {
		return
	}
	// The command is done: what the judge held for the audit log is
	// written now, and what its tree still execs is written at once.
	j.treeDone()
	select {
	case <-j.treeGone:
		return
	case <-j.served:
		return // the listener failed: nothing to pass on
	case <-time.After(treeGrace):
	}
	if j.stopW < 0 {
		return
	}
	unix.Write(j.stopW, []byte{1})
	<-j.served // it answered what it read: the helper gets the rest
	if err := startJudgeHelper(j.l.Fd(), j.foreseenNames()); err != nil {
		fmt.Fprintf(j.g.Gate.Stderr, "guard: note: the command left processes running and guard cannot keep judging them (%v): the programs they start from now on are refused (ENOSYS)\n", err)
	}
}

// foreseenNames are the names in j.foreseen, sorted.
func (j *execJudge) foreseenNames() []string {
	names := make([]string, 0, len(j.foreseen))
	for n := range j.foreseen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// JudgeHelperArg is the hidden guard subcommand of passOn's process:
// "guard __exec-judge [--foreseen NAME...]", the listener on descriptor 3.
const JudgeHelperArg = "__exec-judge"

// startJudgeHelper starts guard again, detached (a session of its own,
// /dev/null for stdin, stdout and stderr, so that it holds none of the
// caller's pipes), with the listener fd as its descriptor 3. It starts from
// another thread than the caller's: guard's threads other than the one
// that forked the command are not watched.
func startJudgeHelper(fd int, foreseen []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{JudgeHelperArg}
	if len(foreseen) > 0 {
		args = append(append(args, "--foreseen"), foreseen...)
	}
	cmd := exec.Command(exe, args...)
	cmd.Args[0] = "guard"
	listener := os.NewFile(uintptr(fd), "exec judge listener")
	cmd.ExtraFiles = []*os.File{listener}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	started := make(chan error, 1)
	go func() { started <- cmd.Start() }()
	err = <-started
	runtime.KeepAlive(listener)
	if err == nil {
		cmd.Process.Release()
	}
	return err
}

// ServeExecJudge is guard __exec-judge: it answers the execs of the
// listener on descriptor fd, which a guard that returned passed on
// (passOn), until no process of that command's tree is left. foreseen
// are the names the line a human approved foresaw.
func (g *Guard) ServeExecJudge(fd int, foreseen []string) int {
	if g.Gate == nil || g.Checker == nil {
		return ExitBlocked
	}
	j := newExecJudge(g, fd, false)
	j.treeDone() // the command is done: nothing is held
	if len(foreseen) > 0 {
		j.foresee(foreseen)
	}
	j.serve()
	return 0
}

// execCall is what a stopped exec asks to run.
type execCall struct {
	pid   int
	path  string // as given to the call
	real  string // the file it names, symbolic links resolved; "" when unknown
	argv  []string
	cwd   string
	dirfd int
}

// answer judges one stopped exec and answers it.
func (j *execJudge) answer(n launch.Notif) {
	if j.first {
		// Only the command's own process carries the filter before its
		// exec: guard's watched thread forks it and execs nothing.
		j.first = false
		j.l.Continue(n.ID)
		return
	}
	j.lin.forget(int(n.Pid)) // it execs: its name changes
	c, exists, err := readExec(n)
	if !j.l.Valid(n.ID) {
		return // it died while we read: nothing to answer
	}
	if !exists {
		j.l.Fail(n.ID, unix.ENOENT) // what the kernel would answer
		return
	}
	var (
		src   string
		names []string
		r     rules.Result
	)
	if err != nil {
		src = fmt.Sprintf("exec by process %d", c.pid)
		r.Verdict = rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{{
			Rule: "exec-unreadable", Decision: rules.Confirm, Command: src,
			Reason: "guard cannot read what this exec runs (" + err.Error() + ")",
		}}}
	} else {
		src, names, r = judgeExec(j.g.Checker.Check, c)
	}
	if names == nil {
		// A shell's -c SRC starts what SRC runs: Codex's wrapper ends in
		// exec bash -c CMD, which the approved line foresaw.
		names = r.Names
	}
	if r.Verdict.Decision == rules.Allow || r.Verdict.Decision == rules.Confirm && j.foresaw(names) {
		how := "none"
		if r.Verdict.Decision == rules.Confirm {
			how = "call"
		}
		rec := Record{Mode: "exec", Cwd: c.cwd, Command: StoredCommand(src), Decision: r.Verdict.Decision.String(),
			Rules: ruleIDs(r.Verdict), Approval: how, Note: "process " + strconv.Itoa(c.pid) + j.chain(c.pid)}
		if how == "call" {
			rec.Note += "; foreseen by the command line a human approved"
		}
		j.log.hold(rec) // written within auditHold, or by treeDone
		j.l.Continue(n.ID)
		return
	}
	// Every record so far goes before the one Admit writes at once.
	j.log.flush()
	if n.Pid == j.lastPid && src == j.lastSrc {
		j.l.Fail(n.ID, j.lastErr)
		return
	}
	w := processStderr(c.pid)
	gate := *j.g.Gate
	gate.Mode = "exec"
	gate.CallPID = 0
	if w != nil {
		defer w.Close()
		gate.Stderr = w
		if !j.isOwnStderr(w) {
			gate.Stderr = io.MultiWriter(w, j.g.Gate.Stderr)
		}
	}
	ad := gate.Admit(context.Background(), Command{
		Source: src, Cwd: c.cwd, Plan: r.Plan, Launches: r.Launches, Verdict: r.Verdict,
	}, os.Environ())
	if !j.l.Valid(n.ID) {
		return
	}
	if ad.Run {
		j.l.Continue(n.ID)
		return
	}
	j.lastPid, j.lastSrc, j.lastErr = n.Pid, src, unix.EACCES
	j.noteRefused(c)
	j.l.Fail(n.ID, unix.EACCES)
}

// foresee records names as what the line a human approved foresaw.
func (j *execJudge) foresee(names []string) {
	j.foreseen = make(map[string]bool, len(names))
	for _, n := range names {
		j.foreseen[n] = true
	}
}

// foresaw reports whether every name is one the approved line foresaw.
func (j *execJudge) foresaw(names []string) bool {
	if j.foreseen == nil || len(names) == 0 {
		return false
	}
	for _, n := range names {
		if !j.foreseen[n] {
			return false
		}
	}
	return true
}

// chain is the process chain from pid up to guard, for the audit log:
// " < 812 make < 811 bash".
func (j *execJudge) chain(pid int) string { return j.lin.chain(pid) }

// readExec reads the path of the stopped exec n and resolves it, then,
// when it names a file, its argv and cwd; exists is false when it names
// none. A PATH walk (execvp) tries each directory in turn, and most of an
// everyday build's execs are such misses (gcc's as, make's cc, with a
// PATH of ten directories): a miss costs the path's read and one open.
// The caller checks the notification is still valid before it trusts any
// of it.
func readExec(n launch.Notif) (c execCall, exists bool, err error) {
	c = execCall{pid: int(n.Pid), dirfd: unix.AT_FDCWD}
	ptr := 8
	execveat := n.Nr == unix.SYS_EXECVEAT
	if n.Arch == unix.AUDIT_ARCH_I386 {
		ptr = 4
		execveat = n.Nr == 358
	}
	pathArg, argvArg := n.Args[0], n.Args[1]
	if execveat {
		c.dirfd = int(int32(n.Args[0]))
		pathArg, argvArg = n.Args[1], n.Args[2]
	}
	mem := launch.NewMemory(c.pid)
	defer mem.Close()
	if c.path, err = mem.String(pathArg, launch.MaxPath); err != nil {
		return c, true, err
	}
	if c.real, exists = resolveExec(c); !exists {
		return c, false, nil
	}
	c.cwd = readlink("/proc/" + strconv.Itoa(c.pid) + "/cwd")
	c.argv, err = mem.Argv(argvArg, ptr)
	return c, true, err
}

// readlink is the target of the symbolic link name, "" when it cannot be
// read: one system call where the target is shorter than a page (a
// process's cwd, a descriptor's path), as os.Readlink's growing buffer is
// not.
func readlink(name string) string {
	var buf [4096]byte
	n, err := unix.Readlink(name, buf[:])
	if err != nil || n <= 0 {
		return ""
	}
	if n == len(buf) {
		s, _ := os.Readlink(name) // longer than a page: os.Readlink grows
		return s
	}
	return string(buf[:n])
}

// resolveExec returns the file c's exec names, as this process sees it,
// and false when it does not exist (a PATH walk's miss).
func resolveExec(c execCall) (string, bool) {
	proc := "/proc/" + strconv.Itoa(c.pid)
	var name string
	switch {
	case strings.HasPrefix(c.path, "/"):
		name = proc + "/root" + c.path
	case c.dirfd == unix.AT_FDCWD:
		name = proc + "/cwd/" + c.path
	case c.path == "":
		name = proc + "/fd/" + strconv.Itoa(c.dirfd)
	default:
		name = proc + "/fd/" + strconv.Itoa(c.dirfd) + "/" + c.path
	}
	fd, err := unix.Open(name, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", !errors.Is(err, unix.ENOENT) && !errors.Is(err, unix.ENOTDIR)
	}
	real := readlink("/proc/self/fd/" + strconv.Itoa(fd))
	unix.Close(fd)
	return real, true
}

// judgeExec judges c with check, as execSource reads it. An exec of a
// link to a program of another name is judged twice, and the stricter
// result is the answer: as its target (./x -> /bin/rm is rm) and as the
// name it was called by (/usr/bin/npx -> npx-cli.js is npx, which the
// rules know and npx-cli.js they do not).
func judgeExec(check func(rules.Command) rules.Result, c execCall) (string, []string, rules.Result) {
	src, args, names := execSource(c)
	r := check(rules.Command{Source: src, Cwd: c.cwd, Args: args})
	if called, ok := asCalled(c); ok {
		csrc, cargs, cnames := execSource(called)
		if cr := check(rules.Command{Source: csrc, Cwd: c.cwd, Args: cargs}); cr.Verdict.Decision > r.Verdict.Decision {
			return csrc, cnames, cr
		}
	}
	return src, names, r
}

// asCalled is c without the file its link resolves to, when execSource
// would judge c as that file instead of the name it was called by.
func asCalled(c execCall) (execCall, bool) {
	if c.real == "" || filepath.Base(c.real) == filepath.Base(c.path) || shells[filepath.Base(c.path)] || goTool(c.real) != "" {
		return c, false
	}
	c.real = ""
	return c, true
}

// shells are the programs whose -c SRC is judged as SRC.
var shells = map[string]bool{"bash": true, "sh": true, "dash": true, "zsh": true, "ksh": true, "mksh": true}

// execSource is the command line c is judged as, its positional
// parameters, and the names of the programs it starts (for what the
// approved line foresaw): a shell's -c SRC is SRC; anything else is its
// argv quoted, with the program named by the path it execs when argv[0]
// names another.
func execSource(c execCall) (src string, args, names []string) {
	if len(c.argv) == 0 && c.path == "" {
		return "", nil, nil
	}
	word0 := c.path
	if len(c.argv) > 0 && filepath.Base(c.argv[0]) == filepath.Base(c.path) {
		word0 = c.argv[0]
	}
	if c.real != "" && filepath.Base(c.real) != filepath.Base(c.path) && !shells[filepath.Base(c.path)] {
		// A link to another program (./x -> /bin/rm): judged as that
		// program. A shell reached through its alias (sh -> dash) keeps
		// the name it was called by, which decides how it reads -c.
		word0 = c.real
	}
	base := filepath.Base(word0)
	if tool := goTool(c.real); tool != "" {
		// The go command's own compile, link, asm, vet: named as what
		// they are, not as coreutils' link.
		word0, base = "go tool "+tool, "go"
	}
	if shells[base] && len(c.argv) > 1 {
		if ba, err := ParseBashArgs(c.argv[1:]); err == nil && ba.HasCommand {
			return ba.Command, ba.positional(c.argv[0]), nil
		}
	}
	words := make([]string, 0, max(len(c.argv), 1))
	if strings.HasPrefix(word0, "go tool ") {
		words = append(words, word0)
	} else {
		words = append(words, shellQuote(word0))
	}
	for _, a := range c.argv[min(1, len(c.argv)):] {
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " "), nil, []string{base}
}

// goTool is the name of the Go toolchain's internal tool real is
// (GOROOT/pkg/tool/GOOS_GOARCH/NAME, with GOROOT/bin/go beside it), or "".
func goTool(real string) string {
	dir := filepath.Dir(real)
	tool := filepath.Dir(dir)
	pkg := filepath.Dir(tool)
	if real == "" || filepath.Base(tool) != "tool" || filepath.Base(pkg) != "pkg" {
		return ""
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(pkg), "bin", "go")); err != nil {
		return ""
	}
	return filepath.Base(real)
}

// processStderr opens the stderr of pid for guard's one line:
// pidfd_getfd, else /proc/PID/fd/2. It is nil when neither works.
func processStderr(pid int) *os.File {
	if pidfd, err := unix.PidfdOpen(pid, 0); err == nil {
		fd, err := unix.PidfdGetfd(pidfd, 2, 0)
		unix.Close(pidfd)
		if err == nil {
			return os.NewFile(uintptr(fd), "stderr of "+strconv.Itoa(pid))
		}
	}
	f, err := os.OpenFile("/proc/"+strconv.Itoa(pid)+"/fd/2", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil
	}
	return f
}

// forkExec is syscall.ForkExec for a thread the exec filter watches.
// Go forks with vfork: the forking thread keeps its P (the runtime's
// licence to run Go code) and cannot be stopped until the child's exec
// returns, and that exec waits for the supervisor's answer. So the
// supervisor needs a P of its own, and no stop-the-world (a garbage
// collection) may begin in between, which would wait for the forking
// thread for good: with one P (GOMAXPROCS=1, a one-CPU machine, a CPU
// quota) every command hung.
func forkExec(path string, argv []string, attr *syscall.ProcAttr) (int, error) {
	if runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
	gc := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	pid, err := syscall.ForkExec(path, argv, attr)
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(gc)
	return pid, err
}

// runJudged starts the command as guard's child from the calling (locked,
// watched) thread and waits for it, forwarding the signals an agent sends
// guard; it returns the command's exit status, and the signal that ended
// it, which the caller raises on guard (exitAs) once it has passed the
// judging of what is left of the tree on (passOn). guard cannot exec the
// command in its own place: the supervisor must outlive every exec of the
// tree it judges.
//
// The signals in ignored are ignored by guard instead: guard wrap's agent
// owns the terminal, which sends Ctrl-C and Ctrl-\ to it directly.
func runJudged(path string, argv, env []string, stderr io.Writer, forward, ignored []os.Signal) (int, syscall.Signal) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forward...)
	defer signal.Stop(sigs)
	if len(ignored) > 0 {
		signal.Ignore(ignored...)
	}
	pid, err := forkExec(path, argv, &syscall.ProcAttr{
		Env:   env,
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		fmt.Fprintf(stderr, "guard: %s: %v\n", path, err)
		return 127, 0
	}
	exited := waitFor(pid)
	for {
		select {
		case s := <-sigs:
			syscall.Kill(pid, s.(syscall.Signal))
		case ws := <-exited:
			if ws.Signaled() {
				return 128 + int(ws.Signal()), ws.Signal()
			}
			return ws.ExitStatus(), 0
		}
	}
}

// waitFor waits for the child pid on a goroutine of its own and sends its
// status, once, on the channel it returns.
func waitFor(pid int) <-chan syscall.WaitStatus {
	exited := make(chan syscall.WaitStatus, 1)
	go func() {
		var ws syscall.WaitStatus
		for {
			_, err := syscall.Wait4(pid, &ws, 0, nil)
			if !errors.Is(err, syscall.EINTR) {
				break
			}
		}
		exited <- ws
	}()
	return exited
}

// exitAs is guard's exit status for a command that ended with code, or
// with the signal sig (0 for none), which guard raises on itself so that
// its caller sees the command's own end.
func exitAs(code int, sig syscall.Signal) int {
	if sig != 0 {
		signal.Reset(sig)
		syscall.Kill(os.Getpid(), sig)
	}
	return code
}

// onOwnThread runs f on a thread of its own, locked to it, which ends
// with f: what f puts on its thread (the write fence, the mark, the exec
// filter) then leaves guard with it. The process's first thread cannot
// end before the process: f runs on another.
func onOwnThread(f func()) {
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with f
		defer close(done)
		if unix.Gettid() == unix.Getpid() {
			// Locked here, this thread takes no other goroutine.
			onOwnThread(f)
			runtime.UnlockOSThread()
			return
		}
		f()
	}()
	<-done
}

// Wrap is guard wrap: argv, a whole agent a human starts, runs as guard's
// child under the exec judge, with the secrets guard strips removed from
// its environment and the kernel mark on its tree (it cannot approve its
// own commands) and inside the write fence (fencerun.go), which applies to
// guard wrap as to guard -c. The agent itself is not judged; every program its tree
// execs is, its shell tool's bash -c included. A confirm is never asked on
// the terminal, which the agent owns: it is refused with a guard approve
// line. Without the exec judge Wrap refuses to start the agent: running it
// unjudged would be the opposite of what was asked.
//
// With GUARD_GATEWAY=on the agent's HTTP(S) goes through guard's gateway
// (guard-gateway, gatewayrun.go), started for the agent's life: writes to
// a production platform's API need a human's yes there too, whichever
// program sends them. Without guard-gateway the agent runs, with a note.
func (g *Guard) Wrap(argv []string) int {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintf(g.Gate.Stderr, "guard: %s: command not found\n", argv[0])
		return 127
	}
	if !ExecJudgeWanted(os.Getenv) {
		fmt.Fprintf(g.Gate.Stderr, "guard: wrap: refused: the exec judge is switched off (%s=off), and guard wrap is nothing without it; run %s yourself if you mean to run it unjudged\n", ExecJudgeEnv, argv[0])
		return ExitBlocked
	}
	if why := launch.ExecJudgeSupport(); why != "" {
		fmt.Fprintf(g.Gate.Stderr, "guard: wrap: refused: %s; guard wrap judges every program %s's tree starts and is nothing without its exec judge, so %s was not started. To run it judged, %s; or have guard judge its shell commands instead (guard install)\n", why, argv[0], argv[0], execJudgeRemedy)
		return ExitBlocked
	}
	environ := wrapEnviron(os.Environ(), g.Gate.Env) // wrapenv.go
	// The gateway judges the tree's HTTP(S) to production platforms; it
	// starts before the fence and the exec filter, which are the agent's.
	// Off unless asked for (GatewayEnvVar says why).
	if GatewayWanted(os.Getenv) {
		gw, err := startGateway(g.Cwd, g.Gate.Stderr)
		if err != nil {
			fmt.Fprintf(g.Gate.Stderr, "guard: wrap: note: no gateway: %v; the agent's HTTPS writes to production platforms are not judged, only the commands that send them (guard doctor)\n", err)
		} else {
			defer gw.stop()
			environ = GatewayEnv(environ, gw.ready)
		}
	}
	g.Gate.OpenTTY = func() (*os.File, error) { return nil, errors.New("the agent owns the terminal") }
	var (
		code  int
		sig   syscall.Signal
		judge *execJudge
	)
	onOwnThread(func() { // the fence, the mark and the filter on it (guard.exec says why)
		// The agent's tree writes only what the write fence grants (fencerun.go).
		if _, ok := g.applyFence(); !ok {
			code = ExitBlocked
			return
		}
		launch.InstallMark()
		var outer bool
		if judge, outer = g.startExecJudge(); judge == nil && !outer {
			// It said why.
			fmt.Fprintf(g.Gate.Stderr, "guard: wrap: refused: guard wrap is nothing without its exec judge, so %s was not started\n", argv[0])
			code = ExitBlocked
			return
		}
		// Inside another guard, whose judge judges this tree, the agent
		// runs judged all the same.
		code, sig = runJudged(path, argv, environ, g.Gate.Stderr,
			[]os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2},
			[]os.Signal{syscall.SIGINT, syscall.SIGQUIT})
	})
	judge.passOn()
	return exitAs(code, sig)
}
