package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// linksFS is the test world with links in the project: docs ->
// ~/Documents (absolute, relative, in a subdirectory, chained), links to
// the project's own directories, to guard's config, to home, and a loop.
func linksFS() interceptor.MapFS {
	fsys := testFS()
	for k, v := range map[string]string{
		testCwd + "/docs":                   interceptor.MapLink(testHome + "/Documents"),
		testCwd + "/rel":                    interceptor.MapLink("../../Documents"),
		testCwd + "/sub/up":                 interceptor.MapLink("../../../Documents"),
		testCwd + "/chain":                  interceptor.MapLink("rel"),
		testCwd + "/srclink":                interceptor.MapLink("src"),
		testCwd + "/build":                  interceptor.MapLink("/tmp/build-cache"),
		testCwd + "/homelink":               interceptor.MapLink(testHome),
		testCwd + "/g":                      interceptor.MapLink(testHome + "/.config/guard"),
		testCwd + "/conf":                   interceptor.MapLink(testHome + "/.config/guard/guard.toml"),
		testCwd + "/sshdir":                 interceptor.MapLink("../../.ssh"),
		testCwd + "/loop":                   interceptor.MapLink("loop"),
		testCwd + "/node_modules/.bin/tsc":  interceptor.MapLink("../typescript/bin/tsc"),
		testCwd + "/node_modules/shared":    interceptor.MapLink("../../shared"),
		testCwd + "/fifo-src":               interceptor.MapLink("/dev/zero"),
		testHome + "/Documents/a.txt":       "a",
		testHome + "/Documents/notes/b.txt": "b",
		"/tmp/build-cache/out.o":            "",
		testHome + "/code/shared/x.js":      "",
	} {
		fsys[k] = v
	}
	return fsys
}

// judgeLinks judges src in the test world over fsys with every built-in
// pack, through the Checker, so that links the line makes are followed.
func judgeLinks(t *testing.T, fsys interceptor.FS, src string) Verdict {
	t.Helper()
	c, err := NewChecker(Options{
		Home: testHome,
		User: "u",
		Env:  map[string]string{"HOME": testHome, "USER": "u", "PATH": "/usr/bin:/bin"},
		Locations: Locations{
			ConfigDir:       testHome + "/.config/guard",
			StateDir:        testHome + "/.local/state/guard",
			SystemConfigDir: "/etc/guard",
			Binary:          testHome + "/.local/bin/guard",
		},
		FS: fsys,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Check(Command{Source: src, Cwd: testCwd}).Verdict
}

// TestLinksFollowed: a target reached through a link is judged as its
// real path; a command that acts on the link itself is judged as the
// link.
func TestLinksFollowed(t *testing.T) {
	fsys := linksFS()
	runCasesWith(t, []ruleCase{
		// Like rm -rf ~/Documents.
		{"rm -rf docs/", Confirm, "fs.rm-protected"},
		{"rm -rf docs/*", Confirm, "fs.rm-protected"},
		{"rm -rf docs/.", Confirm, "fs.rm-protected"},
		{"rm -rf rel/", Confirm, "fs.rm-protected"},
		{"rm -rf chain/", Confirm, "fs.rm-protected"},
		{"rm -rf sub/up/", Confirm, "fs.rm-protected"},
		{"cd sub && rm -rf up/", Confirm, "fs.rm-protected"},
		// A working directory inside the link: what is in it is ~/Documents'.
		{"cd docs && rm -rf *", Confirm, "fs.rm-protected"},
		{"cd docs && rm a.txt", Confirm, "fs.rm-outside"},
		{"cd docs/notes && rm -rf ../*", Confirm, "fs.rm-protected"},
		{"find docs/ -type f -delete", Confirm, "fs.rm-protected"},
		{"find -L docs -type f -delete", Confirm, "fs.rm-protected"},
		{"find -H docs -delete", Confirm, "fs.rm-protected"},
		{"find docs -follow -delete", Confirm, "fs.rm-protected"},
		// find -L follows every link below its start path: anywhere.
		{"find -L . -name '*.pyc' -delete", Confirm, "fs.unknown-target"},
		{"find . -follow -name '*.pyc' -delete", Confirm, "fs.unknown-target"},
		{"find -H . -name '*.pyc' -delete", Allow, ""},
		{"find -L . -name '*.pyc'", Allow, ""},
		{"ln -s ~/Documents d && rm -rf d/", Confirm, "fs.rm-protected"},
		{"cd sub && ln -s ../docs d && cd .. && rm -rf sub/d/", Confirm, "fs.rm-protected"},
		// A link the line makes exists only for the commands after it.
		{"rm -rf d/; ln -s ~/Documents d", Allow, ""},
		{"rm -rf node_modules/ && ln -s ../shared node_modules", Allow, ""},
		{"ln -s ../../Documents d; find d/ -delete", Confirm, "fs.rm-protected"},
		// A link in the middle of the path.
		{"rm -rf docs/notes", Confirm, "fs.rm-outside"},
		{"rm docs/a.txt", Confirm, "fs.rm-outside"},
		{"shred -u docs/a.txt", Confirm, "fs.rm-outside"},
		{"truncate -s 0 docs/a.txt", Confirm, "fs.overwrite-outside"},
		{"echo x > docs/a.txt", Confirm, "fs.overwrite-outside"},
		{"chmod -R 777 sshdir", Confirm, "fs.chmod-protected"},
		{"mv docs/notes /tmp/", Confirm, "fs.mv-outside"},
		// A link to home, to guard's files, to a credential store.
		{"rm -rf homelink/", Deny, "fs.rm-home"},
		{"rm -rf homelink/*", Deny, "fs.rm-home"},
		{"rm -rf g/", Deny, "self.modify-guard"},
		{"echo 'default = \"allow\"' > conf", Deny, "self.modify-guard"},
		{"sed -i s/deny/allow/ g/guard.toml", Deny, "self.modify-guard"},
		{"ln -s ~/.config/guard/guard.toml x && echo > x", Deny, "self.modify-guard"},
		{"ln -s ~/.config/guard gl; rm -rf gl/", Deny, "self.modify-guard"},
		{"cat new.toml > g/guard.toml", Deny, "self.modify-guard"},
		{"python3 edit.py g/guard.toml", Confirm, "self.may-modify-guard"},
		{"some-tool --config=./g/guard.toml", Confirm, "self.may-modify-guard"},
		// Only links on the way are followed (see selfLinkCandidate).
		{"some-tool conf", Allow, ""},
		{"some-tool ./conf", Allow, ""},
		{"python3 edit.py docs/a.txt", Allow, ""},
		{"rm -rf sshdir/", Confirm, "fs.rm-protected"},
		{"echo key >> sshdir/authorized_keys", Confirm, "fs.overwrite-protected"},
		// A loop cannot be followed: confirm, never allow.
		{"rm -rf loop/x", Confirm, "fs.unknown-target"},

		// Acting on the link itself, or on links inside the project.
		{"rm -rf docs", Allow, ""},
		{"rm docs", Allow, ""},
		{"unlink docs", Allow, ""},
		{"find docs -type f -delete", Allow, ""},
		{"find . -name '*.o' -delete", Allow, ""},
		{"mv docs docs-old", Allow, ""},
		{"rm -rf srclink/", Allow, ""},
		{"rm -rf srclink/main.go", Allow, ""},
		{"rm -rf build/", Allow, ""}, // a cache in /tmp
		{"rm -rf build/*", Allow, ""},
		{"rm -rf node_modules", Allow, ""},
		{"rm -rf node_modules/.bin/tsc", Allow, ""},
		{"ln -s ../shared/x node_modules/x", Allow, ""},
		{"ln -sfn ../shared node_modules/shared", Allow, ""},
		{"ls docs/", Allow, ""},
		{"cat docs/a.txt", Allow, ""},
		{"cp docs/a.txt /tmp/", Allow, ""},
		{"cat conf", Allow, ""},
		{"ln -s ~/Documents d", Allow, ""},
		{"ln -s ~/.config/guard/guard.toml /tmp/view", Allow, ""},
		{"rm -rf /tmp/x/", Allow, ""},
		{"echo hi > /dev/stdout", Allow, ""},
		{"echo hi > out.txt 2>/dev/null", Allow, ""},
	}, func(src string) Verdict { return judgeLinks(t, fsys, src) })
}

// TestLinksReason: the message says where the path leads and through
// which link.
func TestLinksReason(t *testing.T) {
	v := judgeLinks(t, linksFS(), "rm -rf docs/")
	want := "deletes ~/Documents recursively (directly in your home directory; reached through the link ~/code/app/docs)"
	if len(v.Findings) == 0 || !strings.Contains(v.Findings[0].Reason, want) {
		t.Errorf("findings %+v, want a reason containing %q", v.Findings, want)
	}
	v = judgeLinks(t, linksFS(), "echo > conf")
	want = "reached through the link ~/code/app/conf"
	if len(v.Findings) == 0 || !strings.Contains(v.Findings[0].Reason, want) {
		t.Errorf("findings %+v, want a reason containing %q", v.Findings, want)
	}
}

// TestLinksMade: making a link, a FIFO or a device, or renaming onto a
// path, at guard's own files, at a directory on their way, or at a
// project's .guard.toml is self-modification.
func TestLinksMade(t *testing.T) {
	fsys := linksFS()
	runCasesWith(t, []ruleCase{
		{"ln -s /dev/zero .guard.toml", Deny, "self.modify-guard"},
		{"ln -sf /tmp/other.toml .guard.toml", Deny, "self.modify-guard"},
		{"ln -s /tmp/other.toml", Allow, ""}, // other.toml in cwd
		{"cd /tmp && ln -s ~/code/app/.guard.toml", Allow, ""},
		{"ln -s /tmp/.guard.toml", Deny, "self.modify-guard"},
		{"ln /tmp/x .guard.toml", Deny, "self.modify-guard"},
		{"ln -sT /dev/zero ./.guard.toml", Deny, "self.modify-guard"},
		{"cp -s /dev/zero .guard.toml", Deny, "self.modify-guard"},
		{"mkfifo .guard.toml", Deny, "self.modify-guard"},
		{"mkfifo -m 600 ~/code/app/.guard.toml", Deny, "self.modify-guard"},
		{"mknod .guard.toml p", Deny, "self.modify-guard"},
		{"mknod .guard.toml c 1 5", Deny, "self.modify-guard"},
		{"mv fifo-src .guard.toml", Deny, "self.modify-guard"},
		{"mkfifo /tmp/p && mv /tmp/p .guard.toml", Allow, ""}, // the FIFO does not exist yet when judged
		{"echo '[rules]' >> .guard.toml", Allow, ""},
		{"cp /tmp/strict.toml .guard.toml", Allow, ""},
		{"mv /tmp/strict.toml .guard.toml", Allow, ""},
		{"ln -s ../.guard.toml src/.guard.toml", Allow, ""}, // src is not a git root

		// guard's config, state, approvals and binary, and the
		// directories on their way.
		{"ln -s ~/evil ~/.config/guard", Deny, "self.modify-guard"},
		{"ln -sfn ~/evil ~/.config/guard", Deny, "self.modify-guard"},
		{"ln -s ~/evil ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"ln -s ~/evil/guard ~/.config/", Deny, "self.modify-guard"},
		{"ln -s -t ~/.config/guard ~/evil.toml", Deny, "self.modify-guard"},
		{"ln -sT ~/dotfiles ~/.config", Deny, "self.modify-guard"},
		{"ln -sT ~/state ~/.local/state", Deny, "self.modify-guard"},
		{"ln -sf /tmp/x ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"ln -s /tmp/x ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"cp -s /tmp/x ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"cp --symbolic-link /tmp/x ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"link /tmp/x ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"mkfifo ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"mknod ~/.local/state/guard/audit.jsonl p", Deny, "self.modify-guard"},
		{"mv x ~/.local/state/guard/approvals/ID.json", Deny, "self.modify-guard"},
		{"mv ~/evil ~/.local/state", Deny, "self.modify-guard"},
		{"mv -T ~/evil ~/.config", Deny, "self.modify-guard"},
		{"rename .bak '' ~/.config/guard.bak", Deny, "self.modify-guard"},
		{"rename s/guard-old/guard/ ~/.config/guard-old", Deny, "self.modify-guard"},
		{"rename s/guard.bak/guard/ ~/.config/guard.bak", Confirm, "self.may-modify-guard"}, // "." is a pattern
		{"rename 's/\\.bak$//' ~/.config/*.bak", Confirm, "self.may-modify-guard"},
		// A hard link is a second name of guard's file.
		{"ln ~/.config/guard/guard.toml /tmp/g.toml", Deny, "self.modify-guard"},
		{"cp -l ~/.config/guard/guard.toml x", Deny, "self.modify-guard"},
		{"link ~/.local/state/guard/audit.jsonl a", Deny, "self.modify-guard"},

		// Links elsewhere, and links that point at guard's files.
		{"ln -sf \"$PWD/bin/tool\" ~/.local/bin/tool", Allow, ""},
		{"ln -s ~/bin/x ~/.local/bin/", Allow, ""},
		{"ln -s ~/.config/guard/guard.toml /tmp/view", Allow, ""},
		{"ln -s ~/.config/guard g2", Allow, ""},
		{"ln -s ~/dotfiles/nvim ~/.config/nvim", Allow, ""},
		{"mkfifo /tmp/p", Allow, ""},
		{"mkfifo pipe && cat pipe", Allow, ""},
		{"mv build.log logs/", Allow, ""},
		{"rename .htm .html *.htm", Allow, ""},
		{"rename 's/\\.txt$/.md/' *.txt", Allow, ""},
		{"rename -n 's/x/y/' ~/.config/*", Allow, ""},
		{"cp -al src /tmp/snapshot", Allow, ""},
	}, func(src string) Verdict { return judgeLinks(t, fsys, src) })
}

// TestLinksGuardPathsReal: guard's files reached through a link of
// their own directories (~/.config -> ~/dotfiles/config) are guard's
// under their real path too.
func TestLinksGuardPathsReal(t *testing.T) {
	fsys := testFS()
	delete(fsys, testHome+"/.config/guard/guard.toml")
	fsys[testHome+"/.config"] = interceptor.MapLink("dotfiles/config")
	fsys[testHome+"/dotfiles/config/guard/guard.toml"] = ""
	fsys[testHome+"/dotfiles/config/nvim/init.lua"] = ""
	runCasesWith(t, []ruleCase{
		{"rm -rf ~/dotfiles/config/guard", Deny, "self.modify-guard"},
		{"echo 'default = \"allow\"' > ~/dotfiles/config/guard/guard.toml", Deny, "self.modify-guard"},
		{"rm -rf ~/.config/guard", Deny, "self.modify-guard"},
		{"cat ~/dotfiles/config/guard/guard.toml", Allow, ""},
		{"rm -rf ~/dotfiles/config/nvim/lua", Confirm, "fs.rm-outside"},
	}, func(src string) Verdict { return judgeLinks(t, fsys, src) })
}
