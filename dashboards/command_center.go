package dashboards

import (
	"maps"
	"slices"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// byUnit shows a per-unit expression under the unit's display name.
func byUnit(expr string) string {
	return `sum by (unit, name) (` + expr + ` * on(unit) group_left(name) petition_unit_info)`
}

// shown is how a stat shows one value: as text, in a colour.
type shown struct{ text, color string }

// mapping shows values as text in a colour, in the order of their values so
// that the generated JSON is the same every time.
func mapping(options map[string]shown) []dashboard.ValueMapping {
	m := dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: map[string]dashboard.ValueMappingResult{}}
	values := slices.Sorted(maps.Keys(options))
	for i, value := range values {
		o := options[value]
		m.Options[value] = dashboard.ValueMappingResult{Text: cog.ToPtr(o.text), Color: cog.ToPtr(o.color), Index: cog.ToPtr(int32(i))}
	}
	return []dashboard.ValueMapping{{ValueMap: &m}}
}

// commandCenter is the wall screen: 1920x1080 in kiosk mode, no scrolling (26
// grid rows of 30 px and 8 px gaps: 980 px), refreshed every 30 s; trouble
// shows in orange and red from across the room. Rows of 5, 4, 4, 8 and 5.
func commandCenter(p *page) *dashboard.DashboardBuilder {
	t := p.t
	overdueThresholds := thresholdQuery("petition:overdue_threshold:warning", "petition:overdue_threshold:critical")
	b := base(p.Lang, "riskmon-command-center", "信访指挥中心", "Petition command center", "30s", "wall-screen").
		WithVariable(configVariable("due_soon_hours", "max(petition_config_due_soon_horizon_seconds) / 3600")).
		WithVariable(configVariable("collective_persons", "max(petition_config_collective_threshold)")).
		WithVariable(configVariable("major_persons", "max(petition_config_major_persons)")).
		// Row 1: the state of the day and the service, banner-sized.
		WithPanel(statPanel(t("敏感期", "Sensitive period"),
			t("是否处于国庆、两会等敏感期：敏感期内告警阈值更严。", "Whether a sensitive period (National Day, the Two Sessions, ...) is in force: alert thresholds are stricter."),
			"none", 6, instant(`max(petition:sensitive_period:active) or vector(0)`, "")).
			Mappings(mapping(map[string]shown{"0": {t("平常时期", "Normal period"), "green"}, "1": {t("敏感期", "SENSITIVE PERIOD"), "red"}}))).
		WithPanel(statPanel(t("数据状态", "Data"),
			t("监测服务的快照是否新鲜；过期或服务中断时大屏数据不可信。", "Whether riskmon's snapshot is fresh; when stale or down, the screen's numbers are not current."),
			"none", 6, instant(`max((time() - petition_collector_last_success_timestamp_seconds) > bool petition_config_staleness_limit_seconds) or vector(1)`, "")).
			Mappings(mapping(map[string]shown{"0": {t("数据正常", "Data current"), "green"}, "1": {t("数据过期 / 服务中断", "DATA STALE / SERVICE DOWN"), "red"}}))).
		WithPanel(statPanel(t("今日来信来访", "Petitions today"), t("今日（本地时间零点起）收到的信访件数。", "Petitions received since local midnight."),
			"short", 3, instant(`sum(petition_received_window{window="today"})`, ""))).
		WithPanel(statPanel(t("今日集体访", "Collective today"), t("今日收到的集体访件数（${collective_persons} 人及以上）。", "Collective petitions (${collective_persons} or more persons) received today."),
			"short", 3, instant(`sum(petition_collective_received_window{window="today"})`, "")).
			Thresholds(steps(nil, "green", 1.0, "red"))).
		WithPanel(statPanel(t("今日越级访", "Skip-level today"), t("今日到省级或进京走访（越级访）的件数；网上、来信、电话可向任何一级反映，不计越级。", "Visits at province or national level today (skip-level); online, letter and phone petitions may go to any level and are not counted."),
			"short", 3, instant(`sum(petition_skip_level_received_window{window="today"})`, "")).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("30日重复信访率", "Repeat rate, 30 days"), t("近 30 日重复信访件数占收件数的比例，颜色按告警阈值。", "Repeat petitions over all petitions received in 30 days, coloured by the alert threshold."),
			"percentunit", 3, instant(`petition:repeat_rate_30d:ratio`, ""),
			thresholdQuery("petition:repeat_rate_threshold:warning", "petition:repeat_rate_threshold:warning")).
			WithTransformation(fromRecorded)).
		// Row 2: the backlog, and the major matters owing a report upward.
		WithPanel(statPanel(t("在办", "Open"), t("各阶段在办案件总数。", "Cases open in any stage."),
			"short", 4, instant(`sum(petition_open)`, "")).Height(4)).
		WithPanel(statPanel(t("超期", "Overdue"), t("超过法定期限仍未办结的案件数。", "Open cases past their statutory deadline."),
			"short", 4, instant(`sum(petition_overdue)`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange", 20.0, "red"))).
		WithPanel(statPanel(t("${due_soon_hours}小时内到期", "Due within ${due_soon_hours} h"), t("期限将在 ${due_soon_hours} 小时内届满的在办案件数。", "Open cases whose deadline falls within ${due_soon_hours} hours."),
			"short", 4, instant(`sum(petition_due_soon)`, "")).
			Height(4).Thresholds(steps(nil, "green", 10.0, "orange"))).
		WithPanel(statPanel(t("领导督办在办", "Supervised open"), t("领导督办、包案的在办案件数。", "Open cases under leadership supervision."),
			"short", 4, instant(`sum(petition_supervised_open)`, "")).Height(4)).
		// Major matters owe a report upward at once (2022 Reg. art. 25).
		WithPanel(statPanel(t("重大事项待上报", "Major matters awaiting report"), t("重大信访事项（${major_persons} 人以上集体访、进京走访、标为重大或高风险纠纷转成）尚未向县委县政府报告的件数。", "Major matters (collective of ${major_persons} or more, a visit to Beijing, marked major, or a high-risk dispute escalated) not yet reported to the county leadership."),
			"short", 4, instant(`sum(petition_major_unreported)`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("重大事项超时未报", "Major matters past the report limit"), t("超过上报时限仍未向县委县政府报告的重大事项件数；迟报、瞒报须追责（第四十六条）。", "Major matters past the limit for reporting upward and still unreported; delaying a report is punished (art. 46)."),
			"short", 4, instant(`sum(petition_major_unreported_overdue)`, "")).
			Height(4).Thresholds(steps(nil, "green", 1.0, "red")))
	// Row 3: the dispute register and the daily reports.
	b = withDisputes(p, b)
	// Row 4: who and what.
	b = b.
		WithPanel(barPanel(t("各单位超期件", "Overdue by unit"), t("各责任单位超期件数，颜色按告警阈值（橙：预警，红：严重）。", "Overdue cases per responsible unit, coloured by the alert thresholds (orange warning, red critical)."),
			"short", 6, 8, instant(byUnit(`petition_overdue`), "{{name}}"), overdueThresholds).
			WithTransformation(fromRecorded)).
		WithPanel(barPanel(t("各单位即将到期", "Due soon by unit"), t("各责任单位 ${due_soon_hours} 小时内到期的案件数。", "Cases per unit whose deadline falls within ${due_soon_hours} hours."),
			"short", 6, 8, instant(byUnit(`petition_due_soon`), "{{name}}"),
			thresholdQuery("petition:due_soon_threshold:warning", "petition:due_soon_threshold:warning")).
			WithTransformation(fromRecorded)).
		WithPanel(barPanel(t("近30日信访类别", "Categories, 30 days"), t("近 30 日各类别收件数。", "Petitions received in 30 days by category."),
			"short", 5, 8, instant(`sum by (category, name) (petition_received_window{window="30d"} * on(category) group_left(name) petition_category_info)`, "{{name}}"))).
		WithPanel(risingMatters(p, "", 7)).
		// Row 5: the day's flow and what is firing.
		WithPanel(seriesPanel(t("每小时收件与常态", "Petitions per hour against the usual"), t("每小时收件数（按收件时间，补录的历史件不计入）与近 30 日平均每小时水平。", "Petitions received per hour (by the time of receipt: backfilled history does not count) against the 30-day hourly average."),
			"short", 14, 5,
			query(`sum(petition_received_window{window="1h"})`, t("每小时收件", "received per hour")),
			query(`petition:received_daily_usual:avg30d / 24`, t("近30日平均", "30-day average")))).
		WithPanel(tablePanel(t("正在告警", "Firing alerts"), t("当前触发的告警；无告警时为空。", "Alerts firing now; empty when all is well."),
			"none", 10, 5, instant(p.emptyOK(`ALERTS{alertstate="firing", alertname=~"Petition.*"}`), "").Format("table")))
	return b
}
