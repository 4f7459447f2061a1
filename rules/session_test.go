package rules

import "testing"

func TestSessionPack(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// The integration: refused.
		{"trap - DEBUG", Deny, sessionIntegration},
		{"trap '' DEBUG", Deny, sessionIntegration},
		{"trap 'echo x' debug", Deny, sessionIntegration},
		{"trap -- 'true' SIGDEBUG", Deny, sessionIntegration},
		{"builtin trap - DEBUG", Deny, sessionIntegration},
		{"eval 'trap - DEBUG'", Deny, sessionIntegration},
		{"trap '' INT", Deny, sessionIntegration},
		{"shopt -u extdebug", Deny, sessionIntegration},
		{"shopt -u cmdhist lithist", Deny, sessionIntegration},
		{"shopt -uo history", Deny, sessionIntegration},
		{"set +o history", Deny, sessionIntegration},
		{"set +o functrace", Deny, sessionIntegration},
		{"set +eT", Deny, sessionIntegration},
		{"set -o posix", Deny, sessionIntegration},
		{"unset -f __guard_judge", Deny, sessionIntegration},
		{"unset PROMPT_COMMAND", Deny, sessionIntegration},
		{"echo $__guard_v", Deny, sessionIntegration},
		{"history -d 3", Deny, sessionIntegration},
		{"history -c", Deny, sessionIntegration},
		{"history -s 'echo hi'", Deny, sessionIntegration},
		{"enable -n trap", Deny, sessionIntegration},
		{"exec bash", Deny, sessionIntegration},
		{"exec zsh -l", Deny, sessionIntegration},
		{"bash --norc", Deny, sessionIntegration},
		{"bash --rcfile /dev/null -i", Deny, sessionIntegration},
		{"env -i bash", Deny, sessionIntegration},
		{"exec 229>&-", Deny, sessionIntegration},
		{"echo hi >&229", Deny, sessionIntegration},
		// Nested interactive shells: confirmed.
		{"bash", Confirm, sessionNestedShell},
		{"bash -l", Confirm, sessionNestedShell},
		{"sh", Confirm, sessionNestedShell},
		{"zsh", Confirm, sessionNestedShell},
		{"sudo -i", Confirm, sessionNestedShell},
		{"sudo -s", Confirm, sessionNestedShell},
		{"sudo bash", Confirm, sessionNestedShell},
		{"su", Confirm, sessionNestedShell},
		{"su - postgres", Confirm, sessionNestedShell},
		{"ssh db1", Confirm, sessionNestedShell},
		{"ssh -p 2222 db1", Confirm, sessionNestedShell},
		{"tmux", Confirm, sessionNestedShell},
		// Code stored for later.
		{"bind -x '\"\\C-t\": ls'", Confirm, sessionUnchecked},
		{"bind -m vi -x '\"v\": ls'", Confirm, sessionUnchecked},
		{"bind '\"\\ee\": edit-and-execute-command'", Confirm, sessionUnchecked},
		{"bind -m vi-command '\"v\":edit-and-execute-command'", Confirm, sessionUnchecked},
		{"bind -m vi-command '\"v\": vi-edit-and-execute-command'", Confirm, sessionUnchecked},
		{"bind -f ~/.inputrc", Confirm, sessionUnchecked},
		{"bind \"$k\"", Confirm, sessionUnknown},
		{"complete -F _f mycmd", Confirm, sessionUnchecked},
		{"fc -s", Confirm, sessionUnchecked},
		{"trap 'rm -rf ~' EXIT", Deny, ""},
		{"alias wipe='rm -rf ~'", Deny, ""},
		{"complete -C 'rm -rf ~' x", Deny, ""},
		// Names guard cannot know.
		{"unset \"$x\"", Confirm, sessionUnknown},
		{"printf -v \"$x\" y", Confirm, sessionUnknown},
		{"trap \"$x\" EXIT", Confirm, sessionUnknown},
		{"shopt -u \"$opt\"", Confirm, sessionUnknown},
		// Everyday commands: allowed.
		{"echo hi", Allow, ""},
		{"bind '\"\\C-v\": quoted-insert'", Allow, ""},
		{"bind 'set enable-bracketed-paste off'", Allow, ""},
		{"bind -p", Allow, ""},
		{"bind -m vi-insert '\"jk\": vi-movement-mode'", Allow, ""},
		{"bind '\"\\C-x\\C-l\": \"ls -la\\n\"'", Allow, ""},
		{"bash -c 'echo hi'", Allow, ""},
		{"bash script.sh", Allow, ""},
		{"echo 'echo hi' | bash", Allow, ""},
		{"ssh db1 uptime", Allow, ""},
		{"su -c 'id' postgres", Allow, ""},
		{"sudo ls /root", Allow, ""},
		{"trap 'rm -f /tmp/x' EXIT", Allow, ""},
		{"trap - EXIT", Allow, ""},
		{"trap -p", Allow, ""},
		{"shopt -s globstar", Allow, ""},
		{"shopt -u nullglob", Allow, ""},
		{"set -euo pipefail", Allow, ""},
		{"set +e", Allow, ""},
		{"set -- a b", Allow, ""},
		{"unset FOO", Allow, ""},
		{"history", Allow, ""},
		{"history 20", Allow, ""},
		{"fc -l", Allow, ""},
		{"alias ll='ls -l'", Allow, ""},
		{"read -r line", Allow, ""},
		{"exec 3>out.log", Allow, ""},
		{"guard shell", Allow, ""},
		{"tmux ls", Allow, ""},
		{"tmux attach -t main", Confirm, sessionNestedShell},
		{"screen -ls", Allow, ""},
	}, SessionPack(), FSPack(), MetaPack())
}

func TestSessionFindings(t *testing.T) {
	c, err := NewSessionChecker(Options{Home: testHome, FS: testFS()})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		src  string
		want Decision
		rule string
	}{
		{"__guard_v=1", Deny, sessionIntegration},
		{"HISTCONTROL=ignorespace", Deny, sessionIntegration},
		{"PS0=", Deny, sessionIntegration},
		{"declare -g PROMPT_COMMAND=x", Deny, sessionIntegration},
		{"HISTSIZE=0 ls", Deny, sessionIntegration},
		{"builtin() { :; }", Deny, sessionIntegration},
		{"eval() { :; }", Deny, sessionIntegration},
		{"exec 229<&-", Deny, sessionIntegration},
		{"cat <&229", Deny, sessionIntegration},
		{"cd() { builtin cd \"$@\"; ls; }", Confirm, sessionUnchecked},
		{"command_not_found_handle() { rm -rf ~; }", Confirm, sessionUnchecked},
		{"PS1='$(rm -rf ~) $ '", Confirm, sessionUnchecked},
		{"PS1=\"\\`date\\` $ \"", Confirm, sessionUnchecked},
		{"declare \"$name=1\"", Confirm, sessionUnknown},
		{"export \"$v\"", Confirm, sessionUnknown},
		// Allowed.
		{"PS1='\\u@\\h:\\w\\$ '", Allow, ""},
		{"x=1; export PATH=$PATH:/opt/bin", Allow, ""},
		{"declare -a arr=(1 2)", Allow, ""},
		{"f() { echo hi; }", Allow, ""},
		{"exec 3>&-", Allow, ""},
		{"echo hi 2>&1", Allow, ""},
	}
	for _, tc := range cases {
		v := mergeFindings(Verdict{}, c.sessionFindings(tc.src))
		if v.Decision != tc.want {
			t.Errorf("%q: got %s, want %s; %+v", tc.src, v.Decision, tc.want, v.Findings)
			continue
		}
		if tc.rule != "" && (len(v.Findings) == 0 || v.Findings[0].Rule != tc.rule) {
			t.Errorf("%q: findings %+v, want rule %s", tc.src, v.Findings, tc.rule)
		}
	}
}

func TestSessionCheckerHasThePack(t *testing.T) {
	c, err := NewSessionChecker(Options{Home: testHome, FS: testFS()})
	if err != nil {
		t.Fatal(err)
	}
	if v := c.Check(Command{Source: "trap - DEBUG", Cwd: testCwd}).Verdict; v.Decision != Deny {
		t.Errorf("session checker: trap - DEBUG is %s", v.Decision)
	}
	plain, err := NewChecker(Options{Home: testHome, FS: testFS()})
	if err != nil {
		t.Fatal(err)
	}
	if v := plain.Check(Command{Source: "trap - DEBUG", Cwd: testCwd}).Verdict; v.Decision != Allow {
		t.Errorf("plain checker: trap - DEBUG is %s, the session rules apply only in a session", v.Decision)
	}
}
