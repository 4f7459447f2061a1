package taskrunner

import "testing"

// TestYAMLMini: the subset reads as YAML does.
func TestYAMLMini(t *testing.T) {
	n, err := parseYAML("a: 1\nb:\n  - x\n  - k: v\n    j: 'q''s'\nc: [d, \"e\", {f: g}]\nh: >-\n  one\n  two\n\n  three\ni: |\n  l1\n    l2\n")
	if err != nil {
		t.Fatal(err)
	}
	if n.get("a").str != "1" || n.get("b").items[0].str != "x" || n.get("b").items[1].get("j").str != "q's" ||
		n.get("c").items[1].str != "e" || n.get("c").items[2].get("f").str != "g" ||
		n.get("h").str != "one two\nthree" || n.get("i").str != "l1\n  l2\n" || n.get("b").items[1].get("k").line != 4 {
		t.Errorf("parsed %+v", n)
	}
}
