package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// tallyAdds collects additions to the rows of one tally table, so that a
// transaction writes each table once, in one statement.
type tallyAdds struct {
	table   string
	keyCols []string
	valCols []string
	rows    map[string]*tallyRow // by the key's text
}

type tallyRow struct {
	key  []any
	vals []int
}

func newTallyAdds(table string, keyCols, valCols []string) *tallyAdds {
	return &tallyAdds{table: table, keyCols: keyCols, valCols: valCols, rows: map[string]*tallyRow{}}
}

// receiptTallies count receipts: a case, its persons, whether collective and
// whether a repeat.
func receiptTallies() *tallyAdds {
	return newTallyAdds("receipt_tally", []string{"unit", "category", "channel", "level", "shard"},
		[]string{"cases", "persons", "collective", "repeats"})
}

// eventTallies count what events completed: stages (on time or late) and
// evaluations.
type eventTallies struct{ completions, evaluations *tallyAdds }

func newEventTallies() eventTallies {
	return eventTallies{
		completions: newTallyAdds("completion_tally", []string{"unit", "stage", "shard"}, []string{"completed", "late"}),
		evaluations: newTallyAdds("evaluation_tally", []string{"unit", "result", "shard"}, []string{"evaluations"}),
	}
}

// count adds an applied event of a case, under the unit the case had then.
func (t eventTallies) count(caseID int64, unit string, e petition.Event, out petition.Outcome) {
	shard := int(caseID % tallyShards)
	if out.CompletedStage != "" {
		t.completions.add([]any{unit, out.CompletedStage, shard}, 1, b2i(out.Late))
	}
	if e.Type == petition.EventEvaluated {
		t.evaluations.add([]any{unit, e.Result, shard}, 1)
	}
}

func (t eventTallies) write(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	if err := t.completions.write(ctx, tx, d); err != nil {
		return err
	}
	return t.evaluations.write(ctx, tx, d)
}

func (t *tallyAdds) add(key []any, vals ...int) {
	k := fmt.Sprintln(key...)
	row := t.rows[k]
	if row == nil {
		row = &tallyRow{key: key, vals: make([]int, len(vals))}
		t.rows[k] = row
	}
	for i, v := range vals {
		row.vals[i] += v
	}
}

// write adds the collected values in one statement. Rows go in key order:
// every writer locks tally rows in the same order, so two transactions
// never wait for each other in a circle.
func (t *tallyAdds) write(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	if len(t.rows) == 0 {
		return nil
	}
	keys := make([]string, 0, len(t.rows))
	for k := range t.rows {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	args := make([]any, 0, len(keys)*(len(t.keyCols)+len(t.valCols)))
	for _, k := range keys {
		row := t.rows[k]
		args = append(args, row.key...)
		for _, v := range row.vals {
			args = append(args, v)
		}
	}
	q := d.upsertRows(t.table, t.keyCols, t.valCols, true, len(keys))
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("count %s: %w", strings.TrimSuffix(t.table, "_tally"), err)
	}
	return nil
}
