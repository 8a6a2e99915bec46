package petition

import (
	"fmt"
	"sort"
)

// Matters (the problem many petitioners raise: one demolition project, one
// enterprise's unpaid wages, one village's land requisition) are how a
// collective petition forms before anyone stands in the hall: different
// people raising the same matter in a short time. A matter is registered by
// the bureau with a code, a name, the unit that answers for it and its
// category; cases and disputes name it. Everything here counts matters:
// distinct petitioners are counted from the keyed hashes, and only counts
// leave the store. Leaders take such matters up as one (包案, 2022 Reg. art.
// 18 ¶2) and answer all who raised it at once.

// MatterCodeProblem is the problem with v as a matter code
// (^[a-z0-9][a-z0-9_-]{0,63}$), or nil when v is one.
func MatterCodeProblem(field, v string) []Problem {
	ok := len(v) >= 1 && len(v) <= 64
	for i := 0; ok && i < len(v); i++ {
		switch b := v[i]; {
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
		case (b == '_' || b == '-') && i > 0:
		default:
			ok = false
		}
	}
	if ok {
		return nil
	}
	return []Problem{{field, fmt.Sprintf("%q must be 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit", v)}}
}

// MatterRules are the configurable values of the rising rule.
type MatterRules struct {
	// A matter is rising with at least RisingPetitioners distinct
	// petitioners in RisingWindow, RisingPetitionersSensitive in a sensitive
	// period.
	RisingPetitioners, RisingPetitionersSensitive int
	// RisingShown is how many rising matters are exported by name (the
	// busiest first): the series stay bounded however many rise.
	RisingShown int
	// A matter is long-unresolved (积案) when petitioned BacklogRepeats
	// times in 12 months, or with a case open longer than BacklogDays
	// (longunresolved.go).
	BacklogRepeats, BacklogDays int
}

// RisingWindowDays is the window of the rising rule, in days; the 30-day
// window is shown beside it.
const RisingWindowDays = 7

// RisingMin is the distinct petitioners in the window at which a matter
// rises, in or out of a sensitive period.
func (r MatterRules) RisingMin(sensitive bool) int {
	if sensitive {
		return r.RisingPetitionersSensitive
	}
	return r.RisingPetitioners
}

// MatterActivity is what riskmon counts of one matter at an instant: per
// window (7 and 30 days, by receipt), the distinct petitioners, the cases
// and the persons; and its open disputes in the register.
type MatterActivity struct {
	Code, Name, Unit, Category string
	Petitioners7               int
	Petitioners30              int
	Cases7, Cases30            int
	Persons7, Persons30        int
	OpenDisputes               int
	HighRiskDisputes           int // open disputes of high risk naming the matter
}

// Rising reports whether the matter is rising: enough distinct petitioners
// in the window, or any new case while an open high-risk dispute names it
// (the register said it could become a petition, and it has begun to).
func (r MatterRules) Rising(a MatterActivity, sensitive bool) bool {
	return a.Petitioners7 >= r.RisingMin(sensitive) || (a.Cases7 > 0 && a.HighRiskDisputes > 0)
}

// RisingOf returns the rising matters of all, the busiest first (most
// petitioners in the window, then an open high-risk dispute, then most
// cases, then by code, so that the order is the same at every refresh).
func (r MatterRules) RisingOf(all []MatterActivity, sensitive bool) []MatterActivity {
	var rising []MatterActivity
	for _, a := range all {
		if r.Rising(a, sensitive) {
			rising = append(rising, a)
		}
	}
	sort.Slice(rising, func(i, j int) bool {
		a, b := rising[i], rising[j]
		switch {
		case a.Petitioners7 != b.Petitioners7:
			return a.Petitioners7 > b.Petitioners7
		case (a.HighRiskDisputes > 0) != (b.HighRiskDisputes > 0):
			return a.HighRiskDisputes > 0
		case a.Cases7 != b.Cases7:
			return a.Cases7 > b.Cases7
		}
		return a.Code < b.Code
	})
	return rising
}

// Shown is the rising matters exported by name: the first r.RisingShown of
// rising, busiest first as RisingOf orders them.
func (r MatterRules) Shown(rising []MatterActivity) []MatterActivity {
	return rising[:min(len(rising), r.RisingShown)]
}
