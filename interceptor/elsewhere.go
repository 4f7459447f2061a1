package interceptor

import (
	"strings"
)

// Code that runs elsewhere or later.
//
// A terminal multiplexer runs a command in a new window, or types keys
// into a shell that is already running; script(1) runs one in a new
// terminal; at, batch, crontab and job queues run one later; rsync, tar,
// editors and debuggers run one they are given. Such code runs outside
// guard, so it is analysed here, as what it is: a command string, an argv,
// or the text typed into a shell. What cannot be followed (keys that
// recall history, an expect script) is unknown.

// elsewhere follows the code the commands above run; ok is false for
// other commands.
func (w *walker) elsewhere(inv Invocation, st *state) bool {
	switch inv.Name {
	case "script":
		w.a.emit(inv)
		w.scriptCommand(inv, st)
	case "tmux", "byobu", "byobu-tmux":
		w.a.emit(inv)
		w.tmux(inv, st)
	case "screen", "byobu-screen":
		w.a.emit(inv)
		w.screen(inv, st)
	case "at", "batch":
		w.a.emit(inv)
		w.at(inv, st)
	case "crontab":
		w.a.emit(inv)
		w.crontab(inv, st)
	case "expect":
		if len(inv.Args) > 0 && inv.Args[0].Value != "-v" {
			inv.Unknown = "runs an expect script, whose spawned commands guard does not analyse"
		}
		w.a.emit(inv)
	case "rsync":
		w.a.emit(inv)
		w.rsyncShell(inv, st)
	case "scp", "sftp":
		w.a.emit(inv)
		w.scpCommands(inv, st)
	case "socat":
		w.a.emit(inv)
		w.socatCommands(inv, st)
	case "tar", "gtar", "bsdtar":
		w.a.emit(inv)
		w.tarCommands(inv, st)
	case "vim", "vi", "nvim", "ex", "view", "gvim", "less", "more":
		w.a.emit(inv)
		w.editorCommands(inv, st)
	case "pueue", "sem":
		w.a.emit(inv)
		w.queued(inv, st)
	case "gdb":
		w.a.emit(inv)
		for i, a := range inv.Args {
			if a.Value == "--args" && i+1 < len(inv.Args) {
				w.runArgv("gdb --args", inv.Args[i+1:], inv.Cwd, inv, st)
				break
			}
		}
	case "perf":
		w.a.emit(inv)
		if len(inv.Args) > 0 && (inv.Args[0].Value == "record" || inv.Args[0].Value == "stat" || inv.Args[0].Value == "trace") {
			i, opts, more := skipOptions(inv.Args[1:], optSpec{short: "eoFcpCtuGIm", long: []string{"--event", "--output", "--freq", "--count", "--pid", "--cpu", "--tid", "--uid", "--cgroup"}})
			if _, p := opts["-p"]; more && !p {
				w.runArgv("perf "+inv.Args[0].Value, inv.Args[1+i:], inv.Cwd, inv, st)
			}
		}
	default:
		return false
	}
	return true
}

// queued follows "pueue add CMD..." and GNU parallel's "sem CMD...": they
// join their operands into a command string for a shell to run later.
func (w *walker) queued(inv Invocation, st *state) {
	args := inv.Args
	spec := optSpec{short: "jP", long: []string{"--jobs", "--id", "--semaphorename", "--timeout", "--tmpdir"}}
	link := "sem"
	if inv.Name == "pueue" {
		if len(args) == 0 || args[0].Value != "add" {
			return
		}
		args = args[1:]
		spec = optSpec{short: "wglaod", long: []string{"--working-directory", "--group", "--label", "--after", "--priority", "--delay"}}
		link = "pueue add"
	}
	i, _, more := skipOptions(args, spec)
	if !more {
		return
	}
	var cmd []string
	unknown := false
	for _, a := range args[i:] {
		cmd = append(cmd, a.Value)
		unknown = unknown || a.Unknown
	}
	w.runString(link, Word{Value: strings.Join(cmd, " "), Unknown: unknown}, inv.Cwd, inv, st)
}

// runArgv analyses argv as a command run through link, in cwd.
func (w *walker) runArgv(link string, argv []Word, cwd string, inv Invocation, st *state) {
	n := st.nested(link)
	n.cwd = cwd
	sub := Invocation{Text: inv.Text, Cwd: n.cwd, Home: n.home, Chain: n.chain, Remote: n.remote}
	w.run(sub, argv, n)
}

// runString analyses src as a command string run through link, in cwd.
func (w *walker) runString(link string, src Word, cwd string, inv Invocation, st *state) {
	in := inv
	in.Cwd = cwd
	if src.Unknown {
		n := st.nested(link)
		w.a.unknown(n, inv.Text, link+" runs a command string that cannot be known ("+src.String()+")")
		return
	}
	w.nestedString(link, src.Value, &in, st)
}

// scriptCommand follows "script -c CMD", which runs CMD with the user's
// shell in a new terminal.
func (w *walker) scriptCommand(inv Invocation, st *state) {
	cmd, ok := longOrShort(inv.Args, "--command", "")
	if !ok {
		cmd, ok = optionValue(inv.Args, "-c")
	}
	if ok {
		w.runString("script -c", cmd, inv.Cwd, inv, st)
	}
}

// tmuxCommand returns the full name of a tmux command given by its short
// name, and other names unchanged. (Switches, not maps: nothing is built
// at start-up.)
func tmuxCommand(name string) string {
	switch name {
	case "new":
		return "new-session"
	case "neww":
		return "new-window"
	case "splitw":
		return "split-window"
	case "respawnp":
		return "respawn-pane"
	case "respawnw":
		return "respawn-window"
	case "run":
		return "run-shell"
	case "send":
		return "send-keys"
	case "popup":
		return "display-popup"
	case "pipep":
		return "pipe-pane"
	case "if":
		return "if-shell"
	}
	return name
}

// tmuxValued returns, for a tmux command that runs code, the flags that
// take a value; false for the other commands.
func tmuxValued(name string) (string, bool) {
	switch name {
	case "new-session":
		return "cefFnstxy", true
	case "new-window":
		return "cenFt", true
	case "split-window":
		return "celFpt", true
	case "respawn-pane", "respawn-window":
		return "cet", true
	case "display-popup":
		return "bcdehsStTwxy", true
	case "run-shell":
		return "cdt", true
	case "send-keys":
		return "Nt", true
	case "pipe-pane", "if-shell":
		return "t", true
	}
	return "", false
}

// tmux follows what tmux runs: "tmux -c CMD", the shell command of a new
// session, window or pane, run-shell, if-shell and pipe-pane, and the keys
// send-keys types into a pane. Commands may be chained with ";".
func (w *walker) tmux(inv Invocation, st *state) {
	args := inv.Args
	i, opts, _ := skipOptions(args, optSpec{short: "cfLST"})
	if c, ok := opts["-c"]; ok {
		w.runString("tmux -c", Word{Value: c, Unknown: strings.Contains(c, UnknownMark)}, inv.Cwd, inv, st)
	}
	rest := args[min(i, len(args)):]
	for len(rest) > 0 {
		end := 0
		for end < len(rest) && rest[end].Value != ";" {
			end++
		}
		w.tmuxCommand(rest[:end], inv, st)
		if end == len(rest) {
			break
		}
		rest = rest[end+1:]
	}
}

// tmuxCommand follows one tmux command.
func (w *walker) tmuxCommand(cmd []Word, inv Invocation, st *state) {
	if len(cmd) == 0 {
		return
	}
	if cmd[0].Unknown {
		w.a.unknown(st.nested("tmux"), inv.Text, "runs a tmux command that cannot be known ("+cmd[0].String()+")")
		return
	}
	name := tmuxCommand(cmd[0].Value)
	valued, runs := tmuxValued(name)
	if !runs {
		return
	}
	i, flags, _ := skipOptions(cmd[1:], optSpec{short: valued})
	i++ // past the command name
	ops := cmd[min(i, len(cmd)):]
	// A new session starts in the client's directory; other panes and
	// run-shell in one that cannot be known here, unless the start
	// directory is given (-c; display-popup's -d).
	cwd := ""
	if name == "new-session" {
		cwd = inv.Cwd
	}
	dirFlag := "-c"
	if name == "display-popup" {
		dirFlag = "-d"
	}
	if d, ok := flags[dirFlag]; ok {
		cwd = ""
		if !strings.Contains(d, UnknownMark) {
			cwd = ResolvePath(inv.Cwd, d)
		}
	}
	link := "tmux " + name
	switch name {
	case "send-keys":
		w.typedKeys(link, ops, flags, inv, st)
	case "run-shell":
		if _, tmuxCmd := flags["-C"]; tmuxCmd || len(ops) == 0 {
			return
		}
		w.runString(link, ops[0], cwd, inv, st)
	case "if-shell":
		if _, format := flags["-F"]; format || len(ops) == 0 {
			return
		}
		w.runString(link, ops[0], cwd, inv, st)
	case "pipe-pane":
		if len(ops) > 0 {
			w.runString(link, ops[0], cwd, inv, st)
		}
	default: // new-session, new-window, split-window, respawn-*, display-popup
		switch len(ops) {
		case 0:
		case 1:
			w.runString(link, ops[0], cwd, inv, st)
		default:
			w.runArgv(link, ops, cwd, inv, st)
		}
	}
}

// typedKeys analyses the keys tmux send-keys types into a pane as what a
// shell there would read: key names such as Enter, Space and C-c are
// keys, other arguments text (all of them with -l). Keys that make the
// shell run something not typed here (Up, C-r, Tab) are unknown. Where the
// pane is and what runs in it are not known: the text is judged as shell
// code in an unknown directory.
func (w *walker) typedKeys(link string, keys []Word, flags map[string]string, inv Invocation, st *state) {
	if _, ok := flags["-X"]; ok {
		return // copy-mode commands
	}
	if _, ok := flags["-H"]; ok {
		w.a.unknown(st.nested(link), inv.Text, link+" -H types keys given in hexadecimal, which guard does not follow")
		return
	}
	_, literal := flags["-l"]
	var text strings.Builder
	line := 0 // where the current line starts in text
	for _, k := range keys {
		v := k.Value
		if k.Unknown {
			w.a.unknown(st.nested(link), inv.Text, link+" types keys that cannot be known ("+k.String()+")")
			return
		}
		if literal || !tmuxKeyName(v) {
			text.WriteString(v)
			continue
		}
		switch v {
		case "Enter", "C-m", "KPEnter", "C-j":
			text.WriteString("\n")
			line = text.Len()
		case "Space":
			text.WriteString(" ")
		case "C-c", "C-u":
			s := text.String()[:line]
			text.Reset()
			text.WriteString(s)
		case "BSpace", "C-h":
			if s := text.String(); len(s) > line {
				text.Reset()
				text.WriteString(s[:len(s)-1])
			}
		case "Escape", "C-l", "C-d", "C-z", "C-\\":
		default:
			w.a.unknown(st.nested(link), inv.Text, link+" types "+v+", which makes the shell in the pane run what guard cannot see")
			return
		}
	}
	if strings.TrimSpace(text.String()) == "" {
		return
	}
	w.runString(link, Word{Value: text.String()}, "", inv, st)
}

// tmuxKeyName reports whether tmux reads s as the name of a key rather
// than as text to type.
func tmuxKeyName(s string) bool {
	switch s {
	case "Enter", "Escape", "Space", "Tab", "BTab", "BSpace", "Up", "Down", "Left", "Right",
		"Home", "End", "IC", "DC", "NPage", "PPage", "PageUp", "PageDown", "KPEnter", "Any":
		return true
	}
	if len(s) >= 3 && (s[0] == 'C' || s[0] == 'M' || s[0] == 'S') && s[1] == '-' {
		return true
	}
	if len(s) >= 2 && s[0] == 'F' && strings.Trim(s[1:], "0123456789") == "" {
		return true
	}
	return false
}

// screen follows what GNU screen runs: the command of a new window, and
// with -X the commands "stuff" (keys typed into a window), "screen" and
// "exec".
func (w *walker) screen(inv Invocation, st *state) {
	args := inv.Args
	remote, attach := false, false
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if len(v) < 2 || v[0] != '-' {
			break
		}
		switch v {
		case "-X":
			remote = true
			continue
		case "-Logfile":
			i++
			continue
		case "-ls", "-list", "-wipe", "-v", "-Q":
			attach = true
			continue
		}
		// A cluster of flags (-dmS name): a letter that takes a value
		// ends it.
		for j := 1; j < len(v); j++ {
			c := v[j]
			if c == 'r' || c == 'R' || c == 'x' {
				attach = true
			}
			if strings.IndexByte("cehpSTts", c) >= 0 {
				if j == len(v)-1 {
					i++
				}
				break
			}
		}
	}
	if attach && !remote {
		return // reattaches or lists: runs nothing new
	}
	ops := args[min(i, len(args)):]
	if len(ops) == 0 {
		return
	}
	if !remote {
		w.runArgv("screen", ops, inv.Cwd, inv, st)
		return
	}
	switch ops[0].Value {
	case "stuff":
		if len(ops) > 1 {
			text := ops[1]
			for _, nl := range []string{`\n`, `\r`, `^M`, `^J`, `\015`, `\012`} {
				text.Value = strings.ReplaceAll(text.Value, nl, "\n")
			}
			w.runString("screen -X stuff", text, "", inv, st)
		}
	case "screen":
		if len(ops) > 1 {
			w.runArgv("screen -X screen", ops[1:], "", inv, st)
		}
	case "exec":
		rest := ops[1:]
		if len(rest) > 0 && strings.Trim(rest[0].Value, ".!:|") == "" {
			rest = rest[1:] // the descriptor pattern
		}
		if len(rest) > 0 {
			w.runArgv("screen -X exec", rest, "", inv, st)
		}
	}
}

// at follows the commands at and batch read to run later with sh: from
// stdin, or from the file given with -f.
func (w *walker) at(inv Invocation, st *state) {
	link := inv.Name
	for i := 0; i < len(inv.Args); i++ {
		v := inv.Args[i].Value
		switch {
		case v == "-l" || v == "-d" || v == "-r" || v == "-c" || v == "-V":
			return // lists, removes or shows jobs
		case v == "-f" && i+1 < len(inv.Args):
			text, known, why := w.scriptFile(inv.Args[i+1], st)
			if !known {
				w.a.unknown(st.nested(link), inv.Text, link+" runs a script later "+why)
				return
			}
			w.runString(link, Word{Value: text}, inv.Cwd, inv, st)
			return
		case v == "-q" || v == "-t":
			i++
		}
	}
	if inv.Stdin == nil {
		return // from the terminal: typed by a person
	}
	if !inv.Stdin.Known {
		w.a.unknown(st.nested(link), inv.Text, link+" runs commands read from "+inv.Stdin.From+" later, which cannot be checked")
		return
	}
	w.runString(link, Word{Value: inv.Stdin.Data}, inv.Cwd, inv, st)
}

// crontab follows a new crontab: each job's command is shell code that
// cron runs later, in the user's home directory.
func (w *walker) crontab(inv Invocation, st *state) {
	var file *Word
	for i := 0; i < len(inv.Args); i++ {
		v := inv.Args[i].Value
		switch {
		case v == "-l" || v == "-e" || v == "-r" || v == "-i" || v == "-V" || v == "-T":
			return // lists, edits interactively, removes
		case v == "-u" || v == "-s" || v == "-n" || v == "-c":
			if v == "-u" {
				i++
			}
		case v == "-":
			file = nil
		default:
			f := inv.Args[i]
			file = &f
		}
	}
	var table *Stream
	if file != nil {
		text, known, why := w.scriptFile(*file, st)
		if !known {
			w.a.unknown(st.nested("crontab"), inv.Text, "installs cron jobs from a file "+why)
			return
		}
		table = &Stream{Known: true, Data: text}
	} else {
		table = inv.Stdin
	}
	if table == nil {
		return
	}
	if !table.Known {
		w.a.unknown(st.nested("crontab"), inv.Text, "installs cron jobs read from "+table.From+", which cannot be checked")
		return
	}
	for _, line := range strings.Split(table.Data, "\n") {
		if cmd := cronCommand(line); cmd != "" {
			w.runString("crontab", Word{Value: cmd}, inv.Home, inv, st)
		}
	}
}

// cronCommand returns the command of one crontab line: after the five time
// fields or an @keyword, up to the first unescaped % (what follows is the
// command's stdin). Comments, blank lines and variable settings have none.
func cronCommand(line string) string {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return ""
	}
	fields := 5
	if line[0] == '@' {
		fields = 1
	} else if k, _, ok := strings.Cut(line, "="); ok && !strings.ContainsAny(k, " \t") {
		return "" // NAME=value
	}
	rest := line
	for n := 0; n < fields; n++ {
		rest = strings.TrimLeft(rest, " \t")
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return ""
		}
		rest = rest[i:]
	}
	rest = strings.TrimSpace(rest)
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\\' {
			i++
			continue
		}
		if rest[i] == '%' {
			return rest[:i]
		}
	}
	return rest
}

// tarCommands follows the commands GNU tar runs: --to-command for each
// file, --checkpoint-action=exec=, the compression program of
// -I/--use-compress-program, and the volume scripts of -F.
func (w *walker) tarCommands(inv Invocation, st *state) {
	for _, long := range []string{"--to-command", "--use-compress-program", "--rsh-command"} {
		if cmd, ok := longOrShort(inv.Args, long, ""); ok {
			w.runString("tar "+long, cmd, inv.Cwd, inv, st)
		}
	}
	if cmd, ok := longOrShort(inv.Args, "", "-I"); ok && !tarOldStyle(inv.Args) {
		w.runString("tar -I", cmd, inv.Cwd, inv, st)
	}
	for _, a := range inv.Args {
		if act, ok := strings.CutPrefix(a.Value, "--checkpoint-action="); ok {
			if cmd, ok := strings.CutPrefix(act, "exec="); ok {
				w.runString("tar --checkpoint-action", Word{Value: cmd, Unknown: a.Unknown}, inv.Cwd, inv, st)
			}
		}
	}
	// The volume script is a command: GNU tar runs it with /bin/sh -c
	// (sys_exec_info_script), so a path runs that script and anything else
	// runs as shell code.
	for _, long := range []string{"--info-script", "--new-volume-script"} {
		if cmd, ok := longOrShort(inv.Args, long, ""); ok {
			w.runString("tar "+long, cmd, inv.Cwd, inv, st)
		}
	}
	if cmd, ok := longOrShort(inv.Args, "", "-F"); ok && !tarOldStyle(inv.Args) {
		w.runString("tar -F", cmd, inv.Cwd, inv, st)
	}
}

// tarOldStyle reports whether tar's first argument is a cluster of
// old-style letters without a dash ("czf"), where -I would not be an
// option of its own.
func tarOldStyle(args []Word) bool {
	return len(args) > 0 && !strings.HasPrefix(args[0].Value, "-")
}

// longOrShort returns the value of an option given as --long=V, --long V,
// -sV or -s V (either may be empty: not accepted), and whether it is there.
func longOrShort(args []Word, long, short string) (Word, bool) {
	for i, a := range args {
		v := a.Value
		if v == "--" {
			break
		}
		switch {
		case long != "" && v == long && i+1 < len(args):
			return args[i+1], true
		case long != "" && strings.HasPrefix(v, long+"="):
			return Word{Value: v[len(long)+1:], Unknown: a.Unknown}, true
		case short != "" && v == short && i+1 < len(args):
			return args[i+1], true
		case short != "" && strings.HasPrefix(v, short) && len(v) > len(short) && !strings.HasPrefix(v, "--"):
			return Word{Value: v[len(short):], Unknown: a.Unknown}, true
		}
	}
	return Word{}, false
}

// editorCommands follows the shell commands an editor or pager is told to
// run at start: vim's "-c '!cmd'" and "+!cmd" (":!cmd", "silent !cmd"),
// and less's "+!cmd".
func (w *walker) editorCommands(inv Invocation, st *state) {
	vim := inv.Name != "less" && inv.Name != "more"
	for i := 0; i < len(inv.Args); i++ {
		a := inv.Args[i]
		var cmd Word
		switch {
		case vim && (a.Value == "-c" || a.Value == "--cmd") && i+1 < len(inv.Args):
			i++
			cmd = inv.Args[i]
		case strings.HasPrefix(a.Value, "+") && len(a.Value) > 1:
			cmd = Word{Value: a.Value[1:], Unknown: a.Unknown}
		default:
			continue
		}
		c := strings.TrimLeft(cmd.Value, ": \t")
		if vim {
			c = strings.TrimLeft(strings.TrimPrefix(c, "silent"), " \t")
		}
		shell, ok := strings.CutPrefix(c, "!")
		if !ok {
			continue // an editor command, not a shell command
		}
		w.runString(inv.Name+" !", Word{Value: shell, Unknown: cmd.Unknown}, inv.Cwd, inv, st)
	}
}
