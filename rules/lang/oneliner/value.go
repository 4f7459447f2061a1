package oneliner

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// ivKind is the kind of a value.
type ivKind int

const (
	ivUnknown ivKind = iota
	ivStr            // a string or path
	ivList           // a list, array or tuple
	ivDict           // a dict, object or hash
	ivRef            // a name: a module, a function, a global
	ivNum            // a number or another literal without text of interest
)

// ival is what an expression evaluates to, as far as it is known.
type ival struct {
	kind ivKind
	// s is a string's text (UnknownMark where unknown) or a ref's dotted
	// name.
	s string
	// home is true when the path is the home directory followed by s ("" or
	// "/rest").
	home bool
	// glob is true when s is a pattern matched against the filesystem.
	glob bool
	// pathObj is true for Path/Pathname objects.
	pathObj bool
	list    []ival
	dict    map[string]ival
	// each is true for a loop variable: one of list's elements in turn.
	each bool
	// opened is the path of a file object (open('.env')); content is the
	// path of a file whose content the value is (open('.env').read(),
	// fs.readFileSync('.env')): unknown text, from a known file.
	opened, content string
}

// iunknown is a value that cannot be known.
func iunknown() ival { return ival{} }

// istr is a string value.
func istr(s string) ival { return ival{kind: ivStr, s: s} }

// ihome is the home directory followed by rest ("" or "/...").
func ihome(rest string) ival { return ival{kind: ivStr, s: rest, home: true} }

// ihomeMark stands for the home directory inside a string that does not
// start with it; the shell text gets the real directory.
const ihomeMark = "\x00~\x00"

// known reports whether v is a string with no unknown part.
func (v ival) known() bool {
	return v.kind == ivStr && !strings.Contains(v.s, interceptor.UnknownMark) && !strings.Contains(v.s, ihomeMark)
}

// text returns the string form of v for messages and shell code:
// UnknownMark when it is not a string.
func (v ival) text() string {
	if v.kind != ivStr {
		return interceptor.UnknownMark
	}
	if v.home {
		return "~" + v.s
	}
	return v.s
}

// iconcat joins two strings.
func iconcat(a, b ival) ival {
	if a.kind == ivList && a.each && b.kind == ivList && b.each {
		return iunknown() // two loop variables: not followed
	}
	if a.kind == ivList && a.each {
		return imapEach(a, func(x ival) ival { return iconcat(x, b) })
	}
	if b.kind == ivList && b.each {
		return imapEach(b, func(x ival) ival { return iconcat(a, x) })
	}
	if a.kind == ivStr && a.s == "" && !a.home && !a.glob && b.kind == ivStr {
		return b
	}
	if b.kind == ivStr && b.s == "" && !b.home && !b.glob && a.kind == ivStr {
		return a
	}
	if a.kind == ivNum && b.kind == ivStr {
		a = istr(interceptor.UnknownMark)
	}
	if a.kind != ivStr && b.kind != ivStr {
		return iunknown()
	}
	if a.kind != ivStr {
		a = istr(interceptor.UnknownMark)
	}
	if b.kind != ivStr {
		b = istr(interceptor.UnknownMark)
	}
	if b.home {
		// The home directory inside a string: a command line that names
		// it ("rm -rf " + home); no path starts that way.
		return istr(a.s + ihomeMark + b.s)
	}
	r := ival{kind: ivStr, s: a.s + b.s, home: a.home, glob: a.glob || b.glob, pathObj: a.pathObj}
	if a.home && a.s == "" && b.s != "" && b.s[0] != '/' {
		return istr(interceptor.UnknownMark + b.s) // "~" + "foo" is ~foo, another user's home
	}
	return r
}

// imapEach applies f to each element of a loop value.
func imapEach(v ival, f func(ival) ival) ival {
	out := ival{kind: ivList, each: true}
	for _, x := range v.list {
		out.list = append(out.list, f(x))
	}
	return out
}

// ijoin joins path parts as os.path.join and path.join do: an absolute
// part starts over.
func ijoin(parts ...ival) ival {
	if len(parts) == 0 {
		return iunknown()
	}
	loops := 0
	for _, p := range parts {
		if p.kind == ivList && p.each {
			loops++
		}
	}
	if loops > 1 {
		return iunknown() // two loop variables: not followed
	}
	for _, p := range parts {
		if p.kind == ivList && p.each {
			return imapEach(p, func(x ival) ival {
				q := append([]ival(nil), parts...)
				for i := range q {
					if q[i].kind == ivList && q[i].each {
						q[i] = x
						break
					}
				}
				return ijoin(q...)
			})
		}
	}
	r := parts[0]
	if r.kind != ivStr {
		r = istr(interceptor.UnknownMark)
	}
	for _, p := range parts[1:] {
		if p.kind != ivStr {
			p = istr(interceptor.UnknownMark)
		}
		switch {
		case p.home || strings.HasPrefix(p.s, "/"):
			r = p
		case p.s == "":
		case r.s == "" && !r.home:
			r = ival{kind: ivStr, s: p.s, glob: p.glob}
		default:
			sep := "/"
			if strings.HasSuffix(r.s, "/") {
				sep = ""
			}
			r = ival{kind: ivStr, s: r.s + sep + p.s, home: r.home, glob: r.glob || p.glob}
		}
	}
	r.pathObj = parts[0].pathObj
	return r
}

// iexpandUser expands a leading "~" as os.path.expanduser, File.expand_path
// and Perl's glob do; "~user" is another user's home, unknown here.
func iexpandUser(v ival) ival {
	if v.kind != ivStr || v.home || !strings.HasPrefix(v.s, "~") {
		return v
	}
	if v.s == "~" || strings.HasPrefix(v.s, "~/") {
		r := v
		r.home = true
		r.s = strings.TrimSuffix(v.s[1:], "/")
		if r.s == "" && strings.HasPrefix(v.s, "~/") && len(v.s) > 2 {
			r.s = "/"
		}
		return r
	}
	return istr(interceptor.UnknownMark + v.s)
}

// imaxEach bounds the values a loop variable is followed with; a longer
// list makes it unknown.
const imaxEach = 64

// ielem returns the value of one element of an iterable: a loop variable.
func ielem(v ival) ival {
	switch {
	case v.kind == ivList && len(v.list) == 1:
		return ielem(v.list[0])
	case v.kind == ivList:
		flat := iflatten([]ival{v})
		if len(flat) > imaxEach {
			return iunknown()
		}
		return ival{kind: ivList, each: true, list: flat}
	case v.kind == ivStr && v.glob:
		return v
	}
	return iunknown()
}

// iflatten expands lists (targets given as arrays or several arguments);
// dicts (options) are dropped.
func iflatten(vs []ival) []ival {
	var out []ival
	for _, v := range vs {
		switch v.kind {
		case ivList:
			out = append(out, iflatten(v.list)...)
		case ivDict:
		default:
			out = append(out, v)
		}
	}
	return out
}

// iquoteShell quotes s for bash; a glob's pattern characters stay
// unquoted so that the shell, and the path model, see the pattern.
func iquoteShell(s string, glob bool) string {
	if s == "" {
		return "''"
	}
	if !glob {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	var b strings.Builder
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			b.WriteString(iquoteShell(lit.String(), false))
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']':
			flush()
			b.WriteByte(s[i])
		default:
			lit.WriteByte(s[i])
		}
	}
	flush()
	return b.String()
}

// ishellWord renders a value as one shell word: the home directory as ~.
// ok is false when the value is not a known string.
func ishellWord(v ival) (string, bool) {
	if !v.known() {
		return "", false
	}
	if !v.home {
		return iquoteShell(v.s, v.glob), true
	}
	rest := strings.TrimPrefix(v.s, "/")
	if rest == "" {
		if v.s == "/" {
			return "~/", true
		}
		return "~", true
	}
	return "~/" + iquoteShell(rest, v.glob), true
}

// iargWord renders an argv element: unknown parts stay in the word, so
// the shell analysis sees an argument it cannot know.
func iargWord(v ival) string {
	if w, ok := ishellWord(v); ok {
		return w
	}
	if v.kind == ivStr && !v.home {
		return iquoteShell(strings.ReplaceAll(v.s, ihomeMark, interceptor.UnknownMark), false)
	}
	return iquoteShell(interceptor.UnknownMark, false)
}
