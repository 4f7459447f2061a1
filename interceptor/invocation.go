// Package interceptor turns bash source into the simple commands that would
// run, each with what can be known about it statically: its resolved name,
// its expanded arguments, the directory it runs in, what it reads on stdin,
// its redirections, the wrappers peeled off it and the chain of nested shells
// that reach it.
//
// Nothing here executes a program. What cannot be known statically (a
// dynamic command name, a script piped in from the network) is reported as
// such in Invocation.Unknown instead of being guessed. The package knows
// nothing about policy: deciding what is dangerous is the job of package rules.
package interceptor

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// UnknownMark stands in a Word's Value for a part whose value cannot be
// known statically, such as "$(date)" or an unset variable. It is the
// Unicode noncharacter U+FFFF, which real text does not carry (NUL cannot be
// used: bash, and the expander, drop NULs from command substitutions). A
// command that spells it literally is only judged more strictly.
const UnknownMark = "\uFFFF"

// Context is what analysis knows about the world the source would run in.
type Context struct {
	// Cwd is the absolute working directory the source starts in.
	Cwd string
	// Home is the home directory ($HOME and ~).
	Home string
	// PasswdHome returns the current user's home directory from the
	// password database, "" when the user has none: what bash expands "~"
	// to when HOME is unset ("unset HOME; rm -rf ~", or an exact
	// environment without HOME). It is called only for such a "~", so the
	// lookup costs nothing otherwise. Nil means it cannot be known, and
	// such a "~" is unknown.
	PasswdHome func() string
	// User is the user name ($USER, $LOGNAME).
	User string
	// Env holds environment variables whose values are known. Variables not
	// in Env and not assigned by the source expand to unknown.
	Env map[string]string
	// Args are the positional parameters: Args[0] is $0, Args[1] is $1...
	Args []string
	// EnvExact says Env is the whole environment the source starts with: a
	// variable that is not in it is unset, not unknown. Shell mode knows
	// the exact environment the command gets; guard check and the hooks do
	// not. Variables bash sets itself ($RANDOM, $PPID, …) stay unknown.
	EnvExact bool
	// Fds holds the content of descriptors above 2 that the source reads
	// ("cat <&3"), when the caller read them before the analysis and hands
	// the real shell the same bytes (shell mode does, for Cursor's harness,
	// which passes saved shell state on descriptor 3). A descriptor not in
	// Fds reads data that is unknown.
	Fds map[int]string
	// Sources, when set, keeps the analysis of sourced files that only
	// define functions, aliases and variables and run nothing, such as an
	// agent's shell snapshot, across analyses (see cache.go).
	Sources SourceCache
	// FS reads files that analysis needs: sourced scripts, "< file" input,
	// files given as data. Nil means the real filesystem.
	FS FS
	// Limits bounds the analysis; the zero value means DefaultLimits().
	Limits Limits
	// Startup is how the shell that runs the source starts, when the
	// caller knows it (shell mode): the zero value says nothing.
	Startup Startup
}

// Startup is how the shell that runs the analysed source was started.
type Startup struct {
	// Login says it is a login shell that reads its profile files first
	// (bash -l, --login, or a name starting with "-", without
	// --noprofile): /etc/profile, then the first of ~/.bash_profile,
	// ~/.bash_login and ~/.profile that exists, or in POSIX mode
	// (Posix) ~/.profile alone. The analysis reads them as bash does, in
	// the command's own state, so that what they run is judged and what
	// they define is known to the command (see login.go).
	Login, Posix bool
	// Flags is the shell's $- ("hBc" for bash -c), so that startup code
	// testing it ("case $- in *i*) ;; *) return;; esac") takes the branch
	// bash takes; "" means unknown.
	Flags string
}

// FS is the read-only filesystem view analysis uses. Paths are absolute.
type FS interface {
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
}

// OSFS is the real filesystem.
type OSFS struct{}

// Stat calls os.Stat.
func (OSFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// ReadFile calls os.ReadFile.
func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// Invocation is one simple command as it would run.
type Invocation struct {
	// Name is the command name with quotes removed and any directory
	// stripped ("/usr/bin/rm" -> "rm"). Empty when the name is not static;
	// Unknown then says why.
	Name string
	// Path is the name as written after expansion, before the directory was
	// stripped ("/usr/bin/rm", "./gradlew").
	Path string
	// Args are the arguments after the name, expanded as far as is known.
	Args []Word
	// Cwd is the absolute directory the command runs in, or "" when unknown
	// (after "cd $X", or on a remote host).
	Cwd string
	// Home is the home directory in effect, "" when unknown (remote hosts).
	Home string
	// Stdin is what the command reads on standard input when that is known
	// or known to be unknown; nil when stdin is simply inherited.
	Stdin *Stream
	// Redirects are the command's redirections, targets expanded.
	Redirects []Redirect
	// Assigns are the VAR=value assignments given to this command, either
	// as a prefix or through env.
	Assigns map[string]string
	// Unsets are the variables env removes from the command's environment
	// (env -u NAME). env -i records HOME only: the other variables analysis
	// follows keep their values, which judges no less strictly, while an
	// unset HOME changes what "~" names.
	Unsets []string
	// ClearEnv says env -i started the command with an environment of
	// nothing but Assigns: a shell it starts has none of the script's
	// variables (export.go).
	ClearEnv bool
	// Wrappers are the commands peeled off to reach this one, outermost
	// first ("sudo", "env", "timeout").
	Wrappers []string
	// Injects says, for a human, what the launchers it was reached through
	// put into its environment ("it runs under `railway run` with the
	// variables of the linked Railway environment …").
	Injects []string
	// Launched names the program of no known kind whose operands this
	// command is ("X run CMD", "X -- CMD"): it may run, or the program
	// may only take the words as data (see openLauncher).
	Launched string
	// Indirect says how a command is reached that may not run as analysed:
	// the script file run by its path ("./x.sh") it was read from (see
	// diskScript), or the variable or option that names it ("PAGER", "man
	// -P"; see commandVars). Such a command is judged by what it definitely
	// does.
	Indirect string
	// Chain is how the command was reached through nested code, outermost
	// first ("bash -c", "eval", "ssh db1").
	Chain []string
	// Remote names the host or container the command runs in, when it does
	// not run on this machine ("ssh db1", "docker exec pg").
	Remote string
	// Mounts are the directories of this machine a container started with
	// "docker run -v" sees, when Remote is that container.
	Mounts []Mount
	// Unknown is non-empty when the command cannot be known statically; it
	// says why, for a human.
	Unknown string
	// Text is the source text of the command, for messages.
	Text string
	// SourceLine is the line of Text in the source it was read from (a script
	// file, a -c string), counting from 1; 0 when not known.
	SourceLine int
	// Defines reports that the command ran in a sourced file or eval'd
	// text that only defines functions, aliases and variables (an agent's
	// shell snapshot, Cursor's saved state) and that Context.Sources now
	// keeps: a later analysis of the same text takes it from the cache and
	// does not list the command again. What it did is in the state it
	// left; approvals bind the text's content instead (rules.Plan).
	Defines bool
	// Execs are what bash and the wrappers start on the way to the
	// command, outermost first, the command itself last ("env", then
	// "railway" for "env X=1 railway"), each with where it is looked up.
	// Environment grants need it: a granted variable reaches every one of
	// them. Nil when the command was reached some other way (find -exec,
	// xargs), which grants treat as not known.
	Execs []Exec
}

// Exec is one program, or bash builtin, that runs on the way to a command,
// with what bash (or the wrapper before it, through execvp) needs to find
// its file.
type Exec struct {
	// Name is the name as written after expansion: "railway", "./railway",
	// "/usr/bin/env".
	Name string
	// Builtin reports that bash runs it itself (a builtin reached from bash
	// without a program in between: "cd", "command", "exec"): no file is
	// started.
	Builtin bool
	// Search is the PATH a name without a slash is looked up in, and the
	// one the program runs with (and looks up what it starts in): the one
	// given to the command ("PATH=.:$PATH railway", "env PATH=. railway")
	// or the shell's at that point ("export PATH=..." earlier on the line).
	// It holds UnknownMark where that is not known, and is UnknownMark
	// when PATH is unset or cleared (env -i, env -u PATH).
	Search string
	// Cwd is the directory a relative name or PATH entry is taken from, ""
	// when it is not known.
	Cwd string
}

// Mount is a directory of this machine bound into a container.
type Mount struct {
	// Host is the absolute path here; Container is where the container
	// sees it.
	Host, Container string
}

// Word is one argument after expansion.
type Word struct {
	// Value is the expanded text. Parts that cannot be known are replaced
	// by UnknownMark.
	Value string
	// Unknown reports whether any part of Value is unknown.
	Unknown bool
	// Glob reports whether Value holds unquoted pattern characters that
	// the shell would expand against the filesystem.
	Glob bool
}

// String returns the word for display, with unknown parts shown as "…".
func (w Word) String() string {
	if !w.Unknown {
		return w.Value
	}
	return strings.ReplaceAll(stripKinds(w.Value), UnknownMark, "…")
}

// Stream is data a command reads.
type Stream struct {
	// Known reports whether Data is exactly what the command reads.
	Known bool
	// Data is the content when Known.
	Data string
	// From says where the data comes from, for messages: "heredoc",
	// "here-string", "echo", "file /x", "curl".
	From string
	// Items, when set, are patterns of the paths the data lists although
	// the data itself is unknown: find prints what matches its start
	// path and -name, so "find build -name '*.o' | xargs rm" removes
	// build/**/*.o.
	Items []Word
}

// Redirect is one redirection of a command.
type Redirect struct {
	// Op is the operator as written: ">", ">>", "<", ">|", "&>", "<<", ...
	Op string
	// Fd is the file descriptor number, -1 when not written.
	Fd int
	// Target is the expanded target word ("" for heredocs).
	Target Word
}

// Writes reports whether the redirection opens its target for writing.
func (r Redirect) Writes() bool {
	switch r.Op {
	case ">", ">>", ">|", "&>", "&>>", "<>":
		return true
	}
	return false
}

// Truncates reports whether the redirection truncates its target.
func (r Redirect) Truncates() bool {
	switch r.Op {
	case ">", ">|", "&>":
		return true
	}
	return false
}

// Arg returns the value of argument i, or "" when there is none.
func (inv *Invocation) Arg(i int) string {
	if i < 0 || i >= len(inv.Args) {
		return ""
	}
	return inv.Args[i].Value
}

// Values returns the values of all arguments.
func (inv *Invocation) Values() []string {
	out := make([]string, len(inv.Args))
	for i, a := range inv.Args {
		out[i] = a.Value
	}
	return out
}

// Resolve turns a path as the command would see it into an absolute,
// cleaned path. It returns "" when the path cannot be resolved: the value is
// unknown, or it is relative and the working directory is unknown.
func (inv *Invocation) Resolve(p string) string {
	return ResolvePath(inv.Cwd, p)
}

// ResolvePath joins p onto cwd unless p is absolute, and cleans the result.
// It returns "" when p holds an unknown part or is relative to an unknown
// cwd.
func ResolvePath(cwd, p string) string {
	if strings.Contains(p, UnknownMark) || p == "" {
		return ""
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if cwd == "" {
		return ""
	}
	return filepath.Join(cwd, p)
}

// Line returns the invocation as a command line for messages: wrappers
// dropped, unknown parts shown as "…".
func (inv *Invocation) Line() string {
	var b strings.Builder
	if inv.Name == "" {
		b.WriteString("…")
	} else {
		b.WriteString(inv.Name)
	}
	for _, a := range inv.Args {
		b.WriteByte(' ')
		s := a.String()
		if s == "" || strings.ContainsAny(s, " \t\n'\"") {
			s = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
		b.WriteString(s)
	}
	return b.String()
}
