package screen

import (
	"sync"

	dto "github.com/prometheus/client_model/go"

	"riskmon/collector"
)

// views keeps the view of the latest snapshot: it is made once a snapshot,
// by the first request after a refresh, from the snapshot's summary (a few
// thousand samples summed by unit at the refresh), while the others wait
// for it; every other request renders it. So a request costs a template,
// however many series the snapshot holds and however many screens ask at
// once.
type views struct {
	mu   sync.Mutex
	snap *collector.Snapshot
	view View
}

// of returns the view of snap.
func (v *views) of(snap *collector.Snapshot) (View, error) {
	if v == nil { // a Handler not made by NewHandler: no cache
		fams, err := familiesOf(snap)
		return newView(fams), err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.snap == snap {
		return v.view, nil
	}
	fams, err := familiesOf(snap)
	if err != nil {
		return View{}, err
	}
	v.snap, v.view = snap, newView(fams)
	return v.view, nil
}

// familiesOf is what the screen reads of snap: its summary, or, for a
// snapshot made before the screen asked for one, its families parsed.
func familiesOf(snap *collector.Snapshot) (map[string]*dto.MetricFamily, error) {
	if s := snap.Summary(); s != nil {
		return s, nil
	}
	return snap.FamiliesOf(Metrics)
}
