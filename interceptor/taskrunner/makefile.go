package taskrunner

import (
	"path"
	"slices"
	"strconv"
	"strings"
)

// make: the recipes "make TARGET" runs, read from the Makefile as GNU make
// reads it — variables (=, :=, ::=, ?=, +=, define), $(VAR) and ${VAR},
// $$, the automatic variables, the text functions, conditionals, include,
// rules with prerequisites, pattern rules, .ONESHELL — and analysed as the
// shell code make hands to sh, one line at a time. $(shell CMD) and "VAR !=
// CMD" run CMD when make reads the file: CMD is judged as code and its
// output is unknown text. Nothing is run: not even "make -n", which runs
// $(shell …) and "+" lines itself.

// makeOptions is what make's arguments say.
type makeOptions struct {
	files []string
	evals []string
	goals []string
	vars  [][2]string
	// printOnly: -n, -q, -t print or check, running only "+" lines (and
	// recursive $(MAKE) lines, which print in turn).
	printOnly bool
	// none: --help, --version: make reads no makefile.
	none bool
}

// parseMakeArgs reads make's options, variable assignments and goals.
func parseMakeArgs(args []Arg) (makeOptions, bool) {
	var o makeOptions
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.Value
		if a.Unknown {
			return o, false
		}
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i].Value
			}
			return ""
		}
		switch {
		case v == "--":
			continue
		case strings.HasPrefix(v, "--"):
			name, val, eq := strings.Cut(v, "=")
			switch name {
			case "--file", "--makefile":
				if !eq {
					val = next()
				}
				o.files = append(o.files, val)
			case "--eval":
				if !eq {
					val = next()
				}
				o.evals = append(o.evals, val)
			case "--just-print", "--dry-run", "--recon", "--question", "--touch":
				o.printOnly = true
			case "--help", "--version":
				o.none = true
			case "--directory", "--include-dir", "--old-file", "--assume-old", "--new-file", "--assume-new", "--what-if":
				if !eq {
					next()
				}
			}
		case strings.HasPrefix(v, "-") && len(v) > 1:
			for j := 1; j < len(v); j++ {
				c := v[j]
				rest := v[j+1:]
				switch c {
				case 'f', 'C', 'I', 'o', 'W', 'E':
					val := rest
					if val == "" {
						val = next()
					}
					if c == 'f' {
						o.files = append(o.files, val)
					}
					if c == 'E' {
						o.evals = append(o.evals, val)
					}
					j = len(v)
				case 'j', 'l':
					if rest == "" && i+1 < len(args) && isDigits(args[i+1].Value) {
						i++
					}
					j = len(v)
				case 'O':
					j = len(v)
				case 'n', 'q', 't':
					o.printOnly = true
				case 'h', 'v':
					o.none = true
				}
			}
		default:
			if k, val, ok := strings.Cut(v, "="); ok {
				k = strings.TrimRight(k, ":+?!")
				if isMakeName(k) {
					o.vars = append(o.vars, [2]string{k, val})
					continue
				}
			}
			o.goals = append(o.goals, v)
		}
	}
	return o, true
}

func isMakeName(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t:#=$")
}

// make follows the recipes a make command runs.
func (rd *reader) make() {
	o, ok := parseMakeArgs(rd.c.Args)
	link := strings.TrimSpace("make " + strings.Join(o.goals, " "))
	if !ok {
		rd.unknown(link, "make is given arguments that cannot be known, so what it runs cannot be checked")
		return
	}
	if o.none {
		return
	}
	if rd.c.Cwd == "" {
		return // the Makefile cannot be found: see npm
	}
	m := &makefile{rd: rd, dir: rd.c.Cwd, vars: map[string]makeVar{}, rules: map[string]*makeRule{}, goals: o.goals, seen: map[string]bool{}}
	for _, kv := range o.vars {
		m.vars[kv[0]] = makeVar{val: kv[1], cmdline: true}
	}
	for _, e := range o.evals {
		m.parse(e, "--eval")
	}
	files := o.files
	found := ""
	if len(files) == 0 {
		for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
			data, exists, why := rd.h.File(path.Join(rd.c.Cwd, name))
			if why != "" {
				rd.unknown(link, "make reads "+why)
				return
			}
			if exists {
				files, found = []string{name}, data
				break
			}
		}
	}
	for _, f := range files {
		if f == "-" {
			if rd.c.Stdin == nil || !rd.c.Stdin.Known {
				from := "a command"
				if rd.c.Stdin != nil {
					from = rd.c.Stdin.From
				}
				rd.unknown(link, "make reads its makefile from "+from+", which cannot be checked")
				return
			}
			m.parse(rd.c.Stdin.Data, "stdin")
			continue
		}
		p := resolve(rd.c.Cwd, f)
		data, exists, why := found, true, ""
		if len(o.files) > 0 {
			data, exists, why = rd.h.File(p)
		}
		if why != "" {
			rd.unknown(link, "make reads "+why)
			return
		}
		if !exists {
			return // make: no such file, and it stops
		}
		alone := len(files) == 1 && len(o.vars) == 0 && len(o.evals) == 0
		if m.fromCache(p, data, alone) {
			continue
		}
		for _, part := range rd.h.Parts(p, data) {
			m.label = part.Label
			m.parse(part.Text, where(p, rd.c.Cwd))
		}
		m.label = ""
		m.keep(p, data, alone)
	}
	if m.unsupported != "" {
		rd.unknown(link, "make reads a makefile guard cannot follow ("+m.unsupported+"), so what it runs cannot be checked")
		return
	}
	if sh := m.value("SHELL"); sh != "/bin/sh" && !isShell(baseName(strings.Fields(sh + " x")[0])) {
		rd.unknown(link, "the makefile runs its recipes with SHELL="+strings.ReplaceAll(sh, UnknownMark, "…")+", which guard cannot check")
		return
	}
	m.printOnly = o.printOnly
	goals := o.goals
	if len(goals) == 0 {
		if g := strings.TrimSpace(m.value(".DEFAULT_GOAL")); g != "" {
			goals = []string{g}
		} else if m.defaultGoal != "" {
			goals = []string{m.defaultGoal}
		}
	}
	for _, g := range goals {
		m.build(g, "make "+g, 0)
		if rd.stopped() {
			return
		}
	}
}

// makeVar is one make variable.
type makeVar struct {
	val string
	// simple: val is expanded already (:=, ::=, !=).
	simple bool
	// cmdline: set on make's command line, which makefile assignments
	// without "override" do not change.
	cmdline  bool
	override bool
}

// makeRule is the rule of one target (or a pattern rule).
type makeRule struct {
	target  string
	prereqs []string
	recipe  []makeLine
	// more holds the recipes of further double-colon rules.
	more    [][]makeLine
	vars    map[string]makeVar
	pattern bool
}

// makeLine is one recipe line with where it stands.
type makeLine struct {
	text string
	file string
	line int
	// label says the line is in text the command line writes.
	label string
}

// makefile is what make has read.
type makefile struct {
	rd    *reader
	dir   string
	vars  map[string]makeVar
	rules map[string]*makeRule
	// patterns are the pattern rules, in order.
	patterns    []*makeRule
	defaultGoal string
	oneShell    bool
	goals       []string
	// incomplete says why the rules may not all be known (a makefile
	// included that cannot be read): a target not found is then unknown.
	incomplete string
	// unsupported says why the makefile cannot be followed at all.
	unsupported string
	printOnly   bool
	includes    int
	// auto holds the automatic variables of the recipe being expanded.
	auto map[string]string
	// expanding holds the variables being expanded (recursion).
	expanding map[string]bool
	depth     int
	// file and line say where text being expanded comes from; label
	// is set while text the command line writes is read.
	file  string
	line  int
	label string
	// shells holds the $(shell …) commands judged, seen the targets built.
	shells map[string]bool
	seen   map[string]bool
	built  int
	// exports are the variables exported to recipes; exportAll is a bare
	// "export" (or .EXPORT_ALL_VARIABLES).
	exports   map[string]bool
	exportAll bool
	// impure is set when reading the makefile depended on more than its
	// text: the environment, the goals, included files, $(shell), $(eval).
	impure bool
}

// parsedMakefile is what reading a makefile that depends only on its
// text gave, kept with the file (runnerCache).
type parsedMakefile struct {
	vars        map[string]makeVar
	rules       map[string]*makeRule
	patterns    []*makeRule
	defaultGoal string
	oneShell    bool
	exports     map[string]bool
	exportAll   bool
	unsupported string
}

// fromCache takes what reading the makefile at p gave before, when it
// depended only on the text, which is unchanged, and nothing else is
// read with it (ok).
func (m *makefile) fromCache(p, data string, ok bool) bool {
	if !ok {
		return false
	}
	c := m.rd.h.Memo(p, data)
	if c == nil || c.makefile == nil || c.dir != m.dir {
		return false
	}
	k := c.makefile
	m.vars = make(map[string]makeVar, len(k.vars))
	for n, v := range k.vars {
		m.vars[n] = v
	}
	m.rules, m.patterns, m.defaultGoal, m.oneShell = k.rules, k.patterns, k.defaultGoal, k.oneShell
	m.exports, m.exportAll, m.unsupported = k.exports, k.exportAll, k.unsupported
	return true
}

// keep stores what reading the makefile at p gave, when it depended only
// on its text and nothing else was read with it (ok). Rules and patterns
// are not changed once read.
func (m *makefile) keep(p, data string, ok bool) {
	if !ok || m.impure {
		return
	}
	c := m.rd.h.Memo(p, data)
	if c == nil {
		return
	}
	vars := make(map[string]makeVar, len(m.vars))
	for n, v := range m.vars {
		vars[n] = v
	}
	c.dir = m.dir
	c.makefile = &parsedMakefile{vars: vars, rules: m.rules, patterns: m.patterns, defaultGoal: m.defaultGoal,
		oneShell: m.oneShell, exports: m.exports, exportAll: m.exportAll, unsupported: m.unsupported}
}

// maxMakeIncludes bounds the makefiles included; maxMakeTargets the
// targets followed for one make command.
const (
	maxMakeIncludes = 16
	maxMakeTargets  = 512
)

// makeCond is one level of ifeq/ifdef nesting: cur is the state of the
// branch being read (1 taken, 0 not, -1 unknown: read as taken too),
// taken whether a branch was surely taken, unsure whether one may have.
type makeCond struct {
	cur    int
	taken  bool
	unsure bool
}

// parse reads makefile text.
func (m *makefile) parse(text, file string) {
	lines := strings.Split(text, "\n")
	var conds []makeCond
	active := func() bool {
		for _, c := range conds {
			if c.cur == 0 {
				return false
			}
		}
		return true
	}
	var current []*makeRule // the rules recipe lines belong to
	// fresh holds the rules of current that have had a recipe line
	// since their rule line: a rule line that gives a target's recipe
	// again replaces the earlier one, as make does.
	var fresh map[*makeRule]bool
	for i := 0; i < len(lines); i++ {
		if m.unsupported != "" || m.rd.stopped() {
			return
		}
		lineNo := i + 1
		raw := strings.TrimSuffix(lines[i], "\r")
		if strings.HasPrefix(raw, "\t") && current != nil {
			text := raw[1:]
			for oddBackslashes(text) && i+1 < len(lines) {
				i++
				text += "\n" + strings.TrimPrefix(strings.TrimSuffix(lines[i], "\r"), "\t")
			}
			if active() {
				for _, r := range current {
					if !fresh[r] {
						r.recipe, fresh[r] = nil, true
					}
					r.recipe = append(r.recipe, makeLine{text: text, file: file, line: lineNo, label: m.label})
				}
			}
			continue
		}
		logical := raw
		for oddBackslashes(logical) && i+1 < len(lines) {
			i++
			logical = logical[:len(logical)-1] + " " + strings.TrimLeft(strings.TrimSuffix(lines[i], "\r"), " \t")
		}
		logical = strings.TrimSpace(stripMakeComment(logical))
		if logical == "" {
			continue
		}
		word, rest, _ := strings.Cut(logical, " ")
		if tab := strings.IndexByte(word, '\t'); tab >= 0 {
			word, rest = word[:tab], word[tab+1:]+" "+rest
		}
		rest = strings.TrimSpace(rest)
		switch word {
		case "ifeq", "ifneq", "ifdef", "ifndef":
			c := makeCond{cur: 0, taken: true}
			if active() {
				c = makeCond{cur: m.cond(word, rest)}
				c.taken, c.unsure = c.cur == 1, c.cur == -1
			}
			conds = append(conds, c)
			continue
		case "else":
			if len(conds) == 0 {
				m.unsupported = "an else without if in " + file
				return
			}
			c := &conds[len(conds)-1]
			v := 1
			if w2, r2, _ := strings.Cut(rest, " "); rest != "" {
				v = m.cond(w2, strings.TrimSpace(r2))
			}
			switch {
			case c.taken:
				c.cur = 0
			case c.unsure && v == 1:
				c.cur = -1
			default:
				c.cur = v
			}
			c.taken = c.taken || c.cur == 1
			c.unsure = c.unsure || c.cur == -1
			continue
		case "endif":
			if len(conds) > 0 {
				conds = conds[:len(conds)-1]
			}
			continue
		case "define":
			body, end := defineBody(lines, i+1)
			i = end
			if active() {
				name, op := rest, "="
				if f := strings.Fields(rest); len(f) == 2 {
					name, op = f[0], f[1]
				}
				m.file, m.line = file, lineNo
				m.assign(m.expand(name), op, body, false)
			}
			continue
		}
		if !active() {
			continue
		}
		current = nil
		m.file, m.line = file, lineNo
		if m.directive(word, rest, logical, file) {
			continue
		}
		var inline bool
		current, inline = m.statement(logical, file, lineNo)
		fresh = map[*makeRule]bool{}
		for _, r := range current {
			fresh[r] = inline || r.pattern
		}
	}
	if len(conds) > 0 {
		m.unsupported = "an if without endif in " + file
	}
}

// directive handles include, export, override and the other lines that
// are neither rules nor assignments. It reports whether the line was one.
func (m *makefile) directive(word, rest, logical, file string) bool {
	switch word {
	case "include", "-include", "sinclude":
		for _, f := range strings.Fields(m.expand(rest)) {
			m.include(f, word == "include")
		}
		return true
	case "export", "unexport", "override", "private":
		if word == "export" {
			m.export(rest)
		}
		if rest == "" || !strings.ContainsAny(rest, "=:") {
			return true
		}
		if word == "override" {
			m.statementOverride(rest)
			return true
		}
		m.statement(rest, file, m.line)
		return true
	case "vpath":
		return true
	case "undefine":
		delete(m.vars, strings.TrimSpace(m.expand(rest)))
		return true
	case "load", "-load":
		m.unsupported = "it loads a shared object into make"
		return true
	}
	return false
}

// export records the variables "export" puts into the recipes'
// environment: "export VAR = value", "export A B", or all with a bare
// "export".
func (m *makefile) export(rest string) {
	if m.exports == nil {
		m.exports = map[string]bool{}
	}
	if rest == "" {
		m.exportAll = true
		return
	}
	if name, _, _, ok := splitAssign(rest); ok {
		m.exports[strings.TrimSpace(m.expand(name))] = true
		return
	}
	for _, n := range strings.Fields(m.expand(rest)) {
		m.exports[n] = true
	}
}

// recipeEnv returns the variables recipes have in their environment: the
// exported ones.
func (m *makefile) recipeEnv() []Var {
	if len(m.exports) == 0 && !m.exportAll {
		return nil
	}
	var env []Var
	for name := range m.vars {
		if (m.exportAll || m.exports[name]) && isName(name) {
			env = append(env, Var{name, m.value(name)})
		}
	}
	return env
}

// include reads an included makefile, relative to make's directory.
func (m *makefile) include(f string, must bool) {
	m.impure = true
	if strings.Contains(f, UnknownMark) || hasGlob(f) {
		m.incomplete = "it includes " + strings.ReplaceAll(f, UnknownMark, "…") + ", which guard cannot resolve"
		return
	}
	m.includes++
	if m.includes > maxMakeIncludes {
		m.unsupported = "it includes more than " + strconv.Itoa(maxMakeIncludes) + " makefiles"
		return
	}
	p := resolve(m.dir, f)
	data, exists, why := m.rd.h.File(p)
	switch {
	case why != "":
		m.unsupported = "it includes " + why
	case !exists:
		if must {
			m.incomplete = "it includes " + f + ", which does not exist yet (a rule may make it)"
		}
	default:
		savedFile, savedLine := m.file, m.line
		m.parse(data, where(p, m.dir))
		m.file, m.line = savedFile, savedLine
	}
}

// statementOverride reads "override VAR = value".
func (m *makefile) statementOverride(s string) {
	name, op, val, ok := splitAssign(s)
	if !ok {
		return
	}
	m.assign(m.expand(name), op, val, true)
}

// statement reads an assignment or a rule line and returns the rules the
// recipe lines that follow belong to, and whether the line gave a recipe
// itself ("target: ; cmd").
func (m *makefile) statement(s, file string, line int) ([]*makeRule, bool) {
	if name, op, val, ok := splitAssign(s); ok {
		m.assign(m.expand(name), op, val, false)
		return nil, false
	}
	colon := topIndex(s, ":")
	if colon < 0 {
		// A line that is only an expansion: $(eval …), $(info …).
		if strings.HasPrefix(s, "$") {
			m.expand(s)
			return nil, false
		}
		m.unsupported = "a line make cannot read: " + shortText(s) + " (" + file + " line " + strconv.Itoa(line) + ")"
		return nil, false
	}
	if strings.HasPrefix(m.expand(s[:colon]), ".RECIPEPREFIX") {
		m.unsupported = "it sets .RECIPEPREFIX"
		return nil, false
	}
	targetText, rest := s[:colon], s[colon+1:]
	double := strings.HasPrefix(rest, ":")
	if double {
		rest = rest[1:]
	}
	inline := ""
	if semi := topIndex(rest, ";"); semi >= 0 {
		rest, inline = rest[:semi], strings.TrimLeft(rest[semi+1:], " \t")
	}
	targets := strings.Fields(m.expand(targetText))
	if name, op, val, ok := splitAssign(rest); ok {
		// A target-specific variable.
		for _, t := range targets {
			r := m.rule(t)
			if r.vars == nil {
				r.vars = map[string]makeVar{}
			}
			r.vars[strings.TrimSpace(m.expand(name))] = m.newVar(op, val, r.vars[name])
		}
		return nil, false
	}
	var staticPattern string
	if c2 := topIndex(rest, ":"); c2 >= 0 {
		staticPattern, rest = strings.TrimSpace(m.expand(rest[:c2])), rest[c2+1:]
	}
	prereqs := strings.Fields(strings.ReplaceAll(m.expand(rest), "|", " "))
	var out []*makeRule
	for _, t := range targets {
		switch t {
		case ".ONESHELL":
			m.oneShell = true
		case ".EXPORT_ALL_VARIABLES":
			m.exportAll = true
		case ".SECONDEXPANSION":
			m.unsupported = "it uses .SECONDEXPANSION"
			return nil, false
		}
		r := m.rule(t)
		ps := prereqs
		if staticPattern != "" {
			ps = nil
			stem, ok := patternMatch(staticPattern, t)
			for _, p := range prereqs {
				if ok {
					p = strings.Replace(p, "%", stem, 1)
				}
				ps = append(ps, p)
			}
		}
		r.prereqs = append(r.prereqs, ps...)
		if double && len(r.recipe) > 0 {
			r.more = append(r.more, r.recipe)
		}
		if inline != "" || double {
			r.recipe = nil
		}
		if inline != "" {
			r.recipe = append(r.recipe, makeLine{text: inline, file: file, line: line, label: m.label})
		}
		if m.defaultGoal == "" && !r.pattern && (!strings.HasPrefix(t, ".") || strings.Contains(t, "/")) {
			m.defaultGoal = t
		}
		out = append(out, r)
	}
	return out, inline != ""
}

// rule returns the rule of target t, made when new.
func (m *makefile) rule(t string) *makeRule {
	if strings.Contains(t, "%") {
		r := &makeRule{target: t, pattern: true}
		m.patterns = append(m.patterns, r)
		return r
	}
	r, ok := m.rules[t]
	if !ok {
		r = &makeRule{target: t}
		m.rules[t] = r
	}
	return r
}

// defineBody returns the lines of a define up to its endef, and the index
// of the endef line.
func defineBody(lines []string, from int) (string, int) {
	depth := 0
	for j := from; j < len(lines); j++ {
		t := strings.TrimSpace(strings.TrimSuffix(lines[j], "\r"))
		switch {
		case strings.HasPrefix(t, "define ") || t == "define":
			depth++
		case t == "endef" || strings.HasPrefix(t, "endef ") || strings.HasPrefix(t, "endef\t"):
			if depth == 0 {
				return strings.Join(lines[from:j], "\n"), j
			}
			depth--
		}
	}
	return strings.Join(lines[from:], "\n"), len(lines)
}

// oddBackslashes reports whether s ends in a line continuation.
func oddBackslashes(s string) bool {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// stripMakeComment removes a comment: from an unescaped # to the end.
func stripMakeComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '#' {
			return s[:i]
		}
	}
	return s
}

// topIndex returns the index of the first sep in s outside $(…) and ${…}.
func topIndex(s, sep string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
			depth++
			i++
		case c == '$' && i+1 < len(s):
			i++
		case depth > 0 && (c == '(' || c == '{'):
			depth++
		case depth > 0 && (c == ')' || c == '}'):
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			return i
		}
	}
	return -1
}

// splitAssign splits "NAME OP VALUE" when s is an assignment: the first
// '=' outside references comes before any ':' that is not part of the
// operator.
func splitAssign(s string) (name, op, val string, ok bool) {
	eq := topIndex(s, "=")
	if eq < 0 {
		return "", "", "", false
	}
	colon := topIndex(s, ":")
	start := eq
	for start > 0 && strings.IndexByte(":+?!", s[start-1]) >= 0 && eq-start < 3 {
		start--
	}
	if colon >= 0 && colon < start {
		return "", "", "", false // a rule ("x: A=1" is a target variable)
	}
	op = s[start : eq+1]
	switch op {
	case "=", ":=", "::=", ":::=", "?=", "+=", "!=":
	default:
		return "", "", "", false
	}
	name = strings.TrimSpace(s[:start])
	if name == "" || strings.ContainsAny(name, " \t") && !strings.Contains(name, "$") {
		return "", "", "", false
	}
	return name, op, strings.TrimLeft(s[eq+1:], " \t"), true
}

// assign sets a variable as the operator says.
func (m *makefile) assign(name, op, val string, override bool) {
	name = strings.TrimSpace(name)
	old, had := m.vars[name]
	if had && old.cmdline && !override {
		return
	}
	if op == "?=" && had {
		return
	}
	v := m.newVar(op, val, old)
	v.override = override
	m.vars[name] = v
}

// newVar returns the variable an assignment makes from old.
func (m *makefile) newVar(op, val string, old makeVar) makeVar {
	switch op {
	case ":=", "::=":
		return makeVar{val: m.expand(val), simple: true}
	case ":::=":
		return makeVar{val: strings.ReplaceAll(m.expand(val), "$", "$$")}
	case "!=":
		m.shell(m.expand(val))
		return makeVar{val: UnknownMark, simple: true}
	case "+=":
		if old.simple {
			return makeVar{val: strings.TrimSpace(old.val + " " + m.expand(val)), simple: true}
		}
		return makeVar{val: strings.TrimSpace(old.val + " " + val)}
	}
	return makeVar{val: val}
}

// cond evaluates the condition of ifeq, ifneq, ifdef or ifndef: 1 true,
// 0 false, -1 when it cannot be known.
func (m *makefile) cond(kind, arg string) int {
	var res bool
	switch kind {
	case "ifdef", "ifndef":
		name := strings.TrimSpace(m.expand(arg))
		v := m.value(name)
		if strings.Contains(v, UnknownMark) || strings.Contains(name, UnknownMark) {
			return -1
		}
		res = v != ""
		if kind == "ifndef" {
			res = !res
		}
	case "ifeq", "ifneq":
		a, b, ok := condArgs(arg)
		if !ok {
			return -1
		}
		a, b = strings.TrimSpace(m.expand(a)), strings.TrimSpace(m.expand(b))
		if strings.Contains(a+b, UnknownMark) {
			return -1
		}
		res = a == b
		if kind == "ifneq" {
			res = !res
		}
	default:
		return -1
	}
	if res {
		return 1
	}
	return 0
}

// condArgs splits "(a,b)", "'a' 'b'" or "\"a\" \"b\"".
func condArgs(s string) (string, string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		inner := s[1 : len(s)-1]
		c := topIndex(inner, ",")
		if c < 0 {
			return "", "", false
		}
		return inner[:c], inner[c+1:], true
	}
	var parts []string
	for len(s) > 0 && len(parts) < 3 {
		q := s[0]
		if q != '"' && q != '\'' {
			return "", "", false
		}
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", "", false
		}
		parts = append(parts, s[1:end+1])
		s = strings.TrimSpace(s[end+2:])
	}
	if len(parts) != 2 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// value returns the expanded value of a variable: the makefile's, make's
// own defaults, or the environment's (unknown unless known).
func (m *makefile) value(name string) string {
	if v, ok := m.auto[name]; ok {
		return v
	}
	if v, ok := m.vars[name]; ok {
		if v.simple {
			return v.val
		}
		if m.expanding[name] {
			return UnknownMark // make: recursive variable references itself
		}
		if m.expanding == nil {
			m.expanding = map[string]bool{}
		}
		m.expanding[name] = true
		out := m.expand(v.val)
		delete(m.expanding, name)
		return out
	}
	switch name {
	case "MAKE":
		return "make"
	case "CURDIR":
		return m.dir
	case "SHELL":
		return "/bin/sh"
	case "RM":
		return "rm -f"
	case "CC":
		return "cc"
	case "CXX":
		return "g++"
	case "AR":
		return "ar"
	case "MAKECMDGOALS":
		m.impure = true
		return strings.Join(m.goals, " ")
	case "MAKEFLAGS", "MFLAGS", "MAKEFILES", "MAKELEVEL", ".DEFAULT_GOAL", ".RECIPEPREFIX", "MAKE_RESTARTS", "GPATH", "VPATH":
		return ""
	}
	if len(name) == 2 && (name[1] == 'D' || name[1] == 'F') {
		if v, ok := m.auto[name[:1]]; ok {
			var parts []string
			for _, f := range strings.Fields(v) {
				if name[1] == 'D' {
					parts = append(parts, path.Dir(f))
				} else {
					parts = append(parts, path.Base(f))
				}
			}
			return strings.Join(parts, " ")
		}
	}
	m.impure = true // the environment, which may change
	if v, set := m.rd.h.Lookup(name); set && name != "PWD" {
		return v
	}
	if !isName(name) {
		return UnknownMark
	}
	return ""
}

// expand expands make references in s.
func (m *makefile) expand(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > 64 || !m.rd.step() {
		return UnknownMark
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch d := s[i]; d {
		case '$':
			b.WriteByte('$')
		case '(', '{':
			end := matchParen(s, i)
			if end < 0 {
				m.unsupported = "an unterminated variable reference"
				return UnknownMark
			}
			b.WriteString(m.reference(s[i+1:end], d))
			i = end
		default:
			b.WriteString(m.value(string(d)))
		}
		if b.Len() > maxRunnerFile || !m.rd.spend(0) {
			return UnknownMark
		}
	}
	if !m.rd.spend(b.Len()) {
		return UnknownMark
	}
	return b.String()
}

// matchParen returns the index of the parenthesis closing the one at i,
// counting only the same kind, as make does.
func matchParen(s string, i int) int {
	open, close := s[i], byte(')')
	if open == '{' {
		close = '}'
	}
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// reference expands the inside of $(…): a function call, a substitution
// reference $(VAR:a=b) or a variable.
func (m *makefile) reference(inner string, open byte) string {
	if fn, args, ok := strings.Cut(inner, " "); ok || strings.Contains(inner, "\t") {
		if !ok {
			fn, args, _ = strings.Cut(inner, "\t")
		}
		if out, known := m.function(fn, strings.TrimLeft(args, " \t")); known {
			return out
		}
	}
	if c := topIndex(inner, ":"); c >= 0 {
		if from, to, ok := strings.Cut(inner[c+1:], "="); ok {
			val := m.value(m.expand(inner[:c]))
			from, to = m.expand(from), m.expand(to)
			if !strings.Contains(from, "%") {
				from, to = "%"+from, "%"+to
			}
			return patsubst(from, to, val)
		}
	}
	return m.value(m.expand(inner))
}

// splitArgs splits function arguments at top-level commas, into at most n
// parts (n <= 0: all).
func splitArgs(s string, n int) []string {
	var out []string
	for n <= 0 || len(out) < n-1 {
		c := topIndex(s, ",")
		if c < 0 {
			break
		}
		out = append(out, s[:c])
		s = s[c+1:]
	}
	return append(out, s)
}

// function calls make's function fn. known is false for a name that is
// not a function (then it is a variable name with a space).
func (m *makefile) function(fn, args string) (string, bool) {
	arg := func(n int) []string {
		parts := splitArgs(args, n)
		for i := range parts {
			parts[i] = m.expand(parts[i])
		}
		return parts
	}
	switch fn {
	case "shell":
		m.shell(m.expand(args))
		return UnknownMark, true
	case "eval":
		m.impure = true
		text := m.expand(args)
		if strings.Contains(text, UnknownMark) {
			m.incomplete = "it defines rules with $(eval) from text guard cannot know"
			return "", true
		}
		savedFile, savedLine := m.file, m.line
		m.parse(text, m.file+" $(eval)")
		m.file, m.line = savedFile, savedLine
		return "", true
	case "info", "warning", "error":
		m.expand(args)
		return "", true
	case "file", "guile", "let", "intcmp", "load":
		m.expand(args)
		return UnknownMark, true
	case "origin", "flavor":
		return "file", true
	case "value":
		if v, ok := m.vars[strings.TrimSpace(m.expand(args))]; ok {
			return v.val, true
		}
		return "", true
	case "wildcard":
		// The shell sees the pattern itself: a glob, judged as one.
		return strings.Join(strings.Fields(m.expand(args)), " "), true
	case "strip":
		return strings.Join(strings.Fields(m.expand(args)), " "), true
	case "subst":
		a := arg(3)
		if len(a) < 3 {
			return "", true
		}
		return strings.ReplaceAll(a[2], a[0], a[1]), true
	case "patsubst":
		a := arg(3)
		if len(a) < 3 {
			return "", true
		}
		return patsubst(a[0], a[1], a[2]), true
	case "findstring":
		a := arg(2)
		if len(a) == 2 && strings.Contains(a[1], a[0]) {
			return a[0], true
		}
		return "", true
	case "filter", "filter-out":
		a := arg(2)
		if len(a) < 2 {
			return "", true
		}
		pats := strings.Fields(a[0])
		var out []string
		for _, w := range strings.Fields(a[1]) {
			match := false
			for _, p := range pats {
				_, ok := patternMatch(p, w)
				match = match || ok
			}
			if match == (fn == "filter") {
				out = append(out, w)
			}
		}
		return strings.Join(out, " "), true
	case "sort":
		f := strings.Fields(m.expand(args))
		slices.Sort(f)
		return strings.Join(slices.Compact(f), " "), true
	case "words":
		return strconv.Itoa(len(strings.Fields(m.expand(args)))), true
	case "word", "wordlist":
		a := arg(3)
		f := strings.Fields(a[len(a)-1])
		from, err := strconv.Atoi(strings.TrimSpace(a[0]))
		if err != nil || from < 1 {
			return UnknownMark, true
		}
		to := from
		if fn == "wordlist" && len(a) == 3 {
			if to, err = strconv.Atoi(strings.TrimSpace(a[1])); err != nil {
				return UnknownMark, true
			}
		}
		if from > len(f) {
			return "", true
		}
		return strings.Join(f[from-1:min(to, len(f))], " "), true
	case "firstword", "lastword":
		f := strings.Fields(m.expand(args))
		if len(f) == 0 {
			return "", true
		}
		if fn == "firstword" {
			return f[0], true
		}
		return f[len(f)-1], true
	case "dir", "notdir", "suffix", "basename", "abspath", "realpath":
		var out []string
		for _, f := range strings.Fields(m.expand(args)) {
			switch fn {
			case "dir":
				d, _ := path.Split(f)
				if d == "" {
					d = "./"
				}
				out = append(out, d)
			case "notdir":
				out = append(out, path.Base(f))
			case "suffix":
				if e := path.Ext(f); e != "" {
					out = append(out, e)
				}
			case "basename":
				out = append(out, strings.TrimSuffix(f, path.Ext(f)))
			default:
				out = append(out, resolve(m.dir, f))
			}
		}
		return strings.Join(out, " "), true
	case "addsuffix", "addprefix":
		a := arg(2)
		if len(a) < 2 {
			return "", true
		}
		var out []string
		for _, f := range strings.Fields(a[1]) {
			if fn == "addsuffix" {
				out = append(out, f+a[0])
			} else {
				out = append(out, a[0]+f)
			}
		}
		return strings.Join(out, " "), true
	case "join":
		a := arg(2)
		if len(a) < 2 {
			return "", true
		}
		x, y := strings.Fields(a[0]), strings.Fields(a[1])
		var out []string
		for i := 0; i < max(len(x), len(y)); i++ {
			s := ""
			if i < len(x) {
				s = x[i]
			}
			if i < len(y) {
				s += y[i]
			}
			out = append(out, s)
		}
		return strings.Join(out, " "), true
	case "if":
		a := splitArgs(args, 3)
		if c := strings.TrimSpace(m.expand(a[0])); c != "" {
			if len(a) > 1 {
				return m.expand(a[1]), true
			}
			return "", true
		}
		if len(a) > 2 {
			return m.expand(a[2]), true
		}
		return "", true
	case "or", "and":
		last := ""
		for _, p := range splitArgs(args, 0) {
			last = strings.TrimSpace(m.expand(p))
			if (last != "") == (fn == "or") {
				return last, true
			}
		}
		if fn == "and" {
			return last, true
		}
		return "", true
	case "foreach":
		a := splitArgs(args, 3)
		if len(a) < 3 {
			return "", true
		}
		name := strings.TrimSpace(m.expand(a[0]))
		saved, had := m.vars[name]
		var out []string
		for _, item := range strings.Fields(m.expand(a[1])) {
			m.vars[name] = makeVar{val: item, simple: true}
			out = append(out, m.expand(a[2]))
		}
		m.restore(name, saved, had)
		return strings.Join(out, " "), true
	case "call":
		a := arg(0)
		name := strings.TrimSpace(a[0])
		type kept struct {
			v   makeVar
			had bool
		}
		saved := map[string]kept{}
		for i := 0; i < len(a) || i < 10; i++ {
			k := strconv.Itoa(i)
			v, had := m.vars[k]
			saved[k] = kept{v, had}
			val := ""
			if i < len(a) {
				val = a[i]
			}
			m.vars[k] = makeVar{val: val, simple: true}
		}
		out := ""
		if v, ok := m.vars[name]; ok {
			if v.simple {
				out = v.val
			} else {
				out = m.expand(v.val)
			}
		}
		for k, s := range saved {
			m.restore(k, s.v, s.had)
		}
		return out, true
	}
	return "", false
}

func (m *makefile) restore(name string, v makeVar, had bool) {
	if had {
		m.vars[name] = v
	} else {
		delete(m.vars, name)
	}
}

// patternMatch matches a word against a make pattern with at most one %.
func patternMatch(pat, s string) (stem string, ok bool) {
	pre, suf, has := strings.Cut(pat, "%")
	if !has {
		return "", pat == s
	}
	if len(s) < len(pre)+len(suf) || !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, suf) {
		return "", false
	}
	return s[len(pre) : len(s)-len(suf)], true
}

// patsubst replaces the words of text matching from by to.
func patsubst(from, to, text string) string {
	var out []string
	for _, w := range strings.Fields(text) {
		if stem, ok := patternMatch(from, w); ok {
			if strings.Contains(from, "%") {
				w = strings.Replace(to, "%", stem, 1)
			} else {
				w = to
			}
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// shell yields a command $(shell …) or != runs while make reads the file
// or expands a recipe.
func (m *makefile) shell(cmd string) {
	m.impure = true
	if m.shells == nil {
		m.shells = map[string]bool{}
	}
	if m.shells[cmd] || strings.TrimSpace(cmd) == "" {
		return
	}
	m.shells[cmd] = true
	m.rd.recipe("make: $(shell) ("+m.file+" line "+strconv.Itoa(m.line)+")", cmd, m.dir)
}

// build yields the recipes make runs for target t: its prerequisites'
// first, then its own, once each.
func (m *makefile) build(t, link string, depth int) {
	if m.seen[t] || m.rd.stopped() {
		return
	}
	m.seen[t] = true
	m.built++
	if m.built > maxMakeTargets || depth > 64 {
		if m.built == maxMakeTargets+1 || depth > 64 {
			m.rd.unknown(link, "make builds more targets than guard follows, so what it runs cannot all be checked")
		}
		return
	}
	r, ok := m.rules[t]
	stem := ""
	if !ok || (len(r.recipe) == 0 && len(r.more) == 0) {
		if p, s, found := m.patternFor(t, depth == 0); found {
			if r == nil {
				r = &makeRule{target: t}
			}
			merged := *r
			merged.recipe, merged.prereqs = p.recipe, append(slices.Clone(r.prereqs), expandStem(p.prereqs, s)...)
			r, stem, ok = &merged, s, true
		}
	}
	if !ok {
		if depth > 0 {
			return // a file
		}
		if d, has := m.rules[".DEFAULT"]; has && len(d.recipe) > 0 {
			r, ok = d, true
		} else {
			if m.incomplete != "" {
				m.rd.unknown(link, "make "+t+": the target is not in the makefile as guard reads it, and "+m.incomplete)
			}
			return
		}
	}
	for _, p := range r.prereqs {
		name := p
		m.build(name, "make "+m.goalOf(link)+": "+name, depth+1)
	}
	recipes := append(slices.Clone(r.more), r.recipe)
	for _, rec := range recipes {
		m.runLines(t, r, stem, rec, link)
	}
}

// goalOf returns the goal a link names ("make all: lib" -> "all").
func (m *makefile) goalOf(link string) string {
	g := strings.TrimPrefix(link, "make ")
	g, _, _ = strings.Cut(g, ":")
	return g
}

// patternFor returns the pattern rule with a recipe that builds t, and the
// stem. A prerequisite that exists as a file is not rebuilt by a pattern
// rule the analysis follows (goal is false for prerequisites).
func (m *makefile) patternFor(t string, goal bool) (*makeRule, string, bool) {
	if !goal {
		if _, err := m.rd.h.Stat(resolve(m.dir, t)); err == nil {
			return nil, "", false
		}
	}
	for _, p := range m.patterns {
		if len(p.recipe) == 0 {
			continue
		}
		if s, ok := patternMatch(p.target, t); ok {
			return p, s, true
		}
	}
	return nil, "", false
}

func expandStem(ps []string, stem string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Replace(p, "%", stem, 1)
	}
	return out
}

// runLines yields the recipe lines of target t as make runs them: each
// line by its own sh -c, or all in one with .ONESHELL.
func (m *makefile) runLines(t string, r *makeRule, stem string, lines []makeLine, link string) {
	if len(lines) == 0 {
		return
	}
	saved := m.auto
	m.auto = map[string]string{"@": t, "*": stem, "%": ""}
	if len(r.prereqs) > 0 {
		m.auto["<"] = r.prereqs[0]
	} else {
		m.auto["<"] = ""
	}
	uniq := slices.Clone(r.prereqs)
	slices.Sort(uniq)
	m.auto["^"] = strings.Join(slices.Compact(uniq), " ")
	m.auto["+"] = strings.Join(r.prereqs, " ")
	m.auto["?"] = m.auto["^"]
	m.auto["|"] = ""
	var restore []func()
	for k, v := range r.vars {
		old, had := m.vars[k]
		if v.simple || !strings.Contains(v.val, "$") {
			m.vars[k] = v
		} else {
			m.vars[k] = makeVar{val: m.expand(v.val), simple: true}
		}
		restore = append(restore, func() { m.restore(k, old, had) })
	}
	defer func() {
		for _, f := range restore {
			f()
		}
		m.auto = saved
	}()
	var one []string
	env := m.recipeEnv()
	for _, l := range lines {
		m.file, m.line = l.file, l.line
		text := m.expand(l.text)
		// Expanded text may hold several lines (a define): each runs.
		for _, part := range recipeParts(text) {
			cmd, plus := recipePrefix(part)
			// Under -n only "+" lines run. A recursive $(MAKE) line runs
			// too, but as "make -n", which prints: not followed.
			if m.printOnly && !plus {
				continue
			}
			if strings.TrimSpace(cmd) == "" {
				continue
			}
			if m.oneShell {
				one = append(one, cmd)
				continue
			}
			m.rd.recipeEnv(link+" ("+l.file+" line "+strconv.Itoa(l.line)+l.label+")", cmd, m.dir, env)
		}
	}
	if len(one) > 0 {
		m.rd.recipeEnv(link+" ("+lines[0].file+" line "+strconv.Itoa(lines[0].line)+lines[0].label+")", strings.Join(one, "\n"), m.dir, env)
	}
}

// recipeParts splits an expanded recipe line at the newlines a variable
// put in it; a backslash-newline stays, for the shell to join.
func recipeParts(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && !oddBackslashes(s[start:i]) {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// recipePrefix strips the @, - and + prefixes of a recipe line; plus
// reports a +, which runs even under make -n.
func recipePrefix(s string) (string, bool) {
	plus := false
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" || strings.IndexByte("@-+", s[0]) < 0 {
			return s, plus
		}
		plus = plus || s[0] == '+'
		s = s[1:]
	}
}
