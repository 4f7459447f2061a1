package env

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Fake secrets of each format, built by concatenation so that secret
// scanners do not flag this file.
var (
	fakeGitHub    = "ghp_" + strings.Repeat("a1B2", 9)
	fakeGitHubPAT = "github_pat_" + strings.Repeat("11AB", 6) + "_" + strings.Repeat("xY9z", 14)
	fakeGitLab    = "glpat-" + strings.Repeat("Ab1-", 5)
	fakeAWS       = "AKIA" + "IOSFODNN7EXAMPLE"
	fakeAWSTemp   = "ASIA" + "ABCDEFGH12345678"
	fakeStripe    = "sk_live_" + strings.Repeat("4eC39HqLyjWDarjtT1zdp7dc", 1)
	fakeStripeT   = "sk_test_" + "51H" + strings.Repeat("x8", 10)
	fakeSlack     = "xoxb-" + "123456789012-1234567890123-" + strings.Repeat("Ab", 12)
	fakeGoogle    = "AIza" + "SyA" + strings.Repeat("bC1_", 8)
	fakeNPM       = "npm_" + strings.Repeat("aB3d", 9)
	fakeOpenAI    = "sk-" + "proj-" + strings.Repeat("Ab3De", 8)
	fakeAnthropic = "sk-" + "ant-api03-" + strings.Repeat("Xy7_z", 10)
	fakeHF        = "hf_" + strings.Repeat("AbCdE", 7)
	fakeJWT       = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." +
		"eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0" + "." +
		"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	fakePEM = "-----BEGIN RSA PRIVATE KEY-----\n" +
		"MIIEowIBAAKCAQEA" + strings.Repeat("q1w2e3r4", 8) + "\n" +
		"-----END RSA PRIVATE KEY-----\n"
	fakeSlackHook = "https://hooks.slack.com/services/" + "T00000000/B00000000/" + strings.Repeat("X", 24)
)

func TestSecretByName(t *testing.T) {
	secret := []struct{ name, value, word string }{
		{"GITHUB_TOKEN", "x", "TOKEN"},
		{"GH_TOKEN", "x", "TOKEN"},
		{"github_token", "x", "TOKEN"},
		{"NPM_TOKEN", "x", "TOKEN"},
		{"HF_TOKEN", "x", "TOKEN"},
		{"CI_JOB_TOKEN", "x", "TOKEN"},
		{"AWS_SESSION_TOKEN", "x", "TOKEN"},
		{"RAILWAY_TOKEN", "x", "TOKEN"},
		{"SLACKTOKEN", "x", "TOKEN"},
		{"npm_config_//registry.npmjs.org/:_authToken", "x", "TOKEN"},
		{"CLIENT_SECRET", "x", "SECRET"},
		{"AWS_SECRET_ACCESS_KEY", "x", "SECRET"},
		{"SECRET_KEY_BASE", "x", "SECRET"},
		{"NEXTAUTH_SECRET", "x", "AUTH"},
		{"DB_PASSWORD", "x", "PASSWORD"},
		{"PGPASSWORD", "x", "PASSWORD"},
		{"MYSQL_ROOT_PASSWORD", "x", "PASSWORD"},
		{"SMTP_PASSWD", "x", "PASSWD"},
		{"DB_PASS", "x", "PASS"},
		{"GPG_PASSPHRASE", "x", "PASSPHRASE"},
		{"OPENAI_API_KEY", "x", "API_KEY"},
		{"ANTHROPIC_API_KEY", "x", "API_KEY"},
		{"SENDGRID_APIKEY", "x", "API_KEY"},
		{"openaiApiKey", "x", "API_KEY"},
		{"DD_API_KEYS", "x", "API_KEY"},
		{"AWS_ACCESS_KEY_ID", "x", "ACCESS_KEY"},
		{"MINIO_ACCESSKEY", "x", "ACCESS_KEY"},
		{"SSH_PRIVATE_KEY", "x", "PRIVATE_KEY"},
		{"DEPLOY_PRIVATEKEY", "x", "PRIVATE_KEY"},
		{"JWT_SIGNING_KEY", "x", "SIGNING_KEY"},
		{"RAILS_MASTER_KEY", "x", "MASTER_KEY"},
		{"GOOGLE_APPLICATION_CREDENTIALS", "/home/u/key.json", "CREDENTIAL"},
		{"AZURE_CREDENTIAL", "x", "CREDENTIAL"},
		{"DOCKER_CREDS", "x", "CREDS"},
		{"DOCKER_AUTH_CONFIG", "{}", "AUTH"},
		{"NPM_CONFIG__AUTH", "x", "AUTH"},
		{"GITHUB_OAUTH", "x", "AUTH"},
		{"TS_AUTHKEY", "x", "AUTH"},
		{"HTTP_AUTHORIZATION", "x", "AUTH"},
		{"MYSQL_PWD", "hunter2", "PWD"},
		{"GITHUB_TOKEN2", "x", "TOKEN"},
		{"DB_PASSWORD_1", "x", "PASSWORD"},
		{"BASIC_AUTH_PASSWORD", "x", "AUTH"},
		{"AUTH_USER_PASSWORD", "x", "PASSWORD"},
		{"VAULT_SECRET_ID", "x", "SECRET"},
	}
	for _, c := range secret {
		ok, why := Secret(c.name, c.value)
		if !ok || why != "name contains "+c.word {
			t.Errorf("Secret(%q) = %v, %q; want true, %q", c.name, ok, why, "name contains "+c.word)
		}
	}
	notSecret := []struct{ name, value string }{
		{"PATH", "/usr/bin:/bin"},
		{"GOPATH", "/home/u/go"},
		{"HOME", "/home/u"},
		{"AUTHOR_NAME", "Ann"},
		{"GIT_AUTHOR_NAME", "Ann"},
		{"GIT_AUTHOR_EMAIL", "ann@example.com"},
		{"GIT_COMMITTER_NAME", "Ann"},
		{"TOKENIZERS_PARALLELISM", "false"},
		{"MAX_TOKENS", "4096"},
		{"CLAUDE_CODE_MAX_OUTPUT_TOKENS", "32000"},
		{"SSH_AUTH_SOCK", "/tmp/ssh-x/agent.1"},
		{"XAUTHORITY", "/run/user/1000/gdm/Xauthority"},
		{"XAUTHLOCALHOSTNAME", "box"},
		{"KRB5CCNAME", "FILE:/tmp/krb5cc_1000"},
		{"GPG_AGENT_INFO", "/run/user/1000/gnupg/S.gpg-agent:0:1"},
		{"GIT_ASKPASS", "/usr/lib/git-core/git-gui--askpass"},
		{"SSH_ASKPASS", "/usr/bin/ksshaskpass"},
		{"NODE_OPTIONS", "--max-old-space-size=4096"},
		{"REDIS_URL", "redis://localhost:6379"},
		{"DATABASE_URL", "postgres://app@localhost:5432/app"},
		{"SENTRY_DSN", "https://abc123@o0.ingest.sentry.io/0"},
		{"NEXTAUTH_URL", "http://localhost:3000"},
		{"TOKEN_PATH", "/var/run/secrets/token"},
		{"AWS_SHARED_CREDENTIALS_FILE", "/home/u/.aws/credentials"},
		{"PASSWORD_STORE_DIR", "/home/u/.password-store"},
		{"VAULT_AGENT_SOCKET", "/run/vault.sock"},
		{"OAUTHLIB_INSECURE_TRANSPORT", "1"},
		{"PWD", "/home/u/src"},
		{"OLDPWD", "/home/u"},
		{"INIT_PWD", "/home/u"},
		{"PUBLIC_KEY", "ssh-ed25519 AAAA"},
		{"GPG_KEY", "ABCDEF12"},
		{"KEYMAP", "us"},
		{"LS_COLORS", "rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:*.tar=01;31:*.key=00;33"},
		{"LESSOPEN", "| /usr/bin/lesspipe %s"},
		{"PS1", `\u@\h:\w\$ `},
		{"GIT_SSH_COMMAND", "ssh -p 2222 -i ~/.ssh/deploy"},
		{"LANG", "en_US.UTF-8"},
		{"LC_ALL", "C"},
		{"XDG_RUNTIME_DIR", "/run/user/1000"},
		{"EDITOR", "vim"},
		{"HISTCONTROL", "ignoreboth"},
		{"_", "/usr/bin/env"},
		{"GOFLAGS", "-mod=mod"},
		{"CDPATH_NOT", "x"},
		{"AWS_REGION", "us-east-1"},
		{"AWS_PROFILE", "dev"},
		{"KUBECONFIG", "/home/u/.kube/config"},
		{"DOCKER_HOST", "unix:///run/docker.sock"},
		{"HTTP_PROXY", "http://proxy.local:3128"},
		{"AUTH_TYPE", "oauth"},
		{"BASIC_AUTH_USER", "admin"},
		{"NPM_CONFIG_AUTH_TYPE", "web"},
		{"SECRET_NAME", "db-creds"},
		{"PASSWORD_MIN_LENGTH", "12"},
		{"TOKEN_TTL", "3600"},
		{"DEPLOY_KEY_NAME", "ci"},
	}
	for _, c := range notSecret {
		if ok, why := Secret(c.name, c.value); ok {
			t.Errorf("Secret(%q, %q) = true, %q; want false", c.name, c.value, why)
		}
	}
}

func TestSecretByValue(t *testing.T) {
	cases := []struct{ value, why string }{
		{fakeGitHub, "value looks like a GitHub token"},
		{"gho_" + strings.Repeat("Z9", 18), "value looks like a GitHub token"},
		{fakeGitHubPAT, "value looks like a GitHub token"},
		{fakeGitLab, "value looks like a GitLab token"},
		{fakeAWS, "value looks like an AWS access key"},
		{fakeAWSTemp, "value looks like an AWS access key"},
		{fakeStripe, "value looks like a Stripe key"},
		{fakeStripeT, "value looks like a Stripe key"},
		{"rk_live_" + strings.Repeat("a1", 12), "value looks like a Stripe key"},
		{fakeSlack, "value looks like a Slack token"},
		{fakeGoogle, "value looks like a Google API key"},
		{fakeNPM, "value looks like an npm token"},
		{fakeOpenAI, "value looks like an OpenAI key"},
		{"sk-" + strings.Repeat("T3BlbkFJ", 6), "value looks like an OpenAI key"},
		{fakeAnthropic, "value looks like an Anthropic key"},
		{fakeHF, "value looks like a Hugging Face token"},
		{fakeJWT, "value looks like a JWT"},
		{fakeSlackHook, "value looks like a Slack webhook URL"},
		{fakePEM, "value holds a private key"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "value holds a private key"},
		{"postgres://app:s3cret@db.internal:5432/app", "URL carries a password"},
		{"redis://:s3cret@localhost:6379/0", "URL carries a password"},
		{"https://x-access-token:abc123@github.com/o/r.git", "URL carries a password"},
		{"jdbc:mysql://root:pw@localhost/db", "URL carries a password"},
		{"host=db user=app password=s3cret dbname=app", "value carries password=…"},
		{"https://api.example.com/?access_token=abc123", "value carries access_token=…"},
		{"--password=s3cret", "value carries password=…"},
		{"-H 'Authorization: Bearer abc123'", "value carries header Authorization"},
		{`{"auths":{"x":{"auth":"dXNlcjpwYXNz"}}}`, `value carries "auth": …`},
	}
	for _, c := range cases {
		ok, why := Secret("SOME_SETTING", c.value)
		if !ok || why != c.why {
			t.Errorf("Secret(SOME_SETTING, %q) = %v, %q; want true, %q", c.value, ok, why, c.why)
		}
	}
	// A value check runs whatever the name, except on the safe names.
	if ok, _ := Secret("GITHUB_TOKEN_PATH", fakeGitHub); !ok {
		t.Errorf("a location name with a token value must be a secret")
	}
	if ok, _ := Secret("PATH", "/usr/bin:"+fakeGitHub); ok {
		t.Errorf("PATH is never a secret")
	}
	if ok, why := Secret("MYSQL_DSN", "root:pw@tcp(localhost:3306)/app"); !ok || why != "DSN carries a password" {
		t.Errorf("MySQL DSN: %v %q", ok, why)
	}
	if ok, _ := Secret("MYSQL_DSN", "root@tcp(localhost:3306)/app"); ok {
		t.Errorf("DSN without a password is not a secret")
	}
	notSecret := []string{
		"", "true", "/usr/local/bin", "https://example.com/path?x=1",
		"sk-learn-compatible", "ghp_short", "AKIAshort", "eyJnotajwt.eyJx.y",
		"-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----",
		"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
		"git@github.com:o/r.git", "ssh://git@github.com:22/o/r", "[::1]:8080",
		"password=$PGPASSWORD", "token=", "--token-file=/x",
	}
	for _, v := range notSecret {
		if ok, why := Secret("SOME_SETTING", v); ok {
			t.Errorf("Secret(SOME_SETTING, %q) = true, %q; want false", v, why)
		}
	}
}

func TestFilter(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin:/bin",
		"HOME=/home/u",
		"GITHUB_TOKEN=" + fakeGitHub,
		"TOKENIZERS_PARALLELISM=false",
		"DATABASE_URL=postgres://app:pw@db:5432/app",
		"REDIS_URL=redis://localhost:6379",
		"BASH_ENV=/home/u/.bashrc",
		"ENV=/home/u/.shrc",
		"BASH_FUNC_ls%%=() {  echo pwned\n}",
		"OLD_STYLE=() { :; }; echo pwned",
		"SHELLOPTS=xtrace",
		"BASHOPTS=extglob",
		"CDPATH=.:/home/u",
		"IFS=/",
		"PS4=+ ",
		"SOME_CONFIG=" + fakeStripe,
		"NO_EQUALS_SIGN",
		"=C:=C:\\",
		"SSH_AUTH_SOCK=/tmp/agent",
		"MY_THING=1",
		"NPM_TOKEN=" + fakeNPM,
		"EMPTY_TOKEN=",
	}
	p := Policy{Strip: []string{"my_*"}, Keep: []string{"NPM_TOKEN", "BASH_ENV"}}
	kept, removed := Filter(environ, p)
	wantKept := []string{
		"PATH=/usr/bin:/bin",
		"HOME=/home/u",
		"TOKENIZERS_PARALLELISM=false",
		"REDIS_URL=redis://localhost:6379",
		"PS4=+ ",
		"NO_EQUALS_SIGN",
		"=C:=C:\\",
		"SSH_AUTH_SOCK=/tmp/agent",
		"NPM_TOKEN=" + fakeNPM,
	}
	if !reflect.DeepEqual(kept, wantKept) {
		t.Errorf("kept:\n%s\nwant:\n%s", strings.Join(kept, "\n"), strings.Join(wantKept, "\n"))
	}
	wantRemoved := []Removed{
		{"GITHUB_TOKEN", "name contains TOKEN"},
		{"DATABASE_URL", "URL carries a password"},
		{"BASH_ENV", "would make the real shell run code guard did not see"},
		{"ENV", "would make the real shell run code guard did not see"},
		{"BASH_FUNC_ls%%", "exported function: code guard did not see"},
		{"OLD_STYLE", "exported function: code guard did not see"},
		{"SHELLOPTS", "would set shell options guard did not see"},
		{"BASHOPTS", "would set shell options guard did not see"},
		{"CDPATH", "would make cd go where guard did not look"},
		{"IFS", "would change how the real shell splits words"},
		{"SOME_CONFIG", "value looks like a Stripe key"},
		{"MY_THING", "matches strip pattern my_*"},
		{"EMPTY_TOKEN", "name contains TOKEN"},
	}
	if !reflect.DeepEqual(removed, wantRemoved) {
		t.Errorf("removed:\n%v\nwant:\n%v", removed, wantRemoved)
	}
	for _, r := range removed {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, r.Name+"="); ok && len(v) > 3 && strings.Contains(r.Reason, v) {
				t.Errorf("reason for %s carries the value: %q", r.Name, r.Reason)
			}
		}
	}
	if got := Report(environ, p); !reflect.DeepEqual(got, wantRemoved) {
		t.Errorf("Report differs from Filter: %v", got)
	}
}

func TestFilterPrecedence(t *testing.T) {
	cases := []struct {
		name   string
		kv     string
		p      Policy
		remove bool
	}{
		{"strip beats keep", "MY_TOKEN=x", Policy{Strip: []string{"MY_TOKEN"}, Keep: []string{"MY_*"}}, true},
		{"strip beats safe names", "EDITOR=vim", Policy{Strip: []string{"EDITOR"}}, true},
		{"keep beats name rule", "NPM_TOKEN=x", Policy{Keep: []string{"npm_token"}}, false},
		{"keep beats value rule", "CONFIG=" + fakeGitHub, Policy{Keep: []string{"CONF*"}}, false},
		{"keep cannot keep BASH_ENV", "BASH_ENV=/x", Policy{Keep: []string{"*"}}, true},
		{"keep cannot keep functions", "BASH_FUNC_f%%=() { :; }", Policy{Keep: []string{"BASH_FUNC_*"}}, true},
		{"PS4 with substitution", "PS4=$(touch /tmp/x)", Policy{}, true},
		{"PS4 with backquotes", "PS4=`id`", Policy{}, true},
		{"no policy keeps plain", "FOO=bar", Policy{}, false},
		{"question mark pattern", "AB=1", Policy{Strip: []string{"A?"}}, true},
		{"pattern anchored", "XAB=1", Policy{Strip: []string{"A*"}}, false},
	}
	for _, c := range cases {
		_, removed := Filter([]string{c.kv}, c.p)
		if got := len(removed) == 1; got != c.remove {
			t.Errorf("%s: %q removed = %v, want %v (%v)", c.name, c.kv, got, c.remove, removed)
		}
	}
}

func TestGranted(t *testing.T) {
	environ := []string{
		"RAILWAY_TOKEN=rw",
		"GITHUB_TOKEN=gh",
		"GITHUB_USER=me",
		"BASH_ENV=/x",
		"FOO=bar",
		"STRIPPED=s",
	}
	p := Policy{Strip: []string{"STRIPPED"}}
	cases := []struct {
		grant string
		want  []string
	}{
		{"RAILWAY_TOKEN", []string{"RAILWAY_TOKEN=rw"}},
		{"GITHUB_*", []string{"GITHUB_TOKEN=gh"}}, // GITHUB_USER is not stripped
		{"BASH_ENV", nil},                    // integrity: never given back
		{"FOO", nil},                         // not stripped: already there
		{"STRIPPED", []string{"STRIPPED=s"}}, // stripped by the policy
		{"NOPE", nil},
	}
	for _, c := range cases {
		g := Grant{Name: c.grant, Commands: []string{"x"}}
		if got := Granted(environ, p, g); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Granted(%s) = %v, want %v", c.grant, got, c.want)
		}
	}
}

func TestGrantNames(t *testing.T) {
	g := Grant{Name: "T", Commands: []string{"railway", "/home/u/.local/bin/gh"}, Paths: []string{"/opt/rw/bin//railway"}}
	for _, c := range []struct {
		name string
		want bool
	}{{"railway", true}, {"gh", false}, {"./railway", false}, {"/usr/bin/railway", false}, {"", false}} {
		if got := g.NamesCommand(c.name); got != c.want {
			t.Errorf("NamesCommand(%q) = %v", c.name, got)
		}
	}
	for _, c := range []struct {
		path string
		want bool
	}{{"/opt/rw/bin/railway", true}, {"/home/u/.local/bin/gh", true}, {"/usr/bin/railway", false}, {"railway", false}, {"", false}} {
		if got := g.NamesPath(c.path); got != c.want {
			t.Errorf("NamesPath(%q) = %v", c.path, got)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"FOO", "FOO", true},
		{"foo", "FOO", true},
		{"FOO", "FOOD", false},
		{"FOO*", "FOOD", true},
		{"*_TOKEN", "NPM_TOKEN", true},
		{"*_TOKEN", "NPM_TOKEN_X", false},
		{"*TOK*", "NPM_TOKEN_X", true},
		{"A*B*C", "AxxBxxBxxC", true},
		{"A*B*C", "AxxBxxBxxD", false},
		{"?", "", false},
		{"*", "", true},
		{"", "", false},
		{"", "X", false},
		{"**", "ANY", true},
	}
	for _, c := range cases {
		if got := match(c.pattern, c.name); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

// typicalEnviron is a developer's environment of about 60 variables with a
// few secrets in it.
func typicalEnviron() []string {
	e := []string{
		"PATH=/home/u/.local/bin:/home/u/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=/home/u", "USER=u", "LOGNAME=u", "SHELL=/bin/bash", "TERM=xterm-256color",
		"COLORTERM=truecolor", "LANG=en_US.UTF-8", "LC_ALL=en_US.UTF-8", "PWD=/home/u/src/app",
		"OLDPWD=/home/u", "SHLVL=2", "TMPDIR=/tmp", "EDITOR=vim", "PAGER=less", "LESS=-R",
		"LS_COLORS=rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01:cd=40;33;01:or=40;31;01:mi=00:su=37;41:sg=30;43:ca=30;41:tw=30;42:ow=34;42:st=37;44:ex=01;32:*.tar=01;31:*.tgz=01;31:*.zip=01;31",
		"XDG_RUNTIME_DIR=/run/user/1000", "XDG_SESSION_TYPE=wayland", "XDG_CONFIG_HOME=/home/u/.config",
		"XDG_DATA_DIRS=/usr/local/share:/usr/share", "DISPLAY=:0", "WAYLAND_DISPLAY=wayland-0",
		"SSH_AUTH_SOCK=/run/user/1000/keyring/ssh", "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
		"GOPATH=/home/u/go", "GOFLAGS=-mod=mod", "GOPROXY=https://proxy.golang.org,direct",
		"NVM_DIR=/home/u/.nvm", "NODE_OPTIONS=--max-old-space-size=4096",
		"PYTHONDONTWRITEBYTECODE=1", "VIRTUAL_ENV=/home/u/src/app/.venv",
		"TOKENIZERS_PARALLELISM=false", "HF_HOME=/home/u/.cache/huggingface",
		"GIT_AUTHOR_NAME=Ann Example", "GIT_AUTHOR_EMAIL=ann@example.com",
		"AWS_PROFILE=dev", "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=" + fakeAWS,
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"GITHUB_TOKEN=" + fakeGitHub, "OPENAI_API_KEY=" + fakeOpenAI,
		"DATABASE_URL=postgres://app:pw@localhost:5432/app", "REDIS_URL=redis://localhost:6379",
		"KUBECONFIG=/home/u/.kube/config", "DOCKER_HOST=unix:///run/user/1000/docker.sock",
		"HISTSIZE=100000", "HISTCONTROL=ignoreboth", "MAIL=/var/mail/u", "HOSTNAME=box",
		"TERM_PROGRAM=vscode", "VSCODE_GIT_ASKPASS_NODE=/usr/share/code/code",
		"GIT_ASKPASS=/usr/share/code/resources/app/extensions/git/dist/askpass.sh",
		"CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000", "MAKEFLAGS=-j8", "CARGO_HOME=/home/u/.cargo",
		"RUSTUP_HOME=/home/u/.rustup", "JAVA_HOME=/usr/lib/jvm/default", "TZ=Europe/Paris",
		"SENTRY_DSN=https://abc123@o0.ingest.sentry.io/0", "_=/usr/bin/env",
	}
	return e
}

func TestTypicalEnviron(t *testing.T) {
	e := typicalEnviron()
	if len(e) < 60 {
		t.Fatalf("typical environment has %d variables, want 60 or more", len(e))
	}
	_, removed := Filter(e, Policy{})
	var names []string
	for _, r := range removed {
		names = append(names, r.Name)
	}
	want := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "OPENAI_API_KEY", "DATABASE_URL"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("removed %v, want %v", names, want)
	}
}

func BenchmarkFilter(b *testing.B) {
	e := typicalEnviron()
	b.ReportAllocs()
	for b.Loop() {
		Filter(e, Policy{Keep: []string{"NPM_TOKEN"}, Strip: []string{"MY_*"}})
	}
}

func ExampleFilter() {
	kept, removed := Filter([]string{
		"PATH=/usr/bin",
		"GITHUB_TOKEN=x",
		"DATABASE_URL=postgres://app:pw@db/app",
	}, Policy{})
	fmt.Println(kept)
	for _, r := range removed {
		fmt.Println(r.Name+":", r.Reason)
	}
	// Output:
	// [PATH=/usr/bin]
	// GITHUB_TOKEN: name contains TOKEN
	// DATABASE_URL: URL carries a password
}
