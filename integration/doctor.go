package integration

import (
	"bufio"
	"bytes"
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
			r.info("%s: hooks live in each repository's .openhands/hooks.json; not checked here", agent)
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
	if t.agent == "codex" && good {
		if problem, fix := codexTrustProblem(t, data, opts.Binary); problem != "" {
			r.fail(fix, "%s: %s", t.agent, problem)
			good = false
		}
	}
	if off := hooksOff(t, data, opts); off != "" {
		r.fail(off, "%s: guard's hook is in %s, but %s's settings turn hooks off", t.agent, t.path, t.agent)
		good = false
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
	if t.agent == "gemini" && geminiFolderTrust(data) {
		// hookRegistry.ts: the hooks of the merged settings, the user's
		// own included, load only in a trusted folder.
		r.note("gemini: Gemini CLI runs no hooks, guard's included, in a folder it does not trust; headless it refuses such a folder, interactive it then asks before each command without guard: trust your project folders")
	}
	if t.agent == "cursor" && !failClosed(t, data, opts.Binary) {
		r.note("cursor: guard's hook has no \"failClosed\": true, so a hook that crashes or times out lets the command run; guard install cursor adds it")
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

// doctorScript checks the Cline hook script.
func doctorScript(r *report, t *target, opts DoctorOptions) {
	data, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		// Early releases of Cline hooks read a different directory.
		old := filepath.Join(opts.Home, "Documents", "Cline", "Rules", "Hooks", "PreToolUse")
		if d, err := os.ReadFile(old); err == nil {
			if _, ok := guardScript(d, opts.Binary); ok {
				r.note("%s: guard's hook is at %s, where early Cline releases looked; current releases read %s (run: guard install %s)", t.agent, old, t.path, t.agent)
			}
		}
		r.info("%s: not installed (%s does not exist; run: guard install %s)", t.agent, t.path, t.agent)
		return
	}
	if err != nil {
		r.fail("make the file readable", "%s: cannot read %s: %v", t.agent, t.path, err)
		return
	}
	cmd, ok := guardScript(data, opts.Binary)
	if !ok {
		r.info("%s: %s is a hook that is not guard's; guard is not installed for %s", t.agent, t.path, t.agent)
		return
	}
	good := true
	if fi, err := os.Stat(t.path); err == nil && fi.Mode().Perm()&0o111 == 0 {
		r.fail("chmod +x "+t.path, "%s: %s is not executable, so Cline does not run it", t.agent, t.path)
		good = false
	}
	w, _ := splitWords(cmd)
	good = checkHookCommand(r, t, cmd, w[0], w[2], opts) && good
	if good && opts.Probe {
		if err := probeHook(t.agent, opts.Home, t.path); err != nil {
			r.fail("run the script by hand to see why; then run: guard install "+t.agent,
				"%s: %s does not work when run as Cline runs it: %v", t.agent, t.path, err)
			good = false
		}
	}
	if good {
		r.ok("%s: %s runs %q", t.agent, t.path, cmd)
	}
	r.note("%s: Cline runs hooks only with \"Enable Hooks\" on in its settings (Features); guard cannot see that setting", t.agent)
}

// hooksOff says how to turn hooks back on when the agent's settings turn
// them off, or "".
func hooksOff(t *target, data []byte, opts DoctorOptions) string {
	root, err := parseJSON(data)
	if err != nil || root.kind != jObject {
		return ""
	}
	isFalse := func(n *jnode) bool { return n != nil && n.kind == jBool && string(data[n.start:n.end]) == "false" }
	isTrue := func(n *jnode) bool { return n != nil && n.kind == jBool && string(data[n.start:n.end]) == "true" }
	switch t.agent {
	case "claude":
		if isTrue(root.member("disableAllHooks")) {
			return `remove "disableAllHooks": true from ` + t.path
		}
	case "gemini":
		if isFalse(root.member("hooks").member("enabled")) {
			return `set "hooks": {"enabled": true} in ` + t.path
		}
		if isFalse(root.member("tools").member("enableHooks")) {
			return `set "tools": {"enableHooks": true} in ` + t.path
		}
	case "codex":
		config := filepath.Join(filepath.Dir(t.path), "config.toml")
		if codexHooksOff(config) {
			return "remove hooks = false from the [features] table of " + config
		}
	}
	return ""
}

// geminiFolderTrust says whether Gemini CLI's settings leave folder trust
// on (security.folderTrust.enabled, true unless set to false).
func geminiFolderTrust(data []byte) bool {
	root, err := parseJSON(data)
	if err != nil || root.kind != jObject {
		return true
	}
	n := root.member("security").member("folderTrust").member("enabled")
	return n == nil || n.kind != jBool || string(data[n.start:n.end]) != "false"
}

// codexHooksOff says whether Codex's config.toml turns the hooks feature
// off ([features] hooks = false, or the older codex_hooks = false).
func codexHooksOff(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if strings.HasPrefix(line, "[") {
			table = strings.Trim(line, "[] ")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if table == "" && (key == "features.hooks" || key == "features.codex_hooks") ||
			table == "features" && (key == "hooks" || key == "codex_hooks") {
			if value == "false" {
				return true
			}
		}
	}
	return false
}

// failClosed says whether guard's Cursor hook entries all say
// "failClosed": true.
func failClosed(t *target, data []byte, binary string) bool {
	refs, err := settingsRefs(t, data, binary)
	if err != nil {
		return false
	}
	root, _ := parseJSON(data)
	arr := eventChain(t, root)[len(t.event)]
	for _, ref := range refs {
		fc := arr.elems[ref.entry].member("failClosed")
		if fc == nil || string(data[fc.start:fc.end]) != "true" {
			return false
		}
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
