package rules

import (
	"path"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// ForgePack returns the rules about code forges and CI/CD servers other
// than GitHub (gh is in the paas pack):
//
//   - glab (GitLab): "glab GROUP delete" of a repository, release,
//     variable, issue, merge request, label, schedule, pipeline, key,
//     snippet or runner; token revoke. glab api is judged by the http pack.
//   - circleci: context delete and remove-secret, namespace delete, orb
//     unlist.
//   - Jenkins' CLI (java -jar jenkins-cli.jar, or a jenkins-cli wrapper):
//     delete-job, delete-node, delete-view, delete-builds,
//     delete-credentials..., shutdown and restart, clear-queue, and groovy
//     and groovysh, which run code with full control of the controller.
//   - argocd: app delete (with its Kubernetes resources unless
//     --cascade=false), app delete-resource, app sync --prune, appset,
//     project, repository and cluster removal.
//   - GitLab's server tools: gitlab-rake gitlab:backup:restore, cleanup
//     tasks and database drops; gitlab-backup restore.
//
// Listing, viewing, creating and running pipelines report nothing.
func ForgePack() *Pack {
	return &Pack{
		Name:     "forge",
		Commands: []string{"glab", "circleci", "java", "jenkins-cli", "argocd", "gitlab-rake", "gitlab-backup"},
		Check:    forgeCheck,
		Rules: []Rule{
			{ID: "forge.glab-delete", Default: Confirm, Summary: "glab repo/release/variable/issue/mr/label/schedule/ci/... delete, token revoke"},
			{ID: "forge.circleci-delete", Default: Confirm, Summary: "circleci context delete/remove-secret, namespace delete, orb unlist"},
			{ID: "forge.jenkins-delete", Default: Confirm, Summary: "jenkins-cli delete-job/node/view/builds/credentials, shutdown, restart, clear-queue, groovy"},
			{ID: "forge.argocd-delete", Default: Confirm, Summary: "argocd app delete (and its cluster resources), app sync --prune, project/repo/cluster removal"},
			{ID: "forge.gitlab-admin", Default: Confirm, Summary: "gitlab-rake gitlab:backup:restore, cleanup tasks, database drops; gitlab-backup restore"},
			{ID: "forge.unknown-subcommand", Default: Confirm, Summary: "forge or CI CLI subcommand that cannot be known statically"},
		},
	}
}

// forgeCheck dispatches on the tool.
func forgeCheck(c *Call) {
	switch c.Inv.Name {
	case "glab":
		toolLaunched(c)
		forgeGlab(c)
	case "circleci":
		toolLaunched(c)
		forgeCircleci(c)
	case "java":
		forgeJava(c)
	case "jenkins-cli":
		toolLaunched(c)
		forgeJenkins(c, c.Inv.Args)
	case "argocd":
		toolLaunched(c)
		forgeArgocd(c)
	case "gitlab-rake", "gitlab-backup":
		toolLaunched(c)
		forgeGitlabRake(c)
	}
}

// forgeUnknown reports a subcommand word that cannot be known.
func forgeUnknown(c *Call, tool string, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("forge.unknown-subcommand", "runs a "+tool+" subcommand that cannot be known before it runs ("+tool+" "+w.String()+")")
	return true
}

// forgeDeleteVerb reports whether a subcommand deletes.
func forgeDeleteVerb(s string) bool {
	return s == "delete" || s == "del" || s == "rm" || s == "remove"
}

// forgeGlab judges "glab GROUP delete"; glab api is the http pack's.
func forgeGlab(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "RgFsPe", long: []string{"--repo", "--group", "--output", "--scope",
		"--per-page", "--page", "--status", "--environment", "--user", "--hostname"}})
	group, verb := a.op(0), a.op(1)
	if forgeUnknown(c, "glab", group) {
		return
	}
	switch group.Value {
	case "repo", "release", "variable", "var", "issue", "mr", "label", "schedule", "ci", "pipe", "pipeline",
		"deploy-key", "ssh-key", "gpg-key", "snippet", "token", "runner", "cluster", "securefile", "incident", "stack":
	default:
		return
	}
	if forgeUnknown(c, "glab "+group.Value, verb) {
		return
	}
	names := a.ops(2)
	repo := a.str("-R", "--repo")
	in := " of the GitLab project " + repo
	if repo == "" {
		in = " of the GitLab project" + cliWhere(c.Inv.Cwd)
	}
	if g := a.str("-g", "--group"); g != "" {
		in = " of the GitLab group " + g
	}
	if group.Value == "token" {
		if verb.Value == "revoke" || forgeDeleteVerb(verb.Value) {
			c.Report("forge.glab-delete", "revokes the GitLab token "+cliJoin(names, "named on its input")+in+": whatever uses it loses access")
		}
		return
	}
	if !forgeDeleteVerb(verb.Value) {
		return
	}
	what := cliJoin(names, "named on its input")
	var reason string
	switch group.Value {
	case "repo":
		target := cliJoin(names, repo)
		if target == "" {
			target = "of the project" + cliWhere(c.Inv.Cwd)
		}
		reason = "deletes the GitLab project " + target + " with its issues, merge requests, wiki, pipelines and releases"
	case "release":
		reason = "deletes the GitLab release " + what + in
		if a.on("--with-tag", "-t") {
			reason += " and its git tag"
		}
	case "variable", "var":
		reason = "deletes the GitLab CI/CD variable " + what + in + ": pipelines that read it break"
	case "ci", "pipe", "pipeline":
		if s := a.str("--status"); s != "" {
			what = "every pipeline with status " + s
		}
		reason = "deletes the GitLab pipelines " + what + in + " with their jobs, logs and artifacts"
	case "mr":
		reason = "deletes the GitLab merge request " + what + in + " with its discussion"
	default:
		reason = "deletes the GitLab " + group.Value + " " + what + in
	}
	c.Report("forge.glab-delete", reason)
}

// forgeCircleci judges the circleci CLI.
func forgeCircleci(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--token", "--host", "--org-id", "--integration-testing", "--debug-level"}})
	group, verb := a.op(0), a.op(1)
	if forgeUnknown(c, "circleci", group) {
		return
	}
	switch group.Value {
	case "context", "namespace", "orb", "project", "policy":
	default:
		return
	}
	if forgeUnknown(c, "circleci "+group.Value, verb) {
		return
	}
	args := a.ops(2)
	last := cliJoin(args[max(0, len(args)-1):], "named on its input")
	switch {
	case group.Value == "context" && forgeDeleteVerb(verb.Value):
		c.Report("forge.circleci-delete", "deletes the CircleCI context "+last+" with every secret in it: the jobs that use it fail")
	case group.Value == "context" && verb.Value == "remove-secret":
		c.Report("forge.circleci-delete", "deletes the secret "+last+" of the CircleCI context "+cliJoin(args[max(0, len(args)-2):max(0, len(args)-1)], "named on its input"))
	case group.Value == "namespace" && forgeDeleteVerb(verb.Value):
		c.Report("forge.circleci-delete", "deletes the CircleCI orb namespace "+last+" with every orb in it: the configurations that import them break")
	case group.Value == "orb" && verb.Value == "unlist":
		if len(args) > 1 && args[len(args)-1] == "false" {
			return
		}
		c.Report("forge.circleci-delete", "unlists the CircleCI orb "+cliJoin(args[:min(1, len(args))], "named on its input")+" from the orb registry")
	case group.Value == "project" && (verb.Value == "secret" || verb.Value == "env-var") && forgeDeleteVerb(a.op(2).Value):
		c.Report("forge.circleci-delete", "deletes the CircleCI project "+verb.Value+" "+cliJoin(a.ops(len(a.operands)-1), "named on its input"))
	}
}

// forgeJava judges "java -jar jenkins-cli.jar ..."; other java programs
// report nothing here.
func forgeJava(c *Call) {
	toolLaunched(c)
	args := c.Inv.Args
	for i := 0; i+1 < len(args); i++ {
		if args[i].Value != "-jar" {
			continue
		}
		jar := args[i+1]
		if jar.Unknown || !strings.HasPrefix(path.Base(jar.Value), "jenkins-cli") {
			return
		}
		forgeJenkins(c, args[i+2:])
		return
	}
}

// forgeJenkins judges the arguments of Jenkins' CLI.
func forgeJenkins(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{single: true, long: []string{"-s", "-auth", "-i", "-user", "-logger", "-p", "-bearer"}, stop: true})
	if len(a.rest) == 0 {
		return
	}
	cmd := a.rest[0]
	if forgeUnknown(c, "jenkins-cli", cmd) {
		return
	}
	var names []string
	for _, w := range a.rest[1:] {
		if !strings.HasPrefix(w.Value, "-") {
			names = append(names, w.String())
		}
	}
	at := " on the Jenkins server " + a.str("-s")
	if a.str("-s") == "" {
		if u := c.Inv.Assigns["JENKINS_URL"]; u != "" {
			at = " on the Jenkins server " + u
		} else {
			at = " on the Jenkins server JENKINS_URL names"
		}
	}
	what := cliJoin(names, "named on its input")
	var reason string
	switch cmd.Value {
	case "delete-job", "delete-jobs":
		reason = "deletes the Jenkins jobs " + what + at + " with their configuration and build history"
	case "delete-builds":
		reason = "deletes the builds " + cliJoin(names[min(1, len(names)):], "given") + " of the Jenkins job " + cliJoin(names[:min(1, len(names))], "named on its input") + at + ", with their logs and artifacts"
	case "delete-node":
		reason = "deletes the Jenkins agents " + what + at
	case "delete-view":
		reason = "deletes the Jenkins views " + what + at
	case "delete-credentials", "delete-credentials-domain":
		reason = "deletes Jenkins credentials (" + what + ")" + at + ": the jobs that use them fail"
	case "shutdown", "safe-shutdown", "restart", "safe-restart":
		reason = "runs " + cmd.Value + at + ": running builds are stopped or the server goes away for everyone"
	case "clear-queue":
		reason = "drops every queued build" + at
	case "groovy", "groovysh":
		reason = "runs a Groovy script" + at + " with full control of the controller, its jobs and its credentials; guard cannot check what it does"
	default:
		return
	}
	c.Report("forge.jenkins-delete", reason)
}

// forgeArgocd judges the argocd CLI.
func forgeArgocd(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "Nlpo", long: []string{"--server", "--auth-token", "--app-namespace", "--selector",
		"--propagation-policy", "--context", "--config", "--port-forward-namespace", "--project", "--output",
		"--kind", "--group", "--namespace", "--resource-name", "--revision", "--timeout", "--header", "--name"}})
	group, verb := a.op(0), a.op(1)
	if forgeUnknown(c, "argocd", group) {
		return
	}
	switch group.Value {
	case "app", "application", "appset", "proj", "project", "repo", "repocreds", "cluster", "cert", "gpg", "account":
	default:
		return
	}
	if forgeUnknown(c, "argocd "+group.Value, verb) {
		return
	}
	at := ""
	if s := a.str("--server"); s != "" {
		at = " on the Argo CD server " + s
	}
	names := a.ops(2)
	what := cliJoin(names, "named on its input")
	if sel := a.str("-l", "--selector"); sel != "" && len(names) == 0 {
		what = "selected by " + sel
	}
	var reason string
	switch {
	case (group.Value == "app" || group.Value == "application") && forgeDeleteVerb(verb.Value):
		reason = "deletes the Argo CD " + ctrNoun(len(names), "application", "applications") + " " + what + at
		if a.has("--cascade") && !a.on("--cascade") {
			reason += " (the Kubernetes resources it deployed are left running)"
		} else {
			reason += " and every Kubernetes resource it deployed (deployments, services, volumes and their data)"
		}
	case (group.Value == "app" || group.Value == "application") && verb.Value == "delete-resource":
		reason = "deletes the Kubernetes resource " + strings.TrimSpace(a.str("--kind")+" "+a.str("--resource-name")) + " of the Argo CD application " + what + at
	case (group.Value == "app" || group.Value == "application") && verb.Value == "sync" && a.on("--prune"):
		if a.on("--dry-run") || a.on("--preview-changes") {
			return
		}
		reason = "syncs the Argo CD applications " + what + at + " and deletes every resource of theirs that git no longer holds"
	case group.Value == "appset" && forgeDeleteVerb(verb.Value):
		reason = "deletes the Argo CD application sets " + what + at + " with every application they generated and those applications' resources"
	case (group.Value == "proj" || group.Value == "project") && forgeDeleteVerb(verb.Value):
		reason = "deletes the Argo CD projects " + what + at
	case (group.Value == "repo" || group.Value == "repocreds" || group.Value == "cluster" || group.Value == "cert" || group.Value == "gpg") && forgeDeleteVerb(verb.Value):
		reason = "removes the Argo CD " + group.Value + " " + what + at + ": the applications that use it can no longer sync"
	case group.Value == "account" && verb.Value == "delete-token":
		reason = "deletes the Argo CD token " + what + at + ": whatever uses it loses access"
	default:
		return
	}
	c.Report("forge.argocd-delete", reason)
}

// forgeGitlabRake judges GitLab's server maintenance tools.
func forgeGitlabRake(c *Call) {
	if c.Inv.Name == "gitlab-backup" {
		a := cliParse(c.Inv.Args, cliSpec{})
		if forgeUnknown(c, "gitlab-backup", a.op(0)) || a.op(0).Value != "restore" {
			return
		}
		c.Report("forge.gitlab-admin", "restores a GitLab backup over this GitLab instance: its database, repositories and uploads are replaced")
		return
	}
	dryRun := c.Inv.Assigns["DRY_RUN"] == "true"
	for _, w := range c.Inv.Args {
		dryRun = dryRun || w.Value == "DRY_RUN=true"
	}
	for _, w := range c.Inv.Args {
		if w.Unknown {
			forgeUnknown(c, "gitlab-rake", w)
			return
		}
		task, _, _ := strings.Cut(w.Value, "[")
		switch {
		case task == "gitlab:backup:restore":
			c.Report("forge.gitlab-admin", "restores a GitLab backup over this GitLab instance: its database, repositories and uploads are replaced")
		case strings.HasPrefix(task, "gitlab:cleanup:") && !dryRun:
			c.Report("forge.gitlab-admin", "runs the GitLab cleanup task "+task+", which deletes or moves what it finds (DRY_RUN=true only lists it)")
		case task == "db:drop", task == "db:reset", task == "db:schema:load", task == "gitlab:db:drop_tables", task == "gitlab:setup":
			c.Report("forge.gitlab-admin", "runs "+task+" on GitLab's database: every project, user and issue in it is deleted")
		}
	}
}
