#include "data_bridge/core/nested_write.hpp"

#include <gtest/gtest.h>

#include "json_builders.hpp"

#include "data_bridge/core/error.hpp"

using namespace data_bridge;
using namespace data_bridge::test;

namespace {

std::string write_error(const JsonValue& relations) {
    try {
        parse_write_relations(relations, "relations");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        return e.what();
    }
    return "no error";
}

std::string conflict_error(const JsonValue& value) {
    try {
        parse_on_conflict(value, "on_conflict");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(NestedWrite, RelationsLinkAsReadSpecsAndCarryOnConflict) {
    std::vector<WriteRelation> relations = parse_write_relations(
        arr({obj({{"name", str("author")},
                  {"table", str("users")},
                  {"foreign_key", str("author_id")},
                  {"on_conflict",
                   obj({{"update", arr({str("name")})}, {"constraint", str("users_email_key")}})}}),
             obj({{"name", str("tags")},
                  {"table", str("tags")},
                  {"through", str("post_tags")},
                  {"relations", arr({obj({{"name", str("owner")}, {"table", str("users")}})})}})}),
        "relations");
    ASSERT_EQ(relations.size(), 2u);
    EXPECT_EQ(relations[0].link.foreign_key, "author_id");
    EXPECT_EQ(relations[0].on_conflict.action, OnConflict::Action::kUpdate);
    EXPECT_EQ(relations[0].on_conflict.constraint, "users_email_key");
    EXPECT_EQ(relations[0].on_conflict.update, (std::vector<std::string>{"name"}));
    ASSERT_TRUE(relations[1].link.through.has_value());
    ASSERT_EQ(relations[1].relations.size(), 1u);
    EXPECT_EQ(relations[1].relations[0].link.path, "relations[1].relations[0]");

    EXPECT_EQ(
        write_error(arr({obj({{"name", str("a")}, {"table", str("t")}, {"limit", num("1")}})})),
        "invalid relations[0].limit: not used by a write");
    EXPECT_EQ(write_error(arr({obj({{"name", str("a")}})})),
              "invalid relations[0].table: is required");
    EXPECT_EQ(write_error(arr({num("1")})),
              "invalid relations[0]: expected an object, found a number");
    EXPECT_EQ(write_error(obj({})), "invalid relations: expected an array, found an object");
}

TEST(NestedWrite, OnConflictForms) {
    EXPECT_EQ(parse_on_conflict(str("do_nothing"), "p").action, OnConflict::Action::kNothing);
    OnConflict named =
        parse_on_conflict(obj({{"do_nothing", boolean(true)}, {"constraint", str("k")}}), "p");
    EXPECT_EQ(named.action, OnConflict::Action::kNothing);
    EXPECT_EQ(named.constraint, "k");
    EXPECT_EQ(parse_on_conflict(JsonValue(), "p").action, OnConflict::Action::kNone);
    EXPECT_EQ(conflict_error(str("merge")), "invalid on_conflict: unknown action \"merge\"");
    EXPECT_EQ(conflict_error(obj({{"constraint", str("k")}})),
              "invalid on_conflict: needs do_nothing or update");
    EXPECT_EQ(conflict_error(obj({{"update", arr({})}})),
              "invalid on_conflict.update: expected a non-empty array of column names");
    EXPECT_EQ(conflict_error(obj({{"update", arr({str("a")})}, {"do_nothing", boolean(true)}})),
              "invalid on_conflict: do_nothing and update exclude each other");
    EXPECT_EQ(conflict_error(obj({{"replace", boolean(true)}})),
              "invalid on_conflict.replace: unknown key");
}

TEST(NestedWrite, UpsertReturnsEachPositionsWrittenRow) {
    OnConflict update;
    update.action = OnConflict::Action::kUpdate;
    std::string sql = upsert_rows_sql("public.tags", {"\"name\""}, update, "ON CONSTRAINT \"k\"",
                                      {{"\"name\"", "OPERATOR(pg_catalog.=)"}}, {"\"name\""});
    EXPECT_EQ(
        sql,
        "WITH input AS (SELECT e.position AS n, pg_catalog.jsonb_populate_record($3, e.doc) "
        "AS rec FROM pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(doc, "
        "position) WHERE e.position OPERATOR(pg_catalog.=) ANY ($2)), written AS (INSERT INTO "
        "public.tags AS ins (\"name\") SELECT (i.rec).\"name\" FROM input AS i ORDER BY "
        "i.n ON CONFLICT ON CONSTRAINT \"k\" DO UPDATE SET \"name\" = EXCLUDED.\"name\" "
        "RETURNING pg_catalog.to_jsonb(ins.*) AS doc, ins.\"name\" AS k1) SELECT i.n, "
        "w.doc, (SELECT pg_catalog.count(*) FROM written AS w WHERE NOT EXISTS (SELECT "
        "FROM input AS i WHERE w.k1 OPERATOR(pg_catalog.=) (i.rec).\"name\")) FROM input "
        "AS i LEFT JOIN written AS w ON w.k1 OPERATOR(pg_catalog.=) (i.rec).\"name\" "
        "ORDER BY i.n");
    OnConflict nothing;
    nothing.action = OnConflict::Action::kNothing;
    EXPECT_NE(upsert_rows_sql("t", {"a"}, nothing, "(a)", {{"a", "="}}, {}).find("DO NOTHING"),
              std::string::npos);
}

TEST(NestedWrite, NullsNotDistinctKeysMatchNullToo) {
    KeyColumn plain{"\"a\"", "OPERATOR(pg_catalog.=)"};
    KeyColumn nulls{"\"b\"", "OPERATOR(pg_catalog.=)", true};
    std::string sql = connect_rows_sql("t", {plain, nulls});
    EXPECT_NE(sql.find("ON t.\"a\" OPERATOR(pg_catalog.=) (i.rec).\"a\" AND (t.\"b\" "
                       "OPERATOR(pg_catalog.=) (i.rec).\"b\" OR pg_catalog.num_nulls(t.\"b\", "
                       "(i.rec).\"b\") OPERATOR(pg_catalog.=) 2) ORDER BY"),
              std::string::npos)
        << sql;
    OnConflict nothing;
    nothing.action = OnConflict::Action::kNothing;
    sql = upsert_rows_sql("t", {"\"b\""}, nothing, "ON CONSTRAINT \"k\"", {nulls}, {});
    EXPECT_NE(sql.find("LEFT JOIN written AS w ON (w.k1 OPERATOR(pg_catalog.=) (i.rec).\"b\" OR "
                       "pg_catalog.num_nulls(w.k1, (i.rec).\"b\") OPERATOR(pg_catalog.=) 2)"),
              std::string::npos)
        << sql;
}

TEST(NestedWrite, ConnectJoinsTheKeyColumns) {
    EXPECT_EQ(connect_rows_sql("ONLY public.users", {{"\"email\"", "OPERATOR(pg_catalog.=)"}}),
              "SELECT i.n, pg_catalog.to_jsonb(t.*) FROM (SELECT e.position AS n, "
              "pg_catalog.jsonb_populate_record($3, e.doc) AS rec FROM "
              "pg_catalog.jsonb_array_elements($1) WITH ORDINALITY AS e(doc, position) WHERE "
              "e.position OPERATOR(pg_catalog.=) ANY ($2)) AS i JOIN ONLY public.users AS t "
              "ON t.\"email\" OPERATOR(pg_catalog.=) (i.rec).\"email\" ORDER BY i.n");
}

TEST(NestedWrite, SharedKeyColumnsCompareAsWritten) {
    JsonValue one;
    one.kind = JsonValue::Kind::kNumber;
    one.text = "1";
    JsonValue also_one = one;
    JsonValue one_point_zero = one;
    one_point_zero.text = "1.0";
    JsonValue quoted;
    quoted.kind = JsonValue::Kind::kString;
    quoted.text = "1";
    EXPECT_TRUE(same_scalar(one, also_one));
    EXPECT_FALSE(same_scalar(one, one_point_zero));
    EXPECT_FALSE(same_scalar(one, quoted));
    EXPECT_TRUE(same_scalar(JsonValue(), JsonValue()));
    JsonValue list;
    list.kind = JsonValue::Kind::kArray;
    EXPECT_FALSE(same_scalar(list, list));
}
