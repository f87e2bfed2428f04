// Column and type facts for building statements that search_path cannot redirect.
#pragma once

#include <string>

#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

struct ColumnInfo {
    std::string name;
    AttrNumber attnum;
    Oid type;
    int32 typmod;
    bool not_null;
};

// A user column of the table; throws 42703 naming the column and the table.
ColumnInfo column_info(Oid relid, const std::string& column);

// The type as schema-qualified SQL, e.g. pg_catalog.int4.
std::string type_sql_name(Oid type);

// OPERATOR("schema".=) for the type's default equality, so a user's operator of the same name
// earlier on search_path is never picked. Throws 42883 when the type has none.
std::string equality_operator_sql(Oid type);

// Whether a valid, non-partial unique index (or primary key) has exactly this one column.
bool column_is_unique(Oid relid, AttrNumber attnum);

}  // namespace data_bridge::pg
