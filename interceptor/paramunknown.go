package interceptor

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A variable whose value is unknown (an array, a value read at run time) is
// handed to the expander as the text UnknownMark. The plain expansions
// keep it ($v, ${v}, "${v:-x}"), so the result is unknown as it should
// be. The others would compute on that text as if it were the value:
// ${a[1]} of an array is not the mark's second element (it is empty),
// ${#a[@]} is not 1, ${v:1:2} and ${v#?} cut the mark itself and leave
// text that looks known. For those, guard does not guess: the word is
// unknown (shapedUnknown).

// shapedUnknown reports whether word holds a parameter expansion other
// than a plain or default-value one of a variable whose value is unknown.
func shapedUnknown(word *syntax.Word, st *state) bool {
	for _, p := range word.Parts {
		if partShapedUnknown(p, st) {
			return true
		}
	}
	return false
}

func partShapedUnknown(p syntax.WordPart, st *state) bool {
	switch p := p.(type) {
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			if partShapedUnknown(q, st) {
				return true
			}
		}
	case *syntax.ParamExp:
		if p.Param == nil || plainExpansion(p) {
			return false
		}
		v, set := st.lookup(p.Param.Value)
		return set && strings.Contains(v, UnknownMark)
	}
	return false
}

// plainExpansion reports a parameter expansion that yields the value
// itself, or a default in its place: $v, ${v}, ${v:-x}, ${v:+x}, ${v:=x},
// ${v:?x} and their forms without the colon.
func plainExpansion(p *syntax.ParamExp) bool {
	if p.Excl || p.Length || p.Width || p.IsSet || p.Index != nil || p.Slice != nil || p.Repl != nil ||
		p.Names != 0 || len(p.Modifiers) > 0 || p.NestedParam != nil {
		return false
	}
	if p.Exp == nil {
		return true
	}
	switch p.Exp.Op {
	case syntax.AlternateUnset, syntax.AlternateUnsetOrNull, syntax.DefaultUnset, syntax.DefaultUnsetOrNull,
		syntax.ErrorUnset, syntax.ErrorUnsetOrNull, syntax.AssignUnset, syntax.AssignUnsetOrNull:
		return true
	}
	return false
}
