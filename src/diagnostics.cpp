// plan_cache_stats(), cache_stats() and cache_memory(): this backend's caches, for tests and
// tuning.

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

}  // namespace
}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(plan_cache_stats, data_bridge::plan_cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_stats, data_bridge::cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_memory, data_bridge::cache_memory_body)
