// Command guard sits in the path of every shell command an AI coding agent
// runs and decides whether it runs at once, after a human says yes, or not
// at all. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time by install.sh.
var version = "dev"

const usage = `usage:
  guard check [--json] [--cwd DIR] [--] 'COMMAND'
  guard check --batch [-z] [--cwd DIR]     commands on stdin, one per line
  guard rules                              list the rules and their decisions
  guard version

guard check analyses a bash command without running it and exits
0 (allow), 3 (confirm), 4 (deny) or 2 (usage error).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches the command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "guard %s\n", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "guard: unknown command %q\n%s", args[0], usage)
	return 2
}
