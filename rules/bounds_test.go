package rules

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// TestBoundsThroughChecker checks each bound of analysis through the whole
// check path, with the default limits: at the limit the command is judged
// as usual (allowed here), just over it the verdict is confirm with a
// meta.unknown finding that names the limit.
func TestBoundsThroughChecker(t *testing.T) {
	c, project := corpusWorld(t)
	lim := interceptor.DefaultLimits()
	// s1.sh sources s2.sh ... up to s{depth+1}.sh, which echoes.
	for i := 1; i <= lim.MaxDepth+1; i++ {
		next := "source s" + strconv.Itoa(i+1) + ".sh\n"
		if i == lim.MaxDepth+1 {
			next = "echo done\n"
		}
		if err := os.WriteFile(filepath.Join(project, "s"+strconv.Itoa(i)+".sh"), []byte(next), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	evals := func(n int) string { return strings.Repeat("eval ", n) + "echo hi" }
	substs := func(n int) string { return "echo " + strings.Repeat("$(echo ", n) + "hi" + strings.Repeat(")", n) }
	colons := func(n int) string { return strings.Repeat(":;", n) }
	heredoc := func(n int) string {
		return "cat > out.txt <<'EOF'\n" + strings.Repeat("a", n-1) + "\nEOF"
	}
	x := "x=" + strings.Repeat("a", lim.MaxExpansion/16) + "; "
	cases := []struct {
		name   string
		at     string // judged as usual: allowed
		over   string // confirmed
		reason string // in the meta.unknown finding over the limit
	}{
		{"input size", "echo " + strings.Repeat("a", lim.MaxInput-5), "echo " + strings.Repeat("a", lim.MaxInput-4), "too large to check"},
		{"eval depth", evals(lim.MaxDepth), evals(lim.MaxDepth + 1), "levels deep"},
		{"source depth", "source s2.sh", "source s1.sh", "levels deep"},
		{"substitution depth", substs(lim.MaxDepth), substs(lim.MaxDepth + 1), "levels deep"},
		{"words", "echo {1..4095}", "echo {1..4096}", "more than 4096 words"},
		{"commands", colons(lim.MaxInvocations), colons(lim.MaxInvocations + 1), "more than 4096 commands"},
		{"heredoc size", heredoc(lim.MaxHeredoc), heredoc(lim.MaxHeredoc + 1), "heredoc is larger than"},
		{"expansion", x + "echo " + strings.Repeat("$x", 16), x + "echo " + strings.Repeat("$x", 16) + `"a"`, "expands to more than"},
	}
	for _, tc := range cases {
		if v := c.Check(Command{Source: tc.at, Cwd: project}).Verdict; v.Decision != Allow {
			t.Errorf("%s at the limit: got %s, want allow; findings %.300v", tc.name, v.Decision, v.Findings)
		}
		checkLimitVerdict(t, c, project, tc.name+" over the limit", tc.over, tc.reason)
	}
	// The step budget has no exact "at": every statement and word is a
	// step, and assignments make no command to count first.
	checkLimitVerdict(t, c, project, "steps", strings.Repeat("x=1;", lim.MaxSteps), "too complex to check")
}

// checkLimitVerdict checks that src is confirmed with a meta.unknown
// finding whose reason holds reason.
func checkLimitVerdict(t *testing.T, c *Checker, project, name, src, reason string) {
	t.Helper()
	v := c.Check(Command{Source: src, Cwd: project}).Verdict
	found := false
	for _, f := range v.Findings {
		found = found || f.Rule == "meta.unknown" && strings.Contains(f.Reason, reason)
	}
	if v.Decision != Confirm || !found {
		t.Errorf("%s: got %s, want confirm with a meta.unknown finding %q; findings %.300v", name, v.Decision, reason, v.Findings)
	}
}

// TestBytesThroughChecker checks that NUL bytes and invalid UTF-8 are
// judged, not skipped: a NUL byte makes the command unknown (bash cannot
// take it in an argument), and invalid UTF-8 is analysed around, so that
// the rule of the command still fires.
func TestBytesThroughChecker(t *testing.T) {
	c, project := corpusWorld(t)
	cases := []struct {
		src  string
		want Decision
		rule string
	}{
		{"echo hi\x00there", Confirm, "meta.unknown"},
		{"rm -rf ~\x00", Confirm, "meta.unknown"},
		{"\x00", Confirm, "meta.unknown"},
		{"echo caf\xe9", Allow, ""},
		{"ls \xff\xfe/", Allow, ""},
		{"rm -rf \xff ~", Deny, "fs.rm-home"},
		{"rm -rf ~/\xff\xfe", Confirm, ""},
		{"git push --force \xff", Confirm, ""},
		{"bash -c 'rm -rf ~ \xc3'", Deny, "fs.rm-home"},
		{"printf 'rm -rf ~ \xff' | sh", Deny, "fs.rm-home"},
	}
	for _, tc := range cases {
		v := c.Check(Command{Source: tc.src, Cwd: project}).Verdict
		if v.Decision != tc.want {
			t.Errorf("%q: got %s, want %s; findings %+v", tc.src, v.Decision, tc.want, v.Findings)
			continue
		}
		if tc.rule == "" {
			continue
		}
		found := false
		for _, f := range v.Findings {
			found = found || f.Rule == tc.rule
		}
		if !found {
			t.Errorf("%q: no finding of %s; findings %+v", tc.src, tc.rule, v.Findings)
		}
	}
}
