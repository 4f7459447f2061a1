// Package sandbox runs what guard allowed: it finds the real shell, asks a
// human when a command needs approval, records every decision in the audit
// log and executes the command with a filtered environment.
package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

// RealShellEnv is set in the environment of the real shell guard starts,
// so that a guard started as that very shell (a configured shell that is a
// wrapper script running guard again) recognises itself and stops, where
// it would otherwise start guard again forever: RealShell compares files
// and cannot see through a script.
//
// Its value is "KIND:PID:N:DIGEST:DEPTH". KIND is x when guard execs the
// shell (shell mode, guard run), PID then guard's own pid, which the shell
// keeps; s when guard starts it as its child (guard shell), PID then the
// shell's parent. DIGEST is a digest of the N arguments the shell was
// given; DEPTH counts the real shells started above this one.
const RealShellEnv = "GUARD_REAL_SHELL"

// MaxShellDepth bounds how many real shells guard starts inside each
// other: far more than any command nests bash through a link named bash,
// it stops a loop that changes the arguments on every round.
const MaxShellDepth = 32

// MarkRealShell returns env, the environment of a real shell guard starts
// with args (after argv[0]), with RealShellEnv set for it in place of any
// value inherited; exec tells how guard starts it.
func MarkRealShell(env []string, exec bool, args []string) []string {
	kind := "s"
	if exec {
		kind = "x"
	}
	_, depth := parseShellMark(os.Getenv(RealShellEnv))
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, RealShellEnv+"=") {
			out = append(out, kv)
		}
	}
	return append(out, RealShellEnv+"="+kind+":"+strconv.Itoa(os.Getpid())+":"+strconv.Itoa(len(args))+":"+argsDigest(args)+":"+strconv.Itoa(depth+1))
}

// argsDigest is a short digest of a shell's arguments.
func argsDigest(args []string) string {
	sum := sha256.Sum256([]byte(strings.Join(args, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// shellMark is a parsed RealShellEnv value.
type shellMark struct {
	kind   string
	pid, n int
	digest string
}

// parseShellMark parses a RealShellEnv value; depth is 0 for none.
func parseShellMark(v string) (m shellMark, depth int) {
	f := strings.Split(v, ":")
	if len(f) != 5 {
		return shellMark{}, 0
	}
	m.kind, m.digest = f[0], f[3]
	m.pid, _ = strconv.Atoi(f[1])
	m.n, _ = strconv.Atoi(f[2])
	depth, _ = strconv.Atoi(f[4])
	return m, max(depth, 0)
}

// ShellLoop reports whether this guard process must not run, given the
// value of RealShellEnv in its environment (mark) and its own arguments,
// and says why; certain is false when only the depth says so.
//
// It is the real shell another guard started when it ends with the
// arguments that guard gave the shell (a wrapper may add some in front)
// and it is that shell's process (the wrapper exec'd guard) or its child
// (a wrapper that runs guard without exec). A guard that a command of the real shell
// starts (bash -c through a link named bash) has other arguments.
func ShellLoop(mark string, args []string) (why string, certain bool) {
	m, depth := parseShellMark(mark)
	// No arguments match only no arguments: a suffix of none matches all.
	sameArgs := m.n <= len(args) && (m.n > 0 || len(args) == 0) && argsDigest(args[len(args)-m.n:]) == m.digest
	if m.pid > 0 && sameArgs && isShellOrChild(m) {
		return "guard was started as its own real shell", true
	}
	if depth >= MaxShellDepth {
		return fmt.Sprintf("guard has started %d shells inside each other", depth), false
	}
	return "", false
}

// isShellOrChild reports whether this process is the real shell that m
// marks or a child of it: the shell is m.pid (kind x) or a child of m.pid
// (kind s).
func isShellOrChild(m shellMark) bool {
	me, parent := os.Getpid(), os.Getppid()
	switch m.kind {
	case "x":
		return m.pid == me || m.pid == parent
	case "s":
		if m.pid == parent {
			return true
		}
		grand, err := procParent(parent)
		return err == nil && grand == m.pid
	}
	return false
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
