package rules

import (
	"github.com/guard-dev/guard/env"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testGetenv is the environment config paths are expanded in.
func testGetenv(k string) string {
	if k == "HOME" {
		return testHome
	}
	return ""
}

// layerFiles writes the managed, user and project files that are not ""
// into a temporary directory and returns where LoadPolicy finds them and
// the paths of the three files.
func layerFiles(t *testing.T, managed, user, project string) (Locations, string, [3]string) {
	t.Helper()
	d := t.TempDir()
	l := Locations{SystemConfigDir: filepath.Join(d, "etc"), ConfigDir: filepath.Join(d, "config")}
	root := filepath.Join(d, "project")
	files := [3]string{
		filepath.Join(l.SystemConfigDir, ConfigFileName),
		filepath.Join(l.ConfigDir, ConfigFileName),
		filepath.Join(root, ProjectConfigFileName),
	}
	for i, content := range []string{managed, user, project} {
		if err := os.MkdirAll(filepath.Dir(files[i]), 0o755); err != nil {
			t.Fatal(err)
		}
		if content == "" {
			continue
		}
		if err := os.WriteFile(files[i], []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return l, root, files
}

// load runs LoadPolicy over the three files.
func load(t *testing.T, managed, user, project string) (*Policy, []error, [3]string) {
	t.Helper()
	l, root, files := layerFiles(t, managed, user, project)
	p, errs := LoadPolicy(l, root, testGetenv)
	if p == nil {
		t.Fatal("LoadPolicy returned a nil policy")
	}
	return p, errs, files
}

// loadUser loads src as the user's file alone and fails on errors.
func loadUser(t *testing.T, src string) (*Policy, string) {
	t.Helper()
	p, errs, files := load(t, "", src, "")
	for _, e := range errs {
		t.Errorf("unexpected error: %v", e)
	}
	return p, files[1]
}

func TestKeyLines(t *testing.T) {
	src := `# comment
shell = "/bin/bash" # trailing
[approval]
timeout = "2m"

[paths]
protected = [
  "~/a", # one
  '~/b',
  """~/c""",
]
"quoted.key" = 1
dotted.sub = 2
[[rule]]
id = "custom.a"
match = ["gh", ["pr", "issue"]]
[rule.sub]
x = 1
[[rule]]
id = "custom.b"
multi = """
not = a key
"""
[env]
grant = [{ name = "A", commands = ["x"] }, { name = "B", commands = ["y"] }]
[[env.more]]
name = 'C'
`
	want := map[string]int{
		"shell":                  2,
		"approval":               3,
		"approval.timeout":       4,
		"paths":                  6,
		"paths.protected":        7,
		"paths.protected.0":      8,
		"paths.protected.1":      9,
		"paths.protected.2":      10,
		"paths.quoted.key":       12,
		"paths.dotted.sub":       13,
		"rule":                   14,
		"rule.0":                 14,
		"rule.0.id":              15,
		"rule.0.match.1.1":       16,
		"rule.0.sub.x":           18,
		"rule.1":                 19,
		"rule.1.id":              20,
		"rule.1.multi":           21,
		"env.grant.0.name":       25,
		"env.grant.1.commands":   25,
		"env.more.0.name":        27,
		"env.grant.1.commands.0": 25,
	}
	got := keyLines(src)
	for k, l := range want {
		if got[k] != l {
			t.Errorf("line of %s: got %d, want %d", k, got[k], l)
		}
	}
	if _, ok := got["not"]; ok {
		t.Errorf("a line inside a multi-line string was read as a key")
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name, src string
		// line is the line the error must name; want a part of its text.
		line int
		want string
	}{
		{"toml syntax", "shell = \"/bin/bash\"\n[paths]\nprotected = [\"/a\",, \"/b\"]\n", 3, "invalid TOML"},
		{"duplicate key", "shell = \"/bin/bash\"\nshell = \"/bin/sh\"\n", 2, "invalid TOML"},
		{"unknown top-level key", "\nshel = \"/bin/bash\"\n", 2, `unknown key "shel"`},
		{"unknown table", "[pathz]\nprotected = []\n", 1, `unknown key "pathz"`},
		{"unknown key in paths", "[paths]\nprotected = []\nprotect = []\n", 3, `unknown key "protect" in [paths]`},
		{"unknown key in approval", "[approval]\n\ntimeout = \"1m\"\nwait = \"1m\"\n", 4, `unknown key "wait" in [approval]`},
		{"unknown key in hosts", "[hosts]\nlocals = []\n", 2, `unknown key "locals"`},
		{"unknown key in env", "[env]\nremove = []\n", 2, `unknown key "remove"`},
		{"unknown key in rule", "[[rule]]\nid = \"custom.x\"\nmatch = [\"x\"]\ndecision = \"deny\"\nwhy = \"x\"\n", 5, `unknown key "why" in [rule[1]]`},
		{"unknown key in second rule", "[[rule]]\nid = \"custom.x\"\nmatch = [\"x\"]\ndecision = \"deny\"\n[[rule]]\nid = \"custom.y\"\nmatch = [\"y\"]\ndecision = \"deny\"\nfoo = 1\n", 9, `unknown key "foo" in [rule[2]]`},
		{"unknown key in grant", "[[env.grant]]\nname = \"A\"\ncommands = [\"a\"]\ncommand = \"a\"\n", 4, `unknown key "command"`},
		{"unknown rule", "[rules]\n\"git.force-pushh\" = \"allow\"\n", 2, `unknown rule "git.force-pushh"`},
		{"unknown rule unquoted", "[rules]\ngit.nope = \"allow\"\n", 2, `unknown rule "git.nope"`},
		{"unknown custom rule", "[rules]\n\"custom.nope\" = \"deny\"\n", 2, `unknown rule "custom.nope"`},
		{"bad decision", "[rules]\n\"git.force-push\" = \"maybe\"\n", 2, `unknown decision "maybe"`},
		{"decision not a string", "[rules]\n\"git.force-push\" = true\n", 2, "not a boolean"},
		{"rules not a table", "rules = 1\n", 1, "rules must be a table"},
		{"shell not a string", "shell = 1\n", 1, "shell must be a string, not an integer"},
		{"shell relative", "shell = \"bash\"\n", 1, "absolute path"},
		{"shell is guard", "shell = \"/usr/local/bin/guard\"\n", 1, "not guard itself"},
		{"timeout not a duration", "[approval]\ntimeout = \"soon\"\n", 2, "positive duration"},
		{"timeout an integer", "[approval]\ntimeout = 120\n", 2, "duration string"},
		{"timeout negative", "[approval]\ntimeout = \"-1m\"\n", 2, "positive duration"},
		{"paths not a table", "paths = [\"/x\"]\n", 1, "paths must be a table"},
		{"protected not an array", "[paths]\nprotected = \"/x\"\n", 2, "must be an array"},
		{"protected relative", "[paths]\nprotected = [\n  \"/ok\",\n  \"data\",\n]\n", 4, "absolute path or start with ~/"},
		{"protected not a string", "[paths]\nprotected = [\n  \"/ok\",\n  3,\n]\n", 4, "must be a string, not an integer"},
		{"protected ~user", "[paths]\nprotected = [\"~bob/x\"]\n", 2, "not ~user"},
		{"scratch root", "[paths]\nscratch = [\"/\"]\n", 2, "cannot be scratch"},
		{"scratch home", "[paths]\nscratch = [\"~\"]\n", 2, "cannot be scratch"},
		{"scratch contains home", "[paths]\nscratch = [\"/home\"]\n", 2, "cannot be scratch"},
		{"host URL", "[hosts]\nproduction = [\"https://api.acme.com\"]\n", 2, "not a URL"},
		{"host with port", "[hosts]\nlocal = [\"dev:8080\"]\n", 2, "host:port"},
		{"host bad pattern", "[hosts]\nlocal = [\"[dev\"]\n", 2, "not a valid pattern"},
		{"custom id prefix", "[[rule]]\nid = \"no-merge\"\nmatch = [\"gh\"]\ndecision = \"deny\"\n", 2, `must start with "custom."`},
		{"custom id empty name", "[[rule]]\nid = \"custom.\"\nmatch = [\"gh\"]\ndecision = \"deny\"\n", 2, `must start with "custom."`},
		{"custom missing fields", "\n[[rule]]\nid = \"custom.x\"\n", 2, "needs match, decision"},
		{"custom bad decision", "[[rule]]\nid = \"custom.x\"\nmatch = [\"gh\"]\ndecision = \"ask\"\n", 4, "unknown decision"},
		{"custom empty match", "[[rule]]\nid = \"custom.x\"\nmatch = []\ndecision = \"deny\"\n", 3, "must not be empty"},
		{"custom match not an array", "[[rule]]\nid = \"custom.x\"\nmatch = \"gh pr merge\"\ndecision = \"deny\"\n", 3, "must be an array"},
		{"custom match bad element", "[[rule]]\nid = \"custom.x\"\nmatch = [\n  \"gh\",\n  1,\n]\ndecision = \"deny\"\n", 5, "string or an array of alternative strings"},
		{"custom match empty alternatives", "[[rule]]\nid = \"custom.x\"\nmatch = [\"gh\", []]\ndecision = \"deny\"\n", 3, "empty list of alternatives"},
		{"custom match path", "[[rule]]\nid = \"custom.x\"\nmatch = [\"/usr/bin/gh\"]\ndecision = \"deny\"\n", 3, "not a path"},
		{"custom duplicate", "[[rule]]\nid = \"custom.x\"\nmatch = [\"a\"]\ndecision = \"deny\"\n[[rule]]\nid = \"custom.x\"\nmatch = [\"b\"]\ndecision = \"deny\"\n", 5, "defined twice (first at line 1)"},
		{"rule not an array of tables", "rule = \"x\"\n", 1, "rule must be an array"},
		{"env strip bad name", "[env]\nstrip = [\"A\", \"NOT VALID\"]\n", 2, "not a variable name"},
		{"env keep bracket", "[env]\nkeep = [\"A[B]\"]\n", 2, "not a variable name"},
		{"grant without commands", "[[env.grant]]\nname = \"A\"\n", 1, "needs commands"},
		{"grant with a relative path", "[[env.grant]]\nname = \"A\"\npaths = [\"bin/railway\"]\n", 3, "must be the absolute path"},
		{"grant without name", "[[env.grant]]\ncommands = [\"a\"]\n", 1, "needs a name"},
		{"grant inline table", "[env]\ngrant = [\n  { name = \"A\", commands = [] },\n]\n", 3, "needs commands"},
	}
	// The errors in settings that can only loosen the policy hide nothing
	// that stops a command; every other one holds commands for a human.
	loosening := map[string]bool{
		"unknown key in approval": true, "unknown key in grant": true,
		"shell not a string": true, "shell relative": true, "shell is guard": true,
		"timeout not a duration": true, "timeout an integer": true, "timeout negative": true,
		"scratch root": true, "scratch home": true, "scratch contains home": true,
		"host with port": true, "host bad pattern": true, "env keep bracket": true,
		"grant without commands": true, "grant without name": true, "grant inline table": true,
		"grant with a relative path": true,
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, errs, files := load(t, "", c.src, "")
			if len(errs) == 0 {
				t.Fatalf("no error for:\n%s", c.src)
			}
			prefix := files[1] + ":" + strconv.Itoa(c.line) + ": "
			found := false
			for _, e := range errs {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Error(), c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error starting %q containing %q; got %v", prefix, c.want, errs)
			}
			// A broken user file loosens nothing and says so.
			if !reflect.DeepEqual(p.Overrides, map[string]Decision{}) || p.Shell != DefaultShell || p.Fallback == "" {
				t.Errorf("broken file loosened the defaults: %+v", p)
			}
			if held := len(p.Broken) > 0; held == loosening[c.name] {
				t.Errorf("holds commands: %v, want %v (broken %v)", held, !loosening[c.name], p.Broken)
			}
		})
	}
}

func TestConfigValues(t *testing.T) {
	p, file := loadUser(t, `shell = "/usr/bin/zsh"
[approval]
timeout = "90s"
[paths]
protected = ["~/finances", "/srv/data/", "~/finances"]
scratch = ["~/scratch"]
[hosts]
local = ["*.Dev.Internal", "192.168.0.0/16"]
production = ["API.acme.com."]
[rules]
"git.force-push" = "allow"
fs.rm-outside = "deny"
[[rule]]
id = "custom.no-gh-pr-merge"
match = ["gh", "pr", ["merge", "close"]]
decision = "confirm"
reason = "merges or closes a pull request"
[env]
strip = ["STRIPE_*"]
keep = ["AWS_PROFILE"]
[[env.grant]]
name = "RAILWAY_TOKEN"
commands = ["railway"]
paths = ["/home/u/.local/bin//railway"]
`)
	want := &Policy{
		Shell:           "/usr/bin/zsh",
		ApprovalTimeout: 90 * time.Second,
		Overrides:       map[string]Decision{"git.force-push": Allow, "fs.rm-outside": Deny},
		Custom: []CustomRule{{
			ID: "custom.no-gh-pr-merge", Match: [][]string{{"gh"}, {"pr"}, {"merge", "close"}},
			Decision: Confirm, Reason: "merges or closes a pull request",
		}},
		Protected:       []string{testHome + "/finances", "/srv/data"},
		Scratch:         []string{testHome + "/scratch"},
		LocalHosts:      []string{"*.dev.internal", "192.168.0.0/16"},
		ProductionHosts: []string{"api.acme.com"},
		Env: env.Policy{
			Strip:  []string{"STRIPE_*"},
			Keep:   []string{"AWS_PROFILE"},
			Grants: []env.Grant{{Name: "RAILWAY_TOKEN", Commands: []string{"railway"}, Paths: []string{"/home/u/.local/bin/railway"}}},
		},
	}
	got := *p
	got.Origins, got.Files, got.Warnings = nil, nil, nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("got  %+v\nwant %+v", &got, want)
	}
	origins := []struct {
		setting, value string
		line           int
	}{
		{"shell", "", 1},
		{"approval.timeout", "", 3},
		{"paths.protected", testHome + "/finances", 5},
		{"hosts.production", "api.acme.com", 9},
		{"rules", "git.force-push", 11},
		{"rules", "fs.rm-outside", 12},
		{"rule", "custom.no-gh-pr-merge", 13},
		{"env.grant", "RAILWAY_TOKEN", 21},
	}
	for _, o := range origins {
		got := p.Origin(o.setting, o.value)
		if got.File != file || got.Line != o.line || got.Layer != LayerUser {
			t.Errorf("origin of %s %s: got %+v, want %s:%d", o.setting, o.value, got, file, o.line)
		}
	}
	if o := p.Origin("rules", "git.reset-hard"); o.Layer != LayerBuiltin || o.String() != "built-in" {
		t.Errorf("origin of an unset rule: %+v", o)
	}
	if len(p.Warnings) != 0 || p.Fallback != "" {
		t.Errorf("warnings %v, fallback %q", p.Warnings, p.Fallback)
	}
}

func TestConfigMissingFiles(t *testing.T) {
	p, errs, _ := load(t, "", "", "")
	if len(errs) != 0 || p.Fallback != "" {
		t.Fatalf("missing files: errors %v, fallback %q", errs, p.Fallback)
	}
	if p.Shell != DefaultShell || p.ApprovalTimeout != DefaultApprovalTimeout || len(p.Overrides) != 0 {
		t.Errorf("not the defaults: %+v", p)
	}
	for _, f := range p.Files {
		if f.Status != "not present" {
			t.Errorf("%s: status %q", f.File, f.Status)
		}
	}
	// Nothing to look for: no locations, no project.
	p, errs = LoadPolicy(Locations{}, "", nil)
	if len(errs) != 0 || len(p.Files) != 0 || p.Shell != DefaultShell {
		t.Errorf("empty locations: %+v %v", p, errs)
	}
}

// warned reports whether a warning starting with file:line: and containing
// want was given.
func warned(p *Policy, file string, line int, want string) bool {
	for _, w := range p.Warnings {
		if strings.HasPrefix(w.Error(), file+":"+strconv.Itoa(line)+": ignored: ") && strings.Contains(w.Error(), want) {
			return true
		}
	}
	return false
}

func TestConfigLayering(t *testing.T) {
	t.Run("managed cannot be loosened by the user", func(t *testing.T) {
		p, errs, f := load(t, `
shell = "/bin/bash"
[approval]
timeout = "5m"
[rules]
"git.force-push" = "deny"
"git.clean" = "allow"
[[rule]]
id = "custom.no-deploy"
match = ["deploy"]
decision = "deny"
[env]
strip = ["STRIPE_*"]
`, `shell = "/bin/zsh"
[approval]
timeout = "1m"
[rules]
"git.force-push" = "allow"
"git.clean" = "confirm"
"custom.no-deploy" = "confirm"
"git.reset-hard" = "allow"
[[rule]]
id = "custom.no-deploy"
match = ["deploy"]
decision = "allow"
[env]
keep = ["stripe_key", "AWS_PROFILE"]
[[env.grant]]
name = "STRIPE_SECRET"
commands = ["stripe"]
`, "")
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		if p.Overrides["git.force-push"] != Deny {
			t.Errorf("user loosened a managed rule: %s", p.Overrides["git.force-push"])
		}
		if p.Overrides["git.clean"] != Confirm {
			t.Errorf("user could not tighten a managed rule: %s", p.Overrides["git.clean"])
		}
		if _, ok := p.Overrides["custom.no-deploy"]; ok {
			t.Errorf("user loosened a managed custom rule")
		}
		if p.Overrides["git.reset-hard"] != Allow {
			t.Errorf("user could not loosen a built-in default")
		}
		if p.Shell != "/bin/bash" || p.ApprovalTimeout != 5*time.Minute {
			t.Errorf("user changed managed settings: %s %s", p.Shell, p.ApprovalTimeout)
		}
		if len(p.Custom) != 1 || p.Custom[0].Decision != Deny {
			t.Errorf("custom rules: %+v", p.Custom)
		}
		if !reflect.DeepEqual(p.Env.Keep, []string{"AWS_PROFILE"}) || len(p.Env.Grants) != 0 {
			t.Errorf("user kept or granted a variable the managed policy strips: %+v", p.Env)
		}
		for _, w := range []struct {
			line int
			want string
		}{
			{1, "shell is set by the managed policy (" + f[0] + ":2)"},
			{3, "approval.timeout is set by the managed policy"},
			{5, `"git.force-push" = "allow" would loosen the managed policy, which makes it deny (` + f[0] + ":6)"},
			{7, `"custom.no-deploy" = "confirm" would loosen the managed policy`},
			{9, `custom rule "custom.no-deploy" is already defined at ` + f[0] + ":8"},
			{14, `env.keep "stripe_key" would keep a variable the managed policy strips`},
			{15, `env.grant "STRIPE_SECRET" would give out a variable the managed policy strips`},
		} {
			if !warned(p, f[1], w.line, w.want) {
				t.Errorf("no warning at %s:%d %q; warnings %v", f[1], w.line, w.want, p.Warnings)
			}
		}
	})
	t.Run("user may repeat a managed value", func(t *testing.T) {
		p, errs, _ := load(t, "shell = \"/bin/zsh\"\n[rules]\n\"git.clean\" = \"allow\"\n", "shell = \"/bin/zsh\"\n[rules]\n\"git.clean\" = \"allow\"\n", "")
		if len(errs) != 0 || len(p.Warnings) != 0 {
			t.Errorf("errors %v, warnings %v", errs, p.Warnings)
		}
	})
	t.Run("project may only tighten", func(t *testing.T) {
		p, errs, f := load(t, "", `[rules]
"git.reset-hard" = "allow"
"git.clean" = "allow"
`, `shell = "/bin/sh"
[approval]
timeout = "1h"
[rules]
"git.reset-hard" = "confirm"
"git.force-push" = "deny"
"git.clean" = "confirm"
"fs.rm-root" = "confirm"
"git.push-delete" = "confirm"
[paths]
protected = ["db/migrations", "~/important"]
scratch = ["/srv"]
[hosts]
local = ["api.acme.com"]
production = ["api.acme.com"]
[[rule]]
id = "custom.no-railway"
match = ["railway", ["down", "delete"]]
decision = "deny"
[[rule]]
id = "custom.allow-x"
match = ["x"]
decision = "allow"
[env]
strip = ["OPENAI_API_KEY"]
keep = ["AWS_SECRET_ACCESS_KEY"]
[[env.grant]]
name = "GITHUB_TOKEN"
commands = ["gh"]
`)
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		root := filepath.Dir(f[2])
		wantOverrides := map[string]Decision{"git.reset-hard": Confirm, "git.clean": Confirm, "git.force-push": Deny}
		if !reflect.DeepEqual(p.Overrides, wantOverrides) {
			t.Errorf("overrides: got %v, want %v", p.Overrides, wantOverrides)
		}
		if p.Shell != DefaultShell || p.ApprovalTimeout != DefaultApprovalTimeout {
			t.Errorf("project changed shell or timeout")
		}
		if !reflect.DeepEqual(p.Protected, []string{root + "/db/migrations", testHome + "/important"}) {
			t.Errorf("protected: %v", p.Protected)
		}
		if len(p.Scratch) != 0 || len(p.LocalHosts) != 0 || len(p.Env.Keep) != 0 || len(p.Env.Grants) != 0 {
			t.Errorf("project loosened: %+v", p)
		}
		if !reflect.DeepEqual(p.ProductionHosts, []string{"api.acme.com"}) || !reflect.DeepEqual(p.Env.Strip, []string{"OPENAI_API_KEY"}) {
			t.Errorf("project could not tighten: %+v", p)
		}
		if len(p.Custom) != 1 || p.Custom[0].ID != "custom.no-railway" {
			t.Errorf("custom rules: %+v", p.Custom)
		}
		if o := p.Origin("rules", "git.reset-hard"); o.File != f[2] || o.Line != 5 || o.Layer != LayerProject {
			t.Errorf("origin of the tightened rule: %+v", o)
		}
		for _, w := range []struct {
			line int
			want string
		}{
			{1, "shell can only be set in the user or managed config"},
			{3, "approval.timeout can only be set"},
			{8, `"fs.rm-root" = "confirm" would loosen the rule from deny (built-in)`},
			{12, "paths.scratch can only be set"},
			{14, "hosts.local can only be set"},
			{20, `custom rule "custom.allow-x" allows`},
			{26, "env.keep can only be set"},
			{27, "env.grant can only be set"},
		} {
			if !warned(p, f[2], w.line, w.want) {
				t.Errorf("no warning at %s:%d %q; warnings %v", f[2], w.line, w.want, p.Warnings)
			}
		}
		// "git.clean" = "confirm" in the project tightens the user's allow
		// back to the default: no warning for it.
		if warned(p, f[2], 7, "") || warned(p, f[2], 9, "") {
			t.Errorf("warned about a tightening: %v", p.Warnings)
		}
	})
	t.Run("broken user file keeps managed, its own tightening and the project's", func(t *testing.T) {
		p, errs, f := load(t, "[rules]\n\"git.force-push\" = \"deny\"\n",
			"[rules]\n\"git.reset-hard\" = \"allow\"\n\"no.such-rule\" = \"allow\"\n\"git.stash-drop\" = \"deny\"\n[paths]\nprotected = [\"/srv/finances\"]\n",
			"[rules]\n\"git.clean\" = \"deny\"\n")
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), f[1]+":3: unknown rule") {
			t.Fatalf("errors: %v", errs)
		}
		// The user's loosening is dropped; its tightening and the
		// project's are kept.
		want := map[string]Decision{"git.force-push": Deny, "git.stash-drop": Deny, "git.clean": Deny}
		if !reflect.DeepEqual(p.Overrides, want) {
			t.Errorf("overrides: got %v, want %v", p.Overrides, want)
		}
		if !reflect.DeepEqual(p.Protected, []string{"/srv/finances"}) {
			t.Errorf("protected: %v", p.Protected)
		}
		if !warned(p, f[1], 2, `"git.reset-hard" = "allow" would loosen`) {
			t.Errorf("no warning about the dropped loosening: %v", p.Warnings)
		}
		if len(p.Broken) != 1 || p.Broken[0].File != f[1] || p.Broken[0].Line != 3 {
			t.Errorf("broken: %v", p.Broken)
		}
		status := []string{"loaded", "has errors: only what in it tightens the policy is kept; every command guard would allow needs a human's approval until it is fixed",
			"loaded, tightening only: " + f[1] + " above it has errors"}
		for i, fl := range p.Files {
			if fl.Status != status[i] {
				t.Errorf("%s: status %q, want %q", fl.File, fl.Status, status[i])
			}
		}
		if !strings.Contains(p.Fallback, f[1]+" has errors") || !strings.Contains(p.Fallback, "needs a human's approval") {
			t.Errorf("fallback: %q", p.Fallback)
		}
	})
	t.Run("below a broken managed file the user may only tighten", func(t *testing.T) {
		p, errs, f := load(t, "[rules]\n\"git.force-push\" = \"deny\n", "shell = \"/bin/zsh\"\n[rules]\n\"git.reset-hard\" = \"allow\"\n\"git.clean\" = \"deny\"\n", "")
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), f[0]+":2: invalid TOML") {
			t.Fatalf("errors: %v", errs)
		}
		if !reflect.DeepEqual(p.Overrides, map[string]Decision{"git.clean": Deny}) {
			t.Errorf("overrides: %v", p.Overrides)
		}
		if len(p.Broken) != 1 || p.Broken[0].File != f[0] || p.Broken[0].Line != 2 {
			t.Errorf("broken: %v", p.Broken)
		}
	})
	t.Run("broken project file keeps managed, user and its own tightening", func(t *testing.T) {
		p, errs, f := load(t, "", "[rules]\n\"git.reset-hard\" = \"allow\"\n", "[rules]\n\"git.clean\" = \"deny\"\nbogus = 1\n")
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), f[2]+":3: unknown rule \"bogus\"") {
			t.Fatalf("errors: %v", errs)
		}
		if !reflect.DeepEqual(p.Overrides, map[string]Decision{"git.reset-hard": Allow, "git.clean": Deny}) {
			t.Errorf("overrides: %v", p.Overrides)
		}
		// The agent can write the project's file: its errors do not hold
		// every command.
		if len(p.Broken) != 0 {
			t.Errorf("a broken project file holds commands: %v", p.Broken)
		}
	})
	t.Run("an error in a setting that only loosens holds nothing", func(t *testing.T) {
		p, errs, _ := load(t, "", "shell = \"bash\"\n[rules]\n\"git.clean\" = \"deny\"\n", "")
		if len(errs) != 1 || len(p.Broken) != 0 || p.Overrides["git.clean"] != Deny {
			t.Errorf("errors %v, broken %v, overrides %v", errs, p.Broken, p.Overrides)
		}
	})
	t.Run("errors in every file are all reported", func(t *testing.T) {
		_, errs, f := load(t, "x = 1\n", "y = 1\n", "z = 1\n")
		if len(errs) != 3 {
			t.Fatalf("errors: %v", errs)
		}
		for i, e := range errs {
			if !strings.HasPrefix(e.Error(), f[i]+":1: unknown key") {
				t.Errorf("error %d: %v", i, e)
			}
		}
	})
	t.Run("lower layers name custom rules of upper ones", func(t *testing.T) {
		p, errs, _ := load(t, "", "[[rule]]\nid = \"custom.x\"\nmatch = [\"x\"]\ndecision = \"confirm\"\n", "[rules]\n\"custom.x\" = \"deny\"\n")
		if len(errs) != 0 || p.Overrides["custom.x"] != Deny {
			t.Errorf("errors %v, overrides %v", errs, p.Overrides)
		}
	})
}

func TestDefaultConfigText(t *testing.T) {
	text := DefaultConfigText()
	// As written: nothing set.
	p, _ := loadUser(t, text)
	if p.Shell != DefaultShell || p.ApprovalTimeout != DefaultApprovalTimeout || len(p.Overrides) != 0 || len(p.Custom) != 0 {
		t.Errorf("the default config sets something: %+v", p)
	}
	// Every line is a setting ("# "), an explanation ("##"), a header or
	// blank; every built-in rule is listed with its default.
	var uncommented []string
	for i, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, "##"), l == "", strings.HasPrefix(l, "["):
		case strings.HasPrefix(l, "# "):
			l = strings.TrimPrefix(l, "# ")
		default:
			t.Errorf("line %d is neither a setting nor an explanation: %q", i+1, l)
		}
		uncommented = append(uncommented, l)
	}
	for _, pk := range Builtin() {
		for _, r := range pk.Rules {
			line := "# " + tomlQuote(r.ID) + " = " + tomlQuote(r.Default.String())
			if !strings.Contains(text, line+"\n") {
				t.Errorf("rule %s is not listed with its default", r.ID)
			}
		}
	}
	// Uncommented: valid, and the values are the defaults plus the examples.
	p, _ = loadUser(t, strings.Join(uncommented, "\n"))
	if p.Shell != DefaultShell || p.ApprovalTimeout != DefaultApprovalTimeout {
		t.Errorf("uncommented defaults differ: %s %s", p.Shell, p.ApprovalTimeout)
	}
	for id, d := range p.Overrides {
		if r, _ := findRule(Builtin(), id); d != r.Default {
			t.Errorf("rule %s listed as %s, not its default %s", id, d, r.Default)
		}
	}
	if len(p.Custom) != 1 || len(p.Env.Grants) != 1 {
		t.Errorf("examples: %+v %+v", p.Custom, p.Env.Grants)
	}
}

func TestPolicyWrite(t *testing.T) {
	p, errs, f := load(t, "[rules]\n\"git.force-push\" = \"deny\"\n", `shell = "/bin/zsh"
[paths]
protected = [
  "~/finances",
]
[hosts]
production = ["api.acme.com"]
[[rule]]
id = "custom.no-gh-pr-merge"
match = ["gh", "pr", ["merge", "close"]]
decision = "confirm"
reason = "merges or \"closes\" a pull request"
[env]
strip = ["STRIPE_*"]
[[env.grant]]
name = "RAILWAY_TOKEN"
commands = ["railway", "rw"]
`, "")
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var b strings.Builder
	if err := p.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`shell = "/bin/zsh"  # from ` + f[1] + ":1",
		`timeout = "2m"  # built-in default`,
		`"` + testHome + `/finances",  # from ` + f[1] + ":4",
		`"git.force-push" = "deny"  # from ` + f[0] + ":2; default confirm",
		`[[rule]]  # from ` + f[1] + ":8",
		`match = ["gh", "pr", ["merge", "close"]]`,
		`reason = "merges or \"closes\" a pull request"`,
		`commands = ["railway", "rw"]`,
		"#   managed  " + f[0] + " (loaded)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The listing reads back as the same policy.
	q, _ := loadUser(t, out)
	for _, field := range []struct {
		name       string
		got, wants any
	}{
		{"shell", q.Shell, p.Shell},
		{"timeout", q.ApprovalTimeout, p.ApprovalTimeout},
		{"overrides", q.Overrides, p.Overrides},
		{"custom", q.Custom, p.Custom},
		{"protected", q.Protected, p.Protected},
		{"production", q.ProductionHosts, p.ProductionHosts},
		{"env", q.Env, p.Env},
	} {
		if !reflect.DeepEqual(field.got, field.wants) {
			t.Errorf("%s read back as %v, want %v", field.name, field.got, field.wants)
		}
	}
}

func TestHostMatches(t *testing.T) {
	patterns := []string{"api.acme.com", "*.dev.internal", "10.1.0.0/16", "::1"}
	for host, want := range map[string]bool{
		"api.acme.com":           true,
		"API.acme.com.":          true,
		"www.acme.com":           false,
		"db.dev.internal":        true,
		"a.b.dev.internal":       true,
		"dev.internal":           false,
		"10.1.2.3":               true,
		"10.2.0.1":               false,
		"::1":                    true,
		"":                       false,
		"evil.com/.dev.internal": false,
	} {
		if got := hostMatches(patterns, host); got != want {
			t.Errorf("hostMatches(%q) = %v, want %v", host, got, want)
		}
	}
}

// BenchmarkLoadDefaultConfig measures reading the config install.sh
// writes, which every guard command does.
func BenchmarkLoadDefaultConfig(b *testing.B) {
	text := DefaultConfigText()
	read := func(string, Layer) ([]byte, error) { return []byte(text), nil }
	src := []LayerFile{{Layer: LayerUser, File: "/home/u/.config/guard/guard.toml"}}
	for b.Loop() {
		if _, errs := loadLayers(src, "/home/u", "", read); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

func TestCommentLinesKeepLinesAndStrings(t *testing.T) {
	// Errors after comment lines keep their line numbers.
	_, errs, _ := load(t, "", "# one\n  # two\n\n[approval]\n# four\ntimeout = \"soon\"\n", "")
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), ":6:") {
		t.Errorf("error after comment lines: %v", errs)
	}
	_, errs, _ = load(t, "", "# one\n# two\nshell = \n", "")
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), ":3") {
		t.Errorf("invalid TOML after comment lines: %v", errs)
	}
	// A line starting with # inside a multi-line string is content.
	for _, q := range []string{`"""`, `'''`} {
		p, _ := loadUser(t, "[[rule]]\nid = \"custom.x\"\nmatch = [\"touch\"]\ndecision = \"deny\"\nreason = "+q+"first\n# not a comment\nlast"+q+"\n")
		if len(p.Custom) != 1 || !strings.Contains(p.Custom[0].Reason, "# not a comment") {
			t.Errorf("multi-line string %s lost its # line: %+v", q, p.Custom)
		}
	}
}

func TestSetsNothing(t *testing.T) {
	for src, want := range map[string]bool{
		"":                                     true,
		"\n\n[approval]\n\n[paths]\n[rules]\n": true,
		"  [env]  \n":                          true,
		"[aproval]\n":                          false,
		"[paths]\nprotected = []\n":            false,
		"[[rule]]\n":                           false,
		"shell = \"/bin/bash\"\n":              false,
	} {
		if got := setsNothing(src); got != want {
			t.Errorf("setsNothing(%q) = %v, want %v", src, got, want)
		}
	}
	// The default config sets nothing; a typo in a header is still an error.
	if !setsNothing(withoutCommentLines(DefaultConfigText())) {
		t.Error("the default config is not recognised as setting nothing")
	}
	if _, errs, _ := load(t, "", "# x\n[aproval]\n", ""); len(errs) != 1 {
		t.Errorf("a misspelt table: %v", errs)
	}
}
