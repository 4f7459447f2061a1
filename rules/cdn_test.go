package rules

import "testing"

func TestCDNFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"fastly service delete --service-id SU1Z0isxPaozGVKXdv0eY --force", Confirm, "cdn.fastly-delete"},
		{"fastly service delete", Confirm, "cdn.fastly-delete"},
		{"fastly backend delete --name origin --service-id SU1Z --version latest", Confirm, "cdn.fastly-delete"},
		{"fastly domain delete --name www.acme.dev --version active --autoclone", Confirm, "cdn.fastly-delete"},
		{"fastly logging s3 delete --name s3-logs --version 3", Confirm, "cdn.fastly-delete"},
		{"fastly kv-store delete --store-id 7f2c", Confirm, "cdn.fastly-delete"},
		{"fastly kv-store-entry delete --store-id 7f2c --key session/42", Confirm, "cdn.fastly-delete"},
		{"fastly purge --all --service-id SU1Z", Confirm, "cdn.fastly-delete"},
		{`fastly "$GROUP" delete --name x`, Confirm, "cdn.unknown-subcommand"},
		{"deck gateway reset --force", Confirm, "cdn.kong-sync"},
		{"deck reset -f", Confirm, "cdn.kong-sync"},
		{"deck gateway sync kong.yaml", Confirm, "cdn.kong-sync"},
		{"deck sync -s kong.yaml --kong-addr https://admin.kong.prod:8001", Confirm, "cdn.kong-sync"},
		{"deck gateway sync --select-tag team-payments kong.yaml", Confirm, "cdn.kong-sync"},
		{"apigeecli apis delete --name orders-v1 --org acme", Confirm, "cdn.apigee-delete"},
		{"apigeecli apis undeploy --name orders-v1 --env prod --rev 7 --org acme", Confirm, "cdn.apigee-delete"},
		{"apigeecli kvms entries delete --map secrets --key db --org acme", Confirm, "cdn.apigee-delete"},
		{"apigeecli products delete --name gold --org acme", Confirm, "cdn.apigee-delete"},
		{"ldcli flags delete --project shop --flag new-checkout", Confirm, "cdn.flags-delete"},
		{"ldcli projects delete --project shop", Confirm, "cdn.flags-delete"},
		{"ldcli environments delete --project shop --environment staging", Confirm, "cdn.flags-delete"},
		{"ldcli segments delete --project shop --environment production --segment beta-users", Confirm, "cdn.flags-delete"},
		{"flipt import --drop flags.yml", Confirm, "cdn.flags-delete"},
	}, CDNPack())
}

func TestCDNAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"fastly service list", Allow, ""},
		{"fastly service describe --service-id SU1Z", Allow, ""},
		{"fastly compute publish", Allow, ""},
		{"fastly compute serve", Allow, ""},
		{"fastly backend list --service-id SU1Z --version active", Allow, ""},
		{"fastly purge --key product-42 --service-id SU1Z", Allow, ""},
		{"fastly purge --url https://www.acme.dev/index.html", Allow, ""},
		{"fastly log-tail --service-id SU1Z", Allow, ""},
		{"deck gateway diff kong.yaml", Allow, ""},
		{"deck gateway dump -o kong.yaml", Allow, ""},
		{"deck gateway validate kong.yaml", Allow, ""},
		{"deck gateway sync --dry-run kong.yaml", Allow, ""},
		{"deck gateway apply kong.yaml", Allow, ""},
		{"deck file openapi2kong -s openapi.yaml", Allow, ""},
		{"apigeecli apis list --org acme", Allow, ""},
		{"apigeecli apis create bundle --name orders-v1 --proxy-zip orders.zip --org acme", Allow, ""},
		{"ldcli flags list --project shop", Allow, ""},
		{"ldcli flags get --project shop --flag new-checkout", Allow, ""},
		{"ldcli flags create --project shop --data '{\"key\":\"x\",\"name\":\"x\"}'", Allow, ""},
		{"flipt import flags.yml", Allow, ""},
		{"flipt export -o flags.yml", Allow, ""},
	}, CDNPack())
}

func TestCDNReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"fastly service delete --service-id SU1Z --force", "cdn.fastly-delete", []string{"Fastly service SU1Z", "go down"}},
		{"fastly backend delete --name origin --service-id SU1Z --version 3", "cdn.fastly-delete", []string{"Fastly backend origin of the Fastly service SU1Z (version 3)"}},
		{"deck gateway sync kong.yaml --kong-addr https://k:8001", "cdn.kong-sync", []string{"match kong.yaml", "at https://k:8001", "deleted"}},
		{"ldcli flags delete --project shop --flag new-checkout", "cdn.flags-delete", []string{"flag new-checkout of the LaunchDarkly project shop", "fallback"}},
	}, CDNPack())
}
