// Batched eager loading: one statement per level of the relation tree instead of one statement
// that nests every level inside the one above. A level's statement receives the join keys of
// every row of its parent level at once, as arrays, and returns its rows tagged with the number
// of the parent row they belong to, so the executor attaches them without any lookup. A
// relation that gives at most one row (many-to-one, one-to-one), or a count, is joined into the
// statement of the level above instead of taking a statement of its own. Rows come back as plain
// columns and are turned into one jsonb value at the end, so no row is encoded as jsonb more than
// once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data_bridge/core/eager_sql.hpp"
#include "data_bridge/core/error.hpp"

namespace data_bridge {

// A result column rows are ordered by.
struct SortColumn {
    int column = -1;  // 0-based
    bool descending = false;
};

// One key of a rendered row: a column of the statement's result, a relation loaded by another
// batch, or a relation joined into this one.
struct BatchField {
    std::string key;
    int column = -1;     // result column (0-based) holding the value
    int child = -1;      // or: the batch whose rows are the value
    int object = -1;     // or: the object of this batch that is the value
    bool count = false;  // the column is a relation's count (bigint)
    bool jsonb = false;  // the column is a relation's aggregate, as jsonb (NULL: JSON null)
    // `object` is the first of a chain of objects each holding the next under this key (a
    // recursive many-to-one relation): rendered as the array of them, nearest first.
    bool chain = false;
    int recursion = 0;  // a relation continuing this recursion (EagerLevel::recursion)
    bool mark = false;  // the recursion's cycle mark: true on a repeated row, absent otherwise
    // The value (an object: a joined row, or a child batch's one row) is listed once in the
    // result's "shared" list named `key`, and rendered here as its place in that list.
    bool shared = false;
};

// An object a result row renders: the batch's own row (objects[0]), or a row joined into it.
struct BatchObject {
    int present_column = -1;              // joined rows: NULL when there is none
    std::vector<RenderedColumn> columns;  // rendered, in result order from first_column
    int first_column = 0;
    std::vector<BatchField> fields;  // in jsonb's key order
    // Cycle checks: per recursion, the result columns holding the row's identity; the recursion
    // the row is a level of (0: none); for a joined row, the object holding it.
    std::vector<std::pair<int, std::vector<int>>> identities;
    int recursion = 0;
    int holder = -1;
};

struct Batch {
    std::string sql;
    int parent = -1;         // the batch holding the parent rows; -1 for the top level
    int parent_object = -1;  // the object of the parent batch whose relation this is
    // How the rows attach to a parent row: kArray or kObject (at the top: a list, or one row).
    EagerShape shape = EagerShape::kArray;
    // Result columns of the parent batch sent as key arrays ($n+1, ...), and their types.
    std::vector<int> parent_key_columns;
    std::vector<std::uint32_t> key_types;
    // Below the top, column 0 is the parent row's number (1-based). Each object's columns
    // follow: its rendered columns, then the key columns its relations join on (and a count
    // column per counted relation). The statement does not sort: where the rows' order matters and
    // is not the statement's own, order_column holds each row's place (among its parent's rows, or
    // at the top) and the executor orders them.
    std::vector<BatchObject> objects;
    int order_column = -1;
    // Or, for the rows of a relation without a page of its own that renders every column it is
    // ordered by: each parent's rows are ordered by the executor, comparing these result columns
    // as the statement's ORDER BY would (the type's default ordering, the column's collation,
    // NULLs last ascending and first descending). One sort per parent key in the statement
    // costs more than the probes.
    std::vector<SortColumn> sort_columns;
    // Run once per tenant of the parent rows (EagerRelation::per_tenant), the parents of one
    // tenant at a time: parent_key_columns[tenant_key] holds each parent's tenant. After its key
    // arrays the statement takes the parent rows' numbers (bigint[], 1-based), then the tenant.
    bool per_tenant = false;
    int tenant_key = -1;
    // EagerRelation::index_probes, probe_table and probe_column.
    bool index_probes = false;
    std::uint32_t probe_table = 0;
    std::string probe_column;
    // The same rows for parents whose keys are all distinct (EagerRelation::keys_matched_by_value):
    // one scan for every key (`= ANY` of the key array), column 0 the row's join key rather than
    // its parent's number; the executor finds the parent by the key's value. "": probe by key.
    std::string keyset_sql;
    // A per-tenant relation's count or aggregate (shape kCount or kAggregate): one row per parent
    // of a tenant, the parent's number and then the value; a parent without a tenant gets the value
    // over no rows, 0 for a count, for an aggregate what empty_sql returns. When no parent has a
    // tenant, empty_sql runs all the same, so the caller's rights on the table are checked as in
    // SQL.
    std::string empty_sql;
};

// Whether the batch holds a per-tenant relation's count or aggregate rather than rows.
bool is_values_batch(const Batch& batch);

// The error of a load that would render more than data_bridge.max_rows rows.
Error eager_row_budget_exceeded(long limit);

// jsonb's order of object keys: shorter first, then bytewise.
bool jsonb_key_less(const std::string& a, const std::string& b);

// Groups a batch's rows by parent row: `parents[i]` is row i's parent (0-based, below
// parent_count), `places[i]` its place among its parent's rows (null: keep arrival order). Fills
// `starts` (parent_count + 1 entries: parent p owns order[starts[p] .. starts[p + 1])) and `order`
// (count row numbers). Allocates nothing and cannot throw, so PostgreSQL-facing code may call it
// between PostgreSQL calls.
void group_by_parent(const std::uint64_t* parents, const std::int64_t* places, std::size_t count,
                     std::size_t parent_count, std::uint64_t* starts,
                     std::uint64_t* order) noexcept;

// A single-column key's value as two words (an integer's, a uuid's 16 bytes), for matching a
// related row's join key to its parent's by value (Batch::keyset_sql).
struct KeyImage {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
};
struct KeyedParent {
    KeyImage key;
    std::uint64_t parent = 0;  // the parent row (0-based)
};

// Sorts `parents` by key; false when two share a key (a related row would belong to both: the
// batch then probes key by key). Allocates nothing and cannot throw.
bool sort_parents_by_key(KeyedParent* parents, std::size_t count) noexcept;

// The parent of the row with key `key` in `parents` (sorted by sort_parents_by_key), or -1.
std::int64_t parent_with_key(const KeyedParent* parents, std::size_t count, KeyImage key) noexcept;

// The top batch's statement for reading its rows through a cursor: in their order (the
// statement alone leaves that to the executor when rows are joined into it).
std::string streamed_top_sql(const Batch& top);

// The batches of a tree, parents before children. `spec_parameters`: how many parameters the
// spec's own values take ($1 .. $n); each batch's key arrays follow them. `as_array`: the top
// level is a list (ordered, paged) rather than one row. Right and full joins are not batched.
// `statement_sorts`: every batch's statement orders its rows itself (no sort_columns; Citus runs
// the statements, and keeps to the forms it was tested with).
std::vector<Batch> eager_batches(const EagerLevel& root, bool as_array, std::size_t spec_parameters,
                                 bool statement_sorts = false);

}  // namespace data_bridge
