#include "data_bridge/pg/page_cursor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/settings.hpp"

extern "C" {
#include "common/base64.h"
#include "common/hmac.h"
#include "utils/jsonb.h"
}

namespace data_bridge::pg {

namespace {

constexpr int kMacBytes = 16;  // of HMAC-SHA256's 32: enough to make a forgery a guess

[[noreturn]] void bad_cursor(const std::string& path, const char* why) {
    throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid {}: {}", path, why), {},
                "Pass a cursor exactly as a page of the same table and order returned it.");
}

// HMAC-SHA256(secret, context NUL payload), its first kMacBytes bytes as hex.
std::string signature(const std::string& context, const std::string& payload) {
    const char* secret = page_cursor_secret == nullptr ? "" : page_cursor_secret;
    std::string message = context;
    message.push_back('\0');
    message += payload;
    const char* data = message.data();
    std::size_t length = message.size();
    unsigned char mac[32];
    unsigned char* out = mac;
    bool ok = guarded([secret, data, length, out] {
        pg_hmac_ctx* ctx = pg_hmac_create(PG_SHA256);
        if (ctx == nullptr)
            return false;
        bool done =
            pg_hmac_init(ctx, reinterpret_cast<const uint8*>(secret), strlen(secret)) == 0 &&
            pg_hmac_update(ctx, reinterpret_cast<const uint8*>(data), length) == 0 &&
            pg_hmac_final(ctx, out, 32) == 0;
        pg_hmac_free(ctx);
        return done;
    });
    if (!ok)
        throw Error(sqlstate::kOutOfMemory, "could not compute a cursor signature");
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (int i = 0; i < kMacBytes; i++) {
        hex.push_back(digits[mac[i] >> 4]);
        hex.push_back(digits[mac[i] & 15]);
    }
    return hex;
}

std::string base64_url(const std::string& bytes) {
    int capacity = pg_b64_enc_len(static_cast<int>(bytes.size())) + 1;
    std::string out(static_cast<std::size_t>(capacity), '\0');
    int written = pg_b64_encode(bytes.data(), static_cast<int>(bytes.size()), out.data(), capacity);
    if (written < 0)
        throw Error(sqlstate::kInternalError, "could not encode a cursor");
    out.resize(static_cast<std::size_t>(written));
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    out.erase(std::remove(out.begin(), out.end(), '='), out.end());
    return out;
}

bool from_base64_url(std::string text, std::string& bytes) {
    std::replace(text.begin(), text.end(), '-', '+');
    std::replace(text.begin(), text.end(), '_', '/');
    while (text.size() % 4 != 0)
        text.push_back('=');
    int capacity = pg_b64_dec_len(static_cast<int>(text.size())) + 1;
    bytes.assign(static_cast<std::size_t>(capacity), '\0');
    int written = pg_b64_decode(text.data(), static_cast<int>(text.size()), bytes.data(), capacity);
    if (written < 0)
        return false;
    bytes.resize(static_cast<std::size_t>(written));
    return true;
}

}  // namespace

std::string encode_page_cursor(const JsonValue& payload, const std::string& context) {
    Datum jsonb = value_to_jsonb(payload);
    std::string text = guarded(
        [jsonb] { return (const char*)JsonbToCString(nullptr, &DatumGetJsonbP(jsonb)->root, 0); });
    return base64_url(text) + "." + signature(context, text);
}

JsonValue decode_page_cursor(const std::string& cursor, const std::string& context,
                             const std::string& path) {
    std::size_t dot = cursor.find('.');
    if (dot == std::string::npos || cursor.size() > 65536)
        bad_cursor(path, "not a cursor");
    std::string text;
    if (!from_base64_url(cursor.substr(0, dot), text) || text.empty() ||
        text.find('\0') != std::string::npos)
        bad_cursor(path, "not a cursor");
    std::string expected = signature(context, text);
    std::string given = cursor.substr(dot + 1);
    // Compared in full whatever differs first.
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size() && i < given.size(); i++)
        difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
    if (difference != 0)
        bad_cursor(path, "the cursor was altered, or belongs to another table or order");
    const char* raw = text.c_str();
    Datum jsonb = (Datum)0;
    try {
        jsonb = guarded([raw] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(raw)); });
    } catch (const Error&) {
        bad_cursor(path, "not a cursor");  // signed, but not JSON: forged where no secret is set
    }
    return jsonb_to_value(jsonb);
}

}  // namespace data_bridge::pg
