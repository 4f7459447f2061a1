package integration

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The Cline hook is a script: Cline runs the executable file named after
// the event, one per directory, so guard owns the whole file.

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
