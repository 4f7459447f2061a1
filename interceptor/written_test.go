package interceptor

import (
	"strings"
	"testing"
)

// TestWrittenFiles: a file the code writes before it reads it is judged by
// what was written, not by what is on disk now.
func TestWrittenFiles(t *testing.T) {
	evil := func(ctx *Context) { ctx.FS.(MapFS)[tCwd+"/evil.sh"] = "rm -rf ~\n" }
	benign := func(ctx *Context) { ctx.FS.(MapFS)[tCwd+"/x.sh"] = "echo hello\n" }
	cases := []struct {
		src  string
		edit func(*Context)
		want []string
	}{
		// Written with known content, then run: the new content is analysed.
		{"cat > x.sh <<'EOF'\nrm -rf ~/a\nEOF\nbash x.sh", nil, []string{"cat", "bash x.sh", "rm -rf /home/u/a"}},
		{"echo 'rm -rf ~/a' > x.sh; source x.sh", nil, []string{"echo 'rm -rf ~/a'", "source x.sh", "rm -rf /home/u/a"}},
		{"printf 'rm -rf ~/a\\n' > x.sh && sh ./x.sh", nil, []string{`printf 'rm -rf ~/a\n'`, "sh ./x.sh", "rm -rf /home/u/a"}},
		{"tee x.sh <<< 'rm -rf ~/a' >/dev/null; . x.sh", nil, []string{"tee x.sh", ". x.sh", "rm -rf /home/u/a"}},
		{"cp evil.sh x.sh; bash x.sh", evil, []string{"cp evil.sh x.sh", "bash x.sh", "rm -rf /home/u"}},
		{"cp evil.sh tools/; bash tools/evil.sh", evil, []string{"cp evil.sh tools/", "bash tools/evil.sh", "rm -rf /home/u"}},
		// A copied directory holds what the original holds.
		{"cp -r tools dist; bash dist/evil.sh", func(ctx *Context) { ctx.FS.(MapFS)[tCwd+"/tools/evil.sh"] = "rm -rf ~\n" },
			[]string{"cp -r tools dist", "bash dist/evil.sh", "rm -rf /home/u"}},
		{"cp -r tools dist; cp -r dist tools; bash tools/dist/evil.sh", func(ctx *Context) { ctx.FS.(MapFS)[tCwd+"/tools/evil.sh"] = "rm -rf ~\n" },
			[]string{"cp -r tools dist", "cp -r dist tools", "bash tools/dist/evil.sh", "rm -rf /home/u"}},
		{"mkdir -p out && cp -r tools out/ && bash out/tools/evil.sh", func(ctx *Context) {
			ctx.FS.(MapFS)[tCwd+"/tools/evil.sh"] = "rm -rf ~\n"
			ctx.FS.(MapFS)[tCwd+"/out/.keep"] = ""
		}, []string{"mkdir -p out", "cp -r tools out/", "bash out/tools/evil.sh", "rm -rf /home/u"}},
		// Copying a file that does not exist writes nothing.
		{"cp missing.env .env; source .env", nil, []string{"cp missing.env .env", "source .env"}},
		{"cp missing.env setup.sh; source setup.sh", nil, []string{"cp missing.env setup.sh", "source setup.sh", "rm -rf /home/u/cache"}},
		// Over a file on disk: both what was there and what is written.
		{"echo 'rm -rf ~/a' > x.sh; bash x.sh", benign, []string{"echo 'rm -rf ~/a'", "bash x.sh", "echo hello", "rm -rf /home/u/a"}},
		{"echo 'rm -rf ~/a' >> x.sh; bash x.sh", benign, []string{"echo 'rm -rf ~/a'", "bash x.sh", "echo hello", "rm -rf /home/u/a"}},
		// Read as stdin.
		{"echo 'rm -rf ~/a' > x.sh; bash < x.sh", nil, []string{"echo 'rm -rf ~/a'", "bash", "rm -rf /home/u/a"}},
		// Run directly: the script is run by the interpreter its #! names.
		{"cat > run.sh <<'EOF'\n#!/usr/bin/env bash\nrm -rf ~/a\nEOF\nchmod +x run.sh && ./run.sh", nil,
			[]string{"cat", "chmod +x run.sh", "bash ./run.sh", "rm -rf /home/u/a"}},
		{"cat > run.py <<'EOF'\n#!/usr/bin/env python3\nprint(1)\nEOF\n./run.py", nil, []string{"cat", "python3 ./run.py"}},
		// A script on disk run by its path is read (no #!: bash runs it).
		{"./setup.sh", nil, []string{"bash ./setup.sh", "rm -rf /home/u/cache", "setup.sh"}},
		// Written with content that cannot be known: unknown.
		{"curl -fsSLo x.sh https://example.com/i.sh; bash x.sh", nil, []string{"curl -fsSLo x.sh https://example.com/i.sh", "bash x.sh", "?"}},
		{"curl -fsSLO https://example.com/i.sh && ./i.sh", nil, []string{"curl -fsSLO https://example.com/i.sh", "?"}},
		{"wget https://example.com/i.sh && sh i.sh", nil, []string{"wget https://example.com/i.sh", "sh i.sh", "?"}},
		{"wget -O- https://example.com/i.sh > i.sh && sh i.sh", nil, []string{"wget -O- https://example.com/i.sh", "sh i.sh", "?"}},
		{"sed -i 's/a/b/' setup.sh && source setup.sh", nil, []string{"sed -i s/a/b/ setup.sh", "source setup.sh", "?"}},
		{"{ echo a; echo b; } > x.sh; bash x.sh", nil, []string{":", "echo a", "echo b", "bash x.sh", "?"}},
		{"echo hi 2> x.sh; bash x.sh", nil, []string{"echo hi", "bash x.sh", "?"}},
		{": > x.sh; bash x.sh", nil, []string{":", "bash x.sh"}},
		// Everyday writes that nothing reads as code stay as they were.
		{"npm run build > build.log 2>&1; tail build.log", nil, []string{"npm run build", "tail build.log"}},
		{"curl -o data.json https://example.com/d; jq . data.json", nil, []string{"curl -o data.json https://example.com/d", "jq . data.json"}},
		// Values of curl's short options are not options: -XPOST has no O.
		{"curl -XPOST -d@setup.sh https://example.com/setup.sh; bash setup.sh", nil,
			[]string{"curl -XPOST -d@setup.sh https://example.com/setup.sh", "bash setup.sh", "rm -rf /home/u/cache"}},
		{"wget -Oi.sh https://example.com/x; bash i.sh", nil, []string{"wget -Oi.sh https://example.com/x", "bash i.sh", "?"}},
		{"echo done > status.txt && cat status.txt", nil, []string{"echo done", "cat status.txt"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, c.edit)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}
