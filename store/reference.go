package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
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
