package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// writeProgram writes an executable script at p.
func writeProgram(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// systemProgram returns a program of the system that the agent's user
// cannot have written, or skips the test.
func systemProgram(t *testing.T, name string) string {
	t.Helper()
	for _, d := range []string{"/usr/bin", "/bin"} {
		p := filepath.Join(d, name)
		if executable(p) {
			if real, err := filepath.EvalSymlinks(p); err == nil && writableOnWay(p) == "" && writableOnWay(real) == "" {
				return p
			}
		}
	}
	t.Skipf("no %s on this system that only root can change", name)
	return ""
}

// A program is found as bash finds it, and judged by where its file is:
// the project, a temporary directory and directories the user can write
// are places the agent could have put it.
func TestResolveExec(t *testing.T) {
	base := t.TempDir()
	project := filepath.Join(base, "app")
	scratch := filepath.Join(base, "scratch")
	userBin := filepath.Join(base, "bin")
	for _, p := range []string{filepath.Join(project, "railway"), filepath.Join(scratch, "railway"), filepath.Join(userBin, "railway")} {
		writeProgram(t, p)
	}
	if err := os.Mkdir(filepath.Join(project, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(userBin, "notexec"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// For root, a directory another user owns is one the agent's
		// files may come from.
		if err := os.Chown(userBin, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	env := systemProgram(t, "env")
	if err := os.Symlink(env, filepath.Join(project, "env-link")); err != nil {
		t.Fatal(err)
	}
	w := NewWorld(base, "", nil, nil)
	w.TempDirs = []string{scratch}
	unknown := interceptor.UnknownMark

	cases := []struct {
		exec        interceptor.Exec
		path        string // "" for none
		missing     string // a part of Missing
		untrusted   string // a part of Untrusted, "" for trusted
		agentPlace  bool
		wantBuiltin bool
	}{
		{exec: interceptor.Exec{Name: "cd", Builtin: true}, wantBuiltin: true},
		{exec: interceptor.Exec{Name: "env", Search: "/usr/bin:/bin", Cwd: project}, path: env},
		{exec: interceptor.Exec{Name: env, Cwd: project}, path: env},
		{exec: interceptor.Exec{Name: "./railway", Cwd: project}, path: filepath.Join(project, "railway"), untrusted: "inside the project", agentPlace: true},
		{exec: interceptor.Exec{Name: "railway", Search: ".:/usr/bin", Cwd: project}, path: filepath.Join(project, "railway"), untrusted: "inside the project", agentPlace: true},
		{exec: interceptor.Exec{Name: "railway", Search: ":/usr/bin", Cwd: project}, path: filepath.Join(project, "railway"), untrusted: "inside the project", agentPlace: true},
		{exec: interceptor.Exec{Name: "railway", Search: "app", Cwd: base}, path: filepath.Join(project, "railway"), untrusted: "inside the project", agentPlace: true},
		{exec: interceptor.Exec{Name: filepath.Join(scratch, "railway"), Cwd: project}, path: filepath.Join(scratch, "railway"), untrusted: "temporary directory", agentPlace: true},
		{exec: interceptor.Exec{Name: "railway", Search: userBin + ":/usr/bin", Cwd: project}, path: filepath.Join(userBin, "railway"), untrusted: userBin},
		// The link is in the project: the agent could point it elsewhere.
		{exec: interceptor.Exec{Name: "./env-link", Cwd: project}, path: filepath.Join(project, "env-link"), untrusted: "inside the project", agentPlace: true},
		// What cannot be found or known names no file.
		{exec: interceptor.Exec{Name: "railway", Search: unknown + ":/usr/bin", Cwd: project}, missing: "PATH it is looked up in is not known"},
		{exec: interceptor.Exec{Name: "railway", Search: "app"}, missing: "relative entry"},
		{exec: interceptor.Exec{Name: "notexec", Search: userBin}, missing: "not found"},
		{exec: interceptor.Exec{Name: "./notexec", Cwd: userBin}, missing: "not an executable file"},
		{exec: interceptor.Exec{Name: "./railway"}, missing: "directory it is taken from is not known"},
		{exec: interceptor.Exec{Name: unknown, Cwd: project}, missing: "name is not known"},
	}
	for _, c := range cases {
		p := w.resolveExec(c.exec)
		where := c.exec.Name + " in " + c.exec.Search
		switch {
		case p.Builtin != c.wantBuiltin:
			t.Errorf("%s: builtin %v", where, p.Builtin)
		case p.Path != c.path:
			t.Errorf("%s: path %q (missing %q), want %q", where, p.Path, p.Missing, c.path)
		case c.missing != "" && !strings.Contains(p.Missing, c.missing):
			t.Errorf("%s: missing %q, want %q", where, p.Missing, c.missing)
		case c.untrusted == "" && p.Untrusted != "":
			t.Errorf("%s: untrusted %q, want trusted", where, p.Untrusted)
		case !strings.Contains(p.Untrusted, c.untrusted):
			t.Errorf("%s: untrusted %q, want %q", where, p.Untrusted, c.untrusted)
		case p.AgentPlace != c.agentPlace:
			t.Errorf("%s: agent place %v", where, p.AgentPlace)
		}
	}
}

// For root, a file only root can change is trusted even below a sticky
// world-writable directory (/tmp), which lets others replace only what
// they own; one a user owns or that others can write is not.
func TestWritableOnWayAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make files of another owner")
	}
	sticky := filepath.Join(t.TempDir(), "sticky")
	if err := os.Mkdir(sticky, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sticky, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(sticky, "root", "prog")
	writeProgram(t, mine)
	if why := writableOnWay(mine); why != "" {
		t.Errorf("root's file under a sticky directory: %s", why)
	}
	theirs := filepath.Join(sticky, "user", "prog")
	writeProgram(t, theirs)
	if err := os.Chown(filepath.Dir(theirs), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if why := writableOnWay(theirs); !strings.Contains(why, "owned by uid 65534") {
		t.Errorf("a user's directory: %q", why)
	}
	open := filepath.Join(sticky, "open", "prog")
	writeProgram(t, open)
	if err := os.Chmod(open, 0o775); err != nil {
		t.Fatal(err)
	}
	if why := writableOnWay(open); !strings.Contains(why, "writable by its group") {
		t.Errorf("a group-writable file: %q", why)
	}
}

// Check returns one launch per command with what runs it.
func TestCheckLaunches(t *testing.T) {
	c, err := NewChecker(Options{Home: "/home/u", Env: map[string]string{"HOME": "/home/u", "PATH": "/usr/bin:/bin"}, EnvExact: true})
	if err != nil {
		t.Fatal(err)
	}
	ls := c.Check(Command{Source: "cd /srv && PATH=.:$PATH railway up; $(date); ssh db1 railway", Cwd: "/home/u/code/app"}).Launches
	var got []string
	for _, l := range ls {
		s := l.Name
		for _, e := range l.Execs {
			s += " " + e.Name + "[" + strings.ReplaceAll(e.Search, interceptor.UnknownMark, "?") + "]@" + e.Cwd
		}
		if l.Unknown != "" {
			s += " unknown"
		}
		got = append(got, s)
	}
	want := []string{
		"cd cd[/usr/bin:/bin]@/home/u/code/app",
		"railway railway[.:/usr/bin:/bin]@/srv",
		"date date[/usr/bin:/bin]@/srv",
		" unknown",
		"ssh ssh[/usr/bin:/bin]@/srv",
		"railway railway[?]@ unknown",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("launches:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A program must not run with a PATH the line gave it where the agent
// could have put what it starts: even the real railway, a script that
// starts "#!/usr/bin/env node", would run the agent's node.
func TestPathRisk(t *testing.T) {
	base := t.TempDir()
	project := filepath.Join(base, "app")
	scratch := filepath.Join(base, "scratch")
	userBin := filepath.Join(base, "bin")
	otherBin := filepath.Join(base, "other")
	for _, d := range []string{filepath.Join(project, ".git"), scratch, userBin, otherBin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if os.Geteuid() == 0 {
		for _, d := range []string{userBin, otherBin} {
			if err := os.Chown(d, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}
	}
	w := NewWorld(base, "", nil, nil)
	w.TempDirs = []string{scratch}
	w.Analysis.Env = map[string]string{"PATH": userBin + ":/usr/bin:/bin:."}
	cases := []struct{ search, risk string }{
		{"/usr/bin:/bin", ""},
		{userBin + ":/usr/bin:/bin", ""}, // the user's own PATH has it
		{"/usr/lib:/usr/bin", ""},        // added, but only root can write it
		{".:/usr/bin", `has "."`},        // even though the user's PATH has it
		{":/usr/bin", `has ""`},
		{project + "/node_modules/.bin:/usr/bin", "inside the project"},
		{scratch + ":/usr/bin", "temporary directory"},
		{otherBin + ":/usr/bin", otherBin},
		{base + "/missing:/usr/bin", "cannot be checked"},
		{interceptor.UnknownMark + ":/usr/bin", "not known"},
	}
	for _, c := range cases {
		got := w.pathRisk(interceptor.Exec{Name: "railway", Search: c.search, Cwd: project})
		if c.risk == "" && got != "" || !strings.Contains(got, c.risk) {
			t.Errorf("PATH %s: risk %q, want %q", c.search, got, c.risk)
		}
	}
}
