package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// unitVariable lists the units by display name, from petition_unit_info.
func unitVariable(l Lang) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder("unit").
		Label(l.t("责任单位", "Unit")).
		Datasource(dsRef).
		Query(dashboard.StringOrMap{String: ptr(`query_result(` + scoped(`petition_unit_info`) + `)`)}).
		Regex(`/name="(?<text>[^"]+)".*unit="(?<value>[^"]+)"/`).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortAlphabeticalAsc)
}

func ptr[T any](v T) *T { return &v }

// unit is one responsible unit's accountability view: its backlog, how late
// it is, how timely, how often people come back, how satisfied they are,
// and its dispute register and daily reports.
func unit(p *page) *dashboard.DashboardBuilder {
	t := p.t
	b := base(p.Lang, "riskmon-unit", "信访责任单位", "Petition unit", "1m", "unit").
		WithVariable(unitVariable(p.Lang)).
		WithPanel(barPanel(t("各阶段在办", "Open by stage"), t("本单位各阶段在办案件数。", "The unit's open cases by stage."),
			"short", 8, 8, instant(`sum by (stage) (petition_open{unit="$unit"})`, "{{stage}}"))).
		WithPanel(barPanel(t("各阶段超期", "Overdue by stage"), t("本单位各阶段超期案件数。", "The unit's overdue cases by stage."),
			"short", 8, 8, instant(`sum by (stage) (petition_overdue{unit="$unit"})`, "{{stage}}")).
			Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(statPanel(t("最久超期", "Longest overdue"), t("本单位超期最久的案件已超期多久；无超期件时为空。", "How long the unit's longest-overdue case is past its deadline; empty when none is overdue."),
			"s", 8, instant(p.emptyOK(`time() - petition_overdue_oldest_deadline_timestamp_seconds{unit="$unit"}`), "")).
			Height(8).
			Thresholds(steps(nil, "orange", 604800.0, "red"))).
		WithPanel(barPanel(t("本月各阶段按期办结率", "On time this month, by stage"),
			t("本自然月（当地时间）按期办结 /（办结 + 仍在办的超期件）：压着不办的案件拉低比率。本月既无办结也无超期的阶段为空。",
				"Stages completed on time this calendar month (local) over those completed plus the cases still open past their deadline: a unit sitting on its cases does not show 100%. Empty for a stage with neither this month."),
			"percentunit", 8, 8, instant(p.emptyOK(`unit_stage_reporting_period:petition_stage_on_time:ratio{unit="$unit", reporting_period="month"}`), "{{stage}}")).
			Min(0).Max(1).
			Thresholds(steps(nil, "red", 0.8, "orange", 0.95, "green"))).
		WithPanel(statPanel(t("30日重复信访率", "Repeat rate, 30 days"), t("近 30 日重复信访占收件的比例，颜色按告警阈值；无收件时为空。", "Repeat petitions over petitions received in 30 days, coloured by the alert threshold; empty without receipts."),
			"percentunit", 8, instant(p.emptyOK(`unit:petition_repeat_rate_30d:ratio{unit="$unit"}`), ""),
			thresholdQuery("petition:repeat_rate_threshold:warning", "petition:repeat_rate_threshold:warning")).
			Height(8).WithTransformation(fromRecorded)).
		WithPanel(statPanel(t("满意率", "Satisfaction"), t("（满意 + 基本满意）/ 全部评价；无评价时为空。", "(Satisfied + basically satisfied) / all evaluations; empty without evaluations."),
			"percentunit", 8, instant(p.emptyOK(`unit:petition_satisfaction:ratio{unit="$unit"}`), "")).
			Height(8).
			Thresholds(steps(nil, "red", 0.8, "orange", 0.9, "green"))).
		WithPanel(barPanel(t("近30日类别构成", "Categories, 30 days"), t("本单位近 30 日各类别收件数。", "The unit's petitions in 30 days by category."),
			"short", 6, 8, instant(`sum by (category, name) (petition_received_window{unit="$unit", window="30d"} * on(category) group_left(name) petition_category_info)`, "{{name}}"))).
		WithPanel(risingMatters(p, `unit="$unit"`, 6)).
		WithPanel(backlogStat(p, `unit="$unit"`, 4)).
		WithPanel(statPanel(t("积案未落实县级包案", "Long-unresolved without a county lead"), t("本单位信访积案中未由县级领导包案的件数。", "The unit's long-unresolved matters without a county-level lead."),
			"short", 4, instant(`sum(petition_matters_backlog_unowned{unit="$unit"})`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(statPanel(t("积案超过目标日期", "Long-unresolved past target"), t("本单位信访积案中超过包案化解目标日期的件数。", "The unit's long-unresolved matters past their target date."),
			"short", 4, instant(`sum(petition_matters_backlog_past_target{unit="$unit"})`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(seriesPanel(t("超期趋势", "Overdue over time"), t("本单位超期件数随时间的变化。", "The unit's overdue cases over time."),
			"short", 12, 8, query(`sum(petition_overdue{unit="$unit"})`, t("超期", "overdue")))).
		WithPanel(categorySurge(p, `unit="$unit"`, 12))
	return withUnitRegister(p, b)
}
