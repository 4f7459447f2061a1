package sandbox

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// mark builds a RealShellEnv value by hand.
func mark(kind string, pid int, args []string, depth int) string {
	return fmt.Sprintf("%s:%d:%d:%s:%d", kind, pid, len(args), argsDigest(args), depth)
}

// grandparent returns the test process's grandparent.
func grandparent(t *testing.T) int {
	g, err := procParent(os.Getppid())
	if err != nil {
		t.Skip(err)
	}
	return g
}

func TestShellLoop(t *testing.T) {
	self, parent := os.Getpid(), os.Getppid()
	c := []string{"-c", "echo hi"}
	rc := []string{"--rcfile", "/tmp/guard-session-1/bashrc", "-i"}
	cases := []struct {
		name    string
		mark    string
		args    []string
		loop    bool
		certain bool
	}{
		{"guard exec'd the shell, which exec'd guard", mark("x", self, c, 1), c, true, true},
		{"a wrapper adds arguments in front", mark("x", self, c, 1), append([]string{"--norc"}, c...), true, true},
		{"a wrapper runs guard without exec", mark("x", parent, c, 1), c, true, true},
		{"guard shell's child is guard", mark("s", parent, rc, 1), rc, true, true},
		{"guard shell's child runs guard", mark("s", grandparent(t), rc, 1), rc, true, true},
		{"guard shell's child is guard shell", mark("s", parent, rc, 1), []string{"shell"}, false, false},
		{"the shell execs a nested guard (exec bash -c)", mark("x", self, c, 1), []string{"-c", "make"}, false, false},
		{"the shell runs a nested guard (bash -c)", mark("x", parent, c, 1), []string{"-c", "make"}, false, false},
		{"a descendant further down", mark("x", self+100000, c, 1), c, false, false},
		{"a command of guard shell", mark("s", self, rc, 1), rc, false, false},
		{"no arguments match only none", mark("x", self, nil, 1), c, false, false},
		{"no arguments, again", mark("x", self, nil, 1), nil, true, true},
		{"too deep", mark("x", self+100000, c, MaxShellDepth), []string{"-c", "ls"}, true, false},
		{"not yet too deep", mark("x", self+100000, c, MaxShellDepth-1), []string{"-c", "ls"}, false, false},
		{"garbage", "x:1:2", c, false, false},
		{"empty", "", c, false, false},
	}
	for _, tc := range cases {
		why, certain := ShellLoop(tc.mark, tc.args)
		if (why != "") != tc.loop || certain != tc.certain {
			t.Errorf("%s: ShellLoop = %q, %v; want loop %v, certain %v", tc.name, why, certain, tc.loop, tc.certain)
		}
	}
}

func TestMarkRealShell(t *testing.T) {
	t.Setenv(RealShellEnv, mark("x", 1, nil, 4))
	env := MarkRealShell([]string{"A=1", RealShellEnv + "=old", "B=2"}, true, []string{"-c", "true"})
	var marks []string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, RealShellEnv+"="); ok {
			marks = append(marks, v)
		}
	}
	if len(env) != 3 || len(marks) != 1 {
		t.Fatalf("MarkRealShell = %q, want A, B and one mark", env)
	}
	if want := mark("x", os.Getpid(), []string{"-c", "true"}, 5); marks[0] != want {
		t.Errorf("mark %q, want %q (depth one more than inherited)", marks[0], want)
	}
	if why, _ := ShellLoop(marks[0], []string{"-c", "true"}); why == "" {
		t.Errorf("the mark for this process's own shell is not recognised")
	}
}
