// The per-item reports of batches run with on_error => 'skip' (insert_many,
// delete_many_with_cascade): one jsonb object per item, in input order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data_bridge/core/error.hpp"
#include "data_bridge/pg/postgres.hpp"

namespace data_bridge::pg {

// What happened to one item: on success a jsonb value stored under `result_key` ("row") or a
// count ("deleted"); on failure the error.
struct ItemReport {
    std::optional<Datum> jsonb_result;
    std::optional<long> count_result;
    std::optional<Error> failure;
};

// on_error => 'raise' (false: the whole call or nothing) or 'skip' (true: each item on its
// own, a report each); anything else is 22023, its hint saying what each means for the caller:
// `all` ("all rows or none") and `each` ("each row on its own").
bool skips_failures(const std::string& on_error, const char* all, const char* each);

// [{"index": 0, "ok": true, "<result_key>": …}, {"index": 1, "ok": false, "sqlstate": …,
//  "message": …, "detail": …}, …], built in the current memory context (call after SPI_finish).
Datum item_reports_jsonb(const std::vector<ItemReport>& reports, const char* result_key);

}  // namespace data_bridge::pg
