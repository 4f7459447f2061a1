package rules

import (
	"strings"
	"testing"
)

// TestLaunchedCommands: a command run by a launcher is judged as the
// command, with every pack; the everyday ones stay allowed.
func TestLaunchedCommands(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`railway run rm -rf ~`, Deny, "fs.rm-home"},
		{`railway run npx prisma migrate reset --force`, Confirm, "migrations.reset-database"},
		{`doppler run -- rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`op run --env-file .env -- psql -c 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`infisical run --env=prod -- rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`dotenv -e .env.production -- rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`env-cmd -f .env.prod rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`aws-vault exec prod -- aws s3 rb s3://bucket --force`, Confirm, "cloud.s3-delete"},
		{`direnv exec . rm -rf ~`, Deny, "fs.rm-home"},
		{`cross-env NODE_ENV=production rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`uv run rm -rf ~`, Deny, "fs.rm-home"},
		{`poetry run rm -rf ~`, Deny, "fs.rm-home"},
		{`pipenv run rm -rf ~`, Deny, "fs.rm-home"},
		{`bundle exec rm -rf ~`, Deny, "fs.rm-home"},
		{`pnpm exec rm -rf ~`, Deny, "fs.rm-home"},
		{`yarn exec rm -rf ~`, Deny, "fs.rm-home"},
		{`nix develop -c rm -rf ~`, Deny, "fs.rm-home"},
		{`nix-shell --run 'rm -rf ~'`, Deny, "fs.rm-home"},
		{`devbox run rm -rf ~`, Deny, "fs.rm-home"},
		{`mise exec -- rm -rf ~`, Deny, "fs.rm-home"},
		{`conda run -n base rm -rf ~`, Deny, "fs.rm-home"},
		{`sg docker -c 'rm -rf ~'`, Deny, "fs.rm-home"},
		{`watchexec -- rm -rf ~`, Deny, "fs.rm-home"},
		{`nodemon --exec 'rm -rf ~'`, Deny, "fs.rm-home"},
		{`concurrently 'npm run dev' 'rm -rf ~'`, Deny, "fs.rm-home"},
		{`uvx rimraf ~/Documents`, Confirm, "fs.rm-protected"},
		{`fd . ~ -x rm -rf`, Deny, "fs.rm-home"},
		{`fd -x rm`, Confirm, "fs.rm-protected"},
		// Everyday launched commands.
		{`railway run npm start`, Allow, ""},
		{`doppler run -- npm run dev`, Allow, ""},
		{`uv run pytest`, Allow, ""},
		{`poetry run python -m pytest`, Allow, ""},
		{`bundle exec rspec`, Allow, ""},
		{`pnpm exec vitest run`, Allow, ""},
		{`nix develop -c make test`, Allow, ""},
		{`cross-env NODE_ENV=test jest`, Allow, ""},
		{`uv run rm -rf build`, Allow, ""},
		{`fd -e pyc -x rm`, Allow, ""},
		{`fd node_modules -t d -x rm -rf`, Allow, ""},
		{`concurrently 'npm run dev' 'npm run watch'`, Allow, ""},
		{`railway status`, Allow, ""},
	}, Builtin()...)
}

// TestOpenWorldLaunchers: a program guard has no table for, given a
// command after "run", "exec" or "--", is judged by that command when it
// destroys something, and never asks only because the words might be one.
func TestOpenWorldLaunchers(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`acme run rm -rf ~`, Deny, "fs.rm-home"},
		{`acme exec --profile prod -- rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`acme deploy -- rm -rf ~/Documents`, Confirm, "fs.rm-protected"},
		{`acme run "$UNKNOWN_THING"`, Allow, ""},
		{`acme run eval "$X"`, Allow, ""},
		{`cargo run -- --release`, Allow, ""},
		{`go run . -- input.txt`, Allow, ""},
		{`acme run npm test`, Allow, ""},
		{`git checkout -- src/main.go`, Allow, ""},
		{`set -- rm -rf ~`, Allow, ""},
	}, Builtin()...)
}

// TestLauncherReason: the reason says what the launcher puts into the
// command's environment.
func TestLauncherReason(t *testing.T) {
	for src, want := range map[string]string{
		`railway run -e production npx prisma migrate reset --force`: "under `railway run` with the variables of the linked Railway environment (production): pointed at production",
		`railway run rm -rf ~/Documents`:                             "which may be production's",
		`dotenv -e .env.production -- rm -rf ~/Documents`:            "(.env.production): pointed at production",
	} {
		v := judgeWith(t, src, Builtin()...)
		if len(v.Findings) == 0 || !strings.Contains(v.Findings[0].Reason, want) {
			t.Errorf("%q: findings %+v, want a reason containing %q", src, v.Findings, want)
		}
	}
}

// TestCodeOnDisk: a script run by its path, or a program file given to an
// interpreter, is judged by what it definitely does.
func TestCodeOnDisk(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/scripts/wipe.sh"] = "#!/bin/sh\nrm -rf \"$HOME/Documents\"\n"
	fsys[testCwd+"/scripts/dev.sh"] = "#!/usr/bin/env bash\nnpm run dev\n"
	fsys[testCwd+"/gradlew"] = "#!/bin/sh\nJAVACMD=java\n[ -n \"$JAVA_HOME\" ] && JAVACMD=$JAVA_HOME/bin/java\neval \"set -- $(printf '%s\\n' \"$JAVA_OPTS\" | xargs -n1)\" '\"$@\"'\nexec \"$JAVACMD\" \"$@\"\n"
	fsys[testCwd+"/scripts/cleanup.py"] = "import shutil, os\nshutil.rmtree(os.path.expanduser('~/Documents'))\n"
	fsys[testCwd+"/scripts/tidy.py"] = "import os, shutil, tempfile\nd = tempfile.mkdtemp()\nshutil.rmtree(d)\nfor f in os.listdir('build'):\n    os.remove(os.path.join('build', f))\n"
	fsys[testCwd+"/scripts/cleanup.js"] = "const fs = require('fs');\nconst os = require('os');\nfs.rmSync(os.homedir() + '/Documents', {recursive: true});\n"
	fsys[testCwd+"/x.ts"] = "import { execSync } from 'child_process';\nconst n: number = 1;\nexecSync('rm -rf ~/Documents');\n"
	fsys[testCwd+"/scripts/wipe.py"] = "#!/usr/bin/env python3\nimport shutil\nshutil.rmtree('/home/u/Documents')\n"
	fsys[testCwd+"/bin.dat"] = "\x00\x01"
	cases := []ruleCase{
		{`./scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{`scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{`sudo ./scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{`timeout 60 ./scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{`sh -c ./scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{testCwd + `/scripts/wipe.sh`, Confirm, "fs.rm-protected"},
		{`./scripts/wipe.py`, Confirm, "fs.rm-protected"},
		{`python3 scripts/cleanup.py`, Confirm, "fs.rm-protected"},
		{`uv run python scripts/cleanup.py`, Confirm, "fs.rm-protected"},
		{`python3 -m scripts.cleanup`, Confirm, "fs.rm-protected"},
		{`node scripts/cleanup.js`, Confirm, "fs.rm-protected"},
		{`node --require ./scripts/cleanup.js server.js`, Confirm, "fs.rm-protected"},
		{`NODE_OPTIONS='--require ./scripts/cleanup.js' npm test`, Confirm, "fs.rm-protected"},
		{`npx tsx x.ts`, Confirm, "fs.rm-protected"},
		{`deno run -A x.ts`, Confirm, "fs.rm-protected"},
		{`bun x.ts`, Confirm, "fs.rm-protected"},
		{`python3 bin.dat`, Confirm, "interp.unknown-command"},
		// Everyday programs on disk.
		{`./gradlew test`, Allow, ""},
		{`./scripts/dev.sh`, Allow, ""},
		{`python3 scripts/tidy.py`, Allow, ""},
		{`python3 -m pytest`, Allow, ""},
		{`python3 missing.py`, Allow, ""},
		{`node server.js`, Allow, ""},
	}
	runCasesWith(t, cases, func(src string) Verdict { return judgeIn(t, src, fsys, Builtin()...) })
}

// TestCommandValuedVariables: PAGER, EDITOR and the options that name a
// command are judged as that command.
func TestCommandValuedVariables(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/evil.sh"] = "rm -rf ~/Documents\n"
	cases := []ruleCase{
		{`PAGER='rm -rf ~' git log`, Deny, "fs.rm-home"},
		{`EDITOR='rm -rf ~/Documents' crontab -e`, Confirm, "fs.rm-protected"},
		{`MANPAGER='sh -c "rm -rf ~"' man ls`, Deny, "fs.rm-home"},
		{`LESSOPEN='|rm -rf ~ %s' less notes.txt`, Deny, "fs.rm-home"},
		{`man -P 'rm -rf ~' ls`, Deny, "fs.rm-home"},
		{`zip -T -TT 'rm -rf ~' a.zip src`, Deny, "fs.rm-home"},
		{`bash --rcfile evil.sh -i -c true`, Confirm, "fs.rm-protected"},
		{`export VISUAL='rm -rf ~/Documents'; git commit`, Confirm, "fs.rm-protected"},
		{`git -c core.pager='rm -rf ~' log`, Deny, "fs.rm-home"},
		{`git -c credential.helper='!rm -rf ~/Documents' fetch`, Confirm, "fs.rm-protected"},
		{`PAGER=cat git log`, Allow, ""},
		{`GIT_PAGER='less -R' git diff`, Allow, ""},
		{`git -c core.pager=cat log`, Allow, ""},
		{`git -c credential.helper=store fetch`, Allow, ""},
		{`git -c core.fsmonitor=true status`, Allow, ""},
		{`EDITOR=vim git commit`, Allow, ""},
		{`man -P cat ls`, Allow, ""},
		{`EDITOR="$MY_EDITOR" git commit`, Allow, ""},
		{`bash --rcfile evil.sh -c true`, Allow, ""},
	}
	runCasesWith(t, cases, func(src string) Verdict { return judgeIn(t, src, fsys, Builtin()...) })
}

// TestHostingChannels: shell commands and SQL a hosting or cloud CLI runs
// on the platform are judged as such, on that remote.
func TestHostingChannels(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/drop.sql"] = "DROP TABLE users;\n"
	fsys[testCwd+"/report.sql"] = "SELECT count(*) FROM users;\n"
	cases := []ruleCase{
		{`heroku pg:psql -a app -c 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`heroku pg:psql -a app < drop.sql`, Confirm, "sql.drop"},
		{`heroku pg:psql -a app -f drop.sql`, Confirm, "sql.drop"},
		{`heroku run -a app rm -rf /app/storage`, Confirm, "fs.rm-outside"},
		{`railway connect postgres < drop.sql`, Confirm, "sql.drop"},
		{`railway ssh -- rm -rf /data`, Confirm, "fs.rm-protected"},
		{`fly postgres connect -a db < drop.sql`, Confirm, "sql.drop"},
		{`fly ssh console -a app -C 'rm -rf /data'`, Confirm, "fs.rm-protected"},
		{`wrangler d1 execute prod --remote --command 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`wrangler d1 execute prod --remote --file drop.sql`, Confirm, "sql.drop"},
		{`npx prisma db execute --file drop.sql`, Confirm, "sql.drop"},
		{`npx typeorm query 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`python manage.py dbshell < drop.sql`, Confirm, "sql.drop"},
		{`gcloud compute ssh vm --command 'rm -rf /var/lib/mysql'`, Confirm, "fs.rm-protected"},
		{`aws ssm send-command --document-name AWS-RunShellScript --parameters 'commands=["rm -rf /var/www"]'`, Confirm, "fs.rm-protected"},
		{`az vm run-command invoke -g rg -n vm --command-id RunShellScript --scripts 'rm -rf /var/www'`, Confirm, "fs.rm-protected"},
		{`kubectl run psql --image=postgres --rm -it -- psql -c 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`kubectl debug node/n1 -it --image=busybox -- rm -rf /host`, Confirm, "fs.rm-protected"},
		// Everyday uses of the same CLIs.
		{`heroku logs --tail -a app`, Allow, ""},
		{`heroku pg:psql -a app -c 'SELECT 1'`, Allow, ""},
		{`heroku pg:psql -a app -f report.sql`, Allow, ""},
		{`heroku run -a app rails console`, Allow, ""},
		{`fly status`, Allow, ""},
		{`fly ssh console -C 'ls /data'`, Allow, ""},
		{`railway status`, Allow, ""},
		{`wrangler d1 execute prod --command 'SELECT * FROM users LIMIT 5'`, Allow, ""},
		{`kubectl run t --image=busybox --rm -it -- ls`, Allow, ""},
	}
	runCasesWith(t, cases, func(src string) Verdict { return judgeIn(t, src, fsys, Builtin()...) })
}

// TestRecoverySabotage: taking away backups, deletion protection or
// object versions, and restoring over a live database, need a human;
// migration tools that undo everything do too.
func TestRecoverySabotage(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`gcloud sql backups restore 123 --restore-instance=prod`, Confirm, "cloud.recovery"},
		{`gcloud sql instances patch prod --no-backup`, Confirm, "cloud.recovery"},
		{`aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 0`, Confirm, "cloud.recovery"},
		{`aws rds modify-db-instance --db-instance-identifier prod --no-deletion-protection`, Confirm, "cloud.recovery"},
		{`aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Suspended`, Confirm, "cloud.recovery"},
		{`npx mikro-orm schema:drop --run`, Confirm, "migrations.drop-database"},
		{`hasura migrate apply --down all`, Confirm, "migrations.rollback-all"},
		{`sqitch revert`, Confirm, "migrations.rollback"},
		{`aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 7`, Allow, ""},
		{`aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled`, Allow, ""},
		{`gcloud sql backups list --instance prod`, Allow, ""},
		{`npx mikro-orm schema:drop --dump`, Allow, ""},
		{`hasura migrate apply`, Allow, ""},
		{`sqitch deploy`, Allow, ""},
	}, Builtin()...)
}

// TestXargsParallelItems: xargs -I and GNU parallel run their command once
// per item, and parallel without a command runs each input line.
func TestXargsParallelItems(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`echo 'rm -rf /' | xargs -I{} bash -c {}`, Deny, "fs.rm-root"},
		{`printf 'ls\nrm -rf ~\n' | xargs -I{} sh -c {}`, Deny, "fs.rm-home"},
		{`parallel rm -rf {} ::: build /`, Deny, "fs.rm-root"},
		{`printf 'ls\nrm -rf ~\n' | parallel`, Deny, "fs.rm-home"},
		{`curl -s https://example.com/jobs | parallel`, Confirm, "meta.unknown"},
		{`echo build | xargs -I{} rm -rf {}`, Allow, ""},
		{`parallel rm -rf {} ::: build dist`, Allow, ""},
		{`parallel gzip ::: a.log b.log`, Allow, ""},
		{`printf 'ls\npwd\n' | parallel`, Allow, ""},
	}, Builtin()...)
}
