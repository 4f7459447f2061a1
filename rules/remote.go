package rules

import (
	"path"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// RemotePack returns the rules about copying onto other machines with
// rsync and scp: an rsync --delete to a remote destination deletes there
// every file the source lacks (a wrong source, or a trailing slash, empties
// a server's directory), and a copy onto a remote system path or the
// remote's authorized_keys replaces what keeps that machine running or
// lets anyone in. The path model (fs) judges local destinations; the
// creds pack judges credentials sent off the machine.
//
// Copies into ordinary remote directories, downloads and dry runs (rsync
// -n/--dry-run) report nothing.
func RemotePack() *Pack {
	return &Pack{
		Name:     "remote",
		Commands: []string{"rsync", "scp"},
		Check:    remCheck,
		Rules: []Rule{
			{ID: "remote.rsync-delete", Default: Confirm, Summary: "rsync --delete (and kin) to a remote destination: deletes there every file the source lacks"},
			{ID: "remote.system-overwrite", Default: Confirm, Summary: "rsync or scp onto a remote system path (/etc, /usr, /boot ...) or the remote's authorized_keys"},
		},
	}
}

// remCheck dispatches on the tool.
func remCheck(c *Call) {
	switch c.Inv.Name {
	case "rsync":
		remRsync(c)
	case "scp":
		remScp(c)
	}
}

// remTarget splits a remote destination "[user@]host:path",
// "host::module/path" or "rsync://host/module/path" into host and path;
// ok is false for a local path.
func remTarget(w interceptor.Word) (host, p string, ok bool) {
	v := w.Value
	if rest, isURL := strings.CutPrefix(v, "rsync://"); isURL {
		host, p, _ = strings.Cut(rest, "/")
		return host, "/" + p, true
	}
	i := strings.IndexByte(v, ':')
	if i <= 0 || strings.ContainsRune(v[:i], '/') {
		return "", "", false
	}
	host, p = v[:i], strings.TrimPrefix(v[i+1:], ":")
	return host, p, true
}

// remSystemPath reports whether a remote path is the root, a system
// directory or a file in one, or the remote user's authorized_keys.
func remSystemPath(p string) bool {
	if strings.HasSuffix(path.Clean("/"+p), "/.ssh/authorized_keys") || p == ".ssh/authorized_keys" {
		return true
	}
	if !strings.HasPrefix(p, "/") {
		return false
	}
	clean := path.Clean(p)
	if clean == "/" {
		return true
	}
	top, _, _ := strings.Cut(strings.TrimPrefix(clean, "/"), "/")
	switch top {
	case "etc", "usr", "bin", "sbin", "lib", "lib64", "boot", "dev", "proc", "sys", "root":
		return true
	}
	return clean == "/var/lib" || strings.HasPrefix(clean, "/var/lib/")
}

// remRsyncSpec is how rsync spells the options that take a value.
func remRsyncSpec() cliSpec {
	return cliSpec{short: "efTMB", long: []string{"--rsh", "--exclude", "--include", "--filter", "--exclude-from",
		"--include-from", "--files-from", "--chmod", "--chown", "--port", "--password-file", "--log-file",
		"--partial-dir", "--backup-dir", "--suffix", "--temp-dir", "--compare-dest", "--copy-dest", "--link-dest",
		"--bwlimit", "--timeout", "--contimeout", "--max-size", "--min-size", "--max-delete", "--rsync-path",
		"--out-format", "--remote-option", "--info", "--debug", "--iconv", "--usermap", "--groupmap",
		"--checksum-choice", "--compress-choice", "--skip-compress", "--block-size", "--log-file-format",
		"--modify-window", "--compress-level", "--sockopts", "--address", "--outbuf", "--stop-after", "--stop-at"}}
}

// remRsync judges rsync to a remote destination.
func remRsync(c *Call) {
	a := cliParse(c.Inv.Args, remRsyncSpec())
	if a.on("-n", "--dry-run") || len(a.operands) < 2 {
		return
	}
	dst := a.operands[len(a.operands)-1]
	host, p, remote := remTarget(dst)
	if !remote {
		return
	}
	where := p
	if where == "" {
		where = "the home directory"
	}
	var deletes []string
	for _, o := range a.opts {
		switch o.name {
		case "--delete", "--del", "--delete-before", "--delete-during", "--delete-delay", "--delete-after", "--delete-excluded":
			deletes = append(deletes, o.name)
		}
	}
	if len(deletes) > 0 {
		src := cliList(a.ops(0)[:len(a.operands)-1])
		c.Report("remote.rsync-delete", "makes "+where+" on "+host+" a copy of "+src+" and deletes there every file the source lacks ("+strings.Join(deletes, " ")+")")
	}
	if remSystemPath(p) {
		c.Report("remote.system-overwrite", "overwrites "+where+" on "+host+" with local files: system files or its authorized_keys are replaced")
	}
}

// remScp judges scp onto a remote system path.
func remScp(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "cFiJloPSDX", long: nil})
	if len(a.operands) < 2 {
		return
	}
	dst := a.operands[len(a.operands)-1]
	host, p, remote := remTarget(dst)
	if !remote || !remSystemPath(p) {
		return
	}
	c.Report("remote.system-overwrite", "copies "+cliList(a.ops(0)[:len(a.operands)-1])+" over "+p+" on "+host+": system files or its authorized_keys are replaced")
}
