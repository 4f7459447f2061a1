package taskrunner

import (
	"path"
	"strconv"
	"strings"
)

// task (go-task): the commands "task NAME" runs, read from Taskfile.yml
// (yamlmini.go): a task's cmds, its deps first, the tasks its cmds call,
// its preconditions and status checks (commands too), and the commands of
// dynamic variables ({sh: CMD}), whose output is unknown. {{.VAR}} is
// replaced by the variable's value when it is a plain string.

// taskfile is one Taskfile read.
type taskfile struct {
	rd    *reader
	file  string // for links
	dir   string
	root  *yamlNode
	vars  map[string]string
	depth int
}

// taskFileNames are the names go-task looks for, in each directory up.
func taskFileNames() []string {
	return []string{"Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "taskfile.dist.yml", "Taskfile.dist.yaml", "taskfile.dist.yaml"}
}

// goTask follows the tasks a task command runs.
func (rd *reader) goTask() {
	if rd.c.Cwd == "" {
		return
	}
	file, dir := "", rd.c.Cwd
	var names []string
	vars := map[string]string{}
	cliArgs := ""
	for i := 0; i < len(rd.c.Args); i++ {
		a := rd.c.Args[i]
		v := a.Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case v == "--":
			cliArgs = quotedArgs(rd.c.Args[i+1:])
			i = len(rd.c.Args)
		case name == "-t" || name == "--taskfile" || name == "-d" || name == "--dir":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			if name == "-t" || name == "--taskfile" {
				file = resolve(rd.c.Cwd, val)
			} else {
				dir = resolve(rd.c.Cwd, val)
			}
		case v == "-l" || v == "--list" || v == "-a" || v == "--list-all" || v == "--summary" || v == "-h" || v == "--help" ||
			v == "--version" || v == "-i" || v == "--init" || v == "-n" || v == "--dry" || v == "--status":
			return
		case name == "-o" || name == "--output" || name == "-C" || name == "--concurrency" || name == "-I" || name == "--interval":
			if !eq {
				i++
			}
		case strings.HasPrefix(v, "-"):
		case a.Unknown:
			rd.unknown("task", "task is given a task name that cannot be known ("+a.String()+")")
			return
		case eq && isName(name):
			vars[name] = val
		default:
			names = append(names, v)
		}
	}
	link := "task " + strings.Join(names, " ")
	if file == "" {
		for d := dir; d != ""; d = path.Dir(d) {
			for _, n := range taskFileNames() {
				if _, exists, why := rd.h.File(path.Join(d, n)); exists || why != "" {
					file = path.Join(d, n)
					break
				}
			}
			if file != "" || d == "/" {
				break
			}
		}
	}
	if file == "" {
		return // no Taskfile: task fails (or it is another program named task)
	}
	tf, why := rd.loadTaskfile(file, rd.c.Cwd)
	if why != "" {
		rd.unknown(link, "task reads "+why)
		return
	}
	vars["CLI_ARGS"] = strings.TrimPrefix(cliArgs, " ")
	tf.globalVars(vars)
	if len(names) == 0 {
		names = []string{"default"}
	}
	seen := map[string]bool{}
	for _, n := range names {
		tf.run(n, "task "+n, seen, nil)
	}
}

// loadTaskfile reads and parses a Taskfile.
func (rd *reader) loadTaskfile(file, cwd string) (*taskfile, string) {
	data, exists, why := rd.h.File(file)
	if why != "" {
		return nil, why
	}
	if !exists {
		return nil, where(file, cwd) + ", which does not exist"
	}
	root, err := parseYAML(data)
	if err != nil {
		return nil, where(file, cwd) + ", which cannot be parsed (" + err.Error() + ")"
	}
	if root.kind != 'm' {
		return nil, where(file, cwd) + ", which is not a Taskfile"
	}
	return &taskfile{rd: rd, file: where(file, cwd), dir: path.Dir(file), root: root, vars: map[string]string{}}, ""
}

// globalVars evaluates the Taskfile's vars; cli wins over them.
func (t *taskfile) globalVars(cli map[string]string) {
	t.vars["ROOT_DIR"], t.vars["TASKFILE_DIR"], t.vars["USER_WORKING_DIR"] = t.dir, t.dir, t.dir
	for _, sect := range []string{"env", "vars"} {
		m := t.root.get(sect)
		if m == nil || m.kind != 'm' {
			continue
		}
		for i, k := range m.keys {
			t.vars[k] = t.varValue(m.vals[i], "task: vars."+k)
		}
	}
	for k, v := range cli {
		t.vars[k] = v
	}
}

// varValue evaluates a variable: a string, or the unknown output of a
// command {sh: CMD}, which is judged.
func (t *taskfile) varValue(v *yamlNode, link string) string {
	switch {
	case v.kind == 'v':
		return t.template(v.str)
	case v.kind == 'm' && v.get("sh") != nil:
		t.rd.recipe(link+" ("+t.file+" line "+strconv.Itoa(v.line)+")", t.template(v.get("sh").str), t.dir)
	}
	return UnknownMark
}

// template replaces {{.NAME}} by the variable's value; any other template
// action is unknown text.
func (t *taskfile) template(s string) string {
	return expandBraces(s, false, func(expr string) string {
		action := strings.TrimSpace(strings.Trim(expr, "-"))
		if v, ok := t.vars[strings.TrimPrefix(action, ".")]; ok && strings.HasPrefix(action, ".") && isName(action[1:]) {
			return v
		}
		return UnknownMark
	})
}

// run yields task name: deps, then cmds; a name "ns:task" of an
// included Taskfile is followed into it.
func (t *taskfile) run(name, link string, seen map[string]bool, vars map[string]string) {
	if seen[t.file+":"+name] || t.depth > 16 || t.rd.stopped() {
		return
	}
	seen[t.file+":"+name] = true
	task := t.root.get("tasks").get(name)
	if task == nil {
		t.included(name, link, seen, vars)
		return
	}
	saved := t.vars
	if len(vars) > 0 || task.get("vars") != nil {
		t.vars = map[string]string{}
		for k, v := range saved {
			t.vars[k] = v
		}
		for k, v := range vars {
			t.vars[k] = v
		}
		if tv := task.get("vars"); tv != nil && tv.kind == 'm' {
			for i, k := range tv.keys {
				if _, cli := vars[k]; !cli {
					t.vars[k] = t.varValue(tv.vals[i], link+": vars."+k)
				}
			}
		}
	}
	defer func() { t.vars = saved }()
	dir := t.dir
	if d := task.get("dir"); d != nil && d.kind == 'v' && d.str != "" {
		dir = resolve(t.dir, t.template(d.str))
	}
	var cmds *yamlNode
	switch task.kind {
	case 'v':
		t.cmd(task, link, dir)
		return
	case 's':
		cmds = task
	case 'm':
		for _, d := range taskItems(task.get("deps")) {
			if d.kind == 'v' {
				t.run(t.template(d.str), link+": "+d.str, seen, nil)
			} else if tn := d.get("task"); tn != nil {
				t.run(t.template(tn.str), link+": "+tn.str, seen, taskVars(d))
			}
		}
		for _, p := range taskItems(task.get("preconditions")) {
			if p.kind == 'v' {
				t.cmd(p, link+": precondition", dir)
			} else if sh := p.get("sh"); sh != nil {
				t.cmd(sh, link+": precondition", dir)
			}
		}
		for _, s := range taskItems(task.get("status")) {
			t.cmd(s, link+": status", dir)
		}
		cmds = task.get("cmds")
		if c := task.get("cmd"); c != nil {
			t.cmd(c, link, dir)
		}
	}
	for _, c := range taskItems(cmds) {
		switch {
		case c.kind == 'v':
			t.cmd(c, link, dir)
		case c.kind == 'm' && c.get("task") != nil:
			tn := c.get("task").str
			t.run(t.template(tn), link+": "+tn, seen, taskVars(c))
		case c.kind == 'm' && c.get("cmd") != nil:
			t.cmd(c.get("cmd"), link, dir)
		case c.kind == 'm' && c.get("defer") != nil:
			d := c.get("defer")
			if d.kind == 'v' {
				t.cmd(d, link, dir)
			} else if tn := d.get("task"); tn != nil {
				t.run(t.template(tn.str), link+": "+tn.str, seen, taskVars(d))
			}
		default:
			t.rd.unknown(link, link+" runs a command written in a form guard does not read ("+t.file+" line "+strconv.Itoa(c.line)+")")
		}
	}
}

// taskItems returns the items of a sequence (a scalar is one item).
func taskItems(n *yamlNode) []*yamlNode {
	switch {
	case n == nil:
		return nil
	case n.kind == 's':
		return n.items
	case n.kind == 'v' && n.str != "":
		return []*yamlNode{n}
	}
	return nil
}

// taskVars returns the plain vars a task call passes.
func taskVars(c *yamlNode) map[string]string {
	v := c.get("vars")
	if v == nil || v.kind != 'm' {
		return nil
	}
	out := map[string]string{}
	for i, k := range v.keys {
		out[k] = UnknownMark
		if v.vals[i].kind == 'v' {
			out[k] = v.vals[i].str
		}
	}
	return out
}

// cmd yields one command of a task, with the Taskfile's env in its
// environment.
func (t *taskfile) cmd(c *yamlNode, link, dir string) {
	if c.kind != 'v' || strings.TrimSpace(c.str) == "" {
		return
	}
	var vars []Var
	if env := t.root.get("env"); env != nil && env.kind == 'm' {
		for i, k := range env.keys {
			if isName(k) {
				v := UnknownMark
				if env.vals[i].kind == 'v' {
					v = t.template(env.vals[i].str)
				}
				vars = append(vars, Var{k, v})
			}
		}
	}
	t.rd.recipeEnv(link+" ("+t.file+" line "+strconv.Itoa(c.line)+")", t.template(c.str), dir, vars)
}

// included follows "ns:task" into the Taskfile included as ns.
func (t *taskfile) included(name, link string, seen map[string]bool, vars map[string]string) {
	ns, rest, ok := strings.Cut(name, ":")
	inc := t.root.get("includes").get(ns)
	if !ok || inc == nil {
		return // no such task: task fails
	}
	p := ""
	switch {
	case inc.kind == 'v':
		p = inc.str
	case inc.get("taskfile") != nil:
		p = inc.get("taskfile").str
	}
	p = resolve(t.dir, t.template(p))
	if p == "" {
		t.rd.unknown(link, "task includes "+ns+" from a path guard cannot resolve")
		return
	}
	if fi, err := t.rd.h.Stat(p); err == nil && fi.IsDir() {
		for _, n := range taskFileNames() {
			if _, exists, _ := t.rd.h.File(path.Join(p, n)); exists {
				p = path.Join(p, n)
				break
			}
		}
	}
	sub, why := t.rd.loadTaskfile(p, t.dir)
	if why != "" {
		t.rd.unknown(link, "task includes "+why)
		return
	}
	sub.depth = t.depth + 1
	// Included tasks run in the including Taskfile's directory unless
	// the include says otherwise.
	sub.dir = t.dir
	if d := inc.get("dir"); d != nil && d.kind == 'v' {
		sub.dir = resolve(t.dir, t.template(d.str))
	}
	sub.globalVars(nil)
	for k, v := range t.vars {
		if _, own := sub.vars[k]; !own {
			sub.vars[k] = v
		}
	}
	sub.run(rest, link, seen, vars)
}
