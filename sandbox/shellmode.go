package sandbox

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/launch"
)

// RunShell is shell mode: guard invoked as bash ("guard -c CMD", or through
// a link named bash) with bash's arguments args, parsed as ba. It analyses
// what bash would run, admits it, and then replaces itself with the real
// shell given the same arguments. It returns only when the command does
// not run, with the exit status to use. A script on stdin that is a
// terminal is guard shell's, not this mode's.
func (g *Guard) RunShell(argv0 string, args []string, ba BashArgs, stdin *os.File) int {
	shellArgv := append([]string{shellArgv0(argv0, g.Shell)}, args...)
	if ba.Version || ba.Help {
		return g.exec(g.Shell, shellArgv, MarkRealShell(os.Environ(), true, args))
	}
	var src string
	var positional []string
	switch {
	case ba.HasCommand:
		src, positional = ba.Command, ba.positional(shellArgv[0])
	case !ba.Stdin:
		// bash SCRIPT ARGS: judge the script as bash would run it.
		src = "source " + shellQuote(ba.Operands[0]) + ` "$@"`
		positional = ba.Operands
	default:
		// A script on stdin: read it all, judge it, then hand bash the
		// same bytes.
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(g.Gate.Stderr, "guard: reading the script on stdin: %v\n", err)
			return ExitBlocked
		}
		if err := replaceStdin(data); err != nil {
			fmt.Fprintf(g.Gate.Stderr, "guard: %v\n", err)
			return ExitBlocked
		}
		src, positional = string(data), append([]string{shellArgv[0]}, ba.Operands...)
	}
	// Descriptors the command reads (Cursor's saved state on 3) are read
	// now and handed to the shell unchanged, so what they restore is judged.
	fds, err := readInputFds(src)
	if err != nil {
		fmt.Fprintf(g.Gate.Stderr, "guard: blocked: %v\n", err)
		return ExitBlocked
	}
	ad := g.admit(rules.Command{Source: src, Cwd: g.Cwd, Args: positional, Fds: fds, Startup: shellStartup(argv0, args)})
	if !ad.Run {
		return ad.Code
	}
	return g.exec(g.Shell, shellArgv, MarkRealShell(ad.Env, true, args))
}

// RunArgv is guard run: argv judged and executed. With literal ("guard run
// -- ARGV") or more than one word, argv is one invocation, run directly;
// one word with shell syntax is a string for the real shell. It returns
// only when the command does not run.
func (g *Guard) RunArgv(argv []string, literal bool) int {
	if len(argv) == 1 && !literal && strings.ContainsAny(argv[0], " \t\n;&|<>()$`'\"*?[]{}~") {
		// One string with shell syntax: run it through the real shell.
		ad := g.admit(rules.Command{Source: argv[0], Cwd: g.Cwd})
		if !ad.Run {
			return ad.Code
		}
		return g.exec(g.Shell, []string{filepath.Base(g.Shell), "-c", argv[0]}, MarkRealShell(ad.Env, true, []string{"-c", argv[0]}))
	}
	// The argv is one invocation: quoting each word makes the analysis see
	// exactly these words, with no shell re-parsing of them.
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	ad := g.admit(rules.Command{Source: strings.Join(quoted, " "), Cwd: g.Cwd})
	if !ad.Run {
		return ad.Code
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintf(g.Gate.Stderr, "guard: %s: command not found\n", argv[0])
		return 127
	}
	return g.exec(path, argv, ad.Env)
}

// admit judges cmd and decides whether it runs.
func (g *Guard) admit(cmd rules.Command) Admission {
	r := g.Checker.Check(cmd)
	if note := privilegeNote(r, launch.Check); note != "" {
		fmt.Fprintln(g.Gate.Stderr, note)
	}
	ad := g.Gate.Admit(context.Background(), Command{
		Source:   cmd.Source,
		Cwd:      cmd.Cwd,
		Plan:     r.Plan,
		Launches: r.Launches,
		Verdict:  r.Verdict,
	}, os.Environ())
	g.foreseen, g.approval = r.Names, ad.Approval
	return ad
}

// privilegeNote is what guard says, before it asks or runs, when a command
// line runs a program that raises privileges through its setuid bit and
// what guard runs has no_new_privs (plan: see launch.InstallMark), under
// which the kernel ignores that bit: the program would fail, or run
// without privileges, and the agent should hand it to its human. It is ""
// otherwise.
func privilegeNote(r rules.Result, plan func() launch.Plan) string {
	name := ""
	for _, list := range [][]string{r.Wrappers, r.Names} {
		for _, n := range list {
			switch n {
			case "sudo", "sudoedit", "su", "doas", "pkexec":
				if name == "" {
					name = n
				}
			}
		}
	}
	if name == "" {
		return ""
	}
	if p := plan(); !p.Available || !p.NoNewPrivs {
		return ""
	}
	return "guard: note: " + name + " cannot raise privileges inside guard's agent shell (guard sets no_new_privs on what it runs for an agent, so that guard approve can tell its commands from a human's): run it yourself in your own terminal"
}

// exec replaces guard with the command: its stdin, stdout, stderr and
// every other inherited descriptor stay as they are, and its exit status
// and signals are exactly its own. It returns only on failure.
//
// The command is marked first (launch.InstallMark): the kernel carries the
// mark to every process of its tree, and "guard approve" refuses inside
// it. Where the kernel cannot mark, the command runs all the same, with
// GUARD_ACTIVE as its only mark; guard doctor says which is in force.
//
// Before the mark, the write fence (applyFence, sandbox/fence) confines
// what the command's tree may change on disk; when it is in force and
// stderr is a pipe, guard stays the command's parent (runFenced) to
// explain a write the fence refused.
func (g *Guard) exec(path string, argv, env []string) int {
	// Landlock is per thread: this goroutine stays on its thread, which
	// execs or forks the command.
	runtime.LockOSThread()
	st, ok := g.applyFence()
	if !ok {
		return ExitBlocked
	}
	launch.InstallMark()
	judge := g.startExecJudge() // execjudge.go
	if st.ABI > 0 {
		if code, ran := g.runFenced(path, argv, env, st, judge); ran {
			return code
		}
	}
	if judge != nil {
		return runJudged(judge, path, argv, env, g.Gate.Stderr, forwarded, nil)
	}
	err := Exec(path, argv, env)
	fmt.Fprintf(g.Gate.Stderr, "guard: %v\n", err)
	return 127
}

// ShellLoopRefused reports, having said so on stderr, whether this guard,
// started with bash's arguments args, is the real shell of another guard
// (see ShellLoop): the config's shell setting names something that runs
// guard again, which would start guard forever.
func ShellLoopRefused(args []string, stderr io.Writer) bool {
	mark, ok := os.LookupEnv(RealShellEnv)
	if !ok {
		return false
	}
	why, certain := ShellLoop(mark, args)
	if why == "" {
		return false
	}
	cwd, _ := os.Getwd()
	g, _ := Load(cwd, ModePolicy, Process{}) // never fails in ModePolicy
	pol := g.Policy
	where := "guard's built-in default"
	if o := pol.Origin("shell", ""); o.File != "" {
		where = o.String()
	}
	runs := "runs guard again instead of bash, which would start guard forever"
	if !certain {
		runs = "may run guard again instead of bash"
	}
	fmt.Fprintf(stderr, "guard: refused: %s: the configured shell %s %s (shell = %q, from %s); set shell to the real bash, such as shell = \"/bin/bash\"\n", why, pol.Shell, runs, pol.Shell, where)
	return true
}

// shellArgv0 is the argv[0] the real shell gets: the name guard was started
// under when that is a shell's ("bash", "-bash" for a login shell), else the
// real shell's base name, keeping a leading "-".
func shellArgv0(argv0, shell string) string {
	base := filepath.Base(argv0)
	login := strings.HasPrefix(base, "-")
	base = strings.TrimPrefix(base, "-")
	if base == "guard" || base == "guard-bash" {
		base = filepath.Base(shell)
	}
	if login {
		return "-" + base
	}
	return base
}

// replaceStdin puts data on file descriptor 0 as an anonymous in-memory file,
// so the real shell reads exactly the bytes guard judged.
func replaceStdin(data []byte) error {
	fd, err := unix.MemfdCreate("guard-stdin", 0)
	if err != nil {
		return fmt.Errorf("cannot hold the script for bash: %w", err)
	}
	f := os.NewFile(uintptr(fd), "guard-stdin")
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("cannot hold the script for bash: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("cannot hold the script for bash: %w", err)
	}
	if err := unix.Dup2(fd, 0); err != nil {
		return fmt.Errorf("cannot hand the script to bash: %w", err)
	}
	return nil
}

// shellQuote quotes s as one word for bash, for the source the analysis
// reads (syntax.Quote). Arguments and paths hold no NUL, the one byte it
// cannot quote; were one there, s is left as it is and the analysis
// reports the NUL.
func shellQuote(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		return s
	}
	return q
}
