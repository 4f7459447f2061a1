package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceCache(t *testing.T) {
	state := t.TempDir()
	key := strings.Repeat("ab", 32)
	c := newSourceCache(state)
	if _, ok := c.Get(key); ok {
		t.Fatal("an empty cache has an entry")
	}
	c.Put(key, []byte("entry"))
	// A new process finds it on disk.
	if v, ok := newSourceCache(state).Get(key); !ok || string(v) != "entry" {
		t.Fatalf("entry not kept on disk: %q %v", v, ok)
	}
	fi, err := os.Stat(c.dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache directory: %v %v", fi, err)
	}
	// Keys that are not digests never reach the file system.
	c.Put("../../escape", []byte("x"))
	if _, err := os.Stat(filepath.Join(state, "escape")); err == nil {
		t.Error("a key escaped the cache directory")
	}
	// Entries of another build are removed; the oldest go past the bound.
	other := filepath.Join(filepath.Dir(c.dir), "v0.0.1")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	for i := range maxSourceEntries + 5 {
		c.Put(fmt.Sprintf("%064x", i), []byte("e"))
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("another build's entries were kept")
	}
	entries, _ := os.ReadDir(c.dir)
	if len(entries) > maxSourceEntries {
		t.Errorf("%d entries kept, bound %d", len(entries), maxSourceEntries)
	}
}
