package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"riskmon/petition"
)

// defaultCategoriesVersion is the migration that gives a fresh database the
// county's default category list (petition.DefaultCategories), so that the
// first case can be posted without setting categories up first. A Go
// migration, so that the list is written once, in the domain package. A
// database that already has categories keeps the operators' own list; the
// down step leaves the data alone.
const defaultCategoriesVersion = 3

func defaultCategoriesMigration() *goose.Migration {
	return goose.NewGoMigration(defaultCategoriesVersion, &goose.GoFunc{RunTx: insertDefaultCategories}, &goose.GoFunc{})
}

func insertDefaultCategories(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM categories").Scan(&n); err != nil {
		return fmt.Errorf("default categories: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, c := range petition.DefaultCategories {
		if _, err := tx.ExecContext(ctx, "INSERT INTO categories (code, name) VALUES (?, ?)", c.Code, c.Name); err != nil {
			return fmt.Errorf("default category %s: %w", c.Code, err)
		}
	}
	return nil
}
