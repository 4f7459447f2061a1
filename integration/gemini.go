package integration

import (
	"fmt"
	"os"
	"path/filepath"
)

// geminiAdapter is Gemini CLI: a BeforeTool hook for run_shell_command in
// settings.json, which asks in Gemini's own dialog unless Gemini runs
// headless (headless.go).
func geminiAdapter() *adapter {
	return &adapter{
		name:    "gemini",
		aliases: []string{"gemini-cli"},
		hook: geminiProtocol(func() bool {
			headless, _ := geminiHeadless("/proc", os.Getpid())
			return headless
		}),
		asksHuman: true,
		probe: func(command, cwd string) any {
			return map[string]any{"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "cwd": cwd,
				"tool_input": map[string]any{"command": command}}
		},
		install: func(home string, getenv func(string) string) *target {
			return &target{kind: jsonHooks,
				path:  filepath.Join(home, ".gemini", "settings.json"),
				event: []string{"hooks", "BeforeTool"}, nested: true,
				entry:    hookGroup("run_shell_command", jkv{"name", "guard"}),
				template: "{}\n", what: `a BeforeTool hook for run_shell_command`}
		},
		hooksOff: func(t *target, data []byte) string {
			root := settingsObject(data)
			if root == nil {
				return ""
			}
			if jsonFalse(data, root.member("hooks").member("enabled")) {
				return `set "hooks": {"enabled": true} in ` + t.path
			}
			if jsonFalse(data, root.member("tools").member("enableHooks")) {
				return `set "tools": {"enableHooks": true} in ` + t.path
			}
			return ""
		},
		notes: func(t *target, data []byte, binary string) []string {
			if !geminiFolderTrust(data) {
				return nil
			}
			// hookRegistry.ts: the hooks of the merged settings, the user's
			// own included, load only in a trusted folder.
			return []string{"Gemini CLI runs no hooks, guard's included, in a folder it does not trust; headless it refuses such a folder, interactive it then asks before each command without guard: trust your project folders"}
		},
		shell: func(dir, guardBash string) string {
			return fmt.Sprintf("  Gemini CLI    PATH=\"%s:$PATH\" gemini\n", dir)
		},
	}
}

// geminiFolderTrust says whether Gemini CLI's settings leave folder trust
// on (security.folderTrust.enabled, true unless set to false).
func geminiFolderTrust(data []byte) bool {
	root := settingsObject(data)
	if root == nil {
		return true
	}
	return !jsonFalse(data, root.member("security").member("folderTrust").member("enabled"))
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
func geminiProtocol(headless func() bool) protocol {
	none := func() reply { return reply{stdout: geminiAnswer{}} }
	return protocol{
		parse: func(raw []byte) (*call, error) {
			ev, err := parsePayload(raw)
			if err != nil {
				return nil, err
			}
			in, cmd, ok, err := ev.shellTool(func(tool string) bool { return tool == "run_shell_command" })
			if err != nil || !ok {
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
