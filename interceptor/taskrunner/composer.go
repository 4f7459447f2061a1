package taskrunner

import (
	"path"
	"strings"
)

// composer and deno: scripts of composer.json and tasks of deno.json.

// composerEvents are the scripts composer runs around its own commands.
func composerEvents(sub string) []string {
	switch sub {
	case "install", "i":
		return []string{"pre-install-cmd", "post-install-cmd", "pre-autoload-dump", "post-autoload-dump"}
	case "update", "u", "upgrade":
		return []string{"pre-update-cmd", "post-update-cmd", "pre-autoload-dump", "post-autoload-dump"}
	case "dump-autoload", "dumpautoload":
		return []string{"pre-autoload-dump", "post-autoload-dump"}
	case "require", "remove":
		return []string{"pre-update-cmd", "post-update-cmd", "pre-autoload-dump", "post-autoload-dump"}
	case "test":
		return []string{"test"}
	}
	return nil
}

// composerBuiltin reports whether sub is one of composer's own commands.
func composerBuiltin(sub string) bool {
	switch sub {
	case "about", "archive", "audit", "browse", "home", "bump", "check-platform-reqs", "clear-cache", "clearcache", "cc",
		"config", "create-project", "depends", "why", "diagnose", "dump-autoload", "dumpautoload", "exec", "fund", "global",
		"help", "init", "install", "i", "licenses", "list", "outdated", "prohibits", "why-not", "reinstall", "remove", "rm",
		"require", "r", "run-script", "run", "search", "self-update", "selfupdate", "show", "info", "status", "suggests",
		"update", "u", "upgrade", "validate":
		return true
	}
	return false
}

// composer follows the scripts of composer.json a composer command runs.
func (rd *reader) composer() {
	dir := rd.c.Cwd
	var ops []Arg
	noScripts := false
	for i := 0; i < len(rd.c.Args); i++ {
		v := rd.c.Args[i].Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case name == "-d" || name == "--working-dir":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			dir = resolve(rd.c.Cwd, val)
		case v == "--no-scripts":
			noScripts = true
		case v == "--" || strings.HasPrefix(v, "-") && len(ops) == 0:
		default:
			ops = append(ops, rd.c.Args[i])
		}
	}
	if len(ops) == 0 || dir == "" || noScripts {
		return
	}
	sub := ops[0].Value
	var scripts []string
	args := ops[1:]
	switch {
	case sub == "run-script" || sub == "run":
		if len(ops) < 2 {
			return
		}
		scripts, args = []string{ops[1].Value}, ops[2:]
	case composerEvents(sub) != nil:
		scripts, args = composerEvents(sub), nil
	case !composerBuiltin(sub):
		scripts = []string{sub} // a script is a command of its own
	default:
		return
	}
	link := "composer " + strings.Join(values(ops[:min(len(ops), 2)]), " ")
	if sub != "run-script" && sub != "run" {
		link = "composer " + sub
	}
	file := path.Join(dir, "composer.json")
	data, exists, why := rd.h.File(file)
	if why != "" {
		rd.unknown(link, "composer runs scripts of "+why)
		return
	}
	if !exists {
		return
	}
	docs, err := rd.jsonDocs(file, data, false)
	if err != nil {
		rd.unknown(link, "composer runs scripts of "+where(file, rd.c.Cwd)+", which cannot be parsed ("+err.Error()+")")
		return
	}
	for _, s := range scripts {
		for _, doc := range docs {
			rd.composerScript(doc, s, link, file, dir, quotedArgs(args), 0)
		}
	}
}

// composerScript yields one script: a string or a list of them, each
// a shell command, "@php …", "@composer …", "@putenv …" or "@other" (a
// script of its own). A PHP callback (Vendor\Class::method) runs code of
// a package, which is not followed, as running a program is not.
func (rd *reader) composerScript(doc *jsonNode, name, link, file, dir, extra string, depth int) {
	v := doc.get("scripts").get(name)
	if v == nil || depth > 16 {
		return
	}
	entries := []*jsonNode{v}
	if v.kind == 'a' {
		entries = v.items
	}
	for _, e := range entries {
		if e.kind != 's' {
			continue
		}
		cmd := strings.TrimSpace(e.str)
		at := link + " (" + lineRef(file, rd.c.Cwd, e.line) + ")"
		switch {
		case strings.HasPrefix(cmd, "@php "):
			rd.recipe(at, "php "+cmd[5:]+extra, dir)
		case strings.HasPrefix(cmd, "@composer "):
			rd.recipe(at, "composer "+cmd[10:]+extra, dir)
		case strings.HasPrefix(cmd, "@putenv "):
		case strings.HasPrefix(cmd, "@"):
			rd.composerScript(doc, strings.Fields(cmd[1:] + " x")[0], link+": "+cmd[1:], file, dir, extra, depth+1)
		case !strings.ContainsAny(cmd, " \t") && strings.Contains(cmd, "::"):
			// a PHP callback
		default:
			rd.recipe(at, cmd+extra, dir)
		}
	}
}

// deno follows "deno task NAME": a task of deno.json or deno.jsonc (a
// string, or {command, dependencies}), or else the package.json script,
// run by deno's shell, which reads as sh.
func (rd *reader) deno() {
	args := rd.c.Args
	if len(args) == 0 || args[0].Value != "task" {
		return
	}
	dir, config := rd.c.Cwd, ""
	var ops []Arg
	for i := 1; i < len(args); i++ {
		v := args[i].Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case name == "--cwd" || name == "-c" || name == "--config":
			if !eq && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			if name == "--cwd" {
				dir = resolve(rd.c.Cwd, val)
			} else {
				config = resolve(rd.c.Cwd, val)
			}
		case strings.HasPrefix(v, "-") && len(ops) == 0:
		default:
			ops = append(ops, args[i])
		}
	}
	if len(ops) == 0 || dir == "" {
		return // lists the tasks
	}
	name := ops[0].Value
	link := "deno task " + ops[0].String()
	if ops[0].Unknown {
		rd.unknown(link, "deno task runs a task whose name cannot be known")
		return
	}
	extra := quotedArgs(ops[1:])
	files := []string{config}
	if config == "" {
		files = nil
		for d := dir; ; d = path.Dir(d) {
			files = append(files, path.Join(d, "deno.json"), path.Join(d, "deno.jsonc"))
			if d == "/" {
				break
			}
		}
	}
	for _, f := range files {
		data, exists, why := rd.h.File(f)
		if why != "" {
			rd.unknown(link, "deno task reads "+why)
			return
		}
		if !exists {
			continue
		}
		docs, err := rd.jsonDocs(f, data, true)
		if err != nil {
			rd.unknown(link, "deno task reads "+where(f, rd.c.Cwd)+", which cannot be parsed ("+err.Error()+")")
			return
		}
		found := false
		for _, doc := range docs {
			if doc.get("tasks").get(name) != nil {
				found = true
				rd.denoTask(doc, name, link, f, path.Dir(f), extra, map[string]bool{})
			}
		}
		if found {
			return
		}
		break // the nearest config file is the one deno uses
	}
	// No such task: deno runs the package.json script of that name.
	c := npmCall{sub: "run", ops: ops, dir: dir, ignore: true}
	r, _ := npmScripts("npm", c)
	r.link = link
	root, pkg, data, why := rd.findPackage(dir)
	if why != "" {
		rd.unknown(link, "deno task runs a script of "+why)
		return
	}
	if pkg != "" {
		rd.npmRun(r, root, pkg, data)
	}
}

// denoTask yields one deno task, its dependencies first.
func (rd *reader) denoTask(doc *jsonNode, name, link, file, dir, extra string, seen map[string]bool) {
	t := doc.get("tasks").get(name)
	if t == nil || seen[name] || len(seen) > 64 {
		return
	}
	seen[name] = true
	cmd := t
	if t.kind == 'o' {
		deps := t.get("dependencies")
		if deps == nil {
			deps = &jsonNode{}
		}
		for _, d := range deps.items {
			if d.kind == 's' {
				rd.denoTask(doc, d.str, link+": "+d.str, file, dir, "", seen)
			}
		}
		cmd = t.get("command")
	}
	if cmd == nil {
		return
	}
	if cmd.kind != 's' {
		rd.unknown(link, "the deno task "+name+" is written in a form guard does not read ("+lineRef(file, rd.c.Cwd, t.line)+")")
		return
	}
	rd.recipe(link+" ("+lineRef(file, rd.c.Cwd, cmd.line)+")", cmd.str+extra, dir)
}
