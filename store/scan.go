package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"

	"github.com/jmoiron/sqlx"
	"github.com/jmoiron/sqlx/reflectx"
)

// selectAll reads query's rows into a []T: a struct's fields by their db
// tags, as sqlx maps them, or one column into a T that is not a struct (or
// scans itself). It is sqlx's Select without its cost a row: sqlx made each
// row in a new value of its own and appended it by reflection, a fifth of a
// refresh's CPU at ten million cases (the reads are tallies, thousands of
// rows each); here each row is scanned in place, into the slice's next
// element, through field indices found once a query.
func selectAll[T any](ctx context.Context, tx *sqlx.Tx, what, query string, args ...any) ([]T, error) {
	rows, err := tx.QueryxContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	out, err := scanAll[T](rows)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// selectMap reads query's rows as selectAll does and keys each by kv: what
// the readers that look rows up by unit, key or hour make of them.
func selectMap[R any, K comparable, V any](ctx context.Context, tx *sqlx.Tx, what string, kv func(R) (K, V), query string, args ...any) (map[K]V, error) {
	rows, err := selectAll[R](ctx, tx, what, query, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[K]V, len(rows))
	for _, r := range rows {
		k, v := kv(r)
		out[k] = v
	}
	return out, nil
}

// scanAll reads what is left of rows into a []T.
func scanAll[T any](rows *sqlx.Rows) ([]T, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	t := reflect.TypeFor[T]()
	var fields [][]int // each column's field; nil: the row is one T
	if scansItself(rows.Mapper, t) {
		if len(cols) != 1 {
			return nil, fmt.Errorf("%d columns for the one value of %s", len(cols), t)
		}
	} else {
		fields = rows.Mapper.TraversalsByName(t, cols)
		for i, f := range fields {
			if len(f) == 0 {
				return nil, fmt.Errorf("column %s: no field of %s is named for it", cols[i], t)
			}
		}
	}
	dest := make([]any, len(cols))
	var out []T
	for rows.Next() {
		var zero T
		out = append(out, zero)
		p := &out[len(out)-1] // what earlier rows' dest pointed at may have moved: set anew each row
		if fields == nil {
			dest[0] = p
		} else {
			v := reflect.ValueOf(p).Elem()
			for i, f := range fields {
				dest[i] = v.FieldByIndex(f).Addr().Interface()
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// scansItself says whether a T is scanned whole from one column, as sqlx
// decides: not a struct, a sql.Scanner (sql.NullString), or a struct with
// no field the mapper sees (time.Time).
func scansItself(m *reflectx.Mapper, t reflect.Type) bool {
	return t.Kind() != reflect.Struct || reflect.PointerTo(t).Implements(reflect.TypeFor[sql.Scanner]()) ||
		len(m.TypeMap(t).Index) == 0
}
