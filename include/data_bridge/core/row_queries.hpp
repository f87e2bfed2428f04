// SQL for reading rows of one table as JSON and writing them from JSON: lazy loading, back
// references and inserts. Identifiers arrive quoted by the PostgreSQL layer; values are always
// parameters ($1, $2, ...), never text in the statement.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/json_value.hpp"
#include "data_bridge/core/sql_text.hpp"

namespace data_bridge {

struct OrderTerm {
    std::string column;  // unquoted, as the user wrote it
    bool descending = false;
};

// order_by as users write it: "col", ["col", "DESC"], or a list of those. `path` names the place
// in errors (e.g. "order_by"). Throws Error 22023.
std::vector<OrderTerm> parse_order_by(const JsonValue& value, const std::string& path);

// Throws Error 22023 "<what> must not be negative".
void check_not_negative(long long value, const std::string& what);

// A key object's values as text, in the order of `key_columns`, when it names exactly those
// columns with a string, number or boolean each; nothing otherwise (the planning path then says
// what is wrong). Lets a remembered call bind the values a planned one would.
std::optional<std::vector<std::string>> key_object_texts(
    const std::vector<std::string>& key_columns, const JsonValue& id);

// The shape of a key object: the names it gives (in any order), for a remembered call's key.
std::string key_object_shape(const JsonValue& id);

struct QuotedOrder {
    std::string column;  // quoted
    bool descending = false;
};

// SELECT to_jsonb(t) FROM table t WHERE ...
std::string select_one_row_sql(const std::string& table, const std::vector<KeyMatch>& key);

// SELECT to_jsonb(t) FROM source s JOIN target t ON <join> WHERE s.key = $1; each join match
// compares a target column with "s.<source column>".
std::string follow_key_sql(const std::string& source_table, const std::vector<KeyMatch>& source_key,
                           const std::string& target_table, const std::vector<KeyMatch>& join);

// The rows of `table` matching `match`, ordered, with LIMIT $n / OFFSET $m, as one jsonb array
// (`first_only`: the first row as an object instead, or NULL).
std::string matching_rows_sql(const std::string& table, const KeyMatch& match,
                              const std::vector<QuotedOrder>& order, const std::string& limit_param,
                              const std::string& offset_param, bool first_only);

std::string count_rows_sql(const std::string& table, const KeyMatch& match);

// Back references through a junction: the rows of `table` (alias t) that some row of `junction`
// (alias j) meeting every one of `junction_matches` points at — the link columns compared with
// "t.<column>", the value with $1 — each row once, ordered, with LIMIT $n / OFFSET $m, as one
// jsonb array; or their count.
std::string linked_rows_sql(const std::string& table, const std::string& junction,
                            const std::vector<KeyMatch>& junction_matches,
                            const std::vector<QuotedOrder>& order, const std::string& limit_param,
                            const std::string& offset_param);
std::string count_linked_rows_sql(const std::string& table, const std::string& junction,
                                  const std::vector<KeyMatch>& junction_matches);

// Objects become rows through jsonb_populate_record(set) over a base record, the last parameter:
// a row of the table's type with every column NULL (pg::add_empty_row). Columns an object leaves
// out keep the base's NULL unconverted, and are not inserted; with a NULL base, every one of
// them would be converted from NULL, and a NOT NULL domain would refuse it where the INSERT
// fills it from its default. No type is named: none needs its schema's USAGE.

// Converts one column's values of the jsonb array $1 (the key named by $2; only the objects
// that give it) to the table's row type ($3, the base), and only that: which column a failed
// insert's data error came from.
std::string convert_column_sql(const std::string& quoted_column);

// INSERT INTO table (cols) SELECT ... FROM the jsonb array $1 ... RETURNING to_jsonb(row): every
// row in array order (base $2), or (filter_positions) only those at the 1-based positions in $2
// (base $3).
std::string insert_rows_sql(const std::string& table, const std::vector<std::string>& columns,
                            bool filter_positions);

}  // namespace data_bridge
