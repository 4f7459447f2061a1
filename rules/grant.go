package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/interceptor"
)

// Launch is one command of a judged line as environment grants see it:
// its name and the programs bash and its wrappers start to run it. A
// granted variable reaches every one of them, so a grant must know which
// files they are (Programs).
type Launch struct {
	// Name is the command's base name, "" when it is not static.
	Name string
	// Execs are what starts on the way to the command, outermost first,
	// the command last (interceptor.Invocation.Execs); nil when that is
	// not known.
	Execs []interceptor.Exec
	// Unknown says why what runs cannot be known (a name computed at run
	// time, a command on another host); "" when it can.
	Unknown string

	world *World
}

// Program is one entry of a Launch's Execs resolved on this machine's
// filesystem, as bash (or execvp in a wrapper) would find it.
type Program struct {
	// Name is the name as written ("railway", "./railway").
	Name string
	// Builtin reports a bash builtin: no file runs.
	Builtin bool
	// Path is the file found, absolute and cleaned; "" for a builtin or
	// when none was found.
	Path string
	// Real is Path with every symbolic link resolved.
	Real string
	// Missing says why no file can be named ("is not found in PATH", "the
	// PATH it is looked up in is not known before it runs"); "" when Path
	// is set or it is a builtin.
	Missing string
	// Untrusted says why the agent could have put the file there or
	// changed it ("it is inside the project /w/app", "/home/u/.local/bin
	// is writable by you"); "" when it cannot.
	Untrusted string
	// AgentPlace reports that the file is in the project or a temporary
	// directory, where the agent works: a place never to vouch for.
	AgentPlace bool
	// PathRisk says why the PATH the program runs with could make it start
	// the agent's programs ("the PATH it runs with has . (...)"): an entry
	// the command line added, where the agent could have put them. Even a
	// real program finds what it starts there (a script's "#!/usr/bin/env
	// node"). "" when there is none.
	PathRisk string
}

// launches appends to out the launches of invs, resolved against w.
func launches(out []Launch, invs []interceptor.Invocation, w *World) []Launch {
	for _, inv := range invs {
		l := Launch{Name: inv.Name, Execs: inv.Execs, Unknown: inv.Unknown, world: w}
		if l.Unknown == "" && inv.Remote != "" {
			l.Unknown = "it runs on " + inv.Remote
		}
		out = append(out, l)
	}
	return out
}

// Programs resolves l's Execs on the filesystem, now: the files they
// would run and whether the agent could have written them. It does the
// system calls only when asked, as a grant applies.
func (l Launch) Programs() []Program {
	out := make([]Program, len(l.Execs))
	for i, e := range l.Execs {
		if l.world == nil { // not from Checker.Check: nothing to judge the files by
			out[i] = Program{Name: e.Name, Builtin: e.Builtin, Missing: "guard did not judge this command"}
			continue
		}
		out[i] = l.world.resolveExec(e)
	}
	return out
}

// resolveExec finds the file e runs, as bash does: a name with a slash is
// a path from the directory the command runs in; a bare name is looked up
// in the PATH it runs with, the first executable regular file winning.
func (w *World) resolveExec(e interceptor.Exec) Program {
	p := Program{Name: e.Name, Builtin: e.Builtin}
	switch {
	case e.Builtin:
		return p
	case strings.Contains(e.Name, interceptor.UnknownMark):
		p.Missing = "its name is not known before it runs"
		return p
	case strings.Contains(e.Name, "/"):
		abs := interceptor.ResolvePath(e.Cwd, e.Name)
		if abs == "" {
			p.Missing = "the directory it is taken from is not known before it runs"
			return p
		}
		if !executable(abs) {
			p.Missing = abs + " is not an executable file"
			return p
		}
		p.Path = abs
	default:
		p.Path, p.Missing = searchPath(e)
		if p.Missing != "" {
			return p
		}
	}
	real, err := filepath.EvalSymlinks(p.Path)
	if err != nil {
		p.Path, p.Missing = "", "its file cannot be resolved ("+err.Error()+")"
		return p
	}
	p.Real = real
	p.Untrusted, p.AgentPlace = w.untrusted(p.Path, p.Real, e.Cwd)
	p.PathRisk = w.pathRisk(e)
	return p
}

// pathRisk says why e's PATH has an entry where the agent could have put
// programs, "" when it has none. Absolute entries of the PATH guard was
// started with are the user's own and pass; any other must be an absolute
// directory the agent cannot write, outside the project and the temporary
// directories. A relative entry (".", or an empty one) is the directory
// the command runs in, which is the agent's.
func (w *World) pathRisk(e interceptor.Exec) string {
	if strings.Contains(e.Search, interceptor.UnknownMark) {
		return "the PATH it runs with is not known before it runs"
	}
	own := strings.Split(w.Analysis.Env["PATH"], ":")
	for _, dir := range strings.Split(e.Search, ":") {
		if filepath.IsAbs(dir) && slices.Contains(own, dir) {
			continue
		}
		abs := dir
		if !filepath.IsAbs(dir) {
			if e.Cwd == "" {
				return "the PATH it runs with has the relative entry " + strconv.Quote(dir) + " and its directory is not known"
			}
			abs = filepath.Join(e.Cwd, dir)
		}
		if why, _ := w.untrusted(abs, abs, e.Cwd); why != "" {
			why = strings.Replace(why, "it is ", "", 1)
			return fmt.Sprintf("the PATH it runs with has %s (%s), where the agent could put the programs it starts", strconv.Quote(dir), why)
		}
	}
	return ""
}

// searchPath looks e's bare name up in its PATH; an empty entry is the
// working directory, as in bash.
func searchPath(e interceptor.Exec) (path, missing string) {
	if strings.Contains(e.Search, interceptor.UnknownMark) {
		return "", "the PATH it is looked up in is not known before it runs"
	}
	for _, dir := range strings.Split(e.Search, ":") {
		if dir == "" {
			dir = "."
		}
		if !filepath.IsAbs(dir) {
			if e.Cwd == "" {
				return "", "PATH has the relative entry " + strconv.Quote(dir) + " and the directory it is taken from is not known"
			}
			dir = filepath.Join(e.Cwd, dir)
		}
		if f := filepath.Join(dir, e.Name); executable(f) {
			return filepath.Clean(f), ""
		}
	}
	return "", "it is not found in its PATH"
}

// executable reports an executable regular file, following links.
func executable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 &&
		unix.Faccessat(unix.AT_FDCWD, p, unix.X_OK, unix.AT_EACCESS) == nil
}

// untrusted says why the agent could have put or changed the file found at
// path (real with links resolved), "" when it cannot: it is inside the
// project the command runs in, any git work tree or a temporary directory,
// or it or a directory on the way to it is one the user can write (for
// root, where everything is writable: one not owned by root or writable by
// its group or others).
func (w *World) untrusted(path, real, cwd string) (why string, agentPlace bool) {
	sc := w.pathScopeOf(cwd)
	for _, p := range []string{path, real} {
		it := "it is"
		if p != path {
			it = "the file it links to is"
		}
		for _, t := range sc.temps {
			if under(p, t) {
				return it + " in the temporary directory " + t, true
			}
		}
		if sc.root != "" && under(p, sc.root) {
			return it + " inside the project " + sc.root, true
		}
		if root := w.gitProjectOf(filepath.Dir(p)); root != "" {
			return it + " inside the project " + root, true
		}
	}
	if why := writableOnWay(path); why != "" {
		return why, false
	}
	if real != path {
		return writableOnWay(real), false
	}
	return "", false
}

// gitProjectOf returns the project whose git work tree holds dir, "" when
// none does: a program in any project may be the agent's, not only in the
// one it works in.
func (w *World) gitProjectOf(dir string) string {
	root := w.ProjectRoot(dir)
	if root == "" || w.ProjectFor(root) != root {
		return "" // no work tree, or one rooted at home or a system directory
	}
	return root
}

// writableOnWay returns why p, or a directory on the way to it, can be
// changed by the user guard runs as, "" when none can. A writable
// directory with the sticky bit (/tmp) lets others replace only what they
// own, so it counts only when the user owns the entry below it.
func writableOnWay(p string) string {
	euid := os.Geteuid()
	var below fs.FileInfo
	for d := p; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return d + " cannot be checked (" + errText(err) + ")"
		}
		if why := loose(d, fi, euid); why != "" {
			sticky := d != p && fi.Mode()&os.ModeSticky != 0 && below != nil && !untrustedOwner(below, euid)
			if !sticky {
				return why
			}
		}
		if d == "/" || d == "." {
			return ""
		}
		below = fi
	}
}

// loose says how the user euid can change the file d (fi), "" when it
// cannot.
func loose(d string, fi fs.FileInfo, euid int) string {
	if euid != 0 {
		if untrustedOwner(fi, euid) || unix.Faccessat(unix.AT_FDCWD, d, unix.W_OK, unix.AT_EACCESS) == nil {
			return d + " is writable by you"
		}
		return ""
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
		return fmt.Sprintf("%s is owned by uid %d, not root", d, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return d + " is writable by its group or by everyone"
	}
	return ""
}

// untrustedOwner reports whether the file's owner is one the grant cannot
// trust, since an owner can always make a file writable: the user guard
// runs as (the agent's user), or for root, whose own files the agent could
// change anyway, any user but root.
func untrustedOwner(fi fs.FileInfo, uid int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	if uid == 0 {
		return st.Uid != 0
	}
	return int(st.Uid) == uid
}

// errText is an error without the path it repeats.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
