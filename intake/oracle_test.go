package intake_test

import (
	"fmt"
	"testing"
)

// TestNoIdentityOracle: re-sending a stored case answers the same whatever
// petitioner_id it carries, the stored one or a guess: an identical replay
// is recognised by its other fields (200), other content is a conflict
// (409), and the identity decides neither. So 1,000 guesses, the right one
// among them, learn nothing: every guess gets one and the same answer.
func TestNoIdentityOracle(t *testing.T) {
	e := newEnv(t, "mysql")
	stored := caseBody("C-1")
	if r := e.do("POST", "/api/v1/cases", rwToken, stored); r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
	}{
		{"a replay", stored, 200},
		{"other content", with(stored, "persons", 2), 409},
	} {
		answers := map[string]int{}
		for i := range 1000 {
			id := fmt.Sprintf("DEMO-GUESS-%04d", i)
			if i == 500 {
				id = stored["petitioner_id"].(string)
			}
			r := e.do("POST", "/api/v1/cases", rwToken, with(tc.body, "petitioner_id", id))
			answers[fmt.Sprintf("%d %s", r.status, r.body)]++
			if r.status != tc.status {
				t.Fatalf("%s with guess %d: %d %s, want %d", tc.name, i, r.status, r.body, tc.status)
			}
		}
		if len(answers) != 1 {
			t.Errorf("%s: the guesses got %d different answers, want one: %v", tc.name, len(answers), answers)
		}
	}
}
