package intake_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"riskmon/intake"
	"riskmon/petition"
	"riskmon/store"
)

func TestReadRegister(t *testing.T) {
	now := time.Date(2026, 10, 2, 3, 0, 0, 0, time.UTC)
	rules := petition.DefaultRules(time.UTC)
	roles := petition.DefaultLeaderRoles
	known := store.Known{Units: map[string]bool{"u1": true}, Categories: map[string]bool{"other": true}}
	line := func(no string, extra string) string {
		return `{"dispute_no":"` + no + `","found_at":"2026-09-20T09:00:00Z","unit":"u1","category":"other","risk":"high","persons_estimate":9,"source":"grid"` + extra + "}"
	}
	good := strings.Join([]string{
		line("R-1", `,"events":[{"type":"assigned","at":"2026-09-21T09:00:00Z","leader_role":"township_head","resolve_by":"2026-09-30"},{"type":"resolved","at":"2026-09-25T09:00:00Z"}]`),
		"",
		line("R-2", ""),
	}, "\n")
	reg, err := intake.ReadRegister(strings.NewReader(good), now, rules, roles, known)
	if err != nil {
		t.Fatal(err)
	}
	if ps, n := reg.Problems(); n != 0 || len(reg.Disputes) != 2 || len(reg.Disputes[0].Events) != 2 || reg.Disputes[1].Dispute.Source != "grid" {
		t.Fatalf("a good register: %d disputes, problems %v", len(reg.Disputes), ps)
	}

	bad := strings.Join([]string{
		line("B-1", ""), // good, but in a file with problems
		`{"dispute_no":"B-2",`,
		line("B-3", `,"name":"张三"`),
		line("B-4", `,"risk":"extreme"`),
		strings.Replace(line("B-5", ""), `"u1"`, `"u9"`, 1),
		line("B-1", ""),
		line("B-6", `,"events":[{"type":"resolved","at":"2026-09-21T09:00:00Z"},{"type":"inspected","at":"2026-09-22T09:00:00Z"}]`),
		line("B-7", `,"events":[{"type":"assigned","at":"2026-09-21T09:00:00Z"}]`),
	}, "\n")
	reg, err = intake.ReadRegister(strings.NewReader(bad), now, rules, roles, known)
	if err != nil {
		t.Fatal(err)
	}
	ps, n := reg.Problems()
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Field))
	}
	want := []string{"2 ", "3 name", "4 risk", "5 unit", "6 dispute_no", "7 events[1]", "8 events[0].assigned"}
	if n != len(want) || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("problems %v (%d), want %v", got, n, want)
	}
	if strings.Contains(fmt.Sprint(ps), "张三") {
		t.Error("a problem repeats personal data")
	}
	if len(reg.Disputes) != 0 {
		t.Errorf("a register with problems yields %d disputes to write", len(reg.Disputes))
	}
}
