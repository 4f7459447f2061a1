package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// words makes literal argument words; a value holding "*" or "?" is a
// glob, one holding interceptor.UnknownMark is unknown.
func fsWords(vals ...string) []interceptor.Word {
	out := make([]interceptor.Word, len(vals))
	for i, v := range vals {
		out[i] = interceptor.Word{
			Value:   v,
			Glob:    strings.ContainsAny(v, "*?"),
			Unknown: strings.Contains(v, interceptor.UnknownMark),
		}
	}
	return out
}

func TestFileEffects(t *testing.T) {
	w := testWorld(testFS())
	type eff struct {
		op        fsOp
		value     string
		recursive bool
	}
	cases := []struct {
		name  string
		args  []string
		want  []eff
		known bool
	}{
		{"rm", []string{"-rf", "build"}, []eff{{fsOpDelete, "build", true}}, true},
		{"rm", []string{"-fr", "a", "b"}, []eff{{fsOpDelete, "a", true}, {fsOpDelete, "b", true}}, true},
		{"rm", []string{"-Rf", "x"}, []eff{{fsOpDelete, "x", true}}, true},
		{"rm", []string{"--recursive", "--force", "x"}, []eff{{fsOpDelete, "x", true}}, true},
		{"rm", []string{"--rec", "x"}, []eff{{fsOpDelete, "x", true}}, true},
		{"rm", []string{"x", "-r"}, []eff{{fsOpDelete, "x", true}}, true},
		{"rm", []string{"-f", "x"}, []eff{{fsOpDelete, "x", false}}, true},
		{"rm", []string{"--", "-r"}, []eff{{fsOpDelete, "-r", false}}, true},
		{"rm", []string{"-r", "--", "-f"}, []eff{{fsOpDelete, "-f", true}}, true},
		{"rm", []string{"--no-preserve-root", "-rf", "/"}, []eff{{fsOpDelete, "/", true}}, true},
		{"rm", []string{"--help"}, nil, true},
		{"rmdir", []string{"-p", "a/b"}, []eff{{fsOpDelete, "a/b", false}}, true},
		{"unlink", []string{"f"}, []eff{{fsOpDelete, "f", false}}, true},
		{"shred", []string{"-n", "3", "-u", "f"}, []eff{{fsOpShred, "f", false}}, true},
		{"truncate", []string{"-s", "0", "f"}, []eff{{fsOpWrite, "f", false}}, true},
		{"truncate", []string{"--size=0", "f", "g"}, []eff{{fsOpWrite, "f", false}, {fsOpWrite, "g", false}}, true},
		{"mv", []string{"a", "b"}, []eff{{fsOpMove, "a", true}, {fsOpWrite, "b", false}}, true},
		{"mv", []string{"-t", "dest", "a", "b"}, []eff{{fsOpMove, "a", true}, {fsOpMove, "b", true}, {fsOpWrite, "dest/a", false}, {fsOpWrite, "dest/b", false}}, true},
		{"mv", []string{"a", "b", "dir"}, []eff{{fsOpMove, "a", true}, {fsOpMove, "b", true}, {fsOpWrite, "dir/a", false}, {fsOpWrite, "dir/b", false}}, true},
		{"cp", []string{"a", "b"}, []eff{{fsOpWrite, "b", false}}, true},
		{"cp", []string{"-r", "src", "dst"}, []eff{{fsOpWrite, "dst", true}}, true},
		{"cp", []string{"x", "src/"}, []eff{{fsOpWrite, "src/x", false}}, true},
		{"cp", []string{"x", "src"}, []eff{{fsOpWrite, "src/x", false}}, true}, // src exists as a directory
		{"cp", []string{"-T", "x", "src"}, []eff{{fsOpWrite, "src", false}}, true},
		{"cp", []string{"-r", "tpl/.", "."}, []eff{{fsOpInto, ".", false}}, true},
		{"cp", []string{"only"}, nil, true},
		{"install", []string{"-m", "755", "bin/app", "/usr/local/bin/app"}, []eff{{fsOpWrite, "/usr/local/bin/app", false}}, true},
		{"install", []string{"-d", "/usr/local/share/app"}, []eff{{fsOpCreate, "/usr/local/share/app", false}}, true},
		// ln makes a name: without -f it replaces nothing (fsOpCreate).
		{"ln", []string{"-s", "a", "b"}, []eff{{fsOpCreate, "b", false}}, true},
		{"ln", []string{"-sf", "a", "b"}, []eff{{fsOpWrite, "b", false}}, true},
		{"ln", []string{"-sf", "/x/y"}, []eff{{fsOpWrite, "y", false}}, true},
		{"ln", []string{"-s", "/x/y/"}, []eff{{fsOpCreate, "y", false}}, true},
		{"ln", []string{"-s", "a", "b", "src"}, []eff{{fsOpCreate, "src/a", false}, {fsOpCreate, "src/b", false}}, true},
		{"ln", []string{"-s", "-t", "src", "a"}, []eff{{fsOpCreate, "src/a", false}}, true},
		{"ln", []string{"--target-directory=src", "-s", "a"}, []eff{{fsOpCreate, "src/a", false}}, true},
		{"ln", []string{"-sT", "a", "src"}, []eff{{fsOpCreate, "src", false}}, true},
		{"ln", []string{"-s", "a", "src"}, []eff{{fsOpCreate, "src/a", false}}, true},
		{"ln", []string{"-snf", "a", "b"}, []eff{{fsOpWrite, "b", false}}, true},
		// A hard link gives its file a second name.
		{"ln", []string{"a", "b"}, []eff{{fsOpCreate, "b", false}, {fsOpCreate, "a", false}}, true},
		{"link", []string{"a", "src"}, []eff{{fsOpCreate, "src", false}, {fsOpCreate, "a", false}}, true},
		{"cp", []string{"-s", "/x/a", "b"}, []eff{{fsOpWrite, "b", false}}, true},
		{"cp", []string{"-l", "a", "b"}, []eff{{fsOpWrite, "b", false}, {fsOpCreate, "a", false}}, true},
		{"mkfifo", []string{"-m", "600", "p", "q"}, []eff{{fsOpCreate, "p", false}, {fsOpCreate, "q", false}}, true},
		{"mknod", []string{"n", "c", "1", "3"}, []eff{{fsOpCreate, "n", false}}, true},
		{"mknod", []string{"--help"}, nil, true},
		// rename: util-linux (FROM TO FILE...) and Perl (EXPR FILE...).
		{"rename", []string{".htm", ".html", "a.htm"}, []eff{{fsOpMove, "a.htm", true}, {fsOpWrite, "a.html", false}}, true},
		{"rename", []string{"-a", "x", "y", "d/axx"}, []eff{{fsOpMove, "d/axx", true}, {fsOpWrite, "d/ayy", false}}, true},
		{"rename", []string{"d", "e", "d/d1"}, []eff{{fsOpMove, "d/d1", true}, {fsOpWrite, "e/d1", false}, {fsOpWrite, "d/e1", false}}, true},
		{"rename", []string{"s/old/new/", "old.txt"}, []eff{{fsOpMove, "old.txt", true}, {fsOpWrite, "new.txt", false}}, true},
		{"rename", []string{"s/\\.txt$/.md/", "a.txt"}, []eff{{fsOpMove, "a.txt", true}, {fsOpCreate, "./\uffff", false}}, true},
		{"rename", []string{"-n", "s/a/b/", "a"}, nil, true},
		{"dd", []string{"if=/dev/zero", "of=disk.img", "bs=1M"}, []eff{{fsOpWrite, "disk.img", false}}, true},
		{"dd", []string{"if=/dev/sda"}, nil, true},
		{"tee", []string{"a", "-"}, []eff{{fsOpWrite, "a", false}}, true},
		{"tee", []string{"-a", "a"}, []eff{{fsOpAppend, "a", false}}, true},
		{"tar", []string{"czf", "out.tgz", "src"}, []eff{{fsOpWrite, "out.tgz", false}}, true},
		{"tar", []string{"-czf", "out.tgz", "--remove-files", "src"}, []eff{{fsOpWrite, "out.tgz", false}, {fsOpMove, "src", true}}, true},
		{"tar", []string{"--create", "--file=out.tar", "--remove-files", "a"}, []eff{{fsOpWrite, "out.tar", false}, {fsOpMove, "a", true}}, true},
		{"tar", []string{"xzf", "x.tgz"}, []eff{{fsOpInto, ".", false}}, true},
		{"tar", []string{"-xf", "x.tar", "-C", "/"}, []eff{{fsOpInto, "/", false}}, true},
		{"tar", []string{"-tf", "x.tar"}, nil, true},
		{"tar", []string{"-cf", "-", "src"}, nil, true},
		{"rsync", []string{"-a", "--delete", "src/", "build/"}, []eff{{fsOpDelete, "build/", true}, {fsOpInto, "build/", false}}, true},
		{"rsync", []string{"-av", "--remove-source-files", "a", "b/"}, []eff{{fsOpInto, "b/", false}, {fsOpMove, "a", true}}, true},
		{"rsync", []string{"-a", "--delete", "src/", "host:/srv/"}, nil, true},
		{"chmod", []string{"-R", "755", "d"}, []eff{{fsOpChmod, "d", true}}, true},
		{"chmod", []string{"-x", "f"}, []eff{{fsOpChmod, "f", false}}, true},
		{"chmod", []string{"-R", "-x", "d"}, []eff{{fsOpChmod, "d", true}}, true},
		{"chmod", []string{"--reference=r", "f"}, []eff{{fsOpChmod, "f", false}}, true},
		{"chown", []string{"-R", "u:g", "d"}, []eff{{fsOpChmod, "d", true}}, true},
		{"chgrp", []string{"staff", "f"}, []eff{{fsOpChmod, "f", false}}, true},
		{"sed", []string{"-n", "1p", "f"}, nil, true},
		{"sed", []string{"-i", "s/a/b/", "f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"sed", []string{"-i.bak", "-e", "s/a/b/", "f", "g"}, []eff{{fsOpEdit, "f", false}, {fsOpEdit, "g", false}}, true},
		{"sed", []string{"-i", "", "s/a/b/", "f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"sed", []string{"--in-place", "s/a/b/", "f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"sed", []string{"-ni", "p", "f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"perl", []string{"-pi", "-e", "s/a/b/", "f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"perl", []string{"-e", "print 1", "f"}, nil, true},
		{"find", []string{".", "-name", "*.pyc", "-delete"}, []eff{{fsOpDelete, ".", true}}, true},
		{"find", []string{"a", "b", "-exec", "rm", "-rf", "{}", "+"}, []eff{{fsOpDelete, "a", true}, {fsOpDelete, "b", true}}, true},
		{"find", []string{"-delete"}, []eff{{fsOpDelete, ".", true}}, true},
		{"find", []string{"-D"}, nil, true}, // found by FuzzCheck: the pack failed
		{"find", []string{"-H", "-D", "tree", "/", "-delete"}, []eff{{fsOpDelete, "/", true}}, true},
		{"find", []string{".", "-exec", "grep", "x", "{}", ";"}, nil, true},
		// Operands of the command besides "{}" are deleted too.
		{"find", []string{"/tmp", "-exec", "rm", "-rf", "{}", "/x", ";"}, []eff{{fsOpDelete, "/x", true}, {fsOpDelete, "/tmp", true}}, true},
		{"find", []string{".", "-fprint", "out.txt"}, []eff{{fsOpWrite, "out.txt", false}}, true},
		{"mkfs.ext4", []string{"-L", "data", "/dev/sdb1"}, []eff{{fsOpFormat, "data", false}, {fsOpFormat, "/dev/sdb1", false}}, true},
		{"mkfs", []string{"-t", "ext4", "/dev/sdb1"}, []eff{{fsOpFormat, "ext4", false}, {fsOpFormat, "/dev/sdb1", false}}, true},
		{"mkfs.ext4", []string{"-F", "disk.img"}, []eff{{fsOpFormat, "disk.img", false}}, true},
		{"wipefs", []string{"/dev/sda"}, nil, true},
		{"wipefs", []string{"-a", "/dev/sda"}, []eff{{fsOpFormat, "/dev/sda", false}}, true},
		{"wipefs", []string{"-a", "-n", "/dev/sda"}, nil, true},
		{"blkdiscard", []string{"/dev/nvme0n1"}, []eff{{fsOpFormat, "/dev/nvme0n1", false}}, true},
		{"touch", []string{"-d", "yesterday", "f"}, []eff{{fsOpCreate, "f", false}}, true},
		{"mkdir", []string{"-p", "-m", "700", "d"}, []eff{{fsOpCreate, "d", false}}, true},
		{"vim", []string{"f"}, []eff{{fsOpEdit, "f", false}}, true},
		{"cat", []string{"f"}, nil, false},
		{"python3", []string{"x.py", "f"}, nil, false},
	}
	for _, c := range cases {
		inv := &interceptor.Invocation{Name: c.name, Args: fsWords(c.args...), Cwd: testCwd}
		got, known := fsEffects(inv, w)
		if known != c.known {
			t.Errorf("%s %v: known = %v, want %v", c.name, c.args, known, c.known)
		}
		var gotEff []eff
		for _, e := range got {
			gotEff = append(gotEff, eff{e.op, e.word.Value, e.recursive})
		}
		if len(gotEff) != len(c.want) {
			t.Errorf("%s %v: effects %+v, want %+v", c.name, c.args, gotEff, c.want)
			continue
		}
		for i := range gotEff {
			if gotEff[i] != c.want[i] {
				t.Errorf("%s %v: effect %d = %+v, want %+v", c.name, c.args, i, gotEff[i], c.want[i])
			}
		}
	}
}

func TestFindSubset(t *testing.T) {
	cases := []struct {
		expr []string
		want bool
	}{
		{[]string{"-name", "*.pyc", "-delete"}, true},
		{[]string{"-type", "f", "-name", "*.o", "-delete"}, true},
		{[]string{"-name", "node_modules", "-prune", "-exec", "rm", "-rf", "{}", "+"}, true},
		{[]string{"(", "-name", "*.pyc", "-o", "-name", "__pycache__", ")", "-exec", "rm", "-rf", "{}", "+"}, true},
		{[]string{"-name", "x", "-prune", "-o", "-name", "*.log", "-delete"}, true},
		{[]string{"-not", "-path", "./.git/*", "-name", "*.tmp", "-delete"}, true},
		{[]string{"-delete"}, false},
		{[]string{"-mindepth", "1", "-delete"}, false},
		{[]string{"-type", "f", "-delete"}, false},
		{[]string{"-mtime", "+30", "-delete"}, false},
		{[]string{"-name", "*", "-delete"}, false},
		{[]string{"-name", "*.sample", "-delete"}, false},
		{[]string{"-name", "config", "-delete"}, false},
		{[]string{"-name", ".*", "-delete"}, false},
		{[]string{"-iname", "head", "-delete"}, false},
		{[]string{"-path", "*/.git/*", "-delete"}, false},
		{[]string{"-not", "-name", "*.go", "-delete"}, false},
		{[]string{"!", "-name", "*.go", "-delete"}, false},
		{[]string{"-name", "*.o", "-o", "-type", "f", "-delete"}, false},
		{[]string{"-not", "-path", "./vendor/*", "-delete"}, false},
	}
	for _, c := range cases {
		if got := fsFindSubset(fsWords(c.expr...), "."); got != c.want {
			t.Errorf("fsFindSubset(%q) = %v, want %v", c.expr, got, c.want)
		}
	}
}

func TestFnmatch(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*", ".git", true},
		{"*/.git/*", "./.git/HEAD", true},
		{"./.git/*", "./.git/objects/3f/x", true},
		{"*.pyc", "a.pyc", true},
		{"*.pyc", "HEAD", false},
		{"[!a]*", "b", true},
		{"[!a]*", "a", false},
		{"[a-c]x", "bx", true},
		{`\*`, "*", true},
		{"?", "", false},
	}
	for _, c := range cases {
		if got := fsFnmatch(c.pat, c.s); got != c.want {
			t.Errorf("fsFnmatch(%q, %q) = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
}

// TestFSInvocations judges hand-built invocations: the remote cases and
// what analysis hands over in forms a source string does not easily give.
func TestFSInvocations(t *testing.T) {
	cases := []struct {
		inv  interceptor.Invocation
		want Decision
		rule string
	}{
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/"), Remote: "ssh prod"}, Deny, "fs.rm-root"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/*"), Remote: "ssh prod"}, Deny, "fs.rm-root"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/var/www"), Remote: "ssh prod"}, Confirm, "fs.rm-protected"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/srv/app/cache"), Remote: "ssh prod"}, Confirm, "fs.rm-protected"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/data/app/cache"), Remote: "ssh prod"}, Confirm, "fs.rm-outside"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "build"), Remote: "ssh prod"}, Confirm, "fs.unknown-target"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", interceptor.UnknownMark), Remote: "docker exec web"}, Confirm, "fs.unknown-target"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/tmp/x"), Remote: "ssh prod"}, Allow, ""},
		{interceptor.Invocation{Name: "rm", Args: fsWords("file.txt"), Remote: "ssh prod"}, Allow, ""},
		{interceptor.Invocation{Name: "rm", Args: fsWords(interceptor.UnknownMark), Remote: "ssh prod"}, Allow, ""},
		// A home path on the remote host is not this machine's home.
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/home/u/code/app/build"), Remote: "ssh prod"}, Confirm, "fs.rm-protected"},
		{interceptor.Invocation{Name: ":", Redirects: []interceptor.Redirect{{Op: ">", Target: interceptor.Word{Value: "/etc/motd"}}}, Remote: "ssh prod"}, Confirm, "fs.overwrite-protected"},
		{interceptor.Invocation{Name: ":", Redirects: []interceptor.Redirect{{Op: ">", Target: interceptor.Word{Value: "out.log"}}}, Remote: "ssh prod"}, Allow, ""},
		{interceptor.Invocation{Name: "dd", Args: fsWords("if=/dev/zero", "of=/dev/sda"), Remote: "ssh prod"}, Deny, "fs.device-write"},
		// Relative paths with an unknown working directory.
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "build")}, Confirm, "fs.unknown-target"},
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/tmp/x")}, Allow, ""},
		// The rm that find -exec runs is judged with the find.
		{interceptor.Invocation{Name: "rm", Args: fsWords("-rf", "/home/u/**/node_modules"), Cwd: testCwd, Chain: []string{"find -exec"}}, Allow, ""},
		// ">& file" writes; ">&2" duplicates a descriptor.
		{interceptor.Invocation{Name: "echo", Cwd: testCwd, Redirects: []interceptor.Redirect{{Op: ">&", Target: interceptor.Word{Value: "/home/u/.bashrc"}}}}, Confirm, "fs.overwrite-protected"},
		{interceptor.Invocation{Name: "echo", Cwd: testCwd, Redirects: []interceptor.Redirect{{Op: ">&", Target: interceptor.Word{Value: "2"}}}}, Allow, ""},
		{interceptor.Invocation{Name: "echo", Cwd: testCwd, Redirects: []interceptor.Redirect{{Op: "<", Target: interceptor.Word{Value: "/home/u/.ssh/id_ed25519"}}}}, Allow, ""},
	}
	for _, c := range cases {
		fsys := testFS()
		e, err := NewEngine([]*Pack{FSPack()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		inv := c.inv
		v := e.Evaluate([]interceptor.Invocation{inv}, testWorld(fsys))
		if v.Decision != c.want {
			t.Errorf("%s (remote %q): got %s, want %s; findings %+v", inv.Line(), inv.Remote, v.Decision, c.want, v.Findings)
			continue
		}
		if c.rule != "" && !fsHasRule(v, c.rule) {
			t.Errorf("%s (remote %q): no finding of %s; findings %+v", inv.Line(), inv.Remote, c.rule, v.Findings)
		}
	}
}

func fsHasRule(v Verdict, id string) bool {
	for _, f := range v.Findings {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// fsCases are the fs pack's rule cases: each rule fires, and everyday
// commands do not.
func fsCases() []ruleCase {
	return []ruleCase{
		// fs.rm-root
		{"rm -rf --no-preserve-root /", Deny, "fs.rm-root"},
		{"rm -rf /", Deny, "fs.rm-root"},
		{"rm -rf /*", Deny, "fs.rm-root"},
		{`X=; rm -rf "$X"/`, Deny, "fs.rm-root"},
		// A tmp or cache directory in a container is made again.
		{"docker exec app rm -rf /app/tmp/cache", Allow, ""},
		{"podman exec -it web rm -rf /app/node_modules/.cache", Allow, ""},
		{"docker exec app rm -rf /app/data", Confirm, "fs.rm-outside"},
		{"ssh build rm -rf /app/tmp", Confirm, "fs.rm-outside"},
		// An empty name names no file: rm -rf "$X" with X empty is nothing.
		{`rm -rf ""`, Allow, ""},
		{`X=; rm -rf "$X"`, Allow, ""},
		{`X=; trap 'rm -rf "$X"' EXIT`, Allow, ""},
		{"sudo rm -rf --no-preserve-root /", Deny, "fs.rm-root"},
		{"cd / && rm -rf *", Deny, "fs.rm-root"},
		{"find / -delete", Deny, "fs.rm-root"},
		{"rm -rf ../../../..", Deny, "fs.rm-root"},
		{"ssh prod 'rm -rf /'", Deny, "fs.rm-root"},
		// fs.rm-home
		{"rm -rf -- ~/", Deny, "fs.rm-home"},
		{"rm -rf ~/*", Deny, "fs.rm-home"},
		{"rm -rf $HOME", Deny, "fs.rm-home"},
		{`rm -rf "${HOME}/"`, Deny, "fs.rm-home"},
		{"rm -rf ../..", Deny, "fs.rm-home"},
		{"rm -rf /home", Deny, "fs.rm-home"},
		{"rm -rf /home/*", Deny, "fs.rm-home"},
		{"cd / && rm -rf home", Deny, "fs.rm-home"},
		{"(cd ~ && rm -rf .)", Deny, "fs.rm-home"},
		{"bash -c 'cd ~ && rm -rf *'", Deny, "fs.rm-home"},
		{"rm -r -f -- ~", Deny, "fs.rm-home"},
		{"rm --recursive --force ~", Deny, "fs.rm-home"},
		{"rm ~ -rf", Deny, "fs.rm-home"},
		{"/usr/bin/rm -rf ~", Deny, "fs.rm-home"},
		{"env -i rm -rf ~", Deny, "fs.rm-home"},
		{"mv ~ /tmp/trash", Deny, "fs.rm-home"},
		{"find ~ -delete", Deny, "fs.rm-home"},
		{"rsync -a --delete empty/ ~/", Deny, "fs.rm-home"},
		// fs.rm-protected
		{"rm -rf ~/.ssh", Confirm, "fs.rm-protected"},
		{"rm -rf ~/.aws", Confirm, "fs.rm-protected"},
		{"rm -rf ~/{.ssh,.aws}", Confirm, "fs.rm-protected"},
		{"rm -rf /etc", Confirm, "fs.rm-protected"},
		{"rm -rf /usr/local", Confirm, "fs.rm-protected"},
		{"sudo rm -rf /srv/data", Confirm, "fs.rm-protected"},
		{"doas rm -rf /var/lib/mysql", Confirm, "fs.rm-protected"},
		{"rm -rf /tmp", Confirm, "fs.rm-protected"},
		{"rm -rf .", Confirm, "fs.rm-protected"},
		{"rm -rf ./", Confirm, "fs.rm-protected"},
		{"rm -rf *", Confirm, "fs.rm-protected"},
		{"rm -rf ./*", Confirm, "fs.rm-protected"},
		{"rm -rf .*", Confirm, "fs.rm-protected"},
		{"rm -rf ./.git", Confirm, "fs.rm-protected"},
		{"rm -rf .git/", Confirm, "fs.rm-protected"},
		{"rm -rf .git/objects", Confirm, "fs.rm-protected"},
		{"rm -rf ~/code", Confirm, "fs.rm-protected"},
		{"rm -rf ..", Confirm, "fs.rm-protected"},
		{"cd src && rm -rf ..", Confirm, "fs.rm-protected"},
		{"cd .. && rm -rf app", Confirm, "fs.rm-protected"},
		{"rm -rf ~/other", Confirm, "fs.rm-protected"},
		{"rm ~/notes.txt", Confirm, "fs.rm-protected"},
		{"rm -f ~/.bashrc", Confirm, "fs.rm-protected"},
		{"unlink ~/.bashrc", Confirm, "fs.rm-protected"},
		{"rmdir ~/Documents", Confirm, "fs.rm-protected"},
		{"shred -u ~/.ssh/id_ed25519", Confirm, "fs.rm-protected"},
		{"shred ~/.ssh/id_ed25519", Confirm, "fs.rm-protected"},
		{"find / -name '*.log' -delete", Confirm, "fs.rm-protected"},
		{"find ~ -name node_modules -prune -exec rm -rf {} \\;", Confirm, "fs.rm-protected"},
		{"find .. -mindepth 1 -delete", Confirm, "fs.rm-protected"},
		{"find . -delete", Confirm, "fs.rm-protected"},
		{"find . -type f -delete", Confirm, "fs.rm-protected"},
		{"find . -name '*.o' -o -type f -delete", Confirm, "fs.rm-protected"},
		{"find . -path '*/.git/*' -delete", Confirm, "fs.rm-protected"},
		{"find . -name '*.sample' -exec rm {} +", Confirm, "fs.rm-protected"},
		{"find /etc -name '*.bak' -delete", Confirm, "fs.rm-protected"},
		// Found by the metamorphic test "find -exec C" on "sudo rm -rf
		// /srv/data": a wrapper hid the rm from the find rule, and the rm
		// was left to the find rule.
		{"find / -exec sudo rm -rf {} +", Deny, "fs.rm-root"},
		{"find ~ -exec env rm -rf {} \\;", Deny, "fs.rm-home"},
		{"find / -name '*.log' -exec nice rm -f {} +", Confirm, "fs.rm-protected"},
		{"find . -maxdepth 0 -exec sudo rm -rf /srv/data \\;", Confirm, "fs.rm-protected"},
		// Operands besides "{}" were not judged at all.
		{"find /tmp -name x -exec rm -rf {} ~/.ssh \\;", Confirm, "fs.rm-protected"},
		{"find /tmp -exec shred -u ~/.ssh/id_ed25519 \\;", Confirm, "fs.rm-protected"},
		{"xargs rm -rf < paths.txt", Confirm, "fs.rm-protected"},
		{"rsync -a --delete ../template/ ./", Confirm, "fs.rm-protected"},
		{"kubectl exec deploy/api -- rm -rf /data", Confirm, "fs.rm-protected"},
		{`ssh prod "sudo rm -rf /var/www"`, Confirm, "fs.rm-protected"},
		// fs.rm-outside
		{"rm -f ~/Downloads/*.md", Confirm, "fs.rm-outside"},
		{"rm ~/Downloads/report.pdf", Confirm, "fs.rm-outside"},
		{"rm -rf ~/other/build", Confirm, "fs.rm-outside"},
		{"rm -rf ../other-project/node_modules", Confirm, "fs.rm-outside"},
		{"rmdir ~/Downloads/empty", Confirm, "fs.rm-outside"},
		{"shred -u ~/Downloads/old.txt", Confirm, "fs.rm-outside"},
		{"find ~/Downloads -name '*.tmp' -delete", Confirm, "fs.rm-outside"},
		{"find ~ -name node_modules -prune -exec rm -rf {} +", Confirm, ""},
		// fs.mv-protected / fs.mv-outside
		{"mv .git /tmp/gitbak", Confirm, "fs.mv-protected"},
		{"mv ~/.ssh ~/ssh-old", Confirm, "fs.mv-protected"},
		{"mv /etc/hosts /tmp/", Confirm, "fs.mv-protected"},
		{"tar --remove-files -czf out.tgz ~/Documents", Confirm, "fs.mv-protected"},
		{"mv ~/Downloads/report.pdf .", Confirm, "fs.mv-outside"},
		{"rsync -a --remove-source-files ~/Downloads/pics/ ./in/", Confirm, "fs.mv-outside"},
		// fs.unknown-target
		{`rm -rf "$DIR"`, Confirm, "fs.unknown-target"},
		{`rm -rf "$DIR/build"`, Confirm, "fs.unknown-target"},
		{"rm -rf $X/*", Confirm, "fs.unknown-target"},
		{`rm "$f"`, Confirm, "fs.unknown-target"},
		{"rm -rf $(cat dirs.txt)", Confirm, "fs.unknown-target"},
		{"cd $X && rm -rf build", Confirm, "fs.unknown-target"},
		{"ssh prod 'rm -rf build'", Confirm, "fs.unknown-target"},
		{`echo x > "$OUT"`, Confirm, "fs.unknown-target"},
		{`mv "$A" .`, Confirm, "fs.unknown-target"},
		{`chmod -R 777 "$D"`, Confirm, "fs.unknown-target"},
		{`tar xf a.tar -C "$D"`, Confirm, "fs.unknown-target"},
		{`mkfs.ext4 "$DEV"`, Confirm, "fs.unknown-target"},
		// fs.overwrite-protected
		{"> ~/.ssh/authorized_keys", Confirm, "fs.overwrite-protected"},
		{"echo key >> ~/.ssh/authorized_keys", Confirm, "fs.overwrite-protected"},
		{"truncate -s 0 ~/.bash_history", Confirm, "fs.overwrite-protected"},
		{": > ~/.bash_history", Confirm, "fs.overwrite-protected"},
		{"echo x >> ~/.bashrc", Confirm, "fs.overwrite-protected"},
		{"echo x > ~/.bash_profile", Confirm, "fs.overwrite-protected"},
		{"echo x >> ~/.bash_profile", Confirm, "fs.overwrite-protected"},
		{"cp x ~/.bashrc", Confirm, "fs.overwrite-protected"},
		{"cp -r src ~/*", Confirm, "fs.overwrite-protected"},
		{"echo 127.0.0.1 x >| /etc/hosts", Confirm, "fs.overwrite-protected"},
		{"cmd &> /etc/motd", Confirm, "fs.overwrite-protected"},
		{"echo hi | sudo tee -a /etc/hosts", Confirm, "fs.overwrite-protected"},
		{"tee ~/.ssh/config < /dev/null", Confirm, "fs.overwrite-protected"},
		{"cp x ~/.ssh/authorized_keys", Confirm, "fs.overwrite-protected"},
		{"cp build/app /usr/local/bin/", Confirm, "fs.overwrite-protected"},
		{"sudo install -m 755 app /usr/local/bin/app", Confirm, "fs.overwrite-protected"},
		{"mv new.conf /etc/nginx/nginx.conf", Confirm, "fs.overwrite-protected"},
		{"ln -sf /dev/null ~/.bash_history", Confirm, "fs.overwrite-protected"},
		{"dd if=/dev/zero of=/home/u/.bashrc", Confirm, "fs.overwrite-protected"},
		{"sed -i 's/a/b/' ~/.ssh/config", Confirm, "fs.overwrite-protected"},
		{"sudo sed -i '/x/d' /etc/hosts", Confirm, "fs.overwrite-protected"},
		{"perl -pi -e 's/a/b/' /etc/fstab", Confirm, "fs.overwrite-protected"},
		{"echo x > .git/HEAD", Confirm, "fs.overwrite-protected"},
		{"tar xzf x.tgz -C /", Confirm, "fs.overwrite-protected"},
		{"tar -xf x.tar -C ~", Confirm, "fs.overwrite-protected"},
		{"rsync -a dotfiles/ ~/", Confirm, "fs.overwrite-protected"},
		// fs.overwrite-outside: existing files only
		{"echo x > /home/u/other/.git/HEAD", Confirm, "fs.overwrite-protected"},
		{"cp x ../other/.git/HEAD", Confirm, "fs.overwrite-protected"},
		{"truncate -s 0 /home/u/other/.git/HEAD", Confirm, "fs.overwrite-protected"},
		// fs.device-write
		{"dd if=/dev/urandom of=/dev/nvme0n1", Deny, "fs.device-write"},
		{"dd if=disk.img of=/dev/sdb bs=4M", Deny, "fs.device-write"},
		{"cat image.iso > /dev/sdb", Deny, "fs.device-write"},
		{"echo x > /dev/sda", Deny, "fs.device-write"},
		{"cp image.iso /dev/disk2", Deny, "fs.device-write"},
		{"shred /dev/sda", Deny, "fs.device-write"},
		{"tee /dev/nvme0n1 < x", Deny, "fs.device-write"},
		// fs.format
		{"mkfs.xfs /dev/sdb", Deny, "fs.format"},
		{"mkfs -t ext4 /dev/sdb1", Deny, "fs.format"},
		{"sudo mkfs.ext4 -L data /dev/nvme1n1", Deny, "fs.format"},
		{"mke2fs /dev/sdc", Deny, "fs.format"},
		{"mkfs.ext4 -F /dev/sdc", Deny, "fs.format"},
		{"mkfs.vfat -n BOOT /dev/mmcblk0p1", Deny, "fs.format"},
		{"mkswap /dev/sda2", Deny, "fs.format"},
		{"wipefs -a /dev/sda", Deny, "fs.format"},
		{"wipefs --all /dev/sda", Deny, "fs.format"},
		{"blkdiscard /dev/nvme0n1", Deny, "fs.format"},
		// fs.chmod-root
		{"chmod -R 777 /", Deny, "fs.chmod-root"},
		{"chown -R nobody:nogroup ~", Deny, "fs.chmod-root"},
		{"sudo chown -R u:u /", Deny, "fs.chmod-root"},
		{"chmod -R 777 ~/*", Deny, "fs.chmod-root"},
		{"chgrp -R staff /home", Deny, "fs.chmod-root"},
		// fs.chmod-protected
		{"chmod 777 ~", Confirm, "fs.chmod-protected"},
		{"chmod 755 /", Confirm, "fs.chmod-protected"},
		{"chmod -R 700 ~/.ssh", Confirm, "fs.chmod-protected"},
		{"chmod -R 777 /etc", Confirm, "fs.chmod-protected"},
		{"sudo chown -R u /usr/local", Confirm, "fs.chmod-protected"},
		{"chmod -R 777 .git", Confirm, "fs.chmod-protected"},
		{"chmod --recursive a+w ~/Documents", Confirm, "fs.chmod-protected"},

		// A container sees this machine's directories through its bind
		// mounts: what it deletes there is judged here.
		{"docker run --rm -v $HOME:/h alpine rm -rf /h", Deny, "fs.rm-home"},
		{"docker run --rm -v ~/.ssh:/keys alpine rm -rf /keys", Confirm, "fs.rm-protected"},
		{"podman run --mount type=bind,source=$HOME,target=/data busybox sh -c 'rm -rf /data/*'", Deny, "fs.rm-home"},
		{"docker run --rm -v \"$PWD\":/app -w /app node:20 rm -rf node_modules", Allow, ""},
		{"docker run --rm -v $(pwd):/src node:20 rm -rf /src/dist", Allow, ""},
		{"docker run --rm -v pgdata:/var/lib/postgresql/data alpine rm -rf /tmp/x", Allow, ""},
		// Node's deletion tools, through a package runner or not.
		{"npx rimraf ~", Deny, "fs.rm-home"},
		{"npm exec -- rimraf ~", Deny, "fs.rm-home"},
		{"yarn rimraf ~/Documents", Confirm, "fs.rm-protected"},
		{"npx shx rm -rf ~", Deny, "fs.rm-home"},
		{"rimraf /", Deny, "fs.rm-root"},
		{"npx del-cli ~/Documents", Confirm, "fs.rm-protected"},

		// Everyday work: allowed.
		{"npx rimraf node_modules dist", Allow, ""},
		{"pnpm dlx rimraf coverage .turbo", Allow, ""},
		{"npx shx rm -rf build", Allow, ""},
		{"rimraf --glob 'packages/*/dist'", Allow, ""},
		{"rm -rf build/", Allow, ""},
		{"rm -rf .venv", Allow, ""},
		{"rm -rf target/debug", Allow, ""},
		{"rm -f coverage.out", Allow, ""},
		{"rm -rf dist/ .turbo/", Allow, ""},
		{"rm src/legacy/old_handler.go", Allow, ""},
		{"rm -r tmp/", Allow, ""},
		{"rm -rf /tmp/build-cache-1234", Allow, ""},
		{"rm -rf node_modules package-lock.json && npm install", Allow, ""},
		{"rm -rf {build,dist}", Allow, ""},
		{"rm -rf src/*", Allow, ""},
		{"rm -f build/*.o", Allow, ""},
		{"rm -rf /tmp/*", Allow, ""},
		{"rm -rf $PWD/build", Allow, ""},
		{"rm -rf ~/code/app/node_modules", Allow, ""},
		{"rm -f .git/index.lock", Allow, ""},
		{"rm --help", Allow, ""},
		{"for d in build dist; do rm -rf \"$d\"; done", Allow, ""},
		{"cd ~/other && rm -rf build", Allow, ""},
		{"cd /tmp && rm -rf x", Allow, ""},
		{"ssh prod 'rm file.txt'", Allow, ""},
		{"ssh prod 'rm -rf /tmp/x'", Allow, ""},
		{"rmdir build", Allow, ""},
		{"unlink build/link", Allow, ""},
		{"shred -u secret.txt", Allow, ""},
		{"truncate -s 0 app.log", Allow, ""},
		{"find . -name '*.pyc' -delete", Allow, ""},
		{"find ./build -type f -name '*.o' -exec rm {} +", Allow, ""},
		{"find ./build -type f -name '*.o' -exec sudo rm {} +", Allow, ""},
		{"find /tmp/x -exec timeout 5 rm -rf {} \\;", Allow, ""},
		{"find . \\( -name '*.pyc' -o -name __pycache__ \\) -exec rm -rf {} +", Allow, ""},
		{"find . -name node_modules -type d -prune -exec rm -rf '{}' +", Allow, ""},
		{"find . -not -path './.git/*' -name '*.tmp' -delete", Allow, ""},
		{"find . -mtime +7 -name '*.log' -delete", Allow, ""},
		{"find build -delete", Allow, ""},
		{"find /tmp -name 'x*' -delete", Allow, ""},
		{"find . -name '*.py' -not -path './.venv/*'", Allow, ""},
		{"find / -name '*.conf'", Allow, ""},
		{"mv src/old.ts src/new.ts", Allow, ""},
		{"mv build dist", Allow, ""},
		{"mv /tmp/x.txt .", Allow, ""},
		{"cp config.example.yaml config.yaml", Allow, ""},
		{"cp -r ../template/. .", Allow, ""},
		{"cp -r src /tmp/backup", Allow, ""},
		{"cp ~/.ssh/id_ed25519.pub .", Allow, ""},
		{"cp -a /etc/nginx ./backup", Allow, ""},
		{"cp x ~/Downloads/new.txt", Allow, ""},
		{"cp -r src/ ~/backup", Allow, ""},
		{"mv build ~/old-build", Allow, ""},
		{"echo x > ~/new-notes.txt", Allow, ""},
		{"echo x >> ~/new-notes.txt", Allow, ""},
		{"install -d /tmp/out", Allow, ""},
		{"ln -s ../x y", Allow, ""},
		{"ln -sf ../lib/x.so build/x.so", Allow, ""},
		{"dd if=/dev/zero of=disk.img bs=1M count=10", Allow, ""},
		{"dd if=/dev/sda of=backup.img", Allow, ""},
		{"echo hi | tee out.log", Allow, ""},
		{"echo hi | tee -a /tmp/log", Allow, ""},
		{"tar czf backup.tar.gz src/", Allow, ""},
		{"tar xzf deps.tgz", Allow, ""},
		{"tar -xf x.tar -C /tmp/x", Allow, ""},
		{"tar -czf out.tgz --remove-files build/", Allow, ""},
		{"tar -tzf x.tgz", Allow, ""},
		{"rsync -a --delete src/ build/", Allow, ""},
		{"rsync -av src/ host:/srv/app/", Allow, ""},
		{"rsync -a --delete dist/ prod:/var/www/", Allow, ""},
		{"chmod 755 scripts/build.sh", Allow, ""},
		{"chmod +x ./gradlew", Allow, ""},
		{"chmod -R u+w .", Allow, ""},
		{"chmod 600 ~/.ssh/id_rsa", Allow, ""},
		{"chmod -R 755 ~/Downloads/tool", Allow, ""},
		{"sudo chown -R u:u node_modules", Allow, ""},
		{"sed -n '1,40p' main.py", Allow, ""},
		{"sed -i 's/v1/v2/' VERSION", Allow, ""},
		{"sed 's/a/b/' ~/.ssh/config", Allow, ""},
		{"sed -i 's/a/b/' ~/Downloads/notes.txt", Allow, ""},
		{"perl -pi -e 's/a/b/' src/x.pl", Allow, ""},
		{"sort -u names.txt > names.sorted.txt", Allow, ""},
		{"echo \"hello\" > hello.txt", Allow, ""},
		{"echo 'export FOO=1' >> .envrc", Allow, ""},
		{"cat > config.json <<'EOF'\n{\"debug\": true}\nEOF", Allow, ""},
		{"printf 'terraform destroy\\n' >> docs/dangerous.txt", Allow, ""},
		{"echo \"rm -rf ~ is dangerous\"", Allow, ""},
		{"nohup npm run dev > dev.log 2>&1 &", Allow, ""},
		{"go test ./... 2>&1 | tee /tmp/test.log", Allow, ""},
		{"ls > /dev/null 2>&1", Allow, ""},
		{"echo x >&2", Allow, ""},
		{"echo x &> /dev/stderr", Allow, ""},
		{"echo x > /dev/tty", Allow, ""},
		{"cmd > /dev/fd/3", Allow, ""},
		{"echo x > ~/Downloads/new.txt", Allow, ""},
		{"echo x >> ~/Downloads/log.txt", Allow, ""},
		{"cat ~/.ssh/config", Allow, ""},
		{"wc -l < ~/.bash_history", Allow, ""},
		{"mkfs.ext4 disk.img", Allow, ""},
		{"mkfs.ext4 -F -L data build/disk.img 100M", Allow, ""},
		{"mkfs -t ext4 -d /dev/shm/root build/rootfs.img", Allow, ""},
		{"wipefs /dev/sda", Allow, ""},
		{"mkdir -p internal/auth", Allow, ""},
		{"touch .gitkeep", Allow, ""},
		{"touch ~/.bashrc", Allow, ""},
		{"git rm -rf --cached build", Allow, ""},
	}
}

func TestFSRules(t *testing.T) {
	runRuleCases(t, fsCases(), FSPack())
}

// TestFSEveryRule checks that every rule of the pack has a case that makes
// it fire.
func TestFSEveryRule(t *testing.T) {
	fired := map[string]bool{}
	for _, c := range fsCases() {
		fired[c.rule] = true
	}
	fired["fs.overwrite-outside"] = fired["fs.overwrite-outside"] || testOverwriteOutside(t)
	for _, r := range FSPack().Rules {
		if !fired[r.ID] {
			t.Errorf("rule %s has no case that fires it", r.ID)
		}
	}
}

// testOverwriteOutside runs the fs.overwrite-outside cases, which need
// files that exist outside the project.
func testOverwriteOutside(t *testing.T) bool {
	fsys := testFS()
	fsys[testHome+"/Downloads/notes.txt"] = "old\n"
	fsys[testHome+"/other/config.yaml"] = "a: 1\n"
	w := testWorld(fsys)
	e, err := NewEngine([]*Pack{FSPack()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		src  string
		want Decision
	}{
		{"echo x > ~/Downloads/notes.txt", Confirm},
		{"cp config.example.yaml ~/other/config.yaml", Confirm},
		{"truncate -s 0 ../../other/config.yaml", Confirm},
		{"tee ~/Downloads/notes.txt < x", Confirm},
		{"echo x >> ~/Downloads/notes.txt", Allow},
		{"echo x > ~/Downloads/new.txt", Allow},
		{"cat ~/Downloads/notes.txt > notes.txt", Allow},
	}
	for _, c := range cases {
		ctx := interceptor.Context{Cwd: testCwd, Home: testHome, User: "u", Env: map[string]string{"HOME": testHome}, FS: fsys}
		v := e.Evaluate(interceptor.Analyze(c.src, ctx), w)
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
		}
		if c.want == Confirm && !fsHasRule(v, "fs.overwrite-outside") {
			t.Errorf("%q: no fs.overwrite-outside finding: %+v", c.src, v.Findings)
		}
	}
	return true
}

func TestFSReasons(t *testing.T) {
	cases := []struct{ src, reason string }{
		{"rm -rf ~", "deletes your home directory /home/u recursively"},
		{"rm -rf /etc", "deletes the system directory /etc recursively"},
		{"rm -rf /", "deletes the root directory / recursively"},
		{"rm -rf ~/*", "deletes everything in your home directory /home/u recursively"},
		{"> ~/.ssh/authorized_keys", "overwrites ~/.ssh/authorized_keys (in the credential store ~/.ssh)"},
		{"rm -rf ~/code", "deletes ~/code recursively (contains the project ~/code/app)"},
		{"rm -rf .git", "deletes the git metadata .git of ~/code/app recursively"},
		{"rm -rf *", "deletes everything in the project root ~/code/app recursively"},
		{"rm ~/notes.txt", "deletes ~/notes.txt (directly in your home directory)"},
		{"rm -f ~/Downloads/*.md", "deletes ~/Downloads/*.md (outside the project)"},
		{"mv ~ /tmp/trash", "moves your home directory /home/u away"},
		{`rm -rf "$DIR"`, "deletes a path recursively (its value cannot be known before the command runs)"},
		{"dd if=/dev/urandom of=/dev/nvme0n1", "overwrites the disk device /dev/nvme0n1, destroying what is on it"},
		{"mkfs.xfs /dev/sdb", "formats the disk device /dev/sdb, destroying what is on it"},
		{"chmod -R 777 /", "changes the permissions of the root directory / recursively"},
		{"ssh prod 'rm -rf /var/www'", "deletes /var/www on ssh prod recursively (in the system directory /var)"},
		{"find / -name '*.log' -delete", "deletes files under the root directory / that match find's name filters"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, FSPack())
		found := false
		for _, f := range v.Findings {
			if f.Reason == c.reason {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no finding with reason %q; findings %+v", c.src, c.reason, v.Findings)
		}
	}
}

// TestFSCorpus runs the public corpus lines this pack answers for: the
// "files" section of block.txt must never be allowed, and the everyday
// rm/mv/cp/find/echo lines of allow.txt must be.
func TestFSCorpus(t *testing.T) {
	block := []string{
		"rm -rf -- ~/",
		"rm -rf ~/*",
		"rm -rf $HOME",
		`rm -rf "${HOME}/"`,
		"rm -rf ~/.ssh",
		"rm -rf ~/.aws",
		"rm -rf /etc",
		"rm -rf /usr/local",
		"rm -rf --no-preserve-root /",
		"rm -rf ../..",
		"rm -rf .",
		"rm -rf ./.git",
		"rm -rf .git/",
		"rm -rf ~/code",
		"shred -u ~/.ssh/id_ed25519",
		"find / -name '*.log' -delete",
		`find ~ -name node_modules -prune -exec rm -rf {} \;`,
		"find .. -mindepth 1 -delete",
		"chmod -R 777 /",
		"chown -R nobody:nogroup ~",
		"mv ~ /tmp/trash",
		"truncate -s 0 ~/.bash_history",
		"> ~/.ssh/authorized_keys",
		"dd if=/dev/urandom of=/dev/nvme0n1",
		"mkfs.xfs /dev/sdb",
		"wipefs -a /dev/sda",
		// wrappers and evasion, as far as they reach files
		"sudo rm -rf /srv/data",
		"doas rm -rf /var/lib/mysql",
		"env -i rm -rf ~",
		"nohup sh -c 'rm -rf ~' >/dev/null 2>&1 &",
		"ionice -c3 rm -rf ~",
		"setsid rm -rf ~",
		"/usr/bin/rm -rf ~",
		`"/bin/rm" -rf ~`,
		"rm -r -f -- ~",
		"RM=rm; $RM -rf ~",
		"bash -c 'cd ~ && rm -rf *'",
		"xargs rm -rf < paths.txt",
		"printf 'rm -rf ~\\n' | sh",
		"sh <<'EOF'\nrm -rf ~/\nEOF",
		`ssh prod "sudo rm -rf /var/www"`,
		"kubectl exec deploy/api -- rm -rf /data",
		"cd / && rm -rf home",
		"(cd ~ && rm -rf .)",
		"while true; do rm -rf ~; break; done",
	}
	for _, src := range block {
		if v := judgeWith(t, src, FSPack(), SelfPack()); v.Decision == Allow {
			t.Errorf("block corpus %q: allowed", src)
		}
	}
	allow := []string{
		"rm -rf build/",
		"rm -rf .venv",
		"rm -rf target/debug",
		"rm -f coverage.out",
		"rm -rf dist/ .turbo/",
		"rm src/legacy/old_handler.go",
		"rm -r tmp/",
		"rm -rf /tmp/build-cache-1234",
		"find . -name '*.py' -not -path './.venv/*'",
		"find . -name '*.pyc' -delete",
		"find ./build -type f -name '*.o' -exec rm {} +",
		"mkdir -p internal/auth",
		"touch .gitkeep",
		"cp config.example.yaml config.yaml",
		"mv src/old.ts src/new.ts",
		"chmod 755 scripts/build.sh",
		"sed -n '1,40p' main.py",
		"sed -i 's/v1/v2/' VERSION",
		"sort -u names.txt > names.sorted.txt",
		`echo "hello" > hello.txt`,
		"echo 'export FOO=1' >> .envrc",
		"cat > config.json <<'EOF'\n{\"debug\": true}\nEOF",
		`echo "rm -rf ~ is dangerous"`,
		"echo 'DROP TABLE users; -- never do this'",
		"printf 'terraform destroy\\n' >> docs/dangerous.txt",
		"rm --help",
		"tar czf backup.tar.gz src/",
		"nohup npm run dev > dev.log 2>&1 &",
		"cd frontend && npm run build",
		"for f in src/*.ts; do echo \"$f\"; done",
		"xargs -n1 echo < files.txt",
		"scp build.tar.gz staging:/tmp/",
		"source ~/.bashrc",
		"cat package.json",
		"du -sh node_modules",
	}
	for _, src := range allow {
		if v := judgeWith(t, src, FSPack(), SelfPack()); v.Decision != Allow {
			t.Errorf("allow corpus %q: got %s; findings %+v", src, v.Decision, v.Findings)
		}
	}
}

func TestFSEditorOpensDirectories(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"code .", Allow, ""},
		{"code ~/code/app", Allow, ""},
		{"vim src/", Allow, ""},
		{"subl .", Allow, ""},
		{"vim ~/.bashrc", Confirm, "fs.overwrite-protected"},
		{"code ~/.ssh/id_ed25519", Confirm, ""},
		{"vim src/main.go", Allow, ""},
	}, FSPack())
}
