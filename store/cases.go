package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"

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

// fieldErrors turns problems into field errors of kind, joined; nil when
// there are none.
func fieldErrors(ps []petition.Problem, kind error) error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = &FieldError{Field: p.Field, Problem: p.Problem, Kind: kind}
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
	Routing        bool           `db:"routing"`
	Major          bool           `db:"major"`
	MatterType     string         `db:"matter_type"`
	ReceivedMatter sql.NullString `db:"received_matter"`
}

// petitionCase is the case the row stores.
func (r caseRow) petitionCase() petition.Case {
	return petition.Case{
		CaseNo: r.CaseNo, ReceivedAt: fromUnix(r.ReceivedAt), Channel: r.Channel, Category: r.Category, Unit: r.ReceivedUnit,
		Persons: r.Persons, Level: r.Level, PetitionerHash: r.PetitionerHash, RepeatOf: r.RepeatOf.String,
		Supervised: r.Supervised, Routing: r.Routing, MatterType: r.MatterType, Major: r.Major,
		Matter: r.ReceivedMatter.String,
	}
}

// same reports whether c is the stored case sent again: its content, the
// petitioner's identity aside. Whether a submitted identity matches the
// stored one must decide no answer, or re-sending a case with guessed
// identity numbers would tell which is the petitioner's (200 against 409):
// a replay keeps the identity stored first, whatever it carries.
func (r caseRow) same(c petition.Case) bool {
	return r.ReceivedAt == c.ReceivedAt.Unix() && r.Channel == c.Channel && r.Category == c.Category &&
		r.ReceivedUnit == c.Unit && r.Persons == c.Persons && r.Level == c.Level &&
		r.RepeatOf.String == c.RepeatOf && r.Supervised == c.Supervised &&
		r.Routing == c.Routing && r.Major == c.Major && r.MatterType == petition.MatterOf(c.MatterType) &&
		r.ReceivedMatter.String == c.Matter
}

// CreateCase stores a new case with its derived flags and counts it, and
// returns it as stored. Sending the same case again is a no-op (created is
// false); the same case number with other content is ErrConflict. Nothing is
// written when it fails. Concurrent calls share transactions (see
// groupcommit.go) with the same outcome as one after another.
func (s *Store) CreateCase(ctx context.Context, r petition.Rules, c petition.Case) (view CaseView, created bool, err error) {
	if err := fieldErrors(c.Problems(), ErrInvalidValue); err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	c = caseInSeconds(c)
	call, err := s.creates.enqueue(caseWrite{r: r, c: c, audit: auditFrom(ctx)})
	if err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	if err := s.creates.await(ctx, call); err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	if err := cmp.Or(call.err, call.res.err); err != nil {
		return CaseView{}, false, fmt.Errorf("create case %s: %w", c.CaseNo, err)
	}
	if call.res.created {
		return call.res.view, true, nil
	}
	view, err = s.Case(ctx, c.CaseNo)
	return view, false, err
}

// checkEventRefs checks that what e names (a reassignment's unit, a link's
// matter) exists.
func checkEventRefs(ctx context.Context, tx *sqlx.Tx, e petition.Event) error {
	table, code := "units", e.Unit
	switch f := e.Spec().Field; {
	case f == petition.FieldMatter && e.Matter != "":
		table, code = "matters", e.Matter
	case f != petition.FieldUnit || e.Unit == "":
		return nil
	}
	ok, err := refExists(ctx, tx, table, code)
	if err != nil {
		return err
	}
	k := Known{Units: map[string]bool{e.Unit: ok}, Matters: map[string]bool{e.Matter: ok}}
	return fieldErrors(k.EventProblems(e), ErrUnknownRef)
}

// matterKey hashes a case's petitioner, category and unit at receipt to the
// 64-bit key of its case_keys row.
func matterKey(c petition.Case) int64 {
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

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
