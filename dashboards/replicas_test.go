package dashboards

import "testing"

func TestOneReplica(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`sum(petition_open)`, `sum(max without (instance) (petition_open))`},
		{`sum by (unit, name) (petition_overdue{unit="u1"} * on(unit) group_left(name) petition_unit_info)`,
			`sum by (unit, name) (max without (instance) (petition_overdue{unit="u1"}) * on(unit) group_left(name) max without (instance) (petition_unit_info))`},
		// recorded series come from one copy already; self metrics are each replica's own
		{`unit:petition_repeat_rate_30d:ratio{unit="u1"}`, `unit:petition_repeat_rate_30d:ratio{unit="u1"}`},
		{`petition:sensitive_period:active == 1`, `petition:sensitive_period:active == 1`},
		{`time() - petition_collector_last_success_timestamp_seconds`, `time() - petition_collector_last_success_timestamp_seconds`},
		{`max(petition_config_due_soon_horizon_seconds) / 3600`, `max(petition_config_due_soon_horizon_seconds) / 3600`},
	} {
		if got := oneReplica(tc.expr); got != tc.want {
			t.Errorf("oneReplica(%s)\n got %s\nwant %s", tc.expr, got, tc.want)
		}
	}
}

func TestInCounty(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`sum(petition_open)`, `sum(petition_open{county=~"$county"})`},
		{`max without (instance) (petition_overdue{unit="u1"}) * on(unit) group_left(name) petition_unit_info`,
			`max without (instance) (petition_overdue{unit="u1",county=~"$county"}) * on(unit) group_left(name) petition_unit_info{county=~"$county"}`},
		{`unit:petition_repeat_rate_30d:ratio{unit="$unit"}`, `unit:petition_repeat_rate_30d:ratio{unit="$unit",county=~"$county"}`},
		{`sum(increase(petition_collector_refresh_errors_total[1h]))`, `sum(increase(petition_collector_refresh_errors_total{county=~"$county"}[1h]))`},
		// functions, labels and other metrics are left alone
		{`label_replace(vector(1), "threshold", "warning", "", "")`, `label_replace(vector(1), "threshold", "warning", "", "")`},
		{`max(process_resident_memory_bytes)`, `max(process_resident_memory_bytes)`},
	} {
		if got := inCounty(tc.expr); got != tc.want {
			t.Errorf("inCounty(%s)\n got %s\nwant %s", tc.expr, got, tc.want)
		}
	}
}
