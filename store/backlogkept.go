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
)

// backlogKey is a unit, category and stage of the open cases: a key of
// backlog_tally without its deadline, and of backlog_versions.
type backlogKey struct{ unit, category, stage string }

// allBacklog is the row of backlog_versions that stands for every key: what
// rewrites backlog_tally wholesale (the bulk load, recount) moves it on.
var allBacklog = backlogKey{}

// movedKeys are the keys whose rows of backlog_tally t changes: those
// bumpBacklog moves on. A case moved between two deadlines of one key
// changes two rows and not the key's count of all its open cases.
//
// Only a change of stored states (updateStates) moves versions on: a create
// only adds open cases, so it moves the count of each key it adds to, which
// a refresh reads beside the versions; two writes that leave a count as it
// was (a create and a close, a transfer in and one out) include an event,
// and the event moves the version. A create's transaction so writes one
// statement fewer.
func (t stateTallies) movedKeys() []backlogKey {
	var out []backlogKey
	for k, row := range t.backlog.rows {
		if *row != [maxTallyValues]int{} {
			out = append(out, backlogKey{k.cols[0], k.cols[1], k.cols[2]})
		}
	}
	return out
}

// bumpBacklog moves on the versions of keys in the writer's transaction,
// after its tallies.
func bumpBacklog(ctx context.Context, ex sqlx.ExecerContext, d dialect, keys []backlogKey) error {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, backlogKey.compare)
	rows := make([][]any, 0, len(keys))
	for _, k := range slices.Compact(keys) {
		rows = append(rows, []any{k.unit, k.category, k.stage})
	}
	return bumpVersions(ctx, ex, d, "backlog_versions", []string{"unit", "category", "stage"}, rows)
}

// talliesRewritten moves on the versions that stand for everything a kept
// reader keeps (KeptWindows' every day, which KeptReceipts and KeptDaySums
// read too, KeptBacklog's every key, KeptAssignments' every unit): what
// rewrites the tallies or the cases wholesale (the bulk load, recount) calls
// it in its transaction.
func talliesRewritten(ctx context.Context, tx *sqlx.Tx, d dialect) error {
	if err := bumpRewriteEpoch(ctx, tx, d); err != nil {
		return err
	}
	if err := bumpBacklog(ctx, tx, d, []backlogKey{allBacklog}); err != nil {
		return err
	}
	return bumpAssignments(ctx, tx, d, []string{allAssignments})
}

func (a backlogKey) compare(b backlogKey) int {
	return cmp.Or(strings.Compare(a.unit, b.unit), strings.Compare(a.category, b.category), strings.Compare(a.stage, b.stage))
}

// KeptBacklog keeps, from one refresh to the next, each unit, category and
// stage's rows of backlog_tally: its open cases, those without a clock, its
// first deadline and its deadlines from the instant it was read on. What
// the backlog counts of them moves with the clock (a deadline passes, one
// comes within the due-soon horizon) and is counted anew at every refresh
// from what is kept, as Backlog's queries count it; what is kept changes
// only with a write to the key's rows, which moves its version on
// (stateTallies.write) or adds to its count of open cases (a create). A
// refresh reads the versions and the counts, a row a key each, and the
// rows only of the keys whose version or count moved, or whose deadlines it
// kept begin after the instant now (the clock went back). Its zero value
// keeps nothing yet.
type KeptBacklog struct {
	mu    sync.Mutex
	epoch int64 // the version of allBacklog read with what is kept
	keys  map[backlogKey]*keptBacklogKey
}

// keptBacklogKey is a key's rows as kept, read at version from the second
// from on.
type keptBacklogKey struct {
	version       int64
	from          int64
	open, noClock int64
	first         sql.NullInt64   // the first deadline of an open case
	ahead         []deadlineCases // the deadlines from from on, in order
}

type deadlineCases struct{ deadline, cases int64 }

// backlogKeptRow is a row of backlog_tally as KeptBacklog reads it.
type backlogKeptRow struct {
	Unit     string `db:"unit"`
	Category string `db:"category"`
	Stage    string `db:"stage"`
	Deadline int64  `db:"deadline"`
	Cases    int64  `db:"cases"`
}

// backlogOpenCountsQuery reads each key's count of its open cases;
// backlogRowsQuery the rows of each key that count from a second on: all
// its open cases (allOpen), those without a clock (0) and its deadlines from
// that second on; backlogFirstQuery the first
// deadline of each key with open cases. backlogKeysCondition narrows the
// last two to some keys.
var (
	backlogOpenCountsQuery = "SELECT unit, category, stage, deadline, cases FROM backlog_tally WHERE deadline = " + allOpenSQL + " AND cases > 0"
	backlogRowsQuery       = "SELECT unit, category, stage, deadline, cases FROM backlog_tally WHERE (deadline IN (" + allOpenSQL + ", 0) OR deadline >= ?) AND cases > 0"
	backlogFirstQuery      = "SELECT o.unit, o.category, o.stage, " + backlogFirstDeadline + " AS first FROM backlog_tally o WHERE o.deadline = " + allOpenSQL + " AND o.cases > 0"
)

const (
	backlogKeysCondition = " AND (%s)"
	backlogKeyCondition  = "(unit = ? AND category = ? AND stage = ?)"
)

// KeptBacklog is Backlog at now, the keys' rows taken from k and kept
// there; with ReadFacts, or k nil, it is Backlog.
func (r *Reader) KeptBacklog(ctx context.Context, now time.Time, horizon time.Duration, k *KeptBacklog) ([]BacklogCount, error) {
	if r.facts || k == nil {
		return r.Backlog(ctx, now, horizon)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	p := secondAtOrAfter(now)
	if err := k.refresh(ctx, r.tx, p); err != nil {
		return nil, err
	}
	return k.count(p, now.Add(horizon).Unix())
}

// refresh brings k up to date in tx for the instant p (a second).
func (k *KeptBacklog) refresh(ctx context.Context, tx *sqlx.Tx, p int64) error {
	type versionRow struct {
		Unit     string `db:"unit"`
		Category string `db:"category"`
		Stage    string `db:"stage"`
		Version  int64  `db:"version"`
	}
	versions, err := selectMap(ctx, tx, "backlog versions", func(v versionRow) (backlogKey, int64) { return backlogKey{v.Unit, v.Category, v.Stage}, v.Version },
		"SELECT unit, category, stage, version FROM backlog_versions")
	if err != nil {
		return err
	}
	all := k.keys == nil || versions[allBacklog] != k.epoch
	keys := map[backlogKey]*keptBacklogKey{}
	var stale []backlogKey
	if !all {
		open, err := selectMap(ctx, tx, "backlog", func(o backlogKeptRow) (backlogKey, int64) { return backlogKey{o.Unit, o.Category, o.Stage}, o.Cases },
			backlogOpenCountsQuery)
		if err != nil {
			return err
		}
		for key, kk := range k.keys {
			if kk.version == versions[key] && kk.open == open[key] && kk.from <= p {
				keys[key] = kk
			} else {
				stale = append(stale, key)
			}
		}
		for key := range open { // keys with no open case when last read
			if _, ok := k.keys[key]; !ok {
				stale = append(stale, key)
			}
		}
		// most keys stale (many writers): one read of all costs less than
		// a condition a key
		all = len(stale) > max(len(k.keys), 1)/2
	}
	if all {
		keys, stale = map[backlogKey]*keptBacklogKey{}, nil
	}
	if all || len(stale) > 0 {
		if err := readBacklogKeys(ctx, tx, p, stale, versions, keys); err != nil {
			return err
		}
	}
	k.keys, k.epoch = keys, versions[allBacklog]
	return nil
}

// readBacklogKeys reads the rows of the keys of only (none: of every key)
// from the second p on into keys, at their versions.
func readBacklogKeys(ctx context.Context, tx *sqlx.Tx, p int64, only []backlogKey, versions map[backlogKey]int64, keys map[backlogKey]*keptBacklogKey) error {
	rowsQ, firstQ, args := backlogRowsQuery, backlogFirstQuery, []any{}
	if len(only) > 0 {
		conds := make([]string, len(only))
		for i, key := range only {
			conds[i] = backlogKeyCondition
			args = append(args, key.unit, key.category, key.stage)
		}
		cond := fmt.Sprintf(backlogKeysCondition, strings.Join(conds, " OR "))
		rowsQ, firstQ = rowsQ+cond, firstQ+cond
	}
	got, err := selectAll[backlogKeptRow](ctx, tx, "backlog", rowsQ, append([]any{p}, args...)...)
	if err != nil {
		return err
	}
	read := map[backlogKey]*keptBacklogKey{}
	for _, row := range got {
		key := backlogKey{row.Unit, row.Category, row.Stage}
		kk := read[key]
		if kk == nil {
			kk = &keptBacklogKey{version: versions[key], from: p}
			read[key] = kk
		}
		switch row.Deadline {
		case allOpen:
			kk.open = row.Cases
		case 0:
			kk.noClock = row.Cases
		default:
			kk.ahead = append(kk.ahead, deadlineCases{row.Deadline, row.Cases})
		}
	}
	type firstRow struct {
		Unit     string        `db:"unit"`
		Category string        `db:"category"`
		Stage    string        `db:"stage"`
		First    sql.NullInt64 `db:"first"`
	}
	firsts, err := selectAll[firstRow](ctx, tx, "backlog", firstQ, args...)
	if err != nil {
		return err
	}
	for _, row := range firsts {
		if kk := read[backlogKey{row.Unit, row.Category, row.Stage}]; kk != nil {
			kk.first = row.First
		}
	}
	for key, kk := range read {
		slices.SortFunc(kk.ahead, func(a, b deadlineCases) int { return cmp.Compare(a.deadline, b.deadline) })
		keys[key] = kk
	}
	return nil
}

// count counts the kept keys at the second p, due soon up to the second
// soon, as backlogOpenQuery and backlogAheadQuery count them.
func (k *KeptBacklog) count(p, soon int64) ([]BacklogCount, error) {
	var out []BacklogCount // nil when none, as Backlog reads it
	for key, kk := range k.keys {
		if kk.open == 0 {
			continue
		}
		b := BacklogCount{Unit: key.unit, Category: key.category, Stage: key.stage, Open: kk.open}
		notOverdue := kk.noClock
		for _, dc := range kk.ahead[sortedFrom(kk.ahead, p):] {
			notOverdue += dc.cases
			if dc.deadline <= soon {
				b.DueSoon += dc.cases
			}
		}
		b.Overdue = kk.open - notOverdue
		if kk.first.Valid && kk.first.Int64 < p {
			b.Oldest = kk.first
		}
		if b.Overdue < 0 {
			return nil, fmt.Errorf("backlog: %s/%s/%s: %d open, %d not overdue: the tallies disagree (riskmon recount repairs them)",
				b.Unit, b.Category, b.Stage, b.Open, notOverdue)
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b BacklogCount) int {
		return cmp.Or(cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Category, b.Category))
	})
	return out, nil
}

// sortedFrom is the index of the first of ahead whose deadline is p or
// later.
func sortedFrom(ahead []deadlineCases, p int64) int {
	i, _ := slices.BinarySearchFunc(ahead, p, func(dc deadlineCases, p int64) int { return cmp.Compare(dc.deadline, p) })
	return i
}
