#include "data_bridge/core/cascade.hpp"

#include <gtest/gtest.h>

#include "data_bridge/core/error.hpp"

using namespace data_bridge;

namespace {

ForeignKey key(const std::string& name, const std::string& source, const std::string& target,
               FkAction on_delete, std::vector<std::string> columns = {"parent_id"}) {
    ForeignKey fk;
    fk.name = name;
    fk.source = {"public", source};
    fk.target = {"public", target};
    fk.source_columns = std::move(columns);
    fk.target_columns = {"id"};
    fk.on_delete = on_delete;
    return fk;
}

CascadeStep step(const ForeignKey& fk, long rows) {
    CascadeStep out;
    out.key = &fk;
    out.table_name = fk.source.name;
    out.kind = step_kind(fk.on_delete);
    out.rows = rows;
    return out;
}

}  // namespace

TEST(MarkRefusal, RestrictNamedByPostgresBlocks) {
    ForeignKey cascade = key("child_fk", "child", "parent", FkAction::kCascade);
    ForeignKey restrict = key("audit_fk", "audit", "parent", FkAction::kRestrict);
    std::vector<CascadeStep> steps{step(cascade, 2), step(restrict, 1)};
    // ri_ReportViolation names the referencing table, for a delete too.
    EXPECT_TRUE(mark_refusal(steps, {"23503", "audit", "", "audit_fk", ""}));
    EXPECT_FALSE(steps[0].blocks);
    EXPECT_TRUE(steps[1].blocks);
}

TEST(MarkRefusal, PrefersLinesThatActOnRows) {
    // The same key reached along two paths: only the path with rows left blocks.
    ForeignKey restrict = key("audit_fk", "audit", "parent", FkAction::kNoAction);
    std::vector<CascadeStep> steps{step(restrict, 0), step(restrict, 3)};
    EXPECT_TRUE(mark_refusal(steps, {"23503", "audit", "", "audit_fk", ""}));
    EXPECT_FALSE(steps[0].blocks);
    EXPECT_TRUE(steps[1].blocks);
    // When no line acts on rows (the rows were deleted anyway), every matching line is marked.
    std::vector<CascadeStep> none{step(restrict, 0)};
    EXPECT_TRUE(mark_refusal(none, {"23503", "audit", "", "audit_fk", ""}));
    EXPECT_TRUE(none[0].blocks);
}

TEST(MarkRefusal, UnnamedRefusalMarksEveryRemainingReference) {
    ForeignKey cascade = key("child_fk", "child", "parent", FkAction::kCascade);
    ForeignKey restrict = key("audit_fk", "audit", "parent", FkAction::kRestrict);
    ForeignKey no_action = key("log_fk", "log", "parent", FkAction::kNoAction);
    ForeignKey deferred = key("late_fk", "late", "parent", FkAction::kNoAction);
    deferred.initially_deferred = true;
    std::vector<CascadeStep> steps{step(cascade, 2), step(restrict, 1), step(no_action, 0),
                                   step(no_action, 4), step(deferred, 5)};
    EXPECT_TRUE(mark_unnamed_refusal(steps));
    std::vector<bool> blocks;
    for (const CascadeStep& line : steps)
        blocks.push_back(line.blocks);
    // The cascade acts, a line without rows left and a deferred check (at commit) do not refuse.
    EXPECT_EQ(blocks, (std::vector<bool>{false, true, false, true, false}));
    std::vector<CascadeStep> none{step(cascade, 2), step(no_action, 0)};
    EXPECT_FALSE(mark_unnamed_refusal(none));
}

TEST(MarkRefusal, UnnamedRefusalWithNoReferenceLeftMarksKeysThatFoundRows) {
    // A check that ran before the cascade deleted the rows it found: no reference is left, but
    // the keys that found rows are the candidates.
    ForeignKey cascade = key("child_fk", "child", "parent", FkAction::kCascade);
    ForeignKey no_action = key("log_fk", "log", "parent", FkAction::kNoAction);
    ForeignKey quiet = key("quiet_fk", "quiet", "parent", FkAction::kNoAction);
    std::vector<CascadeStep> steps{step(cascade, 2), step(no_action, 0), step(quiet, 0)};
    steps[1].matched.push_back(RowId{7, 0, 1});
    EXPECT_TRUE(mark_unnamed_refusal(steps));
    EXPECT_FALSE(steps[0].blocks);
    EXPECT_TRUE(steps[1].blocks);
    EXPECT_FALSE(steps[2].blocks);
}

TEST(MarkRefusal, AShardsRefusalNamesItsLogicalTableAndKey) {
    auto logical = without_shard_suffix({"23503", "mc_102810", "", "mc_a_102810", "public"});
    ASSERT_TRUE(logical.has_value());
    EXPECT_EQ(logical->table, "mc");
    EXPECT_EQ(logical->constraint, "mc_a");
    EXPECT_EQ(logical->schema, "public");
    // Another shard id, no suffix, or a name that is all suffix: not a shard's refusal.
    EXPECT_FALSE(without_shard_suffix({"23503", "mc_102810", "", "mc_a_102811", ""}));
    EXPECT_FALSE(without_shard_suffix({"23503", "mc", "", "mc_a", ""}));
    EXPECT_FALSE(without_shard_suffix({"23503", "mc_1", "", "_1", ""}));
    EXPECT_FALSE(without_shard_suffix({"23503", "mc_1x", "", "mc_a_1x", ""}));
}

TEST(MarkRefusal, SameNameElsewhereDoesNotBlock) {
    // Two keys named alike: a RESTRICT from audit into parent, and a SET DEFAULT from notes into
    // audit, or another schema's audit key of the same name. PostgreSQL's refusal names the
    // RESTRICT's referencing table, with its schema.
    ForeignKey restrict = key("fk", "audit", "parent", FkAction::kRestrict);
    ForeignKey set_default = key("fk", "notes", "audit", FkAction::kSetDefault);
    ForeignKey elsewhere = key("fk", "audit", "parent", FkAction::kRestrict);
    elsewhere.source.schema = elsewhere.target.schema = "other";
    std::vector<CascadeStep> steps{step(restrict, 1), step(set_default, 1), step(elsewhere, 1)};
    EXPECT_TRUE(mark_refusal(steps, {"23503", "audit", "", "fk", "public"}));
    EXPECT_TRUE(steps[0].blocks);
    EXPECT_FALSE(steps[1].blocks);
    EXPECT_FALSE(steps[2].blocks);
}

TEST(MarkRefusal, SetNullOfAMatchFullKey) {
    // SET NULL of some columns of a MATCH FULL key: the updated row's check refuses it.
    ForeignKey set_null = key("k_fk", "k", "a", FkAction::kSetNull, {"x", "y"});
    set_null.on_delete_set_columns = {"x"};
    std::vector<CascadeStep> steps{step(set_null, 1)};
    EXPECT_TRUE(mark_refusal(steps, {"23503", "k", "", "k_fk", ""}));
    EXPECT_TRUE(steps[0].blocks);
}

TEST(MarkRefusal, SetDefaultToMissingKey) {
    ForeignKey set_default = key("d_fk", "d", "parent", FkAction::kSetDefault);
    std::vector<CascadeStep> steps{step(set_default, 1)};
    EXPECT_TRUE(mark_refusal(steps, {"23503", "d", "", "d_fk", ""}));
    EXPECT_TRUE(steps[0].blocks);
}

TEST(MarkRefusal, NotNullNamesTableAndColumn) {
    ForeignKey set_null = key("n_fk", "n", "parent", FkAction::kSetNull, {"p"});
    ForeignKey other = key("m_fk", "m", "parent", FkAction::kSetNull, {"p"});
    std::vector<CascadeStep> steps{step(other, 1), step(set_null, 1)};
    EXPECT_TRUE(mark_refusal(steps, {"23502", "n", "p", "", ""}));
    EXPECT_FALSE(steps[0].blocks);
    EXPECT_TRUE(steps[1].blocks);
    // SET NULL (col) lists only some columns.
    ForeignKey partial = key("q_fk", "q", "parent", FkAction::kSetNull, {"a", "b"});
    partial.on_delete_set_columns = {"b"};
    std::vector<CascadeStep> only_b{step(partial, 1)};
    EXPECT_FALSE(mark_refusal(only_b, {"23502", "q", "a", "", ""}));
    EXPECT_TRUE(mark_refusal(only_b, {"23502", "q", "b", "", ""}));
}

TEST(MarkRefusal, OtherFailuresMatchNoLine) {
    ForeignKey restrict = key("audit_fk", "audit", "parent", FkAction::kRestrict);
    std::vector<CascadeStep> steps{step(restrict, 1)};
    EXPECT_FALSE(mark_refusal(steps, {"P0001", "", "", "", ""}));  // a trigger's RAISE
    EXPECT_FALSE(mark_refusal(steps, {"42501", "audit", "", "", ""}));
    EXPECT_FALSE(mark_refusal(steps, {"23503", "audit", "", "another_fk", ""}));
    EXPECT_FALSE(steps[0].blocks);
}

TEST(CascadeLedger, SettleTrialCountsWhatWent) {
    ForeignKey cascade = key("child_fk", "child", "parent", FkAction::kCascade);
    ForeignKey set_null = key("note_fk", "note", "parent", FkAction::kSetNull);
    RowId a{1, 0, 1}, b{1, 0, 2}, c{2, 0, 1}, d{2, 0, 2};
    CascadeLedger ledger;
    ledger.add_deleted(a, 1);
    ledger.add_deleted(b, 1);
    CascadeStep deleting = step(cascade, 2);
    deleting.matched = {a, b};
    CascadeStep nulling = step(set_null, 2);
    nulling.matched = {c, d};
    std::vector<CascadeStep> steps{deleting, nulling};
    // A trigger kept row b (or updated it instead); row d was not updated (its parent stayed).
    ledger.settle_trial(steps, {a}, {b, c});
    EXPECT_EQ(steps[0].rows, 1);
    EXPECT_EQ(steps[1].rows, 1);
    ledger.settle_trial(steps, {a, b}, {c, d});
    EXPECT_EQ(steps[0].rows, 2);
    EXPECT_EQ(steps[1].rows, 2);
}

TEST(CascadeClosure, FollowsCascadingKeysThroughPartitions) {
    // users(1) <- posts(2, partitioned: 20, 21) <- comments(3) [cascade]; audit(4) RESTRICT;
    // likes(5) references partition 21 directly, cascading.
    auto fk = [](ConstraintId id, RelationId source, RelationId target, FkAction action) {
        ForeignKey key;
        key.id = id;
        key.name = "k" + std::to_string(id);
        key.source_relid = source;
        key.target_relid = target;
        key.source = {"public", "s" + std::to_string(source)};
        key.target = {"public", "t" + std::to_string(target)};
        key.on_delete = action;
        return key;
    };
    FkGraph graph({fk(1, 2, 1, FkAction::kCascade), fk(2, 3, 2, FkAction::kCascade),
                   fk(3, 4, 1, FkAction::kRestrict), fk(4, 5, 21, FkAction::kCascade),
                   fk(5, 1, 3, FkAction::kCascade)});  // a cycle back to users
    auto family = [](RelationId table) {
        TableFamily out;
        out.members.push_back(table);
        if (table == 2) {
            out.members.push_back(20);
            out.members.push_back(21);
        }
        return out;
    };
    std::vector<ReachedTable> reached = cascade_closure(graph, 1, family);
    std::vector<RelationId> tables;
    for (const auto& entry : reached)
        tables.push_back(entry.table);
    EXPECT_EQ(tables, (std::vector<RelationId>{1, 2, 3, 5}));
    EXPECT_EQ(reached[1].members, (std::vector<RelationId>{2, 20, 21}));
}

namespace {

ForeignKey tenant_key(ConstraintId id, RelationId source, RelationId target, FkAction action,
                      std::vector<std::string> source_columns,
                      std::vector<std::string> target_columns) {
    ForeignKey key;
    key.id = id;
    key.name = "k" + std::to_string(id);
    key.source_relid = source;
    key.target_relid = target;
    key.source = {"public", "t" + std::to_string(source)};
    key.target = {"public", "t" + std::to_string(target)};
    key.source_columns = std::move(source_columns);
    key.target_columns = std::move(target_columns);
    key.on_delete = action;
    return key;
}

// users(1) <- posts(2) <- comments(3), all by tenant_id in group 7; comments.user_id -> users is
// NO ACTION; categories(9) is a reference table.
TablePlacement placement(RelationId table) {
    TablePlacement out;
    out.name = "t" + std::to_string(table);
    out.managed = true;
    if (table != 9) {
        out.distribution_column = "tenant_id";
        out.colocation = table == 8 ? 8 : 7;
    }
    return out;
}

std::string tenant_refusal(const FkGraph& graph, RelationId root) {
    try {
        tenant_cascade_keys(graph, root, placement);
    } catch (const Error& error) {
        EXPECT_EQ(error.code(), sqlstate::kFeatureNotSupported);
        return error.what();
    }
    return "";
}

}  // namespace

TEST(TenantCascade, FollowsCascadingKeysThatKeepTheTenant) {
    FkGraph graph(
        {tenant_key(1, 2, 1, FkAction::kCascade, {"tenant_id", "user_id"}, {"tenant_id", "id"}),
         tenant_key(2, 3, 2, FkAction::kCascade, {"tenant_id", "post_id"}, {"tenant_id", "id"}),
         tenant_key(3, 3, 1, FkAction::kNoAction, {"tenant_id", "user_id"}, {"tenant_id", "id"}),
         // a self-reference and a cycle are followed once each
         tenant_key(4, 3, 3, FkAction::kCascade, {"tenant_id", "parent_id"}, {"tenant_id", "id"}),
         tenant_key(5, 2, 9, FkAction::kCascade, {"category_id"}, {"id"})});
    std::vector<std::string> names;
    for (const ForeignKey* key : tenant_cascade_keys(graph, 1, placement))
        names.push_back(key->name);
    EXPECT_EQ(names, (std::vector<std::string>{"k1", "k2", "k4"}));
}

TEST(TenantCascade, RefusesWhatLeavesTheTenant) {
    // A reference table's rows are referenced from every tenant.
    FkGraph reference({tenant_key(5, 2, 9, FkAction::kCascade, {"category_id"}, {"id"})});
    EXPECT_NE(tenant_refusal(reference, 9).find("not hash-distributed by a column"),
              std::string::npos);
    // A key on other columns than the distribution columns.
    FkGraph off_column({tenant_key(1, 2, 1, FkAction::kCascade, {"user_id"}, {"id"})});
    EXPECT_NE(tenant_refusal(off_column, 1).find("\"k1\" does not join"), std::string::npos);
    // Distribution columns at different positions do not pair.
    FkGraph crossed(
        {tenant_key(1, 2, 1, FkAction::kCascade, {"tenant_id", "user_id"}, {"id", "tenant_id"})});
    EXPECT_NE(tenant_refusal(crossed, 1).find("does not join"), std::string::npos);
    // Another co-location group, deeper down.
    FkGraph other_group(
        {tenant_key(1, 2, 1, FkAction::kCascade, {"tenant_id", "user_id"}, {"tenant_id", "id"}),
         tenant_key(2, 8, 2, FkAction::kCascade, {"tenant_id", "post_id"}, {"tenant_id", "id"})});
    EXPECT_NE(tenant_refusal(other_group, 1).find("reaches \"t8\", which is not co-located"),
              std::string::npos);
    // A NO ACTION key from elsewhere is PostgreSQL's to check: not followed, not refused.
    FkGraph restricting({tenant_key(1, 2, 1, FkAction::kNoAction, {"user_id"}, {"id"})});
    EXPECT_TRUE(tenant_cascade_keys(restricting, 1, placement).empty());
}
