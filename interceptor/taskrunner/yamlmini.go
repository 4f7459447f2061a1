package taskrunner

import (
	"errors"
	"strconv"
	"strings"
)

// A minimal YAML reader for the shape of a Taskfile: block mappings and
// sequences, plain, single- and double-quoted scalars on one line, | and >
// block scalars, one-line flow collections ([a, b], {k: v}) and comments.
// Anything outside that subset — anchors, aliases, tags, merge keys,
// several documents, multi-line plain or quoted scalars, tabs in
// indentation — is an error: the file is then unknown, never guessed.

// yamlNode is one YAML value with the line it starts on.
type yamlNode struct {
	// kind is 'm' (mapping), 's' (sequence) or 'v' (scalar).
	kind  byte
	str   string
	line  int
	keys  []string
	vals  []*yamlNode
	items []*yamlNode
}

// get returns the value of key in a mapping, nil when there is none.
func (n *yamlNode) get(key string) *yamlNode {
	if n == nil || n.kind != 'm' {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// yamlLine is one line of the source: its indentation and its text.
type yamlLine struct {
	indent int
	text   string // without the indentation
	no     int
}

type yamlParser struct {
	lines []yamlLine
	i     int
	depth int
}

// maxYAMLDepth bounds the nesting of collections.
const maxYAMLDepth = 64

// parseYAML parses text in the subset above.
func parseYAML(text string) (*yamlNode, error) {
	p := &yamlParser{}
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "\t") {
			return nil, yamlErr(i+1, "a tab in indentation")
		}
		p.lines = append(p.lines, yamlLine{indent: len(l) - len(t), text: t, no: i + 1})
	}
	p.skip()
	if p.i < len(p.lines) && p.lines[p.i].indent == 0 && strings.TrimSpace(stripYAMLComment(p.lines[p.i].text)) == "---" {
		p.i++
		p.skip()
	}
	if p.i >= len(p.lines) {
		return &yamlNode{kind: 'm'}, nil
	}
	n, err := p.block(0)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.i < len(p.lines) {
		return nil, yamlErr(p.lines[p.i].no, "text after the document")
	}
	return n, nil
}

func yamlErr(line int, what string) error {
	return errors.New("line " + strconv.Itoa(line) + ": " + what + " (outside the YAML guard reads)")
}

// skip moves past blank and comment lines.
func (p *yamlParser) skip() {
	for p.i < len(p.lines) {
		t := strings.TrimSpace(p.lines[p.i].text)
		if t != "" && !strings.HasPrefix(t, "#") {
			return
		}
		p.i++
	}
}

// block parses the node whose lines start at the current line, indented
// at least min.
func (p *yamlParser) block(min int) (*yamlNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxYAMLDepth {
		return nil, yamlErr(p.lineNo(), "collections nested too deeply")
	}
	p.skip()
	if p.i >= len(p.lines) || p.lines[p.i].indent < min {
		return &yamlNode{kind: 'v', line: p.lineNo()}, nil
	}
	l := p.lines[p.i]
	if isSeqItem(l.text) {
		return p.seq(l.indent)
	}
	if _, _, ok := splitYAMLKey(l.text); ok {
		return p.mapping(l.indent)
	}
	p.i++
	t := strings.TrimSpace(stripYAMLComment(l.text))
	if t != "" && (t[0] == '|' || t[0] == '>') {
		return p.blockScalar(t, min-1, l.no)
	}
	if p.i < len(p.lines) && p.lines[p.i].indent >= min && strings.TrimSpace(p.lines[p.i].text) != "" &&
		!strings.HasPrefix(strings.TrimSpace(p.lines[p.i].text), "#") {
		return nil, yamlErr(p.lines[p.i].no, "a scalar over several lines")
	}
	return yamlScalar(t, l.no)
}

func (p *yamlParser) lineNo() int {
	if p.i < len(p.lines) {
		return p.lines[p.i].no
	}
	return len(p.lines)
}

func isSeqItem(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

// seq parses a block sequence at indent n.
func (p *yamlParser) seq(n int) (*yamlNode, error) {
	out := &yamlNode{kind: 's', line: p.lines[p.i].no}
	for {
		p.skip()
		if p.i >= len(p.lines) || p.lines[p.i].indent != n || !isSeqItem(p.lines[p.i].text) {
			if p.i < len(p.lines) && p.lines[p.i].indent > n {
				return nil, yamlErr(p.lines[p.i].no, "unexpected indentation")
			}
			return out, nil
		}
		l := p.lines[p.i]
		rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
		if strings.TrimSpace(stripYAMLComment(rest)) == "" {
			p.i++
			item, err := p.block(n + 1)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, item)
			continue
		}
		// The item's text stands as a line of its own at its column.
		p.lines[p.i] = yamlLine{indent: n + len(l.text) - len(rest), text: rest, no: l.no}
		item, err := p.block(n + 1)
		if err != nil {
			return nil, err
		}
		out.items = append(out.items, item)
	}
}

// mapping parses a block mapping at indent n.
func (p *yamlParser) mapping(n int) (*yamlNode, error) {
	out := &yamlNode{kind: 'm', line: p.lines[p.i].no}
	for {
		p.skip()
		if p.i >= len(p.lines) || p.lines[p.i].indent != n {
			if p.i < len(p.lines) && p.lines[p.i].indent > n {
				return nil, yamlErr(p.lines[p.i].no, "unexpected indentation")
			}
			return out, nil
		}
		l := p.lines[p.i]
		key, rest, ok := splitYAMLKey(l.text)
		if !ok {
			return out, nil
		}
		if key == "<<" || strings.HasPrefix(key, "?") {
			return nil, yamlErr(l.no, "a merge or complex key")
		}
		p.i++
		rest = strings.TrimSpace(stripYAMLComment(rest))
		var v *yamlNode
		var err error
		switch {
		case rest == "":
			p.skip()
			if p.i < len(p.lines) && p.lines[p.i].indent == n && isSeqItem(p.lines[p.i].text) {
				v, err = p.seq(n)
			} else {
				v, err = p.block(n + 1)
			}
		case rest[0] == '|' || rest[0] == '>':
			v, err = p.blockScalar(rest, n, l.no)
		default:
			if p.i < len(p.lines) && p.lines[p.i].indent > n && strings.TrimSpace(p.lines[p.i].text) != "" &&
				!strings.HasPrefix(strings.TrimSpace(p.lines[p.i].text), "#") {
				return nil, yamlErr(p.lines[p.i].no, "a scalar over several lines")
			}
			v, err = yamlScalar(rest, l.no)
		}
		if err != nil {
			return nil, err
		}
		v.line = l.no
		out.keys, out.vals = append(out.keys, key), append(out.vals, v)
	}
}

// blockScalar reads a | or > scalar whose lines are indented more than n.
func (p *yamlParser) blockScalar(head string, n, no int) (*yamlNode, error) {
	style, chomp := head[0], byte(0)
	for _, c := range head[1:] {
		switch {
		case c == '-' || c == '+':
			chomp = byte(c)
		case c >= '1' && c <= '9':
			return nil, yamlErr(no, "an indentation indicator")
		default:
			return nil, yamlErr(no, "text after a block scalar indicator")
		}
	}
	var body []string
	ind := -1
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if strings.TrimSpace(l.text) == "" {
			body = append(body, "")
			p.i++
			continue
		}
		if l.indent <= n {
			break
		}
		if ind < 0 {
			ind = l.indent
		}
		if l.indent < ind {
			return nil, yamlErr(l.no, "a block scalar line indented less than the first")
		}
		body = append(body, strings.Repeat(" ", l.indent-ind)+l.text)
		p.i++
	}
	trailing := 0
	for len(body) > 0 && body[len(body)-1] == "" {
		body = body[:len(body)-1]
		trailing++
	}
	var s string
	if style == '|' {
		s = strings.Join(body, "\n")
	} else {
		var b strings.Builder
		for i, l := range body {
			switch {
			case i == 0 || body[i-1] == "":
			case l == "":
				b.WriteByte('\n')
			default:
				b.WriteByte(' ')
			}
			b.WriteString(l)
		}
		s = b.String()
	}
	switch chomp {
	case 0:
		if len(body) > 0 {
			s += "\n"
		}
	case '+':
		s += "\n" + strings.Repeat("\n", trailing)
	}
	return &yamlNode{kind: 'v', str: s, line: no}, nil
}

// splitYAMLKey splits "key: rest" (or "key:" at the end of the line).
func splitYAMLKey(t string) (key, rest string, ok bool) {
	if t == "" || t[0] == '[' || t[0] == '{' || t[0] == '#' {
		return "", "", false
	}
	if t[0] == '"' || t[0] == '\'' {
		end := quotedEnd(t)
		if end < 0 || end+1 >= len(t) || t[end+1] != ':' {
			return "", "", false
		}
		n, err := yamlScalar(t[:end+1], 0)
		if err != nil {
			return "", "", false
		}
		after := t[end+2:]
		if after != "" && after[0] != ' ' {
			return "", "", false
		}
		return n.str, after, true
	}
	for i := 0; i < len(t); i++ {
		if t[i] == ' ' && i+1 < len(t) && t[i+1] == '#' {
			return "", "", false
		}
		if t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ') {
			return strings.TrimSpace(t[:i]), t[i+1:], true
		}
	}
	return "", "", false
}

// quotedEnd returns the index of the quote closing the one at t[0].
func quotedEnd(t string) int {
	q := t[0]
	for i := 1; i < len(t); i++ {
		switch {
		case q == '"' && t[i] == '\\':
			i++
		case t[i] == q && q == '\'' && i+1 < len(t) && t[i+1] == '\'':
			i++
		case t[i] == q:
			return i
		}
	}
	return -1
}

// stripYAMLComment removes a comment: a # after a blank, outside quotes.
func stripYAMLComment(t string) string {
	quote := byte(0)
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" [{,:", t[i-1]) >= 0):
			quote = c
		case c == '#' && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t'):
			return strings.TrimRight(t[:i], " \t")
		}
	}
	return t
}

// yamlScalar reads a one-line scalar or flow collection.
func yamlScalar(t string, no int) (*yamlNode, error) {
	t = strings.TrimSpace(t)
	if t == "" {
		return &yamlNode{kind: 'v', line: no}, nil
	}
	switch t[0] {
	case '&', '*', '!', '%', '@', '`':
		return nil, yamlErr(no, "an anchor, alias, tag or reserved indicator")
	case '[', '{':
		f := &yamlFlow{s: t, no: no}
		n, err := f.value()
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(f.s[f.i:]) != "" {
			return nil, yamlErr(no, "text after a flow collection")
		}
		return n, nil
	case '"', '\'':
		end := quotedEnd(t)
		if end != len(t)-1 {
			return nil, yamlErr(no, "a quoted scalar that does not end on its line")
		}
		if t[0] == '\'' {
			return &yamlNode{kind: 'v', str: strings.ReplaceAll(t[1:end], "''", "'"), line: no}, nil
		}
		s, err := strconv.Unquote(t)
		if err != nil {
			return nil, yamlErr(no, "a double-quoted escape")
		}
		return &yamlNode{kind: 'v', str: s, line: no}, nil
	}
	return &yamlNode{kind: 'v', str: t, line: no}, nil
}

// yamlFlow reads a one-line flow collection.
type yamlFlow struct {
	s     string
	i     int
	no    int
	depth int
}

func (f *yamlFlow) space() {
	for f.i < len(f.s) && f.s[f.i] == ' ' {
		f.i++
	}
}

func (f *yamlFlow) value() (*yamlNode, error) {
	f.space()
	if f.i >= len(f.s) {
		return nil, yamlErr(f.no, "an unterminated flow collection")
	}
	switch f.s[f.i] {
	case '[', '{':
		f.depth++
		defer func() { f.depth-- }()
		if f.depth > maxYAMLDepth {
			return nil, yamlErr(f.no, "collections nested too deeply")
		}
		open := f.s[f.i]
		close := byte(']')
		n := &yamlNode{kind: 's', line: f.no}
		if open == '{' {
			close, n.kind = '}', 'm'
		}
		f.i++
		for {
			f.space()
			if f.i < len(f.s) && f.s[f.i] == close {
				f.i++
				return n, nil
			}
			if open == '{' {
				k, err := f.scalar(":")
				if err != nil {
					return nil, err
				}
				if f.i >= len(f.s) || f.s[f.i] != ':' {
					return nil, yamlErr(f.no, "a flow mapping entry without a value")
				}
				f.i++
				v, err := f.value()
				if err != nil {
					return nil, err
				}
				n.keys, n.vals = append(n.keys, k.str), append(n.vals, v)
			} else {
				v, err := f.value()
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			f.space()
			if f.i < len(f.s) && f.s[f.i] == ',' {
				f.i++
				continue
			}
			if f.i < len(f.s) && f.s[f.i] == close {
				continue
			}
			return nil, yamlErr(f.no, "a malformed flow collection")
		}
	}
	return f.scalar(",]}")
}

// scalar reads a flow scalar up to one of stop.
func (f *yamlFlow) scalar(stop string) (*yamlNode, error) {
	f.space()
	if f.i < len(f.s) && (f.s[f.i] == '"' || f.s[f.i] == '\'') {
		end := quotedEnd(f.s[f.i:])
		if end < 0 {
			return nil, yamlErr(f.no, "an unterminated quoted scalar")
		}
		n, err := yamlScalar(f.s[f.i:f.i+end+1], f.no)
		f.i += end + 1
		return n, err
	}
	start := f.i
	for f.i < len(f.s) && strings.IndexByte(stop, f.s[f.i]) < 0 {
		f.i++
	}
	return yamlScalar(strings.TrimSpace(f.s[start:f.i]), f.no)
}
