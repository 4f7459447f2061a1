package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/rules"
)

// setup is what every judging mode starts from: the checker's options with
// the policy of the config layers for the working directory.
type setup struct {
	opts   rules.Options
	policy *rules.Policy
	cwd    string
	// kept is guard's environment with what the policy strips removed:
	// what a command gets (before grants).
	kept []string
}

// loadSetup reads the config layers that apply in cwd. Config errors are
// reported on stderr and guard goes on with the layers that are sound, as
// the policy says.
func loadSetup(cwd string, stderr io.Writer) setup {
	opts := rules.FromProcess()
	root := rules.NewWorld(opts.Home, "", nil, nil).ProjectRoot(cwd)
	policy, errs := rules.LoadPolicy(opts.Locations, root, func(k string) string { return opts.Env[k] })
	for _, err := range errs {
		fmt.Fprintf(stderr, "guard: config: %v\n", err)
	}
	if policy.Fallback != "" {
		fmt.Fprintln(stderr, policy.Fallback)
	}
	opts.Policy = policy
	// The analysis sees the environment the command will see: what guard
	// strips is unknown to both.
	kept, env := filteredEnv(envPolicy(policy))
	opts.Env = env
	return setup{opts: opts, policy: policy, cwd: cwd, kept: kept}
}

// envPolicy converts the config's [env] section for package env.
func envPolicy(p *rules.Policy) env.Policy {
	ep := env.Policy{Strip: p.Env.Strip, Keep: p.Env.Keep}
	for _, g := range p.Env.Grants {
		ep.Grants = append(ep.Grants, env.Grant{Name: g.Name, Commands: g.Commands, Paths: g.Paths,
			Origin: p.Origin("env.grant", g.Name).String()})
	}
	return ep
}

// filteredEnv returns the environment a command would see, as a list and
// as a map for the analysis: what is stripped is unknown to it, as to the
// command.
func filteredEnv(p env.Policy) (kept []string, m map[string]string) {
	kept, _ = env.Filter(os.Environ(), p)
	m = make(map[string]string, len(kept))
	for _, kv := range kept {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return kept, m
}

// runConfig implements "guard config": the effective policy and where each
// value came from; "--default" prints the commented default config.
func runConfig(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "--default" {
		fmt.Fprint(stdout, rules.DefaultConfigText())
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: guard config [--default]")
		return 2
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "guard config: cannot read the working directory: %v\n", err)
		return 2
	}
	s := loadSetup(cwd, stderr)
	for _, w := range s.policy.Warnings {
		fmt.Fprintf(stderr, "guard: config: %v\n", w)
	}
	if err := s.policy.Write(stdout); err != nil {
		fmt.Fprintf(stderr, "guard config: %v\n", err)
		return 1
	}
	return 0
}

// runEnv implements "guard env": the names guard would strip from a
// command's environment and why, never the values.
func runEnv(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: guard env")
		return 2
	}
	cwd, _ := os.Getwd()
	s := loadSetup(cwd, stderr)
	p := envPolicy(s.policy)
	removed := env.Report(os.Environ(), p)
	if len(removed) == 0 {
		fmt.Fprintln(stdout, "guard strips nothing from this environment")
	}
	for _, r := range removed {
		fmt.Fprintf(stdout, "%-32s %s\n", r.Name, r.Reason)
	}
	for _, g := range p.Grants {
		fmt.Fprintf(stdout, "%-32s granted to %s only\n", g.Name, strings.Join(append(append([]string(nil), g.Commands...), g.Paths...), ", "))
	}
	return 0
}
