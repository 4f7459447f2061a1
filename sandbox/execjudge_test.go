package sandbox

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox/launch"
)

func TestExecSource(t *testing.T) {
	goroot := runtime.GOROOT()
	link := filepath.Join(goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, "link")
	cases := []struct {
		name  string
		c     execCall
		src   string
		names []string
	}{
		{"plain argv", execCall{path: "/usr/bin/rm", real: "/usr/bin/rm", argv: []string{"rm", "-rf", "/tmp/a b"}}, "rm -rf '/tmp/a b'", []string{"rm"}},
		{"bash -c", execCall{path: "/bin/bash", real: "/usr/bin/bash", argv: []string{"bash", "-c", "rm -rf ~/x", "name"}}, "rm -rf ~/x", nil},
		{"sh through dash", execCall{path: "/bin/sh", real: "/usr/bin/dash", argv: []string{"sh", "-ec", "make all"}}, "make all", nil},
		{"argv[0] names another program", execCall{path: "/usr/bin/rm", real: "/usr/bin/rm", argv: []string{"ls", "-rf", "/x"}}, "/usr/bin/rm -rf /x", []string{"rm"}},
		{"a link to rm", execCall{path: "./x", real: "/usr/bin/rm", argv: []string{"./x", "-rf", "/x"}}, "/usr/bin/rm -rf /x", []string{"rm"}},
		{"no argv", execCall{path: "/bin/true", real: "/usr/bin/true"}, "/bin/true", []string{"true"}},
		{"a shell without -c", execCall{path: "/bin/bash", real: "/usr/bin/bash", argv: []string{"bash", "s.sh"}}, "bash s.sh", []string{"bash"}},
		{"newline in an argument", execCall{path: "/bin/echo", real: "/usr/bin/echo", argv: []string{"echo", "a\nrm -rf /"}}, "echo $'a\\nrm -rf /'", []string{"echo"}},
	}
	if _, err := os.Stat(link); err == nil {
		cases = append(cases, struct {
			name  string
			c     execCall
			src   string
			names []string
		}{"the go command's linker", execCall{path: link, real: link, argv: []string{link, "-o", "/tmp/a.out"}}, "go tool link -o /tmp/a.out", []string{"go"}})
	}
	for _, c := range cases {
		src, _, names := execSource(c.c)
		if src != c.src || !slices.Equal(names, c.names) {
			t.Errorf("%s: %q %q, want %q %q", c.name, src, names, c.src, c.names)
		}
	}
}

// TestJudgeExecTakesTheStricterName: an exec of a link to a program of
// another name is judged as its target and as the name it was called by,
// and the stricter verdict is the answer.
func TestJudgeExecTakesTheStricterName(t *testing.T) {
	// confirms names the words the fake rules confirm as a command's first.
	confirms := map[string]bool{"npx": true, "/usr/bin/rm": true}
	check := func(cmd rules.Command) rules.Result {
		var r rules.Result
		if confirms[strings.Fields(cmd.Source)[0]] {
			r.Verdict.Decision = rules.Confirm
		}
		return r
	}
	cases := []struct {
		name string
		c    execCall
		src  string
		want rules.Decision
	}{
		{"npx, a link to npx-cli.js", execCall{path: "/usr/bin/npx", real: "/usr/lib/node_modules/npm/bin/npx-cli.js", argv: []string{"npx", "prisma", "migrate", "reset", "--force"}},
			"npx prisma migrate reset --force", rules.Confirm},
		{"a link named ls to rm", execCall{path: "./ls", real: "/usr/bin/rm", argv: []string{"./ls", "-rf", "/x"}}, "/usr/bin/rm -rf /x", rules.Confirm},
		{"a link neither name of which the rules know", execCall{path: "/usr/bin/vi", real: "/usr/bin/vim.basic", argv: []string{"vi", "a"}}, "/usr/bin/vim.basic a", rules.Allow},
		{"no link", execCall{path: "/usr/bin/ls", real: "/usr/bin/ls", argv: []string{"ls", "/"}}, "ls /", rules.Allow},
	}
	for _, c := range cases {
		src, _, r := judgeExec(check, c.c)
		if src != c.src || r.Verdict.Decision != c.want {
			t.Errorf("%s: %q %v, want %q %v", c.name, src, r.Verdict.Decision, c.src, c.want)
		}
	}
}

// seccompFilters returns the number of seccomp filters on each thread of
// this process.
func seccompFilters(t *testing.T) map[int]int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]int{}
	for _, task := range tasks {
		data, err := os.ReadFile("/proc/self/task/" + task.Name() + "/status")
		if err != nil {
			continue // it exited
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "Seccomp_filters:"); ok {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				tid, _ := strconv.Atoi(task.Name())
				out[tid] = n
			}
		}
	}
	return out
}

// TestOnOwnThreadTakesTheFilterAlong: what onOwnThread's function puts on
// its thread leaves guard with the thread: afterwards no thread carries
// the exec filter, which its listener says (POLLHUP: nothing is left to
// watch, passOn's test that the command left nothing running).
func TestOnOwnThreadTakesTheFilterAlong(t *testing.T) {
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	var fd, tid int
	var err error
	onOwnThread(func() {
		tid = unix.Gettid()
		fd, err = launch.InstallExecFilter()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if tid == unix.Getpid() {
		t.Errorf("f ran on the process's first thread, which cannot end")
	}
	next := make(chan error, 1)
	go func() { _, err := launch.NewListener(fd).Next(-1); next <- err }()
	select {
	case err := <-next:
		if !errors.Is(err, launch.ErrOrphaned) {
			t.Errorf("the listener says %v, want %v", err, launch.ErrOrphaned)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no POLLHUP: a thread still carries the filter")
	}
}

// TestExecFilterStaysOnItsThread: the exec filter is on the thread that
// installed it only; threads Go starts afterwards, while that goroutine
// is locked, do not inherit it.
func TestExecFilterStaysOnItsThread(t *testing.T) {
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	before := seccompFilters(t)
	base := -1
	for _, n := range before {
		base = n
	}
	tidc := make(chan int)
	release := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		fd, err := launch.InstallExecFilter()
		if err != nil {
			t.Error(err)
			tidc <- 0
			return
		}
		defer unix.Close(fd)
		// New threads, started while this goroutine is locked.
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				time.Sleep(20 * time.Millisecond)
			}()
		}
		tidc <- unix.Gettid()
		<-release
		wg.Wait()
	}()
	tid := <-tidc
	if tid == 0 {
		return
	}
	time.Sleep(5 * time.Millisecond)
	after := seccompFilters(t)
	close(release)
	if after[tid] != base+1 {
		t.Errorf("the installing thread has %d filters, want %d", after[tid], base+1)
	}
	for other, n := range after {
		if other != tid && n != base {
			t.Errorf("thread %d has %d filters, want %d: it inherited the exec filter", other, n, base)
		}
	}
	if len(after) <= len(before) {
		t.Logf("no new threads seen (%d before, %d after)", len(before), len(after))
	}
}

// benchGuard is a Guard for the exec judge's benchmarks: guard's rules
// in a throwaway home, its state there too, nothing said.
func benchGuard(b *testing.B) *Guard {
	home := filepath.Join(b.TempDir(), "home")
	os.MkdirAll(home, 0o700)
	c, err := rules.NewChecker(rules.Options{Home: home, Env: map[string]string{"HOME": home, "PATH": "/usr/bin:/bin"}})
	if err != nil {
		b.Fatal(err)
	}
	return &Guard{Checker: c, Gate: &Gate{Mode: "run", StateDir: filepath.Join(home, "state"), Stderr: io.Discard}}
}

// BenchmarkPassOn measures what a command that leaves nothing running
// pays at its end for passOn: its forking thread ends (onOwnThread) and
// guard waits for the listener's POLLHUP. Each iteration runs /bin/true
// under a fresh filter; "passOn-µs" is the median of the wait alone.
func BenchmarkPassOn(b *testing.B) {
	if why := launch.ExecJudgeSupport(); why != "" {
		b.Skip(why)
	}
	g := benchGuard(b)
	var took []time.Duration
	for b.Loop() {
		var j *execJudge
		onOwnThread(func() {
			fd, err := launch.InstallExecFilter()
			if err != nil {
				b.Error(err)
				return
			}
			j = newExecJudge(g, fd, true)
			go j.serve()
			runJudged("/bin/true", []string{"true"}, nil, io.Discard, nil, nil)
		})
		if j == nil {
			return
		}
		t0 := time.Now()
		j.passOn()
		took = append(took, time.Since(t0))
		select {
		case <-j.treeGone:
		default:
			b.Fatal("passOn returned before the tree was gone")
		}
		unix.Close(j.l.Fd())
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "passOn-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-passOn-µs")
}

// TestRecvAfterTreeEnds: once the command's tree and the thread that
// forked it are gone, the listener's Recv returns ErrOrphaned; it does not
// spin on the kernel's ENOENT (which ate a CPU per finished benchmark run).
func TestRecvAfterTreeEnds(t *testing.T) {
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	fdc := make(chan int)
	done := make(chan int, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		fd, err := launch.InstallExecFilter()
		fdc <- fd
		if err != nil {
			t.Error(err)
			return
		}
		code, _ := runJudged("/bin/sh", []string{"sh", "-c", "/bin/true"}, []string{"PATH=/usr/bin:/bin"}, io.Discard, []os.Signal{syscall.SIGTERM}, nil)
		done <- code
	}()
	fd := <-fdc
	if fd < 0 {
		return
	}
	l := launch.NewListener(fd)
	defer l.Close()
	ended := make(chan error, 1)
	go func() {
		for {
			n, err := l.Recv()
			if err != nil {
				ended <- err
				return
			}
			l.Continue(n.ID)
		}
	}()
	if code := <-done; code != 0 {
		t.Fatalf("the shell exited %d", code)
	}
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	select {
	case err := <-ended:
		if !errors.Is(err, launch.ErrOrphaned) {
			t.Fatalf("Recv: %v, want ErrOrphaned", err)
		}
	case <-time.After(2 * time.Second):
		// The kernel may keep the filter's last reference a while: Recv
		// may wait, but it must not burn the CPU meanwhile.
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		if cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()); cpu > time.Second {
			t.Fatalf("Recv spins with no process left: %v of CPU in 2s", cpu)
		}
	}
}

// BenchmarkExecJudge measures the supervisor's time per judged exec: a
// shell runs /bin/true b.N times under the filter, and each answer
// (read, resolve, judge, audit, CONTINUE) is timed from the notification
// to the reply.
func BenchmarkExecJudge(b *testing.B) {
	if why := launch.ExecJudgeSupport(); why != "" {
		b.Skip(why)
	}
	g := benchGuard(b)
	fdc := make(chan int)
	done := make(chan int)
	script := "i=0; while [ $i -lt " + strconv.Itoa(b.N) + " ]; do /bin/true; i=$((i+1)); done"
	go func() {
		runtime.LockOSThread()
		fd, err := launch.InstallExecFilter()
		fdc <- fd
		if err != nil {
			b.Error(err)
			return
		}
		code, _ := runJudged("/bin/sh", []string{"sh", "-c", script}, []string{"PATH=/usr/bin:/bin"}, io.Discard, []os.Signal{syscall.SIGTERM}, nil)
		done <- code
	}()
	fd := <-fdc
	if fd < 0 {
		return
	}
	j := newExecJudge(g, fd, true)
	var mu sync.Mutex
	var took []time.Duration
	started := make(chan bool)
	go func() {
		for {
			n, err := j.l.Recv()
			if err != nil {
				return
			}
			t0 := time.Now()
			j.answer(n)
			mu.Lock()
			took = append(took, time.Since(t0))
			if len(took) == 1 {
				close(started)
			}
			mu.Unlock()
		}
	}()
	// ResetTimer stops the world: not while the shell's own exec is held
	// (forkExec in execjudge.go says why).
	<-started
	b.ResetTimer()
	code := <-done
	b.StopTimer()
	j.treeDone() // what is held is written before the state dir goes
	mu.Lock()
	defer mu.Unlock()
	if code != 0 {
		b.Fatalf("the shell exited %d", code)
	}
	if len(took) < 2 {
		return
	}
	took = took[1:] // the first is the command's own, let through unjudged
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs/exec")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs/exec")
}

// TestExecJudgeStatusSaysRootIsAdvisory: as root, guard doctor's exec
// judge line says the judge only advises (the tree could take its
// listener); as anyone else it does not.
func TestExecJudgeStatusSaysRootIsAdvisory(t *testing.T) {
	if why := launch.ExecJudgeSupport(); why != "" {
		t.Skip(why)
	}
	t.Setenv(ExecJudgeEnv, "on")
	ok, line := ExecJudgeStatus()
	if !ok {
		t.Skipf("no exec judge here: %s", line)
	}
	if root := os.Geteuid() == 0; root != strings.Contains(line, "advisory") {
		t.Errorf("as uid %d: %q", os.Geteuid(), line)
	}
}
