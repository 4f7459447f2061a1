package rules

import (
	"strings"
	"testing"
)

// TestSchemaRowsDerive checks that every row of the schema has each of
// its derived pieces: it parses, merges with an origin, prints with that
// origin, shows in the default config, is known to the fast path, and a
// project file may set it exactly when it tightens.
func TestSchemaRowsDerive(t *testing.T) {
	text := DefaultConfigText()
	for _, s := range schema() {
		t.Run(s.key(), func(t *testing.T) {
			if s.sample == "" {
				t.Fatal("no sample value")
			}
			plain := s.parse == nil
			if plain && (s.check == nil || s.get == nil || s.set == nil || len(s.doc) == 0) {
				t.Fatal("a plain setting needs check, get, set and doc")
			}
			if !plain && (s.apply == nil || s.write == nil || s.text == nil) {
				t.Fatal("a setting with its own parse needs apply, write and text")
			}
			src := s.key() + " = " + s.sample + "\n"
			if setsNothing(src) {
				t.Errorf("setsNothing(%q) = true", src)
			}
			p, f := loadUser(t, src)
			var key string
			for k, o := range p.Origins {
				if (k == s.key() || strings.HasPrefix(k, s.key()+":") || s.name == "" && strings.HasPrefix(k, s.table+":")) && o.File == f && o.Line == 1 {
					key = k
				}
			}
			if key == "" {
				t.Fatalf("%q sets no origin (origins: %v)", src, p.Origins)
			}
			var b strings.Builder
			if err := p.Write(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "# from "+f+":1") {
				t.Errorf("guard config does not print %s with its origin:\n%s", key, b.String())
			}
			if again, errs, _ := load(t, "", b.String(), ""); len(errs) != 0 || again.Origins[key].File == "" {
				t.Errorf("guard config's output does not load back %s: %v", key, errs)
			}
			want := "# " + s.name + " = "
			switch {
			case s.name == "":
				want = "[" + s.table + "]"
			case s.arrayOfTables:
				want = "# [[" + s.key() + "]]"
			}
			if !strings.Contains(text, "\n"+want) {
				t.Errorf("the default config has no line %q", want)
			}
			if s.table != "" && !setsNothing("["+s.table+"]\n") {
				t.Errorf("setsNothing does not know the header [%s]", s.table)
			}
			at := strings.Split(s.key(), ".")
			if got := loosensOnly(at); got != s.loosens {
				t.Errorf("loosensOnly(%v) = %v, want %v", at, got, s.loosens)
			}
			proj, errs, _ := load(t, "", "", src)
			if len(errs) != 0 {
				t.Fatal(errs)
			}
			if warned := len(proj.Warnings) > 0; warned != s.loosens {
				t.Errorf("in a project file: warnings %v, want a warning %v", proj.Warnings, s.loosens)
			}
		})
	}
}
