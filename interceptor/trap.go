package interceptor

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Code that runs later. bash runs a trap's command on a signal or at exit,
// and command_not_found_handle whenever a command is not found; either runs
// after everything the analysis sees, so each is analysed where it is set,
// in a copy of the state there.

// trap analyses the command of "trap CMD SIGNAL…" as code.
func (w *walker) trap(inv Invocation, st *state) {
	args := inv.Args
	if len(args) > 0 && args[0].Value == "--" {
		args = args[1:]
	}
	if len(args) < 2 || strings.HasPrefix(args[0].Value, "-") {
		// "trap -p", "trap -l", "trap SIG" and "trap - SIG" set nothing
		// to run.
		return
	}
	n := st.nested("trap")
	if args[0].Unknown {
		w.a.unknown(n, inv.Text, "trap sets a command that cannot be known ("+args[0].String()+") to run later")
		return
	}
	w.a.script(args[0].Value, n)
}

// notFoundHandler analyses the body of command_not_found_handle where it is
// defined: bash may run it for any command that follows.
func (w *walker) notFoundHandler(body *syntax.Stmt, st *state) {
	n := st.nested("command_not_found_handle()")
	n.args = []string{n.argZero(), UnknownMark}
	defer w.ownScope()()
	w.stmt(body, n, nil)
}
