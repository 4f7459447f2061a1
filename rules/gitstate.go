package rules

import "strings"

// git keeps the state of an operation in progress in files of their own
// in .git: a rebase in .git/rebase-merge or .git/rebase-apply, a merge in
// MERGE_HEAD and MERGE_MSG, a cherry-pick in CHERRY_PICK_HEAD, and so on.
// When such an operation was interrupted badly, git's own message says to
// remove them ("rm -fr .git/rebase-merge"), and they hold nothing that is
// not in the objects and refs. A hook in .git/hooks is one script the user
// installed, usually by a tool that installs it again; deleting one is
// everyday work. Everything else in .git (objects, refs, config, the
// index, the hooks directory itself) keeps its protection.

// gitStateEntry reports whether rel, a path relative to a .git directory,
// is operation state git rebuilds or a single hook, and says which.
func gitStateEntry(rel string) (string, bool) {
	first, rest, _ := strings.Cut(rel, "/")
	switch first {
	case "rebase-merge", "rebase-apply", "sequencer":
		return "the state of an interrupted rebase or cherry-pick", true
	case "MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "MERGE_RR", "AUTO_MERGE", "CHERRY_PICK_HEAD",
		"REVERT_HEAD", "SQUASH_MSG", "FETCH_HEAD", "ORIG_HEAD", "COMMIT_EDITMSG", "gc.log":
		if rest == "" {
			return "state git writes for the operation in progress", true
		}
	case "hooks":
		if rest != "" && !strings.Contains(rest, "/") {
			return "a git hook", true
		}
	}
	return "", false
}
