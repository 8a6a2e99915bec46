package petition

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"riskmon/calendar"
)

// Rules are the configurable parameters of petition work. The zero value is not
// usable: start from DefaultRules.
type Rules struct {
	RoutingDays         int           // 转送/交办: the petition bureau passes a case on within N days (2022 Reg. art. 22 ¶1)
	AcceptanceDays      int           // 受理: decide within N days of receipt (2022 Reg. art. 23)
	HandlingDays        int           // 办理: reply within N days of acceptance (art. 34), for a claim
	SuggestionReplyDays int           // a suggestion is answered within N days of acceptance; 0: no limit (art. 29)
	MaxExtensionDays    int           // one extension of handling, at most N days (art. 34)
	ReviewDays          int           // 复查 decision within N days of the request (art. 35)
	ReReviewDays        int           // 复核 decision within N days of the request (art. 36)
	RequestWindowDays   int           // a review may be requested within N days of the decision
	DueSoon             time.Duration // warning horizon before a deadline
	CollectiveThreshold int           // persons at or above which a petition is collective
	RepeatLookbackDays  int           // same person + same matter within N days is a repeat
	BackfillHorizon     time.Duration // a case registered this long after its receipt is history: it pages nobody
	// Earliest is the first day (00:00 local) on which a case may be
	// received or a dispute found: a time before it (0001-01-01, 1900-…) is
	// a typo or a client's zero value, and would be counted as long overdue.
	Earliest     calendar.Day
	MajorPersons int // a collective petition of at least N persons is a major matter (art. 25)
	// ReportUpWithin is how soon a major matter is reported upward (art.
	// 25: 及时, "at once"); ReportUpLimits may shorten it in sensitive periods.
	ReportUpWithin time.Duration
	ReportUpLimits []Limit
	Location       *time.Location // days are the local days of this zone

	// Calendar says which days are rest days; Roll whether a period whose
	// last day is one ends on the next working day; DayCount how each stage
	// counts its days (calendar days when a stage is missing).
	Calendar *calendar.Calendar
	Roll     calendar.Roll
	DayCount map[string]calendar.Count
}

// DefaultRules returns the statutory limits of the Regulations on Petition
// Work (信访条例 2005 arts. 21-22 and 33-35, kept by the 2022 信访工作条例), the
// shipped holiday calendar and the county's default thresholds, in the given
// zone.
func DefaultRules(loc *time.Location) Rules {
	return Rules{
		RoutingDays:         15,
		AcceptanceDays:      15,
		HandlingDays:        60,
		MaxExtensionDays:    30,
		ReviewDays:          30,
		ReReviewDays:        30,
		RequestWindowDays:   30,
		DueSoon:             72 * time.Hour,
		CollectiveThreshold: 5,
		RepeatLookbackDays:  365,
		BackfillHorizon:     24 * time.Hour,
		Earliest:            calendar.Date(2000, 1, 1),
		MajorPersons:        50,
		ReportUpWithin:      time.Hour,
		Location:            loc,
		Calendar:            calendar.Shipped(),
		Roll:                calendar.RollRestDays,
	}
}

// AddDays adds n calendar days in the rules' zone, keeping the local time of
// day: a rolling window (the repeat look-back), not a legal period.
func (r Rules) AddDays(t time.Time, n int) time.Time {
	return t.In(r.Location).AddDate(0, 0, n).UTC()
}

// stageDays is the length of a stage's period in days.
func (r Rules) stageDays(stage string) int {
	switch stage {
	case StageRouting:
		return r.RoutingDays
	case StageAcceptance:
		return r.AcceptanceDays
	case StageHandling:
		return r.HandlingDays
	case StageReview:
		return r.ReviewDays
	case StageReReview:
		return r.ReReviewDays
	}
	return 0
}

// dayCount is how stage counts its days: calendar days unless configured.
func (r Rules) dayCount(stage string) calendar.Count {
	if c := r.DayCount[stage]; c != "" {
		return c
	}
	return calendar.CalendarDays
}

// DeadlineFingerprint identifies everything a stored deadline is computed
// from: the stages' days and how they are counted, the roll-forward rule,
// the zone and the calendar. When it changes, stored deadlines are stale.
func (r Rules) DeadlineFingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%d %d %d %d %d %s %s", r.RoutingDays, r.AcceptanceDays, r.HandlingDays, r.ReviewDays, r.ReReviewDays, r.Location, r.Roll)
	if r.SuggestionReplyDays != 0 { // absent when unset, so that older fingerprints stay valid
		fmt.Fprintf(h, " suggestion=%d", r.SuggestionReplyDays)
	}
	for _, st := range Stages {
		fmt.Fprintf(h, " %s=%s", st, r.dayCount(st))
	}
	fmt.Fprintf(h, " %s", r.Calendar.Fingerprint())
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// RequestWindowEnd is when a petitioner's window to ask for a review (or
// re-review) of a decision given at decided closes: a period in calendar
// days, moved past rest days like any other.
func (r Rules) RequestWindowEnd(decided time.Time) time.Time {
	end, _ := r.Calendar.PeriodEnd(decided, r.Location, r.RequestWindowDays, calendar.CalendarDays, r.Roll)
	return end.UTC()
}

// ObjectionDays is the period, in working days from receipt, within which a
// unit objects to a transfer outside its remit (2022 Reg. art. 23 ¶3).
const ObjectionDays = 5

// ObjectionWindowEnd is when the window to object to a transfer received at
// transferred closes: 24:00 of the fifth working day after it.
func (r Rules) ObjectionWindowEnd(transferred time.Time) time.Time {
	end, _ := r.Calendar.PeriodEnd(transferred, r.Location, ObjectionDays, calendar.WorkingDays, r.Roll)
	return end.UTC()
}

// AssignmentOverdue reports whether the completion report of an assigned
// matter (交办) is past its date: after 24:00 of the due day.
func (s State) AssignmentOverdue(now time.Time, loc *time.Location) bool {
	return s.AssignedDue != 0 && now.After((s.AssignedDue + 1).Start(loc))
}

// Timely reports whether a case received at received and registered at
// registered is news rather than history: registered within the backfill
// horizon of its receipt. Only timely receipts page (collective, skip-level).
func (r Rules) Timely(received, registered time.Time) bool {
	return registered.Sub(received) <= r.BackfillHorizon
}

// Collective reports whether a petition by this many persons is collective (集体访).
func (r Rules) Collective(persons int) bool {
	return persons >= r.CollectiveThreshold
}

// RepeatSince is the earliest receipt time of an earlier case that makes a case
// received at t a repeat under the derived rule (same petitioner, category and
// unit within the look-back). The window is [RepeatSince(t), t).
func (r Rules) RepeatSince(t time.Time) time.Time {
	return r.AddDays(t, -r.RepeatLookbackDays)
}

// Repeats is the derived repeat rule (同人同事): a case received at t repeats
// a case of the same petitioner, category and unit received at earlier when
// earlier lies in [RepeatSince(t), t). Every write path applies it through
// this function; the store's tests check it against the same rule in SQL.
func (r Rules) Repeats(earlier, t time.Time) bool {
	return earlier.Before(t) && !earlier.Before(r.RepeatSince(t))
}

// Statuses of a case. A status names the last step that changed it.
const (
	StatusRegistered        = "registered" // at the petition bureau, to be passed on (routing)
	StatusReceived          = "received"
	StatusAccepted          = "accepted"
	StatusNotAccepted       = "not_accepted"
	StatusReplied           = "replied"
	StatusReviewRequested   = "review_requested"
	StatusReviewed          = "reviewed"
	StatusReReviewRequested = "re_review_requested"
	StatusReReviewed        = "re_reviewed"
	StatusClosed            = "closed"
	StatusDiverted          = "diverted"   // into another procedure (art. 31(1)-(5), 28, 30): out of the petition procedure
	StatusRedirected        = "redirected" // the petitioner was told to go to the competent organ (告知, arts. 22-23)
)

// StageOf returns the stage a case in status is open in, or "" when it is open
// in none (waiting on the petitioner, not accepted, or closed).
func StageOf(status string) string {
	switch status {
	case StatusRegistered:
		return StageRouting
	case StatusReceived:
		return StageAcceptance
	case StatusAccepted:
		return StageHandling
	case StatusReviewRequested:
		return StageReview
	case StatusReReviewRequested:
		return StageReReview
	}
	return ""
}

// State is what a case's history adds up to; the store keeps it on the case row.
type State struct {
	MatterType   string // the case's matter type (MatterTypes), fixed at receipt; "" is a claim
	Matter       string // the registered matter it raises, from receipt or a linked event; "" for none
	Status       string
	Unit         string
	StageStart   time.Time // the event that started the open stage's clock; zero when open in none
	Extension    int       // days handling was extended by (allowed once); 0 if not
	HearingSince time.Time // a re-review hearing (听证) is under way since then: the clock is paused
	Paused       int       // days the re-review spent in hearings
	Deadline     time.Time // deadline of the open stage, by the rules that computed it; zero when open in none
	DecidedAt    time.Time // last reply or review decision: starts the request window
	Decision     string    // that decision: StatusReplied, StatusReviewed or StatusReReviewed; "" before the first
	DeliveredAt  time.Time // when the petitioner received it (reply_delivered); the window counts from it when set
	Evaluated    bool      // the petitioner has evaluated that decision (once only)
	Supervision  string    // the highest level supervising the case (SupervisionLevels); "" when none
	// SupervisionAnswered: the organ answered that level's supervision in
	// writing (supervision_answered, art. 40 ¶4)
	SupervisionAnswered bool
	// AssignedDue is the date by which the unit reports an assigned matter
	// done (交办, art. 22(三)), 0 when none is open; TransferredBy and
	// TransferredAt name who passed the case on and when, for an objection
	// (art. 23 ¶3), empty when it was not transferred.
	AssignedDue   calendar.Day
	TransferredBy string
	TransferredAt time.Time
	Major         bool      // a major matter (Rules.Major, marked_major): reported upward at once
	MajorSince    time.Time // when it became one: the report's limit counts from it; zero for one stored before reports were recorded
	Reported      uint8     // the ReportRecipients it was reported to, a bit each (ReportedTo)
	LastEventAt   time.Time // receipt or the latest event
}

// Extended reports whether handling was extended.
func (s State) Extended() bool { return s.Extension > 0 }

// WithDeadline is s with its deadline computed by r from its stage's clock
// start: the deadline a row stores is a cache of the rules, and this is how
// it is refreshed when the rules change. A stage paused for a hearing has no
// deadline until the hearing ends.
func (r Rules) WithDeadline(s State) State {
	s.Deadline, _ = r.StageDeadline(s)
	return s
}

// StageDeadline is the deadline of s's open stage by r: 24:00 local time of
// the last day of the stage's period, lengthened by its extra days (an
// extension of handling, the days a re-review spent in hearings) and moved
// past rest days as r.Roll says (calendar.Calendar.PeriodEnd); rolledFrom is
// the end before any move, equal to end when it did not move. Both are zero
// when the case is open in no stage, paused for a hearing, or in a stage its
// matter type gives no limit (a suggestion's answer without
// suggestion_reply_days, an accusation's handling).
func (r Rules) StageDeadline(s State) (end, rolledFrom time.Time) {
	stage := s.Stage()
	if stage == "" || !s.HearingSince.IsZero() {
		return time.Time{}, time.Time{}
	}
	days := r.stageDays(stage)
	if stage == StageHandling {
		if days = r.handlingDays(s); days == 0 {
			return time.Time{}, time.Time{}
		}
	}
	if r.Calendar == nil {
		panic("petition: Rules without a calendar (start from DefaultRules)")
	}
	end, rolledFrom = r.Calendar.PeriodEnd(s.StageStart, r.Location, days+s.ExtraDays(), r.dayCount(stage), r.Roll)
	return end.UTC(), rolledFrom.UTC()
}

// ExtraDays is what lengthens the open stage's period: the extension of
// handling, or the days the re-review spent in hearings (听证), which do not
// count.
func (s State) ExtraDays() int {
	switch s.Stage() {
	case StageHandling:
		return s.Extension
	case StageReReview:
		return s.Paused
	}
	return 0
}

// Stage is the stage the case is open in, or "".
func (s State) Stage() string { return StageOf(s.Status) }

// Overdue reports whether the case is open in a stage past its deadline. At the
// deadline itself it is still on time.
func (s State) Overdue(now time.Time) bool {
	return s.Stage() != "" && !s.Deadline.IsZero() && now.After(s.Deadline)
}

// DueSoon reports whether the open stage's deadline is still ahead but within
// the horizon.
func (s State) DueSoon(now time.Time, horizon time.Duration) bool {
	return s.Stage() != "" && !s.Deadline.IsZero() && !now.After(s.Deadline) && !s.Deadline.After(now.Add(horizon))
}

// Received returns the state of case c just received. A case received under
// supervision (督办/包案 at receipt) is supervised by the county.
func (r Rules) Received(c Case) State {
	st := State{
		MatterType:  MatterOf(c.MatterType),
		Matter:      c.Matter,
		Status:      StatusReceived,
		Unit:        c.Unit,
		StageStart:  c.ReceivedAt,
		LastEventAt: c.ReceivedAt,
	}
	if c.Supervised {
		st.Supervision = SupervisionLevels[0]
	}
	if r.Major(c) {
		st.Major, st.MajorSince = true, c.ReceivedAt
	}
	if c.Routing {
		st.Status = StatusRegistered
	}
	return r.WithDeadline(st)
}
