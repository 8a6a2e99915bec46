// Package collector turns the database into metrics: a background refresh
// builds an immutable snapshot of const metrics, and /metrics serves the
// latest snapshot without touching the database.
package collector

import "github.com/prometheus/client_golang/prometheus"

const namespace = "petition"

// snapshotNote ends every domain HELP text: the values are as of the last
// refresh, not of the scrape.
const snapshotNote = " Served from the background snapshot (see petition_collector_last_success_timestamp_seconds)."

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help+snapshotNote, labels, nil)
}

// The domain metrics. Their names are a contract with dashboards/ and alerts/,
// whose tests check every query against Names.
var (
	receivedTotal           = desc("received_total", "Petitions received, all time, by the unit and category at receipt.", "unit", "category", "channel", "level")
	personsReceivedTotal    = desc("persons_received_total", "Persons who came or signed, all time, by the unit and category at receipt.", "unit", "category")
	collectiveReceivedTotal = desc("collective_received_total", "Collective petitions (persons at or above the configured threshold) received, all time.", "unit", "category")
	repeatReceivedTotal     = desc("repeat_received_total", "Repeat petitions (linked by the intake, or same petitioner, category and unit within the look-back) received, all time.", "unit", "category")
	stageCompletedTotal     = desc("stage_completed_total", "Stages completed (acceptance decided, reply given, review or re-review decided), all time, by the unit at completion.", "unit", "stage")
	stageCompletedLateTotal = desc("stage_completed_late_total", "Stages completed after their deadline, all time, by the unit at completion.", "unit", "stage")
	evaluationsTotal        = desc("evaluations_total", "Petitioners' evaluations of replies, all time.", "unit", "result")

	receivedWindow           = desc("received_window", "Petitions received in the window (today: since local midnight; 7d and 30d: rolling).", "unit", "category", "window")
	collectiveReceivedWindow = desc("collective_received_window", "Collective petitions received in the window.", "unit", "window")
	skipLevelReceivedWindow  = desc("skip_level_received_window", "Petitions lodged at province or national level received in the window.", "unit", "window")
	repeatReceivedWindow     = desc("repeat_received_window", "Repeat petitions received in the window.", "unit", "window")

	open                  = desc("open", "Cases open in a stage, by current unit.", "unit", "category", "stage")
	overdue               = desc("overdue", "Open cases past their stage deadline, by current unit.", "unit", "category", "stage")
	dueSoon               = desc("due_soon", "Open cases whose stage deadline falls within the due-soon horizon and has not passed.", "unit", "stage")
	supervisedOpen        = desc("supervised_open", "Open cases under leadership supervision (督办/包案).", "unit")
	overdueOldestDeadline = desc("overdue_oldest_deadline_timestamp_seconds", "Deadline of the unit's longest-overdue open case; absent when the unit has none overdue.", "unit")
	unitInfo              = desc("unit_info", "Display name of a responsible unit; always 1.", "unit", "name")
	categoryInfo          = desc("category_info", "Display name of a category; always 1.", "category", "name")
	sensitivePeriodActive = desc("sensitive_period_active", "1 while the configured sensitive period is in force, else 0.", "period")
)

// Self metrics of the collector, live rather than from the snapshot.
const (
	lastRefreshSuccessName   = "petition_collector_last_refresh_success"
	lastSuccessTimestampName = "petition_collector_last_success_timestamp_seconds"
	refreshDurationName      = "petition_collector_refresh_duration_seconds"
	refreshErrorsName        = "petition_collector_refresh_errors_total"
	buildInfoName            = "petition_build_info"
)

// Windows are the receipt windows, in the order Env.WindowStarts gives them.
var Windows = []string{"today", "7d", "30d"}

// Names lists every petition_* metric name riskmon exports.
func Names() []string {
	return []string{
		"petition_received_total", "petition_persons_received_total", "petition_collective_received_total",
		"petition_repeat_received_total", "petition_stage_completed_total", "petition_stage_completed_late_total",
		"petition_evaluations_total",
		"petition_received_window", "petition_collective_received_window", "petition_skip_level_received_window",
		"petition_repeat_received_window",
		"petition_open", "petition_overdue", "petition_due_soon", "petition_supervised_open",
		"petition_overdue_oldest_deadline_timestamp_seconds",
		"petition_unit_info", "petition_category_info", "petition_sensitive_period_active",
		lastRefreshSuccessName, lastSuccessTimestampName, refreshDurationName, refreshErrorsName, buildInfoName,
	}
}
