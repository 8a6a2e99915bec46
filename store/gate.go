package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"

	"github.com/go-sql-driver/mysql"
)

// ErrOtherWriters is the answer to a hold that another process's hold
// excludes: a bulk load or a rekey while the service or an import writes, or
// the other way round.
var ErrOtherWriters = errors.New("another riskmon process is writing to this database")

// Gate is a process's hold on the right to write. The service and the
// incremental import hold it shared, for as long as they run; a bulk load,
// a recount and a rekey hold it exclusive, because each rewrites what the
// others add to (the tallies, every hash) and would lose their writes. The
// hold is the database's own lock, so a crashed holder lets go with its
// connection: on MySQL a shared or exclusive lock on the settings row
// writer_gate in a transaction kept open on a connection of its own; on
// SQLite an flock on the file PATH-writers next to the database.
type Gate struct {
	release func() error
	alive   func(ctx context.Context) error // nil: a file lock, held while the process lives
	again   func(ctx context.Context) (*Gate, error)
}

// Keep checks that a MySQL hold is still held, and takes it again if its
// connection was lost (a database restart, a KILL): without it, a bulk load
// could start beside a service that believes it holds the gate. It fails
// with ErrOtherWriters when another process took the gate meanwhile.
func (g *Gate) Keep(ctx context.Context) error {
	if g == nil || g.alive == nil {
		return nil
	}
	if err := g.alive(ctx); err == nil {
		return nil
	}
	g.Release()
	next, err := g.again(ctx)
	if err != nil {
		return err
	}
	*g = *next
	return nil
}

// Release lets go of the hold.
func (g *Gate) Release() error {
	if g == nil || g.release == nil {
		return nil
	}
	rel := g.release
	g.release = nil
	return rel()
}

const writerGateSetting = "writer_gate"

// HoldWriters takes the writers' gate, shared or exclusive, at once or not at
// all: a hold another process's excludes fails with ErrOtherWriters.
func (s *Store) HoldWriters(ctx context.Context, exclusive bool) (*Gate, error) {
	what := "shared"
	if exclusive {
		what = "exclusive"
	}
	var (
		g   *Gate
		err error
	)
	if s.dialect.name == "mysql" {
		g, err = s.holdRow(ctx, exclusive)
	} else {
		g, err = holdFile(s.lockPath, exclusive)
	}
	if err != nil {
		return nil, fmt.Errorf("hold the writers' gate (%s): %w", what, err)
	}
	return g, nil
}

func (s *Store) holdRow(ctx context.Context, exclusive bool) (*Gate, error) {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return nil, err
	}
	// The hold lasts as long as the process: the server must not close the
	// idle connection under it (wait_timeout is 8 hours by default).
	if _, err := conn.ExecContext(ctx, "SET SESSION wait_timeout = 31536000"); err != nil {
		conn.Close()
		return nil, err
	}
	tx, err := conn.BeginTxx(context.WithoutCancel(ctx), nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	lock := " LOCK IN SHARE MODE NOWAIT"
	if exclusive {
		lock = " FOR UPDATE NOWAIT"
	}
	var v string
	if err := tx.GetContext(ctx, &v, "SELECT value FROM settings WHERE name = ?"+lock, writerGateSetting); err != nil {
		tx.Rollback()
		conn.Close()
		if lockBusy(err) {
			return nil, ErrOtherWriters
		}
		return nil, err
	}
	return &Gate{
		release: func() error {
			err := tx.Rollback()
			if cerr := conn.Close(); err == nil {
				err = cerr
			}
			return err
		},
		alive: func(ctx context.Context) error {
			var one int
			return tx.GetContext(ctx, &one, "SELECT 1")
		},
		again: func(ctx context.Context) (*Gate, error) { return s.HoldWriters(ctx, exclusive) },
	}, nil
}

// lockBusy says whether err is a lock NOWAIT could not take: MariaDB
// answers lock wait timeout (1205), MySQL 8 ER_LOCK_NOWAIT (3572).
func lockBusy(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1205 || me.Number == 3572)
}

func holdFile(path string, exclusive bool) (*Gate, error) {
	if path == "" {
		return &Gate{}, nil // an in-memory database: no other process can open it
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrOtherWriters
		}
		return nil, err
	}
	return &Gate{release: f.Close}, nil
}

// sqliteLockPath is the file whose flock is the gate of the SQLite database
// at path, "" for an in-memory one.
func sqliteLockPath(path string) string {
	file, _, _ := strings.Cut(strings.TrimPrefix(path, "file:"), "?")
	if file == "" || file == ":memory:" || strings.Contains(path, "mode=memory") {
		return ""
	}
	return file + "-writers"
}
