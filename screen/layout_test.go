package screen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"riskmon/systemtest"
)

// layout says what is wrong with the page's layout in the viewport it got:
// an element reaching past the viewport, or two blocks of the page (the
// header, each tile, each rising matter, the reports line, the table's
// heading and each row, the stale notice, the footer) overlapping.
const layout = `(function () {
var vw = window.innerWidth, vh = window.innerHeight, problems = [];
function name(e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''); }
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return;
  if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
    problems.push(name(e) + ' reaches ' + Math.round(r.left) + ',' + Math.round(r.top) + '-' + Math.round(r.right) + ',' + Math.round(r.bottom));
  }
});
var blocks = [];
document.querySelectorAll('header, .tile, #matters > *, #not-reported, section h2, tr, .stale, .foot').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width > 0 && r.height > 0) blocks.push([name(e), r]);
});
for (var i = 0; i < blocks.length; i++) for (var j = i + 1; j < blocks.length; j++) {
  var a = blocks[i][1], b = blocks[j][1];
  var w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (w > 1 && h > 1) problems.push(blocks[i][0] + ' overlaps ' + blocks[j][0]);
}
return {viewport: vw + 'x' + vh, blocks: blocks.length, problems: problems,
  fonts: document.fonts.check('16px "Noto Sans CJK SC"')};
})()`

type layoutResult struct {
	Viewport string   `json:"viewport"`
	Blocks   int      `json:"blocks"`
	Problems []string `json:"problems"`
	Fonts    bool     `json:"fonts"`
}

// TestScreenFitsEveryViewport renders the demo's /screen in a real browser,
// with Chinese fonts, at a township office PC's 1366×768, a browser with
// its bars on a 1920×1080 screen (1920×937), the wall's 1920×1080, a 4K
// wall's 3840×2160 and a spliced wall of 5760×2160, in both languages and
// stale: nothing reaches past the viewport and no block overlaps another or
// the footer. Screenshots at 1366×768 are left in $RISKMON_SCREENSHOTS when
// it is set, to look at.
func TestScreenFitsEveryViewport(t *testing.T) {
	srv, clk, col := demoScreen(t)
	ctx := systemtest.Browser(t)
	fresh := clk.t
	for _, page := range []struct {
		name, query string
		stale       bool
		want        string
	}{
		{"Chinese", "", false, "各单位超期与即将到期"},
		{"English", "lang=en", false, "Overdue and due soon by unit"},
		{"stale", "", true, "数据过期"},
	} {
		clk.t = fresh
		if page.stale {
			clk.t = fresh.Add(col.Config().StalenessLimit + time.Minute)
		}
		for _, vp := range [][2]int64{{1366, 768}, {1920, 937}, {1920, 1080}, {3840, 2160}, {5760, 2160}} {
			what := fmt.Sprintf("%s at %d×%d", page.name, vp[0], vp[1])
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp[0], vp[1]), chromedp.Navigate(srv.URL+"/screen?"+page.query)); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text("body"))
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[layoutResult](layout))
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			var shot []byte
			dir := os.Getenv("RISKMON_SCREENSHOTS")
			if dir != "" && vp[0] == 1366 {
				if shot, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			if !strings.Contains(text, page.want) {
				t.Errorf("%s: the page lacks %q", what, page.want)
			}
			if got.Viewport != fmt.Sprintf("%dx%d", vp[0], vp[1]) || got.Blocks < 2 {
				t.Errorf("%s: viewport %s, %d blocks: the page did not render as asked", what, got.Viewport, got.Blocks)
			}
			if !got.Fonts {
				t.Errorf("%s: Noto Sans CJK SC is not available: install fonts-noto-cjk", what)
			}
			for _, p := range got.Problems {
				t.Errorf("%s: %s", what, p)
			}
			if shot != nil {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("screen-%s-%dx%d.png", page.name, vp[0], vp[1])), shot, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
