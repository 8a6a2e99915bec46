package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
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
	Routing      bool   `json:"routing,omitempty"`
	Major        bool   `json:"major,omitempty"`       // a major matter whatever its size (art. 25)
	MatterType   string `json:"matter_type,omitempty"` // claim (the default), suggestion or accusation (art. 28)
	Matter       string `json:"matter,omitempty"`      // the registered matter it raises
}

// EventRequest is one step of a case.
type EventRequest struct {
	Type      string `json:"type"`
	At        string `json:"at"`
	Days      *int   `json:"days,omitempty"`
	Result    string `json:"result,omitempty"`
	Unit      string `json:"unit,omitempty"`
	Level     string `json:"level,omitempty"`
	To        string `json:"to,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Due       string `json:"due,omitempty"`    // transferred: the assignment's date, 2006-01-02 (local)
	Matter    string `json:"matter,omitempty"` // linked: the registered matter
}

// maxIDLen bounds a petitioner identifier before it is hashed.
const maxIDLen = 64

// Validate checks every field and returns the case to store, with the
// petitioner identifier replaced by its keyed hash, or every problem found.
// The request's own form (times, a missing persons, the identifier) is
// checked here; the case's rules are petition.Case's.
func (r CaseRequest) Validate(w Window, key petition.Key) (petition.Case, []Detail) {
	var ds details
	bad := ds.add
	received, _ := parseTime("received_at", r.ReceivedAt, w, bad)
	persons := 1 // reported below when missing, not again by the case's rules
	if r.Persons == nil {
		bad("persons", "is required")
	} else {
		persons = *r.Persons
	}
	// the identifier itself never appears in a problem: it is personal data
	hash := ""
	if id := strings.TrimSpace(r.PetitionerID); id == "" || len(id) > maxIDLen {
		bad("petitioner_id", "is required, at most %d characters", maxIDLen)
	} else {
		hash = key.Hash(r.PetitionerID)
	}
	c := petition.Case{
		CaseNo: r.CaseNo, ReceivedAt: received, Channel: r.Channel, Category: r.Category, Unit: r.Unit,
		Persons: persons, Level: r.Level, PetitionerHash: hash, RepeatOf: r.RepeatOf, Supervised: r.Supervised, Routing: r.Routing,
		Major: r.Major, MatterType: r.MatterType, Matter: r.Matter,
	}
	ds = withRuleProblems(ds, c.Problems(), map[string]string{"petitioner_hash": "petitioner_id"})
	if len(ds) > 0 {
		return petition.Case{}, ds
	}
	return c, nil
}

// Validate checks the event's fields against its type; the rules are
// petition.Event's.
func (r EventRequest) Validate(w Window, rules petition.Rules) (petition.Event, []Detail) {
	var ds details
	bad := ds.add
	at, _ := parseTime("at", r.At, w, bad)
	e := petition.Event{Type: r.Type, At: at, Result: r.Result, Unit: r.Unit, Level: r.Level, To: r.To, Procedure: r.Procedure, Matter: r.Matter}
	if r.Days != nil {
		e.Days = *r.Days
	}
	if r.Due != "" {
		d, err := time.ParseInLocation(time.DateOnly, r.Due, rules.Location)
		if err != nil {
			bad("due", "%q is not a date such as 2026-10-20", r.Due)
		} else {
			e.Due = calendar.DayOf(d, rules.Location)
		}
	}
	ds = withRuleProblems(ds, e.Problems(rules), nil)
	if len(ds) > 0 {
		return petition.Event{}, ds
	}
	return e, nil
}

// withRuleProblems adds the domain's problems to the request's own, under
// the request's field names (renamed), leaving out fields the request's own
// checks have already named: one problem a field.
func withRuleProblems(ds []Detail, ps []petition.Problem, renamed map[string]string) []Detail {
	named := map[string]bool{}
	for _, d := range ds {
		named[d.Field] = true
	}
	for _, p := range ps {
		field := p.Field
		if to, ok := renamed[field]; ok {
			field = to
		}
		if !named[field] {
			ds = append(ds, Detail{Field: field, Problem: p.Problem})
		}
	}
	return ds
}

// Window is when a time given to the API may lie: not before Earliest (the
// rules' first day, 00:00 local) and not more than FutureSlack after Now.
type Window struct{ Earliest, Now time.Time }

// windowOf is the window at now under rules.
func windowOf(now time.Time, rules petition.Rules) Window {
	return Window{Earliest: rules.Earliest.Start(rules.Location), Now: now}
}

func parseTime(field, s string, w Window, bad func(string, string, ...any)) (time.Time, bool) {
	if s == "" {
		bad(field, "is required (RFC 3339 with offset, e.g. 2026-10-02T03:00:00+08:00)")
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		bad(field, "%q is not RFC 3339 with offset, e.g. 2026-10-02T03:00:00+08:00", s)
		return time.Time{}, false
	}
	if t.After(w.Now.Add(FutureSlack)) {
		bad(field, "%s is more than %s in the future", s, FutureSlack)
		return time.Time{}, false
	}
	if t.Before(w.Earliest) {
		bad(field, "%s is before %s, the earliest time taken (earliest_received)", s, w.Earliest.Format(time.RFC3339))
		return time.Time{}, false
	}
	return t, true
}

// personalFields are fields a client may try to send about a person; like
// any unknown field they are refused, with a reason that says why.
var personalFields = []string{"name", "id_number", "id_card", "phone", "mobile", "address", "petitioner_name"}

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
			if petition.Contains(personalFields, strings.ToLower(field)) {
				return malformed(Detail{Field: field, Problem: "is personal data, never accepted: riskmon counts matters and cases, not people"})
			}
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
