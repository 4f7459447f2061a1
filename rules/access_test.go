package rules

import "testing"

func TestAccessFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"iptables -F", Confirm, "access.firewall"},
		{"sudo iptables --flush INPUT", Confirm, "access.firewall"},
		{"iptables -t nat -F", Confirm, "access.firewall"},
		{"ip6tables -X", Confirm, "access.firewall"},
		{"iptables -P INPUT DROP", Confirm, "access.firewall"},
		{"iptables -w -F", Confirm, "access.firewall"},
		{"nft flush ruleset", Confirm, "access.firewall"},
		{"nft delete table inet filter", Confirm, "access.firewall"},
		{"ufw disable", Confirm, "access.firewall"},
		{"ufw --force reset", Confirm, "access.firewall"},
		{"firewall-cmd --panic-on", Confirm, "access.firewall"},
		{"systemctl stop sshd", Confirm, "access.ssh-stop"},
		{"sudo systemctl disable --now ssh.service", Confirm, "access.ssh-stop"},
		{"systemctl mask ssh.socket", Confirm, "access.ssh-stop"},
		{"service ssh stop", Confirm, "access.ssh-stop"},
		{"userdel -r deploy", Confirm, "access.user-delete"},
		{"userdel ci", Confirm, "access.user-delete"},
		{"deluser --remove-home deploy", Confirm, "access.user-delete"},
	}, AccessPack())
}

func TestAccessAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"iptables -L -n -v", Allow, ""},
		{"iptables -S", Allow, ""},
		{"iptables -A INPUT -p tcp --dport 443 -j ACCEPT", Allow, ""},
		{"iptables -P INPUT ACCEPT", Allow, ""},
		{"iptables -P FORWARD DROP", Allow, ""},
		{"nft list ruleset", Allow, ""},
		{"ufw status verbose", Allow, ""},
		{"ufw allow 443/tcp", Allow, ""},
		{"ufw enable", Allow, ""},
		{"firewall-cmd --list-all", Allow, ""},
		{"systemctl restart sshd", Allow, ""},
		{"systemctl status ssh", Allow, ""},
		{"systemctl stop nginx", Allow, ""},
		{"systemctl enable --now ssh", Allow, ""},
		{"service nginx stop", Allow, ""},
		{"deluser deploy docker", Allow, ""},
		{"deluser --group oldteam", Allow, ""},
	}, AccessPack())
}

func TestAccessReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"iptables -F", "access.firewall", []string{"every chain of the filter table"}},
		{"iptables -P INPUT DROP", "access.firewall", []string{"INPUT chain to DROP", "SSH session"}},
		{"systemctl stop sshd", "access.ssh-stop", []string{"over SSH"}},
		{"userdel -r deploy", "access.user-delete", []string{"user deploy with their home directory"}},
	}, AccessPack())
}
