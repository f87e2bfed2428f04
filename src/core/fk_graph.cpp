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

const ForeignKey* FkGraph::keep(ForeignKey key) const {
    auto found = by_id_.find(key.id);
    if (found != by_id_.end())
        return found->second;
    const ForeignKey* kept = add(std::move(key));
    by_id_.emplace(kept->id, kept);
    return kept;
}

const ForeignKey* FkGraph::add(ForeignKey key) const {
    tables_.insert(key.source_relid);
    tables_.insert(key.target_relid);
    keys_.push_back(std::move(key));
    return &keys_.back();
}

FkGraph::FkGraph(std::vector<ForeignKey> keys) {
    // Given whole: every key once already (keys built by hand may share an id).
    for (ForeignKey& key : keys) {
        const ForeignKey* kept = add(std::move(key));
        by_target_[kept->target_relid].push_back(kept);
        by_source_[kept->source_relid].push_back(kept);
    }
    for (auto& entry : by_target_)
        sort_by(entry.second, &ForeignKey::source);
    for (auto& entry : by_source_)
        sort_by(entry.second, &ForeignKey::target);
}

const std::vector<const ForeignKey*>& FkGraph::referencing(RelationId target) const {
    auto found = by_target_.find(target);
    if (found != by_target_.end())
        return found->second;
    if (source_ == nullptr)
        return none_;
    // Read before anything is recorded: an error leaves the table unread.
    std::vector<const ForeignKey*> keys;
    for (ForeignKey& key : source_->referencing(target))
        keys.push_back(keep(std::move(key)));
    sort_by(keys, &ForeignKey::source);
    tables_.insert(target);
    return by_target_.emplace(target, std::move(keys)).first->second;
}

const std::vector<const ForeignKey*>& FkGraph::referenced_by(RelationId source) const {
    auto found = by_source_.find(source);
    if (found != by_source_.end())
        return found->second;
    if (source_ == nullptr)
        return none_;
    std::vector<const ForeignKey*> keys;
    for (ForeignKey& key : source_->declared_on(source))
        keys.push_back(keep(std::move(key)));
    sort_by(keys, &ForeignKey::target);
    tables_.insert(source);
    return by_source_.emplace(source, std::move(keys)).first->second;
}

std::vector<const ForeignKey*> FkGraph::known_keys_touching(RelationId relid) const {
    std::vector<const ForeignKey*> touching;
    for (const ForeignKey& key : keys_) {
        if (key.source_relid == relid || key.target_relid == relid)
            touching.push_back(&key);
    }
    return touching;
}

std::vector<const ForeignKey*> FkGraph::all() const {
    std::vector<const ForeignKey*> every;
    for (const ForeignKey& key : keys_)
        every.push_back(&key);
    return every;
}

std::size_t FkGraph::approximate_bytes() const {
    // A hash table's node and bucket, about (as the shape caches count them).
    constexpr std::size_t kNodeBytes = 64;
    std::size_t bytes = sizeof *this;
    for (const ForeignKey& key : keys_)
        bytes += data_bridge::approximate_bytes(key);
    bytes += by_id_.size() * kNodeBytes + tables_.size() * kNodeBytes;
    for (const auto* lists : {&by_target_, &by_source_}) {
        for (const auto& entry : *lists)
            bytes += kNodeBytes + entry.second.capacity() * sizeof(const ForeignKey*);
    }
    return bytes;
}

}  // namespace data_bridge
