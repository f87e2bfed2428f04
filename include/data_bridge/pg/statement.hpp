// Statements run through SPI, the one home for them: their parameters, the prepared plans kept
// for the life of the backend (keyed by statement text and parameter types, so repeated calls
// with the same shape skip parsing and planning) and running them. A kept plan is re-validated
// by PostgreSQL itself when the tables it uses change; the text names tables by their current
// schema-qualified names, so a rename simply leads to a new entry.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// The parameters of one statement, numbered from $1 in the order they are added.
struct Parameters {
    std::vector<Oid> types;
    std::vector<Datum> values;
    std::vector<char> nulls;  // SPI's convention: ' ' present, 'n' NULL

    // Adds a parameter and returns its placeholder, "$n".
    std::string add(Oid type, Datum value, bool is_null);
};

// How a kept plan treats its parameters: PostgreSQL's choice; always the one generic plan (never
// re-planned for the values at hand); or always planned for the values (Citus routes a statement
// to one shard only when it sees the distribution column's value).
enum class PlanChoice { kAuto, kGeneric, kCustom };
SPIPlanPtr cached_plan(const std::string& sql, const std::vector<Oid>& parameter_types,
                       PlanChoice choice = PlanChoice::kAuto);

// The memory the rows of one call may take (data_bridge.max_load_size), counted as each row
// arrives, so a runaway load stops before it holds much more: each row's bytes (compressed and
// out-of-line values at their full size) and an estimate of its rendering, kRenderedColumnBytes
// for each column (a key and value pair of the result, as JsonbValues, and their text).
struct ReadBudget {
    static constexpr int64 kRenderedColumnBytes = 96;
    int64 limit_bytes = -1;  // -1: no limit
    int64 used_bytes = 0;
    bool limited() const { return limit_bytes >= 0; }
    // Adds bytes; 54000 past the limit.
    void charge(int64 bytes);
};

// Runs a cached plan (SPI must be connected); returns SPI_processed. With a limited budget, each
// row is charged to it as the row arrives, and the statement stops with 54000 past the limit.
uint64 execute_plan(SPIPlanPtr plan, const std::vector<Datum>& values,
                    const std::vector<char>& nulls, bool read_only, long row_limit = 0,
                    ReadBudget* budget = nullptr);

// The same for a kept generic plan (PlanChoice::kGeneric) that probes `probed_table` once per key
// of an array (a LATERAL subquery per parent key) by an index leading with `probed_column`: when
// the plan is (re)built here and the table has a few rows per key (few_rows_per_key), it is built
// with bitmap scans off, unless the caller turned bitmap or index scans off. A bitmap heap scan
// builds a TID bitmap and looks up its table's size on every rescan, which the planner does not
// cost: for a few rows per key that is most of each probe (a quarter of a 2,000-post page's
// comments statement); the index scan reads the same rows. Only the planning sees the setting.
// Like any kept plan, the plan stays until PostgreSQL invalidates it (an ANALYZE does).
uint64 execute_key_probes(SPIPlanPtr plan, const std::vector<Datum>& values,
                          const std::vector<char>& nulls, long row_limit, ReadBudget* budget,
                          Oid probed_table, const std::string& probed_column);

// The same for a kept generic plan that reads the rows of every key of an array at once (`= ANY`
// the array $key_param, Batch::keyset_sql) from a table with a btree of the key type's default
// operator class leading with the key column. Its generic plan is revalidated (and if need be
// built) on every call with sequential and bitmap scans off (PostgreSQL re-plans a kept plan on
// its own too: another search_path or role, a change that arrived while waiting for a lock), and
// runs only when it is an index scan taking the array whole on the index's first column
// (reads_keys_by_index): any other plan compares each row it reads with every key in turn
// (PostgreSQL hashes a constant array, not a parameter), and a generic plan guesses ten keys.
// The locks taken stay until the transaction ends, so the execution takes the plan checked.
// Returns false, having run nothing, when the plan is another: the caller probes key by key.
bool execute_key_set(SPIPlanPtr plan, const std::vector<Datum>& values,
                     const std::vector<char>& nulls, int key_param, long row_limit,
                     ReadBudget* budget, uint64* processed);

// Whether execute_key_set may read `table`: index scans not turned off by the caller, and no
// row-level security (a policy's condition may take the plan to another index, where the keys
// would be compared row by row).
bool key_set_possible(Oid table);

// Adds rows already read (a cursor's chunk) to the budget: 54000 past the limit.
void charge_rows(ReadBudget* budget, const SPITupleTable* table, uint64 count);

// A read-only cursor over a cached plan, kept across SPI connections until the transaction
// ends or it is closed. Its portal has a random name and is not listed in pg_cursors, so a
// client can neither read it nor put a cursor of its own in its place between the calls that
// fetch from it; its identity (address and creation time) and row type are checked on every
// fetch all the same.
struct OpenCursor {
    std::string name;
    const void* portal = nullptr;
    int64 created = 0;
    std::vector<Oid> column_types;
};
OpenCursor open_cursor(SPIPlanPtr plan, const std::vector<Datum>& values,
                       const std::vector<char>& nulls);
// How many rows it fetched into `table` (the caller's to free, or SPI_finish's); 24000 when the
// cursor was closed or replaced.
uint64 fetch_cursor(const OpenCursor& cursor, long count, SPITupleTable** table);
void close_cursor(const OpenCursor& cursor);

// How many plans are cached and how many were prepared since the backend started, for tests.
struct PlanCacheStats {
    long entries;
    long prepared;
    long hits;
};
PlanCacheStats plan_cache_stats();

// The memory the kept plans take: each plan's contexts (its parse and query trees, its generic
// plan), as PostgreSQL allocated them.
int64 kept_plan_bytes();

struct SingleValue {
    Datum value;
    bool is_null;       // no row, or a NULL
    bool more = false;  // a second row came (only looked for when asked)
};

// Runs a statement once, planned for this call and not kept: for a statement of a failure path
// that names no table, whose kept plan PostgreSQL would not invalidate when the table changes.
// Returns the row count; the rows are freed at once (such statements run in loops of
// subtransactions, and each one that aborts walks SPI's list of kept row tables).
uint64 execute_once(const std::string& sql, const Parameters& parameters, bool read_only);

// Connects SPI, runs the statement with a plan cached across calls, copies the first column of
// the first row out of SPI's memory, and disconnects. `look_for_more`: reads a second row too,
// to tell whether there was one (SingleValue::more).
SingleValue query_single_value(const std::string& sql, const Parameters& parameters, bool read_only,
                               PlanChoice choice = PlanChoice::kAuto, bool look_for_more = false);

// The function's result from a single value: the value, or SQL NULL.
inline Datum value_or_null(FunctionCallInfo fcinfo, const SingleValue& result) {
    if (result.is_null)
        PG_RETURN_NULL();
    return result.value;
}

}  // namespace data_bridge::pg
