#include "data_bridge/pg/jsonb_writer.hpp"

#include <cstring>

namespace data_bridge::pg {

namespace {

// convertToJsonb()'s errors for what its format cannot hold.
[[noreturn]] void elements_too_large(bool object) {
    if (object) {
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("total size of jsonb object elements exceeds the maximum of %d "
                               "bytes",
                               JENTRY_OFFLENMASK)));
    }
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("total size of jsonb array elements exceeds the maximum of %d bytes",
                           JENTRY_OFFLENMASK)));
}

void check_string_length(int length) {
    if (length > JENTRY_OFFLENMASK) {
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("string too long to represent as jsonb string"),
                        errdetail("Due to an implementation restriction, jsonb strings cannot "
                                  "exceed %d bytes.",
                                  JENTRY_OFFLENMASK)));
    }
}

// Room for `length` zeroed bytes at the end; their offset.
int reserve(StringInfo buffer, int length) {
    enlargeStringInfo(buffer, length);
    int offset = buffer->len;
    std::memset(buffer->data + offset, 0, length);
    buffer->len += length;
    buffer->data[buffer->len] = '\0';
    return offset;
}

void append_uint32(StringInfo buffer, uint32 value) {
    appendBinaryStringInfo(buffer, reinterpret_cast<const char*>(&value), sizeof(value));
}

// Numbers and containers start on a 4-byte boundary (as padBufferToInt places them; every
// container's data starts on one, so the reader's alignment from its data start agrees).
void align(StringInfo buffer) {
    int padding = INTALIGN(buffer->len) - buffer->len;
    if (padding > 0)
        reserve(buffer, padding);
}

// A scalar's slot: at the top, the one element of the raw-scalar array jsonb wraps it in.
JsonbSlot scalar_slot(StringInfo buffer, JsonbSlot slot) {
    if (slot.entry >= 0)
        return slot;
    append_uint32(buffer, JB_FARRAY | JB_FSCALAR | 1);
    int entry = reserve(buffer, sizeof(JEntry));
    return {buffer->len, entry, 0, false};
}

// Fills the slot's entry for the value written from `value_start` (its alignment included) to
// the end of the buffer: its length, or every JB_OFFSET_STRIDE entries its end offset.
void set_entry(StringInfo buffer, JsonbSlot slot, uint32 type, int value_start) {
    if (slot.entry < 0)
        return;  // the top container
    int end = buffer->len - slot.base;
    if (end > JENTRY_OFFLENMASK)
        elements_too_large(slot.in_object);
    uint32 entry = type | ((slot.index % JB_OFFSET_STRIDE) == 0
                               ? JENTRY_HAS_OFF | static_cast<uint32>(end)
                               : static_cast<uint32>(buffer->len - value_start));
    std::memcpy(buffer->data + slot.entry, &entry, sizeof(entry));
}

JsonbOpen begin_container(StringInfo buffer, JsonbSlot slot, int count, bool object) {
    if (count < 0 || count > static_cast<int>(JB_CMASK))
        elements_too_large(object);
    JsonbOpen open{};
    open.value_start = buffer->len;
    open.slot = slot;
    if (slot.entry >= 0)
        align(buffer);
    open.start = buffer->len;
    append_uint32(buffer, static_cast<uint32>(count) | (object ? JB_FOBJECT : JB_FARRAY));
    reserve(buffer, static_cast<int>(sizeof(JEntry)) * count * (object ? 2 : 1));
    open.base = buffer->len;
    open.count = count;
    open.object = object;
    return open;
}

}  // namespace

void jsonb_writer_start(StringInfo buffer, int64 reserve_bytes) {
    initStringInfo(buffer);
    if (reserve_bytes + VARHDRSZ + 1 > buffer->maxlen &&
        reserve_bytes < static_cast<int64>(MaxAllocSize / 2)) {
        buffer->maxlen = static_cast<int>(reserve_bytes) + VARHDRSZ + 1;
        buffer->data = static_cast<char*>(repalloc(buffer->data, buffer->maxlen));
    }
    appendStringInfoSpaces(buffer, VARHDRSZ);
}

Jsonb* jsonb_writer_finish(StringInfo buffer) {
    SET_VARSIZE(buffer->data, buffer->len);
    return reinterpret_cast<Jsonb*>(buffer->data);
}

JsonbSlot jsonb_writer_top() {
    return {0, -1, 0, false};
}

void jsonb_write_null(StringInfo buffer, JsonbSlot slot) {
    slot = scalar_slot(buffer, slot);
    set_entry(buffer, slot, JENTRY_ISNULL, buffer->len);
}

void jsonb_write_bool(StringInfo buffer, JsonbSlot slot, bool truth) {
    slot = scalar_slot(buffer, slot);
    set_entry(buffer, slot, truth ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE, buffer->len);
}

void jsonb_write_string(StringInfo buffer, JsonbSlot slot, const char* text, int length) {
    check_string_length(length);
    slot = scalar_slot(buffer, slot);
    int start = buffer->len;
    appendBinaryStringInfo(buffer, text, length);
    set_entry(buffer, slot, JENTRY_ISSTRING, start);
}

void jsonb_write_numeric(StringInfo buffer, JsonbSlot slot, Numeric number) {
    slot = scalar_slot(buffer, slot);
    int start = buffer->len;
    align(buffer);
    appendBinaryStringInfo(buffer, reinterpret_cast<const char*>(number),
                           static_cast<int>(VARSIZE_ANY(number)));
    set_entry(buffer, slot, JENTRY_ISNUMERIC, start);
}

void jsonb_write_scalar(StringInfo buffer, JsonbSlot slot, const JsonbValue* scalar) {
    switch (scalar->type) {
        case jbvNull:
            jsonb_write_null(buffer, slot);
            return;
        case jbvBool:
            jsonb_write_bool(buffer, slot, scalar->val.boolean);
            return;
        case jbvString:
            jsonb_write_string(buffer, slot, scalar->val.string.val, scalar->val.string.len);
            return;
        case jbvNumeric:
            jsonb_write_numeric(buffer, slot, scalar->val.numeric);
            return;
        default:
            elog(ERROR, "data_bridge: unexpected jsonb value type %d", (int)scalar->type);
    }
}

void jsonb_write_document(StringInfo buffer, JsonbSlot slot, const Jsonb* document) {
    auto* root = const_cast<JsonbContainer*>(&document->root);
    if (JB_ROOT_IS_SCALAR(document)) {
        JsonbValue scalar;
        JsonbExtractScalar(root, &scalar);
        jsonb_write_scalar(buffer, slot, &scalar);
        return;
    }
    // A container's offsets are its own: copied whole to a 4-byte boundary, it reads the same.
    int start = buffer->len;
    if (slot.entry >= 0)
        align(buffer);
    appendBinaryStringInfo(buffer, reinterpret_cast<const char*>(root),
                           static_cast<int>(VARSIZE(document) - VARHDRSZ));
    set_entry(buffer, slot, JENTRY_ISCONTAINER, start);
}

JsonbOpen jsonb_begin_array(StringInfo buffer, JsonbSlot slot, int count) {
    return begin_container(buffer, slot, count, false);
}

JsonbSlot jsonb_next_element(JsonbOpen* array) {
    if (array->next >= array->count)
        elog(ERROR, "data_bridge: more jsonb array elements than announced");
    int index = array->next++;
    return {
        array->base,
        array->start + static_cast<int>(sizeof(uint32)) + static_cast<int>(sizeof(JEntry)) * index,
        index, false};
}

JsonbOpen jsonb_begin_object(StringInfo buffer, JsonbSlot slot, const char* const* keys,
                             const int* lengths, int count) {
    JsonbOpen object = begin_container(buffer, slot, count, true);
    for (int i = 0; i < count; i++) {
        check_string_length(lengths[i]);
        int start = buffer->len;
        appendBinaryStringInfo(buffer, keys[i], lengths[i]);
        JsonbSlot key{
            object.base,
            object.start + static_cast<int>(sizeof(uint32)) + static_cast<int>(sizeof(JEntry)) * i,
            i, true};
        set_entry(buffer, key, JENTRY_ISSTRING, start);
    }
    return object;
}

JsonbSlot jsonb_next_value(JsonbOpen* object) {
    if (object->next >= object->count)
        elog(ERROR, "data_bridge: more jsonb object values than keys");
    int index = object->count + object->next++;
    return {
        object->base,
        object->start + static_cast<int>(sizeof(uint32)) + static_cast<int>(sizeof(JEntry)) * index,
        index, true};
}

void jsonb_end(StringInfo buffer, JsonbOpen* container) {
    // The entries were reserved for exactly this many: every caller announces what it writes.
    if (container->next != container->count)
        elog(ERROR, "data_bridge: a jsonb container ended with %d of its %d entries",
             container->next, container->count);
    if (buffer->len - container->start > JENTRY_OFFLENMASK)
        elements_too_large(container->object);
    set_entry(buffer, container->slot, JENTRY_ISCONTAINER, container->value_start);
}

}  // namespace data_bridge::pg
