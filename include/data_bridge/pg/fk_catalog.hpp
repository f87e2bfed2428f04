// Reads every foreign-key constraint of the current database from pg_constraint.
#pragma once

#include <optional>
#include <vector>

#include "data_bridge/core/fk_graph.hpp"
#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge::pg {

// One entry per constraint as the user declared it: the per-partition clones PostgreSQL makes
// for partitioned tables (pg_constraint.conparentid <> 0) are left out.
std::vector<ForeignKey> read_foreign_keys();

// The catalogs as the cached graph's source, a table at a time.
class CatalogFkSource final : public FkSource {
  public:
    std::vector<ForeignKey> declared_on(RelationId table) const override;
    std::vector<ForeignKey> referencing(RelationId table) const override;
};

// One foreign key read afresh by its constraint OID; nullopt when it is gone.
std::optional<ForeignKey> read_foreign_key(ConstraintId constraint);

}  // namespace data_bridge::pg
