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

// countyMatcher scopes a selector to the county variable: on a county's own
// Prometheus no series has a county label and "All" (.*) matches them all;
// on the province's, it picks counties.
const countyMatcher = `county=~"$county"`

var metricName = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?`)

// inCounty adds countyMatcher to every riskmon series expr names: domain,
// self and recorded (a name with "petition" in it that is not a function).
func inCounty(expr string) string {
	var b strings.Builder
	last := 0
	for _, m := range metricName.FindAllStringSubmatchIndex(expr, -1) {
		end := m[1]
		name := expr[m[0]:end]
		if m[2] >= 0 {
			name = expr[m[0]:m[2]]
		}
		if !strings.Contains(name, "petition") || (end < len(expr) && expr[end] == '(') {
			continue
		}
		b.WriteString(expr[last:m[0]])
		if m[2] >= 0 { // {...}: add to its matchers
			inner := strings.TrimSpace(expr[m[2]+1 : m[3]-1])
			if inner != "" {
				inner += ","
			}
			b.WriteString(name + "{" + inner + countyMatcher + "}")
		} else {
			b.WriteString(name + "{" + countyMatcher + "}")
		}
		last = end
	}
	b.WriteString(expr[last:])
	return b.String()
}

// scoped is a panel's query as served: one copy of each domain series
// (oneReplica), in the chosen counties (inCounty).
func scoped(expr string) string { return inCounty(oneReplica(expr)) }

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
