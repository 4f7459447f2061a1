package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/internal/safefile"
	"github.com/guard-dev/guard/rules"
)

// Lifetimes of one-time approvals. A request nobody approves is forgotten
// after PendingTTL; an approval must be used within ApprovalTTL, so a yes
// given now cannot be spent by the agent later, in another call or
// another session, on a changed situation. An approval the agent's own
// prompt asked for (RecordCall) lives CallTTL from when the hook asked:
// the human's answer in the agent's dialog and the call that follows it.
const (
	PendingTTL  = time.Hour
	ApprovalTTL = 2 * time.Minute
	CallTTL     = 10 * time.Minute
)

// Kinds of approvals.
const (
	// KindRequest is a request guard printed an id for: "guard approve ID"
	// approves it, and the call with exactly its plan may then run once.
	KindRequest = "request"
	// KindCall is a yes given in the agent's own approval prompt, recorded
	// by "guard hook" when it asked: the next call through guard's shell
	// that runs those commands, and nothing beyond them that would need a
	// human, may run once.
	KindCall = "call"
)

// ErrUnknownApproval is returned (wrapped) for an id that does not exist or
// has expired.
var ErrUnknownApproval = errors.New("no such approval request")

// Approvals is the store of one-time approvals for commands that needed a
// human's yes when no terminal was there to ask: guard refuses the command
// and prints an id; the human runs "guard approve ID" in their own
// terminal; a call with the same plan (rules.Plan: the same commands with
// the same resolved arguments and directories, the same content of every
// script and file read, the same descriptor state and arguments; an
// agent's random scratch-file names aside) may then run once, within
// ApprovalTTL. The hook records the other kind, KindCall (RecordCall).
//
// Each request is one JSON file <Dir>/<id>.json, written atomically (a temp
// file in Dir, then rename), readable by the user only. Expired files are
// removed lazily by Request and List. Many guard processes may use the
// store at once.
//
// A request holds the command's SHA-256, which the approval is bound to,
// and its text as shown to the human: redacted and, when huge, cut
// (StoredCommand), so a secret in a held command is not copied to disk.
// Every file is signed with guard's key (safefile.Key, in the state
// directory), and read only through safefile's checks (a regular file the
// user owns, no symbolic link, FIFO or device, at most maxApprovalFile
// bytes): a request or approval written by anything but guard, such as an
// agent's shell command marking its own command approved, is ignored and
// reported through Rejected.
type Approvals struct {
	// Dir is <stateDir>/approvals; it is created 0700 when missing. Its
	// parent is the state directory, which holds the signing key.
	Dir string
	// Now is the clock; nil means time.Now. Tests inject their own.
	Now func() time.Time
	// Rejected, when not nil, is told about each request file that was
	// ignored because it is not one guard wrote (bad signature, not a
	// regular file of the user's, too large, damaged), with the reason.
	Rejected func(path string, err error)
}

// maxApprovalFile bounds an approval request file: the stored command is at
// most maxStoredCommand bytes before JSON escaping.
const maxApprovalFile = 1 << 20

// errOldFormat is returned for a request an older guard wrote, bound to
// the command's text (it has no Kind): it can no longer match anything,
// and is removed rather than reported.
var errOldFormat = errors.New("written by an older guard")

// ErrForged is wrapped when a request file's signature does not match:
// guard did not write it (or its key changed since).
var ErrForged = errors.New("not signed by guard")

// Pending is one approval request, as stored in <Dir>/<id>.json.
type Pending struct {
	// ID names the request for "guard approve": 8 lowercase base32
	// characters from crypto/rand.
	ID string `json:"id"`
	// Command is the command as shown to the human: redacted, and cut when
	// huge (StoredCommand). Show it through display.Line or display.Text.
	Command string `json:"command"`
	// Kind is KindRequest or KindCall.
	Kind string `json:"kind"`
	// Agent and AgentStart name the agent process whose hook recorded a
	// KindCall approval (AgentProcess): only a call that agent runs, while
	// it still runs, may use it. 0 when not known.
	Agent      int   `json:"agent,omitempty"`
	AgentStart int64 `json:"agent_start,omitempty"`
	// Plan is the plan's Key (rules.Plan): a request's approval is only
	// good for a call with that plan.
	Plan string `json:"plan"`
	// Steps are the plan's step digests; a KindCall approval covers them.
	Steps []string `json:"steps,omitempty"`
	// Files are the files the plan read, as "digest path"; a KindCall
	// approval holds only while each still has that content.
	Files []string `json:"files,omitempty"`
	// Allows shows the human what the approval lets run: the commands of
	// the plan (redacted, cut), each with its directory when that is not
	// Cwd, then the files read ("reads PATH").
	Allows []string `json:"allows,omitempty"`
	// Cwd is the directory the command runs in.
	Cwd string `json:"cwd"`
	// Decision is the verdict that asked for approval: always confirm, as a
	// denied command is never approved from a request.
	Decision string `json:"decision"`
	// Reasons are the findings' reasons, shown to the human who approves.
	Reasons []string `json:"reasons,omitempty"`
	// Created is when the command was refused and the request recorded.
	Created time.Time `json:"created"`
	// Approved is when a human approved it; zero while pending.
	Approved time.Time `json:"approved,omitzero"`
	// MAC signs every other field with guard's key (signedFields).
	MAC string `json:"mac"`
}

// macDomain separates approval signatures from guard's other signatures.
const macDomain = "guard approval v1"

// signedFields returns every field of p but MAC, in a fixed order.
func (p Pending) signedFields() [][]byte {
	fields := [][]byte{
		[]byte(p.ID), []byte(p.Command), []byte(p.Kind), []byte(p.Plan), []byte(p.Cwd), []byte(p.Decision),
		strconv.AppendInt(nil, int64(p.Agent), 10), strconv.AppendInt(nil, p.AgentStart, 10),
		strconv.AppendInt(nil, p.Created.UnixNano(), 10), strconv.AppendInt(nil, approvedNano(p.Approved), 10),
	}
	// Each list is counted, so that no item moves from one to another.
	for _, list := range [][]string{p.Reasons, p.Steps, p.Files, p.Allows} {
		fields = append(fields, strconv.AppendInt(nil, int64(len(list)), 10))
		for _, r := range list {
			fields = append(fields, []byte(r))
		}
	}
	return fields
}

// approvedNano is t in nanoseconds, 0 for the zero time.
func approvedNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// matches reports whether approved p lets a call with plan run: a request
// by the plan's key, a KindCall approval when it covers the plan.
func (p Pending) matches(plan rules.Plan) bool {
	if p.Approved.IsZero() {
		return false
	}
	switch p.Kind {
	case KindRequest:
		return plan.Key != "" && p.Plan == plan.Key
	case KindCall:
		if p.Agent != 0 && !agentRuns(p.Agent, p.AgentStart) {
			return false // another agent's, or the agent that asked is gone
		}
		return Covers(p.Steps, p.Files, plan)
	}
	return false
}

// agentRuns reports whether process pid, started at start, still runs and
// is this process or one of its ancestors.
func agentRuns(pid int, start int64) bool {
	now, err := procStart(pid)
	return err == nil && now == start && inCall(pid)
}

// AgentProcess returns the agent that started this process: the nearest
// ancestor that is not a shell (agents run their hooks through "sh -c"),
// with its start time; ok is false when there is none but init.
func AgentProcess() (pid int, start int64, ok bool) {
	p := os.Getppid()
	for seen := 0; p > 1 && seen < maxAncestors; seen++ {
		if !shellProcess(p) {
			s, err := procStart(p)
			return p, s, err == nil
		}
		next, err := procParent(p)
		if err != nil {
			return 0, 0, false
		}
		p = next
	}
	return 0, 0, false
}

// shellProcess reports whether process pid runs a POSIX shell.
func shellProcess(pid int) bool {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	if err != nil {
		return false
	}
	switch filepath.Base(exe) {
	case "sh", "dash", "bash", "zsh", "ksh", "mksh", "ash", "busybox":
		return true
	}
	return false
}

// Expires returns when the request (if pending) or the approval (if
// approved) stops being valid.
func (p Pending) Expires() time.Time {
	switch {
	case p.Kind == KindCall:
		return p.Created.Add(CallTTL)
	case p.Approved.IsZero():
		return p.Created.Add(PendingTTL)
	}
	return p.Approved.Add(ApprovalTTL)
}

// expired reports whether p is no longer valid at now.
func (p Pending) expired(now time.Time) bool {
	return !now.Before(p.Expires())
}

// encodeID renders random bytes as a lowercase base32 id.
func encodeID(b []byte) string {
	return base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding).EncodeToString(b)
}

// idLen is the length of an id: 5 random bytes are 8 base32 characters.
const idLen = 8

// validID reports whether id has the form of an id (and so is safe as a
// file name).
func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// now returns the store's clock.
func (a *Approvals) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Request records that command, run in cwd with plan, was refused for
// reasons and needs a human's approval, and returns the id to show them.
// While a request for the same plan is still pending, its id is returned
// again, so an agent retrying does not flood the human with ids.
func (a *Approvals) Request(command, cwd string, plan rules.Plan, reasons []string) (string, error) {
	return a.record(Pending{Kind: KindRequest, Command: StoredCommand(command), Cwd: cwd, Decision: "confirm", Reasons: reasons}, plan)
}

// RecordCall records that a human approved command, run in cwd with plan,
// in the agent's own prompt (the hook asked): the next call through
// guard's shell that it covers (Covers) may run once, within CallTTL, if
// agent (the hook's AgentProcess, with its start time; 0 for none) still
// runs and runs it.
//
// RecordCall does not check who calls it; the hook must refuse to record
// inside what guard runs (launch.Marked, GuardAncestor), where an agent
// could record its own approvals.
func (a *Approvals) RecordCall(command, cwd string, plan rules.Plan, reasons []string, agent int, agentStart int64) (string, error) {
	return a.record(Pending{Kind: KindCall, Command: StoredCommand(command), Cwd: cwd, Decision: "confirm", Reasons: reasons, Agent: agent, AgentStart: agentStart}, plan)
}

// maxPlanSteps bounds the steps and files an approval holds; a plan with
// more is bound by its key alone (a KindCall approval of it covers nothing).
const maxPlanSteps = 4096

// maxAllows bounds what an approval shows of its plan.
const maxAllows = 40

// record stores p, bound to plan, with a fresh id. A KindRequest for a
// plan already pending returns that request's id instead.
func (a *Approvals) record(p Pending, plan rules.Plan) (string, error) {
	if err := a.ensureDir(); err != nil {
		return "", err
	}
	p.Plan = plan.Key
	if len(plan.Steps)+len(plan.Files) <= maxPlanSteps {
		for _, s := range plan.Steps {
			p.Steps = append(p.Steps, s.Digest)
		}
		for _, f := range plan.Files {
			p.Files = append(p.Files, f.SHA256+" "+f.Path)
		}
	}
	p.Allows = allows(plan, p.Cwd)
	var id string
	err := a.locked(func() error {
		now := a.now()
		recs, err := a.scan(now)
		if err != nil {
			return err
		}
		for _, q := range recs {
			if p.Kind == KindRequest && q.Kind == KindRequest && q.Approved.IsZero() && q.Plan == p.Plan && q.Cwd == p.Cwd {
				id = q.ID
				return nil
			}
		}
		for tries := 0; ; tries++ {
			var b [5]byte
			if _, err := rand.Read(b[:]); err != nil {
				return fmt.Errorf("approvals: random id: %w", err)
			}
			id = encodeID(b[:])
			if _, err := os.Lstat(a.path(id)); errors.Is(err, fs.ErrNotExist) {
				break
			}
			if tries > 100 {
				return fmt.Errorf("approvals: cannot pick a free id in %s; remove stale files there", a.Dir)
			}
		}
		p.ID, p.Created = id, now
		if p.Kind == KindCall {
			p.Approved = now // the human answers in the agent's prompt
		}
		return a.write(p)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// Get returns the request id, pending or approved. An unknown or expired
// id is an error wrapping ErrUnknownApproval. Ids are matched without
// regard to case or surrounding space, as a human types them.
func (a *Approvals) Get(id string) (Pending, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if !validID(id) {
		return Pending{}, fmt.Errorf("approvals: %q is not an approval id (8 letters and digits, as guard printed it): %w", id, ErrUnknownApproval)
	}
	p, err := a.read(a.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Pending{}, fmt.Errorf("approvals: request %s not found: it was used, expired or never existed; run the command again for a new id: %w", id, ErrUnknownApproval)
	}
	if err != nil {
		return Pending{}, err
	}
	if p.ID != id {
		return Pending{}, fmt.Errorf("approvals: %s holds request %q, not %s; remove the file: %w", a.path(id), p.ID, id, ErrUnknownApproval)
	}
	if p.expired(a.now()) {
		what := "request"
		if !p.Approved.IsZero() {
			what = "approval"
		}
		return Pending{}, fmt.Errorf("approvals: %s %s expired at %s; run the command again for a new id: %w", what, id, p.Expires().Local().Format(time.Kitchen), ErrUnknownApproval)
	}
	return p, nil
}

// Approve marks request id approved now: a call with the same plan may
// then run once within ApprovalTTL. Approving an approval that is not used
// yet again changes nothing (its time is not extended).
//
// Approve does not check who calls it; the CLI must refuse to approve from
// inside an agent's command (HasTTY, GuardAncestor).
func (a *Approvals) Approve(id string) error {
	return a.locked(func() error {
		p, err := a.Get(id)
		if err != nil {
			return err
		}
		if !p.Approved.IsZero() {
			return nil
		}
		p.Approved = a.now()
		return a.write(p)
	})
}

// Consume reports whether an unexpired approval lets a call with plan run
// (Pending.matches), and uses it up: it returns the approval at most once,
// even with several guard processes racing for it. The file is first
// renamed to a name unique to this call (only one rename of the same file
// can succeed), then removed. Any error counts as no approval; a file
// guard did not write is reported through Rejected and left in place.
func (a *Approvals) Consume(plan rules.Plan) (Pending, bool) {
	now := a.now()
	if safefile.CheckDirs(filepath.Dir(a.Dir), a.Dir) != nil {
		return Pending{}, false
	}
	entries, err := os.ReadDir(a.Dir)
	if err != nil {
		return Pending{}, false
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !validID(id) {
			continue
		}
		path := a.path(id)
		p, err := a.read(path)
		if err != nil {
			a.reject(path, err)
			continue
		}
		if p.ID != id || p.expired(now) || !p.matches(plan) {
			continue
		}
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return Pending{}, false
		}
		taken := filepath.Join(a.Dir, ".consumed-"+id+"-"+encodeID(b[:]))
		if err := os.Rename(path, taken); err != nil {
			continue // another process took it first
		}
		// What we took is what we read: files are only ever replaced
		// whole, but check rather than trust.
		q, err := a.read(taken)
		os.Remove(taken)
		if err == nil && q.ID == id && !q.expired(now) && q.matches(plan) {
			return q, true
		}
	}
	return Pending{}, false
}

// Covers reports whether a call with plan runs only what an approval of
// steps (step digests) and files ("digest path") allows: every file both
// read still has the content approved, and what the plan runs beyond the
// approved steps (an agent's harness around the command: sourcing its
// snapshot, eval, recording the directory) would be allowed on its own.
// An approval with no steps covers nothing.
func Covers(steps, files []string, plan rules.Plan) bool {
	if len(steps) == 0 {
		return false
	}
	approved := make(map[string]bool, len(steps))
	for _, s := range steps {
		approved[s] = true
	}
	read := make(map[string]string, len(files))
	for _, f := range files {
		d, p, _ := strings.Cut(f, " ")
		read[p] = d
	}
	for _, f := range plan.Files {
		if d, ok := read[f.Path]; ok && d != f.SHA256 {
			return false // changed since the human approved
		}
	}
	return plan.Beyond(func(d string) bool { return approved[d] }).Decision == rules.Allow
}

// allows renders what plan lets run, for the human (Pending.Allows): its
// steps but the quiet ones (rules.Step.Quiet), redacted and cut, each with
// its directory when not cwd, then the files it read.
func allows(plan rules.Plan, cwd string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range plan.Steps {
		if s.Quiet {
			continue
		}
		line := truncateRunes(env.Redact(s.Show), 200)
		if s.Cwd != "" && s.Cwd != cwd {
			line += " (in " + s.Cwd + ")"
		}
		if !seen[line] {
			seen[line] = true
			out = append(out, line)
		}
	}
	if len(out) > maxAllows {
		out = append(out[:maxAllows], fmt.Sprintf("… and %d more commands", len(out)-maxAllows))
	}
	for i, f := range plan.Files {
		if i == maxAllows {
			out = append(out, fmt.Sprintf("… and %d more files read", len(plan.Files)-maxAllows))
			break
		}
		out = append(out, "reads "+truncateRunes(f.Path, 200))
	}
	return out
}

// List returns the requests still pending and the approvals not yet used,
// oldest first, removing expired ones on the way.
func (a *Approvals) List() ([]Pending, error) {
	if _, err := os.Lstat(a.Dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out []Pending
	err := a.locked(func() error {
		var err error
		out, err = a.scan(a.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// scan reads every valid, unexpired request and removes expired ones and
// stale temporary files. The caller holds the lock.
func (a *Approvals) scan(now time.Time) ([]Pending, error) {
	entries, err := os.ReadDir(a.Dir)
	if err != nil {
		return nil, fmt.Errorf("approvals: read %s (check its permissions): %w", a.Dir, err)
	}
	var out []Pending
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".tmp-") || strings.HasPrefix(name, ".consumed-") {
			// Left by a crash between create and rename or remove.
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > PendingTTL {
				os.Remove(filepath.Join(a.Dir, name))
			}
			continue
		}
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || !validID(id) {
			continue
		}
		p, err := a.read(a.path(id))
		if errors.Is(err, errOldFormat) {
			os.Remove(a.path(id))
			continue
		}
		if err != nil {
			a.reject(a.path(id), err)
			continue // not guard's: never shown, never matched
		}
		if p.ID != id {
			continue
		}
		if p.expired(now) {
			os.Remove(a.path(id))
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// path returns the file of request id.
func (a *Approvals) path(id string) string {
	return filepath.Join(a.Dir, id+".json")
}

// reject tells Rejected about a file that was ignored; a file that is
// simply gone (used or pruned by another process meanwhile) is not news.
func (a *Approvals) reject(path string, err error) {
	if a.Rejected != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errOldFormat) {
		a.Rejected(path, err)
	}
}

// stateDir is the directory holding Dir: safefile's root and the key's home.
func (a *Approvals) stateDir() string { return filepath.Dir(a.Dir) }

// read loads one request file through safefile's checks and verifies its
// signature.
func (a *Approvals) read(path string) (Pending, error) {
	data, err := safefile.ReadFile(a.stateDir(), path, maxApprovalFile)
	if err != nil {
		return Pending{}, fmt.Errorf("approvals: %w", err)
	}
	var p Pending
	if err := json.Unmarshal(data, &p); err != nil {
		return Pending{}, fmt.Errorf("approvals: %s is damaged (%v); remove it and run the command again", path, err)
	}
	if p.Kind == "" {
		return Pending{}, errOldFormat
	}
	key, err := safefile.Key(a.stateDir())
	if err != nil {
		return Pending{}, fmt.Errorf("approvals: signing key: %w", err)
	}
	if p.MAC == "" {
		return Pending{}, fmt.Errorf("approvals: ignored %s: %w (it has no signature: an older guard or something else wrote it); remove it and run the command again", path, ErrForged)
	}
	if !safefile.Verify(key, p.MAC, macDomain, p.signedFields()...) {
		return Pending{}, fmt.Errorf("approvals: ignored %s: %w (its signature does not match); remove it, and if you did not write it, find out what did", path, ErrForged)
	}
	return p, nil
}

// write stores p atomically: a temp file in the same directory, synced,
// then renamed over <id>.json.
func (a *Approvals) write(p Pending) error {
	key, err := safefile.Key(a.stateDir())
	if err != nil {
		return fmt.Errorf("approvals: signing key: %w", err)
	}
	p.MAC = safefile.Sign(key, macDomain, p.signedFields()...)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("approvals: encode request: %w", err)
	}
	f, err := os.CreateTemp(a.Dir, ".tmp-")
	if err != nil {
		return fmt.Errorf("approvals: create a file in %s (check its permissions and free space): %w", a.Dir, err)
	}
	tmp := f.Name()
	_, werr := f.Write(b.Bytes())
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, a.path(p.ID))
	}
	if werr != nil {
		os.Remove(tmp)
		return fmt.Errorf("approvals: write request %s in %s: %w", p.ID, a.Dir, werr)
	}
	return nil
}

// ensureDir creates Dir 0700 when missing.
func (a *Approvals) ensureDir() error {
	if a.Dir == "" {
		return errors.New("approvals: no directory configured (Approvals.Dir is empty)")
	}
	if err := safefile.MkdirAll(a.stateDir(), a.Dir); err != nil {
		return fmt.Errorf("approvals: %w", err)
	}
	return nil
}

// locked runs fn holding an exclusive flock on <Dir>/.lock, so that
// requests, approvals and pruning by concurrent guard processes do not
// interleave. Consume needs no lock: its rename decides.
func (a *Approvals) locked(fn func() error) error {
	if err := a.ensureDir(); err != nil {
		return err
	}
	lockPath := filepath.Join(a.Dir, ".lock")
	fd, _, err := safefile.OpenFd(lockPath, unix.O_RDWR|unix.O_CREAT, 0o600)
	if err != nil {
		return fmt.Errorf("approvals: open lock %s: %w", lockPath, err)
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return fmt.Errorf("approvals: open lock %s: %w", lockPath, err)
	}
	f := os.NewFile(uintptr(fd), lockPath)
	defer f.Close()
	return withFlock(f, unix.LOCK_EX, fn)
}

// HasTTY reports whether the process has a controlling terminal, that is
// whether opening /dev/tty succeeds. guard asks a human only on a terminal;
// "guard approve" insists on one so that an agent without a terminal
// cannot approve its own commands.
func HasTTY() bool {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// maxAncestors bounds the walk up the process tree.
const maxAncestors = 128

// GuardAncestor walks the process tree from the parent upward and returns
// the first ancestor that is guard running a command: its /proc/PID/exe is
// the same file as self (guard's executable; empty means os.Executable),
// or its argv[0] base name is "guard" (also "-guard", "guard-bash"), and it
// is not itself "guard approve ...". desc is its command line for the
// message ("guard -c 'make deploy'", quoted as a shell would need it, cut
// to 120 characters). ok is false when there is none.
//
// "guard approve" calls it to refuse an approval typed by an agent whose
// commands guard is running: its commands are guard's descendants.
func GuardAncestor(self string) (pid int, desc string, ok bool) {
	var selfInfo os.FileInfo
	if self == "" {
		self, _ = os.Executable()
	}
	if self != "" {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		selfInfo, _ = os.Stat(self)
	}
	seen := map[int]bool{}
	for p := os.Getppid(); p > 1 && !seen[p] && len(seen) < maxAncestors; {
		seen[p] = true
		argv := procArgv(p)
		isGuard := len(argv) > 0 && guardName(argv[0])
		if !isGuard && selfInfo != nil {
			if info, err := os.Stat("/proc/" + strconv.Itoa(p) + "/exe"); err == nil && os.SameFile(info, selfInfo) {
				isGuard = true
			}
		}
		if isGuard && !(len(argv) > 1 && argv[1] == "approve") {
			return p, describeArgv(argv), true
		}
		if procGuarded(p) {
			return p, describeArgv(argv) + ", started by guard", true
		}
		next, err := procParent(p)
		if err != nil {
			break
		}
		p = next
	}
	return 0, "", false
}

// guardName reports whether argv0 names guard: "guard", a path ending in
// it, a login shell's "-guard", or an alias such as "guard-bash".
func guardName(argv0 string) bool {
	base := strings.TrimPrefix(filepath.Base(argv0), "-")
	return base == "guard" || strings.HasPrefix(base, "guard-")
}

// GuardedEnv is set in the environment of every command guard runs. A
// process's initial environment, /proc/PID/environ, cannot be changed by
// its descendants, so it marks an ancestor as a guarded command even after
// guard has replaced itself with the real shell.
const GuardedEnv = "GUARD_ACTIVE"

// procGuarded reports whether process pid was started by guard as a
// command: its initial environment holds GuardedEnv=1.
func procGuarded(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	marker := GuardedEnv + "=1"
	for _, kv := range strings.Split(string(data), "\x00") {
		if kv == marker {
			return true
		}
	}
	return false
}

// GuardInSession returns a process of the caller's session, other than the
// caller, that is guard running a command or a command guard started. A
// command an agent ran can outlive its parent and be adopted by init,
// leaving no guarded ancestor; it stays in the agent's session.
func GuardInSession(self string) (pid int, desc string, ok bool) {
	mine, err := procSession(os.Getpid())
	if err != nil || mine <= 0 {
		return 0, "", false
	}
	var selfInfo os.FileInfo
	if self != "" {
		selfInfo, _ = os.Stat(self)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, "", false
	}
	me := os.Getpid()
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil || p == me {
			continue
		}
		if sid, err := procSession(p); err != nil || sid != mine {
			continue
		}
		argv := procArgv(p)
		if len(argv) > 1 && guardName(argv[0]) && argv[1] == "approve" {
			continue
		}
		isGuard := len(argv) > 0 && guardName(argv[0])
		if !isGuard && selfInfo != nil {
			if info, err := os.Stat("/proc/" + strconv.Itoa(p) + "/exe"); err == nil && os.SameFile(info, selfInfo) {
				isGuard = !(len(argv) > 1 && argv[1] == "approve")
			}
		}
		if isGuard || procGuarded(p) {
			return p, describeArgv(argv), true
		}
	}
	return 0, "", false
}

// procArgv returns the argv of process pid from /proc, nil if unreadable.
func procArgv(pid int) []string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil || len(data) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
}

// procParent returns the parent pid of pid from /proc/PID/stat.
func procParent(pid int) (int, error) { return procStatField(pid, 1) }

// procSession returns the session id of pid from /proc/PID/stat.
func procSession(pid int) (int, error) { return procStatField(pid, 3) }

// procStatField returns the numeric field i of /proc/PID/stat counted
// after the command name (0: state, 1: ppid, 2: pgrp, 3: session). The
// command name in parentheses may itself hold spaces and parentheses, so
// the fields are counted from the last ')'.
func procStatField(pid, i int) (int, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) <= i {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	return strconv.Atoi(fields[i])
}

// describeArgv renders argv for a message, quoting words with spaces and
// cutting it short.
func describeArgv(argv []string) string {
	if len(argv) == 0 {
		return "(unknown command)"
	}
	words := make([]string, len(argv))
	for i, w := range argv {
		if w == "" || strings.ContainsAny(w, " \t\n'\"\\$`;&|<>()*?[]{}!#~") {
			w = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		words[i] = w
	}
	return truncateRunes(display.Line(strings.Join(words, " ")), 120)
}
