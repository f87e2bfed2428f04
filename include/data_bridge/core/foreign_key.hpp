// The foreign-key model: what data_bridge knows about one foreign-key constraint.
//
// Filled from pg_constraint by pg/fk_catalog.cpp, but free of PostgreSQL headers so the logic
// that reasons about keys (actions, coverage by indexes, graph walks) can be unit-tested alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace data_bridge {

using RelationId = std::uint32_t;    // a pg_class OID
using ConstraintId = std::uint32_t;  // a pg_constraint OID
using AttributeNumber = std::int16_t;

// Referential actions, as pg_constraint.confupdtype / confdeltype encode them.
enum class FkAction { kNoAction, kRestrict, kCascade, kSetNull, kSetDefault };

// MATCH type, as pg_constraint.confmatchtype encodes it.
enum class FkMatch { kSimple, kFull, kPartial };

// Decodes the catalog's one-letter codes; throws Error for a letter PostgreSQL does not use.
FkAction fk_action_from_code(char code);
FkMatch fk_match_from_code(char code);

// The SQL words: "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"; "SIMPLE", ...
const char* fk_action_sql(FkAction action);
const char* fk_match_sql(FkMatch match);

// Parses an action as a user writes it ("cascade", "SET  NULL", "no action"); throws Error
// (22023) naming `what` for anything else.
FkAction fk_action_from_sql(const std::string& word, const std::string& what);

struct TableName {
    std::string schema;
    std::string name;
};

struct ForeignKey {
    ConstraintId id = 0;
    std::string name;

    RelationId source_relid = 0;  // the referencing table
    TableName source;
    std::vector<AttributeNumber> source_attnums;  // in key order
    std::vector<std::string> source_columns;

    RelationId target_relid = 0;  // the referenced table
    TableName target;
    std::vector<AttributeNumber> target_attnums;
    std::vector<std::string> target_columns;

    FkAction on_delete = FkAction::kNoAction;
    FkAction on_update = FkAction::kNoAction;
    // PostgreSQL 15's ON DELETE SET NULL (cols) / SET DEFAULT (cols); empty means all columns.
    std::vector<std::string> on_delete_set_columns;
    FkMatch match = FkMatch::kSimple;
    bool deferrable = false;
    bool initially_deferred = false;
    bool validated = true;

    // Whether some index of the referencing table has the key columns as its leading columns,
    // so the checks and cascades a delete on the target triggers can use an index scan.
    bool indexed = false;
};

// "a" for one column, "a, b" for a composite key: what the single-column fields of
// get_backreferences() show.
std::string joined_columns(const std::vector<std::string>& columns);

// Whether two readings of a foreign key say the same: names, columns, rules, indexing.
bool same_foreign_key(const ForeignKey& a, const ForeignKey& b);

// The memory a key takes (the object and what its strings and vectors hold), for the caches'
// report.
std::size_t approximate_bytes(const ForeignKey& key);

}  // namespace data_bridge
