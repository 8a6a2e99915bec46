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

// selector is a metric name, recorded ones (level:metric:operation)
// included, with its matchers if any.
var selector = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?`)

// rewriteSelectors replaces every selector of expr that rewrite takes
// (returning true) with what it returns; a name followed by "(" is a
// function and left alone.
func rewriteSelectors(expr string, rewrite func(name, matchers string) (string, bool)) string {
	var b strings.Builder
	last := 0
	for _, m := range selector.FindAllStringSubmatchIndex(expr, -1) {
		name, matchers := expr[m[0]:m[1]], ""
		if m[2] >= 0 {
			name, matchers = expr[m[0]:m[2]], strings.TrimSpace(expr[m[2]+1:m[3]-1])
		}
		if m[1] < len(expr) && expr[m[1]] == '(' {
			continue
		}
		out, ok := rewrite(name, matchers)
		if !ok {
			continue
		}
		b.WriteString(expr[last:m[0]])
		b.WriteString(out)
		last = m[1]
	}
	b.WriteString(expr[last:])
	return b.String()
}

// countyMatcher scopes a selector to the county variable: on a county's own
// Prometheus no series has a county label and "All" (.*) matches them all;
// on the province's, it picks counties.
const countyMatcher = `county=~"$county"`

// inCounty adds countyMatcher to every riskmon series expr names: domain,
// self and recorded (a name with "petition" in it).
func inCounty(expr string) string {
	return rewriteSelectors(expr, func(name, matchers string) (string, bool) {
		if !strings.Contains(name, "petition") {
			return "", false
		}
		if matchers != "" {
			matchers += ","
		}
		return name + "{" + matchers + countyMatcher + "}", true
	})
}

// scoped is a panel's query as served: one copy of each domain series
// (oneReplica), in the chosen counties (inCounty).
func scoped(expr string) string { return inCounty(oneReplica(expr)) }

// oneReplica puts alerts.OneReplica around every domain metric of expr, as
// the rules do, so that a panel fed by two replicas shows each number once
// and its joins on petition_unit_info stay one-to-one. A recorded series is
// no domain metric: the rules made it from one copy.
func oneReplica(expr string) string {
	return rewriteSelectors(expr, func(name, matchers string) (string, bool) {
		if !domainMetrics[name] {
			return "", false
		}
		sel := name
		if matchers != "" {
			sel += "{" + matchers + "}"
		}
		return alerts.OneReplica + " (" + sel + ")", true
	})
}
