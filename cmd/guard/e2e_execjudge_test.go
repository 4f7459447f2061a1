package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guard-dev/guard/sandbox/launch"
)

// execJudgeWorld is an unprivileged world with the exec judge on and a
// canary in ~/Documents. It skips when the tests do not run as root (no
// throwaway user) or the kernel has no seccomp user notification.
func execJudgeWorld(t *testing.T) (*world, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the exec judge's tests run guard as a throwaway user: they need root")
	}
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	w := newUnprivilegedWorld(t)
	for i, kv := range w.env {
		if strings.HasPrefix(kv, "GUARD_EXEC_JUDGE=") {
			w.env[i] = "GUARD_EXEC_JUDGE=on"
		}
	}
	return w, w.give(t, "Documents/canary", []byte("alive"), 0o644)
}

// TestExecJudgeRefusesWhatTheAnalysisCannotSee: programs that start rm -rf
// ~/Documents in ways guard's reading of the command line cannot follow
// are stopped at their exec, the canary survives, and the refused process
// gets guard's reason on its own stderr.
func TestExecJudgeRefusesWhatTheAnalysisCannotSee(t *testing.T) {
	w, canary := execJudgeWorld(t)
	// The program's name and the target come from files at run time.
	w.give(t, "prog", []byte("rm"), 0o644)
	w.give(t, "target", []byte(filepath.Join(w.home, "Documents")), 0o644)
	w.give(t, "wipe.sh", []byte("#!/bin/sh\n\"$(cat ~/prog)\" -rf \"$(cat ~/target)\"\n"), 0o755)
	w.give(t, "Makefile", []byte("nuke:\n\t$(shell cat ~/prog) -rf $(shell cat ~/target)\n"), 0o644)
	w.give(t, "nuke.c", []byte("#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n#include <unistd.h>\n"+
		"int main(void){char p[4096];snprintf(p,sizeof p,\"%s/Documents\",getenv(\"HOME\"));"+
		"execlp(\"rm\",\"rm\",\"-rf\",p,(char*)0);perror(\"exec rm\");return 1;}\n"), 0o644)
	type tc struct{ name, cmd, needs string }
	cases := []tc{
		{"python subprocess", `python3 -c 'import subprocess,os,base64; subprocess.run([base64.b64decode("cm0=").decode(),"-rf",os.path.expanduser("~/Documents")])'`, "python3"},
		{"a script on disk", "~/wipe.sh", "sh"},
		{"make nuke", "make -s -f ~/Makefile nuke", "make"},
		{"node execSync", `node -e 'require("child_process").execSync(Buffer.from("cm0gLXJmIH4vRG9jdW1lbnRz","base64").toString())'`, "node"},
	}
	if _, err := exec.LookPath("cc"); err == nil {
		cc := exec.Command("cc", "-o", filepath.Join(w.home, "nuke"), filepath.Join(w.home, "nuke.c"))
		if out, err := cc.CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s", err, out)
		}
		chownTree(t, w.home, int(w.cred.Uid))
		cases = append(cases, tc{"a compiled program", "~/nuke", ""})
	}
	for _, c := range cases {
		if c.needs != "" {
			if _, err := exec.LookPath(c.needs); err != nil {
				t.Logf("%s: skipped, no %s", c.name, c.needs)
				continue
			}
		}
		_, errOut, _ := w.guard(t, "", nil, "-c", c.cmd)
		canaryAlive(t, canary)
		// make's recipe is already held by the analysis (its command name
		// is computed), before any exec: either way guard tells why.
		if !strings.Contains(errOut, "guard: blocked: deletes ~/Documents") && !(c.name == "make nuke" && strings.Contains(errOut, "guard: blocked:")) {
			t.Errorf("%s: guard's reason is not on the refused process's stderr:\n%s", c.name, errOut)
		}
		if n := strings.Count(errOut, "guard: blocked:"); n != 1 {
			t.Errorf("%s: %d lines of guard's, want one (a PATH walk's retries are not told again):\n%s", c.name, n, errOut)
		}
	}
	audit, err := os.ReadFile(filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(audit), `"mode":"exec"`) || !strings.Contains(string(audit), `"decision":"confirm"`) {
		t.Errorf("the audit log has no exec decision:\n%s", audit)
	}
}

// TestExecJudgeKeepsTheDevWorkflow: builds, git and make run under the
// exec judge, and an exec of a missing file fails as it would without it.
func TestExecJudgeKeepsTheDevWorkflow(t *testing.T) {
	w, canary := execJudgeWorld(t)
	steps := []struct{ name, cmd, needs string }{
		{"git", "git init -q . && git -c user.name=a -c user.email=a@b commit -qm one --allow-empty && test $(git rev-list --count HEAD) = 1", "git"},
		{"make", "printf 'all:\\n\\techo built > out.txt\\n\\tcat out.txt | wc -l\\n' > Makefile && make -s && test -s out.txt", "make"},
		{"go build", "printf 'module m\\ngo 1.21\\n' > go.mod && printf 'package main\\nfunc main(){}\\n' > main.go && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o app . && ./app", "go"},
		{"PATH walk", "PATH=/nonexistent:$PATH true && env PATH=/nonexistent1:/nonexistent2:/usr/bin:/bin ls / >/dev/null", ""},
		{"missing program", "! /nonexistent/prog 2>/dev/null", ""},
		{"a subshell pipeline", "sh -c 'ls / | grep -c usr' >/dev/null", ""},
	}
	for _, s := range steps {
		extra := []string{"GOCACHE=" + filepath.Join(w.home, ".cache", "go-build"), "GOPATH=" + filepath.Join(w.home, "go")}
		if s.needs != "" {
			p, err := exec.LookPath(s.needs)
			if err != nil {
				t.Logf("%s: skipped, no %s", s.name, s.needs)
				continue
			}
			extra = append(extra, "PATH="+filepath.Dir(p)+":/usr/bin:/bin")
		}
		out, errOut, code := w.guard(t, "", extra, "-c", s.cmd)
		if code != 0 {
			t.Errorf("%s: exit %d\nstdout: %s\nstderr: %s", s.name, code, out, errOut)
		}
	}
	canaryAlive(t, canary)
	// Every allowed exec is in the audit log once guard has exited: the
	// records the judge holds back a moment are written when the tree is
	// done (grep and ls, of the last line, too).
	audit, err := os.ReadFile(filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"command":"grep -c usr"`, `"command":"ls /"`} {
		found := false
		for _, line := range strings.Split(string(audit), "\n") {
			if strings.Contains(line, `"mode":"exec"`) && strings.Contains(line, `"decision":"allow"`) && strings.Contains(line, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("the audit log has no allowed exec %s:\n%s", want, audit)
		}
	}
}

// TestExecJudgeRunsOnOneCPU: with one P (GOMAXPROCS=1, as on a one-CPU
// machine or under a CPU quota) the command's own exec, which the
// supervisor answers while guard's forking thread waits in vfork, does not
// hang guard (forkExec in sandbox/execjudge.go).
func TestExecJudgeRunsOnOneCPU(t *testing.T) {
	w, _ := execJudgeWorld(t)
	for _, route := range [][]string{{"-c", "/bin/true && ls / | wc -l"}, {"wrap", "--", "sh", "-c", "ls / | wc -l"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, guardBinary(t), route...)
		cmd.Dir, cmd.Env = w.project, append(append([]string(nil), w.env...), "GOMAXPROCS=1")
		cmd.SysProcAttr = newSession()
		cmd.SysProcAttr.Credential = w.cred
		out, errOut, code := runOutput(t, cmd)
		cancel()
		if code != 0 || strings.TrimSpace(out) == "" {
			t.Errorf("guard %s with GOMAXPROCS=1: exit %d, stdout %q, stderr %q", route[0], code, out, errOut)
		}
	}
}

// TestWrapJudgesTheWholeTree: guard wrap starts the "agent" unjudged, and
// every program its tree starts is judged: a harmless one runs, one that
// deletes ~/Documents is refused on its own stderr.
func TestWrapJudgesTheWholeTree(t *testing.T) {
	w, canary := execJudgeWorld(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	agent := `ls / >/dev/null && echo listed; python3 -c 'import subprocess,os,base64; subprocess.run([base64.b64decode("cm0=").decode(),"-rf",os.path.expanduser("~/Documents")])'; echo done`
	out, errOut, code := w.guard(t, "", nil, "wrap", "--", "sh", "-c", agent)
	canaryAlive(t, canary)
	if code != 0 || out != "listed\ndone\n" {
		t.Errorf("exit %d, stdout %q, want 0 and both lines", code, out)
	}
	if !strings.Contains(errOut, "guard: blocked: deletes ~/Documents") {
		t.Errorf("guard's reason is not on the refused process's stderr:\n%s", errOut)
	}
	_, errOut, code = w.guard(t, "", []string{"GUARD_EXEC_JUDGE=off"}, "wrap", "true")
	if code == 0 || !strings.Contains(errOut, "guard wrap is nothing without it") {
		t.Errorf("wrap without the judge: exit %d, stderr %q; want a refusal", code, errOut)
	}
}
