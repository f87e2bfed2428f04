// The backend's cached foreign-key graph.
//
// Built on first use and rebuilt on the first use after a change it depends on: a change to
// pg_constraint, a renamed schema, or a table of the graph whose foreign keys read differently
// after a relcache invalidation (columns renamed, an index created or dropped, the table
// renamed); an invalidation that changed none of that (ANALYZE, VACUUM) keeps the graph.
// Invalidation callbacks only mark, so DDL earlier in the same transaction, and DDL undone by a
// rolled-back savepoint, is seen by the very next call.
#pragma once

#include <cstdint>

#include "data_bridge/core/fk_graph.hpp"

namespace data_bridge::pg {

// The current graph; valid until the end of the transaction.
const FkGraph& foreign_key_graph();

// A number that changes whenever something remembered call shapes depend on has changed: a
// constraint, a schema, the type of a watched table's column, or the name, columns or indexes
// of a watched table (checked against the catalogs after a relcache invalidation, so ANALYZE
// and VACUUM change nothing, and a type made by an unrelated CREATE TABLE changes nothing).
// Caches of statement text compare it to know when to start afresh.
uint64_t catalog_generation();

// Remembers the shape of a table a remembered call depends on (called while planning it).
void watch_table(RelationId relid);

// What the model holds, for cache_stats(): graph builds since the backend started, foreign keys
// in the graph, tables watched, and the current generation.
struct ModelStats {
    long graph_builds;
    long foreign_keys;
    long watched_tables;
    uint64_t generation;
};
ModelStats model_stats();

// Registers the invalidation and end-of-transaction callbacks (from _PG_init).
void register_fk_cache_callbacks();

}  // namespace data_bridge::pg
