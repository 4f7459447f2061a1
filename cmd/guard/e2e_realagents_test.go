//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The real agent CLIs, installed from the npm registry by
// scripts/install-agents.sh, each driven by a mock model on 127.0.0.1 that
// answers the first request with one shell tool call (the command under
// test; some cases send more, one a turn) and the next with a final text,
// recording the tool results it gets. Guard is wired three ways: its hook
// in the agent (hook), guard as the agent's shell (shell), or both. Each
// agent runs as an unprivileged throwaway user whose HOME is the test's
// temp dir: "rm -rf ~" is sent for real, and if guard were not in the
// path, only that HOME would go. Run with
//
//	GUARD_REAL_AGENTS=1 GUARD_AGENTS_DIR="$(scripts/install-agents.sh)" go test ./cmd/guard -run TestRealAgents
//
// as root (to make and become the throwaway user).

// agentRunBound is how long one agent session may take before it counts as
// hung.
const agentRunBound = 3 * time.Minute

// realAgentUser is the throwaway user the agents run as.
const realAgentUser = "guard-agent-e2e"

// agentCase is one command sent by the mock model, and what must come of
// it.
type agentCase struct {
	name    string
	command string
	// env is added to the agent's environment.
	env []string
	// check judges the tool result the model got and the throwaway HOME
	// after the run.
	check func(t *testing.T, result string, home string)
	// only, when set, is the one agent/route the case is for.
	only string
	// afterWiring, when set, runs once guard is wired, before the agent.
	afterWiring func(t *testing.T, a *agentRun, env []string)
	// then are the commands of the model's later turns, each sent once
	// the previous tool result came back; check judges the first's.
	then []string
	// onResult, when set, sees each tool result (turn 0 is command's) as
	// it arrives, before the model answers it.
	onResult func(t *testing.T, a *agentRun, turn int, result string)
	// checkTurns, when set, judges every turn's tool result after the run.
	checkTurns func(t *testing.T, a *agentRun, results []string)
	// sameWrapper makes the model wait, before its first tool call, until
	// the agent's shell harness is what it will be for the session, so
	// that every turn runs through the same wrapper (agentRun.shellReady).
	sameWrapper bool
}

// mockModel is the model server: it speaks just enough of one agent's API.
type mockModel struct {
	t   *testing.T
	api string // "anthropic", "openai", "gemini"
	// commands are the tool calls, one a turn: the first answers the
	// prompt, each next one the previous tool result.
	commands []string
	uid      int // the uid the agent must run as
	// onResult, when set, is called with each new tool result (turn 0 is
	// the first command's) before the model answers it, while the agent
	// waits.
	onResult func(turn int, result string)
	// ready, when set, is waited for (within agentRunBound) before the
	// first tool call is sent.
	ready func() bool

	mu      sync.Mutex
	sent    int // how many of commands were sent
	results []string
	log     []string
	refused string
}

func (m *mockModel) record(format string, args ...any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, fmt.Sprintf(format, args...))
}

// next decides what the model says to a conversation holding turn tool
// results, the last of which is result: the next tool call, each once,
// then the final text. It returns the command to call, or "" for text. A
// tool call is sent only to a connection owned by the throwaway user.
// Counting the results in the conversation, rather than the requests,
// keeps an agent's retry of a request from skipping a turn. The lock is
// held across onResult, so that no request is answered meanwhile.
func (m *mockModel) next(r *http.Request, turn int, result string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if turn > len(m.results) {
		m.results = append(m.results, result)
		if m.onResult != nil {
			m.onResult(len(m.results)-1, result)
		}
	}
	if turn >= len(m.commands) || turn != m.sent {
		return ""
	}
	if uid, ok := connUID(r.RemoteAddr); !ok || uid != m.uid {
		m.refused = fmt.Sprintf("the model request came from uid %d (found %v), not the throwaway user's %d; the command was not sent", uid, ok, m.uid)
		return ""
	}
	if turn == 0 && m.ready != nil {
		for end := time.Now().Add(agentRunBound); !m.ready() && time.Now().Before(end); {
			time.Sleep(50 * time.Millisecond)
		}
	}
	m.sent++
	return m.commands[turn]
}

// connUID finds the uid that owns the client end of a loopback TCP
// connection, from /proc/net/tcp and tcp6.
func connUID(remote string) (int, bool) {
	_, port, err := net.SplitHostPort(remote)
	if err != nil {
		return 0, false
	}
	p, _ := strconv.Atoi(port)
	want := fmt.Sprintf(":%04X", p)
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			fields := strings.Fields(line)
			if len(fields) > 7 && strings.HasSuffix(fields[1], want) {
				uid, err := strconv.Atoi(fields[7])
				return uid, err == nil
			}
		}
	}
	return 0, false
}

func (m *mockModel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m.record("%s %s %s", r.Method, r.URL.String(), truncate(string(body), 3000))
	switch m.api {
	case "anthropic":
		m.anthropic(w, r, body)
	case "openai":
		m.openai(w, r, body)
	case "gemini":
		m.gemini(w, r, body)
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func sse(w http.ResponseWriter, events ...[2]string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, e := range events {
		if e[0] != "" {
			fmt.Fprintf(w, "event: %s\n", e[0])
		}
		fmt.Fprintf(w, "data: %s\n\n", e[1])
	}
}

func agentJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// anthropic speaks the Messages API (streaming), as Claude Code uses it.
func (m *mockModel) anthropic(w http.ResponseWriter, r *http.Request, body []byte) {
	if !strings.HasPrefix(r.URL.Path, "/v1/messages") || strings.Contains(r.URL.Path, "count_tokens") {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"input_tokens":1}`)
		return
	}
	var req struct {
		Stream   bool `json:"stream"`
		Tools    []struct{ Name string }
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		}
	}
	json.Unmarshal(body, &req)
	hasBash := false
	for _, tl := range req.Tools {
		hasBash = hasBash || tl.Name == "Bash"
	}
	result, turn := "", 0
	for _, msg := range req.Messages {
		var blocks []struct {
			Type    string          `json:"type"`
			Content json.RawMessage `json:"content"`
		}
		if json.Unmarshal(msg.Content, &blocks) != nil {
			continue
		}
		for _, b := range blocks {
			if b.Type == "tool_result" {
				turn++
				result = textOf(b.Content)
			}
		}
	}
	cmd := ""
	if hasBash {
		cmd = m.next(r, turn, result)
	}
	// A new id each turn, as a real model gives: agents pass it on to
	// the shell (Codex's CODEX_TOOL_CALL_ID).
	toolID := fmt.Sprintf("toolu_e2e_%d", turn)
	usage := map[string]int{"input_tokens": 10, "output_tokens": 1}
	msg := map[string]any{"id": "msg_e2e", "type": "message", "role": "assistant", "model": "claude-e2e", "content": []any{}, "stop_reason": nil, "stop_sequence": nil, "usage": usage}
	var block, delta map[string]any
	stop := "end_turn"
	if cmd != "" {
		stop = "tool_use"
		block = map[string]any{"type": "tool_use", "id": toolID, "name": "Bash", "input": map[string]any{}}
		delta = map[string]any{"type": "input_json_delta", "partial_json": agentJSON(map[string]string{"command": cmd, "description": "e2e"})}
	} else {
		block = map[string]any{"type": "text", "text": ""}
		delta = map[string]any{"type": "text_delta", "text": "done"}
	}
	if !req.Stream {
		content := map[string]any{"type": "text", "text": "done"}
		if cmd != "" {
			content = map[string]any{"type": "tool_use", "id": toolID, "name": "Bash", "input": map[string]string{"command": cmd}}
		}
		msg["content"] = []any{content}
		msg["stop_reason"] = stop
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, agentJSON(msg))
		return
	}
	sse(w,
		[2]string{"message_start", agentJSON(map[string]any{"type": "message_start", "message": msg})},
		[2]string{"content_block_start", agentJSON(map[string]any{"type": "content_block_start", "index": 0, "content_block": block})},
		[2]string{"content_block_delta", agentJSON(map[string]any{"type": "content_block_delta", "index": 0, "delta": delta})},
		[2]string{"content_block_stop", `{"type":"content_block_stop","index":0}`},
		[2]string{"message_delta", agentJSON(map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]int{"output_tokens": 5}})},
		[2]string{"message_stop", `{"type":"message_stop"}`},
	)
}

// textOf flattens a tool_result content: a string or text blocks.
func textOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var blocks []struct{ Text string }
	json.Unmarshal(raw, &blocks)
	var b strings.Builder
	for _, x := range blocks {
		b.WriteString(x.Text)
	}
	return b.String()
}

// openai speaks the Responses API (streaming), as Codex uses it.
func (m *mockModel) openai(w http.ResponseWriter, r *http.Request, body []byte) {
	if !strings.HasSuffix(r.URL.Path, "/responses") {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"list","data":[],"models":[]}`)
		return
	}
	var req struct {
		Tools []struct {
			Type, Name string
		}
		Input []struct {
			Type   string          `json:"type"`
			Output json.RawMessage `json:"output"`
		}
	}
	json.Unmarshal(body, &req)
	result, turn := "", 0
	for _, in := range req.Input {
		if in.Type == "function_call_output" || in.Type == "custom_tool_call_output" {
			turn++
			result = textOf(in.Output)
		}
	}
	tool := ""
	for _, tl := range req.Tools {
		switch tl.Name {
		case "shell_command", "shell", "exec_command":
			if tool == "" || tl.Name == "shell_command" {
				tool = tl.Name
			}
		}
	}
	cmd := ""
	if tool != "" {
		cmd = m.next(r, turn, result)
	}
	var item map[string]any
	if cmd != "" {
		var args any
		switch tool {
		case "shell":
			args = map[string]any{"command": []string{"bash", "-lc", cmd}}
		case "exec_command":
			args = map[string]any{"cmd": cmd}
		default:
			args = map[string]any{"command": cmd}
		}
		item = map[string]any{"type": "function_call", "id": fmt.Sprintf("fc_e2e_%d", turn), "call_id": fmt.Sprintf("call_e2e_%d", turn), "name": tool, "arguments": agentJSON(args)}
	} else {
		item = map[string]any{"type": "message", "role": "assistant", "id": "msg_e2e", "content": []any{map[string]any{"type": "output_text", "text": "done", "annotations": []any{}}}}
	}
	sse(w,
		[2]string{"response.created", `{"type":"response.created","response":{"id":"resp_e2e"}}`},
		[2]string{"response.output_item.done", agentJSON(map[string]any{"type": "response.output_item.done", "output_index": 0, "item": item})},
		[2]string{"response.completed", `{"type":"response.completed","response":{"id":"resp_e2e","usage":{"input_tokens":10,"input_tokens_details":null,"output_tokens":5,"output_tokens_details":null,"total_tokens":15}}}`},
	)
}

// gemini speaks the Gemini API's streamGenerateContent (SSE), as Gemini CLI
// uses it.
func (m *mockModel) gemini(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Contents []struct {
			Parts []struct {
				FunctionResponse *struct {
					Response json.RawMessage `json:"response"`
				} `json:"functionResponse"`
			} `json:"parts"`
		} `json:"contents"`
		Tools []struct {
			FunctionDeclarations []struct{ Name string } `json:"functionDeclarations"`
		} `json:"tools"`
	}
	json.Unmarshal(body, &req)
	hasShell := false
	for _, tl := range req.Tools {
		for _, f := range tl.FunctionDeclarations {
			hasShell = hasShell || f.Name == "run_shell_command"
		}
	}
	result, turn := "", 0
	for i, c := range req.Contents {
		for _, p := range c.Parts {
			if p.FunctionResponse != nil {
				turn++
				if i == len(req.Contents)-1 {
					result += string(p.FunctionResponse.Response)
				}
			}
		}
	}
	cmd := ""
	if hasShell && strings.Contains(r.URL.Path, "streamGenerateContent") {
		cmd = m.next(r, turn, result)
	}
	part := map[string]any{"text": "done"}
	if cmd != "" {
		part = map[string]any{"functionCall": map[string]any{"name": "run_shell_command", "args": map[string]string{"command": cmd}}}
	} else if !hasShell {
		// Gemini's side requests (routing, next speaker) want JSON.
		part = map[string]any{"text": `{"reasoning":"e2e","next_speaker":"user","model_choice":"flash"}`}
	}
	resp := map[string]any{
		"candidates":    []any{map[string]any{"content": map[string]any{"role": "model", "parts": []any{part}}, "finishReason": "STOP", "index": 0}},
		"usageMetadata": map[string]int{"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
		"modelVersion":  "gemini-e2e",
	}
	if strings.Contains(r.URL.Path, "streamGenerateContent") {
		sse(w, [2]string{"", agentJSON(resp)})
		return
	}
	if strings.Contains(r.URL.Path, "countTokens") {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"totalTokens":10}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, agentJSON(resp))
}

// throwawayUser makes (once) and returns the unprivileged user the agents
// run as.
func throwawayUser(t *testing.T) (uid, gid int) {
	t.Helper()
	u, err := user.Lookup(realAgentUser)
	if err != nil {
		out, err := exec.Command("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", realAgentUser).CombinedOutput()
		if err != nil {
			t.Fatalf("useradd %s: %v\n%s", realAgentUser, err, out)
		}
		if u, err = user.Lookup(realAgentUser); err != nil {
			t.Fatal(err)
		}
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	if uid == 0 || gid == 0 {
		t.Fatalf("%s has uid %d gid %d; refusing to run agents as root", realAgentUser, uid, gid)
	}
	return uid, gid
}

// agentRun is one agent session in its own throwaway HOME.
type agentRun struct {
	t        *testing.T
	agent    string
	route    string // "hook", "shell", "both" or "wrap"
	agents   string // where scripts/install-agents.sh installed the CLIs
	guard    string // guard, copied into the HOME
	root     string // the test's dir, owned by the throwaway user
	home     string
	project  string
	uid, gid int
}

func newAgentRun(t *testing.T, agent, route, agents, guard string, uid, gid int) *agentRun {
	t.Helper()
	root, err := os.MkdirTemp("", "guard-real-"+agent+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	a := &agentRun{t: t, agent: agent, route: route, agents: agents, root: root, uid: uid, gid: gid,
		home: filepath.Join(root, "home"), project: filepath.Join(root, "home", "code", "app")}
	a.guard = filepath.Join(root, "bin", "guard")
	for _, d := range []string{filepath.Dir(a.guard), filepath.Join(a.project, ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(guard)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a.guard, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.home, "canary"), []byte("still here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}

// shellReady reports whether the agent's shell harness is settled. Codex
// writes its shell snapshot while the session starts, and a call before it
// is there runs in a plain login shell, the calls after it through the
// snapshot's wrapper: another plan, which an approval of the first call
// rightly does not cover. A model answers later than a mock does.
func (a *agentRun) shellReady() bool {
	if a.agent != "codex" {
		return true
	}
	snaps, _ := filepath.Glob(filepath.Join(a.home, ".codex", "shell_snapshots", "*.sh"))
	for _, s := range snaps {
		if fi, err := os.Stat(s); err == nil && fi.Size() > 0 {
			return true
		}
	}
	return false
}

// hooked reports whether the route installs guard's hook in the agent.
func (a *agentRun) hooked() bool { return a.route == "hook" || a.route == "both" }

// shelled reports whether the route makes guard the agent's shell.
func (a *agentRun) shelled() bool { return a.route == "shell" || a.route == "both" }

// chown gives the whole test dir to the throwaway user.
func (a *agentRun) chown() {
	filepath.Walk(a.root, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			os.Lchown(p, a.uid, a.gid)
		}
		return nil
	})
}

// env is the agent's clean environment.
func (a *agentRun) env(extra ...string) []string {
	path := filepath.Join(a.agents, "node_modules", ".bin") + ":/usr/local/bin:/usr/bin:/bin"
	if a.shelled() {
		path = filepath.Join(a.home, ".local", "share", "guard", "bin") + ":" + path
	}
	env := []string{
		"HOME=" + a.home, "USER=" + realAgentUser, "LOGNAME=" + realAgentUser,
		"PATH=" + path, "LANG=C.UTF-8", "TERM=dumb", "SHELL=/bin/bash",
		"XDG_CONFIG_HOME=" + filepath.Join(a.home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(a.home, ".local", "state"),
		"XDG_DATA_HOME=" + filepath.Join(a.home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(a.home, ".cache"),
		"TMPDIR=" + filepath.Join(a.root, "tmp"),
		// Only loopback: no telemetry, updates or error reports.
		"DISABLE_TELEMETRY=1", "DISABLE_AUTOUPDATER=1", "DISABLE_ERROR_REPORTING=1",
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_BUG_COMMAND=1",
		"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost",
		"GEMINI_CLI_DISABLE_AUTO_UPDATE=true", "CODEX_DISABLE_UPDATE_CHECK=1",
	}
	return append(env, extra...)
}

// asUser runs a program as the throwaway user in the project, with env.
func (a *agentRun) asUser(env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = a.project
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setsid:     true,
		Credential: &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: []uint32{}},
	}
	return cmd
}

// run runs a command as the user and fails the test if it fails.
func (a *agentRun) mustRun(env []string, name string, args ...string) string {
	a.t.Helper()
	out, err := a.asUser(env, name, args...).CombinedOutput()
	if err != nil {
		a.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// checkIdentity proves, before any command is sent, that a process started
// the way the agent is runs as the throwaway user with HOME the test's.
func (a *agentRun) checkIdentity(env []string) {
	a.t.Helper()
	out := a.mustRun(env, "/bin/sh", "-c", `echo "$(id -u) $HOME"`)
	if want := fmt.Sprintf("%d %s\n", a.uid, a.home); out != want {
		a.t.Fatalf("the agent would run as %q, want %q", out, want)
	}
}

// start wires guard for the route and the agent's configuration, and
// returns the command that runs the agent against the mock at base.
func (a *agentRun) start(base string, c agentCase) *exec.Cmd {
	t := a.t
	t.Helper()
	if tmp := filepath.Join(a.root, "tmp"); os.MkdirAll(tmp, 0o700) == nil {
		os.Chown(tmp, a.uid, a.gid)
	}
	env := a.env(c.env...)
	prompt := "run the command"
	var cmd *exec.Cmd
	switch a.agent {
	case "claude":
		env = append(env, "ANTHROPIC_BASE_URL="+base, "ANTHROPIC_API_KEY=sk-ant-e2e-not-a-key")
		if a.shelled() {
			env = append(env, "CLAUDE_CODE_SHELL="+filepath.Join(a.home, ".local", "bin", "guard-bash"))
		}
		cmd = a.asUser(env, filepath.Join(a.agents, "node_modules", ".bin", "claude"),
			"-p", prompt, "--dangerously-skip-permissions", "--model", "claude-sonnet-4-5", "--output-format", "text")
	case "codex":
		codexHome := filepath.Join(a.home, ".codex")
		os.MkdirAll(codexHome, 0o755)
		config := fmt.Sprintf(`model = "e2e-model"
model_provider = "mock"
check_for_update_on_startup = false

[model_providers.mock]
name = "mock"
base_url = "%s/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[otel]
exporter = "none"

[projects.%q]
trust_level = "trusted"
`, base, a.project)
		if err := os.WriteFile(filepath.Join(codexHome, "config.toml"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
		env = append(env, "CODEX_HOME="+codexHome, "OPENAI_API_KEY=sk-e2e-not-a-key")
		cmd = a.asUser(env, filepath.Join(a.agents, "node_modules", ".bin", "codex"),
			"exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", prompt)
	case "gemini":
		gdir := filepath.Join(a.home, ".gemini")
		os.MkdirAll(gdir, 0o755)
		settings := `{
  "security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": true}},
  "privacy": {"usageStatisticsEnabled": false},
  "telemetry": {"enabled": false},
  "general": {"disableAutoUpdate": true, "disableUpdateNag": true, "enableAutoUpdate": false, "enableAutoUpdateNotification": false},
  "model": {"name": "gemini-2.5-flash"}
}
`
		if err := os.WriteFile(filepath.Join(gdir, "settings.json"), []byte(settings), 0o644); err != nil {
			t.Fatal(err)
		}
		trusted := agentJSON(map[string]string{a.project: "TRUST_FOLDER"})
		if err := os.WriteFile(filepath.Join(gdir, "trustedFolders.json"), []byte(trusted), 0o644); err != nil {
			t.Fatal(err)
		}
		env = append(env, "GOOGLE_GEMINI_BASE_URL="+base, "GEMINI_API_KEY=e2e-not-a-key")
		cmd = a.asUser(env, filepath.Join(a.agents, "node_modules", ".bin", "gemini"),
			"-p", prompt, "--yolo", "--output-format", "text")
	}
	a.chown()
	// Wire guard as the user would, as the user.
	if a.shelled() {
		a.mustRun(env, a.guard, "install", "shell")
	}
	if a.hooked() {
		a.mustRun(env, a.guard, "install", a.agent)
		// guard doctor proves the hook runs: it must say ok for the agent.
		doc, _ := a.asUser(env, a.guard, "doctor").CombinedOutput()
		if !strings.Contains(string(doc), "\nok    "+a.agent+": ") || strings.Contains(string(doc), "FAIL  "+a.agent+":") {
			t.Errorf("guard doctor after guard install %s:\n%s", a.agent, doc)
		}
	}
	if c.afterWiring != nil {
		c.afterWiring(t, a, env)
	}
	a.checkIdentity(env)
	if a.route == "wrap" {
		// No hook and no shell wiring: the whole agent runs under guard
		// wrap, its exec judge and its write fence.
		cmd = a.asUser(cmd.Env, a.guard, append([]string{"wrap", "--"}, cmd.Args...)...)
	}
	return cmd
}

// runAgent runs one case and returns the tool result the model got.
func runAgent(t *testing.T, a *agentRun, c agentCase) string {
	t.Helper()
	m := &mockModel{t: t, commands: append([]string{c.command}, c.then...), uid: a.uid}
	if c.sameWrapper {
		m.ready = a.shellReady
	}
	if c.onResult != nil {
		m.onResult = func(turn int, result string) { c.onResult(t, a, turn, result) }
	}
	switch a.agent {
	case "claude":
		m.api = "anthropic"
	case "codex":
		m.api = "openai"
	case "gemini":
		m.api = "gemini"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: m}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	cmd := a.start(base, c)
	cmd.Stdin = nil
	// A bound, not a measure: an agent waiting for an answer that never
	// comes (Gemini on an ask, headless) must fail the case, not hang the
	// run.
	cmd.WaitDelay = time.Second
	done := make(chan struct{})
	timer := time.AfterFunc(agentRunBound, func() {
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		close(done)
	})
	out, err := cmd.CombinedOutput()
	if !timer.Stop() {
		<-done
		t.Fatalf("the agent did not finish within %s (waiting for an answer?)\nagent output:\n%s", agentRunBound, out)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	logs := strings.Join(m.log, "\n")
	if m.refused != "" {
		t.Fatalf("%s\nagent output:\n%s", m.refused, out)
	}
	if m.sent == 0 {
		t.Fatalf("the agent never asked for the tool call (err %v)\nagent output:\n%s\nrequests:\n%s", err, out, logs)
	}
	if len(m.results) == 0 {
		t.Fatalf("no tool result came back to the model (err %v)\nagent output:\n%s\nrequests:\n%s", err, out, logs)
	}
	if testing.Verbose() {
		for i, r := range m.results {
			t.Logf("tool result %d: %q", i, r)
		}
	}
	if len(m.results) < len(m.commands) {
		t.Fatalf("%d of the model's %d tool calls got a result (err %v)\nagent output:\n%s\nrequests:\n%s", len(m.results), len(m.commands), err, out, logs)
	}
	if c.check != nil {
		c.check(t, m.results[0], a.home)
	}
	if c.checkTurns != nil {
		c.checkTurns(t, a, m.results)
	}
	if a.agent == "codex" && strings.Contains(m.results[0], ".. Command:") {
		t.Errorf("guard's reason ends in a period before the one Codex adds: %q", m.results[0])
	}
	if t.Failed() {
		t.Logf("agent output:\n%s", out)
	}
	return m.results[0]
}

// guardStopped says whether a tool result is guard's refusal (a deny, a
// confirm the agent could not ask, or shell mode's block).
func guardStopped(result string) bool {
	for _, s := range []string{"guard blocked this command", "guard: blocked", "guard: this command needs your approval", "guard stopped this command"} {
		if strings.Contains(result, s) {
			return true
		}
	}
	return false
}

// execRefused says whether a tool result is an agent's report that the
// exec of its shell was refused (EACCES), which is all Codex and Gemini
// show of the exec judge's refusal.
func execRefused(result string) bool {
	return strings.Contains(result, "Permission denied (os error 13)") || // Codex
		strings.Contains(result, "spawn /usr/bin/bash EACCES") // Gemini
}

// railwaySecret is the token exported before the agent starts.
const railwaySecret = "rw_e2e_5f3c9a7b1d2e4f60a8b9c0d1e2f3a4b5"

// agentRefusedRm says whether the agent itself refused an rm -rf before
// running any shell.
func agentRefusedRm(result string) bool {
	return strings.Contains(result, "Dangerous rm operation detected") || // Claude Code
		strings.Contains(result, "rm -f style commands are not permitted") // Codex
}

func realAgentCases(route string) []agentCase {
	// Under guard wrap the exec judge refuses the agent's shell itself:
	// Claude Code shows the model guard's line from the shell's stderr,
	// but Codex and Gemini report only their spawn's EACCES.
	stopped := func(result string) bool {
		return guardStopped(result) || route == "wrap" && execRefused(result)
	}
	canaryKept := func(t *testing.T, home string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(home, "canary"))
		if err != nil || string(data) != "still here\n" {
			t.Errorf("the canary in the throwaway HOME is gone (%v): rm -rf ~ ran", err)
		}
	}
	cases := []agentCase{
		{name: "everyday", command: `printf '%s-%s\n' guard-e2e 42`,
			check: func(t *testing.T, result, home string) {
				if !strings.Contains(result, "guard-e2e-42") {
					t.Errorf("the everyday command's output did not reach the model: %q", result)
				}
				canaryKept(t, home)
			}},
		// The canary must survive; Claude Code and Codex stop this one
		// themselves before their shell (and so guard in shell mode) sees
		// it.
		{name: "rm-home", command: `rm -rf ~`,
			check: func(t *testing.T, result, home string) {
				canaryKept(t, home)
				if !stopped(result) && !agentRefusedRm(result) {
					t.Errorf("the model was not told the command was stopped: %q", result)
				}
			}},
		// The same damage in words no agent checks: guard must stop it.
		{name: "find-delete-home", command: `find ~ -delete`,
			check: func(t *testing.T, result, home string) {
				canaryKept(t, home)
				if !stopped(result) {
					t.Errorf("the model was not told guard stopped it: %q", result)
				}
			}},
		// --resolve: should curl ever run, it reaches loopback only. The
		// token is a variable reference, which is not a credential in
		// plain text, even where guard knows the variable's value.
		{name: "railway-volume-delete", command: `curl --resolve backboard.railway.app:443:127.0.0.1 -H "Authorization: Bearer $RAILWAY_TOKEN" -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \"x\") }"}'`,
			env: []string{"RAILWAY_TOKEN=" + railwaySecret},
			check: func(t *testing.T, result, home string) {
				if strings.Contains(result, "plain text") || strings.Contains(result, railwaySecret[:8]) {
					t.Errorf("the reason calls $RAILWAY_TOKEN a credential in plain text: %q", result)
				}
				if !stopped(result) || guardStopped(result) && !strings.Contains(result, "volumeDelete") {
					t.Errorf("the model was not told guard stopped the volumeDelete: %q", result)
				}
				if strings.Contains(result, "Failed to connect") || strings.Contains(result, "curl: (") {
					t.Errorf("curl ran: %q", result)
				}
			}},
	}
	// The symptom guard install codex used to leave: a hook Codex does not
	// trust is skipped without a word. guard doctor must say so, and the
	// force push then reaches git (here an empty .git: git refuses).
	cases = append(cases, agentCase{name: "untrusted-hook-is-skipped", only: "codex/hook", command: `git push --force origin main`,
		afterWiring: func(t *testing.T, a *agentRun, env []string) {
			config := filepath.Join(a.home, ".codex", "config.toml")
			data, err := os.ReadFile(config)
			if err != nil {
				t.Fatal(err)
			}
			i := strings.Index(string(data), "\n[hooks.state.")
			if i < 0 {
				t.Fatalf("guard install codex wrote no trust entry:\n%s", data)
			}
			if err := os.WriteFile(config, data[:i+1], 0o644); err != nil {
				t.Fatal(err)
			}
			doc, _ := a.asUser(env, a.guard, "doctor").CombinedOutput()
			if !strings.Contains(string(doc), "FAIL  codex: guard's hook is not trusted") {
				t.Errorf("guard doctor did not see the untrusted hook:\n%s", doc)
			}
		},
		check: func(t *testing.T, result, home string) {
			if stopped(result) || !strings.Contains(result, "git") {
				t.Errorf("Codex ran a hook it does not trust, or git did not run: %q", result)
			}
		}})
	if route != "shell" {
		// The hook answers first, and headless nobody can say yes.
		cases = append(cases, forcePushHeldCase())
	}
	if route == "shell" {
		cases = append(cases, approvedForcePushCase())
	}
	if route != "hook" {
		const secret = railwaySecret
		cases = append(cases, agentCase{name: "secret-stripped", command: `echo "token=[${RAILWAY_TOKEN}]"`,
			env: []string{"RAILWAY_TOKEN=" + secret},
			check: func(t *testing.T, result, home string) {
				if strings.Contains(result, secret) {
					t.Errorf("the exported secret reached the command: %q", result)
				}
				if !strings.Contains(result, "token=[") {
					t.Errorf("the command did not run: %q", result)
				}
			}})
	}
	return cases
}

func TestRealAgents(t *testing.T) {
	if os.Getenv("GUARD_REAL_AGENTS") != "1" {
		t.Skip("set GUARD_REAL_AGENTS=1 and GUARD_AGENTS_DIR (scripts/install-agents.sh) to drive the real agent CLIs")
	}
	agents := os.Getenv("GUARD_AGENTS_DIR")
	if agents == "" || !filepath.IsAbs(agents) {
		t.Fatal("GUARD_AGENTS_DIR must be the absolute directory scripts/install-agents.sh printed")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root, to make the throwaway user the agents run as")
	}
	uid, gid := throwawayUser(t)
	for d := agents; d != "/"; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o005 != 0o005 {
			t.Fatalf("%s must be readable and searchable by everyone: the agents run as %s (GUARD_AGENTS_DIR=%s)", d, realAgentUser, agents)
		}
	}
	guard := guardBinary(t)
	only := os.Getenv("GUARD_REAL_AGENTS_ONLY") // e.g. "claude" or "claude/hook"
	for _, agent := range []string{"claude", "codex", "gemini"} {
		for _, route := range []string{"hook", "shell", "both", "wrap"} {
			if only != "" && only != agent && only != agent+"/"+route {
				continue
			}
			for _, c := range realAgentCases(route) {
				if c.only != "" && c.only != agent+"/"+route {
					continue
				}
				t.Run(agent+"/"+route+"/"+c.name, func(t *testing.T) {
					a := newAgentRun(t, agent, route, agents, guard, uid, gid)
					runAgent(t, a, c)
				})
			}
		}
	}
}
