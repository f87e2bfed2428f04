// backref_fetch_all(), backref_fetch_one() and backref_count(): the guide's BackReferenceQuery,
// the rows of a referencing table whose column holds a value, by cached prepared statements.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/foreign_key.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/core/sql_text.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/fk_cache.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/jsonb.hpp"

extern "C" {
#include "utils/jsonb.h"
}
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/shape_cache.hpp"

namespace data_bridge {

namespace {

enum BackrefArg { kSource, kSourceColumn, kValue, kOrderBy, kLimit, kOffset };

enum class Shape { kAll, kOne, kCount };

// order_by as given, then the primary key columns not named yet, so the order is total.
std::vector<QuotedOrder> row_order(FunctionCallInfo fcinfo, Oid source, int order_arg = kOrderBy) {
    std::vector<OrderTerm> terms;
    if (!PG_ARGISNULL(order_arg)) {
        terms = parse_order_by(pg::jsonb_to_value(PG_GETARG_DATUM(order_arg)), "order_by");
    }
    std::vector<QuotedOrder> order;
    std::vector<std::string> named;
    for (std::size_t i = 0; i < terms.size(); i++) {
        pg::column_info(source, terms[i].column);  // 42703 for an unknown column
        order.push_back({pg::quoted_identifier(terms[i].column), terms[i].descending});
        named.push_back(terms[i].column);
    }
    for (const auto& key_column : pg::primary_key_columns(source)) {
        if (std::find(named.begin(), named.end(), key_column) == named.end()) {
            order.push_back({pg::quoted_identifier(key_column), false});
        }
    }
    return order;
}

// The statement of one call shape: $1 is the value; then $2 the limit and $3 the offset
// (kAll), or $2 the offset (kOne).
std::string backref_sql(FunctionCallInfo fcinfo, Shape shape, Oid source,
                        const std::string& column_name) {
    pg::require_table(source);
    pg::watch_table(source);  // the statement is remembered: it depends on the table's shape
    pg::ColumnInfo column = pg::column_info(source, column_name);
    pg::Parameters numbering;
    KeyMatch match = pg::match_argument(column, fcinfo, kValue, numbering);
    std::string table = pg::quoted_table(source);
    if (shape == Shape::kCount)
        return count_rows_sql(table, match);
    std::vector<QuotedOrder> order = row_order(fcinfo, source);
    if (shape == Shape::kOne)
        return matching_rows_sql(table, match, order, "", "$2", true);
    return matching_rows_sql(table, match, order, "$2", "$3", false);
}

int32 offset_argument(FunctionCallInfo fcinfo, int argno) {
    int32 offset = PG_ARGISNULL(argno) ? 0 : PG_GETARG_INT32(argno);
    check_not_negative(offset, "offset");
    return offset;
}

pg::SingleValue run_backref(FunctionCallInfo fcinfo, Shape shape) {
    pg::require_arg(fcinfo, kSource, "source");
    pg::require_arg(fcinfo, kSourceColumn, "source_column");
    Oid source = PG_GETARG_OID(kSource);
    std::string column_name =
        pg::guarded([fcinfo] { return (const char*)NameStr(*PG_GETARG_NAME(kSourceColumn)); });
    Oid value_type = pg::guarded([fcinfo] { return get_fn_expr_argtype(fcinfo->flinfo, kValue); });

    // A NULL value matches no row, as "column = NULL" does in SQL.
    pg::Parameters parameters;
    parameters.add(value_type, PG_ARGISNULL(kValue) ? (Datum)0 : PG_GETARG_DATUM(kValue),
                   PG_ARGISNULL(kValue));
    std::string order_text;
    if (shape == Shape::kAll) {
        bool no_limit = PG_ARGISNULL(kLimit);
        int32 limit = no_limit ? 0 : PG_GETARG_INT32(kLimit);
        check_not_negative(limit, "limit");
        parameters.add(INT8OID, Int64GetDatum(limit), no_limit);
        parameters.add(INT8OID, Int64GetDatum(offset_argument(fcinfo, kOffset)), false);
    } else if (shape == Shape::kOne) {
        parameters.add(INT8OID, Int64GetDatum(offset_argument(fcinfo, kOrderBy + 1)), false);
    }
    if (shape != Shape::kCount && !PG_ARGISNULL(kOrderBy)) {
        order_text = pg::guarded([fcinfo] {
            return (const char*)JsonbToCString(nullptr, &PG_GETARG_JSONB_P(kOrderBy)->root, 0);
        });
    }

    std::string key = fmt::format("backref {} {} {} {} {}", (int)shape, source, value_type,
                                  column_name, order_text);
    const std::string* cached = pg::find_statement(key);
    std::string sql = cached != nullptr ? *cached : backref_sql(fcinfo, shape, source, column_name);
    if (cached == nullptr)
        pg::remember_statement(key, sql);
    return pg::query_single_value(sql, parameters, true);
}

Datum backref_fetch_all_body(FunctionCallInfo fcinfo) {
    return run_backref(fcinfo, Shape::kAll).value;
}

// backref_fetch_one(source, source_column, value, order_by, offset): no limit argument.
Datum backref_fetch_one_body(FunctionCallInfo fcinfo) {
    return pg::value_or_null(fcinfo, run_backref(fcinfo, Shape::kOne));
}

Datum backref_count_body(FunctionCallInfo fcinfo) {
    return run_backref(fcinfo, Shape::kCount).value;
}

// Through a junction: backref_fetch_all_through(source, through, through_column, value,
// order_by, limit, offset) and backref_count_through(source, through, through_column, value),
// the rows of source that some row of the junction with through_column = value points at.
enum ThroughArg { kThroughSource, kJunction, kJunctionColumn, kThroughValue, kThroughOrderBy };

// The junction's foreign key to source: the one not using through_column (which holds the
// value), so that a junction between a table and itself links through its other key.
const ForeignKey& junction_key(Oid junction, Oid source, const std::string& through_column) {
    std::vector<const ForeignKey*> candidates;
    for (const ForeignKey* key : pg::foreign_key_graph().referenced_by(junction)) {
        if (key->target_relid == source &&
            std::find(key->source_columns.begin(), key->source_columns.end(), through_column) ==
                key->source_columns.end())
            candidates.push_back(key);
    }
    if (candidates.size() == 1)
        return *candidates[0];
    std::string junction_name = pg::relation_name(junction);
    std::string source_name = pg::relation_name(source);
    if (candidates.empty()) {
        throw Error(sqlstate::kUndefinedObject,
                    fmt::format("table \"{}\" has no foreign key to \"{}\" besides column \"{}\"",
                                junction_name, source_name, through_column),
                    {}, "Name the junction table whose foreign key references source.");
    }
    std::vector<std::string> names;
    for (const ForeignKey* key : candidates)
        names.push_back(key->name);
    std::sort(names.begin(), names.end());
    throw Error(sqlstate::kAmbiguousColumn,
                fmt::format("table \"{}\" has more than one foreign key to \"{}\"", junction_name,
                            source_name),
                fmt::format("Candidates: {}.", fmt::join(names, ", ")),
                "Use fetch_with_relations with an exists filter through the junction, naming "
                "its keys.");
}

std::string backref_through_sql(FunctionCallInfo fcinfo, Shape shape, Oid source, Oid junction,
                                const std::string& column_name) {
    pg::require_table(source);
    pg::require_table(junction);
    pg::watch_table(source);
    pg::watch_table(junction);
    pg::ColumnInfo column = pg::column_info(junction, column_name);
    pg::Parameters numbering;
    std::vector<KeyMatch> matches;
    const ForeignKey& key = junction_key(junction, source, column.name);
    for (std::size_t i = 0; i < key.source_columns.size(); i++) {
        // Compared as the foreign key compares them (citext against text: as citext).
        pg::ColumnInfo link = pg::column_info(junction, key.source_columns[i]);
        pg::ColumnInfo referenced = pg::column_info(source, key.target_columns[i]);
        pg::KeyComparison comparison = pg::reference_comparison(link, referenced.type);
        matches.push_back(
            {comparison.column, comparison.equals,
             value_sql("t." + pg::quoted_identifier(referenced.name), comparison.convert_to)});
    }
    matches.push_back(pg::match_argument(column, fcinfo, kThroughValue, numbering));
    std::string table = pg::quoted_table(source);
    std::string through = pg::quoted_table(junction);
    if (shape == Shape::kCount)
        return count_linked_rows_sql(table, through, matches);
    std::vector<QuotedOrder> order = row_order(fcinfo, source, kThroughOrderBy);
    return linked_rows_sql(table, through, matches, order, "$2", "$3");
}

pg::SingleValue run_backref_through(FunctionCallInfo fcinfo, Shape shape) {
    pg::require_arg(fcinfo, kThroughSource, "source");
    pg::require_arg(fcinfo, kJunction, "through");
    pg::require_arg(fcinfo, kJunctionColumn, "through_column");
    Oid source = PG_GETARG_OID(kThroughSource);
    Oid junction = PG_GETARG_OID(kJunction);
    std::string column_name =
        pg::guarded([fcinfo] { return (const char*)NameStr(*PG_GETARG_NAME(kJunctionColumn)); });
    Oid value_type =
        pg::guarded([fcinfo] { return get_fn_expr_argtype(fcinfo->flinfo, kThroughValue); });
    pg::Parameters parameters;
    parameters.add(value_type,
                   PG_ARGISNULL(kThroughValue) ? (Datum)0 : PG_GETARG_DATUM(kThroughValue),
                   PG_ARGISNULL(kThroughValue));
    std::string order_text;
    if (shape == Shape::kAll) {
        int limit_arg = kThroughOrderBy + 1;
        bool no_limit = PG_ARGISNULL(limit_arg);
        int32 limit = no_limit ? 0 : PG_GETARG_INT32(limit_arg);
        check_not_negative(limit, "limit");
        parameters.add(INT8OID, Int64GetDatum(limit), no_limit);
        parameters.add(INT8OID, Int64GetDatum(offset_argument(fcinfo, limit_arg + 1)), false);
        if (!PG_ARGISNULL(kThroughOrderBy)) {
            order_text = pg::guarded([fcinfo] {
                return (const char*)JsonbToCString(nullptr,
                                                   &PG_GETARG_JSONB_P(kThroughOrderBy)->root, 0);
            });
        }
    }
    std::string key = fmt::format("backref through {} {} {} {} {} {}", (int)shape, source, junction,
                                  value_type, column_name, order_text);
    const std::string* cached = pg::find_statement(key);
    std::string sql = cached != nullptr
                          ? *cached
                          : backref_through_sql(fcinfo, shape, source, junction, column_name);
    if (cached == nullptr)
        pg::remember_statement(key, sql);
    return pg::query_single_value(sql, parameters, true);
}

Datum backref_fetch_all_through_body(FunctionCallInfo fcinfo) {
    return run_backref_through(fcinfo, Shape::kAll).value;
}

Datum backref_count_through_body(FunctionCallInfo fcinfo) {
    return run_backref_through(fcinfo, Shape::kCount).value;
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(backref_fetch_all_through, data_bridge::backref_fetch_all_through_body)
DATA_BRIDGE_FUNCTION(backref_count_through, data_bridge::backref_count_through_body)
DATA_BRIDGE_FUNCTION(backref_fetch_all, data_bridge::backref_fetch_all_body)
DATA_BRIDGE_FUNCTION(backref_fetch_one, data_bridge::backref_fetch_one_body)
DATA_BRIDGE_FUNCTION(backref_count, data_bridge::backref_count_body)
