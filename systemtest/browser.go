package systemtest

import (
	"context"
	"testing"
	"time"

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
	// The browser's steps end by browserSteps: a page that never comes (seen
	// once in CI on 2026-12-06, the machine loaded by the other packages'
	// tests) fails the test naming its step, instead of holding the whole
	// package until go test's ten-minute panic. The browser itself was
	// started above without it: a deadline on the first step would end the
	// browser, not the step.
	steps, cancelSteps := context.WithTimeout(ctx, browserSteps)
	t.Cleanup(cancelSteps)
	return steps
}

// browserSteps is how long a test's browser steps may take in all: the
// portal's longest test takes under 3 s.
const browserSteps = 2 * time.Minute
