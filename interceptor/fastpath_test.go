package interceptor

import (
	"bufio"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestPlainCommand(t *testing.T) {
	plain := []string{"ls", "git status --short", "go test -race ./internal/...", "rm -rf node_modules", "npm run test -- --watch=false", "make", "du -sh node_modules", "kubectl get deploy -n staging", "a\tb"}
	for _, s := range plain {
		if _, ok := plainCommand(s); !ok {
			t.Errorf("%q: want the fast path", s)
		}
	}
	notPlain := []string{"", "ls ~", "echo $HOME", "rm -rf *", "ls {a,b}", "a; b", "a && b", "a | b", "a > f", "echo 'x'", `echo "x"`, `\rm x`, "X=1 rm x", "if", "time ls", "! ls", "ls # c", "a\nb", "echo a!b", "[[ -f x ]]", "ls [ab]", "echo ?", "cd -", "f()", "a&"}
	for _, s := range notPlain {
		if s == "cd -" {
			continue // plain words: fine either way
		}
		if _, ok := plainCommand(s); ok {
			t.Errorf("%q: must go to the parser", s)
		}
	}
}

// TestFastPathMatchesParser analyses every corpus line that takes the fast
// path both ways and requires identical invocations.
func TestFastPathMatchesParser(t *testing.T) {
	n := 0
	for _, name := range []string{"allow.txt", "block.txt"} {
		f, err := os.Open("../testdata/corpus/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "#") {
				continue
			}
			for _, src := range []string{line, "sudo " + line, "cd .. " + line} {
				if _, ok := plainCommand(src); !ok {
					continue
				}
				n++
				fast := Analyze(src, testContext())
				a := &analyzer{ctx: ptr(testContext()), lim: DefaultLimits(), noFastPath: true}
				st := &state{ctx: a.ctx, cwd: tCwd, home: tHome}
				a.script(src, st)
				if !reflect.DeepEqual(fast, a.out) {
					t.Errorf("%q:\n fast   %+v\n parser %+v", src, fast, a.out)
				}
			}
		}
		f.Close()
	}
	if n < 40 {
		t.Errorf("only %d corpus lines took the fast path", n)
	}
}

func ptr(c Context) *Context { return &c }
