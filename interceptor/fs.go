package interceptor

import (
	"io/fs"
	"path"
	"strings"
	"time"
)

// MapFS is an in-memory FS for tests: keys are absolute file paths, values
// their content. A path that is a prefix directory of a key exists as a
// directory; a key ending in "/" is an empty directory; a value made by
// MapLink is a symbolic link, which Stat and ReadFile follow.
type MapFS map[string]string

// Stat reports a file or an implied directory, following links.
func (m MapFS) Stat(name string) (fs.FileInfo, error) {
	p, err := m.resolve(name, true)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return m.stat(p)
}

// stat reports the entry at the cleaned path name, links not followed.
func (m MapFS) stat(name string) (fs.FileInfo, error) {
	if v, ok := m[name]; ok {
		return mapInfo{name: path.Base(name), size: int64(len(v))}, nil
	}
	prefix := name + "/"
	if name == "/" {
		prefix = "/"
	}
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return mapInfo{name: path.Base(name), dir: true}, nil
		}
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// ReadFile returns the content of a file, following links.
func (m MapFS) ReadFile(name string) ([]byte, error) {
	p, err := m.resolve(name, true)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if s, ok := m[p]; ok {
		return []byte(s), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type mapInfo struct {
	name string
	size int64
	dir  bool
	link bool
}

func (i mapInfo) Name() string       { return i.name }
func (i mapInfo) Size() int64        { return i.size }
func (i mapInfo) ModTime() time.Time { return time.Time{} }
func (i mapInfo) IsDir() bool        { return i.dir }
func (i mapInfo) Sys() any           { return nil }
func (i mapInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	if i.link {
		return fs.ModeSymlink | 0o777
	}
	return 0o644
}
