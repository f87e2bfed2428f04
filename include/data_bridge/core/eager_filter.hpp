// SQL text of an eager-load filter term (`{"age": {"gte": 18}}`): the condition on one column,
// with the term's value as a parameter. The column arrives resolved by the PostgreSQL layer.
#pragma once

#include <string>

#include "data_bridge/core/eager_spec.hpp"

namespace data_bridge {

struct FilterColumn {
    std::string target;  // alias.column, quoted
    std::string type;    // the column's type as SQL, e.g. pg_catalog.int4
    std::string equals;  // the type's equality operator, OPERATOR(schema.=)
};

// The parameter a term binds: none (IS NULL/TRUE/FALSE), one text or a text array (in).
enum class FilterParameter { kNone, kText, kTextArray };
FilterParameter filter_parameter(const FilterTerm& term);

// The operator for a comparison, from the schema of the type's own equality operator:
// OPERATOR(schema.=) becomes OPERATOR(schema.<) for lt, and so on.
std::string comparison_operator(const std::string& equals, FilterOp op);

// The term's condition; `placeholder` is its parameter ("$n") when filter_parameter() says it
// has one. Values are converted to the column's type (as the caller: the statement runs so).
std::string filter_condition_sql(const FilterTerm& term, const FilterColumn& column,
                                 const std::string& placeholder);

}  // namespace data_bridge
