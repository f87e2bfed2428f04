#include "data_bridge/core/page.hpp"

#include <gtest/gtest.h>

#include "json_builders.hpp"

#include "data_bridge/core/error.hpp"

using namespace data_bridge;
using namespace data_bridge::test;

TEST(Page, TheOrderEndsWithThePrimaryKeyAndTurnsRound) {
    std::vector<OrderTerm> order = page_order({{"made", true}, {"id", true}}, {"tenant", "id"});
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[1].column, "id");
    EXPECT_TRUE(order[1].descending);  // named: kept as given
    EXPECT_EQ(order[2].column, "tenant");
    EXPECT_FALSE(order[2].descending);
    std::vector<OrderTerm> reversed = reversed_order(order);
    EXPECT_FALSE(reversed[0].descending);
    EXPECT_TRUE(reversed[2].descending);
    EXPECT_THROW(page_order({}, {}), Error);
}

TEST(Page, ColumnsACursorNeedsAreReadAndTakenOffAgain) {
    std::vector<OrderTerm> order = {{"made", false}, {"id", false}};
    std::vector<std::string> added;
    EXPECT_EQ(page_columns({"kind", "id"}, order, added),
              (std::vector<std::string>{"kind", "id", "made"}));
    EXPECT_EQ(added, (std::vector<std::string>{"made"}));
    JsonValue row = obj({{"id", num("7")}, {"kind", str("k")}, {"made", str("2026-01-02")}});
    JsonValue values = order_values(row, order);
    ASSERT_EQ(values.members.size(), 2u);
    EXPECT_EQ(values.members[0].first, "made");
    EXPECT_EQ(values.members[1].second.text, "7");
    drop_keys(row, added);
    EXPECT_EQ(row.find("made"), nullptr);
    EXPECT_NE(row.find("kind"), nullptr);
}

TEST(Page, ACursorIsReadUnderTheSettingsItsTextWasWrittenUnder) {
    const std::string postgres = " IntervalStyle=postgres lc_monetary=C";
    EXPECT_TRUE(cursor_readable_under(postgres + "|", postgres, " DateStyle=ISO, MDY"));
    EXPECT_FALSE(
        cursor_readable_under(postgres + "|", " IntervalStyle=sql_standard lc_monetary=C", ""));
    EXPECT_FALSE(
        cursor_readable_under(postgres + "|", " IntervalStyle=postgres lc_monetary=de_DE", ""));
    // ISO 8601 intervals read back under every style; the rest must still match.
    const std::string iso = " IntervalStyle=iso_8601 lc_monetary=C";
    EXPECT_TRUE(cursor_readable_under(iso + "|", postgres, ""));
    EXPECT_TRUE(
        cursor_readable_under(" IntervalStyle=iso_8601|", " IntervalStyle=sql_standard", ""));
    EXPECT_FALSE(cursor_readable_under(iso + "|", " IntervalStyle=postgres lc_monetary=de_DE", ""));
    EXPECT_FALSE(cursor_readable_under(postgres + "|", iso, ""));
    // Dates written under ISO read under any DateStyle; others only under their own.
    EXPECT_TRUE(cursor_readable_under("| DateStyle=SQL, DMY TimeZone=UTC", "",
                                      " DateStyle=SQL, DMY TimeZone=UTC"));
    EXPECT_FALSE(cursor_readable_under("| DateStyle=SQL, DMY TimeZone=UTC", "",
                                       " DateStyle=German, DMY TimeZone=UTC"));
    EXPECT_FALSE(cursor_readable_under("no bar", "", ""));
}
