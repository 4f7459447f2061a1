// Package fence is guard's write fence: a Landlock rule set that confines
// what a process tree may change on disk to the project, the temp dirs, the
// tool caches and a few single files, while reads and exec stay open.
//
// Landlock is per thread and inherited across fork and execve: the caller
// locks its goroutine to its OS thread (runtime.LockOSThread), calls Apply,
// and execs (or forks) from that same thread. The domain can never be
// lifted. See "The write fence" in ARCHITECTURE.md.
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

	// abiLog is the first ABI whose restrict_self takes logging flags.
	abiLog = 7
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

// Why a grant is made: where it comes from, for guard doctor and the
// denial note.
const (
	WhyProject  = "project"
	WhyTemp     = "temp"
	WhyCache    = "cache"
	WhyFile     = "file"
	WhyDevice   = "device"
	WhyWritable = "[paths] writable"
)

// Grant is one path the fence lets the tree write.
type Grant struct {
	Path string
	// Why is one of the Why constants.
	Why string
	// Create asks Apply to create the directory when it is missing (a
	// missing path cannot be granted): always when Tool is "", else only
	// when Tool is installed, so that a user without cargo gets no
	// ~/.cargo. For a single file (WhyFile: ~/.ssh/known_hosts) it is
	// created empty, and only when its directory exists.
	Create bool
	Tool   string
}

// Env is what the rule set is built from.
type Env struct {
	Home string
	Cwd  string
	// Getenv reads TMPDIR and XDG_RUNTIME_DIR.
	Getenv func(string) string
	// ProjectRoot is the git top level of Cwd, or "" when Cwd is in no
	// work tree: Cwd itself is the project then, unless it is HOME, a
	// direct child of HOME or /.
	ProjectRoot string
	// Writable is the config's [paths] writable list.
	Writable []string
	// Protected are paths no grant may contain or lie in (guard's config,
	// state and binary: rules.Locations.Paths). ~/.ssh and ~/.gnupg are
	// always protected.
	Protected []string
	// Temp replaces the default temp dirs (/tmp, /var/tmp, /dev/shm) when
	// not nil; TMPDIR and XDG_RUNTIME_DIR are added either way.
	Temp []string
	// Installed reports whether a tool is on PATH, for Grant.Tool; nil
	// counts every tool as missing.
	Installed func(tool string) bool
}

// homeDir is a tool cache or state dir under HOME.
type homeDir struct {
	path string
	// tool is the program whose presence makes a missing dir worth
	// creating; "" creates it always.
	tool string
}

// homeDirs are the tool caches and state dirs under HOME. Each is a
// hierarchy a common developer tool writes during an ordinary build,
// install or session; see ARCHITECTURE.md for what is left out and why.
var homeDirs = []homeDir{
	{".cache", ""}, {".npm", "npm"}, {".yarn", "yarn"}, {".pnpm-store", "pnpm"}, {".local/share/pnpm", "pnpm"},
	{"go", "go"}, {".cargo/registry", "cargo"}, {".cargo/git", "cargo"},
	{".rustup/toolchains", "rustup"}, {".rustup/downloads", "rustup"}, {".rustup/tmp", "rustup"},
	{".m2", "mvn"}, {".gradle", "gradle"}, {".nuget", "dotnet"},
	{".local/share/uv", "uv"}, {".local/share/virtualenv", "virtualenv"}, {".local/share/pypoetry", "poetry"},
	{".local/share/nvim", "nvim"}, {".local/state/nvim", "nvim"},
	{".claude", "claude"}, {".codex", "codex"}, {".gemini", "gemini"}, {".config/gcloud/logs", "gcloud"},
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
	"/dev/tty", "/dev/ptmx", "/dev/pts",
}

// Grants returns the grants for e, in a stable order, without checking
// them (see Plan). It does not touch the file system.
func Grants(e Env) []Grant {
	var g []Grant
	root := e.ProjectRoot
	if root == "" {
		root = e.Cwd
	}
	if root != "" {
		g = append(g, Grant{Path: filepath.Clean(root), Why: WhyProject})
	}
	tmp := []string{"/tmp", "/var/tmp", "/dev/shm"}
	if e.Temp != nil {
		tmp = append([]string(nil), e.Temp...)
	}
	if e.Getenv != nil {
		tmp = append(tmp, e.Getenv("TMPDIR"), e.Getenv("XDG_RUNTIME_DIR"))
	}
	for _, t := range tmp {
		if t != "" && filepath.IsAbs(t) {
			g = append(g, Grant{Path: filepath.Clean(t), Why: WhyTemp})
		}
	}
	if e.Home != "" {
		for _, d := range homeDirs {
			g = append(g, Grant{Path: filepath.Join(e.Home, d.path), Why: WhyCache, Create: true, Tool: d.tool})
		}
		for _, f := range homeFiles {
			g = append(g, Grant{Path: filepath.Join(e.Home, f), Why: WhyFile, Create: f == ".ssh/known_hosts"})
		}
	}
	for _, d := range devFiles {
		g = append(g, Grant{Path: d, Why: WhyDevice})
	}
	for _, w := range e.Writable {
		g = append(g, Grant{Path: expandHome(w, e.Home), Why: WhyWritable})
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

// protected returns the paths no grant may contain or lie in.
func protected(e Env) []string {
	var out []string
	if e.Home != "" {
		out = append(out, filepath.Join(e.Home, ".ssh"), filepath.Join(e.Home, ".gnupg"))
	}
	for _, p := range e.Protected {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Check refuses a grant that would let the tree write HOME itself (its
// new entries), /, or a protected path: one the grant contains, or one it
// lies in. A curated single file (WhyFile, ~/.ssh/known_hosts) may lie in
// a protected directory. Paths are compared after resolving symlinks where
// they exist.
func Check(g Grant, home string, protected []string) error {
	return newChecker(home, protected).check(g)
}

// checker holds HOME and the protected paths resolved once: resolving is a
// look at every component of a path, and Plan checks some forty grants.
type checker struct {
	home      string // resolved, "" when unknown
	homeShown string
	prot      []protectedPath
	// dirs memoizes resolved directories: the grants share their
	// parents (HOME, ~/.local/share, ~/.cargo).
	dirs map[string]string
}

// resolve is the package's resolve, with the parent directories of p
// resolved once per checker.
func (c *checker) resolve(p string) string {
	p = filepath.Clean(p)
	if r, ok := c.dirs[p]; ok {
		return r
	}
	dir, base := filepath.Split(p)
	var r string
	if dir == "" || dir == p || base == "" {
		r = resolve(p)
	} else {
		rd := c.resolve(filepath.Clean(dir))
		r = filepath.Join(rd, base)
		if fi, err := os.Lstat(r); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			r = resolve(r)
		}
	}
	if c.dirs == nil {
		c.dirs = map[string]string{}
	}
	c.dirs[p] = r
	return r
}

type protectedPath struct{ shown, real string }

func newChecker(home string, protected []string) *checker {
	c := &checker{homeShown: home}
	if home != "" {
		c.home = c.resolve(home)
	}
	for _, pr := range protected {
		c.prot = append(c.prot, protectedPath{shown: pr, real: c.resolve(pr)})
	}
	return c
}

func (c *checker) check(g Grant) error {
	p := c.resolve(g.Path)
	if !filepath.IsAbs(p) {
		return fmt.Errorf("write fence: %s (%s) is not an absolute path", g.Path, g.Why)
	}
	if p == "/" {
		return fmt.Errorf("write fence: refusing to grant / (%s): it would contain every file", g.Why)
	}
	if c.home != "" && within(c.home, p) {
		return fmt.Errorf("write fence: refusing to grant %s (%s): it contains your home directory %s; grant the subdirectory the tool writes instead", g.Path, g.Why, c.homeShown)
	}
	for _, pr := range c.prot {
		if within(pr.real, p) {
			return fmt.Errorf("write fence: refusing to grant %s (%s): it contains %s, which the agent must not change; grant a narrower path", g.Path, g.Why, pr.shown)
		}
		if g.Why != WhyFile && within(p, pr.real) {
			return fmt.Errorf("write fence: refusing to grant %s (%s): it lies in %s, which the agent must not change", g.Path, g.Why, pr.shown)
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

// Plan checks the grants for e. It returns those to make, notes on those
// left out (a temp dir or cache that holds HOME or a protected path, a
// working directory that is HOME: the fence would not protect what it
// must), and an error, with nothing to apply, when the project or a
// configured writable path is refused: the user or the config asked for
// something the fence cannot give, and guard says so instead of running
// the command unfenced.
func Plan(e Env) ([]Grant, []string, error) {
	var kept []Grant
	var notes []string
	chk := newChecker(e.Home, protected(e))
	home := chk.home
	for _, g := range Grants(e) {
		if g.Why == WhyProject && home != "" {
			// Outside any work tree the working directory is the project,
			// unless it is HOME or a direct child of it (as for the
			// analysis: ARCHITECTURE.md, "Projects without git"); a work
			// tree that holds HOME (a dotfiles repository) is none either.
			p := chk.resolve(g.Path)
			if within(home, p) || e.ProjectRoot == "" && filepath.Dir(p) == home {
				notes = append(notes, fmt.Sprintf("the working directory %s is not a project (it is your home directory, a directory in it, or holds it): nothing there is writable; run the agent in a project directory", g.Path))
				continue
			}
		}
		err := chk.check(g)
		if err == nil {
			kept = append(kept, g)
			continue
		}
		switch g.Why {
		case WhyProject, WhyWritable:
			return nil, notes, err
		}
		notes = append(notes, strings.TrimPrefix(err.Error(), "write fence: ")+"; not granted")
	}
	return kept, notes, nil
}

// Options tune Apply.
type Options struct {
	// MaxABI caps the Landlock ABI used (0: the kernel's). Tests use it to
	// exercise the downgrade path on a newer kernel.
	MaxABI int
	// NoLandlock makes Apply act as on a kernel without Landlock: the
	// degrade path, for tests and GUARD_FENCE=nolandlock.
	NoLandlock bool
}

// Status is what Apply put in force.
type Status struct {
	// ABI is the Landlock ABI used, 0 when the fence is not in force.
	ABI int
	// Handled are the write rights the kernel now denies outside the
	// grants.
	Handled uint64
	// Granted are the grants made; Skipped the paths missing.
	Granted []Grant
	Skipped []string
	// Notes say what was left out and why (Plan).
	Notes []string
	// Logged reports whether the kernel logs denials to the audit log
	// (ABI 7 and later).
	Logged bool
	// Why says why the fence is not in force, when ABI is 0.
	Why string
}

// Apply builds the rule set for e and restricts the calling thread (and
// everything it later execs or forks) to it. The caller must hold
// runtime.LockOSThread and exec or fork from this thread. A refused grant
// (Plan) is an error and nothing is applied; when the kernel has no
// Landlock, Apply returns a Status with ABI 0 and its Why, and a nil
// error: the caller decides whether to run unfenced (guard does, says so,
// and guard doctor says so).
func Apply(e Env, o Options) (Status, error) {
	grants, notes, err := Plan(e)
	if err != nil {
		return Status{Why: err.Error(), Notes: notes}, err
	}
	abi, err := ABI()
	if o.NoLandlock {
		abi, err = 0, errors.New("Landlock is switched off (GUARD_FENCE=nolandlock)")
	}
	if err != nil {
		return Status{Why: err.Error(), Notes: notes}, nil
	}
	if o.MaxABI > 0 && abi > o.MaxABI {
		abi = o.MaxABI
	}
	handled := Handled(abi)
	attr := unix.LandlockRulesetAttr{Handled_access_fs: handled}
	// The attr struct grew with the ABI (handled_access_net, scoped);
	// pass only handled_access_fs, which every ABI knows. Network and
	// scopes are not the fence's.
	size := unsafe.Sizeof(attr.Handled_access_fs)
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), size, 0)
	if errno != 0 {
		err := fmt.Errorf("write fence: creating the Landlock rule set: %w", errno)
		return Status{Why: err.Error()}, err
	}
	defer unix.Close(int(fd))
	st := Status{ABI: abi, Handled: handled, Notes: notes}
	seen := map[string]bool{}
	for _, g := range grants {
		if seen[g.Path] {
			continue
		}
		seen[g.Path] = true
		switch {
		case g.Create && g.Why == WhyFile:
			// ssh creates known_hosts on its first connection; a file
			// cannot be granted before it exists. Made empty, only where
			// its directory is already there.
			if _, err := os.Lstat(filepath.Dir(g.Path)); err == nil {
				if f, err := os.OpenFile(g.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
					f.Close()
				}
			}
		case g.Create:
			// Only a missing dir costs a look along PATH for its tool.
			if _, err := os.Lstat(g.Path); err != nil && (g.Tool == "" || e.Installed != nil && e.Installed(g.Tool)) {
				os.MkdirAll(g.Path, 0o700) // best effort: a missing path is skipped below
			}
		}
		ok, err := addRule(int(fd), g.Path, handled)
		if err != nil {
			return Status{Why: err.Error()}, err
		}
		if ok {
			st.Granted = append(st.Granted, g)
		} else {
			st.Skipped = append(st.Skipped, g.Path)
		}
	}
	sort.Strings(st.Skipped)
	// Landlock takes a domain only from a thread with no_new_privs or
	// CAP_SYS_ADMIN; as the kernel mark (sandbox/launch) does, guard sets
	// no_new_privs only when it must.
	if !capSysAdmin() {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			err = fmt.Errorf("write fence: setting no_new_privs: %w", err)
			return Status{Why: err.Error()}, err
		}
	}
	var flags uintptr
	if abi >= abiLog {
		// Log what the program guard execs is refused, not guard's own
		// few calls before the exec.
		flags = unix.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF | unix.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
		st.Logged = true
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, flags, 0); errno != 0 {
		err := fmt.Errorf("write fence: restricting this thread: %w", errno)
		if errno == unix.E2BIG {
			err = fmt.Errorf("write fence: too many nested fences (guard inside guard 16 deep): %w", errno)
		}
		return Status{Why: err.Error()}, err
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

// capSysAdmin reports whether this thread has CAP_SYS_ADMIN in its
// effective set, with which Landlock needs no no_new_privs.
func capSysAdmin() bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false
	}
	return data[unix.CAP_SYS_ADMIN/32].Effective&(1<<(unix.CAP_SYS_ADMIN%32)) != 0
}
