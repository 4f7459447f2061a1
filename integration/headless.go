package integration

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Gemini CLI shows a hook's "ask" in its own dialog, but only when it runs
// with a human: headless ("gemini -p", no terminal, CI) it waits for an
// answer that never comes. Neither the hook's event nor its environment
// says which (the event has session_id, transcript_path, cwd,
// hook_event_name and timestamp; the environment is Gemini's own, plus
// GEMINI_PROJECT_DIR and the like), so guard looks at the Gemini process
// that started the hook, as Gemini itself decides (packages/cli/src/config/
// config.ts and packages/core/src/utils/headless.ts): interactive with -i
// or --prompt-interactive (or --acp, an editor's session), headless with
// -p or --prompt, with CI=true or GITHUB_ACTIONS=true, or when its stdin or
// stdout is not a terminal.

// geminiHeadless reports whether the Gemini CLI that started the process
// pid runs headless, reading the process table under procRoot (/proc).
// Gemini starts a hook through its shell ("bash -c COMMAND", which may exec
// the command in its place), so Gemini is the parent, or the parent of a
// shell that is the parent; nothing further up counts (a program the model
// ran through Gemini, such as go test, is not a hook). known is false when
// no Gemini process is found or its command line cannot be read; then the
// caller keeps its interactive answer.
func geminiHeadless(procRoot string, pid int) (headless, known bool) {
	for level := 0; level < 2; level++ {
		ppid, ok := parentPid(procRoot, pid)
		if !ok || ppid <= 1 {
			return false, false
		}
		pid = ppid
		argv, ok := procArgv(procRoot, pid)
		if !ok {
			return false, false
		}
		if isGeminiArgv(argv) {
			return geminiArgvHeadless(argv, procEnv(procRoot, pid), func(fd int) bool { return procFdIsTerminal(procRoot, pid, fd) }), true
		}
		if !isShellArgv(argv) {
			return false, false
		}
	}
	return false, false
}

// isShellArgv says whether a command line is a shell's, the one Gemini
// runs hooks through.
func isShellArgv(argv []string) bool {
	switch strings.TrimPrefix(filepath.Base(argv[0]), "-") {
	case "bash", "sh", "dash", "zsh", "ksh":
		return true
	}
	return false
}

// isGeminiArgv says whether a command line is Gemini CLI's: node running a
// script of the gemini-cli package or a file named gemini.
func isGeminiArgv(argv []string) bool {
	for i, a := range argv {
		if i > 2 {
			break
		}
		base := filepath.Base(a)
		if base == "gemini" || base == "gemini.js" || strings.Contains(a, "gemini-cli") {
			return true
		}
	}
	return false
}

// geminiArgvHeadless applies Gemini's own rule to its command line, its
// environment and whether its stdin (0) and stdout (1) are terminals.
func geminiArgvHeadless(argv []string, env map[string]string, terminal func(fd int) bool) bool {
	for _, a := range argv[1:] {
		name, _, _ := strings.Cut(a, "=")
		switch name {
		case "-i", "--prompt-interactive", "--acp", "--experimental-acp":
			return false
		}
	}
	for _, a := range argv[1:] {
		name, _, _ := strings.Cut(a, "=")
		if name == "-p" || name == "--prompt" {
			return true
		}
	}
	if env["GEMINI_CLI_INTEGRATION_TEST"] != "true" && (env["CI"] == "true" || env["GITHUB_ACTIONS"] == "true") {
		return true
	}
	return !terminal(0) || !terminal(1)
}

// parentPid reads the parent of pid from procRoot/PID/stat.
func parentPid(procRoot string, pid int) (int, bool) {
	data, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, false
	}
	// "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

// procArgv reads a process's command line.
func procArgv(procRoot string, pid int) ([]string, bool) {
	data, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "cmdline"))
	if err != nil || len(data) == 0 {
		return nil, false
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00"), true
}

// procEnv reads a process's environment; an unreadable one is empty.
func procEnv(procRoot string, pid int) map[string]string {
	env := map[string]string{}
	data, err := os.ReadFile(filepath.Join(procRoot, strconv.Itoa(pid), "environ"))
	if err != nil {
		return env
	}
	for _, kv := range strings.Split(string(data), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// procFdIsTerminal says whether a process's file descriptor is a terminal
// device.
func procFdIsTerminal(procRoot string, pid, fd int) bool {
	target, err := os.Readlink(filepath.Join(procRoot, strconv.Itoa(pid), "fd", strconv.Itoa(fd)))
	if err != nil {
		return false
	}
	return strings.HasPrefix(target, "/dev/pts/") || strings.HasPrefix(target, "/dev/tty") || target == "/dev/console"
}
