package store

import (
	"context"
	"maps"
	"slices"

	"github.com/jmoiron/sqlx"
)

// What the kept readers by unit share: their versions, a row a unit, moved
// on by the writers (bumpUnits) or taken from the rows themselves
// (unitVersionsOf), and the rows they keep of each unit (keptUnits).

// unitVersions reads table's version of each unit (a unit with no row is
// at version 0).
func unitVersions(ctx context.Context, tx *sqlx.Tx, table string) (map[string]int64, error) {
	return unitVersionsOf(ctx, tx, table, "SELECT unit, version FROM "+table)
}

// unitVersionsOf reads what query says of each unit: its columns unit and
// version.
func unitVersionsOf(ctx context.Context, tx *sqlx.Tx, what, query string) (map[string]int64, error) {
	type versionRow struct {
		Unit    string `db:"unit"`
		Version int64  `db:"version"`
	}
	return selectMap(ctx, tx, what, func(v versionRow) (string, int64) { return v.Unit, v.Version }, query)
}

// bumpUnits moves on the versions of units (in any order, repeated) in
// table, a version a unit.
func bumpUnits(ctx context.Context, ex sqlx.ExecerContext, d dialect, table string, units []string) error {
	units = slices.Clone(units)
	slices.Sort(units)
	keys := make([][]any, 0, len(units))
	for _, u := range slices.Compact(units) {
		keys = append(keys, []any{u})
	}
	return bumpVersions(ctx, ex, d, table, []string{"unit"}, keys)
}

// keptUnits keeps rows of T by unit, each unit's at the version it was read
// at, and the rewrite version (epoch) read with them: KeptAssignments and
// KeptReceipts. Its zero value keeps nothing yet.
type keptUnits[T any] struct {
	read  bool
	epoch int64
	units map[string]keptUnitRows[T]
}

type keptUnitRows[T any] struct {
	version int64
	rows    []T
}

// refresh brings k up to versions (a unit with none is at version 0) and
// epoch, and returns every unit's rows, the units in order. A unit whose
// version moved is read again (readUnits, for n units given as its
// arguments); every unit (readAll) when nothing is kept or the epoch moved.
func (k *keptUnits[T]) refresh(ctx context.Context, tx *sqlx.Tx, what string, epoch int64, versions map[string]int64,
	readAll string, readUnits func(n int) string, unitOf func(T) string) ([]T, error) {
	all := !k.read || epoch != k.epoch
	units := map[string]keptUnitRows[T]{}
	var stale []any
	for u, v := range versions {
		if kr, ok := k.units[u]; ok && !all && kr.version == v {
			units[u] = kr
		} else {
			units[u] = keptUnitRows[T]{version: v}
			stale = append(stale, u)
		}
	}
	for u, kr := range k.units { // a unit with no version kept at 0
		if _, ok := versions[u]; !ok && !all && kr.version == 0 {
			units[u] = kr
		}
	}
	if all || len(stale) > 0 {
		q, args := readAll, []any{}
		if !all {
			q, args = readUnits(len(stale)), stale
		}
		got, err := selectAll[T](ctx, tx, what, q, args...)
		if err != nil {
			return nil, err
		}
		for _, row := range got {
			u := unitOf(row)
			kr := units[u]
			kr.rows = append(kr.rows, row)
			units[u] = kr
		}
	}
	k.read, k.epoch, k.units = true, epoch, units
	// in one order at every refresh: the collector emits in the order it
	// reads, and its encoder reuses what is unchanged
	var out []T
	for _, u := range slices.Sorted(maps.Keys(units)) {
		out = append(out, units[u].rows...)
	}
	return out, nil
}
