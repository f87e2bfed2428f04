// The cursors of fetch_page_with_relations: a JSON payload (the direction and the order values
// of a boundary row) as URL-safe base64, and an HMAC-SHA256 of it and of the page's context (its
// table and order) keyed by data_bridge.page_cursor_secret. A cursor that was altered, or that
// belongs to another table or order, is refused (22023); its values are bound as parameters
// like any spec value.
#pragma once

#include <string>

#include "data_bridge/core/json_value.hpp"

namespace data_bridge::pg {

std::string encode_page_cursor(const JsonValue& payload, const std::string& context);

// The payload; 22023 naming `path` when the cursor is malformed or its signature is wrong.
JsonValue decode_page_cursor(const std::string& cursor, const std::string& context,
                             const std::string& path);

}  // namespace data_bridge::pg
