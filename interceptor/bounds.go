package interceptor

import (
	"fmt"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// This file bounds the data analysis makes: the bytes words expand to and
// the output it computes (printf, cat, heredocs). The input size bounds
// the source, but not what expansion makes of it: thirty "x=$x$x" double
// a variable to gigabytes in 250 bytes, and "${x//?/$x}" squares one. Each
// expansion is estimated before it is made, and what is made is counted
// against Limits.MaxExpansion.

// sizeCap is where size estimates saturate: far over any limit, far under
// an overflow.
const sizeCap = 1 << 40

func satAdd(a, b int) int { return min(a+b, sizeCap) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > sizeCap/b {
		return sizeCap
	}
	return a * b
}

// spend counts n bytes made by analysis and reports whether the analysis
// may go on; over Limits.MaxExpansion it reports the limit and stops.
func (a *analyzer) spend(n int) bool {
	if a.stopped {
		return false
	}
	a.expanded = satAdd(a.expanded, n)
	if a.expanded > a.lim.MaxExpansion {
		a.limit(fmt.Sprintf("the command expands to more than %d bytes", a.lim.MaxExpansion))
		return false
	}
	return true
}

// affordable reports whether copies of word, expanded in st, fit in what
// is left of Limits.MaxExpansion, judging by an upper bound of their size
// computed without expanding; when they do not it reports the limit.
func (w *walker) affordable(word *syntax.Word, st *state, copies int) bool {
	if w.a.stopped {
		return false
	}
	if est := satMul(sizeParts(word.Parts, st), copies); est > w.a.lim.MaxExpansion-w.a.expanded {
		w.a.limit(fmt.Sprintf("the command expands to more than %d bytes", w.a.lim.MaxExpansion))
		return false
	}
	return true
}

// sizeParts returns an upper bound of the bytes word parts expand to in st.
// Command substitutions count nothing here: their output is made by
// analysis, which counts it as it is made.
func sizeParts(parts []syntax.WordPart, st *state) int {
	n := 0
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			n = satAdd(n, len(p.Value))
			for i := 0; i < len(p.Value); i++ {
				if p.Value[i] == '~' {
					n = satAdd(n, len(st.home)+len(UnknownMark))
				}
			}
		case *syntax.SglQuoted:
			n = satAdd(n, len(p.Value))
		case *syntax.DblQuoted:
			n = satAdd(n, sizeParts(p.Parts, st))
		case *syntax.ParamExp:
			n = satAdd(n, sizeParam(p, st))
		case *syntax.ArithmExp:
			n = satAdd(n, 24)
		case *syntax.ProcSubst:
			n = satAdd(n, 16)
		case *syntax.ExtGlob:
			n = satAdd(n, len(p.Pattern.Value)+3)
		}
	}
	return n
}

// sizeWord is sizeParts of a word that may be absent.
func sizeWord(w *syntax.Word, st *state) int {
	if w == nil {
		return 0
	}
	return sizeParts(w.Parts, st)
}

// sizeParam returns an upper bound of the bytes a parameter expansion
// makes: the value, times the replacement for "${x//p/r}", plus the word
// of "${x:-w}" and the quoting of "${x@Q}".
func sizeParam(pe *syntax.ParamExp, st *state) int {
	if pe.Length {
		return 24
	}
	val := sizeValue(pe.Param.Value, st)
	if pe.Excl {
		if pe.Names != 0 {
			// ${!prefix*}: the names of the variables.
			n := 0
			environ{st}.Each(func(name string, _ expand.Variable) bool {
				n = satAdd(n, len(name)+1)
				return true
			})
			if st.ctx != nil {
				for name := range st.ctx.Env {
					n = satAdd(n, len(name)+1)
				}
			}
			return n
		}
		v, _ := st.lookup(pe.Param.Value)
		val = satAdd(val, sizeValue(v, st))
	}
	size := val
	if pe.Repl != nil {
		// Every character of the value may be replaced.
		size = satAdd(val, satMul(val+1, sizeWord(pe.Repl.With, st)))
	}
	if pe.Exp != nil {
		size = satAdd(satMul(val, 4)+2, sizeWord(pe.Exp.Word, st))
	}
	return size
}

// sizeValue returns the length of a parameter's value in st.
func sizeValue(name string, st *state) int {
	switch name {
	case "@", "*":
		n := 0
		for _, a := range st.args {
			n = satAdd(n, len(a)+1)
		}
		return satAdd(n, len(UnknownMark))
	case "#", "?", "$", "!", "-", "RANDOM", "LINENO", "SECONDS":
		return 24
	}
	v, _ := st.lookup(name)
	return len(v)
}

// heredocFits reports whether a heredoc body of size bytes is within
// Limits.MaxHeredoc; when it is not it reports the limit.
func (w *walker) heredocFits(size int) bool {
	if size > w.a.lim.MaxHeredoc {
		w.a.limit(fmt.Sprintf("a heredoc is larger than %d bytes", w.a.lim.MaxHeredoc))
		return false
	}
	return true
}
