package intake_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"riskmon/config"
	"riskmon/intake"
	"riskmon/store/storetest"
)

// fuzzServer is the API over SQLite with one case, E-1, to add events to.
func fuzzServer(f *testing.F) *echo.Echo {
	s := storetest.Open(f, "sqlite")
	storetest.PutTwoUnits(f, s)
	cfg, err := config.Load(config.Source{Env: map[string]string{"RISKMON_API_TOKEN": rwToken, "RISKMON_PETITIONER_KEY": "fuzz-key-0123456789abcdef"}})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 10, 1, 19, 0, 0, 0, time.UTC)
	e := echo.New()
	api := &intake.API{Store: s, Config: func() *config.Config { return cfg }, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	api.Register(e)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/cases", bytes.NewBufferString(
		`{"case_no":"E-1","received_at":"2026-10-01T10:00:00+08:00","channel":"visit","category":"other","unit":"u1","persons":1,"level":"county","petitioner_id":"x"}`))
	req.Header.Set("Authorization", "Bearer "+rwToken)
	e.ServeHTTP(rec, req)
	if rec.Code != 201 {
		f.Fatalf("seed case: %d %s", rec.Code, rec.Body)
	}
	return e
}

func fuzzPost(t *testing.T, e *echo.Echo, path string, body []byte) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+rwToken)
	e.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("POST %s %q: %d %s", path, body, rec.Code, rec.Body)
	}
}

// FuzzCreateCase: no body makes POST /api/v1/cases answer 5xx or panic.
func FuzzCreateCase(f *testing.F) {
	e := fuzzServer(f)
	for _, seed := range []string{
		`{"case_no":"F-1","received_at":"2026-10-01T10:00:00+08:00","channel":"visit","category":"other","unit":"u1","persons":1,"level":"county","petitioner_id":"p"}`,
		`{"case_no":"F-2","received_at":"2026-10-01T10:00:00Z","channel":"letter","category":"other","unit":"u1","persons":6,"level":"national","petitioner_id":"p","repeat_of":"E-1","supervised":true}`,
		`{"case_no":"F-3","persons":-1}`, `{"persons":1e400}`, `{"received_at":"9999-12-31T23:59:59+14:00"}`, `null`, `[]`, `{"a":1}`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzPost(t, e, "/api/v1/cases", body) })
}

// FuzzAddEvent: no body makes POST /api/v1/cases/E-1/events answer 5xx or panic.
func FuzzAddEvent(f *testing.F) {
	e := fuzzServer(f)
	for _, seed := range []string{
		`{"type":"accepted","at":"2026-10-01T12:00:00+08:00"}`,
		`{"type":"extended","at":"2026-10-01T13:00:00+08:00","days":30}`,
		`{"type":"evaluated","at":"2026-10-01T13:00:00+08:00","result":"satisfied"}`,
		`{"type":"reassigned","at":"2026-10-01T13:00:00+08:00","unit":"u1"}`,
		`{"type":"extended","days":-9223372036854775808}`, `{"at":"0000-01-01T00:00:00Z"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) { fuzzPost(t, e, "/api/v1/cases/E-1/events", body) })
}
