package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// registerWrites is what a transaction's register writes leave for its end:
// the register's tallies (disputeTally) and the units whose disputes
// changed, whose versions it moves on (dispute_versions) so that a kept
// register (KeptRegister) reads them again.
type registerWrites struct {
	tally *tallyAdds
	units []string
}

func newRegisterWrites() *registerWrites { return &registerWrites{tally: disputeTally.adds()} }

// changed records that a dispute of unit was registered or moved.
func (w *registerWrites) changed(unit string) { w.units = append(w.units, unit) }

// write writes the tallies, then moves the changed units' versions on.
func (w *registerWrites) write(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	if err := w.tally.write(ctx, tx, d); err != nil {
		return err
	}
	return bumpUnits(ctx, tx, d, "dispute_versions", w.units)
}

// RegisterAt is what the register's gauges are read for: the instant, the
// zone of its dates, how long an inspection counts, the leader roles a
// high-risk dispute needs, and the start of the reporting month.
type RegisterAt struct {
	Now          time.Time
	Loc          *time.Location
	InspectEvery time.Duration
	CountyRoles  []string
	MonthStart   time.Time
}

// RegisterNow is the register at an instant: the open disputes by unit,
// category and risk, those not overdue now that were overdue earlier in the
// month by unit, and the open ones by what they could become.
type RegisterNow struct {
	Open           []OpenDisputeCount
	OverdueEarlier []UnitOverdue
	Potentials     []PotentialCount
}

// Register returns the register at at: from the kept register k, reading
// again only the units whose versions moved (and, when the month starts
// again, every unit's late disputes); with ReadFacts, or k nil, by the
// queries over the register itself, the reference.
func (r *Reader) Register(ctx context.Context, at RegisterAt, k *KeptRegister) (RegisterNow, error) {
	if r.facts || k == nil {
		return r.registerFacts(ctx, at)
	}
	return k.read(ctx, r.tx, at)
}

func (r *Reader) registerFacts(ctx context.Context, at RegisterAt) (RegisterNow, error) {
	var out RegisterNow
	var err error
	if out.Open, err = r.OpenDisputes(ctx, at.Now, at.Loc, at.InspectEvery, at.CountyRoles); err != nil {
		return RegisterNow{}, err
	}
	if out.OverdueEarlier, err = r.DisputesOverdueEarlier(ctx, at.Now, at.Loc, at.MonthStart); err != nil {
		return RegisterNow{}, err
	}
	if out.Potentials, err = r.OpenPotentials(ctx); err != nil {
		return RegisterNow{}, err
	}
	return out, nil
}

// KeptRegister keeps, from one refresh to the next, each unit's open
// disputes and the disputes with a late event since the month's start, as
// they stand. What the gauges count of them moves with the clock (overdue,
// inspected) and is counted anew at every refresh from what is kept, by
// petition.DisputeState's own rules; what is kept changes only with a write
// to the unit's register, which moves its version on (registerWrites), or
// with a new month. A refresh reads the versions, a row a unit, and the
// disputes only of the units whose version moved: not every open dispute.
// Its zero value keeps nothing yet.
type KeptRegister struct {
	mu         sync.Mutex
	monthStart int64 // the first second of the month the late disputes were read for
	units      map[string]keptUnit
}

// keptUnit is a unit's register as kept, and the version it was read at.
type keptUnit struct {
	version int64
	open    []keptRun               // the open disputes, by category and risk
	late    []petition.DisputeState // of the disputes late this month, how they stand
	counted *unitCount              // what count made of them; nil: none yet
}

// keptRun is a unit's open disputes of one category and risk: a row of
// the count, whose disputes it counts with no lookup a dispute (over a
// hundred thousand disputes the lookups were most of a refresh's count).
type keptRun struct {
	category, risk string
	disputes       []keptDispute
}

// keptDispute is an open dispute as the gauges count it.
type keptDispute struct {
	potential sql.NullString
	persons   int64
	st        petition.DisputeState
}

// registerColumns are the columns of a registerRow; registerOpenQuery reads
// the open disputes (of the units %s marks, or every unit) through
// idx_disputes_open_state and the rows for their potential.
const (
	registerColumns        = "unit, category, potential, persons_estimate, " + disputeStateColumns
	registerOpenQuery      = "SELECT " + registerColumns + " FROM disputes WHERE status = 'open'"
	registerLateQuery      = "SELECT " + registerColumns + " FROM disputes WHERE id IN (SELECT e.dispute_id FROM dispute_events e WHERE e.late = 1 AND e.at >= ?)"
	registerUnitsCondition = " AND unit IN (%s)"
)

// registerRow is a dispute as the register's gauges read it: where it
// stands, with its unit, category, potential and the persons at stake.
type registerRow struct {
	Unit            string         `db:"unit"`
	Category        string         `db:"category"`
	Potential       sql.NullString `db:"potential"`
	PersonsEstimate int64          `db:"persons_estimate"`
	disputeStateRow
}

// read brings k up to date in tx and counts the register at at.
func (k *KeptRegister) read(ctx context.Context, tx *sqlx.Tx, at RegisterAt) (RegisterNow, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	versions, err := unitVersions(ctx, tx, "dispute_versions")
	if err != nil {
		return RegisterNow{}, err
	}
	month := secondAtOrAfter(at.MonthStart)
	first := k.units == nil // every unit is read: none is stale
	lateAgain := first || month != k.monthStart
	units := make(map[string]keptUnit, len(k.units))
	for u, ku := range k.units {
		units[u] = ku
	}
	var stale []any // the units whose register changed: read again whole
	if !first {
		for u, v := range versions {
			if units[u].version != v {
				stale = append(stale, u)
				delete(units, u)
			}
		}
	}
	if lateAgain {
		for u, ku := range units {
			ku.late, ku.counted = nil, nil
			units[u] = ku
		}
	}
	open, err := registerRows(ctx, tx, "open disputes", registerOpenQuery, nil, stale, first)
	if err != nil {
		return RegisterNow{}, err
	}
	// a unit's disputes in order of category and risk: a run of each
	slices.SortFunc(open, func(a, b registerRow) int {
		return cmp.Or(strings.Compare(a.Unit, b.Unit), strings.Compare(a.Category, b.Category), strings.Compare(a.Risk, b.Risk))
	})
	for _, row := range open {
		ku := units[row.Unit]
		if n := len(ku.open); n == 0 || ku.open[n-1].category != row.Category || ku.open[n-1].risk != row.Risk {
			ku.open = append(ku.open, keptRun{category: row.Category, risk: row.Risk})
		}
		run := &ku.open[len(ku.open)-1]
		run.disputes = append(run.disputes, keptDispute{row.Potential, row.PersonsEstimate, row.state()})
		units[row.Unit] = ku
	}
	late, err := registerRows(ctx, tx, "disputes late this month", registerLateQuery, []any{month}, stale, lateAgain)
	if err != nil {
		return RegisterNow{}, err
	}
	for _, row := range late {
		ku := units[row.Unit]
		ku.late = append(ku.late, row.state())
		units[row.Unit] = ku
	}
	for u, v := range versions {
		ku := units[u]
		ku.version = v
		units[u] = ku
	}
	k.units, k.monthStart = units, month
	return k.count(at), nil
}

// registerRows reads q (with args) for the units of only, or for every unit
// when all is set; neither is no read.
func registerRows(ctx context.Context, tx *sqlx.Tx, what, q string, args, only []any, all bool) ([]registerRow, error) {
	switch {
	case all:
	case len(only) == 0:
		return nil, nil
	default:
		q += fmt.Sprintf(registerUnitsCondition, marks(len(only)))
		args = append(slices.Clone(args), only...)
	}
	return selectAll[registerRow](ctx, tx, what, q, args...)
}

// count counts the kept register at at, by petition.DisputeState's rules:
// what the facts' queries (registerFacts) say in SQL. A unit's count is
// made again only when its register changed or the instant is outside
// what its count holds for (unitCount).
func (k *KeptRegister) count(at RegisterAt) RegisterNow {
	var out RegisterNow
	today := calendar.DayOf(at.Now, at.Loc)
	for unit, ku := range k.units {
		if !ku.counted.holds(at, today) {
			ku.counted = ku.count(unit, at, today)
			k.units[unit] = ku
		}
		c := ku.counted
		out.Open = append(out.Open, c.open...)
		if c.earlier > 0 {
			out.OverdueEarlier = append(out.OverdueEarlier, UnitOverdue{Unit: unit, Overdue: c.earlier})
		}
		out.Potentials = append(out.Potentials, c.potentials...)
	}
	return out
}

// unitCount is a unit's count, and the instants it holds for: those of
// its local day from the instant it was made until the first inspection
// of its open disputes lapses (none: until the day ends), for the same
// inspection interval and county roles; else a dispute could have become
// overdue or lacking. Counting each of a hundred thousand kept disputes at
// every refresh cost 2.8 ms of CPU at ten million cases, though what it
// counts moves only at those instants.
type unitCount struct {
	today        calendar.Day
	from, until  time.Time // until zero: no inspection lapses later
	inspectEvery time.Duration
	countyRoles  []string
	open         []OpenDisputeCount
	earlier      int64 // the late disputes not overdue now
	potentials   []PotentialCount
}

// holds says whether c is the count at at, whose local day is today.
func (c *unitCount) holds(at RegisterAt, today calendar.Day) bool {
	return c != nil && c.today == today && !at.Now.Before(c.from) && (c.until.IsZero() || at.Now.Before(c.until)) &&
		c.inspectEvery == at.InspectEvery && slices.Equal(c.countyRoles, at.CountyRoles)
}

// count counts the unit's kept register at at, whose local day is today.
func (ku keptUnit) count(unit string, at RegisterAt, today calendar.Day) *unitCount {
	c := &unitCount{today: today, from: at.Now, inspectEvery: at.InspectEvery, countyRoles: slices.Clone(at.CountyRoles)}
	var missing []string // one slice for every dispute's missing haves
	potential := map[string]int64{}
	for _, run := range ku.open {
		c.open = append(c.open, OpenDisputeCount{Unit: unit, Category: run.category, Risk: run.risk})
		n := &c.open[len(c.open)-1]
		for _, d := range run.disputes {
			n.Open++
			n.Persons += d.persons
			if d.st.OverdueOn(today) {
				n.Overdue++
			}
			missing = d.st.AppendMissing(missing[:0], at.Now, at.InspectEvery, at.CountyRoles)
			for _, have := range missing {
				switch have {
				case petition.HaveLeader:
					n.NoLeader++
				case petition.HaveHandler:
					n.NoHandler++
				case petition.HaveDeadline:
					n.NoDeadline++
				case petition.HaveInspection:
					n.NoInspection++
				}
			}
			if lapses := d.st.InspectionLapses(at.InspectEvery); at.Now.Before(lapses) && (c.until.IsZero() || lapses.Before(c.until)) {
				c.until = lapses
			}
			if d.potential.Valid {
				potential[d.potential.String]++
			}
		}
	}
	for _, st := range ku.late {
		if !st.OverdueOn(today) {
			c.earlier++
		}
	}
	for p, n := range potential {
		c.potentials = append(c.potentials, PotentialCount{Unit: unit, Potential: p, Open: n})
	}
	return c
}
