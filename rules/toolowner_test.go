package rules

import "testing"

// TestChownToolDirToSelf: giving a tool's directory under home back to the
// user is allowed; another owner, home itself, credential stores, or a
// user that is not the one running the command still confirm.
func TestChownToolDirToSelf(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"sudo chown -R $(whoami) ~/.npm", Allow, ""},
		{"sudo chown -R $(whoami):$(id -gn) ~/.npm", Allow, ""},
		{`sudo chown -R "$(id -u):$(id -g)" ~/.cache ~/.config/../.cargo`, Allow, ""},
		{"sudo chown -R $USER ~/.gradle", Allow, ""},
		{"sudo chown -R $USER: ~/Library/Caches", Allow, ""},
		{"sudo chown -R u:u ~/.nvm", Allow, ""},
		{"sudo chown -R $(whoami) ~/.cache/pip", Allow, ""},
		{"sudo chgrp -R $(id -g) ~/.npm", Allow, ""},
		{"sudo chown -R root ~", Deny, "fs.chmod-root"},
		{"sudo chown -R $(whoami) ~", Deny, "fs.chmod-root"},
		{"sudo chown -R root ~/.npm", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami) ~/.ssh", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami) ~/.gnupg", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami) ~/.npm/../.ssh", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami) ~/.bashrc.d", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami):root ~/.npm", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(id -g) ~/.npm", Confirm, "fs.chmod-protected"},
		{"sudo chown -R nobody ~/.npm", Confirm, "fs.chmod-protected"},
		{"USER=root; sudo chown -R $USER ~/.npm", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $OWNER ~/.npm", Confirm, "fs.chmod-protected"},
		{"sudo bash -c 'chown -R $(whoami) ~/.npm'", Confirm, "fs.chmod-protected"},
		{"sudo bash -c 'chown -R $USER ~/.npm'", Confirm, "fs.chmod-protected"},
		{"sudo chown -R $(whoami) /usr/local/lib", Confirm, ""},
	}, FSPack())
}
