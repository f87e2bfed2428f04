#include "data_bridge/pg/shape_cache.hpp"

#include <vector>

namespace data_bridge::pg {

namespace {

std::vector<ShapeCacheBase*>& shape_caches() {
    static std::vector<ShapeCacheBase*> all;  // the caches are objects of static duration
    return all;
}

ShapeCache<std::string> statements;

}  // namespace

ShapeCacheBase::ShapeCacheBase() {
    shape_caches().push_back(this);
}

void clear_every_shape_cache() {
    for (ShapeCacheBase* cache : shape_caches())
        cache->clear();
}

const std::string* find_statement(const std::string& key) {
    return statements.find(key);
}

void remember_statement(const std::string& key, std::string sql) {
    statements.remember(key, std::move(sql));
}

}  // namespace data_bridge::pg
