package sandbox

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules"
)

// Mode is what this guard process is for. It decides what Load builds and
// the environment the analysis assumes, and is the mode the audit log
// records.
type Mode string

// The modes of guard (see ARCHITECTURE.md, "Modes").
const (
	// ModePolicy reads the policy only: guard config, guard env, guard
	// approve, the message about a shell setting that loops.
	ModePolicy Mode = "policy"
	// ModeCheck judges without running anything: guard check, guard rules.
	ModeCheck Mode = "check"
	// ModeHook judges an agent's pre-execution event; the agent runs the
	// command itself.
	ModeHook Mode = "hook"
	// ModeShell is guard as bash (guard -c, a link named bash): it judges,
	// then replaces itself with the real shell.
	ModeShell Mode = "shell"
	// ModeRun is guard run: one command judged and executed.
	ModeRun Mode = "run"
	// ModeSession is guard shell: an interactive bash in a pty inside
	// guard, every line judged before bash runs it.
	ModeSession Mode = "session"
)

// Process is what Load takes from the guard binary besides the directory
// and the mode.
type Process struct {
	// Version is guard's build version ("dev" for a development build).
	// It names the source cache's entries, so that a rebuilt guard never
	// reads another build's.
	Version string
	// Stderr receives the problems found in the config files; nil
	// discards them (they are in Guard.ConfigErrors all the same).
	Stderr io.Writer
}

// Guard is the guard of this process: the policy of the config layers that
// apply in its directory and, as its mode needs them, the checker that
// judges, the gate that admits and the real shell that runs.
type Guard struct {
	Mode Mode
	// Cwd is the directory the policy was read for.
	Cwd string
	// Policy is the effective config (rules.LoadPolicy).
	Policy *rules.Policy
	// ConfigErrors are the problems found reading the config layers;
	// guard goes on with the layers that are sound, as the policy says.
	ConfigErrors []error
	// Locations are guard's own files.
	Locations rules.Locations
	// Env is the policy's [env] section, for package env.
	Env env.Policy
	// Kept is guard's environment less what the policy strips: what a
	// command gets (before grants).
	Kept []string
	// Checker judges commands; nil in ModePolicy.
	Checker *rules.Checker
	// Gate admits judged commands (shell, run, session modes).
	Gate *Gate
	// Shell is the real shell (shell, run, session modes).
	Shell string

	// root is the project root the policy was read for (rules.World.
	// ProjectRoot), kept so that guard shell's reloads read the same
	// layers.
	root    string
	process Process

	// foreseen and approval are what admit found for the command line it
	// admitted: the names of the programs it runs, and how it was
	// approved; the exec judge does not ask again about those.
	foreseen []string
	approval string
}

// Load builds the guard for this process, in directory cwd, for mode. It
// is the one place where guard's policy, checker, gate and real shell are
// put together, so every mode judges with the same view of the world: the
// environment the command will see (what the policy strips is unknown to
// the analysis as to the command) plus what guard adds to it in that mode.
//
// Problems in the config files are reported on p.Stderr and do not fail
// Load; an error is returned only when the mode cannot work (the rules do
// not build, the real shell cannot be found), never in ModePolicy.
func Load(cwd string, mode Mode, p Process) (*Guard, error) {
	opts := rules.FromProcess()
	root := rules.NewWorld(opts.Home, "", nil, nil).ProjectRoot(cwd)
	g, err := load(cwd, root, mode, p, opts)
	if err != nil {
		return nil, err
	}
	switch mode {
	case ModeShell, ModeRun, ModeSession:
		shell, err := RealShell(g.Policy.Shell, g.Locations.Binary)
		if err != nil {
			return nil, err
		}
		g.Shell = shell
	}
	return g, nil
}

// load is Load for a known project root, without the real shell: what
// guard shell rebuilds when its config changes. The guard it returns with
// an error has its policy and config errors, no checker.
func load(cwd, root string, mode Mode, p Process, opts rules.Options) (*Guard, error) {
	policy, errs := rules.LoadPolicy(opts.Locations, root, func(k string) string { return opts.Env[k] })
	if p.Stderr != nil {
		for _, err := range errs {
			fmt.Fprintf(p.Stderr, "guard: config: %v\n", err)
		}
		if policy.Fallback != "" {
			fmt.Fprintln(p.Stderr, policy.Fallback)
		}
	}
	opts.Policy = policy
	ep := envPolicy(policy)
	// The analysis sees the environment the command will see: what guard
	// strips is unknown to both.
	kept, environ, removed := filteredEnv(ep)
	opts.Env = environ
	if mode == ModeCheck || mode == ModeHook {
		// The agent runs the command with the variables guard strips:
		// they are there, their values unknown to the analysis
		// (DATABASE_URL=postgres://u:pw@prod… is not "no DATABASE_URL").
		for _, r := range removed {
			environ[r.Name] = interceptor.UnknownMark
		}
	}
	g := &Guard{Mode: mode, Cwd: cwd, Policy: policy, ConfigErrors: errs, Locations: opts.Locations,
		Env: ep, Kept: kept, root: root, process: p}
	if mode == ModePolicy {
		return g, nil
	}
	gate := &Gate{
		Mode:     string(mode),
		StateDir: opts.Locations.StateDir,
		Timeout:  policy.ApprovalTimeout,
		Env:      ep,
	}
	var err error
	switch mode {
	case ModeShell, ModeRun:
		// The command gets exactly this environment: a variable missing
		// from it is unset. A granted variable reaches some commands only,
		// so to the analysis its value is unknown.
		opts.EnvExact = true
		opts.Env[GuardedEnv] = "1" // the gate adds it to every command
		// guard sets it for the real shell (MarkRealShell); its value is
		// not the analysis's business.
		opts.Env[RealShellEnv] = interceptor.UnknownMark
		// The gate sets the call token of an approved call or passes it
		// on (CallEnv): to the analysis it is unknown.
		opts.Env[CallEnv] = interceptor.UnknownMark
		if dir := opts.Locations.StateDir; dir != "" { // "" with no home: no cache rather than one in the cwd
			opts.Sources = newSourceCache(dir, p.Version)
		}
		for _, gr := range ep.Grants {
			if _, kept := opts.Env[gr.Name]; !kept {
				if _, ok := os.LookupEnv(gr.Name); ok {
					opts.Env[gr.Name] = interceptor.UnknownMark
				}
			}
		}
		g.Checker, err = rules.NewChecker(opts)
		gate.Kept = kept
		gate.Stderr = p.Stderr
		// guard replaces itself with what it admits, so that process runs
		// the call: an approved call's token is bound to it.
		gate.CallPID = os.Getpid()
		gate.CallToken = os.Getenv(CallEnv)
		g.Gate = gate
	case ModeSession:
		// The analysis sees the session's environment: what guard adds to
		// it too.
		opts.Env[GuardedEnv] = "1"
		opts.Env[SessionEnvVar] = strconv.Itoa(os.Getpid())
		opts.Env[RealShellEnv] = interceptor.UnknownMark
		g.Checker, err = rules.NewSessionChecker(opts)
		g.Gate = gate
	default:
		g.Checker, err = rules.NewChecker(opts)
	}
	if err != nil {
		g.Checker, g.Gate = nil, nil
		return g, err
	}
	return g, nil
}

// envPolicy returns the config's [env] section with each grant's origin,
// for package env's messages.
func envPolicy(p *rules.Policy) env.Policy {
	ep := p.Env
	ep.Grants = nil
	for _, g := range p.Env.Grants {
		g.Origin = p.Origin("env.grant", g.Name).String()
		ep.Grants = append(ep.Grants, g)
	}
	return ep
}

// filteredEnv returns the environment a command would see, as a list and
// as a map for the analysis, and what it strips: unknown to the analysis,
// and where guard runs the command, absent for the command too.
func filteredEnv(p env.Policy) (kept []string, m map[string]string, removed []env.Removed) {
	kept, removed = env.Filter(os.Environ(), p)
	m = make(map[string]string, len(kept))
	for _, kv := range kept {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return kept, m, removed
}
