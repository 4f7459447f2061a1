package interceptor

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// runnerProject is a project whose runner files name everyday commands
// and destructive ones.
func runnerProject() MapFS {
	return MapFS{
		tCwd + "/.git/HEAD": "ref: refs/heads/main\n",
		tCwd + "/package.json": `{
  "name": "app",
  "scripts": {
    "build": "tsc && vite build",
    "test": "jest",
    "pretest": "eslint .",
    "start": "node server.js",
    "lint": "npm run build -- --noEmit",
    "db:reset": "prisma migrate reset --force",
    "nuke": "rm -rf ~/",
    "loop": "npm run loop",
    "postinstall": "husky install",
    "cd-sub": "cd packages && rm -rf dist"
  },
  "workspaces": ["packages/web"]
}
`,
		tCwd + "/packages/web/package.json": `{"scripts": {"wipe": "rm -rf ~/Documents"}}`,
		tCwd + "/Makefile": `# A project Makefile.
CC = gcc
CFLAGS := -Wall
BUILD ?= build
RMDIR = rm -rf
VERSION := $(shell git describe --tags)
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c))

.PHONY: all clean nuke reset-db

all: app

app: main.o util.o
	$(CC) $(CFLAGS) -o $@ $^

%.o: %.c
	@$(CC) $(CFLAGS) -c $< -o $@

clean:
	-rm -rf $(BUILD)/ *.o

nuke: clean
	$(RMDIR) ~/

reset-db:
	psql "$$DATABASE_URL" -c 'DROP SCHEMA public CASCADE'

ver:
	echo $(VERSION) \
	  done

ifeq ($(CC),gcc)
wipe:
	rm -rf ~/Documents
else
wipe:
	echo no
endif

sub:
	$(MAKE) -C lib wipe
`,
		tCwd + "/lib/Makefile": "wipe:\n\trm -rf ~/lib-data\n",
	}
}

func runnerLines(src string, fsys MapFS) []string {
	ctx := testContext()
	ctx.FS = fsys
	return lines(Analyze(src, ctx))
}

// TestPackageScripts: npm, yarn, pnpm and bun run package.json scripts,
// analysed as shell code with where they came from.
func TestPackageScripts(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`npm run nuke`, []string{"npm run nuke", "rm -rf /home/u/"}},
		{`npm run db:reset`, []string{"npm run db:reset", "prisma migrate reset --force"}},
		{`yarn nuke`, []string{"yarn nuke", "rm -rf /home/u/"}},
		{`pnpm run nuke`, []string{"pnpm run nuke", "rm -rf /home/u/"}},
		{`bun run nuke`, []string{"bun run nuke", "rm -rf /home/u/"}},
		{`npm test`, []string{"npm test", "eslint .", "jest"}},
		{`npm t -- --watch`, []string{"npm t -- --watch", "eslint .", "jest --watch"}},
		{`npm run build`, []string{"npm run build", "tsc", "vite build"}},
		{`npm run lint`, []string{"npm run lint", "npm run build -- --noEmit", "tsc", "vite build --noEmit"}},
		{`npm start`, []string{"npm start", "node server.js"}},
		{`npm install`, []string{"npm install", "husky install"}},
		{`npm ci`, []string{"npm ci", "husky install"}},
		{`yarn`, []string{"yarn", "husky install"}},
		{`npm install zod`, []string{"npm install zod"}},
		{`npm install --ignore-scripts`, []string{"npm install --ignore-scripts"}},
		{`npm run`, []string{"npm run"}},
		{`npm run missing`, []string{"npm run missing"}},
		{`bun test`, []string{"bun test"}},
		{`yarn add zod`, []string{"yarn add zod"}},
		{`npm run loop`, []string{"npm run loop", "npm run loop"}},
		{`npm run cd-sub`, []string{"npm run cd-sub", "cd packages", "rm -rf dist"}},
		{`npm run wipe -w packages/web`, []string{"npm run wipe -w packages/web", "rm -rf /home/u/Documents"}},
		{`cd packages/web && npm run wipe`, []string{"cd packages/web", "npm run wipe", "rm -rf /home/u/Documents"}},
		{`npm run "$X"`, []string{"npm run …", "?"}},
		{`npm test -ws`, []string{"npm test -ws"}},
		// Written on the same line.
		{`npm pkg set scripts.test='rm -rf ~/Documents' && npm test`, []string{"npm pkg set 'scripts.test=rm -rf ~/Documents'", "npm test", "eslint .", "jest", "rm -rf /home/u/Documents"}},
		{`echo '{"scripts":{"x":"rm -rf ~/a"}}' > package.json; npm run x`, []string{`echo '{"scripts":{"x":"rm -rf ~/a"}}'`, "npm run x", "rm -rf /home/u/a"}},
		{`echo '{' > package.json; npm run x`, []string{"echo {", "npm run x", "?"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, runnerProject())
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestRunnerChain: the link names the runner command and where the recipe
// stands.
func TestRunnerChain(t *testing.T) {
	cases := []struct {
		src, want string
	}{
		{`npm run nuke`, "npm run nuke (package.json line 10)"},
		{`npm test`, "npm test (package.json line 5)"},
		{`make nuke`, "make nuke (Makefile line 23)"},
		{`make reset-db`, "make reset-db (Makefile line 26)"},
		{`make wipe`, "make wipe (Makefile line 34)"},
	}
	for _, c := range cases {
		ctx := testContext()
		ctx.FS = runnerProject()
		invs := Analyze(c.src, ctx)
		last := invs[len(invs)-1]
		if got := strings.Join(last.Chain, " -> "); got != c.want {
			t.Errorf("%q: chain %q, want %q", c.src, got, c.want)
		}
	}
}

// TestMakeRecipes: make runs the recipes of its goals and their
// prerequisites, expanded as make expands them.
func TestMakeRecipes(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`make nuke`, []string{"make nuke", "git describe --tags", "rm -rf build/ *.o", "rm -rf /home/u/"}},
		{`make reset-db`, []string{"make reset-db", "git describe --tags", "psql … -c 'DROP SCHEMA public CASCADE'"}},
		{`make`, []string{"make", "git describe --tags", "gcc -Wall -c main.c -o main.o", "gcc -Wall -c util.c -o util.o", "gcc -Wall -o app main.o util.o"}},
		{`make clean`, []string{"make clean", "git describe --tags", "rm -rf build/ *.o"}},
		{`make clean BUILD=out`, []string{"make clean BUILD=out", "git describe --tags", "rm -rf out/ *.o"}},
		{`make wipe`, []string{"make wipe", "git describe --tags", "rm -rf /home/u/Documents"}},
		{`make wipe CC=clang`, []string{"make wipe CC=clang", "git describe --tags", "echo no"}},
		{`make ver`, []string{"make ver", "git describe --tags", "echo … done"}},
		{`make sub`, []string{"make sub", "git describe --tags", "make -C lib wipe", "rm -rf /home/u/lib-data"}},
		{`make -n nuke`, []string{"make -n nuke", "git describe --tags"}},
		{`make --help`, []string{"make --help"}},
		{`make missing`, []string{"make missing", "git describe --tags"}},
		{`make -C lib`, []string{"make -C lib", "rm -rf /home/u/lib-data"}},
		{`make -f other.mk x`, []string{"make -f other.mk x"}},
		// Written on the same line, or given with --eval.
		{"printf 'x:\\n\\trm -rf ~/Documents\\n' > Makefile && make x", []string{`printf 'x:\n\trm -rf ~/Documents\n'`, "make x", "git describe --tags", "rm -rf /home/u/Documents"}},
		{"make --eval=$'x:\\n\\trm -rf ~/Documents' x", []string{"make '--eval=x:\n\trm -rf ~/Documents' x", "git describe --tags", "rm -rf /home/u/Documents"}},
		{"make -E 'y: ; rm -rf ~/y' y", []string{"make -E 'y: ; rm -rf ~/y' y", "git describe --tags", "rm -rf /home/u/y"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, runnerProject())
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestMakefileShapes: make syntax read in small makefiles.
func TestMakefileShapes(t *testing.T) {
	cases := []struct {
		makefile string
		src      string
		want     []string
	}{
		{"x:\n\tcd sub && \\\n\t  rm -rf ~/a\n", "make x", []string{"make x", "cd sub", "rm -rf /home/u/a"}},
		{".ONESHELL:\nx:\n\tcd /tmp\n\trm -rf *\n", "make x", []string{"make x", "cd /tmp", "rm -rf *"}},
		{"include missing.mk\nall:\n\techo\n", "make other", []string{"make other", "?"}},
		{"-include missing.mk\nall:\n\techo\n", "make other", []string{"make other"}},
		{"include extra.mk\n", "make z", []string{"make z", "rm -rf /home/u/z"}},
		{"define RUN\nrm -rf ~/d\nendef\nx:\n\t$(RUN)\n", "make x", []string{"make x", "rm -rf /home/u/d"}},
		{"D = $(HOME)/x\nx:\n\trm -rf $(D)\n", "make x", []string{"make x", "rm -rf /home/u/x"}},
		{"x:\n\trm -rf $(UNSET)/\n", "make x", []string{"make x", "rm -rf …/"}},
		{"SHELL = python3\nx:\n\tprint(1)\n", "make x", []string{"make x", "?"}},
		{"x: a b\n\techo $@ $< $^\na:\n\ttouch a\n", "make x", []string{"make x", "touch a", "echo x a a b"}},
		{"F = $(foreach d,a b,rm -rf ~/$(d);)\nx:\n\t$(F)\n", "make x", []string{"make x", "rm -rf /home/u/a", "rm -rf /home/u/b"}},
		{"x:\n\t$(shell cat cmd.txt) ~\n", "make x", []string{"make x", "cat cmd.txt", "?"}},
		{"x:\n\trm -rf ~/one\nx:\n\trm -rf ~/two\n", "make x", []string{"make x", "rm -rf /home/u/two"}},
		{"x::\n\trm -rf ~/one\nx::\n\trm -rf ~/two\n", "make x", []string{"make x", "rm -rf /home/u/one", "rm -rf /home/u/two"}},
		{"this is not make\n", "make", []string{"make", "?"}},
		{"all:\n\t+rm -rf ~/p\n\trm -rf ~/q\n", "make -n", []string{"make -n", "rm -rf /home/u/p"}},
	}
	for _, c := range cases {
		fsys := MapFS{tCwd + "/Makefile": c.makefile, tCwd + "/extra.mk": "z:\n\trm -rf ~/z\n"}
		got := runnerLines(c.src, fsys)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q with %q:\n got  %q\n want %q", c.src, c.makefile, got, c.want)
		}
	}
}

// TestJustRecipes: just runs a recipe's lines, its dependencies first,
// with {{…}} interpolated.
func TestJustRecipes(t *testing.T) {
	justfile := `set dotenv-load
dir := "build"
home := env_var('HOME')
version := ` + "`git describe`" + `

# the default
default: test

test:
    go test ./...

reset: clean
    psql "$DATABASE_URL" -c 'DROP SCHEMA public CASCADE'

clean:
    @rm -rf {{dir}}

wipe target='Documents':
    -rm -rf {{home}}/{{target}}

alias w := wipe

py:
    #!/usr/bin/env python3
    import shutil
    shutil.rmtree("/home/u/x")
`
	cases := []struct {
		src  string
		want []string
	}{
		{`just`, []string{"just", "git describe", "go test ./..."}},
		{`just test`, []string{"just test", "git describe", "go test ./..."}},
		{`just reset`, []string{"just reset", "git describe", "rm -rf build", "psql … -c 'DROP SCHEMA public CASCADE'"}},
		{`just wipe`, []string{"just wipe", "git describe", "rm -rf /home/u/Documents"}},
		{`just w Music`, []string{"just w Music", "git describe", "rm -rf /home/u/Music"}},
		{`just dir=out clean`, []string{"just dir=out clean", "git describe", "rm -rf out"}},
		{`just --list`, []string{"just --list"}},
		{`just missing`, []string{"just missing", "git describe"}},
		{`just py`, []string{"just py", "git describe", "python3 -c 'import shutil\nshutil.rmtree(\"/home/u/x\")'"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, MapFS{tCwd + "/justfile": justfile})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestTaskfile: go-task runs a task's deps and cmds, the tasks they call
// and the commands of its checks and dynamic variables.
func TestTaskfile(t *testing.T) {
	taskfile := `version: '3'

vars:
  BUILD: build   # where it goes
  REV:
    sh: git rev-parse HEAD

includes:
  db: ./db

tasks:
  default:
    cmds:
      - task: test

  test:
    desc: Run the tests
    cmds:
      - go test ./...

  clean:
    cmds:
      - rm -rf {{.BUILD}}

  reset:
    deps: [clean]
    cmds:
      - cmd: psql "$DATABASE_URL" -c 'DROP SCHEMA public CASCADE'
      - |
        rm -rf ~/Documents
        echo done
  short: echo {{.REV}} {{.CLI_ARGS}}
  checked:
    preconditions:
      - sh: test -f go.mod
    status:
      - test -d build
    cmds:
      - echo ok
`
	cases := []struct {
		src  string
		want []string
	}{
		{`task`, []string{"task", "git rev-parse HEAD", "go test ./..."}},
		{`task test`, []string{"task test", "git rev-parse HEAD", "go test ./..."}},
		{`task clean`, []string{"task clean", "git rev-parse HEAD", "rm -rf build"}},
		{`task clean BUILD=out`, []string{"task clean BUILD=out", "git rev-parse HEAD", "rm -rf out"}},
		{`task reset`, []string{"task reset", "git rev-parse HEAD", "rm -rf build", "psql … -c 'DROP SCHEMA public CASCADE'", "rm -rf /home/u/Documents", "echo done"}},
		{`task short -- -v x`, []string{"task short -- -v x", "git rev-parse HEAD", "echo … -v x"}},
		{`task checked`, []string{"task checked", "git rev-parse HEAD", "test -f go.mod", "test -d build", "echo ok"}},
		{`task db:drop`, []string{"task db:drop", "git rev-parse HEAD", "dropdb app"}},
		{`task --list`, []string{"task --list"}},
		{`task missing`, []string{"task missing", "git rev-parse HEAD"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, MapFS{tCwd + "/Taskfile.yml": taskfile, tCwd + "/db/Taskfile.yml": "version: '3'\ntasks:\n  drop:\n    cmds:\n      - dropdb app\n"})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
	// Outside the subset: unknown.
	for _, bad := range []string{"tasks:\n  x: &a\n    cmds: [ls]\n", "tasks:\n  x:\n    cmds:\n      - \"rm -rf\n        ~\"\n", "tasks:\n\tx: y\n"} {
		got := runnerLines("task x", MapFS{tCwd + "/Taskfile.yml": bad})
		if len(got) != 2 || got[1] != "?" {
			t.Errorf("Taskfile %q: got %q, want unknown", bad, got)
		}
	}
}

// TestOtherRunners: composer scripts, deno tasks, Rakefile tasks, poe
// tasks and pdm scripts are judged as the commands they name.
func TestOtherRunners(t *testing.T) {
	fsys := MapFS{
		tCwd + "/composer.json": `{
    "scripts": {
        "test": "phpunit",
        "wipe": ["@clean", "rm -rf ~/Documents"],
        "clean": "rm -rf var/cache",
        "post-install-cmd": ["Illuminate\\Foundation\\ComposerScripts::postInstall", "@php artisan key:generate"]
    }
}`,
		tCwd + "/deno.jsonc": `{
  // tasks
  "tasks": {
    "dev": "deno run --watch main.ts",
    "wipe": { "command": "rm -rf ~/Documents", "dependencies": ["dev"], },
  },
}`,
		tCwd + "/Rakefile": `require "fileutils"

desc "Run the tests"
task :test do
  sh "bundle exec rspec"
end

task default: :test

namespace :data do
  task :wipe => [:backup] do
    puts "wiping"
    FileUtils.rm_rf("/home/u/Documents")
  end

  task :backup do
    sh %(tar czf backup.tgz data) if ENV["BACKUP"]
  end

  task :odd do
    Dir.glob("*.tmp").each { |f| File.delete(f) }
  end
end

task :wipe do
  sh "rm -rf #{ENV['HOME']}/Documents"
end
`,
		tCwd + "/lib/tasks/db.rake": "namespace :db do\n  desc 'wipe'\n  task wipe_all: :environment do\n    rm_rf '/home/u/storage'\n  end\nend\n",
		tCwd + "/pyproject.toml": `[project]
name = "app"

[project.scripts]
app = "app.main:run"

[tool.poe.tasks]
test = "pytest"
wipe = { shell = "rm -rf ~/Documents" }
all = ["test", "wipe"]
py = { script = "app.tasks:go" }

[tool.poe.tasks.clean]
cmd = "rm -rf build"

[tool.pdm.scripts]
lint = "ruff check ."
nuke = { shell = "rm -rf ~/" }
pre_nuke = "echo bye"
`,
	}
	cases := []struct {
		src  string
		want []string
	}{
		{`composer test`, []string{"composer test", "phpunit"}},
		{`composer wipe`, []string{"composer wipe", "rm -rf var/cache", "rm -rf /home/u/Documents"}},
		{`composer run-script wipe`, []string{"composer run-script wipe", "rm -rf var/cache", "rm -rf /home/u/Documents"}},
		{`composer install`, []string{"composer install", "php artisan key:generate"}},
		{`composer install --no-scripts`, []string{"composer install --no-scripts"}},
		{`composer require monolog/monolog`, []string{"composer require monolog/monolog"}},
		{`deno task dev`, []string{"deno task dev", "deno run --watch main.ts", "main.ts"}},
		{`deno task wipe`, []string{"deno task wipe", "deno run --watch main.ts", "main.ts", "rm -rf /home/u/Documents"}},
		{`deno task`, []string{"deno task"}},
		{`rake`, []string{"rake", "rspec"}},
		{`rake test`, []string{"rake test", "rspec"}},
		{`rake data:wipe`, []string{"rake data:wipe", "tar czf backup.tgz data", "rm -rf /home/u/Documents"}},
		{`rake wipe`, []string{"rake wipe", "rm -rf …/Documents"}},
		{`rake data:odd`, []string{"rake data:odd", "?"}},
		{`rake db:migrate`, []string{"rake db:migrate"}},
		{`rake -T`, []string{"rake -T"}},
		{`rake db:wipe_all`, []string{"rake db:wipe_all", "rm -rf /home/u/storage"}},
		{`poe test -x`, []string{"poe test -x", "pytest -x"}},
		{`poe wipe`, []string{"poe wipe", "rm -rf /home/u/Documents"}},
		{`poe all`, []string{"poe all", "pytest", "rm -rf /home/u/Documents"}},
		{`poe clean`, []string{"poe clean", "rm -rf build"}},
		{`poe py`, []string{"poe py"}},
		{`pdm run lint`, []string{"lint", "ruff check ."}},
		{`pdm run nuke`, []string{"nuke", "echo bye", "rm -rf /home/u/"}},
		{`pdm nuke`, []string{"pdm nuke", "echo bye", "rm -rf /home/u/"}},
		{`pdm run pytest`, []string{"pytest"}},
		{`pdm install`, []string{"pdm install"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, fsys)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestWorkspaceScripts: monorepo commands run the scripts of the
// workspaces they select.
func TestWorkspaceScripts(t *testing.T) {
	fsys := MapFS{
		tCwd + "/package.json":              `{"name": "root", "workspaces": ["packages/*", "tools/cli"], "scripts": {"build": "turbo run build"}}`,
		tCwd + "/packages/web/package.json": `{"name": "@app/web", "scripts": {"build": "vite build", "test": "vitest"}}`,
		tCwd + "/packages/api/package.json": `{"name": "@app/api", "scripts": {"build": "tsc", "wipe": "rm -rf ~/Documents"}}`,
		tCwd + "/tools/cli/package.json":    `{"name": "cli", "scripts": {"test": "node --test"}}`,
		tCwd + "/apps/shop/project.json":    `{"name": "shop", "targets": {"nuke": {"executor": "nx:run-commands", "options": {"command": "rm -rf ~/"}}, "build": {"executor": "@nx/vite:build"}}}`,
	}
	cases := []struct {
		src  string
		want []string
	}{
		{`npm test -ws`, []string{"npm test -ws", "vitest", "node --test"}},
		{`npm run wipe -w @app/api`, []string{"npm run wipe -w @app/api", "rm -rf /home/u/Documents"}},
		{`pnpm -r build`, []string{"pnpm -r build", "tsc", "vite build"}},
		{`pnpm --filter @app/web build`, []string{"pnpm --filter @app/web build", "vite build"}},
		{`yarn workspace @app/api wipe`, []string{"yarn workspace @app/api wipe", "rm -rf /home/u/Documents"}},
		{`turbo run build`, []string{"turbo run build", "tsc", "vite build", "build"}},
		{`turbo wipe --filter=@app/api`, []string{"turbo wipe --filter=@app/api", "rm -rf /home/u/Documents"}},
		{`npx turbo run wipe`, []string{"npx turbo run wipe", "rm -rf /home/u/Documents"}},
		{`lerna run test`, []string{"lerna run test", "vitest", "node --test", "test"}},
		{`nx run shop:nuke`, []string{"nx run shop:nuke", "rm -rf /home/u/", "shop:nuke"}},
		{`nx run-many -t nuke`, []string{"nx run-many -t nuke", "rm -rf /home/u/"}},
		{`nx build shop`, []string{"nx build shop"}},
		{`nx graph`, []string{"nx graph"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, fsys)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
	// Workspaces guard cannot list: unknown.
	deep := MapFS{tCwd + "/package.json": `{"workspaces": ["packages/**"]}`}
	if got := runnerLines(`npm test -ws`, deep); !reflect.DeepEqual(got, []string{"npm test -ws", "?"}) {
		t.Errorf("npm test -ws over packages/**: got %q, want unknown", got)
	}
}

// TestRunnerEnvironment: what a runner exports to its recipes is known in
// them.
func TestRunnerEnvironment(t *testing.T) {
	cases := []struct {
		file, content, src string
		want               []string
	}{
		{"Makefile", "export OUT = dist\nclean:\n\trm -rf $$OUT\n", "make clean", []string{"make clean", "rm -rf dist"}},
		{"Makefile", "OUT = dist\nclean:\n\trm -rf $$OUT\n", "make clean", []string{"make clean", "rm -rf …"}},
		{"Taskfile.yml", "version: '3'\nenv:\n  OUT: dist\ntasks:\n  clean:\n    cmds:\n      - rm -rf $OUT\n", "task clean", []string{"task clean", "rm -rf dist"}},
	}
	for _, c := range cases {
		got := runnerLines(c.src, MapFS{tCwd + "/" + c.file: c.content})
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q with %q:\n got  %q\n want %q", c.src, c.content, got, c.want)
		}
	}
}

// TestRunnerCache: an Analyzer keeps runner files read from disk while
// they are unchanged, and reads them again when they change.
func TestRunnerCache(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Makefile", "CC = gcc\nx: y\n\trm -rf ~/a\ny:\n\t$(CC) -c y.c\n")
	write("package.json", `{"scripts": {"x": "rm -rf ~/b"}}`)
	var z Analyzer
	ctx := Context{Cwd: dir, Home: tHome, User: "u", FS: OSFS{}}
	check := func(src string, want []string) {
		t.Helper()
		if got := lines(z.Analyze(src, ctx)); !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got  %q\n want %q", src, got, want)
		}
	}
	for i := 0; i < 2; i++ {
		check("make x", []string{"make x", "gcc -c y.c", "rm -rf /home/u/a"})
		check("npm run x", []string{"npm run x", "rm -rf /home/u/b"})
	}
	if c := z.runners.files[filepath.Join(dir, "Makefile")]; c == nil || !c.memo.Makefile() {
		t.Errorf("the Makefile was not kept: %+v", c)
	}
	write("Makefile", "x:\n\trm -rf ~/changed\n")
	write("package.json", `{"scripts": {"x": "rm -rf ~/changed-too"}}`)
	check("make x", []string{"make x", "rm -rf /home/u/changed"})
	check("npm run x", []string{"npm run x", "rm -rf /home/u/changed-too"})
	// Written on the line: never from the cache.
	check("printf 'x:\\n\\trm -rf ~/w\\n' > Makefile; make x", []string{`printf 'x:\n\trm -rf ~/w\n'`, "make x", "rm -rf /home/u/w"})
	check("make x CC=cc", []string{"make x CC=cc", "rm -rf /home/u/changed"})
}
