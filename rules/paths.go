package rules

import (
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// This file is the path model of the filesystem rules (DESIGN.md §4). Every
// path a command would delete, move away, overwrite or chmod is resolved to
// an absolute, cleaned path against the directory the command runs in and
// put in one of three classes:
//
//   - scratch: under a temporary directory (/tmp, /var/tmp, $TMPDIR), or
//     inside the current project (the git work tree of the working
//     directory) except its .git and except the root itself;
//   - protected: / and the system directories and everything in them, $HOME
//     and its direct children, any directory containing $HOME, the project
//     root or the working directory, the project root itself, any .git,
//     credential stores (~/.ssh, ~/.aws, ...), guard's own files, the
//     paths the policy protects ([paths] protected in guard.toml), what
//     is in them and the directories containing them;
//   - other: everything else, outside the project and not scratch.
//
// Among the protected paths, / and $HOME (with the directories containing
// it) and guard's own files are critical: destroying them is denied, not
// confirmed.
//
// When the working directory is in no git work tree, the working directory
// itself serves as the project root, unless it is protected itself ($HOME,
// ~/Downloads, /etc, ...): then there is no project and nothing outside the
// temporary directories is scratch. A git work tree whose root is critical
// or a system directory (a dotfiles repository at $HOME) is not taken as a
// project either.

// PathClass is the class of a path in the path model.
type PathClass int

// The classes of the path model, from the least to the most protected.
const (
	PathUnknown   PathClass = iota // the path cannot be known before the command runs
	PathScratch                    // temporary directories and the inside of the project
	PathOther                      // outside the project, not scratch
	PathProtected                  // system, home, credentials, git metadata, guard
)

// String returns "unknown", "scratch", "other" or "protected".
func (c PathClass) String() string {
	switch c {
	case PathScratch:
		return "scratch"
	case PathOther:
		return "other"
	case PathProtected:
		return "protected"
	}
	return "unknown"
}

// PathKind says why a path has its class.
type PathKind int

// The kinds of path. KindRoot, KindHome and KindGuard are critical.
const (
	KindUnknown    PathKind = iota // cannot be known statically
	KindRoot                       // "/", or everything under it at once
	KindHome                       // $HOME, a directory containing it, or everything in it at once
	KindGuard                      // guard's own config, state or binary, or something in them
	KindCredential                 // a credential store (~/.ssh, ~/.aws, ...) or something in one
	KindGit                        // a .git directory or something in one
	KindProject                    // the project root, or everything in it at once
	KindContainer                  // a directory containing the project or the working directory
	KindSystem                     // a system or top-level directory, or something in one
	KindTemp                       // a temporary directory itself (/tmp)
	KindHomeChild                  // a direct child of $HOME
	KindScratch                    // inside the project or a temporary directory
	KindOutside                    // anything else
	KindPolicy                     // a path the policy protects ([paths] protected), something in it or a directory containing it
)

// PathInfo is what the path model says about one path or pattern.
type PathInfo struct {
	// Path is the absolute, cleaned path (or pattern, when Glob), "" when
	// it cannot be known.
	Path string
	// Class is the class of the path.
	Class PathClass
	// Kind says why.
	Kind PathKind
	// Critical is set for /, $HOME and the directories containing it, the
	// whole content of either, and guard's own files: destroying them is
	// denied.
	Critical bool
	// Glob reports that Path is a pattern, judged by what it can match.
	Glob bool
	// Desc names the path for a human: "your home directory /home/u",
	// "~/.ssh/config", "everything in the project root ~/code/app".
	Desc string
	// Note says why the path has its class when Desc does not: "in the
	// credential store ~/.ssh", "contains the project ~/code/app".
	Note string
}

// pathCredentials are the credential stores, relative to $HOME: keys,
// tokens and passwords of the user's accounts.
func pathCredentials() []string {
	return []string{
		".ssh", ".aws", ".azure", ".config/gcloud", ".kube", ".gnupg", ".docker",
		".netrc", ".npmrc", ".pypirc", ".git-credentials", ".config/git/credentials",
		".config/gh", ".config/hub", ".config/glab-cli", ".config/doctl", ".config/rclone",
		".config/op", ".1password", ".password-store", ".local/share/keyrings",
		".terraform.d", ".terraformrc", ".vault-token", ".pgpass", ".my.cnf",
		".cargo/credentials", ".cargo/credentials.toml", ".gem/credentials",
		".s3cfg", ".boto", ".oci", ".fly", ".railway", ".supabase", ".pulumi",
		".wrangler", ".local/share/com.vercel.cli", ".config/stripe", ".databrickscfg",
		".snowflake", "Library/Keychains",
	}
}

// pathSystemDirs are the top-level directories of the system. Everything
// in them is protected, except the temporary directories and a project or
// home that lives in them.
func pathSystemDirs() []string {
	return []string{
		"/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32",
		"/media", "/mnt", "/nix", "/opt", "/proc", "/root", "/run", "/sbin", "/snap",
		"/srv", "/sys", "/usr", "/var", "/Applications", "/Library", "/System",
		"/Users", "/Volumes", "/private", "/cores",
	}
}

// pathScope is what classification depends on besides the path: the
// working directory and the project it belongs to.
type pathScope struct {
	home  string
	cwd   string
	root  string
	temps []string
	// session is the project of the directory the command line started
	// in, when it is not root (projectbuild.go).
	session string
}

// pathScopeOf computes the scope of cwd. It is a value, which the caller
// keeps on its stack: every classification computes one.
func (w *World) pathScopeOf(cwd string) pathScope {
	if cwd != "" {
		cwd = filepath.Clean(cwd)
	}
	sc := pathScope{home: w.pathHome(), cwd: cwd}
	for _, t := range w.TempDirs {
		t = filepath.Clean(t)
		if t == "/" || t == sc.home {
			continue // a misconfigured TMPDIR must not make home scratch
		}
		sc.temps = append(sc.temps, t)
	}
	sc.root = w.ProjectFor(cwd)
	if start := w.Analysis.Cwd; start != "" && start != cwd {
		if r := w.ProjectFor(start); r != sc.root {
			sc.session = r
		}
	}
	return sc
}

// pathHome returns the cleaned home directory, "" when unknown.
func (w *World) pathHome() string {
	if w.Home == "" {
		return ""
	}
	return filepath.Clean(w.Home)
}

// ProjectFor returns the project root of the working directory cwd: the
// root of its git work tree, or cwd itself when it is in none and is not
// protected. It returns "" when there is no project (cwd unknown or
// protected, or a work tree rooted at a protected place such as $HOME).
func (w *World) ProjectFor(cwd string) string {
	if cwd == "" {
		return ""
	}
	cwd = filepath.Clean(cwd)
	h := w.pathHome()
	if root := w.ProjectRoot(cwd); root != "" {
		_, guard := w.pathGuardOf(root)
		_, git := pathGitDirOf(root)
		_, cred := w.pathCredentialOf(root)
		if !guard && !git && !cred && !pathIsSystemTop(root) && (h == "" || !pathWithin(root, h)) {
			return root
		}
	}
	info := w.classifyAbs(cwd, &pathScope{home: h})
	if info.Class == PathProtected {
		return ""
	}
	for _, t := range w.TempDirs {
		if filepath.Clean(t) == cwd {
			return ""
		}
	}
	return cwd
}

// pathIsSystemTop reports whether p is / or one of the system directories
// themselves (/etc under etckeeper is a git work tree, not a project).
func pathIsSystemTop(p string) bool {
	if p == "/" {
		return true
	}
	for _, d := range pathSystemDirs() {
		if p == d {
			return true
		}
	}
	return false
}

// Classify puts the path p, as a command running in cwd would see it, in
// its class. p is taken literally (a "*" in it is a file name character;
// see ClassifyWord for patterns). An empty p, or one holding an unknown
// part, or a relative p with an unknown cwd, is PathUnknown.
func (w *World) Classify(p, cwd string) PathInfo {
	abs := interceptor.ResolvePath(cwd, p)
	if abs == "" {
		return pathUnknown(p, cwd)
	}
	sc := w.pathScopeOf(cwd)
	return w.classifyAbs(abs, &sc)
}

// ClassifyWord classifies an argument word of a command running in cwd.
// An unknown word is PathUnknown; a glob is judged by what it can match:
// "~/*" is everything in $HOME (critical), "./*" at the project root is
// everything in the project (protected), "build/*.o" is scratch.
func (w *World) ClassifyWord(word interceptor.Word, cwd string) PathInfo {
	if info, ok := w.classifyKind(word, cwd); ok {
		return info
	}
	if word.Unknown || strings.Contains(word.Value, interceptor.UnknownMark) {
		return pathUnknown(word.String(), cwd)
	}
	if word.Value == "" {
		// "$TMP" with TMP known to be unset or empty: the kernel refuses
		// an empty name (ENOENT), so nothing is named.
		return PathInfo{Class: PathScratch, Kind: KindScratch, Desc: `""`, Note: "an empty name, which names no file"}
	}
	abs := interceptor.ResolvePath(cwd, word.Value)
	if abs == "" {
		return pathUnknown(word.Value, cwd)
	}
	sc := w.pathScopeOf(cwd)
	if word.Glob && pathHasMeta(abs) {
		return w.classifyGlob(abs, &sc)
	}
	return w.classifyAbs(abs, &sc)
}

// Target classifies an argument of inv as the path it names: relative to
// the invocation's working directory, or on the remote host when the
// invocation runs elsewhere (ssh, docker exec).
func (w *World) Target(inv *interceptor.Invocation, word interceptor.Word) PathInfo {
	return w.targetIn(inv, word, inv.Cwd)
}

// targetIn is Target with the working directory replaced by cwd (tar -C).
func (w *World) targetIn(inv *interceptor.Invocation, word interceptor.Word, cwd string) PathInfo {
	if inv.Remote != "" {
		if host, dir, ok := hostWord(inv, word, cwd); ok {
			// Judged as from the mounted directory: its project is the
			// project.
			return w.ClassifyWord(host, dir)
		}
		return classifyRemote(word, inv.Remote)
	}
	return w.ClassifyWord(word, cwd)
}

// hostWord returns the path of this machine that word names in a container
// started with bind mounts (docker run -v HOST:CTR), and whether there is
// one: the same file under a mount, or, for a path that holds a mount
// (rm -rf / in the container), the mounted directory itself. mountDir is
// the mounted directory of this machine.
func hostWord(inv *interceptor.Invocation, word interceptor.Word, cwd string) (host interceptor.Word, mountDir string, ok bool) {
	if len(inv.Mounts) == 0 || word.Unknown {
		return word, "", false
	}
	p := interceptor.ResolvePath(cwd, word.Value)
	if p == "" {
		return word, "", false
	}
	best := -1
	for i, m := range inv.Mounts {
		if pathWithin(m.Container, p) && (best < 0 || len(m.Container) > len(inv.Mounts[best].Container)) {
			best = i
		}
	}
	if best >= 0 {
		m := inv.Mounts[best]
		return interceptor.Word{Value: m.Host + strings.TrimPrefix(p, m.Container), Glob: word.Glob}, m.Host, true
	}
	for _, m := range inv.Mounts {
		if pathWithin(p, m.Container) {
			return interceptor.Word{Value: m.Host}, m.Host, true
		}
	}
	return word, "", false
}

func pathUnknown(p, cwd string) PathInfo {
	shown := strings.ReplaceAll(p, interceptor.UnknownMark, "…")
	desc, note := shown, "its value cannot be known before the command runs"
	switch {
	case shown == "" || shown == "…":
		desc = "a path"
	case !strings.Contains(p, interceptor.UnknownMark) && cwd == "" && !filepath.IsAbs(p):
		note = "the directory it is relative to cannot be known before the command runs"
	}
	return PathInfo{Class: PathUnknown, Kind: KindUnknown, Desc: desc, Note: note}
}

// Text returns Desc with Note in parentheses.
func (p PathInfo) Text() string {
	if p.Note == "" {
		return p.Desc
	}
	return p.Desc + " (" + p.Note + ")"
}

// pathParen returns " (note)", or "" for no note.
func pathParen(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

// show renders p for a human, with $HOME as "~".
func (w *World) pathShow(p string) string {
	h := w.pathHome()
	if h != "" && h != "/" && len(p) > len(h) && p[len(h)] == '/' && strings.HasPrefix(p, h) {
		return "~" + p[len(h):]
	}
	return p
}

// pathWithin reports whether p is dir or inside it.
func pathWithin(dir, p string) bool {
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	return strings.HasPrefix(p, dir) && (len(p) == len(dir) || p[len(dir)] == '/')
}

// pathComps splits an absolute path into its components ("/" has none).
func pathComps(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// pathMake builds a PathInfo of kind k.
func pathMake(p string, k PathKind, desc, note string) PathInfo {
	info := PathInfo{Path: p, Kind: k, Desc: desc, Note: note, Class: PathProtected}
	switch k {
	case KindUnknown:
		info.Class = PathUnknown
	case KindScratch:
		info.Class = PathScratch
	case KindOutside:
		info.Class = PathOther
	case KindRoot, KindHome, KindGuard:
		info.Critical = true
	}
	return info
}

// guardOf returns the guard path p is in, if any.
func (w *World) pathGuardOf(p string) (string, bool) {
	for _, g := range w.GuardPaths {
		if g == "" {
			continue
		}
		g = filepath.Clean(g)
		if pathWithin(g, p) {
			return g, true
		}
	}
	return "", false
}

// guardName names one of guard's paths for a human.
func (w *World) pathGuardName(g string) string {
	switch {
	case strings.HasPrefix(g, "/etc/"):
		return "guard's managed policy " + g
	case strings.Contains(g, "/state/"):
		return "guard's own state " + w.pathShow(g)
	case path.Base(path.Dir(g)) == "bin" || path.Base(g) == "guard" && !strings.Contains(g, "config"):
		return "guard's own binary " + w.pathShow(g)
	case strings.Contains(g, "config"):
		return "guard's own config " + w.pathShow(g)
	}
	return "guard's own files " + w.pathShow(g)
}

// credentialOf returns the credential store p is in, if any.
func (w *World) pathCredentialOf(p string) (string, bool) {
	h := w.pathHome()
	if h == "" || h == "/" || !pathWithin(h, p) || p == h {
		return "", false
	}
	rel := p[len(h)+1:]
	for _, c := range pathCredentials() {
		if pathWithin(c, rel) {
			return h + "/" + c, true
		}
	}
	return "", false
}

// pathPolicyOf classifies p against the paths the policy protects: one of
// them, something in one, or a directory containing one.
func (w *World) pathPolicyOf(p string) (PathInfo, bool) {
	for _, pp := range w.Protected {
		switch {
		case p == pp:
			return pathMake(p, KindPolicy, "the protected path "+w.pathShow(p), ""), true
		case pathWithin(pp, p):
			return pathMake(p, KindPolicy, w.pathShow(p), "in the protected path "+w.pathShow(pp)), true
		case pathWithin(p, pp):
			return pathMake(p, KindPolicy, w.pathShow(p), "contains the protected path "+w.pathShow(pp)), true
		}
	}
	return PathInfo{}, false
}

// pathTempName names a scratch directory: "the temporary directory /tmp",
// "the scratch directory ~/scratch" for one the policy adds.
func (w *World) pathTempName(t string) string {
	for _, s := range w.Scratch {
		if filepath.Clean(s) == t {
			return "the scratch directory " + w.pathShow(t)
		}
	}
	return "the temporary directory " + t
}

// gitDirOf returns the .git directory p is in, if any.
func pathGitDirOf(p string) (string, bool) {
	// The first "/.git/" of p+"/", without making p+"/": one inside p,
	// else p itself when it ends in "/.git".
	if i := strings.Index(p, "/.git/"); i >= 0 {
		return p[:i+len("/.git")], true
	}
	if strings.HasSuffix(p, "/.git") {
		return p, true
	}
	return "", false
}

// systemDirOf returns the system directory p is in, if any.
func pathSystemDirOf(p string) (string, bool) {
	for _, d := range pathSystemDirs() {
		if pathWithin(d, p) {
			return d, true
		}
	}
	return "", false
}

// classifyAbs classifies an absolute, cleaned path taken literally.
func (w *World) classifyAbs(p string, sc *pathScope) PathInfo {
	if g, ok := w.pathGuardOf(p); ok {
		if p == g {
			return pathMake(p, KindGuard, w.pathGuardName(g), "")
		}
		return pathMake(p, KindGuard, w.pathShow(p), "in "+w.pathGuardName(g))
	}
	if p == "/" {
		return pathMake(p, KindRoot, "the root directory /", "")
	}
	h := sc.home
	if h != "" {
		if p == h {
			return pathMake(p, KindHome, "your home directory "+h, "")
		}
		if pathWithin(p, h) {
			return pathMake(p, KindHome, p, "contains your home directory "+h)
		}
	}
	if g, ok := pathGitDirOf(p); ok {
		repo := w.pathShow(path.Dir(g))
		switch {
		case p == g:
			return pathMake(p, KindGit, "the git metadata .git of "+repo, "")
		case strings.HasSuffix(p, ".lock"):
			// A stale lock file left by a crashed git: removing it is
			// everyday repair, not destruction.
			return pathMake(p, KindScratch, w.pathShow(p), "a git lock file")
		case p != g:
			if what, ok := gitStateEntry(p[len(g)+1:]); ok {
				return pathMake(p, KindScratch, w.pathShow(p), what)
			}
		}
		return pathMake(p, KindGit, w.pathShow(p), "in the git metadata of "+repo)
	}
	if c, ok := w.pathCredentialOf(p); ok {
		if p == c {
			return pathMake(p, KindCredential, "the credential store "+w.pathShow(c), "")
		}
		return pathMake(p, KindCredential, w.pathShow(p), "in the credential store "+w.pathShow(c))
	}
	if sc.root != "" {
		if p == sc.root {
			return pathMake(p, KindProject, "the project root "+w.pathShow(p), "")
		}
		if pathWithin(p, sc.root) {
			return pathMake(p, KindContainer, w.pathShow(p), "contains the project "+w.pathShow(sc.root))
		}
	}
	if sc.cwd != "" && p != sc.cwd && pathWithin(p, sc.cwd) {
		return pathMake(p, KindContainer, w.pathShow(p), "contains the working directory "+w.pathShow(sc.cwd))
	}
	if info, ok := w.pathPolicyOf(p); ok {
		return info
	}
	if sc.root != "" && pathWithin(sc.root, p) {
		return pathMake(p, KindScratch, w.pathShow(p), "inside the project")
	}
	if info, ok := w.pathSessionBuild(p, sc); ok {
		return info
	}
	for _, t := range sc.temps {
		if p == t {
			return pathMake(p, KindTemp, w.pathTempName(t), "")
		}
		// A home that lives in a temporary directory (a test's HOME
		// under /tmp) keeps its protection: only a temporary directory
		// inside home (TMPDIR=~/tmp) makes part of home scratch.
		if pathWithin(t, p) && (h == "" || !pathWithin(h, p) || pathWithin(h, t)) {
			return pathMake(p, KindScratch, w.pathShow(p), "in "+w.pathTempName(t))
		}
	}
	if info, ok := w.pathAgentScratch(p); ok {
		return info
	}
	if info, ok := w.pathCache(p, h); ok {
		return info
	}
	if h != "" && pathWithin(h, p) {
		if path.Dir(p) == h {
			return pathMake(p, KindHomeChild, w.pathShow(p), "directly in your home directory")
		}
		return w.pathOutside(p)
	}
	if info, ok := w.pathSystemCache(p); ok {
		return info
	}
	if d, ok := pathSystemDirOf(p); ok {
		if p == d {
			return pathMake(p, KindSystem, "the system directory "+d, "")
		}
		return pathMake(p, KindSystem, p, "in the system directory "+d)
	}
	if path.Dir(p) == "/" {
		return pathMake(p, KindSystem, "the top-level directory "+p, "")
	}
	return w.pathOutside(p)
}

// pathOutside classifies a path outside the project and the temporary
// directories: another git work tree is protected as a whole.
func (w *World) pathOutside(p string) PathInfo {
	if !strings.Contains(p, "…") && !pathHasMeta(p) {
		if _, err := w.pathFS().Stat(p + "/.git"); err == nil {
			return pathMake(p, KindProject, "the git work tree "+w.pathShow(p), "")
		}
	}
	return pathMake(p, KindOutside, w.pathShow(p), "outside the project")
}

// pathAnchor is a protected path a pattern may reach.
type pathAnchor struct {
	path string
	// region: the anchor's inside is protected too; otherwise only the
	// anchor and the directories containing it are.
	region bool
}

// classifyGlob classifies an absolute pattern by what it can match.
func (w *World) classifyGlob(pat string, sc *pathScope) PathInfo {
	comps := pathComps(pat)
	first := -1
	for i, c := range comps {
		if pathHasMeta(c) {
			first = i
			break
		}
	}
	if first < 0 {
		return w.classifyAbs(pat, sc)
	}
	shown := w.pathShow(pat)
	hit := func(a pathAnchor, info PathInfo) (PathInfo, bool) {
		ac := pathComps(a.path)
		if !pathGlobTouches(comps, first, ac, !a.region, a.region) {
			return PathInfo{}, false
		}
		note := "can match " + info.Text()
		switch {
		case len(comps) < len(ac):
			note = "can match a directory containing " + info.Text()
		case len(comps) > len(ac):
			note = "can match files in " + info.Text()
		}
		out := pathMake(pat, info.Kind, shown, note)
		out.Glob = true
		return out, true
	}
	base := sc
	for _, g := range w.GuardPaths {
		if g == "" {
			continue
		}
		g = filepath.Clean(g)
		if out, ok := hit(pathAnchor{g, true}, w.classifyAbs(g, base)); ok {
			return out
		}
	}
	// A pattern that matches every name in a protected directory is that
	// directory's whole content: "~/*", "/*", "*" at the project root.
	prefix := "/" + strings.Join(comps[:first], "/")
	all := true
	for _, c := range comps[first:] {
		all = all && pathMatchesAll(c)
	}
	if all {
		dir := w.classifyAbs(prefix, sc)
		if dir.Class == PathProtected && dir.Kind != KindTemp && !systemCacheDir(prefix) {
			out := pathMake(pat, dir.Kind, "everything in "+dir.Desc, dir.Note)
			out.Glob = true
			return out
		}
	}
	if sc.home != "" {
		if out, ok := hit(pathAnchor{sc.home, false}, w.classifyAbs(sc.home, base)); ok {
			return out
		}
	}
	var anchors []pathAnchor
	if sc.home != "" {
		for _, c := range pathCredentials() {
			anchors = append(anchors, pathAnchor{sc.home + "/" + c, true})
		}
	}
	if sc.root != "" {
		anchors = append(anchors, pathAnchor{sc.root + "/.git", true}, pathAnchor{sc.root, false})
	}
	if first == 0 {
		for _, d := range pathSystemDirs() {
			anchors = append(anchors, pathAnchor{d, true})
		}
	}
	for _, t := range sc.temps {
		anchors = append(anchors, pathAnchor{t, false})
	}
	for _, pp := range w.Protected {
		anchors = append(anchors, pathAnchor{pp, true}, pathAnchor{pp, false})
	}
	for _, a := range anchors {
		if out, ok := hit(a, w.classifyAbs(a.path, base)); ok {
			return out
		}
	}
	info := w.classifyAbs(pat, sc)
	info.Glob = true
	return info
}

// pathGlobTouches reports whether the pattern comps (whose first glob
// component is at index first) can match the anchor itself, a directory
// containing it (when ancestors), or something inside it (when inside).
// Patterns whose glob lies below the anchor are left to literal
// classification.
func pathGlobTouches(comps []string, first int, anchor []string, ancestors, inside bool) bool {
	if first >= len(anchor) {
		return false
	}
	n := min(len(comps), len(anchor))
	for i := 0; i < n; i++ {
		if !pathMatchComp(comps[i], anchor[i]) {
			return false
		}
	}
	switch {
	case len(comps) < len(anchor):
		return ancestors
	case len(comps) > len(anchor):
		return inside
	}
	return true
}

// pathHasMeta reports whether s holds shell pattern characters.
func pathHasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

// pathMatchComp matches one path component against one pattern component
// as bash does by default: a leading dot must be matched explicitly.
// Extended globs (!(x), @(a|b)) are taken to match anything.
func pathMatchComp(pat, name string) bool {
	if !pathHasMeta(pat) && !strings.Contains(pat, "(") {
		return pat == name
	}
	if strings.HasPrefix(name, ".") && !strings.HasPrefix(pat, ".") {
		return false
	}
	if i := strings.IndexByte(pat, '('); i > 0 && strings.ContainsRune("?*+@!", rune(pat[i-1])) {
		return true
	}
	for strings.Contains(pat, "**") {
		pat = strings.ReplaceAll(pat, "**", "*")
	}
	ok, err := path.Match(pat, name)
	if err != nil {
		return pat == name
	}
	return ok
}

// findPathMatch matches a path as find's -path does (fnmatch without
// FNM_PATHNAME): "*" matches any run of characters, "/" included, "?" any
// one, "[...]" a class, and a backslash quotes the next character. It
// takes time proportional to the product of the lengths at worst.
func findPathMatch(pat, s string) bool {
	// The last "*" seen and where in s it started matching: on a
	// mismatch, that star takes one more character.
	starP, starS := -1, 0
	p, i := 0, 0
	for i < len(s) {
		if p < len(pat) {
			switch c := pat[p]; c {
			case '*':
				starP, starS = p, i
				p++
				continue
			case '?':
				p++
				i++
				continue
			case '[':
				if end := strings.IndexByte(pat[p+1:], ']'); end >= 0 {
					class := pat[p : p+end+2]
					if strings.HasPrefix(class, "[!") {
						class = "[^" + class[2:] // fnmatch's negation, in path.Match's spelling
					}
					if ok, err := path.Match(class, s[i:i+1]); err == nil && ok {
						p += end + 2
						i++
						continue
					}
					break
				}
				fallthrough
			default:
				if c == '\\' && p+1 < len(pat) {
					c = pat[p+1]
					if s[i] == c {
						p += 2
						i++
						continue
					}
					break
				}
				if s[i] == c {
					p++
					i++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		p, i = starP+1, starS
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// pathMatchesAll reports whether a pattern component matches any name a
// directory may hold (hidden names aside): "*", "**", "?*", "*?".
func pathMatchesAll(pat string) bool {
	for _, probe := range []string{"a", "src", "README.md", "Makefile", "main.go", "node_modules", "x-1_2", "Documents"} {
		if !pathMatchComp(pat, probe) {
			return false
		}
	}
	return true
}

// classifyRemote classifies a path on another machine, where home and
// project are unknown: absolute paths are judged against / and the system
// directories (scratch only under /tmp), relative ones are unknown.
func classifyRemote(word interceptor.Word, remote string) PathInfo {
	where := " on " + remote
	if word.Unknown || strings.Contains(word.Value, interceptor.UnknownMark) || !strings.HasPrefix(word.Value, "/") {
		info := pathUnknown(word.String(), "")
		info.Desc += where
		return info
	}
	p := filepath.Clean(word.Value)
	glob := word.Glob && pathHasMeta(p)
	lit := p
	if glob {
		comps := pathComps(p)
		for i, c := range comps {
			if pathHasMeta(c) {
				if i == 0 {
					if pathMatchesAll(c) {
						info := pathMake(p, KindRoot, "everything under /"+where, "")
						info.Glob = true
						return info
					}
					info := pathMake(p, KindSystem, p+where, "can match top-level directories")
					info.Glob = true
					return info
				}
				lit = "/" + strings.Join(comps[:i], "/")
				if i == len(comps)-1 && pathMatchesAll(c) {
					break
				}
				lit += "/…"
				break
			}
		}
	}
	var info PathInfo
	switch {
	case p == "/":
		info = pathMake(p, KindRoot, "the root directory /"+where, "")
	case p == "/tmp" || lit == "/tmp" && glob:
		if glob {
			info = pathMake(p, KindScratch, p+where, "in the temporary directory /tmp")
		} else {
			info = pathMake(p, KindTemp, "the temporary directory /tmp"+where, "")
		}
	case strings.HasPrefix(lit, "/tmp/"):
		info = pathMake(p, KindScratch, p+where, "in the temporary directory /tmp")
	default:
		if d, ok := pathSystemDirOf(lit); ok {
			if p == d {
				info = pathMake(p, KindSystem, "the system directory "+d+where, "")
			} else {
				info = pathMake(p, KindSystem, p+where, "in the system directory "+d)
			}
		} else if path.Dir(lit) == "/" {
			info = pathMake(p, KindSystem, "the top-level directory "+lit+where, "")
		} else if d := containerScratch(lit, remote); d != "" {
			info = pathMake(p, KindScratch, p+where, "in the container's "+d+" directory")
		} else {
			info = pathMake(p, KindOutside, p+where, "")
		}
	}
	info.Glob = glob
	return info
}

// containerScratch returns the temp or cache directory name that p lies
// in below its top-level directory, when remote is a container guard
// execs into (docker exec app rm -rf /app/tmp/cache): the container is
// made again from its image, and what a tmp or cache directory holds is
// made again by the application. "" otherwise, and always on other hosts.
func containerScratch(p, remote string) string {
	engine, _, _ := strings.Cut(remote, " ")
	if engine != "docker" && engine != "podman" || !strings.Contains(remote, " exec") {
		return ""
	}
	comps := pathComps(p)
	for _, c := range comps[min(1, len(comps)):] {
		switch c {
		case "tmp", "cache", ".cache", "node_modules", "__pycache__":
			return c
		}
	}
	return ""
}

// pathIsDiskDevice reports whether p is a disk, partition or memory device
// that writing to destroys data: /dev/sda, /dev/nvme0n1, /dev/disk2,
// /dev/mapper/x. /dev/null and the terminal devices are not.
func pathIsDiskDevice(p string) bool {
	rest, ok := strings.CutPrefix(p, "/dev/")
	if !ok {
		return false
	}
	if strings.HasPrefix(rest, "disk/") || strings.HasPrefix(rest, "mapper/") || strings.HasPrefix(rest, "md/") {
		return true
	}
	if strings.Contains(rest, "/") {
		return false
	}
	switch rest {
	case "mem", "kmem", "port":
		return true
	}
	for _, pre := range []string{"sd", "hd", "vd", "xvd", "nvme", "mmcblk", "md", "dm-", "loop", "nbd", "sr", "disk", "rdisk", "zd", "rbd", "ubd", "ram", "mtdblock", "bcache", "zram"} {
		if strings.HasPrefix(rest, pre) && len(rest) > len(pre) && rest != "loop-control" {
			return true
		}
	}
	if strings.HasPrefix(rest, "fd") && len(rest) > 2 && rest[2] >= '0' && rest[2] <= '9' {
		return true // floppy
	}
	return false
}

// pathIsHarmlessDevice reports whether writing to p is everyday output:
// /dev/null, the standard streams, the terminal.
func pathIsHarmlessDevice(p string) bool {
	rest, ok := strings.CutPrefix(p, "/dev/")
	if !ok {
		return false
	}
	switch rest {
	case "null", "zero", "full", "random", "urandom", "stdout", "stderr", "stdin", "tty", "ptmx", "console":
		return true
	}
	return strings.HasPrefix(rest, "fd/") || strings.HasPrefix(rest, "pts/") || strings.HasPrefix(rest, "tty")
}

// pathGuardHit reports which of guard's own paths an operation on word,
// run in cwd, reaches: the word names it or something inside it, or (when
// ancestors) a directory containing it. A glob reaches what it can match.
// A word whose unknown part comes after a directory inside guard's paths
// still reaches them.
func (w *World) pathGuardHit(word interceptor.Word, cwd string, ancestors bool) (g string, ancestor, ok bool) {
	v := word.Value
	if word.Unknown || strings.Contains(v, interceptor.UnknownMark) {
		i := strings.Index(v, interceptor.UnknownMark)
		if i < 0 {
			return "", false, false
		}
		j := strings.LastIndexByte(v[:i], '/')
		if j < 0 {
			return "", false, false
		}
		dir := interceptor.ResolvePath(cwd, v[:j+1])
		if dir == "" {
			return "", false, false
		}
		if g, ok := w.pathGuardOf(dir); ok {
			return g, false, true
		}
		return "", false, false
	}
	if !ancestors && !word.Glob && !w.guardReachable(v, cwd) {
		return "", false, false
	}
	abs := interceptor.ResolvePath(cwd, v)
	if abs == "" {
		return "", false, false
	}
	var comps []string // a glob's components; a plain path needs none
	first := -1
	if word.Glob {
		comps = pathComps(abs)
		for i, c := range comps {
			if pathHasMeta(c) {
				first = i
				break
			}
		}
	}
	for _, g := range w.GuardPaths {
		if g == "" {
			continue
		}
		g = filepath.Clean(g)
		if first < 0 {
			if pathWithin(g, abs) {
				return g, false, true
			}
			if ancestors && pathWithin(abs, g) {
				return g, true, true
			}
			continue
		}
		lit := "/" + strings.Join(comps[:first], "/")
		if pathWithin(g, lit) {
			return g, false, true
		}
		gc := pathComps(g)
		if slices.Contains(comps[first:], "**") {
			inside := func(rest []string) bool {
				for _, e := range guardEntries {
					if pathStarStarMatch(rest, e) {
						if w.pathExists(filepath.Join(g, e[0])) {
							return true
						}
					}
				}
				return false
			}
			if hit, anc := pathStarStarReaches(comps[first:], gc[min(first, len(gc)):], ancestors, inside); hit && first <= len(gc) && pathCompsEqual(comps[:first], gc[:first]) {
				return g, anc, true
			}
			continue
		}
		if pathGlobTouches(comps, first, gc, ancestors, true) {
			return g, len(comps) < len(gc), true
		}
	}
	return "", false, false
}

// guardEntries are what guard keeps inside its own directories, relative
// to them ("x" stands for any name): a "**" pattern reaches into them only
// through one of these that exists.
var guardEntries = [][]string{
	{"guard.toml"}, {"audit.jsonl"}, {"approvals"}, {"approvals", "x.json"}, {"approvals", ".lock"},
	{"cache"}, {"cache", "sources"}, {"cache", "sources", "x"}, {"state.key"},
}

// pathStarStarReaches reports whether the pattern comps, in which "**"
// matches any number of components (hidden ones too, as with find's
// matches: "find ~/.config -name guard" deletes ~/.config/**/guard), can
// name the path gc, a directory holding it (when ancestors; anc is then
// set), or something inside it that inside accepts (given the rest of the
// pattern). Unlike a plain glob, such a pattern is not taken to reach
// everything inside the directory: "find ~ -name '*.pyc'" does not reach
// guard's files, "find ~ -name '*.toml'" does.
func pathStarStarReaches(comps, gc []string, ancestors bool, inside func(rest []string) bool) (hit, anc bool) {
	switch {
	case len(comps) == 0 && len(gc) == 0:
		return true, false
	case len(comps) == 0:
		return ancestors, true
	case len(gc) == 0:
		if !slices.ContainsFunc(comps, func(c string) bool { return c != "**" }) {
			return true, false
		}
		return inside(comps), false
	case comps[0] == "**":
		if h, a := pathStarStarReaches(comps[1:], gc, ancestors, inside); h {
			return h, a
		}
		return pathStarStarReaches(comps, gc[1:], ancestors, inside)
	case !pathMatchComp(comps[0], gc[0]):
		return false, false
	}
	return pathStarStarReaches(comps[1:], gc[1:], ancestors, inside)
}

// pathStarStarMatch reports whether the pattern comps names exactly the
// path names, "**" matching any number of components.
func pathStarStarMatch(comps, names []string) bool {
	switch {
	case len(comps) == 0:
		return len(names) == 0
	case comps[0] == "**":
		return pathStarStarMatch(comps[1:], names) || len(names) > 0 && pathStarStarMatch(comps, names[1:])
	case len(names) == 0 || !pathMatchComp(comps[0], names[0]):
		return false
	}
	return pathStarStarMatch(comps[1:], names[1:])
}

// pathCompsEqual reports whether two lists of path components are equal.
func pathCompsEqual(a, b []string) bool { return slices.Equal(a, b) }

// guardReachable is a cheap, allocation-free pre-check for pathGuardHit: it
// reports false only when the plain path v (no glob, no "..", no "." or
// empty components) resolved against cwd cannot be inside any of guard's
// paths. In doubt it reports true and the full check decides. Most
// arguments of everyday commands are rejected here.
func (w *World) guardReachable(v, cwd string) bool {
	for strings.HasPrefix(v, "./") {
		v = v[2:]
	}
	if v == "" || v == "." || strings.Contains(v, "//") || strings.Contains(v, "/./") ||
		strings.Contains(v, "..") || strings.HasSuffix(v, "/.") {
		return true
	}
	for _, g := range w.GuardPaths {
		if g == "" || g == "/" {
			return true
		}
		if strings.HasPrefix(v, "/") {
			if strings.HasPrefix(v, g) {
				return true
			}
			continue
		}
		// Relative: cwd/v is inside g only if cwd is inside g, or g is
		// inside cwd.
		if cwd == "" || cwd == "/" || under(cwd, g) || under(g, cwd) {
			return true
		}
	}
	return false
}

// under reports whether p is dir or inside it, without allocating.
func under(p, dir string) bool {
	return strings.HasPrefix(p, dir) && (len(p) == len(dir) || p[len(dir)] == '/')
}
