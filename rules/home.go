package rules

import (
	"os/user"
	"path/filepath"
)

// PasswdHome returns the current user's home directory from the password
// database, "" when the user has none. It is what bash expands "~" to when
// HOME is unset. Built without cgo, os/user reads /etc/passwd; with cgo it
// asks getpwuid_r, as bash does.
func PasswdHome() string {
	u, err := user.Current()
	if err != nil || !filepath.IsAbs(u.HomeDir) {
		return ""
	}
	return filepath.Clean(u.HomeDir)
}

// UserHome returns the user's home directory: $HOME when it is an absolute
// path, else the password database's (PasswdHome), so that guard never
// takes its config or state relative to the working directory when HOME is
// unset, empty or relative. "" when neither is known.
func UserHome(getenv func(string) string) string {
	if h := getenv("HOME"); filepath.IsAbs(h) {
		return filepath.Clean(h)
	}
	return PasswdHome()
}

// BaseDir returns the XDG base directory that variable names
// (XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_DATA_HOME, XDG_CACHE_HOME), or
// home joined with def when it is unset, empty or relative: the XDG spec
// says a relative value is invalid and must be ignored. "" when home is ""
// and the variable gives no absolute path, so that no caller builds a path
// relative to the working directory.
func BaseDir(getenv func(string) string, home, variable string, def ...string) string {
	if d := getenv(variable); filepath.IsAbs(d) {
		return filepath.Clean(d)
	}
	if !filepath.IsAbs(home) {
		return ""
	}
	return filepath.Join(append([]string{home}, def...)...)
}
