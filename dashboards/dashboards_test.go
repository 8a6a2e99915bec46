package dashboards_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"

	"riskmon/collector"
	"riskmon/dashboards"
)

// TestCommittedJSONIsGenerated: the JSON under json/ is exactly what the
// generator writes, so nobody edits it by hand (go run ./dashboards/generate).
func TestCommittedJSONIsGenerated(t *testing.T) {
	files, err := dashboards.Render()
	if err != nil {
		t.Fatal(err)
	}
	committed, err := filepath.Glob("json/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(committed) != len(files) {
		t.Errorf("json/ holds %d files, the generator writes %d", len(committed), len(files))
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("json", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("json/%s differs from the generator's output: run go run ./dashboards/generate (%v)", name, err)
		}
	}
	again, err := dashboards.Render()
	if err != nil {
		t.Fatal(err)
	}
	for name := range files {
		if !bytes.Equal(files[name], again[name]) {
			t.Errorf("%s: two renders differ", name)
		}
	}
}

type panel struct {
	GridPos struct {
		X, Y, W, H int
	} `json:"gridPos"`
	Type        string `json:"type"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Datasource  struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	} `json:"datasource"`
	FieldConfig struct {
		Defaults struct {
			Unit string `json:"unit"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Targets []struct {
		Expr       string `json:"expr"`
		Datasource struct {
			UID string `json:"uid"`
		} `json:"datasource"`
	} `json:"targets"`
}

type board struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Editable   *bool   `json:"editable"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name  string          `json:"name"`
			Type  string          `json:"type"`
			Query json.RawMessage `json:"query"`
			Regex string          `json:"regex"`
			Datas struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Current struct {
				Value string `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
}

func loadBoards(t *testing.T) map[string]board {
	t.Helper()
	out := map[string]board{}
	files, err := filepath.Glob("json/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in json/ (%v)", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var b board
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = b
	}
	if len(out) != 8 {
		t.Fatalf("%d dashboards, want 4 in 2 languages", len(out))
	}
	return out
}

var (
	rateRe      = regexp.MustCompile(`\b(rate|irate)\(([^()]|\([^()]*\))*\[([^\]]+)\]`)
	identRe     = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	quotedRe    = regexp.MustCompile(`"[^"]*"`)
	hanRe       = regexp.MustCompile(`\p{Han}`)
	inRateRe    = regexp.MustCompile(`(rate|irate|increase)\(\s*$`)
	recordNames = regexp.MustCompile(`(?m)^\s*- record: (\S+)`)
)

// TestConventions applies what grafana's dashboard-linter checks.
func TestConventions(t *testing.T) {
	for file, b := range loadBoards(t) {
		if file != b.UID+".json" || !strings.HasPrefix(b.UID, "riskmon-") {
			t.Errorf("%s: uid %q is not stable (riskmon-..., the file name)", file, b.UID)
		}
		if b.Editable == nil || *b.Editable {
			t.Errorf("%s: editable must be false", file)
		}
		english := strings.HasSuffix(b.UID, "-en")
		if hanRe.MatchString(b.Title) == english {
			t.Errorf("%s: title %q is in the wrong language", file, b.Title)
		}
		ds := false
		for _, v := range b.Templating.List {
			if v.Name == "datasource" && v.Type == "datasource" && v.Current.Value == dashboards.DatasourceUID {
				ds = true
			}
		}
		if !ds {
			t.Errorf("%s: no datasource variable defaulting to %s", file, dashboards.DatasourceUID)
		}
		if strings.HasPrefix(b.UID, "riskmon-command-center") {
			// 1080 px in kiosk mode hold 26 grid rows (30 px each with 8 px gaps)
			for _, p := range b.Panels {
				if p.GridPos.Y+p.GridPos.H > 26 || p.GridPos.X+p.GridPos.W > 24 {
					t.Errorf("%s: %s at %+v leaves the 1920x1080 screen", file, p.Title, p.GridPos)
				}
			}
		}
		for _, p := range b.Panels {
			where := file + ": " + p.Title
			if p.Title == "" || p.Description == "" || p.FieldConfig.Defaults.Unit == "" {
				t.Errorf("%s: a panel needs a title, a description and a unit", where)
			}
			if p.Datasource.UID != "${datasource}" {
				t.Errorf("%s: panel data source %q is not ${datasource}", where, p.Datasource.UID)
			}
			if hanRe.MatchString(p.Title+p.Description) == english {
				t.Errorf("%s: text in the wrong language", where)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no query", where)
			}
			for _, tg := range p.Targets {
				if tg.Datasource.UID != "${datasource}" {
					t.Errorf("%s: query data source %q is not ${datasource}", where, tg.Datasource.UID)
				}
				checkCounters(t, where, tg.Expr)
			}
		}
	}
}

// checkCounters: a counter appears only inside rate, irate or increase, and
// a rate uses $__rate_interval.
func checkCounters(t *testing.T, where, expr string) {
	for _, loc := range regexp.MustCompile(`[a-z_]+_total\b`).FindAllStringIndex(expr, -1) {
		if !inRateRe.MatchString(expr[:loc[0]]) {
			t.Errorf("%s: counter %s outside rate/irate/increase in %s", where, expr[loc[0]:loc[1]], expr)
		}
	}
	for _, m := range rateRe.FindAllStringSubmatch(expr, -1) {
		if m[3] != "$__rate_interval" {
			t.Errorf("%s: %s over [%s], want [$__rate_interval]", where, m[1], m[3])
		}
	}
}

// TestMetricNames: every metric a query names is one riskmon exports, a rule
// records, or a standard one of Prometheus and client_golang.
func TestMetricNames(t *testing.T) {
	known := map[string]bool{"ALERTS": true, "up": true, "scrape_duration_seconds": true,
		"process_resident_memory_bytes": true, "go_memstats_heap_inuse_bytes": true,
		"go_sql_open_connections": true, "go_sql_in_use_connections": true, "go_sql_idle_connections": true}
	for _, n := range collector.Names() {
		known[n] = true
	}
	rules, err := os.ReadFile("../alerts/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range recordNames.FindAllStringSubmatch(string(rules), -1) {
		known[m[1]] = true
	}
	functions := map[string]bool{}
	for _, f := range strings.Fields(`sum max min count sort_desc by on group_left label_replace vector time rate irate increase bool or and unless`) {
		functions[f] = true
	}
	for file, b := range loadBoards(t) {
		for _, p := range b.Panels {
			for _, tg := range p.Targets {
				expr := quotedRe.ReplaceAllString(tg.Expr, `""`)
				expr = regexp.MustCompile(`\[[^\]]*\]|\([a-z_, ]*\)`).ReplaceAllStringFunc(expr, func(s string) string {
					if strings.HasPrefix(s, "[") {
						return ""
					}
					return s
				})
				for _, id := range identRe.FindAllString(expr, -1) {
					if functions[id] || !strings.ContainsAny(id, "_:") && id != "ALERTS" && id != "up" {
						continue
					}
					if isLabel(id) {
						continue
					}
					if !known[id] {
						t.Errorf("%s: %s: %s is not a known metric", file, p.Title, id)
					}
				}
			}
		}
	}
}

// isLabel: label names the queries group or join by.
// isLabel says whether id is a label of a riskmon metric or one of the few
// other names with an underscore a query may hold.
func isLabel(id string) bool {
	switch id {
	case "group_left", "db_name", "__rate_interval":
		return true
	}
	for _, m := range collector.Metrics() {
		if slices.Contains(m.Labels, id) {
			return true
		}
	}
	return false
}

// TestProvisioning: valid provisioning YAML that points at the dashboards and
// names the data source uid they default to.
func TestProvisioning(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, UID, Type, URL string
		} `yaml:"datasources"`
	}
	raw, err := os.ReadFile("provisioning/datasources/riskmon.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(raw, &struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name     string         `yaml:"name"`
			UID      string         `yaml:"uid"`
			Type     string         `yaml:"type"`
			Access   string         `yaml:"access"`
			URL      string         `yaml:"url"`
			Default  bool           `yaml:"isDefault"`
			JSONData map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}{}); err != nil {
		t.Fatalf("datasources: %v", err)
	}
	yaml.Unmarshal(raw, &ds)
	if ds.APIVersion != 1 || len(ds.Datasources) != 1 || ds.Datasources[0].UID != dashboards.DatasourceUID || ds.Datasources[0].Type != "prometheus" {
		t.Errorf("datasource provisioning: %+v", ds)
	}
	var dp struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name                  string `yaml:"name"`
			OrgID                 int    `yaml:"orgId"`
			Folder                string `yaml:"folder"`
			Type                  string `yaml:"type"`
			DisableDeletion       bool   `yaml:"disableDeletion"`
			AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
			UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
			Options               struct {
				Path                      string `yaml:"path"`
				FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	raw, err = os.ReadFile("provisioning/dashboards/riskmon.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(raw, &dp); err != nil {
		t.Fatalf("dashboard provisioning: %v", err)
	}
	if dp.APIVersion != 1 || len(dp.Providers) != 1 || dp.Providers[0].Type != "file" || dp.Providers[0].Options.Path == "" || dp.Providers[0].AllowUIUpdates {
		t.Errorf("dashboard provisioning: %+v", dp)
	}
}

var (
	selectorRe = regexp.MustCompile(`\b(petition_[a-z0-9_]+)\{([^}]*)\}`)
	matcherRe  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)`)
	groupingRe = regexp.MustCompile(`\b(by|on|group_left|group_right|without)\s*\(([^()]*)\)`)
)

// TestLabelNames: every label a query selects on names a label of its
// metric, and every label it groups or joins on is one of a metric the query
// reads (queries of recorded series aside, whose labels the rules make).
func TestLabelNames(t *testing.T) {
	labels := map[string][]string{}
	for _, m := range collector.Metrics() {
		labels[m.Name] = m.Labels
	}
	checked := 0
	for file, b := range loadBoards(t) {
		for _, p := range b.Panels {
			for _, tg := range p.Targets {
				// the target labels Prometheus adds to every series, and the
				// county a county's Prometheus adds as an external label
				read := map[string]bool{"__name__": true, "job": true, "instance": true, "county": true}
				for _, m := range selectorRe.FindAllStringSubmatch(tg.Expr, -1) {
					ls, ok := labels[m[1]]
					if !ok {
						continue // TestMetricNames reports it
					}
					for _, l := range ls {
						read[l] = true
					}
					for _, mm := range matcherRe.FindAllStringSubmatch(quotedRe.ReplaceAllString(m[2], `""`), -1) {
						checked++
						if !slices.Contains(ls, mm[1]) && !read[mm[1]] {
							t.Errorf("%s: %s: %s has no label %s (it has %v)", file, p.Title, m[1], mm[1], ls)
						}
					}
				}
				for _, id := range identRe.FindAllString(quotedRe.ReplaceAllString(tg.Expr, `""`), -1) {
					for _, l := range labels[id] {
						read[l] = true
					}
				}
				if strings.Contains(quotedRe.ReplaceAllString(tg.Expr, `""`), ":") {
					continue // a recorded series: its labels are the rules'
				}
				for _, g := range groupingRe.FindAllStringSubmatch(tg.Expr, -1) {
					for _, l := range strings.Split(g[2], ",") {
						if l = strings.TrimSpace(l); l == "" {
							continue
						}
						checked++
						if !read[l] {
							t.Errorf("%s: %s: %s (%s) names no label of the metrics it reads", file, p.Title, l, g[1])
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d label names checked: the queries' shape changed?", checked)
	}
}

// No view ranks counties or units by how many people petitioned: a ranking
// (sort_desc, topk, bottomk) may order only what a unit answers for. Volumes
// of petitions, collective, skip-level and repeat ones included, are shown
// as numbers, never in rank order.
func TestNoRankingByPetitionVolume(t *testing.T) {
	ranking := regexp.MustCompile(`\b(sort_desc|sort|topk|bottomk)\s*\(`)
	volume := regexp.MustCompile(`received|collective|skip_level|repeat|persons`)
	for file, b := range loadBoards(t) {
		for _, p := range b.Panels {
			for _, tg := range p.Targets {
				if ranking.MatchString(tg.Expr) && volume.MatchString(tg.Expr) {
					t.Errorf("%s: panel %q ranks a petition volume: %s", file, p.Title, tg.Expr)
				}
			}
		}
	}
}
