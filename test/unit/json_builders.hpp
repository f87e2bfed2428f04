// Small builders of JsonValue trees for the unit tests (what jsonb_to_value() gives the core).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "data_bridge/core/json_value.hpp"

namespace data_bridge::test {

inline JsonValue str(const std::string& text) {
    JsonValue value;
    value.kind = JsonValue::Kind::kString;
    value.text = text;
    return value;
}

inline JsonValue num(const std::string& text) {
    JsonValue value;
    value.kind = JsonValue::Kind::kNumber;
    value.text = text;
    return value;
}

inline JsonValue boolean(bool flag) {
    JsonValue value;
    value.kind = JsonValue::Kind::kBool;
    value.boolean = flag;
    value.text = flag ? "true" : "false";
    return value;
}

inline JsonValue arr(std::vector<JsonValue> elements) {
    JsonValue value;
    value.kind = JsonValue::Kind::kArray;
    value.elements = std::move(elements);
    return value;
}

inline JsonValue obj(std::vector<std::pair<std::string, JsonValue>> members) {
    JsonValue value;
    value.kind = JsonValue::Kind::kObject;
    value.members = std::move(members);
    return value;
}

}  // namespace data_bridge::test
