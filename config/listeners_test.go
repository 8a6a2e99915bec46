package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// webConfigFiles writes web configs: one with basic auth, one with TLS (a
// self-signed certificate), one with both.
func webConfigFiles(t *testing.T) (basic, tls, both string) {
	t.Helper()
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "riskmon"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cert := write("cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile := write("key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})))
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	users := "basic_auth_users:\n  prometheus: " + string(hash) + "\n"
	tlsBlock := "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + keyFile + "\n"
	return write("basic.yml", users), write("tls.yml", tlsBlock), write("both.yml", tlsBlock+users)
}

func TestCheckListeners(t *testing.T) {
	basic, tls, both := webConfigFiles(t)
	const token = "a-token-of-sixteen-bytes"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" for accepted
	}{
		{"basic auth and tokens on one listener", map[string]string{"RISKMON_LISTEN": "127.0.0.1:9720", "RISKMON_WEB_CONFIG_FILE": basic, "RISKMON_API_TOKEN": token}, "would refuse every API client"},
		{"basic auth without tokens", map[string]string{"RISKMON_WEB_CONFIG_FILE": basic}, ""},
		{"basic auth on the ops listener", map[string]string{"RISKMON_LISTEN": "127.0.0.1:9720", "RISKMON_OPS_LISTEN": ":9721", "RISKMON_WEB_CONFIG_FILE": basic, "RISKMON_API_TOKEN": token}, ""},
		{"basic auth on the API listener", map[string]string{"RISKMON_OPS_LISTEN": ":9721", "RISKMON_API_WEB_CONFIG_FILE": both, "RISKMON_API_TOKEN": token}, "api_web_config_file"},
		{"the API's web config without ops_listen", map[string]string{"RISKMON_API_WEB_CONFIG_FILE": tls}, "set ops_listen too"},
		{"one address for both", map[string]string{"RISKMON_LISTEN": ":9720", "RISKMON_OPS_LISTEN": ":9720"}, "listen's address too"},
		{"tokens over plain HTTP to the network", map[string]string{"RISKMON_API_TOKEN": token}, "cross the network in clear"},
		{"read tokens over plain HTTP to the network", map[string]string{"RISKMON_LISTEN": "10.0.0.5:9720", "RISKMON_API_READ_TOKEN": token}, "cross the network in clear"},
		{"tokens on loopback", map[string]string{"RISKMON_LISTEN": "127.0.0.1:9720", "RISKMON_API_TOKEN": token}, ""},
		{"tokens on localhost", map[string]string{"RISKMON_LISTEN": "localhost:9720", "RISKMON_API_TOKEN": token}, ""},
		{"tokens on IPv6 loopback", map[string]string{"RISKMON_LISTEN": "[::1]:9720", "RISKMON_API_TOKEN": token}, ""},
		{"tokens over plain HTTP, allowed", map[string]string{"RISKMON_API_TOKEN": token, "RISKMON_API_ALLOW_PLAIN_HTTP": "true"}, ""},
		{"tokens over TLS", map[string]string{"RISKMON_API_TOKEN": token, "RISKMON_WEB_CONFIG_FILE": tls}, ""},
		{"tokens over the API listener's TLS", map[string]string{"RISKMON_API_TOKEN": token, "RISKMON_OPS_LISTEN": ":9721", "RISKMON_API_WEB_CONFIG_FILE": tls}, ""},
		{"TLS only on the ops listener", map[string]string{"RISKMON_API_TOKEN": token, "RISKMON_OPS_LISTEN": ":9721", "RISKMON_WEB_CONFIG_FILE": tls}, "api_web_config_file"},
		{"a web config that is not one", map[string]string{"RISKMON_WEB_CONFIG_FILE": "/nonexistent/web.yml"}, "web_config_file"},
	} {
		c, err := Load(Source{Env: tc.env})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		err = c.CheckListeners()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}
