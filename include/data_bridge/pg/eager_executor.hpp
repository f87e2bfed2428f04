// Runs the batches of an eager load (core/eager_batches.hpp): one prepared statement per level,
// each fed the join keys of the whole level above as arrays, then one jsonb value built from
// all the rows at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data_bridge/core/eager_batches.hpp"
#include "data_bridge/pg/postgres.hpp"
#include "data_bridge/pg/jsonb_render.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/statement.hpp"

namespace data_bridge::pg {

// A rendered column of a batch's result and how its values become jsonb.
struct RenderedResultColumn {
    int column;
    ColumnRendering rendering;
    Oid result_type;  // the column's type (jsonb when SQL's to_jsonb renders it)
};

// The batches with what the catalogs say about their types; kept per call shape.
struct EagerProgram {
    std::vector<Batch> batches;
    std::vector<std::vector<RenderedResultColumn>> rendered;  // per batch, every object's
    std::vector<std::vector<Oid>> key_array_types;            // per batch, per key array
    bool custom_plans = false;  // planned for each call's values (Citus distributed tables)
    // The names of the shared relations' lists (BatchField::shared), distinct, in jsonb's key
    // order; none: the result is the rows themselves.
    std::vector<std::string> shared_lists;
    // Per batch, per object: an id of its rendering (its keys and their types) when it renders
    // only columns, so a shared row is known by its values without rendering it again; else -1.
    std::vector<std::vector<int>> column_shapes;
};

// About the bytes a remembered program holds (its statements' text, mostly): ShapeCache's bound.
std::size_t shape_bytes(const std::shared_ptr<const EagerProgram>& program);

// Whether a join key of this type (the same on both sides, compared by pg_catalog's "=") can be
// matched to its parent's by its stored value: integers and uuid, whose equality is that of the
// value (EagerRelation::keys_matched_by_value).
bool key_matches_by_value(Oid type);

// The program of a tree of levels, or nullptr when a join key's type has no array type (the
// caller then runs the single-statement form).
// `custom_plans`: every statement planned for its values (see EagerProgram), and ordering its
// rows itself.
std::shared_ptr<const EagerProgram> eager_program(const EagerLevel& root, bool as_array,
                                                  std::size_t spec_parameters, bool custom_plans);

// What a load returns: jsonb, or the same value as json text (what jsonb_out would print), which
// skips building the binary jsonb and converting it to text for the client.
enum class ResultFormat : uint8 { kJsonb, kJsonText };

// Runs the program with the spec's values as $1..$n: a jsonb array of the top rows, or the one
// row's object (is_null when there is none). With shared relations, {"data": that, "shared":
// {"<relation name>": [each distinct row once], ...}}, each shared relation's value in a row its
// row's place (from 0) in the list of its name. The result is allocated in the caller's context.
Datum run_eager_program(const EagerProgram& program, const Parameters& spec, ResultFormat format,
                        bool* is_null);

// The budget of one load (or one chunk of a stream): data_bridge.max_load_size.
ReadBudget load_budget();

// Refuses (21000) a load of one row by its primary key that found more than one: rows of
// inheritance children, or a duplicate a deferred key allows until commit. A plain SELECT by the
// key returns them all; the load does not pick one.
[[noreturn]] void refuse_rows_sharing_the_key();

// A jsonb datum as json text, as jsonb_out prints it (the one-statement loads' json form).
Datum jsonb_as_json_text(Datum jsonb);

// The program as a stream, read a chunk at a time across calls: a cursor over the top rows
// (open_eager_stream returns its portal's name); each next_eager_chunk fetches up to
// `chunk_rows` top rows, loads their relations (one statement per level, as above) and appends
// one jsonb value per top row, in order, to `rows_out` (allocated in `rows_context`); false when
// no rows are left. `rendered` counts the rows of all chunks against data_bridge.max_rows.
OpenCursor open_eager_stream(const EagerProgram& program, const Parameters& spec);
bool next_eager_chunk(const EagerProgram& program, const Parameters& spec, const OpenCursor& cursor,
                      long chunk_rows, MemoryContext rows_context, std::vector<Datum>& rows_out,
                      long& rendered);
void close_eager_stream(const OpenCursor& cursor);

}  // namespace data_bridge::pg
