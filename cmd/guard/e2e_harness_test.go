package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// The agents' own invocations of their shell, copied into
// testdata/harness/*.txtar from their sources and from what ps showed in
// real sessions (each file says which), run through the built guard as the
// agent would: "guard ARGS", and through links named bash and guard-bash.
// An everyday command inside must run with its output exact; a destructive
// one — direct, or through a function or alias the harness restores — must
// be blocked with nothing run. Everything happens in the test's temp HOME.

// harness is one agent's invocation of its shell.
type harness struct {
	name   string
	argv   []string
	script string
}

func loadHarnesses(t *testing.T) []harness {
	t.Helper()
	files, err := filepath.Glob("testdata/harness/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no harness fixtures: %v", err)
	}
	sort.Strings(files)
	var out []harness
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h := harness{name: strings.TrimSuffix(filepath.Base(f), ".txtar")}
		for _, s := range a.Files {
			switch s.Name {
			case "argv":
				h.argv = strings.Split(strings.TrimSuffix(string(s.Data), "\n"), "\n")
			case "script":
				h.script = strings.TrimSuffix(string(s.Data), "\n")
			default:
				t.Fatalf("%s: unknown section %q", f, s.Name)
			}
		}
		if len(h.argv) == 0 {
			t.Fatalf("%s: no argv", f)
		}
		out = append(out, h)
	}
	return out
}

// evalQuote quotes s in single quotes as Claude Code and Codex do: each '
// becomes '"'"'.
func evalQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// args returns the harness's argv for cmd.
func (h harness) args(cmd string, vars map[string]string) []string {
	fill := func(s string) string {
		s = strings.ReplaceAll(s, "{{CMD_SQ}}", evalQuote(cmd))
		s = strings.ReplaceAll(s, "{{CMD}}", cmd)
		for k, v := range vars {
			s = strings.ReplaceAll(s, "{{"+k+"}}", v)
		}
		return s
	}
	script := fill(h.script)
	var out []string
	for _, a := range h.argv {
		if a == "{{SCRIPT}}" {
			out = append(out, script)
			continue
		}
		out = append(out, fill(a))
	}
	return out
}

// restores reports whether the harness restores the user's functions and
// aliases (from a snapshot or saved state) in the shell that runs the
// command, so that calling them is judged. Codex's snapshot is sourced by a
// shell that then execs a new one: only exported variables reach it.
func (h harness) restores() bool {
	return strings.HasPrefix(h.name, "claude-snapshot") || h.name == "cursor"
}

// harnessWorld is a home set up as an agent's user has it: guard's bash
// links, an rc file, the agents' snapshot files, a canary in ~/Documents.
type harnessWorld struct {
	*world
	bash, guardBash string
	tmp             string
	vars            map[string]string
	canary          string
}

func newHarnessWorld(t *testing.T) *harnessWorld {
	t.Helper()
	w := newWorld(t)
	hw := &harnessWorld{world: w, tmp: t.TempDir()}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// guard's bash, first on PATH, and guard-bash for CLAUDE_CODE_SHELL.
	bin := filepath.Join(w.home, ".local", "share", "guard", "bin")
	must(os.MkdirAll(bin, 0o755))
	hw.bash = filepath.Join(bin, "bash")
	must(os.Symlink(guardBinary(t), hw.bash))
	must(os.MkdirAll(filepath.Join(w.home, ".local", "bin"), 0o755))
	hw.guardBash = filepath.Join(w.home, ".local", "bin", "guard-bash")
	must(os.Symlink(guardBinary(t), hw.guardBash))
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "PATH=") {
			w.env[i] = "PATH=" + bin + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	// The user's rc file and what the agents make of it.
	rc, err := os.ReadFile("testdata/harness/rc.bash")
	must(err)
	must(os.WriteFile(filepath.Join(w.home, ".bashrc"), rc, 0o644))
	claude := filepath.Join(w.home, ".claude", "shell-snapshots", "snapshot-bash-1787645352430-itq4da.sh")
	codex := filepath.Join(w.home, ".codex", "shell_snapshots", "019a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8.1764139200000000000.sh")
	must(os.MkdirAll(filepath.Dir(claude), 0o700))
	must(os.MkdirAll(filepath.Dir(codex), 0o700))
	hw.realBash(t, nil, "testdata/harness/claude-snapshot.sh", filepath.Join(w.home, ".bashrc"), claude)
	hw.vars = map[string]string{"TMP": hw.tmp, "SHELL": hw.bash, "SNAPSHOT": claude}
	hw.realBash(t, nil, "testdata/harness/codex-snapshot.sh", filepath.Join(w.home, ".bashrc"), codex)
	hw.vars["CODEX_SNAPSHOT"] = codex
	// A project directory to work in, and a canary only a human may delete.
	must(os.MkdirAll(filepath.Join(w.project, "src"), 0o755))
	must(os.WriteFile(filepath.Join(w.project, "src", "a.txt"), []byte("a\n"), 0o644))
	// Gemini CLI makes the directory of its background-jobs file.
	must(os.MkdirAll(filepath.Join(hw.tmp, "gemini-shell-x1"), 0o700))
	must(os.MkdirAll(filepath.Join(w.home, "Documents"), 0o755))
	hw.canary = filepath.Join(w.home, "Documents", "canary")
	must(os.WriteFile(hw.canary, []byte("x"), 0o644))
	return hw
}

// realBash runs a generator script with the real bash in the test's home;
// env adds to its environment.
func (hw *harnessWorld) realBash(t *testing.T, env []string, script string, args ...string) string {
	t.Helper()
	abs, err := filepath.Abs(script)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/bash", append([]string{abs}, args...)...)
	cmd.Env = append([]string{"HOME=" + hw.home, "PATH=" + os.Getenv("PATH"), "LANG=C", "USER=u"}, env...)
	cmd.Dir = hw.project
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return string(out)
}

// run starts entry (guard, or one of its links) with args the way an agent
// starts its shell: no terminal, in the project, with extra descriptors
// from 3 on. It returns stdout, stderr and the exit status.
func (hw *harnessWorld) run(t *testing.T, entry string, args []string, extra []*os.File) (string, string, int) {
	t.Helper()
	cmd := exec.Command(entry, args...)
	cmd.Dir = hw.project
	cmd.Env = hw.env
	cmd.Stdin = nil
	cmd.ExtraFiles = extra
	cmd.SysProcAttr = newSession()
	return runOutput(t, cmd)
}

// cursorFds returns descriptors 3 and 4 as Cursor passes them: the saved
// state on a socket whose writer is done (Node's pipes are socket pairs),
// and a pipe for the new state, with a function returning what the shell
// wrote to it.
func cursorFds(t *testing.T, state string) ([]*os.File, func() string) {
	t.Helper()
	sp, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	ours, theirs := os.NewFile(uintptr(sp[0]), "state-writer"), os.NewFile(uintptr(sp[1]), "fd3")
	go func() {
		io.WriteString(ours, state)
		syscall.Shutdown(sp[0], syscall.SHUT_WR)
	}()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	t.Cleanup(func() { ours.Close(); theirs.Close(); r.Close(); wr.Close() })
	return []*os.File{theirs, wr}, func() string {
		theirs.Close()
		wr.Close()
		return <-got
	}
}

func TestAgentHarnesses(t *testing.T) {
	t.Parallel()
	const everyday = `cd src && echo "it's $(basename "$PWD")" && ls`
	const everydayOut = "it's src\na.txt\n"
	hw := newHarnessWorld(t)
	state := hw.realBash(t, nil, "testdata/harness/cursor-state.sh", filepath.Join(hw.home, ".bashrc"))
	entries := []struct{ name, path string }{
		{"guard", guardBinary(t)},
		{"bash link", hw.bash},
		{"guard-bash link", hw.guardBash},
	}
	// The harnesses run in parallel in the one world (its snapshots are
	// costly to make), each with a TMP of its own for what it leaves
	// behind (Claude Code's cwd file, Gemini CLI's background-jobs file).
	for _, h := range loadHarnesses(t) {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			if err := os.MkdirAll(filepath.Join(tmp, "gemini-shell-x1"), 0o700); err != nil {
				t.Fatal(err)
			}
			vars := map[string]string{}
			for k, v := range hw.vars {
				vars[k] = v
			}
			vars["TMP"] = tmp
			if h.name == "codex-snapshot" {
				vars["SNAPSHOT"] = hw.vars["CODEX_SNAPSHOT"]
			}
			for _, e := range entries {
				t.Run(e.name+"/everyday", func(t *testing.T) {
					var extra []*os.File
					var stateOut func() string
					if h.name == "cursor" {
						extra, stateOut = cursorFds(t, state)
					}
					out, errOut, code := hw.run(t, e.path, h.args(everyday, vars), extra)
					if out != everydayOut || code != 0 || errOut != "" {
						t.Fatalf("got %q exit %d, stderr %q; want %q exit 0", out, code, errOut, everydayOut)
					}
					switch {
					case strings.HasPrefix(h.name, "claude"):
						// The harness went on after the command: the new
						// working directory is where Claude Code reads it.
						cwdFile, _ := filepath.Glob(filepath.Join(tmp, "claude-*-cwd"))
						if len(cwdFile) == 0 {
							t.Fatal("no cwd file written")
						}
						for _, f := range cwdFile {
							if b, _ := os.ReadFile(f); strings.TrimSpace(string(b)) != filepath.Join(hw.project, "src") {
								t.Errorf("%s holds %q", f, b)
							}
							os.Remove(f)
						}
					case h.name == "cursor":
						got := stateOut()
						if !strings.HasPrefix(got, "__CURSOR_BASH_STATE_START__\n"+filepath.Join(hw.project, "src")+"\n") ||
							!strings.Contains(got, "cursor_snap_FUNCTIONS_B64") {
							t.Errorf("the new state on descriptor 4 is not what Cursor reads: %.200q", got)
						}
					}
				})
				blocked := []string{`rm -rf ~/Documents`}
				if h.restores() {
					// A function and an alias of the user's rc file that the
					// harness restores before the command.
					blocked = append(blocked, `cleanup`, `tidy`)
				}
				for _, cmd := range blocked {
					t.Run(e.name+"/"+cmd, func(t *testing.T) {
						var extra []*os.File
						if h.name == "cursor" {
							extra, _ = cursorFds(t, state)
						}
						out, errOut, code := hw.run(t, e.path, h.args(cmd, vars), extra)
						if code != 126 || out != "" || !strings.HasPrefix(errOut, "guard: blocked:") {
							t.Errorf("got %q exit %d, stderr %q; want blocked (126)", out, code, errOut)
						}
						if _, err := os.Stat(hw.canary); err != nil {
							t.Fatalf("the blocked command ran: %v", err)
						}
					})
				}
			}
		})
	}
}

// Cursor restores what an earlier command of the agent defined: a function
// defined then is judged when a later command calls it.
func TestCursorRestoredStateIsJudged(t *testing.T) {
	t.Parallel()
	hw := newHarnessWorld(t)
	var cursor harness
	for _, h := range loadHarnesses(t) {
		if h.name == "cursor" {
			cursor = h
		}
	}
	state := hw.realBash(t, nil, "testdata/harness/cursor-state.sh", filepath.Join(hw.home, ".bashrc"))
	// The earlier command "gs() { rm -rf ~/Documents; }; alias ls='rm -rf ~/Documents'".
	poisoned := hw.realBash(t, []string{"EXTRA=gs() { rm -rf ~/Documents; }; alias ls='rm -rf ~/Documents'"},
		"testdata/harness/cursor-state.sh", filepath.Join(hw.home, ".bashrc"))
	for _, c := range []struct {
		state, cmd string
		blocked    bool
	}{
		{state, "gs", false},
		{poisoned, "gs", true},
		{poisoned, "ls", true},
		{poisoned, "echo fine", false},
	} {
		extra, _ := cursorFds(t, c.state)
		out, errOut, code := hw.run(t, hw.bash, cursor.args(c.cmd, hw.vars), extra)
		if c.blocked != (code == 126) {
			t.Errorf("%q (poisoned %v): exit %d, stdout %q, stderr %q", c.cmd, c.state == poisoned, code, out, errOut)
		}
		if _, err := os.Stat(hw.canary); err != nil {
			t.Fatalf("the blocked command ran: %v", err)
		}
	}
	// The same state on a pipe instead of a socket.
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { io.WriteString(wr, poisoned); wr.Close() }()
	_, _, code := hw.run(t, hw.bash, cursor.args("gs", hw.vars), []*os.File{r})
	r.Close()
	if code != 126 {
		t.Errorf("state on a pipe: exit %d, want 126", code)
	}
}

// Claude Code's snapshot is analysed once and kept in guard's state
// directory; a changed snapshot is analysed again.
func TestSnapshotAnalysisIsCached(t *testing.T) {
	t.Parallel()
	hw := newHarnessWorld(t)
	var claude harness
	for _, h := range loadHarnesses(t) {
		if h.name == "claude-snapshot" {
			claude = h
		}
	}
	entries := func() int {
		m, _ := filepath.Glob(filepath.Join(hw.home, ".local", "state", "guard", "cache", "sources", "*", "*"))
		return len(m)
	}
	for i := 0; i < 2; i++ {
		if _, errOut, code := hw.run(t, hw.bash, claude.args("true", hw.vars), nil); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	}
	if n := entries(); n != 1 {
		t.Fatalf("%d cache entries after two commands, want 1", n)
	}
	// The agent appends a function to the snapshot: the new content is
	// analysed, and its function judged.
	f, err := os.OpenFile(hw.vars["SNAPSHOT"], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "wipe() { rm -rf ~/Documents; }\n")
	f.Close()
	if _, _, code := hw.run(t, hw.bash, claude.args("wipe", hw.vars), nil); code != 126 {
		t.Errorf("a function added to the snapshot ran: exit %d", code)
	}
	if _, err := os.Stat(hw.canary); err != nil {
		t.Fatalf("the blocked command ran: %v", err)
	}
	if n := entries(); n != 2 {
		t.Errorf("%d cache entries, want 2", n)
	}
}

// "guard install shell" makes the links; the link named bash runs the real
// bash, and refuses to run a configured shell that is guard itself.
func TestInstallShellEndToEnd(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, errOut, code := w.guard(t, "", nil, "install", "shell")
	if code != 0 || !strings.Contains(out, "created ~/.local/share/guard/bin/bash") {
		t.Fatalf("guard install shell: exit %d\n%s%s", code, out, errOut)
	}
	bin := filepath.Join(w.home, ".local", "share", "guard", "bin")
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "PATH=") {
			w.env[i] = "PATH=" + bin + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	hw := &harnessWorld{world: w}
	// Through the link, and through it again for the nested bash.
	if out, errOut, code := hw.run(t, filepath.Join(bin, "bash"), []string{"-c", `bash -c 'echo "$0 ${BASH_VERSION%%.*}"'`}, nil); !strings.HasPrefix(out, "bash ") || code != 0 {
		t.Errorf("through the link: %q exit %d, stderr %q", out, code, errOut)
	}
	if out, _, code := hw.run(t, filepath.Join(w.home, ".local", "bin", "guard-bash"), []string{"-c", `echo "$0"`}, nil); out != "bash\n" || code != 0 {
		t.Errorf("guard-bash gives the real shell its own name: %q exit %d", out, code)
	}
	// A configured shell that is guard's own link.
	cfg := filepath.Join(w.home, ".config", "guard")
	os.MkdirAll(cfg, 0o755)
	if err := os.WriteFile(filepath.Join(cfg, "guard.toml"), []byte("shell = \""+filepath.Join(bin, "bash")+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = hw.run(t, filepath.Join(bin, "bash"), []string{"-c", "echo ran"}, nil)
	if code != 126 || out != "" || !strings.Contains(errOut, "is guard itself") {
		t.Errorf("guard as its own real shell: %q exit %d, stderr %q", out, code, errOut)
	}
}
