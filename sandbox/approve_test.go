package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/guard-dev/guard/rules"
)

// consumeText consumes an approval of cmd in cwd bound to its text.
func consumeText(a *Approvals, cmd, cwd string) bool {
	_, ok := a.Consume(rules.TextPlan(cmd, cwd, nil, nil))
	return ok
}

// requestText requests approval of cmd in cwd bound to its text.
func requestText(a *Approvals, cmd, cwd string, reasons []string) (string, error) {
	return a.Request(cmd, cwd, rules.TextPlan(cmd, cwd, nil, nil), reasons)
}

// fakeClock is an injectable clock for Approvals.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newApprovals(t *testing.T) (*Approvals, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	return &Approvals{Dir: filepath.Join(t.TempDir(), "state", "approvals"), Now: clock.Now}, clock
}

func TestApprovalsLifecycle(t *testing.T) {
	a, clock := newApprovals(t)
	const cmd, cwd = "terraform destroy", "/home/u/infra"
	reasons := []string{"destroys every resource of the workspace"}

	if consumeText(a, cmd, cwd) {
		t.Fatal("Consume with an empty store must refuse")
	}
	id, err := requestText(a, cmd, cwd, reasons)
	if err != nil {
		t.Fatal(err)
	}
	if !validID(id) {
		t.Fatalf("id %q is not 8 lowercase base32 characters", id)
	}
	st, err := os.Stat(a.Dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, %v; want 0700", st.Mode().Perm(), err)
	}
	st, err = os.Stat(filepath.Join(a.Dir, id+".json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("record mode %v, %v; want 0600", st.Mode().Perm(), err)
	}

	again, err := requestText(a, cmd, cwd, reasons)
	if err != nil || again != id {
		t.Errorf("same command and cwd pending: got id %q (%v), want %q", again, err, id)
	}
	other, err := requestText(a, cmd, "/home/u/other", reasons)
	if err != nil || other == id {
		t.Errorf("other cwd: got id %q (%v), want a new id", other, err)
	}

	p, err := a.Get(" " + strings.ToUpper(id) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != id || p.Command != cmd || p.Cwd != cwd || p.Decision != "confirm" || len(p.Reasons) != 1 || !p.Created.Equal(clock.Now()) || !p.Approved.IsZero() {
		t.Errorf("Get = %+v", p)
	}
	if !p.Expires().Equal(clock.Now().Add(PendingTTL)) {
		t.Errorf("pending expires %v", p.Expires())
	}
	if consumeText(a, cmd, cwd) {
		t.Fatal("Consume before approval must refuse")
	}

	clock.Advance(30 * time.Minute)
	if err := a.Approve(id); err != nil {
		t.Fatal(err)
	}
	p, _ = a.Get(id)
	if !p.Approved.Equal(clock.Now()) || !p.Expires().Equal(clock.Now().Add(ApprovalTTL)) {
		t.Errorf("approved %v expires %v", p.Approved, p.Expires())
	}
	// Approving again does not extend it.
	clock.Advance(time.Minute)
	if err := a.Approve(id); err != nil {
		t.Fatal(err)
	}
	if q, _ := a.Get(id); !q.Approved.Equal(p.Approved) {
		t.Errorf("second approve moved the approval time to %v", q.Approved)
	}

	for _, miss := range [][2]string{{cmd + " ", cwd}, {cmd, cwd + "/"}, {"terraform destroy -auto-approve", cwd}, {cmd, "/home/u/other"}} {
		if consumeText(a, miss[0], miss[1]) {
			t.Errorf("Consume(%q, %q) matched an approval for %q in %q", miss[0], miss[1], cmd, cwd)
		}
	}
	if !consumeText(a, cmd, cwd) {
		t.Fatal("Consume after approval must succeed once")
	}
	if consumeText(a, cmd, cwd) {
		t.Fatal("a second Consume must refuse")
	}
	if _, err := a.Get(id); !errors.Is(err, ErrUnknownApproval) {
		t.Errorf("Get after Consume: %v; want ErrUnknownApproval", err)
	}
	if err := a.Approve(id); !errors.Is(err, ErrUnknownApproval) {
		t.Errorf("Approve after Consume: %v; want ErrUnknownApproval", err)
	}
	if newID, err := requestText(a, cmd, cwd, reasons); err != nil || newID == id {
		t.Errorf("Request after use: %q, %v; want a fresh id", newID, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(a.Dir, ".consumed-*"))
	tmps, _ := filepath.Glob(filepath.Join(a.Dir, ".tmp-*"))
	if len(leftovers)+len(tmps) != 0 {
		t.Errorf("files left behind: %v %v", leftovers, tmps)
	}
}

func TestApprovalsExpiry(t *testing.T) {
	a, clock := newApprovals(t)
	pendingID, _ := requestText(a, "make deploy", "/p", nil)
	approvedID, _ := requestText(a, "make release", "/p", nil)
	if err := a.Approve(approvedID); err != nil {
		t.Fatal(err)
	}

	list, err := a.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v; want 2", list, err)
	}

	// Approvals last ApprovalTTL.
	clock.Advance(ApprovalTTL - time.Second)
	if _, err := a.Get(approvedID); err != nil {
		t.Errorf("approval just before expiry: %v", err)
	}
	clock.Advance(time.Second)
	if _, err := a.Get(approvedID); !errors.Is(err, ErrUnknownApproval) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("approval at expiry: %v; want an expired error", err)
	}
	if consumeText(a, "make release", "/p") {
		t.Error("Consume of an expired approval must refuse")
	}
	list, _ = a.List()
	if len(list) != 1 || list[0].ID != pendingID {
		t.Errorf("List after approval expiry = %+v; want only %s", list, pendingID)
	}
	if _, err := os.Stat(filepath.Join(a.Dir, approvedID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("expired approval not pruned: %v", err)
	}

	// Pending requests last an hour.
	clock.Advance(PendingTTL - ApprovalTTL - time.Second)
	if _, err := a.Get(pendingID); err != nil {
		t.Errorf("request just before expiry: %v", err)
	}
	clock.Advance(time.Second)
	if err := a.Approve(pendingID); !errors.Is(err, ErrUnknownApproval) {
		t.Errorf("Approve of an expired request: %v; want ErrUnknownApproval", err)
	}
	if id, _ := requestText(a, "make deploy", "/p", nil); id == pendingID {
		t.Error("an expired request's id was handed out again")
	}
	if _, err := os.Stat(filepath.Join(a.Dir, pendingID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("expired request not pruned: %v", err)
	}
}

func TestApprovalsBadInput(t *testing.T) {
	a, _ := newApprovals(t)
	if list, err := a.List(); err != nil || len(list) != 0 {
		t.Errorf("List of a missing dir = %v, %v; want empty", list, err)
	}
	for _, id := range []string{"", "../../etc/passwd", "abcdefg", "abcdefghi", "abcdef01", "abc/efgh"} {
		if _, err := a.Get(id); !errors.Is(err, ErrUnknownApproval) {
			t.Errorf("Get(%q) = %v; want ErrUnknownApproval", id, err)
		}
		if err := a.Approve(id); !errors.Is(err, ErrUnknownApproval) {
			t.Errorf("Approve(%q) = %v; want ErrUnknownApproval", id, err)
		}
	}
	if err := a.Approve("abcdefgh"); !errors.Is(err, ErrUnknownApproval) {
		t.Errorf("Approve of an unknown id: %v", err)
	}
	// A damaged file is reported by Get, skipped by List and never consumed.
	id, _ := requestText(a, "x", "/", nil)
	if err := os.WriteFile(filepath.Join(a.Dir, id+".json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get(id); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Get of a damaged file: %v", err)
	}
	if list, err := a.List(); err != nil || len(list) != 0 {
		t.Errorf("List with a damaged file = %v, %v", list, err)
	}
	// A file whose content names another id is not that id.
	b := Pending{ID: "zzzzzzzz", Command: "x", Cwd: "/", Decision: "confirm", Created: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), Approved: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	data, _ := json.Marshal(b)
	os.WriteFile(filepath.Join(a.Dir, "aaaaaaaa.json"), data, 0o600)
	if consumeText(a, "x", "/") {
		t.Error("Consume used a file whose id does not match its name")
	}
	if err := (&Approvals{}).Approve("abcdefgh"); err == nil {
		t.Error("Approve with no Dir must fail")
	}
}

func TestApprovalsRacingConsumers(t *testing.T) {
	for round := 0; round < 20; round++ {
		a, _ := newApprovals(t)
		id, err := requestText(a, "kubectl delete ns prod", "/k", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Approve(id); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// Each consumer is its own store, as each guard process is.
				b := &Approvals{Dir: a.Dir, Now: a.Now}
				if consumeText(b, "kubectl delete ns prod", "/k") {
					wins.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("round %d: %d consumers won, want exactly 1", round, wins.Load())
		}
	}
}

func TestApprovalsConcurrentRequestsShareID(t *testing.T) {
	a, _ := newApprovals(t)
	ids := make([]string, 16)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &Approvals{Dir: a.Dir, Now: a.Now}
			id, err := requestText(b, "rm -rf /srv/www", "/srv", nil)
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent requests for one command got ids %v", ids)
		}
	}
}

// approveHelperEnv selects what TestApproveHelperProcess does in a child.
const approveHelperEnv = "GUARD_SANDBOX_APPROVE_HELPER"

// ancestorResult is what a probe child reports.
type ancestorResult struct {
	Pid  int
	Desc string
	OK   bool
	TTY  bool
}

// TestApproveHelperProcess is not a test: it is the body of the child
// processes of the GuardAncestor and HasTTY tests.
func TestApproveHelperProcess(t *testing.T) {
	switch os.Getenv(approveHelperEnv) {
	case "":
		t.Skip("helper process only")
	case "chain":
		// The middle process: run a probe below and relay its answer. Its
		// argv[0] may be "guard", so find the binary through /proc.
		bin, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		c := exec.Command(bin, "-test.run=^TestApproveHelperProcess$")
		c.Env = append(os.Environ(), approveHelperEnv+"=probe")
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		if err := c.Run(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "probe":
		var r ancestorResult
		r.Pid, r.Desc, r.OK = GuardAncestor(os.Getenv("GUARD_SANDBOX_SELF"))
		r.TTY = HasTTY()
		json.NewEncoder(os.Stdout).Encode(r)
		os.Exit(0)
	}
}

// runProbe runs c (a chain or probe) and decodes the probe's answer.
func runProbe(t *testing.T, c *exec.Cmd, helper, self string) ancestorResult {
	t.Helper()
	if c.Env == nil {
		c.Env = os.Environ()
	}
	c.Env = append(c.Env, approveHelperEnv+"="+helper, "GUARD_SANDBOX_SELF="+self)
	var out, stderr strings.Builder
	c.Stdout, c.Stderr = &out, &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("%v: %v: %s", c.Args, err, stderr.String())
	}
	var r ancestorResult
	if err := json.Unmarshal([]byte(out.String()), &r); err != nil {
		t.Fatalf("probe output %q: %v (stderr %s)", out.String(), err, stderr.String())
	}
	return r
}

func TestGuardAncestor(t *testing.T) {
	const notGuard = "/nonexistent/not-guard"
	helperFlag := "-test.run=^TestApproveHelperProcess$"
	// What the walk finds above this test process (nothing, unless the
	// tests themselves run under guard): a plain tree must add nothing.
	basePid, _, baseOK := GuardAncestor(notGuard)

	t.Run("argv0 guard", func(t *testing.T) {
		// test -> child with argv[0] "guard" -> probe: finds the child.
		c := &exec.Cmd{Path: os.Args[0], Args: []string{"guard", helperFlag}}
		r := runProbe(t, c, "chain", notGuard)
		if !r.OK || r.Pid != c.Process.Pid {
			t.Fatalf("GuardAncestor = %+v; want the child %d", r, c.Process.Pid)
		}
		if r.Desc != "guard '"+helperFlag+"'" {
			t.Errorf("desc %q", r.Desc)
		}
	})

	t.Run("plain tree", func(t *testing.T) {
		// test -> probe: the test binary is not guard.
		c := exec.Command(os.Args[0], helperFlag)
		r := runProbe(t, c, "probe", notGuard)
		if r.OK != baseOK || r.Pid != basePid {
			t.Fatalf("GuardAncestor = %+v; want what the test itself sees: %d %v", r, basePid, baseOK)
		}
		// test -> child -> probe, neither named guard.
		c = exec.Command(os.Args[0], helperFlag)
		r = runProbe(t, c, "chain", notGuard)
		if r.OK != baseOK || r.Pid != basePid {
			t.Fatalf("chain: GuardAncestor = %+v; want %d %v", r, basePid, baseOK)
		}
	})

	t.Run("same executable", func(t *testing.T) {
		// self is the test binary: the test process itself is "guard".
		self, err := os.Executable()
		if err != nil {
			t.Skip(err)
		}
		c := exec.Command(os.Args[0], helperFlag)
		r := runProbe(t, c, "probe", self)
		if !r.OK || r.Pid != os.Getpid() {
			t.Fatalf("GuardAncestor = %+v; want the test process %d", r, os.Getpid())
		}
	})

	t.Run("guard approve is skipped", func(t *testing.T) {
		// test -> sh with argv "guard approve" running a script -> probe.
		sh, err := exec.LookPath("sh")
		if err != nil {
			t.Skip("no sh")
		}
		dir := t.TempDir()
		script := "\"$GUARD_TEST_BIN\" '" + helperFlag + "'\nexit $?\n"
		if err := os.WriteFile(filepath.Join(dir, "approve"), []byte(script), 0o600); err != nil {
			t.Fatal(err)
		}
		c := &exec.Cmd{Path: sh, Args: []string{"guard", "approve"}, Dir: dir}
		c.Env = append(os.Environ(), "GUARD_TEST_BIN="+os.Args[0])
		r := runProbe(t, c, "probe", notGuard)
		if r.OK != baseOK || r.Pid != basePid {
			t.Fatalf("GuardAncestor = %+v; want %d %v: \"guard approve\" is not guard running a command", r, basePid, baseOK)
		}
	})
}

func TestHasTTY(t *testing.T) {
	helperFlag := "-test.run=^TestApproveHelperProcess$"

	// A new session has no controlling terminal.
	c := exec.Command(os.Args[0], helperFlag)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if r := runProbe(t, c, "probe", ""); r.TTY {
		t.Error("HasTTY true in a new session without a terminal")
	}

	// A new session whose controlling terminal is a pty.
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go func() {
		buf := make([]byte, 1024)
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	c = exec.Command(os.Args[0], helperFlag)
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	c.Stdin = tty
	c.Env = append(os.Environ(), approveHelperEnv+"=probe")
	out, err := c.Output()
	if err != nil {
		t.Fatal(err)
	}
	var r ancestorResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	if !r.TTY {
		t.Error("HasTTY false with a controlling pty")
	}
}

// rejections collects what Approvals.Rejected is told.
type rejections struct {
	mu   sync.Mutex
	errs []error
}

func (r *rejections) add(path string, err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

func (r *rejections) String() string { return fmt.Sprint(r.errs) }

// TestApprovalsForgedFileIgnored: a request file written by anything but
// guard (an agent's shell command) cannot approve a command: a hand-written
// approval, a genuine request edited to approved, a request with its
// signature copied from another request, all are ignored and reported.
func TestApprovalsForgedFileIgnored(t *testing.T) {
	const cmd, cwd = "rm -rf ~/Documents", "/home/u"
	forgeries := []struct {
		name  string
		forge func(t *testing.T, a *Approvals, now time.Time) string
	}{
		{"written by hand", func(t *testing.T, a *Approvals, now time.Time) string {
			p := Pending{ID: "abcdefgh", Command: cmd, Kind: KindRequest, Plan: rules.TextPlan(cmd, cwd, nil, nil).Key, Cwd: cwd, Decision: "confirm", Created: now, Approved: now, MAC: strings.Repeat("0", 64)}
			data, _ := json.Marshal(p)
			must(t, os.MkdirAll(a.Dir, 0o700))
			must(t, os.WriteFile(a.path(p.ID), data, 0o600))
			return p.ID
		}},
		{"pending edited to approved", func(t *testing.T, a *Approvals, now time.Time) string {
			id, err := requestText(a, cmd, cwd, nil)
			must(t, err)
			data, _ := os.ReadFile(a.path(id))
			var p Pending
			must(t, json.Unmarshal(data, &p))
			p.Approved = now
			data, _ = json.Marshal(p)
			must(t, os.WriteFile(a.path(id), data, 0o600))
			return id
		}},
		{"signature of an approved harmless command", func(t *testing.T, a *Approvals, now time.Time) string {
			id, err := requestText(a, "npm test", cwd, nil)
			must(t, err)
			must(t, a.Approve(id))
			data, _ := os.ReadFile(a.path(id))
			var p Pending
			must(t, json.Unmarshal(data, &p))
			p.Command, p.Plan = cmd, rules.TextPlan(cmd, cwd, nil, nil).Key
			data, _ = json.Marshal(p)
			must(t, os.WriteFile(a.path(id), data, 0o600))
			return id
		}},
	}
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			a, clock := newApprovals(t)
			var rej rejections
			a.Rejected = rej.add
			id := f.forge(t, a, clock.Now())
			if consumeText(a, cmd, cwd) {
				t.Fatal("Consume accepted a forged approval")
			}
			if len(rej.errs) == 0 || !errors.Is(rej.errs[0], ErrForged) {
				t.Errorf("Rejected was told %v; want ErrForged", rej.String())
			}
			if _, err := a.Get(id); !errors.Is(err, ErrForged) {
				t.Errorf("Get of a forged file = %v; want ErrForged", err)
			}
			if err := a.Approve(id); err == nil {
				t.Error("Approve of a forged file succeeded")
			}
			if list, err := a.List(); err != nil || len(list) != 0 {
				t.Errorf("List = %v, %v; want the forged file left out", list, err)
			}
		})
	}
}

// TestApprovalsRefuseUnsafeFiles: a FIFO, a symbolic link (to /dev/zero
// or to a genuine request elsewhere) or a huge file in place of a request
// is reported and skipped, without blocking or reading it.
func TestApprovalsRefuseUnsafeFiles(t *testing.T) {
	for _, kind := range []string{"fifo", "symlink to /dev/zero", "symlink to a genuine request", "huge"} {
		t.Run(kind, func(t *testing.T) {
			a, _ := newApprovals(t)
			var rej rejections
			a.Rejected = rej.add
			must(t, a.ensureDir())
			p := a.path("abcdefgh")
			switch kind {
			case "fifo":
				must(t, syscall.Mkfifo(p, 0o600))
			case "symlink to /dev/zero":
				must(t, os.Symlink("/dev/zero", p))
			case "symlink to a genuine request":
				id, err := requestText(a, "npm test", "/p", nil)
				must(t, err)
				must(t, a.Approve(id))
				elsewhere := filepath.Join(t.TempDir(), "abcdefgh.json")
				must(t, os.Rename(a.path(id), elsewhere))
				must(t, os.Symlink(elsewhere, p))
			case "huge":
				f, err := os.Create(p)
				must(t, err)
				must(t, f.Truncate(500<<20))
				f.Close()
			}
			if list, err := a.List(); err != nil || len(list) != 0 {
				t.Errorf("List = %v, %v; want nothing", list, err)
			}
			if consumeText(a, "npm test", "/p") {
				t.Error("Consume accepted a file that is not a regular file of guard's")
			}
			if len(rej.errs) == 0 {
				t.Error("the unsafe file was not reported")
			}
			if _, err := a.Get("abcdefgh"); err == nil || !strings.Contains(err.Error(), "remove it") {
				t.Errorf("Get = %v; want a refusal saying what to do", err)
			}
		})
	}
}

// TestApprovalsStoreRedactedAndCutCommand: the request file holds the
// command redacted (a password in it is not copied to disk) and a huge
// command cut to its head plus length and hash; the approval still binds
// to the exact command through its hash.
func TestApprovalsStoreRedactedAndCutCommand(t *testing.T) {
	a, _ := newApprovals(t)
	secret := "curl -u admin:hunter2 -X DELETE https://api.example.com/v1/all"
	huge := "echo " + strings.Repeat("x", 3<<20)
	for _, cmd := range []string{secret, huge} {
		id, err := requestText(a, cmd, "/p", nil)
		must(t, err)
		data, err := os.ReadFile(a.path(id))
		must(t, err)
		if strings.Contains(string(data), "hunter2") {
			t.Errorf("the request file holds the password: %s", data)
		}
		if len(data) > 64<<10 {
			t.Errorf("the request file for a %d-byte command is %d bytes; want it cut", len(cmd), len(data))
		}
		must(t, a.Approve(id))
		if consumeText(a, cmd+" ", "/p") {
			t.Error("Consume matched another command")
		}
		if !consumeText(a, cmd, "/p") {
			t.Errorf("Consume did not match the approved command (%d bytes)", len(cmd))
		}
	}
	id, _ := requestText(a, huge, "/p", nil)
	p, err := a.Get(id)
	must(t, err)
	want := fmt.Sprintf("… (%d bytes, sha256 %s)", len(huge), CommandHash(huge))
	if !strings.HasSuffix(p.Command, want) || !strings.HasPrefix(p.Command, "echo xxx") {
		t.Errorf("stored command = %.40q…%q; want its head and %q", p.Command, p.Command[max(0, len(p.Command)-90):], want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
