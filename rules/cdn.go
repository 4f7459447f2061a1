package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// CDNPack returns the rules about edge and gateway configuration and
// feature flags: the commands that delete services, routes and flags that
// live traffic goes through, or flush them all at once.
//
//   - fastly: any "... delete" (services, backends, domains, logging
//     endpoints, ACLs, dictionaries, KV, config and secret stores and their
//     entries), purge --all.
//   - decK (Kong): reset, and sync, which deletes the entities the state
//     file lacks ("deck gateway reset|sync" and the old "deck reset|sync"),
//     unless --dry-run.
//   - apigeecli (Apigee): any "... delete", apis undeploy.
//   - LaunchDarkly ldcli: flags, projects, environments, segments and
//     members delete; flipt import --drop.
//
// Listing, diffing, validating, creating and purging one URL or key report
// nothing.
func CDNPack() *Pack {
	return &Pack{
		Name:     "cdn",
		Commands: []string{"fastly", "deck", "apigeecli", "ldcli", "flipt"},
		Check:    cdnCheck,
		Rules: []Rule{
			{ID: "cdn.fastly-delete", Default: Confirm, Summary: "fastly ... delete, purge --all: deletes Fastly services or their configuration, or empties the cache"},
			{ID: "cdn.kong-sync", Default: Confirm, Summary: "deck reset, deck sync: deletes Kong gateway entities (every one, or those the state file lacks)"},
			{ID: "cdn.apigee-delete", Default: Confirm, Summary: "apigeecli ... delete, apis undeploy"},
			{ID: "cdn.flags-delete", Default: Confirm, Summary: "ldcli flags/projects/environments/segments delete, flipt import --drop: deletes feature flags that running code reads"},
			{ID: "cdn.unknown-subcommand", Default: Confirm, Summary: "edge, gateway or feature flag CLI subcommand that cannot be known statically"},
		},
	}
}

// cdnCheck dispatches on the tool.
func cdnCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "fastly":
		cdnFastly(c)
	case "deck":
		cdnDeck(c)
	case "apigeecli":
		cdnApigee(c)
	case "ldcli":
		cdnLdcli(c)
	case "flipt":
		cdnFlipt(c)
	}
}

// cdnUnknown reports a subcommand word that cannot be known.
func cdnUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("cdn.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// cdnVerb finds verb in the command path of a: the index of the first
// operand that isVerb accepts, with every operand before it a command
// word; -1 when there is none. An unknown operand on the way is reported.
func cdnVerb(c *Call, a cliArgs, isVerb func(string) bool) int {
	for i, w := range a.operands {
		if cdnUnknown(c, w) {
			return -1
		}
		if isVerb(w.Value) {
			return i
		}
		if !cliCommandWord(w.Value) {
			return -1
		}
	}
	return -1
}

// cdnFastly judges the Fastly CLI.
func cdnFastly(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "sn", long: []string{"--service-id", "--service-name", "--version", "--name",
		"--token", "--profile", "--key", "--url", "--store-id", "--acl-id", "--dictionary-id", "--id", "--domain", "--file"}})
	svc := a.str("-s", "--service-id")
	if svc == "" {
		svc = a.str("--service-name")
	}
	ofSvc := " of the Fastly service " + svc
	if svc == "" {
		ofSvc = " of the Fastly service in fastly.toml" + cliWhere(c.Inv.Cwd)
	}
	if a.op(0).Value == "purge" {
		if a.on("--all") {
			c.Report("cdn.fastly-delete", "purges every object cached"+ofSvc+": every request goes to the origin until the cache fills again")
		}
		return
	}
	i := cdnVerb(c, a, func(s string) bool { return s == "delete" })
	if i < 0 {
		return
	}
	if i == 1 && a.op(0).Value == "service" {
		target := svc
		if target == "" {
			target = "of fastly.toml" + cliWhere(c.Inv.Cwd)
		}
		c.Report("cdn.fastly-delete", "deletes the Fastly service "+target+" with every version of its configuration: the sites it serves go down")
		return
	}
	name := a.str("-n", "--name", "--key", "--id", "--store-id", "--acl-id", "--dictionary-id", "--domain")
	if name == "" {
		name = cliJoin(a.ops(i+1), "named on its input")
	}
	what := cloudResource(a.operands[:i], false)
	ver := ""
	if v := a.str("--version"); v != "" {
		ver = " (version " + v + ")"
	}
	c.Report("cdn.fastly-delete", "deletes the Fastly "+what+" "+name+ofSvc+ver)
}

// cdnDeck judges Kong's decK.
func cdnDeck(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "s", long: []string{"--state", "--kong-addr", "--select-tag", "--workspace",
		"--headers", "--konnect-addr", "--konnect-token", "--konnect-control-plane-name", "--konnect-runtime-group-name",
		"--parallelism", "--rbac-resources-only", "--db-update-propagation-delay"}})
	cmd, files := a.op(0), 1
	if cdnUnknown(c, cmd) {
		return
	}
	if cmd.Value == "gateway" || cmd.Value == "konnect" {
		cmd, files = a.op(1), 2
		if cdnUnknown(c, cmd) {
			return
		}
	}
	if a.on("--dry-run") {
		return
	}
	at := " on the Kong gateway"
	if k := a.str("--kong-addr"); k != "" {
		at = " on the Kong gateway at " + k
	} else if a.has("--konnect-token", "--konnect-control-plane-name") {
		at = " on the Konnect control plane " + a.str("--konnect-control-plane-name")
	}
	scope := ""
	if tags := a.all("--select-tag"); len(tags) > 0 {
		scope = " tagged " + cliList(tags)
	}
	if ws := a.str("-w", "--workspace"); ws != "" {
		at += " (workspace " + ws + ")"
	}
	switch cmd.Value {
	case "reset":
		c.Report("cdn.kong-sync", "deletes every service, route, plugin, consumer and credential"+scope+at+": the APIs behind it stop being reachable")
	case "sync":
		state := cliList(append(a.all("-s", "--state"), a.ops(files)...))
		if state == "" {
			state = "kong.yaml"
		}
		c.Report("cdn.kong-sync", "makes the entities"+scope+at+" match "+state+": every service, route, plugin and consumer the file lacks is deleted")
	}
}

// cdnApigee judges apigeecli.
func cdnApigee(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "ontre", long: []string{"--org", "--name", "--token", "--rev", "--env", "--account", "--region"}})
	i := cdnVerb(c, a, func(s string) bool { return s == "delete" || s == "undeploy" })
	if i < 1 {
		return
	}
	name := a.str("-n", "--name")
	if name == "" {
		name = cliJoin(a.ops(i+1), "named on its input")
	}
	org := ""
	if o := a.str("-o", "--org"); o != "" {
		org = " of the Apigee organisation " + o
	}
	what := cloudResource(a.operands[:i], false)
	if a.op(i).Value == "undeploy" {
		env := "its environment"
		if e := a.str("-e", "--env"); e != "" {
			env = "the environment " + e
		}
		c.Report("cdn.apigee-delete", "undeploys the Apigee "+what+" "+name+" from "+env+org+": it stops serving")
		return
	}
	c.Report("cdn.apigee-delete", "deletes the Apigee "+what+" "+name+org)
}

// cdnLdcli judges LaunchDarkly's ldcli.
func cdnLdcli(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--project", "--environment", "--flag", "--segment", "--member", "--access-token", "--base-uri", "--output", "--data", "--key"}})
	group, verb := a.op(0), a.op(1)
	if cdnUnknown(c, group) {
		return
	}
	switch group.Value {
	case "flags", "projects", "environments", "segments", "members", "teams", "webhooks", "metrics":
	default:
		return
	}
	if cdnUnknown(c, verb) || verb.Value != "delete" {
		return
	}
	name := a.str("--" + strings.TrimSuffix(group.Value, "s"))
	if name == "" {
		name = a.str("--key")
	}
	if name == "" {
		name = cliJoin(a.ops(2), "named on its input")
	}
	of := ""
	if p := a.str("--project"); p != "" && group.Value != "projects" {
		of = " of the LaunchDarkly project " + p
	}
	var reason string
	switch group.Value {
	case "flags":
		reason = "deletes the LaunchDarkly flag " + name + of + " in every environment: code evaluating it gets its fallback value"
	case "projects":
		reason = "deletes the LaunchDarkly project " + name + " with every flag and environment in it"
	case "environments":
		reason = "deletes the LaunchDarkly environment " + name + of + " with its flag settings and SDK keys"
	default:
		reason = "deletes the LaunchDarkly " + strings.TrimSuffix(group.Value, "s") + " " + name + of
	}
	c.Report("cdn.flags-delete", reason)
}

// cdnFlipt judges flipt import --drop.
func cdnFlipt(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--config", "--address", "--token", "--namespace", "--namespaces"}})
	if cdnUnknown(c, a.op(0)) || a.op(0).Value != "import" || !a.on("--drop") {
		return
	}
	c.Report("cdn.flags-delete", "drops every Flipt flag, segment and rule before importing "+cliJoin(a.ops(1), "its input")+": what the file lacks is gone")
}
