package collector

import (
	"bytes"
	"fmt"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Latest returns the latest snapshot, stale or not (nil before the first
// refresh), and whether it is within the staleness limit: /metrics withholds
// a stale one, the fallback screen says it is stale.
func (c *Collector) Latest() (*Snapshot, bool) {
	s := c.snap.Load()
	return s, c.fresh(s, c.now())
}

// FamiliesOf returns the snapshot's metrics of the names given, parsed from
// the lines of those metrics alone: a reader of a few families (the
// fallback screen) pays for a pass over the text, not for parsing and
// holding the whole snapshot (2.4 million series at 500 units and 85
// categories).
func (s *Snapshot) FamiliesOf(names []string) (map[string]*dto.MetricFamily, error) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var kept bytes.Buffer
	for text := s.text; len(text) > 0; {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i+1], text[i+1:]
		} else {
			text = nil
		}
		if want[string(metricOfLine(line))] {
			kept.Write(line)
		}
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(&kept)
	if err != nil {
		return nil, fmt.Errorf("parse the snapshot: %w", err)
	}
	return fams, nil
}

// metricOfLine is the metric a line of the text format is of: a sample's
// name, or the name a # HELP or # TYPE line describes.
func metricOfLine(line []byte) []byte {
	if rest, ok := bytes.CutPrefix(line, []byte("# HELP ")); ok {
		line = rest
	} else if rest, ok := bytes.CutPrefix(line, []byte("# TYPE ")); ok {
		line = rest
	}
	end := bytes.IndexAny(line, "{ \n")
	if end < 0 {
		return line
	}
	return line[:end]
}
