// Column values turned into JsonbValues exactly as to_jsonb() renders them, without going through
// SQL: the batched eager loader builds one jsonb result from plain columns. Types with a rendering
// of their own that is not reproduced here (json, arrays, composites, types from extensions and
// users) are left to SQL's to_jsonb and embedded as jsonb.
#pragma once

#include "data_bridge/pg/postgres.hpp"

extern "C" {
#include "utils/jsonb.h"
}

namespace data_bridge::pg {

enum class JsonbRendering : uint8 {
    kBool,
    kInteger,   // int2, int4, int8: a number
    kNumeric,   // a number, or a string for NaN and infinities
    kFloat,     // float4, float8: as numeric, through the type's text form
    kText,      // text, varchar, char: the string itself
    kDateTime,  // date, timestamp, timestamptz: ISO 8601 as json renders them
    kJsonb,     // embedded as it is
    kOutput,    // other built-in scalar types: the type's text form as a string
    kSql,       // not handled here: select pg_catalog.to_jsonb(column) and embed that
};

// How values of a type are rendered, from the catalogs: looked up once per call shape.
struct ColumnRendering {
    JsonbRendering rendering;
    Oid base_type;        // a domain's base type
    Oid output_function;  // kFloat, kOutput
};
ColumnRendering column_rendering(Oid type);

// Everything needed to render one column, prepared once per statement (inside guarded()).
struct ColumnRenderer {
    JsonbRendering rendering;
    Oid base_type;
    FmgrInfo output;  // kFloat, kOutput
};
void prepare_renderer(ColumnRenderer* renderer, const ColumnRendering& rendering);

// The value as a JsonbValue (inside guarded(); may point into the datum's memory).
void render_value(const ColumnRenderer* renderer, Datum value, bool is_null, JsonbValue* out);

// A kInteger column's value (int2, int4, int8, or a domain over one).
int64 integer_value(const ColumnRenderer* renderer, Datum value);

// A jsonb datum as a JsonbValue tree (inside guarded()).
void jsonb_datum_value(Datum jsonb, JsonbValue* out);

// Appends the value as JSON text, character for character what jsonb_out prints for
// JsonbValueToJsonb(value) (keys in the order given, ", " and ": " between), without building the
// binary jsonb first: the json-returning loads (inside guarded()).
void append_json_text(StringInfo out, const JsonbValue* value);

// A string as a JSON string literal, exactly as PostgreSQL's escape_json writes it: most strings
// need no escape and are copied whole, the others go through escape_json.
void append_json_string(StringInfo out, const char* text, int length);

}  // namespace data_bridge::pg
