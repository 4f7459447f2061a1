package interceptor

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/guard-dev/guard/interceptor/taskrunner"
)

// Task runners run the commands a project file names: "npm run nuke" runs
// the "nuke" script of package.json, "make reset-db" the recipe of the
// Makefile's reset-db target. Package taskrunner reads those files and says
// what a runner command runs; here each step it hands over is analysed
// as the shell code the runner hands to sh, in the runner's directory, with
// the link — the runner command and where the recipe stands ("npm run nuke
// (package.json line 9)") — in Invocation.Chain. The files are read
// through Context.FS as the command line leaves them (see written.go), and
// kept while they stay as they were (runnerCache).

// maxRunnerFile is the largest runner file read (package.json, Makefile…).
const maxRunnerFile = 1 << 20

// taskRunner follows the recipes a task runner command runs. It is called
// after the runner's own invocation was emitted.
func (w *walker) taskRunner(inv Invocation, st *state) {
	if inv.Remote != "" {
		return
	}
	follows := taskrunner.Follows(inv.Name)
	pdm := len(inv.Wrappers) > 0 && inv.Wrappers[len(inv.Wrappers)-1] == "pdm"
	if !follows && !pdm {
		return
	}
	h := &runnerHost{w: w, st: st, text: inv.Text}
	c := taskrunner.Command{Name: inv.Name, Args: h.args[:0], Cwd: inv.Cwd, Edits: &w.a.edits}
	for _, a := range inv.Args {
		c.Args = append(c.Args, taskrunner.Arg{Value: a.Value, Unknown: a.Unknown})
	}
	if inv.Stdin != nil {
		c.Stdin = &taskrunner.Stdin{Known: inv.Stdin.Known, Data: inv.Stdin.Data, From: inv.Stdin.From}
	}
	if follows {
		taskrunner.Follow(c, h)
	}
	if pdm {
		// "pdm run NAME": the script NAME when pyproject.toml has one.
		c.Name, c.Args = "pdm", append([]taskrunner.Arg{{Value: "run"}, {Value: inv.Path}}, c.Args...)
		taskrunner.Follow(c, h)
	}
}

// runnerHost is what package taskrunner reads through, and what analyses
// the steps it hands over, for one runner command run in st; text is the
// command's source text.
type runnerHost struct {
	w    *walker
	st   *state
	text string
	// args holds the arguments of a command that has few, so that they
	// take no allocation of their own.
	args [6]taskrunner.Arg
}

// Run analyses one step of the runner command.
func (h *runnerHost) Run(s taskrunner.Step) {
	switch {
	case s.Unknown != "":
		text := h.text
		if s.Detached {
			text = ""
		}
		h.w.a.unknown(h.st.nested(s.Link), text, s.Unknown)
	case len(s.Env) > 0:
		in := h.st.clone()
		for _, v := range s.Env {
			in.setVar(v.Name, v.Value)
		}
		h.w.runRecipe(s.Link, s.Src, s.Dir, in)
	default:
		h.w.runRecipe(s.Link, s.Src, s.Dir, h.st)
	}
}

func (h *runnerHost) File(p string) (string, bool, string) { return h.w.runnerFile(p) }
func (h *runnerHost) Stat(p string) (fs.FileInfo, error)   { return h.w.a.ctx.FS.Stat(p) }
func (h *runnerHost) Lookup(name string) (string, bool)    { return h.st.lookup(name) }
func (h *runnerHost) Home() string                         { return h.st.home }
func (h *runnerHost) Step() bool                           { return h.w.a.step() }
func (h *runnerHost) Spend(n int) bool                     { return h.w.a.spend(n) }
func (h *runnerHost) Stopped() bool                        { return h.w.a.stopped }

// ReadDir lists a directory when the context's FS can list them.
func (h *runnerHost) ReadDir(p string) ([]fs.DirEntry, error) {
	lister, ok := h.w.a.ctx.FS.(dirLister)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return lister.ReadDir(p)
}

// Parts splits the content of the runner file at p, as runnerFile
// returned it, into the file on disk and what the command line writes.
func (h *runnerHost) Parts(p, data string) []taskrunner.Part {
	const label = " as the command line writes it"
	f, ok := h.w.a.written[p]
	if !ok || !f.known || data == f.data || !strings.HasSuffix(data, "\n"+f.data) {
		if ok {
			return []taskrunner.Part{{Text: data, Label: label}}
		}
		return []taskrunner.Part{{Text: data}}
	}
	return []taskrunner.Part{{Text: data[:len(data)-len(f.data)-1]}, {Text: f.data, Label: label}}
}

// Memo returns where what is parsed from the file at p is kept, when the
// cache holds p with exactly data and the command line does not write it.
func (h *runnerHost) Memo(p, data string) *taskrunner.Memo {
	if h.w.a.runners == nil {
		return nil
	}
	if _, written := h.w.a.written[p]; written {
		return nil
	}
	c := h.w.a.runners.files[p]
	if c == nil || c.data != data {
		return nil
	}
	return &c.memo
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
	// memo is what package taskrunner parsed from data.
	memo taskrunner.Memo
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

// dirLister is an FS that can list a directory: the workspaces of a
// monorepo, a Rakefile's rakelib.
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
