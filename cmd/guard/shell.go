package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
	"golang.org/x/term"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
	"github.com/guard-dev/guard/sandbox/launch"
)

// runShell is shell mode: guard invoked as bash ("guard -c CMD", or through
// a link named bash). It analyses what bash would run, admits it, and then
// replaces itself with the real shell given the same arguments.
func runShell(argv0 string, args []string, stdin *os.File, stderr io.Writer) int {
	if shellLoop(args, stderr) {
		return sandbox.ExitBlocked
	}
	ba, err := parseBashArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return 2
	}
	s, err := loadSession("shell", shellStartup(argv0, args), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	shellArgv := append([]string{shellArgv0(argv0, s.shell)}, args...)
	if ba.Version || ba.Help {
		return s.exec(s.shell, shellArgv, sandbox.MarkRealShell(os.Environ(), true, args), stderr)
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
	case term.IsTerminal(int(stdin.Fd())):
		return runSession(loginRequested(argv0, args), stdin, stderr)
	default:
		// A script on stdin: read it all, judge it, then hand bash the
		// same bytes.
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "guard: reading the script on stdin: %v\n", err)
			return sandbox.ExitBlocked
		}
		if err := replaceStdin(data); err != nil {
			fmt.Fprintf(stderr, "guard: %v\n", err)
			return sandbox.ExitBlocked
		}
		src, positional = string(data), append([]string{shellArgv[0]}, ba.Operands...)
	}
	// Descriptors the command reads (Cursor's saved state on 3) are read
	// now and handed to the shell unchanged, so what they restore is judged.
	fds, err := readInputFds(src)
	if err != nil {
		fmt.Fprintf(stderr, "guard: blocked: %v\n", err)
		return sandbox.ExitBlocked
	}
	s.fds = fds
	ad := s.admit(src, positional)
	if !ad.Run {
		return ad.Code
	}
	return s.exec(s.shell, shellArgv, sandbox.MarkRealShell(ad.Env, true, args), stderr)
}

// shellLoop reports, having said so, whether this guard is the real shell
// of another guard (see sandbox.ShellLoop): the config's shell setting
// names something that runs guard again, which would start guard forever.
func shellLoop(args []string, stderr io.Writer) bool {
	mark, ok := os.LookupEnv(sandbox.RealShellEnv)
	if !ok {
		return false
	}
	why, certain := sandbox.ShellLoop(mark, args)
	if why == "" {
		return false
	}
	cwd, _ := os.Getwd()
	pol := loadSetup(cwd, io.Discard).policy
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

// runRun is "guard run": one command, judged and executed.
func runRun(args []string, stderr io.Writer) int {
	argv := args
	literal := false
	if len(argv) > 0 && argv[0] == "--" {
		argv, literal = argv[1:], true
	}
	if len(argv) == 0 {
		fmt.Fprintln(stderr, "usage: guard run -- CMD ARGS...   or   guard run 'CMD STRING'")
		return 2
	}
	s, err := loadSession("run", interceptor.Startup{}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "guard: %v\n", err)
		return sandbox.ExitBlocked
	}
	if len(argv) == 1 && !literal && strings.ContainsAny(argv[0], " \t\n;&|<>()$`'\"*?[]{}~") {
		// One string with shell syntax: run it through the real shell.
		ad := s.admit(argv[0], nil)
		if !ad.Run {
			return ad.Code
		}
		return s.exec(s.shell, []string{filepath.Base(s.shell), "-c", argv[0]}, sandbox.MarkRealShell(ad.Env, true, []string{"-c", argv[0]}), stderr)
	}
	// The argv is one invocation: quoting each word makes the analysis see
	// exactly these words, with no shell re-parsing of them.
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = shellQuote(a)
	}
	ad := s.admit(strings.Join(quoted, " "), nil)
	if !ad.Run {
		return ad.Code
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintf(stderr, "guard: %s: command not found\n", argv[0])
		return 127
	}
	return s.exec(path, argv, ad.Env, stderr)
}

// shellQuote quotes s for bash when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n;&|<>()$`'\"\\*?[]{}~#=%!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// session is what the execution modes share: the checker, the gate and
// the real shell.
type session struct {
	checker *rules.Checker
	gate    *sandbox.Gate
	shell   string
	cwd     string
	// fds holds what guard read from descriptors the command reads.
	fds map[int]string
}

// admit judges src and decides whether it runs.
func (s *session) admit(src string, positional []string) sandbox.Admission {
	j := s.checker.JudgeRun(src, s.cwd, positional, s.fds)
	if note := privilegeNote(j, launch.Check); note != "" {
		fmt.Fprintln(s.gate.Stderr, note)
	}
	return s.gate.Admit(context.Background(), sandbox.Command{
		Source:   src,
		Cwd:      s.cwd,
		Plan:     j.Plan,
		Launches: j.Launches,
		Verdict:  j.Verdict,
	}, os.Environ())
}

// privilegeNote is what guard says, before it asks or runs, when a command
// line runs a program that raises privileges through its setuid bit and
// what guard runs has no_new_privs (plan: see launch.InstallMark), under
// which the kernel ignores that bit: the program would fail, or run
// without privileges, and the agent should hand it to its human. It is ""
// otherwise.
func privilegeNote(j rules.Judgment, plan func() launch.Plan) string {
	name := ""
	for _, list := range [][]string{j.Wrappers, j.Names} {
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
func (s *session) exec(path string, argv, env []string, stderr io.Writer) int {
	launch.InstallMark()
	err := sandbox.Exec(path, argv, env)
	fmt.Fprintf(stderr, "guard: %v\n", err)
	return 127
}
