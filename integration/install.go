package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// InstallOptions say where and what to install.
type InstallOptions struct {
	// Home is the user's home directory; the agents' settings live under it.
	Home string
	// Binary is the absolute path of the guard executable the hook runs.
	Binary string
	// DryRun prints what would change and writes nothing.
	DryRun bool
	// Getenv reads the environment (CLAUDE_CONFIG_DIR, CODEX_HOME); nil
	// reads nothing.
	Getenv func(string) string
	// Now is the clock for backup names; nil is time.Now.
	Now func() time.Time
}

func (o InstallOptions) getenv(k string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(k)
}

func (o InstallOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// targetKind is how an agent is configured.
type targetKind int

const (
	// jsonHooks: a JSON file with an array of hook entries for the event.
	jsonHooks targetKind = iota + 1
	// hookScript: an executable file named after the event.
	hookScript
	// projectOnly: the agent reads hooks only from each repository.
	projectOnly
)

// target is where and how guard's hook goes for one agent.
type target struct {
	agent   string
	adapter *adapter
	kind    targetKind
	// path is the settings file (or the hook script).
	path string
	// event is the path of keys to the array of hook entries.
	event []string
	// nested: entries are {"matcher", "hooks": [{"command"}]} groups
	// (Claude Code style); otherwise each entry has its own "command".
	nested bool
	// entry is guard's entry for the event array, running cmd.
	entry func(cmd string) any
	// template is what a new settings file starts from.
	template string
	// what describes the hook for messages.
	what string
}

// targetFor returns where agent's hook goes: what its adapter's install
// says, or a target of kind projectOnly when the adapter has none.
func targetFor(agent string, o InstallOptions) (*target, error) {
	a, ok := adapterFor(agent)
	if !ok {
		return nil, unknownAgent(agent)
	}
	if o.Home == "" || !filepath.IsAbs(o.Home) {
		return nil, fmt.Errorf("no home directory to install into (HOME is %q)", o.Home)
	}
	if a.install == nil {
		return &target{agent: a.name, adapter: a, kind: projectOnly, what: "a PreToolUse hook"}, nil
	}
	t := a.install(o.Home, o.getenv)
	t.agent, t.adapter = a.name, a
	return t, nil
}

// dirFromEnv is the directory the environment variable env names when it
// is an absolute path, else def.
func dirFromEnv(getenv func(string) string, env, def string) string {
	if d := getenv(env); d != "" && filepath.IsAbs(d) {
		return d
	}
	return def
}

// hookGroup makes guard's entry in Claude Code's style: a group
// {"matcher", "hooks": [{...hook, "type": "command", "command"}]}.
func hookGroup(matcher string, hook ...jkv) func(string) any {
	return func(cmd string) any {
		h := append(append(jobj{}, hook...), jkv{"type", "command"}, jkv{"command", cmd})
		return jobj{{"matcher", matcher}, {"hooks", []any{h}}}
	}
}

// hookCommand is the command line an agent runs for guard's hook.
func hookCommand(binary, agent string) string {
	return shellQuote(binary) + " hook " + agent
}

// Install adds guard's hook to agent's user-level configuration, printing
// what changes to stdout: a diff of the file and one sentence per change.
// The rest of the file is kept byte for byte; a file that changes is backed
// up beside itself first (FILE.guard-backup-TIME). Installing again changes
// nothing, except to point a hook at a moved binary.
func Install(agent string, opts InstallOptions, stdout io.Writer) error {
	t, err := targetFor(agent, opts)
	if err != nil {
		return err
	}
	if t.kind == projectOnly {
		return projectOnlyError(t, opts, stdout)
	}
	if opts.Binary == "" || !filepath.IsAbs(opts.Binary) {
		return fmt.Errorf("install %s: the path of the guard binary must be absolute (got %q)", t.agent, opts.Binary)
	}
	cmd := hookCommand(opts.Binary, t.agent)
	if t.kind == hookScript {
		return installScript(t, cmd, opts, stdout)
	}
	if err := retryOnRace(func() error { return installJSONFile(t, cmd, opts, stdout) }); err != nil {
		return err
	}
	if t.adapter.installed != nil {
		return t.adapter.installed(t, opts, stdout)
	}
	return nil
}

// Uninstall takes guard's hook out of agent's user-level configuration and
// nothing else. When the file is exactly what Install made of an earlier
// version (a backup), that version is restored byte for byte; otherwise
// guard's entries are cut out of the file as it is now.
func Uninstall(agent string, opts InstallOptions, stdout io.Writer) error {
	t, err := targetFor(agent, opts)
	if err != nil {
		return err
	}
	switch t.kind {
	case projectOnly:
		fmt.Fprintf(stdout, "%s: guard installs no user-wide hook for %s; remove its entry from the repository's %s\n", t.agent, t.agent, t.adapter.project.file)
		return nil
	case hookScript:
		return uninstallScript(t, opts, stdout)
	}
	return retryOnRace(func() error { return uninstallJSONFile(t, opts, stdout) })
}

// editError is an error of a file edit that callers test for.
type editError string

func (e editError) Error() string { return string(e) }

// errRace says that the file changed while guard was editing it.
const errRace editError = "the file changed while guard was editing it; try again"

// retryOnRace runs edit again when the file changed under it (an agent
// writing its settings at the same moment).
func retryOnRace(edit func() error) error {
	var err error
	for range 3 {
		if err = edit(); !errors.Is(err, errRace) {
			return err
		}
	}
	return err
}

// installJSON adds guard's entry (running cmd) to a settings document and
// says what it did: "added", "updated" (a guard entry ran another command)
// or "unchanged".
func installJSON(t *target, src []byte, cmd, binary string) ([]byte, string, error) {
	if len(bytes.TrimSpace(src)) == 0 {
		src = []byte(t.template)
	}
	root, err := parseJSON(src)
	if err != nil {
		return nil, "", err
	}
	if root.kind != jObject {
		return nil, "", fmt.Errorf("the settings are not a JSON object")
	}
	st := styleOf(src, root)
	cur := root
	for i, key := range t.event {
		next := cur.member(key)
		if next == nil {
			// Build the rest of the path around guard's entry.
			var v any = []any{t.entry(cmd)}
			for j := len(t.event) - 1; j > i; j-- {
				v = jobj{{t.event[j], v}}
			}
			sp := insertItem(src, cur, st, func(indent string, compact bool) string {
				s := st
				s.compact = compact
				return quoteJSON(key) + s.colon + renderJSON(v, indent, s)
			})
			return applySplices(src, sp), "added", nil
		}
		want := jObject
		if i == len(t.event)-1 {
			want = jArray
		}
		if next.kind != want {
			return nil, "", fmt.Errorf("%q is not %s; fix it by hand first", strings.Join(t.event[:i+1], "."), kindName(want))
		}
		cur = next
	}
	refs := findRefs(t, cur, binary)
	if len(refs) == 0 {
		sp := insertItem(src, cur, st, func(indent string, compact bool) string {
			s := st
			s.compact = compact
			return renderJSON(t.entry(cmd), indent, s)
		})
		return applySplices(src, sp), "added", nil
	}
	var edits []splice
	for _, r := range refs {
		if r.cmd.str != cmd {
			edits = append(edits, splice{r.cmd.start, r.cmd.end, quoteJSON(cmd)})
		}
	}
	if len(edits) == 0 {
		return src, "unchanged", nil
	}
	return applySplices(src, edits...), "updated", nil
}

func kindName(k jkind) string {
	if k == jObject {
		return "an object"
	}
	return "an array"
}

// guardRef is one guard hook in an event array.
type guardRef struct {
	entry int    // index in the event array
	hook  int    // index in the entry's "hooks" array; -1 for flat entries
	cmd   *jnode // the command string
	agent string // the protocol the command asks for
	bin   string // the binary the command runs
}

// findRefs finds guard's hooks in an event array.
func findRefs(t *target, arr *jnode, binary string) []guardRef {
	var refs []guardRef
	check := func(entry, hook int, h *jnode) {
		c := h.member("command")
		if c == nil || c.kind != jString {
			return
		}
		if bin, agent, ok := guardCommand(c.str, binary); ok {
			refs = append(refs, guardRef{entry, hook, c, agent, bin})
		}
	}
	for i, e := range arr.elems {
		if e.kind != jObject {
			continue
		}
		if !t.nested {
			check(i, -1, e)
			continue
		}
		hooks := e.member("hooks")
		if hooks == nil || hooks.kind != jArray {
			continue
		}
		for j, h := range hooks.elems {
			if h.kind == jObject {
				check(i, j, h)
			}
		}
	}
	return refs
}

// guardCommand says whether a hook command is guard's: "BINARY hook AGENT"
// where BINARY is the given binary or a program named guard*.
func guardCommand(cmd, binary string) (bin, agent string, ok bool) {
	w, ok := splitWords(cmd)
	if !ok || len(w) != 3 || w[1] != "hook" {
		return "", "", false
	}
	if w[0] != binary && !strings.HasPrefix(filepath.Base(w[0]), "guard") {
		return "", "", false
	}
	return w[0], w[2], true
}

// splitWords splits a simple command line into words, honouring single
// quotes, double quotes and backslashes; anything more (variables,
// operators) is not a simple command, and ok is false.
func splitWords(s string) (words []string, ok bool) {
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, false
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				} else if strings.IndexByte("$`", s[i]) >= 0 {
					return nil, false
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case strings.IndexByte("|&;<>()$`*?[]{}~#\n", c) >= 0:
			return nil, false
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, true
}

// uninstallJSON takes guard's entries out of a settings document, then the
// arrays and objects on the event path that this leaves empty. It returns
// how many hooks it took out.
func uninstallJSON(t *target, src []byte, binary string) ([]byte, int, error) {
	removed := 0
	for {
		root, err := parseJSON(src)
		if err != nil {
			return nil, 0, err
		}
		chain := eventChain(t, root)
		if len(chain) < len(t.event)+1 {
			break
		}
		arr := chain[len(chain)-1]
		refs := findRefs(t, arr, binary)
		if len(refs) == 0 {
			break
		}
		r := refs[0]
		var sp splice
		if hooks := arr.elems[r.entry].member("hooks"); r.hook >= 0 && hooks.items() > 1 {
			sp = removeItem(hooks, r.hook)
		} else {
			sp = removeItem(arr, r.entry)
		}
		src = applySplices(src, sp)
		removed++
	}
	if removed == 0 {
		return src, 0, nil
	}
	// Remove what guard's entries leave empty, deepest first.
	for {
		root, err := parseJSON(src)
		if err != nil {
			return nil, 0, err
		}
		chain := eventChain(t, root)
		cut := false
		for i := len(chain) - 1; i >= 1; i-- {
			if chain[i].items() == 0 {
				parent := chain[i-1]
				src = applySplices(src, removeItem(parent, parent.memberIndex(t.event[i-1])))
				cut = true
				break
			}
		}
		if !cut {
			return src, removed, nil
		}
	}
}

// eventChain returns the root and the containers along the event path, as
// far as they exist with the expected types.
func eventChain(t *target, root *jnode) []*jnode {
	chain := []*jnode{root}
	cur := root
	for i, key := range t.event {
		next := cur.member(key)
		want := jObject
		if i == len(t.event)-1 {
			want = jArray
		}
		if next == nil || next.kind != want {
			break
		}
		chain = append(chain, next)
		cur = next
	}
	return chain
}

// settingsRefs parses a settings document and returns guard's hooks in it.
func settingsRefs(t *target, src []byte, binary string) ([]guardRef, error) {
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, nil
	}
	root, err := parseJSON(src)
	if err != nil {
		return nil, err
	}
	if root.kind != jObject {
		return nil, fmt.Errorf("the settings are not a JSON object")
	}
	chain := eventChain(t, root)
	if len(chain) < len(t.event)+1 {
		return nil, nil
	}
	return findRefs(t, chain[len(chain)-1], binary), nil
}

// installJSONFile installs into a JSON settings file.
func installJSONFile(t *target, cmd string, opts InstallOptions, stdout io.Writer) error {
	f, err := readTarget(t.path)
	if err != nil {
		return err
	}
	out, action, err := installJSON(t, f.data, cmd, opts.Binary)
	if err != nil {
		return fmt.Errorf("install %s: %s: %v", t.agent, t.path, err)
	}
	if action == "unchanged" {
		fmt.Fprintf(stdout, "%s: guard's hook is already in %s; nothing changed\n", t.agent, t.path)
		return nil
	}
	io.WriteString(stdout, unifiedDiff(t.path, f.data, out))
	var sentence string
	if action == "added" {
		sentence = fmt.Sprintf("add %s that runs: %s", t.what, cmd)
	} else {
		sentence = fmt.Sprintf("point guard's hook at this binary: %s", cmd)
	}
	if opts.DryRun {
		fmt.Fprintf(stdout, "%s: would %s (dry run: nothing written)\n", t.agent, sentence)
		return nil
	}
	backup, err := f.replace(out, opts.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", t.agent, pastTense(sentence))
	if backup != "" {
		fmt.Fprintf(stdout, "%s: the previous file is kept as %s\n", t.agent, backup)
	}
	if !f.exists {
		fmt.Fprintf(stdout, "%s: created %s\n", t.agent, t.path)
	}
	return nil
}

// pastTense turns "add ..." and "point ..." into what was done.
func pastTense(s string) string {
	for _, p := range [][2]string{{"add ", "added "}, {"point ", "pointed "}, {"remove ", "removed "}, {"restore ", "restored "}} {
		if strings.HasPrefix(s, p[0]) {
			return p[1] + s[len(p[0]):]
		}
	}
	return s
}

// uninstallJSONFile uninstalls from a JSON settings file.
func uninstallJSONFile(t *target, opts InstallOptions, stdout io.Writer) error {
	f, err := readForUninstall(t, stdout)
	if f == nil {
		return err
	}
	refs, err := settingsRefs(t, f.data, opts.Binary)
	if err != nil {
		return fmt.Errorf("uninstall %s: %s: %v", t.agent, t.path, err)
	}
	if len(refs) == 0 {
		fmt.Fprintf(stdout, "%s: guard's hook is not in %s; nothing changed\n", t.agent, t.path)
		return nil
	}
	cmd := refs[0].cmd.str

	// The file is exactly what installing made of a backup: restore it.
	for _, b := range backupsOf(f.real) {
		old, err := os.ReadFile(b)
		if err != nil {
			continue
		}
		if refs, err := settingsRefs(t, old, opts.Binary); err != nil || len(refs) > 0 {
			continue // not a file from before guard
		}
		if made, action, err := installJSON(t, old, cmd, opts.Binary); err == nil && action != "unchanged" && bytes.Equal(made, f.data) {
			io.WriteString(stdout, unifiedDiff(t.path, f.data, old))
			if opts.DryRun {
				fmt.Fprintf(stdout, "%s: would restore %s as it was before guard's hook was added (%s) (dry run: nothing written)\n", t.agent, t.path, b)
				return nil
			}
			// The current file is install(backup): nothing is lost by
			// replacing it without another backup.
			if _, err := f.replaceNoBackup(old); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: restored %s as it was before guard's hook was added (from %s)\n", t.agent, t.path, b)
			return nil
		}
	}

	// The file holds nothing but what guard put into a new file (and there
	// was no file before): remove it.
	if made, _, err := installJSON(t, nil, cmd, opts.Binary); err == nil && bytes.Equal(made, f.data) {
		io.WriteString(stdout, unifiedDiff(t.path, f.data, nil))
		if opts.DryRun {
			fmt.Fprintf(stdout, "%s: would remove %s, which holds only guard's hook (dry run: nothing written)\n", t.agent, t.path)
			return nil
		}
		if err := f.remove(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: removed %s, which held only guard's hook\n", t.agent, t.path)
		return nil
	}

	out, removed, err := uninstallJSON(t, f.data, opts.Binary)
	if err != nil {
		return fmt.Errorf("uninstall %s: %s: %v", t.agent, t.path, err)
	}
	io.WriteString(stdout, unifiedDiff(t.path, f.data, out))
	sentence := fmt.Sprintf("remove guard's hook (%d %s) from %s", removed, plural(removed, "entry", "entries"), t.path)
	if opts.DryRun {
		fmt.Fprintf(stdout, "%s: would %s (dry run: nothing written)\n", t.agent, sentence)
		return nil
	}
	backup, err := f.replace(out, opts.now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", t.agent, pastTense(sentence))
	if backup != "" {
		fmt.Fprintf(stdout, "%s: the previous file is kept as %s\n", t.agent, backup)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// projectOnlyError explains how to hook guard into an agent that reads
// hooks only from each repository, and refuses the user-wide install.
func projectOnlyError(t *target, opts InstallOptions, stdout io.Writer) error {
	bin := opts.Binary
	if bin == "" {
		bin = "guard"
	}
	st := style{unit: "  ", colon: ": ", nl: "\n"}
	p := t.adapter.project
	snippet := renderJSON(p.entry(hookCommand(bin, t.agent)), "", st)
	fmt.Fprintf(stdout, "%s reads hooks only from each repository's %s. Put this there (merged with what it has):\n%s\n", t.agent, p.file, snippet)
	return fmt.Errorf("install %s: no user-wide hook configuration to install into", t.agent)
}
