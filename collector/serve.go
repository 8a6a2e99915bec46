package collector

import (
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/common/expfmt"
)

var textFormat = expfmt.NewFormat(expfmt.TypeTextPlain)

var (
	textContentType    = []string{string(textFormat)}
	varyAcceptEncoding = []string{"Accept-Encoding"}
	gzipEncoding       = []string{"gzip"}
)

// ServeHTTP writes the snapshot encoded at refresh time, then the live self
// metrics: a scrape costs the same at ten cases or ten million and never
// reaches the database. Prometheus asks for gzip; the snapshot was compressed
// once at refresh and the self metrics follow as a second gzip member, which
// RFC 1952 allows and Go's reader (Prometheus's) reads as one stream.
//
// The two are joined once into one body of known length, which one write
// sends: written in two parts without a length, a response went out chunked,
// in twice the system calls, and the calls were most of a scrape's cost.
func (c *Collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, err := c.response()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	// Assigned, not Set: the values are shared and never change, and a
	// scrape allocated more for its headers than for anything else.
	h["Content-Type"] = textContentType
	h["Vary"] = varyAcceptEncoding
	body, length := res.gz, res.gzLength
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h["Content-Encoding"] = gzipEncoding
	} else {
		body = res.plain()
		length = []string{strconv.Itoa(len(body))}
	}
	h["Content-Length"] = length
	w.Write(body)
}

// response is a scrape's body: the fresh snapshot, if there is one, and the
// self metrics, encoded and joined for at most selfCacheFor, so that many
// Prometheus servers scraping at once share one gather; a refresh or a new
// configuration clears it.
type response struct {
	at   time.Time
	snap *Snapshot // the snapshot it begins with; nil when none was fresh
	gz   []byte
	// gzLength is gz's Content-Length header.
	gzLength []string

	self   []byte // the self metrics as text, joined to the snapshot's on demand:
	joined sync.Once
	text   []byte // Prometheus asks for gzip, so this is rarely needed
}

const selfCacheFor = time.Second

// plain is the body as text.
func (r *response) plain() []byte {
	r.joined.Do(func() {
		if r.snap == nil {
			r.text = r.self
			return
		}
		r.text = append(append(make([]byte, 0, len(r.snap.text)+len(r.self)), r.snap.text...), r.self...)
	})
	return r.text
}

func (c *Collector) response() (*response, error) {
	now := c.now()
	snap := c.snap.Load()
	if !c.fresh(snap, now) {
		snap = nil // a stale snapshot is withheld
	}
	current := func() *response {
		if r := c.served.Load(); r != nil && r.snap == snap && now.Sub(r.at) < selfCacheFor {
			return r
		}
		return nil
	}
	if r := current(); r != nil {
		return r, nil
	}
	// One scrape encodes; those that find the encoding out of date at the
	// same moment wait for it instead of each gathering again (twenty did).
	c.encoding.Lock()
	defer c.encoding.Unlock()
	if r := current(); r != nil {
		return r, nil
	}
	text, err := encodeGathered(c.self)
	if err != nil {
		return nil, fmt.Errorf("encode self metrics: %w", err)
	}
	gz, err := compress(text, gzip.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("compress self metrics: %w", err)
	}
	r := &response{at: now, snap: snap, gz: gz, self: text}
	if snap != nil {
		r.gz = append(append(make([]byte, 0, len(snap.gz)+len(gz)), snap.gz...), gz...)
	}
	r.gzLength = []string{strconv.Itoa(len(r.gz))}
	c.served.Store(r)
	return r, nil
}
