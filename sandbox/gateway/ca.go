package gateway

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/guard-dev/guard/internal/safefile"
)

// CA is the user's own certificate authority, which signs the certificate
// the gateway shows a client for a production host it opens. It is created
// on first use in the gateway's directory under guard's state directory
// (which guard's self-protection keeps the agent from writing and its key
// from reading), its key readable by the user alone. Only the programs
// guard wrap starts are told to trust it (SSL_CERT_FILE and its kin); the
// system's trust store is never touched.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey

	// leafKey signs every leaf: one key per gateway run, so minting a
	// host's certificate is one signature.
	leafKey *ecdsa.PrivateKey
	mu      sync.Mutex
	leaves  map[string]*tls.Certificate
}

// caFile holds the CA's certificate and key, mode 0600; maxCAFile bounds
// what is read of it.
const (
	caFile    = "ca.pem"
	maxCAFile = 64 << 10
)

// caLifetime is how long a new CA is valid; leafLifetime a leaf.
const (
	caLifetime   = 10 * 365 * 24 * time.Hour
	leafLifetime = 7 * 24 * time.Hour
)

// LoadCA reads the CA in dir (guard's state directory's gateway/),
// creating dir (0700) and the CA when there is none. Like all of guard's
// state it is read through internal/safefile: dir and its parent must be
// real directories the user owns that nobody else can write, the file a
// regular file of theirs, never a link. Two gateways starting at once agree
// on one CA: the file is made whole under another name and linked into
// place, and the loser reads the winner's.
func LoadCA(dir string) (*CA, error) {
	root := filepath.Dir(dir)
	if err := safefile.MkdirAll(root, dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, caFile)
	data, err := safefile.ReadFile(root, path, maxCAFile)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createCA(dir, path); err != nil {
			return nil, fmt.Errorf("creating guard's CA in %s: %w", dir, err)
		}
		data, err = safefile.ReadFile(root, path, maxCAFile)
	}
	if err != nil {
		return nil, err
	}
	return parseCA(path, data)
}

// createCA writes a new CA to path.
func createCA(dir, path string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "guard gateway CA (" + host + ")", Organization: []string{"guard"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	pem.Encode(&b, &pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	tmp, err := os.CreateTemp(dir, ".ca-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// parseCA reads the CA file's certificate and key, refusing a file others
// may read (its key would let them pose as any production host to the
// user's agents).
func parseCA(path string, data []byte) (*CA, error) {
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s may be read by others (mode %v): remove it and guard makes a new CA", path, st.Mode().Perm())
	}
	ca := &CA{leaves: map[string]*tls.Certificate{}}
	for {
		var blk *pem.Block
		blk, data = pem.Decode(data)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			ca.cert, ca.certPEM = c, pem.EncodeToMemory(blk)
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			ca.key = k
		}
	}
	if ca.cert == nil || ca.key == nil || !ca.cert.IsCA {
		return nil, fmt.Errorf("%s holds no CA certificate and key: remove it and guard makes a new CA", path)
	}
	var err error
	if ca.leafKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	return ca, nil
}

// CertPEM is the CA's certificate, for the bundle clients trust.
func (ca *CA) CertPEM() []byte { return ca.certPEM }

// Leaf returns the certificate for host, minted on first use and kept in
// memory.
func (ca *CA) Leaf(host string) (*tls.Certificate, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.leaves[host]; ok && time.Now().Before(c.Leaf.NotAfter.Add(-time.Hour)) {
		return c, nil
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &ca.leafKey.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: ca.leafKey, Leaf: leaf}
	if len(ca.leaves) >= 1024 {
		clear(ca.leaves)
	}
	ca.leaves[host] = c
	return c, nil
}

// systemBundles are where Linux distributions keep the system's roots, as
// crypto/x509 looks for them.
var systemBundles = []string{
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/pki/tls/certs/ca-bundle.crt",
	"/etc/ssl/ca-bundle.pem",
	"/etc/pki/tls/cacert.pem",
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
	"/etc/ssl/cert.pem",
}

// WriteBundle writes the bundle the agent's programs trust into dir: the
// roots they trusted before (the file SSL_CERT_FILE names in guard's own
// environment, else the system's bundle) and the CA. It returns its path.
// Tunnelled hosts are verified by the clients against the same roots as
// before; only the hosts the gateway opens show its certificates.
func (ca *CA) WriteBundle(dir string, getenv func(string) string) (string, error) {
	var roots []byte
	candidates := systemBundles
	if f := getenv("SSL_CERT_FILE"); f != "" {
		candidates = []string{f}
	}
	for _, f := range candidates {
		if data, err := os.ReadFile(f); err == nil {
			roots = data
			break
		}
	}
	var b bytes.Buffer
	b.Write(roots)
	if len(roots) > 0 && roots[len(roots)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString("# guard's gateway CA: only the programs guard wrap starts trust it\n")
	b.Write(ca.certPEM)
	path := filepath.Join(dir, "bundle.pem")
	root := filepath.Dir(dir)
	if old, err := safefile.ReadFile(root, path, int64(b.Len())+1); err == nil && bytes.Equal(old, b.Bytes()) {
		return path, nil // as the last start wrote it: writing is the slow part of a start
	}
	tmp, err := os.CreateTemp(dir, ".bundle-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}
