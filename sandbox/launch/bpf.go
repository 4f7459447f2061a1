package launch

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Offsets in struct seccomp_data, the input of a seccomp BPF program.
const (
	offNr   = 0  // int nr
	offArch = 4  // __u32 arch
	offArgs = 16 // __u64 args[6]
)

// x32Bit is set in the syscall number of x86-64's x32 ABI, which shares
// AUDIT_ARCH_X86_64.
const x32Bit = 0x40000000

// Rule is one match of a seccomp program: system call Nr, and when Arg0 is
// set, only with exactly that first argument (all 64 bits). Action is the
// SECCOMP_RET_* value returned on a match (with its data, such as the errno
// of SECCOMP_RET_ERRNO).
type Rule struct {
	Nr     uint32
	Arg0   *uint64
	Action uint32
}

// Program is a seccomp filter for guard's launcher stage: the native
// architecture is checked first, and every other architecture (a 32-bit
// program on a 64-bit kernel) and x86-64's x32 system calls are allowed
// unchanged: guard's filters mark and watch, they never deny by default.
// Rules are tried in order; a call no rule matches is allowed.
type Program struct {
	// Arch is the AUDIT_ARCH_* value of the native architecture.
	Arch uint32
	// X32 allows system calls with the x32 bit set before any rule: true
	// on x86-64.
	X32 bool
	// Rules are the matches, first one wins.
	Rules []Rule
}

// Assemble returns the classic BPF instructions of p. Every jump goes
// forward by less than the 255 instructions classic BPF can encode, since
// a rule is at most 6 instructions long and jumps only within itself.
func (p Program) Assemble() ([]unix.SockFilter, error) {
	ld := func(off uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: off}
	}
	jeq := func(k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, K: k, Jt: jt, Jf: jf}
	}
	ret := func(k uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_RET | unix.BPF_K, K: k}
	}
	var prog []unix.SockFilter
	// Foreign architecture: jump to the final allow, patched below.
	prog = append(prog, ld(offArch), jeq(p.Arch, 1, 0), ret(unix.SECCOMP_RET_ALLOW))
	prog = append(prog, ld(offNr))
	if p.X32 {
		prog = append(prog,
			unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K, K: x32Bit, Jt: 0, Jf: 1},
			ret(unix.SECCOMP_RET_ALLOW))
	}
	for _, r := range p.Rules {
		// A rule starts with the accumulator holding nr, and leaves it
		// holding nr when it does not match: it reloads nr after comparing
		// an argument.
		if r.Arg0 == nil {
			prog = append(prog, jeq(r.Nr, 0, 1), ret(r.Action))
			continue
		}
		lo, hi := uint32(*r.Arg0), uint32(*r.Arg0>>32)
		// jeq nr; ld lo; jeq lo; ld hi; jeq hi; ret action; ld nr
		prog = append(prog,
			jeq(r.Nr, 0, 5),
			ld(offArgs+argLow),
			jeq(lo, 0, 3),
			ld(offArgs+argHigh),
			jeq(hi, 0, 1),
			ret(r.Action),
			ld(offNr))
	}
	prog = append(prog, ret(unix.SECCOMP_RET_ALLOW))
	if len(prog) > 4096 { // BPF_MAXINSNS
		return nil, fmt.Errorf("seccomp program of %d instructions is longer than the kernel takes", len(prog))
	}
	return prog, nil
}

// Install loads p into the kernel for every thread of this process
// (SECCOMP_FILTER_FLAG_TSYNC), so whichever thread execs next carries it;
// it is inherited across fork and exec and can never be removed. Without
// CAP_SYS_ADMIN the kernel requires no_new_privs, which Install then sets
// first when noNewPrivs is true. The caller locks the OS thread: both
// flags are per thread until TSYNC copies them to the others.
func (p Program) Install(noNewPrivs bool) error {
	insns, err := p.Assemble()
	if err != nil {
		return err
	}
	fprog := unix.SockFprog{Len: uint16(len(insns)), Filter: &insns[0]}
	if noNewPrivs {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("cannot set no_new_privs: %w", err)
		}
	}
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return fmt.Errorf("the kernel refused the seccomp filter: %w", errno)
	}
	return nil
}
