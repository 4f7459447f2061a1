package integration

import (
	"strings"
)

// redacted replaces a secret in a message.
const redacted = "[redacted]"

// redact masks literal secrets in a message before it leaves guard: a
// reason can quote the command, and the command can carry a token. It
// masks values of well-known token formats, the value after "Bearer" or
// "Basic", values assigned to names that say they are secret
// (API_TOKEN=..., --password=..., "x-api-key: ..."), and the password in a
// URL's user information. Variable references ($TOKEN) are not secrets and
// stay.
//
// It works on words (runs of characters other than white space and
// quotes), so the message keeps its shape.
func redact(s string) string {
	var b strings.Builder
	prev, prev2 := "", "" // the previous two words, lower-cased
	for i := 0; i < len(s); {
		if isWordBreak(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && !isWordBreak(s[j]) {
			j++
		}
		word := s[i:j]
		b.WriteString(redactWord(word, prev, prev2))
		prev, prev2 = strings.ToLower(word), prev
		i = j
	}
	return b.String()
}

func isWordBreak(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '`'
}

// redactWord masks one word, given the two words before it.
func redactWord(word, prev, prev2 string) string {
	if word == "" || strings.HasPrefix(word, "$") {
		return word
	}
	switch strings.ToLower(word) {
	case "bearer", "basic", "token":
		return word
	}
	// "Authorization: Bearer X", "Authorization: token X".
	if prev == "bearer" || prev2 == "authorization:" && (prev == "basic" || prev == "token") {
		return redacted
	}
	// "--password X", "x-api-key: X", "API_TOKEN= X".
	if name := strings.TrimRight(prev, ":="); !strings.ContainsAny(name, ":=") &&
		(strings.HasPrefix(prev, "-") || len(name) < len(prev)) && secretName(name) {
		return redacted
	}
	// name=value and name:value with a secret-sounding name or a value in
	// a token format.
	if k := strings.IndexAny(word, "=:"); k > 0 && k < len(word)-1 {
		name, value := word[:k], word[k+1:]
		if !strings.HasPrefix(value, "$") && !strings.HasPrefix(value, "//") &&
			(secretName(name) || looksLikeToken(value)) {
			return name + word[k:k+1] + redacted
		}
	}
	if looksLikeToken(word) {
		return redacted
	}
	if at := strings.Index(word, "://"); at > 0 {
		return redactURL(word, at)
	}
	return word
}

// secretName says whether a variable, option or header name names a
// secret.
func secretName(name string) bool {
	n := strings.ToLower(strings.TrimLeft(name, "-$"))
	for _, w := range []string{"token", "secret", "password", "passwd", "apikey", "api_key", "api-key",
		"credential", "private_key", "private-key", "access_key", "access-key"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return n == "auth" || n == "authorization"
}

// redactURL masks the password in scheme://user:password@host.
func redactURL(word string, at int) string {
	rest := word[at+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	userinfo := rest[:end]
	atSign := strings.LastIndexByte(userinfo, '@')
	if atSign < 0 {
		return word
	}
	colon := strings.IndexByte(userinfo[:atSign], ':')
	if colon < 0 || colon == atSign-1 || strings.HasPrefix(userinfo[colon+1:], "$") {
		return word
	}
	return word[:at+3] + userinfo[:colon+1] + redacted + rest[atSign:]
}

// looksLikeToken says whether word is in a well-known credential format.
func looksLikeToken(word string) bool {
	if len(word) < 16 {
		return false
	}
	for _, p := range [...]string{
		"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
		"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "sk_live_", "rk_live_", "sk-ant-",
		"npm_", "pypi-", "hf_", "dop_v1_", "shpat_", "AIza",
	} {
		if strings.HasPrefix(word, p) {
			return true
		}
	}
	// OpenAI-style "sk-..." keys; AWS access key ids.
	if strings.HasPrefix(word, "sk-") && len(word) >= 32 {
		return true
	}
	if (strings.HasPrefix(word, "AKIA") || strings.HasPrefix(word, "ASIA")) && len(word) == 20 && allUpperAlnum(word) {
		return true
	}
	// JSON Web Tokens: three base64url parts, the first of a JSON object.
	if strings.HasPrefix(word, "eyJ") && strings.Count(word, ".") == 2 && len(word) >= 32 {
		return true
	}
	return false
}

func allUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
