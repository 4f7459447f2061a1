package sandbox

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// shellStartup's $- is what the real bash has for the same arguments.
func TestShellStartupFlagsAreBashs(t *testing.T) {
	if _, err := os.Stat("/bin/bash"); err != nil {
		t.Skip("no /bin/bash")
	}
	for _, args := range [][]string{
		{"-c"}, {"-lc"}, {"-c", "-l"}, {"-ec"}, {"-euc"}, {"-o", "errexit", "-c"}, {"-o", "pipefail", "-ec"},
		{"+h", "-c"}, {"+B", "-c"}, {"-fc"}, {"-ac"}, {"-Cc"}, {"-Pc"}, {"-Ec"}, {"-Tc"}, {"-kc"}, {"-bc"},
		{"-Hc"}, {"-tc"}, {"-O", "extglob", "-c"}, {"--norc", "-c"}, {"--login", "-c"}, {"--posix", "-c"},
		{"-o", "noglob", "+o", "hashall", "-c"}, {"-s"},
	} {
		st := shellStartup("bash", append(append([]string(nil), args...), "echo \"$-\""))
		if args[len(args)-1] == "-s" {
			st = shellStartup("bash", args)
		}
		cmd := exec.Command("/bin/bash", append([]string{"--noprofile"}, args...)...)
		if args[len(args)-1] == "-s" {
			cmd.Stdin = strings.NewReader("echo \"$-\"\n")
		} else {
			cmd.Args = append(cmd.Args, "echo \"$-\"")
		}
		cmd.Env = []string{"PATH=/usr/bin:/bin"}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("bash %q: %v", args, err)
		}
		if want := strings.TrimSpace(string(out)); st.Flags != want {
			t.Errorf("bash %q: $- is %q, guard says %q", args, want, st.Flags)
		}
	}
}

func TestShellStartupLogin(t *testing.T) {
	for _, c := range []struct {
		argv0        string
		args         []string
		login, posix bool
		flags        string
	}{
		{"guard", []string{"-lc", "x"}, true, false, "hBc"},
		{"bash", []string{"-c", "-l", "x"}, true, false, "hBc"},
		{"bash", []string{"--login", "-c", "x"}, true, false, "hBc"},
		{"-bash", []string{"-c", "x"}, true, false, "hBc"},
		{"bash", []string{"-c", "x", "-l"}, false, false, "hBc"},
		{"bash", []string{"--noprofile", "-lc", "x"}, false, false, "hBc"},
		{"bash", []string{"-c", "x"}, false, false, "hBc"},
		{"-sh", []string{"-c", "x"}, true, true, "hBc"},
		{"bash", []string{"-ic", "x"}, false, false, ""},
		{"bash", []string{"-o", "vi", "-c", "x"}, false, false, "hBc"},
		{"bash", []string{"-o", "nosuchoption", "-c", "x"}, false, false, ""},
		{"bash", []string{"script.sh"}, false, false, "hB"},
	} {
		st := shellStartup(c.argv0, c.args)
		if st.Login != c.login || st.Login && st.Posix != c.posix || st.Flags != c.flags {
			t.Errorf("%s %q: %+v", c.argv0, c.args, st)
		}
	}
}
