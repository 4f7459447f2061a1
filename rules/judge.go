package rules

import (
	"fmt"
	"slices"

	"github.com/guard-dev/guard/interceptor"
)

// Judge is Check that also returns the commands that would run, for
// environment grants scoped to programs.
func (c *Checker) Judge(src, cwd string, args []string) ([]Launch, Verdict) {
	return c.JudgeFds(src, cwd, args, nil)
}

// JudgeFds is Judge for a command that reads descriptors above 2 whose
// content the caller read before and hands the command unchanged
// (interceptor.Context.Fds): shell mode does so for Cursor's harness, which
// restores saved shell state from descriptor 3.
func (c *Checker) JudgeFds(src, cwd string, args []string, fds map[int]string) ([]Launch, Verdict) {
	j := c.JudgeRun(src, cwd, args, fds)
	return j.Launches, j.Verdict
}

// Judgment is what the execution modes learn from judging a command line.
type Judgment struct {
	// Names are the names of the commands that would run.
	Names []string
	// Launches are the programs the line starts, for environment grants
	// scoped to programs.
	Launches []Launch
	// Wrappers are the commands they run through, each once ("sudo",
	// "env", "timeout"), for what guard says about them (sudo cannot raise
	// privileges inside what guard runs for an agent).
	Wrappers []string
	// Verdict is the decision and its findings.
	Verdict Verdict

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

// JudgeRun is JudgeFds with everything the execution modes need.
//
// A failure inside analysis (a bug) is caught and judged confirm with its
// reason, never allowed and never a crash of guard.
func (c *Checker) JudgeRun(src, cwd string, args []string, fds map[int]string) (j Judgment) {
	defer func() {
		if r := recover(); r != nil {
			c.analyzer = interceptor.Analyzer{} // its parser may be mid-parse
			j = Judgment{Verdict: Verdict{Decision: Confirm, Findings: []Finding{{
				Rule:     "meta.internal-error",
				Decision: Confirm,
				Reason:   fmt.Sprintf("guard failed while analysing this command (%v); a human should check it", r),
				Command:  src,
			}}}, cwd: cwd, args: args, fds: fds, src: src}
		}
	}()
	// Every file the analysis and the rules read is recorded for Plan.
	// guard's paths reached through links are resolved once per checker,
	// before the per-judgment copy of its world is made.
	c.world.addRealGuardPaths()
	reads := newReadLog(c.world.pathFS())
	w := new(World)
	*w = *c.world
	w.FS, w.Analysis.FS = reads, reads
	ctx := c.ctx
	ctx.Cwd = cwd
	ctx.Args = args
	ctx.Fds = fds
	ctx.FS = reads
	invs := c.analyzer.Analyze(src, ctx)
	j.invs, j.reads, j.engine, j.cwd, j.args, j.fds = invs, reads, c.engine, cwd, args, fds
	j.Names = make([]string, 0, len(invs))
	for _, inv := range invs {
		if inv.Name != "" {
			j.Names = append(j.Names, inv.Name)
		}
		for _, wr := range inv.Wrappers {
			if !slices.Contains(j.Wrappers, wr) {
				j.Wrappers = append(j.Wrappers, wr)
			}
		}
	}
	j.Launches = launches(invs, w)
	if fsys, ok := c.analyzer.Written(reads); ok {
		// The command line writes files before it may read them: rules
		// that read files (psql -f, curl -d @file) see what it writes.
		view := *w
		view.FS, view.Analysis.FS = fsys, fsys
		w = &view
	}
	j.world = w
	j.Verdict = c.holdForConfig(c.engine.Evaluate(invs, w), src)
	return j
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
