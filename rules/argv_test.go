package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// cliWords turns plain strings into known words.
func cliWords(ss ...string) []interceptor.Word {
	out := make([]interceptor.Word, len(ss))
	for i, s := range ss {
		out[i] = interceptor.Word{Value: s}
	}
	return out
}

func TestCLIParse(t *testing.T) {
	kube := cliSpec{short: "nf", long: []string{"--context", "--namespace"}}
	cases := []struct {
		spec     cliSpec
		args     []string
		operands []string
		opts     []string // name=value, or name alone
	}{
		{kube, []string{"--context", "prod", "-n", "x", "delete", "ns", "y"}, []string{"delete", "ns", "y"}, []string{"--context=prod", "-n=x"}},
		{kube, []string{"delete", "--context=prod", "ns", "-nx", "y"}, []string{"delete", "ns", "y"}, []string{"--context=prod", "-n=x"}},
		{kube, []string{"delete", "-f", "k8s/", "--force"}, []string{"delete"}, []string{"-f=k8s/", "--force"}},
		{cliSpec{}, []string{"rm", "-vf", "--", "-weird"}, []string{"rm", "-weird"}, []string{"-v", "-f"}},
		{kube, []string{"-xn", "prod", "get"}, []string{"get"}, []string{"-x", "-n=prod"}},
		{cliSpec{single: true, long: []string{"-target"}}, []string{"apply", "--destroy", "-target", "a.b", "-chdir=infra"}, []string{"apply"}, []string{"-destroy", "-target=a.b", "-chdir=infra"}},
		{cliSpec{short: "H", stop: true}, []string{"-H", "tcp://x", "--debug", "volume", "rm", "-f"}, nil, []string{"-H=tcp://x", "--debug"}},
	}
	for _, c := range cases {
		a := cliParse(cliWords(c.args...), c.spec)
		var ops, opts []string
		for _, w := range a.operands {
			ops = append(ops, w.Value)
		}
		for _, o := range a.opts {
			if o.hasValue {
				opts = append(opts, o.name+"="+o.value.Value)
			} else {
				opts = append(opts, o.name)
			}
		}
		if !reflect.DeepEqual(ops, c.operands) || !reflect.DeepEqual(opts, c.opts) {
			t.Errorf("%q: operands %q opts %q, want %q %q", c.args, ops, opts, c.operands, c.opts)
		}
	}
	a := cliParse(cliWords("-H", "h", "volume", "rm"), cliSpec{short: "H", stop: true})
	if len(a.rest) != 2 || a.rest[0].Value != "volume" {
		t.Errorf("stop: rest %v", a.rest)
	}
}

func TestCLIOptionValues(t *testing.T) {
	a := cliParse(cliWords("down", "--volumes=false", "-v", "--dry-run=false", "--x=1", "--x=2"), cliSpec{})
	if !a.on("-v", "--volumes") {
		t.Error("-v after --volumes=false: want on")
	}
	if a.on("--dry-run") {
		t.Error("--dry-run=false: want off")
	}
	if a.str("--x") != "2" || len(a.all("--x")) != 2 {
		t.Errorf("--x: %q %q", a.str("--x"), a.all("--x"))
	}
	b := cliParse(cliWords("down", "--volumes=false"), cliSpec{})
	if b.on("--volumes") || !b.has("--volumes") {
		t.Error("--volumes=false: want given but off")
	}
}

func TestCLIFindVerb(t *testing.T) {
	isDel := func(s string) bool { return s == "delete" }
	u := interceptor.Word{Value: interceptor.UnknownMark, Unknown: true}
	cases := []struct {
		ops     []interceptor.Word
		idx     int
		unknown bool
	}{
		{cliWords("sql", "databases", "delete", "app"), 2, false},
		{cliWords("compute", "instances", "list", "delete"), -1, false},
		{cliWords("compute", "ssh", "Delete"), -1, false},
		{cliWords("compute", "instances", "describe", "vm-1", "delete"), 4, false},
		{append([]interceptor.Word{u}, cliWords("delete")...), -1, true},
		{append(cliWords("compute", "instances", "describe"), u), -1, false},
		{cliWords("storage", "./x", "delete"), -1, false},
	}
	for _, c := range cases {
		idx, unk := cliFindVerb(c.ops, isDel, "list")
		if idx != c.idx || unk != c.unknown {
			t.Errorf("%v: got %d %v, want %d %v", c.ops, idx, unk, c.idx, c.unknown)
		}
	}
}

func TestCLIRunner(t *testing.T) {
	cases := []struct {
		src  string
		name string
		args string
		ok   bool
	}{
		{"npx cdk destroy", "cdk", "destroy", true},
		{"npx -y aws-cdk@2 destroy --all", "cdk", "destroy --all", true},
		{"npx --package netlify-cli netlify sites:delete x", "netlify", "sites:delete x", true},
		{"npx @railway/cli delete", "railway", "delete", true},
		{"pnpm dlx vercel rm site", "vercel", "rm site", true},
		{"npm exec -- supabase projects delete abcd", "supabase", "projects delete abcd", true},
		{"bunx wrangler delete", "wrangler", "delete", true},
		{"yarn dlx vercel@latest remove x", "vercel", "remove x", true},
		{"yarn cdk destroy --all", "cdk", "destroy --all", true},
		{"pnpm --filter infra sst remove", "sst", "remove", true},
		{"yarn build", "", "", false},
		{"npm run build", "", "", false},
		{"pnpm add zod", "", "", false},
		{"npx", "", "", false},
	}
	for _, c := range cases {
		invs := interceptor.Analyze(c.src, interceptor.Context{Cwd: testCwd, Home: testHome, FS: testFS()})
		if len(invs) != 1 {
			t.Fatalf("%q: %d invocations", c.src, len(invs))
		}
		name, args, ok := cliRunner(&invs[0])
		var vs []string
		for _, a := range args {
			vs = append(vs, a.Value)
		}
		if name != c.name || strings.Join(vs, " ") != c.args || ok != c.ok {
			t.Errorf("%q: got %q %q %v, want %q %q %v", c.src, name, vs, ok, c.name, c.args, c.ok)
		}
	}
}

func TestCLIHelpers(t *testing.T) {
	if got := cliList([]string{"a", "b", "c"}); got != "a, b and c" {
		t.Errorf("cliList: %q", got)
	}
	if got := cliList([]string{"a"}); got != "a" {
		t.Errorf("cliList: %q", got)
	}
	for s, want := range map[string]bool{"compute": true, "apps:destroy": true, "run-all": true, "v2": true, "Delete": false, "./x": false, "s3://b": false, "": false, "-x": false} {
		if cliCommandWord(s) != want {
			t.Errorf("cliCommandWord(%q) != %v", s, want)
		}
	}
}

// cliReasons returns the reasons of the findings of rule when src is judged
// with packs, for tests that check what a reason names.
func cliReasons(t *testing.T, src, rule string, packs ...*Pack) []string {
	t.Helper()
	var out []string
	for _, f := range judgeWith(t, src, packs...).Findings {
		if f.Rule == rule {
			out = append(out, f.Reason)
		}
	}
	return out
}

// reasonCase is a command and words its reason must contain.
type reasonCase struct {
	src, rule string
	contains  []string
}

func runReasonCases(t *testing.T, cases []reasonCase, packs ...*Pack) {
	t.Helper()
	for _, c := range cases {
		rs := cliReasons(t, c.src, c.rule, packs...)
		if len(rs) == 0 {
			t.Errorf("%q: no finding of %s", c.src, c.rule)
			continue
		}
		r := strings.Join(rs, " | ")
		t.Logf("%s: %s", c.src, r)
		for _, want := range c.contains {
			if !strings.Contains(r, want) {
				t.Errorf("%q: reason %q does not contain %q", c.src, r, want)
			}
		}
	}
}
