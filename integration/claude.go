package integration

import (
	"fmt"
	"path/filepath"
	"strings"
)

// claudeAdapter is Claude Code: a PreToolUse hook for the Bash tool in
// settings.json, which can ask the human in Claude's own dialog.
func claudeAdapter() *adapter {
	return &adapter{
		name:      "claude",
		aliases:   []string{"claude-code"},
		hook:      claudeProtocol(true),
		asksHuman: true,
		probe:     claudeEvent,
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: jsonHooks,
				path:  filepath.Join(dirFromEnv(getenv, "CLAUDE_CONFIG_DIR", filepath.Join(home, ".claude")), "settings.json"),
				event: []string{"hooks", "PreToolUse"}, nested: true, entry: hookGroup("Bash"),
				template: "{}\n", what: `a PreToolUse hook for the Bash tool`}
		},
		hooksOff: func(t *target, data []byte) string {
			if root := settingsObject(data); root != nil && jsonTrue(data, root.member("disableAllHooks")) {
				return `remove "disableAllHooks": true from ` + t.path
			}
			return ""
		},
		shell: func(dir, guardBash string) string {
			return fmt.Sprintf("  Claude Code   export CLAUDE_CODE_SHELL=\"%[1]s\"\n"+
				"                (or \"env\": {\"CLAUDE_CODE_SHELL\": \"%[1]s\"} in ~/.claude/settings.json)\n", guardBash)
		},
	}
}

// claudeEvent is a PreToolUse event of Claude Code and Codex for the Bash
// tool.
func claudeEvent(command, cwd string) any {
	return map[string]any{"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": cwd,
		"tool_input": map[string]any{"command": command}}
}

// claudeAnswer is a PreToolUse answer of Claude Code and Codex.
type claudeAnswer struct {
	HookSpecificOutput claudeDecision `json:"hookSpecificOutput"`
}

type claudeDecision struct {
	HookEventName            string `json:"hookEventName"`
	PermissionDecision       string `json:"permissionDecision"`
	PermissionDecisionReason string `json:"permissionDecisionReason"`
}

func claudeSays(decision, reason string) reply {
	return reply{stdout: claudeAnswer{claudeDecision{"PreToolUse", decision, reason}}}
}

// claudeProtocol is Claude Code's PreToolUse hook, which Codex CLI copies.
//
// Event: {"cwd", "hook_event_name":"PreToolUse", "tool_name":"Bash",
// "tool_input":{"command"}, ...} (Codex adds "turn_id" and "model").
// Answer: {"hookSpecificOutput":{"hookEventName":"PreToolUse",
// "permissionDecision":"allow|deny|ask","permissionDecisionReason"}}; exit
// 2 blocks with stderr as the reason; any other failure lets the command
// run, so an unreadable event is answered with exit 2.
//
// allow is no output at all: an explicit "allow" would bypass the agent's
// own permission prompt, and guard's allow only means guard has no
// objection. Codex does not honour "ask", so confirm is a deny whose reason
// tells the model to ask its human; Codex's reasons do not end in a period
// (see codexReason).
func claudeProtocol(ask bool) protocol {
	say := func(s string) string { return s }
	if !ask {
		say = codexReason
	}
	p := protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			_, cmd, ok, err := ev.shellTool(func(tool string) bool { return tool == "Bash" })
			if err != nil || !ok {
				return nil, err
			}
			cwd, _, err := ev.str("cwd")
			if err != nil {
				return nil, err
			}
			return &call{command: cmd, cwd: cwd}, nil
		},
		pass:  nothing,
		allow: nothing,
		deny:  func(e explanation) reply { return claudeSays("deny", say(e.denyText())) },
		invalid: func(text string) reply {
			return reply{stderr: say(text), exit: 2}
		},
	}
	if ask {
		p.confirm = func(e explanation) reply { return claudeSays("ask", e.askText()) }
	} else {
		p.confirm = func(e explanation) reply { return claudeSays("deny", say(e.confirmText())) }
	}
	return p
}

// codexReason is a reason as Codex shows it: Codex appends ". Command: …"
// to a hook's reason, so the reason must not end with its own period.
func codexReason(s string) string {
	return strings.TrimSuffix(s, ".")
}
