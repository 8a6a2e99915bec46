// Command barescrape is the baseline of the scrape benchmark (bench/scrape.sh):
// a bare net/http server that fetches riskmon's /metrics once, gzip-compressed
// as Prometheus asks, and then answers every request with those same bytes.
// What riskmon serves beyond it (routing, the access log, the request
// metrics, the self metrics) is the difference the benchmark measures.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
)

func main() {
	from := flag.String("from", "http://127.0.0.1:9720/metrics", "the riskmon /metrics to copy")
	listen := flag.String("listen", "127.0.0.1:9799", "address to serve the copy on")
	flag.Parse()
	body, err := fetch(*from)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving %d bytes (gzip) on %s", len(body), *listen)
	http.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*listen, nil))
}

func fetch(url string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	// Set by hand, so that the transport hands over the compressed bytes.
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		return nil, fmt.Errorf("fetch %s: status %d, encoding %q", url, res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	return io.ReadAll(res.Body)
}
