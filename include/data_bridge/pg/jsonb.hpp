// jsonb in and out, with PostgreSQL's own jsonb API.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/json_value.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// The whole jsonb value as a JsonValue tree (for specs and small inputs).
JsonValue jsonb_to_value(Datum jsonb);

// The JsonValue as jsonb: numbers exactly as their text reads (numeric), keys in jsonb's order.
Datum value_to_jsonb(const JsonValue& value);

// A jsonb array whose elements are the given jsonb datums, in order (call inside guarded()).
Datum jsonb_array_of(const Datum* elements, int count);

// For a jsonb array of objects: each element's keys (in jsonb's order). An element that is not an
// object gives its index in `bad_element` and stops. Nested values are not visited.
struct ArrayOfObjects {
    bool is_array = false;
    long bad_element = -1;
    std::vector<std::vector<std::string>> keys;
};
ArrayOfObjects object_keys_of_array(Datum jsonb);

// A jsonb object from string, number and jsonb members (call inside guarded()).
struct JsonbMember {
    const char* key;
    enum { kString, kBool, kInteger, kJsonb } kind;
    const char* string;
    bool boolean;
    int64 integer;
    Datum jsonb;
};
Datum jsonb_object_of(const JsonbMember* members, int count);

}  // namespace data_bridge::pg
