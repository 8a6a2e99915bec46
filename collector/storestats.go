package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"riskmon/store"
)

// The store's own numbers, live: how each group commit keeps up (label
// writes: cases or events) and how often the database made a writer start
// again.
var (
	storeQueueLength = ownLive("store_write_queue_length", "Writes waiting for a writer of their group commit; at its bound (1,024) further writes of the kind get 503.", "gauge", false, "writes")
	storeWriters     = ownLive("store_writers", "Callers writing batches of their group commit now (at most 2 a kind).", "gauge", false, "writes")
	storeBatchSize   = ownLive("store_write_batch_size", "Writes per transaction of a group commit.", "histogram", false, "writes")
	storeQueueFull   = ownLive("store_write_queue_full_total", "Writes refused because their group commit's queue was full.", "counter", false, "writes")
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
	for _, q := range w.Queues {
		ch <- storeQueueLength.metric(float64(q.QueueLength), q.Writes)
		ch <- storeWriters.metric(float64(q.Writers), q.Writes)
		buckets := map[float64]uint64{}
		var cumulative uint64
		for i, n := range q.Batches {
			cumulative += n
			buckets[float64(store.BatchSizeBuckets[i])] = cumulative
		}
		ch <- prometheus.MustNewConstHistogram(storeBatchSize.desc, cumulative, float64(q.BatchWrites), buckets, q.Writes)
		ch <- storeQueueFull.metric(float64(q.QueueFull), q.Writes)
	}
	for _, r := range store.RetryReasons {
		ch <- storeRetries.metric(float64(w.Retries[r]), r)
	}
}
