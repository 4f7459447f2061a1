package interceptor

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// The differential test: guard's expansion of a simple command's words,
// and the command it resolves, against what real bash does with the same
// text. Each case is a prelude (assignments, declare flags, shopt, a
// function with locals ...) and one command line. Bash runs every case in
// a subshell of one bash, with PATH pointing nowhere and a command_not_found_handle
// that prints the words it was given, NUL-separated: so bash shows the
// command name and arguments after every expansion and runs nothing.
//
// Cases are written so that nothing but bash's builtins can run: command
// words are plain names without a slash (a name bash finds nowhere ends in
// the handler), command substitutions run only printf, and no case uses
// hash -p, exec, eval of unknown text or a redirection. When guard is root
// bash runs as the unprivileged user nobody, in an empty directory.
//
// A divergence where guard knows every word and bash disagrees is a bug:
// guard would judge another command or target than the one that runs. A
// case whose words guard reports unknown is judged confirm by guard and
// is counted, not failed, and so is a pattern (guard judges *.log as a
// pattern; which files bash matches, or none with nullglob, is the disk's). GUARD_BASHDIFF_N sets how many generated cases
// run (default 400; .ci/run runs more).

// bashCase is one case: prelude then command.
type bashCase struct {
	prelude, command string
}

func (c bashCase) source() string {
	if c.prelude == "" {
		return c.command
	}
	return c.prelude + "\n" + c.command
}

// bashDiffWritten are hand-written cases, one per shape of bash's
// expansions the generator does not reach.
var bashDiffWritten = []bashCase{
	{"", `tool a 'b c' "d e" f\ g`},
	{"", `tool $IFS x${IFS}y "$IFS"`},
	{"", `rm${IFS}-rf${IFS}x`},
	{"x=$IFS", `rm${x}-rf${x}x`},
	{"", `{rm,-rf,x}`},
	{"", `tool {a,b}{1,2} x{,y} {1..4} {a..e..2} {05..10..3} "{a,b}"`},
	{"", `tool ~ ~/x a=~/x --opt=~/y x:~/z "~" '~' \~`},
	{"", `tool $'\x41\101\n\t' $'\u00e9' $'a\'b' $"plain"`},
	{"arr=(a 'b c' d)", `tool ${arr[@]} "${arr[@]}" "${arr[*]}" ${#arr[@]} ${arr[1]} "${arr[@]:1}"`},
	{"v=abcabc", `tool ${v#a} ${v##*b} ${v%c} ${v%%b*} ${v/b/X} ${v//b/X} ${v^^} ${v:1:2} ${#v} ${v:-d}`},
	{"v=ABC", `tool ${v,,} ${v,} ${u:-def} ${u-def} ${v:+alt} ${u:=set} $u`},
	{"declare -l v=ABC", `tool $v`},
	{"declare -u v=abc; v+=def", `tool $v`},
	{"declare -i n=2+3", `tool $n $((n*2)) $((n<<1))`},
	{"readonly r=ro", `tool $r`},
	{"f() { local v=inner; tool $v; }; v=outer", `f`},
	{"f() { local v=inner; }; v=outer; f", `tool $v`},
	{"IFS=:; v=a:b::c", `tool $v "$v"`},
	{"set -f", `tool *.none ?x [ab]`},
	{"shopt -s nullglob", `tool *.none x`},
	{"", `tool *.none`},
	{"", `tool $(printf %s sub) "$(printf '%s ' a b)" $(printf 'p q')`},
	{"", `tool $((1+2)) $((7/2)) $((2**10)) $((0x10))`},
	{"A=rm; B=$A; A=echo", `"$B" -rf x`},
	{"x=rm", `$x -rf x`},
	{"x='rm -rf'", `$x x`},
	{"x='rm -rf'", `"$x" x`},
	{"e=", `$e tool "$e" x`},
	{"set -- one 'two three'", `tool $1 "$2" $# "$@" $*`},
	{"shopt -s expand_aliases; alias t='tool -a'", "\nt x"},
	{"", `r''m -rf x`},
	{"", `\rm -rf x`},
	{"", `tool "a"'b'c$'d'`},
	{"v='a  b'", `tool $v "$v" ${v// /_}`},
	{"IFS=; v='a b'", `tool $v`},
	{"", `tool -- -x --y=z`},
	// A local takes none of the outer variable's attributes; a readonly
	// one cannot be made local.
	{"declare -u v=up; declare -i n=3*4; f() { local v=loc n=x; tool $v $n ${#v}; }", "f"},
	{"readonly v=ro; f() { local v=loc; tool $v; }", "f"},
	// Braces first: $e{a,b} is $ea $eb; ${e}{a,b} is not.
	{"e=1; ea=X", `tool $e{a,b} ${e}{a,b} $1{a,b} $IFS{a,} $vx{a,b}y`},
	// Each brace word is split on its own: ${IFS} alone is an empty field.
	{"IFS=:", `tool {a,}${IFS} x`},
	// No assignment tilde in a word with a brace expansion.
	{"", `tool k=~/y{1,2} {k,j}=~/y k=~/y k=~{,/x}`},
}

// bashDiffGen returns n generated cases, the same for a given seed.
func bashDiffGen(n int, seed uint64) []bashCase {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	preludes := []string{
		"", "", "v=abc", "v='a b'", "v='  lead trail  '", "x=rm", "e=", "arr=(a 'b c' d)",
		"IFS=:; v=a:b:c", "IFS=,; v=a,,b", "declare -l v=MiXeD", "declare -u v=up",
		"declare -i v=3*4", "readonly v=ro", "v=abc; readonly v", "set -f", "shopt -s nullglob",
		"v=x; v+=y", "declare -a arr=(x y)", "arr[3]=z", "unset v", "set -- p 'q r'",
	}
	frags := []string{
		"a", "b", "-rf", "x.txt", "'s q'", `"d q"`, `a\ b`, "$v", `"$v"`, "${v}", `"${v}x"`,
		"$IFS", "${IFS}", `"$IFS"`, "a${IFS}b", "{a,b}", "{1..3}", "x{a,b}y", "{a,}", `"{a,b}"`,
		"~", "~/x", "k=~/y", "x:~/y", `"~"`, `$'\x41'`, `$'\101'`, `$'a\tb'`, "${arr[@]}",
		`"${arr[@]}"`, `"${arr[*]}"`, "${#arr[@]}", "${arr[1]}", "${v:-def}", "${u:-def}",
		"${v#a}", "${v%c}", "${v/b/X}", "${v^^}", "${#v}", "${v:1:1}", "$e", `"$e"`,
		"$(printf %s s)", `"$(printf '%s ' m n)"`, "$((1+2))", "*.none", "?q", "$1", `"$@"`, "$#",
	}
	cmds := []string{"tool", "rm", "dd", "$x", `"$x"`, "{rm,-f}", "r''m", `\rm`, "${x:-tool}"}
	out := make([]bashCase, 0, n)
	for len(out) < n {
		var args []string
		for k := 1 + r.IntN(3); k > 0; k-- {
			w := frags[r.IntN(len(frags))]
			if r.IntN(3) == 0 {
				w += frags[r.IntN(len(frags))] // a word of two parts
			}
			args = append(args, w)
		}
		pre := preludes[r.IntN(len(preludes))]
		cmd := cmds[r.IntN(len(cmds))]
		if strings.Contains(cmd, "x") && !strings.Contains(pre, "x=") {
			pre = strings.TrimPrefix(pre+"; x=rm", "; ")
		}
		c := bashCase{pre, cmd + " " + strings.Join(args, " ")}
		if r.IntN(6) == 0 {
			// The same command inside a function with a local of its own.
			c = bashCase{pre + "; f() { local v=loc; " + c.command + "; }", "f"}
			c.prelude = strings.TrimPrefix(c.prelude, "; ")
		}
		out = append(out, c)
	}
	return out
}

func TestBashDifferential(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash on this machine")
	}
	n := 400
	if s := os.Getenv("GUARD_BASHDIFF_N"); s != "" {
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("GUARD_BASHDIFF_N=%q: %v", s, err)
		}
	}
	cases := append(append([]bashCase(nil), bashDiffWritten...), bashDiffGen(n, 18)...)

	root := t.TempDir()
	if err := os.Chmod(filepath.Dir(root), 0o755); err != nil { // the test's own temporary parent
		t.Fatal(err)
	}
	home, cwd := filepath.Join(root, "home"), filepath.Join(root, "cwd")
	for _, d := range []string{root, home, cwd} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o755); err != nil { // nobody must reach it
			t.Fatal(err)
		}
	}
	got := runBashCases(t, bash, cases, home, cwd)

	var unknown, patterns, diverged int
	for i, c := range cases {
		ctx := Context{
			Cwd: cwd, Home: home, User: "nobody",
			Env:      map[string]string{"HOME": home, "PATH": "/nonexistent"},
			EnvExact: true,
			FS:       MapFS{},
		}
		invs := Analyze(c.source(), ctx)
		if len(invs) == 0 {
			t.Errorf("case %d %q: guard found no command; bash ran %q", i, c.source(), got[i])
			diverged++
			continue
		}
		inv := invs[len(invs)-1]
		words := []string{inv.Path}
		known := inv.Unknown == "" && inv.Path != ""
		for _, a := range inv.Args {
			words = append(words, a.Value)
			known = known && !a.Unknown
		}
		if !known {
			unknown++
			continue
		}
		if !slicesEqual(words, got[i]) && hasPattern(inv.Args) {
			// A pattern guard judges as a pattern: what it matches on
			// disk (or nothing, with nullglob) is the command's own.
			patterns++
			continue
		}
		if !slicesEqual(words, got[i]) {
			diverged++
			t.Errorf("case %d:\n%s\nguard: %q\nbash:  %q", i, c.source(), words, got[i])
		}
	}
	t.Logf("bash differential: %d cases (%d written, %d generated): %d known to guard and equal to bash, %d unknown to guard (confirm), %d patterns bash matched against the disk, %d diverged",
		len(cases), len(bashDiffWritten), n, len(cases)-unknown-patterns-diverged, unknown, patterns, diverged)
}

// hasPattern reports whether a word is a pattern the shell matches
// against the filesystem.
func hasPattern(args []Word) bool {
	for _, a := range args {
		if a.Glob {
			return true
		}
	}
	return false
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// runBashCases runs every case in one bash, each in a subshell, and
// returns the words bash's command_not_found_handle was given for each
// (nil where none: the case's command was a builtin or a function only).
func runBashCases(t *testing.T, bash string, cases []bashCase, home, cwd string) [][]string {
	t.Helper()
	var script strings.Builder
	script.WriteString("command_not_found_handle() { printf '%s\\0' \"$@\"; return 127; }\n")
	for _, c := range cases {
		// Each case runs in a subshell of its own, through eval, which
		// reads it command by command as bash -c does (a subshell's
		// own text would be parsed whole, before its aliases are
		// defined). \x01 separates the cases' outputs; a case that
		// prints nothing is an empty record.
		q, err := syntax.Quote(c.source(), syntax.LangBash)
		if err != nil {
			t.Fatalf("quoting %q: %v", c.source(), err)
		}
		fmt.Fprintf(&script, "( eval %s )\nprintf '\\001'\n", q)
	}
	file := filepath.Join(cwd, "..", "cases.sh")
	if err := os.WriteFile(file, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "PATH=/nonexistent", "LC_ALL=C.UTF-8"}
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		// Never as root: as nobody, with nothing but this environment.
		cmd = exec.Command("setpriv", append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "env", "-i"},
			append(env, bash, "--norc", "--noprofile", file)...)...)
	} else {
		cmd = exec.Command("env", append(append([]string{"-i"}, env...), bash, "--norc", "--noprofile", file)...)
	}
	cmd.Dir = cwd
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bash: %v\n%s", err, stderr.String())
	}
	records := strings.Split(stdout.String(), "\x01")
	if len(records) != len(cases)+1 {
		t.Fatalf("bash printed %d records for %d cases\nstderr: %s", len(records)-1, len(cases), stderr.String())
	}
	out := make([][]string, len(cases))
	for i, rec := range records[:len(cases)] {
		if rec == "" {
			continue
		}
		out[i] = strings.Split(strings.TrimSuffix(rec, "\x00"), "\x00")
	}
	return out
}
