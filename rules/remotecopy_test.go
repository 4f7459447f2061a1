package rules

import "testing"

// TestRemoteCopy: syncs that delete on another machine and copies over its
// system files need a human; deploy copies, local syncs and dry runs do not.
func TestRemoteCopy(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`rsync -a --delete ./empty/ deploy@prod:/srv/app/`, Confirm, "remotecopy.sync-delete"},
		{`rsync -avz --delete-after dist/ web1:/var/www/html/`, Confirm, "remotecopy.sync-delete"},
		{`rsync -a --del -e 'ssh -p 2222' build/ prod:app/`, Confirm, "remotecopy.sync-delete"},
		{`rsync -a --delete src/ rsync://backup.example.com/data/`, Confirm, "remotecopy.sync-delete"},
		{`scp ./passwd root@prod:/etc/passwd`, Confirm, "remotecopy.system-overwrite"},
		{`scp -P 2222 id.pub admin@bastion:.ssh/authorized_keys`, Confirm, "remotecopy.system-overwrite"},
		{`rsync -a ./bin/ root@prod:/usr/local/bin/`, Confirm, "remotecopy.system-overwrite"},
		// Everyday.
		{`rsync -av ./dist/ deploy@prod:/srv/app/`, Allow, ""},
		{`rsync -a --delete ./dist/ ./public/`, Allow, ""},
		{`rsync -n -a --delete ./dist/ deploy@prod:/srv/app/`, Allow, ""},
		{`rsync --dry-run -a --delete src/ host:dst/`, Allow, ""},
		{`rsync -a --delete prod:/srv/app/ ./backup/`, Allow, ""},
		{`scp build.tar.gz deploy@prod:/tmp/`, Allow, ""},
		{`scp build.tar.gz deploy@prod:`, Allow, ""},
		{`scp prod:/etc/nginx/nginx.conf .`, Allow, ""},
		{`scp -o StrictHostKeyChecking=no app.jar deploy@prod:/opt/app/`, Allow, ""},
	}, RemoteCopyPack())
}
