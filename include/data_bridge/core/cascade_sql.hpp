// SQL text of cascade deletes and of delete_plan's walk. Identifiers arrive quoted (and tables
// schema-qualified) from the PostgreSQL layer; values are always parameters.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/sql_text.hpp"

namespace data_bridge {

// A table as the walk reads it: quoted and qualified, and whether rows of its inheritance
// children are its own (a partitioned table, or the root as DELETE FROM sees it) or not (ONLY).
struct WalkTable {
    std::string name;
    bool with_children = false;
};

// SELECT alias.tableoid, alias.ctid, alias.<columns> FROM [ONLY] table AS alias WHERE condition
std::string walk_rows_sql(const WalkTable& table, const std::string& alias,
                          const std::vector<std::string>& columns, const std::string& condition);

// SELECT DISTINCT t.column FROM table AS t WHERE condition: the tenants of the root rows.
std::string distinct_values_sql(const std::string& table, const std::string& column,
                                const std::string& condition);

// The rows among tids $1 still there: SELECT t.tableoid, t.ctid FROM table AS t WHERE t.ctid =
// ANY ($1) AND condition (with its children: the caller matches the rows by tableoid too).
std::string surviving_rows_where_sql(const std::string& table, const std::string& condition);

// SELECT t.<key columns> FROM table AS t WHERE condition: the caller's choice of root rows.
std::string root_keys_sql(const std::string& table, const std::vector<std::string>& key_columns,
                          const std::string& condition);

// DELETE FROM table AS t WHERE <key>: the caller's own DELETE.
std::string delete_rows_sql(const std::string& table, const std::vector<KeyMatch>& key);

// On Citus, the counts a worker keeps of this transaction's deletes from the tenant's shards
// (`shards`, a text[] placeholder; data_bridge_internal._transaction_deleted_rows) and the
// worker backend's pid: a statement over the root table's rows of the tenant (`tenant_condition`
// of alias t), so Citus routes it to the tenant's worker, in the connection that runs the
// tenant's DELETE. One row: deleted, backend, present.
std::string worker_deletes_sql(const std::string& table, const std::string& tenant_condition,
                               const std::string& shards);

// The caller's DELETE, telling the tenant of each row it deleted:
// DELETE FROM table AS t WHERE <key> RETURNING t.<tenant column>
std::string delete_returning_tenants_sql(const std::string& table, const std::vector<KeyMatch>& key,
                                         const std::string& tenant_column);

// The caller's DELETE of one tenant's rows with the worker's counts read just before it, in one
// statement Citus sends whole to the worker: WITH before AS MATERIALIZED (worker_deletes_sql),
// gone AS (DELETE FROM table AS t WHERE <key> RETURNING 1) SELECT deleted, backend, roots.
std::string counted_tenant_delete_sql(const std::string& table, const std::vector<KeyMatch>& key,
                                      const std::string& tenant_condition,
                                      const std::string& shards);

// The rows among tids $1 still there: SELECT t.tableoid, t.ctid FROM ONLY leaf AS t WHERE ...
std::string surviving_rows_sql(const std::string& leaf);

// One referencing column of a foreign key, matched against an array parameter of the referenced
// values: its quoted name, the equality operator to compare with, and the type the values are
// converted to first ("" to compare them as they are).
struct ReferencingColumn {
    std::string quoted;
    std::string equals;
    std::string type;
    std::string values;      // the array parameter, "$n"
    bool row_value = false;  // of a row type (see array_rows_sql)
};

// The rows of alias "c" that reference one of the given key values: c.col = ANY (...) for one
// column, a match against the unnested arrays for several.
std::string referencing_condition(const std::vector<ReferencingColumn>& columns);

// Every row reached from the rows matching `condition` through a self-reference, however deep,
// in one WITH RECURSIVE statement. `columns` are what the next level matches (as in
// walk_rows_sql); `join` compares each referencing column with the position of the referenced
// one in `columns` (1-based).
struct SelfJoin {
    std::string referencing;  // quoted column
    std::string equals;
    std::size_t referenced_position;
    std::string convert_to;  // the referencing column's type, or "" to compare as it is
};
std::string closure_rows_sql(const WalkTable& table, const std::vector<std::string>& columns,
                             const std::vector<SelfJoin>& join, const std::string& condition);

}  // namespace data_bridge
