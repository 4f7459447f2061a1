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
