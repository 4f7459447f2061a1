package interceptor

import (
	"bytes"
	"io"
	"os"
	"path"
	"strings"
)

// maxDiskScript bounds the program files read to find their interpreter;
// a larger file is a program guard does not read (a compiled binary).
const maxDiskScript = 1 << 20

// diskScript follows a program run by its path ("./x.sh", "scripts/wipe",
// "/srv/app/bin/task", also through sudo or timeout) when it is a script:
// its "#!" line names the interpreter the kernel starts, and a text file
// without one is run by bash itself (execve fails with ENOEXEC and bash
// reads the file as a script). A shell script is analysed as "bash FILE"
// is; a python, node, ruby, perl or php script becomes the interpreter's
// invocation with the file, which the rules read like "python3 FILE".
// Compiled programs, files that cannot be read and installed programs
// (under /usr, /bin, /opt, /nix, node_modules, …: judged by their name, as
// "/usr/bin/npx prisma …" is npx) are not read. The program's own
// invocation is emitted as well, by the caller.
//
// What such a script runs is judged by what it definitely does
// (Invocation.Indirect): a program on disk is not the agent's command
// line, and scripts such as ./gradlew end in "exec "$JAVACMD" "$@"", which
// is no reason to ask.
func (w *walker) diskScript(inv Invocation, st *state) {
	if !strings.Contains(inv.Path, "/") || inv.Remote != "" || strings.Contains(inv.Path, UnknownMark) {
		return
	}
	p := ResolvePath(inv.Cwd, inv.Path)
	if _, written := w.a.written[p]; p == "" || written || installedProgram(p) {
		return // a file the line writes: see writtenScript
	}
	text, ok := w.diskText(p)
	if !ok {
		return
	}
	start := len(w.a.out)
	w.runScript(inv, text, st)
	w.indirect(start, inv.Path)
}

// runScript analyses text, the content of the program file inv runs by
// its path, as the interpreter its "#!" line names runs it.
func (w *walker) runScript(inv Invocation, text string, st *state) {
	interp := shebang(text)
	if len(interp) == 0 {
		interp = []string{"bash"} // no #!: bash runs the file itself
	}
	name := path.Base(interp[0])
	run := inv
	run.Name, run.Path = name, interp[0]
	run.Args = append(append(words(interp[1:]), Word{Value: inv.Path}), inv.Args...)
	switch {
	case isShell(name):
		w.shell(run, st)
	case scriptInterpreter(name):
		run.Chain = append(append([]string(nil), st.chain...), inv.Path+" (#!"+strings.Join(interp, " ")+")")
		w.a.emit(run)
	}
}

// installedProgram reports whether p is where installed programs live,
// which are judged by their name rather than read.
func installedProgram(p string) bool {
	for _, dir := range []string{"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/opt/", "/snap/", "/nix/", "/gnu/"} {
		if strings.HasPrefix(p, dir) {
			return true
		}
	}
	return strings.Contains(p, "/node_modules/")
}

// diskText returns the text of the program file at p, when it is a regular
// file small enough to be a script and holds no NUL byte.
func (w *walker) diskText(p string) (string, bool) {
	fsys := w.a.ctx.FS
	fi, err := fsys.Stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxDiskScript {
		return "", false
	}
	if h, ok := fsys.(headReader); ok {
		// Most programs run by path are compiled: look at the start first.
		head, err := h.ReadHead(p, 512)
		if err != nil || bytes.IndexByte(head, 0) >= 0 {
			return "", false
		}
	}
	b, err := fsys.ReadFile(p)
	if err != nil || len(b) > maxDiskScript || bytes.IndexByte(b, 0) >= 0 {
		return "", false
	}
	return string(b), true
}

// headReader is an FS that can read the start of a file without reading
// all of it.
type headReader interface {
	ReadHead(name string, n int) ([]byte, error)
}

// ReadHead returns up to n bytes from the start of the file.
func (OSFS) ReadHead(name string, n int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	k, err := io.ReadFull(f, b)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:k], err
}

// fromDisk marks the invocations emitted since start as reached through
// the script at file.
func (w *walker) indirect(start int, file string) {
	for i := start; i < len(w.a.out); i++ {
		if w.a.out[i].Indirect == "" {
			w.a.out[i].Indirect = file
		}
	}
}

// shebang returns the interpreter and its arguments named by the "#!" line
// of text, as the kernel reads it (one optional argument) and as env and
// "env -S" split it; nil when there is no "#!" line.
func shebang(text string) []string {
	if !strings.HasPrefix(text, "#!") {
		return nil
	}
	line, _, _ := strings.Cut(text[2:], "\n")
	line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
	prog, arg, _ := strings.Cut(line, " ")
	if prog == "" {
		return nil
	}
	out := []string{prog}
	if arg = strings.TrimSpace(arg); arg != "" {
		out = append(out, arg)
	}
	if path.Base(prog) != "env" {
		return out
	}
	// env [-S] [-i] [VAR=x] PROG ARGS…: the kernel passes everything after
	// "env" as one argument; env -S splits it, plain env takes it whole.
	fields := strings.Fields(arg)
	split := false
	for len(fields) > 0 && strings.HasPrefix(fields[0], "-") {
		if strings.HasPrefix(fields[0], "-S") || fields[0] == "--split-string" {
			split = true
			if rest := strings.TrimPrefix(fields[0], "-S"); rest != "" && rest != fields[0] {
				fields[0] = rest
				break
			}
		}
		fields = fields[1:]
	}
	for len(fields) > 0 && isAssign(fields[0]) {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return nil
	}
	if !split && len(fields) > 1 {
		return []string{strings.Join(fields, " ")} // no such program: the exec fails
	}
	return fields
}

// scriptInterpreter reports whether name is an interpreter whose script
// files the rules read.
func scriptInterpreter(name string) bool {
	switch name {
	case "python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "deno", "bun", "ruby", "perl", "php",
		"tsx", "ts-node":
		return true
	}
	return strings.HasPrefix(name, "python3.")
}

func words(ss []string) []Word {
	out := make([]Word, len(ss))
	for i, s := range ss {
		out[i] = Word{Value: s}
	}
	return out
}

// nodeOptions follows NODE_OPTIONS given to a command ("NODE_OPTIONS=
// '--require ./x.js' npm test", or exported earlier): every node process
// the command starts loads the modules it names, so each is an invocation
// of node loading it, for the rules to read.
func (w *walker) nodeOptions(inv Invocation, st *state) {
	opts, ok := inv.Assigns["NODE_OPTIONS"]
	if !ok {
		if v, set := st.lookup("NODE_OPTIONS"); set && st.vars != nil {
			if _, assigned := st.vars["NODE_OPTIONS"]; assigned {
				opts, ok = v, true
			}
		}
	}
	if !ok || !strings.Contains(opts, "-r") && !strings.Contains(opts, "--import") && !strings.Contains(opts, "--loader") {
		return
	}
	n := st.nested("NODE_OPTIONS=" + opts)
	for _, f := range strings.Fields(opts) {
		if strings.HasPrefix(f, "--require=") || strings.HasPrefix(f, "--import=") || strings.HasPrefix(f, "--loader=") ||
			f == "-r" || f == "--require" || f == "--import" || f == "--loader" {
			w.a.emit(Invocation{Name: "node", Path: "node", Args: words(strings.Fields(opts)), Text: inv.Text,
				Cwd: inv.Cwd, Home: inv.Home, Chain: n.chain, Remote: inv.Remote})
			return
		}
	}
}
