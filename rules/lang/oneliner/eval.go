package oneliner

import (
	"encoding/base64"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/guard-dev/guard/interceptor"
)

// evaluator analyses one program.
type evaluator struct {
	code Program
	src  string
	vars map[string]ival
	// star lists modules imported whole (from os import *, include
	// FileUtils).
	star []string
	// prefix is shell code run before each check: the directory changes
	// the program made ("cd -- 'x' && ").
	prefix string
	// unknownCode is set when part of the code itself is only known at
	// run time.
	unknownCode bool
	tooComplex  bool
	depth       int
	// reported remembers the unknowns already said, by kind and text.
	reported map[string]bool
	// fromFile: the code is a program file, judged by what it definitely
	// does; what it computes at run time is not reported.
	fromFile bool
	// facts are what the program does, in program order.
	facts []Fact
}

// run analyses src, a whole program or code given to eval.
func (r *evaluator) run(src string, file bool) {
	saved := r.src
	r.src = src
	toks := ilexCode(r.code.Lang, src, file)
	p := &iparser{r: r, toks: toks, limit: 64*len(toks) + 4096}
	p.statements(nil)
	p.flush()
	r.src = saved
	if r.unknownCode {
		r.unknown(UnknownCommand, r.code.How+" runs code that is partly computed at run time, so what it does cannot be checked before it runs")
		r.unknownCode = false
	}
	if r.tooComplex {
		r.unknown(UnknownCommand, r.code.How+" runs a program too complex to check")
		r.tooComplex = false
	}
}

// unknown says once per text that the program does something that cannot
// be known before it runs; a program file says only what it definitely
// does.
func (r *evaluator) unknown(k Kind, reason string) {
	if r.fromFile {
		return
	}
	if r.reported == nil {
		r.reported = map[string]bool{}
	}
	key := strconv.Itoa(int(k)) + "\x00" + reason
	if r.reported[key] {
		return
	}
	r.reported[key] = true
	r.facts = append(r.facts, Fact{Kind: k, Text: reason})
}

// lang names the language for messages.
func (r *evaluator) lang() string {
	switch r.code.Lang {
	case Python:
		return "python"
	case JS:
		return "node"
	case Ruby:
		return "ruby"
	case Perl:
		return "perl"
	}
	return "php"
}

// snippet returns the source of a node for messages.
func (r *evaluator) snippet(n *inode) string {
	if n.pos < 0 || n.end > len(r.src) || n.pos >= n.end {
		return ""
	}
	s := strings.Join(strings.Fields(r.src[n.pos:n.end]), " ")
	s = strings.ReplaceAll(s, interceptor.UnknownMark, "…")
	if len(s) > 100 {
		cut := 97
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// assign binds a target to a value.
func (r *evaluator) assign(t *inode, op string, v ival) {
	switch t.kind {
	case inName:
		switch op {
		case "=", ":=":
			r.vars[t.s] = v
		case "+=":
			r.vars[t.s] = iconcat(r.eval(t), v)
		default:
			r.vars[t.s] = iunknown()
		}
	case inDict: // const { rmSync, rm: del } = require("fs")
		for key, alias := range t.kw {
			if alias.kind == inName {
				r.vars[alias.s] = r.member(v, key)
			}
		}
	case inList:
		for i, a := range t.args {
			if a.kind != inName {
				continue
			}
			if v.kind == ivList && !v.each && len(v.list) == len(t.args) {
				r.vars[a.s] = v.list[i]
			} else {
				r.vars[a.s] = iunknown()
			}
		}
	}
}

// member returns v.name: a longer dotted name for a ref, a known
// constant such as process.env.HOME.
func (r *evaluator) member(v ival, name string) ival {
	if v.kind == ivDict {
		if x, ok := v.dict[name]; ok {
			return x
		}
		return iunknown()
	}
	if v.kind != ivRef {
		if v.kind == ivStr && name == "parent" && r.code.Lang == Python {
			return r.dir(v)
		}
		return iunknown()
	}
	ref := ival{kind: ivRef, s: v.s + "." + name}
	return r.constant(ref)
}

// constant maps the refs that stand for a value to it.
func (r *evaluator) constant(ref ival) ival {
	switch ref.s {
	case "process.env.HOME", "Bun.env.HOME", "process.env.USERPROFILE":
		return ihome("")
	}
	// Ruby and Perl call functions without parentheses: Dir.home, cwd.
	switch ref.s {
	case "Dir.home", "Dir.pwd", "Dir.getwd", "cwd", "getcwd", "Cwd.cwd", "Cwd.getcwd", "File.HomeDir.my_home":
		if r.code.Lang == Ruby || r.code.Lang == Perl {
			v, _ := r.valueFunc(ref.s, nil, nil)
			return v
		}
	}
	return ref
}

// dir returns the parent directory of a path value.
func (r *evaluator) dir(v ival) ival {
	if !v.known() {
		return iunknown()
	}
	d := path.Dir(v.s)
	if v.home {
		if v.s == "" || v.s == "/" {
			return istr(path.Dir(r.code.UserHome))
		}
		if d == "/" {
			d = ""
		}
	}
	out := v
	out.s = d
	return out
}

// eval returns the value of an expression.
func (r *evaluator) eval(n *inode) ival {
	if n == nil {
		return iunknown()
	}
	switch n.kind {
	case inStr:
		v := istr(n.s)
		if n.lits != nil {
			v = istr(n.lits[0])
			for i, a := range n.args {
				v = iconcat(v, r.eval(a))
				if i+1 < len(n.lits) {
					v = iconcat(v, istr(n.lits[i+1]))
				}
			}
		}
		if n.tok != nil && n.tok.glob {
			v.glob = true
			v = iexpandUser(v)
		}
		return v
	case inNum:
		return ival{kind: ivNum, s: n.s}
	case inName:
		return r.name(n.s)
	case inMember:
		return r.member(r.eval(n.x), n.s)
	case inIndex:
		return r.index(r.eval(n.x), r.eval(n.y))
	case inList:
		out := ival{kind: ivList}
		for _, a := range n.args {
			out.list = append(out.list, r.eval(a))
		}
		if len(n.kw) > 0 && len(n.args) == 0 {
			return r.dictOf(n.kw)
		}
		return out
	case inDict:
		return r.dictOf(n.kw)
	case inBin:
		a, b := r.eval(n.x), r.eval(n.y)
		switch {
		case n.s == "+":
			if a.kind == ivNum && b.kind == ivNum {
				return ival{kind: ivNum}
			}
			return iconcat(a, b)
		case n.s == "/" && r.code.Lang == Python && (a.pathObj || b.pathObj):
			return ijoin(a, b)
		}
		return iunknown()
	case inCall:
		return r.evalCall(n)
	}
	return iunknown()
}

// dictOf evaluates dict entries.
func (r *evaluator) dictOf(kw map[string]*inode) ival {
	d := ival{kind: ivDict, dict: map[string]ival{}}
	for k, v := range kw {
		d.dict[k] = r.eval(v)
	}
	return d
}

// name returns the value of a name: a bound variable, a name imported
// whole, a literal constant, or a ref to a global.
func (r *evaluator) name(s string) ival {
	if v, ok := r.vars[s]; ok {
		return v
	}
	lang := r.code.Lang
	switch s {
	case "True", "False", "None", "true", "false", "null", "undefined", "nil", "NaN":
		return ival{kind: ivNum, s: s}
	case "__file__", "__dirname", "__filename", "__DIR__", "__FILE__", "$0", "$_", "@_", "@ARGV", "ARGV":
		return iunknown()
	}
	if (lang == Perl || lang == PHP) && strings.HasPrefix(s, "$") && s != "$ENV" && s != "$_server" && s != "$_SERVER" && s != "$_ENV" ||
		lang == Ruby && strings.HasPrefix(s, "@") {
		return iunknown()
	}
	for _, m := range r.star {
		full := m + "." + s
		if _, ok := r.action(full); ok {
			return ival{kind: ivRef, s: full}
		}
		if _, ok := r.valueFunc(full, nil, nil); ok {
			return ival{kind: ivRef, s: full}
		}
	}
	return r.constant(ival{kind: ivRef, s: s})
}

// index returns x[k]: the home directory from the environment, a list
// element, a dict entry, a Ruby Dir["*.log"] glob.
func (r *evaluator) index(x, k ival) ival {
	switch x.kind {
	case ivRef:
		switch x.s {
		case "os.environ", "process.env", "ENV", "$ENV", "$_SERVER", "$_server", "$_ENV", "Bun.env", "%ENV":
			if k.kind == ivStr && k.s == "HOME" {
				return ihome("")
			}
		case "Dir":
			if k.kind == ivStr {
				g := k
				g.glob = true
				return g
			}
		}
		if k.kind == ivStr && k.known() && !envContainer(x.s) {
			// cp['exec'+'Sync'] is child_process.execSync; a module's
			// __dict__['rmtree'] is shutil.rmtree.
			return ival{kind: ivRef, s: strings.TrimSuffix(x.s, ".__dict__") + "." + k.s}
		}
	case ivList:
		if k.kind == ivNum {
			if i, err := strconv.Atoi(k.s); err == nil && i >= 0 && i < len(x.list) && !x.each {
				return x.list[i]
			}
		}
	case ivDict:
		if k.kind == ivStr {
			if v, ok := x.dict[k.s]; ok {
				return v
			}
		}
	}
	return iunknown()
}

// envContainer reports the names of the environment's maps, whose
// entries are values, not functions.
func envContainer(s string) bool {
	switch s {
	case "os.environ", "process.env", "ENV", "$ENV", "$_SERVER", "$_server", "$_ENV", "Bun.env", "%ENV", "Deno.env":
		return true
	}
	return false
}

// callee returns the dotted name a call resolves to, or the method name
// and the receiver's value for a method called on a value.
func (r *evaluator) callee(n *inode) (name string, recv *ival, ok bool) {
	f := n.x
	if f == nil {
		return "", nil, false
	}
	if f.kind == inMember {
		rv := r.eval(f.x)
		if rv.kind == ivRef {
			return r.canon(rv.s + "." + f.s), nil, true
		}
		return f.s, &rv, true
	}
	v := r.eval(f)
	if v.kind == ivRef {
		return r.canon(v.s), nil, true
	}
	if r.code.Lang == PHP && v.known() && f.kind == inStr {
		return r.canon(v.s), nil, true // "unlink"("x")
	}
	return "", nil, false
}

// canon normalises a dotted name: PHP's names are case-insensitive,
// Perl's CORE:: and Ruby's Kernel are implicit.
func (r *evaluator) canon(s string) string {
	switch r.code.Lang {
	case PHP:
		s = strings.ToLower(strings.TrimPrefix(s, "\\"))
	case Perl:
		s = strings.TrimPrefix(strings.TrimPrefix(s, "CORE.GLOBAL."), "CORE.")
	case Ruby:
		s = strings.TrimPrefix(s, "Kernel.")
	case JS:
		s = strings.TrimPrefix(s, "globalThis.")
		s = strings.TrimPrefix(s, "window.")
	case Python:
		s = strings.TrimPrefix(s, "builtins.")
	}
	return s
}

// evalCall returns the value of a call: the functions that build paths or
// decode strings, and require/import.
func (r *evaluator) evalCall(n *inode) ival {
	name, recv, ok := r.callee(n)
	if !ok {
		return iunknown()
	}
	args := make([]ival, len(n.args))
	for i, a := range n.args {
		args[i] = r.eval(a)
	}
	kw := map[string]ival{}
	for k, v := range n.kw {
		kw[k] = r.eval(v)
	}
	if recv != nil {
		return r.methodValue(name, *recv, args)
	}
	if v, ok := r.valueFunc(name, args, kw); ok {
		return v
	}
	return iunknown()
}

// iarg returns positional argument i or keyword k.
func iarg(args []ival, kw map[string]ival, i int, k string) (ival, bool) {
	if i >= 0 && i < len(args) {
		return args[i], true
	}
	if k != "" {
		if v, ok := kw[k]; ok {
			return v, true
		}
	}
	return iunknown(), false
}

// idecode64 decodes a base64 literal.
func idecode64(v ival) ival {
	if !v.known() {
		return iunknown()
	}
	s := strings.Map(func(r rune) rune {
		if r == '\n' || r == ' ' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, v.s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
			return iunknown()
		}
	}
	return istr(string(b))
}

// ijsModule normalises a module specifier.
func ijsModule(m string) string {
	m = strings.TrimPrefix(m, "node:")
	switch m {
	case "fs/promises":
		return "fs.promises"
	case "fs-extra", "graceful-fs", "fs-extra/esm":
		return "fs"
	case "bun":
		return "Bun"
	case "path/posix":
		return "path"
	}
	return m
}

// valueFunc evaluates the functions whose result is a path, a string or a
// module, by language. ok is false for other functions.
func (r *evaluator) valueFunc(name string, args []ival, kw map[string]ival) (ival, bool) {
	a0, has0 := iarg(args, kw, 0, "")
	env := func(key ival) ival {
		if key.kind == ivStr && key.s == "HOME" {
			return ihome("")
		}
		return iunknown()
	}
	switch r.code.Lang {
	case Python:
		switch name {
		case "boto3.client", "boto3.session.Session.client":
			// An AWS API client: its calls are the aws CLI's.
			svc, ok := iarg(args, kw, 0, "service_name")
			if !ok || svc.kind != ivStr || !svc.known() {
				return iunknown(), true
			}
			return ival{kind: ivDict, dict: map[string]ival{"__boto3__": svc}}, true
		case "boto3.Session", "boto3.session.Session":
			return ival{kind: ivDict, dict: map[string]ival{"__boto3session__": istr("1")}}, true
		case "urllib.request.Request", "urllib2.Request":
			// Request(url, data=None, headers={}, origin_req_host=None,
			// unverifiable=False, method=None): what urlopen sends.
			req := ival{kind: ivDict, dict: map[string]ival{"__request__": istr("urllib")}}
			if has0 {
				req.dict["url"] = a0
			}
			if v, ok := iarg(args, kw, 1, "data"); ok {
				req.dict["data"] = v
			}
			if v, ok := iarg(args, kw, 5, "method"); ok {
				req.dict["method"] = v
			}
			if v, ok := iarg(args, kw, 2, "headers"); ok {
				req.dict["headers"] = v
			}
			return req, true
		case "open", "io.open", "codecs.open":
			if a0.kind == ivStr && a0.known() && !a0.home {
				return ival{opened: a0.s}, true
			}
			return iunknown(), true
		case "json.dumps":
			if js, ok := ijson(a0); ok {
				return istr(js), true
			}
			return iunknown(), true
		case "os.path.expanduser", "posixpath.expanduser":
			return iexpandUser(a0), true
		case "os.path.join", "posixpath.join":
			return ijoin(args...), true
		case "os.path.abspath", "os.path.realpath", "os.path.normpath", "os.fspath", "str", "os.path.expandvars":
			if strings.HasPrefix(a0.s, "$HOME") && a0.kind == ivStr && !a0.home {
				return ival{kind: ivStr, s: a0.s[len("$HOME"):], home: true}, true
			}
			return a0, true
		case "pathlib.Path", "Path", "pathlib.PurePath", "PurePath", "pathlib.PosixPath", "PosixPath", "pathlib.PurePosixPath":
			v := istr(".")
			if len(args) > 0 {
				v = ijoin(args...)
			}
			v.pathObj = true
			return v, true
		case "pathlib.Path.home", "Path.home", "pathlib.PosixPath.home", "PosixPath.home":
			v := ihome("")
			v.pathObj = true
			return v, true
		case "pathlib.Path.cwd", "Path.cwd", "os.getcwd":
			v := istr(".")
			v.pathObj = name != "os.getcwd"
			return v, true
		case "os.getenv", "os.environ.get":
			return env(a0), true
		case "glob.glob", "glob.iglob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "__import__", "importlib.import_module":
			if a0.known() {
				return ival{kind: ivRef, s: a0.s}, true
			}
			return iunknown(), true
		case "getattr":
			// getattr(__import__('shutil'), 'rmtree') is shutil.rmtree.
			if len(args) > 1 && a0.kind == ivRef && args[1].known() && args[1].kind == ivStr {
				return ival{kind: ivRef, s: a0.s + "." + args[1].s}, true
			}
			return iunknown(), true
		case "base64.b64decode", "base64.standard_b64decode", "base64.decodebytes":
			return idecode64(a0), true
		case "os.path.dirname":
			return r.dir(a0), true
		case "tempfile.gettempdir":
			return istr("/tmp"), true
		case "tempfile.mkdtemp", "tempfile.mktemp":
			// A new directory under the temporary directory.
			dir, prefix := istr("/tmp"), istr("tmp")
			if v, ok := iarg(args, kw, 2, "dir"); ok && v.kind == ivStr {
				dir = v
			}
			if v, ok := iarg(args, kw, 1, "prefix"); ok && v.kind == ivStr {
				prefix = v
			}
			g := ijoin(dir, iconcat(prefix, istr("*")))
			g.glob = g.kind == ivStr
			return g, true
		}
	case JS:
		switch name {
		case "fs.readFileSync", "Deno.readTextFileSync", "Deno.readFileSync":
			if a0.kind == ivStr && a0.known() && !a0.home {
				return ival{content: a0.s}, true
			}
			return iunknown(), true
		case "JSON.stringify":
			if js, ok := ijson(a0); ok {
				return istr(js), true
			}
			return iunknown(), true
		case "require", "import":
			if a0.known() {
				return ival{kind: ivRef, s: ijsModule(a0.s)}, true
			}
			return iunknown(), true
		case "os.homedir":
			return ihome(""), true
		case "os.tmpdir":
			return istr("/tmp"), true
		case "path.join", "path.resolve", "path.posix.join", "path.posix.resolve":
			if len(args) == 0 {
				return istr("."), true
			}
			return ijoin(args...), true
		case "path.normalize", "String", "path.toNamespacedPath":
			return a0, true
		case "fs.mkdtempSync", "Deno.makeTempDirSync":
			if a0.kind == ivStr {
				g := iconcat(a0, istr("*"))
				g.glob = true
				return g, true
			}
			return istr("/tmp/" + interceptor.UnknownMark), true
		case "process.cwd", "Deno.cwd":
			return istr("."), true
		case "Deno.env.get", "process.env.get":
			return env(a0), true
		case "atob":
			return idecode64(a0), true
		case "Buffer.from":
			if a1, ok := iarg(args, kw, 1, ""); ok && a1.kind == ivStr && a1.s == "base64" {
				return idecode64(a0), true
			}
			return a0, true
		}
	case Ruby:
		switch name {
		case "Net.HTTP.new", "Net.HTTP.start":
			// An HTTP session with a host: its get/post/delete/... calls
			// are requests there.
			d := map[string]ival{"__nethttp__": a0}
			if v, ok := iarg(args, kw, 1, ""); ok {
				d["port"] = v
			}
			if v, ok := kw["use_ssl"]; ok {
				d["use_ssl"] = v
			}
			return ival{kind: ivDict, dict: d}, true
		case "URI", "URI.parse":
			return a0, true
		case "File.read", "IO.read", "File.binread":
			if a0.kind == ivStr && a0.known() && !a0.home {
				return ival{content: a0.s}, true
			}
			return iunknown(), true
		case "Dir.home":
			if has0 {
				return iunknown(), true
			}
			return ihome(""), true
		case "File.expand_path", "File.absolute_path":
			if !has0 {
				return iunknown(), true
			}
			if name == "File.absolute_path" {
				return a0, true
			}
			return iexpandUser(a0), true
		case "File.join":
			return ijoin(args...), true
		case "Dir.pwd", "Dir.getwd":
			return istr("."), true
		case "ENV.fetch":
			return env(a0), true
		case "Pathname.new", "Pathname":
			v := a0
			v.pathObj = true
			return v, true
		case "Dir.glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "Dir.each_child", "Dir.children", "Dir.entries", "Dir.foreach":
			if a0.known() {
				g := ijoin(a0, istr("*"))
				g.glob = true
				return g, true
			}
			return iunknown(), true
		case "Find.find":
			if a0.known() {
				g := ijoin(a0, istr("**"))
				g.glob = true
				return g, true
			}
			return iunknown(), true
		case "Base64.decode64":
			return idecode64(a0), true
		}
	case Perl:
		switch name {
		case "glob", "File.Glob.bsd_glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
				g = iexpandUser(g)
			}
			return g, true
		case "File.Spec.catfile", "File.Spec.catdir", "catfile", "catdir":
			return ijoin(args...), true
		case "cwd", "getcwd", "Cwd.cwd", "Cwd.getcwd":
			return istr("."), true
		case "decode_base64", "MIME.Base64.decode_base64":
			return idecode64(a0), true
		case "File.HomeDir.my_home":
			return ihome(""), true
		}
	case PHP:
		switch name {
		case "getenv":
			return env(a0), true
		case "getcwd":
			return istr("."), true
		case "glob":
			g := a0
			if g.kind == ivStr {
				g.glob = true
			}
			return g, true
		case "base64_decode":
			return idecode64(a0), true
		case "realpath", "escapeshellarg", "strval", "trim":
			return a0, true
		case "implode", "join":
			if a1, ok := iarg(args, kw, 1, ""); ok && a1.kind == ivList && a0.kind == ivStr {
				return ijoinStrings(a1, a0.s), true
			}
			return iunknown(), true
		}
	}
	return iunknown(), false
}

// ijoinStrings joins a list's elements with sep.
func ijoinStrings(list ival, sep string) ival {
	if list.kind != ivList || list.each {
		return iunknown()
	}
	var parts []string
	for _, e := range list.list {
		if e.kind != ivStr {
			parts = append(parts, interceptor.UnknownMark)
			continue
		}
		parts = append(parts, e.text())
	}
	return istr(strings.Join(parts, sep))
}

// methodValue evaluates methods called on values: path methods and string
// joins.
func (r *evaluator) methodValue(m string, recv ival, args []ival) ival {
	a0 := iunknown()
	if len(args) > 0 {
		a0 = args[0]
	}
	switch r.code.Lang {
	case Python:
		if m == "client" && recv.kind == ivDict && recv.dict["__boto3session__"].s == "1" {
			v, _ := r.valueFunc("boto3.client", args, nil)
			return v
		}
		switch m {
		case "read", "readlines":
			if recv.opened != "" {
				return ival{content: recv.opened}
			}
		case "read_text", "read_bytes":
			if recv.kind == ivStr && recv.pathObj && recv.known() && !recv.home {
				return ival{content: recv.s}
			}
		case "expanduser":
			return iexpandUser(recv)
		case "resolve", "absolute", "as_posix", "decode", "strip", "rstrip", "__str__", "__fspath__":
			return recv
		case "joinpath":
			return ijoin(append([]ival{recv}, args...)...)
		case "glob", "rglob":
			parts := []ival{recv, a0}
			if m == "rglob" {
				parts = []ival{recv, istr("**"), a0}
			}
			g := ijoin(parts...)
			g.glob = g.kind == ivStr
			return g
		case "iterdir":
			g := ijoin(recv, istr("*"))
			g.glob = g.kind == ivStr
			return g
		case "join":
			if recv.kind == ivStr && !recv.pathObj {
				return ijoinStrings(a0, recv.s)
			}
		case "home":
			return ihome("")
		}
	case JS:
		switch m {
		case "toString", "trim", "valueOf":
			return recv
		case "join":
			sep := ","
			if a0.kind == ivStr {
				sep = a0.s
			}
			return ijoinStrings(recv, sep)
		}
	case Ruby:
		switch m {
		case "to_s", "to_path", "to_str", "realpath", "strip", "chomp":
			return recv
		case "expand_path":
			return iexpandUser(recv)
		case "join":
			if recv.kind == ivList {
				sep := ""
				if a0.kind == ivStr {
					sep = a0.s
				}
				return ijoinStrings(recv, sep)
			}
			return ijoin(append([]ival{recv}, args...)...)
		case "+":
			return ijoin(recv, a0)
		}
	}
	return iunknown()
}

// iact is what a call does to files or commands.
type iact struct {
	op string
	// arg is the index of the target (or command) argument, kw its
	// keyword name.
	arg int
	kw  string
	// all: every argument from arg on is a target.
	all bool
	// dropLast drops the last argument (os.execle's environment).
	dropLast bool
}

// action returns what the function name does, by language.
func (r *evaluator) action(name string) (iact, bool) {
	switch r.code.Lang {
	case Python:
		switch name {
		case "shutil.rmtree":
			return iact{op: "rmrf", kw: "path"}, true
		case "os.remove", "os.unlink":
			return iact{op: "rmf", kw: "path"}, true
		case "os.rmdir":
			return iact{op: "rmdir", kw: "path"}, true
		case "os.removedirs":
			return iact{op: "rmdirp", kw: "name"}, true
		case "os.rename", "os.replace", "shutil.move", "os.renames":
			return iact{op: "mv", kw: "src"}, true
		case "os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "pty.spawn":
			return iact{op: "shell", kw: "command"}, true
		case "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen", "asyncio.create_subprocess_shell":
			return iact{op: "cmd", kw: "args"}, true
		case "os.execv", "os.execve", "os.execvp", "os.execvpe", "os.posix_spawn", "os.posix_spawnp":
			return iact{op: "argvList", arg: 1, kw: "argv"}, true
		case "os.execl", "os.execlp":
			return iact{op: "argvRest", arg: 1}, true
		case "os.execle", "os.execlpe":
			return iact{op: "argvRest", arg: 1, dropLast: true}, true
		case "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe":
			return iact{op: "argvList", arg: 2}, true
		case "os.spawnl", "os.spawnlp":
			return iact{op: "argvRest", arg: 2}, true
		case "os.spawnle", "os.spawnlpe":
			return iact{op: "argvRest", arg: 2, dropLast: true}, true
		case "asyncio.create_subprocess_exec":
			return iact{op: "argvRest", arg: 0}, true
		case "open", "io.open", "codecs.open":
			return iact{op: "open", kw: "file"}, true
		case "exec", "eval", "compile":
			return iact{op: "eval", kw: "source"}, true
		case "os.chdir":
			return iact{op: "chdir", kw: "path"}, true
		case "map":
			return iact{op: "map"}, true
		case "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete", "requests.head",
			"httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete", "httpx.head":
			return iact{op: "http", kw: "url"}, true
		case "requests.request", "httpx.request":
			return iact{op: "httpMethod", arg: 1, kw: "url"}, true
		case "urllib.request.urlopen", "urllib2.urlopen":
			return iact{op: "urlopen", kw: "url"}, true
		}
	case JS:
		switch name {
		case "fs.rmSync", "fs.rm", "fs.promises.rm", "Deno.remove", "Deno.removeSync":
			return iact{op: "rmopt"}, true
		case "fs.rmdirSync", "fs.rmdir", "fs.promises.rmdir":
			return iact{op: "rmdiropt"}, true
		case "fs.unlinkSync", "fs.unlink", "fs.promises.unlink":
			return iact{op: "rmf"}, true
		case "fs.remove", "fs.removeSync", "fs.promises.remove", "rimraf", "rimraf.sync", "rimraf.rimraf",
			"rimraf.rimrafSync", "rimraf.native", "rimraf.nativeSync", "rimraf.manual", "rimraf.manualSync",
			"rimraf.default", "rimraf.moveRemove", "rimraf.moveRemoveSync", "del", "del.deleteSync", "del.deleteAsync", "del.sync":
			return iact{op: "rmrf", all: true}, true
		case "fs.emptyDir", "fs.emptyDirSync", "fs.emptydir", "fs.emptydirSync":
			return iact{op: "empty"}, true
		case "fs.renameSync", "fs.rename", "fs.promises.rename", "fs.move", "fs.moveSync":
			return iact{op: "mv"}, true
		case "fs.writeFileSync", "fs.writeFile", "fs.promises.writeFile", "fs.outputFile", "fs.outputFileSync",
			"fs.truncateSync", "fs.truncate", "Deno.writeTextFileSync", "Deno.writeTextFile", "Deno.writeFileSync", "Deno.writeFile", "Bun.write":
			return iact{op: "trunc"}, true
		case "fs.appendFileSync", "fs.appendFile", "fs.promises.appendFile":
			return iact{op: "append"}, true
		case "child_process.exec", "child_process.execSync":
			return iact{op: "shell"}, true
		case "child_process.spawn", "child_process.spawnSync", "child_process.execFile", "child_process.execFileSync":
			return iact{op: "spawn"}, true
		case "Deno.Command":
			return iact{op: "denoCommand"}, true
		case "Deno.run", "Bun.spawn", "Bun.spawnSync":
			return iact{op: "cmdList"}, true
		case "Bun.$", "zx.$", "execa.$", "execa.execaCommand", "execa.execaCommandSync":
			return iact{op: "shell"}, true
		case "eval", "Function", "vm.runInThisContext", "vm.runInNewContext":
			return iact{op: "eval"}, true
		case "process.chdir", "Deno.chdir":
			return iact{op: "chdir"}, true
		case "fetch", "globalThis.fetch", "window.fetch", "node-fetch", "undici.fetch", "undici.request":
			return iact{op: "fetch"}, true
		case "axios.get", "axios.post", "axios.put", "axios.patch", "axios.delete", "axios.head":
			return iact{op: "http"}, true
		}
	case Ruby:
		switch name {
		case "FileUtils.rm_rf", "FileUtils.rm_r", "FileUtils.rmtree", "FileUtils.remove_dir",
			"FileUtils.remove_entry", "FileUtils.remove_entry_secure", "FileUtils.rm_rf!",
			"rm_rf", "rm_r", "remove_dir", "remove_entry", "remove_entry_secure", "rmtree":
			return iact{op: "rmrf", all: true}, true
		case "FileUtils.rm", "FileUtils.rm_f", "FileUtils.remove", "FileUtils.safe_unlink", "FileUtils.remove_file",
			"File.delete", "File.unlink":
			return iact{op: "rmf", all: true}, true
		case "FileUtils.rmdir", "Dir.delete", "Dir.rmdir", "Dir.unlink":
			return iact{op: "rmdir", all: true}, true
		case "FileUtils.mv", "FileUtils.move", "File.rename":
			return iact{op: "mv"}, true
		case "File.write", "IO.write", "File.binwrite", "File.truncate":
			return iact{op: "trunc"}, true
		case "File.open":
			return iact{op: "open"}, true
		case "system", "spawn", "Process.spawn", "exec", "Process.exec", "IO.popen",
			"Open3.capture2", "Open3.capture2e", "Open3.capture3", "Open3.popen3", "Open3.popen2", "Open3.popen2e", "PTY.spawn":
			return iact{op: "argsCmd"}, true
		case "eval", "instance_eval", "class_eval", "module_eval", "binding.eval":
			return iact{op: "eval"}, true
		case "Dir.chdir", "FileUtils.cd", "FileUtils.chdir":
			return iact{op: "chdir"}, true
		case "Net.HTTP.post", "Net.HTTP.post_form", "Net.HTTP.get", "Net.HTTP.get_response", "Net.HTTP.get_print":
			return iact{op: "nethttpClass"}, true
		}
	case Perl:
		switch name {
		case "unlink":
			return iact{op: "rmf", all: true}, true
		case "rmdir":
			return iact{op: "rmdir", all: true}, true
		case "rmtree", "remove_tree", "File.Path.rmtree", "File.Path.remove_tree":
			return iact{op: "rmrf", all: true}, true
		case "rename", "move", "File.Copy.move", "mv", "File.Copy.mv":
			return iact{op: "mv"}, true
		case "system", "exec":
			return iact{op: "argsCmd"}, true
		case "eval":
			return iact{op: "eval"}, true
		case "chdir":
			return iact{op: "chdir"}, true
		case "open":
			return iact{op: "perlOpen"}, true
		}
	case PHP:
		switch name {
		case "unlink":
			return iact{op: "rmf"}, true
		case "rmdir":
			return iact{op: "rmdir"}, true
		case "rename":
			return iact{op: "mv"}, true
		case "file_put_contents":
			return iact{op: "putContents"}, true
		case "system", "exec", "shell_exec", "passthru", "popen", "proc_open":
			return iact{op: "cmd"}, true
		case "pcntl_exec":
			return iact{op: "spawn"}, true
		case "eval":
			return iact{op: "eval"}, true
		case "chdir":
			return iact{op: "chdir"}, true
		case "array_map", "array_walk", "call_user_func", "call_user_func_array":
			return iact{op: "phpCallback"}, true
		}
	}
	return iact{}, false
}

// methodAction returns what a method called on a value does.
func (r *evaluator) methodAction(m string, recv ival) (iact, bool) {
	switch r.code.Lang {
	case Python:
		if recv.kind == ivDict && recv.dict["__boto3__"].kind == ivStr {
			return iact{op: "boto3"}, true
		}
		switch m {
		case "unlink":
			return iact{op: "rmf"}, true
		case "rmdir":
			return iact{op: "rmdir"}, true
		case "rmtree":
			return iact{op: "rmrf"}, true
		case "write_text", "write_bytes":
			if recv.known() {
				return iact{op: "trunc"}, true
			}
		}
	case Ruby:
		switch m {
		case "get", "head", "post", "put", "patch", "options", "copy", "move", "lock", "unlock", "propfind", "proppatch", "mkcol":
			if recv.kind == ivDict {
				if _, ok := recv.dict["__nethttp__"]; ok {
					return iact{op: "nethttp"}, true
				}
			}
		case "rmtree":
			return iact{op: "rmrf"}, true
		case "delete", "unlink":
			if recv.pathObj {
				return iact{op: "rmf"}, true
			}
			if _, ok := recv.dict["__nethttp__"]; ok && m == "delete" && recv.kind == ivDict {
				return iact{op: "nethttp"}, true
			}
		case "rmdir":
			if recv.pathObj {
				return iact{op: "rmdir"}, true
			}
		}
	case JS:
		switch m {
		case "forEach", "map":
			return iact{op: "each"}, true
		}
	}
	return iact{}, false
}

// visit judges one call or command literal once its statement is read.
func (r *evaluator) visit(n *inode) {
	if n.kind == inStr { // `cmd`, qx(), %x()
		r.shell(r.eval(n), "`...`", n)
		return
	}
	name, recv, ok := r.callee(n)
	if !ok {
		return
	}
	args := make([]ival, len(n.args))
	for i, a := range n.args {
		args[i] = r.eval(a)
	}
	kw := map[string]ival{}
	for k, v := range n.kw {
		kw[k] = r.eval(v)
	}
	if r.dbCall(name, args, n) {
		return
	}
	if recv != nil {
		act, ok := r.methodAction(name, *recv)
		if !ok {
			return
		}
		if act.op == "each" {
			if len(args) > 0 && args[0].kind == ivRef {
				r.applyRef(args[0].s, []ival{ielem(*recv)}, n)
			}
			return
		}
		r.apply(name, act, append([]ival{*recv}, args...), kw, n)
		return
	}
	act, ok := r.action(name)
	if !ok {
		return
	}
	r.apply(name, act, args, kw, n)
}

// applyRef applies a function given by name (a callback) to args.
func (r *evaluator) applyRef(name string, args []ival, n *inode) {
	name = r.canon(name)
	if act, ok := r.action(name); ok {
		r.apply(name, act, args, map[string]ival{}, n)
	}
}

// apply carries out an action on evaluated arguments.
func (r *evaluator) apply(name string, act iact, args []ival, kw map[string]ival, n *inode) {
	lang := r.code.Lang
	first := func() (ival, bool) { return iarg(args, kw, act.arg, act.kw) }
	switch act.op {
	case "rmrf", "rmf", "rmdir", "rmdirp", "empty", "trunc", "append":
		var targets []ival
		if act.all {
			if act.arg < len(args) {
				targets = iflatten(args[act.arg:])
			}
		} else if v, ok := first(); ok {
			targets = iflatten([]ival{v})
		}
		if len(targets) == 0 {
			if lang == Perl && len(args) == 0 && (act.op == "rmf" || act.op == "rmdir") {
				targets = []ival{r.name("$_")} // unlink with no arguments: $_
			} else {
				return
			}
		}
		r.files(act.op, name, targets, n)
	case "rmopt", "rmdiropt":
		v, ok := first()
		if !ok {
			return
		}
		op := "rmf"
		if act.op == "rmdiropt" {
			op = "rmdir"
		}
		if len(args) > 1 && args[1].kind == ivDict {
			if rec, ok := args[1].dict["recursive"]; ok && rec.kind == ivNum && rec.s == "true" {
				op = "rmrf"
			}
		}
		r.files(op, name, iflatten([]ival{v}), n)
	case "mv":
		src, ok1 := first()
		dst, ok2 := iarg(args, kw, act.arg+1, "dst")
		if !ok1 || !ok2 {
			return
		}
		ws, okS := ishellWord(src)
		wd, okD := ishellWord(dst)
		if !okS || !okD {
			if !src.known() {
				r.unknown(UnknownTarget, r.lang()+" moves away a path computed at run time: "+r.snippet(n))
			}
			return
		}
		r.check("mv -- "+ws+" "+wd, name)
	case "urlopen":
		r.urlopen(name, args, kw, n)
	case "boto3":
		r.boto3(name, args, kw)
	case "nethttp":
		r.netHTTP(name, args, n)
	case "nethttpClass":
		r.netHTTPClass(name, args, n)
	case "http", "httpMethod", "fetch":
		r.request(act, name, args, kw, n)
	case "shell":
		v, _ := first()
		r.shell(v, name, n)
	case "cmd":
		v, _ := first()
		if v.kind == ivList && !v.each {
			if sh, ok := kw["shell"]; ok && sh.kind == ivNum && sh.s == "True" && len(v.list) > 0 {
				r.shell(v.list[0], name, n)
				return
			}
			r.argv(v.list, name, n)
			return
		}
		r.shell(v, name, n)
	case "argvList":
		v, _ := first()
		if v.kind == ivList && !v.each {
			r.argv(v.list, name, n)
		} else {
			r.unknown(UnknownCommand, r.lang()+" runs a command computed at run time: "+r.snippet(n))
		}
	case "argvRest":
		rest := []ival{}
		if act.arg < len(args) {
			rest = args[act.arg:]
		}
		if act.dropLast && len(rest) > 0 {
			rest = rest[:len(rest)-1]
		}
		r.argv(iflatten(rest), name, n)
	case "argsCmd": // Ruby's and Perl's system: one string is shell code, more are argv
		rest := args
		if len(rest) > 0 && rest[0].kind == ivDict {
			rest = rest[1:] // the environment
		}
		if len(rest) == 1 && rest[0].kind != ivList {
			r.shell(rest[0], name, n)
			return
		}
		if len(rest) == 1 && rest[0].kind == ivList && !rest[0].each {
			r.argv(rest[0].list, name, n) // IO.popen(["rm", "-rf", x])
			return
		}
		if len(rest) > 0 && rest[0].kind == ivList && len(rest[0].list) > 0 {
			rest = append([]ival{rest[0].list[0]}, rest[1:]...) // [cmd, argv0]
		}
		r.argv(iflatten(rest), name, n)
	case "spawn":
		cmd, ok := first()
		if !ok {
			return
		}
		argv := []ival{cmd}
		if len(args) > 1 && args[1].kind == ivList && !args[1].each {
			argv = append(argv, args[1].list...)
		}
		for _, a := range args[1:] {
			if a.kind == ivDict {
				if sh, ok := a.dict["shell"]; ok && (sh.kind == ivStr || sh.kind == ivNum && sh.s == "true") {
					var parts []string
					for _, x := range argv {
						parts = append(parts, x.text())
					}
					r.shell(istr(strings.Join(parts, " ")), name, n)
					return
				}
			}
		}
		r.argv(argv, name, n)
	case "denoCommand":
		cmd, ok := first()
		if !ok {
			return
		}
		argv := []ival{cmd}
		if len(args) > 1 && args[1].kind == ivDict {
			if l, ok := args[1].dict["args"]; ok {
				if l.kind != ivList || l.each {
					argv = append(argv, iunknown())
				} else {
					argv = append(argv, l.list...)
				}
			}
		}
		r.argv(argv, name, n)
	case "cmdList":
		v, _ := first()
		if v.kind == ivDict {
			v = v.dict["cmd"]
		}
		if v.kind == ivList && !v.each {
			r.argv(v.list, name, n)
			return
		}
		r.unknown(UnknownCommand, r.lang()+" runs a command computed at run time: "+r.snippet(n))
	case "eval":
		v, ok := iarg(args, kw, 0, act.kw)
		if name == "Function" && len(args) > 0 {
			v, ok = args[len(args)-1], true
		}
		if !ok || !v.known() || r.depth >= maxEval {
			return
		}
		r.depth++
		saved := r.code.How
		r.code.How += " " + name
		r.run(v.s, false)
		r.code.How = saved
		r.depth--
	case "chdir":
		v, ok := first()
		if !ok {
			return
		}
		r.chdir(v)
	case "open": // Python open(f, "w"), Ruby File.open(f, "w")
		target, ok := first()
		if !ok {
			return
		}
		mode, _ := iarg(args, kw, act.arg+1, "mode")
		if mode.kind != ivStr {
			return
		}
		switch {
		case strings.ContainsAny(mode.s, "w"):
			r.files("trunc", name, []ival{target}, n)
		case strings.ContainsAny(mode.s, "a"):
			r.files("append", name, []ival{target}, n)
		}
	case "perlOpen": // open(my $fh, ">", $path), open(my $fh, "-|", "cmd")
		if len(args) < 3 || args[1].kind != ivStr {
			return
		}
		switch strings.TrimSpace(args[1].s) {
		case ">", "+>", ">:utf8", ">:raw":
			r.files("trunc", name, args[2:3], n)
		case ">>":
			r.files("append", name, args[2:3], n)
		case "-|", "|-":
			if len(args) == 3 {
				r.shell(args[2], name, n)
			} else {
				r.argv(iflatten(args[2:]), name, n)
			}
		}
	case "putContents":
		target, ok := first()
		if !ok {
			return
		}
		op := "trunc"
		for _, a := range n.args[min(2, len(n.args)):] {
			if strings.Contains(strings.ToLower(r.snippet(a)), "file_append") {
				op = "append"
			}
		}
		r.files(op, name, []ival{target}, n)
	case "phpCallback":
		if len(args) < 2 {
			return
		}
		fn, data := args[0], args[1]
		if name == "array_walk" {
			fn, data = args[1], args[0]
		}
		cb := fn.s
		if fn.kind != ivStr && fn.kind != ivRef {
			return
		}
		switch name {
		case "array_map", "array_walk":
			r.applyRef(cb, []ival{ielem(data)}, n)
		case "call_user_func":
			r.applyRef(cb, args[1:], n)
		case "call_user_func_array":
			if data.kind == ivList && !data.each {
				r.applyRef(cb, data.list, n)
			}
		}
	case "map": // Python map(os.remove, paths)
		if len(args) >= 2 && args[0].kind == ivRef {
			r.applyRef(args[0].s, []ival{ielem(args[1])}, n)
		}
	}
}

// files expresses a file operation on targets as shell and checks it.
func (r *evaluator) files(op, name string, targets []ival, n *inode) {
	var words []string
	unknown := false
	for _, t := range targets {
		if t.kind == ivList && t.each {
			for _, x := range t.list {
				if w, ok := ishellWord(x); ok {
					words = append(words, w)
				} else {
					unknown = true
				}
			}
			continue
		}
		w, ok := ishellWord(t)
		if !ok {
			unknown = true
			continue
		}
		words = append(words, w)
	}
	if unknown {
		switch op {
		case "rmrf", "rmf", "rmdir", "rmdirp", "empty":
			r.unknown(UnknownTarget, r.lang()+" deletes a path computed at run time: "+r.snippet(n))
		}
	}
	if len(words) == 0 {
		return
	}
	var sh string
	switch op {
	case "rmrf":
		sh = "rm -rf -- " + strings.Join(words, " ")
	case "rmf":
		sh = "rm -f -- " + strings.Join(words, " ")
	case "rmdir":
		sh = "rmdir -- " + strings.Join(words, " ")
	case "rmdirp":
		sh = "rmdir -p -- " + strings.Join(words, " ")
	case "empty":
		for i := range words {
			words[i] += "/*"
		}
		sh = "rm -rf -- " + strings.Join(words, " ")
	case "trunc", "append":
		redir := " > "
		if op == "append" {
			redir = " >> "
		}
		var parts []string
		for _, w := range words {
			parts = append(parts, ":"+redir+w)
		}
		sh = strings.Join(parts, "; ")
	}
	r.check(sh, name)
}

// shell checks a command string the program runs through a shell.
func (r *evaluator) shell(v ival, name string, n *inode) {
	if v.kind != ivStr || strings.Trim(v.s, interceptor.UnknownMark+" \t\n;&|") == "" {
		r.unknown(UnknownCommand, r.lang()+" runs a shell command computed at run time: "+r.snippet(n))
		return
	}
	home := r.code.Home
	if home == "" {
		home = interceptor.UnknownMark
	}
	s := strings.ReplaceAll(v.s, ihomeMark, home)
	if v.home {
		s = home + s
	}
	r.check(s, name)
}

// argv checks a command given as a list of arguments, run without a
// shell: each element is one word.
func (r *evaluator) argv(list []ival, name string, n *inode) {
	list = iflatten(list)
	if len(list) == 0 {
		return
	}
	if !list[0].known() {
		r.unknown(UnknownCommand, r.lang()+" runs a command computed at run time: "+r.snippet(n))
		return
	}
	words := make([]string, len(list))
	for i, v := range list {
		words[i] = iargWord(v)
	}
	r.check(strings.Join(words, " "), name)
}

// chdir records a directory change for the checks that follow.
func (r *evaluator) chdir(v ival) {
	w, ok := ishellWord(v)
	if !ok {
		w = iquoteShell(interceptor.UnknownMark, false)
	}
	r.prefix += "cd -- " + w + " && "
}

// check records shell code the program runs.
func (r *evaluator) check(sh, name string) {
	r.facts = append(r.facts, Fact{Kind: Shell, Text: r.prefix + sh, How: r.code.How + " " + name})
}
