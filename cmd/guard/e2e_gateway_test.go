package main

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/guard-dev/guard/sandbox"
	"github.com/guard-dev/guard/sandbox/gateway"
)

// fakeHost is a local HTTPS server posing as host, with a certificate for
// that name from the test's own CA; hits counts what it received.
type fakeHost struct {
	srv  *httptest.Server
	hits atomic.Int32
}

func newFakeHost(t *testing.T, ca *gateway.CA, host, answer string) *fakeHost {
	t.Helper()
	leaf, err := ca.Leaf(host)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeHost{}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		f.hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{*leaf}}
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// TestWrapGatewayJudgesProductionWrites: under guard wrap, as a throwaway
// user, the programs of the agent's tree reach a (local, fake) Railway
// through guard's gateway by their environment alone: Python's volumeDelete
// is refused with 403 and a guard approve line and never reaches the
// platform, its query and curl's get the platform's answer, a host that is
// not production is tunnelled with its own certificate, and the audit log
// records the requests.
func TestWrapGatewayJudgesProductionWrites(t *testing.T) {
	w, _ := execJudgeWorld(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	ca, err := gateway.LoadCA(filepath.Join(t.TempDir(), "test-ca"))
	if err != nil {
		t.Fatal(err)
	}
	rail := newFakeHost(t, ca, "backboard.railway.app", `{"data":{"me":{"name":"ada"}}}`)
	files := newFakeHost(t, ca, "files.example.org", `{"stored":true}`)
	// The user trusted the test's CA before guard: the gateway and the
	// bundle it hands the agent keep trusting it.
	caFile := w.give(t, "test-ca.pem", ca.CertPEM(), 0o644)
	w.give(t, "agent.py", []byte(`
import json, os, urllib.request, urllib.error
def post(url, body):
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
verb = "volume" + "Delete"
status, body = post("https://backboard.railway.app/graphql/v2", json.dumps({"query": 'mutation { %s(volumeId: "x") }' % verb}))
print("mutation", status, json.loads(body)["guard"]["approve"] if status == 403 else body)
print("query", *post("https://backboard.railway.app/graphql/v2", json.dumps({"query": "query { me { name } }"})))
print("other", *post("https://files.example.org/upload", "a=1"))
print("proxy", os.environ.get("HTTPS_PROXY", "")[:17])
`), 0o644)
	agent := `python3 ~/agent.py; ` +
		`q=$(printf '{"query":"query { me { name } }"}'); curl -sS -H 'Content-Type: application/json' --data "$q" https://backboard.railway.app/graphql/v2; echo`
	extra := []string{
		sandbox.GatewayEnvVar + "=on",
		"SSL_CERT_FILE=" + caFile,
		sandbox.GatewayResolveEnv + "=backboard.railway.app=" + strings.TrimPrefix(rail.srv.URL, "https://") +
			",files.example.org=" + strings.TrimPrefix(files.srv.URL, "https://"),
	}
	out, errOut, code := w.guard(t, "", extra, "wrap", "--", "sh", "-c", agent)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "mutation 403 guard approve ") {
		t.Fatalf("the volumeDelete was not refused with a guard approve line:\nstdout: %s\nstderr: %s", out, errOut)
	}
	for i, want := range []string{"query 200 " + `{"data":{"me":{"name":"ada"}}}`, "other 200 " + `{"stored":true}`, "proxy http://127.0.0.1:", `{"data":{"me":{"name":"ada"}}}`} {
		if lines[i+1] != want {
			t.Errorf("line %d: %q, want %q\nstderr: %s", i+2, lines[i+1], want, errOut)
		}
	}
	if n := rail.hits.Load(); n != 2 {
		t.Errorf("the platform received %d requests, want the two queries", n)
	}
	if strings.Contains(errOut, "no gateway") {
		t.Errorf("guard wrap ran without its gateway:\n%s", errOut)
	}
	audit, err := os.ReadFile(filepath.Join(w.home, ".local", "state", "guard", "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(audit), `"mode":"gateway","cwd":"`+w.project) || !strings.Contains(string(audit), "(GraphQL mutation volumeDelete), sent by python3 "+w.home+"/agent.py (process ") {
		t.Errorf("the audit log lacks the gateway's decisions:\n%s", audit)
	}
	st, err := os.Stat(filepath.Join(w.home, ".local", "state", "guard", "gateway", "ca.pem"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("guard's CA: %v %v", st, err)
	}

	// The human approves in their own terminal, seeing the request; the
	// same request then goes through, once.
	id := strings.TrimPrefix(lines[0], "mutation 403 guard approve ")
	if screen := approveInPty(t, w, id); !strings.Contains(screen, "POST https://backboard.railway.app/graphql/v2") || !strings.Contains(screen, `it sends: mutation { volumeDelete(volumeId: "x") }`) || !strings.Contains(screen, "agent.py") {
		t.Errorf("guard approve does not show the request:\n%s", screen)
	}
	out, errOut, _ = w.guard(t, "", extra, "wrap", "--", "sh", "-c", "python3 ~/agent.py; python3 ~/agent.py")
	if lines := strings.Split(out, "\n"); len(lines) < 5 || lines[0] != "mutation 200 "+`{"data":{"me":{"name":"ada"}}}` || !strings.HasPrefix(lines[4], "mutation 403 guard approve ") {
		t.Errorf("after the approval, want the mutation through once, then refused again:\nstdout: %s\nstderr: %s", out, errOut)
	}
	if n := rail.hits.Load(); n != 5 {
		t.Errorf("the platform received %d requests, want 5", n)
	}
}

// TestWrapWithoutGateway: a guard with no guard-gateway beside it says so
// in one line and runs the agent all the same, without the proxy.
func TestWrapWithoutGateway(t *testing.T) {
	w, _ := execJudgeWorld(t)
	dir, err := os.MkdirTemp("", "guard-alone-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	data, err := os.ReadFile(guardBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(dir, "guard")
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alone, "wrap", "--", "sh", "-c", `echo "ran ${HTTPS_PROXY:-without a proxy}"`)
	cmd.Dir, cmd.Env = w.project, append(append([]string(nil), w.env...), sandbox.GatewayEnvVar+"=on")
	cmd.SysProcAttr = newSession()
	cmd.SysProcAttr.Credential = w.cred
	out, errOut, code := runOutput(t, cmd)
	if code != 0 || out != "ran without a proxy\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "guard: wrap: note: no gateway: guard-gateway is not installed next to guard") {
		t.Errorf("want one line saying the gateway is missing, got:\n%s", errOut)
	}
}

// TestWrapLeavesTheGatewayOffByDefault: without GUARD_GATEWAY=on, guard
// wrap starts no gateway and says nothing about it: the agent's HTTP(S)
// goes where it would go (the gateway would ask about gh pr create too).
func TestWrapLeavesTheGatewayOffByDefault(t *testing.T) {
	w, _ := execJudgeWorld(t)
	out, errOut, code := w.guard(t, "", nil, "wrap", "--", "sh", "-c", `echo "ran ${HTTPS_PROXY:-without a proxy}"`)
	if code != 0 || out != "ran without a proxy\n" || strings.Contains(errOut, "gateway") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want no gateway and no word of it", code, out, errOut)
	}
}
