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

// TestTestDatabasesMongo: mongosh connected to a local test database may
// drop or empty it; another database, another server, or code that may
// reach another database still confirms.
func TestTestDatabasesMongo(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"mongosh mongodb://localhost:27017/app_test --eval 'db.dropDatabase()'", Allow, ""},
		{"mongosh mongodb://127.0.0.1/test_app --quiet --eval 'db.users.drop()'", Allow, ""},
		{"mongosh app_test --eval 'db.users.deleteMany({})'", Allow, ""},
		{"mongo localhost:27017/app_test_2 --eval 'db.dropDatabase()'", Allow, ""},
		{"mongosh --host localhost app_test --eval 'db.dropDatabase()'", Allow, ""},
		{"mongosh --eval 'db.dropDatabase()'", Confirm, "kv.drop"}, // the default database, "test", is not named
		{"mongosh mongodb://localhost:27017 --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb://localhost:27017/app --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb://db.prod.example.com/app_test --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb+srv://cluster0.example.net/app_test --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh --host db.prod.example.com app_test --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh db.prod.example.com/app_test --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh \"$MONGO_URL\" --eval 'db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb://localhost/app_test --eval 'db.getSiblingDB(\"prod\").dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb://localhost/app_test --eval 'use prod; db.dropDatabase()'", Confirm, "kv.drop"},
		{"mongosh mongodb://localhost/app_test --eval 'db = connect(\"db.example.com/prod\"); db.dropDatabase()'", Confirm, "kv.drop"},
		{`ssh db1 "mongosh app_test --eval 'db.dropDatabase()'"`, Confirm, "kv.drop"},
		{"mongosh mongodb://localhost/app_test --eval 'db.shutdownServer()'", Confirm, "kv.shutdown"},
	}, KVPack())
}

// TestTestDatabasesFrameworks: Rails in its test environment and Django
// with test settings reset the project's test database; other
// environments, settings without test, and a DATABASE_URL on another
// machine still confirm.
func TestTestDatabasesFrameworks(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"RAILS_ENV=test bin/rails db:reset", Allow, ""},
		{"bin/rails db:reset RAILS_ENV=test", Allow, ""},
		{"RAILS_ENV=test bundle exec rake db:drop db:create db:schema:load", Allow, ""},
		{"RACK_ENV=test rake db:purge", Allow, ""},
		{"RAILS_ENV=test DATABASE_URL=postgres://localhost/app_test bin/rails db:reset", Allow, ""},
		{"bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=production bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=test bin/rails db:reset RAILS_ENV=production", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=development bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=test bin/rails db:drop:all", Confirm, "migrations.drop-database"},
		{"RAILS_ENV=test DATABASE_URL=postgres://db.prod.example.com/app bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=test DATABASE_URL=$URL bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"RAILS_ENV=$E bin/rails db:reset", Confirm, "migrations.reset-database"},
		{"ssh app1 RAILS_ENV=test bin/rails db:reset", Confirm, "migrations.reset-database"},

		{"python manage.py flush --settings=app.settings.test --noinput", Allow, ""},
		{"python manage.py flush --settings app.settings.testing --noinput", Allow, ""},
		{"DJANGO_SETTINGS_MODULE=app.settings.test python manage.py flush --noinput", Allow, ""},
		{"./manage.py reset_db --settings=config.test_settings", Allow, ""},
		{"django-admin flush --settings=settings_test", Allow, ""},
		{"python manage.py flush --noinput", Confirm, "migrations.reset-database"},
		{"python manage.py flush --settings=app.settings.prod --noinput", Confirm, "migrations.reset-database"},
		{"python manage.py flush --settings=app.settings.latest", Confirm, "migrations.reset-database"},
		{"DJANGO_SETTINGS_MODULE=app.settings.test python manage.py flush --settings=app.settings.prod", Confirm, "migrations.reset-database"},
		{"DATABASE_URL=postgres://db.prod.example.com/app python manage.py flush --settings=app.settings.test", Confirm, "migrations.reset-database"},
		{"python manage.py flush --settings=$S", Confirm, "migrations.reset-database"},
	}, MigrationsPack())
}
