package taskrunner

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// TestQuote: the text quote makes parses back, as bash reads it, to one
// word with the value quoted; text that cannot be known stays UnknownMark
// in that value. Plain words are left as they are.
func TestQuote(t *testing.T) {
	for _, s := range []string{
		"", "a", "--release", "a b", "it's", `say "hi"`, "$HOME", "`id`", "a\nb", "tab\there", "~/x", "*.go",
		"x=1", "a;b", "#c", "{a,b}", "!", "if", "back\\slash", "\x01ctl", "é",
		UnknownMark, "a" + UnknownMark + "b c", UnknownMark + "'" + UnknownMark,
	} {
		q := quote(s)
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader("x "+q), "")
		if err != nil {
			t.Errorf("quote(%q) = %q, which does not parse: %v", s, q, err)
			continue
		}
		call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
		if !ok || len(f.Stmts) != 1 || len(call.Args) != 2 {
			t.Errorf("quote(%q) = %q, which is not one word", s, q)
			continue
		}
		got, err := expand.Literal(&expand.Config{}, call.Args[1])
		if err != nil || got != s {
			t.Errorf("quote(%q) = %q, which reads as %q (%v)", s, q, got, err)
		}
	}
	for _, s := range []string{"a", "--release", "x.go", "a/b", "@scope/pkg"} {
		if q := quote(s); q != s {
			t.Errorf("quote(%q) = %q, want it as it is", s, q)
		}
	}
	// A NUL cannot be quoted: it is left for the analysis to report.
	if q := quote("a\x00b"); !strings.Contains(q, "\x00") {
		t.Errorf("quote of a NUL = %q, want the NUL kept", q)
	}
}
