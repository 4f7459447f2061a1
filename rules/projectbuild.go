package rules

import "strings"

// "cd ~ && rm -rf ~/code/app/node_modules": the project the session works
// on, named by its full path from outside it. Inside the project every
// path but .git and the root is scratch; from outside, only what its tools
// make again is: a path at or below one of the project's build or
// dependency directories (projectBuildDirs), in the project of the
// directory the command line started in. The project itself, its sources,
// its .git and every other project keep their class.

// projectBuildDirs are the directory names build tools and package
// managers fill and make again: dependencies, build output, caches.
func projectBuildDirs() []string {
	return []string{
		"node_modules", "dist", "build", "target", ".venv", "venv", "__pycache__",
		".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".next", ".nuxt",
		".svelte-kit", ".turbo", ".parcel-cache", ".angular", ".dart_tool", ".gradle",
		"coverage", ".nyc_output", ".eggs", "bower_components",
	}
}

// pathSessionBuild classifies p when it lies at or below a build or
// dependency directory of the session's project (sc.session): scratch.
func (w *World) pathSessionBuild(p string, sc *pathScope) (PathInfo, bool) {
	root := sc.session
	if root == "" || p == root || !pathWithin(root, p) {
		return PathInfo{}, false
	}
	for _, c := range strings.Split(p[len(root)+1:], "/") {
		if c == ".git" {
			return PathInfo{}, false
		}
		for _, d := range projectBuildDirs() {
			if c == d {
				return pathMake(p, KindScratch, w.pathShow(p), "in the "+d+" directory of the project "+w.pathShow(root)+", which its tools make again"), true
			}
		}
	}
	return PathInfo{}, false
}
