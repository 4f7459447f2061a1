package interceptor

import (
	"strings"
)

// Programs that reach another machine but run a command on this one: ssh's
// ProxyCommand, LocalCommand and KnownHostsCommand (also through scp and
// sftp), the program scp and sftp use instead of ssh (-S), rsync's remote
// shell (-e), and socat's EXEC, SYSTEM and SHELL addresses. Each is read
// with its program's option table, short options clustered with a value
// attached ("-voProxyCommand=…", "-ae CMD") as getopt reads them.

// getoptOpt is one option read from a getopt-style command line.
type getoptOpt struct {
	name string // "-o", "--rsh"
	val  Word
}

// getoptArgs reads args as getopt does with the single-letter options in
// valued taking a value (attached or the next word) and the long options
// in long taking one after "=" or as the next word. Operands are returned
// apart; with permute, options may follow operands (GNU getopt), otherwise
// the first operand ends the options. "--" always ends them.
func getoptArgs(args []Word, valued string, long []string, permute bool) (opts []getoptOpt, operands []Word) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.Value
		switch {
		case v == "--":
			return opts, append(operands, args[i+1:]...)
		case strings.HasPrefix(v, "--"):
			name, val, hasVal := strings.Cut(v, "=")
			o := getoptOpt{name: name, val: Word{Value: val, Unknown: a.Unknown}}
			if !hasVal && contains(long, name) && i+1 < len(args) {
				i++
				o.val = args[i]
			}
			opts = append(opts, o)
		case len(v) > 1 && v[0] == '-':
			for j := 1; j < len(v); j++ {
				c := v[j]
				if strings.IndexByte(valued, c) < 0 {
					opts = append(opts, getoptOpt{name: "-" + string(c)})
					continue
				}
				o := getoptOpt{name: "-" + string(c), val: Word{Value: v[j+1:], Unknown: a.Unknown}}
				if j+1 == len(v) && i+1 < len(args) {
					i++
					o.val = args[i]
				}
				opts = append(opts, o)
				break
			}
		default:
			if !permute {
				return opts, append(operands, args[i:]...)
			}
			operands = append(operands, a)
		}
	}
	return opts, operands
}

// OpenSSH's option letters that take a value.
const (
	sshValued  = "BbcDEeFIiJLlmOoPpQRSWw"
	scpValued  = "cDFiJlPoSX"
	sftpValued = "BbcDFiJlPoRSsX"
)

// sshOptions runs what ssh's -o options make it run here. The -o value is
// "Key=Value" or "Key Value", keys in any case.
func (w *walker) sshOptions(link string, opts []getoptOpt, inv Invocation, st *state) {
	for _, o := range opts {
		if o.name != "-o" {
			continue
		}
		key, val, ok := strings.Cut(o.val.Value, "=")
		if !ok {
			key, val, _ = strings.Cut(strings.TrimSpace(o.val.Value), " ")
		}
		key = strings.TrimSpace(key)
		switch strings.ToLower(key) {
		case "proxycommand", "localcommand", "knownhostscommand":
			if val = strings.TrimSpace(val); strings.EqualFold(val, "none") || val == "" {
				continue
			}
			w.runString(link+" "+key, Word{Value: val, Unknown: o.val.Unknown}, inv.Cwd, inv, st)
		}
	}
}

// scpCommands follows scp's and sftp's -o options and the program they run
// instead of ssh (-S PROGRAM, sftp's -D SERVER), which is given the host
// and ssh's arguments.
func (w *walker) scpCommands(inv Invocation, st *state) {
	valued := scpValued
	if inv.Name == "sftp" {
		valued = sftpValued
	}
	opts, _ := getoptArgs(inv.Args, valued, nil, inv.Name == "scp")
	w.sshOptions(inv.Name, opts, inv, st)
	for _, o := range opts {
		if o.name == "-S" || inv.Name == "sftp" && o.name == "-D" {
			argv := []Word{o.val, {Value: UnknownMark, Unknown: true}}
			w.runArgv(inv.Name+" "+o.name, argv, inv.Cwd, inv, st)
		}
	}
}

// rsync's options that take a value: the short ones, and the long ones
// popt also reads from the next word.
const rsyncValued = "BefMT@"

var rsyncLong = []string{"--rsh", "--rsync-path", "--filter", "--exclude", "--include", "--exclude-from",
	"--include-from", "--files-from", "--temp-dir", "--compare-dest", "--copy-dest", "--link-dest",
	"--block-size", "--remote-option", "--partial-dir", "--log-file", "--log-file-format", "--out-format",
	"--password-file", "--port", "--sockopts", "--timeout", "--contimeout", "--chmod", "--chown",
	"--usermap", "--groupmap", "--max-size", "--min-size", "--max-delete", "--bwlimit", "--modify-window",
	"--suffix", "--backup-dir", "--skip-compress", "--compress-choice", "--checksum-choice",
	"--compress-level", "--info", "--debug", "--stop-after", "--stop-at", "--address", "--iconv",
	"--write-batch", "--only-write-batch", "--read-batch", "--protocol", "--outbuf", "--early-input"}

// rsyncShell follows rsync's remote shell (-e CMD, --rsh=CMD): rsync runs
// it here with the host and its own server command appended.
func (w *walker) rsyncShell(inv Invocation, st *state) {
	opts, operands := getoptArgs(inv.Args, rsyncValued, rsyncLong, true)
	for _, o := range opts {
		if o.name != "-e" && o.name != "--rsh" {
			continue
		}
		cmd := o.val
		if host := rsyncHost(operands); host != "" && !cmd.Unknown {
			cmd.Value += " " + host + " rsync --server"
		}
		w.runString("rsync -e", cmd, inv.Cwd, inv, st)
	}
}

// rsyncHost returns the host of the first remote operand ("host:path",
// "user@host:path") when it is a plain word, or "".
func rsyncHost(operands []Word) string {
	for _, a := range operands {
		h, _, ok := strings.Cut(a.Value, ":")
		if !ok || a.Unknown || h == "" || strings.Contains(h, "/") {
			continue
		}
		if _, after, ok := strings.Cut(h, "@"); ok {
			h = after
		}
		if h != "" && strings.Trim(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == "" {
			return h
		}
		return ""
	}
	return ""
}

// socatCommands follows socat's addresses that run a program here:
// EXEC:CMD (its words, no shell), SYSTEM:CMD and SHELL:CMD (through sh -c).
// An address type is any case, its options follow a comma, and "A!!B"
// gives an address for each direction.
func (w *walker) socatCommands(inv Invocation, st *state) {
	for _, a := range inv.Args {
		for _, addr := range strings.Split(a.Value, "!!") {
			kind, cmd, ok := strings.Cut(addr, ":")
			if !ok {
				continue
			}
			switch strings.ToUpper(kind) {
			case "EXEC", "SYSTEM", "SHELL":
				// Options follow the first unescaped comma; socat's own
				// escapes are left in, which only judges more.
				if i := strings.IndexByte(cmd, ','); i >= 0 {
					cmd = cmd[:i]
				}
				w.runString("socat "+strings.ToUpper(kind), Word{Value: cmd, Unknown: a.Unknown}, inv.Cwd, inv, st)
			}
		}
	}
}
