package launch

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// System call numbers the exec filter watches on i386, whose programs run
// on an x86-64 kernel with AUDIT_ARCH_I386 and numbers of their own.
const (
	i386Execve   = 11
	i386Execveat = 358
	i386Seccomp  = 354
)

// ExecProgram returns the exec judge's filter (ARCHITECTURE.md, "The exec
// judge"): execve and execveat stop and wait for the supervisor
// (SECCOMP_RET_USER_NOTIF), on the native architecture and, on x86-64,
// on i386 too; seccomp(SECCOMP_SET_MODE_FILTER) asking for a listener of
// its own fails with EBUSY, so nothing in the tree can put a supervisor of
// its own between guard's and the kernel; every other call is allowed.
// x32 system calls fail with EPERM (an x32 execve would otherwise be a
// call the filter does not know) and any other architecture kills the
// process: a filter that watches exec cannot wave through an ABI whose
// numbers it does not know.
func ExecProgram() ([]unix.SockFilter, error) {
	arch, x32, ok := native()
	if !ok {
		return nil, fmt.Errorf("guard's exec judge is not built for %s", runtime.GOARCH)
	}
	type abi struct {
		arch                    uint32
		execve, execveat, scomp uint32
	}
	abis := []abi{{arch, unix.SYS_EXECVE, unix.SYS_EXECVEAT, unix.SYS_SECCOMP}}
	if arch == unix.AUDIT_ARCH_X86_64 {
		abis = append(abis, abi{unix.AUDIT_ARCH_I386, i386Execve, i386Execveat, i386Seccomp})
	}
	ld := func(off uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: off}
	}
	jeq := func(k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, K: k, Jt: jt, Jf: jf}
	}
	jset := func(k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K, K: k, Jt: jt, Jf: jf}
	}
	ret := func(k uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: k}
	}
	const (
		notify = unix.SECCOMP_RET_USER_NOTIF
		allow  = unix.SECCOMP_RET_ALLOW
		busy   = unix.SECCOMP_RET_ERRNO | uint32(unix.EBUSY)
		eperm  = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
		kill   = unix.SECCOMP_RET_KILL_PROCESS
	)
	// Each architecture's block is 13 instructions long:
	//
	//	0  ld arch; jeq A ? 1 : 13 (the next block)
	//	2  ld nr
	//	3  [x86-64 only, else a jump-never] jset x32 ? ret eperm
	//	5  jeq execve ? notify; jeq execveat ? notify
	//	7  jeq seccomp ? 8 : allow
	//	8  ld args[0] low; jeq SET_MODE_FILTER ? 10 : allow
	//	10 ld args[1] low; jset NEW_LISTENER ? busy : allow
	//
	// with the returns after it. The last instruction kills: no block took
	// the architecture.
	var prog []unix.SockFilter
	for _, a := range abis {
		b := []unix.SockFilter{
			ld(offArch),
			jeq(a.arch, 0, 0), // jf patched below
			ld(offNr),
		}
		if a.arch == unix.AUDIT_ARCH_X86_64 && x32 {
			b = append(b, jset(x32Bit, 0, 1), ret(eperm))
		}
		b = append(b,
			jeq(a.execve, 0, 1), ret(notify),
			jeq(a.execveat, 0, 1), ret(notify),
			jeq(a.scomp, 1, 0), ret(allow),
			ld(offArgs+argLow),
			jeq(unix.SECCOMP_SET_MODE_FILTER, 1, 0), ret(allow),
			ld(offArgs+8+argLow),
			jset(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER, 0, 1), ret(busy),
			ret(allow),
		)
		b[1].Jf = uint8(len(b) - 2)
		prog = append(prog, b...)
	}
	prog = append(prog, ret(kill))
	return prog, nil
}

// ErrListenerTaken is what InstallExecFilter returns when the kernel
// refuses a second listener in this process's filter chain: guard runs
// inside another guard's exec judge, or under another supervisor (LXD,
// agentsh).
var ErrListenerTaken = errors.New("another seccomp supervisor already watches this process (EBUSY)")

// InstallExecFilter puts ExecProgram on the calling thread only (no
// TSYNC: guard's other threads, among them the supervisor's, stay
// unwatched), setting no_new_privs first unless guard has CAP_SYS_ADMIN, and returns the
// listener's descriptor. The caller has locked its goroutine to the thread
// and must keep it locked until the goroutine ends: the thread, and
// everything forked from it, is watched for good. Go creates new threads
// from its template thread while a goroutine is locked, so they do not
// inherit the filter. The kernel's WAIT_KILLABLE_RECV (Linux 5.19), under
// which a watched process can still be killed while it waits, is asked
// for where it exists.
func InstallExecFilter() (int, error) {
	noNewPrivs := !capSysAdmin()
	insns, err := ExecProgram()
	if err != nil {
		return -1, err
	}
	fprog := unix.SockFprog{Len: uint16(len(insns)), Filter: &insns[0]}
	if noNewPrivs {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return -1, fmt.Errorf("cannot set no_new_privs: %w", err)
		}
	}
	flags := uintptr(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
	for {
		fd, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
		switch {
		case errno == 0:
			return int(fd), nil
		case errno == unix.EINVAL && flags&unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV != 0:
			flags &^= unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
			continue
		case errno == unix.EBUSY:
			return -1, ErrListenerTaken
		}
		return -1, fmt.Errorf("the kernel refused the exec filter: %w", errno)
	}
}

// ExecJudgeSupport says whether this kernel can run the exec judge:
// seccomp filters with user notification (Linux 5.0) and its CONTINUE
// answer (5.5). It installs nothing. "" means supported.
func ExecJudgeSupport() string {
	if _, err := ExecProgram(); err != nil {
		return err.Error()
	}
	action := uint32(unix.SECCOMP_RET_USER_NOTIF)
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_ACTION_AVAIL, 0, uintptr(unsafe.Pointer(&action)))
	if errno != 0 {
		return fmt.Sprintf("the kernel has no seccomp user notification here (%v)", errno)
	}
	// SECCOMP_GET_NOTIF_SIZES exists since 5.0 too; CONTINUE since 5.5
	// cannot be probed without a listener, and 5.5 also brought
	// SECCOMP_USER_NOTIF_FLAG_CONTINUE's companion, the pidfd_getfd
	// system call (5.6): its ENOSYS says the kernel is older.
	if _, _, errno := unix.Syscall(unix.SYS_PIDFD_GETFD, ^uintptr(0), 0, 0); errno == unix.ENOSYS {
		return "the kernel is older than 5.6 (no pidfd_getfd), without the CONTINUE answer the exec judge needs"
	}
	return ""
}
