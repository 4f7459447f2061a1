package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// httpTestFS is the test world's filesystem plus the files the http cases
// send as bodies.
func httpTestFS() interceptor.MapFS {
	fsys := testFS()
	add := map[string]string{
		"q.json":       `{"query":"mutation { volumeDelete(volumeId: \"v\") }"}`,
		"ok.json":      `{"query":"query { me { id } }"}`,
		"del.graphql":  "mutation {\n  projectDelete(id: \"p\")\n}\n",
		"list.graphql": "query {\n  projects { id }\n}\n",
		"urls.txt":     "https://api.example.com/v1/a\nhttps://api.example.com/v1/b\n",
		"local.txt":    "http://localhost:8080/a\n",
		"del.curlrc":   "# delete it\nrequest = DELETE\nurl = \"https://api.example.com/x\"\nsilent\n",
		"get.curlrc":   "url = \"https://api.example.com/x\"\n-s\n",
		"hdrs.txt":     "Content-Type: application/graphql\n",
	}
	for name, content := range add {
		fsys[testCwd+"/"+name] = content
	}
	return fsys
}

// judgeHTTP analyses src in the test world, with httpTestFS, and judges it
// with the http pack alone.
func judgeHTTP(t *testing.T, src string) Verdict {
	t.Helper()
	return judgeIn(t, src, httpTestFS(), HTTPPack())
}

func runHTTPCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	runCasesWith(t, cases, func(src string) Verdict { return judgeHTTP(t, src) })
}

const (
	ruleDelete  = "http.delete"
	ruleGQL     = "http.graphql-destructive"
	ruleUnknown = "http.graphql-unknown"
)

func TestHTTPFires(t *testing.T) {
	runHTTPCases(t, []ruleCase{
		// The corpus (block.txt, destructive API calls).
		{`curl -X POST https://api.render.com/graphql -H "Authorization: Bearer $RENDER_TOKEN" -d '{"query":"mutation { deleteService(id: \"srv-1\") { id } }"}'`, Confirm, ruleGQL},
		{`curl -s https://gql.example.io/v1 -H 'Content-Type: application/json' --data '{"query":"mutation { dropTable(name: \"users\") }"}'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql --data-raw '{"query":"mutation { a: destroyEnvironment(id: 9) { ok } }"}'`, Confirm, ruleGQL},
		{`curl -X POST https://api.example.com/graphql -d '{"query":"mutation($id: ID!) { removeDatabase(id: $id) }","variables":{"id":"db1"}}'`, Confirm, ruleGQL},
		{`curl -X POST https://api.example.com/graphql -d '{"query":"mutation Wipe { wipeVolume(id: \"v\") { ok } }","operationName":"Wipe"}'`, Confirm, ruleGQL},
		{"curl https://api.example.com/graphql -H 'content-type: application/json' -d @- <<'EOF'\n{\"query\":\"mutation { purgeBackups(projectId: \\\"p\\\") }\"}\nEOF", Confirm, ruleGQL},
		{`curl -X DELETE https://api.github.com/repos/acme/api -H "Authorization: token $GH_TOKEN"`, Confirm, ruleDelete},
		{`curl -X DELETE "https://api.digitalocean.com/v2/volumes/7724db7c" -H "Authorization: Bearer $DO_TOKEN"`, Confirm, ruleDelete},
		{`curl --request DELETE https://api.supabase.com/v1/projects/abcd`, Confirm, ruleDelete},

		// AWS actions that change something, and the reads' look-alikes.
		{`curl https://ec2.us-east-1.amazonaws.com/ -d 'Action=TerminateInstances&InstanceId.1=i-1'`, Confirm, "http.production-write"},
		{`curl https://ec2.us-east-1.amazonaws.com/ -d 'Action=DescribeInstances' -d 'Action=TerminateInstances'`, Confirm, "http.production-write"},
		{`curl https://dynamodb.us-east-1.amazonaws.com/ -H 'X-Amz-Target: DynamoDB_20120810.DeleteTable' -d '{}'`, Confirm, "http.production-write"},
		{`curl https://dynamodb.us-east-1.amazonaws.com/ -H 'X-Amz-Target: DynamoDB_20120810.Getaway' -d '{}'`, Confirm, "http.production-write"},
		{`curl https://s3.amazonaws.com/b?delete -d '<Delete><Object><Key>k</Key></Object></Delete>'`, Confirm, "http.production-write"},
		// A git push that deletes a branch, and one guard cannot read.
		{"curl https://gitlab.com/a/b.git/git-receive-pack --data-binary @- <<'EOF'\n00661111111111111111111111111111111111111111 0000000000000000000000000000000000000000 refs/heads/main\n0000\nEOF", Confirm, ruleDelete},
		{`curl https://gitlab.com/a/b.git/git-receive-pack --data-binary @"$PACK"`, Confirm, "http.production-write"},
		{`curl -XDELETE https://es.prod.internal:9200/orders`, Confirm, ruleDelete},
		{`wget --method=DELETE https://api.example.com/v1/buckets/prod`, Confirm, ruleDelete},
		{`http DELETE https://api.example.com/v2/databases/42`, Confirm, ruleDelete},
		{`gh api -X DELETE /repos/acme/website`, Confirm, ruleDelete},
		{`gh api --method DELETE repos/acme/website/environments/production`, Confirm, ruleDelete},

		// DELETE, other spellings.
		{`curl -sX DELETE api.example.com/items/1`, Confirm, ruleDelete},
		{`curl -sSLXDELETE https://api.example.com/items/1`, Confirm, ruleDelete},
		{`curl -X delete https://api.example.com/x`, Confirm, ruleDelete},
		{`curl --request=DELETE https://api.example.com/x`, Confirm, ruleDelete},
		{`curl --max-time 10 -X DELETE --url https://api.example.com/x`, Confirm, ruleDelete},
		{`sudo curl -X DELETE https://api.example.com/x`, Confirm, ruleDelete},
		{`timeout 10 curl -X DELETE https://api.example.com/x`, Confirm, ruleDelete},
		{`bash -c "curl -X DELETE https://api.example.com/x"`, Confirm, ruleDelete},
		{`M=DELETE; curl -X $M https://api.example.com/x`, Confirm, ruleDelete},
		{`curl -X DELETE https://api.example.com/a --next https://api.example.com/b`, Confirm, ruleDelete},
		{`curl -K del.curlrc`, Confirm, ruleDelete},
		{`curl -K missing.curlrc`, Confirm, ruleDelete},
		{`curl -X "$METHOD" https://api.example.com/x`, Confirm, ruleDelete},
		{`curl -X DELETE "$API_URL/items/1"`, Confirm, ruleDelete},
		{`curl -XDELETE http://10.0.0.5:9200/orders`, Confirm, ruleDelete},
		{`curl -X DELETE http://127.0.0.1.nip.io/x`, Confirm, ruleDelete},
		{`curl -X DELETE https://localhost.evil.example/x`, Confirm, ruleDelete},
		{`curl -X DELETE https://user:hunter2hunter2@api.example.com/x`, Confirm, ruleDelete},
		{`curl --resolve localhost:443:10.0.0.5 -X DELETE https://localhost/x`, Confirm, ruleDelete},
		{`ssh prod curl -X DELETE localhost:9200/orders`, Confirm, ruleDelete},
		{`kubectl exec pod -- curl -X DELETE localhost:8080/x`, Confirm, ruleDelete},
		{`curl -x http://proxy.corp:3128 -X DELETE http://localhost/x`, Confirm, ruleDelete},
		{`cat urls.txt | xargs curl -X DELETE`, Confirm, ruleDelete},
		{`wget --meth=DELETE https://api.example.com/v1/x`, Confirm, ruleDelete},
		{`wget -q -e method=DELETE https://api.example.com/x`, Confirm, ruleDelete},
		{`wget --method=DELETE -i urls.txt`, Confirm, ruleDelete},
		{`wget --method DELETE -i missing.txt`, Confirm, ruleDelete},
		{`xh delete https://api.example.com/x`, Confirm, ruleDelete},
		{`xhs DELETE api.example.com/x`, Confirm, ruleDelete},
		{`https DELETE api.example.com/x`, Confirm, ruleDelete},
		{`http -a user:pw --timeout 5 DELETE example.org/x`, Confirm, ruleDelete},
		{`gh api -XDELETE repos/acme/site`, Confirm, ruleDelete},
		{`gh api --method=DELETE /repos/acme/site/hooks/1`, Confirm, ruleDelete},
		{`GH_HOST=ghe.corp.example gh api -X DELETE /orgs/acme`, Confirm, ruleDelete},
		{`gh api --hostname ghe.corp.example -iX DELETE /orgs/acme`, Confirm, ruleDelete},

		// GraphQL bodies from every source.
		{`curl -d @q.json https://backboard.railway.app/graphql/v2`, Confirm, ruleGQL},
		{`curl --json @q.json https://api.example.com/v1`, Confirm, ruleGQL},
		{`cat q.json | curl -d @- https://api.example.com/graphql`, Confirm, ruleGQL},
		{`curl -d "$(cat q.json)" https://backboard.railway.app/graphql/v2`, Confirm, ruleGQL},
		{`echo '{"query":"mutation { volumeDelete(volumeId: \"v\") }"}' | curl --data-binary @- https://backboard.railway.app/graphql/v2`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql --data-binary @- < q.json`, Confirm, ruleGQL},
		{`curl -H 'Content-Type: application/graphql' -d 'mutation { dropTable(name: "users") }' https://db.example.com/api`, Confirm, ruleGQL},
		{`curl -H @hdrs.txt -d @del.graphql https://db.example.com/api`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d 'mutation { a: createTodo(x: 1) { id } b: deleteTodo(id: 2) { id } }'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { ...F } fragment F on Mutation { wipeVolume(id: 1) }"}'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { ... on Mutation { project_remove(id: 1) } }"}'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d '[{"query":"query { a }"},{"query":"mutation { serviceDestroy(id: 1) }"}]'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d '{"query":"query Q { a } mutation M { resetDatabase }","operationName":"Q"}'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { HTTPDeleteRoute(id: 1) }"}'`, Confirm, ruleGQL},
		{`curl -G https://api.example.com/graphql --data-urlencode 'query=mutation { deleteUser(id: 1) }'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -d 'query=mutation%20%7B%20deleteUser(id%3A%201)%20%7D'`, Confirm, ruleGQL},
		{`curl 'https://api.example.com/graphql?query=mutation%20%7B%20deleteUser(id%3A%201)%20%7D'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -F operations='{"query":"mutation { purgeCache }"}' -F map='{}'`, Confirm, ruleGQL},
		{`curl https://api.example.com/graphql -F 'query=<del.graphql'`, Confirm, ruleGQL},
		{`curl --json '{"query":"mutation { uninstallApp(id: 1) }"}' https://shop.example.com/admin/api/2024-01/graphql.json`, Confirm, ruleGQL},
		{`curl https://api.example.com/v1 -d "{\"query\":\"mutation { volumeDelete(id: \\\"$VOL\\\") }\"}"`, Confirm, ruleGQL},
		{`curl -d '{"query":"mutation { terminateInstance(id: 1) }"}' "$API"`, Confirm, ruleGQL},
		{`http POST https://api.example.com/graphql query='mutation { environmentDelete(id: "e") }'`, Confirm, ruleGQL},
		{"http POST api.example.com/graphql <<'EOF'\n{\"query\":\"mutation { truncateLogs }\"}\nEOF", Confirm, ruleGQL},
		{`xh post https://api.example.com/graphql query=@del.graphql`, Confirm, ruleGQL},
		{`http --raw '{"query":"mutation { detachDisk(id: 1) }"}' POST https://api.example.com/graphql`, Confirm, ruleGQL},
		{`http POST https://api.example.com/graphql query:='"mutation { eraseAll }"'`, Confirm, ruleGQL},
		{`wget --post-data='{"query":"mutation { dropSchema }"}' https://api.example.com/graphql`, Confirm, ruleGQL},
		{`wget --body-file=q.json --method=POST https://api.example.com/graphql`, Confirm, ruleGQL},
		{`gh api graphql -f query='mutation { deleteRepository(input: {repositoryId: "x"}) { clientMutationId } }'`, Confirm, ruleGQL},
		{`gh api graphql -F query=@del.graphql`, Confirm, ruleGQL},
		{`gh api graphql --input q.json`, Confirm, ruleGQL},
		{`ssh ci "curl -d '{\"query\":\"mutation { deleteX }\"}' http://localhost:4000/graphql"`, Confirm, ruleGQL},

		// GraphQL bodies that cannot be seen or read.
		{`curl -d @missing.json https://backboard.railway.app/graphql/v2`, Confirm, ruleUnknown},
		{`curl -d "$(jq -c . q.json)" https://backboard.railway.app/graphql/v2`, Confirm, ruleUnknown},
		{`curl -d @- https://api.example.com/graphql`, Confirm, ruleUnknown},
		{`curl -d "$BODY" https://gql.example.io/v1`, Confirm, ruleUnknown},
		{`curl -H 'Content-Type: application/graphql' -d "$DOC" https://api.example.com/v1`, Confirm, ruleUnknown},
		{`curl --expand-data '{{body}}' --variable body@q.json https://api.example.com/graphql`, Confirm, ruleUnknown},
		{`gh api graphql -f query="$Q"`, Confirm, ruleUnknown},
		{`http POST https://api.example.com/graphql query=@missing.graphql`, Confirm, ruleUnknown},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { deleteX( "}'`, Confirm, ruleUnknown},
		{`curl https://api.example.com/graphql -d '{"id":1}'`, Confirm, ruleUnknown},
		{`curl https://api.example.com/graphql -d 'not graphql'`, Confirm, ruleUnknown},
		{`curl https://api.example.com/graphql -d '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}'`, Confirm, ruleUnknown},
	})
}

func TestHTTPAllows(t *testing.T) {
	runHTTPCases(t, []ruleCase{
		// The corpus (allow.txt).
		{`curl -sS localhost:8000/healthz`, Allow, ""},
		{`curl -X PUT http://127.0.0.1:5000/items/3 -d '{"qty":2}'`, Allow, ""},
		{`curl -X DELETE http://localhost:4000/api/sessions/abc`, Allow, ""},
		{`curl -I https://go.dev`, Allow, ""},
		{`curl -sL https://api.github.com/repos/torvalds/linux/tags | jq '.[0].name'`, Allow, ""},
		{`wget -q https://example.org/archive.zip`, Allow, ""},
		{`curl -X POST https://api.github.com/graphql -H "Authorization: bearer $GH_TOKEN" -d '{"query":"query { repository(owner: \"a\", name: \"b\") { stargazerCount } }"}'`, Allow, ""},
		{`curl -X POST https://api.example.com/graphql -d '{"query":"mutation { createTodo(title: \"x\") { id } }"}'`, Allow, ""},
		{`gh pr list`, Allow, ""},
		{`gh pr view 42`, Allow, ""},
		{`gh run list --limit 5`, Allow, ""},
		{`gh api repos/cli/cli/releases/latest`, Allow, ""},

		// POSTs to production APIs that only read: AWS actions that
		// describe, list or get; a git fetch; a git push that deletes
		// nothing (the git pack judges pushes where git runs).
		{`curl -X POST https://ec2.us-east-1.amazonaws.com/ -d 'Action=DescribeInstances&Version=2016-11-15'`, Allow, ""},
		{`curl https://dynamodb.us-east-1.amazonaws.com/ -H 'X-Amz-Target: DynamoDB_20120810.BatchGetItem' -d '{}'`, Allow, ""},
		{`curl https://sts.amazonaws.com/ -d 'Action=AssumeRole&RoleArn=x'`, Allow, ""},
		{`curl https://gitlab.com/a/b.git/git-upload-pack --data-binary @-`, Allow, ""},
		{"curl https://gitlab.com/a/b.git/git-receive-pack --data-binary @- <<'EOF'\n00661111111111111111111111111111111111111111 2222222222222222222222222222222222222222 refs/heads/main\n0000PACK\nEOF", Allow, ""},

		// DELETE to this machine.
		{`curl -X DELETE localhost`, Allow, ""},
		{`curl -X DELETE http://[::1]:8080/x`, Allow, ""},
		{`curl -X DELETE http://0.0.0.0:3000/x`, Allow, ""},
		{`curl -X DELETE http://api.localhost/x`, Allow, ""},
		{`curl -X DELETE http://host.docker.internal:8080/x`, Allow, ""},
		{`curl -X DELETE 127.1:8080/x`, Allow, ""},
		{`curl -X DELETE http://127.0.0.53/x`, Allow, ""},
		{`curl -X DELETE http://LOCALHOST./x`, Allow, ""},
		{`curl --max-time 10 -X DELETE localhost:8080/x`, Allow, ""},
		{`curl -m 5 -o /dev/null -w '%{http_code}' -X DELETE http://127.0.0.1:8080/x`, Allow, ""},
		{`curl https://api.example.com/a --next -X DELETE localhost/b`, Allow, ""},
		{`http DELETE :3000/items/1`, Allow, ""},
		{`xh delete localhost:8080/x`, Allow, ""},
		{`docker exec app curl -X DELETE localhost:8080/x`, Allow, ""},
		{`wget -T 10 --method=DELETE http://localhost/x`, Allow, ""},
		{`wget --method=DELETE -i local.txt`, Allow, ""},
		{`curl -X DELETE localhost:8000/x && curl https://api.github.com/repos/a/b`, Allow, ""},

		// Other methods to remote hosts.
		{`curl -X POST https://api.example.com/v1/items -d '{"name":"x"}'`, Allow, ""},
		{`curl -X PUT https://api.example.com/v1/items/1 -d '{"name":"x"}'`, Allow, ""},
		{`curl -X PATCH https://api.example.com/v1/items/1 --data-raw '{"deleted":true}'`, Allow, ""},
		{`curl -X GET 'https://api.example.com/items?filter=delete'`, Allow, ""},
		{`curl -d '' https://api.example.com/items/delete`, Allow, ""},
		{`curl -H 'X-Method: DELETE' https://api.example.com/x`, Allow, ""},
		{`curl -o out.json https://api.example.com/x`, Allow, ""},
		{`curl -K get.curlrc`, Allow, ""},
		{`wget --method=POST https://api.example.com/x`, Allow, ""},
		{`wget -O- https://example.org/graphql`, Allow, ""},
		{`http PURGE https://cdn.example.com/x`, Allow, ""},
		{`http --offline DELETE https://api.example.com/x`, Allow, ""},
		{`xh --curl delete https://api.example.com/x`, Allow, ""},
		{`http -a user:secretsecret123 GET https://api.example.com/x`, Allow, ""},
		{`curl -u sk_live_abcdef1234567890: https://api.stripe.com/v1/charges`, Allow, ""},
		{`gh api repos/acme/site/pulls --paginate --jq '.[].title'`, Allow, ""},
		{`gh repo delete acme/x --yes`, Allow, ""},
		{`gh release list`, Allow, ""},

		// GraphQL that deletes nothing.
		{`curl https://api.example.com/graphql -d '{"query":"mutation { updateUser(id: 1, name: \"x\") { id } }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { undeleteItem(id: 1) }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { dropdownSelect(id: 1) }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"query { deletedItems { id } }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"subscription { itemDeleted { id } }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{ viewer { login } }'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { createTodo(title: \"delete me\") { id deleteUrl } }"}'`, Allow, ""},
		{`curl https://api.example.com/graphql -d '{"query":"mutation { ...F } fragment F on Mutation { createX } fragment G on Mutation { deleteX }"}'`, Allow, ""},
		{`curl -d @ok.json https://api.example.com/graphql`, Allow, ""},
		{`echo '{"query":"query { a }"}' | curl -d @- https://api.example.com/graphql`, Allow, ""},
		{`curl https://api.example.com/graphql`, Allow, ""},
		{`curl -s https://api.example.com/search -d '{"query":"delete old records"}'`, Allow, ""},
		{`curl https://es.example.com/_search -d '{"query":{"match_all":{}}}'`, Allow, ""},
		{`curl -d 'query=search+term' https://api.example.com/search`, Allow, ""},
		{`curl -d "$BODY" https://api.example.com/v1/items`, Allow, ""},
		{`curl -d @missing.json https://api.example.com/v1/items`, Allow, ""},
		{`curl -X DELETE -d '{"query":"mutation { deleteX }"}' http://localhost:4000/graphql`, Allow, ""},
		{`curl http://localhost:4000/graphql -d @missing.json`, Allow, ""},
		{`curl http://localhost:4000/graphql -d 'garbage'`, Allow, ""},
		{`gh api graphql -f query='query { viewer { login } }'`, Allow, ""},
		{`gh api graphql -F query=@list.graphql`, Allow, ""},
		{`http POST https://api.example.com/graphql query='query { a }'`, Allow, ""},
		{`http POST https://api.example.com/items name=delete`, Allow, ""},
	})
}

func TestHTTPReasons(t *testing.T) {
	cases := []struct {
		src, rule string
		has       []string
		hasNot    []string
	}{
		{`curl -X DELETE https://api.github.com/repos/acme/api -H "Authorization: token $GH_TOKEN"`, ruleDelete,
			[]string{"sends DELETE to api.github.com (https://api.github.com/repos/acme/api)"}, []string{"credential"}},
		{`gh api -X DELETE /repos/acme/website`, ruleDelete,
			[]string{"sends DELETE to api.github.com (https://api.github.com/repos/acme/website)"}, nil},
		{`GH_TOKEN=ghp_abcdefghijklmnop1234 gh api -X DELETE /repos/acme/website`, ruleDelete,
			[]string{"GH_TOKEN (ghp_…)"}, []string{"ghp_abcdefghijklmnop1234"}},
		{`curl -X POST https://backboard.railway.app/graphql/v2 -H 'Authorization: Bearer 8f3a2b1c-9d4e-4f5a-b6c7-d8e9f0a1b2c3' -d '{"query":"mutation { volumeDelete(volumeId: \"v1\") }"}'`, ruleGQL,
			[]string{"GraphQL mutation volumeDelete on backboard.railway.app", "authorization header (8f3a…)"}, []string{"8f3a2b1c-9d4e"}},
		{`curl https://api.example.com/graphql -d 'mutation { a: deleteA b: dropB }'`, ruleGQL,
			[]string{"GraphQL mutations deleteA, dropB on api.example.com"}, nil},
		{`curl -X DELETE https://user:hunter2hunter2@api.example.com/x`, ruleDelete,
			[]string{"password in the URL (hunt…)"}, []string{"hunter2hunter2"}},
		{`curl -X DELETE 'https://api.example.com/x?access_token=abcdef1234567890'`, ruleDelete,
			[]string{"access_token parameter (abcd…)", "access_token=abcd…"}, []string{"abcdef1234567890"}},
		{`curl -u sk_live_abcdef1234567890: -X DELETE https://api.stripe.com/v1/customers/cus_1`, ruleDelete,
			[]string{"key given to -u (sk_l…)"}, []string{"sk_live_abcdef"}},
		{`curl -u admin:pw -X DELETE https://api.example.com/x`, ruleDelete,
			[]string{"password of -u (…)"}, nil},
		{`curl -d @missing.json https://backboard.railway.app/graphql/v2`, ruleUnknown,
			[]string{"cannot see the GraphQL body sent to backboard.railway.app", "missing.json, which does not exist yet"}, nil},
		{`curl -d @- https://api.example.com/graphql`, ruleUnknown,
			[]string{"it comes from stdin"}, nil},
		{`curl -X DELETE "$API_URL/items/1"`, ruleDelete,
			[]string{"a host that cannot be known (…/items/1)"}, nil},
		{`ssh prod curl -X DELETE localhost:9200/orders`, ruleDelete,
			[]string{"localhost of ssh prod"}, nil},
		{`curl -X "$M" https://api.example.com/x`, ruleDelete,
			[]string{"method cannot be known"}, nil},
		{`curl -X DELETE https://a.example.com/1 https://a.example.com/2 https://a.example.com/3 https://a.example.com/4`, ruleDelete,
			[]string{"sends DELETE to a.example.com (https://a.example.com/1), a.example.com (https://a.example.com/2), a.example.com (https://a.example.com/3) and 1 more"}, nil},
		{`curl -K missing.curlrc`, ruleDelete,
			[]string{"it may be set in the file missing.curlrc"}, nil},
	}
	for _, c := range cases {
		v := judgeHTTP(t, c.src)
		var reasons []string
		for _, f := range v.Findings {
			if f.Rule == c.rule {
				reasons = append(reasons, f.Reason)
			}
		}
		if len(reasons) == 0 {
			t.Errorf("%q: no finding of %s; findings %+v", c.src, c.rule, v.Findings)
			continue
		}
		all := strings.Join(reasons, "\n")
		for _, s := range c.has {
			if !strings.Contains(all, s) {
				t.Errorf("%q: reason %q does not say %q", c.src, all, s)
			}
		}
		for _, s := range c.hasNot {
			if strings.Contains(all, s) {
				t.Errorf("%q: reason %q says %q", c.src, all, s)
			}
		}
	}
}

func TestHTTPPolicyOverride(t *testing.T) {
	e, err := NewEngine([]*Pack{HTTPPack()}, map[string]Decision{"http.delete": Deny})
	if err != nil {
		t.Fatal(err)
	}
	ctx := interceptor.Context{Cwd: testCwd, Home: testHome, FS: httpTestFS()}
	w := testWorld(ctx.FS)
	w.Analysis = ctx
	v := e.Evaluate(interceptor.Analyze(`curl -X DELETE https://api.example.com/x`, ctx), w)
	if v.Decision != Deny {
		t.Errorf("override to deny: got %s", v.Decision)
	}
}

func TestHTTPNilFS(t *testing.T) {
	// A world without FS reads the real filesystem; a missing file is
	// unseen, not an error.
	e, err := NewEngine([]*Pack{HTTPPack()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx := interceptor.Context{Cwd: dir, Home: dir}
	w := NewWorld(dir, "", nil, nil)
	w.Analysis = ctx
	v := e.Evaluate(interceptor.Analyze(`curl -d @nope.json https://api.example.com/graphql`, ctx), w)
	if v.Decision != Confirm {
		t.Errorf("got %s, want confirm; %+v", v.Decision, v.Findings)
	}
}

func TestIsLocalHTTPHost(t *testing.T) {
	local := []string{"localhost", "api.localhost", "127.0.0.1", "127.9.9.9", "::1", "0.0.0.0", "::",
		"host.docker.internal", "127.1", "0", "0x7f000001", "2130706433", "::ffff:127.0.0.1"}
	remote := []string{"example.com", "10.0.0.1", "192.168.1.1", "localhost.example.com", "128.0.0.1",
		"1.2.3.4.5", "127.0.0.1.nip.io", "fe80::1", "0x80000001"}
	for _, h := range local {
		if !isLocalHTTPHost(h) {
			t.Errorf("%q should be local", h)
		}
	}
	for _, h := range remote {
		if isLocalHTTPHost(h) {
			t.Errorf("%q should not be local", h)
		}
	}
}

func TestParseTarget(t *testing.T) {
	cases := []struct {
		url, host string
		web       bool
	}{
		{"localhost:8000/healthz", "localhost", true},
		{"https://api.github.com/repos/acme/api", "api.github.com", true},
		{"https://user:pw@Example.COM:8443/x?y=1#z", "example.com", true},
		{"http://[::1]:8080/x", "::1", true},
		{"ftp://files.example.com/x", "files.example.com", false},
		{"example.com/x?u=http://other/", "example.com", true},
		{interceptor.UnknownMark + "/x", "", true},
	}
	for _, c := range cases {
		tg := parseTarget(httpWord(c.url))
		if tg.host != c.host || tg.web != c.web {
			t.Errorf("parseTarget(%q) = host %q web %v, want %q %v", c.url, tg.host, tg.web, c.host, c.web)
		}
	}
}

func TestSplitHTTPieItem(t *testing.T) {
	cases := []struct{ in, key, sep, value string }{
		{"query=mutation { x }", "query", "=", "mutation { x }"},
		{"Authorization:Bearer x", "Authorization", ":", "Bearer x"},
		{"n:=1", "n", ":=", "1"},
		{"q==a=b", "q", "==", "a=b"},
		{"f=@file.json", "f", "=@", "file.json"},
		{"f:=@file.json", "f", ":=@", "file.json"},
		{"up@file.bin", "up", "@", "file.bin"},
		{`a\=b=c`, "a=b", "=", "c"},
		{"X-Empty;", "X-Empty", ";", ""},
	}
	for _, c := range cases {
		k, s, v := splitHTTPieItem(c.in)
		if k != c.key || s != c.sep || v != c.value {
			t.Errorf("splitHTTPieItem(%q) = %q %q %q, want %q %q %q", c.in, k, s, v, c.key, c.sep, c.value)
		}
	}
}

func TestCurlConfigArgs(t *testing.T) {
	got := curlConfigArgs("# c\nrequest = DELETE\n--url \"https://x/y z\"\n-X: PUT\nsilent\nheader = \"A: b\\tc\"\n")
	var vals []string
	for _, w := range got {
		vals = append(vals, w.Value)
	}
	want := "--request|DELETE|--url|https://x/y z|-X|PUT|--silent|--header|A: b\tc"
	if strings.Join(vals, "|") != want {
		t.Errorf("curlConfigArgs = %q, want %q", strings.Join(vals, "|"), want)
	}
}

func TestWgetLongName(t *testing.T) {
	cases := map[string]string{
		"meth":     "method",
		"method":   "method",
		"post-d":   "post-data",
		"post":     "post", // ambiguous: post-data, post-file
		"quiet":    "quiet",
		"no-v":     "no-verbose",
		"unknownx": "unknownx",
	}
	for in, want := range cases {
		if got := wgetLongName(in); got != want {
			t.Errorf("wgetLongName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTTPPackRules(t *testing.T) {
	p := HTTPPack()
	if _, err := NewEngine([]*Pack{p}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rules {
		if r.Default != Confirm || r.Summary == "" {
			t.Errorf("rule %s: default %s, summary %q", r.ID, r.Default, r.Summary)
		}
	}
}

func TestHTTPOddInput(t *testing.T) {
	big := strings.Repeat("{a", 60000)
	for _, src := range []string{
		`curl`, `curl -`, `curl -X`, `curl --`, `curl -- -X DELETE`, `curl -K`, `curl -d`, `curl ''`,
		`curl http://`, `curl '['`, `curl 'http://[::1'`, `curl @`, `curl user@`, `curl -X DELETE ':'`,
		`curl -X DELETE 'http://%zz/'`, `curl 'http://h/?a=%zz&query=%'`, `curl -F`, `curl -F x`, `curl -F 'q="unterminated'`,
		`curl --data-urlencode @`, `curl --data-urlencode =`, `curl -H @`, `curl -H :`, `curl --expand-data '{{x'`,
		`wget`, `wget -e`, `wget -e x`, `wget -n`, `wget --=`, `wget -O`,
		`http`, `http DELETE`, `xh :`, `http ':'`, `http --raw`, `httpie cli check-updates`, `http -a`,
		`gh`, `gh api`, `gh api -X`, `gh api -i`, `gh api -f`, `gh api graphql -f`, `gh api graphql -F query=@`,
		`curl https://api.example.com/graphql -d '` + big + `'`,
		`curl https://api.example.com/graphql -d '{"query":"mutation ` + big + `"}'`,
		`curl https://api.example.com/graphql -d '` + strings.Repeat("[", 20000) + `'`,
	} {
		v := judgeHTTP(t, src)
		for _, f := range v.Findings {
			if f.Rule == "meta.internal-error" {
				t.Errorf("%.80q: %s", src, f.Reason)
			}
		}
	}
}

// A credential the command reads from a variable is not written in it,
// whatever the variable holds: with the environment exact (shell mode) the
// reason must be the one guard check gives, where the variable is unknown.
func TestHTTPCredentialFromVariableIsNotPlainText(t *testing.T) {
	src := `curl -H "Authorization: Bearer $RAILWAY_TOKEN" -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \"x\") }"}'`
	e, err := NewEngine([]*Pack{HTTPPack()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reasonWith := func(env map[string]string, exact bool) string {
		fsys := httpTestFS()
		ctx := interceptor.Context{Cwd: testCwd, Home: testHome, User: "u", Env: env, EnvExact: exact, FS: fsys}
		w := testWorld(fsys)
		w.Analysis = ctx
		v := e.Evaluate(interceptor.Analyze(src, ctx), w)
		for _, f := range v.Findings {
			if f.Rule == ruleGQL {
				return f.Reason
			}
		}
		t.Fatalf("no finding of %s; findings %+v", ruleGQL, v.Findings)
		return ""
	}
	base := map[string]string{"HOME": testHome, "USER": "u", "PATH": "/usr/bin:/bin"}
	want := reasonWith(base, false)
	withToken := map[string]string{"RAILWAY_TOKEN": "8f3a2b1c-9d4e-4f5a-b6c7-d8e9f0a1b2c3"}
	for k, v := range base {
		withToken[k] = v
	}
	for name, env := range map[string]map[string]string{"unset": base, "set": withToken} {
		if got := reasonWith(env, true); got != want {
			t.Errorf("exact environment, RAILWAY_TOKEN %s: reason %q, want %q", name, got, want)
		}
	}
	if strings.Contains(want, "credential") {
		t.Errorf("reason %q calls a variable reference a credential in plain text", want)
	}
}
