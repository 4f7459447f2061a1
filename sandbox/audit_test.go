package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// auditHelperEnv selects what TestAuditHelperProcess does in a child.
const auditHelperEnv = "GUARD_SANDBOX_AUDIT_HELPER"

// TestAuditHelperProcess is not a test: it is the body of the child
// processes of TestAppendAuditConcurrentProcesses, run by re-executing the
// test binary with auditHelperEnv set.
func TestAuditHelperProcess(t *testing.T) {
	dir := os.Getenv(auditHelperEnv)
	if dir == "" {
		t.Skip("helper process only")
	}
	worker := os.Getenv("GUARD_SANDBOX_AUDIT_WORKER")
	for i := 0; i < 20; i++ {
		cmd := fmt.Sprintf("echo worker=%s seq=%d", worker, i)
		if i%5 == 0 {
			// Well over PIPE_BUF: only the flock keeps these whole.
			cmd += " " + strings.Repeat("x", 9000+i)
		}
		exit := i
		err := AppendAudit(dir, Record{Mode: "shell", Cwd: "/w", Command: cmd, Decision: "allow", Exit: &exit, Rules: []string{"w" + worker}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

func TestAppendAuditConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns 50 processes")
	}
	dir := filepath.Join(t.TempDir(), "state", "guard")
	const procs, per = 50, 20
	cmds := make([]*exec.Cmd, procs)
	for p := range cmds {
		c := exec.Command(os.Args[0], "-test.run=^TestAuditHelperProcess$")
		c.Env = append(os.Environ(), auditHelperEnv+"="+dir, "GUARD_SANDBOX_AUDIT_WORKER="+strconv.Itoa(p))
		var stderr bytes.Buffer
		c.Stderr = &stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[p] = c
	}
	for p, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("worker %d: %v: %s", p, err, c.Stderr)
		}
	}

	f, err := os.Open(filepath.Join(dir, AuditFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d does not parse: %v: %.200q", lines, err, sc.Text())
		}
		fields := strings.Fields(r.Command)
		key := fields[1] + " " + fields[2]
		if seen[key] {
			t.Errorf("record %s twice", key)
		}
		seen[key] = true
		if r.Exit == nil || "seq="+strconv.Itoa(*r.Exit) != fields[2] {
			t.Errorf("record %s: exit %v does not belong to it", key, r.Exit)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines != procs*per || len(seen) != procs*per {
		t.Fatalf("got %d lines, %d distinct records, want %d", lines, len(seen), procs*per)
	}
	recs, err := ReadAudit(dir, AuditQuery{})
	if err != nil || len(recs) != procs*per {
		t.Fatalf("ReadAudit: %d records, %v", len(recs), err)
	}
}

func TestAppendAuditPermissionsAndFields(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if err := AppendAudit(dir, Record{Mode: "check", Cwd: "/p", Command: "cat <<EOF > x & y", Decision: "deny", Rules: []string{"fs.rm-home"}}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode %v, %v; want 0700", st.Mode().Perm(), err)
	}
	st, err = os.Stat(filepath.Join(dir, AuditFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("audit file mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, AuditFile))
	line := string(data)
	for _, want := range []string{`"command":"cat <<EOF > x & y"`, `"approval":"none"`, `"rules":["fs.rm-home"]`, `"mode":"check"`} {
		if !strings.Contains(line, want) {
			t.Errorf("line %s lacks %s", line, want)
		}
	}
	for _, absent := range []string{`"exit"`, `"agent"`} {
		if strings.Contains(line, absent) {
			t.Errorf("line %s has %s although it was not set", line, absent)
		}
	}
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
		t.Errorf("want exactly one line, got %q", line)
	}
}

func TestAppendAuditUnwritable(t *testing.T) {
	dir := t.TempDir()
	// A directory where the log should be: opening it for writing fails.
	if err := os.Mkdir(filepath.Join(dir, AuditFile), 0o700); err != nil {
		t.Fatal(err)
	}
	err := AppendAudit(dir, Record{Mode: "run", Decision: "allow"})
	if err == nil || !strings.Contains(err.Error(), AuditFile) {
		t.Fatalf("want an error naming the file, got %v", err)
	}
}

func TestReadAuditQuery(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	decisions := []string{"allow", "confirm", "deny", "allow", "confirm", "allow"}
	for i, d := range decisions {
		r := Record{Time: base.Add(time.Duration(i) * time.Minute), Mode: "shell", Command: "cmd" + strconv.Itoa(i), Decision: d}
		if err := AppendAudit(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	now := func() time.Time { return base.Add(5 * time.Minute) }
	cmds := func(recs []Record) string {
		var s []string
		for _, r := range recs {
			s = append(s, r.Command)
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		name string
		q    AuditQuery
		want string
	}{
		{"all", AuditQuery{}, "cmd0,cmd1,cmd2,cmd3,cmd4,cmd5"},
		{"last 2", AuditQuery{N: 2}, "cmd4,cmd5"},
		{"last 10", AuditQuery{N: 10}, "cmd0,cmd1,cmd2,cmd3,cmd4,cmd5"},
		{"allow", AuditQuery{Decision: "allow"}, "cmd0,cmd3,cmd5"},
		{"last allow", AuditQuery{Decision: "allow", N: 2}, "cmd3,cmd5"},
		{"since 2m", AuditQuery{Since: 2 * time.Minute, Now: now}, "cmd3,cmd4,cmd5"},
		{"since 2m confirm", AuditQuery{Since: 2 * time.Minute, Now: now, Decision: "confirm"}, "cmd4"},
		{"since 1h last 1", AuditQuery{Since: time.Hour, Now: now, N: 1}, "cmd5"},
		{"deny", AuditQuery{Decision: "deny"}, "cmd2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := ReadAudit(dir, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := cmds(recs); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}

	for _, q := range []AuditQuery{{Decision: "maybe"}, {N: -1}, {Since: -time.Hour}} {
		if _, err := ReadAudit(dir, q); err == nil {
			t.Errorf("%+v: want an error", q)
		}
	}
}

func TestReadAuditMissingAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	recs, err := ReadAudit(filepath.Join(dir, "nothing-yet"), AuditQuery{})
	if err != nil || len(recs) != 0 {
		t.Fatalf("missing log: %v, %v; want no records, no error", recs, err)
	}
	if err := AppendAudit(dir, Record{Command: "one", Decision: "allow", Mode: "run"}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, AuditFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("{not json\n\n{}\n")
	f.Close()
	if err := AppendAudit(dir, Record{Command: "two", Decision: "deny", Mode: "run"}); err != nil {
		t.Fatal(err)
	}
	// A torn last line without a newline.
	f, _ = os.OpenFile(filepath.Join(dir, AuditFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2025-`)
	f.Close()

	recs, err = ReadAudit(dir, AuditQuery{})
	var ce *CorruptLinesError
	if !errors.As(err, &ce) {
		t.Fatalf("want *CorruptLinesError, got %v", err)
	}
	if ce.Lines != 3 || ce.First != 2 {
		t.Errorf("corrupt lines %d first %d; want 3 first 2", ce.Lines, ce.First)
	}
	if len(recs) != 2 || recs[0].Command != "one" || recs[1].Command != "two" {
		t.Errorf("records %+v; want one, two", recs)
	}
}

func TestFormatAudit(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil || home == "/" {
		t.Skip("no home directory")
	}
	exit := 3
	recs := []Record{
		{Time: time.Date(2025, 3, 1, 12, 0, 0, 0, time.Local), Mode: "shell", Cwd: home + "/src/app", Command: "go test ./...", Decision: "allow", Approval: "none", Exit: &exit},
		{Time: time.Date(2025, 3, 1, 12, 1, 0, 0, time.Local), Mode: "hook", Cwd: "/srv", Command: "rm -rf /srv/data\n\x1b[2Jecho hi " + strings.Repeat("z", 200), Decision: "deny"},
	}
	var b bytes.Buffer
	FormatAudit(&b, recs, false)
	out := b.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want header and 2 lines, got %q", out)
	}
	for _, want := range []string{"TIME", "DECISION", "COMMAND"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header %q lacks %s", lines[0], want)
		}
	}
	for _, want := range []string{"Mar  1 12:00:00", "allow", "shell", " 3 ", "~/src/app", "go test ./..."} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("line %q lacks %q", lines[1], want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence reached the output: %q", out)
	}
	if !strings.Contains(lines[2], `rm -rf /srv/data\n\x1b[2Jecho hi`) || !strings.HasSuffix(lines[2], "…") {
		t.Errorf("command not escaped and truncated: %q", lines[2])
	}
	cmdStart := strings.Index(lines[2], "rm -rf")
	if n := len([]rune(lines[2][cmdStart:])); n != 100 {
		t.Errorf("command shown in %d runes, want 100", n)
	}
	if strings.Index(lines[1], "go test") != cmdStart {
		t.Errorf("command column not aligned:\n%s", out)
	}

	b.Reset()
	FormatAudit(&b, recs, true)
	if !strings.Contains(b.String(), ansiRed+"deny"+ansiReset) || !strings.Contains(b.String(), ansiGreen+"allow"+ansiReset) {
		t.Errorf("colour output lacks coloured decisions: %q", b.String())
	}

	b.Reset()
	FormatAudit(&b, nil, false)
	if b.Len() != 0 {
		t.Errorf("no records should print nothing, got %q", b.String())
	}
}

// TestAppendRecordMatchesEncodingJSON checks the hand-built audit line
// against encoding/json's encoding of the same Record.
func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	exit := 126
	strs := []string{
		"", "rm -rf ~", `say "hi" \ there`, "cat <<EOF > x\nline\tTab\rCR\nEOF",
		"\x00\x01\x07\b\f\x1f\x7f", "héllo wörld ✓ 𝄞", "bad \xff\xfe utf8 \xe2\x82",
		"line\u2028sep\u2029para", "<html>&amp;</html>", "curl -H 'Authorization: Bearer [redacted]'",
	}
	for i, s := range strs {
		r := Record{
			Time:     time.Date(2026, 11, 26, 8, 14, 52, 854000000+i, time.FixedZone("X", 3600*i)),
			Mode:     "shell",
			Cwd:      "/home/u/" + s,
			Command:  s,
			Decision: "confirm",
			Approval: "none",
		}
		if i%2 == 1 {
			r.Rules = []string{"fs.delete-home", s}
			r.Exit = &exit
			r.Agent = s
			r.Note = s
			r.Runs = []string{s, "touch /w/a"}
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := string(appendRecord(nil, r)); got != want.String() {
			t.Errorf("record %d:\n got %s\nwant %s", i, got, want.String())
		}
	}
}

// TestAppendAuditShortWriteLeavesNoPartialRecord: when the disk fills
// mid-record, the partial record is removed, so the next record (after
// space is freed) is whole and readable, and so is every earlier one.
func TestAppendAuditShortWriteLeavesNoPartialRecord(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	must(t, AppendAudit(dir, Record{Time: t0, Mode: "shell", Command: "ls", Decision: "allow"}))

	path := filepath.Join(dir, AuditFile)
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_APPEND, 0)
	must(t, err)
	line := appendRecord(nil, Record{Time: t0.Add(time.Second), Mode: "shell", Command: "make deploy", Decision: "confirm", Approval: "none"})
	full := func(fd int, b []byte) (int, error) {
		n, _ := unix.Write(fd, b[:len(b)/2])
		return n, unix.ENOSPC
	}
	err = appendLine(fd, line, true, full)
	unix.Close(fd)
	if !errors.Is(err, unix.ENOSPC) {
		t.Fatalf("appendLine on a full disk = %v; want ENOSPC", err)
	}

	must(t, AppendAudit(dir, Record{Time: t0.Add(2 * time.Second), Mode: "shell", Command: "rm -rf build", Decision: "allow"}))
	recs, err := ReadAudit(dir, AuditQuery{})
	if err != nil || len(recs) != 2 || recs[0].Command != "ls" || recs[1].Command != "rm -rf build" {
		t.Fatalf("ReadAudit = %+v, %v; want the two whole records and no damage", recs, err)
	}
}

// TestAppendAuditAfterTornTail: a log whose last record was torn (no final
// newline) gets the next record on its own line: the torn line is skipped
// with a note, no record is merged into it or lost.
func TestAppendAuditAfterTornTail(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	must(t, AppendAudit(dir, Record{Time: t0, Mode: "shell", Command: "ls", Decision: "allow"}))
	f, err := os.OpenFile(filepath.Join(dir, AuditFile), os.O_WRONLY|os.O_APPEND, 0)
	must(t, err)
	f.WriteString(`{"time":"2025-03-01T12:00:01Z","mode":"shell","comm`)
	f.Close()

	must(t, AppendAudit(dir, Record{Time: t0.Add(2 * time.Second), Mode: "shell", Command: "make test", Decision: "allow"}))
	recs, err := ReadAudit(dir, AuditQuery{})
	var corrupt *CorruptLinesError
	if !errors.As(err, &corrupt) || corrupt.Lines != 1 || corrupt.First != 2 {
		t.Fatalf("ReadAudit error = %v; want one skipped line, line 2", err)
	}
	if len(recs) != 2 || recs[0].Command != "ls" || recs[1].Command != "make test" {
		t.Fatalf("ReadAudit = %+v; want ls and make test", recs)
	}
}

// TestAuditRefusesPlantedLog: a symbolic link (to a file the agent wants
// appended to, or to /dev/zero) or a FIFO in place of the log is never
// written to or read from, and reading does not block or exhaust memory.
func TestAuditRefusesPlantedLog(t *testing.T) {
	for _, kind := range []string{"symlink to a file", "symlink to /dev/zero", "fifo"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, AuditFile)
			victim := filepath.Join(t.TempDir(), "bashrc")
			must(t, os.WriteFile(victim, []byte("# rc\n"), 0o600))
			switch kind {
			case "symlink to a file":
				must(t, os.Symlink(victim, path))
			case "symlink to /dev/zero":
				must(t, os.Symlink("/dev/zero", path))
			case "fifo":
				must(t, unix.Mkfifo(path, 0o600))
			}
			err := AppendAudit(dir, Record{Mode: "shell", Command: "ls", Decision: "allow"})
			if err == nil || !strings.Contains(err.Error(), "remove it") {
				t.Errorf("AppendAudit = %v; want a refusal saying what to do", err)
			}
			if data, _ := os.ReadFile(victim); string(data) != "# rc\n" {
				t.Errorf("the symlink's target was written: %q", data)
			}
			if _, err := ReadAudit(dir, AuditQuery{}); err == nil || !strings.Contains(err.Error(), "remove it") {
				t.Errorf("ReadAudit = %v; want a refusal", err)
			}
		})
	}
}

// TestReadAuditSkipsHugeLine: a line far longer than any record is
// skipped as damage, and the records around it are read.
func TestReadAuditSkipsHugeLine(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	must(t, AppendAudit(dir, Record{Time: t0, Mode: "shell", Command: "ls", Decision: "allow"}))
	f, err := os.OpenFile(filepath.Join(dir, AuditFile), os.O_WRONLY|os.O_APPEND, 0)
	must(t, err)
	f.Write(bytes.Repeat([]byte("x"), 3<<20))
	f.WriteString("\n")
	f.Close()
	must(t, AppendAudit(dir, Record{Time: t0.Add(time.Second), Mode: "shell", Command: "pwd", Decision: "allow"}))
	recs, err := ReadAudit(dir, AuditQuery{})
	var corrupt *CorruptLinesError
	if !errors.As(err, &corrupt) || corrupt.Lines != 1 || len(recs) != 2 {
		t.Fatalf("ReadAudit = %d records, %v; want 2 and one skipped line", len(recs), err)
	}
}

// TestAppendAuditCutsHugeCommand: a command too large to check is stored
// as its head, its length and its hash, not whole.
func TestAppendAuditCutsHugeCommand(t *testing.T) {
	dir := t.TempDir()
	huge := "echo " + strings.Repeat("y", 3<<20)
	must(t, AppendAudit(dir, Record{Mode: "shell", Command: StoredCommand(huge), Decision: "confirm"}))
	fi, err := os.Stat(filepath.Join(dir, AuditFile))
	must(t, err)
	if fi.Size() > 16<<10 {
		t.Errorf("the record of a %d-byte command is %d bytes; want it cut", len(huge), fi.Size())
	}
	recs, err := ReadAudit(dir, AuditQuery{})
	want := fmt.Sprintf("… (%d bytes, sha256 %s)", len(huge), CommandHash(huge))
	if err != nil || len(recs) != 1 || !strings.HasSuffix(recs[0].Command, want) || !strings.HasPrefix(recs[0].Command, "echo yyy") {
		t.Fatalf("ReadAudit = %d records, %v; want one ending in %q", len(recs), err, want)
	}
}

// TestAuditLogHolds: the judge's log holds allowed execs' records until
// flushed, auditHold has passed or auditBatch are held, then writes them
// (among other processes' records), opens the log anew once it was
// removed, and holds nothing once told to stop.
func TestAuditLogHolds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	log := newAuditLog(dir, "")
	defer log.close()
	count := func() int {
		t.Helper()
		recs, err := ReadAudit(dir, AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	allowed := func(cmd string) Record { return Record{Mode: "exec", Command: cmd, Decision: "allow"} }
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"held", func() { log.hold(allowed("cc -c f1.c")); log.hold(allowed("as f1.s")) }, 0},
		{"flushed", log.flush, 2},
		{"another process's", func() { AppendAudit(dir, Record{Mode: "run", Command: "make", Decision: "allow"}) }, 3},
		{"held again", func() { log.hold(allowed("ld")) }, 3},
		{"auditHold later", func() { time.Sleep(auditHold + 200*time.Millisecond) }, 4},
		{"a batch", func() {
			for i := range auditBatch {
				log.hold(allowed("cc -c f" + strconv.Itoa(i) + ".c"))
			}
		}, 4 + auditBatch},
		{"the log removed", func() { os.Remove(filepath.Join(dir, AuditFile)) }, 0},
		{"a record after", func() { log.hold(allowed("true")); log.flush() }, 1},
		{"stopped holding", func() { log.hold(allowed("sleep 1")); log.stopHolding(); log.hold(allowed("true")) }, 3},
	}
	for _, s := range steps {
		s.do()
		if got := count(); got != s.want {
			t.Fatalf("%s: %d records in the log, want %d", s.name, got, s.want)
		}
	}
	// Where the log cannot be opened, the records go the way writeAudit
	// sends them (here: nowhere), and nothing is held for good.
	bad := t.TempDir()
	if err := os.Mkdir(filepath.Join(bad, AuditFile), 0o700); err != nil {
		t.Fatal(err)
	}
	unopenable := newAuditLog(bad, "")
	unopenable.hold(allowed("true"))
	unopenable.flush()
	if len(unopenable.held) != 0 {
		t.Error("records still held after a flush")
	}
}
