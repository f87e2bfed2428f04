#include "data_bridge/pg/shape_cache.hpp"

#include <vector>

namespace data_bridge::pg {

namespace {

std::vector<ShapeCacheBase*>& every_shape_cache() {
    static std::vector<ShapeCacheBase*> all;  // the caches are objects of static duration
    return all;
}

ShapeCache<std::string> statements("statement texts");

}  // namespace

ShapeCacheBase::ShapeCacheBase(const char* kind) : kind_(kind) {
    every_shape_cache().push_back(this);
}

const std::vector<ShapeCacheBase*>& shape_caches() {
    return every_shape_cache();
}

void clear_every_shape_cache() {
    for (ShapeCacheBase* cache : every_shape_cache())
        cache->clear();
}

const std::string* find_statement(const std::string& key) {
    return statements.find(key);
}

void remember_statement(const std::string& key, std::string sql) {
    statements.remember(key, std::move(sql));
}

}  // namespace data_bridge::pg
