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
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/row_key.hpp"
#include "data_bridge/pg/spi.hpp"
#include "data_bridge/pg/subtransaction.hpp"

namespace data_bridge {

namespace {

enum class OnError { kRaise, kSkip };

OnError parse_on_error(const std::string& word) {
    if (word == "raise")
        return OnError::kRaise;
    if (word == "skip")
        return OnError::kSkip;
    throw Error(sqlstate::kInvalidParameterValue,
                fmt::format("invalid value for on_error: \"{}\"", word), {},
                "Use 'raise' (all rows or none) or 'skip' (each row on its own).");
}

// Checks every key against the table's columns; all unknown ones are named in one error.
std::vector<std::string> checked_columns(Oid table, const std::vector<std::string>& keys) {
    std::vector<std::string> unknown;
    std::vector<std::string> quoted;
    for (const auto& key : keys) {
        if (!pg::has_column(table, key)) {
            unknown.push_back("\"" + key + "\"");
        } else {
            quoted.push_back(pg::quoted_identifier(key));
        }
    }
    if (unknown.size() == 1) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("column {} of relation \"{}\" does not exist", unknown[0],
                                pg::relation_name(table)));
    }
    if (!unknown.empty()) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("columns {} of relation \"{}\" do not exist",
                                joined_columns(unknown), pg::relation_name(table)));
    }
    return quoted;
}

struct RowGroup {
    std::vector<std::string> columns;  // quoted
    std::vector<int> positions;        // 1-based positions in the input array
};

// Rows with the same keys go into one statement; rows lacking a key get the column default.
std::vector<RowGroup> group_rows(Oid table, const pg::ArrayOfObjects& shape) {
    std::map<std::vector<std::string>, std::size_t> index;
    std::vector<RowGroup> groups;
    for (std::size_t i = 0; i < shape.keys.size(); i++) {
        auto found = index.find(shape.keys[i]);
        if (found == index.end()) {
            found = index.emplace(shape.keys[i], groups.size()).first;
            groups.push_back({checked_columns(table, shape.keys[i]), {}});
        }
        groups[found->second].positions.push_back((int)i + 1);
    }
    return groups;
}

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

// Runs the group's INSERT and stores each returned row at its input position.
void insert_group(const std::string& table_sql, const RowGroup& group, Datum rows, bool filter,
                  std::vector<Datum>& stored) {
    pg::Parameters parameters;
    parameters.add(JSONBOID, rows, false);
    if (filter) {
        const std::vector<int>& positions = group.positions;
        parameters.add(INT8ARRAYOID,
                       pg::guarded([&positions] { return pg::int8_array_datum(positions); }),
                       false);
    }
    SPIPlanPtr plan =
        pg::cached_plan(insert_rows_sql(table_sql, group.columns, filter), parameters.types);
    uint64 count = pg::execute_plan(plan, parameters.values, parameters.nulls, false);
    // A BEFORE INSERT trigger that returns NULL, or a rule, kept rows out, as a plain INSERT
    // allows. One row: it is reported as NULL. Several: RETURNING no longer says which.
    if (count == 0 && group.positions.size() == 1)
        return;
    if (count != group.positions.size()) {
        throw Error(sqlstate::kFeatureNotSupported,
                    fmt::format("a trigger or rule inserted {} of {} rows into table {}", count,
                                group.positions.size(), table_sql),
                    "Which rows were kept out cannot be told from the rows returned.",
                    "Insert with on_error => 'skip': rows one at a time, each kept-out row "
                    "reported as null.");
    }
    Datum* out = stored.data();
    const int* positions = group.positions.data();
    pg::guarded([count, out, positions] {
        for (uint64 i = 0; i < count; i++) {
            bool is_null;
            Datum row = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null);
            out[positions[i] - 1] = SPI_datumTransfer(row, false, -1);
        }
    });
}

// After a data error (22xxx) in a multi-row insert: which column's values does the table refuse?
// Each column is tried alone, in its own subtransaction; only runs on the failure path.
std::optional<std::string> find_refused_column(const std::string& table_sql, Datum rows,
                                               const std::vector<std::string>& quoted_columns,
                                               const std::vector<std::string>& column_names) {
    for (std::size_t i = 0; i < quoted_columns.size(); i++) {
        std::string sql = convert_column_sql(table_sql, quoted_columns[i]);
        const char* name = column_names[i].c_str();
        pg::Parameters parameters;
        parameters.add(JSONBOID, rows, false);
        parameters.add(TEXTOID, pg::guarded([name] { return CStringGetTextDatum(name); }), false);
        auto failure = pg::try_in_subtransaction([&] {
            pg::execute_plan(pg::cached_plan(sql, parameters.types), parameters.values,
                             parameters.nulls, true);
        });
        if (failure)
            return column_names[i];
    }
    return std::nullopt;
}

std::vector<std::string> all_keys(const pg::ArrayOfObjects& shape) {
    std::vector<std::string> keys;
    for (const auto& row_keys : shape.keys) {
        for (const auto& key : row_keys) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                keys.push_back(key);
        }
    }
    return keys;
}

// All rows in one pass (one statement per set of keys); returns the stored rows in input order.
std::vector<Datum> insert_all(Oid table, Datum rows, const pg::ArrayOfObjects& shape) {
    std::vector<RowGroup> groups = group_rows(table, shape);
    std::string table_sql = pg::quoted_table(table);
    std::vector<Datum> stored(shape.keys.size(), (Datum)0);
    auto failure = pg::try_in_subtransaction([&] {
        for (const RowGroup& group : groups) {
            insert_group(table_sql, group, rows, groups.size() > 1, stored);
        }
    });
    if (!failure)
        return stored;
    if (failure->code().rfind("22", 0) != 0)
        throw *failure;

    std::vector<std::string> names = all_keys(shape);
    auto refused = find_refused_column(table_sql, rows, checked_columns(table, names), names);
    if (!refused)
        throw *failure;
    std::string detail = fmt::format("The value is for column \"{}\" of relation \"{}\".", *refused,
                                     pg::relation_name(table));
    if (!failure->detail().empty())
        detail = failure->detail() + " " + detail;
    throw Error(failure->code(), failure->what(), detail, failure->hint());
}

// One row per subtransaction; a report per row.
std::vector<pg::ItemReport> insert_each(Oid table, Datum rows, const pg::ArrayOfObjects& shape) {
    std::string table_sql = pg::quoted_table(table);
    std::vector<pg::ItemReport> reports;
    for (std::size_t i = 0; i < shape.keys.size(); i++) {
        // The row alone, as a one-element array: the statement never scans the other rows.
        int element_index = (int)i;
        Datum single = pg::guarded([rows, element_index] {
            Datum element =
                DirectFunctionCall2(jsonb_array_element, rows, Int32GetDatum(element_index));
            return pg::jsonb_array_of(&element, 1);
        });
        RowGroup group{checked_columns(table, shape.keys[i]), {1}};
        std::vector<Datum> stored(1, (Datum)0);
        auto failure = pg::try_in_subtransaction(
            [&] { insert_group(table_sql, group, single, false, stored); });
        if (failure) {
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
    pg::require_table(table);
    Datum row = PG_GETARG_DATUM(1);
    Datum rows = pg::guarded([row] { return pg::jsonb_array_of(&row, 1); });
    pg::ArrayOfObjects shape = pg::object_keys_of_array(rows);
    if (shape.bad_element >= 0) {
        throw Error(sqlstate::kInvalidParameterValue, "row must be a JSON object",
                    "A row is an object of column names and values.");
    }
    pg::spi_connect();
    std::vector<Datum> stored = insert_all(table, rows, shape);
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
    pg::require_table(table);
    OnError on_error = parse_on_error(pg::text_arg(fcinfo, 2, "on_error"));
    Datum rows = PG_GETARG_DATUM(1);
    pg::ArrayOfObjects shape = read_rows_shape(rows, "rows");

    // Results are copied out of SPI's memory as they come, and the answer is built only after
    // SPI_finish, in the caller's memory context.
    pg::spi_connect();
    if (on_error == OnError::kSkip) {
        std::vector<pg::ItemReport> reports = insert_each(table, rows, shape);
        pg::spi_finish();
        return pg::item_reports_jsonb(reports, "row");
    }
    std::vector<Datum> stored = insert_all(table, rows, shape);
    pg::spi_finish();
    const Datum* data = stored.data();
    int count = (int)stored.size();
    return pg::guarded([data, count] { return pg::jsonb_array_of(data, count); });
}

}  // namespace

}  // namespace data_bridge

DATA_BRIDGE_FUNCTION(insert_one, data_bridge::insert_one_body)
DATA_BRIDGE_FUNCTION(insert_many, data_bridge::insert_many_body)
