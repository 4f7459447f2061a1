package main

import (
	"bytes"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The end-to-end tests run guard as a program: this test binary, which is
// guard under any name but its own (see TestMain). Each test gets its own
// HOME, XDG directories and git project under a temp dir; destructive
// commands only ever target files inside it.

// guardBinary returns the path of guard for the end-to-end tests: a copy
// of this test binary named guard (see TestMain and withGuardCopy), a real
// file that links, hooks that run it by path and other users can start.
func guardBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("guard")
	if err != nil {
		t.Fatalf("no guard in PATH: TestMain puts a copy of this test binary there: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if fb, err := os.Stat(bin); err != nil {
		t.Fatal(err)
	} else if fs, err := os.Stat(self); err == nil && os.SameFile(fb, fs) {
		// guard approve takes a process running its own executable for
		// guard: the test binary would be an ancestor of every session.
		t.Fatalf("%s is this test binary itself, not a copy of it", bin)
	}
	return bin
}

// world is a throwaway home with a git project in it.
type world struct {
	home, project string
	env           []string
	// cred, when set, runs guard as that unprivileged user
	// (newUnprivilegedWorld).
	cred *syscall.Credential
}

func newWorld(t *testing.T) *world {
	t.Helper()
	home := t.TempDir()
	project := filepath.Join(home, "code", "app")
	if err := os.MkdirAll(filepath.Join(project, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"HOME=" + home,
		"USER=u",
		"PATH=" + os.Getenv("PATH"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"LANG=C",
		// The write fence would refuse what these tests write directly in
		// their HOME (which is under /tmp, so /tmp is not granted either);
		// its own tests (e2e_fence_test.go) switch it on.
		"GUARD_FENCE=off",
		// The exec judge would add its own audit records and messages to
		// what these tests count; its tests (e2e_execjudge_test.go)
		// switch it on.
		"GUARD_EXEC_JUDGE=off",
	}
	return &world{home: home, project: project, env: env}
}

// guard runs the binary in the project with no terminal (a new session,
// as agents run commands) and returns stdout, stderr and the exit status.
func (w *world) guard(t *testing.T, stdin string, extraEnv []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(guardBinary(t), args...)
	cmd.Dir = w.project
	cmd.Env = append(append([]string(nil), w.env...), extraEnv...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = newSession()
	cmd.SysProcAttr.Credential = w.cred
	return runOutput(t, cmd)
}

func TestShellModeRunsAllowedCommandsExactly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cases := []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"-c", "echo hi"}, "hi\n", 0},
		{[]string{"-c", `echo "$0 $1 $2"`, "name", "a", "b"}, "name a b\n", 0},
		{[]string{"-lc", "exit 7"}, "", 7},
		{[]string{"-c", "-l", "printf x"}, "x", 0},
		{[]string{"-O", "extglob", "-c", "shopt -q extglob && echo on"}, "on\n", 0},
		{[]string{"-e", "-c", "false; echo not reached"}, "", 1},
		{[]string{"--norc", "--noprofile", "-c", "echo ok"}, "ok\n", 0},
		{[]string{"-c", "kill -TERM $$"}, "", 143},
		{[]string{"-c", "rm -rf node_modules build && echo cleaned"}, "cleaned\n", 0},
	}
	for _, c := range cases {
		out, errOut, code := w.guard(t, "", nil, c.args...)
		if out != c.out || code != c.code || errOut != "" {
			t.Errorf("guard %q: got %q (stderr %q) exit %d; want %q exit %d", c.args, out, errOut, code, c.out, c.code)
		}
	}
}

func TestShellModeBinaryAndLargeOutput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// 256 byte values, then 100 MB: byte-exact and complete.
	out, _, code := w.guard(t, "", nil, "-c", `printf "$(printf '\\%03o' $(seq 0 255))"`)
	var all []byte
	for b := 0; b < 256; b++ {
		all = append(all, byte(b))
	}
	if code != 0 || out != string(all) {
		t.Errorf("binary output: %d bytes, exit %d", len(out), code)
	}
	cmd := exec.Command(guardBinary(t), "-c", "head -c 100000000 /dev/zero | tr '\\0' 'g'")
	cmd.Dir, cmd.Env = w.project, w.env
	h := sha256.New()
	cmd.Stdout = h
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(bytes.Repeat([]byte("g"), 100_000_000))
	if !bytes.Equal(h.Sum(nil), want[:]) {
		t.Errorf("100 MB output differs")
	}
}

func TestShellModeStdinScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// As with bash, "read" takes the script's next line.
	out, _, code := w.guard(t, "echo from-stdin\nread x\necho \"got $x\"\n", nil, "-s")
	if out != "from-stdin\n" || code != 0 {
		t.Errorf("script on stdin: %q exit %d", out, code)
	}
	out, _, code = w.guard(t, "read x\nfirst line\necho \"got $x\"\n", nil)
	if out != "got first line\n" || code != 0 {
		t.Errorf("script on stdin: %q exit %d", out, code)
	}
	marker := filepath.Join(w.home, "marker")
	if err := os.WriteFile(marker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := w.guard(t, "rm -rf ~\n", nil)
	if code != 126 || !strings.Contains(errOut, "guard: blocked:") {
		t.Errorf("rm -rf ~ on stdin: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the blocked script ran: %v", err)
	}
}

func TestShellModeBlocksWithoutTerminal(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	victim := filepath.Join(w.home, "Documents")
	canary := filepath.Join(victim, "canary")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(canary, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// confirm: refused with an approval id.
	out, errOut, code := w.guard(t, "", nil, "-c", "rm -rf ~/Documents")
	if code != 126 || out != "" || !strings.Contains(errOut, "guard: blocked:") || !strings.Contains(errOut, "guard approve ") {
		t.Errorf("confirm without a terminal: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if strings.Count(errOut, "\n") != 1 {
		t.Errorf("the message is not one line: %q", errOut)
	}
	// deny: refused, no approval offered.
	_, errOut, code = w.guard(t, "", nil, "-c", "rm -rf ~")
	if code != 126 || !strings.Contains(errOut, "guard: blocked:") || strings.Contains(errOut, "guard approve") {
		t.Errorf("deny: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("a blocked command ran: %v", err)
	}
	// guard run, both forms.
	_, _, code = w.guard(t, "", nil, "run", "--", "rm", "-rf", victim)
	if code != 126 {
		t.Errorf("guard run -- rm -rf: exit %d", code)
	}
	_, _, code = w.guard(t, "", nil, "run", "rm -rf ~/Documents")
	if code != 126 {
		t.Errorf("guard run 'rm -rf': exit %d", code)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("a blocked command ran: %v", err)
	}
	out, _, code = w.guard(t, "", nil, "run", "--", "echo", "a  b", "$HOME")
	if out != "a  b $HOME\n" || code != 0 {
		t.Errorf("guard run -- echo: %q exit %d", out, code)
	}
}

func TestEnvironmentIsFiltered(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := filepath.Join(w.home, ".config", "guard")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		t.Fatal(err)
	}
	toml := "[[env.grant]]\nname = \"RAILWAY_TOKEN\"\ncommands = [\"printenv\"]\n"
	if err := os.WriteFile(filepath.Join(cfg, "guard.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := []string{
		"GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz",
		"DATABASE_URL=postgres://app:hunter2@db.prod.internal/app",
		"RAILWAY_TOKEN=rw-secret-value-123",
		"BASH_ENV=/tmp/evil",
	}
	out, _, code := w.guard(t, "", secrets, "-c", "env")
	if code != 0 {
		t.Fatalf("env: exit %d", code)
	}
	for _, s := range []string{"ghp_0123", "hunter2", "rw-secret", "BASH_ENV"} {
		if strings.Contains(out, s) {
			t.Errorf("the child saw %s", s)
		}
	}
	if !strings.Contains(out, "HOME="+w.home) {
		t.Errorf("the child lost HOME")
	}
	out, _, _ = w.guard(t, "", secrets, "-c", "printenv RAILWAY_TOKEN")
	if out != "rw-secret-value-123\n" {
		t.Errorf("granted variable: got %q", out)
	}
}

func TestBrokenConfigFallsBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cfg := filepath.Join(w.home, ".config", "guard")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "guard.toml"), []byte("[rules]\n\"git.force-push\" = \"allow\"\nbogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := w.guard(t, "", nil, "check", "git push --force")
	if code != 3 || !strings.Contains(errOut, "guard.toml:3") || !strings.Contains(errOut, "needs a human's approval") {
		t.Errorf("broken config: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestShellModeJudgesScriptsItWrites: a line that writes a script and runs
// it is judged by what it writes, before any of it runs.
func TestShellModeJudgesScriptsItWrites(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	victim := filepath.Join(w.home, "Documents")
	canary := filepath.Join(victim, "canary")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(canary, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(w.project, "cleanup.sh")
	// A harmless script of that name is already there.
	if err := os.WriteFile(script, []byte("echo nothing to clean\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	line := "cat > cleanup.sh <<'EOF'\nrm -rf ~/Documents\nEOF\nbash cleanup.sh"
	_, errOut, code := w.guard(t, "", nil, "-c", line)
	if code != 126 || !strings.Contains(errOut, "~/Documents") {
		t.Errorf("write then run: exit %d, stderr %q", code, errOut)
	}
	if b, _ := os.ReadFile(script); string(b) != "echo nothing to clean\n" {
		t.Errorf("part of the blocked line ran: cleanup.sh is %q", b)
	}
	if _, err := os.Stat(canary); err != nil {
		t.Fatalf("a blocked command ran: %v", err)
	}
	// The same with everyday work runs.
	out, errOut, code := w.guard(t, "", nil, "-c", "cat > build.sh <<'EOF'\necho built\nEOF\nbash build.sh")
	if code != 0 || out != "built\n" {
		t.Errorf("write then run everyday work: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// A password in a held-back command reaches none of guard's outputs: the
// message the agent reads, `guard approve --list` and the audit log
// (`guard log`) mask it.
func TestSecretsMaskedInEveryOutput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const secret = "hunter2secret"
	for _, src := range []string{
		"cd /srv; mysql -h db.example.com -uroot -p" + secret + " -e 'DROP DATABASE prod'",
		"cd /srv; redis-cli -h cache.example.com -a " + secret + " FLUSHALL",
	} {
		_, errOut, code := w.guard(t, "", nil, "-c", src)
		if code != 126 || !strings.Contains(errOut, "guard approve ") || strings.Contains(errOut, secret) {
			t.Errorf("%s: exit %d, stderr %q", src, code, errOut)
		}
	}
	for _, args := range [][]string{{"approve", "--list"}, {"log"}} {
		out, errOut, _ := w.guard(t, "", nil, args...)
		if !strings.Contains(out, "db.example.com") || strings.Contains(out+errOut, secret) {
			t.Errorf("guard %s: stdout %q, stderr %q", strings.Join(args, " "), out, errOut)
		}
	}
}

// A granted variable reaches the real program only. As an unprivileged
// user, from the built binary: a root-owned railway outside the temporary
// directories gets RAILWAY_TOKEN; the agent's own railway in the project
// or /tmp, reached by path, through PATH or a function, does not, nor one
// in ~/.local/bin until the config names its exact path, as guard's note
// on stderr says.
func TestGrantsReachRealProgramsOnly(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a root-owned program and to run guard as another user")
	}
	const nobody = 65534
	opt, err := os.MkdirTemp("/opt", "guardtest-")
	if err != nil {
		t.Skip("cannot make a directory under /opt:", err)
	}
	t.Cleanup(func() { os.RemoveAll(opt) })
	bin := guardBinary(t)
	if err := os.Chmod(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(opt, "home")
	project := filepath.Join(home, "code", "app")
	localBin := filepath.Join(home, ".local", "bin")
	scratch := t.TempDir()
	for _, d := range []string{filepath.Join(opt, "bin"), filepath.Join(project, ".git"), localBin, filepath.Join(home, ".config", "guard")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	prog := "#!/bin/sh\necho \"$0 sees ${RAILWAY_TOKEN:-nothing}\"\n"
	for _, d := range []string{filepath.Join(opt, "bin"), project, localBin, scratch} {
		if err := os.WriteFile(filepath.Join(d, "railway"), []byte(prog), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	config := filepath.Join(home, ".config", "guard", "guard.toml")
	writeConfig := func(extra string) {
		toml := "[[env.grant]]\nname = \"RAILWAY_TOKEN\"\ncommands = [\"railway\"]\n" + extra
		if err := os.WriteFile(config, []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("")
	// The home, and the scratch railway, are the user's; /opt/.../bin is root's.
	for _, d := range []string{home, scratch} {
		filepath.WalkDir(d, func(p string, _ os.DirEntry, _ error) error { return os.Lchown(p, nobody, nobody) })
	}
	os.Chmod(filepath.Dir(scratch), 0o755)
	os.Chmod(opt, 0o755)

	run := func(path, src string) (string, string) {
		t.Helper()
		cmd := exec.Command(bin, "-c", src)
		cmd.Dir = project
		cmd.Env = []string{"HOME=" + home, "USER=nobody", "LANG=C", "PATH=" + path,
			"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
			"RAILWAY_TOKEN=rw-token-4242"}
		cmd.SysProcAttr = asUser(nobody)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v (stderr %q)", src, err, errb.String())
		}
		return out.String(), errb.String()
	}
	sysPath := filepath.Join(opt, "bin") + ":/usr/bin:/bin"
	cases := []struct {
		src, sees, note string
	}{
		{"railway", filepath.Join(opt, "bin", "railway") + " sees rw-token-4242", ""},
		{"./railway", "./railway sees nothing", "inside the project"},
		{filepath.Join(scratch, "railway"), filepath.Join(scratch, "railway") + " sees nothing", "temporary directory"},
		{"PATH=.:$PATH railway", "./railway sees nothing", "inside the project"},
		{"railway() { ./railway; }; railway", "./railway sees nothing", "inside the project"},
	}
	for _, c := range cases {
		out, errOut := run(sysPath, c.src)
		if strings.TrimSpace(out) != c.sees || !strings.Contains(errOut, c.note) || strings.Contains(errOut, "rw-token") {
			t.Errorf("%s: stdout %q, stderr %q; want %q and a note about %q", c.src, out, errOut, c.sees, c.note)
		}
	}
	// ~/.local/bin is the user's: only its exact path in the config gives
	// the variable to it, and the note says which line to add.
	userPath := localBin + ":/usr/bin:/bin"
	mine := filepath.Join(localBin, "railway")
	want := `add paths = ["` + mine + `"] to the [[env.grant]] for RAILWAY_TOKEN (` + config + `:1)`
	if out, errOut := run(userPath, "railway"); !strings.Contains(out, "sees nothing") || !strings.Contains(errOut, want) {
		t.Errorf("~/.local/bin/railway: stdout %q, stderr %q; want the note %q", out, errOut, want)
	}
	writeConfig(`paths = ["` + mine + `"]` + "\n")
	if out, errOut := run(userPath, "railway"); strings.TrimSpace(out) != mine+" sees rw-token-4242" || errOut != "" {
		t.Errorf("~/.local/bin/railway named in the config: stdout %q, stderr %q", out, errOut)
	}
}
