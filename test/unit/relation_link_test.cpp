#include "data_bridge/core/relation_link.hpp"

#include <gtest/gtest.h>

#include <map>

#include "data_bridge/core/error.hpp"

using namespace data_bridge;

namespace {

// Tables 1 playlist (id), 2 track (id), 3 playlist_track, 4 follows (users 5 to themselves),
// 6 tenant_link (a composite key to 7 docs (tenant, id)).
class Facts final : public TableFacts {
  public:
    bool has_column(RelationId table, const std::string& column) const override {
        auto found = columns_.find(table);
        if (found == columns_.end())
            return false;
        for (const auto& name : found->second) {
            if (name == column)
                return true;
        }
        return false;
    }
    std::vector<std::string> primary_key(RelationId table) const override {
        if (table == 7)
            return {"tenant", "id"};
        return {"id"};
    }
    std::string name(RelationId table) const override { return "t" + std::to_string(table); }

  private:
    std::map<RelationId, std::vector<std::string>> columns_{
        {3, {"playlist_id", "track_id", "position"}},
        {4, {"follower", "followee"}},
        {6, {"tenant", "doc_id", "other_doc_id"}},
        {8, {"a", "b"}}};
};

ForeignKey key(ConstraintId id, const char* name, RelationId source,
               std::vector<std::string> source_columns, RelationId target,
               std::vector<std::string> target_columns) {
    ForeignKey fk;
    fk.id = id;
    fk.name = name;
    fk.source_relid = source;
    fk.source = {"public", "s" + std::to_string(source)};
    fk.source_columns = std::move(source_columns);
    fk.target_relid = target;
    fk.target = {"public", "s" + std::to_string(target)};
    fk.target_columns = std::move(target_columns);
    return fk;
}

FkGraph& graph() {
    static FkGraph graph(
        {key(10, "pt_playlist", 3, {"playlist_id"}, 1, {"id"}),
         key(11, "pt_track", 3, {"track_id"}, 2, {"id"}),
         key(12, "follows_follower", 4, {"follower"}, 5, {"id"}),
         key(13, "follows_followee", 4, {"followee"}, 5, {"id"}),
         key(14, "link_doc", 6, {"tenant", "doc_id"}, 7, {"tenant", "id"}),
         key(15, "link_other", 6, {"tenant", "other_doc_id"}, 7, {"tenant", "id"})});
    return graph;
}

RelationSpec through(const std::string& table, std::vector<std::string> source = {},
                     std::vector<std::string> target = {}) {
    RelationSpec spec;
    spec.path = "relations[0]";
    spec.through = ThroughSpec{table, std::move(source), std::move(target), {}, {}};
    return spec;
}

std::string link_error(RelationId parent, RelationId junction, RelationId child,
                       const RelationSpec& spec, std::string* code = nullptr) {
    try {
        link_through(graph(), Facts(), parent, junction, child, spec);
    } catch (const Error& e) {
        if (code != nullptr)
            *code = e.code();
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST(LinkThrough, InfersTheJunctionsTwoKeys) {
    ThroughLink link = link_through(graph(), Facts(), 1, 3, 2, through("pt"));
    EXPECT_EQ(link.source.parent_columns, (std::vector<std::string>{"id"}));
    EXPECT_EQ(link.source.child_columns, (std::vector<std::string>{"playlist_id"}));
    EXPECT_EQ(link.target.parent_columns, (std::vector<std::string>{"track_id"}));
    EXPECT_EQ(link.target.child_columns, (std::vector<std::string>{"id"}));
    // The other way round: tracks with their playlists.
    ThroughLink back = link_through(graph(), Facts(), 2, 3, 1, through("pt"));
    EXPECT_EQ(back.source.child_columns, (std::vector<std::string>{"track_id"}));
    EXPECT_EQ(back.target.parent_columns, (std::vector<std::string>{"playlist_id"}));
}

TEST(LinkThrough, ASelfReferencingJunctionNeedsOneKeyNamed) {
    std::string code;
    EXPECT_EQ(link_error(5, 4, 5, through("follows"), &code),
              "relations[0].through: the junction \"t4\" links \"t5\" to itself; its keys cannot "
              "be told apart");
    EXPECT_EQ(code, "42702");
    ThroughLink following = link_through(graph(), Facts(), 5, 4, 5, through("f", {"follower"}));
    EXPECT_EQ(following.source.child_columns, (std::vector<std::string>{"follower"}));
    EXPECT_EQ(following.target.parent_columns, (std::vector<std::string>{"followee"}));
    ThroughLink followers =
        link_through(graph(), Facts(), 5, 4, 5, through("f", {}, {"follows_follower"}));
    EXPECT_EQ(followers.source.child_columns, (std::vector<std::string>{"followee"}));
    EXPECT_EQ(followers.target.parent_columns, (std::vector<std::string>{"follower"}));
}

TEST(LinkThrough, CompositeKeysByColumnsInAnyOrder) {
    ThroughLink link = link_through(graph(), Facts(), 7, 6, 7, through("l", {"doc_id", "tenant"}));
    EXPECT_EQ(link.source.parent_columns, (std::vector<std::string>{"tenant", "id"}));
    EXPECT_EQ(link.source.child_columns, (std::vector<std::string>{"tenant", "doc_id"}));
    EXPECT_EQ(link.target.parent_columns, (std::vector<std::string>{"tenant", "other_doc_id"}));
}

TEST(LinkThrough, AJunctionWithoutKeysJoinsThePrimaryKeys) {
    // Table 8 (a view: columns a, b) has no foreign keys.
    ThroughLink link = link_through(graph(), Facts(), 1, 8, 2, through("v", {"a"}, {"b"}));
    EXPECT_EQ(link.source.parent_columns, (std::vector<std::string>{"id"}));
    EXPECT_EQ(link.source.child_columns, (std::vector<std::string>{"a"}));
    EXPECT_EQ(link.target.parent_columns, (std::vector<std::string>{"b"}));
    EXPECT_EQ(link.target.child_columns, (std::vector<std::string>{"id"}));
    std::string code;
    EXPECT_EQ(link_error(1, 8, 2, through("v", {"a"}), &code),
              "relations[0].through.target_key: no foreign key from \"t8\" to \"t2\"");
    EXPECT_EQ(code, "42704");
    EXPECT_EQ(link_error(1, 8, 2, through("v", {"a"}, {"c"}), &code),
              "relations[0].through.target_key: \"c\" is neither a column nor a foreign key of "
              "\"t8\"");
    EXPECT_EQ(code, "42703");
}
