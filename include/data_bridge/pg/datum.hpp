// Building PostgreSQL values from C++ ones. These allocate with palloc and so can raise an
// error: call them inside guarded(), with values that already exist (a temporary std::string
// built inside guarded() would be skipped by the longjmp of an error).
#pragma once

#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

Datum name_datum(const std::string& value);
Datum text_datum(const std::string& value);
Datum text_datum(const char* value);
Datum name_array_datum(const std::vector<std::string>& values);
Datum text_array_datum(const std::vector<std::string>& values);

}  // namespace data_bridge::pg
