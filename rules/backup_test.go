package rules

import "testing"

func TestBackupFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// restic
		{"restic forget 4bba301e", Confirm, "backup.restic-forget"},
		{"restic -r s3:s3.amazonaws.com/acme-backups forget --keep-last 7 --prune", Confirm, "backup.restic-forget"},
		{"restic forget --keep-daily 7 --keep-weekly 4", Confirm, "backup.restic-forget"},
		{"restic forget --prune latest", Confirm, "backup.restic-forget"},
		{"RESTIC_REPOSITORY=/srv/restic restic prune", Confirm, "backup.restic-forget"},
		{"restic --repo sftp:backup@nas:/restic prune --max-unused 0", Confirm, "backup.restic-forget"},
		{"restic key remove 3f2a", Confirm, "backup.restic-forget"},
		{"restic rewrite --exclude secrets.env --forget", Confirm, "backup.restic-forget"},
		{`restic "$CMD"`, Confirm, "backup.unknown-subcommand"},
		// borg
		{"borg delete /srv/borg::app-2024-01-01", Confirm, "backup.borg-delete"},
		{"borg delete /srv/borg", Confirm, "backup.borg-delete"},
		{"borg delete --glob-archives 'app-2023-*' ssh://nas/./borg", Confirm, "backup.borg-delete"},
		{"borg -r /srv/borg delete -a 'sh:app-*'", Confirm, "backup.borg-delete"},
		{"borg prune --keep-daily 7 /srv/borg", Confirm, "backup.borg-delete"},
		{"BORG_REPO=/srv/borg borg prune --keep-last 1", Confirm, "backup.borg-delete"},
		{"borg recreate --exclude '*.log' /srv/borg", Confirm, "backup.borg-delete"},
		{"borg2 repo-delete -r /srv/borg", Confirm, "backup.borg-delete"},
		// rclone
		{"rclone purge gdrive:backups", Confirm, "backup.rclone-delete"},
		{"rclone delete s3:acme-prod/uploads --min-age 30d", Confirm, "backup.rclone-delete"},
		{"rclone deletefile b2:acme/db.dump", Confirm, "backup.rclone-delete"},
		{"rclone cleanup gdrive:", Confirm, "backup.rclone-delete"},
		{"rclone sync ./dist s3:acme-site", Confirm, "backup.rclone-sync"},
		{"rclone sync --transfers 8 s3:acme-prod /mnt/mirror", Confirm, "backup.rclone-sync"},
		{"rclone --config rclone.conf sync src remote:dst", Confirm, "backup.rclone-sync"},
		{"rclone bisync ~/notes gdrive:notes --resync", Confirm, "backup.rclone-sync"},
		{`rclone "$OP" remote:x`, Confirm, "backup.unknown-subcommand"},
		// velero
		{"velero backup delete nightly-20240101 --confirm", Confirm, "backup.velero-delete"},
		{"velero backup delete --all --confirm", Confirm, "backup.velero-delete"},
		{"velero delete backup nightly-20240101", Confirm, "backup.velero-delete"},
		{"velero schedule delete nightly", Confirm, "backup.velero-delete"},
		{"velero backup-location delete default", Confirm, "backup.velero-delete"},
		{"velero snapshot-location delete aws-default", Confirm, "backup.velero-delete"},
		{"velero restore delete -l app=web", Confirm, "backup.velero-delete"},
		{"velero uninstall --force", Confirm, "backup.velero-delete"},
	}, BackupPack())
}

func TestBackupAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"restic snapshots", Allow, ""},
		{"restic -r /srv/restic snapshots --json", Allow, ""},
		{"restic backup ~/code --exclude node_modules", Allow, ""},
		{"restic check --read-data-subset 5%", Allow, ""},
		{"restic forget", Allow, ""},
		{"restic forget --keep-last 7 --prune --dry-run", Allow, ""},
		{"restic prune -n", Allow, ""},
		{"restic stats latest", Allow, ""},
		{"restic ls latest /etc", Allow, ""},
		{"restic restore latest --target /tmp/restore", Allow, ""},
		{"restic key list", Allow, ""},
		{"restic rewrite --exclude secrets.env", Allow, ""},
		{"borg list /srv/borg", Allow, ""},
		{"borg info /srv/borg::app-2024-01-01", Allow, ""},
		{"borg create /srv/borg::app-{now} ~/code", Allow, ""},
		{"borg prune --dry-run --list --keep-daily 7 /srv/borg", Allow, ""},
		{"borg delete --cache-only /srv/borg", Allow, ""},
		{"borg check /srv/borg", Allow, ""},
		{"borg extract /srv/borg::app-2024-01-01", Allow, ""},
		{"rclone ls gdrive:backups", Allow, ""},
		{"rclone lsd remote:", Allow, ""},
		{"rclone copy ./dist s3:acme-site", Allow, ""},
		{"rclone sync --dry-run ./dist s3:acme-site", Allow, ""},
		{"rclone sync -n ./dist s3:acme-site", Allow, ""},
		{"rclone check ./dist s3:acme-site", Allow, ""},
		{"rclone size gdrive:backups", Allow, ""},
		{"rclone config show", Allow, ""},
		{"rclone listremotes", Allow, ""},
		{"velero backup get", Allow, ""},
		{"velero get backups", Allow, ""},
		{"velero backup describe nightly --details", Allow, ""},
		{"velero backup create pre-upgrade --include-namespaces shop", Allow, ""},
		{"velero backup logs nightly", Allow, ""},
		{"velero restore create --from-backup nightly", Allow, ""},
		{"velero schedule get", Allow, ""},
	}, BackupPack())
}

func TestBackupReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"restic -r s3:s3.amazonaws.com/acme forget --keep-last 7 --prune", "backup.restic-forget", []string{"restic repository s3:s3.amazonaws.com/acme", "--keep-last 7", "for good"}},
		{"restic forget 4bba301e", "backup.restic-forget", []string{"snapshots 4bba301e", "RESTIC_REPOSITORY", "next prune"}},
		{"borg delete /srv/borg", "backup.borg-delete", []string{"whole borg repository /srv/borg"}},
		{"borg delete /srv/borg::app-1", "backup.borg-delete", []string{"archives app-1 of the borg repository /srv/borg"}},
		{"rclone purge gdrive:backups", "backup.rclone-delete", []string{"remote path gdrive:backups and everything under it"}},
		{"rclone sync ./dist s3:acme-site", "backup.rclone-sync", []string{"remote path s3:acme-site a copy of the local directory /home/u/code/app/dist", "deleted"}},
		{"velero backup delete --all --confirm", "backup.velero-delete", []string{"every one", "volume snapshots"}},
	}, BackupPack())
}
