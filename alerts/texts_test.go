package alerts_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"riskmon/smsrelay"
)

// maxSummaryZh bounds an alert's Chinese headline, so that the status, the
// headline and a unit's name of usual length make one SMS segment.
const maxSummaryZh = 24

// smsSegment is one SMS in Chinese (UCS-2): 70 characters.
const smsSegment = 70

// TestEveryAlertTextFitsOneSMS renders every alert of rules.yml, firing and
// resolved, through the SMS relay and wechat.tmpl, for a unit with a name of
// usual length and one with the longest name the API takes (100): the first
// line is at most one SMS segment and says what and where (the name cut
// with an ellipsis only when it must be), and no English reaches the text.
func TestEveryAlertTextFitsOneSMS(t *testing.T) {
	var mu sync.Mutex
	var got []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Text string }
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		got = append(got, m.Text)
		mu.Unlock()
	}))
	t.Cleanup(gw.Close)
	tmpl, err := smsrelay.Parse("wechat.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	relay := httptest.NewServer(&smsrelay.Relay{Gateway: gw.URL, Text: tmpl, Zone: time.UTC,
		Client: &http.Client{Timeout: 5 * time.Second}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(relay.Close)

	longName := strings.Repeat("镇", 100)
	for _, r := range loadRules(t) {
		if r.Alert == "" {
			continue
		}
		for _, name := range []string{"演示县白水镇", longName} {
			for _, status := range []string{"firing", "resolved"} {
				labels := map[string]string{"alertname": r.Alert, "period": "sensitive"}
				for k, v := range r.Labels {
					labels[k] = v
				}
				if strings.Contains(r.Expr, "unit") {
					labels["unit"], labels["name"], labels["unit_name"] = "u1", name, name
				}
				ann := map[string]string{"summary_zh": r.Annotations["summary_zh"], "runbook_url": "https://x.invalid/RUNBOOK.md#a",
					"description": "中文描述。 / English description."}
				body, _ := json.Marshal(map[string]any{"version": "4", "status": status, "alerts": []map[string]any{{
					"status": status, "labels": labels, "annotations": ann,
					"startsAt": time.Date(2026, 10, 1, 19, 0, 0, 0, time.UTC), "endsAt": time.Date(2026, 10, 1, 20, 0, 0, 0, time.UTC)}}})
				mu.Lock()
				got = nil
				mu.Unlock()
				resp, err := http.Post(relay.URL+"/?to=duty", "application/json", strings.NewReader(string(body)))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				mu.Lock()
				texts := got
				mu.Unlock()
				if resp.StatusCode != http.StatusNoContent || len(texts) != 1 {
					t.Fatalf("%s: relay answered %d with %d texts", r.Alert, resp.StatusCode, len(texts))
				}
				text := texts[0]
				head, _, _ := strings.Cut(text, "\n")
				if n := utf8.RuneCountInString(head); n > smsSegment {
					t.Errorf("%s, %d-character name, %s: first line is %d characters, over %d: %q", r.Alert, utf8.RuneCountInString(name), status, n, smsSegment, head)
				}
				if !strings.Contains(head, r.Annotations["summary_zh"]) {
					t.Errorf("%s: first line %q lacks the headline %q", r.Alert, head, r.Annotations["summary_zh"])
				}
				if labels["unit"] != "" && name != longName && !strings.HasSuffix(head, "："+name) {
					t.Errorf("%s: first line %q does not end with the unit's name", r.Alert, head)
				}
				if strings.Contains(text, "English") || !strings.Contains(text, "中文描述。\n") || !strings.Contains(text, "处置：https://x.invalid/RUNBOOK.md#a") {
					t.Errorf("%s: text is not the Chinese description and the runbook:\n%s", r.Alert, text)
				}
				if (status == "resolved") != strings.Contains(head, "已恢复") {
					t.Errorf("%s %s: first line %q", r.Alert, status, head)
				}
			}
		}
	}
}
