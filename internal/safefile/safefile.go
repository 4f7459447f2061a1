// Package safefile reads and creates the files guard keeps for itself (its
// state: approvals, the source cache, the audit log, the signing key) so
// that nothing an agent can do with ordinary shell commands makes guard
// follow a symbolic link, block on a FIFO, read a device, trust a file
// another user planted or load a file of any size into memory.
//
// A file is read only when every directory from the root guard chose (its
// state directory) down to the file is a real directory (not a symbolic
// link) owned by the effective user and not writable by group or others,
// and the file itself, opened with O_NOFOLLOW and O_NONBLOCK (so that a
// FIFO cannot block the open), is a regular file owned by the effective
// user, not writable by group or others, and no larger than the caller's
// bound. The checks on the opened descriptor (fstat) are the ones that
// count; the directory checks keep a swapped directory from redirecting
// the path.
//
// The package is a leaf (the standard library and x/sys only) under
// internal/ at the module root, so that sandbox, cmd/guard and rules (which
// may reuse it for config files) can all import it without breaking the
// one-way dependencies cmd -> sandbox -> rules -> interceptor.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrUnsafe is wrapped by every refusal of a file or directory that exists
// but is not one guard may trust (test with errors.Is). A missing file is
// reported wrapping fs.ErrNotExist instead.
var ErrUnsafe = errors.New("not a file guard trusts")

// UnsafeError says which path was refused and why, and what to do.
type UnsafeError struct {
	// Path is the refused file or directory.
	Path string
	// Why says what is wrong with it: "is a symbolic link", ...
	Why string
}

// Error names the path, the problem and the remedy.
func (e *UnsafeError) Error() string {
	return fmt.Sprintf("%s %s; guard only uses its own state from regular files and directories you own that only you can write: remove it (guard recreates what it needs)", e.Path, e.Why)
}

// Unwrap makes errors.Is(err, ErrUnsafe) true.
func (e *UnsafeError) Unwrap() error { return ErrUnsafe }

// CheckDirs checks that root and every directory below it down to dir
// (dir itself included; dir must be root or inside it) is a real
// directory owned by the effective user and writable by nobody else. A
// missing directory is an error wrapping fs.ErrNotExist.
func CheckDirs(root, dir string) error {
	root, dir = filepath.Clean(root), filepath.Clean(dir)
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("safefile: %s is not inside %s", dir, root)
	}
	p := root
	if err := checkDir(p); err != nil {
		return err
	}
	if rel == "." {
		return nil
	}
	for _, c := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, c)
		if err := checkDir(p); err != nil {
			return err
		}
	}
	return nil
}

// checkDir checks one directory with Lstat.
func checkDir(p string) error {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return &fs.PathError{Op: "lstat", Path: p, Err: err}
	}
	switch {
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return &UnsafeError{Path: p, Why: "is a symbolic link"}
	case st.Mode&unix.S_IFMT != unix.S_IFDIR:
		return &UnsafeError{Path: p, Why: "is not a directory"}
	case int(st.Uid) != os.Geteuid():
		return &UnsafeError{Path: p, Why: fmt.Sprintf("belongs to uid %d, not to you (uid %d)", st.Uid, os.Geteuid())}
	case st.Mode&0o022 != 0:
		return &UnsafeError{Path: p, Why: fmt.Sprintf("is writable by group or others (mode %04o)", st.Mode&0o7777)}
	}
	return nil
}

// MkdirAll creates dir (0700) and the directories from root down to it
// when missing, then checks them all as CheckDirs does.
func MkdirAll(root, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s (check the permissions of its parent): %w", dir, err)
	}
	return CheckDirs(root, dir)
}

// Open opens the file path (inside root) for reading, after the checks the
// package doc describes, and returns it with its size. A missing file is
// an error wrapping fs.ErrNotExist; a file larger than max bytes is
// refused (max <= 0: no bound, for files read as a stream).
func Open(root, path string, max int64) (*os.File, int64, error) {
	if err := CheckDirs(root, filepath.Dir(path)); err != nil {
		return nil, 0, err
	}
	fd, err := openNoFollow(path, unix.O_RDONLY, 0)
	if err != nil {
		return nil, 0, err
	}
	size, err := CheckFd(fd, path, max)
	if err != nil {
		unix.Close(fd)
		return nil, 0, err
	}
	// Back to blocking mode: it is a regular file, and os.File should not
	// hand it to the runtime's poller.
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, 0, fmt.Errorf("safefile: %s: %w", path, err)
	}
	return os.NewFile(uintptr(fd), path), size, nil
}

// ReadFile returns the content of path (inside root), refusing what Open
// refuses. The read is bounded by max even if the file grows meanwhile.
func ReadFile(root, path string, max int64) ([]byte, error) {
	f, size, err := Open(root, path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > max {
		return nil, &UnsafeError{Path: path, Why: fmt.Sprintf("grew beyond %d bytes while guard read it (it was %d)", max, size)}
	}
	return data, nil
}

// OpenFd opens path with flags plus O_NOFOLLOW, O_NONBLOCK and O_CLOEXEC
// (perm applies with O_CREAT) and checks the descriptor as CheckFd does,
// without a size bound, returning it and the file's size. The directory
// holding path must already have been checked by the caller (CheckDirs or
// MkdirAll); this is for the audit log, appended through plain system
// calls on every command.
func OpenFd(path string, flags int, perm uint32) (int, int64, error) {
	fd, err := openNoFollow(path, flags, perm)
	if err != nil {
		return -1, 0, err
	}
	size, err := CheckFd(fd, path, 0)
	if err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	return fd, size, nil
}

// openNoFollow opens path without following a final symbolic link and
// without blocking on a FIFO.
func openNoFollow(path string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(path, flags|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, perm)
		switch {
		case err == nil:
			return fd, nil
		case err == unix.EINTR:
			continue
		case err == unix.ELOOP:
			return -1, &UnsafeError{Path: path, Why: "is a symbolic link"}
		case err == unix.ENXIO:
			// A FIFO with no reader, opened for writing.
			return -1, &UnsafeError{Path: path, Why: "is a FIFO"}
		}
		return -1, &fs.PathError{Op: "open", Path: path, Err: err}
	}
}

// CheckFd checks that the open file fd (named path in messages) is a
// regular file owned by the effective user, writable by nobody else and,
// when max > 0, at most max bytes long; it returns its size.
func CheckFd(fd int, path string, max int64) (int64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, &fs.PathError{Op: "fstat", Path: path, Err: err}
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFIFO:
		return 0, &UnsafeError{Path: path, Why: "is a FIFO"}
	case unix.S_IFCHR, unix.S_IFBLK:
		return 0, &UnsafeError{Path: path, Why: "is a device"}
	case unix.S_IFSOCK:
		return 0, &UnsafeError{Path: path, Why: "is a socket"}
	case unix.S_IFDIR:
		return 0, &UnsafeError{Path: path, Why: "is a directory"}
	default:
		return 0, &UnsafeError{Path: path, Why: "is not a regular file"}
	}
	if int(st.Uid) != os.Geteuid() {
		return 0, &UnsafeError{Path: path, Why: fmt.Sprintf("belongs to uid %d, not to you (uid %d)", st.Uid, os.Geteuid())}
	}
	if st.Mode&0o022 != 0 {
		return 0, &UnsafeError{Path: path, Why: fmt.Sprintf("is writable by group or others (mode %04o)", st.Mode&0o7777)}
	}
	if max > 0 && st.Size > max {
		return 0, &UnsafeError{Path: path, Why: fmt.Sprintf("is %d bytes, more than the %d guard accepts for it", st.Size, max)}
	}
	return st.Size, nil
}
