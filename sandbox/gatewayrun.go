package sandbox

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// GatewayBinary is the name of guard's HTTP(S) gateway, installed next to
// guard (install.sh). It is a program of its own so that guard, which
// starts on every command an agent runs, never links net/http and
// crypto/tls (package sandbox/gateway; ARCHITECTURE.md, "The gateway").
const GatewayBinary = "guard-gateway"

// GatewayEnvVar switches the gateway on for guard wrap: "on". It is off
// otherwise, for now: on the wire guard judges every write to a production
// platform's API alike, so the everyday writes of the platforms' own CLIs
// that the command-line rules allow (gh pr create, railway up, vercel
// deploy) would need a yes there too. Until guard can tell which program
// sent a request in a way the agent cannot forge, the gateway is for
// those who want every such write asked.
const GatewayEnvVar = "GUARD_GATEWAY"

// GatewayWanted reports whether getenv switches the gateway on.
func GatewayWanted(getenv func(string) string) bool {
	return getenv(GatewayEnvVar) == "on"
}

// GatewayResolveEnv, in guard's own environment when the gateway starts,
// sends the named hosts to loopback addresses instead of where DNS says:
// "backboard.railway.app=127.0.0.1:8443,example.org=127.0.0.1:9443". It
// is for tests only, which pose as a platform on 127.0.0.1: the gateway
// reads it once at start, from the environment guard wrap was started with
// (never from the agent's), and honours only loopback targets, so it can
// redirect a host to this machine and nowhere else. guard wrap strips it
// from the agent's environment.
const GatewayResolveEnv = "GUARD_GATEWAY_RESOLVE"

// GatewayReady is the line guard-gateway prints on its standard output
// once it listens: where its proxy is and the CA bundle clients must
// trust.
type GatewayReady struct {
	// Proxy is the proxy's URL, http://127.0.0.1:PORT.
	Proxy string `json:"proxy"`
	// CABundle is the system's roots and guard's CA in one PEM file.
	CABundle string `json:"ca_bundle"`
}

// gatewayProxyVars are the variables that send a program's HTTP(S) through
// a proxy: curl, wget, git, Python, Go, Rust and Node (with
// NODE_USE_ENV_PROXY, Node 24) read them, in either case.
var gatewayProxyVars = []string{"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}

// gatewayNoProxyVars name the hosts reached without the proxy: this
// machine.
var gatewayNoProxyVars = []string{"NO_PROXY", "no_proxy"}

// gatewayNoProxy is their value.
const gatewayNoProxy = "localhost,127.0.0.1,::1"

// GatewayCAVars are the variables that hand a CA bundle to the clients
// that read one: OpenSSL and Go (SSL_CERT_FILE), Node, Python requests,
// curl, git, the AWS SDKs and CLI, pip, Deno, cargo. The system's trust
// store is never touched.
var GatewayCAVars = []string{"SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
	"GIT_SSL_CAINFO", "AWS_CA_BUNDLE", "PIP_CERT", "DENO_CERT", "CARGO_HTTP_CAINFO"}

// GatewayEnv returns environ with the proxy and CA variables set for the
// gateway ready describes (and GatewayResolveEnv removed): every program
// the agent's tree starts sends its HTTP(S) through the gateway and trusts
// guard's CA.
func GatewayEnv(environ []string, ready GatewayReady) []string {
	set := map[string]string{"NODE_USE_ENV_PROXY": "1"}
	for _, k := range gatewayProxyVars {
		set[k] = ready.Proxy
	}
	for _, k := range gatewayNoProxyVars {
		set[k] = gatewayNoProxy
	}
	for _, k := range GatewayCAVars {
		set[k] = ready.CABundle
	}
	out := make([]string, 0, len(environ)+len(set))
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if _, ours := set[k]; ours || k == GatewayResolveEnv {
			continue
		}
		out = append(out, kv)
	}
	for _, k := range append(append(append([]string{"NODE_USE_ENV_PROXY"}, gatewayProxyVars...), gatewayNoProxyVars...), GatewayCAVars...) {
		out = append(out, k+"="+set[k])
	}
	return out
}

// gatewayPath is guard-gateway next to guard's own executable, or why it
// is not there.
func gatewayPath() (string, error) {
	self, err := Executable()
	if err != nil {
		return "", err
	}
	p := filepath.Join(filepath.Dir(self), GatewayBinary)
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("%s is not installed next to guard (%s); run install.sh again", GatewayBinary, p)
	}
	if !st.Mode().IsRegular() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable file", p)
	}
	return p, nil
}

// GatewayStatus describes the gateway for guard doctor.
func GatewayStatus() (bool, string) {
	if !GatewayWanted(os.Getenv) {
		return true, "gateway: off (" + GatewayEnvVar + "=on sends guard wrap's agent's HTTP(S) through it; every write to a production platform's API then needs a yes, gh pr create's included)"
	}
	p, err := gatewayPath()
	if err != nil {
		return false, "gateway: " + err.Error() + "; guard wrap runs agents without it, and their HTTPS writes to production platforms are not judged"
	}
	return true, "gateway: " + p + "; guard wrap sends its agent's HTTP(S) through it, and writes to production platforms' APIs need a human's yes"
}

// gatewayStartTimeout bounds the wait for guard-gateway's ready line.
const gatewayStartTimeout = 10 * time.Second

// gateway is a running guard-gateway.
type gateway struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	ready GatewayReady
}

// startGateway starts guard-gateway in dir, with guard's own environment,
// and waits for its ready line. It must run before the exec filter and the
// write fence: the gateway is guard's, not the agent's, and writes guard's
// audit log, approvals and CA.
func startGateway(dir string, stderr io.Writer) (*gateway, error) {
	path, err := gatewayPath()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "serve")
	cmd.Dir = dir
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	g := &gateway{cmd: cmd, stdin: stdin}
	line := make(chan error, 1)
	go func() {
		s, err := bufio.NewReader(out).ReadString('\n')
		if err == nil {
			err = json.Unmarshal([]byte(s), &g.ready)
		}
		if err == nil && (!strings.HasPrefix(g.ready.Proxy, "http://127.0.0.1:") || g.ready.CABundle == "") {
			err = fmt.Errorf("unexpected ready line %q", strings.TrimSpace(s))
		}
		line <- err
		io.Copy(io.Discard, out)
	}()
	select {
	case err = <-line:
	case <-time.After(gatewayStartTimeout):
		err = errors.New("it did not start in time")
	}
	if err != nil {
		g.stop()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// stop ends the gateway: closing its standard input tells it to go. guard
// holds the only copy of the pipe's other end (close-on-exec, so the
// agent's tree has none), so it also goes when guard dies, whatever kills
// it.
func (g *gateway) stop() {
	g.stdin.Close()
	done := make(chan struct{})
	go func() { g.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		g.cmd.Process.Kill()
		<-done
	}
}
