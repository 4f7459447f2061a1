package main

import (
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// shellStartup says how the real shell starts for bash's arguments args
// and the name guard runs under: whether it is a login shell that reads
// its profile files before the command (-l, --login, a name starting with
// "-", and no --noprofile), whether in POSIX mode, and its $-, which
// startup files test. Flags is "" when guard cannot be sure of $-: an
// interactive shell, an option it does not know.
func shellStartup(argv0 string, args []string) interceptor.Startup {
	base := filepath.Base(argv0)
	login := strings.HasPrefix(base, "-")
	posix := strings.TrimPrefix(base, "-") == "sh"
	noProfile, cmd, stdin, known := false, false, false, true
	on := map[byte]bool{'h': true, 'B': true}
	setOption := func(name string, set bool) {
		if c, ok := dollarHyphenLetter(name); ok {
			on[c] = set
			return
		}
		switch name {
		case "posix":
			posix = posix || set
		case "pipefail", "vi", "emacs", "ignoreeof", "nolog", "interactive-comments", "history":
		default:
			known = false
		}
	}
	i := 0
loop:
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--" || a == "-":
			i++
			break loop
		case strings.HasPrefix(a, "--"):
			switch a {
			case "--login":
				login = true
			case "--noprofile":
				noProfile = true
			case "--posix":
				posix = true
			case "--verbose":
				on['v'] = true
			case "--restricted":
				on['r'] = true
			case "--rcfile", "--init-file":
				i++
			case "--norc", "--noediting":
			default:
				known = false
			}
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			set := a[0] == '-'
			for j := 1; j < len(a); j++ {
				switch c := a[j]; {
				case c == 'c':
					cmd = true
				case c == 's':
					stdin = true
				case c == 'l' && set:
					login = true
				case c == 'o' || c == 'O':
					i++
					if c == 'o' && i < len(args) {
						setOption(args[i], set)
					}
				case c == 'i' || c == 'm':
					known = false // an interactive shell's $- holds more
				case strings.IndexByte(dollarHyphenOrder, c) >= 0:
					on[c] = set
				default:
					known = false
				}
			}
		default:
			break loop
		}
	}
	st := interceptor.Startup{Login: login && !noProfile, Posix: posix}
	if !known {
		return st
	}
	var b strings.Builder
	for k := 0; k < len(dollarHyphenOrder); k++ {
		if on[dollarHyphenOrder[k]] {
			b.WriteByte(dollarHyphenOrder[k])
		}
	}
	switch {
	case cmd:
		b.WriteByte('c')
	case stdin || i >= len(args):
		b.WriteByte('s')
	}
	st.Flags = b.String()
	return st
}

// dollarHyphenOrder is the order in which bash lists its single-letter
// options in $-.
const dollarHyphenOrder = "abefhikmnprtuvxBCEHPT"

// dollarHyphenLetter returns the letter in $- of a set -o option that has
// one.
func dollarHyphenLetter(name string) (byte, bool) {
	for _, o := range [...]struct {
		name   string
		letter byte
	}{
		{"allexport", 'a'}, {"notify", 'b'}, {"errexit", 'e'}, {"noglob", 'f'}, {"hashall", 'h'},
		{"keyword", 'k'}, {"monitor", 'm'}, {"noexec", 'n'}, {"privileged", 'p'}, {"onecmd", 't'},
		{"nounset", 'u'}, {"verbose", 'v'}, {"xtrace", 'x'}, {"braceexpand", 'B'}, {"noclobber", 'C'},
		{"errtrace", 'E'}, {"histexpand", 'H'}, {"physical", 'P'}, {"functrace", 'T'},
	} {
		if o.name == name {
			return o.letter, true
		}
	}
	return 0, false
}
