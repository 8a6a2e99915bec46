package petition

import (
	"fmt"
	"strings"
	"time"
)

// Case is a petition case (信访事项) as received. PetitionerHash is the keyed
// hash of the petitioner's identifier (PetitionerHash), never the identifier.
type Case struct {
	CaseNo         string
	ReceivedAt     time.Time
	Channel        string
	Category       string
	Unit           string
	Persons        int
	Level          string
	PetitionerHash string
	RepeatOf       string
	Supervised     bool
	Routing        bool   // registered by the petition bureau (Unit) to be passed on: starts in routing
	MatterType     string // MatterTypes; "" is a claim, the default
	Major          bool   // the intake found the matter major (重大事项) at receipt, whatever its size (art. 25)
	Matter         string // the registered matter the case raises (rising.go), or ""
}

// Problem is one field that breaks a rule, named as the API and the import
// files name it. It never quotes personal data.
type Problem struct {
	Field   string
	Problem string
}

func (p Problem) String() string { return p.Field + ": " + p.Problem }

// MaxPersons bounds the persons of one petition: more is a typing error.
const MaxPersons = 100000

// isCode is ^[A-Za-z0-9._-]{1,64}$, and IsPetitionerHash ^[0-9a-f]{64}$
// (a hash as PetitionerHash makes it): loops, not regular expressions,
// because an import checks a million of each and the expressions took a
// tenth of its CPU.
func isCode(v string) bool {
	if len(v) == 0 || len(v) > 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case 'A' <= b && b <= 'Z', 'a' <= b && b <= 'z', '0' <= b && b <= '9', b == '.', b == '_', b == '-':
		default:
			return false
		}
	}
	return true
}

// IsPetitionerHash reports whether v is a petitioner hash: 64 lower-case hex
// digits. It takes the bytes a database driver hands over as well, so that a
// reader of thousands of rows need not make a string of each.
func IsPetitionerHash[T string | []byte](v T) bool {
	if len(v) != 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if b := v[i]; !('0' <= b && b <= '9' || 'a' <= b && b <= 'f') {
			return false
		}
	}
	return true
}

// CodeProblem is the problem with v as a code (a case number, a unit or a
// category code), or nil when v is one.
func CodeProblem(field, v string) []Problem {
	if isCode(v) {
		return nil
	}
	return []Problem{{field, fmt.Sprintf("%q must be 1 to 64 letters, digits, '.', '_' or '-'", v)}}
}

// vocabProblem is the problem with v in field, or nil when v is in vocab.
func vocabProblem(field, v string, vocab []string) []Problem {
	if Contains(vocab, v) {
		return nil
	}
	return []Problem{{field, fmt.Sprintf("%q is not one of %s", v, strings.Join(vocab, ", "))}}
}

// Problems lists every field of c that breaks a rule; none when c may be
// stored. The API, the import and every write path of the store check cases
// with it. Whether the unit, category and repeat_of exist is the store's to
// say.
func (c Case) Problems() []Problem {
	var ps []Problem
	ps = append(ps, CodeProblem("case_no", c.CaseNo)...)
	if c.ReceivedAt.IsZero() {
		ps = append(ps, Problem{"received_at", "is required"})
	}
	ps = append(ps, vocabProblem("channel", c.Channel, Channels)...)
	ps = append(ps, CodeProblem("category", c.Category)...)
	ps = append(ps, CodeProblem("unit", c.Unit)...)
	if c.Persons < 1 || c.Persons > MaxPersons {
		ps = append(ps, Problem{"persons", fmt.Sprintf("%d is outside 1..%d", c.Persons, MaxPersons)})
	}
	ps = append(ps, vocabProblem("level", c.Level, Levels)...)
	if c.MatterType != "" {
		ps = append(ps, vocabProblem("matter_type", c.MatterType, MatterTypes)...)
	}
	if c.Matter != "" {
		ps = append(ps, MatterCodeProblem("matter", c.Matter)...)
	}
	if !IsPetitionerHash(c.PetitionerHash) {
		ps = append(ps, Problem{"petitioner_hash", "must be a hex HMAC-SHA256"})
	}
	if c.RepeatOf != "" {
		ps = append(ps, CodeProblem("repeat_of", c.RepeatOf)...)
		if c.RepeatOf == c.CaseNo {
			ps = append(ps, Problem{"repeat_of", "a case cannot repeat itself"})
		}
	}
	return ps
}
