#include "data_bridge/core/eager_filter.hpp"

#include <fmt/format.h>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/sql_text.hpp"

namespace data_bridge {

std::vector<FilterParameter> filter_parameters(const FilterTerm& term) {
    switch (term.op) {
        case FilterOp::kIs:
        case FilterOp::kIsNull:
            return {};
        case FilterOp::kIn:
        case FilterOp::kNotIn:
            return {FilterParameter::kTextArray};
        case FilterOp::kContains:
        case FilterOp::kContainedBy:
            if (json_only_operand(term))
                return {FilterParameter::kJson};
            if (term.value.is_array())
                return {FilterParameter::kTextArray, FilterParameter::kJson};
            return {FilterParameter::kText};
        case FilterOp::kOverlaps:
            return {term.value.is_array() ? FilterParameter::kTextArray : FilterParameter::kText};
        case FilterOp::kMatch:
            if (term.config.empty())
                return {FilterParameter::kText};
            return {FilterParameter::kText, FilterParameter::kText};
        default:
            return {FilterParameter::kText};
    }
}

bool json_only_operand(const FilterTerm& term) {
    if (term.op != FilterOp::kContains && term.op != FilterOp::kContainedBy)
        return false;
    if (term.value.is_object())
        return true;
    if (!term.value.is_array())
        return false;
    for (const JsonValue& element : term.value.elements) {
        if (element.is_array() || element.is_object() || element.is_null())
            return true;
    }
    return false;
}

const char* filter_operator_symbol(FilterOp op) {
    switch (op) {
        case FilterOp::kNeq:
            return "<>";
        case FilterOp::kLt:
            return "<";
        case FilterOp::kLte:
            return "<=";
        case FilterOp::kGt:
            return ">";
        case FilterOp::kGte:
            return ">=";
        case FilterOp::kContains:
            return "@>";
        case FilterOp::kContainedBy:
            return "<@";
        case FilterOp::kOverlaps:
            return "&&";
        default:
            return nullptr;
    }
}

std::string comparison_operator(const std::string& equals, FilterOp op) {
    const char* symbol = filter_operator_symbol(op);
    if (symbol == nullptr)
        return equals;
    // OPERATOR(schema.=): the symbol is the last character before the closing parenthesis.
    return equals.substr(0, equals.size() - 2) + symbol + ")";
}

namespace {

std::string compare_sql(const FilterColumn& column, FilterOp op) {
    if (!column.compare.empty() && filter_operator_symbol(op) != nullptr)
        return column.compare;
    return comparison_operator(column.equals, op);
}

// The values of in/not_in, a text[] parameter, for `= ANY`: an array of the column's type, or
// for an array column (whose values are arrays, and PostgreSQL has no arrays of arrays) a
// subquery of one row per value.
std::string in_values_sql(const FilterColumn& column, const std::string& placeholder) {
    if (!column.is_array)
        return any_value_sql(placeholder, column.type);
    return fmt::format("ANY (SELECT {} FROM pg_catalog.unnest({}) AS value)",
                       value_sql("value", column.type), placeholder);
}

std::string text_of(const std::string& target) {
    return value_sql(target, "pg_catalog.text");
}

// The text search half of match: the column itself when it is a tsvector.
std::string match_sql(const FilterColumn& column, const std::vector<std::string>& placeholders) {
    std::string config = placeholders.size() > 1
                             ? value_sql(placeholders[1], "pg_catalog.regconfig") + ", "
                             : std::string();
    std::string vector = column.is_tsvector ? column.target
                                            : fmt::format("pg_catalog.to_tsvector({}{})", config,
                                                          text_of(column.target));
    return fmt::format("{} OPERATOR(pg_catalog.@@) pg_catalog.plainto_tsquery({}{})", vector,
                       config, placeholders[0]);
}

}  // namespace

std::string filter_condition_sql(const FilterTerm& term, const FilterColumn& column,
                                 const std::vector<std::string>& placeholders) {
    switch (term.op) {
        case FilterOp::kIs:
            if (term.value.is_null())
                return column.target + " IS NULL";
            return column.target + (term.value.boolean ? " IS TRUE" : " IS FALSE");
        case FilterOp::kIsNull:
            return column.target + (term.value.boolean ? " IS NULL" : " IS NOT NULL");
        case FilterOp::kIn:
            return fmt::format("{} {} {}", column.target, column.equals,
                               in_values_sql(column, placeholders[0]));
        case FilterOp::kNotIn:  // NOT IN: a NULL column matches neither in nor not_in
            return fmt::format("NOT ({} {} {})", column.target, column.equals,
                               in_values_sql(column, placeholders[0]));
        case FilterOp::kLike:
        case FilterOp::kNotLike:
        case FilterOp::kILike:
        case FilterOp::kNotILike: {
            const char* symbol = term.op == FilterOp::kLike      ? "~~"
                                 : term.op == FilterOp::kNotLike ? "!~~"
                                 : term.op == FilterOp::kILike   ? "~~*"
                                                                 : "!~~*";
            return fmt::format("{} OPERATOR(pg_catalog.{}) {}", text_of(column.target), symbol,
                               placeholders[0]);
        }
        case FilterOp::kContains:
        case FilterOp::kContainedBy:
        case FilterOp::kOverlaps: {
            bool structured = term.value.is_array() || term.value.is_object();
            if (column.is_jsonb && structured && term.op != FilterOp::kOverlaps) {
                // The JSON itself, bound as jsonb: its last parameter.
                return fmt::format("{} {} {}", column.target, compare_sql(column, term.op),
                                   value_sql(placeholders.back(), column.type));
            }
            if (json_only_operand(term)) {
                throw Error(
                    sqlstate::kInvalidParameterValue,
                    fmt::format("invalid {}: {} compares with a jsonb column only", term.path,
                                term.value.is_object() ? "an object"
                                                       : "an array of arrays, objects "
                                                         "or nulls"),
                    {},
                    "Give an array of strings, numbers or booleans, or a string in the "
                    "column type's input syntax.");
            }
            // An array operand arrives as text[] and is converted element by element.
            std::string value =
                term.value.is_array()
                    ? value_sql(value_sql(placeholders[0], "pg_catalog.text[]"), column.type)
                    : value_sql(placeholders[0], column.type);
            return fmt::format("{} {} {}", column.target, compare_sql(column, term.op), value);
        }
        case FilterOp::kMatch:
            return match_sql(column, placeholders);
        default:
            return fmt::format("{} {} {}", column.target, compare_sql(column, term.op),
                               value_sql(placeholders[0], column.type));
    }
}

std::string filter_node_sql(const FilterNode& node,
                            const std::function<std::string(const FilterTerm&)>& term_sql,
                            const std::function<std::string(const FilterNode&)>& exists_sql) {
    switch (node.kind) {
        case FilterNode::Kind::kTerm:
            return term_sql(node.term);
        case FilterNode::Kind::kExists:
            if (!exists_sql)
                throw Error(sqlstate::kFeatureNotSupported, "exists is not supported here");
            return exists_sql(node);
        case FilterNode::Kind::kNot:
            return fmt::format("NOT ({})",
                               filter_node_sql(node.children.at(0), term_sql, exists_sql));
        case FilterNode::Kind::kAll:
        case FilterNode::Kind::kAny: {
            bool all = node.kind == FilterNode::Kind::kAll;
            if (node.children.empty())
                return all ? "TRUE" : "FALSE";
            std::string out = "(";
            for (std::size_t i = 0; i < node.children.size(); i++) {
                if (i > 0)
                    out += all ? " AND " : " OR ";
                out += filter_node_sql(node.children[i], term_sql, exists_sql);
            }
            return out + ")";
        }
    }
    return "TRUE";
}

}  // namespace data_bridge
