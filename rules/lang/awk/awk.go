// Package awk finds the shell commands an awk program runs; it knows
// nothing of rules. awk runs shell commands from its program:
// system("cmd"), print ... | "cmd", "cmd" | getline, and gawk's |&
// coprocesses. The program given on the command line is scanned for them
// (skipping its strings and regular expressions); each command is either
// literal or computed at run time. A program read from a file (-f) is not
// read.
package awk

import (
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Names returns the names of the awk implementations read.
func Names() []string { return []string{"awk", "gawk", "mawk", "nawk", "busybox-awk"} }

// Program returns the program operand: the first operand after the
// options, unless -f (or gawk's -E) names a program file.
func Program(args []interceptor.Word) (interceptor.Word, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			if i+1 < len(args) {
				return args[i+1], true
			}
			return interceptor.Word{}, false
		case v == "-f" || v == "-E" || v == "--file" || v == "--exec" || strings.HasPrefix(v, "--file="):
			return interceptor.Word{}, false
		case v == "-e" || v == "--source":
			if i+1 < len(args) {
				return args[i+1], true
			}
			return interceptor.Word{}, false
		case v == "-F" || v == "-v" || v == "-i" || v == "-l" || v == "--field-separator" || v == "--assign" || v == "--include" || v == "--load":
			i++
		case len(v) > 1 && v[0] == '-':
			// -F, -v with the value attached, and flags.
		default:
			return args[i], true
		}
	}
	return interceptor.Word{}, false
}

// Command is one shell command an awk program runs.
type Command struct {
	// How is how awk runs it: "system()", "| command", "command | getline".
	How string
	// Text is the command, or the expression that computes it.
	Text string
	// Known is false when the command is computed at run time.
	Known bool
}

// Commands finds the shell commands in an awk program.
func Commands(prog string) []Command {
	type tok struct {
		kind byte // 's' string, 'r' regex, 'i' identifier, 'o' operator
		text string
	}
	var toks []tok
	regexOK := true // a "/" here starts a regular expression
	for i := 0; i < len(prog); {
		c := prog[i]
		switch {
		case c == '"':
			var b strings.Builder
			j := i + 1
			for j < len(prog) && prog[j] != '"' {
				if prog[j] == '\\' && j+1 < len(prog) {
					j++
					switch prog[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(prog[j])
					}
				} else {
					b.WriteByte(prog[j])
				}
				j++
			}
			toks = append(toks, tok{'s', b.String()})
			i = j + 1
			regexOK = false
		case c == '/' && regexOK:
			j := i + 1
			for j < len(prog) && prog[j] != '/' && prog[j] != '\n' {
				if prog[j] == '\\' {
					j++
				}
				j++
			}
			toks = append(toks, tok{'r', ""})
			i = j + 1
			regexOK = false
		case c == '#':
			for i < len(prog) && prog[i] != '\n' {
				i++
			}
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '$':
			j := i
			for j < len(prog) && (prog[j] == '_' || prog[j] >= 'a' && prog[j] <= 'z' || prog[j] >= 'A' && prog[j] <= 'Z' || prog[j] >= '0' && prog[j] <= '9' || prog[j] == '.' || prog[j] == '$') {
				j++
			}
			toks = append(toks, tok{'i', prog[i:j]})
			i = j
			regexOK = false
		case c == ' ' || c == '\t' || c == '\r' || c == '\\':
			i++
		default:
			op := string(c)
			if i+1 < len(prog) && (c == '|' && (prog[i+1] == '|' || prog[i+1] == '&') || c == '&' && prog[i+1] == '&') {
				op = prog[i : i+2]
			}
			toks = append(toks, tok{'o', op})
			i += len(op)
			regexOK = c != ')' && c != ']'
		}
	}
	var out []Command
	// arg returns the command given by the tokens from k: known when it is
	// one string literal ended by ")" or the end of a statement.
	arg := func(k int, how string) Command {
		if k < len(toks) && toks[k].kind == 's' && (k+1 == len(toks) || toks[k+1].kind == 'o' && strings.Contains(");}\n,", toks[k+1].text)) {
			return Command{How: how, Text: toks[k].text, Known: true}
		}
		var parts []string
		depth := 0
		for j := k; j < len(toks) && len(parts) < 8; j++ {
			t := toks[j]
			if t.kind == 'o' && (strings.Contains(";}\n", t.text) || t.text == ")" && depth == 0) {
				break
			}
			switch {
			case t.text == "(":
				depth++
			case t.text == ")":
				depth--
			}
			if t.kind == 's' {
				parts = append(parts, strconv.Quote(t.text))
			} else {
				parts = append(parts, t.text)
			}
		}
		return Command{How: how, Text: strings.Join(parts, " ")}
	}
	for k, t := range toks {
		switch {
		case t.kind == 'i' && t.text == "system" && k+1 < len(toks) && toks[k+1].text == "(":
			out = append(out, arg(k+2, "system()"))
		case t.kind == 'o' && (t.text == "|" || t.text == "|&"):
			if k+1 < len(toks) && toks[k+1].kind == 'i' && toks[k+1].text == "getline" {
				// "cmd" | getline: the command is what comes before.
				if k > 0 && toks[k-1].kind == 's' {
					out = append(out, Command{How: "command | getline", Text: toks[k-1].text, Known: true})
				} else if k > 0 {
					out = append(out, Command{How: "command | getline", Text: toks[k-1].text})
				}
				continue
			}
			out = append(out, arg(k+1, "| command"))
		}
	}
	return out
}
