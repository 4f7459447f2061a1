package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A login shell runs the user's profile before the command: started as
// one (bash -lc, -c -l, --login, or under a name starting with "-"), guard
// judges what the profile runs and what it defines, with the command. As
// root the tests run guard as an unprivileged user in a home of their own.
func TestLoginShellProfileIsJudged(t *testing.T) {
	t.Parallel()
	w := newUnprivilegedWorld(t)
	canary := w.give(t, "Documents/canary", []byte("x"), 0o644)
	profile := func(text string) {
		t.Helper()
		for _, f := range []string{".bash_profile", ".bash_login", ".profile", ".bashrc"} {
			os.Remove(filepath.Join(w.home, f))
		}
		w.give(t, ".bash_profile", []byte(text), 0o644)
	}
	alive := func() {
		t.Helper()
		if _, err := os.Stat(canary); err != nil {
			t.Fatalf("the blocked command ran: %v", err)
		}
	}

	profile("export PATH=\"$HOME/.local/bin:$PATH\"\ndeploy() { rm -rf ~/Documents; }\n")
	for _, args := range [][]string{{"-lc", "deploy"}, {"-c", "-l", "deploy"}, {"--login", "-c", "deploy"}, {"-l", "-c", "echo start; deploy"}} {
		out, errOut, code := w.guard(t, "", nil, args...)
		if code != 126 || out != "" || !strings.Contains(errOut, "deletes ~/Documents recursively") {
			t.Errorf("guard %q: got %q exit %d, stderr %q; want blocked", args, out, code, errOut)
		}
		alive()
	}
	// Under a name starting with "-", as login(1) starts a shell.
	out, errOut, code := w.guardAs(t, "-bash", "-c", "deploy")
	if code != 126 || out != "" || !strings.HasPrefix(errOut, "guard: blocked:") {
		t.Errorf("-bash -c deploy: got %q exit %d, stderr %q; want blocked", out, code, errOut)
	}
	alive()
	// Without a login shell, or with --noprofile, bash reads no profile:
	// there is no deploy to call, and bash says so.
	for _, args := range [][]string{{"-c", "deploy"}, {"--noprofile", "-lc", "deploy"}} {
		out, errOut, code := w.guard(t, "", nil, args...)
		if code != 127 || out != "" || !strings.Contains(errOut, "deploy: command not found") {
			t.Errorf("guard %q: got %q exit %d, stderr %q; want bash's command not found", args, out, code, errOut)
		}
		alive()
	}

	// A profile that deletes when it runs.
	profile("rm -rf ~/Documents\n")
	if out, errOut, code := w.guard(t, "", nil, "-lc", "true"); code != 126 || out != "" || !strings.Contains(errOut, "deletes ~/Documents recursively") {
		t.Errorf("deleting profile: got %q exit %d, stderr %q; want blocked", out, code, errOut)
	}
	alive()
	// bash reads the first of ~/.bash_profile, ~/.bash_login, ~/.profile.
	os.Remove(filepath.Join(w.home, ".bash_profile"))
	w.give(t, ".profile", []byte("rm -rf ~/Documents\n"), 0o644)
	if _, _, code := w.guard(t, "", nil, "-lc", "true"); code != 126 {
		t.Errorf("deleting ~/.profile: exit %d, want blocked", code)
	}
	alive()
	w.give(t, ".bash_login", []byte("greet() { echo hi; }\n"), 0o644)
	if out, errOut, code := w.guard(t, "", nil, "-lc", "greet"); out != "hi\n" || code != 0 {
		t.Errorf("~/.bash_login before ~/.profile: got %q exit %d, stderr %q", out, code, errOut)
	}
	alive()

	// An ordinary profile: Debian's own ~/.profile and ~/.bashrc (which
	// returns at once when the shell is not interactive), PATH exports,
	// nvm's lines with its script, a function and an alias. It runs, and
	// what it defines works.
	os.Remove(filepath.Join(w.home, ".bash_login"))
	os.Remove(filepath.Join(w.home, ".profile"))
	for _, f := range []string{".profile", ".bashrc"} {
		data, err := os.ReadFile(filepath.Join("testdata", "login", "debian-"+strings.TrimPrefix(f, ".")))
		if err != nil {
			t.Fatal(err)
		}
		w.give(t, f, data, 0o644)
	}
	nvm, err := os.ReadFile(filepath.Join("testdata", "login", "nvm.sh"))
	if err != nil {
		t.Fatal(err)
	}
	w.give(t, ".nvm/nvm.sh", nvm, 0o644)
	extra, err := os.ReadFile(filepath.Join("testdata", "login", "bash_profile"))
	if err != nil {
		t.Fatal(err)
	}
	w.give(t, ".bash_profile", extra, 0o644)
	for _, c := range []struct{ cmd, out string }{
		{`greet world`, "hello world\n"},
		{`echo "$PATH" | tr : '\n' | grep -c "$HOME/.local/bin"`, "1\n"},
		{`nvm current`, "none\n"},
		{`type -t ll`, "alias\n"},
	} {
		out, errOut, code := w.guard(t, "", nil, "-lc", "shopt -s expand_aliases; "+c.cmd)
		if out != c.out || code != 0 || errOut != "" {
			t.Errorf("%s: got %q exit %d, stderr %q; want %q", c.cmd, out, code, errOut, c.out)
		}
	}
	if out, errOut, code := w.guard(t, "", nil, "-lc", "cleanup_docs"); code != 126 || out != "" {
		t.Errorf("a deleting function of the ordinary profile: got %q exit %d, stderr %q; want blocked", out, code, errOut)
	}
	alive()
}

// guardAs runs the binary under the name argv0 with args, as w.guard does.
func (w *world) guardAs(t *testing.T, argv0 string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(guardBinary(t), args...)
	cmd.Args[0] = argv0
	cmd.Dir = w.project
	cmd.Env = w.env
	cmd.SysProcAttr = newSession()
	cmd.SysProcAttr.Credential = w.cred
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = exitStatus(ee)
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}
