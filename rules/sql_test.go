package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
	"github.com/guard-dev/guard/rules/lang/sqlscan"
)

// sqlTestFiles are SQL files in the test project, on top of testFS.
func sqlTestFiles() map[string]string {
	return map[string]string{
		testCwd + "/db/seed.sql":      "INSERT INTO users (name) VALUES ('a');\n-- DROP TABLE users;\nSELECT 1;\n",
		testCwd + "/db/reset.sql":     "BEGIN;\nTRUNCATE users;\nCOMMIT;\n",
		testCwd + "/db/main.sql":      "\\i db/seed.sql\n\\ir inner.sql\n",
		testCwd + "/db/inner.sql":     "DELETE FROM sessions;\n",
		testCwd + "/db/loop.sql":      "\\i db/loop.sql\nSELECT 1;\n",
		testCwd + "/db/dump.sql":      sqlTestDump,
		testCwd + "/db/cleandump.sql": "-- clean dump\nDROP TABLE IF EXISTS public.users;\nDROP TABLE IF EXISTS public.orders;\nCREATE TABLE public.users (id int);\n",
		testCwd + "/db/mysql.sql":     "source db/seed.sql\n",
		testCwd + "/db/flush.lua":     "return redis.call('FLUSHALL')\n",
		testCwd + "/db/count.lua":     "return redis.call('DBSIZE')\n",
		testCwd + "/db/drop.js":       "db.getSiblingDB('app').dropDatabase()\n",
		testCwd + "/db/report.js":     "printjson(db.orders.aggregate([{$group: {_id: '$status', n: {$sum: 1}}}]).toArray())\n",
		testCwd + "/db/keys.txt":      "SET a 1\nGET a\n",
		testCwd + "/db/wipe.txt":      "SELECT 2\nFLUSHDB\n",
	}
}

// sqlTestDump is what pg_dump writes: COPY data that holds SQL-looking text
// must not be read as SQL.
const sqlTestDump = `SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TABLE public.notes (id integer, body text);
COPY public.notes (id, body) FROM stdin;
1	DROP TABLE users; it's fine
2	DELETE FROM everything
\.
CREATE INDEX notes_id ON public.notes (id);
`

// judgeFiles is judgeWith in a world that also holds files.
func judgeFiles(t *testing.T, src string, files map[string]string, packs ...*Pack) Verdict {
	t.Helper()
	fsys := testFS()
	for k, v := range files {
		fsys[k] = v
	}
	return judgeIn(t, src, fsys, packs...)
}

// runFileCases is runRuleCases in the world of judgeFiles.
func runFileCases(t *testing.T, cases []ruleCase, files map[string]string, packs ...*Pack) {
	t.Helper()
	runCasesWith(t, cases, func(src string) Verdict { return judgeFiles(t, src, files, packs...) })
}

// sqlFire are commands the sql pack must stop.
func sqlFire() []ruleCase {
	return []ruleCase{
		// The corpus.
		{`psql "$DATABASE_URL" -c "DROP SCHEMA public CASCADE"`, Confirm, "sql.drop"},
		{`psql -h db.prod.internal -c 'truncate table orders'`, Confirm, "sql.truncate"},
		{`psql app -c 'DELETE FROM users'`, Confirm, "sql.delete-all"},
		{`psql -h db.prod -c 'DELETE FROM users WHERE id > 0'`, Confirm, "sql.delete-all"},
		{`mysql -e 'UPDATE orders SET total = 0 WHERE order_id IS NOT NULL'`, Confirm, "sql.update-all"},
		{`psql -h db.prod -c 'ALTER TABLE users ALTER COLUMN balance TYPE int USING 0'`, Confirm, "sql.update-all"},
		{`psql -c "UPDATE accounts SET balance = 0"`, Confirm, "sql.update-all"},
		{"psql -v ON_ERROR_STOP=1 \"$DATABASE_URL\" <<SQL\nALTER TABLE users DROP COLUMN email;\nSQL", Confirm, "sql.alter-drop"},
		{`mysql -u root -p shop -e "DROP TABLE customers"`, Confirm, "sql.drop"},
		{`mysql --execute="TRUNCATE orders" shop`, Confirm, "sql.truncate"},
		{`sqlite3 prod.db "DELETE FROM events"`, Confirm, "sql.delete-all"},
		{`dropdb app_production`, Confirm, "sql.drop"},
		{`echo "DROP DATABASE app;" | mysql -u root`, Confirm, "sql.drop"},
		{"cat <<'EOF' | psql \"$DATABASE_URL\"\nTRUNCATE users CASCADE;\nEOF", Confirm, "sql.truncate"},
		{`ssh db1 'dropdb app'`, Confirm, "sql.drop"},
		{`docker exec -it pg psql -U postgres -c 'DROP DATABASE shop'`, Confirm, "sql.drop"},
		// Other spellings of the options.
		{`psql --command="drop table users"`, Confirm, "sql.drop"},
		{`psql --command 'drop table users'`, Confirm, "sql.drop"},
		{`psql --comm='drop table users'`, Confirm, "sql.drop"},
		{`psql -tAc 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`psql -c'DROP TABLE users'`, Confirm, "sql.drop"},
		{`psql -c 'SELECT 1' -c 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`mysql -e'DELETE FROM orders' shop`, Confirm, "sql.delete-all"},
		{`mysql --exec="DELETE FROM orders" shop`, Confirm, "sql.delete-all"},
		{`mariadb -D shop --execute 'drop database shop'`, Confirm, "sql.drop"},
		{`mycli -e 'DROP TABLE t' shop`, Confirm, "sql.drop"},
		{`pgcli -c 'truncate t' app`, Confirm, "sql.truncate"},
		{`usql pg://localhost/app -c 'DROP TABLE t'`, Confirm, "sql.drop"},
		{`duckdb data.duckdb "DROP TABLE t"`, Confirm, "sql.drop"},
		{`duckdb data.duckdb -c "DELETE FROM t"`, Confirm, "sql.delete-all"},
		{`sqlite3 -bail app.db "DROP TABLE t"`, Confirm, "sql.drop"},
		{`sqlite3 app.db -cmd "DROP TABLE t"`, Confirm, "sql.drop"},
		{`sqlcmd -S prod -d shop -Q "DROP TABLE dbo.orders"`, Confirm, "sql.drop"},
		{`sqlcmd -Q "SELECT 1 DELETE FROM orders"`, Confirm, "sql.delete-all"},
		{`sqlcmd -Q "EXEC sp_MSforeachtable 'DELETE FROM ?'"`, Confirm, "sql.delete-all"},
		{`clickhouse-client --query "DROP TABLE events"`, Confirm, "sql.drop"},
		{`clickhouse-client -q 'TRUNCATE TABLE events'`, Confirm, "sql.truncate"},
		{`clickhouse client --query="ALTER TABLE events DELETE WHERE 1"`, Confirm, "sql.delete-all"},
		{`clickhouse-client --max_threads 4 --query 'ALTER TABLE t DROP PARTITION 202401'`, Confirm, "sql.alter-drop"},
		{`cockroach sql --url "$CRDB" -e 'DROP DATABASE bank CASCADE'`, Confirm, "sql.drop"},
		{`cqlsh -e 'DROP KEYSPACE shop'`, Confirm, "sql.drop"},
		{`dropuser alice`, Confirm, "sql.drop"},
		{`mysqladmin -u root -f drop shop`, Confirm, "sql.drop"},
		{`pg_restore --clean -d app dump.pgc`, Confirm, "sql.drop"},
		{`kubectl exec -it pg-0 -- psql -c 'DROP TABLE users'`, Confirm, "sql.drop"},
		{`ssh db1 "psql -c 'DELETE FROM users'"`, Confirm, "sql.delete-all"},
		{`sudo -u postgres psql -c 'DROP DATABASE app'`, Confirm, "sql.drop"},
		// Stdin in every form.
		{`psql app <<< 'DELETE FROM users'`, Confirm, "sql.delete-all"},
		{`printf 'DROP TABLE %s;\n' users | psql app`, Confirm, "sql.drop"},
		{"mysql shop <<'EOF'\nSELECT 1;\nDELETE FROM orders;\nEOF", Confirm, "sql.delete-all"},
		{`sqlite3 app.db <<< '.tables
DELETE FROM t;'`, Confirm, "sql.delete-all"},
		{`psql -f - app <<< 'DROP TABLE users'`, Confirm, "sql.drop"},
		// Several statements, case, comments that end.
		{`psql -c 'SELECT 1; drop table users'`, Confirm, "sql.drop"},
		{"psql -c 'SELECT 1; -- comment\nDROP TABLE users'", Confirm, "sql.drop"},
		{`psql -c '/* note */ DROP TABLE users'`, Confirm, "sql.drop"},
		{`psql -c '/* outer /* nested */ still */ DROP TABLE users'`, Confirm, "sql.drop"},
		{`mysql -e '/*!40101 DROP TABLE users */'`, Confirm, "sql.drop"},
		{`psql -c "SELECT 'it''s'; DELETE FROM users"`, Confirm, "sql.delete-all"},
		{`psql -c 'SELECT $$ a ; b $$; TRUNCATE t'`, Confirm, "sql.truncate"},
		// WHERE that does not filter.
		{`psql -c 'UPDATE users SET active = (SELECT false FROM flags WHERE id = 1)'`, Confirm, "sql.update-all"},
		{`psql -c 'WITH old AS (SELECT id FROM users WHERE age > 90) DELETE FROM users'`, Confirm, "sql.delete-all"},
		{`psql -c 'DELETE FROM users WHERE 1=1'`, Confirm, "sql.delete-all"},
		{`psql -c 'DELETE FROM users WHERE true'`, Confirm, "sql.delete-all"},
		{`psql -c "UPDATE users SET x = 1 WHERE id = 5 OR 'a' = 'a'"`, Confirm, "sql.update-all"},
		{`psql -c 'DELETE FROM users RETURNING *'`, Confirm, "sql.delete-all"},
		{`psql -c 'UPDATE a SET x = b.y FROM b'`, Confirm, "sql.update-all"},
		{`psql -c 'WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone'`, Confirm, "sql.delete-all"},
		{`psql -c 'WITH values AS (SELECT 1), t AS (SELECT 2) DELETE FROM users'`, Confirm, "sql.delete-all"},
		{`sqlite3 app.db '.once |dropdb app'`, Confirm, "sql.drop"},
		{`psql -c 'EXPLAIN ANALYZE DELETE FROM users'`, Confirm, "sql.delete-all"},
		{`psql -c 'EXPLAIN (ANALYZE, BUFFERS) DELETE FROM users'`, Confirm, "sql.delete-all"},
		// ALTER and kin.
		{`psql -c 'ALTER TABLE users DROP email'`, Confirm, "sql.alter-drop"},
		{`mysql -e 'ALTER TABLE users ADD COLUMN x int, DROP COLUMN email' shop`, Confirm, "sql.alter-drop"},
		{`mysql -e 'ALTER TABLE t TRUNCATE PARTITION p0' shop`, Confirm, "sql.truncate"},
		{`duckdb app.db 'CREATE OR REPLACE TABLE users AS SELECT 1'`, Confirm, "sql.drop"},
		// Dynamic SQL.
		{`psql -c 'DO $$ BEGIN DROP TABLE users; END $$'`, Confirm, "sql.drop"},
		{`psql -c "DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables LOOP EXECUTE 'DROP TABLE ' || r.tablename; END LOOP; END \$\$"`, Confirm, "sql.drop"},
		{`psql -c "DO \$\$ BEGIN EXECUTE some_var; END \$\$"`, Confirm, "sql.unknown"},
		{`psql -c 'PREPARE wipe AS DELETE FROM users; EXECUTE wipe'`, Confirm, "sql.delete-all"},
		{`mysql -e "PREPARE s FROM 'DROP TABLE users'; EXECUTE s" shop`, Confirm, "sql.drop"},
		{`psql -v t=users -c 'TRUNCATE :t'`, Confirm, "sql.truncate"},
		{`psql -v cmd='DROP TABLE users' -c ':cmd'`, Confirm, "sql.drop"},
		{`psql -c "SELECT format('DROP TABLE %I', tablename) FROM pg_tables" -c '\gexec'`, Confirm, "sql.unknown"},
		// Not statically known.
		{`psql -c "$(cat migration.sql)"`, Confirm, "sql.unknown"},
		{`psql -c "$QUERY"`, Confirm, "sql.unknown"},
		{`psql -c "DELETE FROM users WHERE id = $ID"`, Confirm, "sql.unknown"},
		{`psql app < missing.sql`, Confirm, "sql.unknown"},
		{`curl -s https://x.example/dump.sql | psql app`, Confirm, "sql.unknown"},
		{`pg_dump prod | psql staging`, Confirm, "sql.unknown"},
		{`psql -f missing.sql app`, Confirm, "sql.unknown"},
		{`docker exec pg psql -f /tmp/x.sql`, Confirm, "sql.unknown"},
		{`psql -c '\i /nonexistent.sql'`, Confirm, "sql.unknown"},
		// Client commands that run shell code.
		{`psql -c '\! dropdb app'`, Confirm, "sql.drop"},
		{`sqlite3 app.db '.shell dropdb app'`, Confirm, "sql.drop"},
		{`mysql -e 'system dropdb app' shop`, Confirm, "sql.drop"},
		{`psql -c '\o |psql -c "DROP TABLE x"'`, Confirm, "sql.drop"},
		{`psql -c '\! $(cat cmd)'`, Confirm, "meta.unknown"},
		{`psql -c "\! $CMD"`, Confirm, "sql.unknown"},
		{`sqlite3 app.db '.restore backup.db'`, Confirm, "sql.drop"},
	}
}

// sqlQuiet are commands the sql pack must let through.
func sqlQuiet() []ruleCase {
	return []ruleCase{
		// The corpus.
		{`psql -c 'select now()'`, Allow, ""},
		{`psql -h db.prod -c 'DELETE FROM users WHERE id > 100'`, Allow, ""},
		{`psql -h db.prod -c 'ALTER TABLE users ALTER COLUMN balance TYPE numeric USING balance::numeric'`, Allow, ""},
		{`psql "$DATABASE_URL" -c "SELECT id, email FROM users LIMIT 10"`, Allow, ""},
		{`mysql -e 'SELECT COUNT(*) FROM orders'`, Allow, ""},
		{`sqlite3 data.db 'SELECT * FROM migrations'`, Allow, ""},
		{`sqlite3 test.db .schema`, Allow, ""},
		{`echo 'DROP TABLE users; -- never do this'`, Allow, ""},
		{`grep -rn "DROP TABLE" migrations/`, Allow, ""},
		// Interactive sessions.
		{`psql`, Allow, ""},
		{`psql "$DATABASE_URL"`, Allow, ""},
		{`psql -h db.prod.internal -U app app`, Allow, ""},
		{`mysql -u root -p shop`, Allow, ""},
		{`sqlite3 prod.db`, Allow, ""},
		{`docker exec -it pg psql -U postgres`, Allow, ""},
		{`psql --help`, Allow, ""},
		{`psql -l`, Allow, ""},
		// Everyday SQL.
		{`psql -c "INSERT INTO users (name) VALUES ('DROP TABLE x')"`, Allow, ""},
		{`psql -c 'DELETE FROM users WHERE id = 7'`, Allow, ""},
		{`psql -c "UPDATE users SET name = 'x' WHERE id IN (SELECT id FROM old)"`, Allow, ""},
		{`psql -c 'CREATE TABLE t (id int); CREATE INDEX ON t (id)'`, Allow, ""},
		{`psql -c 'EXPLAIN DELETE FROM users'`, Allow, ""},
		{`psql -c 'EXPLAIN (ANALYZE false) DELETE FROM users'`, Allow, ""},
		{`psql -c '\d users'`, Allow, ""},
		{`psql -c '\dt'`, Allow, ""},
		{`psql app -c '\l'`, Allow, ""},
		{`sqlite3 app.db .tables`, Allow, ""},
		{`sqlite3 app.db '.schema users'`, Allow, ""},
		{`mysql -e 'SHOW TABLES' shop`, Allow, ""},
		{`mysql -e "SELECT * FROM t WHERE note = 'DELETE FROM t'" shop`, Allow, ""},
		{`psql -c 'SELECT 1 -- DROP TABLE users'`, Allow, ""},
		{"psql -c 'SELECT 1 -- ; DROP TABLE users'", Allow, ""},
		{"psql -c 'SELECT 1 DROP TABLE users'", Allow, ""},
		{`psql -c '/* DROP TABLE users */ SELECT 1'`, Allow, ""},
		{`psql -c 'SELECT $tag$ DROP TABLE users; $tag$'`, Allow, ""},
		{`psql -c 'SELECT "drop" FROM t'`, Allow, ""},
		{"mysql -e 'SELECT 1 # DROP TABLE users' shop", Allow, ""},
		{"mysql -e 'SELECT `drop` FROM t' shop", Allow, ""},
		{`psql -c 'SELECT * FROM t FOR UPDATE'`, Allow, ""},
		{`psql -c 'INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET x = 1'`, Allow, ""},
		{`psql -c 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) ON DELETE CASCADE'`, Allow, ""},
		{`psql -c 'ALTER TABLE t ALTER COLUMN c DROP NOT NULL'`, Allow, ""},
		{`psql -c 'ALTER TABLE t DROP CONSTRAINT t_pkey'`, Allow, ""},
		{`psql -c 'CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql'`, Allow, ""},
		{`psql -c 'GRANT SELECT, UPDATE, DELETE ON t TO app'`, Allow, ""},
		{`psql -c 'BEGIN; DELETE FROM users; ROLLBACK'`, Allow, ""},
		{`psql -c "SELECT 'a' = 'b'"`, Allow, ""},
		{`mysql -e 'DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id' shop`, Allow, ""},
		{`mysql --safe-updates -e 'DELETE FROM t' shop`, Allow, ""},
		{`mysql -e 'DROP TEMPORARY TABLE tmp' shop`, Allow, ""},
		{`sqlcmd -Q "UPDATE STATISTICS dbo.orders"`, Allow, ""},
		{`sqlcmd -S prod -Q "SELECT name FROM sys.tables"`, Allow, ""},
		{`clickhouse-client --query 'SYSTEM DROP DNS CACHE'`, Allow, ""},
		{`clickhouse-client --query "SELECT count() FROM events"`, Allow, ""},
		{`clickhouse-client --query 'INSERT INTO t FORMAT CSV' < data.csv`, Allow, ""},
		{`psql -c 'COPY t FROM STDIN' < data.csv`, Allow, ""},
		{`sqlite3 :memory: 'CREATE TABLE t(x); DROP TABLE t'`, Allow, ""},
		{`sqlite3 'DROP TABLE t'`, Allow, ""},
		{`sqlite3 -readonly prod.db 'DELETE FROM t'`, Allow, ""},
		{`cockroach start --insecure`, Allow, ""},
		{`clickhouse server`, Allow, ""},
		{`pg_restore -d app dump.pgc`, Allow, ""},
		{`cqlsh -e "DELETE FROM shop.users WHERE id = 1"`, Allow, ""},
		{`psql -c 'SELECT 1' -c '\! echo hi'`, Allow, ""},
		{`psql <<< 'SELECT 1'`, Allow, ""},
		{"psql app <<'SQL'\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nSQL", Allow, ""},
	}
}

func TestSQLPackFires(t *testing.T) {
	runRuleCases(t, sqlFire(), SQLPack(), MetaPack())
}

func TestSQLPackQuiet(t *testing.T) {
	runRuleCases(t, sqlQuiet(), SQLPack(), MetaPack())
}

// TestSQLPackFiles covers -f, included files and stdin from files.
func TestSQLPackFiles(t *testing.T) {
	runFileCases(t, []ruleCase{
		{`psql -f db/seed.sql app`, Allow, ""},
		{`psql app < db/seed.sql`, Allow, ""},
		{`psql --file=db/reset.sql app`, Confirm, "sql.truncate"},
		{`psql app -f db/main.sql`, Confirm, "sql.delete-all"},
		{`psql -c '\i db/main.sql'`, Confirm, "sql.delete-all"},
		{`psql -f db/loop.sql`, Allow, ""},
		{`psql app < db/dump.sql`, Allow, ""},
		{`psql app < db/cleandump.sql`, Confirm, "sql.drop"},
		{`cat db/cleandump.sql | psql app`, Confirm, "sql.drop"},
		{`mysql shop < db/mysql.sql`, Allow, ""},
		{`sqlite3 app.db '.read db/inner.sql'`, Confirm, "sql.delete-all"},
		{`sqlite3 app.db < db/seed.sql`, Allow, ""},
		{`sqlcmd -i db/seed.sql,db/inner.sql`, Confirm, "sql.delete-all"},
		{`cd db && psql -f inner.sql`, Confirm, "sql.delete-all"},
		{`clickhouse-client --queries-file db/seed.sql`, Allow, ""},
	}, sqlTestFiles(), SQLPack(), MetaPack())
}

// TestSQLReasons checks that reasons name the statement, the database and
// where the client runs.
func TestSQLReasons(t *testing.T) {
	cases := []struct{ src, rule, want string }{
		{`psql "$DATABASE_URL" -c "DROP SCHEMA public CASCADE"`, "sql.drop", "runs DROP SCHEMA public CASCADE on $DATABASE_URL (psql)"},
		{`psql app -c 'DELETE FROM users'`, "sql.delete-all", "runs DELETE FROM users on app (psql): without WHERE it deletes every row"},
		{`docker exec -it pg psql -U postgres -c 'DROP DATABASE shop'`, "sql.drop", "(psql in docker exec pg)"},
		{`dropdb app_production`, "sql.drop", "drops the database app_production (dropdb)"},
		{`ssh db1 'dropdb app'`, "sql.drop", "drops the database app (dropdb in ssh db1)"},
		{`psql -h db.prod.internal -c 'truncate table orders'`, "sql.truncate", "on db.prod.internal"},
		{`psql postgres://app:s3cret@db/app -c 'DROP TABLE t'`, "sql.drop", "postgres://app:***@db/app"},
		{`psql app < missing.sql`, "sql.unknown", "cannot see the SQL psql reads from file missing.sql"},
		{`psql -c 'DROP TABLE a; DROP TABLE b; DROP TABLE c'`, "sql.drop", "and 2 more statements"},
		{`psql -c 'DELETE FROM t WHERE 1 = 1'`, "sql.delete-all", "WHERE 1 = 1 holds for every row"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, SQLPack())
		ok := false
		for _, f := range v.Findings {
			if f.Rule == c.rule && strings.Contains(f.Reason, c.want) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: want a %s finding containing %q; got %+v", c.src, c.rule, c.want, v.Findings)
		}
	}
}

// TestSQLCorpus judges the database lines of the shared corpus.
func TestSQLCorpus(t *testing.T) {
	block := []string{
		`psql "$DATABASE_URL" -c "DROP SCHEMA public CASCADE"`,
		`psql -h db.prod.internal -c 'truncate table orders'`,
		`psql app -c 'DELETE FROM users'`,
		`psql -c "UPDATE accounts SET balance = 0"`,
		`psql -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL\nALTER TABLE users DROP COLUMN email;\nSQL`,
		`mysql -u root -p shop -e "DROP TABLE customers"`,
		`mysql --execute="TRUNCATE orders" shop`,
		`sqlite3 prod.db "DELETE FROM events"`,
		`dropdb app_production`,
		`echo "DROP DATABASE app;" | mysql -u root`,
		`cat <<'EOF' | psql "$DATABASE_URL"\nTRUNCATE users CASCADE;\nEOF`,
		`ssh db1 'dropdb app'`,
		`docker exec -it pg psql -U postgres -c 'DROP DATABASE shop'`,
	}
	for _, src := range block {
		src = strings.ReplaceAll(src, `\n`, "\n")
		if v := judgeWith(t, src, SQLPack()); v.Decision != Confirm {
			t.Errorf("%q: got %s, want confirm", src, v.Decision)
		}
	}
}

func TestSQLTautology(t *testing.T) {
	pg := sqlscan.Postgres()
	cases := map[string]bool{
		"1=1":                true,
		"1 = 1":              true,
		"TRUE":               true,
		"1":                  true,
		"(1 = 1)":            true,
		"'a' = 'a'":          true,
		"id = id":            true,
		"NOT FALSE":          true,
		"1 <> 2":             true,
		"id = 5 OR 1 = 1":    true,
		"0":                  false,
		"FALSE":              false,
		"id = 5":             false,
		"1 = 1 AND id = 5":   false,
		"'a' = 'b'":          false,
		"id IN (1, 2)":       false,
		"(a OR 1 = 1) AND b": false,
		"NULL = NULL":        false,
		// Id columns against the first ids, or required to be set.
		"id > 0":             true,
		"users.id >= 1":      true,
		"user_id > -1":       true,
		"id IS NOT NULL":     true,
		"id > 100":           false,
		"id >= 2":            false,
		"price > 0":          false,
		"email IS NOT NULL":  false,
		"id IS NULL":         false,
		"id > 0 AND org = 5": false,
	}
	for in, want := range cases {
		toks := sqlscan.Scan(in, pg, nil)
		if got := sqlTautology(toks); got != want {
			t.Errorf("%q: got %v, want %v", in, got, want)
		}
	}
}

func TestSQLVarRefs(t *testing.T) {
	cases := map[string][]string{
		`psql "$DATABASE_URL" -c x`:     {"$DATABASE_URL"},
		`psql ${DB} -c "$(cat q)" $1`:   {"${DB}", "$(…)", "$1"},
		`psql -c '$NOT_A_VAR' "$URL"`:   {"$URL"},
		`psql \$HOME`:                   nil,
		"psql `pick-db`":                {"`…`"},
		`psql "$(echo "$(nested)")" $B`: {"$(…)", "$B"},
	}
	for in, want := range cases {
		if got := sqlVarRefs(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestSQLRedact(t *testing.T) {
	cases := map[string]string{
		"postgres://app:s3cret@db:5432/app":       "postgres://app:***@db:5432/app",
		"postgres://app@db/app":                   "postgres://app@db/app",
		"mysql://u:p@h/db?x=1":                    "mysql://u:***@h/db?x=1",
		"host=db password=abc dbname=x":           "host=db password=*** dbname=x",
		"postgres://db/app?sslmode=require":       "postgres://db/app?sslmode=require",
		"postgres://db/app?user=a&password=b&x=1": "postgres://db/app?user=a&password=***&x=1",
		"app": "app",
	}
	for in, want := range cases {
		if got := sqlRedact(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestSQLParseArgs(t *testing.T) {
	words := func(s ...string) []interceptor.Word {
		var out []interceptor.Word
		for _, v := range s {
			out = append(out, interceptor.Word{Value: v})
		}
		return out
	}
	p := sqlParseArgs(words("-tAc", "SELECT 1", "app", "--set=x=1", "-Upostgres", "--", "-notopt"), sqlSpecPsql())
	if a, ok := p.get("-c"); !ok || a.w.Value != "SELECT 1" || a.idx != 1 {
		t.Errorf("-tAc: %+v", p)
	}
	if a, ok := p.get("-U"); !ok || a.w.Value != "postgres" || a.idx != -1 {
		t.Errorf("-Upostgres: %+v", p)
	}
	if a, ok := p.get("--set"); !ok || a.w.Value != "x=1" {
		t.Errorf("--set=: %+v", p)
	}
	if len(p.pos) != 2 || p.pos[0].w.Value != "app" || p.pos[1].w.Value != "-notopt" {
		t.Errorf("operands: %+v", p.pos)
	}
	// mysql -p takes only an attached value.
	p = sqlParseArgs(words("-u", "root", "-p", "shop", "-psecret"), sqlSpecMySQL())
	if len(p.pos) != 1 || p.pos[0].w.Value != "shop" {
		t.Errorf("mysql -p: %+v", p)
	}
	// Abbreviations of long options, when unique.
	p = sqlParseArgs(words("--exec", "DROP TABLE t"), sqlSpecMySQL())
	if _, ok := p.get("--execute"); !ok {
		t.Errorf("mysql --exec: %+v", p)
	}
	// sqlite3: one dash, options anywhere, two-valued options.
	p = sqlParseArgs(words("app.db", "-lookaside", "1", "2", "-cmd", "SELECT 1", "DROP TABLE t"), sqlSpecSQLite())
	if len(p.pos) != 2 || p.pos[1].w.Value != "DROP TABLE t" {
		t.Errorf("sqlite3: %+v", p)
	}
}

// FuzzSQLClients feeds arbitrary text to every client as SQL and as stdin:
// no input may make a pack fail.
func FuzzSQLClients(f *testing.F) {
	for _, s := range []string{
		"DROP TABLE t", "SELECT 'a", "$$", "$a$ x", "/* /* */", "\\i", "\\", ".read", ":r", "!!",
		"DELIMITER", "delimiter //\nx //", "COPY t FROM STDIN;", "WITH a AS (DELETE FROM t) SELECT 1",
		"EXPLAIN (ANALYZE", "DO $$", "PREPARE", "EXECUTE", "ALTER TABLE t DROP", "UPDATE", "DELETE FROM t WHERE",
		"db.x.drop(", "deleteMany(", "load(", "(((", ")))", "E'\\", ":'", ":a", "`", "[", "\uFFFF", "'\uFFFF",
	} {
		f.Add(s)
	}
	packs := []*Pack{SQLPack(), KVPack()}
	e, err := NewEngine(packs, nil)
	if err != nil {
		f.Fatal(err)
	}
	clients := [][]string{
		{"psql", "-c"}, {"mysql", "-e"}, {"sqlite3", "x.db"}, {"duckdb", "x.db"}, {"sqlcmd", "-Q"},
		{"clickhouse-client", "-q"}, {"cqlsh", "-e"}, {"redis-cli"}, {"mongosh", "--eval"}, {"influx", "-execute"},
		{"etcdctl", "del"}, {"dropdb"}, {"mysqladmin", "drop"}, {"pg_restore", "-c", "-d"},
	}
	f.Fuzz(func(t *testing.T, src string) {
		w := testWorld(testFS())
		for _, cl := range clients {
			var args []interceptor.Word
			for _, a := range cl[1:] {
				args = append(args, interceptor.Word{Value: a})
			}
			withArg := append(args, interceptor.Word{Value: src, Unknown: strings.Contains(src, interceptor.UnknownMark)})
			invs := []interceptor.Invocation{
				{Name: cl[0], Args: withArg, Cwd: testCwd, Home: testHome},
				{Name: cl[0], Args: args, Cwd: testCwd, Home: testHome, Stdin: &interceptor.Stream{Known: true, Data: src, From: "heredoc"}},
			}
			for _, f := range e.Evaluate(invs, w).Findings {
				if f.Rule == "meta.internal-error" {
					t.Fatalf("%s on %q: %s", cl[0], src, f.Reason)
				}
			}
		}
	})
}
