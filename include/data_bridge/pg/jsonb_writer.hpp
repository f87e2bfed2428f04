// A jsonb value written straight into its on-disk form, value by value, with no JsonbValue tree
// in between: the layout convertToJsonb() gives the tree (a container's header, its entries,
// an object's keys before its values, numbers and containers aligned to 4 bytes, every 32nd
// entry an end offset), with its limits and errors. Containers are written in place, so their
// sizes must be known when they begin: an array's element count, an object's keys (sorted and
// unique, as jsonb keeps them). C-style functions over palloc'd memory, for
// code inside guarded().
#pragma once

#include "data_bridge/pg/postgres.hpp"

extern "C" {
#include "utils/jsonb.h"
}

namespace data_bridge::pg {

// Where one value goes: its container's data start and the entry it fills (offsets into the
// buffer; entry -1 at the top), and the entry's place among the container's entries.
struct JsonbSlot {
    int base;
    int entry;
    int index;
    bool in_object;
};

// A container being written.
struct JsonbOpen {
    int value_start;  // where its value began in the parent's data (before alignment)
    int start;        // its header
    int base;         // its data
    int count;        // entries reserved: elements, or keys (then as many values)
    int next;         // the next element or value
    bool object;
    JsonbSlot slot;  // the entry it fills in its parent
};

// The buffer starts with room for the varlena header; jsonb_writer_finish sets it. `reserve`: the
// expected size, allocated at once.
void jsonb_writer_start(StringInfo buffer, int64 reserve);
Jsonb* jsonb_writer_finish(StringInfo buffer);
JsonbSlot jsonb_writer_top();

void jsonb_write_null(StringInfo buffer, JsonbSlot slot);
void jsonb_write_bool(StringInfo buffer, JsonbSlot slot, bool truth);
void jsonb_write_string(StringInfo buffer, JsonbSlot slot, const char* text, int length);
void jsonb_write_numeric(StringInfo buffer, JsonbSlot slot, Numeric number);
// A scalar JsonbValue (null, bool, string, numeric).
void jsonb_write_scalar(StringInfo buffer, JsonbSlot slot, const JsonbValue* scalar);
// A jsonb document embedded as it is: its scalar, or its container copied whole.
void jsonb_write_document(StringInfo buffer, JsonbSlot slot, const Jsonb* document);

JsonbOpen jsonb_begin_array(StringInfo buffer, JsonbSlot slot, int count);
JsonbSlot jsonb_next_element(JsonbOpen* array);
// `keys` in jsonb's order (shorter first, then bytewise), unique.
JsonbOpen jsonb_begin_object(StringInfo buffer, JsonbSlot slot, const char* const* keys,
                             const int* lengths, int count);
JsonbSlot jsonb_next_value(JsonbOpen* object);
void jsonb_end(StringInfo buffer, JsonbOpen* container);

}  // namespace data_bridge::pg
