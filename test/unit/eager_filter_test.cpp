#include "data_bridge/core/eager_filter.hpp"

#include <gtest/gtest.h>

#include "data_bridge/core/error.hpp"
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

const FilterColumn kAge{"t0.age", "pg_catalog.int4", "OPERATOR(pg_catalog.=)", false, ""};

}  // namespace

TEST(EagerFilter, Comparisons) {
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kEq), kAge, {"$2"}),
              "t0.age OPERATOR(pg_catalog.=) CAST($2 AS pg_catalog.int4)");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kGte), kAge, {"$2"}),
              "t0.age OPERATOR(pg_catalog.>=) CAST($2 AS pg_catalog.int4)");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kNeq), kAge, {"$1"}),
              "t0.age OPERATOR(pg_catalog.<>) CAST($1 AS pg_catalog.int4)");
    EXPECT_EQ(comparison_operator("OPERATOR(\"my schema\".=)", FilterOp::kLt),
              "OPERATOR(\"my schema\".<)");
    EXPECT_EQ(filter_parameters(term(FilterOp::kLt)),
              std::vector<FilterParameter>{FilterParameter::kText});
}

TEST(EagerFilter, InLikeAndIs) {
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIn), kAge, {"$3"}),
              "t0.age OPERATOR(pg_catalog.=) ANY (CAST($3 AS pg_catalog.int4[]))");
    EXPECT_EQ(filter_parameters(term(FilterOp::kIn)),
              std::vector<FilterParameter>{FilterParameter::kTextArray});
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kILike), kAge, {"$1"}),
              "CAST(t0.age AS pg_catalog.text) OPERATOR(pg_catalog.~~*) $1");
    JsonValue null_value;
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIs, null_value), kAge, {}), "t0.age IS NULL");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIs, boolean(false)), kAge, {}),
              "t0.age IS FALSE");
    EXPECT_TRUE(filter_parameters(term(FilterOp::kIs, null_value)).empty());
}

TEST(EagerFilter, NegationsArraysAndTextSearch) {
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kNotIn), kAge, {"$1"}),
              "NOT (t0.age OPERATOR(pg_catalog.=) ANY (CAST($1 AS pg_catalog.int4[])))");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kNotILike), kAge, {"$1"}),
              "CAST(t0.age AS pg_catalog.text) OPERATOR(pg_catalog.!~~*) $1");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIsNull, boolean(false)), kAge, {}),
              "t0.age IS NOT NULL");

    const FilterColumn tags{"t0.tags", "pg_catalog.text[]", "OPERATOR(pg_catalog.=)", false, ""};
    FilterTerm contains = term(FilterOp::kContains, JsonValue{});
    contains.value.kind = JsonValue::Kind::kArray;
    // An array of scalars binds its elements and itself as jsonb: the column's type picks one.
    EXPECT_EQ(filter_parameters(contains),
              (std::vector<FilterParameter>{FilterParameter::kTextArray, FilterParameter::kJson}));
    EXPECT_EQ(
        filter_condition_sql(contains, tags, {"$2", "$3"}),
        "t0.tags OPERATOR(pg_catalog.@>) CAST(CAST($2 AS pg_catalog.text[]) AS pg_catalog.text[])");
    const FilterColumn doc{"t0.doc", "pg_catalog.jsonb", "OPERATOR(pg_catalog.=)", false, "", true};
    EXPECT_EQ(filter_condition_sql(contains, doc, {"$2", "$3"}),
              "t0.doc OPERATOR(pg_catalog.@>) CAST($3 AS pg_catalog.jsonb)");
    // An object, or an array holding one (or an array, or null), is JSON only: jsonb alone.
    FilterTerm object = term(FilterOp::kContainedBy, JsonValue{});
    object.value.kind = JsonValue::Kind::kObject;
    object.path = "filter.doc.contained_by";
    EXPECT_TRUE(json_only_operand(object));
    EXPECT_EQ(filter_parameters(object), std::vector<FilterParameter>{FilterParameter::kJson});
    EXPECT_EQ(filter_condition_sql(object, doc, {"$4"}),
              "t0.doc OPERATOR(pg_catalog.<@) CAST($4 AS pg_catalog.jsonb)");
    try {
        filter_condition_sql(object, tags, {"$4"});
        ADD_FAILURE() << "an object compared with a text[] column";
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), "22023");
        EXPECT_EQ(std::string(error.what()),
                  "invalid filter.doc.contained_by: an object compares with a jsonb column only");
    }
    FilterTerm nested = contains;
    nested.value.elements.push_back(JsonValue{});  // null
    EXPECT_TRUE(json_only_operand(nested));
    EXPECT_FALSE(json_only_operand(contains));
    // A string is the type's input syntax, jsonb's too: one text parameter.
    FilterTerm text = term(FilterOp::kContains);
    EXPECT_EQ(filter_parameters(text), std::vector<FilterParameter>{FilterParameter::kText});
    EXPECT_EQ(filter_condition_sql(text, doc, {"$1"}),
              "t0.doc OPERATOR(pg_catalog.@>) CAST($1 AS pg_catalog.jsonb)");
    // in/not_in on an array column: whole arrays, one row per value (no arrays of arrays).
    FilterColumn tag_lists = tags;
    tag_lists.is_array = true;
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kIn), tag_lists, {"$1"}),
              "t0.tags OPERATOR(pg_catalog.=) ANY (SELECT CAST(value AS pg_catalog.text[]) FROM "
              "pg_catalog.unnest($1) AS value)");
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kOverlaps), tags, {"$2"}),
              "t0.tags OPERATOR(pg_catalog.&&) CAST($2 AS pg_catalog.text[])");
    // The operator the PostgreSQL layer found, when it gives one, wins over the derived one.
    FilterColumn found = tags;
    found.compare = "OPERATOR(ext.&&)";
    EXPECT_EQ(filter_condition_sql(term(FilterOp::kOverlaps), found, {"$2"}),
              "t0.tags OPERATOR(ext.&&) CAST($2 AS pg_catalog.text[])");

    FilterTerm match = term(FilterOp::kMatch);
    EXPECT_EQ(filter_condition_sql(match, kAge, {"$1"}),
              "pg_catalog.to_tsvector(CAST(t0.age AS pg_catalog.text)) OPERATOR(pg_catalog.@@) "
              "pg_catalog.plainto_tsquery($1)");
    match.config = "english";
    EXPECT_EQ(filter_parameters(match).size(), 2u);
    const FilterColumn document{"t0.doc", "pg_catalog.tsvector", "", true, ""};
    EXPECT_EQ(filter_condition_sql(match, document, {"$1", "$2"}),
              "t0.doc OPERATOR(pg_catalog.@@) pg_catalog.plainto_tsquery(CAST($2 AS "
              "pg_catalog.regconfig), $1)");
}

TEST(EagerFilter, Groups) {
    auto node = [](FilterNode::Kind kind, FilterTerm t, std::vector<FilterNode> children) {
        FilterNode out;
        out.kind = kind;
        out.term = std::move(t);
        out.children = std::move(children);
        return out;
    };
    FilterNode a = node(FilterNode::Kind::kTerm, term(FilterOp::kEq), {});
    FilterNode b = node(FilterNode::Kind::kTerm, term(FilterOp::kLt), {});
    FilterNode any = node(FilterNode::Kind::kAny, {}, {a, b});
    FilterNode negation = node(FilterNode::Kind::kNot, {}, {any});
    int next = 0;
    auto term_sql = [&next](const FilterTerm& t) {
        return std::string(filter_op_name(t.op)) + std::to_string(++next);
    };
    EXPECT_EQ(filter_node_sql(negation, term_sql), "NOT ((eq1 OR lt2))");
    EXPECT_EQ(filter_node_sql(node(FilterNode::Kind::kAny, {}, {}), term_sql), "FALSE");
    FilterNode exists = node(FilterNode::Kind::kExists, {}, {});
    FilterNode both = node(FilterNode::Kind::kAll, {}, {a, exists});
    EXPECT_EQ(filter_node_sql(both, term_sql, [](const FilterNode&) { return std::string("E"); }),
              "(eq3 AND E)");
    EXPECT_EQ(filter_node_sql(FilterNode{}, term_sql), "TRUE");
}
