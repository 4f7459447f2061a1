// Package taskrunner reads the project files a task runner follows and says
// what a runner command runs: the shell code of the package.json script,
// Makefile recipe, justfile recipe, Taskfile task, Rakefile task, composer
// or deno script, or poe or pdm task it names, with the file and line it
// stands on.
//
// "npm run nuke" runs the "nuke" script of package.json, "make reset-db"
// the recipe of the Makefile's reset-db target: what such a command does is
// what its file says. Follow reads the file through a Host (which shows it
// as the command line leaves it) and hands the Host each piece of shell
// code the runner hands to sh, in the order it runs, as a Step: plain data,
// the code with its directory, environment and where it stands. It knows
// nothing of verdicts or of the shell analysis: the Host analyses each
// Step's code as shell code, before the next is read, so that what one
// step writes (a file a later include reads) or spends against the bounds
// is in place for the next. A file that exists but cannot be read or parsed, or a
// target whose recipe cannot be found in a file that may hold it, is a
// Step whose Unknown says why; a runner that finds no file or no such
// target runs nothing. Nothing is ever executed: "make -n" is not used to
// list recipes, since it runs $(shell …) itself.
//
// Text a runner's file computes that cannot be known (the output of make's
// $(shell …), a variable of the environment the Host does not know) stands
// in a Step's code as UnknownMark.
package taskrunner

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// UnknownMark stands for text that cannot be known. It is the same mark
// as interceptor.UnknownMark, which the analysis puts where expansion
// cannot know a value.
const UnknownMark = "\uFFFF"

// maxRunnerFile is the largest runner file read (package.json, Makefile…).
const maxRunnerFile = 1 << 20

// Arg is one argument of a runner command as the shell expands it.
type Arg struct {
	// Value is the expanded text; parts that cannot be known are
	// UnknownMark.
	Value string
	// Unknown reports whether any part of Value is unknown.
	Unknown bool
}

// String returns the argument for display, with unknown parts as "…".
func (a Arg) String() string {
	if !a.Unknown {
		return a.Value
	}
	return strings.ReplaceAll(a.Value, UnknownMark, "…")
}

// Stdin is what a runner command reads on its standard input.
type Stdin struct {
	// Known reports whether Data is exactly what the command reads.
	Known bool
	Data  string
	// From says where the data comes from, for messages ("curl").
	From string
}

// Command is a task runner command, as the shell runs it.
type Command struct {
	// Name is the program's name: npm, make, just, task, rake, …
	Name string
	Args []Arg
	// Cwd is the directory it runs in; "" when it cannot be known.
	Cwd string
	// Stdin is what it reads on its standard input; nil when nothing is
	// known of it.
	Stdin *Stdin
	// Edits holds the package.json scripts earlier commands of the same
	// command line write ("npm pkg set scripts.x=…"); nil for none.
	Edits *Edits
}

// Follows reports whether Follow follows commands named name.
func Follows(name string) bool {
	switch name {
	case "npm", "yarn", "pnpm", "bun", "make", "gmake", "just", "task", "go-task", "composer", "deno", "rake", "poe", "pdm",
		"turbo", "lerna", "nx", "npx", "pnpx", "bunx":
		return true
	}
	return false
}

// Var is a variable a runner puts into the environment of the code it
// runs (make's export, a Taskfile's env).
type Var struct {
	Name, Value string
}

// Step is one piece of shell code a runner command runs, or the reason
// what it runs cannot be known.
type Step struct {
	// Link names the runner command and where the code stands:
	// "npm run nuke (package.json line 9)".
	Link string
	// Src is the shell code the runner hands to sh, run in Dir with Env
	// added to the environment. It is "" when Unknown is set.
	Src string
	Dir string
	Env []Var
	// Unknown says why what the runner runs cannot be known.
	Unknown string
	// Detached says the Unknown is about code of the file, not about the
	// command's own text (a justfile recipe run by another interpreter).
	Detached bool
}

// Part is one part of a runner file as it reads: what was on disk, or
// what the command line writes over it.
type Part struct {
	Text string
	// Label is added to the file's name in links
	// (" as the command line writes it").
	Label string
}

// Host is what the runners read through — the files as the command line
// leaves them, the environment of the runner command, the bounds of the
// analysis — and what takes the steps they run.
type Host interface {
	// Run takes the next step the runner command runs.
	Run(Step)
	// File reads the runner file at the absolute path p. exists is false
	// when there is no such file (the runner then finds nothing); why is
	// set when the file exists but cannot be read whole.
	File(p string) (data string, exists bool, why string)
	// Parts splits data, the content File returned for p, into the file
	// on disk and what the command line writes, so that each is read,
	// and named, on its own.
	Parts(p, data string) []Part
	// Memo returns where what is parsed from p, while it reads as data,
	// may be kept for later commands; nil when it may not be kept.
	Memo(p, data string) *Memo
	// Stat describes the file at p.
	Stat(p string) (fs.FileInfo, error)
	// ReadDir lists the directory at p; errors.ErrUnsupported when the
	// files cannot be listed.
	ReadDir(p string) ([]fs.DirEntry, error)
	// Lookup returns a variable of the runner's environment; set is
	// false when it is unset. Its value holds UnknownMark where it
	// cannot be known.
	Lookup(name string) (value string, set bool)
	// Home is the home directory ("" when it cannot be known).
	Home() string
	// Step counts one step of work and Spend n bytes made; either
	// reports false once the analysis is over its bounds.
	Step() bool
	Spend(n int) bool
	// Stopped reports whether the analysis has stopped.
	Stopped() bool
}

// Memo holds what was parsed from one runner file, kept by the Host with
// the file's content.
type Memo struct {
	// docs is the file parsed as JSON, once parsed.
	docs []*jsonNode
	// makefile is the file read as a makefile in dir, when that depended
	// on nothing but its text (makefile.go).
	makefile *parsedMakefile
	dir      string
}

// Makefile reports whether what reading the file as a makefile gave is
// kept.
func (m *Memo) Makefile() bool { return m != nil && m.makefile != nil }

// Follow hands h.Run the steps c runs, in order, reading files through h.
// It runs none for a command that is not a task runner it follows, and
// stops once h.Stopped reports true.
func Follow(c Command, h Host) {
	rd := &reader{h: h, c: c}
	rd.follow()
}

// reader follows one runner command.
type reader struct {
	h Host
	c Command
}

// follow dispatches on the runner's name.
func (rd *reader) follow() {
	c := rd.c
	switch c.Name {
	case "npm", "yarn", "pnpm", "bun":
		rd.npm()
	case "make", "gmake":
		rd.make()
	case "just":
		rd.just()
	case "task", "go-task":
		rd.goTask()
	case "composer":
		rd.composer()
	case "deno":
		rd.deno()
	case "rake":
		rd.rake()
	case "poe":
		rd.poe()
	case "pdm":
		rd.pdm(c.Args)
	case "turbo", "lerna", "nx":
		rd.monorepo(c)
	case "npx", "pnpx", "bunx":
		// "npx turbo run build": the monorepo runner, as installed.
		args := c.Args
		for len(args) > 0 && strings.HasPrefix(args[0].Value, "-") {
			if v := args[0].Value; (v == "-p" || v == "--package") && len(args) > 1 {
				args = args[1:]
			}
			args = args[1:]
		}
		if len(args) > 0 && (args[0].Value == "turbo" || args[0].Value == "nx" || args[0].Value == "lerna") {
			run := c
			run.Name, run.Args = args[0].Value, args[1:]
			rd.monorepo(run)
		}
	}
}

// stopped reports whether the analysis has stopped.
func (rd *reader) stopped() bool { return rd.h.Stopped() }

// emit hands one step to the Host, unless the analysis has stopped.
func (rd *reader) emit(s Step) {
	if !rd.h.Stopped() {
		rd.h.Run(s)
	}
}

// recipe runs src, shell code the runner hands to sh in dir, reached
// through link.
func (rd *reader) recipe(link, src, dir string) { rd.emit(Step{Link: link, Src: src, Dir: dir}) }

// recipeEnv is recipe with variables added to the environment.
func (rd *reader) recipeEnv(link, src, dir string, env []Var) {
	rd.emit(Step{Link: link, Src: src, Dir: dir, Env: env})
}

// unknown reports that what the runner runs through link cannot be known.
func (rd *reader) unknown(link, why string) { rd.emit(Step{Link: link, Unknown: why}) }

// step and spend count work against the analysis's bounds.
func (rd *reader) step() bool       { return rd.h.Step() }
func (rd *reader) spend(n int) bool { return rd.h.Spend(n) }

// jsonDocs parses a runner file read from p as JSON documents, from the
// Host's memo when the same content was parsed before.
func (rd *reader) jsonDocs(p, data string, comments bool) ([]*jsonNode, error) {
	m := rd.h.Memo(p, data)
	if m != nil && m.docs != nil {
		return m.docs, nil
	}
	docs, err := parseJSONDocs([]byte(data), comments)
	if err == nil && m != nil {
		m.docs = docs
	}
	return docs, err
}

// where names a file for a link: relative to dir when inside it.
func where(file, dir string) string {
	if rel, ok := strings.CutPrefix(file, dir+"/"); ok && dir != "" {
		return rel
	}
	if dir == "/" && strings.HasPrefix(file, "/") && len(file) > 1 {
		return file[1:]
	}
	return file
}

// lineRef is "FILE line N" for a link.
func lineRef(file, dir string, line int) string {
	return where(file, dir) + " line " + strconv.Itoa(line)
}

// quote quotes s as one word for bash: the extra arguments runners append
// to a script ("npm run x -- a b"), the code a recipe hands to an
// interpreter's -c. Text that cannot be known stays UnknownMark, outside
// the quotes, so that the words holding it are marked unknown and shown
// as "…"; the text around it is quoted by syntax.Quote.
func quote(s string) string {
	if !strings.Contains(s, UnknownMark) {
		return quoteKnown(s)
	}
	var b strings.Builder
	for i, part := range strings.Split(s, UnknownMark) {
		if i > 0 {
			b.WriteString(UnknownMark)
		}
		if part != "" {
			b.WriteString(quoteKnown(part))
		}
	}
	return b.String()
}

// quoteKnown is syntax.Quote for bash. Text it cannot quote holds a NUL
// byte, which no shell word can: it is left as it is, so that the
// analysis reports the NUL and the code is unknown.
func quoteKnown(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return s
	}
	return q
}

// quotedArgs joins runner arguments into text appended to a script. A word
// of letters, digits and "@%+=:,./-_" needs no quoting there, after the
// script's own words, and is left as it is, as the runners leave it (the
// command then stays on the analysis's fast path for plain commands);
// syntax.Quote would quote its "=", which only at the front of a command
// can make an assignment. Any other word is quoted by syntax.Quote.
func quotedArgs(args []Arg) string {
	var b strings.Builder
	for _, a := range args {
		b.WriteByte(' ')
		if plainArg(a.Value) {
			b.WriteString(a.Value)
		} else {
			b.WriteString(quote(a.Value))
		}
	}
	return b.String()
}

// plainArg reports whether s is a word quotedArgs leaves as it is.
func plainArg(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("@%+=:,./-_", c) >= 0) {
			return false
		}
	}
	return true
}

// resolve joins p onto cwd unless p is absolute, and cleans the result;
// "" when p holds an unknown part or is relative to an unknown cwd (as
// interceptor.ResolvePath).
func resolve(cwd, p string) string {
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

// isShell reports whether name is a shell that takes "-c STRING".
func isShell(name string) bool {
	switch name {
	case "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "fish", "rbash":
		return true
	}
	return false
}

// baseName strips the directory of a command path.
func baseName(p string) string {
	if !strings.Contains(p, "/") {
		return p
	}
	return filepath.Base(p)
}

// isName reports whether s is a shell variable name.
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

func isAssign(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	return ok && isName(k)
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func values(as []Arg) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Value
	}
	return out
}

// shortText is text for a message: its first line, at most 60
// characters.
func shortText(s string) string {
	s, _, cut := strings.Cut(s, "\n")
	if len(s) > 60 {
		n := 57
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s, cut = s[:n], true
	}
	if cut {
		s += "…"
	}
	return s
}
