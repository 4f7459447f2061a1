package launch

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// argvAt lays out argv in one page-aligned block of fresh memory as an
// exec's caller would, each string starting at the offset offs gives
// (relative to a page start, so that a string can straddle a page end),
// and returns the address of the NULL-terminated pointer array, which
// starts the block, and the block.
func argvAt(t *testing.T, argv []string, offs []int) (uint64, []byte) {
	t.Helper()
	size := (len(argv)+2)*8 + (len(argv)+2)*3*pageBytes
	for _, a := range argv {
		size += len(a) + pageBytes
	}
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	base := uint64(uintptr(unsafe.Pointer(&mem[0])))
	ptrs := make([]uint64, 0, len(argv)+1)
	at := 8 * (len(argv) + 1) // the pointer array comes first
	for i, a := range argv {
		at = (at/pageBytes+1)*pageBytes + offs[i%len(offs)]
		copy(mem[at:], a)
		mem[at+len(a)] = 0
		ptrs = append(ptrs, base+uint64(at))
		at += len(a) + 1
	}
	ptrs = append(ptrs, 0)
	for i, p := range ptrs {
		*(*uint64)(unsafe.Pointer(&mem[8*i])) = p
	}
	return base, mem
}

func TestArgv(t *testing.T) {
	long := strings.Repeat("x", 3000)
	many := make([]string, 1500) // more than one gather call
	for i := range many {
		many[i] = "-I/usr/include/" + strings.Repeat("d", i%40)
	}
	cases := []struct {
		name string
		argv []string
		offs []int
	}{
		{"plain", []string{"cc1", "-quiet", "f1.c", "-o", "/tmp/ccX.s"}, []int{0}},
		{"empty strings", []string{"printf", "", "%s\n", ""}, []int{16}},
		{"a string straddles a page end", []string{"echo", "abcdefghijklmnop", "tail"}, []int{pageBytes - 5}},
		{"longer than what gather reads", []string{"echo", long, "end"}, []int{100}},
		{"long and straddling", []string{"echo", long + long, "end"}, []int{pageBytes - 300}},
		{"many", many, []int{0, 7, 4000}},
		{"a long program path", []string{"/" + long, "x"}, []int{pageBytes - 100}},
	}
	m := NewMemory(os.Getpid())
	defer m.Close()
	for _, c := range cases {
		addr, _ := argvAt(t, c.argv, c.offs)
		got, err := m.Argv(addr, 8)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !slices.Equal(got, c.argv) {
			t.Errorf("%s: read %d args, want %d (%q...)", c.name, len(got), len(c.argv), got[:min(3, len(got))])
		}
	}
}

// TestArgvLimits: argv beyond MaxArgv bytes is refused, not cut.
func TestArgvLimits(t *testing.T) {
	big := strings.Repeat("y", 200_000)
	m := NewMemory(os.Getpid())
	defer m.Close()
	ok := []string{"a", big, big, big, big}
	if got, err := m.Argv(first(argvAt(t, ok, []int{0})), 8); err != nil || !slices.Equal(got, ok) {
		t.Errorf("800 KB of argv: %v", err)
	}
	over := []string{"a", big, big, big, big, big, big}
	if _, err := m.Argv(first(argvAt(t, over, []int{0})), 8); err != ErrTooLong {
		t.Errorf("1.2 MB of argv: %v, want ErrTooLong", err)
	}
}

// TestArgvUnreadable: an argument pointing at unmapped memory fails the
// read, wherever it is among the others.
func TestArgvUnreadable(t *testing.T) {
	m := NewMemory(os.Getpid())
	defer m.Close()
	for _, at := range []int{0, 1, 2} {
		argv := []string{"a", "b", "c"}
		addr, mem := argvAt(t, argv, []int{0})
		*(*uint64)(unsafe.Pointer(&mem[8*at])) = 8 // the first page is never mapped
		if got, err := m.Argv(addr, 8); err == nil {
			t.Errorf("argument %d unmapped: read %q, want an error", at, got)
		}
	}
}

func first(addr uint64, _ []byte) uint64 { return addr }
