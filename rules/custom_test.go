package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// policyChecker builds a checker in the test world (testFS, testHome,
// testCwd) over the policy that the user config src makes.
func policyChecker(t *testing.T, src string) *Checker {
	t.Helper()
	var p *Policy
	if src != "" {
		p, _ = loadUser(t, src)
	}
	c, err := NewChecker(Options{
		Home:   testHome,
		User:   "u",
		Env:    map[string]string{"HOME": testHome, "USER": "u", "PATH": "/usr/bin:/bin"},
		FS:     testFS(),
		Policy: p,
		Locations: Locations{
			ConfigDir:       testHome + "/.config/guard",
			StateDir:        testHome + "/.local/state/guard",
			SystemConfigDir: "/etc/guard",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// policyCase is one command judged in the test world with and without a
// policy.
type policyCase struct {
	src string
	// without is the decision with the built-in defaults, with that
	// under the policy.
	without, with Decision
	// rule, when set, must be among the findings under the policy.
	rule string
	// reason, when set, must be in that finding's reason.
	reason string
}

func runPolicyCases(t *testing.T, config string, cases []policyCase) {
	t.Helper()
	plain := policyChecker(t, "")
	configured := policyChecker(t, config)
	for _, c := range cases {
		if v := plain.Check(Command{Source: c.src, Cwd: testCwd}).Verdict; v.Decision != c.without {
			t.Errorf("%q without the policy: got %s, want %s; findings %+v", c.src, v.Decision, c.without, v.Findings)
		}
		v := configured.Check(Command{Source: c.src, Cwd: testCwd}).Verdict
		if v.Decision != c.with {
			t.Errorf("%q with the policy: got %s, want %s; findings %+v", c.src, v.Decision, c.with, v.Findings)
			continue
		}
		if c.rule == "" {
			continue
		}
		found := false
		for _, f := range v.Findings {
			if f.Rule == c.rule && strings.Contains(f.Reason, c.reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no finding of %s with %q; findings %+v", c.src, c.rule, c.reason, v.Findings)
		}
	}
}

const customConfig = `
[[rule]]
id = "custom.no-gh-pr-merge"
match = ["gh", "pr", ["merge", "close"]]
decision = "confirm"
reason = "merges or closes a pull request"

[[rule]]
id = "custom.no-ship-prod"
match = [["ship", "shipit"], "prod"]
decision = "deny"

[[rule]]
id = "custom.no-make-deploy"
match = ["make", "deploy-prod"]
decision = "confirm"
reason = "deploys to production"
`

func TestCustomRules(t *testing.T) {
	const merge = "merges or closes a pull request"
	runPolicyCases(t, customConfig, []policyCase{
		{"gh pr merge 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"gh pr close 12 --comment done", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"/usr/bin/gh pr merge", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"'gh' \"pr\" merge", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		// It is a pack: wrappers, nested shells, eval, functions, xargs.
		{"sudo gh pr merge 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"sudo -u deploy env GH_TOKEN=x timeout 30 gh pr merge 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"bash -c 'gh pr merge 12'", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{`sh -c "cd /tmp && bash -c 'gh pr close 3'"`, Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"eval 'gh pr merge 12'", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"m() { gh pr merge \"$1\"; }; m 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"echo 12 | xargs gh pr merge", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"ssh ci gh pr merge 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		{"A=merge; gh pr $A 12", Allow, Confirm, "custom.no-gh-pr-merge", merge},
		// An argument that cannot be known may match.
		{"gh pr \"$ACTION\" 12", Allow, Confirm, "custom.no-gh-pr-merge", "may match"},
		{"gh pr \"m$X\" 12", Allow, Confirm, "custom.no-gh-pr-merge", "may match"},
		{"ship prod", Allow, Deny, "custom.no-ship-prod", "custom.no-ship-prod"},
		{"./shipit prod --yes", Allow, Deny, "custom.no-ship-prod", ""},
		{"make deploy-prod", Allow, Confirm, "custom.no-make-deploy", "deploys to production"},
		// Must not fire.
		{"gh pr view 12", Allow, Allow, "", ""},
		{"gh pr list", Allow, Allow, "", ""},
		{"gh pr", Allow, Allow, "", ""},
		{"gh issue close 3", Allow, Allow, "", ""},
		{"gh pr \"x$A\" 12", Allow, Allow, "", ""},
		{"echo gh pr merge", Allow, Allow, "", ""},
		{"git commit -m 'gh pr merge'", Allow, Allow, "", ""},
		{"ship staging", Allow, Allow, "", ""},
		{"make deploy-staging", Allow, Allow, "", ""},
		{"gh --repo x pr merge 1", Allow, Allow, "", ""},
	})
}

func TestCustomRuleOverride(t *testing.T) {
	// A [rules] entry changes a custom rule's decision like any other.
	c := policyChecker(t, customConfig+"\n[rules]\n\"custom.no-gh-pr-merge\" = \"deny\"\n")
	if v := c.Check(Command{Source: "sudo gh pr merge 1", Cwd: testCwd}).Verdict; v.Decision != Deny {
		t.Errorf("got %s, want deny; %+v", v.Decision, v.Findings)
	}
	found := false
	for _, r := range c.Rules() {
		if r.ID == "custom.no-gh-pr-merge" {
			found = r.Default == Deny
		}
	}
	if !found {
		t.Errorf("custom rule missing from Rules() with its effective decision")
	}
}

func TestCustomFits(t *testing.T) {
	u := interceptor.UnknownMark
	for _, c := range []struct {
		value, s string
		want     bool
	}{
		{u, "merge", true},
		{"m" + u, "merge", true},
		{u + "ge", "merge", true},
		{"m" + u + "g" + u, "merge", true},
		{"x" + u, "merge", false},
		{u + "x", "merge", false},
		{"merge" + u + "merge", "merge", false},
		{"merge", "merge", true},
	} {
		if got := customFits(c.value, c.s); got != c.want {
			t.Errorf("customFits(%q, %q) = %v, want %v", strings.ReplaceAll(c.value, u, "…"), c.s, got, c.want)
		}
	}
}

func TestPolicyPaths(t *testing.T) {
	runPolicyCases(t, `
[paths]
protected = ["~/code/app/data", "/tmp/keep", "/tmp/a/keep", "~/work/sub/keep"]
scratch = ["~/scratch"]
`, []policyCase{
		// Inside the project: scratch by default, protected by the policy.
		{"rm -rf data", Allow, Confirm, "fs.rm-protected", "deletes the protected path ~/code/app/data"},
		{"rm -rf data/2024", Allow, Confirm, "fs.rm-protected", "in the protected path ~/code/app/data"},
		{"cd src && rm -rf ../data", Allow, Confirm, "fs.rm-protected", ""},
		{"sudo bash -c 'rm -rf /home/u/code/app/data'", Allow, Confirm, "fs.rm-protected", ""},
		{"echo x > data/seed.sql", Allow, Confirm, "fs.overwrite-protected", ""},
		{"mv data /tmp/", Allow, Confirm, "fs.mv-protected", ""},
		{"rm -rf d*", Allow, Confirm, "fs.rm-protected", ""},
		{"rm -rf /tmp/keep", Allow, Confirm, "fs.rm-protected", ""},
		{"rm -rf /tmp/*", Allow, Confirm, "fs.rm-protected", ""},
		// Containing a protected path.
		{"rm -rf /tmp/keep/../keep", Allow, Confirm, "fs.rm-protected", ""},
		{"rm -rf /tmp/a", Allow, Confirm, "fs.rm-protected", "contains the protected path /tmp/a/keep"},
		{"rm -rf /tmp/a/*", Allow, Confirm, "fs.rm-protected", "/tmp/a/keep"},
		{"rm -rf ~/work/sub", Confirm, Confirm, "fs.rm-protected", "contains the protected path ~/work/sub/keep"},
		{"mkdir -p /tmp/x && rm -rf /tmp", Confirm, Confirm, "fs.rm-protected", ""},
		{"rm -rf ~/code", Confirm, Confirm, "fs.rm-protected", "contains the project"},
		// Scratch by the policy.
		{"rm -rf ~/scratch/build", Confirm, Allow, "", ""},
		{"rm -rf ~/scratch/*", Confirm, Allow, "", ""},
		// Unaffected.
		{"rm -rf build", Allow, Allow, "", ""},
		{"rm -rf /tmp/other", Allow, Allow, "", ""},
		{"rm -rf ~", Deny, Deny, "fs.rm-home", ""},
		{"rm -rf ~/.ssh", Confirm, Confirm, "fs.rm-protected", "credential"},
	})
}

func TestPolicyScratchName(t *testing.T) {
	c := policyChecker(t, "[paths]\nscratch = [\"~/scratch\"]\n")
	v := c.Check(Command{Source: "rm -rf ~/scratch", Cwd: testCwd}).Verdict
	if v.Decision != Confirm || len(v.Findings) == 0 || !strings.Contains(v.Findings[0].Reason, "the scratch directory ~/scratch") {
		t.Errorf("deleting the scratch directory itself: %+v", v)
	}
}

func TestPolicyHosts(t *testing.T) {
	runPolicyCases(t, `
[hosts]
local = ["*.dev.internal", "10.9.0.0/16", "*.acme.com"]
production = ["api.acme.com", "*.prod.acme.com", "api.github.com"]
`, []policyCase{
		// Local hosts: development, like localhost.
		{"curl -X DELETE https://api.dev.internal/users/1", Confirm, Allow, "", ""},
		{"curl -X DELETE http://10.9.3.4:8080/x", Confirm, Allow, "", ""},
		{"curl -X DELETE https://dev.acme.com/x", Confirm, Allow, "", ""},
		// ... only on this machine.
		{"ssh box curl -X DELETE https://api.dev.internal/users/1", Confirm, Confirm, "http.delete", ""},
		{"curl -X DELETE https://api.dev.internal.evil.com/x", Confirm, Confirm, "http.delete", ""},
		// Production: anything but GET, HEAD, OPTIONS confirms; production
		// wins over local.
		{"curl -X POST https://api.acme.com/v1/charges", Allow, Confirm, "http.production-write", "sends POST to the production host api.acme.com"},
		{"curl -d amount=100 https://api.acme.com/v1/charges", Allow, Confirm, "http.production-write", "POST"},
		{"curl --json '{}' https://api.acme.com/v1/charges", Allow, Confirm, "http.production-write", "POST"},
		{"curl -F file=@x https://api.acme.com/upload", Allow, Confirm, "http.production-write", "POST"},
		{"curl -T dump.sql https://files.prod.acme.com/dump.sql", Allow, Confirm, "http.production-write", "PUT"},
		{"curl -X PATCH https://eu.prod.acme.com/x", Allow, Confirm, "http.production-write", "PATCH"},
		{"curl -X DELETE https://api.acme.com/v1/users/1", Confirm, Confirm, "http.production-write", "DELETE"},
		{"curl -X \"$M\" https://api.acme.com/x", Confirm, Confirm, "http.production-write", "cannot be known"},
		{"sudo bash -c 'curl -XPUT https://api.acme.com/x'", Allow, Confirm, "http.production-write", "PUT"},
		{"ssh box curl -d x https://api.acme.com/x", Allow, Confirm, "http.production-write", "POST"},
		{"wget --post-data=x https://api.acme.com/x", Allow, Confirm, "http.production-write", "POST"},
		{"wget --method=PUT https://api.acme.com/x", Allow, Confirm, "http.production-write", "PUT"},
		{"http api.acme.com/x name=y", Allow, Confirm, "http.production-write", "POST"},
		{"http PUT https://api.acme.com/x", Allow, Confirm, "http.production-write", "PUT"},
		{"echo '{}' | http https://api.acme.com/x", Allow, Confirm, "http.production-write", "POST"},
		// GitHub's API is a production platform whatever the policy says;
		// a GraphQL query only reads, also on a production host.
		{"gh api repos/acme/app/issues -f title=x", Confirm, Confirm, "http.production-write", "POST"},
		{"gh api graphql -f query='query { viewer { login } }'", Allow, Allow, "", ""},
		{"curl https://api.acme.com/graphql -d '{\"query\":\"query { a }\"}'", Allow, Allow, "", ""},
		{"curl https://api.acme.com/graphql -d '{\"query\":\"mutation { createA }\"}'", Allow, Confirm, "http.production-write", "mutation createA"},
		// Reads are not writes.
		{"curl https://api.acme.com/v1/charges", Allow, Allow, "", ""},
		{"curl -G -d limit=10 https://api.acme.com/v1/charges", Allow, Allow, "", ""},
		{"curl -I https://api.acme.com/", Allow, Allow, "", ""},
		{"curl -X OPTIONS https://api.acme.com/", Allow, Allow, "", ""},
		{"curl -X get https://api.acme.com/", Allow, Allow, "", ""},
		{"wget https://api.acme.com/file", Allow, Allow, "", ""},
		{"http api.acme.com/x q==1", Allow, Allow, "", ""},
		{"gh api repos/acme/app/issues", Allow, Allow, "", ""},
		{"gh api -X GET repos/acme/app/issues -f state=open", Allow, Allow, "", ""},
		// Not production.
		{"curl -d x https://api.other.com/x", Allow, Allow, "", ""},
		{"curl -d x https://acme.com/x", Allow, Allow, "", ""},
		{"curl -d x https://dev.acme.com/x", Allow, Allow, "", ""},
		{"curl -d x http://localhost:3000/x", Allow, Allow, "", ""},
	})
}

func TestPolicyOverridesInChecker(t *testing.T) {
	runPolicyCases(t, `
[rules]
"git.force-push" = "allow"
"git.reset-hard" = "deny"
`, []policyCase{
		{"git push --force origin main", Confirm, Allow, "", ""},
		{"git reset --hard HEAD~3", Confirm, Deny, "git.reset-hard", ""},
		{"sudo sh -c 'git reset --hard'", Confirm, Deny, "git.reset-hard", ""},
	})
}

func TestCheckerPolicyUnknownOverride(t *testing.T) {
	p := DefaultPolicy()
	p.Overrides["no.such-rule"] = Deny
	if _, err := NewChecker(Options{Home: testHome, FS: testFS(), Policy: p}); err == nil {
		t.Errorf("an unknown rule in the policy was accepted")
	}
}

func TestCustomPackEmpty(t *testing.T) {
	p := CustomPack(nil)
	if p.Commands == nil || len(p.Rules) != 0 {
		t.Errorf("an empty custom pack must examine nothing: %+v", p)
	}
}
