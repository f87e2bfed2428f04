// All foreign keys of the database, indexed both ways.
//
// Built from the catalog in one pass and cached per backend (pg/fk_cache.hpp); every function
// that needs to know "what references this table" or "what does this table reference" reads it.
#pragma once

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge {

class FkGraph {
  public:
    FkGraph() = default;
    explicit FkGraph(std::vector<ForeignKey> keys);
    // The indexes point into keys_: moving keeps the buffer, copying would not.
    FkGraph(const FkGraph&) = delete;
    FkGraph& operator=(const FkGraph&) = delete;
    FkGraph(FkGraph&&) = default;
    FkGraph& operator=(FkGraph&&) = default;

    // Foreign keys referencing `target`, ordered by source schema, source table, constraint name.
    const std::vector<const ForeignKey*>& referencing(RelationId target) const;
    // Foreign keys declared on `source`, ordered by target schema, target table, constraint name.
    const std::vector<const ForeignKey*>& referenced_by(RelationId source) const;

    // Whether the table takes part in any foreign key (used to ignore unrelated invalidations).
    bool involves(RelationId relid) const { return tables_.count(relid) != 0; }

    const std::vector<ForeignKey>& all() const { return keys_; }

  private:
    std::vector<ForeignKey> keys_;
    std::unordered_map<RelationId, std::vector<const ForeignKey*>> by_target_;
    std::unordered_map<RelationId, std::vector<const ForeignKey*>> by_source_;
    std::unordered_set<RelationId> tables_;
    std::vector<const ForeignKey*> none_;
};

}  // namespace data_bridge
