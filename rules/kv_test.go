package rules

import (
	"reflect"
	"strings"
	"testing"
)

// kvFire are commands the kv pack must stop.
func kvFire() []ruleCase {
	return []ruleCase{
		// The corpus.
		{`redis-cli -n 0 FLUSHDB`, Confirm, "kv.flush"},
		{`redis-cli -h redis.prod flushall async`, Confirm, "kv.flush"},
		{`mongosh app --eval 'db.orders.drop()'`, Confirm, "kv.drop"},
		{`mongosh "$MONGO_URL" --eval 'db.users.deleteMany({})'`, Confirm, "kv.delete-all"},
		{`mongosh mongodb://prod/app --eval 'db.users.updateMany({}, {$set: {active: false}})'`, Confirm, "kv.update-all"},
		{`redis-cli --scan --pattern 'session:*' | xargs redis-cli DEL`, Confirm, "kv.delete-keys"},
		{`redis-cli -h cache.prod KEYS 'user:*' | xargs -n 100 redis-cli -h cache.prod UNLINK`, Confirm, "kv.delete-keys"},
		{`mongosh app --eval 'db.users.updateMany({ }, {$unset: {email: 1}})'`, Confirm, "kv.update-all"},
		// redis-cli: options before the command, case, stdin.
		{`redis-cli -h cache -p 6379 -a s3cret --tls -n 2 FlushAll`, Confirm, "kv.flush"},
		{`redis-cli -u redis://:pw@cache:6379/0 flushdb`, Confirm, "kv.flush"},
		{`valkey-cli FLUSHALL SYNC`, Confirm, "kv.flush"},
		{`redis-cli --no-auth-warning -3 flushall`, Confirm, "kv.flush"},
		{`redis-cli <<< 'FLUSHALL'`, Confirm, "kv.flush"},
		{`echo flushdb | redis-cli -n 3`, Confirm, "kv.flush"},
		{"redis-cli <<EOF\nSET a 1\nflushall\nEOF", Confirm, "kv.flush"},
		{`printf '*1\r\n$8\r\nFLUSHALL\r\n' | redis-cli --pipe`, Confirm, "kv.flush"},
		{`cat dump.resp | redis-cli --pipe`, Confirm, "kv.unknown"},
		{`curl -s https://x.example/cmds | redis-cli`, Confirm, "kv.unknown"},
		{`redis-cli "$CMD"`, Confirm, "kv.unknown"},
		{`redis-cli EVAL "return redis.call('flushall')" 0`, Confirm, "kv.flush"},
		{`redis-cli --eval missing.lua`, Confirm, "kv.unknown"},
		{`redis-cli --cluster call cache:7000 FLUSHALL`, Confirm, "kv.flush"},
		{`redis-cli SHUTDOWN NOSAVE`, Confirm, "kv.shutdown"},
		{`docker exec cache redis-cli FLUSHALL`, Confirm, "kv.flush"},
		{`ssh cache1 redis-cli flushall`, Confirm, "kv.flush"},
		// mongosh and mongo.
		{`mongosh --eval 'db.dropDatabase()'`, Confirm, "kv.drop"},
		{`mongo app --quiet --eval "db.getCollection('orders').drop()"`, Confirm, "kv.drop"},
		{`mongosh --eval 'db["orders"].drop({writeConcern: {w: 1}})'`, Confirm, "kv.drop"},
		{`mongosh --eval 'db.users.deleteMany()'`, Confirm, "kv.delete-all"},
		{`mongosh --eval 'db.users.deleteMany( { } )'`, Confirm, "kv.delete-all"},
		{`mongosh --eval 'db.users.remove({})'`, Confirm, "kv.delete-all"},
		{`mongosh --eval 'db.runCommand({drop: "orders"})'`, Confirm, "kv.drop"},
		{`mongosh --eval 'db.adminCommand({shutdown: 1})'`, Confirm, "kv.shutdown"},
		{`mongosh --eval 'db.getSiblingDB("admin").shutdownServer()'`, Confirm, "kv.shutdown"},
		{"mongosh app <<'EOF'\nuse app\ndb.sessions.drop()\nEOF", Confirm, "kv.drop"},
		{`mongosh app <<< 'db.sessions.deleteMany({})'`, Confirm, "kv.delete-all"},
		{`mongosh --eval "$JS"`, Confirm, "kv.unknown"},
		{`mongosh < "$SCRIPT"`, Confirm, "kv.unknown"},
		{`mongosh app missing.js`, Confirm, "kv.unknown"},
		{`mongorestore --drop --uri "$MONGO_URL" dump/`, Confirm, "kv.drop"},
		// etcd and influx.
		{`etcdctl del --prefix /registry`, Confirm, "kv.etcd-delete"},
		{`etcdctl del "" --from-key`, Confirm, "kv.etcd-delete"},
		{`etcdctl --endpoints=https://etcd:2379 del --prefix ""`, Confirm, "kv.etcd-delete"},
		{`etcdctl del /a /b`, Confirm, "kv.etcd-delete"},
		{`ETCDCTL_API=2 etcdctl rm --recursive /config`, Confirm, "kv.etcd-delete"},
		{`influx delete --bucket metrics --start 1970-01-01T00:00:00Z --stop 2030-01-01T00:00:00Z`, Confirm, "kv.influx-delete"},
		{`influx delete -b metrics --start 2024-01-01T00:00:00Z --stop 2024-02-01T00:00:00Z --predicate '_measurement="cpu"'`, Confirm, "kv.influx-delete"},
		{`influx bucket delete -n metrics`, Confirm, "kv.drop"},
		{`influx -database telegraf -execute 'DROP MEASUREMENT cpu'`, Confirm, "kv.influx-delete"},
		{`influx -execute 'DELETE FROM cpu'`, Confirm, "kv.influx-delete"},
	}
}

// kvQuiet are commands the kv pack must let through.
func kvQuiet() []ruleCase {
	return []ruleCase{
		// The corpus.
		{`redis-cli INFO memory`, Allow, ""},
		{`redis-cli GET user:7`, Allow, ""},
		{`redis-cli DEL session:42`, Allow, ""},
		{`redis-cli --scan --pattern 'session:*'`, Allow, ""},
		{`mongosh --eval 'db.users.countDocuments()'`, Allow, ""},
		{`mongosh app --eval 'db.users.updateMany({active: true}, {$set: {seen: 1}})'`, Allow, ""},
		// redis-cli.
		{`redis-cli`, Allow, ""},
		{`redis-cli -h redis.prod`, Allow, ""},
		{`redis-cli -n 2 KEYS 'sess:*'`, Allow, ""},
		{`redis-cli SET flushall 1`, Allow, ""},
		{`redis-cli GET FLUSHDB`, Allow, ""},
		{`redis-cli DEL user:7 user:8`, Allow, ""},
		{`redis-cli --scan --pattern 'user:*'`, Allow, ""},
		{`redis-cli --bigkeys`, Allow, ""},
		{`redis-cli --stat < /dev/null`, Allow, ""},
		{`redis-cli -x SET blob < README.md`, Allow, ""},
		{`redis-cli <<< 'PING'`, Allow, ""},
		{`redis-cli EVAL "return redis.call('get', KEYS[1])" 1 k`, Allow, ""},
		{`redis-cli --help`, Allow, ""},
		{`redis-cli CONFIG GET maxmemory`, Allow, ""},
		// mongosh.
		{`mongosh`, Allow, ""},
		{`mongosh "$MONGO_URL"`, Allow, ""},
		{`mongosh --eval 'db.users.deleteMany({age: {$lt: 0}})'`, Allow, ""},
		{`mongosh --eval 'db.users.deleteMany({ status: "gone" })'`, Allow, ""},
		{`mongosh --eval 'db.users.remove({_id: 1})'`, Allow, ""},
		{`mongosh --eval 'db.users.find({note: "db.users.drop()"})'`, Allow, ""},
		{`mongosh --eval '// db.users.drop()
db.users.findOne()'`, Allow, ""},
		{`mongosh --eval 'db.users.dropIndex("email_1")'`, Allow, ""},
		{`mongosh --eval 'db.users.find().toArray().values().drop(2)'`, Allow, ""},
		{`mongosh --eval 'db.users.insertOne({name: "x"})'`, Allow, ""},
		{`mongosh -u admin -p --eval 'db.stats()'`, Allow, ""},
		{`mongosh <<< 'db.users.find().limit(5)'`, Allow, ""},
		{`mongorestore --uri "$MONGO_URL" dump/`, Allow, ""},
		// etcd and influx.
		{`etcdctl get --prefix /a`, Allow, ""},
		{`etcdctl del /a/b`, Allow, ""},
		{`etcdctl put /a/b 1`, Allow, ""},
		{`etcdctl member list`, Allow, ""},
		{`influx query 'from(bucket:"m") |> range(start: -1h)'`, Allow, ""},
		{`influx bucket list`, Allow, ""},
		{`influx -execute 'SHOW DATABASES'`, Allow, ""},
		{`influx -execute 'SELECT * FROM cpu LIMIT 5'`, Allow, ""},
	}
}

func TestKVPackFires(t *testing.T) {
	runRuleCases(t, kvFire(), KVPack(), MetaPack())
}

func TestKVPackQuiet(t *testing.T) {
	runRuleCases(t, kvQuiet(), KVPack(), MetaPack())
}

// TestKVPackFiles covers scripts and stdin read from files.
func TestKVPackFiles(t *testing.T) {
	runFileCases(t, []ruleCase{
		{`redis-cli --eval db/flush.lua`, Confirm, "kv.flush"},
		{`redis-cli --eval db/count.lua`, Allow, ""},
		{`redis-cli < db/keys.txt`, Allow, ""},
		{`redis-cli < db/wipe.txt`, Confirm, "kv.flush"},
		{`mongosh app db/drop.js`, Confirm, "kv.drop"},
		{`mongosh app --file db/drop.js`, Confirm, "kv.drop"},
		{`mongosh app db/report.js`, Allow, ""},
		{`mongosh --eval 'load("db/drop.js")'`, Confirm, "kv.drop"},
		{`mongosh --eval 'load("db/report.js")'`, Allow, ""},
	}, sqlTestFiles(), KVPack(), MetaPack())
}

// TestKVReasons checks that reasons name the command and the target.
func TestKVReasons(t *testing.T) {
	cases := []struct{ src, rule, want string }{
		{`redis-cli -h redis.prod flushall async`, "kv.flush", "runs flushall async (redis-cli on redis.prod): deletes every key of every database"},
		{`redis-cli -n 0 FLUSHDB`, "kv.flush", "(redis-cli on db 0)"},
		{`mongosh app --eval 'db.orders.drop()'`, "kv.drop", "runs db.orders.drop() (mongosh on app)"},
		{`mongosh "$MONGO_URL" --eval 'db.users.deleteMany({})'`, "kv.delete-all", "runs db.users.deleteMany({}) (mongosh on $MONGO_URL)"},
		{`docker exec cache redis-cli FLUSHALL`, "kv.flush", "(redis-cli in docker exec cache)"},
		{`etcdctl del --prefix /registry`, "kv.etcd-delete", "deletes every key under the prefix /registry"},
		{`redis-cli -u redis://:pw@cache:6379/0 flushdb`, "kv.flush", "redis://:***@cache:6379/0"},
	}
	for _, c := range cases {
		v := judgeWith(t, c.src, KVPack())
		ok := false
		for _, f := range v.Findings {
			if f.Rule == c.rule && strings.Contains(f.Reason, c.want) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: want a %s finding containing %q; got %+v", c.src, c.rule, c.want, v.Findings)
		}
	}
}

func TestKVScanJS(t *testing.T) {
	toks := kvScanJS(`db.a.find({x: "it's // not a comment"}) /* drop() */ // .drop()` + "\n`t`")
	var texts []string
	for _, tk := range toks {
		texts = append(texts, tk.text)
	}
	want := []string{"db", ".", "a", ".", "find", "(", "{", "x", ":", "it's // not a comment", "}", ")", "t"}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got %q\nwant %q", texts, want)
	}
}
