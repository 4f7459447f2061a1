package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// Some words are unknown but of a known kind (interceptor/kinds.go): a path
// mktemp has just made, a cache directory a package manager printed, the
// root of the git work tree, a process substitution's pipe. The path model
// judges them by that kind, with what follows them in the word: a path
// inside a fresh temporary directory or a cache is scratch; the work tree
// root is replaced by the root itself and classified as any path; a pipe
// is no file. Anything that climbs out of the value ("$(mktemp -d)/..") is
// unknown as before.

// classifyKind classifies a word that begins with an unknown value of a
// known kind, and reports whether it does.
func (w *World) classifyKind(word interceptor.Word, cwd string) (PathInfo, bool) {
	if !word.Unknown {
		return PathInfo{}, false
	}
	if IsPipeWord(word) {
		return PathInfo{Path: word.Value, Class: PathScratch, Kind: KindScratch, Desc: "a process substitution",
			Note: "a pipe to a command, not a file"}, true
	}
	kind, data, rest, ok := interceptor.ValueKindOf(word.Value)
	if !ok {
		return PathInfo{}, false
	}
	if kind == interceptor.KindTopLevel {
		root := w.ProjectRoot(data)
		if root == "" || rest != "" && rest[0] != '/' {
			return PathInfo{}, false
		}
		return w.ClassifyWord(interceptor.Word{Value: root + rest, Glob: word.Glob}, cwd), true
	}
	if !kindInside(rest) {
		return PathInfo{}, false
	}
	shown := word.String()
	switch kind {
	case interceptor.KindFresh:
		return PathInfo{Path: word.Value, Class: PathScratch, Kind: KindScratch, Glob: word.Glob, Desc: shown,
			Note: "in the new temporary path mktemp made"}, true
	case interceptor.KindCache:
		return PathInfo{Path: word.Value, Class: PathScratch, Kind: KindScratch, Glob: word.Glob, Desc: shown,
			Note: "in the cache directory its tool printed, which it rebuilds"}, true
	}
	return PathInfo{}, false
}

// kindInside reports whether rest, the text after a directory's value,
// stays inside it: nothing, or "/" and components none of which is "..".
func kindInside(rest string) bool {
	if rest == "" {
		return true
	}
	if rest[0] != '/' {
		return false // "$(mktemp -d)x" is another name beside it
	}
	for _, c := range strings.Split(rest[1:], "/") {
		if c == ".." {
			return false
		}
	}
	return true
}

// IsPipeWord reports whether word is a process substitution's path as
// the shell passes it (/dev/fd/N for >(…) or <(…)).
func IsPipeWord(word interceptor.Word) bool {
	p, ok := strings.CutPrefix(word.Value, "/dev/fd/")
	if !ok || !word.Unknown {
		return false
	}
	kind, _, rest, ok := interceptor.ValueKindOf(p)
	return ok && kind == interceptor.KindPipe && rest == ""
}
