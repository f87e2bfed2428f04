#include "data_bridge/core/eager_batches.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "eager_builders.hpp"

namespace data_bridge {
namespace {

using test::relation;

RenderedColumn column(const std::string& name, bool via_to_jsonb = false) {
    RenderedColumn out;
    out.name = name;
    out.quoted = name;
    out.type = 23;
    out.via_to_jsonb = via_to_jsonb;
    return out;
}

EagerJoinColumn join(const std::string& child, const std::string& parent) {
    return {child, "", "OPERATOR(pg_catalog.=)", parent, 23};
}

// A related table joined on one column, rendering one column; objects are unique on the join.
EagerRelation related(const std::string& name, EagerShape shape, const std::string& table,
                      const std::string& alias, const std::string& rendered,
                      const EagerJoinColumn& on) {
    EagerRelation out = relation(name, shape);
    out.level.table = table;
    out.level.alias = alias;
    out.level.conditions = {alias + "." + on.child_column + " " + on.equals + " parent." +
                            on.parent_column};
    out.level.rendered = {column(rendered)};
    out.join_count = 1;
    out.join = {on};
    out.at_most_one = shape == EagerShape::kObject;
    return out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// users (id, name, tags as to_jsonb) with: profile (one row), posts (paged), n (a count).
EagerLevel users_tree() {
    EagerLevel root;
    root.table = "public.users";
    root.alias = "t0";
    root.order = {{"id", false}};
    root.limit_param = "$1";
    root.rendered = {column("id"), column("name"), column("tags", true)};

    EagerRelation profile = relation("profile", EagerShape::kObject);
    profile.level.table = "public.profiles";
    profile.level.alias = "t1";
    profile.level.conditions = {"t1.user_id OPERATOR(pg_catalog.=) t0.id"};
    profile.level.rendered = {column("bio")};
    profile.join_count = 1;
    profile.join = {join("user_id", "id")};
    profile.at_most_one = true;

    EagerRelation posts = relation("posts", EagerShape::kArray);
    posts.level.table = "public.posts";
    posts.level.alias = "t2";
    posts.level.conditions = {"t2.author_id OPERATOR(pg_catalog.=) t0.id", "t2.draft IS FALSE"};
    posts.level.order = {{"created", true}, {"id", false}};
    posts.level.limit_param = "$2";
    posts.level.rendered = {column("title")};
    posts.join_count = 1;
    posts.join = {join("author_id", "id")};

    EagerRelation count = relation("n", EagerShape::kCount);
    count.level.table = "public.posts";
    count.level.alias = "t3";
    count.level.conditions = {"t3.author_id OPERATOR(pg_catalog.=) t0.id"};
    count.join_count = 1;
    count.join = {join("author_id", "id")};

    root.relations = {profile, posts, count};
    return root;
}

TEST(EagerBatches, JsonbKeyOrderIsLengthThenBytes) {
    EXPECT_TRUE(jsonb_key_less("id", "name"));
    EXPECT_TRUE(jsonb_key_less("name", "author"));
    EXPECT_TRUE(jsonb_key_less("ab", "ba"));
    EXPECT_FALSE(jsonb_key_less("ba", "ab"));
    EXPECT_FALSE(jsonb_key_less("id", "id"));
    EXPECT_TRUE(jsonb_key_less("Z", "a"));
}

std::vector<std::string> keys_of(const BatchObject& object) {
    std::vector<std::string> keys;
    for (const auto& field : object.fields)
        keys.push_back(field.key);
    return keys;
}

TEST(EagerBatches, KeysJoinedInOneJoinWhenNoIndexCanProbe) {
    EagerLevel root = users_tree();
    EagerRelation& posts = root.relations[1];
    posts.keys_joined = true;
    // With a per-parent page: still a LATERAL subquery per key.
    EXPECT_TRUE(contains(eager_batches(root, true, 2)[1].sql, "CROSS JOIN LATERAL"));
    posts.level.limit_param.clear();
    std::vector<Batch> batches = eager_batches(root, true, 2);
    EXPECT_EQ(batches[1].sql,
              "SELECT s.* FROM (SELECT k.n, t2.title AS v1, pg_catalog.row_number() OVER "
              "(PARTITION BY k.n ORDER BY t2.created DESC, t2.id) AS r FROM ROWS FROM "
              "(pg_catalog.unnest($3)) WITH ORDINALITY AS k(c1, n), public.posts AS t2 WHERE "
              "t2.author_id OPERATOR(pg_catalog.=) k.c1 AND t2.draft IS FALSE) AS s");
    // The same columns as the LATERAL form that numbers its rows: the parent's number, the
    // row's, its place.
    posts.keys_joined = false;
    std::vector<Batch> lateral = eager_batches(root, true, 2, true);
    EXPECT_EQ(batches[1].order_column, lateral[1].order_column);
    EXPECT_EQ(batches[1].objects[0].first_column, lateral[1].objects[0].first_column);
}

TEST(EagerBatches, RowsWithoutAPageAreOrderedByTheExecutor) {
    EagerLevel root = users_tree();
    EagerRelation& posts = root.relations[1];
    // A page per parent needs the order in the statement.
    std::vector<Batch> paged = eager_batches(root, true, 2);
    EXPECT_TRUE(contains(paged[1].sql, "ORDER BY t2.created DESC, t2.id LIMIT"));
    EXPECT_TRUE(paged[1].sort_columns.empty());
    // A term the row does not render (created, id): the statement sorts, so that the load reads
    // no column it does not render.
    posts.level.limit_param.clear();
    std::vector<Batch> unrendered = eager_batches(root, true, 2);
    EXPECT_TRUE(contains(unrendered[1].sql, "pg_catalog.row_number() OVER (ORDER BY t2.created"));
    EXPECT_TRUE(unrendered[1].sort_columns.empty());
    EXPECT_EQ(unrendered[1].order_column, 2);
    // A term selected only as a nested relation's key is not rendered: the statement sorts.
    EagerRelation nested = relation("notes", EagerShape::kArray);
    nested.join = {join("post_created", "created")};
    posts.level.relations = {nested};
    posts.level.order = {{"created", false}};
    EXPECT_TRUE(eager_batches(root, true, 2)[1].sort_columns.empty());
    posts.level.relations.clear();
    // Every term rendered, one repeated: each column once, the first term's direction.
    posts.level.rendered = {column("title"), column("id"), column("created")};
    posts.level.order = {{"created", true}, {"id", false}, {"created", false}};
    std::vector<Batch> batches = eager_batches(root, true, 2);
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($3)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t2.title AS v1, t2.id AS v2, t2.created AS v3 FROM "
              "public.posts AS t2 WHERE t2.author_id OPERATOR(pg_catalog.=) k.c1 AND t2.draft IS "
              "FALSE OFFSET 0) AS s");
    ASSERT_EQ(batches[1].sort_columns.size(), 2u);
    EXPECT_EQ(batches[1].sort_columns[0].column, 3);
    EXPECT_TRUE(batches[1].sort_columns[0].descending);
    EXPECT_EQ(batches[1].sort_columns[1].column, 2);
    EXPECT_FALSE(batches[1].sort_columns[1].descending);
    EXPECT_EQ(batches[1].order_column, -1);
    // Citus runs the statements: they number the rows themselves.
    std::vector<Batch> numbered = eager_batches(root, true, 2, true);
    EXPECT_TRUE(
        contains(numbered[1].sql, "pg_catalog.row_number() OVER (ORDER BY t2.created DESC"));
    EXPECT_TRUE(numbered[1].sort_columns.empty());
    EXPECT_EQ(numbered[1].order_column, 4);
}

TEST(EagerBatches, GroupedValuesJoinOneScanOnTheKey) {
    EagerLevel root = users_tree();
    root.relations[2].values_grouped = true;  // n, the count of posts
    std::vector<Batch> batches = eager_batches(root, true, 2);
    EXPECT_TRUE(contains(
        batches[0].sql,
        " LEFT JOIN (SELECT t3.author_id AS k1, pg_catalog.count(*) AS v1 FROM public.posts AS t3 "
        "GROUP BY t3.author_id) AS g1 ON g1.k1 OPERATOR(pg_catalog.=) s.v4 CROSS JOIN LATERAL "
        "(SELECT CASE WHEN g1.k1 IS NULL THEN (SELECT pg_catalog.count(*) FROM public.posts AS "
        "t3 WHERE false) ELSE g1.v1 END AS v1) AS j1"))
        << batches[0].sql;
    // The same columns as the LATERAL form.
    root.relations[2].values_grouped = false;
    std::vector<Batch> lateral = eager_batches(root, true, 2);
    EXPECT_EQ(batches[0].objects[0].fields[0].column, lateral[0].objects[0].fields[0].column);
    EXPECT_EQ(batches[0].objects[1].first_column, lateral[0].objects[1].first_column);
}

TEST(EagerBatches, IndexProbesOnlyWhenEveryJoinedTableIsProbedByIndex) {
    EagerLevel root = users_tree();
    EagerRelation& posts = root.relations[1];
    posts.index_probes = true;
    EXPECT_TRUE(eager_batches(root, true, 2)[1].index_probes);
    // A joined row of a table probed by index: still.
    EagerRelation editor = related("editor", EagerShape::kObject, "public.users", "t4", "name",
                                   join("id", "editor_id"));
    editor.index_probes = true;
    posts.level.relations = {editor};
    EXPECT_TRUE(eager_batches(root, true, 2)[1].index_probes);
    // Not when that table has no such index (or a filter: the planner leaves the flag off).
    posts.level.relations[0].index_probes = false;
    EXPECT_FALSE(eager_batches(root, true, 2)[1].index_probes);
    // Nor with a count joined into the statement.
    EagerRelation count = relation("n", EagerShape::kCount);
    count.level.table = "public.likes";
    count.level.alias = "t5";
    count.level.conditions = {"t5.post_id OPERATOR(pg_catalog.=) t2.id"};
    count.join_count = 1;
    count.join = {join("post_id", "id")};
    count.index_probes = true;
    posts.level.relations = {count};
    EXPECT_FALSE(eager_batches(root, true, 2)[1].index_probes);
    // The top statement probes nothing.
    EXPECT_FALSE(eager_batches(root, true, 2)[0].index_probes);
}

TEST(EagerBatches, ManyToOneAndCountsJoinIntoTheParentsStatement) {
    std::vector<Batch> batches = eager_batches(users_tree(), true, 2);
    // The profile (at most one row) and the count are joined into the top statement; the
    // posts get a batch of their own.
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[0].parent, -1);
    EXPECT_EQ(batches[0].shape, EagerShape::kArray);
    // The page of users (rendered columns, the key t0.id once, their place r), then the
    // counts and aggregates, then the profile.
    EXPECT_EQ(batches[0].sql,
              "SELECT s.*, j1.*, j2.* FROM (SELECT t0.id AS v1, t0.name AS v2, "
              "pg_catalog.to_jsonb(t0.tags) AS v3, t0.id AS v4, pg_catalog.row_number() OVER "
              "(ORDER BY t0.id) AS r FROM public.users AS t0 ORDER BY t0.id LIMIT $1) AS s "
              "LEFT JOIN LATERAL (SELECT pg_catalog.count(*) AS v1 FROM public.posts AS t3 "
              "WHERE t3.author_id OPERATOR(pg_catalog.=) s.v4) AS j1 ON true "
              "LEFT JOIN LATERAL (SELECT true AS v1, t1.bio AS v2 FROM public.profiles AS t1 "
              "WHERE t1.user_id OPERATOR(pg_catalog.=) s.v4 LIMIT 1) AS j2 ON true");
    EXPECT_EQ(batches[0].order_column, 4);
    ASSERT_EQ(batches[0].objects.size(), 2u);
    const BatchObject& user = batches[0].objects[0];
    const BatchObject& profile = batches[0].objects[1];
    EXPECT_EQ(user.present_column, -1);
    EXPECT_EQ(user.first_column, 0);
    EXPECT_EQ(profile.present_column, 6);
    EXPECT_EQ(profile.first_column, 7);
    // Keys in jsonb's order.
    EXPECT_EQ(keys_of(user),
              (std::vector<std::string>{"n", "id", "name", "tags", "posts", "profile"}));
    EXPECT_EQ(user.fields[0].column, 5);
    EXPECT_TRUE(user.fields[0].count);
    EXPECT_EQ(user.fields[1].column, 0);
    EXPECT_FALSE(user.fields[1].count);
    EXPECT_EQ(user.fields[3].column, 2);
    EXPECT_EQ(user.fields[4].child, 1);
    EXPECT_EQ(user.fields[5].object, 1);
    EXPECT_EQ(keys_of(profile), std::vector<std::string>{"bio"});
    EXPECT_EQ(profile.fields[0].column, 7);
    EXPECT_EQ(batches[1].parent, 0);
    EXPECT_EQ(batches[1].parent_key_columns, std::vector<int>{3});
}

TEST(EagerBatches, PerTenantRelationsTakeBatchesOfTheirOwnStatingTheTenant) {
    // Citus across tenants: posts (tenant, id) with their author (tenant, author_id) and their
    // comments (tenant, id), both distributed and joined on the tenant column.
    EagerLevel root;
    root.table = "public.posts";
    root.alias = "t0";
    root.rendered = {column("id")};
    EagerRelation author = related("author", EagerShape::kObject, "public.users", "t1", "name",
                                   join("tenant", "tenant"));
    author.join.push_back(join("id", "author_id"));
    author.join_count = 2;
    author.per_tenant = true;
    author.tenant_join = 0;
    EagerRelation comments = related("comments", EagerShape::kArray, "public.comments", "t2",
                                     "body", join("post_id", "id"));
    comments.join.insert(comments.join.begin(), join("tenant", "tenant"));
    comments.join_count = 2;
    comments.per_tenant = true;
    comments.tenant_join = 0;
    root.relations = {author, comments};
    std::vector<Batch> batches = eager_batches(root, true, 1);
    // Neither is joined into the top statement: one batch each, run per tenant.
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_FALSE(contains(batches[0].sql, "LATERAL"));
    for (int b : {1, 2}) {
        EXPECT_TRUE(batches[b].per_tenant);
        EXPECT_EQ(batches[b].tenant_key, 0);
        EXPECT_EQ(batches[b].parent_key_columns.size(), 2u);
        // The parent rows' numbers come as $4 (after the two key arrays), the tenant as $5.
        EXPECT_TRUE(contains(batches[b].sql,
                             "ROWS FROM (pg_catalog.unnest($2), "
                             "pg_catalog.unnest($3), pg_catalog.unnest($4)) AS "
                             "k(c1, c2, n)"))
            << batches[b].sql;
        EXPECT_FALSE(contains(batches[b].sql, "ORDINALITY"));
        EXPECT_TRUE(contains(batches[b].sql, ".tenant OPERATOR(pg_catalog.=) $5"))
            << batches[b].sql;
    }
    EXPECT_EQ(batches[1].shape, EagerShape::kObject);
    EXPECT_EQ(batches[2].shape, EagerShape::kArray);
}

TEST(EagerBatches, PerTenantCountsAndAggregatesAreBatchesOfValues) {
    EagerLevel root;
    root.table = "public.posts";
    root.alias = "t0";
    root.rendered = {column("id")};
    EagerRelation count = related("comment_count", EagerShape::kCount, "public.comments", "t1",
                                  "body", join("tenant", "tenant"));
    count.join.push_back(join("post_id", "id"));
    count.join_count = 2;
    count.per_tenant = true;
    count.tenant_join = 0;
    count.level.conditions = {"t1.tenant OPERATOR(pg_catalog.=) t0.tenant",
                              "t1.post_id OPERATOR(pg_catalog.=) t0.id", "t1.score > 3"};
    EagerRelation stats = count;
    stats.name = "stats";
    stats.shape = EagerShape::kAggregate;
    stats.aggregate = "pg_catalog.jsonb_build_object('max', pg_catalog.max(t1.score))";
    root.relations = {count, stats};
    std::vector<Batch> batches = eager_batches(root, true, 1);
    // Not joined into the top statement (it spans tenants): a batch each, one value per parent
    // key of a tenant, the tenant stated, the relation's own filter kept.
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_FALSE(contains(batches[0].sql, "LATERAL")) << batches[0].sql;
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.v1 FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), "
              "pg_catalog.unnest($4)) AS k(c1, c2, n) CROSS JOIN LATERAL (SELECT "
              "pg_catalog.count(*) AS v1 FROM public.comments AS t1 WHERE t1.tenant "
              "OPERATOR(pg_catalog.=) k.c1 AND t1.post_id OPERATOR(pg_catalog.=) k.c2 AND "
              "t1.tenant OPERATOR(pg_catalog.=) $5 AND t1.score > 3) AS s");
    EXPECT_TRUE(is_values_batch(batches[1]));
    EXPECT_EQ(batches[1].empty_sql,
              "SELECT pg_catalog.count(*) FROM public.comments AS t1 WHERE false");
    EXPECT_TRUE(is_values_batch(batches[2]));
    EXPECT_EQ(batches[2].empty_sql,
              "SELECT pg_catalog.jsonb_build_object('max', pg_catalog.max(t1.score)) FROM "
              "public.comments AS t1 WHERE false");
    // The top row renders them as values of its own keys, read from those batches.
    const std::vector<BatchField>& fields = batches[0].objects[0].fields;
    ASSERT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[1].key, "stats");
    EXPECT_EQ(fields[1].child, 2);
    EXPECT_TRUE(fields[1].jsonb);
    EXPECT_EQ(fields[2].key, "comment_count");
    EXPECT_EQ(fields[2].child, 1);
    EXPECT_TRUE(fields[2].count);
    EXPECT_FALSE(is_values_batch(batches[0]));
}

TEST(EagerBatches, ARelatedBatchPagesEachParentsRows) {
    std::vector<Batch> batches = eager_batches(users_tree(), true, 2);
    // A page per parent key, probed once per key, its own filter kept; the executor orders.
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($3)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t2.title AS v1, pg_catalog.row_number() OVER (ORDER BY "
              "t2.created DESC, t2.id) AS r FROM public.posts AS t2 WHERE t2.author_id "
              "OPERATOR(pg_catalog.=) k.c1 AND t2.draft IS FALSE ORDER BY t2.created DESC, t2.id "
              "LIMIT $2) AS s");
    EXPECT_EQ(batches[1].order_column, 2);
    EXPECT_EQ(batches[1].objects[0].first_column, 1);
}

TEST(EagerBatches, NonUniqueObjectTakesTheFirstInOrderInABatch) {
    EagerLevel root = users_tree();
    root.relations[0].at_most_one = false;
    root.relations[0].level.order = {{"id", false}};
    root.relations.pop_back();  // no count: nothing is joined into the top statement
    std::vector<Batch> batches = eager_batches(root, true, 2);
    ASSERT_EQ(batches.size(), 3u);
    // Nothing joined: the top statement sorts and pages itself.
    EXPECT_EQ(batches[0].sql,
              "SELECT t0.id AS v1, t0.name AS v2, pg_catalog.to_jsonb(t0.tags) AS v3, t0.id AS v4 "
              "FROM public.users AS t0 ORDER BY t0.id LIMIT $1");
    EXPECT_EQ(batches[0].order_column, -1);
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($3)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t1.bio AS v1 FROM public.profiles AS t1 WHERE "
              "t1.user_id OPERATOR(pg_catalog.=) k.c1 ORDER BY t1.id LIMIT 1) AS s");
    EXPECT_EQ(batches[1].order_column, -1);
}

TEST(EagerBatches, AKeyUniqueOnlyAtCommitReadsTwoRowsInABatch) {
    EagerLevel root = users_tree();
    root.relations[0].unique_at_commit = true;  // UNIQUE (user_id) DEFERRABLE
    root.relations.pop_back();
    std::vector<Batch> batches = eager_batches(root, true, 2);
    // Not joined into the top statement (a duplicate would repeat the user): a batch of its own,
    // two rows per key at most, so that the executor sees a second one and refuses it.
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_FALSE(contains(batches[0].sql, "profiles"));
    EXPECT_EQ(batches[1].shape, EagerShape::kObject);
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($3)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t1.bio AS v1 FROM public.profiles AS t1 WHERE "
              "t1.user_id OPERATOR(pg_catalog.=) k.c1 LIMIT 2) AS s");
}

TEST(EagerBatches, KeysOfARowTypeAreUnnestedInASelectList) {
    EagerLevel root = users_tree();
    root.relations[1].join[0].row_value = true;  // posts by a composite-typed key
    std::vector<Batch> batches = eager_batches(root, true, 2);
    ASSERT_EQ(batches.size(), 2u);
    // unnest() in FROM would expand the row into its fields; in a select list it stays one
    // value, numbered alongside.
    EXPECT_TRUE(contains(batches[1].sql,
                         "FROM (SELECT pg_catalog.unnest($3) AS c1, pg_catalog.generate_series("
                         "CAST(1 AS pg_catalog.int8), CAST(pg_catalog.cardinality($3) AS "
                         "pg_catalog.int8)) AS n) AS k CROSS JOIN LATERAL"));
    EXPECT_FALSE(contains(batches[1].sql, "ROWS FROM"));
}

TEST(EagerBatches, OneRowAtTheTopAndNestedLevels) {
    EagerLevel root = users_tree();
    root.conditions = {"t0.id OPERATOR(pg_catalog.=) $1"};
    // posts -> comments on a two-column key.
    EagerRelation comments = relation("comments", EagerShape::kArray);
    comments.level.table = "public.comments";
    comments.level.alias = "t4";
    comments.level.conditions = {"t4.post_id OPERATOR(pg_catalog.=) t2.id",
                                 "t4.post_site OPERATOR(pg_catalog.=) t2.site"};
    comments.level.rendered = {column("body")};
    comments.join_count = 2;
    comments.join = {join("post_id", "id"), join("post_site", "site")};
    root.relations[1].level.relations = {comments};
    std::vector<Batch> batches = eager_batches(root, false, 2);
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_EQ(batches[0].shape, EagerShape::kObject);
    // One row by its key: not numbered.
    EXPECT_TRUE(contains(batches[0].sql,
                         " FROM public.users AS t0 WHERE t0.id OPERATOR(pg_catalog.=) "
                         "$1) AS s LEFT JOIN LATERAL"));
    EXPECT_FALSE(contains(batches[0].sql, "row_number"));
    EXPECT_EQ(batches[0].order_column, -1);
    // posts (batch 1) sends its id and site, selected after its rendered column.
    EXPECT_EQ(batches[2].parent, 1);
    EXPECT_EQ(batches[2].parent_key_columns, (std::vector<int>{2, 3}));
    EXPECT_TRUE(contains(batches[1].sql, "t2.title AS v1, t2.id AS v2, t2.site AS v3"));
    EXPECT_TRUE(contains(batches[2].sql,
                         "ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4)) WITH "
                         "ORDINALITY AS k(c1, c2, n)"));
    EXPECT_TRUE(contains(batches[2].sql,
                         "WHERE t4.post_id OPERATOR(pg_catalog.=) k.c1 AND "
                         "t4.post_site OPERATOR(pg_catalog.=) k.c2"));
}

TEST(EagerBatches, JoinedRowsNestAndFeedBatchesOfTheirOwn) {
    // comments -> author (joined) -> profile (joined), and author -> posts (a batch).
    EagerLevel root;
    root.table = "public.comments";
    root.alias = "t0";
    root.rendered = {column("body")};
    EagerRelation author =
        related("author", EagerShape::kObject, "public.users", "t1", "name", join("id", "user_id"));
    author.level.conditions.push_back("t1.active");
    EagerRelation profile = related("profile", EagerShape::kObject, "public.profiles", "t2", "bio",
                                    join("user_id", "id"));
    EagerRelation posts = related("posts", EagerShape::kArray, "public.posts", "t3", "title",
                                  join("author_id", "id"));
    author.level.relations = {profile, posts};
    root.relations = {author};

    std::vector<Batch> batches = eager_batches(root, true, 0);
    ASSERT_EQ(batches.size(), 2u);
    // s: body v1 (0), user_id v2 (1), r (2); j1: present (3), name (4), id (5); j2: (6), bio (7).
    EXPECT_EQ(batches[0].sql,
              "SELECT s.*, j1.*, j2.* FROM (SELECT t0.body AS v1, t0.user_id AS v2, "
              "pg_catalog.row_number() OVER () AS r FROM public.comments AS t0) AS s "
              "LEFT JOIN LATERAL (SELECT true AS v1, t1.name AS v2, t1.id AS v3 FROM public.users "
              "AS t1 WHERE t1.id OPERATOR(pg_catalog.=) s.v2 AND t1.active LIMIT 1) AS j1 ON true "
              "LEFT JOIN LATERAL (SELECT true AS v1, t2.bio AS v2 FROM public.profiles AS t2 "
              "WHERE t2.user_id OPERATOR(pg_catalog.=) j1.v3 LIMIT 1) AS j2 ON true");
    EXPECT_EQ(batches[0].order_column, 2);
    ASSERT_EQ(batches[0].objects.size(), 3u);
    EXPECT_EQ(batches[0].objects[1].present_column, 3);
    EXPECT_EQ(batches[0].objects[2].present_column, 6);
    EXPECT_EQ(keys_of(batches[0].objects[1]),
              (std::vector<std::string>{"name", "posts", "profile"}));
    EXPECT_EQ(batches[0].objects[1].fields[1].child, 1);
    EXPECT_EQ(batches[0].objects[1].fields[2].object, 2);
    // The author's posts: keyed by the author's id, column 5 of the comments' rows.
    EXPECT_EQ(batches[1].parent, 0);
    EXPECT_EQ(batches[1].parent_key_columns, std::vector<int>{5});
    EXPECT_TRUE(contains(batches[1].sql, "WHERE t3.author_id OPERATOR(pg_catalog.=) k.c1"));
}

TEST(EagerBatches, GroupByParentKeepsOrSortsEachParentsRows) {
    // Parent 1 has no rows; parent 0's rows arrive out of place order; parent 2's in order.
    std::vector<std::uint64_t> parents = {2, 0, 2, 0, 0};
    std::vector<std::int64_t> places = {1, 3, 2, 1, 2};
    std::vector<std::uint64_t> starts(4), order(5);
    group_by_parent(parents.data(), places.data(), 5, 3, starts.data(), order.data());
    EXPECT_EQ(starts, (std::vector<std::uint64_t>{0, 3, 3, 5}));
    EXPECT_EQ(order, (std::vector<std::uint64_t>{3, 4, 1, 0, 2}));
    // Without places: arrival order within each parent.
    group_by_parent(parents.data(), nullptr, 5, 3, starts.data(), order.data());
    EXPECT_EQ(order, (std::vector<std::uint64_t>{1, 3, 4, 0, 2}));
    // No rows at all.
    group_by_parent(parents.data(), nullptr, 0, 3, starts.data(), order.data());
    EXPECT_EQ(starts, (std::vector<std::uint64_t>{0, 0, 0, 0}));
}

TEST(EagerBatches, KeysMatchedByValueReadEveryParentsRowsInOneScan) {
    EagerLevel root = users_tree();
    EagerRelation& posts = root.relations[1];
    posts.level.limit_param.clear();
    posts.level.rendered = {column("title"), column("id"), column("created")};
    posts.index_probes = true;
    // Not allowed (a key type compared otherwise than by value): probes only.
    EXPECT_TRUE(eager_batches(root, true, 2)[1].keyset_sql.empty());
    posts.keys_matched_by_value = true;
    std::vector<Batch> batches = eager_batches(root, true, 2);
    EXPECT_EQ(batches[1].keyset_sql,
              "SELECT s.* FROM (SELECT t2.author_id AS k, t2.title AS v1, t2.id AS v2, t2.created "
              "AS v3 FROM public.posts AS t2 WHERE t2.author_id OPERATOR(pg_catalog.=) ANY ($3) "
              "AND t2.draft IS FALSE) AS s");
    // The probing form stays, for parents sharing a key; the columns are the same in both.
    EXPECT_TRUE(contains(batches[1].sql, "WITH ORDINALITY AS k(c1, n)"));
    EXPECT_EQ(batches[1].sort_columns.size(), 2u);
    // A page per parent, or the statement sorting: LIMIT and row numbers need the probes.
    posts.level.limit_param = "$2";
    EXPECT_TRUE(eager_batches(root, true, 2)[1].keyset_sql.empty());
    posts.level.limit_param.clear();
    EXPECT_TRUE(eager_batches(root, true, 2, true)[1].keyset_sql.empty());
    // Not probed by index (a filter, an inner join, a joined table without an index): the plan
    // would not be certain.
    posts.index_probes = false;
    EXPECT_TRUE(eager_batches(root, true, 2)[1].keyset_sql.empty());
    posts.index_probes = true;
    // Two join columns: probes.
    posts.join.push_back(join("tenant", "tenant"));
    EXPECT_TRUE(eager_batches(root, true, 2)[1].keyset_sql.empty());
}

TEST(EagerBatches, ParentsFoundByTheirKeysValue) {
    std::vector<KeyedParent> parents = {{{0, 30}, 0}, {{0, 10}, 1}, {{1, 10}, 2}, {{0, 20}, 3}};
    ASSERT_TRUE(sort_parents_by_key(parents.data(), parents.size()));
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {0, 30}), 0);
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {0, 10}), 1);
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {1, 10}), 2);
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {0, 20}), 3);
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {0, 40}), -1);
    EXPECT_EQ(parent_with_key(parents.data(), parents.size(), {1, 0}), -1);
    EXPECT_EQ(parent_with_key(parents.data(), 0, {0, 10}), -1);
    // Two parents with one key: refused (a row would belong to both).
    parents.push_back({{0, 20}, 4});
    EXPECT_FALSE(sort_parents_by_key(parents.data(), parents.size()));
}

TEST(EagerBatches, ARowWithNothingToSelectIsStillThere) {
    EagerLevel root;
    root.table = "public.t";
    root.alias = "t0";
    std::vector<Batch> batches = eager_batches(root, true, 0);
    EXPECT_EQ(batches[0].sql, "SELECT NULL AS v1 FROM public.t AS t0");
    // With a joined row, the placeholder still takes its column.
    EagerRelation other = relation("other", EagerShape::kObject);
    other.level.table = "public.o";
    other.level.alias = "t1";
    other.join_count = 1;
    other.join = {join("id", "o_id")};
    other.at_most_one = true;
    root.relations = {other};
    batches = eager_batches(root, true, 0);
    EXPECT_TRUE(contains(batches[0].sql, "(SELECT t0.o_id AS v1, pg_catalog.row_number()"));
    EXPECT_EQ(batches[0].order_column, 1);
    EXPECT_EQ(batches[0].objects[1].present_column, 2);
}

TEST(EagerBatches, ValuesOfTheSameRelatedRowsShareOneJoin) {
    EagerLevel root = users_tree();
    EagerRelation count = root.relations[2];
    // A sum over the same rows (another alias), and a count of other rows (a filter of its own).
    EagerRelation sum = relation("spent", EagerShape::kAggregate);
    sum.level = count.level;
    sum.level.alias = "t4";
    sum.level.conditions = {"t4.author_id OPERATOR(pg_catalog.=) t0.id"};
    sum.join_count = 1;
    sum.join = count.join;
    sum.aggregate = "pg_catalog.to_jsonb(pg_catalog.sum(t4.\"score\"))";
    EagerRelation drafts = relation("drafts", EagerShape::kCount);
    drafts.level = count.level;
    drafts.level.alias = "t5";
    drafts.level.conditions = {"t5.author_id OPERATOR(pg_catalog.=) t0.id", "t5.draft IS TRUE"};
    drafts.join_count = 1;
    drafts.join = count.join;
    root.relations = {count, sum, drafts};
    std::vector<Batch> batches = eager_batches(root, true, 1);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_NE(batches[0].sql.find(
                  "LEFT JOIN LATERAL (SELECT pg_catalog.count(*) AS v1, "
                  "pg_catalog.to_jsonb(pg_catalog.sum(t3.\"score\")) AS v2 FROM public.posts AS t3 "
                  "WHERE t3.author_id OPERATOR(pg_catalog.=) s.v4) AS j1 ON true"),
              std::string::npos)
        << batches[0].sql;
    EXPECT_NE(
        batches[0].sql.find("FROM public.posts AS t5 WHERE t5.author_id "
                            "OPERATOR(pg_catalog.=) s.v4 AND t5.draft IS TRUE) AS j2 ON true"),
        std::string::npos)
        << batches[0].sql;
    const BatchObject& user = batches[0].objects[0];
    std::vector<int> columns;
    for (const BatchField& field : user.fields) {
        if (field.count || field.jsonb)
            columns.push_back(field.column);
    }
    EXPECT_EQ(columns.size(), 3u);
}

TEST(EagerBatches, OrderByRelatedValues) {
    EagerLevel root = users_tree();
    EagerRelation count = root.relations[2];
    count.value = "pg_catalog.count(*)";
    EagerRelation profile = root.relations[0];
    EXPECT_EQ(related_order_sql(count, ""),
              "(SELECT pg_catalog.count(*) FROM public.posts AS t3 WHERE t3.author_id "
              "OPERATOR(pg_catalog.=) t0.id)");
    EXPECT_EQ(related_order_sql(profile, "\"bio\""),
              "(SELECT t1.\"bio\" FROM public.profiles AS t1 WHERE t1.user_id "
              "OPERATOR(pg_catalog.=) t0.id LIMIT 1)");
    // An expression is used as it is, a column gets the level's alias.
    root.order = {{related_order_sql(count, ""), true}, {"id", false}};
    EXPECT_EQ(order_terms(root),
              "(SELECT pg_catalog.count(*) FROM public.posts AS t3 WHERE t3.author_id "
              "OPERATOR(pg_catalog.=) t0.id) DESC, t0.id");
}

TEST(EagerBatches, ManyToManyJoinsTheJunctionIntoTheFromItem) {
    EagerLevel root;
    root.table = "public.playlist";
    root.alias = "t0";
    root.rendered = {column("id")};
    EagerRelation tracks = relation("tracks", EagerShape::kArray);
    tracks.level.table = "public.track";
    tracks.level.alias = "t1";
    tracks.level.through.table = "public.playlist_track";
    tracks.level.through.alias = "t2";
    tracks.level.through.conditions = {"t1.id OPERATOR(pg_catalog.=) t2.track_id"};
    tracks.level.through.key = "playlist_track";
    tracks.level.through.key_literal = "'playlist_track'";
    RenderedColumn position = column("position");
    position.key_literal = "'position'";
    tracks.level.through.rendered = {position};
    tracks.level.order = {{"(t2.position)", false}, {"id", false}};
    tracks.level.rendered = {column("title")};
    EagerJoinColumn on = join("playlist_id", "id");
    on.child_alias = "t2";
    tracks.level.conditions = {"t2.playlist_id OPERATOR(pg_catalog.=) t0.id"};
    tracks.join = {on};
    tracks.join_count = 1;
    root.relations = {tracks};

    // Its terms rendered (the junction's column, in parentheses, is the one rendered; the key
    // is rendered too): ordered by the executor.
    tracks.level.rendered = {column("title"), column("id")};
    root.relations = {tracks};
    std::vector<Batch> batches = eager_batches(root, true, 0);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($1)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t1.title AS v1, t1.id AS v2, t2.position AS v3 "
              "FROM public.track AS t1 JOIN public.playlist_track AS t2 ON "
              "t1.id OPERATOR(pg_catalog.=) t2.track_id "
              "WHERE t2.playlist_id OPERATOR(pg_catalog.=) k.c1 OFFSET 0) AS s");
    ASSERT_EQ(batches[1].sort_columns.size(), 2u);
    EXPECT_EQ(batches[1].sort_columns[0].column, 3);
    EXPECT_EQ(batches[1].sort_columns[1].column, 2);
    EXPECT_EQ(batches[1].order_column, -1);

    tracks.level.rendered = {column("title")};
    root.relations = {tracks};
    batches = eager_batches(root, true, 0);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[1].sql,
              "SELECT k.n, s.* FROM ROWS FROM (pg_catalog.unnest($1)) WITH ORDINALITY AS k(c1, n) "
              "CROSS JOIN LATERAL (SELECT t1.title AS v1, t2.position AS v2, "
              "pg_catalog.row_number() OVER (ORDER BY (t2.position), t1.id) AS r "
              "FROM public.track AS t1 JOIN public.playlist_track AS t2 ON "
              "t1.id OPERATOR(pg_catalog.=) t2.track_id "
              "WHERE t2.playlist_id OPERATOR(pg_catalog.=) k.c1 "
              "ORDER BY (t2.position), t1.id) AS s");
    // The track's row renders the junction's columns as an object under the junction's key.
    ASSERT_EQ(batches[1].objects.size(), 2u);
    EXPECT_EQ(keys_of(batches[1].objects[0]),
              (std::vector<std::string>{"title", "playlist_track"}));
    EXPECT_EQ(batches[1].objects[0].fields[1].object, 1);
    EXPECT_EQ(batches[1].objects[1].first_column, 2);
    EXPECT_EQ(batches[1].objects[1].present_column, -1);

    // The single statement renders the same.
    EXPECT_TRUE(contains(row_document_sql(root),
                         "'playlist_track', pg_catalog.jsonb_build_object('position', "
                         "t2.position)"));
}

TEST(EagerBatches, AStreamedTopReadsItsRowsInOrder) {
    std::vector<Batch> joined = eager_batches(users_tree(), true, 2);
    // Rows joined into the top statement: the cursor orders by their place.
    EXPECT_EQ(streamed_top_sql(joined[0]),
              "SELECT * FROM (" + joined[0].sql + ") AS q ORDER BY q.r");
    EagerLevel plain;
    plain.table = "public.users";
    plain.alias = "t0";
    plain.order = {{"id", false}};
    plain.rendered = {column("id")};
    std::vector<Batch> alone = eager_batches(plain, true, 0);
    EXPECT_EQ(streamed_top_sql(alone[0]), alone[0].sql);  // it orders itself
}

TEST(EagerBatches, RecursiveLevelsCarryTheirIdentityAndACycleMark) {
    // emp (id, name) with its reports two levels down (one batch each) and its manager (joined).
    EagerLevel root;
    root.table = "public.emp";
    root.alias = "t0";
    root.rendered = {column("name")};
    root.identities = {{1, {"id"}}, {2, {"id"}}};
    EagerRelation second =
        related("reports", EagerShape::kArray, "public.emp", "t2", "name", join("boss", "id"));
    second.level.identities = {{1, {"id"}}};
    second.level.recursion = 1;
    second.level.cycle_mark = "is_cycle";
    EagerRelation first = second;
    first.level.alias = "t1";
    first.level.relations = {second};
    EagerRelation manager =
        related("manager", EagerShape::kObject, "public.emp", "t3", "name", join("id", "boss"));
    manager.level.identities = {{2, {"id"}}};
    manager.level.recursion = 2;
    manager.level.cycle_mark = "seen";
    root.relations = {first, manager};
    std::vector<Batch> batches = eager_batches(root, false, 0);
    ASSERT_EQ(batches.size(), 3u);
    // The top row: its identity is the key its reports join on; the manager is joined.
    const Batch& top = batches[0];
    EXPECT_EQ(top.objects[0].recursion, 0);
    // Its identity on both recursions: the one column, selected once.
    ASSERT_EQ(top.objects[0].identities.size(), 2u);
    EXPECT_EQ(top.objects[0].identities[0].second, top.objects[0].identities[1].second);
    ASSERT_EQ(top.objects.size(), 2u);
    EXPECT_EQ(top.objects[1].recursion, 2);
    EXPECT_EQ(top.objects[1].holder, 0);
    EXPECT_TRUE(contains(top.sql, "t3.id AS v"));  // the manager's identity, selected
    // The reports' levels: members of recursion 1, each with the mark among its keys in
    // jsonb's order; the first level's relation to the next continues the recursion.
    for (int b = 1; b <= 2; b++) {
        const BatchObject& row = batches[b].objects[0];
        EXPECT_EQ(row.recursion, 1);
        EXPECT_EQ(batches[b].parent_object, 0);
        ASSERT_EQ(row.identities.size(), 1u);
        EXPECT_EQ(row.identities[0].first, 1);
        auto mark = std::find_if(row.fields.begin(), row.fields.end(),
                                 [](const BatchField& field) { return field.mark; });
        ASSERT_NE(mark, row.fields.end());
        EXPECT_EQ(mark->key, "is_cycle");
    }
    EXPECT_EQ(keys_of(batches[1].objects[0]),
              (std::vector<std::string>{"name", "reports", "is_cycle"}));
    EXPECT_EQ(batches[1].objects[0].fields[1].recursion, 1);
    // The first level's identity is the key its own reports join on: one column, not two.
    EXPECT_EQ(batches[1].objects[0].identities[0].second[0], batches[2].parent_key_columns[0]);
}

}  // namespace
}  // namespace data_bridge
