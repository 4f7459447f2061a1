package interceptor

import (
	"strings"
	"testing"
)

// TestTildeWithoutHome: with HOME unset bash expands "~" to the home the
// password database gives the current user (getpwuid), while "$HOME" is
// empty; with HOME set but empty "~" is empty too.
func TestTildeWithoutHome(t *testing.T) {
	const pw = "/var/pw/u"
	passwd := func(ctx *Context) { ctx.PasswdHome = func() string { return pw } }
	exactNoHome := func(ctx *Context) {
		passwd(ctx)
		ctx.EnvExact = true
		delete(ctx.Env, "HOME")
	}
	exactEmptyHome := func(ctx *Context) {
		passwd(ctx)
		ctx.EnvExact = true
		ctx.Env["HOME"] = ""
	}
	noPasswd := func(ctx *Context) { ctx.PasswdHome = func() string { return "" } }
	cases := []struct {
		src  string
		edit func(*Context)
		want []string
	}{
		{`unset HOME; rm -rf ~`, passwd, []string{"unset HOME", "rm -rf " + pw}},
		{`unset -v HOME; rm -rf ~/.ssh`, passwd, []string{"unset -v HOME", "rm -rf " + pw + "/.ssh"}},
		{`unset HOME; rm -rf ~/"a b"`, passwd, []string{"unset HOME", "rm -rf '" + pw + "/a b'"}},
		{`unset HOME; x=~/a; rm -rf "$x"`, passwd, []string{"unset HOME", "rm -rf " + pw + "/a"}},
		// $HOME is empty, not the password database's home.
		{`unset HOME; rm -rf "$HOME/x"`, passwd, []string{"unset HOME", "rm -rf /x"}},
		{`unset HOME; echo "${HOME-unset}"`, passwd, []string{"unset HOME", "echo unset"}},
		// Only "~" and "~/" name the current user; a quoted tilde is none.
		{`unset HOME; rm -rf ~"/x" '~'`, passwd, []string{"unset HOME", "rm -rf ~/x ~"}},
		{`unset HOME; rm -rf ~root`, passwd, []string{"unset HOME", "rm -rf …"}},
		// Set again, HOME is what "~" is.
		{`unset HOME; HOME=/srv/h; rm -rf ~`, passwd, []string{"unset HOME", "rm -rf /srv/h"}},
		{`HOME=; rm -rf ~/x ~`, passwd, []string{"rm -rf /x ''"}},
		// Without a password entry, or without a way to ask, it is unknown.
		{`unset HOME; rm -rf ~`, noPasswd, []string{"unset HOME", "rm -rf …"}},
		{`unset HOME; rm -rf ~`, nil, []string{"unset HOME", "rm -rf …"}},
		// Another user's or a remote host's entry is not ours.
		{`su -c 'unset HOME; rm -rf ~' bob`, passwd, []string{"su -c 'unset HOME; rm -rf ~' bob", "unset HOME", "rm -rf …"}},
		{`ssh h 'unset HOME; rm -rf ~'`, passwd, []string{"ssh h 'unset HOME; rm -rf ~'", "unset HOME", "rm -rf …"}},
		// A shell env starts without HOME.
		{`HOME=/srv/h env -u HOME bash -c 'rm -rf ~'`, passwd, []string{"bash -c 'rm -rf ~'", "rm -rf " + pw}},
		{`env --unset=HOME bash -c 'rm -rf ~/x'`, passwd, []string{"bash -c 'rm -rf ~/x'", "rm -rf " + pw + "/x"}},
		{`export HOME=/srv/h; env -i bash -c 'rm -rf ~'`, passwd, []string{"bash -c 'rm -rf ~'", "rm -rf " + pw}},
		{`env -iv bash -c 'rm -rf ~'`, passwd, []string{"bash -c 'rm -rf ~'", "rm -rf " + pw}},
		{`env -i HOME=/srv/h bash -c 'rm -rf ~'`, passwd, []string{"bash -c 'rm -rf ~'", "rm -rf /srv/h"}},
		{`env -u HOME HOME=/srv/h bash -c 'rm -rf ~'`, passwd, []string{"bash -c 'rm -rf ~'", "rm -rf /srv/h"}},
		// An exact environment without HOME starts with HOME unset.
		{`rm -rf ~ ~/.ssh`, exactNoHome, []string{"rm -rf " + pw + " " + pw + "/.ssh"}},
		{`rm -rf "$HOME/x"`, exactNoHome, []string{"rm -rf /x"}},
		{`rm -rf ~/x`, exactEmptyHome, []string{"rm -rf /x"}},
		// HOME set as usual: the password database is never asked.
		{`rm -rf ~`, func(ctx *Context) { ctx.PasswdHome = func() string { panic("asked") } }, []string{"rm -rf " + tHome}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, c.edit)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestCdWithoutHome: cd alone goes to $HOME; it stays where it is while
// HOME is unset (bash: "cd: HOME not set") or empty.
func TestCdWithoutHome(t *testing.T) {
	cases := []struct{ src, cwd string }{
		{"unset HOME; cd; rm x", tCwd},
		{"HOME=; cd; rm x", tCwd},
		{"HOME=/srv/h; cd; rm x", "/srv/h"},
		{"cd /srv; HOME=rel; cd; rm x", "/srv/rel"},
		{"cd; rm x", tHome},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		if last := invs[len(invs)-1]; last.Cwd != c.cwd {
			t.Errorf("%q: rm runs in %q, want %q", c.src, last.Cwd, c.cwd)
		}
	}
}
