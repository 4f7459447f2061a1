package rules

import (
	"path/filepath"

	"github.com/guard-dev/guard/interceptor"
)

// World is what rules know about the machine beyond the invocation itself:
// where home, the temporary directories and guard's own files are, and how
// to find the project a directory belongs to.
type World struct {
	// Home is the user's home directory.
	Home string
	// TempDirs are scratch directories: /tmp, /var/tmp, $TMPDIR.
	TempDirs []string
	// GuardPaths are guard's own config directory, state directory and
	// binary; writing to them is denied.
	GuardPaths []string
	// GuardKey is guard's signing key (<state dir>/state.key, see
	// safefile.Key), which makes its approvals and cache entries
	// unforgeable by a shell command: reading it is denied. Empty means
	// none is known.
	GuardKey string
	// FS is used to find project roots. Nil means the real filesystem.
	FS interceptor.FS
	// Protected are extra protected paths from the policy, absolute and
	// cleaned: they, everything in them and every directory containing
	// them are protected.
	Protected []string
	// AgentScratch are the coding agents' scratch directories (see
	// agentdirs.go): what is in them is scratch, they themselves are
	// protected like /tmp.
	AgentScratch []AgentDir
	// Scratch are the scratch directories the policy adds. They are in
	// TempDirs too; this list only names them in messages.
	Scratch []string
	// LocalHosts are host names or patterns that the policy has the http
	// pack treat as this machine; ProductionHosts are those to which any
	// request but GET, HEAD or OPTIONS confirms. See hostMatches.
	LocalHosts, ProductionHosts []string
	// Analysis is the context for code that rules analyse themselves
	// (Call.Shell): environment, user, filesystem, limits. Cwd and Home
	// come from the invocation.
	Analysis interceptor.Context

	roots map[string]string
	// anchors are linkAnchors by working directory.
	anchors map[string][]string
	// guardReal is set once the real paths of GuardPaths were added
	// (addRealGuardPaths).
	guardReal bool
	// credReads are the credential files that command substitutions of
	// the line being judged read ("grep RAILWAY .env" in
	// -H "Authorization: Bearer $(…)"), for the http pack's reasons; the
	// creds pack fills it, per judgment (see credsSubstRead).
	credReads []string
}

// NewWorld returns the world of a user whose home is home, with the usual
// scratch directories plus tmpdir (may be empty) and guard's own paths.
func NewWorld(home, tmpdir string, guardPaths []string, fsys interceptor.FS) *World {
	tmp := []string{"/tmp", "/var/tmp", "/dev/shm"}
	if tmpdir != "" {
		tmp = append(tmp, filepath.Clean(tmpdir))
	}
	// roots and anchors are made here so that the per-judgment copies of a checker's
	// world (Checker.Check) share the cache.
	return &World{Home: filepath.Clean(home), TempDirs: tmp, GuardPaths: guardPaths, FS: fsys, roots: map[string]string{}, anchors: map[string][]string{},
		AgentScratch: AgentScratchDirs(home, nil)}
}

// IsLocalHost reports whether the policy treats host as this machine.
func (w *World) IsLocalHost(host string) bool { return hostMatches(w.LocalHosts, host) }

// IsProductionHost reports whether the policy names host as production.
func (w *World) IsProductionHost(host string) bool { return hostMatches(w.ProductionHosts, host) }

// ProjectRoot returns the root of the git work tree that contains dir, or ""
// when dir is in none. Results are cached for the life of the World.
func (w *World) ProjectRoot(dir string) string {
	if dir == "" {
		return ""
	}
	if root, ok := w.roots[dir]; ok {
		return root
	}
	fsys := w.FS
	if fsys == nil {
		fsys = interceptor.OSFS{}
	}
	root := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := fsys.Stat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	if w.roots == nil {
		w.roots = map[string]string{}
	}
	w.roots[dir] = root
	return root
}
