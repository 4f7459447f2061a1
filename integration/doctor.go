package integration

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/internal/safefile"
	"github.com/guard-dev/guard/rules"
)

// DoctorOptions say what Doctor checks against.
type DoctorOptions struct {
	// Home is the user's home directory.
	Home string
	// Binary is this guard executable (os.Executable with symbolic links
	// resolved); hooks should run it.
	Binary string
	// Getenv reads the environment (XDG_STATE_HOME, CLAUDE_CONFIG_DIR,
	// CODEX_HOME); nil reads nothing.
	Getenv func(string) string
	// CheckConfig loads guard's own configuration and reports why it
	// cannot be used; nil skips that check.
	CheckConfig func() error
	// Mark says whether guard can mark what it runs for "guard approve" to
	// recognise (a seccomp filter, sandbox/launch), and describes what is
	// in force; nil skips that check.
	Mark func() (ok bool, what string)
	// Fence says whether the write fence is in force for the agent routes
	// and what it handles and grants (sandbox.FenceStatus).
	Fence func() (ok bool, what string)
	// ExecJudge says whether the exec judge runs and what this machine
	// supports (sandbox.ExecJudgeStatus).
	ExecJudge func() (ok bool, what string)
	// Gateway says whether guard-gateway is installed next to guard for
	// guard wrap (sandbox.GatewayStatus).
	Gateway func() (ok bool, what string)
	// Probe runs each installed hook as its agent would, with an event
	// guard must block, and checks the answer (see probeHook).
	Probe bool
}

// Doctor checks that guard is in place: this binary, its state directory,
// its configuration, and for each agent whether the hook is installed,
// whether it runs this binary, whether it answers when run as the agent
// runs it (with Probe), whether the agent will run it at all (Codex's
// trust), and whether the agent's settings turn hooks off. It prints one
// line per check, with what to do about each problem,
// and returns 0 when nothing is wrong and 1 otherwise. An agent without
// guard's hook is not a problem: guard may be in use through another agent
// or as a shell.
func Doctor(opts DoctorOptions, stdout io.Writer) int {
	r := &report{w: stdout}
	io.WriteString(stdout, "guard doctor\n")
	getenv := func(k string) string {
		if opts.Getenv == nil {
			return ""
		}
		return opts.Getenv(k)
	}

	switch err := checkExecutable(opts.Binary); {
	case opts.Binary == "":
		r.fail("reinstall guard (./install.sh)", "binary: cannot tell where this guard binary is")
	case err != nil:
		r.fail("reinstall guard (./install.sh)", "binary: %s: %v", opts.Binary, err)
	default:
		r.ok("binary: %s", opts.Binary)
	}

	if opts.Home == "" || !filepath.IsAbs(opts.Home) {
		r.fail("set HOME to your home directory", "home: %q is not an absolute path", opts.Home)
		return r.finish()
	}
	state := rules.Locate(opts.Home, getenv).StateDir
	if err := checkWritable(state); err != nil {
		r.fail(fmt.Sprintf("make %s a directory you can write to", state),
			"state directory: %s is not writable (%v); guard cannot keep its audit log or approvals", state, err)
	} else if err := safefile.CheckDirs(state, state); err != nil {
		r.fail(fmt.Sprintf("make %s a real directory that only you can write to", state), "state directory: %v", err)
	} else {
		r.ok("state directory: %s is writable", state)
	}

	if opts.CheckConfig == nil {
		r.info("config: not checked")
	} else if err := opts.CheckConfig(); err != nil {
		r.fail("fix the file and line named above", "config: %v", err)
	} else {
		r.ok("config: loads")
	}

	iopts := InstallOptions{Home: opts.Home, Binary: opts.Binary, Getenv: opts.Getenv}
	for _, agent := range Agents() {
		t, err := targetFor(agent, iopts)
		if err != nil {
			r.fail("", "%s: %v", agent, err)
			continue
		}
		switch t.kind {
		case jsonHooks:
			doctorJSON(r, t, opts)
		case hookScript:
			doctorScript(r, t, opts)
		case projectOnly:
			r.info("%s: hooks live in each repository's %s; not checked here", agent, t.adapter.project.file)
		}
	}
	doctorShell(r, opts)
	if opts.Mark != nil {
		// Not a problem of guard's wiring: guard works without it, with
		// weaker marks, and says so.
		if ok, what := opts.Mark(); ok {
			r.ok("approve: %s", what)
		} else {
			r.note("approve: %s", what)
		}
	}
	if opts.Fence != nil {
		// Like the mark: guard runs without it, and says so.
		if ok, what := opts.Fence(); ok {
			r.ok("%s", what)
		} else {
			r.note("%s", what)
		}
	}
	if opts.ExecJudge != nil {
		if ok, what := opts.ExecJudge(); ok {
			r.ok("%s", what)
		} else {
			r.note("%s", what)
		}
	}
	if opts.Gateway != nil {
		if ok, what := opts.Gateway(); ok {
			r.ok("%s", what)
		} else {
			r.note("%s", what)
		}
	}
	return r.finish()
}

// report prints the checks and counts the problems.
type report struct {
	w        io.Writer
	problems int
}

func (r *report) ok(format string, args ...any) {
	fmt.Fprintf(r.w, "ok    "+format+"\n", args...)
}

func (r *report) info(format string, args ...any) {
	fmt.Fprintf(r.w, "--    "+format+"\n", args...)
}

func (r *report) note(format string, args ...any) {
	fmt.Fprintf(r.w, "note  "+format+"\n", args...)
}

func (r *report) fail(fix string, format string, args ...any) {
	r.problems++
	fmt.Fprintf(r.w, "FAIL  "+format+"\n", args...)
	if fix != "" {
		fmt.Fprintf(r.w, "      fix: %s\n", fix)
	}
}

func (r *report) finish() int {
	if r.problems == 0 {
		fmt.Fprintln(r.w, "no problems found")
		return 0
	}
	fmt.Fprintf(r.w, "%d %s found\n", r.problems, plural(r.problems, "problem", "problems"))
	return 1
}

// doctorJSON checks an agent configured through a JSON settings file.
func doctorJSON(r *report, t *target, opts DoctorOptions) {
	data, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		r.info("%s: not installed (%s does not exist; run: guard install %s)", t.agent, t.path, t.agent)
		return
	}
	if err != nil {
		r.fail("make the file readable", "%s: cannot read %s: %v", t.agent, t.path, err)
		return
	}
	refs, err := settingsRefs(t, data, opts.Binary)
	if err != nil {
		fix := "repair the file by hand"
		if b := backupsOf(t.path); len(b) > 0 {
			fix += "; guard's last backup of it is " + b[0]
		}
		r.fail(fix, "%s: %s does not parse (%v), so %s cannot read its hooks either", t.agent, t.path, err, t.agent)
		return
	}
	if len(refs) == 0 {
		r.info("%s: not installed (no guard hook in %s; run: guard install %s)", t.agent, t.path, t.agent)
		return
	}
	good := true
	for _, ref := range refs {
		good = checkHookCommand(r, t, ref.cmd.str, ref.bin, ref.agent, opts) && good
	}
	a := t.adapter
	if a.trust != nil && good {
		if problem, fix := a.trust(t, data, opts.Binary); problem != "" {
			r.fail(fix, "%s: %s", t.agent, problem)
			good = false
		}
	}
	if a.hooksOff != nil {
		if off := a.hooksOff(t, data); off != "" {
			r.fail(off, "%s: guard's hook is in %s, but %s's settings turn hooks off", t.agent, t.path, t.agent)
			good = false
		}
	}
	if good && opts.Probe {
		for _, ref := range refs {
			if err := probeHook(t.agent, opts.Home, "/bin/sh", "-c", ref.cmd.str); err != nil {
				r.fail("run the hook's command by hand to see why; then run: guard install "+t.agent,
					"%s: guard's hook in %s does not work when run as %s runs it: %v", t.agent, t.path, t.agent, err)
				good = false
			}
		}
	}
	if good {
		r.ok("%s: %s runs %q (%s)", t.agent, t.path, refs[0].cmd.str, t.what)
	}
	if a.notes != nil {
		for _, n := range a.notes(t, data, opts.Binary) {
			r.note("%s: %s", t.agent, n)
		}
	}
}

// checkHookCommand checks that a hook command runs this guard with this
// agent's protocol.
func checkHookCommand(r *report, t *target, cmd, bin, agent string, opts DoctorOptions) bool {
	fix := "run: guard install " + t.agent
	if agent != t.agent {
		r.fail(fix, "%s: %s runs %q, which speaks %s's protocol, not %s's", t.agent, t.path, cmd, agent, t.agent)
		return false
	}
	path := bin
	if !strings.ContainsRune(bin, '/') {
		found, err := exec.LookPath(bin)
		if err != nil {
			r.fail(fix, "%s: %s runs %q, but %s is not on this PATH", t.agent, t.path, cmd, bin)
			return false
		}
		path = found
	}
	if err := checkExecutable(path); err != nil {
		r.fail(fix, "%s: %s runs %q, but %s: %v", t.agent, t.path, cmd, path, err)
		return false
	}
	if opts.Binary != "" && !sameFile(path, opts.Binary) {
		r.fail(fix+" (to use this binary)", "%s: %s runs %s, not this guard (%s)", t.agent, t.path, path, opts.Binary)
		return false
	}
	return true
}

// checkExecutable says why path is not an executable file, or nil.
func checkExecutable(path string) error {
	if path == "" {
		return errors.New("no path")
	}
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errors.New("it does not exist")
		}
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("it is not a regular file")
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return errors.New("it is not executable")
	}
	return nil
}

// checkWritable makes sure dir exists and a file can be created in it.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// sameFile says whether two paths name the same file.
func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}
