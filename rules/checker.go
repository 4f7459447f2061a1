package rules

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/internal/safefile"
)

// Locations says where guard's own files live. Writing to any of them is
// denied by the self pack.
type Locations struct {
	// ConfigDir is the user's config directory ($XDG_CONFIG_HOME/guard).
	ConfigDir string
	// StateDir holds the audit log and approvals ($XDG_STATE_HOME/guard).
	StateDir string
	// SystemConfigDir holds the managed policy (/etc/guard).
	SystemConfigDir string
	// Binary is the guard executable, when known.
	Binary string
}

// Locate returns guard's locations for a user with home directory home,
// reading the XDG variables through getenv (see BaseDir: relative values
// are ignored). home should come from UserHome. A directory with no
// absolute base (no home, no XDG variable) is "", never a path relative to
// the working directory, where the agent could plant a config.
func Locate(home string, getenv func(string) string) Locations {
	l := Locations{SystemConfigDir: "/etc/guard"}
	if config := BaseDir(getenv, home, "XDG_CONFIG_HOME", ".config"); config != "" {
		l.ConfigDir = filepath.Join(config, "guard")
	}
	if state := BaseDir(getenv, home, "XDG_STATE_HOME", ".local", "state"); state != "" {
		l.StateDir = filepath.Join(state, "guard")
	}
	return l
}

// Paths returns every location that is set.
func (l Locations) Paths() []string {
	var out []string
	for _, p := range []string{l.ConfigDir, l.StateDir, l.SystemConfigDir, l.Binary} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Checker analyses commands and judges them (Check), for every mode of
// guard.
//
// A Checker keeps caches (the parser, project roots) and must not be used
// by two goroutines at once.
type Checker struct {
	engine   *Engine
	world    *World
	ctx      interceptor.Context
	analyzer interceptor.Analyzer
	// call is what the engine examines each judgment's invocations
	// through (Engine.evaluateWith).
	call Call
	// broken are the config errors that hold every command guard would
	// allow for a human (Policy.Broken).
	broken []*ConfigError
	// session is set for guard shell's checker (NewSessionChecker): each
	// line's source is also checked for what the session's rules look at.
	session bool
}

// Options configure a Checker.
type Options struct {
	// Home is the user's home directory.
	Home string
	// PasswdHome returns the current user's home from the password
	// database (PasswdHome): what "~" is while HOME is unset. It is asked
	// only for such a "~"; nil makes that "~" unknown.
	PasswdHome func() string
	// User is the user name.
	User string
	// Env holds the environment variables the command would see.
	Env map[string]string
	// Locations are guard's own files.
	Locations Locations
	// Policy is the effective configuration (LoadPolicy); nil means the
	// built-in defaults.
	Policy *Policy
	// Overrides set rule decisions by id, on top of the policy's.
	Overrides map[string]Decision
	// FS is the filesystem analysis reads; nil means the real one.
	FS interceptor.FS
	// TempDirs replaces the scratch directories (/tmp, /var/tmp, $TMPDIR)
	// when set; tests whose home lives under /tmp need that.
	TempDirs []string
	// EnvExact says Env is exactly the environment commands start with, so
	// a variable missing from it is unset rather than unknown: true in shell
	// mode and guard run, which pass the command that environment.
	EnvExact bool
	// Sources keeps the analysis of inert sourced files (agents' shell
	// snapshots) between commands; nil keeps nothing.
	Sources interceptor.SourceCache
}

// NewChecker builds a checker over the built-in packs and the policy: its
// rule decisions, custom rules, paths and hosts.
func NewChecker(o Options) (*Checker, error) {
	packs, overrides := Builtin(), o.Overrides
	if p := o.Policy; p != nil {
		if len(p.Custom) > 0 {
			packs = append(packs, CustomPack(p.Custom))
		}
		overrides = map[string]Decision{}
		for id, d := range p.Overrides {
			overrides[id] = d
		}
		for id, d := range o.Overrides {
			overrides[id] = d
		}
	}
	e, err := NewEngine(packs, overrides)
	if err != nil {
		return nil, err
	}
	fsys := o.FS
	if fsys == nil {
		fsys = interceptor.OSFS{}
	}
	ctx := interceptor.Context{Home: o.Home, PasswdHome: o.PasswdHome, User: o.User, Env: o.Env, FS: fsys, EnvExact: o.EnvExact, Sources: o.Sources}
	w := NewWorld(o.Home, o.Env["TMPDIR"], o.Locations.Paths(), fsys)
	if o.Locations.StateDir != "" {
		w.GuardKey = filepath.Join(o.Locations.StateDir, safefile.KeyFile)
	}
	if o.TempDirs != nil {
		w.TempDirs = o.TempDirs
	}
	w.AgentScratch = AgentScratchDirs(o.Home, o.Env)
	o.Policy.apply(w)
	w.Analysis = ctx
	c := &Checker{engine: e, world: w, ctx: ctx}
	if o.Policy != nil {
		c.broken = o.Policy.Broken
	}
	return c, nil
}

// FromProcess returns the options for the current process: its home, user
// and environment, and guard's default locations.
func FromProcess() Options {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	home := UserHome(func(k string) string { return env[k] })
	user := env["USER"]
	if user == "" {
		user = env["LOGNAME"]
	}
	loc := Locate(home, func(k string) string { return env[k] })
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		loc.Binary = exe
	}
	return Options{Home: home, PasswdHome: PasswdHome, User: user, Env: env, Locations: loc}
}

// Rules lists the checker's rules with their effective decisions.
func (c *Checker) Rules() []Rule { return c.engine.Rules() }
