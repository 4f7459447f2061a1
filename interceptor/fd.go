package interceptor

import (
	"strconv"
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
	if err != nil || fd <= 2 {
		return nil
	}
	from := "file descriptor " + target.Value
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
