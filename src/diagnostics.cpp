// plan_cache_stats(), cache_stats() and cache_memory(): this backend's caches, for tests and
// tuning.

#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/shape_cache.hpp"
#include "data_bridge/pg/statement.hpp"

namespace data_bridge {
namespace {

Datum plan_cache_stats_body(FunctionCallInfo fcinfo) {
    pg::PlanCacheStats stats = pg::plan_cache_stats();
    return pg::guarded([fcinfo, stats] {
        TupleDesc descriptor;
        if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "plan_cache_stats must return a composite type");
        }
        descriptor = BlessTupleDesc(descriptor);
        Datum values[3] = {Int64GetDatum(stats.entries), Int64GetDatum(stats.prepared),
                           Int64GetDatum(stats.hits)};
        bool nulls[3] = {false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls));
    });
}

// cache_stats(): the foreign-key model and the remembered shapes' watch list.
Datum cache_stats_body(FunctionCallInfo fcinfo) {
    pg::ModelStats model = pg::model_stats();  // settles nothing: reports the state as it is
    pg::PlanCacheStats plans = pg::plan_cache_stats();
    long shapes = pg::remembered_shapes;
    return pg::guarded([fcinfo, model, plans, shapes] {
        TupleDesc descriptor;
        if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "cache_stats must return a composite type");
        }
        descriptor = BlessTupleDesc(descriptor);
        Datum values[6] = {
            Int64GetDatum(model.graph_builds),   Int64GetDatum(model.foreign_keys),
            Int64GetDatum(model.watched_tables), Int64GetDatum((int64)model.generation),
            Int64GetDatum(plans.entries),        Int64GetDatum(shapes)};
        bool nulls[6] = {false, false, false, false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls));
    });
}

// cache_memory(): the kept plans' memory, and the counts that bound the caches.
Datum cache_memory_body(FunctionCallInfo fcinfo) {
    pg::PlanCacheStats plans = pg::plan_cache_stats();
    int64 bytes = pg::kept_plan_bytes();
    long shapes = pg::remembered_shapes;
    return pg::guarded([fcinfo, plans, bytes, shapes] {
        TupleDesc descriptor;
        if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "cache_memory must return a composite type");
        }
        descriptor = BlessTupleDesc(descriptor);
        Datum values[3] = {Int64GetDatum(plans.entries), Int64GetDatum(bytes),
                           Int64GetDatum(shapes)};
        bool nulls[3] = {false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls));
    });
}

}  // namespace
}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(plan_cache_stats, data_bridge::plan_cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_stats, data_bridge::cache_stats_body)
DATA_BRIDGE_FUNCTION(cache_memory, data_bridge::cache_memory_body)
