package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// "sudo chown -R $(whoami) ~/.npm" is the standard fix for a tool cache a
// "sudo npm install" left owned by root: it gives the user back a
// directory of their own home that only tools write. Changing the owner of
// such a directory to the user running the command destroys nothing and
// grants nobody else anything, so it is allowed when both hold:
//
//   - the new owner is the user: $(whoami), $(id -u), $(id -un), $USER or
//     $LOGNAME as guard knows them (not assigned by the script), or the
//     user's name itself; a group, when given, is the user's primary group
//     ($(id -g), $(id -gn)), the user's name, or none ("user:" means the
//     login group);
//   - the path is a tool's directory under home (toolDirs), or in one of
//     the caches the path model knows (homeCacheDir): not home itself, not
//     ~/.ssh, ~/.gnupg or another directory holding credentials or
//     configuration that runs.
//
// Any other owner (root, another user, one that cannot be known) or path
// is judged as before.

// toolDirs are directories under home that tools keep their caches,
// toolchains and installed packages in.
func toolDirs() []string {
	return []string{
		".npm", ".cache", ".yarn", ".pnpm-store", ".node-gyp", ".nvm", ".bun", ".deno",
		".cargo", ".rustup", ".gradle", ".m2", ".ivy2", ".sbt", ".gem", ".bundle", ".composer",
		".pub-cache", ".cocoapods", ".conda", ".pyenv", ".rbenv", ".nodenv", ".pip", ".nuget",
		"go", "Library/Caches", ".local/share/pnpm", ".local/share/virtualenvs", ".local/pipx",
	}
}

// chownToSelf reports whether effect e, a change of owner, gives the tool
// directory info to the user running the command.
func (w *World) chownToSelf(c *Call, e fsEffect, info PathInfo) bool {
	if e.owner == nil || c.Inv.Remote != "" || info.Glob || !w.ownerIsSelf(*e.owner) {
		return false
	}
	home := w.Home
	if home == "" || home == "/" || !pathWithin(home, info.Path) || info.Path == home {
		return false
	}
	rel := info.Path[len(home)+1:]
	if _, _, ok := homeCacheDir(rel); ok {
		return true
	}
	for _, d := range toolDirs() {
		if rel == d || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// ownerIsSelf reports whether a chown OWNER[:GROUP] word names the user
// running the command (and their group).
func (w *World) ownerIsSelf(word interceptor.Word) bool {
	user := w.Analysis.User
	v := word.Value
	sep := strings.IndexAny(v, ":")
	if sep < 0 && !strings.Contains(v, interceptor.UnknownMark) {
		sep = strings.IndexByte(v, '.') // the old OWNER.GROUP
	}
	owner, group := v, ""
	if sep >= 0 {
		owner, group = v[:sep], v[sep+1:]
	}
	if word.Glob {
		return false
	}
	if owner == "" && sep < 0 {
		return false
	}
	return selfPart(owner, "u", user, true) && selfPart(group, "g", user, true)
}

// selfPart reports whether one side of OWNER:GROUP is the user's (which
// "u") or their primary group's ("g"): empty (unchanged, or the login
// group), a KindSelf value, or the user's name.
func selfPart(s, which, user string, emptyOK bool) bool {
	if s == "" {
		return emptyOK
	}
	if k, data, rest, ok := interceptor.ValueKindOf(s); ok {
		return k == interceptor.KindSelf && data == which && rest == ""
	}
	return user != "" && s == user
}
