package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/guard-dev/guard/interceptor"
)

// Reading descriptors before the real shell does.
//
// Cursor's agent terminal runs
//
//	bash -O extglob -c 'snap=$(command cat <&3) && … builtin eval -- "$snap" && … builtin eval "$1" …' -- CMD
//
// with the shell state of its previous command (variables, options,
// functions, aliases) on descriptor 3. That state is the agent's own doing:
// a function or alias an earlier command defined is restored before CMD
// runs, so "git status" may run anything. Rather than trust it or refuse
// every command, shell mode reads the descriptors the command reads, judges
// the command with their content known, and hands the real shell the same
// bytes on the same descriptor numbers, as it does for a script on stdin.

const (
	// fdReadTimeout bounds the wait for the writer to finish: Cursor writes
	// its state as soon as the shell starts.
	fdReadTimeout = 5 * time.Second
	// fdReadLimit bounds what guard holds for one descriptor.
	fdReadLimit = 64 << 20
)

// readInputFds reads, to their end, the descriptors above 2 that src reads
// as input ("<&3") and that guard inherited as a pipe or a socket, and puts
// each content back on its descriptor as an in-memory file. It returns the
// contents by descriptor. Descriptors that are not open, or are terminals,
// files or devices, are left alone: the analysis then treats what they
// hold as unknown.
func readInputFds(src string) (map[int]string, error) {
	var out map[int]string
	for _, fd := range interceptor.InputFds(src) {
		if !isStream(fd) {
			continue
		}
		data, err := readFd(fd)
		if err != nil {
			return nil, err
		}
		if err := putBack(fd, data); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[int]string{}
		}
		out[fd] = string(data)
	}
	return out, nil
}

// isStream reports whether fd is open and a pipe or a socket.
func isStream(fd int) bool {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return false
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFIFO, unix.S_IFSOCK:
		return true
	}
	return false
}

// readFd reads fd to its end within fdReadTimeout, without closing it.
func readFd(fd int) ([]byte, error) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil, fmt.Errorf("cannot read descriptor %d: %w", fd, err)
	}
	if err := unix.SetNonblock(dup, true); err != nil {
		unix.Close(dup)
		return nil, fmt.Errorf("cannot read descriptor %d: %w", fd, err)
	}
	// os.NewFile on a non-blocking descriptor uses the poller, so the
	// deadline applies.
	f := os.NewFile(uintptr(dup), fmt.Sprintf("fd%d", fd))
	defer f.Close()
	if err := f.SetReadDeadline(time.Now().Add(fdReadTimeout)); err != nil {
		return nil, fmt.Errorf("cannot read descriptor %d: %w", fd, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, fdReadLimit+1))
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("the command reads descriptor %d, whose writer did not finish within %s, so guard cannot check what it reads; run it without guard's shell or pass the data another way", fd, fdReadTimeout)
	case err != nil:
		return nil, fmt.Errorf("cannot read descriptor %d: %w", fd, err)
	case len(data) > fdReadLimit:
		return nil, fmt.Errorf("the command reads more than %d MB on descriptor %d, too much for guard to check", fdReadLimit>>20, fd)
	}
	return data, nil
}

// putBack makes fd an in-memory file holding data, read from its start,
// inherited by the real shell.
func putBack(fd int, data []byte) error {
	mfd, err := unix.MemfdCreate(fmt.Sprintf("guard-fd%d", fd), unix.MFD_CLOEXEC)
	if err != nil {
		return fmt.Errorf("cannot hold descriptor %d for bash: %w", fd, err)
	}
	f := os.NewFile(uintptr(mfd), "guard-fd")
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("cannot hold descriptor %d for bash: %w", fd, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("cannot hold descriptor %d for bash: %w", fd, err)
	}
	// dup2 clears close-on-exec on fd: the shell inherits it.
	if err := unix.Dup2(mfd, fd); err != nil {
		return fmt.Errorf("cannot hand descriptor %d to bash: %w", fd, err)
	}
	return nil
}
