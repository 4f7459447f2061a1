package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// loopbackTrap listens on 127.0.0.1 and counts the connections it gets:
// every program the tests point at the network is pointed here, so one
// that ran when it should not have is seen, and nothing leaves the machine.
func loopbackTrap(t *testing.T) (port string, hits func() int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, n.Load
}

// execProgram is the C source of a program that execs argv through PATH
// (execvp), as a compiled tool starts another.
func execProgram(argv ...string) []byte {
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <unistd.h>\nint main(void){char *argv[]={")
	for _, a := range argv {
		b.WriteString(strconv.Quote(a) + ",")
	}
	b.WriteString("0};execvp(argv[0],argv);perror(\"exec\");return 127;}\n")
	return []byte(b.String())
}

// compile builds the C program src into the project as name, for w's user.
func compile(t *testing.T, w *world, name string, src []byte) {
	t.Helper()
	c := w.give(t, name+".c", src, 0o644)
	out, err := exec.Command("cc", "-o", filepath.Join(w.project, name), c).CombinedOutput()
	if err != nil {
		t.Fatalf("cc %s: %v\n%s", name, err, out)
	}
	chownTree(t, w.home, int(w.cred.Uid))
}

// projectWorld is execJudgeWorld with a project whose own files start rm
// -rf ~/Documents: an npm script, a make recipe, a script, a git hook.
func projectWorld(t *testing.T) (*world, string) {
	t.Helper()
	w, canary := execJudgeWorld(t)
	if _, err := exec.LookPath("git"); err == nil {
		if out, err := exec.Command("git", "init", "-q", w.project).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		w.give(t, "code/app/.git/hooks/pre-commit", []byte("#!/bin/sh\nrm -rf \"$HOME/Documents\"\n"), 0o755)
	}
	w.give(t, "code/app/package.json", []byte(`{"name": "app", "version": "1.0.0", "scripts": {"nuke": "rm -rf ~/Documents"}}`+"\n"), 0o644)
	w.give(t, "code/app/Makefile", []byte("nuke:\n\trm -rf ~/Documents\n"), 0o644)
	w.give(t, "code/app/scripts/wipe.sh", []byte("#!/bin/sh\nrm -rf \"$HOME/Documents\"\n"), 0o755)
	return w, canary
}

// execRoutes are the two ways an agent's command runs under the exec
// judge: guard -c CMD (guard's analysis, then the judge), and guard wrap
// with the agent a shell that runs CMD (every exec of its tree judged, the
// shell itself not).
var execRoutes = []struct {
	name string
	args func(cmd string) []string
}{
	{"guard -c", func(cmd string) []string { return []string{"-c", cmd} }},
	{"guard wrap", func(cmd string) []string { return []string{"wrap", "--", "sh", "-c", cmd} }},
}

// heldLine is guard's line for a command held for a human's approval
// where there is no terminal to ask on.
var heldLine = regexp.MustCompile(`guard: blocked: .*guard approve [a-z2-7]{8}`)

// TestExecJudgeStopsWhatTheProjectStarts: the cases of issue 20. What a
// project's own files start (an npm script, a make recipe, a script, a
// git hook), a job detached from guard, and compiled programs that start
// an API call deleting a volume or a database reset are refused at their
// exec, in guard -c and under guard wrap, with guard's reason on the
// refused process's stderr; ~/Documents/canary survives and the loopback
// trap every network call is pointed at is never reached.
func TestExecJudgeStopsWhatTheProjectStarts(t *testing.T) {
	w, canary := projectWorld(t)
	port, hits := loopbackTrap(t)
	auditLog := filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl")
	type tc struct {
		name, cmd, needs string
		// held: a confirm, refused with a guard approve line.
		held bool
		// detached: a job the command detached; the test waits 1.5 s
		// after guard returned, and the audit log records the refusal.
		detached bool
		// late: the refusal comes after guard returned, by the exec judge
		// (the analysis cannot see it), on no stderr guard's caller reads.
		late bool
	}
	cases := []tc{
		{name: "npm run nuke", cmd: "npm run nuke", needs: "npm"},
		{name: "make nuke", cmd: "make -s nuke", needs: "make"},
		{name: "a script of the project", cmd: "./scripts/wipe.sh"},
		{name: "a git hook", cmd: "git -c user.name=a -c user.email=a@b commit -qm x --allow-empty", needs: "git"},
		{name: "a detached job", cmd: "setsid nohup sh -c 'sleep 0.2; rm -rf ~/Documents' >/dev/null 2>&1 &", needs: "setsid", detached: true},
	}
	if _, err := exec.LookPath("cc"); err == nil {
		compile(t, w, "railway", execProgram("curl", "-s", "--connect-to", "::127.0.0.1:"+port, "-X", "POST",
			"https://backboard.railway.app/graphql/v2", "-d", `{"query":"mutation { volumeDelete(volumeId: \"v1\") }"}`))
		compile(t, w, "reset", execProgram("npx", "prisma", "migrate", "reset", "--force"))
		// What the analysis of the line cannot see, after guard returned.
		compile(t, w, "later", []byte("#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n"+
			"int main(void){char p[4096];snprintf(p,sizeof p,\"%s/Documents\",getenv(\"HOME\"));usleep(300000);"+
			"execlp(\"rm\",\"rm\",\"-rf\",p,(char*)0);perror(\"exec rm\");return 1;}\n"))
		cases = append(cases,
			tc{name: "a detached job the analysis cannot see", cmd: "setsid nohup ./later >/dev/null 2>&1 &", needs: "setsid", detached: true, late: true},
			tc{name: "a program that calls Railway's volumeDelete", cmd: "./railway", needs: "curl", held: true},
			tc{name: "a program that resets the database", cmd: "./reset", needs: "npx", held: true},
		)
	} else {
		t.Logf("compiled programs: skipped, no cc")
	}
	// Should npx or curl run after all, they reach only the trap.
	env := []string{
		"npm_config_registry=http://127.0.0.1:" + port + "/", "npm_config_offline=true",
		"https_proxy=http://127.0.0.1:" + port, "HTTPS_PROXY=http://127.0.0.1:" + port,
		"http_proxy=http://127.0.0.1:" + port, "HTTP_PROXY=http://127.0.0.1:" + port,
	}
	for _, route := range execRoutes {
		for _, c := range cases {
			name := route.name + ": " + c.name
			if c.needs != "" {
				if _, err := exec.LookPath(c.needs); err != nil {
					t.Logf("%s: skipped, no %s", name, c.needs)
					continue
				}
			}
			before, _ := os.ReadFile(auditLog)
			_, errOut, _ := w.guard(t, "", env, route.args(c.cmd)...)
			if c.detached {
				time.Sleep(1500 * time.Millisecond)
			}
			canaryAlive(t, canary)
			if n := hits(); n != 0 {
				t.Fatalf("%s: %d connections reached the network trap: a program guard should have held ran", name, n)
			}
			after, _ := os.ReadFile(auditLog)
			added := string(after[min(len(before), len(after)):])
			by := refusedBy(t, added)
			t.Logf("%s: refused by %s", name, by)
			if c.detached && !strings.Contains(added, "Documents") || by == "nothing" {
				t.Errorf("%s: the audit log does not record the refusal:\n%s", name, added)
			}
			switch {
			case c.late:
				if by != "the exec judge" {
					t.Errorf("%s: refused by %s, want the exec judge:\n%s", name, by, added)
				}
			case c.held:
				if !heldLine.MatchString(errOut) {
					t.Errorf("%s: not held with a guard approve line on the refused process's stderr:\n%s", name, errOut)
				}
			default:
				if !strings.Contains(errOut, "guard: blocked: ") {
					t.Errorf("%s: guard's reason is not on the refused process's stderr:\n%s", name, errOut)
				}
			}
			if route.name == "guard wrap" && by != "the exec judge" {
				t.Errorf("%s: under guard wrap the exec judge refuses it, but the audit log says %s:\n%s", name, by, added)
			}
		}
	}
}

// refusedBy reads the audit records of one command: "guard's analysis"
// when the command line was refused before it ran, "the exec judge" when
// an exec of its tree was, "nothing" when neither.
func refusedBy(t *testing.T, records string) string {
	t.Helper()
	by := "nothing"
	for _, line := range strings.Split(strings.TrimSpace(records), "\n") {
		var r struct{ Mode, Decision string }
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("an audit record that is not JSON: %v\n%s", err, line)
		}
		if r.Decision == "allow" {
			continue
		}
		switch r.Mode {
		case "exec":
			return "the exec judge"
		case "shell":
			by = "guard's analysis"
		}
	}
	return by
}

// TestExecJudgeCopiesItsLineToGuardsStderr: when the refused process's
// stderr is not guard's own (2>/dev/null, a log file), guard's line goes
// to both, once each; when it is guard's own, or the pipe guard relays
// the command's stderr through (the write fence on), once.
func TestExecJudgeCopiesItsLineToGuardsStderr(t *testing.T) {
	w, canary := execJudgeWorld(t)
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no cc")
	}
	compile(t, w, "nuke", []byte("#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n"+
		"int main(void){char p[4096];snprintf(p,sizeof p,\"%s/Documents\",getenv(\"HOME\"));"+
		"execlp(\"rm\",\"rm\",\"-rf\",p,(char*)0);perror(\"exec rm\");return 1;}\n"))
	logFile := filepath.Join(w.project, "err.log")
	cases := []struct {
		name, cmd string
		// inLog: guard's lines in err.log
		inLog int
	}{
		{"stderr guard's own", "./nuke", 0},
		{"stderr to /dev/null", "./nuke 2>/dev/null", 0},
		{"stderr to a file", "./nuke 2>err.log", 1},
	}
	for _, fenced := range []bool{false, true} {
		env := []string{}
		if fenced {
			env = append(env, "GUARD_FENCE=on", "TMPDIR="+w.project)
		}
		for _, route := range execRoutes {
			for _, c := range cases {
				name := route.name + ": " + c.name
				if fenced {
					name += " (write fence on)"
				}
				os.Remove(logFile)
				_, errOut, _ := w.guard(t, "", env, route.args(c.cmd)...)
				canaryAlive(t, canary)
				if n := strings.Count(errOut, "guard: blocked: deletes ~/Documents"); n != 1 {
					t.Errorf("%s: %d of guard's lines on guard's stderr, want 1:\n%s", name, n, errOut)
				}
				got, _ := os.ReadFile(logFile)
				if n := strings.Count(string(got), "guard: blocked: deletes ~/Documents"); n != c.inLog {
					t.Errorf("%s: %d of guard's lines in the process's stderr file, want %d:\n%s", name, n, c.inLog, got)
				}
			}
		}
	}
}

// runAs runs argv in w's project as w's user, with no terminal, and
// returns stdout, stderr and the exit status.
func (w *world) runAs(t *testing.T, extraEnv []string, argv ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = w.project
	cmd.Env = append(append([]string(nil), w.env...), extraEnv...)
	cmd.SysProcAttr = newSession()
	cmd.SysProcAttr.Credential = w.cred
	return runOutput(t, cmd)
}

// TestExecJudgeWithoutSeccomp: where seccomp filters are refused (a kernel
// without them, ENOSYS; a container's seccomp profile, EPERM), guard -c
// runs its command with a note saying the programs it starts are not
// judged and what to do, guard wrap refuses to start the agent, and guard
// doctor says the exec judge is not available and what to do.
func TestExecJudgeWithoutSeccomp(t *testing.T) {
	w, _ := execJudgeWorld(t)
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no cc")
	}
	noseccomp := filepath.Join(w.home, "noseccomp")
	if out, err := exec.Command("cc", "-o", noseccomp, "testdata/noseccomp.c").CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	chownTree(t, w.home, int(w.cred.Uid))
	const remedy = "to have them judged, run guard where seccomp filters with user notification are allowed"
	for _, errno := range []string{"38", "1"} { // ENOSYS, EPERM
		under := func(args ...string) (string, string, int) {
			return w.runAs(t, nil, append([]string{noseccomp, errno, guardBinary(t)}, args...)...)
		}
		out, errOut, code := under("-c", "echo ran")
		if out != "ran\n" || code != 0 || !strings.Contains(errOut, "guard: note: no exec judge: ") || !strings.Contains(errOut, remedy) {
			t.Errorf("errno %s: guard -c: stdout %q, exit %d, stderr %q; want it run with the note and what to do", errno, out, code, errOut)
		}
		out, errOut, code = under("wrap", "--", "sh", "-c", "echo ran")
		if out != "" || code != 126 || !strings.Contains(errOut, "guard: wrap: refused: ") ||
			!strings.Contains(errOut, "is nothing without its exec judge, so sh was not started") || !strings.Contains(errOut, "To run it judged, run guard where seccomp filters") {
			t.Errorf("errno %s: guard wrap: stdout %q, exit %d, stderr %q; want a refusal that says what to do", errno, out, code, errOut)
		}
		out, _, _ = under("doctor")
		if !strings.Contains(out, "note  exec judge: not available: ") || !strings.Contains(out, "guard wrap refuses to run") || !strings.Contains(out, remedy) {
			t.Errorf("errno %s: guard doctor does not say the exec judge is not available and what to do:\n%s", errno, out)
		}
	}
}

// TestGuardInsideGuard: a guard started by a command another guard runs
// cannot have an exec judge of its own (the outer filter refuses a second
// listener, EBUSY); it says so, runs its command, and the outer judge
// still refuses what the inner command's programs start. guard wrap runs
// there too, judged by the outer guard; guard doctor says whose judge is
// in force.
func TestGuardInsideGuard(t *testing.T) {
	w, canary := execJudgeWorld(t)
	bin := guardBinary(t)
	const inner = "no exec judge of its own: another seccomp supervisor already watches this process (EBUSY); this runs inside another guard, whose exec judge judges the programs this command starts"
	out, errOut, code := w.guard(t, "", nil, "-c", bin+" -c 'echo inner ran'")
	if out != "inner ran\n" || code != 0 || !strings.Contains(errOut, inner) {
		t.Errorf("guard -c inside guard -c: stdout %q, exit %d, stderr %q", out, code, errOut)
	}
	out, errOut, code = w.guard(t, "", nil, "-c", bin+" wrap -- sh -c 'echo inner ran'")
	if out != "inner ran\n" || code != 0 || !strings.Contains(errOut, inner) {
		t.Errorf("guard wrap inside guard -c: stdout %q, exit %d, stderr %q", out, code, errOut)
	}
	out, _, _ = w.guard(t, "", nil, "-c", bin+" doctor")
	if !strings.Contains(out, "note  exec judge: this runs inside a command another guard runs, whose exec judge judges every program started here") {
		t.Errorf("guard doctor inside guard does not say whose exec judge is in force:\n%s", out)
	}
	if _, err := exec.LookPath("cc"); err == nil {
		compile(t, w, "nuke", []byte("#include <stdio.h>\n#include <stdlib.h>\n#include <unistd.h>\n"+
			"int main(void){char p[4096];snprintf(p,sizeof p,\"%s/Documents\",getenv(\"HOME\"));"+
			"execlp(\"rm\",\"rm\",\"-rf\",p,(char*)0);perror(\"exec rm\");return 1;}\n"))
		for _, route := range execRoutes {
			_, errOut, _ = w.guard(t, "", nil, route.args(bin+" -c ./nuke")...)
			canaryAlive(t, canary)
			if !strings.Contains(errOut, "guard: blocked: deletes ~/Documents") {
				t.Errorf("%s: guard -c ./nuke: the outer judge did not refuse the rm:\n%s", route.name, errOut)
			}
		}
	}
}
