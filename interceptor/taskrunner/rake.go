package taskrunner

import (
	"path"
	"strconv"
	"strings"
)

// rake: the tasks of a Rakefile. A task's body is Ruby; guard reads the
// statements whose effect it knows — sh, system, backticks and %x( ) run
// shell code; ruby runs ruby; FileUtils' rm_rf, rm_r, rm_f, rm and
// remove_dir remove what they name; Rake::Task[...].invoke runs another
// task; output, require and plain assignments do nothing — and a body with
// any other statement is unknown: Ruby can do anything.

// rakeTask is one task of a Rakefile.
type rakeTask struct {
	name string
	deps []string
	// body holds the statements of the task's block.
	body []makeLine
	line int
	file string
}

// rakefile is what rake has read.
type rakefile struct {
	tasks map[string]*rakeTask
	file  string
	// unknown says why the file could not be read as far as guard reads.
	unknown string
}

// rake follows the tasks a rake command runs.
func (rd *reader) rake() {
	if rd.c.Cwd == "" {
		return
	}
	dir, file := rd.c.Cwd, ""
	var goals []string
	for i := 0; i < len(rd.c.Args); i++ {
		a := rd.c.Args[i]
		v := a.Value
		name, val, eq := strings.Cut(v, "=")
		switch {
		case name == "-f" || name == "--rakefile" || name == "-C" || name == "--directory":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			if name == "-C" || name == "--directory" {
				dir = resolve(rd.c.Cwd, val)
			} else {
				file = val
			}
		case v == "-T" || v == "--tasks" || v == "-D" || v == "--describe" || v == "-P" || v == "--prereqs" || v == "-W" ||
			v == "--where" || v == "-h" || v == "--help" || v == "-V" || v == "--version" || v == "-n" || v == "--dry-run":
			return
		case name == "-e" || name == "--execute" || name == "-p" || name == "--execute-print" || name == "-E" || name == "--execute-continue":
			if !eq && i+1 < len(rd.c.Args) {
				i++
				val = rd.c.Args[i].Value
			}
			rd.recipe("rake "+name, "ruby -e "+quote(val), dir)
		case name == "-r" || name == "--require" || name == "-I" || name == "--libdir" || name == "-R" || name == "--rakelibdir" || name == "-j" || name == "--jobs":
			if !eq {
				i++
			}
		case strings.HasPrefix(v, "-"):
		case a.Unknown:
			rd.unknown("rake", "rake is given a task that cannot be known ("+a.String()+")")
			return
		case eq && isName(name):
		default:
			goals = append(goals, v)
		}
	}
	if dir == "" {
		return
	}
	var p string
	if file != "" {
		p = resolve(dir, file)
	} else {
	search:
		for d := dir; ; d = path.Dir(d) {
			for _, n := range []string{"rakefile", "Rakefile", "rakefile.rb", "Rakefile.rb"} {
				if _, exists, why := rd.h.File(path.Join(d, n)); exists || why != "" {
					p, dir = path.Join(d, n), d
					break search
				}
			}
			if d == "/" {
				break
			}
		}
	}
	if len(goals) == 0 {
		goals = []string{"default"}
	}
	link := "rake " + strings.Join(goals, " ")
	if p == "" {
		return
	}
	data, exists, why := rd.h.File(p)
	if why != "" {
		rd.unknown(link, "rake reads "+why)
		return
	}
	if !exists {
		return
	}
	rf := parseRakefile(data, where(p, rd.c.Cwd))
	// rake imports rakelib/*.rake; Rails loads lib/tasks/*.rake.
	for _, sub := range []string{"rakelib", "lib/tasks"} {
		entries, _ := rd.h.ReadDir(path.Join(dir, sub))
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".rake") {
				continue
			}
			f := path.Join(dir, sub, e.Name())
			data, _, why := rd.h.File(f)
			if why != "" {
				rd.unknown(link, "rake reads "+why)
				return
			}
			rf.read(data, where(f, rd.c.Cwd))
		}
	}
	if rf.unknown != "" {
		rd.unknown(link, "rake reads "+where(p, rd.c.Cwd)+", which guard cannot follow ("+rf.unknown+")")
		return
	}
	seen := map[string]bool{}
	for _, g := range goals {
		name, _, _ := strings.Cut(g, "[")
		rd.rakeRun(rf, name, "rake "+g, dir, seen, 0)
	}
}

// rakeRun yields a task and its prerequisites. A task the Rakefile does
// not define comes from a gem (Rails' db:migrate) or does not exist:
// not followed, as a program is not.
func (rd *reader) rakeRun(rf *rakefile, name, link, dir string, seen map[string]bool, depth int) {
	t, ok := rf.tasks[name]
	if !ok || seen[name] || depth > 32 || rd.stopped() {
		return
	}
	seen[name] = true
	for _, d := range t.deps {
		rd.rakeRun(rf, d, link+": "+d, dir, seen, depth+1)
	}
	for _, s := range t.body {
		at := link + " (" + t.file + " line " + strconv.Itoa(s.line) + ")"
		cmds, calls, why := rubyStatement(s.text)
		if why != "" {
			rd.unknown(at, "the rake task "+name+" runs Ruby guard cannot check: "+why+" ("+t.file+" line "+strconv.Itoa(s.line)+")")
			continue
		}
		for _, c := range cmds {
			rd.recipe(at, c, dir)
		}
		for _, c := range calls {
			rd.rakeRun(rf, c, link+": "+c, dir, seen, depth+1)
		}
	}
}

// parseRakefile reads the tasks of a Rakefile: "task :name", "task name:
// deps", "task :name => [deps]", with "do … end" bodies, inside
// "namespace :ns do … end".
func parseRakefile(text, file string) *rakefile {
	rf := &rakefile{tasks: map[string]*rakeTask{}, file: file}
	rf.read(text, file)
	return rf
}

// read adds the tasks of one Rakefile or .rake file.
func (rf *rakefile) read(text, file string) {
	var ns []string
	type frame struct {
		kind byte // 'n' namespace, 't' task, 'b' other block
		task *rakeTask
	}
	var stack []frame
	// task is the task whose block is open, if any (tasks do not nest).
	var task *rakeTask
	inTask := func() *rakeTask { return task }
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(stripRubyComment(lines[i]))
		if t == "" {
			continue
		}
		if t == "__END__" {
			break
		}
		if strings.HasPrefix(t, "=begin") {
			for i < len(lines) && !strings.HasPrefix(lines[i], "=end") {
				i++
			}
			continue
		}
		word := rubyWord(t)
		opens := rubyOpens(t, word)
		switch {
		case word == "end" || strings.HasPrefix(t, "end.") || t == "}":
			if len(stack) > 0 {
				if f := stack[len(stack)-1]; f.kind == 'n' && len(ns) > 0 {
					ns = ns[:len(ns)-1]
				} else if f.kind == 't' {
					task = nil
				}
				stack = stack[:len(stack)-1]
			}
			continue
		case word == "namespace" && inTask() == nil:
			name, _, _ := rubyTaskName(strings.TrimSpace(strings.TrimPrefix(t, "namespace")))
			ns = append(ns, name)
			stack = append(stack, frame{kind: 'n'})
			continue
		case (word == "task" || word == "multitask") && inTask() == nil:
			name, deps, ok := rubyTaskName(strings.TrimSpace(t[len(word):]))
			if !ok {
				rf.unknown = "a task definition it cannot read at " + file + " line " + strconv.Itoa(i+1)
				return
			}
			full := strings.Join(append(append([]string(nil), ns...), name), ":")
			t := rf.tasks[full]
			if t == nil {
				t = &rakeTask{name: full, line: i + 1, file: file}
				rf.tasks[full] = t
			}
			for _, d := range deps {
				if !strings.HasPrefix(d, "^") && len(ns) > 0 {
					if _, top := rf.tasks[d]; !top {
						d = strings.Join(ns, ":") + ":" + d // resolved in the namespace first
					}
				}
				t.deps = append(t.deps, strings.TrimLeft(d, "^"))
			}
			if opens {
				stack = append(stack, frame{kind: 't', task: t})
				task = t
			}
			continue
		}
		if task != nil {
			task.body = append(task.body, makeLine{text: t, line: i + 1})
		}
		if opens {
			stack = append(stack, frame{kind: 'b'})
		}
	}
}

// rubyWord returns the first word of a statement.
func rubyWord(t string) string {
	n := 0
	for n < len(t) && (isName(t[n:n+1]) || n > 0 && (t[n] >= '0' && t[n] <= '9' || t[n] == '?' || t[n] == '!')) {
		n++
	}
	return t[:n]
}

// rubyOpens reports whether a line opens a block closed by "end".
func rubyOpens(t, word string) bool {
	switch word {
	case "if", "unless", "while", "until", "case", "begin", "def", "class", "module", "for":
		return true
	}
	if strings.HasSuffix(t, " do") || t == "do" {
		return true
	}
	if i := strings.LastIndex(t, " do |"); i >= 0 && strings.HasSuffix(t, "|") {
		return true
	}
	return false
}

// stripRubyComment removes a # comment outside strings.
func stripRubyComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '#':
			return s[:i]
		}
	}
	return s
}

// rubyTaskName reads ":name", "name: deps", ":name => deps", "\"name\"",
// with an optional argument list, up to "do".
func rubyTaskName(s string) (string, []string, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "do"))
	if i := strings.LastIndex(s, " do |"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "("), ")"))
	var name, rest string
	switch {
	case strings.HasPrefix(s, ":"):
		n := 1
		for n < len(s) && (isName(s[n:n+1]) || s[n] >= '0' && s[n] <= '9') {
			n++
		}
		name, rest = s[1:n], s[n:]
	case strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", nil, false
		}
		name, rest = s[1:1+end], s[2+end:]
	default:
		n := 0
		for n < len(s) && (isName(s[n:n+1]) || s[n] >= '0' && s[n] <= '9') {
			n++
		}
		if n == 0 || n >= len(s) || s[n] != ':' {
			return "", nil, false
		}
		name, rest = s[:n], "=>"+s[n+1:]
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, ",") {
		// Arguments: ", [:a, :b] => deps" or ", [:a]".
		rest = strings.TrimSpace(rest[1:])
		if end := strings.IndexByte(rest, ']'); strings.HasPrefix(rest, "[") && end >= 0 {
			rest = strings.TrimSpace(rest[end+1:])
		}
	}
	var deps []string
	if strings.HasPrefix(rest, "=>") {
		for _, d := range strings.FieldsFunc(rest[2:], func(r rune) bool { return strings.ContainsRune(" ,[]", r) }) {
			d = strings.Trim(d, `:"'`)
			if d != "" {
				deps = append(deps, d)
			}
		}
	}
	return name, deps, name != ""
}

// rubyStatement reads one statement of a task body: the shell commands it
// runs, the tasks it invokes, or why it cannot be known.
func rubyStatement(t string) (cmds, calls []string, why string) {
	word := rubyWord(t)
	rest := strings.TrimSpace(t[len(word):])
	// A trailing modifier ("… if cond") does not change what may run.
	switch word {
	case "puts", "print", "p", "pp", "warn", "require", "require_relative", "desc", "abort", "exit", "raise", "next",
		"return", "else", "elsif", "when", "then", "ensure", "rescue", "mkdir_p", "mkdir", "touch", "cd", "chdir", "verbose",
		"if", "unless", "while", "until", "case", "begin", "loop":
		if strings.Contains(rest, "`") || strings.Contains(rest, "system") || strings.Contains(rest, "%x") {
			return nil, nil, "a command run inside a condition or message"
		}
		return nil, nil, ""
	case "sh", "system", "exec", "ruby":
		args, ok := rubyArgs(rest)
		if !ok || len(args) == 0 {
			return nil, nil, "a " + word + " call whose command is not a string literal"
		}
		cmd := args[0]
		if len(args) > 1 {
			cmd = ""
			for _, a := range args {
				cmd += quote(a) + " "
			}
		}
		if word == "ruby" {
			cmd = "ruby " + cmd
		}
		return []string{cmd}, nil, ""
	case "rm_rf", "rm_r", "remove_dir", "remove_entry", "rm_f", "rm", "safe_unlink", "remove_entry_secure":
		return rubyRemove(word, rest)
	case "FileUtils":
		if m := rubyWord(strings.TrimPrefix(rest, ".")); strings.HasPrefix(rest, ".") {
			switch m {
			case "rm_rf", "rm_r", "remove_dir", "remove_entry", "rm_f", "rm", "safe_unlink", "remove_entry_secure":
				return rubyRemove(m, strings.TrimSpace(strings.TrimPrefix(rest, "."+m)))
			case "mkdir_p", "mkdir", "touch", "cd", "chdir":
				return nil, nil, ""
			}
		}
	case "Rake":
		if strings.HasPrefix(rest, "::Task[") {
			end := strings.IndexByte(rest, ']')
			if end > 0 {
				return nil, []string{strings.Trim(rest[len("::Task["):end], `:"' `)}, ""
			}
		}
	}
	if strings.HasPrefix(t, "`") || strings.HasPrefix(t, "%x") {
		args, ok := rubyArgs(t)
		if ok && len(args) == 1 {
			return args, nil, ""
		}
		return nil, nil, "a command that is not a string literal"
	}
	// "x = value": a plain assignment of something that runs nothing.
	if name, val, ok := strings.Cut(t, "="); ok && isName(strings.TrimSpace(name)) && !strings.HasPrefix(val, "=") && !strings.HasPrefix(val, "~") {
		v := strings.TrimSpace(val)
		if cmds, _, why := rubyStatement(v); why == "" && len(cmds) > 0 {
			return cmds, nil, ""
		}
		if rubyLiteral(v) {
			return nil, nil, ""
		}
	}
	return nil, nil, "`" + shortText(t) + "`"
}

// rubyLiteral reports whether v is a literal or a reference that runs
// nothing: a string without interpolation, a number, a symbol, ENV[…].
func rubyLiteral(v string) bool {
	if args, ok := rubyArgs(v); ok && len(args) == 1 && !strings.HasPrefix(v, "`") && !strings.HasPrefix(v, "%x") {
		return true
	}
	if strings.HasPrefix(v, "ENV[") || strings.HasPrefix(v, ":") || strings.HasPrefix(v, "args[") || strings.HasPrefix(v, "args.") {
		return !strings.ContainsAny(v, "`(")
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil || v == "true" || v == "false" || v == "nil"
}

// rubyRemove maps a FileUtils removal to the rm command it amounts to.
func rubyRemove(m, rest string) ([]string, []string, string) {
	args, ok := rubyArgs(rest)
	if !ok || len(args) == 0 {
		return nil, nil, m + " of paths that are not string literals"
	}
	flag := "-f"
	switch m {
	case "rm_rf", "rm_r", "remove_dir", "remove_entry", "remove_entry_secure":
		flag = "-rf"
	}
	cmd := "rm " + flag
	for _, a := range args {
		cmd += " " + quote(a)
	}
	return []string{cmd}, nil, ""
}

// rubyArgs reads a call's arguments when they are all string literals
// ("…", '…', %(…), %q(…), %Q{…}, `…`, %x(…), in parentheses or not, a
// trailing options hash ignored); "#{…}" in an interpolating string is
// unknown text.
func rubyArgs(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	var out []string
	for s != "" {
		var lit string
		var ok bool
		lit, s, ok = rubyString(s)
		if !ok {
			// An options hash ends the arguments ("verbose: false").
			if len(out) > 0 && rubyOptions(s) {
				return out, true
			}
			return nil, false
		}
		out = append(out, lit)
		s = strings.TrimSpace(s)
		if s == "" || strings.HasPrefix(s, "if ") || strings.HasPrefix(s, "unless ") {
			break // a trailing modifier does not change what may run
		}
		if s[0] != ',' {
			return nil, false
		}
		s = strings.TrimSpace(s[1:])
	}
	return out, true
}

// rubyOptions reports whether s is a hash of options: "key: value, …".
func rubyOptions(s string) bool {
	n := 0
	for n < len(s) && (isName(s[n:n+1]) || n > 0 && s[n] >= '0' && s[n] <= '9') {
		n++
	}
	return n > 0 && n < len(s) && s[n] == ':' && !strings.ContainsAny(s, "`(")
}

// rubyString reads one string literal at the start of s.
func rubyString(s string) (lit, rest string, ok bool) {
	if s == "" {
		return "", s, false
	}
	open, interp := s[0], true
	body := s[1:]
	switch {
	case open == '\'':
		interp = false
	case open == '"' || open == '`':
	case open == '%' && len(s) > 2 && (s[1] == 'q' || s[1] == 'Q' || s[1] == 'x') && strings.IndexByte("({[<|!/", s[2]) >= 0:
		interp = s[1] != 'q'
		open, body = s[2], s[3:]
	case open == '%' && len(s) > 1 && strings.IndexByte("({[<|!/", s[1]) >= 0:
		open, body = s[1], s[2:]
	default:
		return "", s, false
	}
	closeBy := map[byte]byte{'(': ')', '{': '}', '[': ']', '<': '>'}[open]
	if closeBy == 0 {
		closeBy = open
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body):
			i++
			switch e := body[i]; {
			case !interp && e != '\\' && e != closeBy:
				b.WriteByte('\\')
				b.WriteByte(e)
			case interp && e == 'n':
				b.WriteByte('\n')
			case interp && e == 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(e)
			}
		case interp && c == '#' && i+1 < len(body) && body[i+1] == '{':
			end := strings.IndexByte(body[i:], '}')
			if end < 0 {
				return "", s, false
			}
			b.WriteString(UnknownMark)
			i += end
		case c == open && open != closeBy:
			depth++
			b.WriteByte(c)
		case c == closeBy && depth > 0:
			depth--
			b.WriteByte(c)
		case c == closeBy:
			return b.String(), body[i+1:], true
		default:
			b.WriteByte(c)
		}
	}
	return "", s, false
}
