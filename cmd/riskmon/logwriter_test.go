package main

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is an output that several goroutines may write.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

// Every line of many concurrent loggers arrives once, whole, and in the
// order each logger wrote it, also the lines written after Close.
func TestLogWriterKeepsEveryLine(t *testing.T) {
	var out lockedBuffer
	w := newLogWriter(&out)
	const writers, lines = 8, 2000
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fmt.Fprintf(w, "writer=%d line=%d %s\n", g, i, strings.Repeat("x", i%300))
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "after close\n")
	got := strings.Split(strings.TrimSuffix(out.b.String(), "\n"), "\n")
	if want := writers*lines + 1; len(got) != want {
		t.Fatalf("%d lines, want %d", len(got), want)
	}
	next := make([]int, writers)
	for _, line := range got[:len(got)-1] {
		var g, i int
		if _, err := fmt.Sscanf(line, "writer=%d line=%d ", &g, &i); err != nil {
			t.Fatalf("a broken line %q: %v", line, err)
		}
		pad := line[strings.LastIndexByte(line, ' ')+1:]
		if i != next[g] || len(pad) != i%300 {
			t.Fatalf("writer %d: line %d (%d bytes of padding) where line %d was due", g, i, len(pad), next[g])
		}
		next[g]++
	}
	if last := got[len(got)-1]; last != "after close" {
		t.Errorf("last line %q, want the one written after Close", last)
	}
	if out.writes >= writers*lines {
		t.Logf("%d writes for %d lines: no batching under this load", out.writes, writers*lines)
	}
}

// blockingOutput holds every write until released, like a stderr pipe
// nobody reads.
type blockingOutput struct {
	entered chan struct{}
	release chan struct{}
	lockedBuffer
}

func (b *blockingOutput) Write(p []byte) (int, error) {
	b.entered <- struct{}{}
	<-b.release
	return b.lockedBuffer.Write(p)
}

// A stuck output holds at most logPendingMax bytes: a caller past that waits,
// as on a direct write, and goes on once the output takes the lines.
func TestLogWriterHoldsABoundedBacklog(t *testing.T) {
	out := &blockingOutput{entered: make(chan struct{}), release: make(chan struct{})}
	w := newLogWriter(out)
	w.Write([]byte("first\n"))
	<-out.entered // the writer goroutine is stuck in the output with the first line
	line := []byte(strings.Repeat("y", 1023) + "\n")
	for range logPendingMax / len(line) {
		w.Write(line) // below the bound: none of these waits
	}
	w.mu.Lock()
	held := len(w.pending)
	w.mu.Unlock()
	if held != logPendingMax {
		t.Fatalf("%d bytes held, want %d", held, logPendingMax)
	}
	wrote := make(chan struct{})
	go func() {
		w.Write([]byte("over the bound\n"))
		close(wrote)
	}()
	for waiting := 0; waiting == 0; runtime.Gosched() { // until the caller waits
		w.mu.Lock()
		waiting, held = w.waiting, len(w.pending)
		w.mu.Unlock()
		if held != logPendingMax {
			t.Fatalf("%d bytes held while the output was stuck, want %d", held, logPendingMax)
		}
	}
	go func() {
		for range out.entered { // the writes from now on: let them through
		}
	}()
	close(out.release) // the output takes lines again
	<-wrote
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	close(out.entered)
	if got, want := out.b.Len(), len("first\n")+logPendingMax+len("over the bound\n"); got != want {
		t.Errorf("%d bytes written, want %d", got, want)
	}
}
