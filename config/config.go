// Package config holds riskmon's one configuration struct: defaults, then a
// YAML file, then RISKMON_* environment variables, then command-line flags,
// each layer overriding the one before, and validation with errors that name
// the key, where its value came from and what is wrong with it.
package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // "today" is the local day of the configured zone on any host

	"go.yaml.in/yaml/v2"

	"riskmon/access"

	"riskmon/calendar"
	"riskmon/petition"
)

// Config is the whole configuration of the service.
type Config struct {
	Listen          string
	DB              string
	MigrateOnStart  bool
	RefreshInterval time.Duration
	QueryTimeout    time.Duration
	StalenessLimit  time.Duration
	Timezone        string
	PetitionerKey   petition.Key
	APITokens       []string // read-write
	APIReadTokens   []string // read-only
	// Credentials are the named credentials of credentials_file; Access
	// adds the two tokens above to them.
	Credentials                 access.Set
	AuditRetention              time.Duration
	AuthFailuresPerMinute       int
	access                      access.Set
	APIMaxInFlight              int
	APIMaxInFlightPerCredential int
	APIBodyReadTimeout          time.Duration
	APIRate                     float64
	APIBurst                    int
	MaxUnits                    int
	MaxCategories               int
	MaxMatters                  int
	MaxSeries                   int
	WebConfigFile               string
	OpsListen                   string
	APIWebConfigFile            string
	APIAllowPlainHTTP           bool
	TrustedProxies              []*net.IPNet
	CalendarFile                string
	Rules                       petition.Rules
	Disputes                    petition.DisputeRules
	Matters                     petition.MatterRules
	Periods                     []Period
	SimulateEvery               time.Duration // demo simulator step

	origin map[string]string // key -> where its value came from
}

// Origin is where the first of keys that is not at its default got its value
// (the file name, RISKMON_X or --x), or "default".
func (c *Config) Origin(keys ...string) string {
	for _, k := range keys {
		if from, ok := c.origin[k]; ok && from != "default" {
			return from
		}
	}
	return "default"
}

// Source says where a value came from, for error messages.
type Source struct {
	File  string
	Env   map[string]string // as from os.Environ, only RISKMON_* is read
	Flags map[string]string // key -> value for flags that were set
}

// Error is a validation error about one key.
type Error struct {
	Key     string
	From    string // "default", the file name, RISKMON_X or --x
	Problem string
}

func (e *Error) Error() string {
	return fmt.Sprintf("config key %q (from %s): %s", e.Key, e.From, e.Problem)
}

// EnvName is the environment variable that sets key.
func EnvName(key string) string { return "RISKMON_" + strings.ToUpper(key) }

// FlagName is the command-line flag that sets key.
func FlagName(key string) string { return strings.ReplaceAll(key, "_", "-") }

type setter func(c *Config, v string) error

type key struct {
	name  string
	def   string
	set   setter
	about string
}

// KeyDoc describes one scalar key.
type KeyDoc struct {
	Name    string
	Default string
	About   string
}

// Keys lists every scalar key with its default and meaning, for
// docs/configuration.md and for `riskmon serve --help`.
func Keys() []KeyDoc {
	out := make([]KeyDoc, 0, len(keys))
	for _, k := range keys {
		out = append(out, KeyDoc{Name: k.name, Default: k.def, About: k.about})
	}
	return out
}

// setting is a key's value and where it came from.
type setting struct {
	value string
	from  string // "default", the file name, RISKMON_X or --x
}

var keys = []key{
	{"listen", ":9720", func(c *Config, v string) error { c.Listen = v; return nonEmpty(v) }, "address of the HTTP server"},
	{"db", "sqlite:riskmon.db", func(c *Config, v string) error { c.DB = v; return checkDSN(v) }, "database: sqlite:PATH or mysql:DSN (go-sql-driver syntax)"},
	{"migrate_on_start", "true", boolSetter(func(c *Config) *bool { return &c.MigrateOnStart }), "apply pending migrations when serve starts"},
	{"refresh_interval", "15s", durSetter(func(c *Config) *time.Duration { return &c.RefreshInterval }, time.Second), "how often the collector refreshes its snapshot"},
	{"query_timeout", "10s", durSetter(func(c *Config) *time.Duration { return &c.QueryTimeout }, 100*time.Millisecond), "timeout of one refresh's queries"},
	{"staleness_limit", "2m", durSetter(func(c *Config) *time.Duration { return &c.StalenessLimit }, time.Second), "age of the last good snapshot after which domain metrics are withheld"},
	{"timezone", "Asia/Shanghai", func(c *Config, v string) error {
		loc, err := time.LoadLocation(v)
		if err != nil {
			return fmt.Errorf("unknown time zone %q", v)
		}
		c.Timezone, c.Rules.Location = v, loc
		return nil
	}, "zone of calendar days and of \"today\""},
	{"petitioner_key", "", petitionerKeySetter, "secret HMAC key for petitioner identifiers (at least 16 bytes; required; better from petitioner_key_file)"},
	{"petitioner_key_file", "", petitionerKeyFileSetter, "file holding the petitioner key (one line; after a rotation, the chain, oldest first, one key a line); not readable by others"},
	{"api_token", "", tokenSetter(func(c *Config) *[]string { return &c.APITokens }), "read-write bearer tokens of the intake API, comma-separated (at least 16 bytes each)"},
	{"api_token_file", "", tokenFileSetter("api_token", func(c *Config) *[]string { return &c.APITokens }), "file holding the read-write tokens, one a line; not readable by others"},
	{"api_read_token", "", tokenSetter(func(c *Config) *[]string { return &c.APIReadTokens }), "read-only bearer tokens of the intake API, comma-separated"},
	{"api_read_token_file", "", tokenFileSetter("api_read_token", func(c *Config) *[]string { return &c.APIReadTokens }), "file holding the read-only tokens, one a line; not readable by others"},
	{"auth_failures_per_minute", "20", intSetter(func(c *Config) *int { return &c.AuthFailuresPerMinute }, 1, 100000), "failed authentications one remote address may make a minute; past it, its requests get 429 with Retry-After"},
	{"audit_retention", "26280h", durSetter(func(c *Config) *time.Duration { return &c.AuditRetention }, 24*time.Hour), "how long the audit trail of accepted writes is kept (3 years by default)"},
	{"credentials_file", "", credentialsFileSetter, "file of named credentials (riskmon token new writes their lines): each a token hash, a role (bureau, reporter, reader) and its units; not readable by others, reloaded on SIGHUP"},
	{"api_max_in_flight", "64", intSetter(func(c *Config) *int { return &c.APIMaxInFlight }, 1, 100000), "API requests served at once; more get 503 with Retry-After at once (read at start)"},
	{"api_max_in_flight_per_credential", "32", intSetter(func(c *Config) *int { return &c.APIMaxInFlightPerCredential }, 1, 100000), "API requests one credential may have in flight; more get 503 with Retry-After (read at start)"},
	{"api_body_read_timeout", "10s", durSetter(func(c *Config) *time.Duration { return &c.APIBodyReadTimeout }, 100*time.Millisecond), "time to read a write's body: a slower one is cut off and its slot freed (read at start)"},
	{"api_rate", "50", floatSetter(func(c *Config) *float64 { return &c.APIRate }, 0.01, 100000), "requests a second a reporter or reader credential may make, on average; more get 429 with Retry-After (the bureau's case system is bounded by api_max_in_flight_per_credential alone)"},
	{"api_burst", "100", intSetter(func(c *Config) *int { return &c.APIBurst }, 1, 100000), "requests a reporter or reader credential may make at once before api_rate applies"},
	{"max_units", "500", intSetter(func(c *Config) *int { return &c.MaxUnits }, 1, 100000), "units the API may create in all; more get 422 (each unit multiplies the exported series)"},
	{"max_categories", "200", intSetter(func(c *Config) *int { return &c.MaxCategories }, 1, 100000), "categories the API may create in all; more get 422"},
	{"max_series", "500000", intSetter(func(c *Config) *int { return &c.MaxSeries }, 1000, 100000000), "series /metrics may export: a new unit or category that would take it past is refused (422)"},
	{"max_matters", "20000", intSetter(func(c *Config) *int { return &c.MaxMatters }, 1, 1000000), "matters the API may register in all; more get 422"},
	{"web_config_file", "", func(c *Config, v string) error { c.WebConfigFile = v; return nil }, "exporter-toolkit web config of the operations endpoints (and of the API too without ops_listen): TLS and basic auth"},
	{"ops_listen", "", func(c *Config, v string) error { c.OpsListen = v; return nil }, "address of a listener of its own for /metrics, /healthz and /readyz (with web_config_file); empty: they share listen with the API"},
	{"api_web_config_file", "", func(c *Config, v string) error { c.APIWebConfigFile = v; return nil }, "exporter-toolkit web config of the API's listener when ops_listen is set: TLS only (the API authenticates with bearer tokens)"},
	{"api_allow_plain_http", "false", boolSetter(func(c *Config) *bool { return &c.APIAllowPlainHTTP }), "serve the API's tokens over plain HTTP on an address other hosts reach (refused otherwise)"},
	{"trusted_proxies", "", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			_, n, err := net.ParseCIDR(f)
			if err != nil {
				return fmt.Errorf("%q is not a network such as 10.0.0.0/8", f)
			}
			c.TrustedProxies = append(c.TrustedProxies, n)
		}
		return nil
	}, "networks of the reverse proxies whose X-Forwarded-For names the client in the access log, comma-separated CIDRs; none by default: the peer address is logged"},
	{"routing_days", "15", intSetter(func(c *Config) *int { return &c.Rules.RoutingDays }, 1, 365), "days for the petition bureau to pass a case on (转送/交办)"},
	{"acceptance_days", "15", intSetter(func(c *Config) *int { return &c.Rules.AcceptanceDays }, 1, 365), "days to decide on acceptance"},
	{"handling_days", "60", intSetter(func(c *Config) *int { return &c.Rules.HandlingDays }, 1, 365), "days to reply to a claim after acceptance (2022 Reg. art. 34)"},
	{"suggestion_reply_days", "0", intSetter(func(c *Config) *int { return &c.Rules.SuggestionReplyDays }, 0, 365), "days to answer a suggestion after acceptance; 0: no limit, as the Regulations set none (art. 29)"},
	{"max_extension_days", "30", intSetter(func(c *Config) *int { return &c.Rules.MaxExtensionDays }, 1, 365), "longest single extension of handling"},
	{"review_days", "30", intSetter(func(c *Config) *int { return &c.Rules.ReviewDays }, 1, 365), "days to decide a review"},
	{"re_review_days", "30", intSetter(func(c *Config) *int { return &c.Rules.ReReviewDays }, 1, 365), "days to decide a re-review"},
	{"request_window_days", "30", intSetter(func(c *Config) *int { return &c.Rules.RequestWindowDays }, 1, 365), "days after a decision in which a review may be requested"},
	{"due_soon_horizon", "72h", durSetter(func(c *Config) *time.Duration { return &c.Rules.DueSoon }, time.Minute), "a deadline this close is due soon"},
	{"collective_threshold", "5", intSetter(func(c *Config) *int { return &c.Rules.CollectiveThreshold }, 2, 10000), "persons at or above which a petition is collective"},
	{"repeat_lookback_days", "365", intSetter(func(c *Config) *int { return &c.Rules.RepeatLookbackDays }, 1, 3650), "look-back of the derived repeat rule"},
	{"earliest_received", "2000-01-01", func(c *Config, v string) error {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return fmt.Errorf("%q is not a date such as 2000-01-01", v)
		}
		c.Rules.Earliest = calendar.Date(t.Date())
		return nil
	}, "first day (local) on which a case may be received or a dispute found; earlier times are refused (a county importing an older archive sets it earlier)"},
	{"backfill_horizon", "24h", durSetter(func(c *Config) *time.Duration { return &c.Rules.BackfillHorizon }, time.Minute), "a case registered longer than this after its receipt is history: it is counted, but pages nobody"},
	{"major_persons", "50", intSetter(func(c *Config) *int { return &c.Rules.MajorPersons }, 2, petition.MaxPersons), "persons at or above which a collective petition is a major matter, reported upward at once (2022 Reg. art. 25)"},
	{"report_up_within", "1h", durSetter(func(c *Config) *time.Duration { return &c.Rules.ReportUpWithin }, time.Second), "a major matter not reported to the county leadership this long after it became one is late; a sensitive period may set a shorter report_up_within of its own"},
	{"calendar_file", "", func(c *Config, v string) error {
		cal := calendar.Shipped() // read once per process: most counties add no file
		if v != "" {
			var err error
			if cal, err = calendar.Load(v); err != nil {
				return err
			}
		}
		c.CalendarFile, c.Rules.Calendar = v, cal
		return nil
	}, "operator's holiday file: years and local days off added to the shipped State Council notices (docs/calendar.md)"},
	{"deadline_roll_forward", string(calendar.RollRestDays), func(c *Config, v string) error {
		if !slices.Contains(calendar.Rolls, calendar.Roll(v)) {
			return fmt.Errorf("%q is not one of %s", v, joinVocab(calendar.Rolls))
		}
		c.Rules.Roll = calendar.Roll(v)
		return nil
	}, "a period whose last day is a rest day ends on the next working day (rest_days), only past holidays (holidays), or not (none)"},
	{"routing_day_count", "calendar", dayCountSetter(petition.StageRouting), "how the routing period counts days: calendar or working"},
	{"acceptance_day_count", "calendar", dayCountSetter(petition.StageAcceptance), "how the acceptance period counts days: calendar or working"},
	{"handling_day_count", "calendar", dayCountSetter(petition.StageHandling), "how the handling period (and its extension) counts days: calendar or working"},
	{"review_day_count", "calendar", dayCountSetter(petition.StageReview), "how the review period counts days: calendar or working"},
	{"re_review_day_count", "calendar", dayCountSetter(petition.StageReReview), "how the re-review period counts days: calendar or working"},
	{"leader_roles", strings.Join(petition.DefaultLeaderRoles, ","),
		rolesSetter("leader_roles", func(c *Config) *[]string { return &c.Disputes.LeaderRoles }, "at least one role is needed"),
		"roles a dispute's responsible leader is recorded by, comma-separated codes (never names)"},
	{"county_leader_roles", strings.Join(petition.DefaultCountyLeaderRoles, ","),
		rolesSetter("county_leader_roles", func(c *Config) *[]string { return &c.Disputes.CountyLeaderRoles },
			"at least one role is needed: a high-risk dispute needs a county-level leader"),
		"the leader_roles at county level, comma-separated: a high-risk dispute led by another role misses its leader (县级领导包案)"},
	{"inspection_interval_days", "7", intSetter(func(c *Config) *int { return &c.Disputes.InspectionDays }, 1, 365), "an open dispute without an inspection in this many days misses supervision (one of the four haves)"},
	{"inspection_interval_days_sensitive", "1", intSetter(func(c *Config) *int { return &c.Disputes.InspectionDaysSensitive }, 1, 365), "the same in a sensitive period"},
	{"report_cutoff", "17:00", func(c *Config, v string) error {
		t, err := time.Parse("15:04", v)
		if err != nil {
			return fmt.Errorf("%q is not a local time such as 17:00", v)
		}
		c.Disputes.ReportCutoff = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
		return nil
	}, "local time by which every unit sends its daily report in a sensitive period (零报告 included)"},
	{"rising_petitioners", "3", intSetter(func(c *Config) *int { return &c.Matters.RisingPetitioners }, 2, 10000), "distinct petitioners raising one matter within 7 days at which it is rising (a collective petition forming)"},
	{"rising_petitioners_sensitive", "2", intSetter(func(c *Config) *int { return &c.Matters.RisingPetitionersSensitive }, 2, 10000), "the same in a sensitive period"},
	{"rising_matters_shown", "20", intSetter(func(c *Config) *int { return &c.Matters.RisingShown }, 1, 1000), "rising matters exported by name, the most petitioners first (the count covers them all)"},
	{"backlog_repeats", "3", intSetter(func(c *Config) *int { return &c.Matters.BacklogRepeats }, 2, 1000), "cases of one matter within 12 months that make it long-unresolved (积案)"},
	{"backlog_days", "180", intSetter(func(c *Config) *int { return &c.Matters.BacklogDays }, 30, 3650), "days a case of a matter may be open before the matter is long-unresolved"},
	{"screening_lead_days", "7", intSetter(func(c *Config) *int { return &c.Disputes.ScreeningLeadDays }, 1, 60), "days before a sensitive period from which a unit that has not screened the month before it (一月一排查) is missing"},
	{"simulate_every", "3s", durSetter(func(c *Config) *time.Duration { return &c.SimulateEvery }, 100*time.Millisecond), "demo only: one simulated step this often"},
}

// Load builds the configuration from defaults, src.File, src.Env and src.Flags.
// It returns every problem found, joined, not only the first.
func Load(src Source) (*Config, error) {
	c := &Config{}
	var errs []error
	apply := func(k key, v, from string) {
		if err := k.set(c, strings.TrimSpace(v)); err != nil {
			errs = append(errs, &Error{Key: k.name, From: from, Problem: err.Error()})
		}
	}
	values := map[string]setting{}
	for _, k := range keys {
		values[k.name] = setting{k.def, "default"}
	}
	var specs []PeriodSpec
	if src.File != "" {
		fileVals, ps, err := readFile(src.File)
		if err != nil {
			return nil, err
		}
		for k, v := range fileVals {
			values[k] = setting{v, src.File}
		}
		specs = ps
	}
	for _, k := range keys {
		if v, ok := src.Env[EnvName(k.name)]; ok {
			values[k.name] = setting{v, EnvName(k.name)}
		}
	}
	for name, v := range src.Flags {
		if _, ok := values[name]; !ok {
			return nil, fmt.Errorf("config: unknown flag key %q", name)
		}
		values[name] = setting{v, "--" + FlagName(name)}
	}
	c.origin = map[string]string{}
	for _, k := range keys {
		apply(k, values[k.name].value, values[k.name].from)
		c.origin[k.name] = values[k.name].from
	}
	if c.StalenessLimit != 0 && c.StalenessLimit <= c.RefreshInterval {
		errs = append(errs, &Error{Key: "staleness_limit", From: values["staleness_limit"].from,
			Problem: fmt.Sprintf("%s must be longer than refresh_interval %s, or every snapshot is stale", c.StalenessLimit, c.RefreshInterval)})
	}
	for _, name := range unknownEnv(src.Env) {
		errs = append(errs, &Error{Key: name, From: name, Problem: "unknown RISKMON_ variable"})
	}
	if c.Rules.Location != nil {
		periods, err := ResolvePeriods(c.Rules.Location, src.File, specs)
		if err != nil {
			errs = append(errs, err)
		}
		c.Periods = periods
		c.Rules.ReportUpLimits = reportUpLimits(periods)
	}
	if err := c.resolveAccess(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// FromEnviron turns os.Environ() into the map Load reads.
func FromEnviron() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "RISKMON_") {
			env[k] = v
		}
	}
	return env
}

func unknownEnv(env map[string]string) []string {
	known := map[string]bool{}
	for _, k := range keys {
		known[EnvName(k.name)] = true
	}
	var out []string
	for name := range env {
		if strings.HasPrefix(name, "RISKMON_") && !known[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func readFile(path string) (map[string]string, []PeriodSpec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, nil, fmt.Errorf("config: parse %s: %w", path, err)
	}
	known := map[string]bool{}
	for _, k := range keys {
		known[k.name] = true
	}
	vals := map[string]string{}
	var periods []PeriodSpec
	var errs []error
	for k, v := range doc {
		switch {
		case k == "sensitive_periods":
			ps, err := decodePeriods(v)
			if err != nil {
				errs = append(errs, &Error{Key: k, From: path, Problem: err.Error()})
			}
			periods = ps
		case !known[k]:
			errs = append(errs, &Error{Key: k, From: path, Problem: "unknown key"})
		default:
			switch v := v.(type) {
			case map[any]any, []any:
				errs = append(errs, &Error{Key: k, From: path, Problem: "must be a single value"})
			case nil:
				vals[k] = ""
			case string:
				vals[k] = v
			default:
				if secretKeys[k] {
					// YAML read it as a number or a boolean: fmt.Sprint would store
					// 1.2345e+21 for a long digit string, a key nobody chose.
					errs = append(errs, &Error{Key: k, From: path, Problem: fmt.Sprintf("a secret must be a quoted string; YAML read this one as a %T, which would change it", v)})
					continue
				}
				vals[k] = fmt.Sprint(v)
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return vals, periods, nil
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func checkDSN(v string) error {
	switch {
	case strings.HasPrefix(v, "sqlite:") && len(v) > len("sqlite:"):
	case strings.HasPrefix(v, "mysql:") && len(v) > len("mysql:"):
	default:
		return fmt.Errorf("%q must be sqlite:PATH or mysql:DSN", v)
	}
	return nil
}

func boolSetter(field func(*Config) *bool) setter {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		*field(c) = b
		return nil
	}
}

func durSetter(field func(*Config) *time.Duration, min time.Duration) setter {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 15s or 2m", v)
		}
		if d < min {
			return fmt.Errorf("%s is shorter than the minimum %s", d, min)
		}
		*field(c) = d
		return nil
	}
}

func intSetter(field func(*Config) *int, min, max int) setter {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		if n < min || n > max {
			return fmt.Errorf("%d is outside %d..%d", n, min, max)
		}
		*field(c) = n
		return nil
	}
}

func floatSetter(field func(*Config) *float64, min, max float64) setter {
	return func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) {
			return fmt.Errorf("%q is not a number", v)
		}
		if f < min || f > max {
			return fmt.Errorf("%g is outside %g..%g", f, min, max)
		}
		*field(c) = f
		return nil
	}
}

// rolesSetter reads a comma-separated list of leader roles into field:
// codes, never names, at least one (empty is the problem given).
func rolesSetter(key string, field func(*Config) *[]string, empty string) setter {
	return func(c *Config, v string) error {
		roles := field(c)
		*roles = nil
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			if ps := petition.CodeProblem(key, f); len(ps) > 0 {
				return errors.New(ps[0].Problem + ": a role, never a name")
			}
			*roles = append(*roles, f)
		}
		if len(*roles) == 0 {
			return errors.New(empty)
		}
		return nil
	}
}

func dayCountSetter(stage string) setter {
	return func(c *Config, v string) error {
		if !slices.Contains(calendar.Counts, calendar.Count(v)) {
			return fmt.Errorf("%q is not one of %s", v, joinVocab(calendar.Counts))
		}
		if c.Rules.DayCount == nil {
			c.Rules.DayCount = map[string]calendar.Count{}
		}
		c.Rules.DayCount[stage] = calendar.Count(v)
		return nil
	}
}

func joinVocab[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func tokenSetter(field func(*Config) *[]string) setter {
	return func(c *Config, v string) error {
		*field(c) = nil
		for _, tok := range strings.Split(v, ",") {
			tok = strings.TrimSpace(tok)
			if tok == "" {
				continue
			}
			// never echo the token itself into an error message
			if len(tok) < 16 {
				return fmt.Errorf("a token of %d bytes is too short to be secret (at least 16)", len(tok))
			}
			*field(c) = append(*field(c), tok)
		}
		return nil
	}
}
