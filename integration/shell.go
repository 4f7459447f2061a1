package integration

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/rules"
)

// guard as the agents' shell. Started under the name bash or guard-bash,
// guard is a shell: it judges what bash would run and then runs the real
// bash (never itself: the real shell is resolved past guard's links).
// "guard install shell" makes the two links agents can be pointed at:
//
//   - DATA/guard/bin/bash ($XDG_DATA_HOME, ~/.local/share): put this
//     directory first in PATH where an agent starts, and every "bash" it
//     runs from PATH is guard (Gemini CLI, Cursor, Aider, Codex when the
//     login shell is not bash or zsh);
//   - ~/.local/bin/guard-bash: for CLAUDE_CODE_SHELL, which Claude Code
//     takes only when the path contains "bash".

// ShellLinks are the paths of guard's shell links for a user.
type ShellLinks struct {
	// Dir holds the link named bash; it goes first in PATH.
	Dir string
	// Bash is Dir/bash.
	Bash string
	// GuardBash is the link for CLAUDE_CODE_SHELL.
	GuardBash string
}

// ShellLinksFor returns where guard's shell links go.
func ShellLinksFor(opts InstallOptions) (ShellLinks, error) {
	if opts.Home == "" || !filepath.IsAbs(opts.Home) {
		return ShellLinks{}, fmt.Errorf("no home directory to install into (HOME is %q)", opts.Home)
	}
	data := rules.BaseDir(opts.getenv, opts.Home, "XDG_DATA_HOME", ".local", "share")
	dir := filepath.Join(data, "guard", "bin")
	return ShellLinks{
		Dir:       dir,
		Bash:      filepath.Join(dir, "bash"),
		GuardBash: filepath.Join(opts.Home, ".local", "bin", "guard-bash"),
	}, nil
}

// InstallShell makes guard's shell links point at opts.Binary and prints
// what changed and how to point each agent at them.
func InstallShell(opts InstallOptions, stdout io.Writer) error {
	if opts.Binary == "" || !filepath.IsAbs(opts.Binary) {
		return fmt.Errorf("install shell: the path of the guard binary must be absolute (got %q)", opts.Binary)
	}
	l, err := ShellLinksFor(opts)
	if err != nil {
		return err
	}
	for _, p := range []string{l.Bash, l.GuardBash} {
		did, err := placeLink(p, opts.Binary, opts.DryRun)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s -> %s\n", did, tilde(p, opts.Home), opts.Binary)
	}
	if opts.DryRun {
		fmt.Fprintln(stdout, "(dry run: nothing written)")
	}
	fmt.Fprint(stdout, shellWiring(l, opts.Home))
	return nil
}

// UninstallShell removes guard's shell links, and only links to a guard
// binary.
func UninstallShell(opts InstallOptions, stdout io.Writer) error {
	l, err := ShellLinksFor(opts)
	if err != nil {
		return err
	}
	for _, p := range []string{l.Bash, l.GuardBash} {
		target, err := os.Readlink(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(stdout, "absent %s\n", tilde(p, opts.Home))
			continue
		case err != nil:
			fmt.Fprintf(stdout, "kept %s: it is not a link guard made\n", tilde(p, opts.Home))
			continue
		case !isGuardTarget(target, opts.Binary):
			fmt.Fprintf(stdout, "kept %s: it points to %s, not to guard\n", tilde(p, opts.Home), target)
			continue
		}
		if !opts.DryRun {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("uninstall shell: %w", err)
			}
		}
		fmt.Fprintf(stdout, "removed %s\n", tilde(p, opts.Home))
	}
	if !opts.DryRun {
		os.Remove(l.Dir) // only when empty
	} else {
		fmt.Fprintln(stdout, "(dry run: nothing removed)")
	}
	fmt.Fprintln(stdout, "Take guard's bin directory out of PATH and unset CLAUDE_CODE_SHELL where you set them.")
	return nil
}

// placeLink makes p a symbolic link to binary and says what it did:
// "created", "updated" (it pointed to another guard) or "unchanged". A file
// that is not a link to a guard binary is never replaced.
func placeLink(p, binary string, dry bool) (string, error) {
	did := "created"
	switch target, err := os.Readlink(p); {
	case err == nil && target == binary:
		return "unchanged", nil
	case err == nil && isGuardTarget(target, binary):
		did = "updated"
	case err == nil:
		return "", fmt.Errorf("%s already exists and points to %s, not to guard; move it away and run guard install shell again", p, target)
	case !errors.Is(err, fs.ErrNotExist):
		if _, serr := os.Lstat(p); serr == nil {
			return "", fmt.Errorf("%s already exists and is not a link; move it away and run guard install shell again", p)
		}
		return "", fmt.Errorf("cannot read %s: %w", p, err)
	}
	if dry {
		return "would have " + did, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", fmt.Errorf("cannot make %s: %w", filepath.Dir(p), err)
	}
	tmp := p + ".guard-tmp"
	os.Remove(tmp)
	if err := os.Symlink(binary, tmp); err != nil {
		return "", fmt.Errorf("cannot make the link %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("cannot make the link %s: %w", p, err)
	}
	return did, nil
}

// isGuardTarget reports whether a link target is a guard binary: this one,
// or one named guard (an earlier install that moved).
func isGuardTarget(target, binary string) bool {
	return target == binary || filepath.Base(target) == "guard"
}

// tilde shortens p under home to ~/….
func tilde(p, home string) string {
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~/" + rest
	}
	return p
}

// shellWiring says how to point each agent at guard's shell links.
func shellWiring(l ShellLinks, home string) string {
	dir := tilde(l.Dir, home)
	if strings.HasPrefix(dir, "~/") {
		dir = "$HOME/" + strings.TrimPrefix(dir, "~/")
	}
	gb := tilde(l.GuardBash, home)
	if strings.HasPrefix(gb, "~/") {
		gb = "$HOME/" + strings.TrimPrefix(gb, "~/")
	}
	var b strings.Builder
	b.WriteString(`
Point each agent at it where you start the agent (guard's bash must come
before any other bash in PATH, but only for the agent: in your own terminal
"bash" would then start a guarded session):
`)
	for _, a := range adapters() {
		if a.shell != nil {
			b.WriteString(a.shell(dir, gb))
		}
	}
	// Aider has no hooks, so no adapter: guard's shell is its only way in.
	fmt.Fprintf(&b, "  Aider         PATH=\"%[1]s:$PATH\" SHELL=\"%[1]s/bash\" aider\n", dir)
	b.WriteString("guard doctor checks the links.\n")
	return b.String()
}

// doctorShell checks guard's shell links and, in the environment doctor
// runs in, whether CLAUDE_CODE_SHELL and PATH lead to them.
func doctorShell(r *report, opts DoctorOptions) {
	l, err := ShellLinksFor(InstallOptions{Home: opts.Home, Getenv: opts.Getenv})
	if err != nil {
		r.fail("", "shell: %v", err)
		return
	}
	getenv := func(k string) string {
		if opts.Getenv == nil {
			return ""
		}
		return opts.Getenv(k)
	}
	_, errBash := os.Lstat(l.Bash)
	_, errGB := os.Lstat(l.GuardBash)
	if errors.Is(errBash, fs.ErrNotExist) && errors.Is(errGB, fs.ErrNotExist) {
		r.info("shell: not installed (guard as the agents' shell: guard install shell)")
		return
	}
	installed := 0
	for _, p := range []string{l.Bash, l.GuardBash} {
		target, err := os.Readlink(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			r.info("shell: %s not installed (guard install shell makes it)", tilde(p, opts.Home))
		case err != nil:
			r.fail(fmt.Sprintf("move %s away and run guard install shell", p), "shell: %s is not a link to guard", tilde(p, opts.Home))
		case !isGuardTarget(target, opts.Binary):
			r.fail(fmt.Sprintf("move %s away and run guard install shell", p), "shell: %s points to %s, not to guard", tilde(p, opts.Home), target)
		case target != opts.Binary && !sameFile(target, opts.Binary):
			r.fail("run guard install shell", "shell: %s points to %s, not to this guard (%s)", tilde(p, opts.Home), target, opts.Binary)
		default:
			installed++
			r.ok("shell: %s runs this guard", tilde(p, opts.Home))
		}
	}
	if installed == 0 {
		return
	}
	if s := getenv("CLAUDE_CODE_SHELL"); s != "" {
		if real, err := filepath.EvalSymlinks(s); err == nil && sameFile(real, opts.Binary) {
			r.ok("shell: CLAUDE_CODE_SHELL is guard's (%s)", s)
		} else {
			r.note("shell: CLAUDE_CODE_SHELL is %s, not guard: Claude Code's commands do not run through guard's shell here", s)
		}
	}
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if dir == l.Dir {
			r.ok("shell: guard's bash comes first in PATH here")
			return
		}
		if fi, err := os.Stat(filepath.Join(dir, "bash")); err == nil && !fi.IsDir() {
			r.info("shell: in this PATH \"bash\" is %s; agents started from here run it, not guard's", filepath.Join(dir, "bash"))
			return
		}
	}
}
