// backref_fetch_all(), backref_fetch_one() and backref_count(): the guide's BackReferenceQuery,
// the rows of a referencing table whose column holds a value, by cached prepared statements.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/query.hpp"
#include "data_bridge/pg/relation.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/types.hpp"

namespace data_bridge {

namespace {

enum BackrefArg { kSource, kSourceColumn, kValue, kOrderBy, kLimit, kOffset };

struct BackrefQuery {
    Oid source;
    KeyMatch match;
    pg::Parameters parameters;
};

BackrefQuery read_common_args(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, kSource, "source");
    pg::require_arg(fcinfo, kSourceColumn, "source_column");
    BackrefQuery query;
    query.source = PG_GETARG_OID(kSource);
    pg::require_table(query.source);
    std::string column_name =
        pg::guarded([fcinfo] { return (const char*)NameStr(*PG_GETARG_NAME(kSourceColumn)); });
    pg::ColumnInfo column = pg::column_info(query.source, column_name);
    // A NULL value matches no row, as "column = NULL" does in SQL.
    query.match = pg::match_argument(column, fcinfo, kValue, query.parameters);
    return query;
}

// order_by as given, then the primary key columns not named yet, so the order is total.
std::vector<QuotedOrder> row_order(FunctionCallInfo fcinfo, Oid source) {
    std::vector<OrderTerm> terms;
    if (!PG_ARGISNULL(kOrderBy)) {
        terms = parse_order_by(pg::jsonb_to_value(PG_GETARG_DATUM(kOrderBy)), "order_by");
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

std::string offset_parameter(FunctionCallInfo fcinfo, int argno, pg::Parameters& parameters) {
    int32 offset = PG_ARGISNULL(argno) ? 0 : PG_GETARG_INT32(argno);
    check_not_negative(offset, "offset");
    return parameters.add(INT8OID, Int64GetDatum(offset), false);
}

Datum backref_fetch_all_body(FunctionCallInfo fcinfo) {
    BackrefQuery query = read_common_args(fcinfo);
    std::vector<QuotedOrder> order = row_order(fcinfo, query.source);
    bool no_limit = PG_ARGISNULL(kLimit);
    int32 limit = no_limit ? 0 : PG_GETARG_INT32(kLimit);
    check_not_negative(limit, "limit");
    std::string limit_param = query.parameters.add(INT8OID, Int64GetDatum(limit), no_limit);
    std::string offset_param = offset_parameter(fcinfo, kOffset, query.parameters);
    std::string sql = matching_rows_sql(pg::quoted_table(query.source), query.match, order,
                                        limit_param, offset_param, false);
    return pg::query_single_value(sql, query.parameters, true).value;
}

// backref_fetch_one(source, source_column, value, order_by, offset): no limit argument.
Datum backref_fetch_one_body(FunctionCallInfo fcinfo) {
    BackrefQuery query = read_common_args(fcinfo);
    std::vector<QuotedOrder> order = row_order(fcinfo, query.source);
    std::string offset_param = offset_parameter(fcinfo, kOrderBy + 1, query.parameters);
    std::string sql = matching_rows_sql(pg::quoted_table(query.source), query.match, order, "",
                                        offset_param, true);
    pg::SingleValue result = pg::query_single_value(sql, query.parameters, true);
    if (result.is_null) PG_RETURN_NULL();
    return result.value;
}

Datum backref_count_body(FunctionCallInfo fcinfo) {
    BackrefQuery query = read_common_args(fcinfo);
    std::string sql = count_rows_sql(pg::quoted_table(query.source), query.match);
    return pg::query_single_value(sql, query.parameters, true).value;
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(backref_fetch_all, data_bridge::backref_fetch_all_body)
DATA_BRIDGE_FUNCTION(backref_fetch_one, data_bridge::backref_fetch_one_body)
DATA_BRIDGE_FUNCTION(backref_count, data_bridge::backref_count_body)
