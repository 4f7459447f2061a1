package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/fence"
)

// FenceEnv switches the write fence (sandbox/fence) for the commands guard
// runs when no config file sets [sandbox] fence: "on" (the default for
// the agent routes, guard -c and guard run), "off", or "nolandlock",
// which acts as on a kernel without Landlock (the degrade path, for
// tests). guard shell, where a human types, is not fenced.
const FenceEnv = "GUARD_FENCE"

// FenceSetting says whether the fence is wanted and whether Landlock is to
// be treated as missing. configured is the config's [sandbox] fence (only
// the user or managed layer can set it, rules/configschema.go): when set
// it decides; else FenceEnv does. An unknown value of FenceEnv is "on": a
// typo must not switch a protection off.
func FenceSetting(getenv func(string) string, configured string) (on, noLandlock bool, why string) {
	switch configured {
	case "off":
		return false, false, "switched off ([sandbox] fence = \"off\")"
	case "on":
		return true, getenv(FenceEnv) == "nolandlock", ""
	}
	switch getenv(FenceEnv) {
	case "off", "0", "false", "no":
		return false, false, "switched off (" + FenceEnv + "=off)"
	case "nolandlock":
		return true, true, ""
	}
	return true, false, ""
}

// fenceEnv is what the fence is built from for a command guard runs in
// g.Cwd.
func (g *Guard) fenceEnv() fence.Env {
	// Several grants share a tool (cargo, rustup, pnpm, nvim): each is
	// looked for along PATH once.
	installed := map[string]bool{}
	return fence.Env{
		Home:        rules.UserHome(os.Getenv),
		Cwd:         g.Cwd,
		ProjectRoot: g.root,
		Getenv:      os.Getenv,
		Protected:   g.Locations.Paths(),
		Writable:    g.writable(),
		Installed: func(tool string) bool {
			found, ok := installed[tool]
			if !ok {
				_, err := exec.LookPath(tool)
				found = err == nil
				installed[tool] = found
			}
			return found
		},
	}
}

// fenceConfig is the config's [sandbox] fence, "" when unset.
func (g *Guard) fenceConfig() string {
	if g.Policy == nil {
		return ""
	}
	return g.Policy.Fence
}

// writable is the config's [paths] writable.
func (g *Guard) writable() []string {
	if g.Policy == nil {
		return nil
	}
	return g.Policy.Writable
}

// applyFence puts the write fence on the calling thread, which the caller
// has locked and execs or forks from. It returns the fence in force (ABI 0
// when none) and false, having said why, when the command must not run: a
// grant was refused. Without Landlock the command runs unfenced, and guard
// says so in one line.
func (g *Guard) applyFence() (fence.Status, bool) {
	on, noLandlock, why := FenceSetting(os.Getenv, g.fenceConfig())
	if !on {
		return fence.Status{Why: why}, true
	}
	st, err := fence.Apply(g.fenceEnv(), fence.Options{NoLandlock: noLandlock})
	if err != nil {
		fmt.Fprintf(g.Gate.Stderr, "guard: blocked: %v\n", err)
		return st, false
	}
	if st.ABI == 0 {
		fmt.Fprintf(g.Gate.Stderr, "guard: note: no write fence: %s; the command runs with your full write access (guard doctor)\n", st.Why)
	}
	return st, true
}

// relayable reports whether fd 2 is a pipe or a socket, which guard can
// stand in the middle of without the command noticing: a terminal or a
// file is handed on as it is, and guard then cannot explain a denial.
func relayable() bool {
	var st unix.Stat_t
	if unix.Fstat(2, &st) != nil {
		return false
	}
	m := st.Mode & unix.S_IFMT
	return m == unix.S_IFIFO || m == unix.S_IFSOCK
}

// sameFd reports whether fds a and b are the same open file (2>&1).
func sameFd(a, b int) bool {
	ia, okA := fileID(a) // execjudge.go
	ib, okB := fileID(b)
	return okA && okB && ia == ib
}

// forwarded are the signals guard passes on to the fenced command: what an
// agent sends the process it started to stop or resize it.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH}

// runFenced starts the fenced command as guard's child, from the calling
// (fenced, locked) thread, with its stderr through guard, so that guard
// can explain a write the fence refused (fence.Denied). It returns false
// when stderr cannot be relayed: the caller then execs as without the
// fence. The command keeps every other descriptor; it dies with guard
// (PR_SET_PDEATHSIG), gets the signals an agent sends guard, and its exit
// status or signal becomes guard's (exitAs: the caller raises the signal
// sig it returns).
func (g *Guard) runFenced(path string, argv, env []string, st fence.Status, judge *execJudge) (int, syscall.Signal, bool) {
	if !relayable() {
		return 0, 0, false
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, 0, false
	}
	judge.addOwnStderr(int(r.Fd())) // what the command writes there reaches guard's stderr
	out := uintptr(1)
	if sameFd(1, 2) {
		// One pipe for both keeps the order of what the command writes.
		out = w.Fd()
	}
	// A guard inside the tree cannot write the audit log: it sends its
	// records here (AuditRelayEnv).
	if ar, err := startAuditRelay(g.Gate.StateDir, os.Getenv(AuditRelayEnv)); err == nil {
		defer ar.stop()
		env = append(withoutVar(env, AuditRelayEnv), AuditRelayEnv+"="+ar.name)
	}
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	pid, err := forkExec(path, argv, &syscall.ProcAttr{ // execjudge.go
		Env:   env,
		Files: []uintptr{0, out, w.Fd()},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	})
	w.Close()
	if err != nil {
		r.Close()
		fmt.Fprintf(g.Gate.Stderr, "guard: %s: %v\n", path, err)
		return 127, 0, true
	}
	done := make(chan relayResult, 1)
	go func() { done <- relay(r, os.Stderr) }()
	exited := waitFor(pid) // execjudge.go
	var ws syscall.WaitStatus
wait:
	for {
		select {
		case s := <-sigs:
			syscall.Kill(pid, s.(syscall.Signal))
		case ws = <-exited:
			break wait
		}
	}
	// What the command wrote is relayed whole; a background job that
	// still holds the pipe gets a cat of its own, so guard can exit.
	r.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	res := <-done
	if !res.eof {
		handOff(r)
	}
	r.Close()
	judge.treeDone()
	code := ws.ExitStatus()
	var sig syscall.Signal
	if ws.Signaled() {
		sig = ws.Signal()
		code = 128 + int(sig)
	}
	if code != 0 {
		// A program the exec judge refused is reported "Permission
		// denied" by its shell: the judge said why on that process's
		// stderr, and the fence had no part in it.
		writable := func(p string) bool { return !judge.wasRefused(p) && fence.DACWritable(p) }
		if p, unsure := fence.Denied(res.hits, g.Cwd, st.Granted, writable); p != "" {
			fmt.Fprintln(g.Gate.Stderr, fence.Note(p, unsure, st, rules.UserHome(os.Getenv)))
		}
	}
	return code, sig, true
}

// relayResult is what relay saw: the lines that report a permission error
// (at most maxHits bytes of them), and whether the pipe reached its end.
type relayResult struct {
	hits []byte
	eof  bool
}

const maxHits = 16 << 10

// relay copies r to dst until r ends or its deadline passes, keeping the
// lines that report a permission error.
func relay(r *os.File, dst io.Writer) relayResult {
	var res relayResult
	var line []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			dst.Write(buf[:n])
			for _, c := range buf[:n] {
				if c != '\n' {
					if len(line) < 4096 {
						line = append(line, c)
					}
					continue
				}
				if fence.PermissionLine(line) && len(res.hits)+len(line) < maxHits {
					res.hits = append(append(res.hits, line...), '\n')
				}
				line = line[:0]
			}
		}
		if err != nil {
			if fence.PermissionLine(line) && len(res.hits)+len(line) < maxHits {
				res.hits = append(res.hits, line...)
			}
			res.eof = errors.Is(err, io.EOF)
			return res
		}
	}
}

// handOff leaves the rest of r to a cat that writes it to guard's stderr,
// in a session of its own: what a background job writes later still
// arrives, and guard does not wait for the job.
func handOff(r *os.File) {
	cat, err := exec.LookPath("cat")
	if err != nil {
		return
	}
	forkExec(cat, []string{"cat"}, &syscall.ProcAttr{ // execjudge.go: on the watched thread
		Env:   []string{},
		Files: []uintptr{r.Fd(), 2, 2},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
}

// FenceStatus describes the write fence for guard doctor: whether it is in
// force for the agent routes in cwd, the Landlock ABI, the rights it
// handles and what it grants.
func FenceStatus(cwd string) (bool, string) {
	g, _ := Load(cwd, ModePolicy, Process{}) // never fails in ModePolicy
	on, noLandlock, why := FenceSetting(os.Getenv, g.fenceConfig())
	if !on {
		return false, "fence: not in force: " + why + "; the commands guard runs for an agent may write wherever you can"
	}
	abi, err := fence.ABI()
	if noLandlock {
		err = errors.New("Landlock is switched off (" + FenceEnv + "=nolandlock)")
	}
	if err != nil {
		return false, "fence: not in force: " + err.Error() + "; the commands guard runs for an agent may write wherever you can"
	}
	grants, notes, perr := fence.Plan(g.fenceEnv())
	logged := "denials are not logged by the kernel (ABI < 7)"
	if abi >= 7 {
		logged = "the kernel logs denials to the audit log"
	}
	what := fmt.Sprintf("fence: Landlock ABI %d; guard -c and guard run may change only what is granted (guard shell is not fenced); handled: %s; %s",
		abi, strings.Join(fence.HandledNames(fence.Handled(abi)), " "), logged)
	if perr != nil {
		return false, what + "; in " + cwd + " commands are refused: " + perr.Error()
	}
	var paths []string
	for _, gr := range grants {
		if gr.Why != fence.WhyDevice {
			paths = append(paths, gr.Path)
		}
	}
	what += "; granted here: " + strings.Join(paths, " ") + " and the devices"
	for _, n := range notes {
		what += "; " + n
	}
	return true, what
}
