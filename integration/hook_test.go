package integration

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/guard-dev/guard/rules"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// The golden cases live in testdata/hooks/AGENT/CASE.json: the event on
// stdin ("stdin", or "stdin_text" for input that is not JSON), the verdict
// the injected checker returns, and what Hook must do ("want": the call the
// checker gets, stdout as JSON or null for nothing, stderr, exit status).
// GUARD_UPDATE_GOLDEN=1 go test ./integration -run TestHookGolden rewrites
// "want" from what Hook does; review the diff before committing it.

type hookCase struct {
	About     string          `json:"about"`
	Verdict   *rules.Verdict  `json:"verdict,omitempty"`
	Stdin     json.RawMessage `json:"stdin,omitempty"`
	StdinText *string         `json:"stdin_text,omitempty"`
	Want      hookWant        `json:"want"`
}

type hookWant struct {
	Check  *checkCall      `json:"check"`
	Stdout json.RawMessage `json:"stdout"`
	Stderr string          `json:"stderr"`
	Exit   int             `json:"exit"`
}

type checkCall struct {
	Src string `json:"src"`
	Cwd string `json:"cwd"`
}

// fakeChecker returns a fixed verdict and records what it was asked.
type fakeChecker struct {
	verdict *rules.Verdict
	calls   []checkCall
}

func (f *fakeChecker) Check(c rules.Command) rules.Result {
	f.calls = append(f.calls, checkCall{c.Source, c.Cwd})
	if f.verdict == nil {
		return rules.Result{Verdict: rules.Verdict{Decision: rules.Deny, Findings: []rules.Finding{{Rule: "test.unexpected", Decision: rules.Deny, Reason: "the checker was not expected to run"}}}}
	}
	return rules.Result{Verdict: *f.verdict}
}

// processCwd stands for the test process's working directory in goldens.
const processCwd = "<process cwd>"

func TestHookGolden(t *testing.T) {
	update := os.Getenv("GUARD_UPDATE_GOLDEN") == "1"
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "hooks", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	seen := map[string]map[string]bool{}
	for _, file := range files {
		agent := filepath.Base(filepath.Dir(file))
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		if seen[agent] == nil {
			seen[agent] = map[string]bool{}
		}
		seen[agent][name] = true
		t.Run(agent+"/"+name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c hookCase
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			stdin := []byte(c.Stdin)
			if c.StdinText != nil {
				stdin = []byte(*c.StdinText)
			}
			fc := &fakeChecker{verdict: c.Verdict}
			var stdout, stderr bytes.Buffer
			exit := Hook(agent, bytes.NewReader(stdin), &stdout, &stderr, fc)

			got := hookWant{Stderr: strings.TrimSuffix(stderr.String(), "\n"), Exit: exit, Stdout: json.RawMessage("null")}
			if len(fc.calls) > 1 {
				t.Fatalf("checker called %d times", len(fc.calls))
			}
			if len(fc.calls) == 1 {
				call := fc.calls[0]
				if call.Cwd == wd {
					call.Cwd = processCwd
				}
				got.Check = &call
			}
			if stdout.Len() > 0 {
				out := stdout.Bytes()
				if bytes.Count(out, []byte("\n")) != 1 || !bytes.HasSuffix(out, []byte("\n")) {
					t.Errorf("stdout is not one line of JSON: %q", out)
				}
				if !json.Valid(out) {
					t.Fatalf("stdout is not JSON: %q", out)
				}
				got.Stdout = json.RawMessage(bytes.TrimSpace(out))
			}
			if stderr.Len() > 0 && !strings.HasSuffix(stderr.String(), "\n") {
				t.Errorf("stderr does not end in a newline: %q", stderr.String())
			}
			if update {
				c.Want = got
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(c); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got.Exit != c.Want.Exit {
				t.Errorf("exit = %d, want %d", got.Exit, c.Want.Exit)
			}
			if got.Stderr != c.Want.Stderr {
				t.Errorf("stderr =\n%s\nwant\n%s", got.Stderr, c.Want.Stderr)
			}
			if !jsonEqual(t, got.Stdout, c.Want.Stdout) {
				t.Errorf("stdout =\n%s\nwant\n%s", got.Stdout, c.Want.Stdout)
			}
			if !reflect.DeepEqual(got.Check, c.Want.Check) {
				t.Errorf("checker call = %+v, want %+v", got.Check, c.Want.Check)
			}
		})
	}
	// Every protocol has the four outcomes the package promises.
	for _, agent := range Agents() {
		for _, name := range []string{"allow", "confirm", "deny", "malformed-json", "missing-command"} {
			if !seen[agent][name] {
				t.Errorf("no golden case testdata/hooks/%s/%s.json", agent, name)
			}
		}
	}
}

func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if len(b) == 0 {
		b = json.RawMessage("null")
	}
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("bad JSON %q: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func TestHookUnknownAgent(t *testing.T) {
	var stdout, stderr bytes.Buffer
	exit := Hook("vim", strings.NewReader(`{}`), &stdout, &stderr, &fakeChecker{})
	if exit != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), `unknown agent "vim"`) {
		t.Errorf("exit %d, stdout %q, stderr %q", exit, stdout.String(), stderr.String())
	}
}

func TestHookAliases(t *testing.T) {
	for alias, name := range map[string]string{"claude-code": "claude", "gemini-cli": "gemini", "cascade": "windsurf", "codex-cli": "codex"} {
		p, ok := adapterFor(alias)
		if !ok || p.name != name {
			t.Errorf("adapterFor(%q) = %v, %v; want %s", alias, p, ok, name)
		}
	}
}

// A checker that is missing or panics is an internal failure: confirm, in
// the form of each protocol, never a silent allow.
func TestHookCheckerFailures(t *testing.T) {
	event := `{"tool_name":"Bash","tool_input":{"command":"ls"},"cwd":"/tmp"}`
	for name, check := range map[string]Checker{
		"nil":       nil,
		"nil-typed": (*rules.Checker)(nil),
		"panics":    panicChecker{},
	} {
		var stdout, stderr bytes.Buffer
		exit := Hook("claude", strings.NewReader(event), &stdout, &stderr, check)
		var ans claudeAnswer
		if err := json.Unmarshal(stdout.Bytes(), &ans); err != nil || exit != 0 ||
			ans.HookSpecificOutput.PermissionDecision != "ask" ||
			!strings.Contains(ans.HookSpecificOutput.PermissionDecisionReason, "meta.internal-error") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, exit, stdout.String(), stderr.String())
		}
		stdout.Reset()
		exit = Hook("codex", strings.NewReader(event), &stdout, &stderr, check)
		if exit != 0 || !strings.Contains(stdout.String(), `"permissionDecision":"deny"`) {
			t.Errorf("%s codex: exit %d, stdout %q", name, exit, stdout.String())
		}
	}
}

type panicChecker struct{}

func (panicChecker) Check(rules.Command) rules.Result { panic("boom") }

func TestHookInputLimit(t *testing.T) {
	big := `{"tool_name":"Bash","tool_input":{"command":"` + strings.Repeat("a", maxHookInput) + `"}}`
	var stdout, stderr bytes.Buffer
	exit := Hook("claude", strings.NewReader(big), &stdout, &stderr, &fakeChecker{})
	if exit != 2 || !strings.Contains(stderr.String(), "larger than 8 MiB") {
		t.Errorf("exit %d, stderr %q", exit, stderr.String())
	}
}

// A relative cwd in the event is resolved against the process's.
func TestAnalysisCwd(t *testing.T) {
	wd, _ := os.Getwd()
	for in, want := range map[string]string{
		"":             wd,
		"/srv/app/.":   "/srv/app",
		"sub/dir":      filepath.Join(wd, "sub/dir"),
		"/a/../b/c/..": "/b",
	} {
		if got := analysisCwd(in); got != want {
			t.Errorf("analysisCwd(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExplain(t *testing.T) {
	f := func(rule string, d rules.Decision, reason, cmd string) rules.Finding {
		return rules.Finding{Rule: rule, Decision: d, Reason: reason, Command: cmd}
	}
	tests := []struct {
		name string
		v    rules.Verdict
		src  string
		want string
	}{
		{"only the verdict's decision",
			rules.Verdict{Decision: rules.Deny, Findings: []rules.Finding{
				f("git.push-force", rules.Confirm, "force-pushes", "git push -f"),
				f("fs.rm-home", rules.Deny, "deletes your home directory", "rm -rf ~"),
			}}, "git push -f; rm -rf ~",
			"deletes your home directory (fs.rm-home) in: rm -rf ~"},
		{"the command itself is not repeated",
			rules.Verdict{Decision: rules.Deny, Findings: []rules.Finding{f("fs.rm-home", rules.Deny, "deletes ~", "rm -rf ~")}},
			"rm -rf ~", "deletes ~ (fs.rm-home)"},
		{"repeats once",
			rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{
				f("a.b", rules.Confirm, "x", "c"), f("a.b", rules.Confirm, "x", "c")}},
			"c", "x (a.b)"},
		{"no findings",
			rules.Verdict{Decision: rules.Confirm}, "c", "no reason was recorded"},
		{"at most five",
			rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{
				f("r.1", rules.Confirm, "1", "c"), f("r.2", rules.Confirm, "2", "c"), f("r.3", rules.Confirm, "3", "c"),
				f("r.4", rules.Confirm, "4", "c"), f("r.5", rules.Confirm, "5", "c"), f("r.6", rules.Confirm, "6", "c"),
				f("r.7", rules.Confirm, "7", "c")}},
			"c", "1 (r.1); 2 (r.2); 3 (r.3); 4 (r.4); 5 (r.5); and 2 more"},
		{"secrets masked",
			rules.Verdict{Decision: rules.Deny, Findings: []rules.Finding{
				f("http.delete", rules.Deny, "sends DELETE to api.example.com", "curl -H 'Authorization: Bearer abc.def' -X DELETE https://api.example.com/v1/db")}},
			"TOKEN=x; curl ...",
			"sends DELETE to api.example.com (http.delete) in: curl -H 'Authorization: Bearer …' -X DELETE https://api.example.com/v1/db"},
		{"passwords masked",
			rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{
				f("sql.drop", rules.Confirm, "drops prod", "mysql -phunter2secret -e 'DROP DATABASE prod'"),
				f("http.delete", rules.Confirm, "sends DELETE", "curl -u admin:pw -X DELETE https://x")}},
			"./x.sh",
			"drops prod (sql.drop) in: mysql -p… -e 'DROP DATABASE prod'; sends DELETE (http.delete) in: curl -u admin:… -X DELETE https://x"},
	}
	for _, tt := range tests {
		if got := explain(tt.v, tt.src).reasons; got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestJoinArgv: the joined command reads, as bash parses it, as the same
// words. (It pinned the spelling `bash -lc 'rm -rf '\”x'\”'` before
// syntax.Quote, which spells it `bash -lc "rm -rf 'x'"`.)
func TestJoinArgv(t *testing.T) {
	for _, argv := range [][]string{
		{"bash", "-lc", "rm -rf 'x'"},
		{"printf", "%s\\n", "a b", "", "$HOME", "it's \"q\"", "tab\there", "\x01"},
	} {
		got := joinArgv(argv)
		f, err := syntax.NewParser().Parse(strings.NewReader(got), "")
		if err != nil || len(f.Stmts) != 1 {
			t.Errorf("joinArgv(%q) = %s, which does not parse as one command: %v", argv, got, err)
			continue
		}
		call, _ := f.Stmts[0].Cmd.(*syntax.CallExpr)
		var words []string
		for _, w := range call.Args {
			s, err := expand.Literal(&expand.Config{}, w)
			if err != nil {
				t.Fatal(err)
			}
			words = append(words, s)
		}
		if !reflect.DeepEqual(words, argv) {
			t.Errorf("joinArgv(%q) = %s, which reads as %q", argv, got, words)
		}
	}
}

// With the real checker, the ends of the pipe meet: an everyday command
// passes silently, rm -rf ~ is denied.
func TestHookWithRulesChecker(t *testing.T) {
	home := t.TempDir()
	project := filepath.Join(home, "code", "app")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := rules.NewChecker(rules.Options{Home: home, User: "u", Env: map[string]string{"HOME": home}, TempDirs: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	event := func(cmd string) string {
		b, _ := json.Marshal(map[string]any{"tool_name": "Bash", "cwd": project, "tool_input": map[string]string{"command": cmd}})
		return string(b)
	}
	var stdout, stderr bytes.Buffer
	if exit := Hook("claude", strings.NewReader(event("ls -la && go test ./...")), &stdout, &stderr, c); exit != 0 || stdout.Len() != 0 {
		t.Errorf("ls: exit %d, stdout %q, stderr %q", exit, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if exit := Hook("claude", strings.NewReader(event("rm -rf ~")), &stdout, &stderr, c); exit != 0 ||
		!strings.Contains(stdout.String(), `"permissionDecision":"deny"`) || !strings.Contains(stdout.String(), "guard blocked this command") {
		t.Errorf("rm -rf ~: exit %d, stdout %q, stderr %q", exit, stdout.String(), stderr.String())
	}
}

// An agent that writes the event and keeps the pipe open gets its answer
// without closing it.
func TestHookDoesNotWaitForEOF(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	go w.Write([]byte(`{"tool_name":"Bash","tool_input":{"command":"rm -rf ~"},"cwd":"/tmp"}` + "\n"))
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- Hook("claude", r, &stdout, &stderr, &fakeChecker{verdict: &rules.Verdict{Decision: rules.Deny}})
	}()
	select {
	case exit := <-done:
		if exit != 0 || !strings.Contains(stdout.String(), `"deny"`) {
			t.Errorf("exit %d, stdout %q", exit, stdout.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Hook waited for the end of its input")
	}
}

// HookFor asks for the checker of the event's working directory.
func TestHookFor(t *testing.T) {
	var asked []string
	fc := &fakeChecker{verdict: &rules.Verdict{Decision: rules.Allow}}
	event := `{"tool_name":"Bash","tool_input":{"command":"ls"},"cwd":"/srv/app/./web"}`
	var stdout, stderr bytes.Buffer
	exit := HookFor("claude", strings.NewReader(event), &stdout, &stderr, func(cwd string) Checker {
		asked = append(asked, cwd)
		return fc
	})
	if exit != 0 || len(asked) != 1 || asked[0] != "/srv/app/web" || len(fc.calls) != 1 {
		t.Errorf("exit %d, asked %v, calls %v", exit, asked, fc.calls)
	}
	// Not asked for events without a shell command, or unreadable ones.
	asked = nil
	HookFor("claude", strings.NewReader(`{"tool_name":"Read","tool_input":{}}`), &stdout, &stderr, func(cwd string) Checker {
		asked = append(asked, cwd)
		return fc
	})
	if len(asked) != 0 {
		t.Errorf("asked %v for a Read event", asked)
	}
	// A nil checker for the directory is an internal failure: confirm.
	stdout.Reset()
	HookFor("claude", strings.NewReader(event), &stdout, &stderr, func(string) Checker { return nil })
	if !strings.Contains(stdout.String(), `"ask"`) {
		t.Errorf("nil checker: %s", stdout.String())
	}
}

// secretCommands are commands with a password in them, as findings quote
// them, with the password; hook replies must never carry it.
var secretCommands = []struct{ command, secret string }{
	{"mysql -uroot -phunter2secret -e 'DROP DATABASE prod'", "hunter2secret"},
	{"curl -u admin:pw -X DELETE https://api.example.com/v1/db", "admin:pw"},
	{"redis-cli -a pw FLUSHALL", "-a pw"},
	{"sshpass -p pw ssh host rm -rf /srv/app", "-p pw"},
	{`curl -d '{"password": "hunter2x"}' https://api.example.com/v1/users`, "hunter2x"},
	{"curl -H 'Authorization: Bearer 3f9a7c1e-5b2d-4e8f-9a6b-1c2d3e4f5a6b' https://x", "3f9a7c1e-5b2d"},
}

// Every protocol's confirm and deny replies, on stdout and stderr, mask
// the passwords of the commands the findings quote.
func TestHookRepliesRedactSecrets(t *testing.T) {
	for _, agent := range Agents() {
		for _, outcome := range []string{"confirm", "deny"} {
			raw, err := os.ReadFile(filepath.Join("testdata", "hooks", agent, outcome+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var c hookCase
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			for _, sc := range secretCommands {
				d := rules.Confirm
				if outcome == "deny" {
					d = rules.Deny
				}
				v := rules.Verdict{Decision: d, Findings: []rules.Finding{{
					Rule: "test.secret", Decision: d, Reason: "quotes " + sc.command, Command: sc.command}}}
				var stdout, stderr bytes.Buffer
				Hook(agent, bytes.NewReader(c.Stdin), &stdout, &stderr, &fakeChecker{verdict: &v})
				if stdout.Len()+stderr.Len() == 0 {
					t.Fatalf("%s %s: no reply", agent, outcome)
				}
				// The JSON encoder escapes quotes; look at the text it holds.
				out := strings.ReplaceAll(stdout.String()+stderr.String(), `\"`, `"`)
				if strings.Contains(out, sc.secret) {
					t.Errorf("%s %s: %q reaches the agent:\n%s", agent, outcome, sc.secret, out)
				}
			}
		}
	}
}

// With the real rules, a destructive command carrying a password is held
// back with its reason, and the password is not in the reply.
func TestHookWithRulesCheckerRedacts(t *testing.T) {
	home := t.TempDir()
	c, err := rules.NewChecker(rules.Options{Home: home, User: "u", Env: map[string]string{"HOME": home}, TempDirs: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{
		"cd /srv && mysql -h db.example.com -uroot -phunter2secret -e 'DROP DATABASE prod'",
		"cd /srv && redis-cli -h cache.example.com -a hunter2secret FLUSHALL",
	} {
		b, _ := json.Marshal(map[string]any{"tool_name": "Bash", "cwd": home, "tool_input": map[string]string{"command": cmd}})
		var stdout, stderr bytes.Buffer
		Hook("claude", bytes.NewReader(b), &stdout, &stderr, c)
		out := stdout.String() + stderr.String()
		if !strings.Contains(out, "permissionDecision") || strings.Contains(out, `"allow"`) {
			t.Errorf("%s: not held back: %s", cmd, out)
		}
		if strings.Contains(out, "hunter2secret") {
			t.Errorf("%s: the password reaches the agent: %s", cmd, out)
		}
	}
}
