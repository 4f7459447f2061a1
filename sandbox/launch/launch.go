// Package launch is guard's launcher stage: what guard puts on its own
// process right before it execs a command an agent asked for, so that the
// kernel carries it to every process of that command's tree.
//
// Today that is the mark: a seccomp filter under which one system call
// that is invalid anyway, prctl(MarkOption, ...), fails with MarkErrno
// instead of EINVAL. Every descendant inherits the filter across fork and
// exec, and no process can remove it, whatever it does to its environment,
// its session, its parent or its terminal. "guard approve" probes it with
// Marked and refuses inside a marked tree: an agent cannot approve its
// own commands, even from a script that double-forks, calls setsid,
// clears its environment and opens a fresh pty.
//
// The filter is a Program: the native architecture checked first, then a
// list of rules. A later stage (an exec judge, a user-notification filter
// on execve) adds its rules to the same program; it then installs with
// SECCOMP_FILTER_FLAG_NEW_LISTENER, which the kernel takes together with
// TSYNC only with SECCOMP_FILTER_FLAG_TSYNC_ESRCH.
//
// Without CAP_SYS_ADMIN the kernel takes a filter only from a process with
// no_new_privs set, and no_new_privs is inherited too: inside a marked
// tree setuid programs (sudo, su, pkexec) run without raising privileges.
// "guard shell", where a human types, is not marked.
package launch

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// MarkOption is the prctl option the mark answers: "GUAR" in ASCII, an
// option no kernel defines, for which prctl fails with EINVAL.
const MarkOption = 0x47554152

// MarkErrno is what prctl(MarkOption) fails with inside a marked tree: an
// errno prctl never returns by itself.
const MarkErrno = unix.EHWPOISON

// Plan says what installing the mark does on this machine.
type Plan struct {
	// Available reports whether the kernel takes the mark's filter.
	Available bool
	// Why says why not, for guard doctor, when not Available.
	Why string
	// NoNewPrivs reports whether the marked tree has no_new_privs, so that
	// setuid programs such as sudo cannot raise privileges in it: always,
	// unless guard runs with CAP_SYS_ADMIN.
	NoNewPrivs bool
	// Inherited reports whether this process is already marked (guard
	// started inside what another guard runs): the mark is not installed
	// again, and no_new_privs is whatever the tree already has.
	Inherited bool
}

// native returns the audit architecture of the running program and
// whether it has x86-64's x32 system calls.
func native() (arch uint32, x32 bool, ok bool) {
	switch runtime.GOARCH {
	case "amd64":
		return unix.AUDIT_ARCH_X86_64, true, true
	case "arm64":
		return unix.AUDIT_ARCH_AARCH64, false, true
	case "riscv64":
		return unix.AUDIT_ARCH_RISCV64, false, true
	}
	return 0, false, false
}

// Offsets of the low and high 32 bits of args[0] within it: the supported
// architectures are all little-endian.
const (
	argLow  = 0
	argHigh = 4
)

// MarkProgram returns the filter that carries the mark: prctl(MarkOption,
// ...) fails with MarkErrno; every other call, on every architecture, is
// untouched.
func MarkProgram() (Program, error) {
	arch, x32, ok := native()
	if !ok {
		return Program{}, fmt.Errorf("guard's seccomp mark is not built for %s", runtime.GOARCH)
	}
	opt := uint64(MarkOption)
	return Program{
		Arch: arch,
		X32:  x32,
		Rules: []Rule{{
			Nr:     unix.SYS_PRCTL,
			Arg0:   &opt,
			Action: unix.SECCOMP_RET_ERRNO | uint32(MarkErrno)&unix.SECCOMP_RET_DATA,
		}},
	}, nil
}

// Check says what InstallMark would do, without installing anything: the
// kernel is asked whether it supports SECCOMP_RET_ERRNO filters.
func Check() Plan {
	if Marked() {
		return Plan{Available: true, Inherited: true, NoNewPrivs: noNewPrivs()}
	}
	if _, err := MarkProgram(); err != nil {
		return Plan{Why: err.Error()}
	}
	action := uint32(unix.SECCOMP_RET_ERRNO)
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_ACTION_AVAIL, 0, uintptr(unsafe.Pointer(&action)))
	if errno != 0 {
		return Plan{Why: fmt.Sprintf("the kernel takes no seccomp filters here (%v)", errno)}
	}
	return Plan{Available: true, NoNewPrivs: !capSysAdmin()}
}

// InstallMark marks this process and, through it, everything it execs and
// starts: call it right before the exec of a command guard runs for an
// agent. It changes nothing guard itself does. When the kernel cannot
// take the filter it returns the error and the process stays unmarked;
// the command still runs, with guard's other marks (GUARD_ACTIVE in its
// environment) only.
func InstallMark() (Plan, error) {
	p := Check()
	if !p.Available {
		return p, errors.New(p.Why)
	}
	if p.Inherited {
		return p, nil
	}
	prog, err := MarkProgram()
	if err != nil {
		return Plan{Why: err.Error()}, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := prog.Install(p.NoNewPrivs); err != nil {
		return Plan{Why: err.Error()}, err
	}
	return p, nil
}

// Marked reports whether this process runs inside a tree guard marked.
func Marked() bool {
	_, _, errno := unix.Syscall6(unix.SYS_PRCTL, MarkOption, 0, 0, 0, 0, 0)
	return errno == MarkErrno
}

// noNewPrivs reports whether this process has no_new_privs.
func noNewPrivs() bool {
	v, _, errno := unix.Syscall6(unix.SYS_PRCTL, unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0, 0)
	return errno == 0 && v == 1
}

// capSysAdmin reports whether this process has CAP_SYS_ADMIN in its
// effective set, with which the kernel takes a filter without
// no_new_privs.
func capSysAdmin() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false
	}
	return data[unix.CAP_SYS_ADMIN/32].Effective&(1<<(unix.CAP_SYS_ADMIN%32)) != 0
}
