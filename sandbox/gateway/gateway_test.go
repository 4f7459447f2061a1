package gateway

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"

	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/guard-dev/guard/rules"
	"github.com/guard-dev/guard/sandbox"
)

// The platform guard exists for, and a host that is not production.
const (
	railway = "backboard.railway.app"
	other   = "files.example.org"
)

// upstream is a local HTTPS server posing as a host, with a certificate
// for that name from a CA of the test's own (not guard's).
type upstream struct {
	srv  *httptest.Server
	hits atomic.Int32
	// bodies are the bodies it received.
	mu     sync.Mutex
	bodies []string
	cert   *x509.Certificate
}

// reply is what the fake platform answers to every request.
const reply = `{"data":{"me":{"name":"ada"}}}`

func newUpstream(t testing.TB, ca *CA, host string) *upstream {
	t.Helper()
	u := &upstream{}
	leaf, err := ca.Leaf(host)
	if err != nil {
		t.Fatal(err)
	}
	u.cert = leaf.Leaf
	u.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.hits.Add(1)
		u.mu.Lock()
		u.bodies = append(u.bodies, string(b))
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Upstream", host)
		io.WriteString(w, reply)
	}))
	u.srv.TLS = &tls.Config{Certificates: []tls.Certificate{*leaf}}
	u.srv.StartTLS()
	t.Cleanup(u.srv.Close)
	return u
}

// addr is the upstream's 127.0.0.1:PORT.
func (u *upstream) addr() string { return strings.TrimPrefix(u.srv.URL, "https://") }

// rig is a gateway serving on loopback in front of a fake Railway and a
// fake other host, both reached through the resolve override.
type rig struct {
	proxy        *httptest.Server
	p            *Proxy
	ca, upCA     *CA
	rail, plain  *upstream
	state        string
	bundle       string
	upstreamPEM  string // the test CA's certificate, as a file
	clientRoots  *x509.CertPool
	approvalsDir string
}

func newRig(t testing.TB) *rig {
	t.Helper()
	dir := t.TempDir()
	r := &rig{state: filepath.Join(dir, "state", "guard")}
	var err error
	if r.upCA, err = LoadCA(filepath.Join(dir, "upstream-ca")); err != nil {
		t.Fatal(err)
	}
	if r.ca, err = LoadCA(filepath.Join(r.state, "gateway")); err != nil {
		t.Fatal(err)
	}
	r.rail, r.plain = newUpstream(t, r.upCA, railway), newUpstream(t, r.upCA, other)
	r.upstreamPEM = filepath.Join(dir, "upstream-ca.pem")
	if err := os.WriteFile(r.upstreamPEM, r.upCA.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	// The clients trusted the test CA before guard: the bundle keeps it.
	if r.bundle, err = r.ca.WriteBundle(filepath.Join(r.state, "gateway"), func(k string) string {
		if k == "SSL_CERT_FILE" {
			return r.upstreamPEM
		}
		return ""
	}); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	checker, err := rules.NewChecker(rules.Options{Home: home, User: "u", Env: map[string]string{"HOME": home}})
	if err != nil {
		t.Fatal(err)
	}
	j := &Judging{Checker: checker, Cwd: home, Gate: &sandbox.Gate{Mode: "gateway", StateDir: r.state, Kept: []string{},
		OpenTTY: func() (*os.File, error) { return nil, os.ErrNotExist }}}
	upRoots := x509.NewCertPool()
	upRoots.AddCert(r.upCA.cert)
	self := os.Getpid()
	r.p = &Proxy{Intercept: j.Intercept, Judge: j.Judge, CA: r.ca, UpstreamRoots: upRoots,
		Resolve: map[string]string{railway: r.rail.addr(), other: r.plain.addr()},
		Peer:    func(remote, local string) string { return PeerOf(remote, local, self) }}
	r.proxy = httptest.NewServer(r.p)
	t.Cleanup(r.proxy.Close)
	r.clientRoots = x509.NewCertPool()
	if !r.clientRoots.AppendCertsFromPEM(mustRead(t, r.bundle)) {
		t.Fatal("the bundle holds no certificate")
	}
	r.approvalsDir = filepath.Join(r.state, "approvals")
	return r
}

func mustRead(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// client is a Go client using the gateway as its proxy and trusting the
// bundle, as a program in the agent's tree would.
func (r *rig) client() *http.Client {
	pu, _ := url.Parse(r.proxy.URL)
	return &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(pu),
		TLSClientConfig: &tls.Config{RootCAs: r.clientRoots},
	}}
}

// env is the environment of a program sent through the gateway.
func (r *rig) env() []string {
	return sandbox.GatewayEnv([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()},
		sandbox.GatewayReady{Proxy: r.proxy.URL, CABundle: r.bundle})
}

const deleteVolume = `{"query":"mutation { volumeDelete(volumeId: \"x\") }"}`
const meQuery = `{"query":"query { me { name } }"}`

func post(t *testing.T, c *http.Client, u, body string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestGatewayGoClient: through the gateway, a volumeDelete is refused with
// 403 and the guard approve line and never reaches the platform; a query
// passes and comes back unchanged; once a human approves, the same request
// goes through, once.
func TestGatewayGoClient(t *testing.T) {
	r := newRig(t)
	c := r.client()
	gql := "https://" + railway + "/graphql/v2"
	resp, body := post(t, c, gql, deleteVolume)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "guard approve ") || !strings.Contains(body, "volumeDelete") {
		t.Fatalf("volumeDelete: %d %s, want 403 naming it with a guard approve line", resp.StatusCode, body)
	}
	if n := r.rail.hits.Load(); n != 0 {
		t.Fatalf("the platform received %d requests", n)
	}
	var parsed struct {
		Errors []struct{ Message string }
		Guard  struct{ ID, Approve string }
	}
	if err := json.Unmarshal([]byte(body), &parsed); err != nil || len(parsed.Errors) != 1 || parsed.Guard.ID == "" || resp.Header.Get("X-Guard-Approve") != parsed.Guard.Approve {
		t.Fatalf("the refusal is not the JSON expected (%v): %s", err, body)
	}

	resp, body = post(t, c, gql, meQuery)
	if resp.StatusCode != 200 || body != reply || resp.Header.Get("X-Upstream") != railway {
		t.Fatalf("query: %d %q, want the platform's answer unchanged", resp.StatusCode, body)
	}
	if got := r.rail.bodies; len(got) != 1 || got[0] != meQuery {
		t.Fatalf("the platform received %q", got)
	}

	// The human who approves sees what the request sends; the audit log
	// never holds it.
	a := &sandbox.Approvals{Dir: r.approvalsDir}
	if p, err := a.Get(parsed.Guard.ID); err != nil || !strings.Contains(strings.Join(p.Reasons, "\n"), `it sends: mutation { volumeDelete(volumeId: "x") }`) {
		t.Errorf("the approval request does not show the body (%v): %q", err, p.Reasons)
	}
	// Another body is another request: approving one does not pass it.
	if err := a.Approve(parsed.Guard.ID); err != nil {
		t.Fatal(err)
	}
	if resp, _ := post(t, c, gql, strings.Replace(deleteVolume, `\"x\"`, `\"y\"`, 1)); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("another volume after the approval: %d", resp.StatusCode)
	}
	resp, body = post(t, c, gql, deleteVolume)
	if resp.StatusCode != 200 || body != reply {
		t.Fatalf("the approved request: %d %s", resp.StatusCode, body)
	}
	if resp, _ := post(t, c, gql, deleteVolume); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the approval was used twice: %d", resp.StatusCode)
	}
	if n := r.rail.hits.Load(); n != 2 {
		t.Fatalf("the platform received %d requests, want the query and the approved one", n)
	}

	audit := string(mustRead(t, filepath.Join(r.state, "audit.jsonl")))
	for _, want := range []string{`"mode":"gateway"`, "POST https://backboard.railway.app/graphql/v2 (GraphQL mutation volumeDelete)", "(GraphQL query)", `"approval":"once"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %s:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, "volumeId") {
		t.Errorf("the audit log holds the body:\n%s", audit)
	}
}

// TestGatewayTunnels: a host that is not production is tunnelled: the
// client sees that server's own certificate, not one of guard's, and the
// request is not judged (a DELETE passes, as the gateway only opens
// production hosts).
func TestGatewayTunnels(t *testing.T) {
	r := newRig(t)
	var seen *x509.Certificate
	c := r.client()
	c.Transport.(*http.Transport).TLSClientConfig.VerifyConnection = func(cs tls.ConnectionState) error {
		seen = cs.PeerCertificates[0]
		return nil
	}
	req, _ := http.NewRequest("DELETE", "https://"+other+"/items/1", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || r.plain.hits.Load() != 1 {
		t.Fatalf("DELETE to %s: %d, %d hits", other, resp.StatusCode, r.plain.hits.Load())
	}
	if seen == nil || !seen.Equal(r.plain.cert) {
		t.Fatalf("the client saw %v, not the server's own certificate", seen.Subject)
	}
	// The production host shows guard's certificate.
	seen = nil
	post(t, c, "https://"+railway+"/graphql/v2", meQuery)
	if seen == nil || seen.CheckSignatureFrom(r.ca.cert) != nil {
		t.Fatalf("the production host's certificate is not guard's: %v", seen)
	}
}

// TestGatewayRefusesUpgrades: a WebSocket to a production host is refused
// (what it would carry is not judged); the platform never sees it.
func TestGatewayRefusesUpgrades(t *testing.T) {
	r := newRig(t)
	req, _ := http.NewRequest("GET", "https://"+railway+"/graphql/v2", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	resp, err := r.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "WebSocket") || r.rail.hits.Load() != 0 {
		t.Fatalf("%d %s, %d hits", resp.StatusCode, b, r.rail.hits.Load())
	}
}

// TestGatewayChainsToTheUsersProxy: with a proxy the user had before guard
// (a corporate one), the gateway reaches every host through it, and still
// judges what goes to production.
func TestGatewayChainsToTheUsersProxy(t *testing.T) {
	r := newRig(t)
	var connects atomic.Int32
	corpProxy := &Proxy{Intercept: func(string) bool { return false }, Resolve: r.p.Resolve}
	corp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodConnect && req.Header.Get("Proxy-Authorization") != "" {
			connects.Add(1)
		}
		corpProxy.ServeHTTP(w, req)
	}))
	defer corp.Close()
	via, _ := url.Parse(corp.URL)
	via.User = url.UserPassword("ada", "pw")
	r.p.Resolve = nil
	r.p.Via = func(string) (*url.URL, error) { return via, nil }
	c := r.client()
	if resp, body := post(t, c, "https://"+railway+"/graphql/v2", deleteVolume); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("volumeDelete through the chain: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(t, c, "https://"+railway+"/graphql/v2", meQuery); resp.StatusCode != 200 || body != reply {
		t.Fatalf("query through the chain: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(t, c, "https://"+other+"/x", "a=1"); resp.StatusCode != 200 || body != reply {
		t.Fatalf("tunnel through the chain: %d %s", resp.StatusCode, body)
	}
	if n := connects.Load(); n != 2 || r.rail.hits.Load() != 1 {
		t.Fatalf("%d CONNECTs with credentials reached the user's proxy, want 2; the platform had %d requests", n, r.rail.hits.Load())
	}
}

// TestGatewayPlainHTTP: http:// URLs to a production host are judged too.
func TestGatewayPlainHTTP(t *testing.T) {
	r := newRig(t)
	plainRail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, reply) }))
	defer plainRail.Close()
	r.p.Resolve = map[string]string{"api.railway.app": strings.TrimPrefix(plainRail.URL, "http://")}
	resp, body := post(t, r.client(), "http://api.railway.app/graphql/v2", deleteVolume)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("plain-HTTP volumeDelete: %d %s", resp.StatusCode, body)
	}
	resp, body = post(t, r.client(), "http://api.railway.app/graphql/v2", meQuery)
	if resp.StatusCode != 200 || body != reply {
		t.Fatalf("plain-HTTP query: %d %s", resp.StatusCode, body)
	}
	// Another host's plain HTTP is passed on, not judged.
	r.p.Resolve["plain.example.org"] = strings.TrimPrefix(plainRail.URL, "http://")
	req, _ := http.NewRequest("DELETE", "http://plain.example.org/items/1", nil)
	dresp, err := r.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	dresp.Body.Close()
	if dresp.StatusCode != 200 {
		t.Fatalf("plain-HTTP DELETE to another host: %d", dresp.StatusCode)
	}
}

// TestGatewayPython: python3's urllib (the standard library), sent through
// the gateway by the environment alone, is refused its volumeDelete and
// gets its query's answer; it also reaches the other host through the
// tunnel, verifying that host's certificate against the bundle.
func TestGatewayPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	r := newRig(t)
	script := `
import json, sys, urllib.request, urllib.error
def post(url, body):
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
mutation = json.dumps({"query": 'mutation { volumeDelete(volumeId: "x") }'})
print(post("https://backboard.railway.app/graphql/v2", mutation))
print(post("https://backboard.railway.app/graphql/v2", json.dumps({"query": "query { me { name } }"})))
print(post("https://files.example.org/upload", "a=1"))
`
	cmd := exec.Command("python3", "-c", script)
	cmd.Env = r.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "(403, ") || !strings.Contains(lines[0], "guard approve ") {
		t.Fatalf("python3's volumeDelete was not refused with the approve line:\n%s", out)
	}
	if !strings.Contains(lines[1], "(200, ") || !strings.Contains(lines[1], `"ada"`) || !strings.Contains(lines[2], "(200, ") {
		t.Fatalf("python3's query or tunnelled request failed:\n%s", out)
	}
	if r.rail.hits.Load() != 1 || r.plain.hits.Load() != 1 {
		t.Fatalf("hits: railway %d, other %d; want the query and the upload only", r.rail.hits.Load(), r.plain.hits.Load())
	}
	// The audit log says which program sent each request.
	audit := string(mustRead(t, filepath.Join(r.state, "audit.jsonl")))
	if !strings.Contains(audit, "(GraphQL mutation volumeDelete), sent by ") || !strings.Contains(audit, "python3 -c") || !strings.Contains(audit, "(process ") {
		t.Errorf("the audit log does not name python3 as the sender:\n%s", audit)
	}
}

// TestGatewayCurl: curl with its body built when the command runs, which
// guard's reading of the command line cannot see, is refused at the
// gateway.
func TestGatewayCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	r := newRig(t)
	script := `verb=$(printf 'volume%s' Delete); body=$(printf '{"query":"mutation { %s(volumeId: \\"x\\") }"}' "$verb"); ` +
		`curl -sS -o /dev/stderr -w '%{http_code}\n' -H 'Content-Type: application/json' --data "$body" https://backboard.railway.app/graphql/v2`
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = r.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("curl: %v\n%s", err, stderr.String())
	}
	if strings.TrimSpace(stdout.String()) != "403" || !strings.Contains(stderr.String(), "guard approve ") {
		t.Fatalf("curl: status %s, body %s", stdout.String(), stderr.String())
	}
	if r.rail.hits.Load() != 0 {
		t.Fatal("the platform received the mutation")
	}
}

// TestBodyShown: what the human is shown of a body.
func TestBodyShown(t *testing.T) {
	for body, want := range map[string]string{
		"": "no body",
		`{"query":"mutation Del($id: ID!) {\n  volumeDelete(volumeId: $id)\n}","variables":{"id":"v1"}}`: `mutation Del($id: ID!) { volumeDelete(volumeId: $id) } with variables {"id":"v1"}`,
		`{"query":"query { me { id } }","variables":{}}`:                                                 "query { me { id } }",
		"a=1&b=2":        "a=1&b=2",
		"line1\nline2":   `line1\nline2`,
		"\x00\x01binary": "8 bytes that are not text",
		"\xff\xfe":       "2 bytes that are not text",
	} {
		if got := bodyShown([]byte(body)); got != want {
			t.Errorf("%q: %q, want %q", body, got, want)
		}
	}
	if got := bodyShown([]byte(strings.Repeat("x", 2000))); !strings.HasSuffix(got, "… (2000 bytes)") || len([]rune(got)) > maxShownBody+20 {
		t.Errorf("a long body: %q", got)
	}
}

// TestParseResolve: the override only ever names loopback addresses.
func TestParseResolve(t *testing.T) {
	good, err := ParseResolve("backboard.railway.app=127.0.0.1:8443, a.test=[::1]:9")
	if err != nil || good[railway] != "127.0.0.1:8443" || good["a.test"] != "[::1]:9" {
		t.Fatalf("%v %v", good, err)
	}
	for _, bad := range []string{"backboard.railway.app=10.0.0.1:443", "x=example.org:443", "x=127.0.0.1", "x"} {
		if _, err := ParseResolve(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCAFile: the CA's key is the user's alone, and a second load reads
// the same CA.
func TestCAFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gateway")
	a, err := LoadCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, caFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the CA file: %v %v", st.Mode(), err)
	}
	b, err := LoadCA(dir)
	if err != nil || !a.cert.Equal(b.cert) {
		t.Fatalf("a second load made another CA (%v)", err)
	}
	os.Chmod(filepath.Join(dir, caFile), 0o644)
	if _, err := LoadCA(dir); err == nil {
		t.Fatal("a CA others may read was used")
	}
}
