// insert_one() and insert_many(): rows written from JSON with one multi-row statement per set of
// keys (usually one), returned as stored (defaults and generated keys filled in), in input order.
// insert_many(..., on_error => 'skip') runs each row in its own subtransaction instead and
// reports, per row, what happened.

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/args.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/item_report.hpp"
#include "data_bridge/pg/row_writes.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/spi.hpp"
#include "data_bridge/pg/subtransaction.hpp"

namespace data_bridge {

namespace {

constexpr const char* kWritesNeedTables =
    "insert_one and insert_many write tables and partitioned tables; write a view with INSERT.";

pg::ArrayOfObjects read_rows_shape(Datum rows, const char* parameter) {
    pg::ArrayOfObjects shape = pg::object_keys_of_array(rows);
    if (!shape.is_array) {
        throw Error(sqlstate::kInvalidParameterValue,
                    fmt::format("{} must be a JSON array of objects", parameter));
    }
    if (shape.bad_element >= 0) {
        throw Error(sqlstate::kInvalidParameterValue,
                    fmt::format("{}[{}] must be a JSON object", parameter, shape.bad_element),
                    "Each row is an object of column names and values.");
    }
    return shape;
}

constexpr int kColumnSearches = 100;

// One row per subtransaction; a report per row.
std::vector<pg::ItemReport> insert_each(Oid table, Datum rows, const pg::ArrayOfObjects& shape) {
    std::string table_sql = pg::quoted_table(table);
    std::vector<pg::ItemReport> reports;
    // The search for a refused column tries each column of the row alone: done for the first
    // rows that fail so, not for every row of a large import that fails alike.
    int column_searches_left = kColumnSearches;
    for (std::size_t i = 0; i < shape.keys.size(); i++) {
        // The row alone, as a one-element array: the statement never scans the other rows.
        int element_index = (int)i;
        Datum single = pg::guarded([rows, element_index] {
            Datum element =
                DirectFunctionCall2(jsonb_array_element, rows, Int32GetDatum(element_index));
            return pg::jsonb_array_of(&element, 1);
        });
        pg::RowGroup group{pg::checked_columns(table, shape.keys[i]), {1}};
        std::vector<Datum> stored(1, (Datum)0);
        auto failure = pg::try_in_subtransaction(
            [&] { pg::insert_group(table, table_sql, group, single, false, stored); });
        // The table itself gone (dropped by a transaction the write waited for) fails the call,
        // as it fails a plain INSERT: not a row's failure.
        if (failure)
            pg::require_table(table, kWritesNeedTables);
        if (failure && column_searches_left > 0 && failure->code().rfind("22", 0) == 0) {
            column_searches_left--;
            reports.push_back({std::nullopt, std::nullopt,
                               pg::with_refused_column(table, single, shape.keys[i], *failure)});
        } else if (failure) {
            reports.push_back({std::nullopt, std::nullopt, failure});
        } else {
            reports.push_back({stored[0], std::nullopt, std::nullopt});
        }
    }
    return reports;
}

// insert_one(tbl regclass, "row" jsonb)
Datum insert_one_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tbl");
    pg::require_arg(fcinfo, 1, "row");
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table, kWritesNeedTables);
    pg::require_schema_usage(table);
    Datum row = PG_GETARG_DATUM(1);
    Datum rows = pg::guarded([row] { return pg::jsonb_array_of(&row, 1); });
    pg::ArrayOfObjects shape = pg::object_keys_of_array(rows);
    if (shape.bad_element >= 0) {
        throw Error(sqlstate::kInvalidParameterValue, "row must be a JSON object",
                    "A row is an object of column names and values.");
    }
    pg::spi_connect();
    std::vector<Datum> stored = pg::insert_all(table, rows, shape);
    pg::spi_finish();
    if (stored[0] == (Datum)0)
        PG_RETURN_NULL();  // a trigger or rule kept it out
    return stored[0];
}

// insert_many(tbl regclass, rows jsonb, on_error text DEFAULT 'raise')
Datum insert_many_body(FunctionCallInfo fcinfo) {
    pg::require_arg(fcinfo, 0, "tbl");
    pg::require_arg(fcinfo, 1, "rows");
    Oid table = PG_GETARG_OID(0);
    pg::require_table(table, kWritesNeedTables);
    pg::require_schema_usage(table);
    bool skip = pg::skips_failures(pg::text_arg(fcinfo, 2, "on_error"), "all rows or none",
                                   "each row on its own");
    Datum rows = PG_GETARG_DATUM(1);
    pg::ArrayOfObjects shape = read_rows_shape(rows, "rows");

    // Results are copied out of SPI's memory as they come, and the answer is built only after
    // SPI_finish, in the caller's memory context.
    pg::spi_connect();
    if (skip) {
        std::vector<pg::ItemReport> reports = insert_each(table, rows, shape);
        pg::spi_finish();
        return pg::item_reports_jsonb(reports, "row");
    }
    std::vector<Datum> stored = pg::insert_all(table, rows, shape);
    pg::spi_finish();
    const Datum* data = stored.data();
    int count = (int)stored.size();
    return pg::guarded([data, count] { return pg::jsonb_array_of(data, count); });
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(insert_one, data_bridge::insert_one_body)
DATA_BRIDGE_FUNCTION(insert_many, data_bridge::insert_many_body)
