#include "data_bridge/core/json_value.hpp"

namespace data_bridge {

const JsonValue* JsonValue::find(const std::string& key) const {
    for (const auto& member : members) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

bool same_scalar(const JsonValue& a, const JsonValue& b) {
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
        case JsonValue::Kind::kNull:
            return true;
        case JsonValue::Kind::kBool:
            return a.boolean == b.boolean;
        case JsonValue::Kind::kNumber:
        case JsonValue::Kind::kString:
            return a.text == b.text;
        default:
            return false;
    }
}

const char* json_kind_name(JsonValue::Kind kind) {
    switch (kind) {
        case JsonValue::Kind::kNull:
            return "null";
        case JsonValue::Kind::kBool:
            return "boolean";
        case JsonValue::Kind::kNumber:
            return "number";
        case JsonValue::Kind::kString:
            return "string";
        case JsonValue::Kind::kArray:
            return "array";
        case JsonValue::Kind::kObject:
            return "object";
    }
    return "unknown";
}

const char* json_kind_phrase(JsonValue::Kind kind) {
    switch (kind) {
        case JsonValue::Kind::kNull:
            return "null";
        case JsonValue::Kind::kBool:
            return "a boolean";
        case JsonValue::Kind::kNumber:
            return "a number";
        case JsonValue::Kind::kString:
            return "a string";
        case JsonValue::Kind::kArray:
            return "an array";
        case JsonValue::Kind::kObject:
            return "an object";
    }
    return "an unknown value";
}

}  // namespace data_bridge
