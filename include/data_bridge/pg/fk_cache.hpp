// The backend's cached foreign-key graph.
//
// Read a table at a time on first use, and read again on the first use after a change it depends
// on: a schema it names renamed, or a table of the graph whose foreign keys read differently
// after a relcache invalidation (a key added, dropped or renamed, columns renamed, an index
// created or dropped, the table renamed); an invalidation that changed none of that (ANALYZE,
// VACUUM, constraints of other tables) keeps the graph.
// Invalidation callbacks only mark, so DDL earlier in the same transaction, and DDL undone by a
// rolled-back savepoint, is seen by the very next call.
#pragma once

#include <cstddef>
#include <cstdint>

#include "data_bridge/core/fk_graph.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// The current graph; valid until the end of the transaction.
const FkGraph& foreign_key_graph();

// A number that changes whenever something remembered call shapes depend on has changed: a
// foreign key of the graph, a schema they name, any operator, the type of a watched table's column,
// or the name, columns or indexes of a watched table (checked against the catalogs after a relcache
// invalidation, so ANALYZE and VACUUM change nothing, and a type made by an unrelated CREATE TABLE
// changes nothing). Caches of statement text compare it to know when to start afresh.
uint64_t catalog_generation();

// Remembers the shape of a table a remembered call depends on (called while planning it).
void watch_table(RelationId relid);

// A backend-lifetime hash table keyed by an Oid (its entries begin with it), in
// CacheMemoryContext: the home of the caches' small lookup tables. Raises errors: call inside
// guarded().
HTAB* oid_keyed_cache(const char* name, long entries, Size entry_size);

// A schema's name (palloc'd; null when there is no such schema) for SQL text or a model the
// caches keep: renaming or dropping that schema drops them. Raises errors: call inside guarded().
const char* schema_name_for_sql(Oid namespace_oid);
// The same for the schema of a type's name (of its element type's, for an array).
void record_type_schema(Oid type);

// What the model holds, for cache_stats() and cache_usage(): graph builds since the backend
// started, foreign keys in the graph, tables watched, the current generation, and the memory
// the graph and the tables' records take (about).
struct ModelStats {
    long graph_builds;
    long foreign_keys;
    long watched_tables;
    uint64_t generation;
    std::size_t bytes;
};
ModelStats model_stats();

// Registers the invalidation and end-of-transaction callbacks (from _PG_init).
void register_fk_cache_callbacks();

}  // namespace data_bridge::pg
