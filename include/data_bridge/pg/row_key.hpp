// Binding the values users pass (an anyelement argument, or a jsonb object for a composite key)
// to the columns of a table, as statement parameters.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/json_value.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/postgres.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/catalog.hpp"

namespace data_bridge::pg {

// How a value of `value_type` the caller passed is compared with the column: as it is when
// pg_catalog's = takes the two types (as a plain WHERE would; 1.5 matches no integer); a text
// value (what drivers send) converted to the column's type by its input function; any other
// type refused with 42883, as a plain WHERE refuses it (never an explicit cast: true is no 1).
struct KeyComparison {
    std::string column;      // quoted
    std::string equals;      // OPERATOR(schema.=)
    std::string convert_to;  // the column's type as SQL, or "" to compare as it is
};
KeyComparison key_comparison(const ColumnInfo& column, Oid value_type);

// How a referencing column is compared with key values read from the referenced column, as
// PostgreSQL's foreign-key triggers compare them: with pg_catalog's = across the two types when
// it resolves (an integer column against numeric keys: no rounding, no overflow), otherwise
// (types of their own) converted to the referencing column's type.
KeyComparison reference_comparison(const ColumnInfo& referencing, Oid referenced_type);

// "column = $n" for a value of `value_type`, compared as key_comparison() says.
KeyMatch key_match(const ColumnInfo& column, Oid value_type, const std::string& placeholder);

// "column = value" where the value is argument `argno` of the call (any type: cast to the
// column's type in the statement when it differs).
KeyMatch match_argument(const ColumnInfo& column, FunctionCallInfo fcinfo, int argno,
                        Parameters& parameters);

// The table's primary key matched against argument `argno`: a bare value for a one-column key,
// or a jsonb object {"column": value, ...} naming every key column. Errors name `parameter`.
std::vector<KeyMatch> match_primary_key(Oid relid, FunctionCallInfo fcinfo, int argno,
                                        const char* parameter, Parameters& parameters);

// The same from a JsonValue already in hand (a spec's "id").
std::vector<KeyMatch> match_key_object(Oid relid, const std::vector<std::string>& key_columns,
                                       const JsonValue& id, const std::string& path,
                                       Parameters& parameters);

}  // namespace data_bridge::pg
