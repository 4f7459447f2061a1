package rules

import "testing"

func TestSed(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`sed -n '1e rm -rf ~' notes.txt`, Deny, "fs.rm-home"},
		{`sed '$e git push --force origin main' notes.txt`, Confirm, "git.force-push"},
		{`sed -e 's/^/rm -rf /e' paths.txt`, Confirm, "interp.unknown-command"},
		{`gsed 'e' cmds.txt`, Confirm, "interp.unknown-command"},
		{`sed --expression='/x/{e rm -rf ~
}' f`, Deny, "fs.rm-home"},
		// Everyday sed: s commands with e in the pattern, replacement or
		// other flags, labels, text.
		{`sed -i 's/echo/printf/g' src/main.go`, Allow, ""},
		{`sed -n '1,20p' README.md`, Allow, ""},
		{`sed -E 's/(e+)x/\1/ge' f`, Confirm, "interp.unknown-command"},
		{`sed 's/eee/e/g; s|/home/e|/e|' f`, Allow, ""},
		{`sed '/^#/d;/^$/d' config.ini`, Allow, ""},
		{`sed -e '1i\header line' -e '$a\footer' f`, Allow, ""},
		{`sed 'y/abcde/ABCDE/' f`, Allow, ""},
		{`sed ':a;N;$!ba;s/\n/ /g' f`, Allow, ""},
		{`sed -f edits.sed f`, Allow, ""},
		{`sed -n 's/version = "\(.*\)"/\1/p' Cargo.toml`, Allow, ""},
	}, Builtin()...)
}
