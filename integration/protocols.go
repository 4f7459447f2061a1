package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// protocol is one agent's hook protocol: how to find the shell command in
// an event, and how to say each outcome.
//
// Outcomes:
//   - pass: the event is not about a shell command; guard has no opinion.
//   - allow: guard lets the command run. Where the protocol can say "no
//     opinion", that is what guard says, so the agent's own permission
//     settings still apply (an explicit allow would skip them in Claude
//     Code, for instance).
//   - confirm: a human must say yes. Where the protocol can ask the human in
//     the agent's own prompt, it does; elsewhere the command is refused with
//     a message that tells the model what to tell its human.
//   - deny: refused, with a message that tells the model to stop and tell
//     its human.
//   - invalid: the event could not be read; refused in the form that blocks
//     in this protocol.
type protocol struct {
	name    string
	aliases []string
	// parse returns the shell command of an event, nil when the event is
	// not about a shell command, or an error when it cannot be read.
	parse   func(raw []byte) (*call, error)
	pass    func() reply
	allow   func() reply
	confirm func(explanation) reply
	deny    func(explanation) reply
	invalid func(text string) reply
}

// protocols returns every protocol guard speaks.
func protocols() []*protocol {
	return []*protocol{
		claudeProtocol("claude", []string{"claude-code"}, true),
		claudeProtocol("codex", []string{"codex-cli"}, false),
		geminiProtocol(func() bool {
			headless, _ := geminiHeadless("/proc", os.Getpid())
			return headless
		}),
		cursorProtocol(),
		windsurfProtocol(),
		clineProtocol(),
		openhandsProtocol(),
	}
}

// protocolFor finds a protocol by name or alias.
func protocolFor(name string) (*protocol, bool) {
	for _, p := range protocols() {
		if p.name == name {
			return p, true
		}
		for _, a := range p.aliases {
			if a == name {
				return p, true
			}
		}
	}
	return nil, false
}

// nothing is the empty answer with exit status 0.
func nothing() reply { return reply{} }

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
func claudeProtocol(name string, aliases []string, ask bool) *protocol {
	say := func(s string) string { return s }
	if !ask {
		say = codexReason
	}
	p := &protocol{
		name:    name,
		aliases: aliases,
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			tool, err := ev.required("tool_name", "the event has no tool_name")
			if err != nil {
				return nil, err
			}
			if tool != "Bash" {
				return nil, nil
			}
			in, err := ev.requiredObj("tool_input", "the Bash event has no tool_input")
			if err != nil {
				return nil, err
			}
			cmd, err := in.command("command", "tool_input.command")
			if err != nil {
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

// geminiAnswer is a BeforeTool answer of Gemini CLI.
type geminiAnswer struct {
	Decision      string `json:"decision,omitempty"`
	Reason        string `json:"reason,omitempty"`
	SystemMessage string `json:"systemMessage,omitempty"`
}

// geminiProtocol is Gemini CLI's BeforeTool hook.
//
// Event: {"cwd", "hook_event_name":"BeforeTool",
// "tool_name":"run_shell_command", "tool_input":{"command", "dir_path"}}
// (older releases name the directory "directory"; it is relative to the
// project directory). Answer: {"decision":"allow|deny|ask", "reason",
// "systemMessage"}; "reason" of a deny goes to the model, "systemMessage" to
// the user; "ask" makes Gemini show its own confirmation, with
// "systemMessage" as its text (the reason of an ask is not shown). An empty
// object is no opinion, which is guard's allow.
//
// Headless ("gemini -p"), Gemini waits for the answer to an "ask" forever,
// so confirm is then a deny that tells the model to ask its human; headless
// says whether the Gemini that runs the hook is headless (see
// geminiHeadless).
func geminiProtocol(headless func() bool) *protocol {
	none := func() reply { return reply{stdout: geminiAnswer{}} }
	return &protocol{
		name:    "gemini",
		aliases: []string{"gemini-cli"},
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			tool, err := ev.required("tool_name", "the event has no tool_name")
			if err != nil {
				return nil, err
			}
			if tool != "run_shell_command" {
				return nil, nil
			}
			in, err := ev.requiredObj("tool_input", "the run_shell_command event has no tool_input")
			if err != nil {
				return nil, err
			}
			cmd, err := in.command("command", "tool_input.command")
			if err != nil {
				return nil, err
			}
			cwd, _, err := ev.str("cwd")
			if err != nil {
				return nil, err
			}
			for _, key := range []string{"dir_path", "directory"} {
				dir, ok, err := in.str(key)
				if err != nil {
					return nil, err
				}
				if ok && dir != "" {
					if filepath.IsAbs(dir) || cwd == "" {
						cwd = dir
					} else {
						cwd = filepath.Join(cwd, dir)
					}
					break
				}
			}
			return &call{command: cmd, cwd: cwd}, nil
		},
		pass:  none,
		allow: none,
		confirm: func(e explanation) reply {
			if headless() {
				return reply{stdout: geminiAnswer{Decision: "deny", Reason: e.confirmText(), SystemMessage: e.humanConfirmText()}}
			}
			return reply{stdout: geminiAnswer{Decision: "ask", Reason: e.askText(), SystemMessage: e.askText()}}
		},
		deny: func(e explanation) reply {
			return reply{stdout: geminiAnswer{Decision: "deny", Reason: e.denyText(), SystemMessage: e.humanDenyText()}}
		},
		invalid: func(text string) reply {
			return reply{stdout: geminiAnswer{Decision: "deny", Reason: text, SystemMessage: text}, stderr: text}
		},
	}
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
func cursorProtocol() *protocol {
	return &protocol{
		name: "cursor",
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

// windsurfProtocol is Windsurf's (Cascade's) pre_run_command hook.
//
// Event: {"agent_action_name":"pre_run_command", "tool_info":
// {"command_line", "cwd"}, ...}. Answer: the exit status; 2 blocks and
// stderr is what Cascade shows. There is no way to ask the human, so
// confirm blocks with a message telling the model to ask.
func windsurfProtocol() *protocol {
	block := func(text string) reply { return reply{stderr: text, exit: 2} }
	return &protocol{
		name:    "windsurf",
		aliases: []string{"cascade"},
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
func clineProtocol() *protocol {
	return &protocol{
		name: "cline",
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
func openhandsProtocol() *protocol {
	block := func(text string) reply {
		return reply{stdout: openhandsAnswer{"deny", text}, stderr: text, exit: 2}
	}
	return &protocol{
		name: "openhands",
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
			tool, err := ev.required("tool_name", "the event has no tool_name")
			if err != nil {
				return nil, err
			}
			switch tool {
			case "terminal", "execute_bash", "bash", "Bash":
			default:
				return nil, nil
			}
			in, err := ev.requiredObj("tool_input", fmt.Sprintf("the %s event has no tool_input", tool))
			if err != nil {
				return nil, err
			}
			cmd, err := in.command("command", "tool_input.command")
			if err != nil {
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
