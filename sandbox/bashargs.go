package sandbox

import (
	"fmt"
	"strings"
)

// BashArgs is a bash command line as guard understands it in shell mode.
// Only what guard needs is interpreted; the arguments themselves are handed
// to the real shell unchanged.
type BashArgs struct {
	// Command is set with -c: the command string.
	Command    string
	HasCommand bool
	// Operands after the options. With -c they become $0, $1, ...; without,
	// the first is a script file and the rest its arguments.
	Operands []string
	// Stdin is set when bash would read its script from standard input
	// (-s, or no command and no script file).
	Stdin bool
	// Interactive is set by -i.
	Interactive bool
	// Version is set by --version; Help by --help.
	Version, Help bool
	// Seen are the options in the order given, for what decides how the
	// shell starts (shellStartup: login, POSIX mode, $-).
	Seen []BashOption
}

// BashOption is one option of a bash command line: a letter of a cluster
// after - (Set) or + (not Set), with its value for -o/+o/-O/+O; or a long
// option in Name ("--login").
type BashOption struct {
	Letter byte
	Name   string
	Set    bool
}

// ParseBashArgs parses args as bash would: options first (clusters of
// single letters after - or +, -o/+o/-O/+O with a value, long options),
// then operands. It returns an error only for what bash itself rejects.
func ParseBashArgs(args []string) (BashArgs, error) {
	var b BashArgs
	cmd, stdin := false, false
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
			case "--rcfile", "--init-file":
				if i+1 >= len(args) {
					return b, fmt.Errorf("%s: option requires an argument", a)
				}
				i++
			case "--version":
				b.Version = true
				b.Seen = append(b.Seen, BashOption{Name: a})
			case "--help":
				b.Help = true
				b.Seen = append(b.Seen, BashOption{Name: a})
			case "--login", "--norc", "--noprofile", "--posix", "--restricted", "--verbose",
				"--noediting", "--debugger", "--dump-strings", "--dump-po-strings", "--protected", "--wordexp":
				b.Seen = append(b.Seen, BashOption{Name: a})
			default:
				return b, fmt.Errorf("%s: invalid option", a)
			}
		case len(a) > 1 && (a[0] == '-' || a[0] == '+'):
			for j := 1; j < len(a); j++ {
				o := BashOption{Letter: a[j], Set: a[0] == '-'}
				switch a[j] {
				case 'c':
					cmd = true
				case 's':
					stdin = true
				case 'i':
					b.Interactive = true
				case 'o', 'O':
					// The value is the next argument; bash also accepts
					// "-o" alone to list options, which needs no value.
					if i+1 < len(args) {
						i++
						o.Name = args[i]
					}
				}
				b.Seen = append(b.Seen, o)
			}
		default:
			break loop
		}
	}
	b.Operands = args[min(i, len(args)):]
	switch {
	case cmd:
		if len(b.Operands) == 0 {
			return b, fmt.Errorf("-c: option requires an argument")
		}
		b.HasCommand = true
		b.Command = b.Operands[0]
		b.Operands = b.Operands[1:]
	case stdin || len(b.Operands) == 0:
		b.Stdin = true
	}
	return b, nil
}

// positional returns $0, $1, ... for a -c command: the operands after the
// string, or the shell's name when there are none.
func (b BashArgs) positional(shellName string) []string {
	if len(b.Operands) == 0 {
		return []string{shellName}
	}
	return b.Operands
}
