package rules

import (
	"strings"
	"testing"
)

// selfCases are the self pack's rule cases: each rule fires, and reading
// guard's files or running guard check does not.
func selfCases() []ruleCase {
	return []ruleCase{
		// self.modify-guard: the public corpus.
		{"rm ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{`echo 'default = "allow"' > ~/.config/guard/guard.toml`, Deny, "self.modify-guard"},
		{"mv ~/.config/guard ~/.config/guard.bak", Deny, "self.modify-guard"},
		// Deleting, moving away.
		{"rm -rf ~/.config/guard", Deny, "self.modify-guard"},
		{"rm -rf ~/.config", Deny, "self.modify-guard"},
		{"rm -rf ~/.config/*", Deny, "self.modify-guard"},
		{"rm -rf ~/.config/gu*", Deny, "self.modify-guard"},
		{"rm -rf ~/.local", Deny, "self.modify-guard"},
		{"rm -rf ~/.local/state/guard/approvals/*", Deny, "self.modify-guard"},
		{"rm ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"unlink ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"shred -u ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"cd ~/.config && rm -rf guard", Deny, "self.modify-guard"},
		{"find ~/.config -delete", Deny, "self.modify-guard"},
		{"find ~/.config/guard -name '*.toml' -delete", Deny, "self.modify-guard"},
		// find's name filters match at any depth below the start path.
		{"find ~/.config -name guard -exec rm -rf {} +", Deny, "self.modify-guard"},
		{"find ~ -name guard -delete", Deny, "self.modify-guard"},
		{"find ~/.config -name 'gu*' -delete", Deny, "self.modify-guard"},
		{"find ~ -iname .CONFIG -exec rm -rf {} +", Deny, "self.modify-guard"},
		{"find ~/.config -name '*.toml' -delete", Deny, "self.modify-guard"},
		{"find ~/.local -name guard -exec rm -rf {} +", Deny, "self.modify-guard"},
		{"find ~ -path '*guard*' -delete", Deny, "self.modify-guard"},
		{"docker run --rm -v $HOME/.config/guard:/g alpine rm -rf /g", Deny, "self.modify-guard"},
		{"docker run --rm -v $HOME/.config:/c alpine sh -c 'rm -rf /c/guard'", Deny, "self.modify-guard"},
		{"find ~/.config -path '*/guard' -exec rm -rf {} +", Deny, "self.modify-guard"},
		{"find ~ -wholename '*/.config/guard/guard.toml' -delete", Deny, "self.modify-guard"},
		{"find ~ -ipath '*/.CONFIG' -exec rm -rf {} +", Deny, "self.modify-guard"},
		{"mv ~/.local/bin/guard /tmp/", Deny, "self.modify-guard"},
		{"mv ~/.config ~/.config-old", Deny, "self.modify-guard"},
		{"rsync -a --delete empty/ ~/.config/", Deny, "self.modify-guard"},
		{"tar -czf /tmp/g.tgz --remove-files ~/.config/guard", Deny, "self.modify-guard"},
		{"rm -rf ~", Deny, "self.modify-guard"},
		// Writing, truncating, editing.
		{"echo x >> ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"> ~/.local/state/guard/audit.jsonl", Deny, "self.modify-guard"},
		{"truncate -s 0 ~/.local/state/guard/audit.jsonl", Deny, "self.modify-guard"},
		{"tee ~/.config/guard/guard.toml < new.toml", Deny, "self.modify-guard"},
		{"cat new.toml | tee -a ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"dd if=new.toml of=/home/u/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"sed -i 's/deny/allow/' ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"perl -pi -e 's/deny/allow/' ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"vim ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"touch ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"mkdir -p ~/.config/guard/conf.d", Deny, "self.modify-guard"},
		{"cd ~/.config/guard && echo x > guard.toml", Deny, "self.modify-guard"},
		{`echo x > "$HOME/.config/guard/$(date +%s)"`, Deny, "self.modify-guard"},
		{"chmod 000 ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"chown root ~/.config/guard", Deny, "self.modify-guard"},
		// Replacing the binary, copying over the config.
		{"cp /bin/true ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"ln -sf /bin/true ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"install -m 755 bin/guard ~/.local/bin/guard", Deny, "self.modify-guard"},
		{"mv /tmp/evil.toml ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{"cp -r myconf/guard ~/.config/", Deny, "self.modify-guard"},
		{"cp guard.toml ~/.config/guard", Deny, "self.modify-guard"},
		{"tar -xf x.tar -C ~/.config/guard", Deny, "self.modify-guard"},
		{"go build -o ~/.local/bin/guard ./cmd/guard", Deny, "self.modify-guard"},
		{"curl -sSLo ~/.local/bin/guard https://example.com/guard", Deny, "self.modify-guard"},
		{"curl --output ~/.local/bin/guard https://example.com/guard", Deny, "self.modify-guard"},
		{"wget -O ~/.local/bin/guard https://example.com/guard", Deny, "self.modify-guard"},
		// Through wrappers and nested shells.
		{"sudo rm -rf ~/.config/guard", Deny, "self.modify-guard"},
		{"bash -c 'rm -f ~/.config/guard/guard.toml'", Deny, "self.modify-guard"},
		{"echo 'rm ~/.config/guard/guard.toml' | sh", Deny, "self.modify-guard"},
		{"F=~/.config/guard/guard.toml; : > $F", Deny, "self.modify-guard"},

		// self.approve
		{"guard approve 1234", Deny, "self.approve"},
		{"~/.local/bin/guard approve abc", Deny, "self.approve"},
		{"sudo guard approve abc", Deny, "self.approve"},
		{"bash -c 'guard approve abc'", Deny, "self.approve"},
		{"guard --quiet approve abc", Deny, "self.approve"},

		// self.may-modify-guard
		{"python3 edit.py ~/.config/guard/guard.toml", Confirm, "self.may-modify-guard"},
		{"git -C ~/.config/guard checkout .", Confirm, "self.may-modify-guard"},
		{"some-tool --config=/home/u/.config/guard/guard.toml", Confirm, "self.may-modify-guard"},
		{"chmod -R 700 ~/.config", Confirm, "self.may-modify-guard"},
		{"tar xzf dotfiles.tgz -C ~", Confirm, "self.may-modify-guard"},
		{"rsync -a dotfiles/ ~/", Confirm, "self.may-modify-guard"},
		{"cp -r dotfiles/.config ~/", Confirm, "self.may-modify-guard"},

		// self.read-key: guard's signing key is read by nothing but guard.
		{"cat ~/.local/state/guard/state.key", Deny, "self.read-key"},
		{"cat /home/u/.local/state/guard/state.key", Deny, "self.read-key"},
		{"cd ~/.local/state/guard && cat state.key", Deny, "self.read-key"},
		{"xxd ~/.local/state/guard/state.key", Deny, "self.read-key"},
		{"base64 < ~/.local/state/guard/state.key", Deny, "self.read-key"},
		{"K=$(< ~/.local/state/guard/state.key)", Deny, "self.read-key"},
		{"cat ~/.local/state/guard/*", Deny, "self.read-key"},
		{"head -c 64 ~/.local/state/guard/state.*", Deny, "self.read-key"},
		{"cp ~/.local/state/guard/state.key /tmp/k", Deny, "self.read-key"},
		{"ln -s ~/.local/state/guard/state.key k", Deny, "self.read-key"},
		{"python3 -c 'print(1)' --key=/home/u/.local/state/guard/state.key", Deny, "self.read-key"},
		{"sudo cat ~/.local/state/guard/state.key", Deny, "self.read-key"},
		{"bash -c 'cat ~/.local/state/guard/state.key'", Deny, "self.read-key"},
		{"F=~/.local/state/guard/state.key; openssl dgst -sha256 -hmac $(cat $F) x", Deny, "self.read-key"},
		{"cp -r ~/.local/state/guard /tmp/backup", Deny, "self.read-key"},
		{"tar czf /tmp/s.tgz ~/.local/state/guard", Deny, "self.read-key"},
		{"grep -r approved ~/.local/state/guard", Deny, "self.read-key"},
		{"rg -uu . ~/.local/state/guard", Deny, "self.read-key"},
		{"find ~/.local/state/guard -type f -exec cat {} +", Deny, "self.read-key"},
		{"rsync -a ~/.local/state/guard/ /tmp/b/", Deny, "self.read-key"},

		// Reading guard's files, running guard check: allowed.
		{"ls -la ~/.local/state/guard", Allow, ""},
		{"ls -l ~/.local/state/guard/state.key", Allow, ""},
		{"stat ~/.local/state/guard/state.key", Allow, ""},
		{"test -f ~/.local/state/guard/state.key && echo yes", Allow, ""},
		{"cat ~/.local/state/guard/approvals/*.json", Allow, ""},
		{"grep deny ~/.local/state/guard/audit.jsonl", Allow, ""},
		{"grep -r approved ~/.local/state/guard/approvals", Allow, ""},
		{"cp ~/.local/state/guard/audit.jsonl /tmp/", Allow, ""},
		{"cat ~/.local/state/guard/audit.*", Allow, ""},
		{"find ~/.local/state/guard -name '*.json'", Allow, ""},
		{"du -sh ~/.local/state/guard", Allow, ""},
		{"cat ~/.local/state/other/state.key", Allow, ""},
		{"cat state.key", Allow, ""},
		{"echo ~/.local/state/guard/state.key", Allow, ""},
		{"cat ~/.config/guard/guard.toml", Allow, ""},
		{"less ~/.config/guard/guard.toml", Allow, ""},
		{"grep -n deny ~/.config/guard/guard.toml", Allow, ""},
		{"ls -la ~/.config/guard", Allow, ""},
		{"tail -f ~/.local/state/guard/audit.jsonl", Allow, ""},
		{"jq . ~/.local/state/guard/audit.jsonl", Allow, ""},
		{"sort ~/.local/state/guard/audit.jsonl | uniq -c", Allow, ""},
		{"diff ~/.config/guard/guard.toml guard.toml.example", Allow, ""},
		{"sed -n 1,20p ~/.config/guard/guard.toml", Allow, ""},
		{"cp ~/.config/guard/guard.toml /tmp/g.toml", Allow, ""},
		{"cp -r ~/.config/guard /tmp/guard-backup", Allow, ""},
		{"tar czf /tmp/guard-backup.tgz ~/.config/guard", Allow, ""},
		{"rsync -a ~/.config/guard/ /tmp/backup/", Allow, ""},
		{"ln -s ~/.config/guard/guard.toml ./guard.toml", Allow, ""},
		{"find ~/.config/guard -name '*.toml'", Allow, ""},
		// Name filters that match none of guard's files are left to fs.
		{"find ~/.config -name '*.bak' -delete", Allow, ""},
		{"find ~ -name '*.pyc' -delete", Allow, ""},
		{"find ~/.local -name '*.log' -delete", Allow, ""},
		{"find . -name guard -prune -o -name '*.o' -delete", Allow, ""},
		{"find ~ -path '*/node_modules/*' -delete", Allow, ""},
		{"find ~/.config -path '*/nvim/*.bak' -delete", Allow, ""},
		{"cd ~/.config/guard && ls", Allow, ""},
		{"echo ~/.config/guard", Allow, ""},
		{"cat ~/.config/guard/guard.toml > /tmp/g.toml", Allow, ""},
		{"wc -l < ~/.local/state/guard/audit.jsonl", Allow, ""},
		{"guard check 'rm -rf ~'", Allow, ""},
		{"guard check --json -- 'git push --force'", Allow, ""},
		{"guard log", Allow, ""},
		{"guard rules", Allow, ""},
		{"~/.local/bin/guard doctor", Allow, ""},
		{"echo 'guard approve 12' > notes.txt", Allow, ""},
		{"go build -o bin/guard ./cmd/guard", Allow, ""},
		{"cp x ~/.config/", Allow, ""},
		{"mv ~/.config/guard.bak/x /tmp/", Allow, ""},
		{"rm -rf ~/.config/other-app", Allow, ""},
		{"rm -rf ~/*", Allow, ""}, // "*" does not match .config; the fs pack denies this
		{"chmod 700 ~/.config", Allow, ""},
		{"ssh prod 'rm -rf ~/.config/guard'", Allow, ""}, // another machine's guard
		{"ssh prod 'rm -rf /home'", Allow, ""},           // the fs pack confirms it
		{"ssh localhost 'rm -rf /home/u/.config/guard'", Deny, "self.modify-guard"},
		{"rm -rf build", Allow, ""},
		{"echo hi > hello.txt", Allow, ""},
	}
}

func TestSelfRules(t *testing.T) {
	runRuleCases(t, selfCases(), SelfPack())
}

func TestSelfEveryRule(t *testing.T) {
	fired := map[string]bool{}
	for _, c := range selfCases() {
		fired[c.rule] = true
	}
	for _, r := range SelfPack().Rules {
		if !fired[r.ID] {
			t.Errorf("rule %s has no case that fires it", r.ID)
		}
	}
}

func TestSelfReasons(t *testing.T) {
	cases := []struct{ src, reason string }{
		{"rm ~/.config/guard/guard.toml", "deletes ~/.config/guard/guard.toml (in guard's own config ~/.config/guard): only a human may change guard's own files"},
		{"mv ~/.config/guard ~/.config/guard.bak", "moves guard's own config ~/.config/guard away"},
		{"rm -rf ~/.config", "deletes ~/.config recursively, which holds guard's own config ~/.config/guard"},
		{"rm -rf ~/.config/*", "which can match guard's own config ~/.config/guard"},
		{"guard approve 1234", "only a human may approve a command, in their own terminal"},
		{"go build -o ~/.local/bin/guard ./cmd/guard", "go writes its output to guard's own binary ~/.local/bin/guard"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, SelfPack())
		found := false
		for _, f := range v.Findings {
			if strings.Contains(f.Reason, c.reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no finding whose reason contains %q; findings %+v", c.src, c.reason, v.Findings)
		}
	}
}

// TestSelfWithFS checks that fs and self together give the decision a
// user expects: guard's own files are denied whatever fs would say.
func TestSelfWithFS(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"rm ~/.config/guard/guard.toml", Deny, "self.modify-guard"},
		{`echo 'default = "allow"' > ~/.config/guard/guard.toml`, Deny, "self.modify-guard"},
		{"mv ~/.config/guard ~/.config/guard.bak", Deny, "self.modify-guard"},
		{"rm -rf ~/.config", Deny, "self.modify-guard"},
		{"rm -rf ~/*", Deny, "fs.rm-home"},
		{"cat ~/.config/guard/guard.toml", Allow, ""},
		{"guard check 'rm -rf ~'", Allow, ""},
	}, FSPack(), SelfPack())
}
