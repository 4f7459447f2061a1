package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// BackupPack returns the rules about backup and sync tools: the commands
// that delete backups (the way back after every other mistake) or delete
// files at a sync destination.
//
//   - restic: forget (of snapshots named or chosen by a --keep policy, with
//     or without --prune), prune, key remove, rewrite --forget.
//   - borg: delete (of archives, or of a whole repository), prune,
//     recreate (rewrites archives, dropping what it excludes).
//   - rclone: purge, delete, deletefile, cleanup (empties the remote's
//     trash and old versions), sync and bisync (delete at the destination
//     what the source lacks).
//   - velero: backup, schedule, restore, backup-location and
//     snapshot-location delete (also as "velero delete backup"), uninstall.
//
// A dry run (restic -n/--dry-run, borg -n/--dry-run, rclone -n/--dry-run)
// reports nothing, and so do making, listing, checking and restoring
// backups and copying files.
func BackupPack() *Pack {
	return &Pack{
		Name:     "backup",
		Commands: []string{"restic", "borg", "borg2", "rclone", "velero"},
		Check:    bakCheck,
		Rules: []Rule{
			{ID: "backup.restic-forget", Default: Confirm, Summary: "restic forget, prune, key remove, rewrite --forget: removes snapshots or the data of forgotten ones"},
			{ID: "backup.borg-delete", Default: Confirm, Summary: "borg delete, prune, recreate: deletes archives or a whole repository"},
			{ID: "backup.rclone-delete", Default: Confirm, Summary: "rclone purge, delete, deletefile, cleanup: deletes files on a remote"},
			{ID: "backup.rclone-sync", Default: Confirm, Summary: "rclone sync/bisync: deletes the files at the destination that the source lacks"},
			{ID: "backup.velero-delete", Default: Confirm, Summary: "velero backup/schedule/restore/location delete, uninstall"},
			{ID: "backup.unknown-subcommand", Default: Confirm, Summary: "backup tool subcommand that cannot be known statically"},
		},
	}
}

// bakCheck dispatches on the backup tool.
func bakCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "restic":
		bakRestic(c)
	case "borg", "borg2":
		bakBorg(c)
	case "rclone":
		bakRclone(c)
	case "velero":
		bakVelero(c)
	}
}

// bakUnknown reports a subcommand word that cannot be known.
func bakUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("backup.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// bakResticSpec is how restic spells the options that take a value.
func bakResticSpec() cliSpec {
	return cliSpec{short: "rpoHt", long: []string{"--repo", "--repository-file", "--password-file", "--password-command",
		"--cache-dir", "--option", "--limit-upload", "--limit-download", "--cacert", "--tls-client-cert", "--key-hint",
		"--host", "--tag", "--path", "--keep-last", "--keep-hourly", "--keep-daily", "--keep-weekly", "--keep-monthly",
		"--keep-yearly", "--keep-within", "--keep-within-hourly", "--keep-within-daily", "--keep-within-weekly",
		"--keep-within-monthly", "--keep-within-yearly", "--keep-tag", "--group-by", "--max-unused", "--max-repack-size",
		"--pack-size", "--compression", "--exclude", "--iexclude", "--exclude-file", "--iexclude-file", "--retry-lock"}}
}

// bakRestic judges restic forget, prune, key remove and rewrite --forget.
func bakRestic(c *Call) {
	a := cliParse(c.Inv.Args, bakResticSpec())
	cmd := a.op(0)
	if bakUnknown(c, cmd) || a.on("-n", "--dry-run") {
		return
	}
	repo := a.str("-r", "--repo")
	if repo == "" {
		repo = a.str("--repository-file")
		if repo != "" {
			repo = "named in " + repo
		}
	}
	if repo == "" {
		repo = c.Inv.Assigns["RESTIC_REPOSITORY"]
	}
	in := " in the restic repository " + repo
	if repo == "" {
		in = " in the restic repository RESTIC_REPOSITORY names"
	}
	switch cmd.Value {
	case "forget":
		ids := a.ops(1)
		var keep []string
		for _, o := range a.opts {
			if strings.HasPrefix(o.name, "--keep-") || o.name == "--prune" {
				keep = append(keep, o.name)
			}
		}
		if len(ids) == 0 && len(keep) == 0 {
			return // no snapshots named and no policy: restic removes nothing
		}
		what := "the snapshots " + cliJoin(ids, "")
		if len(ids) == 0 {
			what = "every snapshot that the policy (" + strings.Join(bakKeepFlags(a), " ") + ") does not keep"
		}
		tail := "; their data is deleted by the next prune"
		if a.on("--prune") {
			tail = " and deletes the data only they used, for good"
		}
		c.Report("backup.restic-forget", "removes "+what+in+tail)
	case "prune":
		c.Report("backup.restic-forget", "deletes for good the data of every forgotten snapshot"+in+": they can no longer be restored")
	case "key":
		if bakUnknown(c, a.op(1)) || a.op(1).Value != "remove" && a.op(1).Value != "rm" {
			return
		}
		c.Report("backup.restic-forget", "removes the key "+cliJoin(a.ops(2), "named on its input")+in+": whoever opens the repository with it loses access (with the last key, to every backup)")
	case "rewrite":
		if !a.on("--forget") {
			return
		}
		c.Report("backup.restic-forget", "rewrites the snapshots "+cliJoin(a.ops(1), "of every host")+in+" without the files it excludes and forgets the originals: those files leave the backups")
	}
}

// bakKeepFlags returns the --keep options of a restic forget as written.
func bakKeepFlags(a cliArgs) []string {
	var out []string
	for _, o := range a.opts {
		if strings.HasPrefix(o.name, "--keep-") {
			out = append(out, o.name+" "+o.value.String())
		}
	}
	if len(out) == 0 {
		out = []string{"none given"}
	}
	return out
}

// bakBorgSpec is how borg (1.x and 2) spells the options that take a value.
func bakBorgSpec() cliSpec {
	return cliSpec{short: "raePC", long: []string{"--repo", "--remote-path", "--rsh", "--lock-wait", "--glob-archives",
		"--match-archives", "--prefix", "--keep-within", "--keep-last", "--keep-secondly", "--keep-minutely",
		"--keep-hourly", "--keep-daily", "--keep-weekly", "--keep-monthly", "--keep-yearly", "--keep",
		"--checkpoint-interval", "--comment", "--exclude", "--exclude-from", "--pattern", "--patterns-from",
		"--compression", "--recompress", "--target", "--timestamp", "--umask", "--upload-ratelimit", "--sort-by",
		"--first", "--last", "--format"}}
}

// bakBorg judges borg delete, prune and recreate.
func bakBorg(c *Call) {
	a := cliParse(c.Inv.Args, bakBorgSpec())
	cmd := a.op(0)
	if bakUnknown(c, cmd) || a.on("-n", "--dry-run") || a.on("--cache-only") {
		return
	}
	repo := a.str("-r", "--repo")
	if repo == "" && len(a.operands) > 1 {
		repo = a.op(1).String()
	}
	if repo == "" {
		repo = c.Inv.Assigns["BORG_REPO"]
	}
	repoName, archive, hasArchive := strings.Cut(repo, "::")
	if repoName == "" {
		repoName = "BORG_REPO names"
	}
	archives := a.str("-a", "--glob-archives", "--match-archives")
	if archives == "" && a.str("-r", "--repo") != "" {
		archives = cliJoin(a.ops(1), "")
	}
	switch cmd.Value {
	case "delete", "rdelete", "repo-delete":
		switch {
		case hasArchive && archive != "":
			c.Report("backup.borg-delete", "deletes the archives "+cliJoin(append([]string{archive}, a.ops(2)...), "")+" of the borg repository "+repoName)
		case archives != "" && cmd.Value == "delete":
			c.Report("backup.borg-delete", "deletes the archives matching "+archives+" of the borg repository "+repoName)
		default:
			c.Report("backup.borg-delete", "deletes the whole borg repository "+repoName+" and every archive in it")
		}
	case "prune":
		c.Report("backup.borg-delete", "deletes every archive of the borg repository "+repoName+" that the --keep rules do not keep")
	case "recreate":
		c.Report("backup.borg-delete", "rewrites the archives of the borg repository "+repo+" in place, dropping the files it excludes from every backup")
	}
}

// bakRcloneSpec is how rclone spells the options that take a value.
func bakRcloneSpec() cliSpec {
	return cliSpec{long: []string{"--config", "--transfers", "--checkers", "--include", "--exclude", "--filter",
		"--filter-from", "--include-from", "--exclude-from", "--files-from", "--files-from-raw", "--min-age",
		"--max-age", "--min-size", "--max-size", "--max-depth", "--bwlimit", "--log-file", "--log-level",
		"--backup-dir", "--suffix", "--stats", "--retries", "--low-level-retries", "--timeout", "--contimeout",
		"--max-transfer", "--max-delete", "--multi-thread-streams", "--order-by", "--compare-dest", "--copy-dest",
		"--user-agent", "--exclude-if-present", "--rc-addr", "--cache-dir", "--workdir", "--dedupe-mode",
		"--drive-root-folder-id", "--s3-region", "--s3-provider", "--buffer-size", "--tpslimit", "--cutoff-mode"}}
}

// bakRcloneWhere describes an rclone path: a remote ("gdrive:backup") or a
// local directory resolved against the working directory.
func bakRcloneWhere(c *Call, w interceptor.Word) string {
	if w.Value == "" {
		return "named on its input"
	}
	v := w.String()
	if i := strings.IndexByte(v, ':'); i > 0 && !strings.ContainsAny(v[:i], "/\\") {
		return "the remote path " + v
	}
	if w.Unknown {
		return "the path " + v
	}
	return "the local directory " + interceptor.ResolvePath(c.Inv.Cwd, w.Value)
}

// bakRclone judges rclone purge, delete, deletefile, cleanup, sync and
// bisync.
func bakRclone(c *Call) {
	a := cliParse(c.Inv.Args, bakRcloneSpec())
	cmd := a.op(0)
	if bakUnknown(c, cmd) || a.on("-n", "--dry-run") {
		return
	}
	switch cmd.Value {
	case "purge":
		c.Report("backup.rclone-delete", "deletes "+bakRcloneWhere(c, a.op(1))+" and everything under it")
	case "delete":
		filtered := ""
		if a.has("--include", "--exclude", "--filter", "--filter-from", "--include-from", "--exclude-from", "--min-age", "--max-age", "--min-size", "--max-size", "--files-from") {
			filtered = " that its filters select"
		}
		if a.on("--rmdirs") {
			filtered += ", and the directories left empty"
		}
		c.Report("backup.rclone-delete", "deletes every file under "+bakRcloneWhere(c, a.op(1))+filtered)
	case "deletefile":
		c.Report("backup.rclone-delete", "deletes the file "+bakRcloneWhere(c, a.op(1)))
	case "cleanup":
		c.Report("backup.rclone-delete", "empties the trash and deletes the old file versions of "+bakRcloneWhere(c, a.op(1))+": they can no longer be recovered")
	case "sync":
		c.Report("backup.rclone-sync", "makes "+bakRcloneWhere(c, a.op(2))+" a copy of "+bakRcloneWhere(c, a.op(1))+": every file there that the source lacks is deleted, and changed files are overwritten")
	case "bisync":
		how := ""
		if a.on("--resync") {
			how = " (with --resync, the first run copies every file both ways)"
		}
		c.Report("backup.rclone-sync", "propagates deletions between "+bakRcloneWhere(c, a.op(1))+" and "+bakRcloneWhere(c, a.op(2))+": a file deleted on one side is deleted on the other"+how)
	}
}

// bakVelero judges velero deletes, "velero GROUP delete" or "velero delete
// GROUP".
func bakVelero(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "nlo", long: []string{"--namespace", "--kubeconfig", "--kubecontext", "--selector", "--output", "--features", "--colorized"}})
	first, second := a.op(0), a.op(1)
	if bakUnknown(c, first) {
		return
	}
	var group string
	switch {
	case first.Value == "uninstall":
		c.Report("backup.velero-delete", "uninstalls Velero from the cluster"+bakVeleroCtx(a)+", with its backup and restore records and schedules")
		return
	case first.Value == "delete":
		if bakUnknown(c, second) {
			return
		}
		group = second.Value
	case second.Value == "delete":
		group = first.Value
	case second.Unknown:
		bakUnknown(c, second)
		return
	default:
		return
	}
	what := cliJoin(a.ops(2), "named on its input")
	if sel := a.str("-l", "--selector"); sel != "" {
		what = "selected by " + sel
	}
	if a.on("--all") {
		what = "every one"
	}
	group = strings.TrimSuffix(group, "s")
	var reason string
	switch group {
	case "backup":
		reason = "deletes the Velero backups " + what + bakVeleroCtx(a) + " with their data in object storage and their volume snapshots"
	case "schedule":
		reason = "deletes the Velero schedules " + what + bakVeleroCtx(a) + ": no more backups are taken on them"
	case "restore":
		reason = "deletes the Velero restore records " + what + bakVeleroCtx(a) + " and their logs"
	case "backup-location", "snapshot-location":
		reason = "deletes the Velero " + group + " " + what + bakVeleroCtx(a) + ": the backups stored there are no longer known to Velero"
	default:
		reason = "deletes the Velero " + group + " " + what + bakVeleroCtx(a)
	}
	c.Report("backup.velero-delete", reason)
}

// bakVeleroCtx names the cluster context of a velero command, if given.
func bakVeleroCtx(a cliArgs) string {
	if k := a.str("--kubecontext"); k != "" {
		return " (context " + k + ")"
	}
	return ""
}
