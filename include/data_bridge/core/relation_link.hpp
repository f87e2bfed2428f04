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

}  // namespace data_bridge
