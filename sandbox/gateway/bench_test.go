package gateway

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// The benchmarks measure what the gateway adds to one request: the same
// GraphQL query sent straight to the fake platform, through the gateway
// (opened and judged), and to the other host through the gateway (a
// tunnel). "reuse" keeps the connection between requests, as a long-lived
// client does; "fresh" makes a new one each time (CONNECT, TLS handshake),
// as curl or a short script does. Each reports its median as p50-µs. Run
// them interleaved:
//
//	for i in 1 2 3 4 5; do go test -run '^$' -bench . ./sandbox/gateway/; done

// benchClient is a client to the rig's hosts: through the gateway, or
// straight to the fake servers (resolving the names to them itself).
func benchClient(r *rig, viaGateway, reuse bool) *http.Client {
	t := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: r.clientRoots}, DisableKeepAlives: !reuse, MaxIdleConnsPerHost: 4}
	if viaGateway {
		pu, _ := url.Parse(r.proxy.URL)
		t.Proxy = http.ProxyURL(pu)
	} else {
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return (&net.Dialer{}).DialContext(ctx, network, r.p.Resolve[host])
		}
	}
	return &http.Client{Transport: t}
}

func benchRequests(b *testing.B, viaGateway, reuse bool, host string) {
	r := newRig(b)
	c := benchClient(r, viaGateway, reuse)
	u := "https://" + host + "/graphql/v2"
	send := func() {
		resp, err := c.Post(u, "application/json", strings.NewReader(meQuery))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	send() // the leaf is minted, the first connection made
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		send()
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e3, "p50-µs")
}

func BenchmarkDirectReuse(b *testing.B)      { benchRequests(b, false, true, railway) }
func BenchmarkInterceptedReuse(b *testing.B) { benchRequests(b, true, true, railway) }
func BenchmarkTunnelledReuse(b *testing.B)   { benchRequests(b, true, true, other) }
func BenchmarkDirectFresh(b *testing.B)      { benchRequests(b, false, false, railway) }
func BenchmarkInterceptedFresh(b *testing.B) { benchRequests(b, true, false, railway) }
func BenchmarkTunnelledFresh(b *testing.B)   { benchRequests(b, true, false, other) }
