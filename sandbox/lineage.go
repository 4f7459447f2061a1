package sandbox

import (
	"bytes"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// lineage names the processes above an exec, up to guard, for the audit
// log's " < 812 make < 811 bash". It is on the path of every exec the
// judge answers, and /proc/PID/stat costs tens of microseconds a read on
// a virtual machine, so the processes above (make, bash: few, long-lived,
// each starting many) are remembered by a pidfd, which names one process
// whatever becomes of its pid: asking the pidfd (PIDFD_GET_INFO, Linux
// 6.13) for its parent is one system call, and fails once it has exited.
// A remembered process is forgotten when it execs (the judge sees every
// exec of the tree: forget), which changes its name.
//
// Only the judge's serving goroutine uses it.
type lineage struct {
	self  int
	known map[int]*forebear
	// noInfo is set once PIDFD_GET_INFO fails as unsupported: every
	// process is read from /proc/PID/stat then.
	noInfo bool
	buf    []byte
}

// forebear is a process above an exec that the lineage remembers.
type forebear struct {
	pidfd int
	comm  string
}

// maxKnown bounds the remembered processes (and their descriptors).
const maxKnown = 64

func newLineage(self int) *lineage {
	return &lineage{self: self, known: map[int]*forebear{}, buf: make([]byte, 1024)}
}

// forget drops what is remembered of pid: it execs.
func (l *lineage) forget(pid int) {
	if f := l.known[pid]; f != nil {
		unix.Close(f.pidfd)
		delete(l.known, pid)
	}
}

// chain is the processes above pid, up to guard (not included) and at
// most 8: " < 812 make < 811 bash".
func (l *lineage) chain(pid int) string {
	ppid, ok := l.parentOf(pid)
	if !ok {
		return ""
	}
	var b strings.Builder
	for i := 0; i < 8 && ppid != l.self && ppid > 1; i++ {
		comm, next, ok := l.lookUp(ppid)
		if !ok {
			break
		}
		b.WriteString(" < ")
		b.WriteString(strconv.Itoa(ppid))
		b.WriteByte(' ')
		b.WriteString(comm)
		ppid = next
	}
	return b.String()
}

// parentOf is the parent of pid, which is not remembered: it is the
// process that execs.
func (l *lineage) parentOf(pid int) (int, bool) {
	if !l.noInfo {
		if fd, err := unix.PidfdOpen(pid, 0); err == nil {
			ppid, err := l.infoParent(fd)
			unix.Close(fd)
			if err == nil {
				return ppid, true
			}
			if !l.noInfo {
				return 0, false // it exited
			}
		}
	}
	_, ppid, ok := l.stat(pid)
	return ppid, ok
}

// lookUp is the name and parent of pid, a process above an exec.
func (l *lineage) lookUp(pid int) (comm string, ppid int, ok bool) {
	if f := l.known[pid]; f != nil {
		if ppid, err := l.infoParent(f.pidfd); err == nil {
			return f.comm, ppid, true
		}
		l.forget(pid) // it exited: the pid may be another process's now
	}
	if l.noInfo {
		return l.stat(pid)
	}
	// The pidfd first, then the name, then the pidfd still alive: the
	// name read is the pidfd's process's, not a successor's on its pid.
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return l.stat(pid)
	}
	comm, _, ok = l.stat(pid)
	if ok {
		ppid, err = l.infoParent(fd)
		ok = err == nil
	}
	if !ok || l.noInfo {
		unix.Close(fd)
		if l.noInfo {
			return l.stat(pid)
		}
		return "", 0, false
	}
	if len(l.known) >= maxKnown {
		for p := range l.known {
			l.forget(p)
		}
	}
	l.known[pid] = &forebear{pidfd: fd, comm: comm}
	return comm, ppid, true
}

// infoParent asks pidfd for its process's parent (PIDFD_GET_INFO). An
// error says the process exited, or, with noInfo set, that the kernel
// cannot say.
func (l *lineage) infoParent(pidfd int) (int, error) {
	info := unix.PidfdInfo{Mask: unix.PIDFD_INFO_PID}
	for {
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(pidfd), unix.PIDFD_GET_INFO, uintptr(unsafe.Pointer(&info)))
		switch errno {
		case 0:
			return int(info.Ppid), nil
		case unix.EINTR:
			continue
		case unix.ENOTTY, unix.EINVAL, unix.EOPNOTSUPP:
			l.noInfo = true
		}
		return 0, errno
	}
}

// stat reads the name and parent of pid from /proc/PID/stat, with plain
// system calls into a reused buffer.
func (l *lineage) stat(pid int) (comm string, ppid int, ok bool) {
	fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", 0, false
	}
	n, err := unix.Read(fd, l.buf)
	unix.Close(fd)
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return parseStat(l.buf[:n])
}

// parseStat reads the name and parent out of a /proc/PID/stat line:
// "PID (COMM) STATE PPID ...", where COMM may hold spaces and parentheses.
func parseStat(s []byte) (comm string, ppid int, ok bool) {
	open, close := bytes.IndexByte(s, '('), bytes.LastIndexByte(s, ')')
	if open < 0 || close < open || close+4 > len(s) {
		return "", 0, false
	}
	rest := s[close+4:] // past ") S "
	end := bytes.IndexByte(rest, ' ')
	if end < 0 {
		end = len(rest)
	}
	ppid, err := strconv.Atoi(string(rest[:end]))
	if err != nil {
		return "", 0, false
	}
	return string(s[open+1 : close]), ppid, true
}
