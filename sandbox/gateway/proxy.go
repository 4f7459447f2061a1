// Package gateway is guard's HTTP(S) gateway: a local proxy the programs
// of an agent's tree reach through HTTP_PROXY and its kin. Requests to a
// production platform's API are opened (TLS with a certificate from the
// user's own CA), judged with the http pack's rules as a curl command
// line would be, and either forwarded to the real host or refused with 403
// and a guard approve line. Every other host is tunnelled untouched: the
// client talks TLS with the real server.
//
// It lives in its own binary (cmd/guard-gateway) so that guard, which
// starts on every command, never links net/http and crypto/tls.
package gateway

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/guard-dev/guard/rules"
)

// quiet is the servers' error log: the gateway's stderr is the agent's
// terminal, where a client that hangs up mid-request is no news.
var quiet = log.New(io.Discard, "", 0)

// MaxBody bounds the body of a request to a production host: the gateway
// reads it whole to judge it and to bind an approval to it. A bigger one
// is refused.
const MaxBody = 64 << 20

// Judge decides one request to a production host, sent by the program
// from describes (PeerOf; "" when unknown; asked only for a request a
// human must see, as finding it costs a few milliseconds). It returns nil
// to let the request through, or the refusal to answer with.
type Judge func(q rules.Request, from func() string) *Refusal

// Refusal is the answer to a request guard stopped.
type Refusal struct {
	// Status is the HTTP status: 403.
	Status int
	// Body is the answer's body, JSON.
	Body []byte
	// Approve is the guard approve line, "" when the request cannot be
	// approved.
	Approve string
}

// Proxy is the gateway's HTTP handler: a forward proxy for http:// URLs and
// CONNECT.
type Proxy struct {
	// Intercept reports whether a host (no port) is one to open and judge.
	Intercept func(host string) bool
	// Judge decides the requests to those hosts.
	Judge Judge
	// CA signs the certificates shown for them.
	CA *CA
	// Resolve sends host names to loopback addresses (host:port), for
	// tests (sandbox.GatewayResolveEnv); nil resolves as DNS says.
	Resolve map[string]string
	// UpstreamRoots verify the real hosts behind the opened ones; nil is
	// the system's roots.
	UpstreamRoots *x509.CertPool
	// Via is the proxy the user had before guard for a host:port, nil
	// for none: the gateway reaches every host through it (CONNECT). nil
	// connects directly.
	Via func(addr string) (*url.URL, error)
	// Peer describes the program at the client's end of a connection
	// (remote and local address), for the audit log and the human; nil
	// tells nothing.
	Peer func(remote, local string) string

	once      sync.Once
	transport *http.Transport
}

// ParseResolve reads GUARD_GATEWAY_RESOLVE's value: comma-separated
// host=ip:port, each ip a loopback address. It refuses anything else, so
// the override can send a host to this machine and nowhere else.
func ParseResolve(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		host, addr, ok := strings.Cut(item, "=")
		ip, port, err := net.SplitHostPort(addr)
		if !ok || err != nil || port == "" {
			return nil, fmt.Errorf("%q is not host=ip:port", item)
		}
		if p := net.ParseIP(ip); p == nil || !p.IsLoopback() {
			return nil, fmt.Errorf("%q: only loopback addresses may be named (it is for tests)", item)
		}
		out[strings.ToLower(host)] = addr
	}
	return out, nil
}

// dial connects to addr (host:port), through Resolve.
func (p *Proxy) dial(ctx context.Context, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if to, ok := p.Resolve[strings.ToLower(host)]; ok {
		return d.DialContext(ctx, "tcp", to)
	}
	if p.Via != nil {
		if via, err := p.Via(addr); err != nil {
			return nil, err
		} else if via != nil {
			return connectVia(ctx, &d, via, addr)
		}
	}
	return d.DialContext(ctx, "tcp", addr)
}

// connectVia opens a tunnel to addr through the HTTP proxy via (CONNECT,
// with its credentials when the URL has them).
func connectVia(ctx context.Context, d *net.Dialer, via *url.URL, addr string) (net.Conn, error) {
	proxyAddr := via.Host
	if via.Port() == "" {
		proxyAddr = net.JoinHostPort(via.Hostname(), "80")
	}
	if via.Scheme != "http" && via.Scheme != "" {
		return nil, fmt.Errorf("the proxy %s: guard's gateway chains only to http:// proxies", via.Redacted())
	}
	c, err := d.DialContext(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, err
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := via.User; u != nil {
		pass, _ := u.Password()
		req.SetBasicAuth(u.Username(), pass)
		req.Header["Proxy-Authorization"], req.Header["Authorization"] = req.Header["Authorization"], nil
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Now().Add(30 * time.Second))
	}
	if err := req.Write(c); err != nil {
		c.Close()
		return nil, err
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		c.Close()
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.Close()
		return nil, fmt.Errorf("the proxy %s answered CONNECT %s with %s", via.Redacted(), addr, resp.Status)
	}
	c.SetDeadline(time.Time{})
	if br.Buffered() > 0 {
		return &bufferedConn{Conn: c, r: br}, nil
	}
	return c, nil
}

// upstream is the transport to the real production hosts.
func (p *Proxy) upstream() *http.Transport {
	p.once.Do(func() {
		p.transport = &http.Transport{
			DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
				return p.dial(ctx, addr)
			},
			TLSClientConfig: &tls.Config{RootCAs: p.UpstreamRoots},
			// The answer goes back as the host sent it: no gzip asked
			// for on the client's behalf and undone on the way.
			DisableCompression:  true,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 15 * time.Second,
		}
	})
	return p.transport
}

// ServeHTTP serves one proxy request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.connect(w, r)
		return
	}
	if r.URL.Host == "" || r.URL.Scheme != "http" {
		http.Error(w, "guard's gateway is a proxy: it serves http:// URLs and CONNECT", http.StatusBadRequest)
		return
	}
	// Plain HTTP: the gateway is the client's proxy already.
	host := r.URL.Hostname()
	if p.Intercept(host) {
		p.judged(w, r, "http", r.URL.Host, func() string { return p.peer(r) })
		return
	}
	p.forward(w, r, r.URL, nil)
}

// connect serves CONNECT: a production host is opened and its requests
// judged; any other is tunnelled untouched.
func (p *Proxy) connect(w http.ResponseWriter, r *http.Request) {
	hostport := r.Host
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port, hostport = hostport, "443", net.JoinHostPort(hostport, "443")
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	if !p.Intercept(host) {
		up, err := p.dial(r.Context(), hostport)
		if err != nil {
			http.Error(w, "guard's gateway cannot reach "+hostport+": "+err.Error(), http.StatusBadGateway)
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			up.Close()
			return
		}
		conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
		tunnel(conn, buf, up)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	conn.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	leaf, err := p.CA.Leaf(host)
	if err != nil {
		conn.Close()
		return
	}
	tc := tls.Server(&bufferedConn{Conn: conn, r: buf.Reader}, &tls.Config{
		Certificates: []tls.Certificate{*leaf},
		NextProtos:   []string{"http/1.1"},
		MinVersion:   tls.VersionTLS12,
	})
	if err := tc.HandshakeContext(r.Context()); err != nil {
		tc.Close()
		return
	}
	authority := hostport
	if port == "443" {
		authority = host
	}
	from := sync.OnceValue(func() string { return p.peer(r) }) // one client per tunnel
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, in *http.Request) {
			p.judged(w, in, "https", authority, from)
		}),
		ReadHeaderTimeout: 60 * time.Second,
		IdleTimeout:       5 * time.Minute, // a client that keeps the tunnel and sends nothing
		ErrorLog:          quiet,
	}
	srv.Serve(&oneConn{c: tc})
}

// peer describes the program that sent r to the gateway.
func (p *Proxy) peer(r *http.Request) string {
	if p.Peer == nil {
		return ""
	}
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local == nil {
		return ""
	}
	return p.Peer(r.RemoteAddr, local.String())
}

// judged judges one request to a production host (authority is the host
// and the port when not the scheme's), sent by the program from
// describes, and forwards it or refuses it.
func (p *Proxy) judged(w http.ResponseWriter, r *http.Request, scheme, authority string, from func() string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		http.Error(w, "guard's gateway could not read the request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > MaxBody {
		refuse(w, &Refusal{Status: http.StatusRequestEntityTooLarge, Body: []byte(`{"errors":[{"message":"guard: blocked: the request body is over 64 MiB, more than guard's gateway reads to judge a request to a production host"}]}`)})
		return
	}
	if r.Header.Get("Upgrade") != "" {
		// What a WebSocket carries after the upgrade (a GraphQL
		// subscription socket takes mutations too) is not judged yet, so
		// none is opened to a production host.
		refuse(w, &Refusal{Status: http.StatusForbidden, Body: []byte(`{"errors":[{"message":"guard: blocked: a WebSocket (or another upgraded connection) to the production host ` +
			strings.ReplaceAll(authority, `"`, ``) + `: guard's gateway cannot judge what it would send. Tell your human what you wanted to do."}]}`)})
		return
	}
	q := rules.Request{Method: r.Method, Scheme: scheme, Host: authority, Target: r.URL.RequestURI(), Body: body}
	for name, values := range r.Header {
		for _, v := range values {
			q.Headers = append(q.Headers, name+": "+v)
		}
	}
	if ref := p.Judge(q, from); ref != nil {
		refuse(w, ref)
		return
	}
	u := *r.URL
	u.Scheme, u.Host = scheme, authority
	p.forward(w, r, &u, body)
}

// refuse answers with a refusal.
func refuse(w http.ResponseWriter, ref *Refusal) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(ref.Body)))
	if ref.Approve != "" {
		h.Set("X-Guard-Approve", ref.Approve)
	}
	w.WriteHeader(ref.Status)
	w.Write(ref.Body)
}

// hopHeaders are the headers of one connection, not passed on.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forward sends r to u (its body already read when body is not nil) and
// copies the answer back unchanged.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, u interface{ String() string }, body []byte) {
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out.Header = r.Header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	switch {
	case body != nil:
		out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	case r.ContentLength != 0:
		out.Body, out.ContentLength = r.Body, r.ContentLength
	}
	if len(body) == 0 && body != nil {
		out.Body = http.NoBody
	}
	resp, err := p.upstream().RoundTrip(out)
	if err != nil {
		http.Error(w, "guard's gateway could not reach "+out.URL.Host+": "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	copyFlushing(w, resp.Body)
}

// copyFlushing copies an answer, flushing as it comes (server-sent events,
// streamed logs).
func copyFlushing(w http.ResponseWriter, r io.Reader) {
	f, _ := w.(http.Flusher)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			if f != nil {
				f.Flush()
			}
		}
		if err != nil {
			return
		}
	}
}

// tunnel copies bytes both ways between the client and the host until
// either end closes.
func tunnel(client net.Conn, buf *bufio.ReadWriter, up net.Conn) {
	done := make(chan struct{}, 2)
	go func() {
		if n := buf.Reader.Buffered(); n > 0 {
			b, _ := buf.Reader.Peek(n)
			up.Write(b)
			buf.Reader.Discard(n)
		}
		io.Copy(up, client)
		closeWrite(up)
		done <- struct{}{}
	}()
	go func() {
		io.Copy(client, up)
		closeWrite(client)
		done <- struct{}{}
	}()
	<-done
	<-done
	client.Close()
	up.Close()
}

// closeWrite half-closes a TCP connection, so the other side sees the end
// of what this side sends.
func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
		return
	}
	c.Close()
}

// bufferedConn is a hijacked connection whose first bytes may be in the
// server's read buffer already.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// oneConn is a listener that yields one connection, then waits for it to
// close: http.Server serves the requests of one opened tunnel.
type oneConn struct {
	c    net.Conn
	once sync.Once
	done chan struct{}
	mu   sync.Mutex
}

func (l *oneConn) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.done == nil {
		l.done = make(chan struct{})
	}
	done := l.done
	l.mu.Unlock()
	var c net.Conn
	l.once.Do(func() { c = &closeNotify{Conn: l.c, done: done} })
	if c != nil {
		return c, nil
	}
	<-done
	return nil, errors.New("the tunnel is closed")
}

func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return l.c.LocalAddr() }

// closeNotify closes done when the connection is closed.
type closeNotify struct {
	net.Conn
	once sync.Once
	done chan struct{}
}

func (c *closeNotify) Close() error {
	c.once.Do(func() { close(c.done) })
	return c.Conn.Close()
}
