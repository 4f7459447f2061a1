package rules

import (
	"slices"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// CloudPack returns the rules about the command line tools of the cloud
// providers: aws, gcloud, gsutil, az and doctl. What fires:
//
//   - aws: any service's API operation that deletes (delete-*, batch-delete-*,
//     admin-delete-*, terminate-*, remove-*, deregister-*, purge-*,
//     schedule-key-deletion), unless --dry-run; s3 rm (recursive or of one
//     object, with a softer reason), s3 rb, s3 sync --delete, unless --dryrun.
//   - gcloud: delete and destroy at any depth of the command groups
//     ("gcloud sql databases delete", "gcloud projects delete"), storage rm,
//     storage rsync --delete-unmatched-destination-objects.
//   - gsutil: rm, rb, rsync -d (also after -m and other global options).
//   - az: delete, delete-batch and purge at any depth ("az group delete"),
//     and deployments in Complete mode, which delete what the template does
//     not name.
//   - doctl: delete and its aliases rm and d at any depth.
//
// Listing, describing, getting, creating and copying (aws s3 ls/cp, s3 sync
// without --delete, describe-*, get-*, list-*, gsutil cp, gcloud ... list,
// az ... list) report nothing. Global options (--profile, --region,
// --project, --subscription, --output...) are understood before and after
// the subcommands, in both the "--opt value" and "--opt=value" forms.
func CloudPack() *Pack {
	return &Pack{
		Name:     "cloud",
		Commands: []string{"aws", "gcloud", "gsutil", "az", "doctl"},
		Check:    cloudCheck,
		Rules: []Rule{
			{ID: "cloud.aws-delete", Default: Confirm, Summary: "aws API operation that deletes, terminates, removes, deregisters or purges a resource"},
			{ID: "cloud.s3-delete", Default: Confirm, Summary: "aws s3 rm (recursive or of one object), s3 rb, s3 sync --delete: deletes S3 objects or buckets"},
			{ID: "cloud.gcloud-delete", Default: Confirm, Summary: "gcloud ... delete/destroy, gcloud storage rm, gsutil rm/rb/rsync -d: deletes Google Cloud resources or objects"},
			{ID: "cloud.az-delete", Default: Confirm, Summary: "az ... delete/purge, az group delete, Complete-mode deployments: deletes Azure resources"},
			{ID: "cloud.doctl-delete", Default: Confirm, Summary: "doctl ... delete/rm: deletes DigitalOcean resources"},
			{ID: "cloud.recovery", Default: Confirm, Summary: "takes away the way back: disables a database's backups or deletion protection, suspends bucket versioning, or restores a backup over a live instance (aws rds modify-db-instance --backup-retention-period 0, gcloud sql backups restore --restore-instance, gcloud sql instances patch --no-backup)"},
			{ID: "cloud.unknown-subcommand", Default: Confirm, Summary: "cloud CLI subcommand that cannot be known statically"},
		},
	}
}

// cloudCheck dispatches on the cloud CLI.
func cloudCheck(c *Call) {
	switch c.Inv.Name {
	case "aws":
		cloudAWS(c)
	case "gcloud":
		cloudGcloud(c)
	case "gsutil":
		cloudGsutil(c)
	case "az":
		cloudAz(c)
	case "doctl":
		cloudDoctl(c)
	}
}

// cloudUnknown reports a subcommand word that cannot be known.
func cloudUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("cloud.unknown-subcommand", "runs a "+c.Inv.Name+" command that cannot be known before it runs ("+c.Inv.Name+" … "+w.String()+")")
	return true
}

// cloudAWSGlobal is how aws spells its global options.
func cloudAWSGlobal() cliSpec {
	return cliSpec{
		long: []string{"--profile", "--region", "--endpoint-url", "--output", "--query", "--ca-bundle",
			"--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format", "--color"},
		stop: true,
	}
}

// cloudAWSParam is one "--name value..." parameter of an aws API
// operation; list parameters take several words.
type cloudAWSParam struct {
	name   string
	values []interceptor.Word
}

// cloudAWSParams splits the arguments of an aws API operation into its
// parameters. Operations take no operands, so every word up to the next
// option is a value of the option before it.
func cloudAWSParams(args []interceptor.Word) []cloudAWSParam {
	var out []cloudAWSParam
	for _, w := range args {
		if strings.HasPrefix(w.Value, "--") {
			name, val, inline := strings.Cut(w.Value, "=")
			p := cloudAWSParam{name: name}
			if inline {
				p.values = append(p.values, interceptor.Word{Value: val, Unknown: strings.Contains(val, interceptor.UnknownMark)})
			}
			out = append(out, p)
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].values = append(out[len(out)-1].values, w)
		}
	}
	return out
}

// cloudAWSValue returns the display values of the named parameter.
func cloudAWSValue(ps []cloudAWSParam, name string) []string {
	var out []string
	for _, p := range ps {
		if p.name == name {
			for _, v := range p.values {
				out = append(out, v.String())
			}
		}
	}
	return out
}

// cloudAWSFlag reports whether the named boolean parameter is set.
func cloudAWSFlag(ps []cloudAWSParam, name string) bool {
	set := false
	for _, p := range ps {
		if p.name == name {
			set = len(p.values) == 0 || !cliFalse(p.values[0].Value)
		}
	}
	return set
}

// cloudAWS judges "aws [globals] SERVICE [globals] OPERATION ARGS".
func cloudAWS(c *Call) {
	g := cliParse(c.Inv.Args, cloudAWSGlobal())
	if len(g.rest) == 0 {
		return
	}
	service := g.rest[0]
	if cloudUnknown(c, service) {
		return
	}
	o := cliParse(g.rest[1:], cloudAWSGlobal())
	if len(o.rest) == 0 {
		return
	}
	op := o.rest[0]
	if cloudUnknown(c, op) {
		return
	}
	args := o.rest[1:]
	where := cloudAWSWhere(c.Inv, append(append(g.opts, o.opts...), cliParse(args, cloudS3Spec()).opts...))
	if service.Value == "s3" {
		cloudS3(c, op.Value, args, where)
		return
	}
	if cloudAWSRecovery(c, service.Value, op.Value, cloudAWSParams(args), where) {
		return
	}
	verb, noun := cloudAWSVerb(op.Value)
	if verb == "" {
		return
	}
	ps := cloudAWSParams(args)
	if cloudAWSFlag(ps, "--dry-run") || cloudAWSFlag(ps, "--generate-cli-skeleton") {
		return
	}
	svc := cloudAWSService(service.Value)
	if op.Value == "schedule-key-deletion" {
		key := cliJoin(cloudAWSValue(ps, "--key-id"), "named by its input")
		c.Report("cloud.aws-delete", "schedules the deletion of the AWS KMS key "+key+": once the waiting period ends, everything encrypted with it can never be decrypted"+where)
		return
	}
	what := "the AWS " + svc + " " + cloudHuman(noun)
	if id := cloudAWSIdent(ps, service.Value, op.Value, noun); id != "" {
		if strings.HasPrefix(id, "s3://") && noun != "bucket" && !strings.HasPrefix(noun, "object") {
			what += " of " + id // delete-bucket-policy, delete-bucket-lifecycle...
		} else {
			what += " " + id
		}
	}
	reason := verb + " " + what
	if cloudAWSFlag(ps, "--skip-final-snapshot") {
		reason += " without a final snapshot"
	}
	if cloudAWSFlag(ps, "--delete-automated-backups") {
		reason += ", and its automated backups"
	}
	c.Report("cloud.aws-delete", reason+where)
}

// cloudAWSRecovery reports the aws operations that take away the way
// back from a mistake: backups, deletion protection, object versions.
func cloudAWSRecovery(c *Call, service, op string, ps []cloudAWSParam, where string) bool {
	id := cliJoin(append(cloudAWSValue(ps, "--db-instance-identifier"), cloudAWSValue(ps, "--db-cluster-identifier")...), "named by its input")
	switch {
	case service == "rds" && (op == "modify-db-instance" || op == "modify-db-cluster"):
		if slices.Contains(cloudAWSValue(ps, "--backup-retention-period"), "0") {
			c.Report("cloud.recovery", "turns off the automated backups of the RDS database "+id+" (--backup-retention-period 0), deleting the ones it has"+where)
			return true
		}
		if cloudAWSFlag(ps, "--no-deletion-protection") {
			c.Report("cloud.recovery", "turns off the deletion protection of the RDS database "+id+where)
			return true
		}
	case service == "s3api" && op == "put-bucket-versioning":
		for _, v := range cloudAWSValue(ps, "--versioning-configuration") {
			if strings.Contains(v, "Suspended") {
				c.Report("cloud.recovery", "suspends versioning of the S3 bucket "+cliJoin(cloudAWSValue(ps, "--bucket"), "named by its input")+": overwritten and deleted objects can no longer be recovered"+where)
				return true
			}
		}
	}
	return false
}

// cloudAWSWhere names the account and region a command acts in, when
// given: " (profile prod, region eu-west-1)".
func cloudAWSWhere(inv *interceptor.Invocation, opts []cliOpt) string {
	a := cliArgs{opts: opts}
	var parts []string
	profile := a.str("--profile")
	if profile == "" {
		profile = inv.Assigns["AWS_PROFILE"]
	}
	if profile != "" {
		parts = append(parts, "profile "+profile)
	}
	region := a.str("--region")
	if region == "" {
		region = inv.Assigns["AWS_REGION"]
	}
	if region != "" {
		parts = append(parts, "region "+region)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// cloudAWSVerb returns what an aws API operation does to its resource
// ("deletes") and the resource's words ("db-cluster"), or "" when the
// operation does not destroy.
func cloudAWSVerb(op string) (verb, noun string) {
	words := strings.Split(op, "-")
	for i, w := range words {
		if w == "delete" && i < 2 {
			// delete-*, batch-delete-*, admin-delete-*
			return "deletes", strings.Join(words[i+1:], "-")
		}
	}
	switch words[0] {
	case "terminate":
		return "terminates", strings.Join(words[1:], "-")
	case "remove":
		return "removes", strings.Join(words[1:], "-")
	case "deregister":
		return "deregisters", strings.Join(words[1:], "-")
	case "purge":
		return "purges", strings.Join(words[1:], "-")
	}
	if op == "schedule-key-deletion" {
		return "deletes", "key"
	}
	return "", ""
}

// cloudAWSService names an aws service for reasons.
func cloudAWSService(s string) string {
	switch s {
	case "rds", "ec2", "iam", "ecs", "eks", "ecr", "sqs", "sns", "kms", "efs", "emr", "acm", "waf", "ses":
		return strings.ToUpper(s)
	case "s3api", "s3control":
		return "S3"
	case "dynamodb":
		return "DynamoDB"
	case "lambda":
		return "Lambda"
	case "cloudformation":
		return "CloudFormation"
	case "secretsmanager":
		return "Secrets Manager"
	case "route53":
		return "Route 53"
	case "elasticache":
		return "ElastiCache"
	case "logs":
		return "CloudWatch Logs"
	case "cognito-idp":
		return "Cognito"
	case "backup":
		return "Backup"
	case "redshift":
		return "Redshift"
	case "opensearch", "es":
		return "OpenSearch"
	case "elasticbeanstalk":
		return "Elastic Beanstalk"
	case "ssm":
		return "Systems Manager"
	}
	return s
}

// cloudHuman turns a hyphenated noun into words: "db-cluster" -> "DB
// cluster".
func cloudHuman(noun string) string {
	words := strings.Split(noun, "-")
	for i, w := range words {
		switch w {
		case "db", "ip", "vpc", "acl", "iam", "url", "arn", "tls", "ssl", "dns", "api":
			words[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(words, " ")
}

// cloudAWSIdent returns the identifier of the resource an aws operation
// acts on: the parameter named after the resource ("--db-cluster-identifier"
// for delete-db-cluster), else the first that names one (-id, -name, -arn,
// ...).
func cloudAWSIdent(ps []cloudAWSParam, service, op, noun string) string {
	if service == "s3api" {
		bucket := cloudAWSValue(ps, "--bucket")
		if len(bucket) > 0 {
			if key := cloudAWSValue(ps, "--key"); len(key) > 0 && strings.Contains(op, "object") {
				return "s3://" + bucket[0] + "/" + key[0]
			}
			return "s3://" + bucket[0]
		}
	}
	single := strings.TrimSuffix(noun, "s")
	best, first := "", ""
	for _, p := range ps {
		name := strings.TrimPrefix(p.name, "--")
		var base string
		for _, suf := range []string{"-identifiers", "-identifier", "-ids", "-id", "-names", "-name", "-arns", "-arn", "-url", "-urls"} {
			if strings.HasSuffix(name, suf) {
				base = strings.TrimSuffix(name, suf)
				break
			}
		}
		if base == "" || len(p.values) == 0 {
			continue
		}
		var vals []string
		for _, v := range p.values {
			vals = append(vals, v.String())
		}
		v := strings.Join(vals, " ")
		if first == "" {
			first = v
		}
		if best == "" && (base == noun || base == single || strings.HasSuffix(noun, base) || strings.HasSuffix(single, base)) {
			best = v
		}
	}
	if best != "" {
		return best
	}
	return first
}

// cloudS3Spec is how "aws s3" commands spell their options.
func cloudS3Spec() cliSpec {
	s := cloudAWSGlobal()
	s.stop = false
	s.long = append(s.long, "--include", "--exclude", "--acl", "--sse", "--sse-c", "--sse-c-key",
		"--sse-kms-key-id", "--sse-c-copy-source", "--sse-c-copy-source-key", "--storage-class",
		"--grants", "--website-redirect", "--content-type", "--cache-control",
		"--content-disposition", "--content-encoding", "--content-language", "--expires",
		"--metadata", "--metadata-directive", "--expected-size", "--page-size", "--request-payer",
		"--source-region", "--checksum-mode", "--checksum-algorithm")
	return s
}

// cloudS3 judges "aws s3 OP ARGS".
func cloudS3(c *Call, op string, args []interceptor.Word, where string) {
	a := cliParse(args, cloudS3Spec())
	if a.on("--dryrun") {
		return
	}
	filter := ""
	if a.has("--exclude", "--include") {
		filter = " (narrowed by --exclude/--include)"
	}
	switch op {
	case "rm":
		target := cliJoin(a.ops(0), "named on its input")
		if a.on("--recursive") {
			c.Report("cloud.s3-delete", "deletes every object under "+target+filter+where)
			return
		}
		c.Report("cloud.s3-delete", "deletes the S3 object "+target+where)
	case "rb":
		reason := "deletes the S3 bucket " + cliJoin(a.ops(0), "named on its input")
		if a.on("--force") {
			reason += " and every object in it"
		}
		c.Report("cloud.s3-delete", reason+where)
	case "sync":
		if a.on("--delete") && len(a.operands) >= 2 {
			src, dst := a.op(0).String(), a.op(1).String()
			kind := "file"
			if strings.HasPrefix(dst, "s3://") {
				kind = "object"
			}
			c.Report("cloud.s3-delete", "deletes every "+kind+" under "+dst+" that is not in "+src+filter+where)
		}
	}
}

// cloudGcloudSpec is how gcloud spells the options this pack may meet
// before the end of a command path.
func cloudGcloudSpec() cliSpec {
	return cliSpec{
		long: []string{
			"--project", "--account", "--configuration", "--flags-file", "--flatten", "--format",
			"--billing-project", "--impersonate-service-account", "--trace-token", "--verbosity",
			"--access-token-file", "--filter", "--limit", "--page-size", "--sort-by", "--zone",
			"--region", "--instance", "--location", "--cluster", "--database", "--delete-disks",
			"--keep-disks", "--command", "--message", "--service", "--repository", "--dataset",
			"--keyring", "--key", "--network", "--subnet", "--bucket", "--topic", "--subscription",
		},
	}
}

// cloudPathStops are leaf commands whose own arguments follow them, so that
// a later word that happens to be "delete" is an argument, not a command.
func cloudPathStops() []string {
	return []string{"list", "describe", "show", "get", "create", "update", "ssh", "scp",
		"submit", "publish", "exec", "logs", "tail", "login", "cp", "ls", "cat", "mv",
		"rsync", "sync", "open", "browse", "status", "info", "set", "add", "invoke", "query"}
}

// cloudSingular turns a plural group name into a noun: "clusters" ->
// "cluster", "policies" -> "policy", "addresses" -> "address".
func cloudSingular(w string) string {
	switch {
	case strings.HasSuffix(w, "ies"):
		return strings.TrimSuffix(w, "ies") + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"):
		return strings.TrimSuffix(w, "es")
	case strings.HasSuffix(w, "ss"):
		return w
	case strings.HasSuffix(w, "s"):
		return strings.TrimSuffix(w, "s")
	}
	return w
}

// cloudResource describes the resource a command path names: "sql
// databases" -> "sql database" (kept plural when plural is set), without
// alpha/beta release tracks.
func cloudResource(path []interceptor.Word, plural bool) string {
	var words []string
	for _, w := range path {
		switch w.Value {
		case "alpha", "beta", "preview":
			continue
		}
		words = append(words, w.Value)
	}
	if len(words) == 0 {
		return "resource"
	}
	if !plural {
		words[len(words)-1] = cloudSingular(words[len(words)-1])
	}
	return strings.Join(words, " ")
}

// cloudDetails lists the values of options for reasons: " (instance
// prod-sql, zone us-central1-a)". Each field is a label followed by the
// names of the options that give it.
func cloudDetails(a cliArgs, fields ...[]string) string {
	var parts []string
	for _, f := range fields {
		if v := a.str(f[1:]...); v != "" {
			parts = append(parts, f[0]+" "+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// cloudGcloud judges gcloud: delete or destroy at any depth of the command
// groups, storage rm and storage rsync with deletion.
func cloudGcloud(c *Call) {
	a := cliParse(c.Inv.Args, cloudGcloudSpec())
	ops := a.operands
	if cloudUnknown(c, a.op(0)) {
		return
	}
	if cloudGcloudRecovery(c, a) {
		return
	}
	i, _ := cliFindVerb(ops, func(s string) bool { return s == "delete" || s == "destroy" || s == "rm" || s == "rsync" }, cloudPathStops()...)
	if i < 0 {
		return
	}
	path := cloudResource(ops[:i], len(ops)-i > 2)
	if p := c.Inv.Assigns["CLOUDSDK_CORE_PROJECT"]; p != "" && !a.has("--project") {
		a.opts = append(a.opts, cliOpt{name: "--project", value: interceptor.Word{Value: p}, hasValue: true})
	}
	details := cloudDetails(a, []string{"instance", "--instance"}, []string{"cluster", "--cluster"},
		[]string{"database", "--database"}, []string{"zone", "--zone"}, []string{"region", "--region"},
		[]string{"location", "--location"}, []string{"project", "--project"})
	var names []string
	for _, w := range ops[i+1:] {
		names = append(names, w.String())
	}
	switch ops[i].Value {
	case "rm":
		if path != "storage" {
			return
		}
		target := cliJoin(names, "named on its input")
		if a.on("-r", "-R", "--recursive") || strings.Contains(target, "**") {
			c.Report("cloud.gcloud-delete", "deletes every object under "+target+details)
			return
		}
		c.Report("cloud.gcloud-delete", "deletes the Cloud Storage "+ctrNoun(len(names), "object", "objects")+" "+target+details)
		return
	case "rsync":
		if path == "storage" && a.on("--delete-unmatched-destination-objects") && len(names) >= 2 {
			c.Report("cloud.gcloud-delete", "deletes every object under "+names[1]+" that is not in "+names[0]+details)
		}
		return
	}
	verb := "deletes"
	if ops[i].Value == "destroy" {
		verb = "destroys"
	}
	what := "the Google Cloud " + path
	if len(names) > 0 {
		what += " " + cliList(names)
	}
	if path == "project" {
		what += " and every resource in it"
	}
	c.Report("cloud.gcloud-delete", verb+" "+what+details)
}

// cloudGcloudRecovery reports a Cloud SQL backup restored over an
// instance, which replaces all of its data, and backups turned off.
func cloudGcloudRecovery(c *Call, a cliArgs) bool {
	ops := a.operands
	words := make([]string, len(ops))
	for i, w := range ops {
		words[i] = w.Value
	}
	line := " " + strings.Join(words, " ") + " "
	switch {
	case strings.Contains(line, " sql backups restore "):
		target := "the instance named by --restore-instance"
		if v := a.str("--restore-instance"); v != "" {
			target = "the Cloud SQL instance " + v
		}
		c.Report("cloud.recovery", "restores a backup over "+target+", replacing all of its current data")
		return true
	case strings.Contains(line, " sql instances restore-backup "):
		c.Report("cloud.recovery", "restores a backup over the Cloud SQL instance "+a.op(3).String()+", replacing all of its current data")
		return true
	case strings.Contains(line, " sql instances patch ") && a.on("--no-backup"):
		c.Report("cloud.recovery", "turns off the automated backups of the Cloud SQL instance "+a.op(3).String())
		return true
	}
	return false
}

// cloudGsutil judges gsutil rm, rb and rsync -d, after its global options.
func cloudGsutil(c *Call) {
	g := cliParse(c.Inv.Args, cliSpec{short: "uohi", stop: true})
	if len(g.rest) == 0 || cloudUnknown(c, g.rest[0]) {
		return
	}
	a := cliParse(g.rest[1:], cliSpec{short: "pxj"})
	targets := cliJoin(a.ops(0), "named on its input")
	switch g.rest[0].Value {
	case "rm", "del", "delete", "remove":
		if a.on("-r", "-R") || strings.Contains(targets, "**") {
			what := "every object under " + targets
			if a.on("-a") {
				what += ", every archived version included"
			}
			c.Report("cloud.gcloud-delete", "deletes "+what)
			return
		}
		if a.on("-I") {
			targets = "named on its input"
		}
		c.Report("cloud.gcloud-delete", "deletes the Cloud Storage "+ctrNoun(len(a.operands), "object", "objects")+" "+targets)
	case "rb":
		c.Report("cloud.gcloud-delete", "deletes the Cloud Storage "+ctrNoun(len(a.operands), "bucket", "buckets")+" "+targets)
	case "rsync":
		if a.on("-d") && len(a.operands) >= 2 {
			c.Report("cloud.gcloud-delete", "deletes every object under "+a.op(1).String()+" that is not in "+a.op(0).String())
		}
	}
}

// cloudAzSpec is how az spells the options this pack may meet.
func cloudAzSpec() cliSpec {
	return cliSpec{
		short: "ongls",
		long: []string{"--subscription", "--output", "--query", "--name", "--resource-group",
			"--ids", "--id", "--location", "--server", "--account-name", "--container-name", "--vault-name",
			"--mode", "--template-file", "--parameters", "--source", "--pattern", "--workspace-name",
			"--cluster-name", "--database-name", "--plan", "--slot"},
	}
}

// cloudAz judges az: delete, delete-batch and purge at any depth, and
// Complete-mode group deployments.
func cloudAz(c *Call) {
	a := cliParse(c.Inv.Args, cloudAzSpec())
	if cloudUnknown(c, a.op(0)) {
		return
	}
	ops := a.operands
	server := []string{"server", "-s", "--server"}
	if a.operands != nil && cliContains(a.ops(0), "delete-batch") {
		server = []string{"server", "--server"}
	}
	details := cloudDetails(a, []string{"resource group", "-g", "--resource-group"}, server,
		[]string{"storage account", "--account-name"}, []string{"vault", "--vault-name"}, []string{"subscription", "--subscription"})
	if a.op(0).Value == "deployment" && a.op(1).Value == "group" && a.op(2).Value == "create" {
		if m, ok := a.get("--mode"); ok && strings.EqualFold(m.Value, "complete") {
			c.Report("cloud.az-delete", "deploys in Complete mode: deletes every resource of the Azure resource group "+a.str("-g", "--resource-group")+" that the template does not declare")
		}
		return
	}
	i, _ := cliFindVerb(ops, func(s string) bool { return s == "delete" || s == "delete-batch" || s == "purge" }, cloudPathStops()...)
	if i < 0 {
		return
	}
	names := a.ops(i + 1)
	names = append(names, a.all("-n", "--name", "--ids", "--id")...)
	path := cloudResource(ops[:i], len(names) > 1)
	what := "the Azure " + path
	if len(names) > 0 {
		what += " " + cliList(names)
	}
	verb := "deletes "
	switch ops[i].Value {
	case "purge":
		verb = "permanently purges "
	case "delete-batch":
		what = "every " + cloudSingular(ops[i-1].Value) + " matching " + cliJoin(a.all("--pattern"), "*") + " in the Azure storage container " + cliJoin(a.all("--source", "-s"), "named by its options")
	}
	if path == "group" {
		what = "the Azure resource group " + cliList(names) + " and every resource in it"
	}
	c.Report("cloud.az-delete", verb+what+details)
}

// cloudDoctl judges doctl: delete and its aliases rm and d at any depth.
func cloudDoctl(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{
		short: "tcou",
		long:  []string{"--access-token", "--config", "--context", "--output", "--api-url", "--format", "--http-retry-max", "--region", "--tag-name"},
	})
	if cloudUnknown(c, a.op(0)) {
		return
	}
	ops := a.operands
	i, _ := cliFindVerb(ops, func(s string) bool { return s == "delete" || s == "rm" || s == "d" }, cloudPathStops()...)
	if i < 0 || i == 0 {
		return
	}
	names := a.ops(i + 1)
	if t := a.str("--tag-name"); t != "" {
		names = append(names, "tagged "+t)
	}
	what := "the DigitalOcean " + cloudResource(ops[:i], len(names) > 1)
	if len(names) > 0 {
		what += " " + cliList(names)
	}
	c.Report("cloud.doctl-delete", "deletes "+what+cloudDetails(a, []string{"context", "--context"}))
}
