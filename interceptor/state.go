package interceptor

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// state is what the shell would know at one point of the script: variables,
// working directory, functions, positional parameters. Subshells, pipeline
// parts and substitutions work on a copy.
type state struct {
	ctx *Context

	vars  map[string]shVar
	cwd   string // "" when unknown
	old   string // OLDPWD, "" when unknown
	dirs  []string
	home  string
	args  []string // $0, $1, ...
	funcs map[string]*syntax.Stmt
	// aliases are the aliases defined so far (alias.go); funcAliases the
	// aliases in effect where each function was defined, which bash
	// expanded into its body then.
	aliases     map[string]string
	funcAliases map[string]map[string]string
	// inAlias holds the aliases being expanded, which bash does not expand
	// again inside their own text.
	inAlias map[string]bool
	// lazy holds the text of functions a cached sourced file defined,
	// parsed when called (cache.go); never written to.
	lazy map[string]string
	// unsure holds the variables last assigned by code that may not have
	// run (a branch, a loop): their value is one they may have, which is
	// enough to judge what uses them but not to decide which branch of
	// an if or a case runs (flow.go).
	unsure map[string]bool
	// hashed is bash's table of remembered programs as "hash -p PATH
	// NAME" and BASH_CMDS[NAME]=PATH set it: NAME runs PATH (hash.go).
	hashed map[string]string
	// frame holds the locals of the function being run (declare.go).
	frame *localFrame
	// allexport is bash's "set -a": every variable assigned while it is
	// on is exported (export.go).
	allexport exportMode
	// expFuncs holds the functions exported with "export -f", which a
	// new bash imports from its environment (export.go).
	expFuncs map[string]bool
	// cleared says the shell started with an environment of its own
	// ("env -i bash"): nothing of ctx.Env reaches it, and a variable it
	// was not given is unset (export.go).
	cleared bool
	// loose says setup code the analysis did not see ran (setup.go): a
	// variable the script did not assign may have any value now.
	loose bool
	// asOther says the code runs as another user than the context's
	// (sudo bash -c, su -c): whoami is not the user (export.go).
	asOther bool
	// codeVals says some variable was given a value with "$" or "`" in
	// it, which bash may run as code where it evaluates a value as
	// arithmetic or a prompt (arith.go).
	codeVals bool
	// wlog records the writes of variables made while branches > 0: code
	// that may or may not run (flow.go, mergeBranch).
	wlog     []varWrite
	branches int
	// alts holds the values a variable made unknown by such code may
	// have, for what runs the code in values (arith.go).
	alts map[string][]string
	// an is the analysis the state belongs to: it says whether the code
	// being walked is sure to run.
	an *analyzer
	// shared says vars, funcs, aliases and funcAliases may be shared with
	// a copy of this state: own() copies them before a write.
	shared bool

	// Where the code runs and how it was reached.
	chain  []string
	remote string
	depth  int
	// calling holds the functions being expanded, to stop recursion.
	calling map[string]bool
}

// shVar is a variable the script assigned or unset, with its attributes
// (declare.go).
type shVar struct {
	val  string
	set  bool
	attr varAttr
}

// clone returns a copy of s. The maps are shared until one side writes:
// a shell snapshot defines hundreds of functions, and every substitution
// and subshell works on a copy.
func (s *state) clone() *state {
	s.shared = true
	c := *s
	c.dirs = append([]string(nil), s.dirs...)
	c.wlog = slices.Clip(s.wlog)
	if c.frame != nil {
		// The copy's locals end with it (a subshell): none is restored
		// into the function's own variables.
		c.frame = &localFrame{}
	}
	return &c
}

// own makes the maps of s its own before it writes to them.
func (s *state) own() {
	if !s.shared {
		return
	}
	s.vars = maps.Clone(s.vars)
	s.funcs = maps.Clone(s.funcs)
	s.aliases = maps.Clone(s.aliases)
	s.funcAliases = maps.Clone(s.funcAliases)
	s.unsure = maps.Clone(s.unsure)
	s.hashed = maps.Clone(s.hashed)
	s.alts = maps.Clone(s.alts)
	s.expFuncs = maps.Clone(s.expFuncs)
	s.shared = false
}

// nested returns a copy of s for code reached through link ("bash -c",
// "eval"), one level deeper.
func (s *state) nested(link string) *state {
	c := s.clone()
	c.chain = append(append([]string(nil), s.chain...), link)
	c.depth++
	if v, ok := c.vars["-"]; ok && v.val != UnknownMark {
		c.setVar("-", UnknownMark) // another shell's flags
	}
	return c
}

// nonInteractive reports whether the shell is known not to be
// interactive: its $- is known and holds no "i".
func (s *state) nonInteractive() bool {
	v, ok := s.vars["-"]
	return ok && v.set && !strings.Contains(v.val, UnknownMark) && !strings.Contains(v.val, "i")
}

// setVar assigns a variable as bash does: not at all when it is readonly,
// in lower or upper case when it has -l or -u.
func (s *state) setVar(name, val string) {
	s.own()
	if s.vars == nil {
		s.vars = map[string]shVar{}
	}
	old, had := s.vars[name]
	if !had && s.imported(name) {
		old.attr |= attrExport // a variable from the environment is exported
	}
	old.attr |= s.allexport.attr()
	switch {
	case old.attr&attrReadonly != 0:
		return
	case old.attr&attrLower != 0:
		val = strings.ToLower(val)
	case old.attr&attrUpper != 0:
		val = strings.ToUpper(val)
	}
	if strings.ContainsAny(val, "$`") {
		s.codeVals = true
	}
	prev := s.logged(name)
	s.vars[name] = shVar{val: val, set: true, attr: old.attr}
	delete(s.alts, name)
	s.noteSure(name)
	s.noteWrite(name, prev)
}

// noteSure records whether the assignment of name just made is sure to
// run.
func (s *state) noteSure(name string) {
	if s.an.certain() {
		delete(s.unsure, name)
		return
	}
	if s.unsure == nil {
		s.unsure = map[string]bool{}
	}
	s.unsure[name] = true
}

// unsetVar unsets a variable and its attributes, unless it is readonly.
func (s *state) unsetVar(name string) {
	s.own()
	if s.vars == nil {
		s.vars = map[string]shVar{}
	}
	if s.vars[name].attr&attrReadonly != 0 {
		return // "cannot unset: readonly variable"
	}
	prev := s.logged(name)
	s.vars[name] = shVar{}
	delete(s.alts, name)
	s.noteSure(name)
	s.noteWrite(name, prev)
}

// lookup returns the value of a variable, with UnknownMark for what cannot
// be known, and whether it is set.
func (s *state) lookup(name string) (string, bool) {
	if v, ok := s.vars[name]; ok {
		return v.val, v.set
	}
	switch name {
	case "HOME":
		if s.home == "" {
			return UnknownMark, true
		}
		return s.home, true
	case "PWD":
		if s.cwd == "" {
			return UnknownMark, true
		}
		return s.cwd, true
	case "OLDPWD":
		if s.old == "" {
			return UnknownMark, true
		}
		return s.old, true
	case "USER", "LOGNAME":
		if s.cleared {
			return "", false
		}
		if s.remote == "" && s.ctx.User != "" {
			return s.ctx.User, true
		}
		return UnknownMark, true
	case "IFS":
		// bash sets IFS to space, tab and newline at start-up, whatever
		// the environment holds: rm$IFS-rf$IFS/ is rm -rf /.
		return " \t\n", true
	case "#":
		return strconv.Itoa(max(len(s.args)-1, 0)), true
	}
	if len(name) == 1 && name[0] >= '0' && name[0] <= '9' {
		i := int(name[0] - '0')
		if i < len(s.args) {
			return s.args[i], true
		}
		if s.args != nil {
			return "", false
		}
		return UnknownMark, true
	}
	if s.remote == "" {
		if v, ok := s.ctx.Env[name]; ok && !s.cleared {
			return v, true
		}
		if (s.ctx.EnvExact || s.cleared || sessionVar(name)) && !s.loose && isName(name) && (!shellSets(name) || promptOfInteractive(name) && s.nonInteractive()) {
			return "", false
		}
	}
	return UnknownMark, true
}

// sessionVar reports whether name is a variable whose absence from guard's
// own environment means it is unset for the command too, even when that
// environment is not known exactly (guard check, hooks): XDG_CACHE_HOME,
// where the user's caches live, is set by the login session or not at
// all, and guard runs in that session as the command does. The path model
// reads the cache directory from guard's environment the same way
// (rules/caches.go), and so do the cache queries (knownCacheQuery), so
// "${XDG_CACHE_HOME:-$HOME/.cache}/app" is ~/.cache/app unless guard's
// environment says otherwise. A value the script assigns still counts
// first.
func sessionVar(name string) bool { return name == "XDG_CACHE_HOME" }

// promptOfInteractive reports whether bash gives the variable a value only
// in an interactive shell: a non-interactive one has PS1 and PS2 only from
// its environment ("if [ "$PS1" ]" in /etc/profile).
func promptOfInteractive(name string) bool { return name == "PS1" || name == "PS2" }

// shellSets reports whether bash gives the variable a value of its own
// when the environment has none, so that even an exactly known environment
// does not say what it holds.
func shellSets(name string) bool {
	if strings.HasPrefix(name, "BASH") || strings.HasPrefix(name, "COMP_") || strings.HasPrefix(name, "HIST") {
		return true
	}
	switch name {
	case "RANDOM", "SRANDOM", "SECONDS", "LINENO", "PPID", "UID", "EUID", "GROUPS",
		"HOSTNAME", "HOSTTYPE", "OSTYPE", "MACHTYPE", "PIPESTATUS", "FUNCNAME",
		"EPOCHSECONDS", "EPOCHREALTIME", "SHLVL", "SHELLOPTS", "SHELL", "PATH",
		"PS1", "PS2", "PS4", "COLUMNS", "LINES", "OPTIND", "OPTARG", "OPTERR",
		"REPLY", "DIRSTACK", "MAILCHECK":
		return true
	}
	return false
}

// environ adapts a state to expand.Environ.
type environ struct{ s *state }

func (e environ) Get(name string) expand.Variable {
	switch name {
	case "@", "*":
		if e.s.args == nil {
			return expand.Variable{Set: true, Kind: expand.Indexed, List: []string{UnknownMark}}
		}
		return expand.Variable{Set: true, Kind: expand.Indexed, List: e.s.args[1:]}
	}
	if name == pwHomeVar { // ~ while HOME is unset (pwTilde)
		return expand.Variable{Set: true, Kind: expand.String, Str: e.s.passwdHome()}
	}
	if len(name) > 5 && name[:5] == "HOME " { // ~user
		return expand.Variable{Set: true, Kind: expand.String, Str: UnknownMark}
	}
	v, set := e.s.lookup(name)
	if !set {
		return expand.Variable{}
	}
	return expand.Variable{Set: true, Kind: expand.String, Str: v}
}

func (e environ) Each(fn func(string, expand.Variable) bool) {
	for name, v := range e.s.vars {
		if v.set && !fn(name, expand.Variable{Set: true, Kind: expand.String, Str: v.val}) {
			return
		}
	}
}

// pwHomeVar is the name environ answers with the password database's home.
// expand asks "HOME NAME" for "~NAME"; no user name holds a NUL, and pwTilde
// alone writes this one.
const pwHomeVar = "HOME \x00"

// exactHome sets HOME as the exact environment has it: unset when it is
// missing (bash does not set it), empty or another value when the
// environment says so. An inexact environment leaves HOME to ctx.Home.
func exactHome(st *state) {
	if !st.ctx.EnvExact {
		return
	}
	switch v, ok := st.ctx.Env["HOME"]; {
	case !ok:
		st.unsetVar("HOME")
	case v != st.home:
		st.setVar("HOME", v)
	}
}

// passwdHome is the home "~" expands to while HOME is unset: bash asks the
// password database (getpwuid) for the current user's. Another user's (su)
// or a remote host's is unknown.
func (s *state) passwdHome() string {
	if s.remote != "" || s.home == "" || s.ctx.PasswdHome == nil {
		return UnknownMark
	}
	if h := s.ctx.PasswdHome(); h != "" {
		return h
	}
	return UnknownMark
}

// pwTilde returns word with its leading "~" marked for the password
// database's home when HOME is unset in st, as bash expands it then; $HOME
// itself stays unset. Other words are returned as they are. Only "~" alone
// and "~/..." name the current user's home: "~NAME" is another user's, and
// "~'x'" is no tilde prefix.
func (w *walker) pwTilde(word *syntax.Word, st *state) *syntax.Word {
	if len(word.Parts) == 0 {
		return word
	}
	lit, ok := word.Parts[0].(*syntax.Lit)
	if !ok || !(lit.Value == "~" && len(word.Parts) == 1 || strings.HasPrefix(lit.Value, "~/")) {
		return word
	}
	if _, set := st.lookup("HOME"); set {
		return word
	}
	if w.a.rec != nil {
		// A cached file would keep this machine's password entry.
		w.a.rec.spoiled = true
	}
	c := *word
	c.Parts = append([]syntax.WordPart{&syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd,
		Value: "~" + pwHomeVar[len("HOME "):] + lit.Value[1:]}}, word.Parts[1:]...)
	return &c
}

// logged returns the value of name for the write log, only while code
// that may not run is walked (lookup costs a little).
func (s *state) logged(name string) shVar {
	if s.branches == 0 {
		return shVar{}
	}
	return s.current(name)
}
