package interceptor

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Some values cannot be known before a command runs, yet what they are is
// known: "$(mktemp -d)" is a directory mktemp has just made, "$(go env
// GOCACHE)" is the directory the Go tool keeps its build cache in, "$(git
// rev-parse --show-toplevel)" is the root of the git work tree the command
// runs in, and ">(grep FAIL)" is a pipe to a process. Such a value is an
// unknown value of a known kind: it is written as UnknownMark, a kind rune,
// what the kind needs (the working directory for the work tree root) and
// UnknownMark again. Everything that looks for UnknownMark keeps seeing an
// unknown value; the rules that understand kinds (the path model) read them
// with ValueKindOf.
//
// A kind survives only what keeps the value as it is: an assignment, a
// quoted "$var" or "${var}". A parameter expansion that changes the value
// (${x%/*}, ${x:1}, ${x:-…}) or field splitting of an unquoted expansion
// drops it, leaving a plain unknown value (dropKinds), since the value
// guard sees has none of the real value's text to cut.

// ValueKind is the kind of an unknown value.
type ValueKind rune

// The kinds of unknown values. They are Unicode noncharacters, which no
// program prints as text.
const (
	// KindFresh is a path mktemp made: a new file or directory.
	KindFresh ValueKind = '\uFDD0'
	// KindCache is a cache directory a package manager or compiler
	// printed ("npm config get cache").
	KindCache ValueKind = '\uFDD1'
	// KindTopLevel is the root of the git work tree of a directory
	// ("git rev-parse --show-toplevel"); the directory follows the kind.
	KindTopLevel ValueKind = '\uFDD2'
	// KindPipe is a process substitution's path (/dev/fd/N).
	KindPipe ValueKind = '\uFDD3'
	// KindSetup is the shell setup code a known environment generator
	// prints ("pyenv init -"); the tool follows the kind (setup.go).
	KindSetup ValueKind = '\uFDD4'
	// KindSelf is the name or number of the user running the script, or
	// of their primary group ("whoami", "id -u", "id -g"); "u" or "g"
	// follows the kind.
	KindSelf ValueKind = '\uFDD5'
)

// kindMark returns the text of an unknown value of kind k with data.
func kindMark(k ValueKind, data string) string {
	return UnknownMark + string(rune(k)) + data + UnknownMark
}

// ValueKindOf reports whether s begins with an unknown value of a known
// kind, and returns the kind, its data (the directory of KindTopLevel) and
// the text after it. The rest holds no other unknown part when ok.
func ValueKindOf(s string) (k ValueKind, data, rest string, ok bool) {
	body, found := strings.CutPrefix(s, UnknownMark)
	if !found || body == "" {
		return 0, "", "", false
	}
	r, size := utf8.DecodeRuneInString(body)
	switch ValueKind(r) {
	case KindFresh, KindCache, KindTopLevel, KindPipe, KindSetup, KindSelf:
	default:
		return 0, "", "", false
	}
	body = body[size:]
	data, rest, found = strings.Cut(body, UnknownMark)
	if !found || strings.Contains(rest, UnknownMark) || strings.ContainsFunc(data, isKindRune) || strings.ContainsFunc(rest, isKindRune) {
		return 0, "", "", false
	}
	if ValueKind(r) != KindTopLevel && ValueKind(r) != KindSetup && ValueKind(r) != KindSelf && data != "" {
		return 0, "", "", false
	}
	return ValueKind(r), data, rest, true
}

// isKindRune reports whether r is one of the kind runes.
func isKindRune(r rune) bool { return r >= '\uFDD0' && r <= '\uFDD5' }

// hasKinds reports whether s holds a kind rune.
func hasKinds(s string) bool { return strings.ContainsFunc(s, isKindRune) }

// stripKinds removes the kind runes and their data from s, leaving plain
// unknown values. A string without kind runes is returned as it is, with
// no copy: every exec's PATH passes through here.
func stripKinds(s string) string {
	if !hasKinds(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.Index(s, UnknownMark)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i+len(UnknownMark)])
		s = s[i+len(UnknownMark):]
		if r, _ := utf8.DecodeRuneInString(s); isKindRune(r) {
			if j := strings.Index(s, UnknownMark); j >= 0 {
				s = s[j+len(UnknownMark):]
			} else {
				s = ""
			}
		}
	}
	return strings.Map(func(r rune) rune {
		if isKindRune(r) {
			return -1
		}
		return r
	}, b.String())
}

// dropKinds returns s with its kinds removed unless word keeps every value
// it expands as it is: parameter expansions without operators, and, when
// split (the word becomes fields), only quoted ones.
func dropKinds(word *syntax.Word, s string, split bool) string {
	if !hasKinds(s) || keepsKinds(word, split) {
		return s
	}
	if split && OnlySelfKinds(s) {
		// chown -R $(whoami) ~/.npm: a user or group name holds no
		// blank, so splitting leaves it whole.
		return s
	}
	if k, _, rest, ok := ValueKindOf(s); ok && k == KindSetup && rest == "" && len(word.Parts) == 1 {
		if _, cs := word.Parts[0].(*syntax.CmdSubst); cs {
			// eval $(ssh-agent -s): split, the setup code is still
			// the tool's own, its words joined again by eval.
			return s
		}
	}
	return stripKinds(s)
}

// keepsKinds reports whether every parameter expansion in word is plain
// ($x, ${x}) and, when split, no expansion or substitution is unquoted.
func keepsKinds(word *syntax.Word, split bool) bool {
	if split {
		for _, p := range word.Parts {
			switch p.(type) {
			case *syntax.ParamExp, *syntax.CmdSubst:
				return false
			}
		}
	}
	ok := true
	syntax.Walk(word, func(n syntax.Node) bool {
		if pe, is := n.(*syntax.ParamExp); is {
			if pe.Excl || pe.Length || pe.Width || pe.Index != nil || pe.Slice != nil ||
				pe.Repl != nil || pe.Names != 0 || pe.Exp != nil || pe.Param == nil || !isName(pe.Param.Value) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// substKind returns the text of the unknown value of known kind that the
// command substitution stmts prints, or "" when it is not one: a single
// call of mktemp, of a cache query (knownCacheQuery) or of git rev-parse
// --show-toplevel, with literal arguments, not redefined by a function or
// an alias, and with nothing changing its output.
func (w *walker) substKind(stmts []*syntax.Stmt, st *state) string {
	if len(stmts) != 1 || !pureStmt(stmts[0]) {
		return ""
	}
	call, ok := stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 {
		return ""
	}
	redirs := len(stmts[0].Redirs) > 0 // only a setup generator may have them (2>/dev/null)
	args := make([]string, len(call.Args))
	for i, a := range call.Args {
		lit, ok := plainLit(a)
		if !ok {
			// Where mktemp makes its path may be any word: the path
			// is new wherever it is.
			if i < 2 || args[0] != "mktemp" || !(args[i-1] == "-p" || tmpdirOpt(a)) {
				return ""
			}
			lit = "\x00"
		}
		args[i] = lit
	}
	if _, fn := st.funcs[args[0]]; fn || st.lazy[args[0]] != "" {
		return ""
	}
	if _, al := st.aliases[args[0]]; al {
		return ""
	}
	if _, set := st.vars["PATH"]; set {
		return "" // another mktemp or npm may come first
	}
	if tool, ok := setupGenerator(args); ok {
		return kindMark(KindSetup, tool)
	}
	if who := selfQuery(args); who != "" && st.remote == "" && !st.asOther {
		return kindMark(KindSelf, who)
	}
	if redirs {
		return ""
	}
	switch {
	case args[0] == "mktemp" && mktempFresh(args[1:]):
		return kindMark(KindFresh, "")
	case knownCacheQuery(args, st):
		return kindMark(KindCache, "")
	case len(args) == 3 && args[0] == "git" && args[1] == "rev-parse" && args[2] == "--show-toplevel" && st.cwd != "" && st.remote == "":
		return kindMark(KindTopLevel, st.cwd)
	}
	return ""
}

// mktempFresh reports whether mktemp with args makes a new file or
// directory and prints its path: the options of GNU and BSD mktemp that
// say where and how, and at most one template; not -u (--dry-run), which
// prints a name without making it.
func mktempFresh(args []string) bool {
	templates := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--directory" || a == "--quiet" || a == "--tmpdir" || a == "--":
		case strings.HasPrefix(a, "--tmpdir=") || strings.HasPrefix(a, "--suffix=") || a == "\x00":
		case a == "-p" || a == "--suffix":
			i++ // the directory or suffix
			if i >= len(args) {
				return false
			}
		case strings.HasPrefix(a, "-p") && len(a) > 2:
		case len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "dqt") == "":
		case strings.HasPrefix(a, "-"):
			return false
		default:
			templates++
		}
	}
	return templates <= 1
}

// knownCacheQuery reports whether args asks a package manager or compiler
// where its cache is, and the script has not set the variable that moves
// it (a cache directory the script chose could be anything).
func knownCacheQuery(args []string, st *state) bool {
	q := strings.Join(args, " ")
	var moved []string
	switch q {
	case "npm config get cache":
		moved = []string{"npm_config_cache", "NPM_CONFIG_CACHE"}
	case "go env GOCACHE":
		moved = []string{"GOCACHE"}
	case "go env GOMODCACHE":
		moved = []string{"GOMODCACHE", "GOPATH"}
	case "pip cache dir", "pip3 cache dir", "python -m pip cache dir", "python3 -m pip cache dir":
		moved = []string{"PIP_CACHE_DIR"}
	case "yarn cache dir":
		moved = []string{"YARN_CACHE_FOLDER"}
	case "pnpm store path":
		moved = []string{"npm_config_store_dir"}
	case "uv cache dir":
		moved = []string{"UV_CACHE_DIR"}
	case "poetry config cache-dir":
		moved = []string{"POETRY_CACHE_DIR"}
	case "brew --cache":
		moved = []string{"HOMEBREW_CACHE"}
	default:
		return false
	}
	for _, v := range append(moved, "HOME", "XDG_CACHE_HOME") {
		if _, set := st.vars[v]; set {
			return false
		}
	}
	return true
}

// tmpdirOpt reports whether word starts with the literal "--tmpdir=".
func tmpdirOpt(word *syntax.Word) bool {
	if len(word.Parts) == 0 {
		return false
	}
	lit, ok := word.Parts[0].(*syntax.Lit)
	return ok && strings.HasPrefix(lit.Value, "--tmpdir=")
}

// selfQuery returns "u" when args print the current user's name or number
// (whoami, id -u, id -un), "g" for their primary group's (id -g, id -gn),
// else "".
func selfQuery(args []string) string {
	switch strings.Join(args, " ") {
	case "whoami", "id -u", "id -un", "id -nu", "id -u -n", "id -n -u":
		return "u"
	case "id -g", "id -gn", "id -ng", "id -g -n", "id -n -g":
		return "g"
	}
	return ""
}

// OnlySelfKinds reports whether every unknown part of s is a value of
// KindSelf, and s holds at least one.
func OnlySelfKinds(s string) bool {
	found := false
	for {
		i := strings.Index(s, UnknownMark)
		if i < 0 {
			return found
		}
		k, _, rest, ok := ValueKindOf(s[i:])
		if !ok {
			// ValueKindOf wants no other unknown after the value:
			// take the value alone.
			body := s[i+len(UnknownMark):]
			j := strings.Index(body, UnknownMark)
			if j < 0 {
				return false
			}
			k, _, _, ok = ValueKindOf(s[i : i+len(UnknownMark)+j+len(UnknownMark)])
			rest = body[j+len(UnknownMark):]
		}
		if !ok || k != KindSelf {
			return false
		}
		found = true
		s = rest
	}
}
