// Package sandbox runs what guard allowed: it finds the real shell, asks a
// human when a command needs approval, records every decision in the audit
// log and executes the command with a filtered environment.
package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// DefaultShell is the real shell when the config names none.
const DefaultShell = "/bin/bash"

// RealShell resolves the configured shell to an absolute path and refuses
// one that is guard itself (through a link named bash, say), which would
// make guard call itself forever. self is guard's own executable.
func RealShell(configured, self string) (string, error) {
	if configured == "" {
		configured = DefaultShell
	}
	p := configured
	if !filepath.IsAbs(p) {
		lp, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("the configured shell %q is not on PATH; set shell = \"/bin/bash\" in guard's config", configured)
		}
		p = lp
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", fmt.Errorf("the configured shell %s cannot be used: %v; set shell in guard's config to the path of bash", configured, err)
	}
	if self != "" {
		if me, err := filepath.EvalSymlinks(self); err == nil && sameFile(me, real) {
			return "", fmt.Errorf("the configured shell %s is guard itself; set shell in guard's config to the real bash, such as /bin/bash", configured)
		}
	}
	return p, nil
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// Run starts path as a child of guard and waits for it. The child gets
// guard's stdin, stdout and stderr themselves (no copying: output is byte
// exact) and every other descriptor guard inherited without close-on-exec
// (agents pass state on fds 3 and 4). guard stays alive as its parent so
// that "guard approve" started inside it can see it is inside a guarded
// command. Signals that would stop guard are passed on to the child.
//
// It returns the child's exit status; when a signal killed the child, guard
// kills itself with the same signal, so its parent sees exactly what bash's
// parent would, and returns 128+N only if it survives that.
func Run(path string, argv, env []string) (int, error) {
	files := inheritedFiles()
	sigs := make(chan os.Signal, 8)
	forwarded := []os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH, syscall.SIGCONT}
	signal.Notify(sigs, forwarded...)
	// The terminal sends these to the whole foreground group, the child
	// included; guard itself must not die of them.
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU)
	defer func() {
		signal.Stop(sigs)
		signal.Reset(syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU)
	}()
	p, err := os.StartProcess(path, argv, &os.ProcAttr{Env: env, Files: files})
	if err != nil {
		if errors.Is(err, syscall.ENOENT) {
			return 127, fmt.Errorf("%s: command not found", argv[0])
		}
		return 126, fmt.Errorf("cannot run %s: %w", path, err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				p.Signal(s)
			case <-done:
				return
			}
		}
	}()
	state, err := p.Wait()
	close(done)
	if err != nil {
		return 126, fmt.Errorf("waiting for %s: %w", path, err)
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		signal.Stop(sigs)
		signal.Reset(sig)
		if sig != syscall.SIGKILL && sig != syscall.SIGSTOP {
			syscall.Kill(os.Getpid(), sig)
		} else {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		return 128 + int(sig), nil
	}
	return state.ExitCode(), nil
}

// inheritedFiles lists the descriptors to pass to the child at their own
// numbers: 0, 1, 2 and every other open descriptor without close-on-exec,
// which guard inherited from whoever started it.
func inheritedFiles() []*os.File {
	files := []*os.File{os.Stdin, os.Stdout, os.Stderr}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return files
	}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 || fd > 1024 {
			continue
		}
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err != nil || flags&unix.FD_CLOEXEC != 0 {
			continue
		}
		for len(files) <= fd {
			files = append(files, nil)
		}
		files[fd] = os.NewFile(uintptr(fd), "inherited")
	}
	return files
}

// ExitCode returns the shell-style status of a finished process: its exit
// code, or 128+N when signal N killed it.
func ExitCode(state *os.ProcessState) int {
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return state.ExitCode()
}
