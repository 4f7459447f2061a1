package rules

import (
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Links, in both directions.
//
// A path reaches what its symbolic links point to: with docs ->
// ~/Documents in the project, "rm -rf docs/" deletes what is in
// ~/Documents, and "echo > x" after "ln -s ~/.config/guard/guard.toml x"
// writes guard's config. So every file effect is judged as its real path
// too (throughLinks), besides the path as written: the strictest of both
// decides, so following a link never makes a command less guarded than
// its words.
//
// The other direction: making a link, a FIFO or a device node, or
// renaming something onto a path, rebinds the name itself. Such effects
// (fsEffect.names) on a directory that holds guard's files redirect them
// (ln -s ~/evil ~/.config), and one of them at a project's .guard.toml
// makes guard read another file or hang there.

// linkStatus says what following the links of an effect's path gave.
type linkStatus int

const (
	linkNone     linkStatus = iota // no link on the way: the path is its real path
	linkFollowed                   // links followed: judge the real path too
	linkUnknown                    // a loop, too many links, or a component that cannot be examined
)

// throughLinks returns the effect e of inv as it reaches its real path:
// every symbolic link on the way replaced by its target, the last
// component too unless the command acts on it itself (e.nofollow: rm,
// mv, ln; a trailing "/" follows it anyway, as the kernel does). A glob
// is followed up to its first pattern component. Paths of another
// machine, unknown words and /dev, /proc and /sys (whose links are the
// kernel's) are left as they are. On linkUnknown, why says what failed.
//
// The answer is kept for the invocation: the fs and self packs both ask.
func (c *Call) throughLinks(e fsEffect, cwd string) (real fsEffect, st linkStatus, why string) {
	if c.Inv.Remote != "" || e.word.Unknown {
		return e, linkNone, ""
	}
	if c.linksOf != c.Inv {
		c.linksOf, c.linkMemo = c.Inv, c.linkMemo[:0]
	}
	key := linkKey{e.word.Value, cwd, e.nofollow, e.word.Glob}
	for _, r := range c.linkMemo {
		if r.key != key {
			continue
		}
		if r.st == linkFollowed {
			real = e
			real.word, real.via = r.word, r.via
			return real, r.st, ""
		}
		return e, r.st, r.why
	}
	real, st, why = c.World.throughLinks(c.Inv, e, cwd, c.World.linkAnchors(cwd))
	c.linkMemo = append(c.linkMemo, linkResult{key: key, st: st, why: why, word: real.word, via: real.via})
	return real, st, why
}

// linkKey and linkResult are Call.throughLinks's memo.
type linkKey struct {
	value, cwd     string
	nofollow, glob bool
}

type linkResult struct {
	key      linkKey
	st       linkStatus
	why, via string
	word     interceptor.Word
}

// throughLinks is Call.throughLinks, with the anchors of cwd.
func (w *World) throughLinks(inv *interceptor.Invocation, e fsEffect, cwd string, anchors []string) (real fsEffect, st linkStatus, why string) {
	v := e.word.Value
	if inv.Remote != "" || e.word.Unknown || v == "" || strings.Contains(v, interceptor.UnknownMark) {
		return e, linkNone, ""
	}
	raw := v
	if !strings.HasPrefix(raw, "/") {
		if cwd == "" {
			return e, linkNone, ""
		}
		raw = cwd + "/" + raw
	}
	if pathKernelFS(filepath.Clean(raw)) {
		return e, linkNone, ""
	}
	if !e.word.Glob && linkLastOnly(raw, anchors) && e.nofollow {
		// "rm -rf build": the one name below an anchor is acted on
		// itself; there is no link to follow.
		return e, linkNone, ""
	}
	follow, rest := !e.nofollow, ""
	if e.word.Glob {
		// The components before the first pattern are directories the
		// shell walks to expand it: every link among them is followed.
		comps := strings.Split(raw, "/")
		for i, c := range comps {
			if pathHasMeta(c) {
				raw, rest = strings.Join(comps[:i], "/"), strings.Join(comps[i:], "/")
				follow = true
				break
			}
		}
		if raw == "" {
			raw = "/"
		}
	}
	p, link, err := interceptor.ResolveLinks(interceptor.AsLinkFS(w.pathFS()), raw, follow, anchors)
	if err != nil {
		return e, linkUnknown, err.Error()
	}
	if link == "" {
		return e, linkNone, ""
	}
	if rest != "" {
		p = strings.TrimSuffix(p, "/") + "/" + rest
	}
	if lit := interceptor.ResolvePath(cwd, v); lit == p {
		return e, linkNone, ""
	}
	real = e
	real.word = interceptor.Word{Value: p, Glob: e.word.Glob}
	real.via = w.pathShow(link)
	return real, linkFollowed, ""
}

// linkAnchors are the places paths are judged against, as the world
// names them: the project of cwd, home, the temporary directories and
// guard's own paths. Links among their own components (a project under
// ~/code -> /data/code, /tmp -> /private/tmp on macOS) are how the user
// reaches them and leave the judgment as it is; links below them are
// followed.
//
// They are kept for the life of the World, as project roots are.
func (w *World) linkAnchors(cwd string) []string {
	if a, ok := w.anchors[cwd]; ok {
		return a
	}
	sc := w.pathScopeOf(cwd)
	out := make([]string, 0, 2+len(sc.temps)+len(w.GuardPaths))
	if sc.home != "" {
		out = append(out, sc.home)
	}
	if sc.root != "" {
		out = append(out, sc.root)
	}
	out = append(out, sc.temps...)
	for _, g := range w.GuardPaths {
		if g != "" {
			out = append(out, filepath.Clean(g))
		}
	}
	if w.anchors == nil {
		w.anchors = map[string][]string{}
	}
	w.anchors[cwd] = out
	return out
}

// linkLastOnly reports whether raw is an anchor or names one plain
// component directly below the longest anchor it is in: no "/" after
// it, no "." or "..". Checked on the string, without allocating.
func linkLastOnly(raw string, anchors []string) bool {
	best := -1
	for _, a := range anchors {
		if len(a) > best && under(raw, a) {
			best = len(a)
		}
	}
	if best < 0 {
		return false
	}
	rest := strings.TrimPrefix(raw[best:], "/")
	return !strings.Contains(rest, "/") && rest != "." && rest != ".."
}

// addRealGuardPaths adds to GuardPaths the real paths of those reached
// through links (~/.config -> ~/dotfiles/config): a command that names
// the real path changes guard's files as much. They are resolved as
// targets are, below home and the temporary directories, once per World,
// when the self pack first examines a command.
func (w *World) addRealGuardPaths() {
	if w.guardReal {
		return
	}
	w.guardReal = true
	var anchors []string
	if h := w.pathHome(); h != "" {
		anchors = append(anchors, h)
	}
	fsys := interceptor.AsLinkFS(w.pathFS())
	var extra []string
	for _, g := range w.GuardPaths {
		if g == "" {
			continue
		}
		g = filepath.Clean(g)
		if real, via, err := interceptor.ResolveLinks(fsys, g, true, anchors); err == nil && via != "" && real != g {
			extra = append(extra, real)
		}
	}
	if len(extra) > 0 {
		w.GuardPaths = append(slices.Clip(w.GuardPaths), extra...)
	}
}

// pathKernelFS reports whether p is in /dev, /proc or /sys, whose links
// (/dev/stdout, /proc/self) the kernel makes: following them says nothing
// about what a command destroys.
func pathKernelFS(p string) bool {
	return pathWithin("/dev", p) || pathWithin("/proc", p) || pathWithin("/sys", p)
}

// linkNote adds to a path's note how it was reached.
func linkNote(info PathInfo, via string) PathInfo {
	if via == "" {
		return info
	}
	n := "reached through the link " + via
	if info.Note == "" {
		info.Note = n
	} else {
		info.Note += "; " + n
	}
	return info
}

// pathSpecial says what kind of file other than a regular file or a
// directory the path p is, "" for none or when it does not exist: "a
// symbolic link", "a FIFO", "a device".
func (w *World) pathSpecial(p string) string {
	if p == "" {
		return ""
	}
	fi, err := interceptor.AsLinkFS(w.pathFS()).Lstat(p)
	if err != nil {
		return ""
	}
	m := fi.Mode()
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return ""
}

// pathIsProjectConfig reports whether p is the .guard.toml guard reads at
// the root of a git work tree.
func (w *World) pathIsProjectConfig(p string) bool {
	if path.Base(p) != ProjectConfigFileName {
		return false
	}
	dir := path.Dir(p)
	return w.ProjectRoot(dir) == dir
}

// fsLink reads ln and link: the names they make (replacing what is there
// with -f), and for a hard link the file it gives a second name.
//
//	ln [opts] TARGET LINK    ln [opts] TARGET (LINK is TARGET's name in cwd)
//	ln [opts] TARGET... DIR  ln [opts] -t DIR TARGET...   ln -T TARGET LINK
//	link FILE LINK
func fsLink(inv *interceptor.Invocation, w *World, name string, args []interceptor.Word) []fsEffect {
	var cl fsCmdline
	if name == "link" {
		cl = fsParse(args, fsSpec{long: []string{"help", "version"}})
		cl.opts["-T"] = interceptor.Word{} // link(2) never links into a directory
	} else {
		cl = fsParse(args, fsSpec{shortVal: "tS", long: []string{"target-directory=", "suffix=", "force", "symbolic", "no-dereference", "relative", "backup", "interactive", "logical", "physical", "no-target-directory", "verbose", "help", "version"}})
	}
	if cl.has("--help", "--version") {
		return nil
	}
	symbolic := cl.has("-s", "--symbolic")
	if len(cl.ops) == 1 && cl.val("-t", "--target-directory") == "" {
		// "ln -s /x/y" links y in the working directory.
		base := path.Base(strings.TrimRight(cl.ops[0].Value, "/"))
		cl.ops = append(cl.ops, interceptor.Word{Value: base, Unknown: cl.ops[0].Unknown})
		cl.opts["-T"] = interceptor.Word{}
	}
	if cl.has("-n", "--no-dereference") && len(cl.ops) == 2 && cl.val("-t", "--target-directory") == "" &&
		w.pathSpecial(interceptor.ResolvePath(inv.Cwd, cl.ops[1].Value)) == "a symbolic link" {
		// -n: a link to a directory is replaced, not linked into.
		cl.opts["-T"] = interceptor.Word{}
	}
	makes := "a symbolic link"
	if !symbolic {
		makes = "a hard link"
	}
	verb, intoVerb := "makes "+makes+" at", "makes links in"
	if cl.has("-f", "--force") {
		verb = "replaces"
	}
	out := fsCopyDest(inv, w, cl, verb, intoVerb)
	for i := range out {
		out[i].nofollow, out[i].names, out[i].makes = true, true, makes
		if !cl.has("-f", "--force") && out[i].op == fsOpWrite {
			out[i].op = fsOpCreate // without -f, ln fails on an existing file
		}
	}
	if !symbolic {
		srcs := cl.ops
		if cl.val("-t", "--target-directory") == "" && len(srcs) > 0 {
			srcs = srcs[:len(srcs)-1]
		}
		for _, s := range srcs {
			// A second name of a file: writing through it writes the file.
			out = append(out, fsEffect{op: fsOpCreate, word: s, nofollow: !cl.has("-L", "--logical"), verb: "makes a hard link of", hardSource: true})
		}
	}
	return out
}

// fsCopyLinks marks the destinations of cp -s (--symbolic-link) and cp -l
// (--link), which are links made in place of copies.
func fsCopyLinks(cl fsCmdline, out []fsEffect) []fsEffect {
	makes := ""
	switch {
	case cl.has("-s", "--symbolic-link"):
		makes = "a symbolic link"
	case cl.has("-l", "--link"):
		makes = "a hard link"
	default:
		return out
	}
	for i := range out {
		out[i].nofollow, out[i].names, out[i].makes = true, true, makes
	}
	if makes == "a hard link" {
		srcs := cl.ops
		if cl.val("-t", "--target-directory") == "" && len(srcs) > 0 {
			srcs = srcs[:len(srcs)-1]
		}
		for _, s := range srcs {
			out = append(out, fsEffect{op: fsOpCreate, word: s, nofollow: !cl.has("-L", "--dereference"), verb: "makes a hard link of", hardSource: true})
		}
	}
	return out
}

// fsMkfifo reads mkfifo and mknod: the special files they make.
//
//	mkfifo [-m MODE] [-Z] [--context[=CTX]] NAME...
//	mknod [-m MODE] [-Z] NAME TYPE [MAJOR MINOR]
func fsMkfifo(name string, args []interceptor.Word) []fsEffect {
	cl := fsParse(args, fsSpec{shortVal: "m", long: []string{"mode=", "context", "help", "version"}})
	if cl.has("--help", "--version") || len(cl.ops) == 0 {
		return nil
	}
	if name == "mknod" {
		makes := "a device"
		if len(cl.ops) > 1 && cl.ops[1].Value == "p" {
			makes = "a FIFO"
		}
		return []fsEffect{{op: fsOpCreate, word: cl.ops[0], nofollow: true, names: true, makes: makes, verb: "makes " + makes + " at"}}
	}
	return fsEach(cl.ops, fsEffect{op: fsOpCreate, nofollow: true, names: true, makes: "a FIFO", verb: "makes a FIFO at"})
}

// fsRename reads rename, in both of its forms: util-linux's
// "rename [opts] FROM TO FILE..." (FROM replaced by TO in each file's
// path: the first occurrence, the last with -l, every one with -a) and
// Perl's "rename [opts] 's/FROM/TO/' FILE..." (the expression applied to
// each path). Each file is moved away; its new path is written when it
// can be computed (util-linux, or a Perl s/// whose pattern and
// replacement are plain text), and is otherwise a name in an unknown
// place that only the self pack judges (in the directory of the file,
// for it to be compared with guard's).
func fsRename(args []interceptor.Word) []fsEffect {
	cl := fsParse(args, fsSpec{shortVal: "e", long: []string{"verbose", "no-act", "nono", "all", "last", "no-overwrite", "interactive", "symlink", "force", "help", "version"}})
	if cl.has("--help", "--version", "-n", "--no-act", "--nono", "-h", "-V") {
		return nil
	}
	ops := cl.ops
	expr, perl := "", false
	switch {
	case cl.has("-e"):
		expr, perl = cl.val("-e"), true
	case len(ops) >= 2 && renamePerlExpr(ops[0].Value):
		expr, perl, ops = ops[0].Value, true, ops[1:]
	case len(ops) >= 3:
		// util-linux: FROM TO FILE...
	default:
		return nil
	}
	var from, to string
	computable := !perl
	if perl {
		from, to, computable = renamePerlLiteral(expr)
	} else {
		if ops[0].Unknown || ops[1].Unknown {
			computable = false
		}
		from, to, ops = ops[0].Value, ops[1].Value, ops[2:]
	}
	var out []fsEffect
	for _, f := range ops {
		out = append(out, fsEffect{op: fsOpMove, word: f, recursive: true, nofollow: true, verb: "renames"})
		if f.Unknown || f.Glob || !computable || from == "" {
			dir := path.Dir(f.Value)
			out = append(out, fsEffect{op: fsOpCreate, word: interceptor.Word{Value: dir + "/" + interceptor.UnknownMark, Unknown: true}, names: true, nofollow: true, verb: "renames files to names it computes"})
			continue
		}
		for _, dest := range renameResults(f.Value, from, to, cl.has("-a", "--all") || perl && renamePerlGlobal(expr), cl.has("-l", "--last")) {
			if dest != f.Value {
				out = append(out, fsEffect{op: fsOpWrite, word: interceptor.Word{Value: dest}, nofollow: true, names: true, verb: "renames a file onto"})
			}
		}
	}
	return out
}

// renameResults returns the paths rename can give file: the replacement
// in the whole path, and in its last component only (util-linux has done
// either, by version).
func renameResults(file, from, to string, all, last bool) []string {
	repl := func(s string) string {
		switch {
		case all:
			return strings.ReplaceAll(s, from, to)
		case last:
			if i := strings.LastIndex(s, from); i >= 0 {
				return s[:i] + to + s[i+len(from):]
			}
			return s
		}
		return strings.Replace(s, from, to, 1)
	}
	whole := repl(file)
	dir, base := path.Split(file)
	inBase := dir + repl(base)
	if inBase == whole {
		return []string{whole}
	}
	return []string{whole, inBase}
}

// renamePerlExpr reports whether s looks like a Perl expression rather
// than util-linux's FROM: s/…/…/, y/…/…/, tr/…/…/, or code.
func renamePerlExpr(s string) bool {
	for _, op := range []string{"s", "y", "tr"} {
		if rest, ok := strings.CutPrefix(s, op); ok && rest != "" {
			c := rest[0]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ' ') {
				return true
			}
		}
	}
	return strings.ContainsAny(s, ";$") || strings.HasPrefix(s, "{")
}

// renamePerlLiteral reads a Perl s/FROM/TO/FLAGS whose FROM and TO are
// plain text (no regex or interpolation), and reports whether it is one.
func renamePerlLiteral(expr string) (from, to string, ok bool) {
	rest, found := strings.CutPrefix(expr, "s")
	if !found || len(rest) < 3 {
		return "", "", false
	}
	d := rest[0]
	if strings.IndexByte("{[(<", d) >= 0 {
		return "", "", false
	}
	parts := strings.Split(rest[1:], string(d))
	if len(parts) != 3 || strings.Trim(parts[2], "gi") != "" || strings.Contains(parts[2], "i") {
		return "", "", false
	}
	if strings.ContainsAny(parts[0], `\^$.|?*+()[]{}`) || strings.ContainsAny(parts[1], `\$@`) {
		return "", "", false
	}
	return parts[0], parts[1], parts[0] != ""
}

// renamePerlGlobal reports whether a Perl s/// has the g flag.
func renamePerlGlobal(expr string) bool {
	i := strings.LastIndexAny(expr, "/|#!,:")
	return i >= 0 && strings.Contains(expr[i+1:], "g")
}
