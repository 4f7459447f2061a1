package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// userConfig writes content as the world's user config file.
func (w *world) userConfig(t *testing.T, content string) string {
	t.Helper()
	dir := filepath.Join(w.home, ".config", "guard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "guard.toml")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestBrokenUserConfigFailsClosed: a user file with a TOML error keeps
// what it says before the error (a custom deny) and holds every command
// guard would allow for a human, naming the file and line, in guard check
// and in shell mode, which then runs nothing.
func TestBrokenUserConfigFailsClosed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	file := w.userConfig(t, "[[rule]]\nid = \"custom.no-tf-destroy\"\nmatch = [\"terraform\", \"destroy\"]\n"+
		"decision = \"deny\"\nreason = \"destroys infrastructure\"\n\n[paths]\nprotected = [\"~/finances\"\n")
	at := file + ":8"
	_, errOut, code := w.guard(t, "", nil, "check", "terraform destroy")
	if code != 4 || !strings.Contains(errOut, at) {
		t.Errorf("terraform destroy: exit %d, stderr %q; want the custom rule's deny and %s named", code, errOut, at)
	}
	out, _, code := w.guard(t, "", nil, "check", "ls")
	if code != 3 || !strings.Contains(out, "meta.config-error") || !strings.Contains(out, at) {
		t.Errorf("ls: exit %d, stdout %q; want a confirm naming %s", code, out, at)
	}
	marker := filepath.Join(w.project, "ran")
	_, errOut, code = w.guard(t, "", nil, "-c", "touch "+marker)
	if _, err := os.Stat(marker); err == nil || code == 0 {
		t.Errorf("shell mode ran a command under a broken config: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(errOut, at) {
		t.Errorf("shell mode's refusal does not name %s: %q", at, errOut)
	}
}

// TestConfigFilesThatAreNotFiles: a dangling link as the user's file holds
// commands like a broken file; a FIFO or a link as the project's file is an
// error guard reports without blocking on it or reading through the link.
func TestConfigFilesThatAreNotFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	dir := filepath.Join(w.home, ".config", "guard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "guard.toml")
	if err := os.Symlink(filepath.Join(w.home, "dotfiles", "guard.toml"), file); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := w.guard(t, "", nil, "check", "ls")
	if code != 3 || !strings.Contains(errOut, file+": is a symbolic link to") || !strings.Contains(out, "meta.config-error") {
		t.Errorf("dangling user link: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}

	project := filepath.Join(w.project, ".guard.toml")
	if err := syscall.Mkfifo(project, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = w.guard(t, "", nil, "check", "ls")
	if code != 0 || !strings.Contains(errOut, project+": is a FIFO") {
		t.Errorf("project FIFO: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if err := os.Remove(project); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(w.home, "secret.txt")
	if err := os.WriteFile(secret, []byte("[SECRETVALUE]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, project); err != nil {
		t.Fatal(err)
	}
	_, errOut, _ = w.guard(t, "", nil, "check", "ls")
	if !strings.Contains(errOut, project+": is a symbolic link") || strings.Contains(errOut, "SECRETVALUE") {
		t.Errorf("project link: stderr %q", errOut)
	}
}

// TestHomeUnset: with HOME missing from its environment guard takes its
// home from the password database: "~" is that home, "$HOME" is empty, and
// a .config/guard/guard.toml in the working directory is never the user's
// config. Only analysis and echo run here (the test may run as root), and
// the state stays in the test's XDG_STATE_HOME.
func TestHomeUnset(t *testing.T) {
	t.Parallel()
	u, err := user.Current()
	if err != nil || !filepath.IsAbs(u.HomeDir) {
		t.Skip("the current user has no password entry")
	}
	w := newWorld(t)
	planted := filepath.Join(w.project, ".config", "guard")
	if err := os.MkdirAll(planted, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(planted, "guard.toml"), []byte("[rules]\n\"fs.rm-home\" = \"allow\"\n\"fs.rm-protected\" = \"allow\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			env = append(env, kv)
		}
	}
	w.env = env
	for _, src := range []string{"rm -rf ~", "unset HOME; rm -rf ~", "unset -v HOME; rm -rf ~/.ssh"} {
		out, _, code := w.guard(t, "", nil, "check", src)
		if code == 0 || !strings.Contains(out, "fs.rm-") {
			t.Errorf("%q without HOME: exit %d, stdout %q", src, code, out)
		}
	}
	out, errOut, _ := w.guard(t, "", nil, "config")
	if strings.Contains(out+errOut, "fs.rm-home") {
		t.Errorf("guard config loaded the working directory's file: %s%s", out, errOut)
	}
	out, errOut, code := w.guard(t, "", nil, "-c", `echo "~=" ~ "HOME=[$HOME]"`)
	if want := "~= " + filepath.Clean(u.HomeDir) + " HOME=[]\n"; code != 0 || out != want {
		t.Errorf("echo ~ $HOME without HOME: exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
}
