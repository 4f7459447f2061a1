// Package fence is guard's write fence: a Landlock rule set that confines
// what a process tree may change on disk to the project, the temp dirs, the
// tool caches and a few single files, while reads and exec stay open.
//
// Landlock is per thread and inherited across fork and execve: the caller
// locks its goroutine to its OS thread (runtime.LockOSThread), calls Apply,
// and execs from that same thread. The domain can never be lifted. See the
// "Write fence" section of ARCHITECTURE.md.
package fence

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Write rights by the Landlock ABI that introduced them. Read and execute
// rights are never handled, so reads and exec stay open.
const (
	abi1Write = unix.LANDLOCK_ACCESS_FS_WRITE_FILE | unix.LANDLOCK_ACCESS_FS_REMOVE_DIR |
		unix.LANDLOCK_ACCESS_FS_REMOVE_FILE | unix.LANDLOCK_ACCESS_FS_MAKE_CHAR |
		unix.LANDLOCK_ACCESS_FS_MAKE_DIR | unix.LANDLOCK_ACCESS_FS_MAKE_REG |
		unix.LANDLOCK_ACCESS_FS_MAKE_SOCK | unix.LANDLOCK_ACCESS_FS_MAKE_FIFO |
		unix.LANDLOCK_ACCESS_FS_MAKE_BLOCK | unix.LANDLOCK_ACCESS_FS_MAKE_SYM
	abi2Refer    = unix.LANDLOCK_ACCESS_FS_REFER
	abi3Truncate = unix.LANDLOCK_ACCESS_FS_TRUNCATE
	abi5IoctlDev = unix.LANDLOCK_ACCESS_FS_IOCTL_DEV

	// fileRights are the rights Landlock accepts on a rule for a file
	// (not a directory).
	fileRights = unix.LANDLOCK_ACCESS_FS_WRITE_FILE | abi3Truncate | abi5IoctlDev
)

// Handled returns the write rights the fence handles at Landlock ABI abi:
// everything the kernel can deny about changing the file system. It is 0
// when abi < 1 (no Landlock).
func Handled(abi int) uint64 {
	var h uint64
	if abi >= 1 {
		h |= abi1Write
	}
	if abi >= 2 {
		h |= abi2Refer
	}
	if abi >= 3 {
		h |= abi3Truncate
	}
	if abi >= 5 {
		h |= abi5IoctlDev
	}
	return h
}

// HandledNames names the rights in h, for guard doctor.
func HandledNames(h uint64) []string {
	names := []struct {
		bit  uint64
		name string
	}{
		{unix.LANDLOCK_ACCESS_FS_WRITE_FILE, "write_file"},
		{unix.LANDLOCK_ACCESS_FS_REMOVE_DIR, "remove_dir"},
		{unix.LANDLOCK_ACCESS_FS_REMOVE_FILE, "remove_file"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_CHAR, "make_char"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_DIR, "make_dir"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_REG, "make_reg"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_SOCK, "make_sock"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_FIFO, "make_fifo"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_BLOCK, "make_block"},
		{unix.LANDLOCK_ACCESS_FS_MAKE_SYM, "make_sym"},
		{abi2Refer, "refer"},
		{abi3Truncate, "truncate"},
		{abi5IoctlDev, "ioctl_dev"},
	}
	var out []string
	for _, n := range names {
		if h&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// ABI returns the Landlock ABI version of the running kernel, or 0 with
// the reason when Landlock is not available (not built in, or not in lsm=).
func ABI() (int, error) {
	v, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if errno != 0 {
		switch errno {
		case unix.ENOSYS:
			return 0, errors.New("the kernel has no Landlock")
		case unix.EOPNOTSUPP:
			return 0, errors.New("Landlock is built in but not enabled (add landlock to the lsm= boot parameter)")
		}
		return 0, fmt.Errorf("probing Landlock: %w", errno)
	}
	return int(v), nil
}

// Grant is one path the fence lets the tree write.
type Grant struct {
	Path string
	// Why says where the grant comes from (e.g. "project", "temp",
	// "cache", "[paths] writable"), for guard doctor and denial notes.
	Why string
	// Create asks Build to create the directory when it is missing: a
	// missing path cannot be granted.
	Create bool
}

// Env is what Build reads from the environment.
type Env struct {
	Home string
	Cwd  string
	// Getenv reads TMPDIR and XDG_RUNTIME_DIR.
	Getenv func(string) string
	// ProjectRoot is the git top level of Cwd, or "" for Cwd itself.
	ProjectRoot string
	// Writable is the config's [paths] writable list.
	Writable []string
	// Protected are paths no grant may contain (guard's config, state and
	// binary: rules.Locations.Paths).
	Protected []string
	// Temp replaces the default temp dirs (/tmp, /var/tmp) when not nil;
	// TMPDIR and XDG_RUNTIME_DIR are added either way.
	Temp []string
}

// homeDirs are the tool caches and state dirs under HOME, created when
// missing. Each is a hierarchy a common developer tool writes during an
// ordinary build or install; see ARCHITECTURE.md for what is left out.
var homeDirs = []string{
	".cache", ".npm", ".yarn", ".pnpm-store", ".local/share/pnpm", "go",
	".cargo/registry", ".cargo/git", ".rustup/toolchains", ".rustup/downloads", ".rustup/tmp",
	".m2", ".gradle", ".nuget", ".local/share/uv", ".local/share/virtualenv",
	".local/share/pypoetry", ".local/share/nvim", ".local/state/nvim",
	".claude", ".codex", ".gemini", ".config/gcloud/logs",
}

// homeFiles are single files under HOME the tree may write when they
// exist: history files and ssh's known_hosts. ~/.gitconfig is left out on
// purpose: `git config --global` changes every later git run of the user.
var homeFiles = []string{
	".bash_history", ".python_history", ".node_repl_history", ".psql_history",
	".sqlite_history", ".lesshst", ".ssh/known_hosts", ".claude.json",
}

// devFiles are the device files any program may need to write.
var devFiles = []string{
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", "/dev/ptmx", "/dev/pts", "/dev/shm",
}

// Grants returns the grants for e, in a stable order. It does not touch
// the file system.
func Grants(e Env) []Grant {
	var g []Grant
	root := e.ProjectRoot
	if root == "" {
		root = e.Cwd
	}
	if root != "" {
		g = append(g, Grant{Path: root, Why: "project"})
	}
	tmp := []string{"/tmp", "/var/tmp"}
	if e.Temp != nil {
		tmp = append([]string(nil), e.Temp...)
	}
	if e.Getenv != nil {
		tmp = append(tmp, e.Getenv("TMPDIR"), e.Getenv("XDG_RUNTIME_DIR"))
	}
	for _, t := range tmp {
		if t != "" && filepath.IsAbs(t) {
			g = append(g, Grant{Path: filepath.Clean(t), Why: "temp"})
		}
	}
	if e.Home != "" {
		for _, d := range homeDirs {
			g = append(g, Grant{Path: filepath.Join(e.Home, d), Why: "cache", Create: true})
		}
		for _, f := range homeFiles {
			g = append(g, Grant{Path: filepath.Join(e.Home, f), Why: "file"})
		}
	}
	for _, d := range devFiles {
		g = append(g, Grant{Path: d, Why: "device"})
	}
	for _, w := range e.Writable {
		g = append(g, Grant{Path: expandHome(w, e.Home), Why: "[paths] writable"})
	}
	return g
}

func expandHome(p, home string) string {
	if home != "" && (p == "~" || strings.HasPrefix(p, "~/")) {
		return filepath.Join(home, p[1:])
	}
	return filepath.Clean(p)
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/")
}

// Check refuses a grant that would let the tree write HOME itself (its
// new entries) or a protected path. Paths are compared after resolving
// symlinks where they exist.
func Check(g Grant, home string, protected []string) error {
	p := resolve(g.Path)
	if !filepath.IsAbs(p) {
		return fmt.Errorf("write fence: %s (%s) is not an absolute path", g.Path, g.Why)
	}
	if p == "/" {
		return fmt.Errorf("write fence: refusing to grant / (%s): it would contain every file", g.Why)
	}
	if home != "" && within(resolve(home), p) {
		return fmt.Errorf("write fence: refusing to grant %s (%s): it contains your home directory %s; grant the subdirectory the tool writes instead", g.Path, g.Why, home)
	}
	for _, pr := range protected {
		if pr == "" {
			continue
		}
		if within(resolve(pr), p) {
			return fmt.Errorf("write fence: refusing to grant %s (%s): it contains guard's own %s, which the agent must not change; grant a narrower path", g.Path, g.Why, pr)
		}
	}
	return nil
}

// resolve follows symlinks in p as far as the path exists.
func resolve(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	dir, base := filepath.Split(p)
	if dir == "" || dir == p {
		return p
	}
	return filepath.Join(resolve(filepath.Clean(dir)), base)
}

// Options tune Apply.
type Options struct {
	// MaxABI caps the Landlock ABI used (0: the kernel's). Tests use it to
	// exercise the downgrade path on a newer kernel.
	MaxABI int
}

// Status is what Apply put in force.
type Status struct {
	// ABI is the Landlock ABI used, 0 when the fence is not in force.
	ABI int
	// Handled are the write rights the kernel now denies outside the
	// grants.
	Handled uint64
	// Granted are the paths granted, Skipped those missing.
	Granted, Skipped []string
	// Why says why the fence is not in force, when ABI is 0.
	Why string
}

// Apply builds the rule set for e and restricts the calling thread (and
// everything it later execs or forks) to it. The caller must hold
// runtime.LockOSThread and exec from this thread. A refused grant is an
// error and nothing is applied; when the kernel has no Landlock, Apply
// returns a Status with ABI 0 and its Why, and a nil error: the caller
// decides whether to run unfenced (guard does, and guard doctor says so).
func Apply(e Env, o Options) (Status, error) {
	grants := Grants(e)
	var kept []Grant
	var dropped []string
	for _, g := range grants {
		if err := Check(g, e.Home, e.Protected); err != nil {
			if g.Why == "temp" || g.Why == "device" {
				// A temp dir that holds HOME (HOME under /tmp) is not
				// granted: the fence would not protect HOME at all.
				dropped = append(dropped, g.Path)
				continue
			}
			return Status{Why: err.Error()}, err
		}
		kept = append(kept, g)
	}
	grants = kept
	abi, err := ABI()
	if err != nil {
		return Status{Why: err.Error()}, nil
	}
	if o.MaxABI > 0 && abi > o.MaxABI {
		abi = o.MaxABI
	}
	handled := Handled(abi)
	attr := unix.LandlockRulesetAttr{Handled_access_fs: handled}
	// The attr struct grew with the ABI; older kernels reject a larger
	// size, so pass only the fields this ABI knows (handled_access_fs).
	size := unsafe.Sizeof(attr.Handled_access_fs)
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), size, 0)
	if errno != 0 {
		return Status{Why: "creating the Landlock rule set: " + errno.Error()}, fmt.Errorf("write fence: creating the Landlock rule set: %w", errno)
	}
	defer unix.Close(int(fd))
	st := Status{ABI: abi, Handled: handled, Skipped: dropped}
	seen := map[string]bool{}
	for _, g := range grants {
		if seen[g.Path] {
			continue
		}
		seen[g.Path] = true
		if g.Create {
			os.MkdirAll(g.Path, 0o700) // best effort: a missing path is skipped below
		}
		ok, err := addRule(int(fd), g.Path, handled)
		if err != nil {
			return Status{Why: err.Error()}, err
		}
		if ok {
			st.Granted = append(st.Granted, g.Path)
		} else {
			st.Skipped = append(st.Skipped, g.Path)
		}
	}
	sort.Strings(st.Skipped)
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return Status{Why: err.Error()}, fmt.Errorf("write fence: setting no_new_privs: %w", err)
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); errno != 0 {
		return Status{Why: errno.Error()}, fmt.Errorf("write fence: restricting this thread: %w", errno)
	}
	return st, nil
}

// addRule grants path beneath it every handled right it can carry. It
// reports false, with no error, when path does not exist.
func addRule(rs int, path string, handled uint64) (bool, error) {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOTDIR) || errors.Is(err, unix.EACCES) {
			return false, nil
		}
		return false, fmt.Errorf("write fence: opening %s: %w", path, err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return false, fmt.Errorf("write fence: %s: %w", path, err)
	}
	allowed := handled
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		allowed &= fileRights
	}
	if allowed == 0 {
		return true, nil
	}
	attr := unix.LandlockPathBeneathAttr{Allowed_access: allowed, Parent_fd: int32(fd)}
	_, _, errno := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, uintptr(rs), unix.LANDLOCK_RULE_PATH_BENEATH, uintptr(unsafe.Pointer(&attr)), 0, 0, 0)
	if errno != 0 {
		return false, fmt.Errorf("write fence: granting %s: %w", path, errno)
	}
	return true, nil
}
