package interceptor

import (
	"strings"
	"testing"
)

// execLine renders an invocation's Execs as "name[search]@cwd" joined by
// " > ", builtins as "name(builtin)", an unknown part of PATH as "?".
func execLine(inv Invocation) string {
	var parts []string
	for _, e := range inv.Execs {
		s := e.Name
		switch {
		case e.Builtin:
			s += "(builtin)"
		case e.Search != "":
			s += "[" + strings.ReplaceAll(e.Search, UnknownMark, "?") + "]"
		}
		if e.Cwd != tCwd {
			s += "@" + e.Cwd
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " > ")
}

// Execs say, for each program on the way to a command, where bash or the
// wrapper before it looks it up: the PATH given to the command, the
// shell's PATH at that point, or a path written with a slash.
func TestAnalyzeExecs(t *testing.T) {
	ctx := testContext()
	ctx.Env["PATH"] = "/usr/bin:/bin"
	cases := []struct{ src, want string }{
		{"railway up", "railway[/usr/bin:/bin]"},
		{"./railway up", "./railway[/usr/bin:/bin]"},
		{"/tmp/x/railway up", "/tmp/x/railway[/usr/bin:/bin]"},
		{"PATH=.:$PATH railway up", "railway[.:/usr/bin:/bin]"},
		{"export PATH=.:$PATH; railway up", "railway[.:/usr/bin:/bin]"},
		{"PATH=/opt/bin; railway up", "railway[/opt/bin]"},
		{"PATH=$(mktemp -d):$PATH railway", "railway[?:/usr/bin:/bin]"},
		{"unset PATH; railway", "railway[?]"},
		{"cd /srv && railway up", "railway[/usr/bin:/bin]@/srv"},
		{"cd /srv && ./railway up", "./railway[/usr/bin:/bin]@/srv"},
		{"PATH=.:$PATH ./railway up", "./railway[.:/usr/bin:/bin]"},
		// Wrappers: each is looked up in turn; env's PATH applies after it.
		{"timeout 5 railway up", "timeout[/usr/bin:/bin] > railway[/usr/bin:/bin]"},
		{"env PATH=. railway", "env[/usr/bin:/bin] > railway[.]"},
		{"PATH=. env railway", "env[.] > railway[.]"},
		{"env -i railway", "env[/usr/bin:/bin] > railway[?]"},
		{"env -u PATH railway", "env[/usr/bin:/bin] > railway[?]"},
		{"env -u HOME railway", "env[/usr/bin:/bin] > railway[/usr/bin:/bin]"},
		{"env -C /srv ./railway", "env[/usr/bin:/bin] > ./railway[/usr/bin:/bin]@/srv"},
		{"./nice railway", "./nice[/usr/bin:/bin] > railway[/usr/bin:/bin]"},
		// Builtins run by bash start no file; through a program they are files.
		{"command railway", "command(builtin) > railway[/usr/bin:/bin]"},
		{"exec railway", "exec(builtin) > railway[/usr/bin:/bin]"},
		{"echo hi", "echo(builtin)"},
		{"env echo hi", "env[/usr/bin:/bin] > echo[/usr/bin:/bin]"},
		// A function runs its body: what the body runs is what counts.
		{"railway() { ./railway \"$@\"; }; railway up", "./railway[/usr/bin:/bin]"},
		{"railway() { command railway \"$@\"; }; railway up", "command(builtin) > railway[/usr/bin:/bin]"},
		{"alias railway=./railway\nrailway up", "./railway[/usr/bin:/bin]"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, ctx)
		last := invs[len(invs)-1]
		if got := execLine(last); got != c.want {
			t.Errorf("%q: execs %q, want %q", c.src, got, c.want)
		}
	}
}
