// Package dashboards generates riskmon's Grafana dashboards as code, in
// Simplified Chinese (the wall screens' default) and English from the same
// code: the command center, one unit, and the service's own health. The JSON
// under json/ is what Generate writes; a test keeps them equal.
package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Lang is a dashboard language.
type Lang string

// The languages: Chinese has the plain uids, English adds "-en".
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// Langs lists every language generated.
var Langs = []Lang{Chinese, English}

// DatasourceUID is the uid of the Prometheus data source in the shipped
// provisioning file, the default of every dashboard's datasource variable.
const DatasourceUID = "riskmon-prometheus"

// t picks the text of the language.
func (l Lang) t(zh, en string) string {
	if l == English {
		return en
	}
	return zh
}

func (l Lang) uid(base string) string {
	if l == English {
		return base + "-en"
	}
	return base
}

// page is one dashboard under construction: its language, and the queries
// it marks as legitimately empty (no alert firing, no overdue case).
type page struct {
	Lang
	empty map[string]bool
}

// emptyOK marks expr as a query that may legitimately return no data.
func (p *page) emptyOK(expr string) string {
	p.empty[scoped(expr)] = true // as the panel's query will read
	return expr
}

// Built is a generated dashboard with the queries that may legitimately
// return nothing; the end-to-end test only checks that those parse.
type Built struct {
	Dashboard  dashboard.Dashboard
	MayBeEmpty map[string]bool
}

// ofRiskmon keeps the series of expr that come from riskmon's own scrape
// targets, whatever the job is called: those that also export
// petition_build_info.
func ofRiskmon(expr string) string {
	return "(" + expr + " and on(job, instance) petition_build_info)"
}

// configVariable is a hidden variable holding a configured value that riskmon
// exports (expr, one value with no labels), so that titles show what the
// service counts with instead of repeating the literal. Grafana's
// query_result writes such a value as "{} VALUE TIMESTAMP".
func configVariable(name, expr string) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Datasource(dsRef).
		Query(dashboard.StringOrMap{String: ptr("query_result(" + expr + ")")}).
		Regex(`/^\{\} (?<value>[0-9.]+) /`).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Hide(dashboard.VariableHideHideVariable)
}

var dsRef = common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}

func target(expr, legend string) *prometheus.DataqueryBuilder {
	q := prometheus.NewDataqueryBuilder().Expr(scoped(expr)).Datasource(dsRef)
	if legend != "" {
		q = q.LegendFormat(legend)
	}
	return q
}

// query is a range query, for graphs.
func query(expr, legend string) *prometheus.DataqueryBuilder { return target(expr, legend).Range() }

// instant is the value now, for stats, gauges and tables.
func instant(expr, legend string) *prometheus.DataqueryBuilder { return target(expr, legend).Instant() }

func datasourceVariable(l Lang) *dashboard.DatasourceVariableBuilder {
	return dashboard.NewDatasourceVariableBuilder("datasource").
		Label(l.t("数据源", "Data source")).
		Type("prometheus").
		Current(dashboard.VariableOption{Text: dashboard.StringOrArrayOfString{String: cog.ToPtr("Prometheus")},
			Value: dashboard.StringOrArrayOfString{String: cog.ToPtr(DatasourceUID)}})
}

func base(l Lang, uid, zh, en, refresh string, tags ...string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(l.t(zh, en)).
		Uid(l.uid(uid)).
		Tags(append([]string{"riskmon"}, tags...)).
		Readonly().
		Refresh(refresh).
		Time("now-24h", "now").
		Timezone("browser").
		WithVariable(datasourceVariable(l)).
		WithVariable(countyVariable(l))
}

// countyVariable picks counties on a province's Prometheus, which federates
// the counties' series with their county external label; on a county's own
// there is none to pick and All matches everything.
func countyVariable(l Lang) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder("county").
		Label(l.t("县", "County")).
		Datasource(dsRef).
		Query(dashboard.StringOrMap{String: ptr(`label_values(petition:sensitive_period:active, county)`)}).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		IncludeAll(true).
		AllValue(".*").
		Current(dashboard.VariableOption{Text: dashboard.StringOrArrayOfString{String: ptr("All")},
			Value: dashboard.StringOrArrayOfString{String: ptr("$__all")}})
}

func steps(colors ...any) *dashboard.ThresholdsConfigBuilder {
	var ts []dashboard.Threshold
	for i := 0; i < len(colors); i += 2 {
		t := dashboard.Threshold{Color: colors[i+1].(string)}
		if v, ok := colors[i].(float64); ok {
			t.Value = cog.ToPtr(v)
		}
		ts = append(ts, t)
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(ts)
}

// fromRecorded colours a panel by the recorded alert thresholds (query T,
// one series per threshold named by its legend): Grafana's "config from query
// results" turns them into the panel's orange and red steps, so the screens
// change colour exactly where the alerts fire, sensitive period included.
var fromRecorded = dashboard.DataTransformerConfig{Id: "configFromData", Options: map[string]any{
	"configRefId": "T",
	"mappings": []map[string]any{
		{"fieldName": "warning", "handlerKey": "threshold1", "reducerId": "lastNotNull"},
		{"fieldName": "critical", "handlerKey": "threshold2", "reducerId": "lastNotNull"},
	},
}}

func thresholdQuery(warning, critical string) *prometheus.DataqueryBuilder {
	return instant(`label_replace(`+warning+`, "threshold", "warning", "", "") or label_replace(`+critical+`, "threshold", "critical", "", "")`, "{{threshold}}").
		RefId("T")
}

func statPanel(title, desc, unit string, w uint32, targets ...cog.Builder[variants.Dataquery]) *stat.PanelBuilder {
	p := stat.NewPanelBuilder().Title(title).Description(desc).Unit(unit).Datasource(dsRef).
		Height(5).Span(w).
		ColorMode(common.BigValueColorModeBackground).
		GraphMode(common.BigValueGraphModeNone).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})).
		Thresholds(steps(nil, "green"))
	for _, t := range targets {
		p = p.WithTarget(t)
	}
	return p
}

func barPanel(title, desc, unit string, w, h uint32, targets ...cog.Builder[variants.Dataquery]) *bargauge.PanelBuilder {
	p := bargauge.NewPanelBuilder().Title(title).Description(desc).Unit(unit).Datasource(dsRef).
		Height(h).Span(w).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})).
		Thresholds(steps(nil, "green"))
	for _, t := range targets {
		p = p.WithTarget(t)
	}
	return p
}

func seriesPanel(title, desc, unit string, w, h uint32, targets ...cog.Builder[variants.Dataquery]) *timeseries.PanelBuilder {
	p := timeseries.NewPanelBuilder().Title(title).Description(desc).Unit(unit).Datasource(dsRef).
		Height(h).Span(w).Min(0)
	for _, t := range targets {
		p = p.WithTarget(t)
	}
	return p
}

func tablePanel(title, desc, unit string, w, h uint32, targets ...cog.Builder[variants.Dataquery]) *table.PanelBuilder {
	p := table.NewPanelBuilder().Title(title).Description(desc).Unit(unit).Datasource(dsRef).Height(h).Span(w)
	for _, t := range targets {
		p = p.WithTarget(t)
	}
	return p
}

// All returns every dashboard in the language.
func All(l Lang) ([]Built, error) {
	var out []Built
	for _, build := range []func(*page) *dashboard.DashboardBuilder{commandCenter, unit, serviceHealth, province} {
		p := &page{Lang: l, empty: map[string]bool{}}
		d, err := build(p).Build()
		if err != nil {
			return nil, err
		}
		out = append(out, Built{Dashboard: d, MayBeEmpty: p.empty})
	}
	return out, nil
}
