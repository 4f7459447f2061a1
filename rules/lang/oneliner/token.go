package oneliner

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/guard-dev/guard/interceptor"
)

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
	lang  Lang
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
func ilexCode(lang Lang, src string, file bool) []itok {
	l := &ilex{lang: lang, src: src, php: !file, ops: iopsFor(lang)}
	l.toks = make([]itok, 0, len(src)/4+2)
	for l.i < len(l.src) {
		if l.lang == PHP && !l.php {
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
	case c == '\\' && i+1 < len(src) && src[i+1] == '\n' && (l.lang == Python || l.lang == Ruby):
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
	case isIDigit(c) || c == '.' && i+1 < len(src) && isIDigit(src[i+1]) && l.lang != Perl && l.lang != PHP:
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
	case c == '$' && l.lang == JS:
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
	if l.depth > 0 || (l.lang != Python && l.lang != Ruby) {
		return
	}
	p := l.prev()
	if p == nil || p.kind == ikNL {
		return
	}
	if l.lang == Ruby {
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
	case Python:
		if rest[0] == '#' {
			l.skipLine()
			return true
		}
	case Ruby:
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
	case Perl:
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
	case JS, PHP:
		switch {
		case strings.HasPrefix(rest, "//") || l.lang == PHP && rest[0] == '#' && !strings.HasPrefix(rest, "#["):
			for l.i < len(src) && src[l.i] != '\n' {
				if l.lang == PHP && strings.HasPrefix(src[l.i:], "?>") {
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
		case l.lang == PHP && strings.HasPrefix(rest, "?>"):
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
	for l.lang == Perl && strings.HasPrefix(l.src[l.i:], "::") && l.identChar(l.i+2) {
		l.i += 2
		for l.i < len(l.src) && l.identChar(l.i) {
			l.i++
		}
	}
	if l.lang == Ruby && l.i < len(l.src) && (l.src[l.i] == '?' || l.src[l.i] == '!') &&
		(l.i+1 >= len(l.src) || l.src[l.i+1] != '=') {
		l.i++
	}
	word := l.src[start:l.i]
	switch l.lang {
	case Python:
		if len(word) <= 2 && l.i < len(l.src) && (l.src[l.i] == '\'' || l.src[l.i] == '"') &&
			strings.Trim(strings.ToLower(word), "rbuf") == "" {
			l.pyString(start, strings.ToLower(word))
			return
		}
	case Perl:
		if l.perlQuoteLike(start, word) {
			return
		}
		word = strings.ReplaceAll(word, "::", ".")
	case Ruby:
		// A symbol-like hash key "key:" stays an identifier followed
		// by ":".
	case PHP:
		word = strings.ToLower(word)
		if word == "__halt_compiler" {
			l.i = len(l.src)
		}
	}
	l.emit(itok{kind: ikIdent, text: word}, start)
}

// ops lists the multi-character operators, longest first.
func iopsFor(lang Lang) []string {
	switch lang {
	case Python:
		return []string{"**=", "//=", ">>=", "<<=", "...", "==", "!=", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "//", "<<", ">>"}
	case JS:
		return []string{">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>"}
	case Ruby:
		return []string{"**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "&.", "::", "..", "=>", "->", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "**", "<<", ">>"}
	case Perl:
		return []string{"<=>", "**=", "||=", "&&=", "//=", "...", "->", "=>", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "//", "..", ".=", "+=", "-=", "*=", "/=", "x=", "**", "<<", ">>", "++", "--", "::"}
	case PHP:
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
	case text == "->" && (l.lang == Perl || l.lang == PHP), text == "?->", text == "&.", text == "::" && l.lang != Python:
		norm = "."
	case text == "?." && l.lang == JS:
		// a?.b is a.b; a?.(x) and a?.[x] are calls and indexes.
		if l.i < len(l.src) && (l.src[l.i] == '(' || l.src[l.i] == '[') {
			return
		}
		norm = "."
	case text == "." && (l.lang == Perl || l.lang == PHP):
		norm = "+"
	case text == ".=" && (l.lang == Perl || l.lang == PHP):
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
	case Python:
		if c == '\'' || c == '"' {
			l.pyString(i, "")
			return true
		}
	case JS:
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
	case Ruby:
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
	case Perl:
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
	case PHP:
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
	case Ruby:
		return strings.HasPrefix(rest, "#{")
	case JS, Perl:
		return strings.HasPrefix(rest, "${")
	case PHP:
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
			case l.lang == PHP && strings.HasPrefix(raw[i:], "${"):
				inner = "$" + inner
			case l.lang == Perl:
				inner = raw[i:end] // ${name}
			}
			out.interp(inner)
			i = end - 1
			continue
		}
		if mode == iqDouble {
			if n := l.varInterp(raw, i); n > 0 {
				expr := raw[i : i+n]
				if l.lang == Ruby {
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
	case Ruby:
		return strings.HasPrefix(rest, "#{")
	case JS, Perl:
		return strings.HasPrefix(rest, "${")
	case PHP:
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
	case Ruby:
		if c != '#' || i+1 >= len(raw) || (raw[i+1] != '@' && raw[i+1] != '$') {
			return 0
		}
		j = i + 2
		if j < len(raw) && raw[j] == '@' {
			j++
		}
	case Perl:
		if (c != '$' && c != '@') || !(isName(i+1) || c == '$' && i+1 < len(raw) && (isIDigit(raw[i+1]) || raw[i+1] == ':')) {
			return 0
		}
		j = i + 1
	case PHP:
		if c != '$' || !isName(i+1) {
			return 0
		}
		j = i + 1
	default:
		return 0
	}
	for j < len(raw) && (isName(j) || isIDigit(raw[j]) || raw[j] == ':' && l.lang == Perl) {
		j++
	}
	// Subscripts and member access.
	for j < len(raw) {
		switch {
		case raw[j] == '[' || raw[j] == '{' && l.lang == Perl:
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
func iescape(b *strings.Builder, raw string, i int, lang Lang) int {
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
		if lang == Python && strings.IndexByte("\\'\"", e) < 0 {
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
			l.i += iescape(&e, src, l.i+1, Python) + 1
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
		if c == '\n' && l.lang == JS {
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
	if i < len(src) && (src[i] == '~' || src[i] == '-') && l.lang != PHP {
		indent = true
		i++
	}
	if l.lang == PHP {
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
			if trimmed == d.id || l.lang == PHP && strings.HasPrefix(trimmed, d.id) && !l.identChar(l.i+len(line)-len(trimmed)+len(d.id)) {
				if l.lang == PHP {
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
