package interceptor

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// optSpec describes a wrapper's options: which take a value, and how many
// operands come before the wrapped command.
type optSpec struct {
	// short lists the single-letter options that take a value
	// ("-u root", "-uroot").
	short string
	// long lists the long options that take a separate value
	// ("--user root"); "--user=root" is always understood.
	long []string
	// attached lists the single-letter options whose value is optional
	// and, when given, attached ("xargs -i" or "-iR", never "-i R").
	attached string
	// operands is how many operands precede the command (timeout's
	// duration, chrt's priority, flock's lock file).
	operands int
}

// skipOptions returns the index of the wrapped command in args, the
// options seen (name -> value), and whether a command follows at all.
func skipOptions(args []Word, spec optSpec) (int, map[string]string, bool) {
	opts := map[string]string{}
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "--" {
			i++
			break
		}
		if len(v) < 2 || v[0] != '-' {
			break
		}
		if strings.HasPrefix(v, "--") {
			name, val, hasVal := strings.Cut(v, "=")
			if !hasVal && contains(spec.long, name) && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			opts[name] = val
			continue
		}
		for j := 1; j < len(v); j++ {
			c := v[j]
			if strings.IndexByte(spec.short, c) >= 0 {
				val := v[j+1:]
				if val == "" && i+1 < len(args) {
					i++
					val = args[i].Value
				}
				opts["-"+string(c)] = val
				break
			}
			if strings.IndexByte(spec.attached, c) >= 0 {
				opts["-"+string(c)] = v[j+1:]
				break
			}
			opts["-"+string(c)] = ""
		}
	}
	i += spec.operands
	return i, opts, i < len(args)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// wrapperSpec returns how to find the command that a wrapper runs, given
// as its operands, and whether name is such a wrapper.
func wrapperSpec(name string) (optSpec, bool) {
	switch name {
	case "sudo":
		return optSpec{short: "ugpCDrthUTR", long: []string{"--user", "--group", "--prompt", "--close-from", "--chdir", "--role", "--type", "--host", "--other-user", "--command-timeout", "--chroot"}}, true
	case "doas":
		return optSpec{short: "uC"}, true
	case "nohup":
		return optSpec{}, true
	case "nice":
		return optSpec{short: "n", long: []string{"--adjustment"}}, true
	case "ionice":
		return optSpec{short: "cnp", long: []string{"--class", "--classdata", "--pid"}}, true
	case "time":
		return optSpec{short: "fo", long: []string{"--format", "--output"}}, true
	case "timeout":
		return optSpec{short: "sk", long: []string{"--signal", "--kill-after"}, operands: 1}, true
	case "stdbuf":
		return optSpec{short: "ioe", long: []string{"--input", "--output", "--error"}}, true
	case "setsid":
		return optSpec{}, true
	case "chrt":
		return optSpec{operands: 1}, true
	case "flock":
		return optSpec{short: "wEc", long: []string{"--timeout", "--conflict-exit-code", "--command"}, operands: 1}, true
	case "command":
		return optSpec{}, true
	case "builtin":
		return optSpec{}, true
	case "exec":
		return optSpec{short: "a"}, true
	case "busybox":
		return optSpec{}, true
	case "caffeinate":
		return optSpec{short: "tw"}, true
	case "unbuffer":
		return optSpec{}, true
	case "chronic":
		return optSpec{}, true
	case "runuser":
		return optSpec{short: "ugc", long: []string{"--user", "--group", "--command"}}, true
	case "systemd-run":
		return optSpec{short: "upEMH", long: []string{"--unit", "--property", "--setenv", "--machine", "--host",
			"--description", "--slice", "--uid", "--gid", "--nice", "--working-directory", "--service-type",
			"--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive", "--on-calendar",
			"--path-property", "--socket-property", "--timer-property", "--expand-environment"}}, true
	case "pkexec":
		return optSpec{long: []string{"--user"}}, true
	case "strace", "ltrace":
		return optSpec{short: "abeEIoOpPsSuUX", long: []string{"--output", "--trace", "--signal", "--user", "--env"}}, true
	// Programs that run their operands as a command under some condition:
	// a display, a fake root, a CPU set, a namespace, a session bus, an
	// agent, a sandbox, a fake clock, a cgroup, a proxy, a password.
	case "xvfb-run":
		return optSpec{short: "efnpsw", long: []string{"--error-file", "--auth-file", "--server-num", "--xauth-protocol", "--server-args", "--wait"}}, true
	case "fakeroot":
		return optSpec{short: "lsib", long: []string{"--lib", "--faked"}}, true
	case "taskset":
		return optSpec{operands: 1}, true
	case "unshare":
		return optSpec{short: "SGRw", long: []string{"--setuid", "--setgid", "--root", "--wd", "--setgroups", "--propagation", "--map-user", "--map-group", "--map-users", "--map-groups"}}, true
	case "nsenter":
		return optSpec{short: "tSG", long: []string{"--target", "--setuid", "--setgid"}}, true
	case "chroot":
		return optSpec{operands: 1}, true
	case "dbus-run-session":
		return optSpec{long: []string{"--config-file", "--dbus-daemon"}}, true
	case "ssh-agent":
		return optSpec{short: "aEPtO"}, true
	case "firejail", "valgrind", "catchsegv", "nq":
		return optSpec{}, true
	case "numactl":
		return optSpec{short: "imNCpP", long: []string{"--interleave", "--preferred", "--membind", "--cpunodebind", "--physcpubind"}}, true
	case "faketime":
		return optSpec{operands: 1}, true
	case "systemd-inhibit":
		return optSpec{long: []string{"--what", "--who", "--why", "--mode"}}, true
	case "tsp":
		return optSpec{short: "LDNW"}, true
	case "cgexec":
		return optSpec{short: "g"}, true
	case "prlimit":
		return optSpec{short: "p"}, true
	case "proxychains", "proxychains4":
		return optSpec{short: "f"}, true
	case "torsocks":
		return optSpec{short: "upaP"}, true
	case "sshpass":
		return optSpec{short: "pfdP"}, true
	}
	return optSpec{}, false
}

// peel removes a wrapper: given the wrapper's name and its arguments it
// returns the argv of the wrapped command. Wrappers that run a shell string
// (watch, flock -c, env -S) are followed here as nested code and report
// false, as do wrappers without a command.
func (w *walker) peel(name string, args []Word, inv *Invocation, st *state) ([]Word, bool) {
	switch name {
	case "env":
		return w.peelEnv(args, inv, st)
	case "xargs":
		return w.peelXargs(args, inv, st)
	case "watch":
		return w.peelWatch(args, inv, st)
	case "parallel":
		return w.peelParallel(args, inv, st)
	}
	if cmd, ok := w.peelLauncher(name, args, inv, st); ok {
		return cmd, true
	}
	spec, ok := wrapperSpec(name)
	if !ok {
		return nil, false
	}
	i, opts, more := skipOptions(args, spec)
	if !more {
		return nil, false
	}
	switch name {
	case "command":
		if _, v := opts["-v"]; v {
			return nil, false
		}
		if _, v := opts["-V"]; v {
			return nil, false
		}
	case "ionice":
		if _, p := opts["-p"]; p {
			return nil, false
		}
	case "chrt":
		if _, p := opts["-p"]; p {
			return nil, false
		}
	case "sudo":
		for _, o := range []string{"-l", "-e", "-v", "-k", "-K", "--list", "--edit", "--validate"} {
			if _, ok := opts[o]; ok && o != "-k" {
				return nil, false
			}
		}
		if d, ok := opts["-D"]; ok {
			inv.Cwd = ResolvePath(inv.Cwd, d)
		}
		if d, ok := opts["--chdir"]; ok {
			inv.Cwd = ResolvePath(inv.Cwd, d)
		}
		if _, ok := opts["-i"]; ok {
			inv.Home = "" // root's login shell
		}
		// sudo accepts VAR=value before the command.
		for i < len(args) && isAssign(args[i].Value) {
			k, v, _ := strings.Cut(args[i].Value, "=")
			setAssign(inv, k, v)
			i++
		}
		if i >= len(args) {
			return nil, false
		}
	case "systemd-run":
		// A transient service starts in / (or the user's home with
		// --user) unless told otherwise.
		_, user := opts["--user"]
		_, same := opts["--same-dir"]
		_, sameShort := opts["-d"]
		switch {
		case same || sameShort:
		case opts["--working-directory"] != "":
			inv.Cwd = ResolvePath(inv.Cwd, opts["--working-directory"])
		case user:
			inv.Cwd = inv.Home
		default:
			inv.Cwd = "/"
		}
	case "strace", "ltrace", "prlimit":
		if _, p := opts["-p"]; p {
			return nil, false // attaches to a running process
		}
	case "taskset":
		if _, p := opts["-p"]; p {
			return nil, false
		}
	case "ssh-agent":
		if _, k := opts["-k"]; k {
			return nil, false
		}
	case "systemd-inhibit":
		if _, l := opts["--list"]; l {
			return nil, false
		}
	case "flock", "runuser":
		if c, ok := opts["-c"]; ok {
			w.nestedString(name+" -c", c, inv, st)
			return nil, false
		}
		if c, ok := opts["--command"]; ok {
			w.nestedString(name+" -c", c, inv, st)
			return nil, false
		}
		if name == "flock" && i < len(args) && args[i].Value == "-c" && i+1 < len(args) {
			w.nestedString("flock -c", args[i+1].Value, inv, st)
			return nil, false
		}
	}
	return args[i:], true
}

func isAssign(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	return ok && isName(k)
}

func setAssign(inv *Invocation, k, v string) {
	if inv.Assigns == nil {
		inv.Assigns = map[string]string{}
	}
	inv.Assigns[k] = v
}

// nestedString analyses a shell string run by a wrapper, as "sh -c" would.
func (w *walker) nestedString(link, src string, inv *Invocation, st *state) {
	n := st.newShell(link, *inv)
	if strings.Contains(src, UnknownMark) {
		w.a.unknown(n, inv.Text, link+" runs a command string that cannot be known")
		return
	}
	w.a.script(src, n)
}

// peelEnv handles env's options and VAR=value operands.
func (w *walker) peelEnv(args []Word, inv *Invocation, st *state) ([]Word, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			i++
			if i < len(args) {
				return args[i:], true
			}
			return nil, false
		case v == "-" || v == "-i" || v == "--ignore-environment":
			inv.Unsets = append(inv.Unsets, "HOME")
			inv.ClearEnv = true
		case v == "-0" || v == "--null" || v == "-v" || v == "--debug":
		case v == "-u" || v == "--unset" || v == "-C" || v == "--chdir" || v == "-S" || v == "--split-string":
			if i+1 >= len(args) {
				return nil, false
			}
			i++
			w.envOption(v, args[i].Value, inv)
			if v == "-S" || v == "--split-string" {
				return w.splitString(args[i].Value, args[i+1:], inv, st)
			}
		case strings.HasPrefix(v, "--unset=") || strings.HasPrefix(v, "--chdir="):
			name, val, _ := strings.Cut(v, "=")
			w.envOption(name, val, inv)
		case strings.HasPrefix(v, "--split-string="):
			return w.splitString(v[len("--split-string="):], args[i+1:], inv, st)
		case strings.HasPrefix(v, "-S"):
			return w.splitString(v[2:], args[i+1:], inv, st)
		case strings.HasPrefix(v, "-u") || strings.HasPrefix(v, "-C"):
			w.envOption(v[:2], v[2:], inv)
		case strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--"):
			// Clustered flags such as -iv.
			if strings.Contains(v, "i") {
				inv.Unsets = append(inv.Unsets, "HOME")
				inv.ClearEnv = true
			}
		case isAssign(v):
			k, val, _ := strings.Cut(v, "=")
			setAssign(inv, k, val)
		default:
			return args[i:], true
		}
	}
	return nil, false
}

func (w *walker) envOption(opt, val string, inv *Invocation) {
	switch opt {
	case "-C", "--chdir":
		inv.Cwd = ResolvePath(inv.Cwd, val)
	case "-u", "--unset":
		inv.Unsets = append(inv.Unsets, val)
		delete(inv.Assigns, val) // "HOME=x env -u HOME cmd": cmd has no HOME
	}
}

// splitString handles env -S: the string is split into words as the shell
// would, then the remaining operands follow.
func (w *walker) splitString(s string, rest []Word, inv *Invocation, st *state) ([]Word, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(s), "")
	var words []Word
	if err == nil && len(f.Stmts) == 1 {
		if c, ok := f.Stmts[0].Cmd.(*syntax.CallExpr); ok {
			words = w.fields(c.Args, st)
		}
	}
	if words == nil {
		words = []Word{{Value: UnknownMark, Unknown: true}}
	}
	words = append(words, rest...)
	for len(words) > 0 && isAssign(words[0].Value) {
		k, v, _ := strings.Cut(words[0].Value, "=")
		setAssign(inv, k, v)
		words = words[1:]
	}
	return words, len(words) > 0
}

// peelXargs returns the command xargs runs, with the arguments it reads
// from stdin appended: known when stdin is known, else one unknown word.
func (w *walker) peelXargs(args []Word, inv *Invocation, st *state) ([]Word, bool) {
	// GNU xargs: --replace[=R], --eof[=E] and --max-lines[=N] take a
	// value only after "=", as -i[R], -e[E] and -l[N] only attached.
	spec := optSpec{short: "adEILnPs", attached: "eil", long: []string{"--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"}}
	i, opts, more := skipOptions(args, spec)
	cmd := []Word{{Value: "echo"}}
	if more {
		cmd = append([]Word(nil), args[i:]...)
	}
	items := []Word{{Value: UnknownMark, Unknown: true}}
	if _, fromFile := opts["-a"]; !fromFile && inv.Stdin != nil && inv.Stdin.Items != nil {
		items = inv.Stdin.Items
	} else if !fromFile && inv.Stdin != nil && inv.Stdin.Known {
		items = nil
		var parts []string
		_, nul := opts["-0"]
		_, null := opts["--null"]
		_, replaceI := opts["-I"]
		_, replaceLong := opts["--replace"]
		_, replaceShort := opts["-i"]
		switch {
		case nul || null:
			parts = strings.Split(inv.Stdin.Data, "\x00")
		case opts["-d"] != "":
			parts = strings.Split(inv.Stdin.Data, opts["-d"])
		case replaceI || replaceLong || replaceShort:
			// With -I, each input line is one item, blanks and all.
			parts = strings.Split(inv.Stdin.Data, "\n")
			for i := range parts {
				parts[i] = strings.TrimLeft(parts[i], " \t")
			}
		default:
			parts = strings.Fields(inv.Stdin.Data)
		}
		for _, p := range parts {
			if p != "" {
				items = append(items, Word{Value: p, Glob: false})
			}
		}
		if len(items) > 256 {
			items = []Word{{Value: UnknownMark, Unknown: true}}
		}
	}
	repl := opts["-I"]
	if r, ok := opts["--replace"]; ok {
		repl = r
		if repl == "" {
			repl = "{}"
		}
	}
	if r, ok := opts["-i"]; ok && repl == "" {
		repl = r
		if repl == "" {
			repl = "{}"
		}
	}
	if repl != "" {
		// The command runs once per item: each known item but the first
		// is a command of its own here, the first is the one returned.
		item := Word{Value: UnknownMark, Unknown: true}
		if len(items) > 0 {
			item = items[0]
		}
		inv.Stdin = nil
		for _, more := range items[min(1, len(items)):] {
			sub := *inv
			sub.Wrappers = append(append([]string(nil), inv.Wrappers...), "xargs")
			w.run(sub, xargsReplace(cmd, repl, more), st)
		}
		return xargsReplace(cmd, repl, item), true
	}
	inv.Stdin = nil
	return append(cmd, items...), true
}

// xargsReplace returns cmd with repl replaced by item in every word.
func xargsReplace(cmd []Word, repl string, item Word) []Word {
	out := append([]Word(nil), cmd...)
	for j := range out {
		if strings.Contains(out[j].Value, repl) {
			out[j].Value = strings.ReplaceAll(out[j].Value, repl, item.Value)
			out[j].Unknown = out[j].Unknown || item.Unknown
		}
	}
	return out
}

// peelWatch follows watch's command, which it runs through "sh -c" unless
// given -x.
func (w *walker) peelWatch(args []Word, inv *Invocation, st *state) ([]Word, bool) {
	spec := optSpec{short: "nq", long: []string{"--interval", "--equexit"}}
	i, opts, more := skipOptions(args, spec)
	if !more {
		return nil, false
	}
	_, x := opts["-x"]
	_, exec := opts["--exec"]
	if x || exec {
		return args[i:], true
	}
	w.nestedString("watch", strings.Join(values(args[i:]), " "), inv, st)
	return nil, false
}

// peelParallel follows GNU parallel: the command template with "{}"
// replaced by the first argument after ":::", or unknown input.
func (w *walker) peelParallel(args []Word, inv *Invocation, st *state) ([]Word, bool) {
	spec := optSpec{short: "jSPaIdnNsE", long: []string{"--jobs", "--arg-file", "--delimiter", "--sshlogin", "--joblog", "--results", "--tmpdir", "--timeout"}}
	i, _, more := skipOptions(args, spec)
	if !more && (inv.Stdin == nil || !inv.Stdin.Known) {
		if inv.Stdin != nil {
			w.runString("parallel", Word{Value: UnknownMark, Unknown: true}, inv.Cwd, *inv, st)
		}
		return nil, false
	}
	var cmd, items []Word
	j := i
	for ; j < len(args) && args[j].Value != ":::" && args[j].Value != "::::" && args[j].Value != ":::+"; j++ {
		cmd = append(cmd, args[j])
	}
	switch {
	case j < len(args) && args[j].Value == ":::":
		for _, a := range args[j+1:] {
			if a.Value == ":::" || a.Value == ":::+" || a.Value == "::::" {
				break // more input sources: combinations guard does not make
			}
			items = append(items, a)
		}
	case j >= len(args) && inv.Stdin != nil && inv.Stdin.Known:
		// Each input line is one job.
		for _, line := range strings.Split(inv.Stdin.Data, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				items = append(items, Word{Value: line})
			}
		}
	}
	if len(items) == 0 || len(items) > 256 {
		items = []Word{{Value: UnknownMark, Unknown: true}}
	}
	if len(cmd) == 0 {
		// No command: each item is a command line of its own.
		for _, it := range items {
			w.runString("parallel", it, inv.Cwd, *inv, st)
		}
		return nil, false
	}
	if len(cmd) == 1 && strings.ContainsAny(cmd[0].Value, " ;|&") {
		for _, it := range items {
			src := cmd[0]
			src.Value = strings.ReplaceAll(src.Value, "{}", it.Value)
			src.Unknown = src.Unknown || it.Unknown && strings.Contains(cmd[0].Value, "{}")
			w.runString("parallel", src, inv.Cwd, *inv, st)
		}
		return nil, false
	}
	inv.Stdin = nil
	for _, it := range items[1:] {
		sub := *inv
		sub.Wrappers = append(append([]string(nil), inv.Wrappers...), "parallel")
		w.run(sub, parallelJob(cmd, it), st)
	}
	return parallelJob(cmd, items[0]), true
}

// parallelJob is the command parallel runs for one item: {} replaced by
// it, or it appended when the command has no {}.
func parallelJob(cmd []Word, item Word) []Word {
	out := append([]Word(nil), cmd...)
	replaced := false
	for k := range out {
		if strings.Contains(out[k].Value, "{}") {
			out[k].Value = strings.ReplaceAll(out[k].Value, "{}", item.Value)
			out[k].Unknown = out[k].Unknown || item.Unknown
			replaced = true
		}
	}
	if !replaced {
		out = append(out, item)
	}
	return out
}
