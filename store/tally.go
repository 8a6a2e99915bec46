package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/calendar"
	"riskmon/petition"
)

// maxTallyValues is the most value columns a tally table has.
const maxTallyValues = 7

// tallyAdds collects additions to the rows of one tally table, so that a
// transaction writes each table in a statement or a few.
type tallyAdds struct {
	table   string
	keyCols []string // the key columns, the integer one (shard or day) last
	valCols []string
	rows    map[tallyKey]*[maxTallyValues]int
}

// tallyKey is a tally row's key: its text columns in keyCols' order (the
// unused ones empty) and its integer column, last in keyCols: the shard, or
// the day of the day tally. A fixed array keeps counting a million cases
// free of allocations.
type tallyKey struct {
	cols [4]string
	num  int
}

func newTallyAdds(table string, keyCols, valCols []string) *tallyAdds {
	return &tallyAdds{table: table, keyCols: keyCols, valCols: valCols, rows: map[tallyKey]*[maxTallyValues]int{}}
}

// caseTallies count what cases add as they are stored: their receipt, all
// time (receiptTally) and by the hour and UTC day of receipt (the windows),
// and where they stand now (stateTallies). Events move a case in the latter
// through updateStates.
type caseTallies struct {
	receipts, buckets *tallyAdds
	state             stateTallies
}

func newCaseTallies() caseTallies {
	return caseTallies{receiptTally.adds(), receiptBucketTally.adds(), newStateTallies()}
}

// tables are the tallies a new case adds to, in the order every writer
// writes them.
func (t caseTallies) tables() []*tallyAdds {
	return append([]*tallyAdds{t.receipts, t.buckets}, t.state.tables()...)
}

// write writes the tallies. New cases move no version of the backlog's
// keys: they move the keys' counts (stateTallies.movedKeys).
func (t caseTallies) write(ctx context.Context, ex sqlx.ExecerContext, d dialect) error {
	return writeTallies(ctx, ex, d, t.tables())
}

// merge adds o's counts to t's.
func (t caseTallies) merge(o caseTallies) { mergeTallies(t.tables(), o.tables()) }

// writeTallies writes each of ts, in order.
func writeTallies(ctx context.Context, ex sqlx.ExecerContext, d dialect, ts []*tallyAdds) error {
	for _, ta := range ts {
		if err := ta.write(ctx, ex, d); err != nil {
			return err
		}
	}
	return nil
}

// mergeTallies adds each of from to the tally in the same place of into.
func mergeTallies(into, from []*tallyAdds) {
	for i, ta := range into {
		ta.merge(from[i])
	}
}

// receipt is what one case adds to the receipt tallies.
type receipt struct {
	at                                    int64 // received_at, Unix seconds
	cases, persons                        int
	collective, skipLevel, repeat, timely bool
}

// countReceipt adds a received case, shard by its number, with the matter
// and channel and level given (those of a later case it made a repeat), to
// the all-time receipts and to the windows' hours and days.
func (t caseTallies) countReceipt(caseNo, unit, category, channel, level string, rc receipt) {
	timely := b2i(rc.timely)
	t.receipts.add(tallyKey{[4]string{unit, category, channel, level}, shardOf(caseNo)}, rc.cases, rc.persons,
		b2i(rc.collective), b2i(rc.repeat), timely*rc.cases, timely*b2i(rc.collective))
	vals := []int{rc.cases, b2i(rc.collective), b2i(rc.skipLevel), b2i(rc.repeat)}
	for span, secs := range spanSeconds {
		t.buckets.add(tallyKey{[4]string{span, unit, category}, int(floorDiv(rc.at, secs))}, vals...)
	}
}

// eventTallies count what events completed: stages (on time or late), all
// time and by the local day of loc; evaluations, all time and by day;
// review requests; reports upward by day.
type eventTallies struct {
	completions, evaluations, requests, diversions *tallyAdds
	days                                           dayTallies
	loc                                            *time.Location
}

func newEventTallies(loc *time.Location) eventTallies {
	return eventTallies{
		completions: completionTally.adds(),
		evaluations: evaluationTally.adds(),
		requests:    requestTally.adds(),
		diversions:  diversionTally.adds(),
		days:        newDayTallies(),
		loc:         loc,
	}
}

// tables are every tally the events add to, in the order every writer
// writes them.
func (t eventTallies) tables() []*tallyAdds {
	return []*tallyAdds{t.completions, t.days.completions, t.evaluations, t.days.evaluations, t.requests, t.days.reports, t.diversions}
}

// dayTallies count by local day what the rates of a calendar month or
// quarter need: stage completions (on-time rate), evaluations (satisfaction
// and participation) and reports upward (within the limit or after).
// rebuildDayTallies fills them too, from the events.
type dayTallies struct {
	completions, evaluations, reports *tallyAdds
}

func newDayTallies() dayTallies {
	return dayTallies{
		completions: completionDayTally.adds(),
		evaluations: evaluationDayTally.adds(),
		reports:     reportDayTally.adds(),
	}
}

// tables are the day tallies, in the order they are written.
func (t dayTallies) tables() []*tallyAdds {
	return []*tallyAdds{t.completions, t.evaluations, t.reports}
}

// countDay adds a fact about unit and key (a stage, a result, a recipient)
// on the local day of at.
func (t *tallyAdds) countDay(unit, key string, at time.Time, loc *time.Location, vals ...int) {
	t.add(tallyKey{[4]string{unit, key}, int(calendar.DayOf(at, loc))}, vals...)
}

// countDays adds one stored event to the day tallies; unit is the case's
// when it happened. What an event adds is decided here alone, for the
// writers and the rebuild.
func (t dayTallies) countDays(unit string, e petition.Event, completed string, late bool, loc *time.Location) {
	if completed != "" {
		t.completions.countDay(unit, completed, e.At, loc, 1, b2i(late))
	}
	if e.Result != "" {
		t.evaluations.countDay(unit, e.Result, e.At, loc, 1)
	}
	if e.To != "" {
		t.reports.countDay(unit, e.To, e.At, loc, 1, b2i(late))
	}
}

// count adds an applied event of a case of category, under the unit the
// case had then.
func (t eventTallies) count(caseID int64, unit, category string, e petition.Event, out petition.Outcome) {
	shard := int(caseID % tallyShards)
	if out.CompletedStage != "" {
		t.completions.add(tallyKey{[4]string{unit, out.CompletedStage}, shard}, 1, b2i(out.Late))
	}
	t.days.countDays(unit, e, out.CompletedStage, out.Late, t.loc)
	if e.Spec().Field == petition.FieldResult {
		t.evaluations.add(tallyKey{[4]string{unit, e.Result}, shard}, 1)
	}
	// review and re-review requests, by the unit whose decision they
	// contest, and of them those the record shows outside the window
	if stage := petition.RequestedStage(e.Type); stage != "" {
		t.requests.add(tallyKey{[4]string{unit, stage}, shard}, 1, b2i(out.Late))
	}
	// matters diverted into another procedure, by the unit that held them
	if e.Procedure != "" {
		t.diversions.add(tallyKey{[4]string{unit, category, e.Procedure}, shard}, 1)
	}
}

func (t eventTallies) write(ctx context.Context, ex sqlx.ExecerContext, d dialect) error {
	return writeTallies(ctx, ex, d, t.tables())
}

// merge adds o's counts to t's.
func (t eventTallies) merge(o eventTallies) { mergeTallies(t.tables(), o.tables()) }

func (t *tallyAdds) add(k tallyKey, vals ...int) {
	row := t.rows[k]
	if row == nil {
		row = &[maxTallyValues]int{}
		t.rows[k] = row
	}
	for i, v := range vals {
		row[i] += v
	}
}

// write adds the collected values in statements of at most bulkRows rows.
// Rows go in key order: every writer locks tally rows in the same order, so
// two transactions never wait for each other in a circle.
func (t *tallyAdds) write(ctx context.Context, ex sqlx.ExecerContext, d dialect) error {
	keys := make([]tallyKey, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b tallyKey) int {
		return cmp.Or(slices.Compare(a.cols[:], b.cols[:]), cmp.Compare(a.num, b.num))
	})
	keys = slices.DeleteFunc(keys, func(k tallyKey) bool { return *t.rows[k] == [maxTallyValues]int{} }) // moved away and back
	texts := len(t.keyCols) - 1
	for start := 0; start < len(keys); start += bulkRows {
		chunk := keys[start:min(start+bulkRows, len(keys))]
		args := make([]any, 0, len(chunk)*(len(t.keyCols)+len(t.valCols)))
		for _, k := range chunk {
			for _, c := range k.cols[:texts] {
				args = append(args, c)
			}
			args = append(args, k.num)
			for _, v := range t.rows[k][:len(t.valCols)] {
				args = append(args, v)
			}
		}
		q := d.upsertRows(t.table, t.keyCols, t.valCols, true, len(chunk))
		if _, err := ex.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("count %s: %w", strings.TrimSuffix(t.table, "_tally"), err)
		}
	}
	return nil
}

// deleteTallyRows deletes the rows of keys from table, whose key columns
// are keyCols (the integer one last), those that also meet the condition
// cond (a prefix ending in AND, or ""), in statements of at most
// maxStatementVars marks, and says how many rows went.
func deleteTallyRows(ctx context.Context, ex sqlx.ExecerContext, d dialect, table string, keyCols []string, keys []tallyKey, cond string) (int64, error) {
	var deleted int64
	texts := len(keyCols) - 1
	per := maxStatementVars / len(keyCols)
	for start := 0; start < len(keys); start += per {
		chunk := keys[start:min(start+per, len(keys))]
		args := make([]any, 0, len(chunk)*len(keyCols))
		for _, k := range chunk {
			for _, c := range k.cols[:texts] {
				args = append(args, c)
			}
			args = append(args, k.num)
		}
		q := "DELETE FROM " + table + " WHERE " + cond + "(" + strings.Join(keyCols, ", ") + ") IN " + d.rowList(len(keyCols), len(chunk))
		res, err := ex.ExecContext(ctx, q, args...)
		if err != nil {
			return deleted, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return deleted, err
		}
		deleted += n
	}
	return deleted, nil
}

const (
	secondsPerHour = 3600
	secondsPerDay  = 24 * secondsPerHour
)

// floorDiv is a / n rounded down (n > 0), as floorDivSQL.
func floorDiv(a, n int64) int64 {
	q := a / n
	if a%n < 0 {
		q--
	}
	return q
}

// merge adds o's rows to t's.
func (t *tallyAdds) merge(o *tallyAdds) {
	for k, row := range o.rows {
		t.add(k, row[:]...)
	}
}
