package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"riskmon/demo"
	"riskmon/intake"
	"riskmon/petition"
	"riskmon/store"
	"riskmon/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

const goodJSONL = `{"case_no":"I-1","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"u1","persons":1,"level":"county","petitioner_id":"A","events":[{"type":"accepted","at":"2026-09-02T10:00:00+08:00"},{"type":"replied","at":"2026-09-20T10:00:00+08:00"}]}

{"case_no":"I-2","received_at":"2026-09-05T10:00:00+08:00","channel":"visit","category":"other","unit":"u1","persons":8,"level":"province","petitioner_id":"A","repeat_of":"I-1"}
{"case_no":"I-3","received_at":"2026-09-06T10:00:00+08:00","channel":"online","category":"land_requisition","unit":"u2","persons":1,"level":"county","petitioner_id":"B","supervised":true,"events":[{"type":"accepted","at":"2026-09-07T10:00:00+08:00"},{"type":"extended","at":"2026-09-08T10:00:00+08:00","days":10}]}
`

// importText checks and writes text as the import file name; the
// problems are those Check found.
func importText(t *testing.T, e *env, name, text string) (*intake.File, []intake.LineError, error) {
	t.Helper()
	f, err := intake.NewFile(strings.NewReader(text), name, e.clk.Now(), e.cfg.Rules, e.cfg.PetitionerKey)
	if err != nil {
		return nil, nil, err
	}
	if err := f.Check(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	problems, _ := f.Problems()
	return f, problems, f.Write(context.Background(), e.store, nil)
}

func TestImportTwiceChangesNothing(t *testing.T) {
	for _, dialect := range []string{"mysql", "sqlite"} {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, dialect)
			if _, _, err := importText(t, e, "cases.jsonl", goodJSONL); err != nil {
				t.Fatal(err)
			}
			first := dumpDatabase(t, e)
			var got intake.CaseResponse
			e.do("GET", "/api/v1/cases/I-2", rwToken, nil).json(t, &got) // the bureau sees the repeat flag
			if got.Repeat == nil || !*got.Repeat || !got.Collective || !got.SkipLevel {
				t.Errorf("I-2 imported as %+v", got)
			}
			e.do("GET", "/api/v1/cases/I-3", roToken, nil).json(t, &got)
			if len(got.Events) != 2 || !got.Extended || !got.Supervised {
				t.Errorf("I-3 imported as %+v", got)
			}
			again, _, err := importText(t, e, "cases.jsonl", goodJSONL)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(again.PendingLines()); n != 0 {
				t.Errorf("%d cases to write on the second import, want none", n)
			}
			if second := dumpDatabase(t, e); second != first {
				t.Errorf("the second import changed the database:\n%s\n---\n%s", first, second)
			}
			// the same cases with one more event: only the event is added
			more := strings.Replace(goodJSONL, `{"type":"extended","at":"2026-09-08T10:00:00+08:00","days":10}]`,
				`{"type":"extended","at":"2026-09-08T10:00:00+08:00","days":10},{"type":"replied","at":"2026-09-09T10:00:00+08:00"}]`, 1)
			longer, _, err := importText(t, e, "more.jsonl", more)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := longer.PendingLines(), []int{4}; !slices.Equal(got, want) {
				t.Errorf("lines to write from the longer file: %v, want %v (I-3 alone)", got, want)
			}
			e.do("GET", "/api/v1/cases/I-3", roToken, nil).json(t, &got)
			if len(got.Events) != 3 || got.Status != "replied" || e.caseCount() != 3 {
				t.Errorf("after the longer file: %+v, %d cases", got, e.caseCount())
			}
		})
	}
}

func TestImportReportsEveryBadLineAndWritesNothing(t *testing.T) {
	e := newEnv(t, "mysql")
	if r := e.do("POST", "/api/v1/cases", rwToken, caseBody("DB-1")); r.status != 201 {
		t.Fatal(r.body)
	}
	before := dumpDatabase(t, e)
	bad := goodJSONL + `{"case_no":"I-4","received_at":"soon","channel":"fax","category":"other","unit":"u9","persons":0,"level":"county","petitioner_id":"C"}
{"case_no":"I-5","received_at":"2026-09-06T10:00:00+08:00","channel":"visit","category":"weather","unit":"u1","persons":1,"level":"county","petitioner_id":"C","events":[{"type":"replied","at":"2026-09-07T10:00:00+08:00"}]}
{"case_no":"I-6", "colour":"red"}
{"case_no":"I-1","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"u1","persons":2,"level":"county","petitioner_id":"A"}
{"case_no":"DB-1","received_at":"2026-10-01T10:00:00+08:00","channel":"visit","category":"other","unit":"u1","persons":5,"level":"county","petitioner_id":"DEMO-ID-DB-1"}
{"case_no":"I-7","received_at":"2026-09-06T10:00:00+08:00","channel":"visit","category":"other","unit":"u1","persons":1,"level":"county","petitioner_id":"C","repeat_of":"I-404"}
not json at all
`
	_, problems, err := importText(t, e, "bad.jsonl", bad)
	if err == nil || !strings.Contains(err.Error(), "nothing written") {
		t.Fatalf("import of a bad file: %v", err)
	}
	var got []string
	for _, le := range problems {
		got = append(got, le.String())
	}
	all := strings.Join(got, "\n")
	// in line order, and within a line in the order the API reports them
	if i, j := strings.Index(all, "line 5: received_at"), strings.Index(all, "line 5: channel"); i < 0 || j < i {
		t.Errorf("line 5's problems out of order:\n%s", all)
	}
	if i, j := strings.Index(all, "line 5:"), strings.Index(all, "line 11:"); i < 0 || j < i {
		t.Errorf("problems out of line order:\n%s", all)
	}
	for _, want := range []string{
		"line 5: received_at", "line 5: channel", "line 5: persons",
		"line 6: category: category \"weather\" does not exist", "line 6: events[0]: event not allowed: replied in status received",
		"line 7: colour: malformed JSON body: unknown field",
		"line 8: case_no: I-1 is also on line 1, with other content",
		"line 9: case_no: DB-1: the stored case has other content",
		"line 10: repeat_of: case \"I-404\" is neither in the file nor stored",
		"line 11: malformed JSON body",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem %q in:\n%s", want, all)
		}
	}
	if after := dumpDatabase(t, e); after != before {
		t.Error("a refused import wrote to the database")
	}
}

func TestImportCSV(t *testing.T) {
	e := newEnv(t, "mysql")
	csvText := "case_no,received_at,channel,category,unit,persons,level,petitioner_id,repeat_of,supervised,events\n" +
		"V-1,2026-09-01T10:00:00+08:00,letter,other,u1,1,county,A,,false,\"[{\"\"type\"\":\"\"accepted\"\",\"\"at\"\":\"\"2026-09-02T10:00:00+08:00\"\"}]\"\n" +
		"V-2,2026-09-03T10:00:00+08:00,visit,other,u1,6,national,A,V-1,true,\n"
	if _, _, err := importText(t, e, "cases.csv", csvText); err != nil {
		t.Fatal(err)
	}
	var got intake.CaseResponse
	e.do("GET", "/api/v1/cases/V-2", rwToken, nil).json(t, &got) // the bureau sees the repeat flag
	if got.Repeat == nil || !*got.Repeat || !got.Collective || !got.SkipLevel || !got.Supervised {
		t.Errorf("V-2 imported as %+v", got)
	}
	// a matter by its code, in a column of its own; an unregistered one refused
	if err := e.store.PutMatterWithin(context.Background(), store.Matter{Code: "wages", Name: "某厂欠薪", Unit: "u1", Category: "other"}, 10); err != nil {
		t.Fatal(err)
	}
	if _, _, err := importText(t, e, "matters.csv", "case_no,received_at,channel,category,unit,persons,level,petitioner_id,matter\n"+
		"W-1,2026-09-05T10:00:00+08:00,letter,other,u1,1,county,B,wages\n"); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/cases/W-1", roToken, nil).json(t, &got)
	if got.Matter != "wages" {
		t.Errorf("W-1 imported with matter %q, want wages", got.Matter)
	}
	_, problems, _ := importText(t, e, "nomatter.csv", "case_no,received_at,channel,category,unit,persons,level,petitioner_id,matter\n"+
		"W-2,2026-09-05T10:00:00+08:00,letter,other,u1,1,county,B,nope\n")
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "matter") {
		t.Errorf("an unregistered matter: %v", problems)
	}
	_, problems, err := importText(t, e, "bad.csv", "case_no,received,channel\nX,1,2\n")
	if err == nil || len(problems) == 0 || !strings.Contains(problems[0].String(), "line 1: received: unknown column") {
		t.Errorf("bad header: %v %v", err, problems)
	}
	_, problems, _ = importText(t, e, "bad.csv", "case_no,received_at,channel,category,unit,persons,level,petitioner_id\nX-1,2026-09-01T10:00:00+08:00,letter,other,u1,many,county,A\nX-2,2026-09-01T10:00:00+08:00,letter\n")
	if len(problems) != 2 || !strings.Contains(problems[0].String(), "line 2: persons") || !strings.Contains(problems[1].String(), "line 3: 3 fields") {
		t.Errorf("bad rows: %v", problems)
	}
	_, problems, _ = importText(t, e, "quotes.csv", "case_no,received_at,channel,category,unit,persons,level,petitioner_id\n\"X-1,2026-09-01T10:00:00+08:00,letter\n")
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "malformed CSV") {
		t.Errorf("a broken quote: %v", problems)
	}
	if _, err := intake.NewFile(strings.NewReader(""), "cases.xlsx", e.clk.Now(), e.cfg.Rules, petition.Key{}); err == nil {
		t.Error("an .xlsx file was accepted")
	}
}

// ImportLineOf is the inverse of reading a File: the demo county written as
// import lines reads back as the same cases, every event type included.
func TestImportLineOfReadsBack(t *testing.T) {
	r := petition.DefaultRules(shanghai)
	now := time.Date(2026, 10, 2, 3, 0, 0, 0, shanghai)
	want := demo.Generate(r, demo.Key, now.AddDate(-1, 0, 0), now, 7, 20)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	types := map[string]bool{}
	for _, lc := range want {
		if err := enc.Encode(intake.ImportLineOf(lc, shanghai)); err != nil {
			t.Fatal(err)
		}
		for _, e := range lc.Events {
			types[e.Type] = true
		}
	}
	if len(types) != len(petition.EventTypes) {
		t.Fatalf("the demo has event types %v, want all of %v", types, petition.EventTypes)
	}
	e := newEnvOn(t, demoStore(t))
	f, err := intake.NewFile(bytes.NewReader(buf.Bytes()), "demo.jsonl", now, r, e.cfg.PetitionerKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	if problems, n := f.Problems(); n > 0 {
		t.Fatalf("%d problems reading back: %v", n, problems[:min(5, n)])
	}
	src, stop := intake.FileCases(f, context.Background())
	defer stop()
	got, _ := storetest.Drain(t, src)
	if len(got) != len(want) {
		t.Fatalf("got %d cases, want %d", len(got), len(want))
	}
	// Write reads them earliest received first (to the second, as the file
	// gives them), in file order when received together
	slices.SortStableFunc(want, func(a, b store.LoadCase) int {
		return a.Case.ReceivedAt.Truncate(time.Second).Compare(b.Case.ReceivedAt.Truncate(time.Second))
	})
	for i, g := range got {
		w := want[i]
		// the demo's hash stands in for the identifier, and is hashed again
		w.Case.PetitionerHash = e.cfg.PetitionerKey.Hash(w.Case.PetitionerHash)
		if !sameLoadCase(g, w) {
			t.Fatalf("case %d: got %+v, want %+v", i, g, w)
		}
	}
}

// sameLoadCase compares times to the second, as they are stored.
func sameLoadCase(a, b store.LoadCase) bool {
	ac, bc := a.Case, b.Case
	if !ac.ReceivedAt.Truncate(time.Second).Equal(bc.ReceivedAt.Truncate(time.Second)) || len(a.Events) != len(b.Events) {
		return false
	}
	ac.ReceivedAt, bc.ReceivedAt = time.Time{}, time.Time{}
	if ac != bc {
		return false
	}
	for i := range a.Events {
		ae, be := a.Events[i], b.Events[i]
		if !ae.At.Truncate(time.Second).Equal(be.At.Truncate(time.Second)) {
			return false
		}
		ae.At, be.At = time.Time{}, time.Time{}
		if ae != be {
			return false
		}
	}
	return true
}

// Lines are numbered through the whole file, blank ones included, however
// it is cut into chunks for decoding.
func TestImportNumbersLinesPastTheFirstChunk(t *testing.T) {
	e := newEnv(t, "sqlite")
	text := goodJSONL + strings.Repeat("\n", 1496) + `{"case_no":"I-9", "colour":"red"}` + "\n"
	_, problems, err := importText(t, e, "long.jsonl", text)
	if err == nil || len(problems) != 1 {
		t.Fatalf("import: %v, %v", err, problems)
	}
	if want := strings.Count(goodJSONL, "\n") + 1497; problems[0].Line != want {
		t.Errorf("the bad line reported as line %d, want %d", problems[0].Line, want)
	}
}

// demoStore is a new SQLite store with the demo county's units.
func demoStore(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	if err := demo.PutReference(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// A file of many bad lines keeps the first MaxProblems by line, however
// late a problem of an early line is found (a repeat_of is resolved after
// the last line), and counts the rest.
func TestImportKeepsTheFirstProblems(t *testing.T) {
	e := newEnv(t, "sqlite")
	var b strings.Builder
	for i := range 1500 {
		fmt.Fprintf(&b, `{"case_no":"P-%d","received_at":"2026-09-01T10:00:00+08:00","channel":"letter","category":"other","unit":"u1","persons":1,"level":"county","petitioner_id":"A","repeat_of":"NONE-%d"}`+"\n", i, i)
	}
	for range 1500 {
		b.WriteString("not json\n")
	}
	f, err := intake.NewFile(strings.NewReader(b.String()), "many.jsonl", e.clk.Now(), e.cfg.Rules, e.cfg.PetitionerKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	problems, count := f.Problems()
	if count != 3000 || len(problems) != intake.MaxProblems {
		t.Fatalf("%d problems kept of %d, want %d of 3000", len(problems), count, intake.MaxProblems)
	}
	for i, p := range problems {
		if got, want := p.Line, i+1; got != want || p.Field != "repeat_of" {
			t.Fatalf("problem %d: %v, want line %d's repeat_of", i, p, want)
		}
	}
	if err := f.Write(context.Background(), e.store, nil); err == nil || !strings.Contains(err.Error(), "3000 problems; nothing written") {
		t.Errorf("Write of a bad file: %v", err)
	}
}

// The same case twice is written once; a line that changed between the
// reads stops the write.
func TestImportReadsTheFileTwice(t *testing.T) {
	e := newEnv(t, "mysql")
	first := goodJSONL[:strings.Index(goodJSONL, "\n")+1]
	text := []byte(goodJSONL + first)
	f, problems, err := importText(t, e, "twice.jsonl", string(text))
	if err != nil || len(problems) > 0 || f.Cases() != 3 || e.caseCount() != 3 {
		t.Fatalf("a case given twice: %v %v, %d cases read, %d stored", err, problems, f.Cases(), e.caseCount())
	}

	e = newEnv(t, "mysql")
	f, err = intake.NewFile(bytes.NewReader(text), "changed.jsonl", e.clk.Now(), e.cfg.Rules, e.cfg.PetitionerKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Check(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(text, []byte(`"persons":8`))
	text[at+len(`"persons":`)] = '9' // the file is edited after Check
	err = f.Write(context.Background(), e.store, nil)
	if err == nil || !strings.Contains(err.Error(), "line 3 changed since the file was checked") {
		t.Errorf("Write of a changed file: %v", err)
	}
	if n := e.caseCount(); n != 0 {
		t.Errorf("%d cases written from a changed file", n)
	}
}
