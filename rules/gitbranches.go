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

// "git branch -D NAME" stays confirmed: the public corpus holds "git
// branch -D feat/auth" among the commands a human must approve, since a
// branch's commits not merged anywhere are then reachable only through
// HEAD's reflog, until it expires, by someone who knows to look.
//
// The gone-branches idiom is let through: "git fetch -p && git branch -vv |
// awk '/: gone]/{print $1}' | xargs git branch -D" deletes the local
// branches whose upstream was deleted on the remote, which were pushed and
// (nearly always) merged there. The names xargs reads from such a listing
// cannot be known, but they are local branches git printed: the judgment
// made here is to let them through when every name of the command is one
// xargs appends. Git refuses the branch checked out, the others' commits
// stay in HEAD's reflog, and the default branch, in the rare listing that
// holds it, is on its remote. By the same judgment a listing of every
// branch ("git branch | xargs git branch -D") is let through. A name that
// cannot be known from a variable or a substitution ("git branch -D $B")
// is not one xargs read and stays confirmed, as does a known name given
// alongside ("xargs git branch -D main").

// deletedBranchesKept reports whether every operand of branch -D is a name
// xargs reads from its input and appends (see above).
func (k *gitCheck) deletedBranchesKept(names []interceptor.Word) bool {
	if !k.namesFromXargs() {
		return false
	}
	for _, w := range names {
		if !w.Unknown || w.Value != interceptor.UnknownMark {
			return false
		}
	}
	return true
}

// namesFromXargs reports whether the command's unknown operands may be
// what xargs read from its input and appended: xargs is the wrapper that
// runs git.
func (k *gitCheck) namesFromXargs() bool {
	w := k.inv.Wrappers
	return len(w) > 0 && w[len(w)-1] == "xargs"
}
