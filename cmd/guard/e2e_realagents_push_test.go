//go:build linux

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// forcePush is the command the model sends in the force-push cases: it
// rewrites origin's main, which guard holds for a human's yes.
const forcePush = "git push --force origin main"

// pushRepo is the git setup of a force-push case: the project is a
// repository whose origin is a bare repository in the agent's temp dir (a
// local path: the push stays on the machine; the temp dir, because the
// write fence lets the agent's commands write only there and in the
// project), with main rewritten locally so that only a forced push moves
// origin's.
type pushRepo struct {
	remote string // the bare repository
	pushes string // where its post-receive hook logs each push it takes
	old    string // origin's main before the push
	forced string // the project's main, which only --force can push
}

// makePushRepo builds the repositories as the throwaway user.
func makePushRepo(t *testing.T, a *agentRun) *pushRepo {
	t.Helper()
	env := a.env()
	tmp := filepath.Join(a.root, "tmp")
	r := &pushRepo{remote: filepath.Join(tmp, "remote.git"), pushes: filepath.Join(tmp, "pushes.log")}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chown(tmp, a.uid, a.gid)
	if err := os.RemoveAll(filepath.Join(a.project, ".git")); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		return strings.TrimSpace(a.mustRun(env, "git", args...))
	}
	git("init", "-q", "-b", "main")
	git("config", "user.email", "e2e@guard.invalid")
	git("config", "user.name", "guard e2e")
	git("config", "commit.gpgsign", "false")
	a.mustRun(env, "/bin/sh", "-c", "echo one > file.txt")
	git("add", "file.txt")
	git("commit", "-q", "-m", "one")
	git("init", "-q", "--bare", "-b", "main", r.remote)
	git("remote", "add", "origin", r.remote)
	git("push", "-q", "origin", "main")
	// From here on, every push the remote takes is logged.
	hook := filepath.Join(r.remote, "hooks", "post-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\ncat >> '"+r.pushes+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chown(hook, a.uid, a.gid)
	a.mustRun(env, "/bin/sh", "-c", "echo two > file.txt")
	git("commit", "-q", "-a", "--amend", "-m", "two")
	r.old = git("rev-parse", "origin/main")
	r.forced = git("rev-parse", "HEAD")
	if r.old == r.forced || r.old == "" {
		t.Fatalf("the project's main (%s) does not diverge from origin's (%s)", r.forced, r.old)
	}
	return r
}

// remoteMain returns origin's main as the bare repository holds it.
func (r *pushRepo) remoteMain(t *testing.T, a *agentRun) string {
	t.Helper()
	out, err := a.asUser(a.env(), "git", "--git-dir", r.remote, "rev-parse", "refs/heads/main").CombinedOutput()
	if err != nil {
		t.Errorf("reading the remote's main: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// pushCount returns how many pushes the remote took (its post-receive
// hook's log lines).
func (r *pushRepo) pushCount(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(r.pushes)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Errorf("reading the remote's push log: %v", err)
	}
	return strings.Count(string(data), "\n")
}

// approveID matches the line guard prints when it refuses a command that
// needs a human and no terminal is there to ask.
var approveID = regexp.MustCompile(`guard approve ([a-z2-7]{8})`)

// humanApproves runs "guard approve ID" as the throwaway user, with the
// agent's HOME and state, in a pty of its own as its controlling terminal,
// and answers its question with "y", as a human would.
func humanApproves(t *testing.T, a *agentRun, id string) (string, int) {
	t.Helper()
	w := &world{home: a.home, project: a.project, env: a.env(),
		cred: &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: []uint32{}}}
	return ptyRunArgv(t, w, "y\r", []string{a.guard, "approve", id})
}

// auditRecord is what the cases read of one audit log line.
type auditRecord struct {
	Mode, Command, Decision, Approval string
	Exit                              *int
}

// auditLog returns the throwaway user's audit log, through guard log.
func auditLog(t *testing.T, a *agentRun) []auditRecord {
	t.Helper()
	out, err := a.asUser(a.env(), a.guard, "log", "--json", "-n", "0").Output()
	if err != nil {
		t.Errorf("guard log: %v", err)
	}
	var recs []auditRecord
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r auditRecord
		if line != "" && json.Unmarshal([]byte(line), &r) == nil {
			recs = append(recs, r)
		}
	}
	return recs
}

// approvedForcePushCase is issue 14's confirmed command, in guard's shell:
// the model asks for a force push three times. The first is refused (no
// terminal in the agent's shell) with a "guard approve ID" line that
// reaches the model, and origin is untouched; the test then approves that
// id as a human would, in a pty of its own; the second, identical, runs
// and moves origin's main to the forced commit; the test puts origin back;
// the third is refused again with a new id, as the approval was used.
func approvedForcePushCase() agentCase {
	var mu sync.Mutex
	var repo *pushRepo
	var firstID string
	return agentCase{name: "force-push-approved-once", command: forcePush, then: []string{forcePush, forcePush}, sameWrapper: true,
		afterWiring: func(t *testing.T, a *agentRun, env []string) {
			mu.Lock()
			defer mu.Unlock()
			repo = makePushRepo(t, a)
		},
		onResult: func(t *testing.T, a *agentRun, turn int, result string) {
			mu.Lock()
			defer mu.Unlock()
			switch turn {
			case 0:
				if got := repo.remoteMain(t, a); got != repo.old || repo.pushCount(t) != 0 {
					t.Errorf("the force push ran without an approval: origin's main is %s (was %s), %d pushes", got, repo.old, repo.pushCount(t))
				}
				m := approveID.FindStringSubmatch(result)
				if m == nil || !guardStopped(result) {
					t.Errorf("the model was not given guard's refusal with an approval id: %q", result)
					return
				}
				firstID = m[1]
				screen, code := humanApproves(t, a, firstID)
				if code != 0 || !strings.Contains(screen, "git push") {
					t.Errorf("guard approve %s in a pty: exit %d, screen %q", firstID, code, screen)
				}
				if got := repo.remoteMain(t, a); got != repo.old {
					t.Errorf("approving ran the push: origin's main is %s", got)
				}
			case 1:
				if got := repo.remoteMain(t, a); got != repo.forced || !strings.Contains(result, "(forced update)") {
					t.Errorf("the approved force push did not move origin's main to %s: it is %s; the model got %q", repo.forced, got, result)
				}
				if n := repo.pushCount(t); n != 1 {
					t.Errorf("origin took %d pushes, want 1", n)
				}
				// Put origin back, so that a third run would show.
				a.mustRun(a.env(), "git", "--git-dir", repo.remote, "update-ref", "refs/heads/main", repo.old)
			}
		},
		checkTurns: func(t *testing.T, a *agentRun, results []string) {
			mu.Lock()
			defer mu.Unlock()
			if n := repo.pushCount(t); n > 1 {
				t.Errorf("the approval was used more than once: origin took %d pushes", n)
			}
			if got := repo.remoteMain(t, a); got != repo.old {
				t.Errorf("the third force push moved origin's main to %s (it was put back to %s)", got, repo.old)
			}
			m := approveID.FindStringSubmatch(results[2])
			if m == nil || m[1] == firstID {
				t.Errorf("the third force push was not refused with a new approval id (first %s): %q", firstID, results[2])
			}
			once := 0
			for _, r := range auditLog(t, a) {
				if r.Approval == "once" && strings.Contains(r.Command, forcePush) {
					once++
				}
			}
			if once != 1 {
				t.Errorf("the audit log shows %d runs of the force push on a one-time approval, want 1:\n%+v", once, auditLog(t, a))
			}
		}}
}

// forcePushHeldCase is the same force push through the agent's hook, with
// no human to answer. Claude Code's hook answers "ask": headless ("claude
// -p", even with --dangerously-skip-permissions) there is no prompt, and
// Claude Code refuses the call, giving the model guard's ask text. Codex's
// hook cannot ask and headless Gemini's does not (it would wait forever):
// both answer a deny that tells the model to ask its human. Either way
// origin must be untouched.
func forcePushHeldCase() agentCase {
	var mu sync.Mutex
	var repo *pushRepo
	return agentCase{name: "force-push-held", command: forcePush,
		afterWiring: func(t *testing.T, a *agentRun, env []string) {
			mu.Lock()
			defer mu.Unlock()
			repo = makePushRepo(t, a)
		},
		checkTurns: func(t *testing.T, a *agentRun, results []string) {
			mu.Lock()
			defer mu.Unlock()
			if got := repo.remoteMain(t, a); got != repo.old || repo.pushCount(t) != 0 {
				t.Errorf("the force push ran with no human: origin's main is %s (was %s), %d pushes; the model got %q", got, repo.old, repo.pushCount(t), results[0])
			}
			want := "guard stopped this command because a human has to approve it first"
			switch {
			case a.route == "wrap":
				// The exec judge refuses it on the process's stderr.
				want = "This needs a human's approval: ask your human to run `guard approve "
			case a.agent == "claude":
				want = "guard: this command needs your approval"
			}
			if !strings.Contains(results[0], want) && !(a.route == "wrap" && execRefused(results[0])) {
				t.Errorf("the model was not told guard held the force push back (%q): %q", want, results[0])
			}
		}}
}
