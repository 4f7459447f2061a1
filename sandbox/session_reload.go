package sandbox

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/guard-dev/guard/rules"
)

// RunSession runs guard shell for a guard loaded in ModeSession: bash in a
// pty inside guard, which judges every command line before bash runs it,
// with the policy reloaded whenever one of its config files changes. login
// makes bash a login shell. Messages about the session's set-up go to
// stderr; the session itself talks to the terminal on stdin and stdout.
func (g *Guard) RunSession(login bool, stdin, stdout *os.File, stderr io.Writer) (int, error) {
	var cur atomic.Pointer[SessionPolicy]
	cur.Store(g.sessionPolicy())
	notices := make(chan string, 4)
	stop := make(chan struct{})
	defer close(stop)
	if w, err := newPolicyWatcher(g); err == nil {
		go w.run(stop, &cur, notices)
	} else {
		fmt.Fprintf(stderr, "guard: config edits made during this session apply only to the next one: %v\n", err)
	}
	s := &Session{
		Shell: g.Shell,
		Login: login,
		// The session's environment is filtered once, at its start: bash
		// and everything it runs see it. Grants cannot follow single
		// commands here (see ARCHITECTURE.md).
		Env:     g.Kept,
		Policy:  cur.Load,
		Stdin:   stdin,
		Stdout:  stdout,
		Notices: notices,
	}
	return s.Run()
}

// sessionPolicy is the guard's checker and gate as a session's policy.
func (g *Guard) sessionPolicy() *SessionPolicy {
	return &SessionPolicy{Checker: g.Checker, Gate: g.Gate}
}

// policyWatcher reloads the session's policy when one of its config files
// changes.
type policyWatcher struct {
	w     *fsnotify.Watcher
	g     *Guard
	files map[string]bool
}

// newPolicyWatcher watches the directories of the managed, user and
// project config files (a directory, not the file: editors replace files
// by renaming, and a file created later must be seen too). A directory
// that does not exist yet is watched through its nearest existing parent.
func newPolicyWatcher(g *Guard) (*policyWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	loc := g.Locations
	pw := &policyWatcher{w: w, g: g, files: map[string]bool{}}
	var files []string
	if loc.SystemConfigDir != "" {
		files = append(files, filepath.Join(loc.SystemConfigDir, rules.ConfigFileName))
	}
	if loc.ConfigDir != "" {
		files = append(files, filepath.Join(loc.ConfigDir, rules.ConfigFileName))
	}
	if g.root != "" {
		files = append(files, filepath.Join(g.root, rules.ProjectConfigFileName))
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
func (pw *policyWatcher) run(stop <-chan struct{}, cur *atomic.Pointer[SessionPolicy], notices chan<- string) {
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
			// The layers of the session's directory and project, read
			// again; the real shell stays the session's.
			g, err := load(pw.g.Cwd, pw.g.root, ModeSession, Process{Version: pw.g.process.Version}, rules.FromProcess())
			if errs := g.ConfigErrors; len(errs) > 0 {
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
			if err != nil {
				say("guard: config: " + err.Error() + "; keeping the policy in force before this edit.")
				continue
			}
			cur.Store(g.sessionPolicy())
			if lastErr != "" {
				lastErr = ""
				say("guard: config fixed; the new policy applies from the next command.")
			}
		}
	}
}
