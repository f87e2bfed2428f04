// One cached statement, run through SPI, whose answer is a single value.
#pragma once

#include <string>

#include "data_bridge/pg/postgres.hpp"
#include "data_bridge/pg/row_key.hpp"

namespace data_bridge::pg {

struct SingleValue {
    Datum value;
    bool is_null;  // no row, or a NULL
};

// Connects SPI, runs the statement with a plan cached across calls, copies the first column of
// the first row out of SPI's memory, and disconnects.
SingleValue query_single_value(const std::string& sql, const Parameters& parameters,
                               bool read_only);

// The function's result from a single value: the value, or SQL NULL.
inline Datum value_or_null(FunctionCallInfo fcinfo, const SingleValue& result) {
    if (result.is_null)
        PG_RETURN_NULL();
    return result.value;
}

}  // namespace data_bridge::pg
