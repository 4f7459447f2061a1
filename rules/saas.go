package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// SaaSPack returns the rules about the command line tools of payment,
// incident, logging and search services: the commands that delete their
// data or move money.
//
//   - stripe: "stripe RESOURCE delete|cancel|void|close|reject" (customers,
//     products, subscriptions, invoices, webhook endpoints...), refunds
//     and payouts create, and "stripe delete|post PATH" (raw API writes).
//   - pd (PagerDuty): any "... delete" or "... disable".
//   - splunk: clean (eventdata, userdata, all), remove index.
//   - algolia: indices delete and clear, objects, rules, synonyms and API
//     keys delete.
//   - newrelic: any command whose name deletes ("entity delete",
//     "apiAccess apiAccessDeleteKeys").
//
// Listing, reading, listening to webhooks and triggering test events
// report nothing. Stripe reasons say whether the live or the test mode is
// used, as far as the command shows it.
func SaaSPack() *Pack {
	return &Pack{
		Name:     "saas",
		Commands: []string{"stripe", "pd", "splunk", "algolia", "newrelic"},
		Check:    saasCheck,
		Rules: []Rule{
			{ID: "saas.stripe-write", Default: Confirm, Summary: "stripe ... delete/cancel/void, refunds/payouts create, stripe delete/post: deletes payment data or moves money"},
			{ID: "saas.pagerduty-delete", Default: Confirm, Summary: "pd ... delete/disable: deletes or disables PagerDuty services, schedules, users..."},
			{ID: "saas.splunk-clean", Default: Confirm, Summary: "splunk clean eventdata/userdata/all, remove index: deletes indexed data"},
			{ID: "saas.algolia-delete", Default: Confirm, Summary: "algolia indices delete/clear, objects/rules/synonyms/apikeys delete"},
			{ID: "saas.newrelic-delete", Default: Confirm, Summary: "newrelic ... delete: deletes New Relic entities, keys, dashboards..."},
			{ID: "saas.unknown-subcommand", Default: Confirm, Summary: "SaaS CLI subcommand that cannot be known statically"},
		},
	}
}

// saasCheck dispatches on the tool.
func saasCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "stripe":
		saasStripe(c)
	case "pd":
		saasPagerDuty(c)
	case "splunk":
		saasSplunk(c)
	case "algolia":
		saasAlgolia(c)
	case "newrelic":
		saasNewRelic(c)
	}
}

// saasUnknown reports a subcommand word that cannot be known.
func saasUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("saas.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// saasStripe judges the Stripe CLI.
func saasStripe(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "pde", long: []string{"--api-key", "--project-name", "--stripe-account",
		"--stripe-version", "--color", "--config", "--log-level", "--data", "--expand", "--idempotency", "--limit"}})
	group, verb := a.op(0), a.op(1)
	if saasUnknown(c, group) {
		return
	}
	mode := " in Stripe's test mode"
	if a.on("--live") || strings.HasPrefix(a.str("--api-key"), "sk_live") || strings.HasPrefix(a.str("--api-key"), "rk_live") {
		mode = " in Stripe's live mode"
	} else if a.has("--api-key") || c.Inv.Assigns["STRIPE_API_KEY"] != "" {
		mode = " with the Stripe key given"
	}
	if acct := a.str("--stripe-account"); acct != "" {
		mode += " (connected account " + acct + ")"
	}
	switch group.Value {
	case "delete", "post":
		path := cliJoin(a.ops(1)[:min(1, len(a.ops(1)))], "named on its input")
		how := "deletes"
		if group.Value == "post" {
			how = "sends a POST (a create, update or action) to"
		}
		c.Report("saas.stripe-write", how+" the Stripe API path "+path+mode)
		return
	case "listen", "trigger", "logs", "login", "logout", "config", "samples", "open", "status", "get", "version",
		"completion", "fixtures", "serve", "help", "feedback", "plugin", "apps", "terminal", "community", "events":
		return
	}
	if saasUnknown(c, verb) {
		return
	}
	id := cliJoin(a.ops(2), "named on its input")
	noun := strings.ReplaceAll(strings.TrimSuffix(group.Value, "s"), "_", " ")
	var reason string
	switch verb.Value {
	case "delete":
		reason = "deletes the Stripe " + noun + " " + id + mode
		if group.Value == "customers" {
			reason += " with its saved payment methods; its subscriptions are cancelled"
		}
	case "cancel":
		reason = "cancels the Stripe " + noun + " " + id + mode + ": the customer stops being billed and it cannot be resumed"
	case "void":
		reason = "voids the Stripe " + noun + " " + id + mode + ": it can no longer be paid"
	case "close":
		reason = "closes the Stripe " + noun + " " + id + mode + ", accepting its outcome (a dispute closed is lost)"
	case "reject":
		reason = "rejects the Stripe " + noun + " " + id + mode + ": the account can no longer take payments"
	case "mark_uncollectible":
		reason = "marks the Stripe invoice " + id + " uncollectible" + mode
	case "create":
		switch group.Value {
		case "refunds":
			reason = "refunds money to a customer" + mode + " (a refund cannot be taken back)"
		case "payouts":
			reason = "pays out money from the Stripe balance to a bank account" + mode
		case "transfers":
			reason = "transfers money to a connected account" + mode
		default:
			return
		}
	default:
		return
	}
	c.Report("saas.stripe-write", reason)
}

// saasPagerDuty judges the PagerDuty CLI (pd).
func saasPagerDuty(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "ipnq", long: []string{"--ids", "--profile", "--name", "--query", "--email", "--token"}})
	i := -1
	for j, w := range a.operands {
		if saasUnknown(c, w) {
			return
		}
		if w.Value == "delete" || w.Value == "disable" {
			i = j
			break
		}
		if !cliCommandWord(w.Value) || j > 2 {
			return
		}
	}
	if i < 1 {
		return
	}
	what := cloudResource(a.operands[:i], false)
	ids := cliJoin(append(a.all("-i", "--ids"), a.ops(i+1)...), "chosen by its options")
	how := "deletes"
	if a.op(i).Value == "disable" {
		how = "disables"
	}
	reason := how + " the PagerDuty " + what + " " + ids
	if what == "service" || what == "ep" || what == "schedule" {
		reason += ": incidents stop paging whoever is on call through it"
	}
	c.Report("saas.pagerduty-delete", reason)
}

// saasSplunk judges the splunk command.
func saasSplunk(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{single: true, long: []string{"-index", "-auth", "-uri", "-app", "-owner"}})
	cmd := a.op(0)
	if saasUnknown(c, cmd) {
		return
	}
	switch {
	case cmd.Value == "clean":
		what := cliJoin(a.ops(1), "eventdata")
		index := a.str("-index")
		target := "of every index"
		if index != "" {
			target = "of the index " + index
		}
		switch what {
		case "eventdata":
			c.Report("saas.splunk-clean", "deletes every indexed event "+target+" on this Splunk instance")
		case "all":
			c.Report("saas.splunk-clean", "deletes every indexed event, user account and saved search on this Splunk instance")
		default:
			c.Report("saas.splunk-clean", "deletes the Splunk "+what+" on this instance")
		}
	case cmd.Value == "remove" && a.op(1).Value == "index":
		c.Report("saas.splunk-clean", "removes the Splunk index "+cliJoin(a.ops(2), "named on its input")+" with every event in it")
	}
}

// saasAlgolia judges the Algolia CLI.
func saasAlgolia(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "p", long: []string{"--profile", "--application-id", "--api-key", "--object-ids", "--filters", "--output"}})
	group, verb := a.op(0), a.op(1)
	if saasUnknown(c, group) {
		return
	}
	switch group.Value {
	case "indices", "objects", "rules", "synonyms", "apikeys", "dictionary":
	default:
		return
	}
	if saasUnknown(c, verb) {
		return
	}
	index := cliJoin(a.ops(2)[:min(1, len(a.ops(2)))], "named on its input")
	var reason string
	switch {
	case group.Value == "indices" && verb.Value == "delete":
		reason = "deletes the Algolia indices " + cliJoin(a.ops(2), "named on its input") + " with every record, rule and synonym in them: search stops working on them"
	case group.Value == "indices" && verb.Value == "clear":
		reason = "deletes every record of the Algolia index " + index
	case group.Value == "objects" && verb.Value == "delete":
		what := "the records " + a.str("--object-ids")
		if f := a.str("--filters"); f != "" {
			what = "every record matching " + f
		}
		reason = "deletes " + what + " of the Algolia index " + index
	case verb.Value == "delete" || verb.Value == "clear":
		reason = "deletes Algolia " + group.Value + " of " + index
	default:
		return
	}
	c.Report("saas.algolia-delete", reason)
}

// saasNewRelic judges the New Relic CLI, whose subcommands are often
// camelCase ("apiAccessDeleteKeys").
func saasNewRelic(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "agp", long: []string{"--accountId", "--guid", "--profile", "--format", "--dashboardId", "--id", "--ids"}})
	for i, w := range a.operands[:min(3, len(a.operands))] {
		if saasUnknown(c, w) {
			return
		}
		if strings.Contains(strings.ToLower(w.Value), "delete") {
			c.Report("saas.newrelic-delete", "runs the New Relic command "+strings.Join(a.ops(0)[:i+1], " ")+", which deletes "+cliJoin(a.all("-g", "--guid", "--id", "--ids", "--dashboardId"), "what its options name"))
			return
		}
	}
}
