package interceptor

import (
	"slices"
	"testing"
)

// XDG_CACHE_HOME is a session variable (sessionVar): missing from guard's
// environment, it is unset even when that environment is not exact, so a
// default word gives the cache directory; other variables stay unknown.
func TestSessionVars(t *testing.T) {
	cases := []struct {
		src  string
		env  map[string]string
		want string
	}{
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, nil, "rm -rf /home/u/.cache/app"},
		{`rm -rf "${XDG_CACHE_HOME-$HOME/.cache}/app"`, nil, "rm -rf /home/u/.cache/app"},
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, map[string]string{"XDG_CACHE_HOME": "/srv/cache"}, "rm -rf /srv/cache/app"},
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, map[string]string{"XDG_CACHE_HOME": ""}, "rm -rf /home/u/.cache/app"},
		{`XDG_CACHE_HOME=/x; rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, nil, "rm -rf /x/app"},
		{`rm -rf "$XDG_CACHE_HOME/app"`, nil, "rm -rf /app"},
		{`rm -rf "${XDG_DATA_HOME:-$HOME/.local/share}/app"`, nil, "rm -rf …/app"},
		{`rm -rf "${NOT_KNOWN:-$HOME/.cache}/app"`, nil, "rm -rf …/app"},
		// Not exported by the script, it may still be exported in the
		// real environment: unknown to a new shell.
		{`XDG_CACHE_HOME=/x; bash -c 'rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"'`, nil, "rm -rf …/app"},
		{`export XDG_CACHE_HOME=/x; bash -c 'rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"'`, nil, "rm -rf /x/app"},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, func(ctx *Context) {
			for k, v := range c.env {
				ctx.Env[k] = v
			}
		})
		if !slices.Contains(got, c.want) {
			t.Errorf("%q with %v: want %q among %q", c.src, c.env, c.want, got)
		}
	}
}
