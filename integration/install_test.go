package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const testBinary = "/opt/guard/bin/guard"

// testOptions installs into home with a clock that moves a second per call.
func testOptions(home string) InstallOptions {
	clock := time.Date(2025, 11, 26, 6, 0, 0, 0, time.UTC)
	return InstallOptions{
		Home:   home,
		Binary: testBinary,
		Getenv: func(string) string { return "" },
		Now: func() time.Time {
			clock = clock.Add(time.Second)
			return clock
		},
	}
}

// settingsPath is where each agent's settings live under home.
func settingsPath(t *testing.T, agent, home string) string {
	t.Helper()
	tg, err := targetFor(agent, testOptions(home))
	if err != nil {
		t.Fatal(err)
	}
	return tg.path
}

// samples are settings files as people have them. Each must come back
// byte for byte after install and uninstall.
func samples() map[string]map[string]string {
	return map[string]map[string]string{
		"claude": {
			"typical": `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm test:*)", "Read(~/code/**)"],
    "deny": []
  },
  "env": {
    "FOO": "bar"
  }
}
`,
			"other-hooks": `{
  "hooks": {
    "PostToolUse": [
      {
        "matcher": "Write|Edit",
        "hooks": [
          {
            "type": "command",
            "command": "prettier --write \"$CLAUDE_FILE\""
          }
        ]
      }
    ],
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "~/bin/log-commands"
          }
        ]
      }
    ]
  },
  "model": "sonnet"
}
`,
			"compact":      `{"model":"opus","permissions":{"allow":[]},"hooks":{"Stop":[]}}`,
			"tabs":         "{\n\t\"model\": \"opus\",\n\t\"includeCoAuthoredBy\": false\n}\n",
			"four-spaces":  "{\n    \"model\": \"opus\",\n    \"hooks\": {\n        \"Stop\": []\n    }\n}",
			"crlf":         "{\r\n  \"model\": \"opus\"\r\n}\r\n",
			"empty-file":   "",
			"empty-object": "{}\n",
			"unicode":      "{\n  \"statusLine\": {\"type\": \"command\", \"command\": \"echo \\u2713 <ok> & done\"}\n}\n",
		},
		"codex": {
			"other-events": "{\n  \"hooks\": {\n    \"SessionStart\": [\n      {\n        \"hooks\": [{ \"type\": \"command\", \"command\": \"~/bin/start\" }]\n      }\n    ]\n  }\n}\n",
		},
		"gemini": {
			"comments": `{
  // my Gemini settings
  "theme": "GitHub",
  "general": { "vimMode": true },
  "hooks": {
    "BeforeTool": [
      {
        "matcher": "write_file",
        "hooks": [{ "type": "command", "command": "./lint.sh" }] /* keep */
      }
    ]
  }
}
`,
		},
		"cursor": {
			"after-edit": "{\n  \"version\": 1,\n  \"hooks\": {\n    \"afterFileEdit\": [\n      { \"command\": \"./hooks/format.sh\" }\n    ]\n  }\n}\n",
		},
		"windsurf": {
			"post-write": "{\n  \"hooks\": {\n    \"post_write_code\": [\n      {\n        \"command\": \"python3 /opt/log.py\",\n        \"show_output\": true\n      }\n    ]\n  }\n}\n",
		},
	}
}

func writeSample(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decoded parses a settings file (comments allowed) into plain values.
func decoded(t *testing.T, src string) map[string]any {
	t.Helper()
	var v map[string]any
	if strings.TrimSpace(src) == "" {
		return map[string]any{}
	}
	if err := json.Unmarshal([]byte(stripComments(src)), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, src)
	}
	return v
}

// withoutGuard removes guard's entries from decoded settings, the way
// uninstall would, to compare everything else.
func withoutGuard(t *testing.T, agent string, v map[string]any) map[string]any {
	tg, _ := targetFor(agent, testOptions("/home/u"))
	var parents []map[string]any
	cur := v
	for _, key := range tg.event[:len(tg.event)-1] {
		next, ok := cur[key].(map[string]any)
		if !ok {
			return v
		}
		parents = append(parents, cur)
		cur = next
	}
	last := tg.event[len(tg.event)-1]
	arr, _ := cur[last].([]any)
	var keep []any
	for _, e := range arr {
		if !strings.Contains(mustJSON(e), " hook "+agent) {
			keep = append(keep, e)
		}
	}
	if len(keep) == len(arr) {
		return v
	}
	if len(keep) > 0 {
		cur[last] = keep
		return v
	}
	delete(cur, last)
	for i := len(parents) - 1; i >= 0 && len(cur) == 0; i-- {
		delete(parents[i], tg.event[i])
		cur = parents[i]
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestInstallUninstallRoundTrip(t *testing.T) {
	for agent, docs := range samples() {
		for name, doc := range docs {
			for _, mode := range []string{"backup", "structural"} {
				t.Run(agent+"/"+name+"/"+mode, func(t *testing.T) {
					home := t.TempDir()
					path := settingsPath(t, agent, home)
					writeSample(t, path, doc)
					opts := testOptions(home)
					var out bytes.Buffer
					if err := Install(agent, opts, &out); err != nil {
						t.Fatalf("install: %v\n%s", err, out.String())
					}
					installed := readFile(t, path)
					cmd := testBinary + " hook " + agent
					if !strings.Contains(installed, cmd) {
						t.Fatalf("guard's command is not in the file:\n%s", installed)
					}
					// Everything else decodes to the same values.
					if got, want := withoutGuard(t, agent, decoded(t, installed)), decoded(t, doc); !reflect.DeepEqual(got, want) {
						t.Errorf("unrelated settings changed:\n%s", installed)
					}
					if !strings.Contains(out.String(), "--- "+path) || !strings.Contains(out.String(), "+") {
						t.Errorf("install printed no diff:\n%s", out.String())
					}

					// Installing again changes nothing.
					out.Reset()
					if err := Install(agent, opts, &out); err != nil {
						t.Fatal(err)
					}
					if readFile(t, path) != installed || !strings.Contains(out.String(), "nothing changed") {
						t.Errorf("second install changed the file or said so:\n%s", out.String())
					}

					if mode == "structural" {
						for _, b := range backupsOf(path) {
							os.Remove(b)
						}
					}
					out.Reset()
					if err := Uninstall(agent, opts, &out); err != nil {
						t.Fatalf("uninstall: %v\n%s", err, out.String())
					}
					if mode == "structural" && strings.TrimSpace(doc) == strings.TrimSpace(samples()["claude"]["empty-object"]) || doc == "" && mode == "structural" {
						// Without a backup, a file that held nothing but
						// guard's hook cannot be told from one guard
						// created: it is removed.
						if _, err := os.Stat(path); !os.IsNotExist(err) {
							t.Errorf("uninstall kept a file that held only guard's hook:\n%s", readFile(t, path))
						}
						return
					}
					if got := readFile(t, path); got != doc {
						t.Errorf("uninstall did not give back the original:\n got %q\nwant %q\n%s", got, doc, out.String())
					}
					// Uninstalling again changes nothing.
					out.Reset()
					if err := Uninstall(agent, opts, &out); err != nil {
						t.Fatal(err)
					}
					if readFile(t, path) != doc || !strings.Contains(out.String(), "nothing changed") {
						t.Errorf("second uninstall: %s", out.String())
					}
				})
			}
		}
	}
}

// With no settings file, install creates one and uninstall removes it.
func TestInstallNewFile(t *testing.T) {
	for _, agent := range []string{"claude", "codex", "gemini", "cursor", "windsurf"} {
		t.Run(agent, func(t *testing.T) {
			home := t.TempDir()
			path := settingsPath(t, agent, home)
			opts := testOptions(home)
			var out bytes.Buffer
			if err := Install(agent, opts, &out); err != nil {
				t.Fatal(err)
			}
			created := readFile(t, path)
			if !json.Valid([]byte(created)) || !strings.HasSuffix(created, "}\n") {
				t.Errorf("created file:\n%s", created)
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
				t.Errorf("new file mode %v", fi.Mode().Perm())
			}
			if len(backupsOf(path)) != 0 {
				t.Errorf("a backup of nothing was written")
			}
			if !strings.Contains(out.String(), "--- /dev/null") || !strings.Contains(out.String(), "created "+path) {
				t.Errorf("output:\n%s", out.String())
			}
			out.Reset()
			if err := Uninstall(agent, opts, &out); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("uninstall left %s: %s", path, out.String())
			}
		})
	}
}

// The exact bytes of a new Claude settings file and of the install output.
func TestInstallClaudeOutput(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	writeSample(t, path, "{\n  \"model\": \"opus\"\n}\n")
	var out bytes.Buffer
	if err := Install("claude", testOptions(home), &out); err != nil {
		t.Fatal(err)
	}
	wantFile := `{
  "model": "opus",
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          {
            "type": "command",
            "command": "/opt/guard/bin/guard hook claude"
          }
        ]
      }
    ]
  }
}
`
	if got := readFile(t, path); got != wantFile {
		t.Errorf("file:\n%s\nwant\n%s", got, wantFile)
	}
	backup := path + ".guard-backup-20251126T060001.000000000Z"
	wantOut := "--- " + path + "\n+++ " + path + `
@@ -1,3 +1,16 @@
 {
-  "model": "opus"
+  "model": "opus",
+  "hooks": {
+    "PreToolUse": [
+      {
+        "matcher": "Bash",
+        "hooks": [
+          {
+            "type": "command",
+            "command": "/opt/guard/bin/guard hook claude"
+          }
+        ]
+      }
+    ]
+  }
 }
claude: added a PreToolUse hook for the Bash tool that runs: /opt/guard/bin/guard hook claude
claude: the previous file is kept as ` + backup + "\n"
	if out.String() != wantOut {
		t.Errorf("output:\n%s\nwant\n%s", out.String(), wantOut)
	}
	if readFile(t, backup) != "{\n  \"model\": \"opus\"\n}\n" {
		t.Errorf("backup content")
	}
}

// Guard's entry goes into an existing PreToolUse array next to the user's
// own, and only guard's entry comes out, even after the user edited the
// file in between (no backup can be replayed).
func TestUninstallAfterUserEdits(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	orig := samples()["claude"]["other-hooks"]
	writeSample(t, path, orig)
	opts := testOptions(home)
	var out bytes.Buffer
	if err := Install("claude", opts, &out); err != nil {
		t.Fatal(err)
	}
	edit := func(s string) string {
		return strings.Replace(s, `"model": "sonnet"`, `"model": "opus",
  "theme": "dark"`, 1)
	}
	writeSample(t, path, edit(readFile(t, path)))
	out.Reset()
	if err := Uninstall("claude", opts, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := readFile(t, path), edit(orig); got != want {
		t.Errorf("got\n%s\nwant\n%s\n%s", got, want, out.String())
	}
	if !strings.Contains(out.String(), "removed guard's hook (1 entry)") || !strings.Contains(out.String(), "kept as") {
		t.Errorf("output:\n%s", out.String())
	}
}

// A guard hook that shares a matcher group with the user's hooks is taken
// out of the group, which stays.
func TestUninstallSharedGroup(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	doc := `{
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          { "type": "command", "command": "~/bin/log" },
          { "type": "command", "command": "/usr/local/bin/guard hook claude" }
        ]
      }
    ]
  }
}
`
	writeSample(t, path, doc)
	var out bytes.Buffer
	if err := Uninstall("claude", testOptions(home), &out); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(doc, `,
          { "type": "command", "command": "/usr/local/bin/guard hook claude" }`, "", 1)
	if got := readFile(t, path); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// A moved binary: installing again points the hook at the new path, and
// uninstalling still gives back the file from before guard.
func TestInstallMovedBinary(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "codex", home)
	orig := samples()["codex"]["other-events"]
	writeSample(t, path, orig)
	opts := testOptions(home)
	opts.Binary = "/old/place/guard"
	var out bytes.Buffer
	if err := Install("codex", opts, &out); err != nil {
		t.Fatal(err)
	}
	opts.Binary = "/new place/guard"
	out.Reset()
	if err := Install("codex", opts, &out); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, path)
	if strings.Contains(got, "/old/place") || !strings.Contains(got, `"'/new place/guard' hook codex"`) {
		t.Errorf("after the move:\n%s", got)
	}
	if !strings.Contains(out.String(), "pointed guard's hook at this binary") {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	if err := Uninstall("codex", opts, &out); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != orig {
		t.Errorf("uninstall:\n%s\n%s", got, out.String())
	}
}

func TestInstallDryRun(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "gemini", home)
	doc := samples()["gemini"]["comments"]
	writeSample(t, path, doc)
	opts := testOptions(home)
	opts.DryRun = true
	var out bytes.Buffer
	if err := Install("gemini", opts, &out); err != nil {
		t.Fatal(err)
	}
	if readFile(t, path) != doc || len(backupsOf(path)) != 0 {
		t.Error("dry run wrote something")
	}
	if !strings.Contains(out.String(), "would add a BeforeTool hook") || !strings.Contains(out.String(), "+        \"matcher\": \"run_shell_command\",") {
		t.Errorf("output:\n%s", out.String())
	}
	// Dry-run uninstall of a real install writes nothing either.
	opts.DryRun = false
	Install("gemini", opts, &out)
	installed := readFile(t, path)
	opts.DryRun = true
	out.Reset()
	if err := Uninstall("gemini", opts, &out); err != nil {
		t.Fatal(err)
	}
	if readFile(t, path) != installed || !strings.Contains(out.String(), "would restore") {
		t.Errorf("dry-run uninstall:\n%s", out.String())
	}
}

// A settings file that is a symbolic link (a dotfiles repository) is
// edited where it really is; the link stays.
func TestInstallThroughSymlink(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	real := filepath.Join(home, "dotfiles", "claude.json")
	writeSample(t, real, samples()["claude"]["typical"])
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.Symlink(real, path); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(home)
	var out bytes.Buffer
	if err := Install("claude", opts, &out); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced")
	}
	if !strings.Contains(readFile(t, real), "hook claude") || len(backupsOf(real)) != 1 {
		t.Errorf("the real file was not edited, or no backup beside it")
	}
	if err := Uninstall("claude", opts, &out); err != nil {
		t.Fatal(err)
	}
	if readFile(t, real) != samples()["claude"]["typical"] {
		t.Error("uninstall through the link")
	}
}

func TestInstallRefusals(t *testing.T) {
	tests := []struct {
		name, agent, doc, want string
	}{
		{"not JSON", "claude", "{\n  \"model\": \"opus\",\n}\n", "line 3, column 1: trailing comma"},
		{"hooks is an array", "claude", `{"hooks": []}`, `"hooks" is not an object`},
		{"event is an object", "cursor", `{"version": 1, "hooks": {"beforeShellExecution": {}}}`, `"hooks.beforeShellExecution" is not an array`},
		{"not an object", "windsurf", `[1]`, "not a JSON object"},
	}
	for _, tt := range tests {
		home := t.TempDir()
		path := settingsPath(t, tt.agent, home)
		writeSample(t, path, tt.doc)
		var out bytes.Buffer
		err := Install(tt.agent, testOptions(home), &out)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if readFile(t, path) != tt.doc || len(backupsOf(path)) != 0 {
			t.Errorf("%s: the file was touched", tt.name)
		}
	}
	home := t.TempDir()
	var out bytes.Buffer
	if err := Install("vim", testOptions(home), &out); err == nil || !strings.Contains(err.Error(), "unknown agent") {
		t.Errorf("unknown agent: %v", err)
	}
	opts := testOptions(home)
	opts.Binary = "guard"
	if err := Install("claude", opts, &out); err == nil || !strings.Contains(err.Error(), "absolute") {
		t.Errorf("relative binary: %v", err)
	}
	opts = testOptions("")
	if err := Install("claude", opts, &out); err == nil || !strings.Contains(err.Error(), "home") {
		t.Errorf("no home: %v", err)
	}
}

func TestInstallOpenHands(t *testing.T) {
	var out bytes.Buffer
	err := Install("openhands", testOptions(t.TempDir()), &out)
	if err == nil || !strings.Contains(out.String(), `"command": "/opt/guard/bin/guard hook openhands"`) ||
		!strings.Contains(out.String(), ".openhands/hooks.json") {
		t.Errorf("err %v, output:\n%s", err, out.String())
	}
}

func TestInstallEnvironmentDirs(t *testing.T) {
	home := t.TempDir()
	opts := testOptions(home)
	opts.Getenv = func(k string) string {
		switch k {
		case "CLAUDE_CONFIG_DIR":
			return filepath.Join(home, "claude-work")
		case "CODEX_HOME":
			return filepath.Join(home, "codex-home")
		}
		return ""
	}
	for agent, want := range map[string]string{
		"claude": filepath.Join(home, "claude-work", "settings.json"),
		"codex":  filepath.Join(home, "codex-home", "hooks.json"),
	} {
		tg, err := targetFor(agent, opts)
		if err != nil || tg.path != want {
			t.Errorf("%s: %v %v, want %s", agent, tg, err, want)
		}
	}
}

func TestInstallCline(t *testing.T) {
	home := t.TempDir()
	path := settingsPath(t, "cline", home)
	opts := testOptions(home)
	var out bytes.Buffer
	if err := Install("cline", opts, &out); err != nil {
		t.Fatal(err)
	}
	script := readFile(t, path)
	want := "#!/bin/sh\n# guard: checks every command Cline runs. \"guard install cline\" wrote this file;\n# \"guard uninstall cline\" removes it.\nexec /opt/guard/bin/guard hook cline\n"
	if script != want {
		t.Errorf("script:\n%s", script)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o755 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	out.Reset()
	if err := Install("cline", opts, &out); err != nil || !strings.Contains(out.String(), "nothing changed") {
		t.Errorf("second install: %v %s", err, out.String())
	}
	out.Reset()
	if err := Uninstall("cline", opts, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("uninstall left the script")
	}

	// Someone else's hook is neither replaced nor removed.
	theirs := "#!/usr/bin/env bash\necho '{\"cancel\": false}'\n"
	writeSample(t, path, theirs)
	if err := Install("cline", opts, &out); err == nil || !strings.Contains(err.Error(), "not guard's hook") {
		t.Errorf("install over another hook: %v", err)
	}
	out.Reset()
	if err := Uninstall("cline", opts, &out); err != nil || !strings.Contains(out.String(), "not guard's hook") {
		t.Errorf("uninstall of another hook: %v %s", err, out.String())
	}
	if readFile(t, path) != theirs {
		t.Error("another hook was changed")
	}
}

func TestGuardCommand(t *testing.T) {
	tests := []struct {
		cmd, bin, agent string
		ok              bool
	}{
		{"/usr/local/bin/guard hook claude", "/usr/local/bin/guard", "claude", true},
		{"'/Users/me/my tools/guard' hook codex", "/Users/me/my tools/guard", "codex", true},
		{`"/opt/x/guard-dev" hook cursor`, "/opt/x/guard-dev", "cursor", true},
		{"guard hook gemini", "guard", "gemini", true},
		{"/usr/bin/other hook claude", "", "", false},
		{"/usr/local/bin/guard check ls", "", "", false},
		{"/usr/local/bin/guard hook claude --verbose", "", "", false},
		{"$HOME/bin/guard hook claude", "", "", false},
		{"guard hook claude; rm -rf ~", "", "", false},
	}
	for _, tt := range tests {
		bin, agent, ok := guardCommand(tt.cmd, "")
		if ok != tt.ok || bin != tt.bin || agent != tt.agent {
			t.Errorf("guardCommand(%q) = %q, %q, %v", tt.cmd, bin, agent, ok)
		}
	}
	// The configured binary counts even when it is not named guard.
	if _, _, ok := guardCommand("/opt/g hook claude", "/opt/g"); !ok {
		t.Error("configured binary not recognised")
	}
}

// The settings file changing between reading and writing stops the write.
func TestReplaceDetectsRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	writeSample(t, path, "{}\n")
	f, err := readTarget(path)
	if err != nil {
		t.Fatal(err)
	}
	writeSample(t, path, "{\"changed\": true}\n")
	if _, err := f.replaceNoBackup([]byte("{\"guard\": 1}\n")); err != errRace {
		t.Errorf("err = %v, want errRace", err)
	}
	if readFile(t, path) != "{\"changed\": true}\n" {
		t.Error("the other writer's change was overwritten")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// An empty "hooks" object the user had comes back when a backup can be
// replayed; without one it is removed along with guard's entry.
func TestUninstallEmptyHooksObject(t *testing.T) {
	doc := `{"model":"opus","hooks":{}}`
	home := t.TempDir()
	path := settingsPath(t, "claude", home)
	writeSample(t, path, doc)
	opts := testOptions(home)
	if err := Install("claude", opts, &discard{}); err != nil {
		t.Fatal(err)
	}
	if err := Uninstall("claude", opts, &discard{}); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != doc {
		t.Errorf("with a backup: %q", got)
	}
	Install("claude", opts, &discard{})
	for _, b := range backupsOf(path) {
		os.Remove(b)
	}
	Uninstall("claude", opts, &discard{})
	if got := readFile(t, path); got != `{"model":"opus"}` {
		t.Errorf("without a backup: %q", got)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
