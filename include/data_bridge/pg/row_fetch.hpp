// One row by a unique key, read through the key's index without the SQL executor: what
// `SELECT to_jsonb(t.*) FROM table AS t WHERE t.column = value` returns, at a fraction of its
// fixed cost per call (fetch_referenced). Taken only where that statement would read exactly this
// way and nothing of SQL's is skipped; anywhere else the caller runs the statement.
#pragma once

#include <optional>

#include "data_bridge/pg/postgres.hpp"
#include "data_bridge/pg/statement.hpp"

namespace data_bridge::pg {

// The index a direct read of `table` by `column` with a value of `value_type` goes through,
// resolved once per call shape: a valid, immediate, non-partial unique btree index of the type's
// default operator class with the column as its only key, on an ordinary table (not a Citus
// table: its rows are on the workers), the value of the column's own type; InvalidOid where there
// is none (the statement runs). A change to the table or its indexes drops the shape.
Oid direct_read_index(Oid table, AttrNumber column, Oid value_type);

// The row as to_jsonb renders it (PostgreSQL's own to_jsonb, called on the row), or a NULL
// SingleValue for no row; std::nullopt when the direct read does not apply on this call: no index
// (above) or one no longer usable (dropped, or too new for this transaction's snapshots), the table
// has inheritance children, the caller may not read every column, row-level security applies, or
// data_bridge.direct_fetch is off. Locks, snapshot and predicate locks are the statement's.
std::optional<SingleValue> fetch_by_unique_index(Oid table, AttrNumber column, Oid index,
                                                 Datum value);

// delete_plan's root: the row's own value of `column` where the caller's `SELECT t.column FROM
// table AS t WHERE t.column = value` (a value of the column's type) would find one, read through
// the column's unique index as fetch_by_unique_index reads it, the copy made in `memory`; a NULL
// SingleValue for no row. std::nullopt when the direct read does not apply: the same conditions,
// except that only the column itself need be readable.
std::optional<SingleValue> find_by_unique_index(Oid table, AttrNumber column, Oid value_type,
                                                Datum value, MemoryContext memory);

// fetch_related's path: the source row by its one-column key, then the row its one-column foreign
// key references, as `SELECT to_jsonb(t.*) FROM source AS s JOIN target AS t ON t.referenced =
// s.referencing WHERE s.key = value` returns it. The same conditions, for both tables (of the
// source, its key and referencing columns readable), the referencing column of the referenced
// column's type.
struct ThroughKey {
    Oid source;
    AttrNumber source_key;
    AttrNumber referencing;
    Oid target;
    AttrNumber referenced;
    Oid source_index = InvalidOid;  // resolve_through_key
    Oid target_index = InvalidOid;
};
// Sets the indexes for keys of `key_type` (InvalidOid where there is none), once per shape.
void resolve_through_key(ThroughKey& through, Oid key_type);
std::optional<SingleValue> fetch_through_key(const ThroughKey& through, Datum key_value);

}  // namespace data_bridge::pg
