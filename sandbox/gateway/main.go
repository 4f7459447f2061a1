package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/guard-dev/guard/sandbox"
)

const usage = `usage: guard-gateway serve [--listen 127.0.0.1:PORT]

guard wrap starts guard-gateway for the agent it runs; it is not meant to
be run by hand. It listens on loopback, prints one JSON line
{"proxy": URL, "ca_bundle": FILE} on its standard output once it is ready,
and serves until its standard input ends.
`

// Main is guard-gateway: it loads guard's policy for the working
// directory, loads or creates the CA, writes the bundle, listens on
// 127.0.0.1 (port 0 unless --listen says otherwise), prints the ready line
// and serves until stdin reaches its end or SIGTERM comes.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	listen := "127.0.0.1:0"
	switch {
	case len(args) == 1 && args[0] == "serve":
	case len(args) == 3 && args[0] == "serve" && args[1] == "--listen":
		listen = args[2]
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err := serve(listen, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "guard-gateway: %v\n", err)
		return 1
	}
	return 0
}

// serve is Main's work.
func serve(listen string, stdin io.Reader, stdout io.Writer) error {
	if host, _, err := net.SplitHostPort(listen); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("--listen %s: only a loopback address and port", listen)
	}
	resolve, err := ParseResolve(os.Getenv(sandbox.GatewayResolveEnv))
	if err != nil {
		return fmt.Errorf("%s: %w", sandbox.GatewayResolveEnv, err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	g, err := sandbox.Load(cwd, sandbox.ModeCheck, sandbox.Process{})
	if err != nil {
		return err
	}
	if g.Locations.StateDir == "" {
		return errors.New("guard has no state directory (no home, no XDG_STATE_HOME) for its CA")
	}
	dir := filepath.Join(g.Locations.StateDir, "gateway")
	ca, err := LoadCA(dir)
	if err != nil {
		return err
	}
	bundle, err := ca.WriteBundle(dir, os.Getenv)
	if err != nil {
		return err
	}
	// The real hosts are verified against the system's roots (SSL_CERT_FILE
	// in guard's environment honoured, as before guard), which crypto/x509
	// loads on the first verification: loading them here would hold up the
	// agent's start by a tenth of a second.
	j := NewJudging(g)
	// The agent's tree is under guard wrap, the gateway's parent.
	root := os.Getppid()
	p := &Proxy{Intercept: j.Intercept, Judge: j.Judge, CA: ca, Resolve: resolve,
		Peer: func(remote, local string) string { return PeerOf(remote, local, root) },
		// The proxy the user had (HTTPS_PROXY, NO_PROXY in guard's own
		// environment, before guard wrap points them at the gateway).
		Via: func(addr string) (*url.URL, error) {
			return http.ProxyFromEnvironment(&http.Request{URL: &url.URL{Scheme: "https", Host: addr}})
		}}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	// The terminal's signals are the agent's (guard wrap ignores them
	// too); the gateway ends with guard, when its stdin does.
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP, syscall.SIGPIPE)
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 60 * time.Second, ErrorLog: quiet}
	ready, _ := json.Marshal(sandbox.GatewayReady{Proxy: "http://" + ln.Addr().String(), CABundle: bundle})
	if _, err := fmt.Fprintf(stdout, "%s\n", ready); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stdin)
		close(done)
	}()
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		select {
		case <-done:
		case <-term:
		}
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
