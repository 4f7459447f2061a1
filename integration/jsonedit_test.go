package integration

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	valid := []string{
		`{}`,
		` {"a": 1, "b": [true, false, null, -1.5e3, "x\"y\u00e9"], "c": {}} `,
		"\xef\xbb\xbf{\"bom\": 1}",
		"{\n  // a comment\n  \"a\": /* inline */ 1\n}\n",
		`[]`,
		`"just a string"`,
	}
	for _, src := range valid {
		n, err := parseJSON([]byte(src))
		if err != nil {
			t.Errorf("parseJSON(%q): %v", src, err)
			continue
		}
		if n.end > len(src) || n.start < 0 {
			t.Errorf("parseJSON(%q): span %d..%d", src, n.start, n.end)
		}
	}
	invalid := map[string]string{
		``:                       "no JSON value",
		`{"a": 1,}`:              "trailing comma",
		`[1, 2,]`:                "trailing comma",
		`{"a" 1}`:                "expected :",
		`{a: 1}`:                 "expected a quoted key",
		`{"a": 1} x`:             "after the JSON value",
		`{"a": tru}`:             "unexpected",
		`{"a": 01}`:              "invalid number",
		"{\"a\": \"x\ny\"}":      "control character",
		`{"a": "x`:               "unterminated string",
		`/* x`:                   "unterminated /* comment",
		strings.Repeat("[", 600): "nesting deeper",
	}
	for src, want := range invalid {
		_, err := parseJSON([]byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseJSON(%.40q) = %v, want an error with %q", src, err, want)
		}
	}
}

func TestParseJSONSpansAndValues(t *testing.T) {
	src := []byte(`{"hooks": {"PreToolUse": [{"matcher": "Bash"}, 2]}, "k": "v\n"}`)
	root, err := parseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	arr := root.member("hooks").member("PreToolUse")
	if arr == nil || arr.kind != jArray || len(arr.elems) != 2 {
		t.Fatalf("PreToolUse = %+v", arr)
	}
	if got := string(src[arr.start:arr.end]); got != `[{"matcher": "Bash"}, 2]` {
		t.Errorf("span = %s", got)
	}
	if m := arr.elems[0].member("matcher"); m.str != "Bash" {
		t.Errorf("matcher = %q", m.str)
	}
	if v := root.member("k"); v.str != "v\n" {
		t.Errorf("k = %q", v.str)
	}
	if root.member("missing") != nil || (*jnode)(nil).member("x") != nil {
		t.Error("member of a missing key is not nil")
	}
}

// Inserting an item and removing it again gives back the original bytes,
// whatever the layout; only the white space inside an empty object is not
// remembered.
func TestInsertRemoveInverse(t *testing.T) {
	docs := []struct{ doc, back string }{
		{"{}", ""},
		{"{}\n", ""},
		{"{\n}\n", "{}\n"},
		{"{\n  \"a\": 1\n}\n", ""},
		{"{\n    \"a\": 1,\n    \"b\": [1, 2]\n}", ""},
		{"{\n\t\"a\": 1\n}\n", ""},
		{`{"a":1,"b":2}`, ""},
		{`{ "a": 1 }`, ""},
		{"{\r\n  \"a\": 1\r\n}\r\n", ""},
		{"{\n  \"a\": 1 // trailing comment\n}\n", ""},
		{"{\n  \"a\": 1\n  /* before the end */\n}\n", ""},
		{"{ /* empty */ }", "{}"},
	}
	for _, tt := range docs {
		src := []byte(tt.doc)
		root, err := parseJSON(src)
		if err != nil {
			t.Fatalf("%q: %v", tt.doc, err)
		}
		st := styleOf(src, root)
		sp := insertItem(src, root, st, func(indent string, compact bool) string {
			s := st
			s.compact = compact
			return quoteJSON("new") + s.colon + renderJSON(jobj{{"x", []any{1, "y"}}}, indent, s)
		})
		out := applySplices(src, sp)
		root2, err := parseJSON(out)
		if err != nil {
			t.Fatalf("%q: inserted text does not parse: %v\n%s", tt.doc, err, out)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(stripComments(string(out))), &v); err != nil || v["new"] == nil {
			t.Errorf("%q: new member missing after insert: %s", tt.doc, out)
		}
		if strings.Contains(tt.doc, "\r\n") && strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
			t.Errorf("%q: mixed line endings after insert: %q", tt.doc, out)
		}
		want := tt.back
		if want == "" {
			want = tt.doc
		}
		if back := applySplices(out, removeItem(root2, root2.memberIndex("new"))); string(back) != want {
			t.Errorf("%q: insert then remove gave %q, want %q", tt.doc, back, want)
		}
	}
}

// stripComments drops // and /* */ comments outside strings (for checking
// with encoding/json).
func stripComments(s string) string {
	var b strings.Builder
	inStr := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
			b.WriteByte(c)
		case strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			i += end + 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func TestStyleOf(t *testing.T) {
	tests := []struct {
		src     string
		unit    string
		colon   string
		compact bool
	}{
		{"{\n  \"a\": 1\n}", "  ", ": ", false},
		{"{\n    \"a\": {\n        \"b\": 1\n    }\n}", "    ", ": ", false},
		{"{\n\t\"a\": 1\n}", "\t", ": ", false},
		{`{"a":1}`, "  ", ":", true},
		{`{"a" : 1}`, "  ", " : ", true},
		{"{}", "  ", ": ", false},
	}
	for _, tt := range tests {
		root, err := parseJSON([]byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		st := styleOf([]byte(tt.src), root)
		if st.unit != tt.unit || st.colon != tt.colon || st.compact != tt.compact {
			t.Errorf("styleOf(%q) = %+v", tt.src, st)
		}
	}
}

func TestRenderJSON(t *testing.T) {
	v := jobj{{"a", []any{jobj{{"b", true}}, "<x>"}}, {"e", jobj{}}, {"f", []any{}}, {"n", nil}, {"i", 7}}
	pretty := renderJSON(v, "  ", style{unit: "  ", colon: ": ", nl: "\n"})
	want := "{\n    \"a\": [\n      {\n        \"b\": true\n      },\n      \"<x>\"\n    ],\n    \"e\": {},\n    \"f\": [],\n    \"n\": null,\n    \"i\": 7\n  }"
	if pretty != want {
		t.Errorf("pretty:\n%s\nwant\n%s", pretty, want)
	}
	if got := renderJSON(v, "", style{unit: "  ", colon: ":", compact: true}); got != `{"a":[{"b":true},"<x>"],"e":{},"f":[],"n":null,"i":7}` {
		t.Errorf("compact: %s", got)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "{\n  \"a\": 1\n}\n"
	b := "{\n  \"a\": 1,\n  \"b\": 2\n}\n"
	want := "--- f\n+++ f\n@@ -1,3 +1,4 @@\n {\n-  \"a\": 1\n+  \"a\": 1,\n+  \"b\": 2\n }\n"
	if got := unifiedDiff("f", []byte(a), []byte(b)); got != want {
		t.Errorf("diff:\n%s\nwant\n%s", got, want)
	}
	if got := unifiedDiff("f", nil, []byte("x\n")); got != "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+x\n" {
		t.Errorf("new file diff:\n%s", got)
	}
	if got := unifiedDiff("f", []byte("x\n"), nil); got != "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n" {
		t.Errorf("removed file diff:\n%s", got)
	}
	if got := unifiedDiff("f", []byte(a), []byte(a)); got != "" {
		t.Errorf("no change diff: %q", got)
	}
	// Two changes far apart make two hunks.
	var x, y []string
	for i := range 20 {
		x = append(x, fmt.Sprint("line ", i))
		y = append(y, fmt.Sprint("line ", i))
		if i == 2 || i == 17 {
			y[i] = "changed"
		}
	}
	got := unifiedDiff("f", []byte(strings.Join(x, "\n")+"\n"), []byte(strings.Join(y, "\n")+"\n"))
	if strings.Count(got, "@@ -") != 2 || !strings.Contains(got, "@@ -1,6 +1,6 @@") || !strings.Contains(got, "@@ -15,6 +15,6 @@") {
		t.Errorf("two hunks:\n%s", got)
	}
}
