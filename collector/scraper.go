package collector

import (
	"context"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// Scraper reads one data source of a refresh and emits its metrics. Every
// known combination of labels is emitted, 0 where nothing matches, so that
// increase() sees the first event of a unit.
type Scraper interface {
	Name() string
	Scrape(ctx context.Context, r *store.Reader, env *Env, emit Emit) error
}

// Emit adds one const metric to the snapshot under construction.
type Emit func(d typedDesc, v float64, labels ...string)

// Env is what every scraper of one refresh shares: the moment, the rules and
// the label vocabularies read at the start of the refresh.
type Env struct {
	Now              time.Time
	Rules            petition.Rules
	Units            []store.Unit
	Categories       []store.Category
	SensitivePeriods map[string]bool // name -> active now
	Sensitive        bool            // some period is active now
	Disputes         petition.DisputeRules
	Matters          petition.MatterRules
	PeriodStarts     []time.Time // of every configured sensitive period
}

// InspectEvery is how long an inspection of a dispute counts now.
func (e *Env) InspectEvery() time.Duration { return e.Disputes.InspectEvery(e.Sensitive) }

// WindowStarts returns the start of each window of Windows: local midnight for
// today, then rolling 7 and 30 days and 1 hour.
func (e *Env) WindowStarts() []time.Time {
	local := e.Now.In(e.Rules.Location)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, e.Rules.Location)
	return []time.Time{midnight, e.Now.Add(-7 * 24 * time.Hour), e.Now.Add(-30 * 24 * time.Hour), e.Now.Add(-time.Hour)}
}

// ReportingPeriodStarts returns the first local day of the calendar month and
// of the calendar quarter containing now, in the order of ReportingPeriods.
func (e *Env) ReportingPeriodStarts() []calendar.Day {
	local := e.Now.In(e.Rules.Location)
	month := time.Date(local.Year(), local.Month(), 1, 12, 0, 0, 0, e.Rules.Location)
	quarter := time.Date(local.Year(), (local.Month()-1)/3*3+1, 1, 12, 0, 0, 0, e.Rules.Location)
	return []calendar.Day{calendar.DayOf(month, e.Rules.Location), calendar.DayOf(quarter, e.Rules.Location)}
}

// unitAnd keys a count by unit and one other label: a category, a stage or
// an evaluation result.
type unitAnd struct{ unit, label string }

// eachUnit calls fn for every unit code.
func (e *Env) eachUnit(fn func(unit string)) {
	for _, u := range e.Units {
		fn(u.Code)
	}
}

// eachUnitCategory calls fn for every unit and category code.
func (e *Env) eachUnitCategory(fn func(unit, category string)) {
	for _, u := range e.Units {
		for _, c := range e.Categories {
			fn(u.Code, c.Code)
		}
	}
}

// DefaultScrapers are the scrapers of a refresh.
func DefaultScrapers() []Scraper {
	return []Scraper{
		Reference{}, SensitivePeriods{}, Receipts{&store.KeptReceipts{}}, Completions{}, Evaluations{}, Requests{}, Diversions{}, ReceiptWindows{&store.KeptWindows{}}, Backlog{&store.KeptBacklog{}}, Supervision{}, Assignments{&store.KeptAssignments{}}, MajorMatters{&store.KeptDaySums{}}, PeriodCompletions{&store.KeptDaySums{}}, PeriodEvaluations{&store.KeptDaySums{}},
		Disputes{&store.KeptRegister{}}, DisputeCounts{}, UnitReports{}, UnitScreenings{}, Matters{&store.KeptActivity{}}, CategorySurge{&windowDays{}, &usualWeeks{}}, LongUnresolved{&store.KeptHistories{}},
	}
}

// orderedSums adds counts by key and gives them back in the order their
// keys were first added: a family emitted from rows read in one order comes
// out in that order at every refresh, and the encoder reuses it while it is
// unchanged (a map's order would make it new each time).
type orderedSums[K comparable] struct {
	n     map[K]int64
	order []K
}

func (s *orderedSums[K]) add(k K, v int64) {
	if s.n == nil {
		s.n = map[K]int64{}
	}
	if _, ok := s.n[k]; !ok {
		s.order = append(s.order, k)
	}
	s.n[k] += v
}

// positive calls fn with each key whose sum is above 0, in order.
func (s *orderedSums[K]) positive(fn func(K, int64)) {
	for _, k := range s.order {
		if v := s.n[k]; v > 0 {
			fn(k, v)
		}
	}
}
