package env

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"
)

// Ellipsis ends every redaction marker.
const Ellipsis = "…"

// keepPrefix is how many characters of a secret a marker keeps, and
// minKeep the length a secret needs before any are kept: a marker shows the
// first 4 characters of a secret of 16 characters or more ("ghp_…") and
// nothing of a shorter one ("…"), so that a short password is not half
// given away.
const (
	keepPrefix = 4
	minKeep    = 16
)

// Redact replaces secrets inside a command text or any string with a marker
// that keeps the first 4 characters of secrets of 16 characters or more
// ("curl -H 'Authorization: Bearer ghp_…'") and nothing of shorter ones
// ("mysql -p…"). It finds: PEM private keys (the body is replaced, the BEGIN
// and END lines stay); tokens of known formats and JWTs; passwords in URLs
// (scheme://user:PASS@host); Authorization (after Bearer, Basic, token...),
// Cookie and secret-named headers (X-Api-Key: ...); values of secret-named
// KEY=VALUE, --option=VALUE and JSON "key": "value" pairs; the values of
// secret-taking options (--token X, --password X, curl -u user:PASS, httpie
// -a user:PASS, mysql -pPASS, sshpass -p PASS, docker login -p PASS,
// redis-cli -a PASS, openssl -passin pass:PASS, gh secret set --body
// VALUE, aws configure set aws_secret_access_key VALUE, ssh-keygen -N/-P
// PASSPHRASE).
//
// Values that are references ($TOKEN, ${TOKEN}) are left alone. Redact is
// idempotent: a marker is never redacted again.
func Redact(s string) string {
	sc := scanner{s: s}
	sc.run()
	if len(sc.hits) == 0 {
		return s
	}
	hits := sc.hits
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for i := 0; i < len(hits); {
		start, end := hits[i].start, hits[i].end
		i++
		for i < len(hits) && hits[i].start <= end {
			end = max(end, hits[i].end)
			i++
		}
		if start < pos {
			start = pos
		}
		b.WriteString(s[pos:start])
		b.WriteString(marker(s[start:end]))
		pos = end
	}
	b.WriteString(s[pos:])
	return b.String()
}

// marker is what replaces secret.
func marker(secret string) string {
	if utf8.RuneCountInString(secret) < minKeep {
		return Ellipsis
	}
	n := 0
	for i := range secret {
		if n == keepPrefix {
			return secret[:i] + Ellipsis
		}
		n++
	}
	return secret + Ellipsis
}

// isMarker reports text Redact produced, so that it is not redacted again.
func isMarker(v string) bool {
	return strings.HasSuffix(v, Ellipsis) && utf8.RuneCountInString(v) <= keepPrefix+1
}

// skipValue reports values that are not literal secrets: empty, markers,
// and references to variables.
func skipValue(v string) bool {
	return v == "" || v[0] == '$' || isMarker(v)
}

type hit struct {
	start, end int
	why        string
}

// scanner runs the finders over s and collects hits; with first set it
// stops at the first one (Secret only needs one).
type scanner struct {
	s     string
	first bool
	hits  []hit
}

func (sc *scanner) done() bool { return sc.first && len(sc.hits) > 0 }

func (sc *scanner) add(start, end int, why string) {
	if start >= end || sc.done() {
		return
	}
	sc.hits = append(sc.hits, hit{start, end, why})
}

// run applies every finder, cheapest and most specific first.
func (sc *scanner) run() {
	sc.pem()
	if !sc.done() {
		sc.tokens()
	}
	if !sc.done() {
		sc.urls()
	}
	if !sc.done() {
		sc.headers()
	}
	if !sc.done() {
		sc.assigns()
	}
	if !sc.done() {
		sc.jsonKeys()
	}
	if !sc.done() {
		sc.flags()
	}
}

// pem finds the bodies of PEM private keys.
func (sc *scanner) pem() {
	s := sc.s
	const begin = "-----BEGIN "
	var noEnd map[string]bool // labels whose END line is not in the rest of s
	for off := 0; !sc.done(); {
		i := strings.Index(s[off:], begin)
		if i < 0 {
			return
		}
		i += off + len(begin)
		off = i
		j := strings.Index(s[i:min(len(s), i+64)], "-----")
		if j < 0 {
			continue
		}
		label := s[i : i+j]
		if !strings.Contains(label, "PRIVATE KEY") || strings.ContainsAny(label, "\n\"'") {
			continue
		}
		body := i + j + 5
		end := -1
		if !noEnd[label] {
			end = strings.Index(s[body:], "-----END "+label+"-----")
			if end < 0 {
				if noEnd == nil {
					noEnd = make(map[string]bool)
				}
				noEnd[label] = true
			}
		}
		if end >= 0 {
			end += body
		} else {
			end = body
			for end < len(s) && (isBase64(s[end]) || isSpace(s[end]) || s[end] == '\\') {
				end++
			}
			if strings.HasPrefix(s[end:], Ellipsis) {
				end += len(Ellipsis) // already redacted
			}
		}
		// Trim blanks and literal "\n" escapes around the body.
		for body < end && (isSpace(s[body]) || s[body] == '\\' && body+1 < end && s[body+1] == 'n') {
			if s[body] == '\\' {
				body++
			}
			body++
		}
		for end > body && (isSpace(s[end-1]) || s[end-1] == 'n' && end-2 >= body && s[end-2] == '\\') {
			if s[end-1] == 'n' {
				end--
			}
			end--
		}
		if !isMarker(s[body:end]) {
			sc.add(body, end, "value holds a private key")
		}
		off = end
	}
}

// tokens finds literal tokens of known formats, JWTs and webhook URLs.
func (sc *scanner) tokens() {
	s := sc.s
	for i := 0; i < len(s) && !sc.done(); i++ {
		if i > 0 && isTokByte(s[i-1]) {
			continue
		}
		if n, kind := tokenAt(s, i); n > 0 {
			sc.add(i, i+n, "value looks like "+kind)
			i += n - 1
			continue
		}
		if s[i] != 'h' {
			continue
		}
		if start, end, kind := webhookAt(s, i); end > 0 {
			sc.add(start, end, "value looks like "+kind)
			i = end - 1
		}
	}
}

// tokenAt returns the length of a token of a known format starting at s[i],
// and what it is.
func tokenAt(s string, i int) (int, string) {
	rest := s[i:]
	if len(rest) < 8 {
		return 0, ""
	}
	// Formats that are a fixed prefix and a run of one kind of byte; the
	// byte test skips the table for most words.
	if strings.IndexByte(prefixTokenStarts, rest[0]) >= 0 {
		for _, f := range prefixTokens {
			if f.prefix[0] == rest[0] && strings.HasPrefix(rest, f.prefix) {
				if n := run(rest[len(f.prefix):], f.ok); n >= f.min {
					return len(f.prefix) + n, f.what
				}
			}
		}
	}
	switch {
	case strings.HasPrefix(rest, "AKIA") || strings.HasPrefix(rest, "ASIA"):
		n := run(rest[4:], isUpperDigit)
		if n == 16 && (len(rest) == 20 || !isAlnum(rest[20])) {
			return 20, "an AWS access key"
		}
	case strings.HasPrefix(rest, "sk-"):
		n := run(rest[3:], isTokByte)
		if n >= 20 && mixed(rest[3:3+n]) {
			if strings.HasPrefix(rest, "sk-ant-") {
				return 3 + n, "an Anthropic key"
			}
			return 3 + n, "an OpenAI key"
		}
	case rest[0] == 'g':
		for _, p := range [...]string{"glpat-", "gldt-", "glrt-", "glptt-"} {
			if strings.HasPrefix(rest, p) {
				n := run(rest[len(p):], func(c byte) bool { return isTokByte(c) || c == '.' })
				for n > 0 && rest[len(p)+n-1] == '.' {
					n--
				}
				if n >= 20 {
					return len(p) + n, "a GitLab token"
				}
			}
		}
	case rest[0] == 'e':
		if n := jwtAt(rest); n > 0 {
			return n, "a JWT"
		}
	}
	return 0, ""
}

// prefixToken is a secret format made of a fixed prefix and at least min
// bytes for which ok holds.
type prefixToken struct {
	prefix string
	ok     func(byte) bool
	min    int
	what   string
}

// prefixTokenStarts are the first bytes of prefixTokens.
const prefixTokenStarts = "Aghnrswx"

// prefixTokens are the formats tokenAt recognises by prefix alone.
var prefixTokens = [...]prefixToken{
	{"AIza", isTokByte, 35, "a Google API key"},
	{"AGE-SECRET-KEY-1", isUpperDigit, 50, "an age secret key"},
	{"ghp_", isAlnum, 30, "a GitHub token"},
	{"gho_", isAlnum, 30, "a GitHub token"},
	{"ghu_", isAlnum, 30, "a GitHub token"},
	{"ghs_", isAlnum, 30, "a GitHub token"},
	{"ghr_", isAlnum, 30, "a GitHub token"},
	{"github_pat_", isWordByte, 22, "a GitHub token"},
	{"sk_live_", isAlnum, 10, "a Stripe key"},
	{"sk_test_", isAlnum, 10, "a Stripe key"},
	{"rk_live_", isAlnum, 10, "a Stripe key"},
	{"rk_test_", isAlnum, 10, "a Stripe key"},
	{"whsec_", isAlnum, 20, "a Stripe webhook secret"},
	{"xoxa-", isTokByte, 10, "a Slack token"},
	{"xoxb-", isTokByte, 10, "a Slack token"},
	{"xoxe-", isTokByte, 10, "a Slack token"},
	{"xoxp-", isTokByte, 10, "a Slack token"},
	{"xoxr-", isTokByte, 10, "a Slack token"},
	{"xoxs-", isTokByte, 10, "a Slack token"},
	{"xapp-", isTokByte, 10, "a Slack token"},
	{"npm_", isAlnum, 36, "an npm token"},
	{"hf_", isAlnum, 30, "a Hugging Face token"},
}

// jwtAt returns the length of a JWT at the start of s: three base64url
// segments (the last may be empty) whose first decodes to a JSON object
// with "alg".
func jwtAt(s string) int {
	if !strings.HasPrefix(s, "eyJ") {
		return 0
	}
	h := run(s, isB64URL)
	if h < 10 || h >= len(s) || s[h] != '.' {
		return 0
	}
	p := run(s[h+1:], isB64URL)
	if p < 4 || !strings.HasPrefix(s[h+1:], "eyJ") {
		return 0
	}
	n := h + 1 + p
	if n >= len(s) || s[n] != '.' {
		return 0
	}
	n += 1 + run(s[n+1:], isB64URL)
	head, err := base64.RawURLEncoding.DecodeString(s[:h])
	if err != nil || !json.Valid(head) || !bytes.Contains(head, []byte(`"alg"`)) {
		return 0
	}
	return n
}

// webhookAt finds the secret path of a Slack or Discord webhook URL whose
// "https://" starts at s[i].
func webhookAt(s string, i int) (start, end int, kind string) {
	rest := s[i:]
	for _, w := range [...]struct{ prefix, kind string }{
		{"https://hooks.slack.com/services/", "a Slack webhook URL"},
		{"https://discord.com/api/webhooks/", "a Discord webhook URL"},
		{"https://discordapp.com/api/webhooks/", "a Discord webhook URL"},
	} {
		if strings.HasPrefix(rest, w.prefix) {
			n := run(rest[len(w.prefix):], func(c byte) bool { return isTokByte(c) || c == '/' })
			if n >= 20 {
				start = i + len(w.prefix)
				return start, start + n, w.kind
			}
		}
	}
	return 0, 0, ""
}

// urls finds passwords in URLs: scheme://user:PASS@host.
func (sc *scanner) urls() {
	s := sc.s
	for off := 0; !sc.done(); {
		i := strings.Index(s[off:], "://")
		if i < 0 {
			return
		}
		i += off + 3
		off = i
		at, colon := -1, -1
		j := i
		for ; j < len(s); j++ {
			c := s[j]
			if c == '/' || c == '?' || c == '#' || isSpace(c) || isQuote(c) || c == '<' || c == '>' || c == '\\' {
				break
			}
			if c == '@' {
				at = j
			} else if c == ':' && colon < 0 {
				colon = j
			}
		}
		off = j
		if at < 0 || colon < 0 || colon > at {
			continue
		}
		if pw := s[colon+1 : at]; !skipValue(pw) {
			sc.add(colon+1, at, "URL carries a password")
		}
	}
}

// headers finds the values of Authorization, Cookie and secret-named HTTP
// headers ("X-Api-Key: ...", "PRIVATE-TOKEN: ..."). A header name other than
// Authorization, Proxy-Authorization and Cookie must contain a dash, so that
// prose ("fix auth: ...") is left alone.
func (sc *scanner) headers() {
	s := sc.s
	for off := 0; !sc.done(); {
		c := strings.IndexByte(s[off:], ':')
		if c < 0 {
			return
		}
		c += off
		off = c + 1
		n := c
		for n > 0 && (isAlnum(s[n-1]) || s[n-1] == '-' || s[n-1] == '_') {
			n--
		}
		if n == c || n > 0 && !headerBoundary(s[n-1]) {
			continue
		}
		name := s[n:c]
		auth := equalFold(name, "AUTHORIZATION") || equalFold(name, "PROXY-AUTHORIZATION")
		cookie := equalFold(name, "COOKIE")
		if !auth && !cookie && (strings.IndexByte(name, '-') < 0 || secretWord(name, "") == "") {
			continue
		}
		v := c + 1
		for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
			v++
		}
		// authorization: 'Bearer x' (JavaScript): the value is in quotes.
		if v < len(s) && (s[v] == '\'' || s[v] == '"') {
			v++
		}
		if auth {
			w := v + run(s[v:], isAlnum)
			if authScheme(s[v:w]) && w < len(s) && (s[w] == ' ' || s[w] == '\t') {
				for w < len(s) && (s[w] == ' ' || s[w] == '\t') {
					w++
				}
				v = w
			}
		}
		end := v
		if cookie {
			for end < len(s) && !isQuote(s[end]) && s[end] != '\n' && s[end] != '\r' {
				end++
			}
		} else {
			for end < len(s) && !isSpace(s[end]) && !isQuote(s[end]) {
				end++
			}
		}
		off = max(off, end)
		if v := s[v:end]; skipValue(v) || len(v) < minKeep && run(v, isLowerLetter) == len(v) {
			continue // prose: "Authorization: Bearer handling", "x-auth-token: refresh"
		}
		sc.add(v, end, "value carries header "+name)
	}
}

// authScheme reports the scheme words of an Authorization header.
func authScheme(w string) bool {
	for _, s := range [...]string{"BEARER", "BASIC", "TOKEN", "DIGEST", "BOT", "NEGOTIATE", "NTLM", "APIKEY", "SSWS", "KEY", "OAUTH"} {
		if equalFold(w, s) {
			return true
		}
	}
	return false
}

func headerBoundary(c byte) bool {
	return isSpace(c) || isQuote(c) || c == '=' || c == ',' || c == '{' || c == '(' || c == ';'
}

// assigns finds the values of secret-named KEY=VALUE pairs: shell
// assignments, --option=value, URL query parameters, mount options.
func (sc *scanner) assigns() {
	s := sc.s
	var seen [2]int
	for off := 0; !sc.done(); {
		e := strings.IndexByte(s[off:], '=')
		if e < 0 {
			return
		}
		e += off
		off = e + 1
		k := e
		for k > 0 && isKeyByte(s[k-1]) {
			k--
		}
		key := strings.TrimLeft(s[k:e], "-")
		if key == "" || e+1 < len(s) && s[e+1] == '=' || secretWord(key, "?") == "" {
			continue
		}
		vs, ve, next := valueAt(s, e+1, &seen)
		v := s[vs:ve]
		if re := strings.Index(v, ".*"); re >= 0 {
			// A regexp, not a secret; what replaces it may be one
			// (sed 's/TOKEN=.*/TOKEN=x/').
			off = max(off, vs+re+2)
			continue
		}
		off = max(off, next)
		if secretWord(key, v) == "" || skipValue(v) {
			continue // not a secret's name after all (PWD=/x), or a reference
		}
		sc.add(vs, ve, "value carries "+key+"=…")
	}
}

// valueAt returns the value that starts at s[i]: inside quotes when it
// starts with one, else up to a blank, a quote, a comma or a shell operator.
// next is where scanning may go on. seen, when not nil, remembers the last
// unquoted run measured, so that values starting inside it (a=a=a=...) are
// not measured again.
func valueAt(s string, i int, seen *[2]int) (start, end, next int) {
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		if j := strings.IndexByte(s[i+1:], s[i]); j >= 0 {
			return i + 1, i + 1 + j, i + 2 + j
		}
		i++
	}
	if seen != nil && seen[0] <= i && i < seen[1] {
		return i, seen[1], seen[1]
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && !isQuote(s[j]) && strings.IndexByte(";|&()<>,", s[j]) < 0 {
		j++
	}
	if seen != nil {
		*seen = [2]int{i, j}
	}
	return i, j, j
}

// jsonKeys finds the values of secret-named keys of JSON objects and
// Python or JavaScript dictionaries: "password": "x", 'Authorization':
// 'Bearer x', also with the quotes escaped inside a shell string
// (\"password\":\"x\").
func (sc *scanner) jsonKeys() {
	s := sc.s
	for off := 0; !sc.done(); {
		c := strings.IndexByte(s[off:], ':')
		if c < 0 {
			return
		}
		c += off
		off = c + 1
		q := c
		for q > 0 && isSpace(s[q-1]) {
			q--
		}
		if q == 0 || s[q-1] != '"' && s[q-1] != '\'' {
			continue
		}
		quote := s[q-1]
		q--
		if q > 0 && s[q-1] == '\\' {
			q--
		}
		k := q
		for k > 0 && isKeyByte(s[k-1]) {
			k--
		}
		if k == 0 || s[k-1] != quote {
			continue
		}
		key := s[k:q]
		if secretWord(key, "?") == "" {
			continue
		}
		v := c + 1
		for v < len(s) && isSpace(s[v]) {
			v++
		}
		if v < len(s) && s[v] == '\\' {
			v++
		}
		if v >= len(s) || s[v] != '"' && s[v] != '\'' {
			continue
		}
		quote = s[v]
		v++
		end := v
		for end < len(s) && s[end] != quote && s[end] != '\\' {
			end++
		}
		off = max(off, end)
		if secretWord(key, s[v:end]) == "" || skipValue(s[v:end]) {
			continue
		}
		sc.add(v, end, `value carries "`+key+`": …`)
	}
}

// Commands whose options the flags finder knows.
const (
	cmdCurl = 1 << iota
	cmdHTTPie
	cmdMySQL
	cmdPostgres
	cmdSSHPass
	cmdRegistry
	cmdLogin
	cmdRedis
	cmdMongo
	cmdGH
	cmdAWS
	cmdSecret    // the word "secret" (gh secret set)
	cmdConfigure // the word "configure" (aws configure set)
	cmdSSHKeygen
)

func commandBit(base string) int {
	switch base {
	case "curl":
		return cmdCurl
	case "http", "https", "xh", "xhs":
		return cmdHTTPie
	case "mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck",
		"mariadb", "mariadb-dump", "mariadb-admin":
		return cmdMySQL
	case "psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup", "createdb",
		"dropdb", "createuser", "dropuser", "vacuumdb", "reindexdb", "clusterdb":
		return cmdPostgres
	case "sshpass":
		return cmdSSHPass
	case "docker", "podman", "buildah", "skopeo", "helm", "nerdctl", "oras", "crane":
		return cmdRegistry
	case "login":
		return cmdLogin
	case "redis-cli", "valkey-cli":
		return cmdRedis
	case "mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport":
		return cmdMongo
	case "gh":
		return cmdGH
	case "aws":
		return cmdAWS
	case "secret":
		return cmdSecret
	case "configure":
		return cmdConfigure
	case "ssh-keygen":
		return cmdSSHKeygen
	}
	return 0
}

// Kinds of option value.
const (
	valPlain    = iota + 1 // the whole value
	valUserPass            // user:PASS
	valOpenSSL             // pass:PASS
)

// flags finds the values of options that take a secret, in the context of
// the command the option belongs to (the words since the last ; | & ( ) or
// newline).
func (sc *scanner) flags() {
	s := sc.s
	if strings.IndexByte(s, '-') < 0 && !strings.Contains(s, "configure") {
		return
	}
	ctx := 0
	for i := 0; i < len(s) && !sc.done(); {
		c := s[i]
		if isSegBreak(c) {
			ctx = 0
			i++
			continue
		}
		if isWordBreak(c) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isWordBreak(s[j]) && !isSegBreak(s[j]) {
			j++
		}
		w := s[i:j]
		i = j
		var kind int
		var glued bool
		var attached, why string
		if w[0] != '-' {
			const awsConf = cmdAWS | cmdConfigure
			if ctx&awsConf != awsConf || secretWord(w, "") == "" {
				ctx |= commandBit(baseName(w))
				continue
			}
			// aws configure set aws_secret_access_key VALUE
			kind, why = valPlain, w
		} else {
			kind, glued, attached, why = flagValue(w, ctx)
		}
		if kind == 0 {
			continue
		}
		vs, ve := i-len(attached), i
		switch {
		case attached != "":
		case i < len(s) && (s[i] == '"' || s[i] == '\''):
			// -p'secret', --user="a:b": the value is glued on in quotes.
			var next int
			vs, ve, next = valueAt(s, i, nil)
			i = next
		case glued:
			continue // mysql -p alone prompts for the password
		default:
			// The value is the next word, if there is one in this command.
			k := i
			for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
				k++
			}
			if k == i || k >= len(s) || isSegBreak(s[k]) {
				continue
			}
			var next int
			vs, ve, next = valueAt(s, k, nil)
			if ve > vs && s[vs] == '-' {
				continue
			}
			i = max(i, next)
		}
		switch kind {
		case valUserPass:
			colon := strings.IndexByte(s[vs:ve], ':')
			if colon < 0 {
				continue
			}
			vs += colon + 1
		case valOpenSSL:
			if !strings.HasPrefix(s[vs:ve], "pass:") {
				continue
			}
			vs += len("pass:")
		}
		if !skipValue(s[vs:ve]) {
			sc.add(vs, ve, "value carries "+why+" …")
		}
	}
}

// flagValue says whether option word w (in a command with context bits ctx)
// takes a secret and of what kind; glued when the value must be glued to the
// option (mysql -pSECRET, --user=a:b), attached when it is.
func flagValue(w string, ctx int) (kind int, glued bool, attached, why string) {
	if strings.HasPrefix(w, "--") {
		name, val, eq := strings.Cut(w[2:], "=")
		switch {
		case ctx&cmdCurl != 0 && (name == "user" || name == "proxy-user"),
			ctx&cmdHTTPie != 0 && name == "auth":
			return valUserPass, eq, val, w[:len(name)+2]
		case ctx&(cmdGH|cmdSecret) == cmdGH|cmdSecret && name == "body":
			return valPlain, eq, val, w[:len(name)+2]
		case eq:
			return 0, false, "", "" // --password=x: the assigns finder has it
		case ctx&(cmdPostgres|cmdMySQL) != 0 && (name == "password" || name == "pass" || name == "passwd"):
			return 0, false, "", "" // psql --password prompts; mysql's value is glued
		case secretFlag(name):
			return valPlain, false, "", w
		}
		return 0, false, "", ""
	}
	switch w {
	case "-passin", "-passout", "-pass", "-passphrase":
		return valOpenSSL, false, "", w
	}
	if len(w) < 2 {
		return 0, false, "", ""
	}
	flag, rest := w[:2], w[2:]
	switch {
	case ctx&cmdCurl != 0 && (flag == "-u" || flag == "-U"),
		ctx&cmdHTTPie != 0 && flag == "-a":
		return valUserPass, rest != "", rest, flag
	case ctx&cmdMySQL != 0 && flag == "-p":
		return valPlain, true, rest, flag
	case ctx&(cmdGH|cmdSecret) == cmdGH|cmdSecret && flag == "-b":
		return valPlain, rest != "", rest, flag
	case ctx&cmdSSHKeygen != 0 && (flag == "-N" || flag == "-P"):
		return valPlain, rest != "", rest, flag
	case ctx&cmdSSHPass != 0 && flag == "-p",
		ctx&cmdRegistry != 0 && ctx&cmdLogin != 0 && flag == "-p",
		ctx&cmdMongo != 0 && flag == "-p" && rest == "",
		ctx&cmdRedis != 0 && flag == "-a" && rest == "":
		return valPlain, rest != "", rest, flag
	}
	return 0, false, "", ""
}

// secretFlag reports long options that take a secret as their next word:
// --token, --password, --api-key, --client-secret, but not --with-token,
// --password-stdin or --secret (docker build's takes a spec, not a value).
func secretFlag(name string) bool {
	parts := strings.FieldsFunc(strings.ToUpper(name), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return false
	}
	switch parts[0] {
	case "WITH", "NO", "ASK", "PROMPT", "SHOW", "PRINT", "SKIP", "REQUIRE", "GENERATE", "USE":
		return false
	}
	last := parts[len(parts)-1]
	switch last {
	case "TOKEN", "PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "APIKEY", "AUTHTOKEN":
		return true
	case "SECRET":
		return len(parts) > 1
	case "KEY":
		if len(parts) > 1 {
			switch parts[len(parts)-2] {
			case "API", "SECRET", "ACCESS":
				return true
			}
		}
	}
	return false
}

func run(s string, ok func(byte) bool) int {
	n := 0
	for n < len(s) && ok(s[n]) {
		n++
	}
	return n
}

// mixed reports a string with an upper-case letter, a lower-case letter
// and a digit, as random keys have and option names do not.
func mixed(s string) bool {
	var u, l, d bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		u = u || 'A' <= c && c <= 'Z'
		l = l || 'a' <= c && c <= 'z'
		d = d || '0' <= c && c <= '9'
	}
	return u && l && d
}

func isLowerLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpperDigit(c byte) bool  { return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }
func isWordByte(c byte) bool    { return isAlnum(c) || c == '_' }
func isTokByte(c byte) bool     { return isAlnum(c) || c == '_' || c == '-' }
func isB64URL(c byte) bool      { return isAlnum(c) || c == '_' || c == '-' }
func isBase64(c byte) bool      { return isAlnum(c) || c == '+' || c == '/' || c == '=' }
func isKeyByte(c byte) bool     { return isAlnum(c) || c == '_' || c == '-' || c == '.' }
func isQuote(c byte) bool       { return c == '"' || c == '\'' || c == '`' }
func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isSegBreak(c byte) bool {
	return c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '`' || c == '\n'
}
func isWordBreak(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '"' || c == '\'' || c == '<' || c == '>'
}
