package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guard-dev/guard/sandbox/fence"
	"github.com/guard-dev/guard/sandbox/launch"
)

// fenceWorld is an unprivileged world for the write fence's tests, with a
// canary in ~/Documents and a TMPDIR outside HOME (HOME is under /tmp
// here, so the fence does not grant /tmp). It skips when the tests do
// not run as root (no throwaway user) or the kernel has no Landlock.
func fenceWorld(t *testing.T) (*world, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the write fence's tests run guard as a throwaway user: they need root")
	}
	if _, err := fence.ABI(); err != nil {
		t.Skipf("no Landlock here: %v", err)
	}
	w := newUnprivilegedWorld(t)
	tmp := filepath.Join(filepath.Dir(w.home), "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "GUARD_FENCE=") {
			w.env[i] = "GUARD_FENCE=on"
		}
	}
	w.env = append(w.env, "TMPDIR="+tmp)
	canary := w.give(t, "Documents/canary", []byte("alive"), 0o644)
	// A wheel made by hand, for pip without the network or setuptools.
	w.give(t, "mkwheel.py", []byte("import zipfile\nwith zipfile.ZipFile('m-0.1-py3-none-any.whl', 'w') as z:\n"+
		"    z.writestr('m/__init__.py', '')\n"+
		"    z.writestr('m-0.1.dist-info/METADATA', 'Metadata-Version: 2.1\\nName: m\\nVersion: 0.1\\n')\n"+
		"    z.writestr('m-0.1.dist-info/WHEEL', 'Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')\n"+
		"    z.writestr('m-0.1.dist-info/RECORD', 'm/__init__.py,,\\nm-0.1.dist-info/METADATA,,\\nm-0.1.dist-info/WHEEL,,\\nm-0.1.dist-info/RECORD,,\\n')\n"), 0o644)
	// Appends a line to each file appendto.list names, so that the
	// analysis cannot see which.
	w.give(t, "appendto.list", []byte(filepath.Join(w.home, ".ssh", "known_hosts")+"\n"+filepath.Join(w.home, ".python_history")+"\n"+filepath.Join(w.home, ".bash_history")+"\n"), 0o644)
	w.give(t, "appendto.py", []byte("for p in open(__file__[:-len('appendto.py')] + 'appendto.list').read().split():\n    open(p, 'a').write('x\\n')\n"), 0o644)
	// No known_hosts yet, as before a first ssh connection.
	if err := os.MkdirAll(filepath.Join(w.home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	w.give(t, ".python_history", nil, 0o600)
	w.give(t, ".bash_history", nil, 0o600)
	w.give(t, "testpkg.json", []byte(`{"name":"t","version":"1.0.0","scripts":{"test":"node -e \"require('fs').writeFileSync('tested','1')\""}}`), 0o644)
	// What the analysis cannot see: the target comes from a file at run time.
	w.give(t, "target", []byte(filepath.Join(w.home, "Documents")), 0o644)
	w.give(t, "cleanup.py", []byte("import shutil\nshutil.rmtree(open(__file__[:-len('cleanup.py')] + 'target').read())\n"), 0o644)
	w.give(t, "writecfg.py", []byte("import os\np = open(__file__[:-len('writecfg.py')] + 'target').read()\nos.makedirs(os.path.join(os.path.dirname(p), '.config', 'guard'), exist_ok=True)\n"+
		"open(os.path.join(os.path.dirname(p), '.config', 'guard', 'guard.toml'), 'w').write('[rules]\\n')\n"), 0o644)
	chownTree(t, tmp, int(w.cred.Uid))
	return w, canary
}

func canaryAlive(t *testing.T, canary string) {
	t.Helper()
	if b, err := os.ReadFile(canary); err != nil || string(b) != "alive" {
		t.Fatalf("the canary is damaged: %v %q", err, b)
	}
}

// TestFenceStopsWritesOutsideTheProject: programs the analysis cannot
// follow are refused by the kernel, the canary survives, and guard names
// the path and what would allow it.
func TestFenceStopsWritesOutsideTheProject(t *testing.T) {
	w, canary := fenceWorld(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	if _, errOut, code := w.guard(t, "", nil, "-c", "cp /bin/rm ./x"); code != 0 {
		t.Fatalf("cp /bin/rm ./x: exit %d: %s", code, errOut)
	}
	// A compiled program that unlinks the canary, its path read from a
	// file, and find's arguments assembled at run time by xargs.
	w.give(t, "unlink.c", []byte("#include <stdio.h>\n#include <unistd.h>\nint main(void){char p[4096]={0};FILE*f=fopen(\"target\",\"r\");"+
		"if(!f)return 2;fread(p,1,4000,f);fclose(f);snprintf(p+strlen(p),100,\"/canary\");if(unlink(p)){perror(p);return 1;}return 0;}\n"), 0o644)
	if _, err := exec.LookPath("cc"); err == nil {
		cc := exec.Command("cc", "-include", "string.h", "-o", filepath.Join(w.home, "unlink"), filepath.Join(w.home, "unlink.c"))
		if out, err := cc.CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s", err, out)
		}
		chownTree(t, w.home, int(w.cred.Uid))
	}
	w.give(t, "emit.py", []byte("print(open(__file__[:-len('emit.py')] + 'target').read(), '-delete')\n"), 0o644)
	cases := []struct{ name, cmd, path string }{
		{"copy of rm", "./x -rf ~/Documents", "~/Documents"},
		{"find assembled by xargs", "python3 ~/emit.py | xargs find", "~/Documents"},
		{"python rmtree", "python3 ~/cleanup.py", "canary"},
		{"guard's config", "python3 ~/writecfg.py", "~/.config"},
	}
	if _, err := os.Stat(filepath.Join(w.home, "unlink")); err == nil {
		cases = append(cases, struct{ name, cmd, path string }{"compiled program", "cd ~ && ./unlink", "~/Documents/canary"})
	}
	for _, c := range cases {
		_, errOut, code := w.guard(t, "", nil, "-c", c.cmd)
		if code == 0 {
			t.Errorf("%s: exit 0, want a failure (stderr %q)", c.name, errOut)
		}
		if !strings.Contains(errOut, "guard: the write fence refused changing "+c.path) && !strings.Contains(errOut, "guard: a permission error on "+c.path+" may come from the write fence") {
			t.Errorf("%s: no explanation of the fence naming %s in stderr:\n%s", c.name, c.path, errOut)
		}
		canaryAlive(t, canary)
	}
	if _, err := os.Stat(filepath.Join(w.home, ".config", "guard", "guard.toml")); err == nil {
		t.Error("guard.toml was written under the fence")
	}
}

// TestFenceKeepsTheDevWorkflow: what an agent does in its project works
// under the fence: rm -rf ./build, git, make, go build (GOCACHE under
// ~/.cache), npm, a test runner's cache.
func TestFenceKeepsTheDevWorkflow(t *testing.T) {
	w, canary := fenceWorld(t)
	steps := []struct {
		name, cmd string
		needs     string
	}{
		{"rm build", "mkdir -p build/x && touch build/x/o && rm -rf ./build && test ! -e build", ""},
		{"git", "git init -q . && git -c user.name=a -c user.email=a@b add -A && git -c user.name=a -c user.email=a@b commit -qm one --allow-empty && git stash list", "git"},
		{"make", "printf 'all:\\n\\techo built > out.txt\\n' > Makefile && make -s && test -s out.txt", "make"},
		{"go build", "printf 'module m\\ngo 1.21\\n' > go.mod && printf 'package main\\nfunc main(){}\\n' > main.go && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o app . && test -x app && test -d ~/.cache/go-build", "go"},
		{"npm", "npm --version >/dev/null && mkdir -p lib && printf '{\"name\":\"lib\",\"version\":\"1.0.0\"}' > lib/package.json && printf '{\"name\":\"app\",\"version\":\"1.0.0\"}' > package.json && npm install --offline --no-audit --no-fund ./lib >/dev/null && test -e node_modules/lib", "npm"},
		{"pytest cache", "mkdir -p .pytest_cache/v/cache && echo '{}' > .pytest_cache/v/cache/lastfailed && mkdir -p __pycache__ && touch __pycache__/m.pyc", ""},
		{"temp", "echo x > \"$TMPDIR/t\" && cat \"$TMPDIR/t\" && echo y > /dev/null", ""},
		{"npm test", "cp ~/testpkg.json package.json && npm test >/dev/null && test -s tested", "npm"},
		{"git clone, rebase, stash", "git init -q -b main up && git -C up -c user.name=a -c user.email=a@b commit -q --allow-empty -m one && git clone -q up down && cd down && echo x > f && git add f && git -c user.name=a -c user.email=a@b commit -qm two && echo y > f && git stash -q && git stash pop -q && git checkout -q f && git -c user.name=a -c user.email=a@b rebase -q origin/main && test $(git rev-list --count HEAD) = 2", "git"},
		{"python venv", "python3 -m venv .venv && python3 ~/mkwheel.py && .venv/bin/pip install -q --no-index m-0.1-py3-none-any.whl && .venv/bin/python -c 'import m'", "python3"},
		// What ssh and the REPLs write, by programs guard does not read
		// (a path from a file): the fence must let them.
		{"ssh known_hosts, history files", "python3 ~/appendto.py", "python3"},
		{"docker cli", "docker context ls >/dev/null", "docker"},
	}
	for _, s := range steps {
		if s.needs != "" {
			if _, err := exec.LookPath(s.needs); err != nil {
				t.Logf("%s: skipped, no %s", s.name, s.needs)
				continue
			}
		}
		out, errOut, code := w.guard(t, "", []string{"PATH=/usr/local/go/bin:/usr/local/bin:/usr/bin:/bin"}, "-c", s.cmd)
		if code != 0 {
			t.Errorf("%s: exit %d under the fence\nstdout: %s\nstderr: %s", s.name, code, out, errOut)
		}
	}
	canaryAlive(t, canary)
}

// TestFenceDegradesLoudly: without Landlock (GUARD_FENCE=nolandlock, the
// switch the code uses for a kernel without it) the command runs, with a
// one-line notice that it is not fenced; GUARD_FENCE=off is quiet.
func TestFenceDegradesLoudly(t *testing.T) {
	w, _ := fenceWorld(t)
	out, errOut, code := w.guard(t, "", []string{"GUARD_FENCE=nolandlock"}, "-c", "echo ran; touch ~/Documents/new")
	if code != 0 || out != "ran\n" {
		t.Fatalf("nolandlock: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "guard: note: no write fence:") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("nolandlock: want one notice line, got %q", errOut)
	}
	if _, err := os.Stat(filepath.Join(w.home, "Documents", "new")); err != nil {
		t.Errorf("nolandlock: the unfenced command could not write: %v", err)
	}
	_, errOut, code = w.guard(t, "", []string{"GUARD_FENCE=off"}, "-c", "true")
	if code != 0 || errOut != "" {
		t.Errorf("off: exit %d, stderr %q", code, errOut)
	}
	doc, _, _ := w.guard(t, "", []string{"GUARD_FENCE=nolandlock"}, "doctor")
	if !strings.Contains(doc, "fence: ") || !strings.Contains(doc, "not in force") {
		t.Errorf("guard doctor does not say the fence is off:\n%s", doc)
	}
	doc, _, _ = w.guard(t, "", nil, "doctor")
	if !strings.Contains(doc, "Landlock ABI") || !strings.Contains(doc, "remove_file") {
		t.Errorf("guard doctor does not report the Landlock ABI and handled set:\n%s", doc)
	}
}

// TestFenceRelaysNestedAudit: a guard started inside the fenced tree (a
// script whose bash is guard) cannot write the audit log itself; its
// record reaches the log through the guard that fenced it, marked as
// relayed, and it prints no error.
func TestFenceRelaysNestedAudit(t *testing.T) {
	w, _ := fenceWorld(t)
	inner := guardBinary(t) + " -c 'echo nested-marker'"
	out, errOut, code := w.guard(t, "", nil, "-c", inner)
	if code != 0 || out != "nested-marker\n" || errOut != "" {
		t.Fatalf("nested guard: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var relayed bool
	for _, r := range readAuditLog(t, w) {
		if r.Command == "echo nested-marker" {
			relayed = true
		}
	}
	if !relayed {
		t.Errorf("the nested guard's record is not in the audit log")
	}
	data, _ := os.ReadFile(filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl"))
	if !strings.Contains(string(data), `"note":"relayed from inside the write fence"`) {
		t.Errorf("the relayed record is not marked as relayed:\n%s", data)
	}
}

// TestFenceConfig: [paths] writable grants a path, [sandbox] fence = "off"
// in the user's config switches the fence off, and the same line in a
// project's file is ignored with a warning: the fence stays.
func TestFenceConfig(t *testing.T) {
	w, canary := fenceWorld(t)
	cfg := filepath.Join(".config", "guard", "guard.toml")
	project := filepath.Join(strings.TrimPrefix(w.project, w.home+"/"), ".guard.toml")

	w.give(t, project, []byte("[sandbox]\nfence = \"off\"\n"), 0o644)
	_, errOut, code := w.guard(t, "", nil, "-c", "touch ~/Documents/new")
	if code == 0 {
		t.Errorf("a project's fence = \"off\" switched the fence off (stderr %q)", errOut)
	}
	os.Remove(filepath.Join(w.home, project))

	w.give(t, cfg, []byte("[paths]\nwritable = [\"~/Documents\"]\n"), 0o644)
	if _, errOut, code := w.guard(t, "", nil, "-c", "touch ~/Documents/granted"); code != 0 {
		t.Errorf("[paths] writable: exit %d, stderr %q", code, errOut)
	}
	if _, errOut, code := w.guard(t, "", nil, "-c", "touch ~/outside"); code == 0 {
		t.Errorf("[paths] writable granted more than it names (stderr %q)", errOut)
	}
	doc, _, _ := w.guard(t, "", nil, "doctor")
	if !strings.Contains(doc, filepath.Join(w.home, "Documents")) {
		t.Errorf("guard doctor does not list the writable path:\n%s", doc)
	}

	w.give(t, cfg, []byte("[sandbox]\nfence = \"off\"\n"), 0o644)
	if _, errOut, code := w.guard(t, "", nil, "-c", "touch ~/outside"); code != 0 || errOut != "" {
		t.Errorf("user fence = \"off\": exit %d, stderr %q", code, errOut)
	}
	doc, _, _ = w.guard(t, "", nil, "doctor")
	if !strings.Contains(doc, `fence = "off"`) {
		t.Errorf("guard doctor does not say the config switched the fence off:\n%s", doc)
	}
	canaryAlive(t, canary)
}

// TestFenceUnderWrap: guard wrap puts the whole agent inside the write
// fence as well as under the exec judge: what its tree writes outside the
// project by programs guard cannot read fails with the canary intact, and
// the agent's everyday work in its project runs.
func TestFenceUnderWrap(t *testing.T) {
	w, canary := fenceWorld(t)
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	on := []string{"GUARD_EXEC_JUDGE=on"}
	cases := []struct{ name, agent string }{
		{"python rmtree of a path read from a file", "python3 ~/cleanup.py"},
		{"a program writing guard's config", "python3 ~/writecfg.py"},
		{"find assembled by xargs", "python3 ~/emit.py | xargs find"},
	}
	w.give(t, "emit.py", []byte("print(open(__file__[:-len('emit.py')] + 'target').read(), '-delete')\n"), 0o644)
	for _, c := range cases {
		_, errOut, code := w.guard(t, "", on, "wrap", "--", "sh", "-c", c.agent)
		if code == 0 {
			t.Errorf("%s: exit 0 under guard wrap, want a failure (stderr %q)", c.name, errOut)
		}
		canaryAlive(t, canary)
	}
	if _, err := os.Stat(filepath.Join(w.home, ".config", "guard", "guard.toml")); err == nil {
		t.Error("guard.toml was written under guard wrap")
	}
	work := "mkdir -p build && echo o > build/o && rm -rf build && git init -q . && echo x > f && git add f && git -c user.name=a -c user.email=a@b commit -qm one && echo ok"
	out, errOut, code := w.guard(t, "", on, "wrap", "--", "sh", "-c", work)
	if code != 0 || out != "ok\n" {
		t.Errorf("everyday work under guard wrap: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestFenceNoteSparesTheJudgesRefusals: a program the exec judge refuses
// fails with "Permission denied" on its own path; when that path lies
// outside the fence and is the user's to write, guard must not blame the
// write fence for it (the judge has said why on the process's stderr).
func TestFenceNoteSparesTheJudgesRefusals(t *testing.T) {
	w, canary := fenceWorld(t)
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	wipe := w.give(t, "bin/wipe", []byte("#!/bin/sh\nrm -rf \"$HOME/Documents\"\n"), 0o755)
	w.give(t, "which", []byte(wipe), 0o644)
	w.give(t, "launch.py", []byte("import subprocess\nsubprocess.run([open(__file__[:-len('launch.py')] + 'which').read()])\n"), 0o644)
	_, errOut, code := w.guard(t, "", []string{"GUARD_EXEC_JUDGE=on"}, "-c", "python3 ~/launch.py")
	canaryAlive(t, canary)
	if code == 0 {
		t.Errorf("exit 0, want the refused exec to fail python (stderr %q)", errOut)
	}
	if !strings.Contains(errOut, "guard: blocked:") {
		t.Errorf("the judge's reason is not on stderr:\n%s", errOut)
	}
	if strings.Contains(errOut, "write fence") {
		t.Errorf("guard blames the write fence for the judge's refusal:\n%s", errOut)
	}
}
