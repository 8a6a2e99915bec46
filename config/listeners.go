package config

import (
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/prometheus/exporter-toolkit/web"
	"go.yaml.in/yaml/v2"
)

// webConfig is what riskmon needs to know of an exporter-toolkit web config
// file: whether it turns TLS on and whether it asks for basic auth.
type webConfig struct{ tls, basicAuth bool }

func readWebConfig(path string) (webConfig, error) {
	if path == "" {
		return webConfig{}, nil
	}
	if err := web.Validate(path); err != nil {
		return webConfig{}, fmt.Errorf("web config %s: %w", path, err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return webConfig{}, fmt.Errorf("web config: %w", err)
	}
	var c web.Config
	if err := yaml.Unmarshal(raw, &c); err != nil {
		return webConfig{}, fmt.Errorf("web config %s: %w", path, err)
	}
	return webConfig{tls: c.TLSConfig.IsEnabled(), basicAuth: len(c.Users) > 0}, nil
}

// loopback says whether addr (host:port) listens on the loopback interface
// only; an empty host listens on every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckListeners refuses a configuration that would lock one side out or
// send the API's tokens in clear. The API's bearer tokens and the web
// config's basic auth both use the Authorization header: on one listener,
// enabling basic auth for /metrics would refuse every API client, so basic
// auth needs ops_listen, a listener of its own for /metrics, /healthz and
// /readyz. And a bearer token is a password: on a plain-HTTP listener that
// other hosts reach, it crosses the network in clear.
func (c *Config) CheckListeners() error {
	var errs []error
	fail := func(key, problem string) {
		errs = append(errs, &Error{Key: key, From: c.Origin(key), Problem: problem})
	}
	ops, err := readWebConfig(c.WebConfigFile)
	if err != nil {
		fail("web_config_file", err.Error())
	}
	api, err := readWebConfig(c.APIWebConfigFile)
	if err != nil {
		fail("api_web_config_file", err.Error())
	}
	tokens := len(c.APITokens)+len(c.APIReadTokens) > 0
	apiTLS := api.tls
	switch {
	case c.OpsListen == "":
		apiTLS = ops.tls // one listener: the API has the web config's TLS
		if c.APIWebConfigFile != "" {
			fail("api_web_config_file", "is for the API's own listener: set ops_listen too, or put TLS in web_config_file")
		}
		if ops.basicAuth && tokens {
			fail("web_config_file", "asks for basic auth, which on the one listener would refuse every API client (their bearer tokens use the same header): set ops_listen to serve /metrics apart")
		}
	case c.OpsListen == c.Listen:
		fail("ops_listen", fmt.Sprintf("%q is listen's address too; give the operations endpoints another, or leave ops_listen empty", c.OpsListen))
	case api.basicAuth:
		fail("api_web_config_file", "asks for basic auth, which would refuse every API client: the API authenticates with bearer tokens; keep only tls_server_config here")
	}
	if tokens && !apiTLS && !loopback(c.Listen) && !c.APIAllowPlainHTTP {
		key := "web_config_file"
		if c.OpsListen != "" {
			key = "api_web_config_file"
		}
		fail("listen", fmt.Sprintf("%q is reachable from other hosts over plain HTTP, and the API's tokens would cross the network in clear: turn TLS on (%s), listen on loopback behind a TLS proxy, or set api_allow_plain_http: true", c.Listen, key))
	}
	return errors.Join(errs...)
}
