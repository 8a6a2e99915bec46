package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations
var migrations embed.FS

// Store is an open database with riskmon's schema.
type Store struct {
	db      *sqlx.DB
	dialect dialect
	creates caseQueue
	events  eventQueue
	now     func() time.Time // when a case is registered (SetClock)
	// lockPath is the SQLite database's gate file (HoldWriters).
	lockPath string
	// the group commits' counters, and the transactions retried by reason
	createCounters, eventCounters queueCounters
	retries                       [3]atomic.Uint64 // by RetryReasons
}

// SetClock sets the clock that stamps when a case is registered, which
// decides whether its receipt is timely (petition.Rules.Timely). Open sets
// time.Now; tests set theirs before writing.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

type dialect struct {
	name      string
	goose     goose.Dialect
	forUpdate string // row lock for read-modify-write; SQLite's write transaction already locks
	// serializable begins a transaction that no concurrent writer can slip
	// past (RecountCompletionDays); SQLite has one writer at a time anyway.
	serializable *sql.TxOptions
}

var (
	dialectMySQL = dialect{name: "mysql", goose: goose.DialectMySQL, forUpdate: " FOR UPDATE",
		serializable: &sql.TxOptions{Isolation: sql.LevelSerializable}}
	dialectSQLite = dialect{name: "sqlite", goose: goose.DialectSQLite3}
)

// Open connects to dsn, "sqlite:PATH" or "mysql:" followed by a go-sql-driver
// DSN, and checks that the database answers.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := OpenLazy(dsn)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.db.PingContext(pingCtx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open %s database: %w", s.dialect.name, err)
	}
	return s, nil
}

// OpenLazy is Open without the check: the pool connects when first used, so
// the service can start while the database is down and wait for it.
func OpenLazy(dsn string) (*Store, error) {
	var (
		db  *sqlx.DB
		d   dialect
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		d = dialectSQLite
		db, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "mysql:"):
		d = dialectMySQL
		db, err = openMySQL(strings.TrimPrefix(dsn, "mysql:"))
	default:
		return nil, errors.New(`open database: the dsn must start with "sqlite:" or "mysql:"`)
	}
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dialect: d, now: time.Now}
	if d.name == "sqlite" {
		s.lockPath = sqliteLockPath(strings.TrimPrefix(dsn, "sqlite:"))
	}
	s.creates.write, s.creates.counters = s.writeBatch, &s.createCounters
	s.events.write, s.events.counters = s.writeEventBatch, &s.eventCounters
	return s, nil
}

func openSQLite(path string) (*sqlx.DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite database: empty path")
	}
	// WAL lets the collector read while the simulator writes; _txlock=immediate
	// takes the write lock at BEGIN so two writers wait (busy_timeout) instead
	// of failing when one upgrades its read lock. synchronous FULL syncs the
	// WAL at every commit: with NORMAL an acknowledged case could be lost on
	// power failure.
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	dsn := path + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite database: %w", err)
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

func openMySQL(dsn string) (*sqlx.DB, error) {
	if err := checkCharset(dsn); err != nil {
		return nil, fmt.Errorf("open mysql database: %w", err)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("open mysql database: %w", err)
	}
	cfg.Loc = time.UTC
	// Placeholders filled in by the driver: one round trip a statement
	// instead of prepare, execute and close.
	cfg.InterpolateParams = true
	// A writer's last statements go in one round trip (pipeline). Every
	// value still goes through the driver's escaping (checkCharset keeps
	// the connection's charset one it escapes right), and no statement is
	// built from a value: only from constant table and column names.
	cfg.MultiStatements = true
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	// A lock wait of MariaDB's default 50 s would hold an API client that
	// long; a short one fails fast into inTx's retry.
	cfg.Params = map[string]string{"time_zone": "'+00:00'", "innodb_lock_wait_timeout": "5"}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("open mysql database: %w", err)
	}
	conn = readCommitted{conn}
	db := sqlx.NewDb(sql.OpenDB(conn), "mysql")
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxLifetime(5 * time.Minute)
	return db, nil
}

// checkCharset refuses a DSN that sets a connection character set other than
// utf8mb4 (the driver's default). With the parameters interpolated into the
// statement (InterpolateParams), a multibyte charset such as gbk, big5 or
// gb18030, whose second byte may be a backslash, lets a crafted value escape
// its quotes.
func checkCharset(dsn string) error {
	_, query, _ := strings.Cut(dsn, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("dsn parameters: %w", err)
	}
	for name, values := range params {
		for _, v := range values {
			switch {
			case name == "charset" && v != "utf8mb4":
				return fmt.Errorf("charset %q: only utf8mb4 is allowed", v)
			case name == "collation" && !strings.HasPrefix(v, "utf8mb4_"):
				return fmt.Errorf("collation %q: only utf8mb4 collations are allowed", v)
			case strings.HasPrefix(name, "character_set_") || name == "names":
				return fmt.Errorf("%q: only utf8mb4 is allowed, and only as the default", name)
			}
		}
	}
	return nil
}

// readCommitted makes every new connection's session READ COMMITTED, the
// isolation the writers run at (see inTxWith). The statement is the one
// MySQL and MariaDB both know (the variable is tx_isolation on MariaDB
// before 11.1, transaction_isolation on MySQL 8), and it runs when the pool
// connects, so that opening the store needs no database.
type readCommitted struct{ driver.Connector }

func (r readCommitted) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := r.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, errors.New("the mysql driver's connection cannot execute statements")
	}
	if _, err := ex.ExecContext(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("set read committed: %w", err)
	}
	return conn, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB is the underlying pool, for the pool statistics collector.
func (s *Store) DB() *sql.DB { return s.db.DB }

// Dialect is "mysql" or "sqlite".
func (s *Store) Dialect() string { return s.dialect.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", s.dialect.name, err)
	}
	return nil
}

// Migrate applies every pending migration of the store's dialect.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// migrations are the dialect's SQL migrations and the Go ones.
func (s *Store) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.name)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(s.dialect.goose, s.db.DB, sub, goose.WithGoMigrations(defaultCategoriesMigration()))
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return p, nil
}

// inTx runs fn in a transaction and retries it when the database chose it as
// a deadlock victim or was busy: both are safe to retry because fn re-reads
// everything it depends on. Each retry waits a jittered backoff and is
// counted (WriteStats).
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return s.inTxWith(ctx, nil, fn)
}

// inTxWith is inTx with the transaction options opts. With nil, on MySQL
// the session's READ COMMITTED (openMySQL) applies: no gap locks, so
// writers of different cases do not deadlock over index ranges; writers of
// the same person and matter are serialised by their case_keys row instead.
func (s *Store) inTxWith(ctx context.Context, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	if a, ok := auditOf(ctx); ok && (opts == nil || !opts.ReadOnly) {
		// an API write: its audit row goes in with it, or neither does
		write := fn
		fn = func(tx *sqlx.Tx) error {
			if err := write(tx); err != nil {
				return err
			}
			return writeAudits(ctx, tx, a)
		}
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			s.retries[retryReason(err)].Add(1)
			if serr := sleepCtx(ctx, backoff(attempt-1)); serr != nil {
				return err
			}
		}
		err = runTx(ctx, s.db, opts, fn)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

// runTx runs fn in a transaction begun on b (the pool or one connection),
// committing on success and rolling back on failure.
func runTx(ctx context.Context, b interface {
	BeginTxx(context.Context, *sql.TxOptions) (*sqlx.Tx, error)
}, opts *sql.TxOptions, fn func(tx *sqlx.Tx) error) error {
	tx, err := b.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func retryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205 // deadlock, lock wait timeout
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}

// Unavailable says whether err means the database could not do the work now
// but may soon: it does not answer, answered too slowly, has no connection
// to spare, or kept a lock past its wait. The API answers these 503 with
// Retry-After, not 500: the request was fine, and its retry may succeed.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if retryable(err) || errors.Is(err, ErrBusy) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, 1053, 1203, 1927: // too many connections, shutting down, user's connection limit, connection killed
			return true
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_LOCKED
	}
	return false
}

func duplicateKey(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// upsert returns an INSERT that, for an existing row with the same key,
// overwrites the value columns, or adds to them when add is set (tallies).
func (d dialect) upsert(table string, keyCols, valCols []string, add bool) string {
	return d.upsertRows(table, keyCols, valCols, add, 1)
}

// upsertRows is upsert for n rows in one statement. Rows are locked in the
// order given, so callers sort them to keep concurrent writers from
// deadlocking.
func (d dialect) upsertRows(table string, keyCols, valCols []string, add bool, n int) string {
	cols := append(append([]string{}, keyCols...), valCols...)
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES %s ", table, strings.Join(cols, ", "), rowMarks(len(cols), n))
	sets := make([]string, len(valCols))
	for i, c := range valCols {
		incoming := "excluded." + c
		if d.name == "mysql" {
			incoming = "VALUES(" + c + ")"
		}
		if add {
			sets[i] = c + " = " + c + " + " + incoming
		} else {
			sets[i] = c + " = " + incoming
		}
	}
	switch {
	case d.name == "mysql" && len(sets) == 0:
		// a no-op update still takes the row's exclusive lock: a key lock
		return q + "ON DUPLICATE KEY UPDATE " + keyCols[0] + " = " + keyCols[0]
	case d.name == "mysql":
		return q + "ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", ")
	case len(sets) == 0:
		return q + "ON CONFLICT DO NOTHING"
	}
	return q + "ON CONFLICT (" + strings.Join(keyCols, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
}

// putSetting sets the settings row name to value.
func putSetting(ctx context.Context, ex sqlx.ExecerContext, d dialect, name, value string) error {
	_, err := ex.ExecContext(ctx, d.upsert("settings", []string{"name"}, []string{"value"}, false), name, value)
	return err
}

// marks returns n comma-separated placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// rowList returns a list of n rows of cols placeholders for the right side
// of IN: SQLite takes row values only from a VALUES clause.
func (d dialect) rowList(cols, n int) string {
	if d.name == "sqlite" {
		return "(VALUES " + rowMarks(cols, n) + ")"
	}
	return "(" + rowMarks(cols, n) + ")"
}

// rowMarks returns n parenthesised rows of cols placeholders each.
func rowMarks(cols, n int) string {
	row := "(" + marks(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

func nullUnix(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func fromNullUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromUnix(n.Int64)
}
