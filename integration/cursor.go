package integration

import (
	"fmt"
	"path/filepath"
)

// cursorAdapter is Cursor (the editor's agent and cursor-agent): a
// beforeShellExecution hook in ~/.cursor/hooks.json, which can show
// Cursor's own approval prompt.
func cursorAdapter() *adapter {
	return &adapter{
		name:      "cursor",
		hook:      cursorProtocol(),
		asksHuman: true,
		probe: func(command, cwd string) any {
			return map[string]any{"hook_event_name": "beforeShellExecution", "command": command, "cwd": cwd}
		},
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: jsonHooks,
				path:  filepath.Join(home, ".cursor", "hooks.json"),
				event: []string{"hooks", "beforeShellExecution"},
				entry: func(cmd string) any {
					// failClosed: a hook that crashes or times out blocks the
					// command instead of letting it through.
					return jobj{{"command", cmd}, {"failClosed", true}}
				},
				template: "{\n  \"version\": 1\n}\n", what: `a beforeShellExecution hook`}
		},
		notes: func(t *target, data []byte, binary string) []string {
			if failClosed(t, data, binary) {
				return nil
			}
			return []string{`guard's hook has no "failClosed": true, so a hook that crashes or times out lets the command run; guard install cursor adds it`}
		},
		shell: func(dir, guardBash string) string {
			return fmt.Sprintf("  Cursor agent  PATH=\"%s:$PATH\" cursor-agent   (the editor: start it the same way)\n", dir)
		},
	}
}

// failClosed says whether guard's Cursor hook entries all say
// "failClosed": true.
func failClosed(t *target, data []byte, binary string) bool {
	refs, err := settingsRefs(t, data, binary)
	if err != nil {
		return false
	}
	root, _ := parseJSON(data)
	arr := eventChain(t, root)[len(t.event)]
	for _, ref := range refs {
		if !jsonTrue(data, arr.elems[ref.entry].member("failClosed")) {
			return false
		}
	}
	return true
}

// cursorAnswer is a beforeShellExecution answer of Cursor.
type cursorAnswer struct {
	Permission   string `json:"permission,omitempty"`
	UserMessage  string `json:"user_message,omitempty"`
	AgentMessage string `json:"agent_message,omitempty"`
}

// cursorProtocol is Cursor's beforeShellExecution hook.
//
// Event: {"hook_event_name":"beforeShellExecution", "command", "cwd",
// "workspace_roots", ...}. Answer: {"permission":"allow|deny|ask",
// "user_message", "agent_message"}. Cursor expects a permission in every
// answer to this event, so guard's allow is an explicit "allow"; an event
// of another kind gets an empty object (no opinion). "ask" shows Cursor's
// own approval prompt.
func cursorProtocol() protocol {
	return protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			if other, err := ev.other("hook_event_name", "beforeShellExecution"); err != nil || other {
				return nil, err
			}
			cmd, err := ev.command("command", "command")
			if err != nil {
				return nil, err
			}
			cwd, _, err := ev.str("cwd")
			if err != nil {
				return nil, err
			}
			if cwd == "" {
				cwd = ev.firstStr("workspace_roots")
			}
			return &call{command: cmd, cwd: cwd}, nil
		},
		pass:  func() reply { return reply{stdout: cursorAnswer{}} },
		allow: func() reply { return reply{stdout: cursorAnswer{Permission: "allow"}} },
		confirm: func(e explanation) reply {
			return reply{stdout: cursorAnswer{"ask", e.askText(), e.askAgentText()}}
		},
		deny: func(e explanation) reply {
			return reply{stdout: cursorAnswer{"deny", e.humanDenyText(), e.denyText()}}
		},
		invalid: func(text string) reply {
			return reply{stdout: cursorAnswer{"deny", text, text}, stderr: text}
		},
	}
}
