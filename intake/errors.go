// Package intake is riskmon's way in for cases: the /api/v1 JSON handlers with
// their bearer-token auth, request decoding and validation, and the reading
// of import files. A refused request writes nothing.
package intake

import (
	"errors"
	"fmt"
	"net/http"

	"riskmon/access"
	"riskmon/petition"
	"riskmon/store"
)

// Detail is one problem with one field of a request.
type Detail struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// details collects a request's problems as its checks find them.
type details []Detail

func (ds *details) add(field, format string, args ...any) {
	*ds = append(*ds, Detail{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// Error is the JSON body of every refusal.
type Error struct {
	Status  int      `json:"-"`
	Message string   `json:"error"`
	Details []Detail `json:"details,omitempty"`
}

func (e *Error) Error() string { return e.Message }

func invalid(details []Detail) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Message: "invalid values", Details: details}
}

// storeError maps a store error to the API's answer: field problems and a
// malformed event are 422, conflicts and a step the status does not allow
// 409 (naming the status), a missing case or dispute 404. Anything else is
// the server's fault.
func storeError(err error) *Error {
	if fes := store.FieldErrors(err); len(fes) > 0 {
		var ds []Detail
		for _, fe := range fes {
			ds = append(ds, Detail{Field: fe.Field, Problem: fe.Problem})
		}
		return invalid(ds)
	}
	switch {
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrDisputeConflict), errors.Is(err, petition.ErrTransition):
		return &Error{Status: http.StatusConflict, Message: err.Error()}
	case errors.Is(err, petition.ErrInvalidEvent):
		return invalid([]Detail{{Field: "type", Problem: err.Error()}})
	case errors.Is(err, store.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Message: err.Error()}
	case errors.Is(err, access.ErrOutOfScope):
		return &Error{Status: http.StatusForbidden, Message: err.Error()}
	}
	return nil
}
