package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// ObjStorePack returns the rules about the object storage clients that are
// not a cloud provider's own CLI (aws s3 and gsutil are in the cloud pack):
// MinIO's mc, s3cmd, s5cmd and azcopy. What fires:
//
//   - deleting objects or buckets: mc rm and rb, s3cmd del/rm and rb,
//     s5cmd rm and rb, azcopy remove (rm);
//   - syncing that deletes at the destination: mc mirror --remove, s3cmd
//     sync --delete-removed, s5cmd sync --delete, azcopy sync
//     --delete-destination=true;
//   - taking the way back: mc version suspend, s3cmd setversioning
//     disable;
//   - making a bucket readable by anyone: mc anonymous set
//     public/download, s3cmd setacl --acl-public;
//   - mc admin: removing users, groups and policies, stopping the server,
//     resetting its configuration.
//
// A dry run (mc --fake or mirror --dry-run, s3cmd -n, s5cmd --dry-run,
// azcopy --dry-run) reports nothing, nor do listing, copying, uploading and
// reading. "mc" with no subcommand of MinIO's is Midnight Commander and
// reports nothing. Reasons never repeat a URL's query string (an Azure SAS
// token is a credential).
func ObjStorePack() *Pack {
	return &Pack{
		Name:     "objstore",
		Commands: []string{"mc", "mcli", "s3cmd", "s5cmd", "azcopy"},
		Check:    objCheck,
		Rules: []Rule{
			{ID: "objstore.delete", Default: Confirm, Summary: "mc rm/rb, s3cmd del/rb, s5cmd rm/rb, azcopy remove: deletes objects or buckets"},
			{ID: "objstore.sync-delete", Default: Confirm, Summary: "mc mirror --remove, s3cmd sync --delete-removed, s5cmd sync --delete, azcopy sync --delete-destination=true: deletes at the destination what the source lacks"},
			{ID: "objstore.recovery", Default: Confirm, Summary: "mc version suspend, s3cmd setversioning disable: deleted or overwritten objects can no longer be brought back"},
			{ID: "objstore.public", Default: Confirm, Summary: "mc anonymous set public/download/upload, s3cmd setacl --acl-public: makes a bucket or objects readable by anyone"},
			{ID: "objstore.admin", Default: Confirm, Summary: "mc admin user/group/policy remove, service stop, config reset: changes a MinIO server for everyone using it"},
			{ID: "objstore.unknown-subcommand", Default: Confirm, Summary: "object storage client subcommand that cannot be known statically"},
		},
	}
}

// objCheck dispatches on the client.
func objCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "mc", "mcli":
		objMc(c)
	case "s3cmd":
		objS3cmd(c)
	case "s5cmd":
		objS5cmd(c)
	case "azcopy":
		objAzcopy(c)
	}
}

// objUnknown reports a subcommand word that cannot be known.
func objUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("objstore.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// objTarget renders an object storage target for a reason, dropping a
// URL's query string.
func objTarget(w interceptor.Word) string {
	if w.Value == "" {
		return "named on its input"
	}
	v := w.String()
	if i := strings.IndexByte(v, '?'); i >= 0 && strings.Contains(v, "://") {
		v = v[:i]
	}
	return v
}

// objTargets renders several targets.
func objTargets(ws []interceptor.Word) string {
	if len(ws) == 0 {
		return "named on its input"
	}
	var out []string
	for _, w := range ws {
		out = append(out, objTarget(w))
	}
	return cliList(out)
}

// objMcSpec is how mc spells the options that take a value.
func objMcSpec() cliSpec {
	return cliSpec{short: "C", long: []string{"--config-dir", "--older-than", "--newer-than", "--rewind", "--version-id",
		"--encrypt-key", "--encrypt", "--limit-upload", "--limit-download", "--exclude", "--storage-class", "--attr",
		"--region", "--custom-header", "--policy"}}
}

// objMc judges MinIO's client.
func objMc(c *Call) {
	a := cliParse(c.Inv.Args, objMcSpec())
	cmd := a.op(0)
	if objUnknown(c, cmd) || a.on("--fake", "--dry-run") {
		return
	}
	targets := a.operands[min(1, len(a.operands)):]
	switch cmd.Value {
	case "rm":
		if a.on("--incomplete", "-I") {
			c.Report("objstore.delete", "deletes the unfinished uploads under "+objTargets(targets))
			return
		}
		what := "the objects " + objTargets(targets)
		if a.on("--recursive", "-r") {
			what = "every object under " + objTargets(targets)
		}
		if a.on("--versions") {
			what += ", every version of each (nothing is left to restore)"
		}
		if o := a.str("--older-than"); o != "" {
			what += " older than " + o
		}
		c.Report("objstore.delete", "deletes "+what)
	case "rb":
		c.Report("objstore.delete", "removes the bucket "+objTargets(targets)+" with every object in it")
	case "mirror":
		if a.on("--remove") {
			c.Report("objstore.sync-delete", "mirrors "+objTarget(a.op(1))+" onto "+objTarget(a.op(2))+" and deletes every object there that the source lacks")
		}
	case "version":
		if a.op(1).Value == "suspend" {
			c.Report("objstore.recovery", "suspends versioning of the bucket "+objTargets(a.operands[min(2, len(a.operands)):])+": from now on a deleted or overwritten object cannot be restored")
		}
	case "anonymous", "policy":
		if a.op(1).Value == "set" {
			switch a.op(2).Value {
			case "public", "download", "upload":
				c.Report("objstore.public", "lets anyone without credentials "+objMcAccess(a.op(2).Value)+" the bucket "+objTargets(a.operands[min(3, len(a.operands)):]))
			}
		}
	case "admin":
		objMcAdmin(c, a)
	}
}

// objMcAccess says what an anonymous access level lets anyone do.
func objMcAccess(level string) string {
	switch level {
	case "download":
		return "read"
	case "upload":
		return "write to"
	}
	return "read and write"
}

// objMcAdmin judges mc admin.
func objMcAdmin(c *Call, a cliArgs) {
	group, verb := a.op(1), a.op(2)
	if objUnknown(c, group) || objUnknown(c, verb) {
		return
	}
	alias := objTarget(a.op(3))
	rest := a.ops(4)
	switch group.Value + " " + verb.Value {
	case "user remove", "user rm", "group remove", "group rm", "policy remove", "policy rm", "user svcacct rm", "user svcacct remove":
		c.Report("objstore.admin", "removes the MinIO "+group.Value+" "+cliJoin(rest, "named on its input")+" from the server "+alias+": whatever uses it loses access")
	case "service stop":
		c.Report("objstore.admin", "stops the MinIO server "+alias+": every client loses access until it is started again")
	case "config reset":
		c.Report("objstore.admin", "resets the configuration "+cliJoin(rest, "")+" of the MinIO server "+alias+" to its defaults")
	}
}

// objS3cmd judges s3cmd.
func objS3cmd(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "cm", long: []string{"--config", "--access_key", "--secret_key", "--access_token",
		"--region", "--bucket-location", "--host", "--host-bucket", "--exclude", "--include", "--rexclude", "--rinclude",
		"--exclude-from", "--include-from", "--mime-type", "--storage-class", "--acl-grant", "--acl-revoke",
		"--expiry-days", "--expiry-date", "--expiry-prefix", "--add-header", "--encoding", "--cache-file", "--multipart-chunk-size-mb"}})
	cmd := a.op(0)
	if objUnknown(c, cmd) || a.on("-n", "--dry-run") {
		return
	}
	targets := a.operands[min(1, len(a.operands)):]
	switch cmd.Value {
	case "del", "rm":
		what := "the objects " + objTargets(targets)
		if a.on("-r", "--recursive") {
			what = "every object under " + objTargets(targets)
		}
		c.Report("objstore.delete", "deletes "+what)
	case "rb":
		what := "the bucket " + objTargets(targets)
		if a.on("-r", "--recursive") || a.on("-f", "--force") {
			what += " with every object in it"
		}
		c.Report("objstore.delete", "removes "+what)
	case "sync":
		if a.on("--delete-removed") {
			c.Report("objstore.sync-delete", "syncs "+objTarget(a.op(1))+" to "+objTarget(a.op(len(a.operands)-1))+" and deletes every object there that the source lacks")
		}
	case "setversioning":
		if strings.EqualFold(a.op(2).Value, "disable") {
			c.Report("objstore.recovery", "suspends versioning of the bucket "+objTarget(a.op(1))+": from now on a deleted or overwritten object cannot be restored")
		}
	case "setacl":
		if a.on("-P", "--acl-public") {
			what := "the objects " + objTargets(targets)
			if a.on("-r", "--recursive") {
				what = "every object under " + objTargets(targets)
			}
			c.Report("objstore.public", "makes "+what+" readable by anyone on the internet")
		}
	case "delpolicy", "dellifecycle", "delcors":
		c.Report("objstore.delete", "deletes the "+strings.TrimPrefix(cmd.Value, "del")+" configuration of the bucket "+objTargets(targets))
	}
}

// objS5cmd judges s5cmd.
func objS5cmd(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--endpoint-url", "--profile", "--credentials-file", "--numworkers",
		"--retry-count", "--log", "--request-payer", "--version-id", "--exclude", "--include", "--storage-class",
		"--concurrency", "--part-size", "--content-type", "--cache-control", "--expires", "--acl", "--sse", "--sse-kms-key-id"}})
	cmd := a.op(0)
	if objUnknown(c, cmd) || a.on("--dry-run") {
		return
	}
	at := ""
	if e := a.str("--endpoint-url"); e != "" {
		at = " at " + e
	}
	targets := a.operands[min(1, len(a.operands)):]
	switch cmd.Value {
	case "rm":
		what := "the objects matching " + objTargets(targets)
		if a.on("--all-versions") {
			what += ", every version of each"
		}
		c.Report("objstore.delete", "deletes "+what+at)
	case "rb":
		c.Report("objstore.delete", "removes the bucket "+objTargets(targets)+at)
	case "sync":
		if a.on("--delete") {
			c.Report("objstore.sync-delete", "syncs "+objTarget(a.op(1))+" to "+objTarget(a.op(2))+at+" and deletes every object there that the source lacks")
		}
	}
}

// objAzcopy judges azcopy remove and sync --delete-destination.
func objAzcopy(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--include-pattern", "--exclude-pattern", "--include-path", "--exclude-path",
		"--list-of-files", "--log-level", "--from-to", "--cap-mbps", "--output-type", "--delete-destination",
		"--include-before", "--include-after", "--trusted-microsoft-suffixes", "--compare-hash", "--output-level"}})
	cmd := a.op(0)
	if objUnknown(c, cmd) || a.on("--dry-run") {
		return
	}
	switch cmd.Value {
	case "remove", "rm":
		what := "the blob or file " + objTarget(a.op(1))
		if a.on("--recursive") {
			what = "every blob or file under " + objTarget(a.op(1))
		}
		c.Report("objstore.delete", "deletes "+what+" in Azure Storage")
	case "sync":
		d, ok := a.get("--delete-destination")
		if !ok || !strings.EqualFold(d.Value, "true") && !d.Unknown {
			return // false by default; "prompt" asks before each deletion
		}
		c.Report("objstore.sync-delete", "syncs "+objTarget(a.op(1))+" to "+objTarget(a.op(2))+" and deletes every blob or file there that the source lacks")
	}
}
