package interceptor

import (
	"strings"
	"testing"
)

func TestAliases(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// An alias is judged as the text it stands for.
		{"alias ls='rm -rf ~'\nls", []string{"alias 'ls=rm -rf ~'", "rm -rf /home/u"}},
		{"alias -- ll='ls -l'\nll src", []string{"alias -- 'll=ls -l'", "ls -l src"}},
		{"alias ll='ls -l' la='ls -a'\nla", []string{"alias 'll=ls -l' 'la=ls -a'", "ls -a"}},
		{"alias x='cd /srv; rm -rf data'\nx; rm -rf y", []string{"alias 'x=cd /srv; rm -rf data'", "cd /srv", "rm -rf data", "rm -rf y"}},
		{"alias x='rm -rf'\nFOO=1 x ~", []string{"alias 'x=rm -rf'", "rm -rf /home/u"}},
		{"alias x='rm -rf'\necho ~ | x", []string{"alias 'x=rm -rf'", "echo /home/u", "rm -rf"}},
		{"alias x='bash'\necho 'rm -rf ~' | x", []string{"alias x=bash", "echo 'rm -rf ~'", "bash", "rm -rf /home/u"}},
		// An alias ending in a blank makes the next word an alias too.
		{"alias sudo='sudo '\nalias ls='rm -rf ~'\nsudo ls", []string{"alias 'sudo=sudo '", "alias 'ls=rm -rf ~'", "rm -rf /home/u"}},
		{"alias s='sudo'\nalias ls='rm -rf ~'\ns ls", []string{"alias s=sudo", "alias 'ls=rm -rf ~'", "ls"}},
		// An alias is not expanded again inside its own text.
		{"alias ls='ls --color=auto'\nls", []string{"alias 'ls=ls --color=auto'", "ls --color=auto"}},
		{"alias a='b'\nalias b='a x'\na", []string{"alias a=b", "alias 'b=a x'", "a x"}},
		// Quoting or escaping the word turns the alias off, as in bash.
		{"alias ls='rm -rf ~'\n'ls'; \\ls; command ls", []string{"alias 'ls=rm -rf ~'", "ls", "ls", "ls"}},
		// Only the command word is looked up.
		{"alias ls='rm -rf ~'\necho ls", []string{"alias 'ls=rm -rf ~'", "echo ls"}},
		// unalias.
		{"alias ls='rm -rf ~'\nunalias ls\nls", []string{"alias 'ls=rm -rf ~'", "unalias ls", "ls"}},
		{"alias ls='rm -rf ~'\nunalias -a\nls", []string{"alias 'ls=rm -rf ~'", "unalias -a", "ls"}},
		// Aliases reach nested code: eval, functions, subshells.
		{"alias ls='rm -rf ~'\neval ls", []string{"alias 'ls=rm -rf ~'", "eval ls", "rm -rf /home/u"}},
		{"alias ls='rm -rf ~'\nf() { ls; }\nf", []string{"alias 'ls=rm -rf ~'", "rm -rf /home/u"}},
		{"alias ls='rm -rf ~'\n(ls)", []string{"alias 'ls=rm -rf ~'", "rm -rf /home/u"}},
		// A function keeps the aliases of its definition, as bash expands
		// them there.
		{"alias ls='rm -rf ~'\nf() { ls; }\nunalias ls\nf", []string{"alias 'ls=rm -rf ~'", "unalias ls", "rm -rf /home/u"}},
		// Defined on the same line: bash would not expand it yet; the
		// analysis does (stricter, never laxer).
		{"alias ls='rm -rf ~'; ls", []string{"alias 'ls=rm -rf ~'", "rm -rf /home/u"}},
		// Redirections of the aliased command are still judged.
		{"alias x='echo hi'\nx > ~/.bashrc", []string{"alias 'x=echo hi'", ":", "echo hi"}},
		// What cannot be known.
		{"alias x=\"$UNSET_THING\"\nx", []string{"alias x=…", "?"}},
		{"alias x='rm -rf ('\nx", []string{"alias 'x=rm -rf ('", "?"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestAliasRedirectTargetKept(t *testing.T) {
	invs := Analyze("alias x='echo hi'\nx > ~/.bashrc", testContext())
	for _, inv := range invs {
		for _, r := range inv.Redirects {
			if r.Target.Value == tHome+"/.bashrc" && r.Writes() {
				return
			}
		}
	}
	t.Errorf("the redirection of an aliased command is lost: %+v", invs)
}
