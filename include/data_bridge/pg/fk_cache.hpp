// The backend's cached foreign-key graph.
//
// Built on first use and rebuilt on the first use after an invalidation: a change to
// pg_constraint, a relcache invalidation of a table that takes part in a foreign key (columns
// renamed, an index created or dropped, the table renamed), or a renamed schema. Invalidation
// callbacks only mark the graph stale, so DDL earlier in the same transaction, and DDL undone
// by a rolled-back savepoint, is seen by the very next call.
#pragma once

#include <cstdint>

#include "data_bridge/core/fk_graph.hpp"

namespace data_bridge::pg {

// The current graph; valid until the end of the transaction.
const FkGraph& foreign_key_graph();

// A number that changes whenever anything in the catalogs that data_bridge reads may have
// changed (any relcache, constraint, namespace or type invalidation): caches of statement text
// compare it to know when to start afresh.
uint64_t catalog_generation();

// Registers the invalidation and end-of-transaction callbacks (from _PG_init).
void register_fk_cache_callbacks();

}  // namespace data_bridge::pg
