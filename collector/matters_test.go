package collector

import (
	"context"
	"strings"
	"testing"

	"riskmon/store/storetest"
)

// TestRisingMattersShown: the names are capped at rising_matters_shown, the
// most petitioners first, while the count covers every rising matter; out of
// a sensitive period the normal threshold applies, and a matter with an open
// high-risk dispute rises with one new case whatever the threshold.
func TestRisingMattersShown(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			writeFixture(t, s, fixtureConfig(t).Rules)
			for _, tc := range []struct {
				name      string
				shown     int
				normal    int
				sensitive bool
				want      map[string]float64 // of the matter series; absent ones must be absent
			}{
				{"one shown", 1, 3, true, map[string]float64{
					`petition_matters_rising{category="land_requisition",unit="u1"}`:             2,
					`petition_matter_rising_info{matter="chengdong",name="城东棚户区改造项目",unit="u1"}`: 1,
					`petition_config_rising_petitioners{}`:                                       2,
					`petition_config_rising_matters_shown{}`:                                     1,
				}},
				{"normal period, four petitioners needed", 20, 4, false, map[string]float64{
					`petition_matters_rising{category="land_requisition",unit="u1"}`:         1,
					`petition_matter_rising_info{matter="xiaowan",name="小湾村征地补偿",unit="u1"}`: 1,
					`petition_config_rising_petitioners{}`:                                   4,
					`petition_config_rising_matters_shown{}`:                                 20,
				}},
				{"normal period, three petitioners", 20, 3, false, map[string]float64{
					`petition_matters_rising{category="land_requisition",unit="u1"}`:             2,
					`petition_matter_rising_info{matter="chengdong",name="城东棚户区改造项目",unit="u1"}`: 1,
					`petition_matter_rising_info{matter="xiaowan",name="小湾村征地补偿",unit="u1"}`:     1,
					`petition_config_rising_petitioners{}`:                                       3,
					`petition_config_rising_matters_shown{}`:                                     20,
				}},
			} {
				cfg := fixtureConfig(t)
				cfg.Matters.RisingShown, cfg.Matters.RisingPetitioners = tc.shown, tc.normal
				if !tc.sensitive {
					cfg.Periods = nil
				}
				clk := &clock{t: fixtureNow}
				c := New(s, cfg, clk.Now, BuildInfo{Version: "test", Revision: "test"})
				if err := c.Refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				got := series(t, c)
				for k, v := range tc.want {
					if got[k] != v {
						t.Errorf("%s: %s = %v, want %v", tc.name, k, got[k], v)
					}
				}
				for k, v := range got {
					if _, ok := tc.want[k]; !ok && v != 0 && (strings.HasPrefix(k, "petition_matter_rising_info") || strings.HasPrefix(k, "petition_matters_rising")) {
						t.Errorf("%s: unexpected %s = %v", tc.name, k, v)
					}
				}
			}
		})
	}
}
