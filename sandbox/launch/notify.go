package launch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Notif is one exec the exec filter stopped (struct seccomp_notif).
type Notif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Nr    int32
	Arch  uint32
	IP    uint64
	Args  [6]uint64
}

// notifResp is struct seccomp_notif_resp.
type notifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}

// Listener is the supervisor's end of the exec filter: the descriptor
// InstallExecFilter returned.
type Listener struct{ fd int }

// NewListener wraps the descriptor fd.
func NewListener(fd int) *Listener { return &Listener{fd: fd} }

// Close closes the listener: every exec still waiting, and every later
// one in the tree, fails with ENOSYS.
func (l *Listener) Close() error { return unix.Close(l.fd) }

// ErrOrphaned is what Recv returns once no process the filter watches is
// left: no exec will stop again.
var ErrOrphaned = errors.New("no process the exec filter watches is left")

// Recv waits for the next stopped exec. It returns ErrOrphaned once the
// filter has no process left: the kernel (6.6 and later) then fails RECV
// with ENOENT at once, every time, and a retry would spin on it.
func (l *Listener) Recv() (Notif, error) {
	for {
		var n Notif // the kernel wants it zeroed
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_RECV, uintptr(unsafe.Pointer(&n)))
		switch errno {
		case 0:
			return n, nil
		case unix.EINTR:
			continue
		case unix.ENOENT:
			// The process died between the notification and our read,
			// or no process is left (the listener polls POLLHUP).
			if l.orphaned() {
				return n, ErrOrphaned
			}
			continue
		}
		return n, errno
	}
}

// ErrStopped is Next's answer when its stop descriptor became readable.
var ErrStopped = errors.New("the supervisor was asked to stop")

// Next waits for the next stopped exec and reads it, unless stop (a
// descriptor, or -1) becomes readable first (ErrStopped) or no process
// the filter watches is left (ErrOrphaned). Unlike Recv it never blocks in
// the kernel's read: a supervisor that stops after Next returned has no
// exec it read and did not answer.
func (l *Listener) Next(stop int) (Notif, error) {
	for {
		fds := []unix.PollFd{{Fd: int32(l.fd), Events: unix.POLLIN}, {Fd: int32(stop), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, -1); err != nil {
			if err == unix.EINTR {
				continue
			}
			return Notif{}, err
		}
		if fds[1].Revents != 0 {
			return Notif{}, ErrStopped
		}
		if fds[0].Revents&unix.POLLIN == 0 {
			if fds[0].Revents&unix.POLLHUP != 0 {
				return Notif{}, ErrOrphaned
			}
			return Notif{}, fmt.Errorf("the exec filter's listener failed (poll events %#x)", fds[0].Revents)
		}
		var n Notif // the kernel wants it zeroed
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_RECV, uintptr(unsafe.Pointer(&n)))
		switch errno {
		case 0:
			return n, nil
		case unix.EINTR, unix.ENOENT:
			continue // its process died meanwhile: poll again
		}
		return n, errno
	}
}

// Fd is the listener's descriptor.
func (l *Listener) Fd() int { return l.fd }

// orphaned reports whether the filter has no process left: its listener
// polls POLLHUP.
func (l *Listener) orphaned() bool {
	fds := []unix.PollFd{{Fd: int32(l.fd), Events: unix.POLLIN}}
	for {
		_, err := unix.Poll(fds, 0)
		if err == unix.EINTR {
			continue
		}
		return err == nil && fds[0].Revents&unix.POLLHUP != 0
	}
}

// Valid reports whether the exec id still waits: its process has not
// died, and its pid has not gone to another process.
func (l *Listener) Valid(id uint64) bool {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_ID_VALID, uintptr(unsafe.Pointer(&id)))
	return errno == 0
}

// Continue lets exec id go ahead as the process asked.
func (l *Listener) Continue(id uint64) error {
	return l.send(notifResp{ID: id, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE})
}

// Fail makes exec id fail with errno e, without running anything.
func (l *Listener) Fail(id uint64, e unix.Errno) error {
	return l.send(notifResp{ID: id, Error: -int32(e)})
}

func (l *Listener) send(r notifResp) error {
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(l.fd), unix.SECCOMP_IOCTL_NOTIF_SEND, uintptr(unsafe.Pointer(&r)))
	if errno != 0 && errno != unix.ENOENT { // ENOENT: it died meanwhile
		return errno
	}
	return nil
}

// Limits on what is read of a stopped exec: beyond them the exec is not
// judged from a part, it is refused (ErrTooLong).
const (
	MaxPath   = 4096
	MaxArgs   = 4096
	MaxArgv   = 1 << 20 // bytes of all arguments together
	pageBytes = 4096
)

// ErrTooLong says an exec's path or arguments are beyond the limits.
var ErrTooLong = errors.New("the program's path or arguments are longer than guard reads")

// Memory reads another process's memory: process_vm_readv, and
// /proc/PID/mem where that is refused.
type Memory struct {
	pid int
	mem *os.File // opened on the first fallback
	buf []byte
}

// NewMemory reads the memory of pid.
func NewMemory(pid int) *Memory { return &Memory{pid: pid} }

// Close releases what m opened.
func (m *Memory) Close() {
	if m.mem != nil {
		m.mem.Close()
	}
}

// read fills p from address addr, all of it or an error.
func (m *Memory) read(addr uint64, p []byte) error {
	if m.mem == nil {
		local := []unix.Iovec{{Base: &p[0]}}
		local[0].SetLen(len(p))
		remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(p)}}
		n, err := unix.ProcessVMReadv(m.pid, local, remote, 0)
		if err == nil && n == len(p) {
			return nil
		}
		if err == nil || !errors.Is(err, unix.EPERM) && !errors.Is(err, unix.ENOSYS) {
			return fmt.Errorf("cannot read the memory of process %d: %v", m.pid, err)
		}
		f, ferr := os.Open("/proc/" + strconv.Itoa(m.pid) + "/mem")
		if ferr != nil {
			return fmt.Errorf("cannot read the memory of process %d: %v", m.pid, err)
		}
		m.mem = f
	}
	n, err := m.mem.ReadAt(p, int64(addr))
	if n == len(p) {
		return nil
	}
	return fmt.Errorf("cannot read the memory of process %d: %v", m.pid, err)
}

// String reads the NUL-terminated string at addr, at most max bytes. It
// reads up to each page's end, so a string that ends right before an
// unmapped page is read whole.
func (m *Memory) String(addr uint64, max int) (string, error) {
	if addr == 0 {
		return "", nil
	}
	if cap(m.buf) < pageBytes {
		m.buf = make([]byte, pageBytes)
	}
	var out []byte
	for len(out) <= max {
		chunk := pageBytes - int(addr%pageBytes)
		p := m.buf[:chunk]
		if err := m.read(addr, p); err != nil {
			return "", err
		}
		if i := bytes.IndexByte(p, 0); i >= 0 {
			out = append(out, p[:i]...)
			if len(out) > max {
				break
			}
			return string(out), nil
		}
		out = append(out, p...)
		addr += uint64(chunk)
	}
	return "", ErrTooLong
}

// Argv reads the NULL-terminated array of string pointers at addr (an
// exec's argv), within MaxArgs and MaxArgv; ptr is the size of a pointer
// in the process: 8, or 4 for an i386 program. The pointers are read 64
// at a time, and the strings they point to all at once (gather): an exec's
// argv costs two or three system calls, not one per argument.
func (m *Memory) Argv(addr uint64, ptr int) ([]string, error) {
	if addr == 0 {
		return nil, nil
	}
	var addrs []uint64
	ptrs := make([]byte, 8*64)
	for done := false; !done; {
		// Up to 64 pointers at a time, never across a page end.
		n := min(len(ptrs), pageBytes-int(addr%pageBytes))
		if err := m.read(addr, ptrs[:n]); err != nil {
			return nil, err
		}
		for i := 0; i+ptr <= n; i += ptr {
			p := uint64(binary.LittleEndian.Uint32(ptrs[i:]))
			if ptr == 8 {
				p = binary.LittleEndian.Uint64(ptrs[i:])
			}
			if p == 0 {
				done = true
				break
			}
			if len(addrs) == MaxArgs {
				return nil, ErrTooLong
			}
			addrs = append(addrs, p)
		}
		addr += uint64(n)
	}
	return m.strings(addrs, MaxArgv)
}

// gatherBytes is how much of each string gather reads: most arguments are
// shorter, and a longer one is read on from where it was cut.
const gatherBytes = 256

// strings reads the NUL-terminated strings at addrs, at most max bytes
// together with their NULs. Their first gatherBytes (never across a page
// end) are read with one process_vm_readv per 1024 strings; a string not
// ended there, or not read (a fault stops the call), is read on by
// String, which reports the error.
func (m *Memory) strings(addrs []uint64, max int) ([]string, error) {
	heads := m.gather(addrs)
	out := make([]string, len(addrs))
	total := 0
	for i, a := range addrs {
		h := heads[i]
		var s string
		if j := bytes.IndexByte(h, 0); j >= 0 {
			s = string(h[:j])
		} else {
			rest, err := m.String(a+uint64(len(h)), max-total-len(h))
			if err != nil {
				return nil, err
			}
			s = string(h) + rest
		}
		if len(s) > max-total {
			return nil, ErrTooLong
		}
		total += len(s) + 1
		out[i] = s
	}
	return out, nil
}

// gather reads the first gatherBytes at each of addrs (cut at the page
// end) and returns what it read of each: a head is short, or empty, where
// the read stopped, and every head is empty when process_vm_readv is
// refused (m reads /proc/PID/mem then, through String).
func (m *Memory) gather(addrs []uint64) [][]byte {
	heads := make([][]byte, len(addrs))
	if m.mem != nil || len(addrs) == 0 {
		return heads
	}
	const iovMax = 1024
	lens := make([]int, len(addrs))
	total := 0
	for i, a := range addrs {
		lens[i] = min(gatherBytes, pageBytes-int(a%pageBytes))
		total += lens[i]
	}
	buf := make([]byte, total)
	remote := make([]unix.RemoteIovec, 0, min(len(addrs), iovMax))
	off := 0
	for start := 0; start < len(addrs); start += iovMax {
		end := min(start+iovMax, len(addrs))
		remote = remote[:0]
		want := 0
		for i := start; i < end; i++ {
			remote = append(remote, unix.RemoteIovec{Base: uintptr(addrs[i]), Len: lens[i]})
			want += lens[i]
		}
		local := []unix.Iovec{{Base: &buf[off]}}
		local[0].SetLen(want)
		got, err := unix.ProcessVMReadv(m.pid, local, remote, 0)
		if err != nil {
			return heads
		}
		for i, r := range remote {
			n := min(r.Len, max(got, 0))
			heads[start+i] = buf[off : off+n : off+n]
			off += r.Len
			got -= r.Len
		}
		if got < 0 {
			return heads // the rest were not read
		}
	}
	return heads
}
