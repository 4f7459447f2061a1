package interceptor

import (
	"slices"
	"strings"
)

// Variables after code that may or may not run. The walker analyses both
// sides of "a && b || c", every branch of an if or a case it cannot
// decide, and a loop's body once per item, one after the other in the
// same state; what the last of them wrote is only one of the values the
// variable may have. So after such code a variable it wrote keeps its value
// only when every value written was the one it had before; otherwise it is
// unknown: "TOOL=echo; true && TOOL=rm || TOOL=echo; $TOOL" runs a command
// guard cannot name, never the echo the last branch wrote.

// varWrite is one write of a variable: the name and what it held before.
type varWrite struct {
	name string
	old  shVar // as lookup saw it
}

// noteWrite records that name was just written, having held old, while
// code that may not run is walked.
func (s *state) noteWrite(name string, old shVar) {
	if s.branches > 0 {
		s.wlog = append(s.wlog, varWrite{name: name, old: old})
	}
}

// branch starts walking code that may or may not run. The function it
// returns ends it: with merge, every variable written in between whose
// value may differ from the one before becomes unknown; without (the
// code was known to run), the writes stand.
func (s *state) branch() func(merge bool) {
	mark := len(s.wlog)
	s.branches++
	return func(merge bool) {
		s.branches--
		writes := s.wlog[mark:]
		if s.branches == 0 {
			s.wlog = s.wlog[:0]
		} else {
			s.wlog = s.wlog[:mark] // the merge below logs what the outer code needs
		}
		if !merge || len(writes) == 0 {
			if !merge && s.branches > 0 {
				s.wlog = append(s.wlog, writes...)
			}
			return
		}
		first := map[string]varWrite{}
		for _, wr := range writes {
			if _, ok := first[wr.name]; !ok {
				first[wr.name] = wr
			}
		}
		changed := map[string]bool{}
		for name, wr := range first {
			// The value each write replaced is one the variable may end
			// with; so is the last one. A variable unset before that is
			// given one value keeps it ("[ -n "$X" ] || X=default").
			vals := []shVar{s.current(name)}
			for _, w := range writes {
				if w.name == name && !slices.ContainsFunc(vals, func(v shVar) bool { return sameVal(v, w.old) }) {
					vals = append(vals, w.old)
				}
			}
			switch {
			case len(vals) == 1:
			case len(vals) == 2 && !wr.old.set && vals[0].set:
			default:
				changed[name] = true
			}
		}
		for name := range changed {
			s.own()
			old := s.vars[name]
			prev := s.current(name)
			var alts []string
			for _, wr := range writes {
				if wr.name == name && wr.old.set {
					alts = s.addAlt(alts, name, wr.old.val)
				}
			}
			if prev.set {
				alts = s.addAlt(alts, name, prev.val)
			}
			s.vars[name] = shVar{val: UnknownMark, set: true, attr: old.attr &^ (attrLower | attrUpper)}
			if s.alts == nil {
				s.alts = map[string][]string{}
			}
			s.alts[name] = alts
			s.noteWrite(name, prev)
		}
	}
}

// sameVal reports whether two values of a variable are the same.
func sameVal(a, b shVar) bool { return a.val == b.val && a.set == b.set }

// current returns the value of name as lookup sees it.
func (s *state) current(name string) shVar {
	v, set := s.lookup(name)
	return shVar{val: v, set: set}
}

// maxAlts bounds the values kept for one variable.
const maxAlts = 8

// addAlt adds v, one value name may have, to alts; an unknown value adds
// the values kept for it.
func (s *state) addAlt(alts []string, name, v string) []string {
	vals := []string{v}
	if strings.Contains(v, UnknownMark) {
		vals = s.alts[name]
	}
	for _, x := range vals {
		if len(alts) < maxAlts && !slices.Contains(alts, x) {
			alts = append(alts, x)
		}
	}
	return alts
}

// values returns the values a variable may have: its value, or the ones
// kept for it after code that may not have run.
func (s *state) values(name string) []string {
	v, set := s.lookup(name)
	if !set {
		return nil
	}
	if alts, ok := s.alts[name]; ok && strings.Contains(v, UnknownMark) {
		return alts
	}
	return []string{v}
}

// compactLog keeps, of the writes logged since mark, the first of each
// variable: code that runs through (a sourced file) as one write of its
// result.
func (s *state) compactLog(mark int) {
	if mark >= len(s.wlog) {
		return
	}
	seen := map[string]bool{}
	kept := s.wlog[:mark]
	for _, wr := range s.wlog[mark:] {
		if !seen[wr.name] {
			seen[wr.name] = true
			kept = append(kept, wr)
		}
	}
	s.wlog = kept
}
