// What was built for one call shape (table, columns, argument types, options), kept until the
// catalogs change, so a repeated call skips the catalog checks and the SQL building and goes
// straight to its prepared plans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/settings.hpp"

namespace data_bridge::pg {

// Call shapes remembered by every ShapeCache of the backend, and the bytes they hold (keys and
// what was built for them, mostly SQL text), for cache_stats() and the bound below.
inline long remembered_shapes = 0;
inline std::size_t remembered_shape_bytes = 0;

// The bytes a remembered value holds beyond its own size (overloads for other kinds sit with
// their types, found by argument-dependent lookup).
inline std::size_t shape_bytes(bool) {
    return 0;
}
inline std::size_t shape_bytes(const std::string& text) {
    return text.size();
}
inline std::size_t shape_bytes(const std::vector<std::string>& texts) {
    std::size_t bytes = 0;
    for (const std::string& text : texts)
        bytes += text.size() + sizeof text;
    return bytes;
}

// Every shape cache of the backend, so that the byte bound below can empty them all, and
// cache_usage() can report each kind.
class ShapeCacheBase {
  public:
    virtual void clear() = 0;
    virtual std::size_t entries() const = 0;
    const char* kind() const { return kind_; }
    std::size_t bytes() const { return bytes_; }

  protected:
    // `kind` names what the cache keeps, in cache_usage()'s rows.
    explicit ShapeCacheBase(const char* kind);
    ~ShapeCacheBase() = default;

    std::size_t bytes_ = 0;

  private:
    const char* kind_;
};
// Empties every kind (the bytes of all kinds went past the bound).
void clear_every_shape_cache();
// Every kind, in the order they were made.
const std::vector<ShapeCacheBase*>& shape_caches();

// Each kind of shape keeps at most data_bridge.max_remembered_shapes of them (past it, that kind
// starts afresh), and all kinds together at most data_bridge.max_cached_plan_memory bytes (the
// kept plans have as much again, apart; past it, every kind starts afresh, so that no kind holds
// the budget while others cannot keep a shape): a spec of any size, repeated with small changes,
// cannot make a backend grow without bound. A shape larger than a sixteenth of the budget is
// built on each call instead. Callers copy what find() returns before anything else runs.
template <typename T>
class ShapeCache : public ShapeCacheBase {
  public:
    explicit ShapeCache(const char* kind) : ShapeCacheBase(kind) {}

    std::size_t entries() const override { return shapes_.size(); }

    // The entry remembered for `key`, or nullptr (also after any catalog invalidation, and once
    // the bounds were lowered below what is held).
    const T* find(const std::string& key) {
        if (generation_ != catalog_generation()) {
            clear();
            generation_ = catalog_generation();
            return nullptr;
        }
        if (apply_bounds(0))
            return nullptr;
        auto found = shapes_.find(key);
        return found == shapes_.end() ? nullptr : &found->second.value;
    }

    void remember(const std::string& key, T value) {
        // Built while the catalogs changed (since find): do not keep it.
        if (generation_ != catalog_generation())
            return;
        std::size_t bytes = key.size() + sizeof(Entry) + kEntryOverhead + shape_bytes(value);
        auto existing = shapes_.find(key);
        if (existing != shapes_.end()) {
            forget(existing->second.bytes);
            shapes_.erase(existing);
            remembered_shapes--;
        }
        bool keep = bytes <= budget() / 16;
        // The bounds apply whether or not this shape is kept (a SET may have lowered them).
        apply_bounds(keep ? bytes : 0);
        if (!keep)
            return;
        shapes_.emplace(key, Entry{std::move(value), bytes});
        remembered_shapes++;
        remembered_shape_bytes += bytes;
        bytes_ += bytes;
    }

  private:
    struct Entry {
        T value;
        std::size_t bytes;
    };
    // A hash table node and its bucket, about.
    static constexpr std::size_t kEntryOverhead = 64;

    static std::size_t budget() { return static_cast<std::size_t>(max_cached_plan_memory) * 1024; }

    // Starts afresh where `adding` more bytes (and, when adding, one more shape) would pass the
    // bounds: this kind past its count, every kind past the bytes. Whether anything was dropped.
    bool apply_bounds(std::size_t adding) {
        bool dropped = false;
        std::size_t room = static_cast<std::size_t>(max_remembered_shapes) - (adding > 0 ? 1 : 0);
        if (shapes_.size() > room) {
            clear();
            dropped = true;
        }
        if (remembered_shape_bytes + adding > budget()) {
            clear_every_shape_cache();
            dropped = true;
        }
        return dropped;
    }

    void forget(std::size_t bytes) {
        remembered_shape_bytes -= bytes;
        bytes_ -= bytes;
    }

    void clear() override {
        remembered_shapes -= static_cast<long>(shapes_.size());
        remembered_shape_bytes -= bytes_;
        bytes_ = 0;
        shapes_.clear();
    }

    std::unordered_map<std::string, Entry> shapes_;
    uint64_t generation_ = 0;
};

// Statement text by shape.
const std::string* find_statement(const std::string& key);
void remember_statement(const std::string& key, std::string sql);

}  // namespace data_bridge::pg
