#include "data_bridge/core/cascade_sql.hpp"

#include <fmt/format.h>

namespace data_bridge {

namespace {

std::string from_sql(const WalkTable& table) {
    return (table.with_children ? "" : "ONLY ") + table.name;
}

std::string prefixed(const std::string& prefix, const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += ", " + prefix + item;
    return out;
}

}  // namespace

std::string walk_rows_sql(const WalkTable& table, const std::string& alias,
                          const std::vector<std::string>& columns, const std::string& condition) {
    return fmt::format("SELECT {a}.tableoid, {a}.ctid{cols} FROM {from} AS {a} WHERE {cond}",
                       fmt::arg("a", alias), fmt::arg("cols", prefixed(alias + ".", columns)),
                       fmt::arg("from", from_sql(table)), fmt::arg("cond", condition));
}

std::string root_keys_sql(const std::string& table, const std::vector<std::string>& key_columns,
                          const std::string& condition) {
    std::vector<std::string> selected;
    for (const auto& column : key_columns)
        selected.push_back("t." + column);
    return fmt::format("SELECT {} FROM {} AS t WHERE {}", fmt::join(selected, ", "), table,
                       condition);
}

std::string delete_rows_sql(const std::string& table, const std::vector<KeyMatch>& key) {
    return fmt::format("DELETE FROM {} AS t{}", table, where_clause("t", key));
}

std::string worker_deletes_sql(const std::string& table, const std::string& tenant_condition,
                               const std::string& shards) {
    // The aggregate gives one row, even when the tenant has no row left; the subquery reads at
    // most one row and names only the tenant's column (a system column would need SELECT on the
    // whole table, which the caller's DELETE does not).
    return fmt::format(
        "SELECT data_bridge_internal._transaction_deleted_rows({}) AS deleted, "
        "pg_catalog.pg_backend_pid() AS backend, pg_catalog.count(*) AS present "
        "FROM (SELECT FROM {} AS t WHERE {} LIMIT 1) AS s",
        shards, table, tenant_condition);
}

std::string delete_returning_tenants_sql(const std::string& table, const std::vector<KeyMatch>& key,
                                         const std::string& tenant_column) {
    return delete_rows_sql(table, key) + " RETURNING t." + tenant_column;
}

std::string counted_tenant_delete_sql(const std::string& table, const std::vector<KeyMatch>& key,
                                      const std::string& tenant_condition,
                                      const std::string& shards) {
    // The counts are read as the CTE scan's row is fetched; the DELETE runs when the row's
    // projection first needs its count: after the reading, in the same worker statement.
    return fmt::format(
        "WITH before AS MATERIALIZED ({}), gone AS ({} RETURNING 1) "
        "SELECT b.deleted, b.backend, (SELECT pg_catalog.count(*) FROM gone) AS roots "
        "FROM before AS b",
        worker_deletes_sql(table, tenant_condition, shards), delete_rows_sql(table, key));
}

std::string surviving_rows_sql(const std::string& leaf) {
    return fmt::format(
        "SELECT t.tableoid, t.ctid FROM ONLY {} AS t WHERE t.ctid OPERATOR(pg_catalog.=) ANY ($1)",
        leaf);
}

std::string distinct_values_sql(const std::string& table, const std::string& column,
                                const std::string& condition) {
    return fmt::format("SELECT DISTINCT t.{} FROM {} AS t WHERE {}", column, table, condition);
}

std::string surviving_rows_where_sql(const std::string& table, const std::string& condition) {
    return fmt::format(
        "SELECT t.tableoid, t.ctid FROM {} AS t WHERE t.ctid OPERATOR(pg_catalog.=) ANY ($1) AND "
        "{}",
        table, condition);
}

std::string referencing_condition(const std::vector<ReferencingColumn>& columns) {
    std::vector<KeyMatch> matches;
    if (columns.size() == 1) {
        const ReferencingColumn& only = columns[0];
        matches.push_back({only.quoted, only.equals, any_value_sql(only.values, only.type)});
        return conditions("c", matches);
    }
    std::vector<std::string> arrays, names;
    bool row_values = false;
    for (std::size_t i = 0; i < columns.size(); i++) {
        const ReferencingColumn& column = columns[i];
        arrays.push_back(column.values);
        names.push_back(fmt::format("v{}", i + 1));
        row_values = row_values || column.row_value;
        matches.push_back(
            {column.quoted, column.equals, value_sql(fmt::format("k.v{}", i + 1), column.type)});
    }
    return fmt::format("EXISTS (SELECT 1 FROM {} WHERE {})",
                       array_rows_sql(arrays, names, "", "k", row_values),
                       conditions("c", matches));
}

std::string closure_rows_sql(const WalkTable& table, const std::vector<std::string>& columns,
                             const std::vector<SelfJoin>& join, const std::string& condition) {
    std::vector<std::string> names, terms;
    for (std::size_t i = 0; i < columns.size(); i++)
        names.push_back(fmt::format("v{}", i + 1));
    for (const SelfJoin& pair : join) {
        terms.push_back(fmt::format(
            "c.{} {} {}", pair.referencing, pair.equals,
            value_sql(fmt::format("r.v{}", pair.referenced_position), pair.convert_to)));
    }
    std::string list = prefixed("c.", columns);
    std::string from = from_sql(table);
    return fmt::format(
        "WITH RECURSIVE reached(t_oid, t_ctid{names}) AS ("
        "SELECT c.tableoid, c.ctid{list} FROM {from} AS c WHERE {cond} "
        // The recursive step probes the key once per reached row (OFFSET 0 keeps the planner
        // from turning it into a join that scans the whole table at every level).
        "UNION SELECT n.* FROM reached AS r CROSS JOIN LATERAL ("
        "SELECT c.tableoid, c.ctid{list} FROM {from} AS c WHERE {join} OFFSET 0) AS n) "
        "SELECT * FROM reached",
        fmt::arg("names", prefixed("", names)), fmt::arg("list", list), fmt::arg("from", from),
        fmt::arg("cond", condition), fmt::arg("join", fmt::join(terms, " AND ")));
}

}  // namespace data_bridge
