package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// clineAdapter is Cline: its hook is a script, for Cline runs the
// executable file named after the event, one per directory, so guard owns
// the whole file (~/Documents/Cline/Hooks/PreToolUse).
func clineAdapter() *adapter {
	return &adapter{
		name: "cline",
		hook: clineProtocol(),
		probe: func(command, cwd string) any {
			return map[string]any{"hookName": "PreToolUse", "workspaceRoots": []string{cwd},
				"preToolUse": map[string]any{"toolName": "execute_command", "parameters": map[string]any{"command": command}}}
		},
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: hookScript,
				path: filepath.Join(home, "Documents", "Cline", "Hooks", "PreToolUse"),
				what: `the global PreToolUse hook script`}
		},
	}
}

// scriptMarker starts the comment that marks guard's script.
const scriptMarker = "# guard:"

// clineScript is the hook script that runs cmd.
func clineScript(cmd string) string {
	return "#!/bin/sh\n" +
		scriptMarker + " checks every command Cline runs. \"guard install cline\" wrote this file;\n" +
		"# \"guard uninstall cline\" removes it.\n" +
		"exec " + cmd + "\n"
}

// guardScript says whether a hook script is guard's: a shebang, comments
// and a single "exec GUARD hook AGENT". It returns the exec'd command.
func guardScript(content []byte, binary string) (cmd string, ok bool) {
	lines := strings.Split(strings.TrimRight(string(content), "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "#!") || !strings.Contains(string(content), scriptMarker) {
		return "", false
	}
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "exec ") && cmd == "":
			rest := strings.TrimSpace(strings.TrimPrefix(l, "exec "))
			if _, _, ok := guardCommand(rest, binary); !ok {
				return "", false
			}
			cmd = rest
		default:
			return "", false
		}
	}
	return cmd, cmd != ""
}

// installScript writes the Cline hook script.
func installScript(t *target, cmd string, opts InstallOptions, stdout io.Writer) error {
	want := []byte(clineScript(cmd))
	f, err := readTarget(t.path)
	if err != nil {
		return err
	}
	if f.exists {
		if _, ok := guardScript(f.data, opts.Binary); !ok {
			return fmt.Errorf("install %s: %s already exists and is not guard's hook; Cline runs one PreToolUse file, so guard will not replace it. Move it aside and run \"guard install %s\" again, or have your script run `%s` with the same input and pass on its answer",
				t.agent, t.path, t.agent, cmd)
		}
		if bytes.Equal(f.data, want) && f.perm&0o111 != 0 {
			fmt.Fprintf(stdout, "%s: guard's hook is already %s; nothing changed\n", t.agent, t.path)
			return nil
		}
	}
	io.WriteString(stdout, unifiedDiff(t.path, f.data, want))
	sentence := fmt.Sprintf("add %s %s that runs: %s", t.what, t.path, cmd)
	if f.exists {
		sentence = fmt.Sprintf("point guard's hook %s at this binary: %s", t.path, cmd)
	}
	if opts.DryRun {
		fmt.Fprintf(stdout, "%s: would %s (dry run: nothing written)\n", t.agent, sentence)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(f.real), 0o755); err != nil {
		return err
	}
	f.perm = 0o755
	if _, err := f.replaceNoBackup(want); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", t.agent, pastTense(sentence))
	fmt.Fprintf(stdout, "%s: hooks run only with \"Enable Hooks\" on in Cline's settings (Features)\n", t.agent)
	return nil
}

// uninstallScript removes the Cline hook script if it is guard's.
func uninstallScript(t *target, opts InstallOptions, stdout io.Writer) error {
	f, err := readForUninstall(t, stdout)
	if f == nil {
		return err
	}
	if _, ok := guardScript(f.data, opts.Binary); !ok {
		fmt.Fprintf(stdout, "%s: %s is not guard's hook; left as it is\n", t.agent, t.path)
		return nil
	}
	io.WriteString(stdout, unifiedDiff(t.path, f.data, nil))
	if opts.DryRun {
		fmt.Fprintf(stdout, "%s: would remove %s (dry run: nothing written)\n", t.agent, t.path)
		return nil
	}
	if err := f.remove(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: removed %s\n", t.agent, t.path)
	return nil
}

// doctorScript checks the Cline hook script.
func doctorScript(r *report, t *target, opts DoctorOptions) {
	data, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		// Early releases of Cline hooks read a different directory.
		old := filepath.Join(opts.Home, "Documents", "Cline", "Rules", "Hooks", "PreToolUse")
		if d, err := os.ReadFile(old); err == nil {
			if _, ok := guardScript(d, opts.Binary); ok {
				r.note("%s: guard's hook is at %s, where early Cline releases looked; current releases read %s (run: guard install %s)", t.agent, old, t.path, t.agent)
			}
		}
		r.info("%s: not installed (%s does not exist; run: guard install %s)", t.agent, t.path, t.agent)
		return
	}
	if err != nil {
		r.fail("make the file readable", "%s: cannot read %s: %v", t.agent, t.path, err)
		return
	}
	cmd, ok := guardScript(data, opts.Binary)
	if !ok {
		r.info("%s: %s is a hook that is not guard's; guard is not installed for %s", t.agent, t.path, t.agent)
		return
	}
	good := true
	if fi, err := os.Stat(t.path); err == nil && fi.Mode().Perm()&0o111 == 0 {
		r.fail("chmod +x "+t.path, "%s: %s is not executable, so Cline does not run it", t.agent, t.path)
		good = false
	}
	w, _ := splitWords(cmd)
	good = checkHookCommand(r, t, cmd, w[0], w[2], opts) && good
	if good && opts.Probe {
		if err := probeHook(t.agent, opts.Home, t.path); err != nil {
			r.fail("run the script by hand to see why; then run: guard install "+t.agent,
				"%s: %s does not work when run as Cline runs it: %v", t.agent, t.path, err)
			good = false
		}
	}
	if good {
		r.ok("%s: %s runs %q", t.agent, t.path, cmd)
	}
	r.note("%s: Cline runs hooks only with \"Enable Hooks\" on in its settings (Features); guard cannot see that setting", t.agent)
}

// clineAnswer is the answer of a Cline hook.
type clineAnswer struct {
	Cancel              bool   `json:"cancel"`
	ErrorMessage        string `json:"errorMessage,omitempty"`
	ContextModification string `json:"contextModification,omitempty"`
}

// clineProtocol is Cline's PreToolUse hook (an executable file named
// PreToolUse).
//
// Event: {"hookName":"PreToolUse", "workspaceRoots", "preToolUse":
// {"toolName":"execute_command", "parameters":{"command"}}, ...}. Answer:
// {"cancel":bool, "errorMessage", "contextModification"}; the error message
// is shown to the user, the context modification goes to the model. There
// is no way to ask, so confirm cancels with a message telling the model to
// ask its human. Commands run in the workspace root, the first of
// workspaceRoots.
func clineProtocol() protocol {
	return protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			if other, err := ev.other("hookName", "PreToolUse"); err != nil || other {
				return nil, err
			}
			pre, err := ev.requiredObj("preToolUse", "the event has no preToolUse")
			if err != nil {
				return nil, err
			}
			tool, err := pre.required("toolName", "the event has no preToolUse.toolName")
			if err != nil {
				return nil, err
			}
			if tool != "execute_command" {
				return nil, nil
			}
			params, err := pre.requiredObj("parameters", "the execute_command event has no parameters")
			if err != nil {
				return nil, err
			}
			cmd, err := params.command("command", "preToolUse.parameters.command")
			if err != nil {
				return nil, err
			}
			return &call{command: cmd, cwd: ev.firstStr("workspaceRoots")}, nil
		},
		pass:  func() reply { return reply{stdout: clineAnswer{}} },
		allow: func() reply { return reply{stdout: clineAnswer{}} },
		confirm: func(e explanation) reply {
			return reply{stdout: clineAnswer{true, e.humanConfirmText(), e.confirmText()}}
		},
		deny: func(e explanation) reply {
			return reply{stdout: clineAnswer{true, e.humanDenyText(), e.denyText()}}
		},
		invalid: func(text string) reply {
			return reply{stdout: clineAnswer{Cancel: true, ErrorMessage: text}, stderr: text}
		},
	}
}
