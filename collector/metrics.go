// Package collector turns the database into metrics: a background refresh
// builds an immutable snapshot, its samples written in the text format once
// (exposition.go), and /metrics serves the latest snapshot without touching
// the database. The live self metrics are the client library's, gathered
// from a registry of their own.
package collector

import (
	"github.com/prometheus/client_golang/prometheus"
)

const namespace = "petition"

// typedDesc is a metric's descriptor with its type (node_exporter's model):
// every metric riskmon exports is declared once, below, as one of these.
type typedDesc struct {
	desc      *prometheus.Desc
	valueType prometheus.ValueType
	// own: described by a collector of its own (the HTTP and store
	// metrics), not by refreshStatus.
	own bool
	// Doc is what docs/metrics.md says of the metric.
	Doc MetricDoc
}

// MetricDoc describes one exported metric for the documentation and for the
// tests of the rules and dashboards, which check every query against it.
type MetricDoc struct {
	Name   string
	Type   string // counter or gauge
	Help   string
	Labels []string
	Live   bool // a self metric, served even when the snapshot is stale
	// PerRequest: served once a request has moved it (the HTTP metrics), so
	// absent from a collector nobody has asked anything.
	PerRequest bool
}

func (d typedDesc) metric(v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d.desc, d.valueType, v, labels...)
}

// declared lists every metric in the order declared: the source of Names and
// of docs/metrics.md.
var declared []typedDesc

func declare(name, help string, t prometheus.ValueType, live bool, labels ...string) typedDesc {
	typ := "gauge"
	if t == prometheus.CounterValue {
		typ = "counter"
	}
	d := newTypedDesc(name, help, t, typ, live, labels...)
	declared = append(declared, d)
	return d
}

func newTypedDesc(name, help string, t prometheus.ValueType, docType string, live bool, labels ...string) typedDesc {
	fq := prometheus.BuildFQName(namespace, "", name)
	return typedDesc{
		desc:      prometheus.NewDesc(fq, help, labels, nil),
		valueType: t,
		Doc:       MetricDoc{Name: fq, Type: docType, Help: help, Labels: labels, Live: live},
	}
}

// ownLive declares a live metric that a collector of its own describes and
// serves (the HTTP vectors, the store's numbers), of docType counter, gauge
// or histogram; perRequest if only a request makes it appear.
func ownLive(name, help, docType string, perRequest bool, labels ...string) typedDesc {
	t := prometheus.GaugeValue
	if docType == "counter" {
		t = prometheus.CounterValue
	}
	d := newTypedDesc(name, help, t, docType, true, labels...)
	d.own, d.Doc.PerRequest = true, perRequest
	declared = append(declared, d)
	return d
}

// snapshotNote ends every domain HELP text: the values are as of the last
// refresh, not of the scrape.
const snapshotNote = " Served from the background snapshot (see petition_collector_last_success_timestamp_seconds)."

func counter(name, help string, labels ...string) typedDesc {
	return declare(name, help+snapshotNote, prometheus.CounterValue, false, labels...)
}

func gauge(name, help string, labels ...string) typedDesc {
	return declare(name, help+snapshotNote, prometheus.GaugeValue, false, labels...)
}

func liveGauge(name, help string, labels ...string) typedDesc {
	return declare(name, help, prometheus.GaugeValue, true, labels...)
}

func liveCounter(name, help string, labels ...string) typedDesc {
	return declare(name, help, prometheus.CounterValue, true, labels...)
}

// The domain metrics, from the snapshot. Their names are a contract with
// dashboards/ and alerts/, whose tests check every query against Names.
var (
	receivedTotal           = counter("received_total", "Petitions received, all time, by the unit and category at receipt, channel and level; only the combinations with a petition (petition_collective_received_total and the others by unit and category are zero-filled).", "unit", "category", "channel", "level")
	personsReceivedTotal    = counter("persons_received_total", "Persons who came or signed, all time, by the unit and category at receipt.", "unit", "category")
	collectiveReceivedTotal = counter("collective_received_total", "Collective petitions (persons at or above petition_config_collective_threshold) received, all time.", "unit", "category")
	repeatReceivedTotal     = counter("repeat_received_total", "Repeat petitions (linked by the intake, or same petitioner, category and unit within the look-back) received, all time.", "unit", "category")
	collectiveTimelyTotal   = counter("collective_received_timely_total", "Collective petitions registered within the backfill horizon of their receipt (petition_config_backfill_horizon_seconds), all time: what pages. Backfilled history does not move it.", "unit")
	skipLevelTimelyTotal    = counter("skip_level_received_timely_total", "Skip-level petitions (越级访: visits at province or national level; other channels may reach any level and are counted only in petition_received_total) registered within the backfill horizon of their receipt, all time: what pages.", "unit", "level")
	stageCompletedTotal     = counter("stage_completed_total", "Stages completed (acceptance decided, reply given, review or re-review decided), all time, by the unit at completion.", "unit", "stage")
	stageCompletedLateTotal = counter("stage_completed_late_total", "Stages completed after their deadline, all time, by the unit at completion.", "unit", "stage")
	reviewRequestsTotal     = counter("review_requests_total", "Review (复查) and re-review (复核) requests, all time, by the unit whose decision they contest.", "unit", "stage")
	reviewRequestsLateTotal = counter("review_requests_late_total", "Of the review and re-review requests, those the record shows outside the petitioner's 30-day window; recorded all the same, since the window runs from the petitioner's receipt of the decision (2022 Reg. arts. 35-36).", "unit", "stage")
	divertedTotal           = counter("diverted_total", "Matters diverted out of the petition procedure (导入: litigation, arbitration, another organ; 2022 Reg. arts. 28, 30, 31(1)-(5)), all time, by the unit that held them: their clocks ended there, neither overdue nor completed late. Only the combinations with a diversion.", "unit", "category", "procedure")
	evaluationsTotal        = counter("evaluations_total", "Petitioners' evaluations of replies, all time.", "unit", "result")

	stageCompletedPeriod     = gauge("stage_completed_reporting_period", "Stages completed since the start (00:00 local) of the current calendar month or quarter, by the unit at completion; with petition_overdue, the on-time rate of the period. Absent while the day tally is rebuilt for a new time zone.", "unit", "stage", "reporting_period")
	stageCompletedLatePeriod = gauge("stage_completed_late_reporting_period", "Stages completed after their deadline since the start of the current calendar month or quarter.", "unit", "stage", "reporting_period")
	reportingPeriodStart     = gauge("reporting_period_start_timestamp_seconds", "Start (00:00 local) of the current calendar month or quarter.", "reporting_period")
	evaluationsPeriod        = gauge("evaluations_reporting_period", "Petitioners' evaluations made since the start of the current calendar month or quarter, by the unit then and the result: with the decisions of the period (petition_stage_completed_reporting_period of handling, review and re-review), the satisfaction (满意率) and participation (参评率) rates of the period.", "unit", "result", "reporting_period")
	majorReportsPeriod       = gauge("major_reports_reporting_period", "Reports upward (reported_up, 2022 Reg. art. 25) made since the start of the current calendar month or quarter, by the case's unit then and the recipient.", "unit", "to", "reporting_period")
	majorReportsLatePeriod   = gauge("major_reports_late_reporting_period", "Of those reports, the ones of a major matter made after the limit (petition_config_report_up_within_seconds when it became major).", "unit", "to", "reporting_period")

	receivedWindow           = gauge("received_window", "Petitions received in the window (today: since local midnight; 7d, 30d and 1h: rolling), by the time of receipt, whenever registered.", "unit", "category", "window")
	collectiveReceivedWindow = gauge("collective_received_window", "Collective petitions received in the window.", "unit", "window")
	skipLevelReceivedWindow  = gauge("skip_level_received_window", "Skip-level petitions (visits at province or national level) received in the window.", "unit", "window")
	repeatReceivedWindow     = gauge("repeat_received_window", "Repeat petitions received in the window.", "unit", "window")

	open                   = gauge("open", "Cases open in a stage, by current unit.", "unit", "category", "stage")
	overdue                = gauge("overdue", "Open cases past their stage deadline, by current unit.", "unit", "category", "stage")
	dueSoon                = gauge("due_soon", "Open cases whose stage deadline falls within petition_config_due_soon_horizon_seconds and has not passed.", "unit", "stage")
	supervisedOpen         = gauge("supervised_open", "Open cases under supervision (督办/包案), by current unit and the highest level supervising them.", "unit", "level")
	supervisedOverdue      = gauge("supervised_overdue", "Open supervised cases past their stage deadline.", "unit", "level")
	supervisionUnanswered  = gauge("supervision_unanswered", "Cases under supervision, not closed, whose unit has not recorded its written answer to the highest level supervising them (supervision_answered, 2022 Reg. art. 40).", "unit", "level")
	assignedOpen           = gauge("assigned_open", "Matters the petition bureau assigned (交办) with a date for the completion report, not yet reported done (completion_reported, 2022 Reg. art. 22(三)), by current unit.", "unit")
	assignedOverdue        = gauge("assigned_overdue", "Of those, the ones past 24:00 of their date.", "unit")
	majorUnreported        = gauge("major_unreported", "Major matters (重大事项: collective of at least petition_config_major_persons, a visit to the national bureau, marked major, or a high-risk dispute escalated) registered in time and not yet reported to the county leadership (2022 Reg. art. 25), by current unit. Backfilled history is not counted.", "unit")
	majorUnreportedOverdue = gauge("major_unreported_overdue", "Of those, the ones past the limit for reporting upward (the report_up_within in force when each became major): concealing or delaying the report is punished (art. 46(4)).", "unit")
	configReportUpWithin   = gauge("config_report_up_within_seconds", "Limit in force at the refresh for reporting a major matter upward: report_up_within, or a sensitive period's own.")
	overdueOldestDeadline  = gauge("overdue_oldest_deadline_timestamp_seconds", "Deadline of the unit's longest-overdue open case; absent when the unit has none overdue.", "unit")
	unitInfo               = gauge("unit_info", "Display name of a responsible unit; always 1.", "unit", "name")
	categoryInfo           = gauge("category_info", "Display name of a category; always 1.", "category", "name")
	sensitivePeriodActive  = gauge("sensitive_period_active", "1 while the configured sensitive period is in force, else 0.", "period")
)

// The dispute register (矛盾纠纷排查调处) and the units' daily reports.
var (
	disputesOpen             = gauge("disputes_open", "Open disputes in the register, by unit, category and current risk.", "unit", "category", "risk")
	disputesOverdue          = gauge("disputes_overdue", "Open disputes past the last day of their time limit (resolve_by).", "unit", "category", "risk")
	disputesUnowned          = gauge("disputes_unowned", "Open disputes missing one of the four haves: leader, handler, deadline, or inspection (none within petition_config_inspection_interval_seconds). A dispute missing two is counted under each.", "unit", "risk", "missing")
	disputesPersonsEstimate  = gauge("disputes_persons_estimate", "People who might act together, summed over the open disputes.", "unit", "risk")
	disputesFoundTotal       = counter("disputes_found_total", "Disputes registered, all time, by unit, category and the risk when found.", "unit", "category", "risk")
	disputesResolvedTotal    = counter("disputes_resolved_total", "Disputes resolved (化解), all time.", "unit", "category")
	disputesResolvedLate     = counter("disputes_resolved_late_total", "Disputes resolved after the last day of their time limit, all time.", "unit", "category")
	disputesEscalatedTotal   = counter("disputes_escalated_total", "Registered disputes that became petitions anyway, all time: the register's failures.", "unit", "category")
	disputesEscalatedTimely  = counter("disputes_escalated_timely_total", "Escalations recorded within the backfill horizon of when they happened, all time: what pages. Loaded history does not move it.", "unit", "category")
	disputesEscalatedMajor   = counter("disputes_escalated_major_timely_total", "Of the timely escalations, those into a collective or skip-level petition, all time.", "unit")
	disputesOpenPotential    = gauge("disputes_open_potential", "Open disputes by what they could become (potential: collective, skip_level, extreme_act, online_outcry, other; unsaid for those registered without it).", "unit", "potential")
	disputesRedatedTotal     = counter("disputes_redated_total", "Time limits of disputes moved later (resolve_by, always with a reason), all time, by the dispute's risk then: re-dating is seen, not hidden.", "unit", "risk")
	disputesOverdueMonth     = gauge("disputes_overdue_month", "Disputes of the unit overdue at some moment since 00:00 local of the first of the month: open past their time limit now, or resolved, re-dated or otherwise moved after it. Moving a time limit later does not take a dispute out of the month it was overdue in.", "unit")
	unitScreeningLast        = gauge("unit_screening_last_timestamp_seconds", "Start (00:00 local of the first) of the latest month the unit screened its area for disputes (一月一排查); absent for a unit that never screened.", "unit")
	unitScreeningMissing     = gauge("unit_screening_missing", "1 when a sensitive period starts within petition_config_screening_lead_seconds and the unit has not screened the month before its start, else 0.", "unit")
	configScreeningLead      = gauge("config_screening_lead_seconds", "Configured time before a sensitive period (screening_lead_days) from which a unit that has not screened the month before it is missing.")
	unitReportLast           = gauge("unit_report_last_timestamp_seconds", "Local midnight starting the latest date the unit sent a daily report for; absent for a unit that never reported.", "unit")
	configInspectionInterval = gauge("config_inspection_interval_seconds", "Interval in force at the refresh within which an open dispute must have been inspected: inspection_interval_days, or inspection_interval_days_sensitive in a sensitive period.")
	unitReportMissing        = gauge("unit_report_missing", "1 when the unit has not sent today's daily report and the cut-off (petition_config_report_cutoff_seconds after local midnight) has passed on a day in a sensitive period, else 0.", "unit")
)

// Matters: different people raising the same registered matter within days,
// how a collective petition forms (petition/rising.go). Only counts: no
// person is named. The matters are named only while rising, at most
// rising_matters_shown of them, so the series stay bounded.
var (
	mattersRising                = gauge("matters_rising", "Registered matters rising now (at least petition_config_rising_petitioners distinct petitioners within 7 days, or a new case while an open high-risk dispute names the matter), by the matter's unit and category.", "unit", "category")
	matterRisingInfo             = gauge("matter_rising_info", "A rising matter shown by name (at most rising_matters_shown, the most petitioners first); always 1.", "unit", "matter", "name")
	matterPetitioners            = gauge("matter_petitioners", "Distinct petitioners of a rising matter's cases received in the window (7d, 30d), counted from the keyed hashes.", "unit", "matter", "window")
	matterCases                  = gauge("matter_cases", "Cases of a rising matter received in the window.", "unit", "matter", "window")
	matterPersons                = gauge("matter_persons", "Persons of a rising matter's cases received in the window.", "unit", "matter", "window")
	matterHighRiskDisputes       = gauge("matter_high_risk_disputes", "Open high-risk disputes in the register naming a rising matter.", "unit", "matter")
	mattersBacklog               = gauge("matters_backlog", "Long-unresolved matters (积案) open, by the matter's unit: marked so by the bureau, petitioned petition_config_backlog_repeats times in 12 months, petitioned again after a re-review decision, or with a case open more than backlog_days; not resolved (化解) since.", "unit")
	mattersBacklogUnowned        = gauge("matters_backlog_unowned", "Of those, the ones without a county-level lead (包案: a leader of county_leader_roles).", "unit")
	mattersBacklogPastTarget     = gauge("matters_backlog_past_target", "Of those, the ones past their lead's target date (from 00:00 local of the next day).", "unit")
	mattersBacklogResolvedPeriod = gauge("matters_backlog_resolved_reporting_period", "Matters resolved (化解) since the start of the current calendar month or quarter; with petition_matters_backlog, the resolution rate (化解率) of the period.", "unit", "reporting_period")
	configBacklogRepeats         = gauge("config_backlog_repeats", "Configured cases of one matter within 12 months that make it long-unresolved (backlog_repeats).")
	configRisingPetitioners      = gauge("config_rising_petitioners", "Distinct petitioners within 7 days at which a matter is rising, in force at the refresh: rising_petitioners, or rising_petitioners_sensitive in a sensitive period.")
	configRisingMattersShown     = gauge("config_rising_matters_shown", "Configured number of rising matters exported by name (rising_matters_shown).")
)

// A unit's surge without a matter code (petition/surge.go): distinct
// petitioners of one receiving unit and category in the last 7 days against
// its usual week. Only for a unit and category with a case in the last 7
// days or the usual weeks: the series follow what was received, not units times categories;
// the thresholds are the rules'.
var (
	categoryPetitioners         = gauge("category_petitioners", "Distinct petitioners of the cases received by the unit in the category in the last 7 days, counted from the keyed hashes; only for a unit and category with a case in the last 7 days or the usual weeks.", "unit", "category")
	categoryPetitionersBaseline = gauge("category_petitioners_baseline", "The unit's usual week for the category: the mean of each week's distinct petitioners (a week without any counts as zero) over the 8 calendar weeks (Monday to Sunday, local) before the week in which the last 7 days begin, each read once and again after an hour; beside petition_category_petitioners.", "unit", "category")
)

// PotentialUnsaid is the potential label of the open disputes registered
// without one.
const PotentialUnsaid = "unsaid"

// MatterWindows are the windows of the matter counts: the rising rule's
// (petition.RisingWindowDays) and the month beside it.
var MatterWindows = []string{"7d", "30d"}

// The self metrics, live: served even when the snapshot is stale, so that
// the rules can tell why the domain metrics are missing.
var (
	lastRefreshSuccess   = liveGauge("collector_last_refresh_success", "1 if the last refresh of the snapshot succeeded, else 0.")
	lastSuccessTimestamp = liveGauge("collector_last_success_timestamp_seconds", "Time of the last successful refresh of the snapshot; 0 before the first.")
	refreshDuration      = liveGauge("collector_refresh_duration_seconds", "Duration of the last refresh of the snapshot, successful or not.")
	refreshErrorsTotal   = liveCounter("collector_refresh_errors_total", "Refreshes of the snapshot that failed.")
	scrapeSuccess        = liveGauge("collector_scrape_success", "1 if the scraper succeeded in the last refresh, else 0; a refresh is kept only when all succeed.", "scraper")
	scrapeDuration       = liveGauge("collector_scrape_duration_seconds", "Duration of the scraper in the last refresh.", "scraper")
	buildInfo            = liveGauge("build_info", "Build of the running riskmon; always 1.", "version", "revision", "goversion")
)

// The configured values that the rules and dashboards also need, exported
// so that they read them instead of repeating the literals. Live: the
// staleness limit must be there when the snapshot is stale.
var (
	configDueSoonHorizon      = liveGauge("config_due_soon_horizon_seconds", "Configured due-soon horizon (due_soon_horizon): a deadline this close is due soon.")
	configCollectiveThreshold = liveGauge("config_collective_threshold", "Configured number of persons (collective_threshold) at or above which a petition is collective.")
	configMajorPersons        = liveGauge("config_major_persons", "Configured number of persons (major_persons) at or above which a collective petition is a major matter, reported upward at once.")
	configStalenessLimit      = liveGauge("config_staleness_limit_seconds", "Configured age of the snapshot (staleness_limit) past which the domain metrics are withheld.")
	configRefreshInterval     = liveGauge("config_refresh_interval_seconds", "Configured interval (refresh_interval) between refreshes of the snapshot.")
	configBackfillHorizon     = liveGauge("config_backfill_horizon_seconds", "Configured backfill horizon (backfill_horizon): a case registered later than this after its receipt is history and pages nobody.")
	configReportCutoff        = liveGauge("config_report_cutoff_seconds", "Configured time after local midnight (report_cutoff) by which units send their daily report in a sensitive period.")
	calendarCoveredUntil      = liveGauge("calendar_covered_until_timestamp_seconds", "End (24:00 local) of the last year of the holiday calendar in force; past it only weekends are rest days, and deadlines may be early.")
)

// ReportingPeriods are the calendar periods the on-time rate is reported
// for, in the order Env.ReportingPeriodStarts gives them.
var ReportingPeriods = []string{"month", "quarter"}

// Windows are the receipt windows, in the order Env.WindowStarts gives them.
var Windows = []string{"today", "7d", "30d", "1h"}

// Metrics documents every petition_* metric riskmon exports, in the order
// declared.
func Metrics() []MetricDoc {
	out := make([]MetricDoc, len(declared))
	for i, d := range declared {
		out[i] = d.Doc
	}
	return out
}

// Names lists every petition_* metric name riskmon exports.
func Names() []string {
	out := make([]string, len(declared))
	for i, d := range declared {
		out[i] = d.Doc.Name
	}
	return out
}
