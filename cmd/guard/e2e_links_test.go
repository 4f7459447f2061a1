package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// linkWorld is a world whose project holds docs, a real link to the
// temporary home's Documents.
func linkWorld(t *testing.T) (*world, string) {
	t.Helper()
	w := newWorld(t)
	docs := filepath.Join(w.home, "Documents")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "a.txt"), []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(w.project, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(docs, filepath.Join(w.project, "docs")); err != nil {
		t.Fatal(err)
	}
	return w, docs
}

// TestCheckFollowsLinks: guard check judges a path reached through a link
// as its real path, and a command that acts on the link itself as the
// link.
func TestCheckFollowsLinks(t *testing.T) {
	t.Parallel()
	w, _ := linkWorld(t)
	cases := []struct {
		src, reason string
		code        int
	}{
		{"rm -rf docs/", "deletes ~/Documents recursively", 3},
		{"rm -rf docs/*", "everything in ~/Documents", 3},
		{"find docs/ -type f -delete", "deletes files under ~/Documents", 3},
		{"ln -s ~/Documents d && rm -rf d/", "reached through the link ~/code/app/d", 3},
		{"ln -s /dev/zero .guard.toml", "guard's project policy a symbolic link", 4},
		{"mkfifo .guard.toml", "guard's project policy a FIFO", 4},
		{"ln -s ~/evil ~/.config/guard", "guard's own config", 4},
		{"rm -rf docs", "", 0},
		{"find docs -type f -delete", "", 0},
		{"rm -rf src/", "", 0},
		{"ln -s ../shared/x src/x", "", 0},
	}
	for _, c := range cases {
		out, errOut, code := w.guard(t, "", nil, "check", "--cwd", w.project, "--", c.src)
		if code != c.code || !strings.Contains(out+errOut, c.reason) {
			t.Errorf("guard check %q: exit %d, want %d with %q\n%s%s", c.src, code, c.code, c.reason, out, errOut)
		}
	}
}

// TestShellModeRefusesThroughLink: in shell mode without a terminal,
// deleting through the link is refused and ~/Documents (the test's own)
// keeps its file; removing the link itself runs.
func TestShellModeRefusesThroughLink(t *testing.T) {
	t.Parallel()
	w, docs := linkWorld(t)
	_, errOut, code := w.guard(t, "", nil, "-c", "rm -rf docs/")
	if code != 126 {
		t.Errorf("rm -rf docs/: exit %d, want 126 (refused)\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(docs, "a.txt")); err != nil {
		t.Fatalf("~/Documents lost its file: %v", err)
	}
	if _, _, code := w.guard(t, "", nil, "-c", "rm docs"); code != 0 {
		t.Errorf("rm docs: exit %d, want 0", code)
	}
	if _, err := os.Lstat(filepath.Join(w.project, "docs")); !os.IsNotExist(err) {
		t.Errorf("the link is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(docs, "a.txt")); err != nil {
		t.Errorf("removing the link removed its target's file: %v", err)
	}
}
