package collector

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"riskmon/calendar"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

// TestWindowDaysEqualTheCases: the current 7 days counted from the kept
// days and today's cases equal the count from the cases
// (store.Reader.CategoryPetitionersNow) at every instant where a case
// enters or leaves the window, at −1 s, −1 ns, 0, +1 ns and +1 s of it, at
// every local midnight of the span, in time order and with the clock going
// back; a case registered late into a kept day counts once that day is read
// again.
func TestWindowDaysEqualTheCases(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		ctx := context.Background()
		receipts := tenDaysOfCases(t, s, r)
		var instants []time.Time
		for _, at := range receipts {
			for _, edge := range []time.Time{at, at.Add(petition.SurgeWindowDays * 24 * time.Hour)} {
				for _, d := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
					instants = append(instants, edge.Add(d))
				}
			}
		}
		for d := local("2026-09-20 00:00:00"); d.Before(local("2026-10-10 00:00:00")); d = d.AddDate(0, 0, 1) {
			instants = append(instants, d.Add(-time.Second), d, d.Add(time.Second))
		}
		slices.SortFunc(instants, time.Time.Compare)
		check := func(w *windowDays, at time.Time) {
			t.Helper()
			if ok, diff := sameAsCases(t, s, w, at, r.Location); !ok {
				t.Fatal(diff)
			}
		}
		forward := &windowDays{}
		for _, at := range instants {
			check(forward, at)
		}
		back := &windowDays{}
		for _, at := range slices.Backward(instants) {
			check(back, at)
		}

		// a case registered late, into a day kept as read: counted once
		// the day is read again, after the hour, one day a refresh
		now := local("2026-09-29 12:00:00")
		w := &windowDays{}
		check(w, now)
		late := petition.Case{CaseNo: "W-LATE", ReceivedAt: local("2026-09-25 10:00:00"), Channel: "letter", Category: "land_requisition",
			Unit: "u2", Persons: 1, Level: "county", PetitionerHash: person("a late one")}
		if _, _, err := s.CreateCase(ctx, r, late); err != nil {
			t.Fatal(err)
		}
		count := func(at time.Time) int {
			var got []petition.CategoryPetitioners
			if err := s.Read(ctx, func(rd *store.Reader) (err error) { got, err = w.current(ctx, rd, at, r.Location); return err }); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(got, func(c petition.CategoryPetitioners) bool { return c.Unit == "u2" })
			return got[i].Current
		}
		before := count(now.Add(30 * time.Minute))
		for i := range petition.SurgeWindowDays {
			if count(now.Add(time.Hour+time.Duration(i)*time.Second)) == before+1 {
				check(w, now.Add(time.Hour+time.Duration(i+1)*time.Second))
				return
			}
		}
		t.Errorf("the late case is not counted within %d refreshes after the hour", petition.SurgeWindowDays)
	})
}

// Today's whole hours, kept between refreshes, follow the writes: a case
// created between two refreshes with its receipt in an hour of today kept as
// read (or at its first or last second) counts at the next refresh, in a zone
// whose midnight is a UTC hour's and in one whose is not, as the count from
// the cases says: taken from the cases created since when they are what the
// hour lacks, read whole when a case committed late with a lower id.
func TestTodayHoursFollowTheWrites(t *testing.T) {
	ctx := context.Background()
	for _, zone := range []string{"Asia/Shanghai", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, dialect := range storetest.Dialects {
			t.Run(zone+"/"+dialect, func(t *testing.T) {
				s := storetest.Open(t, dialect)
				storetest.PutTwoUnits(t, s)
				r := fixtureConfig(t).Rules
				w := &windowDays{}
				day := time.Date(2026, 9, 29, 0, 0, 0, 0, loc)
				// the evening before: in Kolkata, in the UTC hour the day starts in
				eve := petition.Case{CaseNo: "H-EVE", ReceivedAt: day.Add(-10 * time.Minute), Channel: "letter", Category: "land_requisition",
					Unit: "u1", Persons: 1, Level: "county", PetitionerHash: person("the evening before")}
				if _, _, err := s.CreateCase(ctx, r, eve); err != nil {
					t.Fatal(err)
				}
				n, merged, found := 0, 0, 0
				for step := range 72 {
					now := day.Add(time.Duration(step) * 20 * time.Minute).Add(time.Duration(step%3-1) * time.Second)
					// a receipt in an hour already read: at the hour's first or
					// last second, or inside it, some hours back
					back := now.Add(-time.Duration(step%5) * time.Hour).Truncate(time.Hour)
					received := []time.Time{back, back.Add(time.Hour - time.Second), back.Add(17 * time.Minute), now}[step%4]
					if received.Before(day) || received.After(now) {
						received = now
					}
					late, older := step%3 == 0, step%2 == 0
					hr := received.Unix() / 3600
					before, kept := w.hours[hr]
					kept = kept && before.from == hr*3600 && hr < now.Unix()/3600
					// a late case is looked for among the ids the latest
					// refresh read past, unless it read the hour whole
					lookedFor := w.merged.in > 0 && before.readIn < w.merged.in
					n++
					c := petition.Case{CaseNo: fmt.Sprintf("H-%03d", n), ReceivedAt: received, Channel: "letter", Category: "land_requisition",
						Unit: []string{"u1", "u2"}[step%2], Persons: 1, Level: "county", PetitionerHash: person(fmt.Sprint("p", step%9))}
					if _, _, err := s.CreateCase(ctx, r, c); err != nil {
						t.Fatal(err)
					}
					if late {
						// every third step, as if a writer committed the case
						// after one with a higher id was read: its id is not
						// above upTo, and its hour must be read whole, unless
						// it is among the ids the latest refresh read past;
						// every other time the commit is older than that
						if err := s.DB().QueryRowContext(ctx, "SELECT MAX(id) FROM cases").Scan(&w.upTo); err != nil {
							t.Fatal(err)
						}
						if older {
							w.merged.floor = w.upTo
						}
					}
					if ok, diff := sameAsCases(t, s, w, now, loc); !ok {
						t.Fatalf("after a case received at %s: %s", received, diff)
					}
					if kept {
						readWhole := w.hours[hr].read.Equal(now)
						if want := late && (older || !lookedFor); readWhole != want {
							t.Fatalf("a case received at %s into a kept hour (committed late: %v, older than a refresh: %v): read whole %v, want %v",
								received, late, older, readWhole, want)
						}
						merged++
						if late && !readWhole {
							found++
						}
					}
				}
				if len(w.hours) < 20 || merged < 10 || found < 2 {
					t.Fatalf("%d hours kept at the day's end, %d cases into kept hours, %d late ones found: the walk proves nothing",
						len(w.hours), merged, found)
				}
			})
		}
	}
}

// The window's first day and today, as kept between refreshes: a petitioner
// of the first day seen again today in a whole hour, or in the current one,
// counts once; one of the first day only leaves the window as its start
// passes their receipt; one of today only counts as their hour becomes
// whole, or at once when registered late into a whole hour of today (once,
// if of the first day too); a case registered late into the first day
// counts at the refresh that reads that day again, an hour on: as the count
// from the cases says.
func TestSurgeFirstDayAndToday(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		ctx := context.Background()
		first := local("2026-09-22 00:00:00")
		today := first.AddDate(0, 0, petition.SurgeWindowDays)
		n := 0
		create := func(who string, at time.Time) {
			t.Helper()
			n++
			c := petition.Case{CaseNo: fmt.Sprintf("F-%03d", n), ReceivedAt: at, Channel: "letter", Category: "land_requisition",
				Unit: "u1", Persons: 1, Level: "county", PetitionerHash: person(who)}
			if _, _, err := s.CreateCase(ctx, r, c); err != nil {
				t.Fatal(err)
			}
		}
		w := &windowDays{}
		same := func(now time.Time) (bool, string) { return sameAsCases(t, s, w, now, r.Location) }
		check := func(now time.Time) {
			t.Helper()
			if ok, diff := same(now); !ok {
				t.Fatal(diff)
			}
		}
		create("between", first.AddDate(0, 0, 3))
		for who, at := range map[string]string{"first and today": "06:00", "first and now": "07:00", "first only": "04:30", "first, then late today": "08:00"} {
			create(who, local("2026-09-22 "+at+":00"))
		}
		create("first and today", today.Add(3*time.Hour+10*time.Minute))
		create("today only", today.Add(3*time.Hour+20*time.Minute))
		// from 03:30, so that the hour 03 becomes whole before any kept
		// day is an hour old
		for m := 210; m <= 300; m += 5 {
			now := today.Add(time.Duration(m)*time.Minute + time.Second)
			switch m {
			case 245:
				create("first and now", now.Add(-time.Second))
			case 255: // registered late into a whole hour of today, no kept day or hour an hour old
				create("late today", today.Add(2*time.Hour+15*time.Minute))
			case 260: // the same, one of the first day's: counted once
				create("first, then late today", today.Add(2*time.Hour+40*time.Minute))
			}
			check(now)
		}
		// registered late into the first day: counted at the refresh that
		// reads the first day again, the stalest kept day a refresh once
		// an hour old
		create("first, late", first.Add(9*time.Hour))
		for i := range 2 * petition.SurgeWindowDays {
			// within the hour 05 (no hour becomes whole), past the hour
			// since the first day was last read (04:30:01)
			now := today.Add(5*time.Hour + 31*time.Minute + time.Duration(i)*time.Second)
			ok, diff := same(now)
			if w.kept[calendar.DayOf(first, r.Location)].read.Equal(now) {
				if !ok {
					t.Fatalf("the first day read again: %s", diff)
				}
				return
			}
		}
		t.Errorf("the first day not read again within %d refreshes after the hour", 2*petition.SurgeWindowDays)
	})
}

// The current hour, kept between refreshes, follows the writes as the
// whole hours do: a case created into it between two refreshes (a new
// petitioner, one seen earlier in the hour, one seen in a whole hour) is
// taken from the cases created since, not by reading the hour whole, and
// so is one registered late into a whole hour, of the hour or new to both
// at once (counted once); one
// committed late with a lower id, or one received later in the hour than
// the refresh, makes the hour read whole (until that case's time comes); a
// clock gone back within the hour reads it whole; and once whole, the hour
// is kept as it stands, not read again. At every step, as the count from
// the cases says.
func TestCurrentHourFollowsTheWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		ctx := context.Background()
		w := &windowDays{}
		n := 0
		create := func(who string, at time.Time) {
			t.Helper()
			n++
			c := petition.Case{CaseNo: fmt.Sprintf("C-%03d", n), ReceivedAt: at, Channel: "letter", Category: "land_requisition",
				Unit: []string{"u1", "u2"}[len(who)%2], Persons: 1, Level: "county", PetitionerHash: person(who)}
			if _, _, err := s.CreateCase(ctx, r, c); err != nil {
				t.Fatal(err)
			}
		}
		hour := local("2026-09-29 10:00:00")
		create("of a whole hour", hour.Add(-30*time.Minute))
		steps := []struct {
			name      string
			min       int    // the refresh, minutes into the hour
			who       string // a case received a minute before it ("" none)
			future    bool   // received ten minutes after it instead
			exact     bool   // received at its second instead
			whole     string // a case of this one received in a whole hour of today, kept
			late      bool   // committed after a higher id was read
			older     bool   // and before the refresh before
			back      bool   // the clock gone back (a minute before the refresh before)
			wantWhole bool
		}{
			{name: "first read", min: 1, who: "a", wantWhole: true},
			{name: "a new petitioner", min: 5, who: "b"},
			{name: "one seen earlier in the hour", min: 9, who: "a"},
			{name: "one of a whole hour", min: 12, who: "of a whole hour"},
			{name: "nothing new", min: 15},
			// counted with the hour, then with today's whole hours: once
			{name: "one of the hour registered late into a whole hour", min: 16, whole: "b"},
			{name: "new to the hour and to a whole hour at once", min: 17, who: "n", whole: "n"},
			// found among the ids the refresh before read past
			{name: "committed late", min: 18, who: "c", late: true},
			{name: "committed later than a refresh", min: 19, who: "c2", late: true, older: true, wantWhole: true},
			{name: "received after the refresh", min: 21, who: "d", future: true, wantWhole: true},
			{name: "still ahead", min: 25, wantWhole: true},
			{name: "its time come", min: 32}, // its id is above those read
			{name: "merged again", min: 36, who: "e"},
			{name: "the clock back", min: 34, back: true, wantWhole: true},
			// the case of 35:00 was taken above the ids read, and the hour
			// read back to 34:00 lacks it: read whole once more
			{name: "on from there", min: 40, who: "f", wantWhole: true},
			{name: "merged once more", min: 44, who: "b"},
			{name: "received at the refresh's second", min: 47, who: "h", exact: true},
		}
		for _, st := range steps {
			now := hour.Add(time.Duration(st.min) * time.Minute)
			switch {
			case st.future:
				create(st.who, now.Add(10*time.Minute))
			case st.exact:
				create(st.who, now)
			case st.who != "":
				create(st.who, now.Add(-time.Minute))
			}
			if st.whole != "" {
				create(st.whole, hour.Add(-30*time.Minute))
			}
			if st.late {
				if err := s.DB().QueryRowContext(ctx, "SELECT MAX(id) FROM cases").Scan(&w.upTo); err != nil {
					t.Fatal(err)
				}
				if st.older {
					w.merged.floor = w.upTo
				}
			}
			maps := keptMaps(w)
			if ok, diff := sameAsCases(t, s, w, now, r.Location); !ok {
				t.Fatalf("%s: %s", st.name, diff)
			}
			if got := w.cur.read.Equal(now); got != st.wantWhole {
				t.Fatalf("%s: the current hour read whole %v, want %v", st.name, got, st.wantWhole)
			}
			// what is not read again takes its new cases in place: a copy
			// cost as many entries as the hour held, at every refresh
			for h, got := range keptMaps(w) {
				if was, ok := maps[h]; ok && was.read.Equal(got.read) && was.at != got.at {
					t.Fatalf("%s: the hour %d's petitioners were copied, not added to", st.name, h)
				}
			}
		}
		// whole now: kept as the latest refresh left it, with a case
		// created since taken from the cases created since
		wasRead := w.cur.read
		next := hour.Add(time.Hour + 5*time.Minute)
		create("g", hour.Add(50*time.Minute))
		if ok, diff := sameAsCases(t, s, w, next, r.Location); !ok {
			t.Fatalf("the hour whole: %s", diff)
		}
		if got := w.hours[hour.Unix()/3600].read; !got.Equal(wasRead) {
			t.Fatalf("the hour, once whole, read again at %s; want kept from %s", got, wasRead)
		}
	})
}

// keptMap is where a kept hour's petitioners are and when they were read:
// the same place, unless read again, when a refresh adds to them in place.
type keptMap struct {
	at   unsafe.Pointer
	read time.Time
}

// keptMaps are w's kept hours of today and its current hour, by hour.
func keptMaps(w *windowDays) map[int64]keptMap {
	out := map[int64]keptMap{}
	for h, k := range w.hours {
		out[h] = keptMap{reflect.ValueOf(k.latest).UnsafePointer(), k.read}
	}
	if w.cur.latest != nil {
		out[w.curHour] = keptMap{reflect.ValueOf(w.cur.latest).UnsafePointer(), w.cur.read}
	}
	return out
}

// A refresh that fails after reading a kept day again leaves the window as
// it was: the next refresh, in the same hour, counts a case registered late
// into the window's first day (read again at the failed refresh) as the count
// from the cases does, not from a rest of the window made before the day was
// read. The receipt buckets are hidden for the failed refresh alone, so that
// it fails in today's hours, after the days.
func TestFailedRefreshLeavesTheWindow(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		ctx := context.Background()
		tenDaysOfCases(t, s, r)
		w := &windowDays{}
		refresh := func(at time.Time) error {
			return s.Read(ctx, func(rd *store.Reader) error { _, err := w.current(ctx, rd, at, r.Location); return err })
		}
		// the days read at 12:30, again one a refresh from 13:30 (the
		// first day first), and today's whole hours to 14:00 at 14:05:
		// at 14:30 the first day is due alone, and today's hours are as
		// kept
		ats := []time.Time{local("2026-09-29 12:30:00")}
		for i := range petition.SurgeWindowDays {
			ats = append(ats, local("2026-09-29 13:30:00").Add(time.Duration(i)*time.Second))
		}
		for _, at := range append(ats, local("2026-09-29 14:05:00")) {
			if err := refresh(at); err != nil {
				t.Fatal(err)
			}
		}
		late := petition.Case{CaseNo: "F-LATE", ReceivedAt: local("2026-09-22 18:00:00"), Channel: "letter", Category: "land_requisition",
			Unit: "u2", Persons: 1, Level: "county", PetitionerHash: person("late into the first day")}
		if _, _, err := s.CreateCase(ctx, r, late); err != nil {
			t.Fatal(err)
		}
		rename := func(from, to string) {
			t.Helper()
			if _, err := s.DB().ExecContext(ctx, "ALTER TABLE "+from+" RENAME TO "+to); err != nil {
				t.Fatal(err)
			}
		}
		rename("receipt_bucket_tally", "receipt_bucket_hidden")
		err := refresh(local("2026-09-29 14:30:00")) // the first day, read at 13:30, is read again
		rename("receipt_bucket_hidden", "receipt_bucket_tally")
		if err == nil {
			t.Fatal("a refresh without the receipt buckets succeeded: the test hides nothing")
		}
		if ok, diff := sameAsCases(t, s, w, local("2026-09-29 14:30:00").Add(500*time.Millisecond), r.Location); !ok {
			t.Fatalf("after a failed refresh: %s", diff)
		}
	})
}

// eachDialect runs test on a store of each dialect holding the fixture's
// two units.
func eachDialect(t *testing.T, test func(t *testing.T, s *store.Store, r petition.Rules)) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			s := storetest.Open(t, dialect)
			storetest.PutTwoUnits(t, s)
			test(t, s, fixtureConfig(t).Rules)
		})
	}
}

// tenDaysOfCases creates a case every four hours from 20 September, at
// local midnights and a second either side, the same petitioners on several
// days and at two units, and returns their receipts.
func tenDaysOfCases(t *testing.T, s *store.Store, r petition.Rules) []time.Time {
	t.Helper()
	base := local("2026-09-20 00:00:00")
	var receipts []time.Time
	for i := range 60 {
		at := base.Add(time.Duration(i) * 4 * time.Hour)
		switch i % 3 {
		case 1:
			at = at.Add(-time.Second)
		case 2:
			at = at.Add(time.Second)
		}
		c := petition.Case{CaseNo: fmt.Sprintf("W-%02d", i), ReceivedAt: at, Channel: "letter", Category: "land_requisition",
			Unit: []string{"u1", "u2"}[i%2], Persons: 1, Level: "county", PetitionerHash: person(fmt.Sprint("p", i%7))}
		if _, _, err := s.CreateCase(context.Background(), r, c); err != nil {
			t.Fatal(err)
		}
		receipts = append(receipts, at)
	}
	return receipts
}

// sameAsCases reports whether w's current window at now, in loc, is the
// count from the cases (store.Reader.CategoryPetitionersNow), and the two.
func sameAsCases(t *testing.T, s *store.Store, w *windowDays, now time.Time, loc *time.Location) (bool, string) {
	t.Helper()
	ctx := context.Background()
	var got, want []petition.CategoryPetitioners
	err := s.Read(ctx, func(rd *store.Reader) error {
		var err error
		if got, err = w.current(ctx, rd, now, loc); err != nil {
			return err
		}
		want, err = rd.CategoryPetitionersNow(ctx, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprintf("at %s: got %v, want %v", now, got, want)
}

// sameKeys is who, not when: the same petitioners at other times are the
// same hour; as many others (a category corrected, a rekey) are not.
func TestSameKeys(t *testing.T) {
	a := newPetitionerOf("u1", "land_requisition", "p1")
	b := newPetitionerOf("u1", "land_requisition", "p2")
	c := newPetitionerOf("u1", "other", "p1")
	for _, tc := range []struct {
		name string
		x, y map[petitionerOf]int64
		want bool
	}{
		{"both empty", nil, map[petitionerOf]int64{}, true},
		{"same petitioners, other times", map[petitionerOf]int64{a: 1, b: 2}, map[petitionerOf]int64{a: 5, b: 9}, true},
		{"as many, one other", map[petitionerOf]int64{a: 1, b: 2}, map[petitionerOf]int64{a: 1, c: 2}, false},
		{"one more", map[petitionerOf]int64{a: 1}, map[petitionerOf]int64{a: 1, b: 2}, false},
		{"one fewer", map[petitionerOf]int64{a: 1, b: 2}, map[petitionerOf]int64{b: 2}, false},
	} {
		if got := sameKeys(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// In a zone whose midnight is not a UTC hour's, today's first whole UTC
// hour is kept from the day's start, against its receipts from the hour's
// start (the evening before included): a refresh that finds them as they
// were reads it no more.
func TestFirstHourFromMidHourKept(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		day := time.Date(2026, 9, 29, 0, 0, 0, 0, loc) // 18:30 UTC the day before
		for i, at := range []time.Time{day.Add(-20 * time.Minute), day.Add(10 * time.Minute)} {
			c := petition.Case{CaseNo: fmt.Sprintf("K-%d", i), ReceivedAt: at, Channel: "letter", Category: "land_requisition",
				Unit: "u1", Persons: 1, Level: "county", PetitionerHash: person(fmt.Sprint("k", i))}
			if _, _, err := s.CreateCase(context.Background(), r, c); err != nil {
				t.Fatal(err)
			}
		}
		w := &windowDays{}
		first := day.Unix() / 3600
		t1, t2 := day.Add(40*time.Minute), day.Add(50*time.Minute)
		for _, now := range []time.Time{t1, t2} {
			if ok, diff := sameAsCases(t, s, w, now, loc); !ok {
				t.Fatal(diff)
			}
		}
		if got := w.hours[first].read; !got.Equal(t1) {
			t.Fatalf("the first hour, unchanged, read again at %s; want kept from %s", got, t1)
		}
	})
}

// A quiet day, refreshed every five minutes from before one local midnight
// to after the next: a refresh in the same UTC hour as the one before makes
// nothing again, neither the current hour (read whole) nor the rest of the
// window (the first day's petitioners, sorted), unless it read the first
// day again (the stalest day is, once usualWeekFresh old; one between read
// again as it was leaves the rest as it was). An empty current hour was
// read whole at every refresh (nothing read yet today, nothing to take the
// cases created since from). In the day's first hour, today has no whole
// hour yet: the rest was made again at every refresh there, 20 ms a
// refresh at ten million cases.
func TestQuietDayKept(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store, r petition.Rules) {
		tenDaysOfCases(t, s, r) // the last on 29 September: none after now
		w := &windowDays{}
		var was time.Time
		var rest *restOfWindow
		var curRead time.Time
		for now := local("2026-09-30 23:05:00"); now.Before(local("2026-10-02 01:10:00")); now = now.Add(5 * time.Minute) {
			if ok, diff := sameAsCases(t, s, w, now, shanghai); !ok {
				t.Fatal(diff)
			}
			first := calendar.DayOf(now.Add(-petition.SurgeWindowDays*24*time.Hour), shanghai)
			if now.Unix()/3600 == was.Unix()/3600 {
				if !w.cur.read.Equal(curRead) {
					t.Errorf("at %s: the current hour read whole again, nothing having moved", now)
				}
				if w.rest != rest && !w.kept[first].read.Equal(now) {
					t.Errorf("at %s: the rest of the window made again, nothing having moved", now)
				}
			}
			was, rest, curRead = now, w.rest, w.cur.read
		}
	})
}
