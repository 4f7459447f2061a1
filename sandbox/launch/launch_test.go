package launch

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// The real tests run this test binary again as helpers: "launch-mark-exec
// PROG ARGS..." installs the mark and execs PROG; "launch-probe" prints
// what a process sees: whether it is marked, whether no_new_privs is set,
// and whether an ordinary prctl still works.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "launch-mark-exec":
			if _, err := InstallMark(); err != nil {
				fmt.Fprintln(os.Stderr, "install:", err)
				os.Exit(3)
			}
			err := syscall.Exec(os.Args[2], os.Args[2:], os.Environ())
			fmt.Fprintln(os.Stderr, "exec:", err)
			os.Exit(3)
		case "launch-probe":
			_, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
			fmt.Printf("marked=%v nnp=%v prctl=%v env=%d filters=%s\n", Marked(), noNewPrivs(), err == nil, len(os.Environ()), statusField("Seccomp_filters"))
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}

// statusField returns a field of /proc/self/status, "?" when missing.
func statusField(name string) string {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// skipInsideMark skips a test that needs an unmarked start: the test
// binary itself runs inside what guard runs.
func skipInsideMark(t *testing.T) {
	t.Helper()
	if Marked() {
		t.Skip("the tests run inside a tree guard marked")
	}
	if p := Check(); !p.Available {
		t.Skip(p.Why)
	}
}

func probe(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	// Output reads until every holder of the pipe is gone: the detached
	// grandchild too.
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("%v: %v: %s", cmd.Args, err, ee.Stderr)
	} else if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func TestUnmarkedProbe(t *testing.T) {
	skipInsideMark(t)
	// The probe is a call the kernel rejects by itself.
	if _, _, errno := unix.Syscall6(unix.SYS_PRCTL, MarkOption, 0, 0, 0, 0, 0); errno != unix.EINVAL {
		t.Fatalf("prctl(MarkOption) unmarked: %v, want EINVAL", errno)
	}
	got := probe(t, exec.Command(os.Args[0], "launch-probe"))
	if !strings.HasPrefix(got, "marked=false ") {
		t.Errorf("an unmarked child probes %q", got)
	}
}

func TestMarkReachesEveryDescendant(t *testing.T) {
	skipInsideMark(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	nnp := fmt.Sprint(Check().NoNewPrivs)
	cases := map[string]string{
		"the command itself": `exec "$0" launch-probe`,
		"a child":            `"$0" launch-probe`,
		// A new session, an empty environment and a double fork: the
		// probe's parent is gone before it runs, and it shares nothing
		// with guard but what the kernel keeps.
		"detached": `( setsid env -i "$0" launch-probe & ); exit 0`,
	}
	if _, err := exec.LookPath("setsid"); err != nil {
		delete(cases, "detached")
	}
	for name, script := range cases {
		cmd := exec.Command(os.Args[0], "launch-mark-exec", sh, "-c", script, os.Args[0])
		got := probe(t, cmd)
		if !strings.HasPrefix(got, "marked=true nnp="+nnp+" prctl=true") {
			t.Errorf("%s: probes %q, want marked, nnp=%s, prctl working", name, got, nnp)
		}
		if name == "detached" && !strings.Contains(got, " env=0 ") {
			t.Errorf("%s: the environment was not cleared: %q", name, got)
		}
	}
	// The test process itself is untouched.
	if Marked() {
		t.Error("marking a child marked the test process")
	}
}

// TestMarkedInstallDoesNotStack checks that guard started inside a marked
// tree does not add a second filter: the mark is inherited.
func TestMarkedInstallDoesNotStack(t *testing.T) {
	skipInsideMark(t)
	// The child marks itself, then a grandchild tries again and reports.
	cmd := exec.Command(os.Args[0], "launch-mark-exec", os.Args[0], "launch-mark-exec", os.Args[0], "launch-probe")
	got := probe(t, cmd)
	if !strings.HasPrefix(got, "marked=true ") || strings.HasSuffix(got, "filters=2") {
		t.Errorf("a twice-marked child probes %q, want marked by one filter", got)
	}
}
