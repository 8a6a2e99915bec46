package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// Unit is a responsible township (乡镇) or county department.
type Unit struct {
	Code string `db:"code"`
	Name string `db:"name"`
	Kind string `db:"kind"`
}

// Category is a hot-spot problem category.
type Category struct {
	Code string `db:"code"`
	Name string `db:"name"`
}

// PutUnit creates a unit or renames it.
func (s *Store) PutUnit(ctx context.Context, u Unit) error {
	if err := s.put(ctx, "units", []string{"code", "name", "kind"}, u.Code, u.Name, u.Kind); err != nil {
		return fmt.Errorf("put unit %s: %w", u.Code, err)
	}
	return nil
}

// PutCategory creates a category or renames it.
func (s *Store) PutCategory(ctx context.Context, c Category) error {
	if err := s.put(ctx, "categories", []string{"code", "name"}, c.Code, c.Name); err != nil {
		return fmt.Errorf("put category %s: %w", c.Code, err)
	}
	return nil
}

// PutUnitWithin is PutUnit that creates no unit beyond limit units (the
// API's max_units): every unit multiplies the series riskmon exports, so a
// write token must not add them without end. A rename is always taken.
func (s *Store) PutUnitWithin(ctx context.Context, u Unit, limit int) error {
	if err := s.putWithin(ctx, "units", "max_units", limit, nil, []string{"code", "name", "kind"}, u.Code, u.Name, u.Kind); err != nil {
		return fmt.Errorf("put unit %s: %w", u.Code, err)
	}
	return nil
}

// PutCategoryWithin is PutCategory within limit categories (max_categories).
func (s *Store) PutCategoryWithin(ctx context.Context, c Category, limit int) error {
	if err := s.putWithin(ctx, "categories", "max_categories", limit, nil, []string{"code", "name"}, c.Code, c.Name); err != nil {
		return fmt.Errorf("put category %s: %w", c.Code, err)
	}
	return nil
}

// putWithin counts and writes in one transaction, after check (if set) has
// found the entry's references in it. On MySQL two creates at once may both
// see room for one, so the table can pass the limit by the creates in
// flight (api_max_in_flight bounds them), never without end.
func (s *Store) putWithin(ctx context.Context, table, key string, limit int, check func(*sqlx.Tx) error, cols []string, args ...any) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if check != nil {
			if err := check(tx); err != nil {
				return err
			}
		}
		var exists, n int
		if err := tx.GetContext(ctx, &exists, "SELECT COUNT(*) FROM "+table+" WHERE code = ?", args[0]); err != nil {
			return err
		}
		if exists == 0 {
			if err := tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table); err != nil {
				return err
			}
			if n >= limit {
				return fieldErrors([]petition.Problem{{Field: "code", Problem: fmt.Sprintf("riskmon holds at most %d %s (%s); this would be one more", limit, table, key)}}, ErrInvalidValue)
			}
		}
		_, err := tx.ExecContext(ctx, s.dialect.upsert(table, cols[:1], cols[1:], false), args...)
		return err
	})
}

func (s *Store) put(ctx context.Context, table string, cols []string, args ...any) error {
	_, err := s.db.ExecContext(ctx, s.dialect.upsert(table, cols[:1], cols[1:], false), args...)
	return err
}

// Units lists the units by code.
func (s *Store) Units(ctx context.Context) ([]Unit, error) { return listUnits(ctx, s.db) }

// Categories lists the categories by code.
func (s *Store) Categories(ctx context.Context) ([]Category, error) { return listCategories(ctx, s.db) }

func listUnits(ctx context.Context, q sqlx.QueryerContext) ([]Unit, error) {
	var us []Unit
	if err := sqlx.SelectContext(ctx, q, &us, "SELECT code, name, kind FROM units ORDER BY code"); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return us, nil
}

func listCategories(ctx context.Context, q sqlx.QueryerContext) ([]Category, error) {
	var cs []Category
	if err := sqlx.SelectContext(ctx, q, &cs, "SELECT code, name FROM categories ORDER BY code"); err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	return cs, nil
}

// Known is what the database holds that a case or an event may name. Every
// write path and the import's check name missing references with it.
type Known struct {
	Cases      map[string]bool // nil: repeat_of is not checked (the import checks it against the file too)
	Units      map[string]bool
	Categories map[string]bool
	Matters    map[string]bool
}

// Known reads the units and categories.
func (s *Store) Known(ctx context.Context) (Known, error) { return knownOf(ctx, s.db) }

// knownOf reads the units and categories through q (the database or a
// transaction).
func knownOf(ctx context.Context, q sqlx.QueryerContext) (Known, error) {
	k := Known{Units: map[string]bool{}, Categories: map[string]bool{}, Matters: map[string]bool{}}
	us, err := listUnits(ctx, q)
	if err != nil {
		return Known{}, err
	}
	for _, u := range us {
		k.Units[u.Code] = true
	}
	cs, err := listCategories(ctx, q)
	if err != nil {
		return Known{}, err
	}
	for _, c := range cs {
		k.Categories[c.Code] = true
	}
	var ms []string
	if err := sqlx.SelectContext(ctx, q, &ms, "SELECT code FROM matters"); err != nil {
		return Known{}, fmt.Errorf("list matters: %w", err)
	}
	for _, m := range ms {
		k.Matters[m] = true
	}
	return k, nil
}

// CaseProblems names every reference of c that does not exist.
func (k Known) CaseProblems(c petition.Case) []petition.Problem {
	var ps []petition.Problem
	ps = k.check(ps, "unit", c.Unit, k.Units)
	ps = k.check(ps, "category", c.Category, k.Categories)
	if k.Cases != nil && c.RepeatOf != "" {
		ps = k.check(ps, "repeat_of", c.RepeatOf, k.Cases)
	}
	if c.Matter != "" {
		ps = k.check(ps, "matter", c.Matter, k.Matters)
	}
	return ps
}

// EventProblems names what e refers to that does not exist: the unit of a
// reassignment, the matter of a link.
func (k Known) EventProblems(e petition.Event) []petition.Problem {
	switch f := e.Spec().Field; {
	case f == petition.FieldUnit && e.Unit != "":
		return k.check(nil, petition.FieldUnit, e.Unit, k.Units)
	case f == petition.FieldMatter && e.Matter != "":
		return k.check(nil, petition.FieldMatter, e.Matter, k.Matters)
	}
	return nil
}

func (Known) check(ps []petition.Problem, field, v string, known map[string]bool) []petition.Problem {
	if known[v] {
		return ps
	}
	return append(ps, petition.Problem{Field: field, Problem: fmt.Sprintf("%s %q does not exist", field, v)})
}

// UnitCodes are the codes of the registered units.
func (s *Store) UnitCodes(ctx context.Context) ([]string, error) {
	var out []string
	if err := s.db.SelectContext(ctx, &out, "SELECT code FROM units"); err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	return out, nil
}

// CategoryCodes are the codes of the categories.
func (s *Store) CategoryCodes(ctx context.Context) ([]string, error) {
	var out []string
	if err := s.db.SelectContext(ctx, &out, "SELECT code FROM categories"); err != nil {
		return nil, fmt.Errorf("read categories: %w", err)
	}
	return out, nil
}
