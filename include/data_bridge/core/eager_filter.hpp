// SQL text of an eager-load filter: each term (`{"age": {"gte": 18}}`) a condition on one column
// with its values as parameters, the terms combined by and/or/not. Columns arrive resolved by
// the PostgreSQL layer.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "data_bridge/core/eager_spec.hpp"

namespace data_bridge {

struct FilterColumn {
    std::string target;        // alias.column, quoted
    std::string type;          // the column's type as SQL, e.g. pg_catalog.int4
    std::string equals;        // the type's equality operator, OPERATOR(schema.=)
    bool is_tsvector = false;  // match searches the column itself, not to_tsvector() of it
    // The operator of neq, lt, …, contains, contained_by, overlaps, OPERATOR(schema.symbol);
    // empty: the same symbol in the schema of `equals`.
    std::string compare;
    // jsonb (or a domain over it): contains/contained_by take a JSON array or object as jsonb.
    bool is_jsonb = false;
    // An array type (or a domain over one): in/not_in compare whole arrays, which no array of
    // arrays can list, so the values are a set of rows.
    bool is_array = false;
};

// The parameters a term binds, in order: none (is, is_null), a text, or a text array (in,
// not_in, an array operand of contains/contained_by/overlaps); match binds its query, then its
// configuration when it names one. An array or object operand of contains/contained_by also
// binds itself as jsonb (kJson), which a jsonb column compares with; an array of strings,
// numbers and booleans binds both (the column's type decides which its statement uses).
enum class FilterParameter { kText, kTextArray, kJson };
std::vector<FilterParameter> filter_parameters(const FilterTerm& term);

// Whether a contains/contained_by operand is JSON only a jsonb column compares with: an object,
// or an array with an array, object or null among its elements.
bool json_only_operand(const FilterTerm& term);

// The operator symbol a term compares with, for the ops that use one of the column type's own
// operators (neq, lt, …, contains, contained_by, overlaps); nullptr for the others.
const char* filter_operator_symbol(FilterOp op);

// The operator for a comparison, from the schema of the type's own equality operator:
// OPERATOR(schema.=) becomes OPERATOR(schema.<) for lt, and so on.
std::string comparison_operator(const std::string& equals, FilterOp op);

// The term's condition; `placeholders` are its parameters ("$n"), as filter_parameters() lists
// them. Values are converted to the column's type (as the caller: the statement runs so).
std::string filter_condition_sql(const FilterTerm& term, const FilterColumn& column,
                                 const std::vector<std::string>& placeholders);

// A whole filter as one condition, each term's SQL from `term_sql` and each exists node's from
// `exists_sql`, called depth-first in order (the order spec_values() lists the values in). An
// empty and is TRUE, an empty or FALSE.
std::string filter_node_sql(const FilterNode& node,
                            const std::function<std::string(const FilterTerm&)>& term_sql,
                            const std::function<std::string(const FilterNode&)>& exists_sql = {});

}  // namespace data_bridge
