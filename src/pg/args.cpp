#include <fmt/format.h>

#include "data_bridge/pg/args.hpp"

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"

namespace data_bridge::pg {

void require_arg(FunctionCallInfo fcinfo, int index, const char* parameter) {
    if (PG_ARGISNULL(index)) {
        throw Error(sqlstate::kNullValueNotAllowed,
                    fmt::format("parameter \"{}\" must not be null", parameter));
    }
}

std::string text_arg(FunctionCallInfo fcinfo, int index, const char* parameter) {
    require_arg(fcinfo, index, parameter);
    return guarded(
        [fcinfo, index] { return (const char*)text_to_cstring(PG_GETARG_TEXT_PP(index)); });
}

std::optional<std::string> optional_text_arg(FunctionCallInfo fcinfo, int index) {
    if (PG_ARGISNULL(index))
        return std::nullopt;
    return std::string(guarded(
        [fcinfo, index] { return (const char*)text_to_cstring(PG_GETARG_TEXT_PP(index)); }));
}

std::vector<std::string> text_array_arg(FunctionCallInfo fcinfo, int index, const char* parameter) {
    require_arg(fcinfo, index, parameter);
    Datum* elements = nullptr;
    bool* nulls = nullptr;
    int count = 0;
    Datum** elements_out = &elements;
    bool** nulls_out = &nulls;
    int* count_out = &count;
    guarded([fcinfo, index, elements_out, nulls_out, count_out] {
        ArrayType* array = PG_GETARG_ARRAYTYPE_P(index);
        if (ARR_NDIM(array) > 1) {
            ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                            errmsg("array must be one-dimensional")));
        }
        deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, elements_out, nulls_out,
                          count_out);
    });
    std::vector<std::string> values;
    for (int i = 0; i < count; i++) {
        if (nulls[i]) {
            throw Error(sqlstate::kNullValueNotAllowed,
                        fmt::format("parameter \"{}\" must not contain nulls", parameter));
        }
        Datum element = elements[i];
        values.emplace_back(
            guarded([element] { return (const char*)TextDatumGetCString(element); }));
    }
    return values;
}

}  // namespace data_bridge::pg
