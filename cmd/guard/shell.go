package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/guard-dev/guard/sandbox"
)

// runShell is shell mode: guard invoked as bash ("guard -c CMD", or through
// a link named bash), given bash's arguments (sandbox.Guard.RunShell). With
// no command and a terminal on stdin it is an interactive shell: guard
// shell.
func runShell(argv0 string, args []string, stdin *os.File, stderr io.Writer) int {
	if sandbox.ShellLoopRefused(args, stderr) {
		return sandbox.ExitBlocked
	}
	ba, err := sandbox.ParseBashArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return 2
	}
	if ba.Stdin && !ba.Version && !ba.Help && term.IsTerminal(int(stdin.Fd())) {
		return runSession(loginRequested(argv0, args), stdin, stderr)
	}
	g, err := loadHere(sandbox.ModeShell, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	return g.RunShell(argv0, args, ba, stdin)
}

// runRun is "guard run": one command, judged and executed
// (sandbox.Guard.RunArgv).
func runRun(args []string, stderr io.Writer) int {
	argv := args
	literal := false
	if len(argv) > 0 && argv[0] == "--" {
		argv, literal = argv[1:], true
	}
	if len(argv) == 0 {
		fmt.Fprintln(stderr, "usage: guard run -- CMD ARGS...   or   guard run 'CMD STRING'")
		return 2
	}
	g, err := loadHere(sandbox.ModeRun, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	return g.RunArgv(argv, literal)
}

// runWrap is guard wrap: the agent argv runs under the exec judge, every
// program its tree starts judged (sandbox.Guard.Wrap).
func runWrap(args []string, stderr io.Writer) int {
	argv := args
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		fmt.Fprintln(stderr, "usage: guard wrap [--] AGENT ARGS...")
		return 2
	}
	g, err := loadHere(sandbox.ModeRun, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	return g.Wrap(argv)
}

// runJudgeHelper is guard __exec-judge, which a guard -c, run or wrap
// whose command left processes running starts to keep judging what they
// exec after it returned (sandbox.Guard.ServeExecJudge). The listener is
// its descriptor 3; "--foreseen NAME..." are the names the line a human
// approved foresaw. It says nothing: its stderr is /dev/null, and each
// refusal goes to the refused process's stderr and the audit log.
func runJudgeHelper(args []string) int {
	var foreseen []string
	if len(args) > 0 && args[0] == "--foreseen" {
		foreseen = args[1:]
	}
	g, err := loadHere(sandbox.ModeRun, io.Discard)
	if err != nil {
		return sandbox.ExitBlocked
	}
	return g.ServeExecJudge(3, foreseen)
}
