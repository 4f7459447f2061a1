package rules

import (
	"strings"
	"testing"
)

func TestDNSFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`aws route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"api.acme.dev","Type":"A"}}]}'`, Confirm, "dns.route53-delete"},
		{`aws route53 change-resource-record-sets --hosted-zone-id=Z0123 --change-batch='{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a"}},{"Action":"delete","ResourceRecordSet":{"Name":"b"}}]}'`, Confirm, "dns.route53-delete"},
		{"aws route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch 'Changes=[{Action=DELETE,ResourceRecordSet={Name=api.acme.dev,Type=A}}]'", Confirm, "dns.route53-delete"},
		{`aws --profile prod route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch "$BATCH"`, Confirm, "dns.unknown-change"},
		{"aws route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch file://missing.json", Confirm, "dns.unknown-change"},
		{"cli53 rrdelete acme.dev api A", Confirm, "dns.record-delete"},
		{"cli53 rrpurge --confirm acme.dev", Confirm, "dns.record-delete"},
		{"cli53 delete --purge acme.dev", Confirm, "dns.record-delete"},
		{"cli53 import --replace --file acme.dev.zone acme.dev", Confirm, "dns.zone-sync"},
		{"dnscontrol push", Confirm, "dns.zone-sync"},
		{"dnscontrol push --domains acme.dev", Confirm, "dns.zone-sync"},
		{"octodns-sync --config-file config/production.yaml --doit", Confirm, "dns.zone-sync"},
		{"flarectl dns delete --zone acme.dev --id 372e67954025e0ba6aaa6d586b9e0b59", Confirm, "dns.record-delete"},
		{"flarectl zone delete --zone acme.dev", Confirm, "dns.record-delete"},
	}, DNSPack())
}

func TestDNSAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{`aws route53 change-resource-record-sets --hosted-zone-id Z0123 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.acme.dev","Type":"A"}}]}'`, Allow, ""},
		{"aws route53 list-resource-record-sets --hosted-zone-id Z0123", Allow, ""},
		{"aws route53 list-hosted-zones", Allow, ""},
		{"aws s3 ls", Allow, ""},
		{"cli53 list", Allow, ""},
		{"cli53 export acme.dev", Allow, ""},
		{"cli53 rrcreate acme.dev 'api 300 A 10.0.0.1'", Allow, ""},
		{"cli53 import --file acme.dev.zone acme.dev", Allow, ""},
		{"dnscontrol preview", Allow, ""},
		{"dnscontrol check", Allow, ""},
		{"octodns-sync --config-file config/production.yaml", Allow, ""},
		{"flarectl dns list --zone acme.dev", Allow, ""},
	}, DNSPack())
}

func TestDNSBatchFile(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/delete.json"] = `{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"www.acme.dev","Type":"CNAME"}}]}`
	fsys[testCwd+"/upsert.json"] = `{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"www.acme.dev","Type":"CNAME"}}]}`
	v := judgeIn(t, "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://delete.json", fsys, DNSPack())
	if v.Decision != Confirm || len(v.Findings) != 1 || v.Findings[0].Rule != "dns.route53-delete" {
		t.Errorf("file batch with DELETE: %+v", v)
	} else if want := "www.acme.dev CNAME"; !strings.Contains(v.Findings[0].Reason, want) {
		t.Errorf("reason %q does not name %q", v.Findings[0].Reason, want)
	}
	if v := judgeIn(t, "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://upsert.json", fsys, DNSPack()); v.Decision != Allow {
		t.Errorf("file batch with UPSERT: %+v", v)
	}
}
