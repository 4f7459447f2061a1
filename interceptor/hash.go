package interceptor

import "strings"

// bash's hash table. "hash -p PATH NAME" (and BASH_CMDS[NAME]=PATH) makes
// NAME run PATH without a PATH search, so "hash -p /bin/rm wipe; wipe -rf
// /" is rm; "hash -d NAME" forgets one name and "hash -r" all of them.
// Functions and builtins still come first, and only bash itself looks in
// the table: a program run by sudo or env searches PATH.

// hash applies the hash builtin's arguments to st.
func (s *state) hash(args []Word) {
	opts, names := getoptArgs(args, "p", nil, false)
	var path *Word
	forget := false
	for _, o := range opts {
		switch o.name {
		case "-r":
			s.own()
			s.hashed = nil
		case "-p":
			p := o.val
			path = &p
		case "-d":
			forget = true
		}
	}
	for _, n := range names {
		switch {
		case path != nil:
			s.remember(n.Value, *path)
		case forget:
			s.own()
			delete(s.hashed, n.Value)
		}
	}
}

// remember binds name to path in the hash table. A name that is not known
// makes every name unknown: any of them may now run path.
func (s *state) remember(name string, path Word) {
	s.own()
	if s.hashed == nil {
		s.hashed = map[string]string{}
	}
	v := path.Value
	if path.Unknown {
		v = UnknownMark
	}
	if isUnknownName(name) {
		s.hashed[hashAny] = v
		return
	}
	s.hashed[name] = v
}

// hashAny is the key for a binding whose name is not known.
const hashAny = UnknownMark

func isUnknownName(name string) bool { return strings.Contains(name, UnknownMark) }

// hashedPath returns the program bash runs for name from its hash table,
// if it holds one; before are the programs already run on the way (a
// wrapper other than a builtin searches PATH itself).
func (s *state) hashedPath(name string, before []Exec) (Word, bool) {
	if len(s.hashed) == 0 || bashBuiltin(name) {
		return Word{}, false
	}
	if strings.Contains(name, "/") {
		return Word{}, false
	}
	for _, e := range before {
		if !e.Builtin {
			return Word{}, false
		}
	}
	p, ok := s.hashed[name]
	if !ok {
		p, ok = s.hashed[hashAny]
	}
	if !ok || p == name {
		return Word{}, false
	}
	if isUnknownName(p) {
		return Word{Value: UnknownMark, Unknown: true}, true
	}
	return Word{Value: p}, true
}
