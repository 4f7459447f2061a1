package rules

import (
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Pushing a rebased feature branch with "git push --force-with-lease" is
// everyday work: the lease refuses when someone else pushed since the last
// fetch. It stays confirmed for the repository's default branch, which
// others build on: the branch origin/HEAD names, and main, master, trunk
// and develop wherever they are. A branch whose name cannot be known may be
// the default one.

// isDefaultBranch reports whether name (a short branch name) may be the
// default branch of the repository, or cannot be known.
func (k *gitCheck) isDefaultBranch(name string) bool {
	name = strings.TrimPrefix(name, "refs/heads/")
	if name == "" || name == "HEAD" || strings.Contains(name, interceptor.UnknownMark) || strings.ContainsAny(name, "*?[") {
		return true
	}
	switch name {
	case "main", "master", "trunk", "develop", "default", "production", "prod", "release", "stable":
		return true
	}
	dir := k.commonDir()
	if dir == "" {
		return false
	}
	for _, remote := range []string{"origin", "upstream"} {
		b, err := k.fs().ReadFile(filepath.Join(dir, "refs", "remotes", remote, "HEAD"))
		if err != nil {
			continue
		}
		target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: refs/remotes/"+remote+"/")
		if ok && target == name {
			return true
		}
	}
	return false
}

// leaseOnFeatureBranches reports whether a push --force-with-lease of
// specs (or, with none, of the current branch) sends only branches that are
// not the default branch.
func (k *gitCheck) leaseOnFeatureBranches(specs []refspec) bool {
	if len(specs) == 0 {
		cur := k.currentBranch()
		return cur != "" && !k.isDefaultBranch(cur)
	}
	for _, s := range specs {
		dst := s.dst
		if dst == "" {
			dst = s.src
		}
		if s.word.Unknown || strings.HasPrefix(dst, "refs/") && !strings.HasPrefix(dst, "refs/heads/") || k.isDefaultBranch(dst) {
			return false
		}
	}
	return true
}
