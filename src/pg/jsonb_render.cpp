#include "data_bridge/pg/jsonb_render.hpp"

#include <cstring>

#include "data_bridge/pg/boundary.hpp"

extern "C" {
#include "utils/date.h"
#include "utils/json.h"
#include "utils/numeric.h"
}

namespace data_bridge::pg {

namespace {

JsonbRendering rendering_of(Oid base) {
    switch (base) {
        case BOOLOID:
            return JsonbRendering::kBool;
        case INT2OID:
        case INT4OID:
        case INT8OID:
            return JsonbRendering::kInteger;
        case NUMERICOID:
            return JsonbRendering::kNumeric;
        case FLOAT4OID:
        case FLOAT8OID:
            return JsonbRendering::kFloat;
        case TEXTOID:
        case VARCHAROID:
        case BPCHAROID:
            return JsonbRendering::kText;
        case DATEOID:
        case TIMESTAMPOID:
        case TIMESTAMPTZOID:
            return JsonbRendering::kDateTime;
        case JSONBOID:
            return JsonbRendering::kJsonb;
        default:
            break;
    }
    // to_jsonb renders json by parsing it, arrays and composites element by element, and a type
    // outside the built-in ones through its cast to json when it has one.
    if (base == JSONOID || base >= FirstNormalObjectId || OidIsValid(get_element_type(base)) ||
        type_is_rowtype(base)) {
        return JsonbRendering::kSql;
    }
    return JsonbRendering::kOutput;
}

}  // namespace

ColumnRendering column_rendering(Oid type) {
    return guarded([type] {
        ColumnRendering out;
        out.base_type = getBaseType(type);
        out.rendering = rendering_of(out.base_type);
        out.output_function = InvalidOid;
        if (out.rendering == JsonbRendering::kFloat || out.rendering == JsonbRendering::kOutput) {
            bool is_varlena;
            getTypeOutputInfo(out.base_type, &out.output_function, &is_varlena);
        }
        return out;
    });
}

void prepare_renderer(ColumnRenderer* renderer, const ColumnRendering& rendering) {
    renderer->rendering = rendering.rendering;
    renderer->base_type = rendering.base_type;
    if (OidIsValid(rendering.output_function))
        fmgr_info(rendering.output_function, &renderer->output);
}

namespace {

void string_value(char* text, JsonbValue* out) {
    out->type = jbvString;
    out->val.string.val = text;
    out->val.string.len = static_cast<int>(std::strlen(text));
}

void numeric_value(Numeric number, JsonbValue* out) {
    out->type = jbvNumeric;
    out->val.numeric = number;
}

}  // namespace

int64 integer_value(const ColumnRenderer* renderer, Datum value) {
    return renderer->base_type == INT2OID   ? DatumGetInt16(value)
           : renderer->base_type == INT4OID ? DatumGetInt32(value)
                                            : DatumGetInt64(value);
}

void render_value(const ColumnRenderer* renderer, Datum value, bool is_null, JsonbValue* out) {
    if (is_null) {
        out->type = jbvNull;
        return;
    }
    switch (renderer->rendering) {
        case JsonbRendering::kBool:
            out->type = jbvBool;
            out->val.boolean = DatumGetBool(value);
            return;
        case JsonbRendering::kInteger:
            numeric_value(int64_to_numeric(integer_value(renderer, value)), out);
            return;
        case JsonbRendering::kNumeric: {
            Numeric number = DatumGetNumeric(value);
            if (numeric_is_nan(number) || numeric_is_inf(number))
                string_value(DatumGetCString(DirectFunctionCall1(numeric_out, value)), out);
            else
                numeric_value(number, out);
            return;
        }
        case JsonbRendering::kFloat: {
            // As to_jsonb: the text form is a JSON number unless it is NaN or an infinity.
            char* text = OutputFunctionCall(const_cast<FmgrInfo*>(&renderer->output), value);
            if (std::strchr(text, 'N') != nullptr || std::strchr(text, 'n') != nullptr) {
                string_value(text, out);
            } else {
                numeric_value(DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
                                                                  ObjectIdGetDatum(InvalidOid),
                                                                  Int32GetDatum(-1))),
                              out);
            }
            return;
        }
        case JsonbRendering::kText: {
            struct varlena* text = pg_detoast_datum_packed((struct varlena*)DatumGetPointer(value));
            out->type = jbvString;
            out->val.string.val = VARDATA_ANY(text);
            out->val.string.len = static_cast<int>(VARSIZE_ANY_EXHDR(text));
            return;
        }
        case JsonbRendering::kDateTime:
            string_value(JsonEncodeDateTime(nullptr, value, renderer->base_type, nullptr), out);
            return;
        case JsonbRendering::kJsonb:
        case JsonbRendering::kSql:
            jsonb_datum_value(value, out);
            return;
        case JsonbRendering::kOutput:
            string_value(OutputFunctionCall(const_cast<FmgrInfo*>(&renderer->output), value), out);
            return;
    }
}

void jsonb_datum_value(Datum jsonb, JsonbValue* out) {
    Jsonb* document = DatumGetJsonbP(jsonb);
    if (JB_ROOT_IS_SCALAR(document)) {
        JsonbExtractScalar(&document->root, out);
        return;
    }
    JsonbParseState* state = nullptr;
    JsonbIterator* iterator = JsonbIteratorInit(&document->root);
    JsonbValue token_value;
    JsonbValue* built = nullptr;
    JsonbIteratorToken token;
    while ((token = JsonbIteratorNext(&iterator, &token_value, false)) != WJB_DONE) {
        bool has_value = token == WJB_KEY || token == WJB_VALUE || token == WJB_ELEM;
        built = pushJsonbValue(&state, token, has_value ? &token_value : nullptr);
    }
    *out = *built;
}

namespace {

void append_scalar_text(StringInfo out, const JsonbValue* value) {
    switch (value->type) {
        case jbvNull:
            appendBinaryStringInfo(out, "null", 4);
            return;
        case jbvBool:
            if (value->val.boolean)
                appendBinaryStringInfo(out, "true", 4);
            else
                appendBinaryStringInfo(out, "false", 5);
            return;
        case jbvNumeric:
            appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(
                                            numeric_out, NumericGetDatum(value->val.numeric))));
            return;
        case jbvString:
            append_json_string(out, value->val.string.val, value->val.string.len);
            return;
        default:
            elog(ERROR, "data_bridge: unexpected jsonb value type %d", (int)value->type);
    }
}

}  // namespace

void append_json_string(StringInfo out, const char* text, int length) {
    // What escape_json escapes: the quote, the backslash and the control characters.
    for (int i = 0; i < length; i++) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == '"' || byte == '\\') {
            // escape_json reads a terminated string, as jsonb_out gives it.
            char* copy = pnstrdup(text, length);
            escape_json(out, copy);
            pfree(copy);
            return;
        }
    }
    enlargeStringInfo(out, length + 2);
    out->data[out->len++] = '"';
    if (length > 0)
        memcpy(out->data + out->len, text, length);
    out->len += length;
    out->data[out->len++] = '"';
    out->data[out->len] = '\0';
}

void append_json_text(StringInfo out, const JsonbValue* value) {
    check_stack_depth();
    switch (value->type) {
        case jbvObject:
            CHECK_FOR_INTERRUPTS();
            appendStringInfoChar(out, '{');
            for (int i = 0; i < value->val.object.nPairs; i++) {
                const JsonbPair& pair = value->val.object.pairs[i];
                if (i > 0)
                    appendBinaryStringInfo(out, ", ", 2);
                append_scalar_text(out, &pair.key);
                appendBinaryStringInfo(out, ": ", 2);
                append_json_text(out, &pair.value);
            }
            appendStringInfoChar(out, '}');
            return;
        case jbvArray:
            CHECK_FOR_INTERRUPTS();
            if (!value->val.array.rawScalar)
                appendStringInfoChar(out, '[');
            for (int i = 0; i < value->val.array.nElems; i++) {
                if (i > 0)
                    appendBinaryStringInfo(out, ", ", 2);
                append_json_text(out, &value->val.array.elems[i]);
            }
            if (!value->val.array.rawScalar)
                appendStringInfoChar(out, ']');
            return;
        case jbvBinary:
            JsonbToCString(out, value->val.binary.data, value->val.binary.len);
            return;
        default:
            append_scalar_text(out, value);
            return;
    }
}

}  // namespace data_bridge::pg
