// Package display renders text guard shows to a human (a command, a
// directory, a reason) so that what they read is what runs: control
// characters, escape sequences, bidi controls and invisible characters are
// shown as visible escapes instead of acting on the terminal or hiding
// text. Every place guard shows such text to a person goes through Line or
// Text: approvals, the y/N prompt, "guard log", "guard check", the
// blocked messages and the reasons an agent shows in its own prompt.
//
// It is a leaf (standard library only) under internal/, so that sandbox,
// integration and cmd/guard share one implementation.
package display

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line renders s for a human on one line such that what they read
// is what runs: newlines, tabs, escape sequences and every other control
// character (C0, DEL, C1), the Unicode controls that reorder text (bidi
// embeddings, overrides and isolates) and the invisible ones (zero-width
// spaces and joiners, word joiner, BOM) are shown as escapes (\n, \x1b,
// \u202e), and invalid UTF-8 as \xNN. Without this, "\x1b[2K\rnpm test"
// appended to "rm -rf ~/Documents" erases the line on a terminal and shows
// "npm test". Every place guard shows a command, a directory or a reason to
// a human goes through Line or Text.
func Line(s string) string {
	return displayEscape(s, false)
}

// Text is Line for text laid out on several lines: '\n' is
// kept as is, everything else Line escapes is escaped.
func Text(s string) string {
	return displayEscape(s, true)
}

// displayEscape escapes what Line escapes; with keepNewlines, '\n'
// is left as is for the caller to lay out.
func displayEscape(s string, keepNewlines bool) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) && !(keepNewlines && r == '\n') {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// needsEscape reports the characters Line escapes: C0, DEL, C1; the
// bidi controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069); the
// invisible format characters (U+00AD soft hyphen, U+180E, U+200B-U+200D,
// U+2028-U+2029 line and paragraph separators, U+2060-U+2064 and the
// deprecated U+206A-U+206F, U+FEFF, U+FFF9-U+FFFB) that hide or join text.
func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x00ad, r == 0x061c, r == 0x180e, r == 0xfeff:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x206f, r >= 0xfff9 && r <= 0xfffb:
		return true
	}
	return false
}
