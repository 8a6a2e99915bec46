// Package storetest opens throwaway databases for tests: an SQLite file in
// the test's temporary directory, or a database of its own on the MariaDB
// server that is dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"

	"riskmon/store"
)

// MySQLServer is the server DSN (no database) tests use; RISKMON_TEST_MYSQL
// overrides the default local MariaDB.
func MySQLServer() string {
	if v := os.Getenv("RISKMON_TEST_MYSQL"); v != "" {
		return v
	}
	return "root@tcp(127.0.0.1:3306)/"
}

// Dialects are the databases every store test runs against.
var Dialects = []string{"sqlite", "mysql"}

// Open returns a migrated, empty store of the dialect, closed and removed at
// the end of the test. Without a MariaDB server the test is skipped, unless CI
// is set: there a missing server is a failure.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	dsn := DSN(t, dialect)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return s
}

// DSN returns the riskmon DSN of a fresh database of the dialect.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite:" + t.TempDir() + "/test.db"
	}
	name := CreateMySQLDatabase(t)
	cfg, _ := mysql.ParseDSN(MySQLServer())
	cfg.DBName = name
	return "mysql:" + cfg.FormatDSN()
}

// CreateMySQLDatabase creates an empty database with a random name on the
// MariaDB server and drops it when the test ends.
func CreateMySQLDatabase(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("mysql", MySQLServer())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("MariaDB at %s is required in CI: %v", MySQLServer(), err)
		}
		t.Skipf("no MariaDB at %s (set CI to make this a failure): %v", MySQLServer(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "riskmon_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return name
}
