package sandbox

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
	ba, err := ParseBashArgs(args)
	known := err == nil
	noProfile := false
	on := map[byte]bool{'h': true, 'B': true}
	for _, o := range ba.Seen {
		switch {
		case o.Name == "--login":
			login = true
		case o.Name == "--noprofile":
			noProfile = true
		case o.Name == "--posix":
			posix = true
		case o.Name == "--verbose":
			on['v'] = true
		case o.Name == "--restricted":
			on['r'] = true
		case o.Name == "--rcfile", o.Name == "--init-file", o.Name == "--norc", o.Name == "--noediting":
		case o.Letter == 0:
			known = false // a long option whose effect on $- guard does not know
		case o.Letter == 'c' || o.Letter == 's' || o.Letter == 'O':
		case o.Letter == 'l':
			login = login || o.Set
		case o.Letter == 'o':
			if c, ok := dollarHyphenLetter(o.Name); ok {
				on[c] = o.Set
				continue
			}
			switch o.Name {
			case "posix":
				posix = posix || o.Set
			case "pipefail", "vi", "emacs", "ignoreeof", "nolog", "interactive-comments", "history":
			default:
				known = false
			}
		case o.Letter == 'i' || o.Letter == 'm':
			known = false // an interactive shell's $- holds more
		case strings.IndexByte(dollarHyphenOrder, o.Letter) >= 0:
			on[o.Letter] = o.Set
		default:
			known = false
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
	case ba.HasCommand:
		b.WriteByte('c')
	case ba.Stdin:
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
