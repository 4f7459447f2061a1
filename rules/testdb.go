package rules

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/sqlscan"
)

// Test suites drop, truncate and recreate their own databases all day:
// "dropdb --if-exists app_test", "DROP DATABASE IF EXISTS app_test" on
// localhost, "TRUNCATE users" in app_test, "sqlite3 test.db 'DROP TABLE t'",
// mongosh's db.dropDatabase() on mongodb://localhost/app_test. A database is
// a local test database when both hold:
//
//   - its name says so: test, test_*, *_test or *_test_N (the suffix
//     parallel test runners add), in letters, digits and underscores;
//   - it is on this machine: the command does not run on a remote host,
//     and the server it names is localhost, 127.0.0.1, ::1 or a unix
//     socket directory, or no server at all, in which case the client's
//     environment variable (PGHOST, MYSQL_HOST) must not name another
//     machine.
//
// Frameworks name their test database by their environment, not by the
// database's name: Rails' RAILS_ENV=test (or RACK_ENV, as an assignment
// or a rake argument, "bin/rails db:reset RAILS_ENV=test") and Django's
// settings module (--settings or DJANGO_SETTINGS_MODULE) with a component
// that says test (app.settings.test, settings_test, test_settings,
// config.settings.testing). Such a command acts on the test database of
// the project's configuration, on this machine unless DATABASE_URL (which
// both frameworks' usual setups read in every environment) names another
// machine or is not known. Rails' "…:all" tasks act on every environment's
// database and are not covered.
//
// Anything else (another name, another host, a name or host that cannot be
// known) is judged by the SQL, key-value and migrations packs as before.

// testDBName reports whether a database name marks a test database.
func testDBName(name string) bool {
	name = strings.ToLower(name)
	if name == "" {
		return false
	}
	for _, r := range name {
		if r != '_' && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	if name == "test" || strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test") {
		return true
	}
	// *_test_N
	k := strings.LastIndexByte(name, '_')
	if k <= 0 || k == len(name)-1 {
		return false
	}
	for _, r := range name[k+1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return strings.HasSuffix(name[:k], "_test")
}

// testDBLocalHost reports whether a server host names this machine: empty
// (the client's default, a unix socket), localhost, a loopback address or
// a socket directory.
func testDBLocalHost(host string) bool {
	switch strings.ToLower(host) {
	case "", "localhost", "127.0.0.1", "::1", "[::1]":
		return true
	}
	return strings.HasPrefix(host, "/")
}

// testDBEnv returns the value of an environment variable the command gets:
// its own assignment, else the environment the analysis starts from.
func testDBEnv(c *Call, k string) string {
	if v, ok := c.Inv.Assigns[k]; ok {
		return v
	}
	if c.World == nil {
		return ""
	}
	return c.World.Analysis.Env[k]
}

// testDBHost returns the server a client reaches: the host given on its
// command line when given, else the one its environment variable names.
func testDBHost(c *Call, given string, ok bool, envVar string) string {
	if ok {
		return given
	}
	return testDBEnv(c, envVar)
}

// testDBOnThisMachine reports whether the command runs here and reaches a
// server on this machine.
func testDBOnThisMachine(c *Call, host string) bool {
	return c.Inv.Remote == "" && testDBLocalHost(host)
}

// testDBURL reads a connection URL (postgres://, postgresql://, mysql://,
// mongodb://): its host and database name. mongodb+srv:// always names
// servers found through DNS, so it is never local and is not read.
func testDBURL(s string) (host, db string, ok bool) {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return "", "", false
	}
	switch u.Scheme {
	case "postgres", "postgresql", "mysql", "mongodb":
	default:
		return "", "", false
	}
	if strings.Contains(u.Host, ",") {
		return "", "", false // a replica set or several hosts
	}
	host = u.Hostname()
	if h := u.Query().Get("host"); h != "" {
		host = h // postgres://%2Fvar%2Frun/db or ?host=/var/run/postgresql
	}
	return host, strings.TrimPrefix(u.Path, "/"), true
}

// testDBSQLiteFile reports whether a SQLite database file is named as a
// test database: test.db, app_test.sqlite3, db/test.sqlite.
func testDBSQLiteFile(p string) bool {
	base := filepath.Base(p)
	if k := strings.IndexByte(base, '.'); k > 0 {
		base = base[:k]
	}
	return testDBName(base)
}

// sqlDroppedDatabase returns the database a DROP DATABASE statement drops
// when it names exactly one ("DROP DATABASE [IF EXISTS] name [WITH (FORCE)]"),
// else "".
func sqlDroppedDatabase(toks []sqlscan.Token) string {
	if len(toks) < 3 || !toks[0].Is("DROP") || !toks[1].Is("DATABASE") {
		return ""
	}
	i := 2
	if i+1 < len(toks) && toks[i].Is("IF") && toks[i+1].Is("EXISTS") {
		i += 2
	}
	if i >= len(toks) || toks[i].Unknown || (toks[i].Kind != sqlscan.Word && toks[i].Kind != sqlscan.Ident) {
		return ""
	}
	name := toks[i].Text
	if toks[i].Kind == sqlscan.Ident {
		name = toks[i].Val
	}
	rest := toks[i+1:]
	if len(rest) > 0 && rest[0].Kind != sqlscan.End && !rest[0].Is("WITH") {
		return ""
	}
	return name
}

// sqlTestTarget is where a SQL client connects, as its command line says,
// for the test database exemption.
type sqlTestTarget struct {
	// db is the database connected to as spelled ("" when not given), a
	// name or a connection URL; dbEnv the variable that names it when not
	// given (PGDATABASE).
	db, dbEnv string
	// host is the server given on the command line, hostSet whether one
	// was; hostEnv the variable the client reads otherwise (PGHOST).
	host    string
	hostSet bool
	hostEnv string
	// connected: the statements act on the database connected to, which
	// no statement can leave (PostgreSQL, SQLite), so a test database
	// connected to covers TRUNCATE, DELETE and DROP TABLE.
	connected bool
}

// sqlTestOn is a target resolved against the command's environment.
type sqlTestOn struct {
	// connTest: the database connected to is a local test database.
	connTest bool
}

// on resolves the target; nil when the server is not on this machine or
// cannot be told.
func (t *sqlTestTarget) on(c *Call) *sqlTestOn {
	if t == nil {
		return nil
	}
	db, host, hostSet := t.db, t.host, t.hostSet
	if strings.Contains(db, "://") {
		h, d, ok := testDBURL(db)
		if !ok {
			return nil
		}
		db = d
		if !hostSet {
			host, hostSet = h, true
		}
	} else if strings.Contains(db, "=") {
		return nil // a conninfo string: not read
	}
	if db == "" && t.dbEnv != "" {
		db = testDBEnv(c, t.dbEnv)
	}
	if !testDBOnThisMachine(c, testDBHost(c, host, hostSet, t.hostEnv)) {
		return nil
	}
	return &sqlTestOn{connTest: t.connected && testDBName(db)}
}

// covers reports whether a finding is about a local test database: a DROP
// DATABASE of one, or a statement in the test database connected to. After
// a psql \connect nothing is covered.
func (o *sqlTestOn) covers(h sqlHit, attach bool) bool {
	if o == nil || attach {
		return false
	}
	if h.dropsDB != "" {
		return testDBName(h.dropsDB)
	}
	if strings.HasPrefix(strings.ToUpper(h.stmt), "DROP DATABASE") {
		return false // one it could not name
	}
	return o.connTest
}

// testDBMongoTarget reports whether a mongo shell's connection target (its
// first operand, "" when none) and --host name a local test database:
// mongodb://localhost:27017/app_test, localhost/app_test, 127.0.0.1:27017/test,
// or a bare database name (on localhost). The database must be named:
// without one the shell uses its default, "test", where anything may be
// kept.
func testDBMongoTarget(c *Call, target, host string, hostSet bool) bool {
	if c.Inv.Remote != "" || strings.Contains(target, interceptor.UnknownMark) || strings.Contains(host, interceptor.UnknownMark) {
		return false
	}
	if hostSet && !testDBLocalHost(testDBStripPort(host)) {
		return false
	}
	db := ""
	switch {
	case strings.Contains(target, "://"):
		h, d, ok := testDBURL(target)
		if !ok || !testDBLocalHost(h) {
			return false
		}
		db = d
	case strings.Contains(target, "/"):
		h, d, _ := strings.Cut(target, "/")
		if !testDBLocalHost(testDBStripPort(h)) {
			return false
		}
		db = d
	case target != "":
		if strings.Contains(target, ":") || strings.Contains(target, ".") {
			return false // host:port or a host name: no database named
		}
		db = target
	}
	return testDBName(db)
}

// testDBStripPort returns host without a ":port" suffix.
func testDBStripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.Index(host, "]"); i > 0 {
			return host[:i+1]
		}
	}
	if strings.Count(host, ":") == 1 {
		host, _, _ = strings.Cut(host, ":")
	}
	return host
}

// testDBMongoSwitches reports whether mongo shell code may act on another
// database or server than the one connected to: getSiblingDB, getDB, use,
// connect, new Mongo(), db reassigned, adminCommand.
func testDBMongoSwitches(toks []kvJSTok) bool {
	for i, t := range toks {
		if t.kind != kvJSIdent {
			continue
		}
		switch t.text {
		case "getSiblingDB", "getDB", "use", "connect", "Mongo", "getMongo", "adminCommand":
			return true
		case "db":
			if i+1 < len(toks) && toks[i+1].text == "=" && (i+2 >= len(toks) || toks[i+2].text != "=") {
				return true
			}
		}
	}
	return false
}

// testDBFrameworkEnv returns the variables a framework command sees that
// say which environment it runs in: its assignments, then KEY=value
// arguments (rake reads them last), over the environment guard starts from.
func testDBFrameworkEnv(c *Call, args []interceptor.Word, k string) (string, bool) {
	v, ok := c.Inv.Assigns[k]
	for _, a := range args {
		if key, val, is := strings.Cut(a.Value, "="); is && key == k && !a.Unknown {
			v, ok = val, true
		}
	}
	if !ok && c.World != nil {
		v, ok = c.World.Analysis.Env[k]
	}
	return v, ok
}

// testDBURLLocal reports whether the command's DATABASE_URL, when it has
// one, names a database on this machine.
func testDBURLLocal(c *Call, args []interceptor.Word) bool {
	u, ok := testDBFrameworkEnv(c, args, "DATABASE_URL")
	if !ok || u == "" {
		return true
	}
	if strings.Contains(u, interceptor.UnknownMark) {
		return false
	}
	if strings.HasPrefix(u, "sqlite") {
		return true
	}
	h, _, ok := testDBURL(u)
	return ok && testDBLocalHost(h)
}

// testDBRailsTest reports whether a rails or rake task runs in the test
// environment on this machine.
func testDBRailsTest(c *Call, args []interceptor.Word) bool {
	if c.Inv.Remote != "" || !testDBURLLocal(c, args) {
		return false
	}
	env, ok := testDBFrameworkEnv(c, args, "RAILS_ENV")
	if !ok {
		env, ok = testDBFrameworkEnv(c, args, "RACK_ENV")
	}
	return ok && env == "test"
}

// testDBDjangoTest reports whether a Django management command runs with
// test settings on this machine: --settings, else DJANGO_SETTINGS_MODULE,
// names a module with a component that says test.
func testDBDjangoTest(c *Call, settings string, given bool, args []interceptor.Word) bool {
	if c.Inv.Remote != "" || !testDBURLLocal(c, args) {
		return false
	}
	if !given {
		settings, given = testDBFrameworkEnv(c, nil, "DJANGO_SETTINGS_MODULE")
	}
	if !given || strings.Contains(settings, interceptor.UnknownMark) {
		return false
	}
	for _, part := range strings.Split(settings, ".") {
		// tests, testing, app_tests read as test, app_test.
		p := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(part), "ing"), "s")
		if testDBName(p) {
			return true
		}
	}
	return false
}
