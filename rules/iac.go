package rules

import "github.com/guard-dev/guard/interceptor"

// IaCPack returns the rules about infrastructure as code: commands that
// destroy the infrastructure a configuration manages (terraform, tofu and
// terragrunt destroy or apply -destroy, pulumi destroy, cdk and cdktf
// destroy, sst and serverless remove), that destroy and re-create a resource
// (apply -replace), or that make the tool forget or overwrite what it
// manages (state rm, state push, workspace delete, pulumi stack rm).
//
// Plain apply (pulumi up, cdk deploy) is everyday work for the people who
// use these tools and is allowed, as are plan (also plan -destroy), show,
// output, state list, fmt, validate, init and pulumi preview. Terraform's
// Go-style options are read in either spelling ("-destroy", "--destroy",
// "-destroy=false") and in any order; "-chdir=DIR" names the directory the
// reasons mention (the interceptor already sets the working directory from
// it), as do terragrunt's --working-dir and pulumi's --cwd.
func IaCPack() *Pack {
	return &Pack{
		Name:     "iac",
		Commands: append([]string{"terraform", "tofu", "terragrunt", "pulumi", "cdk", "cdktf", "sst", "serverless", "sls"}, cliRunners()...),
		Check:    iacCheck,
		Rules: []Rule{
			{ID: "iac.destroy", Default: Confirm, Summary: "terraform/tofu/terragrunt destroy or apply -destroy, pulumi destroy, cdk/cdktf destroy, sst/serverless remove: destroys the managed infrastructure"},
			{ID: "iac.replace", Default: Confirm, Summary: "apply -replace, pulumi up --replace: destroys a resource and creates it again, empty"},
			{ID: "iac.auto-approve", Default: Confirm, Summary: "terraform/tofu apply -auto-approve without a saved plan, pulumi up --yes/--skip-preview: applies infrastructure changes no human has reviewed"},
			{ID: "iac.state-rm", Default: Confirm, Summary: "terraform state rm, pulumi state delete: the tool forgets resources, which keep running unmanaged"},
			{ID: "iac.state-push", Default: Confirm, Summary: "terraform state push: overwrites the recorded state"},
			{ID: "iac.workspace-delete", Default: Confirm, Summary: "terraform workspace delete, pulumi stack rm: deletes a state and its history"},
			{ID: "iac.unknown-subcommand", Default: Confirm, Summary: "infrastructure tool subcommand that cannot be known statically"},
		},
	}
}

// iacTFSpec is how terraform, tofu and terragrunt spell the options this
// pack reads: Go flag-package style, single dash.
func iacTFSpec() cliSpec {
	return cliSpec{
		single: true,
		long: []string{
			"-target", "-var", "-var-file", "-replace", "-state", "-state-out", "-backup",
			"-lock-timeout", "-parallelism", "-out", "-generate-config-out", "-config", "-chdir",
			"-terragrunt-working-dir", "-working-dir", "-terragrunt-config", "-terragrunt-tfpath",
			"-tf-path", "-terragrunt-iam-role", "-iam-assume-role", "-terragrunt-source", "-source",
			"-terragrunt-include-dir", "-queue-include-dir", "-terragrunt-exclude-dir",
			"-queue-exclude-dir", "-terragrunt-parallelism", "-terragrunt-log-level", "-log-level",
			"-filter", "-terragrunt-download-dir", "-download-dir",
		},
	}
}

// iacCheck dispatches on the tool run, directly or through a package runner.
func iacCheck(c *Call) {
	name, args := cliTarget(c.Inv)
	if askHelp(args) {
		return // dryrun.go: a help request destroys nothing
	}
	switch name {
	case "terraform", "tofu":
		iacTerraform(c, name, args)
	case "terragrunt":
		iacTerragrunt(c, args)
	case "pulumi":
		iacPulumi(c, args)
	case "cdk", "cdktf":
		iacCDK(c, name, args)
	case "sst", "serverless", "sls":
		iacRemove(c, name, args)
	}
}

// iacUnknown reports a subcommand word that cannot be known.
func iacUnknown(c *Call, tool string, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("iac.unknown-subcommand", "runs a "+tool+" subcommand that cannot be known before it runs ("+tool+" "+w.String()+")")
	return true
}

// iacProduct names a tool for reasons.
func iacProduct(tool string) string {
	switch tool {
	case "terraform":
		return "Terraform"
	case "tofu":
		return "OpenTofu"
	case "terragrunt":
		return "Terragrunt"
	}
	return tool
}

// iacWorkspace returns " (workspace X)" when TF_WORKSPACE selects one.
func iacWorkspace(inv *interceptor.Invocation) string {
	if ws := inv.Assigns["TF_WORKSPACE"]; ws != "" {
		return " (workspace " + ws + ")"
	}
	return ""
}

// iacTerraform judges terraform and tofu: global options (-chdir), then the
// subcommand and its Go-style options in any order.
func iacTerraform(c *Call, tool string, args []interceptor.Word) {
	spec := iacTFSpec()
	spec.stop = true
	g := cliParse(args, spec)
	if len(g.rest) == 0 {
		return
	}
	sub := g.rest[0]
	if iacUnknown(c, tool, sub) {
		return
	}
	a := cliParse(g.rest[1:], iacTFSpec())
	dir := c.Inv.Cwd
	if c.Inv.Name != tool {
		// Reached through a runner: the interceptor did not read -chdir.
		if d, ok := g.get("-chdir"); ok {
			dir = interceptor.ResolvePath(dir, d.Value)
		}
	}
	state := "the " + iacProduct(tool) + " state" + cliWhere(dir) + iacWorkspace(c.Inv)
	switch sub.Value {
	case "destroy":
		iacTFDestroy(c, a, state)
	case "apply":
		if a.on("-destroy") {
			iacTFDestroy(c, a, state)
			return
		}
		if r := a.all("-replace"); len(r) > 0 {
			c.Report("iac.replace", "destroys "+cliList(r)+" and creates "+ctrNoun(len(r), "it", "them")+" again, empty, in "+state)
		}
		if a.on("-auto-approve") && a.op(0).Value == "" {
			// A saved plan (apply tfplan) was shown when it was made.
			c.Report("iac.auto-approve", "applies every planned change to "+state+" with -auto-approve: no human sees the plan, which may destroy or replace resources")
		}
	case "state":
		iacTFState(c, a, state)
	case "workspace":
		if a.op(0).Value == "delete" {
			ws := cliJoin(a.ops(1), "named on its input")
			reason := "deletes the " + iacProduct(tool) + " workspace " + ws + cliWhere(dir) + " with its state"
			if a.on("-force") {
				reason += "; with -force even while it still tracks resources, which are left running unmanaged"
			}
			c.Report("iac.workspace-delete", reason)
		}
	}
}

// iacTFDestroy reports a terraform destroy of what a's -target options
// select, or of everything in state.
func iacTFDestroy(c *Call, a cliArgs, state string) {
	if t := a.all("-target"); len(t) > 0 {
		c.Report("iac.destroy", "destroys "+cliList(t)+" and every resource that depends on "+ctrNoun(len(t), "it", "them")+" in "+state)
		return
	}
	c.Report("iac.destroy", "destroys every resource of "+state)
}

// iacTFState judges "terraform state ..."; a starts after "state".
func iacTFState(c *Call, a cliArgs, state string) {
	if a.on("-dry-run") {
		return
	}
	switch a.op(0).Value {
	case "rm":
		addrs := cliJoin(a.ops(1), "the resources named on its input")
		c.Report("iac.state-rm", "removes "+addrs+" from "+state+": the tool forgets "+ctrNoun(len(a.operands)-1, "it", "them")+", the real infrastructure keeps running unmanaged, and a later apply may create a duplicate")
	case "push":
		from := cliJoin(a.ops(1), "its input")
		reason := "overwrites " + state + " with " + from
		if a.on("-force") {
			reason += ", even when that state is older (-force)"
		}
		c.Report("iac.state-push", reason)
	}
}

// iacTerragrunt judges terragrunt, whose options mix with terraform's and
// whose run-all, run --all and *-all forms act on every module below.
func iacTerragrunt(c *Call, args []interceptor.Word) {
	a := cliParse(args, iacTFSpec())
	if iacUnknown(c, "terragrunt", a.op(0)) {
		return
	}
	dir := c.Inv.Cwd
	if d, ok := a.get("-terragrunt-working-dir", "-working-dir"); ok {
		dir = interceptor.ResolvePath(dir, d.Value)
	}
	sub, cmd := a.op(0).Value, a.op(0)
	all := false
	switch {
	case sub == "run-all":
		all, cmd = true, a.op(1)
	case sub == "run":
		all, cmd = a.on("-all"), a.op(1)
	case sub == "destroy-all":
		all, cmd = true, interceptor.Word{Value: "destroy"}
	case sub == "apply-all":
		all, cmd = true, interceptor.Word{Value: "apply"}
	}
	if cmd != a.op(0) && iacUnknown(c, "terragrunt "+sub, cmd) {
		return
	}
	var rest cliArgs
	rest.opts = a.opts
	switch {
	case cmd.Value == "destroy", cmd.Value == "apply" && a.on("-destroy"):
	case cmd.Value == "state" || cmd.Value == "workspace":
		// terragrunt passes these to terraform unchanged.
		i := 1
		if cmd != a.op(0) {
			i = 2
		}
		rest.operands = a.operands[min(i, len(a.operands)):]
		state := "the Terraform state of the Terragrunt module" + cliWhere(dir)
		if cmd.Value == "state" {
			iacTFState(c, rest, state)
		} else if rest.op(0).Value == "delete" {
			c.Report("iac.workspace-delete", "deletes the Terraform workspace "+cliJoin(rest.ops(1), "named on its input")+" of the Terragrunt module"+cliWhere(dir)+" with its state")
		}
		return
	default:
		return
	}
	if all {
		c.Report("iac.destroy", "destroys every resource of every Terragrunt module under "+iacDir(dir))
		return
	}
	iacTFDestroy(c, a, "the Terragrunt module"+cliWhere(dir))
}

// iacDir returns dir, or words saying it cannot be known.
func iacDir(dir string) string {
	if dir == "" {
		return "a directory that cannot be known before it runs"
	}
	return dir
}

// iacPulumi judges pulumi destroy/down, up --replace, stack rm and state
// delete.
func iacPulumi(c *Call, args []interceptor.Word) {
	a := cliParse(args, cliSpec{
		short: "sCtvmpcn",
		long: []string{
			"--stack", "--cwd", "--target", "--config-file", "--color", "--tracing", "--profiling",
			"--message", "--parallel", "--exclude", "--policy-pack", "--policy-pack-config", "--client",
			"--config", "--secrets-provider", "--replace", "--target-replace", "--verbose", "--plan",
		},
	})
	verb := a.op(0)
	if iacUnknown(c, "pulumi", verb) {
		return
	}
	dir := c.Inv.Cwd
	if d, ok := a.get("-C", "--cwd"); ok {
		dir = interceptor.ResolvePath(dir, d.Value)
	}
	stack := "the selected Pulumi stack of the project" + cliWhere(dir)
	if s := a.str("-s", "--stack"); s != "" {
		stack = "the Pulumi stack " + s + " of the project" + cliWhere(dir)
	} else if s := c.Inv.Assigns["PULUMI_STACK"]; s != "" {
		stack = "the Pulumi stack " + s + " of the project" + cliWhere(dir)
	}
	switch verb.Value {
	case "destroy", "down", "dn":
		if a.on("--preview-only") {
			return
		}
		if t := a.all("-t", "--target"); len(t) > 0 {
			c.Report("iac.destroy", "destroys "+cliList(t)+" of "+stack)
			return
		}
		reason := "destroys every resource of " + stack
		if a.on("--remove") {
			reason += ", then deletes the stack with its state and history"
		}
		c.Report("iac.destroy", reason)
	case "up", "update":
		if r := a.all("--replace", "--target-replace"); len(r) > 0 {
			c.Report("iac.replace", "destroys "+cliList(r)+" of "+stack+" and creates "+ctrNoun(len(r), "it", "them")+" again, empty")
		}
		if a.on("--yes", "-y", "--skip-preview", "-f") && !a.on("--preview-only") {
			c.Report("iac.auto-approve", "applies every change to "+stack+" without the preview and the yes a human gives: it may delete or replace resources")
		}
	case "stack":
		switch a.op(1).Value {
		case "rm", "remove":
			s := stack
			if n := a.op(2); n.Value != "" {
				s = "the Pulumi stack " + n.String() + " of the project" + cliWhere(dir)
			}
			reason := "deletes " + s + " with its state, configuration and history"
			if a.on("-f", "--force") {
				reason += "; with --force even while it still has resources, which are left running unmanaged"
			}
			c.Report("iac.workspace-delete", reason)
		}
	case "state":
		if a.op(1).Value == "delete" {
			what := cliJoin(a.ops(2), "the resource named on its input")
			if a.on("--all") {
				what = "every resource"
			}
			c.Report("iac.state-rm", "removes "+what+" from the state of "+stack+": Pulumi forgets it, and the real resource keeps running unmanaged")
		}
	}
}

// iacCDK judges "cdk destroy" and "cdktf destroy".
func iacCDK(c *Call, tool string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{
		short: "acor",
		long: []string{
			"--app", "--context", "--profile", "--output", "--role-arn", "--plugin", "--ca-bundle-path",
			"--proxy", "--toolkit-stack-name", "--concurrency", "--language", "--parallelism",
		},
	})
	verb := a.op(0)
	if iacUnknown(c, tool, verb) {
		return
	}
	if verb.Value != "destroy" {
		return
	}
	product := "AWS CDK"
	if tool == "cdktf" {
		product = "CDK for Terraform"
	}
	stacks := a.ops(1)
	what := "the " + product + " " + ctrNoun(len(stacks), "stack", "stacks") + " " + cliList(stacks)
	switch {
	case a.on("--all"):
		what = "every " + product + " stack of the app"
	case len(stacks) == 0:
		what = "the " + product + " stack of the app"
	}
	c.Report("iac.destroy", "destroys "+what+cliWhere(c.Inv.Cwd)+" and every resource in "+ctrNoun(len(stacks), "it", "them")+" that is not retained")
}

// iacRemove judges sst and the Serverless Framework, whose "remove"
// destroys a deployed stage.
func iacRemove(c *Call, tool string, args []interceptor.Word) {
	a := cliParse(args, cliSpec{short: "sr", long: []string{"--stage", "--region", "--config", "--aws-profile", "--app", "--org"}})
	verb := a.op(0)
	if iacUnknown(c, tool, verb) {
		return
	}
	if verb.Value != "remove" {
		return
	}
	product := "SST"
	if tool != "sst" {
		product = "Serverless Framework"
	}
	stage := "the default stage"
	if s := a.str("-s", "--stage"); s != "" {
		stage = "the stage " + s
	}
	c.Report("iac.destroy", "destroys every resource the "+product+" app"+cliWhere(c.Inv.Cwd)+" deployed to "+stage)
}
