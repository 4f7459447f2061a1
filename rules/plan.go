package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Plan is what a judged command line will run, as approvals are bound to
// it: the commands bash would start with their resolved arguments,
// redirections, directories and programs, the content of every file the
// analysis read to know them (scripts, sourced files, data files), the
// descriptors it read (Cursor's saved state on 3) and the positional
// parameters.
//
// An agent's own harness noise is normalised away, so that a retry of the
// same call is the same plan: the random part of the scratch files agents
// write in a temporary directory (Claude Code's "pwd -P >| /tmp/claude-
// 93e6-cwd", Gemini CLI's "/tmp/gemini-shell-x1/bgpids.tmp" and
// "/tmp/shell_pgrep_7ad66c54c43b.tmp"), and what a sourced snapshot merely
// defines (Invocation.Defines; the snapshot's content is bound instead), and
// the operands of the test builtin, which only choose among the steps
// (Codex compares its per-call CODEX_TOOL_CALL_ID after its snapshot).
type Plan struct {
	// Steps are the commands that matter, in the order they were met.
	Steps []Step
	// Files are the files the analysis read, sorted by path.
	Files []FileDigest
	// Key is the hex SHA-256 of everything above, the descriptors read and
	// the positional parameters: two calls with the same Key run the same
	// thing.
	Key string

	invs   []interceptor.Invocation // parallel to Steps
	extra  []interceptor.Invocation // what Steps leave out (Defines)
	engine *Engine
	world  *World
}

// Step is one command of a plan.
type Step struct {
	// Show is the command for a human: its words as resolved, unknown parts
	// as "…", and the host it runs on when that is not this one. It may
	// hold secrets: redact it before showing or storing it.
	Show string
	// Cwd is the directory it runs in, "" when not known.
	Cwd string
	// Quiet reports a shell builtin that only changes the shell's own
	// state or runs nothing (true, shopt, alias, eval of text whose
	// commands are steps of their own): not worth a human's attention
	// when showing what an approval allows.
	Quiet bool
	// Digest is the hex SHA-256 of the step's canonical text: name,
	// resolved program, arguments (but a test's operands, which only
	// decide which steps run), redirections, assignments, standard input,
	// the directory, and the source text when a part is unknown.
	// How the step was reached (bash -c, eval) is not part of it, so the
	// same command judged inside a wrapper and on its own has one digest.
	Digest string
}

// FileDigest is one file the analysis read.
type FileDigest struct {
	// Path is the absolute path read.
	Path string
	// SHA256 is the hex digest of what was read, "unreadable" when reading
	// failed, or "head:" and the digest of the start of the file when only
	// that was read (a compiled program run by path).
	SHA256 string
}

// Plan returns the plan of the judged line: what an approval for it is
// bound to. It is computed on demand, as only commands that need a human
// need it.
func (j Result) Plan() Plan {
	if j.engine == nil {
		return TextPlan(j.src, j.cwd, j.args, j.fds)
	}
	p := Plan{engine: j.engine, world: j.world}
	var temps []string
	if j.world != nil {
		temps = j.world.TempDirs
	}
	for i, inv := range j.invs {
		if inv.Defines {
			p.extra = append(p.extra, inv)
			continue
		}
		var progs []Program
		if i < len(j.Launches) {
			progs = j.Launches[i].Programs()
		}
		p.Steps = append(p.Steps, Step{Show: showStep(inv, temps), Cwd: inv.Cwd, Quiet: quietStep(inv), Digest: stepDigest(inv, progs, temps)})
		p.invs = append(p.invs, inv)
	}
	if j.reads != nil {
		p.Files = j.reads.digests()
	}
	h := newFields("guard plan v1")
	h.add("cwd", j.cwd)
	for _, s := range p.Steps {
		h.add("step", s.Digest)
	}
	for _, f := range p.Files {
		h.add("file", f.Path, f.SHA256)
	}
	fds := make([]int, 0, len(j.fds))
	for fd := range j.fds {
		fds = append(fds, fd)
	}
	sort.Ints(fds)
	for _, fd := range fds {
		h.add("fd", strconv.Itoa(fd), digest(j.fds[fd]))
	}
	for _, a := range j.args {
		h.add("arg", a)
	}
	p.Key = h.sum()
	return p
}

// TextPlan is the plan of a line that was not analysed into commands (the
// analysis failed, or the caller judged it another way): bound to its exact
// text, with one step that shows it. Nothing runs beyond it as approved
// (Beyond judges what is not covered as needing a human).
func TextPlan(src, cwd string, args []string, fds map[int]string) Plan {
	h := newFields("guard text plan v1")
	h.add("src", src)
	h.add("cwd", cwd)
	for _, a := range args {
		h.add("arg", a)
	}
	fdNums := make([]int, 0, len(fds))
	for fd := range fds {
		fdNums = append(fdNums, fd)
	}
	sort.Ints(fdNums)
	for _, fd := range fdNums {
		h.add("fd", strconv.Itoa(fd), digest(fds[fd]))
	}
	key := h.sum()
	return Plan{Steps: []Step{{Show: src, Cwd: cwd, Digest: key}}, Key: key}
}

// Beyond judges what the plan runs beyond the steps covered reports as
// approved: a human approved a command, and the line that runs it also
// runs its agent's harness (sourcing the snapshot, eval, recording the
// working directory), which must be harmless on its own. Steps left out of
// Steps (what a snapshot defines) are judged too.
func (p Plan) Beyond(covered func(digest string) bool) Verdict {
	if p.engine == nil {
		for _, s := range p.Steps {
			if !covered(s.Digest) {
				return Verdict{Decision: Confirm, Findings: []Finding{{Rule: "meta.unknown", Decision: Confirm, Reason: "guard could not analyse this command into the commands it runs"}}}
			}
		}
		return Verdict{Decision: Allow}
	}
	rest := slices.Clone(p.extra)
	for i, s := range p.Steps {
		if !covered(s.Digest) {
			rest = append(rest, p.invs[i])
		}
	}
	return p.engine.Evaluate(rest, p.world)
}

// fields builds a digest of length-prefixed fields, so that no two lists
// of fields share one.
type fields struct{ b []byte }

func newFields(domain string) *fields {
	f := &fields{}
	f.add(domain)
	return f
}

func (f *fields) add(parts ...string) {
	for _, s := range parts {
		f.b = strconv.AppendInt(f.b, int64(len(s)), 10)
		f.b = append(f.b, ':')
		f.b = append(f.b, s...)
	}
	f.b = append(f.b, ';')
}

func (f *fields) sum() string { return digest(string(f.b)) }

// digest is the hex SHA-256 of s.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// stepDigest is the digest of one invocation's canonical text (see Step).
func stepDigest(inv interceptor.Invocation, progs []Program, temps []string) string {
	f := newFields("step")
	norm := func(w interceptor.Word) string { return harnessPath(w.Value, temps) }
	f.add("name", inv.Name, harnessPath(inv.Path, temps))
	f.add("cwd", inv.Cwd, inv.Home)
	for _, p := range progs {
		switch {
		case p.Builtin:
			f.add("builtin", p.Name)
		case p.Real != "":
			f.add("program", p.Real)
		default:
			f.add("program?", p.Name)
		}
	}
	unknown := inv.Unknown != ""
	if testStep(inv, progs) {
		// Its operands decide only which of the other steps run, and
		// those are bound; an agent's per-call values (Codex's
		// CODEX_TOOL_CALL_ID, compared after its snapshot) are left out.
		f.add("test")
	} else {
		for _, a := range inv.Args {
			f.add("arg", norm(a), strconv.FormatBool(a.Glob))
			unknown = unknown || a.Unknown
		}
	}
	for _, r := range inv.Redirects {
		f.add("redirect", r.Op, strconv.Itoa(r.Fd), norm(r.Target))
		unknown = unknown || r.Target.Unknown
	}
	keys := make([]string, 0, len(inv.Assigns))
	for k := range inv.Assigns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.add("assign", k, harnessPath(inv.Assigns[k], temps))
	}
	f.add("wrappers", strings.Join(inv.Wrappers, "\x00"))
	if s := inv.Stdin; s != nil {
		f.add("stdin", strconv.FormatBool(s.Known), digest(s.Data), s.From)
		for _, it := range s.Items {
			f.add("item", it.Value)
		}
		unknown = unknown || !s.Known
	}
	f.add("launched", inv.Launched, inv.Indirect, inv.Remote, inv.Unknown)
	for _, m := range inv.Mounts {
		f.add("mount", m.Host, m.Container)
	}
	if unknown {
		// What is unknown is the same mark in every word: the text that
		// computes it tells "rm -rf $(a)" from "rm -rf $(b)".
		f.add("text", inv.Text)
	}
	return f.sum()
}

// testStep reports the test builtin ("[" or "test"): it runs nothing, and
// its status only chooses among the other steps.
func testStep(inv interceptor.Invocation, progs []Program) bool {
	if inv.Name != "[" && inv.Name != "test" || len(progs) == 0 {
		return false
	}
	for _, p := range progs {
		if !p.Builtin {
			return false
		}
	}
	return true
}

// showStep renders an invocation for a human: "rm -rf /home/u/junk (in
// /home/u)".
func showStep(inv interceptor.Invocation, temps []string) string {
	var b strings.Builder
	name := inv.Path
	if name == "" {
		name = inv.Name
	}
	if name == "" {
		b.WriteString(inv.Text)
	} else {
		b.WriteString(name)
		for _, a := range inv.Args {
			b.WriteByte(' ')
			b.WriteString(quoteShow(harnessPath(a.String(), temps)))
		}
		for _, r := range inv.Redirects {
			b.WriteByte(' ')
			if r.Fd >= 0 {
				b.WriteString(strconv.Itoa(r.Fd))
			}
			b.WriteString(r.Op)
			b.WriteString(quoteShow(harnessPath(r.Target.String(), temps)))
		}
	}
	if inv.Remote != "" {
		b.WriteString(" (on " + inv.Remote + ")")
	}
	return b.String()
}

// quietStep reports a builtin that changes only the shell's own state or
// runs nothing, with no redirection (see Step.Quiet).
func quietStep(inv interceptor.Invocation) bool {
	if inv.Unknown != "" || inv.Remote != "" {
		return false
	}
	for _, r := range inv.Redirects {
		if r.Writes() && (r.Target.Unknown || r.Target.Value != "/dev/null") {
			return false
		}
	}
	switch inv.Name {
	case "true", "false", ":", "shopt", "set", "unalias", "unset", "alias", "export", "declare", "typeset",
		"local", "readonly", "eval", "builtin", "trap", "exit", "return", "hash", "complete", "[", "test":
		return true
	}
	return false
}

// quoteShow quotes a word that holds spaces or is empty, for display.
func quoteShow(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// harnessPath replaces the random part of the scratch files agents' shell
// harnesses create in a temporary directory with "*", so that every call
// of one harness names the same file: Claude Code's <tmp>/claude-<hex>-cwd,
// Gemini CLI's <tmp>/gemini-shell-<random>/... and its older
// <tmp>/shell_pgrep_<hex>.tmp. Any other word is returned unchanged.
func harnessPath(p string, temps []string) string {
	if !strings.HasPrefix(p, "/") {
		return p
	}
	for _, t := range temps {
		t = filepath.Clean(t)
		rest, ok := strings.CutPrefix(p, t+"/")
		if !ok {
			continue
		}
		first, tail, _ := strings.Cut(rest, "/")
		if tail != "" {
			tail = "/" + tail
		}
		switch {
		case tail == "" && randomBetween(first, "claude-", "-cwd", isHex):
			return t + "/claude-*-cwd"
		case tail == "" && randomBetween(first, "shell_pgrep_", ".tmp", isHex):
			return t + "/shell_pgrep_*.tmp"
		case randomBetween(first, "gemini-shell-", "", isAlnum):
			return t + "/gemini-shell-*" + tail
		}
	}
	return p
}

// randomBetween reports whether s is prefix, 1 to 32 characters that all
// satisfy ok, and suffix.
func randomBetween(s, prefix, suffix string, ok func(byte) bool) bool {
	mid, found := strings.CutPrefix(s, prefix)
	if !found {
		return false
	}
	mid, found = strings.CutSuffix(mid, suffix)
	if !found || len(mid) == 0 || len(mid) > 32 {
		return false
	}
	for i := 0; i < len(mid); i++ {
		if !ok(mid[i]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// readLog is the filesystem view one judgment reads through: it passes
// every call on and records a digest of each file read, for Plan.
//
// It also remembers what Stat and Lstat answered: one judgment sees the
// filesystem as it is when the command is about to run, and the analysis
// and several packs ask about the same paths (the cwd, a target's
// directories); on this machine's kernels a stat costs about as much as
// analysing a short command.
type readLog struct {
	base  interceptor.FS
	files map[string]string
	stats []statAnswer
	// statBuf holds the first answer, so that a judgment's one stat
	// takes no allocation of its own.
	statBuf [1]statAnswer
}

// statAnswer is one remembered Stat or Lstat.
type statAnswer struct {
	name  string
	lstat bool
	fi    fs.FileInfo
	err   error
}

// maxStatMemo bounds the remembered answers; past it, calls pass on.
const maxStatMemo = 32

// stat answers Stat (lstat false) or Lstat from the memo or the base view.
func (r *readLog) stat(name string, lstat bool) (fs.FileInfo, error) {
	for i := range r.stats {
		if a := &r.stats[i]; a.name == name && a.lstat == lstat {
			return a.fi, a.err
		}
	}
	var fi fs.FileInfo
	var err error
	if lstat {
		fi, err = interceptor.AsLinkFS(r.base).Lstat(name)
	} else {
		fi, err = r.base.Stat(name)
	}
	if len(r.stats) < maxStatMemo {
		r.stats = append(r.stats, statAnswer{name, lstat, fi, err})
	}
	return fi, err
}

// Stat describes name, following links, as the base view does.
func (r *readLog) Stat(name string) (fs.FileInfo, error) { return r.stat(name, false) }

// Lstat and Readlink pass the base view's links on (interceptor.LinkFS):
// the path model follows them.
func (r *readLog) Lstat(name string) (fs.FileInfo, error) { return r.stat(name, true) }

// Readlink returns the target of the link name in the base view.
func (r *readLog) Readlink(name string) (string, error) {
	return interceptor.AsLinkFS(r.base).Readlink(name)
}

// record notes digest d for the file name.
func (r *readLog) record(name, d string) {
	if r.files == nil {
		r.files = map[string]string{}
	}
	r.files[name] = d
}

// ReadFile reads through the base view and records what it read.
func (r *readLog) ReadFile(name string) ([]byte, error) {
	b, err := r.base.ReadFile(name)
	if err != nil {
		r.record(name, "unreadable")
	} else {
		r.record(name, digest(string(b)))
	}
	return b, err
}

// ReadHead reads the start of a file (interceptor's view of a program run
// by path); a file read whole as well is recorded by its whole content.
func (r *readLog) ReadHead(name string, n int) ([]byte, error) {
	var b []byte
	var err error
	if h, ok := r.base.(interface {
		ReadHead(string, int) ([]byte, error)
	}); ok {
		b, err = h.ReadHead(name, n)
	} else {
		b, err = r.base.ReadFile(name)
		if len(b) > n {
			b = b[:n]
		}
	}
	if _, whole := r.files[name]; !whole {
		if err != nil {
			r.record(name, "unreadable")
		} else {
			r.record(name, "head:"+digest(string(b)))
		}
	}
	return b, err
}

// digests returns the files read, sorted by path.
func (r *readLog) digests() []FileDigest {
	out := make([]FileDigest, 0, len(r.files))
	for p, d := range r.files {
		out = append(out, FileDigest{Path: p, SHA256: d})
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Path < out[k].Path })
	return out
}
