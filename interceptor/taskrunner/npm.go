package taskrunner

import (
	"path"
	"slices"
	"strings"
)

// ---- package.json: npm, yarn, pnpm, bun ----

// npmValued returns the options of npm, yarn, pnpm and bun that take a value.
func npmValued(name string) []string {
	switch name {
	case "npm":
		return []string{"-w", "--workspace", "--prefix", "--loglevel", "--registry", "--cache", "--userconfig", "--script-shell", "--tag", "--otp"}
	case "yarn":
		return []string{"--cwd", "--modules-folder", "--cache-folder", "--registry", "--network-timeout", "--mutex", "--link-folder", "--global-folder"}
	case "pnpm":
		return []string{"-C", "--dir", "-F", "--filter", "--workspace-dir", "--reporter", "--loglevel", "--registry", "--store-dir", "--config"}
	case "bun":
		return []string{"--cwd", "-c", "--config", "--filter", "-F", "--registry", "--cache-dir", "--bun-version"}
	}
	return nil
}

// npmCall is a package manager command read from its arguments.
type npmCall struct {
	sub    string
	ops    []Arg  // operands after the subcommand
	dir    string // --prefix, --cwd, -C, --dir
	ignore bool   // --ignore-scripts
	// workspace is the -w/--filter value; recursive is -ws/-r.
	workspace string
	recursive bool
}

// parseNpm reads a package manager's options and subcommand.
func parseNpm(cmd Command) npmCall {
	c := npmCall{dir: cmd.Cwd}
	valued := npmValued(cmd.Name)
	args := cmd.Args
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if c.sub != "" {
			c.ops = append(c.ops, args[i])
			continue
		}
		if v == "--" {
			continue
		}
		if strings.HasPrefix(v, "-") && len(v) > 1 {
			name, val, eq := strings.Cut(v, "=")
			if !eq && slices.Contains(valued, name) && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			c.flag(cmd, name, val)
			continue
		}
		c.sub = v
	}
	// Options may follow the subcommand too ("npm run x --if-present").
	var ops []Arg
	for i := 0; i < len(c.ops); i++ {
		v := c.ops[i].Value
		if v == "--" {
			ops = append(ops, c.ops[i:]...)
			break
		}
		if strings.HasPrefix(v, "-") && len(v) > 1 && (len(ops) == 0 || cmd.Name == "npm" || cmd.Name == "pnpm") {
			name, val, eq := strings.Cut(v, "=")
			if !eq && slices.Contains(valued, name) && i+1 < len(c.ops) {
				i++
				val = c.ops[i].Value
			}
			c.flag(cmd, name, val)
			if len(ops) > 0 && cmd.Name != "npm" {
				ops = append(ops, c.ops[i])
			}
			continue
		}
		ops = append(ops, c.ops[i])
	}
	c.ops = ops
	return c
}

func (c *npmCall) flag(cmd Command, name, val string) {
	switch name {
	case "--prefix", "--cwd", "-C", "--dir":
		c.dir = resolve(cmd.Cwd, val)
	case "--ignore-scripts":
		c.ignore = true
	case "-w", "--workspace", "-F", "--filter":
		c.workspace = val
	case "-r", "--recursive", "-ws", "--workspaces":
		c.recursive = true
	}
}

// npm follows the package.json scripts a package manager runs: "npm run
// NAME" and its shorthands (test, start, stop, restart; yarn, pnpm and bun
// take a script's name as the command), with the pre and post scripts npm
// runs around it, and the root package's lifecycle scripts of an install.
func (rd *reader) npm() {
	c := parseNpm(rd.c)
	if rd.npmPkgSet(c) {
		return
	}
	if rd.c.Name == "yarn" && c.sub == "workspace" && len(c.ops) > 1 {
		// "yarn workspace NAME SCRIPT": SCRIPT of the workspace NAME.
		c.workspace, c.sub, c.ops = c.ops[0].Value, c.ops[1].Value, c.ops[2:]
	}
	r, ok := npmScripts(rd.c.Name, c)
	if !ok {
		return
	}
	if r.unknown {
		rd.unknown(r.link, r.link+" runs a script whose name cannot be known")
		return
	}
	if c.dir == "" {
		// In a directory that cannot be known (a tmux pane, after cd
		// "$X") the file cannot be found: not followed, as a program
		// run there is not.
		return
	}
	root, pkg, data, why := rd.findPackage(c.dir)
	if why != "" {
		rd.unknown(r.link, r.link+" runs scripts of "+why)
		return
	}
	if pkg == "" {
		return // no package.json: npm fails and runs nothing
	}
	if c.workspace != "" || c.recursive {
		rd.npmWorkspaces(r, c.workspace, c.recursive, root)
		return
	}
	rd.npmRun(r, root, pkg, data)
}

// npmRuns is what a package manager command runs: scripts in order, main
// the one it names, with args appended; link names the command.
type npmRuns struct {
	scripts []string
	main    string
	args    []Arg
	link    string
	unknown bool
}

// npmInstall returns the lifecycle scripts of an install, in the order npm
// runs them. (A function: most commands run no install, and a slice made
// for each call would cost them an allocation.)
func npmInstall() []string {
	return []string{"preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"}
}

// npmScripts returns the scripts a package manager command runs; ok is
// false when it runs none. A script package.json does not have is not run.
func npmScripts(name string, c npmCall) (npmRuns, bool) {
	r := npmRuns{link: strings.TrimSpace(name + " " + c.sub)}
	run := func(s string, rest []Arg) (npmRuns, bool) {
		if len(rest) > 0 && rest[0].Value == "--" {
			rest = rest[1:]
		}
		r.main, r.args = s, rest
		r.scripts = []string{s}
		if !c.ignore {
			r.scripts = []string{"pre" + s, s, "post" + s}
		}
		return r, true
	}
	switch c.sub {
	case "run", "run-script", "rum", "urn":
		if len(c.ops) == 0 {
			return r, false // lists the scripts
		}
		r.link += " " + c.ops[0].String()
		if c.ops[0].Unknown {
			r.unknown = true
			return r, true
		}
		return run(c.ops[0].Value, c.ops[1:])
	case "test", "t", "tst", "start", "stop", "restart":
		s := c.sub
		if s == "t" || s == "tst" {
			s = "test"
		}
		if name == "bun" && s == "test" {
			return r, false // bun's own test runner
		}
		if s == "restart" {
			r.main = "restart"
			r.scripts = []string{"prerestart", "restart", "postrestart", "prestop", "stop", "poststop", "prestart", "start", "poststart"}
			return r, true
		}
		return run(s, c.ops)
	case "install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "ci", "clean-install", "ic", "install-clean", "isntall-clean":
		if c.ignore || len(c.ops) > 0 && name != "yarn" {
			return r, false // installing packages runs theirs, not the project's
		}
		r.scripts = npmInstall()
		return r, true
	case "":
		if name == "yarn" && !c.ignore {
			r.scripts = npmInstall() // "yarn" installs
			return r, true
		}
		return r, false
	case "install-test", "it":
		r.scripts = append(npmInstall(), "pretest", "test", "posttest")
		return r, !c.ignore
	case "pack", "publish":
		r.scripts = []string{"prepublishOnly", "prepack", "prepare", "postpack", "publish", "postpublish"}
		return r, !c.ignore
	}
	if name != "npm" && !pmBuiltin(name, c.sub) {
		return run(c.sub, c.ops) // yarn, pnpm and bun run a script named as the command
	}
	return r, false
}

// pmBuiltin reports whether sub is one of yarn's, pnpm's or bun's own
// commands rather than the name of a script.
func pmBuiltin(name, sub string) bool {
	switch sub {
	case "add", "remove", "rm", "upgrade", "up", "update", "info", "why", "list", "ls", "init", "config", "cache", "global",
		"workspace", "workspaces", "dlx", "exec", "x", "node", "set", "plugin", "version", "login", "logout",
		"link", "unlink", "audit", "outdated", "bin", "constraints", "explain", "npm", "patch", "patch-commit", "rebuild",
		"search", "stage", "unplug", "help", "create", "autoclean", "check", "import", "licenses", "owner", "policies", "tag",
		"team", "upgrade-interactive", "prune", "store", "root", "env", "setup", "deploy", "fetch", "recursive", "pm",
		"dedupe", "doctor", "self-update", "generate-lock-entry", "completion":
		return true
	case "build", "repl", "completions", "upgrade-all":
		return name == "bun"
	}
	return strings.HasPrefix(sub, "-") || strings.ContainsAny(sub, "/\\") || strings.Contains(sub, UnknownMark)
}

// findPackage returns the directory of the package.json npm uses from dir
// (the nearest one up the tree), its path and content, or why it cannot
// be read. pkg is "" when there is none.
func (rd *reader) findPackage(dir string) (root, pkg, data, why string) {
	for d := dir; ; d = path.Dir(d) {
		p := path.Join(d, "package.json")
		data, exists, why := rd.h.File(p)
		if why != "" {
			return "", "", "", why
		}
		if exists {
			return d, p, data, ""
		}
		if d == "/" || d == "." || d == "" {
			return "", "", "", ""
		}
	}
}

// npmRun yields the scripts of the package.json at pkg that a command
// runs, each in the package's directory.
func (rd *reader) npmRun(r npmRuns, root, pkg, data string) {
	type doc struct {
		n     *jsonNode
		label string
	}
	var docs []doc
	for _, part := range rd.h.Parts(pkg, data) {
		ds, err := rd.jsonDocs(pkg, part.Text, false)
		if err != nil {
			rd.unknown(r.link, r.link+" runs scripts of "+where(pkg, rd.c.Cwd)+part.Label+", which cannot be parsed ("+err.Error()+")")
			return
		}
		for _, d := range ds {
			docs = append(docs, doc{d, part.Label})
		}
	}
	edits := rd.c.Edits.of(pkg)
	for _, s := range r.scripts {
		extra, named := "", ""
		if s == r.main {
			extra = quotedArgs(r.args)
		} else {
			named = s + ", "
		}
		for _, d := range docs {
			v := d.n.get("scripts").get(s)
			if v == nil || v.kind != 's' {
				continue
			}
			rd.npmScript(r.link+" ("+named+lineRef(pkg, rd.c.Cwd, v.line)+d.label+")", v.str+extra, root)
		}
		if e, ok := edits[s]; ok {
			rd.npmScript(r.link+" ("+s+", as "+e.by+" sets it)", e.value+extra, root)
		}
	}
}

// npmScript yields one script's text.
func (rd *reader) npmScript(link, src, root string) {
	rd.recipe(link, src, root)
}

// npmWorkspaces follows "npm run X -w DIR|NAME", "npm test -ws", "pnpm
// -r build" and "pnpm --filter NAME dev": the scripts of the workspaces
// they name (workspaces.go).
func (rd *reader) npmWorkspaces(r npmRuns, workspace string, recursive bool, root string) {
	if workspace != "" && !strings.ContainsAny(workspace, "*{!"+UnknownMark) {
		dir := resolve(root, workspace)
		pkg := path.Join(dir, "package.json")
		data, exists, why := rd.h.File(pkg)
		if why != "" {
			rd.unknown(r.link, r.link+" runs scripts of "+why)
			return
		}
		if exists {
			rd.npmRun(r, dir, pkg, data)
			return
		}
	}
	if strings.Contains(workspace, UnknownMark) {
		rd.unknown(r.link, r.link+" runs the scripts of a workspace whose name cannot be known")
		return
	}
	rd.inWorkspaces(r, workspace, root)
}

// Edits holds the package.json scripts the commands of one command line
// write ("npm pkg set scripts.NAME=VALUE"), so that a script run later on
// the line is judged as it will be. The zero value holds none.
type Edits struct {
	// scripts holds the scripts written, by package.json path and name.
	scripts map[string]map[string]scriptEdit
}

// of returns the scripts written into the package.json at pkg.
func (e *Edits) of(pkg string) map[string]scriptEdit {
	if e == nil {
		return nil
	}
	return e.scripts[pkg]
}

// set records a script written into the package.json at pkg.
func (e *Edits) set(pkg, name string, s scriptEdit) {
	if e == nil {
		return
	}
	if e.scripts == nil {
		e.scripts = map[string]map[string]scriptEdit{}
	}
	if e.scripts[pkg] == nil {
		e.scripts[pkg] = map[string]scriptEdit{}
	}
	e.scripts[pkg][name] = s
}

// scriptEdit is a script "npm pkg set scripts.NAME=VALUE" writes.
type scriptEdit struct {
	value string
	by    string
}

// npmPkgSet records the scripts "npm pkg set scripts.NAME=VALUE" and
// "npm set-script NAME VALUE" write into package.json, so that a script
// run later on the line is judged as it will be.
func (rd *reader) npmPkgSet(c npmCall) bool {
	if rd.c.Name != "npm" || c.dir == "" {
		return false
	}
	var sets [][2]Arg
	switch {
	case c.sub == "pkg" && len(c.ops) > 1 && c.ops[0].Value == "set":
		for _, o := range c.ops[1:] {
			k, v, ok := strings.Cut(o.Value, "=")
			if name, isScript := strings.CutPrefix(k, "scripts."); ok && isScript {
				sets = append(sets, [2]Arg{{Value: name}, {Value: v, Unknown: o.Unknown}})
			}
		}
	case c.sub == "set-script" && len(c.ops) == 2:
		sets = append(sets, [2]Arg{c.ops[0], c.ops[1]})
	default:
		return false
	}
	_, pkg, _, _ := rd.findPackage(c.dir)
	if pkg == "" {
		pkg = path.Join(c.dir, "package.json")
	}
	for _, s := range sets {
		v := s[1].Value
		if s[1].Unknown {
			v = UnknownMark
		}
		rd.c.Edits.set(pkg, s[0].Value, scriptEdit{value: v, by: "npm " + c.sub})
	}
	return true
}
