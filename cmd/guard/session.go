package main

import (
	"fmt"
	"io"
	"os"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// loadSession prepares what the execution modes need: the policy, the
// checker, the gate and the real shell.
func loadSession(mode string, startup interceptor.Startup, stderr io.Writer) (*session, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("cannot read the working directory: %w", err)
	}
	st := loadSetup(cwd, stderr)
	opts := st.opts
	ep := envPolicy(st.policy)
	// The command gets exactly this environment: a variable missing from it
	// is unset. A granted variable reaches some commands only, so to the
	// analysis its value is unknown.
	opts.EnvExact = true
	opts.Startup = startup
	opts.Env[sandbox.GuardedEnv] = "1" // the gate adds it to every command
	// guard sets it for the real shell (sandbox.MarkRealShell); its value
	// is not the analysis's business.
	opts.Env[sandbox.RealShellEnv] = interceptor.UnknownMark
	// The gate sets the call token of an approved call or passes it on
	// (sandbox.CallEnv): to the analysis it is unknown.
	opts.Env[sandbox.CallEnv] = interceptor.UnknownMark
	if dir := opts.Locations.StateDir; dir != "" { // "" with no home: no cache rather than one in the cwd
		opts.Sources = newSourceCache(dir)
	}
	for _, g := range ep.Grants {
		if _, kept := opts.Env[g.Name]; !kept {
			if _, ok := os.LookupEnv(g.Name); ok {
				opts.Env[g.Name] = interceptor.UnknownMark
			}
		}
	}
	checker, err := rules.NewChecker(opts)
	if err != nil {
		return nil, err
	}
	shell, err := sandbox.RealShell(st.policy.Shell, opts.Locations.Binary)
	if err != nil {
		return nil, err
	}
	return &session{
		checker: checker,
		shell:   shell,
		cwd:     cwd,
		gate: &sandbox.Gate{
			Mode:     mode,
			StateDir: opts.Locations.StateDir,
			Timeout:  st.policy.ApprovalTimeout,
			Env:      ep,
			Kept:     st.kept,
			Stderr:   stderr,
			// guard replaces itself with what it admits, so that process
			// runs the call: an approved call's token is bound to it.
			CallPID:   os.Getpid(),
			CallToken: os.Getenv(sandbox.CallEnv),
		},
	}, nil
}
