package rules

import "testing"

func TestRemoteFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"rsync -a --delete ./dist/ deploy@web1:/var/www/site/", Confirm, "remote.rsync-delete"},
		{"rsync -avz --delete-after build/ web1:site", Confirm, "remote.rsync-delete"},
		{"rsync -av --del -e 'ssh -p 2222' ./ backup@nas:/srv/backup/laptop", Confirm, "remote.rsync-delete"},
		{"rsync -a --delete ./ rsync://mirror.acme.dev/pub/", Confirm, "remote.rsync-delete"},
		{"rsync -a --delete-excluded --exclude node_modules ./ web1::site", Confirm, "remote.rsync-delete"},
		{"rsync -a ./etc/ root@web1:/etc/", Confirm, "remote.system-overwrite"},
		{"rsync -a ./ root@web1:/", Confirm, "remote.system-overwrite"},
		{"scp passwd root@web1:/etc/passwd", Confirm, "remote.system-overwrite"},
		{"scp -P 2222 nginx.conf root@web1:/etc/nginx/nginx.conf", Confirm, "remote.system-overwrite"},
		{"scp id_ed25519.pub deploy@web1:.ssh/authorized_keys", Confirm, "remote.system-overwrite"},
		{"scp -r lib root@web1:/usr/lib/app", Confirm, "remote.system-overwrite"},
	}, RemotePack())
}

func TestRemoteAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"rsync -av ./dist/ deploy@web1:/var/www/site/", Allow, ""},
		{"rsync -avn --delete ./dist/ deploy@web1:/var/www/site/", Allow, ""},
		{"rsync -a --delete --dry-run ./dist/ deploy@web1:/var/www/site/", Allow, ""},
		{"rsync -av deploy@web1:/var/log/app/ ./logs/", Allow, ""},
		{"rsync -a --delete web1:/srv/data/ ./mirror/", Allow, ""},
		{"rsync -av -e 'ssh -i ~/.ssh/deploy' build/ web1:site", Allow, ""},
		{"scp build.tar.gz deploy@web1:/tmp/", Allow, ""},
		{"scp root@web1:/etc/nginx/nginx.conf ./", Allow, ""},
		{"scp -r dist deploy@web1:~/site", Allow, ""},
		{"scp ./etc/app.conf ./backup/", Allow, ""},
	}, RemotePack())
}

func TestRemoteReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"rsync -a --delete ./dist/ deploy@web1:/var/www/site/", "remote.rsync-delete", []string{"/var/www/site/ on deploy@web1", "./dist/", "--delete"}},
		{"scp passwd root@web1:/etc/passwd", "remote.system-overwrite", []string{"/etc/passwd on root@web1"}},
	}, RemotePack())
}
