package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jmoiron/sqlx"

	"riskmon/petition"
)

// Errors callers tell apart; each is wrapped with the detail that names it.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflicts with the stored case")
	ErrUnknownRef   = errors.New("unknown reference")
	ErrInvalidValue = errors.New("invalid value")
)

// FieldError is one problem with one field. It wraps ErrInvalidValue or
// ErrUnknownRef, so callers can both tell the kind and name the field.
type FieldError struct {
	Field   string
	Problem string
	Kind    error
}

func (e *FieldError) Error() string { return e.Kind.Error() + ": " + e.Field + ": " + e.Problem }

// Unwrap returns the kind of the problem.
func (e *FieldError) Unwrap() error { return e.Kind }

// FieldErrors lists the field problems in err (a FieldError or a join of them).
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		switch x := e.(type) {
		case *FieldError:
			out = append(out, x)
		case interface{ Unwrap() []error }:
			for _, inner := range x.Unwrap() {
				walk(inner)
			}
		default:
			if u := errors.Unwrap(e); u != nil {
				walk(u)
			}
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// NewCase is a petition case as received. PetitionerHash is the keyed hash
// (petition.PetitionerHash), never the identifier itself.
type NewCase struct {
	CaseNo         string
	ReceivedAt     time.Time
	Channel        string
	Category       string
	Unit           string
	Persons        int
	Level          string
	PetitionerHash string
	RepeatOf       string
	Supervised     bool
}

var (
	caseNoPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	hashPattern   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Validate reports every field the store cannot accept.
func (c NewCase) Validate() error {
	var errs []error
	bad := func(field, problem string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Problem: fmt.Sprintf(problem, args...), Kind: ErrInvalidValue})
	}
	if !caseNoPattern.MatchString(c.CaseNo) {
		bad("case_no", "%q must be 1 to 64 letters, digits, '.', '_' or '-'", c.CaseNo)
	}
	if c.ReceivedAt.IsZero() {
		bad("received_at", "missing")
	}
	if !petition.Contains(petition.Channels, c.Channel) {
		bad("channel", "%q is not one of %v", c.Channel, petition.Channels)
	}
	if !petition.Contains(petition.Levels, c.Level) {
		bad("level", "%q is not one of %v", c.Level, petition.Levels)
	}
	if c.Persons < 1 {
		bad("persons", "%d is below 1", c.Persons)
	}
	if !hashPattern.MatchString(c.PetitionerHash) {
		bad("petitioner_hash", "must be a hex HMAC-SHA256")
	}
	if c.RepeatOf == c.CaseNo {
		bad("repeat_of", "a case cannot repeat itself")
	}
	return errors.Join(errs...)
}

// caseRow is the stored form of a case's immutable content.
type caseRow struct {
	ID             int64          `db:"id"`
	CaseNo         string         `db:"case_no"`
	ReceivedAt     int64          `db:"received_at"`
	Channel        string         `db:"channel"`
	Category       string         `db:"category"`
	ReceivedUnit   string         `db:"received_unit"`
	Persons        int            `db:"persons"`
	Level          string         `db:"level"`
	PetitionerHash string         `db:"petitioner_hash"`
	RepeatOf       sql.NullString `db:"repeat_of"`
	Supervised     bool           `db:"supervised"`
}

func (r caseRow) same(c NewCase) bool {
	return r.ReceivedAt == c.ReceivedAt.Unix() && r.Channel == c.Channel && r.Category == c.Category &&
		r.ReceivedUnit == c.Unit && r.Persons == c.Persons && r.Level == c.Level &&
		r.PetitionerHash == c.PetitionerHash && r.RepeatOf.String == c.RepeatOf && r.Supervised == c.Supervised
}

const selectCaseContent = `SELECT id, case_no, received_at, channel, category, received_unit, persons, level,
petitioner_hash, repeat_of, supervised FROM cases WHERE case_no = ?`

// CreateCase stores a new case with its derived flags and counts it. Sending
// the same case again is a no-op (created is false); the same case number with
// other content is ErrConflict. Nothing is written when it fails.
func (s *Store) CreateCase(ctx context.Context, r petition.Rules, c NewCase) (created bool, err error) {
	if err := c.Validate(); err != nil {
		return false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
	for attempt := 0; ; attempt++ {
		err = s.inTx(ctx, func(tx *sqlx.Tx) error {
			var e error
			created, e = s.createCase(ctx, tx, r, c)
			return e
		})
		// A concurrent create of the same number won the race: the next
		// attempt finds its row and compares.
		if err == nil || !duplicateKey(err) || attempt > 0 {
			break
		}
	}
	if err != nil {
		return false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	return created, nil
}

func (s *Store) createCase(ctx context.Context, tx *sqlx.Tx, r petition.Rules, c NewCase) (bool, error) {
	// Lock the person-and-matter row before reading anything, so the repeat
	// rule below sees every committed case of the same key.
	keyLock := s.dialect.upsert("case_keys", []string{"petitioner_hash", "category", "unit"}, nil, false)
	if _, err := tx.ExecContext(ctx, keyLock, c.PetitionerHash, c.Category, c.Unit); err != nil {
		return false, fmt.Errorf("lock case key: %w", err)
	}
	var existing caseRow
	err := tx.GetContext(ctx, &existing, selectCaseContent, c.CaseNo)
	switch {
	case err == nil:
		if existing.same(c) {
			return false, nil
		}
		return false, fmt.Errorf("%w: case_no %s was stored with other content", ErrConflict, c.CaseNo)
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	if err := checkRefs(ctx, tx, c); err != nil {
		return false, err
	}
	repeat := c.RepeatOf != ""
	if !repeat {
		var n int
		err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM cases WHERE petitioner_hash = ? AND category = ?
AND received_unit = ? AND received_at >= ? AND received_at < ?`,
			c.PetitionerHash, c.Category, c.Unit, r.RepeatSince(c.ReceivedAt).Unix(), c.ReceivedAt.Unix())
		if err != nil {
			return false, fmt.Errorf("find earlier case: %w", err)
		}
		repeat = n > 0
	}
	st := r.Received(c.Unit, c.ReceivedAt)
	collective, skip := r.Collective(c.Persons), petition.SkipLevel(c.Level)
	_, err = tx.ExecContext(ctx, `INSERT INTO cases (case_no, received_at, channel, category, received_unit, unit,
persons, level, petitioner_hash, repeat_of, supervised, collective, skip_level, is_repeat, status, stage,
stage_deadline, extended, decided_at, last_event_at, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, 0)`,
		c.CaseNo, c.ReceivedAt.Unix(), c.Channel, c.Category, c.Unit, c.Unit, c.Persons, c.Level, c.PetitionerHash,
		sql.NullString{String: c.RepeatOf, Valid: c.RepeatOf != ""}, c.Supervised, collective, skip, repeat,
		st.Status, st.Stage(), st.Deadline.Unix(), st.LastEventAt.Unix())
	if err != nil {
		return false, fmt.Errorf("insert case: %w", err)
	}
	if err := s.addReceipt(ctx, tx, c.Unit, c.Category, c.Channel, c.Level, 1, c.Persons, collective, repeat); err != nil {
		return false, err
	}
	if err := s.markLaterRepeats(ctx, tx, r, c); err != nil {
		return false, err
	}
	return true, nil
}

func checkRefs(ctx context.Context, tx *sqlx.Tx, c NewCase) error {
	var errs []error
	for _, ref := range []struct{ field, query, value string }{
		{"unit", "SELECT COUNT(*) FROM units WHERE code = ?", c.Unit},
		{"category", "SELECT COUNT(*) FROM categories WHERE code = ?", c.Category},
		{"repeat_of", "SELECT COUNT(*) FROM cases WHERE case_no = ?", c.RepeatOf},
	} {
		if ref.value == "" {
			continue
		}
		var n int
		if err := tx.GetContext(ctx, &n, ref.query, ref.value); err != nil {
			return fmt.Errorf("check %s: %w", ref.field, err)
		}
		if n == 0 {
			errs = append(errs, &FieldError{Field: ref.field, Problem: fmt.Sprintf("%s %q does not exist", ref.field, ref.value), Kind: ErrUnknownRef})
		}
	}
	return errors.Join(errs...)
}

// markLaterRepeats makes cases received after c, that c now precedes within the
// look-back, repeats: history loaded out of order ends as if loaded in order.
func (s *Store) markLaterRepeats(ctx context.Context, tx *sqlx.Tx, r petition.Rules, c NewCase) error {
	var later []struct {
		ID         int64  `db:"id"`
		ReceivedAt int64  `db:"received_at"`
		Channel    string `db:"channel"`
		Level      string `db:"level"`
	}
	// One day of slack covers calendar-day arithmetic; RepeatSince decides.
	horizon := r.AddDays(c.ReceivedAt, r.RepeatLookbackDays+1).Unix()
	err := tx.SelectContext(ctx, &later, `SELECT id, received_at, channel, level FROM cases
WHERE petitioner_hash = ? AND category = ? AND received_unit = ? AND received_at > ? AND received_at <= ?
AND is_repeat = 0`+s.dialect.forUpdate, c.PetitionerHash, c.Category, c.Unit, c.ReceivedAt.Unix(), horizon)
	if err != nil {
		return fmt.Errorf("find later cases: %w", err)
	}
	for _, l := range later {
		if r.RepeatSince(fromUnix(l.ReceivedAt)).After(c.ReceivedAt) {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET is_repeat = 1 WHERE id = ?", l.ID); err != nil {
			return fmt.Errorf("mark repeat: %w", err)
		}
		if err := s.addReceipt(ctx, tx, c.Unit, c.Category, l.Channel, l.Level, 0, 0, false, true); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) addReceipt(ctx context.Context, tx *sqlx.Tx, unit, category, channel, level string, cases, persons int, collective, repeat bool) error {
	q := s.dialect.upsert("receipt_tally", []string{"unit", "category", "channel", "level"},
		[]string{"cases", "persons", "collective", "repeats"}, true)
	if _, err := tx.ExecContext(ctx, q, unit, category, channel, level, cases, persons, b2i(collective), b2i(repeat)); err != nil {
		return fmt.Errorf("count receipt: %w", err)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
