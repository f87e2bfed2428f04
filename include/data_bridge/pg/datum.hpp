// Building PostgreSQL values from C++ ones. These allocate with palloc and so can raise an
// error: call them inside guarded(), with values that already exist (a temporary std::string
// built inside guarded() would be skipped by the longjmp of an error).
#pragma once

#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

Datum name_datum(const std::string& value);
Datum name_datum(const char* value);
Datum text_datum(const std::string& value);
Datum text_datum(const char* value);
Datum name_array_datum(const std::vector<std::string>& values);
Datum text_array_datum(const std::vector<std::string>& values);
Datum int8_array_datum(const std::vector<int>& values);
// A one-dimensional array of `count` values of `element_type` (`nulls` may be null: none).
Datum array_datum(Oid element_type, const Datum* values, const bool* nulls, int count);

}  // namespace data_bridge::pg
