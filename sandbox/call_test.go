package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guard-dev/guard/rules"
)

// planWorld judges command lines in a throwaway home.
type planWorld struct {
	home, tmp, state string
	c                *rules.Checker
}

func newPlanWorld(t *testing.T) *planWorld {
	t.Helper()
	root := t.TempDir()
	w := &planWorld{home: filepath.Join(root, "home"), tmp: filepath.Join(root, "tmp"), state: filepath.Join(root, "state")}
	for _, d := range []string{w.home, w.tmp, w.state} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	c, err := rules.NewChecker(rules.Options{
		Home: w.home, Env: map[string]string{"HOME": w.home, "PATH": "/usr/bin:/bin"},
		EnvExact: true, TempDirs: []string{w.tmp},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.c = c
	return w
}

// judge returns the plan of src, which must need a human.
func (w *planWorld) judge(t *testing.T, src string) rules.Plan {
	t.Helper()
	j := w.c.Check(rules.Command{Source: src, Cwd: w.home, Args: []string{"bash"}})
	if j.Verdict.Decision != rules.Confirm {
		t.Fatalf("%q is %v, want confirm: %v", src, j.Verdict.Decision, j.Verdict.Findings)
	}
	return j.Plan()
}

// claude wraps cmd as Claude Code's Bash tool does, without a snapshot.
func (w *planWorld) claude(cmd, rnd string) string {
	return "shopt -u extglob 2>/dev/null || true && eval '" + cmd + "' < /dev/null && pwd -P >| " + w.tmp + "/claude-" + rnd + "-cwd"
}

const (
	approvedCmd = "rm -rf /srv/old"
	otherCmd    = "rm -rf /srv/new"
)

// A yes recorded by the hook for a bare command lets the agent's wrapped
// call of it run once, and nothing else.
func TestRecordCallCoversTheWrappedCall(t *testing.T) {
	w := newPlanWorld(t)
	a := &Approvals{Dir: filepath.Join(w.state, "approvals")}
	id, err := a.RecordCall(approvedCmd, w.home, w.judge(t, approvedCmd), []string{"deletes /srv/old"}, os.Getppid(), mustStart(t, os.Getppid()))
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.List()
	if err != nil || len(list) != 1 || list[0].Kind != KindCall || list[0].Approved.IsZero() || !strings.Contains(strings.Join(list[0].Allows, "\n"), approvedCmd) {
		t.Fatalf("List = %+v, %v", list, err)
	}
	for _, miss := range []string{
		w.claude(otherCmd, "93e6"),
		w.claude(approvedCmd+"; "+otherCmd, "93e6"), // runs more than was approved
	} {
		if _, ok := a.Consume(w.judge(t, miss)); ok {
			t.Errorf("the approval of %q let %q run", approvedCmd, miss)
		}
	}
	used, ok := a.Consume(w.judge(t, w.claude(approvedCmd, "0f1c")))
	if !ok || used.ID != id {
		t.Fatalf("the wrapped call was not covered: %+v %v", used, ok)
	}
	if _, ok := a.Consume(w.judge(t, w.claude(approvedCmd, "0f1c"))); ok {
		t.Error("the hook's approval was used twice")
	}
	// A yes another agent's prompt got (here: a process that is not an
	// ancestor of this one) is not this call's.
	other := exec.Command("sleep", "5")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer other.Process.Kill()
	if _, err := a.RecordCall(approvedCmd, w.home, w.judge(t, approvedCmd), nil, other.Process.Pid, mustStart(t, other.Process.Pid)); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Consume(w.judge(t, w.claude(approvedCmd, "0f1c"))); ok {
		t.Error("an approval another agent recorded let this call run")
	}
}

// mustStart returns the start time of pid.
func mustStart(t *testing.T, pid int) int64 {
	t.Helper()
	s, err := procStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// An approval of a request is for its plan: a retry with another scratch
// file matches, another $1 does not.
func TestRequestMatchesThePlan(t *testing.T) {
	w := newPlanWorld(t)
	a := &Approvals{Dir: filepath.Join(w.state, "approvals")}
	plan := func(src string, args ...string) rules.Plan {
		return w.c.Check(rules.Command{Source: src, Cwd: w.home, Args: args}).Plan()
	}
	id, err := a.Request("x", w.home, plan(w.claude(approvedCmd, "93e6")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := a.Request("y", w.home, plan(w.claude(approvedCmd, "aaaa")), nil); again != id {
		t.Errorf("a retry of the same call got a new id")
	}
	if err := a.Approve(id); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Consume(plan(`rm -rf "$1"`, "sh", "/srv/new")); ok {
		t.Error("an approval matched another plan")
	}
	if _, ok := a.Consume(plan(w.claude(approvedCmd, "bbbb"))); !ok {
		t.Error("the approved call with another scratch file did not match")
	}
}

// A call token covers the approved call's inner shells, inside its process
// tree only, and only for what was approved.
func TestCallToken(t *testing.T) {
	w := newPlanWorld(t)
	outer := w.judge(t, "exec /bin/bash -c '"+approvedCmd+"'")
	inner := w.judge(t, approvedCmd)
	tok, ok := MintCall(w.state, os.Getppid(), outer)
	if !ok {
		t.Fatal("no token")
	}
	if ok, why := AcceptCall(w.state, tok, inner); !ok {
		t.Fatalf("the inner shell of the approved call was refused: %s", why)
	}
	if ok, _ := AcceptCall(w.state, tok, w.judge(t, approvedCmd+"; "+otherCmd)); ok {
		t.Error("the token covered a command that was not approved")
	}
	forged := tok[:len(tok)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", tok[len(tok)-1])+1)%16])
	if ok, why := AcceptCall(w.state, forged, inner); ok || !strings.Contains(why, "not signed") {
		t.Errorf("a forged token: %v %q", ok, why)
	}
	// A token minted for a process that is not an ancestor (here a child
	// of the test) is worthless here.
	child := exec.Command("sleep", "5")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	other, ok := MintCall(w.state, child.Process.Pid, outer)
	if !ok {
		t.Fatal("no token for the child")
	}
	if ok, why := AcceptCall(w.state, other, inner); ok || !strings.Contains(why, "another process tree") {
		t.Errorf("a token of another process tree: %v %q", ok, why)
	}
}

// A request an older guard wrote (bound to the command's text, without a
// kind) is neither matched nor reported as forged: it is removed.
func TestOldRequestFilesAreRemoved(t *testing.T) {
	a, _ := newApprovals(t)
	if err := a.ensureDir(); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(a.Dir, "abcdefgh.json")
	if err := os.WriteFile(old, []byte(`{"id":"abcdefgh","command":"make deploy","command_sha256":"00","cwd":"/p","decision":"confirm","created":"2025-03-01T12:00:00Z","approved":"2025-03-01T12:00:00Z","mac":"00"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var reported []string
	a.Rejected = func(path string, err error) { reported = append(reported, err.Error()) }
	if consumeText(a, "make deploy", "/p") {
		t.Error("an old request matched")
	}
	list, err := a.List()
	if err != nil || len(list) != 0 || len(reported) != 0 {
		t.Errorf("List = %v, %v; reported %q", list, err, reported)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old request is still there: %v", err)
	}
}
