package env

import (
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		// Tokens of known formats keep their first 4 characters.
		{"curl -H 'Authorization: Bearer " + fakeGitHub + "' https://api.github.com",
			"curl -H 'Authorization: Bearer ghp_…' https://api.github.com"},
		{"echo " + fakeAWS, "echo AKIA…"},
		{"stripe --api-key " + fakeStripe + " charges list", "stripe --api-key sk_l… charges list"},
		{"x " + fakeSlack + " y", "x xoxb… y"},
		{"x " + fakeGoogle, "x AIza…"},
		{"x " + fakeNPM, "x npm_…"},
		{"x " + fakeGitLab + ".", "x glpa…."},
		{"x " + fakeGitHubPAT, "x gith…"},
		{"x " + fakeOpenAI, "x sk-p…"},
		{"x " + fakeAnthropic, "x sk-a…"},
		{"x " + fakeHF, "x hf_A…"},
		{"x " + fakeJWT, "x eyJh…"},
		{"curl -d x " + fakeSlackHook, "curl -d x https://hooks.slack.com/services/T000…"},
		// Passwords in URLs; short secrets show nothing.
		{"psql postgres://app:s3cret@db:5432/app", "psql postgres://app:…@db:5432/app"},
		{"redis-cli -u redis://:hunter2@localhost:6379", "redis-cli -u redis://:…@localhost:6379"},
		{"git clone https://oauth2:" + fakeGitLab + "@gitlab.com/o/r.git",
			"git clone https://oauth2:glpa…@gitlab.com/o/r.git"},
		{"git clone https://x-access-token:" + fakeGitHub + "@github.com/o/r.git",
			"git clone https://x-access-token:ghp_…@github.com/o/r.git"},
		// Headers.
		{`curl -H "Authorization: Basic dXNlcjpwYXNz" x`, `curl -H "Authorization: Basic …" x`},
		{`curl -H "authorization: token abcdefghijklmnopqrstuvwxyz" x`, `curl -H "authorization: token abcd…" x`},
		{`curl -H "Authorization: abc123" x`, `curl -H "Authorization: …" x`},
		{`curl -H 'X-Api-Key: abc123' x`, `curl -H 'X-Api-Key: …' x`},
		{`curl -H 'PRIVATE-TOKEN: abc123' https://gitlab.com/api/v4/projects`, `curl -H 'PRIVATE-TOKEN: …' https://gitlab.com/api/v4/projects`},
		{`curl -H 'Cookie: session=abc; csrf=def' x`, `curl -H 'Cookie: sess…' x`},
		{`curl -b x -H 'Cookie: sid=1' x`, `curl -b x -H 'Cookie: …' x`},
		{`http GET api.example.com X-Auth-Token:abc123`, `http GET api.example.com X-Auth-Token:…`},
		{`node -e "fetch(u,{headers:{authorization:'Bearer abc123'}})"`, `node -e "fetch(u,{headers:{authorization:'Bearer …'}})"`},
		{`python -c "requests.get(u, headers={'Authorization': 'Bearer abc123'})"`, `python -c "requests.get(u, headers={'Authorization': '…'})"`},
		{`git -c http.extraheader="AUTHORIZATION: basic eHh4Onl5eQ==" clone x`, `git -c http.extraheader="AUTHORIZATION: basic …" clone x`},
		// User and password options.
		{"curl -u admin:hunter2 https://x", "curl -u admin:… https://x"},
		{"curl -s -u 'admin:hunter2' https://x", "curl -s -u 'admin:…' https://x"},
		{"curl -uadmin:hunter2 https://x", "curl -uadmin:… https://x"},
		{"curl --user=admin:hunter2 https://x", "curl --user=admin:… https://x"},
		{`curl --user="admin:hunter2" https://x`, `curl --user="admin:…" https://x`},
		{`curl -u'admin:hunter2' https://x`, `curl -u'admin:…' https://x`},
		{"curl --user admin:hunter2 https://x", "curl --user admin:… https://x"},
		{"sudo /usr/bin/curl -U proxy:pw https://x", "sudo /usr/bin/curl -U proxy:… https://x"},
		{"http -a admin:hunter2 POST x", "http -a admin:… POST x"},
		{"mysql -uroot -phunter2 app", "mysql -uroot -p… app"},
		{"mysqldump -u root -p'hunter2' app", "mysqldump -u root -p'…' app"},
		{"sshpass -p hunter2 ssh host", "sshpass -p … ssh host"},
		{"docker login -u me -p hunter2 registry.example.com", "docker login -u me -p … registry.example.com"},
		{"redis-cli -a hunter2 ping", "redis-cli -a … ping"},
		{"mongosh -u admin -p hunter2", "mongosh -u admin -p …"},
		{"ssh-keygen -t ed25519 -N 'correct horse' -f k", "ssh-keygen -t ed25519 -N '…' -f k"},
		{"TOKEN=a TOKEN2=b cmd", "TOKEN=… TOKEN2=… cmd"},
		// A regexp is not a secret; what replaces it may be.
		{`sed -i 's/TOKEN=.*/TOKEN=abc123/' .env`, `sed -i 's/TOKEN=.*/TOKEN=…' .env`},
		{"openssl rsa -in k.pem -passin pass:hunter2 -out x", "openssl rsa -in k.pem -passin pass:… -out x"},
		{"wget --password=hunter2 https://x", "wget --password=… https://x"},
		{"wget --http-password hunter2 https://x", "wget --http-password … https://x"},
		{"mongo --password hunter2 db", "mongo --password … db"},
		{"vercel deploy --token abcdefghijklmnopqrstuvwxyz", "vercel deploy --token abcd…"},
		{`tool --api-key "two words"`, `tool --api-key "…"`},
		{"tool --client-secret=abc", "tool --client-secret=…"},
		{"gh secret set NPM_TOKEN --body abc123 -R o/r", "gh secret set NPM_TOKEN --body … -R o/r"},
		{"gh secret set X -b'abc123'", "gh secret set X -b'…'"},
		{"gh secret set X --body=abc123", "gh secret set X --body=…"},
		{"aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "aws configure set aws_secret_access_key wJal…"},
		{"aws configure set aws_access_key_id " + fakeAWS + " --profile p", "aws configure set aws_access_key_id AKIA… --profile p"},
		// Assignments.
		{"GITHUB_TOKEN=" + fakeGitHub + " gh pr list", "GITHUB_TOKEN=ghp_… gh pr list"},
		{"export DB_PASSWORD=hunter2", "export DB_PASSWORD=…"},
		{`export API_KEY="abc def"`, `export API_KEY="…"`},
		{"docker run -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY img", "docker run -e AWS_SECRET_ACCESS_KEY=wJal… img"},
		{"curl 'https://api.x.com/v1?access_token=abc123&page=2'", "curl 'https://api.x.com/v1?access_token=…&page=2'"},
		{"mount -t cifs -o username=u,password=pw //h/s /mnt", "mount -t cifs -o username=u,password=… //h/s /mnt"},
		{"kubectl create secret generic x --from-literal=password=hunter2", "kubectl create secret generic x --from-literal=password=…"},
		{"npm config set //registry.npmjs.org/:_authToken=abc123", "npm config set //registry.npmjs.org/:_authToken=…"},
		// JSON.
		{`curl -d '{"user":"a","password":"hunter2"}' x`, `curl -d '{"user":"a","password":"…"}' x`},
		{`curl -d "{\"api_key\": \"abc123\"}" x`, `curl -d "{\"api_key\": \"…\"}" x`},
		// PEM private keys keep their armour lines.
		{"echo '" + fakePEM + "' > k", "echo '-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----\n' > k"},
		{`printf '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'`,
			`printf '-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n'`},
		{"x='-----BEGIN EC PRIVATE KEY-----MHcCAQEEIIabcdefghijklmnop' y", "x='-----BEGIN EC PRIVATE KEY-----MHcC…' y"},
		// Nested shells are text like any other.
		{`bash -c "curl -u admin:hunter2 https://x"`, `bash -c "curl -u admin:… https://x"`},
		// Guard's own messages: hook replies and gate errors quote the
		// command inside a reason sentence, several commands in one line.
		{"drops the database (sql.drop) in: mysql -uroot -phunter2secret -e 'DROP DATABASE prod'",
			"drops the database (sql.drop) in: mysql -uroot -p… -e 'DROP DATABASE prod'"},
		{"guard blocked this command: sends POST (http.post) in: curl -u admin:pw https://x. Do not",
			"guard blocked this command: sends POST (http.post) in: curl -u admin:… https://x. Do not"},
		{"flushes every key (kv.flush) in: redis-cli -a pw FLUSHALL; and 2 more",
			"flushes every key (kv.flush) in: redis-cli -a … FLUSHALL; and 2 more"},
		{"deletes / (fs.rm-root) in: sshpass -p pw ssh host rm -rf /", "deletes / (fs.rm-root) in: sshpass -p … ssh host rm -rf /"},
		{`posts (http.post) in: curl -d '{"password": "hunter2", "user": "x"}' https://x`,
			`posts (http.post) in: curl -d '{"password": "…", "user": "x"}' https://x`},
		{"mysql -phunter2secret; curl -u admin:pw x", "mysql -p…; curl -u admin:… x"},
		// A lone --password takes a value where the tool reads one.
		{"docker login --password hunter2 registry.example.com", "docker login --password … registry.example.com"},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if got != c.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if again := Redact(got); again != got {
			t.Errorf("Redact is not idempotent on %q:\n once %q\ntwice %q", c.in, got, again)
		}
	}
}

func TestRedactLeavesCommandsAlone(t *testing.T) {
	cases := []string{
		"",
		`git commit -m "fix auth"`,
		`git commit -m "fix auth: handle expired tokens"`,
		`git commit -m "rotate password handling"`,
		"git push -u origin main",
		"git log --author=ann --since=yesterday",
		"ls -la ~/src",
		"mkdir -p build/out",
		"ssh -p 2222 deploy@host",
		"scp -P 2222 f user@host:/tmp/",
		"docker run -p 8080:80 -u 1000:1000 -e NODE_ENV=production img",
		"docker exec -u www-data:www-data app ls",
		"docker build --secret id=npmrc,src=.npmrc .",
		"docker login --password-stdin -u me registry.example.com",
		"gh auth login --with-token < token.txt",
		"gh auth status --show-token",
		"psql --password -h db app",
		"psql -W -h localhost -U app app",
		"mysql -p -h db app",
		"mysql -P 3306 -h db app",
		"sort -u words.txt",
		"useradd -u 1001 bob",
		"curl https://example.com/api?page=2",
		"curl -u admin https://x",
		`curl -H "Authorization: Bearer $TOKEN" https://x`,
		`curl -H "Authorization: Bearer ${GITHUB_TOKEN}" https://x`,
		`curl -u "admin:$PASSWORD" https://x`,
		"export GITHUB_TOKEN=$(gh auth token)",
		"export PATH=$PATH:/usr/local/go/bin",
		"TOKENIZERS_PARALLELISM=false python train.py",
		"make TOKEN_FILE=/run/secrets/t deploy",
		"psql postgres://app@localhost/app",
		"git clone git@github.com:o/r.git",
		"git clone ssh://git@github.com:22/o/r.git",
		"redis-cli -h localhost -p 6379",
		"grep -rn password src/",
		"grep 'password=' config.ini",
		`grep -n "token: " x.yaml`,
		"npm token list",
		`git commit -m "Authorization: Bearer handling for the api"`,
		`echo "x-auth-token: refresh it"`,
		"helm install x --set auth.enabled=true,auth.user=u",
		"ssh-keygen -t ed25519 -f k -N ''",
		"gh pr create --body 'fix the token refresh'",
		"gh secret list",
		"aws configure set region eu-west-1",
		"aws configure get aws_secret_access_key",
		"pip install scikit-learn sk-learn-compat",
		"python -c 'import os; print(os.environ[\"API_KEY\"])'",
		"echo eyJhbGciOi.eyJzdWIi.sig",
		"openssl req -new -key key.pem -passin env:PASS",
		"kubectl get secret x -o jsonpath='{.data.password}'",
		"vault kv get -field=password secret/db",
		"go test ./... -run 'TestAuth|TestToken'",
		"echo '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----'",
		"echo ü€ and some unicode…",
	}
	for _, c := range cases {
		if got := Redact(c); got != c {
			t.Errorf("Redact(%q) = %q; want it unchanged", c, got)
		}
	}
}

func TestMarker(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a", "…"},
		{"hunter2", "…"},
		{"fifteen-chars-x", "…"},
		{"sixteen-chars-xy", "sixt…"},
		{"üüüüüüüüüüüüüüüüü", "üüüü…"},
	}
	for _, c := range cases {
		if got := marker(c.in); got != c.want {
			t.Errorf("marker(%q) = %q, want %q", c.in, got, c.want)
		}
		if !isMarker(marker(c.in)) {
			t.Errorf("isMarker(marker(%q)) is false", c.in)
		}
	}
}

// TestRedactIdempotent checks Redact on pieces glued together, in more
// combinations than the table lists.
func TestRedactIdempotent(t *testing.T) {
	pieces := []string{
		"curl", "-u", "a:b", "-H", "'Authorization: Bearer ", fakeGitHub, "'",
		"TOKEN=", "x", "https://u:p@h/", fakeJWT, fakePEM, `"password":"`, "--token",
		"mysql", "-pabc", " ", "=", ":", "@", fakeAWS, "…", "ab…", "$X",
	}
	for i := range pieces {
		for j := range pieces {
			for k := range pieces {
				for _, sep := range []string{"", " "} {
					s := pieces[i] + sep + pieces[j] + sep + pieces[k]
					once := Redact(s)
					if twice := Redact(once); twice != once {
						t.Fatalf("not idempotent on %q:\n once %q\ntwice %q", s, once, twice)
					}
				}
			}
		}
	}
}

// TestRedactHidesSecrets checks that no fake secret survives redaction.
func TestRedactHidesSecrets(t *testing.T) {
	for _, secret := range []string{fakeGitHub, fakeGitHubPAT, fakeGitLab, fakeAWSTemp, fakeStripe,
		fakeStripeT, fakeSlack, fakeGoogle, fakeNPM, fakeOpenAI, fakeAnthropic, fakeHF, fakeJWT} {
		for _, tmpl := range []string{"%s", "echo %s", "X=%s", "'%s'", `"key":"%s"`, "--token %s", "a:%s@b"} {
			s := strings.Replace(tmpl, "%s", secret, 1)
			if got := Redact(s); strings.Contains(got, secret[4:]) {
				t.Errorf("Redact(%q) = %q still shows the secret", s, got)
			}
		}
	}
}

func BenchmarkRedact(b *testing.B) {
	cmds := []string{
		"git status",
		`git commit -m "fix auth: handle expired tokens"`,
		"curl -H 'Authorization: Bearer " + fakeGitHub + "' https://api.github.com/user",
		"GITHUB_TOKEN=x docker run -e NODE_ENV=production -p 8080:80 img",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cmds {
			Redact(c)
		}
	}
}

// FuzzRedact checks that Redact never panics, is idempotent and only ever
// replaces text with markers.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"curl -u a:b x", "TOKEN=abc", "https://u:p@h", fakeJWT, fakePEM, fakeGitHub,
		`{"password":"x"}`, "mysql -pabc", "Authorization: Bearer abc123", "--token abc",
		"aws configure set aws_secret_access_key abc", "gh secret set X -b'abc'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Redact(s)
		if twice := Redact(once); twice != once {
			t.Fatalf("not idempotent on %q:\n once %q\ntwice %q", s, once, twice)
		}
		if len(once) > len(s)+len(Ellipsis)*strings.Count(once, Ellipsis) {
			t.Fatalf("Redact(%q) = %q grew beyond its markers", s, once)
		}
	})
}

// TestRedactLinear checks that large and repetitive inputs stay cheap.
func TestRedactLinear(t *testing.T) {
	const size = 1 << 20
	for _, unit := range []string{
		"a", " ", "-----BEGIN PRIVATE KEY-----", "-----BEGIN ", "://", "eyJhbGciOiJIUzI1NiJ9.", "a:", "a=",
		"x-api-key:", `"":`, "=", ":", "curl -u ", "--token ", "AKIA", "ghp_", "sk-", fakeJWT + " ",
		"TOKEN=abc ", "TOKEN=.*", "https://u:p@h/ ", "'", `\"password\":\"`, "--token '", "--token \"",
		"Authorization: Bearer ", "'token': '", "curl -u '", "mysql -p'", "https://", "@", "u:p@", "TOKEN=$",
		"-----BEGIN PRIVATE KEY-----\n", "aws configure set token ", "TOKEN='", "X-Api-Key: '", "Cookie: ",
	} {
		s := strings.Repeat(unit, size/len(unit))
		start := time.Now()
		Redact(s)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Redact of %d bytes of %q took %v", len(s), unit, d)
		}
	}
}

// TestPrefixTokenStarts keeps the fast byte test in step with the table.
func TestPrefixTokenStarts(t *testing.T) {
	for _, f := range prefixTokens {
		if !strings.Contains(prefixTokenStarts, f.prefix[:1]) {
			t.Errorf("prefixTokenStarts lacks %q (from %q)", f.prefix[:1], f.prefix)
		}
	}
}
