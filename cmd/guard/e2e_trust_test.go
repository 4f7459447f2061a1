package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/sandbox/launch"
)

// withoutSeccomp is the argument with which this test binary, run again,
// is a machine without seccomp filters: it makes the seccomp system call
// fail with ENOSYS, as a kernel without them does, then execs the rest of
// its arguments.
const withoutSeccomp = "guard-test-without-seccomp"

// execWithoutSeccomp is this test binary run with withoutSeccomp first
// (see TestMain): it execs args with the seccomp system call failing, and
// returns only when it cannot.
func execWithoutSeccomp(args []string) int {
	runtime.LockOSThread() // no_new_privs and the filter on one thread
	prog, err := launch.MarkProgram()
	if err == nil {
		prog.Rules = []launch.Rule{{Nr: unix.SYS_SECCOMP, Action: unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)}}
		err = prog.Install(true)
	}
	if err == nil {
		err = syscall.Exec(args[0], args, os.Environ())
	}
	fmt.Fprintln(os.Stderr, withoutSeccomp+":", err)
	return 3
}

// The trust-boundary tests run guard as an unprivileged user, as agents
// run: root could read any /proc file and take seccomp filters without
// no_new_privs. As root, the tests run guard as nobody (65534) in a home
// the test creates and gives to nobody; as anyone else, as themselves.

// skipInsideMark skips a test in which a human approves: inside what guard
// runs for an agent (an agent running the tests), guard approve refuses.
func skipInsideMark(t *testing.T) {
	t.Helper()
	if launch.Marked() {
		t.Skip("the tests run inside what guard runs for an agent, where guard approve refuses; run them in your own terminal")
	}
}

// unprivilegedUID is the user root's tests run guard as.
const unprivilegedUID = 65534

// newUnprivilegedWorld is newWorld for a user without privileges.
func newUnprivilegedWorld(t *testing.T) *world {
	t.Helper()
	guardBinary(t) // in a directory everyone may enter (see withGuardCopy)
	if os.Geteuid() != 0 {
		return newWorld(t)
	}
	// t.TempDir's parent is root's alone; this one nobody can enter.
	base, err := os.MkdirTemp("", "guard-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(base, "home")
	w := newWorld(t)
	w.home, w.project = home, filepath.Join(home, "code", "app")
	if err := os.MkdirAll(filepath.Join(w.project, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, kv := range w.env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME":
			w.env[i] = "HOME=" + home
		case "XDG_CONFIG_HOME":
			w.env[i] = "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")
		case "XDG_STATE_HOME":
			w.env[i] = "XDG_STATE_HOME=" + filepath.Join(home, ".local", "state")
		case "PATH":
			w.env[i] = "PATH=/usr/local/bin:/usr/bin:/bin"
		}
	}
	w.cred = &syscall.Credential{Uid: unprivilegedUID, Gid: unprivilegedUID}
	t.Cleanup(func() { chownTree(t, home, 0) })
	chownTree(t, home, unprivilegedUID)
	return w
}

// chownTree gives every file under dir to uid (and the group of the same
// number).
func chownTree(t *testing.T, dir string, uid int) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			os.Lchown(p, uid, uid)
		}
		return nil
	})
}

// give writes a file into w's home for its user.
func (w *world) give(t *testing.T, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(w.home, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
	if w.cred != nil {
		chownTree(t, w.home, int(w.cred.Uid))
	}
	return p
}

// TestAgentCannotApproveItselfFromADetachedScript: a command guard allowed
// detaches from everything an ancestry walk sees (double fork, setsid, a
// clean environment, a fresh pty of its own) and answers y to
// "guard approve". The kernel's mark on what guard runs refuses it.
func TestAgentCannotApproveItselfFromADetachedScript(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	w := newUnprivilegedWorld(t)
	confirmTouch(t, w, "5s")
	script, err := os.ReadFile("testdata/trust/ap.py")
	if err != nil {
		t.Fatal(err)
	}
	ap := w.give(t, "ap.py", script, 0o644)
	w.give(t, "guard-path", []byte(guardBinary(t)), 0o644)
	made := filepath.Join(w.home, "approved")
	_, errOut, code := w.guard(t, "", nil, "-c", "touch "+made)
	m := regexp.MustCompile(`guard approve ([a-z2-7]{8})`).FindStringSubmatch(errOut)
	if code != 126 || m == nil {
		t.Fatalf("without a terminal: exit %d, stderr %q", code, errOut)
	}
	id := m[1]

	screen, code := ptyRun(t, w, "", "-c", python+" "+ap+" "+id)
	if code != 0 || !strings.Contains(screen, "APPROVE-EXIT") {
		t.Fatalf("the script did not run: exit %d, screen %q", code, screen)
	}
	if !strings.Contains(screen, "guard approve: refused:") || !strings.Contains(screen, "APPROVE-EXIT 126") {
		t.Errorf("a detached script approved the agent's own command: %q", screen)
	}
	out, _, _ := w.guard(t, "", nil, "approve", "--list")
	if !strings.Contains(out, id) || !strings.Contains(out, "pending") {
		t.Errorf("after the script, approve --list shows %q, want %s pending", out, id)
	}

	// A human, in their own terminal, still approves.
	screen, code = ptyRun(t, w, "y\r", "approve", id)
	if code != 0 || !strings.Contains(screen, "approved:") {
		t.Fatalf("a human's approve: exit %d, screen %q", code, screen)
	}
}

// TestWithoutSeccompApproveKeepsTheOldMarks: where the kernel cannot mark
// what guard runs, commands run as before, guard doctor says what is in
// force, and "guard approve" still refuses on GUARD_ACTIVE in an
// ancestor's initial environment.
func TestWithoutSeccompApproveKeepsTheOldMarks(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	if p := launch.Check(); !p.Available {
		t.Skip(p.Why)
	}
	w := newWorld(t)
	confirmTouch(t, w, "5s")
	noSeccomp := []string{os.Args[0], withoutSeccomp, guardBinary(t)}
	run := func(args ...string) (string, string, int) {
		cmd := exec.Command(noSeccomp[0], append(noSeccomp[1:], args...)...)
		cmd.Dir, cmd.Env, cmd.SysProcAttr = w.project, w.env, newSession()
		return runOutput(t, cmd)
	}
	out, errOut, code := run("-c", "echo hi; grep -c GUARD_ACTIVE=1 /proc/self/environ")
	if out != "hi\n1\n" || errOut != "" || code != 0 {
		t.Errorf("an allowed command without seccomp: %q, stderr %q, exit %d", out, errOut, code)
	}
	out, _, _ = run("doctor")
	if !strings.Contains(out, "note  approve: the kernel cannot mark what guard runs") {
		t.Errorf("guard doctor without seccomp does not say so: %s", out)
	}

	_, errOut, code = w.guard(t, "", nil, "-c", "touch "+filepath.Join(w.home, "made"))
	m := regexp.MustCompile(`guard approve ([a-z2-7]{8})`).FindStringSubmatch(errOut)
	if code != 126 || m == nil {
		t.Fatalf("without a terminal: exit %d, stderr %q", code, errOut)
	}
	script := filepath.Join(w.home, "sneak.sh")
	if err := os.WriteFile(script, unreadScript("exec env -u GUARD_ACTIVE "+guardBinary(t)+" approve "+m[1]), 0o755); err != nil {
		t.Fatal(err)
	}
	screen, _ := ptyRunArgv(t, w, "", append(noSeccomp, "-c", "awk 'BEGIN { exit system(\""+script+"\") }'"))
	if !strings.Contains(screen, "guard approve: refused: it runs inside a command guard is running (pid") {
		t.Errorf("without seccomp, approve from inside a guarded command was not refused by the old marks: %q", screen)
	}
}

// statusLine returns the value of the /proc/PID/status line named field
// in out, a command's output or what a terminal showed ("NoNewPrivs:\t1").
func statusLine(out, field string) string {
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r", "\n"), "\n") {
		if _, v, ok := strings.Cut(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestAgentShellHasNoNewPrivs: what guard runs for an agent is marked and
// has no_new_privs, and guard says so when a command calls sudo; guard
// shell, where a human types, has neither.
func TestAgentShellHasNoNewPrivs(t *testing.T) {
	t.Parallel()
	skipInsideMark(t)
	if p := launch.Check(); !p.Available {
		t.Skip(p.Why)
	}
	w := newUnprivilegedWorld(t)
	out, errOut, code := w.guard(t, "", nil, "-c", "grep -E '^(NoNewPrivs|Seccomp_filters):' /proc/self/status")
	if statusLine(out, "NoNewPrivs") != "1" || statusLine(out, "Seccomp_filters") != "1" || code != 0 || errOut != "" {
		t.Errorf("guard -c: %q, stderr %q, exit %d; want no_new_privs and one filter", out, errOut, code)
	}
	note := "guard: note: sudo cannot raise privileges inside guard's agent shell"
	for _, line := range []string{"sudo true", "cd /tmp && sudo -u root ls", "env X=1 sudo id"} {
		_, errOut, _ = w.guard(t, "", nil, "-c", line)
		if !strings.Contains(errOut, note) || !strings.Contains(errOut, "run it yourself in your own terminal") {
			t.Errorf("guard -c %q: stderr %q, want the sudo note", line, errOut)
		}
	}
	for _, line := range []string{"echo sudo", "ls sudo", "grep -r sudo ."} {
		if _, errOut, _ = w.guard(t, "", nil, "-c", line); strings.Contains(errOut, "guard: note:") {
			t.Errorf("guard -c %q: stderr %q, want no note", line, errOut)
		}
	}
	_, errOut, _ = w.guard(t, "", nil, "run", "--", "sudo", "true")
	if !strings.Contains(errOut, note) {
		t.Errorf("guard run -- sudo true: stderr %q, want the sudo note", errOut)
	}

	s := startSession(t, w)
	screen := s.run("grep -E '^(NoNewPrivs|Seccomp_filters):' /proc/self/status")
	if statusLine(screen, "NoNewPrivs") != "0" || statusLine(screen, "Seccomp_filters") != "0" {
		t.Errorf("guard shell: %q; want neither no_new_privs nor a filter", screen)
	}
	s.send("exit")
	s.wait()
}

// TestGuardShellDoesNotExposeWhatItStripped: guard shell stays the parent
// of bash, and its own initial environment still holds what it stripped
// from bash's. A command in the session, of the same user, cannot read it
// through /proc/$PPID, nor guard's memory; guard's command line, which
// holds no secret, stays readable (ps and guard approve read it).
func TestGuardShellDoesNotExposeWhatItStripped(t *testing.T) {
	t.Parallel()
	w := newUnprivilegedWorld(t)
	const secret = "s3cr3t-value-guard-stripped"
	w.env = append(w.env, "DEPLOY_TOKEN="+secret)
	s := startSession(t, w)
	for _, line := range []string{
		`tr '\0' '\n' < /proc/$PPID/environ; echo "environ-status=$?"`,
		`(exec 3< /proc/$PPID/mem) 2>/dev/null; echo "mem-status=$?"`,
		`tr '\0' '\n' < /proc/$$/environ | grep -c DEPLOY_TOKEN`,
	} {
		screen := s.run(line)
		if strings.Contains(screen, secret) {
			t.Errorf("%s: the session shows the stripped secret: %q", line, screen)
		}
		if strings.Contains(screen, "-status=0") {
			t.Errorf("%s: a command in the session read guard's process: %q", line, screen)
		}
		if strings.Contains(line, "grep -c") && !strings.Contains(screen, "\r0\r\n") {
			t.Errorf("bash's own environment holds the stripped variable: %q", screen)
		}
	}
	if screen := s.run(`tr '\0' ' ' < /proc/$PPID/cmdline; echo`); !strings.Contains(screen, "guard shell") {
		t.Errorf("guard's command line is not readable: %q", screen)
	}
	s.send("exit")
	s.wait()

	// Shell mode replaces guard with bash: bash's initial environment is
	// the filtered one.
	out, errOut, code := w.guard(t, "", nil, "-c", `tr '\0' '\n' < /proc/$$/environ`)
	if code != 0 || strings.Contains(out, secret) || strings.Contains(out, "DEPLOY_TOKEN") || !strings.Contains(out, "GUARD_ACTIVE=1") {
		t.Errorf("guard -c: bash's /proc/$$/environ: %q, stderr %q, exit %d", out, errOut, code)
	}
}

// TestConfiguredShellThatRunsGuardIsRefused: shell = in the config names
// a wrapper that runs guard again. The guard it starts recognises that it
// is its own real shell and stops at once with a message naming the
// setting and its file, instead of starting guard forever; a nested guard
// that a command starts (bash -c through a link named bash) still runs.
func TestConfiguredShellThatRunsGuardIsRefused(t *testing.T) {
	t.Parallel()
	w := newUnprivilegedWorld(t)
	bin := guardBinary(t)
	cfg := filepath.Join(w.home, ".config", "guard", "guard.toml")
	// A hang is a failure, not a wait: the old guard exec'd the wrapper
	// forever.
	run := func(args ...string) (string, string, int) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir, cmd.Env = w.project, w.env
		cmd.SysProcAttr = newSession()
		cmd.SysProcAttr.Credential = w.cred
		out, errOut, code := runOutput(t, cmd)
		if ctx.Err() != nil {
			t.Fatalf("guard %q did not stop: the loop was not detected", args)
		}
		return out, errOut, code
	}
	wrappers := map[string]string{
		"exec":         "exec " + bin + ` "$@"`,
		"without exec": bin + ` "$@"`,
		"adds options": "exec " + bin + ` --norc "$@"`,
	}
	for name, body := range wrappers {
		wrap := w.give(t, "x/wrap.sh", []byte("#!/bin/sh\n"+body+"\n"), 0o755)
		w.give(t, ".config/guard/guard.toml", []byte("shell = \""+wrap+"\"\n"), 0o644)
		for _, args := range [][]string{{"-c", "echo ran"}, {"run", "echo ran; true"}} {
			out, errOut, code := run(args...)
			if code != 126 || strings.Contains(out, "ran") || !strings.Contains(errOut, "guard: refused: guard was started as its own real shell") ||
				!strings.Contains(errOut, `shell = "`+wrap+`", from `+cfg+":1") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("%s: guard %q: stdout %q, stderr %q, exit %d", name, args, out, errOut, code)
			}
		}
		// guard shell starts the wrapper as its child, on the session's pty.
		screen, code := ptyRun(t, w, "", "shell")
		if code != 126 || !strings.Contains(screen, "guard was started as its own real shell") {
			t.Errorf("%s: guard shell: exit %d, screen %q", name, code, screen)
		}
	}

	// The real bash, with a link named bash to guard first on PATH: a
	// command that runs bash runs guard again, legitimately.
	os.Remove(cfg)
	links := filepath.Join(w.home, "links")
	os.MkdirAll(links, 0o755)
	if err := os.Symlink(bin, filepath.Join(links, "bash")); err != nil {
		t.Fatal(err)
	}
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "PATH=") {
			w.env[i] = "PATH=" + links + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	for _, line := range []string{`bash -c "echo nested"`, `exec bash -c "echo nested"`, `bash -c 'bash -c "echo nested"'`} {
		out, errOut, code := run("-c", line)
		if out != "nested\n" || errOut != "" || code != 0 {
			t.Errorf("guard -c %q: stdout %q, stderr %q, exit %d", line, out, errOut, code)
		}
	}
	out, errOut, code := run("-c", "echo $GUARD_REAL_SHELL")
	if code != 0 || !strings.HasPrefix(out, "x:") {
		t.Errorf("the real shell's mark: %q, stderr %q", out, errOut)
	}
}
