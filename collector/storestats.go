package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"riskmon/store"
)

// The store's own numbers, live: how the group commit of creates keeps up
// and how often the database made a writer start again.
var (
	storeQueueLength = ownLive("store_create_queue_length", "Creates waiting for a writer of the group commit; at its bound (1,024) further creates get 503.", "gauge", false)
	storeWriters     = ownLive("store_create_writers", "Callers writing batches of creates now (at most 2).", "gauge", false)
	storeBatchSize   = ownLive("store_create_batch_size", "Cases per transaction of the group commit of creates.", "histogram", false)
	storeQueueFull   = ownLive("store_create_queue_full_total", "Creates refused because the queue was full.", "counter", false)
	storeRetries     = ownLive("store_transaction_retries_total", "Transactions retried after a deadlock, a lock wait timeout or a busy SQLite database, after a jittered backoff.", "counter", false, "reason")
)

// storeStats exports store.WriteStats at each scrape of the self metrics.
type storeStats struct{ s *store.Store }

var _ prometheus.Collector = storeStats{}

func (st storeStats) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []typedDesc{storeQueueLength, storeWriters, storeBatchSize, storeQueueFull, storeRetries} {
		ch <- d.desc
	}
}

func (st storeStats) Collect(ch chan<- prometheus.Metric) {
	w := st.s.WriteStats()
	ch <- storeQueueLength.metric(float64(w.QueueLength))
	ch <- storeWriters.metric(float64(w.Writers))
	buckets := map[float64]uint64{}
	var cumulative uint64
	for i, n := range w.Batches {
		cumulative += n
		buckets[float64(store.BatchSizeBuckets[i])] = cumulative
	}
	ch <- prometheus.MustNewConstHistogram(storeBatchSize.desc, cumulative, float64(w.BatchCases), buckets)
	ch <- storeQueueFull.metric(float64(w.QueueFull))
	for _, r := range store.RetryReasons {
		ch <- storeRetries.metric(float64(w.Retries[r]), r)
	}
}
