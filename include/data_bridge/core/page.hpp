// fetch_page_with_relations(): pages of a load in its order, with cursors to the next and the
// previous page. The pure part: the order a page walks, the values a cursor keeps, and what a
// page adds to the rows it reads and takes off again.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/json_value.hpp"
#include "data_bridge/core/row_queries.hpp"

namespace data_bridge {

// The order pages walk: the order_by columns, then the primary key's not named there, each
// with its direction. Throws 22023 when there is no order at all.
std::vector<OrderTerm> page_order(const std::vector<OrderTerm>& order_by,
                                  const std::vector<std::string>& primary_key);

// The same order backwards, NULLs too (ORDER BY puts them last ascending, first descending): a
// page before a row is the page after it in this order, reversed.
std::vector<OrderTerm> reversed_order(const std::vector<OrderTerm>& order);

// The select_columns a page reads: the caller's, plus the order's columns a cursor needs
// (`added`: those the caller did not ask for, taken off the rows again).
std::vector<std::string> page_columns(const std::vector<std::string>& selected,
                                      const std::vector<OrderTerm>& order,
                                      std::vector<std::string>& added);

// {"column": value, ...} of a rendered row for the order's columns (JSON null for a missing one).
JsonValue order_values(const JsonValue& row, const std::vector<OrderTerm>& order);

// The row without the keys in `added`.
void drop_keys(JsonValue& row, const std::vector<std::string>& added);

// Whether a cursor's values, written under the settings `written` records ("<fixed>|<dates>",
// each a list of " name=value"; dates empty when written under ISO DateStyle), read back the
// same under the settings of now. An interval written under IntervalStyle iso_8601 reads back
// the same under every style; anything else recorded must be as it is now.
bool cursor_readable_under(const std::string& written, const std::string& fixed_now,
                           const std::string& dates_now);

}  // namespace data_bridge
