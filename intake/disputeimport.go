package intake

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"riskmon/petition"
	"riskmon/store"
)

// MaxRegisterLines bounds a register file: it is held in memory while
// checked and written in one transaction. A county's register holds
// hundreds of disputes; more than this is a case file given by mistake or a
// register to split.
const MaxRegisterLines = 200000

// DisputeLine is one line of a register file (riskmon import --disputes): a
// dispute as the API registers it, with its events in order.
type DisputeLine struct {
	DisputeRequest
	Events []DisputeEventRequest `json:"events,omitempty"`
}

// Register is a register file read and checked whole: its disputes, or its
// problems by line.
type Register struct {
	Disputes []store.LoadDispute
	problems []LineError
	count    int
}

// Problems returns the first MaxProblems problems by line and how many
// there are in all.
func (r *Register) Problems() ([]LineError, int) { return r.problems, r.count }

func (r *Register) bad(line int, field, problem string) {
	r.count++
	if len(r.problems) < MaxProblems {
		r.problems = append(r.problems, LineError{Line: line, Field: field, Problem: problem})
	}
}

// ReadRegister reads a JSON lines register and checks every line as the API
// would, each dispute's events in order from its registration, the units
// and categories against known, and the lines against one another (a
// dispute number given twice). Whether an escalation's case exists is the
// store's to say when it writes.
func ReadRegister(src io.Reader, now time.Time, rules petition.Rules, roles []string, known store.Known) (*Register, error) {
	reg := &Register{}
	seen := map[string]int{} // dispute number -> its line
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 64<<10), MaxBody)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if len(reg.Disputes)+reg.count >= MaxRegisterLines {
			return nil, fmt.Errorf("line %d: a register file holds at most %d disputes; split it", line, MaxRegisterLines)
		}
		ld, ok := reg.readLine(line, raw, now, rules, roles, known)
		if !ok {
			continue
		}
		if first, dup := seen[ld.Dispute.No]; dup {
			reg.bad(line, "dispute_no", fmt.Sprintf("%q is given on line %d already", ld.Dispute.No, first))
			continue
		}
		seen[ld.Dispute.No] = line
		reg.Disputes = append(reg.Disputes, ld)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", line+1, MaxBody)
		}
		return nil, fmt.Errorf("read the register: %w", err)
	}
	if reg.count > 0 {
		reg.Disputes = nil // nothing of a file with problems is written
	}
	return reg, nil
}

// readLine checks one line; its problems are counted into reg.
func (reg *Register) readLine(line int, raw []byte, now time.Time, rules petition.Rules, roles []string, known store.Known) (store.LoadDispute, bool) {
	before := reg.count
	var dl DisputeLine
	if e := decodeBytes(raw, &dl); e != nil {
		for _, d := range e.Details {
			reg.bad(line, d.Field, d.Problem)
		}
		if len(e.Details) == 0 {
			reg.bad(line, "", e.Message)
		}
		return store.LoadDispute{}, false
	}
	d, ds := dl.Validate(windowOf(now, rules), roles)
	for _, p := range ds {
		reg.bad(line, p.Field, p.Problem)
	}
	if len(ds) == 0 { // a refused dispute has no unit or category to look up
		for _, p := range known.DisputeProblems(d) {
			reg.bad(line, p.Field, p.Problem)
		}
	}
	ld := store.LoadDispute{Dispute: d}
	st := petition.DisputeFound(d)
	for i, er := range dl.Events {
		field := fmt.Sprintf("events[%d]", i)
		e, ds := er.Validate(windowOf(now, rules), roles)
		for _, p := range ds {
			reg.bad(line, field+"."+p.Field, p.Problem)
		}
		if len(ds) > 0 || reg.count > before {
			continue // a step of a dispute with problems cannot be replayed
		}
		next, _, err := petition.ApplyDispute(st, e, roles, rules.Location)
		if err != nil {
			reg.bad(line, field, err.Error())
			continue
		}
		st = next
		ld.Events = append(ld.Events, e)
	}
	return ld, reg.count == before
}
