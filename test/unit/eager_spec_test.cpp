#include "data_bridge/core/eager_spec.hpp"

#include <gtest/gtest.h>

#include "eager_builders.hpp"
#include "json_builders.hpp"

#include "data_bridge/core/eager_sql.hpp"
#include "data_bridge/core/error.hpp"

using namespace data_bridge;
using namespace data_bridge::test;

namespace {

std::string spec_error(const JsonValue& spec) {
    try {
        parse_fetch_spec(spec);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}
}  // namespace

TEST(FetchSpec, MinimalAndFull) {
    FetchSpec spec = parse_fetch_spec(obj({{"table", str("users")}}));
    EXPECT_EQ(spec.table, "users");
    EXPECT_FALSE(spec.id.has_value());

    spec = parse_fetch_spec(obj(
        {{"table", str("users")},
         {"limit", num("10")},
         {"offset", num("5")},
         {"select_columns", arr({str("id"), str("name")})},
         {"filter", obj({{"status", str("active")}, {"age", obj({{"gte", num("18")}})}})},
         {"relations", arr({obj({{"name", str("posts")},
                                 {"table", str("posts")},
                                 {"join_type", str("INNER")},
                                 {"count", boolean(true)},
                                 {"relations", arr({obj({{"name", str("comments")},
                                                         {"table", str("comments")}})})}})})}}));
    EXPECT_EQ(*spec.options.limit, 10);
    EXPECT_EQ(spec.options.offset, 5);
    EXPECT_EQ(spec.options.select_columns->size(), 2u);
    ASSERT_EQ(spec.options.filter.children.size(), 2u);
    EXPECT_EQ(spec.options.filter.children[1].term.op, FilterOp::kGte);
    ASSERT_EQ(spec.relations.size(), 1u);
    EXPECT_EQ(spec.relations[0].join, JoinType::kInner);
    EXPECT_TRUE(spec.relations[0].count);
    EXPECT_EQ(spec.relations[0].relations[0].path, "relations[0].relations[0]");
}

TEST(FetchSpec, ErrorsNameThePlace) {
    EXPECT_EQ(spec_error(obj({})), "invalid table: is required");
    EXPECT_EQ(spec_error(obj({{"table", num("1")}})),
              "invalid table: expected a string, found a number");
    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"limit", num("-1")}})),
              "invalid limit: must not be negative");
    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"limit", num("1.5")}})),
              "invalid limit: expected a whole number, found a number");
    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"extra", num("1")}})),
              "invalid key \"extra\": unknown key");
    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"id", num("1")}, {"limit", num("1")}})),
              "invalid limit: cannot be combined with id");
    EXPECT_EQ(
        spec_error(obj(
            {{"table", str("t")},
             {"relations", arr({obj({{"name", str("a")},
                                     {"table", str("b")},
                                     {"relations", arr({obj({{"name", str("c")},
                                                             {"table", str("d")},
                                                             {"foreign_key", num("3")}})})}})})}})),
        "invalid relations[0].relations[0].foreign_key: expected a string, found a number");
    EXPECT_EQ(
        spec_error(obj({{"table", str("t")},
                        {"relations", arr({obj({{"name", str("a")}, {"table", str("b")}}),
                                           obj({{"name", str("a")}, {"table", str("c")}})})}})),
        "invalid relations[1].name: duplicate relation name \"a\"");
    EXPECT_EQ(
        spec_error(obj({{"table", str("t")}, {"filter", obj({{"a", obj({{"near", num("1")}})}})}})),
        "invalid filter.a.near: unknown operator \"near\"");
    EXPECT_EQ(
        spec_error(obj({{"table", str("t")}, {"filter", obj({{"a", obj({{"in", num("1")}})}})}})),
        "invalid filter.a.in: expected an array, found a number");
}

TEST(EagerSql, ObjectArrayAndCount) {
    EagerLevel root;
    root.table = "public.users";
    root.alias = "t0";
    root.order = {{"id", false}};
    root.limit_param = "$1";
    EagerRelation profile = relation("profile", EagerShape::kObject);
    profile.level.table = "public.profiles";
    profile.level.alias = "t1";
    profile.level.conditions = {"t1.user_id OPERATOR(pg_catalog.=) t0.id"};
    EagerRelation posts = relation("posts", EagerShape::kArray);
    posts.level.table = "public.posts";
    posts.level.alias = "t2";
    posts.level.conditions = {"t2.author_id OPERATOR(pg_catalog.=) t0.id"};
    posts.level.selected = true;
    posts.level.rendered = {{"title", "title", "'title'"}};
    EagerRelation count = relation("n", EagerShape::kCount);
    count.level.table = "public.posts";
    count.level.alias = "t3";
    root.relations = {profile, posts, count};

    std::string sql = eager_statement_sql(root, true);
    EXPECT_NE(sql.find("pg_catalog.row_number() OVER (ORDER BY t0.id)"), std::string::npos);
    EXPECT_NE(sql.find("LIMIT $1"), std::string::npos);
    EXPECT_NE(
        sql.find("(SELECT pg_catalog.to_jsonb(t1.*) FROM public.profiles AS t1 WHERE t1.user_id "
                 "OPERATOR(pg_catalog.=) t0.id LIMIT 1)"),
        std::string::npos);
    EXPECT_NE(sql.find("pg_catalog.jsonb_build_object('title', t2.title)"), std::string::npos);
    EXPECT_NE(sql.find("(SELECT pg_catalog.count(*) FROM public.posts AS t3)"), std::string::npos);
    EXPECT_EQ(
        eager_statement_sql(posts.level, false),
        "SELECT pg_catalog.jsonb_build_object('title', t2.title) FROM public.posts AS t2 WHERE "
        "t2.author_id OPERATOR(pg_catalog.=) t0.id");
}

TEST(EagerSql, ManyColumnsAreChunked) {
    EagerLevel level;
    level.table = "t";
    level.alias = "t0";
    level.selected = true;
    for (int i = 0; i < 120; i++) {
        std::string name = "c" + std::to_string(i);
        level.rendered.push_back({name, name, "'" + name + "'"});
    }
    std::string doc = row_document_sql(level);
    EXPECT_NE(doc.find("OPERATOR(pg_catalog.||)"), std::string::npos);
}

TEST(SpecShape, ValuesDoNotChangeTheShape) {
    auto spec_with = [](const std::string& status, const std::string& limit) {
        return parse_fetch_spec(obj(
            {{"table", str("users")},
             {"limit", num(limit)},
             {"filter",
              obj({{"status", str(status)}, {"id", obj({{"in", arr({num("1"), num("2")})}})}})},
             {"relations",
              arr({obj({{"name", str("p")}, {"table", str("posts")}, {"offset", num("3")}})})}}));
    };
    FetchSpec a = spec_with("active", "10");
    FetchSpec b = spec_with("away", "10");
    EXPECT_EQ(spec_shape(a.options, a.relations), spec_shape(b.options, b.relations));
    // The top's limit is written into the statement: another limit, another shape.
    FetchSpec other_page = spec_with("away", "20");
    EXPECT_NE(spec_shape(b.options, b.relations),
              spec_shape(other_page.options, other_page.relations));

    std::vector<SpecValue> values;
    spec_values(b.options, b.relations, values);
    ASSERT_EQ(values.size(), 3u);  // status, id IN, the relation's offset (not the top's limit)
    EXPECT_EQ(values[0].text, "away");
    EXPECT_EQ(values[1].kind, SpecValue::kTextArray);
    EXPECT_EQ(values[1].texts, (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(values[2].integer, 3);
    // A relation's limit stays a value: its statement is planned once for every parent.
    FetchSpec related_limit = parse_fetch_spec(
        obj({{"table", str("users")},
             {"relations",
              arr({obj({{"name", str("p")}, {"table", str("posts")}, {"limit", num("4")}})})}}));
    FetchSpec related_limit_5 = parse_fetch_spec(
        obj({{"table", str("users")},
             {"relations",
              arr({obj({{"name", str("p")}, {"table", str("posts")}, {"limit", num("5")}})})}}));
    EXPECT_EQ(spec_shape(related_limit.options, related_limit.relations),
              spec_shape(related_limit_5.options, related_limit_5.relations));
    values.clear();
    spec_values(related_limit.options, related_limit.relations, values);
    ASSERT_EQ(values.size(), 1u);
    EXPECT_EQ(values[0].integer, 4);

    FetchSpec c = parse_fetch_spec(
        obj({{"table", str("users")}, {"filter", obj({{"status", JsonValue{}}})}}));
    FetchSpec d =
        parse_fetch_spec(obj({{"table", str("users")}, {"filter", obj({{"status", str("x")}})}}));
    EXPECT_NE(spec_shape(c.options, c.relations), spec_shape(d.options, d.relations));
}

TEST(FetchSpec, SharedRelations) {
    auto spec_with = [](JsonValue shared) {
        return obj({{"table", str("posts")},
                    {"relations", arr({obj({{"name", str("author")},
                                            {"table", str("users")},
                                            {"shared", std::move(shared)}})})}});
    };
    FetchSpec shared = parse_fetch_spec(spec_with(boolean(true)));
    FetchSpec plain = parse_fetch_spec(spec_with(boolean(false)));
    EXPECT_TRUE(shared.relations[0].shared);
    EXPECT_FALSE(plain.relations[0].shared);
    // Another result: another remembered shape.
    EXPECT_NE(spec_shape(shared.options, shared.relations),
              spec_shape(plain.options, plain.relations));
    EXPECT_EQ(spec_error(spec_with(num("1"))),
              "invalid relations[0].shared: expected a boolean, found a number");
    EXPECT_EQ(spec_error(obj({{"table", str("users")},
                              {"relations", arr({obj({{"name", str("n")},
                                                      {"table", str("posts")},
                                                      {"count", boolean(true)},
                                                      {"shared", boolean(true)}})})}})),
              "invalid relations[0].shared: not allowed with count or aggregate");
    EXPECT_EQ(spec_error(obj({{"table", str("nodes")},
                              {"relations", arr({obj({{"name", str("parent")},
                                                      {"table", str("nodes")},
                                                      {"recursive", boolean(true)},
                                                      {"shared", boolean(true)}})})}})),
              "invalid relations[0].shared: not allowed with recursive");
}

namespace {

JsonValue nested_relations(int levels) {
    JsonValue inner = arr({});
    for (int i = 0; i < levels; i++) {
        inner = arr({obj({{"name", str("r")}, {"table", str("t")}, {"relations", inner}})});
    }
    return inner;
}

}  // namespace

TEST(FetchSpec, RelationDepthIsLimitedWhileParsing) {
    EXPECT_EQ(parse_relations(nested_relations(kMaxRelationDepth), "relations").size(), 1u);
    try {
        parse_relations(nested_relations(kMaxRelationDepth + 1), "relations");
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "54001");
    }
}

TEST(FetchSpec, IdMustBeScalarOrObject) {
    EXPECT_NE(spec_error(obj({{"table", str("t")}, {"id", arr({})}})).find("id"),
              std::string::npos);
    EXPECT_TRUE(parse_fetch_spec(obj({{"table", str("t")}, {"id", str("")}})).id.has_value());
    EXPECT_TRUE(parse_fetch_spec(obj({{"table", str("t")}, {"id", obj({})}})).id.has_value());
}

TEST(FetchSpec, DuplicateRelationNamesAreRefused) {
    RelationSpec a;
    a.name = "u";
    a.path = "relations[0]";
    RelationSpec b = a;
    b.path = "relations[1]";
    try {
        check_relation_names({a, b});
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        EXPECT_NE(std::string(e.what()).find("relations[1].name"), std::string::npos);
    }
    b.name = "v";
    check_relation_names({a, b});
}

TEST(EagerSpec, FilterGroups) {
    // {"or": [{"a": 1}, {"not": {"b": {"not_in": [2, 3]}}}], "c": {"match": {"query": "q",
    // "config": "english"}}}
    FetchSpec spec = parse_fetch_spec(obj(
        {{"table", str("t")},
         {"filter",
          obj({{"or",
                arr({obj({{"a", num("1")}}),
                     obj({{"not", obj({{"b", obj({{"not_in", arr({num("2"), num("3")})}})}})}})})},
               {"c", obj({{"match", obj({{
                                             "query",
                                             str("q"),
                                         },
                                         {"config", str("english")}})}})}})}}));
    const FilterNode& root = spec.options.filter;
    ASSERT_EQ(root.children.size(), 2u);
    EXPECT_EQ(root.children[0].kind, FilterNode::Kind::kAny);
    ASSERT_EQ(root.children[0].children.size(), 2u);
    const FilterNode& negation = root.children[0].children[1].children.at(0);
    EXPECT_EQ(negation.kind, FilterNode::Kind::kNot);
    EXPECT_EQ(negation.children.at(0).children.at(0).term.op, FilterOp::kNotIn);
    EXPECT_EQ(root.children[1].term.config, "english");

    std::vector<SpecValue> values;
    spec_values(spec.options, spec.relations, values);
    ASSERT_EQ(values.size(), 4u);  // a, b's array, match's query, match's configuration
    EXPECT_EQ(values[0].text, "1");
    EXPECT_EQ(values[1].texts, (std::vector<std::string>{"2", "3"}));
    EXPECT_EQ(values[2].text, "q");
    EXPECT_EQ(values[3].text, "english");

    // Groups are part of the shape; values are not.
    FetchSpec flat = parse_fetch_spec(
        obj({{"table", str("t")}, {"filter", obj({{"a", num("1")}, {"c", str("x")}})}}));
    EXPECT_NE(spec_shape(spec.options, spec.relations), spec_shape(flat.options, flat.relations));

    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"filter", obj({{"or", obj({})}})}})),
              "invalid filter.or: expected an array, found an object");
    EXPECT_EQ(spec_error(obj(
                  {{"table", str("t")},
                   {"filter", obj({{"or", arr({obj({{"a", obj({{"is_null", num("1")}})}})})}})}})),
              "invalid filter.or[0].a.is_null: expected a boolean, found a number");
    EXPECT_EQ(spec_error(obj(
                  {{"table", str("t")}, {"filter", obj({{"a", obj({{"contains", num("1")}})}})}})),
              "invalid filter.a.contains: expected an array, an object (jsonb), or a string in the "
              "column type's input syntax");
    EXPECT_EQ(
        spec_error(obj({{"table", str("t")},
                        {"filter", obj({{"a", obj({{"match", obj({{"config", str("x")}})}})}})}})),
        "invalid filter.a.match.query: is required");
}

TEST(EagerSpec, ExistsFilters) {
    // {"a": 1, "exists": {"relation": {"table": "c"}, "filter": {"b": 2}}, "c": 3}
    FetchSpec spec = parse_fetch_spec(
        obj({{"table", str("t")},
             {"filter", obj({{"a", num("1")},
                             {"exists", obj({{"relation", obj({{"table", str("c")}})},
                                             {"filter", obj({{"b", num("2")}})}})},
                             {"c", num("3")}})}}));
    const FilterNode& exists = spec.options.filter.children.at(1);
    ASSERT_EQ(exists.kind, FilterNode::Kind::kExists);
    EXPECT_FALSE(exists.negated);
    EXPECT_EQ(exists.relation->table, "c");
    EXPECT_EQ(exists.relation->path, "filter.exists.relation");
    // The related rows' values come where the exists stands.
    std::vector<SpecValue> values;
    spec_values(spec.options, spec.relations, values);
    ASSERT_EQ(values.size(), 3u);
    EXPECT_EQ(values[1].text, "2");

    FetchSpec negated = parse_fetch_spec(
        obj({{"table", str("t")},
             {"filter", obj({{"a", num("1")},
                             {"not_exists", obj({{"relation", obj({{"table", str("c")}})},
                                                 {"filter", obj({{"b", num("2")}})}})},
                             {"c", num("3")}})}}));
    EXPECT_TRUE(negated.options.filter.children.at(1).negated);
    EXPECT_NE(spec_shape(spec.options, spec.relations),
              spec_shape(negated.options, negated.relations));

    EXPECT_EQ(spec_error(obj({{"table", str("t")}, {"filter", obj({{"exists", obj({})}})}})),
              "invalid filter.exists.relation: is required");
    EXPECT_EQ(
        spec_error(
            obj({{"table", str("t")},
                 {"filter", obj({{"exists", obj({{"relation", obj({{"table", str("c")},
                                                                   {"limit", num("1")}})}})}})}})),
        "invalid filter.exists.relation.limit: unknown key");
}

TEST(EagerSpec, Aggregates) {
    auto with = [](JsonValue aggregate) {
        return parse_fetch_spec(
            obj({{"table", str("t")},
                 {"relations", arr({obj({{"name", str("v")},
                                         {"table", str("c")},
                                         {"aggregate", std::move(aggregate)}})})}}));
    };
    FetchSpec spec = with(obj({{"count_distinct", str("country")}}));
    ASSERT_TRUE(spec.relations[0].aggregate.has_value());
    EXPECT_EQ(spec.relations[0].aggregate->function, AggregateFunction::kCountDistinct);
    EXPECT_EQ(spec.relations[0].aggregate->column, "country");
    FetchSpec sum = with(obj({{"sum", str("country")}}));
    EXPECT_NE(spec_shape(spec.options, spec.relations), spec_shape(sum.options, sum.relations));
    EXPECT_EQ(aggregate_sql(*spec.relations[0].aggregate, "t1", "\"country\""),
              "pg_catalog.to_jsonb(pg_catalog.count(DISTINCT t1.\"country\"))");
    EXPECT_EQ(aggregate_sql(*sum.relations[0].aggregate, "t1", "\"total\""),
              "pg_catalog.to_jsonb(pg_catalog.sum(t1.\"total\"))");
    EXPECT_EQ(aggregate_sql(*with(obj({{"count", str("*")}})).relations[0].aggregate, "t1", "*"),
              "pg_catalog.to_jsonb(pg_catalog.count(*))");

    EXPECT_EQ(
        spec_error(obj({{"table", str("t")},
                        {"relations", arr({obj({{"name", str("v")},
                                                {"table", str("c")},
                                                {"aggregate", obj({{"avg", str("*")}})}})})}})),
        "invalid relations[0].aggregate.avg: \"*\" is for count only");
    EXPECT_EQ(
        spec_error(
            obj({{"table", str("t")},
                 {"relations",
                  arr({obj({{"name", str("v")}, {"table", str("c")}, {"aggregate", obj({})}})})}})),
        "invalid relations[0].aggregate: expected exactly one function");
}

TEST(EagerSpec, Through) {
    auto relation_with = [](std::vector<std::pair<std::string, JsonValue>> members) {
        members.emplace_back("name", str("tracks"));
        members.emplace_back("table", str("track"));
        return obj({{"table", str("playlist")}, {"relations", arr({obj(members)})}});
    };
    FetchSpec plain = parse_fetch_spec(relation_with({{"through", str("playlist_track")}}));
    ASSERT_TRUE(plain.relations[0].through.has_value());
    EXPECT_EQ(plain.relations[0].through->table, "playlist_track");
    EXPECT_TRUE(plain.relations[0].through->source_key.empty());

    FetchSpec spelled = parse_fetch_spec(
        relation_with({{"through", obj({{"table", str("pt")},
                                        {"source_key", arr({str("tenant"), str("playlist_id")})},
                                        {"target_key", str("pt_track_fkey")},
                                        {"as", str("entry")}})},
                       {"through_columns", arr({str("position")})}}));
    const ThroughSpec& through = *spelled.relations[0].through;
    EXPECT_EQ(through.source_key, (std::vector<std::string>{"tenant", "playlist_id"}));
    EXPECT_EQ(through.target_key, (std::vector<std::string>{"pt_track_fkey"}));
    EXPECT_EQ(through.as, "entry");
    EXPECT_EQ(through.columns, (std::vector<std::string>{"position"}));

    // The junction is part of the shape: another junction is another statement.
    EXPECT_NE(spec_shape(plain.options, plain.relations),
              spec_shape(spelled.options, spelled.relations));

    EXPECT_EQ(spec_error(relation_with({{"through", str("pt")}, {"foreign_key", str("x")}})),
              "invalid relations[0].foreign_key: not allowed with through");
    EXPECT_EQ(spec_error(relation_with({{"through", str("pt")}, {"join_type", str("full")}})),
              "invalid relations[0].join_type: right and full joins are not allowed with through");
    EXPECT_EQ(spec_error(relation_with({{"through_columns", arr({str("position")})}})),
              "invalid relations[0].through_columns: needs through");
    EXPECT_EQ(spec_error(relation_with({{"through", obj({{"source_key", str("a")}})}})),
              "invalid relations[0].through.table: is required");
    EXPECT_EQ(spec_error(relation_with(
                  {{"through", obj({{"table", str("pt")}, {"source_key", arr({})}})}})),
              "invalid relations[0].through.source_key: must not be empty");
    EXPECT_EQ(spec_error(relation_with({{"through", num("1")}})),
              "invalid relations[0].through: expected an object, found a number");
}

TEST(EagerSpec, RecursiveRelationsNestThemselvesLevelByLevel) {
    auto spec_with = [](JsonValue recursive) {
        return obj(
            {{"table", str("emp")},
             {"relations", arr({obj({{"name", str("reports")},
                                     {"table", str("emp")},
                                     {"limit", num("2")},
                                     {"recursive", std::move(recursive)},
                                     {"relations", arr({obj({{"name", str("n")},
                                                             {"table", str("emp")},
                                                             {"count", boolean(true)}})})}})})}});
    };
    FetchSpec spec = parse_fetch_spec(spec_with(obj({{"max_depth", num("3")}})));
    // Three levels, each with the level's own options and relations, the last without itself.
    const RelationSpec* level = &spec.relations[0];
    for (int depth = 1; depth <= 3; depth++) {
        EXPECT_EQ(level->name, "reports");
        EXPECT_EQ(level->options.limit, 2);
        ASSERT_EQ(level->relations.size(), depth < 3 ? 2u : 1u);
        EXPECT_EQ(level->relations[0].name, "n");
        if (depth < 3)
            level = &level->relations[1];
    }
    FetchSpec all = parse_fetch_spec(spec_with(boolean(true)));
    int levels = 0;
    for (const RelationSpec* at = &all.relations[0]; at != nullptr;
         at = at->relations.size() > 1 ? &at->relations[1] : nullptr) {
        levels++;
    }
    // Unbounded: every level the depth limit leaves (the relation is at depth 1), with room for
    // the count each level nests.
    EXPECT_EQ(levels, kMaxRelationDepth - 1);
    EXPECT_EQ(spec_error(spec_with(obj({{"max_depth", num("0")}}))),
              "invalid relations[0].recursive.max_depth: must be at least 1");
    // Every level belongs to the recursion (they share its path) and marks cycles, "is_cycle"
    // unless named.
    EXPECT_TRUE(spec.relations[0].recursive);
    EXPECT_EQ(spec.relations[0].relations[1].path, spec.relations[0].path);
    EXPECT_EQ(spec.relations[0].relations[1].cycle_mark, "is_cycle");
    FetchSpec named =
        parse_fetch_spec(spec_with(obj({{"max_depth", num("2")}, {"cycle_mark", str("seen")}})));
    EXPECT_EQ(named.relations[0].relations[1].cycle_mark, "seen");
    EXPECT_EQ(spec_error(spec_with(obj({{"cycle_mark", str("")}}))),
              "invalid relations[0].recursive.cycle_mark: must not be empty");
    // A recursive relation inside another: the outer levels leave room for the inner ones, so the
    // expanded tree stays within the depth limit (nested recursions multiply otherwise).
    JsonValue inner =
        obj({{"name", str("b")}, {"table", str("emp")}, {"recursive", boolean(true)}});
    FetchSpec nested =
        parse_fetch_spec(obj({{"table", str("emp")},
                              {"relations", arr({obj({{"name", str("a")},
                                                      {"table", str("emp")},
                                                      {"recursive", boolean(true)},
                                                      {"relations", arr({inner})}})})}}));
    int height = 0;
    for (const RelationSpec* at = &nested.relations[0]; at != nullptr;
         at = at->relations.empty() ? nullptr : &at->relations.back()) {
        height++;
    }
    EXPECT_EQ(height, kMaxRelationDepth);
    EXPECT_EQ(nested.relations[0].name, "a");
    EXPECT_EQ(nested.relations[0].relations[0].name, "b");  // one level of a, 63 of b
    EXPECT_EQ(spec_error(spec_with(str("yes"))),
              "invalid relations[0].recursive: expected an object such as {\"max_depth\": 5}, or "
              "true");
}

TEST(EagerSql, KeysetConditions) {
    KeysetTerm billed{"t0.billed",
                      false,
                      "CAST($1 AS pg_catalog.date)",
                      "OPERATOR(pg_catalog.<)",
                      "OPERATOR(pg_catalog.>)",
                      "OPERATOR(pg_catalog.=)"};
    KeysetTerm id{"t0.id",
                  false,
                  "CAST($2 AS pg_catalog.int4)",
                  "OPERATOR(pg_catalog.<)",
                  "OPERATOR(pg_catalog.>)",
                  "OPERATOR(pg_catalog.=)"};
    // NOT NULL columns, one direction: one row comparison an index can serve.
    EXPECT_EQ(keyset_condition_sql({billed, id}, true),
              "ROW(t0.billed, t0.id) OPERATOR(pg_catalog.>) ROW(CAST($1 AS pg_catalog.date), "
              "CAST($2 AS pg_catalog.int4))");
    // Otherwise lexicographic, NULLs last ascending.
    EXPECT_EQ(keyset_condition_sql({billed, id}, false),
              "((t0.billed OPERATOR(pg_catalog.>) CAST($1 AS pg_catalog.date) OR t0.billed IS "
              "NULL) OR (t0.billed OPERATOR(pg_catalog.=) CAST($1 AS pg_catalog.date) AND (t0.id "
              "OPERATOR(pg_catalog.>) CAST($2 AS pg_catalog.int4) OR t0.id IS NULL)))");
    // After a NULL: descending, non-NULLs follow; ascending, only more NULLs do.
    KeysetTerm note_desc{"t0.note", true, "", "<", ">", "="};
    EXPECT_EQ(keyset_condition_sql({note_desc, id}, false),
              "(t0.note IS NOT NULL OR (t0.note IS NULL AND (t0.id OPERATOR(pg_catalog.>) CAST($2 "
              "AS pg_catalog.int4) OR t0.id IS NULL)))");
    KeysetTerm note_asc{"t0.note", false, "", "<", ">", "="};
    EXPECT_EQ(keyset_condition_sql({note_asc}, false), "false");
}
