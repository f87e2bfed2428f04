// A small, read-only JSON tree for validating user specs in the core.
//
// The PostgreSQL layer fills it from a jsonb value (pg/jsonb.hpp) with PostgreSQL's own jsonb
// iterator: nothing here parses JSON text.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace data_bridge {

struct JsonValue {
    enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

    Kind kind = Kind::kNull;
    bool boolean = false;
    std::string text;  // a string's value, or a number as jsonb prints it
    std::vector<JsonValue> elements;
    std::vector<std::pair<std::string, JsonValue>> members;  // in jsonb's key order

    bool is_null() const { return kind == Kind::kNull; }
    bool is_string() const { return kind == Kind::kString; }
    bool is_array() const { return kind == Kind::kArray; }
    bool is_object() const { return kind == Kind::kObject; }

    // The member named `key`, or nullptr.
    const JsonValue* find(const std::string& key) const;
};

// Whether two values are the same scalar as written: kind and text (numbers as jsonb prints
// them), so 1 and "1" differ; arrays and objects are never the same here.
bool same_scalar(const JsonValue& a, const JsonValue& b);

// "null", "boolean", "number", "string", "array", "object": for error messages.
const char* json_kind_name(JsonValue::Kind kind);
// The same with its article, for a sentence: "null", "a boolean", …, "an array", "an object".
const char* json_kind_phrase(JsonValue::Kind kind);

}  // namespace data_bridge
