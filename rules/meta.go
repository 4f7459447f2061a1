package rules

// MetaPack reports what analysis could not know: a command name computed at
// run time, a script piped in from the network, text given to eval that is
// not static, a command that does not parse or is over a limit. guard cannot
// check what it cannot see, so a human must.
func MetaPack() *Pack {
	return &Pack{
		Name: "meta",
		Rules: []Rule{
			{ID: "meta.unknown", Default: Confirm, Summary: "code whose content cannot be known before it runs (dynamic command names, unknown scripts piped into a shell, parse errors, limits)"},
			{ID: "meta.internal-error", Default: Confirm, Summary: "a rule failed on the command"},
			{ID: "meta.config-error", Default: Confirm, Summary: "a managed or user config file has errors that may hide what it stops: every command guard would allow needs a human until the file is fixed"},
		},
		Check: func(c *Call) {
			if c.Inv.Unknown != "" {
				c.Report("meta.unknown", c.Inv.Unknown)
			}
		},
	}
}
