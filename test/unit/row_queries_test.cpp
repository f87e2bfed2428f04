#include "data_bridge/core/row_queries.hpp"

#include <gtest/gtest.h>

#include "json_builders.hpp"

#include "data_bridge/core/error.hpp"

using namespace data_bridge;
using namespace data_bridge::test;

namespace {
std::string order_error(const JsonValue& value) {
    try {
        parse_order_by(value, "relations[0].order_by");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}
}  // namespace

TEST(ParseOrderBy, NullIsNoOrder) {
    EXPECT_TRUE(parse_order_by(JsonValue{}, "order_by").empty());
}

TEST(ParseOrderBy, OneColumn) {
    auto terms = parse_order_by(str("created_at"), "order_by");
    ASSERT_EQ(terms.size(), 1u);
    EXPECT_EQ(terms[0].column, "created_at");
    EXPECT_FALSE(terms[0].descending);
}

TEST(ParseOrderBy, ColumnAndDirection) {
    auto terms = parse_order_by(arr({str("created_at"), str("desc")}), "order_by");
    ASSERT_EQ(terms.size(), 1u);
    EXPECT_TRUE(terms[0].descending);
}

TEST(ParseOrderBy, ListOfColumnsIsNotADirection) {
    auto terms = parse_order_by(arr({str("a"), str("b")}), "order_by");
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[1].column, "b");
}

TEST(ParseOrderBy, ListOfMixedTerms) {
    auto terms = parse_order_by(arr({arr({str("score"), str("DESC")}), str("id")}), "order_by");
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_TRUE(terms[0].descending);
    EXPECT_EQ(terms[1].column, "id");
    EXPECT_FALSE(terms[1].descending);
}

TEST(ParseOrderBy, ErrorsNameThePlace) {
    EXPECT_EQ(order_error(num("1")), "invalid relations[0].order_by");
    EXPECT_EQ(order_error(arr({str("a"), num("2"), str("c")})), "invalid relations[0].order_by[1]");
    EXPECT_EQ(order_error(str("")), "invalid relations[0].order_by");
    EXPECT_EQ(order_error(arr({arr({str("a"), str("sideways")})})),
              "invalid relations[0].order_by[0]");
}

// A column ordered again orders nothing (ORDER BY a, a DESC sorts by a ascending): left out,
// so that a page cursor holds one value per column.
TEST(ParseOrderBy, LeavesOutAColumnOrderedAgain) {
    auto terms =
        parse_order_by(arr({str("a"), str("b"), arr({str("a"), str("DESC")})}), "order_by");
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[0].column, "a");
    EXPECT_FALSE(terms[0].descending);
    EXPECT_EQ(terms[1].column, "b");
}

TEST(CheckNotNegative, Limits) {
    EXPECT_NO_THROW(check_not_negative(0, "limit"));
    EXPECT_THROW(check_not_negative(-1, "limit"), Error);
}

TEST(RowQueries, SelectOneRow) {
    EXPECT_EQ(select_one_row_sql("public.users", {{"id", "OPERATOR(pg_catalog.=)", "$1"}}),
              "SELECT pg_catalog.to_jsonb(t.*) FROM public.users AS t WHERE t.id "
              "OPERATOR(pg_catalog.=) $1");
}

TEST(RowQueries, FollowKeyJoinsOnEveryColumn) {
    std::string sql =
        follow_key_sql("public.lines", {{"sku", "OPERATOR(pg_catalog.=)", "$1"}}, "public.orders",
                       {{"tenant", "OPERATOR(pg_catalog.=)", "s.tenant"},
                        {"no", "OPERATOR(pg_catalog.=)", "s.order_no"}});
    EXPECT_EQ(sql,
              "SELECT pg_catalog.to_jsonb(t.*) FROM public.lines AS s JOIN public.orders AS t ON "
              "t.tenant OPERATOR(pg_catalog.=) s.tenant AND t.no OPERATOR(pg_catalog.=) s.order_no "
              "WHERE s.sku OPERATOR(pg_catalog.=) $1");
}

TEST(RowQueries, MatchingRowsOrderedAndPaged) {
    std::string sql = matching_rows_sql("public.posts", {"user_id", "OPERATOR(pg_catalog.=)", "$1"},
                                        {{"score", true}, {"id", false}}, "$2", "$3", false);
    EXPECT_NE(sql.find("ORDER BY t.score DESC, t.id), "), std::string::npos);
    EXPECT_NE(sql.find("LIMIT $2 OFFSET $3"), std::string::npos);
    EXPECT_NE(sql.find("'[]'::pg_catalog.jsonb"), std::string::npos);
}

TEST(RowQueries, FirstMatchingRow) {
    std::string sql = matching_rows_sql("public.posts", {"user_id", "OPERATOR(pg_catalog.=)", "$1"},
                                        {{"id", false}}, "", "$2", true);
    EXPECT_NE(sql.find("ORDER BY t.id LIMIT 1 OFFSET $2"), std::string::npos);
}

TEST(RowQueries, RowsThroughAJunctionComeOnceEach) {
    std::vector<KeyMatch> junction = {{"playlist_id", "OPERATOR(pg_catalog.=)", "t.id"},
                                      {"track_id", "OPERATOR(pg_catalog.=)", "$1"}};
    std::string sql = linked_rows_sql("public.playlist", "public.playlist_track", junction,
                                      {{"id", false}}, "$2", "$3");
    EXPECT_EQ(sql,
              "SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.to_jsonb(t.*) ORDER BY t.id), "
              "'[]'::pg_catalog.jsonb) FROM (SELECT * FROM public.playlist AS t WHERE EXISTS "
              "(SELECT 1 FROM public.playlist_track AS j WHERE j.playlist_id "
              "OPERATOR(pg_catalog.=) t.id AND j.track_id OPERATOR(pg_catalog.=) $1) ORDER BY "
              "t.id LIMIT $2 OFFSET $3) AS t");
    EXPECT_EQ(count_linked_rows_sql("public.playlist", "public.playlist_track", junction),
              "SELECT pg_catalog.count(*) FROM public.playlist AS t WHERE EXISTS (SELECT 1 FROM "
              "public.playlist_track AS j WHERE j.playlist_id OPERATOR(pg_catalog.=) t.id AND "
              "j.track_id OPERATOR(pg_catalog.=) $1)");
}

TEST(RowQueries, InsertEveryRowOrOnlySome) {
    // Objects become rows over the base record (the last parameter), not over NULL: columns an
    // object leaves out are not converted from NULL (a NOT NULL domain would refuse them).
    std::string all = insert_rows_sql("public.users", {"name", "\"Age\""}, false);
    EXPECT_EQ(all,
              "INSERT INTO public.users AS ins (name, \"Age\") SELECT r.name, r.\"Age\" FROM "
              "pg_catalog.jsonb_populate_recordset($2, $1) AS r RETURNING "
              "pg_catalog.to_jsonb(ins.*)");
    std::string some = insert_rows_sql("public.users", {"name"}, true);
    EXPECT_NE(some.find("jsonb_populate_record($3, e.doc)"), std::string::npos);
    EXPECT_NE(some.find("ANY ($2) ORDER BY e.position"), std::string::npos);
    std::string defaults_only = insert_rows_sql("public.users", {}, false);
    EXPECT_NE(defaults_only.find("INSERT INTO public.users AS ins SELECT  FROM"),
              std::string::npos);
}

TEST(KeyObject, TextsInKeyOrderWhenItNamesExactlyTheKey) {
    std::vector<std::string> key{"tenant_id", "id"};
    auto texts = key_object_texts(key, obj({{"id", num("7")}, {"tenant_id", str("3")}}));
    ASSERT_TRUE(texts.has_value());
    EXPECT_EQ(*texts, (std::vector<std::string>{"3", "7"}));
    EXPECT_EQ(*key_object_texts({"flag"}, obj({{"flag", boolean(true)}})),
              std::vector<std::string>{"true"});
}

TEST(KeyObject, NothingForWhatThePlannerRefuses) {
    std::vector<std::string> key{"tenant_id", "id"};
    EXPECT_FALSE(key_object_texts(key, obj({{"id", num("7")}})));  // a column missing
    EXPECT_FALSE(key_object_texts(
        key,
        obj({{"id", num("7")}, {"tenant_id", num("1")}, {"other", num("2")}})));  // one too many
    EXPECT_FALSE(key_object_texts(key, obj({{"id", num("7")}, {"other", num("2")}})));
    EXPECT_FALSE(key_object_texts(key, obj({{"id", JsonValue{}}, {"tenant_id", num("1")}})));
    EXPECT_FALSE(key_object_texts(key, obj({{"id", arr({})}, {"tenant_id", num("1")}})));
    EXPECT_FALSE(key_object_texts(key, num("7")));
}

TEST(KeyObject, ShapeIsTheNamesInAnyOrder) {
    EXPECT_EQ(key_object_shape(obj({{"id", num("1")}, {"tenant_id", num("2")}})),
              key_object_shape(obj({{"tenant_id", num("9")}, {"id", num("8")}})));
    // Lengths first: names holding the separators do not run together.
    EXPECT_NE(key_object_shape(obj({{"a1:b", num("1")}})),
              key_object_shape(obj({{"a", num("1")}, {"b", num("2")}})));
}
