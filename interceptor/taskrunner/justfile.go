package taskrunner

import (
	"path"
	"strconv"
	"strings"
)

// just: the recipes "just NAME" runs, read from the justfile — variables
// (NAME := EXPR: strings, concatenation, a few functions, backticks, whose
// command is judged and whose output is unknown), recipes with parameters
// and dependencies, {{…}} interpolation, @ and - prefixes, shebang recipes
// and "set shell". Each line of a recipe runs in its own shell, in the
// justfile's directory.

// justRecipe is one recipe of a justfile.
type justRecipe struct {
	name   string
	params []justParam
	deps   []string // dependencies run before, then after ("&&")
	after  []string
	body   []makeLine
	line   int
}

// justParam is a recipe parameter with its default.
type justParam struct {
	name, def string
	hasDef    bool
	variadic  bool
}

// justfile is what just has read.
type justfile struct {
	rd      *reader
	file    string
	dir     string
	vars    map[string]string
	recipes map[string]*justRecipe
	aliases map[string]string
	first   string
	// shell is "" for sh, or what "set shell" names.
	shell       string
	unsupported string
}

// just follows the recipes a just command runs.
func (rd *reader) just() {
	if rd.c.Cwd == "" {
		return
	}
	file, dir := "", ""
	var ops []Arg
	for i := 0; i < len(rd.c.Args); i++ {
		a := rd.c.Args[i]
		v := a.Value
		if a.Unknown {
			rd.unknown("just", "just is given arguments that cannot be known, so what it runs cannot be checked")
			return
		}
		name, val, eq := strings.Cut(v, "=")
		switch {
		case name == "-f" || name == "--justfile" || name == "-d" || name == "--working-directory":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			if name == "-f" || name == "--justfile" {
				file = resolve(rd.c.Cwd, val)
			} else {
				dir = resolve(rd.c.Cwd, val)
			}
		case v == "--set" && i+2 < len(rd.c.Args):
			ops = append(ops, Arg{Value: rd.c.Args[i+1].Value + "=" + rd.c.Args[i+2].Value})
			i += 2
		case v == "-l" || v == "--list" || v == "--summary" || v == "--show" || v == "-s" || v == "--dump" || v == "--fmt" ||
			v == "--help" || v == "-h" || v == "--version" || v == "-V" || v == "--init" || v == "--edit" || v == "-e" ||
			v == "--variables" || v == "--completions" || v == "--groups" || v == "--choose" || v == "--changelog":
			return
		case v == "-n" || v == "--dry-run":
			return // prints the recipes; assignments' backticks still run, judged below only when run
		case strings.HasPrefix(v, "-"):
		default:
			ops = append(ops, a)
		}
	}
	if file == "" {
		for d := rd.c.Cwd; ; d = path.Dir(d) {
			for _, n := range []string{"justfile", ".justfile", "Justfile", "JUSTFILE"} {
				p := path.Join(d, n)
				if _, exists, why := rd.h.File(p); exists || why != "" {
					file = p
					break
				}
			}
			if file != "" || d == "/" {
				break
			}
		}
	}
	link := "just " + strings.Join(values(ops), " ")
	if file == "" {
		return // no justfile: just fails
	}
	data, exists, why := rd.h.File(file)
	if why != "" {
		rd.unknown(link, "just reads "+why)
		return
	}
	if !exists {
		return
	}
	j := &justfile{rd: rd, file: where(file, rd.c.Cwd), dir: path.Dir(file), vars: map[string]string{},
		recipes: map[string]*justRecipe{}, aliases: map[string]string{}}
	if dir != "" {
		j.dir = dir
	}
	// Overrides first: NAME=VALUE operands before the recipes.
	for len(ops) > 0 && isAssign(ops[0].Value) {
		k, v, _ := strings.Cut(ops[0].Value, "=")
		j.vars[k] = v
		ops = ops[1:]
	}
	j.parse(data)
	if j.unsupported != "" {
		rd.unknown(link, "just reads a justfile guard cannot follow ("+j.unsupported+"), so what it runs cannot be checked")
		return
	}
	if len(ops) == 0 {
		if j.first == "" {
			return
		}
		ops = []Arg{{Value: j.first}}
	}
	seen := map[string]bool{}
	for len(ops) > 0 && !rd.stopped() {
		name := ops[0].Value
		if a, ok := j.aliases[name]; ok {
			name = a
		}
		name = strings.ReplaceAll(name, " ", "")
		r, ok := j.recipes[name]
		if !ok {
			if strings.Contains(name, "::") {
				rd.unknown("just "+name, "just "+name+" runs a recipe of a module guard does not read")
			}
			return // just: no such recipe, and it stops
		}
		n := 0
		for _, p := range r.params {
			if p.variadic {
				n = len(ops) - 1
				break
			}
			if n < len(ops)-1 {
				n++
			}
		}
		j.run(r, values(ops[1:1+n]), "just "+name, seen, 0)
		ops = ops[1+n:]
	}
}

// parse reads justfile text.
func (j *justfile) parse(text string) {
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "[") {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			j.unsupported = "an indented line outside a recipe at line " + strconv.Itoa(i+1)
			return
		}
		word, rest, _ := strings.Cut(t, " ")
		switch word {
		case "set":
			name, val, _ := strings.Cut(rest, ":=")
			if strings.TrimSpace(name) == "shell" {
				j.shell = strings.Trim(strings.TrimSpace(val), "[]")
				first, _, _ := strings.Cut(j.shell, ",")
				if sh := strings.Trim(strings.TrimSpace(first), `'"`); !isShell(baseName(sh)) {
					j.unsupported = "set shell := " + strings.TrimSpace(val)
					return
				}
			}
			continue
		case "alias":
			name, target, ok := strings.Cut(rest, ":=")
			if ok {
				j.aliases[strings.TrimSpace(name)] = strings.TrimSpace(target)
			}
			continue
		case "export":
			t = rest
		case "import", "import?":
			p := j.eval(rest, nil)
			if strings.Contains(p, UnknownMark) {
				j.unsupported = "an import guard cannot resolve"
				return
			}
			data, exists, why := j.rd.h.File(resolve(j.dir, p))
			switch {
			case why != "":
				j.unsupported = "it imports " + why
				return
			case exists:
				j.parse(data)
			case word == "import":
				j.unsupported = "it imports " + p + ", which does not exist"
				return
			}
			continue
		case "mod", "mod?":
			continue // modules: "just mod::recipe" is unknown
		}
		if name, expr, ok := strings.Cut(t, ":="); ok && isName(strings.ReplaceAll(strings.TrimSpace(name), "-", "_")) {
			if _, set := j.vars[strings.TrimSpace(name)]; !set {
				j.vars[strings.TrimSpace(name)] = j.eval(expr, nil)
			}
			continue
		}
		r, ok := parseJustHeader(t)
		if !ok {
			j.unsupported = "a line just would not take at line " + strconv.Itoa(i+1)
			return
		}
		r.line = i + 1
		for i+1 < len(lines) {
			next := strings.TrimRight(lines[i+1], "\r")
			if next != "" && next[0] != ' ' && next[0] != '\t' {
				break
			}
			i++
			if strings.TrimSpace(next) == "" {
				continue
			}
			r.body = append(r.body, makeLine{text: next, line: i + 1})
		}
		r.body = dedent(r.body)
		if j.first == "" {
			j.first = r.name
		}
		j.recipes[r.name] = r
	}
}

// dedent removes the indentation of the first line from every line.
func dedent(ls []makeLine) []makeLine {
	if len(ls) == 0 {
		return ls
	}
	first := ls[0].text
	ind := first[:len(first)-len(strings.TrimLeft(first, " \t"))]
	for i := range ls {
		ls[i].text = strings.TrimPrefix(ls[i].text, ind)
	}
	return ls
}

// parseJustHeader reads "@name param='x' +rest: dep (dep2 arg) && after".
func parseJustHeader(t string) (*justRecipe, bool) {
	colon := -1
	quote := byte(0)
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ':' && (i+1 == len(t) || t[i+1] != '='):
			colon = i
		}
		if colon >= 0 {
			break
		}
	}
	if colon < 0 {
		return nil, false
	}
	head := strings.Fields(t[:colon])
	if len(head) == 0 {
		return nil, false
	}
	r := &justRecipe{name: strings.TrimPrefix(head[0], "@")}
	if !isName(strings.ReplaceAll(r.name, "-", "_")) {
		return nil, false
	}
	for _, p := range head[1:] {
		jp := justParam{}
		p = strings.TrimLeft(p, "$")
		if strings.HasPrefix(p, "+") || strings.HasPrefix(p, "*") {
			jp.variadic = true
			p = strings.TrimLeft(p[1:], "$")
		}
		name, def, has := strings.Cut(p, "=")
		jp.name, jp.hasDef = name, has
		jp.def = strings.Trim(def, `'"`)
		r.params = append(r.params, jp)
	}
	deps := t[colon+1:]
	before, after, _ := strings.Cut(deps, "&&")
	r.deps = justDeps(before)
	r.after = justDeps(after)
	return r, true
}

// justDeps reads "a (b 'x') c": the names of dependencies.
func justDeps(s string) []string {
	var out []string
	for _, f := range strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s)) {
		if f == "(" || f == ")" || strings.HasPrefix(f, "'") || strings.HasPrefix(f, "\"") || strings.HasSuffix(f, "'") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// eval evaluates a just expression: string literals, variables and
// parameters joined by + or /, a few functions; backticks run their
// command (judged) and give unknown text. Anything else is unknown.
func (j *justfile) eval(expr string, params map[string]string) string {
	expr = strings.TrimSpace(expr)
	var b strings.Builder
	for expr != "" {
		var part string
		switch c := expr[0]; {
		case strings.HasPrefix(expr, "'''") || strings.HasPrefix(expr, `"""`):
			end := strings.Index(expr[3:], expr[:3])
			if end < 0 {
				return UnknownMark
			}
			part, expr = expr[3:3+end], expr[6+end:]
		case c == '\'':
			end := strings.IndexByte(expr[1:], '\'')
			if end < 0 {
				return UnknownMark
			}
			part, expr = expr[1:1+end], expr[2+end:]
		case c == '"':
			end := 1
			for end < len(expr) && expr[end] != '"' {
				if expr[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(expr) {
				return UnknownMark
			}
			if s, err := strconv.Unquote(expr[:end+1]); err == nil {
				part = s
			} else {
				part = UnknownMark
			}
			expr = expr[end+1:]
		case c == '`':
			end := strings.IndexByte(expr[1:], '`')
			if end < 0 {
				return UnknownMark
			}
			j.rd.recipe("just: backtick ("+j.file+")", expr[1:1+end], j.dir)
			part, expr = UnknownMark, expr[2+end:]
		default:
			n := 0
			for n < len(expr) && (isName(expr[n:n+1]) || expr[n] == '-' || n > 0 && expr[n] >= '0' && expr[n] <= '9') {
				n++
			}
			if n == 0 {
				return UnknownMark
			}
			name := expr[:n]
			expr = strings.TrimLeft(expr[n:], " \t")
			if strings.HasPrefix(expr, "(") {
				end := strings.IndexByte(expr, ')')
				if end < 0 {
					return UnknownMark
				}
				part = j.call(name, expr[1:end])
				expr = expr[end+1:]
			} else if v, ok := params[name]; ok {
				part = v
			} else if v, ok := j.vars[name]; ok {
				part = v
			} else {
				return UnknownMark
			}
		}
		b.WriteString(part)
		expr = strings.TrimSpace(expr)
		switch {
		case expr == "":
		case expr[0] == '+':
			expr = strings.TrimSpace(expr[1:])
		case expr[0] == '/':
			b.WriteByte('/')
			expr = strings.TrimSpace(expr[1:])
		default:
			return UnknownMark
		}
	}
	return b.String()
}

// call evaluates the just functions guard knows.
func (j *justfile) call(name, args string) string {
	switch name {
	case "justfile_directory", "justfile_dir", "source_directory", "invocation_directory":
		return j.dir
	case "home_directory", "home_dir":
		if h := j.rd.h.Home(); h != "" {
			return h
		}
		return UnknownMark
	case "env_var", "env":
		first, def, hasDef := strings.Cut(args, ",")
		v, set := j.rd.h.Lookup(strings.Trim(strings.TrimSpace(first), `'"`))
		if !set && hasDef {
			return strings.Trim(strings.TrimSpace(def), `'"`)
		}
		return v
	case "arch", "os", "os_family", "num_cpus":
		return "x"
	}
	return UnknownMark
}

// run yields recipe r with its arguments, its dependencies first.
func (j *justfile) run(r *justRecipe, args []string, link string, seen map[string]bool, depth int) {
	if seen[r.name] || depth > 32 || j.rd.stopped() {
		return
	}
	seen[r.name] = true
	for _, d := range r.deps {
		if dr, ok := j.recipes[d]; ok {
			j.run(dr, nil, link+": "+d, seen, depth+1)
		}
	}
	params := map[string]string{}
	for i, p := range r.params {
		switch {
		case p.variadic && i < len(args):
			params[p.name] = strings.Join(args[i:], " ")
		case i < len(args):
			params[p.name] = args[i]
		case p.hasDef:
			params[p.name] = j.eval("'"+p.def+"'", nil)
		default:
			params[p.name] = ""
		}
	}
	if len(r.body) > 0 {
		at := link + " (" + j.file + " line " + strconv.Itoa(r.body[0].line) + ")"
		if strings.HasPrefix(r.body[0].text, "#!") {
			j.shebang(r, params, at)
		} else {
			for k := 0; k < len(r.body); k++ {
				text := r.body[k].text
				line := r.body[k].line
				for strings.HasSuffix(text, "\\") && k+1 < len(r.body) {
					k++
					text = text[:len(text)-1] + " " + strings.TrimSpace(r.body[k].text)
				}
				cmd, _ := recipePrefix(j.interpolate(text, params))
				j.rd.recipe(link+" ("+j.file+" line "+strconv.Itoa(line)+")", cmd, j.dir)
			}
		}
	}
	for _, d := range r.after {
		if dr, ok := j.recipes[d]; ok {
			j.run(dr, nil, link+": "+d, seen, depth+1)
		}
	}
}

// shebang yields a recipe that runs as a script: a shell's is shell
// code; an interpreter's is handed to it as a one-liner, which the
// interpreter packs read; any other program is unknown.
func (j *justfile) shebang(r *justRecipe, params map[string]string, link string) {
	fields := strings.Fields(r.body[0].text[2:])
	if len(fields) > 0 && baseName(fields[0]) == "env" {
		fields = fields[1:]
		for len(fields) > 0 && strings.HasPrefix(fields[0], "-") {
			fields = fields[1:]
		}
	}
	var body []string
	for _, l := range r.body[1:] {
		body = append(body, j.interpolate(l.text, params))
	}
	src := strings.Join(body, "\n")
	if len(fields) == 0 {
		j.rd.recipe(link, src, j.dir)
		return
	}
	prog := baseName(fields[0])
	flag := map[string]string{"node": "-e", "ruby": "-e", "perl": "-e", "php": "-r", "bun": "-e", "deno": "eval"}[prog]
	switch {
	case isShell(prog):
		j.rd.recipe(link, src, j.dir)
	case strings.HasPrefix(prog, "python"):
		j.rd.recipe(link, prog+" -c "+quote(src), j.dir)
	case flag != "":
		j.rd.recipe(link, prog+" "+flag+" "+quote(src), j.dir)
	default:
		j.rd.emit(Step{Link: link, Unknown: "the recipe runs as a " + prog + " script, which guard cannot check", Detached: true})
	}
}

// interpolate replaces {{expr}} in a recipe line; {{{{ is a literal {{.
func (j *justfile) interpolate(s string, params map[string]string) string {
	return expandBraces(s, true, func(expr string) string { return j.eval(expr, params) })
}

// expandBraces replaces each {{expr}} in s by what value makes of expr; an
// unclosed one makes the rest unknown. With quadEscape, {{{{ is a literal
// {{ (just's escape).
func expandBraces(s string, quadEscape bool, value func(expr string) string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if quadEscape && strings.HasPrefix(s[i:], "{{{{") {
			b.WriteString("{{")
			s = s[i+4:]
			continue
		}
		end := strings.Index(s[i:], "}}")
		if end < 0 {
			b.WriteString(UnknownMark)
			return b.String()
		}
		b.WriteString(value(s[i+2 : i+end]))
		s = s[i+end+2:]
	}
}
