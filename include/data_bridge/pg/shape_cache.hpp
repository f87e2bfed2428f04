// Statement text built for one call shape (table, columns, argument types, options), kept until
// the catalogs change, so a repeated call skips the catalog checks and SQL building and goes
// straight to its prepared plan.
#pragma once

#include <string>

namespace data_bridge::pg {

// The statement remembered for `key`, or nullptr (also after any catalog invalidation).
const std::string* find_statement(const std::string& key);
void remember_statement(const std::string& key, std::string sql);

}  // namespace data_bridge::pg
