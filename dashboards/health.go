package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// serviceHealth is riskmon's own health: whether its numbers can be trusted.
func serviceHealth(p *page) *dashboard.DashboardBuilder {
	t := p.t
	return base(p.Lang, "riskmon-service-health", "信访监测服务状态", "riskmon service health", "30s", "service").
		WithPanel(statPanel(t("最近刷新", "Last refresh"), t("最近一次从数据库刷新快照是否成功。", "Whether the last refresh of the snapshot from the database succeeded."),
			"none", 6, instant(`min(petition_collector_last_refresh_success)`, "")).
			Mappings(mapping(map[string]shown{"0": {t("失败", "FAILED"), "red"}, "1": {t("成功", "OK"), "green"}}))).
		WithPanel(statPanel(t("快照年龄", "Snapshot age"), t("距最近一次成功刷新的时间；超过配置的时限（staleness_limit）大屏数据即撤下，过半变橙。", "Time since the last successful refresh; past the configured limit (staleness_limit) the domain metrics are withheld; orange past half of it."),
			"s", 6, instant(`time() - max(petition_collector_last_success_timestamp_seconds)`, ""),
			thresholdQuery("max(petition_config_staleness_limit_seconds) / 2", "max(petition_config_staleness_limit_seconds)")).
			WithTransformation(fromRecorded)).
		WithPanel(statPanel(t("刷新失败", "Refresh errors"), t("近 1 小时刷新失败次数。", "Failed refreshes in the last hour."),
			"short", 6, instant(`sum(increase(petition_collector_refresh_errors_total[1h]))`, "")).
			Thresholds(steps(nil, "green", 1.0, "orange"))).
		WithPanel(statPanel(t("常驻内存", "Resident memory"), t("监测服务进程的常驻内存。", "Resident memory of the riskmon process."),
			"bytes", 6, instant("max"+ofRiskmon("process_resident_memory_bytes"), ""))).
		WithPanel(seriesPanel(t("刷新耗时", "Refresh duration"), t("每次刷新的耗时。", "Duration of each refresh."),
			"s", 12, 8, query(`max(petition_collector_refresh_duration_seconds)`, t("刷新", "refresh")))).
		WithPanel(seriesPanel(t("刷新失败率", "Refresh error rate"), t("每秒刷新失败次数。", "Failed refreshes per second."),
			"ops", 12, 8, query(`sum(rate(petition_collector_refresh_errors_total[$__rate_interval]))`, t("失败", "errors")))).
		WithPanel(seriesPanel(t("数据库连接池", "Database pool"), t("打开、使用中与空闲的数据库连接数。", "Open, in-use and idle database connections."),
			"short", 12, 8,
			query(`sum(go_sql_open_connections{db_name="riskmon"})`, t("打开", "open")),
			query(`sum(go_sql_in_use_connections{db_name="riskmon"})`, t("使用中", "in use")),
			query(`sum(go_sql_idle_connections{db_name="riskmon"})`, t("空闲", "idle")))).
		WithPanel(seriesPanel(t("采集耗时", "Scrape duration"), t("Prometheus 采集 /metrics 的耗时。", "How long Prometheus takes to scrape /metrics."),
			"s", 12, 8, query("max"+ofRiskmon("scrape_duration_seconds"), t("采集", "scrape")))).
		WithPanel(seriesPanel(t("进程内存", "Process memory"), t("常驻内存与 Go 堆。", "Resident memory and the Go heap."),
			"bytes", 24, 8,
			query("max"+ofRiskmon("process_resident_memory_bytes"), t("常驻", "resident")),
			query("max"+ofRiskmon("go_memstats_heap_inuse_bytes"), t("Go 堆", "Go heap"))))
}
