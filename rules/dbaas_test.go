package rules

import "testing"

func TestDBaaSFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// PlanetScale
		{"pscale database delete shop --force", Confirm, "dbaas.planetscale-delete"},
		{"pscale db delete shop --org acme", Confirm, "dbaas.planetscale-delete"},
		{"pscale branch delete shop add-index --force", Confirm, "dbaas.planetscale-delete"},
		{"pscale backup delete shop main 2024-06-01", Confirm, "dbaas.planetscale-delete"},
		{"pscale password delete shop main app-prod", Confirm, "dbaas.planetscale-delete"},
		{`pscale branch "$VERB" shop dev`, Confirm, "dbaas.unknown-subcommand"},
		// Neon
		{"neonctl projects delete snowy-sun-123456", Confirm, "dbaas.neon-delete"},
		{"neonctl branches delete preview/pr-42 --project-id snowy-sun-123456", Confirm, "dbaas.neon-delete"},
		{"neonctl databases delete shop --branch main", Confirm, "dbaas.neon-delete"},
		{"neonctl roles delete app_rw", Confirm, "dbaas.neon-delete"},
		{"neonctl branches reset dev --parent", Confirm, "dbaas.neon-delete"},
		{"neonctl branches restore main ^self@2024-06-01T00:00:00Z", Confirm, "dbaas.neon-delete"},
		{"npx neonctl projects delete snowy-sun-123456", Confirm, "dbaas.neon-delete"},
		// Turso
		{"turso db destroy shop --yes", Confirm, "dbaas.turso-destroy"},
		{"turso group destroy default", Confirm, "dbaas.turso-destroy"},
		{"turso org destroy acme", Confirm, "dbaas.turso-destroy"},
		{"turso db tokens invalidate shop", Confirm, "dbaas.turso-destroy"},
		// MongoDB Atlas
		{"atlas clusters delete prod --force", Confirm, "dbaas.atlas-delete"},
		{"atlas clusters delete prod --projectId 5e2211c17a3e5a48f5497de3", Confirm, "dbaas.atlas-delete"},
		{"atlas projects delete 5e2211c17a3e5a48f5497de3", Confirm, "dbaas.atlas-delete"},
		{"atlas dbusers delete app-user --force", Confirm, "dbaas.atlas-delete"},
		{"atlas backups snapshots delete 5f4007f327a3bd7b6f4103c5 --clusterName prod", Confirm, "dbaas.atlas-delete"},
		{"atlas accessLists delete 0.0.0.0/0", Confirm, "dbaas.atlas-delete"},
		{"atlas clusters pause prod", Confirm, "dbaas.atlas-delete"},
		// Firebase
		{"firebase firestore:delete --all-collections --force", Confirm, "dbaas.firebase-delete"},
		{"firebase firestore:delete users -r --project shop-prod", Confirm, "dbaas.firebase-delete"},
		{"firebase database:remove /users --force", Confirm, "dbaas.firebase-delete"},
		{"firebase database:set / empty.json -P shop-prod", Confirm, "dbaas.firebase-delete"},
		{"firebase functions:delete sendEmail --force", Confirm, "dbaas.firebase-delete"},
		{"firebase hosting:disable", Confirm, "dbaas.firebase-delete"},
		{"firebase hosting:channel:delete pr-42", Confirm, "dbaas.firebase-delete"},
		{"npx firebase-tools firestore:delete --all-collections -y", Confirm, "dbaas.firebase-delete"},
		// Sanity
		{"sanity dataset delete production", Confirm, "dbaas.sanity-delete"},
		{"npx sanity@latest dataset delete production", Confirm, "dbaas.sanity-delete"},
		{"sanity dataset import export.tar.gz production --replace", Confirm, "dbaas.sanity-delete"},
		{"sanity documents delete post-1 post-2 --dataset production", Confirm, "dbaas.sanity-delete"},
		{"sanity graphql undeploy", Confirm, "dbaas.sanity-delete"},
		// Convex
		{"npx convex import --replace --table users users.jsonl", Confirm, "dbaas.convex-replace"},
		{"npx convex import --replace-all --prod snapshot.zip", Confirm, "dbaas.convex-replace"},
		{"npx convex env remove STRIPE_KEY --prod", Confirm, "dbaas.convex-replace"},
	}, DBaaSPack())
}

func TestDBaaSAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"pscale database list", Allow, ""},
		{"pscale branch list shop", Allow, ""},
		{"pscale branch create shop add-index", Allow, ""},
		{"pscale connect shop main --port 3309", Allow, ""},
		{"pscale deploy-request create shop add-index", Allow, ""},
		{"neonctl projects list", Allow, ""},
		{"neonctl branches create --name preview/pr-42", Allow, ""},
		{"neonctl connection-string main", Allow, ""},
		{"turso db list", Allow, ""},
		{"turso db show shop", Allow, ""},
		{"turso db create shop-staging", Allow, ""},
		{"turso db shell shop 'SELECT count(*) FROM users'", Allow, ""},
		{"turso db tokens create shop", Allow, ""},
		{"atlas clusters list", Allow, ""},
		{"atlas clusters describe prod", Allow, ""},
		{"atlas schema apply --url mysql://root@localhost:3306/shop --to file://schema.hcl --dry-run", Allow, ""},
		{"atlas migrate diff --env local", Allow, ""},
		{"firebase deploy --only hosting", Allow, ""},
		{"firebase emulators:start", Allow, ""},
		{"firebase firestore:indexes", Allow, ""},
		{"firebase database:get /users --shallow", Allow, ""},
		{"firebase functions:log", Allow, ""},
		{"npx firebase-tools emulators:start", Allow, ""},
		{"sanity dataset list", Allow, ""},
		{"sanity dataset export production backup.tar.gz", Allow, ""},
		{"sanity dataset import export.tar.gz staging --missing", Allow, ""},
		{"sanity documents get post-1", Allow, ""},
		{"sanity deploy", Allow, ""},
		{"npx convex dev", Allow, ""},
		{"npx convex deploy", Allow, ""},
		{"npx convex import --table users users.jsonl", Allow, ""},
		{"npx convex export --path backup.zip", Allow, ""},
		{"npx convex env list", Allow, ""},
		{"npm run build", Allow, ""},
	}, DBaaSPack())
}

func TestDBaaSReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"pscale branch delete shop add-index --force", "dbaas.planetscale-delete", []string{"branch add-index of the PlanetScale database shop"}},
		{"neonctl branches delete preview/pr-42 --project-id snowy", "dbaas.neon-delete", []string{"Neon branch preview/pr-42 of the Neon project snowy"}},
		{"turso db destroy shop --yes", "dbaas.turso-destroy", []string{"Turso databases shop"}},
		{"atlas clusters delete prod --force", "dbaas.atlas-delete", []string{"MongoDB Atlas cluster prod", "every database"}},
		{"firebase firestore:delete --all-collections -P shop-prod", "dbaas.firebase-delete", []string{"every collection", "Firebase project shop-prod"}},
		{"npx convex import --replace-all --prod snapshot.zip", "dbaas.convex-replace", []string{"every table of the Convex production deployment", "snapshot.zip"}},
	}, DBaaSPack())
}

// TestTursoShellSQL checks that the SQL given to turso db shell is judged
// by the sql pack.
func TestTursoShellSQL(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"turso db shell shop 'DROP TABLE users'", Confirm, ""},
		{"turso db shell shop 'DELETE FROM users'", Confirm, ""},
		{"turso db shell shop 'SELECT * FROM users LIMIT 5'", Allow, ""},
	}, Builtin()...)
}
