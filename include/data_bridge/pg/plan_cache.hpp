// Prepared SPI plans kept for the life of the backend, keyed by statement text and parameter
// types: repeated calls with the same shape skip parsing and planning. A kept plan is
// re-validated by PostgreSQL itself when the tables it uses change; the text names tables by
// their current schema-qualified names, so a rename simply leads to a new entry.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// `generic_plan`: always run the one generic plan, never re-plan for the values at hand.
SPIPlanPtr cached_plan(const std::string& sql, const std::vector<Oid>& parameter_types,
                       bool generic_plan = false);

// Runs a cached plan (SPI must be connected); returns SPI_processed.
uint64 execute_plan(SPIPlanPtr plan, const std::vector<Datum>& values,
                    const std::vector<char>& nulls, bool read_only, long row_limit = 0);

// How many plans are cached and how many were prepared since the backend started, for tests.
struct PlanCacheStats {
    long entries;
    long prepared;
    long hits;
};
PlanCacheStats plan_cache_stats();

}  // namespace data_bridge::pg
