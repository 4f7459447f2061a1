package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/internal/safefile"
)

// AuditFile is the name of the audit log inside guard's state directory.
const AuditFile = "audit.jsonl"

// Record is one decision guard took, as written to the audit log: one JSON
// object per line of <stateDir>/audit.jsonl. The log is what a human reads
// afterwards to learn what an agent ran, what was stopped and who approved.
type Record struct {
	// Time is when the decision was taken; AppendAudit fills it in when zero.
	Time time.Time `json:"time"`
	// Mode is how guard was reached: shell, run, session, hook or check.
	Mode string `json:"mode"`
	// Cwd is the working directory the command was to run in.
	Cwd string `json:"cwd"`
	// Command is the command as given, already redacted (and cut when
	// huge) by the caller with StoredCommand.
	Command string `json:"command"`
	// Decision is the verdict: allow, confirm or deny.
	Decision string `json:"decision"`
	// Rules lists the ids of the rules that fired.
	Rules []string `json:"rules,omitempty"`
	// Approval says how a confirm was settled: none (refused or not needed),
	// tty (a human said yes at the prompt), once (a one-time approval from
	// "guard approve"), hook (the agent's own approval flow; in shell mode,
	// a yes given there) or call (inside a call a human approved).
	// AppendAudit writes "none" when it is empty.
	Approval string `json:"approval"`
	// Runs are, for a command that needed a human, the commands it runs as
	// guard's analysis resolved them (Pending.Allows), redacted: an agent's
	// wrapper such as Cursor's passes the command as an argument, so
	// Command alone does not say what ran.
	Runs []string `json:"runs,omitempty"`
	// Exit is the command's exit status, when guard waited for it.
	Exit *int `json:"exit,omitempty"`
	// Agent names the agent, when guard knows it (hook mode, install).
	Agent string `json:"agent,omitempty"`
	// Note is what else a human should know about the decision: an
	// approval file guard ignored because it did not write it.
	Note string `json:"note,omitempty"`
}

// AppendAudit appends r as one JSON line to <stateDir>/audit.jsonl,
// creating stateDir (0700) and the file (0600) when missing.
//
// Many guard processes append at once (an agent running commands in
// parallel), so the line is written with a single write call on a file
// opened O_APPEND, under an exclusive flock: readers never see two records
// interleaved, however long the command is.
//
// A record never swallows another: a write cut short (a full disk) is
// undone by truncating the file back to where it ended, and a log whose
// last line was torn (a crash, a full disk on a file system without
// flock) gets the new record on a line of its own, so the torn line stays
// one unreadable line that ReadAudit skips with a note. The log is opened
// through safefile: a symbolic link, FIFO or device in its place, or a
// file of another user, is refused, never appended to.
//
// A command longer than 64 KiB is stored cut, as StoredCommand does.
//
// Every command guard runs writes one record, so this is on the path of
// every command: the line is built by appendRecord rather than by
// encoding/json's reflection, and the file is used through plain system
// calls rather than through os.File, which would set up the runtime's
// poller for it.
func AppendAudit(stateDir string, r Record) error {
	line := auditLine(r)
	fd, path, err := openAudit(stateDir)
	if err != nil {
		return err
	}
	werr := appendLocked(fd, path, line)
	cerr := unix.Close(fd)
	if werr != nil {
		return werr
	}
	if cerr != nil {
		return fmt.Errorf("audit: close %s: %w", path, cerr)
	}
	return nil
}

// auditLine is r as the line AppendAudit writes: its time, approval and
// cut command filled in.
func auditLine(r Record) []byte {
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	if r.Approval == "" {
		r.Approval = "none"
	}
	if len(r.Command) > maxStoredCommand {
		r.Command = clipCommand(r.Command, len(r.Command), CommandHash(r.Command))
	}
	return appendRecord(make([]byte, 0, 256+len(r.Command)), r)
}

// openAudit opens the audit log of stateDir for appending, creating both,
// through safefile.
func openAudit(stateDir string) (int, string, error) {
	if err := safefile.MkdirAll(stateDir, stateDir); err != nil {
		return -1, "", fmt.Errorf("audit: state directory: %w", err)
	}
	path := filepath.Join(stateDir, AuditFile)
	fd, _, err := safefile.OpenFd(path, unix.O_RDWR|unix.O_APPEND|unix.O_CREAT, 0o600)
	if err != nil {
		return -1, "", fmt.Errorf("audit: open %s: %w", path, err)
	}
	return fd, path, nil
}

// appendLocked appends line to the open log fd under its flock. Without
// flock support (some network mounts) the single O_APPEND write is still
// whole.
func appendLocked(fd int, path string, line []byte) error {
	locked := flockFd(fd, unix.LOCK_EX) == nil
	err := appendLine(fd, line, locked, unix.Write)
	if locked {
		unix.Flock(fd, unix.LOCK_UN)
	}
	if err != nil {
		return fmt.Errorf("audit: append to %s (is the disk full?): %w", path, err)
	}
	return nil
}

// auditLog is the audit log of one state directory as the exec judge
// writes it: a record for every exec of the command's tree, the allowed
// ones held back a little (at most auditHold, or auditBatch records) and
// written together with one write under the flock, as AppendAudit writes
// one, to a log kept open. Opening the log with safefile's checks and
// appending cost more system calls, and on a virtual machine more time,
// than the rest of an exec's judgement. A record that is not an allow is
// never held: the caller flushes before it (Gate.Admit writes it at once),
// and guard flushes when the command's tree is done. A log removed
// meanwhile (no link left) is opened anew; a log that cannot be opened is
// appended to as writeAudit does, record by record, so that the audit
// relay still gets what guard may not write.
type auditLog struct {
	mu       sync.Mutex
	stateDir string
	relay    string
	fd       int // -1: not open
	path     string
	held     []Record
	timer    *time.Timer
	// direct is set by stopHolding: guard is about to exit.
	direct bool
}

// How long and how many allowed execs' records an auditLog holds back.
const (
	auditHold  = 20 * time.Millisecond
	auditBatch = 64
)

func newAuditLog(stateDir, relay string) *auditLog {
	return &auditLog{stateDir: stateDir, relay: relay, fd: -1}
}

// hold adds r, the record of an allowed exec, to what is written within
// auditHold.
func (a *auditLog) hold(r Record) {
	if r.Time.IsZero() {
		r.Time = time.Now() // the decision's time, not the write's
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.held = append(a.held, r)
	if len(a.held) >= auditBatch || a.direct {
		a.flushLocked()
		return
	}
	if a.timer == nil {
		a.timer = time.AfterFunc(auditHold, a.flush)
	} else if len(a.held) == 1 {
		a.timer.Reset(auditHold)
	}
}

// stopHolding writes every record held, and every later one when it is
// added; a nil log has none.
func (a *auditLog) stopHolding() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.direct = true
	a.flushLocked()
}

// flush writes every record held; a nil log has none.
func (a *auditLog) flush() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.flushLocked()
}

func (a *auditLog) flushLocked() {
	if len(a.held) == 0 {
		return
	}
	recs := a.held
	a.held = a.held[:0:0]
	if a.fd >= 0 {
		var st unix.Stat_t
		if err := unix.Fstat(a.fd, &st); err != nil || st.Nlink == 0 {
			a.closeLocked()
		}
	}
	if a.fd < 0 {
		fd, path, err := openAudit(a.stateDir)
		if err != nil {
			for _, r := range recs {
				writeAudit(a.stateDir, r, a.relay)
			}
			return
		}
		a.fd, a.path = fd, path
	}
	var lines []byte
	for _, r := range recs {
		lines = append(lines, auditLine(r)...)
	}
	if err := appendLocked(a.fd, a.path, lines); err != nil {
		a.closeLocked()
		// One by one, as AppendAudit would have: what fits is kept.
		for _, r := range recs {
			writeAudit(a.stateDir, r, a.relay)
		}
	}
}

// close writes what is held and closes the log.
func (a *auditLog) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.flushLocked()
	a.closeLocked()
}

func (a *auditLog) closeLocked() {
	if a.fd >= 0 {
		unix.Close(a.fd)
		a.fd = -1
	}
}

// appendLine appends line to the log fd with one write. A log not ending
// in '\n' (a torn last record) first gets one, so that the new record is
// not merged into the torn one. When write stores less than the whole line
// (ENOSPC, EDQUOT, EFBIG) and the caller holds the lock, the file is
// truncated back to its size before the write: no partial record is left
// for the next one to be glued to. write is unix.Write but in tests.
func appendLine(fd int, line []byte, locked bool, write func(int, []byte) (int, error)) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	end := st.Size
	if end > 0 {
		var last [1]byte
		if n, err := unix.Pread(fd, last[:], end-1); err == nil && n == 1 && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	n, err := retryEINTR(func() (int, error) { return write(fd, line) })
	if err == nil && n == len(line) {
		return nil
	}
	if err == nil {
		err = io.ErrShortWrite
	}
	if locked {
		// Only under the lock is the end of the file ours to cut back to.
		if terr := unix.Ftruncate(fd, end); terr != nil {
			return fmt.Errorf("%w (and the partial record could not be removed: %v)", err, terr)
		}
	}
	return err
}

// appendRecord appends r to b as one line of JSON, with the fields and
// encoding encoding/json gives Record (its tests check that the two agree).
func appendRecord(b []byte, r Record) []byte {
	b = append(b, `{"time":"`...)
	b = r.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","mode":`...)
	b = appendJSONString(b, r.Mode)
	b = append(b, `,"cwd":`...)
	b = appendJSONString(b, r.Cwd)
	b = append(b, `,"command":`...)
	b = appendJSONString(b, r.Command)
	b = append(b, `,"decision":`...)
	b = appendJSONString(b, r.Decision)
	if len(r.Rules) > 0 {
		b = append(b, `,"rules":[`...)
		for i, id := range r.Rules {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, id)
		}
		b = append(b, ']')
	}
	b = append(b, `,"approval":`...)
	b = appendJSONString(b, r.Approval)
	if len(r.Runs) > 0 {
		b = append(b, `,"runs":[`...)
		for i, run := range r.Runs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, run)
		}
		b = append(b, ']')
	}
	if r.Exit != nil {
		b = append(b, `,"exit":`...)
		b = strconv.AppendInt(b, int64(*r.Exit), 10)
	}
	if r.Agent != "" {
		b = append(b, `,"agent":`...)
		b = appendJSONString(b, r.Agent)
	}
	if r.Note != "" {
		b = append(b, `,"note":`...)
		b = appendJSONString(b, r.Note)
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string as encoding/json writes it
// without HTML escaping: quotes, backslashes and control characters
// escaped, invalid UTF-8 replaced by U+FFFD, and U+2028 and U+2029
// escaped so that the line is also valid JavaScript.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// retryEINTR calls f until it is not interrupted by a signal.
func retryEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}

// flockFd takes flock(how) on fd, waiting through signals.
func flockFd(fd, how int) error {
	_, err := retryEINTR(func() (int, error) { return 0, unix.Flock(fd, how) })
	return err
}

// withFlock runs fn holding flock(how) on f. A file system without flock
// support (some network mounts) still gets the single O_APPEND write.
func withFlock(f *os.File, how int, fn func() error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return fn()
	}
	var lockErr error
	if err := rc.Control(func(fd uintptr) { lockErr = flockFd(int(fd), how) }); err != nil {
		return fn()
	}
	if lockErr != nil {
		return fn()
	}
	defer rc.Control(func(fd uintptr) { unix.Flock(int(fd), unix.LOCK_UN) })
	return fn()
}

// AuditQuery selects records for "guard log".
type AuditQuery struct {
	// N keeps only the last N matching records; 0 keeps all.
	N int
	// Decision keeps only records with this decision (allow, confirm or
	// deny); empty keeps all.
	Decision string
	// Since keeps only records from the last Since; 0 keeps all.
	Since time.Duration
	// Now is the clock Since counts back from; nil means time.Now.
	Now func() time.Time
}

// CorruptLinesError reports lines of the audit log that could not be read
// as records (a crash mid-write on a file system without atomic appends, a
// hand edit). It is not fatal: ReadAudit returns it together with every
// record it could read, so "guard log" can print them and warn.
type CorruptLinesError struct {
	// Path is the audit log.
	Path string
	// Lines is how many lines were skipped.
	Lines int
	// First is the 1-based number of the first skipped line.
	First int
}

// Error says how many lines were skipped and where.
func (e *CorruptLinesError) Error() string {
	return fmt.Sprintf("audit: skipped %d unreadable line(s) in %s (first at line %d); the other records are shown", e.Lines, e.Path, e.First)
}

// ReadAudit returns the records of <stateDir>/audit.jsonl that match q,
// oldest first. A missing log is no records and no error.
//
// Unreadable lines are skipped: when there were any, the records are
// returned together with a *CorruptLinesError (test with errors.As) that
// callers should show as a warning, not treat as a failure. Any other error
// comes with nil records.
func ReadAudit(stateDir string, q AuditQuery) ([]Record, error) {
	switch q.Decision {
	case "", "allow", "confirm", "deny":
	default:
		return nil, fmt.Errorf("audit: unknown decision %q: use allow, confirm or deny", q.Decision)
	}
	if q.N < 0 {
		return nil, fmt.Errorf("audit: record count %d is negative: use a positive number, or 0 for all", q.N)
	}
	if q.Since < 0 {
		return nil, fmt.Errorf("audit: duration %s is negative: use a positive duration such as 1h", q.Since)
	}
	var cutoff time.Time
	if q.Since > 0 {
		now := time.Now
		if q.Now != nil {
			now = q.Now
		}
		cutoff = now().Add(-q.Since)
	}

	path := filepath.Join(stateDir, AuditFile)
	f, _, err := safefile.Open(stateDir, path, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: open %s: %w", path, err)
	}
	defer f.Close()

	// Keep the last N matches in a ring so a long log costs memory for N
	// records only.
	var ring []Record
	next := 0
	corrupt := &CorruptLinesError{Path: path}
	br := bufio.NewReaderSize(f, 64<<10)
	for lineNo := 1; ; lineNo++ {
		line, tooLong, err := readLine(br, maxAuditLine)
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			var r Record
			if tooLong {
				if corrupt.Lines == 0 {
					corrupt.First = lineNo
				}
				corrupt.Lines++
			} else if jerr := json.Unmarshal(line, &r); jerr != nil || r.Time.IsZero() {
				if corrupt.Lines == 0 {
					corrupt.First = lineNo
				}
				corrupt.Lines++
			} else if (q.Decision == "" || r.Decision == q.Decision) && (cutoff.IsZero() || !r.Time.Before(cutoff)) {
				if q.N > 0 && len(ring) == q.N {
					ring[next] = r
					next = (next + 1) % q.N
				} else {
					ring = append(ring, r)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("audit: read %s: %w", path, err)
		}
	}
	out := append(ring[next:len(ring):len(ring)], ring[:next]...)
	if corrupt.Lines > 0 {
		return out, corrupt
	}
	return out, nil
}

// maxAuditLine bounds one line of the audit log as ReadAudit reads it:
// AppendAudit's records are far shorter (commands are cut at 64 KiB), so a
// longer line is damage, skipped without being held in memory.
const maxAuditLine = 1 << 20

// readLine reads one line of br including its '\n' (none at the end of
// the input). A line longer than max is read to its end but not kept:
// tooLong is set and line is nil.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(frag) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, frag...)
			}
		}
		if err != bufio.ErrBufferFull {
			return line, tooLong, err
		}
	}
}

// FormatAudit writes recs as a table for a human: local time, decision,
// how a confirm was settled, mode, exit status, working directory (with ~
// for the home directory) and command, one record per line. When w is a
// terminal the command is cut to fit its width, otherwise to 100
// characters. Control characters in commands are shown escaped, so a
// logged command can never drive the reader's terminal. color adds ANSI
// colours to the decisions and the header.
func FormatAudit(w io.Writer, recs []Record, color bool) {
	if len(recs) == 0 {
		return
	}
	home, _ := os.UserHomeDir()
	width := 0
	if f, ok := w.(*os.File); ok {
		width = terminalWidth(f)
	}

	type row struct{ time, decision, approval, mode, exit, cwd, command string }
	header := row{"TIME", "DECISION", "APPROVAL", "MODE", "EXIT", "CWD", "COMMAND"}
	rows := make([]row, 0, len(recs))
	for _, r := range recs {
		exit := "-"
		if r.Exit != nil {
			exit = fmt.Sprint(*r.Exit)
		}
		approval := r.Approval
		if approval == "" {
			approval = "none"
		}
		rows = append(rows, row{
			time:     r.Time.Local().Format("Jan _2 15:04:05"),
			decision: display.Line(r.Decision),
			approval: display.Line(approval),
			mode:     display.Line(r.Mode),
			exit:     exit,
			cwd:      shortenLeft(tildePath(display.Line(r.Cwd), home), 40),
			command:  display.Line(r.Command),
		})
	}
	widths := make([]int, 6)
	for _, rw := range append([]row{header}, rows...) {
		for i, s := range []string{rw.time, rw.decision, rw.approval, rw.mode, rw.exit, rw.cwd} {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	cmdWidth := 100
	if width > 0 {
		used := 0
		for _, n := range widths {
			used += n + 2
		}
		cmdWidth = max(width-used, 20)
	}

	line := func(rw row, isHeader bool) {
		var b strings.Builder
		cells := []string{rw.time, rw.decision, rw.approval, rw.mode, rw.exit, rw.cwd}
		for i, s := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s)+2)
			if color && !isHeader && i == 1 {
				s = colorDecision(s)
			}
			b.WriteString(s)
			b.WriteString(pad)
		}
		b.WriteString(truncateRunes(rw.command, cmdWidth))
		text := b.String()
		if color && isHeader {
			text = ansiBold + text + ansiReset
		}
		fmt.Fprintln(w, text)
	}
	line(header, true)
	for _, rw := range rows {
		line(rw, false)
	}
}

// ANSI escapes for FormatAudit and Prompt.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// colorDecision colours a decision: allow green, confirm yellow, deny red.
func colorDecision(d string) string {
	switch d {
	case "allow":
		return ansiGreen + d + ansiReset
	case "confirm":
		return ansiYellow + d + ansiReset
	case "deny":
		return ansiRed + d + ansiReset
	}
	return d
}

// terminalWidth returns the width of the terminal f, or 0 when f is not a
// terminal. It goes through SyscallConn so that f keeps its blocking mode.
func terminalWidth(f *os.File) int {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0
	}
	width := 0
	rc.Control(func(fd uintptr) {
		if ws, err := unix.IoctlGetWinsize(int(fd), unix.TIOCGWINSZ); err == nil {
			width = int(ws.Col)
		}
	})
	return width
}

// tildePath writes home as ~ at the start of p.
func tildePath(p, home string) string {
	if home == "" || home == "/" {
		return p
	}
	if p == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, home+"/"); ok {
		return "~/" + rest
	}
	return p
}

// shortenLeft keeps the last n runes of s, marking the cut with "…": the
// end of a directory says more than its start.
func shortenLeft(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}

// truncateRunes keeps the first n runes of s, marking the cut with "…".
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
