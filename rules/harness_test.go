package rules

import (
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// The test world of every rule test: user u with home /home/u, working in
// the git project /home/u/code/app.
const (
	testHome = "/home/u"
	testCwd  = "/home/u/code/app"
)

func testFS() interceptor.MapFS {
	return interceptor.MapFS{
		testCwd + "/.git/HEAD":                 "ref: refs/heads/main\n",
		testCwd + "/src/main.go":               "package main\n",
		testCwd + "/README.md":                 "# app\n",
		testCwd + "/paths.txt":                 "/etc\n",
		testHome + "/.bashrc":                  "export PS1='$ '\n",
		testHome + "/.ssh/id_ed25519":          "key",
		testHome + "/.config/guard/guard.toml": "",
		testHome + "/other/.git/HEAD":          "ref: refs/heads/main\n",
	}
}

func testWorld(fsys interceptor.FS) *World {
	w := NewWorld(testHome, "", []string{
		testHome + "/.config/guard",
		testHome + "/.local/state/guard",
		testHome + "/.local/bin/guard",
	}, fsys)
	w.GuardKey = testHome + "/.local/state/guard/state.key"
	return w
}

// judgeWith analyses src in the test world and evaluates it with packs.
func judgeWith(t *testing.T, src string, packs ...*Pack) Verdict {
	t.Helper()
	return judgeIn(t, src, testFS(), packs...)
}

// judgeIn analyses src in the test world over the filesystem fsys and
// evaluates it with packs.
func judgeIn(t *testing.T, src string, fsys interceptor.MapFS, packs ...*Pack) Verdict {
	t.Helper()
	e, err := NewEngine(packs, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := interceptor.Context{
		Cwd:  testCwd,
		Home: testHome,
		User: "u",
		Env:  map[string]string{"HOME": testHome, "USER": "u", "PATH": "/usr/bin:/bin"},
		FS:   fsys,
	}
	w := testWorld(fsys)
	w.Analysis = ctx
	return e.Evaluate(interceptor.Analyze(src, ctx), w)
}

// ruleCase is one row of a rule table: src must get decision want, and when
// rule is set, a finding of that rule.
type ruleCase struct {
	src  string
	want Decision
	rule string
}

func runRuleCases(t *testing.T, cases []ruleCase, packs ...*Pack) {
	t.Helper()
	runCasesWith(t, cases, func(src string) Verdict { return judgeWith(t, src, packs...) })
}

// runCasesWith checks each case against the verdict judge gives.
func runCasesWith(t *testing.T, cases []ruleCase, judge func(src string) Verdict) {
	t.Helper()
	for _, c := range cases {
		v := judge(c.src)
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
			continue
		}
		if c.rule == "" {
			continue
		}
		found := false
		for _, f := range v.Findings {
			found = found || f.Rule == c.rule
		}
		if !found {
			t.Errorf("%q: no finding of rule %s; findings %+v", c.src, c.rule, v.Findings)
		}
	}
}
