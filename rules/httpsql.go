package rules

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/guard-dev/guard/rules/lang/gql"
)

// SQL sent over HTTP: database services that take statements in a
// request (ClickHouse's HTTP interface, a body of plain SQL; SQL-over-HTTP
// APIs that carry it in a JSON field: {"query": ...}, {"sql": ...},
// Turso's {"stmt": {"sql": ...}}, Hasura's run_sql args). The statements
// are judged by the sql pack's rules, as if a client sent them, named by
// the HTTP client and the host. Production platforms' hosts are judged as
// writes already (http.production-write).

// httpSQLKey reports the JSON fields that carry a statement.
func httpSQLKey(k string) bool {
	switch strings.ToLower(k) {
	case "query", "sql", "stmt", "statement", "statements", "q", "command":
		return true
	}
	return false
}

// httpSQLText reports whether s reads as a SQL statement rather than prose
// that starts with a verb ("delete old records"): the destructive verbs
// must be followed by what their syntax requires.
func httpSQLText(s string) bool {
	f := strings.Fields(strings.ToUpper(s))
	if len(f) == 0 {
		return false
	}
	next := ""
	if len(f) > 1 {
		next = strings.TrimRight(f[1], ";")
	}
	switch strings.TrimLeft(f[0], "(") {
	case "DELETE":
		return next == "FROM"
	case "DROP", "ALTER":
		switch next {
		case "TABLE", "DATABASE", "SCHEMA", "VIEW", "INDEX", "USER", "ROLE", "SEQUENCE", "FUNCTION",
			"PROCEDURE", "TRIGGER", "TYPE", "EXTENSION", "DICTIONARY", "MATERIALIZED", "TEMPORARY", "TEMP",
			"IF", "COLUMN", "KEYSPACE", "COLLECTION":
			return true
		}
		return false
	case "TRUNCATE":
		return next == "TABLE" || len(f) == 2
	case "UPDATE":
		for _, w := range f[2:] {
			if w == "SET" {
				return true
			}
		}
		return false
	case "SELECT", "INSERT", "CREATE", "GRANT", "REVOKE", "WITH", "REPLACE", "MERGE", "VACUUM",
		"REINDEX", "COPY", "PRAGMA", "ATTACH", "DETACH", "BEGIN", "SET", "SHOW", "OPTIMIZE", "RENAME":
		return true
	}
	return false
}

// judgeSQLBodies judges the SQL the bodies send to host.
func (h *httpCheck) judgeSQLBodies(host string, bodies []gql.Body) {
	var stmts []string
	for _, b := range bodies {
		if !b.Known {
			continue
		}
		switch b.Kind {
		case gql.Raw:
			d := strings.TrimSpace(b.Data)
			if strings.HasPrefix(d, "{") || strings.HasPrefix(d, "[") {
				var v any
				if json.Unmarshal([]byte(d), &v) == nil {
					stmts = httpSQLStrings(v, false, stmts)
				}
			} else if httpSQLText(d) {
				stmts = append(stmts, d)
			}
		case gql.Field:
			if httpSQLKey(b.Name) && httpSQLText(b.Data) {
				stmts = append(stmts, b.Data)
			}
		case gql.JSONField:
			var v any
			if json.Unmarshal([]byte(b.Data), &v) == nil {
				stmts = httpSQLStrings(v, httpSQLKey(b.Name), stmts)
			}
		}
	}
	if len(stmts) == 0 {
		return
	}
	inv := h.c.Inv
	r := &sqlRun{c: h.c, cl: &sqlClient{name: inv.Name + " to " + host}, fsys: h.c.World.pathFS(), vars: map[string]string{}, dir: inv.Cwd}
	for _, s := range stmts {
		r.script(s)
	}
	r.report()
}

// httpSQLStrings adds the SQL-looking strings in v held by a statement
// field (or anywhere below one, when under is set) to out.
func httpSQLStrings(v any, under bool, out []string) []string {
	switch v := v.(type) {
	case string:
		if under && httpSQLText(v) {
			out = append(out, v)
		}
	case []any:
		for _, e := range v {
			out = httpSQLStrings(e, under, out)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the first statement found names the finding
		for _, k := range keys {
			out = httpSQLStrings(v[k], under || httpSQLKey(k), out)
		}
	}
	return out
}
