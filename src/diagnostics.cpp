// plan_cache_stats(), cache_stats(), cache_memory() and cache_usage(): this backend's caches,
// for tests and tuning.

#include <vector>

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/shape_cache.hpp"
#include "data_bridge/pg/statement.hpp"

namespace data_bridge {
namespace {

// The function's one result row of bigints (its OUT columns, in order).
Datum bigint_row(FunctionCallInfo fcinfo, const int64* numbers, int count) {
    return pg::guarded([fcinfo, numbers, count] {
        TupleDesc descriptor;
        if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE ||
            descriptor->natts != count) {
            elog(ERROR, "data_bridge: a diagnostics function must return %d bigint columns", count);
        }
        descriptor = BlessTupleDesc(descriptor);
        Datum values[8];
        bool nulls[8];
        for (int i = 0; i < count; i++) {
            values[i] = Int64GetDatum(numbers[i]);
            nulls[i] = false;
        }
        return HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls));
    });
}

Datum plan_cache_stats_body(FunctionCallInfo fcinfo) {
    pg::PlanCacheStats stats = pg::plan_cache_stats();
    const int64 numbers[] = {stats.entries, stats.prepared, stats.hits};
    return bigint_row(fcinfo, numbers, 3);
}

// cache_stats(): the foreign-key model and the remembered shapes' watch list.
Datum cache_stats_body(FunctionCallInfo fcinfo) {
    pg::ModelStats model = pg::model_stats();  // settles nothing: reports the state as it is
    pg::PlanCacheStats plans = pg::plan_cache_stats();
    const int64 numbers[] = {model.graph_builds,      model.foreign_keys, model.watched_tables,
                             (int64)model.generation, plans.entries,      pg::remembered_shapes};
    return bigint_row(fcinfo, numbers, 6);
}

// cache_memory(): the kept plans' memory, and the counts that bound the caches.
Datum cache_memory_body(FunctionCallInfo fcinfo) {
    const int64 numbers[] = {pg::plan_cache_stats().entries, pg::kept_plan_bytes(),
                             pg::remembered_shapes};
    return bigint_row(fcinfo, numbers, 3);
}

// One row of cache_usage(): a cache, what it holds, and its bounds (-1: none).
struct CacheUsage {
    const char* cache;
    int64 entries;
    int64 bytes;
    int64 max_entries;
    int64 max_bytes;
};

// cache_usage(): each cache of this backend, its entries and memory, and the settings' bounds.
// The shape kinds share one byte bound (all of them together), as ShapeCache applies it.
Datum cache_usage_body(FunctionCallInfo fcinfo) {
    std::vector<CacheUsage> rows;
    int64 budget = (int64)pg::max_cached_plan_memory * 1024;
    rows.push_back({"prepared plans", pg::plan_cache_stats().entries, pg::kept_plan_bytes(),
                    pg::max_cached_plans, budget});
    for (const pg::ShapeCacheBase* kind : pg::shape_caches()) {
        rows.push_back({kind->kind(), (int64)kind->entries(), (int64)kind->bytes(),
                        pg::max_remembered_shapes, budget});
    }
    pg::ModelStats model = pg::model_stats();
    rows.push_back({"foreign-key model", model.foreign_keys, (int64)model.bytes, -1, -1});
    const CacheUsage* row_data = rows.data();
    std::size_t row_count = rows.size();
    pg::guarded([fcinfo, row_data, row_count] {
        InitMaterializedSRF(fcinfo, 0);
        auto* result = (ReturnSetInfo*)fcinfo->resultinfo;
        for (std::size_t i = 0; i < row_count; i++) {
            const CacheUsage& row = row_data[i];
            Datum values[5] = {CStringGetTextDatum(row.cache), Int64GetDatum(row.entries),
                               Int64GetDatum(row.bytes), Int64GetDatum(row.max_entries),
                               Int64GetDatum(row.max_bytes)};
            bool nulls[5] = {false, false, false, row.max_entries < 0, row.max_bytes < 0};
            tuplestore_putvalues(result->setResult, result->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

}  // namespace
}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(plan_cache_stats, data_bridge::plan_cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_stats, data_bridge::cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_memory, data_bridge::cache_memory_body)
DATA_BRIDGE_FUNCTION(cache_usage, data_bridge::cache_usage_body)
