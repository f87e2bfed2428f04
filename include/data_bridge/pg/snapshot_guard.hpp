// data_bridge's read functions are STABLE: their statements read with the snapshot of the
// statement that called them, as SQL and PL/pgSQL functions read, but take their tables' locks
// when they run, after that snapshot was taken. A plain SELECT locks its tables before taking
// its snapshot (READ COMMITTED), so after waiting behind a table rewrite (ALTER TABLE, or a
// TRUNCATE and inserts in one transaction) it reads what that transaction wrote. A statement
// whose snapshot predates that commit would find the rows, all written again by a transaction
// it does not see, invisible, and return no rows without a word. The guard refuses that read
// instead: 40001, run the call again. CLUSTER, VACUUM FULL and SET TABLESPACE copy each row
// with its own transaction ids: the snapshot reads them as before.
//
// Checked under READ COMMITTED only: under REPEATABLE READ or SERIALIZABLE a plain SELECT uses
// the transaction's snapshot too, and PostgreSQL documents TRUNCATE and rewrites as not
// MVCC-safe there.
#pragma once

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Installs the executor hook that checks data_bridge's own statements (_PG_init).
void register_snapshot_guard();

// The statements of `plan` are data_bridge's own while it runs or opens a cursor over it: the
// hook checks each table they read against their snapshot. Returns what to restore afterwards
// (nested calls run their own plans).
const char* begin_own_statement(SPIPlanPtr plan);
void end_own_statement(const char* previous);

// 40001 when `heap`'s rows were written again by a transaction `snapshot` does not see: its
// storage (relfilenode) replaced by that transaction, whose rows fill it (inside guarded();
// `heap` locked).
void refuse_storage_newer_than(Relation heap, Snapshot snapshot);

}  // namespace data_bridge::pg
