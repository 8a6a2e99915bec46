package main

import (
	"io"
	"runtime"
	"sync"
)

// logWriter batches the log's lines into as few writes as the output takes:
// a line is handed to a writer goroutine at once, and lines that arrive while
// it is writing go out together in its next write. Idle, each line is
// written as soon as it is logged; under twenty thousand scrapes a second
// the access log cost one write(2) a request, 8% of the process's time, and
// now costs one a batch. There is no timer: nothing waits to fill a buffer.
//
// What is lost in a crash is what the writer had not yet written, the lines
// of the last moment; main closes it before it exits, so an orderly exit or
// a failure loses nothing.
type logWriter struct {
	out io.Writer

	mu      sync.Mutex
	cond    sync.Cond // a writing turn ended, or the logWriter closed
	pending []byte    // lines not yet handed to out
	closed  bool
	waiting int           // callers held at logPendingMax
	wake    chan struct{} // a line is pending; closed (under mu) by Close
	done    chan struct{}
}

// logPendingMax bounds the lines held while out is slow: past it a caller
// waits, as it would on a direct write.
const logPendingMax = 1 << 20

func newLogWriter(out io.Writer) *logWriter {
	w := &logWriter{out: out, wake: make(chan struct{}, 1), done: make(chan struct{})}
	w.cond.L = &w.mu
	go w.run()
	return w
}

// Write takes one line (slog writes a record in one call); it keeps no
// reference to p.
func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	for len(w.pending) >= logPendingMax && !w.closed {
		w.waiting++
		w.cond.Wait()
		w.waiting--
	}
	if w.closed { // after Close: directly, once the last batch is out
		w.mu.Unlock()
		<-w.done
		w.mu.Lock()
		defer w.mu.Unlock()
		if err := w.flushLocked(); err != nil {
			return 0, err
		}
		return w.out.Write(p)
	}
	w.pending = append(w.pending, p...)
	select { // under mu: Close closes wake under it too
	case w.wake <- struct{}{}:
	default: // the writer is woken already
	}
	w.mu.Unlock()
	return len(p), nil
}

func (w *logWriter) run() {
	defer close(w.done)
	var spare []byte
	for range w.wake {
		runtime.Gosched() // let the goroutines that are running log too
		w.mu.Lock()
		batch := w.pending
		w.pending = spare[:0]
		w.mu.Unlock()
		if len(batch) > 0 {
			w.out.Write(batch) // a log has no one to tell of a failed write
		}
		spare = batch
		w.mu.Lock()
		w.cond.Broadcast() // room again for callers held at logPendingMax
		w.mu.Unlock()
	}
}

// Close writes what is pending and returns once it is written; later lines
// are written directly.
func (w *logWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.wake) // run takes the last batch, then ends
	w.cond.Broadcast()
	w.mu.Unlock()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

// flushLocked writes, once run has ended, what its last turn left.
func (w *logWriter) flushLocked() error {
	if len(w.pending) == 0 {
		return nil
	}
	_, err := w.out.Write(w.pending)
	w.pending = nil
	return err
}
