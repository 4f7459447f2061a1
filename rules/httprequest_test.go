package rules

import (
	"fmt"
	"strings"
	"testing"
)

// TestCheckRequest: requests on the wire are judged with the http pack's
// rules, as curl's would be: writes to a production platform confirm,
// GraphQL queries, GETs and searches pass, the host list is the shipped one
// plus the policy's.
func TestCheckRequest(t *testing.T) {
	p, _ := loadUser(t, "[hosts]\nproduction = [\"api.acme.com\"]\n")
	c, err := NewChecker(Options{Home: testHome, User: "u", Env: map[string]string{"HOME": testHome}, FS: testFS(), Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	const gqlJSON = "Content-Type: application/json"
	cases := []struct {
		name, method, host, target string
		headers                    []string
		body                       string
		partial                    bool
		want                       Decision
		rule, ops                  string
	}{
		{"volumeDelete", "POST", "backboard.railway.app", "/graphql/v2", []string{gqlJSON}, `{"query":"mutation { volumeDelete(volumeId: \"x\") }"}`, false, Confirm, "http.graphql-destructive", "mutation volumeDelete"},
		{"any mutation", "POST", "backboard.railway.app", "/graphql/v2", []string{gqlJSON}, `{"query":"mutation { serviceInstanceRedeploy(serviceId: \"x\") }"}`, false, Confirm, "http.production-write", "mutation serviceInstanceRedeploy"},
		{"a query", "POST", "backboard.railway.app", "/graphql/v2", []string{gqlJSON}, `{"query":"query { me { name } }"}`, false, Allow, "", "query"},
		{"a raw document query", "POST", "backboard.railway.app", "/graphql/v2", []string{"Content-Type: application/graphql"}, `{ me { name } }`, false, Allow, "", "query"},
		{"a query too big to read", "POST", "backboard.railway.app", "/graphql/v2", []string{gqlJSON}, `{"query":"query { me`, true, Confirm, "http.production-write", ""},
		{"GET", "GET", "api.github.com", "/repos/a/b", nil, "", false, Allow, "", ""},
		{"DELETE", "DELETE", "api.github.com", "/repos/a/b", nil, "", false, Confirm, "http.delete", ""},
		{"a method override", "POST", "api.vercel.com", "/v9/projects/p", []string{"X-HTTP-Method-Override: DELETE"}, "", false, Confirm, "http.delete", ""},
		{"a search", "POST", "x.es.io", "/logs/_search", []string{gqlJSON}, `{"query":{"match_all":{}}}`, false, Allow, "", ""},
		{"a git fetch", "POST", "gitlab.com", "/a/b.git/git-upload-pack", []string{"Content-Type: application/x-git-upload-pack-request"}, "0032want 0123\n", false, Allow, "", ""},
		{"the policy's host", "PUT", "api.acme.com", "/v1/x", nil, "{}", false, Confirm, "http.production-write", ""},
		{"with a port", "PATCH", "api.acme.com:8443", "/v1/x", nil, "{}", false, Confirm, "http.production-write", ""},
		{"an AWS describe", "POST", "ec2.us-east-1.amazonaws.com", "/", []string{"Content-Type: application/x-www-form-urlencoded; charset=utf-8"}, "Action=DescribeInstances&Version=2016-11-15", false, Allow, "", ""},
		{"an AWS terminate", "POST", "ec2.us-east-1.amazonaws.com", "/", nil, "Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-1", false, Confirm, "http.production-write", ""},
		{"a DynamoDB read", "POST", "dynamodb.eu-west-1.amazonaws.com", "/", []string{"X-Amz-Target: DynamoDB_20120810.Query", "Content-Type: application/x-amz-json-1.0"}, `{"TableName":"t"}`, false, Allow, "", ""},
		{"a DynamoDB delete", "POST", "dynamodb.eu-west-1.amazonaws.com", "/", []string{"X-Amz-Target: DynamoDB_20120810.DeleteItem"}, `{"TableName":"t"}`, false, Confirm, "http.production-write", ""},
		{"a git push", "POST", "gitlab.com", "/a/b.git/git-receive-pack", []string{"Content-Type: application/x-git-receive-pack-request"}, gitPkt("1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 refs/heads/main\x00report-status side-band-64k\n") + "0000PACK\x00\x00", false, Allow, "", ""},
		{"a git push deleting a branch", "POST", "gitlab.com", "/a/b.git/git-receive-pack", nil, gitPkt("1111111111111111111111111111111111111111 0000000000000000000000000000000000000000 refs/heads/release\x00report-status\n") + "0000", false, Confirm, "http.delete", ""},
		{"a git push that does not parse", "POST", "gitlab.com", "/a/b.git/git-receive-pack", nil, "zzzz", false, Confirm, "http.production-write", ""},
		{"another host", "POST", "example.org", "/submit", nil, "a=1", false, Allow, "", ""},
		{"another host's DELETE", "DELETE", "example.org", "/items/1", nil, "", false, Confirm, "http.delete", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := Request{Method: tc.method, Scheme: "https", Host: tc.host, Target: tc.target, Headers: append([]string{"Authorization: Bearer sk_live_abcdefgh"}, tc.headers...), Body: []byte(tc.body), Partial: tc.partial}
			r := c.CheckRequest(q)
			if r.Verdict.Decision != tc.want {
				t.Fatalf("%s %s: %s %+v, want %s", tc.method, tc.host, r.Verdict.Decision, r.Verdict.Findings, tc.want)
			}
			if tc.rule != "" && !hasRule(r.Verdict, tc.rule) {
				t.Errorf("rules %v, want %s", r.Verdict.Findings, tc.rule)
			}
			if got := strings.Join(r.Operations, ","); got != tc.ops {
				t.Errorf("operations %q, want %q", got, tc.ops)
			}
			for _, f := range r.Verdict.Findings {
				if strings.Contains(f.Reason, "sk_live") || strings.Contains(f.Reason, "credential") {
					t.Errorf("the reason names the request's credential: %s", f.Reason)
				}
			}
		})
	}
}

// TestRequestPlan: an approval is bound to the method, host, target and
// body; the same request again is the same plan.
func TestRequestPlan(t *testing.T) {
	base := Request{Method: "POST", Scheme: "https", Host: "backboard.railway.app", Target: "/graphql/v2?token=secret1", Body: []byte(`{"query":"mutation { volumeDelete }"}`)}
	key := RequestPlan(base).Key
	if RequestPlan(base).Key != key {
		t.Fatal("the same request has two plans")
	}
	for name, q := range map[string]Request{
		"method": {Method: "PUT", Scheme: base.Scheme, Host: base.Host, Target: base.Target, Body: base.Body},
		"host":   {Method: base.Method, Scheme: base.Scheme, Host: "api.railway.app", Target: base.Target, Body: base.Body},
		"target": {Method: base.Method, Scheme: base.Scheme, Host: base.Host, Target: "/graphql/v1", Body: base.Body},
		"body":   {Method: base.Method, Scheme: base.Scheme, Host: base.Host, Target: base.Target, Body: []byte(`{"query":"mutation { projectDelete }"}`)},
	} {
		if RequestPlan(q).Key == key {
			t.Errorf("another %s, the same plan", name)
		}
	}
	if show := RequestPlan(base).Steps[0].Show; strings.Contains(show, "secret1") || !strings.Contains(show, "POST https://backboard.railway.app/graphql/v2?token=…") {
		t.Errorf("shown as %q", show)
	}
}

// gitPkt is one pkt-line of git's protocol.
func gitPkt(line string) string { return fmt.Sprintf("%04x", len(line)+4) + line }

func hasRule(v Verdict, id string) bool {
	for _, f := range v.Findings {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// TestAWSReadAction: only actions whose first word reads.
func TestAWSReadAction(t *testing.T) {
	for action, want := range map[string]bool{
		"DescribeInstances": true, "GetCallerIdentity": true, "BatchGetItem": true, "ListBuckets": true,
		"FilterLogEvents": true, "AssumeRoleWithWebIdentity": true, "Query": true, "Scan": true,
		"Getaway": false, "ListenerCreate": false, "BatchWriteItem": false, "PutItem": false,
		"TerminateInstances": false, "DeleteTable": false, "": false, "Assume": false,
	} {
		if got := awsReadAction(action); got != want {
			t.Errorf("%q: %v, want %v", action, got, want)
		}
	}
}
