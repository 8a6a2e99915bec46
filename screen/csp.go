package screen

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// ContentSecurityPolicy is the policy of the server's own HTML: nothing from
// elsewhere, no script, no frame around it (a page that can be framed can
// be clicked through under another page).
const ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// policy is the screen's: the same, its one inline style block allowed by
// its hash (no 'unsafe-inline'). The block is static text of the template,
// which html/template writes out unchanged.
var policy = func() string {
	_, rest, ok := strings.Cut(page, "<style>")
	style, _, ok2 := strings.Cut(rest, "</style>")
	if !ok || !ok2 {
		panic("screen.html has no <style> block") // a constant of this package
	}
	sum := sha256.Sum256([]byte(style))
	return ContentSecurityPolicy + "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()
