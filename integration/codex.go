package integration

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// codexAdapter is Codex CLI: Claude Code's PreToolUse protocol without
// "ask", in hooks.json beside config.toml, where Codex also records which
// hooks the user trusts (codextrust.go).
func codexAdapter() *adapter {
	return &adapter{
		name:    "codex",
		aliases: []string{"codex-cli"},
		hook:    claudeProtocol(false),
		probe:   claudeEvent,
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: jsonHooks,
				path:  filepath.Join(dirFromEnv(getenv, "CODEX_HOME", filepath.Join(home, ".codex")), "hooks.json"),
				event: []string{"hooks", "PreToolUse"}, nested: true, entry: hookGroup("Bash"),
				template: "{}\n", what: `a PreToolUse hook for the Bash tool`}
		},
		installed: func(t *target, opts InstallOptions, stdout io.Writer) error {
			return retryOnRace(func() error { return trustCodexHooks(t, opts, stdout) })
		},
		trust: codexTrustProblem,
		hooksOff: func(t *target, data []byte) string {
			config := filepath.Join(filepath.Dir(t.path), "config.toml")
			if codexHooksOff(config) {
				return "remove hooks = false from the [features] table of " + config
			}
			return ""
		},
		shell: func(dir, guardBash string) string {
			return "  Codex CLI     uses your login shell when it is bash or zsh, whatever PATH says:\n" +
				"                rely on guard install codex (its hook), or make " + dir + "/bash\n" +
				"                your login shell (add it to /etc/shells, then chsh -s it)\n"
		},
	}
}

// codexHooksOff says whether Codex's config.toml turns the hooks feature
// off ([features] hooks = false, or the older codex_hooks = false).
func codexHooksOff(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[] ")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if table == "" && (key == "features.hooks" || key == "features.codex_hooks") ||
			table == "features" && (key == "hooks" || key == "codex_hooks") {
			if value == "false" {
				return true
			}
		}
	}
	return false
}
