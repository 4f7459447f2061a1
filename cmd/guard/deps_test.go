package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGuardLinksNoHTTP: guard starts on every command an agent runs, and
// linking net/http and crypto/tls cost about 2.6 ms per start; the gateway
// that needs them is a binary of its own (cmd/guard-gateway). Only this
// test binary, which doubles as it, links them.
func TestGuardLinksNoHTTP(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "net/http", "crypto/tls", "github.com/guard-dev/guard/sandbox/gateway":
			t.Errorf("guard links %s", pkg)
		}
	}
}
