package taskrunner

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// mapHost is a Host over files in memory, with nothing written by the
// command line, that keeps the steps run. The analysis stops after
// stopAfter steps when it is set.
type mapHost struct {
	files     fstest.MapFS
	env       map[string]string
	list      bool // the files can be listed
	stopAfter int
	steps     []Step
}

// follow returns the steps c runs in h.
func follow(c Command, h *mapHost) []Step {
	Follow(c, h)
	return h.steps
}

func (h *mapHost) Run(s Step) { h.steps = append(h.steps, s) }
func (h *mapHost) Stopped() bool {
	return h.stopAfter > 0 && len(h.steps) >= h.stopAfter
}

func rel(p string) string { return strings.TrimPrefix(p, "/") }

func (h *mapHost) File(p string) (string, bool, string) {
	data, err := h.files.ReadFile(rel(p))
	if err != nil {
		return "", false, ""
	}
	return string(data), true, ""
}
func (h *mapHost) Parts(p, data string) []Part        { return []Part{{Text: data}} }
func (h *mapHost) Memo(p, data string) *Memo          { return nil }
func (h *mapHost) Stat(p string) (fs.FileInfo, error) { return h.files.Stat(rel(p)) }
func (h *mapHost) ReadDir(p string) ([]fs.DirEntry, error) {
	if !h.list {
		return nil, errors.ErrUnsupported
	}
	return h.files.ReadDir(rel(p))
}
func (h *mapHost) Lookup(name string) (string, bool) { v, ok := h.env[name]; return v, ok }
func (h *mapHost) Home() string                      { return "/home/u" }
func (h *mapHost) Step() bool                        { return true }
func (h *mapHost) Spend(int) bool                    { return true }

// command is a Command in /p from plain words; "?" is an unknown word.
func command(words ...string) Command {
	c := Command{Name: words[0], Cwd: "/p"}
	for _, w := range words[1:] {
		if w == "?" {
			c.Args = append(c.Args, Arg{Value: UnknownMark, Unknown: true})
			continue
		}
		c.Args = append(c.Args, Arg{Value: w})
	}
	return c
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// TestFollow: what a runner command runs, read from its files alone, as
// the steps the caller analyses.
func TestFollow(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		cmd   Command
		want  []Step
	}{{
		name: "npm script with its pre script and arguments",
		files: fstest.MapFS{"p/package.json": file(`{
  "scripts": {
    "prex": "echo pre",
    "x": "rm -rf dist"
  }
}`)},
		cmd: command("npm", "run", "x", "--", "a", "b c"),
		want: []Step{
			{Link: "npm run x (prex, package.json line 3)", Src: "echo pre", Dir: "/p"},
			{Link: "npm run x (package.json line 4)", Src: "rm -rf dist a 'b c'", Dir: "/p"},
		},
	}, {
		name:  "make recipe with an exported variable",
		files: fstest.MapFS{"p/Makefile": file("export A = 1\nx:\n\t@echo $(A) $$HOME\n")},
		cmd:   command("make", "x"),
		want:  []Step{{Link: "make x (Makefile line 3)", Src: "echo 1 $HOME", Dir: "/p", Env: []Var{{"A", "1"}}}},
	}, {
		name:  "make's $(shell) runs when the file is read, its output unknown",
		files: fstest.MapFS{"p/Makefile": file("V := $(shell git rev-parse HEAD)\nx:\n\techo $(V)\n")},
		cmd:   command("make", "x"),
		want: []Step{
			{Link: "make: $(shell) (Makefile line 1)", Src: "git rev-parse HEAD", Dir: "/p"},
			{Link: "make x (Makefile line 3)", Src: "echo " + UnknownMark, Dir: "/p"},
		},
	}, {
		name:  "make given an argument that cannot be known",
		files: fstest.MapFS{"p/Makefile": file("x:\n\tls\n")},
		cmd:   command("make", "?"),
		want:  []Step{{Link: "make", Unknown: "make is given arguments that cannot be known, so what it runs cannot be checked"}},
	}, {
		name:  "a just recipe run by an interpreter guard cannot read",
		files: fstest.MapFS{"p/justfile": file("x:\n    #!/usr/bin/env lua\n    print(1)\n")},
		cmd:   command("just", "x"),
		want: []Step{{Link: "just x (justfile line 2)", Unknown: "the recipe runs as a lua script, which guard cannot check",
			Detached: true}},
	}, {
		name:  "a runner that finds no file runs nothing",
		files: fstest.MapFS{},
		cmd:   command("make", "x"),
	}, {
		name:  "not a task runner",
		files: fstest.MapFS{"p/Makefile": file("x:\n\tls\n")},
		cmd:   command("ls", "x"),
	}}
	for _, tt := range tests {
		if got := follow(tt.cmd, &mapHost{files: tt.files}); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got  %+v\n want %+v", tt.name, got, tt.want)
		}
	}
}

// TestFollowStops: once the analysis has stopped, no more steps are run.
func TestFollowStops(t *testing.T) {
	h := &mapHost{files: fstest.MapFS{"p/Makefile": file("x: y z\n\techo x\ny:\n\techo y\nz:\n\techo z\n")}, stopAfter: 1}
	if got := follow(command("make", "x"), h); len(got) != 1 || got[0].Src != "echo y" {
		t.Errorf("got %+v after stopping at the first step", got)
	}
}

// TestWorkspacesNeedListing: a workspace pattern is followed only when
// the files can be listed; otherwise what runs is unknown.
func TestWorkspacesNeedListing(t *testing.T) {
	files := fstest.MapFS{
		"p/package.json":            file(`{"workspaces": ["packages/*"]}`),
		"p/packages/a/package.json": file(`{"name": "a", "scripts": {"build": "rm -rf out"}}`),
	}
	for _, list := range []bool{true, false} {
		got := follow(command("npm", "run", "build", "-ws"), &mapHost{files: files, list: list})
		want := []Step{{Link: "npm run build (packages/a/package.json line 1)", Src: "rm -rf out", Dir: "/p/packages/a"}}
		if !list {
			want = []Step{{Link: "npm run build", Unknown: "npm run build runs the scripts of the workspaces packages/*, which guard cannot list"}}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("listing %v:\n got  %+v\n want %+v", list, got, want)
		}
	}
}
