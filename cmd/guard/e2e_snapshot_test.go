package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// loadCreation reads the fixture of an agent's snapshot-creation run from
// testdata/harness/create: argv and script, like the harnesses.
func loadCreation(t *testing.T, name string) harness {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "harness", "create", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	h := harness{name: name}
	for _, s := range a.Files {
		switch s.Name {
		case "argv":
			h.argv = strings.Split(strings.TrimSuffix(string(s.Data), "\n"), "\n")
		case "script":
			h.script = strings.TrimSuffix(string(s.Data), "\n")
		default:
			t.Fatalf("%s: unknown section %q", name, s.Name)
		}
	}
	return h
}

// Claude Code 2.1.x makes its shell snapshot by running its own script
// through the user's shell at the start of every session. Through guard,
// with a ~/.bashrc of ordinary things (tool wrappers, completion helpers,
// aliases, PATH exports, and a function and an alias that delete
// ~/Documents, defined but not run), it runs: the snapshot is written in
// Claude Code's own format, and the session's commands then source it,
// with the deleting function and alias judged when a command calls them.
// An rc file that deletes something when sourced is refused, with nothing
// run.
func TestClaudeSnapshotCreation(t *testing.T) {
	t.Parallel()
	create := loadCreation(t, "claude-2.1.332")
	var use harness
	for _, h := range loadHarnesses(t) {
		if h.name == "claude-snapshot-2.1.289" {
			use = h
		}
	}
	hw := newHarnessWorld(t)
	// What Claude Code adds to the environment of the shell it spawns.
	env := append(append([]string(nil), hw.env...), "SHELL="+hw.bash, "GIT_EDITOR=true", "CLAUDECODE=1")
	entries := []struct{ name, path string }{
		{"guard", guardBinary(t)},
		{"bash link", hw.bash},
		{"guard-bash link", hw.guardBash},
	}
	for i, e := range entries {
		t.Run(e.name, func(t *testing.T) {
			snap := filepath.Join(hw.home, ".claude", "shell-snapshots", "snapshot-bash-178770000000"+string(rune('0'+i))+"-k2j4x1.sh")
			vars := map[string]string{
				"SNAPSHOT": snap,
				"HOME":     hw.home,
				"CLAUDE":   filepath.Join(hw.home, ".local", "share", "claude", "versions", "2.1.332"),
			}
			saved := hw.env
			hw.env = env
			out, errOut, code := hw.run(t, e.path, create.args("", vars), nil)
			hw.env = saved
			if code != 0 || errOut != "" {
				t.Fatalf("snapshot creation: exit %d, stderr %q", code, errOut)
			}
			if !strings.Contains(out, "--- claude-code-shell-exports ---\n") {
				t.Errorf("no environment report on stdout: %.200q", out)
			}
			data, err := os.ReadFile(snap)
			if err != nil {
				t.Fatalf("no snapshot written: %v", err)
			}
			for _, want := range []string{"# Snapshot file\n", "eval $'cleanup () \\n{ \\n    rm -rf ~/Documents\\n}' > /dev/null 2>&1\n", "alias -- tidy='rm -rf ~/Documents'\n", "function pkill {\n"} {
				if !strings.Contains(string(data), want) {
					t.Errorf("the snapshot lacks %q", want)
				}
			}
			// The session's commands source it.
			vars["SNAPSHOT"], vars["TMP"] = snap, hw.tmp
			if out, errOut, code := hw.run(t, hw.bash, use.args(`cd src && ls`, vars), nil); out != "a.txt\n" || code != 0 || errOut != "" {
				t.Errorf("everyday command with the new snapshot: %q exit %d, stderr %q", out, code, errOut)
			}
			for _, cmd := range []string{"cleanup", "tidy", "mkcd x && cleanup"} {
				out, errOut, code := hw.run(t, hw.bash, use.args(cmd, vars), nil)
				if code != 126 || out != "" || !strings.HasPrefix(errOut, "guard: blocked:") {
					t.Errorf("%s: got %q exit %d, stderr %q; want blocked", cmd, out, code, errOut)
				}
				if _, err := os.Stat(hw.canary); err != nil {
					t.Fatalf("the blocked command ran: %v", err)
				}
			}
		})
	}
	// Debian's ~/.bashrc returns at once in a shell that is not
	// interactive: what follows (colours from dircolors' output) is not
	// what the snapshot's shell runs. nvm's lines source its script.
	t.Run("debian rc with nvm", func(t *testing.T) {
		rc := filepath.Join(hw.home, ".bashrc")
		orig, err := os.ReadFile(rc)
		if err != nil {
			t.Fatal(err)
		}
		debian, err := os.ReadFile(filepath.Join("testdata", "login", "debian-bashrc"))
		if err != nil {
			t.Fatal(err)
		}
		nvm, err := os.ReadFile(filepath.Join("testdata", "login", "nvm.sh"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(hw.home, ".nvm"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(hw.home, ".nvm", "nvm.sh"), nvm, 0o644); err != nil {
			t.Fatal(err)
		}
		text := "export NVM_DIR=\"$HOME/.nvm\"\n[ -s \"$NVM_DIR/nvm.sh\" ] && \\. \"$NVM_DIR/nvm.sh\"\n" + string(debian)
		if err := os.WriteFile(rc, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(rc, orig, 0o644)
		snap := filepath.Join(hw.home, ".claude", "shell-snapshots", "snapshot-bash-1787700000008-dd8d8d.sh")
		vars := map[string]string{"SNAPSHOT": snap, "HOME": hw.home, "CLAUDE": "/nonexistent/claude"}
		if _, errOut, code := hw.run(t, hw.bash, create.args("", vars), nil); code != 0 || errOut != "" {
			t.Fatalf("snapshot creation: exit %d, stderr %q", code, errOut)
		}
		data, err := os.ReadFile(snap)
		if err != nil || !strings.Contains(string(data), "eval $'nvm () ") {
			t.Errorf("the snapshot lacks nvm's function (%v)", err)
		}
	})
	t.Run("rc that deletes", func(t *testing.T) {
		rc := filepath.Join(hw.home, ".bashrc")
		orig, err := os.ReadFile(rc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(rc, append(orig, "rm -rf ~/Documents\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(rc, orig, 0o644)
		snap := filepath.Join(hw.home, ".claude", "shell-snapshots", "snapshot-bash-1787700000009-zz9z9z.sh")
		vars := map[string]string{"SNAPSHOT": snap, "HOME": hw.home, "CLAUDE": "/nonexistent/claude"}
		out, errOut, code := hw.run(t, hw.bash, create.args("", vars), nil)
		if code != 126 || out != "" || !strings.Contains(errOut, "deletes ~/Documents recursively") {
			t.Errorf("got %q exit %d, stderr %q; want blocked for what the rc file deletes", out, code, errOut)
		}
		if _, err := os.Stat(hw.canary); err != nil {
			t.Fatalf("the blocked command ran: %v", err)
		}
		if _, err := os.Stat(snap); err == nil {
			t.Error("a snapshot was written")
		}
	})
}
