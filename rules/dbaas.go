package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// DBaaSPack returns the rules about the command line tools of hosted
// databases and backends (Supabase is in the paas pack):
//
//   - pscale (PlanetScale): database, branch, backup, password and
//     service-token delete.
//   - neonctl (Neon): projects, branches, databases and roles delete;
//     branches reset and restore, which replace a branch's data.
//   - turso: db, group and org destroy, db tokens invalidate; the SQL
//     given to "turso db shell DB SQL" is judged as SQL.
//   - atlas (MongoDB Atlas; Ariga's atlas is the migrations pack's):
//     clusters, projects, database users, snapshots, access lists and
//     other deletes; clusters pause.
//   - firebase: firestore:delete, database:remove, database:set (which
//     replaces the data at a path), functions/hosting channel/app/extension
//     deletes, hosting:disable.
//   - sanity: dataset delete, dataset import --replace, documents delete,
//     graphql undeploy, and other deletes.
//   - convex: import --replace / --replace-all, env remove.
//
// The tools are also recognised when run through npx, bunx, pnpm dlx and
// kin. Listing, connecting, branching, deploying and reading report
// nothing.
func DBaaSPack() *Pack {
	return &Pack{
		Name:     "dbaas",
		Commands: append([]string{"pscale", "neonctl", "neon", "turso", "atlas", "firebase", "sanity", "convex"}, cliRunners()...),
		Check:    dbCheck,
		Rules: []Rule{
			{ID: "dbaas.planetscale-delete", Default: Confirm, Summary: "pscale database/branch/backup/password delete"},
			{ID: "dbaas.neon-delete", Default: Confirm, Summary: "neonctl projects/branches/databases/roles delete, branches reset/restore"},
			{ID: "dbaas.turso-destroy", Default: Confirm, Summary: "turso db/group/org destroy, db tokens invalidate"},
			{ID: "dbaas.atlas-delete", Default: Confirm, Summary: "MongoDB atlas clusters/projects/dbusers/backups ... delete, clusters pause"},
			{ID: "dbaas.firebase-delete", Default: Confirm, Summary: "firebase firestore:delete, database:remove/set, functions:delete, hosting:disable ..."},
			{ID: "dbaas.sanity-delete", Default: Confirm, Summary: "sanity dataset delete, dataset import --replace, documents delete, graphql undeploy"},
			{ID: "dbaas.convex-replace", Default: Confirm, Summary: "convex import --replace/--replace-all, env remove"},
			{ID: "dbaas.unknown-subcommand", Default: Confirm, Summary: "hosted database CLI subcommand that cannot be known statically"},
		},
	}
}

// dbCheck dispatches on the tool run, directly or through a package
// runner.
func dbCheck(c *Call) {
	name, args := cliTarget(c.Inv)
	switch name {
	case "pscale", "neonctl", "neon", "turso", "atlas", "firebase", "firebase-tools", "sanity", "@sanity/cli", "convex":
	default:
		return
	}
	if name == c.Inv.Name {
		toolLaunched(c)
	}
	switch name {
	case "pscale":
		dbPscale(c, args)
	case "neonctl", "neon":
		dbNeon(c, name, args)
	case "turso":
		dbTurso(c, args)
	case "atlas":
		dbAtlas(c, args)
	case "firebase", "firebase-tools":
		dbFirebase(c, args)
	case "sanity", "@sanity/cli":
		dbSanity(c, args)
	case "convex":
		dbConvex(c, args)
	}
}

// dbUnknown reports a subcommand word that cannot be known.
func dbUnknown(c *Call, tool string, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("dbaas.unknown-subcommand", "runs a "+tool+" subcommand that cannot be known before it runs ("+tool+" "+w.String()+")")
	return true
}

// dbDeleteVerb reports whether a subcommand deletes.
func dbDeleteVerb(s string) bool {
	return s == "delete" || s == "rm" || s == "remove" || s == "del" || s == "destroy"
}

// dbPscale judges the PlanetScale CLI.
func dbPscale(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--org", "--service-token", "--service-token-id", "--config", "--format", "--api-url"}})
	group, verb := a.op(0), a.op(1)
	if dbUnknown(c, "pscale", group) {
		return
	}
	switch group.Value {
	case "database", "db", "branch", "backup", "password", "service-token", "keyspace":
	default:
		return
	}
	if dbUnknown(c, "pscale "+group.Value, verb) || !dbDeleteVerb(verb.Value) {
		return
	}
	ops := a.ops(2)
	org := ""
	if o := a.str("--org"); o != "" {
		org = " of the organisation " + o
	}
	db := cliJoin(ops[:min(1, len(ops))], "named on its input")
	var reason string
	switch group.Value {
	case "database", "db":
		reason = "deletes the PlanetScale database " + db + org + " with every branch, backup and row in it"
	case "branch":
		reason = "deletes the branch " + cliJoin(ops[min(1, len(ops)):], "named on its input") + " of the PlanetScale database " + db + org + " with its data"
	case "backup":
		reason = "deletes the backup " + cliJoin(ops[min(2, len(ops)):], "named on its input") + " of the PlanetScale database " + db + org + ": it can no longer be restored"
	case "password":
		reason = "deletes the password " + cliJoin(ops[min(2, len(ops)):], "named on its input") + " of the PlanetScale database " + db + org + ": the apps connecting with it lose access"
	default:
		reason = "deletes the PlanetScale " + group.Value + " " + cliJoin(ops, "named on its input") + org
	}
	c.Report("dbaas.planetscale-delete", reason)
}

// dbNeon judges neonctl.
func dbNeon(c *Call, tool string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--project-id", "--branch", "--org-id", "--api-key", "--output", "--context-file", "--parent", "--source", "--name"}})
	group, verb := a.op(0), a.op(1)
	if dbUnknown(c, tool, group) {
		return
	}
	kind := ""
	switch group.Value {
	case "projects", "project":
		kind = "project"
	case "branches", "branch":
		kind = "branch"
	case "databases", "database", "db":
		kind = "database"
	case "roles", "role":
		kind = "role"
	default:
		return
	}
	if dbUnknown(c, tool+" "+group.Value, verb) {
		return
	}
	names := cliJoin(a.ops(2), "named on its input")
	of := ""
	if p := a.str("--project-id"); p != "" && kind != "project" {
		of = " of the Neon project " + p
	} else if kind != "project" {
		of = " of the Neon project set in the context" + cliWhere(c.Inv.Cwd)
	}
	if b := a.str("--branch"); b != "" && (kind == "database" || kind == "role") {
		of = " on branch " + b + of
	}
	var reason string
	switch {
	case dbDeleteVerb(verb.Value) && kind == "project":
		reason = "deletes the Neon project " + names + " with every branch, database and row in it"
	case dbDeleteVerb(verb.Value) && kind == "branch":
		reason = "deletes the Neon branch " + names + of + " with its data"
	case dbDeleteVerb(verb.Value) && kind == "database":
		reason = "deletes the Neon database " + names + of + " with every table in it"
	case dbDeleteVerb(verb.Value) && kind == "role":
		reason = "deletes the Neon role " + names + of + ": what connects as it loses access"
	case verb.Value == "reset" && kind == "branch":
		reason = "resets the Neon branch " + names + of + " to its parent: every change made on it is lost"
	case verb.Value == "restore" && kind == "branch":
		reason = "restores the Neon branch " + names + of + " from " + cliJoin(a.ops(3), "the source given") + ": what it holds now is replaced"
	default:
		return
	}
	c.Report("dbaas.neon-delete", reason)
}

// dbTurso judges the turso CLI.
func dbTurso(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--group", "--location", "--from-file", "--from-db", "--timestamp", "--expiration", "--instance", "--org"}})
	group, verb := a.op(0), a.op(1)
	if dbUnknown(c, "turso", group) {
		return
	}
	switch group.Value {
	case "db", "group", "org":
	default:
		return
	}
	if dbUnknown(c, "turso "+group.Value, verb) {
		return
	}
	names := cliJoin(a.ops(2), "named on its input")
	switch {
	case group.Value == "db" && verb.Value == "shell" && len(a.operands) > 3:
		// "turso db shell DB SQL": the SQL runs on the database.
		db := a.op(2).String()
		c.Shell("sqlite3 "+toolQuote(interceptor.Word{Value: "turso:" + db})+" "+toolQuote(a.op(3)), "turso db shell "+db)
	case group.Value == "db" && verb.Value == "destroy":
		c.Report("dbaas.turso-destroy", "destroys the Turso databases "+names+" with every row in them")
	case group.Value == "group" && verb.Value == "destroy":
		c.Report("dbaas.turso-destroy", "destroys the Turso group "+names+" with every database in it")
	case group.Value == "org" && verb.Value == "destroy":
		c.Report("dbaas.turso-destroy", "destroys the Turso organisation "+names+" with every group and database in it")
	case group.Value == "db" && verb.Value == "tokens" && a.op(2).Value == "invalidate":
		c.Report("dbaas.turso-destroy", "invalidates every token of the Turso database "+cliJoin(a.ops(3), "named on its input")+": every app connecting to it loses access")
	}
}

// dbAtlas judges MongoDB's atlas CLI; Ariga's atlas (schema, migrate) is
// left to the migrations pack.
func dbAtlas(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "Po", long: []string{"--projectId", "--orgId", "--profile", "--output", "--clusterName", "--snapshotId", "--username", "--type"}})
	group := a.op(0)
	if dbUnknown(c, "atlas", group) {
		return
	}
	switch group.Value {
	case "clusters", "cluster", "projects", "project", "dbusers", "dbuser", "backups", "backup", "accessLists",
		"accessList", "organizations", "organization", "orgs", "org", "serverless", "streams", "dataFederation",
		"privateEndpoints", "alerts", "customDbRoles", "auditing", "networking", "integrations", "deployments", "search":
	default:
		return // schema, migrate ...: Ariga's atlas
	}
	// Atlas's command groups are camelCase ("accessLists"), which
	// cliFindVerb does not take for command words.
	i := -1
	for j, w := range a.operands[:min(4, len(a.operands))] {
		if w.Unknown {
			dbUnknown(c, "atlas", w)
			return
		}
		if dbDeleteVerb(w.Value) || w.Value == "pause" {
			i = j
			break
		}
	}
	if i < 1 {
		return
	}
	project := ""
	if p := a.str("--projectId"); p != "" {
		project = " of the Atlas project " + p
	}
	names := cliJoin(a.ops(i+1), "named on its input")
	path := a.operands[:i]
	var reason string
	switch g := strings.ToLower(path[0].Value); {
	case a.op(i).Value == "pause":
		reason = "pauses the MongoDB Atlas cluster " + names + project + ": every application using it loses its database"
	case strings.HasPrefix(g, "cluster"), g == "serverless":
		reason = "deletes the MongoDB Atlas cluster " + names + project + " with every database in it"
	case strings.HasPrefix(g, "project"):
		reason = "deletes the MongoDB Atlas project " + names + " with its clusters and their data"
	case strings.HasPrefix(g, "backup"):
		reason = "deletes the MongoDB Atlas backup " + names + project + ": it can no longer be restored"
	case strings.HasPrefix(g, "dbuser"):
		reason = "deletes the MongoDB Atlas database user " + names + project + ": the applications connecting as it lose access"
	case strings.HasPrefix(g, "org"):
		reason = "deletes the MongoDB Atlas organisation " + names
	default:
		reason = "deletes the MongoDB Atlas " + cloudResource(path, false) + " " + names + project
	}
	c.Report("dbaas.atlas-delete", reason)
}

// dbFirebase judges the Firebase CLI: "firebase topic:command".
func dbFirebase(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "Pc", long: []string{"--project", "--config", "--instance", "--token", "--database", "--site", "--region", "--account"}})
	cmd := a.op(0)
	if dbUnknown(c, "firebase", cmd) {
		return
	}
	project := " of the Firebase project set up" + cliWhere(c.Inv.Cwd)
	if p := a.str("-P", "--project"); p != "" {
		project = " of the Firebase project " + p
	}
	target := cliJoin(a.ops(1), "named on its input")
	var reason string
	switch cmd.Value {
	case "firestore:delete":
		switch {
		case a.on("--all-collections"):
			reason = "deletes every document of every collection in Firestore" + project
		case a.on("-r", "--recursive"):
			reason = "deletes the Firestore documents at " + target + " and every document below them" + project
		default:
			reason = "deletes the Firestore document or collection " + target + project
		}
	case "database:remove":
		reason = "deletes the Realtime Database data at " + target + " and everything below it" + project
	case "database:set":
		reason = "replaces the Realtime Database data at " + cliJoin(a.ops(1)[:min(1, len(a.ops(1)))], "named on its input") + project + ": what is there now is lost"
	case "hosting:disable":
		reason = "takes down the Firebase Hosting site" + project + ": it stops serving"
	case "firestore:databases:delete":
		reason = "deletes the Firestore database " + target + project + " with every document in it"
	case "ext:uninstall":
		reason = "uninstalls the Firebase extension " + target + project + " and deletes the resources it created"
	default:
		if !strings.HasSuffix(cmd.Value, ":delete") {
			return
		}
		reason = "deletes the Firebase " + strings.ReplaceAll(strings.TrimSuffix(cmd.Value, ":delete"), ":", " ") + " " + target + project
	}
	c.Report("dbaas.firebase-delete", reason)
}

// dbSanity judges the Sanity CLI.
func dbSanity(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--dataset", "--project", "--project-id", "--api-version", "--tag"}})
	group, verb := a.op(0), a.op(1)
	if dbUnknown(c, "sanity", group) {
		return
	}
	switch group.Value {
	case "dataset", "documents", "graphql", "cors", "hook", "tokens", "undeploy":
	default:
		return
	}
	if group.Value == "undeploy" {
		c.Report("dbaas.sanity-delete", "removes the deployed Sanity Studio of the project"+cliWhere(c.Inv.Cwd)+": it stops serving")
		return
	}
	if dbUnknown(c, "sanity "+group.Value, verb) {
		return
	}
	ops := a.ops(2)
	dataset := a.str("--dataset")
	var reason string
	switch {
	case group.Value == "dataset" && verb.Value == "delete":
		reason = "deletes the Sanity dataset " + cliJoin(ops, "named on its input") + " with every document and asset in it"
	case group.Value == "dataset" && verb.Value == "alias" && dbDeleteVerb(a.op(2).Value):
		reason = "deletes the Sanity dataset alias " + cliJoin(a.ops(3), "named on its input") + ": what reads through it breaks"
	case group.Value == "dataset" && verb.Value == "import" && a.on("--replace"):
		into := cliJoin(ops[min(1, len(ops)):], dataset)
		if into == "" {
			into = "named on its input"
		}
		reason = "imports " + cliJoin(ops[:min(1, len(ops))], "a file") + " into the Sanity dataset " + into + ", replacing the documents with the same ids"
	case group.Value == "documents" && dbDeleteVerb(verb.Value):
		in := ""
		if dataset != "" {
			in = " in the dataset " + dataset
		}
		reason = "deletes the Sanity documents " + cliJoin(ops, "named on its input") + in
	case group.Value == "graphql" && verb.Value == "undeploy":
		reason = "removes the deployed GraphQL API of the Sanity project: what queries it breaks"
	case dbDeleteVerb(verb.Value):
		reason = "deletes the Sanity " + group.Value + " " + cliJoin(ops, "named on its input")
	default:
		return
	}
	c.Report("dbaas.sanity-delete", reason)
}

// dbConvex judges the Convex CLI.
func dbConvex(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{long: []string{"--table", "--format", "--deployment-name", "--url", "--admin-key", "--env-file", "--preview-name"}})
	cmd := a.op(0)
	if dbUnknown(c, "convex", cmd) {
		return
	}
	where := " of the Convex dev deployment"
	if a.on("--prod") {
		where = " of the Convex production deployment"
	} else if d := a.str("--deployment-name"); d != "" {
		where = " of the Convex deployment " + d
	}
	switch cmd.Value {
	case "import":
		switch {
		case a.on("--replace-all"):
			c.Report("dbaas.convex-replace", "replaces every table"+where+" with the contents of "+cliJoin(a.ops(1), "the file given")+": every document now there is deleted")
		case a.on("--replace"):
			table := a.str("--table")
			if table == "" {
				table = "named by the file"
			}
			c.Report("dbaas.convex-replace", "replaces the table "+table+where+" with the contents of "+cliJoin(a.ops(1), "the file given")+": the documents now there are deleted")
		}
	case "env":
		if dbDeleteVerb(a.op(1).Value) || a.op(1).Value == "unset" {
			c.Report("dbaas.convex-replace", "removes the environment variable "+cliJoin(a.ops(2), "named on its input")+where+": the functions that read it break")
		}
	}
}
