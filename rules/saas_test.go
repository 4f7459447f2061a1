package rules

import "testing"

func TestSaaSFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"stripe customers delete cus_NffrFeUfNV2Hib", Confirm, "saas.stripe-write"},
		{"stripe customers delete cus_NffrFeUfNV2Hib --live --confirm", Confirm, "saas.stripe-write"},
		{"stripe products delete prod_NWjs8kKbJWmuuc", Confirm, "saas.stripe-write"},
		{"stripe subscriptions cancel sub_1MowQVLkdIwHu7ix", Confirm, "saas.stripe-write"},
		{"stripe invoices void in_1MtHbELkdIwHu7ix", Confirm, "saas.stripe-write"},
		{"stripe webhook_endpoints delete we_1Mr5jULkdIwHu7ix", Confirm, "saas.stripe-write"},
		{"stripe refunds create --charge ch_3MmlLrLkdIwHu7ix", Confirm, "saas.stripe-write"},
		{"stripe payouts create --amount 500000 --currency usd --live", Confirm, "saas.stripe-write"},
		{"stripe delete /v1/customers/cus_NffrFeUfNV2Hib", Confirm, "saas.stripe-write"},
		{"stripe post /v1/refunds -d charge=ch_3MmlLrLkdIwHu7ix --api-key sk_live_xxx", Confirm, "saas.stripe-write"},
		{`stripe customers "$VERB" cus_1`, Confirm, "saas.unknown-subcommand"},
		{"pd service disable -i PXPGF42", Confirm, "saas.pagerduty-delete"},
		{"pd schedule delete -i P1Q2R3S", Confirm, "saas.pagerduty-delete"},
		{"pd user delete -i PABC123", Confirm, "saas.pagerduty-delete"},
		{"splunk clean eventdata -index main -f", Confirm, "saas.splunk-clean"},
		{"/opt/splunk/bin/splunk clean eventdata -f", Confirm, "saas.splunk-clean"},
		{"splunk clean all -f", Confirm, "saas.splunk-clean"},
		{"splunk remove index web_logs", Confirm, "saas.splunk-clean"},
		{"algolia indices delete products --confirm", Confirm, "saas.algolia-delete"},
		{"algolia indices clear products -y", Confirm, "saas.algolia-delete"},
		{"algolia objects delete products --object-ids 1,2,3 -y", Confirm, "saas.algolia-delete"},
		{"algolia objects delete products --filters 'brand:acme' -y", Confirm, "saas.algolia-delete"},
		{"algolia rules delete products --rule-ids summer -y", Confirm, "saas.algolia-delete"},
		{"newrelic entity delete --guid MXxBUE18QVBQTElDQVRJT058MjE1MDM3Nzk1", Confirm, "saas.newrelic-delete"},
		{"newrelic apiAccess apiAccessDeleteKeys --keys '{\"ingestKeyIds\":[\"x\"]}'", Confirm, "saas.newrelic-delete"},
	}, SaaSPack())
}

func TestSaaSAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"stripe listen --forward-to localhost:3000/webhooks", Allow, ""},
		{"stripe trigger payment_intent.succeeded", Allow, ""},
		{"stripe customers list --limit 5", Allow, ""},
		{"stripe customers retrieve cus_NffrFeUfNV2Hib", Allow, ""},
		{"stripe customers create --email dev@example.com", Allow, ""},
		{"stripe get /v1/customers/cus_NffrFeUfNV2Hib", Allow, ""},
		{"stripe logs tail", Allow, ""},
		{"stripe login", Allow, ""},
		{"stripe samples create accept-a-payment", Allow, ""},
		{"pd incident list", Allow, ""},
		{"pd service list", Allow, ""},
		{"pd schedule show -i P1Q2R3S", Allow, ""},
		{"splunk search 'index=main error' -earliest_time -1h", Allow, ""},
		{"splunk list index", Allow, ""},
		{"splunk status", Allow, ""},
		{"algolia indices list", Allow, ""},
		{"algolia search products --query phone", Allow, ""},
		{"algolia objects browse products", Allow, ""},
		{"algolia settings get products", Allow, ""},
		{"newrelic entity search --name api", Allow, ""},
		{"newrelic nrql query --query 'SELECT count(*) FROM Transaction'", Allow, ""},
	}, SaaSPack())
}

func TestSaaSReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"stripe customers delete cus_1 --live", "saas.stripe-write", []string{"Stripe customer cus_1 in Stripe's live mode", "subscriptions"}},
		{"stripe customers delete cus_1", "saas.stripe-write", []string{"test mode"}},
		{"stripe refunds create --charge ch_1", "saas.stripe-write", []string{"refunds money"}},
		{"splunk clean eventdata -index main -f", "saas.splunk-clean", []string{"every indexed event of the index main"}},
		{"algolia indices delete products --confirm", "saas.algolia-delete", []string{"Algolia indices products"}},
	}, SaaSPack())
}
