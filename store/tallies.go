package store

import (
	"slices"
	"strings"
)

// tallyTable describes a counter table once: its name, its text key
// columns, the integer key column (shard: a tally spread over rows so that
// writers rarely wait for one another; day: a day tally, counted by the
// local days of the zone recorded with them), its value columns, and how
// the facts count it. The writers add to it (adds), recount rebuilds it
// (fromFacts; the day tallies in Go, rebuildCompletionDays) and the
// reader sums it (sumQuery), all from this one description.
type tallyTable struct {
	name       string
	keys, vals []string
	num        string // "shard" or "day"
	fromFacts  string // INSERT ... SELECT from cases or case_events; "" for a day tally
}

// adds is an empty collection of additions to t.
func (t tallyTable) adds() *tallyAdds {
	return newTallyAdds(t.name, append(slices.Clip(t.keys), t.num), t.vals)
}

// groupKeys are the key columns a read sums over the shards by: a day
// tally keeps its day.
func (t tallyTable) groupKeys() []string {
	if t.num == "shard" {
		return t.keys
	}
	return append(slices.Clip(t.keys), t.num)
}

// sumQuery reads t summed over its shards, each sum named as its column.
func (t tallyTable) sumQuery() string {
	keys := strings.Join(t.groupKeys(), ", ")
	sums := make([]string, len(t.vals))
	for i, v := range t.vals {
		sums[i] = "SUM(" + v + ") AS " + v
	}
	return "SELECT " + keys + ", " + strings.Join(sums, ", ") + " FROM " + t.name + " GROUP BY " + keys
}

// The tallies. Receipts: a case, its persons, whether collective and whether
// a repeat, and of them the timely ones (petition.Rules.Timely), by the unit
// and category at receipt.
var receiptTally = tallyTable{"receipt_tally", []string{"unit", "category", "channel", "level"},
	[]string{"cases", "persons", "collective", "repeats", "timely_cases", "timely_collective"}, "shard",
	`INSERT INTO receipt_tally (unit, category, channel, level, cases, persons, collective, repeats, timely_cases,
timely_collective, shard)
SELECT received_unit, category, channel, level, COUNT(*), SUM(persons), SUM(collective), SUM(is_repeat), SUM(timely),
SUM(timely * collective), 0
FROM cases GROUP BY received_unit, category, channel, level`}

// Stage completions, on time or late, by the unit that completed them.
var completionTally = tallyTable{"completion_tally", []string{"unit", "stage"}, []string{"completed", "late"}, "shard",
	`INSERT INTO completion_tally (unit, stage, completed, late, shard)
SELECT unit, completed_stage, COUNT(*), SUM(late), 0 FROM case_events
WHERE completed_stage IS NOT NULL GROUP BY unit, completed_stage`}

// Evaluations by result; only evaluations carry a result.
var evaluationTally = tallyTable{"evaluation_tally", []string{"unit", "result"}, []string{"evaluations"}, "shard",
	`INSERT INTO evaluation_tally (unit, result, evaluations, shard)
SELECT unit, result, COUNT(*), 0 FROM case_events WHERE result IS NOT NULL GROUP BY unit, result`}

// Review and re-review requests, by the unit whose decision they contest,
// and of them those the record shows outside the window.
var requestTally = tallyTable{"request_tally", []string{"unit", "stage"}, []string{"requests", "late"}, "shard",
	`INSERT INTO request_tally (unit, stage, requests, late, shard)
SELECT unit, CASE type WHEN 'review_requested' THEN 'review' ELSE 're_review' END, COUNT(*), SUM(late), 0 FROM case_events
WHERE type IN ('review_requested', 're_review_requested') GROUP BY unit, type`}

// Matters diverted into another procedure, by the unit that held them and
// the case's category; only diversions name a procedure.
var diversionTally = tallyTable{"diversion_tally", []string{"unit", "category", "diverted_to"}, []string{"diversions"}, "shard",
	`INSERT INTO diversion_tally (unit, category, diverted_to, diversions, shard)
SELECT e.unit, c.category, e.diverted_to, COUNT(*), 0 FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.diverted_to IS NOT NULL GROUP BY e.unit, c.category, e.diverted_to`}

// The day tallies, for the rates of a calendar month or quarter: stage
// completions, evaluations, reports upward (dayTallies).
var (
	completionDayTally = tallyTable{"completion_day_tally", []string{"unit", "stage"}, []string{"completed", "late"}, "day", ""}
	evaluationDayTally = tallyTable{"evaluation_day_tally", []string{"unit", "result"}, []string{"evaluations"}, "day", ""}
	reportDayTally     = tallyTable{"report_day_tally", []string{"unit", "recipient"}, []string{"reports", "late"}, "day", ""}
)

// The register: found by the risk when found; resolved and escalated by the
// risk at the end, which no event changes after either; late and timely from
// the dispute's last event, the one that ended it; major from the case it
// became.
var disputeTally = tallyTable{"dispute_tally", []string{"unit", "category", "risk"},
	[]string{"found", "resolved", "resolved_late", "escalated", "escalated_timely", "escalated_major_timely"}, "shard",
	`INSERT INTO dispute_tally (unit, category, risk, shard, found, resolved, resolved_late, escalated, escalated_timely,
escalated_major_timely)
SELECT unit, category, risk, 0, SUM(found), SUM(resolved), SUM(late), SUM(escalated), SUM(timely), SUM(major) FROM (
SELECT unit, category, found_risk AS risk, 1 AS found, 0 AS resolved, 0 AS late, 0 AS escalated, 0 AS timely, 0 AS major
FROM disputes
UNION ALL
SELECT d.unit, d.category, d.risk, 0, CASE WHEN d.status = 'resolved' THEN 1 ELSE 0 END, CASE WHEN d.status = 'resolved' THEN e.late ELSE 0 END,
CASE WHEN d.status = 'escalated' THEN 1 ELSE 0 END, CASE WHEN d.status = 'escalated' THEN e.timely ELSE 0 END,
CASE WHEN d.status = 'escalated' AND e.timely = 1 AND (c.collective = 1 OR c.skip_level = 1) THEN 1 ELSE 0 END
FROM disputes d JOIN dispute_events e ON e.dispute_id = d.id AND e.seq = d.last_seq
LEFT JOIN cases c ON c.case_no = d.escalated_case
WHERE d.status IN ('resolved', 'escalated')
) facts GROUP BY unit, category, risk`}

// tallyTables are every tally, in the order recount rebuilds them.
var tallyTables = []tallyTable{receiptTally, completionTally, evaluationTally, requestTally, diversionTally,
	completionDayTally, evaluationDayTally, reportDayTally, disputeTally}
