package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// FutureSlack is how far ahead of the server's clock a time may lie: clocks
// of front-desk machines drift, but a case is never received tomorrow.
const FutureSlack = 5 * time.Minute

// CaseRequest is a case as the front desk sends it.
type CaseRequest struct {
	CaseNo       string `json:"case_no"`
	ReceivedAt   string `json:"received_at"`
	Channel      string `json:"channel"`
	Category     string `json:"category"`
	Unit         string `json:"unit"`
	Persons      *int   `json:"persons"`
	Level        string `json:"level"`
	PetitionerID string `json:"petitioner_id"`
	RepeatOf     string `json:"repeat_of,omitempty"`
	Supervised   bool   `json:"supervised,omitempty"`
}

// EventRequest is one step of a case.
type EventRequest struct {
	Type   string `json:"type"`
	At     string `json:"at"`
	Days   *int   `json:"days,omitempty"`
	Result string `json:"result,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

var (
	codePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	maxIDLen    = 64
)

// Validate checks every field and returns the case to store, with the
// petitioner identifier replaced by its keyed hash, or every problem found.
func (r CaseRequest) Validate(now time.Time, rules petition.Rules, key []byte) (store.NewCase, []Detail) {
	var ds []Detail
	bad := func(field, format string, args ...any) {
		ds = append(ds, Detail{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if !codePattern.MatchString(r.CaseNo) {
		bad("case_no", "must be 1 to 64 letters, digits, '.', '_' or '-'")
	}
	received, ok := parseTime("received_at", r.ReceivedAt, now, bad)
	if !petition.Contains(petition.Channels, r.Channel) {
		bad("channel", "must be one of %s", strings.Join(petition.Channels, ", "))
	}
	if !codePattern.MatchString(r.Category) {
		bad("category", "must be a category code")
	}
	if !codePattern.MatchString(r.Unit) {
		bad("unit", "must be a unit code")
	}
	switch {
	case r.Persons == nil:
		bad("persons", "is required")
	case *r.Persons < 1:
		bad("persons", "%d is below 1", *r.Persons)
	case *r.Persons > 100000:
		bad("persons", "%d is not a plausible number of persons", *r.Persons)
	}
	if !petition.Contains(petition.Levels, r.Level) {
		bad("level", "must be one of %s", strings.Join(petition.Levels, ", "))
	}
	// the identifier itself never appears in a problem: it is personal data
	if id := strings.TrimSpace(r.PetitionerID); id == "" || len(id) > maxIDLen {
		bad("petitioner_id", "is required, at most %d characters", maxIDLen)
	}
	if r.RepeatOf != "" && !codePattern.MatchString(r.RepeatOf) {
		bad("repeat_of", "must be a case number")
	}
	if r.RepeatOf != "" && r.RepeatOf == r.CaseNo {
		bad("repeat_of", "a case cannot repeat itself")
	}
	if len(ds) > 0 || !ok {
		return store.NewCase{}, ds
	}
	return store.NewCase{
		CaseNo: r.CaseNo, ReceivedAt: received, Channel: r.Channel, Category: r.Category, Unit: r.Unit,
		Persons: *r.Persons, Level: r.Level, PetitionerHash: petition.PetitionerHash(key, r.PetitionerID),
		RepeatOf: r.RepeatOf, Supervised: r.Supervised,
	}, nil
}

// Validate checks the event's fields against its type.
func (r EventRequest) Validate(now time.Time, rules petition.Rules) (petition.Event, []Detail) {
	var ds []Detail
	bad := func(field, format string, args ...any) {
		ds = append(ds, Detail{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	if !petition.Contains(petition.EventTypes, r.Type) {
		bad("type", "must be one of %s", strings.Join(petition.EventTypes, ", "))
	}
	at, _ := parseTime("at", r.At, now, bad)
	only := func(field string, set bool, typ string) bool {
		if set && r.Type != typ {
			bad(field, "is only for %s events", typ)
		}
		if !set && r.Type == typ {
			bad(field, "is required for %s events", typ)
		}
		return set && r.Type == typ
	}
	if only("days", r.Days != nil, petition.EventExtended) && (*r.Days < 1 || *r.Days > rules.MaxExtensionDays) {
		bad("days", "%d is outside 1..%d", *r.Days, rules.MaxExtensionDays)
	}
	if only("result", r.Result != "", petition.EventEvaluated) && !petition.Contains(petition.EvaluationResults, r.Result) {
		bad("result", "must be one of %s", strings.Join(petition.EvaluationResults, ", "))
	}
	if only("unit", r.Unit != "", petition.EventReassigned) && !codePattern.MatchString(r.Unit) {
		bad("unit", "must be a unit code")
	}
	if len(ds) > 0 {
		return petition.Event{}, ds
	}
	e := petition.Event{Type: r.Type, At: at, Result: r.Result, Unit: r.Unit}
	if r.Days != nil {
		e.Days = *r.Days
	}
	return e, nil
}

func parseTime(field, s string, now time.Time, bad func(string, string, ...any)) (time.Time, bool) {
	if s == "" {
		bad(field, "is required (RFC 3339 with offset, e.g. 2026-10-02T03:00:00+08:00)")
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		bad(field, "%q is not RFC 3339 with offset, e.g. 2026-10-02T03:00:00+08:00", s)
		return time.Time{}, false
	}
	if t.After(now.Add(FutureSlack)) {
		bad(field, "%s is more than %s in the future", s, FutureSlack)
		return time.Time{}, false
	}
	return t, true
}

// decode reads one JSON object into v, refusing unknown fields, trailing
// data and bodies over MaxBody.
func decode(w http.ResponseWriter, r *http.Request, v any) *Error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &Error{Status: http.StatusRequestEntityTooLarge, Message: fmt.Sprintf("body over %d bytes", MaxBody)}
		}
		return &Error{Status: http.StatusBadRequest, Message: "cannot read body: " + err.Error()}
	}
	return decodeBytes(body, v)
}

func decodeBytes(body []byte, v any) *Error {
	malformed := func(ds ...Detail) *Error {
		return &Error{Status: http.StatusBadRequest, Message: "malformed JSON body", Details: ds}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return malformed(Detail{Field: typeErr.Field, Problem: "must be a JSON " + typeErr.Type.String()})
		case errors.As(err, &syntaxErr):
			return malformed(Detail{Field: "", Problem: fmt.Sprintf("syntax error at byte %d", syntaxErr.Offset)})
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return malformed(Detail{Field: field, Problem: "unknown field"})
		case errors.Is(err, io.EOF):
			return malformed(Detail{Problem: "empty body"})
		}
		return malformed(Detail{Problem: err.Error()})
	}
	if dec.More() {
		return malformed(Detail{Problem: "data after the JSON object"})
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed(Detail{Problem: "data after the JSON object"})
	}
	return nil
}
