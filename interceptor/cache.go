package interceptor

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Sourced files and eval'd text that only define things.
//
// Claude Code sources its shell snapshot — tens of kilobytes of functions,
// each base64-encoded inside an eval, then options and aliases — before
// every command, and Codex sources its own. Analysing one costs milliseconds
// and every "guard -c" is a new process, so the analysis of such a file is
// kept in a SourceCache when it is inert: every command it runs is a shell
// builtin that only changes the shell's own state (alias, shopt, set,
// export, eval of known text, …) or a producer feeding one (echo, base64 -d),
// it writes nothing but /dev/null, reads no other file or descriptor,
// leaves the working directory and positional parameters alone, and nothing
// in it is unknown. What it defines is kept — variables, aliases and each
// function's source text — and applied on a later source of the same
// content in the same starting state; a function's text is parsed only if
// the command calls it, and then analysed like any other function. Large
// eval'd text is kept the same way: Cursor restores its saved state
// (variables, options, every function of the user's interactive shell) with
// eval before every command.
//
// Because an inert file's commands are not analysed again on a hit, a rule
// about one of those builtins would not see them from a cached file.

// SourceCache stores entries for Context.Sources. Keys are hex digests of
// everything the analysis of a sourced file depends on; values are opaque.
// An implementation may drop entries at will.
type SourceCache interface {
	Get(key string) ([]byte, bool)
	Put(key string, value []byte)
}

// sourceRecord collects what the analysis of a sourced file defines, while
// it is analysed with a cache to fill.
type sourceRecord struct {
	// funcs holds the text of each function definition met.
	funcs map[string]string
	// spoiled is set when the file's analysis depends on more than its
	// text and starting state (it read another file or a descriptor).
	spoiled bool
}

// inertCommand reports a command an inert file may run. (A switch, not a
// map: nothing is built at start-up.)
func inertCommand(name string) bool {
	switch name {
	case "alias", "unalias", "shopt", "set", "setopt", "unsetopt",
		"export", "declare", "typeset", "readonly", "local", "unset",
		"true", "false", ":", "[", "test", "command", "type",
		"hash", "return", "complete", "compopt",
		"echo", "printf", "base64", "cat", "eval", "source", ".":
		return true
	}
	return false
}

// sourceCached analyses text, the content of file path sourced in st, using
// the cache when it can. It reports false when the cache does not apply and
// the caller must analyse text itself.
func (w *walker) sourceCached(path, text string, st *state) bool {
	c := w.a.ctx.Sources
	if c == nil || w.a.rec != nil || len(st.funcs) > 0 || len(st.lazy) > 0 || len(st.aliases) > 0 ||
		len(st.funcAliases) > 0 || st.remote != "" {
		return false
	}
	key := sourceKey(path, text, st, w.a.ctx)
	if data, ok := c.Get(key); ok {
		if e, err := decodeEntry(data); err == nil {
			e.apply(st)
			return true
		}
	}
	rec := &sourceRecord{funcs: map[string]string{}}
	start := len(w.a.out)
	cwd, old, ndirs, args := st.cwd, st.old, len(st.dirs), st.args
	before := maps.Clone(st.vars)
	allexport, expFuncs := st.allexport, maps.Clone(st.expFuncs)
	mark := len(st.wlog)
	w.a.rec = rec
	if path == "\x00eval" {
		w.a.script(text, st) // a return in eval'd text ends no file
	} else {
		w.a.sourced(text, st)
	}
	w.a.rec = nil
	// What a later hit applies is the file's result, one write per
	// variable: log the analysis the same way, so both judge alike.
	st.compactLog(mark)
	if rec.spoiled || w.a.stopped || st.cwd != cwd || st.old != old || len(st.dirs) != ndirs ||
		!slices.Equal(st.args, args) || !inert(w.a.out[start:]) ||
		st.allexport != allexport || !maps.Equal(st.expFuncs, expFuncs) { // an entry keeps neither
		return true
	}
	e := entryOf(st, rec, before)
	if e == nil {
		return true
	}
	c.Put(key, e.encode())
	for i := start; i < len(w.a.out); i++ {
		w.a.out[i].Defines = true
	}
	return true
}

// inert reports whether every invocation is one an inert file may run.
func inert(invs []Invocation) bool {
	for _, inv := range invs {
		if inv.Unknown != "" || inv.Remote != "" || !inertCommand(inv.Name) {
			return false
		}
		for _, wr := range inv.Wrappers {
			if wr != "builtin" && wr != "command" {
				return false
			}
		}
		for _, r := range inv.Redirects {
			switch r.Op {
			case "<<", "<<-", "<<<":
				continue
			case ">&", "<&":
				if !r.Target.Unknown && (r.Target.Value == "-" || isDigits(r.Target.Value)) {
					continue
				}
			}
			if r.Target.Unknown || r.Target.Value != "/dev/null" {
				return false
			}
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// sourceKey digests everything the analysis of a sourced file depends on:
// its path and content, and the starting state.
func sourceKey(path, text string, st *state, ctx *Context) string {
	h := sha256.New()
	var buf []byte
	str := func(s string) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		h.Write(buf)
		h.Write([]byte(s))
	}
	str("guard source cache 2")
	str(path)
	sum := sha256.Sum256([]byte(text))
	str(string(sum[:]))
	str(st.cwd)
	str(st.old)
	str(st.home)
	str(ctx.User)
	str(strings.Repeat("d", st.depth))
	if ctx.EnvExact {
		str("exact")
	} else {
		str("inexact")
	}
	str(strings.Join(st.args, "\x00"))
	if st.args == nil {
		str("no args")
	}
	for _, k := range slices.Sorted(maps.Keys(ctx.Env)) {
		str(k)
		str(ctx.Env[k])
	}
	str("vars")
	for _, k := range slices.Sorted(maps.Keys(st.vars)) {
		str(k)
		if st.vars[k].set {
			str("=" + st.vars[k].val)
		} else {
			str("unset")
		}
		str(strconv.Itoa(int(st.vars[k].attr)))
	}
	str("export " + strconv.Itoa(int(st.allexport)) + " " + strconv.FormatBool(st.cleared))
	for _, k := range slices.Sorted(maps.Keys(st.expFuncs)) {
		str(k)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sourceEntry is what an inert file defines.
type sourceEntry struct {
	vars        map[string]shVar
	funcs       map[string]string
	aliases     map[string]string
	funcAliases map[string]map[string]string
}

// entryOf returns what the file just analysed in st defined — the variables
// that differ from before, the functions, the aliases — or nil when a
// function's text is missing.
func entryOf(st *state, rec *sourceRecord, before map[string]shVar) *sourceEntry {
	e := &sourceEntry{vars: map[string]shVar{}, funcs: map[string]string{}, aliases: st.aliases, funcAliases: st.funcAliases}
	for k, v := range st.vars {
		if b, ok := before[k]; !ok || b != v {
			e.vars[k] = v
		}
	}
	for name, body := range st.funcs {
		if body == nil {
			continue
		}
		text, ok := rec.funcs[name]
		if !ok {
			return nil
		}
		e.funcs[name] = text
	}
	return e
}

// apply gives st what the file defines.
func (e *sourceEntry) apply(st *state) {
	st.own()
	if len(e.vars) > 0 && st.vars == nil {
		st.vars = map[string]shVar{}
	}
	for k, v := range e.vars {
		prev := st.logged(k) // code that may not run sourced it (branch.go)
		st.vars[k] = v
		st.noteSure(k)
		st.noteWrite(k, prev)
	}
	st.aliases = maps.Clone(e.aliases)
	st.funcAliases = maps.Clone(e.funcAliases)
	st.funcs = nil
	st.lazy = e.funcs
}

const entryMagic = "guard-source-entry-2\n"

func (e *sourceEntry) encode() []byte {
	b := []byte(entryMagic)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	n := func(k int) { b = binary.AppendUvarint(b, uint64(k)) }
	n(len(e.vars))
	for _, k := range slices.Sorted(maps.Keys(e.vars)) {
		str(k)
		f := int(e.vars[k].attr) << 1 // the attributes, and whether it is set
		if e.vars[k].set {
			f |= 1
		}
		n(f)
		str(e.vars[k].val)
	}
	n(len(e.funcs))
	for _, k := range slices.Sorted(maps.Keys(e.funcs)) {
		str(k)
		str(e.funcs[k])
	}
	n(len(e.aliases))
	for _, k := range slices.Sorted(maps.Keys(e.aliases)) {
		str(k)
		str(e.aliases[k])
	}
	n(len(e.funcAliases))
	for _, k := range slices.Sorted(maps.Keys(e.funcAliases)) {
		str(k)
		m := e.funcAliases[k]
		n(len(m))
		for _, a := range slices.Sorted(maps.Keys(m)) {
			str(a)
			str(m[a])
		}
	}
	return b
}

var errEntry = errors.New("damaged source cache entry")

func decodeEntry(b []byte) (*sourceEntry, error) {
	if !strings.HasPrefix(string(b), entryMagic) {
		return nil, errEntry
	}
	b = b[len(entryMagic):]
	bad := false
	n := func() int {
		v, k := binary.Uvarint(b)
		if k <= 0 || v > uint64(len(b)) {
			bad = true
			return 0
		}
		b = b[k:]
		return int(v)
	}
	str := func() string {
		l := n()
		if bad || l > len(b) {
			bad = true
			return ""
		}
		s := string(b[:l])
		b = b[l:]
		return s
	}
	e := &sourceEntry{funcs: map[string]string{}}
	if k := n(); k > 0 {
		e.vars = map[string]shVar{}
		for i := 0; i < k && !bad; i++ {
			name := str()
			f := n()
			e.vars[name] = shVar{set: f&1 == 1, attr: varAttr(f >> 1), val: str()}
		}
	}
	for i, k := 0, n(); i < k && !bad; i++ {
		name := str()
		e.funcs[name] = str()
	}
	if k := n(); k > 0 {
		e.aliases = map[string]string{}
		for i := 0; i < k && !bad; i++ {
			name := str()
			e.aliases[name] = str()
		}
	}
	if k := n(); k > 0 {
		e.funcAliases = map[string]map[string]string{}
		for i := 0; i < k && !bad; i++ {
			name := str()
			m := map[string]string{}
			for j, l := 0, n(); j < l && !bad; j++ {
				a := str()
				m[a] = str()
			}
			e.funcAliases[name] = m
		}
	}
	if bad || len(b) != 0 {
		return nil, errEntry
	}
	return e, nil
}

// function returns the body of the shell function name, parsing it from
// its text when it came from a cached file. ok is false when there is no
// such function.
func (w *walker) function(st *state, name string) (*syntax.Stmt, bool) {
	if body, ok := st.funcs[name]; ok {
		return body, body != nil
	}
	text, ok := st.lazy[name]
	if !ok {
		return nil, false
	}
	var body *syntax.Stmt
	if f, err := w.a.parser.Parse(strings.NewReader(text), ""); err == nil && len(f.Stmts) == 1 {
		if d, ok := f.Stmts[0].Cmd.(*syntax.FuncDecl); ok && d.Body != nil {
			body = d.Body
		}
	}
	if body == nil {
		// The text parsed before it was kept; it cannot fail now unless
		// the entry is damaged: judge the call as unknown.
		w.a.unknown(st, text, "the shell function "+name+" cannot be read back from guard's cache")
		return nil, false
	}
	st.own()
	if st.funcs == nil {
		st.funcs = map[string]*syntax.Stmt{}
	}
	st.funcs[name] = body
	w.a.keepBodySrc(body, text)
	return body, true
}

// dropFunc removes function name ("unset -f").
func (st *state) dropFunc(name string) {
	st.own()
	if _, lazy := st.lazy[name]; lazy {
		if st.funcs == nil {
			st.funcs = map[string]*syntax.Stmt{}
		}
		st.funcs[name] = nil // hides the cached text
		return
	}
	delete(st.funcs, name)
}
