package rules

import (
	"strings"

	"github.com/guard-dev/guard/interceptor"
)

// MessagingPack returns the rules about message brokers and streams: the
// commands that delete topics, streams, queues and their messages, or move
// consumers so that they skip or replay messages.
//
//   - Kafka's tools (kafka-topics, kafka-delete-records,
//     kafka-consumer-groups, kafka-configs, kafka-acls, with or without
//     ".sh"): topic deletion, record deletion, consumer group deletion and
//     offset resets with --execute, retention changes (retention.ms=1 is how
//     a topic is purged), ACL removal.
//   - rpk (Redpanda): topic delete and trim-prefix, group delete and seek,
//     retention changes, ACL and user deletes.
//   - nats: stream, consumer, key-value and object store rm and purge, kv
//     del.
//   - RabbitMQ: rabbitmqadmin delete and purge (the classic "delete queue
//     name=q" and the newer "queues delete --name q"), rabbitmqctl reset,
//     force_reset, delete_vhost, delete_user, delete_queue, purge_queue,
//     forget_cluster_node, stop and stop_app.
//
// Listing, describing, producing, consuming and planning an offset reset
// (without --execute, or with --dry-run) report nothing.
func MessagingPack() *Pack {
	return &Pack{
		Name: "messaging",
		Commands: []string{"kafka-topics", "kafka-topics.sh", "kafka-delete-records", "kafka-delete-records.sh",
			"kafka-consumer-groups", "kafka-consumer-groups.sh", "kafka-configs", "kafka-configs.sh", "kafka-acls", "kafka-acls.sh",
			"rpk", "nats", "rabbitmqadmin", "rabbitmqctl"},
		Check: msgCheck,
		Rules: []Rule{
			{ID: "messaging.kafka-delete", Default: Confirm, Summary: "kafka-topics --delete, kafka-delete-records, consumer group delete or offset reset --execute, retention purges, rpk topic/group delete: deletes Kafka topics or messages, or moves consumers"},
			{ID: "messaging.nats-delete", Default: Confirm, Summary: "nats stream/consumer/kv/object rm or purge, kv del: deletes NATS streams, buckets or messages"},
			{ID: "messaging.rabbitmq-delete", Default: Confirm, Summary: "rabbitmqadmin delete/purge, rabbitmqctl reset/delete_vhost/purge_queue/stop: deletes RabbitMQ queues, vhosts or messages"},
			{ID: "messaging.unknown-subcommand", Default: Confirm, Summary: "message broker CLI subcommand that cannot be known statically"},
		},
	}
}

// msgCheck dispatches on the tool.
func msgCheck(c *Call) {
	toolLaunched(c)
	switch name := strings.TrimSuffix(c.Inv.Name, ".sh"); name {
	case "kafka-topics", "kafka-delete-records", "kafka-consumer-groups", "kafka-configs", "kafka-acls":
		msgKafka(c, name)
	case "rpk":
		msgRpk(c)
	case "nats":
		msgNats(c)
	case "rabbitmqadmin":
		msgRabbitAdmin(c)
	case "rabbitmqctl":
		msgRabbitCtl(c)
	}
}

// msgUnknown reports a subcommand word that cannot be known.
func msgUnknown(c *Call, w interceptor.Word) bool {
	if !w.Unknown {
		return false
	}
	c.Report("messaging.unknown-subcommand", "runs a "+c.Inv.Name+" subcommand that cannot be known before it runs ("+c.Inv.Name+" "+w.String()+")")
	return true
}

// msgOr returns s, or alt when s is empty.
func msgOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// msgKafkaSpec is how Kafka's tools spell the options that take a value.
func msgKafkaSpec() cliSpec {
	return cliSpec{long: []string{"--bootstrap-server", "--zookeeper", "--topic", "--group", "--command-config",
		"--offset-json-file", "--partitions", "--replication-factor", "--config", "--to-offset", "--to-datetime",
		"--by-duration", "--shift-by", "--from-file", "--to-current", "--entity-type", "--entity-name",
		"--entity-default", "--add-config", "--delete-config", "--add-config-file", "--timeout", "--topics",
		"--allow-principal", "--deny-principal", "--operation", "--resource-pattern-type", "--cluster",
		"--transactional-id", "--bootstrap-controller", "--state", "--member"}}
}

// msgKafkaCluster names the cluster a Kafka tool talks to.
func msgKafkaCluster(a cliArgs) string {
	if b := a.str("--bootstrap-server", "--bootstrap-controller", "--zookeeper"); b != "" {
		return " on the Kafka cluster at " + b
	}
	return ""
}

// msgKafka judges Kafka's command line tools.
func msgKafka(c *Call, tool string) {
	a := cliParse(c.Inv.Args, msgKafkaSpec())
	at := msgKafkaCluster(a)
	topic := a.str("--topic")
	switch tool {
	case "kafka-topics":
		if !a.on("--delete") {
			return
		}
		what := "the Kafka topics matching " + topic
		if topic == "" {
			what = "the Kafka topic named on its input"
		} else if !strings.ContainsAny(topic, "*.+?[|") {
			what = "the Kafka topic " + topic
		}
		c.Report("messaging.kafka-delete", "deletes "+what+at+" with every message in it")
	case "kafka-delete-records":
		// --offset-json-file is required: without it the tool deletes nothing.
		if f, ok := a.get("--offset-json-file"); ok {
			c.Report("messaging.kafka-delete", "deletes the Kafka records before the offsets listed in "+f.String()+at+": they can no longer be consumed")
		}
	case "kafka-consumer-groups":
		group := cliJoin(a.all("--group"), "")
		if a.on("--all-groups") {
			group = "every group"
		}
		if group == "" {
			group = "named on its input"
		}
		switch {
		case a.on("--delete"):
			c.Report("messaging.kafka-delete", "deletes the Kafka consumer group "+group+at+" with its committed offsets")
		case a.on("--delete-offsets"):
			c.Report("messaging.kafka-delete", "deletes the committed offsets of the Kafka consumer group "+group+" for "+msgOr(topic, "the topics given")+at)
		case a.on("--reset-offsets") && a.on("--execute") && !a.on("--dry-run"):
			scope := "topic " + topic
			if a.on("--all-topics") || topic == "" {
				scope = "every topic"
			}
			c.Report("messaging.kafka-delete", "moves the offsets of the Kafka consumer group "+group+" on "+scope+at+" ("+msgKafkaReset(a)+"): its consumers will skip or reprocess messages")
		}
	case "kafka-configs":
		if !a.on("--alter") {
			return
		}
		for _, cfg := range a.all("--add-config") {
			if strings.Contains(cfg, "retention.ms") || strings.Contains(cfg, "retention.bytes") {
				c.Report("messaging.kafka-delete", "sets "+cfg+" on the Kafka "+msgOr(a.str("--entity-type"), "entity")+" "+msgOr(a.str("--entity-name"), topic)+at+": messages past the new retention are deleted")
				return
			}
		}
	case "kafka-acls":
		if a.on("--remove") {
			c.Report("messaging.kafka-delete", "removes Kafka ACLs"+msgKafkaACLTarget(a)+at+": the clients they allowed lose access")
		}
	}
}

// msgKafkaReset says where an offset reset moves a consumer group.
func msgKafkaReset(a cliArgs) string {
	for _, o := range a.opts {
		switch o.name {
		case "--to-earliest", "--to-latest", "--to-current":
			return strings.TrimPrefix(o.name, "--")
		case "--to-offset", "--to-datetime", "--by-duration", "--shift-by", "--from-file":
			return strings.TrimPrefix(o.name, "--") + " " + o.value.String()
		}
	}
	return "to the offsets given"
}

// msgKafkaACLTarget names the resource of a kafka-acls change.
func msgKafkaACLTarget(a cliArgs) string {
	if t := a.str("--topic"); t != "" {
		return " of topic " + t
	}
	if g := a.str("--group"); g != "" {
		return " of group " + g
	}
	return ""
}

// msgRpk judges rpk (Redpanda's CLI).
func msgRpk(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "Xpo", long: []string{"--brokers", "--profile", "--config", "--offset", "--partitions",
		"--to", "--topics", "--set", "--format", "--user", "--password", "--sasl-mechanism", "--allow-principal",
		"--deny-principal", "--operation", "--topic", "--group", "--resource-pattern-type"}})
	group, verb := a.op(0), a.op(1)
	if msgUnknown(c, group) {
		return
	}
	if group.Value == "security" {
		a.operands = a.operands[1:]
		group, verb = a.op(0), a.op(1)
	}
	switch group.Value {
	case "topic", "group", "acl", "user":
	default:
		return
	}
	if msgUnknown(c, verb) {
		return
	}
	at := ""
	if b := a.str("--brokers"); b != "" {
		at = " on the Redpanda cluster at " + b
	} else if p := a.str("--profile"); p != "" {
		at = " on the Redpanda cluster of profile " + p
	}
	names := cliJoin(a.ops(2), "named on its input")
	switch group.Value + " " + verb.Value {
	case "topic delete":
		what := "topics " + names
		if a.on("-r", "--regex") {
			what = "topics matching " + names
		}
		c.Report("messaging.kafka-delete", "deletes the Redpanda "+what+at+" with every message in them")
	case "topic trim-prefix", "topic trim":
		c.Report("messaging.kafka-delete", "deletes the records of the Redpanda topic "+names+" before offset "+msgOr(a.str("-o", "--offset"), "given")+at)
	case "topic alter-config", "topic add-config":
		for _, s := range a.all("--set", "-s") {
			if strings.Contains(s, "retention.ms") || strings.Contains(s, "retention.bytes") {
				c.Report("messaging.kafka-delete", "sets "+s+" on the Redpanda topic "+names+at+": messages past the new retention are deleted")
				return
			}
		}
	case "group delete":
		c.Report("messaging.kafka-delete", "deletes the Redpanda consumer groups "+names+at+" with their committed offsets")
	case "group seek":
		c.Report("messaging.kafka-delete", "moves the offsets of the Redpanda consumer group "+names+" to "+msgOr(a.str("--to"), "the offsets given")+at+": its consumers will skip or reprocess messages")
	case "acl delete":
		c.Report("messaging.kafka-delete", "deletes Redpanda ACLs"+at+": the clients they allowed lose access")
	case "user delete":
		c.Report("messaging.kafka-delete", "deletes the Redpanda user "+names+at)
	}
}

// msgNats judges the nats CLI.
func msgNats(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "s", long: []string{"--server", "--context", "--creds", "--nkey", "--user",
		"--password", "--tlscert", "--tlskey", "--tlsca", "--js-domain", "--subject", "--seq", "--keep", "--timeout"}})
	group, verb := a.op(0), a.op(1)
	if msgUnknown(c, group) {
		return
	}
	var kind string
	switch group.Value {
	case "stream", "str":
		kind = "stream"
	case "consumer", "con", "obs":
		kind = "consumer"
	case "kv":
		kind = "kv"
	case "object", "obj":
		kind = "object"
	default:
		return
	}
	if msgUnknown(c, verb) {
		return
	}
	at := ""
	if s := a.str("-s", "--server"); s != "" {
		at = " on the NATS server " + s
	} else if x := a.str("--context"); x != "" {
		at = " on the NATS context " + x
	}
	name := cliJoin(a.ops(2)[:min(1, len(a.ops(2)))], "chosen at the prompt")
	rest := a.ops(3)
	var reason string
	switch v := verb.Value; {
	case (v == "rm" || v == "delete" || v == "del" || v == "remove") && kind == "stream":
		reason = "deletes the JetStream stream " + name + at + " with every message in it and its consumers"
	case (v == "rm" || v == "delete" || v == "remove") && kind == "consumer":
		reason = "deletes the JetStream consumer " + cliJoin(rest, "chosen at the prompt") + " of stream " + name + at + ", with its delivery state"
	case v == "purge" && kind == "stream":
		what := "every message"
		if s := a.str("--subject"); s != "" {
			what = "the messages on " + s
		}
		reason = "deletes " + what + " of the JetStream stream " + name + at
	case kind == "kv" && (v == "rm" || v == "del" || v == "delete"):
		switch {
		case len(rest) > 0:
			reason = "deletes the key " + cliJoin(rest, "") + " of the NATS key-value bucket " + name + at + " (its history stays until purged)"
		case v == "rm":
			reason = "deletes the NATS key-value bucket " + name + at + " with every key in it"
		default:
			reason = "deletes a key, chosen at the prompt, of the NATS key-value bucket " + name + at
		}
	case v == "purge" && kind == "kv":
		reason = "purges the key " + cliJoin(rest, "") + " of the NATS key-value bucket " + name + " with its whole history" + at
	case (v == "rm" || v == "delete" || v == "del") && kind == "object":
		if len(rest) > 0 {
			reason = "deletes the object " + cliJoin(rest, "") + " of the NATS object store " + name + at
			break
		}
		reason = "deletes the NATS object store " + name + at + " with every object in it"
	default:
		return
	}
	c.Report("messaging.nats-delete", reason)
}

// msgRabbitAdmin judges rabbitmqadmin, classic ("delete queue name=q") and
// v2 ("delete queue --name q", "queues delete --name q").
func msgRabbitAdmin(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "HPuVpcNsq", long: []string{"--host", "--port", "--username", "--password",
		"--vhost", "--config", "--node", "--name", "--base-uri", "--path-prefix", "--format", "--destination", "--source"}})
	verb, kind := a.op(0), a.op(1)
	if msgUnknown(c, verb) {
		return
	}
	if strings.HasSuffix(verb.Value, "s") && (kind.Value == "delete" || kind.Value == "purge") {
		verb, kind = kind, interceptor.Word{Value: strings.TrimSuffix(verb.Value, "s")}
	}
	if verb.Value != "delete" && verb.Value != "purge" {
		return
	}
	if msgUnknown(c, kind) {
		return
	}
	name := a.str("--name")
	vhost := a.str("-V", "--vhost")
	for _, w := range a.ops(2) {
		if v, ok := strings.CutPrefix(w, "name="); ok {
			name = v
		}
	}
	if name == "" {
		name = "named on its input"
	}
	at := " of vhost " + msgOr(vhost, "/")
	if h := a.str("-H", "--host"); h != "" {
		at += " on the RabbitMQ server " + h
	}
	switch {
	case verb.Value == "purge":
		c.Report("messaging.rabbitmq-delete", "deletes every message waiting in the RabbitMQ queue "+name+at)
	case kind.Value == "vhost":
		c.Report("messaging.rabbitmq-delete", "deletes the RabbitMQ vhost "+name+" with every queue, exchange and message in it")
	case kind.Value == "queue":
		c.Report("messaging.rabbitmq-delete", "deletes the RabbitMQ queue "+name+at+" with the messages in it")
	default:
		c.Report("messaging.rabbitmq-delete", "deletes the RabbitMQ "+kind.String()+" "+name+at)
	}
}

// msgRabbitCtl judges rabbitmqctl.
func msgRabbitCtl(c *Call) {
	a := cliParse(c.Inv.Args, cliSpec{short: "nptl", long: []string{"--node", "--vhost", "--timeout", "--longnames", "--erlang-cookie"}})
	cmd := a.op(0)
	if msgUnknown(c, cmd) {
		return
	}
	node := " of this machine"
	if n := a.str("-n", "--node"); n != "" {
		node = " " + n
	}
	vhost := msgOr(a.str("-p", "--vhost"), "/")
	arg := cliJoin(a.ops(1), "named on its input")
	var reason string
	switch cmd.Value {
	case "reset", "force_reset":
		reason = "resets the RabbitMQ node" + node + ": every queue, message, user, vhost and permission it holds is deleted"
	case "delete_vhost":
		reason = "deletes the RabbitMQ vhost " + arg + " on the RabbitMQ node" + node + " with every queue, exchange and message in it"
	case "delete_user":
		reason = "deletes the RabbitMQ user " + arg + " on the RabbitMQ node" + node + ": whatever connects as it loses access"
	case "delete_queue":
		reason = "deletes the RabbitMQ queue " + arg + " of vhost " + vhost + " on the RabbitMQ node" + node + " with the messages in it"
	case "purge_queue":
		reason = "deletes every message waiting in the RabbitMQ queue " + arg + " of vhost " + vhost + " on the RabbitMQ node" + node
	case "forget_cluster_node":
		reason = "removes the node " + arg + " from the RabbitMQ cluster of the node" + node
	case "stop", "stop_app", "shutdown":
		reason = "stops the RabbitMQ node" + node + ": every client loses its connection"
	default:
		return
	}
	c.Report("messaging.rabbitmq-delete", reason)
}
