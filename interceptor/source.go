package interceptor

import (
	"errors"
	"io/fs"
	"strings"
)

// scriptFile returns the text of a script file that source, "." or
// "bash FILE" runs. A file that does not exist runs nothing (known, empty);
// one that exists but cannot be read whole — too large, not a regular file,
// unreadable, or relative to an unknown directory — is unknown, with why.
func (w *walker) scriptFile(target Word, st *state) (text string, known bool, why string) {
	if target.Unknown {
		return "", false, "whose name cannot be known (" + target.String() + ")"
	}
	s := w.readFile(target, st)
	if s.Known {
		return s.Data, true, ""
	}
	if st.remote != "" {
		return "", false, target.String() + " on " + st.remote + ", which cannot be read from here"
	}
	p := ResolvePath(st.cwd, target.Value)
	if p == "" {
		return "", false, target.String() + " in a directory that cannot be known"
	}
	if lp := w.linkedPath(p); lp != p {
		if lp == "" {
			return "", false, target.String() + ", whose links the command line makes cannot be followed (a loop)"
		}
		p = lp // the file a link the line makes points to
	}
	if _, ok := w.a.written[p]; ok {
		return "", false, strings.TrimPrefix(s.From, "file ")
	}
	if _, ok := devFd(p); !ok {
		if _, err := w.a.ctx.FS.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return "", true, ""
		}
	}
	return "", false, target.String() + ", which cannot be read to check it"
}
