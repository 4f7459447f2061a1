package interceptor

import (
	"reflect"
	"testing"
)

// TestDiskScripts: a program file run by its path is read as the
// interpreter its #! line names would run it; compiled programs and
// installed programs are not read.
func TestDiskScripts(t *testing.T) {
	fs := testContext().FS.(MapFS)
	fs[tCwd+"/scripts/wipe.sh"] = "#!/bin/sh\nset -e\nrm -rf \"$HOME/Documents\"\n"
	fs[tCwd+"/scripts/dev.sh"] = "#!/usr/bin/env bash\nnpm run dev\n"
	fs[tCwd+"/scripts/clean.py"] = "#!/usr/bin/env -S python3 -u\nimport shutil\n"
	fs[tCwd+"/scripts/plain"] = "rm -rf build\n"
	fs[tCwd+"/bin/app"] = "\x7fELF\x00\x00binary"
	fs["/usr/bin/tool"] = "#!/bin/sh\nrm -rf /tmp/x\n"
	cases := []struct {
		src  string
		want []string
	}{
		{`./scripts/wipe.sh`, []string{"sh ./scripts/wipe.sh", "set -e", "rm -rf /home/u/Documents", "wipe.sh"}},
		{`sudo scripts/wipe.sh`, []string{"sh scripts/wipe.sh", "set -e", "rm -rf /home/u/Documents", "wipe.sh"}},
		{`timeout 60 ./scripts/dev.sh`, []string{"bash ./scripts/dev.sh", "npm run dev", "dev.sh"}},
		{`./scripts/clean.py -v`, []string{"python3 -u ./scripts/clean.py -v", "clean.py -v"}},
		{`./scripts/plain`, []string{"bash ./scripts/plain", "rm -rf build", "plain"}},
		{`./bin/app --serve`, []string{"app --serve"}},
		{`/usr/bin/tool`, []string{"tool"}},
		{`./missing.sh`, []string{"missing.sh"}},
	}
	for _, c := range cases {
		ctx := testContext()
		ctx.FS = fs
		got := lines(Analyze(c.src, ctx))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestShebang: the interpreter of a #! line, as the kernel and env read it.
func TestShebang(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		{"#!/bin/sh\n", []string{"/bin/sh"}},
		{"#!/bin/bash -e\n", []string{"/bin/bash", "-e"}},
		{"#! /usr/bin/python3\n", []string{"/usr/bin/python3"}},
		{"#!/usr/bin/env node\n", []string{"node"}},
		{"#!/usr/bin/env -S deno run -A\n", []string{"deno", "run", "-A"}},
		{"#!/usr/bin/env python3 -u\n", []string{"python3 -u"}},
		{"echo hi\n", nil},
	}
	for _, c := range cases {
		if got := shebang(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.line, got, c.want)
		}
	}
}

// TestCommandVars: a variable or option that names a command a program
// runs is analysed as that command.
func TestCommandVars(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`PAGER='rm -rf ~/a' git log`, []string{"rm -rf /home/u/a", "git log"}},
		{`EDITOR='rm -rf ~/a' crontab -e`, []string{"rm -rf /home/u/a", "crontab -e"}},
		{`LESSOPEN='|rm -rf ~/a %s' less f`, []string{"rm -rf /home/u/a FILE", "less f"}},
		{`export VISUAL='rm -rf ~/a'; git commit`, []string{"rm -rf /home/u/a", "git commit"}},
		{`man -P 'rm -rf ~/a' ls`, []string{"rm -rf /home/u/a", "man -P 'rm -rf ~/a' ls"}},
		{`zip -T -TT 'rm -rf ~/a' a.zip x`, []string{"rm -rf /home/u/a", "zip -T -TT 'rm -rf ~/a' a.zip x"}},
		{`PAGER=cat git log`, []string{"cat", "git log"}},
		{`export EDITOR=vim; ls`, []string{"ls"}},
	}
	for _, c := range cases {
		if got := analyzeLines(c.src, nil); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestSourceLine: a command read from a script knows its line there.
func TestSourceLine(t *testing.T) {
	invs := Analyze("echo a\n\nrm -rf build\n", testContext())
	if len(invs) != 2 || invs[1].SourceLine != 3 {
		t.Fatalf("got %+v, want rm on line 3", invs)
	}
}

// TestIFSDefault: bash sets IFS to space, tab and newline at start-up, so
// an unquoted $IFS splits words; a ~ that splitting leaves is literal.
func TestIFSDefault(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`rm$IFS-rf$IFS/`, []string{"rm -rf /"}},
		{`bash -c 'rm$IFS-rf$IFS/tmp/x'`, []string{"bash -c rm$IFS-rf$IFS/tmp/x", "rm -rf /tmp/x"}},
		{`rm${IFS}-rf${IFS}~`, []string{"rm -rf ~"}}, // the file named ~ here, as rules resolve it
		{`echo "a${IFS}b"`, []string{"echo 'a \t\nb'"}},
	}
	for _, c := range cases {
		if got := analyzeLines(c.src, nil); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestBraceThenTilde: bash expands braces first and then each word's
// tilde, and a tilde after the "=" of an assignment-shaped argument.
func TestBraceThenTilde(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`rm -rf {~,x}`, []string{"rm -rf /home/u x"}},
		{`{rm,-rf,~/a}`, []string{"rm -rf /home/u/a"}},
		{`echo a{~,b}`, []string{"echo a~ ab"}},
		{`rm -rf {build,dist}`, []string{"rm -rf build dist"}},
		{`dd if=/dev/zero of=~/.ssh/id_ed25519`, []string{"dd if=/dev/zero of=/home/u/.ssh/id_ed25519"}},
		{`./configure --prefix=~/x`, []string{"configure --prefix=~/x"}},
	}
	for _, c := range cases {
		if got := analyzeLines(c.src, nil); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}
