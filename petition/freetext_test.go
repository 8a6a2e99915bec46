package petition_test

import (
	"strings"
	"testing"

	"riskmon/petition"
)

func TestNameProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want bool // refused
	}{
		{"a project", "城东棚户区改造项目", false},
		{"a year and a number", "2023年第3批征地补偿", false},
		{"six digits", "123456号地块", false},
		{"an ID number", "张某110101199003071234", true},
		{"an ID number ending in X", "11010119900307123X", true},
		{"an old ID number", "110101900307123", true},
		{"a mobile number", "联系13800138000", true},
		{"a spaced mobile number", "138 0013 8000", true},
		{"a landline with its area code", "010-12345678", true},
		{"a bare landline", "电话 8765432", true},
		{"full-width digits", "１３８００１３８０００", true},
		{"two short numbers", "3号楼 12-3室 2024", false},
		{"NUL", "a\x00b", true},
		{"ESC", "a\x1b[31mb", true},
		{"a right-to-left override", "abc\u202edcba", true},
		{"a line break", "a\nb", true},
		{"not UTF-8", "a\xffb", true},
		{"too long", strings.Repeat("字", 101), true},
		{"just long enough", strings.Repeat("字", 100), false},
	} {
		got := len(petition.NameProblems("name", tc.in, 100)) > 0
		if got != tc.want {
			t.Errorf("%s: refused %v, want %v (%v)", tc.name, got, tc.want, petition.NameProblems("name", tc.in, 100))
		}
		for _, p := range petition.NameProblems("name", tc.in, 100) {
			if strings.Contains(p.Problem, tc.in) {
				t.Errorf("%s: the problem quotes the text: %s", tc.name, p)
			}
		}
	}
}

func TestTextProblemsTakesLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"今日无新增\n已排查3处", false},
		{"a\tb\r\nc", false},
		{"138\n0013\n8000", false}, // a line break ends a number
		{"13800138000", true},
		{"a\x00b", true},
	} {
		if got := len(petition.TextProblems("remark", tc.in, 500)) > 0; got != tc.want {
			t.Errorf("%q: refused %v, want %v", tc.in, got, tc.want)
		}
	}
}
