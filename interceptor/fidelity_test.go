package interceptor

import (
	"slices"
	"testing"
)

// fidelityCase is a script and what its analysis must and must not
// contain, one rendered invocation (see lines) each; "?" is an unknown
// invocation.
type fidelityCase struct {
	src     string
	must    []string
	mustNot []string
}

func checkFidelity(t *testing.T, cases []fidelityCase) {
	t.Helper()
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		for _, m := range c.must {
			if !slices.Contains(got, m) {
				t.Errorf("%q: want %q among\n %q", c.src, m, got)
			}
		}
		for _, m := range c.mustNot {
			if slices.Contains(got, m) {
				t.Errorf("%q: want no %q among\n %q", c.src, m, got)
			}
		}
	}
}

func TestBashOctal(t *testing.T) {
	cases := []struct {
		in   string
		mode escapeMode
		want string
	}{
		{`\562\555`, escFormat, `\x72\x6d`},
		{`\0562`, escFormat, `\x2e2`},
		{`\18`, escFormat, `\x018`},
		{`\\562`, escFormat, `\\562`},
		{`\0562`, escB, `\x72`},
		{`\562`, escB, `\x72`},
		{`\0562`, escEcho, `\x72`},
		{`\562`, escEcho, `\\562`},
		{`plain`, escEcho, `plain`},
	}
	for _, c := range cases {
		if got := bashOctal(c.in, c.mode); got != c.want {
			t.Errorf("bashOctal(%q, %d) = %q, want %q", c.in, c.mode, got, c.want)
		}
	}
}

// Octal escapes wrap modulo 256 as in bash (bash -c "printf '\562'" prints
// "r").
func TestPrintfEscapes(t *testing.T) {
	checkFidelity(t, []fidelityCase{
		{src: `printf '\562\555\440-rf\440/' | bash`, must: []string{"rm -rf /"}},
		{src: `printf '%b' '\0562\0555 -rf /' | sh`, must: []string{"rm -rf /"}},
		{src: `echo -e '\0562\0555 -rf /' | sh`, must: []string{"rm -rf /"}},
		{src: `echo -e '\562\555 -rf /' | sh`, mustNot: []string{"rm -rf /"}},
		{src: `printf '%s\n' '\562\555 -rf /' | sh`, mustNot: []string{"rm -rf /"}},
		{src: `printf 'ls\n' | sh`, must: []string{"ls"}},
	})
}
