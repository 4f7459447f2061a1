// Package sandbox runs what guard allowed: it finds the real shell, asks a
// human when a command needs approval, records every decision in the audit
// log and executes the command with a filtered environment.
package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
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

// Exec replaces the guard process with path, so the command gets guard's
// stdin, stdout and stderr untouched, every descriptor guard inherited
// (agents pass state on fds 3 and 4), and its exit status and signals are
// exactly its own. It returns only on failure.
//
// guard does not stay behind as the command's parent: "guard approve"
// recognises a guarded command by GuardedEnv in its initial environment.
func Exec(path string, argv, env []string) error {
	err := syscall.Exec(path, argv, env)
	if errors.Is(err, syscall.ENOENT) {
		return fmt.Errorf("%s: command not found", argv[0])
	}
	return fmt.Errorf("cannot run %s: %w", path, err)
}

// ExitCode returns the shell-style status of a finished process: its exit
// code, or 128+N when signal N killed it.
func ExitCode(state *os.ProcessState) int {
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return state.ExitCode()
}
