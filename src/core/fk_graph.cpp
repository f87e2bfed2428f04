#include "data_bridge/core/fk_graph.hpp"

#include <algorithm>
#include <tuple>

namespace data_bridge {

namespace {

// Deterministic order for listings: by the table on the other side, then by constraint name.
void sort_by(std::vector<const ForeignKey*>& keys, const TableName ForeignKey::*side) {
    std::sort(keys.begin(), keys.end(), [side](const ForeignKey* a, const ForeignKey* b) {
        const TableName& ta = a->*side;
        const TableName& tb = b->*side;
        return std::tie(ta.schema, ta.name, a->name, a->id) <
               std::tie(tb.schema, tb.name, b->name, b->id);
    });
}

}  // namespace

FkGraph::FkGraph(std::vector<ForeignKey> keys) : keys_(std::move(keys)) {
    for (const ForeignKey& key : keys_) {
        by_target_[key.target_relid].push_back(&key);
        by_source_[key.source_relid].push_back(&key);
        tables_.insert(key.source_relid);
        tables_.insert(key.target_relid);
    }
    for (auto& entry : by_target_)
        sort_by(entry.second, &ForeignKey::source);
    for (auto& entry : by_source_)
        sort_by(entry.second, &ForeignKey::target);
}

const std::vector<const ForeignKey*>& FkGraph::referencing(RelationId target) const {
    auto found = by_target_.find(target);
    return found == by_target_.end() ? none_ : found->second;
}

const std::vector<const ForeignKey*>& FkGraph::referenced_by(RelationId source) const {
    auto found = by_source_.find(source);
    return found == by_source_.end() ? none_ : found->second;
}

}  // namespace data_bridge
