package intake_test

import (
	"strings"
	"testing"
)

// A new unit or category whose series would take the export past
// max_series is refused, naming the budget and today's count; a new name
// for an existing one is taken; one that fits is taken.
func TestSeriesBudget(t *testing.T) {
	e := newEnv(t, "sqlite")
	e.api.Series = func() (int, float64, float64, bool) { return 499_000, 1_200.4, 500, true }
	got := e.do("PUT", "/api/v1/units/u9", rwToken, map[string]string{"name": "九镇", "kind": "township"})
	if got.status != 422 || !strings.Contains(got.body, "max_series 500000") || !strings.Contains(got.body, "from 499000 to about 500201") {
		t.Errorf("a unit past the budget: %d %s, want 422 naming max_series and the count", got.status, got.body)
	}
	if got := e.do("GET", "/api/v1/units", rwToken, nil); strings.Contains(got.body, "u9") {
		t.Error("the refused unit was stored")
	}
	if got := e.do("PUT", "/api/v1/units/u1", rwToken, map[string]string{"name": "一镇（新名）", "kind": "township"}); got.status != 200 {
		t.Errorf("a new name for an existing unit: %d %s, want 200", got.status, got.body)
	}
	if got := e.do("PUT", "/api/v1/categories/c9", rwToken, map[string]string{"name": "九类"}); got.status != 200 {
		t.Errorf("a category within the budget: %d %s, want 200", got.status, got.body)
	}
}
