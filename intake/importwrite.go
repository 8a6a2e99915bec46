package intake

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"riskmon/store"
)

// Spans of the file that Write reads at once: lines closer than readGap
// bytes come in one read of at most readSpan bytes, so a file already in
// received order is read in large pieces, not a line at a time.
const (
	readGap  = 4 << 10
	readSpan = 1 << 20
)

// Write stores the cases of a checked file that the database lacks or
// holds with fewer events, earliest received first so that a linked repeat
// follows its original, reading them again a batch at a time. A line that
// changed since Check stops it.
func (f *File) Write(ctx context.Context, s *store.Store, progress func(done int)) error {
	if !f.checked {
		return errors.New("import: the file was not checked")
	}
	if f.count > 0 {
		return fmt.Errorf("import: %d problems; nothing written", f.count)
	}
	src, stop := f.cases(ctx)
	defer stop()
	if err := s.Import(ctx, f.rules, src, progress); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// cases reads the cases Write writes, earliest received first (in file
// order when received together), decoding on every core ahead of the
// database; stop ends the reading.
func (f *File) cases(ctx context.Context) (src store.CaseSource, stop func()) {
	var order []uint32
	for i, e := range f.entries {
		if !e.stored {
			order = append(order, uint32(i))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(f.entries[a].received, f.entries[b].received), cmp.Compare(a, b))
	})
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan []store.LoadCase, 1)
	var readErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(batches)
		produce := func(send func([]rawLine) error) error {
			for start := 0; start < len(order); start += chunkLines {
				raws, err := f.readEntries(order[start:min(start+chunkLines, len(order))])
				if err != nil {
					return err
				}
				if err := send(raws); err != nil {
					return err
				}
			}
			return nil
		}
		readErr = f.decodeAll(ctx, false, produce, func(lines []readLine) error {
			batch := make([]store.LoadCase, len(lines))
			for i, rl := range lines {
				if len(rl.problems) > 0 || rl.sum != rl.want {
					return fmt.Errorf("line %d changed since the file was checked: import the file again", rl.line)
				}
				batch[i] = rl.lc
			}
			select {
			case batches <- batch:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	src = func(ctx context.Context) ([]store.LoadCase, error) {
		select {
		case b, ok := <-batches:
			if ok {
				return b, nil
			}
			<-read
			return nil, readErr
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return src, func() {
		cancel()
		<-read
	}
}

// readEntries reads the lines of entries, in their order.
func (f *File) readEntries(idx []uint32) ([]rawLine, error) {
	out := make([]rawLine, len(idx))
	for i := 0; i < len(idx); {
		first := f.entries[idx[i]]
		lo, hi := first.off, first.off+int64(first.size)
		j := i + 1
		for ; j < len(idx); j++ {
			e := f.entries[idx[j]]
			if e.off < hi || e.off-hi > readGap || e.off+int64(e.size)-lo > readSpan {
				break
			}
			hi = e.off + int64(e.size)
		}
		buf := make([]byte, hi-lo)
		if n, err := f.r.ReadAt(buf, lo); n < len(buf) {
			return nil, fmt.Errorf("read line %d again: %w", first.line, cmp.Or(err, io.ErrUnexpectedEOF))
		}
		for k := i; k < j; k++ {
			e := f.entries[idx[k]]
			at := e.off - lo
			out[k] = rawLine{line: e.line, off: e.off, size: e.size, data: buf[at : at+int64(e.size)], want: e.sum}
		}
		i = j
	}
	return out, nil
}

// reread reads the case of an entry again: Check compares a case number's
// later lines with its first.
func (f *File) reread(j uint32) (store.LoadCase, error) {
	e := f.entries[j]
	raws, err := f.readEntries([]uint32{j})
	if err != nil {
		return store.LoadCase{}, err
	}
	rl := f.decode(raws[0], true)
	if len(rl.problems) > 0 || rl.sum != e.sum {
		return store.LoadCase{}, fmt.Errorf("line %d changed while the file was read", e.line)
	}
	return rl.lc, nil
}
