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

// Families returns the snapshot's metrics by name, parsed from its text once
// and shared by every caller after.
func (s *Snapshot) Families() (map[string]*dto.MetricFamily, error) {
	s.parsed.Do(func() {
		p := expfmt.NewTextParser(model.UTF8Validation)
		s.families, s.parseErr = p.TextToMetricFamilies(bytes.NewReader(s.text))
		if s.parseErr != nil {
			s.parseErr = fmt.Errorf("parse the snapshot: %w", s.parseErr)
		}
	})
	return s.families, s.parseErr
}
