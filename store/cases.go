package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
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

// CreateCase stores a new case with its derived flags and counts it, and
// returns it as stored. Sending the same case again is a no-op (created is
// false); the same case number with other content is ErrConflict. Nothing is
// written when it fails.
func (s *Store) CreateCase(ctx context.Context, r petition.Rules, c NewCase) (view CaseView, created bool, err error) {
	if err := c.Validate(); err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
	for attempt := 0; ; attempt++ {
		err = s.inTx(ctx, func(tx *sqlx.Tx) error {
			var e error
			view, created, e = s.createCase(ctx, tx, r, c)
			return e
		})
		// A concurrent create of the same number won the race: the next
		// attempt finds its row and compares.
		if err == nil || !duplicateKey(err) || attempt > 0 {
			break
		}
	}
	if err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	if !created {
		view, err = s.Case(ctx, c.CaseNo)
	}
	return view, created, err
}

// sameKeyRow is a case of the same petitioner, category and unit.
type sameKeyRow struct {
	ID         int64  `db:"id"`
	ReceivedAt int64  `db:"received_at"`
	Channel    string `db:"channel"`
	Level      string `db:"level"`
	IsRepeat   bool   `db:"is_repeat"`
}

func (s *Store) createCase(ctx context.Context, tx *sqlx.Tx, r petition.Rules, c NewCase) (CaseView, bool, error) {
	// Lock the person-and-matter row before reading anything, so the repeat
	// rule below sees every committed case of the same key.
	keyLock := s.dialect.upsert("case_keys", []string{"k"}, nil, false)
	if _, err := tx.ExecContext(ctx, keyLock, matterKey(c)); err != nil {
		return CaseView{}, false, fmt.Errorf("lock case key: %w", err)
	}
	// One statement answers whether the case exists, whether its references
	// do, and which cases of the same key could be an earlier original of
	// this one or a later repeat of it (one day of slack covers calendar days).
	var rows []refsAndSameKey
	err := tx.SelectContext(ctx, &rows, `SELECT k.n_case, k.n_unit, k.n_category, k.n_repeat_of,
c.id, c.received_at, c.channel, c.level, c.is_repeat FROM (SELECT
(SELECT COUNT(*) FROM cases WHERE case_no = ?) AS n_case, (SELECT COUNT(*) FROM units WHERE code = ?) AS n_unit,
(SELECT COUNT(*) FROM categories WHERE code = ?) AS n_category, (SELECT COUNT(*) FROM cases WHERE case_no = ?) AS n_repeat_of) k
LEFT JOIN cases c ON c.petitioner_hash = ? AND c.category = ? AND c.received_unit = ? AND c.received_at >= ? AND c.received_at <= ?`,
		c.CaseNo, c.Unit, c.Category, c.RepeatOf, c.PetitionerHash, c.Category, c.Unit,
		r.RepeatSince(c.ReceivedAt).Unix(), r.AddDays(c.ReceivedAt, r.RepeatLookbackDays+1).Unix())
	if err != nil {
		return CaseView{}, false, fmt.Errorf("check references: %w", err)
	}
	if rows[0].Case > 0 {
		var existing caseRow
		if err := tx.GetContext(ctx, &existing, selectCaseContent, c.CaseNo); err != nil {
			return CaseView{}, false, err
		}
		if existing.same(c) {
			return CaseView{}, false, nil
		}
		return CaseView{}, false, fmt.Errorf("%w: case_no %s was stored with other content", ErrConflict, c.CaseNo)
	}
	if err := missingRefs(rows[0].refCounts, c.Unit, c.Category, c.RepeatOf); err != nil {
		return CaseView{}, false, err
	}
	var same []sameKeyRow
	for _, row := range rows {
		if row.ID.Valid {
			same = append(same, sameKeyRow{ID: row.ID.Int64, ReceivedAt: row.ReceivedAt.Int64, Channel: row.Channel.String,
				Level: row.Level.String, IsRepeat: row.IsRepeat.Int64 == 1})
		}
	}
	repeat := c.RepeatOf != ""
	var later []sameKeyRow
	for _, o := range same {
		at := fromUnix(o.ReceivedAt)
		switch {
		case at.Before(c.ReceivedAt):
			repeat = true
		case at.After(c.ReceivedAt) && !o.IsRepeat && !r.RepeatSince(at).After(c.ReceivedAt):
			later = append(later, o)
		}
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
		return CaseView{}, false, fmt.Errorf("insert case: %w", err)
	}
	// Cases received later that this one now precedes become repeats:
	// history loaded out of order ends as if loaded in order.
	for _, l := range later {
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET is_repeat = 1 WHERE id = ?", l.ID); err != nil {
			return CaseView{}, false, fmt.Errorf("mark repeat: %w", err)
		}
		if err := s.addReceipt(ctx, tx, c.CaseNo, c.Unit, c.Category, l.Channel, l.Level, 0, 0, false, true); err != nil {
			return CaseView{}, false, err
		}
	}
	// Last: the tally rows are the most contended locks; hold them briefly.
	if err := s.addReceipt(ctx, tx, c.CaseNo, c.Unit, c.Category, c.Channel, c.Level, 1, c.Persons, collective, repeat); err != nil {
		return CaseView{}, false, err
	}
	return CaseView{
		CaseNo: c.CaseNo, ReceivedAt: c.ReceivedAt, Channel: c.Channel, Category: c.Category, ReceivedUnit: c.Unit,
		Persons: c.Persons, Level: c.Level, RepeatOf: c.RepeatOf, Supervised: c.Supervised, Collective: collective,
		SkipLevel: skip, Repeat: repeat, State: st,
	}, true, nil
}

type refCounts struct {
	Case     int `db:"n_case"`
	Unit     int `db:"n_unit"`
	Category int `db:"n_category"`
	RepeatOf int `db:"n_repeat_of"`
}

type refsAndSameKey struct {
	refCounts
	ID         sql.NullInt64  `db:"id"`
	ReceivedAt sql.NullInt64  `db:"received_at"`
	Channel    sql.NullString `db:"channel"`
	Level      sql.NullString `db:"level"`
	IsRepeat   sql.NullInt64  `db:"is_repeat"`
}

// missingRefs names every given reference that does not exist.
func missingRefs(n refCounts, unit, category, repeatOf string) error {
	var errs []error
	for _, ref := range []struct {
		field, value string
		found        int
	}{{"unit", unit, n.Unit}, {"category", category, n.Category}, {"repeat_of", repeatOf, n.RepeatOf}} {
		if ref.value != "" && ref.found == 0 {
			errs = append(errs, &FieldError{Field: ref.field, Problem: fmt.Sprintf("%s %q does not exist", ref.field, ref.value), Kind: ErrUnknownRef})
		}
	}
	return errors.Join(errs...)
}

// checkUnit checks that a unit exists.
func checkUnit(ctx context.Context, tx *sqlx.Tx, unit string) error {
	var n refCounts
	if err := tx.GetContext(ctx, &n.Unit, "SELECT COUNT(*) FROM units WHERE code = ?", unit); err != nil {
		return fmt.Errorf("check unit: %w", err)
	}
	return missingRefs(n, unit, "", "")
}

// matterKey hashes a case's petitioner, category and unit at receipt to the
// 64-bit key of its case_keys row.
func matterKey(c NewCase) int64 {
	h := fnv.New64a()
	h.Write([]byte(c.PetitionerHash + "\x00" + c.Category + "\x00" + c.Unit))
	return int64(h.Sum64() >> 1)
}

// tallyShards is how many rows each tally counter is spread over.
const tallyShards = 16

// shardOf picks a tally shard for a fact about a case: writers of different
// cases mostly lock different rows.
func shardOf(caseNo string) int {
	h := fnv.New32a()
	h.Write([]byte(caseNo))
	return int(h.Sum32() % tallyShards)
}

func (s *Store) addReceipt(ctx context.Context, tx *sqlx.Tx, caseNo, unit, category, channel, level string, cases, persons int, collective, repeat bool) error {
	q := s.dialect.upsert("receipt_tally", []string{"unit", "category", "channel", "level", "shard"},
		[]string{"cases", "persons", "collective", "repeats"}, true)
	if _, err := tx.ExecContext(ctx, q, unit, category, channel, level, shardOf(caseNo), cases, persons, b2i(collective), b2i(repeat)); err != nil {
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
