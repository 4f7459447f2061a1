package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"

	"github.com/guard-dev/guard/env"
	"github.com/guard-dev/guard/internal/display"
	"github.com/guard-dev/guard/rules"
)

// sessionMsg is one message of the session's bash on the channel.
type sessionMsg struct {
	// pid sent it (as the kernel says, not as the message says).
	pid int
	// kind is "J" (judge a line: nonce, place in the input, option state,
	// history entry), "P" (judge an input of several lines as a whole
	// before bash reads it: nonce, text), "D" (definitions guard asked for)
	// or "B" (the integration is broken).
	kind   string
	fields []string
}

// sessionMsgFields returns the field count of a message kind, the kind
// included, and false for a kind guard does not know. Every field ends
// with a NUL byte, which bash strings cannot hold.
func sessionMsgFields(kind string) (int, bool) {
	switch kind {
	case "J":
		return 5, true
	case "P":
		return 3, true
	case "D":
		return 4, true
	case "B":
		return 2, true
	}
	return 0, false
}

// Bounds on what guard accepts on the channel.
const (
	sessionMaxMsg      = 8 << 20 // one message
	sessionMaxDefs     = 1 << 20 // definitions gathered for one line
	sessionDefRounds   = 4       // rounds of "need" for one line
	sessionMaxNames    = 512     // names asked about in one round
	sessionReplyWait   = 10 * time.Second
	sessionMaxNameSize = 64
)

// channelLoop reads the channel, checks who sent each chunk and hands
// whole messages to the worker. Chunks from different processes are kept
// apart, so another process writing on the channel cannot corrupt the
// judge's message; a process that is not the session's bash or one of its
// bash children is ignored.
func (r *sessionRun) channelLoop() {
	defer close(r.judging)
	bufs := map[int][]byte{}
	buf := make([]byte, 64<<10)
	oob := make([]byte, unix.CmsgSpace(unix.SizeofUcred))
	warned := map[int]bool{}
	for {
		n, oobn, _, _, err := unix.Recvmsg(r.chanFd, buf, oob, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return
		}
		pid := senderPid(oob[:oobn])
		if pid <= 0 || !r.trustedSender(pid) {
			if !warned[pid] {
				warned[pid] = true
				r.notice(fmt.Sprintf("guard: ignoring a message on the session's channel from process %d, which is not the session's bash", pid))
			}
			continue
		}
		b := append(bufs[pid], buf[:n]...)
		for {
			msg, rest, ok := parseSessionMsg(b)
			if !ok {
				break
			}
			msg.pid = pid
			b = rest
			r.judging <- msg
		}
		if len(b) > sessionMaxMsg {
			b = nil // a message this large is not one of ours
		}
		if len(b) == 0 {
			delete(bufs, pid)
		} else {
			bufs[pid] = b
		}
	}
}

// senderPid returns the pid in the SCM_CREDENTIALS of a received chunk.
func senderPid(oob []byte) int {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return 0
	}
	for i := range msgs {
		if cred, err := unix.ParseUnixCredentials(&msgs[i]); err == nil {
			return int(cred.Pid)
		}
	}
	return 0
}

// trustedSender reports whether pid is the session's bash or a child of it
// running bash (the judge runs in PS0's command substitution).
func (r *sessionRun) trustedSender(pid int) bool {
	if pid == r.bash.Pid {
		return true
	}
	if parentPid(pid) != r.bash.Pid {
		return false
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return err == nil && exe == r.bashExe
}

// parentPid reads the parent of pid from /proc; 0 when unknown.
func parentPid(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// parseSessionMsg takes one whole message off the front of b.
func parseSessionMsg(b []byte) (sessionMsg, []byte, bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return sessionMsg{}, b, false
	}
	kind := string(b[:i])
	want, ok := sessionMsgFields(kind)
	if !ok {
		// Not a message guard knows: drop up to the next field.
		return sessionMsg{}, b[i+1:], len(b) > i+1 && bytes.IndexByte(b[i+1:], 0) >= 0
	}
	var fields []string
	rest := b
	for len(fields) < want {
		j := bytes.IndexByte(rest, 0)
		if j < 0 {
			return sessionMsg{}, b, false
		}
		fields = append(fields, string(rest[:j]))
		rest = rest[j+1:]
	}
	return sessionMsg{kind: kind, fields: fields}, rest, true
}

// reply sends one line of answer to the judge.
func (r *sessionRun) reply(nonce, answer string) {
	line := []byte(nonce + " " + answer + "\n")
	for len(line) > 0 {
		n, err := unix.Write(r.chanFd, line)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		line = line[n:]
	}
}

// worker handles the messages of bash one at a time: a line is judged
// (and maybe asked about) before the next message is read.
func (r *sessionRun) worker() {
	for msg := range r.judging {
		switch msg.kind {
		case "B":
			if msg.pid == r.bash.Pid {
				r.end(display.Line(msg.fields[1]))
			}
		case "J":
			r.judgeLine(msg)
		case "P":
			if msg.pid == r.bash.Pid {
				r.judgeInput(msg)
			}
		}
		// A "D" outside a judgement answers nothing: ignored.
	}
}

// sessionInput is what guard knows about the input bash is reading its
// command lines from: the lines typed, pasted or recalled between two
// prompts, which bash reads and runs one at a time.
type sessionInput struct {
	// line is the place in the input of the last line judged (1 for the
	// first after a prompt).
	line int
	// ran: a line of this input was allowed. Its first command removed the
	// DEBUG trap, which PROMPT_COMMAND sets again only before the next
	// prompt.
	ran bool
	// stopped says why the lines left in the input do not run: a line of
	// it was refused, or bash ran one guard never judged.
	stopped string
	// approved is set when a human approved the input as a whole before
	// bash read it: its lines need no second approval while they come in
	// the order of its text, for the reasons the human was shown.
	approved approval
}

// approval is an input of several lines a human approved as a whole: what
// is left of its text, and the reasons they were asked about.
type approval struct {
	text    string
	reasons []string
}

// covers reports whether the human was asked about every reason v gives
// for a confirm.
func (a approval) covers(v rules.Verdict) bool {
	for _, why := range reasonList(v) {
		if !slices.Contains(a.reasons, why) {
			return false
		}
	}
	return true
}

// judgeInput judges an input of several lines as a whole, when Enter is
// pressed and before bash reads any of it: a paste whose later lines guard
// would refuse does not get to run its first ones. An input that is not a
// whole program (a continuation of a command begun at an earlier prompt)
// is left to the judgement of each line as bash reads it. Only refusals
// and approvals are recorded here; each line is recorded when it runs.
func (r *sessionRun) judgeInput(msg sessionMsg) {
	nonce, text := msg.fields[1], msg.fields[2]
	if !validNonce(nonce) {
		return
	}
	r.approved = approval{}
	if !wholeProgram(text) {
		r.reply(nonce, "allow")
		return
	}
	pol, cwd := r.s.Policy(), r.cwd()
	launches, v := r.judge(pol, msg.pid, nonce, text, cwd)
	if v.Decision == rules.Allow {
		r.reply(nonce, "allow")
		return
	}
	if !r.admit(pol, text, cwd, launches, v) {
		r.out.Lock()
		r.say("guard: no line of this input ran; Up brings it back to edit.\n")
		r.out.Unlock()
		r.reply(nonce, "refuse")
		return
	}
	r.approved = approval{text: text, reasons: reasonList(v)}
	r.reply(nonce, "allow")
}

// wholeProgram reports whether text parses as complete bash source.
func wholeProgram(text string) bool {
	_, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	return err == nil
}

// judgeLine judges one command line and answers the judge.
func (r *sessionRun) judgeLine(msg sessionMsg) {
	nonce, place, state, hist := msg.fields[1], msg.fields[2], msg.fields[3], msg.fields[4]
	if !validNonce(nonce) {
		return
	}
	n, err := strconv.Atoi(place)
	if err != nil || n < 1 {
		r.reply(nonce, "refuse")
		r.end("the judge sent no place in the input for the line (" + display.Line(place) + ")")
		return
	}
	in := r.nextInputLine(n)
	if state != sessionStateWant && !(n > 1 && in.ran && state == sessionStateOptions) {
		r.reply(nonce, "refuse")
		r.end("the options guard's session relies on were changed (" + display.Line(strings.TrimSpace(state)) + ")")
		return
	}
	num, line, ok := parseHistoryEntry(hist)
	if !ok || num <= r.lastLine {
		r.reply(nonce, "refuse")
		r.end("the command line is missing from bash's history, where guard reads it")
		return
	}
	r.lastLine = num
	pol, cwd := r.s.Policy(), r.cwd()
	if in.stopped != "" {
		r.skipLine(pol, line, cwd, in.stopped)
		r.reply(nonce, "refuse")
		return
	}
	launches, v := r.judge(pol, msg.pid, nonce, line, cwd)
	var run bool
	if r.input.takeApproved(line) && v.Decision == rules.Confirm && r.input.approved.covers(v) {
		// The human approved the input this line is part of, for these
		// reasons.
		run = true
		r.audit(pol, Record{Mode: "session", Cwd: cwd, Command: StoredCommand(line), Decision: v.Decision.String(),
			Rules: ruleIDs(v), Approval: "tty"})
	} else {
		run = r.admit(pol, line, cwd, launches, v)
	}
	if run {
		r.input.ran = true
		r.reply(nonce, "allow")
		return
	}
	r.input.stopped = "an earlier line of the same input was not run: " + display.Line(env.Redact(line))
	r.reply(nonce, "refuse")
}

// cwd is bash's working directory, where the line runs.
func (r *sessionRun) cwd() string {
	cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", r.bash.Pid))
	if err != nil {
		return ""
	}
	return cwd
}

// nextInputLine moves the input state to line n of an input (n counts
// from 1 after each prompt) and returns it. A line that bash read but
// guard never judged (its judge was interrupted) stops the rest of the
// input, as a refused line does. An approval of an input as a whole
// applies to the input that follows it, and to no other.
func (r *sessionRun) nextInputLine(n int) sessionInput {
	approved := r.approved
	r.approved = approval{}
	switch {
	case n == 1:
		r.input = sessionInput{approved: approved}
	case n != r.input.line+1 && r.input.stopped == "":
		r.input.stopped = "an earlier line of the same input was not judged"
	}
	r.input.line = n
	return r.input
}

// takeApproved reports whether line is the next command line of the text
// a human approved, and moves past it; any other line ends the approval.
// Blank and comment lines between commands, which bash runs nothing for,
// are skipped.
func (in *sessionInput) takeApproved(line string) bool {
	rest := skipInert(in.approved.text)
	line = strings.TrimLeft(line, " \t")
	if rest == "" || !strings.HasPrefix(rest, line) || len(rest) > len(line) && rest[len(line)] != '\n' {
		in.approved = approval{}
		return false
	}
	in.approved.text = rest[len(line):]
	return true
}

// skipInert drops the blank and comment lines at the start of text, and
// the blanks before its first command.
func skipInert(text string) string {
	for {
		text = strings.TrimLeft(text, " \t")
		if text == "" || text[0] != '\n' && text[0] != '#' {
			return text
		}
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
}

// skipLine tells the human that a line of an input is not run because an
// earlier line of it was not, and records it in the audit log.
func (r *sessionRun) skipLine(pol *SessionPolicy, line, cwd, why string) {
	shown := env.Redact(line)
	r.quiet()
	r.out.Lock()
	r.say("guard: not run: " + display.Line(shown) + " (" + why + ")\n")
	r.out.Unlock()
	code := ExitBlocked
	r.audit(pol, Record{Mode: "session", Cwd: cwd, Command: shown, Decision: rules.Deny.String(),
		Rules: []string{sessionStoppedRule}, Approval: "none", Exit: &code})
}

// sessionStoppedRule names, in the audit log, why a line of an input was
// not run: an earlier line of the same input was not.
const sessionStoppedRule = "session.input-stopped"

// audit appends a decision the session took without the gate.
func (r *sessionRun) audit(pol *SessionPolicy, rec Record) {
	if err := AppendAudit(pol.Gate.StateDir, rec); err != nil {
		r.out.Lock()
		r.say("guard: cannot write the audit log: " + err.Error() + "\n")
		r.out.Unlock()
	}
}

// judge analyses src with the functions and aliases it uses (asked of
// bash's process pid) and the session's rules.
func (r *sessionRun) judge(pol *SessionPolicy, pid int, nonce, src, cwd string) ([]rules.Launch, rules.Verdict) {
	defs, err := r.definitions(pid, nonce, src)
	if err != nil {
		return nil, rules.Verdict{Decision: rules.Confirm, Findings: []rules.Finding{{
			Rule: "meta.unknown", Decision: rules.Confirm, Command: src,
			Reason: "guard could not learn the functions and aliases the line uses (" + err.Error() + ")",
		}}}
	}
	res := pol.Checker.Check(rules.Command{Source: src, Cwd: cwd, Prelude: defs})
	return res.Launches, res.Verdict
}

// admit passes a judged line through the gate: it asks the human when the
// verdict is confirm, records the decision, and reports whether the line
// may run.
func (r *sessionRun) admit(pol *SessionPolicy, src, cwd string, launches []rules.Launch, v rules.Verdict) bool {
	gate := *pol.Gate
	gate.Mode = "session"
	gate.Stderr = crlfWriter{r.stdout}
	gate.OpenTTY = r.openTTY
	if v.Decision != rules.Allow {
		r.quiet()
	}
	if v.Decision == rules.Confirm {
		r.in.pause()
		defer r.in.resume()
	}
	r.out.Lock()
	ad := gate.Admit(context.Background(), Command{Source: src, Cwd: cwd, Launches: launches, Verdict: v}, nil)
	r.out.Unlock()
	return ad.Run
}

// openTTY gives the gate the outer terminal to ask on.
func (r *sessionRun) openTTY() (*os.File, error) {
	fd, err := unix.Dup(r.inFd)
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "/dev/tty"), nil
}

// definitions asks the judge for the functions and aliases of the names
// the line (and, in turn, those definitions) mentions, so that a call of a
// function defined on an earlier line is analysed with its body, and an
// alias with its text. It returns them as bash source: functions first
// (bash stores their bodies with aliases already expanded), then aliases.
func (r *sessionRun) definitions(pid int, nonce, line string) (string, error) {
	asked := map[string]bool{}
	var funcs, aliases strings.Builder
	text := line
	for round := 0; round < sessionDefRounds; round++ {
		names := defNames(text, asked)
		if len(names) == 0 {
			break
		}
		r.reply(nonce, "need "+strings.Join(names, " "))
		f, a, err := r.awaitDefs(pid, nonce)
		if err != nil {
			return "", err
		}
		funcs.WriteString(f)
		aliases.WriteString(a)
		if funcs.Len()+aliases.Len() > sessionMaxDefs {
			return "", fmt.Errorf("the definitions are over %d bytes", sessionMaxDefs)
		}
		text = f + a
	}
	if funcs.Len()+aliases.Len() == 0 {
		return "", nil
	}
	return funcs.String() + aliases.String(), nil
}

// awaitDefs waits for the judge's answer to "need".
// It returns the function definitions (declare -f) and the alias
// definitions (alias NAME) bash printed.
func (r *sessionRun) awaitDefs(pid int, nonce string) (funcs, aliases string, err error) {
	timeout := time.After(sessionReplyWait)
	for {
		select {
		case msg, ok := <-r.judging:
			if !ok {
				return "", "", fmt.Errorf("the session's channel closed")
			}
			if msg.kind == "D" && msg.pid == pid && msg.fields[1] == nonce {
				return msg.fields[2], msg.fields[3], nil
			}
			if msg.kind == "B" && msg.pid == r.bash.Pid {
				r.end(display.Line(msg.fields[1]))
			}
		case <-timeout:
			return "", "", fmt.Errorf("bash did not answer within %s", sessionReplyWait)
		}
	}
}

// defNames returns the words of text that could name a function or an
// alias and were not asked about yet.
func defNames(text string, asked map[string]bool) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		start = -1
		if len(w) > sessionMaxNameSize || asked[w] || len(out) >= sessionMaxNames {
			return
		}
		if w[0] == '-' || w[0] >= '0' && w[0] <= '9' {
			return
		}
		asked[w] = true
		out = append(out, w)
	}
	for i := 0; i < len(text); i++ {
		if nameByte(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// nameByte reports whether c may be part of a function or alias name as
// guard asks about it (no glob or shell syntax characters).
func nameByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '_' || c == '-' || c == '.' || c == ':' || c == '+' || c == '@' || c == '%' || c == ',':
		return true
	}
	return c >= 0x80
}

// validNonce reports whether a nonce is the judge's: digits only.
func validNonce(n string) bool {
	if n == "" || len(n) > 24 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// parseHistoryEntry reads the output of "history 1" (with an empty
// HISTTIMEFORMAT): "%5d%c %s\n", the number, '*' or ' ', a space and the
// line as typed (several lines for a multi-line command).
func parseHistoryEntry(h string) (int, string, bool) {
	s := strings.TrimLeft(h, " ")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i+2 > len(s) || (s[i] != ' ' && s[i] != '*') || s[i+1] != ' ' {
		return 0, "", false
	}
	num, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, "", false
	}
	line := strings.TrimSuffix(s[i+2:], "\n")
	return num, line, true
}
