package rules

import "testing"

func TestFindRegexSuffix(t *testing.T) {
	for re, want := range map[string]string{
		`.*\.pyc`: "*.pyc", `.*\.o$`: "*.o", `.*~`: "*~", `.*_test\.log`: "*_test.log",
		`.*`: "", `.*\.py.`: "", `.*/\.git`: "", `\./.*\.pyc`: "", `.*\.(pyc|pyo)`: "", `.*\d`: "", `.*[.]pyc`: "",
	} {
		got, ok := fsFindRegexSuffix(re)
		if ok != (want != "") || got != want {
			t.Errorf("%q: got %q %v, want %q", re, got, ok, want)
		}
	}
}

// Narrowing tests narrow: a negated -path leaves files out, a literal
// -regex suffix picks by name like -name.
func TestFindNarrowing(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`find . -name '*.pyc' -not -path './.venv/*' -delete`, Allow, ""},
		{`find . -name '__pycache__' ! -path '*/node_modules/*' -exec rm -rf {} +`, Allow, ""},
		{`find . -regex '.*\.orig' -delete`, Allow, ""},
		{`find . -iregex '.*\.tmp$' -delete`, Allow, ""},
		{`find . -not -path './.venv/*' -delete`, Confirm, ""},
		{`find . ! -name '*.go' -delete`, Confirm, ""},
		{`find . -regex '.*' -delete`, Confirm, ""},
		{`find . -regex '.*/HEAD' -delete`, Confirm, ""},
		{`find . -regex '.*\.pack' -delete`, Confirm, ""},
		{`find . -not -regex '.*\.go' -delete`, Confirm, ""},
	}, FSPack())
}
