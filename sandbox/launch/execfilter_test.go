package launch

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

func TestExecProgram(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the table is x86-64's")
	}
	insns, err := ExecProgram()
	if err != nil {
		t.Fatal(err)
	}
	const (
		notify = unix.SECCOMP_RET_USER_NOTIF
		allow  = unix.SECCOMP_RET_ALLOW
		busy   = unix.SECCOMP_RET_ERRNO | uint32(unix.EBUSY)
		eperm  = unix.SECCOMP_RET_ERRNO | uint32(unix.EPERM)
		kill   = unix.SECCOMP_RET_KILL_PROCESS
		x86    = unix.AUDIT_ARCH_X86_64
		i386   = unix.AUDIT_ARCH_I386
	)
	filter := uint64(unix.SECCOMP_SET_MODE_FILTER)
	listener := uint64(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER)
	cases := []struct {
		name string
		arch uint32
		nr   int32
		args [6]uint64
		want uint32
	}{
		{"execve", x86, unix.SYS_EXECVE, [6]uint64{}, notify},
		{"execveat", x86, unix.SYS_EXECVEAT, [6]uint64{}, notify},
		{"read", x86, unix.SYS_READ, [6]uint64{}, allow},
		{"fork", x86, unix.SYS_FORK, [6]uint64{}, allow},
		{"clone3", x86, unix.SYS_CLONE3, [6]uint64{}, allow},
		{"i386 execve", i386, 11, [6]uint64{}, notify},
		{"i386 execveat", i386, 358, [6]uint64{}, notify},
		{"i386 read", i386, 3, [6]uint64{}, allow},
		{"i386 number 59 (umask there)", i386, 59, [6]uint64{}, allow},
		{"x86-64 number 11 (munmap)", x86, 11, [6]uint64{}, allow},
		{"x32 execve", x86, unix.SYS_EXECVE | x32Bit, [6]uint64{}, eperm},
		{"x32 execveat (545)", x86, 545 | x32Bit, [6]uint64{}, eperm},
		{"x32 read", x86, x32Bit, [6]uint64{}, eperm},
		{"aarch64", unix.AUDIT_ARCH_AARCH64, 221, [6]uint64{}, kill},
		{"unknown arch, x86-64's execve number", 0x12345678, unix.SYS_EXECVE, [6]uint64{}, kill},
		{"seccomp filter with a listener", x86, unix.SYS_SECCOMP, [6]uint64{filter, listener}, busy},
		{"seccomp filter with a listener and TSYNC_ESRCH", x86, unix.SYS_SECCOMP, [6]uint64{filter, listener | unix.SECCOMP_FILTER_FLAG_TSYNC | unix.SECCOMP_FILTER_FLAG_TSYNC_ESRCH}, busy},
		{"seccomp filter without a listener", x86, unix.SYS_SECCOMP, [6]uint64{filter, unix.SECCOMP_FILTER_FLAG_TSYNC}, allow},
		{"seccomp strict mode, listener bit in flags", x86, unix.SYS_SECCOMP, [6]uint64{unix.SECCOMP_SET_MODE_STRICT, listener}, allow},
		{"seccomp get action avail", x86, unix.SYS_SECCOMP, [6]uint64{unix.SECCOMP_GET_ACTION_AVAIL, listener}, allow},
		{"seccomp filter, high bits of the mode", x86, unix.SYS_SECCOMP, [6]uint64{1<<32 | filter, listener}, busy},
		{"i386 seccomp filter with a listener", i386, 354, [6]uint64{filter, listener}, busy},
		{"i386 seccomp filter without", i386, 354, [6]uint64{filter, 0}, allow},
		{"prctl", x86, unix.SYS_PRCTL, [6]uint64{unix.PR_SET_SECCOMP, 2}, allow},
	}
	for _, c := range cases {
		got, err := run(insns, c.nr, c.arch, c.args)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: returns %#x, want %#x", c.name, got, c.want)
		}
	}
}
