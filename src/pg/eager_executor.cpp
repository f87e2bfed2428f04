#include "data_bridge/pg/eager_executor.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <type_traits>

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/jsonb_writer.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/settings.hpp"
#include "data_bridge/pg/spi.hpp"

extern "C" {
#include "common/hashfn.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/sortsupport.h"
#include "utils/typcache.h"
#include "utils/uuid.h"
}

namespace data_bridge::pg {

std::size_t shape_bytes(const std::shared_ptr<const EagerProgram>& program) {
    if (program == nullptr)
        return 0;
    std::size_t bytes = sizeof(EagerProgram);
    for (const Batch& batch : program->batches) {
        bytes += sizeof(Batch) + batch.sql.size() + batch.keyset_sql.size() +
                 batch.empty_sql.size() + batch.probe_column.size();
        for (const BatchObject& object : batch.objects)
            bytes += sizeof(BatchObject) + object.columns.size() * sizeof(RenderedColumn) +
                     object.fields.size() * (sizeof(BatchField) + 32);
    }
    for (const auto& columns : program->rendered)
        bytes += columns.size() * sizeof(RenderedResultColumn);
    for (const std::string& name : program->shared_lists)
        bytes += sizeof name + name.size();
    return bytes;
}

bool key_matches_by_value(Oid type) {
    return type == INT2OID || type == INT4OID || type == INT8OID || type == UUIDOID;
}

std::shared_ptr<const EagerProgram> eager_program(const EagerLevel& root, bool as_array,
                                                  std::size_t spec_parameters, bool custom_plans) {
    auto program = std::make_shared<EagerProgram>();
    program->custom_plans = custom_plans;
    program->batches = eager_batches(root, as_array, spec_parameters, custom_plans);
    for (const Batch& batch : program->batches) {
        std::vector<RenderedResultColumn> rendered;
        for (const BatchObject& object : batch.objects) {
            for (std::size_t i = 0; i < object.columns.size(); i++) {
                const RenderedColumn& column = object.columns[i];
                ColumnRendering rendering =
                    column.via_to_jsonb
                        ? ColumnRendering{JsonbRendering::kSql, JSONBOID, InvalidOid}
                        : column_rendering(column.type);
                rendered.push_back({object.first_column + static_cast<int>(i), rendering,
                                    column.via_to_jsonb ? JSONBOID : column.type});
            }
        }
        program->rendered.push_back(std::move(rendered));
        std::vector<Oid> arrays;
        for (std::uint32_t type : batch.key_types) {
            Oid array = guarded([type] { return get_array_type(type); });
            if (!OidIsValid(array))
                return nullptr;
            arrays.push_back(array);
        }
        program->key_array_types.push_back(std::move(arrays));
        for (const BatchObject& object : batch.objects) {
            for (const BatchField& field : object.fields) {
                if (field.shared)
                    program->shared_lists.push_back(field.key);
            }
        }
    }
    std::map<std::string, int> shapes;
    for (const Batch& batch : program->batches) {
        std::vector<int> ids;
        for (const BatchObject& object : batch.objects) {
            // Each key with its column's type: values of two shapes never compare.
            std::string shape;
            bool columns_only = true;
            for (const BatchField& field : object.fields) {
                int at = field.column - object.first_column;
                columns_only = columns_only && field.column >= 0 && !field.count && !field.jsonb &&
                               field.child < 0 && field.object < 0 && !field.mark && at >= 0 &&
                               at < static_cast<int>(object.columns.size());
                if (!columns_only)
                    break;
                const RenderedColumn& column = object.columns[at];
                shape += field.key;
                shape += '\0';
                shape += std::to_string(column.type) + (column.via_to_jsonb ? "j;" : ";");
            }
            ids.push_back(columns_only && object.recursion == 0
                              ? shapes.emplace(shape, (int)shapes.size()).first->second
                              : -1);
        }
        program->column_shapes.push_back(std::move(ids));
    }
    std::sort(program->shared_lists.begin(), program->shared_lists.end(), jsonb_key_less);
    program->shared_lists.erase(
        std::unique(program->shared_lists.begin(), program->shared_lists.end()),
        program->shared_lists.end());
    return program;
}

namespace {

// What one batch's statement returned, as plain data that PostgreSQL code can use.
struct BatchRows {
    SPITupleTable* table;  // null when the statement did not run (no parent rows)
    uint64 count;
    uint64* starts;  // parent row i owns rows [starts[i], starts[i + 1]) of order (the top: one)
    uint64* order;   // the row numbers, by parent row, then place
    ColumnRenderer* renderers;  // by result column (rendered columns only)
    Datum* values;              // one row, deformed
    bool* nulls;
    uint64* parents;  // by row: its parent row (0-based; all 0 at the top)
    // A batch that ran its keyset_sql: the parent rows by key (sorted), which column 0 names,
    // of type keyed_type.
    const KeyedParent* keyed;
    uint64 keyed_count;
    Oid keyed_type;
    bool* repeated;  // a recursion's level: by row, whether it repeats an ancestor; else null
    // A values batch (is_values_batch): an aggregate over no rows, for parents without a row.
    Datum empty_value;
    bool empty_null;
};

// A one-to-one relation whose unique key is checked at commit (EagerRelation::unique_at_commit)
// found a second row for a parent row: a duplicate the transaction holds until then. Refused, as
// a load of one row by a key that several rows share is, rather than dropping rows silently.
void refuse_second_related_row(const EagerProgram& program, std::size_t b, const BatchRows& rows,
                               uint64 parent_count) {
    for (uint64 p = 0; p < parent_count; p++) {
        if (rows.starts[p + 1] - rows.starts[p] <= 1)
            continue;
        const Batch& batch = program.batches[b];
        std::string name;
        for (const BatchField& field :
             program.batches[batch.parent].objects[batch.parent_object].fields) {
            if (field.child == static_cast<int>(b))
                name = field.key;
        }
        throw Error(
            sqlstate::kCardinalityViolation,
            fmt::format("one-to-one relation \"{}\" has more than one row for a parent row", name),
            "Its unique key is checked at commit (DEFERRABLE), and this transaction holds "
            "a duplicate until then.",
            "Load it once the transaction has resolved the duplicate.");
    }
}

// Parent rows from which a batch reads its rows by key set (Batch::keyset_sql): one parent is
// one probe either way, and skips revalidating the set's plan.
constexpr uint64 kKeySetFrom = 2;

// A key's image (core KeyImage): equal images for equal keys of a type key_matches_by_value
// accepts, as its equality decides.
KeyImage key_image(Oid type, Datum value) {
    KeyImage image;
    if (type == UUIDOID) {
        const pg_uuid_t* uuid = DatumGetUUIDP(value);
        static_assert(sizeof(uuid->data) == sizeof(image.high) + sizeof(image.low), "16 bytes");
        memcpy(&image.high, uuid->data, sizeof(image.high));
        memcpy(&image.low, uuid->data + sizeof(image.high), sizeof(image.low));
        return image;
    }
    image.low = static_cast<std::uint64_t>(type == INT2OID   ? DatumGetInt16(value)
                                           : type == INT4OID ? DatumGetInt32(value)
                                                             : DatumGetInt64(value));
    return image;
}

// A table altered by another session while this call waited for its lock: the statement is
// re-planned with the new column types, which the program's conversions do not expect.
void check_column_type(TupleDesc descriptor, int column, Oid expected) {
    if (column >= descriptor->natts || TupleDescAttr(descriptor, column)->atttypid != expected) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("a table of the eager load changed while it ran"),
                        errhint("Run the call again.")));
    }
}

// The ordering operator ORDER BY takes for a type: "<" of its default btree operator class, or
// ">" descending; the error ORDER BY raises when there is none.
Oid ordering_operator(Oid type, bool descending) {
    TypeCacheEntry* entry =
        lookup_type_cache(type, descending ? TYPECACHE_GT_OPR : TYPECACHE_LT_OPR);
    Oid op = descending ? entry->gt_opr : entry->lt_opr;
    if (!OidIsValid(op)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),
                        errmsg("could not identify an ordering operator for type %s",
                               format_type_be(type)),
                        errhint("Use an explicit ordering operator or modify the query.")));
    }
    return op;
}

// Before a batch the executor orders runs, as the statement's ORDER BY did when it was prepared:
// each sort column (a rendered one) has an ordering operator.
void check_sort_columns(const EagerProgram& program, std::size_t b) {
    for (const SortColumn& sort : program.batches[b].sort_columns) {
        for (const RenderedResultColumn& column : program.rendered[b]) {
            if (column.column == sort.column) {
                Oid type = column.result_type;
                bool descending = sort.descending;
                guarded([type, descending] { ordering_operator(type, descending); });
            }
        }
    }
}

// The sort columns' values of every row (value k of row i at [k * count + i]) and how to
// compare them. The first column of a parent with many rows is compared by its abbreviated
// values first (as tuplesort does), where its type has them.
struct RowSort {
    int key_count;
    SortSupportData* keys;
    Datum* values;
    bool* nulls;
    uint64 count;
    Datum* abbreviated;  // by row; filled for the parent being sorted when use_abbreviated
    bool use_abbreviated;
};

// Parents with at least this many rows compare abbreviated values first: computing them costs
// more than it saves on a few rows.
constexpr uint64 kAbbreviateFrom = 64;

int compare_sorted_rows(const void* a, const void* b, void* arg) {
    const auto* sort = static_cast<const RowSort*>(arg);
    uint64 x = *static_cast<const uint64*>(a);
    uint64 y = *static_cast<const uint64*>(b);
    // A user's comparison function may be slow: the sort stops when the query is cancelled.
    CHECK_FOR_INTERRUPTS();
    for (int k = 0; k < sort->key_count; k++) {
        uint64 at = k * sort->count;
        const SortSupportData* key = &sort->keys[k];
        int result;
        if (k == 0 && sort->use_abbreviated) {
            result = ApplySortComparator(sort->abbreviated[x], sort->nulls[x], sort->abbreviated[y],
                                         sort->nulls[y], const_cast<SortSupport>(key));
            if (result == 0)
                result =
                    ApplySortAbbrevFullComparator(sort->values[x], sort->nulls[x], sort->values[y],
                                                  sort->nulls[y], const_cast<SortSupport>(key));
        } else if (key->abbrev_converter != nullptr) {
            // Prepared for abbreviation: the full comparator is the authoritative one.
            result = ApplySortAbbrevFullComparator(sort->values[at + x], sort->nulls[at + x],
                                                   sort->values[at + y], sort->nulls[at + y],
                                                   const_cast<SortSupport>(key));
        } else {
            result =
                ApplySortComparator(sort->values[at + x], sort->nulls[at + x], sort->values[at + y],
                                    sort->nulls[at + y], const_cast<SortSupport>(key));
        }
        if (result != 0)
            return result;
    }
    return x < y ? -1 : x > y ? 1 : 0;  // ties keep the order they came in
}

// Orders each parent's rows (grouped in rows.order) by the sort columns, as ORDER BY does: the
// type's ordering operator (ordering_operator), under the column's collation, NULLs first
// descending. The arrays are bounded by the rows read: the budget charges more per column.
void sort_parent_rows(BatchRows& rows, uint64 parent_count, const SortColumn* columns,
                      int column_count) {
    TupleDesc descriptor = rows.table->tupdesc;
    RowSort sort{column_count,
                 static_cast<SortSupportData*>(palloc0(sizeof(SortSupportData) * column_count)),
                 nullptr,
                 nullptr,
                 rows.count,
                 nullptr,
                 false};
    for (int k = 0; k < column_count; k++) {
        Form_pg_attribute attribute = TupleDescAttr(descriptor, columns[k].column);
        bool descending = columns[k].descending;
        Oid op = ordering_operator(attribute->atttypid, descending);
        SortSupport key = &sort.keys[k];
        key->ssup_cxt = CurrentMemoryContext;
        key->ssup_collation = attribute->attcollation;
        key->ssup_nulls_first = descending;
        key->abbreviate = k == 0;
        PrepareSortSupportFromOrderingOp(op, key);
    }
    if (rows.count < 2)
        return;
    Size cells = static_cast<Size>(column_count) * rows.count;
    sort.values = static_cast<Datum*>(palloc_extended(sizeof(Datum) * cells, MCXT_ALLOC_HUGE));
    sort.nulls = static_cast<bool*>(palloc_extended(sizeof(bool) * cells, MCXT_ALLOC_HUGE));
    for (uint64 i = 0; i < rows.count; i++) {
        for (int k = 0; k < column_count; k++) {
            uint64 at = k * rows.count + i;
            sort.values[at] = SPI_getbinval(rows.table->vals[i], descriptor, columns[k].column + 1,
                                            &sort.nulls[at]);
        }
    }
    SortSupport first_key = &sort.keys[0];
    for (uint64 p = 0; p < parent_count; p++) {
        CHECK_FOR_INTERRUPTS();
        uint64 first = rows.starts[p];
        uint64 count = rows.starts[p + 1] - first;
        if (count < 2)
            continue;
        sort.use_abbreviated = first_key->abbrev_converter != nullptr && count >= kAbbreviateFrom;
        if (sort.use_abbreviated) {
            if (sort.abbreviated == nullptr) {
                sort.abbreviated = static_cast<Datum*>(
                    palloc_extended(sizeof(Datum) * rows.count, MCXT_ALLOC_HUGE));
            }
            for (uint64 i = first; i < first + count; i++) {
                uint64 row = rows.order[i];
                sort.abbreviated[row] =
                    sort.nulls[row] ? (Datum)0
                                    : first_key->abbrev_converter(sort.values[row], first_key);
            }
        }
        qsort_arg(rows.order + first, count, sizeof(uint64), compare_sorted_rows, &sort);
    }
}

// Groups the rows by parent row (column 1 below the top; one parent at the top) and orders
// each parent's rows by their place (order_column) when the statement did not.
void order_rows(BatchRows& rows, uint64 parent_count, bool below_top, int order_column) {
    TupleDesc descriptor = rows.table->tupdesc;
    auto* parents = static_cast<uint64*>(palloc0(sizeof(uint64) * (rows.count + 1)));
    int64* places = nullptr;
    if (order_column >= 0)
        places = static_cast<int64*>(palloc(sizeof(int64) * (rows.count + 1)));
    if (below_top && rows.keyed != nullptr)
        check_column_type(descriptor, 0, rows.keyed_type);
    for (uint64 i = 0; i < rows.count; i++) {
        bool is_null;
        if (below_top && rows.keyed != nullptr) {
            Datum key = SPI_getbinval(rows.table->vals[i], descriptor, 1, &is_null);
            int64 parent = is_null ? -1
                                   : parent_with_key(rows.keyed, rows.keyed_count,
                                                     key_image(rows.keyed_type, key));
            if (parent < 0)
                elog(ERROR, "data_bridge: eager load batch returned a row of no parent key");
            parents[i] = static_cast<uint64>(parent);
        } else if (below_top) {
            int64 number =
                DatumGetInt64(SPI_getbinval(rows.table->vals[i], descriptor, 1, &is_null));
            if (is_null || number < 1 || static_cast<uint64>(number) > parent_count)
                elog(ERROR, "data_bridge: eager load batch returned parent row %ld", (long)number);
            parents[i] = static_cast<uint64>(number) - 1;
        }
        if (places != nullptr) {
            places[i] = DatumGetInt64(
                SPI_getbinval(rows.table->vals[i], descriptor, order_column + 1, &is_null));
        }
    }
    rows.parents = parents;
    rows.starts = static_cast<uint64*>(palloc(sizeof(uint64) * (parent_count + 1)));
    rows.order = static_cast<uint64*>(palloc(sizeof(uint64) * (rows.count + 1)));
    static_assert(sizeof(uint64) == sizeof(std::uint64_t), "uint64 is std::uint64_t");
    group_by_parent(reinterpret_cast<std::uint64_t*>(parents), places, rows.count, parent_count,
                    reinterpret_cast<std::uint64_t*>(rows.starts),
                    reinterpret_cast<std::uint64_t*>(rows.order));
}

// The rows the batch renders: its own, and each joined row that exists.
long rendered_rows(const BatchRows& rows, const Batch& batch) {
    long count = static_cast<long>(rows.count);
    for (const BatchObject& object : batch.objects) {
        if (object.present_column < 0)
            continue;
        for (uint64 i = 0; i < rows.count; i++) {
            bool is_null;
            SPI_getbinval(rows.table->vals[i], rows.table->tupdesc, object.present_column + 1,
                          &is_null);
            count += is_null ? 0 : 1;
        }
    }
    return count;
}

// A row of the load: object `object` of row `row` of batch `batch`.
struct RowRef {
    int batch;
    int object;
    uint64 row;
};

// The result columns of a row's identity on a recursion, or null.
const std::vector<int>* identity_of(const BatchObject& object, int recursion) {
    for (const auto& [number, columns] : object.identities) {
        if (number == recursion)
            return &columns;
    }
    return nullptr;
}

// Whether two rows have the same identity on a recursion: identical values of its columns.
bool same_identity(const EagerProgram& program, const BatchRows* rows, RowRef a, RowRef b,
                   int recursion) {
    const std::vector<int>* first =
        identity_of(program.batches[a.batch].objects[a.object], recursion);
    const std::vector<int>* second =
        identity_of(program.batches[b.batch].objects[b.object], recursion);
    if (first == nullptr || second == nullptr || first->size() != second->size())
        return false;
    TupleDesc first_descriptor = rows[a.batch].table->tupdesc;
    TupleDesc second_descriptor = rows[b.batch].table->tupdesc;
    for (std::size_t i = 0; i < first->size(); i++) {
        int first_column = (*first)[i];
        int second_column = (*second)[i];
        Form_pg_attribute attribute = TupleDescAttr(first_descriptor, first_column);
        if (TupleDescAttr(second_descriptor, second_column)->atttypid != attribute->atttypid)
            return false;
        bool first_null, second_null;
        Datum first_value = SPI_getbinval(rows[a.batch].table->vals[a.row], first_descriptor,
                                          first_column + 1, &first_null);
        Datum second_value = SPI_getbinval(rows[b.batch].table->vals[b.row], second_descriptor,
                                           second_column + 1, &second_null);
        // A unique key's stored values: the same row's are identical, another row's differ.
        if (first_null || second_null ||
            !datum_image_eq(first_value, second_value, attribute->attbyval, attribute->attlen))
            return false;
    }
    return true;
}

// One step up the tree: the object holding a joined row, or the parent row of a batch's own
// row. False above the top.
bool step_up(const EagerProgram& program, const BatchRows* rows, RowRef* at) {
    const Batch& batch = program.batches[at->batch];
    if (at->object != 0) {
        at->object = batch.objects[at->object].holder;
        return at->object >= 0;
    }
    if (batch.parent < 0)
        return false;
    at->row = rows[at->batch].parents[at->row];
    at->object = batch.parent_object;
    at->batch = batch.parent;
    return true;
}

// Whether a row of a recursive relation's level is one of its own ancestors on that relation
// (up to the row the recursion starts from): a cycle in the data.
bool repeats_ancestor(const EagerProgram& program, const BatchRows* rows, RowRef row) {
    int recursion = program.batches[row.batch].objects[row.object].recursion;
    RowRef above = row;
    while (step_up(program, rows, &above)) {
        if (same_identity(program, rows, row, above, recursion))
            return true;
        if (program.batches[above.batch].objects[above.object].recursion != recursion)
            return false;
    }
    return false;
}

// Marks the rows of a recursion's level (a batch's own rows) that repeat an ancestor.
void mark_repeated(const EagerProgram& program, BatchRows* rows, int batch) {
    BatchRows& mine = rows[batch];
    mine.repeated = static_cast<bool*>(palloc0(sizeof(bool) * (mine.count + 1)));
    for (uint64 i = 0; i < mine.count; i++) {
        CHECK_FOR_INTERRUPTS();
        mine.repeated[i] = repeats_ancestor(program, rows, {batch, 0, i});
    }
}

// The key column `column` of every parent row, as an array parameter; NULL for the rows
// `skipped` marks (no related rows then).
Datum key_array(const BatchRows& parent, int column, Oid element_type, const bool* skipped) {
    check_column_type(parent.table->tupdesc, column, element_type);
    int count = static_cast<int>(parent.count);
    auto* values = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    auto* nulls = static_cast<bool*>(palloc(sizeof(bool) * (count + 1)));
    for (int i = 0; i < count; i++) {
        values[i] =
            SPI_getbinval(parent.table->vals[i], parent.table->tupdesc, column + 1, &nulls[i]);
        if (skipped != nullptr && skipped[i])
            nulls[i] = true;
    }
    return array_datum(element_type, values, nulls, count);
}

// The parent rows by their key's value (column `column`, of a type key_matches_by_value
// accepts), NULL keys left out; null when two rows share a key.
const KeyedParent* keyed_parents(const BatchRows& parent, int column, Oid type, uint64* count) {
    check_column_type(parent.table->tupdesc, column, type);
    auto* keyed = static_cast<KeyedParent*>(
        palloc_extended(sizeof(KeyedParent) * (parent.count + 1), MCXT_ALLOC_HUGE));
    uint64 taken = 0;
    for (uint64 i = 0; i < parent.count; i++) {
        if ((i & 4095) == 0)
            CHECK_FOR_INTERRUPTS();
        bool is_null;
        Datum key =
            SPI_getbinval(parent.table->vals[i], parent.table->tupdesc, column + 1, &is_null);
        if (!is_null)
            keyed[taken++] = {key_image(type, key), i};
    }
    if (!sort_parents_by_key(keyed, taken)) {
        pfree(keyed);
        return nullptr;
    }
    *count = taken;
    return keyed;
}

// The shared relations' lists of one call: per list (EagerProgram::shared_lists), each distinct
// object once as json text; a hash table finds an object's place by its list and text. Plain
// palloc'd data in the call's memory, as code inside guarded() needs.
struct SharedKey {
    int list;
    int length;
    const char* text;
};
struct SharedEntry {
    SharedKey key;
    int place;
};
struct SharedList {
    StringInfoData items;  // the json forms: the objects' text, ", " between them
    JsonbValue* values;    // the jsonb forms: the objects (values_room of them allocated)
    int values_room;
    int count;
};
struct SharedLists {
    const std::vector<std::string>* names;
    SharedList* lists;
    HTAB* seen;
    StringInfoData key;  // the key being looked up (free again once the entry holds a copy)
    // The jsonb forms: lists of the same names in which objects with relations of their own are
    // rendered as text to be known by it (places in them are as deterministic as the real ones).
    SharedLists* identities;
};

uint32 shared_key_hash(const void* key, Size) {
    const auto* shared = static_cast<const SharedKey*>(key);
    uint32 text = hash_bytes(reinterpret_cast<const unsigned char*>(shared->text), shared->length);
    return hash_combine(text, static_cast<uint32>(shared->list));
}

int shared_key_match(const void* a, const void* b, Size) {
    const auto* left = static_cast<const SharedKey*>(a);
    const auto* right = static_cast<const SharedKey*>(b);
    if (left->list != right->list || left->length != right->length)
        return 1;
    return memcmp(left->text, right->text, left->length);
}

SharedLists* start_shared_lists(const std::vector<std::string>& names) {
    auto* shared = static_cast<SharedLists*>(palloc0(sizeof(SharedLists)));
    shared->names = &names;
    shared->lists = static_cast<SharedList*>(palloc0(sizeof(SharedList) * (names.size() + 1)));
    for (std::size_t i = 0; i < names.size(); i++)
        initStringInfo(&shared->lists[i].items);
    initStringInfo(&shared->key);
    HASHCTL control;
    control.keysize = sizeof(SharedKey);
    control.entrysize = sizeof(SharedEntry);
    control.hash = shared_key_hash;
    control.match = shared_key_match;
    control.hcxt = CurrentMemoryContext;
    shared->seen = hash_create("data_bridge shared rows", 256, &control,
                               HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
    return shared;
}

int shared_list(const SharedLists* shared, const std::string& name) {
    const std::vector<std::string>& names = *shared->names;
    int list = static_cast<int>(std::lower_bound(names.begin(), names.end(), name, jsonb_key_less) -
                                names.begin());
    if (list >= static_cast<int>(names.size()) || names[list] != name)
        elog(ERROR, "data_bridge: no shared list \"%s\"", name.c_str());
    return list;
}

// The place of the key (bytes) in list `list`, or -1 when it is not there yet.
int shared_known(SharedLists* shared, int list, const char* bytes, int length) {
    SharedKey key{list, length, bytes};
    auto* entry = static_cast<SharedEntry*>(hash_search(shared->seen, &key, HASH_FIND, nullptr));
    return entry == nullptr ? -1 : entry->place;
}

// Room in list `list` for the object at `place` (the jsonb forms).
JsonbValue* shared_value_slot(SharedLists* shared, int list, int place) {
    SharedList& target = shared->lists[list];
    if (place >= target.values_room) {
        int room = std::max(16, target.values_room * 2);
        while (room <= place)
            room *= 2;
        target.values =
            target.values == nullptr
                ? static_cast<JsonbValue*>(palloc(sizeof(JsonbValue) * room))
                : static_cast<JsonbValue*>(repalloc(target.values, sizeof(JsonbValue) * room));
        target.values_room = room;
    }
    return &target.values[place];
}

// Looks the key (bytes) up in list `list`; when it is new, keeps a copy of it and returns the
// place the next object of the list takes (the caller appends the object). Sets *added.
int shared_entry(SharedLists* shared, int list, const char* bytes, int length, bool* added) {
    SharedKey key{list, length, bytes};
    bool found;
    auto* entry = static_cast<SharedEntry*>(hash_search(shared->seen, &key, HASH_ENTER, &found));
    *added = !found;
    if (!found) {
        // The key pointed at the caller's bytes: the entry keeps a copy of its own.
        char* copy = static_cast<char*>(palloc(length + 1));
        memcpy(copy, bytes, length);
        entry->key.text = copy;
        entry->place = shared->lists[list].count++;
    }
    return entry->place;
}

// The place of the object (json text) in the list `name`, listed there when new: objects that
// render the same text are one.
int shared_place(SharedLists* shared, const std::string& name, const char* text, int length) {
    int list = shared_list(shared, name);
    resetStringInfo(&shared->key);
    appendStringInfoChar(&shared->key, 'T');
    appendBinaryStringInfo(&shared->key, text, length);
    bool added;
    int place = shared_entry(shared, list, shared->key.data, shared->key.len, &added);
    if (added) {
        SharedList& target = shared->lists[list];
        if (place > 0)
            appendBinaryStringInfo(&target.items, ", ", 2);
        appendBinaryStringInfo(&target.items, text, length);
    }
    return place;
}

// The key of a row of columns only (EagerProgram::column_shapes): its shape, then each value's
// image (equal images are equal values; equal values in two images, a value stored toasted once
// and inline once, are listed twice, which is harmless).
void column_key(StringInfo key, int shape, const BatchObject& object, TupleDesc descriptor,
                const Datum* values, const bool* nulls) {
    resetStringInfo(key);
    appendStringInfoChar(key, 'C');
    appendBinaryStringInfo(key, reinterpret_cast<const char*>(&shape), sizeof(shape));
    for (const BatchField& field : object.fields) {
        int column = field.column;
        if (nulls[column]) {
            appendStringInfoChar(key, 'n');
            continue;
        }
        Form_pg_attribute attribute = TupleDescAttr(descriptor, column);
        appendStringInfoChar(key, 'v');
        if (attribute->attbyval) {
            appendBinaryStringInfo(key, reinterpret_cast<const char*>(&values[column]),
                                   sizeof(Datum));
            continue;
        }
        const char* data = DatumGetPointer(values[column]);
        int length = attribute->attlen > 0     ? attribute->attlen
                     : attribute->attlen == -1 ? static_cast<int>(VARSIZE_ANY(data))
                                               : static_cast<int>(strlen(data)) + 1;
        appendBinaryStringInfo(key, reinterpret_cast<const char*>(&length), sizeof(length));
        appendBinaryStringInfo(key, data, length);
    }
}

// Appends , "shared": {"name": [...], ...}} after the data.
void append_shared_lists(StringInfo out, const SharedLists* shared) {
    appendBinaryStringInfo(out, ", \"shared\": {", 13);
    const std::vector<std::string>& names = *shared->names;
    for (std::size_t i = 0; i < names.size(); i++) {
        if (i > 0)
            appendBinaryStringInfo(out, ", ", 2);
        append_json_string(out, names[i].data(), static_cast<int>(names[i].size()));
        appendBinaryStringInfo(out, ": [", 3);
        appendBinaryStringInfo(out, shared->lists[i].items.data, shared->lists[i].items.len);
        appendStringInfoChar(out, ']');
    }
    appendBinaryStringInfo(out, "}}", 2);
}

// {"data": data, "shared": {"name": [...], ...}} as a JsonbValue (keys in jsonb's order).
void shared_result(JsonbValue* out, JsonbValue* data, const SharedLists* shared) {
    const std::vector<std::string>& names = *shared->names;
    auto* lists = static_cast<JsonbPair*>(palloc0(sizeof(JsonbPair) * (names.size() + 1)));
    for (std::size_t i = 0; i < names.size(); i++) {
        JsonbPair& pair = lists[i];
        pair.key.type = jbvString;
        pair.key.val.string.val = const_cast<char*>(names[i].data());
        pair.key.val.string.len = static_cast<int>(names[i].size());
        pair.order = static_cast<uint32>(i);
        pair.value.type = jbvArray;
        pair.value.val.array.nElems = shared->lists[i].count;
        pair.value.val.array.elems = shared->lists[i].values;
        pair.value.val.array.rawScalar = false;
    }
    auto* pairs = static_cast<JsonbPair*>(palloc0(sizeof(JsonbPair) * 2));
    const char* keys[] = {"data", "shared"};
    for (int i = 0; i < 2; i++) {
        pairs[i].key.type = jbvString;
        pairs[i].key.val.string.val = const_cast<char*>(keys[i]);
        pairs[i].key.val.string.len = static_cast<int>(strlen(keys[i]));
        pairs[i].order = static_cast<uint32>(i);
    }
    pairs[0].value = *data;
    pairs[1].value.type = jbvObject;
    pairs[1].value.val.object.nPairs = static_cast<int>(names.size());
    pairs[1].value.val.object.pairs = lists;
    out->type = jbvObject;
    out->val.object.nPairs = 2;
    out->val.object.pairs = pairs;
}

// Where a load's values go, with the same calls for all three: a JsonbValue tree (the jsonb
// result with shared relations, whose lists are put together at the end), json text written as
// it goes (the json forms: no tree, no numeric for an integer), or jsonb written as it goes
// (BinOut, every other jsonb result and streamed row). All are plain values, as code inside
// guarded() needs.
struct TreeOut {
    JsonbValue* value;
    SharedLists* shared = nullptr;  // the call's shared lists, when it has shared relations

    struct Object {
        JsonbPair* pairs;
        int count;
    };
    struct Array {
        JsonbValue* elements;
        int count;
    };

    void null() const { value->type = jbvNull; }
    void boolean(bool truth) const {
        value->type = jbvBool;
        value->val.boolean = truth;
    }
    void integer(int64 number) const {
        value->type = jbvNumeric;
        value->val.numeric = int64_to_numeric(number);
    }
    void jsonb(Datum document) const { jsonb_datum_value(document, value); }
    void column(const ColumnRenderer* renderer, Datum datum, bool is_null) const {
        render_value(renderer, datum, is_null, value);
    }
    Object begin_object(const BatchField* const*, int fields) const {
        return {static_cast<JsonbPair*>(palloc(sizeof(JsonbPair) * (fields + 1))), 0};
    }
    TreeOut field(Object& object, const std::string& key) const {
        JsonbPair& pair = object.pairs[object.count];
        pair.key.type = jbvString;
        pair.key.val.string.val = const_cast<char*>(key.data());
        pair.key.val.string.len = static_cast<int>(key.size());
        pair.order = object.count++;
        return {&pair.value, shared};
    }
    void end_object(const Object& object) const {
        value->type = jbvObject;
        value->val.object.nPairs = object.count;
        value->val.object.pairs = object.pairs;
    }
    Array begin_array(int count) const {
        return {static_cast<JsonbValue*>(palloc(sizeof(JsonbValue) * (count + 1))), 0};
    }
    TreeOut element(Array& array) const { return {&array.elements[array.count++], shared}; }
    void end_array(const Array& array) const {
        value->type = jbvArray;
        value->val.array.nElems = array.count;
        value->val.array.elems = array.elements;
        value->val.array.rawScalar = false;
    }
};

// A column's value written by an Out that writes as it goes (TextOut, BinOut): NULL, an integer
// and embedded jsonb by its own calls (no numeric built, no tree); any other scalar rendered as
// to_jsonb renders it and handed to `scalar`.
template <typename Out, typename Scalar>
void write_column(const Out& out, const ColumnRenderer* renderer, Datum datum, bool is_null,
                  Scalar scalar) {
    if (is_null) {
        out.null();
    } else if (renderer->rendering == JsonbRendering::kInteger) {
        out.integer(integer_value(renderer, datum));
    } else if (renderer->rendering == JsonbRendering::kJsonb ||
               renderer->rendering == JsonbRendering::kSql) {
        out.jsonb(datum);
    } else {
        JsonbValue value;
        render_value(renderer, datum, false, &value);
        scalar(&value);
    }
}

// Prints what jsonb_out prints for the tree TreeOut builds: ", " between items, ": " after keys.
// `shared`: the call's shared lists, when it has shared relations.
struct TextOut {
    StringInfo text;
    SharedLists* shared = nullptr;

    struct Object {
        bool first;
    };
    using Array = Object;

    void null() const { appendBinaryStringInfo(text, "null", 4); }
    void boolean(bool truth) const {
        if (truth)
            appendBinaryStringInfo(text, "true", 4);
        else
            appendBinaryStringInfo(text, "false", 5);
    }
    void integer(int64 number) const {
        char digits[MAXINT8LEN + 1];
        int length = pg_lltoa(number, digits);
        appendBinaryStringInfo(text, digits, length);
    }
    void jsonb(Datum document) const {
        Jsonb* parsed = DatumGetJsonbP(document);
        JsonbToCString(text, &parsed->root, static_cast<int>(VARSIZE(parsed)));
    }
    void column(const ColumnRenderer* renderer, Datum datum, bool is_null) const {
        write_column(*this, renderer, datum, is_null,
                     [this](const JsonbValue* scalar) { append_json_text(text, scalar); });
    }
    Object begin_object(const BatchField* const*, int) const {
        appendStringInfoChar(text, '{');
        return {true};
    }
    TextOut field(Object& object, const std::string& key) const {
        if (!object.first)
            appendBinaryStringInfo(text, ", ", 2);
        object.first = false;
        append_json_string(text, key.data(), static_cast<int>(key.size()));
        appendBinaryStringInfo(text, ": ", 2);
        return *this;
    }
    void end_object(const Object&) const { appendStringInfoChar(text, '}'); }
    Array begin_array(int) const {
        appendStringInfoChar(text, '[');
        return {true};
    }
    TextOut element(Array& array) const {
        if (!array.first)
            appendBinaryStringInfo(text, ", ", 2);
        array.first = false;
        return *this;
    }
    void end_array(const Array&) const { appendStringInfoChar(text, ']'); }
};

// Writes the jsonb result in its on-disk form as it goes (jsonb_writer.hpp): no JsonbValue tree
// to build and convert, no numeric kept per integer. Programs with shared relations render
// through TreeOut (their lists are put together at the end).
struct BinOut {
    StringInfo buffer;
    JsonbSlot slot;
    SharedLists* shared = nullptr;  // never set: see above

    using Object = JsonbOpen;
    using Array = JsonbOpen;

    void null() const { jsonb_write_null(buffer, slot); }
    void boolean(bool truth) const { jsonb_write_bool(buffer, slot, truth); }
    void integer(int64 number) const {
        Numeric value = int64_to_numeric(number);
        jsonb_write_numeric(buffer, slot, value);
        pfree(value);
    }
    void jsonb(Datum document) const {
        jsonb_write_document(buffer, slot, DatumGetJsonbP(document));
    }
    void column(const ColumnRenderer* renderer, Datum datum, bool is_null) const {
        write_column(*this, renderer, datum, is_null, [this](const JsonbValue* scalar) {
            jsonb_write_scalar(buffer, slot, scalar);
        });
    }
    // The object's keys are written first: all of them, in the order the fields come.
    Object begin_object(const BatchField* const* fields, int count) const {
        constexpr int kOnStack = 32;
        const char* key_stack[kOnStack];
        int length_stack[kOnStack];
        const char** keys = count <= kOnStack
                                ? key_stack
                                : static_cast<const char**>(palloc(sizeof(char*) * count));
        int* lengths =
            count <= kOnStack ? length_stack : static_cast<int*>(palloc(sizeof(int) * count));
        for (int i = 0; i < count; i++) {
            keys[i] = fields[i]->key.data();
            lengths[i] = static_cast<int>(fields[i]->key.size());
        }
        return jsonb_begin_object(buffer, slot, keys, lengths, count);
    }
    BinOut field(Object& object, const std::string&) const {
        return {buffer, jsonb_next_value(&object)};
    }
    void end_object(Object& object) const { jsonb_end(buffer, &object); }
    Array begin_array(int count) const { return jsonb_begin_array(buffer, slot, count); }
    BinOut element(Array& array) const { return {buffer, jsonb_next_element(&array)}; }
    void end_array(Array& array) const { jsonb_end(buffer, &array); }
};

template <typename Out>
void render_row(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row, Out out);
template <typename Out>
void render_object(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row,
                   int object_index, Out out, const std::string* skip = nullptr);

// A shared relation's object (BatchField::shared), present: rendered as text by `render` and
// listed once in the list `name`; the value is its place there. Programs with shared relations
// render as text only.
// `shape`: the object's column shape (EagerProgram::column_shapes): then it is known by its
// values, and rendered only the first time.
template <typename Out, typename Render>
void render_shared(Out value, const std::string& name, int shape, const BatchObject& object,
                   const BatchRows& mine, Render render) {
    if constexpr (std::is_same_v<Out, TextOut>) {
        SharedLists* shared = value.shared;
        if (shape >= 0) {
            int list = shared_list(shared, name);
            column_key(&shared->key, shape, object, mine.table->tupdesc, mine.values, mine.nulls);
            bool added;
            int place = shared_entry(shared, list, shared->key.data, shared->key.len, &added);
            if (added) {
                // Columns only: nothing else is appended to the list while it renders.
                StringInfo items = &shared->lists[list].items;
                if (place > 0)
                    appendBinaryStringInfo(items, ", ", 2);
                render(TextOut{items, shared});
            }
            value.integer(place);
            return;
        }
        StringInfoData scratch;
        initStringInfo(&scratch);
        render(TextOut{&scratch, shared});
        value.integer(shared_place(shared, name, scratch.data, scratch.len));
        pfree(scratch.data);
    } else {
        // The same entries in the same order as the json forms make: a row of columns only by
        // its values; any other by its text (in the identity lists), listed after the shared
        // rows inside it.
        SharedLists* shared = value.shared;
        int list = shared_list(shared, name);
        bool added;
        int place;
        if (shape >= 0) {
            column_key(&shared->key, shape, object, mine.table->tupdesc, mine.values, mine.nulls);
            place = shared_entry(shared, list, shared->key.data, shared->key.len, &added);
            if (added)
                render(TreeOut{shared_value_slot(shared, list, place), shared});
            value.integer(place);
            return;
        }
        StringInfoData scratch;
        initStringInfo(&scratch);
        appendStringInfoChar(&scratch, 'T');
        render(TextOut{&scratch, shared->identities});
        place = shared_known(shared, list, scratch.data, scratch.len);
        if (place < 0) {
            JsonbValue rendered;
            render(TreeOut{&rendered, shared});
            place = shared_entry(shared, list, scratch.data, scratch.len, &added);
            *shared_value_slot(shared, list, place) = rendered;
        }
        pfree(scratch.data);
        value.integer(place);
    }
}

// The value a relation takes in parent row `parent_row`: its rows, or its one row. `shared`:
// the relation's field, when it is a shared one.
template <typename Out>
void render_related(const EagerProgram& program, BatchRows* rows, int batch_index,
                    uint64 parent_row, Out out, const BatchField* shared = nullptr) {
    const Batch& batch = program.batches[batch_index];
    const BatchRows& related = rows[batch_index];
    uint64 first = related.starts[parent_row];
    uint64 last = related.starts[parent_row + 1];
    const uint64* order = related.order;
    if (batch.shape == EagerShape::kObject) {
        if (first >= last) {
            out.null();
        } else if (shared != nullptr) {
            uint64 row = order[first];
            BatchRows& mine = rows[batch_index];
            heap_deform_tuple(mine.table->vals[row], mine.table->tupdesc, mine.values, mine.nulls);
            render_shared(out, shared->key, program.column_shapes[batch_index][0], batch.objects[0],
                          mine, [&program, rows, batch_index, row](auto text) {
                              render_object(program, rows, batch_index, row, 0, text);
                          });
        } else {
            render_row(program, rows, batch_index, order[first], out);
        }
        return;
    }
    auto array = out.begin_array(static_cast<int>(last - first));
    for (uint64 i = first; i < last; i++)
        render_row(program, rows, batch_index, order[i], out.element(array));
    out.end_array(array);
}

template <typename Out>
void render_chain(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row,
                  const BatchField& first, Out out);

// One object of the deformed row `row` of the batch, with keys already in jsonb's order: no
// sorting per row. `skip`: a field of the object left out (the one a chain's element nests the
// next under).
template <typename Out>
void render_object(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row,
                   int object_index, Out out, const std::string* skip) {
    const BatchObject& object = program.batches[batch_index].objects[object_index];
    BatchRows& mine = rows[batch_index];
    if (object.present_column >= 0 && mine.nulls[object.present_column]) {
        out.null();
        return;
    }
    // A row met again among its ancestors: marked, and its recursion not followed.
    bool repeated = false;
    if (object.recursion != 0) {
        repeated = object_index == 0 && mine.repeated != nullptr
                       ? mine.repeated[row]
                       : repeats_ancestor(program, rows, {batch_index, object_index, row});
    }
    // The fields it renders, known before the first (the jsonb writer puts keys first).
    constexpr std::size_t kOnStack = 32;
    const BatchField* on_stack[kOnStack];
    const BatchField** included =
        object.fields.size() <= kOnStack
            ? on_stack
            : static_cast<const BatchField**>(palloc(sizeof(BatchField*) * object.fields.size()));
    int count = 0;
    for (const BatchField& field : object.fields) {
        if (skip != nullptr && field.key == *skip && field.object >= 0)
            continue;
        if ((field.mark && !repeated) ||
            (repeated && field.recursion == object.recursion && !field.mark))
            continue;
        included[count++] = &field;
    }
    auto fields = out.begin_object(included, count);
    for (int i = 0; i < count; i++) {
        const BatchField& field = *included[i];
        Out value = out.field(fields, field.key);
        if (field.mark) {
            value.boolean(true);
        } else if (field.child >= 0 && is_values_batch(program.batches[field.child])) {
            render_batch_value(rows[field.child], row, field.count, value);
        } else if (field.count) {
            value.integer(mine.nulls[field.column] ? 0 : DatumGetInt64(mine.values[field.column]));
        } else if (field.jsonb) {
            // Mostly scalars (numbers, strings); min/max of an array column is a container.
            if (mine.nulls[field.column])
                value.null();
            else
                value.jsonb(mine.values[field.column]);
        } else if (field.column >= 0) {
            value.column(&mine.renderers[field.column], mine.values[field.column],
                         mine.nulls[field.column]);
        } else if (field.object >= 0 && field.chain) {
            render_chain(program, rows, batch_index, row, field, value);
        } else if (field.object >= 0 && field.shared) {
            int joined = field.object;
            int present = program.batches[batch_index].objects[joined].present_column;
            if (present >= 0 && mine.nulls[present]) {
                value.null();
            } else {
                render_shared(value, field.key, program.column_shapes[batch_index][joined],
                              program.batches[batch_index].objects[joined], mine,
                              [&program, rows, batch_index, row, joined](auto text) {
                                  render_object(program, rows, batch_index, row, joined, text);
                              });
            }
        } else if (field.object >= 0) {
            render_object(program, rows, batch_index, row, field.object, value);
        } else {
            render_related(program, rows, field.child, row, value, field.shared ? &field : nullptr);
        }
    }
    out.end_object(fields);
}

// A per-tenant count or aggregate of parent row `row` (a values batch: at most one row per
// parent, k.n and then the value); a parent without a tenant has none: the value over no rows.
template <typename Out>
void render_batch_value(const BatchRows& values, uint64 row, bool count, Out value) {
    bool present = values.table != nullptr && values.starts[row] < values.starts[row + 1];
    bool is_null = true;
    Datum datum = (Datum)0;
    if (present) {
        uint64 at = values.order[values.starts[row]];
        datum = SPI_getbinval(values.table->vals[at], values.table->tupdesc, 2, &is_null);
    } else if (!count) {
        datum = values.empty_value;
        is_null = values.empty_null;
    }
    if (count)
        value.integer(is_null ? 0 : DatumGetInt64(datum));
    else if (is_null)
        value.null();
    else
        value.jsonb(datum);  // mostly scalars; min/max of an array column is a container
}

// The objects of a chain, each the value of the previous one's field of the same key, as an
// array from the first: each without that field. Ends at the first absent one, or the last level.
template <typename Out>
void render_chain(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row,
                  const BatchField& first, Out out) {
    const Batch& batch = program.batches[batch_index];
    const BatchRows& mine = rows[batch_index];
    // Runs inside guarded(): plain palloc'd memory only, no object with a destructor.
    auto* chain = static_cast<int*>(palloc(sizeof(int) * (batch.objects.size() + 1)));
    std::size_t length = 0;
    int object = first.object;
    while (object >= 0 && length < batch.objects.size()) {
        const BatchObject& link = batch.objects[object];
        if (link.present_column >= 0 && mine.nulls[link.present_column])
            break;
        chain[length++] = object;
        if (link.recursion != 0 && repeats_ancestor(program, rows, {batch_index, object, row}))
            break;  // the repeated row ends the chain, marked
        int next = -1;
        for (const BatchField& field : link.fields) {
            if (field.key == first.key && field.object >= 0)
                next = field.object;
        }
        object = next;
    }
    auto array = out.begin_array(static_cast<int>(length));
    for (std::size_t i = 0; i < length; i++)
        render_object(program, rows, batch_index, row, chain[i], out.element(array), &first.key);
    out.end_array(array);
}

// One row of a batch. Its deformed values stay put while it renders: the relations it renders
// are rows of other batches.
template <typename Out>
void render_row(const EagerProgram& program, BatchRows* rows, int batch_index, uint64 row,
                Out out) {
    CHECK_FOR_INTERRUPTS();
    check_stack_depth();
    BatchRows& mine = rows[batch_index];
    heap_deform_tuple(mine.table->vals[row], mine.table->tupdesc, mine.values, mine.nulls);
    render_object(program, rows, batch_index, row, 0, out);
}

}  // namespace

namespace {

// Takes a batch's result rows: groups them by parent row (ordered by their place where the
// statement did not order them) and prepares their rendering. Returns the rows they render.
long take_rows(const EagerProgram& program, std::size_t b, BatchRows* rows, SPITupleTable* table,
               uint64 processed, uint64 parent_count, bool ordered) {
    const Batch& batch = program.batches[b];
    const std::vector<RenderedResultColumn>& columns = program.rendered[b];
    const RenderedResultColumn* column_data = columns.data();
    int column_count = static_cast<int>(columns.size());
    bool below_top = batch.parent >= 0;
    int order_column = ordered ? -1 : batch.order_column;
    const SortColumn* sort_columns = batch.sort_columns.data();
    int sort_count = ordered ? 0 : static_cast<int>(batch.sort_columns.size());
    const Batch* batch_data = &batch;
    return guarded([&rows, b, table, processed, parent_count, below_top, order_column, column_data,
                    column_count, batch_data, sort_columns, sort_count] {
        BatchRows& mine = rows[b];
        mine.table = table;
        mine.count = processed;
        TupleDesc descriptor = mine.table->tupdesc;
        for (int i = 0; i < column_count; i++)
            check_column_type(descriptor, column_data[i].column, column_data[i].result_type);
        order_rows(mine, parent_count, below_top, order_column);
        if (sort_count > 0)
            sort_parent_rows(mine, parent_count, sort_columns, sort_count);
        int width = descriptor->natts;
        mine.values = static_cast<Datum*>(palloc(sizeof(Datum) * width));
        mine.nulls = static_cast<bool*>(palloc(sizeof(bool) * width));
        mine.renderers = static_cast<ColumnRenderer*>(palloc0(sizeof(ColumnRenderer) * width));
        for (int i = 0; i < column_count; i++) {
            prepare_renderer(&mine.renderers[column_data[i].column], column_data[i].rendering);
        }
        return rendered_rows(mine, *batch_data);
    });
}

// The parent rows of a per-tenant batch (Citus) by tenant: `rows` holds the numbers (0-based)
// of the parent rows with a tenant, grouped by it; group g is rows[starts[g] .. starts[g + 1])
// and its tenant tenants[g]. A NULL tenant matches nothing: its rows are left out.
struct TenantGroups {
    int* rows;
    int* starts;
    Datum* tenants;
    int count;
};

// Orders parent rows by their tenant's stored image (equal images: the same tenant, as
// datum_image_eq decides), then by row number.
struct TenantImages {
    const Datum* values;
    bool byval;
    int16 length;
};

int compare_tenant_images(const void* a, const void* b, void* arg) {
    int first = *static_cast<const int*>(a);
    int second = *static_cast<const int*>(b);
    const auto* images = static_cast<const TenantImages*>(arg);
    Datum x = images->values[first];
    Datum y = images->values[second];
    int order = 0;
    if (images->byval) {
        order = x < y ? -1 : x > y ? 1 : 0;
    } else if (images->length > 0) {
        order = memcmp(DatumGetPointer(x), DatumGetPointer(y), images->length);
    } else if (images->length == -1) {
        struct varlena* left = pg_detoast_datum_packed((struct varlena*)DatumGetPointer(x));
        struct varlena* right = pg_detoast_datum_packed((struct varlena*)DatumGetPointer(y));
        Size left_size = VARSIZE_ANY_EXHDR(left);
        Size right_size = VARSIZE_ANY_EXHDR(right);
        order = left_size != right_size ? (left_size < right_size ? -1 : 1)
                                        : memcmp(VARDATA_ANY(left), VARDATA_ANY(right), left_size);
    } else {
        order = strcmp(DatumGetCString(x), DatumGetCString(y));
    }
    return order != 0 ? order : (first < second ? -1 : first > second ? 1 : 0);
}

// One pass over the parent rows and a sort: the groups, each array sized to its rows.
TenantGroups tenant_groups(const BatchRows& parent, int column) {
    TenantGroups groups{nullptr, nullptr, nullptr, 0};
    int count = static_cast<int>(parent.count);
    auto* values = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    groups.rows = static_cast<int*>(palloc(sizeof(int) * (count + 1)));
    int with_tenant = 0;
    for (int i = 0; i < count; i++) {
        bool is_null;
        values[i] =
            SPI_getbinval(parent.table->vals[i], parent.table->tupdesc, column + 1, &is_null);
        if (!is_null)
            groups.rows[with_tenant++] = i;
    }
    Form_pg_attribute attribute = TupleDescAttr(parent.table->tupdesc, column);
    TenantImages images{values, attribute->attbyval, attribute->attlen};
    qsort_arg(groups.rows, with_tenant, sizeof(int), compare_tenant_images, &images);
    groups.starts = static_cast<int*>(palloc(sizeof(int) * (with_tenant + 2)));
    groups.tenants = static_cast<Datum*>(palloc(sizeof(Datum) * (with_tenant + 1)));
    for (int at = 0; at < with_tenant; at++) {
        CHECK_FOR_INTERRUPTS();
        if (at == 0 || !datum_image_eq(values[groups.rows[at - 1]], values[groups.rows[at]],
                                       attribute->attbyval, attribute->attlen)) {
            groups.starts[groups.count] = at;
            groups.tenants[groups.count++] = values[groups.rows[at]];
        }
    }
    groups.starts[groups.count] = with_tenant;
    return groups;
}

// The key column `column` of the parent rows of group `group`, as an array parameter; with
// `numbers`, the 1-based numbers of those rows instead.
Datum group_array(const BatchRows& parent, int column, Oid element_type, const TenantGroups& groups,
                  int group, bool numbers) {
    if (!numbers)
        check_column_type(parent.table->tupdesc, column, element_type);
    int first = groups.starts[group];
    int count = groups.starts[group + 1] - first;
    auto* values = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    auto* nulls = static_cast<bool*>(palloc(sizeof(bool) * (count + 1)));
    for (int i = 0; i < count; i++) {
        int row = groups.rows[first + i];
        if (numbers) {
            values[i] = Int64GetDatum(row + 1);
            nulls[i] = false;
        } else {
            values[i] = SPI_getbinval(parent.table->vals[row], parent.table->tupdesc, column + 1,
                                      &nulls[i]);
        }
    }
    Datum array = array_datum(numbers ? INT8OID : element_type, values, nulls, count);
    pfree(values);
    pfree(nulls);
    return array;
}

// Copies the rows of SPI's last result into `gathered` (in the current context) and frees the
// result, so that a run per tenant costs what its rows take.
void gather_rows(SPITupleTable* gathered, uint64 count) {
    uint64 needed = gathered->numvals + count;
    if (needed + 1 > gathered->alloced) {
        uint64 size = std::max<uint64>(needed + 1, gathered->alloced * 2);
        gathered->vals =
            gathered->vals == nullptr
                ? static_cast<HeapTuple*>(palloc(sizeof(HeapTuple) * size))
                : static_cast<HeapTuple*>(repalloc(gathered->vals, sizeof(HeapTuple) * size));
        gathered->alloced = size;
    }
    if (gathered->tupdesc == nullptr)
        gathered->tupdesc = CreateTupleDescCopy(SPI_tuptable->tupdesc);
    for (uint64 i = 0; i < count; i++)
        gathered->vals[gathered->numvals + i] = heap_copytuple(SPI_tuptable->vals[i]);
    gathered->numvals = needed;
    SPI_freetuptable(SPI_tuptable);
}

// What a run per tenant costs the load's budget besides its rows: its statement's plan and
// result, made and freed (data_bridge.max_load_size then bounds the number of runs too).
constexpr int64 kTenantRunBytes = 8192;

// A per-tenant batch (Citus, a load across tenants): its statement run once for the parent
// rows of each tenant, with their keys, their numbers and the tenant bound, planned for those
// values, so that every run stays on the tenant's shard; the runs' rows gathered into one
// table. Null when no parent row has a tenant (nothing ran).
SPITupleTable* run_per_tenant(const EagerProgram& program, std::size_t b, const Parameters& spec,
                              const BatchRows& parent, long row_limit, ReadBudget* budget,
                              uint64* processed) {
    const Batch& batch = program.batches[b];
    int tenant_column = batch.parent_key_columns[batch.tenant_key];
    TenantGroups groups =
        guarded([&parent, tenant_column] { return tenant_groups(parent, tenant_column); });
    auto* gathered =
        guarded([] { return static_cast<SPITupleTable*>(palloc0(sizeof(SPITupleTable))); });
    for (int group = 0; group < groups.count; group++) {
        guarded([budget] {
            if (budget->limited())
                budget->charge(kTenantRunBytes);
        });
        Parameters parameters = spec;
        for (std::size_t k = 0; k < batch.parent_key_columns.size(); k++) {
            int column = batch.parent_key_columns[k];
            Oid element = batch.key_types[k];
            Datum array = guarded([&parent, column, element, &groups, group] {
                return group_array(parent, column, element, groups, group, false);
            });
            parameters.add(program.key_array_types[b][k], array, false);
        }
        Datum numbers = guarded([&parent, &groups, group] {
            return group_array(parent, 0, INT8OID, groups, group, true);
        });
        parameters.add(INT8ARRAYOID, numbers, false);
        parameters.add(batch.key_types[batch.tenant_key], groups.tenants[group], false);
        long room = row_limit > 0 ? row_limit - (long)gathered->numvals : 0;
        if (row_limit > 0 && room <= 0)
            break;  // past data_bridge.max_rows already: the caller says so
        SPIPlanPtr plan = cached_plan(batch.sql, parameters.types, PlanChoice::kCustom);
        uint64 count = execute_plan(plan, parameters.values, parameters.nulls, true, room, budget);
        // The run's own arrays (the keys and the numbers; not the spec's values or the tenant)
        // go with it.
        const Datum* own = parameters.values.data() + spec.values.size();
        std::size_t own_count = batch.parent_key_columns.size() + 1;
        guarded([gathered, count, own, own_count] {
            gather_rows(gathered, count);
            for (std::size_t i = 0; i < own_count; i++)
                pfree(DatumGetPointer(own[i]));
        });
    }
    *processed = gathered->numvals;
    return gathered->tupdesc == nullptr ? nullptr : gathered;
}

// For a per-tenant count or aggregate, the value over no rows (its statement stating `WHERE
// false`), when a parent row without a tenant needs it (an aggregate's), or when no statement of
// the batch ran: then it checks the caller's rights on the table, as SQL's statement would. It
// stays in the SPI connection's memory.
void value_over_no_rows(const Batch& batch, BatchRows& values, uint64 parent_count) {
    values.empty_null = true;
    bool needed = values.table == nullptr;
    bool is_count = batch.shape == EagerShape::kCount;
    for (uint64 p = 0; p < parent_count && !needed && !is_count; p++)
        needed = values.starts[p] == values.starts[p + 1];
    if (!needed)
        return;
    uint64 count = execute_plan(cached_plan(batch.empty_sql, {}), {}, {}, true, 1);
    BatchRows* target = &values;
    guarded([target, count] {
        if (count == 0)
            return;
        bool is_null;
        Datum value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null);
        Form_pg_attribute attribute = TupleDescAttr(SPI_tuptable->tupdesc, 0);
        target->empty_null = is_null;
        if (!is_null)
            target->empty_value = datumCopy(value, attribute->attbyval, attribute->attlen);
    });
}

// Runs batches `first` .. the last, each fed the keys of its parent batch's rows (which ran
// before it); `rendered`: the rows rendered so far, checked against data_bridge.max_rows.
long run_batches(const EagerProgram& program, const Parameters& spec, BatchRows* rows,
                 std::size_t first, long rendered, ReadBudget* budget) {
    long limit = max_rows;
    for (std::size_t b = first; b < program.batches.size(); b++) {
        const Batch& batch = program.batches[b];
        Parameters parameters = spec;
        uint64 parent_count = 1;  // the top level hangs off one notional parent
        if (batch.parent >= 0) {
            const BatchRows& parent = rows[batch.parent];
            parent_count = parent.count;
            if (parent_count == 0) {
                rows[b].table = nullptr;
                rows[b].count = 0;
                rows[b].starts =
                    guarded([] { return static_cast<uint64*>(palloc0(sizeof(uint64))); });
                continue;
            }
            if (batch.per_tenant) {
                // Values are not rows (one per parent): a limit must not cut them short.
                long room = limit > 0 && !is_values_batch(batch) ? limit - rendered + 1 : 0;
                uint64 processed = 0;
                SPITupleTable* table =
                    run_per_tenant(program, b, spec, parent, room, budget, &processed);
                if (table == nullptr) {
                    // No parent row has a tenant: no rows, and nothing below them.
                    rows[b].table = nullptr;
                    rows[b].count = 0;
                    rows[b].starts = guarded([parent_count] {
                        return static_cast<uint64*>(palloc0(sizeof(uint64) * (parent_count + 1)));
                    });
                } else {
                    long taken = take_rows(program, b, rows, table, processed, parent_count, false);
                    // A count or aggregate is a value of its parent row, as when joined into it.
                    rendered += is_values_batch(batch) ? 0 : taken;
                    if (limit > 0 && rendered > limit)
                        throw eager_row_budget_exceeded(limit);
                    if (batch.shape == EagerShape::kObject)
                        refuse_second_related_row(program, b, rows[b], parent_count);
                }
                if (!batch.empty_sql.empty())
                    value_over_no_rows(batch, rows[b], parent_count);
                continue;
            }
            for (std::size_t k = 0; k < batch.parent_key_columns.size(); k++) {
                int column = batch.parent_key_columns[k];
                Oid element = batch.key_types[k];
                // A recursion's next level has no rows under a repeated row.
                const bool* skipped = batch.parent_object == 0 && batch.objects[0].recursion != 0 &&
                                              program.batches[batch.parent].objects[0].recursion ==
                                                  batch.objects[0].recursion
                                          ? parent.repeated
                                          : nullptr;
                Datum array = guarded([&parent, column, element, skipped] {
                    return key_array(parent, column, element, skipped);
                });
                parameters.add(program.key_array_types[b][k], array, false);
            }
        }
        long row_limit = limit > 0 ? limit - rendered + 1 : 0;
        // Below the top the plan is the same nested loop whatever the keys: planning it again
        // for each call's keys (PostgreSQL's choice for a join on an array) would cost more
        // than running it.
        PlanChoice choice = program.custom_plans ? PlanChoice::kCustom
                            : batch.parent >= 0  ? PlanChoice::kGeneric
                                                 : PlanChoice::kAuto;
        check_sort_columns(program, b);
        // Parents with distinct keys: every parent's rows in one scan, matched by key.
        rows[b].keyed = nullptr;
        if (batch.parent >= 0 && !batch.keyset_sql.empty() && choice == PlanChoice::kGeneric &&
            rows[batch.parent].count >= kKeySetFrom && key_set_possible(batch.probe_table)) {
            const BatchRows& parent = rows[batch.parent];
            int column = batch.parent_key_columns[0];
            Oid type = batch.key_types[0];
            uint64* keyed_count = &rows[b].keyed_count;
            rows[b].keyed_type = type;
            rows[b].keyed = guarded([&parent, column, type, keyed_count] {
                return keyed_parents(parent, column, type, keyed_count);
            });
        }
        uint64 processed = 0;
        if (rows[b].keyed != nullptr) {
            SPIPlanPtr plan = cached_plan(batch.keyset_sql, parameters.types, choice);
            int key_param = static_cast<int>(spec.values.size()) + 1;
            if (!execute_key_set(plan, parameters.values, parameters.nulls, key_param, row_limit,
                                 budget, &processed)) {
                rows[b].keyed = nullptr;  // planned otherwise (a change, another index): probes
            }
        }
        if (rows[b].keyed == nullptr) {
            SPIPlanPtr plan = cached_plan(batch.sql, parameters.types, choice);
            processed =
                batch.index_probes && choice == PlanChoice::kGeneric
                    ? execute_key_probes(plan, parameters.values, parameters.nulls, row_limit,
                                         budget, batch.probe_table, batch.probe_column)
                    : execute_plan(plan, parameters.values, parameters.nulls, true, row_limit,
                                   budget);
        }
        SPITupleTable* table = SPI_tuptable;
        // One row by key: refused before its relations are read, or its rows counted.
        if (batch.parent < 0 && batch.shape == EagerShape::kObject && processed > 1)
            refuse_rows_sharing_the_key();
        rendered += take_rows(program, b, rows, table, processed, parent_count, false);
        if (limit > 0 && rendered > limit)
            throw eager_row_budget_exceeded(limit);
        if (batch.parent >= 0 && batch.shape == EagerShape::kObject)
            refuse_second_related_row(program, b, rows[b], parent_count);
        if (batch.parent >= 0 && batch.objects[0].recursion != 0) {
            int index = static_cast<int>(b);
            guarded([&program, rows, index] { mark_repeated(program, rows, index); });
        }
    }
    return rendered;
}

}  // namespace

namespace {

// A text datum built in place: the varlena header first, then the text appended after it.
void start_text_datum(StringInfo buffer) {
    initStringInfo(buffer);
    appendStringInfoSpaces(buffer, VARHDRSZ);
}

Datum finish_text_datum(StringInfo buffer) {
    SET_VARSIZE(buffer->data, buffer->len);
    return PointerGetDatum(buffer->data);
}

}  // namespace

ReadBudget load_budget() {
    ReadBudget budget;
    budget.limit_bytes = max_load_size < 0 ? -1 : (int64)max_load_size * 1024;
    return budget;
}

Datum jsonb_as_json_text(Datum jsonb) {
    return guarded([jsonb] {
        Jsonb* document = DatumGetJsonbP(jsonb);
        StringInfoData buffer;
        start_text_datum(&buffer);
        JsonbToCString(&buffer, &document->root, static_cast<int>(VARSIZE(document)));
        return finish_text_datum(&buffer);
    });
}

void refuse_rows_sharing_the_key() {
    throw Error(sqlstate::kCardinalityViolation, "more than one row has the key",
                "A SELECT by the primary key finds several rows: rows of inheritance children (a "
                "primary key does not span them), or a duplicate a deferred primary key allows "
                "until commit.",
                "Load a child table by its own key, or the rows with fetch_many_with_relations and "
                "a filter.");
}

Datum run_eager_program(const EagerProgram& program, const Parameters& spec, ResultFormat format,
                        bool* is_null) {
    MemoryContext result_context = CurrentMemoryContext;
    std::size_t batch_count = program.batches.size();
    spi_connect();
    BatchRows* rows = guarded([batch_count] {
        return static_cast<BatchRows*>(palloc0(sizeof(BatchRows) * batch_count));
    });
    ReadBudget budget = load_budget();
    run_batches(program, spec, rows, 0, 0, &budget);
    bool as_array = program.batches[0].shape == EagerShape::kArray;
    const EagerProgram* code = &program;
    // The rows' size as read (with a rendering estimate per column) is about the text's: reserved
    // at once, the text grows without copying itself over and over.
    int64 expected = std::min<int64>(budget.used_bytes, MaxAllocSize / 2);
    Pointer result = guarded([code, rows, as_array, result_context, format, expected] {
        // The top level renders as a relation of one notional parent: a list, or one row.
        if (!as_array && rows[0].starts[0] == rows[0].starts[1])
            return static_cast<Pointer>(nullptr);
        bool shared = !code->shared_lists.empty();
        if (format == ResultFormat::kJsonText) {
            MemoryContext previous = MemoryContextSwitchTo(result_context);
            StringInfoData buffer;
            start_text_datum(&buffer);
            if (expected > buffer.maxlen) {
                // Exactly that (enlargeStringInfo would round it up to a power of two).
                buffer.maxlen = static_cast<int>(expected) + buffer.len + 1;
                buffer.data = static_cast<char*>(repalloc(buffer.data, buffer.maxlen));
            }
            MemoryContextSwitchTo(previous);
            // The text grows in the result's context; everything else in the SPI connection's.
            if (!shared) {
                render_related(*code, rows, 0, 0, TextOut{&buffer});
                return DatumGetPointer(finish_text_datum(&buffer));
            }
            SharedLists* lists = start_shared_lists(code->shared_lists);
            appendBinaryStringInfo(&buffer, "{\"data\": ", 9);
            render_related(*code, rows, 0, 0, TextOut{&buffer, lists});
            append_shared_lists(&buffer, lists);
            return DatumGetPointer(finish_text_datum(&buffer));
        }
        if (shared) {
            SharedLists* lists = start_shared_lists(code->shared_lists);
            lists->identities = start_shared_lists(code->shared_lists);
            JsonbValue data;
            render_related(*code, rows, 0, 0, TreeOut{&data, lists});
            JsonbValue whole;
            shared_result(&whole, &data, lists);
            MemoryContext previous = MemoryContextSwitchTo(result_context);
            auto* built = reinterpret_cast<Pointer>(JsonbValueToJsonb(&whole));
            MemoryContextSwitchTo(previous);
            return built;
        }
        // Written in the result's context; everything else stays in the SPI connection's.
        MemoryContext previous = MemoryContextSwitchTo(result_context);
        StringInfoData buffer;
        jsonb_writer_start(&buffer, expected);
        MemoryContextSwitchTo(previous);
        render_related(*code, rows, 0, 0, BinOut{&buffer, jsonb_writer_top()});
        return reinterpret_cast<Pointer>(jsonb_writer_finish(&buffer));
    });
    spi_finish();
    *is_null = result == nullptr;
    return PointerGetDatum(result);
}

OpenCursor open_eager_stream(const EagerProgram& program, const Parameters& spec) {
    spi_connect();
    SPIPlanPtr plan = cached_plan(streamed_top_sql(program.batches[0]), spec.types,
                                  program.custom_plans ? PlanChoice::kCustom : PlanChoice::kAuto);
    OpenCursor cursor = open_cursor(plan, spec.values, spec.nulls);
    spi_finish();
    return cursor;
}

namespace {

// The next `chunk_rows` rows of the cursor, charged to the budget as they come: fetched one row
// first, then in steps that double while the budget has room for them at the rows' average
// size, so rows far larger than the budget stop the stream before a chunk of them is held. The
// steps' rows are gathered into one table (they stay in the SPI connection's memory).
uint64 fetch_charged(const OpenCursor& cursor, long chunk_rows, ReadBudget* budget,
                     SPITupleTable** out) {
    if (!budget->limited())
        return fetch_cursor(cursor, chunk_rows, out);
    auto* gathered = guarded([chunk_rows] {
        auto* table = static_cast<SPITupleTable*>(palloc0(sizeof(SPITupleTable)));
        table->vals = static_cast<HeapTuple*>(palloc(sizeof(HeapTuple) * (chunk_rows + 1)));
        table->alloced = chunk_rows;
        return table;
    });
    uint64 total = 0;
    long step = 1;
    int64 start = budget->used_bytes;
    while ((long)total < chunk_rows) {
        long want = std::min(step, chunk_rows - (long)total);
        SPITupleTable* part = nullptr;
        uint64 got = fetch_cursor(cursor, want, &part);
        if (got == 0)
            break;
        charge_rows(budget, part, got);
        guarded([gathered, part, got, total] {
            gathered->tupdesc = part->tupdesc;
            memcpy(gathered->vals + total, part->vals, sizeof(HeapTuple) * got);
        });
        total += got;
        if ((long)got < want)
            break;
        int64 average = std::max<int64>(1, (budget->used_bytes - start) / (int64)total);
        int64 room = budget->limit_bytes - budget->used_bytes;
        step = (long)std::max<int64>(1, std::min<int64>(step * 2, room / average));
    }
    gathered->numvals = total;
    *out = gathered;
    return total;
}

}  // namespace

bool next_eager_chunk(const EagerProgram& program, const Parameters& spec, const OpenCursor& cursor,
                      long chunk_rows, MemoryContext rows_context, std::vector<Datum>& rows_out,
                      long& rendered) {
    std::size_t batch_count = program.batches.size();
    spi_connect();
    // Only one chunk is held at a time: each has the whole size budget.
    ReadBudget budget = load_budget();
    SPITupleTable* table = nullptr;
    // One row by key: a second row is looked for in the same chunk (and refused), so that the
    // stream returns what the other forms return.
    bool one_row = program.batches[0].shape == EagerShape::kObject;
    uint64 fetched = fetch_charged(cursor, one_row ? 2 : chunk_rows, &budget, &table);
    if (fetched == 0) {
        spi_finish();
        return false;
    }
    if (one_row && fetched > 1)
        refuse_rows_sharing_the_key();
    // The chunk's rows and relations live in the SPI connection's memory, gone at its end;
    // only the rendered rows are kept, in rows_context.
    BatchRows* rows = guarded([batch_count] {
        return static_cast<BatchRows*>(palloc0(sizeof(BatchRows) * batch_count));
    });
    rendered += take_rows(program, 0, rows, table, fetched, 1, true);
    if (max_rows > 0 && rendered > max_rows)
        throw eager_row_budget_exceeded(max_rows);
    rendered = run_batches(program, spec, rows, 1, rendered, &budget);
    for (uint64 i = 0; i < fetched; i++) {
        const EagerProgram* code = &program;
        Datum row = guarded([code, rows, i, rows_context] {
            MemoryContext previous = MemoryContextSwitchTo(rows_context);
            StringInfoData buffer;
            jsonb_writer_start(&buffer, 0);
            MemoryContextSwitchTo(previous);
            render_row(*code, rows, 0, rows[0].order[i], BinOut{&buffer, jsonb_writer_top()});
            return JsonbPGetDatum(jsonb_writer_finish(&buffer));
        });
        rows_out.push_back(row);
    }
    spi_finish();
    return true;
}

void close_eager_stream(const OpenCursor& cursor) {
    spi_connect();
    close_cursor(cursor);
    spi_finish();
}

}  // namespace data_bridge::pg
