// Reads every foreign-key constraint of the current database from pg_constraint.
#pragma once

#include <vector>

#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge::pg {

// One entry per constraint as the user declared it: the per-partition clones PostgreSQL makes
// for partitioned tables (pg_constraint.conparentid <> 0) are left out.
std::vector<ForeignKey> read_foreign_keys();

}  // namespace data_bridge::pg
