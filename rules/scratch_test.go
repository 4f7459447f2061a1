package rules

import "testing"

// Unknown paths of a known kind: fresh temporary paths, printed cache
// directories, the work tree root, process substitutions.
func TestValueKindPaths(t *testing.T) {
	cases := []struct {
		src  string
		want Decision
	}{
		{`d=$(mktemp -d); cp a "$d"; rm -rf "$d"`, Allow},
		{`rm -rf "$(mktemp -d)"`, Allow},
		{`f=$(mktemp); date > "$f"; rm -f "$f"`, Allow},
		{`W=$(mktemp -d); trap 'rm -rf "$W"' EXIT`, Allow},
		{`rm -rf "$(mktemp -d -p ~)/x"`, Allow},
		{`rm -rf "$(go env GOCACHE)"`, Allow},
		{`rm -rf "$(pip3 cache dir)/http"`, Allow},
		{`rm -rf "$(yarn cache dir)"`, Allow},
		{`rm -rf "$(git rev-parse --show-toplevel)/build"`, Allow},
		{`top=$(git rev-parse --show-toplevel); rm -rf "$top/node_modules"`, Allow},
		{`go test ./... 2>&1 | tee >(grep FAIL)`, Allow},
		{`tee >(gzip > out.gz) < log.txt`, Allow},
		// Neighbours.
		{`rm -rf "$(mktemp -d)/.."`, Confirm},
		{`rm -rf "$(mktemp -d -p ~)/.."`, Confirm},
		{`rm -rf "$(mktemp -d)x"`, Confirm},
		{`d=$(mktemp -d); rm -rf "${d%/*}"`, Confirm},
		{`d=$(mktemp -d); d=~; rm -rf "$d"`, Deny},
		{`trap 'rm -rf "$W"' EXIT`, Confirm},
		{`rm -rf "$(go env GOCACHE)/.."`, Confirm},
		{`export GOCACHE=~/Documents; rm -rf "$(go env GOCACHE)"`, Confirm},
		{`rm -rf "$(npm config get prefix)"`, Confirm},
		{`rm -rf "$(git rev-parse --show-toplevel)"`, Confirm},
		{`rm -rf "$(git rev-parse --show-toplevel)/.git"`, Confirm},
		{`rm -rf "$(git rev-parse --show-toplevel)/.."`, Confirm},
		{`cd ~ && rm -rf "$(git rev-parse --show-toplevel)/dist"`, Confirm},
		{`top=$(git rev-parse --show-toplevel); cd ~/other && rm -rf "$top/src"`, Confirm},
		// The session's project's build directory from another one
		// (projectbuild.go).
		{`top=$(git rev-parse --show-toplevel); cd ~/other && rm -rf "$top/dist"`, Allow},
		{`tee >(cat) > /dev/sda`, Deny},
	}
	for _, c := range cases {
		v := judgeIn(t, c.src, testFS(), FSPack(), SystemPack())
		if v.Decision != c.want {
			t.Errorf("%q: got %s, want %s; findings %+v", c.src, v.Decision, c.want, v.Findings)
		}
	}
}
