package interceptor

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Code bash runs while it evaluates values. In arithmetic a variable's
// value is itself an arithmetic expression, and the subscript of an array
// element in it is expanded, command substitutions and all: after
// x='a[$(rm -rf ~)]', each of "$((x))", "((x))", "let x", "[[ $x -eq 1 ]]",
// "declare -i y=x", "a[x]=1" and "${s:x}" runs the rm; so does "test -v"
// or "[[ -v" of a name whose subscript holds one. "${x@P}" expands x's
// value as a prompt, which runs its command substitutions. The script's
// own command substitutions are analysed where they stand; here the
// values of variables the script set are followed (state.codeVals says
// some may hold code), recursively, at most maxArithDepth deep.

const maxArithDepth = 16

// valueCode analyses the code bash runs while it evaluates the values of
// variables in node: arithmetic, array subscripts, numeric tests, -v and
// ${x@P}.
func (w *walker) valueCode(node syntax.Node, st *state) {
	if !st.codeVals || node == nil {
		return
	}
	syntax.Walk(node, func(n syntax.Node) bool {
		if w.a.stopped {
			return false
		}
		switch n := n.(type) {
		case *syntax.ArithmExp:
			w.arithNames(n.X, st, 0)
		case *syntax.ArithmCmd:
			w.arithNames(n.X, st, 0)
		case *syntax.LetClause:
			for _, x := range n.Exprs {
				w.arithNames(x, st, 0)
			}
		case *syntax.CStyleLoop:
			w.arithNames(n.Init, st, 0)
			w.arithNames(n.Cond, st, 0)
			w.arithNames(n.Post, st, 0)
		case *syntax.Assign:
			w.arithNames(n.Index, st, 0)
		case *syntax.ParamExp:
			w.arithNames(n.Index, st, 0)
			if n.Slice != nil {
				w.arithNames(n.Slice.Offset, st, 0)
				w.arithNames(n.Slice.Length, st, 0)
			}
			if n.Exp != nil && n.Exp.Op == syntax.OtherParamOps && n.Exp.Word != nil && n.Exp.Word.Lit() == "P" && n.Param != nil {
				for _, v := range st.values(n.Param.Value) {
					w.promptString(n.Param.Value, v, st)
				}
			}
		case *syntax.BinaryTest:
			switch n.Op {
			case syntax.TsEql, syntax.TsNeq, syntax.TsLss, syntax.TsLeq, syntax.TsGtr, syntax.TsGeq:
				// Both sides are expanded, then evaluated as arithmetic.
				for _, x := range []syntax.TestExpr{n.X, n.Y} {
					if word, ok := x.(*syntax.Word); ok {
						for _, v := range w.wordValues(word, st) {
							w.arithText(v, st, 0)
						}
					}
				}
			}
		case *syntax.UnaryTest:
			if word, ok := n.X.(*syntax.Word); ok && n.Op == syntax.TsVarSet {
				for _, v := range w.wordValues(word, st) {
					w.subscriptCode(v, st)
				}
			}
		}
		return true
	})
}

// arithNames follows the variables an arithmetic expression of the script
// names, bare (x) or expanded ($x), into their values.
func (w *walker) arithNames(x syntax.ArithmExpr, st *state, depth int) {
	if x == nil {
		return
	}
	syntax.Walk(x, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false // the script's own code, analysed where it stands
		case *syntax.ParamExp:
			if n.Param != nil && n.Exp == nil && n.Repl == nil && n.Slice == nil {
				for _, v := range st.values(n.Param.Value) {
					w.arithText(v, st, depth+1)
				}
			}
		case *syntax.Word:
			if name := n.Lit(); isName(name) {
				for _, v := range st.values(name) {
					w.arithText(v, st, depth+1)
				}
			}
		}
		return true
	})
}

// arithText analyses what bash runs while it evaluates text, a value, as
// an arithmetic expression.
func (w *walker) arithText(text string, st *state, depth int) {
	text = strings.TrimSpace(text)
	if text == "" || strings.Contains(text, UnknownMark) {
		return
	}
	if _, err := strconv.ParseInt(text, 0, 64); err == nil {
		return
	}
	if depth > maxArithDepth {
		w.a.unknown(st, text, "bash evaluates values as arithmetic more than "+strconv.Itoa(maxArithDepth)+" levels deep here")
		return
	}
	code := strings.ContainsAny(text, "$`")
	if !code && isName(text) {
		for _, v := range st.values(text) {
			if v != text {
				w.arithText(v, st, depth+1)
			}
		}
		return
	}
	x, err := w.a.parser.Arithmetic(strings.NewReader(text))
	if err != nil {
		if code {
			w.a.unknown(st, text, "bash evaluates `"+shortText(text)+"` as arithmetic, which guard cannot parse")
		}
		return
	}
	if code {
		// The value's own substitutions run: they are code of their own
		// text.
		vw := &walker{a: w.a, src: text, needOut: w.needOut}
		vw.substitutions(x, st)
	}
	w.arithNames(x, st, depth)
}

// subscriptCode analyses the code in the subscript of a name as "test -v"
// and "[[ -v" read it: NAME[SUBSCRIPT], evaluated as arithmetic (an
// associative array's is expanded as a word, which runs the same code).
func (w *walker) subscriptCode(name string, st *state) {
	i := strings.IndexByte(name, '[')
	if i <= 0 || !strings.HasSuffix(name, "]") || !isName(name[:i]) {
		return
	}
	w.arithText(name[i+1:len(name)-1], st, 0)
}

// arithValue is the value bash gives an integer variable (declare -i)
// assigned text: the arithmetic result, after analysing the code the
// evaluation runs. What cannot be computed is unknown.
func (w *walker) arithValue(text string, st *state) string {
	if strings.Contains(text, UnknownMark) {
		return UnknownMark
	}
	w.arithText(text, st, 0)
	if strings.TrimSpace(text) == "" {
		return "0"
	}
	x, err := w.a.parser.Arithmetic(strings.NewReader(text))
	if err != nil || strings.ContainsAny(text, "$`") {
		return UnknownMark
	}
	unknown := false
	n, err := expand.Arithm(w.config(st, &unknown), x)
	if err != nil || unknown {
		return UnknownMark
	}
	return strconv.Itoa(n)
}

// wordValues returns the values word may expand to: its value or, when
// that is unknown because a variable in it was made unknown by code that
// may not have run (branch.go), the word with each value kept for that
// variable.
func (w *walker) wordValues(word *syntax.Word, st *state) []string {
	v := w.word(word, st)
	if !v.Unknown || len(st.alts) == 0 {
		return []string{v.Value}
	}
	var name string
	syntax.Walk(word, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			if _, ok := st.alts[pe.Param.Value]; ok && name == "" {
				name = pe.Param.Value
			}
		}
		return name == ""
	})
	if name == "" {
		return []string{v.Value}
	}
	var out []string
	for _, alt := range st.alts[name] {
		c := st.clone()
		c.setVar(name, alt)
		out = append(out, w.word(word, c).Value)
	}
	return out
}
