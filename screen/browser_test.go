package screen_test

import (
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"riskmon/systemtest"
)

// measure is added to the page under test only: it records, on <body>, the
// lowest edge of any element and the document's scroll size, for the DOM
// that chromium --dump-dom prints.
const measure = `<script>
var bottom = 0, right = 0;
document.querySelectorAll('*').forEach(function (e) {
  var r = e.getBoundingClientRect(); bottom = Math.max(bottom, r.bottom); right = Math.max(right, r.right);
});
document.body.setAttribute('data-bottom', Math.ceil(bottom));
document.body.setAttribute('data-right', Math.ceil(right));
document.body.setAttribute('data-scroll-height', document.documentElement.scrollHeight);
</script>`

// chromium runs Debian's Chromium headless at 1920×1080 with args, as the
// machine's closed network needs (no background connections).
func chromium(t *testing.T, args ...string) string {
	t.Helper()
	return chromiumAt(t, 1920, 1080, args...)
}

// chromiumAt is chromium in a viewport of w×h.
func chromiumAt(t *testing.T, w, h int, args ...string) string {
	t.Helper()
	bin := systemtest.Need(t, "chromium", "chromium")
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), fmt.Sprintf("--window-size=%d,%d", w, h), "--virtual-time-budget=2000"}
	out, err := exec.Command(bin, append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return string(out)
}

// underTest serves the screen at url with the measuring script added.
func underTest(t *testing.T, url string) string { return underTestWith(t, url, measure) }

// underTestWith serves the screen at url with script added.
func underTestWith(t *testing.T, url, script string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(url + "?" + r.URL.RawQuery)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.Replace(string(page), "</body>", script+"</body>", 1))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func bodyAttr(t *testing.T, dom, name string) int {
	t.Helper()
	m := regexp.MustCompile(name + `="(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no %s in the rendered page:\n%.2000s", name, dom)
	}
	v, _ := strconv.Atoi(m[1])
	return v
}

// TestScreenInChromium renders /screen in a real browser at 1920×1080, in
// both languages and stale: the text is there and nothing lies below 1080
// px or right of 1920 px, so the wall shows all of it without scrolling.
func TestScreenInChromium(t *testing.T) {
	srv, clk, col := demoScreen(t)
	url := underTest(t, srv.URL)
	check := func(name, query string, want ...string) {
		t.Helper()
		dom := chromium(t, "--dump-dom", url+"/?"+query)
		for _, w := range want {
			if !strings.Contains(dom, w) {
				t.Errorf("%s: the rendered page lacks %q", name, w)
			}
		}
		if b, r, h := bodyAttr(t, dom, "data-bottom"), bodyAttr(t, dom, "data-right"), bodyAttr(t, dom, "data-scroll-height"); b > 1080 || r > 1920 || h > 1080 {
			t.Errorf("%s: content reaches %d px down and %d px across (scroll height %d): it overflows 1920×1080", name, b, r, h)
		}
	}
	check("Chinese", "", "信访指挥中心", "敏感期", `id="received"`, "各单位超期与即将到期")
	check("English", "lang=en", "Petition command center", "SENSITIVE PERIOD", "Overdue and due soon by unit")

	shot := filepath.Join(t.TempDir(), "screen.png")
	chromium(t, "--screenshot="+shot, url+"/")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.DecodeConfig(f)
	if err != nil || img.Width != 1920 || img.Height != 1080 {
		t.Errorf("screenshot: %+v %v, want 1920×1080", img, err)
	}

	clk.t = clk.t.Add(col.Config().StalenessLimit + time.Minute)
	check("stale", "", "数据过期", "最后一次成功读取数据库")
}
