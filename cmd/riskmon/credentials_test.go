package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"riskmon/access"
	"riskmon/config"
)

// A credential removed from credentials_file stops working at the reload
// (SIGHUP), the others go on; a file its group could change is refused at
// the reload and the running credentials stay.
func TestCredentialRemovedAtReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials.yml")
	tokens := map[string]string{}
	lines := map[string]string{}
	for _, name := range []string{"zhen-a-clerk", "zhen-b-clerk"} {
		tok, h, err := access.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		tokens[name] = tok
		lines[name] = access.Credential{Name: name, Role: access.RoleReporter, Units: []string{"u1"}, Hash: h}.Line()
	}
	write := func(mode os.FileMode, names ...string) {
		text := "credentials:\n"
		for _, n := range names {
			text += lines[n] + "\n"
		}
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	write(0o640, "zhen-a-clerk", "zhen-b-clerk")
	env := map[string]string{"RISKMON_PETITIONER_KEY": "a-key-of-sixteen-bytes", "RISKMON_CREDENTIALS_FILE": path}
	var logs bytes.Buffer
	h, col := testHandler(t, env, &logs)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	srv := ts.URL
	status := func(name string) int {
		req, _ := http.NewRequest("GET", srv+"/api/v1/units", nil)
		req.Header.Set("Authorization", "Bearer "+tokens[name])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	load := func() (*config.Config, error) { return config.Load(config.Source{Env: env}) }
	logger := slog.New(slog.DiscardHandler)
	for _, step := range []struct {
		name         string
		mode         os.FileMode
		keep         []string
		reloadFails  bool
		wantA, wantB int
	}{
		{"both", 0o640, []string{"zhen-a-clerk", "zhen-b-clerk"}, false, 200, 200},
		{"b removed", 0o640, []string{"zhen-a-clerk"}, false, 200, 401},
		{"group-writable, b back", 0o660, []string{"zhen-a-clerk", "zhen-b-clerk"}, true, 200, 401},
	} {
		write(step.mode, step.keep...)
		err := reload(load, col.SetConfig, col.Config(), logger)
		if (err != nil) != step.reloadFails {
			t.Errorf("%s: reload: %v, want failure %v", step.name, err, step.reloadFails)
		}
		if a, b := status("zhen-a-clerk"), status("zhen-b-clerk"); a != step.wantA || b != step.wantB {
			t.Errorf("%s: zhen-a-clerk %d, zhen-b-clerk %d; want %d and %d", step.name, a, b, step.wantA, step.wantB)
		}
	}
}
