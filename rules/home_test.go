package rules

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGuardPathsWithoutHome: with HOME unset, empty or relative, guard's
// own config and state come from the password database's home, never from
// the working directory; relative XDG values are ignored (XDG spec).
func TestGuardPathsWithoutHome(t *testing.T) {
	pw := PasswdHome()
	if pw == "" {
		t.Skip("the current user has no password entry")
	}
	for _, home := range []string{"", "rel/home", "."} {
		t.Setenv("HOME", home)
		t.Setenv("XDG_CONFIG_HOME", ".config")
		t.Setenv("XDG_STATE_HOME", "state")
		o := FromProcess()
		if o.Home != pw {
			t.Errorf("HOME=%q: home %q, want the password database's %q", home, o.Home, pw)
		}
		if want := filepath.Join(pw, ".config", "guard"); o.Locations.ConfigDir != want {
			t.Errorf("HOME=%q: config dir %q, want %q", home, o.Locations.ConfigDir, want)
		}
		if want := filepath.Join(pw, ".local", "state", "guard"); o.Locations.StateDir != want {
			t.Errorf("HOME=%q: state dir %q, want %q", home, o.Locations.StateDir, want)
		}
	}
}

// TestTildeWithHomeUnset: "unset HOME; rm -rf ~" deletes the home the
// password database names, as bash expands it, and is judged like
// "rm -rf ~"; so is "~" in shell mode, whose exact environment lacks HOME.
func TestTildeWithHomeUnset(t *testing.T) {
	checker := func(exactNoHome bool) *Checker {
		env := map[string]string{"HOME": testHome, "USER": "u", "PATH": "/usr/bin:/bin"}
		if exactNoHome {
			delete(env, "HOME")
		}
		c, err := NewChecker(Options{
			Home: testHome, PasswdHome: func() string { return testHome }, User: "u", Env: env,
			EnvExact: exactNoHome, FS: testFS(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	withHome, exact := checker(false), checker(true)
	same := []struct{ src, like string }{
		{"unset HOME; rm -rf ~", "rm -rf ~"},
		{"unset -v HOME; rm -rf ~/.ssh", "rm -rf ~/.ssh"},
		{"unset HOME; cp x ~/.bashrc", "cp x ~/.bashrc"},
	}
	for _, c := range same {
		want := withHome.Check(Command{Source: c.like, Cwd: testCwd}).Verdict.Decision
		if want == Allow {
			t.Fatalf("%q is allowed: the case tests nothing", c.like)
		}
		if got := withHome.Check(Command{Source: c.src, Cwd: testCwd}).Verdict.Decision; got != want {
			t.Errorf("%q: %s, want %s like %q", c.src, got, want, c.like)
		}
		if got := exact.Check(Command{Source: c.like, Cwd: testCwd}).Verdict.Decision; got != want {
			t.Errorf("%q without HOME in the environment: %s, want %s", c.like, got, want)
		}
	}
	// $HOME stays empty after unset: "$HOME/x" is /x, not in the home.
	if got := withHome.Check(Command{Source: `unset HOME; rm -rf "$HOME/build"`, Cwd: testCwd}).Verdict; len(got.Findings) == 0 ||
		!strings.Contains(got.Findings[0].Reason, " /build ") {
		t.Errorf(`unset HOME; rm -rf "$HOME/build": %+v, want a verdict on /build`, got)
	}
}

func TestBaseDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env  map[string]string
		home string
		want string
	}{
		{map[string]string{"XDG_DATA_HOME": "/srv/data/"}, "/home/u", "/srv/data"},
		{map[string]string{"XDG_DATA_HOME": "data"}, "/home/u", "/home/u/.local/share"},
		{map[string]string{"XDG_DATA_HOME": ""}, "/home/u", "/home/u/.local/share"},
		{nil, "", ""},
		{nil, "home/u", ""},
		{map[string]string{"XDG_DATA_HOME": "/srv/data"}, "", "/srv/data"},
	}
	for _, c := range cases {
		if got := BaseDir(env(c.env), c.home, "XDG_DATA_HOME", ".local", "share"); got != c.want {
			t.Errorf("BaseDir(%v, %q) = %q, want %q", c.env, c.home, got, c.want)
		}
	}
	if l := Locate("", env(nil)); l.ConfigDir != "" || l.StateDir != "" {
		t.Errorf("Locate without a home: %+v, want no config or state dir rather than relative ones", l)
	}
}
