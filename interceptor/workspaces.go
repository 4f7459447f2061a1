package interceptor

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// Workspaces: monorepo commands run a script in many packages at once —
// "npm test -ws", "pnpm -r build", "pnpm --filter web dev", "turbo run
// build", "lerna run test", "nx run-many -t build". The packages are listed
// from the root package.json's "workspaces", pnpm-workspace.yaml's
// "packages" or lerna.json's "packages": literal directories and one-level
// patterns ("packages/*"), read through an FS that can list directories.
// When they cannot be listed, what runs is unknown.

// dirLister is an FS that can list a directory.
type dirLister interface {
	ReadDir(name string) ([]fs.DirEntry, error)
}

// ReadDir lists a directory of the real filesystem.
func (OSFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// ReadDir lists the entries a MapFS holds under a directory.
func (m MapFS) ReadDir(name string) ([]fs.DirEntry, error) {
	prefix := strings.TrimSuffix(path.Clean(name), "/") + "/"
	seen := map[string]bool{}
	var out []fs.DirEntry
	for k := range m {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || rest == "" {
			continue
		}
		child, _, sub := strings.Cut(rest, "/")
		if seen[child] {
			continue
		}
		seen[child] = true
		out = append(out, fs.FileInfoToDirEntry(mapInfo{name: child, dir: sub}))
	}
	if len(out) == 0 {
		if _, err := m.Stat(name); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// workspace is one package of a monorepo.
type workspace struct {
	dir, name string
}

// maxWorkspaces bounds the packages followed.
const maxWorkspaces = 256

// workspaces lists the packages of the monorepo rooted at root, or says
// why they cannot be listed.
func (w *walker) workspaces(root string) ([]workspace, string) {
	var patterns []string
	data, exists, why := w.runnerFile(path.Join(root, "package.json"))
	if why != "" {
		return nil, why
	}
	if exists {
		if docs, err := w.jsonDocs(path.Join(root, "package.json"), data, false); err == nil {
			for _, d := range docs {
				ws := d.get("workspaces")
				if ws != nil && ws.kind == 'o' {
					ws = ws.get("packages")
				}
				if ws != nil {
					for _, it := range ws.items {
						patterns = append(patterns, it.str)
					}
				}
			}
		}
	}
	for _, f := range []string{"pnpm-workspace.yaml", "lerna.json"} {
		p := path.Join(root, f)
		data, exists, why := w.runnerFile(p)
		if why != "" {
			return nil, why
		}
		if !exists {
			continue
		}
		var items []string
		if f == "lerna.json" {
			docs, err := w.jsonDocs(p, data, false)
			if err != nil {
				return nil, where(p, root) + ", which cannot be parsed"
			}
			for _, d := range docs {
				if pk := d.get("packages"); pk != nil {
					for _, it := range pk.items {
						items = append(items, it.str)
					}
				}
			}
		} else {
			y, err := parseYAML(data)
			if err != nil {
				return nil, where(p, root) + ", which cannot be parsed (" + err.Error() + ")"
			}
			for _, it := range taskItems(y.get("packages")) {
				items = append(items, it.str)
			}
		}
		patterns = append(patterns, items...)
	}
	lister, canList := w.a.ctx.FS.(dirLister)
	var out []workspace
	for _, pat := range patterns {
		if strings.HasPrefix(pat, "!") {
			continue // an exclusion only ever judges less
		}
		pat = strings.TrimSuffix(strings.TrimPrefix(pat, "./"), "/")
		var dirs []string
		switch {
		case !hasGlob(pat):
			dirs = []string{path.Join(root, pat)}
		case strings.HasSuffix(pat, "/*") && !hasGlob(strings.TrimSuffix(pat, "/*")) && canList:
			parent := path.Join(root, strings.TrimSuffix(pat, "/*"))
			entries, err := lister.ReadDir(parent)
			if err != nil {
				continue
			}
			for _, e := range entries {
				if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
					dirs = append(dirs, path.Join(parent, e.Name()))
				}
			}
		default:
			return nil, "the workspaces " + pat + ", which guard cannot list"
		}
		for _, d := range dirs {
			p := path.Join(d, "package.json")
			data, exists, why := w.runnerFile(p)
			if why != "" {
				return nil, why
			}
			if !exists {
				continue
			}
			name := ""
			if docs, err := w.jsonDocs(p, data, false); err == nil {
				if n := docs[0].get("name"); n != nil {
					name = n.str
				}
			}
			out = append(out, workspace{dir: d, name: name})
			if len(out) > maxWorkspaces {
				return nil, "more workspaces than guard follows"
			}
		}
	}
	return out, ""
}

// inWorkspaces runs the scripts r names in the workspaces that match
// filter (a package name, a directory, or "" for all).
func (w *walker) inWorkspaces(inv Invocation, r npmRuns, filter, root string, st *state) {
	list, why := w.workspaces(root)
	if why != "" {
		w.runnerUnknown(inv, st, r.link, r.link+" runs the scripts of "+why)
		return
	}
	matched := false
	for _, ws := range list {
		if filter != "" && !workspaceMatch(filter, ws, root) {
			continue
		}
		matched = true
		pkg := path.Join(ws.dir, "package.json")
		data, _, why := w.runnerFile(pkg)
		if why != "" {
			w.runnerUnknown(inv, st, r.link, r.link+" runs scripts of "+why)
			return
		}
		w.npmRun(inv, r, ws.dir, pkg, data, st)
	}
	if !matched && filter != "" && strings.ContainsAny(filter, "*{}[]!.^") {
		w.runnerUnknown(inv, st, r.link, r.link+" runs the scripts of the workspaces "+filter+" selects, which guard cannot tell")
	}
}

// workspaceMatch reports whether a --filter or -w value names ws.
func workspaceMatch(filter string, ws workspace, root string) bool {
	if filter == ws.name || ResolvePath(root, filter) == ws.dir {
		return true
	}
	if ok, err := path.Match(filter, ws.name); err == nil && ok {
		return true
	}
	return false
}

// monorepo follows "turbo run TASK…", "turbo TASK", "lerna run SCRIPT"
// and nx's "run PROJECT:TARGET", "run-many -t T", "affected -t T" and
// "TARGET [PROJECT]": the package scripts of those names in the workspaces
// (narrowed by --filter, --scope or --projects), and for nx the commands of
// project.json targets run by nx:run-commands.
func (w *walker) monorepo(inv Invocation, st *state) {
	var ops, extra []Word
	filter := ""
	var targets []string
	for i := 0; i < len(inv.Args); i++ {
		a := inv.Args[i]
		v := a.Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case v == "--":
			extra = inv.Args[i+1:]
			i = len(inv.Args)
		case name == "--filter" || name == "-F" || name == "--scope" || name == "-p" || name == "--projects":
			if !eq && i+1 < len(inv.Args) {
				i++
				val = inv.Args[i].Value
			}
			filter = val
		case name == "-t" || name == "--target" || name == "--targets":
			if !eq && i+1 < len(inv.Args) {
				i++
				val = inv.Args[i].Value
			}
			targets = append(targets, strings.Split(val, ",")...)
		case strings.HasPrefix(v, "-"):
		default:
			ops = append(ops, a)
		}
	}
	if len(ops) == 0 || inv.Cwd == "" {
		return
	}
	sub := ops[0].Value
	project := ""
	switch inv.Name {
	case "turbo":
		switch sub {
		case "run", "watch":
			targets = values(ops[1:])
		case "prune", "login", "logout", "link", "unlink", "daemon", "gen", "generate", "ls", "info", "query", "bin",
			"telemetry", "scan", "completion", "boundaries", "devtools", "docs":
			return
		default:
			targets = values(ops)
		}
	case "lerna":
		if sub != "run" || len(ops) < 2 {
			return
		}
		targets = []string{ops[1].Value}
	case "nx":
		switch sub {
		case "run":
			if len(ops) < 2 {
				return
			}
			p, t, ok := strings.Cut(ops[1].Value, ":")
			if !ok {
				return
			}
			project, targets = p, []string{strings.Split(t, ":")[0]}
		case "run-many", "affected":
		case "graph", "show", "list", "report", "reset", "init", "add", "migrate", "format", "format:write", "format:check",
			"generate", "g", "daemon", "connect", "login", "logout", "repair", "sync", "sync:check", "release", "watch",
			"exec", "import", "view-logs", "configure-ai-agents", "mcp":
			return
		default:
			targets = []string{sub}
			if len(ops) > 1 {
				project = ops[1].Value
			}
		}
	}
	if len(targets) == 0 {
		return
	}
	link := strings.TrimSpace(inv.Name + " " + strings.Join(values(ops), " "))
	for _, t := range targets {
		if strings.Contains(t, UnknownMark) || strings.Contains(project+filter, UnknownMark) {
			w.runnerUnknown(inv, st, link, link+" runs a task whose name cannot be known")
			return
		}
	}
	root, pkg, _, why := w.findPackage(inv.Cwd)
	if why != "" {
		w.runnerUnknown(inv, st, link, link+" reads "+why)
		return
	}
	if pkg == "" {
		root = inv.Cwd
	}
	if project != "" {
		filter = project
	}
	for _, t := range targets {
		r := npmRuns{scripts: []string{t}, main: t, args: extra, link: link}
		if inv.Name == "nx" {
			w.nxTargets(inv, r, filter, root, st)
			continue
		}
		w.inWorkspaces(inv, r, filter, root, st)
	}
}

// nxTargets runs target r.main of the nx projects: project.json's
// nx:run-commands commands, or else the package.json script.
func (w *walker) nxTargets(inv Invocation, r npmRuns, filter, root string, st *state) {
	list, why := w.workspaces(root)
	if why != "" {
		w.runnerUnknown(inv, st, r.link, r.link+" runs the targets of "+why)
		return
	}
	if lister, ok := w.a.ctx.FS.(dirLister); ok {
		for _, parent := range []string{"apps", "libs", "packages"} {
			entries, _ := lister.ReadDir(path.Join(root, parent))
			for _, e := range entries {
				d := path.Join(root, parent, e.Name())
				if e.IsDir() && !slices.ContainsFunc(list, func(ws workspace) bool { return ws.dir == d }) {
					list = append(list, workspace{dir: d, name: e.Name()})
				}
			}
		}
	}
	list = append(list, workspace{dir: root})
	for _, ws := range list {
		pj := path.Join(ws.dir, "project.json")
		data, exists, why := w.runnerFile(pj)
		if why != "" {
			w.runnerUnknown(inv, st, r.link, r.link+" reads "+why)
			return
		}
		var target *jsonNode
		if exists {
			docs, err := w.jsonDocs(pj, data, true)
			if err != nil {
				w.runnerUnknown(inv, st, r.link, r.link+" reads "+where(pj, inv.Cwd)+", which cannot be parsed")
				return
			}
			if n := docs[0].get("name"); n != nil && n.kind == 's' {
				ws.name = n.str
			}
			target = docs[0].get("targets").get(r.main)
		}
		if ws.name == "" {
			ws.name = path.Base(ws.dir)
		}
		if filter != "" && !workspaceMatch(filter, ws, root) {
			continue
		}
		if target != nil {
			w.nxCommands(inv, r, target, pj, ws.dir, root, st)
			continue
		}
		pkg := path.Join(ws.dir, "package.json")
		if data, exists, why := w.runnerFile(pkg); why == "" && exists {
			w.npmRun(inv, r, ws.dir, pkg, data, st)
		}
	}
}

// nxCommands analyses the commands of an nx target: "command" or
// "commands" of its options (nx:run-commands). Other executors run a
// plugin's code, which is not followed, as running a program is not.
func (w *walker) nxCommands(inv Invocation, r npmRuns, target *jsonNode, file, dir, root string, st *state) {
	opts := target.get("options")
	cwd := root
	if c := opts.get("cwd"); c != nil && c.kind == 's' {
		cwd = ResolvePath(root, c.str)
	}
	var cmds []*jsonNode
	if c := target.get("command"); c != nil {
		cmds = append(cmds, c)
	}
	if c := opts.get("command"); c != nil {
		cmds = append(cmds, c)
	}
	if c := opts.get("commands"); c != nil {
		for _, it := range c.items {
			if it.kind == 'o' {
				it = it.get("command")
			}
			if it != nil {
				cmds = append(cmds, it)
			}
		}
	}
	for _, c := range cmds {
		if c.kind == 's' {
			w.runRecipe(r.link+" ("+lineRef(file, inv.Cwd, c.line)+")", c.str+quotedArgs(r.args), cwd, st)
		}
	}
}
