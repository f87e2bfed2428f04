#include "data_bridge/core/index_coverage.hpp"

#include <algorithm>

namespace data_bridge {

bool index_covers(const std::vector<AttributeNumber>& fk_attnums, const IndexShape& index) {
    if (fk_attnums.empty() || index.is_partial || !index.is_valid || !index.finds_keys)
        return false;
    if (index.key_attnums.size() < fk_attnums.size())
        return false;

    // The first n index columns must be the n key columns, in whatever order.
    std::vector<AttributeNumber> leading(index.key_attnums.begin(),
                                         index.key_attnums.begin() + fk_attnums.size());
    std::vector<AttributeNumber> wanted(fk_attnums);
    std::sort(leading.begin(), leading.end());
    std::sort(wanted.begin(), wanted.end());
    return leading == wanted;
}

bool any_index_covers(const std::vector<AttributeNumber>& fk_attnums,
                      const std::vector<IndexShape>& indexes) {
    return std::any_of(indexes.begin(), indexes.end(),
                       [&](const IndexShape& index) { return index_covers(fk_attnums, index); });
}

}  // namespace data_bridge
