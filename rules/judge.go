package rules

import (
	"fmt"
	"slices"

	"github.com/guard-dev/guard/interceptor"
)

// Command is one command line to judge, with everything about it that
// varies from one judgment to the next. What stays the same for a process
// (home, environment, policy, guard's paths) is the Checker's.
type Command struct {
	// Source is the bash source: a -c string, a script read from stdin,
	// the quoted words of guard run, a line typed in guard shell.
	Source string
	// Cwd is the absolute directory it runs in.
	Cwd string
	// Args are the positional parameters ($0, $1, ...), nil when there
	// are none.
	Args []string
	// Fds holds the content of descriptors above 2 that Source reads,
	// which the caller read and hands the command unchanged
	// (interceptor.Context.Fds): shell mode does so for Cursor's harness,
	// which restores saved shell state from descriptor 3. nil when none.
	Fds map[int]string
	// Startup is how the shell that runs Source starts (shell mode): a
	// login shell's profile files are judged with it, and $- is known.
	Startup interceptor.Startup
	// Prelude is shell code the same shell runs just before Source, judged
	// with it: in guard shell, the definitions of the functions and
	// aliases the line uses, asked of bash. The session's own rules
	// (NewSessionChecker) look at Source alone.
	Prelude string
}

// Result is what judging a Command finds: the verdict, and what the
// execution modes need to run the command and bind an approval to it.
type Result struct {
	// Verdict is the decision and its findings.
	Verdict Verdict
	// Names are the names of the commands that would run.
	Names []string
	// Launches are the programs the line starts, for environment grants
	// scoped to programs.
	Launches []Launch
	// Wrappers are the commands they run through, each once ("sudo",
	// "env", "timeout"), for what guard says about them (sudo cannot raise
	// privileges inside what guard runs for an agent).
	Wrappers []string

	// What Plan needs: the invocations, the files read, and what the line
	// was judged with.
	invs   []interceptor.Invocation
	reads  *readLog
	engine *Engine
	world  *World
	cwd    string
	args   []string
	fds    map[int]string
	// src is the line, for the plan of a line the analysis failed on.
	src string
}

// Check analyses cmd as it would run and judges it. It is the one entry
// point of package rules: guard check, the hook, shell mode, guard run and
// guard shell all judge through it, and so should anything new that has a
// command to judge before it runs (an exec judge's supervisor asking about
// a program about to start is a Command whose Source is its quoted argv).
//
// A failure inside analysis (a bug) is caught and judged confirm with its
// reason, never allowed and never a crash of guard.
func (c *Checker) Check(cmd Command) Result {
	src := cmd.Source
	if cmd.Prelude != "" {
		src = cmd.Prelude + "\n" + cmd.Source
	}
	r := c.judge(src, cmd)
	if c.session {
		r.Verdict = mergeFindings(r.Verdict, c.sessionFindings(cmd.Source))
	}
	return r
}

// judge analyses src (cmd's source after its prelude) and evaluates the
// invocations.
func (c *Checker) judge(src string, cmd Command) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			c.analyzer = interceptor.Analyzer{} // its parser may be mid-parse
			c.call = Call{}
			r = Result{Verdict: Verdict{Decision: Confirm, Findings: []Finding{{
				Rule:     "meta.internal-error",
				Decision: Confirm,
				Reason:   fmt.Sprintf("guard failed while analysing this command (%v); a human should check it", p),
				Command:  src,
			}}}, cwd: cmd.Cwd, args: cmd.Args, fds: cmd.Fds, src: src}
		}
	}()
	// Every file the analysis and the rules read is recorded for Plan.
	// guard's paths reached through links are resolved once per checker,
	// before the per-judgment copy of its world is made.
	c.world.addRealGuardPaths()
	j := &judgment{world: *c.world}
	reads, w := &j.reads, &j.world
	reads.base = c.world.pathFS()
	reads.stats = reads.statBuf[:0]
	w.FS, w.Analysis.FS = reads, reads
	w.Analysis.Cwd = cmd.Cwd // the session's project (projectbuild.go)
	ctx := c.ctx
	ctx.Cwd = cmd.Cwd
	ctx.Args = cmd.Args
	ctx.Fds = cmd.Fds
	ctx.Startup = cmd.Startup
	ctx.FS = reads
	invs := c.analyzer.Analyze(src, ctx)
	r.invs, r.reads, r.engine, r.cwd, r.args, r.fds = invs, reads, c.engine, cmd.Cwd, cmd.Args, cmd.Fds
	r.Names = j.names[:0]
	for _, inv := range invs {
		if inv.Name != "" {
			r.Names = append(r.Names, inv.Name)
		}
		for _, wr := range inv.Wrappers {
			if !slices.Contains(r.Wrappers, wr) {
				r.Wrappers = append(r.Wrappers, wr)
			}
		}
	}
	r.Launches = launches(j.launches[:0], invs, w)
	if fsys, ok := c.analyzer.Written(reads); ok {
		// The command line writes files before it may read them: rules
		// that read files (psql -f, curl -d @file) see what it writes.
		view := *w
		view.FS, view.Analysis.FS = fsys, fsys
		w = &view
	}
	r.world = w
	r.Verdict = c.holdForConfig(c.engine.evaluateWith(&c.call, invs, w), src)
	return r
}

// judgment is what one judgment keeps for its Result, in one allocation:
// its copy of the checker's world, the view of the filesystem it reads
// through, and room for the name and launch of a line of one command (a
// longer line's slices grow out of it). It fits the allocator's 704-byte
// size class; room for two would take the 896-byte one.
type judgment struct {
	world    World
	reads    readLog
	names    [1]string
	launches [1]Launch
}

// holdForConfig raises v to meta.config-error's decision (confirm unless
// the policy says otherwise) while a managed or user config file has
// errors that may hide a setting that stops commands: guard cannot tell
// which commands that file would stop, so none runs unseen. The finding
// names the file and line to fix.
func (c *Checker) holdForConfig(v Verdict, src string) Verdict {
	if len(c.broken) == 0 {
		return v
	}
	const id = "meta.config-error"
	d := c.engine.decision(id)
	if d <= v.Decision {
		return v
	}
	e := c.broken[0]
	v.Decision = d
	v.Findings = append(v.Findings, Finding{
		Rule:     id,
		Decision: d,
		Reason: fmt.Sprintf("guard's config %s has an error (%s), so guard cannot tell which commands it would stop; fix the file, then every command is judged by it again",
			Origin{File: e.File, Line: e.Line}, e.Msg),
		Command: src,
	})
	return v
}
