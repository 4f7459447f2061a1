package interceptor

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// The declaration builtins as bash runs them: declare, typeset, local,
// export and readonly.
//
//   - Every argument is expanded before any is assigned, so "A=rm; declare
//     A=echo B=$A" gives B the old A, "rm".
//   - An assignment argument is brace-expanded but not split: "declare
//     T={echo,rm}" assigns echo, then rm. Another argument is expanded
//     like any word, and a field shaped like NAME=VALUE is an assignment
//     ("declare $x").
//   - Attributes stay with the variable: -l and -u change the case of
//     every value assigned, -i evaluates it as arithmetic (which may run
//     the code in it, arith.go), -r makes it readonly: neither assigned
//     nor unset again.
//   - local, and declare or typeset without -g, make the name local to
//     the function being run: its value is restored when the function
//     returns. local outside a function assigns nothing (bash refuses).

// varAttr is a set of a variable's attributes.
type varAttr uint8

const (
	attrLower varAttr = 1 << iota
	attrUpper
	attrInteger
	attrReadonly
	// attrExport is -x: the variable is in the environment of the
	// commands the shell starts (export.go).
	attrExport
	// attrMaybeExport says the variable may be exported: it was assigned
	// while "set -a" may have been on.
	attrMaybeExport
)

// localFrame holds the values the locals of one function call hid.
type localFrame struct {
	saved map[string]savedVar
}

type savedVar struct {
	v   shVar
	had bool
}

// declArg is one argument of a declaration after expansion: an option, a
// name alone, an assignment, or an array assignment left as syntax.
type declArg struct {
	field  string // an option or a name alone
	name   string // an assignment's name
	val    Word
	assign bool
	append bool
	as     *syntax.Assign // an array or element assignment, as written
}

// decl handles a declaration clause as written in the script.
func (w *walker) decl(c *syntax.DeclClause, st *state) {
	var args []declArg
	for _, as := range c.Args {
		switch {
		case as.Name == nil:
			for _, f := range w.fields([]*syntax.Word{as.Value}, st) {
				args = append(args, fieldArg(f))
			}
		case as.Array != nil || as.Index != nil:
			args = append(args, declArg{name: as.Name.Value, as: as})
		case as.Naked:
			args = append(args, declArg{field: as.Name.Value})
		default:
			for _, v := range w.assignValues(as.Value, st) {
				args = append(args, declArg{name: as.Name.Value, val: v, assign: true, append: as.Append})
			}
		}
	}
	w.declare(c.Variant.Value, args, st)
}

// declWords handles a declaration reached through a wrapper ("builtin
// declare X=1"), whose arguments are fields already.
func (w *walker) declWords(variant string, fields []Word, st *state) {
	args := make([]declArg, 0, len(fields))
	for _, f := range fields {
		args = append(args, fieldArg(f))
	}
	w.declare(variant, args, st)
}

// fieldArg reads an expanded field of a declaration.
func fieldArg(f Word) declArg {
	if k, v, ok := strings.Cut(f.Value, "="); ok && !strings.HasPrefix(f.Value, "-") && !strings.HasPrefix(f.Value, "+") {
		app := strings.HasSuffix(k, "+")
		k = strings.TrimSuffix(k, "+")
		if isName(k) {
			return declArg{name: k, val: Word{Value: v, Unknown: f.Unknown, Glob: f.Glob}, assign: true, append: app}
		}
		if i := strings.IndexByte(k, '['); i > 0 && isName(k[:i]) {
			// An element: its subscript is arithmetic or a word, and
			// the array's value is not followed.
			return declArg{name: k[:i], val: Word{Value: UnknownMark, Unknown: true}, assign: true}
		}
	}
	return declArg{field: f.Value}
}

// assignValues expands the value of an assignment argument of a
// declaration: brace expansion, then each word as an assignment's value.
func (w *walker) assignValues(word *syntax.Word, st *state) []Word {
	if word == nil {
		return []Word{{}}
	}
	if n := braceCount(word); n > 1 && n <= w.a.lim.MaxFields {
		cp := *word
		if syntax.SplitBraces(&cp) {
			var out []Word
			for _, bw := range expand.Braces(&cp) {
				out = append(out, w.word(joinLits(bw), st))
			}
			return out
		}
	}
	return []Word{w.word(word, st)}
}

// declare applies a declaration's arguments, in order, after all were
// expanded.
func (w *walker) declare(variant string, args []declArg, st *state) {
	var add, drop varAttr
	global, nameref, funcs := false, false, false
	switch variant {
	case "readonly":
		add |= attrReadonly
	case "export":
		add |= attrExport
	}
	options := true
	for _, a := range args {
		if options && a.field != "" && len(a.field) > 1 && (a.field[0] == '-' || a.field[0] == '+') {
			if a.field == "--" {
				options = false
				continue
			}
			on := a.field[0] == '-'
			for _, c := range a.field[1:] {
				var bit varAttr
				switch c {
				case 'l':
					bit = attrLower
				case 'u':
					bit = attrUpper
				case 'i':
					bit = attrInteger
				case 'r':
					bit = attrReadonly
				case 'x':
					bit = attrExport
				case 'g':
					global = on
				case 'n':
					nameref = on && variant != "export"
				case 'f', 'F':
					funcs = on
				}
				set := on
				if c == 'n' && variant == "export" {
					bit, set = attrExport, !on // export -n NAME: no longer exported
				}
				if set {
					add, drop = add|bit, drop&^bit
				} else {
					drop, add = drop|bit, add&^bit
				}
			}
			continue
		}
		options = false
		if funcs {
			// declare -f NAME, export -f NAME: functions, which -x
			// exports to a new bash.
			st.exportFunc(a.field+a.name, add&attrExport != 0, drop&attrExport != 0)
			continue
		}
		name := a.name
		if name == "" {
			name = a.field
		}
		if !isName(name) {
			continue
		}
		local := variant == "local" || (variant == "declare" || variant == "typeset") && !global && st.frame != nil
		if variant == "local" && st.frame == nil {
			continue // "local: can only be used in a function"
		}
		if st.attr(name)&attrReadonly != 0 {
			continue // "readonly variable": nothing changes
		}
		if local {
			st.saveLocal(name)
			// A local is a new variable: it takes none of the outer one's
			// attributes (declare -u v=up; f() { local v=loc; } keeps
			// loc as it is) but -x: a local of an exported variable is
			// exported.
			st.setAttr(name, 0, ^attrExport)
		}
		if !w.a.certain() {
			// Code that may not run exports a variable, or not: it
			// stays exported.
			drop &^= attrExport
		}
		st.setAttr(name, add&^attrReadonly, drop)
		switch {
		case a.as != nil:
			w.assign(a.as, st)
		case nameref && a.assign:
			// declare -n r=HOME: r reads another variable, whichever
			// it names when used.
			st.setVar(name, UnknownMark)
		case a.assign:
			w.setValue(name, a.val, a.append, st)
		case variant == "local":
			exp := st.attr(name) & attrExport
			st.unsetVar(name) // "local T" hides the outer T
			st.setAttr(name, exp, 0)
		}
		if add&attrReadonly != 0 {
			st.setAttr(name, attrReadonly, 0)
		}
	}
}

// setValue assigns v to name as an assignment does: appended with +=,
// evaluated as arithmetic for an integer variable, its case changed by
// -l/-u (setVar).
func (w *walker) setValue(name string, v Word, app bool, st *state) {
	val := v.Value
	if v.Unknown && !strings.Contains(val, UnknownMark) {
		val = UnknownMark
	}
	if st.attr(name)&attrInteger != 0 {
		if app {
			old, _ := st.lookup(name)
			val = old + "+(" + val + ")"
		}
		val = w.arithValue(val, st)
	} else if app {
		old, _ := st.lookup(name)
		val = old + val
	}
	st.setVar(name, val)
	if slices.Contains(promptVars, name) {
		w.promptString(name, val, st)
	}
}

// attr returns the attributes of a variable.
func (s *state) attr(name string) varAttr { return s.vars[name].attr }

// setAttr adds and drops attributes of a variable, which keeps its value.
func (s *state) setAttr(name string, add, drop varAttr) {
	if add == 0 && drop == 0 {
		return
	}
	s.own()
	if s.vars == nil {
		s.vars = map[string]shVar{}
	}
	v, ok := s.vars[name]
	if !ok {
		val, set := s.lookup(name)
		v = shVar{val: val, set: set}
		if s.imported(name) {
			v.attr = attrExport
		}
	}
	v.attr = v.attr&^drop | add
	if v.attr&attrLower != 0 && add&attrUpper != 0 {
		v.attr &^= attrLower // the last of -l and -u wins
	}
	if v.attr&attrUpper != 0 && add&attrLower != 0 {
		v.attr &^= attrUpper
	}
	s.vars[name] = v
}

// saveLocal makes name local to the function being run: its value now is
// restored when the function returns. A name already local stays as it is.
func (s *state) saveLocal(name string) {
	f := s.frame
	if f == nil {
		return
	}
	if _, ok := f.saved[name]; ok {
		return
	}
	if f.saved == nil {
		f.saved = map[string]savedVar{}
	}
	v, had := s.vars[name]
	f.saved[name] = savedVar{v: v, had: had}
}

// restoreLocals puts back what the locals of frame f hid.
func (s *state) restoreLocals(f *localFrame) {
	if f == nil || len(f.saved) == 0 {
		return
	}
	s.own()
	for name, sv := range f.saved {
		prev := s.logged(name)
		if sv.had {
			s.vars[name] = sv.v
		} else {
			delete(s.vars, name)
		}
		s.noteWrite(name, prev)
	}
}
