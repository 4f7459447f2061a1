package interceptor

import "strings"

// plainCommand returns the words of src when src is one simple command made
// only of plain words: letters, digits and "-_./:,+@%=" separated by spaces
// or tabs, no assignment in front and no reserved word first. bash does
// nothing to such words — no quoting, expansion, globbing, operators or
// comments can occur — so splitting on blanks is exactly what its parser
// would produce, without the parser's cost. Anything else returns false and
// goes to the parser.
func plainCommand(src string) ([]Word, bool) {
	if len(src) == 0 || len(src) > 512 {
		return nil, false
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '@' || c == '%' || c == '=':
		case c == ' ' || c == '\t':
		default:
			return nil, false
		}
	}
	// The words are counted, then made in one allocation: no slice of
	// strings in between (strings.Fields).
	n := 0
	for f := range strings.FieldsSeq(src) {
		if n == 0 && (strings.Contains(f, "=") || reservedWord(f)) {
			return nil, false
		}
		n++
	}
	if n == 0 {
		return nil, false
	}
	words := make([]Word, 0, n)
	for f := range strings.FieldsSeq(src) {
		words = append(words, Word{Value: f})
	}
	return words, true
}

// reservedWord reports whether bash treats s as a reserved word, or a
// declaration builtin that the parser gives its own clause, when it comes
// first.
func reservedWord(s string) bool {
	switch s {
	case "if", "then", "elif", "else", "fi", "case", "esac", "for", "select", "while", "until",
		"do", "done", "in", "function", "time", "coproc", "{", "}", "!", "[[", "]]",
		// Parsed as their own clauses, not as simple commands.
		"export", "local", "declare", "typeset", "readonly", "let", "nameref":
		return true
	}
	return false
}
