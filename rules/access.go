package rules

import "strings"

// AccessPack returns the rules about the ways into a machine: flushing or
// disabling its firewall (every port open, or every connection dropped
// when the default policy is DROP, which locks out the session that ran
// it), stopping or disabling its SSH server, and deleting user accounts
// with their home directories.
//
//   - iptables/ip6tables: -F/--flush, -X, -P CHAIN DROP|REJECT on INPUT;
//     iptables-restore of an empty rule set is left to what it reads.
//   - nft flush ruleset, nft delete table.
//   - ufw disable and reset; firewall-cmd --panic-on.
//   - systemctl stop/disable/mask of ssh or sshd (also "service ssh stop").
//   - userdel and deluser (with -r/--remove-home, the home directory too).
//
// Listing rules, adding rules and restarting services report nothing.
func AccessPack() *Pack {
	return &Pack{
		Name:     "access",
		Commands: []string{"iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "systemctl", "service", "userdel", "deluser"},
		Check:    accCheck,
		Rules: []Rule{
			{ID: "access.firewall", Default: Confirm, Summary: "iptables -F/-X/-P INPUT DROP, nft flush ruleset, ufw disable/reset, firewall-cmd --panic-on: opens every port or locks everyone out"},
			{ID: "access.ssh-stop", Default: Confirm, Summary: "systemctl stop/disable/mask ssh(d), service ssh stop: no one can log in over SSH"},
			{ID: "access.user-delete", Default: Confirm, Summary: "userdel, deluser: deletes a user account (with -r, its home directory)"},
		},
	}
}

// accCheck dispatches on the tool.
func accCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "iptables", "ip6tables":
		accIptables(c)
	case "nft":
		accNft(c)
	case "ufw":
		a := cliParse(c.Inv.Args, cliSpec{})
		switch a.op(0).Value {
		case "disable":
			c.Report("access.firewall", "disables ufw: the firewall's rules stop applying and every listening port is open")
		case "reset":
			c.Report("access.firewall", "resets ufw: the firewall is disabled and its rules are deleted, so every listening port is open")
		}
	case "firewall-cmd":
		a := cliParse(c.Inv.Args, cliSpec{})
		if a.on("--panic-on") {
			c.Report("access.firewall", "turns on firewalld's panic mode: every connection, the SSH session that ran it too, is dropped")
		}
	case "systemctl", "service":
		accSSH(c)
	case "userdel", "deluser":
		accUserdel(c)
	}
}

// accIptables judges iptables and ip6tables.
func accIptables(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "tPAIDRNjisodp", long: []string{"--table", "--policy", "--append", "--insert",
		"--delete", "--replace", "--new-chain", "--jump", "--in-interface", "--source", "--out-interface", "--destination",
		"--protocol", "--dport", "--sport", "--match", "--comment", "--to-destination", "--to-source"}})
	table := a.str("-t", "--table")
	if table == "" {
		table = "filter"
	}
	switch {
	case a.has("-F", "--flush"):
		chain := cliJoin(a.ops(0), "")
		what := "every chain of the " + table + " table"
		if chain != "" {
			what = "the chain " + chain + " of the " + table + " table"
		}
		c.Report("access.firewall", "flushes "+what+" ("+c.Inv.Name+"): the rules that filtered traffic are gone, leaving every port open, or every connection dropped if the policy is DROP")
	case a.has("-X", "--delete-chain"):
		c.Report("access.firewall", "deletes the user-defined chains of the "+table+" table ("+c.Inv.Name+") with the rules in them")
	case a.has("-P", "--policy"):
		chain, _ := a.get("-P", "--policy")
		target := strings.ToUpper(a.op(0).Value)
		if strings.EqualFold(chain.Value, "INPUT") && (target == "DROP" || target == "REJECT") {
			c.Report("access.firewall", "sets the policy of the INPUT chain to "+target+": every incoming connection no rule accepts, the SSH session that ran it too, is dropped")
		}
	}
}

// accNft judges nft flush ruleset and delete table.
func accNft(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "If", long: []string{"--includepath", "--file"}})
	verb, what := a.op(0), a.op(1)
	switch {
	case verb.Value == "flush" && what.Value == "ruleset":
		c.Report("access.firewall", "flushes the whole nftables rule set: every table, chain and rule of the firewall is deleted")
	case verb.Value == "delete" && what.Value == "table":
		c.Report("access.firewall", "deletes the nftables table "+cliJoin(a.ops(2), "named on its input")+" with every chain and rule in it")
	}
}

// accSSHUnit reports whether a unit name is the SSH server.
func accSSHUnit(s string) bool {
	s = strings.TrimSuffix(s, ".service")
	s = strings.TrimSuffix(s, ".socket")
	return s == "ssh" || s == "sshd" || s == "openssh" || s == "openssh-server"
}

// accSSH judges systemctl stop/disable/mask of the SSH server and
// "service ssh stop".
func accSSH(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "HMpt", long: []string{"--host", "--machine", "--property", "--type", "--signal", "--root"}})
	if c.Inv.Name == "service" {
		if accSSHUnit(a.op(0).Value) && a.op(1).Value == "stop" {
			c.Report("access.ssh-stop", "stops the SSH server "+a.op(0).Value+": no one can log in to this machine over SSH until it is started from a console")
		}
		return
	}
	verb := a.op(0).Value
	switch verb {
	case "stop", "disable", "mask", "kill":
	default:
		return
	}
	for _, w := range a.operands[1:] {
		if accSSHUnit(w.Value) {
			tail := "no one can log in to this machine over SSH until it is started from a console"
			if verb == "disable" && !a.on("--now") {
				tail = "after the next reboot no one can log in over SSH"
			}
			c.Report("access.ssh-stop", "runs systemctl "+verb+" "+w.Value+": "+tail)
			return
		}
	}
}

// accUserdel judges userdel and deluser.
func accUserdel(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "R", long: []string{"--root", "--prefix", "--conf", "--backup-to"}})
	if c.Inv.Name == "deluser" && (a.on("--group") || len(a.operands) == 2) {
		return // removes a group, or a user from a group
	}
	user := cliJoin(a.ops(0)[:min(1, len(a.ops(0)))], "named on its input")
	if a.on("-r", "--remove", "--remove-home", "--remove-all-files") {
		c.Report("access.user-delete", "deletes the user "+user+" with their home directory, mail spool and files")
		return
	}
	c.Report("access.user-delete", "deletes the user account "+user+": whatever runs or logs in as it stops working (its files stay, owned by a number)")
}
