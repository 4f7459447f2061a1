package rules

import (
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// selfReadKey denies reading guard's signing key (World.GuardKey): guard
// signs its approvals and source-cache entries with it, so a command that
// knows it could forge an approval for itself. Reading is judged where the
// command names the key: an argument or "--opt=value" naming it (or a glob
// that can match it) to any command but those that only look at names and
// metadata, an input redirection from it, and a command that reads a whole
// tree (cp -r, tar, rsync, zip, grep -r, rg, find -exec) given the
// directory that holds it. It reports at most once per command.
func selfReadKey(c *Call) {
	w := c.World
	if w.GuardKey == "" {
		return
	}
	inv := c.Inv
	for _, r := range inv.Redirects {
		if (r.Op == "<" || r.Op == "<>") && selfNamesKey(w, r.Target, inv.Cwd, false) {
			c.Report("self.read-key", "reads "+w.pathShow(w.GuardKey)+", guard's signing key: only guard may read it")
			return
		}
	}
	if inv.Name == "" || selfMetadataOnly(inv.Name) {
		return
	}
	tree := selfTreeReader(inv)
	keyName := filepath.Base(w.GuardKey)
	for _, a := range inv.Args {
		if !tree && !a.Glob && !a.Unknown && !strings.Contains(a.Value, keyName) && !mayEndIn(a.Value, keyName) {
			continue // the cheap test: this word names no key
		}
		for i, v := range selfArgPaths(a) {
			if i == 1 && v.Value == "" {
				continue // no "=value" part
			}
			if selfNamesKey(w, v, inv.Cwd, false) {
				c.Report("self.read-key", filepath.Base(inv.Name)+" is given "+w.pathShow(w.GuardKey)+", guard's signing key: only guard may read it")
				return
			}
			if tree && selfNamesKey(w, v, inv.Cwd, true) {
				c.Report("self.read-key", filepath.Base(inv.Name)+" reads all of "+w.pathShow(filepath.Dir(w.GuardKey))+", which holds guard's signing key: only guard may read it")
				return
			}
		}
	}
}

// selfNamesKey reports whether word, resolved against cwd, names guard's
// key, or with dir the directory holding it; a glob counts when it can
// match that path. A word guard could not compute does not count.
func selfNamesKey(w *World, word interceptor.Word, cwd string, dir bool) bool {
	if word.Unknown || strings.Contains(word.Value, interceptor.UnknownMark) {
		return false
	}
	target := filepath.Clean(w.GuardKey)
	if dir {
		target = filepath.Dir(target)
	}
	if !word.Glob && !mayEndIn(word.Value, filepath.Base(target)) {
		return false // the cheap test: most words name other files
	}
	abs := interceptor.ResolvePath(cwd, word.Value)
	if abs == "" {
		return false
	}
	if !word.Glob {
		return filepath.Clean(abs) == target
	}
	pat, name := pathComps(abs), pathComps(target)
	if len(pat) != len(name) {
		return false
	}
	for i := range pat {
		if !pathMatchComp(pat[i], name[i]) {
			return false
		}
	}
	return true
}

// mayEndIn reports whether the path p, once resolved, can end in the name
// base: its last component is base, or "." or ".." (resolved against a
// directory it does not name).
func mayEndIn(p, base string) bool {
	p = strings.TrimRight(p, "/")
	last := p[strings.LastIndexByte(p, '/')+1:]
	return last == base || last == "." || last == ".." || last == ""
}

// selfMetadataOnly reports commands that look at a file's name, type or
// metadata but not its content, or do not touch files at all.
func selfMetadataOnly(name string) bool {
	switch filepath.Base(name) {
	case "ls", "ll", "la", "exa", "eza", "lsd", "tree", "stat", "file", "du", "df",
		"realpath", "readlink", "dirname", "basename", "namei", "getfacl", "lsattr",
		"echo", "printf", "test", "[", "[[", "true", "false", ":",
		"cd", "pushd", "popd", "pwd", "which", "type", "command", "hash", "export", "guard",
		"rm", "unlink", "shred", "mv", "touch", "chmod", "chown", "chgrp", "mkdir", "rmdir", "truncate":
		// The last line changes files without reading them: the
		// modification rules judge those.
		return true
	}
	return false
}

// selfTreeReader reports whether inv reads every file under the
// directories it is given.
func selfTreeReader(inv *interceptor.Invocation) bool {
	switch filepath.Base(inv.Name) {
	case "tar", "bsdtar", "rsync", "zip", "7z", "7za", "rg", "ag", "ack", "scp", "rclone":
		return true
	case "cp":
		return selfHasFlag(inv.Args, "--recursive", "--archive", 'r', 'R', 'a')
	case "grep", "egrep", "fgrep":
		return selfHasFlag(inv.Args, "--recursive", "--dereference-recursive", 'r', 'R')
	case "find":
		for _, a := range inv.Args {
			switch a.Value {
			case "-exec", "-execdir", "-ok", "-okdir":
				return true
			}
		}
	}
	return false
}

// selfHasFlag reports whether args hold the long option long (or long2)
// or a short option cluster ("-rf") holding one of shorts.
func selfHasFlag(args []interceptor.Word, long, long2 string, shorts ...byte) bool {
	for _, a := range args {
		v := a.Value
		if v == "--" {
			return false
		}
		if v == long || v == long2 {
			return true
		}
		if len(v) > 1 && v[0] == '-' && v[1] != '-' {
			for i := 1; i < len(v); i++ {
				for _, s := range shorts {
					if v[i] == s {
						return true
					}
				}
			}
		}
	}
	return false
}
