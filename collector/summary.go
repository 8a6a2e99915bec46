package collector

import (
	"strings"

	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// A Summary is what a reader of a few families needs of a snapshot, made
// by the refresh itself: for each family named, its samples summed over
// every label but those kept (as sum by (kept) would), so that its size is
// the kept labels' values, not the snapshot's series. The fallback screen
// reads one instead of the snapshot: 2.4 million series at 500 units and
// 85 categories are a few thousand summed by unit.
type Summary map[string]*dto.MetricFamily

// SummarySpec names, for each family to summarise, the labels it keeps.
type SummarySpec map[string][]string

// Summarize has every later refresh make the summary of spec with its
// snapshot (Snapshot.Summary).
func (c *Collector) Summarize(spec SummarySpec) { c.summary.Store(&spec) }

// Summary is the snapshot's summary, or nil when none was asked for.
func (s *Snapshot) Summary() Summary { return s.summary }

// summarize sums the exposition's samples as spec says.
func (e *exposition) summarize(spec SummarySpec) Summary {
	out := Summary{}
	for name, keep := range spec {
		f := e.families[name]
		if f == nil {
			continue
		}
		pos := make([]int, 0, len(keep)) // the kept labels' positions among the family's
		for _, k := range keep {
			for i, l := range f.d.Doc.Labels {
				if l == k {
					pos = append(pos, i)
				}
			}
		}
		n := len(f.d.Doc.Labels)
		sums := map[string]float64{}
		var order []string
		for s, v := range f.nums {
			parts := make([]string, len(pos))
			for j, p := range pos {
				parts[j] = f.values[s*n+p]
			}
			key := strings.Join(parts, "\xff")
			if _, ok := sums[key]; !ok {
				order = append(order, key)
			}
			sums[key] += v
		}
		mf := &dto.MetricFamily{Name: proto.String(name), Help: proto.String(f.d.Doc.Help)}
		counter := f.d.Doc.Type == "counter"
		if counter {
			mf.Type = dto.MetricType_COUNTER.Enum()
		} else {
			mf.Type = dto.MetricType_GAUGE.Enum()
		}
		for _, key := range order {
			m := &dto.Metric{}
			if len(pos) > 0 {
				for j, v := range strings.Split(key, "\xff") {
					m.Label = append(m.Label, &dto.LabelPair{Name: proto.String(f.d.Doc.Labels[pos[j]]), Value: proto.String(v)})
				}
			}
			if counter {
				m.Counter = &dto.Counter{Value: proto.Float64(sums[key])}
			} else {
				m.Gauge = &dto.Gauge{Value: proto.Float64(sums[key])}
			}
			mf.Metric = append(mf.Metric, m)
		}
		out[name] = mf
	}
	return out
}

// Series is what a snapshot exports: its series, and about how many one
// more unit or category would add (each family's series over the units, or
// categories, for the families by unit, or category), for the budget
// (max_series) that the API checks before it creates one.
type Series struct {
	Total                int
	PerUnit, PerCategory float64
}

// Series is the snapshot's count.
func (s *Snapshot) Series() Series { return s.series }

// count is the exposition's Series; the units and categories are those
// petition_unit_info and petition_category_info name.
func (e *exposition) count() Series {
	known := func(d typedDesc) int {
		if f := e.families[d.Doc.Name]; f != nil {
			return len(f.nums)
		}
		return 0
	}
	units, categories := known(unitInfo), known(categoryInfo)
	var out Series
	for _, f := range e.families {
		n := len(f.nums)
		out.Total += n
		for _, l := range f.d.Doc.Labels {
			switch {
			case l == "unit" && units > 0:
				out.PerUnit += float64(n) / float64(units)
			case l == "category" && categories > 0:
				out.PerCategory += float64(n) / float64(categories)
			}
		}
	}
	return out
}
