package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// runSession is the session mode: "guard shell", and "guard" with no
// arguments, "guard -i" or "guard -l" on a terminal. bash runs in a pty
// inside guard, which judges every command line before bash runs it.
func runSession(login bool, stdin *os.File, stderr io.Writer) int {
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "guard: cannot read the working directory: %v\n", err)
		return sandbox.ExitBlocked
	}
	st := loadSetup(cwd, stderr)
	pol, err := sessionPolicy(st)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	shell, err := sandbox.RealShell(st.policy.Shell, st.opts.Locations.Binary)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	// The session's environment is filtered once, at its start: bash and
	// everything it runs see it. Grants cannot follow single commands
	// here (see ARCHITECTURE.md).
	kept, _ := env.Filter(os.Environ(), envPolicy(st.policy))

	var cur atomic.Pointer[sandbox.SessionPolicy]
	cur.Store(pol)
	notices := make(chan string, 4)
	stop := make(chan struct{})
	defer close(stop)
	if w, err := newPolicyWatcher(st); err == nil {
		go w.run(stop, &cur, notices)
	} else {
		fmt.Fprintf(stderr, "guard: config edits made during this session apply only to the next one: %v\n", err)
	}

	s := &sandbox.Session{
		Shell:   shell,
		Login:   login,
		Env:     kept,
		Policy:  cur.Load,
		Stdin:   stdin,
		Stdout:  os.Stdout,
		Notices: notices,
	}
	code, err := s.Run()
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	return code
}

// sessionPolicy builds the checker and the gate of a session from a setup.
func sessionPolicy(st setup) (*sandbox.SessionPolicy, error) {
	// The analysis sees the session's environment: what guard adds to it
	// too.
	st.opts.Env[sandbox.GuardedEnv] = "1"
	st.opts.Env[sandbox.SessionEnvVar] = strconv.Itoa(os.Getpid())
	st.opts.Env[sandbox.RealShellEnv] = interceptor.UnknownMark
	checker, err := rules.NewSessionChecker(st.opts)
	if err != nil {
		return nil, err
	}
	return &sandbox.SessionPolicy{
		Checker: checker,
		Gate: &sandbox.Gate{
			Mode:     "session",
			StateDir: st.opts.Locations.StateDir,
			Timeout:  st.policy.ApprovalTimeout,
			Env:      envPolicy(st.policy),
		},
	}, nil
}

// policyWatcher reloads the session's policy when one of its config files
// changes.
type policyWatcher struct {
	w     *fsnotify.Watcher
	st    setup
	root  string
	files map[string]bool
}

// newPolicyWatcher watches the directories of the managed, user and
// project config files (a directory, not the file: editors replace files
// by renaming, and a file created later must be seen too). A directory
// that does not exist yet is watched through its nearest existing parent.
func newPolicyWatcher(st setup) (*policyWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	loc := st.opts.Locations
	pw := &policyWatcher{w: w, st: st, files: map[string]bool{}}
	pw.root = rules.NewWorld(st.opts.Home, "", nil, nil).ProjectRoot(st.cwd)
	var files []string
	if loc.SystemConfigDir != "" {
		files = append(files, filepath.Join(loc.SystemConfigDir, rules.ConfigFileName))
	}
	if loc.ConfigDir != "" {
		files = append(files, filepath.Join(loc.ConfigDir, rules.ConfigFileName))
	}
	if pw.root != "" {
		files = append(files, filepath.Join(pw.root, rules.ProjectConfigFileName))
	}
	watched := 0
	for _, f := range files {
		pw.files[f] = true
		for d := filepath.Dir(f); ; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				if w.Add(d) == nil {
					watched++
				}
				break
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	if watched == 0 {
		w.Close()
		return nil, fmt.Errorf("no config directory can be watched")
	}
	return pw, nil
}

// relevant reports whether an event may change a config file: the file
// itself, or a directory on the way to one (created later).
func (pw *policyWatcher) relevant(name string) bool {
	for f := range pw.files {
		if name == f || strings.HasPrefix(f, name+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// run reloads on changes until stop is closed. A change is applied after a
// short quiet time (an editor's save is several events). A config with
// errors keeps the policy in force, and says so once per distinct error.
func (pw *policyWatcher) run(stop <-chan struct{}, cur *atomic.Pointer[sandbox.SessionPolicy], notices chan<- string) {
	defer pw.w.Close()
	var timer <-chan time.Time
	lastErr := ""
	say := func(msg string) {
		select {
		case notices <- msg:
		default:
		}
	}
	for {
		select {
		case <-stop:
			return
		case ev, ok := <-pw.w.Events:
			if !ok {
				return
			}
			if !pw.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				// A directory on the way to a config file appeared:
				// watch it too.
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					pw.w.Add(ev.Name)
				}
			}
			timer = time.After(100 * time.Millisecond)
		case <-pw.w.Errors:
		case <-timer:
			timer = nil
			st, errs := pw.reload()
			if len(errs) > 0 {
				var msgs []string
				for _, e := range errs {
					msgs = append(msgs, e.Error())
				}
				text := strings.Join(msgs, "; ")
				if text != lastErr {
					lastErr = text
					say("guard: config: " + text + "\nguard: keeping the policy in force before this edit; fix the file and save it again.")
				}
				continue
			}
			pol, err := sessionPolicy(st)
			if err != nil {
				say("guard: config: " + err.Error() + "; keeping the policy in force before this edit.")
				continue
			}
			cur.Store(pol)
			if lastErr != "" {
				lastErr = ""
				say("guard: config fixed; the new policy applies from the next command.")
			}
		}
	}
}

// reload reads the config layers again for the session's directory.
func (pw *policyWatcher) reload() (setup, []error) {
	opts := rules.FromProcess()
	policy, errs := rules.LoadPolicy(opts.Locations, pw.root, func(k string) string { return opts.Env[k] })
	if len(errs) > 0 {
		return setup{}, errs
	}
	opts.Policy = policy
	_, opts.Env = filteredEnv(envPolicy(policy))
	return setup{opts: opts, policy: policy, cwd: pw.st.cwd}, nil
}

// runShellCommand is "guard shell [-l|--login]".
func runShellCommand(args []string, stdin *os.File, stderr io.Writer) int {
	if shellLoop(append([]string{"shell"}, args...), stderr) {
		return sandbox.ExitBlocked
	}
	login := false
	for _, a := range args {
		switch a {
		case "-l", "--login":
			login = true
		default:
			fmt.Fprintln(stderr, "usage: guard shell [-l|--login]")
			return 2
		}
	}
	return runSession(login, stdin, stderr)
}

// loginRequested reports whether bash's arguments (or a name starting with
// "-", as login(1) starts shells) ask for a login shell.
func loginRequested(argv0 string, args []string) bool {
	if strings.HasPrefix(filepath.Base(argv0), "-") {
		return true
	}
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--login":
			return true
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.Contains(a, "l"):
			return true
		}
	}
	return false
}
