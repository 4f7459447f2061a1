package interceptor

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/expand"
)

// Octal escapes as bash's printf and echo read them. mvdan.cc/sh's
// expand.Format reads "\NNN" as three digits clamped to 0xff and "\0NNN"
// as "\0NN" followed by a digit; bash keeps the low eight bits of the
// value, so printf '\562\555' prints "rm". The escapes are rewritten to
// "\xHH" before the expander sees them.

// escapeMode says which octal escapes a string understands.
type escapeMode int

const (
	// escFormat is printf's format string: \N, \NN, \NNN.
	escFormat escapeMode = iota
	// escB is a %b argument: \0NNN and \NNN.
	escB
	// escEcho is echo -e: \0NNN only; "\1" is a backslash and a digit.
	escEcho
)

// bashOctal rewrites the octal escapes of s read in mode as the "\xHH" of
// the byte bash makes of them.
func bashOctal(s string, mode escapeMode) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		c := s[i+1]
		if c < '0' || c > '7' {
			b.WriteByte('\\')
			b.WriteByte(c)
			i++
			continue
		}
		j := i + 1
		if mode != escFormat && c == '0' {
			j++ // \0 leads up to three digits more
		} else if mode == escEcho {
			b.WriteString(`\\`) // not an escape for echo
			continue
		}
		n, k := 0, 0
		for ; k < 3 && j+k < len(s) && s[j+k] >= '0' && s[j+k] <= '7'; k++ {
			n = n*8 + int(s[j+k]-'0')
		}
		fmt.Fprintf(&b, `\x%02x`, n&0xff)
		i = j + k - 1
	}
	return b.String()
}

// bashPrintf formats one pass of printf's format over args as bash does,
// returning the output and how many arguments it consumed.
func bashPrintf(format string, args []string) (string, int, error) {
	convs := formatConversions(format)
	if len(convs) > 0 {
		args = append([]string(nil), args...)
		for k := range args {
			if k < len(convs) && convs[k] == 'b' {
				args[k] = bashOctal(args[k], escB)
			}
		}
	}
	return expand.Format(nil, bashOctal(format, escFormat), args)
}

// formatConversions lists the conversion characters of a printf format,
// one per argument it consumes.
func formatConversions(format string) []byte {
	var out []byte
	for i := 0; i < len(format); i++ {
		if format[i] == '\\' {
			i++
			continue
		}
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("#-+ 0123456789.", format[j]) >= 0 {
			j++
		}
		if j < len(format) && format[j] != '%' {
			out = append(out, format[j])
		}
		i = j
	}
	return out
}
