package interceptor

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/pattern"
	"mvdan.cc/sh/v3/syntax"
)

// Control flow that is known before the command runs.
//
// The walker analyses every branch of an if, a loop or a case, since which
// one runs is rarely known. A case whose subject is known is the exception
// that start-up files rely on: "case $- in *i*) ;; *) return;; esac" at the
// top of an rc file, with $- known in shell mode (Context.Startup), runs
// the second item, and its return ends the file, so the interactive part
// below it is not what a non-interactive shell runs. Only that item is
// analysed then; a return or exit sure to run ends the code it is in (see
// walker.sure).

// caseChoice returns the index of the item of c that bash runs for the
// subject, len(c.Items) when none matches, or -1 when that cannot be known
// for sure: the subject is unknown, a pattern before the match is not a
// plain unquoted word, an item falls through (;& or ;;&), or the choice
// depends on shopt nocasematch.
func caseChoice(c *syntax.CaseClause, subject Word, st *state) int {
	if subject.Unknown || !st.sureWord(c.Word) {
		return -1
	}
	exact, folded := caseMatch(c, subject.Value, 0), caseMatch(c, subject.Value, pattern.NoGlobCase)
	if exact != folded {
		return -1
	}
	return exact
}

// caseMatch is caseChoice for one pattern matching mode.
func caseMatch(c *syntax.CaseClause, subject string, mode pattern.Mode) int {
	for i, item := range c.Items {
		if item.Op != syntax.Break {
			return -1
		}
		for _, p := range item.Patterns {
			lit, ok := plainLit(p)
			if !ok || strings.Contains(lit, "(") {
				return -1
			}
			re, err := pattern.Regexp(lit, pattern.EntireString|mode)
			if err != nil {
				return -1
			}
			m, err := regexp.MatchString(re, subject)
			if err != nil {
				return -1
			}
			if m {
				return i
			}
		}
	}
	return len(c.Items)
}

// builtinWrappersOnly reports whether the wrappers of a command leave it
// the shell's builtin: none, or builtin and command.
func builtinWrappersOnly(wrappers []string) bool {
	for _, w := range wrappers {
		if w != "builtin" && w != "command" {
			return false
		}
	}
	return true
}

// knownTest returns the result of an if's condition when it is a string
// test whose every word is known — [ S ], [ -n S ], [ -z S ], [ S = T ],
// [ S != T ] and their test spellings, possibly negated with ! — and
// whether it is. File tests depend on the filesystem when the command
// runs and are not evaluated.
func (w *walker) knownTest(cond []*syntax.Stmt, st *state) (result, known bool) {
	if len(cond) != 1 {
		return false, false
	}
	s := cond[0]
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || s.Background || s.Coprocess || len(s.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return false, false
	}
	for _, a := range call.Args {
		if !pureWord(a) || !st.sureWord(a) {
			return false, false
		}
	}
	argv := w.fields(call.Args, st)
	if len(argv) == 0 {
		return false, false
	}
	name := argv[0].Value
	if name != "[" && name != "test" || st.aliases[name] != "" || st.funcs[name] != nil || st.lazy[name] != "" {
		return false, false
	}
	operands := argv[1:]
	if name == "[" {
		if len(operands) == 0 || operands[len(operands)-1].Value != "]" {
			return false, false
		}
		operands = operands[:len(operands)-1]
	}
	for _, a := range operands {
		if a.Unknown || a.Glob {
			return false, false // a glob expands to file names
		}
	}
	args := values(operands)
	negate := false
	if len(args) > 1 && args[0] == "!" {
		negate, args = true, args[1:]
	}
	switch {
	case len(args) == 1:
		result = args[0] != ""
	case len(args) == 2 && args[0] == "-n":
		result = args[1] != ""
	case len(args) == 2 && args[0] == "-z":
		result = args[1] == ""
	case len(args) == 3 && (args[1] == "=" || args[1] == "=="):
		result = args[0] == args[2]
	case len(args) == 3 && args[1] == "!=":
		result = args[0] != args[2]
	default:
		return false, false
	}
	return result != (negate != s.Negated), true
}

// pureWord reports whether expanding word runs nothing and changes
// nothing: no substitution, no ${X:=v} or ${X?}, no indirection.
func pureWord(word *syntax.Word) bool {
	pure := true
	syntax.Walk(word, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmExp, *syntax.ExtGlob:
			pure = false
		case *syntax.ParamExp:
			if n.Excl || n.Exp != nil && n.Exp.Op != syntax.DefaultUnset && n.Exp.Op != syntax.DefaultUnsetOrNull &&
				n.Exp.Op != syntax.AlternateUnset && n.Exp.Op != syntax.AlternateUnsetOrNull {
				pure = false
			}
		}
		return pure
	})
	return pure
}

// sureWord reports whether the value of every parameter word expands is
// sure: a variable the environment gave, or one assigned by code sure to
// run, or $-. Positional and other special parameters are not.
func (s *state) sureWord(word *syntax.Word) bool {
	sure := true
	syntax.Walk(word, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			name := pe.Param.Value
			if name != "-" && !isName(name) || s.unsure[name] {
				sure = false
			}
		}
		return sure
	})
	return sure
}
