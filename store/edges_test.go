package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// writePaths write cases with their events as the API does (one case, then
// one event at a time), as an import into a database with cases does, and as
// a bulk load does. Each starts from an empty database.
var writePaths = map[string]writeFunc{
	"one by one": writeOneByOne,
	"incremental import": func(ctx context.Context, s *store.Store, r petition.Rules, cases []store.LoadCase) error {
		if _, _, err := s.CreateCase(ctx, r, otherCase()); err != nil { // the database is not empty
			return err
		}
		return s.Import(ctx, r, store.Cases(cases), nil)
	},
	"bulk load": func(ctx context.Context, s *store.Store, r petition.Rules, cases []store.LoadCase) error {
		return s.Load(ctx, r, cases)
	},
}

// otherCase is the case of someone else that the incremental import path
// writes first.
func otherCase() petition.Case {
	c := sample("OTHER")
	c.PetitionerHash = petition.PetitionerHash([]byte("k"), "someone else")
	return c
}

// edgeCase is a case received at recv by petitioner who, with events.
func edgeCase(no, who string, recv time.Time, events ...petition.Event) store.LoadCase {
	c := sample(no)
	c.ReceivedAt = recv
	c.PetitionerHash = petition.PetitionerHash([]byte("k"), who)
	return store.LoadCase{Case: c, Events: events}
}

func persons(lc store.LoadCase, n int) store.LoadCase { lc.Case.Persons = n; return lc }

func majorAtIntake(lc store.LoadCase) store.LoadCase { lc.Case.Major = true; return lc }

func matter(lc store.LoadCase, t string) store.LoadCase { lc.Case.MatterType = t; return lc }

// routedEdge is lc registered by the bureau (its unit, u1) to be passed on.
func routedEdge(lc store.LoadCase) store.LoadCase { lc.Case.Routing = true; return lc }

// reported checks a major matter reported to the county leadership, its
// report late or not.
func reported(late bool) func(store.CaseView) string {
	return func(v store.CaseView) string {
		last := v.Events[len(v.Events)-1]
		if !v.State.Major || v.State.MajorUnreported() || last.Late != late || last.Event.To != petition.ReportCountyLeadership {
			return fmt.Sprintf("major %v unreported %v, report to %q late %v: want major, reported, late %v",
				v.State.Major, v.State.MajorUnreported(), last.Event.To, last.Late, late)
		}
		return ""
	}
}

// The rules at their exact edges give the same result on every write path.
func TestEdgesOnEveryWritePath(t *testing.T) {
	recv := at("2026-03-02 10:00:00")
	acceptedAt := recv.Add(time.Hour)
	// accepted 2 March: 60 days of handling, last day Friday 1 May, in the
	// Labour Day holiday (1-5 May), moved to Wednesday 6 May: 24:00 of it
	handlingDeadline := at("2026-05-07 00:00:00")
	accept := petition.Event{Type: petition.EventAccepted, At: acceptedAt}
	// reviewed 1 September: the 30-day window ends at 24:00 of 1 October,
	// in the National Day holiday: moved to 24:00 of 8 October
	decided := []petition.Event{accept, {Type: petition.EventReplied, At: at("2026-04-01 10:00:00")},
		{Type: petition.EventReviewRequested, At: at("2026-04-10 10:00:00")}, {Type: petition.EventReviewed, At: at("2026-09-01 10:00:00")}}
	windowEnd := at("2026-10-09 00:00:00")
	with := func(events []petition.Event, e petition.Event) []petition.Event {
		return append(append([]petition.Event(nil), events...), e)
	}
	for _, tc := range []struct {
		name        string
		cases       []store.LoadCase
		refused     bool
		wantRepeats map[string]bool
		check       func(store.CaseView) string // what is wrong with the last case as stored, or ""
	}{
		// X and Y: the later case written first, its repeat status comes from
		// the receipt times; Z and W in the order received
		{name: "repeat look-back of exactly 365 days", cases: []store.LoadCase{
			edgeCase("X2", "x", at("2026-10-02 03:00:00")),
			edgeCase("Y2", "y", at("2026-10-02 03:00:00")),
			edgeCase("X1", "x", at("2025-10-02 03:00:00")),
			edgeCase("Y1", "y", at("2025-10-02 02:59:59")),
			edgeCase("Z1", "z", at("2025-10-02 03:00:00")),
			edgeCase("Z2", "z", at("2026-10-02 03:00:00")),
			edgeCase("W1", "w", at("2025-10-02 02:59:59")),
			edgeCase("W2", "w", at("2026-10-02 03:00:00")),
		}, wantRepeats: map[string]bool{"X2": true, "Y2": false, "X1": false, "Y1": false, "Z1": false, "Z2": true, "W1": false, "W2": false}},
		// cases of one matter received in the same second repeat the latest
		// received strictly before them, and not each other
		{name: "repeats received together", cases: []store.LoadCase{
			edgeCase("V1", "v", at("2026-09-01 03:00:00")),
			edgeCase("V4", "v", at("2026-09-01 03:00:00")),
			edgeCase("V2", "v", at("2026-09-11 03:00:00")),
			edgeCase("V3", "v", at("2026-09-11 03:00:00")),
			edgeCase("V5", "v", at("2027-09-12 03:00:00")),
		}, wantRepeats: map[string]bool{"V1": false, "V4": false, "V2": true, "V3": true, "V5": false}},
		{name: "extension at the deadline", cases: []store.LoadCase{edgeCase("E", "e", recv, accept,
			petition.Event{Type: petition.EventExtended, At: handlingDeadline, Days: 30})}},
		// the store keeps seconds: a part of a second is cut where it enters,
		// on every path, before the rules see it
		{name: "extension at the deadline and 999,999,999 ns", cases: []store.LoadCase{edgeCase("E", "e", recv.Add(time.Second-time.Nanosecond), accept,
			petition.Event{Type: petition.EventExtended, At: handlingDeadline.Add(time.Second - time.Nanosecond), Days: 30})}},
		{name: "extension a second after", refused: true, cases: []store.LoadCase{edgeCase("E", "e", recv, accept,
			petition.Event{Type: petition.EventExtended, At: handlingDeadline.Add(time.Second), Days: 30})}},
		{name: "reassigning a not-accepted case", refused: true, cases: []store.LoadCase{edgeCase("N", "n", recv,
			petition.Event{Type: petition.EventNotAccepted, At: acceptedAt},
			petition.Event{Type: petition.EventReassigned, At: acceptedAt.Add(time.Hour), Unit: "u1"})}},
		{name: "re-review at the window's end", cases: []store.LoadCase{edgeCase("R", "r", recv,
			with(decided, petition.Event{Type: petition.EventReReviewRequested, At: windowEnd})...)}},
		// arts. 35-36: the window runs from the petitioner's receipt, which the
		// record may lack: a request after it is recorded, marked late
		{name: "re-review a second after", cases: []store.LoadCase{edgeCase("R", "r", recv,
			with(decided, petition.Event{Type: petition.EventReReviewRequested, At: windowEnd.Add(time.Second)})...)},
			check: func(v store.CaseView) string {
				if last := v.Events[len(v.Events)-1]; !last.Late || v.State.Stage() != petition.StageReReview {
					return fmt.Sprintf("late %v, stage %s: want a late request, the re-review open", last.Late, v.State.Stage())
				}
				return ""
			}},
		{name: "re-review at the window's end is not late", cases: []store.LoadCase{edgeCase("R", "r", recv,
			with(decided, petition.Event{Type: petition.EventReReviewRequested, At: windowEnd})...)},
			check: func(v store.CaseView) string {
				if v.Events[len(v.Events)-1].Late {
					return "marked late at the window's last instant"
				}
				return ""
			}},
		// art. 36 ¶2: a hearing pauses the re-review, started within its limit
		// (requested 2 September: last day 2 October, moved to 8 October)
		{name: "hearing at the re-review deadline", cases: []store.LoadCase{edgeCase("H", "h", recv,
			with(with(decided, petition.Event{Type: petition.EventReReviewRequested, At: at("2026-09-02 10:00:00")}),
				petition.Event{Type: petition.EventHearingStarted, At: windowEnd})...)}},
		{name: "hearing a second after", refused: true, cases: []store.LoadCase{edgeCase("H", "h", recv,
			with(with(decided, petition.Event{Type: petition.EventReReviewRequested, At: at("2026-09-02 10:00:00")}),
				petition.Event{Type: petition.EventHearingStarted, At: windowEnd.Add(time.Second)})...)}},
		// art. 40: supervision of a decision not carried out, after the reply,
		// up to the national bureau, and the unit's written answer
		{name: "supervised after the reply and answered", cases: []store.LoadCase{edgeCase("S", "s", recv,
			with(with(decided[:2], petition.Event{Type: petition.EventSupervised, At: at("2026-04-20 10:00:00"), Level: "national"}),
				petition.Event{Type: petition.EventSupervisionAnswered, At: at("2026-04-25 10:00:00")})...)},
			check: func(v store.CaseView) string {
				st := v.State
				if st.Supervision != "national" || !st.SupervisionAnswered || st.Status != petition.StatusReplied {
					return fmt.Sprintf("supervision %q answered %v status %s, want national, answered, replied", st.Supervision, st.SupervisionAnswered, st.Status)
				}
				return ""
			}},
		{name: "supervising a closed case", refused: true, cases: []store.LoadCase{edgeCase("S", "s", recv,
			with(with(decided[:2], petition.Event{Type: petition.EventClosed, At: at("2026-04-20 10:00:00")}),
				petition.Event{Type: petition.EventSupervised, At: at("2026-04-21 10:00:00"), Level: "city"})...)}},
		// art. 25: a major matter is reported upward within the limit (an
		// hour by default), counted from receipt or from the mark
		{name: "major matter reported at the limit", cases: []store.LoadCase{persons(edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(time.Hour), To: petition.ReportCountyLeadership}), 60)},
			check: reported(false)},
		{name: "major matter reported a second after", cases: []store.LoadCase{persons(edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(time.Hour + time.Second), To: petition.ReportCountyLeadership}), 60)},
			check: reported(true)},
		{name: "marked major by the intake, then reported late", cases: []store.LoadCase{majorAtIntake(edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(2 * time.Hour), To: petition.ReportCountyLeadership}))},
			check: reported(true)},
		{name: "marked major later, reported within the hour of the mark", cases: []store.LoadCase{edgeCase("M", "m", recv, accept,
			petition.Event{Type: petition.EventMarkedMajor, At: acceptedAt.Add(24 * time.Hour)},
			petition.Event{Type: petition.EventReportedUp, At: acceptedAt.Add(25 * time.Hour), To: petition.ReportCountyLeadership})},
			check: reported(false)},
		{name: "major matter, reported to the city bureau only", cases: []store.LoadCase{persons(edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(time.Minute), To: "city_bureau"}), 60)},
			check: func(v store.CaseView) string {
				if !v.State.MajorUnreported() {
					return "the county leadership's report counted as made"
				}
				return ""
			}},
		{name: "reported twice to the same recipient", refused: true, cases: []store.LoadCase{edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(time.Minute), To: "city_bureau"},
			petition.Event{Type: petition.EventReportedUp, At: recv.Add(2 * time.Minute), To: "city_bureau"})}},
		// arts. 28, 31(1)-(5): a claim for another procedure leaves the
		// petition procedure, even past its deadline, completing nothing
		{name: "claim diverted after its handling deadline", cases: []store.LoadCase{edgeCase("D", "d", recv, accept,
			petition.Event{Type: petition.EventDiverted, At: handlingDeadline.Add(24 * time.Hour), Procedure: "litigation"})},
			check: func(v store.CaseView) string {
				last := v.Events[len(v.Events)-1]
				if v.State.Status != petition.StatusDiverted || v.State.Stage() != "" || !v.State.Deadline.IsZero() ||
					last.CompletedStage != "" || last.Late || last.Event.Procedure != "litigation" {
					return fmt.Sprintf("status %s stage %q deadline %s, event %+v: want diverted, no stage, nothing completed",
						v.State.Status, v.State.Stage(), v.State.Deadline, last)
				}
				return ""
			}},
		{name: "diverted after the reply", refused: true, cases: []store.LoadCase{edgeCase("D", "d", recv,
			with(decided[:2], petition.Event{Type: petition.EventDiverted, At: at("2026-04-02 10:00:00"), Procedure: "litigation"})...)}},
		// art. 29: a suggestion is answered without the claim's limit; its
		// handling is not extended, its answer not reviewed
		{name: "suggestion accepted: no handling deadline", cases: []store.LoadCase{matter(edgeCase("G", "g", recv, accept), petition.MatterSuggestion)},
			check: func(v store.CaseView) string {
				if v.State.Stage() != petition.StageHandling || !v.State.Deadline.IsZero() || v.State.MatterType != petition.MatterSuggestion {
					return fmt.Sprintf("stage %q deadline %s matter %q: want handling without a deadline, a suggestion",
						v.State.Stage(), v.State.Deadline, v.State.MatterType)
				}
				return ""
			}},
		{name: "suggestion extended", refused: true, cases: []store.LoadCase{matter(edgeCase("G", "g", recv, accept,
			petition.Event{Type: petition.EventExtended, At: acceptedAt.Add(time.Hour), Days: 30}), petition.MatterSuggestion)}},
		{name: "review of an accusation's answer", refused: true, cases: []store.LoadCase{matter(edgeCase("A", "a", recv,
			with(decided[:2], petition.Event{Type: petition.EventReviewRequested, At: at("2026-04-10 10:00:00")})...), petition.MatterAccusation)}},
		// art. 23 ¶3: an objection to the bureau's transfer within 5 working
		// days of receiving it (Thursday 5 March: to 24:00 of Thursday the
		// 12th) sends the case back to the bureau's routing
		{name: "objection at the end of the 5 working days", cases: []store.LoadCase{routedEdge(edgeCase("O", "o", recv,
			petition.Event{Type: petition.EventTransferred, At: at("2026-03-05 10:00:00"), Unit: "u2"},
			petition.Event{Type: petition.EventObjected, At: at("2026-03-13 00:00:00")}))},
			check: func(v store.CaseView) string {
				if v.State.Status != petition.StatusRegistered || v.State.Unit != "u1" || v.State.Stage() != petition.StageRouting {
					return fmt.Sprintf("status %s unit %s: want back in routing with the bureau u1", v.State.Status, v.State.Unit)
				}
				return ""
			}},
		{name: "objection a second after", refused: true, cases: []store.LoadCase{routedEdge(edgeCase("O", "o", recv,
			petition.Event{Type: petition.EventTransferred, At: at("2026-03-05 10:00:00"), Unit: "u2"},
			petition.Event{Type: petition.EventObjected, At: at("2026-03-13 00:00:01")}))}},
		// art. 22(三): the bureau's assignment with a date, reported done
		{name: "assigned and reported done", cases: []store.LoadCase{routedEdge(edgeCase("A", "a", recv,
			petition.Event{Type: petition.EventTransferred, At: at("2026-03-05 10:00:00"), Unit: "u2", Due: calendar.Date(2026, 3, 31)},
			petition.Event{Type: petition.EventAccepted, At: at("2026-03-06 10:00:00")},
			petition.Event{Type: petition.EventCompletionReported, At: at("2026-03-30 10:00:00")}))},
			check: func(v store.CaseView) string {
				if v.State.AssignedDue != 0 || v.Events[0].Event.Due != calendar.Date(2026, 3, 31) {
					return fmt.Sprintf("open assignment %s, transfer's date %s: want ended, 2026-03-31", v.State.AssignedDue, v.Events[0].Event.Due)
				}
				return ""
			}},
		{name: "assigned, not yet reported", cases: []store.LoadCase{routedEdge(edgeCase("A", "a", recv,
			petition.Event{Type: petition.EventTransferred, At: at("2026-03-05 10:00:00"), Unit: "u2", Due: calendar.Date(2026, 3, 31)}))},
			check: func(v store.CaseView) string {
				if v.State.AssignedDue != calendar.Date(2026, 3, 31) || v.State.TransferredBy != "u1" {
					return fmt.Sprintf("open assignment %s by %q: want 2026-03-31 by u1", v.State.AssignedDue, v.State.TransferredBy)
				}
				return ""
			}},
		// 告知 completes the acceptance, here late (last day 17 March)
		{name: "redirected after the acceptance deadline", cases: []store.LoadCase{edgeCase("T", "t", recv,
			petition.Event{Type: petition.EventRedirected, At: at("2026-03-20 10:00:00")})},
			check: func(v store.CaseView) string {
				if last := v.Events[0]; v.State.Status != petition.StatusRedirected || last.CompletedStage != petition.StageAcceptance || !last.Late {
					return fmt.Sprintf("status %s, %+v: want redirected, acceptance completed late", v.State.Status, last)
				}
				return ""
			}},
		{name: "marked major twice", refused: true, cases: []store.LoadCase{persons(edgeCase("M", "m", recv,
			petition.Event{Type: petition.EventMarkedMajor, At: recv.Add(time.Minute)}), 60)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachWritePath(t, setup, func(t *testing.T, ctx context.Context, s *store.Store, write writeFunc) {
				err := write(ctx, s, rules, tc.cases)
				if tc.refused {
					if !errors.Is(err, petition.ErrTransition) {
						t.Fatalf("err = %v, want a refused transition", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				last := tc.cases[len(tc.cases)-1]
				st, err := s.CaseState(ctx, last.Case.CaseNo)
				if err != nil {
					t.Fatal(err)
				}
				if len(last.Events) > 0 && !st.LastEventAt.Equal(last.Events[len(last.Events)-1].At.Truncate(time.Second)) {
					t.Errorf("%s: last event at %s, want the edge event's, to the second", last.Case.CaseNo, st.LastEventAt)
				}
				if tc.check != nil {
					v, err := s.Case(ctx, last.Case.CaseNo)
					if err != nil {
						t.Fatal(err)
					}
					if problem := tc.check(v); problem != "" {
						t.Errorf("%s: %s", last.Case.CaseNo, problem)
					}
				}
				for no, want := range tc.wantRepeats {
					v, err := s.Case(ctx, no)
					if err != nil {
						t.Fatal(err)
					}
					if v.Repeat != want {
						t.Errorf("%s: repeat %v, want %v", no, v.Repeat, want)
					}
				}
			})
		})
	}
}

// Diversions are counted on every write path by the unit that held the
// matter and its category, and the count is what the facts count.
func TestDiversionsCountedOnEveryWritePath(t *testing.T) {
	recv := at("2026-03-02 10:00:00")
	cases := []store.LoadCase{
		edgeCase("D1", "d1", recv, petition.Event{Type: petition.EventDiverted, At: recv.Add(time.Hour), Procedure: "arbitration"}),
		matter(edgeCase("D2", "d2", recv, petition.Event{Type: petition.EventDiverted, At: recv.Add(time.Hour), Procedure: "discipline_inspection"}),
			petition.MatterAccusation),
	}
	eachWritePath(t, setup, func(t *testing.T, ctx context.Context, s *store.Store, write writeFunc) {
		if err := write(ctx, s, rules, cases); err != nil {
			t.Fatal(err)
		}
		var got []store.DiversionCount
		if err := s.Read(ctx, func(r *store.Reader) (err error) { got, err = store.AllDiversions.Read(ctx, r); return err }); err != nil {
			t.Fatal(err)
		}
		if want := "u1/other/arbitration=1 u1/other/discipline_inspection=1"; fmt.Sprint(diversionsString(got)) != want {
			t.Errorf("diversions %s, want %s", diversionsString(got), want)
		}
		talliesRecounted(t, ctx, s, shanghai, "after the writes")
	})
}

func diversionsString(rows []store.DiversionCount) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s/%s/%s=%d", r.Unit, r.Category, r.DivertedTo, r.Diversions))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// writeOneByOne creates each case and adds its events, one call each, as
// the API does.
func writeOneByOne(ctx context.Context, s *store.Store, r petition.Rules, cases []store.LoadCase) error {
	for _, lc := range cases {
		if _, _, err := s.CreateCase(ctx, r, lc.Case); err != nil {
			return err
		}
		for _, e := range lc.Events {
			if _, _, err := s.AddEvent(ctx, r, lc.Case.CaseNo, e); err != nil {
				return err
			}
		}
	}
	return nil
}
