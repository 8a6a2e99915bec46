package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/store/storetest"
)

// gunzipOne reads gz as exactly one gzip member (its CRC-32 and length
// checked by the reader) and returns what it holds.
func gunzipOne(t *testing.T, gz []byte) []byte {
	t.Helper()
	br := bytes.NewReader(gz)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	if br.Len() != 0 {
		t.Fatalf("%d bytes after the gzip member", br.Len())
	}
	return got
}

// The encoder writes each refresh's text as text() does, and gzip that
// reads back to it in one member, whatever changed since the last refresh;
// it writes and compresses anew exactly the families whose samples changed
// or whose compressed piece reaches back into text that changed.
func TestEncoderWritesWhatChanged(t *testing.T) {
	descs := []typedDesc{open, overdue, receivedWindow, unitInfo, collectiveReceivedWindow}
	type sample struct {
		v      float64
		labels []string
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	label := func() string {
		return fmt.Sprintf("u%d", rnd.IntN(4)) + []string{"", `"q"`, "\\n", "\n", "县"}[rnd.IntN(5)]
	}
	// families by desc index: the samples, with distinct label values
	fams := map[int][]sample{}
	fresh := func(i int) []sample {
		var out []sample
		seen := map[string]bool{}
		for range 1 + rnd.IntN(400) {
			ls := make([]string, len(descs[i].Doc.Labels))
			for j := range ls {
				ls[j] = label()
			}
			if k := fmt.Sprint(ls); !seen[k] {
				seen[k] = true
				out = append(out, sample{float64(rnd.IntN(5)), ls})
			}
		}
		return out
	}
	for i := range descs {
		fams[i] = fresh(i)
	}
	same := func(a, b []sample) bool {
		return slices.EqualFunc(a, b, func(x, y sample) bool {
			return math.Float64bits(x.v) == math.Float64bits(y.v) && slices.Equal(x.labels, y.labels)
		})
	}
	// where each family's text starts, and the text a deflate
	// back-reference from there may reach (RFC 1951: 32,768 bytes)
	starts := func(text []byte) map[string]int {
		out := map[string]int{}
		for i := 0; i < len(text); {
			if rest := text[i:]; bytes.HasPrefix(rest, []byte("# HELP ")) {
				out[string(bytes.Fields(rest[:bytes.IndexByte(rest, '\n')])[2])] = i
			}
			i += bytes.IndexByte(text[i:], '\n') + 1
		}
		return out
	}
	reach := func(text []byte, at int) []byte { return text[max(0, at-32768):at] }
	var enc encoder
	prev, prevText := map[int][]sample{}, []byte(nil)
	for round := range 200 {
		if round > 0 {
			for i := range descs {
				if rnd.IntN(3) > 0 {
					continue // unchanged
				}
				s := slices.Clone(fams[i])
				switch rnd.IntN(6) {
				case 0: // a value moves
					if len(s) > 0 {
						s[rnd.IntN(len(s))].v++
					}
				case 1: // to a number written otherwise
					if len(s) > 0 {
						s[rnd.IntN(len(s))].v = []float64{math.NaN(), math.Inf(1), -1.5e-300, 1e21}[rnd.IntN(4)]
					}
				case 2: // a sample leaves
					if len(s) > 0 {
						k := rnd.IntN(len(s))
						s = slices.Delete(s, k, k+1)
					}
				case 3: // new samples
					s = fresh(i)
				case 4: // the family leaves, or comes back
					if len(s) > 0 {
						s = nil
					} else {
						s = fresh(i)
					}
				case 5: // emitted in another order: the same text, written anew
					if len(s) > 1 {
						s = append(s[1:len(s):len(s)], s[0])
					}
				}
				fams[i] = s
			}
		}
		e := newExposition()
		for i, d := range descs {
			for _, s := range fams[i] {
				e.add(d, s.v, s.labels...)
			}
		}
		want, err := e.text()
		if err != nil {
			t.Fatal(err)
		}
		// anew: the families whose samples changed, and those after the
		// same samples but other text within reach
		wantWritten := 0
		was, is := starts(prevText), starts(want)
		for i, d := range descs {
			at, ok := is[d.Doc.Name]
			from, before := was[d.Doc.Name]
			if ok && (!same(fams[i], prev[i]) || !before || !bytes.Equal(reach(prevText, from), reach(want, at))) {
				wantWritten++
			}
		}
		before := enc.written
		got, err := enc.encode(e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.text, want) {
			t.Fatalf("round %d: text\n%s\nwant\n%s", round, got.text, want)
		}
		if unzipped := gunzipOne(t, got.gz); !bytes.Equal(unzipped, want) {
			t.Fatalf("round %d: gzip holds\n%s\nwant\n%s", round, unzipped, want)
		}
		if written := enc.written - before; written != wantWritten {
			t.Fatalf("round %d: %d families written anew, want %d (those whose samples changed)", round, written, wantWritten)
		}
		prev, prevText = maps.Clone(fams), want
	}
}

// Two refreshes of an unchanged database at one instant emit the same
// samples in the same order: the second writes no family anew, on the demo
// county (every channel, level, diversion and register state) in both
// dialects.
func TestSecondRefreshWritesNothingAnew(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			cfg := fixtureConfig(t)
			now := time.Date(2026, 10, 8, 15, 30, 0, 0, cfg.Rules.Location)
			ctx := context.Background()
			if err := demo.SeedRate(ctx, s, cfg.Rules, demo.Key, now, demo.WeekdayRate/4); err != nil {
				t.Fatal(err)
			}
			c := New(s, cfg, nil, BuildInfo{})
			first, _, err := c.build(ctx, cfg, now)
			if err != nil {
				t.Fatal(err)
			}
			written := c.encoder.written
			second, _, err := c.build(ctx, cfg, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.encoder.written - written; got != 0 {
				t.Errorf("the second refresh wrote %d families anew, want 0", got)
			}
			if !bytes.Equal(first.text, second.text) || !bytes.Equal(first.gz, second.gz) {
				t.Error("the second refresh's snapshot differs from the first's")
			}
		})
	}
}

// BenchmarkEncodeChanged is a refresh's encoding when the families that
// writers move (the receipt counters and windows, the open cases) changed
// since the last refresh and the rest did not, as under the intake.
func BenchmarkEncodeChanged(b *testing.B) {
	s := storetest.Open(b, "sqlite")
	cfg := fixtureConfig(b)
	now := time.Now()
	if err := demo.SeedRate(context.Background(), s, cfg.Rules, demo.Key, now, demo.WeekdayRate); err != nil {
		b.Fatal(err)
	}
	c := New(s, cfg, nil, BuildInfo{})
	type sample struct {
		d      typedDesc
		v      float64
		labels []string
	}
	var samples []sample
	if _, err := c.scrape(context.Background(), cfg, now, func(d typedDesc, v float64, labels ...string) {
		samples = append(samples, sample{d, v, labels})
	}); err != nil {
		b.Fatal(err)
	}
	moved := map[string]bool{receivedTotal.Doc.Name: true, receivedWindow.Doc.Name: true, open.Doc.Name: true,
		personsReceivedTotal.Doc.Name: true, collectiveReceivedTotal.Doc.Name: true, repeatReceivedTotal.Doc.Name: true}
	var enc encoder
	exp := func(round int) *exposition {
		e := newExposition()
		for _, s := range samples {
			v := s.v
			if moved[s.d.Doc.Name] {
				v += float64(round)
			}
			e.add(s.d, v, s.labels...)
		}
		return e
	}
	// two refreshes' samples, encoded in turn: each moved what the writers
	// move since the other
	exps := [2]*exposition{exp(0), exp(1)}
	round := 0
	for b.Loop() {
		round++
		if _, err := enc.encode(exps[round%2]); err != nil {
			b.Fatal(err)
		}
	}
}
