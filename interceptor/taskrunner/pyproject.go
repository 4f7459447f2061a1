package taskrunner

import (
	"path"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// poe and pdm: the tasks of pyproject.toml's [tool.poe.tasks] and the
// scripts of [tool.pdm.scripts] that name commands (cmd, shell, a string,
// sequences and composites of them). Tasks that call Python (script,
// expr, call) run the project's code, which is not followed, as running a
// program is not. [project.scripts] names Python entry points, not
// commands: nothing there is shell code.

// pyproject is a pyproject.toml read.
type pyproject struct {
	file string // for links
	raw  string
	data map[string]any
	dir  string
}

// findPyproject returns the nearest pyproject.toml up from dir, parsed;
// nil when there is none; why when it cannot be read.
func (rd *reader) findPyproject(dir, cwd string) (*pyproject, string) {
	for d := dir; d != ""; d = path.Dir(d) {
		p := path.Join(d, "pyproject.toml")
		data, exists, why := rd.h.File(p)
		if why != "" {
			return nil, why
		}
		if exists {
			var m map[string]any
			if _, err := toml.Decode(data, &m); err != nil {
				return nil, where(p, cwd) + ", which cannot be parsed (" + err.Error() + ")"
			}
			return &pyproject{file: where(p, cwd), raw: data, data: m, dir: d}, ""
		}
		if d == "/" {
			break
		}
	}
	return nil, ""
}

// table returns the table at a dotted path.
func (p *pyproject) table(keys ...string) map[string]any {
	m := p.data
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// line returns the line where key of the table at keys is defined, 0
// when it cannot be found: "key = …" under "[table]", or "[table.key]".
func (p *pyproject) line(key string, keys ...string) int {
	table := strings.Join(keys, ".")
	current := ""
	for i, l := range strings.Split(p.raw, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			h := strings.Trim(strings.TrimSpace(strings.SplitN(t, "#", 2)[0]), "[]")
			h = strings.ReplaceAll(strings.ReplaceAll(h, `"`, ""), " ", "")
			current = h
			if h == table+"."+key {
				return i + 1
			}
			continue
		}
		if current != table {
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"'`) == key {
			return i + 1
		}
	}
	return 0
}

// at names where a task stands, for a link.
func (p *pyproject) at(key string, keys ...string) string {
	if n := p.line(key, keys...); n > 0 {
		return p.file + " line " + strconv.Itoa(n)
	}
	return p.file
}

// poe follows "poe TASK [ARGS]".
func (rd *reader) poe() {
	dir := rd.c.Cwd
	var ops []Arg
	for i := 0; i < len(rd.c.Args); i++ {
		v := rd.c.Args[i].Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case len(ops) > 0:
			ops = append(ops, rd.c.Args[i])
		case name == "-C" || name == "--directory" || name == "--root":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			dir = resolve(rd.c.Cwd, val)
		case v == "-d" || v == "--dry-run" || v == "-h" || v == "--help" || v == "--version":
			return
		case strings.HasPrefix(v, "-"):
		default:
			ops = append(ops, rd.c.Args[i])
		}
	}
	if len(ops) == 0 || dir == "" {
		return
	}
	link := "poe " + ops[0].String()
	if ops[0].Unknown {
		rd.unknown(link, "poe runs a task whose name cannot be known")
		return
	}
	p, why := rd.findPyproject(dir, rd.c.Cwd)
	if why != "" {
		rd.unknown(link, "poe reads "+why)
		return
	}
	if p == nil {
		return
	}
	rd.poeTask(p, ops[0].Value, quotedArgs(ops[1:]), link, 0)
}

// poeTask yields one poe task.
func (rd *reader) poeTask(p *pyproject, name, extra, link string, depth int) {
	tasks := p.table("tool", "poe", "tasks")
	t, ok := tasks[name]
	if !ok || depth > 16 {
		return
	}
	at := link + " (" + p.at(name, "tool", "poe", "tasks") + ")"
	rd.poeValue(p, t, extra, link, at, depth)
}

// poeValue yields a task definition: a command string, a sequence, or
// a table naming its kind.
func (rd *reader) poeValue(p *pyproject, t any, extra, link, at string, depth int) {
	switch v := t.(type) {
	case string:
		rd.recipe(at, v+extra, p.dir)
	case []any:
		for _, item := range v {
			if s, ok := item.(string); ok {
				if _, isTask := p.table("tool", "poe", "tasks")[s]; isTask {
					rd.poeTask(p, s, "", link+": "+s, depth+1)
					continue
				}
			}
			rd.poeValue(p, item, "", link, at, depth+1)
		}
	case map[string]any:
		for _, d := range anyStrings(v["deps"]) {
			name, args, _ := strings.Cut(d, " ")
			rd.poeTask(p, name, " "+args, link+": "+name, depth+1)
		}
		dir := p.dir
		if cwd, ok := v["cwd"].(string); ok {
			dir = resolve(p.dir, cwd)
		}
		switch {
		case v["cmd"] != nil:
			if s, ok := v["cmd"].(string); ok {
				rd.recipe(at, s+extra, dir)
			} else {
				rd.unknown(at, "the poe task's cmd is not a string")
			}
		case v["shell"] != nil:
			s, ok := v["shell"].(string)
			interp, _ := v["interpreter"].(string)
			switch {
			case !ok:
				rd.unknown(at, "the poe task's shell is not a string")
			case interp == "" || isShell(interp) || interp == "posix":
				rd.recipe(at, s, dir)
			case strings.HasPrefix(interp, "python"):
				rd.recipe(at, "python3 -c "+quote(s), dir)
			default:
				rd.unknown(at, "the poe task runs its shell code with "+interp+", which guard cannot check")
			}
		case v["ref"] != nil:
			s, _ := v["ref"].(string)
			name, args, _ := strings.Cut(s, " ")
			rd.poeTask(p, name, " "+args+extra, link+": "+name, depth+1)
		case v["sequence"] != nil:
			rd.poeValue(p, v["sequence"], "", link, at, depth+1)
		case v["script"] != nil, v["expr"] != nil:
			// Python code of the project: a program.
		case v["switch"] != nil:
			rd.unknown(at, "the poe task is a switch, which guard does not follow")
		}
	}
}

// anyStrings returns the strings of a TOML array.
func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pdm follows "pdm run NAME" and "pdm NAME" (a script when pyproject.toml
// has one of that name), with its pre_ and post_ hooks.
func (rd *reader) pdm(args []Arg) {
	dir := rd.c.Cwd
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "-p" || v == "--project" {
			if i+1 < len(args) {
				dir = resolve(rd.c.Cwd, args[i+1].Value)
			}
			i++
			continue
		}
		if !strings.HasPrefix(v, "-") {
			break
		}
	}
	if i >= len(args) || dir == "" {
		return
	}
	sub := args[i].Value
	rest := args[i+1:]
	if sub == "run" {
		for len(rest) > 0 && strings.HasPrefix(rest[0].Value, "-") {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return
		}
		sub, rest = rest[0].Value, rest[1:]
	}
	p, why := rd.findPyproject(dir, rd.c.Cwd)
	link := "pdm run " + sub
	if why != "" {
		rd.unknown(link, "pdm reads "+why)
		return
	}
	if p == nil {
		return
	}
	scripts := p.table("tool", "pdm", "scripts")
	if _, ok := scripts[sub]; !ok {
		return // a program, or a pdm command
	}
	for _, s := range []string{"pre_" + sub, sub, "post_" + sub} {
		extra := ""
		if s == sub {
			extra = quotedArgs(rest)
		}
		rd.pdmScript(p, s, extra, link, 0)
	}
}

// pdmScript yields one pdm script.
func (rd *reader) pdmScript(p *pyproject, name, extra, link string, depth int) {
	scripts := p.table("tool", "pdm", "scripts")
	t, ok := scripts[name]
	if !ok || depth > 16 {
		return
	}
	at := link + " (" + p.at(name, "tool", "pdm", "scripts") + ")"
	cmd := func(c any) {
		switch v := c.(type) {
		case string:
			rd.recipe(at, v+extra, p.dir)
		case []any:
			rd.recipe(at, strings.Join(quoteAll(anyStrings(v)), " ")+extra, p.dir)
		}
	}
	switch v := t.(type) {
	case string:
		cmd(v)
	case map[string]any:
		switch {
		case v["cmd"] != nil:
			cmd(v["cmd"])
		case v["shell"] != nil:
			if s, ok := v["shell"].(string); ok {
				rd.recipe(at, s+extra, p.dir)
			}
		case v["composite"] != nil:
			for _, c := range anyStrings(v["composite"]) {
				n, args, _ := strings.Cut(c, " ")
				if _, isScript := scripts[n]; isScript {
					rd.pdmScript(p, n, " "+args, link+": "+n, depth+1)
				} else {
					rd.recipe(at, c, p.dir)
				}
			}
		case v["call"] != nil:
			// Python code of the project: a program.
		}
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}
