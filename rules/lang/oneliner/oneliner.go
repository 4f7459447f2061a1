// Package oneliner reads the programs given to script interpreters
// (python, JavaScript, ruby, perl, php) and says what they do as facts: the
// shell code they amount to, and what they do that cannot be known before
// they run. It knows nothing of rules or verdicts; the interp pack judges
// its facts.
//
// Each language has a small tokenizer (strings with their escapes and
// interpolation, comments, heredocs, regular expression literals: token.go)
// and a forgiving expression reader (syntax.go) that finds calls, the names
// they resolve to through imports and requires, and the values of their
// arguments where those are literals or built from literals (value.go:
// os.path.join, Path.home(), File.expand_path, string concatenation,
// variables assigned a literal earlier). What a call does is then expressed
// as shell (eval.go): deleting a literal target T becomes `rm -rf -- 'T'`,
// the home directory becomes `~`, a command string given to os.system or
// child_process.execSync is the shell code it is, an HTTP call is the curl
// command that sends the same request (http.go), SQL given to a database
// client is the psql command that sends it (db.go).
package oneliner

// Lang is a language family.
type Lang int

// The language families read.
const (
	Python Lang = iota
	JS
	Ruby
	Perl
	PHP
)

// maxEval bounds nested eval/exec of literal code.
const maxEval = 3

// Program is code an interpreter runs.
type Program struct {
	Lang Lang
	// How names the interpreter and how the code reaches it, for chains
	// and messages: "python3 -c", "node -e", "python3 <heredoc".
	How string
	Src string
	// File is true when Src is a whole PHP file (inline HTML until <?php).
	File bool
	// Chdir is a directory the interpreter changes to first (ruby -C).
	Chdir string
	// FromFile is true when the code is a program file on disk: it is
	// judged by what it definitely does, and what it computes at run
	// time is not reported.
	FromFile bool
	// Home is the home directory of the invocation ("" when unknown): what
	// `~` in a command string the program runs stands for.
	Home string
	// UserHome is the user's home directory, whose parent is what
	// Path.home().parent and the like name.
	UserHome string
}

// Kind is the kind of a Fact.
type Kind int

// The kinds of facts.
const (
	// Shell: the program runs the shell code Text (or does what it does);
	// How names how the code is reached ("python3 -c os.system").
	Shell Kind = iota
	// UnknownTarget: the program deletes a path computed at run time; Text
	// says which, for a human.
	UnknownTarget
	// UnknownCommand: the program runs a command, or code, computed at run
	// time, or is too complex to read; Text says which, for a human.
	UnknownCommand
)

// Fact is one thing a program does.
type Fact struct {
	Kind Kind
	Text string
	How  string
}

// Analyze reads p and returns what it does, in program order.
func Analyze(p Program) []Fact {
	r := &evaluator{code: p, vars: map[string]ival{}, fromFile: p.FromFile}
	if p.Chdir != "" {
		r.chdir(ival{kind: ivStr, s: p.Chdir})
	}
	r.run(p.Src, p.File)
	return r.facts
}
