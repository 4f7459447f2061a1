package rules

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/guard-dev/guard/rules/lang/gql"
)

// What POSTs to production APIs only read, beyond GraphQL queries and the
// search endpoints (readOnlyPost): the shapes that clients put on the wire
// for reads, which guard's gateway sees for every program (the AWS CLI and
// SDKs send every call as a POST), and a curl command line can spell out
// too.

// awsReadVerbs are the first words of AWS actions that only read.
// AssumeRole and GetSessionToken mint temporary credentials, which changes
// nothing in the account; every SDK calls them before its real call.
var awsReadVerbs = map[string]bool{"describe": true, "list": true, "get": true, "query": true, "scan": true,
	"search": true, "lookup": true, "head": true, "filter": true}

// awsReadAction reports whether an AWS API action (DescribeInstances,
// GetItem, BatchGetItem, FilterLogEvents) only reads.
func awsReadAction(action string) bool {
	words := gql.SplitName(action)
	if len(words) == 0 {
		return false
	}
	if words[0] == "batch" && len(words) > 1 {
		return words[1] == "get"
	}
	if words[0] == "assume" && len(words) > 1 && words[1] == "role" {
		return true
	}
	return awsReadVerbs[words[0]]
}

// awsReadPost reports whether a POST to an AWS API only reads: the query
// protocol's form body (Action=DescribeInstances&Version=…) or the JSON
// protocol's X-Amz-Target header (DynamoDB_20120810.GetItem) names an
// action that only reads. Every part of the body must be seen.
func awsReadPost(platform, amzTarget string, bodies []gql.Body) bool {
	if platform != "AWS" {
		return false
	}
	if amzTarget != "" {
		_, action, _ := strings.Cut(amzTarget, ".")
		if action == "" {
			action = amzTarget
		}
		return awsReadAction(action)
	}
	if len(bodies) != 1 || !bodies[0].Known || bodies[0].Kind != gql.Raw {
		return false
	}
	form, err := url.ParseQuery(strings.TrimSpace(bodies[0].Data))
	if err != nil || len(form["Action"]) != 1 {
		return false
	}
	return awsReadAction(form.Get("Action"))
}

// gitZeroID reports an object id of zeros: the old side of a ref created
// or the new side of a ref deleted.
func gitZeroID(id string) bool {
	return (len(id) == 40 || len(id) == 64) && strings.Trim(id, "0") == ""
}

// gitPushDeletes reads the commands of a git-receive-pack request (git's
// smart HTTP push: pkt-lines "OLD NEW REF", the first with capabilities
// after a NUL, ended by a flush, then the pack) and returns the refs it
// deletes. ok is false when the body does not read as one.
func gitPushDeletes(body string) (deleted []string, ok bool) {
	for len(body) >= 4 {
		n, err := strconv.ParseUint(body[:4], 16, 16)
		if err != nil {
			return nil, false
		}
		if n == 0 {
			return deleted, true // flush: the pack follows
		}
		if n < 4 || int(n) > len(body) {
			return nil, false
		}
		line := strings.TrimSuffix(body[4:n], "\n")
		line, _, _ = strings.Cut(line, "\x00")
		body = body[n:]
		if strings.HasPrefix(line, "shallow ") || strings.HasPrefix(line, "push-cert") {
			return nil, false // certificates and shallow updates are not read here
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, false
		}
		if gitZeroID(f[1]) {
			deleted = append(deleted, f[2])
		}
	}
	return nil, false
}

// gitPush reports whether a POST is a git push (to …/git-receive-pack),
// and when it is, whether the body was read and the refs it deletes.
func gitPush(path string, bodies []gql.Body) (push, read bool, deleted []string) {
	if !strings.HasSuffix(strings.TrimSuffix(path, "/"), "/git-receive-pack") {
		return false, false, nil
	}
	if len(bodies) != 1 || !bodies[0].Known || bodies[0].Kind != gql.Raw {
		return true, false, nil
	}
	deleted, read = gitPushDeletes(bodies[0].Data)
	return true, read, deleted
}
