package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// HostingPack returns the rules about the command line tools of servers,
// schedulers and deployment platforms that the paas and cloud packs do not
// cover:
//
//   - hcloud (Hetzner Cloud): "hcloud RESOURCE delete" of servers,
//     volumes, IPs, networks, load balancers..., server rebuild (wipes the
//     disk).
//   - consul: kv delete (-recurse), snapshot restore, ACL token and policy
//     delete, intention and config delete, services deregister,
//     force-leave, operator raft remove-peer.
//   - nomad: job stop (-purge), namespace, volume, variable and ACL
//     deletes, node drain -enable, operator raft remove-peer.
//   - eb (Elastic Beanstalk): terminate.
//   - copilot (AWS Copilot): app, env, svc, job and pipeline delete.
//   - sam (AWS SAM): delete.
//   - amplify: delete, env remove; ampx sandbox delete (also through npx
//     and kin).
//   - kamal: remove, app remove, accessory remove (with its data
//     directory), proxy remove.
//   - dokku: apps:destroy and any plugin's :destroy (postgres:destroy,
//     redis:destroy ...), a datastore's :import over its data.
//
// Deploying, listing, reading and logging report nothing.
func HostingPack() *Pack {
	return &Pack{
		Name:     "hosting",
		Commands: append([]string{"hcloud", "consul", "nomad", "eb", "copilot", "sam", "amplify", "ampx", "kamal", "dokku"}, cliRunners()...),
		Check:    hostCheck,
		Rules: []Rule{
			{ID: "hosting.hcloud-delete", Default: Confirm, Summary: "hcloud server/volume/ip/network/... delete, server rebuild"},
			{ID: "hosting.consul-delete", Default: Confirm, Summary: "consul kv delete, snapshot restore, acl/intention/config delete, services deregister, force-leave"},
			{ID: "hosting.nomad-stop", Default: Confirm, Summary: "nomad job stop (-purge), namespace/volume/var/acl delete, node drain -enable"},
			{ID: "hosting.aws-app-delete", Default: Confirm, Summary: "eb terminate, copilot app/env/svc delete, sam delete, amplify delete: deletes an AWS application stack"},
			{ID: "hosting.kamal-remove", Default: Confirm, Summary: "kamal remove, app/accessory/proxy remove"},
			{ID: "hosting.dokku-destroy", Default: Confirm, Summary: "dokku apps:destroy, PLUGIN:destroy, PLUGIN:import"},
			{ID: "hosting.unknown-subcommand", Default: Confirm, Summary: "hosting CLI subcommand that cannot be known statically"},
		},
	}
}

// hostCheck dispatches on the tool.
func hostCheck(c *Call) {
	if cliContains(cliRunners(), c.Inv.Name) {
		// Amplify Gen 2 runs as "npx ampx"; the others are not npm
		// packages. What a package manager runs is the interceptor's
		// to follow.
		if name, args, ok := cliRunner(c.Inv); ok && (name == "ampx" || name == "@aws-amplify/backend-cli") {
			hostAmplify(c, "ampx", args)
		}
		return
	}
	toolLaunched(c)
	switch c.Inv.Name {
	case "hcloud":
		hostHcloud(c)
	case "consul":
		hostConsul(c)
	case "nomad":
		hostNomad(c)
	case "eb":
		hostEb(c)
	case "copilot":
		hostCopilot(c)
	case "sam":
		hostSam(c)
	case "amplify", "ampx":
		hostAmplify(c, c.Inv.Name, c.Inv.Args)
	case "kamal":
		hostKamal(c)
	case "dokku":
		hostDokku(c)
	}
}

// hostUnknown reports a subcommand word that cannot be known.
func hostUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("hosting.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// hostDeleteVerb reports whether a subcommand deletes.
func hostDeleteVerb(s string) bool {
	return s == "delete" || s == "rm" || s == "remove" || s == "destroy"
}

// hostHcloud judges the Hetzner Cloud CLI.
func hostHcloud(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "o", long: []string{"--context", "--config", "--output", "--image", "--poll-interval", "--selector"}})
	group, verb := a.op(0), a.op(1)
	if hostUnknown(c, group) || group.Value == "" || hostUnknown(c, verb) {
		return
	}
	names := cliJoin(a.ops(2), "named on its input")
	ctx := ""
	if x := a.str("--context"); x != "" {
		ctx = " in the Hetzner context " + x
	}
	switch {
	case group.Value == "server" && verb.Value == "rebuild":
		c.Report("hosting.hcloud-delete", "rebuilds the Hetzner server "+names+ctx+hostImage(a)+": everything on its disk is erased")
	case verb.Value == "delete":
		what := "Hetzner " + group.Value + " " + names
		switch group.Value {
		case "server":
			what += " and everything on its disk"
		case "volume":
			what += " and the data on it"
		case "primary-ip", "floating-ip":
			what += " (the address may never be had again)"
		}
		c.Report("hosting.hcloud-delete", "deletes the "+what+ctx)
	}
}

// hostImage names the image of an hcloud server rebuild.
func hostImage(a cliArgs) string {
	if i := a.str("--image"); i != "" {
		return " from the image " + i
	}
	return ""
}

// hostConsulSpec is how consul spells the options that take a value: Go
// flag style.
func hostConsulSpec() cliSpec {
	return cliSpec{single: true, long: []string{"-http-addr", "-token", "-token-file", "-datacenter", "-namespace",
		"-partition", "-ca-file", "-client-cert", "-client-key", "-modify-index", "-id", "-kind", "-name", "-accessor-id"}}
}

// hostConsul judges the consul CLI.
func hostConsul(c *Call) {
	a := cliParse(c.Inv.Args, hostConsulSpec())
	group, verb := a.op(0), a.op(1)
	if hostUnknown(c, group) {
		return
	}
	at := ""
	if h := a.str("-http-addr"); h != "" {
		at = " on the Consul cluster at " + h
	} else if h := c.Inv.Assigns["CONSUL_HTTP_ADDR"]; h != "" {
		at = " on the Consul cluster at " + h
	}
	if d := a.str("-datacenter"); d != "" {
		at += " (datacenter " + d + ")"
	}
	names := cliJoin(a.ops(2), "named on its input")
	var reason string
	switch group.Value {
	case "kv":
		if hostUnknown(c, verb) || verb.Value != "delete" {
			return
		}
		key := cliJoin(a.ops(2), "")
		switch {
		case a.on("-recurse") && (key == "" || key == "/"):
			reason = "deletes every key of the Consul key-value store" + at
		case a.on("-recurse"):
			reason = "deletes every Consul key under " + key + at
		default:
			reason = "deletes the Consul key " + names + at
		}
	case "snapshot":
		if verb.Value != "restore" {
			return
		}
		reason = "restores the Consul snapshot " + names + at + " over the cluster's state: keys, services and ACLs written since are lost"
	case "acl":
		if hostUnknown(c, verb) || !hostDeleteVerb(a.op(2).Value) {
			return
		}
		id := cliJoin(append(a.ops(3), a.all("-id", "-accessor-id", "-name")...), "named on its input")
		reason = "deletes the Consul ACL " + verb.Value + " " + id + at + ": whatever uses it loses access"
	case "intention", "config":
		if hostUnknown(c, verb) || verb.Value != "delete" {
			return
		}
		what := names
		if group.Value == "config" {
			what = strings.TrimSpace(a.str("-kind") + " " + a.str("-name"))
		}
		reason = "deletes the Consul " + group.Value + " " + what + at
	case "services":
		if verb.Value != "deregister" {
			return
		}
		reason = "deregisters the Consul service " + cliJoin(append(a.ops(2), a.all("-id")...), "named on its input") + at + ": clients stop finding it"
	case "force-leave":
		reason = "forces the node " + cliJoin(a.ops(1), "named on its input") + " out of the Consul cluster" + at
	case "operator":
		if verb.Value != "raft" || a.op(2).Value != "remove-peer" {
			return
		}
		reason = "removes a server from the Consul Raft cluster" + at
	default:
		return
	}
	c.Report("hosting.consul-delete", reason)
}

// hostNomad judges the nomad CLI.
func hostNomad(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{single: true, long: []string{"-address", "-region", "-namespace", "-token", "-ca-cert",
		"-client-cert", "-client-key", "-tls-server-name", "-type", "-deadline", "-node-id"}})
	group, verb := a.op(0), a.op(1)
	if hostUnknown(c, group) {
		return
	}
	at := ""
	if h := a.str("-address"); h != "" {
		at = " on the Nomad cluster at " + h
	} else if h := c.Inv.Assigns["NOMAD_ADDR"]; h != "" {
		at = " on the Nomad cluster at " + h
	}
	if ns := a.str("-namespace"); ns != "" {
		at += " (namespace " + ns + ")"
	}
	job := func(i int) string { return cliJoin(a.ops(i), "named on its input") }
	var reason string
	switch {
	case group.Value == "stop" || group.Value == "job" && verb.Value == "stop":
		i := 2
		if group.Value == "stop" {
			i = 1
		}
		reason = "stops every allocation of the Nomad job " + job(i) + at + ": it stops serving"
		if a.on("-purge") {
			reason += ", and purges the job with its history"
		}
	case group.Value == "job" && verb.Value == "deregister":
		reason = "stops and deregisters the Nomad job " + job(2) + at
	case (group.Value == "namespace" || group.Value == "volume" || group.Value == "var" || group.Value == "quota") && (verb.Value == "delete" || verb.Value == "purge" || verb.Value == "deregister"):
		what := ""
		if group.Value == "volume" {
			what = " and the data on it"
		}
		reason = "deletes the Nomad " + group.Value + " " + job(2) + what + at
	case group.Value == "acl" && (a.op(2).Value == "delete"):
		reason = "deletes the Nomad ACL " + verb.Value + " " + job(3) + at + ": whatever uses it loses access"
	case group.Value == "node" && verb.Value == "drain" && a.on("-enable"):
		reason = "drains the Nomad node " + job(2) + at + ": every allocation on it is stopped and moved"
	case group.Value == "operator" && verb.Value == "raft" && a.op(2).Value == "remove-peer":
		reason = "removes a server from the Nomad Raft cluster" + at
	default:
		return
	}
	c.Report("hosting.nomad-stop", reason)
}

// hostEb judges the Elastic Beanstalk CLI.
func hostEb(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "r", long: []string{"--region", "--profile", "--timeout", "--endpoint-url"}})
	cmd := a.op(0)
	if hostUnknown(c, cmd) || cmd.Value != "terminate" {
		return
	}
	if a.on("--all") {
		c.Report("hosting.aws-app-delete", "terminates every environment of the Elastic Beanstalk application"+cliWhere(c.Inv.Cwd)+" and deletes the application with its versions")
		return
	}
	env := cliJoin(a.ops(1), "chosen for the project"+cliWhere(c.Inv.Cwd))
	c.Report("hosting.aws-app-delete", "terminates the Elastic Beanstalk environment "+env+": its instances, load balancer and the database it created are deleted")
}

// hostCopilot judges AWS Copilot.
func hostCopilot(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "aen", long: []string{"--app", "--env", "--name", "--profile"}})
	group, verb := a.op(0), a.op(1)
	if hostUnknown(c, group) {
		return
	}
	switch group.Value {
	case "app", "env", "svc", "job", "pipeline", "storage":
	default:
		return
	}
	if hostUnknown(c, verb) || verb.Value != "delete" {
		return
	}
	name := cliJoin(append(a.ops(2), a.all("-n", "--name")...), "")
	if group.Value == "app" && name == "" {
		name = a.str("-a", "--app")
	}
	if name == "" {
		name = "of the workspace" + cliWhere(c.Inv.Cwd)
	}
	inEnv := " from every environment"
	if e := a.str("-e", "--env"); e != "" {
		inEnv = " in environment " + e
	}
	var what string
	switch group.Value {
	case "app":
		what = "application " + name + " with every environment, service and job in it"
	case "env":
		what = "environment " + name + " with its network and the services in it"
	case "svc":
		what = "service " + name + inEnv
	case "job":
		what = "job " + name + inEnv
	default:
		what = group.Value + " " + name
	}
	c.Report("hosting.aws-app-delete", "deletes the AWS Copilot "+what)
}

// hostSam judges AWS SAM's delete.
func hostSam(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--stack-name", "--region", "--profile", "--config-file", "--config-env", "--s3-bucket", "--s3-prefix"}})
	if hostUnknown(c, a.op(0)) || a.op(0).Value != "delete" {
		return
	}
	stack := a.str("--stack-name")
	if stack == "" {
		stack = "named in samconfig.toml" + cliWhere(c.Inv.Cwd)
	}
	c.Report("hosting.aws-app-delete", "deletes the CloudFormation stack "+stack+" with every resource SAM deployed in it (functions, tables and their data, buckets) and its artifacts")
}

// hostAmplify judges amplify delete and env remove, and ampx sandbox
// delete.
func hostAmplify(c *Call, tool string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--profile", "--identifier", "--app-id", "--branch"}})
	cmd, verb := a.op(0), a.op(1)
	if hostUnknown(c, cmd) {
		return
	}
	switch {
	case tool == "ampx" && cmd.Value == "sandbox" && verb.Value == "delete":
		c.Report("hosting.aws-app-delete", "deletes the Amplify sandbox of the project"+cliWhere(c.Inv.Cwd)+" with every resource and the data it holds")
	case tool == "amplify" && cmd.Value == "delete":
		c.Report("hosting.aws-app-delete", "deletes every cloud resource of the Amplify project"+cliWhere(c.Inv.Cwd)+" in every environment, and its local amplify configuration")
	case tool == "amplify" && cmd.Value == "env" && verb.Value == "remove":
		c.Report("hosting.aws-app-delete", "deletes the Amplify environment "+cliJoin(a.ops(2), "named on its input")+" with its cloud resources")
	}
}

// hostKamal judges kamal remove and kin.
func hostKamal(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "dchrp", long: []string{"--destination", "--config-file", "--hosts", "--roles", "--primary", "--version", "--skip-hooks"}})
	cmd, verb := a.op(0), a.op(1)
	if hostUnknown(c, cmd) {
		return
	}
	dest := ""
	if d := a.str("-d", "--destination"); d != "" {
		dest = " (destination " + d + ")"
	}
	switch {
	case cmd.Value == "remove":
		c.Report("hosting.kamal-remove", "removes the app, its accessories (with their data directories) and the proxy from every server of the Kamal deploy"+dest)
	case cmd.Value == "app" && verb.Value == "remove":
		c.Report("hosting.kamal-remove", "removes the app's containers and images from every server of the Kamal deploy"+dest+": it stops serving")
	case cmd.Value == "accessory" && verb.Value == "remove":
		c.Report("hosting.kamal-remove", "removes the Kamal accessory "+cliJoin(a.ops(2), "named on its input")+dest+" with its container, image and data directory (a database's files)")
	case cmd.Value == "proxy" && verb.Value == "remove":
		c.Report("hosting.kamal-remove", "removes the Kamal proxy from every server"+dest+": no app is reachable through it")
	}
}

// hostDokku judges dokku: "apps:destroy APP", "PLUGIN:destroy SERVICE".
func hostDokku(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--app", "--remote"}})
	cmd := a.op(0)
	if hostUnknown(c, cmd) {
		return
	}
	topic, sub, ok := strings.Cut(cmd.Value, ":")
	if !ok {
		return
	}
	name := cliJoin(a.ops(1)[:min(1, len(a.ops(1)))], "named on its input")
	switch {
	case cmd.Value == "apps:destroy":
		c.Report("hosting.dokku-destroy", "destroys the Dokku app "+name+" with its containers, configuration and deploys")
	case sub == "destroy":
		c.Report("hosting.dokku-destroy", "destroys the Dokku "+topic+" service "+name+" with the data it holds")
	case sub == "import" && hostDokkuDatastore(topic):
		c.Report("hosting.dokku-destroy", "imports a dump into the Dokku "+topic+" service "+name+", overwriting the data it holds")
	}
}

// hostDokkuDatastore reports whether a dokku plugin is a datastore whose
// import overwrites data.
func hostDokkuDatastore(topic string) bool {
	switch topic {
	case "postgres", "mysql", "mariadb", "mongo", "redis", "couchdb", "clickhouse", "elasticsearch", "rabbitmq", "meilisearch":
		return true
	}
	return false
}
