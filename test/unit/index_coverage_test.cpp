#include "data_bridge/core/index_coverage.hpp"

#include <gtest/gtest.h>

using namespace data_bridge;

namespace {
IndexShape index_on(std::vector<AttributeNumber> keys) {
    IndexShape shape;
    shape.key_attnums = std::move(keys);
    return shape;
}
}  // namespace

TEST(IndexCoverage, ExactSingleColumn) {
    EXPECT_TRUE(index_covers({3}, index_on({3})));
}

TEST(IndexCoverage, LeadingColumnOfWiderIndex) {
    EXPECT_TRUE(index_covers({3}, index_on({3, 5})));
}

TEST(IndexCoverage, TrailingColumnDoesNotCover) {
    EXPECT_FALSE(index_covers({3}, index_on({5, 3})));
}

TEST(IndexCoverage, CompositeKeyInAnyOrder) {
    EXPECT_TRUE(index_covers({2, 4}, index_on({4, 2})));
    EXPECT_TRUE(index_covers({2, 4}, index_on({4, 2, 7})));
    EXPECT_FALSE(index_covers({2, 4}, index_on({4, 7, 2})));
}

TEST(IndexCoverage, TooFewColumns) {
    EXPECT_FALSE(index_covers({2, 4}, index_on({2})));
}

TEST(IndexCoverage, ExpressionColumnNeverMatches) {
    EXPECT_FALSE(index_covers({2}, index_on({0})));
}

TEST(IndexCoverage, PartialAndInvalidIndexesDoNotCount) {
    IndexShape partial = index_on({2});
    partial.is_partial = true;
    IndexShape invalid = index_on({2});
    invalid.is_valid = false;
    EXPECT_FALSE(index_covers({2}, partial));
    EXPECT_FALSE(index_covers({2}, invalid));
}

TEST(IndexCoverage, OnlyIndexesThatFindOneKeysRows) {
    // A BRIN (or GIN, GiST) index on the column does not serve the key's lookups.
    IndexShape brin = index_on({2});
    brin.finds_keys = false;
    EXPECT_FALSE(index_covers({2}, brin));
    EXPECT_TRUE(any_index_covers({2}, {brin, index_on({2, 3})}));
}

TEST(IndexCoverage, AnyOfSeveral) {
    EXPECT_TRUE(any_index_covers({2}, {index_on({1}), index_on({2, 1})}));
    EXPECT_FALSE(any_index_covers({2}, {index_on({1}), index_on({1, 2})}));
    EXPECT_FALSE(any_index_covers({2}, {}));
}
