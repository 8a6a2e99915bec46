// Package smsrelay turns Alertmanager's webhook into text messages for the
// bureau's SMS gateway. Alertmanager 0.25 has no SMS receiver of its own and
// its webhook sends JSON, not text, so the relay, a small process beside
// Alertmanager (`riskmon sms-relay`), renders each alert with the template
// Alertmanager's WeChat Work receiver uses ("riskmon.alert.text" in
// alerts/wechat.tmpl) and posts it to the gateway. It keeps nothing: when the
// gateway fails, it answers 502 and Alertmanager sends the group again.
//
// It does not read riskmon's database or API, so it pages when riskmon
// itself is down.
package smsrelay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"
)

// TextTemplate is the template that renders one alert, defined in the
// template file Alertmanager loads.
const TextTemplate = "riskmon.alert.text"

// maxPayload bounds a webhook body: a group of a few hundred alerts.
const maxPayload = 4 << 20

// Relay is an http.Handler for Alertmanager's webhook_configs.
type Relay struct {
	// Gateway is the SMS gateway's URL: each alert is POSTed to it as JSON,
	// {"to": the webhook's ?to=, "text": the alert's text}.
	Gateway string
	// Text is the parsed template file (Parse).
	Text *template.Template
	// Zone is the time zone of the texts' times (.StartsAt.Local).
	Zone *time.Location
	// Client sends to the gateway; it must have a timeout.
	Client *http.Client
	// Log hears of the texts the gateway refused (Alertmanager retries).
	Log *slog.Logger
}

// Parse reads the template file with the functions Alertmanager 0.25 gives
// its templates (those riskmon's may use), and checks it defines the text.
func Parse(path string) (*template.Template, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sms relay template: %w", err)
	}
	t, err := template.New(path).Funcs(funcs).Parse(string(raw))
	if err != nil {
		return nil, fmt.Errorf("sms relay template %s: %w", path, err)
	}
	if t.Lookup(TextTemplate) == nil {
		return nil, fmt.Errorf("sms relay template %s: no %q defined", path, TextTemplate)
	}
	return t, nil
}

// funcs are Alertmanager 0.25's template functions, same names and meaning
// (template/template.go, DefaultFuncs), but safeHtml, which is for e-mail,
// and title, whose Go function is deprecated.
var funcs = template.FuncMap{
	"toUpper": strings.ToUpper,
	"toLower": strings.ToLower,
	"join":    func(sep string, s []string) string { return strings.Join(s, sep) },
	"match":   regexp.MatchString,
	"reReplaceAll": func(pattern, repl, text string) string {
		return regexp.MustCompile(pattern).ReplaceAllString(text, repl)
	},
	"stringSlice": func(s ...string) []string { return s },
}

// payload is Alertmanager's webhook body, version 4: the fields the texts use.
type payload struct {
	Version string  `json:"version"`
	Status  string  `json:"status"`
	Alerts  []alert `json:"alerts"`
}

type alert struct {
	Status      string            `json:"status"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    zoned             `json:"startsAt"`
	EndsAt      zoned             `json:"endsAt"`
}

// zoned is a time whose Local is the relay's zone, so that the template's
// .StartsAt.Local reads as it does in Alertmanager with the same TZ.
type zoned struct {
	time.Time
	zone *time.Location
}

// Local is the time in the relay's zone.
func (z zoned) Local() time.Time { return z.Time.In(z.zone) }

// message is what the gateway receives.
type message struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

func (r *Relay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "sms relay: POST Alertmanager's webhook here", http.StatusMethodNotAllowed)
		return
	}
	to := req.URL.Query().Get("to")
	if to == "" {
		http.Error(w, "sms relay: no ?to= in the webhook's url: name the gateway's recipient group", http.StatusBadRequest)
		return
	}
	texts, err := r.texts(io.LimitReader(req.Body, maxPayload+1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for i, text := range texts {
		if err := r.send(req.Context(), message{To: to, Text: text}); err != nil {
			// Alertmanager retries the whole group: the texts before this one
			// go out again, better twice than not at all.
			r.Log.Warn("sms relay: text not sent", "to", to, "alert", i+1, "of", len(texts), "err", err)
			http.Error(w, fmt.Sprintf("sms relay: alert %d of %d: %v", i+1, len(texts), err), http.StatusBadGateway)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// texts decodes a webhook body and renders each alert's text.
func (r *Relay) texts(body io.Reader) ([]string, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("sms relay: reading the webhook: %w", err)
	}
	if len(raw) > maxPayload {
		return nil, fmt.Errorf("sms relay: webhook body over %d bytes", maxPayload)
	}
	var p payload
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("sms relay: webhook body is not Alertmanager's JSON: %w", err)
	}
	if p.Version != "4" {
		return nil, fmt.Errorf("sms relay: webhook version %q, want \"4\" (Alertmanager 0.25)", p.Version)
	}
	texts := make([]string, 0, len(p.Alerts))
	for _, a := range p.Alerts {
		a.StartsAt.zone, a.EndsAt.zone = r.Zone, r.Zone
		var b bytes.Buffer
		if err := r.Text.ExecuteTemplate(&b, TextTemplate, a); err != nil {
			return nil, fmt.Errorf("sms relay: rendering %s: %w", a.Labels["alertname"], err)
		}
		texts = append(texts, b.String())
	}
	return texts, nil
}

// send posts one text; any answer but 2xx is an error.
func (r *Relay) send(ctx context.Context, m message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.Gateway, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gateway request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := r.Client.Do(req)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("gateway answered %s", resp.Status)
	}
	return nil
}

// Check reports a relay that cannot work, before it listens.
func (r *Relay) Check() error {
	switch {
	case r.Gateway == "":
		return errors.New("sms relay: no gateway url")
	case !strings.HasPrefix(r.Gateway, "http://") && !strings.HasPrefix(r.Gateway, "https://"):
		return fmt.Errorf("sms relay: gateway url %q is not http(s)", r.Gateway)
	case r.Text == nil || r.Zone == nil || r.Client == nil || r.Client.Timeout == 0 || r.Log == nil:
		return errors.New("sms relay: template, zone, log and a client with a timeout are required")
	}
	return nil
}
