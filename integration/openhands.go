package integration

// openhandsAdapter is OpenHands: a PreToolUse hook in the shape of Claude
// Code's, read only from each repository's .openhands/hooks.json.
func openhandsAdapter() *adapter {
	return &adapter{
		name: "openhands",
		hook: openhandsProtocol(),
		// Project-only: there is no user-wide hook configuration to
		// install into, so "guard install openhands" prints the entry for
		// the repository's file instead.
		install: nil,
		project: &projectHooks{
			file: ".openhands/hooks.json",
			entry: func(cmd string) any {
				return jobj{{"hooks", jobj{{"PreToolUse", []any{jobj{
					{"matcher", "terminal"},
					{"hooks", []any{jobj{{"type", "command"}, {"command", cmd}}}},
				}}}}}}
			},
		},
	}
}

// openhandsAnswer is the answer of an OpenHands hook.
type openhandsAnswer struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// openhandsProtocol is OpenHands' PreToolUse hook (Claude Code compatible
// in shape, with its own tool names).
//
// Event: {"event_type":"PreToolUse", "tool_name":"terminal",
// "tool_input":{"command"}, "working_dir", ...}. Answer: exit 2 blocks;
// {"decision":"allow|deny", "reason"} on stdout overrides the exit status.
// guard says both when it blocks. There is no ask.
func openhandsProtocol() protocol {
	block := func(text string) reply {
		return reply{stdout: openhandsAnswer{"deny", text}, stderr: text, exit: 2}
	}
	return protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			for _, key := range []string{"event_type", "hook_event_name"} {
				if other, err := ev.other(key, "PreToolUse"); err != nil || other {
					return nil, err
				}
			}
			_, cmd, ok, err := ev.shellTool(func(tool string) bool {
				switch tool {
				case "terminal", "execute_bash", "bash", "Bash":
					return true
				}
				return false
			})
			if err != nil || !ok {
				return nil, err
			}
			var cwd string
			for _, key := range []string{"working_dir", "cwd"} {
				if cwd, _, err = ev.str(key); err != nil {
					return nil, err
				}
				if cwd != "" {
					break
				}
			}
			return &call{command: cmd, cwd: cwd}, nil
		},
		pass:    nothing,
		allow:   nothing,
		confirm: func(e explanation) reply { return block(e.confirmText()) },
		deny:    func(e explanation) reply { return block(e.denyText()) },
		invalid: block,
	}
}
