package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

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
	g, _ := load(cwd, sandbox.ModePolicy, stderr) // never fails in ModePolicy
	for _, w := range g.Policy.Warnings {
		fmt.Fprintf(stderr, "guard: config: %v\n", w)
	}
	if err := g.Policy.Write(stdout); err != nil {
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
	g, _ := load(cwd, sandbox.ModePolicy, stderr) // never fails in ModePolicy
	p := g.Env
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
