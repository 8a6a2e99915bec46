package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startLimited serves h with limits l on a loopback port.
func startLimited(t *testing.T, h http.Handler, l httpLimits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h, l)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedByServer reads from conn until the server closes it; the deadline
// only fails the test, it is not waited for when the server does its part.
func closedByServer(t *testing.T, conn net.Conn, r io.Reader) bool {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := io.Copy(io.Discard, r)
	return err == nil // EOF: closed; a timeout is an error
}

// Each limit reaches the server: an idle keep-alive connection and a client
// that never finishes its body are cut off, a huge header is refused.
func TestHTTPLimits(t *testing.T) {
	if l := defaultHTTPLimits; l.readHeader <= 0 || l.read <= 0 || l.write <= 0 || l.idle <= 0 || l.maxHeaderBytes <= 0 {
		t.Fatalf("a default limit is unset: %+v", l)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprintln(w, "ok")
	})
	// each limit alone short, so that each is seen to work by itself
	idleOnly, readOnly := defaultHTTPLimits, defaultHTTPLimits
	idleOnly.idle, readOnly.read = 200*time.Millisecond, 200*time.Millisecond

	idle, err := net.Dial("tcp", startLimited(t, h, idleOnly))
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprint(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(idle)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if !closedByServer(t, idle, br) {
		t.Error("an idle keep-alive connection was kept")
	}

	slow, err := net.Dial("tcp", startLimited(t, h, readOnly))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprint(slow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"a\"")
	if !closedByServer(t, slow, slow) {
		t.Error("a client that never finishes its body holds the connection")
	}

	addr := startLimited(t, h, defaultHTTPLimits)
	req, err := http.NewRequest("GET", "http://"+addr+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Padding", strings.Repeat("a", 2*defaultHTTPLimits.maxHeaderBytes))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a %d-byte header: %d, want 431", 2*defaultHTTPLimits.maxHeaderBytes, resp.StatusCode)
	}
}

// The access log names the peer, whatever X-Forwarded-For says, unless the
// peer is a configured proxy; a client's long path is cut.
func TestAccessLogAddressAndLength(t *testing.T) {
	for _, tc := range []struct {
		proxies    string
		wantRemote string
	}{
		{"", "remote=127.0.0.1"},
		{"127.0.0.0/8", "remote=6.6.6.6"},
	} {
		var logs bytes.Buffer
		srv := logServer(t, map[string]string{"RISKMON_TRUSTED_PROXIES": tc.proxies}, &logs)
		req, err := http.NewRequest("GET", srv.URL+"/"+strings.Repeat("a", 10000), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", "6.6.6.6")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		line := logs.String()
		if !strings.Contains(line, tc.wantRemote+"\n") && !strings.Contains(line, tc.wantRemote+" ") {
			t.Errorf("trusted proxies %q: log %q lacks %s", tc.proxies, line, tc.wantRemote)
		}
		if len(line) > 1000 || !strings.Contains(line, "…(10001 bytes)") {
			t.Errorf("a 10,001-byte path made a %d-byte log line: %.300s", len(line), line)
		}
	}
}
