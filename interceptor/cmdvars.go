package interceptor

import (
	"maps"
	"slices"
	"strings"
)

// commandVar reports whether name is an environment variable that programs
// read as a command to run: a pager, an editor, an input filter, an ssh or
// password helper. git, man, less, crontab -e, psql, kubectl edit and the
// like run its value through the shell.
func commandVar(name string) bool {
	switch name {
	case "PAGER", "GIT_PAGER", "MANPAGER", "SYSTEMD_PAGER", "GH_PAGER", "AWS_PAGER", "BAT_PAGER", "PSQL_PAGER",
		"DELTA_PAGER", "EDITOR", "VISUAL", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "KUBE_EDITOR", "SUDO_EDITOR",
		"GH_EDITOR", "PSQL_EDITOR", "SVN_EDITOR", "FCEDIT", "LESSOPEN", "LESSCLOSE", "GIT_SSH_COMMAND",
		"GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_PROXY_COMMAND", "BROWSER":
		return true
	}
	return false
}

// usesCommandVars reports whether the program runs the commands such
// variables name, so that a variable set earlier in the script (not only as
// the command's own prefix) is followed for it.
func usesCommandVars(name string) bool {
	switch name {
	case "git", "man", "less", "more", "crontab", "psql", "mysql", "kubectl", "gh", "glab", "systemctl",
		"journalctl", "sudoedit", "visudo", "vipw", "vigr", "aws", "bat", "svn", "hg", "fc", "xdg-open", "ssh", "scp":
		return true
	}
	return false
}

// commandVars follows the command-valued variables a command is given
// (PAGER='…' git log, EDITOR='…' crontab -e, LESSOPEN='|… %s' less f) and
// the options that name a command (man -P CMD, mysql --pager=CMD, zip -TT
// CMD): each value is analysed as the shell code the program runs. Whether
// the program does run it (a pager only on a terminal, an editor only when
// there is something to edit) depends on what happens at run time, so these
// commands are judged by what they definitely do (Invocation.Indirect).
func (w *walker) commandVars(inv Invocation, st *state) {
	if len(inv.Assigns) > 0 {
		for _, name := range sortedKeys(inv.Assigns) {
			if commandVar(name) {
				w.commandValue(name, inv.Assigns[name], inv, st)
			}
		}
	}
	if usesCommandVars(inv.Name) && len(st.vars) > 0 {
		var names []string
		for name, v := range st.vars {
			if _, given := inv.Assigns[name]; !given && v.set && commandVar(name) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			w.commandValue(name, st.vars[name].val, inv, st)
		}
	}
	switch inv.Name {
	case "git":
		// git -c KEY=VALUE for the keys whose value is a command git runs.
		for i := 0; i+1 < len(inv.Args); i++ {
			if inv.Args[i].Value != "-c" {
				continue
			}
			key, val, ok := strings.Cut(inv.Args[i+1].Value, "=")
			if ok && gitCommandKey(strings.ToLower(key)) {
				w.commandValue("git -c "+key, val, inv, st)
			}
			i++
		}
	case "man":
		if v, ok := longOrShort(inv.Args, "--pager", "-P"); ok {
			w.commandValue("man -P", v.Value, inv, st)
		}
	case "mysql", "mariadb":
		if v, ok := longOrShort(inv.Args, "--pager", ""); ok {
			w.commandValue("mysql --pager", v.Value, inv, st)
		}
	case "zip":
		if v, ok := longOrShort(inv.Args, "--unzip-command", "-TT"); ok {
			w.commandValue("zip -TT", v.Value, inv, st)
		}
	}
}

// gitCommandKey reports whether a git configuration key (lower case)
// names a command git runs through the shell.
func gitCommandKey(key string) bool {
	switch key {
	case "core.pager", "core.editor", "sequence.editor", "core.sshcommand", "core.askpass", "diff.external",
		"core.fsmonitor", "gpg.program", "credential.helper":
		return true
	}
	return strings.HasPrefix(key, "pager.")
}

// commandValue analyses the command a variable or option names.
func (w *walker) commandValue(link, value string, inv Invocation, st *state) {
	if link == "LESSOPEN" || link == "LESSCLOSE" {
		// "|cmd %s", "||cmd %s", "-|cmd %s": an input preprocessor.
		value = strings.TrimLeft(value, "-|")
		value = strings.ReplaceAll(value, "%s", "FILE")
	}
	if link == "git -c credential.helper" || link == "git -c core.fsmonitor" {
		// A helper runs through the shell only when it starts with "!".
		if !strings.HasPrefix(value, "!") {
			return
		}
		value = value[1:]
	}
	if strings.TrimSpace(value) == "" || value == "true" || value == "false" {
		return
	}
	start := len(w.a.out)
	w.runString(link, Word{Value: value, Unknown: strings.Contains(value, UnknownMark)}, inv.Cwd, inv, st)
	for i := start; i < len(w.a.out); i++ {
		if w.a.out[i].Indirect == "" {
			w.a.out[i].Indirect = link
		}
	}
}

// rcFile follows the startup file an interactive bash is told to read
// instead of ~/.bashrc (bash --rcfile FILE -i -c CMD, bash --init-file FILE).
func (w *walker) rcFile(inv Invocation, mode byte, nested func(link string) *state) {
	file, ok := longOrShort(inv.Args, "--rcfile", "")
	if !ok {
		file, ok = longOrShort(inv.Args, "--init-file", "")
	}
	if !ok || !interactiveShell(inv.Args, mode, inv.Stdin) {
		return
	}
	n := nested(inv.Name + " --rcfile " + file.String())
	s := w.readFile(file, n)
	if !s.Known {
		w.a.unknown(n, inv.Text, inv.Name+" reads its startup file "+file.String()+", which guard cannot read")
		return
	}
	w.a.script(s.Data, n)
}

// interactiveShell reports whether a shell started with args is
// interactive: -i, or no command string and no script with the terminal as
// its input.
func interactiveShell(args []Word, mode byte, stdin *Stream) bool {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--rcfile" || v == "--init-file" || v == "-O" || v == "+O" || v == "-o" || v == "+o":
			i++ // the option's value
		case v == "--" || !strings.HasPrefix(v, "-"):
			return mode == 's' && stdin == nil
		case !strings.HasPrefix(v, "--") && strings.Contains(v, "i"):
			return true
		}
	}
	return mode == 's' && stdin == nil
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
