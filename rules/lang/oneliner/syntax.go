package oneliner

import "strings"

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
	r     *evaluator
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
	if p.r.code.Lang == Perl && (p.isWord("for") || p.isWord("foreach")) {
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
	if !p.isOp(",") || p.r.code.Lang == JS || p.r.code.Lang == PHP {
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
	switch p.r.code.Lang {
	case Python:
		return p.pyKeyword(t.text)
	case JS:
		return p.jsKeyword(t.text)
	case Ruby:
		return p.rbKeyword(t.text)
	case Perl:
		return p.plKeyword(t.text)
	case PHP:
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
		lang := p.r.code.Lang
		switch {
		case t.kind == ikOp && ibinary(t.text):
			p.next()
			right := p.unary()
			left = &inode{kind: inBin, s: t.text, x: left, y: right, pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikOp && t.text == "?" && lang != Python:
			p.next()
			p.expr()
			if p.isOp(":") {
				p.next()
				p.expr()
			}
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == Python && (t.text == "and" || t.text == "or" || t.text == "in" || t.text == "is" || t.text == "not" && p.at(1).text == "in"):
			p.next()
			if p.isWord("in") || p.isWord("not") {
				p.next()
			}
			p.unary()
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == Python && t.text == "if" && !p.noTernary:
			p.next()
			p.expr()
			if p.isWord("else") {
				p.next()
				p.expr()
			}
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == JS && (t.text == "instanceof" || t.text == "in"):
			p.next()
			p.unary()
			left = &inode{pos: left.pos, end: p.lastEnd()}
			continue
		case t.kind == ikIdent && lang == Perl && (t.text == "x" || t.text == "eq" || t.text == "ne" || t.text == "lt" || t.text == "gt" || t.text == "le" || t.text == "ge" || t.text == "cmp"):
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
	lang := p.r.code.Lang
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
		case t.text == "new" && lang == JS || t.text == "new" && lang == PHP:
			p.next()
			return p.unary()
		case t.text == "not" || t.text == "await" || t.text == "typeof" && lang == JS ||
			t.text == "void" && lang == JS || t.text == "delete" && lang == JS || t.text == "yield":
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
	lang := p.r.code.Lang
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
		for (lang == Python || lang == Ruby) && p.peek().kind == ikStr && !p.peek().cmd && !p.peek().words && !t.glob {
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
		case lang == Python && t.text == "lambda":
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
		case (lang == JS || lang == PHP) && (t.text == "function" || t.text == "fn" && lang == PHP):
			return p.function()
		case lang == JS && t.text == "async" && p.at(1).kind == ikIdent:
			p.next()
			return p.primary()
		}
		p.next()
		n := &inode{kind: inName, s: t.text, pos: t.pos, end: t.end}
		if lang == JS && p.isOp("=>") {
			return p.arrow([]string{t.text}, t.pos)
		}
		return n
	case ikOp:
		switch t.text {
		case "(":
			p.next()
			args, kw := p.seq(")", nil)
			if lang == JS && p.isOp("=>") {
				var params []string
				for _, a := range args {
					if a.kind == inName {
						params = append(params, a.s)
					}
				}
				return p.arrow(params, t.pos)
			}
			if len(args) == 1 && len(kw) == 0 && lang != Perl {
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
			if lang == Ruby { // a lambda literal
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
		toks := ilexCode(p.r.code.Lang, e, false)
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
	lang := p.r.code.Lang
	if lang == Python {
		return true
	}
	if lang == PHP {
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
		if u.kind == ikOp && (u.text == ":" || u.text == "=>" || u.text == "}" || u.text == "," && lang == JS) {
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
	lang := p.r.code.Lang
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
		case lang == Python && t.kind == ikIdent && u.kind == ikOp && u.text == "=":
			p.next()
			p.next()
			addKW(t.text, p.expr())
		case (lang == Ruby || lang == PHP || lang == JS && closer == "}") && (t.kind == ikIdent || t.kind == ikStr && lang != PHP) &&
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
			case p.isOp("=>") || p.isOp(":") && (lang == Python || lang == JS || lang == Ruby) && closer == "}":
				p.next()
				v := p.expr()
				if key, ok := ikey(e); ok {
					addKW(key, v)
				}
			case lang == Python && p.isWord("for"):
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
	lang := p.r.code.Lang
	for {
		t := p.peek()
		switch {
		case t.kind == ikOp && t.text == "." && p.at(1).kind == ikIdent:
			p.next()
			m := p.next()
			n = &inode{kind: inMember, s: m.text, x: n, pos: n.pos, end: m.end}
			continue
		case t.kind == ikOp && t.text == "(":
			if lang == Perl && n.kind == inName && strings.HasPrefix(n.s, "$") && t.space {
				return n
			}
			p.next()
			args, kw := p.seq(")", p.callbackElem(n))
			n = &inode{kind: inCall, x: n, args: args, kw: kw, pos: n.pos, end: p.lastEnd()}
			p.calls = append(p.calls, n)
			if lang == Ruby && (p.isOp("{") || p.isWord("do")) {
				n = p.rubyBlock(n)
			}
			continue
		case t.kind == ikOp && t.text == "[" && !(lang == Ruby && t.space):
			p.next()
			args, _ := p.seq("]", nil)
			var idx *inode
			if len(args) > 0 {
				idx = args[0]
			}
			n = &inode{kind: inIndex, x: n, y: idx, pos: n.pos, end: p.lastEnd()}
			continue
		case t.kind == ikOp && t.text == "{" && lang == Perl && !t.space && (n.kind == inName && strings.HasPrefix(n.s, "$") || n.kind == inIndex || n.kind == inMember):
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
		case lang == Ruby && (t.kind == ikOp && t.text == "{" || t.kind == ikIdent && t.text == "do") && (n.kind == inMember || n.kind == inName):
			n = p.rubyBlock(n)
			continue
		case lang == JS && t.kind == ikStr && t.tmpl:
			p.next()
			arg := &inode{kind: inStr, s: t.val, tok: t, pos: t.pos, end: t.end}
			n = &inode{kind: inCall, x: n, args: []*inode{arg}, pos: n.pos, end: t.end}
			p.calls = append(p.calls, n)
			continue
		case lang == Perl && n.kind == inName && (n.s == "unlink" || n.s == "rmdir") && !p.parenlessStart(n):
			// unlink with no arguments deletes $_.
			n = &inode{kind: inCall, x: n, pos: n.pos, end: n.end}
			p.calls = append(p.calls, n)
			return n
		case (lang == Ruby || lang == Perl) && (n.kind == inName || n.kind == inMember) && p.parenlessStart(n):
			args, kw := p.parenless()
			n = &inode{kind: inCall, x: n, args: args, kw: kw, pos: n.pos, end: p.lastEnd()}
			p.calls = append(p.calls, n)
			if lang == Ruby && (p.isOp("{") || p.isWord("do")) {
				n = p.rubyBlock(n)
			}
			return n
		case lang == Ruby && n.kind == inMember && !(t.kind == ikOp && (t.text == "=" || t.text == "+=")):
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
	lang := p.r.code.Lang
	if n.kind == inName && (strings.HasPrefix(n.s, "$") || strings.HasPrefix(n.s, "@") || strings.HasPrefix(n.s, "%")) {
		return false // a variable
	}
	if lang == Ruby && !t.space {
		return false
	}
	switch t.kind {
	case ikStr, ikNum:
		return true
	case ikIdent:
		return !iparenlessStop(t.text)
	case ikOp:
		return t.text == "[" && t.space && lang == Ruby || t.text == "*" && lang == Ruby && !p.at(1).space && t.space
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
		if p.r.code.Lang == Ruby && t.kind == ikIdent && u.kind == ikOp && u.text == ":" && !u.space {
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
