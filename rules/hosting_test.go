package rules

import "testing"

func TestHostingFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// hcloud
		{"hcloud server delete web-1", Confirm, "hosting.hcloud-delete"},
		{"hcloud volume delete pg-data", Confirm, "hosting.hcloud-delete"},
		{"hcloud primary-ip delete 4711", Confirm, "hosting.hcloud-delete"},
		{"hcloud --context prod load-balancer delete lb-1", Confirm, "hosting.hcloud-delete"},
		{"hcloud server rebuild web-1 --image ubuntu-24.04", Confirm, "hosting.hcloud-delete"},
		{`hcloud "$RES" delete web-1`, Confirm, "hosting.unknown-subcommand"},
		// consul
		{"consul kv delete -recurse app/config", Confirm, "hosting.consul-delete"},
		{"consul kv delete -recurse", Confirm, "hosting.consul-delete"},
		{"consul kv delete app/config/db", Confirm, "hosting.consul-delete"},
		{"consul kv delete -http-addr=https://consul.prod:8501 -recurse app/", Confirm, "hosting.consul-delete"},
		{"consul snapshot restore backup.snap", Confirm, "hosting.consul-delete"},
		{"consul acl token delete -accessor-id 6a1253d2", Confirm, "hosting.consul-delete"},
		{"consul acl policy delete -name ci", Confirm, "hosting.consul-delete"},
		{"consul intention delete web db", Confirm, "hosting.consul-delete"},
		{"consul services deregister -id web-1", Confirm, "hosting.consul-delete"},
		{"consul force-leave node-3", Confirm, "hosting.consul-delete"},
		// nomad
		{"nomad job stop -purge api", Confirm, "hosting.nomad-stop"},
		{"nomad job stop api", Confirm, "hosting.nomad-stop"},
		{"nomad stop -purge api", Confirm, "hosting.nomad-stop"},
		{"NOMAD_ADDR=https://nomad.prod:4646 nomad job stop api", Confirm, "hosting.nomad-stop"},
		{"nomad namespace delete payments", Confirm, "hosting.nomad-stop"},
		{"nomad volume delete pg-data", Confirm, "hosting.nomad-stop"},
		{"nomad var purge nomad/jobs/api", Confirm, "hosting.nomad-stop"},
		{"nomad acl token delete 8f2c", Confirm, "hosting.nomad-stop"},
		{"nomad node drain -enable -yes 9a3f", Confirm, "hosting.nomad-stop"},
		// AWS application tools
		{"eb terminate shop-prod --force", Confirm, "hosting.aws-app-delete"},
		{"eb terminate --all --force", Confirm, "hosting.aws-app-delete"},
		{"copilot app delete --yes", Confirm, "hosting.aws-app-delete"},
		{"copilot env delete --name prod --yes", Confirm, "hosting.aws-app-delete"},
		{"copilot svc delete --name api --env prod --yes", Confirm, "hosting.aws-app-delete"},
		{"sam delete --stack-name shop-api --no-prompts", Confirm, "hosting.aws-app-delete"},
		{"sam delete", Confirm, "hosting.aws-app-delete"},
		{"amplify delete --force", Confirm, "hosting.aws-app-delete"},
		{"amplify env remove staging", Confirm, "hosting.aws-app-delete"},
		{"ampx sandbox delete --yes", Confirm, "hosting.aws-app-delete"},
		// kamal
		{"kamal remove -y", Confirm, "hosting.kamal-remove"},
		{"kamal remove -d production", Confirm, "hosting.kamal-remove"},
		{"kamal app remove", Confirm, "hosting.kamal-remove"},
		{"kamal accessory remove db -y", Confirm, "hosting.kamal-remove"},
		// dokku
		{"dokku apps:destroy shop --force", Confirm, "hosting.dokku-destroy"},
		{"dokku postgres:destroy shop-db --force", Confirm, "hosting.dokku-destroy"},
		{"dokku redis:destroy cache -f", Confirm, "hosting.dokku-destroy"},
		{"dokku postgres:import shop-db < dump.sql", Confirm, "hosting.dokku-destroy"},
	}, HostingPack())
}

func TestHostingAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"hcloud server list", Allow, ""},
		{"hcloud server describe web-1", Allow, ""},
		{"hcloud server create --name web-2 --type cx22 --image ubuntu-24.04", Allow, ""},
		{"hcloud volume list", Allow, ""},
		{"consul members", Allow, ""},
		{"consul kv get -recurse app/config", Allow, ""},
		{"consul kv put app/config/log_level debug", Allow, ""},
		{"consul snapshot save backup.snap", Allow, ""},
		{"consul catalog services", Allow, ""},
		{"consul acl token list", Allow, ""},
		{"nomad job status api", Allow, ""},
		{"nomad job run api.nomad.hcl", Allow, ""},
		{"nomad job plan api.nomad.hcl", Allow, ""},
		{"nomad alloc logs -f 5b3c", Allow, ""},
		{"nomad node status", Allow, ""},
		{"nomad node drain -disable 9a3f", Allow, ""},
		{"nomad var get nomad/jobs/api", Allow, ""},
		{"eb status", Allow, ""},
		{"eb deploy shop-prod", Allow, ""},
		{"eb logs", Allow, ""},
		{"copilot svc deploy --name api --env staging", Allow, ""},
		{"copilot svc status", Allow, ""},
		{"copilot app ls", Allow, ""},
		{"sam build", Allow, ""},
		{"sam deploy --guided", Allow, ""},
		{"sam local invoke HelloFunction", Allow, ""},
		{"amplify status", Allow, ""},
		{"amplify push", Allow, ""},
		{"ampx sandbox", Allow, ""},
		{"kamal deploy", Allow, ""},
		{"kamal app logs -f", Allow, ""},
		{"kamal accessory details db", Allow, ""},
		{"kamal setup", Allow, ""},
		{"dokku apps:list", Allow, ""},
		{"dokku logs shop -t", Allow, ""},
		{"dokku postgres:info shop-db", Allow, ""},
		{"dokku postgres:export shop-db > dump.sql", Allow, ""},
		{"dokku config:set shop LOG_LEVEL=debug", Allow, ""},
	}, HostingPack())
}

func TestHostingReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"hcloud server delete web-1", "hosting.hcloud-delete", []string{"Hetzner server web-1", "disk"}},
		{"consul kv delete -recurse app/config", "hosting.consul-delete", []string{"every Consul key under app/config"}},
		{"consul kv delete -recurse", "hosting.consul-delete", []string{"every key of the Consul key-value store"}},
		{"nomad job stop -purge api", "hosting.nomad-stop", []string{"Nomad job api", "purges"}},
		{"copilot svc delete --name api --env prod", "hosting.aws-app-delete", []string{"service api in environment prod"}},
		{"sam delete --stack-name shop-api", "hosting.aws-app-delete", []string{"CloudFormation stack shop-api"}},
		{"kamal accessory remove db", "hosting.kamal-remove", []string{"accessory db", "data directory"}},
		{"dokku postgres:destroy shop-db", "hosting.dokku-destroy", []string{"postgres service shop-db"}},
	}, HostingPack())
}
