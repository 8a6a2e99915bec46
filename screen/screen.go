package screen

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"riskmon/collector"
)

//go:embed screen.html
var page string

var tmpl = template.Must(template.New("screen").Funcs(template.FuncMap{
	"n": func(v float64) string { return fmt.Sprintf("%.0f", v) },
}).Parse(page))

// Handler serves /screen from the collector's latest snapshot, Chinese by
// default and English with ?lang=en.
type Handler struct {
	Collector *collector.Collector
	Now       func() time.Time
	views     *views
}

// NewHandler returns the screen of col at the clock now, and has col's
// refreshes summarise what the screen reads.
func NewHandler(col *collector.Collector, now func() time.Time) Handler {
	col.Summarize(summary)
	return Handler{Collector: col, Now: now, views: &views{}}
}

// refreshEvery is how often the page reloads itself: the collector
// refreshes every 15 s by default.
const refreshEvery = 30

type data struct {
	View
	Stale      bool // no snapshot, or one past the staleness limit: no View
	T          texts
	Lang       string
	Refresh    int
	Now, AsOf  string
	HasHistory bool // a snapshot exists, stale or not
}

func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t, lang := zh, "zh-CN"
	if r.URL.Query().Get("lang") == "en" {
		t, lang = en, "en"
	}
	cfg := h.Collector.Config()
	loc := cfg.Rules.Location
	d := data{T: t, Lang: lang, Refresh: refreshEvery, Now: h.Now().In(loc).Format("2006-01-02 15:04:05")}
	snap, fresh := h.Collector.Latest()
	d.Stale = !fresh
	if snap != nil {
		d.HasHistory = true
		d.AsOf = snap.TakenAt.In(loc).Format("2006-01-02 15:04:05")
	}
	if fresh {
		v, err := h.views.of(snap)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		d.View = v
	}
	d.DueSoonHours = cfg.Rules.DueSoon.Hours()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", policy)
	w.Write(b.Bytes())
}

// texts are the page's words in one language.
type texts struct {
	Title, Sensitive, Normal, Received, Collective, SkipLevel, Overdue, DueSoon, HighRisk, DisputesOverdue,
	Unit, ByUnit, None, More, NotReported, Stale, StaleSince, NoData, Updated, Fallback string
	Colon, ListSep string
	// Matters: the rising matters' line; Petitioners: "petitioners: %s";
	// MatterHighRisk: the mark of one with an open high-risk dispute;
	// MoreMatters: "and %d more"
	Matters, Petitioners, MatterHighRisk, MoreMatters string
}

var zh = texts{
	Title: "信访指挥中心", Sensitive: "敏感期", Normal: "平常时期", Received: "今日来信来访", Collective: "今日集体访",
	SkipLevel: "今日越级访", Overdue: "超期未办结", DueSoon: "%s小时内到期", HighRisk: "高风险矛盾纠纷", DisputesOverdue: "纠纷超化解时限",
	Unit: "责任单位", ByUnit: "各单位超期与即将到期", None: "无超期或即将到期的案件", More: "另有 %d 个单位", NotReported: "截止时间后未报日报",
	Stale: "数据过期", StaleSince: "最后一次成功读取数据库：", NoData: "监测服务尚未读取到数据",
	Updated: "数据时间", Fallback: "备用屏：Prometheus 或 Grafana 不可用时由监测服务直接显示", Colon: "：", ListSep: "、",
	Matters: "上升事项", Petitioners: "%s人", MatterHighRisk: "有高风险纠纷", MoreMatters: "（另有 %d 项）",
}

var en = texts{
	Title: "Petition command center", Sensitive: "SENSITIVE PERIOD", Normal: "Normal period", Received: "Petitions today",
	Collective: "Collective", SkipLevel: "Skip-level", Overdue: "Overdue", DueSoon: "Due within %s h", HighRisk: "High-risk disputes",
	DisputesOverdue: "Disputes late", Unit: "Unit", ByUnit: "Overdue and due soon by unit", None: "No case overdue or due soon",
	More: "and %d more units", NotReported: "No daily report after the cut-off", Stale: "DATA STALE",
	StaleSince: "Last successful read of the database: ", NoData: "riskmon has not read its database yet",
	Updated: "Data as of", Fallback: "Fallback screen, served by riskmon itself while Prometheus or Grafana is down", Colon: ": ", ListSep: ", ",
	Matters: "Matters rising", Petitioners: "petitioners: %s", MatterHighRisk: "high-risk dispute open",
	MoreMatters: " (and %d more)",
}
