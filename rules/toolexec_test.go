package rules

import (
	"strings"
	"testing"

	"github.com/guard-dev/guard/interceptor"
)

// toolPacks are the packs that use toolLaunched.
func toolPacks() []*Pack {
	return []*Pack{SecretsPack(), BackupPack(), MessagingPack(), ObjStorePack(), ForgePack(), DBaaSPack(), HostingPack(), VolumesPack(), CDNPack(), SaaSPack(), DNSPack(), AccessPack()}
}

// TestToolLaunched checks that naming a tool in a pack never lets through
// the command the tool may run from its operands: the engine leaves those
// to the pack.
func TestToolLaunched(t *testing.T) {
	for _, p := range toolPacks() {
		for _, name := range p.Commands {
			if cliContains(cliRunners(), name) {
				continue // package runners: judged by the interceptor
			}
			switch name {
			case "doppler", "op", "infisical":
				continue // launchers of the interceptor's own table
			}
			for _, src := range []string{
				name + " -- rm -rf ~",
				name + " run rm -rf ~",
				name + " exec --flag -- rm -rf ~/",
			} {
				if v := judgeWith(t, src, Builtin()...); v.Decision != Deny {
					t.Errorf("%q: got %s, want deny; findings %+v", src, v.Decision, v.Findings)
				}
			}
			switch name {
			case "lvremove", "vgremove", "pvremove", "lvreduce", "userdel", "deluser":
				continue // every operand is a volume or user to remove
			}
			for _, src := range []string{name + " -- ls -la", name + " run echo hi"} {
				if v := judgeWith(t, src, Builtin()...); v.Decision != Allow {
					t.Errorf("%q: got %s, want allow; findings %+v", src, v.Decision, v.Findings)
				}
			}
		}
	}
}

// TestToolLaunchedRunners checks that the packs that name the package
// runners to find the tools run through them leave what "npm run X" runs
// alone: it is a script of package.json, not the command X.
func TestToolLaunchedRunners(t *testing.T) {
	for _, src := range []string{"npm run rm -rf ~", "yarn run rm -rf ~", "bun run rm -rf ~"} {
		if v := judgeWith(t, src, Builtin()...); v.Decision != Allow {
			t.Errorf("%q: got %s, want allow; findings %+v", src, v.Decision, v.Findings)
		}
	}
}

func TestToolQuote(t *testing.T) {
	cases := []struct {
		src, want string
	}{
		{"rclone -- rm -rf 'it'\"'\"'s'", "rm -rf 'it'\\''s'"},
		{"rclone -- rm -rf *.log", "rm -rf *.log"},
	}
	for _, c := range cases {
		invs := interceptor.Analyze(c.src, interceptor.Context{Cwd: testCwd, Home: testHome, FS: testFS()})
		args := invs[0].Args
		i := 0
		for args[i].Value != "--" {
			i++
		}
		var out []string
		for _, w := range args[i+1:] {
			out = append(out, toolQuote(w))
		}
		if got := strings.Join(out, " "); got != c.want {
			t.Errorf("%q: quoted %q, want %q", c.src, got, c.want)
		}
	}
}
