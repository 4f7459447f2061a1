package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Codex runs a hook from hooks.json only once the user has trusted it: its
// config.toml must hold
//
//	[hooks.state."HOOKS.JSON:pre_tool_use:GROUP:HANDLER"]
//	trusted_hash = "sha256:HEX"
//
// where the key names the hook by the file's absolute path, the event and
// the hook's position, and the hash is Codex's hash of the hook's
// normalized definition. Codex's TUI writes this when the user trusts the
// hook in /hooks; "codex exec" skips an untrusted or modified hook without
// a word. So "guard install codex" writes the entry itself, computed the
// way Codex computes it, and "guard doctor" checks that it matches.
//
// Codex's hash (codex-rs/hooks/src/engine/discovery.rs, command_hook_hash,
// and codex-rs/config fingerprint.rs, version_for_toml): the identity
// {"event_name": "pre_tool_use", "matcher": M, "hooks": [HANDLER]} with the
// handler normalized to {"type": "command", "command", "timeout" (default
// 600, at least 1), "async" (default false), "statusMessage" (when set)},
// serialized as JSON with object keys sorted and no spaces (serde_json),
// then SHA-256, written "sha256:" and lowercase hex.

// codexTrust is the trust entry one of guard's Codex hooks needs.
type codexTrust struct {
	key  string // the hooks.state table name
	hash string // the trusted_hash value
}

// codexConfigPath is Codex's config.toml beside its hooks.json.
func codexConfigPath(t *target) string {
	return filepath.Join(filepath.Dir(t.path), "config.toml")
}

// codexTrusts computes the trust entries guard's hooks in a Codex
// hooks.json need.
func codexTrusts(t *target, src []byte, binary string) ([]codexTrust, error) {
	root, err := parseJSON(src)
	if err != nil {
		return nil, err
	}
	chain := eventChain(t, root)
	if len(chain) < len(t.event)+1 {
		return nil, nil
	}
	arr := chain[len(chain)-1]
	var out []codexTrust
	for _, r := range findRefs(t, arr, binary) {
		group := arr.elems[r.entry]
		h := group.member("hooks").elems[r.hook]
		hash, err := codexHookHash("pre_tool_use", src, group, h)
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("%s:pre_tool_use:%d:%d", filepath.Clean(t.path), r.entry, r.hook)
		out = append(out, codexTrust{key, hash})
	}
	return out, nil
}

// codexHookHash is Codex's trusted_hash of one command handler h in the
// matcher group group of event (Codex's snake_case event label).
func codexHookHash(event string, src []byte, group, h *jnode) (string, error) {
	var b strings.Builder
	b.WriteString(`{"event_name":`)
	writeSerdeString(&b, event)
	b.WriteString(`,"hooks":[{"async":`)
	async := "false"
	if a := h.member("async"); a != nil {
		if a.kind != jBool {
			return "", fmt.Errorf(`"async" of guard's hook is not true or false`)
		}
		async = string(src[a.start:a.end])
	}
	b.WriteString(async)
	b.WriteString(`,"command":`)
	writeSerdeString(&b, h.member("command").str)
	if m := h.member("statusMessage"); m != nil && m.kind == jString {
		b.WriteString(`,"statusMessage":`)
		writeSerdeString(&b, m.str)
	}
	timeout := uint64(600)
	for _, name := range []string{"timeoutSec", "timeout"} {
		if n := h.member(name); n != nil {
			v, err := strconv.ParseUint(string(src[n.start:n.end]), 10, 64)
			if n.kind != jNumber || err != nil {
				return "", fmt.Errorf("%q of guard's hook is not a whole number of seconds", name)
			}
			timeout = v
		}
	}
	b.WriteString(`,"timeout":`)
	b.WriteString(strconv.FormatUint(max(timeout, 1), 10))
	b.WriteString(`,"type":"command"}]`)
	if m := group.member("matcher"); m != nil && m.kind == jString {
		b.WriteString(`,"matcher":`)
		writeSerdeString(&b, m.str)
	}
	b.WriteString("}")
	sum := sha256.Sum256([]byte(b.String()))
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// writeSerdeString writes s as a JSON string the way serde_json does: only
// the quote, the backslash and control characters are escaped (\b \f \n \r
// \t by name, the rest as \u00xx); everything else is written as it is.
func writeSerdeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// codexTrustedHashes reads the trusted_hash of every hooks.state entry of
// a Codex config.toml.
func codexTrustedHashes(src []byte) (map[string]string, error) {
	var doc struct {
		Hooks struct {
			State map[string]struct {
				TrustedHash string `toml:"trusted_hash"`
			} `toml:"state"`
		} `toml:"hooks"`
	}
	if _, err := toml.Decode(string(src), &doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range doc.Hooks.State {
		out[k] = v.TrustedHash
	}
	return out, nil
}

// tomlQuote writes s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// trustEntryText is the config.toml text of one trust entry, for the file
// and for telling the user what to add by hand.
func trustEntryText(tr codexTrust) string {
	return "[hooks.state." + tomlQuote(tr.key) + "]\ntrusted_hash = " + tomlQuote(tr.hash) + "\n"
}

// setCodexTrust returns config.toml with each trust entry in place: the
// trusted_hash line of an existing [hooks.state."KEY"] table is replaced
// (or added under its header), a missing table is appended. The rest of
// the file is kept byte for byte. The result is parsed again and must
// say what was meant; otherwise an error says so and nothing is to be
// written.
func setCodexTrust(src []byte, trusts []codexTrust) ([]byte, error) {
	have, err := codexTrustedHashes(src)
	if err != nil {
		return nil, fmt.Errorf("it does not parse as TOML: %v", err)
	}
	if where := inlineHooksState(src); where != "" {
		return nil, fmt.Errorf("it sets %s inline, which a [hooks.state.\"…\"] table cannot extend", where)
	}
	out := append([]byte(nil), src...)
	for _, tr := range trusts {
		if have[tr.key] == tr.hash {
			continue
		}
		out = setTrustLine(out, tr)
	}
	got, err := codexTrustedHashes(out)
	if err != nil {
		return nil, fmt.Errorf("guard's edit would not parse (%v)", err)
	}
	for _, tr := range trusts {
		if got[tr.key] != tr.hash {
			return nil, fmt.Errorf("guard could not place the entry for %s", tr.key)
		}
	}
	return out, nil
}

// inlineHooksState names the key of a config.toml that sets hooks.state
// (or all of hooks) as a value rather than as tables ("hooks = {...}",
// "hooks.state = {...}", "state = {...}" under [hooks]), or "". TOML
// forbids adding tables to such a value, and Codex would then reject the
// whole file, so guard does not edit it.
func inlineHooksState(src []byte) string {
	table := ""
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[] ")
			continue
		}
		key, _, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		key = strings.ReplaceAll(strings.TrimSpace(key), " ", "")
		if table == "" {
			key = "." + key
		} else {
			key = table + "." + key
		}
		for _, k := range []string{".hooks", ".hooks.state", "hooks.state"} {
			if key == k || strings.HasPrefix(key, k+".") && !strings.HasPrefix(key, "hooks.state.") {
				return strings.TrimPrefix(key, ".")
			}
		}
	}
	return ""
}

// setTrustLine puts one trust entry into config.toml text.
func setTrustLine(src []byte, tr codexTrust) []byte {
	header := "[hooks.state." + tomlQuote(tr.key) + "]"
	line := "trusted_hash = " + tomlQuote(tr.hash)
	lines := strings.SplitAfter(string(src), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != header {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			s := strings.TrimSpace(lines[j])
			if strings.HasPrefix(s, "[") {
				break
			}
			if k, _, ok := strings.Cut(s, "="); ok && strings.TrimSpace(k) == "trusted_hash" {
				lines[j] = line + "\n"
				return []byte(strings.Join(lines, ""))
			}
		}
		lines[i] = strings.TrimRight(l, "\n") + "\n" + line + "\n"
		return []byte(strings.Join(lines, ""))
	}
	var b bytes.Buffer
	b.Write(src)
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		b.WriteByte('\n')
	}
	if len(src) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(trustEntryText(tr))
	return b.Bytes()
}

// trustCodexHooks writes the trust entries guard's hooks in hooks.json need
// into Codex's config.toml, printing a diff and what it did. When the file
// cannot be edited safely it changes nothing and returns an error that
// tells the user the lines to add.
func trustCodexHooks(t *target, opts InstallOptions, stdout io.Writer) error {
	hooks, err := os.ReadFile(t.path)
	if err != nil {
		if opts.DryRun {
			// The dry run wrote no hooks.json: trust what it would write.
			hooks, _, err = installJSON(t, nil, hookCommand(opts.Binary, t.agent), opts.Binary)
		}
		if err != nil {
			return fmt.Errorf("install codex: %v", err)
		}
	} else if opts.DryRun {
		hooks, _, _ = installJSON(t, hooks, hookCommand(opts.Binary, t.agent), opts.Binary)
	}
	trusts, err := codexTrusts(t, hooks, opts.Binary)
	if err != nil {
		return fmt.Errorf("install codex: %s: %v", t.path, err)
	}
	if len(trusts) == 0 {
		return nil
	}
	config := codexConfigPath(t)
	byHand := func(why error) error {
		var b strings.Builder
		for _, tr := range trusts {
			b.WriteString(trustEntryText(tr))
		}
		return fmt.Errorf("install codex: %s: %v.\nCodex skips a hook it does not trust, so guard's hook does not run yet. Add these lines to %s by hand (or trust the hook in Codex's /hooks):\n%s",
			config, why, config, b.String())
	}
	f, err := readTarget(config)
	if err != nil {
		return byHand(err)
	}
	out, err := setCodexTrust(f.data, trusts)
	if err != nil {
		return byHand(err)
	}
	if bytes.Equal(out, f.data) {
		fmt.Fprintf(stdout, "codex: guard's hook is already trusted in %s; nothing changed\n", config)
		return nil
	}
	io.WriteString(stdout, unifiedDiff(config, f.data, out))
	sentence := "trust guard's hook in " + config + " (Codex runs only hooks the user trusted)"
	if opts.DryRun {
		fmt.Fprintf(stdout, "codex: would %s (dry run: nothing written)\n", sentence)
		return nil
	}
	backup, err := f.replace(out, opts.now())
	if err != nil {
		return byHand(err)
	}
	fmt.Fprintf(stdout, "codex: trusted guard's hook in %s (Codex runs only hooks the user trusted)\n", config)
	if backup != "" {
		fmt.Fprintf(stdout, "codex: the previous file is kept as %s\n", backup)
	}
	return nil
}

// codexTrustProblem says why Codex would skip guard's hooks in hooks.json
// (src), with the fix, or returns "" when every one is trusted.
func codexTrustProblem(t *target, src []byte, binary string) (problem, fix string) {
	trusts, err := codexTrusts(t, src, binary)
	if err != nil {
		return fmt.Sprintf("cannot compute Codex's trust hash of guard's hook (%v)", err), "repair " + t.path + " by hand, then run: guard install codex"
	}
	config := codexConfigPath(t)
	data, err := os.ReadFile(config)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Sprintf("cannot read %s (%v), where Codex keeps which hooks are trusted", config, err), "make the file readable"
	}
	have, err := codexTrustedHashes(data)
	if err != nil {
		return fmt.Sprintf("%s does not parse (%v), so Codex trusts no hook", config, err), "repair the file by hand"
	}
	for _, tr := range trusts {
		switch got := have[tr.key]; {
		case got == "":
			return fmt.Sprintf("guard's hook is not trusted in %s, so Codex skips it without a word and commands run unchecked", config),
				"run: guard install codex (it writes the trust entry), or trust the hook in Codex's /hooks"
		case got != tr.hash:
			return fmt.Sprintf("the hook trusted in %s is not guard's hook as it is now (trusted %s, the hook hashes to %s), so Codex skips it", config, got, tr.hash),
				"run: guard install codex"
		}
	}
	return "", ""
}
