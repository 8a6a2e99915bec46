package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// setAsideSetting prefixes the settings that keep, while a bulk load runs on
// MySQL, the definition of each index of cases the load set aside: the
// name is the prefix and the index's, the value its definition as SHOW CREATE
// TABLE gives it. They are recorded before the index is dropped and forgotten
// after it is back, so a load killed at any moment leaves what restoring
// needs (restoreIndexes).
const setAsideSetting = "bulk_load_index:"

// A case's row keeps twelve secondary indexes up to date. A bulk load
// writes cases in received order, so most indexes grow at their end, but
// several lead with a column in no such order (idx_cases_repeat with the
// petitioner's hash, idx_cases_open with the stage): each of their inserts
// lands on a page of its own. Once those indexes outgrow the buffer pool
// (Debian's default is 128 MB; the indexes of 10M cases are about 8 GB) a
// case waits for a page read per index, and the load of 10M cases took 45
// minutes, most of them in MariaDB. Built afterwards by one ALTER TABLE, the
// indexes are sorted once instead.
//
// Set aside are the indexes that are neither unique (a unique index is how a
// case number given twice is refused) nor needed by a foreign key (InnoDB
// refuses to drop those, and they grow at their end anyway).
var (
	indexLine      = regexp.MustCompile("^KEY `([^`]+)` \\(`([^`]+)`")
	foreignKeyLine = regexp.MustCompile("^CONSTRAINT `[^`]+` FOREIGN KEY \\(`([^`]+)`")
)

// setAsideIndexes records, then drops, the indexes of cases a bulk load need
// not keep up as it goes (MySQL only: SQLite's load keeps them). Those a
// previous load set aside and did not restore stay recorded.
func (s *Store) setAsideIndexes(ctx context.Context) error {
	if s.dialect.name != "mysql" {
		return nil
	}
	defs, err := indexesToSetAside(ctx, s.db)
	if err != nil || len(defs) == 0 {
		return err
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, d := range defs {
			if err := putSetting(ctx, tx, s.dialect, setAsideSetting+d.name, d.definition); err != nil {
				return fmt.Errorf("record index %s: %w", d.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set aside the indexes of cases: %w", err)
	}
	drops := make([]string, len(defs))
	for i, d := range defs {
		drops[i] = "DROP INDEX `" + d.name + "`"
	}
	// one statement: InnoDB's DDL is atomic, so a kill leaves all or none
	if _, err := s.db.ExecContext(ctx, "ALTER TABLE cases "+strings.Join(drops, ", ")); err != nil {
		return fmt.Errorf("set aside the indexes of cases: %w", err)
	}
	return nil
}

// restoreIndexes adds back, in one ALTER TABLE, every index a bulk load set
// aside that cases lacks, and then forgets them. With nothing set aside it
// reads one setting and changes nothing.
func (s *Store) restoreIndexes(ctx context.Context) error {
	if s.dialect.name != "mysql" {
		return nil
	}
	var kept []struct {
		Name       string `db:"name"`
		Definition string `db:"value"`
	}
	if err := s.db.SelectContext(ctx, &kept, "SELECT name, value FROM settings WHERE name LIKE ? ORDER BY name", setAsideSetting+"%"); err != nil {
		return fmt.Errorf("restore the indexes of cases: %w", err)
	}
	if len(kept) == 0 {
		return nil
	}
	present, err := casesIndexes(ctx, s.db)
	if err != nil {
		return err
	}
	var adds []string
	for _, k := range kept {
		if !slices.ContainsFunc(present, func(d indexDef) bool { return setAsideSetting+d.name == k.Name }) {
			adds = append(adds, "ADD "+k.Definition)
		}
	}
	if len(adds) > 0 {
		if _, err := s.db.ExecContext(ctx, "ALTER TABLE cases "+strings.Join(adds, ", ")); err != nil {
			return fmt.Errorf("restore the indexes of cases: %w", err)
		}
	}
	// one name a statement: over a table of a few rows the planner scans for
	// a range or a list, and the scan's locks would wait for the writers'
	// gate (gate.go), a row of the same table
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, k := range kept {
			if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE name = ?", k.Name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("restore the indexes of cases: %w", err)
	}
	return nil
}

// indexDef is a secondary index of cases: its name, its first column and its
// definition as SHOW CREATE TABLE gives it ("KEY `name` (`a`,`b`)").
type indexDef struct {
	name, first, definition string
}

// indexesToSetAside are the indexes of cases that are neither unique nor
// led by a column a foreign key names.
func indexesToSetAside(ctx context.Context, q sqlx.QueryerContext) ([]indexDef, error) {
	lines, err := createCasesLines(ctx, q)
	if err != nil {
		return nil, err
	}
	var foreign []string
	for _, l := range lines {
		if m := foreignKeyLine.FindStringSubmatch(l); m != nil {
			foreign = append(foreign, m[1])
		}
	}
	all, err := indexesIn(lines)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(d indexDef) bool { return slices.Contains(foreign, d.first) }), nil
}

// casesIndexes are the non-unique secondary indexes cases has now.
func casesIndexes(ctx context.Context, q sqlx.QueryerContext) ([]indexDef, error) {
	lines, err := createCasesLines(ctx, q)
	if err != nil {
		return nil, err
	}
	return indexesIn(lines)
}

func indexesIn(lines []string) ([]indexDef, error) {
	var out []indexDef
	for _, l := range lines {
		if m := indexLine.FindStringSubmatch(l); m != nil {
			out = append(out, indexDef{name: m[1], first: m[2], definition: l})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("read the indexes of cases: SHOW CREATE TABLE names none")
	}
	return out, nil
}

// createCasesLines are the lines of SHOW CREATE TABLE cases, trimmed of
// their indent and trailing comma.
func createCasesLines(ctx context.Context, q sqlx.QueryerContext) ([]string, error) {
	var table, ddl string
	if err := q.QueryRowxContext(ctx, "SHOW CREATE TABLE cases").Scan(&table, &ddl); err != nil {
		return nil, fmt.Errorf("read the indexes of cases: %w", err)
	}
	lines := strings.Split(ddl, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(strings.TrimSpace(l), ",")
	}
	return lines, nil
}
