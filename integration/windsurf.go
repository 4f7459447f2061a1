package integration

import "path/filepath"

// windsurfAdapter is Windsurf (Cascade): a pre_run_command hook in
// ~/.codeium/windsurf/hooks.json that answers with its exit status only.
func windsurfAdapter() *adapter {
	return &adapter{
		name:    "windsurf",
		aliases: []string{"cascade"},
		hook:    windsurfProtocol(),
		probe: func(command, cwd string) any {
			return map[string]any{"agent_action_name": "pre_run_command",
				"tool_info": map[string]any{"command_line": command, "cwd": cwd}}
		},
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: jsonHooks,
				path:  filepath.Join(home, ".codeium", "windsurf", "hooks.json"),
				event: []string{"hooks", "pre_run_command"},
				entry: func(cmd string) any {
					return jobj{{"command", cmd}, {"show_output", true}}
				},
				template: "{}\n", what: `a pre_run_command hook`}
		},
	}
}

// windsurfProtocol is Windsurf's (Cascade's) pre_run_command hook.
//
// Event: {"agent_action_name":"pre_run_command", "tool_info":
// {"command_line", "cwd"}, ...}. Answer: the exit status; 2 blocks and
// stderr is what Cascade shows. There is no way to ask the human, so
// confirm blocks with a message telling the model to ask.
func windsurfProtocol() protocol {
	block := func(text string) reply { return reply{stderr: text, exit: 2} }
	return protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			if other, err := ev.other("agent_action_name", "pre_run_command"); err != nil || other {
				return nil, err
			}
			info, err := ev.requiredObj("tool_info", "the event has no tool_info")
			if err != nil {
				return nil, err
			}
			cmd, err := info.command("command_line", "tool_info.command_line")
			if err != nil {
				return nil, err
			}
			cwd, _, err := info.str("cwd")
			if err != nil {
				return nil, err
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
