// Package failover tests riskmon on a MariaDB Galera cluster behind HAProxy
// when the node taking the writes dies: what was acknowledged survives,
// exactly once, and riskmon carries on without a restart.
package failover

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"riskmon/store"
	"riskmon/systemtest"
)

const token = "failover-token-0123456789abcdef"

// outcome is one request of the load: when it ended and how.
type outcome struct {
	at     time.Time
	status int // 0: no answer (transport error)
}

func post(client *http.Client, url string, body any) int {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestGaleraFailover(t *testing.T) {
	ctx := context.Background()
	nodes := systemtest.StartGalera(t, 3)
	admin, err := sql.Open("mysql", nodes[0].DSN(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE riskmon CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	proxy := systemtest.StartHAProxy(t, nodes)
	// riskmon counts completions by the local days of its zone, and the
	// check at the end recounts them in the same zone: in another, the
	// tallies differ whenever the two zones' dates do (16:00-24:00 UTC for
	// Shanghai against UTC).
	const zone = "Asia/Shanghai"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	rk := systemtest.StartRiskmon(t, nil, []string{"RISKMON_DB=mysql:root@tcp(" + proxy + ")/riskmon", "RISKMON_API_TOKEN=" + token,
		"RISKMON_PETITIONER_KEY=failover-key-0123456789", "RISKMON_REFRESH_INTERVAL=1s", "RISKMON_TIMEZONE=" + zone})
	base := "http://" + rk.Addr
	client := &http.Client{Timeout: 20 * time.Second}
	systemtest.Eventually(t, time.Minute, "riskmon ready on the cluster", func() (bool, string) {
		req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/units/qingshan", bytes.NewReader([]byte(`{"name":"青山镇","kind":"township"}`)))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})

	// 20 clients each register cases and accept each one, until stopped
	var mu sync.Mutex
	ackedCases, ackedEvents := map[string]bool{}, map[string]bool{}
	var outcomes []outcome
	record := func(status int) {
		mu.Lock()
		outcomes = append(outcomes, outcome{time.Now(), status})
		mu.Unlock()
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	received := time.Now().Add(-time.Hour).Format(time.RFC3339)
	for c := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				no := fmt.Sprintf("F-%02d-%05d", c, i)
				status := post(client, base+"/api/v1/cases", map[string]any{"case_no": no, "received_at": received, "channel": "visit",
					"category": "other", "unit": "qingshan", "persons": 1, "level": "county", "petitioner_id": "P-" + no})
				record(status)
				if status != 201 && status != 200 {
					continue
				}
				mu.Lock()
				ackedCases[no] = true
				mu.Unlock()
				status = post(client, base+"/api/v1/cases/"+no+"/events", map[string]any{"type": "accepted", "at": time.Now().Format(time.RFC3339)})
				record(status)
				if status == 201 || status == 200 {
					mu.Lock()
					ackedEvents[no] = true
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(3 * time.Second) // a load before the failure: time, not a synchronisation
	killed := time.Now()
	nodes[0].Kill()
	time.Sleep(12 * time.Second) // and after it
	close(stop)
	wg.Wait()

	// the figures: how long writes were refused, how many requests failed
	var failed, after, before int
	var firstFail, lastFail time.Time
	statuses := map[int]int{}
	for _, o := range outcomes {
		ok := o.status == 200 || o.status == 201
		if o.at.After(killed) {
			after++
		} else {
			before++
		}
		if ok {
			continue
		}
		failed++
		statuses[o.status]++
		if firstFail.IsZero() || o.at.Before(firstFail) {
			firstFail = o.at
		}
		if o.at.After(lastFail) {
			lastFail = o.at
		}
	}
	refused := time.Duration(0)
	if failed > 0 {
		refused = lastFail.Sub(killed)
	}
	// the longest time around the kill with no write acknowledged
	var stalled time.Duration
	last := killed
	for _, o := range outcomes { // in the order they ended
		if (o.status == 200 || o.status == 201) && o.at.After(killed) {
			stalled = max(stalled, o.at.Sub(last))
			last = o.at
		}
	}
	t.Logf("failover: %d requests before the kill, %d after; %d failed %v, the last %s after the kill; no write acknowledged for %s at most after it; %d cases and %d events acknowledged",
		before, after, failed, statuses, refused.Round(10*time.Millisecond), stalled.Round(10*time.Millisecond), len(ackedCases), len(ackedEvents))
	if statuses[500] > 0 {
		t.Errorf("%d requests failed with 500: a node's death must be a 503 the client may retry", statuses[500])
	}
	recovered := 0
	for _, o := range outcomes {
		if (o.status == 200 || o.status == 201) && o.at.After(lastFail) {
			recovered++
		}
	}
	if recovered == 0 {
		t.Error("no request succeeded after the failures: riskmon did not recover without a restart")
	}

	// every acknowledged case and event is on both survivors, exactly once
	rk.Stop() // and its hold on the writers' gate with it, for the recount below
	for _, n := range nodes[1:] {
		db, err := sql.Open("mysql", n.DSN("riskmon"))
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		rows, err := db.Query(`SELECT c.case_no, COUNT(DISTINCT c.id), COUNT(e.id) FROM cases c
LEFT JOIN case_events e ON e.case_id = c.id AND e.type = 'accepted' GROUP BY c.case_no`)
		if err != nil {
			t.Fatal(err)
		}
		events := map[string]int{}
		for rows.Next() {
			var no string
			var cases, accepted int
			if err := rows.Scan(&no, &cases, &accepted); err != nil {
				t.Fatal(err)
			}
			counts[no], events[no] = cases, accepted
		}
		rows.Close()
		db.Close()
		for no := range ackedCases {
			if counts[no] != 1 {
				t.Errorf("%s: acknowledged case %s stored %d times", n.Name, no, counts[no])
			}
		}
		for no := range ackedEvents {
			if events[no] != 1 {
				t.Errorf("%s: acknowledged acceptance of %s stored %d times", n.Name, no, events[no])
			}
		}
		s, err := store.Open(ctx, "mysql:"+n.DSN("riskmon"))
		if err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTallies(ctx, loc); err != nil || len(diffs) > 0 {
			t.Errorf("%s: the tallies are not what the facts count: %v %v", n.Name, diffs, err)
		}
		s.Close()
	}
}
