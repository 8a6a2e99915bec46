// Package store keeps petition cases in MySQL/MariaDB or an embedded SQLite
// file: opening, migrations (one set per dialect), transactional writes of
// cases and events, and the aggregate queries the collector reads.
//
// # Write paths
//
// Four paths write cases and events. Each exists because it is several times
// faster than the others where it is used, and all of them must end in the
// same rows: the tests write the same cases through them and compare the
// rows and the tallies (store_test.go, groupcommit_test.go, and the collector's
// fixture county, written case by case and bulk-loaded).
//
//	path               entry                 used by                      file
//	group commit       Store.CreateCase      POST /api/v1/cases, the demo groupcommit.go, casebatch.go
//	one event          Store.AddEvent        POST .../events, the demo    events.go, eventbatch.go
//	incremental import Store.Import          riskmon import (non-empty)   importing.go (cases via casebatch.go)
//	bulk load          Store.Load, Import    riskmon import (empty), seed bulk.go
//
// What they share, so that a rule is applied the same way everywhere:
//   - validation: petition.Case.Problems and petition.Event.Problems, and
//     Known for references that must exist (reference.go);
//   - the rules: petition.Rules.Received, Apply (through replay and applyFrom
//     in bulk.go for histories) and Repeats, the repeat rule;
//   - the event step: each event applied to a stored case becomes its row
//     and its share of the tallies in eventSink.record (eventstep.go), for
//     AddEvent's batches (eventbatch.go), the incremental import and the
//     bulk load alike;
//   - the rows: the column lists and their value builders in columns.go;
//   - the counters: the tally accumulator in tally.go. Every write adds to the
//     all-time tallies in the transaction that writes the facts, so the
//     counters never go down and never disagree with the rows (Recount is
//     the tests' check of that). What a refresh reports at an instant is
//     kept the same way, so that its cost is the number of series and not
//     the size of the archive: where cases stand now (stateTallies in
//     backlog.go: the open cases by deadline, the supervised ones), moved
//     by every change of a stored state in updateStates, and the receipts
//     by hour and UTC day (receiptwindows.go). Store.ReadFacts counts the
//     same from the cases instead: the reference the differential tests
//     hold them to. The day tally of completions counts by the local days
//     of the rules' zone; RecountCompletionDays rebuilds it when the zone
//     recorded with it is another (completiondays.go).
//     The sharded all-time tallies are folded daily (FoldShards, fold.go):
//     each key's shards summed into its shard 0 under the rows' locks, so
//     that a read sums about a row a key.
//     The matters' histories (the long-unresolved rule) are kept by the
//     reader instead (KeptHistories, matterhistories.go): every writer of a
//     case naming a matter moves the matter's cases_version on
//     (bumpMatters, in createRound and updateStates; the bulk load moves
//     them all), and a refresh reads again only the matters whose version
//     moved or whose counts the clock moved. So is the register's state
//     (KeptRegister, registerkept.go): every write of a dispute or of one
//     of its events moves its unit's row of dispute_versions on
//     (registerWrites), and a refresh reads again only those units'
//     disputes; what moves with the clock (overdue, inspected) it counts
//     from what it keeps, by petition.DisputeState's rules. So are the
//     matters' cases of the 30 days (KeptActivity, matteractivity.go), on
//     the matters' versions, and the receipt windows' settled days
//     (KeptWindows, windowskept.go): a writer that counts a receipt into a
//     day before the day before its own moves the day's version on
//     (bumpReceiptDays), the bulk load and recount every day's. So are the
//     backlog's rows of each unit, category and stage (KeptBacklog,
//     backlogkept.go): every change of stored states that moves a row of
//     backlog_tally moves its key's row of backlog_versions on
//     (stateTallies.write), a create the key's count of open cases, the
//     bulk load and recount every key's version; what moves with the clock
//     (overdue, due soon) it counts from what it keeps, as the tallies'
//     queries do. So are the open assignments by unit (KeptAssignments,
//     assignmentskept.go), on assignment_versions, which updateStates
//     moves on for the units whose assignments change. The all-time
//     receipt counters by unit (KeptReceipts, receiptskept.go) need no
//     version: writers only add to receipt_tally, so a unit's sum of
//     counters moves with its rows, and a rewrite moves the epoch of the
//     receipt days. So do the month's and quarter's day sums of the days
//     before today (KeptDaySums, daysumskept.go), by the sum of their
//     counters over those days.
//
// # Bulk load
//
// On MySQL the bulk load drops the non-unique indexes of cases no foreign
// key needs and builds them in one ALTER TABLE at its end (loadindexes.go),
// their definitions recorded in settings first, so that a load cut off at
// any moment leaves what the rerun or riskmon recount needs to build them.
//
// # Locking
//
// Writes run at READ COMMITTED on MySQL. Creates of the same petitioner and
// matter are serialised by their case_keys row (lockMatters), so the repeat
// rule always sees every committed case of the matter; events lock their
// case's row. Tally rows are spread over shards and locked in key order, so
// writers never wait for each other in a circle; a writer's last statements
// move its matters' versions on, a row a statement in code order. On MySQL a
// batch's writes after its last read (its rows, tallies, versions and audit
// rows) go to the server in one multi-statement round trip (pipeline.go),
// run in the order written. Deadlocks and lock waits are retried (inTx). The one SERIALIZABLE transaction is the rebuild of the
// day tally, which must not miss a writer.
package store
