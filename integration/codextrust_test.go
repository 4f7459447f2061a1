package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sha256Hex is "sha256:" and the hex digest of s, as Codex writes it.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// The hash is Codex's: SHA-256 of the normalized hook identity as compact
// JSON with sorted keys (verified against Codex 0.169.1 by
// TestRealAgents/codex/hook, where Codex runs the hook only when it
// matches).
func TestCodexHookHash(t *testing.T) {
	tg := &target{agent: "codex", path: "/home/u/.codex/hooks.json", event: []string{"hooks", "PreToolUse"}, nested: true}
	cases := []struct {
		name, hooks, key, identity string
	}{
		{"guard's entry",
			`{"hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"/usr/local/bin/guard hook codex"}]}]}}`,
			"/home/u/.codex/hooks.json:pre_tool_use:0:0",
			`{"event_name":"pre_tool_use","hooks":[{"async":false,"command":"/usr/local/bin/guard hook codex","timeout":600,"type":"command"}],"matcher":"Bash"}`},
		{"second group, second handler, own timeout and message, quoted path",
			`{"hooks":{"PreToolUse":[{"matcher":"apply_patch","hooks":[{"type":"command","command":"x"}]},` +
				`{"hooks":[{"type":"command","command":"other"},{"type":"command","command":"'/opt/my \"tools\"/guard' hook codex","timeout":30,"statusMessage":"checking <cmd> & more"}]}]}}`,
			"/home/u/.codex/hooks.json:pre_tool_use:1:1",
			`{"event_name":"pre_tool_use","hooks":[{"async":false,"command":"'/opt/my \"tools\"/guard' hook codex","statusMessage":"checking <cmd> & more","timeout":30,"type":"command"}]}`},
	}
	for _, c := range cases {
		trusts, err := codexTrusts(tg, []byte(c.hooks), "/usr/local/bin/guard")
		if err != nil || len(trusts) != 1 {
			t.Fatalf("%s: trusts %v, err %v", c.name, trusts, err)
		}
		if want := (codexTrust{c.key, sha256Hex(c.identity)}); trusts[0] != want {
			t.Errorf("%s: trust %+v, want %+v", c.name, trusts[0], want)
		}
	}
}

func TestInstallCodexTrustsTheHook(t *testing.T) {
	io, opts := doctorHome(t)
	codexHome := filepath.Join(opts.Home, ".codex")
	config := filepath.Join(codexHome, "config.toml")
	orig := "# mine\nmodel = \"o3\"\n\n[projects.\"/work\"]\ntrust_level = \"trusted\"\n"
	writeSample(t, config, orig)
	var out bytes.Buffer
	if err := Install("codex", io, &out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(config)
	if !strings.HasPrefix(string(got), orig) {
		t.Errorf("config.toml lost what it had:\n%s", got)
	}
	tg, _ := targetFor("codex", io)
	hooks, _ := os.ReadFile(tg.path)
	trusts, err := codexTrusts(tg, hooks, io.Binary)
	if err != nil || len(trusts) != 1 {
		t.Fatal(trusts, err)
	}
	have, err := codexTrustedHashes(got)
	if err != nil || have[trusts[0].key] != trusts[0].hash {
		t.Errorf("config.toml does not trust guard's hook (%v):\n%s", err, got)
	}
	if !strings.Contains(out.String(), "trusted guard's hook in "+config) {
		t.Errorf("install did not say it trusted the hook:\n%s", out.String())
	}
	doc, code := runDoctor(t, opts)
	if code != 0 || !strings.Contains(doc, "ok    codex:") {
		t.Errorf("doctor after install: exit %d\n%s", code, doc)
	}

	// Again: nothing changes.
	out.Reset()
	if err := Install("codex", io, &out); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(config); !bytes.Equal(again, got) || !strings.Contains(out.String(), "already trusted") {
		t.Errorf("second install changed config.toml or did not say so:\n%s", out.String())
	}

	// A stale trust (the hook changed since it was trusted): doctor says
	// Codex skips it, install replaces the hash in place.
	stale := strings.Replace(string(got), trusts[0].hash, "sha256:0000", 1)
	writeSample(t, config, stale)
	if doc, code := runDoctor(t, opts); code == 0 || !strings.Contains(doc, "Codex skips it") {
		t.Errorf("doctor with a stale trust: exit %d\n%s", code, doc)
	}
	if err := Install("codex", io, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if fixed, _ := os.ReadFile(config); string(fixed) != string(got) {
		t.Errorf("install did not put the hash back in place:\n%s", fixed)
	}

	// No trust at all, as guard install left it before: doctor fails.
	writeSample(t, config, orig)
	if doc, code := runDoctor(t, opts); code == 0 || !strings.Contains(doc, "is not trusted") {
		t.Errorf("doctor without a trust entry: exit %d\n%s", code, doc)
	}
}

// A config.toml guard cannot edit safely is left alone, and the user is
// told the lines to add.
func TestInstallCodexTrustByHand(t *testing.T) {
	io, opts := doctorHome(t)
	config := filepath.Join(opts.Home, ".codex", "config.toml")
	bad := "model = \"o3\"\nhooks = { state = {} }\n"
	writeSample(t, config, bad)
	err := Install("codex", io, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "trusted_hash = \"sha256:") || !strings.Contains(err.Error(), "by hand") {
		t.Fatalf("install with an inline hooks table: %v", err)
	}
	if got, _ := os.ReadFile(config); string(got) != bad {
		t.Errorf("config.toml changed:\n%s", got)
	}
}
