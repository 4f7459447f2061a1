package rules

import "testing"

// A lease push of a feature branch is everyday; of the default branch, or
// of a branch that cannot be known, it confirms.
func TestLeasePushFeatureBranch(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`git push --force-with-lease origin feature/x`, Allow, ""},
		{`git push --force-with-lease origin fix/login:fix/login`, Allow, ""},
		{`git push --force-with-lease=feature/x origin feature/x`, Allow, ""},
		{`git push --force-with-lease origin main`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin HEAD:master`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin feature/x:main`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin HEAD`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin "$BRANCH"`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin 'feat*'`, Confirm, "git.force-push-lease"},
		{`git push --force-with-lease origin refs/tags/v1`, Confirm, "git.force-push-lease"},
		// With no refspec, the current branch (main in the test world).
		{`git push --force-with-lease`, Confirm, "git.force-push-lease"},
		{`git push --force origin feature/x`, Confirm, "git.force-push"},
	}, GitPack())

	// origin/HEAD names the default branch.
	fsys := testFS()
	fsys[testCwd+"/.git/refs/remotes/origin/HEAD"] = "ref: refs/remotes/origin/gh-pages\n"
	for src, want := range map[string]Decision{
		`git push --force-with-lease origin gh-pages`:  Confirm,
		`git push --force-with-lease origin feature/y`: Allow,
	} {
		if v := judgeIn(t, src, fsys, GitPack()); v.Decision != want {
			t.Errorf("%q: got %s, want %s", src, v.Decision, want)
		}
	}
}

// TestBranchDeleteListing: the gone-branches idiom deletes branches xargs
// reads from git's listing; a name given or computed still confirms.
func TestBranchDeleteListing(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"git fetch -p && git branch -vv | awk '/: gone]/{print $1}' | xargs git branch -D", Allow, ""},
		{"git branch -vv | grep ': gone]' | awk '{print $1}' | xargs -r git branch -D", Allow, ""},
		{"git for-each-ref --format '%(refname:short) %(upstream:track)' refs/heads | awk '$2 == \"[gone]\" {print $1}' | xargs -n1 git branch -D", Allow, ""},
		{"git branch --merged | grep -v main | xargs git branch -d -f", Allow, ""},
		{"git branch -D feat/auth", Confirm, "git.branch-delete"},
		{"git branch -D main", Confirm, "git.branch-delete"},
		{"echo main | xargs git branch -D", Confirm, "git.branch-delete"},
		{"git branch -vv | awk '/: gone]/{print $1}' | xargs git branch -D main", Confirm, "git.branch-delete"},
		{"B=$(git branch --show-current); git branch -D \"$B\"", Confirm, "git.branch-delete"},
		{"git branch -D $(git branch | tail -1)", Confirm, "git.branch-delete"},
	}, GitPack())
}
