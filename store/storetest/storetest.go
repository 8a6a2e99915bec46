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
	"time"

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
	return OpenDSN(t, DSN(t, dialect))
}

// OpenDSN opens and migrates the database at dsn, closed at the end of the test.
func OpenDSN(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dsn, err)
	}
	return s
}

// ProxiedMySQL creates a database of its own on the MariaDB server and
// returns the DSNs (riskmon's syntax) that reach it directly and through a
// proxy the test can cut, with short timeouts so a cut shows quickly.
func ProxiedMySQL(t testing.TB) (direct, proxied string, px *Proxy) {
	t.Helper()
	name := CreateMySQLDatabase(t)
	server, _ := mysql.ParseDSN(MySQLServer())
	px = NewProxy(t, server.Addr)
	d, p := server.Clone(), server.Clone()
	d.DBName, p.DBName, p.Addr = name, name, px.Addr()
	p.Timeout, p.ReadTimeout = time.Second, 2*time.Second
	return "mysql:" + d.FormatDSN(), "mysql:" + p.FormatDSN(), px
}

// PutTwoUnits adds the units u1 (一镇, a township) and u2 (二局, a department)
// and the categories land_requisition and other, the small county of the
// package tests.
func PutTwoUnits(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, u := range []store.Unit{{Code: "u1", Name: "一镇", Kind: "township"}, {Code: "u2", Name: "二局", Kind: "department"}} {
		if err := s.PutUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []store.Category{{Code: "land_requisition", Name: "农村土地征用"}, {Code: "other", Name: "其他"}} {
		if err := s.PutCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
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

// Drain reads src to its end, as a load does, and returns every case and
// how many batches they came in.
func Drain(t testing.TB, src store.CaseSource) (cases []store.LoadCase, batches int) {
	t.Helper()
	for {
		batch, err := src(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return cases, batches
		}
		batches++
		cases = append(cases, batch...)
	}
}
