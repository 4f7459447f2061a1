package rules

import (
	"path/filepath"
	"strings"
)

// Package managers, compilers and browsers keep caches under the home
// directory that they rebuild on their own: deleting one (rm -rf
// ~/.cache/pip, ~/.gradle/caches, ~/Library/Caches/…) is the everyday fix
// for a broken install and costs a download at most. To the path model
// such a cache directory is scratch, from the directory itself down; what
// is around it keeps its class (~/.cache, ~/.m2 with its settings.xml,
// ~/.cargo with its credentials, ~/.cache/huggingface with its token).
//
// Classification works on the cleaned absolute path, so ".." never reaches
// past a cache ("~/.cache/../Documents" is ~/Documents); links are judged
// by their real path too (rules/links.go); a pattern is a cache only when
// it stays inside one ("~/.cache/*" is every cache at once and keeps its
// class). Guard's own files, credential stores, git metadata and the
// policy's protected paths are classified before caches and keep their
// class wherever they are.

// homeCacheDir reports whether rel, a path relative to the home directory
// (cleaned, no leading "/"), is in a regenerable cache directory, and
// returns that directory (relative to home) and who keeps it.
func homeCacheDir(rel string) (dir, owner string, ok bool) {
	comps := strings.Split(rel, "/")
	// at returns the first n components joined when rel has at least n
	// and the first n match want.
	at := func(want ...string) (string, bool) {
		if len(comps) < len(want) {
			return "", false
		}
		for i, w := range want {
			if comps[i] != w {
				return "", false
			}
		}
		return strings.Join(comps[:len(want)], "/"), true
	}
	first := func(candidates [][]string, who string) (string, string, bool) {
		for _, c := range candidates {
			if d, ok := at(c...); ok {
				return d, who, true
			}
		}
		return "", "", false
	}
	switch comps[0] {
	case ".cache":
		// The XDG cache directory: every entry is a program's cache
		// (non-essential data, per the XDG base directory specification),
		// except the few programs that keep a credential there.
		if len(comps) < 2 {
			return "", "", false
		}
		if sub, ok := xdgCacheEntry(comps[1:]); ok {
			return ".cache/" + sub, comps[1] + "'s cache", true
		}
		return "", "", false
	case "Library":
		// macOS: ~/Library/Caches holds only caches (Apple's file
		// system programming guide); Xcode's build products.
		if len(comps) >= 3 && comps[1] == "Caches" {
			return strings.Join(comps[:3], "/"), comps[2] + "'s cache", true
		}
		return first([][]string{
			{"Library", "Developer", "Xcode", "DerivedData"},
			{"Library", "Developer", "CoreSimulator", "Caches"},
			{"Library", "pnpm", "store"},
		}, "a build or package cache")
	case ".npm":
		return first([][]string{{".npm", "_cacache"}, {".npm", "_npx"}, {".npm", "_logs"}}, "npm's cache")
	case ".gradle":
		return first([][]string{{".gradle", "caches"}, {".gradle", "wrapper", "dists"}, {".gradle", "daemon"}}, "Gradle's cache")
	case ".m2":
		return first([][]string{{".m2", "repository"}}, "Maven's local repository")
	case ".cargo":
		return first([][]string{{".cargo", "registry"}, {".cargo", "git"}}, "Cargo's registry cache")
	case "go":
		return first([][]string{{"go", "pkg", "mod"}}, "Go's module cache")
	case ".local":
		return first([][]string{{".local", "share", "pnpm", "store"}}, "pnpm's store")
	case ".yarn":
		return first([][]string{{".yarn", "berry", "cache"}}, "Yarn's cache")
	case ".node-gyp":
		return ".node-gyp", "node-gyp's headers", true
	case ".bun":
		return first([][]string{{".bun", "install", "cache"}}, "Bun's cache")
	case ".nuget":
		return first([][]string{{".nuget", "packages"}}, "NuGet's package cache")
	case ".ivy2":
		return first([][]string{{".ivy2", "cache"}}, "Ivy's cache")
	case ".rustup":
		return first([][]string{{".rustup", "downloads"}, {".rustup", "tmp"}}, "rustup's downloads")
	case ".android":
		return first([][]string{{".android", "cache"}}, "the Android SDK's cache")
	}
	return "", "", false
}

// xdgCacheEntry reports whether the path comps, relative to the XDG cache
// directory, is in a cache, and returns the cache (relative to the cache
// directory). Hugging Face keeps its access token beside its caches, so
// only the caches themselves count there.
func xdgCacheEntry(comps []string) (string, bool) {
	switch comps[0] {
	case "", ".", "..":
		return "", false
	case "huggingface":
		if len(comps) < 2 {
			return "", false
		}
		switch comps[1] {
		case "hub", "datasets", "modules", "xet", "assets", "transformers", "diffusers":
			return "huggingface/" + comps[1], true
		}
		return "", false
	}
	return comps[0], true
}

// pathCache classifies p against the regenerable caches under the home
// directory (see homeCacheDir) and under $XDG_CACHE_HOME when the
// environment sets it: in one, or one itself, is scratch.
func (w *World) pathCache(p, home string) (PathInfo, bool) {
	if x := w.Analysis.Env["XDG_CACHE_HOME"]; x != "" && filepath.IsAbs(x) {
		x = filepath.Clean(x)
		if !pathIsSystemTop(x) && (home == "" || !pathWithin(x, home)) && p != x && pathWithin(x, p) {
			if sub, ok := xdgCacheEntry(strings.Split(p[len(x)+1:], "/")); ok {
				return pathMake(p, KindScratch, w.pathShow(p), "in "+strings.SplitN(sub, "/", 2)[0]+"'s cache "+w.pathShow(x+"/"+sub)+", which it rebuilds"), true
			}
		}
	}
	if home == "" || home == "/" || !pathWithin(home, p) || p == home {
		return PathInfo{}, false
	}
	dir, owner, ok := homeCacheDir(p[len(home)+1:])
	if !ok {
		return PathInfo{}, false
	}
	return pathMake(p, KindScratch, w.pathShow(p), "in "+owner+" ~/"+dir+", which it rebuilds"), true
}

// System package managers keep caches they rebuild in system directories:
// "rm -rf /var/lib/apt/lists/*" after "apt-get install" is how every
// Dockerfile keeps its image small, and apt fetches the lists again on the
// next update. What is inside these directories is scratch; the
// directories themselves, and everything around them (/var/lib/apt,
// /var/lib/dpkg, which records what is installed), keep their class.

// systemCacheDirs are the package managers' cache directories.
func systemCacheDirs() []string {
	return []string{
		"/var/lib/apt/lists", "/var/cache/apt", "/var/cache/apk", "/var/cache/dnf",
		"/var/cache/yum", "/var/cache/pacman/pkg", "/var/cache/zypp", "/var/cache/debconf/tmp",
	}
}

// systemCacheDir reports whether p is one of systemCacheDirs.
func systemCacheDir(p string) bool {
	for _, d := range systemCacheDirs() {
		if p == d {
			return true
		}
	}
	return false
}

// pathSystemCache classifies p when it lies inside a package manager's
// cache directory: scratch.
func (w *World) pathSystemCache(p string) (PathInfo, bool) {
	for _, d := range systemCacheDirs() {
		if p != d && pathWithin(d, p) {
			return pathMake(p, KindScratch, p, "in the package cache "+d+", which the package manager fetches again"), true
		}
	}
	return PathInfo{}, false
}
