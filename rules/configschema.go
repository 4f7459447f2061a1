package rules

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/guard-dev/guard/env"
)

// This file is the config schema: one row per key. Parsing (checkLayer),
// the merging of layers (merger.apply), provenance (Policy.Origins),
// printing (Policy.Write), the default config (DefaultConfigText), which
// errors hold every command (loosensOnly) and the fast path (setsNothing)
// all read it, so a new key is one row here plus the code that uses the
// value. TestSchemaRowsDerive fails for a row that one of them misses.

// Policy is the effective configuration: the built-in defaults with every
// config layer that loaded applied on top.
type Policy struct {
	// Shell is the real shell's absolute path.
	Shell string
	// ApprovalTimeout is how long a confirmation waits for a human.
	ApprovalTimeout time.Duration
	// Overrides set rule decisions by id (built-in and custom rules).
	Overrides map[string]Decision
	// Custom are the custom rules, evaluated as the pack "custom".
	Custom []CustomRule
	// Protected are extra protected paths, absolute and cleaned.
	Protected []string
	// Scratch are extra scratch directories, absolute and cleaned.
	Scratch []string
	// LocalHosts are host names or patterns the http pack treats as this
	// machine, lower-cased.
	LocalHosts []string
	// ProductionHosts are host names or patterns to which any request but
	// GET, HEAD or OPTIONS confirms, lower-cased.
	ProductionHosts []string
	// Fence is the write fence's setting ([sandbox] fence): "on", "off",
	// or "" when no file set it (on for the agent routes; GUARD_FENCE
	// decides then).
	Fence string
	// Writable are more paths the write fence lets the agent's commands
	// change ([paths] writable), absolute and cleaned.
	Writable []string
	// Env says which variables commands may see (the [env] section);
	// package env applies it. Its grants have no Origin: Policy.Origin
	// has it.
	Env env.Policy
	// Origins says where each value that a config file set comes from,
	// keyed by OriginKey. Values missing from it are built-in defaults.
	Origins map[string]Origin
	// Files are the config files considered, in layer order.
	Files []LayerFile
	// Warnings are settings that were ignored because their layer may not
	// make them (a project file loosening a rule).
	Warnings []*ConfigError
	// Fallback says, when a file had errors, what guard does about it, for
	// stderr; "" when every file present loaded.
	Fallback string
	// Broken holds, for each managed or user file whose errors could hide
	// a setting that stops a command (a syntax error, an unreadable file,
	// an unknown rule or key), its first such error. While it is set,
	// every command guard would allow needs a human's approval
	// (meta.config-error), naming the file and line.
	Broken []*ConfigError
}

// setting is one key of the config schema.
//
// A plain setting is a string (list is false) or an array of strings
// (list is true): check, get and set say how to read it and where it
// lives in the Policy; the rest is derived. The other keys ([rules],
// [[rule]], [[env.grant]]) give their own parse, apply, write and text.
type setting struct {
	// table is the TOML table the key is in, "" for the top level. A
	// setting with an empty name is the whole table ([rules]).
	table, name string
	// list says the value is an array of strings, each with its origin.
	list bool
	// arrayOfTables says the key is written [[name]].
	arrayOfTables bool
	// loosens says the setting can only loosen the policy: a project's
	// file, or a layer that may only tighten, cannot set it, and an error
	// in it hides nothing that stops a command.
	loosens bool
	// doc explains the key in the default config, one "## " line each.
	doc []string
	// sample is a valid value in TOML, for the schema test.
	sample string
	// stage orders the merging: settings merge by stage, then in table
	// order (custom rules before [rules], which may name them).
	stage int
	// textLast puts the key at the end of the default config (the rule
	// list is long).
	textLast bool

	// check reads a plain setting's value (a scalar's whole value, or
	// one element of a list, already a non-empty string) and returns it
	// as stored, or false once it has reported why it is wrong.
	check func(cp *configParser, at []string, v any) (string, bool)
	// get returns the Policy's values of a plain setting; set replaces a
	// scalar's value or appends to a list.
	get func(p *Policy) []string
	set func(p *Policy, v string)
	// admit, when not nil, says why a layer may not add v to a list, ""
	// when it may.
	admit func(m *merger, v string) string

	// parse, apply, write and text replace the plain handling.
	parse func(cp *configParser, at []string, v any, known func(id string) bool)
	apply func(m *merger, c *layerConfig, lm *layerMerge)
	write func(p *Policy, line func(string, ...any), from func(setting, value string) string)
	text  func(w func(string))
}

// key returns the setting's dotted key: "shell", "paths.protected".
func (s *setting) key() string {
	switch {
	case s.table == "":
		return s.name
	case s.name == "":
		return s.table
	}
	return s.table + "." + s.name
}

// schema returns every key of guard's config, in the order guard config
// prints them. It is a function, not a table made at start-up: a command
// that needs no config never builds it.
func schema() []setting {
	return []setting{
		{
			name: "shell", loosens: true, sample: `"/bin/zsh"`,
			doc:   []string{"The real shell that runs allowed commands: an absolute path, never guard."},
			check: checkShell,
			get:   func(p *Policy) []string { return []string{p.Shell} },
			set:   func(p *Policy, v string) { p.Shell = v },
		},
		{
			table: "approval", name: "timeout", loosens: true, sample: `"90s"`,
			doc:   []string{"How long a command that needs confirmation waits for a human, then is refused."},
			check: checkTimeout,
			get:   func(p *Policy) []string { return []string{formatDuration(p.ApprovalTimeout)} },
			set: func(p *Policy, v string) {
				d, _ := time.ParseDuration(v) // check made v
				p.ApprovalTimeout = d
			},
		},
		{
			table: "paths", name: "protected", list: true, sample: `["/srv/data"]`,
			doc: []string{
				"More protected paths (absolute or ~/): deleting, moving or overwriting them, or",
				"what is in them, needs confirmation. Example: [\"~/finances\", \"/srv/data\"].",
			},
			check: func(cp *configParser, at []string, v any) (string, bool) {
				return cp.path(at, v.(string), cp.cfg.layer == LayerProject)
			},
			get: func(p *Policy) []string { return p.Protected },
			set: func(p *Policy, v string) { p.Protected = append(p.Protected, v) },
		},
		{
			table: "paths", name: "scratch", list: true, loosens: true, sample: `["/srv/scratch"]`,
			doc: []string{
				"More scratch directories, like /tmp: deleting inside them never prompts.",
				"Example: [\"~/scratch\"].",
			},
			check: checkScratch,
			get:   func(p *Policy) []string { return p.Scratch },
			set:   func(p *Policy, v string) { p.Scratch = append(p.Scratch, v) },
		},
		{
			table: "paths", name: "writable", list: true, loosens: true, sample: `["~/.local/share/mytool"]`,
			doc: []string{
				"More paths the write fence lets the commands guard runs for an agent change,",
				"besides the project, the temp dirs and the tool caches. Example: [\"~/.m2\"].",
			},
			check: checkWritable,
			get:   func(p *Policy) []string { return p.Writable },
			set:   func(p *Policy, v string) { p.Writable = append(p.Writable, v) },
		},
		{
			table: "sandbox", name: "fence", loosens: true, sample: `"off"`,
			doc: []string{
				"The write fence (Landlock) for guard -c and guard run: \"on\" (the default) or",
				"\"off\". Only your own or the managed config can switch it off.",
			},
			check: checkFence,
			get: func(p *Policy) []string {
				if p.Fence == "" {
					return []string{"on"}
				}
				return []string{p.Fence}
			},
			set: func(p *Policy, v string) { p.Fence = v },
		},
		{
			table: "hosts", name: "local", list: true, loosens: true, sample: `["*.dev.internal"]`,
			doc: []string{
				"Hosts treated as this machine by the HTTP rules (names, addresses, CIDR blocks,",
				"patterns such as \"*.dev.internal\"): requests to them never prompt.",
			},
			check: checkHost,
			get:   func(p *Policy) []string { return p.LocalHosts },
			set:   func(p *Policy, v string) { p.LocalHosts = append(p.LocalHosts, v) },
		},
		{
			table: "hosts", name: "production", list: true, sample: `["api.acme.com"]`,
			doc: []string{
				"Production hosts: any request to them but GET, HEAD or OPTIONS needs confirmation",
				"(rule http.production-write). Example: [\"api.acme.com\", \"*.prod.acme.com\"].",
			},
			check: checkHost,
			get:   func(p *Policy) []string { return p.ProductionHosts },
			set:   func(p *Policy, v string) { p.ProductionHosts = append(p.ProductionHosts, v) },
		},
		{
			table: "rules", stage: 2, textLast: true, sample: `{ "git.force-push" = "deny" }`,
			parse: func(cp *configParser, at []string, v any, known func(string) bool) { cp.ruleDecisions(v, known) },
			apply: applyRuleDecisions,
			write: writeRuleDecisions,
			text:  textRuleDecisions,
		},
		{
			name: "rule", arrayOfTables: true, stage: 1, textLast: true,
			sample: `[{ id = "custom.x", match = ["gh", "pr"], decision = "confirm" }]`,
			parse:  func(cp *configParser, at []string, v any, _ func(string) bool) { cp.customRules(v) },
			apply:  applyCustomRules,
			write:  writeCustomRules,
			text:   textCustomRules,
		},
		{
			table: "env", name: "strip", list: true, sample: `["STRIPE_*"]`,
			doc: []string{
				"More variables (names or patterns such as \"STRIPE_*\") removed from the",
				"environment of every command.",
			},
			check: checkEnvName,
			get:   func(p *Policy) []string { return p.Env.Strip },
			set:   func(p *Policy, v string) { p.Env.Strip = append(p.Env.Strip, v) },
		},
		{
			table: "env", name: "keep", list: true, loosens: true, sample: `["AWS_PROFILE"]`,
			doc:   []string{"Variables kept even though a default would strip them."},
			check: checkEnvName,
			get:   func(p *Policy) []string { return p.Env.Keep },
			set:   func(p *Policy, v string) { p.Env.Keep = append(p.Env.Keep, v) },
			admit: func(m *merger, v string) string {
				if s, ok := m.strippedByManaged(v); ok {
					return fmt.Sprintf("env.keep %q would keep a variable the managed policy strips (%q, %s)", v, s, m.p.Origin("env.strip", s))
				}
				return ""
			},
		},
		{
			table: "env", name: "grant", arrayOfTables: true, loosens: true,
			sample: `[{ name = "RAILWAY_TOKEN", commands = ["railway"] }]`,
			parse:  func(cp *configParser, at []string, v any, _ func(string) bool) { cp.grants(at, v) },
			apply:  applyGrants,
			write:  writeGrants,
			text:   textGrants,
		},
	}
}

// topLevelKeys names the keys a file may have at its top level, for
// messages: "shell, [approval], [paths], ..., [[rule]], [env]".
func topLevelKeys() string {
	var names []string
	seen := map[string]bool{}
	sch := schema()
	for _, s := range sch {
		var n string
		switch {
		case s.table != "":
			n = "[" + s.table + "]"
		case s.arrayOfTables:
			n = "[[" + s.name + "]]"
		default:
			n = s.name
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// isTable reports whether name is one of the tables of sch.
func isTable(sch []setting, name string) bool {
	for _, s := range sch {
		if s.table == name {
			return true
		}
	}
	return false
}

// ---- the plain settings' checks ----

func checkShell(cp *configParser, at []string, v any) (string, bool) {
	s, ok := cp.str(at, v)
	if !ok {
		return "", false
	}
	switch {
	case !filepath.IsAbs(s):
		cp.errorf(at, "shell must be an absolute path such as %q, not %q", DefaultShell, s)
	case strings.HasPrefix(filepath.Base(s), "guard"):
		cp.errorf(at, "shell must be the real shell, not guard itself (%q)", s)
	default:
		return filepath.Clean(s), true
	}
	return "", false
}

func checkTimeout(cp *configParser, at []string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		cp.errorf(at, "%s must be a duration string such as \"2m\" or \"90s\", not %s", keyName(at), tomlTypeName(v))
		return "", false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		cp.errorf(at, "%s must be a positive duration such as \"2m\" or \"90s\", not %q", keyName(at), s)
		return "", false
	}
	return formatDuration(d), true
}

func checkScratch(cp *configParser, at []string, v any) (string, bool) {
	s := v.(string)
	p, ok := cp.path(at, s, false)
	if !ok {
		return "", false
	}
	if p == "/" || cp.home != "" && pathWithin(p, filepath.Clean(cp.home)) {
		cp.errorf(at, "%s: %q cannot be scratch: it is / or contains your home directory", keyName(at[:len(at)-1]), s)
		return "", false
	}
	return p, true
}

func checkWritable(cp *configParser, at []string, v any) (string, bool) {
	s := v.(string)
	p, ok := cp.path(at, s, false)
	if !ok {
		return "", false
	}
	if p == "/" || cp.home != "" && pathWithin(p, filepath.Clean(cp.home)) {
		cp.errorf(at, "%s: %q cannot be writable: it is / or contains your home directory; name the directory the tool writes", keyName(at[:len(at)-1]), s)
		return "", false
	}
	return p, true
}

func checkFence(cp *configParser, at []string, v any) (string, bool) {
	s, ok := cp.str(at, v)
	if !ok {
		return "", false
	}
	if s != "on" && s != "off" {
		cp.errorf(at, "%s must be \"on\" or \"off\", not %q", keyName(at), s)
		return "", false
	}
	return s, true
}

func checkHost(cp *configParser, at []string, v any) (string, bool) {
	return cp.host(at, v.(string))
}

func checkEnvName(cp *configParser, at []string, v any) (string, bool) {
	s := v.(string)
	if !validEnvPattern(s) {
		cp.errorf(at, "%s: %q is not a variable name or pattern", keyName(at[:len(at)-1]), s)
		return "", false
	}
	return s, true
}

// ---- the default text of the settings with their own ----

func textRuleDecisions(w func(string)) {
	w("## Each rule's decision: \"allow\" (runs), \"confirm\" (asks a human) or \"deny\" (refused).")
	w("## Shown with their defaults; \"guard rules\" lists them with their effective decisions.")
	for _, pk := range Builtin() {
		w("")
		w("## -- " + pk.Name + " --")
		for _, r := range pk.Rules {
			w("## " + r.Summary)
			w(fmt.Sprintf("# %s = %s", tomlQuote(r.ID), tomlQuote(r.Default.String())))
		}
	}
}

func textCustomRules(w func(string)) {
	w("")
	w("## Custom rules, evaluated like the built-in ones (also through sudo, bash -c, ...).")
	w("## match is the command as it runs: its name, then its first arguments; an inner")
	w("## array lists alternatives. Strings match exactly. The id starts with \"custom.\".")
	w("## Example:")
	w("# [[rule]]")
	w(`# id = "custom.no-gh-pr-merge"`)
	w(`# match = ["gh", "pr", ["merge", "close"]]`)
	w(`# decision = "confirm"`)
	w(`# reason = "merges or closes a pull request"`)
}

func textGrants(w func(string)) {
	w("## A variable given only to the commands named (example). A command gets it")
	w("## only when bash finds it where the agent cannot write (not in the project,")
	w("## a temporary directory or a directory you can write, such as ~/.local/bin);")
	w("## paths names exact program files to give it to wherever they are.")
	w("# [[env.grant]]")
	w(`# name = "RAILWAY_TOKEN"`)
	w(`# commands = ["railway"]`)
	w(`# paths = ["/home/me/.local/bin/railway"]`)
}

// ---- printing the settings with their own ----

func writeRuleDecisions(p *Policy, line func(string, ...any), from func(setting, value string) string) {
	ids := make([]string, 0, len(p.Overrides))
	for id := range p.Overrides {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	defaults := map[string]Decision{}
	for _, pk := range Builtin() {
		for _, r := range pk.Rules {
			defaults[r.ID] = r.Default
		}
	}
	for _, r := range p.Custom {
		defaults[r.ID] = r.Decision
	}
	if len(ids) == 0 {
		line("# every rule has its default decision (guard rules lists them)")
	}
	for _, id := range ids {
		line("%s = %s  %s; default %s", tomlQuote(id), tomlQuote(p.Overrides[id].String()), from("rules", id), defaults[id])
	}
}

func writeCustomRules(p *Policy, line func(string, ...any), from func(setting, value string) string) {
	for _, r := range p.Custom {
		line("")
		line("[[rule]]  %s", from("rule", r.ID))
		line("id = %s", tomlQuote(r.ID))
		line("match = %s", r.MatchString())
		line("decision = %s", tomlQuote(r.Decision.String()))
		if r.Reason != "" {
			line("reason = %s", tomlQuote(r.Reason))
		}
	}
}

func writeGrants(p *Policy, line func(string, ...any), from func(setting, value string) string) {
	quoted := func(list []string) string {
		qs := make([]string, len(list))
		for i, s := range list {
			qs[i] = tomlQuote(s)
		}
		return "[" + strings.Join(qs, ", ") + "]"
	}
	for _, g := range p.Env.Grants {
		line("")
		line("[[env.grant]]  %s", from("env.grant", g.Name))
		line("name = %s", tomlQuote(g.Name))
		if len(g.Commands) > 0 {
			line("commands = %s", quoted(g.Commands))
		}
		if len(g.Paths) > 0 {
			line("paths = %s", quoted(g.Paths))
		}
	}
}
