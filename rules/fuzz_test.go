package rules

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"testing"
	"time"

	"github.com/guard-dev/guard/interceptor"
)

// fuzzBudget is the time one command may take to check, analysis and every
// pack included. Real commands take microseconds; the budget leaves room
// for a loaded machine running the fuzzer with coverage instrumentation.
const fuzzBudget = time.Second

// checkWithin runs c.Check on src in cwd and fails t when it panics or
// takes longer than budget.
func checkWithin(t *testing.T, c *Checker, src, cwd string, budget time.Duration) Verdict {
	t.Helper()
	type result struct {
		v     Verdict
		panic string
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{panic: fmt.Sprintf("%v\n%s", r, debug.Stack())}
			}
		}()
		done <- result{v: c.Check(Command{Source: src, Cwd: cwd}).Verdict}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.panic != "" {
			t.Fatalf("Check(%q) panicked: %s", src, r.panic)
		}
		return r.v
	case <-timer.C:
		t.Fatalf("Check(%q) did not finish within %v", src, budget)
		return Verdict{}
	}
}

// FuzzCheck runs the whole check path (analysis, every builtin pack, the
// verdict) in the corpus world: it must finish within the budget without
// panicking, give the same verdict every time, never allow a command in
// which analysis marked an invocation unknown, and no pack may fail (the
// engine turns a pack's panic into a confirm, which would hide it here).
func FuzzCheck(f *testing.F) {
	for _, name := range []string{"allow.txt", "block.txt"} {
		for _, l := range readCorpus(f, name) {
			f.Add(l.cmd)
		}
	}
	for _, s := range []string{
		"python3 -c \"import os; os.system('bash -c \\\"rm -rf ~\\\"')\"",
		"psql -c \"$(cat drop.sql)\"",
		"rm -rf \xff ~",
		"echo hi\x00",
		"rm -rf ~/{a,b}/*/../..",
		"curl -X POST https://api.example.com/graphql -d '{\"query\":\"mutation { a { b { c } } }\"}'",
	} {
		f.Add(s)
	}
	c, project := corpusWorld(f)
	f.Fuzz(func(t *testing.T, src string) {
		first := checkWithin(t, c, src, project, fuzzBudget)
		second := checkWithin(t, c, src, project, fuzzBudget)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("Check(%q) is not deterministic:\n%+v\n%+v", src, first, second)
		}
		for _, f := range first.Findings {
			if f.Rule == "meta.internal-error" {
				t.Fatalf("Check(%q): %s", src, f.Reason)
			}
		}
		if first.Decision != Allow {
			return
		}
		ctx := c.ctx
		ctx.Cwd = project
		for _, inv := range interceptor.Analyze(src, ctx) {
			// A command that may not run as analysed (a launcher's
			// operands, a program named in a variable, a script run from
			// disk) is judged by what it definitely does: its unknowns
			// are not reported by design (launchedOnly).
			if inv.Unknown != "" && inv.Launched == "" && inv.Indirect == "" {
				t.Fatalf("Check(%q) allows a command analysis marked unknown (%s)", src, inv.Unknown)
			}
		}
	})
}
