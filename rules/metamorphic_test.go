package rules

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// This file holds the metamorphic tests: every block line of the public
// corpus is rewritten by a family of transformations that keep its meaning
// (wrappers, nested shells, other spellings of the command name and of its
// flags), and no rewrite may turn it into allow. Every allow line stays
// allow inside "( )", after "true &&" and inside "bash -c".
//
// The rewrites are generated from the parsed command, not listed by hand.
// A transformation that cannot keep the command valid (a wrapper on a
// builtin, "&" after a command already in the background) does not apply
// to that line; the tests count and log those skips.

// shape is a corpus command parsed once, with what the transformations need
// to know about it.
type shape struct {
	src  string
	file *syntax.File
	// newlineEnd reports that nothing may follow the command on its last
	// line: it ends with a heredoc body or a comment.
	newlineEnd bool
	// background reports that the last statement already ends with "&".
	background bool
	// funcs are the names of the functions the command defines.
	funcs map[string]bool
}

// parseShape parses src as bash. It fails when the corpus line itself does
// not parse: a transformation of it would prove nothing.
func parseShape(src string) (*shape, error) {
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	s := &shape{src: src, file: f, funcs: map[string]bool{}}
	if len(f.Last) > 0 {
		s.newlineEnd = true
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Redirect:
			if n.Op == syntax.Hdoc || n.Op == syntax.DashHdoc {
				s.newlineEnd = true
			}
		case *syntax.Comment:
			s.newlineEnd = true
		case *syntax.FuncDecl:
			s.funcs[n.Name.Value] = true
		}
		return true
	})
	if len(f.Stmts) > 0 {
		last := f.Stmts[len(f.Stmts)-1]
		s.background = last.Background
	}
	return s, nil
}

// squote quotes s for the shell in single quotes: any text, newlines
// included, comes out unchanged.
func squote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// dquote quotes s for the shell in double quotes, escaping the characters
// that stay special there.
func dquote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\', '"', '$', '`':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// ansiC spells s as an ANSI-C quoted string of hex escapes: $'\x72\x6d'.
func ansiC(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\x%02x`, s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// terminated returns the command followed by what ends it so that more
// code can follow: a newline after a heredoc or comment, nothing more after
// "&", else "; ".
func (s *shape) terminated() string {
	switch {
	case s.newlineEnd:
		return s.src + "\n"
	case s.background:
		return s.src + " "
	}
	return s.src + "; "
}

// delimiter returns a heredoc delimiter that is no line of the command.
func (s *shape) delimiter() string {
	lines := map[string]bool{}
	for _, l := range strings.Split(s.src, "\n") {
		lines[strings.TrimLeft(l, "\t")] = true
	}
	d := "EOF"
	for i := 1; lines[d]; i++ {
		d = "EOF" + strconv.Itoa(i)
	}
	return d
}

// splice replaces src[from:to] with repl.
func splice(src string, from, to int, repl string) string {
	return src[:from] + repl + src[to:]
}

func off(p syntax.Pos) int { return int(p.Offset()) }

// shellOnly are builtins with no program of the same name: sudo, env,
// nohup, timeout, nice and exec cannot run them.
var shellOnly = map[string]bool{
	"cd": true, "eval": true, "source": true, ".": true, "export": true, "unset": true,
	"set": true, "shift": true, "read": true, "alias": true, "unalias": true, "declare": true,
	"local": true, "typeset": true, "readonly": true, "exit": true, "return": true,
	"break": true, "continue": true, "trap": true, "pushd": true, "popd": true, "dirs": true,
	"builtin": true, "hash": true, "type": true, "ulimit": true, "umask": true, "wait": true,
	"jobs": true, "fg": true, "bg": true, "disown": true, "let": true, "getopts": true,
	"mapfile": true, "readarray": true, "shopt": true, "enable": true, "exec": true, ":": true,
	"command": true, "history": true, "times": true, "caller": true,
}

// staticWord returns the value of a word made only of literals and quotes,
// and whether it is one.
func staticWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "\\{~*?[$") {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok || strings.Contains(lit.Value, "\\") {
					return "", false
				}
				b.WriteString(lit.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// plainWord returns the text of a word written as one plain literal (a
// flag such as "-rf"), and whether it is one.
func plainWord(w *syntax.Word) (string, bool) {
	if len(w.Parts) != 1 {
		return "", false
	}
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok || strings.ContainsAny(lit.Value, "\\{~*?[$") {
		return "", false
	}
	return lit.Value, true
}

// firstCall returns the simple command a prefix wrapper applies to: the
// leftmost command of the first statement, and whether the first
// statement is no more than a pipeline or list of simple commands.
func (s *shape) firstCall() (*syntax.CallExpr, bool) {
	if len(s.file.Stmts) == 0 {
		return nil, false
	}
	st := s.file.Stmts[0]
	for {
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			return c, true
		case *syntax.BinaryCmd:
			st = c.X
		default:
			return nil, false
		}
	}
}

// onlyPipeline reports whether the command is one statement made of one
// simple command or a pipeline of them: what "exec" may replace the shell
// with without dropping later commands.
func (s *shape) onlyPipeline() bool {
	if len(s.file.Stmts) != 1 {
		return false
	}
	var ok func(*syntax.Stmt) bool
	ok = func(st *syntax.Stmt) bool {
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			return true
		case *syntax.BinaryCmd:
			return (c.Op == syntax.Pipe || c.Op == syntax.PipeAll) && ok(c.X) && ok(c.Y)
		}
		return false
	}
	return ok(s.file.Stmts[0])
}

// transform is one metamorphic transformation. apply returns the rewrites
// of a command, or the reason the transformation does not apply to it.
type transform struct {
	name  string
	apply func(s *shape) ([]string, string)
	// nests reports that the transformation puts the command inside
	// other code (a nested shell, a subshell, a function).
	nests bool
}

// How a wrapper passes the command's VAR=value assignments on.
const (
	assignsAfter  = iota // the wrapper takes them before its command: sudo VAR=x cmd
	assignsBefore        // they go in front of the wrapper and reach the command through the environment: VAR=x nohup cmd
	assignsEnv           // the wrapper clears the environment: doas env VAR=x cmd
)

// wrapper returns the transformation that puts the prefix wrapper w in
// front of the first simple command, passing its assignments on as
// assigns says. builtins reports whether the wrapper can run shell
// builtins; whole whether it must wrap the whole statement (exec replaces
// the shell, so nothing may follow it).
func wrapper(w string, assigns int, builtins, whole bool) transform {
	return transform{name: strings.TrimSpace(w) + " C", apply: func(s *shape) ([]string, string) {
		call, ok := s.firstCall()
		if !ok {
			return nil, "the first command is not a simple command"
		}
		if len(call.Args) == 0 {
			return nil, "the first command only assigns or redirects"
		}
		if whole && !s.onlyPipeline() {
			return nil, "commands follow the one exec would replace the shell with"
		}
		if name, ok := staticWord(call.Args[0]); ok {
			if s.funcs[name] {
				return nil, "the command is a function of the script"
			}
			if shellOnly[name] && !builtins {
				return nil, "the command is a shell builtin"
			}
		}
		at, prefix := off(call.Pos()), w+" "
		switch {
		case len(call.Assigns) == 0:
		case assigns == assignsBefore:
			at = off(call.Args[0].Pos())
		case assigns == assignsEnv:
			prefix = w + " env "
		}
		return []string{splice(s.src, at, at, prefix)}, ""
	}}
}

// timeWrap puts the time keyword in front of the first pipeline.
func timeWrap(s *shape) ([]string, string) {
	if len(s.file.Stmts) == 0 {
		return nil, "no statement"
	}
	st := s.file.Stmts[0]
	if _, fn := st.Cmd.(*syntax.FuncDecl); fn {
		return nil, "the first statement defines a function"
	}
	at := off(st.Pos())
	return []string{splice(s.src, at, at, "time ")}, ""
}

// background puts the command in the background. After a heredoc the "&"
// belongs on the line of the heredoc operator, before the body.
func background(s *shape) ([]string, string) {
	if s.background {
		return nil, "the command already ends in the background"
	}
	if !s.newlineEnd {
		return []string{s.src + " &"}, ""
	}
	// The first heredoc body of the last statement starts on the line
	// after the one that must end with the &.
	last := s.file.Stmts[len(s.file.Stmts)-1]
	body := -1
	syntax.Walk(last, func(n syntax.Node) bool {
		if r, ok := n.(*syntax.Redirect); ok && r.Hdoc != nil && len(r.Hdoc.Parts) > 0 {
			if b := off(r.Hdoc.Pos()); body < 0 || b < body {
				body = b
			}
		}
		return true
	})
	if body < 1 || s.src[body-1] != '\n' {
		return nil, "no line for the & before a heredoc"
	}
	at := body - 1
	out := splice(s.src, at, at, " &")
	// The & must end the same statement, now in the background.
	t, err := parseShape(out)
	if err != nil || len(t.file.Stmts) != len(s.file.Stmts) || !t.background {
		return nil, "the & cannot be placed after the heredoc operator"
	}
	return []string{out}, ""
}

// nesting returns a transformation that puts the command inside code
// built by f, which always applies.
func nesting(name string, f func(s *shape) string) transform {
	return transform{name: name, nests: true, apply: func(s *shape) ([]string, string) {
		return []string{f(s)}, ""
	}}
}

// nameSite is one word in command-name position: the first word of a
// simple command, or the command a wrapper runs.
type nameSite struct {
	call  *syntax.CallExpr
	index int // in call.Args
	value string
}

// wrapperOpts lists, for the wrappers whose command is spelled, the
// single-letter options that take the next word as their value and how
// many operands precede the command.
var wrapperOpts = map[string]struct {
	valued   string
	operands int
}{
	"sudo": {valued: "ugpCDrthUTR"}, "doas": {valued: "uC"}, "env": {valued: "uCS"},
	"nohup": {}, "setsid": {}, "nice": {valued: "n"}, "ionice": {valued: "cnp"},
	"timeout": {valued: "sk", operands: 1}, "xargs": {valued: "adEILnPs"},
	"command": {}, "exec": {valued: "a"}, "stdbuf": {valued: "ioe"},
}

// commandIndex returns the index of the command a wrapper at args[i] runs,
// or -1 when args[i] is no wrapper or runs nothing.
func commandIndex(args []*syntax.Word, i int) int {
	name, ok := staticWord(args[i])
	if !ok {
		return -1
	}
	spec, ok := wrapperOpts[filepath.Base(name)]
	if !ok {
		return -1
	}
	j := i + 1
	for ; j < len(args); j++ {
		v, ok := staticWord(args[j])
		if !ok {
			return -1
		}
		if v == "--" {
			j++
			break
		}
		if strings.HasPrefix(v, "-") && len(v) > 1 {
			if !strings.HasPrefix(v, "--") && strings.IndexByte(spec.valued, v[len(v)-1]) >= 0 && strings.IndexAny(v[1:len(v)-1], spec.valued) < 0 {
				j++ // "-u root"
			}
			continue
		}
		if (name == "sudo" || name == "env") && strings.Contains(v, "=") {
			continue
		}
		break
	}
	j += spec.operands
	if j >= len(args) {
		return -1
	}
	return j
}

// nameSites returns every word in command-name position with a static
// value, wrapped commands included.
func (s *shape) nameSites() []nameSite {
	var out []nameSite
	syntax.Walk(s.file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		for i := 0; i >= 0 && i < len(call.Args); i = commandIndex(call.Args, i) {
			if v, ok := staticWord(call.Args[i]); ok && v != "" {
				out = append(out, nameSite{call: call, index: i, value: v})
			}
		}
		return true
	})
	return out
}

// spelling returns the transformation that respells every command name of
// a command with spell, which reports false where the spelling does not
// apply to a name.
func spelling(name string, spell func(s *shape, v string) (string, bool)) transform {
	return transform{name: name, apply: func(s *shape) ([]string, string) {
		sites := s.nameSites()
		if len(sites) == 0 {
			return nil, "no static command name"
		}
		var out []string
		for _, site := range sites {
			repl, ok := spell(s, site.value)
			if !ok {
				continue
			}
			w := site.call.Args[site.index]
			t := splice(s.src, off(w.Pos()), off(w.End()), repl)
			if t != s.src {
				out = append(out, t)
			}
		}
		if len(out) == 0 {
			return nil, "no command name this spelling applies to"
		}
		return out, ""
	}}
}

// blockTransforms are the transformations applied to every block line.
func blockTransforms() []transform {
	ts := []transform{
		wrapper("sudo", assignsAfter, false, false),
		wrapper("env X=1", assignsAfter, false, false),
		wrapper("nohup", assignsBefore, false, false),
		wrapper("timeout 5", assignsBefore, false, false),
		wrapper("nice", assignsBefore, false, false),
		wrapper("command", assignsBefore, true, false),
		wrapper("exec", assignsBefore, false, true),
		{name: "time C", apply: timeWrap},
		nesting("bash -c 'C'", func(s *shape) string { return "bash -c " + squote(s.src) }),
		nesting(`sh -c "C"`, func(s *shape) string { return "sh -c " + dquote(s.src) }),
		nesting("eval 'C'", func(s *shape) string { return "eval " + squote(s.src) }),
		nesting("(C)", subshell),
		nesting("{ C; }", func(s *shape) string { return "{ " + s.terminated() + "}" }),
		{name: "C &", apply: background, nests: true},
		nesting("true && C", func(s *shape) string { return "true && " + s.src }),
		nesting("false || C", func(s *shape) string { return "false || " + s.src }),
		nesting("if true; then C; fi", func(s *shape) string { return "if true; then " + s.terminated() + "fi" }),
		{name: "f() { C; }; f", apply: function, nests: true},
		{name: "echo 'C' | sh", nests: true, apply: func(s *shape) ([]string, string) {
			if strings.HasPrefix(s.src, "-") {
				return nil, "echo would take the command for its options"
			}
			return []string{"echo " + squote(s.src) + " | sh"}, ""
		}},
		nesting("sh <<'EOF' C EOF", func(s *shape) string {
			d := s.delimiter()
			return "sh <<'" + d + "'\n" + s.src + "\n" + d
		}),
		nesting("bash <<< 'C'", func(s *shape) string { return "bash <<< " + squote(s.src) }),
		// Beyond the list: more wrappers guard peels, wrapper
		// options, assignments, and other places code runs from.
		wrapper("sudo -u root", assignsAfter, false, false),
		wrapper("doas", assignsEnv, false, false),
		wrapper("nice -n 10", assignsBefore, false, false),
		wrapper("timeout -k 1 5", assignsBefore, false, false),
		wrapper("setsid", assignsBefore, false, false),
		wrapper("stdbuf -oL", assignsBefore, false, false),
		wrapper("ionice -c3", assignsBefore, false, false),
		wrapper("chrt -o 0", assignsBefore, false, false),
		wrapper("flock /tmp/guard.lock", assignsBefore, false, false),
		wrapper("unbuffer", assignsBefore, false, false),
		wrapper("chronic", assignsBefore, false, false),
		wrapper("runuser -u root --", assignsBefore, false, false),
		wrapper("command -p", assignsBefore, true, false),
		{name: "X=1 C", apply: assignPrefix},
		{name: "find -exec C", apply: findExec},
		nesting("zsh -c 'C'", func(s *shape) string { return "zsh -c " + squote(s.src) }),
		nesting("bash -lc 'C' bash", func(s *shape) string { return "bash -lc " + squote(s.src) + " bash" }),
		nesting("watch -n 1 'C'", func(s *shape) string { return "watch -n 1 " + squote(s.src) }),
		nesting(`echo "$(C)"`, func(s *shape) string { return `echo "$(` + s.closed() + `)"` }),
		nesting("x=$(C)", func(s *shape) string { return "x=$(" + s.closed() + ")" }),
		nesting(": <(C)", func(s *shape) string { return ": <(" + s.closed() + ")" }),
		nesting("C || :", func(s *shape) string { return "{ " + s.terminated() + "} || :" }),
		nesting("for _ in 1; do C; done", func(s *shape) string { return "for _ in 1; do " + s.terminated() + "done" }),
		nesting("while :; do C; break; done", func(s *shape) string { return "while :; do " + s.terminated() + "break; done" }),
		nesting("case x in x) C;; esac", func(s *shape) string { return "case x in x) " + s.closed() + "\n;; esac" }),
		spelling("'name'", func(_ *shape, v string) (string, bool) { return squote(v), true }),
		spelling(`"name"`, func(_ *shape, v string) (string, bool) { return dquote(v), true }),
		spelling("n''ame", func(_ *shape, v string) (string, bool) {
			return v[:1] + "''" + v[1:], len(v) > 1
		}),
		spelling(`\name`, func(_ *shape, v string) (string, bool) { return `\` + v, true }),
		spelling(`$'\xNN'`, func(_ *shape, v string) (string, bool) { return ansiC(v), true }),
		spelling("/usr/bin/name", func(s *shape, v string) (string, bool) {
			ok := !strings.Contains(v, "/") && !shellOnly[v] && !s.funcs[v] && v != "["
			return "/usr/bin/" + v, ok
		}),
		spelling("n\\<newline>ame", func(_ *shape, v string) (string, bool) {
			return v[:1] + "\\\n" + v[1:], len(v) > 1
		}),
		{name: "{argv,as,braces}", apply: braceArgv},
	}
	for _, fv := range flagVariants {
		ts = append(ts, transform{name: "flags " + fv.name, apply: func(s *shape) ([]string, string) {
			return s.flagRewrites(fv)
		}})
	}
	return ts
}

// allowTransforms are the transformations that must keep an allow line
// allowed.
func allowTransforms() []transform {
	return []transform{
		nesting("(C)", subshell),
		nesting("true && C", func(s *shape) string { return "true && " + s.src }),
		nesting("bash -c 'C'", func(s *shape) string { return "bash -c " + squote(s.src) }),
	}
}

// closed returns the command so that a closing ")" may follow: on a line
// of its own after a heredoc. The leading space keeps "$((" from reading
// as arithmetic.
func (s *shape) closed() string {
	if s.newlineEnd {
		return " " + s.src + "\n"
	}
	return " " + s.src + " "
}

// assignPrefix gives the first simple command an assignment: "X=1 C".
func assignPrefix(s *shape) ([]string, string) {
	call, ok := s.firstCall()
	if !ok || len(call.Args) == 0 {
		return nil, "the first command is not a simple command"
	}
	at := off(call.Pos())
	return []string{splice(s.src, at, at, "X=1 ")}, ""
}

// findExec runs a lone simple command through find, which runs it once
// for the one path it finds: "find . -maxdepth 0 -exec C \;".
func findExec(s *shape) ([]string, string) {
	call, ok := s.firstCall()
	switch {
	case !ok || !s.onlyPipeline() || s.file.Stmts[0].Cmd != syntax.Command(call):
		return nil, "not a lone simple command"
	case len(call.Assigns) > 0 || len(s.file.Stmts[0].Redirs) > 0 || s.background:
		return nil, "find cannot give it assignments, redirections or the background"
	}
	if name, ok := staticWord(call.Args[0]); !ok || shellOnly[name] || s.funcs[name] {
		return nil, "find runs programs, not builtins or functions"
	}
	for _, w := range call.Args {
		if t := s.src[off(w.Pos()):off(w.End())]; strings.Contains(t, "{}") || t == `\;` || t == ";" || t == "+" {
			return nil, "a word find would take for its own"
		}
	}
	return []string{"find . -maxdepth 0 -exec " + s.src + ` \;`}, ""
}

// braceArgv writes a simple command of plain words as one brace
// expansion, which bash splits back into the words: "{rm,-rf,/etc}".
func braceArgv(s *shape) ([]string, string) {
	var out []string
	syntax.Walk(s.file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		var words []string
		for _, w := range call.Args {
			v, ok := plainWord(w)
			if !ok || strings.ContainsAny(v, ",{}") {
				return true
			}
			words = append(words, v)
		}
		from, to := off(call.Args[0].Pos()), off(call.Args[len(call.Args)-1].End())
		out = append(out, splice(s.src, from, to, "{"+strings.Join(words, ",")+"}"))
		return true
	})
	if len(out) == 0 {
		return nil, "no simple command of plain words"
	}
	return out, ""
}

// subshell puts the command in a subshell. The spaces keep "((" from
// reading as arithmetic; after a heredoc the ")" needs a line of its own.
func subshell(s *shape) string {
	if s.newlineEnd {
		return "( " + s.src + "\n)"
	}
	return "( " + s.src + " )"
}

// function defines the command as a function and calls it.
func function(s *shape) ([]string, string) {
	used := func(name string) bool {
		for _, site := range s.nameSites() {
			if site.value == name {
				return true
			}
		}
		return s.funcs[name]
	}
	name := "f"
	for i := 1; used(name); i++ {
		name = "f" + strconv.Itoa(i)
	}
	return []string{name + "() { " + s.terminated() + "}; " + name}, ""
}

// counts tallies how often a transformation applied and why it did not.
type counts struct {
	lines, rewrites int
	skips           map[string]int
}

// metamorphicCase is one rewrite of one corpus line.
type metamorphicCase struct {
	line      corpusLine
	transform string
	cmd       string
}

// generate applies every transformation to every line, checks that each
// rewrite parses, and returns the rewrites with the tallies.
func generate(t *testing.T, lines []corpusLine, ts []transform) ([]metamorphicCase, map[string]*counts) {
	t.Helper()
	tally := map[string]*counts{}
	var out []metamorphicCase
	for _, l := range lines {
		s, err := parseShape(l.cmd)
		if err != nil {
			t.Errorf("line %d %q does not parse: %v", l.line, l.cmd, err)
			continue
		}
		applied := 0
		for _, tr := range ts {
			c := tally[tr.name]
			if c == nil {
				c = &counts{skips: map[string]int{}}
				tally[tr.name] = c
			}
			rewrites, why := tr.apply(s)
			if why != "" {
				c.skips[why]++
				continue
			}
			c.lines++
			for _, r := range rewrites {
				if _, err := parseShape(r); err != nil {
					t.Errorf("line %d: transformation %s makes invalid shell: %v\n  %s", l.line, tr.name, err, r)
					continue
				}
				c.rewrites++
				applied++
				out = append(out, metamorphicCase{line: l, transform: tr.name, cmd: r})
			}
		}
		if applied == 0 {
			t.Errorf("line %d %q: no transformation applies", l.line, l.cmd)
		}
	}
	return out, tally
}

// logTally logs the counts of each transformation: lines it applied to,
// rewrites made, and the skips with their reasons.
func logTally(t *testing.T, what string, nlines int, ts []transform, tally map[string]*counts) {
	t.Helper()
	var b strings.Builder
	total, skipped := 0, 0
	fmt.Fprintf(&b, "%s: %d lines x %d transformations\n", what, nlines, len(ts))
	for _, tr := range ts {
		c := tally[tr.name]
		n := 0
		var reasons []string
		for why, k := range c.skips {
			n += k
			reasons = append(reasons, fmt.Sprintf("%d: %s", k, why))
		}
		sort.Strings(reasons)
		total += c.rewrites
		skipped += n
		fmt.Fprintf(&b, "  %-28s %4d lines %4d rewrites %4d skipped  %s\n", tr.name, c.lines, c.rewrites, n, strings.Join(reasons, "; "))
	}
	fmt.Fprintf(&b, "  total: %d rewrites judged, %d (line, transformation) pairs skipped", total, skipped)
	t.Log(b.String())
}

// TestMetamorphicBlock checks that no transformation of a block line is
// allowed, nor judged less strictly than the line itself: what is denied
// stays denied however it is spelled.
func TestMetamorphicBlock(t *testing.T) {
	c, project := corpusWorld(t)
	lines := readCorpus(t, "block.txt")
	ts := blockTransforms()
	cases, tally := generate(t, lines, ts)
	orig := map[string]Decision{}
	for _, l := range lines {
		orig[l.cmd] = c.Check(Command{Source: l.cmd, Cwd: project}).Verdict.Decision
	}
	for _, mc := range cases {
		v := c.Check(Command{Source: mc.cmd, Cwd: project}).Verdict
		switch {
		case v.Decision == Allow:
			t.Errorf("block.txt:%d %s turns %q into allow:\n%s", mc.line.line, mc.transform, mc.line.cmd, mc.cmd)
		case v.Decision < orig[mc.line.cmd]:
			t.Errorf("block.txt:%d %s turns %q (%s) into %s:\n%s\n  findings %+v", mc.line.line, mc.transform, mc.line.cmd, orig[mc.line.cmd], v.Decision, mc.cmd, v.Findings)
		}
	}
	logTally(t, "block.txt", len(lines), ts, tally)
}

// TestMetamorphicComposed checks the second order: rewrites of rewrites,
// so that "sudo \\rm" inside "bash -c" or a function inside "eval" are
// judged too. Every first-order rewrite of a block line is rewritten
// again by three transformations, taken in turn so that every pair of
// transformations meets; GUARD_METAMORPHIC_FULL=1 applies all of them to
// every rewrite (about 400,000 commands, a few tens of seconds).
func TestMetamorphicComposed(t *testing.T) {
	c, project := corpusWorld(t)
	ts := blockTransforms()
	first, _ := generate(t, readCorpus(t, "block.txt"), ts)
	per := 3
	if os.Getenv("GUARD_METAMORPHIC_FULL") != "" {
		per = len(ts)
	}
	judged, skipped := 0, 0
	for i, mc := range first {
		s, err := parseShape(mc.cmd)
		if err != nil {
			t.Fatalf("rewrite does not parse: %v\n%s", err, mc.cmd)
		}
		for j := 0; j < per; j++ {
			tr := ts[(i+j*len(ts)/per)%len(ts)]
			rewrites, why := tr.apply(s)
			if why != "" {
				skipped++
				continue
			}
			for _, r := range rewrites {
				judged++
				if v := c.Check(Command{Source: r, Cwd: project}).Verdict; v.Decision == Allow {
					t.Errorf("block.txt:%d %s then %s turns %q into allow:\n%s", mc.line.line, mc.transform, tr.name, mc.line.cmd, r)
				}
			}
		}
	}
	t.Logf("%d first-order rewrites x %d transformations each: %d judged, %d skipped", len(first), per, judged, skipped)
}

// TestMetamorphicAllow checks that wrapping an allow line in a subshell,
// after "true &&" or in "bash -c" keeps it allowed.
func TestMetamorphicAllow(t *testing.T) {
	c, project := corpusWorld(t)
	lines := readCorpus(t, "allow.txt")
	ts := allowTransforms()
	cases, tally := generate(t, lines, ts)
	for _, mc := range cases {
		if v := c.Check(Command{Source: mc.cmd, Cwd: project}).Verdict; v.Decision != Allow {
			t.Errorf("allow.txt:%d %s turns %q into %s:\n%s\n  findings %+v", mc.line.line, mc.transform, mc.line.cmd, v.Decision, mc.cmd, v.Findings)
		}
	}
	logTally(t, "allow.txt", len(lines), ts, tally)
}

// TestMetamorphicBashSyntax checks every rewrite with bash itself (bash
// -n): a rewrite that bash would reject proves nothing about guard. All
// rewrites go to bash in one script; bash reports the first bad line.
func TestMetamorphicBashSyntax(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to check the rewrites with")
	}
	var all []metamorphicCase
	for _, set := range []struct {
		file string
		ts   []transform
	}{{"block.txt", blockTransforms()}, {"allow.txt", allowTransforms()}} {
		cases, _ := generate(t, readCorpus(t, set.file), set.ts)
		all = append(all, cases...)
	}
	var script strings.Builder
	starts := make([]int, len(all))
	line := 1
	for i, mc := range all {
		starts[i] = line
		script.WriteString(mc.cmd)
		script.WriteString("\n")
		line += strings.Count(mc.cmd, "\n") + 1
	}
	path := filepath.Join(t.TempDir(), "rewrites.sh")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, "-n", path).CombinedOutput()
	if err == nil {
		return
	}
	// "rewrites.sh: line 12: syntax error ..." names the failing rewrite.
	msg := string(out)
	if _, rest, ok := strings.Cut(msg, ": line "); ok {
		if n, err := strconv.Atoi(strings.SplitN(rest, ":", 2)[0]); err == nil {
			i := sort.Search(len(starts), func(i int) bool { return starts[i] > n }) - 1
			if i >= 0 {
				mc := all[i]
				t.Fatalf("bash rejects the %s rewrite of line %d:\n%s\n%s", mc.transform, mc.line.line, mc.cmd, msg)
			}
		}
	}
	t.Fatalf("bash -n rejects the rewrites: %s", msg)
}
