// Package sqlscan splits SQL source, as each family of SQL clients reads
// it, into tokens and statements; it knows nothing of rules. It is a lexer,
// not a parser: it knows enough of each dialect's quoting, comments and
// client commands to find where statements start and end and
// which words are keywords, so that "DROP" inside a string, a comment, a
// dollar-quoted function body or an identifier is never taken for a
// statement. interceptor.UnknownMark in the source marks what cannot be
// known statically.
package sqlscan

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// MetaStyle is how a client spells its own commands, which are not SQL.
type MetaStyle int

const (
	// MetaNone: the client has no commands of its own.
	MetaNone MetaStyle = iota
	// MetaBackslash: psql, pgcli, usql, cockroach sql: "\d", "\i
	// file", "\! cmd" anywhere outside quotes, up to the end of the line.
	MetaBackslash
	// MetaMySQL: mysql, mariadb, mycli: "\G", "\. file", "\! cmd" and,
	// at the start of a statement, "source file", "system cmd",
	// "delimiter //".
	MetaMySQL
	// MetaDot: sqlite3, duckdb: ".tables", ".read file" at the start
	// of a line.
	MetaDot
	// MetaSqlcmd: sqlcmd: ":r file", "!! cmd" at the start of a line
	// and "GO" alone on a line, which ends a batch.
	MetaSqlcmd
)

// Dialect says how one family of SQL clients lexes its input.
type Dialect struct {
	// Name is the dialect's Name, for tests and messages.
	Name string
	// nestedComments: "/* /* */ */" nests (PostgreSQL, T-SQL).
	nestedComments bool
	// hashComments: "#" starts a comment to the end of the line (MySQL,
	// ClickHouse).
	hashComments bool
	// dashNeedsSpace: "--" starts a comment only when followed by
	// whitespace or the end of the input (MySQL).
	dashNeedsSpace bool
	// backslashStrings: a backslash escapes the next character in every
	// string (MySQL, ClickHouse); otherwise only in E'...' strings.
	backslashStrings bool
	// dollarQuotes: $tag$...$tag$ strings (PostgreSQL, DuckDB).
	dollarQuotes bool
	// backticks: `identifier` (MySQL, SQLite, ClickHouse).
	backticks bool
	// brackets: [identifier] (T-SQL, SQLite).
	brackets bool
	// execComments: /*! ... */ is code, not a comment (MySQL).
	execComments bool
	// parenSemis: a ";" inside parentheses does not end the statement
	// (psql keeps reading); MySQL's client splits there regardless.
	parenSemis bool
	// blocks: in CREATE statements, ";" inside BEGIN ... END does not end
	// the statement (triggers, BEGIN ATOMIC bodies).
	blocks bool
	// CopyData: the lines after "COPY ... FROM STDIN;" up to "\." are
	// data, not SQL (psql).
	CopyData bool
	// Transactional: DDL inside BEGIN ... ROLLBACK is rolled back too.
	Transactional bool
	// keywordSplit: statements need no ";" between them (T-SQL), so a
	// statement keyword at the top level starts a new one.
	keywordSplit bool
	// Meta is how the client spells its own commands.
	Meta MetaStyle
}

// Postgres is PostgreSQL as psql reads it.
func Postgres() Dialect {
	return Dialect{Name: "postgres", nestedComments: true, dollarQuotes: true, parenSemis: true,
		blocks: true, CopyData: true, Transactional: true, Meta: MetaBackslash}
}

// MySQL is MySQL and MariaDB as the mysql client reads them.
func MySQL() Dialect {
	return Dialect{Name: "mysql", hashComments: true, dashNeedsSpace: true, backslashStrings: true,
		backticks: true, execComments: true, Meta: MetaMySQL}
}

// SQLite is SQLite as the sqlite3 shell reads it.
func SQLite() Dialect {
	return Dialect{Name: "sqlite", backticks: true, brackets: true, parenSemis: true, blocks: true,
		Transactional: true, Meta: MetaDot}
}

// DuckDB is DuckDB as its shell reads it.
func DuckDB() Dialect {
	return Dialect{Name: "duckdb", nestedComments: true, dollarQuotes: true, parenSemis: true,
		blocks: true, Transactional: true, Meta: MetaDot}
}

// TSQL is Transact-SQL as sqlcmd reads it.
func TSQL() Dialect {
	return Dialect{Name: "tsql", nestedComments: true, brackets: true, parenSemis: true,
		keywordSplit: true, Meta: MetaSqlcmd}
}

// ClickHouse is ClickHouse SQL as clickhouse-client reads it.
func ClickHouse() Dialect {
	return Dialect{Name: "clickhouse", hashComments: true, backslashStrings: true, backticks: true,
		parenSemis: true}
}

// Generic is a plain SQL-like language with no client commands
// (CQL, InfluxQL).
func Generic() Dialect {
	return Dialect{Name: "generic", parenSemis: true}
}

// Kind is the kind of one SQL token.
type Kind int

const (
	// Word is a keyword or bare identifier; val holds it upper-cased.
	Word Kind = iota
	// Ident is a quoted identifier; val holds its name.
	Ident
	// String is a string literal; val holds its content.
	String
	// Number is a numeric literal.
	Number
	// Param is a parameter or variable: $1, ?, :name, @var.
	Param
	// Op is an operator or punctuation.
	Op
	// End ends a statement: ";", a custom delimiter, "\g", GO.
	End
	// Meta is a client command: text is its name ("\i", ".read",
	// "source", ":r", "!!"), val its argument text.
	Meta
	// Unknown is a part of the code that cannot be known statically.
	Unknown
)

// Token is one token of SQL source.
type Token struct {
	Kind Kind
	// Text is the token as written.
	Text string
	// Val is the upper-cased word, the content of a string or quoted
	// identifier, or the argument of a client command.
	Val string
	// Unknown reports that a string, identifier or command argument holds
	// a part that cannot be known statically.
	Unknown bool
	// Space reports that blanks or a comment precede the token.
	Space bool
}

// Is reports whether t Is the keyword kw (upper case).
func (t Token) Is(kw string) bool { return t.Kind == Word && t.Val == kw }

// IsOp reports whether t is the operator op.
func (t Token) IsOp(op string) bool { return t.Kind == Op && t.Text == op }

// sqlMaxInterpolation bounds nested psql variable interpolation.
const sqlMaxInterpolation = 4

// sqlScanner lexes one source text.
type sqlScanner struct {
	src  string
	d    Dialect
	pos  int
	toks []Token
	// delim is MySQL's statement delimiter (DELIMITER //); "" means ";".
	delim string
	// empty reports that no token has been read since the last end of
	// statement, where client commands may start.
	empty bool
	// bol reports that only blanks precede pos on its line.
	bol bool
	// inExec reports being inside a MySQL /*! ... */ comment.
	inExec bool
	// vars are psql variables (-v, \set) that ":name" interpolates.
	vars map[string]string
	// depth is the interpolation depth.
	depth int
	// copyWords tracks "COPY ... FROM STDIN" in the current statement:
	// 0 none, 1 statement starts with COPY, 2 saw FROM, 3 saw FROM STDIN.
	copyWords int
	// gap reports that blanks or a comment precede the next token; end
	// is where the last token ended.
	gap bool
	end int
}

// Scan splits src into tokens in dialect d. vars holds psql variables
// for ":name" interpolation and is updated by "\set"; it may be nil.
func Scan(src string, d Dialect, vars map[string]string) []Token {
	s := &sqlScanner{src: src, d: d, empty: true, bol: true, vars: vars}
	s.run()
	return s.toks
}

func (s *sqlScanner) emit(t Token) {
	t.Space = s.gap
	s.gap = false
	s.toks = append(s.toks, t)
	s.bol = false
	switch t.Kind {
	case End, Meta:
		s.empty = true
		s.copyWords = 0
	default:
		if s.empty && t.Is("COPY") {
			s.copyWords = 1
		} else if s.copyWords == 1 && t.Is("FROM") {
			s.copyWords = 2
		} else if s.copyWords == 2 {
			if t.Is("STDIN") {
				s.copyWords = 3
			} else {
				s.copyWords = 1
			}
		}
		s.empty = false
	}
}

// sqlIsIdentStart reports whether c can start a bare identifier. Bytes
// from 0x80 up are taken as letters of UTF-8 identifiers.
func sqlIsIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

// sqlIsIdentChar reports whether c can continue a bare identifier.
func sqlIsIdentChar(c byte) bool {
	return sqlIsIdentStart(c) || (c >= '0' && c <= '9') || c == '$'
}

// unknownAt reports whether the unknown mark starts at i.
func (s *sqlScanner) unknownAt(i int) bool {
	return strings.HasPrefix(s.src[i:], interceptor.UnknownMark)
}

func (s *sqlScanner) run() {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.pos++
			s.bol = true
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			s.pos++
			continue
		}
		s.gap = s.pos > s.end
		if s.unknownAt(s.pos) {
			s.emit(Token{Kind: Unknown, Text: interceptor.UnknownMark})
			s.pos += len(interceptor.UnknownMark)
			continue
		}
		if s.delim != "" && strings.HasPrefix(s.src[s.pos:], s.delim) {
			s.emit(Token{Kind: End, Text: s.delim})
			s.pos += len(s.delim)
			continue
		}
		if s.inExec && strings.HasPrefix(s.src[s.pos:], "*/") {
			s.inExec = false
			s.pos += 2
			continue
		}
		if s.meta() {
			continue
		}
		if s.comment() {
			continue
		}
		s.token()
		s.end = s.pos
	}
}

// comment skips a comment at pos and reports whether there was one. A
// comment holding an unknown part yields an unknown token: the part could
// end the comment.
func (s *sqlScanner) comment() bool {
	rest := s.src[s.pos:]
	line := false
	switch {
	case strings.HasPrefix(rest, "--"):
		if s.d.dashNeedsSpace && len(rest) > 2 && rest[2] != ' ' && rest[2] != '\t' && rest[2] != '\n' && rest[2] != '\r' {
			return false
		}
		line = true
	case rest[0] == '#' && s.d.hashComments:
		line = true
	case strings.HasPrefix(rest, "/*"):
		if s.d.execComments && len(rest) > 2 && (rest[2] == '!' || rest[2] == '+') {
			if rest[2] == '+' { // optimizer hint: a comment
				break
			}
			// Executable comment: its content is code, after an
			// optional version number.
			s.pos += 3
			for s.pos < len(s.src) && s.src[s.pos] >= '0' && s.src[s.pos] <= '9' {
				s.pos++
			}
			s.inExec = true
			return true
		}
	default:
		return false
	}
	if line {
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		if strings.Contains(rest[:end], interceptor.UnknownMark) {
			s.emit(Token{Kind: Unknown, Text: rest[:end]})
		}
		s.pos += end
		return true
	}
	depth := 0
	i := s.pos
	unknown := false
	for i < len(s.src) {
		switch {
		case strings.HasPrefix(s.src[i:], "/*") && (depth == 0 || s.d.nestedComments):
			depth++
			i += 2
		case strings.HasPrefix(s.src[i:], "*/"):
			depth--
			i += 2
		case s.unknownAt(i):
			unknown = true
			i += len(interceptor.UnknownMark)
		default:
			i++
		}
		if depth == 0 {
			break
		}
	}
	if unknown {
		s.emit(Token{Kind: Unknown, Text: s.src[s.pos:i]})
	}
	s.pos = i
	s.bol = false
	return true
}

// restOfLine returns the text from i to the end of its line and the
// position after it.
func (s *sqlScanner) restOfLine(i int) (string, int) {
	end := strings.IndexByte(s.src[i:], '\n')
	if end < 0 {
		return s.src[i:], len(s.src)
	}
	return s.src[i : i+end], i + end
}

// emitMeta emits a client command named name with argument arg, ending at
// next.
func (s *sqlScanner) emitMeta(name, arg string, next int) {
	arg = strings.TrimSpace(arg)
	s.emit(Token{Kind: Meta, Text: name, Val: arg, Unknown: strings.Contains(arg, interceptor.UnknownMark)})
	s.pos = next
}

// meta reads a client command at pos and reports whether there was one.
func (s *sqlScanner) meta() bool {
	rest := s.src[s.pos:]
	c := rest[0]
	switch s.d.Meta {
	case MetaBackslash:
		if c != '\\' || len(rest) < 2 {
			return false
		}
		// The command name: letters, or one other character ("\!",
		// "\;", "\|", "\.").
		n := 1
		for n < len(rest) && ((rest[n] >= 'a' && rest[n] <= 'z') || (rest[n] >= 'A' && rest[n] <= 'Z') || (n > 1 && (rest[n] == '+' || rest[n] == '_'))) {
			n++
		}
		if n == 1 {
			n = 2
		}
		name := rest[:n]
		if name == `\;` {
			// "\;" sends the statements together; it ends this one.
			s.emit(Token{Kind: End, Text: name})
			s.pos += n
			return true
		}
		arg, next := s.restOfLine(s.pos + n)
		// "\\" separates two commands on one line.
		if k := strings.Index(arg, `\\`); k >= 0 {
			next = s.pos + n + k + 2
			arg = arg[:k]
		}
		s.emitMeta(name, arg, next)
		if name == `\set` {
			s.set(arg)
		}
		return true
	case MetaMySQL:
		if c == '\\' && len(rest) >= 2 {
			name := rest[:2]
			switch rest[1] {
			case 'g', 'G':
				s.emit(Token{Kind: End, Text: name})
				s.pos += 2
				return true
			case 'c', 'p', 'q', 's', 't', 'n', 'w', 'W', 'e', '#':
				s.emitMeta(name, "", s.pos+2)
				return true
			}
			arg, next := s.restOfLine(s.pos + 2)
			s.emitMeta(name, arg, next)
			if name == `\d` {
				s.setDelimiter(arg)
			}
			return true
		}
		if !s.empty || !sqlIsIdentStart(c) {
			return false
		}
		n := 0
		for n < len(rest) && sqlIsIdentChar(rest[n]) {
			n++
		}
		word := strings.ToLower(rest[:n])
		switch word {
		case "source", "system", "delimiter":
		default:
			return false
		}
		arg, next := s.restOfLine(s.pos + n)
		s.emitMeta(word, arg, next)
		if word == "delimiter" {
			s.setDelimiter(arg)
		}
		return true
	case MetaDot:
		if c != '.' || !s.bol || !s.empty || len(rest) < 2 || !sqlIsIdentStart(rest[1]) {
			return false
		}
		n := 1
		for n < len(rest) && sqlIsIdentChar(rest[n]) {
			n++
		}
		arg, next := s.restOfLine(s.pos + n)
		s.emitMeta(rest[:n], arg, next)
		return true
	case MetaSqlcmd:
		if !s.bol {
			return false
		}
		if strings.HasPrefix(rest, "!!") {
			arg, next := s.restOfLine(s.pos + 2)
			s.emitMeta("!!", arg, next)
			return true
		}
		if c == ':' && len(rest) > 1 && sqlIsIdentStart(rest[1]) {
			n := 1
			for n < len(rest) && sqlIsIdentChar(rest[n]) {
				n++
			}
			arg, next := s.restOfLine(s.pos + n)
			s.emitMeta(strings.ToLower(rest[:n]), arg, next)
			return true
		}
		if len(rest) >= 2 && strings.EqualFold(rest[:2], "go") && (len(rest) == 2 || !sqlIsIdentChar(rest[2])) {
			arg, next := s.restOfLine(s.pos + 2)
			if strings.Trim(arg, " \t\r0123456789") == "" {
				s.emit(Token{Kind: End, Text: "GO"})
				s.pos = next
				return true
			}
		}
	}
	return false
}

// setDelimiter applies MySQL's "delimiter X".
func (s *sqlScanner) setDelimiter(arg string) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return
	}
	d := strings.Trim(f[0], "'\"`")
	if d == ";" || d == "" {
		s.delim = ""
		return
	}
	s.delim = d
}

// set applies psql's "\set name value".
func (s *sqlScanner) set(arg string) {
	if s.vars == nil {
		return
	}
	words := MetaArgs(arg)
	if len(words) == 0 {
		return
	}
	s.vars[words[0]] = strings.Join(words[1:], "")
}

// token reads one SQL token at pos.
func (s *sqlScanner) token() {
	rest := s.src[s.pos:]
	c := rest[0]
	switch {
	case c == '\'':
		s.quoted(0, '\'', String, s.d.backslashStrings)
		return
	case (c == 'E' || c == 'e') && len(rest) > 1 && rest[1] == '\'' && s.d.dollarQuotes:
		s.quoted(1, '\'', String, true)
		return
	case c == '"':
		kind := Ident
		if s.d.Meta == MetaMySQL {
			kind = String
		}
		s.quoted(0, '"', kind, s.d.backslashStrings)
		return
	case c == '`' && s.d.backticks:
		s.quoted(0, '`', Ident, false)
		return
	case c == '[' && s.d.brackets:
		s.quoted(0, ']', Ident, false)
		return
	case c == '$' && s.d.dollarQuotes && s.dollar():
		return
	case c == ';' && s.delim == "":
		copyData := s.copyWords == 3 && s.d.CopyData
		s.emit(Token{Kind: End, Text: ";"})
		s.pos++
		if copyData {
			s.skipCopyData()
		}
		return
	case c == ':' && s.d.Meta == MetaBackslash && len(rest) > 1 && (sqlIsIdentStart(rest[1]) || rest[1] == '\'' || rest[1] == '"') && (s.pos == 0 || s.src[s.pos-1] != ':'):
		s.variable()
		return
	case sqlIsIdentStart(c):
		n := 0
		for n < len(rest) && sqlIsIdentChar(rest[n]) && !s.unknownAt(s.pos+n) {
			if !s.d.dollarQuotes && rest[n] == '$' {
				break
			}
			n++
		}
		if n == 0 { // the unknown mark itself
			n = len(interceptor.UnknownMark)
		}
		s.emit(Token{Kind: Word, Text: rest[:n], Val: strings.ToUpper(rest[:n])})
		s.pos += n
		return
	case c >= '0' && c <= '9' || (c == '.' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9'):
		n := 0
		for n < len(rest) && (sqlIsIdentChar(rest[n]) || rest[n] == '.') && !s.unknownAt(s.pos+n) {
			n++
		}
		s.emit(Token{Kind: Number, Text: rest[:n], Val: rest[:n]})
		s.pos += n
		return
	case c == '?' || c == '@' || c == '$' || c == ':':
		n := 1
		for n < len(rest) && (sqlIsIdentChar(rest[n]) || rest[n] == '@') && !s.unknownAt(s.pos+n) {
			n++
		}
		if n > 1 || c == '?' {
			s.emit(Token{Kind: Param, Text: rest[:n], Val: rest[:n]})
			s.pos += n
			return
		}
	}
	for _, op := range [...]string{"<>", "!=", ">=", "<=", "==", "::", "||", ":=", "=>"} {
		if strings.HasPrefix(rest, op) {
			s.emit(Token{Kind: Op, Text: op})
			s.pos += len(op)
			return
		}
	}
	s.emit(Token{Kind: Op, Text: rest[:1]})
	s.pos++
}

// quoted reads a literal or identifier quoted with open...closeQ, after a
// prefix of n bytes (E'...'). A doubled closing quote stands for itself;
// with backslash, "\x" stands for x.
func (s *sqlScanner) quoted(n int, closeQ byte, kind Kind, backslash bool) {
	start := s.pos
	i := s.pos + n + 1
	var b strings.Builder
	unknown := false
	for i < len(s.src) {
		c := s.src[i]
		if backslash && c == '\\' && i+1 < len(s.src) {
			b.WriteByte(s.src[i+1])
			i += 2
			continue
		}
		if c == closeQ {
			if i+1 < len(s.src) && s.src[i+1] == closeQ {
				b.WriteByte(c)
				i += 2
				continue
			}
			i++
			break
		}
		if s.unknownAt(i) {
			unknown = true
		}
		b.WriteByte(c)
		i++
	}
	s.emit(Token{Kind: kind, Text: s.src[start:i], Val: b.String(), Unknown: unknown})
	s.pos = i
}

// dollar reads a $tag$...$tag$ string at pos and reports whether there
// was one.
func (s *sqlScanner) dollar() bool {
	if s.pos > 0 && sqlIsIdentChar(s.src[s.pos-1]) {
		return false
	}
	rest := s.src[s.pos:]
	n := 1
	for n < len(rest) && rest[n] != '$' {
		if !sqlIsIdentChar(rest[n]) || (n == 1 && rest[n] >= '0' && rest[n] <= '9') || s.unknownAt(s.pos+n) {
			return false
		}
		n++
	}
	if n >= len(rest) {
		return false
	}
	tag := rest[:n+1]
	body := rest[n+1:]
	end := strings.Index(body, tag)
	var content, text string
	if end < 0 {
		content, text = body, rest
	} else {
		content, text = body[:end], rest[:n+1+end+len(tag)]
	}
	s.emit(Token{Kind: String, Text: text, Val: content, Unknown: strings.Contains(content, interceptor.UnknownMark)})
	s.pos += len(text)
	return true
}

// variable reads a psql variable reference: ":name", ":'name'" or
// ":\"name\"". A variable that is set is interpolated as psql would; one
// that is not stays as written.
func (s *sqlScanner) variable() {
	rest := s.src[s.pos:]
	quote := byte(0)
	i := 1
	if rest[1] == '\'' || rest[1] == '"' {
		quote = rest[1]
		i = 2
	}
	n := i
	for n < len(rest) && sqlIsIdentChar(rest[n]) && !s.unknownAt(s.pos+n) {
		n++
	}
	name := rest[i:n]
	if quote != 0 {
		if n >= len(rest) || rest[n] != quote || name == "" {
			s.emit(Token{Kind: Op, Text: ":"})
			s.pos++
			return
		}
		n++
	}
	text := rest[:n]
	val, ok := s.vars[name]
	s.pos += n
	switch {
	case !ok:
		s.emit(Token{Kind: Param, Text: text, Val: text})
	case quote == '\'':
		s.emit(Token{Kind: String, Text: text, Val: val, Unknown: strings.Contains(val, interceptor.UnknownMark)})
	case quote == '"':
		s.emit(Token{Kind: Ident, Text: text, Val: val, Unknown: strings.Contains(val, interceptor.UnknownMark)})
	case s.depth >= sqlMaxInterpolation:
		s.emit(Token{Kind: Unknown, Text: text})
	default:
		sub := &sqlScanner{src: val, d: s.d, empty: s.empty, vars: s.vars, depth: s.depth + 1}
		sub.d.Meta = MetaNone
		sub.run()
		for i, t := range sub.toks {
			if i > 0 {
				s.gap = t.Space
			}
			s.emit(t)
		}
	}
}

// skipCopyData skips the rest of the line and the data lines that follow
// a COPY ... FROM STDIN statement, up to the line "\.".
func (s *sqlScanner) skipCopyData() {
	_, next := s.restOfLine(s.pos)
	for next < len(s.src) {
		line, after := s.restOfLine(next + 1)
		next = after
		if strings.TrimRight(line, "\r") == `\.` {
			break
		}
	}
	s.pos = next
}

// MetaArgs splits the argument of a client command into words, removing
// single and double quotes.
func MetaArgs(arg string) []string {
	var out []string
	var b strings.Builder
	in := false
	quote := byte(0)
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case quote != 0:
			if c == quote {
				if i+1 < len(arg) && arg[i+1] == quote {
					b.WriteByte(c)
					i++
					continue
				}
				quote = 0
				continue
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			in = true
		case c == ' ' || c == '\t' || c == '\r':
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, b.String())
	}
	return out
}

// Stmt is one statement or one client command of a script.
type Stmt struct {
	// Toks are the statement's tokens, without its terminator.
	Toks []Token
	// Meta is the client command, when the piece is one.
	Meta *Token
}

// Split groups tokens into statements and client commands.
func Split(toks []Token, d Dialect) []Stmt {
	var out []Stmt
	var cur []Token
	paren, block := 0, 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Stmt{Toks: cur})
		}
		cur, paren, block = nil, 0, 0
	}
	for i := range toks {
		t := toks[i]
		switch t.Kind {
		case Meta:
			flush()
			out = append(out, Stmt{Meta: &toks[i]})
			continue
		case End:
			if t.Text == ";" && ((paren > 0 && d.parenSemis) || block > 0) {
				cur = append(cur, Token{Kind: Op, Text: ";"})
				continue
			}
			flush()
			continue
		case Op:
			switch t.Text {
			case "(":
				paren++
			case ")":
				if paren > 0 {
					paren--
				}
			}
		case Word:
			if d.blocks && len(cur) > 0 && cur[0].Is("CREATE") {
				switch t.Val {
				case "BEGIN", "CASE":
					block++
				case "END":
					if block > 0 {
						block--
					}
				}
			}
		}
		cur = append(cur, t)
	}
	flush()
	if d.keywordSplit {
		var split []Stmt
		for _, st := range out {
			if st.Meta != nil {
				split = append(split, st)
				continue
			}
			for _, part := range sqlSplitKeywords(st.Toks) {
				split = append(split, Stmt{Toks: part})
			}
		}
		out = split
	}
	return out
}

// sqlSplitKeywords splits a T-SQL batch, where ";" is optional, at the
// keywords that start a statement at the top level, unless the keyword is
// part of the statement before it ("ON DELETE", "FOR UPDATE", "INSERT ...
// SELECT", "ALTER TABLE ... DROP").
func sqlSplitKeywords(toks []Token) [][]Token {
	var out [][]Token
	start, depth := 0, 0
	for i, t := range toks {
		if t.IsOp("(") {
			depth++
		} else if t.IsOp(")") && depth > 0 {
			depth--
		}
		if depth > 0 || i == start || t.Kind != Word {
			continue
		}
		switch t.Val {
		case "DROP", "TRUNCATE", "DELETE", "UPDATE", "ALTER", "CREATE", "INSERT", "EXEC", "EXECUTE", "MERGE", "DECLARE", "USE", "PRINT", "GRANT", "REVOKE":
		case "SELECT":
			if sqlContinues(toks[start:i]) {
				continue
			}
		default:
			continue
		}
		prev := toks[i-1]
		if prev.Kind == Word {
			switch prev.Val {
			case "ON", "FOR", "AFTER", "BEFORE", "OF", "INSTEAD", "GRANT", "REVOKE", "DENY", "THEN", "AS", "NOT", "CASCADE", "TO", "IF", "BEGIN", "ELSE", "EXISTS", "ALL", "UNION", "EXCEPT", "INTERSECT":
				continue
			}
		}
		if prev.IsOp(",") {
			continue
		}
		if (t.Is("DROP") || t.Is("ALTER")) && toks[start].Is("ALTER") {
			continue
		}
		out = append(out, toks[start:i])
		start = i
	}
	return append(out, toks[start:])
}

// sqlContinues reports whether a SELECT after toks belongs to them
// (INSERT ... SELECT, CREATE VIEW ... AS SELECT, a CTE).
func sqlContinues(toks []Token) bool {
	for _, t := range toks {
		if t.Kind == Word {
			switch t.Val {
			case "INSERT", "WITH", "CREATE", "ALTER", "DECLARE", "EXPLAIN":
				return true
			}
			return false
		}
	}
	return false
}

// Text renders tokens for a message: words joined by single spaces,
// comments gone, cut to a readable length.
func Text(toks []Token) string {
	var b strings.Builder
	for i, t := range toks {
		text := t.Text
		if t.Kind == Unknown {
			text = "…"
		}
		text = strings.Join(strings.Fields(text), " ")
		if i > 0 && t.Space {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		if b.Len() > 120 {
			break
		}
	}
	s := strings.ReplaceAll(b.String(), interceptor.UnknownMark, "…")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}
