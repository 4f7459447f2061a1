package rules

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// MaxConfigSize is the largest config file guard reads. A real config is a
// few kilobytes (the commented default some 20); the cap keeps a file the
// agent can write (.guard.toml) from making guard read without end.
const MaxConfigSize = 1 << 20

// errNoConfig says a layer's file is not there: not an error.
var errNoConfig = errors.New("not present")

// readConfigFile reads the config file of a layer, checking before it
// reads that it is a regular file of at most MaxConfigSize bytes: a FIFO
// would block guard, /dev/zero or a huge file would exhaust it.
//
// Symbolic links: the managed and user files may be links (a dotfiles
// repository commonly links ~/.config/guard/guard.toml), but a link whose
// target is missing is an error, never "no file", so a moved dotfiles
// checkout cannot silently drop the user's protections. The project's
// .guard.toml, which the agent can write, must be the file itself
// (O_NOFOLLOW): a link could make guard read, and echo in its error
// messages, a file the agent is not let read.
//
// It returns errNoConfig when the file does not exist.
func readConfigFile(file string, layer Layer) ([]byte, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK // opening a FIFO must not wait for a writer
	if layer == LayerProject {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(file, flags, 0)
	if err != nil {
		return nil, openError(file, layer, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", withoutPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("is %s, not a regular file: replace it with a regular file or remove it", fileKind(fi.Mode()))
	}
	if fi.Size() > MaxConfigSize {
		return nil, fmt.Errorf("is %d bytes, more than a config file can be (%d): shorten it or remove it", fi.Size(), MaxConfigSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read: %w", withoutPath(err))
	}
	if len(data) > MaxConfigSize {
		return nil, fmt.Errorf("grew past %d bytes while guard read it", MaxConfigSize)
	}
	return data, nil
}

// openError explains why file could not be opened; errNoConfig when it
// does not exist and is no dangling link, in itself or in its directory.
func openError(file string, layer Layer, err error) error {
	switch {
	case layer == LayerProject && errors.Is(err, syscall.ELOOP):
		target, _ := os.Readlink(file)
		return fmt.Errorf("is a symbolic link (to %s): guard reads a project's %s only as a regular file, because the agent can write there; replace the link with a copy of the file", target, ProjectConfigFileName)
	case errors.Is(err, fs.ErrNotExist):
		for _, p := range []string{file, filepath.Dir(file)} {
			target, lerr := os.Readlink(p)
			if lerr != nil {
				continue
			}
			if _, serr := os.Stat(p); errors.Is(serr, fs.ErrNotExist) {
				what := "is a symbolic link"
				if p != file {
					what = "is in " + p + ", a symbolic link"
				}
				return fmt.Errorf("%s to %s, which does not exist: restore the target or remove the link", what, target)
			}
		}
		return errNoConfig
	}
	return fmt.Errorf("cannot read: %w", withoutPath(err))
}

// withoutPath is err without the path the caller names already.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileKind names the kind of a file that is not regular, for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.Type().String() + ")"
}
