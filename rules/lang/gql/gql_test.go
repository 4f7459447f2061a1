package gql

import (
	"strings"
	"testing"
)

func TestDestructiveVerb(t *testing.T) {
	cases := []struct {
		name string
		verb string
	}{
		{"volumeDelete", "delete"},
		{"deleteService", "delete"},
		{"wipeVolume", "wipe"},
		{"project_remove", "remove"},
		{"HTTPDeleteRoute", "delete"},
		{"DROP_TABLE", "drop"},
		{"resetDatabase", "reset"},
		{"instance2Terminate", "terminate"},
		{"createTodo", ""},
		{"undeleteItem", ""},
		{"dropdownSelect", ""},
		{"updateUser", ""},
		{"deletedItems", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := DestructiveVerb(c.name)
		if got != c.verb || ok != (c.verb != "") {
			t.Errorf("destructiveVerb(%q) = %q, %v; want %q", c.name, got, ok, c.verb)
		}
	}
}

func TestSplitGraphQLName(t *testing.T) {
	cases := map[string]string{
		"volumeDelete":    "volume delete",
		"HTTPDeleteRoute": "http delete route",
		"project_remove":  "project remove",
		"a2bC":            "a b c",
		"ABC":             "abc",
		"__typename":      "typename",
	}
	for in, want := range cases {
		if got := strings.Join(splitGraphQLName(in), " "); got != want {
			t.Errorf("splitGraphQLName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGraphQLDestructiveFields(t *testing.T) {
	cases := []struct {
		doc  string
		want string
		err  bool
	}{
		{`mutation { volumeDelete(id: 1) }`, "volumeDelete", false},
		{`mutation { x: deleteA y: createB }`, "deleteA", false},
		{`mutation { ...F } fragment F on Mutation { ...G } fragment G on Mutation { dropC }`, "dropC", false},
		{`mutation { ...F } fragment F on Mutation { ...F }`, "", false},
		{`mutation { createA { deleteUrl } }`, "", false},
		{`query { deleteA }`, "", false},
		{`{ deleteA }`, "", false},
		{`mutation { deleteA(`, "", true},
		{`mutation`, "", true},
		{``, "", false},
	}
	for _, c := range cases {
		got, _, err := gqlMutationFields(c.doc)
		if (err != nil) != c.err {
			t.Errorf("%q: err %v, want error %v", c.doc, err, c.err)
			continue
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%q: got %q, want %q", c.doc, got, c.want)
		}
	}
}
