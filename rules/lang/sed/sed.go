// Package sed finds the shell commands a sed script runs; it knows nothing
// of rules. GNU sed runs shell commands from its script: "e COMMAND" runs
// COMMAND, and "e" alone or the e flag of "s///e" run the pattern space.
// The script given on the command line is scanned command by command
// (addresses, s and y with their delimiters, text and file names to the
// end of the line). A script read from a file (-f) is not read.
package sed

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Names returns the names of the sed implementations read.
func Names() []string { return []string{"sed", "gsed"} }

// Scripts returns the scripts of a sed command line: those of -e and
// --expression, else the first operand. A script file (-f) gives none.
func Scripts(args []interceptor.Word) []interceptor.Word {
	var scripts []interceptor.Word
	file := false
	var operands []interceptor.Word
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case v == "-e" || v == "--expression":
			if i+1 < len(args) {
				scripts = append(scripts, args[i+1])
				i++
			}
		case strings.HasPrefix(v, "--expression="):
			scripts = append(scripts, interceptor.Word{Value: v[len("--expression="):], Unknown: args[i].Unknown})
		case v == "-f" || v == "--file" || strings.HasPrefix(v, "--file="):
			file = true
			if v != "--file=" && !strings.HasPrefix(v, "--file=") {
				i++
			}
		case v == "-l" || v == "--line-length":
			i++
		case strings.HasPrefix(v, "-") && len(v) > 1:
			// Flags (-n, -E, -i[SUFFIX], -s, -z, --in-place=…, …); a
			// cluster may end in e or f with its value.
			if !strings.HasPrefix(v, "--") && !strings.HasPrefix(v, "-i") {
				if k := strings.IndexAny(v[1:], "ef"); k >= 0 {
					val := v[k+2:]
					if val == "" && i+1 < len(args) {
						i++
						val = args[i].Value
					}
					if v[k+1] == 'e' {
						scripts = append(scripts, interceptor.Word{Value: val, Unknown: args[i].Unknown})
					} else {
						file = true
					}
				}
			}
		default:
			operands = append(operands, args[i])
		}
	}
	if len(scripts) == 0 && !file && len(operands) > 0 {
		scripts = append(scripts, operands[0])
	}
	return scripts
}

// Commands returns the shell commands of a sed script given to "e
// COMMAND", and whether it runs its pattern space as a command ("e" alone,
// s///e).
func Commands(script string) (cmds []string, patternSpace bool) {
	i, n := 0, len(script)
	// toEOL returns the rest of the line from j and moves past it.
	toEOL := func(j int) string {
		k := strings.IndexByte(script[j:], '\n')
		if k < 0 {
			i = n
			return script[j:]
		}
		i = j + k + 1
		return script[j : j+k]
	}
	// delimited moves past text ended by an unescaped d from j.
	delimited := func(j int, d byte) int {
		for j < n && script[j] != d {
			if script[j] == '\\' {
				j++
			}
			j++
		}
		return j + 1
	}
	address := func() {
		switch {
		case i < n && script[i] >= '0' && script[i] <= '9':
			for i < n && (script[i] >= '0' && script[i] <= '9' || script[i] == '~') {
				i++
			}
		case i < n && script[i] == '$':
			i++
		case i < n && script[i] == '/':
			i = delimited(i+1, '/')
		case i+1 < n && script[i] == '\\':
			i = delimited(i+2, script[i+1])
		default:
			return
		}
		for i < n && (script[i] == 'I' || script[i] == 'M') {
			i++
		}
	}
	for i < n {
		c := script[i]
		if c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '{' || c == '}' {
			i++
			continue
		}
		address()
		if i < n && script[i] == ',' {
			i++
			if i < n && (script[i] == '+' || script[i] == '~') {
				i++
			}
			address()
		}
		for i < n && (script[i] == ' ' || script[i] == '!') {
			i++
		}
		if i >= n {
			break
		}
		cmd := script[i]
		i++
		switch cmd {
		case 'e':
			if c := strings.TrimSpace(toEOL(i)); c != "" {
				cmds = append(cmds, c)
			} else {
				patternSpace = true
			}
		case 's', 'y':
			if i >= n {
				return cmds, patternSpace
			}
			d := script[i]
			i = delimited(i+1, d)
			i = delimited(i, d)
			if cmd == 'y' {
				continue
			}
			for i < n && script[i] != ';' && script[i] != '\n' && script[i] != '}' {
				switch script[i] {
				case 'e':
					patternSpace = true
				case 'w':
					toEOL(i + 1)
					continue
				}
				i++
			}
		case 'a', 'i', 'c', 'r', 'R', 'w', 'W', '#', ':':
			toEOL(i)
		case 'b', 't', 'T':
			for i < n && script[i] != ';' && script[i] != '\n' {
				i++
			}
		}
	}
	return cmds, patternSpace
}
