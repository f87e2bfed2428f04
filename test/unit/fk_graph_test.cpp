#include "data_bridge/core/fk_graph.hpp"

#include <gtest/gtest.h>

using namespace data_bridge;

namespace {
ForeignKey key(ConstraintId id, const char* name, RelationId source, const char* source_table,
               RelationId target, const char* target_table) {
    ForeignKey fk;
    fk.id = id;
    fk.name = name;
    fk.source_relid = source;
    fk.source = {"public", source_table};
    fk.target_relid = target;
    fk.target = {"public", target_table};
    return fk;
}
}  // namespace

TEST(FkGraph, IndexesBothDirectionsInDeterministicOrder) {
    FkGraph graph({key(10, "posts_author_fkey", 2, "posts", 1, "users"),
                   key(11, "comments_author_fkey", 3, "comments", 1, "users"),
                   key(12, "comments_post_fkey", 3, "comments", 2, "posts"),
                   key(13, "a_second_fkey", 3, "comments", 1, "users")});

    const auto& into_users = graph.referencing(1);
    ASSERT_EQ(into_users.size(), 3u);
    EXPECT_EQ(into_users[0]->name, "a_second_fkey");  // comments, by constraint name
    EXPECT_EQ(into_users[1]->name, "comments_author_fkey");
    EXPECT_EQ(into_users[2]->name, "posts_author_fkey");

    const auto& out_of_comments = graph.referenced_by(3);
    ASSERT_EQ(out_of_comments.size(), 3u);
    EXPECT_EQ(out_of_comments[0]->target.name, "posts");
    EXPECT_EQ(out_of_comments[1]->target.name, "users");

    EXPECT_TRUE(graph.referencing(3).empty());
    EXPECT_TRUE(graph.referenced_by(1).empty());
    EXPECT_TRUE(graph.involves(2));
    EXPECT_FALSE(graph.involves(99));
}

TEST(FkGraph, SelfReferenceAppearsOnBothSides) {
    FkGraph graph({key(20, "nodes_parent_fkey", 5, "nodes", 5, "nodes")});
    ASSERT_EQ(graph.referencing(5).size(), 1u);
    ASSERT_EQ(graph.referenced_by(5).size(), 1u);
    EXPECT_EQ(graph.referencing(5)[0], graph.referenced_by(5)[0]);
}

namespace {

// A source that counts what it is asked, over a fixed set of keys.
class CountingSource : public FkSource {
  public:
    explicit CountingSource(std::vector<ForeignKey> keys) : keys_(std::move(keys)) {}
    std::vector<ForeignKey> declared_on(RelationId table) const override {
        asked_declared++;
        std::vector<ForeignKey> out;
        for (const auto& key : keys_)
            if (key.source_relid == table)
                out.push_back(key);
        return out;
    }
    std::vector<ForeignKey> referencing(RelationId table) const override {
        asked_referencing++;
        std::vector<ForeignKey> out;
        for (const auto& key : keys_)
            if (key.target_relid == table)
                out.push_back(key);
        return out;
    }
    mutable int asked_declared = 0;
    mutable int asked_referencing = 0;

  private:
    std::vector<ForeignKey> keys_;
};

}  // namespace

TEST(FkGraph, ReadsATableAtATimeOnDemand) {
    CountingSource source({key(10, "posts_author_fkey", 2, "posts", 1, "users"),
                           key(11, "comments_post_fkey", 3, "comments", 2, "posts"),
                           key(12, "nodes_parent_fkey", 5, "nodes", 5, "nodes")});
    FkGraph graph(&source);
    EXPECT_FALSE(graph.involves(1));
    EXPECT_EQ(graph.known_keys(), 0u);
    ASSERT_EQ(graph.referencing(1).size(), 1u);
    EXPECT_EQ(source.asked_referencing, 1);
    EXPECT_EQ(graph.known_keys(), 1u);  // nothing about comments or nodes was read
    EXPECT_TRUE(graph.involves(2));
    graph.referencing(1);
    EXPECT_EQ(source.asked_referencing, 1);  // read once
    // The same key from the other side is the same object.
    ASSERT_EQ(graph.referenced_by(2).size(), 1u);
    EXPECT_EQ(graph.referenced_by(2)[0], graph.referencing(1)[0]);
    // A self-reference: one object on both sides.
    EXPECT_EQ(graph.referencing(5)[0], graph.referenced_by(5)[0]);
    EXPECT_EQ(graph.known_keys_touching(5).size(), 1u);
    EXPECT_TRUE(graph.referencing(42).empty());
}

// The cache checks the lists a graph holds against the catalogs when a table is invalidated:
// the graph says which lists it read whole.
TEST(FkGraph, SaysWhichListsItReadWhole) {
    CountingSource source({key(10, "posts_author_fkey", 2, "posts", 1, "users"),
                           key(11, "comments_post_fkey", 3, "comments", 2, "posts")});
    FkGraph graph(&source);
    graph.referencing(1);
    EXPECT_TRUE(graph.read_referencing(1));
    EXPECT_FALSE(graph.read_declared_on(1));
    // posts is involved through the key, but neither of its lists was read.
    EXPECT_TRUE(graph.involves(2));
    EXPECT_FALSE(graph.read_declared_on(2));
    EXPECT_FALSE(graph.read_referencing(2));
    graph.referenced_by(3);
    EXPECT_TRUE(graph.read_declared_on(3));
    EXPECT_TRUE(graph.involves(3));
}

// The caches' report counts what a graph holds: it grows with what was read, names included.
TEST(FkGraph, CountsTheMemoryOfWhatItRead) {
    std::string long_name(500, 'k');
    CountingSource source({key(10, "posts_author_fkey", 2, "posts", 1, "users"),
                           key(11, long_name.c_str(), 3, "comments", 2, "posts")});
    FkGraph graph(&source);
    std::size_t empty = graph.approximate_bytes();
    graph.referencing(1);
    std::size_t one_key = graph.approximate_bytes();
    EXPECT_GT(one_key, empty + sizeof(ForeignKey));
    graph.referencing(2);
    EXPECT_GE(graph.approximate_bytes(), one_key + sizeof(ForeignKey) + long_name.size());
}

TEST(ForeignKey, CountsTheMemoryOfItsStringsAndLists) {
    ForeignKey short_key = key(10, "k", 2, "posts", 1, "users");
    EXPECT_EQ(approximate_bytes(short_key), sizeof(ForeignKey));  // short strings sit inside
    ForeignKey wide = short_key;
    wide.source_columns = {std::string(100, 'a'), std::string(100, 'b')};
    EXPECT_GE(approximate_bytes(wide), sizeof(ForeignKey) + 2 * sizeof(std::string) + 200);
}
