#include "data_bridge/core/relation_link.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "data_bridge/core/error.hpp"

namespace data_bridge {

namespace {

RelationLink from_key(const ForeignKey& key, bool many_to_one) {
    return many_to_one ? RelationLink{true, key.source_columns, key.target_columns}
                       : RelationLink{false, key.target_columns, key.source_columns};
}

// The spec's direction, or `inferred` when it leaves it open.
bool many_to_one_or(const RelationSpec& spec, bool inferred) {
    if (spec.direction == Direction::kManyToOne)
        return true;
    if (spec.direction == Direction::kOneToMany)
        return false;
    return inferred;
}

// The keys of `keys` whose one source column is `column`.
std::vector<const ForeignKey*> single_column_keys(const std::vector<const ForeignKey*>& keys,
                                                  const std::string& column) {
    std::vector<const ForeignKey*> found;
    for (const ForeignKey* key : keys) {
        if (key->source_columns.size() == 1 && key->source_columns[0] == column)
            found.push_back(key);
    }
    return found;
}

// No foreign_key named: the one foreign key between the tables, either way.
RelationLink infer_link(const TableFacts& facts, RelationId parent, RelationId child,
                        const RelationSpec& spec, const std::vector<const ForeignKey*>& out,
                        const std::vector<const ForeignKey*>& in) {
    std::vector<const ForeignKey*> candidates = out;
    for (const ForeignKey* key : in) {
        if (std::find(candidates.begin(), candidates.end(), key) == candidates.end())
            candidates.push_back(key);
    }
    if (candidates.size() != 1) {
        std::vector<std::string> names;
        for (const ForeignKey* key : candidates)
            names.push_back(key->name);
        throw Error(candidates.empty() ? sqlstate::kUndefinedObject : sqlstate::kAmbiguousColumn,
                    fmt::format("{}: {} foreign key between \"{}\" and \"{}\"", spec.path,
                                candidates.empty() ? "no" : "more than one", facts.name(parent),
                                facts.name(child)),
                    candidates.empty() ? std::string()
                                       : fmt::format("Candidates: {}.", joined_columns(names)),
                    "Set foreign_key to a column or constraint name.");
    }
    const ForeignKey& key = *candidates[0];
    bool self = parent == child;
    return from_key(key, self ? many_to_one_or(spec, true) : key.source_relid == parent);
}

// foreign_key names a column: of the parent (many-to-one) or of the related table.
RelationLink link_by_column(const TableFacts& facts, RelationId parent, RelationId child,
                            const RelationSpec& spec, const std::vector<const ForeignKey*>& out,
                            const std::vector<const ForeignKey*>& in) {
    const std::string& fk = *spec.foreign_key;
    bool self = parent == child;
    bool on_parent = facts.has_column(parent, fk);
    bool on_child = facts.has_column(child, fk);
    std::vector<const ForeignKey*> out_keys = single_column_keys(out, fk);
    std::vector<const ForeignKey*> in_keys = single_column_keys(in, fk);
    bool many_to_one;
    if (spec.direction != Direction::kInfer) {
        many_to_one = spec.direction == Direction::kManyToOne;
    } else if (on_parent && !on_child) {
        many_to_one = true;
    } else if (on_child && !on_parent) {
        many_to_one = false;
    } else if (!on_parent && !on_child) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("{}.foreign_key: \"{}\" is neither a column nor a foreign key of "
                                "\"{}\" or \"{}\"",
                                spec.path, fk, facts.name(parent), facts.name(child)));
    } else if (!out_keys.empty() && in_keys.empty() && !self) {
        many_to_one = true;
    } else if (!in_keys.empty() && out_keys.empty() && !self) {
        many_to_one = false;
    } else if (self && !out_keys.empty()) {
        many_to_one = true;  // a self-reference: the row it points at, unless told otherwise
    } else {
        throw Error(sqlstate::kAmbiguousColumn,
                    fmt::format("{}.foreign_key: column \"{}\" exists in both \"{}\" and \"{}\"",
                                spec.path, fk, facts.name(parent), facts.name(child)),
                    {}, "Set direction to many_to_one or one_to_many, or name the constraint.");
    }
    RelationId holder = many_to_one ? parent : child;
    RelationId referenced = many_to_one ? child : parent;
    if (!facts.has_column(holder, fk)) {
        throw Error(
            sqlstate::kUndefinedColumn,
            fmt::format("column \"{}\" of relation \"{}\" does not exist (at {}.foreign_key)", fk,
                        facts.name(holder), spec.path));
    }
    std::string reference;
    const std::vector<const ForeignKey*>& keys = many_to_one ? out_keys : in_keys;
    if (spec.reference_column) {
        reference = *spec.reference_column;
    } else if (keys.size() == 1) {
        reference = keys[0]->target_columns[0];
    } else {
        std::vector<std::string> key_columns = facts.primary_key(referenced);
        if (key_columns.size() != 1) {
            throw Error(
                sqlstate::kInvalidParameterValue,
                fmt::format("{}.reference_column is needed: \"{}\" has no one-column primary key",
                            spec.path, facts.name(referenced)));
        }
        reference = key_columns[0];
    }
    if (!facts.has_column(referenced, reference)) {
        throw Error(sqlstate::kUndefinedColumn,
                    fmt::format("column \"{}\" of relation \"{}\" does not exist (at "
                                "{}.reference_column)",
                                reference, facts.name(referenced), spec.path));
    }
    return many_to_one ? RelationLink{true, {fk}, {reference}}
                       : RelationLink{false, {reference}, {fk}};
}

// Whether the key is the one `named` names: its constraint name, or its columns in any order.
bool key_is_named(const ForeignKey& key, const std::vector<std::string>& named) {
    if (named.size() == 1 && key.name == named[0])
        return true;
    std::vector<std::string> mine = key.source_columns, theirs = named;
    std::sort(mine.begin(), mine.end());
    std::sort(theirs.begin(), theirs.end());
    return mine == theirs;
}

// One of the junction's two keys: to `side` (the parent's table for the source key, the related
// table for the target key), among `candidates` (the junction's foreign keys to `side`, less the
// other key's when both sides are one table).
RelationLink junction_key(const TableFacts& facts, RelationId junction, RelationId side,
                          const std::vector<const ForeignKey*>& candidates,
                          const std::vector<std::string>& named, const std::string& path) {
    std::vector<const ForeignKey*> found;
    for (const ForeignKey* key : candidates) {
        if (named.empty() || key_is_named(*key, named))
            found.push_back(key);
    }
    if (found.size() == 1) {
        const ForeignKey& key = *found[0];
        return {true, key.source_columns, key.target_columns};
    }
    if (found.empty() && !named.empty()) {
        // Columns with no foreign key behind them (a view as the junction): the side's key.
        for (const std::string& column : named) {
            if (!facts.has_column(junction, column)) {
                throw Error(
                    sqlstate::kUndefinedColumn,
                    fmt::format("{}: \"{}\" is neither a column nor a foreign key of \"{}\"", path,
                                column, facts.name(junction)));
            }
        }
        std::vector<std::string> key_columns = facts.primary_key(side);
        if (key_columns.size() != named.size()) {
            throw Error(sqlstate::kInvalidParameterValue,
                        fmt::format("{}: no foreign key of \"{}\" has these columns, and \"{}\" "
                                    "has no {}-column primary key to join them to",
                                    path, facts.name(junction), facts.name(side), named.size()));
        }
        return {true, named, key_columns};
    }
    std::vector<std::string> names;
    for (const ForeignKey* key : found)
        names.push_back(key->name);
    throw Error(
        found.empty() ? sqlstate::kUndefinedObject : sqlstate::kAmbiguousColumn,
        fmt::format("{}: {} foreign key from \"{}\" to \"{}\"", path,
                    found.empty() ? "no" : "more than one", facts.name(junction), facts.name(side)),
        found.empty() ? std::string() : fmt::format("Candidates: {}.", joined_columns(names)),
        "Name the junction's keys: \"through\": {\"table\": …, \"source_key\": …, "
        "\"target_key\": …}, each a constraint name or a list of columns.");
}

}  // namespace

ThroughLink link_through(const FkGraph& graph, const TableFacts& facts, RelationId parent,
                         RelationId junction, RelationId child, const RelationSpec& spec) {
    const ThroughSpec& through = *spec.through;
    std::string path = spec.path + ".through";
    std::vector<const ForeignKey*> to_parent, to_child;
    for (const ForeignKey* key : graph.referenced_by(junction)) {
        if (key->target_relid == parent)
            to_parent.push_back(key);
        if (key->target_relid == child)
            to_child.push_back(key);
    }
    auto without = [](std::vector<const ForeignKey*> keys, const RelationLink& taken) {
        keys.erase(std::remove_if(keys.begin(), keys.end(),
                                  [&taken](const ForeignKey* key) {
                                      return key->source_columns == taken.parent_columns;
                                  }),
                   keys.end());
        return keys;
    };
    ThroughLink link;
    bool self = parent == child;
    // Both sides one table (users following users): neither key can be inferred alone.
    if (self && through.source_key.empty() && through.target_key.empty() && to_parent.size() != 1) {
        std::vector<std::string> names;
        for (const ForeignKey* key : to_parent)
            names.push_back(key->name);
        throw Error(
            to_parent.empty() ? sqlstate::kUndefinedObject : sqlstate::kAmbiguousColumn,
            fmt::format("{}: the junction \"{}\" links \"{}\" to itself; its keys cannot be "
                        "told apart",
                        path, facts.name(junction), facts.name(parent)),
            to_parent.empty() ? std::string()
                              : fmt::format("Candidates: {}.", joined_columns(names)),
            "Name the junction's keys: \"through\": {\"table\": …, \"source_key\": …, "
            "\"target_key\": …}.");
    }
    if (self && through.source_key.empty() && !through.target_key.empty()) {
        RelationLink target = junction_key(facts, junction, child, to_child, through.target_key,
                                           path + ".target_key");
        link.source = junction_key(facts, junction, parent, without(to_parent, target), {},
                                   path + ".source_key");
        link.target = target;
    } else {
        link.source = junction_key(facts, junction, parent, to_parent, through.source_key,
                                   path + ".source_key");
        link.target =
            junction_key(facts, junction, child, self ? without(to_child, link.source) : to_child,
                         through.target_key, path + ".target_key");
    }
    // source: the parent holds the referenced columns; the junction, the referencing ones.
    std::swap(link.source.parent_columns, link.source.child_columns);
    link.source.many_to_one = false;
    return link;
}

RelationLink link_relation(const FkGraph& graph, const TableFacts& facts, RelationId parent,
                           RelationId child, const RelationSpec& spec) {
    std::vector<const ForeignKey*> out, in;  // keys parent -> child, and child -> parent
    for (const ForeignKey* key : graph.referenced_by(parent)) {
        if (key->target_relid == child)
            out.push_back(key);
    }
    for (const ForeignKey* key : graph.referencing(parent)) {
        if (key->source_relid == child)
            in.push_back(key);
    }
    if (!spec.foreign_key)
        return infer_link(facts, parent, child, spec, out, in);
    bool self = parent == child;
    for (const ForeignKey* key : out) {
        if (key->name == *spec.foreign_key)
            return from_key(*key, self ? many_to_one_or(spec, true) : true);
    }
    for (const ForeignKey* key : in) {
        if (key->name == *spec.foreign_key)
            return from_key(*key, false);
    }
    return link_by_column(facts, parent, child, spec, out, in);
}

}  // namespace data_bridge
