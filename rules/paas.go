package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// PaaSPack returns the rules about the command line tools of hosting
// platforms: the commands that delete a project, an app, a service, a
// volume or a database, or wipe a database in place. The incident guard
// exists for was one such deletion (a volume and its backups, in seconds).
//
//   - railway: delete, down, volume delete/detach, environment delete,
//     service delete.
//   - fly/flyctl: destroy (and its aliases delete, rm, remove) of apps,
//     volumes, machines, Postgres and other resources, at any depth.
//   - heroku: apps:destroy, pg:reset, addons:destroy, pg:backups:delete,
//     pg:backups:restore, pg:copy (both overwrite a database), pg:killall,
//     spaces:destroy, pipelines:destroy; "topic:command" or "topic command".
//   - vercel: rm/remove of projects and deployments, and rm of domains,
//     DNS records, aliases and environment variables.
//   - netlify: sites:delete (and "sites delete").
//   - render, supabase, wrangler (Cloudflare): delete and rm at any depth.
//     supabase db reset is left to the migrations pack.
//   - gh: "gh GROUP delete" of a repository, release, issue, gist, secret...
//
// Status, logs, variables, deploys and everything else report nothing. The
// tools are also recognised when run through npx, bunx, pnpm dlx and kin.
func PaaSPack() *Pack {
	return &Pack{
		Name:     "paas",
		Commands: append([]string{"railway", "fly", "flyctl", "heroku", "vercel", "netlify", "render", "supabase", "gh", "wrangler"}, cliRunners()...),
		Check:    paasCheck,
		Rules: []Rule{
			{ID: "paas.railway-delete", Default: Confirm, Summary: "railway delete/down, volume delete/detach, environment or service delete"},
			{ID: "paas.fly-destroy", Default: Confirm, Summary: "fly/flyctl destroy of an app, volume, machine or database"},
			{ID: "paas.heroku-destroy", Default: Confirm, Summary: "heroku apps:destroy, pg:reset, addons:destroy, pg:backups:delete/restore, pg:copy, pg:killall"},
			{ID: "paas.vercel-remove", Default: Confirm, Summary: "vercel rm/remove of a project, deployment, domain or variable"},
			{ID: "paas.netlify-delete", Default: Confirm, Summary: "netlify sites:delete"},
			{ID: "paas.render-delete", Default: Confirm, Summary: "render ... delete"},
			{ID: "paas.supabase-delete", Default: Confirm, Summary: "supabase projects/branches/functions delete, storage rm"},
			{ID: "paas.cloudflare-delete", Default: Confirm, Summary: "wrangler delete of a Worker, D1 database, R2 bucket or object, KV namespace..."},
			{ID: "paas.gh-delete", Default: Confirm, Summary: "gh repo/release/issue/gist/... delete"},
			{ID: "paas.unknown-subcommand", Default: Confirm, Summary: "hosting platform CLI subcommand that cannot be known statically"},
		},
	}
}

// paasCheck dispatches on the tool run, directly or through a package
// runner.
func paasCheck(c *Call) {
	name, args := cliTarget(c.Inv)
	switch name {
	case "railway":
		paasRailway(c, args)
	case "fly", "flyctl":
		paasFly(c, name, args)
	case "heroku":
		paasHeroku(c, args)
	case "vercel":
		paasVercel(c, args)
	case "netlify":
		paasNetlify(c, args)
	case "render":
		paasGeneric(c, "render", "Render", "paas.render-delete", args, cliSpec{short: "o", long: []string{"--output"}})
	case "supabase":
		paasSupabase(c, args)
	case "wrangler":
		paasGeneric(c, "wrangler", "Cloudflare", "paas.cloudflare-delete", args, cliSpec{
			short: "ceb",
			long:  []string{"--config", "--env", "--name", "--binding", "--namespace-id", "--cwd", "--account-id", "--project-name", "--jurisdiction"},
		})
	case "gh":
		paasGh(c, args)
	}
}

// paasUnknown reports a subcommand word that cannot be known.
func paasUnknown(c *Call, tool string, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("paas.unknown-subcommand", "runs a "+tool+" subcommand that cannot be known before it runs ("+tool+" "+w.String()+")")
	return true
}

// paasLinked says which project a command acts on when it names none: the
// one linked to its working directory.
func paasLinked(c *Call) string {
	return "linked to " + iacDir(c.Inv.Cwd)
}

// paasRailway judges the railway CLI.
func paasRailway(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "sepv", long: []string{"--service", "--environment", "--project", "--volume", "--mount-path"}})
	if paasUnknown(c, "railway", a.op(0)) {
		return
	}
	project := "the Railway project " + paasLinked(c)
	if p := a.str("-p", "--project"); p != "" {
		project = "the Railway project " + p
	}
	env := ""
	if e := a.str("-e", "--environment"); e != "" {
		env = " in environment " + e
	}
	service := "the linked Railway service"
	if s := a.str("-s", "--service"); s != "" {
		service = "the Railway service " + s
	}
	named := func(i int, opts ...string) string {
		if v := a.str(opts...); v != "" {
			return v
		}
		return cliJoin(a.ops(i), "chosen at the prompt")
	}
	switch verb := a.op(1).Value; a.op(0).Value {
	case "delete":
		c.Report("paas.railway-delete", "deletes "+project+" with every service, database and volume in it")
	case "down":
		c.Report("paas.railway-delete", "removes the latest deployment of "+service+env+": it stops serving")
	case "volume", "volumes":
		switch verb {
		case "delete", "remove", "rm":
			c.Report("paas.railway-delete", "deletes the Railway volume "+named(2, "-v", "--volume")+env+" and every file on it (the database or uploads it holds)")
		case "detach":
			c.Report("paas.railway-delete", "detaches the Railway volume "+named(2, "-v", "--volume")+env+" from "+service+", which loses access to its data")
		}
	case "environment", "env":
		switch verb {
		case "delete", "remove", "rm":
			c.Report("paas.railway-delete", "deletes the Railway environment "+named(2, "-e", "--environment")+" with its services, databases and volumes")
		}
	case "service":
		switch verb {
		case "delete", "remove", "rm":
			c.Report("paas.railway-delete", "deletes "+service+env+" with its deployments")
		}
	}
}

// paasFly judges fly and flyctl: destroy and its aliases at any depth.
func paasFly(c *Call, tool string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{
		short: "acrtso",
		long:  []string{"--app", "--config", "--region", "--access-token", "--size", "--org", "--image", "--command", "--machine", "--signal", "--timeout"},
	})
	if paasUnknown(c, tool, a.op(0)) {
		return
	}
	isVerb := func(s string) bool { return s == "destroy" || s == "delete" || s == "rm" || s == "remove" }
	i, _ := cliFindVerb(a.operands, isVerb, "ssh", "console", "logs", "status", "deploy", "launch", "proxy", "sftp", "open", "scale", "secrets", "ips", "list", "ls", "show", "create")
	if i < 0 {
		return
	}
	names := a.ops(i + 1)
	app := a.str("-a", "--app")
	ofApp := ""
	if app != "" {
		ofApp = " of app " + app
	}
	group := ""
	if i > 0 {
		group = a.op(i - 1).Value
	}
	what := func(one, many string) string {
		return "the Fly.io " + ctrNoun(len(names), one, many) + " " + cliJoin(names, "chosen at the prompt")
	}
	var reason string
	switch group {
	case "", "apps", "app":
		if len(names) == 0 && app != "" {
			names = []string{app}
		}
		target := "the Fly.io app " + cliJoin(names, "of the fly.toml"+cliWhere(c.Inv.Cwd))
		if len(names) > 1 {
			target = "the Fly.io apps " + cliList(names)
		}
		reason = "destroys " + target + " with its machines, volumes and the data on them"
	case "volumes", "volume", "vol":
		reason = "destroys " + what("volume", "volumes") + ofApp + " and the data on it"
	case "machine", "machines", "m":
		reason = "destroys " + what("machine", "machines") + ofApp
	case "postgres", "pg", "mpg":
		if len(names) == 0 && app != "" {
			names = []string{app}
		}
		reason = "destroys " + what("Postgres cluster", "Postgres clusters") + " and every database in it"
	default:
		reason = "destroys the Fly.io " + group + " " + cliJoin(names, "chosen at the prompt") + ofApp
	}
	c.Report("paas.fly-destroy", reason)
}

// paasHeroku judges heroku commands, written "topic:command" or "topic
// command".
func paasHeroku(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "arc", long: []string{"--app", "--remote", "--confirm", "--space", "--pipeline", "--wait-interval"}})
	if paasUnknown(c, "heroku", a.op(0)) {
		return
	}
	cmd, rest := a.op(0).Value, 1
	if !strings.Contains(cmd, ":") && a.op(1).Value != "" && cliCommandWord(a.op(1).Value) {
		switch cmd + ":" + a.op(1).Value {
		case "apps:destroy", "pg:reset", "addons:destroy", "addons:remove", "pg:killall", "pg:copy",
			"spaces:destroy", "pipelines:destroy":
			cmd, rest = cmd+":"+a.op(1).Value, 2
		}
	}
	app := "app " + a.str("-a", "--app")
	switch {
	case a.str("-a", "--app") != "":
	case a.str("-r", "--remote") != "":
		app = "app of the git remote " + a.str("-r", "--remote") + cliWhere(c.Inv.Cwd)
	default:
		app = "app of the git remote heroku" + cliWhere(c.Inv.Cwd)
	}
	args1 := a.ops(rest)
	db := cliJoin(args1, "DATABASE_URL")
	var reason string
	switch cmd {
	case "apps:destroy", "destroy", "apps:delete":
		if len(args1) > 0 && a.str("-a", "--app") == "" {
			app = "app " + args1[0]
		}
		reason = "destroys the Heroku " + app + " with its add-ons, databases and configuration"
	case "pg:reset":
		reason = "deletes every table and row of the Heroku Postgres database " + db + " of the " + app
	case "addons:destroy", "addons:remove":
		reason = "destroys the Heroku add-on " + cliJoin(args1, "named on its input") + " of the " + app + " and the data it holds"
	case "pg:backups:delete", "pg:backups:destroy":
		reason = "deletes the Heroku Postgres backup " + cliJoin(args1, "named on its input") + " of the " + app
	case "pg:backups:restore":
		target := "DATABASE_URL"
		if len(args1) > 1 {
			target = args1[1]
		}
		reason = "overwrites the Heroku Postgres database " + target + " of the " + app + " with a backup; what it holds now is lost"
	case "pg:copy":
		target := cliJoin(a.ops(rest+1), "named on its input")
		reason = "overwrites the Heroku Postgres database " + target + " of the " + app + " with a copy of " + a.op(rest).String() + "; what it holds now is lost"
	case "pg:killall":
		reason = "terminates every connection to the Heroku Postgres database " + db + " of the " + app + ", interrupting every client using it"
	case "spaces:destroy":
		reason = "destroys the Heroku private space " + cliJoin(append(args1, a.all("--space")...), "named on its input") + " and every app in it"
	case "pipelines:destroy":
		reason = "destroys the Heroku pipeline " + cliJoin(args1, "named on its input")
	default:
		return
	}
	c.Report("paas.heroku-destroy", reason)
}

// paasVercel judges vercel rm/remove.
func paasVercel(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{
		short: "tSAQT",
		long:  []string{"--token", "--scope", "--local-config", "--global-config", "--team", "--cwd"},
	})
	if paasUnknown(c, "vercel", a.op(0)) {
		return
	}
	rm := func(s string) bool { return s == "rm" || s == "remove" }
	switch group := a.op(0).Value; {
	case rm(group):
		names := cliJoin(a.ops(1), "named on its input")
		c.Report("paas.vercel-remove", "removes the Vercel project or deployment "+names+" (a project goes with all its deployments and domains)")
	case (group == "project" || group == "projects") && rm(a.op(1).Value):
		c.Report("paas.vercel-remove", "removes the Vercel project "+cliJoin(a.ops(2), "named on its input")+" with all its deployments and domains")
	case rm(a.op(1).Value):
		switch group {
		case "domains", "domain", "dns", "alias", "aliases", "env", "certs", "secrets", "integration":
			c.Report("paas.vercel-remove", "removes the Vercel "+group+" "+cliJoin(a.ops(2), "named on its input"))
		}
	}
}

// paasNetlify judges netlify sites:delete.
func paasNetlify(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "", long: []string{"--auth", "--filter", "--site", "--context"}})
	if paasUnknown(c, "netlify", a.op(0)) {
		return
	}
	cmd, rest := a.op(0).Value, 1
	if cmd == "sites" || cmd == "site" {
		cmd, rest = cmd+":"+a.op(1).Value, 2
	}
	switch cmd {
	case "sites:delete", "site:delete":
		c.Report("paas.netlify-delete", "deletes the Netlify site "+cliJoin(a.ops(rest), "named on its input")+" with all its deploys, forms and functions")
	}
}

// paasSupabase judges supabase ... delete and storage rm; db reset is left
// to the migrations pack.
func paasSupabase(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{
		short: "o",
		long:  []string{"--workdir", "--profile", "--project-ref", "--output", "--dns-resolver", "--network-id", "--org-id"},
	})
	if paasUnknown(c, "supabase", a.op(0)) {
		return
	}
	i, _ := cliFindVerb(a.operands, func(s string) bool { return s == "delete" || s == "rm" }, "db", "start", "stop", "status", "link", "gen", "migration", "test", "list", "ls", "cp", "mv")
	if i <= 0 {
		return
	}
	names := a.ops(i + 1)
	var reason string
	switch group := a.op(i - 1).Value; {
	case group == "projects" && a.op(i).Value == "delete":
		reason = "deletes the Supabase project " + cliJoin(names, "chosen at the prompt") + " with its database, storage, auth users and functions"
	case group == "storage" && a.op(i).Value == "rm":
		target := cliJoin(names, "named on its input")
		if a.on("-r", "--recursive") {
			reason = "deletes every object under " + target + " in Supabase Storage"
		} else {
			reason = "deletes the Supabase Storage " + ctrNoun(len(names), "object", "objects") + " " + target
		}
	case a.op(i).Value == "delete":
		ref := ""
		if r := a.str("--project-ref"); r != "" {
			ref = " of project " + r
		}
		reason = "deletes the Supabase " + cloudSingular(group) + " " + cliJoin(names, "named on its input") + ref
	default:
		return
	}
	c.Report("paas.supabase-delete", reason)
}

// paasGeneric judges tools whose destructive commands are "... delete" or
// "... rm" at any depth of command groups (render, wrangler).
func paasGeneric(c *Call, tool, product, rule string, args []interceptor.Word, spec cliSpec) {
	a := cliParse(args, spec)
	if paasUnknown(c, tool, a.op(0)) {
		return
	}
	i, _ := cliFindVerb(a.operands, func(s string) bool { return s == "delete" || s == "rm" }, cloudPathStops()...)
	if i < 0 {
		return
	}
	what := "Worker"
	if i > 0 {
		what = cloudResource(a.operands[:i], false)
	} else if tool != "wrangler" {
		what = "resource"
	}
	names := a.ops(i + 1)
	if n := a.str("--name"); n != "" {
		names = append(names, n)
	}
	c.Report(rule, "deletes the "+product+" "+what+" "+cliJoin(names, "named by its configuration"+cliWhere(c.Inv.Cwd)))
}

// paasGh judges "gh GROUP delete..."; gh api is left to the HTTP rules.
func paasGh(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "RLqtjX", long: []string{"--repo", "--jq", "--template", "--limit", "--json", "--org", "--env", "--app", "--user", "--key", "--owner", "--method"}})
	if paasUnknown(c, "gh", a.op(0)) {
		return
	}
	group, verb := a.op(0).Value, a.op(1)
	switch group {
	case "repo", "release", "issue", "gist", "secret", "variable", "label", "cache", "run", "project", "ssh-key", "gpg-key", "codespace", "ruleset", "environment":
		if verb.Unknown {
			paasUnknown(c, "gh "+group, verb)
			return
		}
	case "api":
		// gh api requests are judged by the HTTP rules.
		return
	}
	if !strings.HasPrefix(verb.Value, "delete") {
		return
	}
	names := a.ops(2)
	repo := a.str("-R", "--repo")
	inRepo := " of the repository " + repo
	if repo == "" {
		inRepo = " of the GitHub repository" + cliWhere(c.Inv.Cwd)
	}
	var reason string
	switch group {
	case "repo":
		target := cliJoin(names, repo)
		if target == "" {
			target = "of the project" + cliWhere(c.Inv.Cwd)
		}
		reason = "deletes the GitHub repository " + target + " with its issues, pull requests, wiki and releases"
	case "release":
		if verb.Value == "delete-asset" {
			reason = "deletes the asset " + cliJoin(a.ops(3), "named on its input") + " of the GitHub release " + a.op(2).String() + inRepo
			break
		}
		reason = "deletes the GitHub release " + cliJoin(names, "named on its input") + inRepo
		if a.on("--cleanup-tag") {
			reason += " and its git tag"
		}
	case "cache", "run":
		// Actions caches are rebuilt by the next run, and deleting an old
		// run removes its logs only: CI housekeeping, nothing of the
		// repository.
		return
	default:
		reason = "deletes the GitHub " + group + " " + cliJoin(names, "named on its input")
		if group != "gist" && group != "ssh-key" && group != "gpg-key" && group != "codespace" && group != "project" {
			reason += inRepo
		}
	}
	c.Report("paas.gh-delete", reason)
}
