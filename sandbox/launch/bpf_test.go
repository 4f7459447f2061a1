package launch

import (
	"encoding/binary"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// run interprets a classic BPF seccomp program on one system call, as the
// kernel would: it supports the instructions Assemble emits and fails on
// anything else, on a jump out of the program and on falling off its end.
func run(prog []unix.SockFilter, nr int32, arch uint32, args [6]uint64) (uint32, error) {
	data := make([]byte, 64)
	binary.LittleEndian.PutUint32(data[0:], uint32(nr))
	binary.LittleEndian.PutUint32(data[4:], arch)
	for i, a := range args {
		binary.LittleEndian.PutUint64(data[16+8*i:], a)
	}
	var acc uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Code {
		case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS:
			if in.K%4 != 0 || int(in.K)+4 > len(data) {
				return 0, fmt.Errorf("pc %d: load at %d outside seccomp_data", pc, in.K)
			}
			acc = binary.LittleEndian.Uint32(data[in.K:])
		case unix.BPF_RET | unix.BPF_K:
			return in.K, nil
		case unix.BPF_JMP | unix.BPF_JA:
			pc += int(in.K)
		case unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K,
			unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K, unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K:
			var cond bool
			switch in.Code &^ (unix.BPF_JMP | unix.BPF_K) {
			case unix.BPF_JEQ:
				cond = acc == in.K
			case unix.BPF_JSET:
				cond = acc&in.K != 0
			case unix.BPF_JGE:
				cond = acc >= in.K
			case unix.BPF_JGT:
				cond = acc > in.K
			}
			if cond {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		default:
			return 0, fmt.Errorf("pc %d: instruction %#x not understood", pc, in.Code)
		}
		if pc+1 > len(prog) {
			return 0, fmt.Errorf("pc %d: jump past the end", pc)
		}
	}
	return 0, fmt.Errorf("the program ends without returning")
}

func TestMarkProgram(t *testing.T) {
	prog, err := MarkProgram()
	if err != nil {
		t.Skip(err)
	}
	insns, err := prog.Assemble()
	if err != nil {
		t.Fatal(err)
	}
	mark := uint32(unix.SECCOMP_RET_ERRNO | uint32(MarkErrno))
	allow := uint32(unix.SECCOMP_RET_ALLOW)
	prctl := int32(unix.SYS_PRCTL)
	cases := []struct {
		name string
		nr   int32
		arch uint32
		arg0 uint64
		want uint32
	}{
		{"the probe", prctl, prog.Arch, MarkOption, mark},
		{"the probe with high bits set", prctl, prog.Arch, 1<<32 | MarkOption, allow},
		{"another prctl option", prctl, prog.Arch, unix.PR_SET_DUMPABLE, allow},
		{"prctl option 0", prctl, prog.Arch, 0, allow},
		{"a neighbouring option", prctl, prog.Arch, MarkOption + 1, allow},
		{"another call with the magic argument", unix.SYS_READ, prog.Arch, MarkOption, allow},
		{"the call before prctl", prctl - 1, prog.Arch, MarkOption, allow},
		{"a foreign architecture", prctl, unix.AUDIT_ARCH_I386, MarkOption, allow},
		{"i386's prctl", 172, unix.AUDIT_ARCH_I386, MarkOption, allow},
	}
	if prog.X32 {
		cases = append(cases, struct {
			name string
			nr   int32
			arch uint32
			arg0 uint64
			want uint32
		}{"x32's prctl", prctl | x32Bit, prog.Arch, MarkOption, allow})
	}
	for _, c := range cases {
		got, err := run(insns, c.nr, c.arch, [6]uint64{c.arg0})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: returns %#x, want %#x", c.name, got, c.want)
		}
	}
}

// TestProgramRules checks the builder with the rules a later stage adds:
// a call matched by number alone, and several rules in order.
func TestProgramRules(t *testing.T) {
	magic := uint64(0x1122334455667788)
	p := Program{Arch: unix.AUDIT_ARCH_X86_64, X32: true, Rules: []Rule{
		{Nr: 59, Action: unix.SECCOMP_RET_USER_NOTIF},
		{Nr: 157, Arg0: &magic, Action: unix.SECCOMP_RET_ERRNO | 1},
		{Nr: 157, Action: unix.SECCOMP_RET_ERRNO | 2},
	}}
	insns, err := p.Assemble()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		nr   int32
		arch uint32
		arg0 uint64
		want uint32
	}{
		{59, unix.AUDIT_ARCH_X86_64, 0, unix.SECCOMP_RET_USER_NOTIF},
		{59 | x32Bit, unix.AUDIT_ARCH_X86_64, 0, unix.SECCOMP_RET_ALLOW},
		{59, unix.AUDIT_ARCH_AARCH64, 0, unix.SECCOMP_RET_ALLOW},
		{157, unix.AUDIT_ARCH_X86_64, magic, unix.SECCOMP_RET_ERRNO | 1},
		{157, unix.AUDIT_ARCH_X86_64, magic &^ 0xff, unix.SECCOMP_RET_ERRNO | 2},
		{157, unix.AUDIT_ARCH_X86_64, magic &^ (0xff << 40), unix.SECCOMP_RET_ERRNO | 2},
		{0, unix.AUDIT_ARCH_X86_64, magic, unix.SECCOMP_RET_ALLOW},
		{322, unix.AUDIT_ARCH_X86_64, 0, unix.SECCOMP_RET_ALLOW},
	}
	for _, c := range cases {
		got, err := run(insns, c.nr, c.arch, [6]uint64{c.arg0})
		if err != nil {
			t.Fatalf("nr %d: %v", c.nr, err)
		}
		if got != c.want {
			t.Errorf("nr %d arch %#x arg0 %#x: returns %#x, want %#x", c.nr, c.arch, c.arg0, got, c.want)
		}
	}
}
