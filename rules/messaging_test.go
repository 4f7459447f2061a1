package rules

import "testing"

func TestMessagingFires(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// Kafka
		{"kafka-topics --bootstrap-server kafka:9092 --delete --topic orders", Confirm, "messaging.kafka-delete"},
		{"kafka-topics.sh --delete --topic 'orders.*' --bootstrap-server localhost:9092", Confirm, "messaging.kafka-delete"},
		{"./bin/kafka-topics.sh --zookeeper zk:2181 --delete --topic payments", Confirm, "messaging.kafka-delete"},
		{"kafka-delete-records --bootstrap-server kafka:9092 --offset-json-file offsets.json", Confirm, "messaging.kafka-delete"},
		{"kafka-consumer-groups --bootstrap-server kafka:9092 --delete --group billing", Confirm, "messaging.kafka-delete"},
		{"kafka-consumer-groups --bootstrap-server kafka:9092 --group billing --reset-offsets --to-latest --all-topics --execute", Confirm, "messaging.kafka-delete"},
		{"kafka-consumer-groups.sh --group billing --topic orders --reset-offsets --to-earliest --execute --bootstrap-server k:9092", Confirm, "messaging.kafka-delete"},
		{"kafka-consumer-groups --bootstrap-server k:9092 --delete-offsets --group billing --topic orders", Confirm, "messaging.kafka-delete"},
		{"kafka-configs --bootstrap-server k:9092 --alter --entity-type topics --entity-name orders --add-config retention.ms=1000", Confirm, "messaging.kafka-delete"},
		{"kafka-acls --bootstrap-server k:9092 --remove --allow-principal User:billing --topic orders --force", Confirm, "messaging.kafka-delete"},
		// rpk
		{"rpk topic delete orders payments", Confirm, "messaging.kafka-delete"},
		{"rpk topic delete -r 'tmp-.*'", Confirm, "messaging.kafka-delete"},
		{"rpk topic trim-prefix orders --offset 1000 --no-confirm", Confirm, "messaging.kafka-delete"},
		{"rpk topic alter-config orders --set retention.ms=1", Confirm, "messaging.kafka-delete"},
		{"rpk group delete billing", Confirm, "messaging.kafka-delete"},
		{"rpk group seek billing --to end", Confirm, "messaging.kafka-delete"},
		{"rpk security acl delete --allow-principal User:billing --topic orders", Confirm, "messaging.kafka-delete"},
		{"rpk -X brokers=k:9092 topic delete orders", Confirm, "messaging.kafka-delete"},
		{`rpk topic "$VERB" orders`, Confirm, "messaging.unknown-subcommand"},
		// NATS
		{"nats stream rm ORDERS -f", Confirm, "messaging.nats-delete"},
		{"nats stream purge ORDERS --subject orders.eu -f", Confirm, "messaging.nats-delete"},
		{"nats str rm ORDERS", Confirm, "messaging.nats-delete"},
		{"nats consumer rm ORDERS billing -f", Confirm, "messaging.nats-delete"},
		{"nats kv rm sessions -f", Confirm, "messaging.nats-delete"},
		{"nats kv del sessions user.42", Confirm, "messaging.nats-delete"},
		{"nats kv purge sessions user.42", Confirm, "messaging.nats-delete"},
		{"nats object rm assets -f", Confirm, "messaging.nats-delete"},
		{"nats -s nats://prod:4222 stream rm ORDERS", Confirm, "messaging.nats-delete"},
		// RabbitMQ
		{"rabbitmqadmin delete queue name=orders", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqadmin -H mq.prod -V shop purge queue name=orders", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqadmin delete vhost name=shop", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqadmin delete exchange name=events", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqadmin queues delete --name orders", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqadmin delete queue --name orders", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl reset", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl force_reset", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl delete_vhost shop", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl purge_queue orders -p shop", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl delete_user billing", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl stop_app", Confirm, "messaging.rabbitmq-delete"},
		{"rabbitmqctl -n rabbit@mq2 forget_cluster_node rabbit@mq3", Confirm, "messaging.rabbitmq-delete"},
	}, MessagingPack())
}

func TestMessagingAllows(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"kafka-topics --bootstrap-server kafka:9092 --list", Allow, ""},
		{"kafka-topics --bootstrap-server kafka:9092 --describe --topic orders", Allow, ""},
		{"kafka-topics --bootstrap-server kafka:9092 --create --topic orders --partitions 6", Allow, ""},
		{"kafka-consumer-groups --bootstrap-server kafka:9092 --list", Allow, ""},
		{"kafka-consumer-groups --bootstrap-server kafka:9092 --describe --group billing", Allow, ""},
		{"kafka-consumer-groups --bootstrap-server k:9092 --group billing --reset-offsets --to-earliest --all-topics", Allow, ""},
		{"kafka-consumer-groups --bootstrap-server k:9092 --group billing --reset-offsets --to-earliest --all-topics --dry-run", Allow, ""},
		{"kafka-configs --bootstrap-server k:9092 --describe --entity-type topics --entity-name orders", Allow, ""},
		{"kafka-configs --bootstrap-server k:9092 --alter --entity-type topics --entity-name orders --add-config max.message.bytes=2097152", Allow, ""},
		{"kafka-acls --bootstrap-server k:9092 --list", Allow, ""},
		{"kafka-console-consumer --bootstrap-server k:9092 --topic orders --from-beginning", Allow, ""},
		{"kafka-topics --describe --topic delete", Allow, ""},
		{"rpk topic list", Allow, ""},
		{"rpk topic describe orders", Allow, ""},
		{"rpk topic consume orders -n 10", Allow, ""},
		{"rpk topic produce orders", Allow, ""},
		{"rpk topic create orders -p 6", Allow, ""},
		{"rpk group list", Allow, ""},
		{"rpk group describe billing", Allow, ""},
		{"rpk cluster info", Allow, ""},
		{"nats stream ls", Allow, ""},
		{"nats stream info ORDERS", Allow, ""},
		{"nats stream add ORDERS --subjects 'orders.*'", Allow, ""},
		{"nats kv get sessions user.42", Allow, ""},
		{"nats kv put sessions user.42 active", Allow, ""},
		{"nats kv ls", Allow, ""},
		{"nats pub orders.eu hello", Allow, ""},
		{"nats sub 'orders.>'", Allow, ""},
		{"nats consumer info ORDERS billing", Allow, ""},
		{"rabbitmqadmin list queues", Allow, ""},
		{"rabbitmqadmin declare queue name=orders durable=true", Allow, ""},
		{"rabbitmqadmin publish routing_key=orders payload=hi", Allow, ""},
		{"rabbitmqadmin queues list", Allow, ""},
		{"rabbitmqctl list_queues name messages", Allow, ""},
		{"rabbitmqctl status", Allow, ""},
		{"rabbitmqctl cluster_status", Allow, ""},
		{"rabbitmqctl add_vhost staging", Allow, ""},
	}, MessagingPack())
}

func TestMessagingReasons(t *testing.T) {
	runReasonCases(t, []reasonCase{
		{"kafka-topics --bootstrap-server kafka:9092 --delete --topic orders", "messaging.kafka-delete", []string{"Kafka topic orders on the Kafka cluster at kafka:9092", "every message"}},
		{"kafka-topics --delete --topic 'orders.*'", "messaging.kafka-delete", []string{"topics matching orders.*"}},
		{"kafka-consumer-groups --group billing --reset-offsets --to-latest --all-topics --execute", "messaging.kafka-delete", []string{"group billing on every topic", "to-latest", "skip"}},
		{"rpk topic delete orders payments", "messaging.kafka-delete", []string{"topics orders payments"}},
		{"nats stream rm ORDERS -f", "messaging.nats-delete", []string{"JetStream stream ORDERS", "every message"}},
		{"nats kv rm sessions", "messaging.nats-delete", []string{"bucket sessions with every key"}},
		{"nats kv del sessions user.42", "messaging.nats-delete", []string{"key user.42 of the NATS key-value bucket sessions"}},
		{"rabbitmqadmin -V shop purge queue name=orders", "messaging.rabbitmq-delete", []string{"queue orders of vhost shop"}},
		{"rabbitmqctl reset", "messaging.rabbitmq-delete", []string{"every queue, message, user"}},
	}, MessagingPack())
}
