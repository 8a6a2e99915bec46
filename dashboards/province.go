package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/table"
)

// perCounty is a county-level recorded series by county: the province
// Prometheus may federate a county's HA pair twice, so max, not sum.
func perCounty(recorded string) string {
	return `sort_desc(max by (county) (` + recorded + `))`
}

// byCountyName is a county-level recorded series per county, in no order of
// its own: the table sorts its rows by county name.
func byCountyName(recorded string) string { return `max by (county) (` + recorded + `)` }

// province ranks the counties by what they answer for (overdue cases, on-time
// rates, overdue and unowned disputes), from the petition:* series a province
// Prometheus federates from every county's (province/prometheus.yml). The
// volumes of petitions (collective, skip-level, repeat) are numbers per
// county, never a ranking: ranking counties by how many people petitioned
// above them is what pushes officials to stop people from petitioning, which
// the Regulations forbid (2022 信访工作条例 art. 18 ¶4, art. 46(6)).
func province(p *page) *dashboard.DashboardBuilder {
	t := p.t
	rank := func(zh, en, descZh, descEn, unit, recorded string, h uint32) *bargauge.PanelBuilder {
		return barPanel(t(zh, en), t(descZh, descEn), unit, 8, h, instant(perCounty(recorded), "{{county}}"))
	}
	volumes := func(zh, en, descZh, descEn, recorded string) *table.PanelBuilder {
		return tablePanel(t(zh, en), t(descZh, descEn), "short", 8, 9, instant(byCountyName(recorded), "").Format("table")).
			SortBy([]cog.Builder[common.TableSortByFieldState]{common.NewTableSortByFieldStateBuilder().DisplayName("county")})
	}
	return base(p.Lang, "riskmon-province", "信访全省视图", "Petition province view", "1m", "province").
		WithPanel(statPanel(t("敏感期中的县", "Counties in a sensitive period"), t("处于敏感期的县数。", "Counties with a sensitive period in force."),
			"short", 6, instant(`count(max by (county) (petition:sensitive_period:active) == 1) or vector(0)`, "")).
			Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(statPanel(t("全省超期", "Overdue, all counties"), t("各县超期未办结案件之和。", "Overdue cases summed over the counties."),
			"short", 6, instant(`sum(max by (county) (petition:overdue:sum))`, "")).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("今日集体访", "Collective today"), t("各县今日集体访之和。", "Collective petitions today, summed over the counties."),
			"short", 6, instant(`sum(max by (county) (petition:collective_received_today:sum))`, "")).
			Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(statPanel(t("今日越级访", "Skip-level today"), t("各县今日越级访之和。", "Skip-level petitions today, summed over the counties."),
			"short", 6, instant(`sum(max by (county) (petition:skip_level_received_today:sum))`, "")).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(rank("各县超期件", "Overdue by county", "各县超期未办结的案件数，多者在前。", "Overdue cases per county, most first.", "short", "petition:overdue:sum", 9)).
		WithPanel(rank("各县本月按期办结率", "On-time rate this month by county", "各县本月按期办结的阶段占已办结与仍超期之和的比例。", "Stages completed on time this month over those completed plus those still overdue, per county.", "percentunit", "petition:stage_on_time_month:ratio", 9)).
		WithPanel(rank("各县纠纷超化解时限", "Disputes overdue by county", "各县超过化解时限的矛盾纠纷。", "Disputes past their time limit per county.", "short", "petition:disputes_overdue:sum", 9)).
		WithPanel(rank("各县高风险纠纷未落实责任", "High-risk disputes unowned by county", "各县高风险矛盾纠纷未落实的责任领导、专人、化解时限项数（缺两项计两次）。", "Leaders, handlers and time limits missing from high-risk disputes, per county (a dispute missing two counts twice).", "short", "petition:disputes_unowned_high_risk:sum", 9)).
		WithPanel(rank("各县重大事项超时未报", "Major matters unreported past the limit by county", "各县超过上报时限仍未向县委县政府报告的重大信访事项（第二十五条）。", "Major matters past the limit and not yet reported to the county leadership, per county (2022 Reg. art. 25).", "short", "petition:major_unreported_overdue:sum", 9)).
		WithPanel(rank("各县高风险矛盾纠纷", "High-risk disputes by county", "各县台账中在办的高风险矛盾纠纷。", "Open high-risk disputes in each county's register.", "short", "petition:disputes_open_high_risk:sum", 9)).
		WithPanel(volumes("各县今日集体访（按县名）", "Collective today per county (by name)", "各县今日收到的集体访，按县名排列，不作排名。", "Collective petitions received today per county, by county name: not a ranking.", "petition:collective_received_today:sum")).
		WithPanel(volumes("各县今日越级访（按县名）", "Skip-level today per county (by name)", "各县今日到省级或进京走访的件数，按县名排列，不作排名。", "Visits at province or national level today per county, by county name: not a ranking.", "petition:skip_level_received_today:sum")).
		WithPanel(volumes("各县30日重复信访率（按县名）", "Repeat rate, 30 days, per county (by name)", "各县近 30 日重复信访占收件的比例，按县名排列，不作排名。", "Repeat petitions over petitions received in 30 days, per county, by county name: not a ranking.", "petition:repeat_rate_30d:ratio").Unit("percentunit")).
		WithPanel(tablePanel(t("各县敏感期状态", "Sensitive period by county"), t("各县是否处于敏感期（1 是，0 否）。", "Whether each county is in a sensitive period (1 yes, 0 no)."),
			"none", 24, 7, instant(`max by (county) (petition:sensitive_period:active)`, "").Format("table")))
}
