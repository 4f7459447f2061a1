package interceptor

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// pathological are inputs that have hung or exploded other analysers.
func pathological() map[string]string {
	return map[string]string{
		"nested-subst-1000": strings.Repeat("$(", 1000) + "rm -rf ~" + strings.Repeat(")", 1000),
		"nested-eval":       strings.Repeat("eval ", 100) + "rm -rf ~",
		"nested-bash-c":     nestedBashC(8) + "; " + nestedBashC(8),
		"heredoc-10000":     "cat <<'EOF' | psql\n" + strings.Repeat("SELECT 1;\n", 10000) + "EOF\n",
		"arg-1MiB":          "echo " + strings.Repeat("a", 1<<20),
		"braces":            "echo {1..9}{1..9}{1..9}{1..9}{1..9}{1..9}",
		"many-commands":     strings.Repeat("true; ", 20000),
		"func-fanout":       "f0() { :; }; " + fanout(20) + "f20",
		// Expansion explosions: 250 bytes that double a variable to 8
		// GiB, one that squares 100 KB, printf widths.
		"doubling":     "x=aaaaaaaa" + strings.Repeat("; x=$x$x", 30) + "; rm -rf ~/$x",
		"square":       "x=" + strings.Repeat("a", 100000) + "; echo ${x//?/$x}",
		"printf-width": strings.Repeat("printf '%09999999d' 0 | sh; ", 8),
	}
}

func nestedBashC(n int) string {
	s := "rm -rf ~"
	for i := 0; i < n; i++ {
		s = "bash -c " + shellQuote(s)
	}
	return s
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fanout defines f1..fn, each calling the previous one twice.
func fanout(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		prev := "f" + itoa(i-1)
		b.WriteString("f" + itoa(i) + "() { " + prev + "; " + prev + "; }; ")
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestPathological checks that pathological input finishes and is either
// analysed correctly or reported as unknown, never silently empty.
func TestPathological(t *testing.T) {
	for name, src := range pathological() {
		invs := Analyze(src, testContext())
		if len(invs) == 0 {
			t.Errorf("%s: no invocations", name)
			continue
		}
		switch name {
		case "nested-subst-1000", "nested-eval", "many-commands", "braces", "func-fanout",
			"doubling", "square", "printf-width":
			if !hasUnknown(invs) {
				t.Errorf("%s: want a limit reported as unknown, got %d invocations", name, len(invs))
			}
		case "heredoc-10000":
			if hasUnknown(invs) || invs[len(invs)-1].Name != "psql" || !invs[len(invs)-1].Stdin.Known {
				t.Errorf("%s: want psql with the heredoc known", name)
			}
		case "arg-1MiB":
			if hasUnknown(invs) || len(invs[0].Args[0].Value) != 1<<20 {
				t.Errorf("%s: want the argument analysed", name)
			}
		}
	}
}

func hasUnknown(invs []Invocation) bool {
	for _, inv := range invs {
		if inv.Unknown != "" {
			return true
		}
	}
	return false
}

// TestLimits checks each bound at and just over its limit.
func TestLimits(t *testing.T) {
	lim := Limits{MaxInput: 100, MaxDepth: 3, MaxInvocations: 5, MaxFields: 10, MaxSteps: 1000}
	ctx := testContext()
	ctx.Limits = lim
	fsys := ctx.FS.(MapFS)
	for i := 1; i <= 4; i++ {
		// s1.sh sources s2.sh ... s4.sh; loop.sh sources itself.
		fsys[tCwd+"/s"+itoa(i)+".sh"] = "source s" + itoa(i+1) + ".sh\n"
	}
	fsys[tCwd+"/s5.sh"] = "rm -rf ~\n"
	fsys[tCwd+"/loop.sh"] = "source loop.sh\n"
	cases := []struct {
		name    string
		src     string
		unknown bool
	}{
		{"input at limit", "echo " + strings.Repeat("a", 95), false},
		{"input over limit", "echo " + strings.Repeat("a", 96), true},
		{"depth at limit", nestedBashC(3), false},
		{"depth over limit", nestedBashC(4), true},
		{"eval depth at limit", "eval eval eval rm x", false},
		{"eval depth over limit", "eval eval eval eval rm x", true},
		{"source depth at limit", "source s3.sh", false},
		{"source depth over limit", "source s2.sh", true},
		{"source recursion", "source loop.sh", true},
		{"function depth at limit", "f1() { f2; }; f2() { f3; }; f3() { rm x; }; f1", false},
		{"function depth over limit", "f1() { f2; }; f2() { f3; }; f3() { f4; }; f4() { rm x; }; f1", true},
		{"invocations at limit", "a; b; c; d; e", false},
		{"invocations over limit", "a; b; c; d; e; f", true},
		{"fields at limit", "echo {1..9}", false},
		{"fields just over limit", "echo {1..10}", true},
		{"fields over limit", "echo {1..11}", true},
		{"brace product over limit", "echo {1..4}{1..3}", true},
		{"unclosed brace at limit", "echo {{1..3}{1..3}", false},
		{"unclosed brace over limit", "echo {{1..4}{1..3}", true},
		{"substitution depth at limit", "echo $(echo $(echo $(echo x)))", false},
		{"substitution depth over limit", "echo $(echo $(echo $(echo $(echo x))))", true},
	}
	for _, c := range cases {
		invs := Analyze(c.src, ctx)
		if got := hasUnknown(invs); got != c.unknown {
			t.Errorf("%s: unknown=%v, want %v (%q)", c.name, got, c.unknown, lines(invs))
		}
	}
	ctx.Limits = Limits{MaxSteps: 50}
	if invs := Analyze(strings.Repeat("true; ", 100), ctx); !hasUnknown(invs) {
		t.Errorf("steps over limit: not reported")
	}
}

func TestInvalidUTF8(t *testing.T) {
	invs := Analyze("rm -rf \xff\xfe ~", testContext())
	if len(invs) != 1 || invs[0].Name != "rm" || invs[0].Args[2].Value != "/home/u" {
		t.Errorf("invalid UTF-8: got %q", lines(invs))
	}
}

func BenchmarkPathological(b *testing.B) {
	for name, src := range pathological() {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Analyze(src, testContext())
			}
		})
	}
}

func BenchmarkEveryday(b *testing.B) {
	cmds := []string{
		"ls -lah src/",
		"git status --short",
		"go test -race ./internal/...",
		"rm -rf node_modules",
		`git add src/app.ts && git commit -m "feat: add login form"`,
		"npm run test -- --watch=false",
		`grep -rn "func main" --include='*.go' .`,
		"cd frontend && npm run build",
	}
	ctx := testContext()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Analyze(cmds[i%len(cmds)], ctx)
	}
}

// TestBraceCount checks the estimate of brace expansion made before
// expanding, which keeps an explosion from being made at all.
func TestBraceCount(t *testing.T) {
	cases := []struct {
		word string
		want int
	}{
		{"a", 1},
		{"{a,b,c}", 3},
		{"{1..9}{1..9}", 81},
		{"{a,{1..9}}", 18}, // an upper bound: bash makes 10
		// An unclosed "{" is a literal; the groups after it expand.
		{"{{1..9}{1..9}", 81},
		{"{1..9}}{1..9}", 81},
		{"{", 1},
	}
	for _, c := range cases {
		f, err := syntax.NewParser().Parse(strings.NewReader("echo "+c.word), "")
		if err != nil {
			t.Fatal(err)
		}
		w := f.Stmts[0].Cmd.(*syntax.CallExpr).Args[1]
		if got := braceCount(w); got != c.want {
			t.Errorf("braceCount(%s) = %d, want %d", c.word, got, c.want)
		}
	}
}

// TestExpansionLimits checks the bounds on the data analysis makes, at and
// just over each limit: the bytes expansion makes in all (MaxExpansion)
// and the size of a heredoc body before and after expansion (MaxHeredoc).
func TestExpansionLimits(t *testing.T) {
	ctx := testContext()
	ctx.Limits = Limits{MaxExpansion: 1000, MaxHeredoc: 16}
	fsys := ctx.FS.(MapFS)
	fsys[tCwd+"/500.txt"] = strings.Repeat("a", 500)
	fsys[tCwd+"/501.txt"] = strings.Repeat("a", 501)
	x := "x=" + strings.Repeat("a", 100) + "; " // a plain literal: not counted
	ten := strings.Repeat("$x", 10)
	cases := []struct {
		name    string
		src     string
		unknown string // the reason over the limit, "" at the limit
	}{
		{"expansion at limit", x + "echo " + ten, ""},
		{"expansion over limit", x + "echo " + ten + `"a"`, "expands to more than 1000 bytes"},
		{"expansion adds up at limit", x + "echo " + ten[:10] + " " + ten[10:], ""},
		{"expansion adds up over limit", x + "echo " + ten[:10] + " " + ten[10:] + ` "a"`, "expands to more than 1000 bytes"},
		{"brace copies under limit", x + "echo {1..2}" + ten[:8], ""},
		{"brace copies over limit", x + "echo {1..3}" + ten[:8], "expands to more than 1000 bytes"},
		{"replacement over limit", x + "echo ${x//?/$x}", "expands to more than 1000 bytes"},
		{"printf at limit", "printf %01000d 0 | sh", ""},
		{"printf over limit", "printf %01001d 0 | sh", "expands to more than 1000 bytes"},
		{"files read at limit", "cat 500.txt 500.txt | sh", ""},
		{"files read over limit", "cat 500.txt 501.txt | sh", "expands to more than 1000 bytes"},
		{"heredoc at limit", "sh <<'EOF'\n" + strings.Repeat("a", 15) + "\nEOF", ""},
		{"heredoc over limit", "sh <<'EOF'\n" + strings.Repeat("a", 16) + "\nEOF", "a heredoc is larger than 16 bytes"},
		{"expanded heredoc at limit", "x=aaaaaaa; sh <<EOF\n$x$x\nEOF", ""},
		{"expanded heredoc over limit", "x=aaaaaaaa; sh <<EOF\n$x$x\nEOF", "a heredoc is larger than 16 bytes"},
	}
	for _, c := range cases {
		invs := Analyze(c.src, ctx)
		reason := ""
		for _, inv := range invs {
			if inv.Unknown != "" {
				reason = inv.Unknown
			}
		}
		switch {
		case c.unknown == "" && reason != "":
			t.Errorf("%s: at the limit, got unknown %q", c.name, reason)
		case c.unknown != "" && !strings.Contains(reason, c.unknown):
			t.Errorf("%s: over the limit, got %q, want the reason %q (%q)", c.name, reason, c.unknown, lines(invs))
		}
	}
}
