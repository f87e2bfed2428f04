// SQL text shared by every statement builder of the core: conditions and WHERE clauses.
// Identifiers arrive quoted by the PostgreSQL layer; values are always parameters.
#pragma once

#include <string>
#include <vector>

namespace data_bridge {

// A column comparison "t.col OPERATOR(ns.=) <param>", pieces quoted by the caller.
struct KeyMatch {
    std::string column;     // quoted column name
    std::string equals;     // OPERATOR("ns".=)
    std::string parameter;  // "$1" or "CAST($1 AS type)" or an expression of $1
};

// OPERATOR(schema.symbol): an operator no search_path can replace. The schema arrives quoted.
std::string qualified_operator_sql(const std::string& quoted_schema, const std::string& symbol);

// A value in a comparison: the parameter as it is, or converted to `type` first ("" for as is).
std::string value_sql(const std::string& placeholder, const std::string& type);
// ANY over an array parameter, its elements converted to `type` first ("" for as they are).
std::string any_value_sql(const std::string& placeholder, const std::string& type);

// Array parameters read side by side as rows: "<from item> AS alias(names...)", one column per
// array (`names`), plus `ordinality` (a bigint numbering the rows from 1) unless "". Built with
// ROWS FROM (unnest(...), ...) WITH ORDINALITY, unless `row_values`: an array of a row type,
// which unnest() in FROM would expand into the type's fields, is unnested in a select list
// instead (arrays of one call have the same length: the rows pair up alike).
std::string array_rows_sql(const std::vector<std::string>& arrays,
                           const std::vector<std::string>& names, const std::string& ordinality,
                           const std::string& alias, bool row_values);

// "alias.col op param AND ..."
std::string conditions(const std::string& alias, const std::vector<KeyMatch>& matches);

// " WHERE a AND b", or "" for no condition.
std::string where_sql(const std::vector<std::string>& conditions);
// " WHERE alias.col op param AND ..."
std::string where_clause(const std::string& alias, const std::vector<KeyMatch>& matches);

}  // namespace data_bridge
