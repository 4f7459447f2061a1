package interceptor

import (
	"path"
	"strings"
)

// Shell setup code from well-known environment generators.
//
// "eval \"$(ssh-agent -s)\"", "eval \"$(pyenv init -)\"", "eval \"$(direnv
// hook bash)\"" and their kin are in every setup guide: the tool prints
// shell code that sets its variables (SSH_AUTH_SOCK, PATH with its shims),
// defines wrapper functions named after itself and prompt hooks, and the
// shell evaluates it. What it prints is not known before it runs, but what
// it is is: the tool's own setup code, the same every time, which deletes
// and sends nothing. Such a substitution is an unknown value of the kind
// KindSetup (kinds.go), and eval of exactly that value is analysed as setup
// code (setupEval): nothing of it is unknown, but afterwards the variables
// the script did not assign are no longer known exactly (the tool set some;
// PATH, PS1, PROMPT_COMMAND and MANPATH are unknown), and zoxide's z and zi
// change to a directory that cannot be known.
//
// Only the tool's setup forms with literal arguments count (setupGenerator),
// found by name through PATH or at Homebrew's own paths: "zoxide init bash
// --cmd cd" (which makes cd jump to remembered directories), "direnv export"
// (which prints a project's .envrc values) and anything else stay unknown.

// setupGenerator reports whether args (literal words) run a known
// environment generator's setup form, and returns the tool.
func setupGenerator(args []string) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	tool := args[0]
	switch tool {
	case "/opt/homebrew/bin/brew", "/usr/local/bin/brew", "/home/linuxbrew/.linuxbrew/bin/brew":
		tool = "brew"
	}
	if strings.Contains(tool, "/") {
		return "", false
	}
	rest := args[1:]
	ok := false
	switch tool {
	case "ssh-agent":
		ok = setupArgs(rest, nil, "-s") // sh syntax; -c would be csh's
	case "keychain":
		ok = len(rest) > 0 && setupKeychain(rest)
	case "pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv", "phpenv", "luaenv", "tfenv":
		ok = setupArgs(rest, []string{"init"}, "-", "--path", "--no-rehash", "bash", "zsh", "sh") ||
			tool == "pyenv" && setupArgs(rest, []string{"virtualenv-init"}, "-", "bash", "zsh")
	case "fnm":
		ok = setupArgs(rest, []string{"env"}, "--use-on-cd", "--shell", "bash", "zsh", "--shell=bash", "--shell=zsh",
			"--corepack-enabled", "--resolve-engines", "--version-file-strategy=recursive", "--version-file-strategy=local")
	case "zoxide":
		ok = setupArgs(rest, []string{"init", "bash"}, "--hook", "prompt", "pwd", "none", "--no-cmd") ||
			setupArgs(rest, []string{"init", "zsh"}, "--hook", "prompt", "pwd", "none", "--no-cmd")
	case "starship":
		ok = setupArgs(rest, []string{"init", "bash"}, "--print-full-init") ||
			setupArgs(rest, []string{"init", "zsh"}, "--print-full-init")
	case "brew":
		ok = setupArgs(rest, []string{"shellenv"}, "bash", "zsh", "sh")
	case "conda", "mamba", "micromamba":
		ok = setupArgs(rest, []string{"shell.bash", "hook"}) || setupArgs(rest, []string{"shell.zsh", "hook"}) ||
			setupArgs(rest, []string{"shell", "hook"}, "--shell", "-s", "bash", "zsh")
	case "mise", "rtx":
		ok = setupArgs(rest, []string{"activate"}, "bash", "zsh", "--shims", "--quiet", "-q")
	case "opam":
		ok = setupArgs(rest, []string{"env"}, "--shell=bash", "--shell=sh", "--shell=zsh", "--set-switch", "--set-root")
	case "direnv":
		ok = setupArgs(rest, []string{"hook", "bash"}) || setupArgs(rest, []string{"hook", "zsh"})
	}
	return tool, ok
}

// setupArgs reports whether args are lead followed only by words of extra.
func setupArgs(args, lead []string, extra ...string) bool {
	if len(args) < len(lead) {
		return false
	}
	for i, l := range lead {
		if args[i] != l {
			return false
		}
	}
	for _, a := range args[len(lead):] {
		found := false
		for _, e := range extra {
			found = found || a == e
		}
		if !found {
			return false
		}
	}
	return true
}

// setupKeychain reports whether keychain's arguments ask for its --eval
// output: --eval, its quiet and agent options, and key names.
func setupKeychain(args []string) bool {
	eval := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--eval":
			eval = true
		case a == "--quiet" || a == "-q" || a == "--noask" || a == "--nogui" || a == "--quick" || a == "-Q" || a == "--ignore-missing":
		case a == "--agents" || a == "--timeout" || a == "--host":
			i++ // its value
		case strings.HasPrefix(a, "-"):
			return false
		case path.Base(a) != a && !strings.HasPrefix(a, "~/") && !strings.HasPrefix(a, "/"):
			return false
		}
	}
	return eval
}

// setupVars are variables setup code commonly assigns, whichever tool.
var setupVars = []string{"PATH", "MANPATH", "INFOPATH", "PS1", "PROMPT_COMMAND"}

// setupEval analyses eval of the setup code tool prints: its variables
// become unknown, and zoxide's jump functions change directory to one that
// cannot be known.
func (w *walker) setupEval(tool string, st *state) {
	st.loose = true
	for _, v := range setupVars {
		st.setVar(v, UnknownMark)
	}
	if tool == "zoxide" {
		// z and zi cd to a directory zoxide remembers: $RANDOM is a
		// value the analysis never knows.
		w.a.script(`z() { builtin cd -- "$RANDOM"; }; zi() { builtin cd -- "$RANDOM"; }`, st)
	}
}
