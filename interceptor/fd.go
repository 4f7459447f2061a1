package interceptor

import (
	"strconv"
	"strings"
)

// fdStream returns what a command reads on stdin redirected from another
// descriptor ("<&3"): the content of Context.Fds the first time it is read,
// data that is unknown otherwise. It returns nil when stdin stays what it
// was (0, 1, 2, a closed or unknown descriptor number).
func (w *walker) fdStream(target Word) *Stream {
	if target.Unknown {
		return &Stream{From: "a file descriptor that cannot be known"}
	}
	fd, err := strconv.Atoi(target.Value)
	if err != nil {
		return nil
	}
	return w.fdNumStream(fd)
}

// fdNumStream is fdStream for descriptor fd.
func (w *walker) fdNumStream(fd int) *Stream {
	if fd <= 2 {
		return nil
	}
	if w.a.rec != nil {
		w.a.rec.spoiled = true
	}
	from := "file descriptor " + strconv.Itoa(fd)
	data, ok := w.a.ctx.Fds[fd]
	if !ok || w.a.fdsRead[fd] {
		return &Stream{From: from}
	}
	if w.a.fdsRead == nil {
		w.a.fdsRead = map[int]bool{}
	}
	w.a.fdsRead[fd] = true
	return &Stream{Known: true, Data: data, From: from}
}

// devFd returns the descriptor a path names: /dev/fd/N, /proc/self/fd/N,
// /dev/stdin (0).
func devFd(p string) (int, bool) {
	if p == "/dev/stdin" {
		return 0, true
	}
	for _, prefix := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n, true
			}
		}
	}
	return 0, false
}

// InputFds returns the descriptors above 2 that src may read as input
// ("<&3", "< /dev/fd/3", "source /dev/fd/3"), by a look at its text: the
// ones a caller may read before the analysis and pass in Context.Fds. It
// only looks; what is read is decided by the analysis.
func InputFds(src string) []int {
	var fds []int
	seen := map[int]bool{}
	add := func(rest string) {
		rest = strings.TrimLeft(rest, " \t")
		end := 0
		for end < len(rest) && end < 4 && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if end == 0 {
			return
		}
		n, err := strconv.Atoi(rest[:end])
		if err != nil || n <= 2 || seen[n] {
			return
		}
		seen[n] = true
		fds = append(fds, n)
	}
	for _, marker := range []string{"<&", "/dev/fd/", "/proc/self/fd/"} {
		for i := 0; ; {
			j := strings.Index(src[i:], marker)
			if j < 0 {
				break
			}
			i += j + len(marker)
			add(src[i:])
		}
	}
	return fds
}
