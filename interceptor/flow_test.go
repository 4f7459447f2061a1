package interceptor

import (
	"strings"
	"testing"
)

// A case with a known subject runs one item; a return or exit sure to run
// ends the code it is in. Everything that is not sure is analysed.
func TestKnownControlFlow(t *testing.T) {
	const rm = "rm -rf /home/u"
	cases := []struct {
		src     string
		sourced string // the content of lib.sh, sourced by src
		rmRuns  bool   // whether the analysis must see rm -rf ~
	}{
		// case: the item that matches, only.
		{`case abc in a*) echo a;; *) rm -rf ~;; esac`, "", false},
		{`case abc in x) echo x;; *) rm -rf ~;; esac`, "", true},
		{`case abc in x) rm -rf ~;; esac`, "", false},
		{`case abc in a*|x) echo a;; esac; rm -rf ~`, "", true},
		// Not known for sure: every item.
		{`case $UNSET in x) echo x;; *) rm -rf ~;; esac`, "", true},
		{`case ABC in abc) echo a;; *) rm -rf ~;; esac`, "", true}, // shopt nocasematch
		{`case '*' in "*") echo star;; *) rm -rf ~;; esac`, "", true},
		{`case abc in abc) echo a;& *) rm -rf ~;; esac`, "", true},
		{`case abc in abc) echo a;;& *) rm -rf ~;; esac`, "", true},
		{"case abc in $(echo x)) echo x;; *) rm -rf ~;; esac", "", true},
		// if: a string test of known words decides the branch.
		{`if [ -z "$UNSET" ]; then echo empty; else rm -rf ~; fi`, "", false},
		{`if [ -n "$UNSET" ]; then rm -rf ~; fi`, "", false},
		{`if [ "$KNOWN" = /srv/known ]; then echo k; elif true; then rm -rf ~; fi`, "", false},
		{`if [ "$KNOWN" != /srv/known ]; then rm -rf ~; elif [ x ]; then echo x; else rm -rf ~; fi`, "", false},
		{`if test "$KNOWN"; then echo k; else rm -rf ~; fi`, "", false},
		{`if ! [ "$KNOWN" ]; then rm -rf ~; fi`, "", false},
		{`if [ ! -z "$KNOWN" ]; then echo k; else rm -rf ~; fi`, "", false},
		{`if [ "${UNSET:-x}" = x ]; then echo x; else rm -rf ~; fi`, "", false},
		{`X=a; if [ -z "$X" ]; then X=; fi; rm -rf ~/"$X"`, "", false},
		// A value the variable may not have: both branches.
		{`if [ -n "$UNKNOWN_VAR_X" ]; then M=safe; fi; case $M in safe) echo;; *) rm -rf ~;; esac`, "", true},
		{`if [ -n "$UNKNOWN_VAR_X" ]; then M=safe; fi; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", true},
		{`M=; while false; do M=safe; done; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", true},
		{`true && M=safe; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", true},
		{`f() { if [ -n "$UNKNOWN_VAR_X" ]; then M=safe; fi; }; f; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", true},
		{`if [ -n "$UNKNOWN_VAR_X" ]; then source lib.sh; fi; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "M=safe\n", true},
		{`if [ -n "$UNKNOWN_VAR_X" ]; then set -- safe; fi; case $1 in safe) echo;; *) rm -rf ~;; esac`, "", true},
		{`M=safe; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", false},
		{`export M=safe; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", false},
		{`if [ -n "$UNKNOWN_VAR_X" ]; then export M=safe; fi; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", true},
		{`f() { M=safe; }; f; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", false},
		{`source lib.sh; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "M=safe\n", false},
		{`if [ -n "$UNKNOWN_VAR_X" ]; then M=x; fi; M=safe; if [ "$M" = safe ]; then echo; else rm -rf ~; fi`, "", false},
		// Not known: both branches.
		{`if [ -z "$UNKNOWN_VAR_X" ]; then echo empty; else rm -rf ~; fi`, "", true},
		{`if [ -f ~/x ]; then echo f; else rm -rf ~; fi`, "", true},
		{`if [ "$(echo a)" = a ]; then echo a; else rm -rf ~; fi`, "", true},
		{`if [ "${UNSET:=a}" = a ]; then echo a; else rm -rf ~; fi`, "", true},
		{`if [ * = x ]; then rm -rf ~; fi`, "", true},
		{`if [ a = a ] && true; then echo a; else rm -rf ~; fi`, "", true},
		{`[() { return 1; }; if [ a = a ]; then echo a; else rm -rf ~; fi`, "", true},
		{`if [ -z "$UNKNOWN_VAR_X" ]; then echo; elif [ a = a ]; then echo; else rm -rf ~; fi`, "", false},
		{`if [ -z "$UNKNOWN_VAR_X" ]; then echo; elif [ a = a ]; then rm -rf ~; fi`, "", true},
		// A branch of a known if is sure to run.
		{`source lib.sh`, "if [ -z \"$UNSET\" ]; then return; fi\nrm -rf ~\n", false},
		{`source lib.sh`, "if [ -z \"$UNKNOWN_VAR_X\" ]; then return; fi\nrm -rf ~\n", true},
		// return ends a sourced file, when it is sure to run.
		{`source lib.sh`, "return\nrm -rf ~\n", false},
		{`source lib.sh`, "case abc in a*) return;; esac\nrm -rf ~\n", false},
		{`source lib.sh`, "{ echo x; return 0; }\nrm -rf ~\n", false},
		{`source lib.sh; rm -rf ~`, "return\n", true},
		{`source lib.sh`, "if true; then return; fi\nrm -rf ~\n", true},
		{`source lib.sh`, "[ -n \"$X\" ] && return\nrm -rf ~\n", true},
		{`source lib.sh`, "(return)\nrm -rf ~\n", true},
		{`source lib.sh`, "echo \"$(return)\"\nrm -rf ~\n", true},
		{`source lib.sh`, "return | cat\nrm -rf ~\n", true},
		{`source lib.sh`, "return &\nrm -rf ~\n", true},
		{`source lib.sh`, "for x in a; do return; done\nrm -rf ~\n", true},
		{`source lib.sh`, "eval return\nrm -rf ~\n", true},
		{`source lib.sh`, "sudo return\nrm -rf ~\n", true},
		{`source lib.sh`, "f() { return; }\nf\nrm -rf ~\n", true},
		// At the top of a -c string, return is an error bash goes on from.
		{`return; rm -rf ~`, "", true},
		{`eval 'return; rm -rf ~'`, "", true},
		// exit ends the shell.
		{`exit; rm -rf ~`, "", false},
		{`exit 0; rm -rf ~`, "", false},
		{`(exit); rm -rf ~`, "", true},
		{`true && exit; rm -rf ~`, "", true},
		{`exit || rm -rf ~`, "", true},
		{`f() { exit; }; f; rm -rf ~`, "", true},
		// A function's return ends its body only.
		{`f() { return; rm -rf /srv; }; f; rm -rf ~`, "", true},
		{`f() { if true; then return; fi; rm -rf ~; }; f`, "", true},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, func(ctx *Context) {
			ctx.FS.(MapFS)[tCwd+"/lib.sh"] = c.sourced
			ctx.EnvExact = true
			ctx.Env["UNKNOWN_VAR_X"] = UnknownMark
		})
		runs := false
		for _, l := range got {
			runs = runs || l == rm
		}
		if runs != c.rmRuns {
			t.Errorf("%s (lib.sh %q): rm -rf ~ analysed %v, want %v; got %q", c.src, c.sourced, runs, c.rmRuns, got)
		}
	}
	// What a return skips in a function is not analysed.
	got := strings.Join(analyzeLines(`f() { return; rm -rf /srv; }; f`, nil), "\n")
	if strings.Contains(got, "/srv") {
		t.Errorf("after a function's return: %q", got)
	}
}
