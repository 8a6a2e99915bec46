package portal

import "regexp"

// The API's problems are in English; the portal shows them in Chinese next
// to the field. Each pattern matches one kind of problem as petition and
// intake word it (a test holds them to the words of those packages); a
// problem no pattern knows is shown as it is.
var zhProblems = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^holds a run of (\d+) or more digits`), "含有连续 $1 位以上的数字，疑似身份证号或电话号码：只写事项，不写个人信息。"},
	{regexp.MustCompile(`^holds the control character`), "含有不可见的控制字符，请删除后重试。"},
	{regexp.MustCompile(`^must be valid text of at most (\d+) characters`), "不得超过 $1 个字。"},
	{regexp.MustCompile(`^is required`), "必填。"},
	{regexp.MustCompile(`^must be a whole number`), "须为整数。"},
	{regexp.MustCompile(`^-?\d+ is outside (\d+)\.\.(\d+)`), "须在 $1 到 $2 之间。"},
	{regexp.MustCompile(`is not one of`), "不是可选的值。"},
	{regexp.MustCompile(`^"[^"]*" must be 1 to 64 letters, digits`), "须为 1 至 64 位字母、数字、“.”、“_”或“-”。"},
	{regexp.MustCompile(`^"[^"]*" must be 1 to 64 lower-case`), "须为 1 至 64 位小写字母、数字、“_”或“-”，以字母或数字开头。"},
	{regexp.MustCompile(`is after today`), "不能晚于今天。"},
	{regexp.MustCompile(`is not a date|not a local date|YYYY-MM-DD`), "日期格式应为 2026-10-05。"},
}

// problemText is problem as the page in t's language shows it.
func problemText(t texts, problem string) string {
	if t.Lang != zh.Lang {
		return problem
	}
	for _, p := range zhProblems {
		if m := p.re.FindStringSubmatchIndex(problem); m != nil {
			return string(p.re.ExpandString(nil, p.zh, problem, m))
		}
	}
	return problem
}
