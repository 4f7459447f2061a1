package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// sqlPieces renders a script as its statements ("DROP TABLE t") and client
// commands ("meta \i a.sql").
func sqlPieces(src string, d sqlDialect, vars map[string]string) []string {
	var out []string
	for _, st := range splitSQL(scanSQL(src, d, vars), d) {
		if st.meta != nil {
			out = append(out, strings.TrimSpace("meta "+st.meta.text+" "+st.meta.val))
			continue
		}
		out = append(out, sqlText(st.toks))
	}
	return out
}

func TestSQLSplit(t *testing.T) {
	pg, my, lite, tsql, ch := sqlDialectPostgres(), sqlDialectMySQL(), sqlDialectSQLite(), sqlDialectTSQL(), sqlDialectClickHouse()
	u := interceptor.UnknownMark
	cases := []struct {
		name string
		d    sqlDialect
		src  string
		want []string
	}{
		{"statements", pg, "SELECT 1; DROP TABLE t ;", []string{"SELECT 1", "DROP TABLE t"}},
		{"no final semicolon", pg, "SELECT 1;DELETE FROM t", []string{"SELECT 1", "DELETE FROM t"}},
		{"empty statements", pg, ";;  ; SELECT 1;;", []string{"SELECT 1"}},
		{"line comment", pg, "SELECT 1 -- ; DROP TABLE t\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"block comment", pg, "/* DROP TABLE t; */ SELECT 1", []string{"SELECT 1"}},
		{"nested comment postgres", pg, "/* a /* b */ DROP TABLE t; */ SELECT 1", []string{"SELECT 1"}},
		{"comment not nested sqlite", lite, "/* a /* b */ DROP TABLE t; */ SELECT 1", []string{"DROP TABLE t", "*/ SELECT 1"}},
		{"quotes", pg, "SELECT 'a;b', 'it''s; DROP TABLE t'; SELECT 2", []string{"SELECT 'a;b', 'it''s; DROP TABLE t'", "SELECT 2"}},
		{"double quoted identifier", pg, `SELECT "a;b" FROM "DROP"`, []string{`SELECT "a;b" FROM "DROP"`}},
		{"E string", pg, `SELECT E'it\'s; DROP TABLE t'; SELECT 2`, []string{`SELECT E'it\'s; DROP TABLE t'`, "SELECT 2"}},
		{"standard string keeps backslash", pg, `SELECT 'a\'; DROP TABLE t`, []string{`SELECT 'a\'`, "DROP TABLE t"}},
		{"dollar quotes", pg, "SELECT $$a; DROP TABLE t$$; SELECT 2", []string{"SELECT $$a; DROP TABLE t$$", "SELECT 2"}},
		{"tagged dollar quotes", pg, "SELECT $f$ $$; DROP $$ $f$; SELECT 2", []string{"SELECT $f$ $$; DROP $$ $f$", "SELECT 2"}},
		{"positional parameter", pg, "SELECT $1; SELECT 2", []string{"SELECT $1", "SELECT 2"}},
		{"semicolon in parentheses", pg, "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELECT 3", []string{"CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)", "SELECT 3"}},
		{"psql meta", pg, "\\dt\nSELECT 1;\n\\i other.sql\n", []string{"meta \\dt", "SELECT 1", "meta \\i other.sql"}},
		{"psql meta ends statement", pg, "SELECT 1 \\gx\nSELECT 2", []string{"SELECT 1", "meta \\gx", "SELECT 2"}},
		{"psql meta separator", pg, "\\x \\\\ SELECT 1", []string{"meta \\x", "SELECT 1"}},
		{"psql backslash-semicolon", pg, "SELECT 1 \\; DROP TABLE t", []string{"SELECT 1", "DROP TABLE t"}},
		{"psql backslash in string", pg, "SELECT '\\! rm'", []string{"SELECT '\\! rm'"}},
		{"psql cast is not a variable", pg, "SELECT x::text", []string{"SELECT x::text"}},
		{"begin atomic", pg, "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END; DROP TABLE t", []string{"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END", "DROP TABLE t"}},
		{"copy data", pg, "COPY t (a) FROM stdin;\nDROP TABLE x;\n\\.\nSELECT 1;", []string{"COPY t (a) FROM stdin", "SELECT 1"}},
		{"copy to stdout is not data", pg, "COPY t TO stdout; DROP TABLE x", []string{"COPY t TO stdout", "DROP TABLE x"}},
		{"mysql hash comment", my, "SELECT 1 # ; DROP TABLE t\n; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"mysql dashes need a space", my, "SELECT 1--1; DROP TABLE t", []string{"SELECT 1--1", "DROP TABLE t"}},
		{"mysql backslash escapes", my, `SELECT 'a\'; DROP TABLE t'; SELECT 2`, []string{`SELECT 'a\'; DROP TABLE t'`, "SELECT 2"}},
		{"mysql double quotes are strings", my, `SELECT "a"";DROP"`, []string{`SELECT "a"";DROP"`}},
		{"mysql backticks", my, "SELECT `a;b` FROM t", []string{"SELECT `a;b` FROM t"}},
		{"mysql executable comment", my, "/*!40101 DROP TABLE t */; SELECT 1", []string{"DROP TABLE t", "SELECT 1"}},
		{"mysql hint comment", my, "SELECT /*+ BKA(t) */ 1", []string{"SELECT 1"}},
		{"mysql delimiter", my, "DELIMITER //\nCREATE PROCEDURE p() BEGIN DELETE FROM t; END //\nDELIMITER ;\nSELECT 1;", []string{"meta delimiter //", "CREATE PROCEDURE p() BEGIN DELETE FROM t; END", "meta delimiter ;", "SELECT 1"}},
		{"mysql source", my, "source db/x.sql\nSELECT 1;", []string{"meta source db/x.sql", "SELECT 1"}},
		{"mysql source mid-statement is a word", my, "SELECT source\nFROM t;", []string{"SELECT source FROM t"}},
		{"mysql \\G", my, "SELECT 1\\G DROP TABLE t;", []string{"SELECT 1", "DROP TABLE t"}},
		{"sqlite dot command", lite, ".tables\nSELECT 1;\n.schema t", []string{"meta .tables", "SELECT 1", "meta .schema t"}},
		{"sqlite dot mid-line is not a command", lite, "SELECT a\n.b FROM t;", []string{"SELECT a .b FROM t"}},
		{"sqlite brackets", lite, "SELECT [a;b] FROM t", []string{"SELECT [a;b] FROM t"}},
		{"sqlite trigger", lite, "CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; END; DROP TABLE c;", []string{"CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; END", "DROP TABLE c"}},
		{"sqlcmd GO", tsql, "SELECT 1\nGO\nDROP TABLE t\ngo 2\n", []string{"SELECT 1", "DROP TABLE t"}},
		{"sqlcmd commands", tsql, ":r other.sql\n!! dir\nSELECT 1", []string{"meta :r other.sql", "meta !! dir", "SELECT 1"}},
		{"tsql keyword split", tsql, "SELECT 1 DROP TABLE t", []string{"SELECT 1", "DROP TABLE t"}},
		{"tsql IF EXISTS", tsql, "IF OBJECT_ID('t') IS NOT NULL DROP TABLE t", []string{"IF OBJECT_ID('t') IS NOT NULL", "DROP TABLE t"}},
		{"tsql insert select stays", tsql, "INSERT INTO a SELECT * FROM b", []string{"INSERT INTO a SELECT * FROM b"}},
		{"tsql on delete stays", tsql, "CREATE TABLE a (b int REFERENCES c ON DELETE CASCADE)", []string{"CREATE TABLE a (b int REFERENCES c ON DELETE CASCADE)"}},
		{"tsql alter drop stays", tsql, "ALTER TABLE t DROP COLUMN c", []string{"ALTER TABLE t DROP COLUMN c"}},
		{"clickhouse hash comment", ch, "SELECT 1 # DROP TABLE t\n", []string{"SELECT 1"}},
		{"unknown outside strings", pg, "DELETE FROM t WHERE id = " + u, []string{"DELETE FROM t WHERE id = …"}},
		{"unclosed string", pg, "SELECT 'abc; DROP TABLE t", []string{"SELECT 'abc; DROP TABLE t"}},
		{"unclosed comment", pg, "SELECT 1; /* DROP TABLE t;", []string{"SELECT 1"}},
	}
	for _, c := range cases {
		got := sqlPieces(c.src, c.d, nil)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}

func TestSQLTokens(t *testing.T) {
	u := interceptor.UnknownMark
	cases := []struct {
		src   string
		d     sqlDialect
		kinds []sqlTokKind
		vals  []string
	}{
		{"drop Table", sqlDialectPostgres(), []sqlTokKind{sqlWord, sqlWord}, []string{"DROP", "TABLE"}},
		{"'it''s'", sqlDialectPostgres(), []sqlTokKind{sqlString}, []string{"it's"}},
		{"$x$a$$b$x$", sqlDialectPostgres(), []sqlTokKind{sqlString}, []string{"a$$b"}},
		{`"My Table"`, sqlDialectPostgres(), []sqlTokKind{sqlIdent}, []string{"My Table"}},
		{"`t`.`c`", sqlDialectMySQL(), []sqlTokKind{sqlIdent, sqlOp, sqlIdent}, []string{"t", "", "c"}},
		{"x<>1", sqlDialectPostgres(), []sqlTokKind{sqlWord, sqlOp, sqlNumber}, []string{"X", "", "1"}},
		{"@v := 1.5e3", sqlDialectMySQL(), []sqlTokKind{sqlParam, sqlOp, sqlNumber}, []string{"@v", "", "1.5e3"}},
		{"a" + u + "b", sqlDialectPostgres(), []sqlTokKind{sqlWord, sqlUnknown, sqlWord}, []string{"A", "", "B"}},
		{"'a" + u + "'", sqlDialectPostgres(), []sqlTokKind{sqlString}, []string{"a" + u}},
		{"-- x " + u + "\nSELECT", sqlDialectPostgres(), []sqlTokKind{sqlUnknown, sqlWord}, []string{"", "SELECT"}},
		{"-- just a comment\nSELECT", sqlDialectPostgres(), []sqlTokKind{sqlWord}, []string{"SELECT"}},
	}
	for _, c := range cases {
		toks := scanSQL(c.src, c.d, nil)
		if len(toks) != len(c.kinds) {
			t.Errorf("%q: got %d tokens %+v, want %d", c.src, len(toks), toks, len(c.kinds))
			continue
		}
		for i, tk := range toks {
			if tk.kind != c.kinds[i] || (c.vals[i] != "" && tk.val != c.vals[i]) {
				t.Errorf("%q: token %d is %+v, want kind %d val %q", c.src, i, tk, c.kinds[i], c.vals[i])
			}
		}
		if c.src == "'a"+u+"'" && !toks[0].unknown {
			t.Errorf("%q: string with an unknown part not marked unknown", c.src)
		}
	}
}

func TestSQLVariables(t *testing.T) {
	vars := map[string]string{"t": "users", "cmd": "DROP TABLE x"}
	pg := sqlDialectPostgres()
	got := sqlPieces("TRUNCATE :t; SELECT :'t', :\"t\"; :cmd; SELECT :unset; \\set q 'DELETE FROM y'\n:q", pg, vars)
	want := []string{"TRUNCATE users", `SELECT :'t', :"t"`, "DROP TABLE x", "SELECT :unset", "meta \\set q 'DELETE FROM y'", "DELETE FROM y"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// A variable that refers to itself is bounded.
	loop := map[string]string{"a": ":a"}
	if got := sqlPieces(":a", pg, loop); len(got) != 1 {
		t.Errorf("self-referring variable: %q", got)
	}
}

func TestSQLMetaArgs(t *testing.T) {
	cases := map[string][]string{
		`a.sql`:                 {"a.sql"},
		`'my file.sql' x`:       {"my file.sql", "x"},
		`"a""b" 'c'`:            {`a"b`, "c"},
		`  `:                    nil,
		`t from program 'gzip'`: {"t", "from", "program", "gzip"},
	}
	for in, want := range cases {
		if got := sqlMetaArgs(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestSQLTautology(t *testing.T) {
	pg := sqlDialectPostgres()
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
	}
	for in, want := range cases {
		toks := scanSQL(in, pg, nil)
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

// TestSQLLinear checks that a large script is handled in bounded time and
// that findings are counted, not listed.
func TestSQLLinear(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		b.WriteString("INSERT INTO t VALUES (1, 'x'); DROP TABLE t; /* c */\n")
	}
	toks := scanSQL(b.String(), sqlDialectPostgres(), nil)
	if n := len(splitSQL(toks, sqlDialectPostgres())); n != 40000 {
		t.Fatalf("got %d statements, want 40000", n)
	}
	deep := strings.Repeat("(", 100000) + "DROP" + strings.Repeat(")", 100000)
	if n := len(scanSQL(deep, sqlDialectPostgres(), nil)); n != 200001 {
		t.Fatalf("deep parentheses: %d tokens", n)
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
