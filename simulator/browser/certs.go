package browser

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// Certs makes TLS certificates for any outside host, all with one key that
// only this browser trusts (--ignore-certificate-errors-spki-list), so the
// proxy can answer https:// requests to CDNs from the local mirror. Nothing
// is installed into any trust store.
type Certs struct {
	key  *ecdsa.PrivateKey
	spki string

	mu     sync.Mutex
	byHost map[string]*tls.Certificate
}

// NewCerts makes a fresh key.
func NewCerts() (*Certs, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("make the proxy's TLS key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("make the proxy's TLS key: %w", err)
	}
	sum := sha256.Sum256(der)
	return &Certs{key: key, spki: base64.StdEncoding.EncodeToString(sum[:]), byHost: map[string]*tls.Certificate{}}, nil
}

// SPKI is the key's hash for --ignore-certificate-errors-spki-list.
func (c *Certs) SPKI() string { return c.spki }

// For returns a certificate for host, made once.
func (c *Certs) For(host string) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cert, ok := c.byHost[host]; ok {
		return cert, nil
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"Sync Lab CDN mirror"}},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &c.key.PublicKey, c.key)
	if err != nil {
		return nil, fmt.Errorf("certificate for %s: %w", host, err)
	}
	cert := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: c.key}
	c.byHost[host] = cert
	return cert, nil
}

// TLSConfig serves each connection with a certificate for the name the
// client asked for (or fallback).
func (c *Certs) TLSConfig(fallback string) *tls.Config {
	return &tls.Config{
		NextProtos: []string{"http/1.1"},
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			name := hello.ServerName
			if name == "" {
				name = fallback
			}
			return c.For(name)
		},
	}
}
