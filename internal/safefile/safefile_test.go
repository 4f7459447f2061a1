package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// state returns a fresh state directory with a subdirectory "sub".
func state(t *testing.T) (root, sub string) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "guard")
	sub = filepath.Join(root, "sub")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	return root, sub
}

func TestReadFileAcceptsOwnRegularFile(t *testing.T) {
	root, sub := state(t)
	p := filepath.Join(sub, "f")
	if err := os.WriteFile(p, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(root, p, 5)
	if err != nil || string(got) != "hello" {
		t.Fatalf("ReadFile = %q, %v; want hello", got, err)
	}
	if _, err := ReadFile(root, filepath.Join(sub, "missing"), 5); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

// TestReadFileRefuses: every kind of file an agent could plant instead of
// guard's own is refused, quickly (a FIFO does not block the open, a
// device or a huge file is not read), with an error naming the problem.
func TestReadFileRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, p string)
		want  string
	}{
		{"symlink to a file", func(t *testing.T, p string) {
			other := filepath.Join(t.TempDir(), "other")
			os.WriteFile(other, []byte("x"), 0o600)
			must(t, os.Symlink(other, p))
		}, "symbolic link"},
		{"symlink to /dev/zero", func(t *testing.T, p string) { must(t, os.Symlink("/dev/zero", p)) }, "symbolic link"},
		{"fifo", func(t *testing.T, p string) { must(t, unix.Mkfifo(p, 0o600)) }, "FIFO"},
		{"directory", func(t *testing.T, p string) { must(t, os.Mkdir(p, 0o700)) }, "directory"},
		{"too large", func(t *testing.T, p string) {
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o600)
			must(t, err)
			must(t, f.Truncate(500<<20)) // sparse: 500 MB, no disk used
			f.Close()
		}, "more than the 4096"},
		{"group writable", func(t *testing.T, p string) {
			must(t, os.WriteFile(p, []byte("x"), 0o600))
			must(t, os.Chmod(p, 0o620))
		}, "writable by group"},
		{"another user's", func(t *testing.T, p string) {
			if os.Geteuid() != 0 {
				t.Skip("needs root to chown")
			}
			must(t, os.WriteFile(p, []byte("x"), 0o600))
			must(t, os.Chown(p, 54321, 54321))
		}, "belongs to uid 54321"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, sub := state(t)
			p := filepath.Join(sub, "f")
			tt.setup(t, p)
			_, err := ReadFile(root, p, 4096)
			if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "remove it") {
				t.Fatalf("ReadFile = %v; want an ErrUnsafe saying %q and what to do", err, tt.want)
			}
		})
	}
}

// TestReadFileRefusesUnsafeDirectories: a directory on the way down from
// the root that is a symbolic link, or writable by others, is refused
// even though the file at its end is fine.
func TestReadFileRefusesUnsafeDirectories(t *testing.T) {
	root, sub := state(t)
	elsewhere := t.TempDir()
	must(t, os.WriteFile(filepath.Join(elsewhere, "f"), []byte("x"), 0o600))
	must(t, os.Remove(sub))
	must(t, os.Symlink(elsewhere, sub))
	if _, err := ReadFile(root, filepath.Join(sub, "f"), 10); !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("through a symlinked directory: err = %v, want a refusal", err)
	}

	root, sub = state(t)
	must(t, os.WriteFile(filepath.Join(sub, "f"), []byte("x"), 0o600))
	must(t, os.Chmod(sub, 0o777))
	if _, err := ReadFile(root, filepath.Join(sub, "f"), 10); !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "writable by group or others") {
		t.Errorf("world-writable directory: err = %v, want a refusal", err)
	}
	if err := CheckDirs(root, filepath.Dir(root)); err == nil {
		t.Error("CheckDirs accepted a directory outside the root")
	}
}

// TestOpenFdRefusesFIFOForWriting: opening a FIFO to append does not block.
func TestOpenFdRefusesFIFOForWriting(t *testing.T) {
	_, sub := state(t)
	p := filepath.Join(sub, "log")
	must(t, unix.Mkfifo(p, 0o600))
	if fd, _, err := OpenFd(p, unix.O_WRONLY|unix.O_APPEND|unix.O_CREAT, 0o600); err == nil || !errors.Is(err, ErrUnsafe) {
		unix.Close(fd)
		t.Fatalf("OpenFd(fifo) = %v, want a refusal", err)
	}
}

func TestKeyCreatedOnceAndShared(t *testing.T) {
	root := filepath.Join(t.TempDir(), "guard")
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = Key(root)
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || len(keys[i]) != keyLen || string(keys[i]) != string(keys[0]) {
			t.Fatalf("Key #%d = %x, %v; want the same 32-byte key for all", i, keys[i], errs[i])
		}
	}
	fi, err := os.Stat(filepath.Join(root, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, fi.Mode())
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, ".tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestKeyRefusesPlantedKey(t *testing.T) {
	root := filepath.Join(t.TempDir(), "guard")
	must(t, os.MkdirAll(root, 0o700))
	must(t, os.Symlink("/dev/zero", filepath.Join(root, KeyFile)))
	if _, err := Key(root); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("Key with a symlinked key file = %v, want a refusal", err)
	}
}

func TestSignVerify(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	sig := Sign(key, "d", []byte("ab"), []byte("c"))
	if !Verify(key, sig, "d", []byte("ab"), []byte("c")) {
		t.Fatal("a signature does not verify")
	}
	for _, bad := range [][][]byte{{[]byte("a"), []byte("bc")}, {[]byte("abc")}, {[]byte("ab"), []byte("d")}} {
		if Verify(key, sig, "d", bad...) {
			t.Errorf("signature verified for other fields %q", bad)
		}
	}
	if Verify(key, sig, "e", []byte("ab"), []byte("c")) {
		t.Error("signature verified in another domain")
	}
	if Verify([]byte("another key, just as long as one"), sig, "d", []byte("ab"), []byte("c")) {
		t.Error("signature verified under another key")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
