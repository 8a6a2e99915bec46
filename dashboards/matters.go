package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
)

// backlogStat shows the open long-unresolved matters (积案), sel selecting a
// unit or none for the county, orange while one has no county-level lead.
func backlogStat(p *page, sel string, w uint32) *stat.PanelBuilder {
	t := p.t
	return statPanel(t("信访积案", "Long-unresolved"),
		t("长期未化解的事项：12 个月内多次信访、复核后再访、有案件超过 backlog_days 未办结或由信访局标记；未落实县级领导包案或超过目标日期的见单位看板。",
			"Long-unresolved matters: petitioned repeatedly in 12 months, again after a re-review, with a case open past backlog_days, or marked by the bureau; the unit dashboard shows those without a county-level lead or past their target."),
		"short", w, instant(`sum(petition_matters_backlog{`+sel+`})`, "")).
		Height(4).Thresholds(steps(nil, "green", 1.0, "orange"))
}

// risingMatters shows the rising matters by name (sel selects a unit, or
// none for the county): the distinct petitioners of each in 7 days, and a
// bar of its own for each that an open high-risk dispute names. Empty when
// no matter rises, which is the usual day.
func risingMatters(p *page, sel string, w uint32) *bargauge.PanelBuilder {
	t := p.t
	return barPanel(t("上升事项", "Matters rising"),
		t("近 7 日多名不同信访人反映的同一事项（达到 petition_config_rising_petitioners 人，敏感期更少），或有高风险矛盾纠纷未化解又来新件的事项：按人数。标“高风险纠纷”的为关联的在办高风险矛盾纠纷件数。只计人数，不列任何人。",
			"Matters that several different petitioners raised within 7 days (petition_config_rising_petitioners, fewer in a sensitive period), or with a new case while an open high-risk dispute names them: by petitioners. Bars marked high-risk disputes count the open ones naming the matter. Counts only; nobody is listed."),
		"short", w, 8,
		instant(p.emptyOK(`unit_matter:petition_matter_rising_petitioners:7d{`+sel+`}`), "{{name}}"),
		instant(p.emptyOK(`max by (unit, matter, name) ((petition_matter_high_risk_disputes{`+sel+`} > 0)
* on(unit, matter) group_left(name) petition_matter_rising_info)`), t("{{name}}：高风险纠纷", "{{name}}: high-risk disputes"))).
		Thresholds(steps(nil, "orange"))
}

// categorySurge shows, for the unit sel selects, the distinct petitioners
// of each category in the last 7 days beside its usual week, the surging
// ones in a bar of their own: what PetitionCategorySurge compares, before
// anyone has linked the cases to a matter.
func categorySurge(p *page, sel string, w uint32) *bargauge.PanelBuilder {
	t := p.t
	named := func(expr string) string {
		return `max by (category, name) ((` + expr + `) * on(category) group_left(name) petition_category_info)`
	}
	return barPanel(t("各类别近 7 日信访人数", "Petitioners by category, 7 days"),
		t("近 7 日反映各类问题的不同信访人数，与此前 8 个自然周的每周平均对照；明显高于平常的（见 PetitionCategorySurge）单列，请核查是否为同一事项并登记事项。只计人数，不列任何人。",
			"Different petitioners of each category in the last 7 days beside the mean of the 8 calendar weeks before them; the ones far above usual (PetitionCategorySurge) have a bar of their own: check whether they raise one matter, and register it. Counts only; nobody is listed."),
		"short", w, 8,
		instant(named(`petition_category_petitioners{`+sel+`} > 0`), t("{{name}}：近 7 日", "{{name}}: 7 days")),
		instant(named(`petition_category_petitioners_baseline{`+sel+`} > 0`), t("{{name}}：周均", "{{name}}: usual week")),
		instant(p.emptyOK(named(`unit_category:petition_category_petitioners_surging:7d{`+sel+`}`)), t("{{name}}：明显上升", "{{name}}: surging"))).
		Thresholds(steps(nil, "blue"))
}
