package interceptor

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Task runners run the commands a project file names: "npm run nuke" runs
// the "nuke" script of package.json, "make reset-db" the recipe of the
// Makefile's reset-db target. What such a command does is what its file
// says, so the analysis reads the file (through Context.FS, as the command
// line leaves it: see written.go) and analyses the recipe as the shell code
// the runner hands to sh, with the link — the runner command and where the
// recipe stands ("npm run nuke (package.json line 9)") — in
// Invocation.Chain. A file that exists but cannot be read or parsed, or a
// target whose recipe cannot be found in a file that may hold it, is
// unknown; a runner that finds no file or no such target runs nothing.
// Nothing is ever executed: "make -n" is not used to list recipes, since it
// runs $(shell …) itself.

// maxRunnerFile is the largest runner file read (package.json, Makefile…).
const maxRunnerFile = 1 << 20

// taskRunner follows the recipes a task runner command runs. It is called
// after the runner's own invocation was emitted.
func (w *walker) taskRunner(inv Invocation, st *state) {
	if inv.Remote != "" {
		return
	}
	switch inv.Name {
	case "npm", "yarn", "pnpm", "bun":
		w.npm(inv, st)
	case "make", "gmake":
		w.make(inv, st)
	case "just":
		w.just(inv, st)
	case "task", "go-task":
		w.goTask(inv, st)
	case "composer":
		w.composer(inv, st)
	case "deno":
		w.deno(inv, st)
	case "rake":
		w.rake(inv, st)
	case "poe":
		w.poe(inv, st)
	case "pdm":
		w.pdm(inv, inv.Args, st)
	case "turbo", "lerna", "nx":
		w.monorepo(inv, st)
	case "npx", "pnpx", "bunx":
		// "npx turbo run build": the monorepo runner, as installed.
		args := inv.Args
		for len(args) > 0 && strings.HasPrefix(args[0].Value, "-") {
			if v := args[0].Value; (v == "-p" || v == "--package") && len(args) > 1 {
				args = args[1:]
			}
			args = args[1:]
		}
		if len(args) > 0 && (args[0].Value == "turbo" || args[0].Value == "nx" || args[0].Value == "lerna") {
			run := inv
			run.Name, run.Path, run.Args = args[0].Value, args[0].Value, args[1:]
			w.monorepo(run, st)
		}
	}
	if n := len(inv.Wrappers); n > 0 && inv.Wrappers[n-1] == "pdm" {
		// "pdm run NAME": the script NAME when pyproject.toml has one.
		w.pdm(inv, append([]Word{{Value: "run"}, {Value: inv.Path}}, inv.Args...), st)
	}
}

// runnerFile reads a task runner's file at the absolute path p as the
// command line leaves it. exists is false when there is no such file (the
// runner then finds nothing); why is set when the file exists but cannot be
// read whole.
func (w *walker) runnerFile(p string) (data string, exists bool, why string) {
	if p == "" {
		return "", false, "in a directory that cannot be known"
	}
	c, fi, missing := w.runnerCached(p)
	if missing {
		return "", false, ""
	}
	if c != nil {
		if w.a.rec != nil {
			w.a.rec.spoiled = true // the analysis depends on another file
		}
		if !w.a.spend(len(c.data)) {
			return "", true, p + " is too large to check"
		}
		return c.data, true, ""
	}
	s := w.readFile(Word{Value: p}, &state{})
	if s.Known {
		if len(s.Data) > maxRunnerFile {
			return "", true, p + " is too large to check"
		}
		if fi != nil {
			w.a.runners.put(p, fi, s.Data)
		}
		return s.Data, true, ""
	}
	if _, ok := w.a.written[p]; ok {
		return "", true, strings.TrimPrefix(s.From, "file ")
	}
	if _, err := w.a.ctx.FS.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return "", false, ""
	}
	return "", true, p + " cannot be read to check it"
}

// runnerCache keeps the runner files an Analyzer read from disk, with
// what was parsed from them, while they stay as they were: a session checks
// "npm test" again and again. A file the command line writes is never
// taken from it, and files of an FS without modification times are not
// kept.
type runnerCache struct {
	files map[string]*runnerCached
}

// runnerCached is one file kept, with its size and modification time.
type runnerCached struct {
	size int64
	mod  time.Time
	data string
	// docs is the file parsed as JSON, once parsed.
	docs []*jsonNode
	// makefile is the file read as a makefile in dir, when that
	// depended on nothing but its text (makefile.go).
	makefile *parsedMakefile
	dir      string
}

// maxRunnerCache bounds the files kept.
const maxRunnerCache = 256

// runnerCached returns the kept copy of the file at p when it is still
// the file on disk, or else the file's description when the file may be
// kept once read (nil when not). missing reports a file that neither
// exists nor is written by the command line.
func (w *walker) runnerCached(p string) (c *runnerCached, fi fs.FileInfo, missing bool) {
	if w.a.runners == nil || len(w.a.copies) > 0 {
		return nil, nil, false
	}
	if _, ok := w.a.written[p]; ok {
		return nil, nil, false
	}
	fi, err := w.a.ctx.FS.Stat(p)
	if err != nil {
		return nil, nil, errors.Is(err, fs.ErrNotExist)
	}
	if !fi.Mode().IsRegular() || fi.ModTime().IsZero() || fi.Size() > maxRunnerFile {
		return nil, nil, false
	}
	if c := w.a.runners.files[p]; c != nil && c.size == fi.Size() && c.mod.Equal(fi.ModTime()) {
		return c, nil, false
	}
	return nil, fi, false
}

// put keeps the file at p, read as data.
func (c *runnerCache) put(p string, fi fs.FileInfo, data string) {
	if int64(len(data)) != fi.Size() {
		return // changed while read
	}
	if c.files == nil || len(c.files) >= maxRunnerCache {
		c.files = map[string]*runnerCached{}
	}
	c.files[p] = &runnerCached{size: fi.Size(), mod: fi.ModTime(), data: data}
}

// jsonDocs parses a runner file read from p as JSON documents, from the
// cache when the same content was parsed before.
func (w *walker) jsonDocs(p, data string, comments bool) ([]*jsonNode, error) {
	var c *runnerCached
	if w.a.runners != nil {
		c = w.a.runners.files[p]
	}
	if c != nil && c.docs != nil && c.data == data {
		return c.docs, nil
	}
	docs, err := parseJSONDocs([]byte(data), comments)
	if err == nil && c != nil && c.data == data {
		c.docs = docs
	}
	return docs, err
}

// runnerPart is one part of a runner file as it reads: what was on disk,
// or what the command line writes over it (see written.content).
type runnerPart struct {
	text string
	// label is added to the file's name in links.
	label string
}

// runnerParts splits the content of the runner file at p, as runnerFile
// returned it, into the file on disk and what the command line writes,
// so that each is read, and named, on its own.
func (w *walker) runnerParts(p, data string) []runnerPart {
	f, ok := w.a.written[p]
	if !ok || !f.known || data == f.data || !strings.HasSuffix(data, "\n"+f.data) {
		if ok {
			return []runnerPart{{text: data, label: " as the command line writes it"}}
		}
		return []runnerPart{{text: data}}
	}
	return []runnerPart{{text: data[:len(data)-len(f.data)-1]}, {text: f.data, label: " as the command line writes it"}}
}

// runnerUnknown reports that what a runner runs cannot be known.
func (w *walker) runnerUnknown(inv Invocation, st *state, link, why string) {
	n := st.nested(link)
	w.a.unknown(n, inv.Text, why)
}

// runRecipe analyses src, a recipe a task runner hands to the shell, in
// dir, reached through link. Text the runner's file computes and guard
// cannot know (make's $(shell …)) stands in src as UnknownMark; the words
// holding it are marked unknown.
func (w *walker) runRecipe(link, src, dir string, st *state) {
	// A recipe that runs its runner on itself again ("x: ; $(MAKE) x")
	// is followed once: its link is already in the chain.
	if slices.Contains(st.chain, link) {
		return
	}
	n := st.nested(link)
	n.funcs, n.lazy = nil, nil
	n.cwd = dir
	n.args = []string{"sh"}
	start := len(w.a.out)
	w.a.script(src, n)
	for i := start; i < len(w.a.out); i++ {
		markUnknownWords(&w.a.out[i])
	}
}

// markUnknownWords flags the words of inv whose value holds UnknownMark:
// literal text of a recipe carries none of the flags expansion sets.
func markUnknownWords(inv *Invocation) {
	// The source text is for people: what cannot be known shows as "…".
	inv.Text = strings.ReplaceAll(inv.Text, UnknownMark, "…")
	if strings.Contains(inv.Path, UnknownMark) && inv.Unknown == "" {
		inv.Unknown = "the command name is computed by the task runner's file (" + strings.ReplaceAll(inv.Path, UnknownMark, "…") + "), so what runs cannot be checked"
	}
	for i := range inv.Args {
		if strings.Contains(inv.Args[i].Value, UnknownMark) {
			inv.Args[i].Unknown = true
		}
	}
	for i := range inv.Redirects {
		if strings.Contains(inv.Redirects[i].Target.Value, UnknownMark) {
			inv.Redirects[i].Target.Unknown = true
		}
	}
}

// where names a file for a link: relative to dir when inside it.
func where(file, dir string) string {
	if rel, ok := strings.CutPrefix(file, dir+"/"); ok && dir != "" {
		return rel
	}
	if dir == "/" && strings.HasPrefix(file, "/") && len(file) > 1 {
		return file[1:]
	}
	return file
}

// lineRef is "FILE line N" for a link.
func lineRef(file, dir string, line int) string {
	return where(file, dir) + " line " + strconv.Itoa(line)
}

// recipeQuote quotes s for sh: the extra arguments runners append to a
// script ("npm run x -- a b").
func recipeQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// quotedArgs joins runner arguments into text appended to a script.
func quotedArgs(args []Word) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(recipeQuote(a.Value))
	}
	return b.String()
}

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
	ops    []Word // operands after the subcommand
	dir    string // --prefix, --cwd, -C, --dir
	ignore bool   // --ignore-scripts
	// workspace is the -w/--filter value; recursive is -ws/-r.
	workspace string
	recursive bool
}

// parseNpm reads a package manager's options and subcommand.
func parseNpm(inv Invocation) npmCall {
	c := npmCall{dir: inv.Cwd}
	valued := npmValued(inv.Name)
	args := inv.Args
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
			if !eq && contains(valued, name) && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			c.flag(inv, name, val)
			continue
		}
		c.sub = v
	}
	// Options may follow the subcommand too ("npm run x --if-present").
	var ops []Word
	for i := 0; i < len(c.ops); i++ {
		v := c.ops[i].Value
		if v == "--" {
			ops = append(ops, c.ops[i:]...)
			break
		}
		if strings.HasPrefix(v, "-") && len(v) > 1 && (len(ops) == 0 || inv.Name == "npm" || inv.Name == "pnpm") {
			name, val, eq := strings.Cut(v, "=")
			if !eq && contains(valued, name) && i+1 < len(c.ops) {
				i++
				val = c.ops[i].Value
			}
			c.flag(inv, name, val)
			if len(ops) > 0 && inv.Name != "npm" {
				ops = append(ops, c.ops[i])
			}
			continue
		}
		ops = append(ops, c.ops[i])
	}
	c.ops = ops
	return c
}

func (c *npmCall) flag(inv Invocation, name, val string) {
	switch name {
	case "--prefix", "--cwd", "-C", "--dir":
		c.dir = ResolvePath(inv.Cwd, val)
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
func (w *walker) npm(inv Invocation, st *state) {
	c := parseNpm(inv)
	if w.npmPkgSet(inv, c, st) {
		return
	}
	if inv.Name == "yarn" && c.sub == "workspace" && len(c.ops) > 1 {
		// "yarn workspace NAME SCRIPT": SCRIPT of the workspace NAME.
		c.workspace, c.sub, c.ops = c.ops[0].Value, c.ops[1].Value, c.ops[2:]
	}
	r, ok := npmScripts(inv.Name, c)
	if !ok {
		return
	}
	if r.unknown {
		w.runnerUnknown(inv, st, r.link, r.link+" runs a script whose name cannot be known")
		return
	}
	if c.dir == "" {
		// In a directory that cannot be known (a tmux pane, after cd
		// "$X") the file cannot be found: not followed, as a program
		// run there is not.
		return
	}
	root, pkg, data, why := w.findPackage(c.dir)
	if why != "" {
		w.runnerUnknown(inv, st, r.link, r.link+" runs scripts of "+why)
		return
	}
	if pkg == "" {
		return // no package.json: npm fails and runs nothing
	}
	if c.workspace != "" || c.recursive {
		w.npmWorkspaces(inv, r, c.workspace, c.recursive, root, st)
		return
	}
	w.npmRun(inv, r, root, pkg, data, st)
}

// npmRuns is what a package manager command runs: scripts in order, main
// the one it names, with args appended; link names the command.
type npmRuns struct {
	scripts []string
	main    string
	args    []Word
	link    string
	unknown bool
}

// npmScripts returns the scripts a package manager command runs; ok is
// false when it runs none. A script package.json does not have is not run.
func npmScripts(name string, c npmCall) (npmRuns, bool) {
	install := []string{"preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"}
	r := npmRuns{link: strings.TrimSpace(name + " " + c.sub)}
	run := func(s string, rest []Word) (npmRuns, bool) {
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
		r.scripts = install
		return r, true
	case "":
		if name == "yarn" && !c.ignore {
			r.scripts = install // "yarn" installs
			return r, true
		}
		return r, false
	case "install-test", "it":
		r.scripts = append(install, "pretest", "test", "posttest")
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
func (w *walker) findPackage(dir string) (root, pkg, data, why string) {
	for d := dir; ; d = path.Dir(d) {
		p := path.Join(d, "package.json")
		data, exists, why := w.runnerFile(p)
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

// npmRun analyses the scripts of the package.json at pkg that a command
// runs, each in the package's directory.
func (w *walker) npmRun(inv Invocation, r npmRuns, root, pkg, data string, st *state) {
	type doc struct {
		n     *jsonNode
		label string
	}
	var docs []doc
	for _, part := range w.runnerParts(pkg, data) {
		ds, err := w.jsonDocs(pkg, part.text, false)
		if err != nil {
			w.runnerUnknown(inv, st, r.link, r.link+" runs scripts of "+where(pkg, inv.Cwd)+part.label+", which cannot be parsed ("+err.Error()+")")
			return
		}
		for _, d := range ds {
			docs = append(docs, doc{d, part.label})
		}
	}
	edits := w.a.scriptEdits[pkg]
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
			w.npmScript(r.link+" ("+named+lineRef(pkg, inv.Cwd, v.line)+d.label+")", v.str+extra, root, st)
		}
		if e, ok := edits[s]; ok {
			w.npmScript(r.link+" ("+s+", as "+e.by+" sets it)", e.value+extra, root, st)
		}
	}
}

// npmScript analyses one script's text.
func (w *walker) npmScript(link, src, root string, st *state) {
	w.runRecipe(link, src, root, st)
}

// npmWorkspaces follows "npm run X -w DIR|NAME", "npm test -ws", "pnpm
// -r build" and "pnpm --filter NAME dev": the scripts of the workspaces
// they name (workspaces.go).
func (w *walker) npmWorkspaces(inv Invocation, r npmRuns, workspace string, recursive bool, root string, st *state) {
	if workspace != "" && !strings.ContainsAny(workspace, "*{!"+UnknownMark) {
		dir := ResolvePath(root, workspace)
		pkg := path.Join(dir, "package.json")
		data, exists, why := w.runnerFile(pkg)
		if why != "" {
			w.runnerUnknown(inv, st, r.link, r.link+" runs scripts of "+why)
			return
		}
		if exists {
			w.npmRun(inv, r, dir, pkg, data, st)
			return
		}
	}
	if strings.Contains(workspace, UnknownMark) {
		w.runnerUnknown(inv, st, r.link, r.link+" runs the scripts of a workspace whose name cannot be known")
		return
	}
	w.inWorkspaces(inv, r, workspace, root, st)
}

// scriptEdit is a script "npm pkg set scripts.NAME=VALUE" writes.
type scriptEdit struct {
	value string
	by    string
}

// npmPkgSet records the scripts "npm pkg set scripts.NAME=VALUE" and
// "npm set-script NAME VALUE" write into package.json, so that a script
// run later on the line is judged as it will be.
func (w *walker) npmPkgSet(inv Invocation, c npmCall, st *state) bool {
	if inv.Name != "npm" || c.dir == "" {
		return false
	}
	var sets [][2]Word
	switch {
	case c.sub == "pkg" && len(c.ops) > 1 && c.ops[0].Value == "set":
		for _, o := range c.ops[1:] {
			k, v, ok := strings.Cut(o.Value, "=")
			if name, isScript := strings.CutPrefix(k, "scripts."); ok && isScript {
				sets = append(sets, [2]Word{{Value: name}, {Value: v, Unknown: o.Unknown}})
			}
		}
	case c.sub == "set-script" && len(c.ops) == 2:
		sets = append(sets, [2]Word{c.ops[0], c.ops[1]})
	default:
		return false
	}
	_, pkg, _, _ := w.findPackage(c.dir)
	if pkg == "" {
		pkg = path.Join(c.dir, "package.json")
	}
	for _, s := range sets {
		if w.a.scriptEdits == nil {
			w.a.scriptEdits = map[string]map[string]scriptEdit{}
		}
		if w.a.scriptEdits[pkg] == nil {
			w.a.scriptEdits[pkg] = map[string]scriptEdit{}
		}
		v := s[1].Value
		if s[1].Unknown {
			v = UnknownMark
		}
		w.a.scriptEdits[pkg][s[0].Value] = scriptEdit{value: v, by: "npm " + c.sub}
	}
	return true
}
