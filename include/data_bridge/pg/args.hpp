// Reading SQL function arguments, with errors that name the parameter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Throws 22004 "<parameter> must not be null" when argument `index` is NULL.
void require_arg(FunctionCallInfo fcinfo, int index, const char* parameter);

std::string text_arg(FunctionCallInfo fcinfo, int index, const char* parameter);
std::optional<std::string> optional_text_arg(FunctionCallInfo fcinfo, int index);
// A text[] argument; NULL elements are an error naming the parameter.
std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int index, const char* parameter);

}  // namespace data_bridge::pg
