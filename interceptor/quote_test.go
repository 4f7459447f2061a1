package interceptor

import (
	"strings"
	"testing"
)

// TestUnescapedWords checks that backslash escapes are removed from the
// words expanded as one (assignment values, redirection targets,
// here-strings) as bash removes them. Found by the metamorphic test
// "bash <<< 'C'": the quoting of a single quote inside C left a backslash
// in the script bash reads.
func TestUnescapedWords(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`x=r\m; $x -rf ~`, []string{"rm -rf /home/u"}},
		{`x=\r\m\ ; $x -rf ~`, []string{"rm -rf /home/u"}},
		{`sh <<< rm\ -rf\ \~`, []string{"sh", "rm -rf /home/u"}},
		{`bash <<< 'rm -rf '\''/srv'\'''`, []string{"bash", "rm -rf /srv"}},
		{`x=\~; rm -rf "$x"`, []string{"rm -rf ~"}}, // a literal ~, not home
		{`x=a\*; rm $x`, []string{"rm a*"}},
		{`x=a\` + "\n" + `b; echo $x`, []string{"echo ab"}},
	}
	for _, c := range cases {
		got := lines(Analyze(c.src, testContext()))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
	invs := Analyze(`echo x > a\ b\*`, testContext())
	if r := invs[0].Redirects; len(r) != 1 || r[0].Target.Value != "a b*" || r[0].Target.Glob {
		t.Errorf("escaped redirection target: %+v", r)
	}
}
