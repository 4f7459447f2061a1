package rules

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// FSPack returns the filesystem rules: the path model (paths.go) applied to
// what commands delete, move away, overwrite, truncate, shred, chmod or
// format. Deleting scratch (build output in the project, /tmp) is allowed;
// anything outside the project, a protected path or a path that cannot be
// known needs a human; /, $HOME and disks are denied. guard's own files are
// left to the self pack.
//
// The pack examines every invocation (Commands is nil), because any
// command can carry an output redirection. The commands whose arguments it
// reads are rm, rmdir, unlink, shred, truncate, find, mv, cp, install, ln,
// link, mkfifo, mknod, rename, dd, tee, tar, rsync, chmod, chown, chgrp,
// sed -i, perl -i, mkfs*, mke2fs, mkswap, wipefs and blkdiscard
// (fsEffects). Each path is judged as written and as the real path its
// symbolic links reach (links.go).
func FSPack() *Pack {
	return &Pack{
		Name:  "fs",
		Check: checkFS,
		Rules: []Rule{
			{ID: "fs.rm-root", Default: Deny, Summary: "deletes, moves away or wipes the whole filesystem: rm -rf /, rm -rf /*, find / -delete"},
			{ID: "fs.rm-home", Default: Deny, Summary: "deletes or moves away your home directory, a directory containing it, or everything in it: rm -rf ~, rm -rf ~/*, mv ~ /tmp"},
			{ID: "fs.rm-protected", Default: Confirm, Summary: "deletes or shreds a protected path: a system directory, a direct child of home, a credential store, .git, the project root or a directory containing it"},
			{ID: "fs.rm-outside", Default: Confirm, Summary: "deletes or shreds files outside the project and the temporary directories"},
			{ID: "fs.mv-protected", Default: Confirm, Summary: "moves a protected path away from where it belongs"},
			{ID: "fs.mv-outside", Default: Confirm, Summary: "moves files outside the project and the temporary directories away"},
			{ID: "fs.unknown-target", Default: Confirm, Summary: "deletes, moves or overwrites a path that cannot be known before the command runs (rm -rf \"$DIR\")"},
			{ID: "fs.overwrite-protected", Default: Confirm, Summary: "overwrites, truncates, appends to or edits a protected file (~/.ssh/authorized_keys, ~/.bashrc, /etc/hosts), or extracts or copies files into a protected directory"},
			{ID: "fs.overwrite-outside", Default: Confirm, Summary: "overwrites or truncates an existing file outside the project and the temporary directories"},
			{ID: "fs.device-write", Default: Deny, Summary: "writes straight onto a disk device (dd of=/dev/sda, > /dev/nvme0n1), destroying what is on it"},
			{ID: "fs.format", Default: Deny, Summary: "formats or erases a disk device: mkfs, mkswap, wipefs -a, blkdiscard"},
			{ID: "fs.chmod-root", Default: Deny, Summary: "changes permissions or owner of /, your home directory or everything in them, recursively"},
			{ID: "fs.chmod-protected", Default: Confirm, Summary: "changes permissions or owner of a protected path recursively, or of / or home at all"},
		},
	}
}

// fsOp is what a command does to a path.
type fsOp int

const (
	fsOpDelete fsOp = iota // removes it (rm, rmdir, unlink, find -delete, rsync --delete)
	fsOpMove               // moves it away (mv source, tar --remove-files)
	fsOpShred              // destroys its content (shred)
	fsOpWrite              // replaces its content (>, cp/mv/ln/install onto it, dd of=, tee, truncate)
	fsOpAppend             // adds to it (>>, tee -a)
	fsOpEdit               // changes it in place (sed -i, perl -i, an editor)
	fsOpInto               // writes files into the directory (tar -x -C, rsync, cp -r)
	fsOpCreate             // creates it or updates its times (touch, mkdir)
	fsOpChmod              // changes its permissions or owner
	fsOpFormat             // puts a new filesystem on it or erases it (mkfs, wipefs)
)

// fsEffect is one thing a command does to one path.
type fsEffect struct {
	op   fsOp
	word interceptor.Word
	// owner is chown's OWNER[:GROUP] (chgrp's ":GROUP"), nil otherwise.
	owner *interceptor.Word
	// cwd, when set, replaces the invocation's working directory (tar -C).
	cwd string
	// recursive: the whole tree under the path is affected.
	recursive bool
	// subset: only files matching name filters are affected (find -name),
	// which keeps .git out of reach.
	subset bool
	// verb says what happens, for messages: "deletes", "overwrites".
	verb string
	// nofollow: the command acts on the last component itself when it is
	// a symbolic link (rm, mv, ln), unless a trailing "/" follows it.
	nofollow bool
	// names: the effect binds a name (a link, a FIFO, a device, a
	// rename onto it), so a directory on the way to guard's files is
	// replaced by it; makes says what it makes there, "" for a rename.
	names bool
	makes string
	// hardSource: the path is given a second name by a hard link.
	hardSource bool
	// everyLink names the option with which the command follows every
	// link below the path too (find -L): where they lead is not known.
	everyLink string
	// via, when the effect is judged as the real path its links reach
	// (links.go), is the first link on the way, for messages.
	via string
}

// fsEffects returns what inv does to files through its arguments (not
// its redirections), and whether inv is a command whose arguments are all
// understood: a known command's arguments that are not effects are only
// read.
func fsEffects(inv *interceptor.Invocation, w *World) ([]fsEffect, bool) {
	args := inv.Args
	name := inv.Name
	if n, a, ok := cliRunner(inv); ok {
		// Node's deletion tools, usually run through a package runner:
		// "npx rimraf node_modules", "npx shx rm -rf dist".
		switch {
		case n == "rimraf" || n == "del-cli" || n == "del":
			name, args = n, a
		case n == "shx" && len(a) > 0 && a[0].Value == "rm":
			name, args = "rm", a[1:]
		}
	}
	switch {
	case strings.HasPrefix(name, "mkfs") || name == "mke2fs" || name == "mkswap" || name == "mkdosfs" || name == "mkntfs" || name == "newfs" || strings.HasPrefix(name, "newfs_"):
		if mkfsDryRun(name, args) {
			return nil, true // dryrun.go: shows what it would do
		}
		return fsFormat(args), true
	}
	switch name {
	case "rm":
		if fsFromFind(inv) {
			return nil, true // judged with the find that runs it
		}
		return fsRm(args), true
	case "mkfifo", "mknod":
		return fsMkfifo(name, args), true
	case "rename", "file-rename", "prename", "perl-rename", "rename.ul":
		return fsRename(args), true
	case "rimraf", "del-cli", "del":
		// Each operand (a glob with --glob or del) is deleted with
		// everything in it.
		cl := fsParse(args, fsSpec{long: []string{"glob", "preserve-root", "no-preserve-root", "verbose", "interactive", "force", "dry-run", "help", "version"}})
		if cl.has("--help", "--version", "--dry-run", "-d") {
			return nil, true
		}
		return fsEach(cl.ops, fsEffect{op: fsOpDelete, recursive: true, nofollow: true, verb: "deletes"}), true
	case "rmdir", "unlink":
		if fsFromFind(inv) {
			return nil, true
		}
		cl := fsParse(args, fsSpec{shortVal: "", long: []string{"parents", "ignore-fail-on-non-empty", "verbose", "help", "version"}})
		if cl.has("--help", "--version") {
			return nil, true
		}
		return fsEach(cl.ops, fsEffect{op: fsOpDelete, nofollow: true, verb: "deletes"}), true
	case "shred":
		if fsFromFind(inv) {
			return nil, true
		}
		cl := fsParse(args, fsSpec{shortVal: "ns", long: []string{"iterations=", "size=", "random-source=", "remove", "exact", "zero", "force", "verbose", "help", "version"}})
		verb := "shreds"
		if cl.has("-u", "--remove") {
			verb = "shreds and deletes"
		}
		return fsEach(cl.ops, fsEffect{op: fsOpShred, verb: verb}), true
	case "truncate":
		cl := fsParse(args, fsSpec{shortVal: "rs", long: []string{"size=", "reference=", "io-blocks", "no-create", "help", "version"}})
		return fsEach(cl.ops, fsEffect{op: fsOpWrite, verb: "truncates"}), true
	case "find":
		return fsFind(args), true
	case "mv":
		return fsCopy(inv, w, args, true), true
	case "cp":
		return fsCopy(inv, w, args, false), true
	case "install":
		cl := fsParse(args, fsSpec{shortVal: "gmotS", long: []string{"group=", "mode=", "owner=", "target-directory=", "suffix=", "strip-program=", "directory", "help", "version"}})
		if cl.has("-d", "--directory") {
			return fsEach(cl.ops, fsEffect{op: fsOpCreate, verb: "creates"}), true
		}
		return fsCopyDest(inv, w, cl, "installs over", "installs files into"), true
	case "ln", "link":
		return fsLink(inv, w, name, args), true
	case "dd":
		var out []fsEffect
		for _, a := range args {
			if v, ok := strings.CutPrefix(a.Value, "of="); ok {
				out = append(out, fsEffect{op: fsOpWrite, word: interceptor.Word{Value: v, Unknown: a.Unknown, Glob: false}, verb: "overwrites"})
			}
		}
		return out, true
	case "tee":
		cl := fsParse(args, fsSpec{long: []string{"append", "ignore-interrupts", "output-error", "help", "version"}})
		e := fsEffect{op: fsOpWrite, verb: "overwrites"}
		if cl.has("-a", "--append") {
			e = fsEffect{op: fsOpAppend, verb: "appends to"}
		}
		var out []fsEffect
		for _, o := range cl.ops {
			if o.Value != "-" {
				e.word = o
				out = append(out, e)
			}
		}
		return out, true
	case "tar", "gtar", "bsdtar":
		return fsTar(inv, args), true
	case "rsync":
		return fsRsync(args), true
	case "chmod", "chown", "chgrp":
		return fsChmod(name, args), true
	case "sed", "gsed":
		return fsSed(args), true
	case "perl":
		return fsPerl(args), true
	case "wipefs":
		cl := fsParse(args, fsSpec{shortVal: "otO", long: []string{"all", "offset=", "types=", "output=", "no-act", "backup", "force", "quiet", "parsable", "noheadings", "json", "lock", "help", "version"}})
		if !cl.has("-a", "--all", "-o", "--offset") || cl.has("-n", "--no-act") {
			return nil, true // lists signatures only
		}
		return fsEach(cl.ops, fsEffect{op: fsOpFormat, verb: "erases the filesystem signatures of"}), true
	case "blkdiscard":
		return fsFormat(args), true
	case "touch":
		cl := fsParse(args, fsSpec{shortVal: "dtr", long: []string{"date=", "reference=", "time=", "no-create", "no-dereference", "help", "version"}})
		return fsEach(cl.ops, fsEffect{op: fsOpCreate, verb: "touches"}), true
	case "mkdir":
		cl := fsParse(args, fsSpec{shortVal: "mZ", long: []string{"mode=", "parents", "verbose", "context", "help", "version"}})
		return fsEach(cl.ops, fsEffect{op: fsOpCreate, verb: "creates"}), true
	case "vi", "vim", "nvim", "nano", "emacs", "ed", "ex", "pico", "micro", "hx", "kak", "joe", "code", "subl":
		cl := fsParse(args, fsSpec{})
		// An editor given a directory opens it to browse ("code ."): only
		// the files it is given can be changed.
		var files []interceptor.Word
		for _, op := range cl.ops {
			v := op.Value
			if v == "." || v == ".." || strings.HasSuffix(v, "/") || w.pathIsDir(inv, op) {
				continue
			}
			files = append(files, op)
		}
		return fsEach(files, fsEffect{op: fsOpEdit, verb: "edits"}), true
	}
	return nil, false
}

// fsFromFind reports whether inv is the command of a find -exec, which the
// find rule judges with find's start paths and filters. A command find
// runs through a wrapper ("-exec sudo rm -rf {} +") is judged by itself:
// the find rule only knows the commands it names.
func fsFromFind(inv *interceptor.Invocation) bool {
	if len(inv.Chain) == 0 || len(inv.Wrappers) > 0 {
		return false
	}
	return strings.HasPrefix(inv.Chain[len(inv.Chain)-1], "find -")
}

func fsEach(ops []interceptor.Word, e fsEffect) []fsEffect {
	out := make([]fsEffect, 0, len(ops))
	for _, o := range ops {
		e.word = o
		out = append(out, e)
	}
	return out
}

// fsRm reads rm's command line: -r, -R, --recursive (and abbreviations),
// -f, combined flags, "--", options after operands.
func fsRm(args []interceptor.Word) []fsEffect {
	cl := fsParse(args, fsSpec{long: []string{"recursive", "force", "dir", "interactive", "one-file-system", "no-preserve-root", "preserve-root", "verbose", "help", "version"}})
	if cl.has("--help", "--version") {
		return nil
	}
	rec := cl.has("-r", "-R", "--recursive")
	return fsEach(cl.ops, fsEffect{op: fsOpDelete, recursive: rec, nofollow: true, verb: "deletes"})
}

// fsFormat reads mkfs and its kin: every operand may be the device to
// format. Only disk devices and unknown operands matter to the judgment, so
// option values ("-t ext4", "-L data") need no parsing: a filesystem image
// in the project is fine.
func fsFormat(args []interceptor.Word) []fsEffect {
	var out []fsEffect
	for _, a := range args {
		if strings.HasPrefix(a.Value, "-") && a.Value != "-" {
			continue
		}
		out = append(out, fsEffect{op: fsOpFormat, word: a, verb: "formats"})
	}
	return out
}

// fsCopy reads cp and mv: the destination is written, and mv's sources are
// moved away.
func fsCopy(inv *interceptor.Invocation, w *World, args []interceptor.Word, move bool) []fsEffect {
	cl := fsParse(args, fsSpec{shortVal: "tS", long: []string{"target-directory=", "suffix=", "no-target-directory", "recursive", "force", "interactive", "no-clobber", "update", "verbose", "backup", "archive", "link", "symbolic-link", "parents", "preserve", "no-preserve", "reflink", "sparse", "strip-trailing-slashes", "one-file-system", "help", "version"}})
	if cl.has("--help", "--version") {
		return nil
	}
	var out []fsEffect
	if move {
		srcs := cl.ops
		if cl.val("-t", "--target-directory") == "" && len(srcs) > 0 {
			srcs = srcs[:len(srcs)-1]
		}
		out = append(out, fsEach(srcs, fsEffect{op: fsOpMove, recursive: true, nofollow: true, verb: "moves"})...)
		makes := ""
		for _, s := range srcs {
			if inv.Remote != "" {
				break
			}
			if m := w.pathSpecial(interceptor.ResolvePath(inv.Cwd, s.Value)); m != "" {
				makes = m // the name it moves to becomes one
			}
		}
		dests := fsCopyDest(inv, w, cl, "overwrites", "moves files into")
		for i := range dests {
			dests[i].nofollow, dests[i].names, dests[i].makes = true, true, makes
		}
		return append(out, dests...)
	}
	return append(out, fsCopyLinks(cl, fsCopyDest(inv, w, cl, "overwrites", "copies files into"))...)
}

// fsCopyDest returns the paths a copy-like command (cp, mv, install, ln)
// writes: each source's name in the destination directory, or the
// destination itself.
func fsCopyDest(inv *interceptor.Invocation, w *World, cl fsCmdline, verb, intoVerb string) []fsEffect {
	dest := interceptor.Word{}
	srcs := cl.ops
	dirMode := false
	if t, ok := cl.word("-t", "--target-directory"); ok {
		dest, dirMode = t, true
	} else {
		if len(srcs) < 2 {
			return nil
		}
		dest, srcs = srcs[len(srcs)-1], srcs[:len(srcs)-1]
		dirMode = len(srcs) > 1 || strings.HasSuffix(dest.Value, "/") || w.pathIsDir(inv, dest)
		if cl.has("-T", "--no-target-directory") {
			dirMode = false
		}
	}
	rec := cl.has("-r", "-R", "-a", "--recursive", "--archive")
	if !dirMode || dest.Unknown || dest.Glob {
		return []fsEffect{{op: fsOpWrite, word: dest, recursive: rec, verb: verb}}
	}
	var out []fsEffect
	for _, s := range srcs {
		base := path.Base(strings.TrimRight(s.Value, "/"))
		if s.Unknown && strings.Contains(base, interceptor.UnknownMark) || s.Glob || base == "." || base == ".." || base == "/" {
			// The name is not known; what matters is the directory.
			out = append(out, fsEffect{op: fsOpInto, word: dest, verb: intoVerb})
			continue
		}
		out = append(out, fsEffect{op: fsOpWrite, word: interceptor.Word{Value: strings.TrimRight(dest.Value, "/") + "/" + base}, recursive: rec, verb: verb})
	}
	return out
}

// pathIsDir reports whether word names an existing directory (locally).
func (w *World) pathIsDir(inv *interceptor.Invocation, word interceptor.Word) bool {
	if inv.Remote != "" {
		return false
	}
	p := interceptor.ResolvePath(inv.Cwd, word.Value)
	if p == "" {
		return false
	}
	if p == w.pathHome() || p == "/" {
		return true
	}
	fi, err := w.pathFS().Stat(p)
	return err == nil && fi.IsDir()
}

// pathExists reports whether an absolute path exists, true when unsure.
func (w *World) pathExists(p string) bool {
	if p == "" {
		return true
	}
	_, err := w.pathFS().Stat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

// pathFS returns the filesystem the world reads.
func (w *World) pathFS() interceptor.FS {
	if w.FS == nil {
		return interceptor.OSFS{}
	}
	return w.FS
}

// fsFind reads find: with -delete, or -exec/-execdir/-ok/-okdir of rm,
// rmdir, unlink or shred, what is under each start path is deleted. Name
// filters that cannot match git's own files narrow that to a subset;
// -fprint and its kin write a file.
func fsFind(args []interceptor.Word) []fsEffect {
	var roots []interceptor.Word
	follow := false // -H, -L and -follow follow start paths that are links
	everyLink := "" // -L and -follow follow every link below them too
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "-H" || v == "-L" || v == "-P" || strings.HasPrefix(v, "-O") {
			switch v {
			case "-H":
				follow, everyLink = true, ""
			case "-L":
				follow, everyLink = true, "-L"
			case "-P":
				follow, everyLink = false, "" // the last of them counts
			}
			continue
		}
		if v == "-D" {
			i++
			continue
		}
		if (strings.HasPrefix(v, "-") && len(v) > 1) || v == "(" || v == "!" || v == "," {
			break
		}
		roots = append(roots, args[i])
	}
	if len(roots) == 0 {
		roots = []interceptor.Word{{Value: "."}}
	}
	expr := args[min(i, len(args)):] // "-D" may end the command line
	deletes := false
	var out []fsEffect
	for j := 0; j < len(expr); j++ {
		v := expr[j].Value
		switch v {
		case "-delete":
			deletes = true
		case "-follow":
			follow, everyLink = true, "-follow"
		case "-exec", "-execdir", "-ok", "-okdir":
			start := j + 1
			for j++; j < len(expr) && expr[j].Value != ";" && expr[j].Value != "+"; j++ {
			}
			if start < j {
				switch path.Base(expr[start].Value) {
				case "rm", "rmdir", "unlink", "shred":
					deletes = true
					out = append(out, fsFindExplicit(expr[start:j])...)
				}
			}
		case "-fprint", "-fprint0", "-fls", "-fprintf":
			if j+1 < len(expr) {
				out = append(out, fsEffect{op: fsOpWrite, word: expr[j+1], verb: "overwrites"})
				j++
			}
		}
	}
	if !deletes {
		return out
	}
	for _, r := range roots {
		out = append(out, fsEffect{op: fsOpDelete, word: r, recursive: true, subset: fsFindSubset(expr, r.Value), nofollow: !follow, verb: "deletes files under", everyLink: everyLink})
	}
	return out
}

// fsFindExplicit returns what a command find runs deletes besides what find
// found: its operands other than "{}" ("-exec rm -rf {} ~/.ssh ;"), which
// the find rule must judge since the command's own invocation is left to
// it.
func fsFindExplicit(cmd []interceptor.Word) []fsEffect {
	args := make([]interceptor.Word, 0, len(cmd)-1)
	for _, a := range cmd[1:] {
		if !strings.Contains(a.Value, "{}") {
			args = append(args, a)
		}
	}
	if path.Base(cmd[0].Value) == "rm" {
		return fsRm(args)
	}
	verb := "deletes"
	if path.Base(cmd[0].Value) == "shred" {
		verb = "shreds"
	}
	cl := fsParse(args, fsSpec{shortVal: "ns", long: []string{"iterations=", "size=", "random-source=", "remove", "exact", "zero", "force", "verbose", "parents", "ignore-fail-on-non-empty", "help", "version"}})
	return fsEach(cl.ops, fsEffect{op: fsOpDelete, verb: verb})
}

// fsFindSubset reports whether find's expression only reaches files picked
// by name: every alternative (-o) holds a name test (-name, -iname, -path,
// ...) that is not negated and cannot match git's own files.
func fsFindSubset(expr []interceptor.Word, root string) bool {
	branches := 1
	named := 0
	cur := false
	negated := false
	for j := 0; j < len(expr); j++ {
		v := expr[j].Value
		switch v {
		case "-o", "-or":
			if !cur {
				return false
			}
			branches++
			cur = false
			continue
		case "!", "-not":
			negated = true
			continue
		case "-exec", "-execdir", "-ok", "-okdir":
			for j++; j < len(expr) && expr[j].Value != ";" && expr[j].Value != "+"; j++ {
			}
		case "-name", "-iname", "-lname", "-ilname":
			if j+1 >= len(expr) || expr[j+1].Unknown {
				return false
			}
			pat := expr[j+1].Value
			j++
			if negated || fsFindMatchesGit(pat, v[1] == 'i', false, root) {
				return false
			}
			if !cur {
				named++
			}
			cur = true
		case "-regex", "-iregex":
			// A regex that is a literal suffix (".*\.pyc") is a -path
			// pattern (findregex.go).
			if j+1 >= len(expr) || expr[j+1].Unknown {
				return false
			}
			pat, ok := fsFindRegexSuffix(expr[j+1].Value)
			j++
			if !ok || negated || fsFindMatchesGit(pat, v[1] == 'i', true, root) {
				return false
			}
			if !cur {
				named++
			}
			cur = true
		case "-path", "-ipath", "-wholename", "-iwholename":
			if j+1 >= len(expr) || expr[j+1].Unknown {
				return false
			}
			pat := expr[j+1].Value
			j++
			if negated {
				// "-not -path './.venv/*'" only leaves files out.
				negated = false
				continue
			}
			if fsFindMatchesGit(pat, v[1] == 'i', true, root) {
				return false
			}
			if !cur {
				named++
			}
			cur = true
		}
		negated = false
	}
	return cur && named == branches
}

// fsFindMatchesGit reports whether a find name or path pattern can match a
// .git directory or a file in one.
func fsFindMatchesGit(pat string, fold, isPath bool, root string) bool {
	names := []string{".git", "HEAD", "ORIG_HEAD", "FETCH_HEAD", "config", "index", "description",
		"packed-refs", "objects", "refs", "hooks", "info", "logs", "heads", "tags", "main", "master",
		"pack", "exclude", "COMMIT_EDITMSG", "pre-commit.sample", "pack-3f7a.pack", "pack-3f7a.idx",
		"3f", "3f7a0b9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"}
	if fold {
		pat = strings.ToLower(pat)
	}
	for _, n := range names {
		cand := n
		if isPath {
			cand = strings.TrimRight(root, "/") + "/.git/" + n
			if n == ".git" {
				cand = strings.TrimRight(root, "/") + "/.git"
			}
		}
		if fold {
			cand = strings.ToLower(cand)
		}
		if fsFnmatch(pat, cand) {
			return true
		}
	}
	return false
}

// fsFnmatch matches s against a find pattern: "*" and "?" match any
// character including "/" and a leading dot, "[...]" a class, "\" escapes.
func fsFnmatch(pat, s string) bool {
	if pat == "" {
		return s == ""
	}
	switch pat[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if fsFnmatch(pat[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && fsFnmatch(pat[1:], s[1:])
	case '[':
		end := strings.IndexByte(pat[1:], ']')
		if end >= 0 && s != "" {
			class := pat[1 : end+1]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			in := false
			for k := 0; k < len(class); k++ {
				if k+2 < len(class) && class[k+1] == '-' {
					if class[k] <= s[0] && s[0] <= class[k+2] {
						in = true
					}
					k += 2
					continue
				}
				if class[k] == s[0] {
					in = true
				}
			}
			return in != neg && fsFnmatch(pat[end+2:], s[1:])
		}
	case '\\':
		if len(pat) > 1 {
			return s != "" && s[0] == pat[1] && fsFnmatch(pat[2:], s[1:])
		}
	}
	return s != "" && s[0] == pat[0] && fsFnmatch(pat[1:], s[1:])
}

// fsTar reads tar: the archive it creates is written; --remove-files
// removes what it archived; extraction writes into -C's directory.
func fsTar(inv *interceptor.Invocation, args []interceptor.Word) []fsEffect {
	const shortVal = "fCTXbHKNgVLI"
	longVal := map[string]bool{"--file": true, "--directory": true, "--files-from": true, "--exclude-from": true,
		"--blocking-factor": true, "--format": true, "--starting-file": true, "--newer": true, "--after-date": true,
		"--listed-incremental": true, "--label": true, "--tape-length": true, "--use-compress-program": true,
		"--exclude": true, "--transform": true, "--xform": true, "--owner": true, "--group": true, "--mode": true,
		"--mtime": true, "--strip-components": true, "--to-command": true, "--info-script": true, "--new-volume-script": true,
		"--rsh-command": true, "--volno-file": true, "--record-size": true, "--suffix": true, "--backup": false}
	var (
		mode     byte
		archive  *interceptor.Word
		remove   bool
		dir      = inv.Cwd
		dirWord  *interceptor.Word
		operands []fsEffect
	)
	setMode := func(c byte) {
		if strings.IndexByte("cruxtdA", c) >= 0 {
			mode = c
		}
	}
	take := func(opt byte, val interceptor.Word) {
		switch opt {
		case 'f':
			v := val
			archive = &v
		case 'C':
			v := val
			dirWord = &v
			if p := interceptor.ResolvePath(dir, val.Value); p != "" || val.Unknown {
				dir = p
			}
		}
	}
	i := 0
	if len(args) > 0 && !strings.HasPrefix(args[0].Value, "-") {
		// Old style: "tar czf out.tgz src", letters whose values follow.
		i = 1
		for _, c := range []byte(args[0].Value) {
			setMode(c)
			if strings.IndexByte(shortVal, c) >= 0 && i < len(args) {
				take(c, args[i])
				i++
			}
		}
	}
	endOpts := false
	for ; i < len(args); i++ {
		a := args[i]
		v := a.Value
		switch {
		case endOpts || !strings.HasPrefix(v, "-") || v == "-":
			operands = append(operands, fsEffect{word: a, cwd: dir})
		case v == "--":
			endOpts = true
		case strings.HasPrefix(v, "--"):
			name, val, hasVal := strings.Cut(v, "=")
			switch name {
			case "--create":
				mode = 'c'
			case "--extract", "--get":
				mode = 'x'
			case "--append":
				mode = 'r'
			case "--update":
				mode = 'u'
			case "--list":
				mode = 't'
			case "--remove-files":
				remove = true
			}
			if !hasVal && longVal[name] && i+1 < len(args) {
				i++
				val = args[i].Value
				hasVal = true
				a = args[i]
			}
			if hasVal {
				switch name {
				case "--file":
					take('f', interceptor.Word{Value: val, Unknown: a.Unknown})
				case "--directory":
					take('C', interceptor.Word{Value: val, Unknown: a.Unknown})
				}
			}
		default:
			for k := 1; k < len(v); k++ {
				c := v[k]
				setMode(c)
				if strings.IndexByte(shortVal, c) < 0 {
					continue
				}
				val := interceptor.Word{Value: v[k+1:], Unknown: a.Unknown}
				if val.Value == "" && i+1 < len(args) {
					i++
					val = args[i]
				}
				take(c, val)
				break
			}
		}
	}
	var out []fsEffect
	switch mode {
	case 'c', 'r', 'u':
		if archive != nil && archive.Value != "-" {
			verb := "overwrites"
			if mode != 'c' {
				verb = "changes"
			}
			out = append(out, fsEffect{op: fsOpWrite, word: *archive, verb: verb})
		}
		if remove {
			for _, o := range operands {
				o.op, o.recursive, o.verb = fsOpMove, true, "archives and deletes"
				out = append(out, o)
			}
		}
	case 'x':
		d := interceptor.Word{Value: "."}
		if dirWord != nil {
			d = *dirWord
		}
		e := fsEffect{op: fsOpInto, word: d, verb: "extracts an archive into"}
		if dirWord != nil {
			e.word = interceptor.Word{Value: dir, Unknown: dirWord.Unknown || dir == ""}
			if e.word.Unknown {
				e.word.Value = dirWord.Value
			}
		}
		out = append(out, e)
	}
	return out
}

// fsRsync reads rsync: with --delete (and its kin) files in the destination
// that the source lacks are deleted; --remove-source-files moves the
// sources away; the destination is written into.
func fsRsync(args []interceptor.Word) []fsEffect {
	cl := fsParse(args, fsSpec{shortVal: "efTBM", long: []string{"rsh=", "filter=", "exclude=", "include=", "exclude-from=", "include-from=",
		"files-from=", "password-file=", "log-file=", "backup-dir=", "compare-dest=", "copy-dest=", "link-dest=", "partial-dir=",
		"temp-dir=", "chmod=", "rsync-path=", "port=", "suffix=", "max-size=", "min-size=", "timeout=", "bwlimit=", "out-format=",
		"delete", "delete-before", "delete-during", "delete-delay", "delete-after", "delete-excluded", "del",
		"remove-source-files", "recursive", "archive", "help", "version"}})
	if len(cl.ops) < 2 {
		return nil
	}
	dest := cl.ops[len(cl.ops)-1]
	srcs := cl.ops[:len(cl.ops)-1]
	var out []fsEffect
	if !fsRemoteSpec(dest.Value) {
		if cl.has("--delete", "--delete-before", "--delete-during", "--delete-delay", "--delete-after", "--delete-excluded", "--del") {
			out = append(out, fsEffect{op: fsOpDelete, word: dest, recursive: true, verb: "deletes what the source lacks in"})
		}
		out = append(out, fsEffect{op: fsOpInto, word: dest, verb: "copies files into"})
	}
	if cl.has("--remove-source-files") {
		for _, s := range srcs {
			if !fsRemoteSpec(s.Value) {
				out = append(out, fsEffect{op: fsOpMove, word: s, recursive: true, verb: "moves"})
			}
		}
	}
	return out
}

// fsRemoteSpec reports whether an rsync/scp operand names a remote path
// ("host:path", "rsync://...").
func fsRemoteSpec(v string) bool {
	if strings.Contains(v, "://") {
		return true
	}
	i := strings.IndexByte(v, ':')
	return i > 0 && !strings.Contains(v[:i], "/")
}

// fsChmod reads chmod, chown and chgrp: the first operand is the mode or
// owner (unless --reference), the rest are targets. chmod modes may look
// like options ("-x", "-rwx").
func fsChmod(name string, args []interceptor.Word) []fsEffect {
	var ops []interceptor.Word
	rec, ref, end := false, false, false
	for _, a := range args {
		v := a.Value
		switch {
		case end || !strings.HasPrefix(v, "-") || v == "-":
			ops = append(ops, a)
		case v == "--":
			end = true
		case strings.HasPrefix(v, "--"):
			n, _, _ := strings.Cut(v, "=")
			switch {
			case n == "--recursive" || len(n) > 4 && strings.HasPrefix("--recursive", n):
				rec = true
			case n == "--reference" || len(n) > 4 && strings.HasPrefix("--reference", n):
				ref = true
			}
		default:
			flags := "RcfvhHLP"
			if name == "chmod" {
				flags = "Rcfv"
			}
			if strings.Trim(v[1:], flags) != "" {
				ops = append(ops, a) // a mode such as -x
				continue
			}
			if strings.Contains(v, "R") {
				rec = true
			}
		}
	}
	var owner *interceptor.Word
	if !ref {
		if len(ops) == 0 {
			return nil
		}
		if name != "chmod" {
			o := ops[0]
			if name == "chgrp" {
				o.Value = ":" + o.Value
			}
			owner = &o
		}
		ops = ops[1:]
	}
	verb := "changes the permissions of"
	if name != "chmod" {
		verb = "changes the owner of"
	}
	return fsEach(ops, fsEffect{op: fsOpChmod, recursive: rec, verb: verb, owner: owner})
}

// fsSed reads sed: with -i (--in-place) the files are edited in place.
func fsSed(args []interceptor.Word) []fsEffect {
	inPlace, script := false, false
	var ops []interceptor.Word
	end := false
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case end || !strings.HasPrefix(v, "-") || v == "-":
			ops = append(ops, args[i])
		case v == "--":
			end = true
		case strings.HasPrefix(v, "--"):
			n, _, hasVal := strings.Cut(v, "=")
			switch {
			case strings.HasPrefix("--in-place", n) && len(n) > 3:
				inPlace = true
			case (strings.HasPrefix("--expression", n) || strings.HasPrefix("--file", n)) && len(n) > 3:
				script = true
				if !hasVal {
					i++
				}
			case strings.HasPrefix("--line-length", n) && len(n) > 3 && !hasVal:
				i++
			}
		default:
		letters:
			for k := 1; k < len(v); k++ {
				switch v[k] {
				case 'i':
					inPlace = true
					if k == len(v)-1 && i+1 < len(args) && args[i+1].Value == "" {
						i++ // BSD sed: -i ''
					}
					break letters
				case 'e', 'f':
					script = true
					if k == len(v)-1 {
						i++
					}
					break letters
				case 'l':
					if k == len(v)-1 {
						i++
					}
					break letters
				}
			}
		}
	}
	if !inPlace {
		return nil
	}
	if !script && len(ops) > 0 {
		ops = ops[1:]
	}
	return fsEach(ops, fsEffect{op: fsOpEdit, verb: "edits in place"})
}

// fsPerl reads perl: with -i the files named after the code are edited in
// place.
func fsPerl(args []interceptor.Word) []fsEffect {
	inPlace, code := false, false
	i := 0
loop:
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "--" {
			i++
			break
		}
		if !strings.HasPrefix(v, "-") || v == "-" {
			break
		}
		for k := 1; k < len(v); k++ {
			switch v[k] {
			case 'i':
				inPlace = true
				continue loop
			case 'e', 'E':
				code = true
				if k == len(v)-1 {
					i++
				}
				continue loop
			case 'I', 'M', 'm', 'x', 'F', 'C', 'd', 'D', 'V':
				continue loop
			}
		}
	}
	if !inPlace {
		return nil
	}
	ops := args[min(i, len(args)):]
	if !code && len(ops) > 0 {
		ops = ops[1:] // the script file
	}
	return fsEach(ops, fsEffect{op: fsOpEdit, verb: "edits in place"})
}

// fsSpec describes a command's options for fsParse.
type fsSpec struct {
	// shortVal lists the short options that take a value.
	shortVal string
	// long lists the long option names, for abbreviations; a trailing
	// "=" marks one that takes a separate value.
	long []string
}

// fsCmdline is a command line split GNU-style into options and operands.
type fsCmdline struct {
	opts map[string]interceptor.Word
	ops  []interceptor.Word
}

// fsParse splits args GNU-style: clustered short flags, values attached or
// separate, --long=value, unique abbreviations of long options, "--" ends
// the options, options may follow operands.
func fsParse(args []interceptor.Word, spec fsSpec) fsCmdline {
	cl := fsCmdline{opts: map[string]interceptor.Word{}}
	end := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.Value
		switch {
		case end || !strings.HasPrefix(v, "-") || v == "-" || a.Unknown && strings.HasPrefix(v, interceptor.UnknownMark):
			cl.ops = append(cl.ops, a)
		case v == "--":
			end = true
		case strings.HasPrefix(v, "--"):
			name, val, hasVal := strings.Cut(v[2:], "=")
			full, takes := fsLong(name, spec.long)
			if !hasVal && takes && i+1 < len(args) {
				i++
				val = args[i].Value
				a = args[i]
			}
			cl.opts["--"+full] = interceptor.Word{Value: val, Unknown: a.Unknown}
		default:
			for k := 1; k < len(v); k++ {
				c := v[k]
				if strings.IndexByte(spec.shortVal, c) >= 0 {
					val := interceptor.Word{Value: v[k+1:], Unknown: a.Unknown}
					if val.Value == "" && i+1 < len(args) {
						i++
						val = args[i]
					}
					cl.opts["-"+string(c)] = val
					break
				}
				cl.opts["-"+string(c)] = interceptor.Word{}
			}
		}
	}
	return cl
}

// fsLong resolves a long option name or its unique abbreviation.
func fsLong(name string, long []string) (string, bool) {
	match, takes, n := name, false, 0
	for _, l := range long {
		base := strings.TrimSuffix(l, "=")
		if base == name {
			return base, strings.HasSuffix(l, "=")
		}
		if strings.HasPrefix(base, name) {
			match, takes = base, strings.HasSuffix(l, "=")
			n++
		}
	}
	if n == 1 {
		return match, takes
	}
	return name, false
}

// has reports whether any of the options was given.
func (cl fsCmdline) has(names ...string) bool {
	for _, n := range names {
		if _, ok := cl.opts[n]; ok {
			return true
		}
	}
	return false
}

// val returns the value of the first of the options that was given.
func (cl fsCmdline) val(names ...string) string {
	w, _ := cl.word(names...)
	return w.Value
}

// word returns the value word of the first of the options that was given.
func (cl fsCmdline) word(names ...string) (interceptor.Word, bool) {
	for _, n := range names {
		if w, ok := cl.opts[n]; ok {
			return w, true
		}
	}
	return interceptor.Word{}, false
}

// checkFS is the fs pack's check: redirections, then the command's own
// file effects.
func checkFS(c *Call) {
	inv := c.Inv
	for _, r := range inv.Redirects {
		if e, ok := fsRedirectEffect(r); ok {
			fsJudge(c, e)
		}
	}
	effects, _ := c.fileEffects()
	for _, e := range effects {
		fsJudge(c, e)
	}
}

// fsRedirectEffect returns what a redirection does to its target.
func fsRedirectEffect(r interceptor.Redirect) (fsEffect, bool) {
	switch r.Op {
	case ">", ">|", "&>":
		return fsEffect{op: fsOpWrite, word: r.Target, verb: "overwrites"}, true
	case ">>", "&>>", "<>":
		return fsEffect{op: fsOpAppend, word: r.Target, verb: "appends to"}, true
	case ">&":
		// ">&2" duplicates a descriptor; ">& file" is "&> file".
		v := r.Target.Value
		if v == "-" || v == "" || strings.Trim(v, "0123456789") == "" && !r.Target.Unknown {
			return fsEffect{}, false
		}
		return fsEffect{op: fsOpWrite, word: r.Target, verb: "overwrites"}, true
	}
	return fsEffect{}, false
}

// fsJudge applies the path model to one effect: to its path as written,
// and to the real path it reaches through symbolic links (links.go).
func fsJudge(c *Call, e fsEffect) {
	fsJudgePath(c, e)
	cwd := c.Inv.Cwd
	if e.cwd != "" {
		cwd = e.cwd
	}
	if e.op == fsOpCreate {
		return // nothing the fs pack judges, wherever it lands
	}
	if e.everyLink != "" && c.Inv.Remote == "" {
		c.Report("fs.unknown-target", e.verb+" "+e.word.String()+" and wherever the links below it lead: with "+e.everyLink+
			" find follows every link it meets, so what it deletes cannot be known before it runs")
	}
	switch r, st, why := c.throughLinks(e, cwd); st {
	case linkFollowed:
		fsJudgePath(c, r)
	case linkUnknown:
		c.Report("fs.unknown-target", e.verb+" "+e.word.String()+", whose symbolic links cannot be followed ("+why+")")
	}
}

// fsJudgePath applies the path model to one effect's path.
func fsJudgePath(c *Call, e fsEffect) {
	inv := c.Inv
	cwd := inv.Cwd
	if e.cwd != "" {
		cwd = e.cwd
	}
	info := linkNote(c.World.targetIn(inv, e.word, cwd), e.via)
	remote := inv.Remote != ""
	if _, _, mounted := hostWord(inv, e.word, cwd); mounted {
		remote = false // a directory of this machine, bound into a container
	}
	if info.Class != PathUnknown && !info.Glob && pathIsDiskDevice(info.Path) {
		switch e.op {
		case fsOpWrite, fsOpAppend, fsOpShred, fsOpEdit, fsOpInto:
			c.Report("fs.device-write", e.verb+" the disk device "+info.Path+fsOn(inv)+", destroying what is on it")
			return
		case fsOpFormat:
			c.Report("fs.format", e.verb+" the disk device "+info.Path+fsOn(inv)+", destroying what is on it")
			return
		}
	}
	if info.Class != PathUnknown && pathIsHarmlessDevice(info.Path) {
		return
	}
	if info.Kind == KindGuard {
		return // the self pack denies it
	}
	switch e.op {
	case fsOpDelete, fsOpMove, fsOpShred:
		fsJudgeRemove(c, e, info, remote)
	case fsOpWrite, fsOpAppend, fsOpEdit:
		fsJudgeWrite(c, e, info, remote)
	case fsOpInto:
		fsJudgeInto(c, e, info, cwd, remote)
	case fsOpChmod:
		fsJudgeChmod(c, e, info, remote)
	case fsOpFormat:
		if info.Class == PathUnknown {
			c.Report("fs.unknown-target", fsReason(e.verb, info, ""))
		}
	}
}

// fsReason builds a finding's reason: verb, path, suffix, then the note
// that says why the path matters: "deletes ~/code recursively (contains
// the project ~/code/app)".
func fsReason(verb string, info PathInfo, suffix string) string {
	return verb + " " + info.Desc + suffix + pathParen(info.Note)
}

func fsOn(inv *interceptor.Invocation) string {
	if inv.Remote == "" {
		return ""
	}
	return " on " + inv.Remote
}

// fsJudgeRemove judges deleting, moving away or shredding a path.
func fsJudgeRemove(c *Call, e fsEffect, info PathInfo, remote bool) {
	suffix := ""
	switch {
	case e.subset:
		suffix = " that match find's name filters"
	case e.recursive && e.op == fsOpDelete && e.verb == "deletes":
		suffix = " recursively"
	case e.op == fsOpMove && e.verb == "moves":
		suffix = " away"
	}
	reason := fsReason(e.verb, info, suffix)
	switch info.Class {
	case PathUnknown:
		if remote && !e.recursive {
			return
		}
		c.Report("fs.unknown-target", reason)
	case PathScratch:
	case PathProtected:
		if e.subset {
			// Named files under the directory, never the directory
			// itself: what counts is the class of its children. The name
			// filters already keep .git out.
			child := c.World.targetIn(c.Inv, interceptor.Word{Value: strings.TrimRight(info.Path, "/") + "/…"}, c.Inv.Cwd)
			if child.Class != PathProtected {
				if child.Class == PathOther {
					c.Report("fs.rm-outside", reason)
				}
				return
			}
			info.Critical = false
		}
		if info.Critical && (e.recursive || e.op == fsOpMove) {
			if info.Kind == KindRoot {
				c.Report("fs.rm-root", reason)
			} else {
				c.Report("fs.rm-home", reason)
			}
			return
		}
		if e.op == fsOpMove {
			c.Report("fs.mv-protected", reason)
			return
		}
		c.Report("fs.rm-protected", reason)
	case PathOther:
		if e.op == fsOpMove {
			c.Report("fs.mv-outside", reason)
			return
		}
		c.Report("fs.rm-outside", reason)
	}
}

// fsCreatableKind is the protected kind where creating a new, visible
// file is harmless: a direct child of home.
const fsCreatableKind = KindHomeChild

// fsJudgeWrite judges overwriting, truncating, appending to or editing a
// file.
func fsJudgeWrite(c *Call, e fsEffect, info PathInfo, remote bool) {
	reason := fsReason(e.verb, info, "")
	switch info.Class {
	case PathUnknown:
		if remote || e.op != fsOpWrite {
			return
		}
		c.Report("fs.unknown-target", reason)
	case PathProtected:
		if info.Kind == fsCreatableKind && (e.op == fsOpWrite || e.op == fsOpAppend) && !info.Glob &&
			!strings.HasPrefix(path.Base(info.Path), ".") && !c.World.pathExists(info.Path) {
			// A new file or directory directly in home ("cp -r src
			// ~/backup") destroys nothing; new dotfiles there are
			// configuration that runs (~/.bash_profile) and stay confirmed.
			return
		}
		c.Report("fs.overwrite-protected", reason)
	case PathOther:
		if e.op != fsOpWrite || remote {
			return
		}
		if !info.Glob && !c.World.pathExists(info.Path) {
			return // creates a new file
		}
		c.Report("fs.overwrite-outside", reason)
	}
}

// fsJudgeInto judges writing files into a directory: what counts is the
// class of the directory's children.
func fsJudgeInto(c *Call, e fsEffect, dir PathInfo, cwd string, remote bool) {
	switch dir.Class {
	case PathUnknown:
		if !remote && e.verb == "extracts an archive into" {
			c.Report("fs.unknown-target", fsReason(e.verb, dir, ""))
		}
		return
	case PathScratch, PathOther:
		return
	}
	child := c.World.targetIn(c.Inv, interceptor.Word{Value: strings.TrimRight(dir.Path, "/") + "/…", Glob: false}, cwd)
	if child.Class != PathProtected {
		return
	}
	c.Report("fs.overwrite-protected", fsReason(e.verb, dir, ", overwriting what is there"))
}

// fsJudgeChmod judges a permission or owner change: recursive on protected
// paths, or on / or home at all.
func fsJudgeChmod(c *Call, e fsEffect, info PathInfo, remote bool) {
	rec := ""
	if e.recursive {
		rec = " recursively"
	}
	reason := fsReason(e.verb, info, rec)
	if info.Class == PathProtected && c.World.chownToSelf(c, e, info) {
		return // sudo chown -R $(whoami) ~/.npm (toolowner.go)
	}
	switch info.Class {
	case PathUnknown:
		if e.recursive {
			c.Report("fs.unknown-target", reason)
		}
	case PathProtected:
		if info.Critical {
			if e.recursive {
				c.Report("fs.chmod-root", reason)
			} else {
				c.Report("fs.chmod-protected", reason)
			}
			return
		}
		if e.recursive && info.Kind != KindProject {
			c.Report("fs.chmod-protected", reason)
		}
	}
}
