package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// This file edits JSON settings files the way a person would: it finds the
// place to change by parsing the file with byte offsets, and splices new
// text in (or old text out) there, in the file's own indentation. Every
// byte outside the edit stays as it was, including key order, spacing and
// comments, so that adding guard's hook and taking it out again gives back
// the original file.

// jkind is the type of a JSON value.
type jkind uint8

const (
	jObject jkind = iota + 1
	jArray
	jString
	jNumber
	jBool
	jNull
)

// jnode is a parsed JSON value with its place in the source.
type jnode struct {
	kind       jkind
	start, end int       // the value's bytes are src[start:end]
	str        string    // the decoded value of a string
	members    []jmember // of an object, in order
	elems      []*jnode  // of an array, in order
}

// jmember is one "key": value pair of an object.
type jmember struct {
	key              string
	keyStart, keyEnd int
	value            *jnode
}

// member returns the value of key (the last one, as JSON parsers do), or
// nil.
func (n *jnode) member(key string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return n.members[i].value
		}
	}
	return nil
}

// memberIndex returns the index of key's last member, or -1.
func (n *jnode) memberIndex(key string) int {
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return i
		}
	}
	return -1
}

// items returns the number of members or elements.
func (n *jnode) items() int {
	if n.kind == jObject {
		return len(n.members)
	}
	return len(n.elems)
}

// itemStart and itemEnd give the span of the i-th member (from its key)
// or element.
func (n *jnode) itemStart(i int) int {
	if n.kind == jObject {
		return n.members[i].keyStart
	}
	return n.elems[i].start
}

func (n *jnode) itemEnd(i int) int {
	if n.kind == jObject {
		return n.members[i].value.end
	}
	return n.elems[i].end
}

// maxJSONDepth bounds nesting so that a hostile file cannot exhaust the
// stack.
const maxJSONDepth = 512

// parseJSON parses src, a JSON document that may also hold // and /* */
// comments (some agents accept them in their settings). Trailing commas
// are an error.
func parseJSON(src []byte) (*jnode, error) {
	p := &jparser{src: src}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos == len(src) {
		return nil, p.errorf("the file holds no JSON value")
	}
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos != len(src) {
		return nil, p.errorf("unexpected %q after the JSON value", p.src[p.pos])
	}
	return n, nil
}

type jparser struct {
	src   []byte
	pos   int
	depth int
}

// errorf reports a syntax error at the current position as line:column.
func (p *jparser) errorf(format string, args ...any) error {
	line, col := 1, 1
	for _, c := range p.src[:min(p.pos, len(p.src))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %s", line, col, fmt.Sprintf(format, args...))
}

// space skips white space and comments.
func (p *jparser) space() error {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '*':
			end := bytes.Index(p.src[p.pos+2:], []byte("*/"))
			if end < 0 {
				return p.errorf("unterminated /* comment")
			}
			p.pos += 2 + end + 2
		default:
			return nil
		}
	}
	return nil
}

func (p *jparser) value() (*jnode, error) {
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of the file")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == 't':
		return p.literal("true", jBool)
	case c == 'f':
		return p.literal("false", jBool)
	case c == 'n':
		return p.literal("null", jNull)
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	default:
		return nil, p.errorf("unexpected %q", c)
	}
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("nesting deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jparser) object() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := &jnode{kind: jObject, start: p.pos}
	p.pos++
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		n.end = p.pos
		return n, nil
	}
	for {
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			if p.pos < len(p.src) && p.src[p.pos] == '}' && len(n.members) > 0 {
				return nil, p.errorf("trailing comma before }")
			}
			return nil, p.errorf("expected a quoted key")
		}
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.errorf("expected : after the key %q", key.str)
		}
		p.pos++
		if err := p.space(); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, jmember{key: key.str, keyStart: key.start, keyEnd: key.end, value: v})
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.errorf("unexpected end of the file in an object")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			if err := p.space(); err != nil {
				return nil, err
			}
		case '}':
			p.pos++
			n.end = p.pos
			return n, nil
		default:
			return nil, p.errorf("expected , or } in an object")
		}
	}
}

func (p *jparser) array() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := &jnode{kind: jArray, start: p.pos}
	p.pos++
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		n.end = p.pos
		return n, nil
	}
	for {
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			return nil, p.errorf("trailing comma before ]")
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.errorf("unexpected end of the file in an array")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			if err := p.space(); err != nil {
				return nil, err
			}
		case ']':
			p.pos++
			n.end = p.pos
			return n, nil
		default:
			return nil, p.errorf("expected , or ] in an array")
		}
	}
}

func (p *jparser) string() (*jnode, error) {
	start := p.pos
	p.pos++
	for {
		if p.pos >= len(p.src) {
			p.pos = start
			return nil, p.errorf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '\\':
			p.pos += 2
		case c == '"':
			p.pos++
			n := &jnode{kind: jString, start: start, end: p.pos}
			if err := json.Unmarshal(p.src[start:p.pos], &n.str); err != nil {
				p.pos = start
				return nil, p.errorf("invalid string: %v", err)
			}
			return n, nil
		case c < 0x20:
			return nil, p.errorf("control character in a string")
		default:
			p.pos++
		}
	}
}

func (p *jparser) literal(word string, kind jkind) (*jnode, error) {
	if !bytes.HasPrefix(p.src[p.pos:], []byte(word)) {
		return nil, p.errorf("unexpected %q", p.src[p.pos])
	}
	n := &jnode{kind: kind, start: p.pos, end: p.pos + len(word)}
	p.pos = n.end
	return n, nil
}

func (p *jparser) number() (*jnode, error) {
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte("+-.eE0123456789", p.src[p.pos]) >= 0 {
		p.pos++
	}
	if !json.Valid(p.src[start:p.pos]) {
		p.pos = start
		return nil, p.errorf("invalid number")
	}
	return &jnode{kind: jNumber, start: start, end: p.pos}, nil
}

// splice replaces src[start:end] with text.
type splice struct {
	start, end int
	text       string
}

// applySplices applies non-overlapping splices to src.
func applySplices(src []byte, edits ...splice) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out
}

// style is how a document is laid out, so that inserted text looks like
// its neighbours.
type style struct {
	unit    string // one level of indentation
	colon   string // between a key and its value: ": " or ":"
	nl      string // the line ending: "\n" or "\r\n"
	compact bool   // everything on one line
}

// styleOf reads the layout of a document.
func styleOf(src []byte, root *jnode) style {
	st := style{unit: indentUnit(src), colon: ": ", nl: "\n"}
	if bytes.Contains(src, []byte("\r\n")) {
		st.nl = "\r\n"
	}
	if root.kind == jObject && root.items() > 0 || root.kind == jArray && root.items() > 0 {
		st.compact = !bytes.Contains(src[root.start:root.end], []byte("\n"))
	}
	if m := firstMember(root); m != nil {
		st.colon = string(src[m.keyEnd:m.value.start])
		if strings.ContainsAny(st.colon, "\n/") {
			st.colon = ": "
		}
	} else if st.compact {
		st.colon = ":"
	}
	return st
}

// firstMember finds the first object member of the document.
func firstMember(n *jnode) *jmember {
	switch n.kind {
	case jObject:
		if len(n.members) > 0 {
			return &n.members[0]
		}
	case jArray:
		for _, e := range n.elems {
			if m := firstMember(e); m != nil {
				return m
			}
		}
	}
	return nil
}

// indentUnit is the smallest indentation of any line, or two spaces.
func indentUnit(src []byte) string {
	unit := ""
	for _, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		ws := line[:len(line)-len(trimmed)]
		if ws == "" || trimmed == "" || strings.HasPrefix(trimmed, "*") {
			continue
		}
		if unit == "" || len(ws) < len(unit) {
			unit = ws
		}
	}
	if unit == "" {
		return "  "
	}
	return unit
}

// lineIndent is the white space that starts the line holding pos.
func lineIndent(src []byte, pos int) string {
	start := bytes.LastIndexByte(src[:pos], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// insertItem returns the splice that appends an item to the container c.
// render renders the item given the indentation of the container's items
// and whether it must fit on one line; for an object it must render
// `"key": value`.
func insertItem(src []byte, c *jnode, st style, render func(indent string, compact bool) string) splice {
	if n := c.items(); n > 0 {
		last := c.itemStart(n - 1)
		i := last
		for i > c.start+1 && strings.IndexByte(" \t\r\n", src[i-1]) >= 0 {
			i--
		}
		ws := string(src[i:last])
		end := c.itemEnd(n - 1)
		if nl := strings.LastIndexByte(ws, '\n'); nl >= 0 {
			indent := ws[nl+1:]
			return splice{end, end, "," + st.nl + indent + render(indent, false)}
		}
		return splice{end, end, "," + ws + render("", true)}
	}
	open, closing := c.start+1, c.end-1
	blank := strings.TrimSpace(string(src[open:closing])) == ""
	if st.compact {
		if blank {
			return splice{open, closing, render("", true)}
		}
		return splice{closing, closing, render("", true)}
	}
	base := lineIndent(src, c.start)
	indent := base + st.unit
	text := st.nl + indent + render(indent, false) + st.nl + base
	if blank {
		return splice{open, closing, text}
	}
	return splice{closing, closing, text}
}

// removeItem returns the splice that takes the i-th item out of c,
// together with the separator that belongs to it: the inverse of
// insertItem for the last item.
func removeItem(c *jnode, i int) splice {
	n := c.items()
	switch {
	case n == 1:
		return splice{c.start + 1, c.end - 1, ""}
	case i == n-1:
		return splice{c.itemEnd(i - 1), c.itemEnd(i), ""}
	default:
		return splice{c.itemStart(i), c.itemStart(i + 1), ""}
	}
}

// jobj is an object to render, with its keys in order.
type jobj []jkv

type jkv struct {
	k string
	v any
}

// renderJSON renders v (a jobj, []any, string, bool, int or nil) at the
// given indentation.
func renderJSON(v any, indent string, st style) string {
	var b strings.Builder
	writeJSON(&b, v, indent, st)
	return b.String()
}

func writeJSON(b *strings.Builder, v any, indent string, st style) {
	switch v := v.(type) {
	case jobj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, kv := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			inner := indent + st.unit
			if !st.compact {
				b.WriteString(st.nl + inner)
			}
			b.WriteString(quoteJSON(kv.k) + st.colon)
			writeJSON(b, kv.v, inner, st)
		}
		if !st.compact {
			b.WriteString(st.nl + indent)
		}
		b.WriteByte('}')
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			inner := indent + st.unit
			if !st.compact {
				b.WriteString(st.nl + inner)
			}
			writeJSON(b, e, inner, st)
		}
		if !st.compact {
			b.WriteString(st.nl + indent)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(quoteJSON(v))
	case bool:
		fmt.Fprint(b, v)
	case int:
		fmt.Fprint(b, v)
	case nil:
		b.WriteString("null")
	default:
		panic(fmt.Sprintf("renderJSON: unsupported %T", v))
	}
}

// quoteJSON quotes s as a JSON string, leaving <, > and & as they are.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// settingsObject parses a settings document and returns its root, or nil
// when it does not parse or is not an object.
func settingsObject(data []byte) *jnode {
	root, err := parseJSON(data)
	if err != nil || root.kind != jObject {
		return nil
	}
	return root
}

// jsonTrue says whether n (of data) is the literal true.
func jsonTrue(data []byte, n *jnode) bool {
	return n != nil && n.kind == jBool && string(data[n.start:n.end]) == "true"
}

// jsonFalse says whether n (of data) is the literal false.
func jsonFalse(data []byte, n *jnode) bool {
	return n != nil && n.kind == jBool && string(data[n.start:n.end]) == "false"
}
