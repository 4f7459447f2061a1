// Command guard sits in the path of every shell command an AI coding agent
// runs and decides whether it runs at once, after a human says yes, or not
// at all. See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/guard-dev/guard/sandbox"
)

// version is set at build time by install.sh.
var version = "dev"

const usage = `usage:
  guard -c 'COMMAND' [NAME [ARGS...]]     shell mode: bash's flags, judged, then run by the real shell
  guard shell [-l]                         an interactive bash in which guard checks every command line
  guard                                    the same, on a terminal (also guard -i, guard -l)
  guard run -- CMD ARGS...                 judge and run one command (no shell parsing of its words)
  guard run 'COMMAND STRING'               judge and run a string through the real shell
  guard wrap [--] AGENT ARGS...            run a whole agent with every program its tree starts judged
  guard check [--json] [--cwd DIR] [--] 'COMMAND'
  guard check --batch [-z] [--cwd DIR]     commands on stdin, one per line
  guard rules [--json]                     list the rules and their decisions
  guard config [--default]                 the effective policy and where each value comes from
  guard env                                the variables guard strips from commands, and why
  guard approve ID | --list                approve, in your own terminal, a command guard refused without one
  guard log [-n N] [--decision D] [--since 1h] [--json]   the audit log
  guard hook AGENT                         answer an agent's pre-execution hook (JSON on stdin)
  guard install AGENT [--dry-run]          wire guard into an agent (claude, codex, gemini, cursor, ...)
  guard uninstall AGENT [--dry-run]        remove guard's hook from an agent
  guard install shell [--dry-run]          links named bash and guard-bash, to make guard an agent's shell
  guard doctor                             check guard's wiring and say what to fix
  guard version

guard check analyses a bash command without running it and exits
0 (allow), 3 (confirm), 4 (deny) or 2 (usage error).
`

func main() {
	os.Exit(run(os.Args[0], os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches the command line and returns the exit status. Started
// under another name (a link named bash, guard-bash, "-bash" for a login
// shell) or with a leading option, guard is a shell.
func run(argv0 string, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if name := filepath.Base(argv0); name != "guard" && name != "guard.test" {
		return runShell(argv0, args, stdin, stderr)
	}
	if len(args) == 0 {
		if !term.IsTerminal(int(stdin.Fd())) {
			// "guard < script" or "… | guard": a script on stdin, as bash.
			return runShell(argv0, args, stdin, stderr)
		}
		if sandbox.ShellLoopRefused(args, stderr) {
			return sandbox.ExitBlocked
		}
		return runSession(false, stdin, stderr)
	}
	if strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "--version" {
		return runShell(argv0, args, stdin, stderr)
	}
	switch args[0] {
	case "shell":
		return runShellCommand(args[1:], stdin, stderr)
	case "run":
		return runRun(args[1:], stderr)
	case "wrap":
		return runWrap(args[1:], stderr)
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "approve":
		return runApprove(args[1:], stdout, stderr)
	case "log":
		return runLog(args[1:], stdout, stderr)
	case "hook":
		return runHook(args[1:], stdin, stdout, stderr)
	case "install":
		return runInstall(args[1:], false, stdout, stderr)
	case "uninstall":
		return runInstall(args[1:], true, stdout, stderr)
	case "doctor":
		return runDoctor(args[1:], stdout, stderr)
	case "config":
		return runConfig(args[1:], stdout, stderr)
	case "env":
		return runEnv(args[1:], stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case sandbox.JudgeHelperArg: // not in the usage: guard starts it itself
		return runJudgeHelper(args[1:])
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

// load is sandbox.Load for this guard build, with config problems
// reported on stderr.
func load(cwd string, mode sandbox.Mode, stderr io.Writer) (*sandbox.Guard, error) {
	return sandbox.Load(cwd, mode, sandbox.Process{Version: version, Stderr: stderr})
}

// loadHere is load in the working directory, for the modes that run
// commands there.
func loadHere(mode sandbox.Mode, stderr io.Writer) (*sandbox.Guard, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("cannot read the working directory: %w", err)
	}
	return load(cwd, mode, stderr)
}
