package sandbox

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	cases := []struct {
		line string
		comm string
		ppid int
		ok   bool
	}{
		{"812 (make) S 811 812 811 0 -1 4194560 ...", "make", 811, true},
		{"90 (a b) c) R 7 90 ...", "a b) c", 7, true},
		{"91 (x) Z 1", "x", 1, true},
		{"92 (broken", "", 0, false},
		{"93 (x) S notanumber 1", "", 0, false},
		{"", "", 0, false},
	}
	for _, c := range cases {
		comm, ppid, ok := parseStat([]byte(c.line))
		if comm != c.comm || ppid != c.ppid || ok != c.ok {
			t.Errorf("%q: %q %d %v, want %q %d %v", c.line, comm, ppid, ok, c.comm, c.ppid, c.ok)
		}
	}
}

// TestLineage: the chain above a grandchild names its shell, from the
// pidfd remembered the second time, from /proc without PIDFD_GET_INFO,
// and forgets the shell once it has exited.
func TestLineage(t *testing.T) {
	sh := exec.Command("/bin/sh", "-c", "sleep 30 & wait")
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Process.Kill()
	var child int
	for range 200 {
		data, _ := os.ReadFile("/proc/" + strconv.Itoa(sh.Process.Pid) + "/task/" + strconv.Itoa(sh.Process.Pid) + "/children")
		if f := strings.Fields(string(data)); len(f) > 0 {
			child, _ = strconv.Atoi(f[0])
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if child == 0 {
		t.Fatal("the shell started no child")
	}
	defer func() { p, _ := os.FindProcess(child); p.Kill() }()
	want := " < " + strconv.Itoa(sh.Process.Pid) + " sh"
	l := newLineage(os.Getpid())
	for _, how := range []string{"read", "remembered"} {
		if got := l.chain(child); got != want {
			t.Errorf("%s: chain %q, want %q", how, got, want)
		}
	}
	if l.known[sh.Process.Pid] == nil && !l.noInfo {
		t.Error("the shell is not remembered")
	}
	slow := newLineage(os.Getpid())
	slow.noInfo = true
	if got := slow.chain(child); got != want {
		t.Errorf("from /proc: chain %q, want %q", got, want)
	}
	sh.Process.Kill()
	sh.Wait()
	if got := l.chain(child); strings.Contains(got, " sh") {
		t.Errorf("after the shell exited: chain %q still names it", got)
	}
}
