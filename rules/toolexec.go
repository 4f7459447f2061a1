package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// This file holds what the packs for outside tools written one family to a
// file (secrets, backup, messaging, objstore, forge, dbaas, hosting,
// volumes, saas) share: judging the command a tool may run from its
// operands.
//
// The interceptor follows the operands of a program it has no table for
// as a command that program may run ("X run CMD", "X … -- CMD"), and the
// engine leaves those commands to a pack that names the program (see
// Engine.evaluate), since such a pack knows what its operands are. These
// packs name tools that are not launchers, so each hands such a command
// back to every pack through Call.Shell: registering a tool never lets
// "tool -- rm -rf ~" through.

// toolLaunched analyses, as a command of its own, what the invocation may
// run from its operands: the words after "--", or after a leading "run" or
// "exec" and the options that follow it. It does nothing for commands that
// are themselves such operands.
func toolLaunched(c *Call) {
	if c.Inv.Launched != "" {
		return
	}
	cmd, how := interceptor.LaunchedOperands(c.Inv.Args)
	if len(cmd) == 0 || cmd[0].Unknown || strings.HasPrefix(cmd[0].Value, "-") {
		return
	}
	var b strings.Builder
	for i, w := range cmd {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(toolQuote(w))
	}
	c.Shell(b.String(), c.Inv.Name+" "+how)
}

// toolQuote quotes an expanded word for the shell: its text stays literal
// (the parts that cannot be known keep interceptor.UnknownMark, which the
// analysis reads as unknown again), except a glob's pattern characters,
// which stay patterns.
func toolQuote(w interceptor.Word) string {
	if w.Value == "" {
		return "''"
	}
	var b, lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			b.WriteString(toolQuoteLit(lit.String()))
			lit.Reset()
		}
	}
	v := w.Value
	for len(v) > 0 {
		switch {
		case w.Glob && strings.ContainsRune("*?[]", rune(v[0])):
			flush()
			b.WriteByte(v[0])
		default:
			lit.WriteByte(v[0])
		}
		v = v[1:]
	}
	flush()
	return b.String()
}

// toolQuoteLit quotes literal text for the shell, leaving words that need
// no quotes ("rm", "-rf", "/home/u/x") as they are so that they read well
// in reasons.
func toolQuoteLit(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_@%+=:,./-", c) >= 0) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
