package collector

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"riskmon/demo"
	"riskmon/store/storetest"
)

// libraryText is what the client library makes of the same samples: const
// metrics gathered by a registry and written by expfmt, as the refresh
// encoded its snapshot before the exposition. It is the reference.
func libraryText(t testing.TB, metrics []prometheus.Metric) []byte {
	t.Helper()
	reg := prometheus.NewRegistry()
	if err := reg.Register(constCollector(metrics)); err != nil {
		t.Fatal(err)
	}
	text, err := encodeGathered(reg)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

type constCollector []prometheus.Metric

func (constCollector) Describe(chan<- *prometheus.Desc) {}

func (m constCollector) Collect(ch chan<- prometheus.Metric) {
	for _, x := range m {
		ch <- x
	}
}

// both emits every sample into an exposition and, as const metrics, into the
// library's encoding.
type both struct {
	exp     *exposition
	metrics []prometheus.Metric
}

func (b *both) add(d typedDesc, v float64, labels ...string) {
	b.exp.add(d, v, labels...)
	b.metrics = append(b.metrics, d.metric(v, labels...))
}

func (b *both) compare(t *testing.T) {
	t.Helper()
	got, err := b.exp.text()
	if err != nil {
		t.Fatal(err)
	}
	want := libraryText(t, b.metrics)
	if !bytes.Equal(got, want) {
		t.Fatalf("the exposition differs from the library's:\n%s", lineDiff(got, want))
	}
	if len(want) == 0 {
		t.Fatal("nothing was emitted: the comparison proves nothing")
	}
}

// Every metric the scrapers emit, on the fixture county with its register
// and on the demo county, in and out of a sensitive period, is written as
// the library writes it.
func TestExpositionIsTheLibrarys(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		for _, county := range []string{"fixture", "demo"} {
			t.Run(dialect+"/"+county, func(t *testing.T) {
				c, _ := fixtureCollector(t, dialect)
				cfg := c.Config()
				at := []time.Time{fixtureNow}
				if county == "demo" {
					s := storetest.Open(t, dialect)
					now := time.Date(2026, 10, 8, 15, 0, 0, 0, cfg.Rules.Location)
					if err := demo.SeedRate(context.Background(), s, cfg.Rules, demo.Key, now, demo.WeekdayRate/8); err != nil {
						t.Fatal(err)
					}
					c = New(s, cfg, nil, BuildInfo{})
					at = []time.Time{now, time.Date(2026, 10, 2, 3, 0, 0, 0, cfg.Rules.Location)}
				}
				for _, now := range at {
					b := &both{exp: newExposition()}
					if _, err := c.scrape(context.Background(), cfg, now, b.add); err != nil {
						t.Fatal(err)
					}
					b.compare(t)
					if got := len(b.exp.families); got < 40 {
						t.Errorf("%d metrics emitted, want every scraper's", got)
					}
				}
			})
		}
	}
}

// Awkward label values, help texts and numbers, emitted in a random order.
func TestExpositionOfAwkwardValues(t *testing.T) {
	d := newTypedDesc("test_awkward", "help with \\ a backslash,\na newline and \"quotes\" 信访", prometheus.GaugeValue, "gauge", false, "zeta", "alpha", "mid")
	c := newTypedDesc("test_awkward_total", "a counter", prometheus.CounterValue, "counter", false)
	values := []string{"", "a", "A", "b\"q", `back\slash`, "new\nline", "演示县", "z", "a b", "{}", "=", ","}
	nums := []float64{0, math.Copysign(0, -1), 1, -1, math.NaN(), math.Inf(1), math.Inf(-1), 1e21, 1e-7, 0.1,
		123456789, math.MaxFloat64, math.SmallestNonzeroFloat64, 2.5, -3.75, 1 << 53}
	var samples [][3]string
	for i, a := range values {
		for j, b := range values {
			samples = append(samples, [3]string{a, b, values[(i+j)%len(values)]})
		}
	}
	rnd := rand.New(rand.NewPCG(7, 8))
	rnd.Shuffle(len(samples), func(i, j int) { samples[i], samples[j] = samples[j], samples[i] })
	b := &both{exp: newExposition()}
	for i, s := range samples {
		b.add(d, nums[i%len(nums)], s[:]...)
	}
	b.add(c, 42)
	b.compare(t)
}

func TestExpositionRefuses(t *testing.T) {
	d := newTypedDesc("test_refused", "help", prometheus.GaugeValue, "gauge", false, "unit", "category")
	for _, tc := range []struct {
		name string
		emit func(e *exposition)
		want string
	}{
		{"too few label values", func(e *exposition) { e.add(d, 1, "zhen-a") }, "test_refused: 1 label values"},
		{"too many", func(e *exposition) { e.add(d, 1, "zhen-a", "land", "x") }, "test_refused: 3 label values"},
		{"not UTF-8", func(e *exposition) { e.add(d, 1, "zhen-a", "\xff") }, "label category: the value"},
		{"twice", func(e *exposition) {
			e.add(d, 1, "zhen-a", "land")
			e.add(d, 2, "zhen-b", "land")
			e.add(d, 3, "zhen-a", "land")
		}, `test_refused emitted twice with the label values ["zhen-a" "land"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExposition()
			tc.emit(e)
			_, err := e.text()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// BenchmarkExposition is the encoding of a refresh's samples, the library's
// way and the exposition's, on the demo county's snapshot.
func BenchmarkExposition(b *testing.B) {
	s := storetest.Open(b, "sqlite")
	cfg := fixtureConfig(b)
	now := time.Now()
	if err := demo.SeedRate(context.Background(), s, cfg.Rules, demo.Key, now, demo.WeekdayRate/4); err != nil {
		b.Fatal(err)
	}
	c := New(s, cfg, nil, BuildInfo{})
	var samples []func(Emit)
	if _, err := c.scrape(context.Background(), cfg, now, func(d typedDesc, v float64, labels ...string) {
		samples = append(samples, func(emit Emit) { emit(d, v, labels...) })
	}); err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("library/%d", len(samples)), func(b *testing.B) {
		for b.Loop() {
			var metrics []prometheus.Metric
			for _, s := range samples {
				s(func(d typedDesc, v float64, labels ...string) { metrics = append(metrics, d.metric(v, labels...)) })
			}
			libraryText(b, metrics)
		}
	})
	b.Run(fmt.Sprintf("exposition/%d", len(samples)), func(b *testing.B) {
		for b.Loop() {
			e := newExposition()
			for _, s := range samples {
				s(e.add)
			}
			if _, err := e.text(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The text is written into the buffer sized for it: growing it cost more
// than writing it.
func TestExpositionSizesItsBuffer(t *testing.T) {
	c, _ := fixtureCollector(t, "sqlite")
	e := newExposition()
	if _, err := c.scrape(context.Background(), c.Config(), fixtureNow, e.add); err != nil {
		t.Fatal(err)
	}
	text, err := e.text()
	if err != nil {
		t.Fatal(err)
	}
	if size := e.size(); size < len(text) || size > 2*len(text) {
		t.Errorf("sized %d bytes for %d", size, len(text))
	}
}
