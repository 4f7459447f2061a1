package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// SecretsPack returns the rules about secret managers: commands that delete
// secrets, the engines and vaults that hold them, or the ways in to them,
// for every application that reads them.
//
//   - vault (HashiCorp): secrets disable and auth disable (every secret of
//     the engine, every token of the method), kv destroy and kv metadata
//     delete (versions gone for good), kv delete (a soft delete, undone by
//     kv undelete), delete of any path, policy, namespace and audit device
//     deletes; lease revoke -prefix/-force and token revoke; operator seal
//     and raft remove-peer.
//   - doppler: secrets, configs, environments and projects delete.
//   - op (1Password): item, document, vault, group and user delete.
//   - infisical: secrets delete and secrets folders delete.
//
// Reading, listing, writing a new version, logging in and running a
// program with the secrets injected (doppler run, op run, infisical run:
// the command run is judged by itself) report nothing.
func SecretsPack() *Pack {
	return &Pack{
		Name:     "secrets",
		Commands: []string{"vault", "doppler", "op", "infisical"},
		Check:    secCheck,
		Rules: []Rule{
			{ID: "secrets.vault-delete", Default: Confirm, Summary: "vault secrets/auth disable, kv destroy, kv metadata delete, kv delete, delete, policy/namespace delete: deletes secrets or what holds them"},
			{ID: "secrets.vault-revoke", Default: Confirm, Summary: "vault lease revoke -prefix/-force, token revoke: credentials in use stop working"},
			{ID: "secrets.vault-seal", Default: Confirm, Summary: "vault operator seal, operator raft remove-peer: takes the Vault cluster or one of its nodes out of service"},
			{ID: "secrets.doppler-delete", Default: Confirm, Summary: "doppler secrets/configs/environments/projects delete"},
			{ID: "secrets.1password-delete", Default: Confirm, Summary: "op item/document/vault/group/user delete"},
			{ID: "secrets.infisical-delete", Default: Confirm, Summary: "infisical secrets delete, secrets folders delete"},
			{ID: "secrets.unknown-subcommand", Default: Confirm, Summary: "secret manager subcommand that cannot be known statically"},
		},
	}
}

// secCheck dispatches on the secret manager.
func secCheck(c *Call) {
	if c.Inv.Name == "vault" {
		toolLaunched(c) // doppler, op and infisical run commands as launchers the interceptor knows
	}
	switch c.Inv.Name {
	case "vault":
		secVault(c)
	case "doppler":
		secDoppler(c)
	case "op":
		secOp(c)
	case "infisical":
		secInfisical(c)
	}
}

// secUnknown reports a subcommand word that cannot be known.
func secUnknown(c *Call, words ...interceptor.Word) bool {
	for _, w := range words {
		if w.Unknown {
			c.Report("secrets.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
			return true
		}
	}
	return false
}

// secVaultSpec is how vault spells its options: Go flag style, one or two
// dashes, these taking a value.
func secVaultSpec() cliSpec {
	return cliSpec{single: true, long: []string{"-address", "-namespace", "-ns", "-mount", "-versions", "-format",
		"-field", "-ca-cert", "-ca-path", "-client-cert", "-client-key", "-tls-server-name", "-wrap-ttl",
		"-policy-override", "-header", "-mfa", "-mode", "-path", "-description", "-type", "-agent-address"}}
}

// secVaultServer names the Vault server a command talks to: -address, a
// VAULT_ADDR given to the command, or the environment's.
func secVaultServer(c *Call, a cliArgs) string {
	addr := a.str("-address")
	if addr == "" {
		addr = c.Inv.Assigns["VAULT_ADDR"]
	}
	where := " on the Vault server VAULT_ADDR names"
	if addr != "" {
		where = " on the Vault server " + addr
	}
	if ns := a.str("-namespace", "-ns"); ns != "" {
		where += " (namespace " + ns + ")"
	} else if ns := c.Inv.Assigns["VAULT_NAMESPACE"]; ns != "" {
		where += " (namespace " + ns + ")"
	}
	return where
}

// secVault judges the vault CLI.
func secVault(c *Call) {
	a := cliParse(c.Inv.Args, secVaultSpec())
	group, verb := a.op(0), a.op(1)
	if secUnknown(c, group) {
		return
	}
	at := secVaultServer(c, a)
	path := cliJoin(a.ops(2), "named on its input")
	switch group.Value {
	case "secrets", "auth", "audit":
		if secUnknown(c, verb) || verb.Value != "disable" {
			return
		}
		switch group.Value {
		case "secrets":
			c.Report("secrets.vault-delete", "disables the Vault secrets engine at "+path+at+": every secret stored in it is deleted and every lease it issued is revoked")
		case "auth":
			c.Report("secrets.vault-delete", "disables the Vault auth method at "+path+at+": every token and lease issued through it is revoked and its roles and configuration are deleted")
		default:
			c.Report("secrets.vault-delete", "disables the Vault audit device at "+path+at+": requests are no longer recorded there")
		}
	case "kv":
		if secUnknown(c, verb) {
			return
		}
		mount := a.str("-mount")
		var target string
		switch verb.Value {
		case "destroy", "delete":
			target = cliJoin(a.ops(2), "named on its input")
		case "metadata":
			if secUnknown(c, a.op(2)) || a.op(2).Value != "delete" {
				return
			}
			target = cliJoin(a.ops(3), "named on its input")
		default:
			return
		}
		if mount != "" {
			target = strings.TrimSuffix(mount, "/") + "/" + strings.TrimPrefix(target, "/")
		}
		switch verb.Value {
		case "destroy":
			what := "the versions given"
			if v := a.str("-versions"); v != "" {
				what = secVersions(v)
			}
			c.Report("secrets.vault-delete", "permanently destroys "+what+" of the Vault secret "+target+at+": the data cannot be recovered")
		case "metadata":
			c.Report("secrets.vault-delete", "deletes every version and the metadata of the Vault secret "+target+at+": it cannot be recovered")
		default:
			what := "the latest version"
			if v := a.str("-versions"); v != "" {
				what = secVersions(v)
			}
			c.Report("secrets.vault-delete", "deletes "+what+" of the Vault secret "+target+at+" (kv undelete brings a version back on a KV v2 engine; on KV v1 it is gone)")
		}
	case "delete":
		target := cliJoin(a.ops(1), "named on its input")
		c.Report("secrets.vault-delete", "deletes the Vault path "+target+at+" (on a KV v1 engine, or a key, role or configuration, it is gone for good)")
	case "policy", "namespace":
		if secUnknown(c, verb) || verb.Value != "delete" {
			return
		}
		what := "policy"
		if group.Value == "namespace" {
			what = "namespace (with every engine, secret and policy in it)"
		}
		c.Report("secrets.vault-delete", "deletes the Vault "+what+" "+path+at)
	case "lease":
		if secUnknown(c, verb) || verb.Value != "revoke" {
			return
		}
		switch {
		case a.on("-prefix"):
			c.Report("secrets.vault-revoke", "revokes every Vault lease under "+path+at+": the credentials they gave out stop working")
		case a.on("-force"):
			c.Report("secrets.vault-revoke", "force-revokes the Vault lease "+path+at+", dropping it even if the backend could not revoke the credential")
		default:
			c.Report("secrets.vault-revoke", "revokes the Vault lease "+path+at+": the credential it gave out stops working")
		}
	case "token":
		if secUnknown(c, verb) || verb.Value != "revoke" || a.on("-self") {
			return
		}
		what := "the token " + path
		if a.on("-accessor") {
			what = "the token with accessor " + path
		}
		children := " and every token created from it"
		if a.str("-mode") == "orphan" {
			children = " (its child tokens are orphaned)"
		}
		c.Report("secrets.vault-revoke", "revokes "+what+children+at+": whoever uses them loses access")
	case "operator":
		if secUnknown(c, verb) {
			return
		}
		switch {
		case verb.Value == "seal":
			c.Report("secrets.vault-seal", "seals Vault"+at+": every client loses access to every secret until it is unsealed with the unseal keys")
		case verb.Value == "raft" && a.op(2).Value == "remove-peer":
			c.Report("secrets.vault-seal", "removes the node "+cliJoin(a.ops(3), "named on its input")+" from the Vault Raft cluster"+at)
		}
	}
}

// secVersions names the versions of a -versions list: "version 3",
// "versions 1,2".
func secVersions(v string) string {
	if strings.Contains(v, ",") {
		return "versions " + v
	}
	return "version " + v
}

// secDoppler judges doppler ... delete.
func secDoppler(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "pc", long: []string{"--project", "--config", "--token", "--scope",
		"--config-dir", "--api-host", "--dashboard-host", "--environment", "--name", "--output"}})
	group, verb := a.op(0), a.op(1)
	if secUnknown(c, group) {
		return
	}
	switch group.Value {
	case "secrets", "configs", "environments", "projects", "secret", "config", "environment", "project", "enclave":
	default:
		return
	}
	if secUnknown(c, verb) {
		return
	}
	if group.Value == "configs" && verb.Value == "tokens" {
		if secUnknown(c, a.op(2)) || !secDeleteVerb(a.op(2).Value) && a.op(2).Value != "revoke" {
			return
		}
		c.Report("secrets.doppler-delete", "revokes the Doppler service token "+cliJoin(a.ops(3), "named on its input")+": whatever reads secrets with it stops working")
		return
	}
	if !secDeleteVerb(verb.Value) {
		return
	}
	names := a.ops(2)
	project := a.str("-p", "--project")
	config := a.str("-c", "--config")
	scope := " of the Doppler project and config set up" + cliWhere(c.Inv.Cwd)
	switch {
	case project != "" && config != "":
		scope = " of config " + config + " of the Doppler project " + project
	case config != "":
		scope = " of config " + config + " of the Doppler project set up" + cliWhere(c.Inv.Cwd)
	case project != "":
		scope = " of the Doppler project " + project
	}
	switch strings.TrimSuffix(group.Value, "s") {
	case "secret":
		c.Report("secrets.doppler-delete", "deletes the Doppler "+ctrNoun(len(names), "secret", "secrets")+" "+cliJoin(names, "named on its input")+scope+": every app reading them loses them")
	case "config":
		c.Report("secrets.doppler-delete", "deletes the Doppler config "+cliJoin(names, config)+secDopplerOf(project, c)+" with every secret in it")
	case "environment":
		c.Report("secrets.doppler-delete", "deletes the Doppler environment "+cliJoin(names, "named on its input")+secDopplerOf(project, c)+" with its configs and their secrets")
	default:
		target := "the Doppler project " + cliJoin(names, project)
		if len(names) == 0 && project == "" {
			target = "the Doppler project set up" + cliWhere(c.Inv.Cwd)
		}
		c.Report("secrets.doppler-delete", "deletes "+target+" with every environment, config and secret in it")
	}
}

// secDopplerOf names the project of a Doppler config or environment.
func secDopplerOf(project string, c *Call) string {
	if project == "" {
		return " of the Doppler project set up" + cliWhere(c.Inv.Cwd)
	}
	return " of the Doppler project " + project
}

// secDeleteVerb reports whether a subcommand deletes (with the aliases the
// CLIs accept).
func secDeleteVerb(s string) bool {
	return s == "delete" || s == "rm" || s == "remove" || s == "del"
}

// secOp judges the 1Password CLI (op v2): GROUP delete.
func secOp(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--vault", "--account", "--format", "--session", "--config", "--encoding", "--cache"}})
	group, verb := a.op(0), a.op(1)
	if secUnknown(c, group) {
		return
	}
	switch group.Value {
	case "item", "document", "vault", "group", "user", "connect", "events-api", "service-account":
	default:
		return
	}
	if secUnknown(c, verb) {
		return
	}
	names := a.ops(2)
	inVault := ""
	if v := a.str("--vault"); v != "" {
		inVault = " in the vault " + v
	}
	switch group.Value {
	case "item", "document":
		if !secDeleteVerb(verb.Value) {
			return
		}
		how := "deletes"
		if a.on("--archive") {
			how = "moves to the archive"
		}
		c.Report("secrets.1password-delete", how+" the 1Password "+group.Value+" "+cliJoin(names, "named on its input")+inVault)
	case "vault":
		if !secDeleteVerb(verb.Value) {
			return
		}
		c.Report("secrets.1password-delete", "deletes the 1Password vault "+cliJoin(names, "named on its input")+" with every item in it, for everyone who shares it")
	case "group":
		if !secDeleteVerb(verb.Value) {
			return
		}
		c.Report("secrets.1password-delete", "deletes the 1Password group "+cliJoin(names, "named on its input")+": its members lose the vaults shared with it")
	case "user":
		switch {
		case secDeleteVerb(verb.Value):
			c.Report("secrets.1password-delete", "removes the 1Password user "+cliJoin(names, "named on its input")+" from the account, with their private vaults")
		case verb.Value == "suspend":
			c.Report("secrets.1password-delete", "suspends the 1Password user "+cliJoin(names, "named on its input")+": they lose access until reactivated")
		}
	case "connect":
		if (verb.Value == "server" || verb.Value == "token") && secDeleteVerb(a.op(2).Value) {
			c.Report("secrets.1password-delete", "deletes the 1Password Connect "+verb.Value+" "+cliJoin(a.ops(3), "named on its input")+": the services using it lose access")
		}
	}
}

// secInfisical judges infisical secrets delete and secrets folders delete.
func secInfisical(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--env", "--path", "--token", "--projectId", "--domain", "--type", "--name"}})
	group, verb := a.op(0), a.op(1)
	if secUnknown(c, group) || group.Value != "secrets" {
		return
	}
	if secUnknown(c, verb) {
		return
	}
	env := a.str("--env")
	if env == "" {
		env = "dev"
	}
	path := a.str("--path")
	if path == "" {
		path = "/"
	}
	where := " at " + path + " of the Infisical environment " + env
	if p := a.str("--projectId"); p != "" {
		where += " of project " + p
	} else {
		where += " of the project set up" + cliWhere(c.Inv.Cwd)
	}
	switch {
	case secDeleteVerb(verb.Value):
		names := a.ops(2)
		c.Report("secrets.infisical-delete", "deletes the Infisical "+ctrNoun(len(names), "secret", "secrets")+" "+cliJoin(names, "named on its input")+where)
	case verb.Value == "folders" && secDeleteVerb(a.op(2).Value):
		name := cliJoin(append(a.ops(3), a.all("--name")...), "named on its input")
		c.Report("secrets.infisical-delete", "deletes the Infisical folder "+name+where+" with every secret in it")
	}
}
