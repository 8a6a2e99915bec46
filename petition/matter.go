package petition

// Matter types (2022 信访工作条例 art. 28): what a petition asks decides its
// procedure. Acceptance (受理/告知, art. 23) applies to all three; only a
// claim accepted for handling under art. 31(6) enters handling with its
// statutory limit (art. 34), its extension and the review chain (arts.
// 35-36).
const (
	MatterClaim      = "claim"      // 申诉求决: handled under arts. 31-36
	MatterSuggestion = "suggestion" // 建议意见: studied and answered (art. 29), with no statutory limit
	MatterAccusation = "accusation" // 检举控告: for the discipline inspection and supervision organs (art. 30)
)

// MatterTypes lists the matter types, the default first.
var MatterTypes = []string{MatterClaim, MatterSuggestion, MatterAccusation}

// Procedures a matter is diverted into (导入, art. 31(1)-(5)), or passed to
// (law-related matters to the political-legal departments, arts. 22 ¶2 and
// 28, 诉访分离; accusations to discipline inspection, art. 30): the petition
// procedure and its clocks end there.
var Procedures = []string{"litigation", "procuratorial", "police", "arbitration", "party_appeal", "administrative",
	"discipline_inspection", "political_legal"}

// MatterOf is the matter type t names: a claim when unset, as every case
// stored before matter types were recorded is.
func MatterOf(t string) string {
	if t == "" {
		return MatterClaim
	}
	return t
}

// Claim reports whether the case is a claim (申诉求决), the one matter type
// with the handling limit, its extension and the review chain.
func (s State) Claim() bool { return MatterOf(s.MatterType) == MatterClaim }

// handlingDays is the period of the handling stage for the state's matter
// type: art. 34's limit for a claim, suggestion_reply_days (none when 0)
// for a suggestion, none for an accusation, which the organs of art. 30
// handle by their own procedure.
func (r Rules) handlingDays(s State) int {
	switch MatterOf(s.MatterType) {
	case MatterSuggestion:
		return r.SuggestionReplyDays
	case MatterAccusation:
		return 0
	}
	return r.HandlingDays
}
