package rules

import (
	"errors"
	"fmt"
	"io"
	"net"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/guard-dev/guard/env"
)

// This file is guard's TOML configuration and its layers (ARCHITECTURE.md, "Config").
//
// Four layers make the effective Policy, in this order:
//
//  1. the built-in rule packs (the defaults);
//  2. the managed policy /etc/guard/guard.toml: the layers below can never
//     loosen what it sets;
//  3. the user's $XDG_CONFIG_HOME/guard/guard.toml: the user's choices. It
//     may loosen a built-in default ("git.force-push" = "allow") but not a
//     value the managed policy sets;
//  4. the project's .guard.toml at the git root of the working directory.
//     The agent can write there, so it may only tighten: tighter rule
//     decisions, more protected paths and production hosts, custom rules
//     that confirm or deny, more variables to strip. Anything else it sets
//     is ignored with a warning naming the file and line.
//
// A file that does not parse, has an unknown key or names an unknown rule
// is an error naming the file and line, and guard fails closed: a broken
// file never silently drops the protections it sets.
//
//   - What of the broken file guard can read and that tightens the policy
//     is kept (custom rules that confirm or deny, tighter rule decisions,
//     protected paths, production hosts, variables to strip); for a TOML
//     syntax error, what the file says before the error. Its loosening is
//     dropped with a warning.
//   - The layers below it may only tighten, as a project's file always:
//     below a broken managed file the user cannot loosen what the admin
//     may have locked.
//   - When the managed or the user file is broken and the error could hide
//     a setting that stops a command (anything but an error in shell,
//     [approval], paths.scratch, hosts.local, env.keep or env.grant), or
//     the file cannot be read at all, guard cannot tell which commands the
//     file would stop: every command it would allow then confirms, by the
//     rule meta.config-error, naming the file and line (Policy.Broken).
//     A broken project file does not do that: the agent can write it, and
//     could remove it as well.
//
// A missing file is not an error; a dangling symbolic link, a directory, a
// FIFO, a device, a file over MaxConfigSize or one guard may not read is
// (readConfigFile).
//
// The schema (every key is optional):
//
//	shell = "/bin/bash"              # the real shell; absolute path
//	[approval]
//	timeout = "2m"                   # how long a confirmation waits for a human
//	[paths]
//	protected = ["~/finances"]       # protected, with everything in them and every directory containing them
//	scratch = ["~/scratch"]          # scratch dirs like /tmp (not in a project file)
//	[hosts]
//	local = ["*.dev.internal"]       # treated as this machine by the http pack (not in a project file)
//	production = ["api.acme.com"]    # any request but GET, HEAD, OPTIONS confirms (http.production-write)
//	[rules]
//	"git.force-push" = "allow"       # a rule's decision by id: allow, confirm or deny
//	[[rule]]                         # a custom rule, in the pack "custom"
//	id = "custom.no-gh-pr-merge"
//	match = ["gh", "pr", ["merge", "close"]]
//	decision = "confirm"
//	reason = "merges or closes a pull request"
//	[env]
//	strip = ["STRIPE_*"]             # variables removed from commands' environment
//	keep = ["AWS_PROFILE"]           # variables kept (not in a project file)
//	[[env.grant]]                    # a variable given to some commands only (not in a project file)
//	name = "RAILWAY_TOKEN"
//	commands = ["railway"]           # found by bash where the agent cannot write
//	paths = ["/home/me/.local/bin/railway"] # exact files, wherever they are
//
// Paths are absolute or start with "~/"; a project file may also give
// protected paths relative to the project root. Host entries are names,
// addresses, CIDR blocks ("10.1.0.0/16") or patterns where "*" matches any
// run of characters ("*.dev.internal" matches "db.eu.dev.internal").

// Layer is one source of configuration.
type Layer int

// The layers, from the first applied to the last.
const (
	LayerBuiltin Layer = iota // the built-in rule packs
	LayerManaged              // /etc/guard/guard.toml
	LayerUser                 // $XDG_CONFIG_HOME/guard/guard.toml
	LayerProject              // .guard.toml at the project's git root
)

// String returns "built-in", "managed", "user" or "project".
func (l Layer) String() string {
	switch l {
	case LayerBuiltin:
		return "built-in"
	case LayerManaged:
		return "managed"
	case LayerUser:
		return "user"
	case LayerProject:
		return "project"
	}
	return fmt.Sprintf("Layer(%d)", int(l))
}

// ConfigFileName is the name of the managed and user config files;
// ProjectConfigFileName that of a project's file at its git root.
const (
	ConfigFileName        = "guard.toml"
	ProjectConfigFileName = ".guard.toml"
)

// Defaults of the settings that are not rules.
const (
	DefaultShell           = "/bin/bash"
	DefaultApprovalTimeout = 2 * time.Minute
)

// Origin says where an effective value comes from.
type Origin struct {
	Layer Layer
	// File is the config file, "" for a built-in default.
	File string
	// Line is the line in File, 0 when unknown.
	Line int
}

// String returns "built-in" or "file:line".
func (o Origin) String() string {
	switch {
	case o.File == "":
		return "built-in"
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return o.File
}

// ConfigError is an error or a warning about a config file, at a line when
// it is known.
type ConfigError struct {
	File string
	// Line is 0 when the problem concerns the whole file.
	Line int
	Msg  string
	// loosensOnly says the setting with the error can only loosen the
	// policy (shell, approval.timeout, paths.scratch, hosts.local,
	// env.keep, env.grant): losing it stops nothing that would run.
	loosensOnly bool
}

// Error returns "file:line: message".
func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// LayerFile is one config file that LoadPolicy considered.
type LayerFile struct {
	Layer Layer
	File  string
	// Status is "loaded", "not present", or why the file was ignored.
	Status string
}

// OriginKey returns the key of Policy.Origins for a value: ("shell", ""),
// ("approval.timeout", ""), ("rules", id) for a rule decision, ("rule", id)
// for a custom rule, and ("paths.protected", path), ("paths.scratch",
// path), ("hosts.local", host), ("hosts.production", host), ("env.strip",
// name), ("env.keep", name), ("env.grant", name) for list entries.
func OriginKey(setting, value string) string {
	if value == "" {
		return setting
	}
	return setting + ":" + value
}

// Origin returns where the value named by OriginKey(setting, value) comes
// from; a built-in origin when no config file set it.
func (p *Policy) Origin(setting, value string) Origin {
	if o, ok := p.Origins[OriginKey(setting, value)]; ok {
		return o
	}
	return Origin{Layer: LayerBuiltin}
}

// DefaultPolicy returns the built-in defaults.
func DefaultPolicy() *Policy {
	return &Policy{
		Shell:           DefaultShell,
		ApprovalTimeout: DefaultApprovalTimeout,
		Overrides:       map[string]Decision{},
		Origins:         map[string]Origin{},
	}
}

// LoadPolicy reads the managed config (l.SystemConfigDir/guard.toml), the
// user's (l.ConfigDir/guard.toml) and the project's
// (projectRoot/.guard.toml; none when projectRoot is "") and returns the
// effective policy. getenv supplies HOME, against which "~/" paths are
// expanded.
//
// The errors name file and line. A file with errors fails closed, as the
// package comment on layers says; Policy.Fallback then says what guard
// does about it, for stderr, and Policy.Broken holds the errors that make
// every command need a human. The policy is never nil.
func LoadPolicy(l Locations, projectRoot string, getenv func(string) string) (*Policy, []error) {
	home := ""
	if getenv != nil {
		home = UserHome(getenv)
	}
	var sources []LayerFile
	if l.SystemConfigDir != "" {
		sources = append(sources, LayerFile{Layer: LayerManaged, File: filepath.Join(l.SystemConfigDir, ConfigFileName)})
	}
	if l.ConfigDir != "" {
		sources = append(sources, LayerFile{Layer: LayerUser, File: filepath.Join(l.ConfigDir, ConfigFileName)})
	}
	if projectRoot != "" {
		sources = append(sources, LayerFile{Layer: LayerProject, File: filepath.Join(projectRoot, ProjectConfigFileName)})
	}
	return loadLayers(sources, home, projectRoot, readConfigFile)
}

// loadLayers is LoadPolicy over an explicit list of files. readFile
// returns errNoConfig for a file that is not there.
//
// A file with errors fails closed (see the package comment on layers):
// what in it parses and tightens the policy is kept; the layers below it
// may only tighten; and when it is the managed or the user file and its
// errors could hide something that stops a command, Policy.Broken is set,
// which makes every command guard would allow need a human's approval.
func loadLayers(sources []LayerFile, home, projectRoot string, readFile func(string, Layer) ([]byte, error)) (*Policy, []error) {
	p := DefaultPolicy()
	m := newMerger(p)
	var errs []error
	var broken []string // the files with errors so far
	var notes []string  // what guard does about them, for Fallback
	for _, src := range sources {
		data, err := readFile(src.File, src.Layer)
		if errors.Is(err, errNoConfig) {
			src.Status = "not present"
			p.Files = append(p.Files, src)
			continue
		}
		var cfg *layerConfig
		var ferrs []error
		if err != nil {
			ferrs = []error{&ConfigError{File: src.File, Msg: err.Error()}}
		} else {
			cfg, ferrs = parseLayer(src.Layer, src.File, string(data), home, projectRoot, m.known)
		}
		switch {
		case len(ferrs) > 0:
			errs = append(errs, ferrs...)
			held := src.Layer != LayerProject && p.holdFor(ferrs)
			if cfg != nil {
				m.apply(cfg, src.File+" has errors, so only what in it tightens the policy is kept")
			}
			src.Status = "has errors: only what in it tightens the policy is kept"
			note := src.File + " has errors: guard keeps what in it tightens the policy"
			if held {
				src.Status += "; every command guard would allow needs a human's approval until it is fixed"
				note += ", and every command it would allow needs a human's approval until the file is fixed"
			}
			notes = append(notes, note)
			broken = append(broken, src.File)
		case len(broken) > 0:
			m.apply(cfg, strings.Join(broken, " and ")+" above it has errors, so this file may only tighten the policy")
			src.Status = "loaded, tightening only: " + strings.Join(broken, " and ") + " above it has errors"
			notes = append(notes, src.File+" below it may only tighten the policy")
		default:
			m.apply(cfg, "")
			src.Status = "loaded"
		}
		p.Files = append(p.Files, src)
	}
	if len(notes) > 0 {
		p.Fallback = "guard: " + strings.Join(notes, "; ")
	}
	return p, errs
}

// holdFor records in p.Broken the first of errs that could hide a setting
// that stops a command, and reports whether there is one.
func (p *Policy) holdFor(errs []error) bool {
	for _, err := range errs {
		var ce *ConfigError
		if errors.As(err, &ce) && !ce.loosensOnly {
			p.Broken = append(p.Broken, ce)
			return true
		}
	}
	return false
}

// ---- parsing one file ----

// located is a value with the line it was set on.
type located[T any] struct {
	v    T
	line int
}

// ruleSetting is one entry of [rules].
type ruleSetting struct {
	id string
	d  Decision
}

// layerConfig is what one file sets, checked and with lines.
type layerConfig struct {
	layer Layer
	file  string

	// values are the plain settings' values by setting key.
	values map[string][]located[string]
	rules  []located[ruleSetting]
	custom []located[CustomRule]
	grants []located[env.Grant]
}

// configParser checks one file's decoded content against the schema.
type configParser struct {
	cfg         *layerConfig
	lines       map[string]int
	home        string
	projectRoot string
	errs        []*ConfigError
}

// parseLayer parses and checks one file. known holds the rule ids defined
// so far; the file's custom rule ids are added to it.
func parseLayer(layer Layer, file, src, home, projectRoot string, known func(id string) bool) (*layerConfig, []error) {
	src = withoutCommentLines(src)
	if setsNothing(src) {
		return &layerConfig{layer: layer, file: file}, nil
	}
	var raw map[string]any
	if _, err := toml.Decode(src, &raw); err != nil {
		perr := &ConfigError{File: file, Msg: "invalid TOML: " + err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			perr = &ConfigError{File: file, Line: pe.Position.Line, Msg: "invalid TOML: " + pe.Message}
		}
		// What the file says before the error still stands: the caller
		// keeps what of it tightens the policy. Its own errors would only
		// repeat the first one.
		prefix, raw := soundPrefix(src, perr.Line)
		if raw == nil {
			return nil, []error{perr}
		}
		cfg, _ := checkLayer(layer, file, prefix, raw, home, projectRoot, known)
		return cfg, []error{perr}
	}
	return checkLayer(layer, file, src, raw, home, projectRoot, known)
}

// soundPrefix returns the longest start of src before line (1-based) that
// is valid TOML, decoded: the lines before line, or failing that the lines
// before the last table header above it (the error may be reported where
// an unclosed value ends). nil when neither decodes or line is unknown.
func soundPrefix(src string, line int) (string, map[string]any) {
	if line <= 1 {
		return "", nil
	}
	lines := strings.SplitAfter(src, "\n")
	if line-1 > len(lines) {
		line = len(lines) + 1
	}
	cuts := []int{line - 1}
	for i := line - 2; i > 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
			cuts = append(cuts, i)
			break
		}
	}
	for _, n := range cuts {
		prefix := strings.Join(lines[:n], "")
		var raw map[string]any
		if _, err := toml.Decode(prefix, &raw); err == nil {
			return prefix, raw
		}
	}
	return "", nil
}

// checkLayer checks one file's decoded content, src its text.
func checkLayer(layer Layer, file, src string, raw map[string]any, home, projectRoot string, known func(id string) bool) (*layerConfig, []error) {
	cp := &configParser{
		cfg:         &layerConfig{layer: layer, file: file, values: map[string][]located[string]{}},
		lines:       keyLines(src),
		home:        home,
		projectRoot: projectRoot,
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	cp.sortByLine(keys, nil)
	// Custom rules first: [rules] may name them.
	if v, ok := raw["rule"]; ok {
		cp.customRules(v)
		outer := known
		known = func(id string) bool {
			for _, r := range cp.cfg.custom {
				if r.v.ID == id {
					return true
				}
			}
			return outer(id)
		}
	}
	for _, k := range keys {
		if k == "rule" {
			continue // checked above
		}
		cp.topLevel(k, raw[k], known)
	}
	if len(cp.errs) == 0 {
		return cp.cfg, nil
	}
	sort.SliceStable(cp.errs, func(i, j int) bool { return cp.errs[i].Line < cp.errs[j].Line })
	out := make([]error, len(cp.errs))
	for i, e := range cp.errs {
		out[i] = e
	}
	return cp.cfg, out
}

// line returns the line of the key at, or of the closest enclosing key
// whose line is known; 0 when none is.
func (cp *configParser) line(at []string) int {
	for n := len(at); n > 0; n-- {
		if l, ok := cp.lines[strings.Join(at[:n], ".")]; ok {
			return l
		}
	}
	return 0
}

// errorf records an error at the line of key at.
func (cp *configParser) errorf(at []string, format string, args ...any) {
	cp.errs = append(cp.errs, &ConfigError{File: cp.cfg.file, Line: cp.line(at), Msg: fmt.Sprintf(format, args...),
		loosensOnly: loosensOnly(at)})
}

// loosensOnly reports whether the setting at (a key path) can only loosen
// the policy, so that an error in it hides nothing that stops a command.
// Every other key, an unknown one included, may have been a tightening.
func loosensOnly(at []string) bool {
	if len(at) == 0 {
		return false
	}
	all, any := true, false
	sch := schema()
	for _, s := range sch {
		switch {
		case s.table == "" && s.name == at[0]:
			return s.loosens
		case s.table == at[0]:
			any = true
			all = all && s.loosens
			if len(at) > 1 && s.name == at[1] {
				return s.loosens
			}
		}
	}
	// An error in a table all of whose keys loosen (an unknown key in
	// [approval]) loosens only as well.
	return any && all
}

// sortByLine orders the keys of the table at by the line they are on.
func (cp *configParser) sortByLine(keys []string, at []string) {
	sort.SliceStable(keys, func(i, j int) bool {
		li := cp.line(append(append([]string(nil), at...), keys[i]))
		lj := cp.line(append(append([]string(nil), at...), keys[j]))
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
}

// keyName renders a key path for messages: "paths.protect", "rule[2].id".
func keyName(at []string) string {
	var b strings.Builder
	for i, s := range at {
		if isIndex(s) {
			fmt.Fprintf(&b, "[%s]", indexOneBased(s))
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// isIndex reports whether a key path segment is an array index.
func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// indexOneBased turns a zero-based index segment into a one-based number
// for humans.
func indexOneBased(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return fmt.Sprint(n + 1)
}

// tomlTypeName names the TOML type of a decoded value.
func tomlTypeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

// child extends a key path.
func child(at []string, seg string) []string {
	return append(append([]string(nil), at...), seg)
}

// table checks that v is a table whose keys are all in fields and hands each
// value to its field's function.
func (cp *configParser) table(at []string, v any, fields map[string]func([]string, any)) {
	m, ok := v.(map[string]any)
	if !ok {
		cp.errorf(at, "%s must be a table, not %s", keyName(at), tomlTypeName(v))
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	cp.sortByLine(keys, at)
	for _, k := range keys {
		f, ok := fields[k]
		if !ok {
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			cp.errorf(child(at, k), "unknown key %q in [%s] (known: %s)", k, keyName(at), strings.Join(names, ", "))
			continue
		}
		f(child(at, k), m[k])
	}
}

// str checks that v is a non-empty string.
func (cp *configParser) str(at []string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		cp.errorf(at, "%s must be a string, not %s", keyName(at), tomlTypeName(v))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		cp.errorf(at, "%s must not be empty", keyName(at))
		return "", false
	}
	return s, true
}

// list checks that v is an array and returns its elements with their key
// paths.
func (cp *configParser) list(at []string, v any) ([]any, [][]string) {
	var elems []any
	switch l := v.(type) {
	case []any:
		elems = l
	case []map[string]any:
		for _, m := range l {
			elems = append(elems, m)
		}
	default:
		cp.errorf(at, "%s must be an array, not %s", keyName(at), tomlTypeName(v))
		return nil, nil
	}
	paths := make([][]string, len(elems))
	for i := range elems {
		paths[i] = child(at, fmt.Sprint(i))
	}
	return elems, paths
}

// stringList checks that v is an array of non-empty strings. check, when
// not nil, checks each element (at is the element's key) and returns the
// value to keep, or false once it has reported why the element is wrong.
func (cp *configParser) stringList(at []string, v any, check func(at []string, s string) (string, bool)) []located[string] {
	elems, paths := cp.list(at, v)
	var out []located[string]
	for i, e := range elems {
		s, ok := cp.str(paths[i], e)
		if ok && check != nil {
			s, ok = check(paths[i], s)
		}
		if ok {
			out = append(out, located[string]{s, cp.line(paths[i])})
		}
	}
	return out
}

// path expands and checks one path: absolute or "~/"; relative to the
// project root when relative is set.
func (cp *configParser) path(at []string, s string, relative bool) (string, bool) {
	switch {
	case s == "~" || strings.HasPrefix(s, "~/"):
		if cp.home == "" || !filepath.IsAbs(cp.home) {
			cp.errorf(at, "%s: %q starts with ~ but the home directory is not known", keyName(at), s)
			return "", false
		}
		s = filepath.Join(cp.home, s[1:])
	case strings.HasPrefix(s, "~"):
		cp.errorf(at, "%s: %q: only ~/ (your home) is understood, not ~user", keyName(at), s)
		return "", false
	case relative && !filepath.IsAbs(s) && cp.projectRoot != "":
		s = filepath.Join(cp.projectRoot, s)
	case !filepath.IsAbs(s):
		cp.errorf(at, "%s: %q must be an absolute path or start with ~/", keyName(at), s)
		return "", false
	}
	return filepath.Clean(s), true
}

// host checks a host name, address, CIDR block or pattern; at is the
// list element.
func (cp *configParser) host(at []string, s string) (string, bool) {
	list := keyName(at[:len(at)-1])
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if _, _, err := net.ParseCIDR(h); err == nil || net.ParseIP(h) != nil {
		return h, true
	}
	if strings.ContainsAny(h, "/: \t") {
		cp.errorf(at, "%s: %q must be a host name, an address, a CIDR block or a pattern such as \"*.dev.internal\", not a URL or host:port", list, s)
		return "", false
	}
	if _, err := path.Match(h, ""); err != nil {
		cp.errorf(at, "%s: %q is not a valid pattern", list, s)
		return "", false
	}
	return h, true
}

// topLevel checks the top-level key k of a file against the schema.
func (cp *configParser) topLevel(k string, v any, known func(id string) bool) {
	at := []string{k}
	sch := schema()
	for i := range sch {
		if s := &sch[i]; s.table == "" && s.name == k {
			cp.setting(s, at, v, known)
			return
		}
	}
	fields := map[string]func([]string, any){}
	for i := range sch {
		s := &sch[i]
		if s.table != k {
			continue
		}
		if s.name == "" {
			cp.setting(s, at, v, known)
			return
		}
		fields[s.name] = func(at []string, v any) { cp.setting(s, at, v, known) }
	}
	if len(fields) == 0 {
		cp.errorf(at, "unknown key %q (known: %s)", k, topLevelKeys())
		return
	}
	cp.table(at, v, fields)
}

// setting checks the value v of setting s, at its key.
func (cp *configParser) setting(s *setting, at []string, v any, known func(id string) bool) {
	switch {
	case s.parse != nil:
		s.parse(cp, at, v, known)
	case s.list:
		cp.cfg.values[s.key()] = cp.stringList(at, v, func(at []string, e string) (string, bool) { return s.check(cp, at, e) })
	default:
		if x, ok := s.check(cp, at, v); ok {
			cp.cfg.values[s.key()] = []located[string]{{x, cp.line(at)}}
		}
	}
}

// validEnvPattern reports whether s is a variable name, possibly with the
// pattern characters * and ? (as package env matches them).
func validEnvPattern(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '*' || r == '?') {
			return false
		}
	}
	return true
}

// grants checks [[env.grant]].
func (cp *configParser) grants(at []string, v any) {
	elems, paths := cp.list(at, v)
	for i, e := range elems {
		var g env.Grant
		bad := false
		cp.table(paths[i], e, map[string]func([]string, any){
			"name": func(at []string, v any) {
				s, ok := cp.str(at, v)
				switch {
				case !ok:
					bad = true
				case !validEnvPattern(s):
					cp.errorf(at, "%s: %q is not a variable name", keyName(at), s)
					bad = true
				default:
					g.Name = s
				}
			},
			"commands": func(at []string, v any) {
				n := len(cp.errs)
				for _, c := range cp.stringList(at, v, nil) {
					g.Commands = append(g.Commands, c.v)
				}
				bad = bad || len(cp.errs) > n
			},
			"paths": func(at []string, v any) {
				n := len(cp.errs)
				for _, p := range cp.stringList(at, v, func(at []string, s string) (string, bool) {
					if !filepath.IsAbs(s) {
						cp.errorf(at, "%s: %q must be the absolute path of the program, such as \"/opt/railway/bin/railway\"", keyName(at), s)
						return "", false
					}
					return filepath.Clean(s), true
				}) {
					g.Paths = append(g.Paths, p.v)
				}
				bad = bad || len(cp.errs) > n
			},
		})
		if _, isTable := e.(map[string]any); !isTable || bad {
			continue
		}
		switch {
		case g.Name == "":
			cp.errorf(paths[i], "%s needs a name", keyName(paths[i]))
		case len(g.Commands) == 0 && len(g.Paths) == 0:
			cp.errorf(paths[i], "%s (%s) needs commands (the names of the commands that may see it) or paths (their exact files)", keyName(paths[i]), g.Name)
		default:
			cp.cfg.grants = append(cp.cfg.grants, located[env.Grant]{g, cp.line(paths[i])})
		}
	}
}

// ruleDecisions checks [rules]: rule ids to decisions. An unquoted id
// (git.force-push = "allow") reads as nested tables and is accepted the
// same.
func (cp *configParser) ruleDecisions(v any, known func(id string) bool) {
	at := []string{"rules"}
	m, ok := v.(map[string]any)
	if !ok {
		cp.errorf(at, "rules must be a table of rule ids to decisions, not %s", tomlTypeName(v))
		return
	}
	type entry struct {
		id string
		at []string
		v  any
	}
	var entries []entry
	var flatten func(prefix []string, m map[string]any)
	flatten = func(prefix []string, m map[string]any) {
		for k, v := range m {
			p := child(prefix, k)
			if sub, ok := v.(map[string]any); ok {
				flatten(p, sub)
				continue
			}
			entries = append(entries, entry{strings.Join(p[1:], "."), p, v})
		}
	}
	flatten(at, m)
	sort.SliceStable(entries, func(i, j int) bool {
		li, lj := cp.line(entries[i].at), cp.line(entries[j].at)
		if li != lj {
			return li < lj
		}
		return entries[i].id < entries[j].id
	})
	for _, e := range entries {
		if !known(e.id) {
			cp.errorf(e.at, "unknown rule %q (guard rules lists them)", e.id)
			continue
		}
		s, isString := e.v.(string)
		if !isString {
			cp.errorf(e.at, "rule %q: the decision must be \"allow\", \"confirm\" or \"deny\", not %s", e.id, tomlTypeName(e.v))
			continue
		}
		d, err := ParseDecision(s)
		if err != nil {
			cp.errorf(e.at, "rule %q: %v", e.id, err)
			continue
		}
		cp.cfg.rules = append(cp.cfg.rules, located[ruleSetting]{ruleSetting{e.id, d}, cp.line(e.at)})
	}
}

// customRules checks [[rule]].
func (cp *configParser) customRules(v any) {
	elems, paths := cp.list([]string{"rule"}, v)
	seen := map[string]int{}
	for i, e := range elems {
		at := paths[i]
		var r CustomRule
		var hasID, hasMatch, hasDecision, bad bool
		cp.table(at, e, map[string]func([]string, any){
			"id": func(at []string, v any) {
				s, ok := cp.str(at, v)
				if !ok {
					bad = true
					return
				}
				if !validCustomID(s) {
					cp.errorf(at, "custom rule id %q must start with \"custom.\" followed by letters, digits, '.', '-' or '_'", s)
					bad = true
					return
				}
				r.ID, hasID = s, true
			},
			"match": func(at []string, v any) {
				m, ok := cp.match(at, v)
				r.Match, hasMatch, bad = m, ok, bad || !ok
			},
			"decision": func(at []string, v any) {
				s, ok := cp.str(at, v)
				if !ok {
					bad = true
					return
				}
				d, err := ParseDecision(s)
				if err != nil {
					cp.errorf(at, "%s: %v", keyName(at), err)
					bad = true
					return
				}
				r.Decision, hasDecision = d, true
			},
			"reason": func(at []string, v any) {
				s, ok := cp.str(at, v)
				r.Reason, bad = s, bad || !ok
			},
		})
		if _, isTable := e.(map[string]any); !isTable || bad {
			continue
		}
		var missing []string
		for _, f := range []struct {
			ok   bool
			name string
		}{{hasID, "id"}, {hasMatch, "match"}, {hasDecision, "decision"}} {
			if !f.ok {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			cp.errorf(at, "%s needs %s", keyName(at), strings.Join(missing, ", "))
			continue
		}
		if l, dup := seen[r.ID]; dup {
			cp.errorf(at, "custom rule %q is defined twice (first at line %d)", r.ID, l)
			continue
		}
		seen[r.ID] = cp.line(at)
		cp.cfg.custom = append(cp.cfg.custom, located[CustomRule]{r, cp.line(at)})
	}
}

// validCustomID reports whether id is "custom." followed by letters,
// digits, '.', '-' or '_'.
func validCustomID(id string) bool {
	rest, ok := strings.CutPrefix(id, "custom.")
	if !ok || rest == "" || strings.HasPrefix(rest, ".") || strings.HasSuffix(rest, ".") {
		return false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// match checks a custom rule's match: an array whose elements are strings
// or arrays of strings (alternatives); the first names the command.
func (cp *configParser) match(at []string, v any) ([][]string, bool) {
	if l, isList := v.([]any); !isList {
		cp.errorf(at, "%s must be an array such as [\"gh\", \"pr\", [\"merge\", \"close\"]], not %s", keyName(at), tomlTypeName(v))
		return nil, false
	} else if len(l) == 0 {
		cp.errorf(at, "%s must not be empty: its first element names the command", keyName(at))
		return nil, false
	}
	elems, paths := cp.list(at, v)
	var out [][]string
	ok := true
	for i, e := range elems {
		var alts []string
		switch e := e.(type) {
		case string:
			if e == "" {
				cp.errorf(paths[i], "%s: empty string", keyName(paths[i]))
				ok = false
				continue
			}
			alts = []string{e}
		case []any:
			if len(e) == 0 {
				cp.errorf(paths[i], "%s: an empty list of alternatives matches nothing", keyName(paths[i]))
				ok = false
				continue
			}
			for j, a := range e {
				s, isString := a.(string)
				if !isString || s == "" {
					cp.errorf(child(paths[i], fmt.Sprint(j)), "%s: alternatives must be non-empty strings", keyName(paths[i]))
					ok = false
					continue
				}
				alts = append(alts, s)
			}
		default:
			cp.errorf(paths[i], "%s must be a string or an array of alternative strings, not %s", keyName(paths[i]), tomlTypeName(e))
			ok = false
			continue
		}
		if i == 0 {
			for _, a := range alts {
				if strings.Contains(a, "/") {
					cp.errorf(paths[i], "%s: %q: the first element is a command name as it runs (\"gh\"), not a path", keyName(paths[i]), a)
					ok = false
				}
			}
		}
		out = append(out, alts)
	}
	return out, ok
}

// ---- merging the layers ----

// merger applies layers to a policy.
type merger struct {
	p *Policy
	// custom are the decisions of the custom rules applied so far, before
	// any [rules] override.
	custom map[string]Decision
	// builtin are the built-in packs, made when a layer first needs them.
	builtin []*Pack
	// locked are the Origins keys the managed layer set.
	locked map[string]bool
}

func newMerger(p *Policy) *merger {
	return &merger{p: p, custom: map[string]Decision{}, locked: map[string]bool{}}
}

// rule returns the default decision of the built-in or custom rule id, and
// whether there is such a rule.
func (m *merger) rule(id string) (Decision, bool) {
	if d, ok := m.custom[id]; ok {
		return d, true
	}
	if m.builtin == nil {
		m.builtin = Builtin()
	}
	r, ok := findRule(m.builtin, id)
	return r.Default, ok
}

// known reports whether a layer may name rule id in [rules].
func (m *merger) known(id string) bool {
	_, ok := m.rule(id)
	return ok
}

// current returns the effective decision of rule id so far.
func (m *merger) current(id string) Decision {
	if d, ok := m.p.Overrides[id]; ok {
		return d
	}
	d, _ := m.rule(id)
	return d
}

// layerMerge is what merger.apply knows about the layer it merges.
type layerMerge struct {
	c *layerConfig
	// projectOnly says why the layer may only tighten the policy, "" when
	// it may loosen it; tight is projectOnly != "".
	projectOnly string
	tight       bool
}

// warn records that a setting of the layer was ignored.
func (m *merger) warn(lm *layerMerge, line int, format string, args ...any) {
	m.p.Warnings = append(m.p.Warnings, &ConfigError{File: lm.c.file, Line: line, Msg: "ignored: " + fmt.Sprintf(format, args...)})
}

// set records the origin of the value with Origins key key.
func (m *merger) set(lm *layerMerge, key string, line int) {
	m.p.Origins[key] = Origin{Layer: lm.c.layer, File: lm.c.file, Line: line}
	if lm.c.layer == LayerManaged {
		m.locked[key] = true
	}
}

// notInProject warns and reports true when the layer may not set what,
// a setting that can only loosen the policy.
func (m *merger) notInProject(lm *layerMerge, what string, line int) bool {
	switch {
	case lm.c.layer == LayerProject:
		m.warn(lm, line, "%s can only be set in the user or managed config; %s", what, lm.projectOnly)
	case lm.tight:
		m.warn(lm, line, "%s is not applied: %s", what, lm.projectOnly)
	default:
		return false
	}
	return true
}

// apply merges one layer that loaded without errors, setting by setting
// in the schema's stages.
//
// only, when not "", says why the layer may only tighten the policy (a
// file with errors, or a layer below one): it is then merged as a
// project's file is, and only names the reason in the warnings. A
// project's file always may only tighten.
func (m *merger) apply(c *layerConfig, only string) {
	lm := &layerMerge{c: c, projectOnly: only}
	if c.layer == LayerProject {
		lm.projectOnly = "a project's .guard.toml may only tighten the policy"
	}
	lm.tight = lm.projectOnly != ""
	sch := schema()
	for stage := 0; stage <= 3; stage++ {
		for i := range sch {
			s := &sch[i]
			if settingStage(s) != stage {
				continue
			}
			switch {
			case s.apply != nil:
				s.apply(m, c, lm)
			case s.list:
				m.applyList(s, lm)
			default:
				m.applyScalar(s, lm)
			}
		}
	}
}

// settingStage returns when s merges: plain scalars first, then the
// stages the schema gives, plain lists last.
func settingStage(s *setting) int {
	switch {
	case s.apply != nil && s.stage > 0:
		return s.stage
	case s.list || s.apply != nil:
		return 3
	}
	return 0
}

// applyScalar merges a plain setting with one value.
func (m *merger) applyScalar(s *setting, lm *layerMerge) {
	key := s.key()
	for _, v := range lm.c.values[key] {
		if s.loosens && m.notInProject(lm, key, v.line) {
			continue
		}
		if m.locked[key] && v.v != s.get(m.p)[0] {
			m.warn(lm, v.line, "%s is set by the managed policy (%s)", key, m.p.Origins[key])
			continue
		}
		s.set(m.p, v.v)
		m.set(lm, key, v.line)
	}
}

// applyList merges a plain list: each value once, with the origin of its
// first appearance.
func (m *merger) applyList(s *setting, lm *layerMerge) {
	key := s.key()
	var items []located[string]
	for _, v := range lm.c.values[key] {
		if s.loosens && m.notInProject(lm, key, v.line) {
			continue
		}
		if s.admit != nil {
			if why := s.admit(m, v.v); why != "" {
				m.warn(lm, v.line, "%s", why)
				continue
			}
		}
		items = append(items, v)
	}
	for _, it := range items {
		ok := OriginKey(key, it.v)
		if _, dup := m.p.Origins[ok]; dup {
			continue
		}
		s.set(m.p, it.v)
		m.set(lm, ok, it.line)
	}
}

// applyCustomRules merges [[rule]].
func applyCustomRules(m *merger, c *layerConfig, lm *layerMerge) {
	p := m.p
	for _, r := range c.custom {
		id := r.v.ID
		key := OriginKey("rule", id)
		if o, dup := p.Origins[key]; dup {
			m.warn(lm, r.line, "custom rule %q is already defined at %s", id, o)
			continue
		}
		if lm.tight && r.v.Decision == Allow {
			m.warn(lm, r.line, "custom rule %q allows; %s, so its custom rules must confirm or deny", id, lm.projectOnly)
			continue
		}
		p.Custom = append(p.Custom, r.v)
		m.custom[id] = r.v.Decision
		m.set(lm, key, r.line)
		if c.layer == LayerManaged {
			m.locked[OriginKey("rules", id)] = true
		}
	}
}

// applyRuleDecisions merges [rules].
func applyRuleDecisions(m *merger, c *layerConfig, lm *layerMerge) {
	p := m.p
	for _, r := range c.rules {
		id, d := r.v.id, r.v.d
		key := OriginKey("rules", id)
		cur := m.current(id)
		switch {
		case c.layer == LayerUser && m.locked[key] && d < cur:
			m.warn(lm, r.line, "%q = %q would loosen the managed policy, which makes it %s (%s)", id, d, cur, p.Origin("rules", id))
			continue
		case lm.tight && d < cur:
			m.warn(lm, r.line, "%q = %q would loosen the rule from %s (%s); %s", id, d, cur, p.Origin("rules", id), lm.projectOnly)
			continue
		case lm.tight && d == cur:
			continue
		}
		p.Overrides[id] = d
		m.set(lm, key, r.line)
	}
}

// applyGrants merges [[env.grant]].
func applyGrants(m *merger, c *layerConfig, lm *layerMerge) {
	p := m.p
	for _, g := range c.grants {
		if m.notInProject(lm, "env.grant", g.line) {
			continue
		}
		if s, ok := m.strippedByManaged(g.v.Name); ok {
			m.warn(lm, g.line, "env.grant %q would give out a variable the managed policy strips (%q, %s)", g.v.Name, s, p.Origin("env.strip", s))
			continue
		}
		p.Env.Grants = append(p.Env.Grants, g.v)
		if _, dup := p.Origins[OriginKey("env.grant", g.v.Name)]; !dup {
			m.set(lm, OriginKey("env.grant", g.v.Name), g.line)
		}
	}
}

// strippedByManaged returns the managed strip entry that name (a name or a
// pattern) overlaps, ignoring case as package env does.
func (m *merger) strippedByManaged(name string) (string, bool) {
	n := strings.ToUpper(name)
	for _, s := range m.p.Env.Strip {
		if m.p.Origin("env.strip", s).Layer != LayerManaged {
			continue
		}
		u := strings.ToUpper(s)
		if u == n {
			return s, true
		}
		if ok, _ := path.Match(u, n); ok {
			return s, true
		}
		if ok, _ := path.Match(n, u); ok {
			return s, true
		}
	}
	return "", false
}

// ---- hosts ----

// hostMatches reports whether host (lower-case, no port) matches one of
// patterns: an exact name or address, a CIDR block, or a pattern where "*"
// matches any run of characters, dots included.
func hostMatches(patterns []string, host string) bool {
	if host == "" || len(patterns) == 0 {
		return false
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	ip := net.ParseIP(host)
	for _, p := range patterns {
		if p == host {
			return true
		}
		if strings.Contains(p, "/") {
			if _, block, err := net.ParseCIDR(p); err == nil && ip != nil && block.Contains(ip) {
				return true
			}
			continue
		}
		if ok, _ := path.Match(p, host); ok {
			return true
		}
	}
	return false
}

// apply gives the world the policy's paths and hosts.
func (p *Policy) apply(w *World) {
	if p == nil {
		return
	}
	w.Protected = append([]string(nil), p.Protected...)
	w.Scratch = append([]string(nil), p.Scratch...)
	w.TempDirs = append(append([]string(nil), w.TempDirs...), p.Scratch...)
	w.LocalHosts = append([]string(nil), p.LocalHosts...)
	w.ProductionHosts = append([]string(nil), p.ProductionHosts...)
}

// ---- lines of keys ----

// withoutCommentLines returns src with its comment lines emptied. The
// config install.sh writes is some 300 lines of comments around a few
// settings, read before every command, and the TOML decoder spends a
// fifth of a millisecond on the comments alone. A line that starts with
// "#" is a comment unless it is inside a multi-line string, so a document
// that has one (three quotes in a row, double or single) is left as it
// is. Every line stays where it was, so errors keep their line numbers.
func withoutCommentLines(src string) string {
	if strings.Contains(src, `"""`) || strings.Contains(src, `'''`) {
		return src
	}
	b := make([]byte, 0, len(src))
	for line := range strings.Lines(src) {
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "#") {
			if strings.HasSuffix(line, "\n") {
				b = append(b, '\n')
			}
			continue
		}
		b = append(b, line...)
	}
	return string(b)
}

// setsNothing reports whether a document without its comment lines holds
// nothing but blank lines and the headers of guard's tables, as the config
// install.sh writes does until a setting is uncommented: it sets nothing,
// and guard need not start the TOML decoder for it.
func setsNothing(src string) bool {
	sch := schema()
	for line := range strings.Lines(src) {
		l := strings.TrimSpace(line)
		if l == "" {
			continue
		}
		name, open := strings.CutPrefix(l, "[")
		name, closed := strings.CutSuffix(name, "]")
		if !open || !closed || !isTable(sch, name) {
			return false
		}
	}
	return true
}

// keyLines maps every key, table and array element of a TOML document to
// the line it starts on. Keys are dotted paths as the decoder sees them,
// with array elements and array-of-tables entries as numeric segments:
// "paths.protected.1", "rule.0.match", "env.grant.2.name". The document
// has already been parsed, so the scanner can be forgiving.
func keyLines(src string) map[string]int {
	s := &tomlScan{src: src, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	s.document()
	return s.lines
}

// tomlScan walks a TOML document for keyLines.
type tomlScan struct {
	src   string
	i     int
	line  int
	lines map[string]int
	// arrays counts the entries of each array of tables so far, by
	// resolved path.
	arrays map[string]int
}

func (s *tomlScan) eof() bool { return s.i >= len(s.src) }

func (s *tomlScan) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *tomlScan) next() {
	if s.eof() {
		return
	}
	if s.src[s.i] == '\n' {
		s.line++
	}
	s.i++
}

// record notes the line of path, keeping the first.
func (s *tomlScan) record(path []string) {
	k := strings.Join(path, ".")
	if _, ok := s.lines[k]; !ok {
		s.lines[k] = s.line
	}
}

// skipSpace skips blanks on the line.
func (s *tomlScan) skipSpace() {
	for c := s.peek(); c == ' ' || c == '\t' || c == '\r'; c = s.peek() {
		s.next()
	}
}

// skipBlank skips blanks, newlines and comments.
func (s *tomlScan) skipBlank() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.next()
		case '#':
			for !s.eof() && s.peek() != '\n' {
				s.next()
			}
		default:
			return
		}
	}
}

// skipLine skips to the start of the next line.
func (s *tomlScan) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.next()
	}
	s.next()
}

func (s *tomlScan) document() {
	var table []string
	for {
		s.skipBlank()
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			s.next()
			array := s.peek() == '['
			if array {
				s.next()
			}
			path := s.resolve(s.key(), array)
			if array {
				k := strings.Join(path, ".")
				n := s.arrays[k]
				s.arrays[k] = n + 1
				s.record(path)
				path = append(path, fmt.Sprint(n))
			}
			s.record(path)
			table = path
			s.skipLine()
			continue
		}
		key := s.key()
		if len(key) == 0 {
			if s.i == start {
				s.skipLine()
			}
			continue
		}
		full := append(append([]string(nil), table...), key...)
		s.record(full)
		s.skipSpace()
		if s.peek() == '=' {
			s.next()
		}
		s.value(full)
		s.skipLine()
	}
}

// resolve puts the current entry's index after every prefix of a table
// header that names an array of tables ([[rule]] then [rule.x]).
func (s *tomlScan) resolve(key []string, array bool) []string {
	var out []string
	for i, seg := range key {
		out = append(out, seg)
		if array && i == len(key)-1 {
			break
		}
		if n, ok := s.arrays[strings.Join(out, ".")]; ok && n > 0 {
			out = append(out, fmt.Sprint(n-1))
		}
	}
	return out
}

// key reads a dotted key: bare, "basic" or 'literal' parts.
func (s *tomlScan) key() []string {
	var parts []string
	for {
		s.skipSpace()
		switch c := s.peek(); {
		case c == '"':
			parts = append(parts, s.basicString())
		case c == '\'':
			parts = append(parts, s.literalString())
		case isBareKeyChar(c):
			start := s.i
			for isBareKeyChar(s.peek()) {
				s.next()
			}
			parts = append(parts, s.src[start:s.i])
		default:
			return parts
		}
		s.skipSpace()
		if s.peek() != '.' {
			return parts
		}
		s.next()
	}
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicString reads a one-line "string" and returns its value.
func (s *tomlScan) basicString() string {
	s.next()
	start := s.i
	for !s.eof() && s.peek() != '"' && s.peek() != '\n' {
		if s.peek() == '\\' {
			s.next()
		}
		s.next()
	}
	raw := s.src[start:s.i]
	s.next()
	if v, err := strconv.Unquote(`"` + raw + `"`); err == nil {
		return v
	}
	return raw
}

// literalString reads a one-line 'string'.
func (s *tomlScan) literalString() string {
	s.next()
	start := s.i
	for !s.eof() && s.peek() != '\'' && s.peek() != '\n' {
		s.next()
	}
	v := s.src[start:s.i]
	s.next()
	return v
}

// multiline skips a multi-line string, basic or literal, ending with delim.
func (s *tomlScan) multiline(delim string, escapes bool) {
	for range 3 {
		s.next()
	}
	for !s.eof() {
		if escapes && s.peek() == '\\' {
			s.next()
			s.next()
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			for range 3 {
				s.next()
			}
			// Up to two quotes may end the content: """a""""".
			for n := 0; n < 2 && s.peek() == delim[0]; n++ {
				s.next()
			}
			return
		}
		s.next()
	}
}

// value skips one value, recording the lines of array elements and of
// inline tables' keys under path.
func (s *tomlScan) value(path []string) {
	s.skipSpace()
	switch c := s.peek(); {
	case strings.HasPrefix(s.src[s.i:], `"""`):
		s.multiline(`"""`, true)
	case strings.HasPrefix(s.src[s.i:], `'''`):
		s.multiline(`'''`, false)
	case c == '"':
		s.basicString()
	case c == '\'':
		s.literalString()
	case c == '[':
		s.next()
		for n := 0; ; n++ {
			s.skipBlank()
			if s.eof() || s.peek() == ']' {
				s.next()
				return
			}
			elem := append(append([]string(nil), path...), fmt.Sprint(n))
			s.record(elem)
			before := s.i
			s.value(elem)
			s.skipBlank()
			if s.peek() == ',' {
				s.next()
			}
			if s.i == before {
				s.next()
			}
		}
	case c == '{':
		s.next()
		for {
			s.skipBlank()
			if s.eof() {
				return
			}
			switch s.peek() {
			case '}':
				s.next()
				return
			case ',':
				s.next()
				continue
			}
			before := s.i
			if key := s.key(); len(key) > 0 {
				full := append(append([]string(nil), path...), key...)
				s.record(full)
				s.skipSpace()
				if s.peek() == '=' {
					s.next()
				}
				s.value(full)
			}
			if s.i == before {
				s.next()
			}
		}
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.peek())) {
			s.next()
		}
	}
}

// ---- writing the policy ----

// Write prints the effective policy as TOML, each value set by a config
// file followed by "# from FILE:LINE", built-in defaults marked as such.
// The output parses as a config file.
func (p *Policy) Write(w io.Writer) error {
	b := &strings.Builder{}
	line := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	from := func(setting, value string) string {
		o := p.Origin(setting, value)
		if o.File == "" {
			return "# built-in default"
		}
		return "# from " + o.String()
	}
	line("# guard's effective policy")
	line("#   %-8s the built-in rule packs", LayerBuiltin)
	for _, f := range p.Files {
		line("#   %-8s %s (%s)", f.Layer, f.File, f.Status)
	}
	for _, e := range p.Warnings {
		line("# warning: %s", e)
	}
	if p.Fallback != "" {
		line("# %s", p.Fallback)
	}
	line("")
	list := func(name, setting string, values []string) {
		if len(values) == 0 {
			line("%s = []", name)
			return
		}
		line("%s = [", name)
		for _, v := range values {
			line("  %s,  %s", tomlQuote(v), from(setting, v))
		}
		line("]")
	}
	table := ""
	sch := schema()
	for i := range sch {
		s := &sch[i]
		if s.table != table && s.table != "" {
			line("")
			line("[%s]", s.table)
		}
		table = s.table
		switch {
		case s.write != nil:
			s.write(p, line, from)
		case s.list:
			list(s.name, s.key(), s.get(p))
		default:
			line("%s = %s  %s", s.name, tomlQuote(s.get(p)[0]), from(s.key(), ""))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatDuration renders d as ParseDuration reads it, without zero units:
// "2m", "1h30m", "90s" -> "1m30s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// tomlQuote returns s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ---- the default config ----

// DefaultConfigText returns the user config that install.sh writes when
// there is none: every setting commented out with its default and a
// one-line explanation. Lines starting with "# " are settings (remove the
// "# " to use one), lines starting with "##" explain. Section headers are
// left in, empty, so that uncommenting one setting is enough. Every built-in
// rule is listed under [rules] with its default decision.
func DefaultConfigText() string {
	var b strings.Builder
	w := func(s string) { b.WriteString(s + "\n") }
	w("## guard configuration: your choices ($XDG_CONFIG_HOME/guard/guard.toml).")
	w("## Lines starting with \"# \" are settings shown with their defaults: remove the")
	w("## \"# \" to change one. Lines starting with \"##\" explain.")
	w("## The managed policy /etc/guard/guard.toml cannot be loosened here; a project's")
	w("## .guard.toml can only tighten what is set here. \"guard config\" prints the")
	w("## effective policy and where each value comes from.")
	w("")
	def := DefaultPolicy()
	table := ""
	text := func(s *setting) {
		if s.table != table && s.table != "" {
			w("")
			w("[" + s.table + "]")
		}
		table = s.table
		if s.text != nil {
			s.text(w)
			return
		}
		for _, d := range s.doc {
			w("## " + d)
		}
		if s.list {
			w("# " + s.name + " = []")
		} else {
			w("# " + s.name + " = " + tomlQuote(s.get(def)[0]))
		}
	}
	sch := schema()
	for _, last := range []bool{false, true} {
		for i := range sch {
			if sch[i].textLast == last {
				text(&sch[i])
			}
		}
	}
	return b.String()
}
