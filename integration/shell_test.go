package integration

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shellHome is a home with a guard binary in it.
func shellHome(t *testing.T) (home, bin string) {
	t.Helper()
	home = t.TempDir()
	bin = filepath.Join(home, "opt", "guard")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return home, bin
}

func TestInstallShellLinks(t *testing.T) {
	home, bin := shellHome(t)
	opts := InstallOptions{Home: home, Binary: bin}
	bash := filepath.Join(home, ".local", "share", "guard", "bin", "bash")
	gb := filepath.Join(home, ".local", "bin", "guard-bash")

	var out bytes.Buffer
	if err := InstallShell(InstallOptions{Home: home, Binary: bin, DryRun: true}, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(bash); err == nil || !strings.Contains(out.String(), "would have created ~/.local/share/guard/bin/bash") {
		t.Fatalf("dry run: %s", out.String())
	}

	out.Reset()
	if err := InstallShell(opts, &out); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bash, gb} {
		if target, err := os.Readlink(p); err != nil || target != bin {
			t.Errorf("%s: %q %v", p, target, err)
		}
	}
	for _, want := range []string{
		"created ~/.local/share/guard/bin/bash -> " + bin,
		"created ~/.local/bin/guard-bash -> " + bin,
		`export CLAUDE_CODE_SHELL="$HOME/.local/bin/guard-bash"`,
		`PATH="$HOME/.local/share/guard/bin:$PATH" gemini`,
		"guard install codex",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if err := InstallShell(opts, &out); err != nil || !strings.Contains(out.String(), "unchanged ~/.local/bin/guard-bash") {
		t.Errorf("again: %v\n%s", err, out.String())
	}

	// guard moved: the links follow it.
	moved := filepath.Join(home, "bin2", "guard")
	os.MkdirAll(filepath.Dir(moved), 0o755)
	os.WriteFile(moved, []byte("#!/bin/sh\n"), 0o755)
	out.Reset()
	if err := InstallShell(InstallOptions{Home: home, Binary: moved}, &out); err != nil || !strings.Contains(out.String(), "updated ~/.local/share/guard/bin/bash -> "+moved) {
		t.Errorf("moved: %v\n%s", err, out.String())
	}

	out.Reset()
	if err := UninstallShell(InstallOptions{Home: home, Binary: moved}, &out); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bash, gb} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := os.Stat(filepath.Dir(bash)); err == nil {
		t.Errorf("the empty bin directory is still there")
	}
}

func TestInstallShellKeepsOtherFiles(t *testing.T) {
	home, bin := shellHome(t)
	gb := filepath.Join(home, ".local", "bin", "guard-bash")
	os.MkdirAll(filepath.Dir(gb), 0o755)
	if err := os.WriteFile(gb, []byte("mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	bash := filepath.Join(home, "data", "guard", "bin", "bash")
	os.MkdirAll(filepath.Dir(bash), 0o755)
	if err := os.Symlink("/bin/bash", bash); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return filepath.Join(home, "data")
		}
		return ""
	}
	var out bytes.Buffer
	err := InstallShell(InstallOptions{Home: home, Binary: bin, Getenv: getenv}, &out)
	if err == nil || !strings.Contains(err.Error(), "points to /bin/bash, not to guard; move it away") {
		t.Errorf("a foreign link was not refused: %v", err)
	}
	os.Remove(bash)
	err = InstallShell(InstallOptions{Home: home, Binary: bin, Getenv: getenv}, &out)
	if err == nil || !strings.Contains(err.Error(), "is not a link; move it away") {
		t.Errorf("a file was not refused: %v", err)
	}
	if b, _ := os.ReadFile(gb); string(b) != "mine" {
		t.Errorf("the user's file changed: %q", b)
	}
	out.Reset()
	if err := UninstallShell(InstallOptions{Home: home, Binary: bin, Getenv: getenv}, &out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(gb); string(b) != "mine" || !strings.Contains(out.String(), "kept ~/.local/bin/guard-bash") {
		t.Errorf("uninstall touched the user's file: %q\n%s", b, out.String())
	}
}

func TestDoctorShell(t *testing.T) {
	home, bin := shellHome(t)
	env := map[string]string{"PATH": "/usr/bin:/bin"}
	opts := DoctorOptions{Home: home, Binary: bin, Getenv: func(k string) string { return env[k] }}
	doctor := func() string {
		var out bytes.Buffer
		Doctor(opts, &out)
		return out.String()
	}
	if got := doctor(); !strings.Contains(got, "--    shell: not installed (guard as the agents' shell: guard install shell)") {
		t.Errorf("not installed:\n%s", got)
	}
	if err := InstallShell(InstallOptions{Home: home, Binary: bin}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	got := doctor()
	for _, want := range []string{
		"ok    shell: ~/.local/share/guard/bin/bash runs this guard",
		"ok    shell: ~/.local/bin/guard-bash runs this guard",
		`--    shell: in this PATH "bash" is /usr/bin/bash`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("doctor lacks %q:\n%s", want, got)
		}
	}
	env["PATH"] = filepath.Join(home, ".local", "share", "guard", "bin") + ":/usr/bin:/bin"
	env["CLAUDE_CODE_SHELL"] = filepath.Join(home, ".local", "bin", "guard-bash")
	got = doctor()
	for _, want := range []string{"ok    shell: guard's bash comes first in PATH here", "ok    shell: CLAUDE_CODE_SHELL is guard's"} {
		if !strings.Contains(got, want) {
			t.Errorf("doctor lacks %q:\n%s", want, got)
		}
	}
	// A link left pointing at another guard.
	other := filepath.Join(home, "old", "guard")
	os.MkdirAll(filepath.Dir(other), 0o755)
	os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755)
	gb := filepath.Join(home, ".local", "bin", "guard-bash")
	os.Remove(gb)
	os.Symlink(other, gb)
	if got := doctor(); !strings.Contains(got, "FAIL  shell: ~/.local/bin/guard-bash points to "+other+", not to this guard") {
		t.Errorf("stale link:\n%s", got)
	}
}
