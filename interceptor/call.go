package interceptor

import (
	"encoding/base64"
	"maps"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// call handles one simple command.
func (w *walker) call(c *syntax.CallExpr, s *syntax.Stmt, st *state, in *Stream, redirs []Redirect) *Stream {
	w.valueCode(c, st)
	if len(c.Args) == 0 {
		for _, as := range c.Assigns {
			w.assign(as, st)
		}
		return nil
	}
	if len(st.aliases) > 0 {
		if out, ok := w.alias(c, s, st, in, redirs); ok {
			return out
		}
	}
	var assigns map[string]string
	for _, as := range c.Assigns {
		if assigns == nil {
			assigns = map[string]string{}
		}
		if as.Value == nil {
			assigns[as.Name.Value] = ""
			continue
		}
		assigns[as.Name.Value] = w.word(as.Value, st).Value
	}
	argv := w.fields(c.Args, st)
	if len(argv) == 0 || w.a.stopped {
		return nil
	}
	inv := Invocation{
		Text:      w.text(s),
		Cwd:       st.cwd,
		Home:      st.home,
		Chain:     st.chain,
		Remote:    st.remote,
		Redirects: redirs,
		Stdin:     in,
		Assigns:   assigns,
	}
	if l := int(s.Pos().Line()); l > 1 {
		inv.SourceLine = l
	}
	return w.run(inv, argv, st)
}

// run resolves argv to the command that would run, peeling wrappers,
// following nested code, and emits it. It returns what the command writes
// on stdout, as far as that is known.
func (w *walker) run(inv Invocation, argv []Word, st *state) *Stream {
	noFunc := false
	var execs []Exec
	pathGone := false // a wrapper cleared PATH (env -i)
	for {
		if len(argv) == 0 {
			return nil
		}
		if argv[0].Unknown {
			inv.Args = argv[1:]
			inv.Unknown = "the command name is not static (" + argv[0].String() + "), so what runs cannot be checked"
			if strings.HasPrefix(argv[0].Value, UnknownMark) && inv.Text != "" {
				inv.Unknown = "the command name is computed at run time in `" + inv.Text + "`, so what runs cannot be checked"
			}
			w.a.emit(inv)
			return &Stream{From: "an unknown command"}
		}
		name := baseName(argv[0].Value)
		if body, ok := w.function(st, argv[0].Value); ok && !noFunc {
			return w.callFunc(inv, argv, body, st)
		}
		if p, ok := st.hashedPath(argv[0].Value, execs); ok {
			// bash runs the program it remembers for the name, not
			// the one PATH would find (hash -p).
			argv = append([]Word{p}, argv[1:]...)
			if p.Unknown {
				continue
			}
			name = baseName(p.Value)
		}
		e := execOf(argv[0].Value, &inv, st, execs, pathGone)
		rest, peeled := w.peel(name, argv[1:], &inv, st)
		if !peeled {
			break
		}
		execs = append(execs, e)
		pathGone = pathGone || name == "env" && envClearsPath(argv[1:])
		inv.Wrappers = append(inv.Wrappers, name)
		if name == "command" || name == "builtin" {
			noFunc = true
		}
		argv = rest
	}
	inv.Name = baseName(argv[0].Value)
	inv.Path = argv[0].Value
	inv.Args = argv[1:]
	inv.Execs = append(execs, execOf(argv[0].Value, &inv, st, execs, pathGone))
	return w.command(inv, st)
}

// execOf describes the program (or builtin) name about to run for inv,
// after the execs before it.
func execOf(name string, inv *Invocation, st *state, before []Exec, pathGone bool) Exec {
	e := Exec{Name: name, Cwd: inv.Cwd}
	if !strings.Contains(name, "/") {
		e.Builtin = bashBuiltin(name)
		for _, b := range before {
			e.Builtin = e.Builtin && b.Builtin // a program's execvp finds files only
		}
	}
	switch v, assigned := inv.Assigns["PATH"]; {
	case pathGone:
		e.Search = UnknownMark
	case assigned:
		e.Search = v
	default:
		v, set := st.lookup("PATH")
		if !set {
			v = UnknownMark // bash then searches a default of its own
		}
		e.Search = v
	}
	e.Search = stripKinds(e.Search) // a kind says nothing of a PATH (kinds.go)
	return e
}

// envClearsPath reports whether env's options before the command (args
// are env's) leave it without the PATH it was given: -i, -u PATH.
func envClearsPath(args []Word) bool {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--" || !strings.HasPrefix(v, "-") && !isAssign(v):
			return false // the command
		case v == "-" || v == "-i" || v == "--ignore-environment" || v == "--unset=PATH" || v == "-uPATH":
			return true
		case v == "-u" || v == "--unset" || v == "-C" || v == "--chdir":
			if i+1 < len(args) && args[i+1].Value == "PATH" && v != "-C" && v != "--chdir" {
				return true
			}
			i++ // the option's value
		case v == "-S" || v == "--split-string" || strings.HasPrefix(v, "-S") || strings.HasPrefix(v, "--split-string="):
			return false // the rest is a command string
		case strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--") && !strings.ContainsAny(v, "uCS") && strings.Contains(v, "i"):
			return true // a cluster such as -iv
		}
	}
	return false
}

// bashBuiltin reports the names bash runs itself, without a file.
func bashBuiltin(name string) bool {
	switch name {
	case ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command",
		"compgen", "complete", "compopt", "continue", "declare", "dirs", "disown", "echo",
		"enable", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash",
		"help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd",
		"printf", "pushd", "pwd", "read", "readarray", "readonly", "return", "set", "shift",
		"shopt", "source", "suspend", "test", "times", "trap", "true", "type", "typeset",
		"ulimit", "umask", "unalias", "unset", "wait":
		return true
	}
	return false
}

// callFunc analyses the body of a shell function defined in the script.
func (w *walker) callFunc(inv Invocation, argv []Word, body *syntax.Stmt, st *state) *Stream {
	name := argv[0].Value
	if st.calling[name] {
		if w.async > w.callAsync[name] {
			// :(){ :|:& };: — each call starts two more, concurrently.
			w.a.unknown(st, inv.Text, "the function "+name+" starts copies of itself in a pipeline or the background, without end (a fork bomb): it fills the machine's process table until nothing else can run")
		}
		return nil // recursion: the body has been seen
	}
	if st.depth >= w.a.lim.MaxDepth {
		w.a.unknown(st, inv.Text, "the command nests functions too deeply to check")
		return nil
	}
	args := []string{st.argZero()}
	for _, a := range argv[1:] {
		args = append(args, a.Value)
	}
	saved, savedChain, savedDepth, savedCalling := st.args, st.chain, st.depth, st.calling
	// The body is expanded with the aliases of its definition too; they
	// stay afterwards, which only ever judges more.
	st.aliases = st.withFuncAliases(name)
	st.calling = maps.Clone(st.calling)
	if st.calling == nil {
		st.calling = map[string]bool{}
	}
	st.calling[name] = true
	if w.callAsync == nil {
		w.callAsync = map[string]int{}
	}
	savedAsync, hadAsync := w.callAsync[name]
	w.callAsync[name] = w.async
	defer func() {
		if hadAsync {
			w.callAsync[name] = savedAsync
		} else {
			delete(w.callAsync, name)
		}
	}()
	st.args = args
	st.chain = append(append([]string(nil), st.chain...), name+"()")
	st.depth++
	savedSrc := w.src
	if src, ok := w.a.bodySrc[body]; ok {
		w.src = src // the body's positions point into its own text
	}
	untemp := st.tempAssigns(inv) // X=rm f: X holds while f runs
	restore := w.ownScope()
	savedFrame := st.frame
	frame := &localFrame{}
	st.frame = frame
	out := w.stmt(body, st, inv.Stdin)
	st.restoreLocals(frame)
	st.frame = savedFrame
	restore()
	untemp()
	w.src = savedSrc
	st.args, st.chain, st.depth, st.calling = saved, savedChain, savedDepth, savedCalling
	return out
}

func (s *state) argZero() string {
	if len(s.args) > 0 {
		return s.args[0]
	}
	return "bash"
}

// command handles the command after wrappers: builtins that change the
// state, nested code, and the emission of the invocation.
func (w *walker) command(inv Invocation, st *state) *Stream {
	w.commandVars(inv, st)
	w.hostingChannels(inv, st)
	switch inv.Name {
	case "cd":
		w.cd(inv, st)
	case "pushd":
		if d := firstOperand(inv.Args); d != nil {
			st.dirs = append(st.dirs, st.cwd)
			w.cd(Invocation{Args: []Word{*d}}, st)
		}
	case "popd":
		if n := len(st.dirs); n > 0 {
			st.old, st.cwd = st.cwd, st.dirs[n-1]
			st.dirs = st.dirs[:n-1]
		}
	case "set":
		for i, a := range inv.Args {
			if a.Value == "--" {
				st.args = append([]string{st.argZero()}, values(inv.Args[i+1:])...)
				break
			}
			if a.Unknown || strings.HasPrefix(a.Value, "-") || strings.HasPrefix(a.Value, "+") {
				st.setVar("-", UnknownMark) // an option changes $-
			}
		}
		st.setAllexport(inv.Args, w.a.certain())
	case "return", "exit":
		// Certain to run here, it ends the code it is in: what follows
		// does not run ("case $- in *i*) ;; *) return;; esac" at the top
		// of an rc file a non-interactive shell sources).
		if w.sure && inv.Path == inv.Name && builtinWrappersOnly(inv.Wrappers) && (inv.Name == "exit" || w.returns) {
			w.ended = true
		}
	case "shift":
		if len(st.args) > 1 {
			st.args = append([]string{st.args[0]}, st.args[2:]...)
		}
	case "unset":
		for _, a := range inv.Args {
			if a.Value == "-f" || a.Value == "-v" {
				continue
			}
			st.unsetVar(a.Value)
			st.dropFunc(a.Value)
		}
	case "hash":
		st.hash(inv.Args)
	case "test", "[":
		// -v NAME[SUBSCRIPT] evaluates the subscript (arith.go).
		for i, a := range inv.Args {
			if a.Value == "-v" && i+1 < len(inv.Args) {
				w.subscriptCode(inv.Args[i+1].Value, st)
			}
		}
	case "read", "mapfile", "readarray", "getopts":
		for _, a := range inv.Args {
			if !strings.HasPrefix(a.Value, "-") && isName(a.Value) {
				st.setVar(a.Value, UnknownMark)
			}
		}
		if inv.Name == "mapfile" || inv.Name == "readarray" {
			// -C CALLBACK is evaluated for lines read.
			if cb, ok := optionValue(inv.Args, "-C"); ok {
				w.a.emit(inv)
				w.runString(inv.Name+" -C", cb, inv.Cwd, inv, st)
				return nil
			}
		}
	case "complete", "compgen":
		// -C COMMAND runs COMMAND to list completions (compgen at once).
		// Completion functions (-F) run only when a person presses Tab;
		// they are judged with what they run then.
		if cmd, ok := optionValue(inv.Args, "-C"); ok {
			w.a.emit(inv)
			w.runString(inv.Name+" -C", cmd, inv.Cwd, inv, st)
			return nil
		}
	case "bind":
		// -x 'KEYSEQ: COMMAND' runs COMMAND when the keys are pressed.
		if b, ok := optionValue(inv.Args, "-x"); ok {
			w.a.emit(inv)
			b.Value = bindCommand(b.Value)
			w.runString("bind -x", b, inv.Cwd, inv, st)
			return nil
		}
	case "enable":
		if _, ok := optionValue(inv.Args, "-f"); ok {
			inv.Unknown = "enable -f loads a shared object into bash as a builtin: code guard cannot see"
		}
	case "fc":
		if _, list := optionValue(inv.Args, "-l"); !list && !hasFlag(inv.Args, 'l') {
			inv.Unknown = "fc runs a command again from the shell's history, which guard cannot see"
		}
	case "export", "local", "declare", "typeset", "readonly":
		// Reached only through a wrapper ("builtin export X=1").
		w.declWords(inv.Name, inv.Args, st)
	case "git":
		inv.Cwd = chdirOption(inv, "-C", "", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path")
		w.a.emit(inv)
		w.gitRuns(inv, st)
		return &Stream{From: "git"}
	case "make":
		inv.Cwd = chdirOption(inv, "-C", "--directory=")
	case "terraform", "tofu":
		inv.Cwd = chdirOption(inv, "", "-chdir=")
	case "trap":
		w.a.emit(inv)
		w.trap(inv, st)
		return nil
	case "alias":
		w.defineAliases(inv, st)
	case "unalias":
		w.unalias(inv, st)
	case "eval":
		w.a.emit(inv)
		w.eval(inv, st)
		return nil
	case "source", ".":
		w.a.emit(inv)
		w.source(inv, st)
		return nil
	case "su":
		w.a.emit(inv)
		w.su(inv, st)
		return nil
	case "ssh":
		w.a.emit(inv)
		w.ssh(inv, st)
		return nil
	case "docker", "podman", "docker-compose", "kubectl", "oc":
		w.a.emit(inv)
		w.containerExec(inv, st)
		return &Stream{From: inv.Name}
	case "find":
		w.a.emit(inv)
		match := w.findExec(inv, st)
		return &Stream{From: "find", Items: []Word{match}}
	}
	if isShell(inv.Name) {
		return w.shell(inv, st)
	}
	if inv.Name == "guard" {
		return w.guard(inv, st)
	}
	if out, ok := w.writtenScript(inv, st); ok {
		return out
	}
	if w.elsewhere(inv, st) {
		return &Stream{From: inv.Name}
	}
	if isInterpreter(inv.Name) && inv.Stdin != nil && !inv.Stdin.Known && !hasOperand(inv.Args) {
		inv.Unknown = inv.Name + " runs code read from " + inv.Stdin.From + ", which cannot be checked before it runs"
	}
	w.diskScript(inv, st)
	w.nodeOptions(inv, st)
	w.a.emit(inv)
	w.taskRunner(inv, st)
	w.openLauncher(inv, st)
	w.noteCommandWrites(&inv, st)
	w.noteLinks(&inv, st)
	if w.needOut == 0 {
		return nil // nothing reads what it writes (see stmtsOut)
	}
	return w.output(&inv, st)
}

// cd moves the working directory of st.
func (w *walker) cd(inv Invocation, st *state) {
	d := firstOperand(inv.Args)
	switch {
	case d == nil:
		// cd alone goes to $HOME: nowhere when HOME is unset ("cd: HOME
		// not set") or empty, relative to the directory when relative.
		if h, set := st.lookup("HOME"); set && h != "" {
			st.old, st.cwd = st.cwd, ResolvePath(st.cwd, h)
		}
	case d.Value == "-":
		st.old, st.cwd = st.cwd, st.old
	default:
		st.old, st.cwd = st.cwd, ResolvePath(st.cwd, d.Value)
	}
}

func firstOperand(args []Word) *Word {
	for i := range args {
		v := args[i].Value
		if v == "--" {
			if i+1 < len(args) {
				return &args[i+1]
			}
			return nil
		}
		if strings.HasPrefix(v, "-") && v != "-" {
			continue
		}
		return &args[i]
	}
	return nil
}

func hasOperand(args []Word) bool {
	for _, a := range args {
		if !strings.HasPrefix(a.Value, "-") {
			return true
		}
	}
	return false
}

func values(ws []Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Value
	}
	return out
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// chdirOption returns the working directory a command moves to through an
// option such as "git -C DIR" or "terraform -chdir=DIR" given before its
// first operand, or inv.Cwd when there is none.
//
// valued lists the other options before the first operand that take the
// next word as their value ("git -c k=v").
func chdirOption(inv Invocation, short, long string, valued ...string) string {
	cwd := inv.Cwd
	for i := 0; i < len(inv.Args); i++ {
		v := inv.Args[i].Value
		switch {
		case short != "" && v == short && i+1 < len(inv.Args):
			cwd = ResolvePath(cwd, inv.Args[i+1].Value)
			i++
		case long != "" && strings.HasPrefix(v, long):
			cwd = ResolvePath(cwd, v[len(long):])
		case contains(valued, v):
			i++
		case !strings.HasPrefix(v, "-"):
			return cwd
		}
	}
	return cwd
}

// output returns what a command writes on stdout when it can be known: the
// producers that feed a pipe into a shell or a database client.
func (w *walker) output(inv *Invocation, st *state) *Stream {
	from := inv.Name
	if inv.Unknown != "" || inv.Remote != "" {
		return &Stream{From: from}
	}
	for _, a := range inv.Args {
		if a.Unknown {
			return &Stream{From: from}
		}
	}
	switch inv.Name {
	case ":", "true", "false":
		return &Stream{Known: true, From: inv.Name}
	case "echo":
		args, newline, escapes := inv.Args, true, false
		for len(args) > 0 && len(args[0].Value) > 1 && strings.Trim(args[0].Value, "-neE") == "" && args[0].Value[0] == '-' {
			newline = newline && !strings.Contains(args[0].Value, "n")
			escapes = strings.Contains(args[0].Value, "e")
			args = args[1:]
		}
		s := strings.Join(values(args), " ")
		if escapes {
			if f, _, err := expand.Format(nil, "%b", []string{bashOctal(s, escEcho)}); err == nil {
				s = f
			}
		}
		if newline {
			s += "\n"
		}
		return &Stream{Known: true, Data: s, From: "echo"}
	case "printf":
		if len(inv.Args) == 0 || inv.Args[0].Value == "-v" {
			return &Stream{From: from}
		}
		args := inv.Args
		if args[0].Value == "--" {
			args = args[1:]
		}
		if len(args) == 0 {
			return &Stream{From: from}
		}
		format, rest := args[0].Value, values(args[1:])
		var b strings.Builder
		for {
			s, n, err := bashPrintf(format, rest)
			if err != nil || !w.a.spend(len(s)) {
				return &Stream{From: from}
			}
			b.WriteString(s)
			if n <= 0 || n >= len(rest) {
				break
			}
			rest = rest[n:]
		}
		return &Stream{Known: true, Data: b.String(), From: "printf"}
	case "cat":
		var files []Word
		for _, a := range inv.Args {
			if strings.HasPrefix(a.Value, "-") && a.Value != "-" {
				continue
			}
			files = append(files, a)
		}
		if len(files) == 0 || (len(files) == 1 && files[0].Value == "-") {
			if inv.Stdin != nil {
				return inv.Stdin
			}
			return &Stream{From: "cat"}
		}
		var b strings.Builder
		for _, f := range files {
			s := w.readFile(f, &state{cwd: inv.Cwd})
			if !s.Known {
				return s
			}
			b.WriteString(s.Data)
		}
		return &Stream{Known: true, Data: b.String(), From: "cat"}
	case "base64":
		decode := false
		for _, a := range inv.Args {
			switch a.Value {
			case "-d", "--decode", "-D":
				decode = true
			}
		}
		if !decode || inv.Stdin == nil || !inv.Stdin.Known {
			return &Stream{From: "base64"}
		}
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				return -1
			}
			return r
		}, inv.Stdin.Data)
		b, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(clean)
		}
		if err != nil {
			return &Stream{From: "base64"}
		}
		return &Stream{Known: true, Data: string(b), From: "base64 -d"}
	case "tee":
		if inv.Stdin != nil {
			return inv.Stdin
		}
	case "dirname":
		// As GNU dirname: "cd "$(dirname "$0")"" opens many scripts.
		if len(inv.Args) == 0 || strings.HasPrefix(inv.Args[0].Value, "-") {
			return &Stream{From: from}
		}
		var b strings.Builder
		for _, a := range inv.Args {
			b.WriteString(dirName(a.Value) + "\n")
		}
		return &Stream{Known: true, Data: b.String(), From: "dirname"}
	case "basename":
		if n := len(inv.Args); n == 0 || n > 2 || strings.HasPrefix(inv.Args[0].Value, "-") {
			return &Stream{From: from}
		}
		base := baseNameOf(inv.Args[0].Value)
		if len(inv.Args) == 2 && base != inv.Args[1].Value {
			base = strings.TrimSuffix(base, inv.Args[1].Value)
		}
		return &Stream{Known: true, Data: base + "\n", From: "basename"}
	case "pwd":
		// The logical directory; -P resolves links, which analysis does not.
		if inv.Cwd != "" && (len(inv.Args) == 0 || (len(inv.Args) == 1 && inv.Args[0].Value == "-L")) {
			return &Stream{Known: true, Data: inv.Cwd + "\n", From: "pwd"}
		}
	}
	return &Stream{From: from}
}

// optionValue returns the value of the short option opt ("-C") in args,
// given attached ("-Ccmd") or as the next argument, and whether it is
// there. A flag cluster ending in the option ("-uC cmd") counts.
func optionValue(args []Word, opt string) (Word, bool) {
	letter := opt[1]
	for i, a := range args {
		v := a.Value
		if v == "--" {
			break
		}
		if len(v) < 2 || v[0] != '-' || v[1] == '-' {
			continue
		}
		j := strings.IndexByte(v[1:], letter)
		if j < 0 {
			continue
		}
		if rest := v[j+2:]; rest != "" {
			return Word{Value: rest, Unknown: a.Unknown}, true
		}
		if i+1 < len(args) {
			return args[i+1], true
		}
		return Word{}, true
	}
	return Word{}, false
}

// hasFlag reports whether a cluster of short options in args holds c.
func hasFlag(args []Word, c byte) bool {
	for _, a := range args {
		v := a.Value
		if len(v) > 1 && v[0] == '-' && v[1] != '-' && strings.IndexByte(v[1:], c) >= 0 {
			return true
		}
	}
	return false
}

// bindCommand returns the command of a "bind -x" binding: what follows
// the key sequence ("\C-t": cmd).
func bindCommand(b string) string {
	if strings.HasPrefix(b, `"`) {
		for i := 1; i < len(b); i++ {
			if b[i] == '\\' {
				i++
				continue
			}
			if b[i] == '"' {
				b = b[i+1:]
				break
			}
		}
	}
	if _, cmd, ok := strings.Cut(b, ":"); ok {
		return strings.TrimSpace(cmd)
	}
	return b
}

// dirName is what GNU dirname prints for p: p without its last component
// and trailing slashes, "." when nothing is left, "/" for the root.
func dirName(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" {
		if p == "" {
			return "."
		}
		return "/"
	}
	i := strings.LastIndexByte(t, '/')
	if i < 0 {
		return "."
	}
	if d := strings.TrimRight(t[:i], "/"); d != "" {
		return d
	}
	return "/"
}

// baseNameOf is what GNU basename prints for p: its last component,
// trailing slashes ignored.
func baseNameOf(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" {
		if p == "" {
			return ""
		}
		return "/"
	}
	return t[strings.LastIndexByte(t, '/')+1:]
}

// isShell reports whether name is a shell that takes "-c STRING".
func isShell(name string) bool {
	switch name {
	case "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "fish", "rbash":
		return true
	}
	return false
}

// isInterpreter reports whether name runs code read from stdin when given
// no script.
func isInterpreter(name string) bool {
	switch name {
	case "python", "python2", "python3", "node", "nodejs", "perl", "ruby", "php", "lua", "Rscript", "deno", "bun", "tclsh", "osascript", "pwsh":
		return true
	}
	return strings.HasPrefix(name, "python3.")
}

// shell follows what a shell runs: its -c string, a script file, or stdin.
func (w *walker) shell(inv Invocation, st *state) *Stream {
	w.a.emit(inv)
	mode, operands := shellArgs(inv.Args)
	nested := func(link string) *state { return st.newShell(link, inv) }
	w.shellStartup(inv, nested)
	w.rcFile(inv, mode, nested)
	login, posix := loginShell(inv.Name, inv.Args)
	// run is the state the shell's own code runs in: a login shell's
	// profile files run there first.
	run := func(link string) *state {
		n := nested(link)
		if login && inv.Remote == "" {
			w.a.loginStartup(n, posix)
		}
		return n
	}
	switch {
	case mode == 'c':
		if len(operands) == 0 {
			return nil
		}
		n := run(inv.Name + " -c")
		n.args = []string{inv.Name}
		if len(operands) > 1 {
			n.args = values(operands[1:])
		}
		if operands[0].Unknown {
			w.a.unknown(n, inv.Text, inv.Name+" -c runs a command string that cannot be known ("+operands[0].String()+")")
			return &Stream{From: inv.Name}
		}
		w.a.script(operands[0].Value, n)
	case mode == 'f':
		script := operands[0]
		n := run(inv.Name + " " + script.String())
		n.args = values(operands)
		text, known, why := w.scriptFile(script, &state{cwd: inv.Cwd, remote: inv.Remote})
		if !known {
			w.a.unknown(n, inv.Text, inv.Name+" runs a script "+why)
			return &Stream{From: inv.Name}
		}
		w.a.script(text, n)
	default: // reads its script from stdin
		if inv.Stdin == nil {
			return nil // interactive
		}
		n := run(inv.Name + " < " + inv.Stdin.From)
		n.args = append([]string{inv.Name}, values(operands)...)
		if !inv.Stdin.Known {
			w.a.unknown(n, inv.Text, inv.Name+" runs a script read from "+inv.Stdin.From+", which cannot be checked before it runs")
			return &Stream{From: inv.Name}
		}
		w.a.script(inv.Stdin.Data, n)
	}
	return &Stream{From: inv.Name}
}

// shellArgs parses a shell's options as bash does. mode is 'c' for a
// command string (operands[0]), 'f' for a script file (operands[0]), 's'
// for a script read from stdin.
func shellArgs(args []Word) (mode byte, operands []Word) {
	mode = 's'
	cmd := false
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "--" || v == "-" {
			i++
			break
		}
		if strings.HasPrefix(v, "--") {
			switch v {
			case "--rcfile", "--init-file":
				i++
			}
			continue
		}
		if len(v) < 2 || (v[0] != '-' && v[0] != '+') {
			break
		}
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'c':
				cmd = true
			case 'o', 'O':
				i++ // takes the next argument
			}
		}
	}
	operands = args[min(i, len(args)):]
	switch {
	case cmd:
		mode = 'c'
	case len(operands) > 0:
		mode = 'f'
	}
	for _, a := range args[:min(i, len(args))] {
		if a.Value != "--" && !strings.HasPrefix(a.Value, "--") && strings.Contains(a.Value, "s") && strings.HasPrefix(a.Value, "-") && !cmd {
			mode = 's'
		}
	}
	return mode, operands
}

// eval analyses the text eval would run.
func (w *walker) eval(inv Invocation, st *state) {
	if len(inv.Args) > 0 && inv.Args[0].Value == "--" {
		inv.Args = inv.Args[1:]
	}
	if len(inv.Args) == 1 {
		if k, tool, rest, ok := ValueKindOf(inv.Args[0].Value); ok && k == KindSetup && rest == "" {
			w.setupEval(tool, st) // eval "$(pyenv init -)" (setup.go)
			return
		}
	}
	for _, a := range inv.Args {
		if a.Unknown {
			w.a.unknown(st, inv.Text, "eval runs text that cannot be known ("+strings.Join(wordStrings(inv.Args), " ")+")")
			return
		}
	}
	src := strings.Join(values(inv.Args), " ")
	defer st.tempAssigns(inv)() // X=rm eval …: X holds while it runs
	saved, savedDepth := st.chain, st.depth
	st.chain = append(append([]string(nil), st.chain...), "eval")
	st.depth++
	// Large text that only defines things (Cursor's saved state) is kept
	// in the cache like a sourced file.
	const minCachedEval = 16 << 10
	if len(src) < minCachedEval || !w.sourceCached("\x00eval", src, st) {
		w.a.script(src, st)
	}
	st.chain, st.depth = saved, savedDepth
}

func wordStrings(ws []Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

// source analyses a sourced file in the current state.
func (w *walker) source(inv Invocation, st *state) {
	if len(inv.Args) == 0 {
		return
	}
	f := inv.Args[0]
	text, known, why := w.scriptFile(f, st)
	if !known {
		w.a.unknown(st, inv.Text, "sources a file "+why)
		return
	}
	if text == "" {
		return // a file that does not exist runs nothing
	}
	saved, savedDepth, savedArgs := st.chain, st.depth, st.args
	st.chain = append(append([]string(nil), st.chain...), "source "+f.Value)
	st.depth++
	if len(inv.Args) > 1 {
		st.args = append([]string{st.argZero()}, values(inv.Args[1:])...)
	}
	p := ResolvePath(st.cwd, f.Value)
	defer st.tempAssigns(inv)() // X=rm . file: X holds while it runs
	if !w.sourceCached(p, text, st) {
		w.a.sourced(text, st)
	}
	st.chain, st.depth, st.args = saved, savedDepth, savedArgs
}

// su follows "su -c STRING".
func (w *walker) su(inv Invocation, st *state) {
	for i := 0; i < len(inv.Args); i++ {
		v := inv.Args[i].Value
		var cmd *Word
		switch {
		case (v == "-c" || v == "--command") && i+1 < len(inv.Args):
			cmd = &inv.Args[i+1]
		case strings.HasPrefix(v, "--command="):
			cmd = &Word{Value: v[len("--command="):], Unknown: inv.Args[i].Unknown}
		}
		if cmd == nil {
			continue
		}
		n := st.nested("su -c")
		n.home = "" // the other user's home
		n.cwd = inv.Cwd
		n.otherUser()
		if cmd.Unknown {
			w.a.unknown(n, inv.Text, "su -c runs a command string that cannot be known")
			return
		}
		w.a.script(cmd.Value, n)
		return
	}
}

// ssh follows the command given to ssh, which runs on the remote host,
// and the commands its options run here (remoteshell.go). ssh reads
// options before the host and again after it, up to the first word of
// the remote command.
func (w *walker) ssh(inv Invocation, st *state) {
	opts, operands := getoptArgs(inv.Args, sshValued, nil, false)
	var rest []Word
	if len(operands) > 0 {
		var more []getoptOpt
		more, rest = getoptArgs(operands[1:], sshValued, nil, false)
		opts = append(opts, more...)
	}
	w.sshOptions("ssh", opts, inv, st)
	if len(operands) == 0 || len(rest) == 0 {
		return // no host, or an interactive login
	}
	host := operands[0].String()
	n := st.nested("ssh " + host)
	n.remote, n.cwd, n.home, n.vars, n.funcs, n.args = "ssh "+host, "", "", nil, nil, nil
	src := strings.Join(values(rest), " ")
	for _, a := range rest {
		if a.Unknown {
			w.a.unknown(n, inv.Text, "ssh runs a remote command that cannot be known ("+strings.Join(wordStrings(rest), " ")+")")
			return
		}
	}
	w.a.script(src, n)
}

// containerExec follows "docker exec", "kubectl exec" and their kin.
func (w *walker) containerExec(inv Invocation, st *state) {
	args := inv.Args
	var rest []Word
	var where, workdir, entrypoint string
	var mounts []Mount
	switch inv.Name {
	case "docker", "podman", "docker-compose":
		i := 0
		if inv.Name != "docker-compose" && len(args) > 0 && args[0].Value == "compose" {
			i = 1
		}
		if i >= len(args) || (args[i].Value != "exec" && args[i].Value != "run") {
			return
		}
		compose := i == 1 || inv.Name == "docker-compose"
		isRun := args[i].Value == "run"
		i++
		for ; i < len(args); i++ {
			v := args[i].Value
			if v == "--" {
				i++
				break
			}
			if !strings.HasPrefix(v, "-") {
				break
			}
			name, val, eq := strings.Cut(v, "=")
			if !eq && takesValue(v, "-e --env -u --user -w --workdir --env-file --detach-keys --name --entrypoint -v --volume -p --publish --network --mount --platform -l --label --index") {
				if i+1 < len(args) {
					val = args[i+1].Value
					if args[i+1].Unknown {
						val = UnknownMark
					}
				}
				i++
			}
			if isRun && !compose {
				switch name {
				case "-v", "--volume", "--mount":
					if m, ok := parseMount(name, val, inv.Cwd); ok {
						mounts = append(mounts, m)
					}
				case "-w", "--workdir":
					if strings.HasPrefix(val, "/") && !strings.Contains(val, UnknownMark) {
						workdir = path.Clean(val)
					}
				case "--entrypoint":
					entrypoint = val
				}
			}
		}
		if i >= len(args) {
			return
		}
		where = inv.Name + " exec " + args[i].String()
		if isRun {
			where = inv.Name + " run " + args[i].String()
		}
		if compose {
			where = "docker compose exec " + args[i].String()
		}
		rest = args[i+1:]
		if isRun && !compose {
			// docker run IMAGE ARGS gives ARGS to the image's entrypoint:
			// docker run curlimages/curl -X DELETE URL is curl.
			if entrypoint == "" && !args[i].Unknown {
				entrypoint = imageEntrypoint(args[i].Value)
			}
			if entrypoint != "" {
				rest = append([]Word{{Value: entrypoint, Unknown: strings.Contains(entrypoint, UnknownMark)}}, rest...)
			}
		}
	case "kubectl", "oc":
		i := 0
		for ; i < len(args) && args[i].Value != "exec"; i++ {
			v := args[i].Value
			if !strings.HasPrefix(v, "-") {
				return
			}
			if !strings.Contains(v, "=") && takesValue(v, "-n --namespace --context --kubeconfig --cluster --user -s --server --token --as --request-timeout") {
				i++
			}
		}
		if i >= len(args) {
			return
		}
		for j := i + 1; j < len(args); j++ {
			if args[j].Value == "--" {
				rest = args[j+1:]
				break
			}
			if !strings.HasPrefix(args[j].Value, "-") && where == "" {
				where = "kubectl exec " + args[j].String()
			}
		}
		if where == "" {
			where = "kubectl exec"
		}
	}
	if len(rest) == 0 {
		return
	}
	n := st.nested(where)
	n.remote, n.cwd, n.home, n.vars, n.funcs, n.args = where, workdir, "", nil, nil, nil
	sub := Invocation{Text: inv.Text, Cwd: workdir, Chain: n.chain, Remote: where, Stdin: inv.Stdin}
	if len(mounts) > 0 {
		saved, savedRemote := w.a.mounts, w.a.mountRemote
		w.a.mounts, w.a.mountRemote = mounts, where
		defer func() { w.a.mounts, w.a.mountRemote = saved, savedRemote }()
	}
	w.run(sub, rest, n)
}

// imageEntrypoint returns the program a well-known single-tool image runs
// its arguments with (its ENTRYPOINT), "" for others, whose arguments are
// the command itself. The registry and the tag do not matter.
func imageEntrypoint(image string) string {
	name, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "docker.io/")
	name = strings.TrimPrefix(name, "library/")
	if i := strings.IndexByte(name, '/'); i >= 0 && strings.ContainsAny(name[:i], ".:") {
		name = name[i+1:] // a registry host: ghcr.io/..., quay.io/...
	}
	switch name {
	case "curlimages/curl", "appropriate/curl", "alpine/curl", "byrnedo/alpine-curl":
		return "curl"
	case "alpine/httpie", "clue/httpie":
		return "http"
	case "orange-opensource/hurl":
		return "hurl"
	case "fullstorydev/grpcurl":
		return "grpcurl"
	case "amazon/aws-cli":
		return "aws"
	case "hashicorp/terraform":
		return "terraform"
	case "bitnami/kubectl":
		return "kubectl"
	case "flyio/flyctl":
		return "flyctl"
	}
	return ""
}

// parseMount reads a bind mount of docker run: "-v HOST:CONTAINER[:opts]"
// or "--mount type=bind,source=HOST,target=CONTAINER". Named volumes and
// what cannot be known are not directories of this machine.
func parseMount(opt, val, cwd string) (Mount, bool) {
	if strings.Contains(val, UnknownMark) {
		return Mount{}, false
	}
	var host, ctr string
	if opt == "--mount" {
		bind := false
		for _, f := range strings.Split(val, ",") {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "type":
				bind = v == "bind"
			case "source", "src":
				host = v
			case "target", "destination", "dst":
				ctr = v
			}
		}
		if !bind {
			return Mount{}, false
		}
	} else {
		parts := strings.Split(val, ":")
		if len(parts) < 2 {
			return Mount{}, false
		}
		host, ctr = parts[0], parts[1]
	}
	if !strings.HasPrefix(host, "/") && !strings.HasPrefix(host, ".") {
		return Mount{}, false // a named volume
	}
	h := ResolvePath(cwd, host)
	if h == "" || !strings.HasPrefix(ctr, "/") {
		return Mount{}, false
	}
	return Mount{Host: h, Container: path.Clean(ctr)}, true
}

func takesValue(opt, list string) bool {
	for _, o := range strings.Fields(list) {
		if o == opt {
			return true
		}
	}
	return false
}

// findExec emits the commands find runs with -exec, -execdir, -ok and
// -okdir. "{}" stands for what find matched: a pattern under each start
// path, narrowed by -name when there is one.
//
// It returns the pattern of what find matches, which is also what it prints.
func (w *walker) findExec(inv Invocation, st *state) Word {
	args := inv.Args
	var roots []string
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if v == "-H" || v == "-L" || v == "-P" || strings.HasPrefix(v, "-O") || v == "-D" {
			if v == "-D" {
				i++
			}
			continue
		}
		if strings.HasPrefix(v, "-") || v == "(" || v == "!" {
			break
		}
		roots = append(roots, v)
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	name := ""
	for j := i; j < len(args); j++ {
		v := args[j].Value
		if (v == "-name" || v == "-iname") && j+1 < len(args) {
			name = args[j+1].Value
		}
	}
	match := Word{Value: filepath.Join(roots[0], "**"), Glob: true, Unknown: len(args) > 0 && args[0].Unknown}
	if name != "" {
		match.Value = filepath.Join(roots[0], "**", name)
	}
	if strings.Contains(roots[0], UnknownMark) {
		match = Word{Value: UnknownMark, Unknown: true}
	}
	for ; i < len(args); i++ {
		v := args[i].Value
		if v != "-exec" && v != "-execdir" && v != "-ok" && v != "-okdir" {
			continue
		}
		var cmd []Word
		for i++; i < len(args); i++ {
			if args[i].Value == ";" || args[i].Value == "+" {
				break
			}
			a := args[i]
			if strings.Contains(a.Value, "{}") {
				a.Value = strings.ReplaceAll(a.Value, "{}", match.Value)
				a.Glob = a.Glob || match.Glob
				a.Unknown = a.Unknown || match.Unknown
			}
			cmd = append(cmd, a)
		}
		n := st.nested("find " + v)
		n.cwd = inv.Cwd
		sub := Invocation{Text: inv.Text, Cwd: n.cwd, Home: n.home, Chain: n.chain, Remote: n.remote}
		w.run(sub, cmd, n)
	}
	return match
}

// guard follows guard itself used as a wrapper: "guard -c STR" runs STR
// like bash, "guard run -- ARGV" runs ARGV and "guard run 'STR'" runs STR
// through the shell. "guard check" only analyses and runs nothing.
func (w *walker) guard(inv Invocation, st *state) *Stream {
	if len(inv.Args) == 0 || inv.Args[0].Value != "run" {
		if len(inv.Args) > 0 && strings.HasPrefix(inv.Args[0].Value, "-") {
			return w.shell(inv, st)
		}
		w.a.emit(inv)
		return &Stream{From: "guard"}
	}
	w.a.emit(inv)
	args := inv.Args[1:]
	if len(args) > 0 && args[0].Value == "--" {
		n := st.nested("guard run")
		sub := inv.nestedIn(n, inv.Stdin)
		return w.run(sub, args[1:], n)
	}
	if len(args) == 1 {
		w.nestedString("guard run", args[0].Value, &inv, st)
		return &Stream{From: "guard"}
	}
	n := st.nested("guard run")
	sub := inv.nestedIn(n, inv.Stdin)
	return w.run(sub, args, n)
}

// gitRuns follows the commands git itself runs: "submodule foreach CMD",
// "rebase --exec CMD" and "bisect run CMD ARGS".
func (w *walker) gitRuns(inv Invocation, st *state) {
	args := inv.Args
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if contains([]string{"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"}, v) {
			i++
			continue
		}
		if !strings.HasPrefix(v, "-") {
			break
		}
	}
	if i >= len(args) {
		return
	}
	sub, rest := args[i].Value, args[i+1:]
	switch sub {
	case "submodule":
		for j, a := range rest {
			if a.Value == "foreach" {
				cmd := rest[j+1:]
				for len(cmd) > 0 && strings.HasPrefix(cmd[0].Value, "--") {
					cmd = cmd[1:]
				}
				if len(cmd) > 0 {
					w.nestedString("git submodule foreach", strings.Join(values(cmd), " "), &inv, st)
				}
				return
			}
		}
	case "rebase":
		for j := 0; j < len(rest); j++ {
			v := rest[j].Value
			switch {
			case (v == "-x" || v == "--exec") && j+1 < len(rest):
				w.nestedString("git rebase --exec", rest[j+1].Value, &inv, st)
				j++
			case strings.HasPrefix(v, "--exec="):
				w.nestedString("git rebase --exec", v[len("--exec="):], &inv, st)
			case strings.HasPrefix(v, "-x") && len(v) > 2:
				w.nestedString("git rebase --exec", v[2:], &inv, st)
			}
		}
	case "bisect":
		if len(rest) > 1 && rest[0].Value == "run" {
			n := st.nested("git bisect run")
			sub := inv.nestedIn(n, nil)
			w.run(sub, rest[1:], n)
		}
	}
}

// shellStartup follows the code a shell runs from its environment before
// its own: BASH_ENV and ENV name a file the shell sources, PROMPT_COMMAND
// runs before each prompt of an interactive shell. Given to the shell as
// assignments ("PROMPT_COMMAND='rm -rf ~' bash -i"), they are judged as code.
func (w *walker) shellStartup(inv Invocation, nested func(link string) *state) {
	for _, name := range promptVars {
		if v, ok := inv.Assigns[name]; ok {
			w.promptString(name, v, nested(name))
		}
	}
	for _, name := range []string{"BASH_ENV", "ENV", "PROMPT_COMMAND"} {
		v, ok := inv.Assigns[name]
		if !ok || v == "" {
			continue
		}
		n := nested(name)
		if strings.Contains(v, UnknownMark) {
			w.a.unknown(n, inv.Text, name+" makes "+inv.Name+" run code that cannot be known")
			continue
		}
		if name == "PROMPT_COMMAND" {
			w.a.script(v, n)
			continue
		}
		s := w.readFile(Word{Value: v}, n)
		if !s.Known {
			w.a.unknown(n, inv.Text, name+" makes "+inv.Name+" source "+v+", which guard cannot read")
			continue
		}
		w.a.script(s.Data, n)
	}
}

// promptVars are the prompt strings bash expands, command substitutions
// included: PS0, PS1 and PS2 at an interactive prompt, PS4 before each
// command traced with -x.
var promptVars = []string{"PS0", "PS1", "PS2", "PS4"}

// promptString analyses the command substitutions in the value of a prompt
// string, which bash runs when it shows the prompt.
func (w *walker) promptString(name, value string, st *state) {
	if !strings.Contains(value, "$(") && !strings.Contains(value, "`") {
		return
	}
	if strings.Contains(value, UnknownMark) {
		w.a.unknown(st, name+"="+value, name+" holds code that cannot be known")
		return
	}
	word, err := w.a.parser.Document(strings.NewReader(value))
	if err != nil {
		w.a.unknown(st, name+"="+value, name+" holds code bash cannot parse")
		return
	}
	pw := &walker{a: w.a, src: value, needOut: w.needOut}
	pw.substitutions(word, st)
}

// nestedIn starts the invocation of a command that inv runs itself (guard
// run, git bisect run): same source text, directory, home and host, the
// chain of n, and stdin.
func (inv Invocation) nestedIn(n *state, stdin *Stream) Invocation {
	return Invocation{Text: inv.Text, Cwd: inv.Cwd, Home: inv.Home, Chain: n.chain, Remote: inv.Remote, Stdin: stdin}
}
