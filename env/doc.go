// Package env decides which environment variables a command may see, and
// hides secrets in text that guard shows or records.
//
// It is a leaf package (standard library only), used by rules and sandbox.
// Nothing here has mutable package state; every function is safe for
// concurrent use.
//
// # What Filter removes
//
// Filter walks a KEY=VALUE list (as os.Environ returns it) and decides for
// each entry, first rule that applies wins:
//
//  1. Shell integrity, always removed, Policy.Keep cannot bring them back:
//     BASH_ENV and ENV (the shell would source a file guard did not see),
//     exported functions (BASH_FUNC_name%%, or any value starting with
//     "() {"), SHELLOPTS and BASHOPTS (options guard did not see), CDPATH
//     (cd would go where guard did not look), IFS (word splitting guard did
//     not assume), PS4 holding a command substitution (runs under xtrace).
//  2. Policy.Strip: names or patterns the user wants removed.
//  3. Policy.Keep: names or patterns never removed by the built-in rules.
//  4. Built-in safe names, never removed: PATH, HOME, USER, LOGNAME, SHELL,
//     TERM, COLORTERM, TERM_PROGRAM, LANG, LANGUAGE, LC_*, PWD, OLDPWD, TMPDIR,
//     TMP, TEMP, TZ, SHLVL, HOSTNAME, MAIL, DISPLAY, WAYLAND_DISPLAY,
//     XAUTHORITY, XDG_*, EDITOR, VISUAL, PAGER, MANPATH, SSH_AUTH_SOCK,
//     SSH_AGENT_PID, GPG_AGENT_INFO, GPG_TTY, KRB5CCNAME,
//     DBUS_SESSION_BUS_ADDRESS, GIT_ASKPASS, SSH_ASKPASS, SUDO_ASKPASS.
//  5. Secret (the built-in rules): by name, then by value.
//
// # Secret names
//
// A name is split into parts at every character that is not a letter or a
// digit (GITHUB_TOKEN -> GITHUB, TOKEN; npm's "//host/:_authToken" -> ...,
// AUTHTOKEN) and compared without regard to case. It is a secret when a
// part:
//
//   - is or ends with TOKEN (GH_TOKEN, AUTHTOKEN) — but not TOKENS, which
//     counts tokens (MAX_TOKENS), and not a part that only starts with it
//     (TOKENIZERS_PARALLELISM);
//   - contains SECRET, PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL, or is PASS
//     or CREDS (DB_PASS; but not GIT_ASKPASS);
//   - is AUTH, AUTHKEY or AUTHORIZATION, or ends with AUTH (OAUTH, NPM's
//     _AUTH) — but not AUTHOR (GIT_AUTHOR_NAME) or XAUTHORITY;
//   - ends with APIKEY, ACCESSKEY or PRIVATEKEY, or is KEY/KEYS right after
//     API, ACCESS, PRIVATE, SIGNING, ENCRYPTION, MASTER or DEPLOY (API_KEY,
//     AWS_ACCESS_KEY_ID, JWT_SIGNING_KEY);
//   - is PWD and the value is not an absolute path (MYSQL_PWD, not OLDPWD).
//
// Digits that end a part are ignored (TOKEN2, PASSWORD_1). A match does not
// count when the part right after it describes the secret rather than holds
// it: USER, USERNAME, LOGIN, NAME, TYPE, MODE, METHOD(S), ENABLE(D),
// DISABLE(D), REQUIRED, PROVIDER, DOMAIN, HOST, HOSTNAME, PORT, SERVER,
// ENDPOINT, SCHEME, STRATEGY, REALM, MIN, MAX, LENGTH, TTL, EXPIRY, EXPIRES,
// TIMEOUT, LIFETIME, VERSION (AUTH_TYPE, BASIC_AUTH_USER, SECRET_NAME,
// PASSWORD_MIN_LENGTH; but BASIC_AUTH_PASSWORD is a secret).
//
// A name whose last part is FILE, PATH, DIR, SOCK, SOCKET, URL or URI names
// where something is, not the secret itself (SSH_AUTH_SOCK, TOKEN_PATH,
// AWS_SHARED_CREDENTIALS_FILE, NEXTAUTH_URL): the name rules do not apply,
// the value rules still do.
//
// # Secret values
//
// Any value (of a name not on the safe list) is a secret when it holds:
//
//   - a PEM private key (a BEGIN line whose label has PRIVATE KEY);
//   - a token of a known format, starting at a word boundary: AWS key ids
//     (AKIA/ASIA + 16 upper-case letters or digits), GitHub (ghp_, gho_,
//     ghu_, ghs_, ghr_ + 30 or more; github_pat_), GitLab (glpat-, gldt-,
//     glrt-, glptt-), Stripe (sk_live_, sk_test_, rk_live_, rk_test_,
//     whsec_), Slack (xoxa-, xoxb-, xoxe-, xoxp-, xoxr-, xoxs-, xapp-),
//     Google (AIza + 35), npm (npm_ + 36), Hugging Face (hf_ + 30), OpenAI
//     (sk- + 20 or more characters mixing upper case, lower case and digits,
//     so that sk-learn is not one), Anthropic (sk-ant-), age secret keys,
//     JWTs (three base64url segments, the first decoding to JSON with
//     "alg"), Slack and Discord webhook URLs;
//   - a URL with a password (scheme://user:PASS@host, any scheme, anywhere
//     in the value), or user:pass@... when the name ends in DSN;
//   - an Authorization, Proxy-Authorization, Cookie or secret-named header
//     (X-Api-Key: ..., PRIVATE-TOKEN: ...);
//   - a secret-named key=value, --option=value, query parameter or
//     "key": "value" pair (password=x in a libpq DSN, ?access_token=x);
//   - a secret-taking option followed by its value (--token X, curl -u
//     user:pass, mysql -pX, sshpass -p X, docker login -p X, redis-cli -a
//     X, openssl -passin pass:X, ...).
//
// These are the same finders Redact uses. References ($TOKEN) are not
// secrets.
//
// # Grants
//
// A Grant names one removed variable (name or pattern) and the programs
// that may see it: command names (NamesCommand), which the caller must
// resolve to a file the agent cannot have written, and exact paths
// (NamesPath), which the user vouches for. Granted returns the entries a
// grant gives back; the caller adds them only when every program of the
// command line is one the grant names and the command is allowed or a
// human approved it. Integrity removals are never granted.
//
// # Patterns
//
// Strip, Keep and Grant names are matched without regard to case; "*"
// matches any run of characters, "?" any one character; nothing else is
// special.
package env
