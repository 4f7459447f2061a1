package rules

import (
	"fmt"

	"github.com/guard-dev/guard/interceptor"
)

// Judge is Check that also returns the names of the commands that would
// run, for environment grants scoped to commands.
func (c *Checker) Judge(src, cwd string, args []string) ([]string, Verdict) {
	return c.JudgeFds(src, cwd, args, nil)
}

// JudgeFds is Judge for a command that reads descriptors above 2 whose
// content the caller read before and hands the command unchanged
// (interceptor.Context.Fds): shell mode does so for Cursor's harness, which
// restores saved shell state from descriptor 3.
//
// A failure inside analysis (a bug) is caught and judged confirm with its
// reason, never allowed and never a crash of guard.
func (c *Checker) JudgeFds(src, cwd string, args []string, fds map[int]string) (names []string, v Verdict) {
	defer func() {
		if r := recover(); r != nil {
			c.analyzer = interceptor.Analyzer{} // its parser may be mid-parse
			names, v = nil, Verdict{Decision: Confirm, Findings: []Finding{{
				Rule:     "meta.internal-error",
				Decision: Confirm,
				Reason:   fmt.Sprintf("guard failed while analysing this command (%v); a human should check it", r),
				Command:  src,
			}}}
		}
	}()
	ctx := c.ctx
	ctx.Cwd = cwd
	ctx.Args = args
	ctx.Fds = fds
	invs := c.analyzer.Analyze(src, ctx)
	names = make([]string, 0, len(invs))
	for _, inv := range invs {
		if inv.Name != "" {
			names = append(names, inv.Name)
		}
	}
	w := c.world
	if fsys, ok := c.analyzer.Written(w.pathFS()); ok {
		// The command line writes files before it may read them: rules
		// that read files (psql -f, curl -d @file) see what it writes.
		view := *w
		view.FS, view.Analysis.FS = fsys, fsys
		w = &view
	}
	return names, c.engine.Evaluate(invs, w)
}
