package rules

import "testing"

func TestAwk(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`awk 'BEGIN{system("rm -rf ~")}'`, Deny, "fs.rm-home"},
		{`gawk 'BEGIN { system("git push --force origin main") }'`, Confirm, "git.force-push"},
		{`awk 'BEGIN{print "rm -rf ~" | "sh"}'`, Confirm, "meta.unknown"},
		{`awk '{ "rm -rf ~/Documents" | getline x }'`, Confirm, "fs.rm-protected"},
		{`awk -v d=~ 'BEGIN{system("rm -rf " d)}'`, Confirm, "interp.unknown-command"},
		{`awk -- 'BEGIN{cmd="rm -rf ~"; system(cmd)}'`, Confirm, "interp.unknown-command"},
		// Everyday awk.
		{`awk -F: '{print $1}' /etc/passwd`, Allow, ""},
		{`awk '{print $1 | "sort -u"}' access.log`, Allow, ""},
		{`awk '/a|b/ {print}' notes.txt`, Allow, ""},
		{`awk '{s += $2} END {print s / NR}' data.txt`, Allow, ""},
		{`gawk 'BEGIN { "date +%s" | getline now; print now }'`, Allow, ""},
		{`awk -f report.awk data.txt`, Allow, ""},
		{`ps aux | awk '$3 > 50 {print $2}'`, Allow, ""},
	}, Builtin()...)
}
