// Package gql reads the GraphQL documents an HTTP request sends and says
// which mutations they hold; it knows nothing of rules. It reads the JSON
// envelope {query, variables, operationName} (alone or batched in an array),
// a raw document (application/graphql), a form field named query, or the
// "operations" field of a multipart upload. Documents are parsed with
// gqlparser, no schema needed; what matters is the name of each field a
// mutation selects at its top level, since those are the server's
// operations.
package gql

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/guard-dev/guard/interceptor"
)

// gqlTokenLimit bounds the work of parsing one document. A document over it
// does not parse, and a body that does not parse is judged as unseen.
const gqlTokenLimit = 100000

// gqlMaxDepth bounds how deeply fragment spreads are followed.
const gqlMaxDepth = 32

// gqlDestructiveVerbs are the words that make a mutation field destructive
// when one of the words of its name (split at camelCase and snake_case
// boundaries) is one of them.
const gqlDestructiveVerbs = " delete destroy drop remove purge wipe erase truncate reset terminate uninstall detach "

// Result is what the GraphQL bodies of one request say.
type Result struct {
	// Fields are the destructive top-level mutation fields, in order,
	// without repeats.
	Fields []string
	// Opaque says, for each body whose content cannot be seen, where it
	// comes from.
	Opaque []string
	// Broken holds, for each body that does not read as GraphQL, why.
	Broken []string
	// Mutations are the top-level fields of every mutation, whatever
	// their names, in order, without repeats; Documents counts the
	// documents parsed.
	Mutations []string
	Documents int
}

// addField records a destructive field once.
func (r *Result) addField(name string) {
	for _, f := range r.Fields {
		if f == name {
			return
		}
	}
	r.Fields = append(r.Fields, name)
}

// addOpaque records once where an unseen body comes from.
func (r *Result) addOpaque(from string) {
	for _, f := range r.Opaque {
		if f == from {
			return
		}
	}
	r.Opaque = append(r.Opaque, from)
}

// BodyKind says how a body part carries its content.
type BodyKind int

const (
	// Raw is a whole request body (or a piece of one): JSON, a form, or
	// a GraphQL document.
	Raw BodyKind = iota
	// Field is one named field whose value is a string (httpie
	// field=value, gh api -f, curl -F, --data-urlencode name=content, a URL
	// query parameter).
	Field
	// JSONField is one named field whose value is raw JSON (httpie
	// field:=json).
	JSONField
)

// Body is one piece of what a request sends.
type Body struct {
	Kind BodyKind
	// Name is the field Name of bodyField and bodyJSONField.
	Name string
	// Data is the content; parts that cannot be known hold
	// interceptor.UnknownMark.
	Data string
	// Known reports whether data is exactly what is sent.
	Known bool
	// From says where the content comes From when it is not known, for
	// messages: "stdin", "the file q.json, which does not exist yet".
	From string
}

// Analyse reads every body as GraphQL. rawDoc says the content type
// declares raw bodies to be GraphQL documents.
func Analyse(bodies []Body, rawDoc bool) Result {
	var r Result
	for _, b := range bodies {
		if b.Known {
			r.body(b, rawDoc)
			continue
		}
		// An unknown part may be a value inside an otherwise literal
		// mutation ("volumeDelete(id: \"$ID\")"): read the body with a
		// neutral stand-in. A destructive field found so is destructive
		// whatever the value; anything else leaves the body unseen.
		var probe Result
		b.Data = strings.ReplaceAll(b.Data, interceptor.UnknownMark, "X")
		probe.body(b, rawDoc)
		if len(probe.Fields) > 0 {
			for _, f := range probe.Fields {
				r.addField(f)
			}
			continue
		}
		if relevantField(b) {
			r.addOpaque(b.From)
		}
	}
	return r
}

// relevantField reports whether an unseen body could carry a GraphQL
// document: raw bodies always, fields only when named query or operations
// (or not known by name).
func relevantField(b Body) bool {
	if b.Kind == Raw {
		return true
	}
	switch b.Name {
	case "query", "operations":
		return true
	}
	return strings.Contains(b.Name, interceptor.UnknownMark)
}

// body reads one known body part.
func (r *Result) body(b Body, rawDoc bool) {
	switch b.Kind {
	case Field:
		switch b.Name {
		case "query":
			r.document(b.Data)
		case "operations":
			r.envelope(strings.TrimSpace(b.Data))
		}
		return
	case JSONField:
		if b.Name != "query" {
			return
		}
		var s string
		if err := json.Unmarshal([]byte(b.Data), &s); err != nil {
			r.Broken = append(r.Broken, fmt.Sprintf("the query field is not a JSON string: %v", err))
			return
		}
		r.document(s)
		return
	}
	s := strings.TrimSpace(strings.TrimPrefix(b.Data, "\uFEFF"))
	if s == "" {
		return
	}
	if rawDoc {
		r.document(s)
		return
	}
	switch {
	case s[0] == '{' || s[0] == '[':
		if json.Valid([]byte(s)) {
			r.envelope(s)
			return
		}
		if s[0] == '{' {
			// A query in shorthand: "{ viewer { login } }".
			r.document(s)
			return
		}
		r.Broken = append(r.Broken, "the body is not valid JSON")
	case s[0] == '#' || startsGraphQLKeyword(s):
		r.document(s)
	case strings.Contains(s, "="):
		r.form(s)
	default:
		r.Broken = append(r.Broken, "the body is neither JSON nor a GraphQL document")
	}
}

// startsGraphQLKeyword reports whether s begins with a GraphQL operation or
// fragment keyword as a whole word (so "query=..." is a form, not a
// document).
func startsGraphQLKeyword(s string) bool {
	for _, kw := range []string{"mutation", "query", "subscription", "fragment"} {
		if !strings.HasPrefix(s, kw) {
			continue
		}
		rest := s[len(kw):]
		if rest == "" {
			return true
		}
		c := rest[0]
		return !gqlNameByte(c) && c != '='
	}
	return false
}

// gqlNameByte reports whether c can be part of a GraphQL name.
func gqlNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// form reads an application/x-www-form-urlencoded body: its query field is
// a document, its operations field an envelope.
func (r *Result) form(s string) {
	for _, pair := range strings.Split(s, "&") {
		name, value, _ := strings.Cut(pair, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		switch name {
		case "query":
			r.document(value)
		case "operations":
			r.envelope(strings.TrimSpace(value))
		}
	}
}

// envelope reads a JSON body: {"query": ...} or an array of such (a batch).
func (r *Result) envelope(s string) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		r.Broken = append(r.Broken, fmt.Sprintf("the body is not valid JSON: %v", err))
		return
	}
	switch v := v.(type) {
	case map[string]any:
		r.request(v)
	case []any:
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				r.Broken = append(r.Broken, "a batched request is not a JSON object")
				continue
			}
			r.request(m)
		}
	default:
		r.Broken = append(r.Broken, "the JSON body is not a GraphQL request object")
	}
}

// request reads one GraphQL-over-HTTP request object.
func (r *Result) request(m map[string]any) {
	switch q := m["query"].(type) {
	case string:
		r.document(q)
		return
	case nil:
	default:
		r.Broken = append(r.Broken, "the query of the JSON body is not a string")
		return
	}
	if ext, ok := m["extensions"].(map[string]any); ok {
		if _, ok := ext["persistedQuery"]; ok {
			r.addOpaque("a persisted query the body names only by its hash")
			return
		}
	}
	r.Broken = append(r.Broken, "the JSON body holds no GraphQL query")
}

// document parses one GraphQL document and records its destructive
// mutation fields.
func (r *Result) document(src string) {
	fields, mutations, err := gqlMutationFields(src)
	if err != nil {
		r.Broken = append(r.Broken, err.Error())
		return
	}
	r.Documents++
	for _, f := range fields {
		r.addField(f)
	}
	for _, m := range mutations {
		if !slices.Contains(r.Mutations, m) {
			r.Mutations = append(r.Mutations, m)
		}
	}
}

// ReadsOnly reports whether the bodies are GraphQL documents that hold no
// mutation: queries only.
func (r *Result) ReadsOnly() bool {
	return r.Documents > 0 && len(r.Mutations) == 0 && len(r.Opaque) == 0 && len(r.Broken) == 0
}

// gqlMutationFields parses a GraphQL document and returns the names of
// the top-level fields of its mutations whose names hold a destructive verb,
// and the names of all of them.
// Aliases are resolved to the real field name, fragment spreads and inline
// fragments at the top level are followed, and every operation of the
// document counts (which one runs is the client's choice).
func gqlMutationFields(src string) (destructive, all []string, err error) {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: src}, gqlTokenLimit)
	if err != nil {
		return nil, nil, fmt.Errorf("the GraphQL document does not parse: %v", err)
	}
	var out []string
	seen := map[string]bool{}
	every := map[string]bool{}
	var walk func(set ast.SelectionSet, depth int, visiting map[string]bool)
	walk = func(set ast.SelectionSet, depth int, visiting map[string]bool) {
		if depth > gqlMaxDepth {
			return
		}
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if !every[s.Name] {
					every[s.Name] = true
					all = append(all, s.Name)
				}
				if _, ok := DestructiveVerb(s.Name); ok && !seen[s.Name] {
					seen[s.Name] = true
					out = append(out, s.Name)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet, depth+1, visiting)
			case *ast.FragmentSpread:
				if visiting[s.Name] {
					continue
				}
				if f := doc.Fragments.ForName(s.Name); f != nil {
					visiting[s.Name] = true
					walk(f.SelectionSet, depth+1, visiting)
					delete(visiting, s.Name)
				}
			}
		}
	}
	for _, op := range doc.Operations {
		if op.Operation == ast.Mutation {
			walk(op.SelectionSet, 0, map[string]bool{})
		}
	}
	return out, all, nil
}

// DestructiveVerb returns the destructive verb among the words of a field
// name: "volumeDelete" -> "delete", "project_remove" -> "remove". Names
// such as "undelete" or "createTodo" hold none.
func DestructiveVerb(name string) (string, bool) {
	for _, w := range splitGraphQLName(name) {
		if strings.Contains(gqlDestructiveVerbs, " "+w+" ") {
			return w, true
		}
	}
	return "", false
}

// splitGraphQLName splits an identifier into lower-case words at
// underscores, hyphens, digits and camelCase boundaries: "volumeDelete" ->
// [volume delete], "HTTPDelete" -> [http delete], "project_remove" ->
// [project remove].
// SplitName splits a name into its lower-cased words at camelCase and
// snake_case boundaries: "BatchGetItem" -> batch, get, item.
func SplitName(name string) []string { return splitGraphQLName(name) }

func splitGraphQLName(name string) []string {
	var words []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, strings.ToLower(name[start:end]))
		}
		start = -1
	}
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isUpper(c) && !isLower(c) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := name[i-1]
		switch {
		case isUpper(c) && isLower(prev):
			// volume|Delete
			flush(i)
			start = i
		case isUpper(c) && isUpper(prev) && i+1 < len(name) && isLower(name[i+1]):
			// HTTP|Delete
			flush(i)
			start = i
		}
	}
	flush(len(name))
	return words
}
