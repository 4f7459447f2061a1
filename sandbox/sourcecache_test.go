package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestSourceCache(t *testing.T) {
	state := t.TempDir()
	key := strings.Repeat("ab", 32)
	c := newSourceCache(state, "dev")
	if _, ok := c.Get(key); ok {
		t.Fatal("an empty cache has an entry")
	}
	c.Put(key, []byte("entry"))
	// A new process finds it on disk.
	if v, ok := newSourceCache(state, "dev").Get(key); !ok || string(v) != "entry" {
		t.Fatalf("entry not kept on disk: %q %v", v, ok)
	}
	fi, err := os.Stat(c.entryDir())
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory: %v %v", fi, err)
	}
	// Keys that are not digests never reach the file system.
	c.Put("../../escape", []byte("x"))
	if _, err := os.Stat(filepath.Join(state, "escape")); err == nil {
		t.Error("a key escaped the cache directory")
	}
	// Entries of another build are removed; the oldest go past the bound.
	other := filepath.Join(filepath.Dir(c.entryDir()), "v0.0.1")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	for i := range maxSourceEntries + 5 {
		c.Put(fmt.Sprintf("%064x", i), []byte("e"))
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("another build's entries were kept")
	}
	entries, _ := os.ReadDir(c.entryDir())
	if len(entries) > maxSourceEntries {
		t.Errorf("%d entries kept, bound %d", len(entries), maxSourceEntries)
	}
}

// TestSourceCacheRefusesForgedEntries: an entry guard did not write (a
// shell command writing a file that claims a script is inert), or any
// file that is not a regular file of the user's in the cache directory, is
// a miss, and reading it neither blocks nor loads it whole.
func TestSourceCacheRefusesForgedEntries(t *testing.T) {
	key := strings.Repeat("cd", 32)
	forgeries := []struct {
		name  string
		forge func(t *testing.T, c *sourceCache, path string)
	}{
		{"written without a signature", func(t *testing.T, c *sourceCache, path string) {
			mustWrite(t, path, "forged entry")
		}},
		{"signature of another entry", func(t *testing.T, c *sourceCache, path string) {
			other := strings.Repeat("ef", 32)
			c.Put(other, []byte("genuine"))
			data, err := os.ReadFile(filepath.Join(c.entryDir(), other))
			if err != nil {
				t.Fatal(err)
			}
			mac, _, _ := strings.Cut(string(data), "\n")
			mustWrite(t, path, mac+"\nforged entry")
		}},
		{"genuine entry edited", func(t *testing.T, c *sourceCache, path string) {
			c.Put(key, []byte("genuine"))
			data, _ := os.ReadFile(path)
			mustWrite(t, path, strings.Replace(string(data), "genuine", "forged!", 1))
		}},
		{"fifo", func(t *testing.T, c *sourceCache, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"symlink to /dev/zero", func(t *testing.T, c *sourceCache, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			state := t.TempDir()
			c := newSourceCache(state, "dev")
			if err := os.MkdirAll(c.entryDir(), 0o700); err != nil {
				t.Fatal(err)
			}
			f.forge(t, c, filepath.Join(c.entryDir(), key))
			if v, ok := newSourceCache(state, "dev").Get(key); ok {
				t.Fatalf("Get returned a forged entry %q", v)
			}
		})
	}
}

// TestSourceCacheRefusesSymlinkedDirectory: a cache directory replaced by
// a symbolic link to entries elsewhere is not read.
func TestSourceCacheRefusesSymlinkedDirectory(t *testing.T) {
	key := strings.Repeat("ab", 32)
	state := t.TempDir()
	c := newSourceCache(state, "dev")
	c.Put(key, []byte("entry"))
	moved := filepath.Join(t.TempDir(), "sources")
	if err := os.Rename(filepath.Dir(c.entryDir()), moved); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(moved, filepath.Dir(c.entryDir())); err != nil {
		t.Fatal(err)
	}
	if _, ok := newSourceCache(state, "dev").Get(key); ok {
		t.Fatal("Get read an entry through a symlinked directory")
	}
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
