package interceptor

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
)

// Symbolic links.
//
// A command acts on the file a path reaches, and a path reaches through
// every symbolic link on its way: with docs -> ~/Documents in the project,
// "rm -rf docs/" deletes what is in ~/Documents. The rules judge such a
// path as its real one (ResolveLinks over a LinkFS); the analyzer records
// the links the code creates itself ("ln -s ~/Documents d && rm -rf d/"),
// so that the view of Analyzer.Written follows them too.

// LinkFS is an FS that can describe a symbolic link without following it.
type LinkFS interface {
	FS
	// Lstat describes name without following it when it is a link.
	Lstat(name string) (fs.FileInfo, error)
	// Readlink returns the target of the link name, as written.
	Readlink(name string) (string, error)
}

// Lstat calls os.Lstat.
func (OSFS) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(name) }

// Readlink calls os.Readlink.
func (OSFS) Readlink(name string) (string, error) { return os.Readlink(name) }

// MaxLinkHops bounds the symbolic links that resolving one path follows,
// as the kernel's limit does (ELOOP after 40).
const MaxLinkHops = 40

// ErrLinkLoop is returned when a path goes through a loop of links or
// through more than MaxLinkHops of them.
var ErrLinkLoop = errors.New("too many levels of symbolic links (a loop, or more than 40)")

// ResolveLinks returns the real path of the absolute path p on fsys, as
// the kernel would walk it: each component that is a symbolic link is
// replaced by its target (a relative target is taken against the link's
// directory) and ".." goes up from where the walk is, not from the name as
// written. The last component is followed only when followLast is set or
// p ends in "/" (a trailing slash makes the kernel resolve it). Where a
// component does not exist the walk ends and the rest is kept as written:
// a file being created. A loop, too many links, or a component that
// cannot be examined (no permission) is an error. via is the first link
// followed, "" when there was none.
//
// The walk starts below the longest of anchors that p begins with (the
// places the caller judges paths against, such as the project, home and
// /tmp, which may be links themselves: /tmp on macOS), and again below
// the longest one a link's target begins with. Only links below an
// anchor are followed, so each component there costs one Lstat and the
// anchors themselves none.
func ResolveLinks(fsys LinkFS, p string, followLast bool, anchors []string) (real, via string, err error) {
	if !path.IsAbs(p) {
		return "", "", errors.New("not an absolute path: " + p)
	}
	followLast = followLast || strings.HasSuffix(p, "/")
	done, rest := linkAnchor(p, anchors)
	hops := 0
	for len(rest) > 0 {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case ".":
			continue
		case "..":
			done = path.Dir(done)
			continue
		}
		// done is clean and c a plain name: joining needs no Clean.
		next := done + "/" + c
		if done == "/" {
			next = "/" + c
		}
		if len(rest) == 0 && !followLast {
			done = next
			break
		}
		fi, err := fsys.Lstat(next)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				// Nothing exists here: the rest is created or fails.
				return joinRest(next, rest), via, nil
			}
			return "", via, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		hops++
		if hops > MaxLinkHops {
			return "", via, ErrLinkLoop
		}
		target, err := fsys.Readlink(next)
		if err != nil {
			return "", via, err
		}
		if via == "" {
			via = next
		}
		if len(rest) == 0 {
			// The last component's target is itself last: a trailing
			// "/" in it follows its last link too.
			followLast = followLast || strings.HasSuffix(target, "/")
		}
		var t []string
		if path.IsAbs(target) {
			done, t = linkAnchor(target, anchors)
		} else {
			t = linkComps(target)
		}
		rest = append(t, rest...)
	}
	return done, via, nil
}

// joinRest returns the clean path of the components rest below the clean
// path dir, as path.Join would: dir as it is when rest is empty, a plain
// concatenation when rest holds no "." or ".." (the common case, which
// then needs no cleaning and one allocation at most).
func joinRest(dir string, rest []string) string {
	if len(rest) == 0 {
		return dir
	}
	for _, c := range rest {
		if c == "." || c == ".." {
			return path.Join(append([]string{dir}, rest...)...)
		}
	}
	if dir == "/" {
		return "/" + strings.Join(rest, "/")
	}
	return dir + "/" + strings.Join(rest, "/")
}

// linkAnchor splits the absolute path p into the longest anchor it
// begins with ("/" when none) and the components after it. Anchors are
// clean paths, so one that p begins with as a string holds no "." or
// ".." of p.
func linkAnchor(p string, anchors []string) (string, []string) {
	best := "/"
	for _, a := range anchors {
		if len(a) > len(best) && strings.HasPrefix(p, a) && (len(p) == len(a) || p[len(a)] == '/') {
			best = a
		}
	}
	if best == "/" {
		return best, linkComps(p)
	}
	return best, linkComps(p[len(best):])
}

// linkComps splits a path into its non-empty components; "." and ".."
// are kept, for the walk to apply where they stand.
func linkComps(p string) []string {
	parts := strings.Split(p, "/")
	out := parts[:0]
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AsLinkFS returns fsys as a LinkFS. A filesystem that cannot describe
// links is taken to hold none.
func AsLinkFS(fsys FS) LinkFS {
	if l, ok := fsys.(LinkFS); ok {
		return l
	}
	return noLinks{fsys}
}

// noLinks is an FS without links: Lstat is Stat.
type noLinks struct{ FS }

func (n noLinks) Lstat(name string) (fs.FileInfo, error) { return n.Stat(name) }
func (n noLinks) Readlink(name string) (string, error) {
	return "", &fs.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
}

// MapLink is the value of a MapFS entry that is a symbolic link to
// target: MapFS{"/p/docs": MapLink("/home/u/Documents")}.
func MapLink(target string) string { return mapLinkMark + target }

// mapLinkMark starts the value of a MapFS entry that is a link. No file
// content of a test starts with a NUL byte.
const mapLinkMark = "\x00symlink\x00"

// mapTarget returns the target of the MapFS entry at the cleaned path p
// when it is a link.
func (m MapFS) mapTarget(p string) (string, bool) {
	v, ok := m[p]
	if !ok || !strings.HasPrefix(v, mapLinkMark) {
		return "", false
	}
	return v[len(mapLinkMark):], true
}

// resolve follows the links of name in the map.
func (m MapFS) resolve(name string, followLast bool) (string, error) {
	if !m.hasLinks() {
		return path.Clean(name), nil
	}
	p, _, err := ResolveLinks(mapLinks{m}, path.Clean(name), followLast, nil)
	return p, err
}

// hasLinks reports whether any entry is a link (most test maps hold none).
func (m MapFS) hasLinks() bool {
	for _, v := range m {
		if strings.HasPrefix(v, mapLinkMark) {
			return true
		}
	}
	return false
}

// Lstat describes name without following it when it is a link.
func (m MapFS) Lstat(name string) (fs.FileInfo, error) {
	p, err := m.resolve(name, false)
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	if _, ok := m.mapTarget(p); ok {
		return mapInfo{name: path.Base(p), link: true}, nil
	}
	return m.stat(p)
}

// Readlink returns the target of the link name.
func (m MapFS) Readlink(name string) (string, error) {
	p, err := m.resolve(name, false)
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	if t, ok := m.mapTarget(p); ok {
		return t, nil
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
}

// mapLinks is the map's raw view for ResolveLinks: no link is followed
// by its Lstat.
type mapLinks struct{ m MapFS }

func (v mapLinks) Stat(name string) (fs.FileInfo, error) { return v.m.stat(path.Clean(name)) }
func (v mapLinks) ReadFile(name string) ([]byte, error)  { return v.m.ReadFile(name) }
func (v mapLinks) Lstat(name string) (fs.FileInfo, error) {
	p := path.Clean(name)
	if _, ok := v.m.mapTarget(p); ok {
		return mapInfo{name: path.Base(p), link: true}, nil
	}
	return v.m.stat(p)
}
func (v mapLinks) Readlink(name string) (string, error) {
	if t, ok := v.m.mapTarget(path.Clean(name)); ok {
		return t, nil
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
}

// linkedPath returns the path p reaches through the links the code made
// before ("ln -s evil.sh x.sh; bash x.sh" runs evil.sh), "" when they
// cannot be followed (a loop): the file is then unknown. Links on disk
// are left to the filesystem, which follows them when the file is read.
func (w *walker) linkedPath(p string) string {
	if len(w.a.links) == 0 || p == "" {
		return p
	}
	real, _, err := ResolveLinks(madeLinks{w.a.ctx.FS, w.a.links}, p, true, nil)
	if err != nil {
		return ""
	}
	return real
}

// madeLinks shows only the links the code makes: everything else is
// described as the filesystem's Stat sees it, with its own links followed.
type madeLinks struct {
	FS
	links map[string]string
}

func (m madeLinks) Lstat(name string) (fs.FileInfo, error) {
	if _, ok := m.links[path.Clean(name)]; ok {
		return writtenInfo{name: path.Base(name), link: true}, nil
	}
	return m.Stat(name)
}

func (m madeLinks) Readlink(name string) (string, error) {
	if t, ok := m.links[path.Clean(name)]; ok {
		return t, nil
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: syscall.EINVAL}
}

// noteLink records that the code makes the link p (absolute) pointing to
// target, as written (a relative target is taken against p's directory).
// A hard link is recorded as a link to the absolute path of its file:
// writing through either name changes the same file.
func (w *walker) noteLink(p, target string, st *state) {
	if p == "" || target == "" || st.remote != "" {
		return
	}
	if w.a.links == nil {
		w.a.links, w.a.linksAt = map[string]string{}, map[string]int{}
	}
	w.a.links[p] = target
	w.a.linksAt[p] = len(w.a.out) // the command that makes it is already out
}

// noteLinks records the links ln, link and cp -s/-l make: a symbolic
// link's target as written (ln -r: the source's absolute path), a hard
// link's as the absolute path of its file.
func (w *walker) noteLinks(inv *Invocation, st *state) {
	if inv.Name != "ln" && inv.Name != "link" && inv.Name != "cp" {
		return
	}
	ops, dest := targetOperands(inv.Args, map[string]bool{"-S": true, "--suffix": true})
	intoDir := dest != nil
	symbolic, hard, relative := false, false, false
	for _, a := range inv.Args {
		v := a.Value
		if v == "--" {
			break
		}
		switch {
		case v == "--symbolic" && inv.Name == "ln" || v == "--symbolic-link" && inv.Name == "cp":
			symbolic = true
		case v == "--link" && inv.Name == "cp":
			hard = true
		case v == "--relative":
			relative = true
		case strings.HasPrefix(v, "--"):
		case len(v) > 1 && v[0] == '-':
			for _, c := range v[1:] {
				switch {
				case c == 's':
					symbolic = true
				case c == 'l' && inv.Name == "cp":
					hard = true
				case c == 'r' && inv.Name == "ln":
					relative = true
				}
			}
		}
	}
	switch inv.Name {
	case "ln", "link":
		hard = !symbolic
	case "cp":
		if !symbolic && !hard {
			return
		}
	default:
		return
	}
	if dest == nil {
		switch {
		case len(ops) >= 2:
			dest, ops = &ops[len(ops)-1], ops[:len(ops)-1]
		case len(ops) == 1 && inv.Name == "ln":
			// "ln -s TARGET" links TARGET's name in the working directory.
			dest, intoDir = &Word{Value: "."}, true
		default:
			return
		}
	}
	if dest.Unknown || dest.Glob {
		return
	}
	d := ResolvePath(inv.Cwd, dest.Value)
	if d == "" {
		return
	}
	into := intoDir || len(ops) > 1 || strings.HasSuffix(dest.Value, "/") || inv.Name != "link" && w.isDir(d)
	for _, s := range ops {
		if s.Unknown || s.Glob || s.Value == "" {
			continue
		}
		to := d
		if into {
			to = path.Join(d, path.Base(s.Value))
		}
		target := s.Value
		if hard || relative {
			target = ResolvePath(inv.Cwd, s.Value)
		}
		w.noteLink(to, target, st)
	}
}
