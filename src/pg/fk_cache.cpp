#include "data_bridge/pg/fk_cache.hpp"

#include <memory>
#include <vector>

#include "data_bridge/pg/fk_catalog.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

namespace {

std::unique_ptr<FkGraph> current_graph;
// Graphs replaced during a transaction: a caller may still hold a reference to one until the
// transaction ends (a nested call can rebuild the graph under an outer one).
std::vector<std::unique_ptr<FkGraph>> retired_graphs;
bool graph_is_stale = true;
uint64_t generation = 1;

void on_constraint_change(Datum, int, uint32) {
    graph_is_stale = true;
    generation++;
}

void on_namespace_change(Datum, int, uint32) {
    graph_is_stale = true;
    generation++;
}

void on_type_change(Datum, int, uint32) {
    generation++;
}

void on_relcache_change(Datum, Oid relid) {
    generation++;
    // InvalidOid means "every relation"; otherwise only tables in the graph matter.
    if (relid == InvalidOid || current_graph == nullptr || current_graph->involves(relid)) {
        graph_is_stale = true;
    }
}

void on_transaction_end(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
        event == XACT_EVENT_PREPARE) {
        retired_graphs.clear();
    }
}

}  // namespace

uint64_t catalog_generation() {
    return generation;
}

const FkGraph& foreign_key_graph() {
    if (current_graph == nullptr || graph_is_stale) {
        // Cleared before reading: an invalidation that arrives while the catalog is read
        // marks the new graph stale again.
        graph_is_stale = false;
        try {
            auto rebuilt = std::make_unique<FkGraph>(read_foreign_keys());
            if (current_graph != nullptr)
                retired_graphs.push_back(std::move(current_graph));
            current_graph = std::move(rebuilt);
        } catch (...) {
            graph_is_stale = true;
            throw;
        }
    }
    return *current_graph;
}

void register_fk_cache_callbacks() {
    CacheRegisterSyscacheCallback(CONSTROID, on_constraint_change, (Datum)0);
    CacheRegisterSyscacheCallback(NAMESPACEOID, on_namespace_change, (Datum)0);
    CacheRegisterSyscacheCallback(TYPEOID, on_type_change, (Datum)0);
    CacheRegisterRelcacheCallback(on_relcache_change, (Datum)0);
    RegisterXactCallback(on_transaction_end, nullptr);
}

}  // namespace data_bridge::pg
