package rules

import (
	"strconv"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// MigrationsPack returns the rules about database migration tools and ORM
// command lines: commands that drop or reset a database, load a schema over
// the data, or undo applied migrations. They are everyday commands on a
// developer's own database, which is exactly why an agent reaches for them
// when a migration fails, and they do the same thing to whatever database
// the environment points at.
//
// The tools are recognised however they are reached: directly
// (node_modules/.bin/prisma, bin/rails, ./manage.py), through package
// runners (npx, pnpm [exec|dlx], yarn [exec|dlx], bunx, bun x, npm exec),
// through bundle exec, and through Python project runners (uv run,
// poetry run, pipenv run, pdm run, hatch run, rye run). Applying
// migrations, generating clients and creating migrations report nothing.
func MigrationsPack() *Pack {
	return &Pack{
		Name:     "migrations",
		Commands: migCommands(),
		Check:    checkMigrations,
		Rules: []Rule{
			{ID: "migrations.drop-database", Default: Confirm, Summary: "drops the database or every object in it (rails db:drop, sequelize db:drop, typeorm schema:drop, mix ecto.drop, flyway clean, liquibase dropAll, dbmate drop, artisan db:wipe)"},
			{ID: "migrations.reset-database", Default: Confirm, Summary: "drops and recreates the database or empties its tables, losing every row (prisma migrate reset, db push --force-reset, rails db:reset, manage.py flush, mix ecto.reset, supabase db reset)"},
			{ID: "migrations.schema-overwrite", Default: Confirm, Summary: "loads or pushes a schema over the existing database, dropping what does not match (prisma db push --accept-data-loss, drizzle-kit push --force, rails db:schema:load, db:setup)"},
			{ID: "migrations.rollback-all", Default: Confirm, Summary: "undoes every applied migration, dropping the tables they created (alembic downgrade base, knex migrate:rollback --all, sequelize db:migrate:undo:all, goose reset, ecto.rollback --all)"},
			{ID: "migrations.rollback", Default: Confirm, Summary: "undoes recent migrations, which can drop tables and columns with their data (rails db:rollback, alembic downgrade -1, typeorm migration:revert, dbmate down)"},
			{ID: "migrations.delete-migrations", Default: Confirm, Summary: "deletes generated migration files (drizzle-kit drop)"},
		},
	}
}

// migCommands lists the command names the migrations pack examines: the
// tools themselves and the runners that reach them.
func migCommands() []string {
	names := []string{
		// runners
		"npx", "pnpx", "bunx", "pnpm", "yarn", "npm", "bun", "bundle",
		"uv", "uvx", "poetry", "pipenv", "pdm", "hatch", "rye", "php", "dotnet",
		// tools
		"prisma", "drizzle-kit", "rails", "rake", "manage.py", "django-admin",
		"django-admin.py", "alembic", "flask", "knex", "sequelize", "sequelize-cli",
		"typeorm", "typeorm-ts-node-commonjs", "typeorm-ts-node-esm", "mix",
		"flyway", "liquibase", "goose", "dbmate", "supabase", "artisan",
		"console", "migrate", "diesel", "sqlx", "atlas", "dotnet-ef",
		"mikro-orm", "hasura", "sqitch",
		"python", "python2", "python3", "pypy", "pypy3",
	}
	for v := 6; v <= 15; v++ {
		names = append(names, "python3."+strconv.Itoa(v))
	}
	return names
}

// migTool is a migration tool invocation once runners are peeled off.
type migTool struct {
	// name is the canonical tool name ("prisma", "rails", "manage.py").
	name string
	// args are the arguments after the tool name.
	args []interceptor.Word
}

// migMaxRunners bounds how many runners are peeled ("uv run poetry run ...").
const migMaxRunners = 4

// checkMigrations judges one invocation.
func checkMigrations(c *Call) {
	t, ok := migResolve(c, c.Inv.Name, c.Inv.Path, c.Inv.Args)
	if !ok {
		return
	}
	m := &migCheck{c: c, t: t}
	m.judge()
}

// migResolve peels package runners off name/args and returns the tool they
// run, when it is one this pack knows.
func migResolve(c *Call, name, path string, args []interceptor.Word) (migTool, bool) {
	for i := 0; i < migMaxRunners; i++ {
		next, rest, ok := migPeelRunner(c, name, path, args)
		if !ok {
			break
		}
		if next.Unknown {
			return migTool{}, false
		}
		path = next.Value
		name = migPackageName(path)
		args = rest
	}
	switch name {
	case "sequelize-cli":
		name = "sequelize"
	case "typeorm-ts-node-commonjs", "typeorm-ts-node-esm":
		name = "typeorm"
	case "django-admin.py":
		name = "django-admin"
	case "console":
		// Symfony's bin/console; a bare "console" is anything.
		if !strings.HasSuffix(path, "bin/console") {
			return migTool{}, false
		}
	case "python", "python2", "python3", "pypy", "pypy3":
		return migPython(args)
	case "php":
		return migPHP(args)
	case "dotnet":
		if len(args) > 0 && args[0].Value == "ef" {
			return migTool{name: "dotnet-ef", args: args[1:]}, true
		}
		return migTool{}, false
	}
	if strings.HasPrefix(name, "python3.") {
		return migPython(args)
	}
	switch name {
	case "prisma", "drizzle-kit", "rails", "rake", "manage.py", "django-admin",
		"alembic", "flask", "knex", "sequelize", "typeorm", "mix", "flyway",
		"liquibase", "goose", "dbmate", "supabase", "artisan", "console",
		"migrate", "diesel", "sqlx", "atlas", "dotnet-ef", "mikro-orm", "hasura", "sqitch":
		return migTool{name: name, args: args}, true
	}
	return migTool{}, false
}

// migPackageName turns a package or path as a runner names it into the
// command name: "prisma@5.2" -> "prisma", "@scope/cli@1" -> "cli",
// "bin/rails" -> "rails".
func migPackageName(s string) string {
	if i := strings.LastIndexByte(s, '@'); i > 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// migPeelRunner removes one package or project runner: it returns the word
// naming what the runner runs and that command's arguments.
func migPeelRunner(c *Call, name, path string, args []interceptor.Word) (interceptor.Word, []interceptor.Word, bool) {
	none := interceptor.Word{}
	switch name {
	case "npx", "pnpx", "bunx", "uvx":
		i, ok := migRunnerOptions(c, name, args, "--package -p --from --with --python")
		if !ok || i >= len(args) {
			return none, nil, false
		}
		return args[i], args[i+1:], true
	case "pnpm", "yarn":
		i := migSkipOptions(args, "-C --dir -F --filter --cwd --workspace")
		if i >= len(args) {
			return none, nil, false
		}
		switch args[i].Value {
		case "exec", "dlx":
			j, ok := migRunnerOptions(c, name+" "+args[i].Value, args[i+1:], "--package")
			j += i + 1
			if !ok || j >= len(args) {
				return none, nil, false
			}
			return args[j], args[j+1:], true
		case "run":
			// A package script of that name runs first; one named after a
			// tool is taken to be the tool.
			if i+1 < len(args) && migIsJSTool(migPackageName(args[i+1].Value)) {
				return args[i+1], args[i+2:], true
			}
			return none, nil, false
		case "workspace":
			if name == "yarn" && i+2 < len(args) {
				return args[i+2], args[i+3:], true
			}
			return none, nil, false
		}
		// pnpm and yarn run a package binary named in place of one of
		// their commands; other names are most often package scripts
		// ("yarn migrate"), whose content is not known here.
		if migIsJSTool(migPackageName(args[i].Value)) {
			return args[i], args[i+1:], true
		}
		return none, nil, false
	case "npm":
		i := migSkipOptions(args, "--prefix -w --workspace")
		if i >= len(args) || (args[i].Value != "exec" && args[i].Value != "x") {
			return none, nil, false
		}
		rest := args[i+1:]
		j, ok := migRunnerOptions(c, "npm exec", rest, "--package -p")
		if !ok || j >= len(rest) {
			return none, nil, false
		}
		// "npm exec prisma -- migrate reset": the first "--" after the
		// package only separates npm's options from the command's.
		cmd := append([]interceptor.Word(nil), rest[j+1:]...)
		for k, w := range cmd {
			if w.Value == "--" {
				cmd = append(cmd[:k:k], cmd[k+1:]...)
				break
			}
		}
		return rest[j], cmd, true
	case "bun":
		if len(args) > 1 && (args[0].Value == "x" || args[0].Value == "run" && migIsJSTool(migPackageName(args[1].Value))) {
			return args[1], args[2:], true
		}
	case "bundle":
		if len(args) > 1 && (args[0].Value == "exec" || args[0].Value == "e") {
			i := 1 + migSkipOptions(args[1:], "--gemfile")
			if i < len(args) {
				return args[i], args[i+1:], true
			}
		}
	case "uv", "poetry", "pipenv", "pdm", "hatch", "rye":
		i := migSkipOptions(args, "--directory --project --python -p --env-file")
		if i < len(args) && args[i].Value == "run" {
			j := i + 1 + migSkipOptions(args[i+1:], "--with --python -p --env-file --extra --group --package --directory --project -e --env")
			if j < len(args) {
				return args[j], args[j+1:], true
			}
		}
		if name == "uv" && i+1 < len(args) && args[i].Value == "tool" && args[i+1].Value == "run" {
			j := i + 2 + migSkipOptions(args[i+2:], "--with --python -p --from")
			if j < len(args) {
				return args[j], args[j+1:], true
			}
		}
	}
	return none, nil, false
}

// migIsJSTool reports whether name is a migration tool installed from npm.
func migIsJSTool(name string) bool {
	switch name {
	case "prisma", "drizzle-kit", "knex", "sequelize", "sequelize-cli", "typeorm",
		"typeorm-ts-node-commonjs", "typeorm-ts-node-esm", "supabase", "dbmate":
		return true
	}
	return false
}

// migRunnerOptions skips a package runner's options and returns the index
// of the package to run. A command string given with -c/--call runs as
// shell and is checked as such; ok is then false.
func migRunnerOptions(c *Call, runner string, args []interceptor.Word, valued string) (int, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			return i + 1, true
		case v == "-c" || v == "--call" || v == "--shell-mode":
			if i+1 < len(args) {
				migShell(c, args[i+1], runner+" -c")
			}
			return 0, false
		case strings.HasPrefix(v, "--call="):
			migShell(c, interceptor.Word{Value: v[len("--call="):], Unknown: args[i].Unknown}, runner+" -c")
			return 0, false
		case strings.HasPrefix(v, "-") && len(v) > 1:
			if !strings.Contains(v, "=") && migIn(v, valued) {
				i++
			}
		default:
			return i, true
		}
	}
	return len(args), true
}

// migShell checks a command string that a package runner runs in a shell.
func migShell(c *Call, w interceptor.Word, link string) {
	if c == nil || w.Unknown {
		return // nothing static to check
	}
	c.Shell(w.Value, link)
}

// migSkipOptions returns the index of the first argument that is not an
// option, skipping the values of the options listed in valued.
func migSkipOptions(args []interceptor.Word, valued string) int {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "--" {
			return i + 1
		}
		if !strings.HasPrefix(v, "-") || len(v) < 2 {
			return i
		}
		if !strings.Contains(v, "=") && migIn(v, valued) {
			i++
		}
	}
	return len(args)
}

// migIn reports whether word is one of the space-separated words of list.
func migIn(word, list string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}

// migPython finds the tool a Python interpreter runs: manage.py, or a
// module run with -m (django, alembic, flask).
func migPython(args []interceptor.Word) (migTool, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		if v == "-" || v == "--" || !strings.HasPrefix(v, "-") {
			if v == "--" {
				i++
			}
			if i < len(args) && migPackageName(args[i].Value) == "manage.py" {
				return migTool{name: "manage.py", args: args[i+1:]}, true
			}
			return migTool{}, false
		}
		if strings.HasPrefix(v, "--") {
			continue
		}
		for j := 1; j < len(v); j++ {
			switch v[j] {
			case 'c':
				return migTool{}, false // code: the interp pack's business
			case 'm':
				mod := v[j+1:]
				rest := args[i+1:]
				if mod == "" {
					if len(rest) == 0 {
						return migTool{}, false
					}
					mod, rest = rest[0].Value, rest[1:]
				}
				switch mod {
				case "django":
					return migTool{name: "django-admin", args: rest}, true
				case "alembic", "flask":
					return migTool{name: mod, args: rest}, true
				}
				return migTool{}, false
			case 'W', 'X', 'Q':
				if j == len(v)-1 {
					i++
				}
				j = len(v)
			}
		}
	}
	return migTool{}, false
}

// migPHP finds Laravel's artisan or Symfony's bin/console run by php.
func migPHP(args []interceptor.Word) (migTool, bool) {
	i := migSkipOptions(args, "-c -d -n -z")
	if i >= len(args) {
		return migTool{}, false
	}
	p := args[i].Value
	switch {
	case migPackageName(p) == "artisan":
		return migTool{name: "artisan", args: args[i+1:]}, true
	case strings.HasSuffix(p, "bin/console"):
		return migTool{name: "console", args: args[i+1:]}, true
	}
	return migTool{}, false
}

// migCheck is one tool invocation being judged.
type migCheck struct {
	c *Call
	t migTool
}

// report reports rule id with what the command does to the data, followed
// by where it does it when the environment says so.
func (m *migCheck) report(id, what string) {
	m.c.Report(id, what+m.where())
}

// pos returns the positional arguments of the tool, skipping the values
// of the options in valued, and "KEY=value" words.
func (m *migCheck) pos(valued string) []string {
	var out []string
	args := m.t.args
	for i := 0; i < len(args); i++ {
		v := args[i].Value
		switch {
		case v == "--":
			continue
		case strings.HasPrefix(v, "-") && len(v) > 1:
			if !strings.Contains(v, "=") && migIn(v, valued) {
				i++
			}
		case migIsAssign(v):
		default:
			out = append(out, v)
		}
	}
	return out
}

// has reports whether any of the space-separated flags is given, alone or
// as "--flag=value".
func (m *migCheck) has(flags string) bool {
	for _, a := range m.t.args {
		name, _, _ := strings.Cut(a.Value, "=")
		if migIn(name, flags) {
			return true
		}
	}
	return false
}

// value returns the value of the first of the space-separated options
// given, as "--opt value" or "--opt=value".
func (m *migCheck) value(opts string) (string, bool) {
	args := m.t.args
	for i, a := range args {
		name, val, eq := strings.Cut(a.Value, "=")
		if !migIn(name, opts) {
			continue
		}
		if eq {
			return val, true
		}
		if i+1 < len(args) {
			return args[i+1].Value, true
		}
	}
	return "", false
}

// migIsAssign reports whether s is a KEY=value word as rake takes them.
func migIsAssign(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return false
	}
	for _, r := range k {
		if r != '_' && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// migEnvVars are the variables that name the environment an app runs in.
func migEnvVars() []string {
	return []string{"RAILS_ENV", "RACK_ENV", "MIX_ENV", "NODE_ENV", "APP_ENV", "FLASK_ENV",
		"DJANGO_SETTINGS_MODULE", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ENV", "ENVIRONMENT", "STAGE"}
}

// where says which database the command works on when the invocation
// says it: a production environment, a database URL, a bypassed safety
// check. It returns "" when nothing is known.
func (m *migCheck) where() string {
	inv := m.c.Inv
	var notes []string
	// KEY=value given as arguments (rake, rails) count like assignments.
	vars := map[string]string{}
	for k, v := range inv.Assigns {
		vars[k] = v
	}
	for _, a := range m.t.args {
		if migIsAssign(a.Value) {
			k, v, _ := strings.Cut(a.Value, "=")
			vars[k] = v
		}
	}
	for _, k := range migEnvVars() {
		if v, ok := vars[k]; ok && migIsProduction(v) {
			notes = append(notes, "in production ("+k+"="+v+")")
			break
		}
	}
	if len(notes) == 0 {
		if v, ok := m.value("-e --environment --env --settings"); ok && migIsProduction(v) {
			notes = append(notes, "in production ("+v+")")
		}
	}
	for _, k := range []string{"DATABASE_URL", "DB_URL", "POSTGRES_URL", "MYSQL_URL"} {
		if v, ok := vars[k]; ok {
			if h := migURLHost(v); h != "" {
				notes = append(notes, "on the database at "+h)
				break
			}
		}
	}
	if v, ok := m.value("--db-url --url --database-url"); ok {
		if h := migURLHost(v); h != "" {
			notes = append(notes, "on the database at "+h)
		}
	}
	if m.t.name == "supabase" && m.has("--linked") {
		notes = append(notes, "on the linked Supabase project (remote)")
	}
	if v := vars["DISABLE_DATABASE_ENVIRONMENT_CHECK"]; v != "" && v != "0" {
		notes = append(notes, "with Rails' protection of production databases disabled")
	}
	if m.t.name == "artisan" && m.has("--force") {
		notes = append(notes, "with --force, which skips Laravel's production confirmation")
	}
	if inv.Remote != "" {
		notes = append(notes, "on "+inv.Remote)
	}
	if len(notes) == 0 {
		return ""
	}
	return " — " + strings.Join(notes, ", ")
}

// migIsProduction reports whether an environment name means production.
func migIsProduction(v string) bool {
	v = strings.ToLower(v)
	return strings.Contains(v, "prod") || v == "live"
}

// migURLHost returns the host of a database URL with the credentials
// removed, or "" when there is none to show.
func migURLHost(u string) string {
	if strings.Contains(u, interceptor.UnknownMark) {
		return ""
	}
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// judge dispatches on the tool.
func (m *migCheck) judge() {
	switch m.t.name {
	case "prisma":
		m.prisma()
	case "drizzle-kit":
		m.drizzle()
	case "rails", "rake":
		m.rails()
	case "manage.py", "django-admin":
		m.django()
	case "alembic":
		m.alembic(m.pos("-c --config -n --name -x"), "alembic")
	case "flask":
		p := m.pos("--app -A -e --env-file")
		if len(p) > 0 && p[0] == "db" {
			m.alembic(p[1:], "flask db")
		}
	case "knex":
		m.knex()
	case "sequelize":
		m.sequelize()
	case "typeorm":
		m.typeorm()
	case "mix":
		m.mix()
	case "flyway":
		m.flyway()
	case "liquibase":
		m.liquibase()
	case "goose":
		m.goose()
	case "dbmate":
		m.dbmate()
	case "mikro-orm":
		p := m.pos("--config --schema --connection")
		switch {
		case len(p) > 0 && p[0] == "schema:drop" && m.has("--run -r"):
			m.report("migrations.drop-database", "mikro-orm schema:drop --run drops every table of the database with its data")
		case len(p) > 0 && p[0] == "schema:fresh" && m.has("--run -r"):
			m.report("migrations.reset-database", "mikro-orm schema:fresh --run drops the schema and creates it again: all its data is lost")
		case len(p) > 0 && p[0] == "migration:fresh":
			m.report("migrations.reset-database", "mikro-orm migration:fresh drops the database and reapplies every migration: all its data is lost")
		case len(p) > 0 && p[0] == "migration:down":
			m.report("migrations.rollback", "mikro-orm migration:down undoes the last migration, dropping what it created")
		}
	case "hasura":
		p := m.pos("--endpoint --admin-secret --database-name --project --version --goto --down --up --envfile --skip-execution")
		if len(p) >= 2 && p[0] == "migrate" && p[1] == "apply" {
			for i, a := range m.t.args {
				v := a.Value
				switch {
				case v == "--down=all", v == "--down" && i+1 < len(m.t.args) && m.t.args[i+1].Value == "all":
					m.report("migrations.rollback-all", "hasura migrate apply --down all undoes every migration, dropping the tables they created")
				case v == "--down" || strings.HasPrefix(v, "--down="), v == "--goto" || strings.HasPrefix(v, "--goto="):
					m.report("migrations.rollback", "hasura migrate apply "+v+" undoes migrations, dropping what they created")
				}
			}
		}
	case "sqitch":
		p := m.pos("--target -t --plan-file --top-dir --to --to-change --db-uri --engine --registry --client")
		if len(p) > 0 && (p[0] == "revert" || p[0] == "rebase") {
			m.report("migrations.rollback", "sqitch "+p[0]+" reverts deployed changes, dropping what they created")
		}
	case "migrate":
		m.golangMigrate()
	case "supabase":
		p := m.pos("--workdir --db-url --password -p --project-ref --version")
		if len(p) >= 2 && p[0] == "db" && p[1] == "reset" {
			m.report("migrations.reset-database", "supabase db reset drops the database and recreates it from the migrations and seed: all its data is lost")
		}
	case "artisan":
		m.artisan()
	case "console":
		m.symfony()
	case "diesel":
		m.diesel()
	case "sqlx":
		m.sqlx()
	case "atlas":
		p := m.pos("--url -u --env --config --dev-url --to --dir")
		if len(p) >= 2 && p[0] == "schema" && p[1] == "clean" {
			m.report("migrations.drop-database", "atlas schema clean drops every object in the database")
		}
		if len(p) >= 2 && p[0] == "migrate" && p[1] == "down" {
			m.report("migrations.rollback", "atlas migrate down undoes applied migrations, dropping what they created")
		}
	case "dotnet-ef":
		m.efCore()
	}
}

// prisma judges prisma migrate reset and db push --force-reset /
// --accept-data-loss.
func (m *migCheck) prisma() {
	p := m.pos("--schema")
	if len(p) < 2 {
		return
	}
	switch {
	case p[0] == "migrate" && p[1] == "reset":
		m.report("migrations.reset-database", "prisma migrate reset drops the database, recreates it and reapplies every migration: all its data is lost")
	case p[0] == "db" && p[1] == "push" && m.has("--force-reset"):
		m.report("migrations.reset-database", "prisma db push --force-reset drops the database and recreates it from the schema: all its data is lost")
	case p[0] == "db" && p[1] == "push" && m.has("--accept-data-loss"):
		m.report("migrations.schema-overwrite", "prisma db push --accept-data-loss pushes the schema without a migration and drops the tables and columns it does not declare, with their data")
	}
}

// drizzle judges drizzle-kit push --force and drop.
func (m *migCheck) drizzle() {
	p := m.pos("--config --dialect --schema --url --out")
	if len(p) == 0 {
		return
	}
	switch {
	case strings.HasPrefix(p[0], "push") && m.has("--force"):
		m.report("migrations.schema-overwrite", "drizzle-kit push --force applies the schema and approves every data-loss statement (dropped tables and columns) without asking")
	case strings.HasPrefix(p[0], "drop"):
		m.report("migrations.delete-migrations", "drizzle-kit drop deletes a generated migration from the migrations folder")
	}
}

// migRailsTask is one destructive Rails database task.
type migRailsTask struct {
	task, rule, what string
}

// migRailsTasks lists the destructive tasks, longest first so that
// "db:migrate:reset" is seen before anything shorter. A task also matches
// with a database name after it ("db:drop:primary", "db:drop:all").
func migRailsTasks() []migRailsTask {
	return []migRailsTask{
		{"db:migrate:reset", "migrations.reset-database", "drops the database, recreates it and reruns every migration: all its data is lost"},
		{"db:migrate:down", "migrations.rollback", "undoes a migration, dropping what it created"},
		{"db:migrate:redo", "migrations.rollback", "undoes and reapplies recent migrations: the data in what they created is lost"},
		{"db:schema:load", "migrations.schema-overwrite", "loads the schema file over the database, dropping and recreating its tables: their data is lost"},
		{"db:structure:load", "migrations.schema-overwrite", "loads the structure file over the database, dropping and recreating its tables: their data is lost"},
		{"db:seed:replant", "migrations.reset-database", "empties every table and reseeds it: all existing rows are lost"},
		{"db:fixtures:load", "migrations.schema-overwrite", "loads fixtures, deleting the existing rows of every fixture table"},
		{"db:truncate_all", "migrations.reset-database", "empties every table: all rows are lost"},
		{"db:rollback", "migrations.rollback", "undoes recent migrations, dropping the tables and columns they created"},
		{"db:drop", "migrations.drop-database", "drops the database with all its data"},
		{"db:purge", "migrations.reset-database", "empties the database: all its data is lost"},
		{"db:reset", "migrations.reset-database", "drops the database and recreates it from the schema: all its data is lost"},
		{"db:setup", "migrations.schema-overwrite", "loads the schema over the database, dropping and recreating existing tables, then seeds it"},
	}
}

// rails judges every task given to rails or rake.
func (m *migCheck) rails() {
	tasks := migRailsTasks()
	test := testDBRailsTest(m.c, m.t.args) // the local test database (testdb.go)
	for _, t := range m.pos("-f --rakefile -r --require -I --libdir -R --rakelibdir -C --directory -E --execute-continue -p --execute-print -j --jobs -e --environment") {
		name, _, _ := strings.Cut(t, "[") // rake task arguments
		if test && !strings.HasSuffix(name, ":all") {
			continue // every environment's databases are not the test one
		}
		if name == "db:migrate" && m.migrateToZero() {
			m.report("migrations.rollback-all", m.t.name+" db:migrate VERSION=0 undoes every migration, dropping the tables they created")
			continue
		}
		for _, d := range tasks {
			if name == d.task || strings.HasPrefix(name, d.task+":") {
				m.report(d.rule, m.t.name+" "+t+" "+d.what)
				break
			}
		}
	}
}

// migrateToZero reports whether a rails migrate is given VERSION=0.
func (m *migCheck) migrateToZero() bool {
	for _, a := range m.t.args {
		if a.Value == "VERSION=0" {
			return true
		}
	}
	return false
}

// django judges manage.py and django-admin: flush, reset_db,
// reset_schema, migrate APP zero|NAME. sqlflush only prints SQL.
func (m *migCheck) django() {
	p := m.pos("--settings --pythonpath --database -v --verbosity")
	if len(p) == 0 {
		return
	}
	tool := "manage.py"
	if m.t.name == "django-admin" {
		tool = "django-admin"
	}
	settings, given := m.value("--settings")
	if testDBDjangoTest(m.c, settings, given, m.t.args) {
		return // the local test database (testdb.go)
	}
	switch p[0] {
	case "flush":
		m.report("migrations.reset-database", tool+" flush deletes every row of every table in the database")
	case "reset_db":
		m.report("migrations.reset-database", tool+" reset_db drops the database and recreates it empty: all its data is lost")
	case "reset_schema":
		m.report("migrations.reset-database", tool+" reset_schema drops the database schema and recreates it empty: all its data is lost")
	case "migrate":
		if len(p) >= 3 {
			if p[2] == "zero" {
				m.report("migrations.rollback-all", tool+" migrate "+p[1]+" zero undoes every migration of "+p[1]+", dropping its tables")
			} else {
				m.report("migrations.rollback", tool+" migrate "+p[1]+" "+p[2]+" moves "+p[1]+" to migration "+p[2]+", undoing every later migration that is applied")
			}
		}
	}
}

// alembic judges an alembic subcommand line (also flask db).
func (m *migCheck) alembic(p []string, tool string) {
	if len(p) == 0 || p[0] != "downgrade" || m.has("--sql") {
		return // --sql only prints the statements
	}
	// The target may look like an option ("-1"): take the first word
	// after "downgrade" that is not a long option.
	target := ""
	args := m.t.args
	for i := 0; i < len(args); i++ {
		if args[i].Value != "downgrade" {
			continue
		}
		for j := i + 1; j < len(args); j++ {
			v := args[j].Value
			if v == "--tag" || v == "-d" || v == "--directory" || v == "-x" {
				j++
				continue
			}
			if !strings.HasPrefix(v, "--") {
				target = v
				break
			}
		}
		break
	}
	if target == "" {
		if tool == "alembic" {
			return // alembic requires a target
		}
		target = "-1"
	}
	if target == "base" {
		m.report("migrations.rollback-all", tool+" downgrade base undoes every migration, dropping the tables they created")
		return
	}
	m.report("migrations.rollback", tool+" downgrade "+target+" undoes migrations, which can drop tables and columns with their data")
}

// knex judges migrate:rollback (--all) and migrate:down.
func (m *migCheck) knex() {
	for _, t := range m.pos("--knexfile --cwd --env --client --connection --migrations-directory --migrations-table-name --specific --esm") {
		switch t {
		case "migrate:rollback":
			if m.has("--all") {
				m.report("migrations.rollback-all", "knex migrate:rollback --all undoes every migration, dropping the tables they created")
			} else {
				m.report("migrations.rollback", "knex migrate:rollback undoes the last batch of migrations, dropping what they created")
			}
		case "migrate:down":
			m.report("migrations.rollback", "knex migrate:down undoes a migration, dropping what it created")
		}
	}
}

// sequelize judges db:drop and the undo commands.
func (m *migCheck) sequelize() {
	for _, t := range m.pos("--env --config --options-path --migrations-path --seeders-path --models-path --url --to --name --seed") {
		switch t {
		case "db:drop":
			m.report("migrations.drop-database", "sequelize db:drop drops the database with all its data")
		case "db:migrate:undo:all":
			m.report("migrations.rollback-all", "sequelize db:migrate:undo:all undoes every migration, dropping the tables they created")
		case "db:migrate:undo":
			m.report("migrations.rollback", "sequelize db:migrate:undo undoes the last migration, dropping what it created")
		case "db:seed:undo:all", "db:seed:undo":
			m.report("migrations.rollback", "sequelize "+t+" deletes the rows the seeders inserted")
		}
	}
}

// typeorm judges schema:drop, schema:sync and migration:revert.
func (m *migCheck) typeorm() {
	p := m.pos("-d --dataSource --datasource -c --connection -f --config")
	if len(p) == 0 {
		return
	}
	switch p[0] {
	case "schema:drop":
		m.report("migrations.drop-database", "typeorm schema:drop drops every table of the database with its data")
	case "schema:sync":
		m.report("migrations.schema-overwrite", "typeorm schema:sync alters the database to match the entities, dropping the tables and columns they do not declare")
	case "migration:revert":
		m.report("migrations.rollback", "typeorm migration:revert undoes the last migration, dropping what it created")
	}
}

// mix judges the ecto tasks, also inside "mix do a, b".
func (m *migCheck) mix() {
	for _, t := range m.pos("-r --repo --to --step -n --migrations-path") {
		for _, task := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '+' }) {
			switch task {
			case "ecto.drop":
				m.report("migrations.drop-database", "mix ecto.drop drops the database with all its data")
			case "ecto.reset":
				m.report("migrations.reset-database", "mix ecto.reset drops the database, recreates it and reruns the migrations and seeds: all its data is lost")
			case "ecto.rollback":
				if m.has("--all") {
					m.report("migrations.rollback-all", "mix ecto.rollback --all undoes every migration, dropping the tables they created")
				} else {
					m.report("migrations.rollback", "mix ecto.rollback undoes recent migrations, dropping what they created")
				}
			}
		}
	}
}

// flyway judges clean and undo.
func (m *migCheck) flyway() {
	for _, t := range m.pos("") {
		switch t {
		case "clean":
			m.report("migrations.drop-database", "flyway clean drops every object (tables, views, data) in the configured schemas")
		case "undo":
			m.report("migrations.rollback", "flyway undo undoes the last migration, dropping what it created")
		}
	}
}

// liquibase judges dropAll and the rollback commands (not their -sql
// forms, which only print).
func (m *migCheck) liquibase() {
	for _, t := range m.pos("--changelog-file --changeLogFile --url --username --password --defaults-file --defaultsFile --tag --count --date") {
		switch t {
		case "dropAll", "drop-all":
			m.report("migrations.drop-database", "liquibase "+t+" drops every object in the database")
		case "rollback", "rollbackCount", "rollback-count", "rollbackToDate", "rollback-to-date",
			"rollbackOneChangeSet", "rollback-one-changeset", "rollbackOneUpdate", "rollback-one-update":
			m.report("migrations.rollback", "liquibase "+t+" undoes applied changesets, dropping what they created")
		}
	}
}

// goose judges reset, down-to, down and redo.
func (m *migCheck) goose() {
	p := m.pos("-dir -table -certfile -ssl-cert -ssl-key -env")
	for i, t := range p {
		switch t {
		case "reset":
			m.report("migrations.rollback-all", "goose reset undoes every migration, dropping the tables they created")
		case "down-to":
			if i+1 < len(p) && p[i+1] == "0" {
				m.report("migrations.rollback-all", "goose down-to 0 undoes every migration, dropping the tables they created")
			} else {
				m.report("migrations.rollback", "goose down-to undoes the migrations after the given version, dropping what they created")
			}
		case "down", "redo":
			m.report("migrations.rollback", "goose "+t+" undoes the last migration, dropping what it created")
		default:
			continue
		}
		return
	}
}

// dbmate judges drop, down and rollback.
func (m *migCheck) dbmate() {
	p := m.pos("-d --migrations-dir -s --schema-file -u --url -e --env --env-file --migrations-table --wait-timeout")
	if len(p) == 0 {
		return
	}
	switch p[0] {
	case "drop":
		m.report("migrations.drop-database", "dbmate drop drops the database with all its data")
	case "down", "rollback":
		m.report("migrations.rollback", "dbmate "+p[0]+" undoes the last migration, dropping what it created")
	}
}

// golangMigrate judges golang-migrate's "migrate" command.
func (m *migCheck) golangMigrate() {
	p := m.pos("-path -database -source -lock-timeout -prefetch --path --database --source")
	if len(p) == 0 {
		return
	}
	switch p[0] {
	case "drop":
		m.report("migrations.drop-database", "migrate drop drops everything in the database")
	case "down":
		if len(p) > 1 && !m.has("-all --all") {
			m.report("migrations.rollback", "migrate down "+p[1]+" undoes the last "+p[1]+" migrations, dropping what they created")
		} else {
			m.report("migrations.rollback-all", "migrate down undoes every migration, dropping the tables they created")
		}
	}
}

// artisan judges Laravel's destructive migrate and db commands.
func (m *migCheck) artisan() {
	p := m.pos("--env --database --path --step")
	if len(p) == 0 {
		return
	}
	switch p[0] {
	case "migrate:fresh":
		m.report("migrations.reset-database", "artisan migrate:fresh drops every table and reruns the migrations: all data is lost")
	case "migrate:refresh":
		m.report("migrations.reset-database", "artisan migrate:refresh undoes every migration and reruns them: all data is lost")
	case "migrate:reset":
		m.report("migrations.rollback-all", "artisan migrate:reset undoes every migration, dropping the tables they created")
	case "migrate:rollback":
		m.report("migrations.rollback", "artisan migrate:rollback undoes the last batch of migrations, dropping what they created")
	case "db:wipe":
		m.report("migrations.drop-database", "artisan db:wipe drops every table, view and type in the database")
	}
}

// symfony judges Symfony's bin/console with Doctrine.
func (m *migCheck) symfony() {
	p := m.pos("--env -e --connection --em")
	if len(p) == 0 {
		return
	}
	force := m.has("--force -f")
	switch p[0] {
	case "doctrine:database:drop", "d:d:d":
		if force {
			m.report("migrations.drop-database", "doctrine:database:drop --force drops the database with all its data")
		}
	case "doctrine:schema:drop":
		if force {
			m.report("migrations.drop-database", "doctrine:schema:drop --force drops every table with its data")
		}
	case "doctrine:fixtures:load":
		if !m.has("--append") {
			m.report("migrations.reset-database", "doctrine:fixtures:load empties every table before loading fixtures: existing rows are lost")
		}
	case "doctrine:migrations:migrate":
		if len(p) > 1 && p[1] == "first" {
			m.report("migrations.rollback-all", "doctrine:migrations:migrate first undoes every migration, dropping the tables they created")
		} else if len(p) > 1 && p[1] == "prev" {
			m.report("migrations.rollback", "doctrine:migrations:migrate prev undoes the last migration, dropping what it created")
		}
	}
}

// diesel judges database reset and migration revert/redo.
func (m *migCheck) diesel() {
	p := m.pos("--database-url --migration-dir --config-file")
	if len(p) < 2 {
		return
	}
	switch {
	case p[0] == "database" && p[1] == "reset":
		m.report("migrations.reset-database", "diesel database reset drops the database and recreates it: all its data is lost")
	case p[0] == "migration" && p[1] == "revert":
		if m.has("--all") {
			m.report("migrations.rollback-all", "diesel migration revert --all undoes every migration, dropping the tables they created")
		} else {
			m.report("migrations.rollback", "diesel migration revert undoes the last migration, dropping what it created")
		}
	case p[0] == "migration" && p[1] == "redo":
		m.report("migrations.rollback", "diesel migration redo undoes and reapplies the last migration: the data in what it created is lost")
	}
}

// sqlx judges database drop/reset and migrate revert.
func (m *migCheck) sqlx() {
	p := m.pos("-D --database-url --source --connect-timeout")
	if len(p) < 2 {
		return
	}
	switch {
	case p[0] == "database" && p[1] == "drop":
		m.report("migrations.drop-database", "sqlx database drop drops the database with all its data")
	case p[0] == "database" && p[1] == "reset":
		m.report("migrations.reset-database", "sqlx database reset drops the database and recreates it: all its data is lost")
	case p[0] == "migrate" && p[1] == "revert":
		m.report("migrations.rollback", "sqlx migrate revert undoes the last migration, dropping what it created")
	}
}

// efCore judges "dotnet ef".
func (m *migCheck) efCore() {
	p := m.pos("-p --project -s --startup-project -c --context --framework --configuration --runtime --connection")
	if len(p) < 2 || p[0] != "database" {
		return
	}
	switch {
	case p[1] == "drop":
		m.report("migrations.drop-database", "dotnet ef database drop drops the database with all its data")
	case p[1] == "update" && len(p) > 2 && p[2] == "0":
		m.report("migrations.rollback-all", "dotnet ef database update 0 undoes every migration, dropping the tables they created")
	}
}
