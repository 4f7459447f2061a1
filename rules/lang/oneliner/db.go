package oneliner

import (
	"strings"
)

// dbCall expresses the database client calls a program makes, whatever the
// library: SQL given to execute/query/raw/exec (psycopg2, sqlite3, pg,
// mysql2, better-sqlite3, knex.raw, Prisma's $executeRawUnsafe,
// ActiveRecord's connection.execute) is the psql command that sends it;
// Redis flushes are the redis-cli FLUSHALL/FLUSHDB; Prisma's and
// TypeORM's deleteMany/delete with no condition empty their table. It
// reports whether the call was one of them.
func (r *evaluator) dbCall(name string, args []ival, n *inode) bool {
	m := name
	model := ""
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		m = name[i+1:]
		model = name[:i]
		if j := strings.LastIndexByte(model, '.'); j >= 0 {
			model = model[j+1:]
		}
	}
	// A method of an object guard does not know: prisma.user.deleteMany,
	// the model is the member before the method.
	if f := n.x; model == "" && f != nil && f.kind == inMember && f.x != nil && f.x.kind == inMember {
		model = f.x.s
	}
	switch m {
	case "execute", "executescript", "executemany", "query", "raw", "exec", "run", "prepare",
		"$executeRaw", "$executeRawUnsafe", "$queryRawUnsafe", "$queryRaw", "exec_query", "select_all":
		if len(args) == 0 || !args[0].known() || !sqlLike(args[0].s) {
			return false
		}
		r.check("psql -c "+iquoteShell(args[0].s, false), name)
		return true
	case "flushall", "flushAll", "FLUSHALL":
		r.check("redis-cli FLUSHALL", name)
		return true
	case "flushdb", "flushDb", "FLUSHDB":
		r.check("redis-cli FLUSHDB", name)
		return true
	case "delete":
		// Django: Model.objects.all().delete() (or a filter() with no
		// condition) deletes every row of the model's table.
		if model := djangoAll(n); model != "" && len(args) == 0 {
			r.check("psql -c "+iquoteShell("DELETE FROM "+model, false), name)
			return true
		}
		return false
	case "deleteMany", "delete_many", "destroy_all", "delete_all", "truncate":
		if model == "" || len(args) > 1 || len(args) == 1 && !emptyFilter(args[0]) {
			return false
		}
		r.check("psql -c "+iquoteShell("DELETE FROM "+model, false), name)
		return true
	}
	return false
}

// djangoAll returns the model of a call Model.objects.all().delete(),
// Model.objects.filter().delete() or Model.objects.delete(): a delete of
// the whole table; "" for anything narrower.
func djangoAll(n *inode) string {
	f := n.x
	if f == nil || f.kind != inMember || f.s != "delete" || f.x == nil {
		return ""
	}
	q := f.x
	if q.kind == inCall && q.x != nil && q.x.kind == inMember {
		switch q.x.s {
		case "all", "filter", "exclude":
			if len(q.args) > 0 || len(q.kw) > 0 {
				return ""
			}
		default:
			return ""
		}
		q = q.x.x
	}
	if q == nil || q.kind != inMember || q.s != "objects" || q.x == nil {
		return ""
	}
	switch m := q.x; m.kind {
	case inName, inMember:
		return m.s
	}
	return ""
}

// sqlLike reports whether s begins like a SQL statement.
func sqlLike(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	switch strings.ToUpper(strings.TrimLeft(f[0], "(")) {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "TRUNCATE", "ALTER", "CREATE", "GRANT", "REVOKE",
		"WITH", "REPLACE", "MERGE", "VACUUM", "REINDEX", "COPY", "PRAGMA", "ATTACH", "DETACH", "BEGIN", "COMMIT", "SET", "SHOW":
		return true
	}
	return false
}

// emptyFilter reports whether a deleteMany argument selects every row: {}
// or {where: {}}.
func emptyFilter(v ival) bool {
	if v.kind != ivDict {
		return false
	}
	if len(v.dict) == 0 {
		return true
	}
	if w, ok := v.dict["where"]; ok && len(v.dict) == 1 {
		return w.kind == ivDict && len(w.dict) == 0
	}
	return false
}
