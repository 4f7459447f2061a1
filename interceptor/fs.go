package interceptor

import (
	"io/fs"
	"path"
	"strings"
	"time"
)

// MapFS is an in-memory FS for tests: keys are absolute file paths, values
// their content. A path that is a prefix directory of a key exists as a
// directory; a key ending in "/" is an empty directory.
type MapFS map[string]string

// Stat reports a file or an implied directory.
func (m MapFS) Stat(name string) (fs.FileInfo, error) {
	name = path.Clean(name)
	if _, ok := m[name]; ok {
		return mapInfo{name: path.Base(name), size: int64(len(m[name]))}, nil
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

// ReadFile returns the content of a file.
func (m MapFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[path.Clean(name)]; ok {
		return []byte(s), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type mapInfo struct {
	name string
	size int64
	dir  bool
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
	return 0o644
}
