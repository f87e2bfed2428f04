// SQL for fetch_with_relations(): one statement that renders the rows and, nested inside each
// row, its related rows, as jsonb. Built from a resolved plan whose identifiers and JSON keys the
// PostgreSQL layer has already checked and quoted; values are parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data_bridge/core/eager_spec.hpp"
#include "data_bridge/core/row_queries.hpp"

namespace data_bridge {

struct EagerRelation;

// A column of a rendered row.
struct RenderedColumn {
    std::string name;         // the JSON key (the column's name, unquoted)
    std::string quoted;       // the column, quoted
    std::string key_literal;  // the name as a quoted SQL literal (the single statement's key)
    std::uint32_t type = 0;   // its type (an Oid; opaque here)
    // Rendered by SQL's to_jsonb: a type the batched executor has no conversion of its own for.
    bool via_to_jsonb = false;
};

// The junction of a many-to-many level, joined into the level's FROM item: each related row
// comes once per junction row that points at it.
struct EagerThrough {
    std::string table;  // qualified, quoted
    std::string alias;
    std::vector<std::string> conditions;   // the junction's rows' join to the level's rows
    std::string key;                       // the JSON key of the junction columns rendered
    std::string key_literal;               // the same as a quoted SQL literal
    std::vector<RenderedColumn> rendered;  // through_columns; none: no key is added
};

// One table in the tree, with the alias its conditions use.
struct EagerLevel {
    std::string table;                    // qualified, quoted
    std::string alias;                    // t0, t1, ...
    EagerThrough through;                 // a many-to-many level: table set
    std::vector<std::string> conditions;  // ANDed; include the join to the parent
    std::string budget;                   // a row-budget condition checked last, or ""
    // Unaliased columns, quoted; or a parenthesized scalar subquery (a related value), used as
    // it is: a quoted identifier never starts with "(".
    std::vector<QuotedOrder> order;
    std::string limit_param;   // "$n", the top level's number itself, or "" for none
    std::string offset_param;  // "$n" or "" for none
    // What a row renders: every column, or the select_columns (without repeats, `selected`).
    std::vector<RenderedColumn> rendered;
    bool selected = false;
    std::vector<EagerRelation> relations;
    // Cycle checks of recursive relations: per recursion, the columns that identify a row (the
    // foreign key's referenced columns), quoted; on the recursion's levels and the level it
    // starts from.
    std::vector<std::pair<int, std::vector<std::string>>> identities;
    // A level of a recursive relation: the recursion's number (from 1; 0: none) and the key
    // that marks a row met again among its ancestors.
    int recursion = 0;
    std::string cycle_mark;
};

// One pair of columns that join a related table to its parent.
struct EagerJoinColumn {
    std::string child_column;       // quoted, of the related table (or of its junction)
    std::string child_alias;        // the junction's alias; "": the related table's
    std::string equals;             // OPERATOR(schema.=)
    std::string parent_column;      // quoted, of the parent table
    std::uint32_t parent_type = 0;  // the parent column's type (an Oid; opaque here)
    bool row_value = false;         // that type is a row type (see array_rows_sql)
};

// kCount: count(*) as a number; kAggregate: `aggregate` (a jsonb expression) of the related rows.
enum class EagerShape { kObject, kArray, kCount, kAggregate };

struct EagerRelation {
    std::string name;         // the relation name (its JSON key)
    std::string key_literal;  // the same as a quoted SQL literal
    EagerShape shape = EagerShape::kObject;
    EagerLevel level;
    std::size_t join_count = 0;         // the first conditions of `level` join it to the parent
    std::vector<EagerJoinColumn> join;  // the same join, column by column
    bool at_most_one = false;           // the related side is unique on the join columns
    // ... but only at commit (a DEFERRABLE unique constraint): a transaction may hold a duplicate
    // until then. Its rows are read two at most, not joined into the parent's statement, and a
    // second row is refused (21000), as a plain scalar subquery refuses it.
    bool unique_at_commit = false;
    // kObject: each distinct rendered row once, in the result's "shared" list of this name; the
    // relation's value is its place there (the batched executor only).
    bool shared = false;
    // The related table (probe_table, an Oid) has a btree or hash index leading with the join's
    // first column (probe_column, unquoted), and nothing of the level (a filter, an inner join's
    // EXISTS) may need a bitmap scan: its batch's per-key probes may be planned as index scans
    // when everything joined into its statement may too (see pg::execute_key_probes).
    bool index_probes = false;
    std::uint32_t probe_table = 0;
    std::string probe_column;
    // A table no index of which leads with the join column: without a per-parent page, the
    // parents' keys are joined to the related rows in one join PostgreSQL plans as it sees fit
    // (a hash join over one scan), not probed key by key (a scan of the table per key).
    bool keys_joined = false;
    // With index_probes, a plain table, a btree of the type's default operator class leading
    // with the single join column, of a type whose equality is that of the stored value
    // (integers, uuid; the same type on both sides): when the parents' keys are distinct, one
    // index scan reads every parent's rows (`= ANY` of the keys instead of a probe per key) and
    // the executor matches each row to its parent by the key.
    bool keys_matched_by_value = false;
    // kCount, kAggregate on such a table, the join columns of the parent's types: the values of
    // every parent come from one grouped scan joined on the key, not a scan per parent row.
    bool values_grouped = false;
    // right/full join (top level only): related rows that no parent row of the answer matches
    // are appended to the array as {"<name>": <row>}.
    bool keeps_unmatched = false;
    std::string aggregate;         // kAggregate: its SQL, from aggregate_sql()
    std::string value;             // kCount, kAggregate: the plain SQL value, for ordering by it
    std::uint32_t value_type = 0;  // kCount, kAggregate: the type of `value` (an Oid)
    // A recursive many-to-one relation rendered as the array of its rows, nearest first (each
    // without the key that nests the next).
    bool as_array = false;
    // Citus, a load across tenants: the related table is distributed and joined on its
    // distribution column (join[tenant_join]). Its rows load in a batch of their own, run once
    // per tenant of the parent rows with the tenant stated, so each statement stays on a shard.
    bool per_tenant = false;
    std::size_t tenant_join = 0;
};

// pg_catalog.to_jsonb(pg_catalog.sum(t1."total")): the aggregate as jsonb, rendered as to_jsonb
// renders its SQL result (NULL for sum/avg/min/max of no rows, 0 for counts). `column` is
// quoted, or "*" for count(*).
std::string aggregate_sql(const Aggregate& aggregate, const std::string& alias,
                          const std::string& column);
// The same without to_jsonb: pg_catalog.sum(t1."total").
std::string aggregate_call_sql(const Aggregate& aggregate, const std::string& alias,
                               const std::string& column);
// (SELECT value FROM table AS alias WHERE conditions …): a related row's value (a column of an
// at-most-one relation, or a count/aggregate) for the parent's ORDER BY.
std::string related_order_sql(const EagerRelation& relation, const std::string& quoted_column);

// The SELECT item of a relation joined into its parent as one value (count or aggregate).
std::string relation_value_sql(const EagerRelation& relation);

// The level's order as SQL terms ("t1.created DESC, t1.id"), "" when none.
std::string order_terms(const EagerLevel& level);

// " LIMIT $n OFFSET $m" for the level's page, "" when none.
std::string page_sql(const EagerLevel& level);

// child_alias.child_column = parent_alias.parent_column, with the child type's equality (the
// join's own child_alias, when set, in place of `child_alias`).
std::string join_condition_sql(const std::string& child_alias, const EagerJoinColumn& join,
                               const std::string& parent_alias);
// The join's related-side column, qualified: t1."post_id" (or the junction's t2."post_id").
std::string join_child_sql(const std::string& child_alias, const EagerJoinColumn& join);
// The level's FROM item: "table AS alias", and the junction joined to it for a many-to-many
// level.
std::string from_sql(const EagerLevel& level);
// EXISTS (SELECT 1 FROM table AS alias WHERE conditions): the level has a row.
std::string exists_sql(const EagerLevel& level);

// The jsonb expression of one row of `level`, its relations nested.
std::string row_document_sql(const EagerLevel& level);

// Whether a top-level relation is a right or full join (the load then needs the single
// statement below, which appends the related rows no parent matches).
bool has_unmatched_rows(const EagerLevel& root);

// One term of a keyset ("after") condition: the row's value of an order column against the
// value of the row the page starts after, NULLs placed as ORDER BY places them (last ascending,
// first descending).
struct KeysetTerm {
    std::string column;  // qualified: t0."created"
    bool descending = false;
    std::string value;                  // the typed parameter, CAST($n AS type); "" for NULL
    std::string less, greater, equals;  // OPERATOR(…) of the column's type
};
// The rows after the given one in the order of `terms`. `row_comparison`: every value is set,
// every column NOT NULL, every direction the same and every column's operator the first term's
// (one schema's, so that a qualified row comparison resolves for each), so one row comparison
// says it and an index on the columns can serve it.
std::string keyset_condition_sql(const std::vector<KeysetTerm>& terms, bool row_comparison);

// The statement: a jsonb array of the rows of `root` (`as_array`), or the single row's object.
// With right/full relations the page of root rows is computed once (WITH page), rendered, and
// followed by the unmatched related rows of each such relation, in their own order.
std::string eager_statement_sql(const EagerLevel& root, bool as_array);

}  // namespace data_bridge
