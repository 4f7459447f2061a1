package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/guard-dev/guard/sandbox"
	"github.com/guard-dev/guard/sandbox/gateway"
)

// TestMain makes this test binary guard itself, as filippo.io/age's tests
// do, so the end-to-end tests run the code under test without building it
// again. Started under any name but its own (*.test) — guard, or a link
// named bash or guard-bash that a test made — it runs guard's main, which
// picks its mode from that name as the installed binary does.
//
// For the tests, a copy of it named guard goes first in PATH (see
// withGuardCopy), for the scripts in testdata/script and for the
// end-to-end tests (guardBinary), with another beside it named
// guard-gateway, which runs guard wrap's gateway. Only this test binary
// links the gateway; guard does not.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == withoutSeccomp {
		os.Exit(execWithoutSeccomp(os.Args[2:]))
	}
	if filepath.Base(os.Args[0]) == sandbox.GatewayBinary {
		// The copy next to guard's is guard wrap's gateway.
		os.Exit(gateway.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if !strings.HasSuffix(filepath.Base(os.Args[0]), ".test") {
		os.Exit(run(os.Args[0], os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	testscript.Main(withGuardCopy{m}, map[string]func(){
		"guard": func() { os.Exit(run("guard", os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// withGuardCopy runs the tests with a copy of this test binary named guard
// first in PATH, in a directory everyone may enter (the trust tests run it
// as nobody, the real-agent tests copy it from there). A copy and not a
// link: guard approve refuses to run under a process whose executable is
// guard's own file, and the test binary is the parent of every guard the
// tests start.
type withGuardCopy struct{ m *testing.M }

func (w withGuardCopy) Run() int {
	dir, err := os.MkdirTemp("", "guard-e2e-")
	if err == nil {
		defer os.RemoveAll(dir)
		err = copyExecutable(filepath.Join(dir, "guard"))
	}
	if err == nil {
		err = copyExecutable(filepath.Join(dir, sandbox.GatewayBinary))
	}
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot make a copy of the test binary named guard: %v\n", err)
		return 1
	}
	os.Setenv("PATH", dir+string(filepath.ListSeparator)+os.Getenv("PATH"))
	return w.m.Run()
}

// copyExecutable copies this process's executable to dst.
func copyExecutable(dst string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	in, err := os.Open(self)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestScripts runs the command-line tests in testdata/script. Each runs in
// a fresh $WORK with HOME set inside it, so nothing outside is touched.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			home := e.WorkDir + "/home"
			e.Setenv("HOME", home)
			e.Setenv("USER", "u")
			e.Setenv("XDG_CONFIG_HOME", "")
			e.Setenv("XDG_STATE_HOME", "")
			return os.MkdirAll(home+"/code/app/.git", 0o755)
		},
	})
}
