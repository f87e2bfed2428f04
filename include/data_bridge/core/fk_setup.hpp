// The PostgreSQL-free half of add_foreign_key() and unindexed_foreign_keys(): reading the
// guide's target notation, and composing the DDL from identifiers the caller has quoted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/fk_graph.hpp"

namespace data_bridge {

// A target as the guide writes it: "users", "users.id", "app.users(id, tenant_id)".
// Identifiers follow SQL rules: unquoted ones are folded to lower case, "Quoted" ones kept.
struct TargetRef {
    std::vector<std::string> name_parts;  // 1 to 3 dotted identifiers before any "(...)"
    bool has_column_list = false;         // "(...)" was given; an empty list means the key
    std::vector<std::string> columns;     // the identifiers inside "(...)"
};

// Throws Error 22023 naming `text` when it is not of that form.
TargetRef parse_target(const std::string& text);

// ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES ...; every identifier already
// quoted (quote_identifier), the actions as SQL words.
struct ForeignKeyDdl {
    std::string source_table;  // qualified and quoted
    std::string constraint_name;
    std::vector<std::string> source_columns;
    std::string target_table;
    std::vector<std::string> target_columns;
    FkAction on_delete = FkAction::kNoAction;
    FkAction on_update = FkAction::kNoAction;
};
std::string add_constraint_sql(const ForeignKeyDdl& ddl);

// ALTER TABLE table ALTER COLUMN column {SET|DROP} NOT NULL (both quoted).
std::string set_not_null_sql(const std::string& quoted_table, const std::string& quoted_column,
                             bool not_null);

// CREATE INDEX ON table (columns): what makes a foreign key's checks and cascades use an index.
std::string create_index_sql(const std::string& quoted_table,
                             const std::vector<std::string>& quoted_columns);

// Foreign keys without a covering index, optionally only those declared in `schema`, ordered by
// source schema, source table and constraint name.
std::vector<const ForeignKey*> unindexed_keys(const FkGraph& graph,
                                              const std::optional<std::string>& schema);

}  // namespace data_bridge
