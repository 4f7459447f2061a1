package display

import "testing"

// TestLine: everything that can drive a terminal or hide text is shown
// escaped; ordinary text, accents, CJK and emoji are left alone.
func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ls -la", "ls -la"},
		{"héllo wörld", "héllo wörld"},
		{"a\tb\nc\rd", `a\tb\nc\rd`},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"x\u202ey", `x\u202ey`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"\u0085", `\u0085`},
		{"\x1b[2K\rnpm test", `\x1b[2K\rnpm test`},
		{"rm -rf ~/x\u2066", `rm -rf ~/x\u2066`},
		{"a\u200bb\u200dc\ufeffd\u2060e", `a\u200bb\u200dc\ufeffd\u2060e`},
		{"x\u2028y\u00adz", `x\u2028y\u00adz`},
		{"\x7f\x00", `\x7f\x00`},
		{"日本語 emoji 👍", "日本語 emoji 👍"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Text("a\nb\x1b[2K"); got != "a\nb\\x1b[2K" {
		t.Errorf("Text keeps newlines and escapes the rest: got %q", got)
	}
}
