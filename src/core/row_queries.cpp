#include "data_bridge/core/row_queries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>
#include <cctype>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

namespace {

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

bool is_direction(const JsonValue& value) {
    if (!value.is_string())
        return false;
    std::string word = upper(value.text);
    return word == "ASC" || word == "DESC";
}

[[noreturn]] void bad_order(const std::string& path, const std::string& why) {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid {}", path), why,
                "Write order_by as \"column\", [\"column\", \"DESC\"], or a list of these.");
}

OrderTerm order_term(const JsonValue& value, const std::string& path) {
    if (value.is_string()) {
        if (value.text.empty())
            bad_order(path, "A column name is empty.");
        return {value.text, false};
    }
    if (value.is_array() && value.elements.size() == 2 && value.elements[0].is_string() &&
        is_direction(value.elements[1])) {
        if (value.elements[0].text.empty())
            bad_order(path, "A column name is empty.");
        return {value.elements[0].text, upper(value.elements[1].text) == "DESC"};
    }
    bad_order(path, fmt::format("Expected a column name or [column, direction], found {}.",
                                json_kind_phrase(value.kind)));
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
    return fmt::format("{}", fmt::join(parts, separator));
}

std::string order_clause(const std::string& alias, const std::vector<QuotedOrder>& order) {
    std::vector<std::string> terms;
    for (const auto& term : order) {
        terms.push_back(fmt::format("{}.{}{}", alias, term.column, term.descending ? " DESC" : ""));
    }
    return terms.empty() ? std::string() : " ORDER BY " + joined(terms, ", ");
}

}  // namespace

std::vector<OrderTerm> parse_order_by(const JsonValue& value, const std::string& path) {
    if (value.is_null())
        return {};
    if (value.is_string())
        return {order_term(value, path)};
    if (!value.is_array()) {
        bad_order(path, fmt::format("Expected a string or an array, found {}.",
                                    json_kind_phrase(value.kind)));
    }
    // ["col", "DESC"] is one term; anything else is a list of terms.
    if (value.elements.size() == 2 && value.elements[0].is_string() &&
        is_direction(value.elements[1])) {
        return {order_term(value, path)};
    }
    std::vector<OrderTerm> terms;
    std::unordered_set<std::string> ordered;
    for (std::size_t i = 0; i < value.elements.size(); i++) {
        OrderTerm term = order_term(value.elements[i], fmt::format("{}[{}]", path, i));
        // A column ordered again orders nothing (as in ORDER BY a, a): left out, so that a page
        // cursor holds one value per column and a repeated term is one sort column.
        if (ordered.insert(term.column).second)
            terms.push_back(std::move(term));
    }
    return terms;
}

void check_not_negative(long long value, const std::string& what) {
    if (value < 0) {
        throw Error(sqlstate::kInvalidParameterValue, fmt::format("{} must not be negative", what),
                    fmt::format("The {} given is {}.", what, value));
    }
}

std::optional<std::vector<std::string>> key_object_texts(
    const std::vector<std::string>& key_columns, const JsonValue& id) {
    if (!id.is_object() || id.members.size() != key_columns.size())
        return std::nullopt;
    std::vector<std::string> texts;
    for (const std::string& column : key_columns) {
        const JsonValue* value = id.find(column);
        if (value == nullptr || value->is_null() || value->is_array() || value->is_object())
            return std::nullopt;
        texts.push_back(value->text);
    }
    return texts;
}

std::string key_object_shape(const JsonValue& id) {
    std::vector<std::string> names;
    for (const auto& member : id.members)
        names.push_back(member.first);
    std::sort(names.begin(), names.end());
    std::string shape = "k[";
    for (const std::string& name : names)
        shape += std::to_string(name.size()) + ":" + name;  // length first: any name is safe
    return shape + "]";
}

std::string select_one_row_sql(const std::string& table, const std::vector<KeyMatch>& key) {
    return fmt::format("SELECT pg_catalog.to_jsonb(t.*) FROM {} AS t{}", table,
                       where_clause("t", key));
}

std::string follow_key_sql(const std::string& source_table, const std::vector<KeyMatch>& source_key,
                           const std::string& target_table, const std::vector<KeyMatch>& join) {
    return fmt::format("SELECT pg_catalog.to_jsonb(t.*) FROM {} AS s JOIN {} AS t ON {}{}",
                       source_table, target_table, conditions("t", join),
                       where_clause("s", source_key));
}

std::string matching_rows_sql(const std::string& table, const KeyMatch& match,
                              const std::vector<QuotedOrder>& order, const std::string& limit_param,
                              const std::string& offset_param, bool first_only) {
    std::string filtered = fmt::format("SELECT * FROM {} AS t{}{}", table,
                                       where_clause("t", {match}), order_clause("t", order));
    if (first_only) {
        return fmt::format("{} LIMIT 1 OFFSET {}",
                           fmt::format("SELECT pg_catalog.to_jsonb(t.*) FROM {} AS t{}{}", table,
                                       where_clause("t", {match}), order_clause("t", order)),
                           offset_param);
    }
    return fmt::format(
        "SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t.*){}), "
        "'[]'::pg_catalog.jsonb) FROM ({} LIMIT {} OFFSET {}) AS t",
        order_clause("t", order), filtered, limit_param, offset_param);
}

std::string count_rows_sql(const std::string& table, const KeyMatch& match) {
    return fmt::format("SELECT pg_catalog.count(*) FROM {} AS t{}", table,
                       where_clause("t", {match}));
}

namespace {

// A semi-join: each row of t once, however many junction rows point at it.
std::string linked_rows_from(const std::string& table, const std::string& junction,
                             const std::vector<KeyMatch>& junction_matches) {
    return fmt::format("{} AS t WHERE EXISTS (SELECT 1 FROM {} AS j{})", table, junction,
                       where_clause("j", junction_matches));
}

}  // namespace

std::string linked_rows_sql(const std::string& table, const std::string& junction,
                            const std::vector<KeyMatch>& junction_matches,
                            const std::vector<QuotedOrder>& order, const std::string& limit_param,
                            const std::string& offset_param) {
    return fmt::format(
        "SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t.*){}), "
        "'[]'::pg_catalog.jsonb) FROM (SELECT * FROM {}{} LIMIT {} OFFSET {}) AS t",
        order_clause("t", order), linked_rows_from(table, junction, junction_matches),
        order_clause("t", order), limit_param, offset_param);
}

std::string count_linked_rows_sql(const std::string& table, const std::string& junction,
                                  const std::vector<KeyMatch>& junction_matches) {
    return "SELECT pg_catalog.count(*) FROM " + linked_rows_from(table, junction, junction_matches);
}

std::string insert_rows_sql(const std::string& table, const std::vector<std::string>& columns,
                            bool filter_positions) {
    std::vector<std::string> selected;
    for (const auto& column : columns)
        selected.push_back("r." + column);
    // With no column at all, every column takes its default: an INSERT of a zero-column SELECT
    // fills each column from its default.
    std::string column_list = columns.empty() ? "" : " (" + joined(columns, ", ") + ")";
    std::string select_list = joined(selected, ", ");
    if (!filter_positions) {
        // Every row of the array: one set-returning call, rows in array order.
        return fmt::format(
            "INSERT INTO {table} AS ins{cols} SELECT {select} "
            "FROM pg_catalog.jsonb_populate_recordset($2, $1) AS r "
            "RETURNING pg_catalog.to_jsonb(ins.*)",
            fmt::arg("table", table), fmt::arg("cols", column_list),
            fmt::arg("select", select_list));
    }
    // Only the rows at positions $2 (1-based), in array order.
    return fmt::format(
        "INSERT INTO {table} AS ins{cols} SELECT {select} "
        "FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(doc, position) "
        "CROSS JOIN LATERAL pg_catalog.jsonb_populate_record($3, e.doc) AS r "
        "WHERE e.position OPERATOR(pg_catalog.=) ANY ($2) ORDER BY e.position "
        "RETURNING pg_catalog.to_jsonb(ins.*)",
        fmt::arg("table", table), fmt::arg("cols", column_list), fmt::arg("select", select_list));
}

std::string convert_column_sql(const std::string& quoted_column) {
    return fmt::format(
        "SELECT pg_catalog.count(r.{col}) FROM pg_catalog.jsonb_array_elements($1) AS e(doc) "
        "CROSS JOIN LATERAL pg_catalog.jsonb_populate_record($3, "
        "pg_catalog.jsonb_build_object($2, e.doc OPERATOR(pg_catalog.->) $2)) AS r "
        "WHERE e.doc OPERATOR(pg_catalog.?) $2",
        fmt::arg("col", quoted_column));
}

}  // namespace data_bridge
