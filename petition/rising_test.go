package petition_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"riskmon/petition"
)

func TestMatterCodeProblem(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool // refused
	}{
		{"chengdong-shantytown", false}, {"a", false}, {"0_wages-2026", false},
		{"", true}, {"-a", true}, {"_a", true}, {"Chengdong", true}, {"a.b", true}, {"城东", true},
		{string(make([]byte, 65)), true},
	} {
		if got := len(petition.MatterCodeProblem("code", tc.code)) > 0; got != tc.want {
			t.Errorf("%q: refused %v, want %v", tc.code, got, tc.want)
		}
	}
	long := []byte{}
	for range 64 {
		long = append(long, 'a')
	}
	if ps := petition.MatterCodeProblem("code", string(long)); ps != nil {
		t.Errorf("64 letters refused: %v", ps)
	}
	if ps := petition.MatterCodeProblem("code", string(long)+"a"); ps == nil {
		t.Errorf("65 letters taken")
	}
}

func TestRising(t *testing.T) {
	r := petition.MatterRules{RisingPetitioners: 3, RisingPetitionersSensitive: 2, RisingShown: 2}
	for _, tc := range []struct {
		name      string
		a         petition.MatterActivity
		sensitive bool
		want      bool
	}{
		{"two petitioners", petition.MatterActivity{Petitioners7: 2, Cases7: 5}, false, false},
		{"three petitioners", petition.MatterActivity{Petitioners7: 3, Cases7: 3}, false, true},
		{"two in a sensitive period", petition.MatterActivity{Petitioners7: 2, Cases7: 2}, true, true},
		{"one in a sensitive period", petition.MatterActivity{Petitioners7: 1, Cases7: 4}, true, false},
		{"many in 30 days only", petition.MatterActivity{Petitioners30: 9, Cases30: 9}, true, false},
		{"a case and a high-risk dispute", petition.MatterActivity{Petitioners7: 1, Cases7: 1, HighRiskDisputes: 1}, false, true},
		{"a high-risk dispute, no new case", petition.MatterActivity{Petitioners30: 1, Cases30: 1, HighRiskDisputes: 1}, false, false},
		{"a case and a medium dispute", petition.MatterActivity{Petitioners7: 1, Cases7: 1, OpenDisputes: 1}, false, false},
	} {
		if got := r.Rising(tc.a, tc.sensitive); got != tc.want {
			t.Errorf("%s: rising %v, want %v", tc.name, got, tc.want)
		}
	}
	all := []petition.MatterActivity{
		{Code: "quiet", Petitioners7: 1, Cases7: 1},
		{Code: "b", Petitioners7: 3, Cases7: 3},
		{Code: "a", Petitioners7: 3, Cases7: 3},
		{Code: "dispute", Petitioners7: 3, Cases7: 3, HighRiskDisputes: 1},
		{Code: "most", Petitioners7: 7, Cases7: 7},
	}
	rising := r.RisingOf(all, false)
	shown := r.Shown(rising)
	var got []string
	for _, a := range shown {
		got = append(got, a.Code)
	}
	if want := []string{"most", "dispute"}; !slices.Equal(got, want) || len(rising) != 4 {
		t.Errorf("shown %v of %d rising, want %v of 4", got, len(rising), want)
	}
	r.RisingShown = 10
	shown = r.Shown(r.RisingOf(all, false))
	got = got[:0]
	for _, a := range shown {
		got = append(got, a.Code)
	}
	if want := []string{"most", "dispute", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("shown %v, want %v", got, want)
	}
}

func TestLinked(t *testing.T) {
	r := petition.DefaultRules(time.UTC)
	recv := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	st := r.Received(petition.Case{Unit: "u1", ReceivedAt: recv, Matter: "wages"})
	if st.Matter != "wages" {
		t.Fatalf("matter at receipt %q, want wages", st.Matter)
	}
	next, out, err := r.Apply(st, petition.Event{Type: petition.EventLinked, At: recv.Add(time.Hour), Matter: "land"})
	if err != nil || next.Matter != "land" || out != (petition.Outcome{}) {
		t.Fatalf("relinked: %+v %+v %v", next.Matter, out, err)
	}
	if next.Deadline != st.Deadline || next.Status != st.Status || next.StageStart != st.StageStart {
		t.Errorf("a link moved the clock: %+v, was %+v", next, st)
	}
	if _, _, err := r.Apply(next, petition.Event{Type: petition.EventLinked, At: recv.Add(2 * time.Hour), Matter: "land"}); !errors.Is(err, petition.ErrTransition) {
		t.Errorf("the same link again: %v, want a refused transition", err)
	}
	if _, _, err := r.Apply(next, petition.Event{Type: petition.EventLinked, At: recv.Add(2 * time.Hour), Matter: "Land!"}); !errors.Is(err, petition.ErrInvalidEvent) {
		t.Errorf("a bad code: %v, want an invalid event", err)
	}
	if ps := (petition.Case{Matter: "Bad Code"}).Problems(); !slices.ContainsFunc(ps, func(p petition.Problem) bool { return p.Field == "matter" }) {
		t.Errorf("a case's bad matter code is not named: %v", ps)
	}
}
