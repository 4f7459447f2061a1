package rules

import (
	"net/url"
	"path/filepath"
	"strings"

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
// Anything else (another name, another host, a name or host that cannot be
// known) is judged by the SQL and key-value packs as before.

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
