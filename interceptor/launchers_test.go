package interceptor

import (
	"reflect"
	"strings"
	"testing"
)

// TestLaunchers: the command a launcher runs is an invocation of its own,
// with the launcher recorded as a wrapper. A command string a launcher runs
// through a shell is analysed before the launcher itself is emitted.
func TestLaunchers(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{`railway run rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`railway run -s api -e production npx prisma migrate reset --force`, []string{"npx prisma migrate reset --force"}},
		{`railway status`, []string{"railway status"}},
		{`doppler run -- rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`doppler run -c prd --command 'rm -rf ~/a'`, []string{"rm -rf /home/u/a", "doppler run -c prd --command 'rm -rf ~/a'"}},
		{`op run --env-file=.env -- psql -c x`, []string{"psql -c x"}},
		{`infisical run --env=prod -- npm start`, []string{"npm start"}},
		{`dotenv -e .env.production -- prisma migrate deploy`, []string{"prisma migrate deploy"}},
		{`env-cmd -f .env.prod node x.js`, []string{"node x.js"}},
		{`aws-vault exec prod --duration 1h -- aws s3 ls`, []string{"aws s3 ls"}},
		{`aws-vault exec prod aws s3 ls`, []string{"aws s3 ls"}},
		{`chamber exec app db -- ./migrate`, []string{"migrate"}},
		{`chamber list app`, []string{"chamber list app"}},
		{`direnv exec ~/code/api rm -rf build`, []string{"rm -rf build"}},
		{`cross-env NODE_ENV=test jest`, []string{"jest"}},
		{`uv run --with rich pytest -x`, []string{"pytest -x"}},
		{`uv run --directory /srv/app rm -rf build`, []string{"rm -rf build"}},
		{`uv sync`, []string{"uv sync"}},
		{`uvx --from httpie http GET localhost`, []string{"http GET localhost"}},
		{`poetry run pytest`, []string{"pytest"}},
		{`pipenv run python manage.py migrate`, []string{"python manage.py migrate"}},
		{`bundle exec rake db:reset`, []string{"rake db:reset"}},
		{`pnpm exec rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`yarn exec rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`yarn node scripts/x.js`, []string{"node scripts/x.js"}},
		{`nix develop -c rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`nix develop .#ci --command make test`, []string{"make test"}},
		{`nix run nixpkgs#hello`, []string{"nix run nixpkgs#hello"}},
		{`nix-shell --run 'rm -rf ~/a'`, []string{"rm -rf /home/u/a", "nix-shell --run 'rm -rf ~/a'"}},
		{`devbox run rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`mise exec node@20 python@3.12 -- rm -rf ~/a`, []string{"rm -rf /home/u/a"}},
		{`mise x node@20 node -v`, []string{"node -v"}},
		{`conda run -n ml python train.py`, []string{"python train.py"}},
		{`sg docker 'rm -rf ~/a'`, []string{"rm -rf /home/u/a", "sg docker 'rm -rf ~/a'"}},
		{`watchexec -e js -- rm -rf ~/a`, []string{"rm -rf /home/u/a", "watchexec -e js -- rm -rf /home/u/a"}},
		{`nodemon --exec 'rm -rf ~/a'`, []string{"rm -rf /home/u/a", "nodemon --exec 'rm -rf ~/a'"}},
		{`nodemon server.js`, []string{"nodemon server.js"}},
		{`concurrently -n a,b 'npm run dev' 'rm -rf ~/a'`, []string{"npm run dev", "rm -rf /home/u/a", "concurrently -n a,b 'npm run dev' 'rm -rf ~/a'"}},
		// fd: {} is what fd finds, a pattern under the search path.
		{`fd -e pyc -x rm`, []string{"rm /home/u/code/app/**/*.pyc", "fd -e pyc -x rm"}},
		{`fd . ~ -X rm -rf {}`, []string{"rm -rf /home/u/**", "fd . /home/u -X rm -rf {}"}},
		{`fd node_modules -t d`, []string{"fd node_modules -t d"}},
	}
	for _, c := range cases {
		got := analyzeLines(c.src, nil)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

// TestLauncherInjects: a command run under a launcher that puts secrets
// into its environment says so, naming the environment when it is given.
func TestLauncherInjects(t *testing.T) {
	cases := []struct {
		src, want string
	}{
		{`railway run rm -rf x`, "railway run` with the variables of the linked Railway environment, which may be production's"},
		{`railway run --environment production rm -rf x`, "(production): pointed at production"},
		{`doppler run -c stg -- rm -rf x`, "Doppler config (stg)"},
		{`dotenv -e .env.production -- rm -rf x`, "(.env.production): pointed at production"},
		{`aws-vault exec prod-admin -- rm -rf x`, "(prod-admin): pointed at production"},
		{`doppler run --command 'rm -rf x'`, "under `doppler run`"},
		{`uv run rm -rf x`, ""},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		var got string
		for _, inv := range invs {
			if inv.Name == "rm" {
				got = strings.Join(inv.Injects, "; ")
			}
		}
		if c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("%q: injects %q, want it to contain %q", c.src, got, c.want)
		}
	}
}

// TestOpenLaunchers: a program of no known kind whose operands after
// "run", "exec" or "--" form a command may run it; the command is emitted,
// marked as launched.
func TestOpenLaunchers(t *testing.T) {
	cases := []struct {
		src      string
		want     []string
		launched bool
	}{
		{`acme run rm -rf ~/a`, []string{"acme run rm -rf /home/u/a", "rm -rf /home/u/a"}, true},
		{`acme exec --profile x -- rm -rf ~/a`, []string{"acme exec --profile x -- rm -rf /home/u/a", "rm -rf /home/u/a"}, true},
		{`acme deploy -- rm -rf ~/a`, []string{"acme deploy -- rm -rf /home/u/a", "rm -rf /home/u/a"}, true},
		{`cargo run -- --release`, []string{"cargo run -- --release"}, false},
		{`acme run`, []string{"acme run"}, false},
		{`git checkout -- src`, []string{"git checkout -- src"}, false},
		{`set -- rm -rf ~/a`, []string{"set -- rm -rf /home/u/a"}, false},
		{`grep -- -rf file`, []string{"grep -- -rf file"}, false},
	}
	for _, c := range cases {
		invs := Analyze(c.src, testContext())
		got := lines(invs)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
			continue
		}
		launched := len(invs) > 1 && invs[len(invs)-1].Launched != ""
		if launched != c.launched {
			t.Errorf("%q: launched %v, want %v", c.src, launched, c.launched)
		}
	}
}
