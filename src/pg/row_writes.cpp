#include "data_bridge/pg/row_writes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "data_bridge/core/error.hpp"
#include "data_bridge/core/row_queries.hpp"
#include "data_bridge/pg/boundary.hpp"
#include "data_bridge/pg/catalog.hpp"
#include "data_bridge/pg/datum.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/subtransaction.hpp"

extern "C" {
#include "storage/lmgr.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/acl.h"
#include "utils/typcache.h"
}

namespace data_bridge::pg {

namespace {
// Checks every key against the table's columns; all unknown ones are named in one error.
}  // namespace

std::vector<std::string> checked_columns(Oid table, const std::vector<std::string>& keys) {
    std::vector<std::string> unknown;
    std::vector<std::string> quoted;
    for (const auto& key : keys) {
        if (!has_column(table, key)) {
            unknown.push_back("\"" + key + "\"");
        } else {
            quoted.push_back(quoted_identifier(key));
        }
    }
    if (unknown.size() == 1) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("column {} of relation \"{}\" does not exist", unknown[0],
                                relation_name(table)));
    }
    if (!unknown.empty()) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("columns {} of relation \"{}\" do not exist",
                                joined_columns(unknown), relation_name(table)));
    }
    return quoted;
}

// Rows with the same keys go into one statement; rows lacking a key get the column default.
std::vector<RowGroup> group_rows(Oid table, const ArrayOfObjects& shape) {
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

void add_empty_row(Parameters& parameters, Oid table, LOCKMODE lock) {
    // The row is built with the table's row type as a transaction holding the table left it:
    // the statement's own lock is taken first, as a plain statement takes it before it looks at
    // the table (a column changed by a transaction it waited for would leave a row of the old
    // type: 22P07). As a plain statement, only where the caller may name the table (USAGE on its
    // schema): otherwise the statement fails on the name, without waiting for any lock.
    guarded([table, lock] {
        if (lock == NoLock ||
            pg_namespace_aclcheck(get_rel_namespace(table), GetUserId(), ACL_USAGE) != ACLCHECK_OK)
            return;
        LockRelationOid(table, lock);
        // Dropped by the transaction the lock waited for: as PostgreSQL says of a table gone.
        if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(table))) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                            errmsg("relation with OID %u does not exist", table)));
        }
    });
    Oid type = guarded([table] { return get_rel_type_id(table); });
    Datum row = guarded([type] {
        TupleDesc descriptor = lookup_rowtype_tupdesc(type, -1);
        auto* values = (Datum*)palloc0(sizeof(Datum) * (descriptor->natts + 1));
        auto* nulls = (bool*)palloc(sizeof(bool) * (descriptor->natts + 1));
        memset(nulls, true, sizeof(bool) * (descriptor->natts + 1));
        HeapTuple tuple = heap_form_tuple(descriptor, values, nulls);
        Datum datum = heap_copy_tuple_as_datum(tuple, descriptor);
        ReleaseTupleDesc(descriptor);
        return datum;
    });
    parameters.add(type, row, false);
}

// Runs the group's INSERT and stores each returned row at its input position.
void insert_group(Oid table, const std::string& table_sql, const RowGroup& group, Datum rows,
                  bool filter, std::vector<Datum>& stored) {
    Parameters parameters;
    parameters.add(JSONBOID, rows, false);
    if (filter) {
        const std::vector<int>& positions = group.positions;
        parameters.add(INT8ARRAYOID, guarded([&positions] { return int8_array_datum(positions); }),
                       false);
    }
    add_empty_row(parameters, table, RowExclusiveLock);
    SPIPlanPtr plan =
        cached_plan(insert_rows_sql(table_sql, group.columns, filter), parameters.types);
    uint64 count = execute_plan(plan, parameters.values, parameters.nulls, false);
    // A BEFORE INSERT trigger that returns NULL, or a rule, kept rows out, as a plain INSERT
    // allows. One row: it is reported as NULL. Several: RETURNING no longer says which.
    if (count == 0 && group.positions.size() == 1) {
        guarded([] { SPI_freetuptable(SPI_tuptable); });
        return;
    }
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
    guarded([count, out, positions] {
        for (uint64 i = 0; i < count; i++) {
            bool is_null;
            Datum row = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &is_null);
            out[positions[i] - 1] = SPI_datumTransfer(row, false, -1);
        }
        // Copied out: freed now, not at SPI_finish. A row-at-a-time loop ('skip') would keep one
        // table per row, and every subtransaction that aborts walks SPI's list of them.
        SPI_freetuptable(SPI_tuptable);
    });
}

namespace {

// After a data error (22xxx) in a multi-row insert: which column's values did the table refuse?
// Each column is tried alone, in its own subtransaction; only runs on the failure path. A column
// is named only when its values fail with the very error (SQLSTATE and message) and no other
// column's do: a CHECK's division by zero, or the same bad text in two columns, names none.
std::optional<std::string> find_refused_column(Oid table, Datum rows,
                                               const std::vector<std::string>& quoted_columns,
                                               const std::vector<std::string>& column_names,
                                               const Error& error) {
    std::optional<std::string> found;
    for (std::size_t i = 0; i < quoted_columns.size(); i++) {
        std::string sql = convert_column_sql(quoted_columns[i]);
        const char* name = column_names[i].c_str();
        Parameters parameters;
        parameters.add(JSONBOID, rows, false);
        parameters.add(TEXTOID, guarded([name] { return CStringGetTextDatum(name); }), false);
        // No lock: the statement names no table, and a lock taken here would outlive the try.
        add_empty_row(parameters, table, NoLock);
        // Planned for this call: the statement names no table (the base row stands for it),
        // so a kept plan would outlive a dropped column unnoticed.
        // Rolled back either way: a column that converts fine may still run the caller's code (a
        // domain's CHECK), whose writes must not outlive the failed row.
        auto failure = try_and_roll_back([&] { execute_once(sql, parameters, true); });
        if (!failure || failure->code() != error.code() ||
            std::string(failure->what()) != error.what()) {
            continue;
        }
        if (found)
            return std::nullopt;  // two columns fail alike: either could be the one
        found = column_names[i];
    }
    return found;
}

std::vector<std::string> all_keys(const ArrayOfObjects& shape) {
    std::vector<std::string> keys;
    for (const auto& row_keys : shape.keys) {
        for (const auto& key : row_keys) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                keys.push_back(key);
        }
    }
    return keys;
}

}  // namespace

Error with_refused_column(Oid table, Datum rows, const std::vector<std::string>& names,
                          const Error& failure) {
    // Not a data error, or one that names its column already (a trigger's, say): as it is.
    if (failure.code().rfind("22", 0) != 0 || !failure.fields().column.empty())
        return failure;
    auto refused = find_refused_column(table, rows, checked_columns(table, names), names, failure);
    if (!refused)
        return failure;
    std::string detail = fmt::format("The value is for column \"{}\" of relation \"{}\".", *refused,
                                     relation_name(table));
    if (!failure.detail().empty())
        detail = failure.detail() + " " + detail;
    // PostgreSQL's fields and origin stay; the column found is added to them.
    Error named(failure.code(), failure.what(), detail, failure.hint());
    named.fields() = failure.fields();
    named.set_origin(failure.origin());
    TableName name = table_name_of(table);
    if (named.fields().table.empty()) {
        named.fields().schema = name.schema;
        named.fields().table = name.name;
    }
    named.fields().column = *refused;
    return named;
}

// All rows in one pass (one statement per set of keys); returns the stored rows in input order.
std::vector<Datum> insert_all(Oid table, Datum rows, const ArrayOfObjects& shape) {
    std::vector<RowGroup> groups = group_rows(table, shape);
    std::string table_sql = quoted_table(table);
    std::vector<Datum> stored(shape.keys.size(), (Datum)0);
    auto failure = try_in_subtransaction([&] {
        for (const RowGroup& group : groups) {
            insert_group(table, table_sql, group, rows, groups.size() > 1, stored);
        }
    });
    if (!failure)
        return stored;
    throw with_refused_column(table, rows, all_keys(shape), *failure);
}

}  // namespace data_bridge::pg
