#include "data_bridge/core/cascade_sql.hpp"

#include <gtest/gtest.h>

using namespace data_bridge;

TEST(CascadeSql, WalkRows) {
    EXPECT_EQ(walk_rows_sql({"public.posts", false}, "c", {"id", "\"Key\""}, "c.x = 1"),
              "SELECT c.tableoid, c.ctid, c.id, c.\"Key\" FROM ONLY public.posts AS c WHERE "
              "c.x = 1");
    EXPECT_EQ(walk_rows_sql({"public.events", true}, "t", {}, "true"),
              "SELECT t.tableoid, t.ctid FROM public.events AS t WHERE true");
}

TEST(CascadeSql, RootKeysAndDelete) {
    EXPECT_EQ(root_keys_sql("public.users", {"id"}, "t.id OPERATOR(pg_catalog.=) $1"),
              "SELECT t.id FROM public.users AS t WHERE t.id OPERATOR(pg_catalog.=) $1");
    EXPECT_EQ(delete_rows_sql("s.\"T\"",
                              {{"a", "OPERATOR(pg_catalog.=)", "$1"},
                               {"b", "OPERATOR(pg_catalog.=)", "CAST($2 AS pg_catalog.uuid)"}}),
              "DELETE FROM s.\"T\" AS t WHERE t.a OPERATOR(pg_catalog.=) $1 AND t.b "
              "OPERATOR(pg_catalog.=) CAST($2 AS pg_catalog.uuid)");
    EXPECT_EQ(surviving_rows_sql("public.p_1"),
              "SELECT t.tableoid, t.ctid FROM ONLY public.p_1 AS t WHERE t.ctid "
              "OPERATOR(pg_catalog.=) ANY ($1)");
}

TEST(CascadeSql, ReferencingConditionOneColumn) {
    EXPECT_EQ(
        referencing_condition({{"user_id", "OPERATOR(pg_catalog.=)", "pg_catalog.int4", "$1"}}),
        "c.user_id OPERATOR(pg_catalog.=) ANY (CAST($1 AS pg_catalog.int4[]))");
}

TEST(CascadeSql, ReferencingConditionCompositeKey) {
    EXPECT_EQ(referencing_condition({{"tenant", "OPERATOR(pg_catalog.=)", "pg_catalog.uuid", "$1"},
                                     {"no", "OPERATOR(pg_catalog.=)", "pg_catalog.int8", "$2"}}),
              "EXISTS (SELECT 1 FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS "
              "k(v1, v2) WHERE c.tenant OPERATOR(pg_catalog.=) CAST(k.v1 AS pg_catalog.uuid) AND "
              "c.no OPERATOR(pg_catalog.=) CAST(k.v2 AS pg_catalog.int8))");
}

TEST(CascadeSql, ReferencingConditionKeyOfARowType) {
    // unnest() in FROM would expand the row type's fields into columns of their own.
    ReferencingColumn pair{"p", "OPERATOR(pg_catalog.=)", "", "$2"};
    pair.row_value = true;
    EXPECT_EQ(referencing_condition({{"t", "OPERATOR(pg_catalog.=)", "", "$1"}, pair}),
              "EXISTS (SELECT 1 FROM (SELECT pg_catalog.unnest($1) AS v1, pg_catalog.unnest($2) "
              "AS v2) AS k WHERE c.t OPERATOR(pg_catalog.=) k.v1 AND c.p OPERATOR(pg_catalog.=) "
              "k.v2)");
}

TEST(CascadeSql, ClosureFollowsTheSelfReference) {
    std::string sql = closure_rows_sql({"public.nodes", false}, {"id"},
                                       {{"parent_id", "OPERATOR(pg_catalog.=)", 1, ""}}, "COND");
    EXPECT_EQ(sql,
              "WITH RECURSIVE reached(t_oid, t_ctid, v1) AS (SELECT c.tableoid, c.ctid, c.id FROM "
              "ONLY public.nodes AS c WHERE COND UNION SELECT n.* FROM reached AS r CROSS JOIN "
              "LATERAL (SELECT c.tableoid, c.ctid, c.id FROM ONLY public.nodes AS c WHERE "
              "c.parent_id OPERATOR(pg_catalog.=) r.v1 OFFSET 0) AS n) SELECT * FROM reached");
}

#include "data_bridge/core/eager_sql.hpp"
#include "data_bridge/core/fk_setup.hpp"
#include "data_bridge/core/row_queries.hpp"

TEST(SqlText, ValuesConvertedOrAsTheyAre) {
    EXPECT_EQ(value_sql("$1", ""), "$1");
    EXPECT_EQ(value_sql("$1", "pg_catalog.int4"), "CAST($1 AS pg_catalog.int4)");
    EXPECT_EQ(any_value_sql("$2", ""), "ANY ($2)");
    EXPECT_EQ(any_value_sql("$2", "pg_catalog.uuid"), "ANY (CAST($2 AS pg_catalog.uuid[]))");
    EXPECT_EQ(where_sql({}), "");
    EXPECT_EQ(where_sql({"a", "b"}), " WHERE a AND b");
}

TEST(SqlText, EagerJoinsAndExists) {
    EagerJoinColumn join;
    join.child_column = "author_id";
    join.equals = "OPERATOR(pg_catalog.=)";
    join.parent_column = "id";
    EXPECT_EQ(join_condition_sql("t1", join, "t0"), "t1.author_id OPERATOR(pg_catalog.=) t0.id");
    EagerLevel level;
    level.table = "public.posts";
    level.alias = "t1";
    level.conditions = {"c1", "c2"};
    EXPECT_EQ(exists_sql(level), "EXISTS (SELECT 1 FROM public.posts AS t1 WHERE c1 AND c2)");
}

TEST(SqlText, SetupAndWrites) {
    EXPECT_EQ(set_not_null_sql("public.t", "\"Col\"", true),
              "ALTER TABLE public.t ALTER COLUMN \"Col\" SET NOT NULL");
    EXPECT_EQ(set_not_null_sql("public.t", "c", false),
              "ALTER TABLE public.t ALTER COLUMN c DROP NOT NULL");
    // Only the objects that give the column, over the base record $3.
    EXPECT_EQ(convert_column_sql("c"),
              "SELECT pg_catalog.count(r.c) FROM pg_catalog.jsonb_array_elements($1) AS e(doc) "
              "CROSS JOIN LATERAL pg_catalog.jsonb_populate_record($3, "
              "pg_catalog.jsonb_build_object($2, e.doc OPERATOR(pg_catalog.->) $2)) AS r WHERE "
              "e.doc OPERATOR(pg_catalog.?) $2");
}

TEST(CascadeSql, KeysOfAnotherTypeComparedAsTheyAre) {
    // An integer foreign key to a numeric key: pg_catalog's = across the types, no cast.
    EXPECT_EQ(referencing_condition({{"p", "OPERATOR(pg_catalog.=)", "", "$1"}}),
              "c.p OPERATOR(pg_catalog.=) ANY ($1)");
    EXPECT_EQ(closure_rows_sql({"public.n", false}, {"id"},
                               {{"parent", "OPERATOR(pg_catalog.=)", 1, "public.my_type"}}, "X")
                      .find("c.parent OPERATOR(pg_catalog.=) CAST(r.v1 AS public.my_type)") !=
                  std::string::npos,
              true);
}

TEST(CascadeSql, TenantCascadeStatements) {
    EXPECT_EQ(distinct_values_sql("public.tenants", "\"Tenant\"", "t.id OPERATOR(pg_catalog.=) $1"),
              "SELECT DISTINCT t.\"Tenant\" FROM public.tenants AS t WHERE t.id "
              "OPERATOR(pg_catalog.=) $1");
    std::string tenant = "t.org_id OPERATOR(pg_catalog.=) $2";
    EXPECT_EQ(worker_deletes_sql("public.orgs", tenant, "$3"),
              "SELECT data_bridge_internal._transaction_deleted_rows($3) AS deleted, "
              "pg_catalog.pg_backend_pid() AS backend, pg_catalog.count(*) AS present FROM "
              "(SELECT FROM public.orgs AS t WHERE t.org_id OPERATOR(pg_catalog.=) $2 LIMIT 1) "
              "AS s");
    EXPECT_EQ(
        delete_returning_tenants_sql("public.orgs", {{"id", "OPERATOR(pg_catalog.=)", "$1"}}, "id"),
        "DELETE FROM public.orgs AS t WHERE t.id OPERATOR(pg_catalog.=) $1 RETURNING t.id");
    // The counts are read before the DELETE, in the same statement (one trip to the worker).
    std::string both = counted_tenant_delete_sql(
        "public.orgs", {{"id", "OPERATOR(pg_catalog.=)", "$1"}}, tenant, "$3");
    EXPECT_EQ(both, "WITH before AS MATERIALIZED (" +
                        worker_deletes_sql("public.orgs", tenant, "$3") +
                        "), gone AS (DELETE FROM public.orgs AS t WHERE t.id "
                        "OPERATOR(pg_catalog.=) $1 RETURNING 1) SELECT b.deleted, b.backend, "
                        "(SELECT pg_catalog.count(*) FROM gone) AS roots FROM before AS b");
    EXPECT_EQ(surviving_rows_where_sql("public.posts", "t.tenant_id OPERATOR(pg_catalog.=) $2"),
              "SELECT t.tableoid, t.ctid FROM public.posts AS t WHERE t.ctid "
              "OPERATOR(pg_catalog.=) ANY ($1) AND t.tenant_id OPERATOR(pg_catalog.=) $2");
}
