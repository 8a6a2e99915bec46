// Package petition holds the pure rules of petition work (信访): vocabularies,
// stages, statutory deadlines and the risk signals. It does no I/O and keeps no
// clock: every time it needs is passed in.
package petition

// The bounded vocabularies below are the only values that may appear in metric
// labels besides unit and category codes.

// Channels through which a petition arrives (2022 Reg. art. 17).
var Channels = []string{"letter", ChannelVisit, "online", "phone"}

// ChannelVisit is a petition in person (走访), the one channel tied to a level
// (art. 20).
const ChannelVisit = "visit"

// Levels at which a petition can be lodged, from the county up to Beijing.
var Levels = []string{"county", "city", "province", NationalLevel}

// NationalLevel is the national bureau in Beijing (国家信访局).
const NationalLevel = "national"

// Stages with a statutory clock, in the order a case passes through them. A
// case lodged directly with its unit starts in acceptance.
var Stages = []string{StageRouting, StageAcceptance, StageHandling, StageReview, StageReReview}

// SupervisionLevels are the levels that supervise a case (督办), lowest first,
// up to the national bureau (国家信访局): a case takes the highest that has
// taken it up.
var SupervisionLevels = []string{"county", "city", "province", "national"}

// EvaluationResults a petitioner can give after a reply.
var EvaluationResults = []string{"satisfied", "basically_satisfied", "dissatisfied"}

// DefaultCategories is the county's default list of hot-spot categories with
// their Chinese display names; the list is configurable in the store.
var DefaultCategories = []NamedCode{
	{"enterprise_restructuring", "企业改制"},
	{"land_requisition", "农村土地征用"},
	{"labour_social_security", "劳动和社会保障"},
	{"minimum_living_allowance", "城市居民最低生活保障"},
	{"demolition_relocation", "城市房屋拆迁安置"},
	{"law_litigation", "涉法涉诉"},
	{"other", "其他"},
}

// NamedCode pairs a stable code with its display name.
type NamedCode struct {
	Code string
	Name string
}

// Unit kinds: a township answers territorially, a department by subject.
const (
	UnitTownship   = "township"
	UnitDepartment = "department"
)

// Stage names.
const (
	StageRouting    = "routing" // 转送/交办: the petition bureau passes the case on
	StageAcceptance = "acceptance"
	StageHandling   = "handling"
	StageReview     = "review"
	StageReReview   = "re_review"
)

// Contains reports whether v is one of the values in vocab.
func Contains(vocab []string, v string) bool {
	for _, x := range vocab {
		if x == v {
			return true
		}
	}
	return false
}

// SkipLevel reports whether a county case received through channel at level
// skipped levels (越级访): a visit (走访) at province or national level (进京访).
// A visit goes to the competent organ's own level or the one above (2022
// Reg. art. 20 ¶1); online petitions, letters, phone calls and faxes may go
// to any level (art. 17), so they are counted by level, never as skip-level.
func SkipLevel(channel, level string) bool {
	return channel == ChannelVisit && Contains(SkipLevels, level)
}

// SkipLevels are the levels at which a county case's visit skipped levels.
var SkipLevels = []string{"province", NationalLevel}
