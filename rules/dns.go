package rules

import (
	"encoding/json"
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// DNSPack returns the rules about DNS records: deleting the records a
// domain resolves through takes every service behind it off the internet,
// and caches keep the gap alive after a fix.
//
//   - aws route53 change-resource-record-sets whose change batch (inline
//     JSON, aws shorthand, or a file:// the command names) holds a DELETE;
//     a batch that cannot be read is confirmed as unknown. (Hosted zone
//     deletion is the cloud pack's delete-* rule.)
//   - cli53: rrdelete, rrpurge, delete, import --replace.
//   - dnscontrol push and octodns-sync --doit, which make the provider's
//     records match the configuration and delete the ones it lacks.
//   - flarectl (Cloudflare): dns delete and zone delete.
//
// Listing, previews (dnscontrol preview, octodns-sync without --doit) and
// batches that only create or upsert records report nothing.
func DNSPack() *Pack {
	return &Pack{
		Name:     "dns",
		Commands: []string{"aws", "cli53", "dnscontrol", "octodns-sync", "flarectl"},
		Check:    dnsCheck,
		Rules: []Rule{
			{ID: "dns.route53-delete", Default: Confirm, Summary: "aws route53 change-resource-record-sets with a DELETE: removes DNS records"},
			{ID: "dns.record-delete", Default: Confirm, Summary: "cli53 rrdelete/rrpurge/delete, flarectl dns/zone delete: removes DNS records or zones"},
			{ID: "dns.zone-sync", Default: Confirm, Summary: "dnscontrol push, octodns-sync --doit, cli53 import --replace: deletes the DNS records the configuration lacks"},
			{ID: "dns.unknown-change", Default: Confirm, Summary: "a DNS change batch that cannot be read to check"},
		},
	}
}

// dnsCheck dispatches on the tool. aws is the cloud pack's too; only
// route53 change-resource-record-sets is read here.
func dnsCheck(c *Call) {
	toolLaunched(c)
	switch c.Inv.Name {
	case "aws":
		dnsRoute53(c)
	case "cli53":
		dnsCli53(c)
	case "dnscontrol", "octodns-sync":
		dnsSync(c)
	case "flarectl":
		dnsFlarectl(c)
	}
}

// dnsRoute53 judges "aws route53 change-resource-record-sets".
func dnsRoute53(c *Call) {
	args := c.Inv.Args
	i := 0
	for i < len(args) && args[i].Value != "route53" {
		i++
	}
	if i+1 >= len(args) || args[i+1].Value != "change-resource-record-sets" {
		return
	}
	var batch interceptor.Word
	found := false
	zone := "the hosted zone named on its input"
	for j := i + 2; j < len(args); j++ {
		name, val, inline := strings.Cut(args[j].Value, "=")
		if !inline && j+1 < len(args) {
			val = args[j+1].Value
		}
		switch name {
		case "--change-batch":
			batch = interceptor.Word{Value: val, Unknown: strings.Contains(val, interceptor.UnknownMark)}
			found = true
		case "--hosted-zone-id":
			zone = "the hosted zone " + strings.ReplaceAll(val, interceptor.UnknownMark, "…")
		}
	}
	if !found {
		return
	}
	text, ok := dnsBatchText(c, batch)
	if !ok {
		c.Report("dns.unknown-change", "changes DNS records of "+zone+" in Route 53 with a change batch that cannot be read before it runs ("+batch.String()+")")
		return
	}
	deleted, parsed := dnsBatchDeletes(text)
	if !parsed {
		if strings.Contains(strings.ToUpper(strings.ReplaceAll(text, " ", "")), "ACTION=DELETE") {
			c.Report("dns.route53-delete", "deletes DNS records of "+zone+" in Route 53: every service they point to stops resolving")
		}
		return
	}
	if len(deleted) > 0 {
		c.Report("dns.route53-delete", "deletes the DNS records "+cliList(deleted)+" of "+zone+" in Route 53: what they point to stops resolving")
	}
}

// dnsBatchText returns the text of a change batch: inline, or the file a
// file:// value names, read from the world's filesystem.
func dnsBatchText(c *Call, w interceptor.Word) (string, bool) {
	if w.Unknown {
		return "", false
	}
	p, isFile := strings.CutPrefix(w.Value, "file://")
	if !isFile {
		return w.Value, true
	}
	if c.World == nil || c.World.FS == nil || c.Inv.Cwd == "" && !strings.HasPrefix(p, "/") {
		return "", false
	}
	p = interceptor.ResolvePath(c.Inv.Cwd, p)
	if fi, err := c.World.FS.Stat(p); err != nil || fi.Size() > 1<<20 {
		return "", false
	}
	b, err := c.World.FS.ReadFile(p)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// dnsBatchDeletes returns "NAME TYPE" of each DELETE in a JSON change
// batch; parsed is false when the text is not JSON (aws shorthand).
func dnsBatchDeletes(text string) (deleted []string, parsed bool) {
	var batch struct {
		Changes []struct {
			Action            string
			ResourceRecordSet struct {
				Name string
				Type string
			}
		}
	}
	if err := json.Unmarshal([]byte(text), &batch); err != nil {
		return nil, false
	}
	for _, ch := range batch.Changes {
		if strings.EqualFold(ch.Action, "DELETE") {
			rr := strings.TrimSpace(ch.ResourceRecordSet.Name + " " + ch.ResourceRecordSet.Type)
			if rr == "" {
				rr = "(unnamed)"
			}
			deleted = append(deleted, rr)
		}
	}
	return deleted, true
}

// dnsCli53 judges cli53.
func dnsCli53(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--file", "--format", "--endpoint-url", "--profile", "--role-arn", "--identifier", "--comment"}})
	cmd := a.op(0)
	if cmd.Unknown {
		c.Report("dns.unknown-change", "runs a cli53 subcommand that cannot be known before it runs (cli53 "+cmd.String()+")")
		return
	}
	zone := cliJoin(a.ops(1)[:min(1, len(a.ops(1)))], "named on its input")
	switch cmd.Value {
	case "rrdelete":
		c.Report("dns.record-delete", "deletes the DNS record "+cliJoin(a.ops(2), "named on its input")+" of the Route 53 zone "+zone)
	case "rrpurge":
		c.Report("dns.record-delete", "deletes every DNS record of the Route 53 zone "+zone+" except its SOA and NS")
	case "delete":
		reason := "deletes the Route 53 hosted zone " + zone
		if a.on("--purge") {
			reason += " with every record in it"
		}
		c.Report("dns.record-delete", reason)
	case "import":
		if a.on("--replace") && !a.on("--dry-run", "-n") {
			c.Report("dns.zone-sync", "replaces the records of the Route 53 zone "+zone+" with "+dnsOr(a.str("--file"), "the file given")+": every record the file lacks is deleted")
		}
	}
}

// dnsOr returns s, or alt when s is empty.
func dnsOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// dnsSync judges dnscontrol push and octodns-sync --doit.
func dnsSync(c *Call) {
	if c.Inv.Name == "octodns-sync" {
		a := cliParse(c.Inv.Args, cliSpec{long: []string{"--config-file", "--source", "--target", "--log-stream-stdout"}})
		if a.on("--doit") {
			c.Report("dns.zone-sync", "applies the octoDNS configuration "+cliJoin(a.all("--config-file"), "given")+" to the DNS providers: records the configuration lacks are deleted")
		}
		return
	}
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--config", "--creds", "--domains", "--providers", "--v", "--cmode", "--report"}})
	cmd := a.op(0)
	if cmd.Unknown {
		c.Report("dns.unknown-change", "runs a dnscontrol subcommand that cannot be known before it runs (dnscontrol "+cmd.String()+")")
		return
	}
	if cmd.Value != "push" {
		return
	}
	domains := "every domain"
	if d := a.str("--domains"); d != "" {
		domains = "the domains " + d
	}
	c.Report("dns.zone-sync", "pushes the DNS configuration of "+domains+" to their providers: records the configuration lacks are deleted")
}

// dnsFlarectl judges Cloudflare's flarectl.
func dnsFlarectl(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{long: []string{"--zone", "--id", "--name", "--type", "--content", "--account-id"}})
	group, verb := a.op(0), a.op(1)
	if group.Unknown || verb.Unknown {
		c.Report("dns.unknown-change", "runs a flarectl subcommand that cannot be known before it runs")
		return
	}
	zone := a.str("--zone")
	if zone == "" {
		zone = "named on its input"
	}
	switch {
	case (group.Value == "dns" || group.Value == "d") && (verb.Value == "delete" || verb.Value == "d"):
		c.Report("dns.record-delete", "deletes the Cloudflare DNS record "+dnsOr(a.str("--id"), "named on its input")+" of the zone "+zone)
	case (group.Value == "zone" || group.Value == "z") && verb.Value == "delete":
		c.Report("dns.record-delete", "deletes the Cloudflare zone "+zone+" with every DNS record and setting in it")
	}
}
