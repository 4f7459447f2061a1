package env

import (
	"path/filepath"
	"strings"
)

// Policy says which variables a command may see.
type Policy struct {
	// Strip holds extra names or glob patterns ("MY_*") to remove. Strip
	// wins over Keep and over the built-in safe names.
	Strip []string
	// Keep holds names or patterns never removed by the built-in rules
	// (NPM_TOKEN when the agent is meant to publish). Keep does not override
	// Strip, nor the shell-integrity removals (BASH_ENV, exported functions).
	Keep []string
	// Grants let removed variables reach named commands only.
	Grants []Grant
}

// Grant lets one stripped variable reach only the named programs.
type Grant struct {
	// Name is the variable's name or a pattern.
	Name string
	// Commands are command names ("railway"): the grant reaches the program
	// of that name only where the agent cannot have put it (the caller
	// checks the file it resolves to). An entry with a slash is an exact
	// path, as in Paths.
	Commands []string
	// Paths are exact program files ("/home/u/.local/bin/railway") the
	// grant reaches even where the agent could write: the user vouches
	// for them by naming them.
	Paths []string
	// Origin says where the grant is configured ("~/.config/guard/guard.toml:12"),
	// for messages; may be empty.
	Origin string
}

// NamesCommand reports whether g names the command name (a base name, as
// bash looks it up) among its Commands.
func (g Grant) NamesCommand(name string) bool {
	if name == "" || strings.Contains(name, "/") {
		return false
	}
	for _, c := range g.Commands {
		if c == name {
			return true
		}
	}
	return false
}

// NamesPath reports whether g names the program file at path (absolute)
// exactly, in Paths or as a Commands entry with a slash. Paths are
// compared cleaned.
func (g Grant) NamesPath(path string) bool {
	if path == "" {
		return false
	}
	path = filepath.Clean(path)
	for _, list := range [...][]string{g.Paths, g.Commands} {
		for _, p := range list {
			if strings.Contains(p, "/") && filepath.Clean(p) == path {
				return true
			}
		}
	}
	return false
}

// Removed is one variable taken out, with why (never the value).
type Removed struct {
	Name, Reason string
}

// Filter returns environ (KEY=VALUE list, as os.Environ) without secrets, and
// what it removed, in input order. Entries without "=" or with an empty name
// are kept as they are.
func Filter(environ []string, p Policy) (kept []string, removed []Removed) {
	kept = make([]string, 0, len(environ))
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			kept = append(kept, kv)
			continue
		}
		if reason, _, remove := decide(name, value, p); remove {
			removed = append(removed, Removed{Name: name, Reason: reason})
			continue
		}
		kept = append(kept, kv)
	}
	return kept, removed
}

// Report lists the variables Filter would remove from environ, with why,
// never with their values (for `guard env`).
func Report(environ []string, p Policy) []Removed {
	_, removed := Filter(environ, p)
	return removed
}

// Granted returns the KEY=VALUE entries of environ that g gives back under
// p: those Filter removes under p and g's Name matches, never a
// shell-integrity removal such as BASH_ENV. The caller adds them only when
// every program the command line starts is one g names, found where the
// agent cannot have put it, and the verdict is allow or a human approved:
// the shell runs the whole line with one environment.
func Granted(environ []string, p Policy, g Grant) []string {
	var out []string
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" || !match(g.Name, name) {
			continue
		}
		if _, grantable, remove := decide(name, value, p); remove && grantable {
			out = append(out, kv)
		}
	}
	return out
}

// decide says whether name=value is removed under p, why, and whether a
// grant may hand it back.
func decide(name, value string, p Policy) (reason string, grantable, remove bool) {
	if r := integrity(name, value); r != "" {
		return r, false, true
	}
	for _, pat := range p.Strip {
		if match(pat, name) {
			return "matches strip pattern " + pat, true, true
		}
	}
	for _, pat := range p.Keep {
		if match(pat, name) {
			return "", false, false
		}
	}
	if ok, why := Secret(name, value); ok {
		return why, true, true
	}
	return "", false, false
}

// integrity returns why a variable must go whatever the policy says: it
// would make the real shell run, or run differently, code guard analysed.
func integrity(name, value string) string {
	switch name {
	case "BASH_ENV", "ENV":
		return "would make the real shell run code guard did not see"
	case "SHELLOPTS", "BASHOPTS":
		return "would set shell options guard did not see"
	case "CDPATH":
		return "would make cd go where guard did not look"
	case "IFS":
		return "would change how the real shell splits words"
	case "PS4":
		if strings.Contains(value, "$(") || strings.Contains(value, "`") {
			return "runs code guard did not see under xtrace"
		}
	}
	if strings.HasPrefix(name, "BASH_FUNC_") || strings.HasPrefix(value, "() {") {
		return "exported function: code guard did not see"
	}
	return ""
}

// Secret reports whether a variable is a secret and why ("name contains
// TOKEN", "value looks like a GitHub token", "URL carries a password"). It
// applies the built-in rules only: the safe names, then the name rules, then
// the value rules (see the package documentation).
func Secret(name, value string) (bool, string) {
	if safeName(name) {
		return false, ""
	}
	if w := secretWord(name, value); w != "" {
		return true, "name contains " + w
	}
	if equalFold(lastPart(name), "DSN") && dsnPassword(value) {
		return true, "DSN carries a password"
	}
	sc := scanner{s: value, first: true}
	sc.run()
	if len(sc.hits) > 0 {
		return true, sc.hits[0].why
	}
	return false, ""
}

// safeName reports the names no built-in rule ever removes.
func safeName(name string) bool {
	switch name {
	case "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "COLORTERM",
		"TERM_PROGRAM", "TERM_PROGRAM_VERSION", "LANG", "LANGUAGE", "PWD",
		"OLDPWD", "TMPDIR", "TMP", "TEMP", "TZ", "SHLVL", "HOSTNAME", "MAIL",
		"DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "EDITOR", "VISUAL",
		"PAGER", "MANPATH", "SSH_AUTH_SOCK", "SSH_AGENT_PID",
		"GPG_AGENT_INFO", "GPG_TTY", "KRB5CCNAME", "DBUS_SESSION_BUS_ADDRESS",
		"GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS":
		return true
	}
	return strings.HasPrefix(name, "LC_") || strings.HasPrefix(name, "XDG_")
}

// secretWord returns the secret word name carries (TOKEN, API_KEY, ...), or
// "" when the name is not a secret's. value is consulted only for PWD.
func secretWord(name, value string) string {
	if locationWord(lastPart(name)) {
		return ""
	}
	prev := ""
	for i := 0; i < len(name); {
		p, next := nextPart(name, i)
		if p == "" {
			break
		}
		i = next
		w := partWord(trimDigits(p), prev, value)
		prev = p
		if w == "" {
			continue
		}
		if after, _ := nextPart(name, next); descriptor(after) {
			continue // AUTH_TYPE, SECRET_NAME, PASSWORD_MIN_LENGTH
		}
		return w
	}
	return ""
}

// nextPart returns the run of letters and digits at or after name[i], and
// where it ends.
func nextPart(name string, i int) (string, int) {
	for i < len(name) && !isAlnum(name[i]) {
		i++
	}
	j := i
	for j < len(name) && isAlnum(name[j]) {
		j++
	}
	return name[i:j], j
}

// trimDigits drops the digits that end a part: TOKEN2, PASSWORD_1.
func trimDigits(p string) string {
	j := len(p)
	for j > 0 && '0' <= p[j-1] && p[j-1] <= '9' {
		j--
	}
	if j == 0 {
		return p
	}
	return p[:j]
}

// partWord returns the secret word one name part is, given the part before
// it, or "".
func partWord(p, prev, value string) string {
	switch {
	case hasSuffixFold(p, "TOKEN"):
		return "TOKEN"
	case containsFold(p, "SECRET"):
		return "SECRET"
	case containsFold(p, "PASSWORD"):
		return "PASSWORD"
	case containsFold(p, "PASSWD"):
		return "PASSWD"
	case containsFold(p, "PASSPHRASE"):
		return "PASSPHRASE"
	case equalFold(p, "PASS"):
		return "PASS"
	case containsFold(p, "CREDENTIAL"):
		return "CREDENTIAL"
	case equalFold(p, "CREDS"):
		return "CREDS"
	case equalFold(p, "AUTHKEY"), equalFold(p, "AUTHORIZATION"), hasSuffixFold(p, "AUTH"):
		return "AUTH"
	case hasSuffixFold(p, "APIKEY"), hasSuffixFold(p, "APIKEYS"):
		return "API_KEY"
	case hasSuffixFold(p, "ACCESSKEY"), hasSuffixFold(p, "ACCESSKEYS"):
		return "ACCESS_KEY"
	case hasSuffixFold(p, "PRIVATEKEY"), hasSuffixFold(p, "PRIVATEKEYS"):
		return "PRIVATE_KEY"
	case equalFold(p, "KEY"), equalFold(p, "KEYS"):
		for _, q := range [...]string{"API", "ACCESS", "PRIVATE", "SIGNING", "ENCRYPTION", "MASTER", "DEPLOY"} {
			if equalFold(prev, q) {
				return q + "_KEY"
			}
		}
	case equalFold(p, "PWD"):
		if !strings.HasPrefix(value, "/") {
			return "PWD"
		}
	}
	return ""
}

// descriptor reports the name parts that, right after a secret word, make
// the name describe the secret rather than hold it: AUTH_TYPE, AUTH_USER,
// SECRET_NAME, TOKEN_TTL, PASSWORD_MIN_LENGTH.
func descriptor(p string) bool {
	for _, w := range [...]string{
		"USER", "USERNAME", "LOGIN", "NAME", "TYPE", "MODE", "METHOD", "METHODS",
		"ENABLED", "DISABLED", "ENABLE", "DISABLE", "REQUIRED", "PROVIDER",
		"DOMAIN", "HOST", "HOSTNAME", "PORT", "SERVER", "ENDPOINT", "SCHEME",
		"STRATEGY", "REALM", "MIN", "MAX", "LENGTH", "TTL", "EXPIRY", "EXPIRES",
		"TIMEOUT", "LIFETIME", "VERSION",
	} {
		if equalFold(p, w) {
			return true
		}
	}
	return false
}

// locationWord reports the last name parts that say where a secret is, not
// what it is: SSH_AUTH_SOCK, TOKEN_PATH, NEXTAUTH_URL.
func locationWord(p string) bool {
	for _, w := range [...]string{"FILE", "PATH", "DIR", "SOCK", "SOCKET", "URL", "URI"} {
		if equalFold(p, w) {
			return true
		}
	}
	return false
}

// lastPart returns the last run of letters and digits in name.
func lastPart(name string) string {
	j := len(name)
	for j > 0 && !isAlnum(name[j-1]) {
		j--
	}
	i := j
	for i > 0 && isAlnum(name[i-1]) {
		i--
	}
	return name[i:j]
}

// equalFold reports s == upper without regard to ASCII case; upper is
// upper-case.
func equalFold(s, upper string) bool {
	if len(s) != len(upper) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if upperByte(s[i]) != upper[i] {
			return false
		}
	}
	return true
}

func hasSuffixFold(s, upper string) bool {
	return len(s) >= len(upper) && equalFold(s[len(s)-len(upper):], upper)
}

func containsFold(s, upper string) bool {
	for i := 0; i+len(upper) <= len(s); i++ {
		if equalFold(s[i:i+len(upper)], upper) {
			return true
		}
	}
	return false
}

// dsnPassword reports a scheme-less DSN with a password: user:pass@host...
// (MySQL's user:password@tcp(host)/db).
func dsnPassword(v string) bool {
	at := strings.IndexByte(v, '@')
	if at <= 0 {
		return false
	}
	ui := v[:at]
	if strings.ContainsAny(ui, "/ \t\n") {
		return false
	}
	colon := strings.IndexByte(ui, ':')
	return colon > 0 && colon < len(ui)-1
}

// match reports whether name matches pattern, without regard to ASCII
// case; "*" matches any run of characters and "?" any one byte.
func match(pattern, name string) bool {
	if pattern == "" {
		return false
	}
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && (pattern[p] == '?' || lower(pattern[p]) == lower(name[n])):
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// baseName returns the part of a command path after its last slash.
func baseName(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
