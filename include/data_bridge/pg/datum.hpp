// Building PostgreSQL values from C++ ones. These allocate with palloc and so can raise an
// error: call them inside guarded().
#pragma once

#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

Datum name_datum(const std::string& value);
Datum text_datum(const std::string& value);
Datum name_array_datum(const std::vector<std::string>& values);
Datum text_array_datum(const std::vector<std::string>& values);

}  // namespace data_bridge::pg
