package integration

import (
	"slices"
	"testing"
)

// The registry is the one list of agents: every name is its own, every
// agent either installs user-wide or says where its project hooks go, and
// doctor can probe every hook guard installs.
func TestAdapterRegistry(t *testing.T) {
	seen := map[string]string{}
	for _, a := range adapters() {
		for _, n := range append([]string{a.name}, a.aliases...) {
			if other, dup := seen[n]; dup {
				t.Errorf("%q names both %s and %s", n, other, a.name)
			}
			seen[n] = a.name
		}
		p := a.hook
		if p.parse == nil || p.pass == nil || p.allow == nil || p.confirm == nil || p.deny == nil || p.invalid == nil {
			t.Errorf("%s: the protocol lacks an outcome", a.name)
		}
		switch {
		case a.install == nil && a.project == nil:
			t.Errorf("%s: no install target and no project hooks: say where its hooks go", a.name)
		case a.install != nil && a.project != nil:
			t.Errorf("%s: both a user-wide install target and project hooks", a.name)
		case a.install != nil && a.probe == nil:
			t.Errorf("%s: installs a hook that doctor cannot probe", a.name)
		}
		if a.install != nil {
			if tg := a.install("/home/u", func(string) string { return "" }); tg.path == "" || tg.what == "" || tg.kind == projectOnly {
				t.Errorf("%s: install target %+v", a.name, tg)
			}
		}
	}
	want := []string{"claude", "codex", "gemini", "cursor", "windsurf", "cline"}
	if got := InstallAgents(); !slices.Equal(got, want) {
		t.Errorf("InstallAgents() = %v, want %v", got, want)
	}
	if got := Agents(); !slices.IsSorted(got) || len(got) != len(adapters()) {
		t.Errorf("Agents() = %v", got)
	}
	for _, name := range Agents() {
		if AsksHuman(name) != slices.Contains([]string{"claude", "gemini", "cursor"}, name) {
			t.Errorf("AsksHuman(%q) = %v", name, AsksHuman(name))
		}
	}
}
