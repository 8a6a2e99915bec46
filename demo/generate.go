package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
)

// WeekdayRate is the demo county's usual number of petitions on a weekday.
const WeekdayRate = 12.0

// Generate makes the synthetic cases received in [from, now) with the history
// each would have by now, about perWeekday a weekday (WeekdayRate for the demo
// county; more for benchmarks). The same seed gives the same county.
func Generate(r petition.Rules, key petition.Key, from, now time.Time, seed uint64, perWeekday float64) []store.LoadCase {
	d := newDays(r, key, from, now, seed, perWeekday)
	var out []store.LoadCase
	for !d.done() {
		out = append(out, d.next()...)
	}
	return out
}

// Stream is Generate as a source of the bulk load, a day's cases at a time
// in the order they were received: the same cases, never all in memory, so
// that a county of ten million cases can be seeded.
func Stream(r petition.Rules, key petition.Key, from, now time.Time, seed uint64, perWeekday float64) store.CaseSource {
	d := newDays(r, key, from, now, seed, perWeekday)
	return func(ctx context.Context) ([]store.LoadCase, error) {
		for !d.done() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if day := d.next(); len(day) > 0 {
				slices.SortStableFunc(day, func(a, b store.LoadCase) int { return a.Case.ReceivedAt.Compare(b.Case.ReceivedAt) })
				return day, nil
			}
		}
		return nil, nil
	}
}

// days draws the county one day at a time, in the order Generate always has:
// the same seed gives the same cases.
type days struct {
	g        *gen
	day, now time.Time
	made     int // cases so far: their numbers
}

func newDays(r petition.Rules, key petition.Key, from, now time.Time, seed uint64, perWeekday float64) *days {
	g := newGen(r, key, seed)
	g.rate = perWeekday
	return &days{g: g, day: from, now: now}
}

func (d *days) done() bool { return !d.day.Before(d.now) }

// next draws the cases received on the next day, each with its history by now.
func (d *days) next() []store.LoadCase {
	g, day, now := d.g, d.day, d.now
	d.day = day.Add(24 * time.Hour)
	var out []store.LoadCase
	n := g.poisson(g.dailyRate(day))
	for i := 0; i < n; i++ {
		at := day.Add(time.Duration(g.rnd.Int64N(int64(24 * time.Hour))))
		if !at.Before(now) {
			continue
		}
		c := g.newCase(at, d.made)
		c, evs := g.asMatter(c, d.made, g.history(c, now), now)
		out = append(out, store.LoadCase{Case: c, Events: g.reportedUp(c, evs, now)})
		d.made++
	}
	return out
}

// RateFor returns the weekday rate at which Generate makes about n cases in
// [from, now).
func RateFor(r petition.Rules, from, now time.Time, n int) float64 {
	g := &gen{r: r, rate: 1}
	days := 0.0
	for day := from; day.Before(now); day = day.Add(24 * time.Hour) {
		days += g.dailyRate(day)
	}
	return float64(n) / days
}

type gen struct {
	r    petition.Rules
	key  petition.Key
	rnd  *rand.Rand
	rate float64
}

func newGen(r petition.Rules, key petition.Key, seed uint64) *gen {
	return &gen{r: r, key: key, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// dailyRate is half the weekday rate at weekends and three times it in the
// National Day week (1-7 October).
func (g *gen) dailyRate(day time.Time) float64 {
	local := day.In(g.r.Location)
	rate := g.rate
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		rate /= 2
	}
	if local.Month() == time.October && local.Day() <= 7 {
		rate *= 3
	}
	return rate
}

func (g *gen) poisson(mean float64) int {
	if mean > 500 { // Knuth's method underflows; a normal draw is as good here
		return max(0, int(math.Round(mean+math.Sqrt(mean)*g.rnd.NormFloat64())))
	}
	// Knuth's method is plenty for means of a few dozen.
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= g.rnd.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (g *gen) pick(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rnd.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *gen) newCase(at time.Time, i int) petition.Case {
	unit := Units[g.pick(unitWeights)].Code
	persons := 1
	switch x := g.rnd.Float64(); {
	case x < 0.04:
		persons = 5 + g.rnd.IntN(40) // collective
	case x < 0.15:
		persons = 2 + g.rnd.IntN(3)
	}
	level := petition.Levels[g.pick([]float64{85, 10, 4, 1})]
	// A small pool of petitioners who come back again and again makes repeats.
	var person string
	if g.rnd.Float64() < 0.2 {
		person = fmt.Sprintf("DEMO-FREQUENT-%03d", g.rnd.IntN(150))
	} else {
		person = fmt.Sprintf("DEMO-PERSON-%07d", g.rnd.IntN(1_000_000))
	}
	return petition.Case{
		CaseNo:         fmt.Sprintf("DEMO-%s-%06d", at.In(g.r.Location).Format("20060102"), i),
		ReceivedAt:     at,
		Channel:        petition.Channels[g.pick([]float64{15, 30, 40, 15})],
		Category:       petition.DefaultCategories[g.pick([]float64{8, 15, 20, 10, 15, 22, 10})].Code,
		Unit:           unit,
		Persons:        persons,
		Level:          level,
		PetitionerHash: g.key.Hash(person),
		Supervised:     g.rnd.Float64() < 0.06,
	}
}

// unitWeights makes some units busier than others, as in a real county.
var unitWeights = func() []float64 {
	w := make([]float64, len(Units))
	for i := range w {
		w[i] = 1 + float64((i*7)%5)
	}
	return w
}()

// history draws the steps a case has taken by now. Each step is drawn
// relative to its deadline (most on time, some late); steps after now are not
// taken yet, which leaves a realistic backlog with some overdue cases.
func (g *gen) history(c petition.Case, now time.Time) []petition.Event {
	st := g.r.Received(c)
	var evs []petition.Event
	step := func(e petition.Event) bool {
		if e.At.After(now) {
			return false
		}
		next, _, err := g.r.Apply(st, e)
		if err != nil {
			return false
		}
		st = next
		evs = append(evs, e)
		return true
	}
	// around the deadline: mostly well before it, about 6% after
	byDeadline := func(start time.Time, deadline time.Time) time.Time {
		span := deadline.Sub(start)
		f := 0.2 + 0.75*g.rnd.Float64()
		if g.rnd.Float64() < 0.06 {
			f = 1.02 + 0.3*g.rnd.Float64()
		}
		return start.Add(time.Duration(f * float64(span)))
	}
	if g.rnd.Float64() < 0.12 {
		return evs[:0:0] // some cases are still untouched: they fill the acceptance backlog
	}
	if g.rnd.Float64() < 0.05 { // not this unit's: passed on (转送) to the unit responsible
		to := Units[g.rnd.IntN(len(Units))].Code
		if to != st.Unit {
			step(petition.Event{Type: petition.EventTransferred, At: c.ReceivedAt.Add(time.Duration(1+g.rnd.IntN(72)) * time.Hour), Unit: to})
		}
	}
	if g.rnd.Float64() < 0.1 {
		step(petition.Event{Type: petition.EventNotAccepted, At: byDeadline(c.ReceivedAt, st.Deadline)})
		return evs
	}
	if !step(petition.Event{Type: petition.EventAccepted, At: byDeadline(c.ReceivedAt, st.Deadline)}) {
		return evs
	}
	if g.rnd.Float64() < 0.05 {
		step(petition.Event{Type: petition.EventReassigned, At: st.LastEventAt.Add(time.Hour), Unit: Units[g.rnd.IntN(len(Units))].Code})
	}
	if g.rnd.Float64() < 0.08 {
		step(petition.Event{Type: petition.EventExtended, At: st.Deadline.Add(-5 * 24 * time.Hour), Days: 30})
	}
	// supervision (督办) by the city or the province, taken up during handling
	if g.rnd.Float64() < 0.04 {
		if step(petition.Event{Type: petition.EventSupervised, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(20)) * 24 * time.Hour),
			Level: petition.SupervisionLevels[1+g.rnd.IntN(2)]}) && g.rnd.Float64() < 0.7 {
			// the unit's written answer to it (art. 40), most within days
			step(petition.Event{Type: petition.EventSupervisionAnswered, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(7)) * 24 * time.Hour)})
		}
	}
	if !step(petition.Event{Type: petition.EventReplied, At: byDeadline(st.LastEventAt, st.Deadline)}) {
		return evs
	}
	if g.rnd.Float64() < 0.5 { // the reply's delivery, when the unit records it
		step(petition.Event{Type: petition.EventReplyDelivered, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(72)) * time.Hour)})
	}
	g.evaluate(step, st.LastEventAt)
	if g.rnd.Float64() < 0.12 {
		if step(petition.Event{Type: petition.EventReviewRequested, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(25)) * 24 * time.Hour)}) {
			if !step(petition.Event{Type: petition.EventReviewed, At: byDeadline(st.LastEventAt, st.Deadline)}) {
				return evs
			}
			if g.rnd.Float64() < 0.3 {
				if step(petition.Event{Type: petition.EventReReviewRequested, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(25)) * 24 * time.Hour)}) {
					if g.rnd.Float64() < 0.3 { // a hearing (听证), which pauses the clock
						if step(petition.Event{Type: petition.EventHearingStarted, At: st.LastEventAt.Add(3 * 24 * time.Hour)}) {
							step(petition.Event{Type: petition.EventHearingEnded, At: st.LastEventAt.Add(time.Duration(1+g.rnd.IntN(3)) * 24 * time.Hour)})
						}
					}
					if !step(petition.Event{Type: petition.EventReReviewed, At: byDeadline(st.LastEventAt, st.Deadline)}) {
						return evs
					}
				}
			}
		}
	}
	if st.Stage() == "" && g.rnd.Float64() < 0.8 {
		step(petition.Event{Type: petition.EventClosed, At: st.LastEventAt.Add(time.Duration(30+g.rnd.IntN(10)) * 24 * time.Hour)})
	}
	return evs
}

func (g *gen) evaluate(step func(petition.Event) bool, after time.Time) {
	if g.rnd.Float64() < 0.7 {
		res := petition.EvaluationResults[g.pick([]float64{60, 25, 15})]
		step(petition.Event{Type: petition.EventEvaluated, At: after.Add(time.Duration(1+g.rnd.IntN(72)) * time.Hour), Result: res})
	}
}

// reportedUp adds to a case's history its reports upward (2022 Reg. art.
// 25), made without a draw so that the rest of the demo stays as it was: a
// major matter at receipt is reported to the county leadership within the
// hour and to the city bureau after it; a case the province takes up is
// marked major an hour later and reported two hours after that, late. A
// report or mark neither needs nor changes anything the other events do, so
// each goes in at its time; none after now.
func (g *gen) reportedUp(c petition.Case, evs []petition.Event, now time.Time) []petition.Event {
	var add []petition.Event
	if g.r.Major(c) {
		add = append(add, petition.Event{Type: petition.EventReportedUp, At: c.ReceivedAt.Add(40 * time.Minute), To: petition.ReportCountyLeadership},
			petition.Event{Type: petition.EventReportedUp, At: c.ReceivedAt.Add(70 * time.Minute), To: "city_bureau"})
	} else {
		for _, e := range evs {
			if e.Type == petition.EventSupervised && e.Level == "province" {
				add = append(add, petition.Event{Type: petition.EventMarkedMajor, At: e.At.Add(time.Hour)},
					petition.Event{Type: petition.EventReportedUp, At: e.At.Add(3 * time.Hour), To: petition.ReportCountyLeadership})
				break
			}
		}
	}
	for _, a := range add {
		if a.At.After(now) {
			break
		}
		evs = g.insert(evs, a)
	}
	return evs
}

// asMatter makes some cases of the demo other matters than claims (2022 Reg.
// art. 28), by their number and without a draw, so that the rest of the demo
// stays as it was: about one in 90 an accusation, passed to discipline
// inspection two days after receipt (art. 30); one in 97 a suggestion,
// answered without the claim's limit (art. 29); one in four law-related
// claims diverted to the political-legal departments after a week (诉访分离,
// arts. 22 ¶2, 28). history was drawn for a claim: what the matter does not
// allow (an extension, a review) is dropped.
func (g *gen) asMatter(c petition.Case, n int, evs []petition.Event, now time.Time) (petition.Case, []petition.Event) {
	switch {
	case n%89 == 7:
		c.MatterType = petition.MatterAccusation
		return c, g.divert(c, nil, c.ReceivedAt.Add(48*time.Hour), "discipline_inspection", now)
	case n%97 == 13:
		c.MatterType = petition.MatterSuggestion
		return c, g.allowed(c, evs)
	case n%71 == 3:
		// told at once to go to the competent organ (告知, arts. 22-23)
		return c, g.divertLike(c, petition.Event{Type: petition.EventRedirected, At: c.ReceivedAt.Add(5 * 24 * time.Hour)}, now)
	case n%61 == 5:
		return g.routed(c, n, evs, now)
	case c.Category == "law_litigation" && n%4 == 1:
		cut := c.ReceivedAt.Add(7 * 24 * time.Hour)
		var kept []petition.Event
		for _, e := range evs {
			if e.At.Before(cut) {
				kept = append(kept, e)
			}
		}
		return c, g.divert(c, g.allowed(c, kept), cut, "political_legal", now)
	case n%53 == 11 && c.ReceivedAt.Before(now.AddDate(0, 0, -31)):
		// found a day later to raise one of the demo's matters; only cases
		// older than the matters' 30-day window, which seedMatters sets
		return c, g.insert(evs, petition.Event{Type: petition.EventLinked, At: c.ReceivedAt.Add(24 * time.Hour),
			Matter: Matters[n%len(Matters)].Code})
	}
	return c, evs
}

// allowed is evs without the events case c's rules refuse.
func (g *gen) allowed(c petition.Case, evs []petition.Event) []petition.Event {
	st := g.r.Received(c)
	var out []petition.Event
	for _, e := range evs {
		if next, _, err := g.r.Apply(st, e); err == nil {
			st, out = next, append(out, e)
		}
	}
	return out
}

// divert adds to evs the diversion of c into procedure at at, when that is
// before now and the case is still before its handling decision.
func (g *gen) divert(c petition.Case, evs []petition.Event, at time.Time, procedure string, now time.Time) []petition.Event {
	e := petition.Event{Type: petition.EventDiverted, At: at, Procedure: procedure}
	if at.After(now) {
		return evs
	}
	if _, _, err := g.r.Apply(g.replayed(c, evs), e); err != nil {
		return evs
	}
	return append(evs, e)
}

// replayed is the state of c after evs, all allowed.
func (g *gen) replayed(c petition.Case, evs []petition.Event) petition.State {
	st := g.r.Received(c)
	for _, e := range evs {
		st, _, _ = g.r.Apply(st, e)
	}
	return st
}

// routed makes c a case the bureau registered and passed on a day later,
// assigning it (交办) with a date 30 days on (art. 22(三)); the unit reports
// it done ten days after its reply, or, one in two, objects two days after
// receiving it (art. 23 ¶3) and the case is back with the bureau. evs, drawn
// for the unit, follow the transfer where the rules allow them.
func (g *gen) routed(c petition.Case, n int, evs []petition.Event, now time.Time) (petition.Case, []petition.Event) {
	unit := c.Unit
	c.Unit, c.Routing = Bureau.Code, true
	at := c.ReceivedAt.Add(24 * time.Hour)
	if at.After(now) {
		return c, nil
	}
	transfer := petition.Event{Type: petition.EventTransferred, At: at, Unit: unit, Due: calendar.DayOf(at, g.r.Location) + 30}
	if n%122 == 5 {
		out := []petition.Event{transfer}
		if obj := at.Add(48 * time.Hour); !obj.After(now) {
			out = append(out, petition.Event{Type: petition.EventObjected, At: obj})
		}
		return c, out
	}
	var later []petition.Event
	for _, e := range evs {
		if e.At.After(at) {
			later = append(later, e)
		}
	}
	out := g.allowed(c, append([]petition.Event{transfer}, later...))
	for _, e := range out {
		if e.Type == petition.EventReplied {
			if done := e.At.Add(10 * 24 * time.Hour); !done.After(now) {
				out = g.allowed(c, g.insert(out, petition.Event{Type: petition.EventCompletionReported, At: done}))
			}
			break
		}
	}
	return c, out
}

// divertLike is the history of c that is only e, when e is before now.
func (g *gen) divertLike(c petition.Case, e petition.Event, now time.Time) []petition.Event {
	if e.At.After(now) {
		return nil
	}
	return g.allowed(c, []petition.Event{e})
}

// insert puts e into evs at its time.
func (g *gen) insert(evs []petition.Event, e petition.Event) []petition.Event {
	i := len(evs)
	for i > 0 && evs[i-1].At.After(e.At) {
		i--
	}
	return slices.Insert(evs, i, e)
}
