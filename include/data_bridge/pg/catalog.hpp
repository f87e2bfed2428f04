// Catalog facts, the one home for them: relations, columns, keys and types, each look-up
// raising PostgreSQL-style errors; names come back quoted for statements that search_path cannot
// redirect.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/foreign_key.hpp"
#include "data_bridge/core/json_value.hpp"
#include "data_bridge/core/relation_link.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Relations.

// Throws 42P01 when no relation has this OID, 42809 when it is not a table or partitioned
// table (views, sequences, indexes, foreign tables take part in no foreign key); `detail` says
// why the caller needs one.
inline constexpr const char* kForeignKeysNeedTables =
    "Foreign keys exist only between tables and partitioned tables.";
void require_table(Oid relid, const char* detail = kForeignKeysNeedTables);
// 42501 "permission denied for schema" unless the caller may name the relation (USAGE on its
// schema), as a plain statement naming it fails: a bare OID skips that check, and a write would
// otherwise wait for the table's lock before its statement fails.
void require_schema_usage(Oid relid);

// The relation's name as PostgreSQL's messages show it: unqualified, unquoted.
std::string relation_name(Oid relid);

// Throws 42P01 when no relation has this OID, 42809 unless rows can be read from it as an eager
// load reads them: a table, partitioned table, view or materialized view.
void require_readable_relation(Oid relid);

// Schema and table name of a relation.
TableName table_name_of(Oid relid);
// "schema"."table", quoted as needed, for SQL text.
std::string quoted_table(Oid relid);
// The table's rows as its foreign keys and unique keys see them, for SQL text: ONLY for a table
// (its inheritance children are other tables; PostgreSQL's RI checks read it so), a
// partitioned table whole.
std::string own_rows_table(Oid relid);
std::string quoted_identifier(const std::string& identifier);

// The attribute number of a user column; throws 42703 naming the column and table.
AttrNumber column_attnum(Oid relid, const std::string& column);
bool column_is_not_null(Oid relid, AttrNumber attnum);

// The primary key's columns in key order; empty when the table has none.
std::vector<std::string> primary_key_columns(Oid relid);

// The columns of the table's constraint of that name; 42704 when it has none.
std::vector<std::string> constraint_columns(Oid relid, const std::string& name);

// What an ON CONFLICT target needs to know of the table's constraint of that name: whether it
// is an exclusion constraint, and whether it is UNIQUE NULLS NOT DISTINCT (its index treats
// NULLs as equal). Both false for any other, or none.
struct ConflictConstraint {
    bool exclusion = false;
    bool nulls_not_distinct = false;
};
ConflictConstraint conflict_constraint(Oid relid, const std::string& name);

// A relation named as a spec names one ("table", "schema.table", quoted parts allowed), as the
// caller's search_path resolves it; InvalidOid when the text is no such name or names nothing.
Oid find_named_relation(const std::string& text);
// The same for a spec's table at `path` ("relations[0].table"): 22023 naming the place when the
// text is no table name; InvalidOid when it names nothing.
Oid find_spec_relation(const std::string& text, const std::string& path);

// Resolves a possibly schema-qualified name to a relation, or InvalidOid.
Oid find_relation(const std::vector<std::string>& name_parts);

// Columns and types.

struct ColumnInfo {
    std::string name;
    AttrNumber attnum;
    Oid type;
    int32 typmod;
    bool not_null;
};

// A user column of the table; throws 42703 naming the column and the table.
ColumnInfo column_info(Oid relid, const std::string& column);

// The type as messages show it, e.g. integer.
std::string type_display_name(Oid type);

// The type as schema-qualified SQL, e.g. pg_catalog.int4.
std::string type_sql_name(Oid type);

// OPERATOR("schema".=) for the type's default equality, so a user's operator of the same name
// earlier on search_path is never picked. Throws 42883 when the type has none.
std::string equality_operator_sql(Oid type);
// Forgets the equalities learned from primary keys when operator classes change (_PG_init).
void register_catalog_callbacks();
// OPERATOR(schema.symbol) comparing two values of the type, from the schema of the type's
// equality operator (pg_catalog when it has none); 42883 naming `path` when there is none.
std::string binary_operator_sql(Oid type, const char* symbol, const std::string& path);

// Whether an index scan can probe the table by the column: a valid, non-partial btree or hash
// index whose first key column it is (kDefaultBtree: a btree with the column type's default
// operator class, which takes an array of keys whole and never rechecks a row).
enum class IndexKinds : uint8 { kBtreeOrHash, kDefaultBtree };
bool has_index_leading_with(Oid relid, const std::string& column,
                            IndexKinds kinds = IndexKinds::kBtreeOrHash);

// The rows one non-null value of the column has on average, from the table's statistics
// (ANALYZE; of its whole tree for a partitioned table); -1 when there are none (and for an
// inheritance parent, whose row count is its own rows only).
double rows_per_value(Oid relid, const std::string& column);

// Whether the table has row-level security enabled (its policies may need any plan).
bool row_security_enabled(Oid relid);

// Whether probing the table by an index on the column, key by key, beats a bitmap scan: no
// row-level security (its policies may need one), and 100 rows or fewer per value by the
// statistics (a bitmap scan reads many in table order).
bool few_rows_per_key(Oid relid, const std::string& column);

// One index of a table, as pg_index describes it (palloc'd, for use inside guarded()).
struct IndexFacts {
    int nkeys;
    AttrNumber keys[INDEX_MAX_KEYS];
    bool unique;
    bool partial;
    bool valid;
    bool primary;    // the primary key's (ADD PRIMARY KEY USING INDEX changes nothing else)
    bool immediate;  // checked at once (a deferrable unique constraint's is not)
    Oid am;          // its access method
    Oid collations[INDEX_MAX_KEYS];  // of its key columns (0 for a type without collation)
};
// The table's indexes, a List of IndexFacts*; `pg_index` is the open catalog. Raises errors:
// call inside guarded().
List* read_indexes(Relation pg_index, Oid relid);

// The result type of pg_catalog.sum/avg (`function`) over a column of `argument_type` (or of
// its domain's base type); InvalidOid when there is no such aggregate.
Oid aggregate_result_type(const char* function, Oid argument_type);

// Where the columns of a view (or materialized view) come from: for each of its columns that
// is a plain copy of a table's column (a Var of a table in its query, through joins), that
// table and column. `single_table`: the view reads one table with nothing that could repeat or
// merge its rows (no join, GROUP BY, DISTINCT, set operation or set-returning function), so
// that table's unique columns are unique in the view too. Empty for anything but a view.
struct ViewColumn {
    std::string name;    // the view's column
    Oid table;           // InvalidOid: not a plain copy
    std::string column;  // the table's column
};
struct ViewSources {
    std::vector<ViewColumn> columns;
    bool single_table = false;
};
ViewSources view_sources(Oid relid);

// Whether the relation is a view or materialized view.
bool is_view(Oid relid);

// What Citus says of a table: whether it manages it (distributed, reference or a local table
// added to its metadata) and, for a hash-distributed one, its distribution column.
struct CitusTable {
    bool managed = false;
    std::string distribution_column;  // "" unless hash-distributed
    uint32 colocation = 0;            // co-located tables share it
};
CitusTable citus_table(Oid relid);
// Whether Citus' metadata exists in this database (cheap: one syscache lookup).
bool citus_present();
// A Citus hash-distributed table's distribution column; "" for any other relation.
std::string distribution_column(Oid relid);
// Whether the relation is one of Citus' shards (as Citus itself tells, by its
// relation_is_a_known_shard): a node that holds shards has them as tables, which Citus hides
// from listings of tables.
bool is_citus_shard(Oid relid);

// Whether a valid, non-partial unique index (or primary key) has exactly this one column.
bool column_is_unique(Oid relid, AttrNumber attnum);

// The same, telling whether the uniqueness holds at every moment or only at commit (every such
// index belongs to a DEFERRABLE constraint: a transaction may hold a duplicate until then).
enum class Uniqueness : uint8 { kNone, kImmediate, kAtCommit };
Uniqueness column_uniqueness(Oid relid, AttrNumber attnum);

// Whether `column_type = value_type` resolves to an = operator of the schema that holds
// `operator_type`'s own equality (pg_catalog for built-in types, citext's schema for citext),
// with the implicit casts the parser would apply, as in a plain WHERE col = value: then a key is
// compared as it is, without a cast that could round it (1.5 to 2).
bool compares_directly(Oid column_type, Oid value_type, Oid operator_type);

// Whether values of the type are rows (a composite type, or a domain over one): unnest() in FROM
// expands them into their fields.
bool is_row_type(Oid type);

// The type itself, or a domain's base type (through domains over domains).
Oid base_type(Oid type);

// Whether the type is jsonb, or a domain over it.
bool is_jsonb(Oid type);

// Whether the type is an array type (int4[], text[]; not a domain over one).
bool is_array_type(Oid type);

// Whether a table (not a partitioned one) has inheritance children now: its primary key does
// not span their rows.
bool has_inheritance_children(Oid relid);

// Whether to_jsonb may render values of the type rounded just now: while extra_float_digits is
// below 1, a float, a type holding one (through a domain, array, range or composite), or a type
// not known to hold none (geometric types, an extension's such as cube).
bool float_rendered_rounded(Oid type);
// extra_float_digits is below 1 just now (the quick test before the type's).
bool floats_render_rounded();

// For a page cursor, which carries a value as to_jsonb writes it and reads it back by the type's
// input: the settings its text depends on. `fixed`: " IntervalStyle=.." for an interval,
// " lc_monetary=.." for money, which must be the same to read it back; `dates`: " DateStyle=.."
// and " TimeZone=.." for a range of dates or timestamps, which must be the same only when the
// cursor was not written under ISO DateStyle (dates_written_iso). std::nullopt for a type whose
// values do not come back so (json, jsonb, arrays, rows, and types not known to, such as reg*
// types, whose text follows search_path).
struct CursorSettings {
    std::string fixed;
    std::string dates;
    bool needs_iso = false;  // a range of timestamptz: its text is exact under ISO DateStyle only
};
std::optional<CursorSettings> cursor_settings(Oid type);
// Whether dates and timestamps are written as ISO 8601 just now (DateStyle ISO): read back under
// any DateStyle and TimeZone.
bool dates_written_iso();

// Statements name functions of schema data_bridge_internal, which the extension's objects
// (0.2.0 on) create as a member of the extension. Throws 55000 unless it is that schema: under
// objects older than the module (0.1.0 has none) a role allowed to create schemas could put
// functions there that the caller's statements would run. cached_plan checks each statement that
// names the schema each time it is asked for it.
void require_internal_schema();

// Whether the table, or any of its partitions or inheritance children, has a BEFORE INSERT or
// BEFORE UPDATE row trigger (one that may change the row written).
bool has_before_row_triggers(Oid relid);

// Whether two JSON values given for the column are the same value of its type: the same scalar
// as written, or equal by the type's equality once each is read by the type's input (a bigint
// tenant id sent as "1" and as 1). Arrays, objects and NULL against a value are never the same.
bool same_column_value(Oid relid, const std::string& column, const JsonValue& a,
                       const JsonValue& b);

// " COLLATE schema.name" where PostgreSQL's foreign-key triggers compare a referencing column
// with its referenced one under the referenced column's collation (it is nondeterministic and
// differs from the referencing column's), else "".
std::string reference_collation_sql(Oid source_relid, const std::string& source_column,
                                    Oid target_relid, const std::string& target_column);

// What a write may do with a column it leaves out or nulls: whether it may hold NULL (not NOT
// NULL, nor of a NOT NULL domain), whether a default (or identity) fills it, and whether it is
// generated (no value may be written).
struct ColumnFill {
    bool accepts_null;
    bool has_default;
    bool generated;
};
ColumnFill column_fill(Oid relid, const std::string& column);

// Whether the table has a user column (not dropped) of this name.
bool has_column(Oid relid, const std::string& column);

// The core's view of these facts (relation linking).
class CatalogTableFacts final : public TableFacts {
  public:
    bool has_column(RelationId table, const std::string& column) const override {
        return pg::has_column(table, column);
    }
    std::vector<std::string> primary_key(RelationId table) const override {
        return primary_key_columns(table);
    }
    std::string name(RelationId table) const override { return relation_name(table); }
};

}  // namespace data_bridge::pg
