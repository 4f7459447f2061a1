package fence

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestHandledByABI(t *testing.T) {
	tests := []struct {
		abi  int
		has  []string
		lack []string
	}{
		{0, nil, []string{"write_file"}},
		{1, []string{"write_file", "remove_dir", "make_reg"}, []string{"refer", "truncate", "ioctl_dev"}},
		{2, []string{"refer"}, []string{"truncate"}},
		{3, []string{"refer", "truncate"}, []string{"ioctl_dev"}},
		{7, []string{"refer", "truncate", "ioctl_dev"}, nil},
	}
	for _, tt := range tests {
		names := strings.Join(HandledNames(Handled(tt.abi)), " ")
		for _, h := range tt.has {
			if !strings.Contains(names, h) {
				t.Errorf("ABI %d: handled %q lacks %s", tt.abi, names, h)
			}
		}
		for _, l := range tt.lack {
			if strings.Contains(names, l) {
				t.Errorf("ABI %d: handled %q has %s", tt.abi, names, l)
			}
		}
	}
	if Handled(7)&(unix.LANDLOCK_ACCESS_FS_READ_FILE|unix.LANDLOCK_ACCESS_FS_EXECUTE|unix.LANDLOCK_ACCESS_FS_READ_DIR) != 0 {
		t.Error("the fence handles a read or exec right: reads and exec must stay open")
	}
}

func TestCheckRefuses(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".config", "guard")
	tests := []struct {
		path string
		bad  bool
	}{
		{home, true},
		{filepath.Dir(home), true},
		{"/", true},
		{filepath.Join(home, ".config"), true},
		{cfg, true},
		{filepath.Join(home, ".cache"), false},
		{filepath.Join(home, "src", "proj"), false},
		{"relative", true},
	}
	for _, tt := range tests {
		err := Check(Grant{Path: tt.path, Why: "test"}, home, []string{cfg})
		if (err != nil) != tt.bad {
			t.Errorf("Check(%s) = %v, want refused %v", tt.path, err, tt.bad)
		}
	}
}

func TestGrantsWritableAndProject(t *testing.T) {
	g := Grants(Env{Home: "/h", Cwd: "/h/p/sub", ProjectRoot: "/h/p", Writable: []string{"~/notes"}, Getenv: func(string) string { return "" }})
	want := map[string]bool{"/h/p": false, "/h/notes": false, "/tmp": false, "/h/.cache": false, "/dev/null": false}
	for _, x := range g {
		if _, ok := want[x.Path]; ok {
			want[x.Path] = true
		}
		if x.Path == "/h" || x.Path == "/h/p/sub" {
			t.Errorf("unexpected grant %s", x.Path)
		}
	}
	for p, ok := range want {
		if !ok {
			t.Errorf("no grant for %s", p)
		}
	}
}

// TestMain runs the fenced child when the test binary is re-executed.
func TestMain(m *testing.M) {
	if os.Getenv("FENCE_TEST_CHILD") == "1" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// child applies the fence for FENCE_HOME / FENCE_PROJECT and reports each
// write as ok or denied on stdout.
func child() int {
	runtime.LockOSThread()
	home, proj := os.Getenv("FENCE_HOME"), os.Getenv("FENCE_PROJECT")
	maxABI, _ := strconv.Atoi(os.Getenv("FENCE_MAXABI"))
	st, err := Apply(Env{Home: home, Cwd: proj, Temp: []string{}, Getenv: func(string) string { return "" }}, Options{MaxABI: maxABI})
	if err != nil || st.ABI == 0 {
		os.Stdout.WriteString("apply failed: " + st.Why + "\n")
		return 3
	}
	report := func(name string, err error) {
		switch {
		case err == nil:
			os.Stdout.WriteString(name + " ok\n")
		case errors.Is(err, unix.EACCES):
			os.Stdout.WriteString(name + " denied\n")
		default:
			os.Stdout.WriteString(name + " error " + err.Error() + "\n")
		}
	}
	report("project", os.WriteFile(filepath.Join(proj, "out"), []byte("x"), 0o600))
	report("cache", os.WriteFile(filepath.Join(home, ".cache", "c"), []byte("x"), 0o600))
	report("unlink", os.Remove(filepath.Join(home, "Documents", "canary")))
	report("newdot", os.WriteFile(filepath.Join(home, ".newrc"), []byte("x"), 0o600))
	report("devnull", os.WriteFile("/dev/null", []byte("x"), 0o600))
	// A program from disk inherits the domain across execve.
	report("exec-rm", exec.Command("/bin/rm", "-f", filepath.Join(home, "Documents", "canary")).Run())
	return 0
}

func TestApplyFences(t *testing.T) {
	if _, err := ABI(); err != nil {
		t.Skipf("Landlock unavailable: %v", err)
	}
	for _, maxABI := range []string{"0", "1", "3"} {
		t.Run("maxabi"+maxABI, func(t *testing.T) {
			home, proj := t.TempDir(), t.TempDir()
			docs := filepath.Join(home, "Documents")
			os.MkdirAll(docs, 0o700)
			canary := filepath.Join(docs, "canary")
			os.WriteFile(canary, []byte("alive"), 0o600)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "FENCE_TEST_CHILD=1", "FENCE_HOME="+home, "FENCE_PROJECT="+proj, "FENCE_MAXABI="+maxABI)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			got := string(out)
			for _, want := range []string{"project ok", "cache ok", "unlink denied", "newdot denied", "devnull ok"} {
				if !strings.Contains(got, want+"\n") {
					t.Errorf("want %q in\n%s", want, got)
				}
			}
			if strings.Contains(got, "exec-rm ok") {
				if _, err := os.Stat(canary); err == nil {
					// rm -f exits 0 only when it removed the file.
					t.Errorf("rm reported success, canary still there?")
				}
			}
			if b, err := os.ReadFile(canary); err != nil || string(b) != "alive" {
				t.Errorf("canary damaged: %v %q\n%s", err, b, got)
			}
		})
	}
}

func TestPlan(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".config", "guard")
	env := func(cwd, root string, writable ...string) Env {
		return Env{Home: home, Cwd: cwd, ProjectRoot: root, Writable: writable, Protected: []string{cfg}, Temp: []string{}}
	}
	has := func(gs []Grant, p string) bool {
		for _, g := range gs {
			if g.Path == p {
				return true
			}
		}
		return false
	}
	tests := []struct {
		name    string
		e       Env
		grant   []string
		noGrant []string
		err     bool
		note    bool
	}{
		{"project", env(filepath.Join(home, "src", "p", "sub"), filepath.Join(home, "src", "p")), []string{filepath.Join(home, "src", "p"), filepath.Join(home, ".ssh", "known_hosts")}, []string{home}, false, false},
		{"home is no project", env(home, ""), nil, []string{home}, false, true},
		{"direct child of home without git", env(filepath.Join(home, "Documents"), ""), nil, []string{filepath.Join(home, "Documents")}, false, true},
		{"dotfiles repo", env(filepath.Join(home, "x"), home), nil, []string{home}, false, true},
		{"writable in guard's config", env(filepath.Join(home, "p"), filepath.Join(home, "p"), "~/.config/guard/sub"), nil, nil, true, false},
		{"writable holding ssh", env(filepath.Join(home, "p"), filepath.Join(home, "p"), "~/.ssh/x"), nil, nil, true, false},
		{"writable notes", env(filepath.Join(home, "p"), filepath.Join(home, "p"), "~/notes"), []string{filepath.Join(home, "notes")}, nil, false, false},
	}
	for _, tt := range tests {
		g, notes, err := Plan(tt.e)
		if (err != nil) != tt.err {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.err)
			continue
		}
		if (len(notes) > 0) != tt.note {
			t.Errorf("%s: notes %q", tt.name, notes)
		}
		for _, p := range tt.grant {
			if !has(g, p) {
				t.Errorf("%s: no grant for %s", tt.name, p)
			}
		}
		for _, p := range tt.noGrant {
			if has(g, p) {
				t.Errorf("%s: unexpected grant for %s", tt.name, p)
			}
		}
	}
}

func TestDenied(t *testing.T) {
	granted := []Grant{{Path: "/p", Why: WhyProject}, {Path: "/h/.cache", Why: WhyCache}}
	yes := func(string) bool { return true }
	tests := []struct {
		out, want string
		writable  func(string) bool
	}{
		{"rm: cannot remove '/h/Documents/a': Permission denied\n", "/h/Documents/a", yes},
		{"PermissionError: [Errno 13] Permission denied: '/h/.config/guard/guard.toml'", "/h/.config/guard/guard.toml", yes},
		{"Error: EACCES: permission denied, open '/h/.npmrc'\n", "/h/.npmrc", yes},
		{"open /h/x/y: permission denied\n", "/h/x/y", yes},
		{"touch: cannot touch 'rel/f': Permission denied\n", "/w/rel/f", yes},
		{"mkdir: cannot create directory '/p/x': Permission denied\n", "", yes},
		{"rm: cannot remove '/h/.cache/x': Permission denied\n", "", yes},
		{"bash: /etc/passwd: Permission denied\n", "", func(string) bool { return false }},
		{"cannot remove '/h/Documents/a': No such file or directory\n", "", yes},
	}
	for _, tt := range tests {
		if got, _ := Denied([]byte(tt.out), "/w", granted, tt.writable); got != tt.want {
			t.Errorf("Denied(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
	if got, unsure := Denied([]byte("PermissionError: [Errno 13] Permission denied: 'canary'\n"), "/p/sub", granted, yes); got != "canary" || !unsure {
		t.Errorf("a bare name: %q %v, want canary, unsure", got, unsure)
	}
	note := Note("/h/Documents", false, Status{Granted: granted}, "/h")
	if !strings.Contains(note, "~/Documents") || !strings.Contains(note, "[paths] writable") || !strings.Contains(note, "(/p)") {
		t.Errorf("note %q", note)
	}
}

func TestApplyWithoutLandlock(t *testing.T) {
	st, err := Apply(Env{Home: t.TempDir(), Cwd: t.TempDir(), Temp: []string{}}, Options{NoLandlock: true})
	if err != nil || st.ABI != 0 || st.Handled != 0 || !strings.Contains(st.Why, "nolandlock") {
		t.Errorf("Apply without Landlock = %+v, %v; want ABI 0 with the reason and no error", st, err)
	}
}
