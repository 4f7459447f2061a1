package rules

import (
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/guard-dev/guard/interceptor"
)

// This file holds the rules of an interactive session ("guard shell"): the
// bash integration that makes bash ask guard before each command line must
// stay in place, and shells started inside the session are not checked.
// The pack is added only by NewSessionChecker, so these rules apply only to
// lines typed in a session.

// SessionChannelFd is the file descriptor on which the session's bash
// talks to guard (see package sandbox).
const SessionChannelFd = 229

// sessionMark starts the name of every function and variable of the
// session integration.
const sessionMark = "__guard"

// Rule ids of the session pack.
const (
	sessionIntegration = "session.integration"
	sessionNestedShell = "session.nested-shell"
	sessionUnchecked   = "session.unchecked-code"
	sessionUnknown     = "session.unknown"
)

// SessionPack returns the rules of an interactive session.
func SessionPack() *Pack {
	return &Pack{
		Name:  "session",
		Check: checkSession,
		Rules: []Rule{
			{ID: sessionIntegration, Default: Deny, Summary: "disables or works around guard's session integration: its DEBUG trap, extdebug, the history it reads, PS0, PROMPT_COMMAND, its __guard functions and variables, its channel; or replaces the session's shell"},
			{ID: sessionNestedShell, Default: Confirm, Summary: "starts an interactive shell (bash, sh, zsh, su, sudo -i, ssh HOST, tmux...) whose commands guard does not check"},
			{ID: sessionUnchecked, Default: Confirm, Summary: "stores code that bash runs later outside guard's check: a key binding, a completion command, a prompt with command substitution, a command_not_found_handle, fc re-running history"},
			{ID: sessionUnknown, Default: Confirm, Summary: "changes shell options, traps or variables whose names guard cannot know"},
		},
	}
}

// NewSessionChecker is NewChecker with the session pack added: the
// checker of "guard shell". Its Check also looks at each line's own source
// for what the invocations do not show (sessionFindings).
func NewSessionChecker(o Options) (*Checker, error) {
	c, err := NewChecker(o)
	if err != nil {
		return nil, err
	}
	e, err := NewEngine(append(append([]*Pack(nil), c.engine.packs...), SessionPack()), c.engine.override)
	if err != nil {
		return nil, err
	}
	c.engine = e
	c.session = true
	return c, nil
}

// sessionShell reports a shell whose interactive start the session
// confirms. (A switch, not a map: nothing is built at start-up.)
func sessionShell(name string) bool {
	switch name {
	case "bash", "sh", "dash", "zsh", "ksh", "mksh", "ash", "fish", "tcsh", "csh", "nu", "xonsh",
		"elvish", "pwsh", "busybox":
		return true
	}
	return false
}

// sessionMultiplexer reports a program that starts shells of its own in
// a new terminal.
func sessionMultiplexer(name string) bool {
	switch name {
	case "tmux", "screen", "byobu", "zellij", "script", "dtach", "abduco":
		return true
	}
	return false
}

// sessionVar reports a variable the integration relies on.
func sessionVar(name string) bool {
	switch name {
	case "PS0", "PROMPT_COMMAND", "HISTCONTROL", "HISTIGNORE", "HISTSIZE", "HISTCMD":
		return true
	}
	return false
}

// sessionOption reports a shopt option the integration relies on.
func sessionOption(name string) bool {
	switch name {
	case "extdebug", "promptvars", "cmdhist", "lithist", "history", "functrace":
		return true
	}
	return false
}

// checkSession is the session pack's check.
func checkSession(c *Call) {
	inv := c.Inv
	if strings.Contains(inv.Text, sessionMark) || strings.Contains(inv.Name, sessionMark) || argsContain(inv.Args, sessionMark) {
		c.Report(sessionIntegration, "touches guard's session integration (its "+sessionMark+" functions and variables)")
		return
	}
	for _, r := range inv.Redirects {
		if r.Fd == SessionChannelFd || (r.Op == ">&" || r.Op == "<&") && strings.TrimSuffix(r.Target.Value, "-") == strconv.Itoa(SessionChannelFd) {
			c.Report(sessionIntegration, "redirects or closes file descriptor "+strconv.Itoa(SessionChannelFd)+", guard's session channel")
			return
		}
	}
	if sessionShell(inv.Name) && hasWrapper(inv, "exec") && !shellRunsCode(inv) {
		c.Report(sessionIntegration, "replaces the session's shell with "+inv.Name+", whose commands guard would not check")
		return
	}
	switch inv.Name {
	case "trap":
		checkSessionTrap(c)
	case "shopt":
		checkSessionShopt(c)
	case "set":
		checkSessionSet(c)
	case "unset":
		for _, a := range inv.Args {
			switch {
			case a.Unknown:
				c.Report(sessionUnknown, "unsets a variable or function whose name cannot be known ("+a.String()+")")
				return
			case sessionVar(a.Value):
				c.Report(sessionIntegration, "unsets "+a.Value+", which guard's session relies on")
				return
			}
		}
	case "history":
		for _, a := range inv.Args {
			if strings.HasPrefix(a.Value, "-") && strings.ContainsAny(a.Value, "cds") {
				c.Report(sessionIntegration, "changes the history (history "+a.Value+"), where guard reads each command line")
				return
			}
		}
	case "fc":
		if !hasOption(inv.Args, 'l') {
			c.Report(sessionUnchecked, "fc runs commands from the history again; guard sees only `"+inv.Line()+"`, not what they are")
		}
	case "enable":
		for _, a := range inv.Args {
			if strings.HasPrefix(a.Value, "-") && strings.ContainsAny(a.Value, "nfd") || a.Unknown {
				c.Report(sessionIntegration, "enables or disables shell builtins (enable "+a.String()+"), which guard's session relies on")
				return
			}
		}
	case "bind":
		checkSessionBind(c)
	case "complete", "compgen":
		for i, a := range inv.Args {
			switch {
			case a.Value == "-C" && i+1 < len(inv.Args):
				c.Shell(inv.Args[i+1].Value, inv.Name+" -C")
			case a.Value == "-F" && inv.Name == "complete":
				c.Report(sessionUnchecked, "registers a completion function, which bash runs at the prompt without guard's check")
				return
			}
		}
	case "alias":
		for _, a := range inv.Args {
			if name, val, ok := strings.Cut(a.Value, "="); ok {
				if a.Unknown {
					c.Report(sessionUnknown, "defines an alias whose text cannot be known ("+a.String()+")")
					return
				}
				c.Shell(val, "alias "+name)
			}
		}
	case "printf", "read", "mapfile", "readarray":
		for _, a := range inv.Args {
			if a.Unknown && !strings.HasPrefix(a.Value, "-") && inv.Name != "printf" {
				c.Report(sessionUnknown, inv.Name+" sets a variable whose name cannot be known ("+a.String()+")")
				return
			}
		}
		if inv.Name == "printf" {
			for i, a := range inv.Args {
				if a.Value == "-v" && i+1 < len(inv.Args) && inv.Args[i+1].Unknown {
					c.Report(sessionUnknown, "printf -v sets a variable whose name cannot be known ("+inv.Args[i+1].String()+")")
					return
				}
			}
		}
	case "su":
		if !hasOption(inv.Args, 'c') && !hasLong(inv.Args, "--command") {
			c.Report(sessionNestedShell, "su starts a shell whose commands guard does not check")
		}
	case "sudo":
		for _, a := range inv.Args {
			if a.Value == "-i" || a.Value == "-s" || a.Value == "--login" || a.Value == "--shell" ||
				strings.HasPrefix(a.Value, "-") && !strings.HasPrefix(a.Value, "--") && strings.ContainsAny(a.Value, "is") {
				c.Report(sessionNestedShell, "sudo "+a.Value+" starts a root shell whose commands guard does not check")
				return
			}
		}
	case "ssh":
		if inv.Remote == "" && sshInteractive(inv.Args) {
			c.Report(sessionNestedShell, "ssh without a command starts a remote shell whose commands guard does not check")
		}
	default:
		if sessionShell(inv.Name) && !shellRunsCode(inv) {
			if shellSkipsStartup(inv) {
				c.Report(sessionIntegration, "starts "+inv.Name+" without its startup files or environment, a shell guard does not check")
				return
			}
			c.Report(sessionNestedShell, "starts an interactive "+inv.Name+", whose commands guard does not check; start `guard shell` instead to keep them checked")
		}
		if sessionMultiplexer(inv.Name) && multiplexerStartsShell(inv) {
			c.Report(sessionNestedShell, inv.Name+" starts or attaches shells in terminals of its own, whose commands guard does not check")
		}
	}
}

// checkSessionBind judges a bind command: a key bound to a shell command
// (-x), or to edit-and-execute-command (whose edited text bash runs from
// the key binding, at the prompt, where nothing is judged), runs code
// guard does not check; so may the bindings of a file (-f) or words guard
// cannot know. Other bindings (keys to readline functions, macros,
// readline variables) only edit the line.
func checkSessionBind(c *Call) {
	args := c.Inv.Args
	if hasOption(args, 'x') {
		c.Report(sessionUnchecked, "binds a key to a shell command, which would run without guard's check")
		return
	}
	if hasOption(args, 'f') {
		c.Report(sessionUnchecked, "reads key bindings from a file, which may bind a key to edit-and-execute-command: the edited text would run without guard's check")
		return
	}
	for _, a := range args {
		switch {
		case a.Unknown:
			c.Report(sessionUnknown, "binds keys to something that cannot be known ("+a.String()+")")
			return
		case strings.Contains(a.Value, "edit-and-execute-command"):
			c.Report(sessionUnchecked, "binds a key to edit-and-execute-command, whose edited text bash would run without guard's check")
			return
		}
	}
}

// checkSessionTrap judges a trap command: the DEBUG trap is guard's, the
// SIGINT disposition is how guard drops a refused line, and any other
// trap's code is judged now, since it runs later.
func checkSessionTrap(c *Call) {
	args := c.Inv.Args
	if len(args) > 0 && (args[0].Value == "-p" || args[0].Value == "-l") {
		return
	}
	if len(args) > 0 && args[0].Value == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return
	}
	for _, a := range args {
		if a.Unknown {
			c.Report(sessionUnknown, "sets a trap guard cannot read ("+a.String()+")")
			return
		}
	}
	action, sigs := args[0].Value, args[1:]
	if len(args) == 1 {
		// "trap SIG": reset SIG.
		action, sigs = "-", args
	}
	for _, s := range sigs {
		switch strings.TrimPrefix(strings.ToUpper(s.Value), "SIG") {
		case "DEBUG":
			c.Report(sessionIntegration, "changes the DEBUG trap through which guard's session stops refused commands")
			return
		case "INT", "2":
			if action == "" {
				c.Report(sessionIntegration, "ignores SIGINT, which guard's session uses to drop a refused line")
				return
			}
		}
	}
	if action != "" && action != "-" {
		c.Shell(action, "trap")
	}
}

// checkSessionShopt judges shopt: unsetting an option the integration
// relies on is refused.
func checkSessionShopt(c *Call) {
	unset := false
	for _, a := range c.Inv.Args {
		switch {
		case a.Unknown:
			c.Report(sessionUnknown, "changes a shell option guard cannot read ("+a.String()+")")
			return
		case strings.HasPrefix(a.Value, "-"):
			if strings.Contains(a.Value, "u") {
				unset = true
			}
		case unset && sessionOption(a.Value):
			c.Report(sessionIntegration, "turns off "+a.Value+", which guard's session relies on")
			return
		}
	}
}

// checkSessionSet judges set: +o history, +o functrace, +T, and posix mode
// are refused.
func checkSessionSet(c *Call) {
	args := c.Inv.Args
	for i, a := range args {
		v := a.Value
		switch {
		case a.Unknown:
			c.Report(sessionUnknown, "changes a shell option guard cannot read ("+a.String()+")")
			return
		case v == "--" || v == "-":
			return
		case (v == "+o" || v == "-o") && i+1 < len(args):
			opt := args[i+1].Value
			if v == "+o" && sessionOption(opt) || v == "-o" && opt == "posix" {
				c.Report(sessionIntegration, "sets "+v+" "+opt+", which guard's session relies on")
				return
			}
		case strings.HasPrefix(v, "+") && strings.Contains(v, "T"):
			c.Report(sessionIntegration, "turns off functrace (set "+v+"), which guard's session relies on")
			return
		case v == "--posix":
			c.Report(sessionIntegration, "turns on posix mode, which changes how guard's session works")
			return
		case !strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "+"):
			return // positional parameters follow
		}
	}
}

// shellRunsCode reports whether a shell invocation runs code given to it
// (-c, a script file, or a known stream on stdin) rather than starting an
// interactive shell.
func shellRunsCode(inv *interceptor.Invocation) bool {
	if len(inv.Chain) > 0 && inv.Stdin != nil {
		return true
	}
	if inv.Stdin != nil {
		return true
	}
	args := inv.Args
	if inv.Name == "busybox" {
		if len(args) == 0 || !sessionShell(args[0].Value) {
			return true // another applet
		}
		args = args[1:]
	}
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return i+1 < len(args)
		case v == "--rcfile" || v == "--init-file" || v == "-o" || v == "+o" || v == "-O" || v == "+O":
			i++
		case strings.HasPrefix(v, "--"):
		case strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+"):
			if strings.Contains(v, "c") && !strings.HasPrefix(v, "+") {
				return true
			}
		default:
			return true // a script file
		}
	}
	return false
}

// shellSkipsStartup reports a shell started without its startup files or
// with an emptied environment: bash --norc, --rcfile, env -i bash.
func shellSkipsStartup(inv *interceptor.Invocation) bool {
	for _, a := range inv.Args {
		switch a.Value {
		case "--norc", "--rcfile", "--init-file", "--noprofile", "--posix":
			return true
		}
	}
	if !hasWrapper(inv, "env") {
		return false
	}
	// The wrapper's options are not kept: read them from the text.
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(inv.Text), "")
	if err != nil {
		return false
	}
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if ce, ok := n.(*syntax.CallExpr); ok {
			inEnv := false
			for _, w := range ce.Args {
				lit := w.Lit()
				if lit == "env" {
					inEnv = true
					continue
				}
				if inEnv && (lit == "-i" || lit == "-" || lit == "--ignore-environment") {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// multiplexerStartsShell reports whether a terminal multiplexer
// invocation starts or attaches a shell, rather than listing or querying
// (tmux ls, screen -ls).
func multiplexerStartsShell(inv *interceptor.Invocation) bool {
	switch inv.Name {
	case "tmux":
		for _, a := range inv.Args {
			if strings.HasPrefix(a.Value, "-") {
				continue
			}
			switch a.Value {
			case "ls", "list-sessions", "list-windows", "lsw", "list-panes", "lsp", "has-session", "has",
				"display-message", "display", "show-options", "show", "info", "kill-session", "kill-server":
				return false
			}
			return true
		}
		return true // plain tmux starts a session
	case "screen":
		return !hasLong(inv.Args, "-ls") && !hasLong(inv.Args, "-list")
	}
	return true
}

// sshInteractive reports whether ssh's arguments hold a host and no
// command.
func sshInteractive(args []interceptor.Word) bool {
	operands := 0
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if strings.HasPrefix(v, "-") && len(v) > 1 {
			// Options that take a value, as a separate word.
			last := v[len(v)-1]
			if len(v) == 2 && strings.IndexByte("BbcDEeFIiJLlmOoPpQRSWw", last) >= 0 {
				i++
			}
			continue
		}
		operands++
	}
	return operands == 1
}

// hasWrapper reports whether the invocation was reached through wrapper w.
func hasWrapper(inv *interceptor.Invocation, w string) bool {
	for _, x := range inv.Wrappers {
		if x == w {
			return true
		}
	}
	return false
}

// hasOption reports whether a short option letter appears in args (alone
// or in a cluster such as -lx).
func hasOption(args []interceptor.Word, letter byte) bool {
	for _, a := range args {
		v := a.Value
		if v == "--" {
			return false
		}
		if len(v) > 1 && v[0] == '-' && v[1] != '-' && strings.IndexByte(v[1:], letter) >= 0 {
			return true
		}
	}
	return false
}

// hasLong reports whether a long option appears in args.
func hasLong(args []interceptor.Word, name string) bool {
	for _, a := range args {
		if a.Value == name || strings.HasPrefix(a.Value, name+"=") {
			return true
		}
	}
	return false
}

// argsContain reports whether any argument holds s.
func argsContain(args []interceptor.Word, s string) bool {
	for _, a := range args {
		if strings.Contains(a.Value, s) {
			return true
		}
	}
	return false
}

// sessionBuiltin judges a function named after one of bash's builtins,
// whose place it takes: the integration calls its builtins through
// "builtin", so redefining those only confirms; "builtin" and the few
// called directly are refused. Any other name is Allow.
func sessionBuiltin(name string) Decision {
	switch name {
	case "builtin", "local", "return", "eval":
		return Deny
	case "alias", "bg", "bind", "break", "caller", "cd", "command", "compgen", "complete",
		"compopt", "continue", "declare", "dirs", "disown", "echo", "enable", "exec", "exit",
		"export", "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill",
		"let", "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read", "readarray",
		"readonly", "set", "shift", "shopt", "source", "suspend", "test", "times", "trap",
		"true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait", ".", ":", "[":
		return Confirm
	}
	return Allow
}

// sessionFindings checks the source of one session command line for what
// the invocations do not show: assignments and declarations of the
// variables the integration relies on, function definitions that take the
// place of bash's builtins or run for unknown commands, redirections of
// guard's channel, and prompts that run commands. Lines that do not parse
// give no findings here (the analysis reports them).
func (c *Checker) sessionFindings(src string) []Finding {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil
	}
	var out []Finding
	report := func(id, reason string, n syntax.Node) {
		d := c.engine.decision(id)
		if id == sessionIntegration && d < Deny {
			d = Deny // the integration rules cannot be loosened by config
		}
		out = append(out, Finding{Rule: id, Decision: d, Reason: reason, Command: nodeText(src, n)})
	}
	if strings.Contains(src, sessionMark) {
		report(sessionIntegration, "touches guard's session integration (its "+sessionMark+" functions and variables)", f)
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Assign:
			checkSessionAssign(n, report)
		case *syntax.DeclClause:
			for _, a := range n.Args {
				if a.Naked && a.Name == nil && a.Value != nil && a.Value.Lit() == "" {
					report(sessionUnknown, n.Variant.Value+" sets a variable whose name cannot be known", n)
				}
			}
		case *syntax.FuncDecl:
			name := n.Name.Value
			switch {
			case name == "command_not_found_handle":
				report(sessionUnchecked, "defines command_not_found_handle, which bash runs for any unknown command without guard's check", n)
			case sessionBuiltin(name) == Deny:
				report(sessionIntegration, "defines a function "+name+", which would take the place of the builtin guard's session relies on", n)
			case sessionBuiltin(name) == Confirm:
				report(sessionUnchecked, "defines a function "+name+", which takes the place of bash's builtin of that name", n)
			}
		case *syntax.Redirect:
			fd := SessionChannelFd
			if n.N != nil && n.N.Value == strconv.Itoa(fd) ||
				(n.Op == syntax.DplIn || n.Op == syntax.DplOut) && n.Word != nil && strings.TrimSuffix(n.Word.Lit(), "-") == strconv.Itoa(fd) {
				report(sessionIntegration, "redirects or closes file descriptor "+strconv.Itoa(fd)+", guard's session channel", n)
			}
		}
		return true
	})
	return out
}

// checkSessionAssign judges one assignment.
func checkSessionAssign(a *syntax.Assign, report func(id, reason string, n syntax.Node)) {
	if a.Name == nil {
		return
	}
	name := a.Name.Value
	switch {
	case sessionVar(name):
		report(sessionIntegration, "sets "+name+", which guard's session relies on", a)
	case name == "PS1" || name == "PS2" || name == "PS3" || name == "PS4":
		if a.Value != nil && wordRunsCode(a.Value) {
			report(sessionUnchecked, "sets a prompt ("+name+") that runs commands each time it is shown, without guard's check", a)
		}
	}
}

// wordRunsCode reports whether a word, once stored in a prompt, would run
// commands: it holds "$(" or a backquote in any quoting.
func wordRunsCode(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst:
			found = true
		case *syntax.Lit:
			if strings.Contains(n.Value, "$(") || strings.Contains(n.Value, "`") {
				found = true
			}
		case *syntax.SglQuoted:
			if strings.Contains(n.Value, "$(") || strings.Contains(n.Value, "`") {
				found = true
			}
		}
		return !found
	})
	return found
}

// nodeText is the source text of n.
func nodeText(src string, n syntax.Node) string {
	s, e := int(n.Pos().Offset()), int(n.End().Offset())
	if s < 0 || e > len(src) || s > e {
		return src
	}
	return src[s:e]
}

// mergeFindings adds findings to a verdict; the verdict is the strictest.
func mergeFindings(v Verdict, fs []Finding) Verdict {
	for _, f := range fs {
		v.Findings = append(v.Findings, f)
		if f.Decision > v.Decision {
			v.Decision = f.Decision
		}
	}
	return v
}
