package rules

import (
	"strings"
	"testing"
)

func TestMigrationsFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// prisma, however it is reached
		{"npx prisma migrate reset", Confirm, "migrations.reset-database"},
		{"npx prisma migrate reset --force --skip-seed", Confirm, "migrations.reset-database"},
		{"npx -y prisma@5.10.0 migrate reset", Confirm, "migrations.reset-database"},
		{"npx --yes --package prisma prisma migrate reset", Confirm, "migrations.reset-database"},
		{"pnpm prisma migrate reset", Confirm, "migrations.reset-database"},
		{"pnpm exec prisma migrate reset", Confirm, "migrations.reset-database"},
		{"pnpm --filter api exec prisma migrate reset", Confirm, "migrations.reset-database"},
		{"pnpm dlx prisma migrate reset", Confirm, "migrations.reset-database"},
		{"yarn prisma migrate reset", Confirm, "migrations.reset-database"},
		{"yarn workspace api prisma migrate reset", Confirm, "migrations.reset-database"},
		{"bunx prisma migrate reset", Confirm, "migrations.reset-database"},
		{"bun x prisma migrate reset", Confirm, "migrations.reset-database"},
		{"npm exec prisma -- migrate reset", Confirm, "migrations.reset-database"},
		{"npm exec -- prisma migrate reset", Confirm, "migrations.reset-database"},
		{"./node_modules/.bin/prisma migrate reset", Confirm, "migrations.reset-database"},
		{"prisma migrate reset --schema prisma/schema.prisma", Confirm, "migrations.reset-database"},
		{"npx prisma db push --force-reset", Confirm, "migrations.reset-database"},
		{"npx prisma db push --accept-data-loss", Confirm, "migrations.schema-overwrite"},
		{"sudo npx prisma migrate reset", Confirm, "migrations.reset-database"},
		{"npx -c 'prisma migrate reset'", Confirm, "migrations.reset-database"},
		// drizzle
		{"npx drizzle-kit push --force", Confirm, "migrations.schema-overwrite"},
		{"drizzle-kit push:pg --force", Confirm, "migrations.schema-overwrite"},
		{"npx drizzle-kit drop", Confirm, "migrations.delete-migrations"},
		// rails and rake
		{"RAILS_ENV=production rails db:drop", Confirm, "migrations.drop-database"},
		{"bin/rails db:schema:load", Confirm, "migrations.schema-overwrite"},
		{"rake db:reset", Confirm, "migrations.reset-database"},
		{"bundle exec rails db:drop db:create db:migrate", Confirm, "migrations.drop-database"},
		{"bundle exec rake db:purge", Confirm, "migrations.reset-database"},
		{"bin/rails db:setup", Confirm, "migrations.schema-overwrite"},
		{"bin/rails db:migrate:reset", Confirm, "migrations.reset-database"},
		{"bin/rails db:truncate_all", Confirm, "migrations.reset-database"},
		{"bin/rails db:seed:replant", Confirm, "migrations.reset-database"},
		{"bin/rails db:drop:primary", Confirm, "migrations.drop-database"},
		{"bin/rails db:rollback STEP=3", Confirm, "migrations.rollback"},
		{"bin/rails db:migrate VERSION=0", Confirm, "migrations.rollback-all"},
		{"rake db:drop RAILS_ENV=production", Confirm, "migrations.drop-database"},
		{"bin/rake db:structure:load", Confirm, "migrations.schema-overwrite"},
		// django
		{"python manage.py flush", Confirm, "migrations.reset-database"},
		{"python manage.py flush --noinput", Confirm, "migrations.reset-database"},
		{"python3 manage.py flush", Confirm, "migrations.reset-database"},
		{"python3.12 -u manage.py flush", Confirm, "migrations.reset-database"},
		{"./manage.py flush", Confirm, "migrations.reset-database"},
		{"python manage.py reset_db --noinput", Confirm, "migrations.reset-database"},
		{"django-admin flush --settings=app.settings", Confirm, "migrations.reset-database"},
		{"python -m django flush", Confirm, "migrations.reset-database"},
		{"uv run python manage.py flush", Confirm, "migrations.reset-database"},
		{"poetry run python manage.py flush", Confirm, "migrations.reset-database"},
		{"python manage.py migrate shop zero", Confirm, "migrations.rollback-all"},
		{"python manage.py migrate shop 0003", Confirm, "migrations.rollback"},
		// alembic, flask-migrate
		{"alembic downgrade base", Confirm, "migrations.rollback-all"},
		{"alembic -c alembic.ini downgrade -1", Confirm, "migrations.rollback"},
		{"python -m alembic downgrade base", Confirm, "migrations.rollback-all"},
		{"flask db downgrade", Confirm, "migrations.rollback"},
		// node ORMs
		{"npx knex migrate:rollback --all", Confirm, "migrations.rollback-all"},
		{"npx knex migrate:rollback", Confirm, "migrations.rollback"},
		{"npx sequelize-cli db:drop", Confirm, "migrations.drop-database"},
		{"npx sequelize db:migrate:undo:all", Confirm, "migrations.rollback-all"},
		{"npx typeorm schema:drop", Confirm, "migrations.drop-database"},
		{"npx typeorm-ts-node-commonjs schema:drop -d src/data-source.ts", Confirm, "migrations.drop-database"},
		{"npx typeorm migration:revert -d src/data-source.ts", Confirm, "migrations.rollback"},
		// elixir, JVM, go, others
		{"mix ecto.reset", Confirm, "migrations.reset-database"},
		{"mix ecto.drop", Confirm, "migrations.drop-database"},
		{"mix ecto.rollback --all", Confirm, "migrations.rollback-all"},
		{"mix do ecto.drop, ecto.create", Confirm, "migrations.drop-database"},
		{"flyway clean", Confirm, "migrations.drop-database"},
		{"flyway -cleanDisabled=false clean", Confirm, "migrations.drop-database"},
		{"liquibase dropAll", Confirm, "migrations.drop-database"},
		{"liquibase --changelog-file=db.xml drop-all", Confirm, "migrations.drop-database"},
		{"goose postgres 'user=app dbname=app' reset", Confirm, "migrations.rollback-all"},
		{"goose down-to 0", Confirm, "migrations.rollback-all"},
		{"dbmate drop", Confirm, "migrations.drop-database"},
		{"dbmate down", Confirm, "migrations.rollback"},
		{"migrate -path db/migrations -database postgres://localhost/app drop -f", Confirm, "migrations.drop-database"},
		{"migrate -path db/migrations -database postgres://localhost/app down", Confirm, "migrations.rollback-all"},
		{"supabase db reset", Confirm, "migrations.reset-database"},
		{"npx supabase db reset --linked", Confirm, "migrations.reset-database"},
		{"php artisan migrate:fresh --seed", Confirm, "migrations.reset-database"},
		{"php artisan db:wipe --force", Confirm, "migrations.drop-database"},
		{"php bin/console doctrine:database:drop --force", Confirm, "migrations.drop-database"},
		{"diesel database reset", Confirm, "migrations.reset-database"},
		{"sqlx database drop -y", Confirm, "migrations.drop-database"},
		{"dotnet ef database drop --force", Confirm, "migrations.drop-database"},
		{"atlas schema clean -u postgres://localhost/app", Confirm, "migrations.drop-database"},
		// nested code reaches the pack too
		{"bash -c 'npx prisma migrate reset --force'", Confirm, "migrations.reset-database"},
		{"ssh prod 'cd /srv/app && bin/rails db:drop'", Confirm, "migrations.drop-database"},
	}, MigrationsPack())
}

func TestMigrationsAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"npx prisma migrate dev --name init", Allow, ""},
		{"npx prisma migrate deploy", Allow, ""},
		{"npx prisma generate", Allow, ""},
		{"npx prisma db push", Allow, ""},
		{"npx prisma migrate status", Allow, ""},
		{"npx prisma studio", Allow, ""},
		{"pnpm install", Allow, ""},
		{"yarn migrate", Allow, ""},
		{"yarn run db:reset", Allow, ""},
		{"npm run migrate", Allow, ""},
		{"npx drizzle-kit push", Allow, ""},
		{"npx drizzle-kit generate", Allow, ""},
		{"bin/rails db:migrate", Allow, ""},
		{"bin/rails db:migrate:status", Allow, ""},
		{"bin/rails db:prepare", Allow, ""},
		{"bin/rails db:test:prepare", Allow, ""},
		{"bin/rails db:create", Allow, ""},
		{"bin/rails db:seed", Allow, ""},
		{"bundle exec rake -T", Allow, ""},
		{"bin/rails server", Allow, ""},
		{"python manage.py migrate", Allow, ""},
		{"python manage.py migrate shop", Allow, ""},
		{"python manage.py makemigrations", Allow, ""},
		{"python manage.py runserver", Allow, ""},
		{"python manage.py sqlflush", Allow, ""},
		{"python manage.py test", Allow, ""},
		{"python -m pytest tests/", Allow, ""},
		{"python script.py flush", Allow, ""},
		{"alembic upgrade head", Allow, ""},
		{"alembic downgrade base --sql", Allow, ""},
		{"alembic revision --autogenerate -m add_users", Allow, ""},
		{"flask db upgrade", Allow, ""},
		{"npx knex migrate:latest", Allow, ""},
		{"npx knex seed:run", Allow, ""},
		{"npx sequelize-cli db:migrate", Allow, ""},
		{"npx typeorm migration:run -d src/data-source.ts", Allow, ""},
		{"mix ecto.migrate", Allow, ""},
		{"mix ecto.create", Allow, ""},
		{"mix test", Allow, ""},
		{"flyway migrate", Allow, ""},
		{"flyway info", Allow, ""},
		{"liquibase update", Allow, ""},
		{"liquibase rollback-count-sql 1", Allow, ""},
		{"goose up", Allow, ""},
		{"goose status", Allow, ""},
		{"dbmate up", Allow, ""},
		{"migrate", Allow, ""},
		{"migrate -path db/migrations -database postgres://localhost/app up", Allow, ""},
		{"supabase db push", Allow, ""},
		{"supabase start", Allow, ""},
		{"php artisan migrate", Allow, ""},
		{"php artisan serve", Allow, ""},
		{"php bin/console doctrine:database:drop", Allow, ""},
		{"diesel migration run", Allow, ""},
		{"sqlx migrate run", Allow, ""},
		{"dotnet ef database update", Allow, ""},
		{"dotnet build", Allow, ""},
		{"echo 'rails db:drop'", Allow, ""},
		{"grep -rn 'prisma migrate reset' docs/", Allow, ""},
		{"git commit -m 'do not run flyway clean'", Allow, ""},
	}, MigrationsPack())
}

// TestMigrationsWhere checks that the reason says where the data is lost.
func TestMigrationsWhere(t *testing.T) {
	cases := []struct{ src, want string }{
		{"RAILS_ENV=production rails db:drop", "in production (RAILS_ENV=production)"},
		{"rake db:drop RAILS_ENV=production", "in production"},
		{"bin/rails db:drop -e production", "in production"},
		{"MIX_ENV=prod mix ecto.reset", "in production (MIX_ENV=prod)"},
		{"DISABLE_DATABASE_ENVIRONMENT_CHECK=1 bin/rails db:drop", "protection of production databases disabled"},
		{"DATABASE_URL=postgres://admin:s3cret@db.internal:5432/shop npx prisma migrate reset", "on the database at db.internal:5432"},
		{"npx supabase db reset --linked", "linked Supabase project"},
		{"ssh prod 'bin/rails db:drop'", "on ssh prod"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, MigrationsPack())
		if v.Decision != Confirm || len(v.Findings) == 0 {
			t.Errorf("%q: got %s %+v, want confirm", c.src, v.Decision, v.Findings)
			continue
		}
		if r := v.Findings[0].Reason; !strings.Contains(r, c.want) {
			t.Errorf("%q: reason %q does not say %q", c.src, r, c.want)
		}
		if strings.Contains(v.Findings[0].Reason, "s3cret") {
			t.Errorf("%q: reason shows the password: %q", c.src, v.Findings[0].Reason)
		}
	}
}

// TestMigrationsCorpus runs the "migrations and ORMs" section of the shared
// corpus.
func TestMigrationsCorpus(t *testing.T) {
	var cases []ruleCase
	for _, src := range []string{
		"npx prisma migrate reset",
		"npx prisma db push --accept-data-loss",
		"RAILS_ENV=production rails db:drop",
		"bin/rails db:schema:load",
		"rake db:reset",
		"python manage.py flush",
		"python manage.py reset_db --noinput",
		"npx sequelize-cli db:drop",
		"npx typeorm schema:drop",
		"mix ecto.reset",
		"flyway clean",
		"supabase db reset",
	} {
		cases = append(cases, ruleCase{src, Confirm, ""})
	}
	for _, src := range []string{
		"python manage.py runserver",
		"bin/rails db:migrate",
		"npx prisma migrate dev --name init",
		"npx prisma generate",
		"alembic upgrade head",
		"python -m pytest tests/ -k login",
		"npx vitest run",
		"npm ci",
		"yarn install",
		"pnpm add zod",
	} {
		cases = append(cases, ruleCase{src, Allow, ""})
	}
	runRuleCases(t, cases, MigrationsPack())
}
