package taskrunner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A jsonNode is one value of a JSON document with the line it stands on,
// so that a finding can say where a task runner's script came from
// ("package.json line 9"). Only what the task runners read is kept:
// strings, objects in their order, arrays.
type jsonNode struct {
	// kind is 's' (string), 'o' (object), 'a' (array) or 'x' (other).
	kind byte
	str  string
	// line is the line of the value's key in its object, or of the value.
	line  int
	keys  []string
	vals  []*jsonNode
	items []*jsonNode
}

// get returns the value of key in an object, nil when there is none (the
// last one when the key is repeated, as JSON.parse takes it).
func (n *jsonNode) get(key string) *jsonNode {
	if n == nil || n.kind != 'o' {
		return nil
	}
	var v *jsonNode
	for i, k := range n.keys {
		if k == key {
			v = n.vals[i]
		}
	}
	return v
}

// parseJSONDocs parses data as one or more JSON documents one after the
// other: a file the command line rewrites reads as its old content followed
// by the new (see Host.Parts), and both are read. comments allows
// the // and /* */ comments and trailing commas of JSONC (deno.jsonc).
func parseJSONDocs(data []byte, comments bool) ([]*jsonNode, error) {
	if comments {
		data = stripJSONC(data)
	}
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), line: 1}
	p.dec.UseNumber()
	var docs []*jsonNode
	for {
		tok, err := p.dec.Token()
		if errors.Is(err, io.EOF) && len(docs) > 0 {
			return docs, nil
		}
		var n *jsonNode
		if err == nil {
			n, err = p.node(tok)
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", p.at(), err)
		}
		docs = append(docs, n)
	}
}

// jsonParser builds jsonNodes from a json.Decoder's tokens, counting lines
// up to the decoder's offset as it goes.
type jsonParser struct {
	data []byte
	dec  *json.Decoder
	off  int
	line int
	// depth bounds nesting.
	depth int
}

// at returns the line the decoder is on.
func (p *jsonParser) at() int {
	off := int(p.dec.InputOffset())
	if off > len(p.data) {
		off = len(p.data)
	}
	if off > p.off {
		p.line += bytes.Count(p.data[p.off:off], []byte{'\n'})
		p.off = off
	}
	return p.line
}

func (p *jsonParser) value() (*jsonNode, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	return p.node(tok)
}

func (p *jsonParser) node(tok json.Token) (*jsonNode, error) {
	line := p.at()
	switch t := tok.(type) {
	case string:
		return &jsonNode{kind: 's', str: t, line: line}, nil
	case json.Delim:
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > 64 {
			return nil, errors.New("nested too deeply")
		}
		switch t {
		case '{':
			n := &jsonNode{kind: 'o', line: line}
			for p.dec.More() {
				k, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := k.(string)
				if !ok {
					return nil, errors.New("an object key is not a string")
				}
				keyLine := p.at()
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				v.line = keyLine
				n.keys, n.vals = append(n.keys, key), append(n.vals, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &jsonNode{kind: 'a', line: line}
			for p.dec.More() {
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, errors.New("unexpected " + t.String())
	}
	return &jsonNode{kind: 'x', line: line}, nil
}

// stripJSONC blanks the comments of JSONC and its trailing commas, keeping
// every newline so that lines stay where they were.
func stripJSONC(data []byte) []byte {
	out := bytes.Clone(data)
	inStr := false
	lastComma := -1
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr, lastComma = true, -1
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			j := i
			for ; j < len(out) && !(out[j] == '*' && j+1 < len(out) && out[j+1] == '/' && j > i+1); j++ {
				if out[j] != '\n' {
					out[j] = ' '
				}
			}
			if j+1 < len(out) {
				out[j], out[j+1] = ' ', ' '
			}
			i = j + 1
		case c == ',':
			lastComma = i
		case c == '}' || c == ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			lastComma = -1
		}
	}
	return out
}
