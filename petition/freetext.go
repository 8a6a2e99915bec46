package petition

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Free text that riskmon keeps and shows (the names of units, categories
// and matters, a daily report's remark) holds matters, never people. A
// person's name cannot be told from other text, but the identifiers that
// reach a register by accident can: an identity card number (18 or 15
// digits), a mobile number (11 digits), a landline (7 or 8 digits, with an
// area code or without). Any run of digitRun digits or more, spaces and
// hyphens between them included, is refused; years, house numbers and
// project numbers are shorter. Control characters and the bidirectional
// overrides are refused too: they garble the wall screen, the dashboards and
// the label values that carry the text.

// digitRun is the shortest run of digits taken for an identifier.
const digitRun = 7

// NameProblems lists what is wrong with s as a name of at most max
// characters in field: one line of free text. Whether it may be empty is the
// caller's to say. The problem never quotes s: it may hold what it refuses.
func NameProblems(field, s string, max int) []Problem { return textProblems(field, s, max, false) }

// TextProblems is NameProblems for text of several lines (a remark): line
// breaks and tabs are taken.
func TextProblems(field, s string, max int) []Problem { return textProblems(field, s, max, true) }

func textProblems(field, s string, max int, lines bool) []Problem {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return []Problem{{field, fmt.Sprintf("must be valid text of at most %d characters", max)}}
	}
	digits := 0
	for _, r := range s {
		switch {
		case lines && (r == '\n' || r == '\r' || r == '\t'):
			digits = 0
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return []Problem{{field, fmt.Sprintf("holds the control character U+%04X", r)}}
		case unicode.IsDigit(r):
			if digits++; digits >= digitRun {
				return []Problem{{field, fmt.Sprintf("holds a run of %d or more digits, which looks like an ID or phone number: the register keeps matters, never a person's identifiers", digitRun)}}
			}
		case r == ' ' || r == '-' || r == '\u3000' || r == '\uff0d':
			// separators inside a number: 138 0013 8000, 010-12345678
		default:
			digits = 0
		}
	}
	return nil
}
