package store

import (
	"strings"
	"time"

	"riskmon/petition"
)

// The columns of the cases and case_events tables, each list named once; the
// row structs (caseRow, stateRow, eventRow) carry the same names as db tags.
const (
	// caseContentColumns are a case's content as received: never updated.
	caseContentColumns = "case_no, received_at, channel, category, received_unit, persons, level, petitioner_hash, " +
		"repeat_of, supervised, routing, major, matter_type, received_matter"
	// caseRegistrationColumns say when riskmon stored the case and whether
	// that was timely (petition.Rules.Timely).
	caseRegistrationColumns = "registered_at, timely"
	// caseFlagColumns are the signals derived at receipt (is_repeat may be
	// set later, when an earlier case of the matter arrives late).
	caseFlagColumns = "collective, skip_level, is_repeat"
	// caseStateColumns are what the case's history adds up to, updated with
	// every event; stage is derived from status, for the backlog's index.
	// stage_start and extension_days are what the deadline is computed from
	// (petition.Rules.WithDeadline); stage_deadline caches the result.
	// major_unreported is derived too (petition.State.MajorUnreported), for
	// the collector's index.
	caseStateColumns = "status, stage, unit, stage_start, stage_deadline, extended, extension_days, hearing_since, " +
		"paused_days, decided_at, " +
		"decision, delivered_at, evaluated, supervision, supervision_answered, " +
		"is_major, major_since, reported_to, major_unreported, assigned_due, transferred_by, transferred_at, matter, last_event_at, last_seq"
	// caseColumns are the columns a new case is inserted with (caseValues).
	caseColumns = caseContentColumns + ", " + caseRegistrationColumns + ", " + caseFlagColumns + ", " + caseStateColumns
	// eventColumns are the columns of a stored event (eventValues, eventRow).
	eventColumns = "case_id, seq, type, at, unit, completed_stage, late, days, result, new_unit, level, report_to, diverted_to, due, matter, recorded_by"
)

// columns splits a column list.
func columns(list string) []string { return strings.Split(list, ", ") }

// caseValues are the values of caseColumns for a case registered at
// registered with repeat as its derived flag, in state st after seq events.
func caseValues(r petition.Rules, c petition.Case, registered time.Time, repeat bool, st petition.State, seq int) []any {
	return append([]any{
		c.CaseNo, c.ReceivedAt.Unix(), c.Channel, c.Category, c.Unit, c.Persons, c.Level, c.PetitionerHash,
		nullString(c.RepeatOf), c.Supervised, c.Routing, c.Major, st.MatterType, nullString(c.Matter),
		registered.Unix(), r.Timely(c.ReceivedAt, registered),
		r.Collective(c.Persons), petition.SkipLevel(c.Channel, c.Level), repeat,
	}, stateValues(st, seq)...)
}

// receiptOf is what c, registered at registered, adds to the receipt tally.
func receiptOf(r petition.Rules, c petition.Case, registered time.Time, repeat bool) receipt {
	return receipt{at: c.ReceivedAt.Unix(), cases: 1, persons: c.Persons, collective: r.Collective(c.Persons),
		skipLevel: petition.SkipLevel(c.Channel, c.Level), repeat: repeat, timely: r.Timely(c.ReceivedAt, registered)}
}

// stateValues are the values of caseStateColumns for state st after seq events.
func stateValues(st petition.State, seq int) []any {
	return []any{
		st.Status, nullString(st.Stage()), st.Unit, nullUnix(st.StageStart), nullUnix(st.Deadline), st.Extended(),
		st.Extension, nullUnix(st.HearingSince), st.Paused, nullUnix(st.DecidedAt), nullString(st.Decision),
		nullUnix(st.DeliveredAt), st.Evaluated, nullString(st.Supervision), st.SupervisionAnswered,
		st.Major, nullUnix(st.MajorSince), st.Reported, st.MajorUnreported(), nullDay(st.AssignedDue), nullString(st.TransferredBy),
		nullUnix(st.TransferredAt), nullString(st.Matter), st.LastEventAt.Unix(), seq,
	}
}
