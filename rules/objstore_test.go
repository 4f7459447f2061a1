package rules

import (
	"strings"
	"testing"
)

func TestObjStoreFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// mc
		{"mc rm --recursive --force prod/uploads", Confirm, "objstore.delete"},
		{"mc rm -r --force --versions prod/uploads/2024", Confirm, "objstore.delete"},
		{"mc rm prod/uploads/avatar.png", Confirm, "objstore.delete"},
		{"mc rm --recursive --force --older-than 30d prod/logs", Confirm, "objstore.delete"},
		{"mc rm --incomplete --recursive prod/uploads", Confirm, "objstore.delete"},
		{"mc rb --force prod/uploads", Confirm, "objstore.delete"},
		{"mc rb --force --dangerous prod", Confirm, "objstore.delete"},
		{"mc mirror --remove --overwrite ./public prod/site", Confirm, "objstore.sync-delete"},
		{"mc mirror --watch --remove local/data prod/data", Confirm, "objstore.sync-delete"},
		{"mc version suspend prod/uploads", Confirm, "objstore.recovery"},
		{"mc anonymous set public prod/uploads", Confirm, "objstore.public"},
		{"mc anonymous set download prod/reports", Confirm, "objstore.public"},
		{"mc admin user remove prod ci-bot", Confirm, "objstore.admin"},
		{"mc admin policy remove prod readwrite-all", Confirm, "objstore.admin"},
		{"mc admin service stop prod", Confirm, "objstore.admin"},
		{"mc admin config reset prod notify_webhook", Confirm, "objstore.admin"},
		{`mc "$CMD" prod/uploads`, Confirm, "objstore.unknown-subcommand"},
		// s3cmd
		{"s3cmd del s3://acme-prod/db.dump", Confirm, "objstore.delete"},
		{"s3cmd rm --recursive --force s3://acme-prod/uploads/", Confirm, "objstore.delete"},
		{"s3cmd rb s3://acme-logs --recursive", Confirm, "objstore.delete"},
		{"s3cmd sync --delete-removed ./public/ s3://acme-site/", Confirm, "objstore.sync-delete"},
		{"s3cmd setversioning s3://acme-prod disable", Confirm, "objstore.recovery"},
		{"s3cmd setacl --acl-public --recursive s3://acme-prod/exports/", Confirm, "objstore.public"},
		{"s3cmd -c ~/.s3cfg-prod dellifecycle s3://acme-prod", Confirm, "objstore.delete"},
		// s5cmd
		{"s5cmd rm 's3://acme-prod/uploads/*'", Confirm, "objstore.delete"},
		{"s5cmd --endpoint-url https://minio.lan rm 's3://data/*'", Confirm, "objstore.delete"},
		{"s5cmd rm --all-versions 's3://acme-prod/*'", Confirm, "objstore.delete"},
		{"s5cmd rb s3://acme-tmp", Confirm, "objstore.delete"},
		{"s5cmd sync --delete 'dist/*' s3://acme-site/", Confirm, "objstore.sync-delete"},
		// azcopy
		{"azcopy remove 'https://acme.blob.core.windows.net/backups?sv=2022&sig=abc' --recursive", Confirm, "objstore.delete"},
		{"azcopy rm https://acme.blob.core.windows.net/backups/db.bak", Confirm, "objstore.delete"},
		{"azcopy sync ./site 'https://acme.blob.core.windows.net/$web' --delete-destination=true", Confirm, "objstore.sync-delete"},
		{"azcopy sync ./site https://acme.blob.core.windows.net/web --delete-destination true", Confirm, "objstore.sync-delete"},
	}, ObjStorePack())
}

func TestObjStoreAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"mc", Allow, ""},
		{"mc ~/code /tmp", Allow, ""},
		{"mc ls prod/uploads", Allow, ""},
		{"mc ls --recursive --versions prod/uploads", Allow, ""},
		{"mc cp ./report.pdf prod/reports/", Allow, ""},
		{"mc mirror ./public prod/site", Allow, ""},
		{"mc mirror --remove --dry-run ./public prod/site", Allow, ""},
		{"mc rm --recursive --force --fake prod/uploads", Allow, ""},
		{"mc stat prod/uploads/avatar.png", Allow, ""},
		{"mc cat prod/config/app.json", Allow, ""},
		{"mc mb prod/new-bucket", Allow, ""},
		{"mc version enable prod/uploads", Allow, ""},
		{"mc anonymous set none prod/uploads", Allow, ""},
		{"mc anonymous get prod/uploads", Allow, ""},
		{"mc admin info prod", Allow, ""},
		{"mc admin user list prod", Allow, ""},
		{"mc alias set local http://127.0.0.1:9000 minio minio123", Allow, ""},
		{"s3cmd ls s3://acme-prod", Allow, ""},
		{"s3cmd get s3://acme-prod/db.dump", Allow, ""},
		{"s3cmd put build.tar.gz s3://acme-artifacts/", Allow, ""},
		{"s3cmd sync ./public/ s3://acme-site/", Allow, ""},
		{"s3cmd sync --delete-removed --dry-run ./public/ s3://acme-site/", Allow, ""},
		{"s3cmd del -n s3://acme-prod/db.dump", Allow, ""},
		{"s3cmd info s3://acme-prod", Allow, ""},
		{"s3cmd setversioning s3://acme-prod enable", Allow, ""},
		{"s5cmd ls 's3://acme-prod/*'", Allow, ""},
		{"s5cmd cp 's3://acme-prod/exports/*' ./exports/", Allow, ""},
		{"s5cmd --dry-run rm 's3://acme-prod/uploads/*'", Allow, ""},
		{"s5cmd sync 'dist/*' s3://acme-site/", Allow, ""},
		{"azcopy list https://acme.blob.core.windows.net/backups", Allow, ""},
		{"azcopy copy ./site https://acme.blob.core.windows.net/web --recursive", Allow, ""},
		{"azcopy sync ./site https://acme.blob.core.windows.net/web", Allow, ""},
		{"azcopy sync ./site https://acme.blob.core.windows.net/web --delete-destination=false", Allow, ""},
		{"azcopy remove https://acme.blob.core.windows.net/backups --recursive --dry-run", Allow, ""},
		{"azcopy login", Allow, ""},
	}, ObjStorePack())
}

func TestObjStoreReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"mc rm --recursive --force prod/uploads", "objstore.delete", []string{"every object under prod/uploads"}},
		{"mc rb --force prod/uploads", "objstore.delete", []string{"bucket prod/uploads with every object"}},
		{"mc mirror --remove ./public prod/site", "objstore.sync-delete", []string{"onto prod/site", "deletes every object there"}},
		{"s3cmd rm --recursive --force s3://acme-prod/uploads/", "objstore.delete", []string{"every object under s3://acme-prod/uploads/"}},
		{"azcopy remove 'https://acme.blob.core.windows.net/backups?sv=2022&sig=abc' --recursive", "objstore.delete", []string{"under https://acme.blob.core.windows.net/backups in Azure"}},
	}, ObjStorePack())
	for _, r := range cliReasons(t, "azcopy remove 'https://acme.blob.core.windows.net/b?sig=SECRET' --recursive", "objstore.delete", ObjStorePack()) {
		if strings.Contains(r, "SECRET") {
			t.Errorf("reason repeats the SAS token: %q", r)
		}
	}
}
