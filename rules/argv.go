package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/guard-dev/guard/interceptor"
)

// This file holds the small command line parser the packs for outside tools
// share (cloud, paas, iac, k8s, containers, registry): it splits an argv into
// options and operands the way cobra, argparse, nopt or Go's flag package
// would, given which options take a value, so that "kubectl --context prod -n
// x delete ns y" yields the operands "delete ns y" wherever the options sit.

// cliSpec says how a command line tool spells its options: which take a
// value, so that a value is never mistaken for an operand.
type cliSpec struct {
	// short lists the single-letter options that take a value ("-n prod",
	// "-nprod", "-n=prod"). Other letters are flags and may be combined
	// ("-fv" is "-f" and "-v").
	short string
	// long lists the long options that take a value when written with a
	// separate word ("--namespace prod"). "--name=value" is understood for
	// every option. With single, the names are written with one dash
	// ("-target").
	long []string
	// single means options are Go flag-package style: "-destroy" and
	// "--destroy" are the same option, letters are never combined, and the
	// option's name is reported with one dash.
	single bool
	// stop means the first operand ends the options, as with POSIX getopt
	// or the global options of docker and terraform; otherwise options may
	// follow operands.
	stop bool
}

// cliOpt is one option found on a command line.
type cliOpt struct {
	// name is the option without its value: "-n", "--namespace",
	// "-destroy". Combined short flags are split ("-fv" gives "-f" and
	// "-v").
	name string
	// value is the option's value when it has one.
	value interceptor.Word
	// hasValue reports whether a value was given, inline or as the next
	// word.
	hasValue bool
	// inline reports whether the value was written in the same word
	// ("--x=v", "-nprod").
	inline bool
}

// cliArgs is a command line split into options and operands.
type cliArgs struct {
	opts     []cliOpt
	operands []interceptor.Word
	// rest holds, with cliSpec.stop, the first operand and everything
	// after it, unparsed; otherwise the words after "--".
	rest []interceptor.Word
	// dashdash reports whether "--" ended the options.
	dashdash bool
}

// cliParse splits args into options and operands according to spec. "--"
// ends the options; what follows it is all operands (and rest).
//
// A word that is wholly unknown ("$FLAGS") is taken as an operand: it is
// the caller's job to treat an unknown operand where a subcommand is
// expected as unknown.
func cliParse(args []interceptor.Word, spec cliSpec) cliArgs {
	var out cliArgs
	for i := 0; i < len(args); i++ {
		w := args[i]
		v := w.Value
		if v == "--" {
			out.dashdash = true
			out.rest = args[i+1:]
			out.operands = append(out.operands, args[i+1:]...)
			return out
		}
		if len(v) < 2 || v[0] != '-' {
			if spec.stop {
				out.rest = args[i:]
				return out
			}
			if out.operands == nil {
				// Room for every word left: one allocation, not one per doubling.
				out.operands = make([]interceptor.Word, 0, len(args)-i)
			}
			out.operands = append(out.operands, w)
			continue
		}
		if spec.single || strings.HasPrefix(v, "--") {
			name, val, inline := strings.Cut(v, "=")
			if spec.single {
				name = "-" + strings.TrimLeft(name, "-")
			}
			o := cliOpt{name: name, hasValue: inline, inline: inline}
			if inline {
				o.value = interceptor.Word{Value: val, Unknown: strings.Contains(val, interceptor.UnknownMark)}
			} else if cliContains(spec.long, name) && i+1 < len(args) {
				i++
				o.value, o.hasValue = args[i], true
			}
			out.opts = append(out.opts, o)
			continue
		}
		for j := 1; j < len(v); j++ {
			c := v[j]
			name := v[:2] // an ASCII first letter names itself: no allocation
			if j > 1 || c >= utf8.RuneSelf {
				name = "-" + string(c)
			}
			if strings.IndexByte(spec.short, c) < 0 {
				out.opts = append(out.opts, cliOpt{name: name})
				continue
			}
			o := cliOpt{name: name}
			val := strings.TrimPrefix(v[j+1:], "=")
			switch {
			case j+1 < len(v):
				o.value = interceptor.Word{Value: val, Unknown: strings.Contains(val, interceptor.UnknownMark)}
				o.hasValue, o.inline = true, true
			case i+1 < len(args):
				i++
				o.value, o.hasValue = args[i], true
			}
			out.opts = append(out.opts, o)
			break
		}
	}
	return out
}

// cliContains reports whether list holds s.
func cliContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// has reports whether any of the named options was given at all.
func (a cliArgs) has(names ...string) bool {
	for _, o := range a.opts {
		if cliContains(names, o.name) {
			return true
		}
	}
	return false
}

// on reports whether a boolean option is set: given, and not given the
// value "false" or "0" ("--volumes=false"). The last occurrence wins.
func (a cliArgs) on(names ...string) bool {
	set := false
	for _, o := range a.opts {
		if !cliContains(names, o.name) {
			continue
		}
		set = !o.inline || !cliFalse(o.value.Value)
	}
	return set
}

// cliFalse reports whether an option value spells false.
func cliFalse(v string) bool {
	switch strings.ToLower(v) {
	case "false", "0", "no", "off":
		return true
	}
	return false
}

// get returns the value of the last of the named options that has one.
func (a cliArgs) get(names ...string) (interceptor.Word, bool) {
	var w interceptor.Word
	found := false
	for _, o := range a.opts {
		if o.hasValue && cliContains(names, o.name) {
			w, found = o.value, true
		}
	}
	return w, found
}

// str returns the display form of the last value of the named options, or
// "" when none was given.
func (a cliArgs) str(names ...string) string {
	w, ok := a.get(names...)
	if !ok {
		return ""
	}
	return w.String()
}

// all returns the display form of every value of the named options.
func (a cliArgs) all(names ...string) []string {
	var out []string
	for _, o := range a.opts {
		if o.hasValue && cliContains(names, o.name) {
			out = append(out, o.value.String())
		}
	}
	return out
}

// op returns operand i, or a zero Word when there is none.
func (a cliArgs) op(i int) interceptor.Word {
	if i < 0 || i >= len(a.operands) {
		return interceptor.Word{}
	}
	return a.operands[i]
}

// ops returns the display form of operands from i on.
func (a cliArgs) ops(i int) []string {
	var out []string
	for ; i < len(a.operands); i++ {
		out = append(out, a.operands[i].String())
	}
	return out
}

// cliCommandWord reports whether s looks like a word of a command path
// ("compute", "delete-db-cluster", "apps:destroy", "run-all") rather than an
// argument such as a file, an address or an id with capitals.
func cliCommandWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':'):
		default:
			return false
		}
	}
	return true
}

// cliFindVerb looks for a verb in the command path at the start of ops: the
// index of the first operand for which isVerb is true, provided every operand
// before it looks like a command word and none is in stop (a leaf command such
// as "list" or "ssh" whose own arguments follow). It returns -1 when there is
// none. unknown reports that the first operand cannot be known, so the
// command itself cannot be.
func cliFindVerb(ops []interceptor.Word, isVerb func(string) bool, stop ...string) (idx int, unknown bool) {
	if len(ops) > 0 && ops[0].Unknown {
		return -1, true
	}
	for i, w := range ops {
		if w.Unknown {
			return -1, false
		}
		if isVerb(w.Value) {
			return i, false
		}
		if !cliCommandWord(w.Value) || cliContains(stop, w.Value) {
			return -1, false
		}
	}
	return -1, false
}

// cliJoin joins display words with spaces, or returns alt when there are
// none.
func cliJoin(words []string, alt string) string {
	if len(words) == 0 {
		return alt
	}
	return strings.Join(words, " ")
}

// cliList joins names for a reason: "a", "a and b", "a, b and c".
func cliList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// cliWhere returns " in DIR" for reasons, or words saying the directory
// cannot be known when dir is "".
func cliWhere(dir string) string {
	if dir == "" {
		return " in a directory that cannot be known before it runs"
	}
	return " in " + dir
}

// cliRunnerBin returns the command an npm package installs, given the
// package as a package runner names it.
func cliRunnerBin(pkg string) string {
	// Drop a version or tag: "vercel@latest", "@railway/cli@3".
	if at := strings.LastIndexByte(pkg, '@'); at > 0 {
		pkg = pkg[:at]
	}
	switch pkg {
	case "aws-cdk":
		return "cdk"
	case "netlify-cli":
		return "netlify"
	case "@railway/cli":
		return "railway"
	case "heroku", "@heroku/cli":
		return "heroku"
	case "@pulumi/pulumi":
		return "pulumi"
	}
	return pkg
}

// cliRunner returns the command a JavaScript package runner runs and its
// arguments: "npx -y aws-cdk destroy" gives "cdk" and ["destroy"]. It
// understands npx, bunx, pnpx, "npm exec", "pnpm dlx|exec", "yarn dlx|exec"
// and "bun x". ok is false when inv is not a package runner running a
// command.
func cliRunner(inv *interceptor.Invocation) (name string, args []interceptor.Word, ok bool) {
	a := inv.Args
	switch inv.Name {
	case "npx", "bunx", "pnpx":
	case "npm", "pnpm", "yarn", "bun":
		g := cliParse(a, cliSpec{
			short: "wC",
			long:  []string{"--workspace", "--filter", "--dir", "--cwd", "--prefix", "--registry", "--loglevel", "--reporter"},
			stop:  true,
		})
		if len(g.rest) == 0 {
			return "", nil, false
		}
		switch sub := g.rest[0].Value; {
		case inv.Name == "npm" && (sub == "exec" || sub == "x"),
			inv.Name == "pnpm" && (sub == "dlx" || sub == "exec"),
			inv.Name == "yarn" && (sub == "dlx" || sub == "exec"),
			inv.Name == "bun" && sub == "x":
			a = g.rest[1:]
		case (inv.Name == "yarn" || inv.Name == "pnpm") && cliContains(cliRunnerBins(), sub):
			// yarn and pnpm run a package's binary given as the command
			// ("yarn cdk destroy") when no script has that name.
			a = g.rest
		default:
			return "", nil, false
		}
	default:
		return "", nil, false
	}
	spec := cliSpec{short: "pc", long: []string{"--package", "--call", "--workspace", "--registry", "--cache", "--userconfig"}, stop: true}
	p := cliParse(a, spec)
	if len(p.rest) == 0 {
		return "", nil, false
	}
	if p.rest[0].Unknown {
		return "", nil, false
	}
	return cliRunnerBin(p.rest[0].Value), p.rest[1:], true
}

// cliRunnerBins are the tools other packs judge that yarn and pnpm run
// when given as their command.
func cliRunnerBins() []string {
	return []string{"cdk", "cdktf", "sst", "serverless", "sls", "pulumi", "vercel", "netlify",
		"supabase", "wrangler", "railway", "heroku", "rimraf", "shx", "del-cli"}
}

// cliTarget returns the command and arguments an invocation runs: its own,
// or those it runs through a JavaScript package runner ("npx cdk destroy").
func cliTarget(inv *interceptor.Invocation) (string, []interceptor.Word) {
	if name, args, ok := cliRunner(inv); ok {
		return name, args
	}
	return inv.Name, inv.Args
}

// cliRunners are the command names through which cliTarget finds other
// commands, for the Commands of the packs that use it.
func cliRunners() []string {
	return []string{"npx", "bunx", "pnpx", "npm", "pnpm", "yarn", "bun"}
}
