package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// backupSuffix starts the name of a backup: FILE.guard-backup-TIME.
const backupSuffix = ".guard-backup-"

// backupsOf lists the backups of a file, newest first.
func backupsOf(path string) []string {
	list, _ := filepath.Glob(globEscape(path) + backupSuffix + "*")
	sort.Sort(sort.Reverse(sort.StringSlice(list)))
	return list
}

// globEscape escapes the pattern characters of a literal path.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// targetFile is a settings file as read before an edit.
type targetFile struct {
	path   string // as named
	real   string // with symbolic links resolved: where writes go
	data   []byte
	exists bool
	perm   fs.FileMode
}

// readTarget reads a settings file, following a symbolic link to where the
// file really is (dotfile managers link settings into place; replacing the
// link with a file would cut it loose).
func readTarget(path string) (*targetFile, error) {
	f := &targetFile{path: path, real: path, perm: 0o600}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		f.real = real
	} else if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link to a file that does not exist", path)
	}
	data, err := os.ReadFile(f.real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, err
	}
	fi, err := os.Stat(f.real)
	if err != nil {
		return nil, err
	}
	f.data, f.exists, f.perm = data, true, fi.Mode().Perm()
	return f, nil
}

// replace writes data in place of the file atomically, after keeping the
// current content as a backup. It returns the backup's path ("" when there
// was no file).
func (f *targetFile) replace(data []byte, now time.Time) (string, error) {
	backup := ""
	if f.exists {
		var err error
		if backup, err = writeBackup(f.real, f.data, f.perm, now); err != nil {
			return "", err
		}
	}
	_, err := f.replaceNoBackup(data)
	return backup, err
}

// replaceNoBackup writes data in place of the file atomically: to a
// temporary file beside it, renamed over it once complete. If the file
// changed since it was read, nothing is written and errRace is returned.
func (f *targetFile) replaceNoBackup(data []byte) (string, error) {
	dir := filepath.Dir(f.real)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.real)+".guard-tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), f.perm); err != nil {
		return "", err
	}
	if err := f.unchanged(); err != nil {
		return "", err
	}
	return "", os.Rename(tmp.Name(), f.real)
}

// remove deletes the file if it did not change since it was read.
func (f *targetFile) remove() error {
	if err := f.unchanged(); err != nil {
		return err
	}
	return os.Remove(f.real)
}

// unchanged returns errRace if the file is not as it was read.
func (f *targetFile) unchanged() error {
	now, err := os.ReadFile(f.real)
	if errors.Is(err, fs.ErrNotExist) && !f.exists {
		return nil
	}
	if err != nil || !f.exists || !bytes.Equal(now, f.data) {
		return errRace
	}
	return nil
}

// writeBackup keeps data as path.guard-backup-TIME, with the original's
// permissions, never overwriting an earlier backup.
func writeBackup(path string, data []byte, perm fs.FileMode, now time.Time) (string, error) {
	base := path + backupSuffix + now.UTC().Format("20060102T150405.000000000Z")
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		b, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if _, err := b.Write(data); err != nil {
			b.Close()
			return "", err
		}
		return name, b.Close()
	}
}

// readForUninstall reads the target file of an uninstall. It returns nil
// (and says so) when there is nothing to remove, or nil and the error.
func readForUninstall(t *target, stdout io.Writer) (*targetFile, error) {
	f, err := readTarget(t.path)
	if err != nil {
		return nil, err
	}
	if !f.exists {
		fmt.Fprintf(stdout, "%s: %s does not exist; nothing to remove\n", t.agent, t.path)
		return nil, nil
	}
	return f, nil
}
