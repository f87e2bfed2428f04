#include "data_bridge/pg/jsonb.hpp"

#include <string>

#include "data_bridge/pg/boundary.hpp"

extern "C" {
#include "utils/jsonb.h"
#include "utils/numeric.h"
}

namespace data_bridge::pg {

namespace {

// One token of the iterator, copied out as plain data inside guarded().
struct Token {
    JsonbIteratorToken kind;
    JsonbValue value;
};

std::string scalar_text(const JsonbValue& value) {
    switch (value.type) {
        case jbvString:
            return std::string(value.val.string.val, value.val.string.len);
        case jbvNumeric: {
            Numeric number = value.val.numeric;
            return guarded([number] {
                return (const char*)DatumGetCString(
                    DirectFunctionCall1(numeric_out, NumericGetDatum(number)));
            });
        }
        default:
            return {};
    }
}

JsonValue scalar(const JsonbValue& value) {
    JsonValue out;
    switch (value.type) {
        case jbvNull:
            out.kind = JsonValue::Kind::kNull;
            break;
        case jbvBool:
            out.kind = JsonValue::Kind::kBool;
            out.boolean = value.val.boolean;
            out.text = value.val.boolean ? "true" : "false";
            break;
        case jbvNumeric:
            out.kind = JsonValue::Kind::kNumber;
            out.text = scalar_text(value);
            break;
        default:
            out.kind = JsonValue::Kind::kString;
            out.text = scalar_text(value);
            break;
    }
    return out;
}

}  // namespace

namespace {
constexpr std::size_t kMaxSpecJsonDepth = 256;
}  // namespace

JsonValue jsonb_to_value(Datum datum) {
    Jsonb* jsonb = guarded([datum] { return DatumGetJsonbP(datum); });
    JsonbIterator* iterator = guarded([jsonb] { return JsonbIteratorInit(&jsonb->root); });
    JsonbIterator** iterator_ref = &iterator;

    // An explicit stack, not recursion: a deeply nested value cannot exhaust the C stack.
    std::vector<JsonValue> stack;
    std::vector<std::string> pending_keys;
    JsonValue result;
    bool is_scalar_root = JB_ROOT_IS_SCALAR(jsonb);

    auto attach = [&](JsonValue value) {
        if (stack.empty()) {
            result = std::move(value);
        } else if (stack.back().is_object()) {
            stack.back().members.emplace_back(std::move(pending_keys.back()), std::move(value));
            pending_keys.pop_back();
        } else {
            stack.back().elements.push_back(std::move(value));
        }
    };

    while (true) {
        Token token = guarded([iterator_ref] {
            Token t;
            t.kind = JsonbIteratorNext(iterator_ref, &t.value, false);
            return t;
        });
        if (token.kind == WJB_DONE)
            break;
        switch (token.kind) {
            case WJB_BEGIN_ARRAY:
            case WJB_BEGIN_OBJECT: {
                // Specs, keys and orderings never nest this deep; the limit keeps the value's
                // (recursive) destructor and every later walk over it shallow.
                if (stack.size() >= kMaxSpecJsonDepth) {
                    throw Error(sqlstate::kStatementTooComplex,
                                "JSON value nested more than " + std::to_string(kMaxSpecJsonDepth) +
                                    " levels deep");
                }
                JsonValue container;
                container.kind = token.kind == WJB_BEGIN_ARRAY ? JsonValue::Kind::kArray
                                                               : JsonValue::Kind::kObject;
                stack.push_back(std::move(container));
                break;
            }
            case WJB_END_ARRAY:
            case WJB_END_OBJECT: {
                JsonValue done = std::move(stack.back());
                stack.pop_back();
                // A scalar root is stored as a one-element "raw scalar" array.
                if (stack.empty() && is_scalar_root && done.is_array() &&
                    done.elements.size() == 1) {
                    // Not `done = std::move(done.elements[0])`: that frees the element's
                    // storage while it is being read (a use-after-free under ASan).
                    JsonValue scalar = std::move(done.elements[0]);
                    done = std::move(scalar);
                }
                attach(std::move(done));
                break;
            }
            case WJB_KEY:
                pending_keys.push_back(scalar_text(token.value));
                break;
            case WJB_VALUE:
            case WJB_ELEM:
                attach(scalar(token.value));
                break;
            default:
                break;
        }
    }
    return result;
}

namespace {

// A jsonb value to embed in another; a null Datum (no value) becomes JSON null.
void embedded_value(Datum datum, JsonbValue* out) {
    if (datum == (Datum)0) {
        out->type = jbvNull;
        return;
    }
    Jsonb* inner = DatumGetJsonbP(datum);
    if (JB_ROOT_IS_SCALAR(inner)) {
        JsonbExtractScalar(&inner->root, out);
    } else {
        out->type = jbvBinary;
        out->val.binary.data = &inner->root;
        out->val.binary.len = VARSIZE(inner) - VARHDRSZ;
    }
}

}  // namespace

namespace {

// The scalar as a JsonbValue (numbers through numeric_in: exactly as their text reads).
void scalar_value(const JsonValue& value, JsonbValue* out) {
    switch (value.kind) {
        case JsonValue::Kind::kBool:
            out->type = jbvBool;
            out->val.boolean = value.boolean;
            return;
        case JsonValue::Kind::kNumber:
            out->type = jbvNumeric;
            out->val.numeric = DatumGetNumeric(
                DirectFunctionCall3(numeric_in, CStringGetDatum(value.text.c_str()),
                                    ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
            return;
        case JsonValue::Kind::kString:
            out->type = jbvString;
            out->val.string.val = const_cast<char*>(value.text.data());
            out->val.string.len = static_cast<int>(value.text.size());
            return;
        default:
            out->type = jbvNull;
            return;
    }
}

// Pushes the value's tokens and returns what the last push returns (the finished container at
// the root). Runs inside guarded() and creates no object with a destructor, so an error
// PostgreSQL raises here skips nothing; the value is at most kMaxSpecJsonDepth deep.
JsonbValue* push_value(JsonbParseState** state, const JsonValue& value, JsonbIteratorToken token) {
    if (value.is_object()) {
        pushJsonbValue(state, WJB_BEGIN_OBJECT, nullptr);
        for (const auto& member : value.members) {
            JsonbValue key;
            key.type = jbvString;
            key.val.string.val = const_cast<char*>(member.first.data());
            key.val.string.len = static_cast<int>(member.first.size());
            pushJsonbValue(state, WJB_KEY, &key);
            push_value(state, member.second, WJB_VALUE);
        }
        return pushJsonbValue(state, WJB_END_OBJECT, nullptr);
    }
    if (value.is_array()) {
        pushJsonbValue(state, WJB_BEGIN_ARRAY, nullptr);
        for (const JsonValue& element : value.elements)
            push_value(state, element, WJB_ELEM);
        return pushJsonbValue(state, WJB_END_ARRAY, nullptr);
    }
    JsonbValue scalar;
    scalar_value(value, &scalar);
    return pushJsonbValue(state, token, &scalar);
}

}  // namespace

Datum value_to_jsonb(const JsonValue& value) {
    const JsonValue* root = &value;
    return guarded([root] {
        if (!root->is_object() && !root->is_array()) {
            JsonbValue scalar;
            scalar_value(*root, &scalar);
            return JsonbPGetDatum(JsonbValueToJsonb(&scalar));
        }
        JsonbParseState* state = nullptr;
        return JsonbPGetDatum(JsonbValueToJsonb(push_value(&state, *root, WJB_VALUE)));
    });
}

Datum jsonb_array_of(const Datum* elements, int count) {
    JsonbParseState* state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_ARRAY, nullptr);
    for (int i = 0; i < count; i++) {
        JsonbValue value;
        embedded_value(elements[i], &value);
        pushJsonbValue(&state, WJB_ELEM, &value);
    }
    JsonbValue* array = pushJsonbValue(&state, WJB_END_ARRAY, nullptr);
    return JsonbPGetDatum(JsonbValueToJsonb(array));
}

ArrayOfObjects object_keys_of_array(Datum datum) {
    ArrayOfObjects result;
    Jsonb* jsonb = guarded([datum] { return DatumGetJsonbP(datum); });
    if (JB_ROOT_IS_SCALAR(jsonb) || !JB_ROOT_IS_ARRAY(jsonb))
        return result;
    result.is_array = true;

    JsonbIterator* outer = guarded([jsonb] { return JsonbIteratorInit(&jsonb->root); });
    JsonbIterator** outer_ref = &outer;
    while (true) {
        Token token = guarded([outer_ref] {
            Token t;
            t.kind = JsonbIteratorNext(outer_ref, &t.value, true);  // elements stay packed
            return t;
        });
        if (token.kind == WJB_DONE)
            break;
        if (token.kind != WJB_ELEM)
            continue;
        bool is_object =
            token.value.type == jbvBinary && JsonContainerIsObject(token.value.val.binary.data);
        if (!is_object) {
            result.bad_element = (long)result.keys.size();
            return result;
        }
        JsonbContainer* container = token.value.val.binary.data;
        JsonbIterator* inner = guarded([container] { return JsonbIteratorInit(container); });
        JsonbIterator** inner_ref = &inner;
        std::vector<std::string> keys;
        while (true) {
            Token member = guarded([inner_ref] {
                Token t;
                t.kind = JsonbIteratorNext(inner_ref, &t.value, true);
                return t;
            });
            if (member.kind == WJB_DONE)
                break;
            if (member.kind == WJB_KEY)
                keys.push_back(scalar_text(member.value));
        }
        result.keys.push_back(std::move(keys));
    }
    return result;
}

Datum jsonb_object_of(const JsonbMember* members, int count) {
    JsonbParseState* state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
    for (int i = 0; i < count; i++) {
        JsonbValue key;
        key.type = jbvString;
        key.val.string.val = (char*)members[i].key;
        key.val.string.len = (int)strlen(members[i].key);
        pushJsonbValue(&state, WJB_KEY, &key);
        JsonbValue value;
        switch (members[i].kind) {
            case JsonbMember::kString:
                value.type = jbvString;
                value.val.string.val = (char*)members[i].string;
                value.val.string.len = (int)strlen(members[i].string);
                break;
            case JsonbMember::kBool:
                value.type = jbvBool;
                value.val.boolean = members[i].boolean;
                break;
            case JsonbMember::kInteger:
                value.type = jbvNumeric;
                value.val.numeric = int64_to_numeric(members[i].integer);
                break;
            case JsonbMember::kJsonb:
                embedded_value(members[i].jsonb, &value);
                break;
        }
        pushJsonbValue(&state, WJB_VALUE, &value);
    }
    JsonbValue* object = pushJsonbValue(&state, WJB_END_OBJECT, nullptr);
    return JsonbPGetDatum(JsonbValueToJsonb(object));
}

}  // namespace data_bridge::pg
