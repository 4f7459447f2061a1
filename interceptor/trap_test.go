package interceptor

import (
	"strings"
	"testing"
)

func TestTrapsAndNotFoundHandler(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`trap 'rm -rf ~' EXIT`, []string{"trap 'rm -rf ~' EXIT", "rm -rf /home/u"}},
		{`trap -- 'rm -rf ~' INT TERM`, []string{"trap -- 'rm -rf ~' INT TERM", "rm -rf /home/u"}},
		{`f=/tmp/x; trap 'jobs -p > "$f"' EXIT`, []string{`trap 'jobs -p > "$f"' EXIT`, "jobs -p"}},
		{`trap "$UNSET_THING" EXIT`, []string{"trap … EXIT", "?"}},
		// Setting nothing to run.
		{`trap - EXIT`, []string{"trap - EXIT"}},
		{`trap -p; trap -l`, []string{"trap -p", "trap -l"}},
		{`trap INT`, []string{"trap INT"}},
		// command_not_found_handle may run for any later command.
		{`command_not_found_handle() { rm -rf ~; }`, []string{"rm -rf /home/u"}},
		{`command_not_found_handle() { printf '%s: not found\n' "$1" >&2; return 127; }`, []string{`printf '%s: not found\n' …`, "return 127"}},
		{`other() { rm -rf ~; }`, nil},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}
