package interceptor

import (
	"errors"
	"io/fs"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A login shell runs its profile files before its command: bash reads
// /etc/profile, then the first of ~/.bash_profile, ~/.bash_login and
// ~/.profile that exists (in POSIX mode ~/.profile alone), and whatever they
// source. Agents start such shells for every command (Codex: "bash -lc";
// Claude Code without a snapshot: "bash -c -l"), so what those files run is
// judged with the command, and what they define (a function, an alias) is
// known to it when it calls it. The files are read through source, so a
// profile that only defines things is kept in the cache of inert files
// like an agent's snapshot (cache.go).

// loginStartup analyses the profile files of a login shell in st, the
// state the command then runs in.
func (a *analyzer) loginStartup(st *state, posix bool) {
	a.sourceIfThere("/etc/profile", st)
	if a.stopped {
		return
	}
	if st.home == "" || strings.Contains(st.home, UnknownMark) {
		a.unknown(st, "login shell", "a login shell reads its profile in the home directory, which cannot be known")
		return
	}
	names := []string{".bash_profile", ".bash_login", ".profile"}
	if posix {
		names = []string{".profile"}
	}
	for _, n := range names {
		if a.sourceIfThere(path.Join(st.home, n), st) {
			return
		}
	}
}

// sourceIfThere analyses "source p" in st when p exists, and reports
// whether it does. One that exists but cannot be read is unknown to
// source: a confirm, not a silent skip.
func (a *analyzer) sourceIfThere(p string, st *state) bool {
	if _, err := a.ctx.FS.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return false
	}
	// A path holds no NUL, the one byte syntax.Quote cannot quote for bash;
	// were one there, the analysis reports it in the text as it is.
	q, err := syntax.Quote(p, syntax.LangBash)
	if err != nil {
		q = p
	}
	a.script("source "+q, st)
	return true
}

// loginShell reports whether a shell started with args reads the login
// profile files, and whether in POSIX mode: bash with -l or --login among
// its options and no --noprofile, sh (bash's POSIX mode, dash) with -l.
func loginShell(name string, args []Word) (login, posix bool) {
	if name != "bash" && name != "sh" {
		return false, false
	}
	noProfile := false
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if args[i].Unknown {
			break
		}
		switch {
		case v == "--" || v == "-":
			i = len(args)
		case v == "--login":
			login = true
		case v == "--noprofile":
			noProfile = true
		case v == "--posix":
			posix = true
		case v == "--rcfile" || v == "--init-file":
			i++
		case strings.HasPrefix(v, "--"):
		case len(v) > 1 && v[0] == '-':
			login = login || strings.ContainsRune(v, 'l')
			if strings.ContainsAny(v, "oO") {
				i++ // the option's value
			}
		case len(v) > 1 && v[0] == '+':
			if strings.ContainsAny(v, "oO") {
				i++
			}
		default:
			i = len(args) // the script and its arguments
		}
	}
	return login && !noProfile, posix || name == "sh"
}
