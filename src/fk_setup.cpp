// add_foreign_key() and unindexed_foreign_keys(): the guide's foreign-key setup as one call that
// also creates the index the key needs, and an advisor for keys that lack one.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/fk_setup.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/fk_catalog.hpp"
#include "data_bridge/pg/spi.hpp"
#include "data_bridge/pg/statement.hpp"

namespace data_bridge {

namespace {

// Argument positions of add_foreign_key().
enum AddForeignKeyArg {
    kSource,
    kColumns,
    kTarget,
    kOnDelete,
    kOnUpdate,
    kNullable,
    kConstraintName,
    kCreateIndex
};

struct ResolvedTarget {
    Oid relid = InvalidOid;
    std::vector<std::string> columns;
};

// The guide's notation: "users" is the table's primary key; "users.id" one column; with
// parentheses, "schema.users(id, k)" the listed columns. "a.b" is table.column when table "a"
// exists, else the primary key of table "b" in schema "a".
ResolvedTarget resolve_target(const std::string& text) {
    TargetRef ref = parse_target(text);
    ResolvedTarget target;
    std::vector<std::string> table_parts = ref.name_parts;
    if (!ref.has_column_list && ref.name_parts.size() >= 2) {
        std::vector<std::string> without_column(ref.name_parts.begin(), ref.name_parts.end() - 1);
        Oid relid = pg::find_relation(without_column);
        bool has_column = relid != InvalidOid && pg::has_column(relid, ref.name_parts.back());
        if (has_column || ref.name_parts.size() == 3 ||
            pg::find_relation(ref.name_parts) == InvalidOid) {
            table_parts = without_column;
            target.columns.push_back(ref.name_parts.back());
        }
    } else {
        target.columns = ref.columns;
    }

    target.relid = pg::find_relation(table_parts);
    if (target.relid == InvalidOid) {
        std::string name =
            table_parts.size() > 1 ? table_parts[0] + "." + table_parts[1] : table_parts[0];
        throw Error(sqlstate::kUndefinedTable, fmt::format("relation \"{}\" does not exist", name),
                    fmt::format("The foreign key target is \"{}\".", text));
    }
    pg::require_table(target.relid);
    if (target.columns.empty()) {
        target.columns = pg::primary_key_columns(target.relid);
        if (target.columns.empty()) {
            throw Error(
                sqlstate::kInvalidForeignKey,
                fmt::format("table \"{}\" has no primary key", pg::relation_name(target.relid)), {},
                fmt::format("Name the referenced columns, as in \"{}(column)\".", text));
        }
    }
    for (const auto& column : target.columns)
        pg::column_attnum(target.relid, column);
    return target;
}

std::vector<std::string> quoted_all(const std::vector<std::string>& identifiers) {
    std::vector<std::string> out;
    for (const auto& identifier : identifiers)
        out.push_back(pg::quoted_identifier(identifier));
    return out;
}

std::string choose_constraint_name(Oid source, const std::vector<std::string>& columns) {
    // The name PostgreSQL itself would choose: table_col1_col2_fkey, made unique in the schema.
    std::string table = pg::relation_name(source);
    std::string addition;
    for (const auto& column : columns) {
        if (!addition.empty())
            addition += "_";
        addition += column;
    }
    const char* table_text = table.c_str();
    const char* addition_text = addition.c_str();
    return pg::guarded([source, table_text, addition_text] {
        return (const char*)ChooseConstraintName(table_text, addition_text, "fkey",
                                                 get_rel_namespace(source), NIL);
    });
}

Datum add_foreign_key_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, kSource, "source");
    Oid source = PG_GETARG_OID(kSource);
    pg::require_table(source);

    bool single_column =
        pg::guarded([fcinfo] { return get_fn_expr_argtype(fcinfo->flinfo, kColumns); }) == TEXTOID;
    std::vector<std::string> columns =
        single_column ? std::vector<std::string>{pg::text_arg(fcinfo, kColumns, "columns")}
                      : pg::text_array_arg(fcinfo, kColumns, "columns");
    if (columns.empty()) {
        throw Error(sqlstate::kInvalidParameterValue, "parameter \"columns\" must not be empty");
    }
    std::vector<AttrNumber> attnums;
    for (const auto& column : columns) {
        AttrNumber attnum = pg::column_attnum(source, column);
        if (std::find(attnums.begin(), attnums.end(), attnum) != attnums.end()) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("column \"{}\" appears twice in the foreign key", column));
        }
        attnums.push_back(attnum);
    }

    ResolvedTarget target = resolve_target(pg::text_arg(fcinfo, kTarget, "target"));
    if (target.columns.size() != columns.size()) {
        throw Error(sqlstate::kInvalidForeignKey,
                    "number of referencing and referenced columns for foreign key disagree",
                    fmt::format("The key has {} referencing column(s) ({}) and {} referenced "
                                "column(s) ({}).",
                                columns.size(), joined_columns(columns), target.columns.size(),
                                joined_columns(target.columns)));
    }

    FkAction on_delete =
        fk_action_from_sql(pg::text_arg(fcinfo, kOnDelete, "on_delete"), "on_delete");
    FkAction on_update =
        fk_action_from_sql(pg::text_arg(fcinfo, kOnUpdate, "on_update"), "on_update");
    std::optional<bool> nullable;
    if (!PG_ARGISNULL(kNullable))
        nullable = PG_GETARG_BOOL(kNullable);
    pg::require_arg(fcinfo, kCreateIndex, "create_index");
    bool create_index = PG_GETARG_BOOL(kCreateIndex);

    // SET NULL into a column that cannot hold NULL would only fail later, at the first delete.
    for (FkAction action : {on_delete, on_update}) {
        if (action != FkAction::kSetNull)
            continue;
        for (std::size_t i = 0; i < columns.size(); i++) {
            bool not_null =
                nullable.has_value() ? !*nullable : pg::column_is_not_null(source, attnums[i]);
            if (not_null) {
                throw Error(
                    sqlstate::kInvalidForeignKey,
                    fmt::format("{} SET NULL cannot be used with NOT NULL column \"{}\"",
                                action == on_delete ? "ON DELETE" : "ON UPDATE", columns[i]),
                    "Setting the column to NULL when the referenced row goes away would "
                    "violate its NOT NULL constraint.",
                    "Use nullable => true, or another action.");
            }
        }
    }

    std::string constraint_name =
        PG_ARGISNULL(kConstraintName)
            ? choose_constraint_name(source, columns)
            : std::string(pg::guarded(
                  [fcinfo] { return (const char*)NameStr(*PG_GETARG_NAME(kConstraintName)); }));

    ForeignKeyDdl ddl;
    ddl.source_table = pg::quoted_table(source);
    ddl.constraint_name = pg::quoted_identifier(constraint_name);
    ddl.source_columns = quoted_all(columns);
    ddl.target_table = pg::quoted_table(target.relid);
    ddl.target_columns = quoted_all(target.columns);
    ddl.on_delete = on_delete;
    ddl.on_update = on_update;

    // Everything runs in the caller's statement: if the index cannot be built, the constraint
    // and the NOT NULL change are rolled back with it.
    pg::spi_connect();
    if (nullable.has_value()) {
        for (const auto& column : ddl.source_columns) {
            pg::spi_execute(set_not_null_sql(ddl.source_table, column, !*nullable), false);
        }
    }
    pg::spi_execute(add_constraint_sql(ddl), false);

    bool indexed = false;
    for (const ForeignKey* key : pg::foreign_key_graph().referenced_by(source)) {
        if (key->name == constraint_name)
            indexed = key->indexed;
    }
    if (create_index && !indexed) {
        pg::spi_execute(create_index_sql(ddl.source_table, ddl.source_columns), false);
    }
    pg::spi_finish();

    const char* name = constraint_name.c_str();
    return pg::guarded([name] { return pg::name_datum(name); });
}

// A Citus table's rows live in its shards, on the nodes that hold them (the coordinator's table
// is an empty shell): each node reports the planner's estimate of the shards it has (their
// names passed as quoted literals, never spliced into the command), each shard counts once
// (a reference table's on every node, a replicated shard's on each of its placements), summed.
// Runs as the caller, like any statement through Citus. -1 if no shard was analyzed.
double citus_estimated_rows(Oid relid) {
    pg::Parameters parameters;
    parameters.add(REGCLASSOID, ObjectIdGetDatum(relid), false);
    pg::SingleValue estimate = pg::query_single_value(
        "WITH shards AS ("
        " SELECT s.shardid, pg_catalog.shard_name(s.logicalrelid, s.shardid) AS name"
        " FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = $1),"
        " per_node AS ("
        " SELECT r.result FROM pg_catalog.run_command_on_all_nodes(pg_catalog.format("
        " 'SELECT COALESCE(pg_catalog.json_object_agg(s.id, c.reltuples), ''{}'')"
        " FROM ROWS FROM (pg_catalog.unnest(%L::pg_catalog.text[]),"
        " pg_catalog.unnest(%L::pg_catalog.int8[])) AS s(name, id)"
        " JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(s.name)',"
        " (SELECT pg_catalog.array_agg(name ORDER BY shardid) FROM shards),"
        " (SELECT pg_catalog.array_agg(shardid ORDER BY shardid) FROM shards))) r"
        " WHERE r.success)"
        " SELECT pg_catalog.sum(v) FROM ("
        " SELECT e.key, pg_catalog.max(e.value::pg_catalog.float8) AS v"
        " FROM per_node, pg_catalog.json_each_text(per_node.result::pg_catalog.json) e"
        " GROUP BY e.key) per_shard WHERE v >= 0",
        parameters, true);
    if (estimate.is_null)
        return -1.0;
    Datum value = estimate.value;
    return pg::guarded([value] { return DatumGetFloat8(value); });
}

// Planner's estimate of a table's rows; a partitioned table sums its partitions. -1 if unknown.
double estimated_rows(Oid relid) {
    if (pg::citus_present() && pg::citus_table(relid).managed)
        return citus_estimated_rows(relid);
    return pg::guarded([relid] {
        List* members = get_rel_relkind(relid) == RELKIND_PARTITIONED_TABLE
                            ? find_all_inheritors(relid, NoLock, nullptr)
                            : list_make1_oid(relid);
        double total = 0;
        bool known = false;
        ListCell* cell;
        foreach (cell, members) {
            HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(lfirst_oid(cell)));
            if (!HeapTupleIsValid(tuple))
                continue;
            auto* form = (Form_pg_class)GETSTRUCT(tuple);
            if (form->relkind != RELKIND_PARTITIONED_TABLE && form->reltuples >= 0) {
                total += form->reltuples;
                known = true;
            }
            ReleaseSysCache(tuple);
        }
        return known ? total : -1.0;
    });
}

enum AdvisorColumn {
    kAdvConstraintName,
    kAdvSourceSchema,
    kAdvSourceTable,
    kAdvSourceColumns,
    kAdvTargetSchema,
    kAdvTargetTable,
    kAdvOnDelete,
    kAdvEstimatedRows,
    kAdvCreateIndex,
    kAdvColumnCount
};

Datum unindexed_foreign_keys_body(FunctionCallInfo fcinfo) {
    std::optional<std::string> schema;
    if (!PG_ARGISNULL(0)) {
        schema = pg::guarded([fcinfo] { return (const char*)NameStr(*PG_GETARG_NAME(0)); });
    }
    // Every foreign key of the database: read whole, for this call only (the cached graph holds
    // the tables calls touched).
    FkGraph every_key(pg::read_foreign_keys());
    std::vector<const ForeignKey*> keys = unindexed_keys(every_key, schema);
    // On a Citus node that holds shards, each shard carries its table's keys: the advice is for
    // the logical table (Citus creates the index on the shards).
    if (pg::citus_present()) {
        keys.erase(std::remove_if(
                       keys.begin(), keys.end(),
                       [](const ForeignKey* key) { return pg::is_citus_shard(key->source_relid); }),
                   keys.end());
    }

    struct Row {
        double rows;
        std::string statement;
    };
    std::vector<Row> extra;
    for (const ForeignKey* key : keys) {
        extra.push_back({estimated_rows(key->source_relid),
                         create_index_sql(pg::quoted_table(key->source_relid),
                                          quoted_all(key->source_columns))});
    }

    pg::guarded([fcinfo, &keys, &extra] {
        InitMaterializedSRF(fcinfo, 0);
        auto* result = (ReturnSetInfo*)fcinfo->resultinfo;
        for (std::size_t i = 0; i < keys.size(); i++) {
            const ForeignKey* key = keys[i];
            Datum values[kAdvColumnCount];
            bool nulls[kAdvColumnCount] = {};
            values[kAdvConstraintName] = pg::name_datum(key->name);
            values[kAdvSourceSchema] = pg::name_datum(key->source.schema);
            values[kAdvSourceTable] = pg::name_datum(key->source.name);
            values[kAdvSourceColumns] = pg::name_array_datum(key->source_columns);
            values[kAdvTargetSchema] = pg::name_datum(key->target.schema);
            values[kAdvTargetTable] = pg::name_datum(key->target.name);
            values[kAdvOnDelete] = pg::text_datum(fk_action_sql(key->on_delete));
            if (extra[i].rows < 0) {
                nulls[kAdvEstimatedRows] = true;
                values[kAdvEstimatedRows] = (Datum)0;
            } else {
                values[kAdvEstimatedRows] = Int64GetDatum((int64)extra[i].rows);
            }
            values[kAdvCreateIndex] = pg::text_datum(extra[i].statement);
            tuplestore_putvalues(result->setResult, result->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(add_foreign_key, data_bridge::add_foreign_key_body)
DATA_BRIDGE_FUNCTION(unindexed_foreign_keys, data_bridge::unindexed_foreign_keys_body)
