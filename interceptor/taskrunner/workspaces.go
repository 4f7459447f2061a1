package taskrunner

import (
	"errors"
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

// workspace is one package of a monorepo.
type workspace struct {
	dir, name string
}

// maxWorkspaces bounds the packages followed.
const maxWorkspaces = 256

// workspaces lists the packages of the monorepo rooted at root, or says
// why they cannot be listed.
func (rd *reader) workspaces(root string) ([]workspace, string) {
	var patterns []string
	data, exists, why := rd.h.File(path.Join(root, "package.json"))
	if why != "" {
		return nil, why
	}
	if exists {
		if docs, err := rd.jsonDocs(path.Join(root, "package.json"), data, false); err == nil {
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
		data, exists, why := rd.h.File(p)
		if why != "" {
			return nil, why
		}
		if !exists {
			continue
		}
		var items []string
		if f == "lerna.json" {
			docs, err := rd.jsonDocs(p, data, false)
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
		case strings.HasSuffix(pat, "/*") && !hasGlob(strings.TrimSuffix(pat, "/*")):
			parent := path.Join(root, strings.TrimSuffix(pat, "/*"))
			entries, err := rd.h.ReadDir(parent)
			if errors.Is(err, errors.ErrUnsupported) {
				return nil, "the workspaces " + pat + ", which guard cannot list"
			}
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
			data, exists, why := rd.h.File(p)
			if why != "" {
				return nil, why
			}
			if !exists {
				continue
			}
			name := ""
			if docs, err := rd.jsonDocs(p, data, false); err == nil {
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
func (rd *reader) inWorkspaces(r npmRuns, filter, root string) {
	list, why := rd.workspaces(root)
	if why != "" {
		rd.unknown(r.link, r.link+" runs the scripts of "+why)
		return
	}
	matched := false
	for _, ws := range list {
		if filter != "" && !workspaceMatch(filter, ws, root) {
			continue
		}
		matched = true
		pkg := path.Join(ws.dir, "package.json")
		data, _, why := rd.h.File(pkg)
		if why != "" {
			rd.unknown(r.link, r.link+" runs scripts of "+why)
			return
		}
		rd.npmRun(r, ws.dir, pkg, data)
	}
	if !matched && filter != "" && strings.ContainsAny(filter, "*{}[]!.^") {
		rd.unknown(r.link, r.link+" runs the scripts of the workspaces "+filter+" selects, which guard cannot tell")
	}
}

// workspaceMatch reports whether a --filter or -w value names ws.
func workspaceMatch(filter string, ws workspace, root string) bool {
	if filter == ws.name || resolve(root, filter) == ws.dir {
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
func (rd *reader) monorepo(cmd Command) {
	var ops, extra []Arg
	filter := ""
	var targets []string
	for i := 0; i < len(cmd.Args); i++ {
		a := cmd.Args[i]
		v := a.Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case v == "--":
			extra = cmd.Args[i+1:]
			i = len(cmd.Args)
		case name == "--filter" || name == "-F" || name == "--scope" || name == "-p" || name == "--projects":
			if !eq && i+1 < len(cmd.Args) {
				i++
				val = cmd.Args[i].Value
			}
			filter = val
		case name == "-t" || name == "--target" || name == "--targets":
			if !eq && i+1 < len(cmd.Args) {
				i++
				val = cmd.Args[i].Value
			}
			targets = append(targets, strings.Split(val, ",")...)
		case strings.HasPrefix(v, "-"):
		default:
			ops = append(ops, a)
		}
	}
	if len(ops) == 0 || cmd.Cwd == "" {
		return
	}
	sub := ops[0].Value
	project := ""
	switch cmd.Name {
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
	link := strings.TrimSpace(cmd.Name + " " + strings.Join(values(ops), " "))
	for _, t := range targets {
		if strings.Contains(t, UnknownMark) || strings.Contains(project+filter, UnknownMark) {
			rd.unknown(link, link+" runs a task whose name cannot be known")
			return
		}
	}
	root, pkg, _, why := rd.findPackage(cmd.Cwd)
	if why != "" {
		rd.unknown(link, link+" reads "+why)
		return
	}
	if pkg == "" {
		root = cmd.Cwd
	}
	if project != "" {
		filter = project
	}
	for _, t := range targets {
		r := npmRuns{scripts: []string{t}, main: t, args: extra, link: link}
		if cmd.Name == "nx" {
			rd.nxTargets(r, filter, root)
			continue
		}
		rd.inWorkspaces(r, filter, root)
	}
}

// nxTargets runs target r.main of the nx projects: project.json's
// nx:run-commands commands, or else the package.json script.
func (rd *reader) nxTargets(r npmRuns, filter, root string) {
	list, why := rd.workspaces(root)
	if why != "" {
		rd.unknown(r.link, r.link+" runs the targets of "+why)
		return
	}
	for _, parent := range []string{"apps", "libs", "packages"} {
		entries, _ := rd.h.ReadDir(path.Join(root, parent))
		for _, e := range entries {
			d := path.Join(root, parent, e.Name())
			if e.IsDir() && !slices.ContainsFunc(list, func(ws workspace) bool { return ws.dir == d }) {
				list = append(list, workspace{dir: d, name: e.Name()})
			}
		}
	}
	list = append(list, workspace{dir: root})
	for _, ws := range list {
		pj := path.Join(ws.dir, "project.json")
		data, exists, why := rd.h.File(pj)
		if why != "" {
			rd.unknown(r.link, r.link+" reads "+why)
			return
		}
		var target *jsonNode
		if exists {
			docs, err := rd.jsonDocs(pj, data, true)
			if err != nil {
				rd.unknown(r.link, r.link+" reads "+where(pj, rd.c.Cwd)+", which cannot be parsed")
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
			rd.nxCommands(r, target, pj, ws.dir, root)
			continue
		}
		pkg := path.Join(ws.dir, "package.json")
		if data, exists, why := rd.h.File(pkg); why == "" && exists {
			rd.npmRun(r, ws.dir, pkg, data)
		}
	}
}

// nxCommands yields the commands of an nx target: "command" or
// "commands" of its options (nx:run-commands). Other executors run a
// plugin's code, which is not followed, as running a program is not.
func (rd *reader) nxCommands(r npmRuns, target *jsonNode, file, dir, root string) {
	opts := target.get("options")
	cwd := root
	if c := opts.get("cwd"); c != nil && c.kind == 's' {
		cwd = resolve(root, c.str)
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
			rd.recipe(r.link+" ("+lineRef(file, rd.c.Cwd, c.line)+")", c.str+quotedArgs(r.args), cwd)
		}
	}
}
