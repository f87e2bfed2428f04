#include "data_bridge/core/eager_filter.hpp"

#include <gtest/gtest.h>

#include "json_builders.hpp"

using namespace data_bridge;
using namespace data_bridge::test;

namespace {

FilterTerm term(FilterOp op, JsonValue value = str("x")) {
    FilterTerm out;
    out.column = "age";
    out.op = op;
    out.value = std::move(value);
    return out;
}

const FilterColumn kAge{"t0.age", "pg_catalog.int4", "OPERATOR(pg_catalog.=)"};

}  // namespace

TEST(EagerFilter, Comparisons) {
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kEq), kAge, "$2"),
              "t0.age OPERATOR(pg_catalog.=) CAST($2 AS pg_catalog.int4)");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kGte), kAge, "$2"),
              "t0.age OPERATOR(pg_catalog.>=) CAST($2 AS pg_catalog.int4)");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kNeq), kAge, "$1"),
              "t0.age OPERATOR(pg_catalog.<>) CAST($1 AS pg_catalog.int4)");
    EXPECT_EQ(comparison_operator("OPERATOR(\"my schema\".=)", FilterOp::kLt),
              "OPERATOR(\"my schema\".<)");
    EXPECT_EQ(filter_parameter(term(FilterOp::kLt)), FilterParameter::kText);
}

TEST(EagerFilter, InLikeAndIs) {
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIn), kAge, "$3"),
              "t0.age OPERATOR(pg_catalog.=) ANY (CAST($3 AS pg_catalog.int4[]))");
    EXPECT_EQ(filter_parameter(term(FilterOp::kIn)), FilterParameter::kTextArray);
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kILike), kAge, "$1"),
              "CAST(t0.age AS pg_catalog.text) OPERATOR(pg_catalog.~~*) $1");
    JsonValue null_value;
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIs, null_value), kAge, ""), "t0.age IS NULL");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIs, boolean(false)), kAge, ""),
              "t0.age IS FALSE");
    EXPECT_EQ(filter_parameter(term(FilterOp::kIs, null_value)), FilterParameter::kNone);
}
