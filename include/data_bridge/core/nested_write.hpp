// insert_with_relations(): a document of rows with their related rows, written one statement
// per table and level. The core reads the relation specs and the document and builds the SQL;
// the PostgreSQL layer resolves the tables, runs the statements and carries the stored keys
// from one level to the next.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/eager_spec.hpp"
#include "data_bridge/core/json_value.hpp"

namespace data_bridge {

// What a level does when a row would violate a unique constraint (the primary key unless named).
struct OnConflict {
    enum class Action { kNone, kNothing, kUpdate } action = Action::kNone;
    std::string constraint;           // empty: the primary key
    std::vector<std::string> update;  // kUpdate: the columns taken from the proposed row
};

// A relation of a write: how it links (a read spec's name, table, foreign_key,
// reference_column, direction, through), the level's on_conflict, and its own relations.
struct WriteRelation {
    RelationSpec link;
    OnConflict on_conflict;
    std::vector<WriteRelation> relations;
};

// "do_nothing", or {"do_nothing": true | "update": [columns], "constraint": name}; throws 22023
// naming the place.
OnConflict parse_on_conflict(const JsonValue& value, const std::string& path);

// The relations argument: a read spec's relation objects (without the read-only keys: filter,
// order_by, limit, … are 22023) with on_conflict per level.
std::vector<WriteRelation> parse_write_relations(const JsonValue& relations,
                                                 const std::string& path);

// A relation's place in a path: "data[3].comments[0]".
std::string element_path(const std::string& path, std::size_t index);

// A unique key compared column by column: quoted column, OPERATOR(ns.=). `nulls_equal`: NULL
// matches NULL too (a UNIQUE NULLS NOT DISTINCT constraint's columns, which conflict so).
struct KeyColumn {
    std::string column;
    std::string equals;
    bool nulls_equal = false;
};

// INSERT … ON CONFLICT `target` (ON CONSTRAINT "name", or the key's column list) of the rows at
// positions $2 (1-based) of the jsonb array $1 (base record $3, see row_queries.hpp); returns
// (position, written row as jsonb or NULL, written rows no object's key matches) for each: the
// inserted or updated row, found by `key` (the constraint's columns) as stored. With do_nothing,
// the rows already there are read next, by connect_rows_sql.
std::string upsert_rows_sql(const std::string& table, const std::vector<std::string>& columns,
                            const OnConflict& on_conflict, const std::string& target,
                            const std::vector<KeyColumn>& key,
                            const std::vector<std::string>& update);

// The existing rows matching each object at positions $2 of the jsonb array $1 on `key`:
// (position, row as jsonb), any number per position.
std::string connect_rows_sql(const std::string& read_table, const std::vector<KeyColumn>& key);

}  // namespace data_bridge
