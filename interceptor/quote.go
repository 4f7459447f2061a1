package interceptor

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// unescaped returns word with the backslash escapes of its unquoted
// literals removed, as bash removes them from an assignment value, a
// redirection target or a here-string. expand.Literal keeps them (a\'b
// stays a\'b), which would let "x=r\m; $x -rf ~" run a command named r\m
// in guard's eyes and rm in bash's.
//
// Each escaped character becomes a single-quoted part, so that it is
// neither expanded (\~) nor a pattern (\*); an escaped newline (a line
// continuation) disappears. word itself is not changed.
func unescaped(word *syntax.Word) *syntax.Word {
	escaped := false
	for _, p := range word.Parts {
		if lit, ok := p.(*syntax.Lit); ok && strings.Contains(lit.Value, `\`) {
			escaped = true
			break
		}
	}
	if !escaped {
		return word
	}
	parts := make([]syntax.WordPart, 0, len(word.Parts)+2)
	for _, p := range word.Parts {
		lit, ok := p.(*syntax.Lit)
		if !ok || !strings.Contains(lit.Value, `\`) {
			parts = append(parts, p)
			continue
		}
		s := lit.Value
		for s != "" {
			i := strings.IndexByte(s, '\\')
			if i < 0 || i == len(s)-1 {
				// A backslash that ends the word stays itself.
				parts = append(parts, &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: s})
				break
			}
			if i > 0 {
				parts = append(parts, &syntax.Lit{ValuePos: lit.ValuePos, ValueEnd: lit.ValueEnd, Value: s[:i]})
			}
			if s[i+1] != '\n' {
				parts = append(parts, &syntax.SglQuoted{Left: lit.ValuePos, Right: lit.ValueEnd, Value: s[i+1 : i+2]})
			}
			s = s[i+2:]
		}
	}
	return &syntax.Word{Parts: parts}
}
