package smsrelay_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"riskmon/smsrelay"
)

// gateway is a fake SMS gateway: it keeps what it receives and answers
// fail's status for the texts numbered in failAt (from 1).
type gateway struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []map[string]string
	failAt map[int]bool
}

func startGateway(t *testing.T, failAt ...int) *gateway {
	g := &gateway{failAt: map[int]bool{}}
	for _, n := range failAt {
		g.failAt[n] = true
	}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		if r.Header.Get("Content-Type") != "application/json; charset=utf-8" || json.NewDecoder(r.Body).Decode(&m) != nil {
			http.Error(w, "not json", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		g.got = append(g.got, m)
		if g.failAt[len(g.got)] {
			http.Error(w, "modem busy", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func relay(t *testing.T, gw string) *httptest.Server {
	t.Helper()
	tmpl, err := smsrelay.Parse("../alerts/wechat.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	r := &smsrelay.Relay{Gateway: gw, Text: tmpl, Zone: time.FixedZone("CST", 8*3600),
		Client: &http.Client{Timeout: 5 * time.Second}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

const twoAlerts = `{"version":"4","status":"firing","receiver":"oncall-pager","alerts":[
 {"status":"firing","labels":{"alertname":"PetitionMajorMatterUnreported","unit":"baishui","name":"演示县白水镇","severity":"critical","period":"sensitive"},
  "annotations":{"summary":"A major matter has not been reported upward in time.","summary_zh":"重大信访事项未按时上报",
   "description":"演示县白水镇（baishui）有 1 件重大信访事项超过时限未向县委县政府报告。 / 1 major matter(s) of baishui are past the limit.",
   "runbook_url":"https://riskmon.example.invalid/RUNBOOK.md#petitionmajormatterunreported"},
  "startsAt":"2026-10-01T19:05:00Z","endsAt":"0001-01-01T00:00:00Z"},
 {"status":"resolved","labels":{"alertname":"PetitionDataStale","severity":"critical","period":"normal"},
  "annotations":{"summary":"riskmon's data is stale.","summary_zh":"监测数据已过时","description":"数据已 300 秒未更新。 / stale for 300 s.",
   "runbook_url":"https://riskmon.example.invalid/RUNBOOK.md#petitiondatastale"},
  "startsAt":"2026-10-01T19:05:00Z","endsAt":"2026-10-01T19:40:00Z"}]}`

// TestTexts: each alert of a group is one text, in the words and the time
// zone Alertmanager's WeChat Work message uses.
func TestTexts(t *testing.T) {
	gw := startGateway(t)
	srv := relay(t, gw.srv.URL)
	resp, err := http.Post(srv.URL+"/?to=duty-officer", "application/json", strings.NewReader(twoAlerts))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	want := []map[string]string{
		{"to": "duty-officer", "text": "【信访监测·紧急·敏感期】重大信访事项未按时上报：演示县白水镇\n" +
			"演示县白水镇（baishui）有 1 件重大信访事项超过时限未向县委县政府报告。\n" +
			"单位：演示县白水镇（baishui）\n" +
			"开始：2026-10-02 03:05\n" +
			"处置：https://riskmon.example.invalid/RUNBOOK.md#petitionmajormatterunreported"},
		{"to": "duty-officer", "text": "【信访监测·已恢复】监测数据已过时\n" +
			"数据已 300 秒未更新。\n" +
			"开始：2026-10-02 03:05；恢复：2026-10-02 03:40\n" +
			"处置：https://riskmon.example.invalid/RUNBOOK.md#petitiondatastale"},
	}
	if got := gw.got; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the gateway got\n%q\nwant\n%q", got, want)
	}
}

// TestRefused: what is not Alertmanager's webhook is refused with its
// problem named, and nothing is sent.
func TestRefused(t *testing.T) {
	gw := startGateway(t)
	srv := relay(t, gw.srv.URL)
	for _, tc := range []struct {
		name, method, path, body string
		want                     int
		problem                  string
	}{
		{"a GET", http.MethodGet, "/?to=x", "", http.StatusMethodNotAllowed, "POST"},
		{"no recipient group", http.MethodPost, "/", twoAlerts, http.StatusBadRequest, "?to="},
		{"not JSON", http.MethodPost, "/?to=x", "alert!", http.StatusBadRequest, "not Alertmanager's JSON"},
		{"another version", http.MethodPost, "/?to=x", `{"version":"3","alerts":[]}`, http.StatusBadRequest, `version "3"`},
		{"too big", http.MethodPost, "/?to=x", `{"version":"4","x":"` + strings.Repeat("a", 4<<20) + `"}`, http.StatusBadRequest, "over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want || !strings.Contains(string(body), tc.problem) {
				t.Errorf("got %d %q, want %d naming %q", resp.StatusCode, body, tc.want, tc.problem)
			}
		})
	}
	if len(gw.got) != 0 {
		t.Errorf("the gateway got %d texts from refused requests", len(gw.got))
	}
}

// TestGatewayFailure: a text the gateway refuses makes the relay answer 502,
// so that Alertmanager sends the group again; the texts after it wait for
// that retry.
func TestGatewayFailure(t *testing.T) {
	gw := startGateway(t, 1)
	srv := relay(t, gw.srv.URL)
	resp, err := http.Post(srv.URL+"/?to=holiday-duty", "application/json", strings.NewReader(twoAlerts))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "alert 1 of 2") || !strings.Contains(string(body), "503") {
		t.Errorf("got %d %q, want 502 naming alert 1 of 2 and the gateway's 503", resp.StatusCode, body)
	}
	if len(gw.got) != 1 {
		t.Errorf("the gateway got %d texts, want the one it refused", len(gw.got))
	}
	// the retry sends both
	resp, err = http.Post(srv.URL+"/?to=holiday-duty", "application/json", strings.NewReader(twoAlerts))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || len(gw.got) != 3 {
		t.Errorf("retry: %d with %d texts in all, want 204 and 3", resp.StatusCode, len(gw.got))
	}
}

// TestParseRefuses: a template file without the text, or with a function
// Alertmanager lacks, is refused when the relay starts, not at 3 a.m.
func TestParseRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, problem string }{
		{"no text", `{{ define "other" }}x{{ end }}`, `no "riskmon.alert.text"`},
		{"unknown function", `{{ define "riskmon.alert.text" }}{{ humanize 1 }}{{ end }}`, `"humanize" not defined`},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".tmpl")
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := smsrelay.Parse(p); err == nil || !strings.Contains(err.Error(), tc.problem) {
			t.Errorf("%s: got %v, want an error naming %q", tc.name, err, tc.problem)
		}
	}
	if _, err := smsrelay.Parse(filepath.Join(dir, "missing.tmpl")); err == nil {
		t.Error("a missing file was taken")
	}
}
