package rules

// Judge is Check that also returns the names of the commands that would
// run, for environment grants scoped to commands.
func (c *Checker) Judge(src, cwd string, args []string) ([]string, Verdict) {
	ctx := c.ctx
	ctx.Cwd = cwd
	ctx.Args = args
	invs := c.analyzer.Analyze(src, ctx)
	names := make([]string, 0, len(invs))
	for _, inv := range invs {
		if inv.Name != "" {
			names = append(names, inv.Name)
		}
	}
	return names, c.engine.Evaluate(invs, c.world)
}
