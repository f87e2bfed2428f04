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
