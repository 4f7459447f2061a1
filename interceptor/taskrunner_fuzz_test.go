package interceptor

import (
	"testing"
	"time"
)

// FuzzRunnerFiles: whatever a runner file holds, reading it never panics
// and finishes in time.
func FuzzRunnerFiles(f *testing.F) {
	for _, seed := range []string{
		"x:\n\trm -rf ~/a\n",
		"A = $(B)$(B)\nB = $(A)\nx: ; $(A)\n",
		`{"scripts": {"test": "jest", "x": "npm run x"}}`,
		"version: '3'\ntasks:\n  x:\n    cmds:\n      - echo {{.A}}\n",
		"x a='1': y\n    echo {{a}}\ny:\n    #!/bin/sh\n    ls\n",
		"task :x => [:y] do\n  sh %(ls)\nend\n",
		"[tool.poe.tasks]\nx = [\"x\"]\n",
		"ifeq ($(X),1)\ndefine Y\nendef\nelse ifdef Z\nendif\ninclude a\n$(eval x: ; rm -rf ~)\n",
		"[[[[[[[[\n{{{{{\n- - - -\n  |\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		fsys := MapFS{}
		for _, name := range []string{"Makefile", "package.json", "justfile", "Taskfile.yml", "Rakefile", "pyproject.toml",
			"composer.json", "deno.json", "lerna.json", "pnpm-workspace.yaml", "a"} {
			fsys[tCwd+"/"+name] = data
		}
		ctx := testContext()
		ctx.FS = fsys
		start := time.Now()
		Analyze("make; make x; npm test; npm test -ws; just; just x; task x; rake x; poe x; pdm run x; composer x; deno task x; turbo run x; nx run-many -t x", ctx)
		if d := time.Since(start); d > fuzzBudget {
			t.Errorf("took %v on %q", d, data)
		}
	})
}
