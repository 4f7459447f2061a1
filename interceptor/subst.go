package interceptor

import (
	"io"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// cmdSubst expands one command substitution met while expanding a word. Its
// commands are always analysed as code. When they are a pure producer
// pipeline whose output analysis can compute exactly — echo, printf, cat of
// a heredoc or an existing file, base64 -d of known data, pwd — that output
// is the value, as bash would substitute it; anything else makes the word
// unknown.
//
// This is what lets "eval \"$(echo 'BASE64' | base64 -d)\"" (the way Claude
// Code's shell snapshot restores functions) be analysed as the code it
// decodes to, while "eval \"$(curl …)\"" stays unknown.
func (w *walker) cmdSubst(wr io.Writer, cs *syntax.CmdSubst, st *state, unknown *bool) {
	n := st.nested("$(…)")
	if n.depth > w.a.lim.MaxDepth {
		w.a.limit("the command nests substitutions more than " + strconv.Itoa(w.a.lim.MaxDepth) + " levels deep")
		*unknown = true
		io.WriteString(wr, UnknownMark)
		return
	}
	defer w.unsure()()
	if kind := w.substKind(cs.Stmts, n); kind != "" {
		w.stmts(cs.Stmts, n, nil)
		*unknown = true
		io.WriteString(wr, kind)
		return
	}
	if !pureProducer(cs.Stmts) {
		w.stmts(cs.Stmts, n, nil)
		*unknown = true
		io.WriteString(wr, UnknownMark)
		return
	}
	w.needOut++
	out := w.stmt(cs.Stmts[0], n, nil)
	w.needOut--
	if out == nil || !out.Known || w.a.stopped || strings.Contains(out.Data, UnknownMark) {
		*unknown = true
		io.WriteString(wr, UnknownMark)
		return
	}
	// bash drops NUL bytes and every trailing newline.
	s := strings.ReplaceAll(out.Data, "\x00", "")
	io.WriteString(wr, strings.TrimRight(s, "\n"))
}

// pureProducer reports whether the statements of a substitution are one
// pipeline (or one command) whose standard output is the last command's
// own output: nothing in the background, no "|&", no redirection of
// standard output elsewhere and none of standard error into it. Whether
// that output is known is for walker.output to say.
func pureProducer(stmts []*syntax.Stmt) bool {
	if len(stmts) != 1 {
		return false
	}
	return pureStmt(stmts[0])
}

func pureStmt(s *syntax.Stmt) bool {
	if s == nil || s.Background || s.Coprocess {
		return false
	}
	for _, r := range s.Redirs {
		if !keepsStdout(r) {
			return false
		}
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		return len(c.Args) > 0
	case *syntax.BinaryCmd:
		return c.Op == syntax.Pipe && pureStmt(c.X) && pureStmt(c.Y)
	}
	return false
}

// keepsStdout reports whether a redirection leaves standard output alone
// and adds nothing to it: input redirections, and standard error sent
// anywhere but standard output.
func keepsStdout(r *syntax.Redirect) bool {
	fd := ""
	if r.N != nil {
		fd = r.N.Value
	}
	switch r.Op {
	case syntax.RdrIn, syntax.Hdoc, syntax.DashHdoc, syntax.WordHdoc, syntax.DplIn:
		return fd != "1"
	case syntax.RdrOut, syntax.AppOut, syntax.ClbOut:
		return fd != "" && fd != "1"
	case syntax.DplOut:
		if fd == "" || fd == "1" {
			return false
		}
		lit, ok := plainLit(r.Word)
		return ok && lit != "1"
	}
	return false
}
