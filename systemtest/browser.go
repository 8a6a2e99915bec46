package systemtest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// Browser is Debian's Chromium, headless, driven through the DevTools
// protocol (chromedp): it sets a viewport exactly (Chromium's --window-size
// counts the window's bars, 143 px of it), fills and submits forms as a
// person would, and screenshots what it shows. It ends with the test.
func Browser(t testing.TB) context.Context {
	t.Helper()
	bin := Need(t, "chromium", "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}
