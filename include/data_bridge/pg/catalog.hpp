// Small catalog look-ups shared by the features, each raising PostgreSQL-style errors.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/foreign_key.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Schema and table name of a relation.
TableName table_name_of(Oid relid);
// "schema"."table", quoted as needed, for SQL text.
std::string quoted_table(Oid relid);
std::string quoted_identifier(const std::string& identifier);

// The attribute number of a user column; throws 42703 naming the column and table.
AttrNumber column_attnum(Oid relid, const std::string& column);
bool column_is_not_null(Oid relid, AttrNumber attnum);

// The primary key's columns in key order; empty when the table has none.
std::vector<std::string> primary_key_columns(Oid relid);

// Resolves a possibly schema-qualified name to a relation, or InvalidOid.
Oid find_relation(const std::vector<std::string>& name_parts);

}  // namespace data_bridge::pg
