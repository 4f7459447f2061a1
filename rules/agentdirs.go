package rules

import (
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Coding agents keep some state of their own that they write through the
// shell they run commands in: Claude Code writes its shell snapshot
// (~/.claude/shell-snapshots/snapshot-bash-….sh) with a script it runs
// through the user's shell at the start of every session. To the path
// model such a directory is the agent's scratch: writing, overwriting and
// deleting in it is everyday work the agent redoes at will, like /tmp.
// The directory itself, and the agent's directory around it (settings,
// history, credentials), keep their protection. What a snapshot defines is
// judged where it matters: when a command sources it and calls what it
// defines (interceptor/cache.go).
//
// Gemini CLI's shell writes only in the temporary directory (gemini-shell-*,
// shell_pgrep_*.tmp), already scratch; ~/.gemini/tmp, despite its name,
// holds chat histories, checkpoints and the binaries Gemini runs, and is
// not scratch.

// AgentDir is one agent's scratch directory.
type AgentDir struct {
	// Path is absolute and cleaned.
	Path string
	// Name names it for a human: "Claude Code's shell snapshots".
	Name string
}

// AgentScratchDirs returns the agents' scratch directories for a user
// whose home is home, with env the environment guard runs in: Claude
// Code's shell snapshots under ~/.claude and $CLAUDE_CONFIG_DIR, Codex's
// under ~/.codex and $CODEX_HOME.
func AgentScratchDirs(home string, env map[string]string) []AgentDir {
	var out []AgentDir
	add := func(base, sub, name string) {
		if base == "" || !filepath.IsAbs(base) || strings.Contains(base, interceptor.UnknownMark) {
			return
		}
		p := filepath.Join(base, sub)
		for _, d := range out {
			if d.Path == p {
				return
			}
		}
		out = append(out, AgentDir{Path: p, Name: name})
	}
	const claude, codex = "Claude Code's shell snapshots", "Codex's shell snapshots"
	if home != "" && filepath.IsAbs(home) && filepath.Clean(home) != "/" {
		add(filepath.Join(home, ".claude"), "shell-snapshots", claude)
		add(filepath.Join(home, ".codex"), "shell_snapshots", codex)
	}
	add(env["CLAUDE_CONFIG_DIR"], "shell-snapshots", claude)
	add(env["CODEX_HOME"], "shell_snapshots", codex)
	return out
}

// pathAgentScratch classifies p against the agents' scratch directories:
// the directory itself is protected like /tmp (KindTemp), what is in it is
// scratch. It is consulted after the credential stores, git metadata,
// guard's files, the project and the policy's protected paths, which
// keep their class wherever they are.
func (w *World) pathAgentScratch(p string) (PathInfo, bool) {
	for _, d := range w.AgentScratch {
		switch {
		case p == d.Path:
			return pathMake(p, KindTemp, d.Name+" "+w.pathShow(p), ""), true
		case pathWithin(d.Path, p):
			return pathMake(p, KindScratch, w.pathShow(p), "in "+d.Name+" "+w.pathShow(d.Path)), true
		}
	}
	return PathInfo{}, false
}
