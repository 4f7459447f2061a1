package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/internal/safefile"
	"github.com/guard-dev/guard/rules"
)

// One approval for every layer of one call.
//
// An agent's harness often runs guard twice for one command: Codex's
// snapshot wrapper ends in "exec bash -c CMD", and bash on the PATH is
// guard, which judges CMD again. The outer guard's analysis followed the
// inner shell, so the human who approved the outer call approved CMD too.
// When the outer guard admits a call on a human's yes, it puts a call token
// in the environment of the real shell (CallEnv): a list of what was
// approved (the plan's step and file digests), bound to the process that
// runs the call (its pid and start time), signed with guard's key. A guard
// started inside that process tree accepts it for a command it would ask
// about when what it runs is covered by the token (Covers), and passes the
// token on; anywhere else the token is worthless:
//
//   - it names the approved call's process, which must be the guard that
//     reads it (the call's shell exec'd guard) or an ancestor of it, with
//     the same start time: a copy of the
//     token used by another command, or by a process the call left behind
//     after it ended, is refused;
//   - it covers only the commands the human approved; anything beyond them
//     must be allowed on its own;
//   - it is signed with guard's key, which what guard runs cannot read
//     (self.read-key), so it cannot be written or extended.

// CallEnv holds the call token in the environment of an approved call.
const CallEnv = "GUARD_CALL"

// callDomain separates call-token signatures from guard's others.
const callDomain = "guard call v1"

// maxCallItems bounds the digests a token holds: an environment string
// may be at most 128 KiB. A larger plan gets no token, and an inner guard
// asks again.
const maxCallItems = 3000

// shortDigest is the part of a digest a token keeps: 64 bits, plenty
// against a command made to collide with an approved one's digest.
func shortDigest(d string) string {
	if len(d) > 16 {
		return d[:16]
	}
	return d
}

// MintCall returns the call token for plan, approved by a human, run by
// process pid (guard's own, which becomes the real shell), and false when
// there is none to give (the plan is too large, the key or the process
// cannot be read).
func MintCall(stateDir string, pid int, plan rules.Plan) (string, bool) {
	if len(plan.Steps)+len(plan.Files) > maxCallItems || len(plan.Steps) == 0 {
		return "", false
	}
	start, err := procStart(pid)
	if err != nil {
		return "", false
	}
	key, err := safefile.Key(stateDir)
	if err != nil {
		return "", false
	}
	steps := make([]string, len(plan.Steps))
	for i, s := range plan.Steps {
		steps[i] = shortDigest(s.Digest)
	}
	files := make([]string, len(plan.Files))
	for i, f := range plan.Files {
		files[i] = shortDigest(f.SHA256) + ":" + pathDigest(f.Path)
	}
	fields := []string{strconv.Itoa(pid), strconv.FormatInt(start, 10), strings.Join(steps, ","), strings.Join(files, ",")}
	mac := safefile.Sign(key, callDomain, bytesOf(fields)...)
	return strings.Join(append([]string{"v1"}, append(fields, mac)...), "."), true
}

// AcceptCall reports whether token, read from this guard's environment,
// lets a call with plan run: it is guard's, its process is this one or an
// ancestor and still the same process, and it covers the plan. why says,
// for the audit log, why a token was refused ("" when there was none).
func AcceptCall(stateDir, token string, plan rules.Plan) (ok bool, why string) {
	if token == "" {
		return false, ""
	}
	parts := strings.Split(token, ".")
	if len(parts) != 6 || parts[0] != "v1" {
		return false, "the call token is malformed"
	}
	key, err := safefile.Key(stateDir)
	if err != nil {
		return false, "guard's key cannot be read"
	}
	if !safefile.Verify(key, parts[5], callDomain, bytesOf(parts[1:5])...) {
		return false, "the call token is not signed by guard"
	}
	pid, err1 := strconv.Atoi(parts[1])
	start, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return false, "the call token is malformed"
	}
	if !inCall(pid) {
		return false, "the call token is from another process tree"
	}
	if now, err := procStart(pid); err != nil || now != start {
		return false, "the call the token was given to has ended"
	}
	approved := map[string]bool{}
	for _, d := range strings.Split(parts[3], ",") {
		approved[d] = true
	}
	read := map[string]string{}
	if parts[4] != "" {
		for _, f := range strings.Split(parts[4], ",") {
			d, p, _ := strings.Cut(f, ":")
			read[p] = d
		}
	}
	for _, f := range plan.Files {
		if d, ok := read[pathDigest(f.Path)]; ok && d != shortDigest(f.SHA256) {
			return false, "a file it reads changed since the call was approved"
		}
	}
	v := plan.Beyond(func(d string) bool { return approved[shortDigest(d)] })
	if v.Decision != rules.Allow {
		return false, ""
	}
	return true, ""
}

// pathDigest is a short digest of a path, so that a token does not carry
// the paths themselves.
func pathDigest(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:8])
}

func bytesOf(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// inCall reports whether pid is this process or one of its ancestors:
// the approved call's shell may exec guard itself ("exec bash -c CMD"), or
// start it as a child.
func inCall(pid int) bool {
	seen := 0
	for p := os.Getpid(); p > 1 && seen < maxAncestors; seen++ {
		if p == pid {
			return true
		}
		next, err := procParent(p)
		if err != nil {
			return false
		}
		p = next
	}
	return false
}

// procStart returns the start time of pid (field 22 of /proc/PID/stat, in
// clock ticks since boot): with the pid, it names one process, even after
// the pid is reused.
func procStart(pid int) (int64, error) {
	n, err := procStatField(pid, 19)
	if err != nil {
		return 0, fmt.Errorf("start time of %d: %w", pid, err)
	}
	return int64(n), nil
}
