package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// CredsPack returns the rules about credential files: the secrets a
// project or a home directory keeps in files (.env with values, SSH and
// GPG private keys, ~/.aws/credentials, a kubeconfig, tokens in .npmrc,
// .pypirc, .netrc, .git-credentials). Destroying one loses access that may
// not come back (`> .env`, `cp .env.example .env` over a real one, `shred
// -u .env`, `ssh-keygen -f ~/.ssh/id_ed25519` over the key); sending one
// off the machine exposes it (`gh gist create .env`, `git add -f .env`,
// `curl -F file=@.env`, `scp ~/.ssh/id_ed25519 host:`, `aws s3 cp .env
// s3://…`). Reading one to use it here stays allowed, and so do the example
// files (.env.example) and new files (`cp .env.example .env` where there
// is no .env, `ssh-keygen -f ~/.ssh/new_key`).
func CredsPack() *Pack {
	return &Pack{
		Name:  "creds",
		Check: checkCreds,
		Rules: []Rule{
			{ID: "creds.destroy", Default: Confirm, Summary: "overwrites, truncates, shreds or deletes a credential file (.env with values, SSH/GPG private keys, ~/.aws/credentials, kubeconfig, .npmrc/.pypirc/.netrc tokens)"},
			{ID: "creds.expose", Default: Confirm, Summary: "sends a credential file off the machine or into history: a gist, a commit (git add of it), an HTTP upload, scp/rsync to another host, an S3 upload; or makes a repository or bucket public"},
			{ID: "creds.in-request", Default: Confirm, Summary: "sends to another host a credential the same command line reads out of a credential file ($(grep TOKEN .env) in an Authorization header): the incident's first step, a token found in the project and used on a production API"},
		},
	}
}

// checkCreds judges one invocation.
func checkCreds(c *Call) {
	inv := c.Inv
	if inv.Remote != "" {
		return
	}
	credsSubstRead(c)
	for _, r := range inv.Redirects {
		if e, ok := fsRedirectEffect(r); ok && e.op == fsOpWrite {
			credsDestroy(c, e.word, "overwrites")
		}
	}
	effects, _ := c.fileEffects()
	for _, e := range effects {
		switch e.op {
		case fsOpWrite, fsOpShred, fsOpDelete:
			if !e.recursive || e.op != fsOpDelete { // rm -rf of a tree is the fs pack's
				credsDestroy(c, e.word, e.verb)
			}
		}
	}
	switch inv.Name {
	case "ssh-keygen":
		// -f FILE without -y/-l/-p/-c/-e/-i/-R/-F writes a new key there,
		// over an existing one once "y" is answered.
		if f, ok := credsOption(inv.Args, "-f"); ok && !credsHasAny(inv.Args, "-y", "-l", "-p", "-c", "-e", "-i", "-R", "-F", "-H", "-D", "-Y", "-Q", "-k", "-A") {
			credsDestroy(c, f, "generates a new key over")
		}
	case "gh":
		credsGh(c)
	case "git":
		credsGitAdd(c)
	case "curl", "wget", "http", "https", "xh", "xhs", "httpie":
		credsUpload(c)
	case "scp", "rsync", "sftp":
		credsCopyOff(c)
	case "aws":
		credsAWS(c)
	case "gpg", "gpg2":
		credsGPG(c)
	}
}

// credsGPG reports gpg deleting secret keys from the keyring: a private
// key without a backup is gone for good, and with it what it decrypts and
// signs. Deleting public keys only, listing and exporting report nothing.
func credsGPG(c *Call) {
	for _, a := range c.Inv.Args {
		switch a.Value {
		case "--delete-secret-keys", "--delete-secret-key", "--delete-secret-and-public-keys", "--delete-secret-and-public-key":
			keys := credsGPGKeys(c.Inv.Args)
			c.Report("creds.destroy", "deletes the GPG secret key "+keys+" from the keyring (gpg "+a.Value+"): without a backup it cannot be recovered")
			return
		}
		if a.Value == "--" {
			return
		}
	}
}

// credsGPGKeys names the key operands of a gpg command, for the reason.
func credsGPGKeys(args []interceptor.Word) string {
	var keys []string
	for _, a := range args {
		if a.Value != "" && !strings.HasPrefix(a.Value, "-") {
			keys = append(keys, a.String())
		}
	}
	if len(keys) == 0 {
		return "named on its input"
	}
	return strings.Join(keys, ", ")
}

// credsKind says what kind of credential the file at p is, or "" when it
// is none: judged by its name first, then by what it holds in fsys.
func credsKind(fsys interceptor.FS, p string) string {
	base := path.Base(p)
	kind := ""
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") && !credsExample(base):
		kind = "env"
	case base == "id_rsa" || base == "id_dsa" || base == "id_ecdsa" || base == "id_ed25519" ||
		base == "id_ecdsa_sk" || base == "id_ed25519_sk":
		kind = "an SSH private key"
	case base == "credentials" && path.Base(path.Dir(p)) == ".aws":
		kind = "AWS credentials"
	case base == "config" && path.Base(path.Dir(p)) == ".kube", base == "kubeconfig":
		kind = "a kubeconfig"
	case base == ".npmrc" || base == ".pypirc" || base == ".netrc" || base == ".git-credentials":
		kind = "token"
	case base == "hosts.yml" && strings.HasSuffix(path.Dir(p), "/gh"):
		kind = "GitHub CLI credentials"
	case strings.HasSuffix(path.Dir(p), "/.gnupg/private-keys-v1.d"):
		kind = "a GPG private key"
	default:
		return ""
	}
	fi, err := fsys.Stat(p)
	if err != nil || fi.IsDir() || fi.Size() > 1<<20 {
		return "" // a new or empty file holds no secret yet
	}
	switch kind {
	case "env":
		b, err := fsys.ReadFile(p)
		if err != nil || !credsEnvHasValue(string(b)) {
			return ""
		}
		return "an env file with values"
	case "token":
		b, err := fsys.ReadFile(p)
		if err != nil {
			return ""
		}
		s := strings.ToLower(string(b))
		if !strings.Contains(s, "token") && !strings.Contains(s, "password") && !strings.Contains(s, "_auth") &&
			!strings.Contains(s, "://") {
			return ""
		}
		return "a file with tokens"
	}
	return kind
}

// credsExample reports the env files that are templates, not secrets.
func credsExample(base string) bool {
	for _, s := range []string{".example", ".sample", ".template", ".dist", ".defaults", ".tpl", ".schema"} {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}

// credsEnvHasValue reports whether an env file sets at least one variable
// to a non-empty value.
func credsEnvHasValue(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "export "))
		if line == "" || line[0] == '#' {
			continue
		}
		_, v, ok := strings.Cut(line, "=")
		if v = strings.Trim(strings.TrimSpace(v), `"'`); ok && v != "" {
			return true
		}
	}
	return false
}

// credsPath resolves a word naming a file, "" when it cannot be known.
func credsPath(c *Call, w interceptor.Word) string {
	if w.Unknown || w.Glob || strings.Contains(w.Value, interceptor.UnknownMark) {
		return ""
	}
	return interceptor.ResolvePath(c.Inv.Cwd, w.Value)
}

// credsDestroy reports an effect that destroys a credential file.
func credsDestroy(c *Call, w interceptor.Word, verb string) {
	p := credsPath(c, w)
	if p == "" {
		return
	}
	// What the file holds before the command line writes it.
	if kind := credsKind(interceptor.BeforeWrites(c.World.pathFS()), p); kind != "" {
		c.Report("creds.destroy", verb+" "+c.World.pathShow(p)+", "+kind+": the secrets in it are lost")
	}
}

// credsExpose reports a credential file sent where others can read it:
// "VERB FILE, KIND, WHERE".
func credsExpose(c *Call, w interceptor.Word, verb, where string) {
	p := credsPath(c, w)
	if p == "" {
		return
	}
	kind := credsKind(c.World.pathFS(), p) // as the command line leaves it
	if kind == "" {
		return
	}
	c.Report("creds.expose", verb+" "+c.World.pathShow(p)+", "+kind+", "+where+": its secrets leave this machine")
}

// credsGh judges gh gist create FILE… and making a repository public.
func credsGh(c *Call) {
	args := c.Inv.Args
	if len(args) >= 2 && args[0].Value == "gist" && (args[1].Value == "create" || args[1].Value == "new") {
		for _, a := range credsOperands(args[2:], "-d --desc -f --filename") {
			credsExpose(c, a, "uploads", "to a gist")
		}
	}
	if len(args) >= 2 && args[0].Value == "repo" && (args[1].Value == "edit" || args[1].Value == "create") {
		for i, a := range args {
			v := a.Value
			if v == "--visibility=public" || v == "--visibility" && i+1 < len(args) && args[i+1].Value == "public" ||
				args[1].Value == "edit" && v == "--public" {
				c.Report("creds.expose", "makes the repository public: everything in it and its history, secrets included, becomes readable by anyone")
				return
			}
		}
	}
}

// credsGitAdd judges git add of a credential file: it goes into the next
// commit, and with a push, to every clone.
func credsGitAdd(c *Call) {
	args := c.Inv.Args
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].Value, "-") {
		if args[i].Value == "-C" || args[i].Value == "-c" {
			i++
		}
		i++
	}
	if i >= len(args) || args[i].Value != "add" {
		return
	}
	for _, a := range credsOperands(args[i+1:], "--chmod --pathspec-from-file") {
		credsExpose(c, a, "adds", "to the next git commit and so to every clone it is pushed to")
	}
}

// credsUpload judges an HTTP client sending a file's content to a host
// that is not this machine: curl -F x=@f, -d @f, --data-binary @f, -T f,
// wget --post-file=f, httpie field@f and @f.
func credsUpload(c *Call) {
	args := c.Inv.Args
	var files []interceptor.Word
	host := ""
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i].Value
			}
			return ""
		}
		switch {
		case v == "-F" || v == "--form" || v == "-d" || v == "--data" || v == "--data-binary" || v == "--data-raw" ||
			v == "--data-urlencode" || v == "--json":
			if _, f, ok := strings.Cut(next(), "@"); ok && f != "" && f != "-" {
				f, _, _ = strings.Cut(f, ";")
				files = append(files, interceptor.Word{Value: f})
			}
		case v == "-T" || v == "--upload-file":
			files = append(files, interceptor.Word{Value: next()})
		case strings.HasPrefix(v, "--post-file=") || strings.HasPrefix(v, "--body-file="):
			_, f, _ := strings.Cut(v, "=")
			files = append(files, interceptor.Word{Value: f})
		case strings.HasPrefix(v, "-"):
		case strings.Contains(v, "://") || strings.Contains(v, ".") && !strings.Contains(v, "@") && !strings.Contains(v, "="):
			if t := parseTarget(args[i]); t.web && !t.local && !c.World.IsLocalHost(t.host) && host == "" {
				host = t.host
			}
		case strings.Contains(v, "@") && (c.Inv.Name != "curl" && c.Inv.Name != "wget"):
			// httpie: field@file, field=@file, @file as the body.
			if j := strings.IndexByte(v, '@'); j >= 0 && j+1 < len(v) {
				files = append(files, interceptor.Word{Value: v[j+1:]})
			}
		}
	}
	if host == "" {
		return
	}
	for _, f := range files {
		credsExpose(c, f, "uploads", "to "+host)
	}
}

// credsCopyOff judges scp, sftp and rsync copying a credential file to
// another host ("host:path").
func credsCopyOff(c *Call) {
	ops := credsOperands(c.Inv.Args, "-P -i -o -F -l -c -J -S -e --rsh --port --exclude --include --filter")
	if len(ops) < 2 {
		return
	}
	dest := ops[len(ops)-1].Value
	host, _, remote := strings.Cut(dest, ":")
	if !remote || strings.Contains(host, "/") {
		return
	}
	for _, src := range ops[:len(ops)-1] {
		credsExpose(c, src, "copies", "to "+host)
	}
}

// credsAWS judges aws s3 cp/mv/sync of a credential file to S3, and an
// ACL that makes a bucket public.
func credsAWS(c *Call) {
	args := c.Inv.Args
	if len(args) >= 2 && args[0].Value == "s3" && (args[1].Value == "cp" || args[1].Value == "mv") {
		ops := credsOperands(args[2:], "--acl --sse --storage-class --profile --region --endpoint-url --grants --content-type --metadata")
		if len(ops) == 2 && strings.HasPrefix(ops[1].Value, "s3://") {
			credsExpose(c, ops[0], "uploads", "to "+ops[1].Value)
		}
	}
	if len(args) >= 2 && args[0].Value == "s3api" && (args[1].Value == "put-bucket-acl" || args[1].Value == "put-object-acl") {
		for i, a := range args {
			if a.Value == "--acl" && i+1 < len(args) && strings.HasPrefix(args[i+1].Value, "public-") ||
				strings.HasPrefix(a.Value, "--acl=public-") {
				c.Report("creds.expose", "makes S3 data readable by anyone ("+args[1].Value+" "+a.Value+")")
				return
			}
		}
	}
}

// credsOperands returns the operands of args, skipping options and the
// values of the options in valued.
func credsOperands(args []interceptor.Word, valued string) []interceptor.Word {
	var out []interceptor.Word
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return append(out, args[i+1:]...)
		case strings.HasPrefix(v, "-") && v != "-":
			if !strings.Contains(v, "=") && takesValue(v, valued) {
				i++
			}
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// credsOption returns the value of a short option given as the next word
// or attached.
func credsOption(args []interceptor.Word, opt string) (interceptor.Word, bool) {
	for i, a := range args {
		switch {
		case a.Value == opt && i+1 < len(args):
			return args[i+1], true
		case strings.HasPrefix(a.Value, opt) && len(a.Value) > len(opt) && !strings.HasPrefix(a.Value, "--"):
			return interceptor.Word{Value: a.Value[len(opt):], Unknown: a.Unknown}, true
		}
	}
	return interceptor.Word{}, false
}

func credsHasAny(args []interceptor.Word, flags ...string) bool {
	for _, a := range args {
		for _, f := range flags {
			if a.Value == f {
				return true
			}
		}
	}
	return false
}

// credsSubstRead notes, for the http pack, a credential file that a
// command substitution reads: grep, cat, cut, sed, awk, jq and their kin
// run inside $(…) with the file as an operand or as standard input. What
// the substitution makes of it is unknown, but that it came from the file
// is not.
func credsSubstRead(c *Call) {
	inv := c.Inv
	if !slices.Contains(inv.Chain, "$(…)") || !credsReader(path.Base(inv.Name)) {
		return
	}
	var files []interceptor.Word
	for _, a := range inv.Args {
		if a.Value != "" && !a.Unknown && !strings.HasPrefix(a.Value, "-") {
			files = append(files, a)
		}
	}
	for _, r := range inv.Redirects {
		if r.Op == "<" {
			files = append(files, r.Target)
		}
	}
	fsys := c.World.pathFS()
	for _, f := range files {
		p := interceptor.ResolvePath(inv.Cwd, f.Value)
		if p == "" || credsKind(fsys, p) == "" {
			continue
		}
		c.World.credReads = append(c.World.credReads, f.Value+" (`"+inv.Line()+"`)")
	}
}

// credsReader reports the programs that print what they read from a file.
func credsReader(name string) bool {
	switch name {
	case "cat", "grep", "egrep", "fgrep", "rg", "sed", "awk", "gawk", "mawk", "cut", "head", "tail",
		"jq", "yq", "tr", "sort", "uniq", "dotenv", "dotenvx", "envsubst", "xargs", "base64":
		return true
	}
	return false
}
