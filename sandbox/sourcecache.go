package sandbox

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/internal/safefile"
)

// sourceCache keeps the analysis of inert sourced files (agents' shell
// snapshots, see interceptor/cache.go) in guard's state directory, so that
// the next "guard -c" — a new process — finds it. One file per key; entries
// of other guard builds are removed, and the oldest go beyond maxEntries.
// The state directory is guard's own: commands may not write there.
//
// An entry says a sourced file is inert, so a forged one could hide what a
// file runs: each entry file is signed with guard's key (safefile.Key) and
// read only through safefile's checks (a regular file the user owns, in
// directories the user owns, at most maxSourceEntry bytes). An entry that
// fails any check is a miss: the file is analysed again.
type sourceCache struct {
	root    string // the state directory: safefile's root, the key's home
	version string // guard's build version, for buildID
	dir     string // this build's entries: set on first use (entryDir)
	mem     map[string][]byte
	key     []byte // read on first use
}

// maxSourceEntry bounds one entry file; a larger one is not read (and not
// written): analysing the file again is the cost.
const maxSourceEntry = 16 << 20

// sourceMACDomain separates cache signatures from guard's other ones.
const sourceMACDomain = "guard source cache v1"

// maxSourceEntries bounds the cache: one entry per snapshot, working
// directory and environment in use.
const maxSourceEntries = 64

// newSourceCache returns the cache under stateDir for the guard build of
// version ("dev" for a development build).
func newSourceCache(stateDir, version string) *sourceCache {
	return &sourceCache{root: stateDir, version: version}
}

// entryDir is the directory of this build's entries. It is found on first
// use: most commands source no file, and need no cache.
func (c *sourceCache) entryDir() string {
	if c.dir == "" {
		c.dir = filepath.Join(c.root, "cache", "sources", buildID(c.version))
	}
	return c.dir
}

// buildID names the guard build of version: the version, or for a
// development build the size and time of its executable, so a rebuilt
// guard never reads the entries of another.
func buildID(version string) string {
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
	data, err := safefile.ReadFile(c.root, filepath.Join(c.entryDir(), key), maxSourceEntry+macLen+1)
	if err != nil {
		return nil, false
	}
	mac, v, ok := strings.Cut(string(data), "\n")
	if !ok || !c.loadKey() || !safefile.Verify(c.key, mac, sourceMACDomain, []byte(key), []byte(v)) {
		return nil, false
	}
	return []byte(v), true
}

// macLen is the length of a hex HMAC-SHA256: an entry file's first line.
const macLen = 64

// loadKey reads (or creates) guard's signing key once; false when there is
// none to be had, and then the cache is not used.
func (c *sourceCache) loadKey() bool {
	if c.key == nil {
		key, err := safefile.Key(c.root)
		if err != nil {
			return false
		}
		c.key = key
	}
	return true
}

// Put stores the entry for key; failures only cost a later analysis.
func (c *sourceCache) Put(key string, v []byte) {
	if c.mem == nil {
		c.mem = map[string][]byte{}
	}
	c.mem[key] = v
	if !validKey(key) || len(v) > maxSourceEntry || safefile.MkdirAll(c.root, c.entryDir()) != nil || !c.loadKey() {
		return
	}
	tmp, err := os.CreateTemp(c.entryDir(), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(safefile.Sign(c.key, sourceMACDomain, []byte(key), v) + "\n")
	if werr == nil {
		_, werr = tmp.Write(v)
	}
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(c.entryDir(), key)) != nil {
		os.Remove(tmp.Name())
		return
	}
	c.prune()
}

// prune removes the entries of other builds and the oldest beyond the
// bound.
func (c *sourceCache) prune() {
	parent := filepath.Dir(c.entryDir())
	if others, err := os.ReadDir(parent); err == nil {
		for _, o := range others {
			if o.Name() != filepath.Base(c.entryDir()) {
				os.RemoveAll(filepath.Join(parent, o.Name()))
			}
		}
	}
	entries, err := os.ReadDir(c.entryDir())
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
		os.Remove(filepath.Join(c.entryDir(), e.name))
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
