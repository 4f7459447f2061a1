package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"os"
	"time"
)

// AuditRelayEnv names the socket a fenced command's tree sends its audit
// records to. The write fence keeps the tree from writing guard's state
// directory, so a guard started inside it (a script's #!/usr/bin/env bash
// when guard is bash on PATH, git running a hook) cannot append to the
// audit log itself; the guard that put the fence up stays the tree's
// parent (runFenced) and appends what it receives, from a thread the fence
// does not confine. The socket is an abstract unix datagram socket: no
// file, so nothing for the fence to refuse, and a name only the tree is
// told.
//
// Anything in the tree can send to it, so a relayed record is marked as
// such in its note: it is what the tree said it ran, not what guard saw.
const AuditRelayEnv = "GUARD_AUDIT_RELAY"

// relayNote starts the note of every relayed record.
const relayNote = "relayed from inside the write fence"

// maxRelayed bounds one relayed record: a command is stored cut at 64 KiB
// (StoredCommand), which leaves room for the rest of the record.
const maxRelayed = 256 << 10

// auditRelay receives the audit records of a fenced tree.
type auditRelay struct {
	name string
	conn *net.UnixConn
	done chan struct{}
	// end is what stop sends to end serve once everything sent before
	// it is read: datagrams arrive in order. It is random, so that the
	// tree cannot end the relay early.
	end []byte
}

// startAuditRelay listens on a fresh abstract socket and appends what
// arrives to the audit log in stateDir (or, when this guard is itself
// fenced, passes it on to parent, the relay it was given).
func startAuditRelay(stateDir, parent string) (*auditRelay, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	name := "guard-audit-" + hex.EncodeToString(b[:])
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: "@" + name, Net: "unixgram"})
	if err != nil {
		return nil, err
	}
	end := make([]byte, 16)
	if _, err := rand.Read(end); err != nil {
		conn.Close()
		return nil, err
	}
	r := &auditRelay{name: name, conn: conn, done: make(chan struct{}), end: end}
	go r.serve(stateDir, parent)
	return r, nil
}

func (r *auditRelay) serve(stateDir, parent string) {
	defer close(r.done)
	buf := make([]byte, maxRelayed)
	for {
		n, _, err := r.conn.ReadFromUnix(buf)
		if err != nil || bytes.Equal(buf[:n], r.end) {
			return
		}
		var rec Record
		if json.Unmarshal(buf[:n], &rec) != nil || rec.Command == "" {
			continue
		}
		rec.Command = StoredCommand(rec.Command)
		if rec.Note == "" {
			rec.Note = relayNote
		} else if len(rec.Note) < len(relayNote) || rec.Note[:len(relayNote)] != relayNote {
			rec.Note = relayNote + "; " + rec.Note
		}
		writeAudit(stateDir, rec, parent)
	}
}

// stop takes what the tree sent before it ended and closes the socket.
func (r *auditRelay) stop() {
	if c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: "@" + r.name, Net: "unixgram"}); err == nil {
		c.Write(r.end)
		c.Close()
	}
	// A full buffer or a failed send must not hold guard up.
	r.conn.SetReadDeadline(time.Now().Add(time.Second))
	<-r.done
	r.conn.Close()
}

// writeAudit appends rec to the audit log in stateDir; when the log
// cannot be opened (this guard runs inside a write fence) and relay names
// the socket of the guard that fenced it, rec goes there instead.
func writeAudit(stateDir string, rec Record, relay string) error {
	err := AppendAudit(stateDir, rec)
	if err == nil || relay == "" || !errors.Is(err, os.ErrPermission) {
		return err
	}
	if rerr := sendAudit(relay, rec); rerr != nil {
		return errors.Join(err, rerr)
	}
	return nil
}

// sendAudit sends rec to the relay socket named name.
func sendAudit(name string, rec Record) error {
	if rec.Time.IsZero() {
		rec.Time = time.Now()
	}
	msg, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if len(msg) > maxRelayed {
		return errors.New("audit relay: record too large")
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: "@" + name, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write(msg)
	return err
}
