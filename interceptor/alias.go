package interceptor

import (
	"maps"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Aliases. bash replaces the first word of a simple command by an alias's
// text before it parses the command, and the next word too when that text
// ends in a blank. Agents' harnesses turn alias expansion on (Claude Code's
// snapshot and Cursor's state restore run "shopt -s expand_aliases") and
// restore aliases the agent itself defined in an earlier command, so an
// alias must be judged as what it stands for: after "alias ls='rm -rf ~'",
// "ls" is "rm -rf ~".
//
// The analysis expands aliases whether or not expand_aliases is on and
// whether or not the definition is on the same line as the use (bash
// expands neither): it may judge a command by more than runs, never by
// less. Functions are expanded with the aliases of their definition and
// those of their call together, for the same reason.

// defineAliases handles "alias NAME=VALUE…".
func (w *walker) defineAliases(inv Invocation, st *state) {
	for _, a := range inv.Args {
		name, val, ok := strings.Cut(a.Value, "=")
		if !ok || name == "" || strings.HasPrefix(name, "-") {
			continue
		}
		st.own()
		if st.aliases == nil {
			st.aliases = map[string]string{}
		}
		st.aliases[name] = val
	}
}

// unalias handles "unalias [-a] NAME…".
func (w *walker) unalias(inv Invocation, st *state) {
	for _, a := range inv.Args {
		switch {
		case a.Value == "-a":
			st.aliases = nil
		case a.Unknown:
			// Which alias goes is unknown: keep them all, the strict side.
		default:
			st.own()
			delete(st.aliases, a.Value)
		}
	}
}

// rememberAliases records the aliases in effect where function name is
// defined.
func (st *state) rememberAliases(name string) {
	if len(st.aliases) == 0 && st.funcAliases[name] == nil {
		return
	}
	st.own()
	if st.funcAliases == nil {
		st.funcAliases = map[string]map[string]string{}
	}
	st.funcAliases[name] = maps.Clone(st.aliases)
}

// withFuncAliases returns the aliases to expand in the body of function
// name: those of its definition and those in effect now.
func (st *state) withFuncAliases(name string) map[string]string {
	def := st.funcAliases[name]
	if len(def) == 0 {
		return st.aliases
	}
	m := maps.Clone(st.aliases)
	if m == nil {
		m = map[string]string{}
	}
	maps.Copy(m, def)
	return m
}

// aliasName returns the word as an alias name when bash would look it up:
// an unquoted literal with no expansion in it.
func aliasName(word *syntax.Word) (string, bool) {
	lit, ok := plainLit(word)
	if !ok || lit == "" || strings.ContainsAny(lit, "/$=`'\"*?[") {
		return "", false
	}
	return lit, true
}

// alias expands the aliases at the start of a simple command and analyses
// the text they make instead of the command. It reports false when the
// command starts with no alias.
func (w *walker) alias(c *syntax.CallExpr, s *syntax.Stmt, st *state, in *Stream, redirs []Redirect) (*Stream, bool) {
	type repl struct {
		word  *syntax.Word
		name  string
		value string
	}
	var repls []repl
	for _, word := range c.Args {
		name, ok := aliasName(word)
		if !ok || st.inAlias[name] {
			break
		}
		val, ok := st.aliases[name]
		if !ok {
			break
		}
		repls = append(repls, repl{word, name, val})
		if !strings.HasSuffix(val, " ") && !strings.HasSuffix(val, "\t") {
			break
		}
	}
	if len(repls) == 0 || !w.a.step() {
		return nil, false
	}
	if len(redirs) > 0 {
		// The redirections stay the statement's: judged as opening their
		// files, as for a compound command.
		w.a.emit(Invocation{Name: ":", Path: ":", Text: w.text(s), Cwd: st.cwd, Home: st.home,
			Chain: st.chain, Remote: st.remote, Redirects: redirs})
	}
	for _, r := range repls {
		if strings.Contains(r.value, UnknownMark) {
			w.a.unknown(st, w.text(s), "the alias "+r.name+" stands for text that cannot be known, so what runs cannot be checked")
			return &Stream{From: "alias " + r.name}, true
		}
	}
	// The command's own text from its first assignment or word to its last
	// word, each alias word replaced by its text.
	start := c.Args[0].Pos().Offset()
	if len(c.Assigns) > 0 {
		start = c.Assigns[0].Pos().Offset()
	}
	end := c.Args[len(c.Args)-1].End().Offset()
	if int(end) > len(w.src) || start > end {
		w.a.unknown(st, w.text(s), "the alias "+repls[0].name+" cannot be followed")
		return &Stream{From: "alias"}, true
	}
	var b strings.Builder
	at := start
	for _, r := range repls {
		b.WriteString(w.src[at:r.word.Pos().Offset()])
		b.WriteString(r.value)
		at = r.word.End().Offset()
	}
	b.WriteString(w.src[at:end])
	text := b.String()

	n := st // aliases expand in place: their cd and variables are the command's
	savedChain, savedDepth, savedIn := n.chain, n.depth, n.inAlias
	n.chain = append(append([]string(nil), n.chain...), "alias "+repls[0].name)
	n.depth++
	n.inAlias = maps.Clone(n.inAlias)
	if n.inAlias == nil {
		n.inAlias = map[string]bool{}
	}
	for _, r := range repls {
		n.inAlias[r.name] = true
	}
	defer func() { n.chain, n.depth, n.inAlias = savedChain, savedDepth, savedIn }()
	if n.depth > w.a.lim.MaxDepth {
		w.a.unknown(n, text, "the command nests aliases more than "+strconv.Itoa(w.a.lim.MaxDepth)+" levels deep")
		return nil, true
	}
	f, err := w.a.parser.Parse(strings.NewReader(text), "")
	if err != nil {
		w.a.unknown(n, text, "the alias "+repls[0].name+" makes a command bash cannot parse ("+cleanParseError(err)+")")
		return nil, true
	}
	// The alias's text runs where the alias stands.
	aw := &walker{a: w.a, src: text, needOut: w.needOut, sure: w.sure}
	defer w.a.enter(aw)()
	var out *Stream
	for _, stmt := range f.Stmts {
		out = aw.stmt(stmt, n, in)
		if w.a.stopped {
			break
		}
	}
	return out, true
}
