package sandbox

import (
	"strings"
	"testing"
)

// TestGatewayEnv: the agent's environment sends every client through the
// gateway and trusts its bundle, replacing the variables it had, keeping
// loopback direct, and losing the test-only resolve override.
func TestGatewayEnv(t *testing.T) {
	in := []string{"PATH=/bin", "HTTPS_PROXY=http://corp:3128", "no_proxy=*", "SSL_CERT_FILE=/etc/mine.pem", GatewayResolveEnv + "=x=127.0.0.1:1"}
	out := GatewayEnv(in, GatewayReady{Proxy: "http://127.0.0.1:4711", CABundle: "/s/gateway/bundle.pem"})
	got := map[string]string{}
	for _, kv := range out {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := got[k]; dup {
			t.Errorf("%s set twice", k)
		}
		got[k] = v
	}
	want := map[string]string{"PATH": "/bin", "NODE_USE_ENV_PROXY": "1", "NO_PROXY": gatewayNoProxy, "no_proxy": gatewayNoProxy}
	for _, k := range gatewayProxyVars {
		want[k] = "http://127.0.0.1:4711"
	}
	for _, k := range GatewayCAVars {
		want[k] = "/s/gateway/bundle.pem"
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s=%q, want %q", k, got[k], v)
		}
	}
	if _, ok := got[GatewayResolveEnv]; ok || len(got) != len(want) {
		t.Errorf("unexpected variables: %v", out)
	}
}

// TestGatewayMissing: without guard-gateway next to guard, starting it
// says so and what to do.
func TestGatewayMissing(t *testing.T) {
	_, err := startGateway(t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "not installed next to guard") || !strings.Contains(err.Error(), "install.sh") {
		t.Fatalf("err = %v", err)
	}
	if ok, what := GatewayStatus(); !ok || !strings.Contains(what, "gateway: off ("+GatewayEnvVar+"=on") {
		t.Errorf("doctor, gateway not asked for: %v %s", ok, what)
	}
	t.Setenv(GatewayEnvVar, "on")
	if ok, what := GatewayStatus(); ok || !strings.Contains(what, "not installed") {
		t.Errorf("doctor: %v %s", ok, what)
	}
}
