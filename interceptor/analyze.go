package interceptor

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/guard-dev/guard/interceptor/taskrunner"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Analyze parses src as bash and returns every simple command that would
// run, in source order, nested code included. It never returns an empty list
// for input it could not follow: a parse error or an exceeded limit is
// reported as an Invocation with Unknown set.
func Analyze(src string, ctx Context) []Invocation {
	var z Analyzer
	return z.Analyze(src, ctx)
}

// Analyzer analyses one command after another, reusing its parser: the
// parser's buffers are most of what one analysis allocates. An Analyzer
// must not be used by two goroutines at once.
type Analyzer struct {
	parser *syntax.Parser
	// written and copies are what the last analysis saw the code write.
	written map[string]written
	copies  map[string]string
	links   map[string]string
	linksAt map[string]int
	// runners keeps task runner files read from disk (taskrunner.go).
	runners *runnerCache
	// mem is the memory of the last analysis, reset and used again by the
	// next (analysisMem).
	mem *analysisMem
}

// analysisMem holds what every analysis allocates the same: its analyzer,
// its context and its top-level state. Nothing an analysis returns or
// leaves in its Analyzer points to them (the invocations, the written
// files and the caches hold their own values), so the next analysis of
// the same Analyzer resets and reuses them instead of allocating them
// again: a command costs that much less memory to judge.
type analysisMem struct {
	a   analyzer
	ctx Context
	st  state
}

// Analyze is the package's Analyze with the Analyzer's parser.
func (z *Analyzer) Analyze(src string, ctx Context) []Invocation {
	if z.parser == nil {
		z.parser = syntax.NewParser(syntax.Variant(syntax.LangBash))
	}
	if z.runners == nil {
		z.runners = &runnerCache{}
	}
	if z.mem == nil {
		z.mem = new(analysisMem)
	}
	m := z.mem
	m.ctx = ctx
	a := &m.a
	*a = analyzer{ctx: &m.ctx, lim: ctx.Limits.orDefault(), parser: z.parser, runners: z.runners}
	if a.ctx.FS == nil {
		a.ctx.FS = OSFS{}
	}
	st := &m.st
	*st = state{
		an:   a,
		ctx:  a.ctx,
		cwd:  ctx.Cwd,
		home: ctx.Home,
		args: ctx.Args,
	}
	exactHome(st)
	if ctx.Startup.Flags != "" {
		st.setVar("-", ctx.Startup.Flags)
	}
	if ctx.Startup.Login {
		a.loginStartup(st, ctx.Startup.Posix)
	}
	a.script(src, st)
	z.written, z.copies, z.links, z.linksAt = a.written, a.copies, a.links, a.linksAt
	return a.out
}

// errStop unwinds the analysis once a limit is hit.
var errStop = errors.New("analysis stopped")

type analyzer struct {
	ctx   *Context
	lim   Limits
	out   []Invocation
	steps int
	// expanded counts the bytes analysis made (see spend).
	expanded int
	// stopped is set once a limit was reported; nothing more is added.
	stopped bool
	// rec collects what a sourced file defines while its analysis is
	// recorded for Context.Sources.
	rec *sourceRecord
	// fdsRead holds the descriptors of Context.Fds already read once:
	// what reads them again gets what is left, which is unknown.
	fdsRead map[int]bool
	// parser is reused for nested code: a Parser resets itself on Parse.
	parser *syntax.Parser
	// bodySrc holds, for each function body met, the source text it was
	// parsed from, which the positions in its nodes point into: a
	// function defined in one text (a snapshot, Cursor's saved state) is
	// called from another, and its commands' Text must come from its own.
	bodySrc map[*syntax.Stmt]string
	// noFastPath sends every script through the parser (tests compare).
	noFastPath bool
	// written holds the files the code writes before it may read them,
	// by absolute path, and copies the directories it copies, from the
	// copy to the original (see written.go).
	written map[string]written
	copies  map[string]string
	// links holds the links the code makes, from the link to its target
	// as written, and linksAt how many invocations came before each
	// (links.go).
	links   map[string]string
	linksAt map[string]int
	// copyDepth counts the directory copies a read follows back.
	copyDepth int
	// cur is the walker of the code being analysed; maybe counts the
	// places on the way to it that are not sure to run (see certain).
	cur   *walker
	maybe int
	// mounts are the bind mounts of the container whose command is being
	// analysed (docker run -v), given to the invocations that run in it.
	mounts      []Mount
	mountRemote string
	// edits are the package.json scripts "npm pkg set" writes (runners.go).
	edits   taskrunner.Edits
	runners *runnerCache
}

// fail records an unknowable invocation.
func (a *analyzer) unknown(st *state, text, why string) {
	if a.stopped {
		return
	}
	a.emit(Invocation{Unknown: why, Text: text, Chain: st.chain, Remote: st.remote, Cwd: st.cwd, Home: st.home})
}

func (a *analyzer) emit(inv Invocation) {
	if a.stopped {
		return
	}
	if len(a.out) >= a.lim.MaxInvocations {
		a.limit(fmt.Sprintf("the command is too large to check: more than %d commands", a.lim.MaxInvocations))
		return
	}
	if inv.Remote != "" && inv.Remote == a.mountRemote {
		inv.Mounts = a.mounts
	}
	a.out = append(a.out, inv)
}

// limit reports an exceeded bound once and stops further analysis.
func (a *analyzer) limit(why string) {
	if a.stopped {
		return
	}
	a.out = append(a.out, Invocation{Unknown: why})
	a.stopped = true
}

// step counts work and reports whether the analysis may go on.
func (a *analyzer) step() bool {
	if a.stopped {
		return false
	}
	a.steps++
	if a.steps > a.lim.MaxSteps {
		a.limit("the command is too complex to check in the time allowed")
		return false
	}
	return true
}

// script parses and walks one piece of source in st.
func (a *analyzer) script(src string, st *state) { a.scriptIn(src, st, false) }

// sourced analyses the text of a sourced file: a return in it ends it.
func (a *analyzer) sourced(src string, st *state) { a.scriptIn(src, st, true) }

// scriptIn analyses src in st; returns says a return ends it (a sourced
// file), where at the top of a -c string bash only complains.
func (a *analyzer) scriptIn(src string, st *state, returns bool) {
	if !a.step() {
		return
	}
	if len(src) > a.lim.MaxInput {
		a.unknown(st, "", fmt.Sprintf("the command is too large to check (%d bytes, limit %d)", len(src), a.lim.MaxInput))
		return
	}
	if st.depth > a.lim.MaxDepth {
		a.unknown(st, "", fmt.Sprintf("the command nests code more than %d levels deep", a.lim.MaxDepth))
		return
	}
	if strings.IndexByte(src, 0) >= 0 {
		a.unknown(st, "", "the command contains a NUL byte")
		return
	}
	if !utf8.ValidString(src) {
		// bash takes any bytes; the parser wants UTF-8. Invalid bytes
		// only ever stand inside words, so replacing them keeps the
		// structure that is judged.
		src = strings.ToValidUTF8(src, "\uFFFD")
	}
	if words, ok := plainCommand(src); ok && !a.noFastPath && len(st.aliases) == 0 {
		w := &walker{a: a, src: src, sure: true, returns: returns}
		defer a.enter(w)()
		w.run(Invocation{Text: src, Cwd: st.cwd, Home: st.home, Chain: st.chain, Remote: st.remote}, words, st)
		return
	}
	if a.parser == nil {
		a.parser = syntax.NewParser(syntax.Variant(syntax.LangBash))
	}
	f, err := a.parser.Parse(strings.NewReader(src), "")
	if err != nil {
		a.unknown(st, firstLine(src), "bash cannot parse this command ("+cleanParseError(err)+")")
		return
	}
	w := &walker{a: a, src: src, sure: true, returns: returns}
	defer a.enter(w)()
	w.stmts(f.Stmts, st, nil)
}

// enter makes w the walker of the code being analysed, until the function
// it returns is called. Code reached from a place that is not sure to run
// is not sure to run either, wherever it is sure within itself.
func (a *analyzer) enter(w *walker) func() {
	prev := a.cur
	unsure := prev != nil && !prev.sure
	if unsure {
		a.maybe++
	}
	a.cur = w
	return func() {
		a.cur = prev
		if unsure {
			a.maybe--
		}
	}
}

// certain reports whether the code being walked is sure to run: every
// walker on the way to it was at a place sure to run. Outside any walker
// (the start of the analysis) it is.
func (a *analyzer) certain() bool {
	return a == nil || (a.cur == nil || a.cur.sure) && a.maybe == 0
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func cleanParseError(err error) string {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return pe.Text
	}
	return err.Error()
}

// walker walks the syntax tree of one piece of source.
type walker struct {
	a   *analyzer
	src string
	// sure says the statement being walked runs for certain, in this
	// shell, once the code it belongs to runs: not in a branch, a loop, a
	// pipeline or a subshell. Only then does a return or exit there end
	// that code for certain (ended), and what follows it is not analysed.
	// returns says a return ends the code (a sourced file, a function's
	// body). The zero value never ends anything: it analyses more.
	sure, returns, ended bool
	// needOut is positive while what a command writes is consumed (by
	// the next command of a pipeline, or a substitution); only then is
	// its output computed, which may read a file.
	needOut int
	// async is positive while the statement walked runs concurrently with
	// its caller: in the background or in a pipeline. A function that
	// calls itself there multiplies without end (see callFunc); callAsync
	// holds async as each function being called was entered.
	async     int
	callAsync map[string]int
}

// keepBodySrc records that function body was parsed from src.
func (a *analyzer) keepBodySrc(body *syntax.Stmt, src string) {
	if a.bodySrc == nil {
		a.bodySrc = map[*syntax.Stmt]string{}
	}
	a.bodySrc[body] = src
}

func (w *walker) text(n syntax.Node) string {
	start, end := int(n.Pos().Offset()), int(n.End().Offset())
	if start < 0 || end > len(w.src) || start > end {
		return ""
	}
	return w.src[start:end]
}

func (w *walker) stmts(list []*syntax.Stmt, st *state, in *Stream) {
	for _, s := range list {
		w.stmt(s, st, in)
		if w.a.stopped || w.ended {
			return
		}
	}
}

// stmt walks one statement that reads in on stdin (nil: inherited) and
// returns what it writes on stdout, as far as that is known.
func (w *walker) stmt(s *syntax.Stmt, st *state, in *Stream) *Stream {
	if !w.a.step() {
		return nil
	}
	outer := w.sure
	defer func() { w.sure = outer }()
	if s.Background || s.Coprocess {
		// Runs asynchronously: its cd and variables do not reach what follows.
		st = st.clone()
		outer = false
		w.async++
		defer func() { w.async-- }()
	}
	// What a compound command runs is not sure to run, but where the
	// cases below say so; a simple command, a declaration or a test is
	// itself the statement.
	_, simple := s.Cmd.(*syntax.CallExpr)
	switch s.Cmd.(type) {
	case *syntax.DeclClause, *syntax.ArithmCmd, *syntax.LetClause, *syntax.TestClause:
		w.sure = outer
	default:
		w.sure = outer && simple
	}
	redirs, stdin := w.redirects(s.Redirs, st)
	if stdin != nil {
		in = stdin
	}
	if !simple && len(redirs) > 0 {
		// A bare redirection ("> file") or one on a compound command
		// opens its files like ": > file" would.
		w.a.emit(Invocation{Name: ":", Path: ":", Text: w.text(s), Cwd: st.cwd, Home: st.home,
			Chain: st.chain, Remote: st.remote, Redirects: redirs})
		w.noteRedirectWrites(redirs, nil, "a redirection", st)
	}
	switch c := s.Cmd.(type) {
	case nil:
		return nil
	case *syntax.CallExpr:
		if len(c.Args) == 0 && len(redirs) > 0 {
			w.a.emit(Invocation{Name: ":", Path: ":", Text: w.text(s), Cwd: st.cwd, Home: st.home,
				Chain: st.chain, Remote: st.remote, Redirects: redirs})
			w.noteRedirectWrites(redirs, &Stream{Known: true}, "a redirection", st)
			return w.call(c, s, st, in, redirs)
		}
		if !stdoutToFile(redirs) {
			out := w.call(c, s, st, in, redirs)
			w.noteRedirectWrites(redirs, nil, "a redirection", st)
			return out
		}
		// What the command writes goes to a file that may be read later.
		w.needOut++
		out := w.call(c, s, st, in, redirs)
		w.needOut--
		w.noteRedirectWrites(redirs, out, "a redirection", st)
		return out
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.Pipe, syntax.PipeAll:
			w.async++
			defer func() { w.async-- }()
			w.needOut++
			out := w.stmt(c.X, st.clone(), in)
			w.needOut--
			if out == nil {
				// The reader of a pipe never gets the terminal: what it
				// reads is the writer's output, unknown when not computed.
				out = &Stream{From: "the output of `" + shortText(w.text(c.X)) + "`"}
			}
			return w.stmt(c.Y, st.clone(), out)
		default: // && ||
			// "a && b && c": c runs only after b did, so it sees what b
			// wrote; after the whole list, what any part wrote may or
			// may not be so (branch.go).
			parts := andOrChain(c)
			w.sure = outer
			out := w.stmt(parts[0], st, in)
			w.sure = false
			var end func(bool)
			for i, p := range parts[1:] {
				if end == nil && !runsNext(parts[i], c.Op, st) {
					end = st.branch()
				}
				y := w.stmt(p, st, in)
				if w.needOut == 0 {
					out = y
				} else {
					out = joinStreams(out, y) // all may run and write
				}
				if w.a.stopped {
					break
				}
			}
			if end != nil {
				end(true)
			}
			return out
		}
	case *syntax.Block:
		w.sure = outer
		return w.stmtsOut(c.Stmts, st, in)
	case *syntax.Subshell:
		return w.stmtsOut(c.Stmts, st.clone(), in)
	case *syntax.IfClause:
		// A branch whose condition is known runs, or not, for sure;
		// after one that may or may not run, nothing is sure.
		sure := outer
		// The first condition runs for sure; what follows it may not
		// (branch.go), unless every condition walked was known.
		var end func(bool)
		decided := true
		defer func() {
			if end != nil {
				end(!decided)
			}
		}()
		for cl := c; cl != nil; cl = cl.Else {
			if len(cl.Cond) == 0 { // else
				if end == nil {
					end = st.branch()
				}
				w.sure = sure
				w.stmts(cl.Then, st, in)
				break
			}
			result, known := w.knownTest(cl.Cond, st)
			w.sure = sure
			w.stmts(cl.Cond, st, in)
			if end == nil {
				end = st.branch()
			}
			if known && !result {
				continue
			}
			w.sure = sure && known
			decided = decided && known
			w.stmts(cl.Then, st, in)
			if known {
				break
			}
			sure = false
		}
	case *syntax.WhileClause:
		end := st.branch()
		w.stmts(c.Cond, st, in)
		w.stmts(c.Do, st, in)
		end(true)
	case *syntax.ForClause:
		end := st.branch()
		w.forClause(c, st, in)
		end(true)
	case *syntax.CaseClause:
		subject := w.word(c.Word, st)
		choice := caseChoice(c, subject, st)
		end := st.branch()
		defer func() { end(choice < 0) }()
		for i, item := range c.Items {
			for _, p := range item.Patterns {
				w.word(p, st)
			}
			if choice >= 0 && i != choice {
				continue // bash does not run it
			}
			w.sure = outer && i == choice
			w.stmts(item.Stmts, st, in)
		}
	case *syntax.FuncDecl:
		if c.Name == nil {
			// The parser takes zsh's anonymous functions, "() { ...; }";
			// bash rejects them.
			w.a.unknown(st, w.text(s), "bash cannot parse this command (a function without a name)")
			return nil
		}
		st.own()
		if st.funcs == nil {
			st.funcs = map[string]*syntax.Stmt{}
		}
		name := c.Name.Value
		st.funcs[name] = c.Body
		w.a.keepBodySrc(c.Body, w.src)
		st.rememberAliases(name)
		if w.a.rec != nil {
			w.a.rec.funcs[name] = w.text(s)
		}
		if name == "command_not_found_handle" {
			w.notFoundHandler(c.Body, st)
		}
	case *syntax.TimeClause:
		if c.Stmt != nil {
			w.sure = outer
			return w.stmt(c.Stmt, st, in)
		}
	case *syntax.CoprocClause:
		w.stmt(c.Stmt, st.clone(), in)
	case *syntax.DeclClause:
		w.valueCode(c, st)
		w.decl(c, st)
	case *syntax.ArithmCmd, *syntax.LetClause, *syntax.TestClause:
		w.substitutions(c, st)
		w.valueCode(c, st)
	default:
		w.substitutions(c, st)
	}
	if w.needOut > 0 {
		// What a loop, an if or a case writes is not computed.
		return &Stream{From: "the output of `" + shortText(w.text(s)) + "`"}
	}
	return nil
}

// runsNext reports whether the statement after s in a list joined by op
// is sure to run once s has: s is "true" or ":" before &&, "false" before
// ||, bash's own builtins, with no redirection (assignments before them
// change nothing).
func runsNext(s *syntax.Stmt, op syntax.BinCmdOperator, st *state) bool {
	c, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) != 1 || len(s.Redirs) > 0 || s.Background || s.Coprocess {
		return false
	}
	name, ok := plainLit(c.Args[0])
	if !ok || st.funcs[name] != nil || st.lazy[name] != "" || st.aliases[name] != "" {
		return false
	}
	succeeds := name == "true" || name == ":"
	if name != "false" && !succeeds {
		return false
	}
	if s.Negated {
		succeeds = !succeeds
	}
	return succeeds == (op == syntax.AndStmt)
}

// andOrChain returns the statements of a list of one operator, "a && b &&
// c" or "a || b || c", in order; the parser nests it to the left.
func andOrChain(c *syntax.BinaryCmd) []*syntax.Stmt {
	var rev []*syntax.Stmt
	for {
		rev = append(rev, c.Y)
		x := c.X
		inner, ok := x.Cmd.(*syntax.BinaryCmd)
		if !ok || inner.Op != c.Op || x.Negated || x.Background || x.Coprocess || len(x.Redirs) > 0 {
			rev = append(rev, x)
			break
		}
		c = inner
	}
	slices.Reverse(rev)
	return rev
}

// stmtsOut walks a list of statements and, when their output is consumed,
// returns all of it: known only when each statement's is.
func (w *walker) stmtsOut(list []*syntax.Stmt, st *state, in *Stream) *Stream {
	if w.needOut == 0 {
		w.stmts(list, st, in)
		return nil
	}
	out := &Stream{Known: true}
	for _, s := range list {
		out = joinStreams(out, w.stmt(s, st, in))
		if w.a.stopped {
			return nil
		}
		if w.ended {
			return out
		}
	}
	return out
}

// joinStreams is what a then b write one after the other: known only when
// both are (nil, not computed, is unknown).
func joinStreams(a, b *Stream) *Stream {
	switch {
	case a == nil || !a.Known:
		if a == nil {
			return &Stream{From: streamFrom(b)}
		}
		return a
	case b == nil || !b.Known:
		if b == nil {
			return &Stream{From: a.From}
		}
		return b
	}
	from := a.From
	if from == "" {
		from = b.From
	}
	return &Stream{Known: true, Data: a.Data + b.Data, From: from}
}

func streamFrom(s *Stream) string {
	if s == nil {
		return "a command"
	}
	return s.From
}

// shortText is source text for a message: its first line, at most 60
// characters.
func shortText(s string) string {
	s, _, cut := strings.Cut(s, "\n")
	if len(s) > 60 {
		n := 57
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	if cut {
		s += "…"
	}
	return s
}

// substitutions walks the command and process substitutions inside a node
// that is not otherwise expanded, such as an arithmetic command.
func (w *walker) substitutions(n syntax.Node, st *state) {
	syntax.Walk(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			w.sub(n.Stmts, st, "$(…)")
			return false
		case *syntax.ProcSubst:
			w.sub(n.Stmts, st, "<(…)")
			return false
		}
		return !w.a.stopped
	})
}

// sub walks the statements of a command or process substitution, one level
// deeper, in a copy of st.
func (w *walker) sub(stmts []*syntax.Stmt, st *state, link string) {
	n := st.nested(link)
	if n.depth > w.a.lim.MaxDepth {
		w.a.limit(fmt.Sprintf("the command nests substitutions more than %d levels deep", w.a.lim.MaxDepth))
		return
	}
	defer w.unsure()()
	w.stmts(stmts, n, nil)
}

// unsure marks what is walked next as not sure to end the code it is in
// (a substitution runs in a shell of its own); the function it returns
// restores the marks.
func (w *walker) unsure() func() {
	sure, ended := w.sure, w.ended
	w.sure = false
	return func() { w.sure, w.ended = sure, ended }
}

// ownScope walks what a return ends by itself (a function's body): sure
// to run once called, ended by its own return. The function it returns
// restores the marks of the caller's code.
func (w *walker) ownScope() func() {
	sure, returns, ended := w.sure, w.returns, w.ended
	if !sure {
		w.a.maybe++ // called from a place not sure to run
	}
	w.sure, w.returns, w.ended = true, true, false
	return func() {
		if !sure {
			w.a.maybe--
		}
		w.sure, w.returns, w.ended = sure, returns, ended
	}
}

func (w *walker) forClause(c *syntax.ForClause, st *state, in *Stream) {
	wi, ok := c.Loop.(*syntax.WordIter)
	if !ok {
		w.substitutions(c.Loop, st)
		w.valueCode(c.Loop, st)
		w.stmts(c.Do, st, in)
		return
	}
	var items []Word
	if wi.InPos.IsValid() {
		items = w.fields(wi.Items, st)
	} else {
		for _, a := range st.args[min(1, len(st.args)):] {
			items = append(items, Word{Value: a})
		}
		if st.args == nil {
			items = []Word{{Value: UnknownMark, Unknown: true}}
		}
	}
	const maxIter = 16
	if len(items) == 0 || len(items) > maxIter {
		// Too many to follow one by one: the loop variable is unknown.
		items = []Word{{Value: UnknownMark, Unknown: true}}
	}
	for _, it := range items {
		st.setVar(wi.Name.Value, it.Value)
		w.stmts(c.Do, st, in)
		if w.a.stopped {
			return
		}
	}
}

func (w *walker) assign(as *syntax.Assign, st *state) {
	name := as.Name.Value
	switch {
	case as.Array != nil:
		w.substitutions(as.Array, st)
		st.setVar(name, UnknownMark)
	case as.Index != nil:
		w.substitutions(as, st)
		if name == "BASH_CMDS" {
			// The hash table itself: BASH_CMDS[wipe]=/bin/rm.
			if key, ok := as.Index.(*syntax.Word); ok {
				st.remember(w.word(key, st).Value, w.word(as.Value, st))
			} else {
				st.remember(UnknownMark, w.word(as.Value, st))
			}
		}
		st.setVar(name, UnknownMark)
	case as.Naked:
		// "export X" keeps the value.
	default:
		w.setValue(name, w.word(as.Value, st), as.Append, st)
	}
}

// redirects expands a statement's redirections and returns them with the
// stdin they give, if any.
func (w *walker) redirects(rs []*syntax.Redirect, st *state) ([]Redirect, *Stream) {
	if len(rs) == 0 {
		return nil, nil
	}
	var out []Redirect
	var in *Stream
	for _, r := range rs {
		red := Redirect{Op: r.Op.String(), Fd: -1}
		if r.N != nil {
			fmt.Sscan(r.N.Value, &red.Fd)
		}
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			body := w.heredoc(r.Hdoc, st)
			if r.Op == syntax.DashHdoc {
				body.Data = stripTabs(body.Data)
			}
			if red.Fd <= 0 {
				in = body
			}
		case syntax.WordHdoc:
			v := w.word(r.Word, st)
			red.Target = v
			if red.Fd <= 0 {
				in = &Stream{Known: !v.Unknown, Data: v.Value + "\n", From: "here-string"}
			}
		default:
			red.Target = w.word(r.Word, st)
			if r.Op == syntax.RdrIn && red.Fd <= 0 {
				in = w.readFile(red.Target, st)
			}
			if r.Op == syntax.DplIn && red.Fd <= 0 {
				if fd := w.fdStream(red.Target); fd != nil {
					in = fd
				}
			}
		}
		out = append(out, red)
	}
	return out, in
}

func (w *walker) heredoc(word *syntax.Word, st *state) *Stream {
	if word == nil {
		return &Stream{Known: true, From: "heredoc"}
	}
	if !w.affordable(word, st, 1) {
		return &Stream{From: "heredoc"}
	}
	unknown := false
	cfg := w.config(st, &unknown)
	s, err := expand.Document(cfg, word)
	if !w.heredocFits(len(s)) || !w.a.spend(len(s)) {
		return &Stream{From: "heredoc"}
	}
	if err != nil || unknown || strings.Contains(s, UnknownMark) {
		return &Stream{Known: false, Data: s, From: "heredoc"}
	}
	return &Stream{Known: true, Data: s, From: "heredoc"}
}

// readFile returns the content of a file a command reads, known when the
// file exists locally and is small.
func (w *walker) readFile(target Word, st *state) *Stream {
	if w.a.rec != nil {
		w.a.rec.spoiled = true // the analysis depends on another file
	}
	p := w.linkedPath(ResolvePath(st.cwd, target.Value))
	if p == "" || target.Glob || st.remote != "" {
		return &Stream{From: "file " + target.String()}
	}
	if s, ok := w.writtenStream(p, target, func() *Stream { return w.readDisk(p, target) }); ok {
		return s
	}
	return w.readDisk(p, target)
}

// readDisk returns the content of the file at p as it is now.
func (w *walker) readDisk(p string, target Word) *Stream {
	const maxRead = 1 << 20
	if fd, ok := devFd(p); ok {
		// What guard read from the descriptor, or unknown: never the
		// descriptor itself, which would take the data from the command.
		if s := w.fdNumStream(fd); s != nil {
			return s
		}
		return &Stream{From: "file " + target.String()}
	}
	// Only regular files: reading a pipe, a FIFO or a terminal would block
	// the analysis or take the data from the command.
	if fi, err := w.a.ctx.FS.Stat(p); err != nil || !fi.Mode().IsRegular() || fi.Size() > maxRead {
		return &Stream{From: "file " + target.String()}
	}
	b, err := w.a.ctx.FS.ReadFile(p)
	if err != nil || !w.a.spend(len(b)) {
		return &Stream{From: "file " + target.String()}
	}
	return &Stream{Known: true, Data: string(b), From: "file " + target.String()}
}

// config returns an expansion config over st. Command substitutions met
// while expanding are analysed as code; they make the result unknown unless
// their output can be computed exactly (see cmdSubst).
func (w *walker) config(st *state, unknown *bool) *expand.Config {
	return &expand.Config{
		Env: environ{st},
		CmdSubst: func(wr io.Writer, cs *syntax.CmdSubst) error {
			w.cmdSubst(wr, cs, st, unknown)
			return nil
		},
		ProcSubst: func(ps *syntax.ProcSubst) (string, error) {
			*unknown = true
			w.sub(ps.Stmts, st, "<(…)")
			return "/dev/fd/" + kindMark(KindPipe, ""), nil
		},
	}
}

// word expands a word that stays one field (assignments, redirections).
func (w *walker) word(word *syntax.Word, st *state) Word {
	if word == nil {
		return Word{}
	}
	if !w.a.step() {
		return Word{Value: UnknownMark, Unknown: true}
	}
	if lit, ok := plainLit(word); ok {
		return Word{Value: lit, Glob: hasGlob(lit)}
	}
	word = w.pwTilde(unescaped(word), st)
	if !w.affordable(word, st, 1) {
		return Word{Value: UnknownMark, Unknown: true}
	}
	unknown := false
	s, err := expand.Literal(w.config(st, &unknown), word)
	if err != nil || !w.a.spend(len(s)) {
		return Word{Value: UnknownMark, Unknown: true}
	}
	unknown = unknown || strings.Contains(s, UnknownMark)
	if !unknown && shapedUnknown(word, st) {
		return Word{Value: UnknownMark, Unknown: true}
	}
	s = dropKinds(word, s, false)
	return Word{Value: s, Unknown: unknown, Glob: unquotedGlob(word)}
}

// fields expands words into fields as the shell would before running a
// command: brace expansion, tilde, parameters, substitutions, splitting.
// Globs are left as patterns, flagged in Word.Glob.
func (w *walker) fields(words []*syntax.Word, st *state) []Word {
	out := make([]Word, 0, len(words))
	for _, word := range words {
		if !w.a.step() {
			return append(out, Word{Value: UnknownMark, Unknown: true})
		}
		if lit, ok := plainLit(word); ok {
			out = append(out, Word{Value: lit, Glob: hasGlob(lit)})
			continue
		}
		n := braceCount(word)
		if n > w.a.lim.MaxFields {
			w.a.limit(fmt.Sprintf("a brace expansion makes more than %d words", w.a.lim.MaxFields))
			return append(out, Word{Value: UnknownMark, Unknown: true})
		}
		if !w.affordable(word, st, n) {
			return append(out, Word{Value: UnknownMark, Unknown: true})
		}
		unknown := false
		fs, err := w.expandFields(w.config(st, &unknown), word, st)
		if err != nil {
			out = append(out, Word{Value: UnknownMark, Unknown: true})
			continue
		}
		size := 0
		for _, f := range fs {
			size += len(f)
		}
		if !w.a.spend(size) {
			return append(out, Word{Value: UnknownMark, Unknown: true})
		}
		if shapedUnknown(word, st) {
			// An index, a length or a cut of a value guard does not know.
			out = append(out, Word{Value: UnknownMark, Unknown: true})
			continue
		}
		if w.emptyFieldsDiffer(word, st) {
			// Bash makes empty fields here that the expander drops.
			out = append(out, Word{Value: UnknownMark, Unknown: true})
			continue
		}
		glob := unquotedGlob(word)
		for _, f := range fs {
			f = dropKinds(word, f, true)
			u := unknown && strings.Contains(f, UnknownMark) || strings.Contains(f, UnknownMark)
			out = append(out, Word{Value: f, Unknown: u, Glob: glob && hasGlob(f)})
		}
		if len(out) > w.a.lim.MaxFields {
			w.a.limit(fmt.Sprintf("a command expands to more than %d words", w.a.lim.MaxFields))
			return out
		}
	}
	return out
}

// emptyFieldsDiffer reports whether splitting word may make fields that
// mvdan.cc/sh's expander does not. Bash ends a field at every IFS
// character that is not blank, so with IFS=, the value "a,,b" splits into
// "a", "" and "b", and "," alone into one empty field; the expander
// treats every IFS character like a blank and makes "a" and "b". Only an
// IFS with such a character, a word with an unquoted expansion, and an
// expanded text where two of them meet (or one leads) can differ; guard
// then reports the word unknown rather than judge other words than run.
func (w *walker) emptyFieldsDiffer(word *syntax.Word, st *state) bool {
	ifs, set := st.lookup("IFS")
	if !set || strings.Trim(ifs, " \t\n") == "" {
		return false
	}
	unquoted := false
	for _, p := range word.Parts {
		switch p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst, *syntax.ArithmExp:
			unquoted = true
		}
	}
	if !unquoted {
		return false
	}
	if n := braceCount(word); n > 1 && n <= w.a.lim.MaxFields {
		// Each word the braces make is split on its own: {a,}$IFS is
		// a$IFS and $IFS.
		cp := *word
		if syntax.SplitBraces(&cp) {
			for _, bw := range expand.Braces(&cp) {
				if w.emptyFieldsIn(joinLits(bw), ifs, st) {
					return true
				}
			}
			return false
		}
	}
	return w.emptyFieldsIn(word, ifs, st)
}

// emptyFieldsIn is emptyFieldsDiffer for a word without braces.
func (w *walker) emptyFieldsIn(word *syntax.Word, ifs string, st *state) bool {
	unknown := false
	s, err := expand.Literal(w.config(st, &unknown), word)
	if err != nil || unknown {
		return true
	}
	hard := func(r rune) bool { return strings.ContainsRune(ifs, r) && r != ' ' && r != '\t' && r != '\n' }
	blank := func(r rune) bool { return strings.ContainsRune(ifs, r) && (r == ' ' || r == '\t' || r == '\n') }
	prevHard, start := false, true
	for _, r := range s {
		switch {
		case hard(r):
			if prevHard || start {
				return true
			}
			prevHard = true
		case blank(r):
		default:
			prevHard = false
		}
		start = false
	}
	return false
}

// plainLit returns the value of a word made of one literal with nothing the
// shell would change, the common case, without running the expander.
// expandFields expands word into fields as bash does: brace expansion
// first, then tilde expansion of each word it makes ({~,/tmp} is the home
// directory and /tmp), then the rest.
func (w *walker) expandFields(cfg *expand.Config, word *syntax.Word, st *state) ([]string, error) {
	cp := *word // SplitBraces replaces the parts
	if !syntax.SplitBraces(&cp) {
		// Only a word without a brace expansion gets the tilde of an
		// assignment-shaped argument: bash leaves k=~/y{1,2} as it is.
		return expand.Fields(cfg, w.pwTilde(assignTilde(word, st), st))
	}
	var out []string
	for _, bw := range expand.Braces(&cp) {
		bw = joinLits(bw)
		if len(bw.Parts) == 0 {
			continue // an empty alternative ({a,}) is no word at all
		}
		fs, err := expand.Fields(cfg, w.pwTilde(bw, st))
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

// assignTilde expands the tilde after the "=" of an argument shaped like
// an assignment, and after each ":" of its value, as bash does outside
// POSIX mode: dd of=~/x writes /home/u/x, while --prefix=~/x keeps its
// tilde.
func assignTilde(word *syntax.Word, st *state) *syntax.Word {
	if len(word.Parts) == 0 {
		return word
	}
	lit, ok := word.Parts[0].(*syntax.Lit)
	if !ok {
		return word
	}
	k, v, ok := strings.Cut(lit.Value, "=")
	if !ok || !isName(k) || !strings.Contains(v, "~") {
		return word
	}
	// A tilde starts the value or follows a ":" (PATH=~/bin:~/go/bin),
	// and ends at a "/", a ":" or the end of the word.
	segs := strings.Split(v, ":")
	changed := false
	var home string
	for i, seg := range segs {
		last := i == len(segs)-1
		if !(strings.HasPrefix(seg, "~/") || seg == "~" && (!last || len(word.Parts) == 1)) {
			continue
		}
		if !changed {
			h, set := st.lookup("HOME")
			if !set {
				h = UnknownMark
			}
			home, changed = h, true
		}
		segs[i] = home + seg[1:]
	}
	if !changed {
		return word
	}
	c := *word
	c.Parts = append([]syntax.WordPart{&syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd,
		Value: k + "=" + strings.Join(segs, ":")}}, word.Parts[1:]...)
	return &c
}

// joinLits merges the adjacent literal parts brace expansion leaves
// ("~" and ""), so that a word made of "~" is seen as the tilde it is.
// A $name written right before a brace takes the letters of each
// alternative into its name, as bash expands braces before parameters:
// $e{a,b} is $ea $eb.
func joinLits(word *syntax.Word) *syntax.Word {
	var parts []syntax.WordPart
	for _, p := range word.Parts {
		if l, ok := p.(*syntax.Lit); ok && l.Value == "" {
			// An empty literal would keep the field alive: {a,}$v with v
			// empty is no word in bash.
			continue
		}
		if l, ok := p.(*syntax.Lit); ok && len(parts) > 0 {
			switch prev := parts[len(parts)-1].(type) {
			case *syntax.Lit:
				parts[len(parts)-1] = &syntax.Lit{ValuePos: prev.ValuePos, ValueEnd: l.ValueEnd, Value: prev.Value + l.Value}
				continue
			case *syntax.ParamExp:
				if n := nameChars(l.Value); n > 0 && shortName(prev) {
					cp := *prev
					cp.Param = &syntax.Lit{ValuePos: prev.Param.ValuePos, ValueEnd: prev.Param.ValueEnd, Value: prev.Param.Value + l.Value[:n]}
					parts[len(parts)-1] = &cp
					if n == len(l.Value) {
						continue
					}
					l = &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: l.Value[n:]}
				}
			}
			if prev, ok := parts[len(parts)-1].(*syntax.Lit); ok {
				parts[len(parts)-1] = &syntax.Lit{ValuePos: prev.ValuePos, ValueEnd: l.ValueEnd, Value: prev.Value + l.Value}
				continue
			}
			parts = append(parts, l)
			continue
		}
		parts = append(parts, p)
	}
	return &syntax.Word{Parts: parts}
}

// shortName reports whether p is $name, written without braces.
func shortName(p *syntax.ParamExp) bool {
	return p.Short && p.Param != nil && isName(p.Param.Value) && p.Index == nil && p.Exp == nil
}

// nameChars returns how many bytes at the start of s can continue a
// variable's name.
func nameChars(s string) int {
	n := 0
	for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return n
}

func plainLit(word *syntax.Word) (string, bool) {
	if len(word.Parts) != 1 {
		return "", false
	}
	lit, ok := word.Parts[0].(*syntax.Lit)
	if !ok {
		return "", false
	}
	if strings.ContainsAny(lit.Value, "\\{~") {
		return "", false
	}
	return lit.Value, true
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

// unquotedGlob reports whether a word has pattern characters outside quotes.
func unquotedGlob(word *syntax.Word) bool {
	for _, p := range word.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if hasGlob(p.Value) {
				return true
			}
		case *syntax.ParamExp:
			// An unquoted expansion may hold pattern characters.
			return true
		case *syntax.ExtGlob:
			return true
		}
	}
	return false
}

// braceCount estimates how many words brace expansion makes of word,
// without making them.
func braceCount(word *syntax.Word) int {
	total := 1
	for _, p := range word.Parts {
		lit, ok := p.(*syntax.Lit)
		if !ok || !strings.Contains(lit.Value, "{") {
			continue
		}
		total *= braceLitCount(lit.Value)
		if total > 1<<24 || total < 0 {
			return 1 << 24
		}
	}
	return total
}

// braceLitCount estimates the words made by the brace groups of one
// literal: the product of each group's alternatives or range length.
func braceLitCount(s string) int {
	total := 1
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		depth, commas, j := 0, 0, i
		for ; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
			case ',':
				if depth == 1 {
					commas++
				}
			}
			if depth == 0 {
				break
			}
		}
		if j >= len(s) {
			// Unclosed: this "{" is a literal, the groups after it
			// still expand ("{{1..9}{1..9}" makes 81 words).
			continue
		}
		inner := s[i+1 : j]
		n := commas + 1
		if commas == 0 {
			n = rangeLen(inner)
		}
		if strings.Contains(inner, "{") {
			n *= braceLitCount(inner)
		}
		total *= n
		if total > 1<<24 || total < 0 {
			return 1 << 24
		}
		i = j
	}
	return total
}

// rangeLen returns the length of a brace range such as "1..100" or "a..z".
func rangeLen(s string) int {
	parts := strings.Split(s, "..")
	if len(parts) < 2 || len(parts) > 3 {
		return 1
	}
	var a, b int
	if _, err := fmt.Sscan(parts[0], &a); err != nil {
		if len(parts[0]) == 1 && len(parts[1]) == 1 {
			a, b = int(parts[0][0]), int(parts[1][0])
		} else {
			return 1
		}
	} else if _, err := fmt.Sscan(parts[1], &b); err != nil {
		return 1
	}
	if a > b {
		a, b = b, a
	}
	if b-a >= 1<<24 || b-a < 0 {
		return 1 << 24
	}
	return b - a + 1
}

// baseName strips the directory of a command path.
func baseName(p string) string {
	if !strings.Contains(p, "/") {
		return p
	}
	return filepath.Base(p)
}

// stripTabs removes the leading tabs of every line, as "<<-" does.
func stripTabs(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "")
}
