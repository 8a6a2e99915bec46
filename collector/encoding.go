package collector

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"sync"

	"github.com/klauspost/compress/flate"
)

// snapshotLevel is the gzip level of the snapshot. Level 5 was chosen with
// compress/flate, one stream: within 1% of the default level's size in 60%
// of its time (1.18 MB of text at 1M cases: 75,259 bytes in 5.7 ms against
// 74,534 in 9.1). In pieces, with klauspost's level 5, the 10M county's
// 1.15 MB are 86,573 bytes, 3.4% more than one stream.
const snapshotLevel = 5

// encoded is a refresh's exposition written out: the text, the text as one
// gzip member, and where each family lies in both. The next refresh takes a
// family's parts as they are when it emits the family's samples again
// unchanged after the same text, so that what it writes and compresses is
// what changed: most families between two refreshes 15 s apart, all of them
// when nothing was written.
//
// A family's compressed part is its text deflated with the 32 KiB of text
// before it as the dictionary (what a reader of the stream holds in its
// window at that point), flushed to a byte boundary: pieces so made,
// joined in order and closed by a final block, are one deflate stream, as
// pigz makes its pieces; the gzip member around them carries the CRC-32 and
// length of the whole text. A piece is reused only if the text before it
// is the same too; else a family emitted unchanged takes its text as it
// was, and one whose numbers alone moved (the writers' counts) the order
// of its samples, and is compressed anew. Families compressed anew one
// after another are one run of the compressor, which holds the text
// before each already.
type encoded struct {
	text, gz []byte
	families map[string]*encodedFamily
}

// encodedFamily is a family's samples as emitted, the order they were
// written in and where its parts lie in the text and the gzip member.
type encodedFamily struct {
	values   []string
	nums     []float64
	order    []int  // family.order's
	text, gz [2]int // [from, to)
}

// unchanged reports whether f emits exactly the samples ef was written
// from, in the same order: then its text is ef's. A family's name fixes
// its help, type and labels (declared once).
func (ef *encodedFamily) unchanged(f *family) bool {
	return slices.Equal(ef.values, f.values) && slices.EqualFunc(ef.nums, f.nums, func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b)
	})
}

// orderOf is the order f's samples are written in: ef's when f emits the
// same label values in the same order, as the writers' counts move only
// the numbers (sorting was half of writing a family).
func (ef *encodedFamily) orderOf(f *family) ([]int, error) {
	if ef != nil && slices.Equal(ef.values, f.values) {
		return ef.order, nil
	}
	return f.order()
}

// window is the most of the text before a piece a deflate back-reference
// reaches (RFC 1951 3.2.5: distances up to 32,768).
const window = 1 << 15

// before is the dictionary of a piece that starts at from in text.
func before(text []byte, from int) []byte { return text[max(0, from-window):from] }

// gzipHeader is a gzip member's header with no name, time or flags, as
// compress/gzip writes it (RFC 1952 2.3: OS 255, unknown).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// encoder writes expositions, reusing the previous one's families; a
// collector keeps one, used by one refresh at a time.
type encoder struct {
	mu   sync.Mutex
	prev *encoded      // the last exposition encoded; nil before the first
	fw   *flate.Writer // reset for each piece: its state is a megabyte
	// written counts the families written and compressed anew (tests).
	written int
}

// encode writes e: its text, in the order and form of text(), and the text
// gzip-compressed.
func (enc *encoder) encode(e *exposition) (*encoded, error) {
	if e.err != nil {
		return nil, e.err
	}
	enc.mu.Lock()
	defer enc.mu.Unlock()
	names := e.names()
	var text, gz bytes.Buffer
	text.Grow(e.size())
	gz.Write(gzipHeader)
	next := &encoded{families: make(map[string]*encodedFamily, len(names))}
	streamAt := -1 // where in text the compressor's stream has reached
	for _, name := range names {
		f := e.families[name]
		ef := &encodedFamily{values: f.values, nums: f.nums}
		ef.text[0], ef.gz[0] = text.Len(), gz.Len()
		p := enc.prev.family(name)
		same := p != nil && p.unchanged(f)
		if same && bytes.Equal(before(enc.prev.text, p.text[0]), before(text.Bytes(), text.Len())) {
			text.Write(enc.prev.text[p.text[0]:p.text[1]])
			gz.Write(enc.prev.gz[p.gz[0]:p.gz[1]])
			ef.order = p.order
		} else {
			if same { // its text as it was, after other text: compressed anew
				text.Write(enc.prev.text[p.text[0]:p.text[1]])
				ef.order = p.order
			} else {
				order, err := p.orderOf(f)
				if err != nil {
					return nil, err
				}
				f.write(&text, order)
				ef.order = order
			}
			t := text.Bytes()
			if err := enc.deflate(&gz, t[ef.text[0]:], before(t, ef.text[0]), streamAt == ef.text[0]); err != nil {
				return nil, err
			}
			streamAt = text.Len()
			enc.written++
		}
		ef.text[1], ef.gz[1] = text.Len(), gz.Len()
		next.families[name] = ef
	}
	if err := enc.finish(&gz); err != nil {
		return nil, err
	}
	next.text = text.Bytes()
	next.gz = binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(gz.Bytes(),
		crc32.ChecksumIEEE(next.text)), uint32(len(next.text)))
	enc.prev = next
	return next, nil
}

// family is p's family of that name; nil if p or the family is none.
func (p *encoded) family(name string) *encodedFamily {
	if p == nil {
		return nil
	}
	return p.families[name]
}

// deflate appends text to w compressed with dict as the text before it,
// and flushed to a byte boundary. When the compressor's stream has just
// written dict's end (continued), it goes on from there: its history is
// that text already, and loading 32 KiB of it again cost a piece as much
// as compressing one.
func (enc *encoder) deflate(w *bytes.Buffer, text, dict []byte, continued bool) error {
	fw := enc.fw
	if !continued {
		var err error
		if fw, err = enc.writer(w, dict); err != nil {
			return err
		}
	}
	if _, err := fw.Write(text); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if err := fw.Flush(); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	return nil
}

// finish appends the deflate stream's final, empty block.
func (enc *encoder) finish(w *bytes.Buffer) error {
	fw, err := enc.writer(w, nil)
	if err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	return nil
}

// writer is the encoder's compressor, with dict as its history, writing
// to w.
func (enc *encoder) writer(w *bytes.Buffer, dict []byte) (*flate.Writer, error) {
	if enc.fw == nil {
		fw, err := flate.NewWriter(w, snapshotLevel)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		enc.fw = fw
	}
	enc.fw.ResetDict(w, dict)
	return enc.fw, nil
}
