// How a relation of an eager-load spec joins its table to its parent's: which side holds the
// foreign key (the direction) and the columns on each side, decided from the foreign-key graph
// and the spec's hints (foreign_key, reference_column, direction). Pure C++: the few table facts
// it needs beyond the graph come through TableFacts.
#pragma once

#include <string>
#include <vector>

#include "data_bridge/core/eager_spec.hpp"
#include "data_bridge/core/fk_graph.hpp"

namespace data_bridge {

// Table facts the linking needs beyond the foreign-key graph.
class TableFacts {
  public:
    virtual ~TableFacts() = default;
    // A user column (not dropped) of the table.
    virtual bool has_column(RelationId table, const std::string& column) const = 0;
    // The primary key's columns in key order; empty when there is none.
    virtual std::vector<std::string> primary_key(RelationId table) const = 0;
    // The table's name as messages show it.
    virtual std::string name(RelationId table) const = 0;
};

struct RelationLink {
    bool many_to_one = false;                 // the parent holds the foreign key
    std::vector<std::string> parent_columns;  // joined pairwise with child_columns
    std::vector<std::string> child_columns;
};

// Throws 42704 (no foreign key), 42702 (ambiguous), 42703 (unknown column) or 22023, naming
// the spec's path.
RelationLink link_relation(const FkGraph& graph, const TableFacts& facts, RelationId parent,
                           RelationId child, const RelationSpec& spec);

// A many-to-many relation: the parent's rows join the junction's (`source`: parent_columns of
// the parent, child_columns of the junction), whose rows join the related table's (`target`:
// parent_columns of the junction, child_columns of the related table).
struct ThroughLink {
    RelationLink source;
    RelationLink target;
};

// The junction's two keys: the foreign keys from the junction to each side, or the ones
// through.source_key / target_key name (by constraint name or columns; columns of a junction
// without that foreign key, such as a view, join the side's primary key). Throws 42704 (none),
// 42702 (ambiguous, listing the candidates) or 42703/22023, naming the spec's path.
ThroughLink link_through(const FkGraph& graph, const TableFacts& facts, RelationId parent,
                         RelationId junction, RelationId child, const RelationSpec& spec);

}  // namespace data_bridge
