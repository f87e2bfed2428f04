// fetch_referenced() and fetch_related(): the guide's ForeignKeyProxy, one referenced row at a
// time, by a cached prepared statement.

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_fetch.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/shape_cache.hpp"

namespace data_bridge {

namespace {

std::string name_arg(FunctionCallInfo fcinfo, int argno) {
    return pg::guarded([fcinfo, argno] { return (const char*)NameStr(*PG_GETARG_NAME(argno)); });
}

Oid argument_type(FunctionCallInfo fcinfo, int argno) {
    return pg::guarded([fcinfo, argno] { return get_fn_expr_argtype(fcinfo->flinfo, argno); });
}

// The statement for fetch_referenced(target, column, <value of value_type>), checked and built
// on the first call of that shape.
std::string referenced_row_sql(FunctionCallInfo fcinfo, Oid target,
                               const std::string& column_name) {
    pg::require_table(target);
    pg::watch_table(target);  // the statement is remembered: it depends on the table's shape
    pg::ColumnInfo column = pg::column_info(target, column_name);
    if (!pg::column_is_unique(target, column.attnum)) {
        throw Error(sqlstate::kInvalidColumnReference,
                    fmt::format("column \"{}\" of relation \"{}\" is not a unique key", column.name,
                                pg::relation_name(target)),
                    "A lazy load returns one row, so the column needs a primary key or unique "
                    "constraint of its own.",
                    "Use backref_fetch_all() to fetch every row with a value.");
    }
    pg::Parameters unused;
    KeyMatch match = pg::match_argument(column, fcinfo, 2, unused);
    return select_one_row_sql(pg::quoted_table(target), {match});
}

// The row a lazy load's statement read: at most one. Several rows share the key only where a
// plain SELECT by it finds them: inheritance children (a unique key does not span them), or a
// duplicate that a deferred unique key allows until commit. Refused, as fetch_one_with_relations
// refuses them, rather than one of them returned.
// `related`: fetch_related's statement (the source row and the row its key references), else
// fetch_referenced's; `table`: the table the message names. The message is built only then:
// this is every call's path.
Datum single_row(FunctionCallInfo fcinfo, const std::string& sql, const pg::Parameters& parameters,
                 Oid table, bool related) {
    pg::SingleValue row =
        pg::query_single_value(sql, parameters, true, pg::PlanChoice::kAuto, true);
    if (row.more) {
        std::string what = related
                               ? fmt::format(
                                     "more than one row of relation \"{}\" has the key, or it "
                                     "references more than one row",
                                     pg::relation_name(table))
                               : fmt::format("more than one row of relation \"{}\" has the value",
                                             pg::relation_name(table));
        throw Error(sqlstate::kCardinalityViolation, what,
                    "Rows of inheritance children (a unique key does not span them), or a "
                    "duplicate a deferred unique key allows until commit.",
                    "Read a child table by its own key, or every row with backref_fetch_all().");
    }
    return pg::value_or_null(fcinfo, row);
}

// What a lazy load's shape needs on each call: its statement and, for the direct read
// (pg/row_fetch.hpp), the columns it reads by.
struct LazyShape {
    std::string sql;
    AttrNumber column = InvalidAttrNumber;  // fetch_referenced
    Oid index = InvalidOid;
    std::optional<pg::ThroughKey> through;  // fetch_related, a one-column key to a one-column key
};
std::size_t shape_bytes(const LazyShape& shape) {
    return shape.sql.size();
}
pg::ShapeCache<LazyShape> lazy_shapes("lazy loads");

// fetch_referenced(target regclass, column name, value anyelement)
Datum fetch_referenced_body(FunctionCallInfo fcinfo) {
    Oid target = PG_GETARG_OID(0);
    std::string column_name = name_arg(fcinfo, 1);
    Oid value_type = argument_type(fcinfo, 2);
    std::string key = fmt::format("fetch_referenced {} {} {}", target, value_type, column_name);
    // A copy: the call may run user code (operators, output functions) that calls back in.
    const LazyShape* cached = lazy_shapes.find(key);
    LazyShape shape;
    if (cached != nullptr) {
        shape = *cached;
    } else {
        shape.sql = referenced_row_sql(fcinfo, target, column_name);
        shape.column = pg::column_info(target, column_name).attnum;
        shape.index = pg::direct_read_index(target, shape.column, value_type);
        lazy_shapes.remember(key, shape);
    }
    if (auto direct =
            pg::fetch_by_unique_index(target, shape.column, shape.index, PG_GETARG_DATUM(2)))
        return pg::value_or_null(fcinfo, *direct);
    const std::string& sql = shape.sql;

    pg::Parameters parameters;
    parameters.add(value_type, PG_GETARG_DATUM(2), false);
    return single_row(fcinfo, sql, parameters, target, false);
}

// The foreign key of `source` named by constraint name, or by a column: the one-column key on
// it, else the one key it belongs to.
const ForeignKey& find_foreign_key(Oid source, const std::string& name) {
    const auto& keys = pg::foreign_key_graph().referenced_by(source);
    for (const ForeignKey* key : keys) {
        if (key->name == name)
            return *key;
    }
    std::vector<const ForeignKey*> on_column;  // one-column keys on it
    std::vector<const ForeignKey*> by_column;  // keys it belongs to
    std::vector<std::string> candidates;
    for (const ForeignKey* key : keys) {
        const auto& columns = key->source_columns;
        if (std::find(columns.begin(), columns.end(), name) != columns.end()) {
            by_column.push_back(key);
            if (columns.size() == 1)
                on_column.push_back(key);
        }
        candidates.push_back(key->name + " (" + joined_columns(columns) + ")");
    }
    if (on_column.size() == 1)
        return *on_column[0];
    if (on_column.size() > 1)
        by_column = on_column;
    else if (by_column.size() == 1)
        return *by_column[0];
    if (by_column.size() > 1) {
        std::vector<std::string> names;
        for (const ForeignKey* key : by_column)
            names.push_back(key->name);
        throw Error(sqlstate::kAmbiguousColumn,
                    fmt::format("column \"{}\" of relation \"{}\" is in more than one foreign key",
                                name, pg::relation_name(source)),
                    fmt::format("Candidates: {}.", joined_columns(names)),
                    "Name the constraint instead of the column.");
    }
    throw Error(
        sqlstate::kUndefinedObject,
        fmt::format("relation \"{}\" has no foreign key \"{}\"", pg::relation_name(source), name),
        candidates.empty() ? "It has no foreign keys."
                           : fmt::format("Its foreign keys: {}.", joined_columns(candidates)),
        "Name a foreign key by its constraint name or by its column.");
}

// The statement for fetch_related(source, <id>, fk); `parameters` receives the key's values.
std::string related_row_sql(FunctionCallInfo fcinfo, Oid source, const std::string& fk_name,
                            pg::Parameters& parameters) {
    pg::require_table(source);
    const ForeignKey& key = find_foreign_key(source, fk_name);
    pg::watch_table(source);
    pg::watch_table(key.target_relid);
    std::vector<KeyMatch> source_key = pg::match_primary_key(source, fcinfo, 1, "id", parameters);
    std::vector<KeyMatch> join;
    for (std::size_t i = 0; i < key.target_columns.size(); i++) {
        pg::ColumnInfo target_column = pg::column_info(key.target_relid, key.target_columns[i]);
        join.push_back({pg::quoted_identifier(key.target_columns[i]),
                        pg::equality_operator_sql(target_column.type),
                        "s." + pg::quoted_identifier(key.source_columns[i])});
    }
    // The referenced row as the key sees it (PostgreSQL's check reads ONLY the table): not a row
    // of an inheritance child that shares its key.
    return follow_key_sql(pg::quoted_table(source), source_key,
                          pg::own_rows_table(key.target_relid), join);
}

// The direct read's path of fetch_related, for a one-column primary key and a one-column foreign
// key (anything else runs the statement).
std::optional<pg::ThroughKey> through_key(Oid source, const std::string& fk_name, Oid key_type) {
    const ForeignKey& key = find_foreign_key(source, fk_name);
    std::vector<std::string> primary_key = pg::primary_key_columns(source);
    if (primary_key.size() != 1 || key.source_columns.size() != 1)
        return std::nullopt;
    pg::ThroughKey through{source, pg::column_info(source, primary_key[0]).attnum,
                           pg::column_info(source, key.source_columns[0]).attnum, key.target_relid,
                           pg::column_info(key.target_relid, key.target_columns[0]).attnum};
    pg::resolve_through_key(through, key_type);
    return through;
}

// fetch_related(source regclass, id anyelement, fk text)
Datum fetch_related_body(FunctionCallInfo fcinfo) {
    Oid source = PG_GETARG_OID(0);
    std::string fk_name =
        pg::guarded([fcinfo] { return (const char*)text_to_cstring(PG_GETARG_TEXT_PP(2)); });
    Oid id_type = argument_type(fcinfo, 1);

    // A bare key value is one parameter, so its statement can be remembered; a key object (jsonb,
    // or text naming a composite key's columns) is split into one parameter per key column on
    // every call.
    pg::Parameters parameters;
    bool key_object =
        id_type == JSONBOID || (id_type == TEXTOID && pg::primary_key_columns(source).size() > 1);
    if (key_object) {
        std::string sql = related_row_sql(fcinfo, source, fk_name, parameters);
        return single_row(fcinfo, sql, parameters, source, true);
    }
    std::string key = fmt::format("fetch_related {} {} {}", source, id_type, fk_name);
    const LazyShape* cached = lazy_shapes.find(key);  // copied, as in fetch_referenced
    LazyShape shape;
    if (cached != nullptr) {
        shape = *cached;
        parameters.add(id_type, PG_GETARG_DATUM(1), false);
    } else {
        shape.sql = related_row_sql(fcinfo, source, fk_name, parameters);
        shape.through = through_key(source, fk_name, id_type);
        lazy_shapes.remember(key, shape);
    }
    if (shape.through) {
        if (auto direct = pg::fetch_through_key(*shape.through, PG_GETARG_DATUM(1)))
            return pg::value_or_null(fcinfo, *direct);
    }
    return single_row(fcinfo, shape.sql, parameters, source, true);
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(fetch_referenced, data_bridge::fetch_referenced_body)
DATA_BRIDGE_FUNCTION(fetch_related, data_bridge::fetch_related_body)
