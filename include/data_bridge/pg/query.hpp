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

}  // namespace data_bridge::pg
