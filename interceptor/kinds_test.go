package interceptor

import "testing"

// The last argument of the last command is read for its kind: which
// substitutions and expansions keep it, which drop it.
func TestValueKinds(t *testing.T) {
	cases := []struct {
		src  string
		kind ValueKind // 0: no kind
		data string
		rest string
	}{
		{`rm -rf "$(mktemp -d)"`, KindFresh, "", ""},
		{`rm -f "$(mktemp)"`, KindFresh, "", ""},
		{`rm -rf "$(mktemp -d -t build.XXXXXX)/out"`, KindFresh, "", "/out"},
		{`rm -rf "$(mktemp -d -p ~)"`, KindFresh, "", ""},
		{`rm -rf "$(mktemp -d --tmpdir="$HOME")"`, KindFresh, "", ""},
		{`d=$(mktemp -d); rm -rf "$d"`, KindFresh, "", ""},
		{`d=$(mktemp -d); rm -rf "${d}/x"`, KindFresh, "", "/x"},
		{`d=$(mktemp -d); e=$d; rm -rf "$e"`, KindFresh, "", ""},
		{`rm -rf "$(go env GOCACHE)"`, KindCache, "", ""},
		{`rm -rf "$(npm config get cache)/_cacache"`, KindCache, "", "/_cacache"},
		{`rm -rf "$(git rev-parse --show-toplevel)/dist"`, KindTopLevel, tCwd, "/dist"},
		{`cd /srv && rm -rf "$(git rev-parse --show-toplevel)/dist"`, KindTopLevel, "/srv", "/dist"},
		// Dropped: the value changed, split, or another program.
		{`d=$(mktemp -d); rm -rf "${d%/*}"`, 0, "", ""},
		{`d=$(mktemp -d); rm -rf "${d:1}"`, 0, "", ""},
		{`d=$(mktemp -d); rm -rf "${d:-/}"`, 0, "", ""},
		{`d=$(mktemp -d); rm -rf $d`, 0, "", ""},
		{`d=$(mktemp -d); d=$(pwd); rm -rf "$d"`, 0, "", ""},
		{`rm -rf "$(mktemp -u)"`, 0, "", ""},
		{`rm -rf "$(mktemp -d "$X")"`, 0, "", ""},
		{`rm -rf "$(mktemp -d | tr a b)"`, 0, "", ""},
		{`rm -rf "$(mktemp -d 2>&1)"`, 0, "", ""},
		{`mktemp() { echo /; }; rm -rf "$(mktemp -d)"`, 0, "", ""},
		{`PATH=./bin:$PATH; rm -rf "$(mktemp -d)"`, 0, "", ""},
		{`GOCACHE=$HOME; rm -rf "$(go env GOCACHE)"`, 0, "", ""},
		{`rm -rf "$(go env GOPATH)"`, 0, "", ""},
		{`rm -rf "$(git rev-parse --git-dir)"`, 0, "", ""},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		last := invs[len(invs)-1]
		arg := last.Args[len(last.Args)-1]
		k, data, rest, ok := ValueKindOf(arg.Value)
		if c.kind == 0 {
			if ok || hasKinds(arg.Value) {
				t.Errorf("%q: got kind %q in %q, want none", c.src, k, arg.Value)
			}
			continue
		}
		if !ok || k != c.kind || data != c.data || rest != c.rest || !arg.Unknown {
			t.Errorf("%q: got %q %q %q %v (unknown %v), want %q %q %q", c.src, k, data, rest, ok, arg.Unknown, c.kind, c.data, c.rest)
		}
		if got := arg.String(); got != "…"+c.rest {
			t.Errorf("%q: shown as %q", c.src, got)
		}
	}
}

// Only the exact shape is a kind; text that only looks like one is not.
func TestValueKindOf(t *testing.T) {
	mark := kindMark(KindFresh, "")
	for _, s := range []string{
		"", UnknownMark, "x" + mark, mark + UnknownMark, mark + "/" + mark,
		UnknownMark + string(rune(KindFresh)), kindMark(KindFresh, "/etc"),
		UnknownMark + "\uFDD9" + UnknownMark, mark + "\uFDD0",
	} {
		if k, _, _, ok := ValueKindOf(s); ok {
			t.Errorf("%q: got kind %q", s, k)
		}
	}
	if got := stripKinds("a" + kindMark(KindTopLevel, "/x") + "/b" + mark); got != "a"+UnknownMark+"/b"+UnknownMark {
		t.Errorf("stripKinds: %q", got)
	}
}

// The current user's name and group are values of KindSelf, whole even
// unquoted; under sudo or su they are someone else's.
func TestSelfKind(t *testing.T) {
	self := func(w string) string { return kindMark(KindSelf, w) }
	cases := []struct {
		src  string
		want string // the first argument after chown -R, "" for none of the kind
	}{
		{`chown -R $(whoami) x`, self("u")},
		{`chown -R "$(id -u):$(id -g)" x`, self("u") + ":" + self("g")},
		{`chown -R $(id -un):$(id -gn) x`, self("u") + ":" + self("g")},
		{"chown -R `whoami` x", self("u")},
		{`chown -R $(whoami)x x`, self("u") + "x"},
		{`chown -R $(id) x`, ""},
		{`chown -R $(whoami; echo) x`, ""},
		{`whoami(){ echo root; }; chown -R $(whoami) x`, ""},
		{`sudo bash -c 'chown -R $(whoami) x'`, ""},
		{`su -c 'chown -R $(whoami) x'`, ""},
	}
	for _, c := range cases {
		var got string
		for _, inv := range Analyze(c.src, testContext()) {
			if inv.Name == "chown" && len(inv.Args) > 1 {
				got = inv.Args[1].Value
			}
		}
		if c.want == "" {
			if OnlySelfKinds(got) {
				t.Errorf("%q: %q is the user's, want it not", c.src, got)
			}
			continue
		}
		if got != c.want || !OnlySelfKinds(got) {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}
