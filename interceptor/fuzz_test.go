package interceptor

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"
)

// fuzzBudget is the time one input may take to analyse. Real commands take
// microseconds; the budget is generous so that a loaded machine running the
// fuzzer with coverage instrumentation does not report a false hang.
const fuzzBudget = time.Second

// corpusSeeds returns the commands of the public corpora, with a literal
// "\n" turned into a newline as the corpus files specify.
func corpusSeeds(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, name := range []string{"allow.txt", "block.txt"} {
		f, err := os.Open(filepath.Join("..", "testdata", "corpus", name))
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
				continue
			}
			out = append(out, strings.ReplaceAll(line, `\n`, "\n"))
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// fuzzSeeds are small inputs that reach the analyser's bounds and odd
// corners, added to the corpora.
func fuzzSeeds() []string {
	return []string{
		strings.Repeat("$(", 40) + "rm -rf ~" + strings.Repeat(")", 40),
		strings.Repeat("eval ", 30) + "rm -rf ~",
		nestedBashC(5),
		"echo {1..9}{1..9}{1..9}{1..9}",
		"f0() { :; }; " + fanout(6) + "f6",
		"cat <<'EOF' | sh\nrm -rf ~\nEOF",
		"rm -rf \xff\xfe ~",
		"rm -rf ~\x00",
		"a=$'\\x72\\x6d'; $a -rf ~",
		"for x in a b c; do for y in 1 2; do rm -rf ~/$x$y; done; done",
		"find . -exec sh -c 'rm -rf \"$1\"' _ {} \\;",
		"xargs -I{} sh -c 'echo {}' < paths.txt",
		"env -S 'rm -rf ~'",
		"source setup.sh",
		"echo cm0gLXJmIH4= | base64 -d | sh",
	}
}

// analyzeWithin runs Analyze on src and fails t when it panics or takes
// longer than budget.
func analyzeWithin(t *testing.T, src string, ctx Context, budget time.Duration) []Invocation {
	t.Helper()
	type result struct {
		invs  []Invocation
		panic string
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{panic: fmt.Sprintf("%v\n%s", r, debug.Stack())}
			}
		}()
		done <- result{invs: Analyze(src, ctx)}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.panic != "" {
			t.Fatalf("Analyze(%q) panicked: %s", src, r.panic)
		}
		return r.invs
	case <-timer.C:
		t.Fatalf("Analyze(%q) did not finish within %v", src, budget)
		return nil
	}
}

// FuzzAnalyze checks that analysis of any input finishes within the
// budget without panicking, gives the same invocations every time, stays
// within its limits, and reports input it cannot follow (a parse error, a
// NUL byte) as unknown rather than as nothing.
func FuzzAnalyze(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		ctx := testContext()
		first := analyzeWithin(t, src, ctx, fuzzBudget)
		second := analyzeWithin(t, src, ctx, fuzzBudget)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("Analyze(%q) is not deterministic:\n%q\n%q", src, lines(first), lines(second))
		}
		if max := DefaultLimits().MaxInvocations + 1; len(first) > max {
			t.Fatalf("Analyze(%q): %d invocations, more than the limit allows (%d)", src, len(first), max)
		}
		if !unparsable(src) {
			return
		}
		if !hasUnknown(first) {
			t.Fatalf("Analyze(%q): input bash cannot take, yet no unknown invocation: %q", src, lines(first))
		}
	})
}

// unparsable reports whether src is input analysis cannot follow: it holds
// a NUL byte or does not parse as bash.
func unparsable(src string) bool {
	if strings.IndexByte(src, 0) >= 0 {
		return true
	}
	src = strings.ToValidUTF8(src, "\uFFFD")
	_, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	return err != nil
}

// TestFuzzFindings keeps the inputs the fuzzers found, with what analysis
// must make of them: the invocations, or "?" for unknown.
func TestFuzzFindings(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		// find without operands indexed its first argument (a panic).
		{"find", []string{"find"}},
		{"find | xargs rm", []string{"find", "rm **"}},
		// A function without a name: the parser takes zsh's anonymous
		// functions, bash rejects them (a nil name, a panic).
		{"{ ()0&}", []string{"?"}},
		{"() { rm -rf ~; }", []string{"?"}},
	}
	for _, c := range cases {
		got := lines(analyzeWithin(t, c.src, testContext(), fuzzBudget))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}
