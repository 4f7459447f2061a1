package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// sourceCache keeps the analysis of inert sourced files (agents' shell
// snapshots, see interceptor/cache.go) in guard's state directory, so that
// the next "guard -c" — a new process — finds it. One file per key; entries
// of other guard builds are removed, and the oldest go beyond maxEntries.
// The state directory is guard's own: commands may not write there.
type sourceCache struct {
	dir string
	mem map[string][]byte
}

// maxSourceEntries bounds the cache: one entry per snapshot, working
// directory and environment in use.
const maxSourceEntries = 64

// newSourceCache returns the cache for this guard build under stateDir.
func newSourceCache(stateDir string) *sourceCache {
	return &sourceCache{dir: filepath.Join(stateDir, "cache", "sources", buildID())}
}

// buildID names this guard build: its version, or for a development build
// the size and time of its executable, so a rebuilt guard never reads the
// entries of another.
func buildID() string {
	if version != "dev" {
		return "v" + strings.Map(func(r rune) rune {
			if r == '/' || r == os.PathSeparator {
				return '_'
			}
			return r
		}, version)
	}
	exe, err := os.Executable()
	if err != nil {
		return "dev"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "dev"
	}
	id := append([]byte(exe), 0)
	id = strconv.AppendInt(id, fi.Size(), 10)
	id = append(id, 0)
	id = strconv.AppendInt(id, fi.ModTime().UnixNano(), 10)
	sum := sha256.Sum256(id)
	return "dev-" + hex.EncodeToString(sum[:8])
}

// Get returns the entry for key.
func (c *sourceCache) Get(key string) ([]byte, bool) {
	if v, ok := c.mem[key]; ok {
		return v, true
	}
	if !validKey(key) {
		return nil, false
	}
	v, err := os.ReadFile(filepath.Join(c.dir, key))
	if err != nil {
		return nil, false
	}
	return v, true
}

// Put stores the entry for key; failures only cost a later analysis.
func (c *sourceCache) Put(key string, v []byte) {
	if c.mem == nil {
		c.mem = map[string][]byte{}
	}
	c.mem[key] = v
	if !validKey(key) || os.MkdirAll(c.dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(v)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(c.dir, key)) != nil {
		os.Remove(tmp.Name())
		return
	}
	c.prune()
}

// prune removes the entries of other builds and the oldest beyond the
// bound.
func (c *sourceCache) prune() {
	parent := filepath.Dir(c.dir)
	if others, err := os.ReadDir(parent); err == nil {
		for _, o := range others {
			if o.Name() != filepath.Base(c.dir) {
				os.RemoveAll(filepath.Join(parent, o.Name()))
			}
		}
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil || len(entries) <= maxSourceEntries {
		return
	}
	type aged struct {
		name string
		mod  int64
	}
	var all []aged
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			all = append(all, aged{e.Name(), fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b aged) int { return cmp.Compare(a.mod, b.mod) })
	for _, e := range all[:max(0, len(all)-maxSourceEntries)] {
		os.Remove(filepath.Join(c.dir, e.name))
	}
}

// validKey reports whether key is a hex digest, safe as a file name.
func validKey(key string) bool {
	if len(key) != 64 {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}
