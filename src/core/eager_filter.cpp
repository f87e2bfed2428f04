#include "data_bridge/core/eager_filter.hpp"

#include <fmt/format.h>

namespace data_bridge {

FilterParameter filter_parameter(const FilterTerm& term) {
    switch (term.op) {
        case FilterOp::kIs:
            return FilterParameter::kNone;
        case FilterOp::kIn:
            return FilterParameter::kTextArray;
        default:
            return FilterParameter::kText;
    }
}

std::string comparison_operator(const std::string& equals, FilterOp op) {
    const char* symbol = nullptr;
    switch (op) {
        case FilterOp::kNeq:
            symbol = "<>";
            break;
        case FilterOp::kLt:
            symbol = "<";
            break;
        case FilterOp::kLte:
            symbol = "<=";
            break;
        case FilterOp::kGt:
            symbol = ">";
            break;
        case FilterOp::kGte:
            symbol = ">=";
            break;
        default:
            return equals;
    }
    // OPERATOR(schema.=): the symbol is the last character before the closing parenthesis.
    return equals.substr(0, equals.size() - 2) + symbol + ")";
}

std::string filter_condition_sql(const FilterTerm& term, const FilterColumn& column,
                                 const std::string& placeholder) {
    switch (term.op) {
        case FilterOp::kIs:
            if (term.value.is_null())
                return column.target + " IS NULL";
            return column.target + (term.value.boolean ? " IS TRUE" : " IS FALSE");
        case FilterOp::kIn:
            return fmt::format("{} {} ANY (CAST({} AS {}[]))", column.target, column.equals,
                               placeholder, column.type);
        case FilterOp::kLike:
        case FilterOp::kILike:
            return fmt::format("CAST({} AS pg_catalog.text) OPERATOR(pg_catalog.{}) {}",
                               column.target, term.op == FilterOp::kLike ? "~~" : "~~*",
                               placeholder);
        default:
            return fmt::format("{} {} CAST({} AS {})", column.target,
                               comparison_operator(column.equals, term.op), placeholder,
                               column.type);
    }
}

}  // namespace data_bridge
