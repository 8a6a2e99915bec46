package petition

import "time"

// Major matters (重大事项) and their report upward: every unit reports a
// matter that may have social impact to the county Party committee and
// government at once, and the bureau to the bureau above and the national
// bureau (2022 Reg. art. 25); concealing or delaying it is punished (art.
// 46(4)).

// ReportRecipients are those a major matter is reported to (2022 Reg. art.
// 25): every unit to the county Party committee and government, the bureau
// to the bureau above and on to the national bureau. The first is whom the
// report is owed to at once (State.MajorUnreported).
var ReportRecipients = []string{ReportCountyLeadership, "city_bureau", "province_bureau", "national_bureau"}

// ReportCountyLeadership is the county Party committee and government (本级党委和政府).
const ReportCountyLeadership = "county_leadership"

// recipientBit is to's bit in State.Reported; 0 for one not in ReportRecipients.
func recipientBit(to string) uint8 {
	for i, r := range ReportRecipients {
		if r == to {
			return 1 << i
		}
	}
	return 0
}

// Limit is a limit in force in [Start, End), a sensitive period's.
type Limit struct {
	Start, End time.Time
	Within     time.Duration
}

// ReportUpDeadline is when the report upward of a matter that became major
// at since is late: the limit in force at since (the shortest of the
// periods then active, else ReportUpWithin), since the duty arose then.
func (r Rules) ReportUpDeadline(since time.Time) time.Time {
	within := r.ReportUpWithin
	for _, l := range r.ReportUpLimits {
		if !since.Before(l.Start) && since.Before(l.End) && l.Within < within {
			within = l.Within
		}
	}
	return since.Add(within)
}

// Major reports whether case c is a major matter at receipt (重大事项, to be
// reported upward at once, art. 25): marked so by the intake, collective
// with at least MajorPersons persons, or a visit to the national bureau
// (进京访). A matter may also become major later (marked_major, or a
// high-risk dispute escalating into it).
func (r Rules) Major(c Case) bool {
	return c.Major || c.Persons >= r.MajorPersons || (SkipLevel(c.Channel, c.Level) && c.Level == NationalLevel)
}

// ReportedTo reports whether the case was reported to recipient to.
func (s State) ReportedTo(to string) bool {
	b := recipientBit(to)
	return b != 0 && s.Reported&b != 0
}

// MajorUnreported reports whether the case is a major matter the county
// leadership has not had reported to it yet, however long ago it became one.
// A matter stored before riskmon recorded reports (migration 19) has no
// MajorSince: whether it was reported riskmon cannot know, so it owes none.
func (s State) MajorUnreported() bool {
	return s.Major && !s.MajorSince.IsZero() && !s.ReportedTo(ReportCountyLeadership)
}

// BecameMajor is s once the matter became major at at (marked_major, or a
// high-risk dispute escalating into it); s itself when it was major already.
func (s State) BecameMajor(at time.Time) State {
	if !s.Major {
		s.Major, s.MajorSince = true, at
	}
	return s
}
