#include "data_bridge/core/fk_setup.hpp"

#include <gtest/gtest.h>

#include "data_bridge/core/error.hpp"

using namespace data_bridge;

namespace {
using Parts = std::vector<std::string>;

std::string target_error(const std::string& text) {
    try {
        parse_target(text);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos);
        return e.detail();
    }
    ADD_FAILURE() << "no error for " << text;
    return {};
}
}  // namespace

TEST(ParseTarget, TableAlone) {
    TargetRef ref = parse_target("users");
    EXPECT_EQ(ref.name_parts, Parts{"users"});
    EXPECT_FALSE(ref.has_column_list);
}

TEST(ParseTarget, DottedNamesFoldCase) {
    EXPECT_EQ(parse_target("Users.ID").name_parts, (Parts{"users", "id"}));
    EXPECT_EQ(parse_target(" app . users . id ").name_parts, (Parts{"app", "users", "id"}));
}

TEST(ParseTarget, QuotedIdentifiersKeepCaseDotsAndQuotes) {
    EXPECT_EQ(parse_target("\"My Schema\".\"Users.v2\"").name_parts,
              (Parts{"My Schema", "Users.v2"}));
    EXPECT_EQ(parse_target("\"say \"\"hi\"\"\"").name_parts, Parts{"say \"hi\""});
}

TEST(ParseTarget, ColumnList) {
    TargetRef ref = parse_target("shop.orders(tenant_id, \"Order No\")");
    EXPECT_EQ(ref.name_parts, (Parts{"shop", "orders"}));
    EXPECT_TRUE(ref.has_column_list);
    EXPECT_EQ(ref.columns, (Parts{"tenant_id", "Order No"}));
}

TEST(ParseTarget, EmptyColumnListMeansTheKey) {
    TargetRef ref = parse_target("orders()");
    EXPECT_TRUE(ref.has_column_list);
    EXPECT_TRUE(ref.columns.empty());
}

TEST(ParseTarget, RejectsMalformedTargets) {
    EXPECT_NE(target_error("").find("empty"), std::string::npos);
    EXPECT_NE(target_error("   ").find("empty"), std::string::npos);
    EXPECT_NE(target_error("users(id").find("not closed"), std::string::npos);
    EXPECT_NE(target_error("a.b.c.d").find("three"), std::string::npos);
    EXPECT_NE(target_error("a.b.c(id)").find("column list"), std::string::npos);
    EXPECT_NE(target_error("users.").find("missing"), std::string::npos);
    EXPECT_NE(target_error("\"users").find("not closed"), std::string::npos);
    EXPECT_NE(target_error("\"\"").find("empty"), std::string::npos);
    EXPECT_NE(target_error("users id").find("after the target"), std::string::npos);
    EXPECT_NE(target_error("users(a,)").find("missing"), std::string::npos);
}

TEST(FkSetupSql, AddConstraint) {
    ForeignKeyDdl ddl;
    ddl.source_table = "public.posts";
    ddl.constraint_name = "posts_author_id_fkey";
    ddl.source_columns = {"author_id"};
    ddl.target_table = "public.users";
    ddl.target_columns = {"id"};
    ddl.on_delete = FkAction::kCascade;
    ddl.on_update = FkAction::kSetNull;
    EXPECT_EQ(add_constraint_sql(ddl),
              "ALTER TABLE public.posts ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY "
              "(author_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE SET NULL");
}

TEST(FkSetupSql, CreateIndexKeepsColumnOrder) {
    EXPECT_EQ(create_index_sql("\"Shop\".lines", {"tenant", "\"Order No\""}),
              "CREATE INDEX ON \"Shop\".lines (tenant, \"Order No\")");
}

TEST(UnindexedKeys, FiltersAndOrders) {
    auto key = [](const char* name, const char* schema, const char* table, bool indexed) {
        ForeignKey fk;
        fk.name = name;
        fk.source = {schema, table};
        fk.indexed = indexed;
        return fk;
    };
    FkGraph graph({key("z_fkey", "public", "b", false), key("a_fkey", "public", "b", false),
                   key("x_fkey", "public", "a", true), key("y_fkey", "other", "c", false)});
    auto all = unindexed_keys(graph, std::nullopt);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0]->name, "y_fkey");
    EXPECT_EQ(all[1]->name, "a_fkey");
    EXPECT_EQ(all[2]->name, "z_fkey");
    EXPECT_EQ(unindexed_keys(graph, std::string("other")).size(), 1u);
    EXPECT_TRUE(unindexed_keys(graph, std::string("none")).empty());
}
