package rules

import "testing"

// TestSessionProjectBuildDirs: the session's project's build and
// dependency directories, named from outside it, are scratch; its sources,
// the project itself and other projects are not.
func TestSessionProjectBuildDirs(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"cd ~ && rm -rf ~/code/app/node_modules", Allow, ""},
		{"cd / && rm -rf /home/u/code/app/target/debug", Allow, ""},
		{"cd ~ && rm -rf ~/code/app/packages/web/dist ~/code/app/.venv", Allow, ""},
		{"cd ~ && rm -rf ~/code/app/node_modules/*", Allow, ""},
		{"cd ~ && rm -rf ~/code/app/src", Confirm, "fs.rm-outside"},
		{"cd ~ && rm -rf ~/code/app", Confirm, "fs.rm-protected"},
		{"cd ~ && rm -rf ~/code/app/*", Confirm, "fs.rm-protected"},
		{"cd ~ && rm -rf ~/code/app/.git/build", Confirm, "fs.rm-protected"},
		{"cd ~ && rm -rf ~/other/node_modules", Confirm, ""},
		{"cd ~ && rm -rf ~/code/app/node_modules/../src", Confirm, "fs.rm-outside"},
		{"rm -rf ~/node_modules", Confirm, "fs.rm-protected"},
	}, FSPack())
}
