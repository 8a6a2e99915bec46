package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"riskmon/petition"
)

// The dispute register (矛盾纠纷排查调处) and the units' daily reports on the
// screens.

// haveNames name each of the four haves a dispute may miss, in both
// languages, in the order of petition.FourHaves.
var haveNames = map[string][2]string{
	petition.HaveLeader:     {"缺责任领导", "no leader"},
	petition.HaveHandler:    {"缺专人", "no handler"},
	petition.HaveDeadline:   {"缺时限", "no time limit"},
	petition.HaveInspection: {"缺督察", "no inspection"},
}

// missingHaves is one query per have, named in the page's language; sel
// selects the series (a unit, or none for the county).
func missingHaves(p *page, sel string) []cog.Builder[variants.Dataquery] {
	var out []cog.Builder[variants.Dataquery]
	for _, have := range petition.FourHaves {
		n := haveNames[have]
		out = append(out, instant(`sum(petition_disputes_unowned{`+sel+`missing="`+have+`"})`, p.t(n[0], n[1])))
	}
	return out
}

// notReportedToday is every unit without a report for today (the latest
// reported date starts less than a day ago only when it is today) while a
// sensitive period requires one; a unit that never reported has no date.
const notReportedToday = `petition_unit_info unless on(unit) (time() - petition_unit_report_last_timestamp_seconds < 86400)
and on() petition:sensitive_period:active == 1`

// withDisputes adds the command center's disputes row, four grid rows high
// at y (from the left: high-risk open, overdue, missing haves, persons at
// stake, units without today's report).
func withDisputes(p *page, b *dashboard.DashboardBuilder) *dashboard.DashboardBuilder {
	t := p.t
	return b.
		WithPanel(statPanel(t("高风险矛盾纠纷", "High-risk disputes"), t("台账中在办的高风险矛盾纠纷数。", "Open high-risk disputes in the register."),
			"short", 3, instant(`sum(petition_disputes_open{risk="high"})`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("纠纷超时限", "Disputes overdue"), t("超过化解时限仍未化解的矛盾纠纷数。", "Open disputes past their time limit."),
			"short", 3, instant(`sum(petition_disputes_overdue)`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(barPanel(t("未落实“四有”", "Missing the four haves"),
			t("在办矛盾纠纷缺少各项“四有”的件数（一件可缺多项）；督察按 inspection_interval_days 计。", "Open disputes missing each of the four haves (one may miss several); inspection within inspection_interval_days."),
			"short", 6, 4, missingHaves(p, "")...).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("涉及人数", "People at stake"), t("在办矛盾纠纷预计可能共同行动的人数之和。", "People who might act together, summed over the open disputes."),
			"short", 3, instant(`sum(petition_disputes_persons_estimate)`, "")).
			Height(4)).
		WithPanel(statPanel(t("今日未报日报", "No report today"),
			t("敏感期内今日尚未报送日报（含零报告）的单位；截止时间后仍未报送即告警。平常时期为空。", "Units that have not sent today's daily report (zero reports count) in a sensitive period; past the cut-off they alert. Empty outside sensitive periods."),
			"none", 6, instant(p.emptyOK(notReportedToday), "{{name}}")).
			Height(4).TextMode(common.BigValueTextModeName).Thresholds(steps(nil, "orange"))).
		WithPanel(backlogStat(p, "", 3))
}

// riskGrades are the colours bureaus grade a dispute's risk by (high 红,
// medium 橙, low 黄), in the order of petition.DisputeRisks; the API and the
// series keep high, medium and low.
var riskGrades = map[string]struct{ zh, en, color string }{
	petition.RiskHigh: {"高风险（红）", "high (red)", "red"},
	"medium":          {"中风险（橙）", "medium (orange)", "orange"},
	"low":             {"低风险（黄）", "low (yellow)", "yellow"},
}

// byRiskGrade shows a bar panel's series, one a risk (legend {{risk}}), by
// the bureaus' colour and its name.
func byRiskGrade(p *page, b *bargauge.PanelBuilder) *bargauge.PanelBuilder {
	for _, risk := range petition.DisputeRisks {
		g := riskGrades[risk]
		b = b.OverrideByName(risk, []dashboard.DynamicConfigValue{
			{Id: "displayName", Value: p.t(g.zh, g.en)},
			{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": g.color}},
		})
	}
	return b
}

// withUnitRegister adds the unit's register and its reports of the last 30
// days to the unit dashboard.
func withUnitRegister(p *page, b *dashboard.DashboardBuilder) *dashboard.DashboardBuilder {
	t := p.t
	riskLegend := "{{risk}}"
	return b.
		WithPanel(byRiskGrade(p, barPanel(t("在册矛盾纠纷（按风险）", "Open disputes by risk"), t("本单位台账中在办的矛盾纠纷数，按当前风险等级（红、橙、黄）。", "The unit's open disputes by current risk (red, orange, yellow)."),
			"short", 6, 8, instant(`sum by (risk) (petition_disputes_open{unit="$unit"})`, riskLegend)))).
		WithPanel(byRiskGrade(p, barPanel(t("超过化解时限（按风险）", "Overdue disputes by risk"), t("本单位超过化解时限仍未化解的矛盾纠纷数，按风险等级（红、橙、黄）。", "The unit's open disputes past their time limit, by risk (red, orange, yellow)."),
			"short", 6, 8, instant(`sum by (risk) (petition_disputes_overdue{unit="$unit"})`, riskLegend)))).
		WithPanel(barPanel(t("未落实“四有”", "Missing the four haves"), t("本单位在办矛盾纠纷缺少各项“四有”的件数。", "The unit's open disputes missing each of the four haves."),
			"short", 6, 8, missingHaves(p, `unit="$unit",`)...).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("涉及人数", "People at stake"), t("本单位在办矛盾纠纷预计可能共同行动的人数之和。", "People who might act together, summed over the unit's open disputes."),
			"short", 6, instant(`sum(petition_disputes_persons_estimate{unit="$unit"})`, "")).
			Height(4)).
		// re-dating cannot wash the record: what was overdue this month stays
		// counted, and every move of a time limit later is seen
		WithPanel(statPanel(t("本月曾超化解时限", "Overdue this month"),
			t("本月内任一时刻超过化解时限的矛盾纠纷数：改期、化解后仍计入当月。", "Disputes past their time limit at any moment this month: moving the limit later or resolving them does not take them out of the month."),
			"short", 3, instant(`sum(petition_disputes_overdue_month{unit="$unit"})`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("30日内改期", "Re-dated, 30 days"),
			t("近 30 日化解时限被推后的次数（须说明理由：诉讼、协商、资金、其他）。", "Times a time limit was moved later in 30 days (each with its reason: court, negotiation, funds, other)."),
			"short", 3, instant(p.emptyOK(`unit:petition_disputes_redated:increase30d{unit="$unit"}`), "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(seriesPanel(t("近30日日报", "Daily reports, 30 days"),
			t("距最近一次报送日报的天数（0 为今日已报）与截止时间后未报（1）。各日报送内容见 GET /api/v1/units/{code}/reports。", "Days since the latest daily report (0: reported today) and missing after the cut-off (1). The reports themselves: GET /api/v1/units/{code}/reports."),
			"short", 18, 7,
			query(p.emptyOK(`floor((time() - petition_unit_report_last_timestamp_seconds{unit="$unit"}) / 86400)`), t("距最近报送天数", "days since the latest report")),
			query(`max(petition_unit_report_missing{unit="$unit"})`, t("截止未报", "missing after the cut-off"))).
			TimeFrom("30d")).
		WithPanel(barPanel(t("可能演变为", "Could become"), t("本单位在办矛盾纠纷按可能演变的情形：集体访、越级访、极端行为、网上炒作、其他；登记时未说明的为 unsaid。", "The unit's open disputes by what they could become: a collective petition, a skip-level visit, an extreme act, an outcry online, other; unsaid for those registered without it."),
			"short", 6, 7, instant(`sum by (potential) (petition_disputes_open_potential{unit="$unit"})`, "{{potential}}"))).
		WithPanel(statPanel(t("最近排查月份", "Latest screening"), t("本单位最近一次月度矛盾纠纷排查（一月一排查）所属月份；敏感期前须完成前一个月的排查，未完成即告警。从未排查时为空。", "The month of the unit's latest monthly screening for disputes; before a sensitive period the month before it must be screened, or it alerts. Empty when it never screened."),
			"time:YYYY-MM", 6, instant(p.emptyOK(`petition_unit_screening_last_timestamp_seconds{unit="$unit"} * 1000`), "")).
			Height(7)).
		WithPanel(statPanel(t("最近报送日期", "Latest report"), t("本单位最近一次报送日报的日期；从未报送时为空。", "The date of the unit's latest daily report; empty when it never reported."),
			"time:YYYY-MM-DD", 6, instant(p.emptyOK(`petition_unit_report_last_timestamp_seconds{unit="$unit"} * 1000`), "")).
			Height(7))
}
