// SQL for fetch_with_relations(): one statement that renders the rows and, nested inside each
// row, its related rows, as jsonb. Built from a resolved plan whose identifiers and JSON keys the
// PostgreSQL layer has already checked and quoted; values are parameters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/row_queries.hpp"

namespace data_bridge {

struct EagerRelation;

// One table in the tree, with the alias its conditions use.
struct EagerLevel {
    std::string table;                    // qualified, quoted
    std::string alias;                    // t0, t1, ...
    std::vector<std::string> conditions;  // ANDed; include the join to the parent
    std::vector<QuotedOrder> order;       // unaliased columns, quoted
    std::string limit_param;              // "$n" or "" for none
    std::string offset_param;             // "$n" or "" for none
    // select_columns: (quoted JSON key literal, quoted column); empty optional: every column.
    std::optional<std::vector<std::pair<std::string, std::string>>> columns;
    std::vector<EagerRelation> relations;
};

enum class EagerShape { kObject, kArray, kCount };

struct EagerRelation {
    std::string key_literal;  // the relation name as a quoted SQL literal
    EagerShape shape = EagerShape::kObject;
    EagerLevel level;
    std::size_t join_count = 0;  // the first conditions of `level` join it to the parent
    // right/full join (top level only): related rows that no parent row of the answer matches
    // are appended to the array as {"<name>": <row>}.
    bool keeps_unmatched = false;
};

// The jsonb expression of one row of `level`, its relations nested.
std::string row_document_sql(const EagerLevel& level);

// The statement: a jsonb array of the rows of `root` (`as_array`), or the single row's object.
// With right/full relations the page of root rows is computed once (WITH page), rendered, and
// followed by the unmatched related rows of each such relation, in their own order.
std::string eager_statement_sql(const EagerLevel& root, bool as_array);

}  // namespace data_bridge
