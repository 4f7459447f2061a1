package rules

import "testing"

func TestTestDBName(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{
		{"test", true}, {"app_test", true}, {"test_app", true}, {"app_test_3", true}, {"APP_TEST", true},
		{"app", false}, {"prod", false}, {"latest", false}, {"contest", false}, {"app_test_x", false},
		{"app_tests", false}, {"", false}, {"app-test", false}, {"$DB", false}, {"_test_", false},
	} {
		if got := testDBName(c.name); got != c.want {
			t.Errorf("testDBName(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestTestDatabases: dropping or emptying a local test database is
// everyday (testdb.go); another database, another host or a host that
// cannot be told is judged as before.
func TestTestDatabases(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"dropdb --if-exists app_test", Allow, ""},
		{"dropdb -h localhost test_app", Allow, ""},
		{"dropdb --host=/var/run/postgresql app_test_2", Allow, ""},
		{"PGHOST=127.0.0.1 dropdb app_test", Allow, ""},
		{"dropdb prod", Confirm, "sql.drop"},
		{"dropdb app", Confirm, "sql.drop"},
		{"dropdb -h db.prod.example.com app_test", Confirm, "sql.drop"},
		{"PGHOST=db.prod.example.com dropdb app_test", Confirm, "sql.drop"},
		{"dropdb -h $DBHOST app_test", Confirm, "sql.drop"},
		{"dropdb $DB", Confirm, "sql.drop"},
		{"ssh db1 dropdb app_test", Confirm, "sql.drop"},
		{"dropuser test", Confirm, "sql.drop"},

		{"psql -h localhost -c 'DROP DATABASE IF EXISTS app_test'", Allow, ""},
		{"psql -c 'DROP DATABASE test_app WITH (FORCE)'", Allow, ""},
		{"psql -h localhost -d app_test -c 'TRUNCATE users'", Allow, ""},
		{"psql postgres://localhost/app_test -c 'DELETE FROM users'", Allow, ""},
		{"psql -h localhost -c 'DROP DATABASE app'", Confirm, "sql.drop"},
		{"psql -h db.prod.example.com -c 'DROP DATABASE app_test'", Confirm, "sql.drop"},
		{"PGHOST=db.prod.example.com psql -c 'DROP DATABASE app_test'", Confirm, "sql.drop"},
		{"psql -h localhost -d app_test -c 'DROP DATABASE prod'", Confirm, "sql.drop"},
		{"psql -h localhost -d app -c 'TRUNCATE users'", Confirm, "sql.truncate"},
		{"psql postgres://db.example.com/app_test -c 'TRUNCATE users'", Confirm, "sql.truncate"},
		{"psql \"$DATABASE_URL\" -c 'TRUNCATE users'", Confirm, "sql.truncate"},
		{"psql 'host=db.example.com dbname=app_test' -c 'TRUNCATE users'", Confirm, "sql.truncate"},
		{"psql -d app_test -c 'TRUNCATE users' -c '\\c prod' -c 'TRUNCATE users'", Confirm, "sql.truncate"},
		{"psql -d app_test -c 'DROP DATABASE test_a, prod'", Confirm, "sql.drop"},

		{"mysql -h 127.0.0.1 -e 'DROP DATABASE IF EXISTS app_test'", Allow, ""},
		{"mysql -h 127.0.0.1 -e 'DROP DATABASE app'", Confirm, "sql.drop"},
		{"mysql -h 127.0.0.1 app_test -e 'TRUNCATE prod.users'", Confirm, "sql.truncate"},
		{"mysql -h db.example.com -e 'DROP DATABASE app_test'", Confirm, "sql.drop"},

		{"sqlite3 test.db 'DROP TABLE users'", Allow, ""},
		{"sqlite3 db/app_test.sqlite3 'DELETE FROM users'", Allow, ""},
		{"sqlite3 app.db 'DROP TABLE users'", Confirm, "sql.drop"},
		{"sqlite3 test.db \"ATTACH 'prod.db' AS p\" 'DROP TABLE p.users'", Confirm, "sql.drop"},
	}, SQLPack())
}
