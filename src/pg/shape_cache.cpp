#include "data_bridge/pg/shape_cache.hpp"

#include <unordered_map>

#include "data_bridge/pg/fk_cache.hpp"

namespace data_bridge::pg {

namespace {

constexpr std::size_t kMaxShapes = 4096;

std::unordered_map<std::string, std::string> statements;
uint64_t statements_generation = 0;

}  // namespace

const std::string* find_statement(const std::string& key) {
    if (statements_generation != catalog_generation()) {
        statements.clear();
        statements_generation = catalog_generation();
        return nullptr;
    }
    auto found = statements.find(key);
    return found == statements.end() ? nullptr : &found->second;
}

void remember_statement(const std::string& key, std::string sql) {
    // Built while the catalogs changed (since find_statement): do not keep it.
    if (statements_generation != catalog_generation())
        return;
    if (statements.size() >= kMaxShapes)
        statements.clear();
    statements[key] = std::move(sql);
}

}  // namespace data_bridge::pg
