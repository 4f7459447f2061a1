package sqlscan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// sqlPieces renders a script as its statements ("DROP TABLE t") and client
// commands ("meta \i a.sql").
func sqlPieces(src string, d Dialect, vars map[string]string) []string {
	var out []string
	for _, st := range Split(Scan(src, d, vars), d) {
		if st.Meta != nil {
			out = append(out, strings.TrimSpace("meta "+st.Meta.Text+" "+st.Meta.Val))
			continue
		}
		out = append(out, Text(st.Toks))
	}
	return out
}

func TestSQLSplit(t *testing.T) {
	pg, my, lite, tsql, ch := Postgres(), MySQL(), SQLite(), TSQL(), ClickHouse()
	u := interceptor.UnknownMark
	cases := []struct {
		name string
		d    Dialect
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
		d     Dialect
		kinds []Kind
		vals  []string
	}{
		{"drop Table", Postgres(), []Kind{Word, Word}, []string{"DROP", "TABLE"}},
		{"'it''s'", Postgres(), []Kind{String}, []string{"it's"}},
		{"$x$a$$b$x$", Postgres(), []Kind{String}, []string{"a$$b"}},
		{`"My Table"`, Postgres(), []Kind{Ident}, []string{"My Table"}},
		{"`t`.`c`", MySQL(), []Kind{Ident, Op, Ident}, []string{"t", "", "c"}},
		{"x<>1", Postgres(), []Kind{Word, Op, Number}, []string{"X", "", "1"}},
		{"@v := 1.5e3", MySQL(), []Kind{Param, Op, Number}, []string{"@v", "", "1.5e3"}},
		{"a" + u + "b", Postgres(), []Kind{Word, Unknown, Word}, []string{"A", "", "B"}},
		{"'a" + u + "'", Postgres(), []Kind{String}, []string{"a" + u}},
		{"-- x " + u + "\nSELECT", Postgres(), []Kind{Unknown, Word}, []string{"", "SELECT"}},
		{"-- just a comment\nSELECT", Postgres(), []Kind{Word}, []string{"SELECT"}},
	}
	for _, c := range cases {
		toks := Scan(c.src, c.d, nil)
		if len(toks) != len(c.kinds) {
			t.Errorf("%q: got %d tokens %+v, want %d", c.src, len(toks), toks, len(c.kinds))
			continue
		}
		for i, tk := range toks {
			if tk.Kind != c.kinds[i] || (c.vals[i] != "" && tk.Val != c.vals[i]) {
				t.Errorf("%q: token %d is %+v, want kind %d val %q", c.src, i, tk, c.kinds[i], c.vals[i])
			}
		}
		if c.src == "'a"+u+"'" && !toks[0].Unknown {
			t.Errorf("%q: string with an unknown part not marked unknown", c.src)
		}
	}
}

func TestSQLVariables(t *testing.T) {
	vars := map[string]string{"t": "users", "cmd": "DROP TABLE x"}
	pg := Postgres()
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
		if got := MetaArgs(in); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestSQLLinear checks that a large script is handled in bounded time and
// that findings are counted, not listed.
func TestSQLLinear(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		b.WriteString("INSERT INTO t VALUES (1, 'x'); DROP TABLE t; /* c */\n")
	}
	toks := Scan(b.String(), Postgres(), nil)
	if n := len(Split(toks, Postgres())); n != 40000 {
		t.Fatalf("got %d statements, want 40000", n)
	}
	deep := strings.Repeat("(", 100000) + "DROP" + strings.Repeat(")", 100000)
	if n := len(Scan(deep, Postgres(), nil)); n != 200001 {
		t.Fatalf("deep parentheses: %d tokens", n)
	}
}
