package interceptor

import (
	"slices"
	"testing"
)

// What a new shell sees of its parent's variables and functions, checked
// against bash 5 (bash -c 'X=rm; bash -c "echo \"[\$X]\""' prints []):
// only what is exported reaches it, env -i leaves nothing, and prefix
// assignments hold while a function, eval or sourced file runs. Each case
// is analysed with the exact environment (guard -c) and without (guard
// check, hooks), where a variable not exported and not in the known
// environment may still have come from the real one.
func TestExportScope(t *testing.T) {
	const rmHome = "rm -rf /home/u"
	const nothing = "… -rf /home/u" // "" -rf ~: command not found
	cases := []struct {
		src          string
		exact, loose string // a line the analysis must hold; "?" unknown
	}{
		// Exported: the new shell has the value.
		{`export X=rm; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`X=rm bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`X=rm; export X; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`export X; X=rm; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`declare -x X=rm; sh -c '"$X" -rf ~'`, rmHome, rmHome},
		{`X=rm; declare -x X; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`set -a; X=rm; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`set -o allexport; X=rm; set +a; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`f(){ local -x X=rm; bash -c '"$X" -rf ~'; }; f`, rmHome, rmHome},
		{`export X=a; f(){ local X=rm; bash -c '"$X" -rf ~'; }; f`, rmHome, rmHome},
		{`KNOWN=rm; bash -c '"$KNOWN" -rf ~'`, rmHome, rmHome}, // from the environment: exported
		{`export X=rm; bash -c 'bash -c "\"\$X\" -rf ~"'`, rmHome, rmHome},
		{`X=rm; flock /tmp/l -c '"$X" -rf ~'`, nothing, "?"},
		{`X=rm flock /tmp/l -c '"$X" -rf ~'`, rmHome, rmHome},
		{`f(){ rm -rf ~; }; export -f f; bash -c f`, rmHome, rmHome},
		{`f(){ rm -rf ~; }; declare -fx f; bash -c 'f'`, rmHome, rmHome},
		{`if true; then export X; fi; X=rm; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		{`export X=rm; [ -n "$Y" ] && export -n X; bash -c '"$X" -rf ~'`, rmHome, rmHome},
		// Prefix assignments hold while a function, eval or a sourced
		// file runs, exported to what they start.
		{`f(){ "$X" -rf ~; }; X=rm f`, rmHome, rmHome},
		{`f(){ bash -c '"$X" -rf ~'; }; X=rm f`, rmHome, rmHome},
		{`X=rm eval '"$X" -rf ~'`, rmHome, rmHome},
		{`X=rm eval 'bash -c "\"\$X\" -rf ~"'`, rmHome, rmHome},
		// Not exported: the new shell does not have it.
		{`X=rm; bash -c '"$X" -rf ~'`, nothing, "?"},
		{`X=rm; sh -c '"$X" -rf ~'`, nothing, "?"},
		{`X=rm; (export X); bash -c '"$X" -rf ~'`, nothing, "?"},
		{`export X=rm; export -n X; bash -c '"$X" -rf ~'`, nothing, "?"},
		{`X=a; f(){ local X=rm; bash -c '"$X" -rf ~'; }; f`, nothing, "?"},
		{`KNOWN=x; unset KNOWN; KNOWN=rm; bash -c '"$KNOWN" -rf ~'`, nothing, nothing},
		{`f(){ rm -rf ~; }; bash -c f`, "f", "f"},
		{`f(){ rm -rf ~; }; export -f f; export -fn f; bash -c f`, "f", "f"},
		// env -i: nothing reaches the new shell but what env gives it.
		{`X=rm; env -i bash -c '"$X" -rf ~'`, "… -rf …", "… -rf …"},
		{`export X=rm; env -i bash -c '"$X" -rf ~'`, "… -rf …", "… -rf …"},
		{`KNOWN=rm; env -i bash -c '"$KNOWN" -rf ~'`, "… -rf …", "… -rf …"},
		{`env -i X=rm bash -c '"$X" -rf ~'`, "rm -rf …", "rm -rf …"},
		{`f(){ rm -rf ~; }; export -f f; env -i bash -c f`, "f", "f"},
		// Every word is expanded before export assigns (B gets the old A).
		{`A=; export A=rm B=$A; "$B" -rf ~`, nothing, nothing},
		{`export A=rm B=$A; "$B" -rf ~`, nothing, "?"},
		// A function's locals and a prefix assignment end with it.
		{`f(){ local TOOL=rm; }; TOOL=echo; f; "$TOOL" -rf ~`, "echo -rf /home/u", "echo -rf /home/u"},
		{`f(){ :; }; TOOL=echo; TOOL=rm f; "$TOOL" -rf ~`, "echo -rf /home/u", "echo -rf /home/u"},
		{`TOOL=echo; TOOL=rm eval :; "$TOOL" -rf ~`, "echo -rf /home/u", "echo -rf /home/u"},
	}
	for _, c := range cases {
		for _, exact := range []bool{true, false} {
			want := c.loose
			if exact {
				want = c.exact
			}
			got := analyzeLines(c.src, func(ctx *Context) { ctx.EnvExact = exact })
			if !slices.Contains(got, want) {
				t.Errorf("%q (exact %v): want %q among\n %q", c.src, exact, want, got)
			}
			if want != rmHome && slices.Contains(got, rmHome) {
				t.Errorf("%q (exact %v): want no %q among\n %q", c.src, exact, rmHome, got)
			}
		}
	}
}

// set's options that turn allexport on and off, certain or not.
func TestSetAllexport(t *testing.T) {
	cases := []struct {
		args    []string
		certain bool
		from    exportMode
		want    exportMode
	}{
		{[]string{"-a"}, true, exportOff, exportOn},
		{[]string{"-ea"}, true, exportOff, exportOn},
		{[]string{"+a"}, true, exportOn, exportOff},
		{[]string{"-o", "allexport"}, true, exportOff, exportOn},
		{[]string{"+o", "allexport"}, true, exportOn, exportOff},
		{[]string{"-o", "errexit"}, true, exportOff, exportOff},
		{[]string{"-e"}, true, exportOff, exportOff},
		{[]string{"--", "-a"}, true, exportOff, exportOff},
		{[]string{"a"}, true, exportOff, exportOff},
		{[]string{"-a"}, false, exportOff, exportMaybe},
		{[]string{"+a"}, false, exportOn, exportOn},
		{[]string{UnknownMark}, true, exportOff, exportOn},
	}
	for _, c := range cases {
		st := &state{allexport: c.from}
		var args []Word
		for _, a := range c.args {
			args = append(args, Word{Value: a, Unknown: a == UnknownMark})
		}
		st.setAllexport(args, c.certain)
		if st.allexport != c.want {
			t.Errorf("set %q (certain %v) from %d: got %d, want %d", c.args, c.certain, c.from, st.allexport, c.want)
		}
	}
}
