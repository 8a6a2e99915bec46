package alerts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/petition"
	"riskmon/store/storetest"
	"riskmon/systemtest"
)

// e2eKey is the end-to-end tests' petitioner key.
const e2eKey = "e2e-key-0123456789abcdef"

// drillConfig writes a riskmon configuration with a sensitive period, the
// drill, from an hour ago to an hour from now, and returns its path.
func drillConfig(t *testing.T) string {
	t.Helper()
	now := time.Now()
	path := filepath.Join(t.TempDir(), "riskmon.yml")
	cfg := fmt.Sprintf("sensitive_periods:\n  - {name: e2e_drill, start: %q, end: %q}\n",
		now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// shortRules writes rules.yml with every for: at 2s, so the end-to-end test
// runs in seconds (the staleness limit is riskmon's own configuration, which
// the rules read); the promtool tests cover the real durations.
func shortRules(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	forRe := regexp.MustCompile(`(?m)^(\s+for:) \S+$`)
	if len(forRe.FindAll(raw, -1)) == 0 {
		t.Fatal("rules.yml changed: update shortRules")
	}
	short := forRe.ReplaceAll(raw, []byte("$1 2s"))
	path := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(path, short, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func firing(alerts []systemtest.Alert, name string, labels map[string]string) (bool, string) {
	var seen []string
	for _, a := range alerts {
		if a.Labels["alertname"] != name {
			continue
		}
		seen = append(seen, fmt.Sprintf("%s %v", a.State, a.Labels))
		match := a.State == "firing"
		for k, v := range labels {
			match = match && a.Labels[k] == v
		}
		if match {
			return true, ""
		}
	}
	return false, fmt.Sprintf("%s alerts: %v", name, seen)
}

// waitFiring waits until prom shows alert name firing with labels.
func waitFiring(t *testing.T, ctx context.Context, prom *systemtest.Prometheus, what, name string, labels map[string]string) {
	t.Helper()
	systemtest.Eventually(t, time.Minute, what, func() (bool, string) {
		alerts, err := prom.Alerts(ctx)
		if err != nil {
			return false, err.Error()
		}
		return firing(alerts, name, labels)
	})
}

// TestEndToEnd: a real Prometheus scrapes a running riskmon on MariaDB. During
// an active sensitive period, last month's collective petition imported now
// pages nobody, nor do petitions to the national level online, by letter or
// by phone, one received two hours ago and registered now pages as
// critical, and so does a registered dispute that became it; cutting riskmon
// off from its database makes PetitionDataStale fire.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	direct, proxied, px := storetest.ProxiedMySQL(t)
	s := storetest.OpenDSN(t, direct)
	if err := demo.PutReference(ctx, s); err != nil {
		t.Fatal(err)
	}
	cfgPath := drillConfig(t)
	key := e2eKey
	rk := systemtest.StartRiskmon(t, []string{"--config", cfgPath}, []string{
		"RISKMON_DB=" + proxied, "RISKMON_REFRESH_INTERVAL=1s", "RISKMON_STALENESS_LIMIT=3s",
		"RISKMON_QUERY_TIMEOUT=900ms", "RISKMON_PETITIONER_KEY=" + key,
	})
	prom := systemtest.StartPrometheus(t, rk.Addr, shortRules(t))

	systemtest.Eventually(t, time.Minute, "first scrapes in a sensitive period", func() (bool, string) {
		v, err := prom.Query(ctx, `petition:sensitive_period:active == 1 and on() count_over_time(petition_collective_received_total{unit="qingshan",category="land_requisition"}[1m]) >= 2`)
		if err != nil {
			return false, err.Error()
		}
		return len(v) == 1, fmt.Sprint(v)
	})
	alerts, err := prom.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := firing(alerts, "PetitionCollectiveReceived", nil); ok {
		t.Fatal("PetitionCollectiveReceived fires before any collective petition")
	}

	r := petition.DefaultRules(time.UTC)
	collective := func(no string, received time.Time) {
		t.Helper()
		_, _, err := s.CreateCase(ctx, r, petition.Case{CaseNo: no, ReceivedAt: received, Channel: "visit",
			Category: "land_requisition", Unit: "qingshan", Persons: 12, Level: "national",
			PetitionerHash: petition.PetitionerHash([]byte(key), "E2E-PERSON-"+no)})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Backfill: last month's collective petition lodged in Beijing, registered
	// now, in a sensitive period, pages nobody.
	collective("E2E-OLD", time.Now().AddDate(0, -1, 0))
	// Nor do petitions to the national bureau online, by letter or by phone
	// received now: lawful at any level (2022 Reg. art. 17), not skip-level.
	for _, ch := range []string{"online", "letter", "phone"} {
		_, _, err := s.CreateCase(ctx, r, petition.Case{CaseNo: "E2E-" + ch, ReceivedAt: time.Now().Add(-time.Minute), Channel: ch,
			Category: "other", Unit: "qingshan", Persons: 1, Level: "national",
			PetitionerHash: petition.PetitionerHash([]byte(key), "E2E-PERSON-"+ch)})
		if err != nil {
			t.Fatal(err)
		}
	}
	var seen time.Time
	systemtest.Eventually(t, time.Minute, "the backfilled case and the lawful channels scraped", func() (bool, string) {
		v, err := prom.Query(ctx, `sum(petition_collective_received_total{unit="qingshan"}) >= 1 and on()
sum(petition_received_total{unit="qingshan",level="national",channel=~"online|letter|phone"}) >= 3`)
		if err != nil {
			return false, err.Error()
		}
		seen = time.Now()
		return len(v) == 1, fmt.Sprint(v)
	})
	systemtest.Eventually(t, time.Minute, "rules evaluated after the backfill was scraped", func() (bool, string) {
		last, err := prom.LastRuleEvaluation(ctx)
		if err != nil {
			return false, err.Error()
		}
		return last.After(seen.Add(time.Second)), fmt.Sprintf("last evaluation %s, backfill seen %s", last, seen)
	})
	alerts, err = prom.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"PetitionCollectiveReceived", "PetitionSkipLevelReceived"} {
		for _, a := range alerts {
			if a.Labels["alertname"] == name {
				t.Errorf("backfilled history made %s %s: %v", name, a.State, a.Labels)
			}
		}
	}

	// A collective petition received two hours ago and registered now pages.
	collective("E2E-1", time.Now().Add(-2*time.Hour))
	waitFiring(t, ctx, prom, "PetitionCollectiveReceived critical", "PetitionCollectiveReceived", map[string]string{
		"severity": "critical", "period": "sensitive", "unit": "qingshan", "name": "演示县青山镇"})
	// ...and, a visit in Beijing (进京访), as skip-level
	waitFiring(t, ctx, prom, "PetitionSkipLevelReceived critical", "PetitionSkipLevelReceived", map[string]string{
		"severity": "critical", "period": "sensitive", "unit": "qingshan", "level": "national"})

	// A 60-person collective visit at the county, received two hours ago:
	// a major matter past its hour, unreported (2022 Reg. art. 25), pages;
	// the report to the county leadership resolves it.
	big := petition.Case{CaseNo: "E2E-MAJOR", ReceivedAt: time.Now().Add(-2 * time.Hour), Channel: "visit",
		Category: "land_requisition", Unit: "baishui", Persons: 60, Level: "county",
		PetitionerHash: petition.PetitionerHash([]byte(key), "E2E-PERSON-MAJOR")}
	if _, _, err := s.CreateCase(ctx, r, big); err != nil {
		t.Fatal(err)
	}
	waitFiring(t, ctx, prom, "PetitionMajorMatterUnreported critical", "PetitionMajorMatterUnreported", map[string]string{
		"severity": "critical", "period": "sensitive", "unit": "baishui", "name": "演示县白水镇"})
	report := petition.Event{Type: petition.EventReportedUp, At: time.Now(), To: petition.ReportCountyLeadership}
	if _, _, err := s.AddEvent(ctx, r, big.CaseNo, report); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, time.Minute, "PetitionMajorMatterUnreported resolved by the report", func() (bool, string) {
		alerts, err := prom.Alerts(ctx)
		if err != nil {
			return false, err.Error()
		}
		for _, a := range alerts {
			if a.Labels["alertname"] == "PetitionMajorMatterUnreported" && a.Labels["unit"] == "baishui" {
				return false, fmt.Sprintf("still %s: %v", a.State, a.Labels)
			}
		}
		return true, ""
	})

	// The register: a high-risk dispute without a leader, and one that
	// became the collective petition in Beijing.
	roles := petition.DefaultLeaderRoles
	for _, no := range []string{"E2E-D-1", "E2E-D-2"} {
		d := petition.Dispute{No: no, FoundAt: time.Now().Add(-24 * time.Hour), Unit: "qingshan", Category: "land_requisition",
			Risk: "high", PersonsEstimate: 20, HandlerAssigned: true, Source: "screening"}
		if _, _, err := s.CreateDispute(ctx, roles, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.AddDisputeEvent(ctx, r, roles, "E2E-D-2", petition.DisputeEvent{Type: "escalated", At: time.Now(), CaseNo: "E2E-1"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		alert  string
		labels map[string]string
	}{
		{"PetitionDisputeEscalated", map[string]string{"severity": "critical", "period": "sensitive", "unit": "qingshan"}},
		{"PetitionMajorDisputeUnowned", map[string]string{"severity": "critical", "unit": "qingshan", "missing": "leader"}},
	} {
		waitFiring(t, ctx, prom, want.alert+" critical", want.alert, want.labels)
	}

	// Three petitioners raise one matter (a fourth letter of the first
	// counts once): the matter rises and names itself.
	matter := demo.Matters[2]
	for i, who := range []string{"A", "B", "C", "A"} {
		c := petition.Case{CaseNo: fmt.Sprintf("E2E-MATTER-%d", i), ReceivedAt: time.Now().Add(-time.Duration(i+1) * time.Hour),
			Channel: "letter", Category: matter.Category, Unit: matter.Unit, Persons: 1, Level: "county",
			PetitionerHash: petition.PetitionerHash([]byte(key), "E2E-MATTER-PERSON-"+who), Matter: matter.Code}
		if _, _, err := s.CreateCase(ctx, r, c); err != nil {
			t.Fatal(err)
		}
	}
	waitFiring(t, ctx, prom, "PetitionMatterRising critical", "PetitionMatterRising", map[string]string{
		"severity": "critical", "period": "sensitive", "unit": matter.Unit, "matter": matter.Code, "name": matter.Name})
	v, err := prom.Query(ctx, fmt.Sprintf(`petition_matter_petitioners{matter=%q,window="7d"}`, matter.Code))
	if err != nil || len(v) != 1 || v[0].Value[1] != "3" {
		t.Errorf("petitioners of the rising matter: %v %v, want 3", v, err)
	}

	px.Cut()
	waitFiring(t, ctx, prom, "PetitionDataStale after the database is gone", "PetitionDataStale", map[string]string{"severity": "critical"})
}
