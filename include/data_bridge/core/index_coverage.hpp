// Does an index serve the lookups a foreign key needs?
#pragma once

#include <vector>

#include "data_bridge/core/foreign_key.hpp"

namespace data_bridge {

// The key columns of one index: attribute numbers in index order, 0 for an expression column.
struct IndexShape {
    std::vector<AttributeNumber> key_attnums;
    bool is_partial = false;  // has a WHERE clause
    bool is_valid = true;     // not a failed CREATE INDEX CONCURRENTLY
    // A btree or hash index: it finds one key's rows. BRIN, GIN and GiST indexes on the columns
    // do not serve a cascade's or a lookup's equality as those do.
    bool finds_keys = true;
};

// True when the foreign-key columns, in any order, are exactly the index's leading key columns:
// then "WHERE fk_col1 = $1 AND fk_col2 = $2" can use the index. A partial or invalid index never
// counts, because the planner cannot rely on it for every key; nor does one of another kind
// than btree or hash (IndexShape::finds_keys).
bool index_covers(const std::vector<AttributeNumber>& fk_attnums, const IndexShape& index);

bool any_index_covers(const std::vector<AttributeNumber>& fk_attnums,
                      const std::vector<IndexShape>& indexes);

}  // namespace data_bridge
