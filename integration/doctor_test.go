package integration

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doctorHome makes a home with a guard binary in it and returns the
// options to install and to diagnose with.
func doctorHome(t *testing.T) (InstallOptions, DoctorOptions) {
	t.Helper()
	home := t.TempDir()
	bin := filepath.Join(home, ".local", "bin", "guard")
	writeSample(t, bin, "#!/bin/sh\n")
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	io := testOptions(home)
	io.Binary, io.Getenv = bin, getenv
	return io, DoctorOptions{Home: home, Binary: bin, Getenv: getenv}
}

func runDoctor(t *testing.T, opts DoctorOptions) (string, int) {
	t.Helper()
	var out bytes.Buffer
	code := Doctor(opts, &out)
	return out.String(), code
}

func TestDoctorHealthy(t *testing.T) {
	io, opts := doctorHome(t)
	for _, agent := range InstallAgents() {
		var out bytes.Buffer
		if err := Install(agent, io, &out); err != nil {
			t.Fatal(err)
		}
	}
	opts.CheckConfig = func() error { return nil }
	out, code := runDoctor(t, opts)
	home, bin := opts.Home, opts.Binary
	want := `guard doctor
ok    binary: BIN
ok    state directory: HOME/.local/state/guard is writable
ok    config: loads
ok    claude: HOME/.claude/settings.json runs "BIN hook claude" (a PreToolUse hook for the Bash tool)
ok    cline: HOME/Documents/Cline/Hooks/PreToolUse runs "BIN hook cline"
note  cline: Cline runs hooks only with "Enable Hooks" on in its settings (Features); guard cannot see that setting
ok    codex: HOME/.codex/hooks.json runs "BIN hook codex" (a PreToolUse hook for the Bash tool)
ok    cursor: HOME/.cursor/hooks.json runs "BIN hook cursor" (a beforeShellExecution hook)
ok    gemini: HOME/.gemini/settings.json runs "BIN hook gemini" (a BeforeTool hook for run_shell_command)
note  gemini: Gemini CLI runs no hooks, guard's included, in a folder it does not trust; headless it refuses such a folder, interactive it then asks before each command without guard: trust your project folders
--    openhands: hooks live in each repository's .openhands/hooks.json; not checked here
ok    windsurf: HOME/.codeium/windsurf/hooks.json runs "BIN hook windsurf" (a pre_run_command hook)
--    shell: not installed (guard as the agents' shell: guard install shell)
no problems found
`
	want = strings.ReplaceAll(strings.ReplaceAll(want, "BIN", bin), "HOME", home)
	if out != want || code != 0 {
		t.Errorf("exit %d, output:\n%s\nwant\n%s", code, out, want)
	}
}

func TestDoctorNothingInstalled(t *testing.T) {
	_, opts := doctorHome(t)
	out, code := runDoctor(t, opts)
	if code != 0 || !strings.Contains(out, "--    config: not checked") ||
		!strings.Contains(out, "--    claude: not installed (") || !strings.Contains(out, "run: guard install claude") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDoctorProblems(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, io InstallOptions, opts *DoctorOptions)
		want  []string
	}{
		{"hook runs a binary that is gone", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			io.Binary = "/nowhere/guard"
			Install("claude", io, &bytes.Buffer{})
		}, []string{`FAIL  claude: ` + "" + `HOME/.claude/settings.json runs "/nowhere/guard hook claude", but /nowhere/guard: it does not exist`, "fix: run: guard install claude"}},
		{"hook runs another guard", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			other := filepath.Join(opts.Home, "other", "guard")
			writeSample(t, other, "#!/bin/sh\n")
			os.Chmod(other, 0o755)
			io.Binary = other
			Install("codex", io, &bytes.Buffer{})
		}, []string{"FAIL  codex: HOME/.codex/hooks.json runs HOME/other/guard, not this guard (BIN)", "fix: run: guard install codex (to use this binary)"}},
		{"settings do not parse", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			writeSample(t, filepath.Join(opts.Home, ".gemini", "settings.json"), "{\n  \"theme\": \"x\",\n}\n")
		}, []string{"FAIL  gemini: HOME/.gemini/settings.json does not parse (line 3, column 1: trailing comma before }), so gemini cannot read its hooks either", "fix: repair the file by hand"}},
		{"claude turns hooks off", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			writeSample(t, filepath.Join(opts.Home, ".claude", "settings.json"), "{\n  \"disableAllHooks\": true\n}\n")
			Install("claude", io, &bytes.Buffer{})
		}, []string{"FAIL  claude: guard's hook is in HOME/.claude/settings.json, but claude's settings turn hooks off", `fix: remove "disableAllHooks": true from HOME/.claude/settings.json`}},
		{"gemini turns hooks off", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			writeSample(t, filepath.Join(opts.Home, ".gemini", "settings.json"), "{\"tools\": {\"enableHooks\": false}}")
			Install("gemini", io, &bytes.Buffer{})
		}, []string{`fix: set "tools": {"enableHooks": true} in HOME/.gemini/settings.json`}},
		{"codex turns hooks off", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			writeSample(t, filepath.Join(opts.Home, ".codex", "config.toml"), "model = \"o3\"\n\n[features]\nhooks = false # for now\n")
			Install("codex", io, &bytes.Buffer{})
		}, []string{"fix: remove hooks = false from the [features] table of HOME/.codex/config.toml"}},
		{"another agent's protocol", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			writeSample(t, filepath.Join(opts.Home, ".codex", "hooks.json"),
				`{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "`+opts.Binary+` hook claude"}]}]}}`)
		}, []string{`FAIL  codex: HOME/.codex/hooks.json runs "BIN hook claude", which speaks claude's protocol, not codex's`}},
		{"cline script not executable", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			Install("cline", io, &bytes.Buffer{})
			os.Chmod(filepath.Join(opts.Home, "Documents", "Cline", "Hooks", "PreToolUse"), 0o644)
		}, []string{"FAIL  cline: HOME/Documents/Cline/Hooks/PreToolUse is not executable, so Cline does not run it", "fix: chmod +x HOME/Documents/Cline/Hooks/PreToolUse"}},
		{"config does not load", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			opts.CheckConfig = func() error { return errors.New("guard.toml:3: unknown rule fs.nope") }
		}, []string{"FAIL  config: guard.toml:3: unknown rule fs.nope"}},
		{"state directory not writable", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			file := filepath.Join(opts.Home, "state-is-a-file")
			writeSample(t, file, "")
			opts.Getenv = func(k string) string {
				if k == "XDG_STATE_HOME" {
					return file
				}
				return ""
			}
		}, []string{"FAIL  state directory: HOME/state-is-a-file/guard is not writable"}},
		{"state directory is a symbolic link", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			elsewhere := filepath.Join(opts.Home, "elsewhere")
			os.MkdirAll(elsewhere, 0o700)
			os.MkdirAll(filepath.Join(opts.Home, ".local", "state"), 0o700)
			if err := os.Symlink(elsewhere, filepath.Join(opts.Home, ".local", "state", "guard")); err != nil {
				t.Fatal(err)
			}
		}, []string{"FAIL  state directory: HOME/.local/state/guard is a symbolic link", "fix: make HOME/.local/state/guard a real directory that only you can write to"}},
		{"binary missing", func(t *testing.T, io InstallOptions, opts *DoctorOptions) {
			opts.Binary = filepath.Join(opts.Home, "gone")
		}, []string{"FAIL  binary: HOME/gone: it does not exist", "fix: reinstall guard (./install.sh)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, opts := doctorHome(t)
			bin := opts.Binary
			tt.setup(t, io, &opts)
			out, code := runDoctor(t, opts)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(strings.ReplaceAll(w, "BIN", bin), "HOME", opts.Home)
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// A hook that names the binary through a symbolic link is this binary.
func TestDoctorSymlinkedBinary(t *testing.T) {
	io, opts := doctorHome(t)
	link := filepath.Join(opts.Home, "bin", "guard")
	os.MkdirAll(filepath.Dir(link), 0o755)
	if err := os.Symlink(opts.Binary, link); err != nil {
		t.Fatal(err)
	}
	io.Binary = link
	Install("windsurf", io, &bytes.Buffer{})
	out, code := runDoctor(t, opts)
	if code != 0 || !strings.Contains(out, "ok    windsurf:") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDoctorCursorWithoutFailClosed(t *testing.T) {
	_, opts := doctorHome(t)
	writeSample(t, filepath.Join(opts.Home, ".cursor", "hooks.json"),
		`{"version": 1, "hooks": {"beforeShellExecution": [{"command": "`+opts.Binary+` hook cursor"}]}}`)
	out, code := runDoctor(t, opts)
	if code != 0 || !strings.Contains(out, `note  cursor: guard's hook has no "failClosed": true`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCodexHooksOff(t *testing.T) {
	dir := t.TempDir()
	for src, want := range map[string]bool{
		"[features]\nhooks = false\n":               true,
		"[features]\ncodex_hooks = false\n":         true,
		"features.hooks = false\n":                  true,
		"[features]\nhooks = true\n":                false,
		"[other]\nhooks = false\n":                  false,
		"# [features]\n# hooks = false\n":           false,
		"[features]\nweb_search = false\n[x]\n":     false,
		"[features]  # on\n  hooks = false # off\n": true,
	} {
		path := filepath.Join(dir, "config.toml")
		os.WriteFile(path, []byte(src), 0o644)
		if got := codexHooksOff(path); got != want {
			t.Errorf("codexHooksOff(%q) = %v", src, got)
		}
	}
}

// With Probe, doctor runs each hook as its agent would: a hook whose
// binary answers nothing that blocks is a problem, whatever the files say.
func TestDoctorProbesHooks(t *testing.T) {
	io, opts := doctorHome(t)
	for _, agent := range InstallAgents() {
		if err := Install(agent, io, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	opts.CheckConfig = func() error { return nil }
	opts.Probe = true
	// The binary exits 0 saying nothing: every hook lets the command run.
	out, code := runDoctor(t, opts)
	if code == 0 {
		t.Errorf("doctor passed hooks that answer nothing:\n%s", out)
	}
	for _, agent := range []string{"claude", "codex", "gemini", "cursor", "windsurf", "cline"} {
		if !strings.Contains(out, "FAIL  "+agent+": ") || !strings.Contains(out, "exited 0 and said nothing, which does not block the command") {
			t.Errorf("doctor did not fail %s's silent hook:\n%s", agent, out)
		}
	}
	// A binary that blocks (exit 2, as guard does for an unreadable event
	// in several protocols): every probe passes.
	writeSample(t, opts.Binary, "#!/bin/sh\ncat >/dev/null\necho blocked >&2\nexit 2\n")
	os.Chmod(opts.Binary, 0o755)
	if out, code := runDoctor(t, opts); code != 0 {
		t.Errorf("doctor with hooks that block: exit %d\n%s", code, out)
	}
}

func TestProbeAnswers(t *testing.T) {
	cases := []struct {
		stdout string
		exit   int
		blocks bool
	}{
		{`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"x"}}`, 0, true},
		{`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"x"}}`, 0, false},
		{`{"decision":"deny","reason":"x"}`, 0, true},
		{`{"permission":"deny"}`, 0, true},
		{`{"permission":"allow"}`, 0, false},
		{`{"cancel":true,"errorMessage":"x"}`, 0, true},
		{`{"cancel":false}`, 0, false},
		{``, 2, true},
		{``, 0, false},
		{`{"decision":"deny"}`, 1, false},
		{`not json`, 0, false},
	}
	for _, c := range cases {
		if got := blocks([]byte(c.stdout), c.exit); got != c.blocks {
			t.Errorf("blocks(%q, %d) = %v, want %v", c.stdout, c.exit, got, c.blocks)
		}
	}
}

func TestGeminiFolderTrust(t *testing.T) {
	for src, want := range map[string]bool{
		`{}`: true,
		`{"security": {"folderTrust": {"enabled": true}}}`:           true,
		`{"security": {"folderTrust": {"enabled": false}}}`:          false,
		`{"security": {"auth": {"selectedType": "gemini-api-key"}}}`: true,
		`not json`: true,
	} {
		if got := geminiFolderTrust([]byte(src)); got != want {
			t.Errorf("geminiFolderTrust(%s) = %v, want %v", src, got, want)
		}
	}
}
