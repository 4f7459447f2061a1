package rules

import (
	"encoding/base64"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/guard-dev/guard/interceptor"
)

// InterpPack returns the rules about one-line programs given to script
// interpreters: python -c, python reading a heredoc, node -e/-p, deno eval,
// bun -e, ruby -e, perl -e/-E and php -r. An agent that is refused
// `rm -rf ~` can write `python3 -c "import shutil; shutil.rmtree(...)"`
// instead, so the code is read here.
//
// Each language has a small tokenizer (strings with their escapes and
// interpolation, comments, heredocs, regular expression literals) and a
// forgiving expression reader that finds calls, the names they resolve to
// through imports and requires, and the values of their arguments where
// those are literals or built from literals (os.path.join, Path.home(),
// File.expand_path, string concatenation, variables assigned a literal
// earlier). What a call does is then expressed as shell and checked with
// every pack through Call.Shell: deleting a literal target T becomes
// `rm -rf -- 'T'`, the home directory becomes `~`, a command string given to
// os.system or child_process.execSync is checked as the shell code it is.
// A deletion whose target is computed at run time, or a command that is, is
// reported here.
//
// A script file (python3 cleanup.py, node build.js, npx tsx x.ts, deno run
// x.ts, node --require ./x.js) is read with the same analysers
// (interpfile.go) and judged by what it definitely does.
func InterpPack() *Pack {
	return &Pack{
		Name:     "interp",
		Commands: interpCommands(),
		Check:    checkInterp,
		Rules: []Rule{
			{ID: "interp.unknown-target", Default: Confirm, Summary: "an interpreter one-liner deletes a path computed at run time (shutil.rmtree(p), fs.rmSync(dir), FileUtils.rm_rf(x), unlink $f)"},
			{ID: "interp.unknown-command", Default: Confirm, Summary: "an interpreter one-liner runs a shell command, or code, computed at run time (os.system(cmd), execSync(`${x}`), python -c \"$CODE\")"},
		},
	}
}

// interpCommands lists the interpreters and the runners that reach them.
func interpCommands() []string {
	names := []string{"python", "python2", "python3", "pypy", "pypy3", "node", "nodejs",
		"deno", "bun", "ruby", "perl", "php",
		"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "bundle", "npx", "pnpx", "bunx", "tsx", "ts-node", "ts-node-esm"}
	for v := 6; v <= 15; v++ {
		names = append(names, "python3."+strconv.Itoa(v))
	}
	names = append(names, sedNames...)
	return append(names, awkNames...)
}

// ilang is a language family.
type ilang int

const (
	ilPython ilang = iota
	ilJS
	ilRuby
	ilPerl
	ilPHP
)

// interpMaxInput bounds the code read; larger code is reported, not read.
const interpMaxInput = 1 << 20

// interpMaxEval bounds nested eval/exec of literal code.
const interpMaxEval = 3

// interpCode is code an interpreter runs.
type interpCode struct {
	lang ilang
	// how names the interpreter and how the code reaches it, for chains
	// and messages: "python3 -c", "node -e", "python3 <heredoc".
	how string
	src string
	// file is true when src is a whole PHP file (inline HTML until <?php).
	file bool
	// chdir is a directory the interpreter changes to first (ruby -C).
	chdir string
}

// checkInterp judges one invocation.
func checkInterp(c *Call) {
	name, args := c.Inv.Name, c.Inv.Args
	if slices.Contains(awkNames, name) {
		checkAwk(c, args)
		return
	}
	if slices.Contains(sedNames, name) {
		checkSed(c, args)
		return
	}
	for i := 0; i < migMaxRunners && interpIsRunner(name); i++ {
		next, rest, ok := migPeelRunner(nil, name, "", args)
		if !ok || next.Unknown {
			return
		}
		name, args = path.Base(next.Value), rest
	}
	code, ok := interpFind(c.Inv, name, args)
	if !ok {
		checkInterpScripts(c, interpScripts(name, args))
		return
	}
	if len(code.src) > interpMaxInput {
		c.Report("interp.unknown-command", code.how+" runs a program too large to check ("+strconv.Itoa(len(code.src))+" bytes)")
		return
	}
	r := &interpRun{c: c, code: code, vars: map[string]ival{}}
	if code.chdir != "" {
		r.chdir(ival{kind: ivStr, s: code.chdir})
	}
	r.run(code.src, code.file)
}

// interpIsRunner reports whether name is a project runner that runs the
// command after "run" or "exec" (uv run python -c ...).
func interpIsRunner(name string) bool {
	switch name {
	case "uv", "poetry", "pipenv", "pdm", "hatch", "rye", "bundle", "npx", "pnpx", "bunx":
		return true
	}
	return false
}

// interpFind returns the code an interpreter invocation runs, when it runs
// code given on its command line or on a known stdin rather than a script
// file or a module.
func interpFind(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	switch {
	case name == "python" || name == "python2" || name == "python3" || name == "pypy" ||
		name == "pypy3" || strings.HasPrefix(name, "python3."):
		return interpPython(inv, name, args)
	case name == "node" || name == "nodejs" || name == "bun":
		return interpNode(inv, name, args)
	case name == "deno":
		return interpDeno(name, args)
	case name == "ruby":
		return interpRuby(inv, name, args)
	case name == "perl":
		return interpPerl(inv, name, args)
	case name == "php":
		return interpPHP(inv, name, args)
	}
	return interpCode{}, false
}

// interpStdin returns the code read on a known stdin.
func interpStdin(inv *interceptor.Invocation, lang ilang, name string) (interpCode, bool) {
	if inv.Stdin == nil || !inv.Stdin.Known {
		return interpCode{}, false // unknown stdin is the meta pack's finding
	}
	return interpCode{lang: lang, how: name + " <" + inv.Stdin.From, src: inv.Stdin.Data, file: lang == ilPHP}, true
}

// interpPython finds python -c CODE (options may cluster: -Bc), or code on
// stdin when no script or module is named.
func interpPython(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-" {
			return interpStdin(inv, ilPython, name)
		}
		if v == "--" || !strings.HasPrefix(v, "-") {
			return interpCode{}, false // a script file
		}
		if strings.HasPrefix(v, "--") {
			if v == "--check-hash-based-pycs" {
				i++
			}
			continue
		}
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'c':
				code := v[j+1:]
				if code == "" {
					if i+1 >= len(args) {
						return interpCode{}, false
					}
					code = args[i+1].Value
				}
				return interpCode{lang: ilPython, how: name + " -c", src: code}, true
			case 'm':
				return interpCode{}, false // a module
			case 'W', 'X':
				if j == len(v)-1 {
					i++
				}
				j = len(v)
			}
		}
	}
	return interpStdin(inv, ilPython, name)
}

// interpNode finds node/bun -e, --eval, -p, --print CODE, or node reading
// code on stdin.
func interpNode(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-e" || v == "--eval" || v == "-p" || v == "--print" || v == "-pe" || v == "-ep":
			if i+1 < len(args) {
				return interpCode{lang: ilJS, how: name + " " + v, src: args[i+1].Value}, true
			}
			return interpCode{}, false
		case strings.HasPrefix(v, "--eval=") || strings.HasPrefix(v, "--print="):
			opt, code, _ := strings.Cut(v, "=")
			return interpCode{lang: ilJS, how: name + " " + opt, src: code}, true
		case v == "-":
			return interpStdin(inv, ilJS, name)
		case v == "--":
			return interpCode{}, false
		case v == "-r" || v == "--require" || v == "--import" || v == "--loader" ||
			v == "--experimental-loader" || v == "-C" || v == "--conditions" || v == "--env-file" ||
			v == "--cwd" || v == "--preload" || v == "--config":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return interpCode{}, false // a script, or a bun subcommand
		}
	}
	if name == "bun" {
		return interpCode{}, false
	}
	return interpStdin(inv, ilJS, name)
}

// interpDeno finds deno eval CODE.
func interpDeno(name string, args []interceptor.Word) (interpCode, bool) {
	if len(args) == 0 || args[0].Value != "eval" {
		return interpCode{}, false
	}
	for i := 1; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			if i+1 < len(args) {
				return interpCode{lang: ilJS, how: name + " eval", src: args[i+1].Value}, true
			}
			return interpCode{}, false
		case v == "--config" || v == "-c" || v == "--import-map" || v == "--location" || v == "--env-file":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return interpCode{lang: ilJS, how: name + " eval", src: v}, true
		}
	}
	return interpCode{}, false
}

// interpRuby finds ruby -e CODE (several -e join as lines) and -C DIR, or
// code on stdin when no script is named.
func interpRuby(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	var lines []string
	chdir := ""
	script := false
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-" {
			break
		}
		if v == "--" || !strings.HasPrefix(v, "-") {
			script = v != "--" || i+1 < len(args)
			break
		}
		if strings.HasPrefix(v, "--") {
			continue
		}
	cluster:
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'e':
				code := v[j+1:]
				if code == "" && i+1 < len(args) {
					i++
					code = args[i].Value
				}
				lines = append(lines, code)
				break cluster
			case 'I', 'r', 'C', 'E', 'F':
				val := v[j+1:]
				if val == "" && i+1 < len(args) {
					i++
					val = args[i].Value
				}
				if v[j] == 'C' {
					chdir = val
				}
				break cluster
			case 'x', 'i', '0', 'W', 'T':
				break cluster
			}
		}
	}
	if len(lines) > 0 {
		return interpCode{lang: ilRuby, how: name + " -e", src: strings.Join(lines, "\n"), chdir: chdir}, true
	}
	if script {
		return interpCode{}, false
	}
	code, ok := interpStdin(inv, ilRuby, name)
	code.chdir = chdir
	return code, ok
}

// interpPerl finds perl -e/-E CODE (clustered as in -ne, -lpe), or code
// on stdin when no script is named.
func interpPerl(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	var lines []string
	opt := "-e"
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "--" || !strings.HasPrefix(v, "-") || v == "-" {
			break
		}
	cluster:
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'e', 'E':
				opt = "-" + string(v[j])
				code := v[j+1:]
				if code == "" && i+1 < len(args) {
					i++
					code = args[i].Value
				}
				lines = append(lines, code)
				break cluster
			case 'I', 'M', 'm':
				if v[j+1:] == "" && i+1 < len(args) {
					i++
				}
				break cluster
			case 'i', 'l', '0', 'F', 'x', 'C', 'd', 'D', 'V':
				break cluster
			}
		}
	}
	if len(lines) > 0 {
		return interpCode{lang: ilPerl, how: name + " " + opt, src: strings.Join(lines, "\n")}, true
	}
	for _, a := range args {
		if !strings.HasPrefix(a.Value, "-") {
			return interpCode{}, false
		}
	}
	return interpStdin(inv, ilPerl, name)
}

// interpPHP finds php -r CODE (and -B/-R/-E), or a PHP file on stdin when
// no script is named.
func interpPHP(inv *interceptor.Invocation, name string, args []interceptor.Word) (interpCode, bool) {
	var lines []string
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-r" || v == "-B" || v == "-R" || v == "-E":
			if i+1 < len(args) {
				i++
				lines = append(lines, args[i].Value)
			}
		case v == "-f" || v == "-F":
			return interpCode{}, false
		case v == "-d" || v == "-c" || v == "-z" || v == "-t" || v == "-S":
			i++
		case v == "--":
			i = len(args)
		case strings.HasPrefix(v, "-"):
		default:
			if len(lines) == 0 {
				return interpCode{}, false // a script (artisan, bin/console)
			}
			i = len(args)
		}
	}
	if len(lines) > 0 {
		return interpCode{lang: ilPHP, how: name + " -r", src: strings.Join(lines, "\n")}, true
	}
	return interpStdin(inv, ilPHP, name)
}

// ---------------------------------------------------------------------
// Tokens.

// ikind is the kind of a token.
type ikind int

const (
	ikEOF ikind = iota
	ikIdent
	ikStr
	ikNum
	ikOp
	ikNL      // a newline that ends a statement (Python, Ruby)
	ikUnknown // a part of the code that is only known at run time
	ikOther   // a regular expression or another literal without a value
)

// itok is one token. Operators are normalised across languages: member
// access is "." (also ->, ::, ?., &.), string concatenation is "+" (also
// the "." of Perl and PHP).
type itok struct {
	kind ikind
	// text is the identifier or operator; identifiers of Perl and PHP keep
	// their sigil ("$x", "@list").
	text string
	// val is a string's value, with interceptor.UnknownMark where it
	// interpolates something.
	val string
	// cmd marks a command literal (`...`, qx(), %x()).
	cmd bool
	// tmpl marks a JavaScript template literal.
	tmpl bool
	// glob marks a Perl <pattern> glob.
	glob bool
	// words marks a word list (qw(), %w()).
	words bool
	// lits and exprs are the literal pieces of an interpolating string and
	// the source of the code interpolated between them.
	lits, exprs []string
	// space is true when whitespace precedes the token.
	space    bool
	pos, end int
}

// ilex is a tokenizer.
type ilex struct {
	lang  ilang
	src   string
	i     int
	toks  []itok
	depth int
	space bool
	// php is false while a PHP file is in inline HTML.
	php bool
	// docs are heredocs whose bodies start after the current line.
	docs []idoc
	// ops are the language's multi-character operators, longest first.
	ops []string
}

// idoc is a heredoc waiting for its body.
type idoc struct {
	tok    int
	id     string
	interp bool
	indent bool
}

// ilexCode tokenizes src. A PHP file starts in inline HTML.
func ilexCode(lang ilang, src string, file bool) []itok {
	l := &ilex{lang: lang, src: src, php: !file, ops: iopsFor(lang)}
	l.toks = make([]itok, 0, len(src)/4+2)
	for l.i < len(l.src) {
		if l.lang == ilPHP && !l.php {
			l.html()
			continue
		}
		l.step()
	}
	l.emit(itok{kind: ikEOF, pos: len(src), end: len(src)}, len(src))
	return l.toks
}

// emit appends a token that started at pos and ends at l.i.
func (l *ilex) emit(t itok, pos int) {
	t.space = l.space
	t.pos, t.end = pos, l.i
	l.space = false
	l.toks = append(l.toks, t)
}

// prev returns the last token, or nil.
func (l *ilex) prev() *itok {
	if len(l.toks) == 0 {
		return nil
	}
	return &l.toks[len(l.toks)-1]
}

// operand reports whether an operand (rather than an operator) is expected
// next: at the start, after an operator other than a closing bracket, or
// after a keyword.
func (l *ilex) operand() bool {
	p := l.prev()
	if p == nil || p.kind == ikNL {
		return true
	}
	switch p.kind {
	case ikOp:
		return p.text != ")" && p.text != "]" && p.text != "}"
	case ikIdent:
		switch p.text {
		case "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
			"do", "else", "yield", "await", "if", "unless", "while", "until", "and", "or", "not",
			"when", "split", "grep", "map", "join", "push", "unshift", "x", "lt", "gt", "le", "ge", "eq", "ne", "cmp":
			return true
		}
	}
	return false
}

// html skips PHP inline HTML up to an opening tag.
func (l *ilex) html() {
	rest := l.src[l.i:]
	k := strings.Index(rest, "<?")
	if k < 0 {
		l.i = len(l.src)
		return
	}
	l.i += k + 2
	if strings.HasPrefix(l.src[l.i:], "php") {
		l.i += 3
	} else if strings.HasPrefix(l.src[l.i:], "=") {
		l.i++
	}
	l.php = true
}

// step reads one token or skips one piece of whitespace or comment.
func (l *ilex) step() {
	src, i := l.src, l.i
	c := src[i]
	switch {
	case c == '\n':
		l.i++
		l.newline(i)
		return
	case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
		l.i++
		l.space = true
		return
	case c == '\\' && i+1 < len(src) && src[i+1] == '\n' && (l.lang == ilPython || l.lang == ilRuby):
		l.i += 2
		l.space = true
		return
	case strings.HasPrefix(src[i:], interceptor.UnknownMark):
		l.i += len(interceptor.UnknownMark)
		l.emit(itok{kind: ikUnknown}, i)
		return
	}
	if l.comment() {
		return
	}
	if l.quote() {
		return
	}
	switch {
	case isIDigit(c) || c == '.' && i+1 < len(src) && isIDigit(src[i+1]) && l.lang != ilPerl && l.lang != ilPHP:
		l.number()
	case c == '.' && i+1 < len(src) && isIDigit(src[i+1]) && l.operand():
		l.number()
	case l.identStart(i):
		l.ident()
	default:
		l.op()
	}
}

// isIDigit reports whether c is an ASCII digit.
func isIDigit(c byte) bool { return c >= '0' && c <= '9' }

// identStart reports whether an identifier starts at i.
func (l *ilex) identStart(i int) bool {
	c := l.src[i]
	switch {
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		return true
	case c == '$' && l.lang == ilJS:
		return true
	case c >= 0x80:
		r, _ := utf8.DecodeRuneInString(l.src[i:])
		return unicode.IsLetter(r)
	}
	return false
}

// identChar reports whether the byte at i continues an identifier.
func (l *ilex) identChar(i int) bool {
	if i >= len(l.src) {
		return false
	}
	c := l.src[i]
	if isIDigit(c) {
		return true
	}
	return l.identStart(i)
}

// newline handles the end of a line: heredoc bodies, and a statement end
// in Python and Ruby.
func (l *ilex) newline(pos int) {
	if len(l.docs) > 0 {
		l.heredocBodies()
	}
	l.space = true
	if l.depth > 0 || (l.lang != ilPython && l.lang != ilRuby) {
		return
	}
	p := l.prev()
	if p == nil || p.kind == ikNL {
		return
	}
	if l.lang == ilRuby {
		// A line ending in an operator or comma continues; so does a
		// line followed by one starting with ".method".
		if p.kind == ikOp && p.text != ")" && p.text != "]" && p.text != "}" {
			return
		}
		rest := strings.TrimLeft(l.src[l.i:], " \t")
		if strings.HasPrefix(rest, ".") && !strings.HasPrefix(rest, "..") || strings.HasPrefix(rest, "&.") {
			return
		}
	}
	save := l.i
	l.i = pos + 1
	l.emit(itok{kind: ikNL}, pos)
	l.i = save
}

// comment skips a comment, POD or a data section; it reports whether it
// did.
func (l *ilex) comment() bool {
	src, i := l.src, l.i
	rest := src[i:]
	lineStart := i == 0 || src[i-1] == '\n'
	switch l.lang {
	case ilPython:
		if rest[0] == '#' {
			l.skipLine()
			return true
		}
	case ilRuby:
		switch {
		case rest[0] == '#':
			l.skipLine()
			return true
		case lineStart && strings.HasPrefix(rest, "=begin"):
			l.skipTo("\n=end")
			l.skipLine()
			return true
		case lineStart && strings.HasPrefix(rest, "__END__"):
			l.i = len(src)
			return true
		}
	case ilPerl:
		switch {
		case rest[0] == '#':
			l.skipLine()
			return true
		case lineStart && len(rest) > 1 && rest[0] == '=' && rest[1] >= 'a' && rest[1] <= 'z':
			l.skipTo("\n=cut")
			l.skipLine()
			return true
		case lineStart && (strings.HasPrefix(rest, "__END__") || strings.HasPrefix(rest, "__DATA__")):
			l.i = len(src)
			return true
		}
	case ilJS, ilPHP:
		switch {
		case strings.HasPrefix(rest, "//") || l.lang == ilPHP && rest[0] == '#' && !strings.HasPrefix(rest, "#["):
			for l.i < len(src) && src[l.i] != '\n' {
				if l.lang == ilPHP && strings.HasPrefix(src[l.i:], "?>") {
					break
				}
				l.i++
			}
			return true
		case strings.HasPrefix(rest, "/*"):
			if k := strings.Index(rest[2:], "*/"); k >= 0 {
				l.i += 2 + k + 2
			} else {
				l.i = len(src)
			}
			l.space = true
			return true
		case l.lang == ilPHP && strings.HasPrefix(rest, "?>"):
			l.i += 2
			l.php = false
			l.emitOp(";", i)
			return true
		}
	}
	return false
}

// skipLine skips to the end of the line, leaving the newline.
func (l *ilex) skipLine() {
	for l.i < len(l.src) && l.src[l.i] != '\n' {
		l.i++
	}
}

// skipTo skips past the next occurrence of s, or to the end.
func (l *ilex) skipTo(s string) {
	if k := strings.Index(l.src[l.i:], s); k >= 0 {
		l.i += k + len(s)
		return
	}
	l.i = len(l.src)
}

// number reads a number.
func (l *ilex) number() {
	start := l.i
	for l.i < len(l.src) {
		c := l.src[l.i]
		if isIDigit(c) || c == '_' || c == 'x' || c == 'X' || c == 'o' || c == 'b' || c == 'e' || c == 'E' ||
			c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == 'n' || c == 'j' || c == 'L' {
			l.i++
			continue
		}
		if c == '.' && l.i+1 < len(l.src) && isIDigit(l.src[l.i+1]) {
			l.i++
			continue
		}
		break
	}
	l.emit(itok{kind: ikNum, text: l.src[start:l.i]}, start)
}

// ident reads an identifier, or a string with a prefix (Python's f"",
// Perl's q{}, Ruby's ?c is not read).
func (l *ilex) ident() {
	start := l.i
	for l.i < len(l.src) && l.identChar(l.i) {
		l.i++
	}
	// Perl and Ruby scope separators become part of the name.
	for l.lang == ilPerl && strings.HasPrefix(l.src[l.i:], "::") && l.identChar(l.i+2) {
		l.i += 2
		for l.i < len(l.src) && l.identChar(l.i) {
			l.i++
		}
	}
	if l.lang == ilRuby && l.i < len(l.src) && (l.src[l.i] == '?' || l.src[l.i] == '!') &&
		(l.i+1 >= len(l.src) || l.src[l.i+1] != '=') {
		l.i++
	}
	word := l.src[start:l.i]
	switch l.lang {
	case ilPython:
		if len(word) <= 2 && l.i < len(l.src) && (l.src[l.i] == '\'' || l.src[l.i] == '"') &&
			strings.Trim(strings.ToLower(word), "rbuf") == "" {
			l.pyString(start, strings.ToLower(word))
			return
		}
	case ilPerl:
		if l.perlQuoteLike(start, word) {
			return
		}
		word = strings.ReplaceAll(word, "::", ".")
	case ilRuby:
		// A symbol-like hash key "key:" stays an identifier followed
		// by ":".
	case ilPHP:
		word = strings.ToLower(word)
		if word == "__halt_compiler" {
			l.i = len(l.src)
		}
	}
	l.emit(itok{kind: ikIdent, text: word}, start)
}

// ops lists the multi-character operators, longest first.
func iopsFor(lang ilang) []string {
	switch lang {
	case ilPython:
		return []string{"**=", "//=", ">>=", "<<=", "...", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "//", "<<", ">>"}
	case ilJS:
		return []string{">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>"}
	case ilRuby:
		return []string{"**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "&.", "::", "..", "=>", "->", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "**", "<<", ">>"}
	case ilPerl:
		return []string{"<=>", "**=", "||=", "&&=", "//=", "...", "->", "=>", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "//", "..", ".=", "+=", "-=", "*=", "/=", "x=", "**", "<<", ">>", "++", "--", "::"}
	case ilPHP:
		return []string{"<=>", "===", "!==", "**=", "...", "??=", "?->", "<<=", ">>=", "->", "=>", "==", "!=", "<>", "<=", ">=", "&&", "||", "??", "::", ".=", "+=", "-=", "*=", "/=", "%=", "++", "--", "**", "<<", ">>"}
	}
	return nil
}

// op reads an operator, normalising member access and concatenation.
func (l *ilex) op() {
	start := l.i
	rest := l.src[l.i:]
	text := rest[:1]
	for _, o := range l.ops {
		if strings.HasPrefix(rest, o) {
			text = o
			break
		}
	}
	if text == rest[:1] && rest[0] >= 0x80 {
		_, size := utf8.DecodeRuneInString(rest)
		text = rest[:size]
	}
	l.i += len(text)
	switch text {
	case "(", "[", "{":
		l.depth++
	case ")", "]", "}":
		if l.depth > 0 {
			l.depth--
		}
	}
	norm := text
	switch {
	case text == "->" && (l.lang == ilPerl || l.lang == ilPHP), text == "?->", text == "&.", text == "::" && l.lang != ilPython:
		norm = "."
	case text == "?." && l.lang == ilJS:
		// a?.b is a.b; a?.(x) and a?.[x] are calls and indexes.
		if l.i < len(l.src) && (l.src[l.i] == '(' || l.src[l.i] == '[') {
			return
		}
		norm = "."
	case text == "." && (l.lang == ilPerl || l.lang == ilPHP):
		norm = "+"
	case text == ".=" && (l.lang == ilPerl || l.lang == ilPHP):
		norm = "+="
	}
	l.emitOp(norm, start)
}

// emitOp emits an operator token.
func (l *ilex) emitOp(text string, pos int) {
	l.emit(itok{kind: ikOp, text: text}, pos)
}

// quote reads a string, command, regular expression, heredoc or glob
// literal starting at l.i; it reports whether it did.
func (l *ilex) quote() bool {
	src, i := l.src, l.i
	c := src[i]
	switch l.lang {
	case ilPython:
		if c == '\'' || c == '"' {
			l.pyString(i, "")
			return true
		}
	case ilJS:
		switch {
		case c == '\'' || c == '"':
			l.delimited(i, c, 0, iqDouble, itok{kind: ikStr})
			return true
		case c == '`':
			l.delimited(i, '`', 0, iqDouble, itok{kind: ikStr, tmpl: true})
			return true
		case c == '/' && l.operand() && !strings.HasPrefix(src[i:], "//") && !strings.HasPrefix(src[i:], "/*"):
			l.regex(i, '/')
			return true
		}
	case ilRuby:
		switch {
		case c == '\'':
			l.delimited(i, '\'', 0, iqSingle, itok{kind: ikStr})
			return true
		case c == '"':
			l.delimited(i, '"', 0, iqDouble, itok{kind: ikStr})
			return true
		case c == '`':
			l.delimited(i, '`', 0, iqDouble, itok{kind: ikStr, cmd: true})
			return true
		case c == '%' && l.rubyOperand():
			return l.rubyPercent(i)
		case c == ':' && i+1 < len(src) && (l.identStart(i+1) || src[i+1] == '"') && l.rubyOperand():
			if src[i+1] == '"' {
				l.i++
				l.delimited(i, '"', 0, iqDouble, itok{kind: ikStr})
				return true
			}
			l.i++
			for l.i < len(src) && (l.identChar(l.i) || src[l.i] == '?' || src[l.i] == '!') {
				l.i++
			}
			l.emit(itok{kind: ikStr, val: src[i+1 : l.i]}, i)
			return true
		case c == '/' && l.rubyOperand():
			l.regex(i, '/')
			return true
		case c == '<' && strings.HasPrefix(src[i:], "<<") && l.rubyOperand():
			return l.heredocStart(i, 2)
		}
	case ilPerl:
		switch {
		case c == '\'':
			l.delimited(i, '\'', 0, iqSingle, itok{kind: ikStr})
			return true
		case c == '"':
			l.delimited(i, '"', 0, iqDouble, itok{kind: ikStr})
			return true
		case c == '`':
			l.delimited(i, '`', 0, iqDouble, itok{kind: ikStr, cmd: true})
			return true
		case c == '$' || c == '@' || c == '%' || c == '&':
			return l.perlVar(i)
		case c == '/' && l.perlOperand():
			l.regex(i, '/')
			return true
		case c == '<' && strings.HasPrefix(src[i:], "<<") && l.perlOperand() && i+2 < len(src) &&
			(src[i+2] == '"' || src[i+2] == '\'' || src[i+2] == '~' || l.identStart(i+2)):
			return l.heredocStart(i, 2)
		case c == '<' && l.perlOperand():
			return l.perlAngle(i)
		}
	case ilPHP:
		switch {
		case c == '\'':
			l.delimited(i, '\'', 0, iqSingle, itok{kind: ikStr})
			return true
		case c == '"':
			l.delimited(i, '"', 0, iqDouble, itok{kind: ikStr})
			return true
		case c == '`':
			l.delimited(i, '`', 0, iqDouble, itok{kind: ikStr, cmd: true})
			return true
		case c == '$' && i+1 < len(src) && (l.identStart(i+1) || src[i+1] == '$'):
			l.i++
			for l.i < len(src) && (l.identChar(l.i) || src[l.i] == '$') {
				l.i++
			}
			l.emit(itok{kind: ikIdent, text: src[i:l.i]}, i)
			return true
		case c == '\\' && i+1 < len(src) && l.identStart(i+1):
			l.i++ // a namespace-qualified name: \unlink
			l.ident()
			return true
		case strings.HasPrefix(src[i:], "<<<"):
			return l.heredocStart(i, 3)
		}
	}
	return false
}

// rubyOperand is operand() with Ruby's whitespace rule for an
// identifier: "puts /x/" and "system %w(ls)" start literals, "a / b" and
// "a /b" (sic) are taken as division unless a space precedes and none
// follows.
func (l *ilex) rubyOperand() bool {
	if l.operand() {
		return true
	}
	p := l.prev()
	if p == nil || p.kind != ikIdent || !l.space {
		return false
	}
	next := l.i + 1
	return next < len(l.src) && l.src[next] != ' ' && l.src[next] != '=' && l.src[next] != '\n'
}

// perlOperand is operand() for Perl, where a bareword function name
// followed by a space also expects an operand.
func (l *ilex) perlOperand() bool {
	if l.operand() {
		return true
	}
	p := l.prev()
	return p != nil && p.kind == ikIdent && !strings.ContainsAny(p.text[:1], "$@%") && l.space &&
		l.i+1 < len(l.src) && l.src[l.i+1] != ' ' && l.src[l.i+1] != '='
}

// iquote is how a quoted literal is decoded.
type iquote int

const (
	iqSingle iquote = iota // only \\ and \<delimiter> are escapes
	iqDouble               // escapes and interpolation
	iqRaw                  // nothing: a regular expression, a raw string
)

// delimited reads a literal from l.i (at its opening delimiter) to the
// closing one and emits tok with its decoded value.
func (l *ilex) delimited(start int, close, open byte, mode iquote, tok itok) {
	l.i++ // opening delimiter
	raw := l.scan(close, open, mode == iqDouble)
	l.decode(raw, close, mode).setTok(&tok)
	l.emit(tok, start)
}

// scan returns the raw text up to the closing delimiter and moves past
// it. Brackets nest when open is set; interpolated code is skipped whole.
func (l *ilex) scan(close, open byte, interp bool) string {
	src := l.src
	start := l.i
	depth := 0
	for l.i < len(src) {
		c := src[l.i]
		switch {
		case c == '\\':
			l.i += 2
			continue
		case open != 0 && c == open:
			depth++
		case c == close:
			if depth == 0 {
				raw := src[start:l.i]
				l.i++
				return raw
			}
			depth--
		case interp && l.interpStart(l.i):
			l.i = l.interpEnd(l.i)
			continue
		}
		l.i++
	}
	l.i = len(src)
	return src[start:]
}

// interpStart reports whether interpolated code that may hold the
// delimiter ("#{...}", "${...}", "{$...}") starts at i.
func (l *ilex) interpStart(i int) bool {
	rest := l.src[i:]
	switch l.lang {
	case ilRuby:
		return strings.HasPrefix(rest, "#{")
	case ilJS, ilPerl:
		return strings.HasPrefix(rest, "${")
	case ilPHP:
		return strings.HasPrefix(rest, "{$") || strings.HasPrefix(rest, "${")
	}
	return false
}

// interpEnd returns the index after the interpolated code starting at i.
func (l *ilex) interpEnd(i int) int {
	src := l.src
	j := strings.IndexByte(src[i:], '{') + i + 1
	depth := 1
	for j < len(src) && depth > 0 {
		switch c := src[j]; c {
		case '{':
			depth++
		case '}':
			depth--
		case '\\':
			j++
		case '\'', '"', '`':
			k := j + 1
			for k < len(src) && src[k] != c {
				if src[k] == '\\' {
					k++
				}
				k++
			}
			j = k
		}
		j++
	}
	return min(j, len(src))
}

// ilit is a decoded literal: its value with UnknownMark for each
// interpolation, and, when it interpolates, the literal pieces around the
// interpolated code (len(lits) == len(exprs)+1).
type ilit struct {
	val   string
	lits  []string
	exprs []string
	cur   strings.Builder
	full  strings.Builder
}

// write appends literal text.
func (t *ilit) write(s string) {
	t.cur.WriteString(s)
	t.full.WriteString(s)
}

// interp records interpolated code.
func (t *ilit) interp(expr string) {
	t.lits = append(t.lits, t.cur.String())
	t.cur.Reset()
	t.exprs = append(t.exprs, expr)
	t.full.WriteString(interceptor.UnknownMark)
}

// done finishes the literal.
func (t *ilit) done() *ilit {
	t.val = t.full.String()
	if len(t.exprs) > 0 {
		t.lits = append(t.lits, t.cur.String())
	}
	return t
}

// setTok stores the literal in a token.
func (t *ilit) setTok(tok *itok) {
	tok.val, tok.lits, tok.exprs = t.val, t.lits, t.exprs
}

// decode turns raw literal text into its value.
func (l *ilex) decode(raw string, close byte, mode iquote) *ilit {
	out := &ilit{}
	if mode == iqRaw {
		out.write(raw)
		return out.done()
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if mode == iqDouble && l.interpAt(raw, i) {
			end := iinterpEndIn(raw, i)
			open := strings.IndexByte(raw[i:], '{') + i + 1
			closeAt := end
			if end > open && raw[end-1] == '}' {
				closeAt = end - 1
			}
			inner := raw[open:max(closeAt, open)]
			switch {
			case l.lang == ilPHP && strings.HasPrefix(raw[i:], "${"):
				inner = "$" + inner
			case l.lang == ilPerl:
				inner = raw[i:end] // ${name}
			}
			out.interp(inner)
			i = end - 1
			continue
		}
		if mode == iqDouble {
			if n := l.varInterp(raw, i); n > 0 {
				expr := raw[i : i+n]
				if l.lang == ilRuby {
					expr = expr[1:] // #@x
				}
				out.interp(expr)
				i += n - 1
				continue
			}
		}
		if c != '\\' || i+1 >= len(raw) {
			out.write(raw[i : i+1])
			continue
		}
		i++
		e := raw[i]
		if mode == iqSingle {
			if e != '\\' && e != close {
				out.write("\\")
			}
			out.write(raw[i : i+1])
			continue
		}
		var b strings.Builder
		i += iescape(&b, raw, i, l.lang) - 1
		out.write(b.String())
	}
	return out.done()
}

// interpAt reports whether interpolation starts at raw[i] (decode works
// on extracted text, so interpStart's view of l.src does not apply).
func (l *ilex) interpAt(raw string, i int) bool {
	rest := raw[i:]
	switch l.lang {
	case ilRuby:
		return strings.HasPrefix(rest, "#{")
	case ilJS, ilPerl:
		return strings.HasPrefix(rest, "${")
	case ilPHP:
		return strings.HasPrefix(rest, "{$") || strings.HasPrefix(rest, "${")
	}
	return false
}

// iinterpEndIn returns the index after the braced interpolation at i.
func iinterpEndIn(raw string, i int) int {
	j := strings.IndexByte(raw[i:], '{') + i + 1
	depth := 1
	for j < len(raw) && depth > 0 {
		switch raw[j] {
		case '{':
			depth++
		case '}':
			depth--
		}
		j++
	}
	return j
}

// varInterp returns the length of a variable interpolated at raw[i]
// without braces ("$name", "@list", "#@ivar", "$h{k}", "$o->x"), or 0.
func (l *ilex) varInterp(raw string, i int) int {
	c := raw[i]
	isName := func(k int) bool {
		if k >= len(raw) {
			return false
		}
		d := raw[k]
		return d == '_' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= 0x80
	}
	j := i
	switch l.lang {
	case ilRuby:
		if c != '#' || i+1 >= len(raw) || (raw[i+1] != '@' && raw[i+1] != '$') {
			return 0
		}
		j = i + 2
		if j < len(raw) && raw[j] == '@' {
			j++
		}
	case ilPerl:
		if (c != '$' && c != '@') || !(isName(i+1) || c == '$' && i+1 < len(raw) && (isIDigit(raw[i+1]) || raw[i+1] == ':')) {
			return 0
		}
		j = i + 1
	case ilPHP:
		if c != '$' || !isName(i+1) {
			return 0
		}
		j = i + 1
	default:
		return 0
	}
	for j < len(raw) && (isName(j) || isIDigit(raw[j]) || raw[j] == ':' && l.lang == ilPerl) {
		j++
	}
	// Subscripts and member access.
	for j < len(raw) {
		switch {
		case raw[j] == '[' || raw[j] == '{' && l.lang == ilPerl:
			closer := byte(']')
			if raw[j] == '{' {
				closer = '}'
			}
			k := strings.IndexByte(raw[j:], closer)
			if k < 0 {
				return j - i
			}
			j += k + 1
		case strings.HasPrefix(raw[j:], "->") && isName(j+2):
			j += 2
			for j < len(raw) && (isName(j) || isIDigit(raw[j])) {
				j++
			}
		default:
			return j - i
		}
	}
	return j - i
}

// iescape decodes the escape whose letter is at raw[i] into b and returns
// how many bytes of raw it used.
func iescape(b *strings.Builder, raw string, i int, lang ilang) int {
	e := raw[i]
	switch e {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case '0':
		b.WriteByte(0)
	case 'a':
		b.WriteByte(7)
	case 'b':
		b.WriteByte(8)
	case 'f':
		b.WriteByte(12)
	case 'v':
		b.WriteByte(11)
	case 'e':
		b.WriteByte(27)
	case '\n':
		// a line continuation
	case 'x':
		n := 0
		for n < 2 && i+1+n < len(raw) && strings.IndexByte("0123456789abcdefABCDEF", raw[i+1+n]) >= 0 {
			n++
		}
		if v, err := strconv.ParseUint(raw[i+1:i+1+n], 16, 8); err == nil && n > 0 {
			b.WriteByte(byte(v))
			return 1 + n
		}
		b.WriteByte('x')
	case 'u', 'U':
		n := 4
		if e == 'U' {
			n = 8
		}
		if i+1 < len(raw) && raw[i+1] == '{' {
			k := strings.IndexByte(raw[i:], '}')
			if k > 0 {
				if v, err := strconv.ParseUint(raw[i+2:i+k], 16, 32); err == nil {
					b.WriteRune(rune(v))
				}
				return k + 1
			}
		}
		if i+1+n <= len(raw) {
			if v, err := strconv.ParseUint(raw[i+1:i+1+n], 16, 32); err == nil {
				b.WriteRune(rune(v))
				return 1 + n
			}
		}
		b.WriteByte(e)
	default:
		if lang == ilPython && strings.IndexByte("\\'\"", e) < 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(e)
	}
	return 1
}

// pyString reads a Python string with its prefix (r, b, u, f and pairs).
func (l *ilex) pyString(start int, prefix string) {
	q := l.src[l.i]
	triple := strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	raw := strings.Contains(prefix, "r")
	fstr := strings.Contains(prefix, "f")
	if triple {
		l.i += 3
	} else {
		l.i++
	}
	b := &ilit{}
	src := l.src
	for l.i < len(src) {
		c := src[l.i]
		if triple && strings.HasPrefix(src[l.i:], strings.Repeat(string(q), 3)) {
			l.i += 3
			break
		}
		if !triple && c == q {
			l.i++
			break
		}
		if !triple && c == '\n' {
			break // unterminated: Python would not run it
		}
		if c == '\\' && l.i+1 < len(src) {
			if raw {
				b.write(src[l.i : l.i+2])
				l.i += 2
				continue
			}
			var e strings.Builder
			l.i += iescape(&e, src, l.i+1, ilPython) + 1
			b.write(e.String())
			continue
		}
		if fstr && c == '{' {
			if strings.HasPrefix(src[l.i:], "{{") {
				b.write("{")
				l.i += 2
				continue
			}
			depth := 0
			open := l.i
			for l.i < len(src) {
				if src[l.i] == '{' {
					depth++
				} else if src[l.i] == '}' {
					depth--
					if depth == 0 {
						l.i++
						break
					}
				}
				l.i++
			}
			b.interp(ipyFormatExpr(src[open+1 : max(l.i-1, open+1)]))
			continue
		}
		if fstr && strings.HasPrefix(src[l.i:], "}}") {
			b.write("}")
			l.i += 2
			continue
		}
		b.write(src[l.i : l.i+1])
		l.i++
	}
	tok := itok{kind: ikStr}
	b.done().setTok(&tok)
	l.emit(tok, start)
}

// ipyFormatExpr returns the expression of an f-string replacement field,
// without its conversion (!r) and format spec (:>10).
func ipyFormatExpr(field string) string {
	depth := 0
	for i := 0; i < len(field); i++ {
		switch c := field[i]; c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '\'', '"':
			if k := strings.IndexByte(field[i+1:], c); k >= 0 {
				i += k + 1
			}
		case '!', ':', '=':
			if depth == 0 && !(c == '!' || c == '=') || depth == 0 && c == '!' && (i+1 >= len(field) || field[i+1] != '=') {
				return field[:i]
			}
			if depth == 0 && c == '=' && i+1 == len(field) {
				return field[:i] // f"{x=}"
			}
		}
	}
	return field
}

// regex skips a regular expression literal and its flags.
func (l *ilex) regex(start int, close byte) {
	l.i++
	inClass := false
	for l.i < len(l.src) {
		c := l.src[l.i]
		if c == '\\' {
			l.i += 2
			continue
		}
		if c == '\n' && l.lang == ilJS {
			break
		}
		if c == '[' {
			inClass = true
		} else if c == ']' {
			inClass = false
		} else if c == close && !inClass {
			l.i++
			break
		}
		l.i++
	}
	for l.i < len(l.src) && l.identChar(l.i) {
		l.i++
	}
	l.emit(itok{kind: ikOther}, start)
}

// iclosing returns the closing delimiter of an opening one, and the
// opening one when the pair nests.
func iclosing(c byte) (close, open byte) {
	switch c {
	case '(':
		return ')', '('
	case '[':
		return ']', '['
	case '{':
		return '}', '{'
	case '<':
		return '>', '<'
	}
	return c, 0
}

// rubyPercent reads %q() %Q() %() %w() %W() %i() %x() %r() %s() literals.
func (l *ilex) rubyPercent(start int) bool {
	src := l.src
	i := start + 1
	if i >= len(src) {
		return false
	}
	kind := byte('Q')
	if strings.IndexByte("qQwWiIxrs", src[i]) >= 0 && i+1 < len(src) && !l.identChar(i+1) && src[i+1] != ' ' {
		kind = src[i]
		i++
	} else if l.identChar(i) || src[i] == ' ' || src[i] == '=' || src[i] == '\n' {
		return false
	}
	close, open := iclosing(src[i])
	l.i = i
	switch kind {
	case 'q':
		l.delimited(start, close, open, iqSingle, itok{kind: ikStr})
	case 'w', 'i':
		l.delimited(start, close, open, iqSingle, itok{kind: ikStr, words: true})
	case 'W', 'I':
		l.delimited(start, close, open, iqDouble, itok{kind: ikStr, words: true})
	case 'x':
		l.delimited(start, close, open, iqDouble, itok{kind: ikStr, cmd: true})
	case 'r':
		l.i++
		l.scan(close, open, false)
		for l.i < len(src) && l.identChar(l.i) {
			l.i++
		}
		l.emit(itok{kind: ikOther}, start)
	default:
		l.delimited(start, close, open, iqDouble, itok{kind: ikStr})
	}
	return true
}

// perlQuoteLike reads q// qq// qw// qx// m// qr// s/// tr/// y/// when
// word is one of those followed by a delimiter.
func (l *ilex) perlQuoteLike(start int, word string) bool {
	switch word {
	case "q", "qq", "qw", "qx", "m", "qr", "s", "tr", "y":
	default:
		return false
	}
	src := l.src
	j := l.i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if j >= len(src) {
		return false
	}
	d := src[j]
	if l.identChar(j) || d == ',' || d == ';' || d == ')' || d == '\n' || d == '=' && j+1 < len(src) && src[j+1] == '>' ||
		(d == '=' || d == '-') && j > l.i {
		return false
	}
	if d == '=' && (word == "s" || word == "y" || word == "q") && j+1 < len(src) && src[j+1] == ' ' {
		return false
	}
	close, open := iclosing(d)
	l.i = j
	switch word {
	case "q":
		l.delimited(start, close, open, iqSingle, itok{kind: ikStr})
	case "qq":
		l.delimited(start, close, open, iqDouble, itok{kind: ikStr})
	case "qw":
		l.delimited(start, close, open, iqSingle, itok{kind: ikStr, words: true})
	case "qx":
		mode := iqDouble
		if d == '\'' {
			mode = iqSingle
		}
		l.delimited(start, close, open, mode, itok{kind: ikStr, cmd: true})
	default:
		l.i++
		l.scan(close, open, false)
		if word == "s" || word == "tr" || word == "y" {
			if open != 0 {
				for l.i < len(src) && (src[l.i] == ' ' || src[l.i] == '\t' || src[l.i] == '\n') {
					l.i++
				}
				if l.i < len(src) {
					c2, o2 := iclosing(src[l.i])
					l.i++
					l.scan(c2, o2, false)
				}
			} else {
				l.scan(close, 0, false)
			}
		}
		for l.i < len(src) && l.identChar(l.i) {
			l.i++
		}
		l.emit(itok{kind: ikOther}, start)
	}
	return true
}

// perlVar reads a Perl variable ($x, @x, %x, $x::y, ${x}, $_, $0, $#x) or
// a &function sigil; it reports whether it did.
func (l *ilex) perlVar(start int) bool {
	src := l.src
	c := src[start]
	i := start + 1
	if i >= len(src) {
		return false
	}
	if c == '%' || c == '&' {
		if !l.operand() || !l.identStart(i) {
			return false
		}
	}
	if c == '@' && !l.identStart(i) && src[i] != '_' && src[i] != '$' && src[i] != '{' {
		return false
	}
	if c == '$' && src[i] == '#' {
		i++ // $#array
	}
	switch {
	case i < len(src) && src[i] == '{' && c != '&':
		k := strings.IndexByte(src[i:], '}')
		if k < 0 {
			return false
		}
		inner := strings.TrimSpace(src[i+1 : i+k])
		l.i = i + k + 1
		if inner != "" && strings.Trim(inner, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:") == "" {
			l.emit(itok{kind: ikIdent, text: string(c) + strings.ReplaceAll(inner, "::", ".")}, start)
		} else {
			l.emit(itok{kind: ikUnknown}, start) // ${ \ expr }: computed
		}
		return true
	case i < len(src) && (l.identStart(i) || isIDigit(src[i]) || src[i] == ':'):
		l.i = i
		for l.i < len(src) && (l.identChar(l.i) || src[l.i] == ':' && l.i+1 < len(src) && src[l.i+1] == ':') {
			if src[l.i] == ':' {
				l.i += 2
				continue
			}
			l.i++
		}
	case c == '$' && i < len(src) && strings.IndexByte("_&`'+!@/\\,;.0<>[]^$", src[i]) >= 0:
		l.i = i + 1
	default:
		return false
	}
	name := strings.ReplaceAll(src[start:l.i], "::", ".")
	if c == '&' {
		name = name[1:]
	}
	l.emit(itok{kind: ikIdent, text: name}, start)
	return true
}

// perlAngle reads <FH>, <$fh>, <> (input: no value) or <pattern> (a glob).
func (l *ilex) perlAngle(start int) bool {
	src := l.src
	k := strings.IndexAny(src[start+1:], ">\n")
	if k < 0 || src[start+1+k] != '>' {
		return false
	}
	inner := src[start+1 : start+1+k]
	if strings.ContainsAny(inner, " =<") && !strings.ContainsAny(inner, "*?~/.") {
		return false
	}
	l.i = start + k + 2
	plain := strings.TrimLeft(inner, "$")
	if inner == "" || strings.Trim(plain, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:") == "" {
		l.emit(itok{kind: ikOther}, start)
		return true
	}
	tok := itok{kind: ikStr, glob: true}
	l.decode(inner, '>', iqDouble).setTok(&tok)
	l.emit(tok, start)
	return true
}

// heredocStart reads a heredoc introducer ("<<~ID", "<<'ID'", "<<<ID");
// the body is read at the end of the line.
func (l *ilex) heredocStart(start, n int) bool {
	src := l.src
	i := start + n
	indent := false
	if i < len(src) && (src[i] == '~' || src[i] == '-') && l.lang != ilPHP {
		indent = true
		i++
	}
	if l.lang == ilPHP {
		for i < len(src) && src[i] == ' ' {
			i++
		}
		indent = true
	}
	interp := true
	id := ""
	if i < len(src) && (src[i] == '\'' || src[i] == '"') {
		q := src[i]
		k := strings.IndexByte(src[i+1:], q)
		if k < 0 {
			return false
		}
		id = src[i+1 : i+1+k]
		interp = q == '"'
		i += k + 2
	} else {
		j := i
		for j < len(src) && l.identChar(j) {
			j++
		}
		id = src[i:j]
		i = j
	}
	if id == "" {
		return false
	}
	l.i = i
	l.emit(itok{kind: ikStr}, start)
	l.docs = append(l.docs, idoc{tok: len(l.toks) - 1, id: id, interp: interp, indent: indent})
	return true
}

// heredocBodies reads the bodies of the pending heredocs, which start at
// l.i (the line after their introducers).
func (l *ilex) heredocBodies() {
	docs := l.docs
	l.docs = nil
	for _, d := range docs {
		var body []string
		for l.i < len(l.src) {
			end := strings.IndexByte(l.src[l.i:], '\n')
			line := l.src[l.i:]
			if end >= 0 {
				line = l.src[l.i : l.i+end]
			}
			trimmed := line
			if d.indent {
				trimmed = strings.TrimLeft(line, " \t")
			}
			if trimmed == d.id || l.lang == ilPHP && strings.HasPrefix(trimmed, d.id) && !l.identChar(l.i+len(line)-len(trimmed)+len(d.id)) {
				if l.lang == ilPHP {
					l.i += len(line) - len(trimmed) + len(d.id)
				} else if end >= 0 {
					l.i += end + 1
				} else {
					l.i = len(l.src)
				}
				break
			}
			body = append(body, line)
			if end < 0 {
				l.i = len(l.src)
				break
			}
			l.i += end + 1
		}
		text := strings.Join(body, "\n") + "\n"
		if d.indent {
			text = iundent(body)
		}
		mode := iqSingle
		if d.interp {
			mode = iqDouble
		}
		l.decode(text, 0, mode).setTok(&l.toks[d.tok])
	}
}

// iundent removes the common leading whitespace of lines.
func iundent(lines []string) string {
	common := -1
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		n := len(ln) - len(strings.TrimLeft(ln, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	var b strings.Builder
	for _, ln := range lines {
		if common > 0 && len(ln) >= common {
			ln = ln[common:]
		}
		b.WriteString(ln)
		b.WriteByte('\n')
	}
	return b.String()
}

// ---------------------------------------------------------------------
// Values.

// ivKind is the kind of a value.
type ivKind int

const (
	ivUnknown ivKind = iota
	ivStr            // a string or path
	ivList           // a list, array or tuple
	ivDict           // a dict, object or hash
	ivRef            // a name: a module, a function, a global
	ivNum            // a number or another literal without text of interest
)

// ival is what an expression evaluates to, as far as it is known.
type ival struct {
	kind ivKind
	// s is a string's text (UnknownMark where unknown) or a ref's dotted
	// name.
	s string
	// home is true when the path is the home directory followed by s ("" or
	// "/rest").
	home bool
	// glob is true when s is a pattern matched against the filesystem.
	glob bool
	// pathObj is true for Path/Pathname objects.
	pathObj bool
	list    []ival
	dict    map[string]ival
	// each is true for a loop variable: one of list's elements in turn.
	each bool
}

// iunknown is a value that cannot be known.
func iunknown() ival { return ival{} }

// istr is a string value.
func istr(s string) ival { return ival{kind: ivStr, s: s} }

// ihome is the home directory followed by rest ("" or "/...").
func ihome(rest string) ival { return ival{kind: ivStr, s: rest, home: true} }

// ihomeMark stands for the home directory inside a string that does not
// start with it; the shell text gets the real directory.
const ihomeMark = "\x00~\x00"

// known reports whether v is a string with no unknown part.
func (v ival) known() bool {
	return v.kind == ivStr && !strings.Contains(v.s, interceptor.UnknownMark) && !strings.Contains(v.s, ihomeMark)
}

// text returns the string form of v for messages and shell code:
// UnknownMark when it is not a string.
func (v ival) text() string {
	if v.kind != ivStr {
		return interceptor.UnknownMark
	}
	if v.home {
		return "~" + v.s
	}
	return v.s
}

// iconcat joins two strings.
func iconcat(a, b ival) ival {
	if a.kind == ivList && a.each && b.kind == ivList && b.each {
		return iunknown() // two loop variables: not followed
	}
	if a.kind == ivList && a.each {
		return imapEach(a, func(x ival) ival { return iconcat(x, b) })
	}
	if b.kind == ivList && b.each {
		return imapEach(b, func(x ival) ival { return iconcat(a, x) })
	}
	if a.kind == ivStr && a.s == "" && !a.home && !a.glob && b.kind == ivStr {
		return b
	}
	if b.kind == ivStr && b.s == "" && !b.home && !b.glob && a.kind == ivStr {
		return a
	}
	if a.kind == ivNum && b.kind == ivStr {
		a = istr(interceptor.UnknownMark)
	}
	if a.kind != ivStr && b.kind != ivStr {
		return iunknown()
	}
	if a.kind != ivStr {
		a = istr(interceptor.UnknownMark)
	}
	if b.kind != ivStr {
		b = istr(interceptor.UnknownMark)
	}
	if b.home {
		// The home directory inside a string: a command line that names
		// it ("rm -rf " + home); no path starts that way.
		return istr(a.s + ihomeMark + b.s)
	}
	r := ival{kind: ivStr, s: a.s + b.s, home: a.home, glob: a.glob || b.glob, pathObj: a.pathObj}
	if a.home && a.s == "" && b.s != "" && b.s[0] != '/' {
		return istr(interceptor.UnknownMark + b.s) // "~" + "foo" is ~foo, another user's home
	}
	return r
}

// imapEach applies f to each element of a loop value.
func imapEach(v ival, f func(ival) ival) ival {
	out := ival{kind: ivList, each: true}
	for _, x := range v.list {
		out.list = append(out.list, f(x))
	}
	return out
}

// ijoin joins path parts as os.path.join and path.join do: an absolute
// part starts over.
func ijoin(parts ...ival) ival {
	if len(parts) == 0 {
		return iunknown()
	}
	loops := 0
	for _, p := range parts {
		if p.kind == ivList && p.each {
			loops++
		}
	}
	if loops > 1 {
		return iunknown() // two loop variables: not followed
	}
	for _, p := range parts {
		if p.kind == ivList && p.each {
			return imapEach(p, func(x ival) ival {
				q := append([]ival(nil), parts...)
				for i := range q {
					if q[i].kind == ivList && q[i].each {
						q[i] = x
						break
					}
				}
				return ijoin(q...)
			})
		}
	}
	r := parts[0]
	if r.kind != ivStr {
		r = istr(interceptor.UnknownMark)
	}
	for _, p := range parts[1:] {
		if p.kind != ivStr {
			p = istr(interceptor.UnknownMark)
		}
		switch {
		case p.home || strings.HasPrefix(p.s, "/"):
			r = p
		case p.s == "":
		case r.s == "" && !r.home:
			r = ival{kind: ivStr, s: p.s, glob: p.glob}
		default:
			sep := "/"
			if strings.HasSuffix(r.s, "/") {
				sep = ""
			}
			r = ival{kind: ivStr, s: r.s + sep + p.s, home: r.home, glob: r.glob || p.glob}
		}
	}
	r.pathObj = parts[0].pathObj
	return r
}

// iexpandUser expands a leading "~" as os.path.expanduser, File.expand_path
// and Perl's glob do; "~user" is another user's home, unknown here.
func iexpandUser(v ival) ival {
	if v.kind != ivStr || v.home || !strings.HasPrefix(v.s, "~") {
		return v
	}
	if v.s == "~" || strings.HasPrefix(v.s, "~/") {
		r := v
		r.home = true
		r.s = strings.TrimSuffix(v.s[1:], "/")
		if r.s == "" && strings.HasPrefix(v.s, "~/") && len(v.s) > 2 {
			r.s = "/"
		}
		return r
	}
	return istr(interceptor.UnknownMark + v.s)
}

// imaxEach bounds the values a loop variable is followed with; a longer
// list makes it unknown.
const imaxEach = 64

// ielem returns the value of one element of an iterable: a loop variable.
func ielem(v ival) ival {
	switch {
	case v.kind == ivList && len(v.list) == 1:
		return ielem(v.list[0])
	case v.kind == ivList:
		flat := iflatten([]ival{v})
		if len(flat) > imaxEach {
			return iunknown()
		}
		return ival{kind: ivList, each: true, list: flat}
	case v.kind == ivStr && v.glob:
		return v
	}
	return iunknown()
}

// iflatten expands lists (targets given as arrays or several arguments);
// dicts (options) are dropped.
func iflatten(vs []ival) []ival {
	var out []ival
	for _, v := range vs {
		switch v.kind {
		case ivList:
			out = append(out, iflatten(v.list)...)
		case ivDict:
		default:
			out = append(out, v)
		}
	}
	return out
}

// iquoteShell quotes s for bash; a glob's pattern characters stay
// unquoted so that the shell, and the path model, see the pattern.
func iquoteShell(s string, glob bool) string {
	if s == "" {
		return "''"
	}
	if !glob {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			b.WriteString(iquoteShell(lit.String(), false))
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']':
			flush()
			b.WriteByte(s[i])
		default:
			lit.WriteByte(s[i])
		}
	}
	flush()
	return b.String()
}

// ishellWord renders a value as one shell word: the home directory as ~.
// ok is false when the value is not a known string.
func ishellWord(v ival) (string, bool) {
	if !v.known() {
		return "", false
	}
	if !v.home {
		return iquoteShell(v.s, v.glob), true
	}
	rest := strings.TrimPrefix(v.s, "/")
	if rest == "" {
		if v.s == "/" {
			return "~/", true
		}
		return "~", true
	}
	return "~/" + iquoteShell(rest, v.glob), true
}

// iargWord renders an argv element: unknown parts stay in the word, so
// the shell analysis sees an argument it cannot know.
func iargWord(v ival) string {
	if w, ok := ishellWord(v); ok {
		return w
	}
	if v.kind == ivStr && !v.home {
		return iquoteShell(strings.ReplaceAll(v.s, ihomeMark, interceptor.UnknownMark), false)
	}
	return iquoteShell(interceptor.UnknownMark, false)
}

// ---------------------------------------------------------------------
// Syntax.

// inKind is the kind of a node.
type inKind int

const (
	inOther inKind = iota
	inStr
	inNum
	inName
	inMember
	inCall
	inIndex
	inList
	inDict
	inBin
)

// inode is one expression: enough structure to find calls and to evaluate
// literal arguments.
type inode struct {
	kind inKind
	// s is a string's value, a name, a member name or an operator.
	s string
	// tok is the token of a string literal.
	tok *itok
	// x is the callee, the object of a member or index, a binary's left.
	x *inode
	// y is a binary's right operand or an index.
	y *inode
	// args are call arguments, list elements or the code a string
	// interpolates; kw are keyword arguments or dict entries.
	args []*inode
	// lits are the literal pieces of an interpolating string, around args.
	lits     []string
	kw       map[string]*inode
	pos, end int
}

// iparser reads statements and expressions from tokens, evaluating as it
// goes: assignments and loop variables are bound in source order, and each
// call is judged once its statement is read.
type iparser struct {
	r     *interpRun
	toks  []itok
	i     int
	depth int
	steps int
	limit int
	// calls are the calls and command literals of the current statement,
	// in the order they complete.
	calls []*inode
	// iter is the element a callback's first parameter is bound to.
	iter *ival
	// noTernary stops Python's "x if c else y" inside a comprehension.
	noTernary bool
}

// peek returns the current token.
func (p *iparser) peek() *itok { return &p.toks[p.i] }

// at returns the token k places ahead.
func (p *iparser) at(k int) *itok {
	if p.i+k >= len(p.toks) {
		return &p.toks[len(p.toks)-1]
	}
	return &p.toks[p.i+k]
}

// next consumes and returns the current token.
func (p *iparser) next() *itok {
	t := &p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// isOp reports whether the current token is operator s.
func (p *iparser) isOp(s string) bool {
	t := p.peek()
	return t.kind == ikOp && t.text == s
}

// isWord reports whether the current token is identifier s.
func (p *iparser) isWord(s string) bool {
	t := p.peek()
	return t.kind == ikIdent && t.text == s
}

// eof reports whether all tokens are read.
func (p *iparser) eof() bool { return p.peek().kind == ikEOF }

// stop ends the reading; the budget is spent or the nesting too deep.
func (p *iparser) stop() {
	p.i = len(p.toks) - 1
	p.r.tooComplex = true
}

// lastEnd is the end offset of the last token read.
func (p *iparser) lastEnd() int {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].end
}

// statements reads statements until closer (or the end) and consumes
// the closer.
func (p *iparser) statements(closer func(*itok) bool) {
	for !p.eof() {
		t := p.peek()
		if closer != nil && closer(t) {
			p.next()
			return
		}
		if t.kind == ikNL || t.kind == ikOp && t.text == ";" {
			p.next()
			continue
		}
		start := p.i
		p.statement()
		p.flush()
		if p.i == start {
			p.next() // a token no statement starts with
		}
	}
}

// flush judges the calls of the statement just read.
func (p *iparser) flush() {
	calls := p.calls
	p.calls = nil
	for _, n := range calls {
		p.r.visit(n)
	}
}

// statement reads one statement.
func (p *iparser) statement() {
	if p.keyword() {
		return
	}
	e := p.exprList()
	if p.r.code.lang == ilPerl && (p.isWord("for") || p.isWord("foreach")) {
		// A statement modifier: EXPR for LIST runs EXPR with $_ set to
		// each element; the statement's calls are judged after this.
		p.next()
		p.r.vars["$_"] = ielem(p.r.eval(p.exprList()))
		return
	}
	if p.peek().kind != ikOp {
		return
	}
	switch op := p.peek().text; op {
	case "=", "+=", ":=", "||=", "??=", "//=":
		targets := []*inode{e}
		var rhs *inode
		for {
			p.next()
			rhs = p.exprList()
			if !p.isOp("=") {
				break
			}
			targets = append(targets, rhs)
		}
		v := p.r.eval(rhs)
		for _, t := range targets {
			p.r.assign(t, op, v)
		}
	}
}

// exprList reads expressions separated by commas (a tuple in Python, a
// list in Perl); one expression is returned as itself.
func (p *iparser) exprList() *inode {
	e := p.expr()
	if !p.isOp(",") || p.r.code.lang == ilJS || p.r.code.lang == ilPHP {
		return e
	}
	list := &inode{kind: inList, args: []*inode{e}, pos: e.pos}
	for p.isOp(",") {
		p.next()
		if p.peek().kind == ikNL || p.peek().kind == ikEOF || p.isOp("=") || p.isOp(";") {
			break
		}
		list.args = append(list.args, p.expr())
	}
	list.end = p.lastEnd()
	return list
}

// keyword handles the statements that start with a keyword; it reports
// whether the statement was read whole.
func (p *iparser) keyword() bool {
	t := p.peek()
	if t.kind != ikIdent {
		return false
	}
	switch p.r.code.lang {
	case ilPython:
		return p.pyKeyword(t.text)
	case ilJS:
		return p.jsKeyword(t.text)
	case ilRuby:
		return p.rbKeyword(t.text)
	case ilPerl:
		return p.plKeyword(t.text)
	case ilPHP:
		return p.phpKeyword(t.text)
	}
	return false
}

// dotted reads a dotted name (a.b.c).
func (p *iparser) dotted() string {
	var parts []string
	for p.isOp(".") {
		p.next()
		parts = append(parts, "")
	}
	for p.peek().kind == ikIdent {
		parts = append(parts, p.next().text)
		if !p.isOp(".") || p.at(1).kind != ikIdent {
			break
		}
		p.next()
	}
	return strings.Join(parts, ".")
}

// pyKeyword handles Python statements: import, from ... import (aliases
// and *), for loops, def/class headers, with ... as.
func (p *iparser) pyKeyword(w string) bool {
	r := p.r
	switch w {
	case "import":
		p.next()
		for {
			mod := p.dotted()
			if mod == "" {
				return true
			}
			if p.isWord("as") {
				p.next()
				if p.peek().kind == ikIdent {
					r.vars[p.next().text] = ival{kind: ivRef, s: mod}
				}
			} else {
				first, _, _ := strings.Cut(mod, ".")
				r.vars[first] = ival{kind: ivRef, s: first}
			}
			if !p.isOp(",") {
				return true
			}
			p.next()
		}
	case "from":
		p.next()
		mod := p.dotted()
		if !p.isWord("import") {
			return true
		}
		p.next()
		paren := p.isOp("(")
		if paren {
			p.next()
		}
		for {
			for p.peek().kind == ikNL && paren {
				p.next()
			}
			if p.isOp("*") {
				p.next()
				r.star = append(r.star, mod)
			} else if p.peek().kind == ikIdent {
				name := p.next().text
				alias := name
				if p.isWord("as") {
					p.next()
					if p.peek().kind == ikIdent {
						alias = p.next().text
					}
				}
				r.vars[alias] = ival{kind: ivRef, s: mod + "." + name}
			}
			if !p.isOp(",") {
				break
			}
			p.next()
		}
		if paren && p.isOp(")") {
			p.next()
		}
		return true
	case "for":
		p.next()
		p.bindLoop(func() bool { return p.isWord("in") })
		return true
	case "def", "class":
		p.next()
		if p.peek().kind == ikIdent {
			p.next()
		}
		if p.isOp("(") {
			p.skipBalanced()
		}
		return true
	case "with":
		p.next()
		for {
			p.expr()
			if p.isWord("as") {
				p.next()
				if p.peek().kind == ikIdent {
					r.vars[p.next().text] = iunknown()
				}
			}
			if !p.isOp(",") {
				return true
			}
			p.next()
		}
	case "return", "yield", "await", "assert", "raise", "del", "print", "if", "elif", "while",
		"else", "try", "except", "finally", "pass", "global", "nonlocal", "async", "not", "exec":
		if w == "exec" && p.at(1).kind == ikOp && p.at(1).text == "(" {
			return false // the Python 3 function
		}
		p.next()
		return false
	}
	return false
}

// bindLoop reads a loop's targets up to the word accepted by isIn, then
// the iterable, and binds a single target to its element.
func (p *iparser) bindLoop(isIn func() bool) {
	var names []string
	for !p.eof() && !isIn() && p.peek().kind != ikNL && !p.isOp(";") && !p.isOp(")") {
		t := p.next()
		if t.kind == ikIdent {
			names = append(names, t.text)
		}
	}
	if !isIn() {
		return
	}
	p.next()
	saved := p.noTernary
	p.noTernary = true
	iter := p.r.eval(p.expr())
	p.noTernary = saved
	for _, n := range names {
		if len(names) == 1 {
			p.r.vars[n] = ielem(iter)
		} else {
			p.r.vars[n] = iunknown()
		}
	}
}

// skipBalanced skips a bracketed group starting at the current opener.
func (p *iparser) skipBalanced() {
	depth := 0
	for !p.eof() {
		t := p.next()
		if t.kind != ikOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth <= 0 {
				return
			}
		}
	}
}

// jsKeyword handles JavaScript statements: import declarations, for ...
// of loops, function declarations; declaration keywords are skipped.
func (p *iparser) jsKeyword(w string) bool {
	r := p.r
	switch w {
	case "const", "let", "var", "export", "default", "return", "await", "throw", "if", "else",
		"while", "do", "try", "catch", "finally", "async", "yield", "case", "switch", "void", "typeof":
		p.next()
		return false
	case "import":
		if p.at(1).kind == ikOp && (p.at(1).text == "(" || p.at(1).text == ".") {
			return false // import("fs"), import.meta
		}
		p.next()
		binds := map[string]string{}
		if p.peek().kind == ikIdent && p.peek().text != "from" {
			binds[p.next().text] = ""
			if p.isOp(",") {
				p.next()
			}
		}
		if p.isOp("*") {
			p.next()
			if p.isWord("as") {
				p.next()
			}
			if p.peek().kind == ikIdent {
				binds[p.next().text] = ""
			}
		}
		if p.isOp("{") {
			p.next()
			for !p.eof() && !p.isOp("}") {
				t := p.next()
				if t.kind != ikIdent && t.kind != ikStr {
					continue
				}
				name := t.text
				if t.kind == ikStr {
					name = t.val
				}
				alias := name
				if p.isWord("as") {
					p.next()
					alias = p.next().text
				}
				binds[alias] = name
			}
			p.next()
		}
		if p.isWord("from") {
			p.next()
		}
		if p.peek().kind != ikStr {
			return true
		}
		mod := ijsModule(p.next().val)
		for alias, name := range binds {
			if name == "" || name == "default" {
				r.vars[alias] = ival{kind: ivRef, s: mod}
			} else {
				r.vars[alias] = ival{kind: ivRef, s: mod + "." + name}
			}
		}
		return true
	case "for":
		p.next()
		if p.isWord("await") {
			p.next()
		}
		if !p.isOp("(") {
			return true
		}
		p.next()
		if p.isWord("const") || p.isWord("let") || p.isWord("var") {
			p.next()
		}
		if p.peek().kind != ikIdent || p.at(1).kind != ikIdent || (p.at(1).text != "of" && p.at(1).text != "in") {
			return false // for (;;): read the rest as expressions
		}
		name := p.next().text
		of := p.next().text == "of"
		iter := p.r.eval(p.expr())
		if of {
			r.vars[name] = ielem(iter)
		} else {
			r.vars[name] = iunknown()
		}
		if p.isOp(")") {
			p.next()
		}
		return true
	case "function":
		p.function()
		return true
	case "class":
		p.next()
		return false
	}
	return false
}

// function reads a function declaration or expression: its body's calls
// are judged, its parameters are unknown (or the callback element).
func (p *iparser) function() *inode {
	start := p.peek().pos
	p.next()
	if p.isOp("*") {
		p.next()
	}
	if p.peek().kind == ikIdent {
		p.next()
	}
	var params []string
	if p.isOp("(") {
		p.next()
		for !p.eof() && !p.isOp(")") {
			t := p.next()
			if t.kind == ikIdent {
				params = append(params, t.text)
			}
		}
		p.next()
	}
	p.bindParams(params)
	if p.isOp("{") {
		p.next()
		p.block("}")
	}
	return &inode{kind: inOther, pos: start, end: p.lastEnd()}
}

// bindParams binds a callback's first parameter to the current element and
// the others to unknown.
func (p *iparser) bindParams(params []string) {
	for i, name := range params {
		if i == 0 && p.iter != nil {
			p.r.vars[name] = *p.iter
		} else {
			// Unbound: the name reads as a global (import("fs").then(fs
			// => ...)) or, as a target, as unknown.
			delete(p.r.vars, name)
		}
	}
}

// block reads statements up to the closing operator; the calls collected
// so far in the enclosing statement wait for it.
func (p *iparser) block(closer string) {
	saved := p.calls
	p.calls = nil
	savedIter := p.iter
	p.iter = nil
	p.statements(func(t *itok) bool { return t.kind == ikOp && t.text == closer })
	p.iter = savedIter
	p.calls = saved
}

// rbKeyword handles Ruby statements: include, for ... in, def headers;
// other keywords are skipped.
func (p *iparser) rbKeyword(w string) bool {
	r := p.r
	switch w {
	case "include", "extend":
		p.next()
		if mod := p.dotted(); mod != "" {
			r.star = append(r.star, mod)
		}
		return true
	case "for":
		p.next()
		p.bindLoop(func() bool { return p.isWord("in") })
		if p.isWord("do") {
			p.next()
		}
		return true
	case "def":
		p.next()
		for !p.eof() && p.peek().kind != ikNL && !p.isOp("(") && !p.isOp(";") {
			p.next()
		}
		if p.isOp("(") {
			p.skipBalanced()
		}
		return true
	case "end", "do", "then", "begin", "rescue", "ensure", "else", "elsif", "if", "unless", "while",
		"until", "return", "not", "and", "or", "class", "module", "case", "when", "yield", "break", "next":
		p.next()
		return false
	}
	return false
}

// plKeyword handles Perl statements: use/require (skipped), sub, for and
// foreach loops; my/our/local are skipped.
func (p *iparser) plKeyword(w string) bool {
	r := p.r
	switch w {
	case "my", "our", "local", "state", "if", "unless", "while", "until", "else", "elsif",
		"return", "and", "or", "not", "do":
		p.next()
		return false
	case "use", "no", "package", "require":
		for !p.eof() && !p.isOp(";") {
			p.next()
		}
		return true
	case "sub":
		p.next()
		if p.peek().kind == ikIdent {
			p.next()
		}
		if p.isOp("{") {
			p.next()
			p.block("}")
		}
		return true
	case "for", "foreach":
		p.next()
		if p.isWord("my") || p.isWord("our") {
			p.next()
		}
		name := "$_"
		if t := p.peek(); t.kind == ikIdent && strings.HasPrefix(t.text, "$") {
			name = p.next().text
		}
		if !p.isOp("(") {
			return true
		}
		list := p.primary()
		r.vars[name] = ielem(r.eval(list))
		return true
	case "eval":
		if p.at(1).kind == ikOp && p.at(1).text == "{" {
			p.next()
			return false
		}
	}
	return false
}

// phpKeyword handles PHP statements: foreach ... as, function
// declarations; other keywords are skipped.
func (p *iparser) phpKeyword(w string) bool {
	r := p.r
	switch w {
	case "echo", "print", "return", "if", "else", "elseif", "while", "for", "do", "try", "catch",
		"finally", "throw", "namespace", "use", "require", "include", "require_once", "include_once", "static", "global":
		p.next()
		return false
	case "foreach":
		p.next()
		if !p.isOp("(") {
			return true
		}
		p.next()
		iter := r.eval(p.expr())
		if !p.isWord("as") {
			return true
		}
		p.next()
		var names []string
		for !p.eof() && !p.isOp(")") {
			t := p.next()
			if t.kind == ikIdent {
				names = append(names, t.text)
			}
		}
		p.next()
		for i, n := range names {
			if i == len(names)-1 {
				r.vars[n] = ielem(iter)
			} else {
				r.vars[n] = iunknown()
			}
		}
		return true
	case "function", "fn":
		p.function()
		return true
	}
	return false
}

// expr reads one expression: unary operands joined by binary operators.
// Precedence does not matter for what is evaluated here (strings joined
// by + or /), so the operators are read left to right.
func (p *iparser) expr() *inode {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 200 {
		p.stop()
		return &inode{}
	}
	left := p.unary()
	for {
		t := p.peek()
		lang := p.r.code.lang
		switch {
		case t.kind == ikOp && ibinary(t.text):
			p.next()
			right := p.unary()
			left = &inode{kind: inBin, s: t.text, x: left, y: right, pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikOp && t.text == "?" && lang != ilPython:
			p.next()
			p.expr()
			if p.isOp(":") {
				p.next()
				p.expr()
			}
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == ilPython && (t.text == "and" || t.text == "or" || t.text == "in" || t.text == "is" || t.text == "not" && p.at(1).text == "in"):
			p.next()
			if p.isWord("in") || p.isWord("not") {
				p.next()
			}
			p.unary()
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == ilPython && t.text == "if" && !p.noTernary:
			p.next()
			p.expr()
			if p.isWord("else") {
				p.next()
				p.expr()
			}
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == ilJS && (t.text == "instanceof" || t.text == "in"):
			p.next()
			p.unary()
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == ilPerl && (t.text == "x" || t.text == "eq" || t.text == "ne" || t.text == "lt" || t.text == "gt" || t.text == "le" || t.text == "ge" || t.text == "cmp"):
			p.next()
			p.unary()
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		}
		return left
	}
}

// ibinary reports whether op is a binary operator.
func ibinary(op string) bool {
	switch op {
	case "+", "-", "*", "/", "%", "**", "//", "==", "!=", "===", "!==", "<", ">", "<=", ">=",
		"&&", "||", "??", "&", "|", "^", "<<", ">>", ">>>", "=~", "!~", "..", "<=>", "<>":
		return true
	}
	return false
}

// unary reads prefix operators, an operand and its postfix operations.
func (p *iparser) unary() *inode {
	t := p.peek()
	lang := p.r.code.lang
	if t.kind == ikOp {
		switch t.text {
		case "*", "**", "...", "&":
			// splats pass their value through
			p.next()
			return p.unary()
		case "-", "+", "!", "~", "\\", "++", "--":
			p.next()
			x := p.unary()
			return &inode{pos: t.pos, end: x.end}
		}
	}
	if t.kind == ikIdent {
		switch {
		case t.text == "new" && lang == ilJS || t.text == "new" && lang == ilPHP:
			p.next()
			return p.unary()
		case t.text == "not" || t.text == "await" || t.text == "typeof" && lang == ilJS ||
			t.text == "void" && lang == ilJS || t.text == "delete" && lang == ilJS || t.text == "yield":
			p.next()
			x := p.unary()
			return &inode{pos: t.pos, end: x.end}
		}
	}
	n := p.primary()
	if n.kind == inOther && n.end == 0 {
		return n
	}
	return p.postfix(n)
}

// primary reads one operand. It returns an inOther node with end 0,
// consuming nothing, when no operand starts here.
func (p *iparser) primary() *inode {
	p.steps++
	if p.steps > p.limit {
		p.stop()
		return &inode{}
	}
	t := p.peek()
	lang := p.r.code.lang
	switch t.kind {
	case ikStr:
		p.next()
		n := p.strNode(t)
		if t.cmd {
			p.calls = append(p.calls, n)
			return n
		}
		if t.words {
			list := &inode{kind: inList, pos: t.pos, end: t.end}
			for _, w := range strings.Fields(t.val) {
				list.args = append(list.args, &inode{kind: inStr, s: w, pos: t.pos, end: t.end})
			}
			return list
		}
		// Adjacent literals join in Python and Ruby.
		for (lang == ilPython || lang == ilRuby) && p.peek().kind == ikStr && !p.peek().cmd && !p.peek().words && !t.glob {
			next := p.strNode(p.next())
			n = &inode{kind: inBin, s: "+", x: n, y: next, pos: n.pos, end: next.end}
		}
		return n
	case ikNum:
		p.next()
		return &inode{kind: inNum, s: t.text, pos: t.pos, end: t.end}
	case ikUnknown:
		p.next()
		p.r.unknownCode = true
		return &inode{pos: t.pos, end: t.end}
	case ikOther:
		p.next()
		return &inode{pos: t.pos, end: t.end}
	case ikIdent:
		switch {
		case lang == ilPython && t.text == "lambda":
			p.next()
			var params []string
			for !p.eof() && !p.isOp(":") {
				if tk := p.next(); tk.kind == ikIdent {
					params = append(params, tk.text)
				}
			}
			p.next()
			p.bindParams(params)
			body := p.expr()
			return &inode{pos: t.pos, end: body.end}
		case (lang == ilJS || lang == ilPHP) && (t.text == "function" || t.text == "fn" && lang == ilPHP):
			return p.function()
		case lang == ilJS && t.text == "async" && p.at(1).kind == ikIdent:
			p.next()
			return p.primary()
		}
		p.next()
		n := &inode{kind: inName, s: t.text, pos: t.pos, end: t.end}
		if lang == ilJS && p.isOp("=>") {
			return p.arrow([]string{t.text}, t.pos)
		}
		return n
	case ikOp:
		switch t.text {
		case "(":
			p.next()
			args, kw := p.seq(")", nil)
			if lang == ilJS && p.isOp("=>") {
				var params []string
				for _, a := range args {
					if a.kind == inName {
						params = append(params, a.s)
					}
				}
				return p.arrow(params, t.pos)
			}
			if len(args) == 1 && len(kw) == 0 && lang != ilPerl {
				inner := *args[0]
				inner.pos, inner.end = t.pos, p.lastEnd()
				return &inner
			}
			return &inode{kind: inList, args: args, kw: kw, pos: t.pos, end: p.lastEnd()}
		case "[":
			p.next()
			args, kw := p.seq("]", nil)
			if len(kw) > 0 && len(args) == 0 {
				return &inode{kind: inDict, kw: kw, pos: t.pos, end: p.lastEnd()}
			}
			return &inode{kind: inList, args: args, kw: kw, pos: t.pos, end: p.lastEnd()}
		case "{":
			return p.brace()
		case "->":
			if lang == ilRuby { // a lambda literal
				p.next()
				if p.isOp("(") {
					p.skipBalanced()
				}
				return &inode{pos: t.pos, end: p.lastEnd()}
			}
		}
	}
	return &inode{}
}

// strNode makes the node of a string literal; the code it interpolates is
// read as expressions, whose calls are judged with the statement's.
func (p *iparser) strNode(t *itok) *inode {
	n := &inode{kind: inStr, s: t.val, tok: t, pos: t.pos, end: t.end}
	if len(t.exprs) == 0 || t.words {
		return n
	}
	n.lits = t.lits
	for _, e := range t.exprs {
		toks := ilexCode(p.r.code.lang, e, false)
		for i := range toks {
			toks[i].pos, toks[i].end = t.pos, t.end
		}
		sub := &iparser{r: p.r, toks: toks, limit: 64*len(toks) + 256, depth: p.depth + 8}
		x := sub.expr()
		p.calls = append(p.calls, sub.calls...)
		n.args = append(n.args, x)
	}
	return n
}

// arrow reads an arrow function's body after its parameters.
func (p *iparser) arrow(params []string, pos int) *inode {
	p.next() // =>
	p.bindParams(params)
	if p.isOp("{") {
		p.next()
		p.block("}")
	} else {
		saved := p.iter
		p.iter = nil
		p.expr()
		p.iter = saved
	}
	return &inode{pos: pos, end: p.lastEnd()}
}

// brace reads a dict, object or hash literal, or else a block.
func (p *iparser) brace() *inode {
	t := p.next()
	if p.objectAhead() {
		args, kw := p.seq("}", nil)
		n := &inode{kind: inDict, kw: kw, pos: t.pos, end: p.lastEnd()}
		for _, a := range args {
			if a.kind == inName { // {a, b}: shorthand properties
				if n.kw == nil {
					n.kw = map[string]*inode{}
				}
				n.kw[a.s] = a
			}
		}
		return n
	}
	p.block("}")
	return &inode{pos: t.pos, end: p.lastEnd()}
}

// objectAhead reports whether the tokens after "{" read as a literal
// rather than a block.
func (p *iparser) objectAhead() bool {
	lang := p.r.code.lang
	if lang == ilPython {
		return true
	}
	if lang == ilPHP {
		return false
	}
	k := 0
	for p.at(k).kind == ikNL {
		k++
	}
	t, u := p.at(k), p.at(k+1)
	if t.kind == ikOp && t.text == "}" {
		return true
	}
	if t.kind == ikOp && t.text == "..." {
		return true
	}
	if t.kind == ikIdent || t.kind == ikStr || t.kind == ikNum {
		if u.kind == ikOp && (u.text == ":" || u.text == "=>" || u.text == "}" || u.text == "," && lang == ilJS) {
			return true
		}
	}
	return false
}

// seq reads comma-separated items up to closer (consumed): positional
// items, and keyword items ("k=v" in Python, "k: v", "k => v"). Python
// comprehensions bind their loop variables.
func (p *iparser) seq(closer string, iter *ival) ([]*inode, map[string]*inode) {
	var args []*inode
	var kw map[string]*inode
	lang := p.r.code.lang
	savedIter := p.iter
	p.iter = iter
	defer func() { p.iter = savedIter }()
	addKW := func(k string, v *inode) {
		if kw == nil {
			kw = map[string]*inode{}
		}
		kw[k] = v
	}
	for {
		for p.peek().kind == ikNL {
			p.next()
		}
		if p.eof() {
			return args, kw
		}
		if p.isOp(closer) {
			p.next()
			return args, kw
		}
		t, u := p.peek(), p.at(1)
		switch {
		case lang == ilPython && t.kind == ikIdent && u.kind == ikOp && u.text == "=":
			p.next()
			p.next()
			addKW(t.text, p.expr())
		case (lang == ilRuby || lang == ilPHP || lang == ilJS && closer == "}") && (t.kind == ikIdent || t.kind == ikStr && lang != ilPHP) &&
			u.kind == ikOp && u.text == ":" && !u.space:
			p.next()
			p.next()
			key := t.text
			if t.kind == ikStr {
				key = t.val
			}
			addKW(key, p.expr())
		default:
			e := p.expr()
			switch {
			case p.isOp("=>") || p.isOp(":") && (lang == ilPython || lang == ilJS || lang == ilRuby) && closer == "}":
				p.next()
				v := p.expr()
				if key, ok := ikey(e); ok {
					addKW(key, v)
				}
			case lang == ilPython && p.isWord("for"):
				for p.isWord("for") {
					p.next()
					p.bindLoop(func() bool { return p.isWord("in") })
					for p.isWord("if") {
						p.next()
						saved := p.noTernary
						p.noTernary = true
						p.expr()
						p.noTernary = saved
					}
				}
				args = append(args, e)
			default:
				args = append(args, e)
			}
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		if p.isOp(closer) || p.eof() {
			continue
		}
		p.next() // a token that does not belong: slices, annotations
	}
}

// ikey returns the key of a dict entry: a string, or a bare word.
func ikey(n *inode) (string, bool) {
	switch n.kind {
	case inStr, inName:
		return n.s, true
	}
	return "", false
}

// postfix reads member access, calls, indexes, blocks and paren-less
// calls after an operand.
func (p *iparser) postfix(n *inode) *inode {
	lang := p.r.code.lang
	for {
		t := p.peek()
		switch {
		case t.kind == ikOp && t.text == "." && p.at(1).kind == ikIdent:
			p.next()
			m := p.next()
			n = &inode{kind: inMember, s: m.text, x: n, pos: n.pos, end: m.end}
			continue
		case t.kind == ikOp && t.text == "(":
			if lang == ilPerl && n.kind == inName && strings.HasPrefix(n.s, "$") && t.space {
				return n
			}
			p.next()
			args, kw := p.seq(")", p.callbackElem(n))
			n = &inode{kind: inCall, x: n, args: args, kw: kw, pos: n.pos, end: p.lastEnd()}
			p.calls = append(p.calls, n)
			if lang == ilRuby && (p.isOp("{") || p.isWord("do")) {
				n = p.rubyBlock(n)
			}
			continue
		case t.kind == ikOp && t.text == "[" && !(lang == ilRuby && t.space):
			p.next()
			args, _ := p.seq("]", nil)
			var idx *inode
			if len(args) > 0 {
				idx = args[0]
			}
			n = &inode{kind: inIndex, x: n, y: idx, pos: n.pos, end: p.lastEnd()}
			continue
		case t.kind == ikOp && t.text == "{" && lang == ilPerl && !t.space && (n.kind == inName && strings.HasPrefix(n.s, "$") || n.kind == inIndex || n.kind == inMember):
			p.next()
			var idx *inode
			if k := p.peek(); k.kind == ikIdent && p.at(1).kind == ikOp && p.at(1).text == "}" {
				p.next()
				idx = &inode{kind: inStr, s: k.text}
			} else {
				idx = p.expr()
			}
			if p.isOp("}") {
				p.next()
			}
			n = &inode{kind: inIndex, x: n, y: idx, pos: n.pos, end: p.lastEnd()}
			continue
		case lang == ilRuby && (t.kind == ikOp && t.text == "{" || t.kind == ikIdent && t.text == "do") && (n.kind == inMember || n.kind == inName):
			n = p.rubyBlock(n)
			continue
		case lang == ilJS && t.kind == ikStr && t.tmpl:
			p.next()
			arg := &inode{kind: inStr, s: t.val, tok: t, pos: t.pos, end: t.end}
			n = &inode{kind: inCall, x: n, args: []*inode{arg}, pos: n.pos, end: t.end}
			p.calls = append(p.calls, n)
			continue
		case lang == ilPerl && n.kind == inName && (n.s == "unlink" || n.s == "rmdir") && !p.parenlessStart(n):
			// unlink with no arguments deletes $_.
			n = &inode{kind: inCall, x: n, pos: n.pos, end: n.end}
			p.calls = append(p.calls, n)
			return n
		case (lang == ilRuby || lang == ilPerl) && (n.kind == inName || n.kind == inMember) && p.parenlessStart(n):
			args, kw := p.parenless()
			n = &inode{kind: inCall, x: n, args: args, kw: kw, pos: n.pos, end: p.lastEnd()}
			p.calls = append(p.calls, n)
			if lang == ilRuby && (p.isOp("{") || p.isWord("do")) {
				n = p.rubyBlock(n)
			}
			return n
		case lang == ilRuby && n.kind == inMember && !(t.kind == ikOp && (t.text == "=" || t.text == "+=")):
			// A Ruby method called without arguments: path.rmtree.
			n = &inode{kind: inCall, x: n, pos: n.pos, end: n.end}
			p.calls = append(p.calls, n)
			continue
		}
		return n
	}
}

// callbackElem returns the element a callback passed to this call
// iterates over: xs.forEach(f => ...), xs.map(...), or nil.
func (p *iparser) callbackElem(callee *inode) *ival {
	if callee.kind != inMember {
		return nil
	}
	switch callee.s {
	case "forEach", "map", "filter", "some", "every", "flatMap", "find", "each", "each_entry", "collect", "select":
		v := ielem(p.r.eval(callee.x))
		return &v
	}
	return nil
}

// parenlessStart reports whether a Ruby or Perl call without parentheses
// starts after n: an argument follows after whitespace.
func (p *iparser) parenlessStart(n *inode) bool {
	t := p.peek()
	lang := p.r.code.lang
	if n.kind == inName && (strings.HasPrefix(n.s, "$") || strings.HasPrefix(n.s, "@") || strings.HasPrefix(n.s, "%")) {
		return false // a variable
	}
	if lang == ilRuby && !t.space {
		return false
	}
	switch t.kind {
	case ikStr, ikNum:
		return true
	case ikIdent:
		return !iparenlessStop(t.text)
	case ikOp:
		return t.text == "[" && t.space && lang == ilRuby || t.text == "*" && lang == ilRuby && !p.at(1).space && t.space
	}
	return false
}

// iparenlessStop lists the words that end a paren-less argument list.
func iparenlessStop(w string) bool {
	switch w {
	case "if", "unless", "while", "until", "and", "or", "not", "do", "then", "end", "rescue",
		"for", "foreach", "x", "eq", "ne", "lt", "gt", "le", "ge", "cmp", "else", "elsif":
		return true
	}
	return false
}

// parenless reads the arguments of a call without parentheses, up to the
// end of the statement.
func (p *iparser) parenless() ([]*inode, map[string]*inode) {
	var args []*inode
	var kw map[string]*inode
	for !p.eof() {
		t := p.peek()
		if t.kind == ikNL || t.kind == ikOp && (t.text == ";" || t.text == ")" || t.text == "]" || t.text == "}") ||
			t.kind == ikIdent && iparenlessStop(t.text) {
			break
		}
		u := p.at(1)
		if p.r.code.lang == ilRuby && t.kind == ikIdent && u.kind == ikOp && u.text == ":" && !u.space {
			p.next()
			p.next()
			if kw == nil {
				kw = map[string]*inode{}
			}
			kw[t.text] = p.expr()
		} else {
			start := p.i
			e := p.expr()
			if p.isOp("=>") {
				p.next()
				v := p.expr()
				if key, ok := ikey(e); ok {
					if kw == nil {
						kw = map[string]*inode{}
					}
					kw[key] = v
				}
			} else {
				args = append(args, e)
			}
			if p.i == start {
				break
			}
		}
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	return args, kw
}

// rubyBlock reads a block ({ |x| ... } or do |x| ... end) given to a call
// and binds its first parameter to what the call iterates over.
func (p *iparser) rubyBlock(n *inode) *inode {
	call := n
	if n.kind != inCall {
		call = &inode{kind: inCall, x: n, pos: n.pos, end: n.end}
		p.calls = append(p.calls, call)
	}
	open := p.next()
	var params []string
	if p.isOp("|") {
		p.next()
		for !p.eof() && !p.isOp("|") {
			if t := p.next(); t.kind == ikIdent {
				params = append(params, t.text)
			}
		}
		p.next()
	}
	var elem *ival
	if call.x.kind == inMember {
		switch call.x.s {
		case "each", "each_entry", "map", "select", "reject", "each_with_index", "filter", "collect",
			"flat_map", "each_with_object", "find_all", "filter_map":
			v := ielem(p.r.eval(call.x.x))
			elem = &v
		}
	}
	if elem == nil {
		if name, _, ok := p.r.callee(call); ok {
			switch name {
			case "Dir.glob", "Dir.each_child", "Dir.foreach", "Find.find":
				v := ielem(p.r.eval(call))
				elem = &v
			}
		}
	}
	saved := p.iter
	p.iter = elem
	p.bindParams(params)
	p.iter = saved
	saved2 := p.calls
	p.calls = nil
	if open.text == "do" {
		p.statements(func(t *itok) bool { return t.kind == ikIdent && t.text == "end" })
	} else {
		p.statements(func(t *itok) bool { return t.kind == ikOp && t.text == "}" })
	}
	p.calls = saved2
	call.end = p.lastEnd()
	return call
}

// ---------------------------------------------------------------------
// Evaluation and judgement.

// interpRun analyses one program.
type interpRun struct {
	c    *Call
	code interpCode
	src  string
	vars map[string]ival
	// star lists modules imported whole (from os import *, include
	// FileUtils).
	star []string
	// prefix is shell code run before each check: the directory changes
	// the program made ("cd -- 'x' && ").
	prefix string
	// unknownCode is set when part of the code itself is only known at
	// run time.
	unknownCode bool
	tooComplex  bool
	depth       int
	// reported remembers the reports already made, by rule and text.
	reported map[string]bool
	// fromFile: the code is a program file, judged by what it definitely
	// does; what it computes at run time is not reported.
	fromFile bool
}

// run analyses src, a whole program or code given to eval.
func (r *interpRun) run(src string, file bool) {
	saved := r.src
	r.src = src
	toks := ilexCode(r.code.lang, src, file)
	p := &iparser{r: r, toks: toks, limit: 64*len(toks) + 4096}
	p.statements(nil)
	p.flush()
	r.src = saved
	if r.unknownCode {
		r.report("interp.unknown-command", r.code.how+" runs code that is partly computed at run time, so what it does cannot be checked before it runs")
		r.unknownCode = false
	}
	if r.tooComplex {
		r.report("interp.unknown-command", r.code.how+" runs a program too complex to check")
		r.tooComplex = false
	}
}

// report reports a rule once per text.
func (r *interpRun) report(id, reason string) {
	if r.fromFile && unknowing(id) {
		return
	}
	if r.reported == nil {
		r.reported = map[string]bool{}
	}
	if r.reported[id+"\x00"+reason] {
		return
	}
	r.reported[id+"\x00"+reason] = true
	r.c.Report(id, reason)
}

// lang names the language for messages.
func (r *interpRun) lang() string {
	switch r.code.lang {
	case ilPython:
		return "python"
	case ilJS:
		return "node"
	case ilRuby:
		return "ruby"
	case ilPerl:
		return "perl"
	}
	return "php"
}

// snippet returns the source of a node for messages.
func (r *interpRun) snippet(n *inode) string {
	if n.pos < 0 || n.end > len(r.src) || n.pos >= n.end {
		return ""
	}
	s := strings.Join(strings.Fields(r.src[n.pos:n.end]), " ")
	s = strings.ReplaceAll(s, interceptor.UnknownMark, "…")
	if len(s) > 100 {
		cut := 97
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// assign binds a target to a value.
func (r *interpRun) assign(t *inode, op string, v ival) {
	switch t.kind {
	case inName:
		switch op {
		case "=", ":=":
			r.vars[t.s] = v
		case "+=":
			r.vars[t.s] = iconcat(r.eval(t), v)
		default:
			r.vars[t.s] = iunknown()
		}
	case inDict: // const { rmSync, rm: del } = require("fs")
		for key, alias := range t.kw {
			if alias.kind == inName {
				r.vars[alias.s] = r.member(v, key)
			}
		}
	case inList:
		for i, a := range t.args {
			if a.kind != inName {
				continue
			}
			if v.kind == ivList && !v.each && len(v.list) == len(t.args) {
				r.vars[a.s] = v.list[i]
			} else {
				r.vars[a.s] = iunknown()
			}
		}
	}
}

// member returns v.name: a longer dotted name for a ref, a known
// constant such as process.env.HOME.
func (r *interpRun) member(v ival, name string) ival {
	if v.kind == ivDict {
		if x, ok := v.dict[name]; ok {
			return x
		}
		return iunknown()
	}
	if v.kind != ivRef {
		if v.kind == ivStr && name == "parent" && r.code.lang == ilPython {
			return r.dir(v)
		}
		return iunknown()
	}
	ref := ival{kind: ivRef, s: v.s + "." + name}
	return r.constant(ref)
}

// constant maps the refs that stand for a value to it.
func (r *interpRun) constant(ref ival) ival {
	switch ref.s {
	case "process.env.HOME", "Bun.env.HOME", "process.env.USERPROFILE":
		return ihome("")
	}
	// Ruby and Perl call functions without parentheses: Dir.home, cwd.
	switch ref.s {
	case "Dir.home", "Dir.pwd", "Dir.getwd", "cwd", "getcwd", "Cwd.cwd", "Cwd.getcwd", "File.HomeDir.my_home":
		if r.code.lang == ilRuby || r.code.lang == ilPerl {
			v, _ := r.valueFunc(ref.s, nil, nil)
			return v
		}
	}
	return ref
}

// dir returns the parent directory of a path value.
func (r *interpRun) dir(v ival) ival {
	if !v.known() {
		return iunknown()
	}
	d := path.Dir(v.s)
	if v.home {
		if v.s == "" || v.s == "/" {
			return istr(path.Dir(r.c.World.Home))
		}
		if d == "/" {
			d = ""
		}
	}
	out := v
	out.s = d
	return out
}

// eval returns the value of an expression.
func (r *interpRun) eval(n *inode) ival {
	if n == nil {
		return iunknown()
	}
	switch n.kind {
	case inStr:
		v := istr(n.s)
		if n.lits != nil {
			v = istr(n.lits[0])
			for i, a := range n.args {
				v = iconcat(v, r.eval(a))
				if i+1 < len(n.lits) {
					v = iconcat(v, istr(n.lits[i+1]))
				}
			}
		}
		if n.tok != nil && n.tok.glob {
			v.glob = true
			v = iexpandUser(v)
		}
		return v
	case inNum:
		return ival{kind: ivNum, s: n.s}
	case inName:
		return r.name(n.s)
	case inMember:
		return r.member(r.eval(n.x), n.s)
	case inIndex:
		return r.index(r.eval(n.x), r.eval(n.y))
	case inList:
		out := ival{kind: ivList}
		for _, a := range n.args {
			out.list = append(out.list, r.eval(a))
		}
		if len(n.kw) > 0 && len(n.args) == 0 {
			return r.dictOf(n.kw)
		}
		return out
	case inDict:
		return r.dictOf(n.kw)
	case inBin:
		a, b := r.eval(n.x), r.eval(n.y)
		switch {
		case n.s == "+":
			if a.kind == ivNum && b.kind == ivNum {
				return ival{kind: ivNum}
			}
			return iconcat(a, b)
		case n.s == "/" && r.code.lang == ilPython && (a.pathObj || b.pathObj):
			return ijoin(a, b)
		}
		return iunknown()
	case inCall:
		return r.evalCall(n)
	}
	return iunknown()
}

// dictOf evaluates dict entries.
func (r *interpRun) dictOf(kw map[string]*inode) ival {
	d := ival{kind: ivDict, dict: map[string]ival{}}
	for k, v := range kw {
		d.dict[k] = r.eval(v)
	}
	return d
}

// name returns the value of a name: a bound variable, a name imported
// whole, a literal constant, or a ref to a global.
func (r *interpRun) name(s string) ival {
	if v, ok := r.vars[s]; ok {
		return v
	}
	lang := r.code.lang
	switch s {
	case "True", "False", "None", "true", "false", "null", "undefined", "nil", "NaN":
		return ival{kind: ivNum, s: s}
	case "__file__", "__dirname", "__filename", "__DIR__", "__FILE__", "$0", "$_", "@_", "@ARGV", "ARGV":
		return iunknown()
	}
	if (lang == ilPerl || lang == ilPHP) && strings.HasPrefix(s, "$") && s != "$ENV" && s != "$_server" && s != "$_SERVER" && s != "$_ENV" ||
		lang == ilRuby && strings.HasPrefix(s, "@") {
		return iunknown()
	}
	for _, m := range r.star {
		full := m + "." + s
		if _, ok := r.action(full); ok {
			return ival{kind: ivRef, s: full}
		}
		if _, ok := r.valueFunc(full, nil, nil); ok {
			return ival{kind: ivRef, s: full}
		}
	}
	return r.constant(ival{kind: ivRef, s: s})
}

// index returns x[k]: the home directory from the environment, a list
// element, a dict entry, a Ruby Dir["*.log"] glob.
func (r *interpRun) index(x, k ival) ival {
	switch x.kind {
	case ivRef:
		switch x.s {
		case "os.environ", "process.env", "ENV", "$ENV", "$_SERVER", "$_server", "$_ENV", "Bun.env", "%ENV":
			if k.kind == ivStr && k.s == "HOME" {
				return ihome("")
			}
		case "Dir":
			if k.kind == ivStr {
				g := k
				g.glob = true
				return g
			}
		}
	case ivList:
		if k.kind == ivNum {
			if i, err := strconv.Atoi(k.s); err == nil && i >= 0 && i < len(x.list) && !x.each {
				return x.list[i]
			}
		}
	case ivDict:
		if k.kind == ivStr {
			if v, ok := x.dict[k.s]; ok {
				return v
			}
		}
	}
	return iunknown()
}

// callee returns the dotted name a call resolves to, or the method name
// and the receiver's value for a method called on a value.
func (r *interpRun) callee(n *inode) (name string, recv *ival, ok bool) {
	f := n.x
	if f == nil {
		return "", nil, false
	}
	if f.kind == inMember {
		rv := r.eval(f.x)
		if rv.kind == ivRef {
			return r.canon(rv.s + "." + f.s), nil, true
		}
		return f.s, &rv, true
	}
	v := r.eval(f)
	if v.kind == ivRef {
		return r.canon(v.s), nil, true
	}
	if r.code.lang == ilPHP && v.known() && f.kind == inStr {
		return r.canon(v.s), nil, true // "unlink"("x")
	}
	return "", nil, false
}

// canon normalises a dotted name: PHP's names are case-insensitive,
// Perl's CORE:: and Ruby's Kernel are implicit.
func (r *interpRun) canon(s string) string {
	switch r.code.lang {
	case ilPHP:
		s = strings.ToLower(strings.TrimPrefix(s, "\\"))
	case ilPerl:
		s = strings.TrimPrefix(strings.TrimPrefix(s, "CORE.GLOBAL."), "CORE.")
	case ilRuby:
		s = strings.TrimPrefix(s, "Kernel.")
	case ilJS:
		s = strings.TrimPrefix(s, "globalThis.")
		s = strings.TrimPrefix(s, "window.")
	case ilPython:
		s = strings.TrimPrefix(s, "builtins.")
	}
	return s
}

// evalCall returns the value of a call: the functions that build paths or
// decode strings, and require/import.
func (r *interpRun) evalCall(n *inode) ival {
	name, recv, ok := r.callee(n)
	if !ok {
		return iunknown()
	}
	args := make([]ival, len(n.args))
	for i, a := range n.args {
		args[i] = r.eval(a)
	}
	kw := map[string]ival{}
	for k, v := range n.kw {
		kw[k] = r.eval(v)
	}
	if recv != nil {
		return r.methodValue(name, *recv, args)
	}
	if v, ok := r.valueFunc(name, args, kw); ok {
		return v
	}
	return iunknown()
}

// iarg returns positional argument i or keyword k.
func iarg(args []ival, kw map[string]ival, i int, k string) (ival, bool) {
	if i >= 0 && i < len(args) {
		return args[i], true
	}
	if k != "" {
		if v, ok := kw[k]; ok {
			return v, true
		}
	}
	return iunknown(), false
}

// idecode64 decodes a base64 literal.
func idecode64(v ival) ival {
	if !v.known() {
		return iunknown()
	}
	s := strings.Map(func(r rune) rune {
		if r == '\n' || r == ' ' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, v.s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
			return iunknown()
		}
	}
	return istr(string(b))
}

// ijsModule normalises a module specifier.
func ijsModule(m string) string {
	m = strings.TrimPrefix(m, "node:")
	switch m {
	case "fs/promises":
		return "fs.promises"
	case "fs-extra", "graceful-fs", "fs-extra/esm":
		return "fs"
	case "bun":
		return "Bun"
	case "path/posix":
		return "path"
	}
	return m
}

// valueFunc evaluates the functions whose result is a path, a string or a
// module, by language. ok is false for other functions.
func (r *interpRun) valueFunc(name string, args []ival, kw map[string]ival) (ival, bool) {
	a0, has0 := iarg(args, kw, 0, "")
	env := func(key ival) ival {
		if key.kind == ivStr && key.s == "HOME" {
			return ihome("")
		}
		return iunknown()
	}
	switch r.code.lang {
	case ilPython:
		switch name {
		case "json.dumps":
			if js, ok := ijson(a0); ok {
				return istr(js), true
			}
			return iunknown(), true
		case "os.path.expanduser", "posixpath.expanduser":
			return iexpandUser(a0), true
		case "os.path.join", "posixpath.join":
			return ijoin(args...), true
		case "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "str", "os.path.expandvars":
			if strings.HasPrefix(a0.s, "$HOME") && a0.kind == ivStr && !a0.home {
				return ival{kind: ivStr, s: a0.s[len("$HOME"):], home: true}, true
			}
			return a0, true
		case "pathlib.Path", "Path", "pathlib.PurePath", "PurePath", "pathlib.PosixPath", "PosixPath", "pathlib.PurePosixPath":
			v := istr(".")
			if len(args) > 0 {
				v = ijoin(args...)
			}
			v.pathObj = true
			return v, true
		case "pathlib.Path.home", "Path.home", "pathlib.PosixPath.home", "PosixPath.home":
			v := ihome("")
			v.pathObj = true
			return v, true
		case "pathlib.Path.cwd", "Path.cwd", "os.getcwd":
			v := istr(".")
			v.pathObj = name != "os.getcwd"
			return v, true
		case "os.getenv", "os.environ.get":
			return env(a0), true
		case "glob.glob", "glob.iglob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "__import__", "importlib.import_module":
			if a0.known() {
				return ival{kind: ivRef, s: a0.s}, true
			}
			return iunknown(), true
		case "base64.b64decode", "base64.standard_b64decode", "base64.decodebytes":
			return idecode64(a0), true
		case "os.path.dirname":
			return r.dir(a0), true
		case "tempfile.gettempdir":
			return istr("/tmp"), true
		case "tempfile.mkdtemp", "tempfile.mktemp":
			// A new directory under the temporary directory.
			dir, prefix := istr("/tmp"), istr("tmp")
			if v, ok := iarg(args, kw, 2, "dir"); ok && v.kind == ivStr {
				dir = v
			}
			if v, ok := iarg(args, kw, 1, "prefix"); ok && v.kind == ivStr {
				prefix = v
			}
			g := ijoin(dir, iconcat(prefix, istr("*")))
			g.glob = g.kind == ivStr
			return g, true
		}
	case ilJS:
		switch name {
		case "JSON.stringify":
			if js, ok := ijson(a0); ok {
				return istr(js), true
			}
			return iunknown(), true
		case "require", "import":
			if a0.known() {
				return ival{kind: ivRef, s: ijsModule(a0.s)}, true
			}
			return iunknown(), true
		case "os.homedir":
			return ihome(""), true
		case "os.tmpdir":
			return istr("/tmp"), true
		case "path.join", "path.resolve", "path.posix.join", "path.posix.resolve":
			if len(args) == 0 {
				return istr("."), true
			}
			return ijoin(args...), true
		case "path.normalize", "String", "path.toNamespacedPath":
			return a0, true
		case "fs.mkdtempSync", "Deno.makeTempDirSync":
			if a0.kind == ivStr {
				g := iconcat(a0, istr("*"))
				g.glob = true
				return g, true
			}
			return istr("/tmp/" + interceptor.UnknownMark), true
		case "process.cwd", "Deno.cwd":
			return istr("."), true
		case "Deno.env.get", "process.env.get":
			return env(a0), true
		case "atob":
			return idecode64(a0), true
		case "Buffer.from":
			if a1, ok := iarg(args, kw, 1, ""); ok && a1.kind == ivStr && a1.s == "base64" {
				return idecode64(a0), true
			}
			return a0, true
		}
	case ilRuby:
		switch name {
		case "Dir.home":
			if has0 {
				return iunknown(), true
			}
			return ihome(""), true
		case "File.expand_path", "File.absolute_path":
			if !has0 {
				return iunknown(), true
			}
			if name == "File.absolute_path" {
				return a0, true
			}
			return iexpandUser(a0), true
		case "File.join":
			return ijoin(args...), true
		case "Dir.pwd", "Dir.getwd":
			return istr("."), true
		case "ENV.fetch":
			return env(a0), true
		case "Pathname.new", "Pathname":
			v := a0
			v.pathObj = true
			return v, true
		case "Dir.glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "Dir.each_child", "Dir.children", "Dir.entries", "Dir.foreach":
			if a0.known() {
				g := ijoin(a0, istr("*"))
				g.glob = true
				return g, true
			}
			return iunknown(), true
		case "Find.find":
			if a0.known() {
				g := ijoin(a0, istr("**"))
				g.glob = true
				return g, true
			}
			return iunknown(), true
		case "Base64.decode64":
			return idecode64(a0), true
		}
	case ilPerl:
		switch name {
		case "glob", "File.Glob.bsd_glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
				g = iexpandUser(g)
			}
			return g, true
		case "File.Spec.catfile", "File.Spec.catdir", "catfile", "catdir":
			return ijoin(args...), true
		case "cwd", "getcwd", "Cwd.cwd", "Cwd.getcwd":
			return istr("."), true
		case "decode_base64", "MIME.Base64.decode_base64":
			return idecode64(a0), true
		case "File.HomeDir.my_home":
			return ihome(""), true
		}
	case ilPHP:
		switch name {
		case "getenv":
			return env(a0), true
		case "getcwd":
			return istr("."), true
		case "glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "base64_decode":
			return idecode64(a0), true
		case "realpath", "escapeshellarg", "strval", "trim":
			return a0, true
		case "implode", "join":
			if a1, ok := iarg(args, kw, 1, ""); ok && a1.kind == ivList && a0.kind == ivStr {
				return ijoinStrings(a1, a0.s), true
			}
			return iunknown(), true
		}
	}
	return iunknown(), false
}

// ijoinStrings joins a list's elements with sep.
func ijoinStrings(list ival, sep string) ival {
	if list.kind != ivList || list.each {
		return iunknown()
	}
	var parts []string
	for _, e := range list.list {
		if e.kind != ivStr {
			parts = append(parts, interceptor.UnknownMark)
			continue
		}
		parts = append(parts, e.text())
	}
	return istr(strings.Join(parts, sep))
}

// methodValue evaluates methods called on values: path methods and string
// joins.
func (r *interpRun) methodValue(m string, recv ival, args []ival) ival {
	a0 := iunknown()
	if len(args) > 0 {
		a0 = args[0]
	}
	switch r.code.lang {
	case ilPython:
		switch m {
		case "expanduser":
			return iexpandUser(recv)
		case "resolve", "absolute", "as_posix", "decode", "strip", "rstrip", "__str__", "__fspath__":
			return recv
		case "joinpath":
			return ijoin(append([]ival{recv}, args...)...)
		case "glob", "rglob":
			parts := []ival{recv, a0}
			if m == "rglob" {
				parts = []ival{recv, istr("**"), a0}
			}
			g := ijoin(parts...)
			g.glob = g.kind == ivStr
			return g
		case "iterdir":
			g := ijoin(recv, istr("*"))
			g.glob = g.kind == ivStr
			return g
		case "join":
			if recv.kind == ivStr && !recv.pathObj {
				return ijoinStrings(a0, recv.s)
			}
		case "home":
			return ihome("")
		}
	case ilJS:
		switch m {
		case "toString", "trim", "valueOf":
			return recv
		case "join":
			sep := ","
			if a0.kind == ivStr {
				sep = a0.s
			}
			return ijoinStrings(recv, sep)
		}
	case ilRuby:
		switch m {
		case "to_s", "to_path", "to_str", "realpath", "strip", "chomp":
			return recv
		case "expand_path":
			return iexpandUser(recv)
		case "join":
			if recv.kind == ivList {
				sep := ""
				if a0.kind == ivStr {
					sep = a0.s
				}
				return ijoinStrings(recv, sep)
			}
			return ijoin(append([]ival{recv}, args...)...)
		case "+":
			return ijoin(recv, a0)
		}
	}
	return iunknown()
}

// iact is what a call does to files or commands.
type iact struct {
	op string
	// arg is the index of the target (or command) argument, kw its
	// keyword name.
	arg int
	kw  string
	// all: every argument from arg on is a target.
	all bool
	// dropLast drops the last argument (os.execle's environment).
	dropLast bool
}

// action returns what the function name does, by language.
func (r *interpRun) action(name string) (iact, bool) {
	switch r.code.lang {
	case ilPython:
		switch name {
		case "shutil.rmtree":
			return iact{op: "rmrf", kw: "path"}, true
		case "os.remove", "os.unlink":
			return iact{op: "rmf", kw: "path"}, true
		case "os.rmdir":
			return iact{op: "rmdir", kw: "path"}, true
		case "os.removedirs":
			return iact{op: "rmdirp", kw: "name"}, true
		case "os.rename", "os.replace", "shutil.move", "os.renames":
			return iact{op: "mv", kw: "src"}, true
		case "os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "pty.spawn":
			return iact{op: "shell", kw: "command"}, true
		case "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen", "asyncio.create_subprocess_shell":
			return iact{op: "cmd", kw: "args"}, true
		case "os.execv", "os.execve", "os.execvp", "os.execvpe", "os.posix_spawn", "os.posix_spawnp":
			return iact{op: "argvList", arg: 1, kw: "argv"}, true
		case "os.execl", "os.execlp":
			return iact{op: "argvRest", arg: 1}, true
		case "os.execle", "os.execlpe":
			return iact{op: "argvRest", arg: 1, dropLast: true}, true
		case "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe":
			return iact{op: "argvList", arg: 2}, true
		case "os.spawnl", "os.spawnlp":
			return iact{op: "argvRest", arg: 2}, true
		case "os.spawnle", "os.spawnlpe":
			return iact{op: "argvRest", arg: 2, dropLast: true}, true
		case "asyncio.create_subprocess_exec":
			return iact{op: "argvRest", arg: 0}, true
		case "open", "io.open", "codecs.open":
			return iact{op: "open", kw: "file"}, true
		case "exec", "eval", "compile":
			return iact{op: "eval", kw: "source"}, true
		case "os.chdir":
			return iact{op: "chdir", kw: "path"}, true
		case "map":
			return iact{op: "map"}, true
		case "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete", "requests.head",
			"httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete", "httpx.head":
			return iact{op: "http", kw: "url"}, true
		case "requests.request", "httpx.request":
			return iact{op: "httpMethod", arg: 1, kw: "url"}, true
		}
	case ilJS:
		switch name {
		case "fs.rmSync", "fs.rm", "fs.promises.rm", "Deno.remove", "Deno.removeSync":
			return iact{op: "rmopt"}, true
		case "fs.rmdirSync", "fs.rmdir", "fs.promises.rmdir":
			return iact{op: "rmdiropt"}, true
		case "fs.unlinkSync", "fs.unlink", "fs.promises.unlink":
			return iact{op: "rmf"}, true
		case "fs.remove", "fs.removeSync", "fs.promises.remove", "rimraf", "rimraf.sync", "rimraf.rimraf",
			"rimraf.rimrafSync", "rimraf.native", "rimraf.nativeSync", "rimraf.manual", "rimraf.manualSync",
			"rimraf.default", "rimraf.moveRemove", "rimraf.moveRemoveSync", "del", "del.deleteSync", "del.deleteAsync", "del.sync":
			return iact{op: "rmrf", all: true}, true
		case "fs.emptyDir", "fs.emptyDirSync", "fs.emptydir", "fs.emptydirSync":
			return iact{op: "empty"}, true
		case "fs.renameSync", "fs.rename", "fs.promises.rename", "fs.move", "fs.moveSync":
			return iact{op: "mv"}, true
		case "fs.writeFileSync", "fs.writeFile", "fs.promises.writeFile", "fs.outputFile", "fs.outputFileSync",
			"fs.truncateSync", "fs.truncate", "Deno.writeTextFileSync", "Deno.writeTextFile", "Deno.writeFileSync", "Deno.writeFile", "Bun.write":
			return iact{op: "trunc"}, true
		case "fs.appendFileSync", "fs.appendFile", "fs.promises.appendFile":
			return iact{op: "append"}, true
		case "child_process.exec", "child_process.execSync":
			return iact{op: "shell"}, true
		case "child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync":
			return iact{op: "spawn"}, true
		case "Deno.Command":
			return iact{op: "denoCommand"}, true
		case "Deno.run", "Bun.spawn", "Bun.spawnSync":
			return iact{op: "cmdList"}, true
		case "Bun.$", "zx.$", "execa.$", "execa.execaCommand", "execa.execaCommandSync":
			return iact{op: "shell"}, true
		case "eval", "Function", "vm.runInThisContext", "vm.runInNewContext":
			return iact{op: "eval"}, true
		case "process.chdir", "Deno.chdir":
			return iact{op: "chdir"}, true
		case "fetch", "globalThis.fetch", "window.fetch", "node-fetch", "undici.fetch", "undici.request":
			return iact{op: "fetch"}, true
		case "axios.get", "axios.post", "axios.put", "axios.patch", "axios.delete", "axios.head":
			return iact{op: "http"}, true
		}
	case ilRuby:
		switch name {
		case "FileUtils.rm_rf", "FileUtils.rm_r", "FileUtils.rmtree", "FileUtils.remove_dir",
			"FileUtils.remove_entry", "FileUtils.remove_entry_secure", "FileUtils.rm_rf!",
			"rm_rf", "rm_r", "remove_dir", "remove_entry", "remove_entry_secure", "rmtree":
			return iact{op: "rmrf", all: true}, true
		case "FileUtils.rm", "FileUtils.rm_f", "FileUtils.remove", "FileUtils.safe_unlink", "FileUtils.remove_file",
			"File.delete", "File.unlink":
			return iact{op: "rmf", all: true}, true
		case "FileUtils.rmdir", "Dir.delete", "Dir.rmdir", "Dir.unlink":
			return iact{op: "rmdir", all: true}, true
		case "FileUtils.mv", "FileUtils.move", "File.rename":
			return iact{op: "mv"}, true
		case "File.write", "IO.write", "File.binwrite", "File.truncate":
			return iact{op: "trunc"}, true
		case "File.open":
			return iact{op: "open"}, true
		case "system", "spawn", "Process.spawn", "exec", "Process.exec", "IO.popen",
			"Open3.capture2", "Open3.capture2e", "Open3.capture3", "Open3.popen3", "Open3.popen2", "Open3.popen2e", "PTY.spawn":
			return iact{op: "argsCmd"}, true
		case "eval", "instance_eval", "class_eval", "module_eval", "binding.eval":
			return iact{op: "eval"}, true
		case "Dir.chdir", "FileUtils.cd", "FileUtils.chdir":
			return iact{op: "chdir"}, true
		}
	case ilPerl:
		switch name {
		case "unlink":
			return iact{op: "rmf", all: true}, true
		case "rmdir":
			return iact{op: "rmdir", all: true}, true
		case "rmtree", "remove_tree", "File.Path.rmtree", "File.Path.remove_tree":
			return iact{op: "rmrf", all: true}, true
		case "rename", "move", "File.Copy.move", "mv", "File.Copy.mv":
			return iact{op: "mv"}, true
		case "system", "exec":
			return iact{op: "argsCmd"}, true
		case "eval":
			return iact{op: "eval"}, true
		case "chdir":
			return iact{op: "chdir"}, true
		case "open":
			return iact{op: "perlOpen"}, true
		}
	case ilPHP:
		switch name {
		case "unlink":
			return iact{op: "rmf"}, true
		case "rmdir":
			return iact{op: "rmdir"}, true
		case "rename":
			return iact{op: "mv"}, true
		case "file_put_contents":
			return iact{op: "putContents"}, true
		case "system", "exec", "shell_exec", "passthru", "popen", "proc_open":
			return iact{op: "cmd"}, true
		case "pcntl_exec":
			return iact{op: "spawn"}, true
		case "eval":
			return iact{op: "eval"}, true
		case "chdir":
			return iact{op: "chdir"}, true
		case "array_map", "array_walk", "call_user_func", "call_user_func_array":
			return iact{op: "phpCallback"}, true
		}
	}
	return iact{}, false
}

// methodAction returns what a method called on a value does.
func (r *interpRun) methodAction(m string, recv ival) (iact, bool) {
	switch r.code.lang {
	case ilPython:
		switch m {
		case "unlink":
			return iact{op: "rmf"}, true
		case "rmdir":
			return iact{op: "rmdir"}, true
		case "rmtree":
			return iact{op: "rmrf"}, true
		case "write_text", "write_bytes":
			if recv.known() {
				return iact{op: "trunc"}, true
			}
		}
	case ilRuby:
		switch m {
		case "rmtree":
			return iact{op: "rmrf"}, true
		case "delete", "unlink":
			if recv.pathObj {
				return iact{op: "rmf"}, true
			}
		case "rmdir":
			if recv.pathObj {
				return iact{op: "rmdir"}, true
			}
		}
	case ilJS:
		switch m {
		case "forEach", "map":
			return iact{op: "each"}, true
		}
	}
	return iact{}, false
}

// visit judges one call or command literal once its statement is read.
func (r *interpRun) visit(n *inode) {
	if n.kind == inStr { // `cmd`, qx(), %x()
		r.shell(r.eval(n), "`...`", n)
		return
	}
	name, recv, ok := r.callee(n)
	if !ok {
		return
	}
	args := make([]ival, len(n.args))
	for i, a := range n.args {
		args[i] = r.eval(a)
	}
	kw := map[string]ival{}
	for k, v := range n.kw {
		kw[k] = r.eval(v)
	}
	if r.dbCall(name, args, n) {
		return
	}
	if recv != nil {
		act, ok := r.methodAction(name, *recv)
		if !ok {
			return
		}
		if act.op == "each" {
			if len(args) > 0 && args[0].kind == ivRef {
				r.applyRef(args[0].s, []ival{ielem(*recv)}, n)
			}
			return
		}
		r.apply(name, act, append([]ival{*recv}, args...), kw, n)
		return
	}
	act, ok := r.action(name)
	if !ok {
		return
	}
	r.apply(name, act, args, kw, n)
}

// applyRef applies a function given by name (a callback) to args.
func (r *interpRun) applyRef(name string, args []ival, n *inode) {
	name = r.canon(name)
	if act, ok := r.action(name); ok {
		r.apply(name, act, args, map[string]ival{}, n)
	}
}

// apply carries out an action on evaluated arguments.
func (r *interpRun) apply(name string, act iact, args []ival, kw map[string]ival, n *inode) {
	lang := r.code.lang
	first := func() (ival, bool) { return iarg(args, kw, act.arg, act.kw) }
	switch act.op {
	case "rmrf", "rmf", "rmdir", "rmdirp", "empty", "trunc", "append":
		var targets []ival
		if act.all {
			if act.arg < len(args) {
				targets = iflatten(args[act.arg:])
			}
		} else if v, ok := first(); ok {
			targets = iflatten([]ival{v})
		}
		if len(targets) == 0 {
			if lang == ilPerl && len(args) == 0 && (act.op == "rmf" || act.op == "rmdir") {
				targets = []ival{r.name("$_")} // unlink with no arguments: $_
			} else {
				return
			}
		}
		r.files(act.op, name, targets, n)
	case "rmopt", "rmdiropt":
		v, ok := first()
		if !ok {
			return
		}
		op := "rmf"
		if act.op == "rmdiropt" {
			op = "rmdir"
		}
		if len(args) > 1 && args[1].kind == ivDict {
			if rec, ok := args[1].dict["recursive"]; ok && rec.kind == ivNum && rec.s == "true" {
				op = "rmrf"
			}
		}
		r.files(op, name, iflatten([]ival{v}), n)
	case "mv":
		src, ok1 := first()
		dst, ok2 := iarg(args, kw, act.arg+1, "dst")
		if !ok1 || !ok2 {
			return
		}
		ws, okS := ishellWord(src)
		wd, okD := ishellWord(dst)
		if !okS || !okD {
			if !src.known() {
				r.report("interp.unknown-target", r.lang()+" moves away a path computed at run time: "+r.snippet(n))
			}
			return
		}
		r.check("mv -- "+ws+" "+wd, name)
	case "http", "httpMethod", "fetch":
		r.request(act, name, args, kw, n)
	case "shell":
		v, _ := first()
		r.shell(v, name, n)
	case "cmd":
		v, _ := first()
		if v.kind == ivList && !v.each {
			if sh, ok := kw["shell"]; ok && sh.kind == ivNum && sh.s == "True" && len(v.list) > 0 {
				r.shell(v.list[0], name, n)
				return
			}
			r.argv(v.list, name, n)
			return
		}
		r.shell(v, name, n)
	case "argvList":
		v, _ := first()
		if v.kind == ivList && !v.each {
			r.argv(v.list, name, n)
		} else {
			r.report("interp.unknown-command", r.lang()+" runs a command computed at run time: "+r.snippet(n))
		}
	case "argvRest":
		rest := []ival{}
		if act.arg < len(args) {
			rest = args[act.arg:]
		}
		if act.dropLast && len(rest) > 0 {
			rest = rest[:len(rest)-1]
		}
		r.argv(iflatten(rest), name, n)
	case "argsCmd": // Ruby's and Perl's system: one string is shell code, more are argv
		rest := args
		if len(rest) > 0 && rest[0].kind == ivDict {
			rest = rest[1:] // the environment
		}
		if len(rest) == 1 && rest[0].kind != ivList {
			r.shell(rest[0], name, n)
			return
		}
		if len(rest) == 1 && rest[0].kind == ivList && !rest[0].each {
			r.argv(rest[0].list, name, n) // IO.popen(["rm", "-rf", x])
			return
		}
		if len(rest) > 0 && rest[0].kind == ivList && len(rest[0].list) > 0 {
			rest = append([]ival{rest[0].list[0]}, rest[1:]...) // [cmd, argv0]
		}
		r.argv(iflatten(rest), name, n)
	case "spawn":
		cmd, ok := first()
		if !ok {
			return
		}
		argv := []ival{cmd}
		if len(args) > 1 && args[1].kind == ivList && !args[1].each {
			argv = append(argv, args[1].list...)
		}
		for _, a := range args[1:] {
			if a.kind == ivDict {
				if sh, ok := a.dict["shell"]; ok && (sh.kind == ivStr || sh.kind == ivNum && sh.s == "true") {
					var parts []string
					for _, x := range argv {
						parts = append(parts, x.text())
					}
					r.shell(istr(strings.Join(parts, " ")), name, n)
					return
				}
			}
		}
		r.argv(argv, name, n)
	case "denoCommand":
		cmd, ok := first()
		if !ok {
			return
		}
		argv := []ival{cmd}
		if len(args) > 1 && args[1].kind == ivDict {
			if l, ok := args[1].dict["args"]; ok {
				if l.kind != ivList || l.each {
					argv = append(argv, iunknown())
				} else {
					argv = append(argv, l.list...)
				}
			}
		}
		r.argv(argv, name, n)
	case "cmdList":
		v, _ := first()
		if v.kind == ivDict {
			v = v.dict["cmd"]
		}
		if v.kind == ivList && !v.each {
			r.argv(v.list, name, n)
			return
		}
		r.report("interp.unknown-command", r.lang()+" runs a command computed at run time: "+r.snippet(n))
	case "eval":
		v, ok := iarg(args, kw, 0, act.kw)
		if name == "Function" && len(args) > 0 {
			v, ok = args[len(args)-1], true
		}
		if !ok || !v.known() || r.depth >= interpMaxEval {
			return
		}
		r.depth++
		saved := r.code.how
		r.code.how += " " + name
		r.run(v.s, false)
		r.code.how = saved
		r.depth--
	case "chdir":
		v, ok := first()
		if !ok {
			return
		}
		r.chdir(v)
	case "open": // Python open(f, "w"), Ruby File.open(f, "w")
		target, ok := first()
		if !ok {
			return
		}
		mode, _ := iarg(args, kw, act.arg+1, "mode")
		if mode.kind != ivStr {
			return
		}
		switch {
		case strings.ContainsAny(mode.s, "w"):
			r.files("trunc", name, []ival{target}, n)
		case strings.ContainsAny(mode.s, "a"):
			r.files("append", name, []ival{target}, n)
		}
	case "perlOpen": // open(my $fh, ">", $path), open(my $fh, "-|", "cmd")
		if len(args) < 3 || args[1].kind != ivStr {
			return
		}
		switch strings.TrimSpace(args[1].s) {
		case ">", "+>", ">:utf8", ">:raw":
			r.files("trunc", name, args[2:3], n)
		case ">>":
			r.files("append", name, args[2:3], n)
		case "-|", "|-":
			if len(args) == 3 {
				r.shell(args[2], name, n)
			} else {
				r.argv(iflatten(args[2:]), name, n)
			}
		}
	case "putContents":
		target, ok := first()
		if !ok {
			return
		}
		op := "trunc"
		for _, a := range n.args[min(2, len(n.args)):] {
			if strings.Contains(strings.ToLower(r.snippet(a)), "file_append") {
				op = "append"
			}
		}
		r.files(op, name, []ival{target}, n)
	case "phpCallback":
		if len(args) < 2 {
			return
		}
		fn, data := args[0], args[1]
		if name == "array_walk" {
			fn, data = args[1], args[0]
		}
		cb := fn.s
		if fn.kind != ivStr && fn.kind != ivRef {
			return
		}
		switch name {
		case "array_map", "array_walk":
			r.applyRef(cb, []ival{ielem(data)}, n)
		case "call_user_func":
			r.applyRef(cb, args[1:], n)
		case "call_user_func_array":
			if data.kind == ivList && !data.each {
				r.applyRef(cb, data.list, n)
			}
		}
	case "map": // Python map(os.remove, paths)
		if len(args) >= 2 && args[0].kind == ivRef {
			r.applyRef(args[0].s, []ival{ielem(args[1])}, n)
		}
	}
}

// files expresses a file operation on targets as shell and checks it.
func (r *interpRun) files(op, name string, targets []ival, n *inode) {
	var words []string
	unknown := false
	for _, t := range targets {
		if t.kind == ivList && t.each {
			for _, x := range t.list {
				if w, ok := ishellWord(x); ok {
					words = append(words, w)
				} else {
					unknown = true
				}
			}
			continue
		}
		w, ok := ishellWord(t)
		if !ok {
			unknown = true
			continue
		}
		words = append(words, w)
	}
	if unknown {
		switch op {
		case "rmrf", "rmf", "rmdir", "rmdirp", "empty":
			r.report("interp.unknown-target", r.lang()+" deletes a path computed at run time: "+r.snippet(n))
		}
	}
	if len(words) == 0 {
		return
	}
	var sh string
	switch op {
	case "rmrf":
		sh = "rm -rf -- " + strings.Join(words, " ")
	case "rmf":
		sh = "rm -f -- " + strings.Join(words, " ")
	case "rmdir":
		sh = "rmdir -- " + strings.Join(words, " ")
	case "rmdirp":
		sh = "rmdir -p -- " + strings.Join(words, " ")
	case "empty":
		for i := range words {
			words[i] += "/*"
		}
		sh = "rm -rf -- " + strings.Join(words, " ")
	case "trunc", "append":
		redir := " > "
		if op == "append" {
			redir = " >> "
		}
		var parts []string
		for _, w := range words {
			parts = append(parts, ":"+redir+w)
		}
		sh = strings.Join(parts, "; ")
	}
	r.check(sh, name)
}

// shell checks a command string the program runs through a shell.
func (r *interpRun) shell(v ival, name string, n *inode) {
	if v.kind != ivStr || strings.Trim(v.s, interceptor.UnknownMark+" \t\n;&|") == "" {
		r.report("interp.unknown-command", r.lang()+" runs a shell command computed at run time: "+r.snippet(n))
		return
	}
	home := r.c.Inv.Home
	if home == "" {
		home = interceptor.UnknownMark
	}
	s := strings.ReplaceAll(v.s, ihomeMark, home)
	if v.home {
		s = home + s
	}
	r.check(s, name)
}

// argv checks a command given as a list of arguments, run without a
// shell: each element is one word.
func (r *interpRun) argv(list []ival, name string, n *inode) {
	list = iflatten(list)
	if len(list) == 0 {
		return
	}
	if !list[0].known() {
		r.report("interp.unknown-command", r.lang()+" runs a command computed at run time: "+r.snippet(n))
		return
	}
	words := make([]string, len(list))
	for i, v := range list {
		words[i] = iargWord(v)
	}
	r.check(strings.Join(words, " "), name)
}

// chdir records a directory change for the checks that follow.
func (r *interpRun) chdir(v ival) {
	w, ok := ishellWord(v)
	if !ok {
		w = iquoteShell(interceptor.UnknownMark, false)
	}
	r.prefix += "cd -- " + w + " && "
}

// check analyses shell code the program runs, with every pack.
func (r *interpRun) check(sh, name string) {
	r.c.Shell(r.prefix+sh, r.code.how+" "+name)
}
