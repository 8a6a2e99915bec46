package store

import (
	"context"
	"time"

	"riskmon/petition"
)

// The store keeps times to the second (Unix seconds in BIGINT columns).
// Every way in cuts the times it is given here, once, where they enter,
// before anything compares, replays or counts them: a sub-second part must
// not make a replay look different from what is stored, nor put a count on
// the other side of an edge from the stored row. Below the entry points the
// times are whole seconds.

func second(t time.Time) time.Time { return t.Truncate(time.Second) }

func caseInSeconds(c petition.Case) petition.Case { c.ReceivedAt = second(c.ReceivedAt); return c }

func eventInSeconds(e petition.Event) petition.Event { e.At = second(e.At); return e }

func disputeInSeconds(d petition.Dispute) petition.Dispute { d.FoundAt = second(d.FoundAt); return d }

func disputeEventInSeconds(e petition.DisputeEvent) petition.DisputeEvent {
	e.At = second(e.At)
	return e
}

// inSeconds is the case and its history cut to the second.
func (lc LoadCase) inSeconds() LoadCase {
	lc.Case, lc.Events = caseInSeconds(lc.Case), cutEach(lc.Events, eventInSeconds)
	return lc
}

// inSeconds is the dispute and its events cut to the second.
func (ld LoadDispute) inSeconds() LoadDispute {
	ld.Dispute, ld.Events = disputeInSeconds(ld.Dispute), cutEach(ld.Events, disputeEventInSeconds)
	return ld
}

// cutEach is xs cut by cut, in a slice of its own: the caller's is left as
// it was.
func cutEach[T any](xs []T, cut func(T) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = cut(x)
	}
	return out
}

// sourceInSeconds reads src and cuts each batch's times.
func sourceInSeconds(src CaseSource) CaseSource {
	return func(ctx context.Context) ([]LoadCase, error) {
		batch, err := src(ctx)
		if err != nil {
			return nil, err
		}
		return cutEach(batch, LoadCase.inSeconds), nil
	}
}
