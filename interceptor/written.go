package interceptor

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Files the analysed code writes before it reads them.
//
// "cat > run.sh <<'EOF' ... EOF" followed by "bash run.sh" is how agents
// write a script and run it in one go. The analysis reads run.sh for
// "bash FILE", "source FILE" and "< FILE"; when the code itself writes
// the file first, what is on disk now is not what will run. So the
// analyzer keeps what earlier commands wrote, as far as it can be known —
// the output of a redirected echo, printf or cat, what tee copies, what
// cp copies — and readFile answers from it. A write whose content cannot
// be known (curl -o, sed -i, a redirected program) makes the file unknown.
//
// Only writes the analysis can see are tracked: a program that writes the
// file itself ("./gen.sh > /dev/null; bash out.sh") is arbitrary code,
// which the command layer does not judge.

// written is what the analysed code wrote to one file.
type written struct {
	// data is the content when known.
	data  string
	known bool
	// by names the command that wrote it, for messages.
	by string
}

// noteWrite records that the code writes s to the file at p (absolute),
// appending when appendTo is set.
func (w *walker) noteWrite(p string, s *Stream, appendTo bool, by string, st *state) {
	if p == "" || st.remote != "" {
		return
	}
	if lp := w.linkedPath(p); lp != "" {
		p = lp // written through a link the code made: the file it points to
	}
	if w.a.written == nil {
		w.a.written = map[string]written{}
	}
	f := written{by: by}
	if s != nil && s.Known {
		f.data, f.known = s.Data, true
	}
	if appendTo && f.known {
		old := w.readFile(Word{Value: p}, st)
		f.data, f.known = old.Data+f.data, old.Known
	}
	w.a.written[p] = f
}

// writtenStream returns what the code wrote to the file at p, if it wrote
// to it (see written.content), or what p was copied from with its
// directory.
func (w *walker) writtenStream(p string, target Word, onDisk func() *Stream) (*Stream, bool) {
	f, ok := w.a.written[p]
	if !ok {
		orig, ok := copiedFrom(w.a.copies, p)
		if !ok {
			return nil, false
		}
		if w.a.copyDepth >= maxCopyChain {
			return &Stream{From: "file " + target.String() + ", copied in a loop"}, true
		}
		w.a.copyDepth++
		s := w.readFile(Word{Value: orig}, &state{})
		w.a.copyDepth--
		s.From = "file " + target.String() + " (a copy of " + orig + ")"
		return s, true
	}
	from := "file " + target.String() + ", which the command line writes first (with " + f.by + ")"
	data, why := f.content(func() (string, bool, bool) {
		old := onDisk()
		_, err := w.a.ctx.FS.Stat(p)
		return old.Data, old.Known, err == nil
	})
	if why != "" {
		return &Stream{From: from + why}, true
	}
	return &Stream{Known: true, Data: data, From: from}, true
}

// content returns what reading the file gives after the write, or why
// that cannot be known. old reports the file's content before, whether it
// could be read, and whether the file exists. When the file exists, its
// current content comes first: a write the analysis saw may not run
// ("[ -f x ] || echo ... > x"), and both are judged.
func (f written) content(old func() (data string, known, exists bool)) (string, string) {
	if !f.known {
		return "", ", so its content cannot be known"
	}
	data, known, exists := old()
	switch {
	case known && !strings.HasPrefix(f.data, data):
		return data + "\n" + f.data, ""
	case !known && exists:
		return "", ", over a file that cannot be read"
	}
	return f.data, ""
}

// maxCopyChain bounds how many directory copies a read follows back
// ("cp -r a b; cp -r b a" would loop).
const maxCopyChain = 8

// copiedFrom returns the path p was copied from when it lies in a
// directory the code copied (the innermost such copy).
func copiedFrom(copies map[string]string, p string) (string, bool) {
	best := ""
	for dest := range copies {
		if strings.HasPrefix(p, dest+"/") && len(dest) > len(best) {
			best = dest
		}
	}
	if best == "" {
		return "", false
	}
	return copies[best] + p[len(best):], true
}

// noteCopyDir records that the code copies the directory orig to dest.
func (w *walker) noteCopyDir(dest, orig string) {
	if w.a.copies == nil {
		w.a.copies = map[string]string{}
	}
	w.a.copies[dest] = orig
}

// Written returns the filesystem as the code of the last analysis leaves
// it, as far as the analysis saw: reading a file the code writes gives what
// it writes (an error when that cannot be known), anything else goes to
// base. Unlike a script the shell runs, such a file is read as written,
// without what it held before. ok is false, and the view is base itself,
// when the code wrote nothing. Rules that read files (psql -f, curl -d
// @file) use it.
func (z *Analyzer) Written(base FS) (view FS, ok bool) {
	if len(z.written) == 0 && len(z.copies) == 0 && len(z.links) == 0 {
		return base, false
	}
	return writtenFS{base: base, files: z.written, copies: z.copies, links: z.links, linksAt: z.linksAt, upTo: -1}, true
}

// writtenFS is Analyzer.Written's view.
type writtenFS struct {
	base   FS
	files  map[string]written
	copies map[string]string
	// links are the links the code makes, to their targets as written;
	// linksAt says how many invocations came before each. With upTo at
	// 0 or more, only the links made before invocation upTo are seen
	// (WrittenAt).
	links   map[string]string
	linksAt map[string]int
	upTo    int
	// depth counts the directory copies a read has followed back.
	depth int
}

// ReadFile reads name as the code leaves it.
func (v writtenFS) ReadFile(name string) ([]byte, error) {
	name, err := v.follow(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f, ok := v.files[path.Clean(name)]
	if !ok {
		if orig, ok := copiedFrom(v.copies, path.Clean(name)); ok && v.depth < maxCopyChain {
			v.depth++
			return v.ReadFile(orig)
		}
		return v.base.ReadFile(name)
	}
	if !f.known {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("the command line writes it first (with " + f.by + "), so its content cannot be known")}
	}
	// Data files (a request body, a SQL file) are read as written: two
	// JSON documents one after the other would be neither. A script run
	// by the shell is judged with the old content too (see content).
	return []byte(f.data), nil
}

// Stat describes name as the code leaves it: a file it writes exists, a
// link it makes is followed.
func (v writtenFS) Stat(name string) (fs.FileInfo, error) {
	name, err := v.follow(name)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if orig, ok := copiedFrom(v.copies, path.Clean(name)); ok && v.depth < maxCopyChain {
		if _, written := v.files[path.Clean(name)]; !written {
			v.depth++
			return v.Stat(orig)
		}
	}
	fi, err := v.base.Stat(name)
	if _, ok := v.files[path.Clean(name)]; ok && err != nil {
		return writtenInfo{name: path.Base(name)}, nil
	}
	return fi, err
}

// follow resolves the links the code makes on the way of name (those on
// disk the base follows itself).
func (v writtenFS) follow(name string) (string, error) {
	if len(v.links) == 0 || !path.IsAbs(name) {
		return name, nil
	}
	real, _, err := ResolveLinks(v, name, true, nil)
	return real, err
}

// Lstat describes name as the code leaves it, not following a link: a
// link the code makes is one. The directories of name must be real ones
// (ResolveLinks asks so).
func (v writtenFS) Lstat(name string) (fs.FileInfo, error) {
	p := path.Clean(name)
	if _, ok := v.link(p); ok {
		return writtenInfo{name: path.Base(p), link: true}, nil
	}
	fi, err := AsLinkFS(v.base).Lstat(p)
	if _, ok := v.files[p]; ok && err != nil {
		return writtenInfo{name: path.Base(p)}, nil
	}
	if err != nil {
		if orig, ok := copiedFrom(v.copies, p); ok {
			return AsLinkFS(v.base).Lstat(orig) // one step back is enough here
		}
	}
	return fi, err
}

// Readlink returns the target of a link the code makes or of one on disk.
func (v writtenFS) Readlink(name string) (string, error) {
	if t, ok := v.link(path.Clean(name)); ok {
		return t, nil
	}
	return AsLinkFS(v.base).Readlink(name)
}

// link returns the target of the link the code makes at p, if the view
// sees it.
func (v writtenFS) link(p string) (string, bool) {
	t, ok := v.links[p]
	if !ok || v.upTo >= 0 && v.linksAt[p] > v.upTo {
		return "", false
	}
	return t, true
}

// WrittenAt returns the view of Analyzer.Written as the invocation at
// index i of the analysis sees it: the links the code makes in that
// invocation or after it are not there yet, so "rm -rf d/; ln -s ~/x d"
// judges the rm by d as it is. ok is false, and view is returned, when
// it is no such view or holds no links.
func WrittenAt(view FS, i int) (FS, bool) {
	v, ok := view.(writtenFS)
	if !ok || len(v.links) == 0 {
		return view, false
	}
	v.upTo = i
	return v, true
}

// BeforeWrites returns the filesystem under view as it was before the code
// ran: the disk, without what the code writes. A rule that judges what a
// write destroys reads the file there. Any other view is returned as it is.
func BeforeWrites(view FS) FS {
	if v, ok := view.(writtenFS); ok {
		return v.base
	}
	return view
}

// writtenInfo describes a file the code creates.
type writtenInfo struct {
	name string
	link bool
}

func (n writtenInfo) Name() string { return n.name }
func (n writtenInfo) Size() int64  { return 0 }
func (n writtenInfo) Mode() fs.FileMode {
	if n.link {
		return fs.ModeSymlink | 0o777
	}
	return 0o644
}
func (n writtenInfo) ModTime() time.Time { return time.Time{} }
func (n writtenInfo) IsDir() bool        { return false }
func (n writtenInfo) Sys() any           { return nil }

// noteRedirectWrites records the files a statement's redirections write.
// out is what the statement writes on stdout (nil: unknown).
func (w *walker) noteRedirectWrites(redirs []Redirect, out *Stream, by string, st *state) {
	for _, r := range redirs {
		if !r.Writes() || r.Target.Unknown {
			continue
		}
		p := ResolvePath(st.cwd, r.Target.Value)
		if p == "" || strings.HasPrefix(p, "/dev/") {
			continue
		}
		content := out
		if r.Op == "<>" || r.Op == "&>" || r.Op == "&>>" || r.Fd > 1 {
			content = nil // stderr, or read-write: not known
		}
		w.noteWrite(p, content, r.Op == ">>" || r.Op == "&>>", by, st)
	}
}

// stdoutToFile reports whether a redirection sends stdout to a file, so
// that what the command writes is worth computing.
func stdoutToFile(redirs []Redirect) bool {
	for _, r := range redirs {
		if (r.Op == ">" || r.Op == ">>" || r.Op == ">|") && r.Fd <= 1 && !r.Target.Unknown && !strings.HasPrefix(r.Target.Value, "/dev/") {
			return true
		}
	}
	return false
}

// noteCommandWrites records the files a command writes through its
// arguments: tee's files, cp's, mv's and install's destinations, and the
// output files of curl, wget, sed -i, perl -i and dd.
func (w *walker) noteCommandWrites(inv *Invocation, st *state) {
	abs := func(a Word) string {
		if a.Unknown || a.Glob {
			return ""
		}
		return ResolvePath(inv.Cwd, a.Value)
	}
	switch inv.Name {
	case "tee":
		appendTo := false
		for _, a := range inv.Args {
			switch {
			case a.Value == "-a" || a.Value == "--append":
				appendTo = true
			case strings.HasPrefix(a.Value, "-") && a.Value != "-":
			default:
				w.noteWrite(abs(a), inv.Stdin, appendTo, "tee", st)
			}
		}
	case "cp", "mv", "install":
		srcs, dest, intoDir := copyOperands(inv.Args, map[string]bool{"-S": true, "-m": true, "-o": true, "-g": true})
		if dest == nil {
			return
		}
		d := abs(*dest)
		if d == "" {
			return
		}
		into := intoDir || len(srcs) > 1 || strings.HasSuffix(dest.Value, "/") || w.isDir(d)
		for _, s := range srcs {
			if s.Unknown || s.Glob || w.missing(s, inv.Cwd) {
				continue
			}
			to := d
			if into {
				to = path.Join(d, path.Base(s.Value))
			}
			if src := abs(s); src != "" && (w.isDir(src) || w.a.copies[src] != "") {
				w.noteCopyDir(to, src) // cp -r, mv of a directory
				continue
			}
			w.noteWrite(to, w.readFile(s, st), false, inv.Name, st)
		}
	case "curl":
		remoteName := false
		for i := 0; i < len(inv.Args); i++ {
			a := inv.Args[i]
			v := a.Value
			switch {
			case v == "--output" && i+1 < len(inv.Args):
				i++
				w.noteWrite(abs(inv.Args[i]), nil, false, "curl", st)
			case strings.HasPrefix(v, "--output="):
				w.noteWrite(abs(Word{Value: strings.TrimPrefix(v, "--output="), Unknown: a.Unknown}), nil, false, "curl", st)
			case v == "--remote-name" || v == "--remote-name-all":
				remoteName = true
			case len(v) > 1 && v[0] == '-' && v[1] != '-':
				// A cluster of short options: -fsSLO, -so FILE, -oFILE.
				// An option that takes a value ends the cluster: the rest
				// is its value (-XPOST), or the next argument is.
				for j := 1; j < len(v); j++ {
					if v[j] == 'O' {
						remoteName = true
					}
					if !strings.ContainsRune(curlValued, rune(v[j])) {
						continue
					}
					val := Word{Value: v[j+1:], Unknown: a.Unknown}
					if val.Value == "" && i+1 < len(inv.Args) {
						i++
						val = inv.Args[i]
					}
					if v[j] == 'o' {
						w.noteWrite(abs(val), nil, false, "curl", st)
					}
					break
				}
			}
		}
		if remoteName {
			for _, u := range inv.Args {
				if name := urlBase(u); name != "" {
					w.noteWrite(abs(Word{Value: name}), nil, false, "curl", st)
				}
			}
		}
	case "wget":
		named := false
		for i, a := range inv.Args {
			v := a.Value
			switch {
			case (v == "-O" || v == "--output-document") && i+1 < len(inv.Args):
				named = true
				w.noteWrite(abs(inv.Args[i+1]), nil, false, "wget", st)
			case strings.HasPrefix(v, "-O"):
				named = true // -O- writes to stdout
				if v != "-O-" && len(v) > 2 {
					w.noteWrite(abs(Word{Value: v[2:], Unknown: a.Unknown}), nil, false, "wget", st)
				}
			case strings.HasPrefix(v, "--output-document="):
				named = true
				w.noteWrite(abs(Word{Value: strings.TrimPrefix(v, "--output-document="), Unknown: a.Unknown}), nil, false, "wget", st)
			}
		}
		if !named {
			for _, u := range inv.Args {
				if name := urlBase(u); name != "" {
					w.noteWrite(abs(Word{Value: name}), nil, false, "wget", st)
				}
			}
		}
	case "sed", "perl":
		inPlace := false
		for _, a := range inv.Args {
			v := a.Value
			if strings.HasPrefix(v, "-i") || strings.HasPrefix(v, "--in-place") ||
				inv.Name == "perl" && len(v) > 1 && v[0] == '-' && strings.IndexAny(v[1:2], "-eEIMm") < 0 && strings.Contains(v, "i") {
				inPlace = true
			}
		}
		if !inPlace {
			return
		}
		// Any operand may be a file edited in place; the script operand
		// is no file, and marking it costs nothing.
		for _, a := range inv.Args {
			if !strings.HasPrefix(a.Value, "-") {
				w.noteWrite(abs(a), nil, false, inv.Name+" -i", st)
			}
		}
	case "dd":
		for _, a := range inv.Args {
			if strings.HasPrefix(a.Value, "of=") {
				w.noteWrite(abs(Word{Value: strings.TrimPrefix(a.Value, "of="), Unknown: a.Unknown}), nil, false, "dd", st)
			}
		}
	}
}

// curlValued are curl's short options that take a value.
const curlValued = "AbcCdDeEFHKmoPQrtTuUwxXyYz"

// copyOperands splits the operands of cp, mv or install into sources and
// destination. intoDir is set by -t DIR, which names the destination
// directory. valued lists the short options that take a value.
func copyOperands(args []Word, valued map[string]bool) (srcs []Word, dest *Word, intoDir bool) {
	ops, dest := targetOperands(args, valued)
	if dest != nil {
		return ops, dest, true
	}
	if len(ops) < 2 {
		return nil, nil, false
	}
	d := ops[len(ops)-1]
	return ops[:len(ops)-1], &d, false
}

// targetOperands returns the operands of a command that takes -t DIR or
// --target-directory=DIR (cp, mv, install, ln), and that directory when
// given. valued lists the options that take a value.
func targetOperands(args []Word, valued map[string]bool) (ops []Word, dir *Word) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return append(ops, args[i+1:]...), dir
		case v == "-t" || v == "--target-directory":
			if i+1 < len(args) {
				d := args[i+1]
				dir = &d
				i++
			}
		case strings.HasPrefix(v, "--target-directory="):
			dir = &Word{Value: strings.TrimPrefix(v, "--target-directory="), Unknown: args[i].Unknown}
		case valued[v]:
			i++
		case strings.HasPrefix(v, "-") && v != "-":
		default:
			ops = append(ops, args[i])
		}
	}
	return ops, dir
}

// urlBase returns the file name curl -O or wget saves a URL under: the
// last segment of its path.
func urlBase(u Word) string {
	v := u.Value
	if u.Unknown || !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "ftp://")) {
		return ""
	}
	v = v[strings.Index(v, "://")+3:]
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		v = v[:i]
	}
	i := strings.LastIndex(v, "/")
	if i < 0 || i == len(v)-1 {
		return ""
	}
	return v[i+1:]
}

// missing reports whether the file a copies from is known not to exist:
// neither on disk nor written by the code. Copying it fails and writes
// nothing.
func (w *walker) missing(a Word, cwd string) bool {
	p := ResolvePath(cwd, a.Value)
	if p == "" || a.Unknown || a.Glob {
		return false
	}
	if _, ok := w.a.written[p]; ok {
		return false
	}
	if _, ok := w.a.copies[p]; ok {
		return false
	}
	if _, ok := copiedFrom(w.a.copies, p); ok {
		return false
	}
	_, err := w.a.ctx.FS.Stat(p)
	return errors.Is(err, fs.ErrNotExist)
}

// isDir reports whether p is an existing directory.
func (w *walker) isDir(p string) bool {
	if w.a.ctx.FS == nil {
		return false
	}
	fi, err := w.a.ctx.FS.Stat(p)
	return err == nil && fi.IsDir()
}

// writtenScript follows "./run.sh" when the code itself wrote run.sh: a
// shell script (a shell's #! line, or none) is analysed as "bash
// ./run.sh" would be, and one whose content cannot be known is unknown.
// A script on disk that the code did not write is not followed: running
// a program is not analysed (see the threat model).
func (w *walker) writtenScript(inv Invocation, st *state) (*Stream, bool) {
	if !strings.Contains(inv.Path, "/") || inv.Remote != "" {
		return nil, false
	}
	p := ResolvePath(inv.Cwd, inv.Path)
	f, ok := w.a.written[p]
	if !ok || p == "" {
		return nil, false
	}
	if !f.known {
		inv.Unknown = "runs " + inv.Path + ", which the command line writes first (with " + f.by + "), so what it runs cannot be checked"
		w.a.emit(inv)
		return &Stream{From: inv.Name}, true
	}
	w.runScript(inv, f.data, st)
	return &Stream{From: inv.Name}, true
}
