package rules

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/oneliner"
)

// interpScript is a program file an interpreter is given to run
// ("python3 scripts/cleanup.py", "node --require ./x.js app.js",
// "npx tsx x.ts", "deno run x.ts"), read with the same analysers as code
// given with -c or -e.
type interpScript struct {
	lang oneliner.Lang
	// file is the path as given, resolved against the working directory
	// when it is read.
	file string
	// how names the interpreter and the option, for chains ("node --require").
	how string
}

// interpScripts returns the program files the interpreter invocation
// name args runs, when it runs files rather than code on its command line.
func interpScripts(name string, args []interceptor.Word) []interpScript {
	switch {
	case name == "python" || name == "python2" || name == "python3" || name == "pypy" ||
		name == "pypy3" || strings.HasPrefix(name, "python3."):
		return interpPythonFile(name, args)
	case name == "node" || name == "nodejs" || name == "tsx" || name == "ts-node" || name == "ts-node-esm":
		return interpNodeFiles(name, args)
	case name == "bun":
		if len(args) > 0 && args[0].Value == "run" {
			args = args[1:]
		}
		if f := firstScript(args, "--cwd --config --env-file --preload -r --require"); f != "" && jsFile(f) {
			return []interpScript{{lang: oneliner.JS, file: f, how: name}}
		}
	case name == "deno":
		if len(args) > 0 && args[0].Value == "run" {
			if f := firstScript(args[1:], "--config -c --import-map --env-file --location --cert --seed --inspect --v8-flags --lock"); f != "" {
				return []interpScript{{lang: oneliner.JS, file: f, how: name + " run"}}
			}
		}
	case name == "ruby":
		if f := firstScript(args, "-I -r -C -E -F"); f != "" {
			return []interpScript{{lang: oneliner.Ruby, file: f, how: name}}
		}
	case name == "perl":
		if f := firstScript(args, "-I -M -m"); f != "" {
			return []interpScript{{lang: oneliner.Perl, file: f, how: name}}
		}
	case name == "php":
		if f, ok := optionWord(args, "-f"); ok {
			return []interpScript{{lang: oneliner.PHP, file: f, how: name + " -f"}}
		}
		if f := firstScript(args, "-d -c -z -t -S"); f != "" {
			return []interpScript{{lang: oneliner.PHP, file: f, how: name}}
		}
	}
	return nil
}

// interpPythonFile finds the script python runs, or the local module of
// "python -m pkg.mod" (a module that is not a file of the project is an
// installed one: pytest, http.server).
func interpPythonFile(name string, args []interceptor.Word) []interpScript {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "-m" && i+1 < len(args):
			mod := strings.ReplaceAll(args[i+1].Value, ".", "/")
			return []interpScript{
				{lang: oneliner.Python, file: mod + ".py", how: name + " -m"},
				{lang: oneliner.Python, file: mod + "/__main__.py", how: name + " -m"},
			}
		case strings.HasPrefix(v, "-m") && len(v) > 2:
			mod := strings.ReplaceAll(v[2:], ".", "/")
			return []interpScript{{lang: oneliner.Python, file: mod + ".py", how: name + " -m"}}
		case v == "-W" || v == "-X" || v == "--check-hash-based-pycs":
			i++
		case v == "--":
			if i+1 < len(args) {
				return []interpScript{{lang: oneliner.Python, file: args[i+1].Value, how: name}}
			}
			return nil
		case v == "-" || strings.HasPrefix(v, "-c"):
			return nil
		case strings.HasPrefix(v, "-"):
		default:
			return []interpScript{{lang: oneliner.Python, file: v, how: name}}
		}
	}
	return nil
}

// interpNodeFiles finds the files node (or tsx, ts-node) loads: the
// modules of --require and --import given as paths, then the script.
func interpNodeFiles(name string, args []interceptor.Word) []interpScript {
	var out []interpScript
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		opt, val, hasVal := strings.Cut(v, "=")
		switch {
		case opt == "-r" || opt == "--require" || opt == "--import" || opt == "--loader" || opt == "--experimental-loader":
			if !hasVal && i+1 < len(args) {
				i++
				val = args[i].Value
			}
			if localModule(val) {
				out = append(out, interpScript{lang: oneliner.JS, file: val, how: name + " " + opt})
			}
		case v == "-e" || v == "--eval" || v == "-p" || v == "--print" || v == "-" || strings.HasPrefix(v, "--eval=") || strings.HasPrefix(v, "--print="):
			return out // code on the command line: interpFind's
		case v == "-C" || v == "--conditions" || v == "--env-file" || v == "--cwd" || v == "--title" || v == "--stack-size":
			if !hasVal {
				i++
			}
		case v == "--":
			if i+1 < len(args) {
				out = append(out, interpScript{lang: oneliner.JS, file: args[i+1].Value, how: name})
			}
			return out
		case strings.HasPrefix(v, "-"):
		default:
			return append(out, interpScript{lang: oneliner.JS, file: v, how: name})
		}
	}
	return out
}

// NodeOptionsFiles returns the local modules that a NODE_OPTIONS value
// makes every node process load (--require ./x.js, --import ./y.mjs).
func nodeOptionsFiles(opts string) []interpScript {
	var args []interceptor.Word
	for _, f := range strings.Fields(opts) {
		args = append(args, interceptor.Word{Value: f})
	}
	var out []interpScript
	for _, s := range interpNodeFiles("NODE_OPTIONS", args) {
		if s.how != "NODE_OPTIONS" { // only the loaded modules, not a script
			out = append(out, s)
		}
	}
	return out
}

// firstScript returns the first operand in args, skipping options and the
// values of the options in valued.
func firstScript(args []interceptor.Word, valued string) string {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "--" {
			if i+1 < len(args) {
				return args[i+1].Value
			}
			return ""
		}
		if strings.HasPrefix(v, "-") {
			if !strings.Contains(v, "=") && takesValue(v, valued) {
				i++
			}
			continue
		}
		return v
	}
	return ""
}

// optionWord returns the value of opt given as the next argument.
func optionWord(args []interceptor.Word, opt string) (string, bool) {
	for i, a := range args {
		if a.Value == opt && i+1 < len(args) {
			return args[i+1].Value, true
		}
	}
	return "", false
}

func takesValue(opt, list string) bool {
	for _, o := range strings.Fields(list) {
		if o == opt {
			return true
		}
	}
	return false
}

// localModule reports whether a --require value names a file rather than
// an installed package.
func localModule(m string) bool {
	return strings.HasPrefix(m, "./") || strings.HasPrefix(m, "../") || strings.HasPrefix(m, "/")
}

func jsFile(f string) bool {
	switch filepath.Ext(f) {
	case ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx":
		return true
	}
	return strings.HasPrefix(f, "./") || strings.HasPrefix(f, "/")
}

// checkInterpScripts reads the program files an interpreter runs and
// analyses each as its language. A file that does not exist runs nothing
// (the interpreter fails); one too large, binary or unreadable is reported
// as code that cannot be checked. What a file does is judged by what it
// definitely does: a program's paths and commands computed at run time are
// not reported (oneliner.Program.FromFile), as for scripts run from disk.
func checkInterpScripts(c *Call, scripts []interpScript) {
	fsys := c.World.pathFS()
	for _, s := range scripts {
		if strings.Contains(s.file, interceptor.UnknownMark) || c.Inv.Remote != "" {
			continue
		}
		p := interceptor.ResolvePath(c.Inv.Cwd, s.file)
		if p == "" {
			continue
		}
		fi, err := fsys.Stat(p)
		if err != nil && s.lang == oneliner.JS && filepath.Ext(p) == "" {
			p += ".js"
			fi, err = fsys.Stat(p)
		}
		if err != nil || fi.IsDir() {
			continue
		}
		how := s.how + " " + s.file
		if fi.Size() > interpMaxInput {
			c.Report("interp.unknown-command", how+" runs a program too large to check ("+strconv.FormatInt(fi.Size(), 10)+" bytes)")
			continue
		}
		b, err := fsys.ReadFile(p)
		if err != nil {
			c.Report("interp.unknown-command", how+" runs a program that cannot be read to check it")
			continue
		}
		if bytes.IndexByte(b, 0) >= 0 {
			c.Report("interp.unknown-command", how+" runs a file that is not text (compiled or binary), which cannot be checked")
			continue
		}
		judgeProgram(c, oneliner.Program{Lang: s.lang, How: how, Src: string(b), File: s.lang == oneliner.PHP, FromFile: true})
	}
}
