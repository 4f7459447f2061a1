// Command guard-gateway is guard's HTTP(S) gateway, which guard wrap
// starts for the agent it runs (package sandbox/gateway). It is a binary
// of its own so that guard, which starts on every command, never links
// net/http and crypto/tls.
package main

import (
	"os"

	"github.com/guard-dev/guard/sandbox/gateway"
)

func main() {
	os.Exit(gateway.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
