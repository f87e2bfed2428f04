#include "data_bridge/core/sql_text.hpp"

#include <fmt/format.h>

namespace data_bridge {

std::string qualified_operator_sql(const std::string& quoted_schema, const std::string& symbol) {
    return fmt::format("OPERATOR({}.{})", quoted_schema, symbol);
}

std::string value_sql(const std::string& placeholder, const std::string& type) {
    return type.empty() ? placeholder : fmt::format("CAST({} AS {})", placeholder, type);
}

std::string any_value_sql(const std::string& placeholder, const std::string& type) {
    return type.empty() ? fmt::format("ANY ({})", placeholder)
                        : fmt::format("ANY (CAST({} AS {}[]))", placeholder, type);
}

std::string array_rows_sql(const std::vector<std::string>& arrays,
                           const std::vector<std::string>& names, const std::string& ordinality,
                           const std::string& alias, bool row_values) {
    std::vector<std::string> calls;
    for (const auto& array : arrays)
        calls.push_back(fmt::format("pg_catalog.unnest({})", array));
    if (!row_values) {
        std::vector<std::string> columns = names;
        if (!ordinality.empty())
            columns.push_back(ordinality);
        return fmt::format("ROWS FROM ({}){} AS {}({})", fmt::join(calls, ", "),
                           ordinality.empty() ? "" : " WITH ORDINALITY", alias,
                           fmt::join(columns, ", "));
    }
    std::vector<std::string> items;
    for (std::size_t i = 0; i < calls.size() && i < names.size(); i++)
        items.push_back(fmt::format("{} AS {}", calls[i], names[i]));
    if (!ordinality.empty() && !arrays.empty()) {
        items.push_back(
            fmt::format("pg_catalog.generate_series(CAST(1 AS pg_catalog.int8), "
                        "CAST(pg_catalog.cardinality({}) AS pg_catalog.int8)) AS {}",
                        arrays[0], ordinality));
    }
    return fmt::format("(SELECT {}) AS {}", fmt::join(items, ", "), alias);
}

std::string conditions(const std::string& alias, const std::vector<KeyMatch>& matches) {
    std::vector<std::string> terms;
    for (const auto& match : matches) {
        terms.push_back(
            fmt::format("{}.{} {} {}", alias, match.column, match.equals, match.parameter));
    }
    return fmt::format("{}", fmt::join(terms, " AND "));
}

std::string where_sql(const std::vector<std::string>& conditions) {
    if (conditions.empty())
        return "";
    return fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
}

std::string where_clause(const std::string& alias, const std::vector<KeyMatch>& matches) {
    return " WHERE " + conditions(alias, matches);
}

}  // namespace data_bridge
