#include "data_bridge/core/foreign_key.hpp"

#include <gtest/gtest.h>

#include "data_bridge/core/error.hpp"

using namespace data_bridge;

TEST(ForeignKeyActions, DecodesEveryCatalogCode) {
    EXPECT_EQ(fk_action_from_code('a'), FkAction::kNoAction);
    EXPECT_EQ(fk_action_from_code('r'), FkAction::kRestrict);
    EXPECT_EQ(fk_action_from_code('c'), FkAction::kCascade);
    EXPECT_EQ(fk_action_from_code('n'), FkAction::kSetNull);
    EXPECT_EQ(fk_action_from_code('d'), FkAction::kSetDefault);
}

TEST(ForeignKeyActions, RejectsUnknownCode) {
    try {
        fk_action_from_code('x');
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "XX000");
    }
}

TEST(ForeignKeyActions, SpellsSqlWords) {
    EXPECT_STREQ(fk_action_sql(FkAction::kNoAction), "NO ACTION");
    EXPECT_STREQ(fk_action_sql(FkAction::kRestrict), "RESTRICT");
    EXPECT_STREQ(fk_action_sql(FkAction::kCascade), "CASCADE");
    EXPECT_STREQ(fk_action_sql(FkAction::kSetNull), "SET NULL");
    EXPECT_STREQ(fk_action_sql(FkAction::kSetDefault), "SET DEFAULT");
}

TEST(ForeignKeyActions, ParsesWordsCaseAndSpaceInsensitively) {
    EXPECT_EQ(fk_action_from_sql("cascade", "on_delete"), FkAction::kCascade);
    EXPECT_EQ(fk_action_from_sql("  Set   Null ", "on_delete"), FkAction::kSetNull);
    EXPECT_EQ(fk_action_from_sql("no\taction", "on_delete"), FkAction::kNoAction);
    EXPECT_EQ(fk_action_from_sql("SET DEFAULT", "on_delete"), FkAction::kSetDefault);
}

TEST(ForeignKeyActions, UnknownWordNamesTheParameter) {
    try {
        fk_action_from_sql("DELETE", "on_update");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "22023");
        EXPECT_NE(std::string(e.what()).find("on_update"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("\"DELETE\""), std::string::npos);
        EXPECT_FALSE(e.hint().empty());
    }
}

TEST(ForeignKeyMatch, DecodesAndSpells) {
    EXPECT_STREQ(fk_match_sql(fk_match_from_code('s')), "SIMPLE");
    EXPECT_STREQ(fk_match_sql(fk_match_from_code('f')), "FULL");
    EXPECT_STREQ(fk_match_sql(fk_match_from_code('p')), "PARTIAL");
    EXPECT_THROW(fk_match_from_code('?'), Error);
}

TEST(JoinedColumns, OneOrMany) {
    EXPECT_EQ(joined_columns({}), "");
    EXPECT_EQ(joined_columns({"user_id"}), "user_id");
    EXPECT_EQ(joined_columns({"order_id", "line_no"}), "order_id, line_no");
}
