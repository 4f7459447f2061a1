package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// runnerFS is the test world with the runner files of a project whose
// scripts and recipes do everyday things and destructive ones.
func runnerFS() interceptor.MapFS {
	fsys := testFS()
	for name, content := range map[string]string{
		"package.json": `{
  "name": "app",
  "scripts": {
    "build": "tsc && vite build",
    "test": "jest",
    "start": "node server.js",
    "dev": "vite",
    "postinstall": "husky install",
    "prepare": "npm run build",
    "db:reset": "prisma migrate reset --force",
    "nuke": "rm -rf ~/",
    "clean": "rm -rf dist node_modules/.cache"
  }
}
`,
		"Makefile": `CC = gcc
CFLAGS = -O2 -Wall
OBJS = main.o util.o

all: app

app: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^

%.o: %.c
	$(CC) $(CFLAGS) -c $<

build:
	go build ./...

test:
	go test ./...

clean:
	rm -rf build/ *.o app

nuke:
	rm -rf ~/

reset-db:
	psql "$$DATABASE_URL" -c 'DROP SCHEMA public CASCADE'
`,
		"justfile":        "default: test\n\ntest:\n    cargo test\n\nreset:\n    psql \"$DATABASE_URL\" -c 'DROP SCHEMA public CASCADE'\n\nwipe:\n    ./scripts/wipe.sh\n",
		"Taskfile.yml":    "version: '3'\ntasks:\n  build:\n    cmds:\n      - go build ./...\n  reset:\n    cmds:\n      - npx prisma migrate reset --force\n",
		"Rakefile":        "task :test do\n  sh 'bundle exec rspec'\nend\n\ntask :wipe do\n  sh \"bash scripts/wipe.sh\"\nend\n",
		"composer.json":   `{"scripts": {"test": "phpunit", "wipe": "rm -rf ~/Documents"}}`,
		"deno.json":       `{"tasks": {"dev": "deno run -A main.ts", "wipe": "bash scripts/wipe.sh"}}`,
		"main.c":          "int main(void) { return 0; }\n",
		"util.c":          "int util(void) { return 0; }\n",
		"scripts/wipe.sh": "rm -rf \"$HOME/Documents\"\n",
	} {
		fsys[testCwd+"/"+name] = content
	}
	return fsys
}

// TestTaskRunners: what a task runner runs is judged as the command it
// is; the everyday scripts and recipes stay allowed.
func TestTaskRunners(t *testing.T) {
	cases := []ruleCase{
		{`npm run nuke`, Deny, "fs.rm-home"},
		{`npm run db:reset`, Confirm, "migrations.reset-database"},
		{`yarn nuke`, Deny, "fs.rm-home"},
		{`pnpm run nuke`, Deny, "fs.rm-home"},
		{`bun run nuke`, Deny, "fs.rm-home"},
		{`make nuke`, Deny, "fs.rm-home"},
		{`make reset-db`, Confirm, "sql.drop"},
		{`npm pkg set scripts.test='rm -rf ~/Documents' && npm test`, Confirm, "fs.rm-protected"},
		{"printf 'x:\\n\\trm -rf ~/Documents\\n' > Makefile && make x", Confirm, "fs.rm-protected"},
		{"make --eval=$'x:\\n\\trm -rf ~/Documents' x", Confirm, "fs.rm-protected"},
		{`cat > Makefile <<'EOF'
x:
	rm -rf ~/Documents
EOF
make x`, Confirm, "fs.rm-protected"},
		{`echo '{' > package.json && npm test`, Confirm, "meta.unknown"},
		{`just reset`, Confirm, "sql.drop"},
		{`task reset`, Confirm, "migrations.reset-database"},
		{`rake wipe`, Confirm, "fs.rm-protected"},
		{`composer wipe`, Confirm, "fs.rm-protected"},
		{`deno task wipe`, Confirm, "fs.rm-protected"},
		{`bash scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		// Everyday.
		{`npm test`, Allow, ""},
		{`npm start`, Allow, ""},
		{`npm run build`, Allow, ""},
		{`npm run dev`, Allow, ""},
		{`npm run clean`, Allow, ""},
		{`npm install`, Allow, ""},
		{`npm ci`, Allow, ""},
		{`yarn`, Allow, ""},
		{`yarn build`, Allow, ""},
		{`pnpm install`, Allow, ""},
		{`npm run`, Allow, ""},
		{`npm run missing`, Allow, ""},
		{`make`, Allow, ""},
		{`make build`, Allow, ""},
		{`make test`, Allow, ""},
		{`make clean`, Allow, ""},
		{`make -n nuke`, Allow, ""},
		{`make --dry-run reset-db`, Allow, ""},
		{`make -q all`, Allow, ""},
		{`make --help`, Allow, ""},
		{`make foo`, Allow, ""},
		{`make main.o`, Allow, ""},
		{`make -j4 all`, Allow, ""},
		{`just`, Allow, ""},
		{`just test`, Allow, ""},
		{`just --list`, Allow, ""},
		{`task build`, Allow, ""},
		{`task --list`, Allow, ""},
		{`rake test`, Allow, ""},
		{`rake db:migrate`, Allow, ""},
		{`composer test`, Allow, ""},
		{`composer install`, Allow, ""},
		{`deno task dev`, Allow, ""},
	}
	runCasesWith(t, cases, func(src string) Verdict { return judgeIn(t, src, runnerFS(), Builtin()...) })
}

// TestTaskRunnerMissingFiles: without the runner's file nothing runs.
func TestTaskRunnerMissingFiles(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`npm test`, Allow, ""},
		{`npm run nuke`, Allow, ""},
		{`make`, Allow, ""},
		{`make nuke`, Allow, ""},
		{`yarn`, Allow, ""},
	}, Builtin()...)
}

// TestTaskRunnerFinding: the finding says which runner command ran the
// code and where it stands.
func TestTaskRunnerFinding(t *testing.T) {
	for src, want := range map[string]string{
		`npm run nuke`:  "npm run nuke (package.json line 11) -> rm -rf ~/",
		`make nuke`:     "make nuke (Makefile line 23) -> rm -rf ~/",
		`make reset-db`: "make reset-db (Makefile line 26) -> psql \"$DATABASE_URL\" -c 'DROP SCHEMA public CASCADE'",
	} {
		v := judgeIn(t, src, runnerFS(), Builtin()...)
		found := false
		for _, f := range v.Findings {
			found = found || strings.Contains(f.Command, want)
		}
		if !found {
			t.Errorf("%q: no finding shows %q; findings %+v", src, want, v.Findings)
		}
	}
}
