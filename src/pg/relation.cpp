#include <fmt/format.h>

#include "data_bridge/pg/relation.hpp"

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/boundary.hpp"

namespace data_bridge::pg {

std::string relation_name(Oid relid) {
    const char* name = guarded([relid] { return (const char*)get_rel_name(relid); });
    return name != nullptr ? std::string(name) : fmt::format("OID {}", relid);
}

void require_table(Oid relid) {
    char relkind = guarded([relid] { return get_rel_relkind(relid); });
    if (relkind == '\0') {
        throw Error(sqlstate::kUndefinedTable,
                    fmt::format("relation with OID {} does not exist", relid));
    }
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE) {
        throw Error(sqlstate::kWrongObjectType,
                    fmt::format("\"{}\" is not a table", relation_name(relid)),
                    "Foreign keys exist only between tables and partitioned tables.");
    }
}

}  // namespace data_bridge::pg
