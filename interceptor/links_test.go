package interceptor

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"testing"
)

// linkFS is the test world's filesystem with links: a project link to
// ~/Documents (absolute and relative), one to a directory of the
// project, a chain, a loop, and a link in the middle of a path.
func linkFS() MapFS {
	return MapFS{
		tCwd + "/.git/HEAD":         "ref: refs/heads/main\n",
		tCwd + "/src/main.go":       "package main\n",
		tCwd + "/docs":              MapLink(tHome + "/Documents"),
		tCwd + "/rel":               MapLink("../../Documents"),
		tCwd + "/srclink":           MapLink("src"),
		tCwd + "/chain":             MapLink("rel"),
		tCwd + "/loop1":             MapLink("loop2"),
		tCwd + "/loop2":             MapLink("loop1"),
		tCwd + "/sub/up":            MapLink("../../../Documents/"),
		tHome + "/Documents/a.txt":  "a",
		tHome + "/Documents/deep/b": "b",
		tHome + "/.config/guard/x":  "",
		tHome + "/code/app2/.git/x": "",
		tCwd + "/guardlink":         MapLink(tHome + "/.config/guard"),
		tCwd + "/dangling":          MapLink("/nowhere/at/all"),
		tCwd + "/file.txt":          "text",
		tCwd + "/file.txt.link":     MapLink("file.txt"),
	}
}

// TestJoinRest checks that joinRest gives what path.Join gives.
func TestJoinRest(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		rest []string
	}{
		{"/p", nil},
		{"/p", []string{"a"}},
		{"/p/q", []string{"a", "b"}},
		{"/", []string{"a"}},
		{"/p/q", []string{"..", "a"}},
		{"/p", []string{"a", ".", "b"}},
		{"/p", []string{"..", "..", ".."}},
	} {
		want := path.Join(append([]string{tc.dir}, tc.rest...)...)
		if got := joinRest(tc.dir, tc.rest); got != want {
			t.Errorf("joinRest(%q, %q) = %q, want %q", tc.dir, tc.rest, got, want)
		}
	}
}

// TestResolveLinks walks paths as the kernel would.
func TestResolveLinks(t *testing.T) {
	fsys := linkFS()
	cases := []struct {
		p          string
		followLast bool
		want, via  string
		err        bool
	}{
		// The last component is followed only when asked or with a "/".
		{tCwd + "/docs", false, tCwd + "/docs", "", false},
		{tCwd + "/docs", true, tHome + "/Documents", tCwd + "/docs", false},
		{tCwd + "/docs/", false, tHome + "/Documents", tCwd + "/docs", false},
		{tCwd + "/docs/.", false, tHome + "/Documents", tCwd + "/docs", false},
		// A link in the middle is always followed.
		{tCwd + "/docs/a.txt", false, tHome + "/Documents/a.txt", tCwd + "/docs", false},
		{tCwd + "/docs/deep/b", false, tHome + "/Documents/deep/b", tCwd + "/docs", false},
		// ".." after a link goes up from its target.
		{tCwd + "/docs/../.config", false, tHome + "/.config", tCwd + "/docs", false},
		// Relative targets, chains, a target with a trailing slash.
		{tCwd + "/rel/", false, tHome + "/Documents", tCwd + "/rel", false},
		{tCwd + "/chain/a.txt", false, tHome + "/Documents/a.txt", tCwd + "/chain", false},
		{tCwd + "/sub/up/a.txt", false, tHome + "/Documents/a.txt", tCwd + "/sub/up", false},
		{tCwd + "/srclink/main.go", false, tCwd + "/src/main.go", tCwd + "/srclink", false},
		// Plain paths and paths that do not exist yet are as written.
		{tCwd + "/src/main.go", true, tCwd + "/src/main.go", "", false},
		{tCwd + "/build/out/x", true, tCwd + "/build/out/x", "", false},
		{tCwd + "/file.txt/x", true, tCwd + "/file.txt/x", "", false},
		{tCwd + "/dangling", true, "/nowhere/at/all", tCwd + "/dangling", false},
		// A loop is an error, never a guess.
		{tCwd + "/loop1", true, "", "", true},
		{tCwd + "/loop1/x", false, "", "", true},
	}
	for _, c := range cases {
		got, via, err := ResolveLinks(fsys, c.p, c.followLast, []string{tCwd, tHome, "/tmp"})
		if (err != nil) != c.err {
			t.Errorf("ResolveLinks(%q, %v): error %v, want error %v", c.p, c.followLast, err, c.err)
			continue
		}
		if c.err {
			if !errors.Is(err, ErrLinkLoop) {
				t.Errorf("ResolveLinks(%q): error %v, want ErrLinkLoop", c.p, err)
			}
			continue
		}
		if got != c.want || via != c.via {
			t.Errorf("ResolveLinks(%q, %v) = %q via %q, want %q via %q", c.p, c.followLast, got, via, c.want, c.via)
		}
	}
}

// TestResolveLinksAnchors: links among an anchor's own components are
// not followed (the project reached through ~/code -> /data/code).
func TestResolveLinksAnchors(t *testing.T) {
	fsys := MapFS{
		"/home/u/code":            MapLink("/data/code"),
		"/data/code/app/.git/x":   "",
		"/data/code/app/docs":     MapLink("/home/u/Documents"),
		"/home/u/Documents/a.txt": "",
	}
	anchors := []string{"/home/u/code/app", "/home/u"}
	got, via, err := ResolveLinks(fsys, "/home/u/code/app/build/x", true, anchors)
	if err != nil || got != "/home/u/code/app/build/x" || via != "" {
		t.Errorf("under the anchor: got %q via %q, %v", got, via, err)
	}
	// The same path without the anchor walks through the link.
	got, _, err = ResolveLinks(fsys, "/home/u/code/app/src", true, nil)
	if err != nil || got != "/data/code/app/src" {
		t.Errorf("without anchors: got %q, %v", got, err)
	}
	// A link below the anchor is followed, through a link of the anchor.
	fsys["/home/u/code/app/docs"] = MapLink("/home/u/Documents")
	got, via, err = ResolveLinks(fsys, "/home/u/code/app/docs/a.txt", false, anchors)
	if err != nil || got != "/home/u/Documents/a.txt" || via != "/home/u/code/app/docs" {
		t.Errorf("link below the anchor: got %q via %q, %v", got, via, err)
	}
}

// TestResolveLinksOS checks the walk on the real filesystem.
func TestResolveLinksOS(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "home", "Documents"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../home/Documents", filepath.Join(dir, "p", "docs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("self", filepath.Join(dir, "p", "self")); err != nil {
		t.Fatal(err)
	}
	got, via, err := ResolveLinks(OSFS{}, dir+"/p/docs/", false, []string{dir + "/p"})
	if err != nil || got != dir+"/home/Documents" || via != dir+"/p/docs" {
		t.Errorf("got %q via %q, %v", got, via, err)
	}
	if _, _, err := ResolveLinks(OSFS{}, dir+"/p/self/x", false, nil); !errors.Is(err, ErrLinkLoop) {
		t.Errorf("a link to itself: %v, want ErrLinkLoop", err)
	}
}

// TestMapFSLinks: Stat and ReadFile follow a MapFS link, Lstat does not.
func TestMapFSLinks(t *testing.T) {
	fsys := linkFS()
	if fi, err := fsys.Stat(tCwd + "/docs"); err != nil || !fi.IsDir() {
		t.Errorf("Stat(docs) = %v, %v; want a directory", fi, err)
	}
	if fi, err := fsys.Lstat(tCwd + "/docs"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("Lstat(docs) = %v, %v; want a link", fi, err)
	}
	if b, err := fsys.ReadFile(tCwd + "/docs/a.txt"); err != nil || string(b) != "a" {
		t.Errorf("ReadFile(docs/a.txt) = %q, %v", b, err)
	}
	if _, err := fsys.Stat(tCwd + "/loop1"); err == nil {
		t.Errorf("Stat(loop1) succeeded")
	}
}

// TestWrittenLinks: the links the code makes are followed by the view of
// Analyzer.Written, as those on disk are.
func TestWrittenLinks(t *testing.T) {
	cases := []struct {
		src, link, target string
	}{
		{"ln -s ~/Documents d && rm -rf d/", tCwd + "/d", tHome + "/Documents"},
		{"ln -sf ~/.config/guard/guard.toml x; echo > x", tCwd + "/x", tHome + "/.config/guard/guard.toml"},
		{"ln -s ../Documents -T up", tCwd + "/up", "../Documents"},
		{"ln -s /etc/passwd", tCwd + "/passwd", "/etc/passwd"},
		{"ln -s /etc/hosts src", tCwd + "/src/hosts", "/etc/hosts"},
		{"ln -s -t src /etc/hosts", tCwd + "/src/hosts", "/etc/hosts"},
		{"ln -sr src/main.go m", tCwd + "/m", tCwd + "/src/main.go"},
		{"ln src/main.go hard", tCwd + "/hard", tCwd + "/src/main.go"},
		{"cp -s /etc/hosts h", tCwd + "/h", "/etc/hosts"},
		{"link src/main.go l2", tCwd + "/l2", tCwd + "/src/main.go"},
	}
	for _, c := range cases {
		var z Analyzer
		fsys := linkFS()
		z.Analyze(c.src, Context{Cwd: tCwd, Home: tHome, FS: fsys, Env: map[string]string{"HOME": tHome}})
		view, ok := z.Written(fsys)
		if !ok {
			t.Errorf("%q: no written view", c.src)
			continue
		}
		lfs := view.(LinkFS)
		got, err := lfs.Readlink(c.link)
		if err != nil || got != c.target {
			t.Errorf("%q: Readlink(%s) = %q, %v; want %q", c.src, c.link, got, err, c.target)
		}
	}
	// Not a link: cp without -s or -l.
	var z Analyzer
	fsys := linkFS()
	z.Analyze("cp /etc/hosts h", Context{Cwd: tCwd, Home: tHome, FS: fsys})
	if view, ok := z.Written(fsys); ok {
		if _, err := view.(LinkFS).Readlink(tCwd + "/h"); err == nil {
			t.Errorf("cp without -s made a link")
		}
	}
	// Through the view, a link the code makes is followed.
	z.Analyze("ln -s ~/Documents d", Context{Cwd: tCwd, Home: tHome, FS: fsys, Env: map[string]string{"HOME": tHome}})
	view, _ := z.Written(fsys)
	if fi, err := view.Stat(tCwd + "/d"); err != nil || !fi.IsDir() {
		t.Errorf("Stat through a made link = %v, %v; want the directory", fi, err)
	}
	got, via, err := ResolveLinks(view.(LinkFS), tCwd+"/d/a.txt", false, []string{tCwd})
	if err != nil || got != tHome+"/Documents/a.txt" || via != tCwd+"/d" {
		t.Errorf("ResolveLinks through a made link = %q via %q, %v", got, via, err)
	}
}

// TestWrittenAt: a link the code makes is seen by the invocations after
// the one that makes it, not before.
func TestWrittenAt(t *testing.T) {
	var z Analyzer
	fsys := linkFS()
	invs := z.Analyze("rm -rf d/; ln -s ~/Documents d; rm -rf d/", Context{Cwd: tCwd, Home: tHome, FS: fsys, Env: map[string]string{"HOME": tHome}})
	if len(invs) != 3 {
		t.Fatalf("invocations %v", invs)
	}
	view, _ := z.Written(fsys)
	for i, want := range []bool{false, false, true} {
		at, ok := WrittenAt(view, i)
		if !ok {
			t.Fatalf("WrittenAt(%d): not a view with links", i)
		}
		_, err := at.(LinkFS).Readlink(tCwd + "/d")
		if got := err == nil; got != want {
			t.Errorf("invocation %d sees the link: %v, want %v", i, got, want)
		}
	}
	if _, ok := WrittenAt(fsys, 0); ok {
		t.Errorf("WrittenAt of a plain FS reports a view")
	}
}

// TestMadeLinkScript: a script reached through a link the code made is
// analysed as the file the link points to.
func TestMadeLinkScript(t *testing.T) {
	fsys := linkFS()
	fsys["/tmp/evil.sh"] = "rm -rf ~\n"
	for _, src := range []string{
		"ln -s /tmp/evil.sh x.sh; bash x.sh",
		"ln -s /tmp/evil.sh x.sh && source x.sh",
		"ln -s /tmp x && . x/evil.sh",
		"cp -s /tmp/evil.sh run.sh; sh run.sh",
		"ln -s other.sh x.sh; echo 'rm -rf ~' > x.sh; bash other.sh",
		"ln -s other.sh x.sh; echo 'rm -rf ~' > other.sh; bash x.sh",
	} {
		invs := Analyze(src, Context{Cwd: tCwd, Home: tHome, FS: fsys, Env: map[string]string{"HOME": tHome}})
		found := false
		for _, inv := range invs {
			found = found || inv.Name == "rm" && len(inv.Args) == 2 && inv.Args[1].Value == tHome
		}
		if !found {
			t.Errorf("%q: the linked script's rm -rf ~ is not among %v", src, invs)
		}
	}
	invs := Analyze("ln -s loopy loopy; bash loopy", Context{Cwd: tCwd, Home: tHome, FS: fsys})
	if last := invs[len(invs)-1]; last.Unknown == "" {
		t.Errorf("a script behind a loop of links: %+v, want unknown", last)
	}
}
