package portal

import (
	"strings"
	"testing"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
)

// The problems the portal's forms can meet, as petition words them, are
// shown in Chinese; the English page shows them as they are.
func TestProblemsInChinese(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 10, 2, 10, 0, 0, 0, loc)
	problem := func(ps []petition.Problem) string {
		t.Helper()
		if len(ps) == 0 {
			t.Fatal("no problem")
		}
		return ps[0].Problem
	}
	for _, tc := range []struct{ problem, want string }{
		{problem(petition.TextProblems("remark", "张三 13800138000 反映", 500)), "含有连续 7 位以上的数字"},
		{problem(petition.TextProblems("remark", "a\x1bb", 500)), "控制字符"},
		{problem(petition.TextProblems("remark", strings.Repeat("字", 501), 500)), "不得超过 500 个字"},
		{problem(petition.UnitReport{Unit: "u1", Day: calendar.DayOf(now, loc), DisputesFound: -1}.Problems(now, loc)), "须在 0 到"},
		{problem(petition.UnitReport{Unit: "u1", Day: calendar.DayOf(now, loc) + 1}.Problems(now, loc)), "不能晚于今天"},
		{problem(petition.CodeProblem("dispute_no", "bad no!")), "须为 1 至 64 位字母、数字"},
		{problem(petition.MatterCodeProblem("matter", "Bad")), "小写字母"},
	} {
		if got := problemText(zh, tc.problem); !strings.Contains(got, tc.want) {
			t.Errorf("%q in Chinese: %q, want %q", tc.problem, got, tc.want)
		}
		if got := problemText(en, tc.problem); got != tc.problem {
			t.Errorf("%q in English: %q", tc.problem, got)
		}
	}
}
