package rules

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestConfigFileKinds: a layer's file must be a regular file of at most
// MaxConfigSize bytes, checked before guard reads it; a dangling link is an
// error, never "no file"; the project's file must not be a link at all.
func TestConfigFileKinds(t *testing.T) {
	const sound = "[rules]\n\"git.clean\" = \"deny\"\n"
	cases := []struct {
		name string
		// make puts something at file (the user's or the project's).
		make  func(t *testing.T, file string)
		layer Layer
		// want is a part of the error; "" means it loads.
		want string
	}{
		{"regular", write(sound), LayerUser, ""},
		{"user link to a regular file", link(sound), LayerUser, ""},
		{"managed link to a regular file", link(sound), LayerManaged, ""},
		{"project link to a regular file", link(sound), LayerProject, "is a symbolic link"},
		{"dangling link", dangling, LayerUser, "is a symbolic link to " + "/nonexistent/dotfiles/guard.toml, which does not exist"},
		{"dangling project link", dangling, LayerProject, "is a symbolic link"},
		{"dangling directory link", danglingDir, LayerUser, "a symbolic link to /nonexistent/dotfiles, which does not exist"},
		{"directory", func(t *testing.T, f string) { mustDo(t, os.Mkdir(f, 0o755)) }, LayerUser, "is a directory, not a regular file"},
		{"managed directory", func(t *testing.T, f string) { mustDo(t, os.Mkdir(f, 0o755)) }, LayerManaged, "is a directory, not a regular file"},
		{"fifo", func(t *testing.T, f string) { mustDo(t, syscall.Mkfifo(f, 0o644)) }, LayerProject, "is a FIFO, not a regular file"},
		{"fifo for the user", func(t *testing.T, f string) { mustDo(t, syscall.Mkfifo(f, 0o644)) }, LayerUser, "is a FIFO, not a regular file"},
		{"user link to /dev/zero", func(t *testing.T, f string) { mustDo(t, os.Symlink("/dev/zero", f)) }, LayerUser, "is a character device, not a regular file"},
		{"project link to /dev/zero", func(t *testing.T, f string) { mustDo(t, os.Symlink("/dev/zero", f)) }, LayerProject, "is a symbolic link"},
		{"too big", write("#" + strings.Repeat(" ", MaxConfigSize) + "\n"), LayerProject, "more than a config file can be"},
		{"just small enough", write(strings.Repeat("#", MaxConfigSize-1) + "\n"), LayerProject, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, root, f := layerFiles(t, "", "", "")
			file := f[c.layer-LayerManaged]
			c.make(t, file)
			p, errs := LoadPolicy(l, root, testGetenv)
			if c.want == "" {
				if len(errs) != 0 {
					t.Fatalf("errors: %v", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), file+": ") || !strings.Contains(errs[0].Error(), c.want) {
				t.Fatalf("errors %v, want one for %s containing %q", errs, file, c.want)
			}
			if held := len(p.Broken) > 0; held != (c.layer != LayerProject) {
				t.Errorf("holds commands: %v", held)
			}
		})
	}
}

func write(content string) func(*testing.T, string) {
	return func(t *testing.T, f string) { mustDo(t, os.WriteFile(f, []byte(content), 0o644)) }
}

func link(content string) func(*testing.T, string) {
	return func(t *testing.T, f string) {
		target := filepath.Join(t.TempDir(), "dotfiles-guard.toml")
		mustDo(t, os.WriteFile(target, []byte(content), 0o644))
		mustDo(t, os.Symlink(target, f))
	}
}

func dangling(t *testing.T, f string) {
	mustDo(t, os.Symlink("/nonexistent/dotfiles/guard.toml", f))
}

// danglingDir makes the file's directory a link to a directory that is
// gone, as when a dotfiles checkout moved.
func danglingDir(t *testing.T, f string) {
	dir := filepath.Dir(f)
	mustDo(t, os.Remove(dir))
	mustDo(t, os.Symlink("/nonexistent/dotfiles", dir))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrokenConfigHoldsCommands: while the user's file has an error that
// may hide what it stops, every command guard would allow confirms, naming
// the file and line; what of the file is sound still stops what it stops.
func TestBrokenConfigHoldsCommands(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
	}{
		{"syntax error", "[[rule]]\nid = \"custom.no-tf-destroy\"\nmatch = [\"terraform\", \"destroy\"]\ndecision = \"deny\"\nreason = \"x\"\n[paths]\nprotected = [\"~/finances\"\n", 7},
		{"unknown rule", "[[rule]]\nid = \"custom.no-tf-destroy\"\nmatch = [\"terraform\", \"destroy\"]\ndecision = \"deny\"\nreason = \"destroys infrastructure\"\n[rules]\n\"git.forcepush\" = \"deny\"\n", 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, errs, f := load(t, "", c.src, "")
			if len(errs) == 0 {
				t.Fatal("no error")
			}
			ch, err := NewChecker(Options{Home: testHome, User: "u", Env: map[string]string{"HOME": testHome}, FS: testFS(), Policy: p})
			if err != nil {
				t.Fatal(err)
			}
			v := ch.Check(Command{Source: "ls", Cwd: testCwd}).Verdict
			at := f[1] + ":" + strconv.Itoa(c.line)
			if v.Decision != Confirm || len(v.Findings) != 1 || v.Findings[0].Rule != "meta.config-error" || !strings.Contains(v.Findings[0].Reason, at) {
				t.Errorf("ls: %+v, want a confirm naming %s", v, at)
			}
			// Denied stays denied; a confirm is not loosened.
			if v := ch.Check(Command{Source: "rm -rf /", Cwd: testCwd}).Verdict; v.Decision != Deny {
				t.Errorf("rm -rf /: %s", v.Decision)
			}
			// What the file says before the error still stops what it stops.
			if v := ch.Check(Command{Source: "terraform destroy", Cwd: testCwd}).Verdict; v.Decision != Deny {
				t.Errorf("terraform destroy: %+v, want the custom rule's deny", v)
			}
		})
	}
	// A sound file holds nothing.
	p, _ := loadUser(t, "[rules]\n\"git.clean\" = \"deny\"\n")
	ch, err := NewChecker(Options{Home: testHome, User: "u", Env: map[string]string{"HOME": testHome}, FS: testFS(), Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	if v := ch.Check(Command{Source: "ls", Cwd: testCwd}).Verdict; v.Decision != Allow {
		t.Errorf("ls with a sound config: %+v", v)
	}
}
