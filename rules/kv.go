package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/sqlscan"
)

// KVPack returns the rules about key-value, document and time-series
// stores: redis-cli FLUSHALL/FLUSHDB/SHUTDOWN, mongosh code that drops a
// database or collection or deletes every document, mongorestore --drop,
// etcdctl range deletes, influx deletes. Commands are read from the command
// line, from --eval code and script files, and from what the client reads
// on stdin; what cannot be seen before it runs is reported as such.
// Reading and writing single keys or documents reports nothing.
func KVPack() *Pack {
	return &Pack{
		Name:     "kv",
		Commands: []string{"redis-cli", "valkey-cli", "keydb-cli", "mongosh", "mongo", "mongorestore", "etcdctl", "influx"},
		Check:    checkKV,
		Rules: []Rule{
			{ID: "kv.flush", Default: Confirm, Summary: "redis FLUSHALL / FLUSHDB: deletes every key of one or all databases"},
			{ID: "kv.shutdown", Default: Confirm, Summary: "redis SHUTDOWN, mongo shutdownServer: stops the server (NOSAVE loses unsaved writes)"},
			{ID: "kv.drop", Default: Confirm, Summary: "mongo dropDatabase, collection.drop(), drop command, mongorestore --drop; influx bucket/org delete"},
			{ID: "kv.delete-all", Default: Confirm, Summary: "mongo deleteMany({}) / remove({}) with an empty filter: deletes every document"},
			{ID: "kv.update-all", Default: Confirm, Summary: "mongo updateMany({}, ...) with an empty filter: overwrites every document"},
			{ID: "kv.delete-keys", Default: Confirm, Summary: "redis DEL/UNLINK of keys computed at run time (--scan | xargs redis-cli DEL): deletes every key they turn out to be"},
			{ID: "kv.etcd-delete", Default: Confirm, Summary: "etcdctl del --prefix / --from-key / KEY RANGE_END, v2 rm --recursive: deletes a range of keys"},
			{ID: "kv.influx-delete", Default: Confirm, Summary: "influx delete (points of a bucket over a time range), InfluxQL DROP / DELETE without WHERE"},
			{ID: "kv.unknown", Default: Confirm, Summary: "store commands or scripts that cannot be known before they run: computed arguments, unknown stdin, missing script files"},
		},
	}
}

func checkKV(c *Call) {
	switch c.Inv.Name {
	case "redis-cli", "valkey-cli", "keydb-cli":
		kvCheckRedis(c)
	case "mongosh", "mongo":
		kvCheckMongo(c)
	case "mongorestore":
		kvCheckMongorestore(c)
	case "etcdctl":
		kvCheckEtcd(c)
	case "influx":
		kvCheckInflux(c)
	}
}

// kvWhere names a client and where it runs, for messages: "redis-cli on
// redis.prod in docker exec cache".
func kvWhere(inv *interceptor.Invocation, target string) string {
	s := inv.Name
	if target != "" {
		s += " on " + target
	}
	if inv.Remote != "" {
		s += " in " + inv.Remote
	}
	return s
}

// kvReadFile reads a script file a client runs. It returns why it cannot
// when it cannot.
func kvReadFile(c *Call, w interceptor.Word) (data, why string) {
	inv := c.Inv
	if w.Unknown {
		return "", "its name is not known before it runs"
	}
	if inv.Remote != "" {
		return "", "it is on " + inv.Remote
	}
	p := interceptor.ResolvePath(inv.Cwd, w.Value)
	if p == "" {
		return "", "its directory is not known"
	}
	fsys := c.World.pathFS()
	fi, err := fsys.Stat(p)
	switch {
	case err != nil:
		return "", "it does not exist (yet)"
	case fi.IsDir():
		return "", "it is a directory"
	case fi.Size() > sqlMaxFile:
		return "", "it is too large to check"
	}
	b, err := fsys.ReadFile(p)
	if err != nil {
		return "", "it cannot be read"
	}
	return string(b), ""
}

// kvRedisValueOpts are redis-cli's options that take a value.
func kvRedisValueOpts() []string {
	return []string{"-h", "-p", "-s", "-a", "-u", "-n", "-r", "-i", "-d", "-D", "-t", "-X", "--user", "--pass", "--sni",
		"--cacert", "--cacertdir", "--cert", "--key", "--tls-ciphers", "--tls-ciphersuites", "--rdb", "--functions-rdb",
		"--pipe-timeout", "--memkeys-samples", "--keystats-samples", "--pattern", "--count", "--quoted-pattern",
		"--intrinsic-latency", "--lru-test", "--cursor", "--top"}
}

// kvRedisModes are redis-cli's options that run a tool instead of
// commands: with them, nothing is read from stdin.
func kvRedisModes() []string {
	return []string{"--stat", "--latency", "--latency-history", "--latency-dist", "--replica", "--slave", "--rdb",
		"--functions-rdb", "--bigkeys", "--memkeys", "--hotkeys", "--keystats", "--scan", "--intrinsic-latency",
		"--lru-test", "--help", "--version", "-v"}
}

// kvCheckRedis judges redis-cli: the command on its command line, a
// --eval script, or the commands it reads on stdin.
func kvCheckRedis(c *Call) {
	inv := c.Inv
	args := inv.Args
	host, db := "", ""
	pipe, mode := false, false
	var evalFile *interceptor.Word
	i := 0
	for ; i < len(args); i++ {
		v := args[i].Value
		if len(v) < 2 || v[0] != '-' || args[i].Unknown {
			break
		}
		switch {
		case v == "--pipe":
			pipe = true
		case v == "--eval":
			if i+1 < len(args) {
				i++
				w := args[i]
				evalFile = &w
			}
		case v == "--cluster":
			// --cluster call HOST:PORT CMD ARGS... runs CMD on every node.
			if i+3 < len(args) && args[i+1].Value == "call" {
				kvRedisCommand(c, args[i+3:], "every node of the cluster at "+args[i+2].String())
			}
			return
		case sqlListed(kvRedisModes(), v):
			mode = true
			if sqlListed(kvRedisValueOpts(), v) {
				i++
			}
		case sqlListed(kvRedisValueOpts(), v):
			if i+1 < len(args) {
				i++
				switch v {
				case "-h":
					host = args[i].String()
				case "-u":
					host = sqlRedact(args[i].String())
				case "-n":
					db = args[i].String()
				}
			}
		}
	}
	target := host
	if db != "" {
		if target == "" {
			target = "db " + db
		} else {
			target += " db " + db
		}
	}
	if evalFile != nil {
		script, why := kvReadFile(c, *evalFile)
		if why != "" {
			c.Report("kv.unknown", "runs the Lua script "+evalFile.String()+", which cannot be checked: "+why+" ("+kvWhere(inv, target)+")")
		} else {
			kvRedisScript(c, script, "the Lua script "+evalFile.String(), target)
		}
		return
	}
	if i < len(args) && !pipe {
		kvRedisCommand(c, args[i:], target)
		return
	}
	if mode || inv.Stdin == nil {
		return // a tool mode, or an interactive session
	}
	if !inv.Stdin.Known {
		c.Report("kv.unknown", "cannot see the commands "+inv.Name+" reads from "+inv.Stdin.From+" ("+kvWhere(inv, target)+")")
		return
	}
	for _, line := range strings.Split(inv.Stdin.Data, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || line[0] == '*' || line[0] == '$' {
			continue // RESP framing
		}
		var words []interceptor.Word
		for _, f := range sqlscan.MetaArgs(line) {
			words = append(words, sqlWordOf(f))
		}
		kvRedisCommand(c, words, target)
	}
}

// kvRedisCommand judges one redis command and its arguments.
func kvRedisCommand(c *Call, cmd []interceptor.Word, target string) {
	if len(cmd) == 0 {
		return
	}
	inv := c.Inv
	if cmd[0].Unknown {
		c.Report("kv.unknown", "runs a redis command that cannot be known before it runs ("+cmd[0].String()+") ("+kvWhere(inv, target)+")")
		return
	}
	line := make([]string, len(cmd))
	for i, w := range cmd {
		line[i] = w.String()
	}
	shown := strings.Join(line, " ")
	switch strings.ToLower(cmd[0].Value) {
	case "flushall":
		c.Report("kv.flush", "runs "+shown+" ("+kvWhere(inv, target)+"): deletes every key of every database")
	case "flushdb":
		c.Report("kv.flush", "runs "+shown+" ("+kvWhere(inv, target)+"): deletes every key of the database")
	case "shutdown":
		why := "stops the server"
		for _, w := range cmd[1:] {
			if strings.EqualFold(w.Value, "nosave") {
				why += " and loses every write since the last save"
			}
		}
		c.Report("kv.shutdown", "runs "+shown+" ("+kvWhere(inv, target)+"): "+why)
	case "del", "unlink":
		// Keys fed at run time (redis-cli --scan | xargs redis-cli DEL)
		// are every key a scan or a pattern finds.
		for _, w := range cmd[1:] {
			if w.Unknown {
				c.Report("kv.delete-keys", "runs "+shown+" ("+kvWhere(inv, target)+"): deletes keys that are only known when it runs, such as every key a SCAN finds")
				return
			}
		}
	case "eval", "eval_ro":
		if len(cmd) > 1 {
			if cmd[1].Unknown {
				c.Report("kv.unknown", "runs a Lua script that cannot be known before it runs ("+kvWhere(inv, target)+")")
				return
			}
			kvRedisScript(c, cmd[1].Value, "EVAL", target)
		}
	}
}

// kvRedisScript judges a Lua script run by redis: one that flushes is a
// flush.
func kvRedisScript(c *Call, script, what, target string) {
	lower := strings.ToLower(script)
	for _, cmd := range []string{"flushall", "flushdb"} {
		if strings.Contains(lower, cmd) {
			c.Report("kv.flush", what+" runs "+strings.ToUpper(cmd)+" ("+kvWhere(c.Inv, target)+"): deletes every key")
			return
		}
	}
}

// kvCheckMongo judges mongosh and the legacy mongo shell: --eval code,
// script files, or code read on stdin.
func kvCheckMongo(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{
		short: "upf",
		long: []string{"--host", "--port", "--username", "--password", "--authenticationDatabase",
			"--authenticationMechanism", "--eval", "--file", "--apiVersion", "--gssapiServiceName",
			"--sspiHostnameCanonicalization", "--sspiRealmOverride", "--tlsCAFile", "--tlsCertificateKeyFile",
			"--tlsCertificateKeyFilePassword", "--tlsCRLFile", "--tlsCertificateSelector", "--tlsDisabledProtocols",
			"--awsAccessKeyId", "--awsSecretAccessKey", "--awsSessionToken", "--awsIamSessionToken",
			"--keyVaultNamespace", "--kmsURL", "--csfleLibraryPath", "--cryptSharedLibPath", "--oidcFlows",
			"--oidcRedirectUri", "--browser", "--sslPEMKeyFile", "--sslPEMKeyPassword", "--sslCAFile", "--sslCRLFile",
			"--db"},
		optionalValues: true,
	})
	if p.has("--help", "--version", "--build-info", "-h") {
		return
	}
	target, conn := "", ""
	var files []interceptor.Word
	for _, a := range p.pos {
		v := a.w.Value
		if !a.w.Unknown && (strings.HasSuffix(v, ".js") || strings.HasSuffix(v, ".mongodb")) {
			files = append(files, a.w)
			continue
		}
		if target == "" {
			target, conn = sqlSpelling(inv, a), v
		}
	}
	host, hostSet := p.get("--host")
	if target == "" && hostSet {
		target = sqlSpelling(inv, host)
	}
	m := &kvMongo{c: c, target: target, test: testDBMongoTarget(c, conn, host.w.Value, hostSet)}
	ran := false
	for _, o := range p.opts {
		if !o.has {
			continue
		}
		switch o.name {
		case "--eval":
			ran = true
			m.code(o.val.w.Value, "--eval", 0)
		case "-f", "--file":
			files = append(files, o.val.w)
		}
	}
	for _, f := range files {
		ran = true
		m.file(f, 0)
	}
	if ran && !p.has("--shell") {
		return
	}
	if inv.Stdin == nil {
		return
	}
	if !inv.Stdin.Known {
		c.Report("kv.unknown", "cannot see the code "+inv.Name+" reads from "+inv.Stdin.From+" ("+kvWhere(inv, target)+")")
		return
	}
	m.code(inv.Stdin.Data, inv.Stdin.From, 0)
}

// kvMongo is mongo shell code being judged.
type kvMongo struct {
	c      *Call
	target string
	// test: the shell is connected to a local test database (testdb.go),
	// which it may drop or empty unless its code may reach another one
	// (switched).
	test, switched bool
}

// drops reports a finding that drops or empties data, unless it is in the
// local test database connected to.
func (m *kvMongo) drops(id, reason string) {
	if m.test && !m.switched {
		return
	}
	m.c.Report(id, reason)
}

// kvMaxLoad bounds nested load() of scripts.
const kvMaxLoad = 8

// file judges a script file the shell runs.
func (m *kvMongo) file(w interceptor.Word, depth int) {
	data, why := kvReadFile(m.c, w)
	if why != "" {
		m.c.Report("kv.unknown", "runs the script "+w.String()+", which cannot be checked: "+why+" ("+kvWhere(m.c.Inv, m.target)+")")
		return
	}
	m.code(data, "script "+w.String(), depth)
}

// code judges mongo shell JavaScript.
func (m *kvMongo) code(src, from string, depth int) {
	inv := m.c.Inv
	where := kvWhere(inv, m.target)
	if from != "--eval" {
		where += ", " + from
	}
	toks := kvScanJS(src)
	if testDBMongoSwitches(toks) {
		m.switched = true
	}
	for i, t := range toks {
		if t.kind == kvJSUnknown {
			m.c.Report("kv.unknown", "runs mongo shell code that is not known before it runs ("+strings.ReplaceAll(strings.TrimSpace(src), interceptor.UnknownMark, "…")+") ("+where+")")
			return
		}
		if t.kind != kvJSIdent {
			continue
		}
		call := i+1 < len(toks) && toks[i+1].text == "("
		member := i > 0 && toks[i-1].text == "."
		shown := func() string { return kvCallText(src, toks, i) }
		switch t.text {
		case "dropDatabase":
			if call {
				m.drops("kv.drop", "runs "+shown()+" ("+where+"): drops the whole database")
			}
		case "dropCollection":
			if call {
				m.drops("kv.drop", "runs "+shown()+" ("+where+"): drops the collection and every document in it")
			}
		case "drop":
			// collection.drop() or drop({writeConcern}); an iterator's
			// drop(n) takes a number.
			if call && member && i+2 < len(toks) && (toks[i+2].text == ")" || toks[i+2].text == "{") {
				m.drops("kv.drop", "runs "+shown()+" ("+where+"): drops the collection and every document in it")
			}
		case "deleteMany", "remove":
			if call && member && kvEmptyFilter(toks[i+2:]) {
				m.drops("kv.delete-all", "runs "+shown()+" ("+where+"): an empty filter deletes every document")
			}
		case "updateMany", "replaceMany":
			// updateMany({}, {$set: ...}) rewrites every document.
			if call && member && i+3 < len(toks) && toks[i+2].text == "{" && toks[i+3].text == "}" {
				m.drops("kv.update-all", "runs "+shown()+" ("+where+"): an empty filter changes every document")
			}
		case "shutdownServer":
			if call {
				m.c.Report("kv.shutdown", "runs "+shown()+" ("+where+"): stops the server")
			}
		case "runCommand", "adminCommand":
			if call && i+3 < len(toks) && toks[i+2].text == "{" {
				switch toks[i+3].text {
				case "drop", "dropDatabase":
					m.drops("kv.drop", "runs "+shown()+" ("+where+"): drops data for good")
				case "shutdown":
					m.c.Report("kv.shutdown", "runs "+shown()+" ("+where+"): stops the server")
				}
			}
		case "load":
			if call && !member && i+2 < len(toks) && toks[i+2].kind == kvJSString {
				if depth >= kvMaxLoad {
					m.c.Report("kv.unknown", "loads scripts too deeply to check ("+where+")")
					continue
				}
				m.file(sqlWordOf(toks[i+2].text), depth+1)
			}
		}
	}
}

// kvEmptyFilter reports whether the arguments of a call, starting after its
// "(", begin with no filter or an empty one: "()", "({})", "({}, opts)".
func kvEmptyFilter(toks []kvJSTok) bool {
	if len(toks) == 0 {
		return false
	}
	if toks[0].text == ")" {
		return true
	}
	return len(toks) >= 3 && toks[0].text == "{" && toks[1].text == "}" && (toks[2].text == ")" || toks[2].text == ",")
}

// kvCallText returns the source of the call whose name is toks[i], from
// the start of the member chain before it to the closing parenthesis:
// "db.orders.drop()".
func kvCallText(src string, toks []kvJSTok, i int) string {
	start := i
	for k := i - 1; k >= 0; k-- {
		t := toks[k]
		if t.text == "." {
			continue
		}
		if t.text == ")" || t.text == "]" {
			open := "("
			if t.text == "]" {
				open = "["
			}
			depth := 0
			for ; k >= 0; k-- {
				if toks[k].text == t.text {
					depth++
				} else if toks[k].text == open {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if k < 0 {
				break
			}
			start = k
			continue
		}
		if t.kind == kvJSIdent && k+1 < len(toks) && (toks[k+1].text == "." || toks[k+1].text == "(" || toks[k+1].text == "[") {
			start = k
			continue
		}
		break
	}
	end := len(src)
	depth := 0
	for k := i + 1; k < len(toks); k++ {
		if toks[k].text == "(" {
			depth++
		} else if toks[k].text == ")" {
			depth--
			if depth == 0 {
				end = toks[k].end
				break
			}
		}
	}
	s := strings.Join(strings.Fields(src[toks[start].start:end]), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

// kvJSKind is the kind of a JavaScript token.
type kvJSKind int

const (
	kvJSIdent kvJSKind = iota
	kvJSString
	kvJSPunct
	kvJSNumber
	kvJSUnknown
)

// kvJSTok is one JavaScript token; for a string, text is its content.
type kvJSTok struct {
	kind       kvJSKind
	text       string
	start, end int
}

// kvScanJS splits mongo shell code into tokens, skipping comments, so that
// a method name inside a string or a comment is not a call. Template
// literals are taken as strings. An unknown part outside a string or
// comment yields an unknown token.
func kvScanJS(src string) []kvJSTok {
	var out []kvJSTok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], interceptor.UnknownMark):
			out = append(out, kvJSTok{kind: kvJSUnknown, start: i, end: i + len(interceptor.UnknownMark)})
			i += len(interceptor.UnknownMark)
		case strings.HasPrefix(src[i:], "//"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			if strings.Contains(src[i:i+end], interceptor.UnknownMark) {
				out = append(out, kvJSTok{kind: kvJSUnknown, start: i, end: i + end})
			}
			i += end
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			if strings.Contains(src[i:i+2+end], interceptor.UnknownMark) {
				out = append(out, kvJSTok{kind: kvJSUnknown, start: i, end: i + 2 + end})
			}
			i += end + 4
			if i > len(src) {
				i = len(src)
			}
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			var b strings.Builder
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
				j++
			}
			if j < len(src) {
				j++
			}
			out = append(out, kvJSTok{kind: kvJSString, text: b.String(), start: i, end: j})
			i = j
		case c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x80 && !strings.HasPrefix(src[i:], interceptor.UnknownMark)):
			j := i
			for j < len(src) && !strings.HasPrefix(src[j:], interceptor.UnknownMark) {
				d := src[j]
				if !(d == '_' || d == '$' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || d >= 0x80) {
					break
				}
				j++
			}
			out = append(out, kvJSTok{kind: kvJSIdent, text: src[i:j], start: i, end: j})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && ((src[j] >= '0' && src[j] <= '9') || src[j] == '.' || src[j] == 'x' || src[j] == 'e') {
				j++
			}
			out = append(out, kvJSTok{kind: kvJSNumber, text: src[i:j], start: i, end: j})
			i = j
		default:
			out = append(out, kvJSTok{kind: kvJSPunct, text: src[i : i+1], start: i, end: i + 1})
			i++
		}
	}
	return out
}

// kvCheckMongorestore judges mongorestore --drop, which drops each
// collection before restoring it.
func kvCheckMongorestore(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{
		short: "hudpc",
		long: []string{"--host", "--port", "--username", "--password", "--uri", "--db", "--collection", "--nsInclude",
			"--nsExclude", "--nsFrom", "--nsTo", "--archive", "--dir", "--authenticationDatabase",
			"--authenticationMechanism", "--numParallelCollections", "--numInsertionWorkersPerCollection",
			"--writeConcern", "--sslCAFile", "--sslPEMKeyFile", "--tlsCAFile", "--tlsCertificateKeyFile", "--config"},
	})
	if !p.has("--drop") {
		return
	}
	target := ""
	for _, names := range [][]string{{"--uri"}, {"--nsInclude"}, {"-d", "--db"}, {"-h", "--host"}} {
		if a, ok := p.get(names...); ok {
			target = sqlSpelling(inv, a)
			break
		}
	}
	if target == "" && len(p.pos) > 0 && strings.Contains(p.pos[0].w.Value, "://") {
		target = sqlSpelling(inv, p.pos[0])
	}
	c.Report("kv.drop", "restores with --drop ("+kvWhere(inv, target)+"): drops each collection in the dump, with every document in it, before restoring it")
}

// kvCheckEtcd judges etcdctl del (v3) and rm (v2): deleting one key is
// everyday work, deleting a range (--prefix, --from-key, KEY RANGE_END,
// rm --recursive) is not.
func kvCheckEtcd(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{
		short: "w",
		long: []string{"--endpoints", "--cacert", "--cert", "--key", "--user", "--password", "--dial-timeout",
			"--command-timeout", "--keepalive-time", "--keepalive-timeout", "--write-out", "--discovery-srv",
			"--discovery-srv-name", "--auth-jwt-token", "--max-request-bytes", "--max-recv-bytes", "--order",
			"--sort-by", "--limit", "--rev", "--consistency", "--lease", "--peers", "--ca-file", "--cert-file",
			"--key-file", "--username"},
	})
	if len(p.pos) == 0 {
		return
	}
	target := ""
	if a, ok := p.get("--endpoints"); ok {
		target = sqlSpelling(inv, a)
	}
	where := kvWhere(inv, target)
	sub := p.pos[0].w.Value
	keys := p.pos[1:]
	key := func(i int) string {
		if i >= len(keys) {
			return ""
		}
		return sqlSpelling(inv, keys[i])
	}
	switch sub {
	case "del", "delete":
		switch {
		case p.has("--prefix"):
			k := key(0)
			if k == "" {
				c.Report("kv.etcd-delete", "deletes every key in etcd ("+where+")")
				return
			}
			c.Report("kv.etcd-delete", "deletes every key under the prefix "+k+" ("+where+")")
		case p.has("--from-key") && key(0) == "":
			c.Report("kv.etcd-delete", "deletes every key in etcd ("+where+")")
		case p.has("--from-key"):
			c.Report("kv.etcd-delete", "deletes every key from "+key(0)+" onwards ("+where+")")
		case len(keys) >= 2:
			c.Report("kv.etcd-delete", "deletes every key from "+key(0)+" up to "+key(1)+" ("+where+")")
		}
	case "rm":
		if p.has("-r", "--recursive") {
			c.Report("kv.etcd-delete", "deletes the directory "+key(0)+" and every key in it ("+where+")")
		}
	}
}

// kvCheckInflux judges the influx CLIs: v2's "influx delete" and "influx
// bucket/org delete", and v1's -execute InfluxQL.
func kvCheckInflux(c *Call) {
	inv := c.Inv
	for i, a := range inv.Args {
		v := a.Value
		if v != "-execute" && v != "--execute" && !strings.HasPrefix(v, "-execute=") && !strings.HasPrefix(v, "--execute=") {
			continue
		}
		var q sqlArg
		if k := strings.IndexByte(v, '='); k >= 0 {
			q = sqlArg{sqlWordOf(v[k+1:]), -1}
		} else if i+1 < len(inv.Args) {
			q = sqlArg{inv.Args[i+1], i + 1}
		} else {
			return
		}
		kvInfluxQL(c, q)
		return
	}
	p := sqlParseArgs(inv.Args, sqlArgSpec{
		short: "boptni",
		long: []string{"--bucket", "--bucket-id", "--org", "--org-id", "--start", "--stop", "--predicate", "--host",
			"--token", "--configs-path", "--active-config", "--name", "--id", "--http-debug"},
	})
	if len(p.pos) == 0 {
		return
	}
	target := ""
	if a, ok := p.get("--host"); ok {
		target = sqlSpelling(inv, a)
	}
	where := kvWhere(inv, target)
	str := func(names ...string) string {
		if a, ok := p.get(names...); ok {
			return sqlSpelling(inv, a)
		}
		return ""
	}
	switch p.pos[0].w.Value {
	case "delete":
		what := "deletes the points of bucket " + str("-b", "--bucket", "--bucket-id")
		if s := str("--start"); s != "" {
			what += " from " + s
		}
		if s := str("--stop"); s != "" {
			what += " to " + s
		}
		if pr := str("-p", "--predicate"); pr != "" {
			what += " that match " + pr
		} else {
			what += ", every measurement"
		}
		c.Report("kv.influx-delete", strings.Replace(what, "bucket  ", "the bucket ", 1)+" ("+where+")")
	case "bucket", "org":
		if len(p.pos) > 1 && p.pos[1].w.Value == "delete" {
			name := str("-n", "--name", "-i", "--id")
			if name == "" && len(p.pos) > 2 {
				name = sqlSpelling(inv, p.pos[2])
			}
			c.Report("kv.drop", "deletes the "+p.pos[0].w.Value+" "+name+" and all its data ("+where+")")
		}
	}
}

// kvInfluxQL judges InfluxQL given to influx v1 -execute with the SQL
// classifier: DROP and DELETE without WHERE lose data.
func kvInfluxQL(c *Call, q sqlArg) {
	cl := &sqlClient{name: "influx", d: sqlscan.Generic()}
	r := &sqlRun{c: c, cl: cl, fsys: interceptor.OSFS{}, vars: map[string]string{}}
	r.script(q.w.Value)
	where := kvWhere(c.Inv, "")
	for _, h := range r.hits {
		if h.rule == "sql.unknown" {
			c.Report("kv.unknown", "runs InfluxQL that is not known before it runs ("+where+")")
			return
		}
		reason := "runs " + h.stmt + " (" + where + ")"
		if h.why != "" {
			reason += ": " + h.why
		}
		c.Report("kv.influx-delete", reason)
	}
}
