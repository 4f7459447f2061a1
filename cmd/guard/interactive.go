package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/sandbox"
)

// runSession is guard shell: "guard shell", and "guard" with no arguments,
// "guard -i" or "guard -l" on a terminal (sandbox.Guard.RunSession).
func runSession(login bool, stdin *os.File, stderr io.Writer) int {
	g, err := loadHere(sandbox.ModeSession, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	code, err := g.RunSession(login, stdin, os.Stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	return code
}

// runShellCommand is "guard shell [-l|--login]".
func runShellCommand(args []string, stdin *os.File, stderr io.Writer) int {
	if sandbox.ShellLoopRefused(append([]string{"shell"}, args...), stderr) {
		return sandbox.ExitBlocked
	}
	login := false
	for _, a := range args {
		switch a {
		case "-l", "--login":
			login = true
		default:
			fmt.Fprintln(stderr, "usage: guard shell [-l|--login]")
			return 2
		}
	}
	return runSession(login, stdin, stderr)
}

// loginRequested reports whether bash's arguments (or a name starting with
// "-", as login(1) starts shells) ask for a login shell.
func loginRequested(argv0 string, args []string) bool {
	if strings.HasPrefix(filepath.Base(argv0), "-") {
		return true
	}
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--login":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.Contains(a, "l"):
			return true
		}
	}
	return false
}
