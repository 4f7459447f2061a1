package rules

import "testing"

// TestHurl: the requests in a .hurl file are judged like curl's, entry by
// entry; reads and local services stay allowed, and a file guard cannot
// read is a request it cannot see.
func TestHurl(t *testing.T) {
	fsys := testFS()
	fsys[testCwd+"/delete.hurl"] = "# remove the project\nDELETE https://api.example.com/v1/projects/1\nAuthorization: Bearer {{token}}\nHTTP 204\n"
	fsys[testCwd+"/smoke.hurl"] = "GET https://api.example.com/health\nHTTP 200\n[Asserts]\njsonpath \"$.status\" == \"ok\"\n\n" +
		"POST http://localhost:3000/api/users\nContent-Type: application/json\n{\n  \"name\": \"a\"\n}\nHTTP 201\n"
	fsys[testCwd+"/gql.hurl"] = "POST https://backboard.railway.app/graphql/v2\n```graphql\nmutation {\n  volumeDelete(volumeId: \"v\")\n}\n```\nHTTP 200\n"
	fsys[testCwd+"/query.hurl"] = "POST https://backboard.railway.app/graphql/v2\n```graphql\nquery { me { id } }\n```\n"
	fsys[testCwd+"/second.hurl"] = "GET https://api.example.com/a\nHTTP 200\nDELETE https://api.example.com/b\n"
	fsys[testCwd+"/vars.hurl"] = "DELETE {{base}}/v1/projects/1\n"
	cases := []ruleCase{
		{`hurl delete.hurl`, Confirm, "http.delete"},
		{`hurl --test --variable token=x delete.hurl`, Confirm, "http.delete"},
		{`hurl gql.hurl`, Confirm, "http.production-write"},
		{`hurl smoke.hurl second.hurl`, Confirm, "http.delete"},
		{`hurl vars.hurl`, Confirm, "http.delete"},
		{`hurl missing.hurl`, Confirm, "http.delete"},
		{`hurl < delete.hurl`, Confirm, "http.delete"},
		{`hurl smoke.hurl`, Allow, ""},
		{`hurl query.hurl`, Allow, ""},
		{`hurl --version`, Allow, ""},
	}
	runCasesWith(t, cases, func(src string) Verdict { return judgeIn(t, src, fsys, Builtin()...) })
}
