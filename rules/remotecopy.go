package rules

import (
	"path"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// RemoteCopyPack returns the rules about copies onto another machine that
// destroy what is there: rsync --delete into a remote directory deletes
// every file the source lacks (an empty or wrong source empties it), and
// scp or rsync onto a remote system file or directory (/etc/passwd,
// /usr/bin, ~/.ssh/authorized_keys) replaces what that machine runs on.
// Copies into ordinary remote directories, local syncs (judged by the fs
// pack) and dry runs report nothing.
func RemoteCopyPack() *Pack {
	return &Pack{
		Name:     "remotecopy",
		Commands: []string{"rsync", "scp"},
		Check:    remoteCopyCheck,
		Rules: []Rule{
			{ID: "remotecopy.sync-delete", Default: Confirm, Summary: "rsync --delete (or --delete-*) into a directory on another machine: deletes every file there that the source lacks"},
			{ID: "remotecopy.system-overwrite", Default: Confirm, Summary: "scp or rsync onto a system file or directory of another machine (/etc, /usr, /bin, /boot, /var/lib, ~/.ssh/authorized_keys): replaces what that machine runs on"},
		},
	}
}

// remoteCopyCheck judges one rsync or scp.
func remoteCopyCheck(c *Call) {
	inv := c.Inv
	var ops []interceptor.Word
	del, dry := false, false
	valued := remoteCopyValued(inv.Name)
	for i := 0; i < len(inv.Args); i++ {
		a := inv.Args[i]
		v := a.Value
		switch {
		case v == "--":
			ops = append(ops, inv.Args[i+1:]...)
			i = len(inv.Args)
		case strings.HasPrefix(v, "--"):
			name, _, eq := strings.Cut(v, "=")
			switch {
			case name == "--dry-run" || name == "--list-only":
				dry = true
			case name == "--del" || strings.HasPrefix(name, "--delete"):
				del = true
			case !eq && valued(name):
				i++
			}
		case strings.HasPrefix(v, "-") && len(v) > 1:
			for j := 1; j < len(v); j++ {
				if inv.Name == "rsync" && v[j] == 'n' {
					dry = true
				}
				if valued(string(v[j])) {
					if j == len(v)-1 {
						i++
					}
					break
				}
			}
		default:
			ops = append(ops, a)
		}
	}
	if dry || len(ops) < 2 {
		return
	}
	dest := ops[len(ops)-1]
	host, p, ok := remoteCopySpec(dest.Value)
	if !ok || dest.Unknown {
		return
	}
	if del && inv.Name == "rsync" {
		c.Report("remotecopy.sync-delete", "deletes every file in "+p+" on "+host+" that "+remoteCopyList(ops[:len(ops)-1])+" does not have (rsync --delete)")
		return
	}
	if sys := remoteSystemPath(p); sys != "" {
		c.Report("remotecopy.system-overwrite", "copies "+remoteCopyList(ops[:len(ops)-1])+" over "+p+" on "+host+", "+sys)
	}
}

// remoteCopyValued returns which options of the command take a value.
func remoteCopyValued(name string) func(string) bool {
	if name == "scp" {
		return func(o string) bool {
			switch o {
			case "c", "D", "F", "i", "J", "l", "o", "P", "S", "X":
				return true
			}
			return false
		}
	}
	return func(o string) bool {
		switch o {
		case "e", "f", "T", "B", "M",
			"--rsh", "--filter", "--exclude", "--include", "--exclude-from", "--include-from", "--files-from",
			"--password-file", "--log-file", "--backup-dir", "--compare-dest", "--copy-dest", "--link-dest",
			"--partial-dir", "--temp-dir", "--chmod", "--rsync-path", "--port", "--suffix", "--max-size",
			"--min-size", "--timeout", "--bwlimit", "--out-format", "--chown", "--usermap", "--groupmap":
			return true
		}
		return false
	}
}

// remoteCopySpec splits "user@host:path" (or rsync://host/module/path) into
// the host and the path there; ok is false for a local path. A relative
// remote path is in the remote user's home.
func remoteCopySpec(v string) (host, p string, ok bool) {
	if rest, found := strings.CutPrefix(v, "rsync://"); found {
		h, q, _ := strings.Cut(rest, "/")
		return h, "/" + q, true
	}
	i := strings.IndexByte(v, ':')
	if i <= 0 || strings.Contains(v[:i], "/") {
		return "", "", false
	}
	host, p = v[:i], v[i+1:]
	if p == "" {
		p = "~"
	} else if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "~") {
		p = "~/" + p
	}
	return host, p, true
}

// remoteSystemPath says what a remote path is when it is a system file or
// directory, or the way in (authorized_keys); "" otherwise.
func remoteSystemPath(p string) string {
	c := path.Clean(p)
	switch c {
	case "~/.ssh", "~/.ssh/authorized_keys", "/root/.ssh", "/root/.ssh/authorized_keys":
		return "which decides who can log in there"
	}
	for _, d := range []string{"/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot", "/var/lib"} {
		if c == d || strings.HasPrefix(c, d+"/") {
			return "a system path of that machine"
		}
	}
	return ""
}

// remoteCopyList names the sources of a copy.
func remoteCopyList(srcs []interceptor.Word) string {
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = s.String()
	}
	return strings.Join(names, ", ")
}
