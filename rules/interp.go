package rules

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/awk"
	"github.com/guard-dev/guard/rules/lang/oneliner"
	"github.com/guard-dev/guard/rules/lang/sed"
)

// InterpPack returns the rules about one-line programs given to script
// interpreters: python -c, python reading a heredoc, node -e/-p, deno eval,
// bun -e, ruby -e, perl -e/-E and php -r. An agent that is refused
// `rm -rf ~` can write `python3 -c "import shutil; shutil.rmtree(...)"`
// instead, so the code is read here.
//
// The code is read by package oneliner, which says what it does as facts:
// the shell code each call amounts to (deleting a literal target T is
// `rm -rf -- 'T'`, a command string given to os.system is the shell code it
// is), checked here with every pack through Call.Shell, and what cannot be
// known before it runs (a deletion whose target is computed at run time, or
// a command that is), reported here.
//
// A script file (python3 cleanup.py, node build.js, npx tsx x.ts, deno run
// x.ts, node --require ./x.js) is read with the same analysers
// (interpfile.go) and judged by what it definitely does.
func InterpPack() *Pack {
	return &Pack{
		Name:     "interp",
		Commands: interpCommands(),
		Check:    checkInterp,
		Rules: []Rule{
			{ID: "interp.unknown-target", Default: Confirm, Summary: "an interpreter one-liner deletes a path computed at run time (shutil.rmtree(p), fs.rmSync(dir), FileUtils.rm_rf(x), unlink $f)"},
			{ID: "interp.unknown-command", Default: Confirm, Summary: "an interpreter one-liner runs a shell command, or code, computed at run time (os.system(cmd), execSync(`${x}`), python -c \"$CODE\")"},
		},
	}
}

// interpCommands lists the interpreters and the runners that reach them.
func interpCommands() []string {
	names := []string{"python", "python2", "python3", "pypy", "pypy3", "node", "nodejs",
		"deno", "bun", "ruby", "perl", "php", "rails", "gitlab-rails",
		"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "bundle", "npx", "pnpx", "bunx", "tsx", "ts-node", "ts-node-esm"}
	for v := 6; v <= 15; v++ {
		names = append(names, "python3."+strconv.Itoa(v))
	}
	names = append(names, sed.Names()...)
	return append(names, awk.Names()...)
}

// interpMaxInput bounds the code read; larger code is reported, not read.
const interpMaxInput = 1 << 20

// checkInterp judges one invocation.
func checkInterp(c *Call) {
	name, args := c.Inv.Name, c.Inv.Args
	if slices.Contains(awk.Names(), name) {
		checkAwk(c, args)
		return
	}
	if slices.Contains(sed.Names(), name) {
		checkSed(c, args)
		return
	}
	for i := 0; i < migMaxRunners && interpIsRunner(name); i++ {
		next, rest, ok := migPeelRunner(nil, name, "", args)
		if !ok || next.Unknown {
			return
		}
		name, args = path.Base(next.Value), rest
	}
	code, ok := interpFind(c.Inv, name, args)
	if !ok {
		checkInterpScripts(c, interpScripts(name, args))
		return
	}
	if len(code.Src) > interpMaxInput {
		c.Report("interp.unknown-command", code.How+" runs a program too large to check ("+strconv.Itoa(len(code.Src))+" bytes)")
		return
	}
	judgeProgram(c, code)
}

// judgeProgram reads a program and judges what it does: the shell code it
// amounts to with every pack (Call.Shell), what cannot be known as this
// pack's findings.
func judgeProgram(c *Call, p oneliner.Program) {
	p.Home, p.UserHome = c.Inv.Home, c.World.Home
	for _, f := range oneliner.Analyze(p) {
		switch f.Kind {
		case oneliner.Shell:
			c.Shell(f.Text, f.How)
		case oneliner.UnknownTarget:
			c.Report("interp.unknown-target", f.Text)
		case oneliner.UnknownCommand:
			c.Report("interp.unknown-command", f.Text)
		}
	}
}

// interpIsRunner reports whether name is a project runner that runs the
// command after "run" or "exec" (uv run python -c ...).
func interpIsRunner(name string) bool {
	switch name {
	case "uv", "poetry", "pipenv", "pdm", "hatch", "rye", "bundle", "npx", "pnpx", "bunx":
		return true
	}
	return false
}

// interpFind returns the code an interpreter invocation runs, when it runs
// code given on its command line or on a known stdin rather than a script
// file or a module.
func interpFind(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	switch {
	case name == "python" || name == "python2" || name == "python3" || name == "pypy" ||
		name == "pypy3" || strings.HasPrefix(name, "python3."):
		return interpPython(inv, name, args)
	case name == "node" || name == "nodejs" || name == "bun":
		return interpNode(inv, name, args)
	case name == "deno":
		return interpDeno(name, args)
	case name == "ruby":
		return interpRuby(inv, name, args)
	case name == "perl":
		return interpPerl(inv, name, args)
	case name == "php":
		return interpPHP(inv, name, args)
	case name == "rails" || name == "gitlab-rails":
		return interpRailsRunner(name, args)
	}
	return oneliner.Program{}, false
}

// interpStdin returns the code read on a known stdin.
func interpStdin(inv *interceptor.Invocation, lang oneliner.Lang, name string) (oneliner.Program, bool) {
	if inv.Stdin == nil || !inv.Stdin.Known {
		return oneliner.Program{}, false // unknown stdin is the meta pack's finding
	}
	return oneliner.Program{Lang: lang, How: name + " <" + inv.Stdin.From, Src: inv.Stdin.Data, File: lang == oneliner.PHP}, true
}

// interpPython finds python -c CODE (options may cluster: -Bc), or code on
// stdin when no script or module is named.
func interpPython(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-" {
			return interpStdin(inv, oneliner.Python, name)
		}
		if path.Base(v) == "manage.py" {
			return interpDjangoShell(inv, name, args[i+1:])
		}
		if v == "--" || !strings.HasPrefix(v, "-") {
			return oneliner.Program{}, false // a script file
		}
		if strings.HasPrefix(v, "--") {
			if v == "--check-hash-based-pycs" {
				i++
			}
			continue
		}
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'c':
				code := v[j+1:]
				if code == "" {
					if i+1 >= len(args) {
						return oneliner.Program{}, false
					}
					code = args[i+1].Value
				}
				return oneliner.Program{Lang: oneliner.Python, How: name + " -c", Src: code}, true
			case 'm':
				return oneliner.Program{}, false // a module
			case 'W', 'X':
				if j == len(v)-1 {
					i++
				}
				j = len(v)
			}
		}
	}
	return interpStdin(inv, oneliner.Python, name)
}

// interpRailsRunner finds the Ruby code of rails runner CODE (and GitLab's
// gitlab-rails runner): it runs in the application, with its models, so
// `User.delete_all` empties a table. A file operand is a script on disk.
func interpRailsRunner(name string, args []interceptor.Word) (oneliner.Program, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v != "runner" && v != "r" {
			if strings.HasPrefix(v, "-") {
				continue
			}
			return oneliner.Program{}, false
		}
		for j := i + 1; j < len(args); j++ {
			a := args[j].Value
			switch {
			case a == "-e" || a == "--environment":
				j++
			case strings.HasPrefix(a, "-"):
			case strings.HasSuffix(a, ".rb"):
				return oneliner.Program{}, false
			default:
				return oneliner.Program{Lang: oneliner.Ruby, How: name + " runner", Src: a}, true
			}
		}
		return oneliner.Program{}, false
	}
	return oneliner.Program{}, false
}

// interpDjangoShell finds the code of manage.py shell: -c/--command CODE,
// or what it reads on stdin. Other manage.py commands are not code given
// on the line.
func interpDjangoShell(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	if len(args) == 0 || args[0].Value != "shell" {
		return oneliner.Program{}, false
	}
	how := name + " manage.py shell"
	for i := 1; i < len(args); i++ {
		v := args[i].Value
		switch {
		case (v == "-c" || v == "--command") && i+1 < len(args):
			return oneliner.Program{Lang: oneliner.Python, How: how + " -c", Src: args[i+1].Value}, true
		case strings.HasPrefix(v, "--command="):
			return oneliner.Program{Lang: oneliner.Python, How: how + " -c", Src: strings.TrimPrefix(v, "--command=")}, true
		}
	}
	p, ok := interpStdin(inv, oneliner.Python, how)
	return p, ok
}

// interpNode finds node/bun -e, --eval, -p, --print CODE, or node reading
// code on stdin.
func interpNode(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-e" || v == "--eval" || v == "-p" || v == "--print" || v == "-pe" || v == "-ep":
			if i+1 < len(args) {
				return oneliner.Program{Lang: oneliner.JS, How: name + " " + v, Src: args[i+1].Value}, true
			}
			return oneliner.Program{}, false
		case strings.HasPrefix(v, "--eval=") || strings.HasPrefix(v, "--print="):
			opt, code, _ := strings.Cut(v, "=")
			return oneliner.Program{Lang: oneliner.JS, How: name + " " + opt, Src: code}, true
		case v == "-":
			return interpStdin(inv, oneliner.JS, name)
		case v == "--":
			return oneliner.Program{}, false
		case v == "-r" || v == "--require" || v == "--import" || v == "--loader" ||
			v == "--experimental-loader" || v == "-C" || v == "--conditions" || v == "--env-file" ||
			v == "--cwd" || v == "--preload" || v == "--config":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return oneliner.Program{}, false // a script, or a bun subcommand
		}
	}
	if name == "bun" {
		return oneliner.Program{}, false
	}
	return interpStdin(inv, oneliner.JS, name)
}

// interpDeno finds deno eval CODE.
func interpDeno(name string, args []interceptor.Word) (oneliner.Program, bool) {
	if len(args) == 0 || args[0].Value != "eval" {
		return oneliner.Program{}, false
	}
	for i := 1; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			if i+1 < len(args) {
				return oneliner.Program{Lang: oneliner.JS, How: name + " eval", Src: args[i+1].Value}, true
			}
			return oneliner.Program{}, false
		case v == "--config" || v == "-c" || v == "--import-map" || v == "--location" || v == "--env-file":
			i++
		case strings.HasPrefix(v, "-"):
		default:
			return oneliner.Program{Lang: oneliner.JS, How: name + " eval", Src: v}, true
		}
	}
	return oneliner.Program{}, false
}

// interpRuby finds ruby -e CODE (several -e join as lines) and -C DIR, or
// code on stdin when no script is named.
func interpRuby(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	var lines []string
	chdir := ""
	script := false
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-" {
			break
		}
		if v == "--" || !strings.HasPrefix(v, "-") {
			script = v != "--" || i+1 < len(args)
			break
		}
		if strings.HasPrefix(v, "--") {
			continue
		}
	cluster:
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'e':
				code := v[j+1:]
				if code == "" && i+1 < len(args) {
					i++
					code = args[i].Value
				}
				lines = append(lines, code)
				break cluster
			case 'I', 'r', 'C', 'E', 'F':
				val := v[j+1:]
				if val == "" && i+1 < len(args) {
					i++
					val = args[i].Value
				}
				if v[j] == 'C' {
					chdir = val
				}
				break cluster
			case 'x', 'i', '0', 'W', 'T':
				break cluster
			}
		}
	}
	if len(lines) > 0 {
		return oneliner.Program{Lang: oneliner.Ruby, How: name + " -e", Src: strings.Join(lines, "\n"), Chdir: chdir}, true
	}
	if script {
		return oneliner.Program{}, false
	}
	code, ok := interpStdin(inv, oneliner.Ruby, name)
	code.Chdir = chdir
	return code, ok
}

// interpPerl finds perl -e/-E CODE (clustered as in -ne, -lpe), or code
// on stdin when no script is named.
func interpPerl(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	var lines []string
	opt := "-e"
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "--" || !strings.HasPrefix(v, "-") || v == "-" {
			break
		}
	cluster:
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'e', 'E':
				opt = "-" + string(v[j])
				code := v[j+1:]
				if code == "" && i+1 < len(args) {
					i++
					code = args[i].Value
				}
				lines = append(lines, code)
				break cluster
			case 'I', 'M', 'm':
				if v[j+1:] == "" && i+1 < len(args) {
					i++
				}
				break cluster
			case 'i', 'l', '0', 'F', 'x', 'C', 'd', 'D', 'V':
				break cluster
			}
		}
	}
	if len(lines) > 0 {
		return oneliner.Program{Lang: oneliner.Perl, How: name + " " + opt, Src: strings.Join(lines, "\n")}, true
	}
	for _, a := range args {
		if !strings.HasPrefix(a.Value, "-") {
			return oneliner.Program{}, false
		}
	}
	return interpStdin(inv, oneliner.Perl, name)
}

// interpPHP finds php -r CODE (and -B/-R/-E), or a PHP file on stdin when
// no script is named.
func interpPHP(inv *interceptor.Invocation, name string, args []interceptor.Word) (oneliner.Program, bool) {
	var lines []string
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-r" || v == "-B" || v == "-R" || v == "-E":
			if i+1 < len(args) {
				i++
				lines = append(lines, args[i].Value)
			}
		case v == "-f" || v == "-F":
			return oneliner.Program{}, false
		case v == "-d" || v == "-c" || v == "-z" || v == "-t" || v == "-S":
			i++
		case v == "--":
			i = len(args)
		case strings.HasPrefix(v, "-"):
		default:
			if len(lines) == 0 {
				return oneliner.Program{}, false // a script (artisan, bin/console)
			}
			i = len(args)
		}
	}
	if len(lines) > 0 {
		return oneliner.Program{Lang: oneliner.PHP, How: name + " -r", Src: strings.Join(lines, "\n")}, true
	}
	return interpStdin(inv, oneliner.PHP, name)
}

// checkAwk judges the shell commands of an awk one-liner.
func checkAwk(c *Call, args []interceptor.Word) {
	prog, ok := awk.Program(args)
	if !ok {
		return
	}
	if prog.Unknown {
		if strings.Contains(prog.Value, "system") || strings.Contains(prog.Value, "|") {
			c.Report("interp.unknown-command", "awk runs a program computed at run time ("+prog.String()+"), which may run shell commands")
		}
		return
	}
	for _, cmd := range awk.Commands(prog.Value) {
		if !cmd.Known {
			c.Report("interp.unknown-command", "awk runs a shell command computed at run time ("+cmd.Text+")")
			continue
		}
		src := cmd.Text
		if cmd.How == "| command" {
			// It reads what awk prints, which is not known here.
			src = "cat /dev/stdin | " + src
		}
		c.Shell(src, "awk "+cmd.How)
	}
}

// checkSed judges the shell commands of a sed script.
func checkSed(c *Call, args []interceptor.Word) {
	for _, script := range sed.Scripts(args) {
		if script.Unknown {
			if strings.Contains(script.Value, "e") {
				c.Report("interp.unknown-command", "sed runs a script computed at run time ("+script.String()+"), which may run shell commands")
			}
			continue
		}
		cmds, patternSpace := sed.Commands(script.Value)
		if patternSpace {
			c.Report("interp.unknown-command", "sed runs lines of its input as shell commands (the e command or the e flag of s), which cannot be known")
		}
		for _, cmd := range cmds {
			c.Shell(cmd, "sed e")
		}
	}
}
