package sandbox

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/launch"
)

func TestPrivilegeNote(t *testing.T) {
	nnp := func() launch.Plan { return launch.Plan{Available: true, NoNewPrivs: true} }
	root := func() launch.Plan { return launch.Plan{Available: true} }
	none := func() launch.Plan { return launch.Plan{Why: "no seccomp"} }
	cases := []struct {
		name     string
		j        rules.Result
		plan     func() launch.Plan
		wantName string // "" for no note
	}{
		{"sudo as a wrapper", rules.Result{Names: []string{"apt"}, Wrappers: []string{"sudo"}}, nnp, "sudo"},
		{"sudo alone", rules.Result{Names: []string{"sudo"}}, nnp, "sudo"},
		{"su", rules.Result{Names: []string{"su"}}, nnp, "su"},
		{"pkexec after env", rules.Result{Names: []string{"ls"}, Wrappers: []string{"env", "pkexec"}}, nnp, "pkexec"},
		{"sudoedit", rules.Result{Names: []string{"sudoedit"}}, nnp, "sudoedit"},
		{"no privileged program", rules.Result{Names: []string{"echo", "make"}, Wrappers: []string{"timeout"}}, nnp, ""},
		{"sudo with CAP_SYS_ADMIN: no no_new_privs", rules.Result{Wrappers: []string{"sudo"}}, root, ""},
		{"sudo without the mark", rules.Result{Wrappers: []string{"sudo"}}, none, ""},
	}
	for _, c := range cases {
		got := privilegeNote(c.j, c.plan)
		if c.wantName == "" {
			if got != "" {
				t.Errorf("%s: note %q, want none", c.name, got)
			}
			continue
		}
		if !strings.HasPrefix(got, "guard: note: "+c.wantName+" cannot raise privileges inside guard's agent shell") || !strings.Contains(got, "run it yourself in your own terminal") {
			t.Errorf("%s: note %q", c.name, got)
		}
	}
}
