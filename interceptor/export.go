package interceptor

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// What a new shell sees of the one that starts it, as bash runs it.
//
//   - A new process gets the environment: the variables that are exported.
//     A variable bash imported from its own environment is exported, and
//     stays so when assigned ("X=rm; bash -c '$X'" runs rm when X was in
//     the environment), until it is unset; one the script assigns is
//     exported by export, declare -x, local -x, or "set -a" being on when
//     it is assigned. Anything else, and every function but those of
//     "export -f", stays behind ("X=rm; bash -c '$X'" runs nothing when X
//     was not in the environment). Every attribute but -x stays behind too.
//   - When the environment is not known exactly (guard check, hooks), a
//     variable the script assigned without exporting it that is not in
//     the known environment may still have come from the real one, which
//     would export it: to the new shell its value is unknown. With the
//     exact environment (guard -c) it is unset there.
//   - "env -i" starts the program with no environment but what env is
//     given: nothing of the script's or the context's variables reaches it.
//   - A command's prefix assignments ("X=rm f", "X=rm eval …", "X=rm .
//     file") hold, exported, while a function, eval or a sourced file runs,
//     and the variables get their old values back afterwards.

// exportMode is whether "set -a" is on.
type exportMode uint8

const (
	exportOff exportMode = iota
	exportOn
	exportMaybe // code that may not have run turned it on
)

// attr is the attribute a variable assigned in mode m gets.
func (m exportMode) attr() varAttr {
	switch m {
	case exportOn:
		return attrExport
	case exportMaybe:
		return attrMaybeExport
	}
	return 0
}

// imported reports whether name is a variable bash took from the
// environment it was started with, known to guard: such a variable is
// exported.
func (s *state) imported(name string) bool {
	if s.remote != "" || s.cleared || s.ctx == nil {
		return false
	}
	_, ok := s.ctx.Env[name]
	return ok
}

// setAllexport handles the options of set that turn allexport on or off:
// -a, +a, clusters holding a, and -o/+o allexport. An option that cannot be
// known may turn it on.
func (s *state) setAllexport(args []Word, certain bool) {
	turn := func(on bool) {
		switch {
		case on && certain:
			s.allexport = exportOn
		case on:
			if s.allexport == exportOff {
				s.allexport = exportMaybe
			}
		case certain:
			s.allexport = exportOff
		}
		// "set +a" in code that may not run leaves it as it was.
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a.Unknown:
			turn(true)
		case a.Value == "--" || a.Value == "-" || !strings.HasPrefix(a.Value, "-") && !strings.HasPrefix(a.Value, "+"):
			return // the positional parameters follow
		case a.Value == "-o" || a.Value == "+o":
			if i+1 < len(args) {
				i++
				if args[i].Unknown {
					turn(true)
				} else if args[i].Value == "allexport" {
					turn(a.Value == "-o")
				}
			}
		case strings.ContainsRune(a.Value[1:], 'a'):
			turn(a.Value[0] == '-')
		}
	}
}

// exportFunc marks the function name exported (export -f) or no longer
// exported (export -fn).
func (s *state) exportFunc(name string, add, drop bool) {
	if !isName(name) || !add && !drop {
		return
	}
	s.own()
	if s.expFuncs == nil {
		s.expFuncs = map[string]bool{}
	}
	if add {
		s.expFuncs[name] = true
	} else {
		delete(s.expFuncs, name)
	}
}

// newProcess turns n, a copy of the state of a shell, into the state of
// the new shell it starts, as far as its environment goes: the exported
// variables with their values and nothing else, only the exported
// functions, and with clear ("env -i") none of either.
func (n *state) newProcess(clear bool) {
	n.own()
	exact := (n.ctx.EnvExact || n.cleared) && !n.loose
	vars := make(map[string]shVar, len(n.vars))
	for name, v := range n.vars {
		if clear || !isName(name) || name == "IFS" {
			continue // bash sets IFS and its flags itself
		}
		switch {
		case !v.set:
			vars[name] = shVar{} // unset: in no environment
		case v.attr&attrExport != 0:
			vars[name] = shVar{val: v.val, set: true, attr: attrExport}
		case v.attr&attrMaybeExport != 0 || n.remote != "" || !exact && !n.imported(name):
			// It may be exported: from the real environment, which
			// guard does not know whole, or by set -a.
			vars[name] = shVar{val: UnknownMark, set: true, attr: attrExport}
		case !shellSets(name):
			vars[name] = shVar{} // not exported: the new shell has none
		}
	}
	n.vars = vars
	if clear {
		n.cleared = true
	}
	funcs, lazy := n.funcs, n.lazy
	n.funcs, n.lazy = nil, nil
	for name := range n.expFuncs {
		if clear {
			break
		}
		if body, ok := funcs[name]; ok {
			if body != nil { // nil: unset -f hid a cached function
				if n.funcs == nil {
					n.funcs = map[string]*syntax.Stmt{}
				}
				n.funcs[name] = body
			}
			continue
		}
		if text, ok := lazy[name]; ok {
			if n.lazy == nil {
				n.lazy = map[string]string{}
			}
			n.lazy[name] = text
		}
	}
	if clear {
		n.expFuncs = nil
	}
	n.allexport = exportOff
	n.alts = nil
}

// tempAssigns gives the prefix assignments of inv to st while a function,
// eval or a sourced file runs, exported, and returns the function that puts
// the old values back.
func (st *state) tempAssigns(inv Invocation) func() {
	if len(inv.Assigns) == 0 {
		return func() {}
	}
	f := &localFrame{}
	saved := st.frame
	st.frame = f
	for _, k := range sortedKeys(inv.Assigns) {
		st.saveLocal(k)
		st.setVar(k, inv.Assigns[k])
		st.setAttr(k, attrExport, 0)
	}
	st.frame = saved
	return func() { st.restoreLocals(f) }
}

// newShell returns the state of the shell inv starts, reached through
// link: a copy of st with the environment a new process gets (newProcess),
// in none of st's functions, in inv's directory, with what env unsets and
// the assignments given to it, which are exported there.
func (st *state) newShell(link string, inv Invocation) *state {
	n := st.nested(link)
	n.newProcess(inv.ClearEnv)
	for _, wr := range inv.Wrappers {
		switch wr {
		case "sudo", "doas", "pkexec", "runuser", "su", "setpriv", "run0":
			n.otherUser()
		}
	}
	n.calling = nil
	n.cwd = inv.Cwd
	for _, k := range inv.Unsets {
		n.unsetVar(k)
	}
	for _, k := range sortedKeys(inv.Assigns) {
		n.setVar(k, inv.Assigns[k])
		n.setAttr(k, attrExport, 0)
	}
	return n
}

// otherUser marks the state as running as another user: whoami and id
// are not the context's user, and $USER and $LOGNAME (which sudo and su
// set) are not known.
func (s *state) otherUser() {
	s.asOther = true
	s.setVar("USER", UnknownMark)
	s.setVar("LOGNAME", UnknownMark)
}
