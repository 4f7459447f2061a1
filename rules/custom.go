package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// CustomRule is a rule a config file defines ([[rule]]): invocations whose
// argv starts with Match get Decision.
//
// Match is compared with the invocation as it runs, after analysis: the
// resolved command name (quotes removed, "/usr/bin/gh" -> "gh", wrappers
// such as sudo, env and timeout peeled off), then its arguments after
// expansion. Match[0] lists the names that may start it, Match[i] the
// alternatives for argument i. Strings match exactly: there are no globs,
// and options are not skipped ("gh pr merge" does not match
// "gh --repo x pr merge"). An argument that cannot be known before the
// command runs ("gh pr $ACTION") matches when its known parts fit an
// alternative, and the reason says so. Because the rules form a pack, they
// apply wherever the invocation is found: through sudo, in bash -c, eval,
// ssh, find -exec, xargs, functions.
type CustomRule struct {
	// ID is "custom.name".
	ID string
	// Match is the argv prefix: one list of alternatives per position.
	Match [][]string
	// Decision is the rule's decision.
	Decision Decision
	// Reason says what the command does, for the human who must approve.
	Reason string
}

// MatchString renders Match as TOML: ["gh", "pr", ["merge", "close"]].
func (r CustomRule) MatchString() string {
	parts := make([]string, len(r.Match))
	for i, alts := range r.Match {
		if len(alts) == 1 {
			parts[i] = tomlQuote(alts[0])
			continue
		}
		qs := make([]string, len(alts))
		for j, a := range alts {
			qs[j] = tomlQuote(a)
		}
		parts[i] = "[" + strings.Join(qs, ", ") + "]"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// CustomPack returns the pack "custom" of the policy's custom rules. It
// examines only the command names the rules start with.
func CustomPack(rules []CustomRule) *Pack {
	rs := append([]CustomRule(nil), rules...)
	p := &Pack{Name: "custom", Commands: []string{}}
	seen := map[string]bool{}
	for _, r := range rs {
		summary := r.Reason
		if summary == "" {
			summary = "runs " + r.MatchString()
		}
		p.Rules = append(p.Rules, Rule{ID: r.ID, Default: r.Decision, Summary: summary})
		if len(r.Match) == 0 {
			continue
		}
		for _, name := range r.Match[0] {
			if !seen[name] {
				seen[name] = true
				p.Commands = append(p.Commands, name)
			}
		}
	}
	p.Check = func(c *Call) {
		for _, r := range rs {
			ok, guessed := r.matches(c.Inv)
			if !ok {
				continue
			}
			reason := r.Reason
			if reason == "" {
				reason = "matches the custom rule " + r.ID + " " + r.MatchString()
			}
			if guessed {
				reason += " (an argument cannot be known before the command runs and may match)"
			}
			c.Report(r.ID, reason)
		}
	}
	return p
}

// matches reports whether inv's argv starts with the rule's match, and
// whether an unknown argument had to be taken as matching.
func (r CustomRule) matches(inv *interceptor.Invocation) (ok, guessed bool) {
	if len(r.Match) == 0 || inv.Name == "" || len(inv.Args) < len(r.Match)-1 {
		return false, false
	}
	if !customHas(r.Match[0], inv.Name) {
		return false, false
	}
	for i, alts := range r.Match[1:] {
		w := inv.Args[i]
		if !w.Unknown && !strings.Contains(w.Value, interceptor.UnknownMark) {
			if !customHas(alts, w.Value) {
				return false, false
			}
			continue
		}
		fits := false
		for _, a := range alts {
			if customFits(w.Value, a) {
				fits = true
				break
			}
		}
		if !fits {
			return false, false
		}
		guessed = true
	}
	return true, guessed
}

// customHas reports whether s is one of alts.
func customHas(alts []string, s string) bool {
	for _, a := range alts {
		if a == s {
			return true
		}
	}
	return false
}

// customFits reports whether a value with unknown parts (UnknownMark) can
// turn out to be s: its known parts appear in s, in order, the first at
// the start and the last at the end.
func customFits(value, s string) bool {
	parts := strings.Split(value, interceptor.UnknownMark)
	if len(parts) == 1 {
		return value == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	rest := s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return strings.HasSuffix(rest, last)
}
