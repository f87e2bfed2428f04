#include "data_bridge/pg/shape_cache.hpp"

namespace data_bridge::pg {

namespace {

ShapeCache<std::string> statements;

}  // namespace

const std::string* find_statement(const std::string& key) {
    return statements.find(key);
}

void remember_statement(const std::string& key, std::string sql) {
    statements.remember(key, std::move(sql));
}

}  // namespace data_bridge::pg
