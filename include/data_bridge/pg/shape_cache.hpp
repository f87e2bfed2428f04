// What was built for one call shape (table, columns, argument types, options), kept until the
// catalogs change, so a repeated call skips the catalog checks and the SQL building and goes
// straight to its prepared plans.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/settings.hpp"

namespace data_bridge::pg {

// Call shapes remembered by every ShapeCache of the backend, for cache_stats().
inline long remembered_shapes = 0;

template <typename T>
class ShapeCache {
  public:
    // The entry remembered for `key`, or nullptr (also after any catalog invalidation).
    const T* find(const std::string& key) {
        if (generation_ != catalog_generation()) {
            remembered_shapes -= (long)entries_.size();
            entries_.clear();
            generation_ = catalog_generation();
            return nullptr;
        }
        auto found = entries_.find(key);
        return found == entries_.end() ? nullptr : &found->second;
    }

    void remember(const std::string& key, T value) {
        // Built while the catalogs changed (since find): do not keep it.
        if (generation_ != catalog_generation())
            return;
        if (entries_.size() >= (std::size_t)max_remembered_shapes) {
            remembered_shapes -= (long)entries_.size();
            entries_.clear();
        }
        auto [entry, added] = entries_.insert_or_assign(key, std::move(value));
        (void)entry;
        if (added)
            remembered_shapes++;
    }

  private:
    std::unordered_map<std::string, T> entries_;
    uint64_t generation_ = 0;
};

// Statement text by shape.
const std::string* find_statement(const std::string& key);
void remember_statement(const std::string& key, std::string sql);

}  // namespace data_bridge::pg
