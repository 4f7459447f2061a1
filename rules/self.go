package rules

import (
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// SelfPack returns the rules that keep guard in place: an agent that finds
// itself blocked must not be able to edit guard's config, delete its state
// and approvals, replace its binary, or approve its own commands.
//
// Anything that writes, deletes, moves away, truncates, edits, chmods or
// chowns guard's own files (World.GuardPaths and everything under them),
// or recursively deletes or moves a directory containing them, is denied.
// Reading them (cat, ls, grep, less, cp from them) is fine, and so is
// "guard check", except for guard's signing key (World.GuardKey), which
// nothing but guard may read (selfReadKey). A command guard does not know that is given one of
// guard's files, or a recursive copy or extraction over a directory that
// holds them, is confirmed. "guard approve" run as a command is denied:
// only a human approves, in their own terminal.
//
// Paths are judged as written and as the real paths their symbolic links
// reach (links.go): "rm -rf g/" with g -> ~/.config/guard is denied, and
// guard's paths reached through links of their own directories count
// under their real paths too. Making a link, a FIFO or a device, or
// renaming something, at guard's files or at a directory on their way
// (ln -s ~/evil ~/.config) is denied, so is a hard link that gives one of
// guard's files a second name, and so is making the project's
// .guard.toml a link, FIFO or device (guard would read another file
// there, or hang).
//
// Paths on a remote host (ssh, docker exec) are compared as written: an
// absolute path equal to one of guard's local paths is taken as guard's,
// since "ssh localhost" reaches this machine.
func SelfPack() *Pack {
	return &Pack{
		Name:  "self",
		Check: checkSelf,
		Rules: []Rule{
			{ID: "self.modify-guard", Default: Deny, Summary: "writes, deletes, moves, truncates, edits, chmods, chowns or links over guard's own config, state or binary (through links too), or makes the project's .guard.toml a link, FIFO or device"},
			{ID: "self.approve", Default: Deny, Summary: "guard approve run by the agent: only a human may approve, in their own terminal"},
			{ID: "self.may-modify-guard", Default: Confirm, Summary: "a command guard cannot read is given guard's own files, or copies, extracts or chmods a whole tree over a directory holding them"},
			{ID: "self.read-key", Default: Deny, Summary: "reads guard's signing key, with which approvals and cache entries could be forged"},
		},
	}
}

// checkSelf is the self pack's check.
func checkSelf(c *Call) {
	inv := c.Inv
	if inv.Name == "guard" && selfSubcommand(inv.Args) == "approve" {
		c.Report("self.approve", "runs `"+inv.Line()+"`: only a human may approve a command, in their own terminal")
		return
	}
	c.World.addRealGuardPaths()
	selfReadKey(c)
	for _, r := range inv.Redirects {
		if e, ok := fsRedirectEffect(r); ok {
			selfJudge(c, e)
		}
	}
	effects, known := c.fileEffects()
	for _, e := range effects {
		selfJudge(c, e)
	}
	if selfOutputs(c) || known || selfReader(inv.Name) || inv.Name == "" {
		return
	}
	for _, a := range inv.Args {
		for i, v := range selfArgPaths(a) {
			if i == 1 && v.Value == "" {
				continue // no "=value" part
			}
			if g, _, ok := c.World.pathGuardHit(v, inv.Cwd, false); ok {
				c.Report("self.may-modify-guard", "passes "+selfShow(c, v, inv.Cwd)+" to "+inv.Name+", and guard cannot tell whether "+inv.Name+" changes "+c.World.pathGuardName(g))
				return
			}
			if !selfLinkCandidate(v) {
				continue
			}
			// A program opens the file its argument reaches through the
			// links on its way: g/guard.toml with g -> ~/.config/guard.
			if r, st, _ := c.throughLinks(fsEffect{word: v, nofollow: true}, inv.Cwd); st == linkFollowed {
				if g, _, ok := c.World.pathGuardHit(r.word, inv.Cwd, false); ok {
					c.Report("self.may-modify-guard", "passes "+v.Value+" to "+inv.Name+", which reaches "+selfShow(c, r.word, inv.Cwd)+
						" through the link "+r.via+", and guard cannot tell whether "+inv.Name+" changes "+c.World.pathGuardName(g))
					return
				}
			}
		}
	}
}

// selfLinkCandidate reports whether an argument of a command guard does
// not know is worth following through links: a path with a directory in
// it (dir/file: the link is a directory on the way), not an option, a
// URL, a pattern or text with blanks. Only the directories on the way
// are followed, never a bare name or the last component: following
// every word of every command would cost a system call each.
func selfLinkCandidate(w interceptor.Word) bool {
	v := w.Value
	return v != "" && !w.Unknown && !w.Glob && v[0] != '-' && len(v) < 1024 &&
		strings.Contains(strings.TrimSuffix(v, "/"), "/") &&
		!strings.Contains(v, "://") && !strings.ContainsAny(v, " \t\n")
}

// selfSubcommand returns guard's subcommand: the first operand.
func selfSubcommand(args []interceptor.Word) string {
	for _, a := range args {
		if a.Value == "--" {
			continue
		}
		if strings.HasPrefix(a.Value, "-") {
			continue
		}
		return a.Value
	}
	return ""
}

// selfJudge judges one file effect against guard's own paths: its path
// as written, and the real path it reaches through symbolic links.
func selfJudge(c *Call, e fsEffect) {
	cwd := c.Inv.Cwd
	if e.cwd != "" {
		cwd = e.cwd
	}
	if selfSpecial(c, e, cwd) {
		return
	}
	selfJudgePath(c, e)
	if r, st, _ := c.throughLinks(e, cwd); st == linkFollowed {
		if !selfSpecial(c, r, cwd) {
			selfJudgePath(c, r)
		}
	}
}

// selfSpecial judges what only links and renames do, and reports whether
// it fired: a link, FIFO or device made at a project's .guard.toml (guard
// would read another file there, or hang on it), a hard link that gives
// one of guard's files a second name, and a rename to names guard cannot
// compute in a directory that holds guard's files.
func selfSpecial(c *Call, e fsEffect, cwd string) bool {
	w := c.World
	if e.word.Unknown {
		if !e.names || c.Inv.Remote != "" {
			return false
		}
		i := strings.Index(e.word.Value, interceptor.UnknownMark)
		dir := interceptor.ResolvePath(cwd, strings.TrimSuffix(e.word.Value[:max(i, 0)], "/"))
		if dir == "" {
			return false
		}
		for _, g := range w.GuardPaths {
			if g != "" && (filepath.Dir(filepath.Clean(g)) == dir || pathWithin(filepath.Clean(g), dir)) {
				c.Report("self.may-modify-guard", c.Inv.Name+" renames files in "+w.pathShow(dir)+" to names guard cannot compute, and "+w.pathShow(dir)+" holds "+w.pathGuardName(filepath.Clean(g)))
				return true
			}
		}
		return false
	}
	if e.hardSource {
		if g, _, ok := w.pathGuardHit(e.word, cwd, false); ok {
			c.Report("self.modify-guard", e.verb+" "+selfShow(c, e.word, cwd)+selfVia(e)+": writing through the new name changes "+w.pathGuardName(g)+", and only a human may change guard's own files")
			return true
		}
		return false
	}
	if e.makes == "" || c.Inv.Remote != "" {
		return false
	}
	p := interceptor.ResolvePath(cwd, e.word.Value)
	if p != "" && !e.word.Glob && w.pathIsProjectConfig(p) {
		c.Report("self.modify-guard", e.verb+" "+w.pathShow(p)+selfVia(e)+", making guard's project policy "+e.makes+
			": guard would read another file there or wait on it; only a human may do that")
		return true
	}
	return false
}

// selfVia names the link an effect's path was reached through.
func selfVia(e fsEffect) string {
	if e.via == "" {
		return ""
	}
	return ", reached through the link " + e.via
}

// selfJudgePath judges one effect's path against guard's own paths.
func selfJudgePath(c *Call, e fsEffect) {
	inv := c.Inv
	cwd := inv.Cwd
	if e.cwd != "" {
		cwd = e.cwd
	}
	if e.subset && e.op == fsOpDelete && inv.Name == "find" && !e.word.Unknown {
		// find deletes what its name filters match at any depth below
		// the start path: judge each filter as the pattern START/**/NAME.
		for _, pat := range selfFindNames(inv.Args) {
			m := e
			m.subset = false
			m.word = interceptor.Word{Value: strings.TrimSuffix(e.word.Value, "/") + "/**/" + pat, Glob: true}
			selfJudge(c, m)
		}
		selfFindPaths(c, e, cwd)
		return
	}
	ancestors := false
	switch e.op {
	case fsOpDelete:
		ancestors = e.recursive && !e.subset
	case fsOpMove:
		ancestors = true
	case fsOpInto:
		ancestors = true
	case fsOpChmod, fsOpWrite:
		ancestors = e.recursive
	}
	if e.names {
		// A link or a rename at a directory on the way to guard's files
		// puts other files in their place (ln -s ~/evil ~/.config).
		ancestors = true
	}
	if host, dir, ok := hostWord(inv, e.word, cwd); ok {
		// A directory of this machine, bound into a container.
		e.word, cwd = host, dir
	} else if inv.Remote != "" {
		// Another machine's /home is not this one's: only a path that
		// names guard's own files exactly ("ssh localhost") counts.
		ancestors = false
	}
	g, anc, ok := c.World.pathGuardHit(e.word, cwd, ancestors)
	if !ok {
		return
	}
	what := selfShow(c, e.word, cwd) + selfVia(e)
	switch {
	case (e.op == fsOpDelete && e.verb == "deletes" || e.op == fsOpChmod) && e.recursive:
		what += " recursively"
	case e.op == fsOpMove && e.verb == "moves":
		what += " away"
	}
	if _, in := c.World.pathGuardOf(interceptor.ResolvePath(cwd, e.word.Value)); e.word.Glob && !in {
		what += ", which can match " + c.World.pathGuardName(g)
		if anc {
			what += " or a directory holding it"
		}
	}
	if !anc {
		c.Report("self.modify-guard", e.verb+" "+what+": only a human may change guard's own files")
		return
	}
	reason := e.verb + " " + what
	if !e.word.Glob {
		reason += ", which holds " + c.World.pathGuardName(g)
	}
	switch {
	case e.op == fsOpDelete || e.op == fsOpMove || e.names:
		c.Report("self.modify-guard", reason+": only a human may change guard's own files")
	default:
		c.Report("self.may-modify-guard", reason)
	}
}

// selfShow renders a target for a message.
func selfShow(c *Call, w interceptor.Word, cwd string) string {
	if p := interceptor.ResolvePath(cwd, w.Value); p != "" {
		if g, ok := c.World.pathGuardOf(p); ok && g != p {
			return c.World.pathShow(p) + " (in " + c.World.pathGuardName(g) + ")"
		}
		if _, ok := c.World.pathGuardOf(p); ok {
			return c.World.pathGuardName(p)
		}
		return c.World.pathShow(p)
	}
	return w.String()
}

// selfOutputs denies output options of any command aimed at guard's files:
// -o FILE (compilers, curl, sort), -O FILE (wget), --output[=]FILE, ...
func selfOutputs(c *Call) bool {
	inv := c.Inv
	args := inv.Args
	for i, a := range args {
		v := a.Value
		var target *interceptor.Word
		switch {
		case selfOutputOpt(v) && i+1 < len(args):
			target = &args[i+1]
		case inv.Name == "curl" && len(v) > 2 && v[0] == '-' && v[1] != '-' && strings.HasSuffix(v, "o") && i+1 < len(args):
			target = &args[i+1]
		default:
			if name, val, ok := strings.Cut(v, "="); ok && selfOutputOpt(name) && strings.HasPrefix(name, "--") {
				target = &interceptor.Word{Value: val, Unknown: a.Unknown}
			}
		}
		if target == nil {
			continue
		}
		if _, _, ok := c.World.pathGuardHit(*target, inv.Cwd, false); ok {
			c.Report("self.modify-guard", inv.Name+" writes its output to "+selfShow(c, *target, inv.Cwd)+": only a human may change guard's own files")
			return true
		}
	}
	return false
}

func selfOutputOpt(v string) bool {
	switch v {
	case "-o", "-O", "--output", "--output-document", "--out", "-out", "--outfile", "--output-file", "--out-file", "-outfile", "--log-file":
		return true
	}
	return false
}

// selfArgPaths returns the paths an argument may name: itself, and the
// value of "--opt=value" or "key=value" (empty when there is none).
func selfArgPaths(a interceptor.Word) [2]interceptor.Word {
	out := [2]interceptor.Word{a}
	if _, val, ok := strings.Cut(a.Value, "="); ok && val != "" {
		out[1] = interceptor.Word{Value: val, Unknown: a.Unknown, Glob: a.Glob}
	}
	return out
}

// selfReader reports whether a command only reads the files it is given.
func selfReader(name string) bool {
	switch filepath.Base(name) {
	case "cat", "less", "more", "head", "tail", "grep", "egrep", "fgrep", "rg", "ag", "ack",
		"ls", "ll", "la", "exa", "eza", "lsd", "tree", "stat", "file", "wc", "du", "df", "diff", "cmp", "colordiff",
		"jq", "bat", "batcat", "od", "hexdump", "strings", "nl", "tac", "cut", "column", "fold", "fmt", "sort",
		"md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "shasum",
		"realpath", "readlink", "dirname", "basename", "namei", "getfacl", "lsattr",
		"echo", "printf", "test", "[", "[[", "true", "false", ":",
		"cd", "pushd", "popd", "pwd", "which", "type", "command", "hash",
		"source", ".", "export", "guard":
		return true
	}
	return false
}

// selfFindNames returns the -name and -iname patterns of find's
// arguments, those of -iname in lower case (guard's own names are).
func selfFindNames(args []interceptor.Word) []string {
	var pats []string
	for i := 0; i+1 < len(args); i++ {
		switch args[i].Value {
		case "-name":
			pats = append(pats, args[i+1].Value)
		case "-iname":
			pats = append(pats, strings.ToLower(args[i+1].Value))
		}
	}
	return pats
}

// selfFindPaths judges find's -path and -wholename filters: find matches
// them against each path as it prints it (the start path as written, then
// the rest), with "*" matching "/" too. A filter that matches one of
// guard's own paths, a directory holding it or a file guard keeps in it
// deletes guard's files.
func selfFindPaths(c *Call, e fsEffect, cwd string) {
	start := e.word.Value
	root := interceptor.ResolvePath(cwd, start)
	if root == "" {
		return
	}
	args := c.Inv.Args
	for i := 0; i+1 < len(args); i++ {
		fold := false
		switch args[i].Value {
		case "-path", "-wholename":
		case "-ipath", "-iwholename":
			fold = true
		default:
			continue
		}
		pat := args[i+1].Value
		if fold {
			pat = strings.ToLower(pat)
		}
		for _, g := range c.World.GuardPaths {
			if g == "" || !pathWithin(root, g) && !pathWithin(g, root) {
				continue
			}
			for _, cand := range selfGuardCandidates(c.World, filepath.Clean(g), root) {
				shown := strings.TrimSuffix(start, "/") + strings.TrimPrefix(cand, root)
				if fold {
					shown = strings.ToLower(shown)
				}
				if findPathMatch(pat, shown) {
					c.Report("self.modify-guard", e.verb+" "+selfShow(c, e.word, cwd)+" that match -path "+args[i+1].Value+
						", which can match "+c.World.pathGuardName(g)+": only a human may change guard's own files")
					return
				}
			}
		}
	}
}

// selfGuardCandidates lists the paths under root whose deletion by find
// removes guard's path g or a file in it: the directories from root down
// to g, g itself, and the files guard keeps in g that exist.
func selfGuardCandidates(w *World, g, root string) []string {
	var out []string
	for d := g; pathWithin(root, d); d = filepath.Dir(d) {
		out = append(out, d)
		if d == root || d == "/" {
			break
		}
	}
	for _, e := range guardEntries {
		if w.pathExists(filepath.Join(g, e[0])) {
			out = append(out, filepath.Join(g, filepath.Join(e...)))
		}
	}
	return out
}
