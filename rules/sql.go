package rules

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/sqlscan"
)

// SQLPack returns the rules about SQL database clients: statements that
// destroy data (DROP, TRUNCATE, DELETE or UPDATE without WHERE, ALTER TABLE
// ... DROP COLUMN) sent through psql, mysql, sqlite3 and their kin, from
// any place the client reads SQL: -c/-e/--query arguments, positional SQL,
// -f files, included files (\i, source, .read), heredocs, here-strings and
// pipes. Statements are found with a tokenizer (sqltoken.go) that knows each
// dialect's comments and quoting, so a keyword in a string or a comment is
// never a statement. SQL that cannot be seen before it runs is reported as
// such. A client with nothing to run is an interactive session and reports
// nothing, as does everyday SQL (SELECT, INSERT, CREATE, DELETE/UPDATE with
// WHERE, psql's \d, sqlite's .tables).
func SQLPack() *Pack {
	return &Pack{
		Name: "sql",
		Commands: []string{
			"psql", "pgcli", "usql", "mysql", "mariadb", "mycli", "sqlite3", "duckdb", "sqlcmd",
			"clickhouse-client", "clickhouse-local", "clickhouse", "cockroach", "cqlsh",
			"dropdb", "dropuser", "mysqladmin", "mariadb-admin", "pg_restore",
		},
		Check: checkSQL,
		Rules: []Rule{
			{ID: "sql.drop", Default: Confirm, Summary: "DROP TABLE/DATABASE/SCHEMA/...; dropdb, dropuser, mysqladmin drop, pg_restore --clean, CREATE OR REPLACE TABLE, sqlite .restore"},
			{ID: "sql.truncate", Default: Confirm, Summary: "TRUNCATE: deletes every row of a table"},
			{ID: "sql.delete-all", Default: Confirm, Summary: "DELETE without a WHERE clause (or with one that holds for every row: 1 = 1, id > 0): deletes every row"},
			{ID: "sql.update-all", Default: Confirm, Summary: "UPDATE without a WHERE clause (or with one that holds for every row), or a column rewritten with a constant (ALTER COLUMN ... USING 0): overwrites every row"},
			{ID: "sql.alter-drop", Default: Confirm, Summary: "ALTER TABLE ... DROP COLUMN/PARTITION and kin: the dropped data is lost"},
			{ID: "sql.unknown", Default: Confirm, Summary: "SQL that cannot be known before it runs: computed arguments, unknown stdin, missing or unreadable files, dynamic SQL"},
		},
	}
}

// sqlMaxDepth bounds nested SQL: included files, DO bodies, EXECUTE.
const sqlMaxDepth = 8

// sqlMaxUnknown is how many distinct sql.unknown findings one invocation
// reports; more are counted in the last.
const sqlMaxUnknown = 3

// sqlMaxFile is the largest SQL file read; a larger one is not checked.
const sqlMaxFile = 16 << 20

// sqlArg is one word of a command line with its index in Invocation.Args
// (-1 for a value written inside an option word).
type sqlArg struct {
	w   interceptor.Word
	idx int
}

// sqlOpt is one option of a client's command line.
type sqlOpt struct {
	name string
	val  sqlArg
	has  bool
}

// sqlParsed is a client command line split into options and operands.
type sqlParsed struct {
	opts []sqlOpt
	pos  []sqlArg
}

// sqlArgSpec says how a client spells its options.
type sqlArgSpec struct {
	// short lists the letters whose option takes a value ("-c SQL",
	// "-cSQL").
	short string
	// shortOpt lists the letters whose value, if any, is attached
	// ("-ppass"; "-p" alone prompts).
	shortOpt string
	// long lists the long options taking a value ("--command SQL").
	long []string
	// flags lists the long options taking none, for abbreviations.
	flags []string
	// two lists options taking two values (sqlite3 -lookaside N M).
	two []string
	// single: options are written with one dash ("-cmd"), never combined.
	single bool
	// abbrev: a unique prefix of a long option stands for it
	// (getopt_long, my_getopt, argparse).
	abbrev bool
	// unknownValue: a long option not listed takes the next word as its
	// value (clickhouse settings: "--max_threads 8").
	unknownValue bool
	// optionalValues: an option never takes a next word that looks like
	// an option as its value (mongosh "-p --eval ..." prompts).
	optionalValues bool
}

// canon returns the option name name stands for.
func (sp sqlArgSpec) canon(name string) string {
	if sqlListed(sp.long, name) || sqlListed(sp.flags, name) || sqlListed(sp.two, name) || !sp.abbrev {
		return name
	}
	match := ""
	for _, list := range [][]string{sp.long, sp.flags} {
		for _, o := range list {
			if strings.HasPrefix(o, name) && len(name) > 3 {
				if match != "" && match != o {
					return name // ambiguous
				}
				match = o
			}
		}
	}
	if match == "" {
		return name
	}
	return match
}

// dashed reports whether, under optionalValues, w looks like an option and
// so is not the value of the option before it.
func (sp sqlArgSpec) dashed(w interceptor.Word) bool {
	return sp.optionalValues && len(w.Value) > 1 && w.Value[0] == '-'
}

func sqlListed(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sqlWordOf makes a Word of part of a word's value.
func sqlWordOf(s string) interceptor.Word {
	return interceptor.Word{Value: s, Unknown: strings.Contains(s, interceptor.UnknownMark)}
}

// sqlParseArgs splits args by sp. Options may follow operands; "--" ends
// options.
func sqlParseArgs(args []interceptor.Word, sp sqlArgSpec) sqlParsed {
	var p sqlParsed
	for i := 0; i < len(args); i++ {
		w := args[i]
		v := w.Value
		if v == "--" && !sp.single {
			for j := i + 1; j < len(args); j++ {
				p.pos = append(p.pos, sqlArg{args[j], j})
			}
			break
		}
		if len(v) < 2 || v[0] != '-' {
			p.pos = append(p.pos, sqlArg{w, i})
			continue
		}
		if sp.single || strings.HasPrefix(v, "--") {
			name, val, inline := v, "", false
			if k := strings.IndexByte(v, '='); k > 0 {
				name, val, inline = v[:k], v[k+1:], true
			}
			if sp.single {
				name = "-" + strings.TrimLeft(name, "-")
			}
			name = sp.canon(name)
			o := sqlOpt{name: name}
			switch {
			case inline:
				o.val, o.has = sqlArg{sqlWordOf(val), -1}, true
			case sqlListed(sp.two, name):
				i += 2
			case sqlListed(sp.long, name) || (sp.unknownValue && !sqlListed(sp.flags, name)):
				if i+1 < len(args) && !sp.dashed(args[i+1]) {
					i++
					o.val, o.has = sqlArg{args[i], i}, true
				}
			}
			p.opts = append(p.opts, o)
			continue
		}
		for j := 1; j < len(v); j++ {
			ch := v[j]
			o := sqlOpt{name: "-" + string(ch)}
			if strings.IndexByte(sp.short, ch) >= 0 {
				if j+1 < len(v) {
					o.val, o.has = sqlArg{sqlWordOf(v[j+1:]), -1}, true
				} else if i+1 < len(args) && !sp.dashed(args[i+1]) {
					i++
					o.val, o.has = sqlArg{args[i], i}, true
				}
				p.opts = append(p.opts, o)
				break
			}
			if strings.IndexByte(sp.shortOpt, ch) >= 0 {
				if j+1 < len(v) {
					o.val, o.has = sqlArg{sqlWordOf(v[j+1:]), -1}, true
				}
				p.opts = append(p.opts, o)
				break
			}
			p.opts = append(p.opts, o)
		}
	}
	return p
}

// shift adds n to the index of every word, for a command line parsed
// after its first n words ("cockroach sql ...").
func (p sqlParsed) shift(n int) sqlParsed {
	for i := range p.opts {
		if p.opts[i].val.idx >= 0 {
			p.opts[i].val.idx += n
		}
	}
	for i := range p.pos {
		p.pos[i].idx += n
	}
	return p
}

// has reports whether any of names was given.
func (p sqlParsed) has(names ...string) bool {
	for _, o := range p.opts {
		if sqlListed(names, o.name) {
			return true
		}
	}
	return false
}

// get returns the value of the last of names given.
func (p sqlParsed) get(names ...string) (sqlArg, bool) {
	var out sqlArg
	ok := false
	for _, o := range p.opts {
		if o.has && sqlListed(names, o.name) {
			out, ok = o.val, true
		}
	}
	return out, ok
}

// sqlSource is one place a client reads SQL from, in the order it runs.
type sqlSource struct {
	// text is SQL given as an argument; file is a file to read ("-"
	// for stdin). One of them is set unless stdin is.
	text, file *sqlArg
	stdin      bool
	// how is the option that gave it ("-c", "--execute"), for messages.
	how string
	// exits reports that the client exits after it instead of reading
	// stdin ("psql -c" does, "sqlite3 -cmd" does not).
	exits bool
}

// sqlClient is one client invocation as the pack understands it.
type sqlClient struct {
	// name is the client for messages ("psql", "clickhouse client").
	name    string
	d       sqlscan.Dialect
	sources []sqlSource
	// target names the database, host or file for messages.
	target string
	// memory: the database is in memory and starts empty, so dropping or
	// deleting loses nothing (unless the SQL attaches a real one).
	memory bool
	// readonly: writes fail.
	readonly bool
	// safeUpdates: mysql --safe-updates refuses DELETE and UPDATE without
	// a key in WHERE.
	safeUpdates bool
	// vars are psql variables set with -v.
	vars map[string]string
	// test says where the client connects, for the test database
	// exemption (testdb.go); nil for clients it does not cover.
	test *sqlTestTarget
	// skip: the command runs no SQL (--help, --version, --list).
	skip bool
}

func checkSQL(c *Call) {
	inv := c.Inv
	switch inv.Name {
	case "dropdb", "dropuser":
		sqlCheckDropdb(c)
		return
	case "mysqladmin", "mariadb-admin":
		sqlCheckMysqladmin(c)
		return
	case "pg_restore":
		sqlCheckPgRestore(c)
		return
	}
	cl := sqlParseClient(inv)
	if cl == nil || cl.skip {
		return
	}
	exits := false
	for _, s := range cl.sources {
		exits = exits || s.exits
	}
	if !exits && inv.Stdin != nil {
		cl.sources = append(cl.sources, sqlSource{stdin: true})
	}
	r := &sqlRun{c: c, cl: cl, fsys: c.World.pathFS(), vars: cl.vars, dir: inv.Cwd}
	if r.vars == nil {
		r.vars = map[string]string{}
	}
	for _, s := range cl.sources {
		r.source(s)
	}
	r.report()
}

// sqlSpecPsql is psql's command line.
func sqlSpecPsql() sqlArgSpec {
	return sqlArgSpec{
		short: "cdfhLopPRFTUv",
		long: []string{"--command", "--dbname", "--file", "--host", "--log-file", "--output", "--port", "--pset",
			"--record-separator", "--field-separator", "--table-attr", "--username", "--set", "--variable"},
		flags: []string{"--echo-all", "--echo-errors", "--echo-queries", "--echo-hidden", "--list", "--no-readline",
			"--quiet", "--single-step", "--single-line", "--no-align", "--csv", "--html", "--tuples-only", "--expanded",
			"--field-separator-zero", "--record-separator-zero", "--single-transaction", "--no-password", "--password",
			"--no-psqlrc", "--version", "--help"},
		abbrev: true,
	}
}

// sqlSpecMySQL is the command line of mysql and mariadb.
func sqlSpecMySQL() sqlArgSpec {
	return sqlArgSpec{
		short:    "DehPSuO",
		shortOpt: "p#",
		long: []string{"--database", "--execute", "--host", "--port", "--socket", "--user", "--init-command",
			"--default-character-set", "--delimiter", "--tee", "--protocol", "--defaults-file", "--defaults-extra-file",
			"--defaults-group-suffix", "--login-path", "--connect-timeout", "--max-allowed-packet", "--net-buffer-length",
			"--ssl-ca", "--ssl-capath", "--ssl-cert", "--ssl-cipher", "--ssl-crl", "--ssl-crlpath", "--ssl-key",
			"--ssl-mode", "--tls-version", "--tls-ciphersuites", "--plugin-dir", "--default-auth", "--character-sets-dir",
			"--bind-address", "--server-public-key-path", "--prompt", "--histignore", "--load-data-local-dir",
			"--max-join-size", "--select-limit", "--compression-algorithms", "--zstd-compression-level",
			"--dns-srv-name", "--set-variable"},
		flags: []string{"--password", "--pager", "--debug", "--local-infile", "--batch", "--safe-updates",
			"--i-am-a-dummy", "--force", "--verbose", "--silent", "--skip-column-names", "--table", "--html", "--xml",
			"--vertical", "--help", "--version", "--quick", "--raw", "--unbuffered", "--wait", "--one-database",
			"--binary-mode", "--comments", "--skip-comments", "--no-auto-rehash", "--auto-rehash", "--column-names",
			"--named-commands", "--ignore-spaces", "--line-numbers", "--show-warnings", "--sigint-ignore",
			"--reconnect", "--compress", "--no-beep", "--column-type-info", "--auto-vertical-output", "--no-defaults",
			"--print-defaults"},
		abbrev: true,
	}
}

// sqlSpecSQLite is the command line of the sqlite3 and duckdb shells.
func sqlSpecSQLite() sqlArgSpec {
	return sqlArgSpec{
		single: true,
		long: []string{"-cmd", "-init", "-separator", "-newline", "-nullvalue", "-vfs", "-maxsize", "-mmap", "-heap",
			"-escape", "-nonce", "-c", "-s", "-f", "-storage-version"},
		two: []string{"-lookaside", "-pagecache"},
	}
}

// sqlParseClient understands the command line of a SQL client. It returns
// nil when the command is not one that runs SQL (clickhouse server, cockroach
// start).
func sqlParseClient(inv *interceptor.Invocation) *sqlClient {
	args := inv.Args
	off := 0
	cl := &sqlClient{name: inv.Name}
	text := func(a sqlArg, how string, exits bool) {
		cl.sources = append(cl.sources, sqlSource{text: &a, how: how, exits: exits})
	}
	file := func(a sqlArg, how string, exits bool) {
		cl.sources = append(cl.sources, sqlSource{file: &a, how: how, exits: exits})
	}
	// fromOpts adds the options of p that carry SQL, in order.
	fromOpts := func(p sqlParsed, texts, files, inits, initFiles []string) {
		for _, o := range p.opts {
			if !o.has {
				continue
			}
			switch {
			case sqlListed(texts, o.name):
				text(o.val, o.name, true)
			case sqlListed(files, o.name):
				file(o.val, o.name, true)
			case sqlListed(inits, o.name):
				text(o.val, o.name, false)
			case sqlListed(initFiles, o.name):
				file(o.val, o.name, false)
			}
		}
	}
	str := func(p sqlParsed, names ...string) string {
		a, ok := p.get(names...)
		if !ok {
			return ""
		}
		return sqlSpelling(inv, a)
	}
	posStr := func(p sqlParsed, i int) string {
		if i >= len(p.pos) {
			return ""
		}
		return sqlSpelling(inv, p.pos[i])
	}
	switch inv.Name {
	case "psql", "pgcli", "usql", "cockroach":
		sp := sqlSpecPsql()
		cl.d = sqlscan.Postgres()
		switch inv.Name {
		case "pgcli":
			sp = sqlArgSpec{short: "hpUudDcf",
				long: []string{"--host", "--port", "--username", "--user", "--dbname", "--dsn", "--command", "--file",
					"--init-command", "--pgclirc", "--row-limit", "--prompt", "--prompt-dsn", "--log-file",
					"--ssh-tunnel", "--application-name"}}
		case "usql":
			sp = sqlArgSpec{short: "cfovNPFRT",
				long: []string{"--command", "--file", "--out", "--set", "--variable", "--cset", "--pset",
					"--field-separator", "--record-separator", "--table-attr", "--config"}}
		case "cockroach":
			if len(args) == 0 || args[0].Value != "sql" {
				return nil
			}
			args, off = args[1:], 1
			cl.name = "cockroach sql"
			sp = sqlArgSpec{short: "efdup",
				long: []string{"--execute", "--file", "--database", "--user", "--url", "--host", "--port",
					"--certs-dir", "--format", "--set", "--watch", "--cluster-name"}}
		}
		p := sqlParseArgs(args, sp).shift(off)
		if p.has("--help", "--version", "-V", "-?", "-l", "--list") {
			cl.skip = true
		}
		fromOpts(p, []string{"-c", "--command", "-e", "--execute"}, []string{"-f", "--file"}, []string{"--init-command"}, nil)
		if inv.Name == "cockroach" {
			cl.target = str(p, "--url", "-d", "--database", "--host")
			break
		}
		cl.vars = map[string]string{}
		if inv.Name != "pgcli" {
			for _, o := range p.opts {
				if o.has && sqlListed([]string{"-v", "--set", "--variable"}, o.name) {
					if k := strings.IndexByte(o.val.w.Value, '='); k > 0 {
						cl.vars[o.val.w.Value[:k]] = o.val.w.Value[k+1:]
					}
				}
			}
		}
		db := str(p, "-d", "--dbname", "-D", "--dsn")
		if db == "" {
			db = posStr(p, 0)
		}
		cl.target = sqlTargetLabel(db, str(p, "-h", "--host"))
		if inv.Name == "psql" {
			_, hostSet := p.get("-h", "--host")
			cl.test = &sqlTestTarget{db: db, host: str(p, "-h", "--host"), hostSet: hostSet, hostEnv: "PGHOST", dbEnv: "PGDATABASE", connected: true}
		}
	case "mysql", "mariadb", "mycli":
		sp := sqlSpecMySQL()
		cl.d = sqlscan.MySQL()
		if inv.Name == "mycli" {
			sp = sqlArgSpec{short: "hPuSpDeRlgd",
				long: []string{"--host", "--port", "--user", "--socket", "--password", "--pass", "--database",
					"--execute", "--prompt", "--logfile", "--login-path", "--dsn", "--defaults-group-suffix",
					"--defaults-file", "--myclirc", "--init-command", "--charset", "--ssh-user", "--ssh-host",
					"--ssh-port", "--ssh-password", "--ssh-key-filename", "--ssh-config-path", "--ssh-config-host",
					"--ssl-ca", "--ssl-capath", "--ssl-cert", "--ssl-key", "--ssl-cipher", "--tls-version"}}
		}
		p := sqlParseArgs(args, sp)
		if p.has("--help", "--version", "-V", "-?") {
			cl.skip = true
		}
		if inv.Name != "mycli" && p.has("-U", "--safe-updates", "--i-am-a-dummy") {
			cl.safeUpdates = true
		}
		fromOpts(p, []string{"-e", "--execute"}, nil, []string{"--init-command"}, nil)
		db := str(p, "-D", "--database")
		if db == "" {
			db = posStr(p, 0)
		}
		cl.target = sqlTargetLabel(db, str(p, "-h", "--host"))
		if inv.Name != "mycli" {
			// Tables of other databases are one "db.table" away, so only
			// what DROP DATABASE names is read, not the database used.
			_, hostSet := p.get("-h", "--host")
			cl.test = &sqlTestTarget{host: str(p, "-h", "--host"), hostSet: hostSet, hostEnv: "MYSQL_HOST"}
		}
	case "sqlite3", "duckdb":
		cl.d = sqlscan.SQLite()
		if inv.Name == "duckdb" {
			cl.d = sqlscan.DuckDB()
		}
		p := sqlParseArgs(args, sqlSpecSQLite())
		if p.has("-help", "-version", "-A") {
			cl.skip = true
		}
		cl.readonly = p.has("-readonly")
		if inv.Name == "duckdb" {
			fromOpts(p, []string{"-c", "-s"}, []string{"-f"}, []string{"-cmd"}, []string{"-init"})
			if p.has("-no-stdin") {
				cl.sources = append(cl.sources, sqlSource{exits: true})
			}
		} else {
			fromOpts(p, nil, nil, []string{"-cmd"}, []string{"-init"})
		}
		db := ""
		if len(p.pos) > 0 {
			db = p.pos[0].w.Value
			cl.target = sqlSpelling(inv, p.pos[0])
			for _, a := range p.pos[1:] {
				text(a, "", true)
			}
		}
		cl.memory = db == "" || db == ":memory:" || strings.HasPrefix(db, "file::memory:")
		if inv.Name == "sqlite3" && len(p.pos) > 0 && !p.pos[0].w.Unknown && !strings.HasPrefix(db, "file:") && testDBSQLiteFile(db) {
			cl.test = &sqlTestTarget{db: "test", connected: true}
		}
		if strings.HasPrefix(db, "file:") && strings.Contains(db, "mode=ro") {
			cl.readonly = true
		}
	case "sqlcmd":
		cl.d = sqlscan.TSQL()
		p := sqlParseArgs(args, sqlArgSpec{short: "SUPdQqiovHltshwfcKamVzZyY", shortOpt: "XrkpN",
			long: []string{"--server", "--user-name", "--password", "--database-name", "--query", "--initial-query",
				"--input-file", "--output-file", "--variables", "--headers"}})
		if p.has("-?", "--help", "--version") {
			cl.skip = true
		}
		for _, o := range p.opts {
			if !o.has {
				continue
			}
			switch o.name {
			case "-Q", "--query":
				text(o.val, o.name, true)
			case "-q", "--initial-query":
				text(o.val, o.name, false)
			case "-i", "--input-file":
				if o.val.w.Unknown {
					file(o.val, o.name, true)
					continue
				}
				for _, f := range strings.Split(o.val.w.Value, ",") {
					file(sqlArg{sqlWordOf(strings.TrimSpace(f)), -1}, o.name, true)
				}
			}
		}
		if len(p.pos) > 1 && p.pos[0].w.Value == "query" {
			text(p.pos[1], "query", true)
		}
		cl.target = sqlTargetLabel(str(p, "-d", "--database-name"), str(p, "-S", "--server"))
	case "clickhouse-client", "clickhouse-local", "clickhouse":
		if inv.Name == "clickhouse" {
			if len(args) == 0 || (args[0].Value != "client" && args[0].Value != "local") {
				return nil
			}
			cl.name = "clickhouse " + args[0].Value
			args, off = args[1:], 1
		}
		cl.d = sqlscan.ClickHouse()
		p := sqlParseArgs(args, sqlArgSpec{short: "hudqfCP",
			long: []string{"--host", "--port", "--user", "--password", "--database", "--query", "--queries-file",
				"--format", "--config-file", "--config", "--history_file", "--file", "--structure", "--input-format",
				"--output-format", "--table"},
			flags: []string{"--multiquery", "--multiline", "--time", "--secure", "--vertical", "--echo", "--progress",
				"--stacktrace", "--ask-password", "--help", "--version", "--verbose", "--no-warnings", "--ignore-error",
				"--disable_suggestion", "--interactive", "--hardware-utilization", "--print-profile-events", "--no-system-tables"},
			unknownValue: true}).shift(off)
		if p.has("--help", "--version", "-V") {
			cl.skip = true
		}
		fromOpts(p, []string{"-q", "--query"}, []string{"--queries-file"}, nil, nil)
		for _, a := range p.pos {
			text(a, "", true)
		}
		cl.target = sqlTargetLabel(str(p, "-d", "--database"), str(p, "-h", "--host"))
	case "cqlsh":
		cl.d = sqlscan.Generic()
		p := sqlParseArgs(args, sqlArgSpec{short: "efkup",
			long: []string{"--execute", "--file", "--keyspace", "--username", "--password", "--cqlshrc",
				"--cqlversion", "--protocol-version", "--connect-timeout", "--request-timeout", "--encoding"},
			flags:  []string{"--help", "--version", "--tty", "--ssl", "--no-color", "--color", "--debug", "--browser"},
			abbrev: true})
		if p.has("--help", "--version", "-h") {
			cl.skip = true
		}
		fromOpts(p, []string{"-e", "--execute"}, []string{"-f", "--file"}, nil, nil)
		cl.target = sqlTargetLabel(str(p, "-k", "--keyspace"), posStr(p, 0))
	default:
		return nil
	}
	return cl
}

// sqlTargetLabel names a database for messages from its name or URL and
// its host.
func sqlTargetLabel(db, host string) string {
	switch {
	case db != "" && host != "" && !strings.Contains(db, "://") && !strings.Contains(db, "="):
		return db + " at " + host
	case db != "":
		return db
	}
	return host
}

// sqlSpelling returns an argument for a message: its value with any
// password removed, or, for a value that is wholly unknown, the variable it
// was written as ("$DATABASE_URL") when that can be told.
func sqlSpelling(inv *interceptor.Invocation, a sqlArg) string {
	w := a.w
	if w.Unknown && w.Value == interceptor.UnknownMark && a.idx >= 0 {
		refs := sqlVarRefs(inv.Text)
		var pure []int
		for i, x := range inv.Args {
			if x.Value == interceptor.UnknownMark {
				pure = append(pure, i)
			}
		}
		if len(refs) == len(pure) {
			for k, i := range pure {
				if i == a.idx {
					return refs[k]
				}
			}
		}
	}
	return sqlRedact(w.String())
}

// sqlVarRefs returns the expansions written in shell source text, in order,
// as they were spelled: "$DATABASE_URL", "${HOST}", "$(…)". Text in single
// quotes is skipped.
func sqlVarRefs(src string) []string {
	var out []string
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '\'':
			if k := strings.IndexByte(src[i+1:], '\''); k >= 0 {
				i += k + 1
			}
		case '`':
			out = append(out, "`…`")
			if k := strings.IndexByte(src[i+1:], '`'); k >= 0 {
				i += k + 1
			}
		case '$':
			if i+1 >= len(src) {
				continue
			}
			c := src[i+1]
			switch {
			case c == '(':
				out = append(out, "$(…)")
				depth := 0
				for j := i + 1; j < len(src); j++ {
					if src[j] == '(' {
						depth++
					} else if src[j] == ')' {
						depth--
						if depth == 0 {
							i = j
							break
						}
					}
				}
			case c == '{':
				k := strings.IndexByte(src[i:], '}')
				if k < 0 {
					continue
				}
				out = append(out, src[i:i+k+1])
				i += k
			case c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
				j := i + 1
				for j < len(src) && (src[j] == '_' || (src[j] >= 'a' && src[j] <= 'z') || (src[j] >= 'A' && src[j] <= 'Z') || (src[j] >= '0' && src[j] <= '9')) {
					j++
				}
				out = append(out, src[i:j])
				i = j - 1
			case c >= '0' && c <= '9' || strings.IndexByte("@*#?!$-", c) >= 0:
				out = append(out, src[i:i+2])
				i++
			}
		}
	}
	return out
}

// sqlRedact removes a password from a connection URL or conninfo string.
func sqlRedact(v string) string {
	if i := strings.Index(v, "://"); i >= 0 {
		rest := v[i+3:]
		if at := strings.LastIndexByte(strings.SplitN(rest, "/", 2)[0], '@'); at >= 0 {
			user := rest[:at]
			if k := strings.IndexByte(user, ':'); k >= 0 {
				v = v[:i+3] + user[:k] + ":***" + rest[at:]
			}
		}
	}
	lower := strings.ToLower(v)
	if k := strings.Index(lower, "password="); k >= 0 {
		end := k + len("password=")
		for end < len(v) && v[end] != ' ' && v[end] != '&' && v[end] != ';' {
			end++
		}
		v = v[:k] + "password=***" + v[end:]
	}
	return v
}

// sqlHit is one statement that a rule fires on.
type sqlHit struct {
	rule string
	// stmt is the statement, for messages; why adds to the reason.
	stmt, why string
	// from names the file the statement was read from, if any.
	from string
	// dropsDB is the database a DROP DATABASE drops, when it names one.
	dropsDB string
}

// sqlRun is the SQL of one client invocation being judged.
type sqlRun struct {
	c    *Call
	cl   *sqlClient
	fsys interceptor.FS
	hits []sqlHit
	vars map[string]string
	// prepared maps prepared statement names to what they do.
	prepared map[string][]sqlHit
	// txn is the index in hits where an open transaction began, -1 when
	// none is open.
	txn    int
	inTxn  bool
	depth  int
	from   string
	dir    string
	seen   map[string]bool
	attach bool
}

// source judges the SQL of one source.
func (r *sqlRun) source(s sqlSource) {
	inv := r.c.Inv
	switch {
	case s.text != nil:
		r.script(s.text.w.Value)
	case s.file != nil:
		if s.file.w.Value == "-" {
			r.stdin()
			return
		}
		r.include(s.file.w, r.cl.name+" "+s.how, inv.Cwd)
	case s.stdin:
		r.stdin()
	}
}

// stdin judges what the client reads on standard input.
func (r *sqlRun) stdin() {
	in := r.c.Inv.Stdin
	if in == nil {
		return
	}
	if !in.Known {
		r.unknown("cannot see the SQL " + r.cl.name + " reads from " + in.From)
		return
	}
	r.script(in.Data)
}

// unknown records that some SQL cannot be known.
func (r *sqlRun) unknown(why string) {
	r.hits = append(r.hits, sqlHit{rule: "sql.unknown", why: why, from: r.from})
}

// hit records that rule fires on the statement toks.
func (r *sqlRun) hit(rule string, toks []sqlscan.Token, why string) {
	r.hits = append(r.hits, sqlHit{rule: rule, stmt: sqlscan.Text(toks), why: why, from: r.from})
}

// readFile reads the SQL file w names, resolved against dir. It reports
// why it cannot when it cannot.
func (r *sqlRun) readFile(w interceptor.Word, dir string) (string, string, string) {
	inv := r.c.Inv
	show := w.String()
	if w.Unknown {
		return "", show, "its name is not known before it runs"
	}
	if inv.Remote != "" {
		return "", show, "it is on " + inv.Remote
	}
	p := interceptor.ResolvePath(dir, w.Value)
	if p == "" {
		return "", show, "its directory is not known"
	}
	fi, err := r.fsys.Stat(p)
	switch {
	case err != nil:
		return "", show, "it does not exist (yet)"
	case fi.IsDir():
		return "", show, "it is a directory"
	case fi.Size() > sqlMaxFile:
		return "", show, "it is too large to check"
	}
	b, err := r.fsys.ReadFile(p)
	if err != nil {
		return "", show, "it cannot be read"
	}
	return string(b), p, ""
}

// include judges the SQL in the file w names: an -f argument or an
// included file (\i, source, .read, :r).
func (r *sqlRun) include(w interceptor.Word, how, dir string) {
	data, p, why := r.readFile(w, dir)
	if why != "" {
		r.unknown("cannot see the SQL " + how + " reads from file " + p + ": " + why)
		return
	}
	if r.seen[p] {
		return
	}
	if r.depth >= sqlMaxDepth {
		r.unknown("includes SQL files too deeply to check (" + w.String() + ")")
		return
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[p] = true
	savedFrom, savedDir := r.from, r.dir
	r.from, r.dir = "file "+w.String(), filepath.Dir(p)
	r.depth++
	r.script(data)
	r.depth--
	r.from, r.dir = savedFrom, savedDir
	delete(r.seen, p)
}

// script judges a text of SQL and client commands.
func (r *sqlRun) script(src string) {
	r.scriptIn(src, r.cl.d, 0)
}

func (r *sqlRun) scriptIn(src string, d sqlscan.Dialect, depth int) {
	if depth > sqlMaxDepth {
		r.unknown("nests SQL too deeply to check")
		return
	}
	for _, st := range sqlscan.Split(sqlscan.Scan(src, d, r.vars), d) {
		if st.Meta != nil {
			r.meta(*st.Meta)
			continue
		}
		r.statement(st.Toks, depth)
	}
}

// meta judges a client command.
func (r *sqlRun) meta(t sqlscan.Token) {
	name := t.Text
	args := sqlscan.MetaArgs(t.Val)
	arg0 := ""
	if len(args) > 0 {
		arg0 = args[0]
	}
	inv := r.c.Inv
	link := r.cl.name + " " + name
	shell := func(cmd string) {
		if strings.Contains(cmd, interceptor.UnknownMark) {
			r.unknown("runs a shell command that cannot be known (" + name + " " + strings.ReplaceAll(cmd, interceptor.UnknownMark, "…") + ")")
			return
		}
		if strings.TrimSpace(cmd) != "" {
			r.c.Shell(cmd, link)
		}
	}
	include := func(dir string) {
		if arg0 == "" {
			return
		}
		if strings.HasPrefix(arg0, "|") {
			shell(strings.TrimPrefix(strings.TrimSpace(t.Val), "|"))
			r.unknown("runs the SQL printed by the command `" + strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t.Val), "|")) + "` (" + name + ")")
			return
		}
		r.include(sqlWordOf(arg0), link, dir)
	}
	switch r.cl.d.Meta {
	case sqlscan.MetaBackslash:
		switch name {
		case `\i`, `\include`:
			include(inv.Cwd)
		case `\ir`, `\include_relative`:
			include(r.dir)
		case `\!`:
			shell(t.Val)
		case `\c`, `\connect`:
			r.attach = true // another database from here on
		case `\o`, `\out`, `\g`, `\gx`, `\w`, `\write`:
			if strings.HasPrefix(t.Val, "|") {
				shell(t.Val[1:])
			}
		case `\copy`:
			for i := 0; i+1 < len(args); i++ {
				if strings.EqualFold(args[i], "program") {
					shell(args[i+1])
				}
			}
		case `\gexec`:
			r.unknown(`runs as SQL whatever the query before \gexec returns, which cannot be known before it runs`)
		case `\|`:
			shell(t.Val)
			r.unknown("runs the SQL printed by the command `" + strings.TrimSpace(t.Val) + "` (" + name + ")")
		}
	case sqlscan.MetaMySQL:
		switch name {
		case "source", `\.`:
			include(inv.Cwd)
		case "system", `\!`:
			shell(t.Val)
		}
	case sqlscan.MetaDot:
		switch name {
		case ".read":
			include(inv.Cwd)
		case ".shell", ".system", ".sh":
			shell(t.Val)
		case ".once", ".output":
			if strings.HasPrefix(t.Val, "|") {
				shell(t.Val[1:])
			}
		case ".import":
			if strings.HasPrefix(arg0, "|") {
				shell(arg0[1:])
			}
		case ".open":
			r.attach = true
		case ".restore":
			r.hits = append(r.hits, sqlHit{rule: "sql.drop", stmt: strings.TrimSpace(name + " " + t.Val), why: "replaces the whole database with a backup", from: r.from})
		}
	case sqlscan.MetaSqlcmd:
		switch name {
		case ":r":
			include(inv.Cwd)
		case "!!":
			shell(t.Val)
		}
	}
}

// sqlFirstWord returns the index of the first word of toks, or -1.
func sqlFirstWord(toks []sqlscan.Token) int {
	for i, t := range toks {
		if t.Kind == sqlscan.Word {
			return i
		}
		if !t.IsOp("(") {
			return -1
		}
	}
	return -1
}

// sqlNextWord returns the value of the word after index i, or "".
func sqlNextWord(toks []sqlscan.Token, i int) string {
	if i+1 < len(toks) && toks[i+1].Kind == sqlscan.Word {
		return toks[i+1].Val
	}
	return ""
}

// sqlIsVerb reports whether w starts a statement that reads or writes data.
func sqlIsVerb(w string) bool {
	switch w {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE", "REPLACE", "CREATE", "EXECUTE", "DECLARE", "WITH":
		return true
	}
	return false
}

// statement judges one SQL statement.
func (r *sqlRun) statement(toks []sqlscan.Token, depth int) {
	if depth > sqlMaxDepth {
		r.unknown("nests SQL too deeply to check")
		return
	}
	for _, t := range toks {
		if t.Kind == sqlscan.Unknown {
			r.unknown("runs SQL that is not known before it runs (" + sqlscan.Text(toks) + ")")
			break
		}
	}
	i := sqlFirstWord(toks)
	if i < 0 {
		return
	}
	toks = toks[i:]
	switch toks[0].Val {
	case "WITH":
		r.with(toks, depth)
	case "EXPLAIN", "DESCRIBE", "DESC":
		r.explain(toks, depth)
	case "DROP":
		switch sqlNextWord(toks, 0) {
		case "TEMPORARY", "PREPARE":
			return
		}
		r.hits = append(r.hits, sqlHit{rule: "sql.drop", stmt: sqlscan.Text(toks), from: r.from, dropsDB: sqlDroppedDatabase(toks)})
	case "TRUNCATE":
		r.hit("sql.truncate", toks, "deletes every row")
	case "DELETE":
		r.deleteUpdate(toks)
	case "UPDATE":
		if sqlNextWord(toks, 0) == "STATISTICS" {
			return
		}
		r.deleteUpdate(toks)
	case "ALTER":
		r.alter(toks)
	case "CREATE":
		j := 1
		if sqlNextWord(toks, 0) == "OR" && sqlNextWord(toks, 1) == "REPLACE" {
			j = 3
			for j < len(toks) && toks[j].Kind == sqlscan.Word && (toks[j].Val == "TEMP" || toks[j].Val == "TEMPORARY") {
				return
			}
			if j < len(toks) && toks[j].Is("TABLE") {
				r.hit("sql.drop", toks, "replaces the table and every row in it")
			}
		}
	case "REPLACE":
		if sqlNextWord(toks, 0) == "TABLE" {
			r.hit("sql.drop", toks, "replaces the table and every row in it")
		}
	case "DO":
		for _, t := range toks[1:] {
			if t.Kind == sqlscan.String {
				if t.Unknown {
					r.unknown("runs a DO block that is not known before it runs")
					return
				}
				r.procedural(t.Val, depth+1)
				return
			}
		}
	case "PREPARE":
		r.prepare(toks, depth)
	case "EXECUTE", "EXEC":
		r.execute(toks, depth)
	case "ATTACH":
		r.attach = true
	case "BEGIN", "START":
		if depth == 0 && (toks[0].Val == "BEGIN" || sqlNextWord(toks, 0) == "TRANSACTION") {
			r.inTxn, r.txn = true, len(r.hits)
		}
	case "COMMIT", "END":
		if depth == 0 {
			r.inTxn = false
		}
	case "ROLLBACK", "ABORT":
		if depth == 0 && r.inTxn && sqlNextWord(toks, 0) != "TO" {
			r.rollback()
		}
	}
}

// rollback forgets the findings of a transaction that is rolled back, when
// the dialect rolls back what they did.
func (r *sqlRun) rollback() {
	r.inTxn = false
	undone := r.hits[r.txn:]
	if !r.cl.d.Transactional {
		if r.cl.d.Name != "mysql" {
			return
		}
		// MySQL commits DDL at once; only DML is rolled back.
		for _, h := range undone {
			if h.rule != "sql.delete-all" && h.rule != "sql.update-all" && h.rule != "sql.unknown" {
				return
			}
		}
	}
	kept := r.hits[:r.txn]
	for _, h := range undone {
		if h.rule == "sql.unknown" {
			kept = append(kept, h)
		}
	}
	r.hits = kept
}

// with judges a statement with common table expressions: the main
// statement and every data-modifying CTE body.
func (r *sqlRun) with(toks []sqlscan.Token, depth int) {
	d := 0
	start := -1
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsOp("("):
			if d == 0 {
				start = i + 1
			}
			d++
		case t.IsOp(")"):
			d--
			if d == 0 && start >= 0 {
				body := toks[start:i]
				if j := sqlFirstWord(body); j >= 0 {
					switch body[j].Val {
					case "DELETE", "UPDATE", "INSERT", "WITH":
						r.statement(body, depth+1)
					}
				}
				start = -1
			}
		case d == 0 && toks[i-1].IsOp(")") && t.Kind == sqlscan.Word && sqlIsVerb(t.Val) && t.Val != "WITH" && t.Val != "CREATE" && t.Val != "DECLARE":
			r.statement(toks[i:], depth+1)
			return
		}
	}
}

// explain judges EXPLAIN: only EXPLAIN ANALYZE runs its statement.
func (r *sqlRun) explain(toks []sqlscan.Token, depth int) {
	analyze := false
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Is("ANALYZE") || t.Is("ANALYSE"):
			analyze = true
		case t.IsOp("("):
			for i++; i < len(toks) && !toks[i].IsOp(")"); i++ {
				if toks[i].Is("ANALYZE") || toks[i].Is("ANALYSE") {
					next := ""
					if i+1 < len(toks) {
						next = strings.ToUpper(toks[i+1].Text)
					}
					if next != "FALSE" && next != "OFF" && next != "0" {
						analyze = true
					}
				}
			}
		case t.Kind == sqlscan.Word && sqlIsVerb(t.Val):
			if analyze {
				r.statement(toks[i:], depth+1)
			}
			return
		}
	}
}

// deleteUpdate judges DELETE and UPDATE: without a WHERE clause at the top
// level of the statement (not one inside a subquery), or with one that is
// always true, every row is hit. A join condition (MySQL's multi-table
// forms) counts as a filter.
func (r *sqlRun) deleteUpdate(toks []sqlscan.Token) {
	if r.cl.safeUpdates {
		return
	}
	verb := toks[0].Val
	rule, what := "sql.delete-all", "deletes"
	if verb == "UPDATE" {
		rule, what = "sql.update-all", "changes"
	}
	d := 0
	set, join := false, false
	for i := 1; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsOp("("):
			d++
		case t.IsOp(")"):
			d--
		case d != 0 || t.Kind != sqlscan.Word:
		case t.Val == "SET":
			set = true
		case t.Val == "JOIN" && (verb == "DELETE" || !set):
			join = true
		case join && (t.Val == "ON" || t.Val == "USING"):
			return
		case t.Val == "WHERE":
			clause := sqlClause(toks[i+1:])
			if sqlTautology(clause) {
				r.hit(rule, toks, "WHERE "+sqlscan.Text(clause)+" holds for every row, so it "+what+" them all")
			}
			return
		}
	}
	r.hit(rule, toks, "without WHERE it "+what+" every row")
}

// sqlClause returns the tokens of a WHERE clause: up to the top-level
// keyword that ends it.
func sqlClause(toks []sqlscan.Token) []sqlscan.Token {
	d := 0
	for i, t := range toks {
		switch {
		case t.IsOp("("):
			d++
		case t.IsOp(")"):
			d--
		case d == 0 && t.Kind == sqlscan.Word:
			switch t.Val {
			case "RETURNING", "ORDER", "LIMIT", "OUTPUT", "OPTION", "GROUP", "SETTINGS":
				return toks[:i]
			}
		}
	}
	return toks
}

// sqlTautology reports whether a WHERE clause is plainly always true:
// TRUE, 1, 1=1, 'a'='a', x=x, NOT FALSE, or any of them OR'ed in.
func sqlTautology(clause []sqlscan.Token) bool {
	d, start := 0, 0
	for i := 0; i <= len(clause); i++ {
		if i < len(clause) {
			t := clause[i]
			if t.IsOp("(") {
				d++
			} else if t.IsOp(")") {
				d--
			}
			if d != 0 || !t.Is("OR") {
				continue
			}
		}
		if sqlTrue(clause[start:i]) {
			return true
		}
		start = i + 1
	}
	return false
}

// sqlTrue reports whether one condition is plainly always true.
func sqlTrue(p []sqlscan.Token) bool {
	for len(p) >= 2 && p[0].IsOp("(") && p[len(p)-1].IsOp(")") {
		p = p[1 : len(p)-1]
	}
	literal := func(t sqlscan.Token) bool {
		return t.Kind == sqlscan.Number || t.Kind == sqlscan.String || t.Kind == sqlscan.Word || t.Kind == sqlscan.Ident
	}
	truthy := func(t sqlscan.Token) bool {
		return t.Is("TRUE") || (t.Kind == sqlscan.Number && strings.Trim(t.Text, "0.") != "")
	}
	// An id column compared with the first ids (id > 0, user_id >= 1)
	// or required to be set (id IS NOT NULL) narrows nothing: every row
	// has one.
	c := p
	for len(c) > 2 && c[1].IsOp(".") { // a qualified column: users.id
		c = c[2:]
	}
	if len(c) >= 3 && sqlIDColumn(c[0]) {
		num, neg := c[2], ""
		if len(c) == 4 && c[2].IsOp("-") {
			num, neg = c[3], "-"
		}
		if len(c) == 3 || neg != "" {
			n, err := strconv.ParseFloat(neg+num.Text, 64)
			if num.Kind == sqlscan.Number && err == nil && (c[1].IsOp(">") && n <= 0 || c[1].IsOp(">=") && n <= 1) {
				return true
			}
		}
		if len(c) == 4 && c[1].Is("IS") && c[2].Is("NOT") && c[3].Is("NULL") {
			return true
		}
	}
	switch len(p) {
	case 1:
		return truthy(p[0])
	case 2:
		return p[0].Is("NOT") && (p[1].Is("FALSE") || (p[1].Kind == sqlscan.Number && strings.Trim(p[1].Text, "0.") == ""))
	case 3:
		a, op, b := p[0], p[1], p[2]
		if !literal(a) || !literal(b) || a.Kind != b.Kind {
			return false
		}
		same := a.Text == b.Text || (a.Kind == sqlscan.Word && a.Val == b.Val)
		switch {
		case op.IsOp("=") || op.IsOp("==") || op.IsOp(">=") || op.IsOp("<=") || op.Is("IS"):
			return same && !a.Is("NULL")
		case op.IsOp("<>") || op.IsOp("!="):
			return !same && (a.Kind == sqlscan.Number || a.Kind == sqlscan.String)
		}
	}
	return false
}

// sqlIDColumn reports whether t names an id column: id, or a name ending
// in _id or Id, possibly qualified (users.id).
func sqlIDColumn(t sqlscan.Token) bool {
	if t.Kind != sqlscan.Word && t.Kind != sqlscan.Ident {
		return false
	}
	name := t.Text
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Trim(name, "\"`[]")
	return strings.EqualFold(name, "id") || strings.HasSuffix(strings.ToLower(name), "_id") || strings.HasSuffix(name, "Id")
}

// alter judges ALTER TABLE: dropping a column or partition loses its data;
// dropping a constraint, index or default does not. ClickHouse's ALTER
// TABLE ... DELETE/UPDATE WHERE are judged like DELETE and UPDATE.
func (r *sqlRun) alter(toks []sqlscan.Token) {
	if sqlNextWord(toks, 0) != "TABLE" {
		return
	}
	d := 0
	for i := 2; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsOp("("):
			d++
			continue
		case t.IsOp(")"):
			d--
			continue
		}
		if d != 0 || t.Kind != sqlscan.Word {
			continue
		}
		prev := toks[i-1]
		switch t.Val {
		case "DROP":
			switch sqlNextWord(toks, i) {
			case "CONSTRAINT", "INDEX", "KEY", "FOREIGN", "PRIMARY", "CHECK", "DEFAULT", "NOT", "IDENTITY",
				"EXPRESSION", "UNIQUE", "PERIOD", "SYSTEM", "STATISTICS", "PROJECTION", "TTL", "ROW", "ATTRIBUTE", "TRIGGER":
				continue
			}
			r.hit("sql.alter-drop", toks, "the data it drops is lost")
			return
		case "TRUNCATE":
			r.hit("sql.truncate", toks, "deletes every row of the partition")
			return
		case "USING":
			// ALTER COLUMN c TYPE t USING 0 writes the constant over
			// every value of the column.
			if i+1 < len(toks) && (toks[i+1].Kind == sqlscan.Number || toks[i+1].Kind == sqlscan.String || toks[i+1].Is("NULL")) &&
				(i+2 == len(toks) || toks[i+2].IsOp(",") || toks[i+2].IsOp(";")) {
				r.hit("sql.update-all", toks, "USING "+toks[i+1].Text+" replaces every value of the column with a constant")
				return
			}
		case "DISCARD":
			if sqlNextWord(toks, i) == "TABLESPACE" || sqlNextWord(toks, i) == "PARTITION" {
				r.hit("sql.alter-drop", toks, "deletes the table's data files")
				return
			}
		case "CLEAR":
			if sqlNextWord(toks, i) == "COLUMN" {
				r.hit("sql.alter-drop", toks, "wipes the column's data")
				return
			}
		case "DELETE", "UPDATE":
			if prev.Is("ON") {
				continue
			}
			rule, what := "sql.delete-all", "deletes"
			if t.Val == "UPDATE" {
				rule, what = "sql.update-all", "changes"
			}
			for j := i + 1; j < len(toks); j++ {
				if toks[j].Is("WHERE") {
					clause := sqlClause(toks[j+1:])
					if sqlTautology(clause) {
						r.hit(rule, toks, "WHERE "+sqlscan.Text(clause)+" holds for every row, so it "+what+" them all")
					}
					return
				}
			}
			r.hit(rule, toks, "without WHERE it "+what+" every row")
			return
		}
	}
}

// procedural judges the body of a DO block: statements separated by ";"
// and by the PL/pgSQL words that start a block, each judged as SQL, and the
// strings given to EXECUTE judged as SQL too.
func (r *sqlRun) procedural(body string, depth int) {
	d := r.cl.d
	d.Meta, d.CopyData = sqlscan.MetaNone, false
	toks := sqlscan.Scan(body, d, nil)
	var seg []sqlscan.Token
	flush := func() {
		if len(seg) == 0 {
			return
		}
		if seg[0].Is("EXECUTE") {
			r.dynamic(seg, depth)
		} else {
			r.statement(seg, depth)
		}
		seg = nil
	}
	for _, t := range toks {
		if t.Kind == sqlscan.End {
			flush()
			continue
		}
		if t.Kind == sqlscan.Word {
			switch t.Val {
			case "BEGIN", "THEN", "ELSE", "LOOP", "DECLARE":
				flush()
				continue
			}
		}
		seg = append(seg, t)
	}
	flush()
}

// dynamic judges EXECUTE of a string built at run time: each string
// literal in it is judged as SQL, and without one the SQL is unknown.
func (r *sqlRun) dynamic(toks []sqlscan.Token, depth int) {
	found := false
	for _, t := range toks[1:] {
		if t.Kind != sqlscan.String {
			continue
		}
		found = true
		if t.Unknown {
			r.unknown("runs SQL that is not known before it runs (" + sqlscan.Text(toks) + ")")
			continue
		}
		r.scriptIn(t.Val, r.bodyDialect(), depth+1)
	}
	if !found {
		r.unknown("runs SQL built at run time (" + sqlscan.Text(toks) + ")")
	}
}

// bodyDialect is the dialect of SQL inside SQL: no client commands.
func (r *sqlRun) bodyDialect() sqlscan.Dialect {
	d := r.cl.d
	d.Meta, d.CopyData = sqlscan.MetaNone, false
	return d
}

// prepare records what a prepared statement does, for EXECUTE.
func (r *sqlRun) prepare(toks []sqlscan.Token, depth int) {
	if len(toks) < 3 {
		return
	}
	name := toks[1].Val
	if toks[1].Kind != sqlscan.Word {
		name = toks[1].Text
	}
	saved := r.hits
	r.hits = nil
	for i := 2; i < len(toks); i++ {
		t := toks[i]
		if t.Is("AS") {
			r.statement(toks[i+1:], depth+1)
			break
		}
		if t.Is("FROM") {
			if i+1 < len(toks) && toks[i+1].Kind == sqlscan.String && !toks[i+1].Unknown {
				r.scriptIn(toks[i+1].Val, r.bodyDialect(), depth+1)
			} else {
				r.unknown("prepares SQL that is not known before it runs (" + sqlscan.Text(toks) + ")")
			}
			break
		}
	}
	if r.prepared == nil {
		r.prepared = map[string][]sqlHit{}
	}
	r.prepared[name] = r.hits
	r.hits = saved
}

// execute judges EXECUTE/EXEC: a statement prepared earlier in the same
// session, or (T-SQL, EXECUTE IMMEDIATE) SQL given as strings.
func (r *sqlRun) execute(toks []sqlscan.Token, depth int) {
	if len(toks) > 1 && toks[1].Kind == sqlscan.Word {
		if hits, ok := r.prepared[toks[1].Val]; ok {
			r.hits = append(r.hits, hits...)
			return
		}
	}
	for _, t := range toks[1:] {
		if t.Kind == sqlscan.String {
			r.dynamic(toks, depth)
			return
		}
	}
	if len(toks) > 1 && (toks[1].IsOp("(") || toks[1].Is("IMMEDIATE")) {
		r.unknown("runs SQL built at run time (" + sqlscan.Text(toks) + ")")
	}
}

// sqlDataRule reports whether rule is about data the statement destroys,
// as opposed to SQL that cannot be seen.
func sqlDataRule(rule string) bool { return rule != "sql.unknown" }

// report turns the hits into findings, one per rule, naming the first
// statement and counting the others.
func (r *sqlRun) report() {
	cl := r.cl
	inv := r.c.Inv
	noData := (cl.memory && !r.attach) || cl.readonly
	test := cl.test.on(r.c)
	var order []string
	byRule := map[string][]sqlHit{}
	for _, h := range r.hits {
		if noData && sqlDataRule(h.rule) {
			continue
		}
		if sqlDataRule(h.rule) && test.covers(h, r.attach) {
			continue // testdb.go: a local test database
		}
		if _, ok := byRule[h.rule]; !ok {
			order = append(order, h.rule)
		}
		byRule[h.rule] = append(byRule[h.rule], h)
	}
	where := cl.name
	if inv.Remote != "" {
		where += " in " + inv.Remote
	}
	for _, rule := range order {
		hits := byRule[rule]
		if rule == "sql.unknown" {
			// Each distinct reason, up to a few; the rest are counted.
			seen := map[string]bool{}
			var distinct []sqlHit
			for _, h := range hits {
				if !seen[h.why] {
					seen[h.why] = true
					distinct = append(distinct, h)
				}
			}
			for i, h := range distinct {
				reason := h.why + " (" + sqlWhere(where+sqlOn(cl.target), h.from) + ")"
				if i == sqlMaxUnknown-1 && len(distinct) > sqlMaxUnknown {
					reason += "; and " + strconv.Itoa(len(distinct)-sqlMaxUnknown) + " more pieces of SQL that cannot be seen"
				}
				r.c.Report(rule, reason)
				if i == sqlMaxUnknown-1 {
					break
				}
			}
			continue
		}
		h := hits[0]
		reason := "runs " + h.stmt + sqlOn(cl.target) + " (" + sqlWhere(where, h.from) + ")"
		if h.why != "" {
			reason += ": " + h.why
		}
		if n := len(hits) - 1; n > 0 {
			s := "s"
			if n == 1 {
				s = ""
			}
			reason += "; and " + strconv.Itoa(n) + " more statement" + s + " like it"
		}
		r.c.Report(rule, reason)
	}
}

func sqlOn(target string) string {
	if target == "" {
		return ""
	}
	return " on " + target
}

func sqlWhere(where, from string) string {
	if from == "" {
		return where
	}
	return where + ", " + from
}

// sqlCheckDropdb judges dropdb and dropuser, which drop what they name.
func sqlCheckDropdb(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{short: "hpU", long: []string{"--host", "--port", "--username", "--maintenance-db"},
		flags:  []string{"--help", "--version", "--echo", "--interactive", "--force", "--if-exists", "--no-password", "--password"},
		abbrev: true})
	if p.has("--help", "--version", "-V", "-?") {
		return
	}
	if inv.Name == "dropdb" && len(p.pos) == 1 && !p.pos[0].w.Unknown && testDBName(p.pos[0].w.Value) {
		h, hostSet := p.get("-h", "--host")
		host := h.w.Value
		if hostSet && h.w.Unknown {
			host = "?"
		}
		if testDBOnThisMachine(c, testDBHost(c, host, hostSet, "PGHOST")) {
			return // testdb.go: a local test database
		}
	}
	what := "the database"
	if inv.Name == "dropuser" {
		what = "the role"
	}
	name := "named at run time"
	if len(p.pos) > 0 {
		name = sqlSpelling(inv, p.pos[0])
	} else if inv.Name == "dropuser" {
		name = "it prompts for"
	}
	host := ""
	if a, ok := p.get("-h", "--host"); ok {
		host = " on " + sqlSpelling(inv, a)
	}
	where := inv.Name
	if inv.Remote != "" {
		where += " in " + inv.Remote
	}
	c.Report("sql.drop", "drops "+what+" "+name+host+" ("+where+")")
}

// sqlCheckMysqladmin judges "mysqladmin drop DB".
func sqlCheckMysqladmin(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{short: "hPSuciOw", shortOpt: "p#",
		long: []string{"--host", "--port", "--socket", "--user", "--count", "--sleep", "--connect-timeout",
			"--shutdown-timeout", "--defaults-file", "--defaults-extra-file", "--login-path", "--protocol",
			"--default-character-set", "--ssl-mode", "--ssl-ca", "--ssl-cert", "--ssl-key"}})
	for i, a := range p.pos {
		if strings.ToLower(a.w.Value) != "drop" {
			continue
		}
		name := "named at run time"
		if i+1 < len(p.pos) {
			name = sqlSpelling(inv, p.pos[i+1])
		}
		where := inv.Name
		if inv.Remote != "" {
			where += " in " + inv.Remote
		}
		c.Report("sql.drop", "drops the database "+name+" ("+where+")")
		return
	}
}

// sqlCheckPgRestore judges "pg_restore --clean -d DB": it drops every
// object in the dump from the database before recreating it.
func sqlCheckPgRestore(c *Call) {
	inv := c.Inv
	p := sqlParseArgs(inv.Args, sqlArgSpec{short: "dfFIjLnNPSTtUhp",
		long: []string{"--dbname", "--file", "--format", "--index", "--jobs", "--use-list", "--schema",
			"--exclude-schema", "--function", "--superuser", "--table", "--trigger", "--username", "--host", "--port", "--role"},
		flags:  []string{"--clean", "--create", "--data-only", "--schema-only", "--list", "--if-exists", "--single-transaction"},
		abbrev: true})
	db, ok := p.get("-d", "--dbname")
	if !ok || !p.has("-c", "--clean") {
		return
	}
	where := inv.Name
	if inv.Remote != "" {
		where += " in " + inv.Remote
	}
	what := "every object in the dump"
	if p.has("-C", "--create") {
		what = "the whole database"
	}
	c.Report("sql.drop", "drops "+what+" from "+sqlSpelling(inv, db)+" before restoring the dump ("+where+" --clean)")
}
