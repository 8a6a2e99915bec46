package store

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// allAssignments is the row of assignment_versions that stands for every
// unit: the bulk load, which writes cases' assignments wholesale, moves it
// on (talliesRewritten).
const allAssignments = ""

// assignedUnits are the units whose open assignments ups change: a case's
// assignment date set, moved or ended, or an assigned case moved to another
// unit (both units).
func assignedUnits(ups []stateUpdate) []string {
	var out []string
	for _, u := range ups {
		if u.from.AssignedDue != u.st.AssignedDue || (u.st.AssignedDue != 0 && u.from.Unit != u.st.Unit) {
			out = append(out, u.from.Unit, u.st.Unit)
		}
	}
	return out
}

// bumpAssignments moves on the versions of units in the writer's
// transaction (KeptAssignments).
func bumpAssignments(ctx context.Context, ex sqlx.ExecerContext, d dialect, units []string) error {
	return bumpUnits(ctx, ex, d, "assignment_versions", units)
}

// KeptAssignments keeps, from one refresh to the next, each unit's open
// assignments by due date, as Assigned reads them. Which of them are
// overdue moves with the clock and is told by the collector
// (petition.State.AssignmentOverdue); what is kept changes only with a
// change of a case's assignment, which moves its unit's version on
// (updateStates). A refresh reads the versions, a row a unit, and the
// assignments only of the units whose version moved. Its zero value keeps
// nothing yet.
type KeptAssignments struct {
	mu   sync.Mutex
	kept keptUnits[AssignedOpen] // its epoch the version of allAssignments
}

// KeptAssigned is Assigned, the units' rows taken from k and kept there;
// with ReadFacts, or k nil, it is Assigned.
func (r *Reader) KeptAssigned(ctx context.Context, k *KeptAssignments) ([]AssignedOpen, error) {
	if r.facts || k == nil {
		return r.Assigned(ctx)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	versions, err := unitVersions(ctx, r.tx, "assignment_versions")
	if err != nil {
		return nil, err
	}
	epoch := versions[allAssignments]
	delete(versions, allAssignments)
	return k.kept.refresh(ctx, r.tx, "open assignments", epoch, versions, assignedQuery, assignedUnitsQuery,
		func(a AssignedOpen) string { return a.Unit })
}

// assignedUnitsQuery is assignedQuery for n units.
func assignedUnitsQuery(n int) string {
	return assignedSelect + " AND unit IN (" + marks(n) + ")" + assignedGroup
}
