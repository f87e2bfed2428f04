// The foreign keys of the database, indexed both ways.
//
// Either given whole (the tests, unindexed_foreign_keys) or read from an FkSource a table at a
// time, on first use, as PostgreSQL's own ri_triggers.c caches one constraint at a time: a call
// reads only the constraints of the tables it touches. Each foreign key is one object, whichever
// side it was read from, so pointers to keys compare as identities. Cached per backend
// (pg/fk_cache.hpp); every function that needs "what references this table" or "what does this
// table reference" reads it.
#pragma once

#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge {

// Where a graph read on demand gets its keys (the catalogs, in the PostgreSQL layer).
class FkSource {
  public:
    virtual ~FkSource() = default;
    // The foreign keys declared on the table (it is their source).
    virtual std::vector<ForeignKey> declared_on(RelationId table) const = 0;
    // The foreign keys that reference the table (it is their target).
    virtual std::vector<ForeignKey> referencing(RelationId table) const = 0;
};

class FkGraph {
  public:
    FkGraph() = default;
    // Every key, given up front.
    explicit FkGraph(std::vector<ForeignKey> keys);
    // Keys read from `source` (which must outlive the graph) a table at a time, on first use.
    explicit FkGraph(const FkSource* source) : source_(source) {}
    // Lists hand out pointers into the graph: it neither copies nor moves.
    FkGraph(const FkGraph&) = delete;
    FkGraph& operator=(const FkGraph&) = delete;

    // Foreign keys referencing `target`, ordered by source schema, source table, constraint name.
    const std::vector<const ForeignKey*>& referencing(RelationId target) const;
    // Foreign keys declared on `source`, ordered by target schema, target table, constraint name.
    const std::vector<const ForeignKey*>& referenced_by(RelationId source) const;

    // Whether the table takes part in a key read so far (to ignore unrelated invalidations).
    bool involves(RelationId relid) const { return tables_.count(relid) != 0; }
    // The keys read so far that touch the table, without reading more.
    std::vector<const ForeignKey*> known_keys_touching(RelationId relid) const;
    // How many keys were read so far.
    std::size_t known_keys() const { return keys_.size(); }
    // Whether the keys declared on the table (referenced_by's list), or referencing it
    // (referencing's), were read as a whole, so that a key added since would be missing.
    bool read_declared_on(RelationId table) const { return by_source_.count(table) != 0; }
    bool read_referencing(RelationId table) const { return by_target_.count(table) != 0; }

    // Every key, for a graph given up front.
    std::vector<const ForeignKey*> all() const;

    // The memory the graph takes (its keys and the lists by table), for the caches' report.
    std::size_t approximate_bytes() const;

  private:
    // The graph's one object for the key (read before under the same constraint id, or added).
    const ForeignKey* keep(ForeignKey key) const;
    const ForeignKey* add(ForeignKey key) const;

    const FkSource* source_ = nullptr;
    // Read lazily from const methods: the graph is one backend's, used by one thread.
    mutable std::deque<ForeignKey> keys_;  // stable addresses
    mutable std::unordered_map<ConstraintId, const ForeignKey*> by_id_;
    mutable std::unordered_map<RelationId, std::vector<const ForeignKey*>> by_target_;
    mutable std::unordered_map<RelationId, std::vector<const ForeignKey*>> by_source_;
    mutable std::unordered_set<RelationId> tables_;
    std::vector<const ForeignKey*> none_;
};

}  // namespace data_bridge
