package dashboards

import (
	"regexp"
	"strings"

	"riskmon/alerts"
	"riskmon/collector"
)

// domainMetrics are the metrics every riskmon replica exports alike (from
// its snapshot); the live self metrics are each replica's own.
var domainMetrics = func() map[string]bool {
	out := map[string]bool{}
	for _, m := range collector.Metrics() {
		out[m.Name] = !m.Live
	}
	return out
}()

var selector = regexp.MustCompile(`petition_[a-z_]+(\{[^}]*\})?`)

// oneReplica puts alerts.OneReplica around every domain metric of expr, as
// the rules do, so that a panel fed by two replicas shows each number once
// and its joins on petition_unit_info stay one-to-one. A recorded series
// (level:metric:operation) is left alone: the rules made it from one copy.
func oneReplica(expr string) string {
	var b strings.Builder
	last := 0
	for _, m := range selector.FindAllStringIndex(expr, -1) {
		name := expr[m[0]:m[1]]
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		recorded := (m[0] > 0 && expr[m[0]-1] == ':') || (m[1] < len(expr) && expr[m[1]] == ':')
		if !domainMetrics[name] || recorded {
			continue
		}
		b.WriteString(expr[last:m[0]])
		b.WriteString(alerts.OneReplica + " (" + expr[m[0]:m[1]] + ")")
		last = m[1]
	}
	b.WriteString(expr[last:])
	return b.String()
}
