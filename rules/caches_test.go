package rules

import (
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// Deleting a regenerable cache under home is everyday work; what is around
// the caches, and what ".." or a link reaches, keeps its class.
func TestHomeCaches(t *testing.T) {
	fsys := testFS()
	fsys[testHome+"/.m2/settings.xml"] = "<settings/>"
	fsys[testHome+"/.cache/huggingface/token"] = "hf_x"
	fsys[testHome+"/.cache/guard/verdicts"] = ""
	fsys[testHome+"/.cache/docs"] = interceptor.MapLink(testHome + "/Documents")
	fsys[testHome+"/Documents/a.txt"] = "a"
	cases := []struct {
		src  string
		want Decision
	}{
		{`rm -rf ~/.cache/pip/http`, Allow},
		{`rm -rf ~/.cache/uv`, Allow},
		{`rm -rf "$HOME/.cache/ms-playwright/chromium-1105"`, Allow},
		{`rm -r ~/.npm/_npx`, Allow},
		{`rm -rf ~/.gradle/caches/8.5`, Allow},
		{`rm -rf ~/.gradle/wrapper/dists`, Allow},
		{`rm -rf ~/.cargo/registry/index`, Allow},
		{`rm -rf ~/Library/Caches/Homebrew`, Allow},
		{`rm -rf ~/Library/Developer/Xcode/DerivedData/App-abc`, Allow},
		{`rm -rf ~/go/pkg/mod`, Allow},
		{`rm -rf ~/.m2/repository`, Allow},
		{`rm -rf ~/.cache/huggingface/datasets`, Allow},
		{`rm -rf ~/.cache/pip/*`, Allow},
		{`find ~/.cache/go-build -type f -delete`, Allow},
		// The directories holding the caches, and their settings.
		{`rm -rf ~/.cache`, Confirm},
		{`rm -rf ~/.cache/*`, Confirm},
		{`rm -rf ~/.cache/..`, Deny},
		{`rm -rf ~/.cache/../Documents`, Confirm},
		{`rm -rf ~/.cache/pip/../../.ssh`, Confirm},
		{`rm -rf ~/.m2`, Confirm},
		{`rm ~/.m2/settings.xml`, Confirm},
		{`rm -rf ~/.cache/huggingface`, Confirm},
		{`rm ~/.cache/huggingface/token`, Confirm},
		{`rm -rf ~/.cargo`, Confirm},
		{`rm -rf ~/.gradle`, Confirm},
		{`rm -rf ~/.npm`, Confirm},
		{`rm -rf ~/Library/Caches`, Confirm},
		{`rm -rf ~/Library/Developer/Xcode/Archives`, Confirm},
		{`rm -rf ~/go`, Confirm},
		// Through a link, the real path decides.
		{`rm -rf ~/.cache/docs/`, Confirm},
		{`rm -rf ~/.cache/docs/a.txt`, Confirm},
		// A look-alike outside home is not a cache.
		{`rm -rf /srv/.cache/pip`, Confirm},
		// $XDG_CACHE_HOME unset in guard's environment: its default.
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, Allow},
		{`rm -rf "${XDG_CACHE_HOME:-~/.cache}"/pip/wheels`, Allow},
		{`rm -rf "${XDG_CACHE_HOME-$HOME/.cache}/app"`, Allow},
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}"`, Confirm},
		{`rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/"*`, Confirm},
		{`rm -rf "${XDG_CACHE_HOME:-$HOME}/app"`, Confirm},
		{`XDG_CACHE_HOME=~/Documents; rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/app"`, Confirm},
		{`rm -rf "${XDG_DATA_HOME:-$HOME/.local/share}/app"`, Confirm},
	}
	for _, c := range cases {
		v := judgeIn(t, c.src, fsys, FSPack())
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
		}
	}

	// Guard's own files under the cache directory stay guard's.
	w := testWorld(fsys)
	w.GuardPaths = append(w.GuardPaths, testHome+"/.cache/guard")
	if info := w.Classify(testHome+"/.cache/guard", testCwd); info.Kind != KindGuard {
		t.Errorf("~/.cache/guard: %+v", info)
	}
	if info := w.Classify(testHome+"/.cache/pip", testCwd); info.Class != PathScratch || info.Note != "in pip's cache ~/.cache/pip, which it rebuilds" {
		t.Errorf("~/.cache/pip: %+v", info)
	}

	// $XDG_CACHE_HOME moves the cache directory.
	w.Analysis.Env = map[string]string{"XDG_CACHE_HOME": "/srv/cache"}
	for p, want := range map[string]PathClass{
		"/srv/cache/pip":           PathScratch,
		"/srv/cache/pip/wheels":    PathScratch,
		"/srv/cache":               PathProtected,
		"/srv/cache/huggingface":   PathProtected,
		"/srv/cache/huggingface/x": PathProtected,
	} {
		if got := w.Classify(p, testCwd).Class; got != want {
			t.Errorf("XDG_CACHE_HOME %s: got %s, want %s", p, got, want)
		}
	}
}

// What package managers keep in their cache directories may go (the
// Dockerfile idiom); the directories, and what records the installed
// packages, keep their class.
func TestSystemPackageCaches(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"sudo rm -rf /var/lib/apt/lists/*", Allow, ""},
		{"apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", Allow, ""},
		{"rm -rf /var/cache/apt/archives/*.deb /var/cache/apt/*.bin", Allow, ""},
		{"rm -rf /var/cache/apk/*", Allow, ""},
		{"sudo rm -rf /var/cache/dnf/* /var/cache/yum/*", Allow, ""},
		{"rm -rf /var/lib/apt/lists/partial", Allow, ""},
		{"rm -rf /var/lib/apt/lists", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/apt", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/apt/*", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/dpkg", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/dpkg/*", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/apt/lists/../../dpkg", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/*/lists/*", Confirm, "fs.rm-protected"},
		{"rm -rf /var/cache/*", Confirm, "fs.rm-protected"},
		{"rm -rf /var/lib/apt/lists*", Confirm, "fs.rm-protected"},
	}, FSPack())
}

// git's state of an interrupted operation and single hooks may go; the
// rest of .git may not.
func TestGitStateEntries(t *testing.T) {
	cases := []struct {
		src  string
		want Decision
	}{
		{`rm -rf .git/rebase-apply`, Allow},
		{`rm -fr .git/rebase-merge`, Allow},
		{`rm -f .git/MERGE_HEAD .git/MERGE_MSG`, Allow},
		{`rm .git/CHERRY_PICK_HEAD`, Allow},
		{`rm -f .git/hooks/pre-commit`, Allow},
		{`rm -rf .git`, Confirm},
		{`rm -rf .git/hooks`, Confirm},
		{`rm -rf .git/hooks/*`, Confirm},
		{`rm -rf .git/objects`, Confirm},
		{`rm -rf .git/refs/heads`, Confirm},
		{`rm .git/index`, Confirm},
		{`rm .git/config`, Confirm},
		{`rm -rf .git/rebase-merge/../refs`, Confirm},
		{`rm -rf .git/MERGE_HEAD/x`, Confirm},
		{`rm -rf .git/hooks/a/b`, Confirm},
	}
	for _, c := range cases {
		v := judgeIn(t, c.src, testFS(), FSPack())
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
		}
	}
}
