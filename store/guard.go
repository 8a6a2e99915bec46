package store

// Guard says whether the caller may write to a unit: nil, or the error
// that refuses the write (the API's scope check, access.Credential.MayWrite).
// The store asks it inside the transaction that locks the record, so that
// a case transferred meanwhile is judged by the unit it has when written.
type Guard func(unit string) error

// check asks g about each unit given ("" skipped); a nil Guard allows all.
func (g Guard) check(units ...string) error {
	if g == nil {
		return nil
	}
	for _, u := range units {
		if u == "" {
			continue
		}
		if err := g(u); err != nil {
			return err
		}
	}
	return nil
}
