package fence

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Landlock answers a refused write with EACCES and nothing else, and its
// audit records (ABI 7) are root's to read. So guard explains a denial
// from what the command said: a line of its stderr that reports a
// permission error and names a path outside the grants, which the user
// could write without the fence (the kernel's access check, which Landlock
// does not restrict, says so). A path the user cannot write anyway was
// refused by its mode bits, not by the fence, and gets no note.

// permissionWords are how programs spell EACCES and EPERM in their
// messages: the C library's strerror, Python's PermissionError, Node's
// error codes, Go's lower-case strerror.
var permissionWords = []string{"permission denied", "eacces", "operation not permitted", "eperm"}

// PermissionLine reports whether line reports a permission error.
func PermissionLine(line []byte) bool {
	low := bytes.ToLower(line)
	for _, w := range permissionWords {
		if bytes.Contains(low, []byte(w)) {
			return true
		}
	}
	return false
}

// Denied returns the first path that a permission-error line in out names
// and that lies outside granted, with relative paths taken against cwd;
// "" when there is none. writable reports whether the user could write a
// path without the fence (nil: DACWritable). When no such path is named
// but a line names a relative path that does not exist under cwd (Python's
// rmtree reports the bare name it could not unlink in some directory),
// Denied returns that name and unsure.
func Denied(out []byte, cwd string, granted []Grant, writable func(string) bool) (path string, unsure bool) {
	if writable == nil {
		writable = DACWritable
	}
	guess := ""
	for _, line := range bytes.Split(out, []byte("\n")) {
		if !PermissionLine(line) {
			continue
		}
		for _, p := range linePaths(string(line)) {
			if !filepath.IsAbs(p) {
				if cwd == "" {
					continue
				}
				var st unix.Stat_t
				if guess == "" && unix.Lstat(filepath.Join(cwd, p), &st) != nil {
					guess = p
				}
				p = filepath.Join(cwd, p)
			}
			p = filepath.Clean(p)
			if inside(p, granted) || !writable(p) {
				continue
			}
			return p, false
		}
	}
	return guess, guess != ""
}

// linePaths returns the words of line that look like paths: quoted
// strings ('…', "…", `…', ‘…’), and bare words that start with /, ./, ../
// or ~/, with trailing punctuation taken off.
func linePaths(line string) []string {
	var out []string
	for _, q := range [][2]string{{"'", "'"}, {"\"", "\""}, {"`", "'"}, {"‘", "’"}} {
		rest := line
		for {
			i := strings.Index(rest, q[0])
			if i < 0 {
				break
			}
			rest = rest[i+len(q[0]):]
			j := strings.Index(rest, q[1])
			if j < 0 {
				break
			}
			if s := rest[:j]; looksLikePath(s) {
				out = append(out, s)
			}
			rest = rest[j+len(q[1]):]
		}
	}
	for _, w := range strings.Fields(line) {
		w = strings.TrimRight(w, ":,;)'\"’")
		w = strings.TrimLeft(w, "('\"`‘")
		if strings.HasPrefix(w, "/") || strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../") {
			out = append(out, w)
		}
	}
	return out
}

func looksLikePath(s string) bool {
	return s != "" && !strings.ContainsAny(s, "\n\x00") &&
		(strings.HasPrefix(s, "/") || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || strings.Contains(s, "/") || !strings.Contains(s, " "))
}

// inside reports whether p lies in one of the grants (a directory grant
// covers what is beneath it; a file grant only itself).
func inside(p string, granted []Grant) bool {
	rp := resolve(p)
	for _, g := range granted {
		gp := resolve(g.Path)
		if within(rp, gp) || within(p, g.Path) {
			return true
		}
	}
	return false
}

// DACWritable reports whether the user could change p without the fence:
// write p itself, or write the directory that holds it (to create or
// remove it). faccessat is not restricted by Landlock, so it answers for
// the mode bits and ACLs alone.
func DACWritable(p string) bool {
	if unix.Faccessat(unix.AT_FDCWD, p, unix.W_OK, unix.AT_EACCESS) == nil {
		return true
	}
	return unix.Faccessat(unix.AT_FDCWD, filepath.Dir(p), unix.W_OK, unix.AT_EACCESS) == nil
}

// Note is the one line guard prints after a command it ran under the
// fence failed writing path: what refused it, and what would allow it.
// unsure (see Denied) says only that the fence may be the cause.
func Note(path string, unsure bool, st Status, home string) string {
	dir := path
	if isRegular(path) {
		dir = filepath.Dir(path)
	}
	project := ""
	for _, g := range st.Granted {
		if g.Why == WhyProject {
			project = " (" + g.Path + ")"
			break
		}
	}
	show := func(p string) string {
		if home != "" && within(p, home) && p != home {
			return "~" + strings.TrimPrefix(p, home)
		}
		return p
	}
	if unsure {
		return fmt.Sprintf("guard: a permission error on %s may come from the write fence: commands guard runs for an agent may write only the project%s, the temp dirs and the tool caches (guard doctor lists them); to allow a directory, add it to [paths] writable in your user config, or run the command yourself outside guard", path, project)
	}
	return fmt.Sprintf("guard: the write fence refused changing %s: commands guard runs for an agent may write only the project%s, the temp dirs and the tool caches (guard doctor lists them); to allow it, add %q to [paths] writable in your user config, or run the command yourself outside guard",
		show(path), project, show(dir))
}

func isRegular(p string) bool {
	var st unix.Stat_t
	return unix.Stat(p, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFREG
}
