// Rows written from JSON with one multi-row INSERT per set of keys, returned as stored:
// insert_one/insert_many and each table of insert_with_relations write through here.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/jsonb.hpp"
#include "data_bridge/pg/statement.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// Checks every key against the table's columns (all unknown ones named in one 42703); returns
// them quoted.
std::vector<std::string> checked_columns(Oid table, const std::vector<std::string>& keys);

// Adds the base record of the row statements (see core/row_queries.hpp): a row of the table's
// type with every column NULL. Takes `lock`, the lock of the statement that uses it, first
// (NoLock: none, for a statement that names no table).
void add_empty_row(Parameters& parameters, Oid table, LOCKMODE lock);

// Rows with the same keys go into one statement; rows lacking a key get the column default.
struct RowGroup {
    std::vector<std::string> columns;  // quoted
    std::vector<int> positions;        // 1-based positions in the input array
};
std::vector<RowGroup> group_rows(Oid table, const ArrayOfObjects& shape);

// Runs the group's INSERT of the jsonb array `rows` (only its positions when `filter`) and
// stores each returned row at its input position (SPI connected).
void insert_group(Oid table, const std::string& table_sql, const RowGroup& group, Datum rows,
                  bool filter, std::vector<Datum>& stored);

// All rows in one pass (one statement per set of keys), in a subtransaction; returns the stored
// rows in input order. A data error names the column whose values the table refuses.
std::vector<Datum> insert_all(Oid table, Datum rows, const ArrayOfObjects& shape);

// A data error (22xxx) of an insert of `rows` with the columns `names`, with the column whose
// values the table refused named in its fields and detail when exactly one column's values fail
// alike (each tried alone, in a subtransaction: the failure path only); any other error as it is.
Error with_refused_column(Oid table, Datum rows, const std::vector<std::string>& names,
                          const Error& failure);

}  // namespace data_bridge::pg
