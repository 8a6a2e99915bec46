package store

import (
	"context"
	"slices"
	"time"

	"riskmon/petition"
)

// The store keeps times to the second (Unix seconds in BIGINT columns).
// Every way in cuts the times it is given here, once, where they enter,
// before anything compares, replays or counts them: a sub-second part must
// not make a replay look different from what is stored, nor put a count on
// the other side of an edge from the stored row. Below the entry points the
// times are whole seconds.

func caseInSeconds(c petition.Case) petition.Case {
	c.ReceivedAt = c.ReceivedAt.Truncate(time.Second)
	return c
}

func eventInSeconds(e petition.Event) petition.Event {
	e.At = e.At.Truncate(time.Second)
	return e
}

// inSeconds is the case and its history cut to the second, the events in a
// slice of their own.
func (lc LoadCase) inSeconds() LoadCase {
	lc.Case = caseInSeconds(lc.Case)
	lc.Events = slices.Clone(lc.Events)
	for i, e := range lc.Events {
		lc.Events[i] = eventInSeconds(e)
	}
	return lc
}

// casesInSeconds is inSeconds of each case, in a slice of its own.
func casesInSeconds(cases []LoadCase) []LoadCase {
	out := make([]LoadCase, len(cases))
	for i, lc := range cases {
		out[i] = lc.inSeconds()
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
		for i, lc := range batch {
			batch[i] = lc.inSeconds()
		}
		return batch, nil
	}
}

func disputeInSeconds(d petition.Dispute) petition.Dispute {
	d.FoundAt = d.FoundAt.Truncate(time.Second)
	return d
}

func disputeEventInSeconds(e petition.DisputeEvent) petition.DisputeEvent {
	e.At = e.At.Truncate(time.Second)
	return e
}

// inSeconds is the dispute and its events cut to the second, the events in
// a slice of their own.
func (ld LoadDispute) inSeconds() LoadDispute {
	ld.Dispute = disputeInSeconds(ld.Dispute)
	ld.Events = slices.Clone(ld.Events)
	for i, e := range ld.Events {
		ld.Events[i] = disputeEventInSeconds(e)
	}
	return ld
}
