package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

func TestClassify(t *testing.T) {
	w := testWorld(testFS())
	cases := []struct {
		p, cwd   string
		class    PathClass
		kind     PathKind
		critical bool
		desc     string // substring of Text()
	}{
		// Critical.
		{"/", testCwd, PathProtected, KindRoot, true, "the root directory /"},
		{"/home/u", testCwd, PathProtected, KindHome, true, "your home directory /home/u"},
		{"/home/u/", testCwd, PathProtected, KindHome, true, "your home directory"},
		{"../..", testCwd, PathProtected, KindHome, true, "your home directory"},
		{"/home", testCwd, PathProtected, KindHome, true, "contains your home directory"},
		{"home", "/", PathProtected, KindHome, true, "/home"},
		{"/home/u/.config/guard", testCwd, PathProtected, KindGuard, true, "guard's own config ~/.config/guard"},
		{"/home/u/.config/guard/guard.toml", testCwd, PathProtected, KindGuard, true, "in guard's own config"},
		{"/home/u/.local/state/guard/approvals/x", testCwd, PathProtected, KindGuard, true, "guard's own state"},
		{"/home/u/.local/bin/guard", testCwd, PathProtected, KindGuard, true, "guard's own binary"},
		// Protected.
		{"/etc", testCwd, PathProtected, KindSystem, false, "the system directory /etc"},
		{"/etc/hosts", testCwd, PathProtected, KindSystem, false, "in the system directory /etc"},
		{"/usr/local", testCwd, PathProtected, KindSystem, false, "/usr/local (in the system directory /usr)"},
		{"/var/lib/mysql", testCwd, PathProtected, KindSystem, false, "/var"},
		{"/data", testCwd, PathProtected, KindSystem, false, "the top-level directory /data"},
		{"/tmp", testCwd, PathProtected, KindTemp, false, "the temporary directory /tmp"},
		{"/home/other/x", testCwd, PathProtected, KindSystem, false, "/home"},
		{"/home/u/.ssh", testCwd, PathProtected, KindCredential, false, "the credential store ~/.ssh"},
		{"/home/u/.ssh/authorized_keys", testCwd, PathProtected, KindCredential, false, "~/.ssh/authorized_keys (in the credential store ~/.ssh)"},
		{"/home/u/.aws/credentials", testCwd, PathProtected, KindCredential, false, "~/.aws"},
		{"/home/u/.config/gcloud", testCwd, PathProtected, KindCredential, false, "~/.config/gcloud"},
		{"/home/u/.kube/config", testCwd, PathProtected, KindCredential, false, "~/.kube"},
		{"/home/u/.netrc", testCwd, PathProtected, KindCredential, false, "~/.netrc"},
		{"/home/u/.git-credentials", testCwd, PathProtected, KindCredential, false, "~/.git-credentials"},
		{".git", testCwd, PathProtected, KindGit, false, "the git metadata .git of ~/code/app"},
		{"./.git/", testCwd, PathProtected, KindGit, false, ".git"},
		{".git/config", testCwd, PathProtected, KindGit, false, "in the git metadata of ~/code/app"},
		{"/home/u/other/.git", testCwd, PathProtected, KindGit, false, "~/other"},
		{".", testCwd, PathProtected, KindProject, false, "the project root ~/code/app"},
		{"..", testCwd + "/src", PathProtected, KindProject, false, "the project root"},
		{"..", testCwd, PathProtected, KindContainer, false, "~/code (contains the project ~/code/app)"},
		{"/home/u/code", testCwd, PathProtected, KindContainer, false, "contains the project"},
		{"/home/u/code/app/src", testCwd + "/src/pkg", PathProtected, KindContainer, false, "contains the working directory"},
		{"/home/u/notes.txt", testCwd, PathProtected, KindHomeChild, false, "directly in your home directory"},
		{"/home/u/.bashrc", testCwd, PathProtected, KindHomeChild, false, "~/.bashrc"},
		{"/home/u/Documents", testCwd, PathProtected, KindHomeChild, false, "~/Documents"},
		{"/home/u/other", testCwd, PathProtected, KindHomeChild, false, "~/other"},
		{"app", "/home/u/code", PathProtected, KindProject, false, "the git work tree ~/code/app"},
		// Scratch.
		{"build", testCwd, PathScratch, KindScratch, false, "inside the project"},
		{"node_modules/.cache", testCwd, PathScratch, KindScratch, false, ""},
		{"/tmp/build-cache-1234", testCwd, PathScratch, KindScratch, false, "in the temporary directory /tmp"},
		{"/var/tmp/x", testCwd, PathScratch, KindScratch, false, "/var/tmp"},
		{"/dev/shm/x", testCwd, PathScratch, KindScratch, false, ""},
		{".git/index.lock", testCwd, PathScratch, KindScratch, false, "a git lock file"},
		{"build", "/home/u/other/sub", PathScratch, KindScratch, false, ""},
		// Other.
		{"/home/u/Downloads/a.md", testCwd, PathOther, KindOutside, false, "~/Downloads/a.md (outside the project)"},
		{"/home/u/other/build", testCwd, PathOther, KindOutside, false, "outside the project"},
		{"/home/u/code/app/dist", "/tmp", PathOther, KindOutside, false, "outside the project"}, // no project at /tmp
		{"../other-project/node_modules", testCwd, PathOther, KindOutside, false, ""},
		// Unknown.
		{"", testCwd, PathUnknown, KindUnknown, false, "a path"},
		{"build", "", PathUnknown, KindUnknown, false, "the directory it is relative to cannot be known"},
		{interceptor.UnknownMark + "/build", testCwd, PathUnknown, KindUnknown, false, "…/build (its value cannot be known"},
	}
	for _, c := range cases {
		got := w.Classify(c.p, c.cwd)
		if got.Class != c.class || got.Kind != c.kind || got.Critical != c.critical {
			t.Errorf("Classify(%q, %q) = %s kind %d critical %v (%s); want %s kind %d critical %v",
				c.p, c.cwd, got.Class, got.Kind, got.Critical, got.Text(), c.class, c.kind, c.critical)
			continue
		}
		if !strings.Contains(got.Text(), c.desc) {
			t.Errorf("Classify(%q, %q).Text() = %q, want it to contain %q", c.p, c.cwd, got.Text(), c.desc)
		}
	}
}

func TestClassifyWordGlobs(t *testing.T) {
	w := testWorld(testFS())
	cases := []struct {
		value, cwd string
		class      PathClass
		kind       PathKind
		critical   bool
		desc       string
	}{
		{"/home/u/*", testCwd, PathProtected, KindHome, true, "everything in your home directory /home/u"},
		{"*", "/home/u", PathProtected, KindHome, true, "everything in your home directory"},
		{"/*", testCwd, PathProtected, KindRoot, true, "everything in the root directory /"},
		{"/home/*", testCwd, PathProtected, KindHome, true, "everything in /home"},
		{"/h*", testCwd, PathProtected, KindHome, true, "can match a directory containing your home directory"},
		{"/home/?", testCwd, PathProtected, KindHome, true, "can match your home directory"},
		{"*", testCwd, PathProtected, KindProject, false, "everything in the project root ~/code/app"},
		{"./*", testCwd, PathProtected, KindProject, false, "everything in the project root"},
		{"../app/*", testCwd, PathProtected, KindProject, false, "everything in the project root"},
		{".*", testCwd, PathProtected, KindGit, false, "can match the git metadata .git"},
		{"/home/u/code/*", testCwd, PathProtected, KindContainer, false, "contains the project"},
		{"/home/u/c*/app", testCwd, PathProtected, KindProject, false, "can match the project root"},
		{"/home/u/.s*", testCwd, PathProtected, KindCredential, false, "can match the credential store ~/.ssh"},
		{"/home/u/.ssh/*", testCwd, PathProtected, KindCredential, false, "credential store ~/.ssh"},
		{"/home/u/.s*/id_rsa", testCwd, PathProtected, KindCredential, false, "~/.ssh"},
		{"/home/u/.config/*", testCwd, PathProtected, KindGuard, true, "guard's own config"},
		{"/home/u/.local/state/guard/*", testCwd, PathProtected, KindGuard, true, "guard's own state"},
		{"/e*", testCwd, PathProtected, KindSystem, false, "can match the system directory /etc"},
		{"/etc/*.conf", testCwd, PathProtected, KindSystem, false, "/etc"},
		{"/etc/*", testCwd, PathProtected, KindSystem, false, "everything in the system directory /etc"},
		{"/t*", testCwd, PathProtected, KindTemp, false, "can match the temporary directory /tmp"},
		{"/home/u/*.md", testCwd, PathProtected, KindHomeChild, false, "directly in your home directory"},
		{".git/*", testCwd, PathProtected, KindGit, false, "git metadata"},
		// Scratch and other.
		{"build/*.o", testCwd, PathScratch, KindScratch, false, "inside the project"},
		{"src/*", testCwd, PathScratch, KindScratch, false, ""},
		{"*.log", testCwd, PathScratch, KindScratch, false, ""},
		{"./**/*.pyc", testCwd, PathScratch, KindScratch, false, ""},
		{"/tmp/*", testCwd, PathScratch, KindScratch, false, "/tmp"},
		{"/tmp/build-*", testCwd, PathScratch, KindScratch, false, ""},
		{"/home/u/Downloads/*.md", testCwd, PathOther, KindOutside, false, "outside the project"},
		{"/home/u/**/node_modules", testCwd, PathOther, KindOutside, false, ""},
	}
	for _, c := range cases {
		got := w.ClassifyWord(interceptor.Word{Value: c.value, Glob: true}, c.cwd)
		if got.Class != c.class || got.Kind != c.kind || got.Critical != c.critical {
			t.Errorf("ClassifyWord(%q, %q) = %s kind %d critical %v (%s); want %s kind %d critical %v",
				c.value, c.cwd, got.Class, got.Kind, got.Critical, got.Text(), c.class, c.kind, c.critical)
			continue
		}
		if !strings.Contains(got.Text(), c.desc) {
			t.Errorf("ClassifyWord(%q, %q).Text() = %q, want it to contain %q", c.value, c.cwd, got.Text(), c.desc)
		}
	}
	// A quoted "*" is a file name, not a pattern.
	if got := w.ClassifyWord(interceptor.Word{Value: "*"}, testCwd); got.Class != PathScratch {
		t.Errorf("quoted * at the project root: got %s (%s), want scratch", got.Class, got.Text())
	}
	// Unknown words are unknown whatever they hold.
	if got := w.ClassifyWord(interceptor.Word{Value: "/home/u/" + interceptor.UnknownMark, Unknown: true}, testCwd); got.Class != PathUnknown {
		t.Errorf("unknown word: got %s", got.Class)
	}
}

func TestProjectFor(t *testing.T) {
	w := testWorld(testFS())
	cases := []struct{ cwd, want string }{
		{testCwd, testCwd},
		{testCwd + "/src", testCwd},
		{testCwd + "/.git", testCwd},
		{"/home/u/other/sub", "/home/u/other"},
		// No git: the cwd itself, unless it is protected.
		{"/home/u/notes/2024", "/home/u/notes/2024"},
		{"/tmp/work", "/tmp/work"},
		{"/home/u", ""},
		{"/home/u/Downloads", ""},
		{"/etc/nginx", ""},
		{"/", ""},
		{"/tmp", ""},
		{"/home/u/.ssh", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := w.ProjectFor(c.cwd); got != c.want {
			t.Errorf("ProjectFor(%q) = %q, want %q", c.cwd, got, c.want)
		}
	}
	// A work tree at a top-level directory is a project (/app in a
	// container); one at a system directory is not (etckeeper's /etc).
	fsys0 := testFS()
	fsys0["/app/.git/HEAD"] = "ref: refs/heads/main\n"
	fsys0["/etc/.git/HEAD"] = "ref: refs/heads/main\n"
	w0 := testWorld(fsys0)
	if got := w0.ProjectFor("/app/src"); got != "/app" {
		t.Errorf("ProjectFor(/app/src) with /app/.git = %q, want /app", got)
	}
	if got := w0.ProjectFor("/etc/nginx"); got != "" {
		t.Errorf("ProjectFor(/etc/nginx) with /etc/.git = %q, want none", got)
	}
	if got := w0.Classify("node_modules", "/app"); got.Class != PathScratch {
		t.Errorf("node_modules in /app: got %s (%s)", got.Class, got.Text())
	}
	if got := w0.Classify("nginx.conf", "/etc/nginx"); got.Class != PathProtected {
		t.Errorf("/etc/nginx/nginx.conf under etckeeper: got %s (%s)", got.Class, got.Text())
	}
	// A dotfiles repository at $HOME is not a project: home stays protected.
	fsys := testFS()
	fsys[testHome+"/.git/HEAD"] = "ref: refs/heads/main\n"
	w = testWorld(fsys)
	if got := w.ProjectFor(testHome + "/notes"); got != "" {
		t.Errorf("ProjectFor under a dotfiles repo at home = %q, want none (~/notes is protected)", got)
	}
	if got := w.ProjectFor(testHome + "/notes/sub"); got != testHome+"/notes/sub" {
		t.Errorf("ProjectFor(~/notes/sub) under a dotfiles repo = %q, want the cwd", got)
	}
	if got := w.Classify("/home/u/Documents", testHome+"/notes/sub"); got.Class != PathProtected {
		t.Errorf("~/Documents under a dotfiles repo: got %s", got.Class)
	}
}

func TestClassifyNoProject(t *testing.T) {
	w := testWorld(testFS())
	// At home, with no project, nothing there is scratch.
	if got := w.Classify("build", "/home/u"); got.Kind != KindHomeChild {
		t.Errorf("build at ~: got %s (%s)", got.Class, got.Text())
	}
	if got := w.Classify("x.txt", "/home/u/Downloads"); got.Class != PathOther {
		t.Errorf("x.txt in ~/Downloads: got %s (%s)", got.Class, got.Text())
	}
	// A misconfigured TMPDIR must not make home scratch.
	w = NewWorld(testHome, testHome, nil, testFS())
	if got := w.Classify("/home/u/Documents", "/"); got.Class != PathProtected {
		t.Errorf("TMPDIR=$HOME: ~/Documents is %s", got.Class)
	}
	w = NewWorld(testHome, "/", nil, testFS())
	if got := w.Classify("/home/u/Downloads/x", "/"); got.Class != PathOther {
		t.Errorf("TMPDIR=/: ~/Downloads/x is %s", got.Class)
	}
	// TMPDIR inside home is scratch.
	w = NewWorld(testHome, testHome+"/.cache/tmp", nil, testFS())
	if got := w.Classify("/home/u/.cache/tmp/x", "/"); got.Class != PathScratch {
		t.Errorf("TMPDIR=~/.cache/tmp: a file in it is %s", got.Class)
	}
	// A home under /tmp (a test's HOME) keeps its protection, and the
	// rest of /tmp stays scratch.
	w = NewWorld("/tmp/t1/home", "", nil, interceptor.MapFS{"/tmp/t1/home/code/app/.git/HEAD": "x"})
	for p, want := range map[string]PathClass{
		"/tmp/t1/home/Documents":            PathProtected,
		"/tmp/t1/home/Downloads/x":          PathOther,
		"/tmp/t1/home/code/app/build":       PathScratch,
		"/tmp/t1/home/code/app":             PathProtected,
		"/tmp/t1":                           PathProtected,
		"/tmp/build-cache-1234":             PathScratch,
		"/tmp/t1/other":                     PathScratch,
		"/tmp/t1/home/code/app/.git/config": PathProtected,
	} {
		if got := w.Classify(p, "/tmp/t1/home/code/app"); got.Class != want {
			t.Errorf("home under /tmp: %s is %s (%s), want %s", p, got.Class, got.Text(), want)
		}
	}
	if got := w.Classify("/tmp/t1", "/tmp/t1/home/code/app"); !got.Critical {
		t.Errorf("home under /tmp: its parent /tmp/t1 is not critical")
	}
}

func TestClassifyRemote(t *testing.T) {
	cases := []struct {
		value    string
		glob     bool
		class    PathClass
		kind     PathKind
		critical bool
	}{
		{"/", false, PathProtected, KindRoot, true},
		{"/*", true, PathProtected, KindRoot, true},
		{"/var/www", false, PathProtected, KindSystem, false},
		{"/var/www/*", true, PathProtected, KindSystem, false},
		{"/data", false, PathProtected, KindSystem, false},
		{"/home/deploy", false, PathProtected, KindSystem, false},
		{"/tmp", false, PathProtected, KindTemp, false},
		{"/tmp/x", false, PathScratch, KindScratch, false},
		{"/tmp/*", true, PathScratch, KindScratch, false},
		{"/data/app/cache", false, PathOther, KindOutside, false},
		{"build", false, PathUnknown, KindUnknown, false},
		{interceptor.UnknownMark, false, PathUnknown, KindUnknown, false},
	}
	for _, c := range cases {
		word := interceptor.Word{Value: c.value, Glob: c.glob, Unknown: strings.Contains(c.value, interceptor.UnknownMark)}
		got := classifyRemote(word, "ssh prod")
		if got.Class != c.class || got.Kind != c.kind || got.Critical != c.critical {
			t.Errorf("classifyRemote(%q) = %s kind %d critical %v (%s); want %s kind %d critical %v",
				c.value, got.Class, got.Kind, got.Critical, got.Text(), c.class, c.kind, c.critical)
		}
		if !strings.Contains(got.Text(), "ssh prod") {
			t.Errorf("classifyRemote(%q).Text() = %q, want the host named", c.value, got.Text())
		}
	}
}

func TestPathMatchComp(t *testing.T) {
	cases := []struct {
		pat, name string
		want      bool
	}{
		{"*", "src", true},
		{"*", ".git", false},
		{".*", ".git", true},
		{"**", "code", true},
		{"?*", "a", true},
		{"*.md", "README.md", true},
		{"*.md", "main.go", false},
		{"[a-c]*", "code", true},
		{"[a-c]*", "src", false},
		{"!(keep)", "anything", true},
		{"src", "src", true},
		{"[", "[", true},
	}
	for _, c := range cases {
		if got := pathMatchComp(c.pat, c.name); got != c.want {
			t.Errorf("pathMatchComp(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
	for pat, want := range map[string]bool{"*": true, "**": true, "?*": true, "*.*": false, "[a-z]*": false, ".*": false} {
		if got := pathMatchesAll(pat); got != want {
			t.Errorf("pathMatchesAll(%q) = %v, want %v", pat, got, want)
		}
	}
}

func TestDevices(t *testing.T) {
	disks := []string{"/dev/sda", "/dev/sdb1", "/dev/nvme0n1", "/dev/nvme0n1p2", "/dev/disk2", "/dev/rdisk2",
		"/dev/mmcblk0", "/dev/vda", "/dev/xvda1", "/dev/md0", "/dev/dm-0", "/dev/mapper/root", "/dev/disk/by-id/ata-x",
		"/dev/loop0", "/dev/mem", "/dev/fd0"}
	for _, d := range disks {
		if !pathIsDiskDevice(d) {
			t.Errorf("pathIsDiskDevice(%q) = false", d)
		}
		if pathIsHarmlessDevice(d) {
			t.Errorf("pathIsHarmlessDevice(%q) = true", d)
		}
	}
	fine := []string{"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/fd/1", "/dev/fd/63", "/dev/pts/3", "/dev/zero", "/dev/urandom"}
	for _, d := range fine {
		if pathIsDiskDevice(d) {
			t.Errorf("pathIsDiskDevice(%q) = true", d)
		}
		if !pathIsHarmlessDevice(d) {
			t.Errorf("pathIsHarmlessDevice(%q) = false", d)
		}
	}
	for _, d := range []string{"/dev", "/devices/sda", "/home/u/sda", "/dev/loop-control", "/dev/snd/x"} {
		if pathIsDiskDevice(d) {
			t.Errorf("pathIsDiskDevice(%q) = true", d)
		}
	}
}

func TestGuardHit(t *testing.T) {
	w := testWorld(testFS())
	cases := []struct {
		value     string
		glob      bool
		unknown   bool
		ancestors bool
		hit, anc  bool
	}{
		{"/home/u/.config/guard", false, false, false, true, false},
		{"/home/u/.config/guard/guard.toml", false, false, false, true, false},
		{"guard.toml", false, false, false, false, false}, // relative to the project
		{"/home/u/.config", false, false, false, false, false},
		{"/home/u/.config", false, false, true, true, true},
		{"/home/u", false, false, true, true, true},
		{"/home/u/.config/guard.bak", false, false, true, false, false},
		{"/home/u/.local/bin/guard", false, false, false, true, false},
		{"/home/u/.local/bin/guardian", false, false, true, false, false},
		{"/home/u/.config/*", true, false, false, true, false},
		{"/home/u/.config/g*/guard.toml", true, false, false, true, false},
		{"/home/u/.c*", true, false, false, false, false},
		{"/home/u/.c*", true, false, true, true, true},
		{"/home/u/*", true, false, true, false, false}, // * does not match .config
		{"/home/u/.config/guard/" + interceptor.UnknownMark, false, true, false, true, false},
		{interceptor.UnknownMark, false, true, true, false, false},
	}
	for _, c := range cases {
		word := interceptor.Word{Value: c.value, Glob: c.glob, Unknown: c.unknown}
		_, anc, hit := w.pathGuardHit(word, testCwd, c.ancestors)
		if hit != c.hit || anc != c.anc {
			t.Errorf("pathGuardHit(%q, ancestors=%v) = hit %v ancestor %v, want %v %v", c.value, c.ancestors, hit, anc, c.hit, c.anc)
		}
	}
}

func TestFindPathMatch(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"*guard*", "/home/u/.config/guard", true},
		{"*/guard", "/home/u/.config/guard", true},
		{"*/guard", "/home/u/.config/guard/guard.toml", false},
		{"./node_modules", "./node_modules", true},
		{"./node_modules", "./node_modules/x", false},
		{"/home/u/*.toml", "/home/u/.config/guard/guard.toml", true},
		{"*/[gG]uard/*", "/home/u/.config/guard/audit.jsonl", true},
		{"*/[!g]uard", "/home/u/.config/guard", false},
		{"a?c", "abc", true},
		{`a\*c`, "a*c", true},
		{`a\*c`, "abc", false},
		{"", "", true},
		{"*", "", true},
		{"**", "/x/y", true},
		{"[unclosed", "[unclosed", true},
		{"*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		if got := findPathMatch(c.pat, c.s); got != c.want {
			t.Errorf("findPathMatch(%q, %q) = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
}

// TestPathGitDirOf finds the .git directory a path is in or names.
func TestPathGitDirOf(t *testing.T) {
	for _, tc := range []struct {
		p, want string
		ok      bool
	}{
		{"/p/.git", "/p/.git", true},
		{"/p/.git/HEAD", "/p/.git", true},
		{"/p/.git/modules/m/.git/x", "/p/.git", true},
		{"/p/sub/.git", "/p/sub/.git", true},
		{"/p/.github/x", "", false},
		{"/p/x.git", "", false},
		{"/p/.gitignore", "", false},
		{"/p", "", false},
	} {
		got, ok := pathGitDirOf(tc.p)
		if got != tc.want || ok != tc.ok {
			t.Errorf("pathGitDirOf(%q) = %q, %v; want %q, %v", tc.p, got, ok, tc.want, tc.ok)
		}
	}
}
